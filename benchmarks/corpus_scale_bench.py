"""Corpus at real size: start-up, lint, import and query with 100,000 posts, before and after, and 1,000,000.

Every figure comes from fresh processes run side by side in this run: the code in this checkout
("after") and another tree ("before", e.g. main's ``git worktree add /tmp/before-speed 726fd9e``), each
child started with ``PYTHONPATH=<tree>`` from ``/tmp`` so it imports that tree's ``drafter``.

    python benchmarks/corpus_scale_bench.py                        # 100,000 posts, before and after
    python benchmarks/corpus_scale_bench.py --before ''            # after only
    python benchmarks/corpus_scale_bench.py --million              # also 1,000,000 posts (after only)
    python benchmarks/corpus_scale_bench.py --million-only         # only that
    python benchmarks/corpus_scale_bench.py --app-only --before /work/main --runs 10  # app start, alternated

Posts come from the seeded generator of ``originality_bench.py`` (20 topics, German and English),
written as JSONL files of 10,000 posts (``drafter corpus import`` takes files up to 10 MiB). Generated
files and stores are cached under ``--cache`` (default ``/tmp/drafter-corpus-bench``) between runs;
``--fresh`` deletes the cache first.

Measures (median and spread over ``--runs`` processes, wall clock from spawning the process, peak RSS
of that process):

* import: ``drafter corpus import`` of all posts (once per tree; cached with the store);
* first lint after the import: ``drafter lint`` of a near-copy on a copy of the freshly imported store
  (before: signatures are computed now; after: at import);
* lint: ``drafter lint`` of the same near-copy on the warm store, and on an empty home (cold lint);
* app start: the real app headless (``gc_freeze`` as ``run()`` sets it) until the first originality
  query of a near-copy has answered (the corpus worker's ``build`` and a query), and the CPU time until
  then; the longest stall of the UI loop (a 10 ms ticker's largest gap beyond 10 ms) over the whole
  start (until the start-up load is done, and the answer is in), and the longest after the first paint
  (the first screen's own layout is one step of the UI loop), and the UI thread's longest stretch of its
  own CPU time between two ticks (its work without the waits of a busy machine or the GIL);
  ``--app-only`` alternates the trees run by run;
* query: in-process latency of 200 queries (100 near-copies, 100 unrelated posts) after ``build``;
* store size: the database file (and its WAL, if any).

Targets (issue 14): app start ≤ 1 s, RSS ≤ 200 MiB, UI responsive; lint ≤ 0.6 s; first lint after an
import needs no signature work; cold lint ≤ 0.25 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PER_FILE = 10_000
CPU: list[float] = []
"""CPU seconds of the children run by :func:`run_rss` (a busy machine inflates wall time, less so this)."""
QUERIES = 100

# -- children (run in their own process, with PYTHONPATH set to the tree under test) ---------------------


def _rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_app(draft_file: str, reopen: str = "") -> None:
    """The real app, headless and built as ``run()`` builds it: prints READY when a query of the near-copy
    has answered after the corpus worker readied the index, then STARTED when the whole start-up load is
    done too (0.2 s after the team sync began), with the UI's longest stalls over the whole start.

    ``reopen``: the id of a stored draft (the near-copy) that the app reopens; READY then means its
    compose screen shows the originality finding — what the user waits for — and NEVER is printed when
    it does not within 5 s of the start-up load."""
    text = Path(draft_file).read_text(encoding="utf-8")
    if reopen:
        from drafter.drafts import DraftStore
        from drafter.store import Store

        with Store() as store:  # the app forgets the pointer until the draft is painted: set it each time
            DraftStore(store).remember_last(reopen)
    from drafter.tui.app import DrafterApp

    state = {"last": time.perf_counter(), "stall": 0.0, "after": 0.0, "painted": 0.0, "ready": 0.0, "loaded": 0.0}
    # the UI thread's own CPU time between two ticks: its work, without the waits that a busy machine or
    # another thread holding the GIL add to the wall-clock gap
    state |= {"cpu_last": time.thread_time(), "cpu_stall": 0.0}

    class Bench(DrafterApp):
        CSS_PATH = str(Path(sys.modules[DrafterApp.__module__].__file__ or "").parent / str(DrafterApp.CSS_PATH))

        def on_mount(self) -> None:
            def tick() -> None:
                now = time.perf_counter()
                gap = now - state["last"] - 0.01
                state["stall"] = max(state["stall"], gap)
                if state["painted"]:
                    state["after"] = max(state["after"], gap)
                state["last"] = now
                cpu = time.thread_time()
                state["cpu_stall"] = max(state["cpu_stall"], cpu - state["cpu_last"])
                state["cpu_last"] = cpu
                if reopen and not state["ready"] and self._bench_finding_shown():
                    self._bench_ready(1.0)
                    self._bench_done("ready")

            state["last"] = time.perf_counter()
            state["cpu_last"] = time.thread_time()
            self.set_interval(0.01, tick)

        def after_first_paint(self) -> None:
            if not state["painted"]:  # stalls from now on are also counted apart ("after first paint")
                state["painted"] = time.time()
            super().after_first_paint()

        def _bench_finding_shown(self) -> bool:
            editor = getattr(self.screen, "editor", None) if self.screen.is_mounted else None
            return any(f.rule == "originality.corpus" for f in getattr(editor, "findings", ()))

        def _bench_ready(self, best: float) -> None:
            cpu = time.process_time()
            stamp, rss = time.time(), _rss_mib()
            if not state["ready"]:
                print(f"READY {stamp:.6f} {best:.3f} {rss:.1f} {cpu:.3f} {state['painted'] or stamp:.6f}", flush=True)

        def _build_corpus(self, force: bool = False) -> None:
            super()._build_corpus(force)
            if reopen:
                return
            found = self.workspace.stored_corpus().query(text)
            self._bench_ready(found[0].similarity if found else 0.0)
            self.call_from_thread(self._bench_done, "ready")

        def _start_team_sync(self) -> None:
            super()._start_team_sync()
            self._bench_done("loaded")
            if reopen:
                self.set_timer(5.0, self._bench_never)

        def _bench_never(self) -> None:
            if not state["ready"]:
                stalls = f"{state['stall']:.4f} {state['after']:.4f} {state['cpu_stall']:.4f}"
                print(f"NEVER {state['painted'] or time.time():.6f} {stalls}", flush=True)
                self.exit()

        def _bench_done(self, what: str) -> None:
            first = not (state["ready"] and state["loaded"])
            state[what] = 1.0
            if first and state["ready"] and state["loaded"]:
                self.set_timer(0.2, self._bench_report)

        def _bench_report(self) -> None:
            print(f"STARTED {state['stall']:.4f} {state['after']:.4f} {state['cpu_stall']:.4f}", flush=True)
            self.exit()

    # gc_freeze as run() starts the app (its start-up collection is part of what the UI waits for)
    Bench(onboarding=False, reopen_last=bool(reopen), import_samples=False, cursor_blink=False, gc_freeze=True).run(
        headless=True, size=(120, 40)
    )


def child_seed(draft_file: str) -> None:
    """Store the near-copy as a draft (for the app to reopen); prints its id."""
    from drafter.drafts import DraftStore
    from drafter.store import Store

    with Store() as store:
        print(DraftStore(store).create(Path(draft_file).read_text(encoding="utf-8"), channels=["linkedin"]).id)


def child_query(store_path: str, queries_file: str) -> None:
    """Build the stored index (as lint and the app do), then time queries; prints one JSON line."""
    from drafter.originality import StoredPostIndex
    from drafter.store import Store

    queries = [json.loads(line) for line in Path(queries_file).read_text(encoding="utf-8").splitlines()]
    t0 = time.perf_counter()
    index = StoredPostIndex(Store(Path(store_path)), sync_on_query=False)
    index.build()
    build = time.perf_counter() - t0
    index.query(queries[0]["text"])  # imports numpy (before: datasketch) once
    latencies: dict[str, list[float]] = {"copy": [], "unrelated": []}
    found = 0
    for q in queries:
        t0 = time.perf_counter()
        results = index.query(q["text"])
        latencies[q["kind"]].append(time.perf_counter() - t0)
        if q["kind"] == "copy" and any(r.source == q["source"] and r.similarity >= 0.5 for r in results):
            found += 1
    print(json.dumps({"build": build, "latencies": latencies, "found": found, "rss": _rss_mib()}))


def post_text(rng: object, long_share: float) -> tuple[str, dict[str, object] | None]:
    """A generated post: of several paragraphs (``originality_bench.make_long_post``) with probability
    ``long_share``, else one paragraph with its hashtags (``make_post``, whose meta near copies need)."""
    from originality_bench import make_long_post, make_post

    if long_share and rng.random() < long_share:  # type: ignore[attr-defined]
        return make_long_post(rng)[0], None  # type: ignore[arg-type]
    return make_post(rng)  # type: ignore[arg-type]


def child_generate(store_path: str, posts: int, seed: int, long_share: float = 0.0) -> None:
    """Fill a store with ``posts`` generated posts through ``StoredPostIndex.add_many``, 50,000 per
    transaction (used for the 1,000,000-post store, where JSONL files would be a 300 MB detour)."""
    from drafter.originality import CorpusPost, StoredPostIndex
    from drafter.store import Store

    sys.path.insert(1, str(HERE))
    import random

    rng = random.Random(seed)
    index = StoredPostIndex(Store(Path(store_path)))
    done = 0
    t0 = time.perf_counter()
    while done < posts:
        n = min(50_000, posts - done)
        batch = (CorpusPost(text=post_text(rng, long_share)[0], source=f"gen/{done + i}") for i in range(n))
        index.add_many(batch)
        done += n
        print(f"  {done:,} posts stored ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    print(json.dumps({"seconds": time.perf_counter() - t0, "rss": _rss_mib()}))


# -- the parent -----------------------------------------------------------------------------------------


def run(tree: Path, args: list[str], home: Path | None = None, timeout: float = 3600) -> str:
    """Run ``python ARGS`` with ``tree`` first on the path (from /tmp); its stdout."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    if home is not None:
        env["DRAFTER_HOME"] = str(home)
    proc = subprocess.run(
        [sys.executable, *args], cwd="/tmp", env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{args} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return proc.stdout


def run_rss(tree: Path, args: list[str], home: Path | None = None) -> tuple[float, float, str]:
    """Like :func:`run`: (wall seconds, the child's own peak RSS in MiB (os.wait4), stdout). The child's
    CPU time (user + system) is added to :data:`CPU`."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    if home is not None:
        env["DRAFTER_HOME"] = str(home)
    out_path = Path(f"/tmp/corpus-scale-bench-{os.getpid()}.out")
    with open(out_path, "w+", encoding="utf-8") as out, open(os.devnull, "w") as devnull:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *args], cwd="/tmp", env=env, stdout=out, stderr=devnull)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    out_path.unlink()
    CPU.append(usage.ru_utime + usage.ru_stime)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{args} failed with exit code {proc.returncode}")
    return wall, usage.ru_maxrss / 1024, text


def spread(values: list[float], unit: str = "s", scale: float = 1.0) -> str:
    v = sorted(x * scale for x in values)
    med = statistics.median(v)
    if len(v) >= 4:
        q = statistics.quantiles(v, n=4)
        extra = f"IQR {q[0]:.3f}–{q[2]:.3f}, "
    else:
        extra = ""
    return f"median {med:.3f} {unit} ({extra}min {v[0]:.3f}, max {v[-1]:.3f}, n={len(v)})"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def generate(cache: Path, posts: int, seed: int, long_share: float = 0.0) -> tuple[Path, Path, Path]:
    """JSONL files of the corpus, a near-copy draft and the query set (cached)."""
    sys.path.insert(0, str(HERE))
    import random

    from originality_bench import make_post, near_copy

    folder = cache / (f"posts-{posts}-s{seed}" + (f"-long{long_share:g}" if long_share else ""))
    draft = folder / "draft.txt"
    queries = folder / "queries.jsonl"
    if (folder / "done").exists():
        return folder / "jsonl", draft, queries
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "jsonl").mkdir(parents=True)
    rng = random.Random(seed)
    t0 = time.perf_counter()
    metas = []
    for start in range(0, posts, PER_FILE):
        lines = []
        for i in range(start, min(posts, start + PER_FILE)):
            text, meta = make_post(rng) if i < QUERIES + 1 else post_text(rng, long_share)
            if meta is not None and i < QUERIES + 1:
                metas.append(meta)
            lines.append(json.dumps({"text": text, "id": f"p{i}"}, ensure_ascii=False))
        (folder / "jsonl" / f"part-{start // PER_FILE:04d}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    kinds = ["word", "reorder", "hashtags", "all"]
    draft.write_text(near_copy(rng, metas[0], "word") + "\n", encoding="utf-8")
    rows = []
    for i in range(1, QUERIES + 1):
        source = f"{folder / 'jsonl' / 'part-0000.jsonl'}#p{i}"
        rows.append({"kind": "copy", "text": near_copy(rng, metas[i], kinds[i % 4]), "source": source})
    other = random.Random(seed + 1000)
    rows += [{"kind": "unrelated", "text": make_post(other)[0], "source": ""} for _ in range(QUERIES)]
    queries.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    (folder / "done").touch()
    print(f"generated {posts:,} posts in {time.perf_counter() - t0:.0f} s → {folder}")
    return folder / "jsonl", draft, queries


def store_size(home: Path) -> str:
    db = home / "data" / "drafter.sqlite3"
    size = db.stat().st_size
    wal = Path(f"{db}-wal")
    extra = f" + WAL {wal.stat().st_size / 2**20:.0f} MiB" if wal.exists() and wal.stat().st_size else ""
    return f"{size / 2**20:.0f} MiB{extra}"


def prepare(tree_name: str, tree: Path, cache: Path, jsonl: Path, posts: int) -> tuple[Path, dict[str, float]]:
    """A home whose store holds the imported corpus (``drafter corpus import``), imported once and kept
    untouched (``pristine``); returns it and the import's figures."""
    base = cache / f"{tree_name}-{jsonl.parent.name}"  # posts-N-sSEED[-longSHARE]
    pristine = base / "pristine"
    figures = base / "import.json"
    if figures.exists() and (pristine / "data" / "drafter.sqlite3").exists():
        return pristine, json.loads(figures.read_text())
    shutil.rmtree(base, ignore_errors=True)
    pristine.mkdir(parents=True)
    files = sorted(str(p) for p in jsonl.iterdir())
    wall, rss, _ = run_rss(tree, ["-m", "drafter", "corpus", "import", *files], home=pristine)
    result = {"seconds": wall, "rss": rss}
    figures.write_text(json.dumps(result))
    return pristine, result


def copy_home(source: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    return target


def bench_tree(
    name: str, tree: Path, cache: Path, posts: int, runs: int, first_runs: int, inputs: tuple[Path, Path, Path]
) -> dict[str, object]:
    jsonl, draft, queries = inputs
    print(f"\n== {name}: {tree} ({posts:,} posts)", flush=True)
    pristine, imported = prepare(name, tree, cache, jsonl, posts)
    print(
        f"import ({posts:,} posts, drafter corpus import): {imported['seconds']:.1f} s, RSS {imported['rss']:.0f} MiB"
    )
    lint = ["-m", "drafter", "lint", str(draft), "--channel", "linkedin", "--date", "2026-11-30"]
    first_wall, first_rss = [], []
    CPU.clear()
    warm = cache / f"{name}-{posts}" / "warm"
    for i in range(first_runs):
        home = copy_home(pristine, cache / f"{name}-{posts}" / "first")
        wall, rss, out = run_rss(tree, lint, home=home)
        first_wall.append(wall)
        first_rss.append(rss)
        if i == 0:
            assert "originality" in out, f"no originality finding in the first lint: {out}"
    shutil.rmtree(warm, ignore_errors=True)
    (cache / f"{name}-{posts}" / "first").rename(warm)
    print(f"first lint after import: {spread(first_wall)}; CPU {spread(CPU)}; RSS {spread(first_rss, 'MiB')}")

    lint_wall, lint_rss = [], []
    CPU.clear()
    for _ in range(runs):
        wall, rss, out = run_rss(tree, lint, home=warm)
        lint_wall.append(wall)
        lint_rss.append(rss)
    print(f"lint, warm store: {spread(lint_wall)}; CPU {spread(CPU)}; RSS {spread(lint_rss, 'MiB')}")

    empty = cache / f"{name}-empty"
    shutil.rmtree(empty, ignore_errors=True)
    empty.mkdir(parents=True)
    cold_wall = []
    CPU.clear()
    for _ in range(runs):
        wall, _rss, _out = run_rss(tree, lint, home=empty)
        cold_wall.append(wall)
    print(f"cold lint, no corpus: {spread(cold_wall)}; CPU {spread(CPU)}")

    app_ready = app_start(tree, draft, warm, runs, require_copy=True)
    q, all_lat = query_figures(tree, warm, queries)
    print(
        f"query (in process, after build {q['build']:.2f} s): {spread(all_lat, 'ms', 1000)}, "
        f"p99 {percentile(all_lat, 0.99) * 1000:.2f} ms; near-copies {spread(q['latencies']['copy'], 'ms', 1000)}; "
        f"found {q['found']}/{QUERIES} at ≥ 0.5; RSS {q['rss']:.0f} MiB"
    )
    print(f"store size: {store_size(warm)}")
    return {"app": statistics.median(app_ready), "lint": statistics.median(lint_wall)}


def app_once(tree: Path, draft: Path, home: Path, *, require_copy: bool, reopen: str = "") -> tuple[float, ...]:
    """One app start on ``home``: (wall s and CPU s until its first originality answer, RSS MiB then,
    longest UI stall s and the longest after the first paint s, both over the whole start-up load, first
    paint s (wall; the answer's time when it came first), the UI thread's longest stretch of its own CPU
    time between two ticks s). ``reopen``: a draft to reopen, the answer being its finding on screen
    (the first three are NaN when it never showed)."""
    t0 = time.time()
    out = run(tree, [__file__, "--child", "app", str(draft), *([reopen] if reopen else [])], home=home, timeout=600)
    never = next((x.split() for x in out.splitlines() if x.startswith("NEVER ")), None)
    if never is not None:
        nan = float("nan")
        _, painted, stall, after, ui_cpu = never
        return nan, nan, nan, float(stall), float(after), float(painted) - t0, float(ui_cpu)
    line = next(x for x in out.splitlines() if x.startswith("READY "))
    _, stamp, best, rss_text, cpu, painted = line.split()
    if require_copy:
        assert float(best) >= 0.5, f"the app's query did not find the copy: {line}"
    _, stall, after, ui_cpu = next(x for x in out.splitlines() if x.startswith("STARTED ")).split()
    return (
        float(stamp) - t0,
        float(cpu),
        float(rss_text),
        float(stall),
        float(after),
        float(painted) - t0,
        float(ui_cpu),
    )


def print_app(figures: list[tuple[float, ...]], label: str = "") -> None:
    wall, cpu, rss, stall, after, paint, ui_cpu = (list(column) for column in zip(*figures, strict=True))
    shown = [i for i, w in enumerate(wall) if w == w]  # not NaN: the answer came
    if len(shown) < len(wall):
        label += f"[no answer in {len(wall) - len(shown)} of {len(wall)} runs] "
    if shown:
        answered = (
            f"{spread([wall[i] for i in shown])}; CPU {spread([cpu[i] for i in shown])}; "
            f"RSS {spread([rss[i] for i in shown], 'MiB')}"
        )
    else:
        answered = "never"
    print(
        f"{label}app start → originality answered: {answered}; "
        f"longest UI stall during the start {spread(stall, 'ms', 1000)}; after the first paint "
        f"{spread(after, 'ms', 1000)}; the UI thread's own longest CPU stretch {spread(ui_cpu, 'ms', 1000)}; "
        f"first paint {spread(paint)}"
    )


def app_start(tree: Path, draft: Path, home: Path, runs: int, *, require_copy: bool) -> list[float]:
    """Start the app ``runs`` times on ``home`` until its first originality answer; prints the figures and
    returns the wall times."""
    figures = [app_once(tree, draft, home, require_copy=require_copy) for _ in range(runs)]
    print_app(figures)
    return [f[0] for f in figures]


def app_only(trees: list[tuple[str, Path]], cache: Path, posts: int, runs: int, draft: Path) -> None:
    """App start only, the trees alternated run by run (a busy machine then weighs on both alike), all
    on one scratch copy of this checkout's warm store (the store layout must be the same in every tree)."""
    warm = cache / f"after-{posts}" / "warm"
    if not (warm / "data" / "drafter.sqlite3").exists():
        raise SystemExit(f"{warm}: no warm store yet (run the full benchmark once)")
    scratch = Path(tempfile.mkdtemp(prefix="drafter-app-only-"))  # the app may write: never the cache itself
    home = copy_home(warm, scratch / "home")
    try:
        figures: dict[str, list[tuple[float, ...]]] = {name: [] for name, _ in trees}
        for _ in range(runs):
            for name, tree in trees:
                figures[name].append(app_once(tree, draft, home, require_copy=True))
        for name, tree in trees:
            print_app(figures[name], f"{name} ({tree}): ")
        # the near-copy as a draft that the app reopens: until its originality finding is on screen
        draft_id = run(REPO, [__file__, "--child", "seed", str(draft)], home=home).strip()
        figures = {name: [] for name, _ in trees}
        for _ in range(runs):
            for name, tree in trees:
                figures[name].append(app_once(tree, draft, home, require_copy=True, reopen=draft_id))
        for name, tree in trees:
            print_app(figures[name], f"{name} ({tree}), reopened near-copy, answer = its finding on screen: ")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def query_figures(tree: Path, home: Path, queries: Path) -> tuple[dict[str, Any], list[float]]:
    """The in-process query child's figures on ``home``'s store, and all its latencies."""
    out = run(tree, [__file__, "--child", "query", str(home / "data" / "drafter.sqlite3"), str(queries)])
    q = json.loads(out.strip().splitlines()[-1])
    return q, q["latencies"]["copy"] + q["latencies"]["unrelated"]


def bench_million(cache: Path, runs: int, inputs: tuple[Path, Path, Path], posts: int, long_share: float = 0.0) -> None:
    _jsonl, draft, queries = inputs
    home = cache / (f"after-{posts}-generated" + (f"-long{long_share:g}" if long_share else ""))
    figures = home / "generate.json"
    print(f"\n== after: {REPO} ({posts:,} posts, stored with add_many)", flush=True)
    if not figures.exists():
        shutil.rmtree(home, ignore_errors=True)
        (home / "data").mkdir(parents=True)
        wall, rss, out = run_rss(
            REPO,
            [__file__, "--child", "generate", str(home / "data" / "drafter.sqlite3"), str(posts), str(long_share)],
        )
        figures.write_text(json.dumps({"wall": wall, "rss": rss, **json.loads(out.strip().splitlines()[-1])}))
    made = json.loads(figures.read_text())
    print(f"generate and store {posts:,} posts: {made['wall']:.0f} s, RSS {made['rss']:.0f} MiB")
    # the draft is a near-copy of a post of the 100,000 set, which the 1,000,000 set starts with (same seed)
    lint = ["-m", "drafter", "lint", str(draft), "--channel", "linkedin", "--date", "2026-11-30"]
    lint_wall, lint_rss = [], []
    CPU.clear()
    for _ in range(runs):
        wall, rss, out = run_rss(REPO, lint, home=home)
        lint_wall.append(wall)
        lint_rss.append(rss)
    print(
        f"lint: {spread(lint_wall)}; CPU {spread(CPU)}; RSS {spread(lint_rss, 'MiB')}; finding: {'originality' in out}"
    )
    app_start(REPO, draft, home, runs, require_copy=False)
    q, all_lat = query_figures(REPO, home, queries)
    print(
        f"query (in process): {spread(all_lat, 'ms', 1000)}, p99 {percentile(all_lat, 0.99) * 1000:.2f} ms; "
        f"RSS {q['rss']:.0f} MiB"
    )
    print(f"store size: {store_size(home)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--first-runs", type=int, default=3, help="first lints after an import (each on a fresh copy)")
    parser.add_argument("--before", default="/tmp/before-speed", help="the tree to compare with ('' for none)")
    parser.add_argument("--million", action="store_true", help="also 1,000,000 posts (after only)")
    parser.add_argument("--million-posts", type=int, default=1_000_000)
    parser.add_argument("--million-only", action="store_true", help="only the 1,000,000-post part")
    parser.add_argument("--app-only", action="store_true", help="only the app start, before and after alternated")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/drafter-corpus-bench"))
    parser.add_argument("--fresh", action="store_true", help="delete the cache first")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--long-share",
        type=float,
        default=0.0,
        help="share of posts of several paragraphs (their paragraphs get index entries of their own)",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "app":
            child_app(*rest)
        elif kind == "seed":
            child_seed(rest[0])
        elif kind == "query":
            child_query(rest[0], rest[1])
        elif kind == "generate":
            child_generate(rest[0], int(rest[1]), args.seed, float(rest[2]) if len(rest) > 2 else 0.0)
        return
    if args.fresh:
        shutil.rmtree(args.cache, ignore_errors=True)
    args.cache.mkdir(parents=True, exist_ok=True)
    inputs = generate(args.cache, args.posts, args.seed, args.long_share)
    trees = [("after", REPO)]
    if args.before:
        trees.insert(0, ("before", Path(args.before)))
    if args.app_only:
        app_only(trees, args.cache, args.posts, args.runs, inputs[1])
        return
    for name, tree in [] if args.million_only else trees:
        bench_tree(name, tree, args.cache, args.posts, args.runs, args.first_runs, inputs)
    if args.million or args.million_only:
        bench_million(args.cache, args.runs, inputs, args.million_posts, args.long_share)


if __name__ == "__main__":
    main()
