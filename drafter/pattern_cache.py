"""Python ``re`` patterns kept compiled in the user cache folder, for the few that are slow to compile.

twitter-text's URL pattern (13,000 characters: some 1,500 top-level domains, ignoring case) takes Python's
``re`` compiler about 22 ms — a tenth of a cold ``drafter lint`` of a post with a link, every time. That
compiler is written in Python: it parses the pattern and turns it into a list of opcodes, which it hands
to ``_sre.compile`` (C). This module keeps that list (with the group names) and hands it to
``_sre.compile`` again next time: the very object ``re.compile`` makes (a test compares them with ``==``,
which compares the opcodes), in about a millisecond.

Trust (as :mod:`drafter.guideline_cache`, whose file checks it uses): an entry is written by drafter for the
current user into that user's private cache folder and read only from there; its SHA-256 catches damage;
its payload is plain data (the unpickler resolves no class or function at all); it is used only for the
same Python build, pattern text and flags; and ``_sre.compile`` checks the opcodes itself (a malformed list
is refused with "invalid SRE code", not run). Any doubt is a miss: the pattern is compiled as usual and
the entry written again. Saving is best effort.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import re
import sys
from typing import Any

MAGIC = b"drafter pattern cache 1\n"
SUBDIR = "patterns"


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


def _load(entry: Any, build: list[Any], pattern: str, flags: int) -> re.Pattern[str] | None:
    from drafter.guideline_cache import read_private

    try:
        raw = read_private(entry)
        if raw is None or not raw.startswith(MAGIC):
            return None
        digest, payload = raw[len(MAGIC) : len(MAGIC) + 64], raw[len(MAGIC) + 64 :]
        if hashlib.sha256(payload).hexdigest().encode("ascii") != digest:
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
    from drafter.guideline_cache import write_private

    try:
        payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        write_private(entry, MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii") + payload)
    except Exception:  # best effort: the next run compiles it again
        return


class _PlainUnpickler(pickle.Unpickler):
    """Plain data only (lists, tuples, dicts, strings, numbers, None): no class or function is resolved."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name}: a pattern cache entry holds plain data only")
