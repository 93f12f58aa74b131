"""A cold ``drafter lint`` (issue 14) loads only what a lint of a file uses: no command-line framework, no
UI, no AI, no corpus machinery without a store, no authorship record, no YAML or validator when the
guideline cache holds the set, and no fuzzy matching unless a fuzzy comparison runs. Each module listed
here cost start-up time once; a subprocess checks ``sys.modules`` so that the gain cannot silently go."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from drafter.settings import Settings, defaults, load_settings

REPO = Path(__file__).resolve().parent.parent
POST = "Heute war ich beim Glasfaserausbau in Bonn dabei. Mehr: https://www.telekom.com/de #Werkstolz\n"

#: modules (and packages) a plain lint of a file must not load once the guideline cache is warm
NOT_LOADED = (
    "typer",
    "click",
    "textual",
    "rich",
    "langchain_core",
    "langchain_openai",
    "numpy",
    "datasketch",
    "sqlite3",
    "yaml",
    "rapidfuzz",
    "importlib.metadata",
    "pydantic.plugin._loader",
    "drafter.authorship",
    "drafter.store",
    "drafter.originality",
    "drafter.briefs",  # a brief's models: only with --brief
    "tomllib",  # the settings file's and UI catalogues' reader: only with a settings file not validated before
    "tomli_w",
)
REPORT = (
    "import atexit, sys; "
    f"atexit.register(lambda: print(sorted(m for m in sys.modules if m in {NOT_LOADED!r} "
    f"or m.split('.')[0] in {NOT_LOADED!r}), file=sys.stderr)); "
    "sys.argv[0] = 'drafter'; from drafter.cli import main; main()"
)


def lint(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DRAFTER_HOME": str(home / "home"), "XDG_CACHE_HOME": str(home / "cache")}
    env.pop("DRAFTER_TEAM_URL", None)
    return subprocess.run(
        [sys.executable, "-c", REPORT, "lint", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
    )


def loaded(result: subprocess.CompletedProcess[str]) -> list[str]:
    return eval(result.stderr.strip().splitlines()[-1])  # the list printed at exit


def test_a_plain_lint_loads_only_what_it_uses(tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    post.write_text(POST, encoding="utf-8")
    first = lint(tmp_path, str(post), "-c", "x", "--date", "2026-11-30")  # reads the files, fills the cache
    assert first.returncode == 0, first.stderr
    assert "yaml" in loaded(first)  # the folder was read and validated: the check below can fail
    again = lint(tmp_path, str(post), "-c", "x", "--date", "2026-11-30")
    assert (again.returncode, again.stdout) == (0, first.stdout)
    assert loaded(again) == []
    assert not (tmp_path / "home").exists()  # nothing created for a lint


def test_a_lint_with_settings_validated_before_loads_no_validator(tmp_path: Path) -> None:
    """As everyone's after the first start of the app: the settings come from the settings cache, so no TOML
    reader and no validator (pydantic's plugin search, ``importlib.metadata``) — and they are applied: their
    guidelines folder has a rule of its own."""
    import shutil

    from drafter import paths

    guidelines = tmp_path / "gl"
    shutil.copytree(paths.default_guidelines_dir(), guidelines)
    (guidelines / "rules" / "zz-own.yaml").write_text(
        "rules:\n  - id: own.stove\n    type: existence\n    level: info\n    category: terms\n"
        "    message: Own rule\n    tokens: [Kachelofen]\n",
        encoding="utf-8",
    )
    settings = tmp_path / "home" / "config" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text(f'name = "Anna"\nguidelines_dir = "{guidelines}"\nchannels = ["x"]\n', encoding="utf-8")
    post = tmp_path / "post.txt"
    post.write_text(POST.replace("dabei.", "dabei, am Kachelofen."), encoding="utf-8")
    first = lint(tmp_path, str(post), "-c", "x", "--date", "2026-11-30")  # validates the settings, keeps them
    assert first.returncode == 0 and "own.stove" in first.stdout, first.stdout + first.stderr
    assert {"tomllib", "importlib.metadata"} <= set(loaded(first))  # the check below can fail
    again = lint(tmp_path, str(post), "-c", "x", "--date", "2026-11-30")
    assert (again.returncode, again.stdout) == (0, first.stdout)
    assert loaded(again) == []


def test_a_lint_with_a_corpus_still_checks_it(tmp_path: Path) -> None:
    post = tmp_path / "posts" / "post.txt"
    post.parent.mkdir()
    post.write_text(POST.replace("dabei.", "dabei, mit dem ganzen Team aus der Technik, bis spät am Abend."))
    env = {**os.environ, "DRAFTER_HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    imported = subprocess.run(
        [sys.executable, "-m", "drafter", "corpus", "import", str(post.parent)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    result = lint(tmp_path, str(post), "-c", "x")
    assert result.returncode == 1 and "originality.corpus" in result.stdout, result.stdout + result.stderr
    assert "sqlite3" in loaded(result)


def test_a_fuzzy_hashtag_comparison_runs_only_for_a_misspelt_tag(tmp_path: Path) -> None:
    for text, expected in [("Gut gemacht #Werkstolz", "0 []"), ("Gut gemacht #Werkstols", "1 ['rapidfuzz']")]:
        code = (
            "import sys; from drafter.guidelines import load_guidelines; from drafter.rules import HashtagRule; "
            "from drafter.rules.base import CheckContext; gs = load_guidelines(); "
            "rule = next(r for r in gs.rules if isinstance(r, HashtagRule) and r.check_ == 'near_miss'); "
            f"found = list(rule.check(CheckContext({text!r}, 'x', gs.channels['x'], goals=gs.goals))); "
            "print(len(found), sorted(m for m in sys.modules if m == 'rapidfuzz'))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120, check=False
        )
        assert result.stdout.strip() == expected, result.stderr


def test_default_settings_are_those_of_the_model() -> None:
    made, validated = defaults(Settings), Settings()
    assert made == validated and made.model_dump() == validated.model_dump()
    assert made.model_fields_set == validated.model_fields_set == set()
    assert made.voice.model_fields_set == set() and made.ai == validated.ai
    with pytest.raises(ValidationError):
        made.language = "fr"  # validated on assignment as before


def test_no_settings_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "settings.toml") == Settings()


def test_the_collector_pauses_only_while_loading(tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    post.write_text(POST, encoding="utf-8")
    code = (
        "import atexit, gc, sys; "
        "atexit.register(lambda: print(gc.isenabled(), gc.get_freeze_count() > 10000, file=sys.stderr)); "
        "sys.argv[0] = 'drafter'; from drafter.cli import main; main()"
    )
    env = {**os.environ, "DRAFTER_HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for args in (["-c", "x"], ["-c", "nope"]):  # a lint, and one that fails after loading
        result = subprocess.run(
            [sys.executable, "-c", code, "lint", str(post), *args],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env,
            timeout=120,
            check=False,
        )
        assert result.stderr.strip().splitlines()[-1] == "True True", result.stderr


def test_the_brand_near_miss_rule_compares_only_words_within_reach(tmp_path: Path) -> None:
    """Words of a term's length and first letter ("Morgen", "Meinung" beside "Magenta") are ruled out by
    their letters before rapidfuzz is loaded; a real misspelling still loads it and is found."""
    for text, expected in [
        ("Morgen mache ich mit meiner Mannschaft einen Ausflug nach Mainz #Werkstolz", "0 []"),
        ("Die Magneta App läuft prima #Werkstolz", "1 ['rapidfuzz']"),
    ]:
        code = (
            "import sys; from drafter.guidelines import load_guidelines; from drafter.rules.words import "
            "NearMissRule; from drafter.rules.base import CheckContext; gs = load_guidelines(); "
            "found = [f for r in gs.rules if isinstance(r, NearMissRule) "
            f"for f in r.check(CheckContext({text!r}, 'x', gs.channels['x'], goals=gs.goals))]; "
            "print(len(found), sorted(m for m in sys.modules if m == 'rapidfuzz'))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120, check=False
        )
        assert result.stdout.strip() == expected, result.stderr


def test_a_part_ignores_case_by_an_inline_flag_exactly_as_its_parse_says() -> None:
    """A cached set registers its ~400 cue parts on every load; a part is parsed to see whether it ignores
    case as a whole only when it has a flag group naming ``i`` — the answer is the parser's, always."""
    from drafter import cues, patterns
    from drafter.guidelines import load_guidelines

    def parsed_says(part: str) -> bool:
        found = patterns._parse(part)
        return found is not None and bool(found[1].state.flags & found[0].SRE_FLAG_IGNORECASE)

    gs = load_guidelines()
    parts = [part for rule in gs.rules for value in vars(rule).values() if isinstance(value, str) for part in [value]]
    parts += [p for cue in _cue_sets(gs) for _, p in cue._parts]
    parts += [
        "(?i)abc",
        "(?mi)abc",
        "(?im)a",
        "(?i:a)b",
        "(?-i:a)",
        "a(?i)",
        "(?x)(?i) a",
        "(?V1i)a",
        r"\(?i\)",
        "(?ai)x",
    ]
    parts += ["(?L)a", "(?u)(?i)a", "(?s)a", "(?<!\\w)(?:Kunde)", "(?P<i>x)", "(?#i)x", "[(?i)]"]
    assert len(parts) > 300
    assert [cues._ignores_case(p, False) for p in parts] == [parsed_says(p) for p in parts]
    assert any(parsed_says(p) for p in parts) and not all(parsed_says(p) for p in parts)


def _cue_sets(gs: object) -> list[object]:
    """Every cue set reachable from ``gs`` (rules keep them in private attributes)."""
    from drafter.cues import CueSet

    found: list[object] = []
    seen: set[int] = set()
    stack: list[object] = [gs]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CueSet):
            found.append(item)
        elif isinstance(item, dict):
            stack += item.values()
        elif isinstance(item, list | tuple):
            stack += item
        elif hasattr(item, "__pydantic_private__") or hasattr(item, "__dict__"):
            stack += list(getattr(item, "__dict__", {}).values()) + list(
                (getattr(item, "__pydantic_private__", None) or {}).values()
            )
    return found
