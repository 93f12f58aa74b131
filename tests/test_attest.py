"""Issue 16: the author attests a paste as their own words written elsewhere; the record stays honest."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from drafter.authorship import (
    AuthorshipPolicy,
    AuthorshipRecord,
    Origin,
    evaluate,
    paste_spans,
    shares,
)
from drafter.originality import CorpusPost, InMemoryPostIndex
from drafter.workspace import Workspace

TYPED = "Heute war ich im Netzausbau unterwegs. "
NOTE = (
    "Auf dem Heimweg habe ich mir notiert, wie stolz ich auf die Kolleginnen in Köln bin, "
    "die bei Regen Glasfaser verlegt haben. #Werkstolz"
)
BRIEF = "Mit dem Glasfaserausbau bringen wir schnelles Internet in jede Region Deutschlands, Straße für Straße."
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)


def draft_with_paste(pasted: str) -> tuple[str, AuthorshipRecord]:
    record = AuthorshipRecord.uniform(len(TYPED), Origin.TYPED)
    record.insert(len(TYPED), pasted, Origin.PASTED)
    return TYPED + pasted, record


def test_attest_marks_only_pasted_characters_and_undoes_exactly() -> None:
    text, record = draft_with_paste(NOTE)
    record.insert(0, BRIEF[:20], Origin.BRIEF)
    text = BRIEF[:20] + text
    before = record.copy()
    removed = record.attest(0, len(text))  # the whole text: only the pasted run changes
    assert [o for _, _, o in record.spans()] == [Origin.BRIEF, Origin.TYPED, Origin.ATTESTED]
    assert len(record) == len(text)
    record.replace_with(0, len(text), removed)
    assert record == before


def test_attested_survives_saving_and_reopening() -> None:
    text, record = draft_with_paste(NOTE)
    record.attest(len(TYPED), len(text))
    again = AuthorshipRecord.from_json(record.to_json(text), text)
    assert again == record and not again.repaired
    assert again.origin_at(len(text) - 1) is Origin.ATTESTED


def test_a_pasted_paragraph_of_a_longer_corpus_post_cannot_be_attested() -> None:
    """New-user probe: Ctrl+O marked a colleague's paragraph as "von mir anderswo geschrieben" (the paste
    resembled the colleague's whole post too little)."""
    from test_originality_passages import COLLEAGUE, COPIED, OWN_INTRO

    corpus = InMemoryPostIndex([CorpusPost(text=COLLEAGUE, source="kollegin")])
    typed = f"{OWN_INTRO}\n\n"
    record = AuthorshipRecord.uniform(len(typed), Origin.TYPED)
    record.insert(len(typed), COPIED, Origin.PASTED)
    text = typed + COPIED
    (span,) = paste_spans(text, record, corpus=corpus)
    assert (text[span.start : span.end], span.refusal) == (COPIED, "corpus")


def test_a_paragraph_of_ones_own_export_can_be_attested_but_a_colleagues_cannot() -> None:
    """New-user probe: a paragraph of her own exported post, pasted into a new draft, was to be marked with
    Ctrl+O (the finding said so), and Ctrl+O refused it as resembling a corpus post: her own post."""
    from test_originality_passages import COLLEAGUE, COPIED, OWN_INTRO

    typed = f"{OWN_INTRO}\n\n"
    record = AuthorshipRecord.uniform(len(typed), Origin.TYPED)
    record.insert(len(typed), COPIED, Origin.PASTED)
    text = typed + COPIED
    own = InMemoryPostIndex([CorpusPost(text=COLLEAGUE, source="export:d1/linkedin")])
    (span,) = paste_spans(text, record, corpus=own)
    assert span.refusal is None
    # the paragraph in the author's export and in a colleague's post: still refused
    colleagues = COLLEAGUE.replace("#Werkstolz", "#WeWontStop")
    assert colleagues != COLLEAGUE
    both = InMemoryPostIndex(
        [CorpusPost(text=COLLEAGUE, source="export:d1/linkedin"), CorpusPost(text=colleagues, source="kollegin")]
    )
    (span,) = paste_spans(text, record, corpus=both)
    assert span.refusal == "corpus"
    # a whole own post pasted again may be attested too: the near-copy check calls the repost an error
    whole = AuthorshipRecord.uniform(0, Origin.TYPED)
    whole.insert(0, COLLEAGUE, Origin.PASTED)
    (span,) = paste_spans(COLLEAGUE, whole, corpus=own)
    assert span.refusal is None


def test_pastes_of_the_brief_an_ai_suggestion_or_a_corpus_post_cannot_be_attested() -> None:
    suggestion = "Frag dich: Was hat dich beim Ausbau in deiner Stadt zuletzt überrascht und warum genau?"
    corpus_post = "Gestern habe ich mit meinem Team in Bonn einen ganzen Straßenzug ans Glasfasernetz angeschlossen."
    corpus = InMemoryPostIndex([CorpusPost(text=corpus_post, source="kollegin")])
    for pasted, refusal in ((BRIEF, "brief"), (suggestion, "ai"), (corpus_post, "corpus"), (NOTE, None)):
        text, record = draft_with_paste(pasted)
        spans = paste_spans(text, record, brief_texts=[BRIEF], suggestions=[suggestion], corpus=corpus)
        assert [(s.start, s.end, s.refusal) for s in spans] == [(len(TYPED), len(text), refusal)], pasted


def test_key_messages_stitched_together_cannot_be_attested() -> None:
    messages = [
        "Wir bauen das Glasfasernetz in Bonn Straße für Straße aus.",
        "Jedes Team vor Ort arbeitet auch bei Regen und Schnee weiter.",
    ]
    pasted = "Kurz gesagt: " + " ".join(messages) + " Darauf bin ich stolz."
    text, record = draft_with_paste(pasted)
    (span,) = paste_spans(text, record, brief_texts=messages)
    assert span.refusal == "brief"


def test_policy_counts_attested_as_own_unless_the_guidelines_say_otherwise() -> None:
    text, record = draft_with_paste(NOTE)
    policy = AuthorshipPolicy()
    pasted = evaluate(shares(text, record), policy, "en", record)
    assert [f.rule for f in pasted] == ["authorship.min_own_share"]
    # the finding says what to do and sits on the paste, so "next finding" jumps there
    assert "written by me elsewhere" in pasted[0].message
    assert (pasted[0].start, pasted[0].end) == (len(TYPED), len(text))
    record.attest(len(TYPED), len(text))
    summary = shares(text, record)
    assert evaluate(summary, policy, "en", record) == []
    assert summary.own_share(policy) == 1.0
    strict = AuthorshipPolicy(attested_counts_as_own=False)
    assert [f.rule for f in evaluate(summary, strict, "en", record)] == ["authorship.min_own_share"]


def test_brief_text_gets_the_rephrase_hint() -> None:
    record = AuthorshipRecord.uniform(len(TYPED), Origin.TYPED)
    record.insert(len(TYPED), BRIEF, Origin.BRIEF)
    findings = evaluate(shares(TYPED + BRIEF, record), AuthorshipPolicy(), "de", record)
    assert "Briefing" in findings[0].message and "deinen Worten" in findings[0].message
    assert findings[0].start == len(TYPED)


def test_export_lists_attested_characters_apart(tmp_path: Path) -> None:
    text, record = draft_with_paste(NOTE)
    record.attest(len(TYPED), len(text))
    ws = Workspace(settings_path=tmp_path / "s.toml", store_path=tmp_path / "d.sqlite3", clock=lambda: NOW)
    check = ws.check_draft(text, channels=["linkedin"], record=record)
    assert not check.authorship_failing
    outcome = ws.export_draft(check, accept_warnings=True, out_dir=tmp_path / "out", corpus=InMemoryPostIndex())
    doc = json.loads(outcome.files.json.read_text())
    attested = sum(1 for ch in NOTE if not ch.isspace())
    assert doc["authorship"]["attested"]["count"] == attested
    assert doc["authorship"]["counts"]["attested"] == attested
    assert doc["authorship"]["attested"]["share"] == pytest.approx(attested / doc["authorship"]["total"], abs=1e-4)
    summary_line = doc["authorship"]["summary_line"]
    assert "anderswo selbst" in summary_line or "written elsewhere" in summary_line
    assert summary_line in outcome.files.markdown.read_text()
