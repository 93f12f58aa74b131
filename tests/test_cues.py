"""Cue sets: many patterns searched as one alternation, each skipped when the fixed text it needs is
missing — the same matches as the plain alternation, at a fraction of the cost."""

from __future__ import annotations

import pytest
import regex

from drafter.cues import CueSet, required_text, shown_span
from drafter.patterns import PatternTimeout


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?<![\w])(?:Link\s+in\s+Bio)(?![\w])", "link"),
        (r"(?<!\w)(?:monate?|wochen?)\s+(?:lang\s+)?kostenlos(?!\w)", "kostenlos"),
        (r"€(?<=\d\s?€)\s*Rabatt", "rabatt"),
        (r"(?<![\w])(?:1&1)(?![\w])", "1&1"),
        (r"(?:ab|cd)+x", None),  # nothing fixed of three characters
        (r"\p{L}+x", None),  # the standard library's parser cannot read it: always run
        ("(?:abcdefgh){e<=2}", None),  # fuzzy: Python would read the braces as text
        (r"Stra(?:ß|ss)e", "stra"),
        (r"rabatt(?:code)?", "rabatt"),
    ],
)
def test_required_text(pattern: str, expected: str | None) -> None:
    assert required_text(pattern, ignorecase=True) == expected


def test_case_matters_only_with_ignorecase() -> None:
    assert required_text("MagentaTV", ignorecase=False) == "MagentaTV"
    assert required_text("MagentaTV", ignorecase=True) == "magentatv"
    assert required_text("(?i)MagentaTV", ignorecase=False) == "magentatv"


PARTS = [
    r"rabatt\w*",
    r"(?<!\w)gratis(?!\w)",
    r"€(?<=\d\s?€)",
    r"(?<!\w)jetzt\s+(?:zugreifen|bestellen)(?!\w)",
    r"(?<!\w)o2(?!\w)",  # no usable fixed text: always searched
    r"zugreifen",
]

TEXTS = [
    "",
    "Nichts davon hier.",
    "Jetzt zugreifen: 20 % RABATTCODE und MagentaTV GRATIS für 9,99 €! Wechsel von O2? Jetzt bestellen.",
    "rabatt rabatt rabattrabatt gratisgratis gratis",
    "Jetzt zugreifen",
    "Straße Rabatt ẞ SS ß 10€ 10 €",
]


@pytest.mark.parametrize("text", TEXTS)
def test_same_matches_as_the_alternation(text: str) -> None:
    cues = CueSet(PARTS, ignorecase=True)
    alternation = regex.compile("|".join(f"(?:{p})" for p in PARTS), regex.I | regex.FULLCASE | regex.V0)
    expected = [(m.start(), m.end()) for m in alternation.finditer(text)]
    assert [(m.start(), m.end()) for m in cues.finditer(text)] == expected
    first = alternation.search(text)
    found = cues.search(text, text.casefold())
    assert (found.span() if found else None) == (first.span() if first else None)


def test_a_part_is_not_run_when_its_text_is_missing() -> None:
    # a pattern that would take seconds on this text: it is never run, because "zzz" is not there
    cues = CueSet([r"(?:a+)+zzz", "b"], ignorecase=False)
    assert cues.search("a" * 5000 + "b").group() == "b"


def test_a_part_that_runs_keeps_its_time_limit() -> None:
    cues = CueSet([r"(?:a|a)+y"], ignorecase=False)  # exponential backtracking on "aaa…!"
    with pytest.raises(PatternTimeout):
        cues.search("a" * 40 + "!")


def test_a_finding_shows_the_cue_with_its_captured_look_behind() -> None:
    cues = CueSet([r"€(?<=((?<!\w)(?:für|ab)\s+\d+\s?€))"], ignorecase=True)
    text = "Das Handy gibt es ab 99 € im Shop."
    m = cues.search(text)
    assert m is not None and m.group() == "€"
    start, end = shown_span(m)
    assert text[start:end] == "ab 99 €"
