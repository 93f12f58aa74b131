"""Wrapped words vanished after a fast typing burst (found in tmux, reproduced here with Pilot).

A burst typed right after Ctrl+N lands in the editor while it is still as wide as the centre pane without
the side panel; then the side panel mounts and the editor narrows. The compositor paints the narrower
editor at once, with the wrap offsets of the wider one (rows cropped: "…mit den Par", "tnern" gone), and
TextArea rewraps only when the Resize event reaches it — without repainting when the wrapped height stays
the same. The stale rows stayed on screen until the next edit; the text and the wrap state were right."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.document._wrapped_document import WrappedDocument
from textual.keys import _character_to_key
from tui_helpers import make_app, new_free_draft

from drafter.authorship import AuthorshipRecord, Origin
from drafter.tui.formatting import display_text

SNOW = "\u2744\ufe0f"
TEXT = (
    "Heute waren wir mit dem Team A und viele Kolleginnen und Kollegen beim Glasfaserausbau in der Stadt "
    "unterwegs und haben gemeinsam mit den Partnern vor Ort neue Anschlüsse für Schulen und Vereine gelegt, "
    "das war wirklich großartig und wir freuen uns schon auf die nächste Baustelle mit euch allen zusammen"
)
#: as many rows in the editor as it is first (before the side panel) and then: nothing makes it repaint
#: (three rows at 140x42, four at 80x24)
SHORTER = " ".join(TEXT.split(" ")[:27])
EMOJI = SHORTER.replace(" Team A ", f" Team {SNOW} A ")


def _burst(app: object, text: str) -> None:
    """Every character sent at once, as a terminal delivers a fast burst (no wait between keys)."""
    driver = app._driver  # type: ignore[attr-defined]
    for ch in text:
        key = ch if ch.isalnum() else _character_to_key(ch)
        event = events.Key(key, ch)
        event.set_sender(app)  # type: ignore[arg-type]
        driver.send_message(event)


@pytest.mark.parametrize("size", [(140, 42), (80, 24)], ids=["140x42", "80x24"])
@pytest.mark.parametrize("text", [TEXT, SHORTER, EMOJI], ids=["long", "shorter", "emoji"])
async def test_a_burst_is_drawn_with_the_final_wrap(drafter_home: Path, size: tuple[int, int], text: str) -> None:
    app = make_app(language="de")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        _burst(app, text)
        editor = screen.editor
        for _ in range(50):
            await pilot.pause()
            if editor.text == text:
                break
        for _ in range(5):
            await pilot.pause()
        assert editor.text == text  # the stored text is whole, and all of it typed by the author
        assert screen.record == AuthorshipRecord.uniform(len(text), Origin.TYPED)
        fresh = WrappedDocument(editor.document, editor.wrap_width, editor.indent_width)
        assert editor.wrapped_document.lines == fresh.lines
        expected = [display_text(section).rstrip() for section in fresh.lines[0]]
        region = editor.scrollable_content_region
        top = editor.scroll_offset.y
        strips = app.screen._compositor.render_strips()
        shown = [strips[y].crop(region.x, region.right).text.rstrip() for y in range(region.y, region.bottom)]
        visible = expected[top : top + region.height]
        assert shown[: len(visible)] == visible, "\n".join(shown)
        if top == 0 and len(expected) <= region.height:
            assert " ".join(shown).split() == display_text(text).split()  # no word lost at a wrap


async def test_a_burst_right_after_ctrl_n_waits_for_the_new_draft(drafter_home: Path) -> None:
    """Ctrl+N and a sentence in one burst: the keys after Ctrl+N reached the inbox while the compose
    screen was being built and were lost (part or all of the sentence). They wait for it now, as keys
    typed during start-up do."""
    from drafter.tui.screens.compose import ComposeScreen

    app = make_app(language="de")
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.pause()
        for _ in range(50):  # the inbox is up and has released its start-up input
            if app._held_input is None and not isinstance(app.screen, ComposeScreen):
                break
            await pilot.pause()
        driver = app._driver  # type: ignore[attr-defined]
        ctrl_n = events.Key("ctrl+n", None)
        ctrl_n.set_sender(app)  # type: ignore[arg-type]
        driver.send_message(ctrl_n)
        _burst(app, SHORTER)
        for _ in range(100):
            await pilot.pause()
            if isinstance(app.screen, ComposeScreen) and app.screen.editor.text == SHORTER:
                break
        assert isinstance(app.screen, ComposeScreen)
        assert app.screen.editor.text == SHORTER
