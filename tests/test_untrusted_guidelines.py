"""Guideline input is untrusted (issue 9): patterns that cannot be escaped or switched off, messages that
cannot blow up, files that are files, and `extends` errors with a place."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter.checker import GUIDELINE_PROBLEM_RULE, Checker
from drafter.cli import app
from drafter.errors import Problem, UserError
from drafter.guidelines import GuidelineError, load_guidelines, localized, slow_patterns

runner = CliRunner()

FUZZY = "(?:abcdefghijklmnopqrstuvwxyzabcd){e<=12}"
SET = 'name: t\nversion: "1"\nchannels:\n  x: {label: X, counter: twitter, limit: 280}\n'


def guideline_folder(root: Path, rules: str, set_yaml: str = SET) -> Path:
    (root / "rules").mkdir(parents=True, exist_ok=True)
    (root / "guidelines.yaml").write_text(set_yaml, encoding="utf-8")
    (root / "rules" / "r.yaml").write_text(textwrap.dedent(rules), encoding="utf-8")
    return root


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(GuidelineError) as info:
        load_guidelines(folder)
    return [str(p) for p in info.value.problems]


def contact_paste(size: int = 116_000, seed: int = 9) -> tuple[str, list[tuple[int, int, str]]]:
    """A paste of e-mail addresses, phone numbers and IBANs, and where each one is (start, end, kind)."""
    rng = random.Random(seed)
    text, spans = "", []
    while len(text) < size:
        kind = rng.choice(["e-mail", "phone", "IBAN"])
        if kind == "e-mail":
            item = f"{rng.choice(['max.muster', 'anna', 'j.doe+news'])}{rng.randrange(1000)}@team{rng.randrange(50)}.de"
        elif kind == "phone":
            item = f"+49 {rng.randrange(100, 999)} {rng.randrange(1000, 99999)} {rng.randrange(10, 999)}"
        else:
            item = f"DE{rng.randrange(10, 99)} 3704 0044 0532 {rng.randrange(1000, 9999)} 00"
        spans.append((len(text), len(text) + len(item), kind))
        text += item + rng.choice([", ", "; ", "\n", " und "])
    return text, spans


# -- 4: a large paste does not switch a check off ----------------------------------------------------------
def test_a_116_kb_contact_paste_is_checked_in_bounded_time_with_every_finding(checker: Checker) -> None:
    text, spans = contact_paste()
    assert len(text) >= 116_000
    started = time.perf_counter()
    result = checker.check(text, "linkedin")
    elapsed = time.perf_counter() - started
    assert result.skipped == [] and result.complete
    assert not [f for f in result.findings if f.rule == GUIDELINE_PROBLEM_RULE]
    found = [(f.start, f.end, f.message) for f in result.findings if f.rule == "confidentiality.data"]
    assert [(s, e) for s, e, _ in found] == [(s, e) for s, e, _ in spans]
    rule = next(r for r in checker.guidelines.rules if r.id == "confidentiality.data")
    shown = {kind: localized(rule.kinds.get(kind), "de") or kind for kind in ("e-mail", "phone", "IBAN")}
    assert all(f"({shown[kind]})" in message for (_, _, message), (_, _, kind) in zip(found, spans, strict=True))
    assert elapsed < 5.0, elapsed  # about 0.5 s on a quiet machine; the old time limit was hit on a busy one


def test_lint_exits_1_not_2_on_the_116_kb_paste(tmp_path: Path) -> None:
    paste = tmp_path / "paste.txt"
    paste.write_text(contact_paste()[0], encoding="utf-8")
    result = runner.invoke(app, ["lint", str(paste), "--channel", "linkedin"])
    assert result.exit_code == 1, result.output[-500:]
    assert "confidentiality.data" in result.output and GUIDELINE_PROBLEM_RULE not in result.output


def test_a_rule_that_timed_out_on_one_text_checks_the_next(tmp_path: Path) -> None:
    folder = guideline_folder(
        tmp_path / "g",
        r"""
        rules:
          - id: secret.data
            type: confidentiality
            level: error
            category: confidentiality
            patterns:
              runaway: '(a|aa)+$'
              e-mail: '(?i)(?<![\w.+@-])[\w.+-]++@[\w-]++(?:\.[\w-]++)*+(?<=\.[a-z]{2,})(?!\w)'
            message: "{kind}: {match}"
        """,
    )
    checker = Checker(load_guidelines(folder), lang="en")
    started = time.perf_counter()
    stuck = checker.check("a" * 60 + "b", "x")
    assert time.perf_counter() - started < 2.0
    assert stuck.skipped == ["secret.data"]
    assert [f.rule for f in stuck.findings] == [GUIDELINE_PROBLEM_RULE]
    assert "secret.data" in stuck.findings[0].message and "skipped for this text" in stuck.findings[0].message
    after = checker.check("Schreib mir an max@team.de", "x")
    assert after.skipped == []
    assert [(f.rule, f.message) for f in after.findings] == [("secret.data", "e-mail: max@team.de")]


# -- 5: the time limit cannot be escaped ---------------------------------------------------------------------
FUZZY_RULES = f"""
rules:
  - id: fuzzy.alphabet
    type: existence
    level: warning
    category: term
    patterns: ['{FUZZY}']
    message: "{{match}}"
"""


def test_a_fuzzy_pattern_runs_with_the_time_limit_in_lint(tmp_path: Path) -> None:
    folder = guideline_folder(tmp_path / "g", FUZZY_RULES)
    post = tmp_path / "post.txt"
    post.write_text("x" * 291, encoding="utf-8")  # 8.5 s untimed
    started = time.perf_counter()
    result = runner.invoke(app, ["lint", str(post), "--channel", "x", "--guidelines", str(folder)])
    assert time.perf_counter() - started < 3.0
    assert result.exit_code == 2  # the check is incomplete
    assert f"{GUIDELINE_PROBLEM_RULE}:" in result.output and "fuzzy.alphabet" in result.output


def test_guidelines_check_flags_the_fuzzy_pattern_with_file_line_and_field(tmp_path: Path) -> None:
    folder = guideline_folder(tmp_path / "g", FUZZY_RULES)
    result = runner.invoke(app, ["guidelines", "check", str(folder)])
    assert result.exit_code == 2
    assert f"{folder / 'rules' / 'r.yaml'}:7:" in result.output
    assert "field 'rules.0.patterns.0'" in result.output and "slow" in result.output


def test_guidelines_check_passes_the_bundled_patterns(default_guidelines) -> None:  # type: ignore[no-untyped-def]
    assert slow_patterns(default_guidelines) == []


# -- 10: only regular files are read -------------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_named_like_a_rules_file_is_refused_not_waited_on(tmp_path: Path) -> None:
    folder = guideline_folder(tmp_path / "g", "rules: []\n")
    os.mkfifo(folder / "rules" / "x.yaml")
    proc = subprocess.run(
        [sys.executable, "-m", "drafter", "guidelines", "check", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ},
    )
    assert proc.returncode == 2
    assert f"{folder / 'rules' / 'x.yaml'}: a named pipe (FIFO), not a guideline file" in proc.stderr


def test_a_directory_named_like_a_rules_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    folder = guideline_folder(tmp_path / "g", "rules: []\n")
    (folder / "rules" / "x.yaml").mkdir()
    result = runner.invoke(app, ["guidelines", "check", str(folder)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert f"{folder / 'rules' / 'x.yaml'}: a directory, not a guideline file" in result.output


# -- 11: message format specs --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "message", ["'{match:>999999999}'", "'{count:,}'", "'{match!r}'", "'{match.__class__}'", "'{}'"]
)
def test_unsafe_placeholders_are_refused_at_load_with_file_line_field(tmp_path: Path, message: str) -> None:
    folder = guideline_folder(
        tmp_path / "g",
        f"""
        rules:
          - id: term.x
            type: existence
            level: warning
            category: term
            tokens: [gratis]
            message: {message}
        """,
    )
    (problem,) = problems_of(folder)
    assert problem.startswith(f"{folder / 'rules' / 'r.yaml'}:8:") and "field 'rules.0.message'" in problem


def test_a_small_width_is_allowed_and_stays_small(tmp_path: Path) -> None:
    folder = guideline_folder(
        tmp_path / "g",
        """
        rules:
          - id: term.x
            type: existence
            level: warning
            category: term
            tokens: [gratis]
            message: '[{match:>10}]'
        """,
    )
    (finding,) = Checker(load_guidelines(folder)).check("gratis", "x").findings
    assert finding.message == "[    gratis]"


# -- 12: extends errors name file, line and field ------------------------------------------------------------
@pytest.mark.parametrize(
    ("extends", "expected"),
    [("missing-folder", "no such folder"), ("/", "is not a guidelines folder"), (".", "a cycle")],
)
def test_extends_errors_name_file_line_and_field(tmp_path: Path, extends: str, expected: str) -> None:
    folder = guideline_folder(tmp_path / "g", "rules: []\n", SET + f"extends: {extends!r}\n")
    (problem,) = problems_of(folder)
    assert problem.startswith(f"{folder / 'guidelines.yaml'}:5:") and "field 'extends'" in problem
    assert expected in problem


def test_a_cycle_through_two_folders_is_reported_where_it_closes(tmp_path: Path) -> None:
    a = guideline_folder(tmp_path / "a", "rules: []\n", SET + "extends: ../b\n")
    guideline_folder(tmp_path / "b", "rules: []\n", SET + "extends: ../a\n")
    (problem,) = problems_of(a)
    assert problem.startswith(f"{tmp_path / 'b' / 'guidelines.yaml'}:5:") and "a cycle" in problem


def test_guideline_errors_are_user_errors_with_the_shared_problem_shape(tmp_path: Path) -> None:
    folder = guideline_folder(tmp_path / "g", "rules: []\n", SET + "extends: nowhere\n")
    with pytest.raises(UserError) as info:
        load_guidelines(folder)
    assert isinstance(info.value, GuidelineError) and info.value.exit_code == 2
    assert all(isinstance(p, Problem) for p in info.value.problems)
    assert info.value.problems[0].field == "extends" and info.value.problems[0].line == 5
