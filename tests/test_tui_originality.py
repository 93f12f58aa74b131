"""Originality in the workspace: exported posts join the local corpus, and a later draft that copies one
is flagged (category originality) — but a draft is never flagged as a copy of its own export."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from tui_helpers import fixed_clock, make_app, new_free_draft

from drafter.drafts import DraftStore
from drafter.findings import Severity
from drafter.originality import CorpusPost, StoredPostIndex, export_source
from drafter.store import Store
from drafter.tui.screens.compose import ComposeScreen
from drafter.tui.screens.dialogs import ExportScreen

SIZE = (150, 45)
POST = (
    "Heute habe ich mit meinem Team in Bonn zehntausend Haushalte an das Glasfasernetz angeschlossen, "
    "und ich bin richtig stolz auf alle. #Werkstolz"
)


async def wait_for_corpus(app, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(100):
        if app._corpus_ready:
            return
        await pilot.pause(0.05)
    raise AssertionError("corpus index was not built")


async def corpus_answered(screen, pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until the check shown holds the corpus answer for the text shown (asked after a pause)."""
    for _ in range(100):
        check = screen.check_result
        if check is not None and screen.check_version == screen.editor.text_version and not check.corpus_pending:
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("no corpus answer for the text shown")


async def test_export_feeds_the_corpus_and_copies_are_flagged() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = await new_free_draft(pilot)
        first.editor.insert(POST, first.editor.document.end)
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen) and not dialog.check.errors
        if dialog.check.warnings:
            await pilot.click("#confirm-warnings")
        await pilot.click("#do-export")
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen)

        posts = StoredPostIndex(Store(app.store.path)).posts()
        assert [(p.text, p.source) for p in posts] == [(POST, export_source(first.draft.id))]
        await wait_for_corpus(app, pilot)

        # the exported draft itself: edited a little, it is not a copy of its own export
        first.editor.insert(" Danke!", first.editor.document.end)
        await corpus_answered(first, pilot)
        assert not [f for f in first.editor.findings if f.category == "originality"]

        # a second draft that copies the post is flagged, naming the exported post
        await pilot.press("escape")
        await pilot.pause()
        second = await new_free_draft(pilot)
        assert isinstance(second, ComposeScreen) and second.draft.id != first.draft.id
        second.editor.insert(POST.replace("richtig stolz", "so stolz"), second.editor.document.end)
        await corpus_answered(second, pilot)
        hits = [f for f in second.editor.findings if f.rule == "originality.corpus"]
        assert len(hits) == 1 and hits[0].category == "originality"
        assert "deiner exportierten Beiträge" in hits[0].message and "Heute habe ich" in hits[0].message


async def test_corpus_imported_before_start_is_used() -> None:
    app = make_app()
    StoredPostIndex(Store(app.store.path)).add(CorpusPost(text=POST, source="kollegin.md"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await wait_for_corpus(app, pilot)
        screen = await new_free_draft(pilot)
        screen.editor.insert(POST, screen.editor.document.end)
        await corpus_answered(screen, pilot)
        (hit,) = [f for f in screen.editor.findings if f.rule == "originality.corpus"]
        assert hit.severity.value == "error" and "kollegin.md" in hit.message


async def test_a_reopened_draft_is_checked_against_the_corpus_once_it_is_ready() -> None:
    # The corpus is readied beside the first paint; a draft reopened at start is checked before it is
    # ready, and again when it is — the copy is flagged without a keystroke.
    with Store() as store:
        StoredPostIndex(store).add(CorpusPost(text=POST, source="kollegin.md"))
        drafts = DraftStore(store)
        draft = drafts.create(POST.replace("richtig stolz", "so stolz"), channels=["linkedin"])
        drafts.remember_last(draft.id)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await wait_for_corpus(app, pilot)
        screen = app.screen
        assert isinstance(screen, ComposeScreen) and screen.draft.id == draft.id
        for _ in range(40):  # the check may run in a worker
            if [f for f in screen.editor.findings if f.rule == "originality.corpus"]:
                break
            await pilot.pause(0.05)
        (hit,) = [f for f in screen.editor.findings if f.rule == "originality.corpus"]
        assert "kollegin.md" in hit.message


def _app_recording_corpus_start() -> tuple[Any, list[str]]:
    """An app that records when its first screen was painted and when its corpus was readied."""
    from drafter.tui.app import DrafterApp

    events: list[str] = []

    class Recording(DrafterApp):
        CSS_PATH = str(Path(sys.modules[DrafterApp.__module__].__file__ or "").parent / str(DrafterApp.CSS_PATH))

        def after_first_paint(self) -> None:
            events.append("painted")
            super().after_first_paint()

        def _build_corpus(self, force: bool = False) -> None:
            # a reopened draft's screen is painted after the inbox beneath it: the corpus waits for it too
            events.append("corpus" if getattr(self.screen, "painted", True) else "corpus before the draft's paint")
            super()._build_corpus(force)

    return Recording(clock=fixed_clock, onboarding=False, cursor_blink=False), events


async def test_with_a_corpus_start_up_keys_land_in_order_and_a_reopened_copy_is_flagged() -> None:
    # The corpus is readied after the first paint (numpy's import beside it made the paint later), so
    # the draft reopened at start is first checked without it: typing at once, the keys land in order,
    # and the copy is flagged once the corpus is ready, without another keystroke.
    from test_tui_input import burst, settle  # the keys as a terminal delivers a fast burst

    with Store() as store:
        StoredPostIndex(store).add(CorpusPost(text=POST, source="kollegin.md"))
        drafts = DraftStore(store)
        copy = POST.replace("richtig stolz", "so stolz")
        draft = drafts.save(replace(drafts.create(copy, channels=["linkedin"]), cursor=(0, len(copy))))
        drafts.remember_last(draft.id)
    app, events = _app_recording_corpus_start()
    async with app.run_test(size=SIZE) as pilot:
        burst(app, "enter", "Danke euch allen.")
        await settle(pilot)
        await wait_for_corpus(app, pilot)
        screen = app.screen
        assert isinstance(screen, ComposeScreen) and screen.draft.id == draft.id
        for _ in range(40):  # the check may run in a worker
            if [f for f in screen.editor.findings if f.rule == "originality.corpus"]:
                break
            await pilot.pause(0.05)
        assert screen.editor.text == copy + "\nDanke euch allen."
        (hit,) = [f for f in screen.editor.findings if f.rule == "originality.corpus"]
        assert "kollegin.md" in hit.message
    assert events[0] == "painted" and "corpus" in events and "corpus before the draft's paint" not in events


async def test_the_corpus_is_readied_after_the_inbox_is_painted() -> None:
    with Store() as store:
        StoredPostIndex(store).add(CorpusPost(text=POST, source="kollegin.md"))
    app, events = _app_recording_corpus_start()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_corpus(app, pilot)
        screen = await new_free_draft(pilot)
        screen.editor.insert(POST, screen.editor.document.end)
        await corpus_answered(screen, pilot)
        assert [f for f in screen.editor.findings if f.rule == "originality.corpus"]
    assert events[0] == "painted" and "corpus" in events and "corpus before the draft's paint" not in events


async def test_a_colleagues_paragraph_is_underlined_where_it_stands() -> None:
    from test_originality_passages import COLLEAGUE, COPIED, OWN_INTRO, OWN_OUTRO

    app = make_app()
    StoredPostIndex(Store(app.store.path)).add(CorpusPost(text=COLLEAGUE, source="Anna, 2026-11-20"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await wait_for_corpus(app, pilot)
        screen = await new_free_draft(pilot)
        screen.editor.insert(f"{OWN_INTRO}\n\n{COPIED}\n\n{OWN_OUTRO}", screen.editor.document.end)
        await corpus_answered(screen, pilot)
        (hit,) = [f for f in screen.editor.findings if f.rule == "originality.corpus"]
        text = screen.editor.text
        assert text[hit.start : hit.end] == COPIED and hit.severity.value == "error"
        assert "Absatz" in hit.message and "Anna, 2026-11-20" in hit.message
        # typing on in another paragraph: the finding stays on the copied paragraph
        screen.editor.insert(" Danke!", screen.editor.document.end)
        await pilot.pause()
        (hit,) = [f for f in screen.editor.findings if f.rule == "originality.corpus"]
        assert screen.editor.text[hit.start : hit.end] == COPIED


async def test_the_cursor_line_stays_readable_in_every_theme() -> None:
    """New-user probe: the line being typed had a solid white background under light grey text ($boost is
    white at 4 %, and a Rich style has no alpha)."""
    from textual.color import Color

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        editor = screen.editor
        for theme in ("textual-dark", "textual-light", "nord"):
            app.theme = theme
            await pilot.pause()
            await pilot.pause()
            line = Color.from_rich_color(editor._theme.cursor_line_style.bgcolor)
            text = Color.from_rich_color(editor.rich_style.color)
            background = editor.background_colors[1]
            assert abs(line.brightness - background.brightness) < 0.1, theme  # a tint, not another colour
            assert abs(line.brightness - text.brightness) > 0.4, theme  # the text stays readable on it


async def test_flagged_words_stay_readable_in_light_themes() -> None:
    """New-user recheck: a warning's words were orange on light grey (1.2:1) in textual-light; the severity
    colours were the theme's accents, not its colours for text."""
    from textual.color import Color

    def contrast(a: Color, b: Color) -> float:
        def lum(c: Color) -> float:
            def ch(v: int) -> float:
                x = v / 255
                return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

            return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b)

        hi, lo = sorted((lum(a), lum(b)), reverse=True)
        return (hi + 0.05) / (lo + 0.05)

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        editor = screen.editor
        for theme in ("textual-dark", "textual-light", "solarized-light", "catppuccin-latte"):
            app.theme = theme
            await pilot.pause()
            background = editor.background_colors[1]
            for severity in Severity:
                color = Color.from_rich_color(editor.severity_style(severity).color)
                assert contrast(color, background) >= 3.0, (theme, severity)
