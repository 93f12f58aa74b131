"""Near-duplicate detection: planted near-copies are found, unrelated posts on the same topic are not."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.findings import Severity
from drafter.originality import (
    LSH_PARAMS,
    CorpusPost,
    InMemoryPostIndex,
    PostIndex,
    StoredPostIndex,
    normalize,
    shingles,
    similarity,
    similarity_findings,
    word_count,
)
from drafter.store import Store

ORIGINAL = (
    "Heute habe ich in Bonn den ersten Glasfaser-Hausanschluss in unserer Straße gesehen. "
    "Das Team vom Tiefbau war seit sechs Uhr auf den Beinen und hat trotz Regen alles sauber verlegt. "
    "Ich bin beeindruckt, wie schnell das inzwischen geht. #Glasfaser #Netzausbau https://example.org/a"
)

# Posts on the same topic, written independently: they share vocabulary but are not copies.
SAME_TOPIC = [
    "Glasfaser in Bonn: Seit gestern surfen wir zu Hause mit einem Gigabit. Der Techniker kam pünktlich "
    "und hat den Anschluss in einer Stunde eingerichtet. #Glasfaser",
    "Wer baut eigentlich das Glasfasernetz? Ich war heute mit dem Tiefbau-Team in Bonn unterwegs und habe "
    "gelernt, wie viel Planung in jedem Meter Leerrohr steckt. #Netzausbau",
    "Regen, Matsch und trotzdem gute Laune: Unsere Kolleginnen im Tiefbau verlegen in Bonn gerade "
    "Glasfaser bis in die Häuser. Danke für euren Einsatz!",
    "Schnelles Internet für alle ist kein Selbstläufer. In unserer Straße in Bonn wird gerade gebaut, und "
    "ich freue mich schon auf den Hausanschluss. #Glasfaser #Bonn",
    "Today I watched the first fiber home connection in our street in Bonn being installed. "
    "Impressive how fast the civil works team was, despite the rain. #Fiber",
]


def word_changed(text: str) -> str:
    return text.replace("beeindruckt", "begeistert")


def reordered(text: str) -> str:
    body, tags = text.split(" #", 1)
    sentences = [s.strip() for s in body.split(". ") if s.strip()]
    return ". ".join(reversed(sentences)) + ". #" + tags


def hashtags_swapped(text: str) -> str:
    return text.replace("#Glasfaser #Netzausbau", "#Gigabit #Breitband #Heimat")


def test_normalisation_drops_urls_mentions_and_hashtags() -> None:
    sentences = normalize("Hallo @anna_b! Schau: https://x.y/z?q=1 #Glasfaser ist da. GROSS")
    assert sentences == [["hallo"], ["schau"], ["ist", "da"], ["gross"]]


def test_shingles_stay_within_sentences() -> None:
    assert shingles("a b c d. e f") == {"a b c", "b c d", "e f"}
    assert shingles("Eins zwei drei. Vier fünf sechs.") == shingles("Vier fünf sechs! Eins zwei drei")


@pytest.mark.parametrize("variant", [word_changed, reordered, hashtags_swapped])
def test_planted_near_copies_are_similar(variant: object) -> None:
    copy = variant(ORIGINAL)  # type: ignore[operator]
    assert copy != ORIGINAL
    assert similarity(copy, ORIGINAL) >= 0.6


def test_all_changes_at_once_still_count_as_a_copy() -> None:
    copy = hashtags_swapped(reordered(word_changed(ORIGINAL)))
    assert similarity(copy, ORIGINAL) >= 0.6


@pytest.mark.parametrize("other", SAME_TOPIC)
def test_unrelated_posts_on_the_same_topic_are_not_similar(other: str) -> None:
    assert similarity(other, ORIGINAL) < 0.2


def _corpus(extra: int = 300) -> list[CorpusPost]:
    """The original, the same-topic posts and filler posts built from a shared vocabulary."""
    rng = random.Random(5)
    words = [
        "Glasfaser",
        "Netz",
        "Team",
        "Kunden",
        "Ausbau",
        "Bonn",
        "Köln",
        "heute",
        "morgen",
        "schnell",
        "Anschluss",
        "Technik",
        "Zukunft",
        "Gigabit",
        "Straße",
        "Haus",
        "Arbeit",
        "Kolleginnen",
        "stolz",
        "freue",
        "mich",
        "wir",
        "ich",
        "und",
        "mit",
        "für",
        "in",
        "der",
        "die",
        "das",
    ]
    posts = [CorpusPost(text=ORIGINAL, source="anna.md")]
    posts += [CorpusPost(text=t, source=f"same/{i}.txt") for i, t in enumerate(SAME_TOPIC)]
    for i in range(extra):
        sentences = [" ".join(rng.choice(words) for _ in range(rng.randint(6, 12))) for _ in range(3)]
        posts.append(CorpusPost(text=". ".join(sentences) + ".", source=f"filler/{i}.txt"))
    return posts


def _indexes(tmp_path: Path) -> list[PostIndex]:
    memory = InMemoryPostIndex(_corpus())
    stored = StoredPostIndex(Store(tmp_path / "store.sqlite3"))
    stored.add_many(_corpus())
    return [memory, stored]


@pytest.mark.parametrize("kind", ["memory", "stored"])
@pytest.mark.parametrize("variant", [word_changed, reordered, hashtags_swapped])
def test_index_finds_the_original_of_a_near_copy(tmp_path: Path, kind: str, variant: object) -> None:
    index = _indexes(tmp_path)[0 if kind == "memory" else 1]
    results = index.query(variant(ORIGINAL), k=3)  # type: ignore[operator]
    assert results, "the near-copy was not found"
    assert results[0].source == "anna.md"
    assert results[0].similarity >= 0.6
    assert results[0].opening_words.startswith("Heute habe ich in Bonn")


@pytest.mark.parametrize("kind", ["memory", "stored"])
def test_index_does_not_flag_unrelated_posts_on_the_same_topic(tmp_path: Path, kind: str) -> None:
    index = _indexes(tmp_path)[0 if kind == "memory" else 1]
    query = (
        "Endlich ist auch bei meinen Eltern in Köln die Glasfaser angekommen. Mein Vater hat sofort einen "
        "Videoanruf gestartet, um es zu testen. #Glasfaser"
    )
    assert similarity_findings(query, index, warning_at=0.5, error_at=0.8, lang="de") == []
    assert all(r.similarity < 0.3 for r in index.query(query))


def test_findings_name_the_post_and_grade_by_similarity() -> None:
    index = InMemoryPostIndex(_corpus())
    exact = similarity_findings(ORIGINAL + " ", index, warning_at=0.5, error_at=0.8, lang="de")
    assert len(exact) == 1
    f = exact[0]
    assert f.category == "originality" and f.severity is Severity.ERROR
    assert "anna.md" in f.message and "Heute habe ich in Bonn" in f.message and "100 %" in f.message
    assert (f.start, f.end) == (0, len(ORIGINAL))
    copy = word_changed(ORIGINAL)
    sim = similarity(copy, ORIGINAL)
    warn = similarity_findings(copy, index, warning_at=0.5, error_at=sim + 0.01, lang="en")
    assert warn[0].severity is Severity.WARNING
    assert f"{round(sim * 100)}% similar" in warn[0].message


def test_findings_respect_exclude_and_short_drafts() -> None:
    index = InMemoryPostIndex(_corpus())
    original_id = CorpusPost(ORIGINAL).post_id
    assert similarity_findings(ORIGINAL, index, 0.5, 0.8, exclude={original_id}) == []
    short = InMemoryPostIndex([CorpusPost("Frohe Weihnachten euch allen")])
    assert similarity_findings("Frohe Weihnachten euch allen", short, 0.5, 0.8) == []


def test_in_memory_index_add_after_build_and_remove() -> None:
    index = InMemoryPostIndex(_corpus(extra=10))
    assert index.query("Ganz neuer Beitrag über etwas völlig anderes, mit vielen Wörtern hier.") == []
    late = CorpusPost("Ganz neuer Beitrag über etwas völlig anderes, mit vielen Wörtern hier.", source="late")
    index.add(late)
    index.add(late)  # idempotent
    assert len(index) == 1 + len(SAME_TOPIC) + 10 + 1
    assert index.query(late.text)[0].source == "late"
    assert index.remove(late.post_id)
    assert index.query(late.text) == []


def test_stored_index_persists_and_caches_signatures(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    with Store(path) as store:
        index = StoredPostIndex(store)
        added, present = index.add_many(_corpus(extra=20))
        assert (added, present) == (1 + len(SAME_TOPIC) + 20, 0)
        assert index.add_many([CorpusPost(ORIGINAL, source="again.md")]) == (0, 1)
        assert index.query(ORIGINAL)[0].source == "anna.md"
        cached = store.conn.execute("SELECT count(*) FROM corpus_posts WHERE signature IS NOT NULL").fetchone()
        assert cached[0] == added
    with Store(path) as store:  # a restart: signatures come from the table
        index = StoredPostIndex(store)
        assert index.query(word_changed(ORIGINAL))[0].source == "anna.md"
        other = StoredPostIndex(store)  # another writer adds a post after the build
        other.add(CorpusPost("Ein später Beitrag, den ein anderer Prozess hinzugefügt hat, heute.", source="late"))
        assert index.query("Ein später Beitrag, den ein anderer Prozess hinzugefügt hat, heute.")[0].source == "late"
        assert index.remove(CorpusPost(ORIGINAL).post_id)
        assert all(r.source != "anna.md" for r in index.query(ORIGINAL))
        assert index.stats()["posts"] == len(_corpus(extra=20))


def test_originality_module_imports_neither_datasketch_nor_numpy_at_import_time() -> None:
    import subprocess
    import sys

    code = "import sys, drafter.originality, drafter.corpus; print('datasketch' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_prepare_hashing_loads_numpy_with_one_blas_thread_unless_the_user_chose() -> None:
    import subprocess
    import sys

    code = (
        "import os, sys; from drafter.originality import prepare_hashing; prepare_hashing();"
        " print('numpy' in sys.modules, os.environ['OPENBLAS_NUM_THREADS'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.split() == ["True", "1"]
    env["OPENBLAS_NUM_THREADS"] = "3"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.split() == ["True", "3"]


def test_stored_index_is_empty_until_a_post_is_added_and_again_after_it_is_removed(tmp_path: Path) -> None:
    with Store(tmp_path / "store.sqlite3") as store:
        index = StoredPostIndex(store)
        assert index.is_empty()
        index.add(CorpusPost(ORIGINAL, source="anna.md"))
        assert not index.is_empty() and len(index) == 1
        assert index.remove(CorpusPost(ORIGINAL).post_id)
        assert index.is_empty()


def test_an_editor_index_finds_new_posts_at_once_and_never_writes_on_query(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Posts another process adds carry their band keys, so the next query finds them; with
    sync_on_query=False a query never hashes stored posts or writes: a post stored without band keys (by
    an older version) is found after the next build(), which the app runs in a thread."""
    from drafter.originality import CorpusPost, StoredPostIndex
    from drafter.store import Store

    path = tmp_path / "s.sqlite3"
    text = "Heute habe ich mit meinem Team in Bonn das neue Glasfasernetz eingeschaltet und bin stolz"
    editor_index = StoredPostIndex(Store(path), sync_on_query=False)
    editor_index.add(CorpusPost(text="Ein ganz anderer Beitrag über unser Sommerfest mit vielen Kollegen"))
    editor_index.build()
    StoredPostIndex(Store(path)).add(CorpusPost(text=text, source="other process"))
    assert [p.source for p in editor_index.query(text)] == ["other process"]
    old = "Ein Beitrag, den eine ältere Version ohne Bandschlüssel gespeichert hat, mit vielen Wörtern"
    with Store(path) as other:
        other.conn.execute(
            "INSERT INTO corpus_posts(id, source, text, added_at) VALUES ('old', 'older version', ?, 'x')", (old,)
        )
    assert editor_index.query(old) == []
    assert editor_index.store.conn.execute("SELECT count(*) FROM corpus_posts WHERE indexed = 0").fetchone()[0] == 1
    editor_index.build()
    assert [p.source for p in editor_index.query(old)] == ["older version"]


def test_signatures_equal_datasketch_affine32() -> None:
    """The numpy MinHash gives datasketch's values for SIGNATURE_SCHEME, so cached signatures stay valid."""
    import numpy as np
    from datasketch import MinHash

    from drafter.originality import NUM_PERM, SEED, signature, signatures

    texts = [ORIGINAL, *SAME_TOPIC, "", "zwei Wörter", "Ünïcödé ß — 🙂 emoji und mehr Wörter hier. Zweiter Satz!"]
    sets = [shingles(t) for t in texts]
    template = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32")
    batch = signatures(sets)
    assert batch.shape == (len(texts), NUM_PERM) and batch.dtype == np.uint32
    for shingle_set, ours in zip(sets, batch, strict=True):
        theirs = MinHash(num_perm=NUM_PERM, permutations=template.permutations, scheme="affine32")
        theirs.update_batch([s.encode("utf-8") for s in shingle_set])
        assert (np.asarray(theirs.hashvalues, dtype=np.uint32) == ours).all()
        assert (signature(shingle_set) == ours).all()


def test_stored_index_writes_band_keys_at_import_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import drafter.originality as originality

    monkeypatch.setattr(originality, "_BATCH", 4)
    bands = originality.LSH_PARAMS[0]
    with Store(tmp_path / "s.sqlite3") as store:
        index = StoredPostIndex(store, sync_on_query=False)
        posts = _corpus(extra=10)
        assert index.add_many(posts) == (len(posts), 0)
        conn = store.conn
        assert conn.execute("SELECT count(*) FROM corpus_bands").fetchone()[0] == bands * len(posts)
        assert conn.execute("SELECT count(DISTINCT post) FROM corpus_bands").fetchone()[0] == len(posts)
        assert conn.execute("SELECT count(*) FROM corpus_posts WHERE indexed = 0").fetchone()[0] == 0
        assert index.query(word_changed(ORIGINAL))[0].source == "anna.md"

        def failing() -> Iterator[CorpusPost]:
            for i in range(9):
                yield CorpusPost(f"Beitrag Nummer {i} über etwas ganz anderes mit Wörtern", source=f"x{i}")
            raise RuntimeError("the reader failed half-way")

        with pytest.raises(RuntimeError):
            index.add_many(failing())
        assert len(index) == len(posts)  # all or nothing, band keys included
        assert conn.execute("SELECT count(*) FROM corpus_bands").fetchone()[0] == bands * len(posts)


def test_a_store_of_the_previous_layout_is_migrated_and_indexed(tmp_path: Path) -> None:
    """A store written before the band table (user_version 30, signatures cached or not) opens, keeps its
    posts and ids, and its first build indexes them; a changed scheme is indexed again."""
    import sqlite3

    path = tmp_path / "old.sqlite3"
    from drafter.store import MIGRATIONS

    old = sqlite3.connect(path)
    for version, script in MIGRATIONS:  # the schema as it was at step 30 (later steps run on opening)
        if version <= 30:
            old.executescript(script)
    old.execute("PRAGMA user_version = 30")
    corpus = _corpus(extra=5)
    for i, post in enumerate(corpus):
        old.execute(
            "INSERT INTO corpus_posts(id, source, text, added_at, signature, signature_scheme)"
            " VALUES (?, ?, ?, 'then', ?, ?)",
            (post.post_id, post.source, post.text, b"\0" * 7 if i % 2 else None, "old-scheme"),
        )
    old.commit()
    old.close()
    with Store(path) as store:
        index = StoredPostIndex(store, sync_on_query=False)
        assert len(index) == len(corpus) and index.get(corpus[0].post_id) == corpus[0]
        assert index.query(ORIGINAL) == []  # not indexed yet: a read-only query does not hash
        index.build()
        assert index.query(word_changed(ORIGINAL))[0].source == "anna.md"
        conn = store.conn
        bands = conn.execute("SELECT count(*) FROM corpus_bands").fetchone()[0]
        assert bands == len(corpus) * LSH_PARAMS[0]
        # another band or signature scheme: the keys are recomputed by the next build
        store.set_meta("corpus_index_scheme", "affine32/p128/s1/w3/n1;mix64/v0;b32r4")
        conn.execute("UPDATE corpus_bands SET key = key + 1")
        assert index.query(reordered(ORIGINAL)) == []
        index.build()
        assert index.query(reordered(ORIGINAL))[0].source == "anna.md"
        assert conn.execute("SELECT count(*) FROM corpus_bands").fetchone()[0] == bands


def test_stored_index_answers_a_repeated_query_again_until_it_adds_or_removes(tmp_path: Path) -> None:
    """A draft checked for three channels asks the same query three times: the last answer is reused,
    but never after this index added or removed a post."""
    index = StoredPostIndex(Store(tmp_path / "s.sqlite3"), sync_on_query=False)
    index.add_many(_corpus())
    text = "Ein später Beitrag über das Sommerfest, den jemand anderes geschrieben hat, heute Abend."
    assert index.query(text) == [] and index.query(text) == []
    index.add(CorpusPost(text, source="late"))
    assert [r.source for r in index.query(text)] == ["late"]
    assert index.query(text) == index.query(text)
    assert index.remove(CorpusPost(text).post_id)
    assert index.query(text) == []


_PIECES = st.sampled_from(
    [
        *("\n", "\r\n", ". ", "! ", " - ", " – ", "…", ";", ": ", " ", "  ", "\u2028", "\u00a0", "\u200b"),
        *("#tag ", "@name ", "https://example.org/a.b ", "www.x.de\n", "e\u0301", "\uff21\uff22", "ﬁ", "Straße "),
        *("Glasfaser ", "wir ", "bauen ", "aus ", "stolz ", "don’t ", "geht's ", "42 ", "_", "A"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_shingles_and_word_count_line_by_line_equal_the_whole_text(text: str) -> None:
    # shingles and word_count work (and cache) line by line, so a keystroke renormalises only its line;
    # the result must be what normalising the whole text at once gives
    sentences = normalize(text)
    expected: set[str] = set()
    for tokens in sentences:
        if len(tokens) < 3:
            expected.add(" ".join(tokens))
        else:
            expected.update(" ".join(tokens[i : i + 3]) for i in range(len(tokens) - 2))
    assert shingles(text) == frozenset(expected)
    assert word_count(text) == sum(len(tokens) for tokens in sentences)
