"""Loading guideline folders: validation errors with file/line/column/field, and layering."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from drafter.checker import Checker
from drafter.guideline_examples import run_examples
from drafter.guidelines import GuidelineError, load_guidelines

SET = """\
name: team-bonn
version: "1"
channels:
  x: {label: X, counter: twitter, limit: 280}
  linkedin: {label: LinkedIn, limit: 3000}
goals:
  - {name: Werkstolz, hashtag: "#Werkstolz"}
"""

RULE = """\
rules:
  - id: term.gratis
    type: substitution
    level: warning
    category: term
    swap: {gratis: kostenlos}
    message: "Schreib {replacement} statt {match}."
    examples:
      bad: ["Jetzt gratis testen"]
      good: ["Jetzt kostenlos testen"]
"""


def make_set(root: Path, set_yaml: str = SET, rules: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "guidelines.yaml").write_text(textwrap.dedent(set_yaml), encoding="utf-8")
    (root / "rules").mkdir(exist_ok=True)
    for name, body in (rules if rules is not None else {"terms.yaml": RULE}).items():
        (root / "rules" / name).write_text(textwrap.dedent(body), encoding="utf-8")
    return root


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(GuidelineError) as info:
        load_guidelines(folder)
    return [str(p) for p in info.value.problems]


def test_default_set_loads_and_passes_its_examples(default_guidelines) -> None:
    assert [g.hashtag for g in default_guidelines.goals] == ["#LoveMagenta", "#WeWontStop", "#Werkstolz"]
    assert set(default_guidelines.channels) == {
        "x",
        "linkedin",
        "instagram",
        "threads",
        "mastodon",
        "bluesky",
    }
    reports = run_examples(default_guidelines)
    assert reports and all(r.ok for r in reports), [f for r in reports for f in r.failures]
    # every rule has at least one bad and one good example
    for rule in default_guidelines.rules:
        assert rule.examples.bad and rule.examples.good, rule.id


def test_a_valid_custom_set_loads(tmp_path: Path) -> None:
    gs = load_guidelines(make_set(tmp_path / "g"))
    assert gs.name == "team-bonn" and [r.id for r in gs.rules] == ["term.gratis"]
    result = Checker(gs).check("Jetzt gratis testen", "x")
    assert [(f.rule, f.replacements, f.message) for f in result.findings] == [
        ("term.gratis", ("kostenlos",), "Schreib kostenlos statt gratis.")
    ]


def test_unknown_key_names_file_line_and_field(tmp_path: Path) -> None:
    body = RULE.replace("    category: term\n", "    category: term\n    severity: high\n")
    folder = make_set(tmp_path / "g", rules={"terms.yaml": body})
    (problem,) = problems_of(folder)
    assert problem.startswith(f"{folder / 'rules' / 'terms.yaml'}:6:5:")
    assert "rules.0.severity" in problem and "unknown key" in problem


def test_wrong_type_and_bad_level(tmp_path: Path) -> None:
    body = RULE.replace("level: warning", "level: loud").replace("swap: {gratis: kostenlos}", "swap: [gratis]")
    problems = problems_of(make_set(tmp_path / "g", rules={"terms.yaml": body}))
    assert any(":4:" in p and "rules.0.level" in p for p in problems), problems
    assert any(":6:" in p and "rules.0.swap" in p for p in problems), problems


def test_unknown_rule_type(tmp_path: Path) -> None:
    body = RULE.replace("type: substitution", "type: spellcheck")
    (problem,) = problems_of(make_set(tmp_path / "g", rules={"terms.yaml": body}))
    assert "unknown rule type 'spellcheck'" in problem and ":2:" in problem


def test_duplicate_ids_across_files_name_both_places(tmp_path: Path) -> None:
    folder = make_set(tmp_path / "g", rules={"a.yaml": RULE, "b.yaml": RULE})
    (problem,) = problems_of(folder)
    assert "duplicate rule id 'term.gratis'" in problem
    assert str(folder / "rules" / "b.yaml") in problem and "a.yaml:2" in problem


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    body = RULE.replace("    level: warning\n", "    level: warning\n    level: error\n")
    (problem,) = problems_of(make_set(tmp_path / "g", rules={"terms.yaml": body}))
    assert "duplicate key" in problem and ":5:5:" in problem


def test_regex_that_does_not_compile(tmp_path: Path) -> None:
    body = RULE.replace("swap: {gratis: kostenlos}", "swap: {'gra(tis': kostenlos}")
    (problem,) = problems_of(make_set(tmp_path / "g", rules={"terms.yaml": body}))
    assert "does not compile" in problem and "terms.yaml:6" in problem


def test_existence_pattern_that_does_not_compile(tmp_path: Path) -> None:
    body = """\
    rules:
      - id: bad.pattern
        type: existence
        level: info
        category: term
        patterns: ['ok', '[unclosed']
        message: x
    """
    (problem,) = problems_of(make_set(tmp_path / "g", rules={"t.yaml": body}))
    assert "does not compile" in problem and "patterns.1" in problem and "t.yaml:6" in problem


def test_unknown_placeholder_in_message(tmp_path: Path) -> None:
    body = RULE.replace("Schreib {replacement} statt {match}.", "Schreib {korrektur}.")
    (problem,) = problems_of(make_set(tmp_path / "g", rules={"terms.yaml": body}))
    assert "unknown placeholder(s) korrektur" in problem and "rules.0.message" in problem


def test_unknown_channel_in_scope(tmp_path: Path) -> None:
    body = RULE.replace("    category: term\n", "    category: term\n    channels: [tiktok]\n")
    (problem,) = problems_of(make_set(tmp_path / "g", rules={"terms.yaml": body}))
    assert "unknown channel(s) tiktok" in problem


def test_yaml_syntax_error_has_position(tmp_path: Path) -> None:
    folder = make_set(tmp_path / "g", rules={"terms.yaml": "rules:\n  - id: [unclosed\n"})
    (problem,) = problems_of(folder)
    assert "YAML syntax error" in problem and "terms.yaml:3" in problem


def test_no_code_runs_from_yaml(tmp_path: Path) -> None:
    body = "rules: !!python/object/apply:os.system ['echo pwned']\n"
    (problem,) = problems_of(make_set(tmp_path / "g", rules={"terms.yaml": body}))
    assert "terms.yaml" in problem and "python/object" in problem


def test_missing_set_file(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (problem,) = problems_of(tmp_path / "empty")
    assert "missing guidelines.yaml" in problem


def test_layering_extends_default_disables_and_overrides(tmp_path: Path) -> None:
    local = make_set(
        tmp_path / "local",
        set_yaml="""\
        name: team-bonn
        version: "7"
        extends: default
        disable: [tone.exclamations]
        override:
          term.competitor: {level: info}
        """,
        rules={"extra.yaml": RULE},
    )
    gs = load_guidelines(local)
    ids = {r.id for r in gs.rules}
    assert "tone.exclamations" not in ids and "term.gratis" in ids and "length.limit" in ids
    assert gs.rule("term.competitor").level.value == "info"
    assert gs.name == "team-bonn" and len(gs.goals) == 3  # goals and channels come from the default
    result = Checker(gs).check("Wow!! Besser als Vodafone, und gratis. #Werkstolz", "x")
    by_rule = {f.rule: f for f in result.findings}
    assert "tone.exclamations" not in by_rule
    assert by_rule["term.competitor"].severity.value == "info"
    assert by_rule["term.gratis"].replacements == ("kostenlos",)


def test_local_rule_with_same_id_replaces_the_central_one(tmp_path: Path) -> None:
    replacement = RULE.replace("term.gratis", "tone.exclamations")
    local = make_set(
        tmp_path / "local",
        set_yaml='name: t\nversion: "1"\nextends: default\n',
        rules={"x.yaml": replacement},
    )
    gs = load_guidelines(local)
    rule = gs.rule("tone.exclamations")
    assert rule.type == "substitution"
    assert sum(1 for r in gs.rules if r.id == "tone.exclamations") == 1


def test_disable_and_override_of_unknown_ids_are_errors(tmp_path: Path) -> None:
    local = make_set(
        tmp_path / "local",
        set_yaml="""\
        name: t
        version: "1"
        extends: default
        disable: [no.such-rule]
        override:
          also.missing: {level: info}
        """,
        rules={},
    )
    problems = problems_of(local)
    assert any("no rule with id 'no.such-rule'" in p and ":4:" in p for p in problems), problems
    assert any("also.missing" in p and ":6:" in p for p in problems), problems


def test_override_with_invalid_value_points_at_the_override(tmp_path: Path) -> None:
    local = make_set(
        tmp_path / "local",
        set_yaml='name: t\nversion: "1"\nextends: default\noverride:\n  tone.exclamations: {level: shout}\n',
        rules={},
    )
    (problem,) = problems_of(local)
    assert str(local / "guidelines.yaml") in problem and "level" in problem


def test_extends_cycle_is_an_error(tmp_path: Path) -> None:
    a = tmp_path / "a"
    b = tmp_path / "b"
    make_set(a, set_yaml=SET + "extends: ../b\n", rules={})
    make_set(b, set_yaml=SET + "extends: ../a\n", rules={})
    (problem,) = problems_of(a)
    assert "cycle" in problem


def test_channel_limits_are_data(tmp_path: Path) -> None:
    local = make_set(
        tmp_path / "local",
        set_yaml="""\
        name: t
        version: "1"
        extends: default
        channels:
          x: {label: X, counter: twitter, limit: 100}
          threads: null
        """,
        rules={},
    )
    gs = load_guidelines(local)
    assert gs.channels["x"].limit == 100 and "threads" not in gs.channels
    result = Checker(gs).check("a" * 150 + " #Werkstolz", "x")
    assert result.length.limit == 100 and any(f.rule == "length.limit" for f in result.findings)


@pytest.mark.parametrize(
    "body",
    [
        "x: &x [*x]\nrules: []\n",
        "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\nrules: []\n",
        "x: " + "[" * 400 + "]" * 400 + "\nrules: []\n",
    ],
    ids=["self-alias", "alias-expansion", "deep-nesting"],
)
def test_aliases_and_deep_nesting_are_refused_quickly(tmp_path: Path, body: str) -> None:
    (problem,) = problems_of(make_set(tmp_path / "g", rules={"r.yaml": body}))
    assert "r.yaml:1:" in problem and ("aliases are not supported" in problem or "nested deeper" in problem)


def test_a_swap_pattern_is_compiled_on_its_own(tmp_path: Path) -> None:
    body = RULE.replace("swap: {gratis: kostenlos}", "swap: {'a[': b}")
    (problem,) = problems_of(make_set(tmp_path / "g", rules={"terms.yaml": body}))
    assert "does not compile" in problem and "swap.a[" in problem


@pytest.mark.parametrize(
    ("text", "german"),
    [
        ("rules:\n  - id: [offen\n    type: x\n", "YAML-Syntaxfehler: eine Liste wird nicht mit „]“ geschlossen"),
        ("rules:\n  - id: {offen\n    type: x\n", "YAML-Syntaxfehler: ein Objekt wird nicht mit"),
        ("rules:\n  - id: @x\n", "YAML-Syntaxfehler: ein Zeichen, mit dem kein YAML-Wert beginnen kann"),
        ("a: &\n", "YAML-Syntaxfehler: ein YAML-Anker (&) oder Alias (*) ohne Namen"),
    ],
)
def test_yaml_syntax_errors_are_as_precise_in_german(tmp_path: Path, text: str, german: str) -> None:
    """New-user probe: an unclosed "[" was only "YAML-Syntaxfehler" in German, while the CLI said "did not
    find expected ',' or ']'"."""
    from drafter.guidelines import GuidelineError, _read_yaml

    path = tmp_path / "zz-broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GuidelineError) as caught:
        _read_yaml(path)
    [problem] = caught.value.problems
    assert problem.message_in("de").startswith(german), problem.message_in("de")
    assert problem.message_in("en").startswith("YAML syntax error: "), problem.message_in("en")


def test_an_unknown_yaml_problem_is_quoted_as_the_parsers_words() -> None:
    from drafter.brief_import import _syntax_detail

    said = _syntax_detail("yaml", "found something odd")
    assert said.text("de") == " – der Parser meldet: „found something odd“"
    assert said.text("en") == ""  # the English message holds the parser's words already


def test_a_file_that_is_not_utf8_names_the_line_and_column_of_the_first_bad_byte(tmp_path: Path) -> None:
    folder = make_set(tmp_path / "g")
    terms = folder / "rules" / "terms.yaml"
    lines = terms.read_bytes().split(b"\n")
    lines[5] = lines[5] + " # Gr\xfc\xdfe aus K\xf6ln".encode("latin-1")  # saved as Windows-1252 by an editor
    terms.write_bytes(b"\n".join(lines))
    (problem,) = problems_of(folder)
    column = len(lines[5].split(b"\xfc")[0].decode("utf-8")) + 1
    assert problem.startswith(f"{terms}:6:{column}:") and "not UTF-8" in problem


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b", "\x7f", "\ufffe"])
def test_a_control_character_names_its_line_and_column(tmp_path: Path, bad: str) -> None:
    """Hostile probe: a NUL, BEL or ESC in a rule file gave pyyaml's 'position 1' without a line; then libyaml's
    position, which counts bytes, put it on the wrong line and column after umlauts and emoji."""
    folder = make_set(tmp_path / "g")
    terms = folder / "rules" / "terms.yaml"
    lines = terms.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1] + "  # Grüße, „Zitate“ und 😀"
    lines[5] = lines[5] + f" # ä{bad}b"
    terms.write_text("\n".join(lines), encoding="utf-8")
    (problem,) = problems_of(folder)
    column = len(lines[5].split(bad)[0]) + 1
    assert problem.startswith(f"{terms}:6:{column}:") and f"U+{ord(bad):04X}" in problem
