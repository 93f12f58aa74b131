"""twitter-text-parser's patterns assembled by :mod:`drafter.lazy_supplant` (compiled on first use) have the
same text and flags as the package's own, so they match exactly the same; and only what runs compiles."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

from drafter import twittertext
from drafter.lazy_supplant import LazyPattern, pattern_module, regex_supplant

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


def test_the_lists_of_top_level_domains_are_read_not_compiled() -> None:
    for name in ("valid_gtld", "valid_cctld"):
        ours = getattr(twittertext.twitter_text_part(f"regexp.{name}"), name)
        assert isinstance(ours, LazyPattern)  # the package's own is compared in the test above
    twittertext.extract_urls_with_indices("Mehr: https://www.telekom.com/de und telekom.de")
    assert twittertext.twitter_text_part("regexp.valid_gtld").valid_gtld._compiled is None


@pytest.mark.parametrize(
    "source",
    [
        "import re\nx = re.compile('a' + 'b', re.I)\n",  # flags
        "import re\nx = re.compile('a' + B)\n",  # not a literal
        "import re\nx = re.compile('a')\ny = 1\n",  # more than the pattern
        "import re as r\nx = r.compile('a')\n",
        "x = (",
    ],
)
def test_a_module_of_another_shape_is_left_to_the_import(source: str, tmp_path: Path) -> None:
    path = tmp_path / "part.py"
    path.write_text(source, encoding="utf-8")
    assert pattern_module("part", path) is None


def test_a_pattern_module_has_the_joined_text(tmp_path: Path) -> None:
    path = tmp_path / "part.py"
    path.write_text("import re\n\nx = re.compile(\n    '(?:' +\n    'a|b' +\n    ')'\n)\n", encoding="utf-8")
    module = pattern_module("part", path)
    assert module is not None and isinstance(module.x, LazyPattern)
    assert (module.x.pattern, module.x.flags) == ("(?:a|b)", re.compile("(?:a|b)").flags)
