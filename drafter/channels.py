"""Channels and how each one counts a post's length.

Limits are guideline data (``channels:`` in ``guidelines.yaml``); this module only knows the counting
methods: X's weighted length (twitter-text v3 config), plain code points (with an optional fixed URL
length, as Mastodon counts), and grapheme clusters with a UTF-8 byte cap (Bluesky).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

import regex
from pydantic import BaseModel, ConfigDict, Field

from drafter.i18n import LANGUAGES, catalogue

Counter = Literal["twitter", "characters", "graphemes"]

UNIT_BY_COUNTER: dict[str, str] = {
    "twitter": "weighted",
    "characters": "characters",
    "graphemes": "graphemes",
}


def unit_label(unit: str, lang: str) -> str:
    """How a unit reads in a message ("Zeichen", "characters"): the catalogue's ``units.*`` words, the
    same the workspace's length gauge shows; an unknown unit reads as its id."""
    return catalogue(lang if lang in LANGUAGES else "en").get(f"units.{unit}", unit)


_GRAPHEME = regex.compile(r"\X")
# Characters that can keep a grapheme cluster going (CR of CRLF, combining and enclosing marks, ZWJ,
# spacing marks, prepend, regional indicators, Hangul jamo and syllables). Every no-break rule of
# the grapheme cluster algorithm has one of them on one side of the pair, so two adjacent
# characters outside this set always have a break between them: only the short stretches around
# joining characters need the (slow) \X scan.
_JOINING = (
    r"\p{GCB=CR}\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}\p{GCB=Regional_Indicator}"
    r"\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}"
)
_JOINING_CHAR = regex.compile(rf"[{_JOINING}]")
# Blocks without any joining character (a test checks every code point), skipped by a fast `re`
# scan: Latin up to U+02FF except CR, general punctuation, currency, symbols/arrows/dingbats, CJK
# ideographs, and the emoji blocks except regional indicators and skin tones.
NON_JOINING_RANGES = (
    "\x00-\x0c\x0e-\u02ff\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2100-\u2bff\u4e00-\u9fff"
    "\U0001f000-\U0001f1e5\U0001f200-\U0001f3fa\U0001f400-\U0001faff"
)
_joining_memo: dict[str, bool] = {}


@cache
def _maybe_joining() -> re.Pattern[str]:
    """The characters outside those blocks; compiled on first use (Python's compiler builds its bitmaps for
    the large ranges in about 2 ms, which a lint of a post for a channel counting characters never needs)."""
    return re.compile(f"[^{NON_JOINING_RANGES}]")


class ChannelSpec(BaseModel):
    """One channel as the guidelines define it."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    label: str
    counter: Counter = "characters"
    limit: int = Field(gt=0)
    url_length: int | None = Field(default=None, gt=0, description="count every URL as this many characters")
    max_bytes: int | None = Field(default=None, gt=0, description="a UTF-8 byte cap on top of the limit")
    warn_ratio: float = Field(default=0.9, gt=0, le=1, description="the gauge warns from this share on")


@dataclass(frozen=True, slots=True)
class Length:
    count: int
    limit: int
    unit: str
    bytes: int | None = None
    byte_limit: int | None = None

    @property
    def over(self) -> bool:
        return self.count > self.limit or (
            self.byte_limit is not None and self.bytes is not None and self.bytes > self.byte_limit
        )

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"count": self.count, "limit": self.limit, "unit": self.unit}
        if self.byte_limit is not None:
            out["bytes"] = self.bytes
            out["byte_limit"] = self.byte_limit
        return out


def weighted_length(text: str) -> int:
    """X's weighted length per twitter-text v3 (URLs 23, emoji 2, CJK 2).

    Equal to ``twitter_text.parse_tweet(text).weightedLength`` (tests prove it on the conformance
    file and on random texts) but computed from regex scans instead of a per-character loop.
    """
    from drafter.twittertext import weighted_length as tt_weighted_length

    return tt_weighted_length(text)


def grapheme_count(text: str) -> int:
    r"""Extended grapheme clusters (what Bluesky counts); equal to ``len(regex.findall(r"\X", text))``."""
    count = len(text)
    joining: list[int] = []
    for m in _maybe_joining().finditer(text):
        char = m.group()
        is_joining = _joining_memo.get(char)
        if is_joining is None:
            is_joining = _joining_memo[char] = _JOINING_CHAR.match(char) is not None
        if is_joining:
            joining.append(m.start())
    i = 0
    while i < len(joining):
        # A stretch: joining characters at most one character apart, plus one character on each
        # side; the characters just outside it are both non-joining, so it starts and ends at breaks.
        j = i
        while j + 1 < len(joining) and joining[j + 1] - joining[j] <= 2:
            j += 1
        stretch = text[max(0, joining[i] - 1) : joining[j] + 2]
        count -= len(stretch) - len(_GRAPHEME.findall(stretch))
        i = j + 1
    return count


def characters_with_urls(text: str, url_length: int) -> int:
    """Code points, with every ``http(s)://`` URL counted as ``url_length`` (Mastodon's rule: it links
    and shortens only URLs with a scheme, found by the twitter-text URL pattern)."""
    from drafter.twittertext import url_matches

    count = len(text)
    for start, end, _ in url_matches(text, without_protocol=False):
        count += url_length - (end - start)
    return count


def measure(text: str, spec: ChannelSpec) -> Length:
    unit = UNIT_BY_COUNTER[spec.counter]
    if spec.counter == "twitter":
        count = weighted_length(text)
    elif spec.counter == "graphemes":
        count = grapheme_count(text)
    elif spec.url_length is not None:
        count = characters_with_urls(text, spec.url_length)
    else:
        count = len(text)
    if spec.max_bytes is not None:
        return Length(count, spec.limit, unit, len(text.encode("utf-8")), spec.max_bytes)
    return Length(count, spec.limit, unit)
