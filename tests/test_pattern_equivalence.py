"""The speed-ups in the engine must not change what it finds.

- ``SafePattern.any_of`` searches an alternation part by part; the result must equal the plain alternation.
- ``EmojiRule`` runs the emoji library only over whitespace-delimited stretches; the result must equal
  ``emoji.emoji_list`` over the whole text.
"""

from __future__ import annotations

import functools

import emoji
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.cues import CueSet
from drafter.guidelines import load_guidelines
from drafter.patterns import PatternTimeout, SafePattern
from drafter.rules import _EMOJI_HINT, ConditionalRule, ConfidentialityRule, ExistenceRule, _emoji_list

ATOMS = ["ab", "abc", "b", "bc", "c", "a+", "b?c", "(?<!a)b", "c(?!a)", "[ab]{2}", "x*", "(?<=b)c", "^a", "a$", r"\bab"]


def _spans(pattern: SafePattern | CueSet, text: str) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), m.group()) for m in pattern.finditer(text)]


def _whole(pattern: SafePattern | CueSet) -> regex.Pattern[str]:
    """The whole alternation, compiled as one pattern."""
    if isinstance(pattern, CueSet):
        return regex.compile(pattern.source, regex.V0 | (regex.I | regex.FULLCASE if pattern.ignorecase else 0))
    return pattern._compiled


def _plain(pattern: SafePattern | CueSet, text: str) -> list[tuple[tuple[int, int], str]]:
    """What the whole alternation, compiled as one pattern, finds."""
    return [(m.span(), m.group()) for m in _whole(pattern).finditer(text)]


def _first(match: regex.Match[str] | None) -> tuple[tuple[int, int], str] | None:
    return (match.span(), match.group()) if match is not None else None


@functools.cache
def _default_matchers() -> tuple[SafePattern | CueSet, ...]:
    patterns: list[SafePattern | CueSet | None] = []
    for rule in load_guidelines().rules:
        if isinstance(rule, ConditionalRule):
            patterns += [rule._sure, rule._when, rule._require]
        elif isinstance(rule, ExistenceRule):
            patterns.append(rule._pattern)
        elif isinstance(rule, ConfidentialityRule):
            patterns += [p for _, p in rule._compiled]
    return tuple(p for p in patterns if p is not None)


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(st.sampled_from(ATOMS), min_size=2, max_size=5, unique=True),
    text=st.text(alphabet="abcAB x\n", max_size=30),
)
def test_any_of_finds_what_the_alternation_finds(parts: list[str], text: str) -> None:
    split = SafePattern.any_of(parts)
    whole = SafePattern("|".join(parts))
    assert split._parts is not None  # the split path is the one under test
    assert _spans(split, text) == [(m.span(), m.group()) for m in whole._compiled.finditer(text)]
    assert _first(split.search(text)) == _first(whole._compiled.search(text))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "MagentaTV",
                "Tarif",
                "Handytarife",
                "Angebot",
                "39,95 €",
                "€ 5",
                "12 Euro",
                "Aktionspreise",
                "Rabatte",
                "deal",
                "offers",
                "ich arbeite bei der Telekom",
                "#TelekomMitarbeiter",
                "#Werbung",
                "Vodafone",
                "O2",
                "1&1",
                "H2O2",
                "vertraulich",
                "streng vertraulich",
                "NDA",
                "nda",
                "STRASSE",
                "ß",
                "gratis",
                "Monate",
                "kostenlos",
                "Rabattcode",
                "50 %",
                "Nachlass",
                "Link in Bio",
                "Flatrate",
                "Travel-Flat",
                "jetzt zugreifen",
                "nach Tarif",
                "Tarifvertrag",
                "unter uns",
                "noch nicht offiziell",
                "Intern heißt",
                "Deutsche Glasfaser",
                "Starlink",
                "besser als die Konkurrenz",
                "Telekomm",
                "Magenta Zuhause",
                "(Anzeige)",
            ]
        ),
        max_size=10,
    ),
    st.lists(st.sampled_from([" ", "", "\n", ", ", "-", "#", "."]), min_size=10, max_size=10),
)
def test_default_matchers_find_what_their_alternation_finds(words: list[str], seps: list[str]) -> None:
    text = "".join(w + s for w, s in zip(words, seps, strict=False))
    patterns = _default_matchers()
    assert any(isinstance(p, CueSet) for p in patterns)
    for pattern in patterns:
        assert _spans(pattern, text) == _plain(pattern, text)
        assert _first(pattern.search(text)) == _first(_whole(pattern).search(text))


def test_any_of_keeps_the_alternation_when_parts_depend_on_each_other() -> None:
    assert SafePattern.any_of([r"(a)\1", r"(b)\1"])._parts is None  # group numbers shift in the alternation
    assert SafePattern.any_of(["abc", "(?i)def"])._parts is None  # a flag set inside one part
    for parts in ([r"(a)\1", r"(b)\1"], ["abc", "(?i)def"]):
        pattern = SafePattern.any_of(parts)
        assert _spans(pattern, "aa bb abc ABC DEF def") == _plain(pattern, "aa bb abc ABC DEF def")


def test_any_of_shares_one_time_limit_across_parts() -> None:
    slow = SafePattern.any_of([r"(?:a+)+b", "zzz", r"(?:a|aa)+c"], timeout=0.05)
    assert slow._parts is not None
    for run in (lambda: slow.search("a" * 40), lambda: list(slow.finditer("a" * 40))):
        try:
            run()
        except PatternTimeout as exc:
            assert exc.pattern == slow.source
        else:
            raise AssertionError("a catastrophic part must hit the time limit")


EMOJI_BITS = [
    "👍",
    "🏽",
    "\u200d",
    "❤",
    "\ufe0f",
    "\ufe0e",
    "👩",
    "💻",
    "1",
    "#",
    "*",
    "\u20e3",
    "🇩",
    "🇪",
    "🏴",
    "\U000e0067",
    "\U000e007f",
    " ",
    "\n",
    "\u00a0",
    "\u3000",
    "a",
    "©",
    "™",
    "🧑",
    "🦰",
    "👨‍👩‍👧",
    "ä",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(EMOJI_BITS), max_size=16))
def test_emoji_list_by_stretches_equals_the_library(bits: list[str]) -> None:
    text = "".join(bits)
    expected = emoji.emoji_list(text) if _EMOJI_HINT.search(text) else []
    assert _emoji_list(text) == expected
