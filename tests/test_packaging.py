"""A non-editable install must find its bundled data: the wheel carries guidelines/, prompts/ and the
sample briefs inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{proc.stderr[-2000:]}")
    (built,) = out.glob("drafter-*.whl")
    return built


def test_wheel_ships_guidelines_prompts_and_samples(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    rules = sorted(p.name for p in (REPO / "guidelines" / "rules").glob("*.yaml"))
    assert "drafter/_bundled/guidelines/guidelines.yaml" in names
    assert {f"drafter/_bundled/guidelines/rules/{name}" for name in rules} <= names
    assert "drafter/_bundled/prompts/README.md" in names
    samples = [n for n in names if n.startswith("drafter/samples/briefs/") and n.endswith(".md")]
    assert len(samples) >= 5
    assert "drafter/voice_words.toml" in names  # the voice profile's word lists


def test_installed_wheel_loads_its_bundled_guidelines(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import drafter.paths as p; from drafter.guidelines import load_guidelines;"
        "gs = load_guidelines(); print(p.default_guidelines_dir().relative_to(p._package_root()), len(gs.rules))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "DRAFTER_HOME": str(tmp_path / "home")},
    )
    assert proc.returncode == 0, proc.stderr
    where, count = proc.stdout.split()
    assert where == "_bundled/guidelines" and int(count) > 10
