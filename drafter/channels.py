"""Channels and how each one counts a post's length.

Limits are guideline data (``channels:`` in ``guidelines.yaml``); this module only knows the counting
methods: X's weighted length (twitter-text v3 config), plain code points (with an optional fixed URL
length, as Mastodon counts), and grapheme clusters with a UTF-8 byte cap (Bluesky).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import regex
from pydantic import BaseModel, ConfigDict, Field

Counter = Literal["twitter", "characters", "graphemes"]

UNIT_BY_COUNTER: dict[str, str] = {
    "twitter": "weighted",
    "characters": "characters",
    "graphemes": "graphemes",
}

_GRAPHEME = regex.compile(r"\X")


class ChannelSpec(BaseModel):
    """One channel as the guidelines define it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

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
    """X's weighted length per twitter-text v3 (URLs 23, emoji 2, CJK 2)."""
    from twitter_text import parse_tweet

    return int(parse_tweet(text).weightedLength)


def grapheme_count(text: str) -> int:
    return len(_GRAPHEME.findall(text))


def characters_with_urls(text: str, url_length: int) -> int:
    from drafter.twittertext import extract_urls_with_indices

    count = len(text)
    for url in extract_urls_with_indices(text):
        count += url_length - (url.end - url.start)
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
