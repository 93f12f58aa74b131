"""The fast path of ``drafter lint`` (issue 14): a plain lint call runs without typer, and prints, exits and
fails exactly as the typer command does; everything else is left to typer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from drafter.cli.fast import parse_lint

REPO = Path(__file__).resolve().parent.parent
BAD = "Mit MagentaTV schaue ich alles!!\nSchreibt mir: anna@example.org #werkstolz www.telekom.de\n"
CLEAN = "Heute war ich beim Glasfaserausbau in Bonn dabei. #Werkstolz\n"

#: the console script, and the same with the fast path switched off (typer reads every command line)
FAST = "import sys; from drafter.cli import main; sys.argv[0] = 'drafter'; main()"
TYPER = (
    "import sys; from drafter.cli import fast, main; fast.run_fast = lambda argv: None; sys.argv[0] = 'drafter'; main()"
)


def drafter(code: str, args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
        check=False,
    )


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    bad = tmp_path / "bad.txt"
    bad.write_text(BAD, encoding="utf-8")
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    broken = tmp_path / "broken"
    (broken / "rules").mkdir(parents=True)
    (broken / "guidelines.yaml").write_text("name: B\nversion: '1'\nextends: default\n", encoding="utf-8")
    (broken / "rules" / "x.yaml").write_text(
        "rules:\n  - id: b.one\n    type: existence\n    level: loud\n    category: terms\n    message: M\n"
        "    tokens: [x]\n",
        encoding="utf-8",
    )
    brief = tmp_path / "brief.md"
    brief.write_text("---\ntitle: T\nbusiness_unit: Technik\ngoal: Werkstolz\n---\nText\n", encoding="utf-8")
    return {"bad": str(bad), "clean": str(clean), "broken": str(broken), "brief": str(brief), "dir": str(tmp_path)}


CASES = [
    ["lint", "{bad}"],
    ["lint", "{bad}", "{clean}", "--channel", "x", "--format", "json"],
    ["lint", "{bad}", "-c", "linkedin", "--lang", "en", "--date", "2026-11-30"],
    ["lint", "--format=json", "-", "--channel=x"],
    ["lint", "{clean}", "--brief", "{brief}", "-c", "x"],
    ["lint", "{clean}", "--channel", "nope"],
    ["lint", "{dir}/missing.txt", "-c", "x"],
    ["lint", "{clean}", "-c", "x", "--date", "2026-13-01"],
    ["lint", "{clean}", "-c", "x", "--guidelines", "{broken}"],
    ["lint", "{clean}", "-c", "x", "--guidelines", "{dir}/no-such-folder"],
    ["lint", "{clean}", "-c", "x", "--brief", "{dir}/no-brief.md"],
    ["lint", "{clean}", "-c", "x", "--guidelines", "{clean}"],
    ["lint", "{clean}", "--format", "xml"],
    ["lint", "--help"],
    ["--help"],
]


@pytest.mark.parametrize("case", CASES, ids=[" ".join(c).replace("{", "").replace("}", "") for c in CASES])
def test_the_fast_path_behaves_as_the_typer_command(case: list[str], files: dict[str, str]) -> None:
    args = [arg.format(**files) for arg in case]
    fast = drafter(FAST, args, stdin=CLEAN)
    slow = drafter(TYPER, args, stdin=CLEAN)
    assert (fast.returncode, fast.stdout, fast.stderr) == (slow.returncode, slow.stdout, slow.stderr)
    assert "Traceback" not in fast.stderr


def test_a_plain_lint_does_not_import_typer(files: dict[str, str]) -> None:
    code = (
        "import atexit, sys; "
        "atexit.register(lambda: print('typer loaded' if 'typer' in sys.modules else 'no typer', file=sys.stderr)); "
        + FAST
    )
    plain = drafter(code, ["lint", files["clean"], "-c", "x"])
    assert plain.returncode == 0 and plain.stderr.strip().endswith("no typer"), plain.stderr
    failing = drafter(code, ["lint", files["clean"], "-c", "nope"])
    assert failing.returncode == 2 and "unknown channel" in failing.stderr  # typer only for the failure


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["lint", "--help"],
        ["lint", "-h"],
        ["--guidelines", ".", "lint", "x.txt"],
        ["lint", "x.txt", "--chan", "x"],
        ["lint", "x.txt", "-cx"],
        ["lint", "x.txt", "-c=x"],
        ["lint", "x.txt", "--channel"],
        ["lint", "x.txt", "--channel", "x", "-c", "y"],
        ["lint", "x.txt", "--channel", "-"],
        ["lint", "--", "x.txt"],
        ["lint", "x.txt", "--format", "JSON"],
        ["lint", "x.txt", "--lang", "fr"],
        ["lint", "x.txt", "--guidelines", ""],
        ["lint", "x\udcff.txt"],
        ["export", "x.txt"],
    ],
)
def test_anything_but_a_plain_lint_goes_to_typer(argv: list[str]) -> None:
    assert parse_lint(argv) is None


def test_shell_completion_goes_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_lint(["lint", "x.txt"]) == {"files": ["x.txt"]}
    monkeypatch.setenv("_DRAFTER_COMPLETE", "bash_complete")
    assert parse_lint(["lint", "x.txt"]) is None


def test_a_plain_lint_is_read(tmp_path: Path) -> None:
    params = parse_lint(
        ["lint", "a.txt", "-", "--channel=x", "--format", "json", "--lang", "en", "--guidelines", str(tmp_path)]
    )
    assert params == {"files": ["a.txt", "-"], "channel": "x", "output": "json", "lang": "en", "guidelines": tmp_path}
