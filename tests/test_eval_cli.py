"""`drafter guidelines eval` through the real command-line entry point: exit codes, text and JSON."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from rule_helpers import RUNAWAY_RULE
from typer.testing import CliRunner

from drafter.cli import app

runner = CliRunner()

REPO = Path(__file__).resolve().parent.parent

SET = """\
name: eval-cli
version: "1"
channels:
  x: {label: X, counter: twitter, limit: 280}
goals:
  - {name: Werkstolz, hashtag: "#Werkstolz"}
quality: {max_false_errors: 0, min_recall: 0.9}
"""

RULES = """\
rules:
  - id: promo.naive
    type: existence
    level: error
    category: disclosure
    tokens: [Preis, Rabatt]
    message: "Werbung?"
"""

CORPUS = """\
posts:
  - id: promo
    channel: x
    text: "50 % Rabatt nur heute #Werkstolz"
    expect: {error: [disclosure]}
  - id: award
    channel: x
    text: "Wir haben den Preis der Stiftung gewonnen #Werkstolz"
    expect: {}
"""


def folder(tmp_path: Path, rules: str = RULES) -> Path:
    root = tmp_path / "g"
    (root / "rules").mkdir(parents=True)
    (root / "guidelines.yaml").write_text(SET, encoding="utf-8")
    (root / "rules" / "r.yaml").write_text(textwrap.dedent(rules), encoding="utf-8")
    return root


def corpus(tmp_path: Path, body: str = CORPUS) -> Path:
    path = tmp_path / "corpus.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_false_error_exits_1_and_names_the_post(tmp_path: Path) -> None:
    result = runner.invoke(app, ["guidelines", "eval", str(corpus(tmp_path)), "--guidelines", str(folder(tmp_path))])
    assert result.exit_code == 1, result.output
    assert "false errors (1):" in result.output and "award" in result.output and "promo.naive" in result.output
    assert "1 false error(s), at most 0 allowed" in result.output


def test_thresholds_met_exit_0(tmp_path: Path) -> None:
    rules = RULES.replace("[Preis, Rabatt]", "[Rabatt]")
    args = ["guidelines", "eval", str(corpus(tmp_path)), "--guidelines", str(folder(tmp_path, rules))]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("quality thresholds met")


def test_json_output(tmp_path: Path) -> None:
    args = ["guidelines", "eval", str(corpus(tmp_path)), "--guidelines", str(folder(tmp_path)), "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["posts"] == 2 and data["ok"] is False
    row = next(r for r in data["categories"] if r["category"] == "disclosure" and r["level"] == "error")
    assert (row["tp"], row["fp"], row["fn"], row["precision"], row["recall"]) == (1, 1, 0, 0.5, 1.0)
    (false,) = data["false_findings"]
    assert false["post"]["id"] == "award" and false["match"] == "Preis"


def test_a_broken_corpus_exits_2_with_file_line_and_field(tmp_path: Path) -> None:
    bad = corpus(tmp_path, "posts:\n  - id: a\n    text: hi\n    channel: fax\n")
    result = runner.invoke(app, ["guidelines", "eval", str(bad), "--guidelines", str(folder(tmp_path))])
    assert result.exit_code == 2
    assert f"{bad}:4:5: field 'posts.0.channel': unknown channel 'fax'" in result.output


def test_the_bundled_set_meets_its_thresholds_on_the_tuning_part() -> None:
    result = runner.invoke(app, ["guidelines", "eval", str(REPO / "guidelines" / "eval" / "tuning.yaml")])
    assert result.exit_code == 0, result.output[-3000:]


def test_a_rule_that_could_not_run_makes_the_measure_incomplete_not_a_false_warning(tmp_path: Path) -> None:
    """A pattern over its time limit on a post: eval counted the checker's notice as a false warning of a
    "guidelines" category and exited 1; it is no finding of the set, the measure says it is incomplete, and
    the exit code is lint's 2 (a hostile probe)."""
    rules = RULES + RUNAWAY_RULE
    body = (
        CORPUS
        + """\
  - id: runaway
    channel: x
    text: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab #Werkstolz"
    expect: {}
"""
    )
    result = runner.invoke(
        app,
        [
            "guidelines",
            "eval",
            str(corpus(tmp_path, body)),
            "--guidelines",
            str(folder(tmp_path, rules)),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 2, result.output[-800:]
    report = json.loads(result.stdout)
    assert report["skipped"] == {"secret.data": ["runaway"]}
    assert not [f for f in report["false_findings"] if f["category"] == "guidelines"]
