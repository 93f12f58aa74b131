"""Originality in the workspace: exported posts join the local corpus, and a later draft that copies one
is flagged (category originality) — but a draft is never flagged as a copy of its own export."""

from __future__ import annotations

from tui_helpers import make_app, new_free_draft

from drafter.drafts import DraftStore
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
        await pilot.pause()
        assert not [f for f in first.editor.findings if f.category == "originality"]

        # a second draft that copies the post is flagged, naming the exported post
        await pilot.press("escape")
        await pilot.pause()
        second = await new_free_draft(pilot)
        assert isinstance(second, ComposeScreen) and second.draft.id != first.draft.id
        second.editor.insert(POST.replace("richtig stolz", "so stolz"), second.editor.document.end)
        await pilot.pause()
        hits = [f for f in second.editor.findings if f.rule == "originality.corpus"]
        assert len(hits) == 1 and hits[0].category == "originality"
        assert "eigener exportierter Beitrag" in hits[0].message and "Heute habe ich" in hits[0].message


async def test_corpus_imported_before_start_is_used() -> None:
    app = make_app()
    StoredPostIndex(Store(app.store.path)).add(CorpusPost(text=POST, source="kollegin.md"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await wait_for_corpus(app, pilot)
        screen = await new_free_draft(pilot)
        screen.editor.insert(POST, screen.editor.document.end)
        await pilot.pause()
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
