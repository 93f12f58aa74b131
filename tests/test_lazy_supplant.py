"""twitter-text-parser's patterns assembled by :mod:`drafter.lazy_supplant` (compiled on first use) have the
same text and flags as the package's own, so they match exactly the same; and only what runs compiles."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

from drafter import twittertext
from drafter.lazy_supplant import LazyPattern, regex_supplant

REGEXP = importlib.import_module("twitter_text.regexp")
NAMES = sorted(info.name for info in pkgutil.iter_modules(REGEXP.__path__))


@pytest.mark.parametrize("name", NAMES)
def test_every_part_has_the_packages_text_and_flags(name: str) -> None:
    theirs = getattr(importlib.import_module(f"twitter_text.regexp.{name}"), name, None)
    ours = getattr(twittertext.twitter_text_part(f"regexp.{name}"), name, None)
    if isinstance(theirs, re.Pattern):
        assert isinstance(ours, (re.Pattern, LazyPattern))
        assert (ours.pattern, ours.flags) == (theirs.pattern, theirs.flags)
    else:
        assert ours == theirs


def test_only_the_patterns_that_run_are_compiled() -> None:
    part = twittertext.twitter_text_part("regexp.valid_domain")
    assert isinstance(part.valid_domain, LazyPattern)
    found = twittertext.extract_urls_with_indices("Mehr: https://www.telekom.com/de und telekom.de")
    assert [u.text for u in found] == ["https://www.telekom.com/de", "telekom.de"]
    assert part.valid_domain._compiled is None  # a building block of the URL pattern, never matched itself
    url = twittertext.twitter_text_part("regexp.extract_url").extract_url
    assert isinstance(url, LazyPattern) and url._compiled is not None


def test_flags_are_what_re_compile_reports() -> None:
    for text, flags in [("a", 0), ("a", re.IGNORECASE), ("(?i)a", 0), ("(?x) a", re.IGNORECASE), ("a", re.ASCII)]:
        lazy = regex_supplant(text, {}, flags)
        assert (lazy.pattern, lazy.flags) == (text, re.compile(text, flags).flags)
    nested = regex_supplant(re.compile("x#{a}", re.I), {"a": regex_supplant("(?:b|#{c})", {"c": "d"})})
    assert nested.pattern == "x(?:b|d)" and nested.flags == re.compile("x(?:b|d)", re.I).flags
    assert nested.fullmatch("XD") is not None
