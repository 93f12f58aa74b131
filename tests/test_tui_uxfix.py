"""The new-user probe after issue 11 (uxfix): each finding driven through the real flow with Pilot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual import events
from textual.widgets import OptionList, Static
from tui_helpers import make_app, new_free_draft

from drafter import i18n
from drafter.findings import Severity
from drafter.tui.footer import footer_keys
from drafter.tui.screens.compose import ComposeScreen
from drafter.tui.screens.dialogs import ImportReportScreen
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
        shown = {k.key_display for k in footer_keys(app.screen)}
        assert new_key in shown and palette_key in shown, shown
        assert not any(k.startswith("^") or k in ("esc", "f1", "f9") for k in shown), shown
        assert "F1" in shown


def test_palette_prefix_anywhere_is_capitalised_in_german() -> None:
    assert i18n.t("help.app", "de") == "Überall"


@pytest.mark.parametrize(("lang", "more"), [("de", "weitere Zeilen"), ("en", "more lines")])
async def test_import_report_fits_at_80x24_and_is_shown_whole_on_a_key(
    drafter_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, more: str
) -> None:
    folder = tmp_path / "postfach"
    folder.mkdir()
    (folder / "daten.csv").write_text(
        "Titel;Bereich;Ziel;Ab;Bis\nA;B;Werkstolz;2026-13-45;morgen\nC;D;Werkstolz;morgen;2026-13-45\n"
        "E;F;Werkstolz;2026-13-45;morgen\n",
        encoding="utf-8",
    )
    (folder / "frieden.md").write_text("---\ntitel: T\nbereich: B\ngoal: Weltfrieden\n---\nText.\n", encoding="utf-8")
    (folder / "kaputt.yaml").write_text("titel: a: b\n", encoding="utf-8")
    (folder / "liste.yaml").write_text("- - eins\n  - zwei\n", encoding="utf-8")
    (folder / "spalten.csv").write_text("Titel;Notiz\nT;x\n", encoding="utf-8")
    monkeypatch.setenv("DRAFTER_INBOX", str(folder))
    app = make_app(language=lang)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.clear_notifications()
        await pilot.press("ctrl+r")  # import again: the probe's path
        await pilot.pause()
        reports = [
            str(n.message) for n in app._notifications if "importiert" in str(n.message) or "imported" in str(n.message)
        ]
        assert reports
        full = app.import_report_lines
        assert len(full) > 8
        note = reports[-1].splitlines()
        assert len(note) <= 8 and more in note[-1] and "F3" in note[-1]  # fits: 24 rows minus margins
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ImportReportScreen)
        assert not app._notifications  # the short report no longer covers the full one (a new-user probe)
        shown_text = str(app.screen.query_one("#import-report-text", Static).render())
        assert all(line in shown_text for line in full)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)


@pytest.mark.parametrize(("lang", "key"), [("de", "Strg+O"), ("en", "Ctrl+O")])
async def test_authorship_error_names_the_attest_key(drafter_home: Path, lang: str, key: str) -> None:
    app = make_app(language=lang)
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        app.post_message(events.Paste("Ich habe diesen Text in meinen Notizen geschrieben und füge ihn ein."))
        await pilot.pause()
        messages = [f.message for f in screen.current_check().findings if f.category == "authorship"]
        assert messages, screen.current_check().findings
        assert any(key in m for m in messages), messages


@pytest.mark.parametrize(("lang", "opening", "other"), [("en", "“", "„"), ("de", "„", "“ ")])
async def test_fix_preview_quotes_follow_the_ui_language(
    drafter_home: Path, lang: str, opening: str, other: str
) -> None:
    app = make_app(language=lang)
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        screen.editor.insert("Die deutsche telekom ist toll!!! #WeWontStop", screen.editor.document.end)
        await pilot.pause()
        listed = screen.query_one("#findings", FindingsList)
        with_fix = [i for i, f in enumerate(listed.findings) if f.replacements]
        assert with_fix, listed.findings
        prompt = str(listed.get_option_at_index(with_fix[0]).prompt)
        assert f"→ {opening}" in prompt and f"→ {other}" not in prompt, prompt


LONG_SENTENCES = (
    "Wir haben in diesem Jahr gemeinsam mit vielen Kolleginnen und Kollegen aus ganz unterschiedlichen Bereichen "
    "an einem Projekt gearbeitet, das uns allen sehr viel abverlangt hat und das wir trotzdem mit großer Freude "
    "und mit sehr viel Engagement bis zum letzten Tag durchgezogen haben, obwohl es immer wieder Hindernisse gab."
)


async def test_voice_reason_wraps_in_the_side_panel(drafter_home: Path) -> None:
    from test_tui_voice import seed_profile, wait_for

    from drafter.tui.voice_panel import VoicePanel

    seed_profile()
    app = make_app(language="de")
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        panel = screen.query_one("#voice-panel", VoicePanel)
        await wait_for(pilot, lambda: panel.has_class("-ready"))
        app.post_message(events.Paste(LONG_SENTENCES))
        await pilot.pause()
        await wait_for(pilot, lambda: panel.scored_version == screen.editor.text_version)
        await pilot.pause()
        assert panel.result is not None and panel.result.reasons
        reason = panel.result.reasons[0].text
        shown_lines = [panel.render_line(y).text for y in range(panel.size.height)]
        flat = " ".join(" ".join(line.strip(" │╭╮╰╯─").split()) for line in shown_lines)
        assert " ".join(reason.split()) in flat, (reason, shown_lines)


LONG_TITLE = "Unser Glasfaser-Team hat im Dorf bei Frost gebaut, und das Ergebnis kam nach nur drei Wochen"


async def test_drafts_pane_cosmetics(drafter_home: Path) -> None:
    app = make_app(language="de")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n", *LONG_TITLE, "escape")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        drafts = inbox.query_one("#drafts", OptionList)
        # date and time of the last edit on one line
        rendered = [drafts.render_line(y).text for y in range(drafts.size.height)]
        assert any(re.search(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", line) for line in rendered), rendered
        # a filter that matches no draft points at the archive
        await pilot.press(*"zzzz")
        await pilot.pause()
        assert "F7" in str(drafts.get_option_at_index(0).prompt)
        await pilot.press("escape")
        await pilot.pause()
        drafts.focus()
        drafts.highlighted = 0
        await pilot.pause()
        app.clear_notifications()
        await pilot.press("f6")  # archive it: a cut title is not followed by a full stop
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
        assert notes and not any("…." in n for n in notes), notes
        await pilot.press("f7")  # the archive view: F7 in the footer goes back to the drafts
        await pilot.pause()
        drafts.focus()
        await pilot.pause()
        labels = {a.binding.description for a in inbox.active_bindings.values() if a.binding.show}
        assert "Entwürfe" in labels and "Archiv" not in labels, labels
