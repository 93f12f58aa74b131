"""Peak memory (RSS) of the running app without AI, next to a bare Textual app (target < 80 MiB).

Each run is a fresh interpreter (headless, 140×45): the inbox, a brief opened as a draft, a
3,000-character text typed/inserted and checked for three channels, the export dialog. Peak RSS is
``ru_maxrss`` of that process. Also confirms that no AI library was imported.

    python benchmarks/tui_memory_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AI_MODULES = ("openai", "langchain", "langchain_core", "langchain_openai")


def peak_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def drive_drafter(channels: tuple[str, ...] = ("instagram", "x", "bluesky")) -> None:
    from drafter.tui.app import DrafterApp
    from drafter.tui.screens.compose import ComposeScreen
    from drafter.tui.screens.dialogs import ExportScreen

    app = DrafterApp(onboarding=False, reopen_last=False, cursor_blink=False, gc_freeze=True)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await pilot.press(*"Handys", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        await pilot.press(*"Heute habe ich alte Handys zur Sammelstelle gebracht!! ")
        screen.editor.insert("Mehr Text über das Sammeln und Weiterverwenden alter Geräte. " * 45)
        screen.set_channels(list(channels))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("escape")
        await pilot.pause()


async def drive_bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, TextArea

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield TextArea()
            yield Footer()

    app = Bare()
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        app.query_one(TextArea).insert("Mehr Text über das Sammeln und Weiterverwenden alter Geräte. " * 46)
        await pilot.pause()


def child(kind: str) -> None:
    if kind == "bare":
        asyncio.run(drive_bare())
    elif kind == "drafter-no-x":  # X's weighted length imports twitter-text-parser (about 18 MiB)
        asyncio.run(drive_drafter(("instagram", "linkedin", "bluesky")))
    else:
        asyncio.run(drive_drafter())
    ai = [m for m in AI_MODULES if m in sys.modules]
    print(f"PEAK {peak_mib():.1f} AI={','.join(ai) or 'none'}", flush=True)


def one_run(kind: str, home: Path) -> tuple[float, str]:
    env = {**os.environ, "DRAFTER_HOME": str(home)}
    env.pop("COLUMNS", None)
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind], env=env, cwd=REPO, capture_output=True, text=True, check=True
    )
    for line in out.stdout.splitlines():
        if line.startswith("PEAK "):
            _, value, ai = line.split()
            return float(value), ai
    raise RuntimeError(f"{kind}: no result\n{out.stdout}\n{out.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=["bare", "drafter", "drafter-no-x"])
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    root = Path(tempfile.mkdtemp(prefix="drafter-mem-"))
    try:
        results: dict[str, list[float]] = {"bare": [], "drafter": [], "drafter-no-x": []}
        notes = set()
        for i in range(args.runs):
            for kind in results:
                peak, ai = one_run(kind, root / f"{kind}-{i}")
                results[kind].append(peak)
                if kind != "bare":
                    notes.add(ai)
        for kind, values in results.items():
            label = {
                "bare": "bare Textual app",
                "drafter": "drafter, X+IG+Bluesky",
                "drafter-no-x": "drafter, IG+LI+Bluesky",
            }[kind]
            print(
                f"{label:<24} peak RSS median {statistics.median(values):6.1f} MiB   "
                f"min {min(values):6.1f}  max {max(values):6.1f}  (n={len(values)})"
            )
        print(f"AI modules imported by drafter: {', '.join(sorted(notes))}   (target < 80 MiB)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
