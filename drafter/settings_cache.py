"""Validated settings kept in the user cache directory, so a command does not validate the same
``settings.toml`` again.

Validating is what a settings file cost a cold ``drafter lint``: the models build their validators on first
use (``defer_build``), and building one loads pydantic's plugin search, which imports ``importlib.metadata``
— some 40–60 ms, a fifth of the lint. Without a settings file nothing is validated
(:func:`drafter.settings.defaults`); with one, its entry here gives the same
:class:`~drafter.settings.Settings` without a validator or the TOML reader, in about half a millisecond
(reading and unpickling it; the cache folder's name and the code fingerprint are the guideline cache's
anyway).

An entry belongs to one settings file (by its absolute path; one entry each). Its manifest holds the key —
the SHA-256 of the file's bytes, the fingerprint of the code
(:func:`drafter.private_cache.code_fingerprint`: drafter's version and modules, Python, pydantic), the
language the locale asks for (what a file without ``language`` gets) and the home folder (what ``~`` in a
path expands to) — and the payload is the validated ``Settings``, pickled: its fields, the fields the file
set (``model_fields_set``) and its sections' alike. The same bytes validated by the same code with the same
locale and home give the same settings: an entry is used only when all of the key is the same; anything
else, and any damage (missing, truncated, tampered, written by another version, not a ``Settings``), is a
miss: the file is parsed and validated as without a cache, so a broken file raises
:class:`~drafter.settings.SettingsError` with its file, line and field every time, and the new result
replaces the entry. A file that fails is never stored. A file saved with other settings has other bytes: its
next load is a miss.

Trust: as :mod:`drafter.guideline_cache` (see :mod:`drafter.private_cache`): the entry is read only from a
folder and file that are the user's and nobody else may write. The unpickler accepts only what ``Settings``
is made of: the pydantic models (and enums) defined in :mod:`drafter.settings` and paths; and an entry whose
fields do not all hold their declared types within their bounds and patterns, or that the models' own field
validators would not take as they are (:func:`_well_formed`), is a miss, so a forged one cannot hand a command
what validation would have refused.

Saving is best effort: a read-only or full disk just means the next command validates the file again.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import os
import pickle
import re
import types
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

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
    from drafter.settings import Settings

MAGIC = b"drafter settings cache 1\n"
SUBDIR = "settings"


def load(path: Path, raw: bytes) -> Settings | None:
    """The settings validated from ``raw``, the bytes of the settings file ``path``, when its entry was made
    from these very bytes by this code in this locale; None otherwise."""
    try:
        found = unpack(read_private(_entry_path(path)), MAGIC)
        if found is None:
            return None
        manifest, payload = found
        if manifest.get("key") != _key(raw):
            return None
        loaded = _Unpickler(io.BytesIO(payload)).load()
    except Exception:  # any damage, any version skew: a miss, and the file is validated as without a cache
        return None
    from drafter.settings import Settings

    return loaded if type(loaded) is Settings and _well_formed(loaded) else None


def _well_formed(model: Any) -> bool:
    """Whether ``model`` (a pydantic model, and the models in it) is what validation makes: every field holds a
    value of its declared type within its declared bounds and patterns, and the model's own field validators
    (``language``, ``name``, ``base_url`` …) take each value as it is. An unpickled entry skips validation, and
    forged ones (``ai = None``, ``language = "fr"``, a name with an escape sequence) crashed commands or reached
    exports (hostile probes). Cheap: no validator is built, the validators are the models' plain methods. A type
    or a validator this check does not know counts as malformed (a miss: the file is validated anew)."""
    cls = type(model)
    if not all(
        _fits(getattr(model, name, _MISSING), info.annotation, info.metadata) for name, info in cls.model_fields.items()
    ):
        return False
    decorators = cls.__pydantic_decorators__
    if decorators.model_validators or decorators.validators:
        return False
    for validator in decorators.field_validators.values():
        if len(inspect.signature(validator.func).parameters) != 1:  # one that wants pydantic's context
            return False
        for name in validator.info.fields:
            value = getattr(model, name)
            try:
                if validator.func(value) != value:  # a "before" one would have changed it: not what it made
                    return False
            except Exception:
                return False
    return True


_MISSING = object()


def _fits(value: Any, annotation: Any, metadata: list[Any] | None = None) -> bool:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, arg, metadata) for arg in args)
    if annotation is type(None):
        return value is None
    if origin is typing.Literal:
        return value in args
    if origin is list:
        return type(value) is list and all(_fits(v, args[0]) for v in value)
    if origin is dict:
        return type(value) is dict and all(_fits(k, args[0]) and _fits(v, args[1]) for k, v in value.items())
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return type(value) is annotation and _well_formed(value)
    if annotation is Path:
        return isinstance(value, Path)
    if annotation is float:
        ok = type(value) in (float, int) and value == value  # not NaN
    elif annotation in (str, bool, int):
        ok = type(value) is annotation
    else:
        return False
    return ok and all(_within(value, bound) for bound in metadata or ())


def _within(value: Any, bound: Any) -> bool:
    """``value`` against one of pydantic's constraints (``gt``, ``ge``, ``lt``, ``le``, ``max_length``,
    ``pattern`` …)."""
    pattern = getattr(bound, "pattern", None)
    if pattern is not None and (not isinstance(value, str) or re.search(pattern, value) is None):
        return False
    for name, holds in (
        ("gt", lambda b: value > b),
        ("ge", lambda b: value >= b),
        ("lt", lambda b: value < b),
        ("le", lambda b: value <= b),
        ("max_length", lambda b: len(value) <= b),
        ("min_length", lambda b: len(value) >= b),
    ):
        limit = getattr(bound, name, None)
        if limit is not None and not holds(limit):
            return False
    return True


def save(path: Path, raw: bytes, settings: Settings) -> None:
    """Keep ``settings``, validated from ``raw`` (the bytes of ``path``), for the next load of ``path``.
    Silently does nothing when it cannot (no cache folder, a disk error)."""
    try:
        data = pack(MAGIC, {"key": _key(raw)}, pickle.dumps(settings, protocol=pickle.HIGHEST_PROTOCOL))
        if data is not None:
            write_private(_entry_path(path), data)
    except Exception:  # best effort: the next load validates the file again
        return


def forget(path: Path) -> None:
    """Remove the entry of ``path`` (its file is gone, or no longer validates); nothing when there is none or it
    cannot be removed."""
    try:
        _entry_path(path).unlink(missing_ok=True)
    except (OSError, ValueError):
        return


def _key(raw: bytes) -> dict[str, Any]:
    """What the validated settings depend on: the bytes, the code, and the environment as it is now — the
    locale's language and the home folder (the fingerprint has it too, but as it was when first computed)."""
    from drafter.i18n import default_language

    return {
        "file": hashlib.sha256(raw).hexdigest(),
        "code": code_fingerprint(),
        "language": default_language(),
        "home": os.path.expanduser("~"),
    }


def _entry_path(path: Path) -> Path:
    return entry_path(SUBDIR, os.path.abspath(path))


class _Unpickler(RestrictedUnpickler):
    """Resolves only the globals a ``Settings`` is made of: ``drafter.settings``' models (``Settings`` and
    its sections) and the paths of ``guidelines_dir`` and ``inbox_dir`` — its other fields are strings,
    numbers, lists and dicts, which need none."""

    OTHER_GLOBALS = frozenset({("pathlib", "PosixPath"), ("pathlib", "WindowsPath")})
    DATA_MODULES = frozenset({"drafter.settings"})
    WHAT = "the settings"
