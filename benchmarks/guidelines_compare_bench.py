"""Does a change to the guideline DATA make the check slower? Prints figures; asserts nothing.

    python benchmarks/guidelines_compare_bench.py --before DIR            # DIR against the bundled set
    python benchmarks/guidelines_compare_bench.py --before DIR --after DIR2

Times warm, in-process ``Checker.check`` on the posts of ``lint_bench.py`` (280 characters on x; 3,000 on
linkedin with and without a product word) with two guideline folders in the same process. The two are
timed in alternating blocks of 100 calls, so a machine that gets busier or quieter during the run
affects both alike. Prints median, IQR and p99 of thread CPU time (which time spent waiting for a core
does not inflate) and of wall time for each, and the ratio of the CPU medians. Make a "before" folder
with e.g. ``git archive HEAD~1 guidelines | tar -x -C /tmp/before``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from lint_bench import CHECK_DATE, POST_280, Stats, long_post  # noqa: E402

from drafter.checker import Checker  # noqa: E402
from drafter.guidelines import load_guidelines  # noqa: E402

BLOCK = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="guideline folder measured first")
    parser.add_argument("--after", type=Path, default=None, help="guideline folder (default: the bundled set)")
    parser.add_argument("--runs", type=int, default=2000, help="timed calls per post and folder (default 2000)")
    args = parser.parse_args()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load}")
    checkers = {"before": Checker(load_guidelines(args.before)), "after": Checker(load_guidelines(args.after))}
    post_3000 = long_post(3000)
    cases = [
        ("280 chars, x", POST_280, "x"),
        ("3,000 chars, linkedin", post_3000, "linkedin"),
        ("3,000 chars, linkedin, no product word", post_3000.replace("MagentaTV", "Fernsehen"), "linkedin"),
    ]
    clock, cpu_clock = time.perf_counter_ns, time.thread_time_ns
    for label, text, channel in cases:
        samples: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in checkers}
        for checker in checkers.values():  # warm-up
            for _ in range(20):
                checker.check(text, channel, date=CHECK_DATE)
        done = 0
        while done < args.runs:
            n = min(BLOCK, args.runs - done)
            for name, checker in checkers.items():
                wall, cpu = samples[name]
                for _ in range(n):
                    start, cpu_start = clock(), cpu_clock()
                    checker.check(text, channel, date=CHECK_DATE)
                    cpu_end, end = cpu_clock(), clock()
                    wall.append((end - start) / 1e6)
                    cpu.append((cpu_end - cpu_start) / 1e6)
            done += n
        print(f"{label}:")
        medians = {}
        for name, (wall, cpu) in samples.items():
            cpu_stats, wall_stats = Stats.of(cpu), Stats.of(wall)
            medians[name] = cpu_stats.median
            print(f"  {name:<6} " + cpu_stats.line("cpu"))
            print(f"  {name:<6} " + wall_stats.line("wall"))
        print(f"  after/before (cpu median): {medians['after'] / medians['before']:.2f}")


if __name__ == "__main__":
    main()
