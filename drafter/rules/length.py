"""The post must fit its channel, counted the channel's way."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

import regex

from drafter.channels import ChannelSpec, measure, unit_label
from drafter.findings import Finding
from drafter.rules.base import CheckContext, RuleBase


class LengthRule(RuleBase):
    """The post is longer than the channel takes (counted the channel's way)."""

    type: Literal["length"]

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        length = ctx.length
        if not length.over:
            return
        cut = first_overflow(ctx.text, ctx.spec, length.count)
        unit = unit_label(length.unit, ctx.lang)
        yield self.finding(ctx, cut, len(ctx.text), count=length.count, limit=length.limit, unit=unit)


def first_overflow(text: str, spec: ChannelSpec, count: int | None = None) -> int:
    """The first code-point offset from which the text no longer fits: the longest prefix that fits.

    Counted in code points without a byte cap, that is the limit itself. Otherwise a search on prefixes
    (each one measured the channel's way), started where the share of the limit in ``count`` (the text's
    own count) puts the cut and widened until it brackets it: a handful of measures instead of a binary
    search's dozen over the whole text (which cost 50 µs of a keystroke on a 3,000-character post)."""
    n = len(text)

    def fits(k: int) -> bool:
        return not measure(text[:k], spec).over

    if spec.counter == "characters" and spec.url_length is None and spec.max_bytes is None:
        return _whole(text, spec, min(n, spec.limit), fits)

    if count is None:
        count = measure(text, spec).count
    guess = min(n, max(0, n * spec.limit // count)) if count > 0 else n
    lo, hi = 0, n  # fits(lo) is known (the empty text fits); the cut lies in lo..hi
    step = 1
    if fits(guess):
        lo = guess
        while lo < n:
            probe = min(n, lo + step)
            if not fits(probe):
                hi = probe - 1
                break
            lo = probe
            step *= 2
        else:
            return n
    else:
        hi = guess - 1
        while hi > 0:
            probe = max(0, hi - step)
            if fits(probe):
                lo = probe
                break
            hi = probe - 1
            step *= 2
    while True:
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if fits(mid):
                lo = mid
            else:
                hi = mid - 1
        cut = _whole(text, spec, lo, fits)
        if cut <= lo:
            return cut
        # a cluster that fits whole ends the part that fits: what follows it may fit too
        lo, hi = cut, n
        if not fits(min(n, cut + 1)):
            return cut


def _whole(text: str, spec: ChannelSpec, cut: int, fits: Callable[[int], bool]) -> int:
    """``cut`` moved out of what counts as one: a link cut in two (X and Mastodon count a link whole, so the
    part that does not fit starts where the link starts) and a character cluster cut in two (an emoji of
    several code points, a keycap, a letter with its marks: it ends the part that fits when the whole cluster
    fits, else it starts the part that does not). Counting is not monotonic inside them, so the search alone
    could stop there ("https://www.teleko" kept, a family emoji split; a hostile probe)."""
    if spec.counter == "twitter" or spec.url_length is not None:
        from drafter.twittertext import url_matches

        for start, end, _ in url_matches(text, without_protocol=spec.counter == "twitter"):
            if start < cut < end:
                return start
    if 0 < cut < len(text) and text[cut - 1] < "\x80" and text[cut] < "\x80" and text[cut - 1 : cut + 1] != "\r\n":
        return cut  # between two ASCII characters there is always a cluster boundary, but in CR LF
    low = max(0, cut - _CLUSTER_WINDOW)
    for m in _CLUSTER.finditer(text, low, min(len(text), cut + _CLUSTER_WINDOW)):
        start, end = m.span()
        if start < cut < end and (start > low or low == 0):  # (a cluster begun before the window is left)
            return end if fits(end) else start
        if start >= cut:
            break
    return cut


_CLUSTER = regex.compile(r"\X")
#: how far around the cut a character cluster is looked for (a longer one, a pile of combining marks, is cut)
_CLUSTER_WINDOW = 64
