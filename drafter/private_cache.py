"""What drafter's caches in the user cache folder share: reading and writing an entry only where nobody but
the user may write, the layout of a pickled entry, the fingerprint of the code that made it, and an
unpickler that resolves only the classes an entry is made of.

The caches (:mod:`drafter.guideline_cache`, :mod:`drafter.settings_cache`, :mod:`drafter.pattern_cache`)
keep what is slow to make again from the user's files: a validated guideline set or settings, compiled
patterns. Each has its own subfolder of :func:`drafter.paths.cache_dir` and decides itself when an entry
still fits (which files, which bytes); what is here is only how an entry is kept and trusted.

A pickled entry (:func:`pack`, :func:`unpack`) is ``MAGIC`` (the cache and its format), the length of a
JSON manifest (4 bytes), the manifest — what the entry was made from, and the SHA-256 of the pickled
payload — and the payload. An entry whose payload does not have that hash is damaged (a torn write, a
flipped byte) and never unpickled.

Why pickle is acceptable here: an entry is written by drafter itself, for the current user, into that
user's own cache folder (created ``0700``, the file ``0600``). It is read only when the folder and the file
belong to the user and nobody else may write them (:func:`read_private`), so whoever could plant a
malicious entry could as well change the user's shell profile or drafter's own code. Even so, each cache's
unpickler (a :class:`RestrictedUnpickler`) accepts only what its entries are made of — no other callable.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from drafter import paths

#: an entry larger than this is not written, nor read
MAX_ENTRY_BYTES = 64 * 1024 * 1024
#: drafter's folders whose modules a cached result may depend on: the package's own modules, the rules
#: (a guideline set's models) and the team store's (the settings' ``[team]`` URL check)
_CODE_FOLDERS = ("", "rules", "team")
#: the libraries whose changes may change a cached result: parsing and validation
_LIBRARIES = ("pydantic", "pydantic_core", "regex", "yaml")


def entry_path(subdir: str, name: str) -> Path:
    """The cache file of the thing called ``name`` (a folder, a file) in the cache's ``subdir``: named by a
    hash, so that any name makes a plain file name."""
    return paths.cache_dir() / subdir / f"{hashlib.sha256(name.encode('utf-8')).hexdigest()[:40]}.cache"


def pack(magic: bytes, manifest: dict[str, Any], payload: bytes) -> bytes | None:
    """An entry's bytes: ``magic``, the manifest (with the SHA-256 of ``payload`` added) and ``payload``;
    None when it would be larger than :data:`MAX_ENTRY_BYTES`."""
    manifest = {**manifest, "payload": hashlib.sha256(payload).hexdigest()}
    head = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    if len(head) + len(payload) > MAX_ENTRY_BYTES:
        return None
    return magic + len(head).to_bytes(4, "big") + head + payload


def unpack(raw: bytes | None, magic: bytes) -> tuple[dict[str, Any], bytes] | None:
    """The manifest and payload of an entry made by :func:`pack` with ``magic``; None when ``raw`` is none
    (no entry), another cache's or format's, or damaged: its payload is not the one the manifest names (the
    payload is unpickled only after this). Malformed bytes may raise (ValueError)."""
    if raw is None or not raw.startswith(magic):
        return None
    offset = len(magic)
    size = int.from_bytes(raw[offset : offset + 4], "big")
    manifest = json.loads(raw[offset + 4 : offset + 4 + size].decode("utf-8"))
    payload = raw[offset + 4 + size :]
    if not isinstance(manifest, dict) or manifest.get("payload") != hashlib.sha256(payload).hexdigest():
        return None
    return manifest, payload


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


_FINGERPRINT: str | None = None


def code_fingerprint() -> str:
    """What a cached result depends on besides the files it was made from: drafter's version and modules,
    Python, the libraries that parse and validate (their files' sizes and modification times), and the home
    folder (``~`` in a guideline set's ``extends`` or a settings path). Computed once a process."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        import importlib.util

        import drafter

        parts: list[Any] = [drafter.__version__, sys.version, os.path.expanduser("~")]
        package = Path(drafter.__file__).parent
        for folder in (package / name for name in _CODE_FOLDERS):
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


class RestrictedUnpickler(pickle.Unpickler):
    """Resolves only the globals a cache's entries are made of, as its subclass lists them:

    * :attr:`OTHER_GLOBALS`, each by module and name (paths, dates…);
    * pydantic models and enums defined in one of :attr:`DATA_MODULES` (None: in any of drafter's modules);
    * any class defined in one of :attr:`HOLDER_MODULES` (holders of compiled patterns).

    A class of drafter's is resolved only from a module already imported (the loader imports what its
    entries need first): looking a class up imports its module, and importing one (``drafter.__main__``,
    say) could run code before any check could refuse it. And only from the module that defines it, not
    one that merely imports it (``pathlib.Path`` in ``drafter.guidelines``' namespace)."""

    OTHER_GLOBALS: frozenset[tuple[str, str]] = frozenset()
    DATA_MODULES: frozenset[str] | None = frozenset()
    HOLDER_MODULES: frozenset[str] = frozenset()
    #: what an entry holds, for the message of a refusal
    WHAT = "a cache entry"

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self.OTHER_GLOBALS:
            return super().find_class(module, name)
        if module.startswith("drafter.") and "." not in name and module in sys.modules:
            # the module's own namespace: find_class's getattr would run a module ``__getattr__``, and
            # drafter.cli's imports a command module for a name it does not hold yet (hostile probe)
            found = vars(sys.modules[module]).get(name)
            if isinstance(found, type) and found.__module__ == module:
                if module in self.HOLDER_MODULES:
                    return found
                if (self.DATA_MODULES is None or module in self.DATA_MODULES) and _is_data_class(found):
                    return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of {self.WHAT}")


def _is_data_class(cls: type) -> bool:
    from enum import Enum

    from pydantic import BaseModel

    return issubclass(cls, (BaseModel, Enum))
