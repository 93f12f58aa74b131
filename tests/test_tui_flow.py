"""Pilot tests of the main flow: inbox -> compose (findings, underline, fix, channels, hashtags) -> export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual import events
from tui_helpers import make_app, new_free_draft, styles_of

from drafter import paths
from drafter.drafts import DraftStore
from drafter.findings import Severity
from drafter.store import Store
from drafter.tui.screens.compose import ComposeScreen
from drafter.tui.screens.dialogs import ExportScreen
from drafter.tui.screens.inbox import InboxScreen
from drafter.tui.widgets import LengthGauge

SIZE = (150, 45)
GOOD = "Heute zur Sammelstelle gebracht. Macht mit!! "


async def open_brief(pilot, needle: str) -> ComposeScreen:  # type: ignore[no-untyped-def]
    app = pilot.app
    assert isinstance(app.screen, InboxScreen)
    await pilot.press(*needle)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ComposeScreen)
    return app.screen


async def test_main_flow_brief_type_finding_fix_channel_export(drafter_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_brief(pilot, "Handys")
        assert screen.brief is not None and "Handys" in screen.brief.title
        assert screen.channels[0] == "instagram"  # the brief's first channel

        # type: the doubled exclamation mark becomes a warning, underlined in place
        await pilot.press(*GOOD)
        await pilot.pause()
        editor = screen.editor
        assert editor.text == GOOD
        rules = {f.rule for f in editor.findings}
        assert "tone.exclamations" in rules and "hashtag.goal-missing" in rules
        bang = next(f for f in editor.findings if f.rule == "tone.exclamations")
        assert GOOD[bang.start : bang.end] == "!!"
        for style in styles_of(editor.render_line(0), "!!"):
            assert style.underline
            assert style.color == editor.severity_style(Severity.WARNING).color
            assert style.color != editor.severity_style(Severity.ERROR).color
        for style in styles_of(editor.render_line(0), "Sammelstelle"):  # untouched text: no underline
            assert not style.underline

        # F3 moves to the next finding, F4 applies its replacement
        editor.move_cursor((0, 0))
        await pilot.press("f3")
        assert editor.cursor_offset() == bang.start
        await pilot.press("f4")
        await pilot.pause()
        assert "!!" not in editor.text and "Macht mit! " in editor.text
        assert "tone.exclamations" not in {f.rule for f in editor.findings}

        # the hashtag panel: the brief's goal is highlighted; inserting it is a deliberate Enter
        editor.move_cursor(editor.document.end)
        await pilot.press("ctrl+t")
        panel = screen.query_one("#hashtags")
        assert panel.has_focus
        goal = app.guidelines.goal(screen.brief.goal)
        assert panel.get_option_at_index(panel.highlighted).id == goal.name
        await pilot.press("enter")
        await pilot.pause()
        assert editor.text.endswith(goal.hashtag)
        assert editor.has_focus
        assert not [f for f in editor.findings if f.severity is Severity.ERROR]

        # switch channel: the gauge follows with that channel's counting and limit
        gauge = screen.query_one(LengthGauge)
        assert gauge.channel == "instagram" and gauge.length.limit == app.guidelines.channels["instagram"].limit
        await pilot.press("f2")  # the brief's next channel becomes the primary one; instagram stays checked
        await pilot.pause()
        gauge = screen.query_one(LengthGauge)
        assert [g.channel for g in screen.query(LengthGauge)] == ["linkedin", "instagram"]
        assert gauge.length.limit == app.guidelines.channels["linkedin"].limit
        text_before = editor.text
        screen.set_channels(["x"])
        await pilot.pause()
        gauge = screen.query_one(LengthGauge)
        assert gauge.length.unit == "weighted" and gauge.has_class("-ok")

        # export: final check, clipboard, Markdown + JSON
        await pilot.press("f8")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        assert not dialog.check.errors
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen)
        assert app.clipboard == text_before
        exports = sorted((paths.data_dir() / "exports").glob("*.json"))
        assert len(exports) == 1
        doc = json.loads(exports[0].read_text(encoding="utf-8"))
        assert doc["text"] == text_before
        assert doc["channel"] == "x"
        assert doc["brief_id"] == screen.brief.id
        assert doc["guidelines"]["version"] == app.guidelines.version
        assert doc["date"] == "2026-11-27"
        assert doc["authorship"]["counts"]["typed"] > 0 and doc["authorship"]["meets_policy"] is True
        md = exports[0].with_suffix(".md").read_text(encoding="utf-8")
        assert md.startswith(text_before) and "Urheberschaft" in md
        assert app.drafts.get(screen.draft.id).status.value == "exported"


async def test_gauge_warns_near_limit_and_errors_over_it() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot, ["x"])
        spec = app.guidelines.channels["x"]
        editor = screen.editor
        editor.insert("a" * int(spec.limit * spec.warn_ratio + 1))
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        gauge = screen.query_one(LengthGauge)
        assert gauge.has_class("-warning"), gauge.classes
        editor.insert("a" * spec.limit)
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert gauge.has_class("-error")


async def test_several_channels_are_checked_together() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        screen.set_channels(["x", "bluesky"])
        await pilot.pause()
        screen.editor.insert("b" * 290)
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        gauges = {g.channel: g for g in screen.query(LengthGauge)}
        assert set(gauges) == {"x", "bluesky"}
        assert gauges["x"].length.limit == app.guidelines.channels["x"].limit
        assert gauges["bluesky"].length.unit == "graphemes"
        assert gauges["x"].has_class("-error")  # 290 > 280 weighted
        assert gauges["bluesky"].has_class("-warning")  # 290 of 300 graphemes


async def test_export_blocked_by_errors_and_warnings_need_confirmation() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        await pilot.press(*"Heute war ein guter Tag!!")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        assert dialog.check.errors and dialog.query_one("#do-export").disabled
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)  # still open: nothing exported
        await pilot.press("escape")
        await pilot.pause()
        assert not (paths.data_dir() / "exports").exists() or not list((paths.data_dir() / "exports").iterdir())
        assert app.clipboard == ""

        tag = app.guidelines.goals[0].hashtag
        screen.editor.insert(f" {tag}", screen.editor.document.end)
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        dialog = app.screen
        assert not dialog.check.errors and dialog.check.warnings
        button = dialog.query_one("#do-export")
        assert button.disabled
        await pilot.click("#confirm-warnings")
        await pilot.pause()
        assert not button.disabled
        await pilot.click("#do-export")
        await pilot.pause()
        assert app.clipboard.startswith("Heute war ein guter Tag!!")


async def test_authorship_record_follows_typing_paste_brief_insert_and_undo() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_brief(pilot, "Handys")
        editor = screen.editor
        await pilot.press(*"Mein Text. ")
        app.post_message(events.Paste("von woanders "))
        await pilot.pause()
        message = screen.brief.key_messages[0]
        screen.insert_from_brief(message)
        await pilot.pause()
        # said once that an inserted key message is a starting point (a warning follows it word for word)
        told = [n.message for n in app._notifications if "starting point" in n.message or "Ausgangspunkt" in n.message]
        assert len(told) == 1
        text = editor.text
        assert len(screen.record) == len(text)
        runs = [(o.value, n) for o, n in screen.record.runs]
        assert runs[0] == ("typed", len("Mein Text. "))
        assert runs[1] == ("pasted", len("von woanders "))
        assert runs[2] == ("brief", len(message))
        await pilot.press("ctrl+z")  # undo the brief insert
        await pilot.pause()
        assert editor.text == "Mein Text. von woanders "
        assert [o.value for o, _ in screen.record.runs] == ["typed", "pasted"]
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert editor.text == text and [o.value for o, _ in screen.record.runs][-1] == "brief"
        editor.move_cursor((0, 0))
        # F10 colours the text by origin: pasted and brief characters get a background, typed ones not
        await pilot.press("f10")
        await pilot.pause()
        assert editor.render_line(0)  # renders
        from tui_helpers import styles_of

        line = editor.render_line(0)
        assert all(
            st.bgcolor is not None and st.bgcolor != styles_of(line, "Text.")[0].bgcolor
            for st in styles_of(line, "woanders")
        )
        await pilot.press("f10")
        await pilot.pause()
        line = editor.render_line(0)
        assert styles_of(line, "woanders")[0].bgcolor == styles_of(line, "Text.")[0].bgcolor

        # pasting the brief's own words is recorded as brief, not as pasted
        editor.move_cursor(editor.document.end)
        app.post_message(events.Paste(" " + screen.brief.key_messages[-1]))
        await pilot.pause()
        assert [o.value for o, _ in screen.record.runs][-1] == "brief"
        screen.insert_from_brief(message)  # a second insert: not said again
        await pilot.pause()
        assert (
            len([n for n in app._notifications if "Ausgangspunkt" in n.message or "starting point" in n.message]) == 1
        )
        assert len(screen.record) == len(editor.text)

        # a brief-heavy draft fails the policy: shown while writing, and export is blocked
        assert any(f.category == "authorship" and f.severity is Severity.ERROR for f in editor.findings)
        await pilot.press("f8")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        assert any(f.category == "authorship" for f in dialog.check.errors)
        assert dialog.query_one("#do-export").disabled


async def test_autosave_within_a_second_and_reopen_where_it_was(drafter_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        await pilot.press(*"Zeile eins", "enter", *"Zweite")
        await pilot.press("left", "left")
        draft_id = screen.draft.id
        await pilot.pause(0.8)
        # a second connection (another process would see the same) already has the text
        with Store() as other:
            saved = DraftStore(other).get(draft_id)
        assert saved.text == "Zeile eins\nZweite"
        assert saved.cursor == (1, 4)
        assert saved.authorship is not None and saved.authorship["length"] == len(saved.text)
    # next start reopens that draft at the cursor
    app2 = make_app()
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen2 = app2.screen
        assert isinstance(screen2, ComposeScreen)
        assert screen2.draft.id == draft_id
        assert screen2.editor.text == "Zeile eins\nZweite"
        assert screen2.editor.cursor_location == (1, 4)
        assert [o.value for o, _ in screen2.record.runs] == ["typed"]
        await pilot.press("escape")  # back to the inbox: next start opens the inbox
        await pilot.pause()
        assert isinstance(app2.screen, InboxScreen)
    app3 = make_app()
    async with app3.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app3.screen, InboxScreen)


async def test_two_instances_on_one_store_fork_instead_of_overwriting() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        await pilot.press(*"Fenster A")
        await pilot.pause(0.7)
        original = screen.draft.id
        with Store() as other:  # a second instance edits and saves the same draft
            ds = DraftStore(other)
            theirs = ds.get(original)
            from dataclasses import replace

            ds.save(replace(theirs, text="Fenster B"))
        await pilot.press(*" weiter")
        await pilot.pause(0.7)
        assert screen.draft.id != original
        drafts = {d.id: d.text for d in app.drafts.list()}
        assert drafts[original] == "Fenster B"
        assert drafts[screen.draft.id] == "Fenster A weiter"


async def test_slow_checks_run_in_a_worker_and_stale_results_are_dropped(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from drafter.tui.screens import compose

    monkeypatch.setattr(compose, "SYNC_CHECK_BUDGET", -1.0)  # every check takes the worker path
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        applied: list[int] = []
        original = screen.apply_check

        def spy(version, check):  # type: ignore[no-untyped-def]
            applied.append(version)
            original(version, check)

        monkeypatch.setattr(screen, "apply_check", spy)
        await pilot.press(*"Das ist toll!! Wirklich!!")
        await app.workers.wait_for_complete()
        await pilot.pause()
        editor = screen.editor
        assert editor.marks_version == editor.text_version
        bangs = [f for f in editor.findings if f.rule == "tone.exclamations"]
        assert [editor.text[f.start : f.end] for f in bangs] == ["!!", "!!"]
        assert applied and max(applied) == editor.text_version


async def test_store_busy_keeps_the_change_and_retries(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        real_save = app.drafts.save
        calls = {"n": 0}

        def busy_once(draft, **kw):  # type: ignore[no-untyped-def]
            calls["n"] += 1
            if calls["n"] == 1:
                raise sqlite3.OperationalError("database is locked")
            return real_save(draft, **kw)

        monkeypatch.setattr(app.drafts, "save", busy_once)
        await pilot.press(*"Trotzdem")
        await pilot.pause(1.3)  # first attempt fails, the retry 0.5 s later succeeds
        assert calls["n"] >= 2
        assert app.drafts.get(screen.draft.id).text == "Trotzdem"
        assert any("database is locked" in str(n.message) for n in app._notifications)


async def test_side_panel_extension_point() -> None:
    from textual.widgets import Static

    app = make_app()
    app.register_side_panel(lambda screen: Static(f"panel for {screen.draft.id}", id="ai-panel"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        side = screen.query_one("#side-panel")
        panel = side.query_one("#ai-panel", Static)
        assert screen.draft.id in str(panel.render())
        assert side.query_one("#authorship-meter") is not None
        assert not side.has_class("-empty")


async def test_cut_copy_and_paste_keep_who_wrote_what() -> None:
    """Moving text with cut/copy and paste must not launder pasted text into own text, nor turn own
    text into pasted text; the app's clipboard holding other text (e.g. an export) pastes as pasted."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        editor = screen.editor
        await pilot.press(*"Mein Satz. ")
        app.post_message(events.Paste("Fremder Text von woanders."))
        await pilot.pause()
        before = [(o.value, n) for o, n in screen.record.runs]
        assert before == [("typed", 11), ("pasted", 26)]

        editor.select_all()
        await pilot.press("ctrl+x")  # cut everything …
        await pilot.pause()
        assert editor.text == "" and len(screen.record) == 0
        await pilot.press("ctrl+v")  # … and paste it back: nothing changes hands
        await pilot.pause()
        assert editor.text == "Mein Satz. Fremder Text von woanders."
        assert [(o.value, n) for o, n in screen.record.runs] == before

        # copy the pasted words and paste them again at the end: still pasted
        editor.selection = editor.selection.__class__((0, 11), (0, 18))
        await pilot.press("ctrl+c")
        editor.move_cursor(editor.document.end)
        await pilot.press("ctrl+v")
        await pilot.pause()
        assert editor.text.endswith("Fremder")
        assert [o.value for o, _ in screen.record.runs][-1] == "pasted"
        # the terminal's own paste of the same text is recognised too
        app.post_message(events.Paste("Fremder"))
        await pilot.pause()
        assert editor.text.endswith("FremderFremder")
        assert {o.value for o in screen.record.origins()[-14:]} == {"pasted"}
        assert screen.record.origins()[0].value == "typed"

        # undo/redo of such a paste restores the record exactly
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(screen.record) == len(editor.text)

        # text the app put on the clipboard itself (not cut or copied here) pastes as pasted
        app.copy_to_clipboard("Ein exportierter Beitrag")
        editor.move_cursor(editor.document.end)
        await pilot.press("ctrl+v")
        await pilot.pause()
        assert editor.text.endswith("Ein exportierter Beitrag")
        assert screen.record.runs[-1][0].value == "pasted" and len(screen.record) == len(editor.text)


async def back_to_inbox(pilot) -> InboxScreen:  # type: ignore[no-untyped-def]
    await pilot.press("escape")
    await pilot.pause()
    inbox = pilot.app.screen
    assert isinstance(inbox, InboxScreen)
    field = inbox.query_one("#filter")
    field.value = ""
    field.focus()
    await pilot.pause()
    return inbox


async def test_enter_on_a_brief_continues_its_draft_and_empty_drafts_do_not_pile_up() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_brief(pilot, "Handys")
        await back_to_inbox(pilot)  # left at once, empty: not kept
        assert app.drafts.list() == []

        first = await open_brief(pilot, "Handys")
        await pilot.press(*"Mein Anfang")
        await back_to_inbox(pilot)
        (kept,) = app.drafts.list()
        assert kept.text == "Mein Anfang" and kept.id == first.draft.id

        again = await open_brief(pilot, "Handys")
        assert again.draft.id == kept.id and again.editor.text == "Mein Anfang"
        assert len(app.drafts.list()) == 1


def _app_with_marker(tmp_path: Path, marker: str) -> Any:
    from drafter.settings import Settings, save_settings

    settings_file = tmp_path / "settings.toml"
    save_settings(Settings(onboarding_done=True, disclosure_marker=marker), settings_file)
    return make_app(settings_path=settings_file)


async def _tariff_draft(pilot: Any) -> Any:
    """A free draft that names a tariff without disclosing (a disclosure finding, so the marker is offered)."""
    await pilot.pause()
    screen = await new_free_draft(pilot)
    screen.editor.insert("Mein neuer Tarif ist super. #WeWontStop", screen.editor.document.end)
    await pilot.pause()
    return screen


async def test_the_profiles_disclosure_marker_is_offered_as_a_fix(tmp_path: Path) -> None:
    app = _app_with_marker(tmp_path, "#TelekomMitarbeiter")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _tariff_draft(pilot)
        editor = screen.editor
        assert any(f.rule == "disclosure.employment" for f in editor.findings)
        hint = next(f for f in editor.findings if f.rule == "profile.disclosure-marker")
        editor.move_cursor(editor.offset_to_location(hint.start))
        await pilot.press("f4")
        await pilot.pause()
        assert editor.text.endswith("#WeWontStop #TelekomMitarbeiter")
        assert not any(f.category == "disclosure" for f in editor.findings)


async def test_a_marker_saved_in_the_profile_is_offered_in_the_open_draft_at_once(tmp_path: Path) -> None:
    """New-user probe: after saving a disclosure marker in the profile, the open draft still listed no hint
    for it; only a later keystroke brought it."""
    app = _app_with_marker(tmp_path, "")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _tariff_draft(pilot)
        editor = screen.editor
        assert not any(f.rule == "profile.disclosure-marker" for f in editor.findings)
        version = editor.text_version
        assert app.save_settings(app.settings.model_copy(update={"disclosure_marker": "#TelekomMitarbeiter"}))
        for _ in range(40):
            await pilot.pause(0.05)
            if any(f.rule == "profile.disclosure-marker" for f in editor.findings):
                break
        assert editor.text_version == version  # nothing typed in between
        assert any(f.rule == "profile.disclosure-marker" for f in editor.findings)
