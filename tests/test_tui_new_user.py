"""The workspace as a new ambassador meets it (issue 11, closing review): what the review found still
wrong, each driven through the real flow with Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import SelectionList
from tui_helpers import make_app

from drafter.tui.screens.settings import SettingsScreen


def _boxes(selection_list: SelectionList[str]) -> list[str]:
    """The box drawn in front of each option, as the terminal shows it (``▐X▌`` or ``▐ ▌``)."""
    lines = [selection_list.render_line(y).text for y in range(selection_list.option_count)]
    return [line[:3] for line in lines]


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_onboarding_channels_look_ticked_only_when_selected(drafter_home: Path, lang: str) -> None:
    app = make_app(onboarding=None, language=lang)
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen) and screen.onboarding
        channels = screen.query_one("#set-channels", SelectionList)
        channels.deselect_all()
        await pilot.pause()
        assert channels.option_count > 1
        assert _boxes(channels) == ["▐ ▌"] * channels.option_count  # nothing selected looks unselected
        channels.focus()
        channels.highlighted = 1
        await pilot.press("space")
        await pilot.pause()
        assert channels.selected == [channels.get_option_at_index(1).value]
        boxes = _boxes(channels)
        assert boxes[1] == "▐X▌"
        assert boxes[:1] + boxes[2:] == ["▐ ▌"] * (channels.option_count - 1)
