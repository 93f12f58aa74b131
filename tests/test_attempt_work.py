"""Patterns tried without the timer at a few start positions (``patterns.attempt_work``), and patterns that
start at a line start: the same matches as a plain search, and bounded in time on hostile input."""

from __future__ import annotations

import time

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.guidelines import load_guidelines
from drafter.patterns import DEFAULT_TIMEOUT, PROBES, UNTIMED_STEPS, WORK_SIZES, SafePattern, attempt_work


def _default_sources() -> list[tuple[str, bool]]:
    return sorted(
        {(source, ignorecase) for rule in load_guidelines().rules for _, source, ignorecase in rule.pattern_sources()}
    )


SOURCES = _default_sources()


@pytest.mark.parametrize(
    "pattern", [r"(a|aa)+$", r"(?:\w+\s?)+x", r"(x)\1", r"(?:ab|cd){0,40}", r"\w*\w*\w*x", "(?:telekom){i<=1,d<=1}"]
)
def test_patterns_that_may_backtrack_much_are_never_tried_without_the_timer(pattern: str) -> None:
    work = attempt_work(pattern, ignorecase=True)
    assert work is None or work > UNTIMED_STEPS
    assert not SafePattern(pattern, ignorecase=True).untimed_at(1, 10)


def test_a_run_before_a_character_it_cannot_take_gives_back_in_one_step() -> None:
    size = WORK_SIZES[0]
    # "\s+" before a letter: every shorter run fails on the letter at once (a few steps per character);
    # before another run of white space, every count it gives back is one more way to try the rest
    apart = attempt_work(r"jetzt\s+(?:kaufen|testen)!", ignorecase=True, size=size)
    alike = attempt_work(r"jetzt\s+\s*(?:kaufen|testen)!", ignorecase=True, size=size)
    assert apart is not None and alike is not None
    assert apart < 10 * size and alike > size * size


def test_a_pattern_is_tried_untimed_only_at_few_enough_starts() -> None:
    pattern = SafePattern(r"(?<!\w)jetzt\s+(?:kaufen|testen)(?!\w)", ignorecase=True)
    limit = pattern.untimed_starts()[0]
    assert limit > 1
    assert pattern.untimed_at(limit, WORK_SIZES[0]) and not pattern.untimed_at(limit + 1, WORK_SIZES[0])
    # a longer text: the bound for the longer size, which allows fewer starts
    assert pattern.untimed_starts()[1] <= limit and not pattern.untimed_at(1, WORK_SIZES[1] + 1)


def _hostile(source: str) -> list[str]:
    """Texts of a post's size built to make ``source`` work: its leading letters and white space
    repeated, long runs of one character, and the shared probes."""
    size = WORK_SIZES[0]
    head = regex.match(r"[^\W\d_]+", source.replace("(?<!\\w)", ""))
    word = head.group() if head else "a"
    texts = [(word + " ") * (size // (len(word) + 1)), (word + "  \n") * (size // (len(word) + 3)), " " * size]
    texts += [probe[:size] for probe in PROBES[:4]]
    return texts


@pytest.mark.parametrize(("source", "ignorecase"), SOURCES)
def test_untimed_tries_stay_bounded_on_hostile_input(source: str, ignorecase: bool) -> None:
    pattern = SafePattern(source, ignorecase=ignorecase)
    limit = pattern.untimed_starts()[0]
    if not limit:
        return  # always timed
    for text in _hostile(source):
        starts = list(range(0, len(text), max(1, len(text) // limit)))[:limit]
        assert pattern.untimed_at(len(starts), len(text))
        started = time.thread_time()
        got = [m.span() for m in pattern._finditer_at(text, starts)]  # without the timer
        assert time.thread_time() - started < DEFAULT_TIMEOUT, (source, text[:20])
        # the same as a plain search tried at those positions
        pos, want = 0, []
        for at in starts:
            if at >= pos:
                m = pattern._compiled.match(text, at)
                if m is not None:
                    want.append(m.span())
                    pos = m.end()
        assert got == want


WORDS = [
    "jetzt",
    "Jetzt",
    "bestellen",
    "testen",
    "und",
    "Intern",
    "INTERN",
    "Vertraulich",
    ":",
    "werbung",
    "Anzeige",
    "nur",
    "noch",
    "heute",
    "interne",
    "Zahlen",
    "bitte",
    "nicht",
    "weiterleiten",
    "Straße",
    "STRASSE",
    "ss",
    "ß",
    "!",
    ",",
    "-",
    "#Werbung",
    "https://x.de",
]


@settings(max_examples=120, deadline=None)
@given(
    parts=st.lists(st.one_of(st.sampled_from(WORDS), st.text(alphabet=" \t\n\r\u2028x:ß", max_size=4)), max_size=40),
    seps=st.sampled_from([" ", "\n", "  ", " \n\t"]),
)
def test_patterns_tried_untimed_or_at_line_starts_match_as_a_plain_search(parts: list[str], seps: str) -> None:
    text = seps.join(parts)
    for source, ignorecase in SOURCES:
        pattern = SafePattern(source, ignorecase=ignorecase)
        if not pattern.untimed_starts()[0] and (pattern._starts or ("",))[0] != "lines":
            continue
        got = [(m.span(), m.group()) for m in pattern.finditer(text)]
        want = [(m.span(), m.group()) for m in pattern._compiled.finditer(text)]
        assert got == want, source


@pytest.mark.parametrize(
    ("source", "multiline"), [(r"(?m)^[ \t]*+(?:Intern|Vertraulich)[ \t]*+:", True), (r"^\s*werbung(?!\w)", False)]
)
def test_a_pattern_that_starts_with_a_caret_is_tried_at_line_starts(source: str, multiline: bool) -> None:
    pattern = SafePattern(source, ignorecase=not multiline)
    assert pattern._starts == ("lines", multiline)
    text = "Werbung\n  Intern: a\r\nVertraulich:\u2028Intern:\n\tVertraulich :\nx Intern:"
    if multiline:
        assert pattern.starts(text) == [0, *(i + 1 for i, ch in enumerate(text) if ch == "\n")]
    else:
        assert pattern.starts(text) == [0]
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in pattern._compiled.finditer(text)]
    assert [m.span() for m in pattern.finditer(text)]
