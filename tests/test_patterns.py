"""Which guideline patterns may run without the timer, and that the others keep it."""

from __future__ import annotations

import pytest

from drafter.patterns import PatternTimeout, SafePattern, cannot_backtrack


@pytest.mark.parametrize(
    "pattern", ["gratis", "acme ?cloud", r"(?<![\w])(?:Telecom)(?![\w])", r"Magenta[ -]?TV", "a|b|c", "(?i)x?y?z"]
)
def test_bounded_patterns_are_recognised(pattern: str) -> None:
    assert cannot_backtrack(pattern)


@pytest.mark.parametrize(
    "pattern",
    [r"(a|aa)+$", r"\w*tarif", r"a{2,}", r"(x)\1", r"\p{Lu}+", "a?" * 20, r"(?:ab|cd){0,40}", "[unclosed"],
)
def test_anything_that_may_repeat_keeps_the_timer(pattern: str) -> None:
    assert not cannot_backtrack(pattern)


def test_timer_still_applies_to_unbounded_patterns() -> None:
    with pytest.raises(PatternTimeout):
        list(SafePattern(r"(a|aa)+$").finditer("a" * 60 + "b"))


def test_bounded_and_timed_searches_find_the_same() -> None:
    text = "acme cloud, ACMECloud und Acme Cloud " * 50
    bounded = SafePattern("acme ?cloud", ignorecase=True)
    timed = SafePattern("(?:acme ?cloud)+", ignorecase=True)  # same matches here, but not provably bounded
    assert not cannot_backtrack(timed.source)
    assert [m.span() for m in bounded.finditer(text)] == [m.span() for m in timed.finditer(text)]
