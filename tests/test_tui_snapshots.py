"""Snapshots of every screen in German and English, at 80×24 and 140×42 (pytest-textual-snapshot).

Fixed clock, no cursor blink, and DRAFTER_HOME in a fixed temporary folder (the settings screen shows
where the file lives). After an intended UI change, regenerate all of them with one command and review
the SVGs in ``tests/__snapshots__/test_tui_snapshots/``::

    .venv/bin/pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from tui_helpers import make_app

#: the terminal sizes every screen is checked at: a small laptop split and a roomy window
SIZES = {"80x24": (80, 24), "140x42": (140, 42)}
TEXT = "Ich habe heute meine alten Handys zur Sammelstelle gebracht. Macht mit!!"


@pytest.fixture
def fixed_home(monkeypatch: pytest.MonkeyPatch) -> Path:
    home = Path(f"/tmp/drafter-snapshot-home-{os.getuid()}")
    # The folder's name is on screen, so it is fixed; a lock keeps test runs in other checkouts
    # (parallel worktrees) from sharing it at the same time.
    with open(f"{home}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        shutil.rmtree(home, ignore_errors=True)
        monkeypatch.setenv("DRAFTER_HOME", str(home))
        try:
            yield home
        finally:
            shutil.rmtree(home, ignore_errors=True)


async def _ready(pilot) -> None:  # type: ignore[no-untyped-def]
    """Until the start-up load (guidelines, sample briefs) is done, so the screens do not race it."""
    await pilot.pause()
    for _ in range(800):  # up to 20 s on a busy machine
        if pilot.app.models_ready:
            break
        await pilot.pause(0.025)
    assert pilot.app.models_ready, "the start-up load did not finish"
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    inbox = pilot.app.screen_stack[1]
    assert inbox.briefs, "the sample briefs are listed"


async def _compose(pilot) -> None:  # type: ignore[no-untyped-def]
    await _ready(pilot)
    await pilot.press(*"Handys", "enter")
    await pilot.pause()
    await pilot.press(*TEXT)
    await pilot.pause()


async def _export(pilot) -> None:  # type: ignore[no-untyped-def]
    await _compose(pilot)
    await pilot.press("f8")
    await pilot.pause()


async def _settings(pilot) -> None:  # type: ignore[no-untyped-def]
    await _ready(pilot)
    await pilot.press("f9")
    await pilot.pause()


async def _help(pilot) -> None:  # type: ignore[no-untyped-def]
    await _ready(pilot)
    await pilot.press("f1")
    await pilot.pause()


async def _inbox(pilot) -> None:  # type: ignore[no-untyped-def]
    await _ready(pilot)


async def _palette(pilot) -> None:  # type: ignore[no-untyped-def]
    from drafter.i18n import t

    await _compose(pilot)
    await pilot.press("ctrl+p")
    await pilot.pause(0.3)
    # a search, not the discovery list: its providers answer concurrently, so their order varies
    await pilot.press(*t("one_language.palette.ns.channel", pilot.app.lang))
    await pilot.pause(0.5)


SCREENS: dict[str, tuple[Callable[..., Awaitable[None]], dict[str, object]]] = {
    "inbox": (_inbox, {}),
    "compose": (_compose, {}),
    "export": (_export, {}),
    "settings": (_settings, {}),
    "onboarding": (_inbox, {"onboarding": True}),
    "help": (_help, {}),
    "palette": (_palette, {}),
}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_snapshot(screen: str, lang: str, size: str, fixed_home: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    run_before, extra = SCREENS[screen]
    app = make_app(language=lang, **extra)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
