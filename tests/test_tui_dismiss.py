"""Issue 10, item 4 in the workspace: Ctrl+R dismisses the warning under the cursor with a reason."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input
from tui_helpers import make_app, new_free_draft

from drafter.findings import Severity
from drafter.tui.screens.compose import ComposeScreen
from drafter.tui.screens.dismiss import DismissScreen
from drafter.tui.widgets import FindingsList

SIZE = (140, 42)
POST = "Wir sind im Dorf schneller als Vodafone. Ich arbeite bei der Telekom. #WeWontStop"
AD = "Nur heute 50 % Rabatt auf alles! #WeWontStop"


def notes(app: object) -> str:
    return " ".join(str(n.message) for n in app._notifications)  # type: ignore[attr-defined]


async def write(pilot: object, screen: ComposeScreen, text: str) -> None:
    editor = screen.editor
    editor.insert(text, editor.document.end)
    await pilot.pause()  # type: ignore[attr-defined]


async def test_ctrl_r_dismisses_with_a_reason_keeps_it_and_undoes_it(drafter_home: Path) -> None:
    app = make_app(language="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        await write(pilot, screen, POST)
        (warning,) = [f for f in screen.current_check().findings if f.rule == "term.competitor"]
        screen.editor.move_cursor(screen.editor.offset_to_location(warning.start + 2))
        await pilot.press("ctrl+r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DismissScreen) and dialog.finding.rule == "term.competitor"
        await pilot.press("enter")  # no reason yet: the dialog says so and stays open
        await pilot.pause()
        assert app.screen is dialog
        await pilot.press(*"[b]Zitat[/b] aus dem Pressetext")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        check = screen.current_check()
        (shown,) = [f for f in check.findings if f.rule == "term.competitor"]
        assert shown.dismissed == "[b]Zitat[/b] aus dem Pressetext" and check.warnings == []
        listed = screen.query_one("#findings", FindingsList)
        row = str(listed.get_option_at_index(listed.findings.index(shown)).prompt)
        assert "dismissed: [b]Zitat[/b] aus dem Pressetext" in row  # plain text, markup shown literally
        # the title counts the open findings and the dismissed ones apart (two new-user probes: one read the
        # dismissed one as still open, the next counted the lines under "Findings (1)")
        open_count = sum(1 for f in check.findings if f.dismissed is None)
        dismissed = len(check.findings) - open_count
        assert dismissed == 1
        assert str(listed.border_title) == f"Findings ({open_count} open, 1 dismissed)"
        assert "Warning dismissed" in notes(app)
        # an edit elsewhere keeps it; the draft keeps it across a restart
        await write(pilot, screen, " Bis bald!")
        assert screen.current_check().warnings == []
        draft_id = screen.draft.id
        await pilot.pause(0.8)
    app2 = make_app(language="en")
    async with app2.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen2 = app2.screen
        assert isinstance(screen2, ComposeScreen) and screen2.draft.id == draft_id
        (kept,) = [f for f in screen2.current_check().findings if f.rule == "term.competitor"]
        assert kept.dismissed == "[b]Zitat[/b] aus dem Pressetext"
        screen2.editor.move_cursor(screen2.editor.offset_to_location(kept.start))
        await pilot.press("ctrl+r")  # on a dismissed warning: undo
        await pilot.pause()
        assert not isinstance(app2.screen, DismissScreen)
        (back,) = screen2.current_check().warnings
        assert back.rule == "term.competitor" and back.dismissed is None
        assert screen2.draft.dismissals == ()
        assert "Dismissal undone" in notes(app2)


async def test_escape_cancels_and_errors_cannot_be_dismissed(drafter_home: Path) -> None:
    app = make_app(language="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        await write(pilot, screen, AD)
        (error,) = [f for f in screen.current_check().errors if f.rule == "disclosure.employment"]
        assert error.severity is Severity.ERROR
        screen.editor.move_cursor(screen.editor.offset_to_location(error.start + 1))
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen is screen  # no dialog for an error
        assert "cannot be dismissed" in notes(app)
        assert f"“{error.match}”" in notes(app)  # named by what it underlines, not by its rule id
        assert screen.current_check().errors and screen.draft.dismissals == ()
    app = make_app(language="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        await write(pilot, screen, POST)
        (warning,) = screen.current_check().warnings
        screen.editor.move_cursor(screen.editor.offset_to_location(warning.start))
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, DismissScreen)
        app.screen.query_one("#dismiss-reason", Input).value = "egal"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.current_check().warnings == [warning]
        assert screen.draft.dismissals == ()


async def test_dismiss_from_the_findings_list_and_the_palette_entry(drafter_home: Path) -> None:
    app = make_app(language="de")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        await write(pilot, screen, POST)
        screen.editor.move_cursor((0, 0))  # the cursor is not on the warning: the list decides
        await pilot.press("ctrl+f")
        listed = screen.query_one("#findings", FindingsList)
        listed.highlighted = [f.rule for f in listed.findings].index("term.competitor")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, DismissScreen)
        await pilot.press(*"Zitat")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current_check().warnings == []
        from drafter.tui.commands import DrafterCommands

        names = [c.name for c in DrafterCommands(screen)._commands()]  # type: ignore[arg-type]
        assert any("Warnung unter dem Cursor verwerfen" in n for n in names)
        assert any("zurücknehmen" in n for n in names)
