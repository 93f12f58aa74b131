"""Keystroke to updated findings and underlines on a 3,000-character draft (target: median < 16 ms).

Runs the real app headless with a 3,000-character draft open in the compose screen, presses keys,
and measures from the key event reaching the editor to the moment the new findings are applied
*and* the editor's visible lines have been re-rendered with their underlines: CPU time of the process
(the primary figure: a machine busy with other work does not inflate it) and wall time. Measured for one
channel, for a draft checked for three channels at once, and (``--corpus-home``) for three channels with
a corpus. Each keystroke's path is counted: the check ran inline on the UI thread (its measured thread-CPU
cost under the editor's budget) or in a worker thread.

    python benchmarks/tui_keystroke_bench.py [--keys 60] [--corpus-home DIR] [--before DIR]

``--corpus-home DIR``: also type with the three channels while the store of that DRAFTER_HOME (copied
first; e.g. ``/tmp/drafter-corpus-bench/after-100000/warm`` made by ``corpus_scale_bench.py``) is the
corpus, so every check also asks it for near-copies. ``check()`` is the check's own cost as the editor
measures it (thread CPU time). ``--before DIR`` (default: the ``main`` checkout beside this one, when it
exists; ``''`` for none): the same runs with DIR's package, each configuration before and after in turn,
every run in a fresh process. ``--runs N`` repeats that N times (the figures pool all runs).

With a corpus the run ends with ``--copies`` near-copies of corpus posts (one word changed), each pasted
over the draft: "paste→originality finding" is the wall time from the paste to the moment the editor
shows the originality finding (where the corpus is asked after a pause in typing, that pause included).

Noise: the last lines compare three channels with and without the corpus per side, for the keystroke's
process CPU and the check's thread CPU: the difference of the medians with its 95 % bootstrap interval
("within noise" when the interval holds 0; "slower" when it lies above), and whether the interquartile
ranges overlap (too weak alone: a 0.9 ms cost hides in a keystroke's 1.5 ms IQR).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: the checkout whose package is measured: this one, or another one's in a ``--worker`` process
ROOT = Path(os.environ.get("DRAFTER_BENCH_ROOT", REPO))
sys.path.insert(0, str(ROOT))

BASE = (
    "Heute war ich mit meinem Team beim Glasfaserausbau in unserer Stadt unterwegs!! "
    "Wir haben gesehen, wie viel Arbeit in jedem Meter steckt, und ich bin stolz darauf. "
    "Schaut euch die Bilder an: https://example.org/ausbau #WeWontStop\n"
)


def draft_text(n: int = 3000) -> str:
    text = (BASE * (n // len(BASE) + 1))[:n]
    return text[:-1] + "\n"


def summary(name: str, values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    med = statistics.median(ms)
    p90 = ms[int(len(ms) * 0.9) - 1]
    q = statistics.quantiles(ms, n=4)
    return (
        f"{name:<34} median {med:6.2f} ms   IQR {q[0]:5.2f}–{q[2]:5.2f}   p90 {p90:6.2f}   max {ms[-1]:6.2f}"
        f"   (n={len(ms)})"
    )


def near_copies(store_path: Path, n: int) -> list[str]:
    """``n`` corpus posts of 200+ characters from the store at ``store_path``, one word each changed."""
    import sqlite3

    with sqlite3.connect(store_path) as conn:
        rows = conn.execute(
            "SELECT text FROM corpus_posts WHERE length(text) > 200 ORDER BY seq LIMIT ? OFFSET 500", (n,)
        ).fetchall()
    out = []
    for (text,) in rows:
        words = text.split(" ")
        words[len(words) // 2] = "anders"
        out.append(" ".join(words))
    return out


async def measure(channels: list[str], keys: int, copies: list[str]) -> dict[str, list[float] | list[str] | str]:
    from drafter.tui.app import DrafterApp
    from drafter.tui.editor import DraftEditor
    from drafter.tui.screens import compose
    from drafter.tui.screens.compose import ComposeScreen

    app = DrafterApp(onboarding=False, reopen_last=False, cursor_blink=False, gc_freeze=True)
    stamps: dict[str, float] = {}
    latencies: list[float] = []
    cpu: list[float] = []
    checks: list[float] = []
    paths: list[str] = []
    found_after: list[float] = []

    original_key = DraftEditor._on_key

    async def on_key(self, event):  # type: ignore[no-untyped-def]
        stamps["key"] = time.perf_counter()
        stamps["cpu"] = time.process_time()
        await original_key(self, event)

    original_schedule = ComposeScreen.schedule_check

    def schedule_check(self):  # type: ignore[no-untyped-def]
        if "key" in stamps:  # the path this keystroke's check takes, decided as the screen decides it
            paths.append("inline" if self.check_cost <= compose.SYNC_CHECK_BUDGET else "worker")
        original_schedule(self)

    original_apply = ComposeScreen.apply_check

    def apply_check(self, version, check):  # type: ignore[no-untyped-def]
        original_apply(self, version, check)
        editor = self.editor
        if "key" in stamps and version == editor.text_version:
            editor.render_lines(editor.region.reset_offset)  # the visible lines, underlines included
            latencies.append(time.perf_counter() - stamps.pop("key"))
            cpu.append(time.process_time() - stamps.pop("cpu"))
            checks.append(check.seconds)

    DraftEditor._on_key = on_key  # type: ignore[method-assign]
    ComposeScreen.schedule_check = schedule_check  # type: ignore[method-assign]
    ComposeScreen.apply_check = apply_check  # type: ignore[method-assign]
    # where the findings are painted: every check's, and (where it exists) a corpus answer merged later
    show_name = "show_check" if hasattr(ComposeScreen, "show_check") else "apply_check"
    original_show = getattr(ComposeScreen, show_name)  # before's apply_check: the one patched above

    def show(self, version, check):  # type: ignore[no-untyped-def]
        original_show(self, version, check)
        flagged = any(f.category == "originality" for f in check.findings)
        if "paste" in stamps and version == self.editor.text_version and flagged:
            found_after.append(time.perf_counter() - stamps.pop("paste"))

    setattr(ComposeScreen, show_name, show)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            draft = app.drafts.create(draft_text(), channels=channels)
            app.open_draft(draft.id)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ComposeScreen)
            screen.editor.move_cursor((10, 20))
            await app.workers.wait_for_complete()  # start-up loading done (nobody types within 0.2 s)
            await pilot.pause()
            letters = "abcdefghijklmnopqrstuvwxyz !"
            for i in range(keys):
                await pilot.press(letters[i % len(letters)])
                deadline = time.perf_counter() + 1.0
                while "key" in stamps and time.perf_counter() < deadline:
                    await asyncio.sleep(0.001)
            assert len(screen.editor.text) >= 3000
            found = len(screen.editor.findings)
            from textual import events

            for copy in copies:  # pasted over the draft: until its originality finding shows
                await asyncio.sleep(0.5)
                screen.editor.select_all()
                stamps["paste"] = time.perf_counter()
                app.post_message(events.Paste(copy))
                deadline = time.perf_counter() + 5.0
                while "paste" in stamps and time.perf_counter() < deadline:
                    await asyncio.sleep(0.001)
                if stamps.pop("paste", None) is not None:
                    raise SystemExit("a pasted near-copy showed no originality finding within 5 s")
                screen.editor.select_all()  # an unrelated text again, so the next paste starts unflagged
                app.post_message(events.Paste(draft_text()))
        return {
            "wall": latencies[5:],
            "cpu": cpu[5:],
            "check": checks[5:],
            "paths": paths[5:],
            "found_after": found_after,
            "note": f"{found} findings",
        }
    finally:
        setattr(ComposeScreen, show_name, original_show)
        DraftEditor._on_key = original_key  # type: ignore[method-assign]
        ComposeScreen.schedule_check = original_schedule  # type: ignore[method-assign]
        ComposeScreen.apply_check = original_apply  # type: ignore[method-assign]


CONFIGS = {
    "linkedin": ["linkedin"],
    "x": ["x"],
    "x+linkedin+bluesky": ["x", "linkedin", "bluesky"],
    "x+linkedin+bluesky, corpus": ["x", "linkedin", "bluesky"],
}


def worker(config: str, keys: int, corpus_home: Path | None, copies: int) -> None:
    """One configuration with the package of :data:`ROOT`, in a fresh home; prints one JSON line."""
    import drafter

    home = tempfile.mkdtemp(prefix="drafter-keys-")
    os.environ["DRAFTER_HOME"] = home
    os.environ.pop("COLUMNS", None)
    try:
        texts: list[str] = []
        if corpus_home is not None:
            shutil.copytree(corpus_home / "data", Path(home) / "data", dirs_exist_ok=True)
            texts = near_copies(Path(home) / "data" / "drafter.sqlite3", copies)
        result = asyncio.run(measure(CONFIGS[config], keys, texts))
        result["package"] = str(Path(drafter.__file__).parent)
        print(json.dumps(result))
    finally:
        shutil.rmtree(home, ignore_errors=True)


def run_side(root: Path, config: str, keys: int, corpus_home: Path | None, copies: int) -> dict[str, object]:
    argv = [sys.executable, __file__, "--worker", config, "--keys", str(keys), "--copies", str(copies)]
    if corpus_home is not None:
        argv += ["--corpus-home", str(corpus_home)]
    env = {**os.environ, "DRAFTER_BENCH_ROOT": str(root)}
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{root}: {config} failed:\n{proc.stderr[-2000:]}")
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def report(config: str, side: str, result: dict[str, object]) -> None:
    paths = [str(p) for p in result["paths"]]  # type: ignore[attr-defined]
    inline = sum(p == "inline" for p in paths)
    label = f"[{config}] {side}"
    print(summary(f"keystroke→underlines, CPU {label}", result["cpu"]))  # type: ignore[arg-type]
    print(summary(f"keystroke→underlines, wall {label}", result["wall"]))  # type: ignore[arg-type]
    print(
        summary(f"  of which check() {label}", result["check"])  # type: ignore[arg-type]
        + f"   (path: inline {inline} of {len(paths)} keystrokes, worker {len(paths) - inline}; {result['note']})"
    )
    if result.get("found_after"):
        print(summary(f"  paste→originality finding {label}", result["found_after"]))  # type: ignore[arg-type]


def median_difference(a: list[float], b: list[float], rounds: int = 2000) -> tuple[float, float, float]:
    """The difference of the medians b - a, and its 95 % bootstrap interval (resampled, fixed seed)."""
    import random

    rng = random.Random(14)
    diffs = sorted(
        statistics.median(rng.choices(b, k=len(b))) - statistics.median(rng.choices(a, k=len(a))) for _ in range(rounds)
    )
    return statistics.median(b) - statistics.median(a), diffs[int(rounds * 0.025)], diffs[int(rounds * 0.975) - 1]


def compare(side: str, plain: dict[str, object], corpus: dict[str, object]) -> None:
    """Three channels with and without the corpus: the difference of the medians with its 95 % bootstrap
    interval (an interval that holds 0 is within noise; one above 0: the corpus costs time), and whether
    the two interquartile ranges overlap."""
    for key, what in (("cpu", "keystroke→underlines CPU"), ("check", "check() thread CPU")):
        a = [v * 1000 for v in plain[key]]  # type: ignore[attr-defined]
        b = [v * 1000 for v in corpus[key]]  # type: ignore[attr-defined]
        qa, qb = statistics.quantiles(a, n=4), statistics.quantiles(b, n=4)
        overlap = qa[0] <= qb[2] and qb[0] <= qa[2]
        diff, low, high = median_difference(a, b)
        verdict = "within noise" if low <= 0 <= high else ("slower" if low > 0 else "faster")
        print(
            f"[3 channels] {side}, {what}: corpus {statistics.median(b):.2f} vs none {statistics.median(a):.2f} ms"
            f" median; difference {diff:+.2f} ms, 95 % interval {low:+.2f} to {high:+.2f} ({verdict});"
            f" IQR {qb[0]:.2f}–{qb[2]:.2f} vs {qa[0]:.2f}–{qa[2]:.2f} ({'overlap' if overlap else 'no overlap'})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=60)
    parser.add_argument("--corpus-home", type=Path, help="a DRAFTER_HOME whose store holds a corpus")
    parser.add_argument("--runs", type=int, default=1, help="every configuration and side this many times")
    parser.add_argument("--copies", type=int, default=5, help="near-copies pasted per run with a corpus")
    default_before = REPO.parent / "main"
    parser.add_argument(
        "--before",
        default=str(default_before) if (default_before / "drafter").is_dir() and default_before != REPO else "",
        help="another checkout to measure side by side (default: ../main when it exists; '' for none)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.keys, args.corpus_home if args.worker.endswith("corpus") else None, args.copies)
        return
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"{os.cpu_count()} cores, load average {load}; {args.keys} keys per run (the first 5 not counted),"
        f" {args.runs} run(s) per configuration and side"
    )
    sides = {"after": REPO}
    if args.before:
        sides = {"before": Path(args.before).resolve(), **sides}
    configs = [c for c in CONFIGS if not c.endswith("corpus") or args.corpus_home]
    pooled: dict[tuple[str, str], dict[str, object]] = {}
    for run in range(args.runs):  # configurations and sides in turn, so a change of load hits all alike
        for config in configs:
            for side, root in sides.items():
                result = run_side(root, config, args.keys, args.corpus_home, args.copies)
                if run == 0 and config == configs[0]:
                    print(f"  {side}: {result['package']}")
                into = pooled.setdefault((config, side), {"note": result["note"]})
                for key in ("wall", "cpu", "check", "paths", "found_after"):
                    into.setdefault(key, []).extend(result.get(key, []))  # type: ignore[attr-defined]
    for config in configs:
        for side in sides:
            report(config, side, pooled[(config, side)])
    if args.corpus_home:
        for side in sides:
            compare(side, pooled[("x+linkedin+bluesky", side)], pooled[("x+linkedin+bluesky, corpus", side)])
    print(f"load average at the end {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
