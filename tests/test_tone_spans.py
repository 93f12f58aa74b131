"""The shouting and exclamation rules look words up in skipped spans (links, handles, hashtags, quotes) by
binary search; a linear scan per word was quadratic (minutes for a long post of quoted capitals, found by
the hostile-input probe). These tests hold the lookup to the plain scan it replaced."""

from __future__ import annotations

import random

from drafter.rules.base import Spans


def test_a_point_is_inside_exactly_when_the_plain_scan_says_so() -> None:
    rng = random.Random(7)
    for _ in range(300):
        spans = [(a, a + rng.randrange(0, 12)) for a in (rng.randrange(0, 200) for _ in range(rng.randrange(0, 15)))]
        lookup = Spans(spans)
        for x in range(-2, 220):
            assert lookup.holds(x) == any(s <= x < e for s, e in spans), (spans, x)


def test_a_run_is_inside_when_one_span_holds_it_whole() -> None:
    rng = random.Random(11)
    for _ in range(300):
        starts = sorted(rng.sample(range(0, 300, 3), rng.randrange(0, 12)))
        spans = [(s, s + rng.randrange(1, 3)) for s in starts]  # disjoint, as quotation spans are
        lookup = Spans(spans)
        for x in range(0, 310):
            for length in (1, 2, 3):
                assert lookup.holds(x, x + length) == any(s <= x and x + length <= e for s, e in spans)
