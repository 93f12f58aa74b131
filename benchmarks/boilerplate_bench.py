"""What the boilerplate list of ``originality.corpus`` costs, and what it changes. Prints figures; asserts nothing.

    python benchmarks/boilerplate_bench.py                  # 20,000 posts, a third ending in the disclaimer
    python benchmarks/boilerplate_bench.py --posts 5000 --runs 100

The corpus is ``originality_bench.py``'s generated posts (seeded); a share of them (``--share``) end with the
network's disclaimer (the first text of the bundled rule's ``boilerplate:`` list) in a paragraph of their own,
as ambassadors who sign every post write. Drafts are fresh generated posts, each with the disclaimer under it.

For each draft, :func:`drafter.originality.similarity_findings` on the stored index (paragraphs compared, as
the bundled rule does) runs twice, alternating: without the list (as before the list existed) and with it.
Reported: thread CPU time per check (median, IQR, p95) and how many fresh drafts get a finding (each is a false
positive: the drafts copy nothing but the disclaimer). Targets: none set; the corpus answer runs after a pause
in typing, in a worker, never on a keystroke.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from originality_bench import make_post  # noqa: E402

from drafter.guidelines import load_guidelines  # noqa: E402
from drafter.originality import CorpusPost, StoredPostIndex, similarity_findings  # noqa: E402
from drafter.rules.similarity import CorpusSimilarityRule  # noqa: E402
from drafter.store import Store  # noqa: E402


def _spread(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    q = statistics.quantiles(ms, n=20)
    return f"median {statistics.median(ms):.2f} ms (IQR {q[4]:.2f}–{q[14]:.2f}, p95 {q[18]:.2f}, max {ms[-1]:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--share", type=float, default=0.33, help="share of corpus posts with the disclaimer")
    parser.add_argument("--runs", type=int, default=200, help="drafts checked")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rule = next(r for r in load_guidelines().rules if isinstance(r, CorpusSimilarityRule))
    disclaimer = rule.boilerplate[0]
    rng = random.Random(args.seed)
    posts = []
    for i in range(args.posts):
        text, _ = make_post(rng)
        if rng.random() < args.share:
            text = f"{text}\n\n{disclaimer}"
        posts.append(CorpusPost(text, source=f"colleague-{i % 150}"))
    drafts = [f"{make_post(rng)[0]}\n\n{disclaimer}" for _ in range(args.runs)]

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.sqlite3") as store:
        index = StoredPostIndex(store)
        began = time.perf_counter()
        index.add_many(posts)
        took = time.perf_counter() - began
        print(f"{args.posts:,} posts ({args.share:.0%} with the disclaimer) stored in {took:.1f} s")
        cost: dict[str, list[float]] = {"without the list": [], "with the list": []}
        flagged = {name: 0 for name in cost}
        for n, draft in enumerate(drafts):
            order = list(cost) if n % 2 == 0 else list(reversed(cost))
            for name in order:
                index._memo = {}  # each draft asked afresh (the editor asks once per pause)
                index._passage_memo = {}
                listed = rule.boilerplate if name == "with the list" else ()
                start = time.thread_time()
                found = similarity_findings(
                    draft, index, rule.warning_at, rule.error_at, passage_words=rule.passage_words, boilerplate=listed
                )
                cost[name].append(time.thread_time() - start)
                flagged[name] += bool(found)
        for name, values in cost.items():
            print(f"{name:17s} CPU per check {_spread(values)}; fresh drafts flagged {flagged[name]}/{args.runs}")


if __name__ == "__main__":
    main()
