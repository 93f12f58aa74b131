"""Keystroke to updated findings and underlines on a 3,000-character draft (target: median < 16 ms).

Runs the real app headless with a 3,000-character draft open in the compose screen, presses keys,
and measures from the key event reaching the editor to the moment the new findings are applied
*and* the editor's visible lines have been re-rendered with their underlines. Measured for one
channel and for a draft checked for three channels at once (which takes the worker path).

    python benchmarks/tui_keystroke_bench.py [--keys 80] [--corpus-home DIR]

``--corpus-home DIR``: also type with the three channels while the store of that DRAFTER_HOME (copied
first; e.g. a 100,000-post home of ``corpus_scale_bench.py``) is the corpus, so every check also asks it
for near-copies. ``check()`` is the check's own cost as the editor measures it (thread CPU time since
issue 14; wall time before).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

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


async def measure(channels: list[str], keys: int) -> tuple[list[float], list[float], str]:
    from drafter.tui.app import DrafterApp
    from drafter.tui.editor import DraftEditor
    from drafter.tui.screens.compose import ComposeScreen

    app = DrafterApp(onboarding=False, reopen_last=False, cursor_blink=False, gc_freeze=True)
    stamps: dict[str, float] = {}
    latencies: list[float] = []
    checks: list[float] = []

    original_key = DraftEditor._on_key

    async def on_key(self, event):  # type: ignore[no-untyped-def]
        stamps["key"] = time.perf_counter()
        await original_key(self, event)

    original_apply = ComposeScreen.apply_check

    def apply_check(self, version, check):  # type: ignore[no-untyped-def]
        original_apply(self, version, check)
        editor = self.editor
        if "key" in stamps and version == editor.text_version:
            editor.render_lines(editor.region.reset_offset)  # the visible lines, underlines included
            latencies.append(time.perf_counter() - stamps.pop("key"))
            checks.append(check.seconds)

    DraftEditor._on_key = on_key  # type: ignore[method-assign]
    ComposeScreen.apply_check = apply_check  # type: ignore[method-assign]
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
            path = "inline" if screen.check_cost <= 0.004 else "worker"
            assert len(screen.editor.text) >= 3000
            found = len(screen.editor.findings)
        return latencies[5:], checks[5:], f"{path}, {found} findings"
    finally:
        DraftEditor._on_key = original_key  # type: ignore[method-assign]
        ComposeScreen.apply_check = original_apply  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=80)
    parser.add_argument("--corpus-home", type=Path, help="a DRAFTER_HOME whose store holds a corpus")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="drafter-keys-")
    os.environ["DRAFTER_HOME"] = home
    os.environ.pop("COLUMNS", None)
    try:
        for channels in (["linkedin"], ["x"], ["x", "linkedin", "bluesky"]):
            latencies, checks, note = asyncio.run(measure(channels, args.keys))
            label = "+".join(channels)
            print(summary(f"keystroke→underlines [{label}]", latencies) + f"   ({note})")
            print(summary(f"  of which check() [{label}]", checks))
        if args.corpus_home:
            shutil.copytree(args.corpus_home / "data", Path(home) / "data", dirs_exist_ok=True)
            channels = ["x", "linkedin", "bluesky"]
            latencies, checks, note = asyncio.run(measure(channels, args.keys))
            label = "+".join(channels) + ", corpus"
            print(summary(f"keystroke→underlines [{label}]", latencies) + f"   ({note})")
            print(summary(f"  of which check() [{label}]", checks))
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
