"""Pilot: one post, several channels — a version for X made from the main text (same origins), edited
and checked for X only, the main text untouched and checked for its channels, both saved with their own
authorship records, the X version exported for X, and F12 switching between them after a restart."""

from __future__ import annotations

import json
from pathlib import Path

from tui_helpers import make_app, new_free_draft

from drafter import paths
from drafter.authorship import AuthorshipRecord, Origin, shares
from drafter.tui.screens.compose import ComposeScreen
from drafter.tui.screens.dialogs import ExportScreen
from drafter.tui.screens.inbox import status_text
from drafter.tui.widgets import LengthGauge

SIZE = (150, 45)
OWN = "Seit drei Jahren baue ich mit meinem Team Glasfaser aus, auch bei Frost und Schnee. "
BRIEF = "Wir bauen auch in den Wintermonaten Glasfaser aus."


def gauges(screen: ComposeScreen) -> list[str]:
    return [g.channel for g in screen.query(LengthGauge)]


async def test_a_version_for_x_is_its_own_text_checked_and_exported_for_x(drafter_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        screen.set_channels(["linkedin", "x"])
        await pilot.pause()
        await pilot.press(*OWN)
        screen.insert_from_brief(BRIEF)  # brief text: its origin must carry over into the version
        await pilot.press(*" #WeWontStop")
        await pilot.pause()
        main_text = screen.editor.text
        main_origins = list(screen.record.spans())
        assert gauges(screen) == ["linkedin", "x"]

        await pilot.press("shift+f12")  # a version for the next channel: X
        await pilot.pause()
        assert screen.version == "x" and screen.editor.text == main_text
        assert list(screen.record.spans()) == main_origins  # the same origins as the source characters
        assert gauges(screen) == ["x"] and screen.current_check().channels == ["x"]
        assert "X" in screen.sub_title

        # shorten the X version: its own text and record; the main text stays as it was
        screen.editor.move_cursor(screen.editor.document.end)
        for _ in range(len(" #WeWontStop") + len(BRIEF)):
            await pilot.press("backspace")
        await pilot.press(*"#WeWontStop")
        await pilot.pause()
        x_text = screen.editor.text
        assert BRIEF not in x_text and x_text != main_text
        assert screen.current_check().channels == ["x"]

        await pilot.press("f12")  # back to the main text, now checked for LinkedIn only
        await pilot.pause()
        assert screen.version is None and screen.editor.text == main_text
        assert gauges(screen) == ["linkedin"] and screen.current_check().channels == ["linkedin"]
        assert list(screen.record.spans()) == main_origins

        screen.autosave()
        stored = app.drafts.get(screen.draft.id)
        assert stored.text == main_text and stored.channels == ("linkedin", "x")
        assert stored.versions["x"].text == x_text
        x_summary = shares(x_text, AuthorshipRecord.from_json(stored.versions["x"].authorship, x_text))
        assert x_summary.count(Origin.BRIEF) == 0 and x_summary.count(Origin.TYPED) > 0  # its own record
        main_summary = shares(main_text, AuthorshipRecord.from_json(stored.authorship, main_text))
        assert main_summary.count(Origin.BRIEF) == len(BRIEF.replace(" ", ""))

        # changing channels belongs to the main text
        await pilot.press("f12")
        await pilot.pause()
        screen.set_channels(["bluesky"])
        await pilot.pause()
        assert screen.draft.channels == ("linkedin", "x") and gauges(screen) == ["x"]

        # the X version is exported for X, with its own authorship
        await pilot.press("f8")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen) and dialog.check.channels == ["x"]
        if dialog.check.gate_warnings:
            await pilot.click("#confirm-warnings")
            await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert app.screen is screen
        (js,) = (paths.data_dir() / "exports").glob("*.json")
        doc = json.loads(js.read_text(encoding="utf-8"))
        assert doc["channel"] == "x" and doc["channels"] == ["x"] and doc["text"] == x_text
        assert doc["authorship"]["counts"].get("brief", 0) == 0
        draft_id = screen.draft.id
        # only X was exported: the inbox says so (new-user probe: it said "exportiert" for the whole draft)
        assert app.drafts.get(draft_id).exported == ("x",)
        await pilot.press("escape")
        await pilot.pause()
        (summary,) = [d for d in app.drafts.summaries() if d.id == draft_id]
        assert status_text(summary, "de", app.screen._channel_names) == "exportiert (X)"
        assert status_text(summary, "en", lambda ids: ", ".join(ids)) == "exported (x)"

    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        again.open_draft(draft_id)
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, ComposeScreen) and screen.version is None
        assert screen.editor.text == main_text and gauges(screen) == ["linkedin"]
        await pilot.press("f12")
        await pilot.pause()
        assert screen.version == "x" and screen.editor.text == x_text


async def test_palette_makes_a_version_and_a_draft_without_versions_is_unchanged() -> None:
    app = make_app(language="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        await pilot.press(*OWN)
        await pilot.press("f12")  # no versions: said, nothing changes
        await pilot.pause()
        assert screen.version is None and any("no channel versions" in str(n.message) for n in app._notifications)
        label = app.guidelines.channels["bluesky"].label
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*f"make a version for {label}".lower())
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.version == "bluesky" and "bluesky" in screen.draft.channels
        assert screen.editor.text == OWN and gauges(screen) == ["bluesky"]


async def test_shift_f12_on_a_one_channel_draft_says_there_is_no_further_channel() -> None:
    """The new-user probe: on a draft with X only, Shift+F12 said "every further channel has its own
    version" although there was none; it says the draft has one channel."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot, ["x"])
        seen: list[str] = []
        screen.notify = lambda message, **_: seen.append(str(message))  # type: ignore[method-assign]
        await pilot.press("shift+f12")
        await pilot.pause()
        assert seen and seen[-1].startswith("Dieser Entwurf hat nur einen Kanal")
        assert screen.version is None


async def test_a_new_draft_starts_without_the_notices_of_the_one_before() -> None:
    """The new-user probe: at 80×24 the export notice (15 s) still covered the next draft's findings after
    Esc and Ctrl+N; a compose screen that opens removes the notices of earlier drafts' screens, and keeps the
    app's own (the full test run: "team store unreachable" must stay)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.notify("Team-Datenbank nicht erreichbar", timeout=15, markup=False)
        screen = await new_free_draft(pilot)
        screen.notify("Exportiert nach /tmp/a-very-long-path/post.md", timeout=15, markup=False)
        await pilot.pause()
        assert len(app._notifications) == 2
        await pilot.press("escape")
        await pilot.pause()
        await new_free_draft(pilot)
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["Team-Datenbank nicht erreichbar"]
