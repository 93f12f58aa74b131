"""Calibration of the voice score: does an author's held-out post outscore other authors' posts?

Run: ``python benchmarks/voice_eval.py [--boot N] [--split tune|report|both]``

Data: ``benchmarks/data/voice/*.txt``, one file per author, posts separated by ``---`` lines (read with
drafter's own importer). The posts were written for this benchmark (nothing could be downloaded): six
invented ambassadors with distinct, realistic styles, about 40 tweet-length posts each, on overlapping
topics so that topic words do not give the author away (see ``benchmarks/data/voice/README.md``).

Method: each author's posts are split into five folds by position (post ``i`` is in fold ``i % 5``).
Fold 0 is the **tuning split** (weights, floors and the scale were chosen looking at it only); folds 1–4
are the **report split**. For a fold ``k`` and an author ``A``: the profile is built from ``A``'s posts
outside fold ``k``; every pair (``A``'s post in fold ``k``, another author's post in fold ``k``) counts as
correct when ``A``'s own post scores higher (ties count half). The pooled share of correct pairs is the
pairwise accuracy, i.e. the AUC. The spread comes from a bootstrap over the query posts (resampled with
replacement, 1,000 times by default): median and 2.5–97.5 % interval. Because language alone separates
the two English authors from the four German ones, the AUC is also given for same-language pairs only.
Timing: median and spread of one ``score()`` call (a tweet), of building a 32-post profile, and for a
2,000-post archive of building the profile from the store vs reading the cached one.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from drafter.voice import build_profile, measure, score
from drafter.voice_import import read_file

DATA = Path(__file__).resolve().parent / "data" / "voice"
FOLDS = 5
TUNE_FOLDS = (0,)
REPORT_FOLDS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Query:
    author: str
    fold: int
    language: str | None
    #: score of this post against every author's profile for its fold
    scores: dict[str, float]


@dataclass(frozen=True)
class Result:
    auc: float
    same_language_auc: float
    pairs: int
    queries: list[Query]


def load_authors(folder: Path = DATA) -> dict[str, list[str]]:
    """Author name (the file's stem) -> posts, in file order."""
    return {path.stem: [text for _, text in read_file(path).posts] for path in sorted(folder.glob("*.txt"))}


def _queries(authors: dict[str, list[str]], fold_ids: tuple[int, ...]) -> list[Query]:
    out = []
    for fold in fold_ids:
        profiles = {
            name: build_profile([p for i, p in enumerate(posts) if i % FOLDS != fold])
            for name, posts in authors.items()
        }
        for name, posts in authors.items():
            for i, post in enumerate(posts):
                if i % FOLDS != fold:
                    continue
                scores = {}
                for other, profile in profiles.items():
                    value = score(profile, post).score
                    scores[other] = -1.0 if value is None else float(value)
                out.append(Query(name, fold, measure(post).language, scores))
    return out


def _auc(queries: list[Query], same_language: bool = False) -> tuple[float, int]:
    """Pooled pairwise accuracy: for each profile owner A, A's posts vs other authors' posts (same fold)."""
    correct = 0.0
    pairs = 0
    by_fold: dict[int, list[Query]] = {}
    for q in queries:
        by_fold.setdefault(q.fold, []).append(q)
    for fold_queries in by_fold.values():
        owners = {q.author for q in fold_queries}
        for owner in owners:
            own = [q for q in fold_queries if q.author == owner]
            others = [q for q in fold_queries if q.author != owner]
            for mine in own:
                for theirs in others:
                    if same_language and (mine.language is None or mine.language != theirs.language):
                        continue
                    a, b = mine.scores[owner], theirs.scores[owner]
                    correct += 1.0 if a > b else 0.5 if a == b else 0.0
                    pairs += 1
    return (correct / pairs if pairs else float("nan")), pairs


def evaluate(authors: dict[str, list[str]], fold_ids: tuple[int, ...] = REPORT_FOLDS) -> Result:
    queries = _queries(authors, fold_ids)
    auc, pairs = _auc(queries)
    same, _ = _auc(queries, same_language=True)
    return Result(auc, same, pairs, queries)


def bootstrap(queries: list[Query], runs: int, seed: int = 13) -> tuple[list[float], list[float]]:
    rng = random.Random(seed)
    aucs, same = [], []
    for _ in range(runs):
        sample = [queries[rng.randrange(len(queries))] for _ in queries]
        aucs.append(_auc(sample)[0])
        same.append(_auc(sample, same_language=True)[0])
    return aucs, same


def _interval(values: list[float]) -> str:
    ordered = sorted(v for v in values if v == v)
    lo = ordered[int(0.025 * (len(ordered) - 1))]
    hi = ordered[int(0.975 * (len(ordered) - 1))]
    return f"median {statistics.median(ordered):.3f}, 95 % interval {lo:.3f}–{hi:.3f}"


def _timing(authors: dict[str, list[str]], runs: int = 200) -> None:
    posts = next(iter(authors.values()))
    profile = build_profile(posts[:32])
    tweet = posts[-1]
    calls = []
    for _ in range(runs):
        started = time.perf_counter()
        score(profile, tweet)
        calls.append((time.perf_counter() - started) * 1e6)
    builds = []
    for _ in range(20):
        started = time.perf_counter()
        build_profile(posts[:32])
        builds.append((time.perf_counter() - started) * 1e3)
    print(
        f"score() of one tweet: median {statistics.median(calls):.0f} µs, "
        f"p10–p90 {_pct(calls, 0.1):.0f}–{_pct(calls, 0.9):.0f} µs ({runs} runs)"
    )
    print(
        f"build_profile(32 posts): median {statistics.median(builds):.1f} ms, "
        f"p10–p90 {_pct(builds, 0.1):.1f}–{_pct(builds, 0.9):.1f} ms (20 runs)"
    )


def _cache_timing(authors: dict[str, list[str]], size: int = 2000, runs: int = 5) -> None:
    """A large archive: building the profile from the stored posts vs reading the cached profile."""
    import tempfile

    from drafter.store import Store
    from drafter.voice import VoiceStore

    posts = [p for ps in authors.values() for p in ps]
    archive = [f"{posts[i % len(posts)]} ({i})" for i in range(size)]
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.sqlite3") as store:
        voices = VoiceStore(store)
        voices.add([(f"bench#{i}", text) for i, text in enumerate(archive)])
        builds, reads = [], []
        for _ in range(runs):
            store.set_meta("voice.profile", "")  # no cache: built from the posts (and cached)
            started = time.perf_counter()
            voices.profile()
            builds.append(time.perf_counter() - started)
            started = time.perf_counter()
            voices.profile()
            reads.append(time.perf_counter() - started)
    print(
        f"profile of {size:,} stored posts: built median {statistics.median(builds):.2f} s "
        f"(min–max {min(builds):.2f}–{max(builds):.2f}); from the cache median "
        f"{statistics.median(reads) * 1e3:.1f} ms (min–max {min(reads) * 1e3:.1f}–{max(reads) * 1e3:.1f}) ({runs} runs)"
    )


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boot", type=int, default=1000, help="bootstrap resamples (default 1000)")
    parser.add_argument("--split", choices=["tune", "report", "both"], default="report")
    args = parser.parse_args(argv)
    authors = load_authors()
    sizes = ", ".join(f"{name} {len(posts)}" for name, posts in authors.items())
    print(f"{len(authors)} authors ({sizes} posts)")
    splits = {"tune": TUNE_FOLDS, "report": REPORT_FOLDS}
    chosen = ["tune", "report"] if args.split == "both" else [args.split]
    for split in chosen:
        result = evaluate(authors, splits[split])
        aucs, same = bootstrap(result.queries, args.boot)
        print(f"[{split} split, folds {', '.join(map(str, splits[split]))}] {result.pairs} pairs")
        print(f"  pairwise accuracy (AUC), all pairs:           {result.auc:.3f} ({_interval(aucs)})")
        print(f"  pairwise accuracy (AUC), same-language pairs: {result.same_language_auc:.3f} ({_interval(same)})")
        per_author = []
        for name in authors:
            own = [q for q in result.queries if q.author == name]
            mine = statistics.median(q.scores[name] for q in own)
            theirs = statistics.median(q.scores[name] for q in result.queries if q.author != name)
            per_author.append(f"{name}: own {mine:.0f} / others {theirs:.0f}")
        print("  median score against each profile: " + "; ".join(per_author))
    _timing(authors)
    _cache_timing(authors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
