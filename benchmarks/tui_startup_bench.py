"""Cold start to first paint of the inbox, side by side with a bare Textual app (Header, TextArea, Footer).

Each run is a fresh interpreter (headless Textual); the time is wall clock from spawning the process
to the first refresh after the inbox (or the bare app's screen) is mounted. ``drafter (first start)``
uses an empty DRAFTER_HOME, so it also imports the bundled sample briefs; ``drafter (warm store)``
reuses a home where that already happened. Target: drafter ≤ 1.5 × bare. ``drafter (10,000 briefs)``
uses a warm store holding 10,000 generated briefs (the documented large set): first paint, and the time
until the whole list is loaded and filterable ("list ready"); target: under a second.

    python benchmarks/tui_startup_bench.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def child(kind: str) -> None:
    def done(app) -> None:  # type: ignore[no-untyped-def]
        print(f"PAINT {time.time():.6f}", flush=True)
        app.exit()

    if kind in ("bare", "bare+pydantic"):
        if kind == "bare+pydantic":  # the floor for anything that reads pydantic models before painting
            from pydantic import BaseModel

            class Model(BaseModel):
                x: int = 0

            Model.model_validate({"x": 1})
        from textual.app import App, ComposeResult
        from textual.widgets import Footer, Header, TextArea

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Header()
                yield TextArea()
                yield Footer()

            def on_mount(self) -> None:
                self.call_after_refresh(done, self)

        Bare().run(headless=True, size=(120, 40))
        return

    from drafter.tui.app import DrafterApp
    from drafter.tui.screens.inbox import InboxScreen

    original = InboxScreen.on_mount

    def on_mount(self: InboxScreen) -> None:
        original(self)
        self.call_after_refresh(done, self.app)

    if kind == "drafter-big":  # also report when the full list has arrived (loaded in a worker)

        def on_mount(self: InboxScreen) -> None:  # type: ignore[no-redef]
            original(self)
            self.call_after_refresh(lambda: print(f"PAINT {time.time():.6f}", flush=True))

            def poll() -> None:
                if "models" in self.reload_sources and self.brief_total >= 10_000:
                    print(f"READY {time.time():.6f}", flush=True)
                    self.app.exit()

            self.set_interval(0.005, poll)

    InboxScreen.on_mount = on_mount  # type: ignore[method-assign]
    DrafterApp(onboarding=False, reopen_last=False, gc_freeze=True).run(headless=True, size=(120, 40))


def make_big_home(home: Path, count: int = 10_000) -> None:
    """A DRAFTER_HOME whose store holds ``count`` generated briefs."""
    import datetime as dt

    from drafter.brief_store import BriefStore
    from drafter.briefs import Brief
    from drafter.guidelines import load_guidelines
    from drafter.store import Store

    gs = load_guidelines()
    context = gs.brief_context()
    goals = [g.name for g in gs.goals]
    channels = list(gs.channels)
    start = dt.date.today()
    briefs = [
        Brief.model_validate(
            {
                "id": f"gen-{i:05d}",
                "title": f"Thema {i}: Glasfaser, Service und Ausbildung in Region {i % 50}",
                "business_unit": f"Geschäftsbereich {i % 37}",
                "goal": goals[i % len(goals)],
                "channels": "|".join(channels[: 1 + i % len(channels)]),
                "expires": (start + dt.timedelta(days=i % 400)).isoformat(),
                "key_messages": [f"Kernbotschaft {i}"],
            },
            context=context,
        )
        for i in range(count)
    ]
    with Store(home / "data" / "drafter.sqlite3") as store:
        BriefStore(store).import_briefs(briefs, "benchmark")


def one_run(kind: str, home: Path, mark: str = "PAINT") -> float:
    return run_marks(kind, home)[mark]


def run_marks(kind: str, home: Path) -> dict[str, float]:
    env = {**os.environ, "DRAFTER_HOME": str(home)}
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    started = time.time()
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    marks: dict[str, float] = {}
    for line in out.stdout.splitlines():
        name, _, stamp = line.partition(" ")
        if name in ("PAINT", "READY") and name not in marks:
            marks[name] = float(stamp) - started
    if "PAINT" not in marks:
        raise RuntimeError(f"{kind}: no paint reported\n{out.stdout}\n{out.stderr}")
    return marks


def summary(name: str, values: list[float]) -> str:
    med = statistics.median(values)
    q = statistics.quantiles(values, n=4) if len(values) >= 4 else [min(values), med, max(values)]
    return (
        f"{name:<24} median {med * 1000:7.1f} ms   IQR {q[0] * 1000:6.1f}–{q[2] * 1000:6.1f} ms   "
        f"min {min(values) * 1000:6.1f}  max {max(values) * 1000:6.1f}  (n={len(values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--child", choices=["bare", "bare+pydantic", "drafter", "drafter-big"])
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    root = Path(tempfile.mkdtemp(prefix="drafter-startup-"))
    warm_home = root / "warm"
    try:
        one_run("drafter", warm_home)  # populate the warm store (samples imported once)
        one_run("bare", root / "bare")  # warm the OS file cache for both
        big_home = root / "big"
        make_big_home(big_home)
        run_marks("drafter-big", big_home)  # samples imported once: a warm store with 10,005 briefs
        bare, floor, first, warm, big, big_ready = [], [], [], [], [], []
        for i in range(args.runs):  # interleaved, so drift affects all alike
            bare.append(one_run("bare", root / "bare"))
            floor.append(one_run("bare+pydantic", root / "bare"))
            first.append(one_run("drafter", root / f"first-{i}"))
            warm.append(one_run("drafter", warm_home))
            marks = run_marks("drafter-big", big_home)
            big.append(marks["PAINT"])
            big_ready.append(marks["READY"])
        print(summary("bare Textual app", bare))
        print(summary("bare + pydantic import", floor))
        print(summary("drafter (first start)", first))
        print(summary("drafter (warm store)", warm))
        print(summary("drafter (10,000 briefs)", big))
        print(summary("  … list ready", big_ready))
        b = statistics.median(bare)
        print(f"ratio first start / bare: {statistics.median(first) / b:.2f}×   (target ≤ 1.5×)")
        print(f"ratio warm store  / bare: {statistics.median(warm) / b:.2f}×   (target ≤ 1.5×)")
        print(f"10,000 briefs: first paint {statistics.median(big) * 1000:.0f} ms, list ready (filterable)")
        print(f"  {statistics.median(big_ready) * 1000:.0f} ms after spawning the process   (target < 1 s)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
