"""Import of a generated 10,000-row brief CSV: median and spread over several runs. Asserts nothing.

Run: ``python benchmarks/briefs_bench.py [--rows 10000] [--runs 7] [--encoding cp1252|utf-8-sig]``

The CSV is written as German Excel writes it: ``;`` as delimiter, CRLF line ends, Windows-1252 by
default, German header names, German dates, quoted cells with line breaks and ``|``-separated lists,
one unknown column (kept as metadata). Each run measures, in a fresh store (own ``DRAFTER_HOME``):

* ``parse``  — read, decode, detect the delimiter and validate every row (``read_file``);
* ``store``  — write the validated briefs in one transaction (``BriefStore.import_briefs``);
* ``total``  — both, i.e. what ``drafter briefs import FILE`` does after start-up;
* ``again``  — importing the same file a second time (every brief unchanged: a no-op).

Target (issue 3): ``total`` under 3 s on this machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafter.brief_import import read_file  # noqa: E402
from drafter.brief_store import BriefStore  # noqa: E402
from drafter.briefs import BriefContext  # noqa: E402
from drafter.store import Store  # noqa: E402

UNITS = ["Technik – Netzausbau", "Personal – Ausbildung", "T-Systems – Geschäftskunden", "Privatkunden", "CR"]
GOALS = ["#LoveMagenta", "We Won't Stop", "werkstolz", "Love Magenta", "WeWontStop"]
CHANNELS = ["linkedin|x", "instagram, threads", "", "mastodon|bluesky|linkedin", "x"]
TOPICS = ["Glasfaser", "Ausbildung", "Cloud", "Handy-Rücknahme", "Respekt im Netz", "5G", "Service"]


def context() -> BriefContext:
    try:
        from drafter.guidelines import load_guidelines

        return load_guidelines().brief_context()
    except Exception:  # the bench also runs before the guideline engine exists
        goals = {"LoveMagenta": ["love magenta"], "WeWontStop": ["we won't stop"], "Werkstolz": []}
        return BriefContext.from_names(goals, ["x", "linkedin", "instagram", "threads", "mastodon", "bluesky"])


def make_csv(path: Path, rows: int, encoding: str, seed: int = 7) -> None:
    rnd = random.Random(seed)
    header = ["ID", "Titel", "Geschäftsbereich", "Ziel", "Kanäle", "Kernbotschaften", "Text",
              "Gültig ab", "Gültig bis", "Klassifizierung", "Hashtags", "Links", "Kontakt", "Priorität"]  # fmt: skip
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        for i in range(rows):
            topic = rnd.choice(TOPICS)
            start = rnd.randint(1, 28)
            writer.writerow(
                [
                    f"brief-{i:05d}",
                    f"{topic}: Thema Nr. {i} – „Wir sind dabei“",
                    rnd.choice(UNITS),
                    rnd.choice(GOALS),
                    rnd.choice(CHANNELS),
                    f"Erste Botschaft zu {topic}.\r\nZweite Botschaft; mit Semikolon.|Dritte Botschaft",
                    f"Hintergrund zu {topic}.\r\n\r\nBitte in eigenen Worten, keine Preise nennen. " * 2,
                    f"{start:02d}.12.2026",
                    f"{start:02d}.03.2027",
                    rnd.choice(["öffentlich", "intern", "vertraulich", ""]),
                    f"#{topic.replace(' ', '').replace('-', '')} #Telekom",
                    "https://example.com/a|https://example.com/b",
                    "Team Kommunikation, team@example.com",
                    rnd.choice(["hoch", "mittel", "niedrig"]),
                ]
            )


def spread(values: list[float]) -> str:
    med = statistics.median(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    lo, hi = min(values) * 1000, max(values) * 1000
    return f"median {med * 1000:8.1f} ms   min {lo:8.1f}   max {hi:8.1f}   sd {sd * 1000:6.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--encoding", default="cp1252", choices=["cp1252", "utf-8-sig", "utf-8"])
    args = parser.parse_args()

    ctx = context()
    timings: dict[str, list[float]] = {"parse": [], "store": [], "total": [], "again": []}
    with tempfile.TemporaryDirectory(prefix="briefs-bench-") as tmp:
        work = Path(tmp)
        path = work / "briefs.csv"
        make_csv(path, args.rows, args.encoding)
        size = path.stat().st_size
        for run in range(args.runs):
            os.environ["DRAFTER_HOME"] = str(work / f"home-{run}")
            with Store() as store:
                briefs = BriefStore(store)
                t0 = time.perf_counter()
                parsed = read_file(path, ctx)
                t1 = time.perf_counter()
                result = briefs.import_parsed(parsed, path)
                t2 = time.perf_counter()
                again = briefs.import_parsed(read_file(path, ctx), path)
                t3 = time.perf_counter()
            assert len(result.imported) == args.rows and len(again.unchanged) == args.rows
            timings["parse"].append(t1 - t0)
            timings["store"].append(t2 - t1)
            timings["total"].append(t2 - t0)
            timings["again"].append(t3 - t2)

    print(f"briefs import: {args.rows:,} CSV rows, {size / 1024 / 1024:.1f} MiB, {args.encoding}, {args.runs} runs")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpu(s)")
    for name, values in timings.items():
        print(f"  {name:<6} {spread(values)}")
    median_total = statistics.median(timings["total"])
    verdict = "meets" if median_total < 3.0 else "MISSES"
    print(f"target: total < 3 s -> {verdict} ({median_total:.2f} s; {args.rows / median_total:,.0f} rows/s)")


if __name__ == "__main__":
    main()
