"""How fast is the guideline check? Prints figures; asserts nothing.

    python benchmarks/lint_bench.py                 # everything (textlint part when node and npm exist)
    python benchmarks/lint_bench.py --quick         # fewer runs
    python benchmarks/lint_bench.py --no-textlint   # skip the side-by-side with textlint

Parts:
1. warm, in-process ``Checker.check`` with the full bundled guideline set on realistic German posts of
   280 characters (x), 3,000 (linkedin; again as a fresh post; again without a product word, the common
   case; again with a brief so the originality rule runs; again on x for information) and 20,000
   (linkedin) — median, p99, IQR, min and max over many runs, as wall time and as thread CPU time (which a
   busy machine does not inflate);
2. the cold ``drafter lint`` wall time (a new process per run, as a shell or editor hook would see it);
3. side by side with textlint + textlint-rule-prh (``../shared/bench/textlint-parity``): the same three
   substitution rules (``benchmarks/parity/``) over the same seeded 100 KB corpus, warm, same number of runs.

Targets: the 3,000-character post median ≤ 0.5 ms and p99 ≤ 1.5 ms of CPU time (issue 14; issue 2 asked for
1 ms and 3 ms); at least 10x faster than textlint.

Which text each call checks (two figures for the 3,000-character post):

(a) **keystroke** (:func:`keystrokes`): the text before plus one character typed at a cursor that advances
    through the post as a person types — every text is new, and exactly one paragraph of it is new, so a
    checker that remembers earlier texts (or their paragraphs) gets no answer it did not earn (the cycle of
    eight variants used before would have been answered from such a memory);
(b) **fresh post** (:func:`fresh_posts`): a text none of whose paragraphs any earlier call had — a paste,
    or a draft just opened.

0. before and after in the same run (``--before DIR``, default: the ``main`` checkout beside this one when it
   exists): the 280- and 3,000-character posts checked by this checkout and by DIR's package (with DIR's
   own guidelines), each in its own worker process, in alternating blocks so both see the same machine
   load; CPU time (thread time, the primary figure) and wall time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: the checkout whose package is measured: this one, or another one's in a ``--worker`` process
ROOT = Path(os.environ.get("DRAFTER_BENCH_ROOT", REPO))
sys.path.insert(0, str(ROOT))

from drafter.briefs import Brief  # noqa: E402
from drafter.checker import Checker, CheckResult  # noqa: E402
from drafter.guidelines import GuidelineSet, load_guidelines  # noqa: E402

PARITY_DIR = HERE / "parity"
SHARED_PARITY = REPO.parent / "shared" / "bench" / "textlint-parity"
WORK_DIR = HERE / ".work" / "textlint-parity"  # git-ignored; node_modules are kept between runs
TEXTLINT_PROBLEMS = 713  # what textlint + prh report on `make_corpus.py 102400` (see the parity README)
TARGET_MEDIAN_MS = 0.5
TARGET_P99_MS = 1.5
TARGET_RATIO = 10.0
CHECK_DATE = dt.date(2026, 11, 27)

# --------------------------------------------------------------------------------------------------
# Realistic German drafts
# --------------------------------------------------------------------------------------------------
POST_280 = (
    "Heute Morgen im Telekom-Technikzentrum Bonn: Unser Team hat den neuen 5G-Standort in Rekordzeit ans Netz "
    "gebracht 🚀 Danke an alle, die mitgezogen haben, und an @deutschetelekom fürs Teilen! "
    "Mehr dazu: https://www.telekom.com/de/medien #Werkstolz #LoveMagenta"
)

PARAGRAPHS = (
    "Vor drei Jahren habe ich als Werkstudentin im Netzausbau angefangen. Heute leite ich ein Team von "
    "zwölf Kolleginnen und Kollegen, das jede Woche neue Glasfaseranschlüsse in Nordrhein-Westfalen "
    "plant. Was mich jeden Tag antreibt? Die Gesichter der Familien, wenn das Internet endlich stabil läuft.",
    "Viele fragen mich, wie so ein Ausbau eigentlich abläuft. Zuerst kommt die Planung: Wir prüfen "
    "Leerrohre, sprechen mit den Gemeinden und stimmen Termine mit den Tiefbaufirmen ab. Danach geht es "
    "schnell – manchmal liegt die Faser schon nach wenigen Wochen bis ins Haus.",
    "Besonders stolz bin ich auf unser Projekt in der Eifel. Dort gab es bis letztes Jahr kaum mobiles "
    "Netz, und gerade ältere Menschen fühlten sich abgehängt. Jetzt streamen die Enkel MagentaTV, während "
    "die Großeltern per Videoanruf mit der Ärztin sprechen. Das ist für mich Digitalisierung, die ankommt.",
    "Natürlich läuft nicht immer alles glatt. Genehmigungen dauern, das Wetter spielt nicht mit, und "
    "manchmal findet der Bagger eine Wasserleitung, die auf keinem Plan verzeichnet war. Dann heißt es: "
    "improvisieren, kommunizieren und gemeinsam eine Lösung finden.",
    "Was ich in dieser Zeit gelernt habe: Technik ist nur die halbe Miete. Die andere Hälfte sind "
    "Menschen, die einander zuhören, Verantwortung übernehmen und sich auch über kleine Erfolge freuen. "
    "Genau dieses Miteinander macht unser Team aus 💪",
    "Ein großes Dankeschön geht an meine Kollegin @julia_netzbau, die mit ihrer Ruhe jede Baustelle im "
    "Griff behält, und an alle Monteure, die bei Regen und Schnee draußen sind. Ohne euch gäbe es kein "
    "schnelles Netz in unserer Region.",
    "Wer mehr über unsere Arbeit erfahren möchte, findet alle Infos zum Glasfaserausbau hier: "
    "https://www.telekom.de/glasfaser – und wer Lust hat, selbst mit anzupacken, schaut gern in unsere "
    "offenen Stellen. Wir suchen Planerinnen, Bauleiter und Auszubildende.",
    "Zum Schluss noch eine persönliche Bitte: Erzählt mir in den Kommentaren, wie sich euer Alltag "
    "verändert hat, seit das schnelle Internet da ist. Ich lese jede Nachricht und gebe eure Geschichten "
    "gern an das Team weiter.",
)
HASHTAGS = "\n\n#Werkstolz #Glasfaser #Netzausbau"
BRIEF_KEY_MESSAGE = (
    "Der Glasfaserausbau bringt schnelles Internet auch in ländliche Regionen und stärkt die Gemeinschaft vor Ort"
)


def long_post(chars: int, extra: str = "") -> str:
    """A German post of at most ``chars`` code points (a few less: it ends at a word), hashtags last."""
    budget = chars - len(HASHTAGS)
    text = extra
    index = 0
    while True:
        paragraph = PARAGRAPHS[index % len(PARAGRAPHS)]
        index += 1
        joined = f"{text}\n\n{paragraph}" if text else paragraph
        if len(joined) <= budget:
            text = joined
            continue
        words = paragraph.split(" ")
        for count in range(len(words), 0, -1):
            candidate = f"{text}\n\n{' '.join(words[:count])}"
            if len(candidate) <= budget:
                text = candidate
                break
        return text.rstrip(" ,–-") + HASHTAGS


#: what the ambassador types in :func:`keystrokes`: German prose without line breaks
TYPED = " ".join(PARAGRAPHS)
#: characters typed into one paragraph before the cursor moves on to the next one
STRETCH = 80
#: characters typed before the typing starts over from the post as it was (the post stays near its size)
CYCLE = 400


def keystrokes(text: str) -> Iterator[str]:
    """The texts a person produces typing into ``text``: each one the one before with one more character
    typed at the cursor, which advances as they type; after :data:`STRETCH` characters the cursor moves to
    the end of the next paragraph (what was typed stays). Every text is new, and exactly one paragraph of
    it is new (the one typed in) — as on a real keystroke, where nothing may be answered from a memory of
    earlier texts. Every :data:`CYCLE` characters the typing starts over from ``text`` in the paragraph
    after the last one typed in (that one text then differs from the one before in several paragraphs),
    so the post stays between its size and :data:`CYCLE` characters more."""
    pieces = text.split("\n\n")
    writable = max(1, len(pieces) - 1)  # not the hashtag line
    source = 0
    paragraph = 0
    while True:
        current = list(pieces)
        for typed in range(CYCLE):
            if typed and typed % STRETCH == 0:
                paragraph = (paragraph + 1) % writable
            current[paragraph] += TYPED[source % len(TYPED)]
            source += 1
            yield "\n\n".join(current)
        paragraph = (paragraph + 1) % writable


def fresh_posts(text: str) -> Iterator[str]:
    """Texts none of whose paragraphs any earlier one had: ``text`` with a short made-up word (a counter
    spelt in letters) typed into every paragraph, at a place that moves on — as after a paste or on
    opening a draft, where no memory of earlier texts can help."""
    pieces = text.split("\n\n")
    seen: set[str] = set()
    letters = "enirstaudhglocmbfkwzpv"
    count = 0
    while True:
        out: list[str] = []
        for piece in pieces:
            while True:
                count += 1
                word, rest = "", count
                while rest:
                    rest, digit = divmod(rest, len(letters))
                    word += letters[digit]
                at = (count * 7919) % (len(piece) + 1)
                while 0 < at < len(piece) and not piece[at - 1].isspace():
                    at -= 1  # at a word's start: one made-up word more, not a word changed
                candidate = f"{piece[:at]}{word} {piece[at:]}"
                if candidate not in seen:
                    seen.add(candidate)
                    out.append(candidate)
                    break
        yield "\n\n".join(out)


def make_brief(gs: GuidelineSet) -> Brief:
    return Brief.model_validate(
        {
            "title": "Glasfaser in der Region",
            "business_unit": "Technik Deutschland",
            "goal": "Werkstolz",
            "key_messages": [BRIEF_KEY_MESSAGE, "Unsere Teams bauen jeden Tag weiter"],
            "text": "Erzählt aus eurem Alltag im Netzausbau, gern mit einem persönlichen Erlebnis. "
            "Bitte verlinkt die Glasfaser-Seite und nennt keine Preise.",
            "not_before": "2026-11-01",
            "expires": "2026-12-31",
        },
        context=gs.brief_context(),
    )


# --------------------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------------------
@dataclass
class Stats:
    runs: int
    median: float
    p99: float
    q1: float
    q3: float
    low: float
    high: float

    @classmethod
    def of(cls, samples_ms: list[float]) -> Stats:
        s = sorted(samples_ms)
        n = len(s)
        q = statistics.quantiles(s, n=100, method="inclusive") if n > 1 else [s[0]] * 99
        return cls(n, statistics.median(s), q[98], q[24], q[74], s[0], s[-1])

    def line(self, label: str) -> str:
        return (
            f"{label:<5} median {self.median:8.3f} ms  p99 {self.p99:8.3f} ms  "
            f"IQR {self.q1:.3f}–{self.q3:.3f}  min {self.low:.3f}  max {self.high:.3f}  (n={self.runs})"
        )


def time_calls(fn: Callable[[], object], runs: int, warmup: int = 20) -> tuple[Stats, Stats]:
    """Wall-clock and thread-CPU time per call. The CPU figures leave out the time the process waited
    for a core, so they stay meaningful on a machine that is busy with other work."""
    for _ in range(warmup):
        fn()
    wall: list[float] = []
    cpu: list[float] = []
    clock, cpu_clock = time.perf_counter_ns, time.thread_time_ns
    for _ in range(runs):
        start, cpu_start = clock(), cpu_clock()
        fn()
        cpu_end, end = cpu_clock(), clock()
        wall.append((end - start) / 1e6)
        cpu.append((cpu_end - cpu_start) / 1e6)
    return Stats.of(wall), Stats.of(cpu)


# --------------------------------------------------------------------------------------------------
# 1. warm, in-process
# --------------------------------------------------------------------------------------------------
def bench_warm(runs: int) -> dict[str, tuple[Stats, Stats]]:
    t0 = time.perf_counter()
    gs = load_guidelines()
    checker = Checker(gs)
    load_ms = (time.perf_counter() - t0) * 1000
    brief = make_brief(gs)
    copied = BRIEF_KEY_MESSAGE.replace("Der Glasfaserausbau", "Unser Glasfaserausbau") + "."
    post_3000 = long_post(3000)
    post_3000_brief = long_post(3000, extra=copied)
    # The common case: no product word, so the disclosure rule's trigger patterns scan the whole text.
    post_3000_plain = post_3000.replace("MagentaTV", "Fernsehen")
    post_20000 = long_post(20000)
    cases: list[tuple[str, str, str, Brief | None, int, Callable[[str], Iterator[str]]]] = [
        ("280 chars, x", POST_280, "x", None, runs, keystrokes),
        ("3,000 chars, linkedin", post_3000, "linkedin", None, runs, keystrokes),
        ("3,000 chars, linkedin, fresh post", post_3000, "linkedin", None, runs, fresh_posts),
        ("3,000 chars, linkedin, no product word", post_3000_plain, "linkedin", None, runs, keystrokes),
        ("3,000 chars, linkedin, with brief", post_3000_brief, "linkedin", brief, runs, keystrokes),
        ("20,000 chars, linkedin (over the limit)", post_20000, "linkedin", None, max(50, runs // 10), keystrokes),
        ("3,000 chars, x (info; over the limit)", post_3000, "x", None, max(50, runs // 10), keystrokes),
    ]
    print(f"Guideline set: {gs.label}, {len(gs.rules)} rules; load + compile {load_ms:.1f} ms")
    print(
        "Warm, in-process Checker.check (first call untimed; 20 warm-up calls; each call a keystroke — one "
        "character typed at an advancing cursor, see keystrokes() — or, for 'fresh post', a text none of whose "
        "paragraphs was seen, see fresh_posts()); wall time, then CPU time:"
    )
    results: dict[str, tuple[Stats, Stats]] = {}
    for label, text, channel, case_brief, n, texts_of in cases:
        first = checker.check(text, channel, brief=case_brief, date=CHECK_DATE)
        print(f"  {label}: {len(text)} code points, {_summary(first)}")
        typed = texts_of(text)

        def run(c: str = channel, b: Brief | None = case_brief, texts: Iterator[str] = typed) -> CheckResult:
            return checker.check(next(texts), c, brief=b, date=CHECK_DATE)

        wall, cpu = time_calls(run, n)
        results[label] = (wall, cpu)
        print("    " + wall.line("wall"))
        print("    " + cpu.line("cpu"))
    for label in (
        "3,000 chars, linkedin",
        "3,000 chars, linkedin, fresh post",
        "3,000 chars, linkedin, no product word",
    ):
        for name, stats in zip(("wall", "cpu"), results[label], strict=True):
            ok = stats.median <= TARGET_MEDIAN_MS and stats.p99 <= TARGET_P99_MS
            print(
                f"  target, {label} ({name}): median {stats.median:.3f} ≤ {TARGET_MEDIAN_MS} ms and "
                f"p99 {stats.p99:.3f} ≤ {TARGET_P99_MS} ms -> " + ("MET" if ok else "MISSED")
            )
    return results


def _summary(result: CheckResult) -> str:
    rules = sorted({f.rule for f in result.findings})
    return f"{len(result.findings)} findings: {', '.join(rules) or '-'}"


# --------------------------------------------------------------------------------------------------
# 2. cold drafter lint
# --------------------------------------------------------------------------------------------------
def drafter_command() -> list[str]:
    script = Path(sys.executable).with_name("drafter")
    if script.exists():
        return [str(script)]
    found = shutil.which("drafter")
    return [found] if found else [sys.executable, "-c", "from drafter.cli import main; main()"]


def bench_cold(runs: int) -> Stats | None:
    command = drafter_command()
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / "draft.txt"
        draft.write_text(long_post(3000), encoding="utf-8")
        argv = [*command, "lint", str(draft), "--channel", "linkedin", "--date", CHECK_DATE.isoformat()]
        env = {**os.environ, "DRAFTER_HOME": tmp}
        samples: list[float] = []
        for _ in range(runs + 1):
            start = time.perf_counter()
            proc = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
            samples.append((time.perf_counter() - start) * 1000)
            if proc.returncode not in (0, 1):
                print(f"  drafter lint failed (exit {proc.returncode}): {proc.stderr.strip()[:400]}")
                return None
    stats = Stats.of(samples[1:])  # the first run warms the OS file cache
    print("Cold `drafter lint FILE --channel linkedin` (3,000 chars; a new process per run, wall time):")
    print("  " + stats.line("wall"))
    return stats


# --------------------------------------------------------------------------------------------------
# 3. side by side with textlint + prh
# --------------------------------------------------------------------------------------------------
def prepare_textlint() -> Path | None:
    """Copy the shared peer to a work folder and install textlint there; None (with a message) if not possible."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        print("Textlint side by side SKIPPED: node and/or npm not found on PATH.")
        return None
    if not SHARED_PARITY.is_dir():
        print(f"Textlint side by side SKIPPED: {SHARED_PARITY} is missing.")
        return None
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    for item in SHARED_PARITY.iterdir():
        if item.is_file():
            target = WORK_DIR / item.name
            target.unlink(missing_ok=True)
            shutil.copyfile(item, target)
    installed = all((WORK_DIR / "node_modules" / p).is_dir() for p in ("textlint", "textlint-rule-prh"))
    if not installed:
        print(f"Installing textlint + textlint-rule-prh into {WORK_DIR} …", flush=True)
        try:
            proc = subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "textlint", "textlint-rule-prh"],
                cwd=WORK_DIR,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        except subprocess.TimeoutExpired:
            print("Textlint side by side SKIPPED: npm install took longer than 300 s.")
            return None
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
            print("Textlint side by side SKIPPED: npm install failed:\n    " + "\n    ".join(tail))
            return None
    return WORK_DIR


def make_corpus(work: Path, size: int, name: str) -> Path:
    out = work / name
    proc = subprocess.run([sys.executable, str(work / "make_corpus.py"), str(size)], capture_output=True, check=True)
    out.write_bytes(proc.stdout)
    return out


def run_textlint(work: Path, corpus: Path, runs: int) -> dict[str, object] | None:
    node = shutil.which("node")
    assert node is not None
    try:
        proc = subprocess.run(
            [node, "textlint_inproc.mjs", corpus.name, str(runs)],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except subprocess.TimeoutExpired:
        print("  textlint_inproc.mjs timed out")
        return None
    if proc.returncode != 0:
        print(f"  textlint_inproc.mjs failed (exit {proc.returncode}): {proc.stderr.strip()[-400:]}")
        return None
    data: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def bench_textlint(runs: int) -> float | None:
    work = prepare_textlint()
    if work is None:
        return None
    checker = Checker(load_guidelines(PARITY_DIR))
    ratio: float | None = None
    print(f"Side by side with textlint + prh (three substitution rules, {PARITY_DIR.relative_to(REPO)}):")
    for size, name, n in ((102400, "posts-100k.txt", runs), (280, "post-1.txt", runs * 4)):
        corpus = make_corpus(work, size, name)
        tl = run_textlint(work, corpus, n)
        if tl is None:
            continue
        text = corpus.read_text(encoding="utf-8")
        found = len(checker.check(text, "corpus").findings)

        def run(t: str = text) -> CheckResult:
            return checker.check(t, "corpus")

        stats, cpu = time_calls(run, n, warmup=5)
        tl_median = float(str(tl["median_ms"]))
        tl_problems = int(str(tl["problems"]))
        this_ratio = tl_median / stats.median if stats.median else float("inf")
        print(f"  {name} ({len(text.encode())} bytes), warm, {n} runs each:")
        print(
            f"    textlint  median {tl_median:8.3f} ms  min {float(str(tl['min_ms'])):.3f} ms  "
            f"first (load + lint) {tl['first_ms']} ms  problems {tl_problems}"
        )
        print(f"    drafter   median {stats.median:8.3f} ms  min {stats.low:.3f} ms  problems {found}")
        print("      " + stats.line("wall"))
        print("      " + cpu.line("cpu"))
        print(f"    ratio textlint/drafter (medians): {this_ratio:.1f}x")
        if found != tl_problems:
            print(f"    !!!!! MISMATCH: textlint found {tl_problems} problems, drafter {found} !!!!!")
        if size == 102400:
            if tl_problems != TEXTLINT_PROBLEMS or found != TEXTLINT_PROBLEMS:
                print(
                    f"    !!!!! MISMATCH: expected {TEXTLINT_PROBLEMS} on the 100 KB corpus, "
                    f"textlint {tl_problems}, drafter {found} !!!!!"
                )
            ratio = this_ratio
            print(f"    target ≥ {TARGET_RATIO:.0f}x -> " + ("MET" if this_ratio >= TARGET_RATIO else "MISSED"))
    return ratio


# --------------------------------------------------------------------------------------------------
# 0. before and after in the same run
# --------------------------------------------------------------------------------------------------
def compare_cases() -> list[tuple[str, str, str, Callable[[str], Iterator[str]]]]:
    """(label, post, channel, the texts checked one after another: :func:`keystrokes` or :func:`fresh_posts`)."""
    post_3000 = long_post(3000)
    return [
        ("280 chars, x, keystroke", POST_280, "x", keystrokes),
        ("3,000 chars, linkedin, (a) keystroke", post_3000, "linkedin", keystrokes),
        ("3,000 chars, linkedin, (b) fresh post", post_3000, "linkedin", fresh_posts),
        (
            "3,000 chars, linkedin, no product word, keystroke",
            post_3000.replace("MagentaTV", "Fernsehen"),
            "linkedin",
            keystrokes,
        ),
    ]


def worker() -> None:
    """Checks the comparison cases with the package of :data:`ROOT`: reads ``index runs`` lines, answers
    each with one JSON line of wall and CPU samples (ms). Each case has its own checker, as each would
    be a draft of its own."""
    import drafter

    guidelines = load_guidelines(ROOT / "guidelines")
    cases = compare_cases()
    checkers = [Checker(guidelines) for _ in cases]
    typed = [texts_of(text) for _, text, _, texts_of in cases]
    for (_, _, channel, _), texts, checker in zip(cases, typed, checkers, strict=True):
        for _ in range(20):
            checker.check(next(texts), channel, date=CHECK_DATE)
    print(json.dumps({"package": str(Path(drafter.__file__).parent)}), flush=True)
    clock, cpu_clock = time.perf_counter_ns, time.thread_time_ns
    for line in sys.stdin:
        index, runs = (int(x) for x in line.split())
        channel, texts, checker = cases[index][2], typed[index], checkers[index]
        wall: list[float] = []
        cpu: list[float] = []
        for _ in range(runs):
            text = next(texts)
            start, cpu_start = clock(), cpu_clock()
            checker.check(text, channel, date=CHECK_DATE)
            cpu_end, end = cpu_clock(), clock()
            wall.append((end - start) / 1e6)
            cpu.append((cpu_end - cpu_start) / 1e6)
        print(json.dumps({"wall": wall, "cpu": cpu}), flush=True)


def bench_compare(before: Path, runs: int, block: int = 50) -> None:
    def start(root: Path) -> subprocess.Popen[str]:
        env = {**os.environ, "DRAFTER_BENCH_ROOT": str(root)}
        return subprocess.Popen(
            [sys.executable, __file__, "--worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )

    sides = {"before": start(before), "after": start(REPO)}
    packages = {}
    for name, proc in sides.items():
        assert proc.stdout is not None
        packages[name] = json.loads(proc.stdout.readline())["package"]
    print(f"Before and after in the same run: before = {packages['before']}, after = {packages['after']}")
    print(
        f"  each case {runs} checks per side, in alternating blocks of {block}; CPU time first, then wall time.\n"
        "  (a) keystroke: each check one character more, typed at a cursor advancing through the post (every text "
        "new,\n      one paragraph new per check); (b) fresh post: no paragraph of the text seen before (a paste, "
        "opening a draft)"
    )
    for index, (label, text, _, _) in enumerate(compare_cases()):
        samples: dict[str, dict[str, list[float]]] = {n: {"wall": [], "cpu": []} for n in sides}
        done = 0
        while done < runs:
            n = min(block, runs - done)
            for name, proc in sides.items():
                assert proc.stdin is not None and proc.stdout is not None
                proc.stdin.write(f"{index} {n}\n")
                proc.stdin.flush()
                got = json.loads(proc.stdout.readline())
                samples[name]["wall"] += got["wall"]
                samples[name]["cpu"] += got["cpu"]
            done += n
        print(f"  {label} ({len(text)} code points):")
        for name in sides:
            print("    " + Stats.of(samples[name]["cpu"]).line("cpu") + f"  {name}")
            print("    " + Stats.of(samples[name]["wall"]).line("wall") + f"  {name}")
        b, a = Stats.of(samples["before"]["cpu"]), Stats.of(samples["after"]["cpu"])
        verdict = "MET" if a.median <= TARGET_MEDIAN_MS and a.p99 <= TARGET_P99_MS else "MISSED"
        print(
            f"    after/before (CPU medians): {a.median / b.median:.2f}; target median ≤ {TARGET_MEDIAN_MS} ms and "
            f"p99 ≤ {TARGET_P99_MS} ms (CPU) -> {verdict}"
        )
    for proc in sides.values():
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=2000, help="warm runs per post (default 2000)")
    parser.add_argument("--cold-runs", type=int, default=7, help="cold `drafter lint` runs (default 7)")
    parser.add_argument("--textlint-runs", type=int, default=50, help="warm runs on the corpus (default 50)")
    parser.add_argument("--no-textlint", action="store_true", help="skip the textlint side by side")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold `drafter lint` runs")
    parser.add_argument("--quick", action="store_true", help="few runs, for a smoke test")
    default_before = REPO.parent / "main"
    parser.add_argument(
        "--before",
        type=Path,
        default=default_before if (default_before / "drafter").is_dir() and default_before != REPO else None,
        help="another checkout to measure side by side (default: ../main when it exists)",
    )
    parser.add_argument("--no-before", action="store_true", help="skip the before/after comparison")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    if args.quick:
        args.runs, args.cold_runs, args.textlint_runs = 200, 3, 10
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load}; gc enabled")
    if args.before is not None and not args.no_before:
        bench_compare(args.before.resolve(), args.runs)
        print()
    bench_warm(args.runs)
    if not args.no_cold:
        print()
        bench_cold(args.cold_runs)
    if not args.no_textlint:
        print()
        bench_textlint(args.textlint_runs)


if __name__ == "__main__":
    main()
