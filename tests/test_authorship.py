"""The authorship record through every kind of edit, its serialisation, paste classification and policy."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from drafter import i18n
from drafter.authorship import (
    AuthorshipPolicy,
    AuthorshipRecord,
    AuthorshipSummary,
    Origin,
    RemovedSpan,
    brief_ngram_share,
    classify_paste,
    evaluate,
    location_of,
    offset_of,
    shares,
)
from drafter.findings import Severity

T, P, A, B = Origin.TYPED, Origin.PASTED, Origin.AI, Origin.BRIEF


class Editor:
    """A minimal model of an editor with undo/redo whose edits drive the record as a TUI Edit would."""

    def __init__(self, text: str = "", origin: Origin = T) -> None:
        self.text = text
        self.record = AuthorshipRecord.uniform(len(text), origin)
        self.undo_stack: list[tuple[int, int, str, Origin, str, RemovedSpan]] = []
        self.redo_stack: list[tuple[int, int, str, Origin, str, RemovedSpan]] = []

    def edit(self, start: int, end: int, inserted: str, origin: Origin) -> None:
        replaced = self.text[start:end]
        removed = self.record.replace(start, end, inserted, origin)
        self.text = self.text[:start] + inserted + self.text[end:]
        self.undo_stack.append((start, end, inserted, origin, replaced, removed))
        self.redo_stack.clear()

    def type(self, offset: int, chars: str) -> None:
        for i, ch in enumerate(chars):
            self.edit(offset + i, offset + i, ch, T)

    def undo(self) -> None:
        start, end, inserted, origin, replaced, removed = self.undo_stack.pop()
        self.record.restore(start, start + len(inserted), removed)
        self.text = self.text[:start] + replaced + self.text[start + len(inserted) :]
        self.redo_stack.append((start, end, inserted, origin, replaced, removed))

    def redo(self) -> None:
        start, end, inserted, origin, replaced, _ = self.redo_stack.pop()
        removed = self.record.replace(start, end, inserted, origin)
        self.text = self.text[:start] + inserted + self.text[end:]
        self.undo_stack.append((start, end, inserted, origin, replaced, removed))


def origin_string(record: AuthorshipRecord) -> str:
    return "".join(o.value[0] for o in record.origins())


# -- single edit kinds -----------------------------------------------------------------------------


def test_typing_char_by_char_is_one_typed_run() -> None:
    ed = Editor()
    ed.type(0, "Hallo Welt")
    assert ed.text == "Hallo Welt"
    assert ed.record.runs == ((T, 10),)


def test_paste_inside_typed_text_splits_the_run() -> None:
    ed = Editor()
    ed.type(0, "abcdef")
    ed.edit(3, 3, "XYZ", P)
    assert ed.text == "abcXYZdef"
    assert origin_string(ed.record) == "tttpppttt"
    assert ed.record.runs == ((T, 3), (P, 3), (T, 3))


def test_cut_removes_exactly_the_selected_characters() -> None:
    ed = Editor("0123456789", T)
    ed.edit(2, 4, "AB", A)  # 01AB456789
    ed.edit(3, 6, "", T)  # cut "B45" -> 01A6789
    assert ed.text == "01A6789"
    assert origin_string(ed.record) == "ttatttt"


def test_delete_backwards_and_forwards() -> None:
    ed = Editor("abc", A)
    ed.edit(2, 3, "", T)  # backspace at end
    ed.edit(0, 1, "", T)  # delete at start
    assert ed.text == "b"
    assert ed.record.runs == ((A, 1),)
    ed.edit(0, 1, "", T)
    assert len(ed.record) == 0 and ed.record.runs == ()


def test_replacing_a_selection_gives_inserted_characters_the_edit_origin() -> None:
    ed = Editor("Das ist KI-Text.", A)
    ed.edit(8, 15, "mein Text", T)
    assert ed.text == "Das ist mein Text."
    assert ed.record.runs == ((A, 8), (T, 9), (A, 1))


def test_typing_inside_an_ai_span_makes_only_the_typed_characters_typed() -> None:
    ed = Editor()
    ed.edit(0, 0, "Glasfaser für alle", A)
    ed.type(9, " jetzt")
    assert ed.text == "Glasfaser jetzt für alle"
    assert ed.record.runs == ((A, 9), (T, 6), (A, 9))


def test_editing_inside_a_brief_span_keeps_the_rest_of_the_span() -> None:
    ed = Editor()
    ed.type(0, "Heute: ")
    ed.edit(7, 7, "Start der Aktion", B)
    ed.edit(7 + 10, 7 + 16, "Kampagne", T)  # replace "Aktion"
    assert ed.text == "Heute: Start der Kampagne"
    assert ed.record.runs == ((T, 7), (B, 10), (T, 8))


def test_replaced_text_keeps_origins_of_unchanged_ends() -> None:
    rec = AuthorshipRecord([(A, 5)])
    removed = rec.replace(0, 5, "Haus!", T, replaced_text="Hauz!")
    assert rec.runs == ((A, 3), (T, 1), (A, 1))
    assert removed.runs == ((A, 5),)
    rec.restore(0, 5, removed)
    assert rec.runs == ((A, 5),)


def test_replaced_text_must_match_the_range() -> None:
    rec = AuthorshipRecord([(T, 5)])
    with pytest.raises(ValueError, match="replaced_text"):
        rec.replace(0, 5, "abc", T, replaced_text="ab")


def test_multi_line_edits_via_row_column_locations() -> None:
    text = "Zeile eins\nZeile zwei\nDrei"
    ed = Editor(text, T)
    start = offset_of(text, (0, 6))
    end = offset_of(text, (1, 5))
    assert text[start:end] == "eins\nZeile"
    ed.edit(start, end, "1\nKI-Zeile\nund", A)
    assert ed.text == "Zeile 1\nKI-Zeile\nund zwei\nDrei"
    assert len(ed.record) == len(ed.text)
    assert ed.record.origin_at(ed.text.index("KI")) is A
    assert ed.record.origin_at(ed.text.index("zwei")) is T


def test_offset_and_location_convert_both_ways() -> None:
    text = "ab\ncde\n\nf"
    for offset in range(len(text) + 1):
        assert offset_of(text, location_of(text, offset)) == offset
    assert offset_of(text.split("\n"), (1, 2)) == 5
    assert offset_of(text, (1, 99)) == 6  # clamped to the end of the row
    assert offset_of(text, (99, 0)) == len(text)
    assert offset_of(["ab", "cd"], (1, 1), newline="\r\n") == 5
    with pytest.raises(ValueError):
        offset_of(text, (-1, 0))


def test_out_of_range_edits_are_refused() -> None:
    rec = AuthorshipRecord.uniform(3)
    with pytest.raises(ValueError):
        rec.replace(2, 5, "x", T)
    with pytest.raises(ValueError):
        rec.replace(2, 1, "x", T)
    assert rec.runs == ((T, 3),)


# -- undo / redo chains ----------------------------------------------------------------------------


def test_undo_redo_chain_restores_every_intermediate_state() -> None:
    ed = Editor()
    snapshots = [(ed.text, ed.record.runs)]
    ed.type(0, "Wir bauen")
    snapshots.append((ed.text, ed.record.runs))
    ed.edit(9, 9, " Glasfaser bis ins Haus", A)
    snapshots.append((ed.text, ed.record.runs))
    ed.edit(4, 9, "verlegen", P)
    snapshots.append((ed.text, ed.record.runs))
    ed.edit(0, len(ed.text), "", T)  # select all + delete
    snapshots.append((ed.text, ed.record.runs))
    n_char_edits = len(ed.undo_stack)
    for _ in range(3):
        ed.undo()
    assert (ed.text, ed.record.runs) == snapshots[1]
    ed.redo()
    ed.redo()
    assert (ed.text, ed.record.runs) == snapshots[3]
    ed.redo()
    assert (ed.text, ed.record.runs) == snapshots[4]
    while ed.undo_stack:
        ed.undo()
    assert (ed.text, ed.record.runs) == snapshots[0]
    while ed.redo_stack:
        ed.redo()
    assert (ed.text, ed.record.runs) == snapshots[4]
    assert len(ed.undo_stack) == n_char_edits


def test_new_edit_after_undo_drops_the_redo_branch() -> None:
    ed = Editor()
    ed.edit(0, 0, "KI-Satz.", A)
    ed.undo()
    ed.type(0, "Eigener Satz.")
    assert ed.redo_stack == []
    assert ed.record.runs == ((T, 13),)


# -- random edit sequences: a state machine against a naive per-character model --------------------


class RecordMachine(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.ed = Editor()
        self.model: list[Origin] = []
        self.model_undo: list[list[Origin]] = []
        self.model_redo: list[list[Origin]] = []

    def _apply(self, start: int, end: int, inserted: str, origin: Origin) -> None:
        self.model_undo.append(list(self.model))
        self.model_redo.clear()
        self.model[start:end] = [origin] * len(inserted)
        self.ed.edit(start, end, inserted, origin)

    @rule(
        data=st.data(),
        inserted=st.text(alphabet="ab \n", min_size=0, max_size=6),
        origin=st.sampled_from(Origin),
    )
    def replace_range(self, data: st.DataObject, inserted: str, origin: Origin) -> None:
        n = len(self.ed.text)
        start = data.draw(st.integers(0, n))
        end = data.draw(st.integers(start, n))
        self._apply(start, end, inserted, origin)

    @rule(data=st.data())
    def type_char(self, data: st.DataObject) -> None:
        pos = data.draw(st.integers(0, len(self.ed.text)))
        self._apply(pos, pos, "x", T)

    @precondition(lambda self: self.ed.undo_stack)
    @rule()
    def undo(self) -> None:
        self.model_redo.append(list(self.model))
        self.model = self.model_undo.pop()
        self.ed.undo()

    @precondition(lambda self: self.ed.redo_stack)
    @rule()
    def redo(self) -> None:
        self.model_undo.append(list(self.model))
        self.model = self.model_redo.pop()
        self.ed.redo()

    @invariant()
    def matches_model(self) -> None:
        assert len(self.ed.record) == len(self.ed.text)
        assert self.ed.record.origins() == self.model
        runs = self.ed.record.runs
        assert all(n > 0 for _, n in runs)
        assert all(a[0] != b[0] for a, b in itertools.pairwise(runs))  # runs stay merged


RecordMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)
TestRecordMachine = RecordMachine.TestCase


# -- serialisation ---------------------------------------------------------------------------------


@given(st.lists(st.tuples(st.sampled_from(Origin), st.integers(0, 50)), max_size=20))
def test_serialisation_round_trip(runs: list[tuple[Origin, int]]) -> None:
    rec = AuthorshipRecord(runs)
    text = "x" * len(rec)
    for payload in (rec.to_json(text), rec.to_dict(text), rec.to_json()):
        loaded = AuthorshipRecord.from_json(payload, text)
        assert loaded == rec
        assert not loaded.repaired


def test_serialised_form_is_compact_runs() -> None:
    ed = Editor()
    ed.type(0, "a" * 300)
    ed.edit(100, 100, "b" * 50, A)
    data = json.loads(ed.record.to_json(ed.text))
    assert data["runs"] == [["typed", 100], ["ai", 50], ["typed", 200]]
    assert data["length"] == 350


def test_reopen_after_restart_restores_the_record() -> None:
    ed = Editor()
    ed.type(0, "Mein Text. ")
    ed.edit(11, 11, "Vorschlag.", A)
    saved_text, saved = ed.text, ed.record.to_json(ed.text)
    reopened = Editor(saved_text)
    reopened.record = AuthorshipRecord.from_json(saved, saved_text)
    assert reopened.record == ed.record
    reopened.type(len(saved_text), "!")
    assert reopened.record.runs == ((T, 11), (A, 10), (T, 1))


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "",
        "not json",
        "{}",
        '{"runs": [["alien", 3]]}',
        '{"runs": [["typed", -1]]}',
        '{"runs": 5}',
        "[1, 2]",
    ],
)
def test_unreadable_record_is_repaired_as_pasted_without_raising(payload: str | None) -> None:
    text = "abc"
    rec = AuthorshipRecord.from_json(payload, text)
    assert rec.repaired
    assert rec.runs == ((P, 3),)


def test_record_of_other_length_is_repaired_as_pasted() -> None:
    rec = AuthorshipRecord([(A, 5)]).to_json()
    loaded = AuthorshipRecord.from_json(rec, "abcdefg")
    assert loaded.repaired and loaded.runs == ((P, 7),)


def test_record_of_another_text_with_same_length_is_detected_by_fingerprint() -> None:
    saved = AuthorshipRecord([(T, 5)]).to_json("Hallo")
    loaded = AuthorshipRecord.from_json(saved, "Hello")
    assert loaded.repaired and loaded.runs == ((P, 5),)


def test_repair_with_previous_text_keeps_unchanged_characters() -> None:
    old = "Mein Text. KI-Satz."
    rec = AuthorshipRecord([(T, 11), (A, 8)])
    new = "Mein guter Text. KI-Satz."
    loaded = AuthorshipRecord.from_json(rec.to_json(old), new, previous_text=old)
    assert loaded.repaired
    assert origin_string(loaded) == "t" * 5 + "p" * 6 + "t" * 6 + "a" * 8


# -- paste classification --------------------------------------------------------------------------

SUGGESTION = (
    "Ab heute surfen alle Kundinnen und Kunden in Musterstadt mit bis zu 1 Gbit/s über Glasfaser. "
    "Ich freue mich, dass unser Team das möglich gemacht hat!"
)
BRIEF = (
    "Mit dem Glasfaserausbau in Musterstadt erreichen wir 12.000 Haushalte. Die Vermarktung startet "
    "am 1. Dezember; Ansprechpartner vor Ort ist der Shop am Marktplatz."
)


def test_paste_of_a_suggestion_counts_as_ai() -> None:
    assert classify_paste(SUGGESTION, suggestions=[SUGGESTION], brief_texts=[BRIEF]) is A


def test_paste_with_small_changes_and_other_whitespace_still_counts_as_ai() -> None:
    pasted = SUGGESTION.upper().replace(" ", "  \n").replace("Team", "Bauteam")
    assert classify_paste(pasted, suggestions=["Anderes.", SUGGESTION], brief_texts=[]) is A


def test_paste_of_a_passage_of_the_brief_counts_as_brief() -> None:
    pasted = "Die Vermarktung startet am 1. Dezember"
    assert classify_paste(pasted, suggestions=[SUGGESTION], brief_texts=[BRIEF]) is B


def test_own_text_on_the_same_topic_counts_as_pasted() -> None:
    pasted = (
        "Glasfaser in Musterstadt: Wir haben monatelang gebaut, und jetzt ist es so weit. "
        "Bis zu 1 Gbit/s für alle Haushalte, ich bin stolz auf unser Team."
    )
    assert classify_paste(pasted, suggestions=[SUGGESTION], brief_texts=[BRIEF]) is P


def test_short_common_phrase_is_not_attributed() -> None:
    assert classify_paste("über Glasfaser", suggestions=[SUGGESTION], brief_texts=[BRIEF]) is P
    assert classify_paste("   ", suggestions=[SUGGESTION], brief_texts=[BRIEF]) is P


def test_short_paste_equal_to_a_short_suggestion_counts() -> None:
    assert classify_paste("#Glasfaser rockt", suggestions=["#Glasfaser rockt"], brief_texts=[]) is A


# -- shares and the policy gate --------------------------------------------------------------------


def test_shares_count_non_space_characters() -> None:
    text = "ab cd\nef  "
    rec = AuthorshipRecord([(T, 3), (A, 3), (P, 4)])  # "ab " typed, "cd\n" ai, "ef  " pasted
    summary = shares(text, rec)
    assert summary.counts == {T: 2, A: 2, P: 2, B: 0, Origin.ATTESTED: 0}
    assert summary.total == 6
    assert summary.share(A) == pytest.approx(1 / 3)


def test_shares_refuse_a_record_that_does_not_fit() -> None:
    with pytest.raises(ValueError):
        shares("abc", AuthorshipRecord([(T, 2)]))


def test_policy_passes_a_mostly_typed_draft() -> None:
    summary = AuthorshipSummary({T: 80, A: 20, P: 0, B: 0})
    assert evaluate(summary, AuthorshipPolicy()) == []


def test_policy_flags_too_little_own_text_and_too_much_ai() -> None:
    summary = AuthorshipSummary({T: 40, A: 60, P: 0, B: 0})
    findings = evaluate(summary, AuthorshipPolicy(), lang="en")
    assert {f.rule for f in findings} == {"authorship.min_own_share", "authorship.max_ai_share"}
    assert all(f.category == "authorship" and f.severity is Severity.ERROR for f in findings)
    assert "40%" in findings[0].message and "70%" in findings[0].message
    german = evaluate(summary, AuthorshipPolicy(), lang="de")
    assert "40 %" in german[0].message and "selbst" in german[0].message


def test_too_little_own_text_says_what_to_rewrite_once() -> None:
    """The message named the advice twice ("Formuliere übernommene Passagen …" and "… aus dem Briefing:
    formuliere sie in deinen Worten"; a new-user probe): with a hint about a source, only the hint; with
    none, the general advice."""
    from drafter.authorship import Origin

    (brief,) = evaluate(AuthorshipSummary({T: 58, B: 42, A: 0, P: 0}), AuthorshipPolicy(), lang="de")
    assert "aus dem Briefing" in brief.message and "übernommene Passagen" not in brief.message
    attested = AuthorshipSummary({T: 50, Origin.ATTESTED: 50, A: 0, P: 0, B: 0})
    (plain,) = evaluate(attested, AuthorshipPolicy(attested_counts_as_own=False), lang="de")
    assert plain.message.count("Worten") == 1 and "übernommene Passagen" in plain.message


def test_paste_counts_as_own_only_when_the_policy_says_so() -> None:
    summary = AuthorshipSummary({T: 50, P: 50, A: 0, B: 0})
    assert [f.rule for f in evaluate(summary, AuthorshipPolicy())] == ["authorship.min_own_share"]
    assert evaluate(summary, AuthorshipPolicy(paste_counts_as_own=True)) == []


def test_brief_text_is_not_own_text() -> None:
    summary = AuthorshipSummary({T: 60, B: 40, A: 0, P: 0})
    assert [f.rule for f in evaluate(summary, AuthorshipPolicy())] == ["authorship.min_own_share"]


def test_empty_draft_violates_nothing() -> None:
    assert evaluate(shares("  \n", AuthorshipRecord.uniform(3, A)), AuthorshipPolicy()) == []


def test_policy_model_rejects_unknown_fields_and_bad_shares() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        AuthorshipPolicy.model_validate({"min_own_share": 0.7, "max_ia_share": 0.3})
    with pytest.raises(ValidationError):
        AuthorshipPolicy(min_own_share=1.5)


def test_summary_export_form_and_one_liner() -> None:
    summary = AuthorshipSummary({T: 82, P: 10, A: 8, B: 0})
    data = summary.to_dict(AuthorshipPolicy())
    assert data["counts"] == {"typed": 82, "pasted": 10, "ai": 8, "brief": 0, "attested": 0}
    assert data["shares"]["typed"] == pytest.approx(0.82)
    assert data["policy"]["min_own_share"] == 0.7
    assert data["meets_policy"] is True
    # the same words as the workspace's authorship panel (one catalogue)
    assert summary.one_line("de") == "Urheberschaft: 82 % selbst, 10 % eingefügt, 8 % KI, 0 % Briefing"
    assert summary.one_line("en") == "Authorship: 82% own, 10% pasted, 8% AI, 0% brief"
    for lang in ("de", "en"):
        assert i18n.t("authorship.typed", lang) in summary.one_line(lang)


# -- brief n-gram share ----------------------------------------------------------------------------


def test_brief_ngram_share_ignores_case_and_punctuation() -> None:
    brief = "Die Vermarktung startet am 1. Dezember in Musterstadt."
    draft = "DIE VERMARKTUNG startet am 1 Dezember – und ich bin dabei!"
    # draft words: die vermarktung startet am 1 dezember und ich bin dabei -> 6 five-grams, 2 from brief
    assert brief_ngram_share(draft, [brief]) == pytest.approx(2 / 6)


def test_brief_ngram_share_extremes() -> None:
    brief = "eins zwei drei vier fünf sechs"
    assert brief_ngram_share(brief, [brief]) == 1.0
    assert brief_ngram_share("ganz anderer Text mit vielen eigenen Worten", [brief]) == 0.0
    assert brief_ngram_share("zu kurz", [brief]) == 0.0
    assert brief_ngram_share(brief, []) == 0.0


def test_fit_trims_or_pads_with_pasted() -> None:
    rec = AuthorshipRecord([(T, 3), (A, 3)])
    assert rec.fit(4) and rec.runs == ((T, 3), (A, 1))
    assert rec.fit(6) and rec.runs == ((T, 3), (A, 1), (P, 2))
    assert not rec.fit(6)


def test_reconcile_maps_origins_through_an_unreported_change() -> None:
    rec = AuthorshipRecord([(A, 4), (T, 4)])
    out = rec.reconcile("KI: mein", "KI: ganz mein")
    assert len(out) == len("KI: ganz mein")
    assert origin_string(out) == "aaaa" + "ppppp" + "tttt"


def test_a_share_just_short_of_the_limit_does_not_read_as_the_limit() -> None:
    """New-user probe: "Nur 70 % dieses Beitrags hast du selbst geschrieben; verlangt sind mindestens 70 %"."""
    (own,) = evaluate(AuthorshipSummary({T: 696, P: 304, A: 0, B: 0}), AuthorshipPolicy(), lang="de")
    assert own.message.startswith("Nur 69 % dieses Beitrags") and "mindestens 70 %" in own.message
    # the pasted share rounded down as the side panel shows it (30.4 %: "30 %", not "31 % … eingefügt")
    (own,) = evaluate(AuthorshipSummary({T: 605, P: 395, A: 0, B: 0}), AuthorshipPolicy(), lang="de")
    assert "Nur 60 %" in own.message and "39 % sind eingefügt" in own.message
    findings = evaluate(AuthorshipSummary({T: 700, P: 0, A: 301, B: 0}), AuthorshipPolicy(min_own_share=0.5), lang="en")
    (ai,) = [f for f in findings if f.rule == "authorship.max_ai_share"]
    assert "31%" in ai.message  # 30.07 %: over a limit of 30 %, never shown as 30 %


def test_the_export_line_rounds_down_as_the_panel_does() -> None:
    """A new-user probe: the panel said 19 % written elsewhere (rounded down), the export 20 %."""
    summary = AuthorshipSummary({T: 8045, P: 0, A: 0, B: 0, Origin.ATTESTED: 1955})
    assert summary.one_line("en") == "Authorship: 80% own, 0% pasted, 0% AI, 0% brief, 19% written elsewhere"
