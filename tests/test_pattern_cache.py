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
