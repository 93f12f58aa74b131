"""The post must fit its channel, counted the channel's way."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

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
        cut = _first_overflow(ctx.text, ctx.spec)
        unit = unit_label(length.unit, ctx.lang)
        yield self.finding(ctx, cut, len(ctx.text), count=length.count, limit=length.limit, unit=unit)


def _first_overflow(text: str, spec: ChannelSpec) -> int:
    """The first code-point offset from which the text no longer fits (binary search on prefixes)."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(text[:mid], spec).over:
            hi = mid - 1
        else:
            lo = mid
    return lo
