"""The learned scorer (issue 10): training is reproducible, a model file is validated like any guideline
file, a scored finding names its sentence and words, a post that discloses is never scored, the lint path
never imports numpy, and hostile input stays bounded."""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from drafter.checker import Checker
from drafter.drafting import check_draft
from drafter.findings import Severity
from drafter.guidelines import GuidelineError, load_guidelines
from drafter.scorer import LINE_CACHE, MAX_SCORED_CHARS, ScoreModel, line_features, post_counts, sigmoid

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO / "guidelines" / "eval"

SET = """\
name: scorer-test
version: "1"
channels:
  linkedin: {label: LinkedIn, counter: characters, limit: 3000}
goals:
  - {name: Werkstolz, hashtag: "#Werkstolz"}
"""

RULES = """\
rules:
  - id: disclosure.employment
    type: conditional
    level: warning
    category: disclosure
    message: {de: "Offenlegen.", en: "Disclose."}
    sure: {tokens: [Rabatt]}
    require: {patterns: ['ich arbeite bei der telekom']}
    scored_by:
      model: models/promotion.yaml
      message:
        de: "Klingt nach Werbung ({words})."
        en: "Reads like an advert ({words})."
"""

MODEL = {
    "format": 1,
    "features": 3,
    "family": "promotion",
    "label": "disclosure",
    "intercept": -2.0,
    "error_at": 0.9,
    "warning_at": 0.5,
    "weights": {"w:lau": 30.0, "c:route": 10.0, "b:für lau": 20.0, "w:team": -5.0},
    "provenance": {},
}


def folder(tmp_path: Path, model: dict | str = MODEL) -> Path:  # type: ignore[type-arg]
    root = tmp_path / "set"
    (root / "rules").mkdir(parents=True)
    (root / "models").mkdir()
    (root / "guidelines.yaml").write_text(SET, encoding="utf-8")
    (root / "rules" / "rules.yaml").write_text(RULES, encoding="utf-8")
    text = model if isinstance(model, str) else yaml.safe_dump(model, sort_keys=False, allow_unicode=True)
    (root / "models" / "promotion.yaml").write_text(text, encoding="utf-8")
    return root


# --------------------------------------------------------------------------------------------------
# at check time
# --------------------------------------------------------------------------------------------------
def test_a_scored_finding_underlines_the_top_sentence_and_names_its_words(tmp_path: Path) -> None:
    checker = Checker(load_guidelines(folder(tmp_path)), lang="en")
    text = "Heute war ein guter Tag im Team.\nDen neuen Router gibt es gerade für lau. Fragt mich einfach."
    found = [f for f in checker.check(text).findings if f.rule == "disclosure.employment"]
    assert len(found) == 1
    finding = found[0]
    assert finding.severity is Severity.ERROR
    assert text[finding.start : finding.end] == "Den neuen Router gibt es gerade für lau."
    assert finding.message == "Reads like an advert (“lau”, “für”, “Router”)."
    # the same words, weighed too little: a warning; none at all: nothing
    weak = dict(MODEL, intercept=-5.0)
    checker = Checker(load_guidelines(folder(tmp_path / "weak", weak)), lang="en")
    assert [f.severity for f in checker.check(text).findings if f.rule == "disclosure.employment"] == [Severity.WARNING]
    assert not [f for f in checker.check("Heute war ein guter Tag im Team.").findings if f.category == "disclosure"]


def test_a_sure_cue_keeps_its_own_finding(tmp_path: Path) -> None:
    checker = Checker(load_guidelines(folder(tmp_path)), lang="en")
    text = "Jetzt 20 % Rabatt auf den Router, für lau gibt es nichts."
    found = [f for f in checker.check(text).findings if f.rule == "disclosure.employment"]
    assert [(f.message, f.match) for f in found] == [("Disclose.", "Rabatt")]


def test_no_scored_finding_when_the_post_discloses(tmp_path: Path) -> None:
    gs = load_guidelines(folder(tmp_path))
    checker = Checker(gs, lang="en")
    text = "Den neuen Router gibt es gerade für lau."
    assert any(f.category == "disclosure" for f in checker.check(text).findings)  # the check below can fail
    assert not any(f.category == "disclosure" for f in checker.check(text + " Ich arbeite bei der Telekom.").findings)
    # the profile's marker counts where the guidelines read it as a disclosure (here: their one phrase) ...
    marker = "Ich arbeite bei der Telekom"
    marked = check_draft(checker, text + " " + marker, channels=["linkedin"], disclosure_marker=marker)
    assert not any(f.category == "disclosure" for f in marked.findings)
    # ... and not where they do not: "#TeamMagenta" says nothing of who writes
    unread = check_draft(checker, text + " #TeamMagenta", channels=["linkedin"], disclosure_marker="#TeamMagenta")
    assert any(f.category == "disclosure" for f in unread.findings)


def test_unless_cues_keep_the_model_from_being_asked(tmp_path: Path) -> None:
    """``scored_by.unless``: where one of its cues matches (the post says its news is public), the model is
    not asked; a pattern of it that does not compile is a guideline error naming the field."""
    rules = RULES + "      unless: {patterns: ['pressemitteilung\\s+ist\\s+raus']}\n"
    root = folder(tmp_path)
    (root / "rules" / "rules.yaml").write_text(rules, encoding="utf-8")
    checker = Checker(load_guidelines(root), lang="en")
    text = "Den neuen Router gibt es gerade für lau."
    assert [f.severity for f in checker.check(text).findings] == [Severity.ERROR]
    assert checker.check(text + " Die Pressemitteilung ist raus.").findings == []
    assert [f.severity for f in checker.check(text + " Die Pressemitteilung ist bald raus.").findings] == [
        Severity.ERROR
    ]
    (root / "rules" / "rules.yaml").write_text(rules.replace("raus']", "raus(']"), encoding="utf-8")
    with pytest.raises(GuidelineError, match=r"rules\.yaml:\d+:\d+: field 'rules\.0\.scored_by\.unless\.patterns\.0'"):
        load_guidelines(root)


def test_the_bundled_scorer_finds_an_offer_told_as_a_tip(checker: Checker) -> None:
    """A phrasing written for this test (in no corpus file): no cue of the rules is sure of it."""
    text = (
        "Kleiner Tipp für alle, die noch überlegen: Wer bis Monatsende wechselt, bekommt den Router dazu. "
        "Meldet euch bei mir! #WeWontStop"
    )
    found = [f for f in checker.check(text, lang="de").findings if f.rule == "disclosure.employment"]
    assert [f.severity for f in found] == [Severity.ERROR]
    named = re.findall(r"„([^“]+)“", found[0].message)  # the words that drove it, as written in the post
    assert 1 <= len(named) <= 3 and all(word in text for word in named), found[0].message
    rule = checker.guidelines.rule("disclosure.employment")
    model = rule.scored_by._model
    try:
        rule.scored_by._model = None  # without the scorer the rules see no error here
        assert not [f for f in Checker(checker.guidelines).check(text).findings if f.severity is Severity.ERROR]
    finally:
        rule.scored_by._model = model


def test_the_check_scores_a_post_exactly_as_training_counts_it() -> None:
    """The check sums cached per-word and per-pair weights; training counts the features (a word or pair at
    most three times a line, a repeated line once): both give the same score, also after one line changed
    (its cache entry is new)."""
    weights = {"w:lau": 1.5, "c:<rout": 0.7, "c:route": -0.2, "b:für lau": 2.0, "w:<price>": 0.4, "w:€": 0.3}
    model = ScoreModel(weights, -1.0, 0.9, 0.5)
    for text in (
        "Router für lau, für lau!\nNur 39,95 € – Router Router\n\n#tag @handle lau",
        "Router für lau, für lau!\nNur 49,95 € – Router\n\n#tag @handle lau lau",
    ):
        counts, total = post_counts(text)
        assert counts["w:lau"] == text.count("lau") and counts["b:für lau"] == 2  # as often as written
        expected = sigmoid(-1.0 + sum(w * counts.get(f, 0) for f, w in weights.items()) / math.sqrt(total))
        assert model.probability(text) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_a_line_is_tokenised_by_chunks_exactly_as_by_one_search() -> None:
    """The check finds a line's words chunk by chunk (cached); on every line of the corpus, and on lines
    built to cross the tokens' edges, that gives the words one search over the whole line gives."""
    from drafter.scorer import _WORDS, _shape, line_words

    lines = [
        "15th\u00a0floor 3.000,50€ 12:30/14:00 #tag@x ＃Tag 2.\u2003Mai 100%ige x1y2 a_b 🚀Netz…wow",
        "\x1cfile\x1dsep 9.\t€5 $£ 1.2.3. 4th5th",
    ]
    for path in sorted(EVAL.glob("*.yaml")):
        for post in yaml.safe_load(path.read_text(encoding="utf-8"))["posts"]:
            lines.extend(post["text"].split("\n"))
    assert len(lines) > 3_000
    for line in lines:
        assert line_words(line) == [_shape(w) for w in _WORDS.findall(line) if w], line


# --------------------------------------------------------------------------------------------------
# the model file is a guideline file
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"error_at": 1.5}, "error_at"),
        ({"warning_at": 0.95}, ""),  # above error_at
        ({"weights": {"w:lau": "viel"}}, "weights.w:lau"),
        ({"weights": {"lau": 1.0}}, "weights"),
        ({"weights": {"w:la\u202eu": 1.0}}, "weights"),  # a bidi override in a feature name
        ({"weights": {"b:für\x1blau": 1.0}}, "weights"),  # a control character, and no space
        ({"features": 99}, "features"),
        ({"intercept": float("nan")}, "intercept"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_a_malformed_model_file_is_a_guideline_error_with_file_line_and_field(
    tmp_path: Path,
    change: dict,
    field: str,  # type: ignore[type-arg]
) -> None:
    with pytest.raises(GuidelineError) as caught:
        load_guidelines(folder(tmp_path, {**MODEL, **change}))
    problem = caught.value.problems[0]
    assert Path(problem.file).name == "promotion.yaml"
    assert problem.line is not None
    assert (problem.field or "") == field


def test_a_missing_or_outside_model_file_is_named(tmp_path: Path) -> None:
    root = folder(tmp_path)
    (root / "models" / "promotion.yaml").unlink()
    with pytest.raises(GuidelineError, match=r"promotion\.yaml"):
        load_guidelines(root)
    (root / "rules" / "rules.yaml").write_text(RULES.replace("models/promotion.yaml", "../x.yaml"), encoding="utf-8")
    with pytest.raises(GuidelineError, match=r"scored_by\.model"):
        load_guidelines(root)


def test_a_changed_model_file_is_read_again_not_taken_from_the_cache(tmp_path: Path) -> None:
    root = folder(tmp_path)
    text = "Den neuen Router gibt es gerade für lau."
    first = Checker(load_guidelines(root)).check(text).findings
    assert any(f.severity is Severity.ERROR for f in first)
    (root / "models" / "promotion.yaml").write_text(yaml.safe_dump(dict(MODEL, intercept=-30.0)), encoding="utf-8")
    assert not any(f.category == "disclosure" for f in Checker(load_guidelines(root)).check(text).findings)


# --------------------------------------------------------------------------------------------------
# training
# --------------------------------------------------------------------------------------------------
def test_training_is_deterministic_and_writes_a_valid_model(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from drafter.cli import app

    files = [str(EVAL / "tuning4.yaml"), str(EVAL / "tuning6.yaml")]
    outputs = []
    for name in ("a.yaml", "b.yaml"):
        out = tmp_path / name
        args = ["guidelines", "train", *files, "--family", "promotion", "--out", str(out)]
        result = CliRunner().invoke(app, [*args, "--error-at", "0.9", "--warning-at", "0.6", "--no-cross-validate"])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    # another process with another hash seed (set order) writes the same bytes
    env = {**os.environ, "PYTHONHASHSEED": "12345", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = tmp_path / "c.yaml"
    flags = ["--family", "promotion", "--out", str(out), "--error-at", "0.9", "--warning-at", "0.6"]
    other = subprocess.run(
        [sys.executable, "-m", "drafter", "guidelines", "train", *files, *flags, "--no-cross-validate"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
        check=False,
    )
    assert other.returncode == 0, other.stderr
    assert out.read_bytes() == outputs[0]
    data = yaml.safe_load(outputs[0])
    assert data["provenance"]["posts"] + data["provenance"]["left_out"] == 70 + 58
    assert [f["file"].rsplit("/", 1)[-1] for f in data["provenance"]["files"]] == ["tuning4.yaml", "tuning6.yaml"]
    from drafter.scorer_train import KEEP

    assert 0 < len(data["weights"]) <= KEEP
    # the written file is what the bundled set loads: swap it in a copy
    root = tmp_path / "copy"
    shutil.copytree(REPO / "guidelines", root, ignore=shutil.ignore_patterns("eval"))
    (root / "models" / "promotion.yaml").write_bytes(outputs[0])
    assert load_guidelines(root).rule("disclosure.employment").scored_by.loaded is not None


def test_training_prints_its_cross_validation_and_refuses_an_error_threshold_below_one_half(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from drafter.cli import app

    files = [str(EVAL / "tuning4.yaml"), str(EVAL / "tuning6.yaml")]
    args = ["guidelines", "train", *files, "--family", "promotion", "--out", str(tmp_path / "m.yaml")]
    result = CliRunner().invoke(app, [*args, "--error-at", "0.9", "--warning-at", "0.6"])
    assert result.exit_code == 0, result.output
    assert "5-fold cross-validation, the scorer alone: AUC 0." in result.output
    assert "at error_at 0.9: " in result.output and "negatives flagged" in result.output
    args[-1] = str(tmp_path / "m2.yaml")
    refused = CliRunner().invoke(app, [*args, "--error-at", "0.3", "--warning-at", "0.2", "--no-cross-validate"])
    assert refused.exit_code == 2 and not (tmp_path / "m2.yaml").exists()


def test_training_learns_from_the_labels() -> None:
    """Flipping the labels flips the sign of what the model learned."""
    from drafter.scorer_train import fit

    texts = ["Router für lau, schnell sein", "Team-Tag im Wald", "für lau dazu", "Wir pflanzen Bäume im Team"] * 3
    labels = [1, 0, 1, 0] * 3
    learned = fit(texts, labels, steps=200)
    flipped = fit(texts, [1 - y for y in labels], steps=200)
    assert learned.weights["w:lau"] > 0 > flipped.weights["w:lau"]


# --------------------------------------------------------------------------------------------------
# bounded and light
# --------------------------------------------------------------------------------------------------
def test_repeating_a_sentence_or_a_line_does_not_raise_the_score() -> None:
    """A word or a pair counts at most three times a line, a line once: pasting a sentence forty times, or a
    line forty times, scores as four times (the probe's "Wir sind stolz auf unsere Kunden." ×40 became a
    leak when every occurrence counted)."""
    model = ScoreModel({"w:stolz": 0.8, "b:unsere kunden": 0.5}, -2.0, 0.9, 0.5)
    sentence = "Wir sind stolz auf unsere Kunden. "
    # four times: every word and every pair (also "kunden wir" across the sentences) three times or more
    capped = model.probability(sentence * 4)
    assert model.probability(sentence) < capped == model.probability(sentence * 40)
    assert model.probability((sentence + "\n") * 40) == model.probability(sentence)
    counts, _ = post_counts(sentence * 40)
    assert counts["w:stolz"] == 3 and counts["b:unsere kunden"] == 3


def test_a_sure_cue_makes_an_error_only_where_the_model_confirms_it(tmp_path: Path) -> None:
    """``scored_by.confirm_sure_at``: a sure cue keeps ``sure_level`` only where the model's probability of the
    post is at least that; below, the finding stays, at the rule's ``level`` (a free workshop read as a free
    product). Without the field, or in a post too short to score (``min_words``), a sure cue is enough."""
    root = folder(tmp_path)
    rules = root / "rules" / "rules.yaml"
    plain = "Jetzt 20 % Rabatt im Workshop des Sportvereins, sagt mein Nachbar heute."  # p = sigmoid(-2)
    offer = "Jetzt 20 % Rabatt, den neuen Router gibt es gerade für lau, sagt mein Nachbar."  # "lau": p near 1

    def levels(text: str) -> list[tuple[Severity, str | None]]:
        checker = Checker(load_guidelines(root), lang="en")
        return [(f.severity, f.match) for f in checker.check(text).findings if f.rule == "disclosure.employment"]

    assert levels(plain) == [(Severity.ERROR, "Rabatt")]  # no confirmation asked: the cue alone
    rules.write_text(RULES + "      confirm_sure_at: 0.5\n", encoding="utf-8")
    assert levels(plain) == [(Severity.WARNING, "Rabatt")]
    assert levels(offer) == [(Severity.ERROR, "Rabatt")]
    assert levels(plain + " Ich arbeite bei der Telekom.") == []  # a disclosure still ends it
    rules.write_text(RULES + "      confirm_sure_at: 0.5\n      min_words: 50\n", encoding="utf-8")
    assert levels(plain) == [(Severity.ERROR, "Rabatt")]  # too short to score: the cue decides
    rules.write_text(RULES + "      confirm_sure_at: 1.5\n", encoding="utf-8")
    with pytest.raises(GuidelineError, match=r"field 'rules\.0\.scored_by\.confirm_sure_at'"):
        load_guidelines(root)


def test_an_existence_rule_s_sure_finding_is_confirmed_by_its_model_too(tmp_path: Path) -> None:
    """The same for an ``existence`` rule with ``sure`` cues near its occurrences (a leak)."""
    root = folder(tmp_path)
    leak = """\
rules:
  - id: confidentiality.leak
    type: existence
    level: warning
    sure_level: error
    sure_within: 100
    category: confidentiality
    message: {de: "Leck?", en: "Leak?"}
    patterns: ['noch nicht offiziell']
    sure: {patterns: ['\\d+ %']}
    scored_by:
      model: models/promotion.yaml
      confirm_sure_at: 0.5
      message: {de: "Leck ({words}).", en: "Leak ({words})."}
"""
    (root / "rules" / "rules.yaml").write_text(leak, encoding="utf-8")
    checker = Checker(load_guidelines(root), lang="en")

    def levels(text: str) -> list[Severity]:
        return [f.severity for f in checker.check(text).findings if f.rule == "confidentiality.leak"]

    assert levels("Noch nicht offiziell: 20 % mehr Reichweite im Verein, sagt mein Nachbar.") == [Severity.WARNING]
    assert levels("Noch nicht offiziell: 20 % mehr, der Router ist für lau, sagt mein Nachbar.") == [Severity.ERROR]
    assert levels("Noch nicht offiziell, aber bald im Verein, sagt mein Nachbar heute.") == [Severity.WARNING]


def test_a_short_post_is_not_scored_below_min_words(tmp_path: Path) -> None:
    """``scored_by.min_words``: a post of fewer distinct words is left to the cues (a few words push the
    probability to an extreme: "Neues Projekt gestartet." was a leak error)."""
    root = folder(tmp_path)
    (root / "rules" / "rules.yaml").write_text(RULES + "      min_words: 8\n", encoding="utf-8")
    checker = Checker(load_guidelines(root), lang="en")
    assert checker.check("Router für lau.").findings == []
    long = "Den neuen Router gibt es gerade für lau, sagt mein Nachbar."
    assert [f.severity for f in checker.check(long).findings] == [Severity.ERROR]


def test_pasted_long_words_keep_the_caches_small() -> None:
    """A token longer than 40 characters is the word ``<long>``, long chunks and lines are not kept: the
    hostile probe's 3,900-letter words, each new, grew the process by 0.5 MB a word up to 9 GB."""
    import tracemalloc

    from drafter import scorer

    model = ScoreModel({"w:lau": 5.0, "w:<long>": 0.0}, -3.0, 0.9, 0.5)
    assert scorer.line_words("x" * 3_900 + " lau") == ["<long>", "lau"]
    model.probability("warm up " + "y" * 3_900)
    tracemalloc.start()
    try:
        for i in range(300):
            model.probability(f"{i:05d}" + "z" * 3_900 + f" lau {i}")
        current, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert current < 3_000_000  # every word and line was new; 0.5 MB each before


def test_hostile_input_stays_bounded() -> None:
    model = ScoreModel({"w:lau": 5.0}, -3.0, 0.9, 0.5)
    neutral = "wort " * (MAX_SCORED_CHARS // 5)
    # what stands after the scored part does not count: the work does not grow with the paste
    assert model.probability(neutral + "für lau " * 10_000) == model.probability(neutral)
    # a line of a million characters is featurised only up to its bound
    assert len(line_features("x" * 1_000_000 + " lau")) == len(line_features("x" * 1_000_000))
    # many different lines: the line cache stays within its size
    for i in range(LINE_CACHE + 500):
        model.probability(f"Zeile {i} für lau")
    assert len(model._lines) <= LINE_CACHE
    explained = model.explain(("für lau " * 3_000 + "\n") * 20)
    assert explained.end <= MAX_SCORED_CHARS
    # the weightiest sentence per line is remembered within the same bounds
    for i in range(LINE_CACHE + 500):
        model.explain(f"Zeile {i}. Für lau.")
    assert 0 < len(model._sentences) <= LINE_CACHE


def test_the_lint_path_scores_without_numpy(tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    post.write_text(
        "Kleiner Tipp für alle, die noch überlegen: Wer bis Monatsende wechselt, bekommt den Router dazu. "
        "Meldet euch bei mir! #WeWontStop\n",
        encoding="utf-8",
    )
    code = textwrap.dedent(
        """
        import atexit, sys
        atexit.register(lambda: print("numpy" in sys.modules, file=sys.stderr))
        sys.argv[0] = "drafter"
        from drafter.cli import main
        main()
        """
    )
    env = {**os.environ, "DRAFTER_HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for _ in range(2):  # cold (files read) and warm (the guideline cache)
        result = subprocess.run(
            [sys.executable, "-c", code, "lint", str(post), "--lang", "en"],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env,
            timeout=120,
            check=False,
        )
        assert "Reads like an advert" in result.stdout, result.stdout + result.stderr
        assert result.stderr.strip().splitlines()[-1] == "False"


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        (
            "Ab 1. März gibt es den neuen Glasfaser-Tarif. Schönes Wochenende!",
            "Ab 1. März gibt es den neuen Glasfaser-Tarif.",
        ),
        ("Schon 1,2 Mio. neue Kunden im Glasfaser-Netz. Danke, Team!", "Schon 1,2 Mio. neue Kunden im Glasfaser-Netz."),
        ("Danke, Team! Der Glasfaser-Tarif ist da.", "Der Glasfaser-Tarif ist da."),
    ],
)
def test_the_explanation_underlines_the_whole_sentence(text: str, sentence: str) -> None:
    """A number's point ("1. März") or an abbreviation before a lower-case word ("Mio. neue") ends no
    sentence: the underline starts where the sentence does (a new-user probe saw it start at "März")."""
    model = ScoreModel({"w:glasfaser": 3.0, "w:tarif": 1.0}, 0.0, 0.9, 0.8)
    why = model.explain(text)
    assert text[why.start : why.end] == sentence


@pytest.mark.parametrize(
    "change",
    [
        {"intercept": 1e308},
        {"intercept": True},
        {"weights": {"w:lau": "0.5"}},
        {"weights": {"w:lau": True}},
        {"error_at": "0.9"},
        {"warning_at": True},
    ],
    ids=["huge-intercept", "bool-intercept", "string-weight", "bool-weight", "string-error-at", "bool-warning-at"],
)
def test_a_model_value_that_is_no_plain_number_is_refused(tmp_path: Path, change: dict) -> None:  # type: ignore[type-arg]
    """A hostile probe's model file with a weight written as a string or a boolean, or an intercept of
    1e308 that makes every post an error, loaded silently."""
    with pytest.raises(GuidelineError) as caught:
        load_guidelines(folder(tmp_path, {**MODEL, **change}))
    problem = caught.value.problems[0]
    assert Path(problem.file).name == "promotion.yaml"
    assert (problem.field or "").split(".")[0] in ("intercept", "weights", "error_at", "warning_at")


def test_a_model_file_swapped_for_a_symlink_outside_is_refused_after_a_cached_load(tmp_path: Path) -> None:
    """The guideline cache served a set whose model file had become a symlink to an identical copy outside
    the folder, which a fresh load refuses."""
    root = folder(tmp_path)
    load_guidelines(root)  # now in the cache
    outside = tmp_path / "elsewhere.yaml"
    model = root / "models" / "promotion.yaml"
    outside.write_bytes(model.read_bytes())
    model.unlink()
    model.symlink_to(outside)
    with pytest.raises(GuidelineError, match="outside the guidelines folder"):
        load_guidelines(root)


def _corpus(tmp_path: Path, posts: list[dict]) -> Path:  # type: ignore[type-arg]
    path = tmp_path / "corpus.yaml"
    path.write_text(yaml.safe_dump({"date": "2026-11-30", "posts": posts}, allow_unicode=True), encoding="utf-8")
    return path


def _learnable_posts() -> tuple[list[dict], list[dict]]:  # type: ignore[type-arg]
    """30 honest posts and 30 offers without disclosure: enough of each to train on."""
    clean = [{"id": f"c{i}", "text": f"Schöner Tag im Team Nummer {i}. #Werkstolz"} for i in range(30)]
    offers = [
        {"id": f"o{i}", "text": f"Router {i} gibt's für lau! #Werkstolz", "expect": {"error": ["disclosure"]}}
        for i in range(30)
    ]
    return clean, offers


def _train(corpus: Path, out: Path) -> Any:
    from typer.testing import CliRunner

    from drafter.cli import app

    args = ["guidelines", "train", str(corpus), "--family", "promotion", "--out", str(out)]
    return CliRunner().invoke(app, [*args, "--error-at", "0.9", "--warning-at", "0.6", "--no-cross-validate"])


def test_training_refuses_a_corpus_it_cannot_learn_from_and_writes_nothing(tmp_path: Path) -> None:
    """A probe trained on one post, on no positives, on an unknown label: each wrote a model (one flagged
    every post); now a corpus error, and the file at --out stays as it was."""
    out = tmp_path / "model.yaml"
    out.write_text("old", encoding="utf-8")
    clean, offers = _learnable_posts()
    for posts, said in [
        (clean, "at least 10"),
        (clean[:1] + offers[:1], "at least 10"),
        (clean + offers[:3], "at least 10"),
        (clean + offers + [{"id": "u1", "text": "Hallo", "expect": {"error": ["nosuchcat"]}}], "nosuchcat"),
    ]:
        result = _train(_corpus(tmp_path, posts), out)
        assert result.exit_code == 2, result.output
        assert said in result.output
        assert out.read_text(encoding="utf-8") == "old"
    assert _train(_corpus(tmp_path, clean + offers), out).exit_code == 0
    assert out.read_text(encoding="utf-8") != "old"


def test_a_failed_write_leaves_the_old_model_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The model was written in place: a full disk left half a file (a probe, on a tmpfs). Now a temporary
    file beside it is renamed over it, so a failure leaves the old file and no temporary file."""
    out = tmp_path / "models" / "model.yaml"
    out.parent.mkdir()
    out.write_text("old model", encoding="utf-8")
    clean, offers = _learnable_posts()
    corpus = _corpus(tmp_path, clean + offers)

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = _train(corpus, out)
    assert result.exit_code == 2 and "No space left" in result.output
    assert out.read_text(encoding="utf-8") == "old model"
    assert [p.name for p in out.parent.iterdir()] == ["model.yaml"]


@pytest.mark.parametrize(
    "forged",
    [
        {("ein", "wort"): "0.5"},
        {("ein", "wort"): None},
        {},
        {"ein wort": 0.5},
        [("ein", "wort")],
        # as many entries as the weights have pairs, one of them wrong
        {("ein", "wort"): 1.5, ("noch", 3): -0.5},
        {("ein", "wort"): 1.5, ("noch", "eins", "x"): -0.5},
        {("ein", "wort"): 1.5, ("noch",): -0.5},
        {("ein", "wort"): 1.5, ("noch", "eins"): "-0.5"},
        {("ein", "wort"): 1.5, ("noch", "eins"): -1},
        {("ein", "wort"): 1.5, "noch eins": -0.5},
        {("ein", "wort"): 1.5, 7: -0.5},
    ],
)
def test_a_forged_pair_table_in_the_cache_is_built_again(forged: object) -> None:
    """The guideline cache keeps a model's word-pair table; one that is not the table of its weights (a forged
    entry that passed the cache's own checks crashed a check with a TypeError: a hostile probe) is built
    again from the weights."""
    model = ScoreModel({"w:ein": 0.2, "b:ein wort": 1.5, "b:noch eins": -0.5}, 0.0, 0.9, 0.8)
    state = model.__getstate__()
    assert state["_pairs"] == {("ein", "wort"): 1.5, ("noch", "eins"): -0.5}  # kept in the cache
    state["_pairs"] = forged
    restored = ScoreModel.__new__(ScoreModel)
    restored.__setstate__(state)
    assert restored._pairs == {("ein", "wort"): 1.5, ("noch", "eins"): -0.5}
    assert restored.probability("ein wort") == model.probability("ein wort")


def test_the_cached_explanation_is_the_one_worked_out_afresh() -> None:
    """The weightiest sentence is remembered per line (a keystroke in a post with a scored finding changed
    one line, and every sentence was weighed again: ~0.6 ms): a model that has explained the texts before
    a keystroke names the same sentence and words as a model that never saw one, on every eval post of two
    files typed into one character at a time."""
    gs = load_guidelines(REPO / "guidelines")
    models = [rule.scored_by.loaded for rule in gs.rules if getattr(rule, "scored_by", None) is not None]
    assert len(models) == 2
    posts = [p["text"] for name in ("tuning14a.yaml", "tuning16.yaml") for p in _posts(EVAL / name)]
    compared = 0
    for model in models:
        for text in posts[:120]:
            middle = len(text) // 2
            for typed in ("", " Preis", " 39 € im Monat.\nNeu"):
                edited = text[:middle] + typed + text[middle:]
                fresh = ScoreModel(model.weights, model.intercept, model.error_at, model.warning_at)
                assert model.explain(edited) == fresh.explain(edited)
                compared += 1
    assert compared == 2 * 3 * min(120, len(posts))


def _posts(path: Path) -> list[dict[str, Any]]:
    posts: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["posts"]
    return posts
