"""The new-user probe after issue 11 (uxfix): each finding driven through the real flow with Pilot."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList
from tui_helpers import make_app

from drafter.tui.screens.compose import ComposeScreen
from drafter.tui.screens.inbox import InboxScreen


async def test_down_from_filter_lands_on_first_brief(drafter_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        await pilot.press("down")
        await pilot.pause()
        briefs = screen.query_one("#briefs", OptionList)
        assert briefs.has_focus
        assert briefs.highlighted == 0
        first = screen.briefs[0].id
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen)
        assert app.screen.brief is not None and app.screen.brief.id == first
