"""Snapshots of the screens issue 11's design decisions changed, at 80×24 and 140×42 in German and
English: a scheduled export (embargo), the inbox's drafts with the delete question, and a channel
version in compose. Update with ``pytest tests/test_tui_snapshots_drafts.py --snapshot-update``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from test_tui_snapshots import _ready, fixed_home
from tui_helpers import make_app

__all__ = ["fixed_home"]  # the fixture, shared with the other snapshot tests

POST = "Seit drei Jahren baue ich mit meinem Team Glasfaser aus, auch bei Frost. #WeWontStop"


async def _scheduled_export(pilot) -> None:  # type: ignore[no-untyped-def]
    await _ready(pilot)
    await pilot.press(*"Glasfaser", "enter")  # may be posted from 30.11.2026; the clock says 27.11.
    await pilot.pause()
    await pilot.press(*POST)
    await pilot.pause()
    await pilot.press("f8")
    await pilot.pause()


async def _delete_question(pilot) -> None:  # type: ignore[no-untyped-def]
    await _ready(pilot)
    app = pilot.app
    app.drafts.create("Azubi-Tag bei uns im Standort Bonn.", channels=["x"])
    app.drafts.create(POST, channels=["linkedin", "x"])
    app.screen.reload()
    await pilot.pause()
    await pilot.press("f8")
    await pilot.pause()


async def _channel_version(pilot) -> None:  # type: ignore[no-untyped-def]
    await _ready(pilot)
    await pilot.press("ctrl+n")
    await pilot.pause()
    pilot.app.screen.set_channels(["linkedin", "x"])
    await pilot.pause()
    await pilot.press(*POST)
    await pilot.press("shift+f12")
    await pilot.pause()


SCREENS: dict[str, Callable[..., Awaitable[None]]] = {
    "export-scheduled": _scheduled_export,
    "drafts-delete": _delete_question,
    "compose-version": _channel_version,
}


@pytest.mark.parametrize("size", [(80, 24), (140, 42)], ids=["80x24", "140x42"])
@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_design_snapshot(screen: str, lang: str, size: tuple[int, int], fixed_home: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = make_app(language=lang)
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[screen])
