"""Figures for the optional AI suggestions (median and spread; nothing here is a test).

1. **Gate time per suggestion** — :func:`drafter.ai.pipeline.gate` on a fixed, validated answer of
   each kind (the guideline checker on the suggestion — for rephrase and hashtags the draft with it
   applied, compared with the draft's own check), divided by the number of suggestions. Target ≤ 1 ms.
2. **First paint with AI configured vs without** — cold start of the app to the first paint of the
   inbox (fresh interpreter, the child of ``tui_startup_bench.py``), once with an ``[ai]`` table in
   the settings and once without, interleaved. Target: the same.
3. **Longest UI-loop stall while a suggestion streams** — the app (headless, pilot) with the AI panel
   open streams a rephrasing from a local OpenAI-compatible server (``tests/ai_server.py`` in its
   own process, real HTTP, ~150 one-character chunks); a 5 ms interval timer on the UI loop records
   the longest gap between its ticks (minus the 5 ms) while the answer streams (from the prepared
   request to the answer), over the whole request (key press to the list shown), and over an idle
   period of equal length in the same run ("before"). The first request of a process may still be
   importing langchain and openai (the panel starts that when it opens); it is reported apart
   ("cold"). Target ≤ 50 ms.

    python benchmarks/ai_bench.py [--runs 9]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests"))

DRAFT = (
    "Ich war beim Ausbau dabei. Glasfaser kommt auch im Winter, und unser Team in Köln legt jeden Tag "
    "neue Anschlüsse. Was mich am meisten beeindruckt: wie ruhig alle bleiben, wenn es friert. #WeWontStop"
)
SELECTION = "Ich war beim Ausbau dabei."


def stats(values: list[float], unit: str = "ms", scale: float = 1000.0) -> str:
    med = statistics.median(values)
    q = statistics.quantiles(values, n=4) if len(values) >= 4 else [min(values), med, max(values)]
    return (
        f"median {med * scale:8.3f} {unit}   IQR {q[0] * scale:.3f}–{q[2] * scale:.3f} {unit}   "
        f"min {min(values) * scale:.3f}  max {max(values) * scale:.3f}  (n={len(values)})"
    )


# -- 1. the gate ------------------------------------------------------------------------------------
def gate_bench(runs: int) -> None:
    from drafter.ai.pipeline import Request, gate, prepare
    from drafter.ai.schemas import SCHEMAS
    from drafter.briefs import Brief
    from drafter.workspace import Workspace

    home = Path(tempfile.mkdtemp(prefix="drafter-ai-gate-"))
    import os

    os.environ["DRAFTER_HOME"] = str(home)
    try:
        ws = Workspace(strict=True)
        ai = ws.settings.ai
        ai.enabled, ai.base_url, ai.model = True, "http://127.0.0.1:9/v1", "m"
        brief = Brief.model_validate(
            {
                "title": "Glasfaser im Winter",
                "business_unit": "Technik",
                "goal": "WeWontStop",
                "channels": ["linkedin"],
                "key_messages": ["Wir bauen auch im Winter weiter."],
                "text": "Der Ausbau geht weiter.",
                "classification": "public",
                "hashtags": ["#Glasfaser"],
            }
        )
        start = DRAFT.index(SELECTION)
        answers = {
            "angles": {"angles": ["Was hat dich überrascht?", "Wen würdest du vorstellen?", "Was sagen Nachbarn?"]},
            "critique": {"remarks": [{"quote": "Glasfaser", "start": 0, "end": 0, "remark": "Sag, was sich ändert."}]},
            "rephrase": {"alternatives": ["Beim Ausbau war ich dabei.", "Ich habe beim Ausbau mitgemacht."]},
            "hashtags": {"core": "#WeWontStop", "topics": ["#Glasfaser", "#Netzausbau"]},
        }
        print("1. gate time per suggestion (guideline check included), 280-character draft on LinkedIn")
        for kind, data in answers.items():
            selection = (start, start + len(SELECTION)) if kind == "rephrase" else None
            prepared = prepare(ws, Request(kind, draft=DRAFT, selection=selection, brief=brief))
            answer = SCHEMAS[kind].model_validate(data)
            count = len(gate(ws, prepared, answer))  # warm-up
            times = []
            for _ in range(runs * 20):
                t0 = time.perf_counter()
                gate(ws, prepared, answer)
                times.append((time.perf_counter() - t0) / count)
            print(f"   {kind:<9} ({count} suggestions)  {stats(times)}")
        ws.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)


# -- 2. first paint ------------------------------------------------------------------------------------
def paint_bench(runs: int) -> None:
    from tui_startup_bench import one_run

    root = Path(tempfile.mkdtemp(prefix="drafter-ai-paint-"))
    try:
        plain_home, ai_home = root / "plain", root / "ai"
        (ai_home / "config").mkdir(parents=True)
        (ai_home / "config" / "settings.toml").write_text(
            'onboarding_done = true\n[ai]\nenabled = true\nbase_url = "http://127.0.0.1:9/v1"\nmodel = "m"\n',
            encoding="utf-8",
        )
        one_run("drafter", plain_home)  # warm stores (samples imported once)
        one_run("drafter", ai_home)
        without, with_ai = [], []
        for _ in range(runs):
            without.append(one_run("drafter", plain_home))
            with_ai.append(one_run("drafter", ai_home))
        print("2. first paint of the app (fresh interpreter, warm store)")
        print(f"   without [ai]   {stats(without)}")
        print(f"   with [ai] on   {stats(with_ai)}")
        print(f"   ratio with/without: {statistics.median(with_ai) / statistics.median(without):.2f}×   (target 1.0×)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


# -- 3. UI-loop stall while streaming -------------------------------------------------------------------
SERVER = """
import json, sys, threading
sys.path.insert(0, {tests!r})
from ai_server import FakeProvider
provider = FakeProvider(json.dumps({content!r}))
provider.state.chunk_size = 1
provider.state.chunk_delay = 0.003
provider.__enter__()
print(provider.base_url, flush=True)
sys.stdin.read()
"""


async def stall_runs(runs: int, home: Path) -> tuple[list[float], list[float], list[float], float]:
    """The server runs in its own process (as a real one would), so its threads do not compete with
    the app for the GIL."""
    import subprocess

    from textual.widgets import OptionList
    from tui_helpers import make_app, new_free_draft

    alternatives = [
        "Beim Ausbau war ich von Anfang an dabei.",
        "Ich habe den Ausbau in unserer Straße selbst begleitet.",
        "Ich war dabei, als die Glasfaser zu uns kam.",
    ]
    code = SERVER.format(tests=str(REPO / "tests"), content={"alternatives": alternatives})
    server = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        (home / "config").mkdir(parents=True, exist_ok=True)
        (home / "config" / "settings.toml").write_text(
            'language = "en"\nonboarding_done = true\n[ai]\nenabled = true\n'
            f'base_url = "{base_url}"\nmodel = "local-model"\nretries = 0\n',
            encoding="utf-8",
        )
        app = make_app(language="en")
        stalls: list[float] = []
        whole: list[float] = []
        idle: list[float] = []
        cold = 0.0
        async with app.run_test(size=(150, 44)) as pilot:
            await pilot.pause()
            screen = await new_free_draft(pilot)
            await pilot.press(*SELECTION)
            screen.editor.move_cursor((0, 3))
            await pilot.press("ctrl+n")
            await pilot.pause()
            ticks: list[tuple[float, bool]] = []
            panel = screen.query_one("#ai-panel")
            seen: list[object] = [None]

            def tick() -> None:  # streaming: the request is prepared and sent, and not yet finished
                ticks.append((time.perf_counter(), panel.running and panel.prepared is not seen[0]))

            timer = app.set_interval(0.005, tick)

            def worst(since: int, streaming_only: bool = False) -> float:
                window = ticks[since:]
                gaps = [b - a for (a, sa), (b, sb) in itertools.pairwise(window) if not streaming_only or (sa and sb)]
                return max(gaps, default=0.0) - 0.005

            for i in range(runs + 1):
                kinds = screen.query_one("#ai-kinds", OptionList)
                kinds.focus()
                kinds.highlighted = 2
                seen[0] = panel.prepared
                mark = len(ticks)
                started = time.perf_counter()
                await pilot.press("enter")
                await pilot.pause()
                while panel.running:
                    await asyncio.sleep(0.01)
                took = time.perf_counter() - started
                assert panel.suggestions, "no suggestions came back"
                if i == 0:
                    cold = worst(mark, streaming_only=True)
                else:
                    stalls.append(worst(mark, streaming_only=True))
                    whole.append(worst(mark))
                mark = len(ticks)
                await asyncio.sleep(took)  # the same time, idle: the loop's own noise
                idle.append(worst(mark))
            timer.stop()
    finally:
        server.kill()
        server.wait()
    return stalls, whole, idle, cold


def stall_bench(runs: int) -> None:
    import os

    home = Path(tempfile.mkdtemp(prefix="drafter-ai-stall-"))
    os.environ["DRAFTER_HOME"] = str(home)
    try:
        stalls, whole, idle, cold = asyncio.run(stall_runs(runs, home))
        print("3. longest UI-loop stall while a rephrasing streams (~150 one-character chunks)")
        print(f"   idle (before)               {stats(idle)}")
        print(f"   while streaming             {stats(stalls)}")
        print(f"   key press to list shown     {stats(whole)}   (includes starting and showing the result)")
        print(f"   first request of the process (langchain/openai may still be loading): {cold * 1000:.1f} ms")
        print("   target ≤ 50 ms")
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--only", choices=["gate", "paint", "stall"])
    args = parser.parse_args()
    if args.only in (None, "gate"):
        gate_bench(args.runs)
    if args.only in (None, "stall"):
        stall_bench(args.runs)
    if args.only in (None, "paint"):
        paint_bench(args.runs)


if __name__ == "__main__":
    main()
