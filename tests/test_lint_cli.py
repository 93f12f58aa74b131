"""`drafter lint` and `drafter guidelines …` through the real command-line entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter.cli import app

runner = CliRunner()

CLEAN = "Heute war ich beim Glasfaserausbau in Bonn dabei. #Werkstolz\n"
BAD = "Mit MagentaTV schaue ich alles!!\nSchreibt mir: anna@example.org #werkstolz\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_file_exits_0_with_a_length_line(tmp_path: Path) -> None:
    f = write(tmp_path, "ok.txt", CLEAN)
    result = runner.invoke(app, ["lint", str(f), "--channel", "x"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{f}: length {len(CLEAN) - 1}/280 weighted on x (ok)"  # not the final newline


def test_errors_exit_1_and_text_lines_name_file_line_column(tmp_path: Path) -> None:
    f = write(tmp_path, "bad.txt", BAD)
    result = runner.invoke(app, ["lint", str(f), "--channel", "linkedin", "--lang", "en"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{f}:1:5: warning disclosure disclosure.employment: " in lines[0]
    assert any(line.startswith(f"{f}:2:15: error confidentiality confidentiality.data:") for line in lines)
    assert any(line.startswith(f"{f}:2:32: warning hashtag hashtag.goal-case: ") for line in lines)
    assert lines[-1].startswith(f"{f}: length ")


def test_json_output_shape(tmp_path: Path) -> None:
    f = write(tmp_path, "bad.txt", BAD)
    result = runner.invoke(app, ["lint", str(f), "-", "--channel", "x", "--format", "json"], input=CLEAN)
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert [d["input"] for d in data] == [str(f), "<stdin>"]
    first = data[0]
    assert first["channel"] == "x"
    assert first["length"] == {"count": len(BAD) - 1, "limit": 280, "unit": "weighted"}
    assert first["hashtags"] == ["#werkstolz"]
    keys = {
        "rule",
        "category",
        "severity",
        "message",
        "start",
        "end",
        "line",
        "column",
        "replacements",
        "link",
    }
    assert all(set(item) == keys for item in first["findings"])
    case = next(item for item in first["findings"] if item["rule"] == "hashtag.goal-case")
    assert BAD[case["start"] : case["end"]] == "#werkstolz" and case["replacements"] == ["#Werkstolz"]
    assert (case["line"], case["column"]) == (2, 32)
    assert data[1]["findings"] == []


def test_offsets_are_code_points_with_astral_characters(tmp_path: Path) -> None:
    text = "😀😀 Telecom #Werkstolz Ich"
    f = write(tmp_path, "e.txt", text)
    data = json.loads(runner.invoke(app, ["lint", str(f), "-c", "x", "--format", "json"]).output)
    term = next(i for i in data[0]["findings"] if i["rule"] == "term.brand-spelling")
    assert (term["start"], term["end"], term["column"]) == (3, 10, 4)


def test_brief_and_date(tmp_path: Path) -> None:
    brief = write(
        tmp_path,
        "brief.md",
        "---\nid: glasfaser-bonn\ntitle: Glasfaser für Bonn\nbusiness_unit: Netz\ngoal: WeWontStop\n"
        "key_messages:\n  - Wir bringen schnelles Internet in jede Ecke von Bonn\n"
        "not_before: 2026-12-01\nexpires: 31.12.2026\n---\nDer Ausbau startet im Dezember.\n",
    )
    draft = write(tmp_path, "d.txt", "Ich sage: wir bringen schnelles Internet in jede Ecke von Bonn! #WeWontStop")
    args = ["lint", str(draft), "-c", "linkedin", "--brief", str(brief), "--format", "json"]
    early = json.loads(runner.invoke(app, [*args, "--date", "2026-11-30"]).output)[0]
    rules = {f["rule"] for f in early["findings"]}
    assert {"embargo.not-before", "originality.brief-copy"} <= rules
    later = runner.invoke(app, [*args, "--date", "2026-12-02"])
    assert later.exit_code == 0
    assert {f["rule"] for f in json.loads(later.output)[0]["findings"]} == {"originality.brief-copy"}
    expired = json.loads(runner.invoke(app, [*args, "--date", "2027-01-01"]).output)[0]
    assert "embargo.expired" in {f["rule"] for f in expired["findings"]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--channel", "tiktok"], "unknown channel 'tiktok'"),
        (["--channel", "x", "--date", "30.11.2026"], "not a date: '30.11.2026' (use YYYY-MM-DD"),
        (["--channel", "x", "--date", "20261201"], "not a date: '20261201' (use YYYY-MM-DD"),
        (["--channel", "x", "--date", "2026-W01-1"], "not a date: '2026-W01-1' (use YYYY-MM-DD"),
        (["--channel", "x", "--format", "xml"], "Invalid value"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    f = write(tmp_path, "ok.txt", CLEAN)
    result = runner.invoke(app, ["lint", str(f), *args])
    assert result.exit_code == 2 and message in result.output


def test_missing_file_and_bad_encoding_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", str(tmp_path / "nope.txt"), "-c", "x"])
    assert result.exit_code == 2 and "nope.txt: no such file" in result.output
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Grüße".encode("cp1252"))
    result = runner.invoke(app, ["lint", str(latin), "-c", "x"])
    assert result.exit_code == 2 and "not UTF-8" in result.output


def test_broken_guidelines_exit_2_with_position(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    (folder / "rules").mkdir(parents=True)
    (folder / "guidelines.yaml").write_text('name: t\nversion: "1"\nchannels: {x: {label: X, limit: 0}}\n')
    f = write(tmp_path, "ok.txt", CLEAN)
    result = runner.invoke(app, ["lint", str(f), "-c", "x", "--guidelines", str(folder)])
    assert result.exit_code == 2
    assert f"{folder / 'guidelines.yaml'}:3:" in result.output and "channels.x.limit" in result.output


def test_bad_brief_exit_2(tmp_path: Path) -> None:
    brief = write(tmp_path, "b.md", "---\ntitle: T\nbusiness_unit: B\ngoal: Weltfrieden\n---\ntext\n")
    f = write(tmp_path, "ok.txt", CLEAN)
    result = runner.invoke(app, ["lint", str(f), "-c", "x", "--brief", str(brief)])
    assert result.exit_code == 2 and "b.md" in result.output and "goal" in result.output


def test_guidelines_commands() -> None:
    check = runner.invoke(app, ["guidelines", "check"])
    assert check.exit_code == 0 and " rules, 6 channels, 3 goals" in check.output
    test = runner.invoke(app, ["guidelines", "test"])
    assert test.exit_code == 0, test.output
    assert "FAIL" not in test.output and test.output.strip().splitlines()[-1].endswith("pass their examples")
    show = json.loads(runner.invoke(app, ["guidelines", "show", "--format", "json", "--lang", "en"]).output)
    ids = {row["id"] for row in show}
    assert {"hashtag.goal-missing", "disclosure.employment", "confidentiality.data", "length.limit"} <= ids


def test_guidelines_test_fails_for_a_rule_whose_example_does_not_trigger(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    (folder / "rules").mkdir(parents=True)
    (folder / "guidelines.yaml").write_text('name: t\nversion: "1"\nchannels: {x: {label: X, limit: 280}}\n')
    (folder / "rules" / "r.yaml").write_text(
        "rules:\n  - id: t.gratis\n    type: existence\n    level: info\n    category: term\n"
        "    tokens: [gratis]\n    message: m\n    examples:\n      bad: ['kostenlos']\n      good: ['gratis']\n"
    )
    result = runner.invoke(app, ["guidelines", "test", str(folder)])
    assert result.exit_code == 1
    assert "FAIL t.gratis: 0/2 examples" in result.output
    assert "bad example on x: did not trigger the rule" in result.output


def test_installed_console_script_runs() -> None:
    """The real entry point, as a user calls it (stdin input, exit code)."""
    proc = subprocess.run(
        [sys.executable, "-m", "drafter", "lint", "-", "--channel", "x"],
        input="Ich bin dabei #Werksstolz",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    assert "<stdin>:1:15: error hashtag hashtag.goal-near-miss:" in proc.stdout


def test_stdin_is_decoded_like_files() -> None:
    bom = runner.invoke(app, ["lint", "-", "-c", "x"], input="\ufeffIch #Werkstolz".encode())
    assert bom.exit_code == 0 and "length 14/280" in bom.output
    latin = runner.invoke(app, ["lint", "-", "-c", "bluesky"], input="Grüße #Werkstolz".encode("cp1252"))
    assert latin.exit_code == 2 and "<stdin>: line 1: unknown encoding: the file is not UTF-8" in latin.output


def test_root_guidelines_option_applies_to_lint(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--guidelines", str(tmp_path / "nope"), "lint", "-", "-c", "x"], input="x")
    assert result.exit_code == 2 and "guidelines folder does not exist" in result.output


def test_broken_settings_stop_lint_instead_of_guessing_the_guidelines(drafter_home: Path) -> None:
    (drafter_home / "config").mkdir(parents=True, exist_ok=True)
    (drafter_home / "config" / "settings.toml").write_text('guidelines_dir = "/tmp"\ntypo = 1\n')
    result = runner.invoke(app, ["lint", "-", "-c", "x"], input="Ich #Werkstolz")
    assert result.exit_code == 2 and "settings.toml" in result.output and "typo" in result.output


def test_a_runaway_pattern_makes_lint_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    (folder / "rules").mkdir(parents=True)
    (folder / "guidelines.yaml").write_text('name: t\nversion: "1"\nchannels: {x: {label: X, limit: 280}}\n')
    (folder / "rules" / "r.yaml").write_text(
        "rules:\n  - {id: slow.one, type: existence, level: error, category: t, message: m, patterns: ['(a|aa)+$']}\n"
    )
    result = runner.invoke(app, ["lint", "-", "-c", "x", "--guidelines", str(folder)], input="a" * 60 + "b")
    assert result.exit_code == 2 and "slow.one" in result.output
    # the guideline messages follow --lang (German by default); the tool's own problem is said in English
    assert "The pattern of rule slow.one" in result.stdout
    assert "Das Muster der Regel" not in result.output


def test_without_channel_lint_checks_for_the_guidelines_default_channel_and_says_so(tmp_path: Path) -> None:
    """Issue 11 item 7: the bundled set's default_channel is linkedin (3,000 characters)."""
    f = write(tmp_path, "ok.txt", CLEAN)
    result = runner.invoke(app, ["lint", str(f)])
    assert result.exit_code == 0, result.output
    assert "drafter: channel linkedin (the guidelines' default; --channel chooses another)" in result.stderr
    assert result.stdout.strip() == f"{f}: length {len(CLEAN) - 1}/3000 characters on linkedin (ok)"
    as_json = runner.invoke(app, ["lint", str(f), "--format", "json"])
    assert json.loads(as_json.stdout)[0]["channel"] == "linkedin" and as_json.stderr == ""
    # --channel still overrides it, and a folder's own default_channel applies
    assert "on x (ok)" in runner.invoke(app, ["lint", str(f), "--channel", "x"]).stdout
    folder = tmp_path / "g"
    (folder / "rules").mkdir(parents=True)
    (folder / "guidelines.yaml").write_text(
        'name: t\nversion: "1"\ndefault_channel: x\nchannels: {linkedin: {label: LinkedIn, limit: 3000},'
        " x: {label: X, limit: 280}}\n"
    )
    own = runner.invoke(app, ["lint", str(f), "--guidelines", str(folder)])
    assert own.exit_code == 0, own.output
    assert "drafter: channel x " in own.stderr and "on x (ok)" in own.stdout


def test_a_files_final_newline_is_not_part_of_the_post(tmp_path: Path) -> None:
    """Issue 11 item 6: a 280-character X post saved by an editor (with its final newline) is 280/280."""
    post = "Heute war ich beim Glasfaserausbau in Bonn dabei. #Werkstolz "
    post = (post * 5)[:280]
    assert len(post) == 280 and post.isascii()
    f = write(tmp_path, "x.txt", post + "\n")
    result = runner.invoke(app, ["lint", str(f), "-c", "x"])
    assert f"{f}: length 280/280 weighted on x (ok)" in result.output
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes((post + "\r\n").encode())
    assert "length 280/280" in runner.invoke(app, ["lint", str(crlf), "-c", "x"]).output
    # only one line break is the editor's; a second one is the author's
    two = write(tmp_path, "two.txt", post + "\n\n")
    assert "length 281/280" in runner.invoke(app, ["lint", str(two), "-c", "x"]).output


def goal_folder(tmp_path: Path) -> Path:
    """A guideline folder that defines its own goal (not one of the bundled three)."""
    folder = tmp_path / "own-goal"
    (folder / "rules").mkdir(parents=True)
    (folder / "guidelines.yaml").write_text(
        'name: own\nversion: "1"\ngoals:\n  - {name: Gruenschnabel, hashtag: "#Gruenschnabel"}\n'
        "channels: {x: {label: X, limit: 280}}\n",
        encoding="utf-8",
    )
    (folder / "rules" / "r.yaml").write_text(
        "rules:\n  - {id: goal.missing, type: hashtags, check: missing_goal, level: error, category: hashtag,"
        " message: 'no goal hashtag'}\n",
        encoding="utf-8",
    )
    return folder


def test_every_command_resolves_the_guidelines_the_same_way(tmp_path: Path) -> None:
    """Regression: the root option and the command's option both reach lint and briefs check."""
    folder = goal_folder(tmp_path)
    brief = write(tmp_path, "b.md", "---\ntitle: T\nbusiness_unit: B\ngoal: Gruenschnabel\n---\nText\n")
    post = "Mein erster Tag im Team #Gruenschnabel"
    root_lint = runner.invoke(app, ["--guidelines", str(folder), "lint", "-", "-c", "x"], input=post)
    assert root_lint.exit_code == 0, root_lint.output
    assert "goal.missing" not in root_lint.output
    missing = runner.invoke(app, ["--guidelines", str(folder), "lint", "-", "-c", "x"], input="Mein erster Tag")
    assert missing.exit_code == 1 and "goal.missing" in missing.output  # the folder's rules really apply
    root_check = runner.invoke(app, ["--guidelines", str(folder), "briefs", "check", str(brief)])
    assert root_check.exit_code == 0, root_check.output
    command_check = runner.invoke(app, ["briefs", "check", str(brief), "--guidelines", str(folder)])
    assert command_check.exit_code == 0, command_check.output
    bundled = runner.invoke(app, ["briefs", "check", str(brief)])  # the bundled goals do not know it
    assert bundled.exit_code == 2 and "Gruenschnabel" in bundled.output
