"""What the learned scorers add to a check: both models' probability of a post, thread CPU time per call.

Two cases per post: the post with one letter typed at 8 places in turn (its lines are cached after the
first round, as in ``lint_bench.py``), and a letter typed at a new place on every call (the changed line
is featurised anew: what a keystroke in the editor costs). Prints median, IQR and p99.

    .venv/bin/python benchmarks/scorer_bench.py [--runs 2000]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lint_bench

from drafter.guidelines import load_guidelines


def stats(samples: list[float]) -> str:
    samples = sorted(samples)
    q = statistics.quantiles(samples, n=100)
    return f"median {statistics.median(samples):7.2f} µs  IQR {q[24]:.2f}–{q[74]:.2f}  p99 {q[98]:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    gs = load_guidelines(lint_bench.ROOT / "guidelines")
    models = [gs.rule(rid).scored_by.loaded for rid in ("disclosure.employment", "confidentiality.leak")]
    clock = time.thread_time_ns

    def both(text: str) -> None:
        for model in models:
            model.probability(text)

    for case, (name, text, _) in enumerate(lint_bench.compare_cases()):
        cycled = itertools.cycle(lint_bench.variants(text))
        for _ in range(50):
            both(next(cycled))
        cached: list[float] = []
        for _ in range(args.runs):
            t = next(cycled)
            start = clock()
            both(t)
            cached.append((clock() - start) / 1e3)
        fresh: list[float] = []
        for i in range(args.runs):
            at = (i * 7919) % len(text)
            t = f"{text[:at]}{chr(0x61 + i % 26)}{i}x{case}{text[at:]}"  # a text never seen before
            start = clock()
            both(t)
            fresh.append((clock() - start) / 1e3)
        print(f"{name} ({len(text)} chars, {text.count(chr(10)) + 1} lines), both models, n={args.runs}:")
        print(f"  lines cached     {stats(cached)}")
        print(f"  one line new     {stats(fresh)}")
    # the whole check with the scorers and without them (the models detached), in alternating blocks of 50
    from drafter.checker import Checker

    rules = [gs.rule(rid).scored_by for rid in ("disclosure.employment", "confidentiality.leak")]
    checker = Checker(gs)
    print("Checker.check with the scorers (on) and without (off), alternating blocks of 50:")
    for name, text, channel in lint_bench.compare_cases():
        cycled = itertools.cycle(lint_bench.variants(text))
        samples: dict[bool, list[float]] = {True: [], False: []}
        for block in range(2 * args.runs // 50):
            on = block % 2 == 0
            for rule, model in zip(rules, models, strict=True):
                rule._model = model if on else None
            for _ in range(50):
                t = next(cycled)
                start = clock()
                checker.check(t, channel, date=lint_bench.CHECK_DATE)
                samples[on].append((clock() - start) / 1e3)
        for rule, model in zip(rules, models, strict=True):
            rule._model = model
        off, on_ = statistics.median(samples[False]), statistics.median(samples[True])
        print(f"  {name}: off {stats(samples[False])}")
        print(f"  {' ' * len(name)}  on  {stats(samples[True])}  (median +{on_ - off:.1f} µs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
