"""Pilot: exporting a post for a brief under embargo saves it as scheduled; the clipboard stays empty."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Button, Static
from tui_helpers import make_app

from drafter import paths
from drafter.tui.screens.compose import ComposeScreen
from drafter.tui.screens.dialogs import ExportScreen
from drafter.tui.screens.inbox import InboxScreen

SIZE = (150, 45)
POST = "Seit drei Jahren baue ich mit meinem Team Glasfaser aus, auch bei Frost und Schnee. #WeWontStop"


async def test_export_before_the_embargo_is_scheduled_and_not_copied(drafter_home: Path) -> None:
    app = make_app()  # the clock says 27.11.2026; the Glasfaser brief may be posted from 30.11.2026
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        await pilot.press(*"Glasfaser", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ComposeScreen) and screen.brief is not None
        await pilot.press(*POST)
        await pilot.pause()
        assert "embargo.not-before" in {f.rule for f in screen.editor.findings}  # visible while writing

        await pilot.press("f8")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        assert dialog.check.scheduled_for is not None and not dialog.check.blocked
        note = str(dialog.query_one("#export-scheduled", Static).render())
        assert "30.11.2026" in note and "Zwischenablage" in note
        button = dialog.query_one("#do-export", Button)
        assert str(button.label) == "Als geplant speichern"
        if dialog.check.gate_warnings:
            await pilot.click("#confirm-warnings")
            await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert app.screen is screen
        assert app.clipboard == ""  # not before the date
        (js,) = (paths.data_dir() / "exports").glob("*.json")
        doc = json.loads(js.read_text(encoding="utf-8"))
        assert doc["scheduled_for"] == "2026-11-30" and doc["text"] == POST
        toasts = [str(n.message) for n in app._notifications]
        assert any("ab 30.11.2026" in m and "geplant" in m for m in toasts), toasts
