"""The new-user probe after issue 11 (uxfix): each finding driven through the real flow with Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList
from textual.widgets._footer import FooterKey
from tui_helpers import make_app, new_free_draft

from drafter import i18n
from drafter.findings import Severity
from drafter.tui.screens.compose import ComposeScreen
from drafter.tui.screens.dismiss import DismissScreen
from drafter.tui.screens.inbox import InboxScreen
from drafter.tui.widgets import FindingsList


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


async def test_ctrl_f_highlights_the_first_finding_so_ctrl_r_acts_on_it(drafter_home: Path) -> None:
    app = make_app(language="de")
    async with app.run_test(size=(140, 42), notifications=True) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        screen.editor.insert("Wir sind schneller als Vodafone. #WeWontStop", screen.editor.document.end)
        await pilot.pause()
        screen.editor.move_cursor((0, 0))
        await pilot.press("ctrl+f")
        await pilot.pause()
        listed = screen.query_one("#findings", FindingsList)
        assert listed.has_focus and listed.findings
        assert listed.highlighted == 0
        assert listed.current() == listed.findings[0]
        if listed.findings[0].severity is Severity.WARNING:
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert isinstance(app.screen, DismissScreen)


@pytest.mark.parametrize(("lang", "new_key", "palette_key"), [("de", "Strg+N", "Strg+P"), ("en", "Ctrl+N", "Ctrl+P")])
async def test_footer_names_keys_as_help_does(drafter_home: Path, lang: str, new_key: str, palette_key: str) -> None:
    app = make_app(language=lang)
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.pause()
        shown = {k.key_display for k in app.screen.query(FooterKey)}
        assert new_key in shown and palette_key in shown, shown
        assert not any(k.startswith("^") or k in ("esc", "f1", "f9") for k in shown), shown
        assert "F1" in shown


def test_palette_prefix_anywhere_is_capitalised_in_german() -> None:
    assert i18n.t("help.app", "de") == "Überall"
