"""The corpus part of a check, asked apart from the rest (issue 14): a check that leaves it for later is
pending and refused by the export gate; the answer merged for the check's own text gives exactly what a
check with the corpus gives; an earlier text's answer is only carried over, and never completes a check."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from drafter.dismissals import dismiss
from drafter.drafting import corpus_answer, export_refusal, with_corpus
from drafter.i18n import t
from drafter.originality import CorpusPost, StoredPostIndex
from drafter.store import Store
from drafter.workspace import Workspace

POST = (
    "Heute habe ich mit meinem Team in Bonn zehntausend Haushalte an das Glasfasernetz angeschlossen, "
    "und ich bin richtig stolz auf alle. #Werkstolz"
)
NEAR_COPY = POST.replace("richtig stolz", "so stolz")  # similarity 0.73: a warning
OWN = "Seit drei Jahren arbeite ich im Netzausbau in Köln und bin jeden Tag stolz auf unser Team. #Werkstolz"
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
CHANNELS = ["x", "linkedin", "bluesky"]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(settings_path=tmp_path / "settings.toml", store_path=tmp_path / "s.sqlite3", clock=lambda: NOW)


@pytest.fixture
def corpus(tmp_path: Path) -> StoredPostIndex:
    index = StoredPostIndex(Store(tmp_path / "s.sqlite3"))
    index.add(CorpusPost(text=POST, source="kollegin.md"))
    return index


def originality(findings: list) -> list:  # type: ignore[type-arg]
    return [f for f in findings if f.category == "originality"]


@pytest.mark.parametrize("text", [NEAR_COPY, POST, OWN])
def test_the_answer_merged_for_its_text_is_the_check_with_the_corpus(
    ws: Workspace, corpus: StoredPostIndex, text: str
) -> None:
    full = ws.check_draft(text, channels=CHANNELS, corpus=corpus)
    later = ws.check_draft(text, channels=CHANNELS, corpus=corpus, defer_corpus=True)
    assert later.corpus_pending and later.blocked and not originality(later.findings)
    assert export_refusal(later, accept_warnings=True, lang="en") == t("corpus_pause.pending", "en")
    answer = ws.corpus_answer(text, channels=CHANNELS, corpus=corpus)
    merged = with_corpus(later, answer)
    assert not merged.corpus_pending
    assert merged.findings == full.findings
    assert export_refusal(merged, accept_warnings=True) == export_refusal(full, accept_warnings=True)
    assert bool(originality(full.findings)) is (text != OWN)


def test_an_earlier_texts_answer_is_carried_but_completes_nothing(ws: Workspace, corpus: StoredPostIndex) -> None:
    answer = ws.corpus_answer(NEAR_COPY, channels=CHANNELS, corpus=corpus)
    (hit,) = originality(list(answer.findings))
    typed_on = "  " + NEAR_COPY + " Danke! "
    later = ws.check_draft(typed_on, channels=CHANNELS, corpus=corpus, defer_corpus=True)
    carried = with_corpus(later, answer)
    assert carried.corpus_pending and export_refusal(carried, accept_warnings=True) is not None
    (shown,) = originality(carried.findings)
    assert (shown.start, shown.end) == (2, len(typed_on) - 1) and shown.message == hit.message
    # a complete check keeps its own answer; one for other channels is not this check's answer either
    full = ws.check_draft(typed_on, channels=CHANNELS, corpus=corpus)
    assert with_corpus(full, answer) is full
    other_channels = ws.corpus_answer(typed_on, channels=["x"], corpus=corpus)
    assert with_corpus(later, other_channels).corpus_pending


def test_a_carried_paragraph_finding_stays_on_its_paragraph(ws: Workspace, tmp_path: Path) -> None:
    from test_originality_passages import COLLEAGUE, COPIED, OWN_INTRO, OWN_OUTRO

    index = StoredPostIndex(Store(tmp_path / "p.sqlite3"))
    index.add(CorpusPost(text=COLLEAGUE, source="anna.md"))
    draft = f"{OWN_INTRO}\n\n{COPIED}\n\n{OWN_OUTRO}"
    answer = ws.corpus_answer(draft, channels=CHANNELS, corpus=index)
    (hit,) = originality(list(answer.findings))
    assert draft[hit.start : hit.end] == COPIED
    typed_on = f"Vorweg: {OWN_INTRO}\n\n{COPIED}\n\n{OWN_OUTRO} Danke!"
    carried = with_corpus(ws.check_draft(typed_on, channels=CHANNELS, corpus=index, defer_corpus=True), answer)
    (shown,) = originality(carried.findings)
    assert typed_on[shown.start : shown.end] == COPIED and carried.corpus_pending
    # the paragraph itself edited: the carried finding covers the whole text until the new answer
    edited = typed_on.replace("Regen", "Regen und Schnee")
    carried = with_corpus(ws.check_draft(edited, channels=CHANNELS, corpus=index, defer_corpus=True), answer)
    (shown,) = originality(carried.findings)
    assert (shown.start, shown.end) == (0, len(edited))


def test_a_check_without_corpus_or_corpus_rules_is_never_pending(ws: Workspace, corpus: StoredPostIndex) -> None:
    assert not ws.check_draft(NEAR_COPY, channels=CHANNELS, defer_corpus=True).corpus_pending
    no_rule = replace(ws.guidelines, rules=[r for r in ws.guidelines.rules if r.type != "corpus_similarity"])
    from drafter.checker import Checker
    from drafter.drafting import check_draft

    checker = Checker(no_rule)
    check = check_draft(checker, NEAR_COPY, channels=CHANNELS, corpus=corpus, defer_corpus=True)
    assert not check.corpus_pending and check.corpus is None
    assert corpus_answer(checker, NEAR_COPY, channels=CHANNELS, corpus=corpus).findings == ()


def test_a_dismissed_corpus_warning_stays_dismissed_when_the_answer_is_merged(
    ws: Workspace, corpus: StoredPostIndex
) -> None:
    (warning,) = originality(ws.check_draft(NEAR_COPY, channels=CHANNELS, corpus=corpus).findings)
    dismissal = dismiss(warning, "Mein eigener Text, mit Erlaubnis.", at=NOW)
    later = ws.check_draft(NEAR_COPY, channels=CHANNELS, corpus=corpus, defer_corpus=True, dismissals=[dismissal])
    merged = with_corpus(later, ws.corpus_answer(NEAR_COPY, channels=CHANNELS, corpus=corpus), [dismissal])
    (shown,) = originality(merged.findings)
    assert shown.dismissed == "Mein eigener Text, mit Erlaubnis." and merged.dismissals == [dismissal]
    assert export_refusal(merged, accept_warnings=False) is None
