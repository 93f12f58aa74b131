"""Shared helpers for the TUI tests (not a test module)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from rich.console import Console
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


async def new_free_draft(pilot: Any, channels: list[str] | None = None) -> Any:
    """From the inbox, Ctrl+N: a free draft (for ``channels``, when given); returns its compose screen."""
    from drafter.tui.screens.compose import ComposeScreen

    await pilot.press("ctrl+n")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ComposeScreen)
    if channels is not None:
        screen.set_channels(channels)
        await pilot.pause()
    return screen


#: what the screen may legitimately send: SGR styles (ESC [ … m) and cursor positions (ESC [ r;c H)
_SGR = re.compile(r"\x1b\[[0-9;]*[mH]")


def terminal_output(app: Any) -> tuple[str, str]:
    """What the current screen (with its toasts) writes to a terminal, as (raw bytes as text, plain text).

    Rendered the way ``export_screenshot`` renders it, through a truecolor console, so an OSC 8 link, an
    OSC 52 clipboard write or a raw control character in any widget shows up in ``raw``."""
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.file.getvalue(), console.export_text(styles=False)  # type: ignore[attr-defined]


def unsafe_in_output(raw: str) -> list[str]:
    """Characters and sequences in ``raw`` that must never reach the terminal: ESC other than in an SGR
    sequence (OSC 8 links, OSC 52, cursor moves), C0/C1 controls but line breaks, bidi controls."""
    rest = _SGR.sub("", raw)
    bad = set("\x1b\x07\x9b\x9d\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
    bad |= {chr(c) for c in range(0x20) if chr(c) not in "\n\r"} | {chr(c) for c in range(0x7F, 0xA0)}
    return sorted({repr(ch) for ch in rest if ch in bad})
