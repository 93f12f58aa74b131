"""A corpus that cannot be read (a damaged store: tables dropped, bytes where text belongs) makes the near-copy
rules skip with a finding that says why, so the check is incomplete and nothing is exported — it neither
crashes the app (a new-user probe: F8 and Ctrl+O ended in a traceback) nor lets every copy pass silently (with
the corpus table gone, the app exported a word-for-word copy)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tui_helpers import make_app, new_free_draft

from drafter.authorship import AuthorshipRecord, Origin, paste_spans
from drafter.checker import Checker
from drafter.drafting import check_draft, corpus_answer, export_refusal, with_corpus
from drafter.errors import CORPUS_PROBLEM_RULE, CorpusUnavailable, unreadable_store
from drafter.guidelines import load_guidelines
from drafter.originality import CorpusPost, StoredPostIndex, UnreadableCorpus
from drafter.store import Store
from drafter.tui.screens.compose import ComposeScreen
from drafter.tui.screens.dialogs import ExportScreen

COLLEAGUE = (
    "Wir haben in nur drei Wochen zweitausend Haushalte in Beuel an das Glasfasernetz angeschlossen, und das "
    "bei Regen und Wind. Die Kolleginnen und Kollegen vom Tiefbau haben jeden Abend länger gemacht. #Werkstolz"
)


def damaged_index(path: Path, damage: str) -> StoredPostIndex:
    store = Store(path)
    index = StoredPostIndex(store)
    index.add_many([CorpusPost(COLLEAGUE, source="Anna")])
    with sqlite3.connect(path) as conn:
        conn.execute(damage)
    return index


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        ("DROP TABLE corpus_bands", "no such table: corpus_bands"),
        ("UPDATE corpus_posts SET text = x'ff00fe'", "a corpus post holds bytes, not text"),
    ],
)
def test_the_stored_index_says_the_store_cannot_be_read(tmp_path: Path, damage: str, said: str) -> None:
    index = damaged_index(tmp_path / "s.sqlite3", damage)
    for ask in (lambda: index.query(COLLEAGUE), lambda: index.query_passages(f"Hallo.\n\n{COLLEAGUE}")):
        with pytest.raises(CorpusUnavailable) as caught:
            ask()
        assert said in str(caught.value) and str(tmp_path / "s.sqlite3") in str(caught.value)
    index.store.close()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_checker_skips_the_near_copy_rules_and_says_why(lang: str) -> None:
    gs = load_guidelines()
    checker = Checker(gs, lang=lang)
    result = checker.check(COLLEAGUE, "linkedin", corpus=UnreadableCorpus("the store is gone: /x/drafter.sqlite3"))
    assert result.skipped == ["originality.corpus"] and not result.complete
    (problem,) = [f for f in result.findings if f.rule == CORPUS_PROBLEM_RULE]
    assert "originality.corpus" in problem.message and "/x/drafter.sqlite3" in problem.message
    assert problem.category == "guidelines"
    # export refuses, saying it is the corpus, not the text (the generic advice said "shorten the text")
    check = check_draft(checker, COLLEAGUE, channels=["linkedin"], corpus=UnreadableCorpus("gone"), lang=lang)
    reason = export_refusal(check, accept_warnings=True, lang=lang)
    assert reason is not None and ("Korpus" in reason if lang == "de" else "corpus cannot be read" in reason)


def test_the_editors_corpus_answer_makes_the_check_incomplete() -> None:
    checker = Checker(load_guidelines())
    gone = UnreadableCorpus("gone")
    check = check_draft(checker, COLLEAGUE, channels=["linkedin", "x"], corpus=gone, defer_corpus=True)
    assert check.corpus_pending and not check.skipped
    answer = corpus_answer(checker, COLLEAGUE, channels=["linkedin", "x"], corpus=UnreadableCorpus("gone"))
    assert answer.skipped == ("originality.corpus",)
    merged = with_corpus(check, answer)
    assert merged.skipped == ["originality.corpus"] and not merged.corpus_pending
    assert len([f for f in merged.findings if f.rule == CORPUS_PROBLEM_RULE]) == 1
    assert export_refusal(merged, accept_warnings=True) is not None
    again = with_corpus(merged, answer)  # merged twice: still one notice
    assert len([f for f in again.findings if f.rule == CORPUS_PROBLEM_RULE]) == 1


def test_a_paste_cannot_be_attested_when_the_corpus_cannot_tell() -> None:
    text = f"Mein Text. {COLLEAGUE}"
    record = AuthorshipRecord.uniform(len(text), Origin.TYPED)
    record.replace(len("Mein Text. "), len(text), COLLEAGUE, Origin.PASTED)
    (span,) = paste_spans(text, record, corpus=UnreadableCorpus("gone"))
    assert span.refusal == "unchecked"


@pytest.mark.parametrize("damage", ["DROP TABLE corpus_bands", "DROP TABLE corpus_posts"])
async def test_the_app_neither_crashes_nor_exports_with_a_damaged_corpus(damage: str) -> None:
    app = make_app()
    index = damaged_index(app.store.path, "SELECT 1")
    index.store.close()
    with sqlite3.connect(app.store.path) as conn:
        conn.execute(damage)
    async with app.run_test(size=(150, 45)) as pilot:
        await pilot.pause()
        for _ in range(100):  # the corpus is readied (or found unreadable) after the first paint
            if app._corpus_ready or app._corpus_error:
                break
            await pilot.pause(0.05)
        screen = await new_free_draft(pilot)
        assert isinstance(screen, ComposeScreen)
        screen.editor.insert(COLLEAGUE, screen.editor.document.end)
        for _ in range(100):
            check = screen.check_result
            if check is not None and screen.check_version == screen.editor.text_version and not check.corpus_pending:
                break
            await pilot.pause(0.05)
        assert [f.rule for f in screen.editor.findings if f.rule == CORPUS_PROBLEM_RULE] == [CORPUS_PROBLEM_RULE]
        await pilot.press("f8")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        assert dialog.check.skipped == ["originality.corpus"]
        assert dialog.query("#do-export").first().disabled
        await pilot.press("escape")
        await pilot.pause()
        # Ctrl+O on the pasted-like text: refused with a notice, no traceback
        screen.record.replace(0, len(screen.editor.text), screen.editor.text, Origin.PASTED)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen)


@pytest.mark.parametrize(
    ("damage", "english", "german"),
    [
        ("DROP TABLE corpus_posts", "Move it aside", "Lege ihn beiseite"),
        # a store it may not open: moving it aside would not help, its permissions would
        (None, "may read and write", "lesen und beschreiben darfst"),
    ],
)
def test_why_the_corpus_cannot_be_read_is_said_in_the_checks_language(
    tmp_path: Path, damage: str | None, english: str, german: str
) -> None:
    path = tmp_path / "s.sqlite3"
    if damage is None:
        error: sqlite3.Error = sqlite3.OperationalError("unable to open database file")
        reason = unreadable_store(path, error)
    else:
        index = damaged_index(path, damage)
        with pytest.raises(CorpusUnavailable) as caught:
            index.query(COLLEAGUE)
        index.store.close()
        (reason,) = caught.value.problems
    checker = Checker(load_guidelines())
    found = {}
    for lang in ("de", "en"):
        result = checker.check(COLLEAGUE, "linkedin", corpus=UnreadableCorpus(reason), lang=lang)
        (found[lang],) = [f.message for f in result.findings if f.rule == CORPUS_PROBLEM_RULE]
        assert str(path) in found[lang]
    assert english in found["en"] and german not in found["en"]
    # no English inside the German finding: neither the advice nor SQLite's own words
    assert german in found["de"] and english not in found["de"] and "table" not in found["de"]
    assert "unable to open" not in found["de"] and "Speicher" in found["de"]
    other = "Lege ihn beiseite" if damage is None else "lesen und beschreiben darfst"
    assert other not in found["de"]
