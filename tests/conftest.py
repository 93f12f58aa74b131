"""Shared fixtures. Every test runs with DRAFTER_HOME in its own temporary folder, so no test reads or
writes the real user data or config directories (nor the real cache folder: XDG_CACHE_HOME)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The user cache folder (guideline cache) of this test session, not the real one."""
    cache = tmp_path_factory.mktemp("xdg-cache")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    yield cache
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("drafter-home")
    monkeypatch.setenv("DRAFTER_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _no_app_keys() -> Iterator[None]:
    """``{key:…}`` in core texts names the app's keys only while an app of this test registered its namer:
    an app started by an earlier test leaves its namer behind, and a command-line text would then say
    "Ctrl+G" where the CLI says "--channel"."""
    from drafter import i18n

    i18n.set_key_namer(None)
    yield
    i18n.set_key_namer(None)


@pytest.fixture
def drafter_home(_isolated_home: Path) -> Path:
    return _isolated_home


@pytest.fixture(scope="session")
def default_guidelines():  # type: ignore[no-untyped-def]
    from drafter.guidelines import load_guidelines

    return load_guidelines()


@pytest.fixture(scope="session")
def checker(default_guidelines):  # type: ignore[no-untyped-def]
    from drafter.checker import Checker

    return Checker(default_guidelines)
