"""Onboarding at the sizes people use (issue 11 item 12): the buttons are in view at 80×24 and 140×42
(the form scrolls, the buttons are docked), it says that Esc skips, and Esc does skip."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Button, Static
from tui_helpers import make_app

from drafter.settings import load_settings
from drafter.tui.screens.inbox import InboxScreen
from drafter.tui.screens.settings import SettingsScreen


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("size", [(80, 24), (140, 42)], ids=["80x24", "140x42"])
async def test_onboarding_buttons_are_visible_and_esc_skips(
    drafter_home: Path, size: tuple[int, int], lang: str
) -> None:
    app = make_app(onboarding=None, language=lang)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen) and screen.onboarding
        width, height = size
        for button_id in ("#settings-save", "#settings-skip"):
            region = screen.query_one(button_id, Button).region
            assert region.width > 0 and region.height == 3, button_id
            assert region.y >= 0 and region.y + region.height <= height, (button_id, region)
            assert region.x >= 0 and region.x + region.width <= width, (button_id, region)
        intro = str(screen.query_one("#onboarding-intro", Static).render())
        assert "Esc" in intro
        # nothing is saved yet: the path is where it will go, not "saved in"
        stored = " ".join(str(s.render()) for s in screen.query(".dim").results(Static))
        assert ("Beim Speichern" if lang == "de" else "Saving puts") in stored
        assert not app.settings_path.exists()
        # the form scrolls within the dialog: its last field can be reached
        form = screen.query_one("#settings-form", VerticalScroll)
        if size == (80, 24):
            assert form.max_scroll_y > 0
        form.scroll_end(animate=False)
        await pilot.pause()
        last_field = screen.query_one("#set-voice-import")  # the form's last field (past posts, optional)
        assert form.region.contains_region(last_field.region)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
    assert load_settings(app.settings_path).onboarding_done is True
