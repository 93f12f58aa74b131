"""Copied paragraphs: a colleague's paragraph inside a longer draft is found, though the whole draft is not a
near copy of the colleague's whole post; independent paragraphs on the same topic are not."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from drafter import originality
from drafter.checker import Checker
from drafter.findings import Severity
from drafter.guidelines import load_guidelines
from drafter.originality import (
    MAX_PASSAGES,
    PASSAGE_WORDS,
    CorpusPost,
    InMemoryPostIndex,
    PostIndex,
    SkippingPostIndex,
    StoredPostIndex,
    indexed_passages,
    passages,
    query_passages,
    shingles,
    similarity_findings,
)
from drafter.rules import similarity as similarity_rule
from drafter.rules.similarity import CorpusSimilarityRule
from drafter.store import Store

# A colleague's LinkedIn post: four paragraphs, the way ambassadors write them.
COLLEAGUE = (
    "Was für eine Woche! 🚀\n\n"
    "Wir haben in nur drei Wochen zweitausend Haushalte in Beuel an das Glasfasernetz angeschlossen, und das "
    "bei Regen und Wind. Die Kolleginnen und Kollegen vom Tiefbau haben jeden Abend länger gemacht.\n\n"
    "Besonders gefreut hat mich eine ältere Dame in der Siegburger Straße, die uns Kaffee gebracht hat und "
    "jetzt zum ersten Mal mit ihren Enkeln in Kanada videotelefoniert.\n\n"
    "Danke an Jens und Aylin aus der Bauleitung, ohne die wir das nie geschafft hätten. Ihr seid klasse.\n\n"
    "#Werkstolz #LoveMagenta"
)
COPIED = (
    "Wir haben in nur drei Wochen zweitausend Haushalte in Beuel an das Glasfasernetz angeschlossen, und das "
    "bei Regen und Wind. Die Kolleginnen und Kollegen vom Tiefbau haben jeden Abend länger gemacht."
)
OWN_INTRO = (
    "Ich arbeite seit zwei Jahren im Vertrieb in Bonn und erlebe jeden Tag, wie sehr sich Kundinnen und Kunden "
    "über ein schnelles Netz freuen."
)
OWN_OUTRO = "Für mich zeigt das, wofür wir das alles machen. Ich bin stolz, Teil davon zu sein. #Werkstolz"
DRAFT = f"{OWN_INTRO}\n\n{COPIED.replace('Wind', 'Sturm')}\n\n{OWN_OUTRO}"

# Written independently about the same building site: shares the topic's words, copies nothing.
OWN_ON_THE_SAME_TOPIC = (
    "Gestern war ich mit dem Tiefbau in Beuel unterwegs. Trotz Regen haben die Kolleginnen jeden Meter "
    "Leerrohr sauber verlegt, und die ersten Haushalte surfen schon mit Glasfaser.\n\n"
    "Mich beeindruckt, wie viel Planung hinter jedem Hausanschluss steckt: Genehmigungen, Absprachen mit den "
    "Nachbarn, und am Ende zählt doch jeder einzelne Anschluss.\n\n"
    "#Glasfaser #Werkstolz"
)


@pytest.fixture(params=["memory", "stored"])
def index_of(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    stores: list[Store] = []

    def make(posts: list[CorpusPost]) -> PostIndex:
        if request.param == "memory":
            return InMemoryPostIndex(posts)
        store = Store(tmp_path / f"s{len(stores)}.sqlite3")
        stores.append(store)
        index = StoredPostIndex(store)
        index.add_many(posts)
        return index

    yield make
    for store in stores:
        store.close()


def test_paragraphs_are_blocks_between_blank_lines_with_enough_words() -> None:
    text = f"  {OWN_INTRO}  \n \n\nKurz.\r\n\r\n{COPIED}\n"
    spans = passages(text)
    assert [text[a:b] for a, b in spans] == [OWN_INTRO, COPIED]
    assert passages("Nur ein kurzer Satz.\n\nNoch einer.") == []
    assert [text[a:b] for a, b in passages(text, min_words=25)] == [COPIED]
    # hashtags, mentions and links are no words of the comparison
    assert passages("#a #b #c #d #e #f #g #h #i #j #k #l #m @x https://example.org/1 2 3") == []


def test_only_paragraphs_that_are_not_nearly_the_whole_post_get_entries() -> None:
    assert indexed_passages(COPIED) == []  # one paragraph: the whole post's entry covers it
    assert indexed_passages(f"{COPIED}\n\n#Werkstolz") == []
    assert len(indexed_passages(COLLEAGUE)) == 3  # "Was für eine Woche" is too short
    # a long paragraph holds most of the post: no entry of its own (the whole post's covers it)
    assert indexed_passages(f"{COPIED} {OWN_INTRO}\n\n{OWN_OUTRO}") == [shingles(OWN_OUTRO)]
    many = "\n\n".join(f"Absatz {i}: {OWN_INTRO}" for i in range(MAX_PASSAGES + 5))
    assert len(indexed_passages(many)) == MAX_PASSAGES


def test_the_rule_module_knows_the_index_floor() -> None:
    assert similarity_rule.PASSAGE_WORDS == PASSAGE_WORDS


def test_a_colleagues_paragraph_in_a_longer_draft_is_found(index_of) -> None:  # type: ignore[no-untyped-def]
    index = index_of([CorpusPost(COLLEAGUE, source="Anna, 2026-11-20"), CorpusPost(OWN_ON_THE_SAME_TOPIC)])
    whole = index.query(DRAFT)
    assert not whole or whole[0].similarity < 0.6  # why paragraphs need entries of their own
    found = query_passages(index, DRAFT)
    start = DRAFT.index("Wir haben")
    end = start + len(COPIED.replace("Wind", "Sturm"))
    assert [(m.start, m.end, m.post.source) for m in found] == [(start, end, "Anna, 2026-11-20")]
    assert found[0].post.similarity >= 0.9  # one word changed
    findings = similarity_findings(DRAFT, index, 0.6, 0.85, "de", passage_words=15)
    assert len(findings) == 1
    f = findings[0]
    assert (f.start, f.end, f.severity, f.category) == (start, end, Severity.ERROR, "originality")
    assert "Absatz" in f.message and "Anna, 2026-11-20" in f.message and "Was für eine Woche" in f.message
    assert similarity_findings(DRAFT, index, 0.6, 0.85, "de") == []  # passage_words 0: paragraphs not compared


def test_a_half_copied_paragraph_is_a_warning_and_the_draft_alone_is_found_too(index_of) -> None:  # type: ignore[no-untyped-def]
    index = index_of([CorpusPost(COLLEAGUE, source="Anna")])
    first = COPIED.split(". ")[0] + "."
    mixed = f"{first} Ich war selbst zwei Tage mit draußen und habe geholfen."
    half = f"{OWN_INTRO}\n\n{mixed}\n\nDanke!"
    findings = similarity_findings(half, index, 0.5, 0.85, "en", passage_words=15)
    assert [(f.severity, half[f.start : f.end]) for f in findings] == [(Severity.WARNING, mixed)]
    assert "This paragraph is 51% similar" in findings[0].message
    assert similarity_findings(half, index, 0.6, 0.85, "en", passage_words=15) == []
    # a draft that is just one paragraph of the colleague's post: the whole draft is one paragraph
    alone = similarity_findings(COPIED, index, 0.6, 0.85, "de", passage_words=15)
    assert [(f.start, f.end, f.severity) for f in alone] == [(0, len(COPIED), Severity.ERROR)]


def test_a_short_post_pasted_as_one_paragraph_is_found_by_its_whole_entry(index_of) -> None:  # type: ignore[no-untyped-def]
    short = f"{COPIED} #Glasfaser"
    index = index_of([CorpusPost(short, source="Ben")])
    draft = f"{OWN_INTRO}\n\n{COPIED}\n\n{OWN_OUTRO}"
    assert [m.post.source for m in query_passages(index, draft)] == ["Ben"]


def test_independent_paragraphs_on_the_same_topic_are_not_copies(index_of) -> None:  # type: ignore[no-untyped-def]
    index = index_of([CorpusPost(COLLEAGUE, source="Anna")])
    assert similarity_findings(OWN_ON_THE_SAME_TOPIC, index, 0.6, 0.85, "de", passage_words=15) == []
    assert all(m.post.similarity < 0.3 for m in query_passages(index, OWN_ON_THE_SAME_TOPIC))


def test_a_near_copy_of_the_whole_post_is_one_finding_not_one_per_paragraph(index_of) -> None:  # type: ignore[no-untyped-def]
    index = index_of([CorpusPost(COLLEAGUE, source="Anna")])
    findings = similarity_findings(COLLEAGUE.replace("klasse", "toll"), index, 0.6, 0.85, "de", passage_words=15)
    assert len(findings) == 1 and findings[0].start == 0


def test_a_left_out_post_gives_way_to_the_next_one_holding_the_paragraph(index_of) -> None:  # type: ignore[no-untyped-def]
    own = CorpusPost(f"{OWN_OUTRO}\n\n{COPIED}\n\nNoch ein paar Worte von mir zum Schluss, damit es zwei Absätze sind.")
    index = index_of([own, CorpusPost(COLLEAGUE, source="Anna")])
    found = similarity_findings(DRAFT, index, 0.6, 0.85, "de", exclude={own.post_id}, passage_words=15)
    assert len(found) == 1 and "Anna" in found[0].message and own.post_id not in found[0].message
    skipping = SkippingPostIndex(index, {"Anna"})
    copied_at = DRAFT.index("Wir haben")
    assert [m.post.post_id for m in query_passages(skipping, DRAFT) if m.start == copied_at] == [own.post_id]


def test_the_stored_index_removes_paragraph_entries_and_reindexes_an_older_scheme(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        index = StoredPostIndex(store)
        index.add_many([CorpusPost(COLLEAGUE, source="Anna")])
        rows = dict(store.conn.execute("SELECT band >= 32, count(*) FROM corpus_bands GROUP BY band >= 32").fetchall())
        assert rows == {0: 32, 1: 3 * 32}
        # a store indexed before paragraphs had entries: its scheme differs, the next build adds them
        store.conn.execute("DELETE FROM corpus_bands WHERE band >= 32")
        store.conn.execute("UPDATE meta SET value = 'older' WHERE key = 'corpus_index_scheme'")
        store.conn.commit()
        assert query_passages(StoredPostIndex(store, sync_on_query=False), DRAFT) == []
        StoredPostIndex(store).build()
        assert [m.post.source for m in query_passages(StoredPostIndex(store), DRAFT)] == ["Anna"]
        assert index.remove(CorpusPost(COLLEAGUE).post_id)
        assert store.conn.execute("SELECT count(*) FROM corpus_bands").fetchone()[0] == 0


def test_an_unchanged_paragraph_is_not_looked_up_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        index = StoredPostIndex(store)
        index.add_many([CorpusPost(COLLEAGUE, source="Anna")])
        asked: list[int] = []
        lookup = StoredPostIndex._passage_candidates

        def counted(self: StoredPostIndex, part: frozenset[str]) -> list[CorpusPost]:
            asked.append(len(part))
            return lookup(self, part)

        monkeypatch.setattr(StoredPostIndex, "_passage_candidates", counted)
        index.query_passages(DRAFT)
        assert len(asked) == 3
        typed = DRAFT.replace(OWN_OUTRO, OWN_OUTRO + " Danke euch allen")
        assert [m.post.source for m in index.query_passages(typed)] == ["Anna"]
        assert len(asked) == 4  # only the paragraph typed in
        index.add_many([CorpusPost("Ein ganz anderer Beitrag über das Wetter in Bonn und am Rhein heute.")])
        index.query_passages(typed)
        assert len(asked) == 7  # a new post: every paragraph is asked again


def test_the_checker_reports_the_paragraph_with_the_rules_id(tmp_path: Path) -> None:
    gs = load_guidelines()
    rule = next(r for r in gs.rules if r.type == "corpus_similarity")
    result = Checker(gs).check(DRAFT, "linkedin", corpus=InMemoryPostIndex([CorpusPost(COLLEAGUE, source="Anna")]))
    found = [f for f in result.findings if f.rule == rule.id]
    assert [(DRAFT[f.start : f.end], f.severity) for f in found] == [(COPIED.replace("Wind", "Sturm"), Severity.ERROR)]


def corpus_rule_with(tmp_path: Path, line: str) -> tuple[Path, Path]:
    """A guideline folder of the corpus_similarity fixture with ``line`` added to its rule (on line 9); the
    folder and the rule file."""
    folder = tmp_path / "g"
    shutil.copytree(Path(__file__).parent / "fixtures" / "rule_types" / "corpus_similarity", folder)
    rules = folder / "rules" / "corpus_similarity.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + f"    {line}\n", encoding="utf-8")
    return folder, rules


@pytest.mark.parametrize(
    ("value", "ok"),
    [(0, True), (12, True), (40, True), (11, False), (3, False), ('"15"', False), ("15.0", False), ("false", False)],
)
def test_passage_words_is_zero_or_at_least_the_index_floor(tmp_path: Path, value: int | str, ok: bool) -> None:
    from drafter.guidelines import GuidelineError

    folder, rules = corpus_rule_with(tmp_path, f"passage_words: {value}")
    if ok:
        rule = load_guidelines(folder).rules[0]
        assert isinstance(rule, CorpusSimilarityRule) and rule.passage_words == value
    else:
        with pytest.raises(GuidelineError) as caught:
            load_guidelines(folder)
        assert f"{rules}:9:" in str(caught.value) and "passage_words" in str(caught.value)


def test_module_constant_names_the_scheme() -> None:
    assert f"w{PASSAGE_WORDS}" in originality._index_scheme()


def test_a_draft_of_very_many_paragraphs_is_looked_up_only_in_its_first_ones(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        index = StoredPostIndex(store)
        index.add_many([CorpusPost(COLLEAGUE, source="Anna")])
        filler = [f"Absatz {i}: {OWN_INTRO}" for i in range(originality.MAX_DRAFT_PASSAGES)]
        early = "\n\n".join([COPIED, *filler])
        late = "\n\n".join([*filler, COPIED])
        assert [m.post.source for m in index.query_passages(early) if m.start == 0] == ["Anna"]
        assert not [m for m in index.query_passages(late) if late[m.start : m.end] == COPIED]


def test_a_dismissed_paragraph_warning_holds_for_those_words_only() -> None:
    """New-user probe: a paragraph warning dismissed at 62 % stayed dismissed while more of the colleague's
    paragraph was copied in (the dismissal followed the post, not the words)."""
    import datetime as dt

    from drafter.dismissals import apply, dismiss

    index = InMemoryPostIndex([CorpusPost(COLLEAGUE, source="Anna")])
    edited = COPIED.replace("Regen und Wind", "Schnee und Sturm").replace("jeden Abend", "oft")
    draft = f"{OWN_INTRO}\n\n{edited}\n\n{OWN_OUTRO}"
    (warning,) = similarity_findings(draft, index, 0.5, 0.85, "de", passage_words=15)
    assert warning.severity is Severity.WARNING and warning.match == edited
    dismissal = dismiss(warning, "Anna und ich haben das zusammen geschrieben", at=dt.datetime(2026, 12, 1))
    (kept,) = apply(similarity_findings(draft + " Danke!", index, 0.5, 0.85, "de", passage_words=15), [dismissal])[0]
    assert kept.dismissed  # another paragraph edited: the dismissal holds
    closer = draft.replace("oft", "jeden Abend")
    (back,) = apply(similarity_findings(closer, index, 0.5, 0.85, "de", passage_words=15), [dismissal])[0]
    assert back.dismissed is None  # the paragraph itself changed: asked again


def test_a_refused_dismissal_names_the_paragraph_or_the_message_never_a_post_id() -> None:
    """New-user probe: "Der Fehler „64633ae553b6f147“ lässt sich nicht verwerfen"."""
    import datetime as dt

    from drafter.dismissals import DismissalRefused, dismiss

    index = InMemoryPostIndex([CorpusPost(COLLEAGUE, source="Anna")])
    (paragraph,) = similarity_findings(DRAFT, index, 0.6, 0.85, "de", passage_words=15)
    (whole,) = similarity_findings(COLLEAGUE, index, 0.6, 0.85, "de", passage_words=15)
    for finding, named in ((paragraph, "„Wir haben in nur drei Wochen"), (whole, "„Dieser Beitrag ähnelt")):
        with pytest.raises(DismissalRefused) as refused:
            dismiss(finding, "weil", at=dt.datetime(2026, 12, 1))
        assert named in str(refused.value) and CorpusPost(COLLEAGUE).post_id not in str(refused.value)


@pytest.mark.parametrize(
    "blank",
    ["\n\u2800\n", "\n\u200b\n", "\r\n\r\n", "\r\r", "\u2029", "\n \u00a0\t\n", "\u2028\u2028"],
    ids=["braille-blank", "zero-width-space", "crlf", "cr", "paragraph-separator", "spaces", "line-separators"],
)
def test_empty_lines_kept_with_invisible_characters_still_part_paragraphs(index_of, blank: str) -> None:  # type: ignore[no-untyped-def]
    """Hostile probe: LinkedIn and Instagram posts keep empty lines with U+2800 or a zero-width space; such a
    line did not part paragraphs, and a copied paragraph went unseen on either side."""
    corpus_post = COLLEAGUE.replace("\n\n", blank)
    draft = f"{OWN_INTRO}{blank}{COPIED}{blank}{OWN_OUTRO}"
    index = index_of([CorpusPost(corpus_post, source="Anna")])
    found = [(draft[m.start : m.end], m.post.source) for m in query_passages(index, draft) if m.post.similarity > 0.9]
    assert found == [(COPIED, "Anna")]
    one_crlf = f"{OWN_INTRO}\r\n{COPIED}"  # a single line break parts no blocks (its lines count on their own)
    assert [one_crlf[a:b] for a, b in passages(one_crlf)] == [one_crlf, OWN_INTRO, COPIED]


def test_the_paragraphs_of_a_huge_draft_are_read_only_as_far_as_they_are_looked_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Hostile probe: a 10 MiB file of line breaks took 5 s and 744 MB in the paragraph scan alone, though
    only the first 100 paragraphs are looked up."""
    counted: list[str] = []
    word_count = originality.word_count

    def counting(text: str) -> int:
        counted.append(text)
        return word_count(text)

    monkeypatch.setattr(originality, "word_count", counting)
    huge = "eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf\n\n" * 200_000
    assert len(originality.draft_passages(huge)) == originality.MAX_DRAFT_PASSAGES
    assert len(counted) == originality.MAX_DRAFT_PASSAGES  # not one paragraph more was read


def test_a_warning_never_shows_the_errors_threshold() -> None:
    """New-user probe: a warning read "85 %" where 0.85 makes an error (0.849 rounded)."""
    from drafter.originality import _shown

    assert [_shown(x) for x in (0.849, 0.85, 0.5142, 1.0, 0.0)] == [0.84, 0.85, 0.51, 1.0, 0.0]


def test_paragraphs_parted_by_single_line_breaks_are_compared_line_by_line(index_of) -> None:  # type: ignore[no-untyped-def]
    """New-user probe: many LinkedIn posts part paragraphs with one line break; a colleague's paragraph
    pasted on a line of its own was not found (the block of all lines resembled it too little)."""
    more = (
        "Am Freitag kam dann noch der Bürgermeister vorbei und hat sich alles erklären lassen, mit Helm und Weste.\n"
        "Nächste Woche geht es in Vilich weiter, dort warten noch einmal tausend Haushalte auf ihren Anschluss.\n"
        "Wer Fragen zum eigenen Hausanschluss hat, kann mir gern schreiben oder im Shop in der Innenstadt fragen."
    )
    colleague = COLLEAGUE.replace("\n\n", "\n").replace("#Werkstolz", f"{more}\n#Werkstolz")
    assert len(indexed_passages(colleague)) >= 4  # its lines have entries of their own
    index = index_of([CorpusPost(colleague, source="Anna")])
    assert not index.query(COPIED) or index.query(COPIED)[0].similarity < 0.3  # the whole post: too far
    draft = f"{OWN_INTRO}\n{COPIED}\n{OWN_OUTRO}"
    found = similarity_findings(draft, index, 0.6, 0.85, "de", passage_words=15)
    assert [(draft[f.start : f.end], f.severity) for f in found] == [(COPIED, Severity.ERROR)]
    # three copied lines in a block of their own: each line is flagged, once
    lines = colleague.split("\n")[1:4]
    block = "\n".join(lines)
    draft = f"{OWN_INTRO}\n\n{block}\n\n{OWN_OUTRO}"
    found = similarity_findings(draft, index, 0.6, 0.85, "de", passage_words=15)
    assert sorted(draft[f.start : f.end] for f in found) == sorted(lines)
    # a copied paragraph written on two lines: one finding for the block, none for its line as well
    index = index_of([CorpusPost(COLLEAGUE, source="Anna")])
    two_lines = COPIED.replace("Wind. ", "Wind.\n")
    draft = f"{OWN_INTRO}\n\n{two_lines}\n\n{OWN_OUTRO}"
    found = similarity_findings(draft, index, 0.6, 0.85, "de", passage_words=15)
    assert [draft[f.start : f.end] for f in found] == [two_lines]


def test_a_line_copied_from_another_post_inside_a_flagged_block_is_its_own_finding(index_of) -> None:  # type: ignore[no-untyped-def]
    """Hostile probe: a block resembling post A at 71 % was flagged, and the line in it copied word for word
    from post B was dropped as "inside a flagged block": B went unnamed, and dismissing the warning hid both."""
    other = (
        "Wir haben heute den neuen Glasfaserknoten in Beuel feierlich in Betrieb genommen, mit allen vom Bau.\n\n"
        "Zuhören ist die halbe Lösung, und ein ehrliches Wort wirkt oft mehr als jede perfekte Formulierung.\n\n"
        "#Werkstolz"
    )
    copied_line = other.split("\n\n")[1]
    index = index_of([CorpusPost(COLLEAGUE, source="Anna"), CorpusPost(other, source="Ben")])
    block = f"{COPIED}\n{copied_line}"
    draft = f"{OWN_INTRO}\n\n{block}\n\n{OWN_OUTRO}"
    found = similarity_findings(draft, index, 0.6, 0.85, "de", passage_words=15)
    named = {draft[f.start : f.end]: ("Ben" in f.message, f.severity) for f in found}
    # each copied line is its own finding: the block (71 % like Anna's post) gives way to its line copied from
    # Anna's post whole (new-user probe: the block's warning stood for the line's 100 %)
    assert named == {COPIED: (False, Severity.ERROR), copied_line: (True, Severity.ERROR)}


# A disclaimer the way many ambassadors end their posts (≥ 15 words: compared as a paragraph of its own).
DISCLAIMER = (
    "Hinweis: Ich arbeite bei der Deutschen Telekom. Dieser Beitrag gibt meine persönliche Meinung wieder und "
    "ist keine offizielle Aussage meines Arbeitgebers."
)
NEW_BODY = (
    "Was für eine Woche: Wir haben in Dresden den ersten Glasfaser-Cluster angeschlossen, und ich durfte mit dem "
    "Bautrupp unterwegs sein. #Werkstolz"
)


def test_a_sign_off_of_ones_own_exports_is_no_copy_but_a_colleagues_paragraph_is(index_of) -> None:  # type: ignore[no-untyped-def]
    earlier = f"{OWN_INTRO}\n\n{DISCLAIMER}"
    own = CorpusPost(earlier, source=originality.export_source("a" * 32))
    draft = f"{NEW_BODY}\n\n{DISCLAIMER}"
    assert similarity_findings(draft, index_of([own]), 0.6, 0.85, "de", passage_words=15) == []
    # the same post imported as a colleague's: the paragraph is reported
    colleague = index_of([CorpusPost(earlier, source="Anna, 2026-11-20")])
    found = similarity_findings(draft, colleague, 0.6, 0.85, "de", passage_words=15)
    assert [(draft[f.start : f.end], f.severity) for f in found] == [(DISCLAIMER, Severity.ERROR)]
    # the whole draft close to an own export still is one (the same post twice)
    again = similarity_findings(earlier.replace("Bonn", "Köln"), index_of([own]), 0.6, 0.85, "de", passage_words=15)
    assert [f.start for f in again] == [0]


def test_boilerplate_paragraphs_are_left_out_of_both_comparisons(index_of, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    # two short posts that share only the disclaimer are similar as wholes (that finding names the post, so
    # the paragraph is not reported on its own)
    other = CorpusPost(
        f"Heute in Bonn zehntausend Haushalte angeschlossen, ein guter Tag.\n\n{DISCLAIMER}", source="Ben"
    )
    draft = f"Mein erster Tag im neuen Team in Dresden, viel gelernt.\n\n{DISCLAIMER}"
    index = index_of([other])
    plain = similarity_findings(draft, index, 0.4, 0.85, "de", passage_words=15)
    assert [(f.start, f.end) for f in plain] == [(0, len(draft))]
    # listed with other words around it (a boilerplate text matches as a near-copy would, at warning_at)
    listed = similarity_findings(
        draft, index, 0.4, 0.85, "de", passage_words=15, boilerplate=[f"{DISCLAIMER} Danke fürs Lesen!", "Other."]
    )
    assert listed == []
    # nor is it looked up: a disclaimer under tens of thousands of posts would make the slowest lookup of all
    asked: list[str] = []

    def spy(index: PostIndex, text: str, min_words: int = PASSAGE_WORDS) -> list[originality.PassageMatch]:
        asked.extend(text[a:b] for a, b in passages(text, min_words))
        return query_passages(index, text, min_words)

    monkeypatch.setattr(originality, "query_passages", spy)
    draft = f"{NEW_BODY} Und ein paar Worte mehr, damit der Absatz lang genug ist.\n\n{DISCLAIMER}"
    assert similarity_findings(draft, index, 0.4, 0.85, "de", passage_words=15, boilerplate=[DISCLAIMER]) == []
    assert asked and not any("Hinweis" in block for block in asked), asked
    # a paragraph only partly like the boilerplate is still compared
    mixed = (
        f"{NEW_BODY}\n\n{DISCLAIMER} Und außerdem war der Kaffee auf der Baustelle hervorragend, wie immer, und "
        "die Kolleginnen vom Tiefbau haben uns gezeigt, wie ein Hausanschluss in zwei Stunden gelegt wird."
    )
    spans = originality.boilerplate_spans(mixed, [DISCLAIMER], 0.6)
    left = originality._blanked(mixed, spans)
    assert "Kaffee auf der Baustelle" in left and "Hausanschluss" in left  # its own sentences stay
    assert "Arbeitgebers" not in left  # the disclaimer's sentences go, wherever they stand
    assert originality.boilerplate_spans(f"{NEW_BODY}\n\n{DISCLAIMER}", [DISCLAIMER], 0.6) == [
        (len(NEW_BODY) + 2, len(NEW_BODY) + 2 + len(DISCLAIMER))
    ]


def test_the_default_guidelines_list_boilerplate_and_the_checker_uses_it() -> None:
    gs = load_guidelines()
    rule = next(r for r in gs.rules if isinstance(r, CorpusSimilarityRule))
    assert rule.boilerplate  # the network's disclaimer, as an example for the core team
    draft = f"{NEW_BODY}\n\n{rule.boilerplate[0]}"
    corpus = InMemoryPostIndex([CorpusPost(f"{OWN_INTRO}\n\n{rule.boilerplate[0]}", source="Anna")])
    result = Checker(gs).check(draft, "linkedin", corpus=corpus)
    assert [f for f in result.findings if f.rule == rule.id] == []


@pytest.mark.parametrize(
    ("value", "ok"),
    [('["Ich arbeite bei der Telekom.", "Meine Meinung."]', True), ("[]", True)]
    + [
        (v, False)
        for v in ('[""]', "[15]", '"one text"', "[" + ", ".join(['"x"'] * 51) + "]", '["   "]', '["#Werkstolz 🚀"]')
    ],
)
def test_boilerplate_is_a_short_list_of_texts(tmp_path: Path, value: str, ok: bool) -> None:
    from drafter.guidelines import GuidelineError

    folder, rules = corpus_rule_with(tmp_path, f"boilerplate: {value}")
    if ok:
        rule = load_guidelines(folder).rules[0]
        assert isinstance(rule, CorpusSimilarityRule) and list(rule.boilerplate) == yaml.safe_load(value)
        return
    with pytest.raises(GuidelineError) as caught:
        load_guidelines(folder)
    said = str(caught.value)
    assert f"{rules}:9:" in said and "boilerplate" in said
    assert "tuple" not in said  # the library's word for a list (hostile probe)
    if "#" in value or "   " in value:
        assert "no words the comparison sees" in said


def test_a_copy_with_or_without_the_boilerplate_is_still_a_copy_as_a_whole(index_of) -> None:  # type: ignore[no-untyped-def]
    """Boilerplate is left out on both sides: a colleague's post copied with its disclaimer, or without it, is
    as close as the copy of a post without one (blanking only the draft's made a copy of body and disclaimer
    69 % similar: a warning, not an error)."""
    body = COPIED + " Ich bin wirklich stolz auf dieses Team und auf alles, was wir gemeinsam geschafft haben."
    index = index_of([CorpusPost(f"{body}\n\n{DISCLAIMER}", source="Anna")])
    for draft in (f"{body}\n\n{DISCLAIMER}", body):
        listed = similarity_findings(draft, index, 0.6, 0.85, "de", passage_words=15, boilerplate=[DISCLAIMER])
        assert [(f.start, f.severity) for f in listed] == [(0, Severity.ERROR)], (draft, listed)


# -- hostile probe of the boilerplate and own-export rules ------------------------------------------------
DISCLAIMER_EN = (
    "I work for Deutsche Telekom. The views in this post are my own, not an official statement of the company."
)


def test_a_short_copy_under_extra_disclaimers_is_still_found(index_of) -> None:  # type: ignore[no-untyped-def]
    """Looked up as written only, a 12-word post copied with two disclaimers under it was too unlike to come up."""
    short = "Drei Monate Ausbau in Siegburg sind geschafft. Danke an das ganze Team! #Werkstolz"
    index = index_of([CorpusPost(short, source="Anna")])
    draft = f"{short}\n\n{DISCLAIMER}\n\n{DISCLAIMER_EN}"
    found = similarity_findings(
        draft, index, 0.6, 0.85, "de", passage_words=15, boilerplate=[DISCLAIMER, DISCLAIMER_EN]
    )
    assert [(f.start, f.severity) for f in found] == [(0, Severity.ERROR)]


def test_lines_glued_above_the_disclaimer_are_not_hidden(index_of) -> None:  # type: ignore[no-untyped-def]
    """A copied sentence glued on the line above each disclaimer made every block mostly boilerplate: all of it
    was blanked, and the copy passed (hostile probe). Only the disclaimer lines are left out now."""
    s1 = "Zweitausend Haushalte in Beuel surfen jetzt mit Glasfaser, dank Tiefbau und Planung."
    s2 = "Die Kolleginnen haben bei Regen und Sturm jeden Abend länger gemacht, Respekt dafür."
    index = index_of([CorpusPost(f"{s1} {s2} #Werkstolz", source="Anna")])
    draft = f"{s1}\n{DISCLAIMER}\n\n{s2}\n{DISCLAIMER}"
    spans = originality.boilerplate_spans(draft, [DISCLAIMER], 0.6)
    assert [draft[a:b] for a, b in spans] == [DISCLAIMER, DISCLAIMER]  # the lines, not their blocks
    found = similarity_findings(draft, index, 0.6, 0.85, "de", passage_words=15, boilerplate=[DISCLAIMER])
    assert [(f.start, f.severity) for f in found] == [(0, Severity.ERROR)]


def test_boilerplate_after_many_short_lines_is_still_seen() -> None:
    draft = "\n".join(f"Punkt{i}" for i in range(150)) + f"\n\n{DISCLAIMER}"
    assert [draft[a:b] for a, b in originality.boilerplate_spans(draft, [DISCLAIMER], 0.6)] == [DISCLAIMER]


def test_an_import_never_reads_as_an_own_export(tmp_path: Path) -> None:
    from drafter.corpus import read_file

    folder = tmp_path / "export:team"
    folder.mkdir()
    (folder / "anna.txt").write_text(COLLEAGUE, encoding="utf-8")
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        (post,) = read_file(Path("export:team") / "anna.txt")
    finally:
        os.chdir(here)
    assert post.source.startswith("./export:team") and not originality.is_own_source(post.source)
    from drafter.team.index import TeamPost

    assert not originality.is_own_source(TeamPost("id", "export:x", "2026-11-30", COLLEAGUE).source)


@pytest.mark.parametrize("own_exports", [1, 3])
def test_own_exports_never_push_a_colleagues_post_out_of_a_paragraphs_matches(index_of, own_exports: int) -> None:  # type: ignore[no-untyped-def]
    """Hostile probe: three own exports holding the paragraph filled its three places, and the colleague's post
    holding it was never named. Own exports are kept besides the best three others."""
    own = [
        CorpusPost(
            f"Eigener Beitrag Nummer {i} über etwas ganz anderes.\n\n{COPIED}",
            source=originality.export_source(f"{i:032x}"),
        )
        for i in range(own_exports)
    ]
    index = index_of([*own, CorpusPost(COLLEAGUE, source="Anna")])
    draft = f"{OWN_INTRO}\n\n{COPIED}\n\n{OWN_OUTRO}"
    (found,) = similarity_findings(draft, index, 0.6, 0.85, "de", passage_words=15)
    assert draft[found.start : found.end] == COPIED and "Anna" in found.message


def test_a_line_copied_whole_under_ones_own_line_is_the_finding_not_its_block(index_of) -> None:  # type: ignore[no-untyped-def]
    """New-user probe: one's own line, one line break, a colleague's paragraph: the block was a 64 % warning (to
    be dismissed and exported), the line's 100 % unsaid."""
    index = index_of([CorpusPost(COLLEAGUE, source="Anna")])
    mine = "Gestern Abend habe ich gesehen, wie viel Arbeit in einem Anschluss steckt. 🔧"
    for draft in (f"{mine}\n{COPIED}", f"{COPIED}\n{mine}"):
        block = [m for m in query_passages(index, draft) if (m.start, m.end) == (0, len(draft))]
        assert block and 0.6 <= block[0].post.similarity < 0.85  # the block alone would be a warning
        (found,) = similarity_findings(draft, index, 0.6, 0.85, "de", passage_words=15)
        assert (draft[found.start : found.end], found.severity) == (COPIED, Severity.ERROR)


def test_a_paragraph_repeated_in_a_draft_is_looked_up_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        index = StoredPostIndex(store)
        index.add_many([CorpusPost(COLLEAGUE, source="Anna")])
        asked: list[frozenset[str]] = []
        candidates = index._passage_candidates
        monkeypatch.setattr(index, "_passage_candidates", lambda part: asked.append(part) or candidates(part))
        found = index.query_passages("\n\n".join([COPIED] * 50))
        assert len(asked) == 1 and len({(m.start, m.end) for m in found}) == 50


SIGN_OFF = (
    "Kurzer Hinweis von mir: Ich bin Netztechnikerin bei der Telekom in Bonn und schreibe hier privat über "
    "meinen Arbeitsalltag, die Meinung ist meine eigene."
)


def test_a_short_greeting_above_ones_own_sign_off_is_no_repost(index_of) -> None:  # type: ignore[no-untyped-def]
    """New-user probe: "Gute Nacht, Bonn!" above the author's 24-word sign-off read as a 90 % copy (an error)
    of their last such post. A sign-off found in two or more own exports is left out of the whole-draft
    measure too; the same post twice is still found, worded as a repost, not as a campaign."""

    def own(i: int, text: str) -> CorpusPost:
        return CorpusPost(text, source=originality.export_source(f"{i:032x}"))

    index = index_of(
        [
            own(1, f"Schönes Wochenende euch allen, wir sehen uns Montag! #Werkstolz\n\n{SIGN_OFF}"),
            own(2, f"Danke, Team, für diese Woche voller Glasfaser! #Werkstolz\n\n{SIGN_OFF}"),
        ]
    )
    draft = f"Gute Nacht, Bonn! Morgen geht es weiter. #Werkstolz\n\n{SIGN_OFF}"
    assert similarity_findings(draft, index, 0.6, 0.85, "de", passage_words=15) == []
    again = f"Danke, Team, für diese Woche voller Glasfaser! #Werkstolz #LoveMagenta\n\n{SIGN_OFF}"
    (repost,) = similarity_findings(again, index, 0.6, 0.85, "de", passage_words=15)
    assert repost.start == 0 and "deiner exportierten Beiträge" in repost.message and "Spam" in repost.message


def test_ones_own_posts_imported_with_own_are_treated_as_own_exports(tmp_path: Path) -> None:
    """New-user probe: on a new computer, the author's own exported posts imported into the corpus counted as a
    colleague's, and their sign-off became an error in every draft. ``corpus import --own`` says whose they are."""
    import subprocess
    import sys

    mine = tmp_path / "mine"
    mine.mkdir()
    for i, body in enumerate(["Schönes Wochenende euch allen, wir sehen uns Montag!", "Danke, Team, für diese Woche!"]):
        (mine / f"{i}.txt").write_text(f"{body} #Werkstolz\n\n{SIGN_OFF}", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text(
        f"Gute Nacht, Bonn! Morgen geht es mit dem Ausbau weiter. #Werkstolz\n\n{SIGN_OFF}", encoding="utf-8"
    )

    def run(home: str, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "DRAFTER_HOME": str(tmp_path / home)}
        return subprocess.run([sys.executable, "-m", "drafter", *args], env=env, capture_output=True, text=True)

    assert run("a", "corpus", "import", str(mine)).returncode == 0
    assert "originality.corpus" in run("a", "lint", str(draft)).stdout  # a colleague's paragraph
    # imported again with --own: the stored posts become the user's (it had no effect: new-user probe)
    again = run("a", "corpus", "import", "--own", str(mine))
    assert "2 already in the corpus, 2 of them now marked as yours" in again.stdout, again.stdout
    assert "originality" not in run("a", "lint", str(draft)).stdout
    assert run("b", "corpus", "import", "--own", str(mine)).returncode == 0
    lint = run("b", "lint", str(draft))
    assert "originality" not in lint.stdout, lint.stdout
    listed = run("b", "corpus", "list").stdout
    assert "yours, from " in listed and "export:" not in listed  # said in words (a new-user probe)


def test_a_copy_with_the_disclaimer_on_its_line_is_still_a_copy(index_of) -> None:  # type: ignore[no-untyped-def]
    """Hostile probe: a colleague's short post with the disclaimer after it on the same line was blanked whole
    as boilerplate (60 % like the disclaimer), and passed."""
    short = "Drei Monate Ausbau in Siegburg sind geschafft. Danke an das ganze Team! #Werkstolz"
    index = index_of([CorpusPost(short, source="Anna")])
    draft = f"{short} {DISCLAIMER}"
    left = originality._blanked(draft, originality.boilerplate_spans(draft, [DISCLAIMER], 0.6))
    # only the disclaimer is left out (a hashtag in its sentence goes with it: the comparison drops hashtags)
    assert left.startswith(short.removesuffix(" #Werkstolz")) and "Telekom" not in left and "Meinung" not in left
    found = similarity_findings(draft, index, 0.6, 0.85, "de", passage_words=15, boilerplate=[DISCLAIMER])
    assert [f.start for f in found] == [0] and found[0].severity is Severity.ERROR


def test_a_disclaimer_on_the_posts_last_line_is_left_out_as_one_in_a_paragraph_of_its_own(index_of) -> None:  # type: ignore[no-untyped-def]
    """Hostile probe: the colleague wrote the disclaimer on the line of their last sentence; the copy moved it into
    a paragraph of its own, which was blanked in the draft only: 69 %, a warning."""
    body = COPIED + " Ich bin wirklich stolz auf dieses Team und auf alles, was wir gemeinsam geschafft haben."
    index = index_of([CorpusPost(f"{body} {DISCLAIMER}", source="Anna")])
    draft = f"{body}\n\n{DISCLAIMER}"
    found = similarity_findings(draft, index, 0.6, 0.85, "de", passage_words=15, boilerplate=[DISCLAIMER])
    assert [(f.start, f.severity) for f in found] == [(0, Severity.ERROR)]
