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

Why pickle is acceptable here: the entry is written by drafter itself, for the current user, into that
user's own cache folder (created ``0700``, the file ``0600``). An entry is read only when the folder and
the file belong to the user and nobody else may write them, so whoever could plant a malicious entry
could as well change the user's shell profile or drafter's own code. Even so, the unpickler accepts only
what a guideline set is made of (:class:`_Unpickler`): drafter's pydantic models and enums, its compiled
pattern holders (each only from the module that defines it), paths, dates and compiled ``regex`` patterns
— no other callable.

Saving is best effort: a read-only or full disk just means the next command reads the files again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter import paths

if TYPE_CHECKING:
    from drafter.guidelines import GuidelineSet

MAGIC = b"drafter guideline cache 1\n"
#: an entry larger than this is not written, nor read
MAX_ENTRY_BYTES = 64 * 1024 * 1024
SUBDIR = "guidelines"

#: modules whose classes make up a loaded set besides pydantic models and enums: the set itself and its
#: rule sources, and the holders of compiled patterns
_HOLDER_MODULES = frozenset({"drafter.guidelines", "drafter.patterns", "drafter.cues", "drafter.scorer"})
_OTHER_GLOBALS = frozenset(
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
#: the code whose changes may change a loaded set (besides drafter's own modules)
_LIBRARIES = ("pydantic", "pydantic_core", "regex", "yaml")


def load(start: Path) -> GuidelineSet | None:
    """The cached set of the folder ``start``, when its entry is valid for the files as they are now."""
    try:
        entry = _entry_path(start)
        raw = read_private(entry)
        if raw is None or not raw.startswith(MAGIC):
            return None
        offset = len(MAGIC)
        size = int.from_bytes(raw[offset : offset + 4], "big")
        manifest = json.loads(raw[offset + 4 : offset + 4 + size].decode("utf-8"))
        if manifest.get("code") != _fingerprint() or not _files_unchanged(manifest):
            return None
        payload = raw[offset + 4 + size :]
        # the pickled part must be the bytes that were written: regex's pickled patterns are opcodes the
        # regex module trusts, so a damaged byte could crash the process instead of being a miss
        if manifest.get("payload") != hashlib.sha256(payload).hexdigest():
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
            "code": _fingerprint(),
            "files": {str(path): hashlib.sha256(data).hexdigest() for path, data in read.items()},
            "layers": {
                str(folder): sorted(path.name for path in read if path.parent == folder / RULES_DIR)
                for folder in loaded.layers
            },
        }
        payload = pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL)
        manifest["payload"] = hashlib.sha256(payload).hexdigest()
        head = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
        if len(head) + len(payload) > MAX_ENTRY_BYTES:
            return
        write_private(_entry_path(start), MAGIC + len(head).to_bytes(4, "big") + head + payload)
    except Exception:  # best effort: the next load reads the files again
        return


def write_private(entry: Path, data: bytes) -> None:
    """Write ``data`` to the cache file ``entry`` (``0600``, its folder created ``0700``), atomically; nothing
    when others may write the folder (an entry there would never be read). Raises OSError (and
    :class:`~drafter.paths.FolderError`) when it cannot."""
    paths.ensure_dir(entry.parent)
    folder = os.lstat(entry.parent)
    if not stat.S_ISDIR(folder.st_mode) or not _private(folder):
        return
    fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".cache")  # 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, entry)  # atomic: a reader sees the old entry or the new one, never half of one
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _entry_path(start: Path) -> Path:
    named = str(start) if start.is_absolute() else json.dumps([os.getcwd(), str(start)])
    return paths.cache_dir() / SUBDIR / f"{hashlib.sha256(named.encode('utf-8')).hexdigest()[:40]}.cache"


def _private(st: os.stat_result) -> bool:
    """Whether a cache folder or file is the user's own and nobody else may write it (POSIX)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: the user profile's cache folder is private by default
        return True
    return st.st_uid == getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read_private(entry: Path) -> bytes | None:
    """The cache file's bytes, if it is a regular file of the user's, in a folder of the user's, that nobody
    else may write (links are not followed)."""
    try:
        folder = os.lstat(entry.parent)
        if not stat.S_ISDIR(folder.st_mode) or not _private(folder):
            return None
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(entry, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode) or not _private(st) or st.st_size > MAX_ENTRY_BYTES:
            return None
        return fh.read(MAX_ENTRY_BYTES + 1)


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


_FINGERPRINT: str | None = None


def _fingerprint() -> str:
    """What the loaded set depends on besides the files: drafter's version and modules, Python, the
    libraries that parse and validate (their files' sizes and modification times), and the home folder
    (``~`` in an ``extends``)."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        import importlib.util

        import drafter

        parts: list[Any] = [drafter.__version__, sys.version, os.path.expanduser("~")]
        package = Path(drafter.__file__).parent
        for folder in (package, package / "rules"):
            with os.scandir(folder) as found:
                for item in sorted(found, key=lambda e: e.name):
                    if item.name.endswith(".py"):
                        found_st = item.stat()
                        parts.append((folder.name, item.name, found_st.st_size, found_st.st_mtime_ns))
        for name in _LIBRARIES:
            module = sys.modules.get(name)
            spec = module.__spec__ if module is not None else importlib.util.find_spec(name)
            origin = spec.origin if spec is not None else None
            st = os.stat(origin) if origin else None
            parts.append((name, st.st_size if st else 0, st.st_mtime_ns if st else 0))  # an upgrade rewrites it
        _FINGERPRINT = hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()
    return _FINGERPRINT


class _Unpickler(pickle.Unpickler):
    """Resolves only the globals a guideline set is made of (see the module docstring)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _OTHER_GLOBALS:
            return super().find_class(module, name)
        # only modules already imported: find_class imports a module it is given, and importing one
        # (drafter.__main__, say) can run code before any check on the class could refuse it
        if module.startswith("drafter.") and "." not in name and module in sys.modules:
            found = super().find_class(module, name)
            # defined there, not merely imported there (``pathlib.Path`` in drafter.guidelines' namespace)
            defined_here = isinstance(found, type) and found.__module__ == module
            if defined_here and (module in _HOLDER_MODULES or _is_data_class(found)):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a guideline set")


def _is_data_class(cls: type) -> bool:
    from enum import Enum

    from pydantic import BaseModel

    return issubclass(cls, (BaseModel, Enum))
