"""Where drafter keeps things: nothing is created by naming a place; what is created is private (0700
folders, 0600 files); a place that cannot be written is a :class:`~drafter.paths.FolderError` naming it."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from drafter import paths
from drafter.errors import UserError
from drafter.export import exports_dir
from drafter.inbox import default_inbox_dir


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_naming_places_creates_nothing(drafter_home: Path) -> None:
    assert paths.data_dir() == drafter_home / "data"
    assert paths.config_dir() == drafter_home / "config"
    assert paths.store_path() == drafter_home / "data" / "drafter.sqlite3"
    default_inbox_dir()
    assert list(drafter_home.iterdir()) == []


def test_created_folders_are_private_and_existing_ones_untouched(tmp_path: Path) -> None:
    existing = tmp_path / "shared"
    existing.mkdir()
    os.chmod(existing, 0o755)
    made = paths.ensure_dir(existing / "a" / "b")
    assert mode(existing / "a") == 0o700 and mode(made) == 0o700
    assert mode(existing) == 0o755
    assert paths.ensure_dir(made) == made  # again: nothing to do


def test_exports_folder_is_private(drafter_home: Path) -> None:
    folder = exports_dir()
    assert mode(folder) == 0o700 and mode(folder.parent) == 0o700 and mode(drafter_home / "data") == 0o700


def test_atomic_write_makes_a_private_file_and_folder(tmp_path: Path) -> None:
    target = tmp_path / "new" / "out.json"
    paths.atomic_write_text(target, "{}")
    assert target.read_text(encoding="utf-8") == "{}"
    assert mode(target) == 0o600 and mode(target.parent) == 0o700


def test_folder_that_cannot_be_made_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(paths.FolderError) as exc:
        paths.ensure_dir(blocker / "data")
    assert isinstance(exc.value, UserError) and isinstance(exc.value, OSError) and exc.value.exit_code == 2
    assert str(blocker / "data") in str(exc.value) and "cannot create folder" in str(exc.value)
    with pytest.raises(paths.FolderError, match="a file is in the way"):
        paths.ensure_dir(blocker)
    with pytest.raises(paths.FolderError):
        paths.atomic_write_text(blocker / "x.txt", "text")
    assert blocker.read_text(encoding="utf-8") == "x"


def test_tighten_only_takes_bits_away(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_text("x", encoding="utf-8")
    os.chmod(f, 0o664)
    paths.tighten(f, 0o600)
    assert mode(f) == 0o600
    os.chmod(f, 0o400)
    paths.tighten(f, 0o600)
    assert mode(f) == 0o400
    paths.tighten(tmp_path / "missing", 0o600)  # gone: nothing happens
