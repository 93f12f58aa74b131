"""Near-duplicate detection: planted near-copies are found, unrelated posts on the same topic are not."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from drafter.findings import Severity
from drafter.originality import (
    CorpusPost,
    InMemoryPostIndex,
    PostIndex,
    StoredPostIndex,
    normalize,
    shingles,
    similarity,
    similarity_findings,
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


def test_originality_module_does_not_import_datasketch_at_import_time() -> None:
    import subprocess
    import sys

    code = "import sys, drafter.originality, drafter.corpus; print('datasketch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_an_editor_index_does_not_sync_on_query(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """With sync_on_query=False a query never hashes or writes: posts another process adds appear after
    the next build(), which the app runs in a thread."""
    from drafter.originality import CorpusPost, StoredPostIndex
    from drafter.store import Store

    path = tmp_path / "s.sqlite3"
    text = "Heute habe ich mit meinem Team in Bonn das neue Glasfasernetz eingeschaltet und bin stolz"
    editor_index = StoredPostIndex(Store(path), sync_on_query=False)
    editor_index.add(CorpusPost(text="Ein ganz anderer Beitrag über unser Sommerfest mit vielen Kollegen"))
    editor_index.build()
    StoredPostIndex(Store(path)).add(CorpusPost(text=text, source="other process"))
    assert editor_index.query(text) == []
    editor_index.build()
    assert [p.source for p in editor_index.query(text)] == ["other process"]
