"""Loaded guideline sets kept in the user cache directory, so a command does not parse and validate the
same files again (``drafter lint`` spent about half its start-up there).

An entry belongs to one guidelines folder (as named, with the working directory when the name is
relative). It holds:

* a manifest (JSON): every file the load read (each layer's ``guidelines.yaml`` and rule files) with
  the SHA-256 of its bytes, each layer's list of rule files, and a fingerprint of the code that loaded
  them (drafter's version and module files, Python, pydantic, regex, PyYAML);
* the validated :class:`~drafter.guidelines.GuidelineSet`, pickled: its rules' compiled patterns then
  load in their compiled form, where compiling them again took longer than everything else.

An entry is used only when the code is the same and every file still has exactly those bytes and every
rules folder exactly those files; any other case, and any error reading the entry (missing, truncated,
tampered, written by another version), is a miss: the folder is loaded and validated as without a cache,
so a broken file is always reported with its file, line and field, and the new result replaces the
entry. A load that fails is never stored.

Why pickle is acceptable here: see :mod:`drafter.private_cache` (the entry is the user's own, in a
folder nobody else may write), whose layout, file checks and code fingerprint this cache uses. The
unpickler accepts only what a guideline set is made of (:class:`_Unpickler`): drafter's pydantic models and
enums, its compiled pattern holders (each only from the module that defines it), paths, dates and compiled
``regex`` patterns — no other callable.

Saving is best effort: a read-only or full disk just means the next command reads the files again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter.private_cache import (
    RestrictedUnpickler,
    code_fingerprint,
    entry_path,
    pack,
    read_private,
    unpack,
    write_private,
)

if TYPE_CHECKING:
    from drafter.guidelines import GuidelineSet

MAGIC = b"drafter guideline cache 1\n"
SUBDIR = "guidelines"


def load(start: Path) -> GuidelineSet | None:
    """The cached set of the folder ``start``, when its entry is valid for the files as they are now."""
    try:
        found = unpack(read_private(_entry_path(start)), MAGIC)
        if found is None:
            return None
        # the pickled part is the bytes that were written (unpack checked its hash): regex's pickled patterns
        # are opcodes the regex module trusts, so a damaged byte could crash the process instead of a miss
        manifest, payload = found
        if manifest.get("code") != code_fingerprint() or not _files_unchanged(manifest):
            return None
        # every module a set's classes come from, imported before unpickling (the unpickler imports none)
        import drafter.guidelines
        import drafter.rules  # noqa: F401

        loaded = _Unpickler(io.BytesIO(payload)).load()
    except Exception:  # any damage, any version skew: a miss, and the folder is read as without a cache
        return None
    from drafter.guidelines import GuidelineSet

    if not isinstance(loaded, GuidelineSet) or loaded.folder != start:
        return None
    from drafter import pattern_cache, patterns

    patterns.compiler = pattern_cache.compile_regex  # what the set compiles later is kept too
    return loaded


def save(start: Path, loaded: GuidelineSet, read: dict[Path, bytes]) -> None:
    """Keep ``loaded``, the set read from the files ``read`` (path → bytes as read), for the next load of
    ``start``. Silently does nothing when it cannot (no cache folder, a disk error, an unpicklable rule)."""
    try:
        from drafter.guidelines import RULES_DIR

        manifest = {
            "code": code_fingerprint(),
            "files": {str(path): hashlib.sha256(data).hexdigest() for path, data in read.items()},
            "layers": {
                str(folder): sorted(path.name for path in read if path.parent == folder / RULES_DIR)
                for folder in loaded.layers
            },
        }
        data = pack(MAGIC, manifest, pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
        if data is not None:
            write_private(_entry_path(start), data)
    except Exception:  # best effort: the next load reads the files again
        return


def _entry_path(start: Path) -> Path:
    named = str(start) if start.is_absolute() else json.dumps([os.getcwd(), str(start)])
    return entry_path(SUBDIR, named)


def _files_unchanged(manifest: dict[str, Any]) -> bool:
    """Whether every layer still has the same rule files and every file read the same bytes. Files are
    read the way the loader reads them (regular files only, bounded), so a file turned into a FIFO or a
    folder is a miss, and the loader then reports it."""
    from drafter.guidelines import GuidelineError, _read_bytes, rule_files

    layers = manifest["layers"]
    files = manifest["files"]
    if not isinstance(layers, dict) or not isinstance(files, dict) or not layers:
        return False
    for folder, names in layers.items():
        if sorted(path.name for path in rule_files(Path(folder))) != names:  # names in any order of the OS
            return False
    try:
        # every file still inside one of the layers' folders, as the loader demands of a model file: a file
        # swapped for a symlink to an identical copy elsewhere must be refused again, not served from here
        roots = [Path(folder).resolve() for folder in layers]
        if not all(any(Path(path).resolve().is_relative_to(root) for root in roots) for path in files):
            return False
        return all(hashlib.sha256(_read_bytes(Path(path))).hexdigest() == digest for path, digest in files.items())
    except GuidelineError:
        return False


#: modules whose classes make up a loaded set besides pydantic models and enums: the set itself and its
#: rule sources, and the holders of compiled patterns
_HOLDER_MODULES = frozenset({"drafter.guidelines", "drafter.patterns", "drafter.cues", "drafter.scorer"})


class _Unpickler(RestrictedUnpickler):
    """Resolves only the globals a guideline set is made of (see the module docstring)."""

    OTHER_GLOBALS = frozenset(
        {
            ("pathlib", "PosixPath"),
            ("pathlib", "WindowsPath"),
            ("datetime", "date"),
            ("datetime", "datetime"),
            ("datetime", "time"),
            ("datetime", "timedelta"),
            ("datetime", "timezone"),
            ("regex._regex", "compile"),  # how the regex module pickles a compiled pattern (its code, not its source)
        }
    )
    DATA_MODULES = None  # drafter's models and enums, from whichever module defines them
    HOLDER_MODULES = _HOLDER_MODULES
    WHAT = "a guideline set"
