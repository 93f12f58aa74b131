"""Figures for the optional AI suggestions (median and spread; nothing here is a test).

1. **Gate time per suggestion** — :func:`drafter.ai.pipeline.gate` on a fixed, validated answer of
   each kind (the guideline checker on the suggestion — for rephrase and hashtags the draft with it
   applied, compared with the draft's own check), divided by the number of suggestions. Target ≤ 1 ms.
2. **First paint with AI configured vs without** — cold start of the app to the first paint of the
   inbox (fresh interpreter, the child of ``tui_startup_bench.py``), once with an ``[ai]`` table in
   the settings and once without, interleaved. Target: the same.
3. **UI-loop stalls of a run** — the app (headless, pilot) with the AI panel open streams a
   rephrasing from a local OpenAI-compatible server (``tests/ai_server.py`` in its own process, real
   HTTP, ~150 one-character chunks); a 5 ms interval timer on the UI loop records the longest gap
   between its ticks (minus the 5 ms), and the UI thread's CPU time within that gap, per phase: the
   key press that starts the run (until the request is prepared), streaming (until the answer is
   in), the list shown (the answer gated, the list filled and painted: 0.4 s), and an idle period of
   equal length. Each tree runs in fresh interpreters (``--rounds`` children of ``--runs`` runs;
   each child's first request is left out: it may still be importing langchain and openai).
   ``--before REF`` measures that git ref's panel too, interleaved with this tree's ("before" and
   "after" in the same run). On a loaded machine the wall figures carry the load; the CPU figures
   show the work. Targets: streaming ≤ 50 ms, list shown < 100 ms.

    python benchmarks/ai_bench.py [--runs 9] [--only stall --before main --rounds 3]
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


# -- 3. UI-loop stalls: the key that starts a run, streaming, the list shown ----------------------------
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

#: how long after the answer the "list shown" window lasts (the list and the footer painted)
SHOWN_WINDOW = 0.4
PHASES = ("idle", "start", "stream", "shown")


async def stall_runs(runs: int, home: Path, tree: Path) -> dict[str, list[tuple[float, float]]]:
    """(wall, UI-thread CPU) of the longest UI-loop gap per run and phase. The server runs in its own
    process (as a real one would), so its threads do not compete with the app for the GIL."""
    import subprocess

    from textual.widgets import OptionList
    from tui_helpers import make_app, new_free_draft

    alternatives = [
        "Beim Ausbau war ich von Anfang an dabei.",
        "Ich habe den Ausbau in unserer Straße selbst begleitet.",
        "Ich war dabei, als die Glasfaser zu uns kam.",
    ]
    code = SERVER.format(tests=str(tree / "tests"), content={"alternatives": alternatives})
    server = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=tree
    )
    out: dict[str, list[tuple[float, float]]] = {phase: [] for phase in PHASES}
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        (home / "config").mkdir(parents=True, exist_ok=True)
        (home / "config" / "settings.toml").write_text(
            'language = "en"\nonboarding_done = true\n[ai]\nenabled = true\n'
            f'base_url = "{base_url}"\nmodel = "local-model"\nretries = 0\n',
            encoding="utf-8",
        )
        app = make_app(language="en", gc_freeze=True)  # as ``drafter`` runs it
        async with app.run_test(size=(150, 44)) as pilot:
            await pilot.pause()
            screen = await new_free_draft(pilot)
            await pilot.press(*SELECTION)
            screen.editor.move_cursor((0, 3))
            await pilot.press("ctrl+n")
            await pilot.pause()
            panel = screen.query_one("#ai-panel")
            state = {"phase": "idle", "seen": None, "done": 0.0, "ran": False}
            ticks: list[tuple[float, float, str]] = []

            def tick() -> None:
                now = time.perf_counter()
                state["ran"] = state["ran"] or panel.running
                if state["phase"] == "start" and panel.prepared is not state["seen"]:
                    state["phase"] = "stream"  # the request is prepared and sent
                if state["phase"] in ("start", "stream") and state["ran"] and not panel.running:
                    state["phase"], state["done"] = "shown", now
                if state["phase"] == "shown" and now - state["done"] > SHOWN_WINDOW:
                    state["phase"] = "idle"
                ticks.append((now, time.thread_time(), state["phase"]))

            timer = app.set_interval(0.005, tick)

            def worst(since: int) -> dict[str, tuple[float, float]]:
                """Per phase, the longest gap between two ticks (minus the 5 ms) and the UI thread's CPU
                time in it; a gap belongs to the phase of the tick that ends it."""
                best: dict[str, tuple[float, float]] = {}
                for (wa, ca, _), (wb, cb, phase) in itertools.pairwise(ticks[since:]):
                    gap = (wb - wa - 0.005, cb - ca)
                    if gap[0] > best.get(phase, (-1.0, 0.0))[0]:
                        best[phase] = gap
                return best

            for i in range(runs + 1):
                kinds = screen.query_one("#ai-kinds", OptionList)
                kinds.focus()
                kinds.highlighted = 2
                await asyncio.sleep(0.3)  # the footer settles after the focus moved back
                mark = len(ticks)
                state["seen"], state["ran"] = panel.prepared, False
                state["phase"] = "start"
                started = time.perf_counter()
                await pilot.press("enter")
                while state["phase"] != "idle":
                    await asyncio.sleep(0.01)
                took = time.perf_counter() - started
                assert panel.suggestions, str(screen.query_one("#ai-status").render())
                found = worst(mark)
                mark = len(ticks)
                await asyncio.sleep(took)  # the same time, idle: the loop's own noise
                if i == 0:
                    continue  # the first request of a process may still be importing langchain and openai
                for phase in ("start", "stream", "shown"):
                    out[phase].append(found.get(phase, (0.0, 0.0)))
                out["idle"].append(worst(mark).get("idle", (0.0, 0.0)))
            timer.stop()
    finally:
        server.kill()
        server.wait()
    return out


def stall_child(runs: int, tree: Path) -> None:
    """In a fresh interpreter whose ``drafter`` comes from ``tree``: print the figures as JSON."""
    import json
    import os

    home = Path(tempfile.mkdtemp(prefix="drafter-ai-stall-"))
    os.environ["DRAFTER_HOME"] = str(home)
    try:
        print(json.dumps(asyncio.run(stall_runs(runs, home, tree))))
    finally:
        shutil.rmtree(home, ignore_errors=True)


def export_tree(ref: str, into: Path) -> Path:
    """``ref``'s drafter package, tests, prompts and guidelines, unpacked into ``into`` (for "before")."""
    import subprocess

    archive = subprocess.run(
        ["git", "archive", ref, "drafter", "tests", "prompts", "guidelines"], cwd=REPO, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def stall_bench(runs: int, before: str | None, rounds: int) -> None:
    import json
    import os
    import subprocess

    trees = {"after (this tree)": REPO}
    scratch = Path(tempfile.mkdtemp(prefix="drafter-ai-before-"))
    try:
        if before:
            trees = {f"before ({before})": export_tree(before, scratch), **trees}
        figures: dict[str, dict[str, list[tuple[float, float]]]] = {name: {p: [] for p in PHASES} for name in trees}
        for _ in range(rounds):  # interleaved, so the machine's load falls on both alike
            for name, tree in trees.items():
                env = {**os.environ, "PYTHONPATH": str(tree)}
                child = subprocess.run(
                    [sys.executable, __file__, "--stall-child", str(tree), "--runs", str(runs)],
                    capture_output=True,
                    text=True,
                    env=env,
                    cwd=tree,
                    check=True,
                )
                for phase, values in json.loads(child.stdout.strip().splitlines()[-1]).items():
                    figures[name][phase] += [tuple(v) for v in values]
        print("3. longest UI-loop stall (wall, and the UI thread's CPU time within it), rephrasing of ~150 chunks")
        print(f"   load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
        labels = {
            "idle": "idle, same duration",
            "start": "key press (run starts)",
            "stream": "while streaming",
            "shown": "list shown",
        }
        for name, per_phase in figures.items():
            print(f"   {name}")
            for phase in ("idle", "start", "stream", "shown"):
                values = per_phase[phase]
                print(f"     {labels[phase]:<23} wall {stats([v[0] for v in values])}")
                print(f"     {'':<23} CPU  {stats([v[1] for v in values])}")
        print("   target: streaming ≤ 50 ms, list shown < 100 ms")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--only", choices=["gate", "paint", "stall"])
    parser.add_argument("--before", help="a git ref whose AI panel is measured too, interleaved (the stalls)")
    parser.add_argument("--rounds", type=int, default=2, help="stall children per tree, interleaved")
    parser.add_argument("--stall-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stall_child is not None:
        stall_child(args.runs, args.stall_child)
        return
    if args.only in (None, "gate"):
        gate_bench(args.runs)
    if args.only in (None, "stall"):
        stall_bench(args.runs, args.before, args.rounds)
    if args.only in (None, "paint"):
        paint_bench(args.runs)


if __name__ == "__main__":
    main()
