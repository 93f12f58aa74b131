"""Python ``re`` patterns kept compiled in the user cache folder, for the few that are slow to compile.

twitter-text's URL pattern (13,000 characters: some 1,500 top-level domains, ignoring case) takes Python's
``re`` compiler about 22 ms — a tenth of a cold ``drafter lint`` of a post with a link, every time. That
compiler is written in Python: it parses the pattern and turns it into a list of opcodes, which it hands
to ``_sre.compile`` (C). This module keeps that list (with the group names) and hands it to
``_sre.compile`` again next time: the very object ``re.compile`` makes (a test compares them with ``==``,
which compares the opcodes), in about a millisecond.

Trust (as :mod:`drafter.guideline_cache`, with the file checks of :mod:`drafter.private_cache`): an entry is
written by drafter for the current user into that user's private cache folder and read only from there; its
SHA-256 catches damage; its payload is plain data (the unpickler resolves no class or function at all); it is
used only for the same Python build, pattern text and flags; and ``_sre.compile`` checks the opcodes itself (a
malformed list is refused with "invalid SRE code", not run). Any doubt is a miss: the pattern is compiled as
usual and the entry written again. Saving is best effort.

The same for ``regex`` patterns of a guideline set compiled after the set came from
:mod:`drafter.guideline_cache` (:func:`compile_regex`): a cue part is compiled when a post first needs it,
and the street-address cue, needed by nearly every post, took ~14 ms to compile in every ``drafter lint``.
Only patterns slower to compile than :data:`SLOW` are kept (a pattern's text comes from the guideline
files, never from a post). Their entries hold the ``regex`` module's own pickled form — its opcodes,
which that module trusts as the guideline cache's entries do — so they are used only for the very same
``regex`` build, and the unpickler resolves nothing but ``regex._regex.compile``.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import re
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import regex

MAGIC = b"drafter pattern cache 1\n"
SUBDIR = "patterns"
#: a ``regex`` pattern that took longer than this to compile is kept (seconds); reading an entry costs
#: about a tenth of a millisecond
SLOW = 0.002


def compile_cached(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the cache when an entry for it is there (else written)."""
    try:
        import _sre

        from drafter import paths

        build = [sys.implementation.cache_tag, sys.version, _sre.MAGIC, _sre.CODESIZE, sys.maxunicode]
        key = hashlib.sha256(json.dumps([build, int(flags), pattern]).encode("utf-8")).hexdigest()[:40]
        entry = paths.cache_dir() / SUBDIR / f"{key}.cache"
    except Exception:  # no cache folder (or not CPython): as without a cache
        return re.compile(pattern, flags)
    found = _load(entry, build, pattern, flags)
    if found is not None:
        return found
    compiled, data = _compile(pattern, flags, build)
    if data is not None:
        _save(entry, data)
    return compiled


def _compile(pattern: str, flags: int, build: list[Any]) -> tuple[re.Pattern[str], tuple[Any, ...] | None]:
    """The pattern compiled as ``re.compile`` does (``re._compiler.compile``: parse, opcodes,
    ``_sre.compile``), with what a cache entry keeps of it; None when that is not available."""
    try:
        import _sre
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern, flags)
        code = [int(op) for op in _compiler._code(parsed, flags)]  # its opcodes are named ints
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        final = int(flags | parsed.state.flags)
        data = (build, pattern, int(flags), final, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        return _sre.compile(pattern, final, code, parsed.state.groups - 1, groupindex, tuple(indexgroup)), data
    except re.error:
        raise
    except Exception:  # another Python's compiler: compile as usual, keep nothing
        return re.compile(pattern, flags), None


def recall(key: list[Any]) -> Any:
    """What :func:`remember` kept under ``key`` (plain data: a list of strings and numbers), or None."""
    try:
        entry = _data_entry(key)
        payload = _verified(entry)
        if payload is None:
            return None
        stored_key, data = _PlainUnpickler(io.BytesIO(payload)).load()
        return data if stored_key == key else None
    except Exception:  # no cache folder, damaged, foreign: nothing kept
        return None


def remember(key: list[Any], data: Any) -> None:
    """Keep the plain ``data`` under ``key`` (best effort)."""
    try:
        _save(_data_entry(key), (key, data))
    except Exception:
        return


def _data_entry(key: list[Any]) -> Any:
    from drafter import paths

    digest = hashlib.sha256(json.dumps(["data", key]).encode("utf-8")).hexdigest()[:40]
    return paths.cache_dir() / SUBDIR / f"{digest}.cache"


def _verified(entry: Any) -> bytes | None:
    """The payload of ``entry`` when it is ours (magic) and whole (its SHA-256 matches), else None."""
    from drafter.private_cache import read_private

    raw = read_private(entry)
    if raw is None or not raw.startswith(MAGIC):
        return None
    digest, payload = raw[len(MAGIC) : len(MAGIC) + 64], raw[len(MAGIC) + 64 :]
    if hashlib.sha256(payload).hexdigest().encode("ascii") != digest:
        return None
    return payload


def _load(entry: Any, build: list[Any], pattern: str, flags: int) -> re.Pattern[str] | None:
    try:
        payload = _verified(entry)
        if payload is None:
            return None
        data = _PlainUnpickler(io.BytesIO(payload)).load()
        stored_build, stored_pattern, stored_flags, final, code, groups, groupindex, indexgroup = data
        if (stored_build, stored_pattern, stored_flags) != (build, pattern, int(flags)):
            return None
        if not (type(code) is list and type(groupindex) is dict and type(indexgroup) is tuple):
            return None
        import _sre

        compiled: re.Pattern[str] = _sre.compile(pattern, final, code, groups, groupindex, indexgroup)
        return compiled
    except Exception:  # damaged, foreign, refused by _sre's check: a miss
        return None


def _save(entry: Any, data: tuple[Any, ...]) -> None:
    from drafter.private_cache import write_private

    try:
        payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        write_private(entry, MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii") + payload)
    except Exception:  # best effort: the next run compiles it again
        return


def compile_regex(pattern: str, flags: int = 0, *, slow: float | None = None) -> regex.Pattern[str]:
    """``regex.compile(pattern, flags)``, from the cache when an entry for it is there; a pattern that took
    ``slow`` seconds (default :data:`SLOW`) or longer to compile is written for the next process (0: any
    pattern, for those a module compiles when it is imported)."""
    import regex

    try:
        build = _regex_build()
        key = hashlib.sha256(json.dumps(["regex", build, int(flags), pattern]).encode("utf-8")).hexdigest()[:40]
        from drafter import paths

        entry = paths.cache_dir() / SUBDIR / f"{key}.cache"
    except Exception:  # no cache folder: as without a cache
        return regex.compile(pattern, flags)
    found = _load_regex(entry, build, pattern, flags)
    if found is not None:
        return found
    started = time.perf_counter()
    compiled = regex.compile(pattern, flags)
    if time.perf_counter() - started >= (SLOW if slow is None else slow):
        try:
            inner = pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # best effort
            return compiled
        _save(entry, (build, pattern, int(flags), inner))
    return compiled


_REGEX_BUILD: list[Any] | None = None


def _regex_build() -> list[Any]:
    """What a pickled ``regex`` pattern depends on: the module's version and its compiled core (size and
    modification time: an upgrade rewrites it), and Python."""
    global _REGEX_BUILD
    if _REGEX_BUILD is None:
        import os

        import regex
        from regex import _regex

        st = os.stat(_regex.__file__)
        _REGEX_BUILD = [regex.__version__, st.st_size, st.st_mtime_ns, sys.version]
    return _REGEX_BUILD


def _load_regex(entry: Any, build: list[Any], pattern: str, flags: int) -> regex.Pattern[str] | None:
    try:
        payload = _verified(entry)
        if payload is None:
            return None
        # plain data first: the pattern itself is made from its pickled opcodes only for an entry that
        # is exactly this pattern's, for this regex build
        stored_build, stored_pattern, stored_flags, inner = _PlainUnpickler(io.BytesIO(payload)).load()
        if (stored_build, stored_pattern, stored_flags) != (build, pattern, int(flags)) or type(inner) is not bytes:
            return None
        import regex

        compiled = _RegexUnpickler(io.BytesIO(inner)).load()
        if not isinstance(compiled, regex.Pattern) or compiled.pattern != pattern:
            return None
        return compiled
    except Exception:  # damaged, foreign: a miss
        return None


class _RegexUnpickler(pickle.Unpickler):
    """Plain data and ``regex``'s compiled patterns (how that module pickles one), nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("regex._regex", "compile"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name}: a pattern cache entry holds patterns only")


class _PlainUnpickler(pickle.Unpickler):
    """Plain data only (lists, tuples, dicts, strings, numbers, None): no class or function is resolved."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name}: a pattern cache entry holds plain data only")
