"""Shared helpers for the TUI tests (not a test module)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.segment import Segment

FIXED_NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


def fixed_clock() -> dt.datetime:
    return FIXED_NOW


def make_app(**kw: Any) -> Any:
    from drafter.tui.app import DrafterApp

    kw.setdefault("clock", fixed_clock)
    kw.setdefault("onboarding", False)
    kw.setdefault("cursor_blink", False)
    return DrafterApp(**kw)


def rendered_cells(strip: Any) -> list[tuple[str, Any]]:
    """(character, rich style) for every cell of a rendered line."""
    out: list[tuple[str, Any]] = []
    for seg in strip:
        assert isinstance(seg, Segment)
        for ch in seg.text:
            out.append((ch, seg.style))
    return out


def styles_of(strip: Any, needle: str) -> list[Any]:
    cells = rendered_cells(strip)
    text = "".join(c for c, _ in cells)
    at = text.index(needle)
    return [style for _, style in cells[at : at + len(needle)]]


async def new_free_draft(pilot: Any) -> Any:
    """From the inbox, Ctrl+N: a free draft; returns its compose screen."""
    from drafter.tui.screens.compose import ComposeScreen

    await pilot.press("ctrl+n")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ComposeScreen)
    return screen
