"""``drafter guidelines eval``: a labelled corpus against a guideline set — counts, misses, false
errors, the quality thresholds, corpus validation, and the bundled corpus itself."""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

import pytest
import yaml

from drafter.checker import Checker
from drafter.evaluation import CorpusError, check_post, evaluate, format_text, load_corpus
from drafter.guidelines import load_guidelines

REPO = Path(__file__).resolve().parent.parent
EVAL_DIR = REPO / "guidelines" / "eval"

SET = """\
name: eval-test
version: "1"
channels:
  x: {label: X, counter: twitter, limit: 280}
  linkedin: {label: LinkedIn, limit: 3000}
goals:
  - {name: Werkstolz, hashtag: "#Werkstolz"}
quality:
  max_false_errors: 0
  min_recall_error: 0.9
  min_recall_warning: 0.8
"""

# A deliberately naive promotion rule (any "Preis" is promotion) and a competitor warning that knows
# only one competitor: the corpus below must show both weaknesses.
RULES = """\
rules:
  - id: promo.naive
    type: existence
    level: error
    category: disclosure
    tokens: [Preis, Rabatt]
    message: "Werbung?"
  - id: competitor.names
    type: existence
    level: warning
    category: competitor
    tokens: [Vodafone]
    message: "Wettbewerber"
"""

CORPUS = """\
date: 2026-11-27
posts:
  - id: promo
    channel: x
    text: "50 % Rabatt nur heute #Werkstolz"
    expect: {error: [disclosure]}
  - id: award
    channel: linkedin
    text: "Wir haben den Preis der Stiftung gewonnen #Werkstolz"
    expect: {}
  - id: comp-hit
    text: "Besser als Vodafone #Werkstolz"
    expect: {warning: [competitor]}
  - id: comp-miss
    text: "Schneller als Starlink #Werkstolz"
    expect: {warning: [competitor]}
"""


def make_set(root: Path, rules: str = RULES, set_yaml: str = SET) -> Path:
    (root / "rules").mkdir(parents=True, exist_ok=True)
    (root / "guidelines.yaml").write_text(textwrap.dedent(set_yaml), encoding="utf-8")
    (root / "rules" / "r.yaml").write_text(textwrap.dedent(rules), encoding="utf-8")
    return root


def write(path: Path, body: str) -> Path:
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def run(tmp_path: Path, corpus: str = CORPUS, rules: str = RULES):  # type: ignore[no-untyped-def]
    gs = load_guidelines(make_set(tmp_path / "g", rules))
    posts = load_corpus([write(tmp_path / "c.yaml", corpus)], gs)
    return evaluate(Checker(gs), posts)


def test_a_false_error_is_counted_listed_with_its_post_and_fails_the_threshold(tmp_path: Path) -> None:
    result = run(tmp_path)
    (false,) = result.false_errors
    assert (false.post.id, false.rule, false.match) == ("award", "promo.naive", "Preis")
    disclosure = result.categories[("error", "disclosure")]
    assert (disclosure.tp, disclosure.fp, disclosure.fn) == (1, 1, 0)
    assert disclosure.precision == 0.5 and disclosure.recall == 1.0
    assert "1 false error(s), at most 0 allowed" in result.failures
    assert not result.ok


def test_a_missed_warning_is_listed_and_lowers_the_category_recall(tmp_path: Path) -> None:
    result = run(tmp_path)
    (miss,) = result.misses
    assert (miss.post.id, miss.level, miss.label) == ("comp-miss", "warning", "competitor")
    competitor = result.categories[("warning", "competitor")]
    assert (competitor.tp, competitor.fn, competitor.recall) == (1, 1, 0.5)
    assert "warning recall of competitor is 0.50, at least 0.80 required" in result.failures


def test_fixing_the_rules_meets_the_thresholds(tmp_path: Path) -> None:
    better = RULES.replace("tokens: [Preis, Rabatt]", "tokens: [Rabatt]").replace(
        "tokens: [Vodafone]", "tokens: [Vodafone, Starlink]"
    )
    result = run(tmp_path, rules=better)
    assert result.false_findings == [] and result.misses == []
    assert result.ok and result.failures == []


def test_an_error_where_a_warning_was_expected_is_a_false_error_and_a_miss(tmp_path: Path) -> None:
    corpus = """\
    posts:
      - id: p
        text: "Rabatt? #Werkstolz"
        expect: {warning: [disclosure]}
    """
    result = run(tmp_path, corpus)
    assert [(f.post.id, f.level) for f in result.false_errors] == [("p", "error")]
    assert [(m.level, m.label, m.found) for m in result.misses] == [("warning", "disclosure", ("promo.naive",))]


def test_a_warning_where_an_error_was_expected_is_a_miss_but_no_false_warning(tmp_path: Path) -> None:
    rules = RULES.replace("level: error", "level: warning")
    corpus = """\
    posts:
      - id: p
        text: "Rabatt! #Werkstolz"
        expect: {error: [disclosure]}
    """
    result = run(tmp_path, corpus, rules)
    assert result.false_findings == []
    assert [(m.level, m.label) for m in result.misses] == [("error", "disclosure")]
    assert "error recall of disclosure is 0.00, at least 0.90 required" in result.failures


def test_a_label_may_name_a_rule(tmp_path: Path) -> None:
    corpus = """\
    posts:
      - id: p
        text: "Schneller als Starlink #Werkstolz"
        expect: {warning: [competitor.names]}
    """
    result = run(tmp_path, corpus)
    assert result.rules[("warning", "competitor.names")].fn == 1
    assert result.categories[("warning", "competitor")].fn == 1


def test_text_report_shows_untrusted_post_text_as_plain_visible_text(tmp_path: Path) -> None:
    corpus = """\
    posts:
      - id: p
        text: "Preis \\u202e\\x1b[31m gewonnen [b]x[/b] #Werkstolz"
        expect: {}
    """
    report = format_text(run(tmp_path, corpus))
    assert "\x1b" not in report and "\u202e" not in report
    assert "\\x1b[31m" in report and "\\u202e" in report and "[b]x[/b]" in report


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "posts:\n  - id: a\n    text: hi\n    channel: fax\n",
            "c.yaml:4:5: field 'posts.0.channel': unknown channel 'fax'",
        ),
        (
            "posts:\n  - id: a\n    text: hi\n    expect: {eror: [x]}\n",
            "c.yaml:4:14: field 'posts.0.expect.eror': unknown key",
        ),
        (
            "posts:\n  - id: a\n    text: hi\n  - id: a\n    text: ho\n",
            "c.yaml:4:5: field 'posts.1.id': duplicate post id 'a'",
        ),
        ("posts:\n  - id: a\n    text: hi\n    expect: {error: [Disclosure!]}\n", "field 'posts.0.expect'"),
        ("posts:\n  - id: a\n    text: hi\n    brief: {title: T}\n", "field 'posts.0.brief': business_unit"),
        ("posts: [\n", "YAML syntax error"),
        # a value YAML cannot build keeps its field (a hostile probe: it was dropped)
        (
            "posts:\n  - id: a\n    text: hi\n    date: 2026-02-30\n",
            "c.yaml:4:11: field 'posts.0.date': day is out of range",
        ),
        ("- just a list\n", "expected a mapping with 'posts:'"),
    ],
)
def test_corpus_errors_name_file_line_and_field(tmp_path: Path, body: str, expected: str) -> None:
    gs = load_guidelines(make_set(tmp_path / "g"))
    good = write(tmp_path / "a-good.yaml", "posts:\n  - id: ok\n    text: fine #Werkstolz\n")
    bad = tmp_path / "c.yaml"
    bad.write_text(body, encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_corpus([good, bad], gs)  # all or nothing: the good file does not make it through alone
    assert expected in str(info.value)
    assert info.value.exit_code == 2


def test_a_folder_is_read_recursively_and_a_missing_path_is_an_error(tmp_path: Path) -> None:
    gs = load_guidelines(make_set(tmp_path / "g"))
    (tmp_path / "c" / "sub").mkdir(parents=True)
    write(tmp_path / "c" / "one.yaml", "posts:\n  - id: a\n    text: x\n")
    write(tmp_path / "c" / "sub" / "two.yml", "posts:\n  - id: b\n    text: y\n")
    assert [p.id for p in load_corpus([tmp_path / "c"], gs)] == ["a", "b"]
    with pytest.raises(CorpusError, match="no such file or folder"):
        load_corpus([tmp_path / "nope.yaml"], gs)


def test_quality_is_layered_field_by_field(tmp_path: Path) -> None:
    base = make_set(tmp_path / "base")
    team = tmp_path / "team"
    (team / "rules").mkdir(parents=True)
    write(
        team / "guidelines.yaml", f'name: team\nversion: "1"\nextends: {base}\nquality: {{min_recall_warning: 0.95}}\n'
    )
    quality = load_guidelines(team).quality
    assert (quality.max_false_errors, quality.min_recall_error, quality.min_recall_warning) == (0, 0.9, 0.95)


def test_a_bad_quality_value_names_the_field(tmp_path: Path) -> None:
    from drafter.guidelines import GuidelineError

    folder = make_set(tmp_path / "g", set_yaml=SET.replace("min_recall_error: 0.9", "min_recall_error: 9"))
    with pytest.raises(GuidelineError, match=r"guidelines.yaml:10:3: field 'quality.min_recall_error'"):
        load_guidelines(folder)


# --------------------------------------------------------------------------------------------------
# The bundled corpus
# --------------------------------------------------------------------------------------------------
def test_bundled_corpus_is_large_varied_and_keeps_a_held_out_part(default_guidelines) -> None:  # type: ignore[no-untyped-def]
    tuning = load_corpus([EVAL_DIR / "tuning.yaml"], default_guidelines)
    heldout = load_corpus([EVAL_DIR / "heldout.yaml"], default_guidelines)
    everything = [*tuning, *heldout]
    assert len(everything) >= 200
    assert 0.25 <= len(heldout) / len(everything) <= 0.35
    assert set(Counter(p.channel for p in everything)) == set(default_guidelines.channels)
    for goal in default_guidelines.goals:
        assert sum(goal.hashtag.casefold() in p.text.casefold() for p in heldout) >= 5, goal.hashtag
    assert sum(p.lang == "en" for p in everything) >= 10
    labels = Counter(label for p in everything for level in ("error", "warning") for label in p.expected[level])
    for category in ("disclosure", "confidentiality", "term", "competitor"):
        assert labels[category] >= 10, category
    clean = [p for p in everything if not p.expected["error"] and not p.expected["warning"]]
    assert len(clean) >= 60  # the traps: honest posts that must stay quiet


def test_bundled_corpus_files_are_plain_yaml() -> None:
    for path in EVAL_DIR.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(data) == {"date", "posts"}


# --------------------------------------------------------------------------------------------------
# The default rules on the bundled corpus (issue 10's figures; README and guidelines/README.md)
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "tuning.yaml",
        "tuning2.yaml",
        "tuning3.yaml",
        "tuning4.yaml",
        "tuning5.yaml",
        "heldout-blind.yaml",
        "heldout-blind2.yaml",
        "tuning5-blind3.yaml",
        "tuning6.yaml",
        "tuning6-blind6.yaml",
        "tuning7.yaml",
        "tuning7-blind7.yaml",
        "tuning7a.yaml",
        "tuning7b.yaml",
        "tuning8.yaml",
        "tuning10.yaml",
        "tuning10-probe.yaml",
        "tuning12.yaml",
        "tuning15.yaml",
        "tuning16.yaml",
        "tuning18.yaml",
        "tuning21.yaml",
        "tuning22.yaml",
        "tuning23.yaml",
        "tuning24.yaml",
        "tuning25.yaml",
        "tuning25-blind17.yaml",
        "tuning26.yaml",
        "tuning26-blind14.yaml",
        "tuning27.yaml",
        "tuning27-blind15.yaml",
        "tuning27-blind18.yaml",
        "tuning27-blind19.yaml",
        "tuning28.yaml",
        "tuning28-blind20.yaml",
        "tuning28-blind21.yaml",
        "tuning29.yaml",
        "tuning29-blind22.yaml",
        "tuning30.yaml",
        "tuning30-blind24.yaml",
        "tuning31.yaml",
        "tuning31-blind26.yaml",
        "tuning32.yaml",
        "tuning32-blind28.yaml",
        "tuning32-blind29.yaml",
        "tuning33.yaml",
        "tuning33-blind31.yaml",
    ],
)
def test_default_rules_meet_the_quality_targets_on_the_tuning_part(checker, name: str) -> None:  # type: ignore[no-untyped-def]
    result = evaluate(checker, load_corpus([EVAL_DIR / name], checker.guidelines))
    assert result.failures == [], format_text(result)


@pytest.mark.parametrize(
    ("name", "posts"),
    [
        ("tuning9a.yaml", 150),
        ("tuning9b.yaml", 150),
        ("tuning11a.yaml", 150),
        ("tuning11b.yaml", 150),
        ("tuning13a.yaml", 150),
        ("tuning13b.yaml", 150),
        ("tuning13c.yaml", 150),
        ("tuning14a.yaml", 150),
        ("tuning14b.yaml", 150),
        ("tuning17b.yaml", 150),
        ("heldout-blind11.yaml", 110),
        ("heldout-blind13.yaml", 110),
        ("tuning19a.yaml", 150),
        ("tuning19b.yaml", 150),
        ("tuning20a.yaml", 150),
        ("tuning20b.yaml", 150),
        ("tuning12-probe.yaml", 30),
    ],
)
def test_no_false_error_on_the_blind_written_and_probe_files(checker, name: str, posts: int) -> None:  # type: ignore[no-untyped-def]
    """tuning9a/9b, tuning11a/11b, tuning13a/13b/13c, tuning14a/14b, tuning17b, heldout-blind11, heldout-blind13,
    tuning19a/19b and tuning20a/20b
    (written blind, then the learned scorers' training data; tuning17a keeps one false error, see
    guidelines/README.md, "Twelfth round")
    and tuning12-probe (the tenth round's new-user probe's own posts, not trained on) are not held to the recall
    targets — their casual and long phrasings are what the cue rules do not know yet (see guidelines/README.md,
    "Ninth round" and "Tenth round") — but nothing may block an honest post of theirs."""
    result = evaluate(checker, load_corpus([EVAL_DIR / name], checker.guidelines))
    assert result.posts == posts
    assert result.false_errors == [], format_text(result)


def test_the_sixteenth_blind_set_read_for_the_seventeenth_round_blocks_no_honest_post_but_one(checker) -> None:  # type: ignore[no-untyped-def]
    """tuning24-blind16 (heldout-blind16 until it was read; not trained on) had six false errors; five were families
    the seventeenth round fixed in the rules (a new line between "bekommen" and "Kostenlos", pay in a job ad, "the
    last mortgage instalment on the house", "Das hier ist Werbung", "aren't out until late February"). The sixth,
    a toy bought "for €12.99" in a post that names no product, is left (guidelines/README.md, "Seventeenth
    session"): no other honest post may be blocked."""
    result = evaluate(checker, load_corpus([EVAL_DIR / "tuning24-blind16.yaml"], checker.guidelines))
    assert result.posts == 110
    assert {f.post.id for f in result.false_errors} <= {"h16044"}, format_text(result)


def test_the_new_families_of_the_eighteenth_session_are_found_and_their_look_alikes_are_not(checker) -> None:  # type: ignore[no-untyped-def]
    """tuning25 holds the families tuning25-blind17 showed with their honest look-alikes; each look-alike stays
    clean and each family is found at the level its label says (guidelines/README.md, "Eighteenth session")."""
    posts = {p.id: p for p in load_corpus([EVAL_DIR / "tuning25.yaml"], checker.guidelines)}
    found = {}
    for pid, post in posts.items():
        shown = check_post(checker, post).findings
        found[pid] = {(f.severity.value, f.category) for f in shown if f.severity.value in ("error", "warning")}
    assert ("warning", "hashtag") in found["t25003"] and ("error", "hashtag") not in found["t25003"]
    assert not found["t25004"] and not found["t25005"]  # "C#", a URL's fragment
    assert not found["t25006"] and not found["t25007"] and not found["t25009"] and not found["t25010"]
    assert ("error", "disclosure") in found["t25008"]  # "obwohl ich nicht bei der Telekom arbeite"
    assert ("error", "disclosure") in found["t25011"]  # the father worked there
    assert not found["t25012"] and not found["t25014"] and not found["t25015"]
    assert ("error", "confidentiality") in found["t25016"] and not found["t25018"] and not found["t25019"]
    assert ("error", "confidentiality") in found["t25020"]
    assert found["t25021"] == {("warning", "confidentiality")}
    assert ("error", "confidentiality") in found["t25024"] and not found["t25026"]
    assert ("error", "confidentiality") in found["t25027"] and not found["t25028"]
    assert ("warning", "competitor") in found["t25029"] and not found["t25030"]


def test_the_families_of_the_fourteenth_blind_set_are_found_and_their_look_alikes_are_not(checker) -> None:  # type: ignore[no-untyped-def]
    """tuning26 holds the families tuning26-blind14 showed: news heard inside or told ahead of the press is an error
    next to its detail, a wink alone a warning, and the same words about private things nothing
    (guidelines/README.md, "Eighteenth session")."""
    posts = {p.id: p for p in load_corpus([EVAL_DIR / "tuning26.yaml"], checker.guidelines)}
    found = {}
    for pid, post in posts.items():
        shown = check_post(checker, post).findings
        found[pid] = {(f.severity.value, f.category) for f in shown if f.severity.value in ("error", "warning")}
    for pid in ("t26001", "t26002", "t26004", "t26005", "t26006", "t26007", "t26008", "t26009", "t26010", "t26011"):
        assert ("error", "confidentiality") in found[pid], pid
    for pid in ("t26013", "t26014", "t26015", "t26016", "t26017"):
        assert found[pid] == {("warning", "confidentiality")}, pid
    for pid in ("t26019", "t26020", "t26021", "t26022", "t26023", "t26025", "t26027", "t26028", "t26030"):
        assert not found[pid], pid
    assert ("error", "confidentiality") in found["t26024"]  # one's own home address
    assert ("error", "disclosure") in found["t26026"]  # a phone at €1
    assert found["t26029"] == {("warning", "disclosure")}  # "Glasfaser 1000" as a tariff


def test_third_tuning_part_covers_its_families_with_variants_and_traps(default_guidelines) -> None:  # type: ignore[no-untyped-def]
    posts = load_corpus([EVAL_DIR / "tuning3.yaml"], default_guidelines)
    assert len(posts) >= 60
    assert all(p.id.startswith("t3") for p in posts)
    assert set(Counter(p.channel for p in posts)) == set(default_guidelines.channels)
    for goal in default_guidelines.goals:
        assert sum(goal.hashtag.casefold() in p.text.casefold() for p in posts) >= 10, goal.hashtag
    assert 0.2 <= sum(p.lang == "en" for p in posts) / len(posts) <= 0.45  # German first, English too
    labelled = Counter((level, label) for p in posts for level in ("error", "warning") for label in p.expected[level])
    assert labelled["error", "disclosure"] >= 10 and labelled["error", "confidentiality"] >= 10
    assert labelled["warning", "confidentiality"] >= 5 and labelled["warning", "competitor"] >= 5
    assert labelled["warning", "tone"] >= 2
    clean = [p for p in posts if not p.expected["error"] and not p.expected["warning"]]
    assert len(clean) >= 40  # the honest look-alikes of each family


def test_fourth_tuning_part_covers_its_families_with_variants_and_traps(default_guidelines) -> None:  # type: ignore[no-untyped-def]
    posts = load_corpus([EVAL_DIR / "tuning4.yaml"], default_guidelines)
    assert len(posts) >= 60
    assert all(p.id.startswith("t4") for p in posts)
    assert set(Counter(p.channel for p in posts)) == set(default_guidelines.channels)
    for goal in default_guidelines.goals:
        assert sum(goal.hashtag.casefold() in p.text.casefold() for p in posts) >= 10, goal.hashtag
    assert 0.25 <= sum(p.lang == "en" for p in posts) / len(posts) <= 0.45  # German ~2/3, English ~1/3
    labelled = Counter((level, label) for p in posts for level in ("error", "warning") for label in p.expected[level])
    # each family of heldout-blind2.yaml with several variants
    assert labelled["warning", "term"] >= 5 and labelled["warning", "competitor"] >= 5
    assert labelled["error", "disclosure"] >= 8 and labelled["error", "confidentiality"] >= 3
    assert labelled["warning", "tone"] >= 3 and labelled["warning", "link"] >= 3
    clean = [p for p in posts if not p.expected["error"] and not p.expected["warning"]]
    assert len(clean) >= 25  # the honest look-alikes: Magnet, Magento, Speedboot, other years, job perks …


def test_fifth_tuning_part_covers_its_families_with_variants_and_traps(default_guidelines) -> None:  # type: ignore[no-untyped-def]
    posts = load_corpus([EVAL_DIR / "tuning5.yaml"], default_guidelines)
    assert len(posts) >= 40
    assert all(p.id.startswith("t5") for p in posts)
    assert set(Counter(p.channel for p in posts)) == set(default_guidelines.channels)
    for goal in default_guidelines.goals:
        assert sum(goal.hashtag.casefold() in p.text.casefold() for p in posts) >= 10, goal.hashtag
    assert 0.25 <= sum(p.lang == "en" for p in posts) / len(posts) <= 0.45  # German first, English too
    labelled = Counter((level, label) for p in posts for level in ("error", "warning") for label in p.expected[level])
    # each family of the third blind set (now tuning5-blind3.yaml) with several variants
    assert labelled["error", "confidentiality"] >= 12 and labelled["warning", "confidentiality"] >= 5
    assert labelled["warning", "competitor"] >= 6 and labelled["error", "disclosure"] >= 3
    clean = [p for p in posts if not p.expected["error"] and not p.expected["warning"]]
    assert len(clean) >= 15  # the honest look-alikes: a shop's address, contests, job applications, flat white …


def test_sixth_tuning_part_covers_its_families_with_variants_and_traps(default_guidelines) -> None:  # type: ignore[no-untyped-def]
    posts = load_corpus([EVAL_DIR / "tuning6.yaml"], default_guidelines)
    assert len(posts) >= 40
    assert all(p.id.startswith("t6") for p in posts)
    assert set(Counter(p.channel for p in posts)) == set(default_guidelines.channels)
    for goal in default_guidelines.goals:
        assert sum(goal.hashtag.casefold() in p.text.casefold() for p in posts) >= 10, goal.hashtag
    assert 0.25 <= sum(p.lang == "en" for p in posts) / len(posts) <= 0.55  # German and English
    labelled = Counter((level, label) for p in posts for level in ("error", "warning") for label in p.expected[level])
    # each family of the sixth blind set (now tuning6-blind6.yaml) with several variants
    assert labelled["error", "confidentiality"] >= 15 and labelled["warning", "confidentiality"] >= 5
    assert labelled["error", "disclosure"] >= 6 and labelled["warning", "disclosure"] >= 2
    assert labelled["warning", "tone"] >= 2
    clean = [p for p in posts if not p.expected["error"] and not p.expected["warning"]]
    assert len(clean) >= 12  # the honest look-alikes: donations, podcasts, volunteer days, job ads, IT lists …


def test_seventh_tuning_part_covers_its_families_with_variants_and_traps(default_guidelines) -> None:  # type: ignore[no-untyped-def]
    posts = load_corpus([EVAL_DIR / "tuning7.yaml"], default_guidelines)
    assert 80 <= len(posts) <= 120
    assert all(p.id.startswith("t7") for p in posts)
    assert set(Counter(p.channel for p in posts)) == set(default_guidelines.channels)
    for goal in default_guidelines.goals:
        assert sum(goal.hashtag.casefold() in p.text.casefold() for p in posts) >= 10, goal.hashtag
    assert 0.25 <= sum(p.lang == "en" for p in posts) / len(posts) <= 0.55  # German and English
    labelled = Counter((level, label) for p in posts for level in ("error", "warning") for label in p.expected[level])
    # each family of the seventh blind set (now tuning7-blind7.yaml) with many variants
    assert labelled["error", "disclosure"] >= 30 and labelled["error", "confidentiality"] >= 8
    assert labelled["warning", "confidentiality"] >= 8 and labelled["warning", "competitor"] >= 6
    assert labelled["warning", "tone"] >= 4 and labelled["warning", "term"] >= 3
    clean = [p for p in posts if not p.expected["error"] and not p.expected["warning"]]
    assert len(clean) >= 40  # the honest look-alikes: distances, pay, donations, "Die Hälfte des Teams", acronyms …


def test_misspelt_brand_names_off_the_list_are_found_and_real_words_near_them_are_not(checker) -> None:  # type: ignore[no-untyped-def]
    def near(text: str) -> list[tuple[str, tuple[str, ...]]]:
        found = checker.check(text, channel="linkedin").findings
        return [(text[f.start : f.end], f.replacements) for f in found if f.rule == "term.brand-near-miss"]

    assert near("Der Stand war ganz in Magneta. #LoveMagenta") == [("Magneta", ("Magenta",))]
    assert near("I swap 12 Speedpots a week. #WeWontStop") == [("Speedpots", ("Speedport",))]
    clean = "Ein Magnet, Magento, das Speedboot, des Telekoms Farbe, 20 years in telecom, magenta Socken. #Werkstolz"
    assert near(clean) == []


def test_default_rules_on_the_held_out_part_are_no_worse_than_documented(checker) -> None:  # type: ignore[no-untyped-def]
    result = evaluate(checker, load_corpus([EVAL_DIR / "heldout.yaml"], checker.guidelines))
    # every error category found at least 9 times in 10, every warning category 8 in 10 ...
    assert [f for f in result.failures if "recall" in f] == [], format_text(result)
    # ... and no false error (h069, a wink at unpublished figures, was one until leaks got severity by
    # confidence; see guidelines/README.md)
    assert result.false_errors == []
    assert result.false_warnings == []
