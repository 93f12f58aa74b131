"""Compiled ``re`` patterns from the user cache folder (issue 14): the object ``re.compile`` makes, for the
same Python, text and flags only; a damaged, forged or foreign entry is a miss and compiles as usual."""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import stat
from pathlib import Path
from typing import Any

import pytest
import regex

from drafter import paths, pattern_cache, twittertext

PATTERNS = [
    ("a(?P<word>b+)c|(d)", 0),
    ("straße", re.IGNORECASE),
    ("(?i)ſ|K", 0),  # the long s and the Kelvin sign, which ignoring case relates to s and k
    (r"(?x) \d+ [.,] \d*  # a comment", re.IGNORECASE),
    (r"(?<=\w)x(?=y)|(?<!z)[^\W\d]{2,5}?", re.ASCII),
]


def url_pattern() -> tuple[str, int]:
    lazy = twittertext.twitter_text_part("regexp.extract_url").extract_url
    return lazy.pattern, lazy.flags


def entries() -> list[Path]:
    folder = paths.cache_dir() / pattern_cache.SUBDIR
    return sorted(folder.glob("*.cache")) if folder.is_dir() else []


def same(found: re.Pattern[str], pattern: str, flags: int) -> None:
    expected = re.compile(pattern, flags)
    assert found == expected  # compares the flags, the text and the compiled opcodes
    assert (found.groups, found.groupindex, found.flags) == (expected.groups, expected.groupindex, expected.flags)


def hit_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, compiling a pattern fails the test: it must come from its entry."""

    def refuse(*args: Any) -> Any:
        raise AssertionError("compiled again")

    monkeypatch.setattr(pattern_cache, "_compile", refuse)


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.mark.parametrize(("pattern", "flags"), [*PATTERNS, url_pattern()])
def test_a_pattern_from_its_entry_is_what_re_compile_makes(
    pattern: str, flags: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    same(pattern_cache.compile_cached(pattern, flags), pattern, flags)  # compiled, the entry written
    assert len(entries()) == 1
    hit_only(monkeypatch)
    same(pattern_cache.compile_cached(pattern, flags), pattern, flags)


def test_each_text_and_flags_have_their_own_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    for pattern, flags in PATTERNS:
        pattern_cache.compile_cached(pattern, flags)
    pattern_cache.compile_cached("straße", 0)
    assert len(entries()) == len(PATTERNS) + 1
    hit_only(monkeypatch)
    for pattern, flags in [*PATTERNS, ("straße", 0)]:
        same(pattern_cache.compile_cached(pattern, flags), pattern, flags)


def test_urls_are_found_the_same_with_the_pattern_from_its_entry() -> None:
    pattern, flags = url_pattern()
    text = "Mehr: https://www.telekom.com/de/medien, telekom.de und t.co/abc (siehe www.example.org/a_(b))."
    expected = [m.span() for m in re.compile(pattern, flags).finditer(text)]
    pattern_cache.compile_cached(pattern, flags)
    assert [m.span() for m in pattern_cache.compile_cached(pattern, flags).finditer(text)] == expected


def rewrite(entry: Path, payload: bytes) -> None:
    """``payload`` under a valid header (as a forger with the user's rights could write it)."""
    digest = hashlib.sha256(payload).hexdigest().encode("ascii")
    entry.write_bytes(pattern_cache.MAGIC + digest + payload)


def stored(entry: Path) -> tuple[Any, ...]:
    data: tuple[Any, ...] = pickle.loads(entry.read_bytes()[len(pattern_cache.MAGIC) + 64 :])
    return data


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # torn write
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]),  # a flipped bit
        lambda raw: b"other" + raw,
        lambda raw: b"",
    ],
)
def test_a_damaged_entry_is_a_miss(damage: Any) -> None:
    pattern, flags = PATTERNS[0]
    pattern_cache.compile_cached(pattern, flags)
    (entry,) = entries()
    entry.write_bytes(damage(entry.read_bytes()))
    same(pattern_cache.compile_cached(pattern, flags), pattern, flags)
    assert stored(entry)[1] == pattern  # written again


def test_forged_opcodes_are_refused_not_run() -> None:
    pattern, flags = PATTERNS[0]
    pattern_cache.compile_cached(pattern, flags)
    (entry,) = entries()
    data = list(stored(entry))
    data[4] = [17, 10**6, *data[4][2:]]  # a jump far out of the code
    rewrite(entry, pickle.dumps(tuple(data)))
    same(pattern_cache.compile_cached(pattern, flags), pattern, flags)


def test_an_entry_for_another_text_or_python_is_a_miss() -> None:
    pattern, flags = PATTERNS[0]
    pattern_cache.compile_cached(pattern, flags)
    (entry,) = entries()
    data = list(stored(entry))
    other = re.compile("x", flags)  # valid opcodes, but of another pattern
    for field, value in [(1, "x"), (0, ["another", "python"])]:
        forged = list(data)
        forged[field] = value
        if field == 1:
            forged[4] = [int(op) for op in re._compiler._code(re._parser.parse("x", flags), flags)]  # type: ignore[attr-defined]
        rewrite(entry, pickle.dumps(tuple(forged)))
        found = pattern_cache.compile_cached(pattern, flags)
        same(found, pattern, flags)
        assert found != other


class Boom:
    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, ("echo pwned",))


def test_an_entry_that_names_a_function_runs_no_code(capfd: pytest.CaptureFixture[str]) -> None:
    pattern, flags = PATTERNS[0]
    pattern_cache.compile_cached(pattern, flags)
    (entry,) = entries()
    rewrite(entry, pickle.dumps(Boom()))
    same(pattern_cache.compile_cached(pattern, flags), pattern, flags)
    assert "pwned" not in capfd.readouterr().out


def test_entries_are_private_and_not_kept_where_others_may_write() -> None:
    pattern, flags = PATTERNS[0]
    pattern_cache.compile_cached(pattern, flags)
    (entry,) = entries()
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700
    entry.unlink()
    os.chmod(entry.parent, 0o777)
    try:
        same(pattern_cache.compile_cached(pattern, flags), pattern, flags)
        assert entries() == []
    finally:
        os.chmod(entry.parent, 0o700)


def test_an_entry_others_may_write_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    pattern, flags = PATTERNS[0]
    pattern_cache.compile_cached(pattern, flags)
    (entry,) = entries()
    os.chmod(entry, 0o622)
    calls: list[str] = []
    real = pattern_cache._compile
    monkeypatch.setattr(pattern_cache, "_compile", lambda *args: calls.append("compiled") or real(*args))
    same(pattern_cache.compile_cached(pattern, flags), pattern, flags)
    assert calls == ["compiled"]


def test_no_cache_folder_still_compiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    pattern, flags = PATTERNS[1]
    same(pattern_cache.compile_cached(pattern, flags), pattern, flags)


def test_a_bad_pattern_raises_as_re_compile_does() -> None:
    with pytest.raises(re.error):
        pattern_cache.compile_cached("(unclosed", 0)
    assert entries() == []


# --- regex patterns a cached guideline set compiles later --------------------------------------------
ADDRESS = r"(?<![\w.,])\d{1,3}(?<=(?:[A-ZÄÖÜ][\w-]{0,40}(?:straße|weg|platz)\s\d{1,3}))"


def same_regex(found: regex.Pattern[str], pattern: str, flags: int) -> None:
    expected = regex.compile(pattern, flags)
    assert found._pickled_data == expected._pickled_data  # type: ignore[attr-defined]  # text, flags, opcodes
    text = "Wir sind in der Hauptstraße 12 und am Marktplatz 3, Tel. 0228 123"
    assert [m.span() for m in found.finditer(text)] == [m.span() for m in expected.finditer(text)] != []


@pytest.fixture
def every_pattern_slow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pattern_cache, "SLOW", 0.0)


def compiled_again(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = regex.compile
    monkeypatch.setattr(regex, "compile", lambda *args: calls.append(args[0]) or real(*args))
    return calls


@pytest.mark.usefixtures("every_pattern_slow")
def test_a_slow_regex_pattern_is_kept_and_comes_back_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    for flags in (0, regex.IGNORECASE | regex.V0):
        same_regex(pattern_cache.compile_regex(ADDRESS, flags), ADDRESS, flags)
    assert len(entries()) == 2
    calls = compiled_again(monkeypatch)
    for flags in (0, regex.IGNORECASE | regex.V0):
        calls.clear()
        found = pattern_cache.compile_regex(ADDRESS, flags)
        assert calls == []
        same_regex(found, ADDRESS, flags)


def test_a_regex_pattern_quick_to_compile_is_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pattern_cache, "SLOW", 60.0)  # quicker than that, whatever the machine's load
    pattern_cache.compile_regex(r"(?<!\w)Kunde(?!\w)", 0)
    assert entries() == []
    pattern_cache.compile_regex(r"(?<!\w)Kundin(?!\w)", 0, slow=0)
    assert len(entries()) == 1


@pytest.mark.usefixtures("every_pattern_slow")
def test_a_regex_entry_of_another_pattern_or_build_is_a_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    pattern_cache.compile_regex(ADDRESS, 0)
    (entry,) = entries()
    build, _, flags, inner = stored(entry)
    other = pickle.dumps(regex.compile(r"\d+", 0))
    for forged in [(build, ADDRESS, flags, other), (["another", "build"], ADDRESS, flags, inner)]:
        rewrite(entry, pickle.dumps(forged))
        calls = compiled_again(monkeypatch)
        same_regex(pattern_cache.compile_regex(ADDRESS, 0), ADDRESS, 0)
        assert ADDRESS in calls  # compiled again: the entry was not used
        monkeypatch.undo()
        monkeypatch.setattr(pattern_cache, "SLOW", 0.0)


@pytest.mark.usefixtures("every_pattern_slow")
def test_a_regex_entry_that_names_a_function_runs_no_code(capfd: pytest.CaptureFixture[str]) -> None:
    pattern_cache.compile_regex(ADDRESS, 0)
    (entry,) = entries()
    build, _, flags, _inner = stored(entry)
    for forged in [pickle.dumps(Boom()), pickle.dumps((build, ADDRESS, flags, pickle.dumps(Boom())))]:
        rewrite(entry, forged)
        same_regex(pattern_cache.compile_regex(ADDRESS, 0), ADDRESS, 0)
    assert "pwned" not in capfd.readouterr().out


def test_a_set_from_the_guideline_cache_keeps_what_it_compiles_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first load reads the files (everything compiled, nothing kept here); a load from the guideline
    cache switches the compiler, so a cue part a post first needs is compiled once for every process."""
    from drafter import guidelines, patterns
    from drafter.checker import Checker

    monkeypatch.setattr(patterns, "compiler", regex.compile)
    # every part is written, however fast it compiled: which parts take 2 ms depends on the machine's load (a
    # 300-character part compiled in less once, was not written, and compiled again: a flaky CI run)
    monkeypatch.setattr(pattern_cache, "SLOW", 0.0)
    guidelines.load_guidelines()
    assert patterns.compiler is regex.compile
    before = entries()  # what modules imported meanwhile keep, none of the set's patterns
    cached = guidelines.load_guidelines()
    assert patterns.compiler is pattern_cache.compile_regex
    post = "Kundin Frau Berger, Lindenstraße 12 in Bonn: streng vertraulich, nur 39 € im Monat! #Werkstolz"
    first = Checker(cached).check(post, "linkedin")
    assert len(entries()) > len(before)  # the street-address cue, searched in every post, compiles slowly
    plain = Checker(guidelines._load_guidelines(paths.default_guidelines_dir(), {})).check(post, "linkedin")
    assert [(f.rule, f.start, f.end) for f in first.findings] == [(f.rule, f.start, f.end) for f in plain.findings]
    assert len(first.findings) > 2
    kept = entries()
    calls = compiled_again(monkeypatch)
    again = Checker(guidelines.load_guidelines()).check(post, "linkedin")
    assert [(f.rule, f.start, f.end) for f in again.findings] == [(f.rule, f.start, f.end) for f in first.findings]
    assert entries() == kept
    assert not [c for c in calls if len(c) > 200]  # the long parts came from their entries


# --- the texts of twitter-text's URL patterns ------------------------------------------------------
URL_PROBE = """
import importlib, json, re, sys
from drafter import twittertext
from drafter.lazy_supplant import LazyPattern
texts = ["Mehr: https://www.telekom.com/de/medien, telekom.de und t.co/abc", "http://t.co/abcdef?x=1 -a.com",
         "www.example.org/a_(b)?q=1. und ex-ample.co.uk/pfad; xn--bcher-kva.de", "kein link hier", "foo._bar.de"]
found = [[(u.start, u.end, u.text) for u in twittertext.extract_urls_with_indices(t)] for t in texts]
package = importlib.import_module("twitter_text.extract_urls")
theirs = [[(d["indices"][0], d["indices"][1], d["url"]) for d in package.extract_urls_with_indices(t)] for t in texts]
ours = [getattr(sys.modules[f"_drafter_twitter_text_parts.regexp.{n}"], n) for n in twittertext.URL_PATTERNS]
real = [getattr(importlib.import_module(f"twitter_text.regexp.{n}"), n) for n in twittertext.URL_PATTERNS]
print(json.dumps({
    "same_urls": found == theirs and any(found),
    "same_patterns": [(type(o) is LazyPattern or isinstance(o, re.Pattern), o.pattern, o.flags) for o in ours]
    == [(True, r.pattern, r.flags) for r in real],
    "parts_imported": len([m for m in sys.modules if m.startswith("_drafter_twitter_text_parts.regexp.")]),
}))
"""


def test_the_url_patterns_come_from_their_texts_the_same(tmp_path: Path) -> None:
    """The first process assembles twitter-text's URL patterns from the package's modules and keeps their
    texts; the next makes just those four, with the package's own texts and flags, and finds the same URLs."""
    import json
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def probe() -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-c", URL_PROBE], capture_output=True, text=True, env=env, timeout=120, check=True
        )
        result: dict[str, Any] = json.loads(done.stdout)
        return result

    first, second = probe(), probe()
    assert first["same_urls"] and first["same_patterns"] and first["parts_imported"] > 20
    assert second["same_urls"] and second["same_patterns"] and second["parts_imported"] == len(twittertext.URL_PATTERNS)


MODULE_PROBE = """
import json, re, regex
from drafter import text_integrity as ti, twittertext as tt
plain = [ti._HIDDEN, ti._HIDDEN_RUN, ti._LOOKALIKE_SCRIPT, ti._EITHER, ti._LATIN, tt._MENTION_END,
         tt._DOT_BEFORE_LETTER,
         tt._NON_SPACE_RUN, tt._SPACE]
print(json.dumps({
    "re": all(p == re.compile(p.pattern, p.flags) for p in plain),
    # (regex's compiler orders some sets by hash: the opcodes of one text may differ between processes)
    "regex": all((p.pattern, p.flags) == (regex.compile(p.pattern).pattern, regex.compile(p.pattern).flags)
                 for p in (tt._HASHTAG, tt._MENTION)),
    "tags": [h.text for h in tt.extract_hashtags_with_indices("Wir #bauen das Netz #5G #Glasfaser_2026 @anna")],
    "mentions": [m.text for m in tt.extract_mentions_with_indices("RT @anna: hi @ben/list x@no @_ok")],
}))
"""


def test_patterns_compiled_at_import_are_those_of_their_text(tmp_path: Path) -> None:
    """Patterns of twittertext and text_integrity come from the pattern cache from the second start on:
    the same compiled patterns as their text gives."""
    import json
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", MODULE_PROBE], capture_output=True, text=True, env=env, timeout=120, check=True
            ).stdout
        )
        for _ in range(2)
    ]
    mentions = [m.text for m in twittertext.extract_mentions_with_indices("RT @anna: hi @ben/list x@no @_ok")]
    tags = [h.text for h in twittertext.extract_hashtags_with_indices("Wir #bauen das Netz #5G #Glasfaser_2026 @anna")]
    expected = {"re": True, "regex": True, "tags": tags, "mentions": mentions}
    assert runs[0] == runs[1] == expected and mentions and tags
    assert len(list((tmp_path / "cache" / "drafter" / pattern_cache.SUBDIR).glob("*.cache"))) >= 11


def test_kept_url_texts_of_another_shape_are_not_used() -> None:
    good = [("lazy", "a", 34), ("re", "[-_./]$", 32), ("lazy", "b", 34), ("lazy", "c", 34)]
    made = twittertext._url_pattern_modules(good)
    assert made is not None and [m.__name__.rsplit(".", 1)[1] for m in made] == list(twittertext.URL_PATTERNS)
    for bad in [
        good[:3],
        [*good, good[0]],
        [("code", "a", 34), *good[1:]],
        [("lazy", b"a", 34), *good[1:]],
        [("lazy", "(", 34), ("re", "(", 32), *good[2:]],
        "text",
        [1, 2, 3, 4],
        None,
    ]:
        assert twittertext._url_pattern_modules(bad) is None
