"""Cold command-line start-up, before and after, in the same run: ``drafter lint`` of one post with no
corpus, ``drafter --help`` and ``drafter guidelines check``. Prints figures; asserts nothing.

    python benchmarks/cold_cli_bench.py                                  # main's venv vs this checkout
    python benchmarks/cold_cli_bench.py --before /work/main/.venv/bin/drafter --runs 21

Every run is a new process of the ``drafter`` console script (``--before`` and this checkout's
``.venv/bin/drafter``), the two alternated command by command so that a busy machine slows both alike.
Each child gets an empty ``DRAFTER_HOME`` (no store, so no corpus) and its own ``XDG_CACHE_HOME``.
Reported per command: wall time from spawning to exit, and the child's CPU time (user + system, from
``os.wait4``), which a loaded machine inflates much less — median and spread (IQR, min, max).

Byte code: both trees compile their modules once into a shared ``PYTHONPYCACHEPREFIX`` folder (warm-up
runs first), as an installed drafter would have its ``.pyc`` files; ``PYTHONDONTWRITEBYTECODE`` is
cleared for the children (nothing is written into either tree).

With ``--corpus HOME`` (default: the warm 100,000-post home of ``corpus_scale_bench.py``, when it exists)
also ``drafter lint`` of that benchmark's near-copy draft against the corpus; each tree works on its own
copy of HOME (``corpus_scale_bench.py`` builds it; nothing is rebuilt here).

``lint (settings file)`` is the same lint in a home with a ``settings.toml`` (as after the first start of
the app): its settings are read (validated in the warm-up run, from then on from the settings cache where
there is one), the rest as ``lint``. ``python -c pass`` (this checkout's
interpreter) is for scale: what starting Python alone costs.

"after" is measured twice for ``lint`` and ``guidelines check``: with the guideline cache warm (every
run after the first, the normal case) and with a new empty cache folder per run (a miss: the first run
after a guideline file or drafter changed; it also writes the entry).

Targets (issue 14): cold ``drafter lint`` (no corpus) ≤ 0.25 s; with 100,000 posts ≤ 0.6 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
POST = (
    "Heute Morgen im Technikzentrum Bonn: Unser Team hat den neuen 5G-Standort in Rekordzeit ans Netz "
    "gebracht. Danke an alle, die mitgezogen haben! Mehr dazu: https://www.telekom.com/de/medien #Werkstolz\n"
)
TARGET_S = 0.25
TARGET_CORPUS_S = 0.6
CORPUS_BENCH = Path("/tmp/drafter-corpus-bench")


def run_once(script: str, args: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """(wall seconds, CPU seconds, exit code, stdout) of one ``script ARGS`` process."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [script, *args], cwd="/tmp", env=env, stdout=out, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        text = out.read()
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status), text


def spread(values: list[float]) -> str:
    v = sorted(values)
    q = statistics.quantiles(v, n=4) if len(v) >= 4 else [v[0], 0.0, v[-1]]
    return f"median {statistics.median(v):.3f} s (IQR {q[0]:.3f}–{q[2]:.3f}, min {v[0]:.3f}, max {v[-1]:.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="/work/main/.venv/bin/drafter", help="the console script to compare with")
    parser.add_argument("--after", default=str(REPO / ".venv" / "bin" / "drafter"))
    parser.add_argument("--runs", type=int, default=15)
    warm_home = CORPUS_BENCH / "after-100000" / "warm"
    parser.add_argument("--corpus", type=Path, default=warm_home, help="a home with a corpus")
    parser.add_argument("--corpus-draft", type=Path, default=CORPUS_BENCH / "posts-100000-s7" / "draft.txt")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cold-cli-bench-"))
    try:
        post = work / "post.txt"
        post.write_text(POST, encoding="utf-8")
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        base["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        plain = work / "plain.txt"
        plain.write_text(POST.replace("https://www.telekom.com/de/medien", "unsere Seite"), encoding="utf-8")
        day = ["--channel", "linkedin", "--date", "2026-11-30"]
        commands = {
            "lint": ["lint", str(post), *day],
            "lint (no link)": ["lint", str(plain), *day],
            "lint (settings file)": ["lint", str(post), *day],
            "--help": ["--help"],
            "guidelines check": ["guidelines", "check"],
        }
        with_corpus = args.corpus.is_dir() and args.corpus_draft.is_file()
        if with_corpus:
            commands["lint, 100k corpus"] = ["lint", str(args.corpus_draft), *day]
        variants = [("before", args.before, "warm"), ("after", args.after, "warm"), ("after", args.after, "miss")]
        homes = {}
        for name, _script, cache in variants:
            homes[(name, cache)] = work / f"home-{name}-{cache}"
            homes[(name, cache)].mkdir()
            if with_corpus and cache == "warm":
                shutil.copytree(args.corpus, work / f"corpus-{name}")

        for name, _script, cache in variants:
            profile = work / f"profile-{name}-{cache}" / "config" / "settings.toml"
            profile.parent.mkdir(parents=True)
            profile.write_text('name = "Anna"\nlanguage = "de"\nchannels = ["linkedin"]\n', encoding="utf-8")

        def home_for(name: str, cache: str, label: str) -> Path:
            if label == "lint (settings file)":
                return work / f"profile-{name}-{cache}"
            return work / f"corpus-{name}" if label == "lint, 100k corpus" else homes[(name, cache)]

        results: dict[tuple[str, str, str], tuple[list[float], list[float]]] = {}
        outputs: dict[tuple[str, str], set[str]] = {}

        def env_for(name: str, cache: str, run: int, label: str) -> dict[str, str]:
            fresh = f"{run}-{list(commands).index(label)}"  # a miss: a new cache folder per run and command
            xdg = work / f"xdg-{name}-{cache}" / (fresh if cache == "miss" else "shared")
            return {**base, "DRAFTER_HOME": str(home_for(name, cache, label)), "XDG_CACHE_HOME": str(xdg)}

        for name, script, cache in variants:  # warm-up: byte code compiled, the warm caches filled
            for label, argv in commands.items():
                if cache == "warm":
                    run_once(script, argv, env_for(name, cache, -1, label))
        for run in range(args.runs):
            for label, argv in commands.items():
                for name, script, cache in variants:
                    if cache == "miss" and label in ("--help", "lint, 100k corpus", "lint (settings file)"):
                        continue
                    wall, cpu, code, text = run_once(script, argv, env_for(name, cache, run, label))
                    if code not in (0, 1):
                        raise SystemExit(f"{name} {label} failed with exit code {code}")
                    walls, cpus = results.setdefault((label, name, cache), ([], []))
                    walls.append(wall)
                    cpus.append(cpu)
                    tree = str(Path(script).resolve().parents[2])  # guidelines check names the bundled folder
                    outputs.setdefault((label, name), set()).add(text.replace(tree, "<tree>"))

        python = str(Path(args.after).parent / "python")
        for _ in range(args.runs):
            wall, cpu, _code, _text = run_once(python, ["-c", "pass"], {**base})
            walls, cpus = results.setdefault(("python -c pass", "after", "-"), ([], []))
            walls.append(wall)
            cpus.append(cpu)

        print(f"cold CLI, {args.runs} runs each, alternated; before: {args.before}; after: {args.after}")
        print(f"machine load (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}, cores: {os.cpu_count()}")
        for (label, name, cache), (walls, cpus) in results.items():
            tag = "(Python alone)" if cache == "-" else f"{name}{' (cache miss)' if cache == 'miss' else ''}"
            print(f"{label:<20} {tag:<20} wall {spread(walls)}")
            print(f"{'':<20} {'':<20} CPU  {spread(cpus)}")
        for label in commands:
            same = outputs.get((label, "before")) == outputs.get((label, "after"))
            print(f"{label}: standard output identical before/after: {'yes' if same else 'NO'}")
        lint_wall = statistics.median(results[("lint", "after", "warm")][0])
        verdict = "met" if lint_wall <= TARGET_S else "not met"
        print(f"target cold lint ≤ {TARGET_S} s wall: {verdict} ({lint_wall:.3f} s)")
        if with_corpus:
            corpus_wall = statistics.median(results[("lint, 100k corpus", "after", "warm")][0])
            verdict = "met" if corpus_wall <= TARGET_CORPUS_S else "not met"
            print(f"target lint with 100,000 posts ≤ {TARGET_CORPUS_S} s wall: {verdict} ({corpus_wall:.3f} s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
