"""Near-duplicate detection of a draft against a corpus of posts.

Pipeline: normalise (NFKC, case-fold; URLs, @mentions and #hashtags dropped — swapping hashtags
does not make a copy original), split into sentences, take word 3-grams *within* each sentence
(so reordering sentences changes nothing), MinHash the shingle set (datasketch, 128 permutations)
and find candidates with MinHash LSH; confirm and rank candidates by the exact Jaccard similarity of
the shingle sets. The reported similarity is that exact Jaccard value (0.0–1.0).

Calibration (``benchmarks/originality_bench.py``, 100,000 generated posts): planted copies with a
word changed, sentences reordered and/or hashtags swapped keep a similarity of 0.57–1.0 (5th
percentile 0.76); an unrelated post on the same topic usually has no match above the candidate
floor at all, and its closest match scores 0.44 at the 99th percentile. Guideline data sets the
thresholds: ``warning_at`` 0.6 found 99.9 % of the copies with no false positive; 0.5 found all of
them with 0.7 % false positives.

The index sits behind :class:`PostIndex` so that a shared team database can replace the local one.
``datasketch`` costs about half a second to import and is imported only when an index is built.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from drafter.findings import Finding, Severity
from drafter.i18n import format_percent, t
from drafter.text_input import WORD

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from drafter.store import Store

NUM_PERM = 128
SEED = 20261127
LSH_PARAMS = (32, 4)
"""LSH bands × rows (b × r ≤ NUM_PERM). A pair with Jaccard similarity s becomes a candidate with
probability 1 − (1 − s^r)^b: 0.87 at s = 0.5, 0.99 at 0.6 and 0.05 at 0.2, so near-copies are found
while the many weakly related posts on the same topic are rarely even looked at."""
EXACT_CANDIDATES = 10
"""At most this many candidates (best MinHash estimate first) are confirmed with the exact measure."""
MIN_ESTIMATE = 0.25
"""Candidates whose MinHash estimate is below this are dropped unconfirmed. With 128 permutations the
estimate's standard error is at most 0.045, so a post of true similarity 0.5 falls below 0.25 with a
probability of about 1e-8; the many weak candidates of an original draft cost nothing to confirm."""
SHINGLE_SIZE = 3
MIN_WORDS = 6
"""Drafts with fewer words are not compared: a few words prove no copy."""
OPENING_WORDS = 8
SIGNATURE_SCHEME = f"affine32/p{NUM_PERM}/s{SEED}/w{SHINGLE_SIZE}/n1"
"""Names everything a cached signature depends on; cached signatures of another scheme are recomputed."""

# URLs, @mentions and #hashtags, removed in one pass
_NOISE = re.compile(r"(?:https?://|www\.)\S+|(?<![\w@])@[\w.]+|(?<![\w#&])#\w+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…;:\n]+|\s[-–—]\s")


# -- normalisation and shingles -------------------------------------------------------------------------


def normalize(text: str) -> list[list[str]]:
    """The text's sentences as lists of case-folded words, without URLs, mentions and hashtags."""
    text = _NOISE.sub(" ", unicodedata.normalize("NFKC", text)).casefold()
    findall = WORD.findall
    return [tokens for part in _SENTENCE_END.split(text) if (tokens := findall(part))]


def word_count(text: str) -> int:
    return sum(len(s) for s in normalize(text))


@lru_cache(maxsize=8192)
def shingles(text: str) -> frozenset[str]:
    """Word 3-grams within sentences; a sentence shorter than 3 words is one shingle.

    Cached: the same corpus posts come up as candidates again and again while a draft is typed.
    """
    out: set[str] = set()
    for tokens in normalize(text):
        if len(tokens) < SHINGLE_SIZE:
            out.add(" ".join(tokens))
        else:
            out.update(" ".join(tokens[i : i + SHINGLE_SIZE]) for i in range(len(tokens) - SHINGLE_SIZE + 1))
    return frozenset(out)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def similarity(a: str, b: str) -> float:
    """The exact similarity used to confirm and rank near-duplicates (Jaccard of shingle sets)."""
    return jaccard(shingles(a), shingles(b))


def content_hash(text: str) -> str:
    """Identity of a post's content: whitespace runs collapsed, NFC; used to import idempotently."""
    canonical = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def opening_words(text: str, n: int = OPENING_WORDS) -> str:
    words = text.split()
    head = " ".join(words[:n])
    return head + (" …" if len(words) > n else "")


# -- posts and results ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CorpusPost:
    """A post in the corpus. ``post_id`` defaults to the first 16 hex digits of its content hash."""

    text: str
    source: str = ""
    post_id: str = ""
    channel: str | None = None
    brief_id: str | None = None

    def __post_init__(self) -> None:
        if not self.post_id:
            object.__setattr__(self, "post_id", content_hash(self.text)[:16])

    @property
    def opening_words(self) -> str:
        return opening_words(self.text)


@dataclass(frozen=True, slots=True)
class SimilarPost:
    post_id: str
    source: str
    opening_words: str
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "post_id": self.post_id,
            "source": self.source,
            "opening_words": self.opening_words,
            "similarity": round(self.similarity, 4),
        }


class PostIndex(Protocol):
    """A searchable corpus of posts (local, or later a team database)."""

    def add(self, post: CorpusPost) -> None: ...

    def query(self, text: str, k: int = 5) -> list[SimilarPost]: ...


class SkippingPostIndex:
    """A view of another index that leaves out some posts, e.g. the draft's own earlier exports, so a
    draft is never flagged as a copy of itself."""

    def __init__(self, index: PostIndex, skip_sources: Collection[str]) -> None:
        self.index = index
        self.skip_sources = frozenset(skip_sources)

    def add(self, post: CorpusPost) -> None:
        self.index.add(post)

    def query(self, text: str, k: int = 5) -> list[SimilarPost]:
        found = self.index.query(text, k + 10)
        return [p for p in found if p.source not in self.skip_sources][:k]


def export_source(draft_id: str) -> str:
    """The corpus ``source`` of a post exported from the app's draft ``draft_id``."""
    return f"export:{draft_id}"


def _display_source(source: str, lang: str) -> str:
    """How a finding names a corpus post's source: "export:<id>" reads as the user's own export."""
    if source.startswith("export:"):
        return t("core.originality.own_export", "de" if lang == "de" else "en")
    return source


# -- MinHash / LSH engine -------------------------------------------------------------------------------


class _Signature:
    """A cached MinHash signature: all that the LSH table reads of a MinHash (cheaper to create)."""

    __slots__ = ("hashvalues",)
    scheme = "affine32"

    def __init__(self, hashvalues: np.ndarray) -> None:
        self.hashvalues = hashvalues

    def __len__(self) -> int:
        return len(self.hashvalues)


class _Engine:
    """MinHash signatures, an LSH table and a signature matrix; datasketch is imported on creation.

    LSH keys are dense slots; ``keys[slot]`` is the caller's key. Candidates are pre-ranked by the
    MinHash estimate (vectorised over the signature matrix) so that only the best
    :data:`EXACT_CANDIDATES` are confirmed with the exact measure.
    """

    def __init__(self, num_perm: int = NUM_PERM, params: tuple[int, int] = LSH_PARAMS) -> None:
        import numpy as np
        from datasketch import MinHash, MinHashLSH

        self._np = np
        self._MinHash = MinHash
        self.num_perm = num_perm
        template = MinHash(num_perm=num_perm, seed=SEED, scheme="affine32")
        self._permutations = template.permutations
        self.lsh = MinHashLSH(num_perm=num_perm, params=params)
        self._sigs = np.zeros((1024, num_perm), dtype=np.uint32)
        self.keys: list[int] = []
        self.slot_of: dict[int, int] = {}

    def minhash(self, shingle_set: Iterable[str]) -> Any:
        m = self._MinHash(num_perm=self.num_perm, permutations=self._permutations, scheme="affine32")
        m.update_batch([s.encode("utf-8") for s in shingle_set])
        return m

    def from_signature(self, signature: np.ndarray) -> _Signature:
        return _Signature(signature)

    def _slot(self, key: int, m: Any) -> int:
        slot = len(self.keys)
        if slot >= len(self._sigs):
            grown = self._np.zeros((2 * len(self._sigs), self.num_perm), dtype=self._np.uint32)
            grown[: len(self._sigs)] = self._sigs
            self._sigs = grown
        self._sigs[slot] = m.hashvalues
        self.keys.append(key)
        self.slot_of[key] = slot
        return slot

    def insert_many(self, items: Iterable[tuple[int, Any]]) -> None:
        with self.lsh.insertion_session() as session:
            for key, m in items:
                session.insert(self._slot(key, m), m, check_duplication=False)

    def insert(self, key: int, m: Any) -> None:
        self.lsh.insert(self._slot(key, m), m, check_duplication=False)

    def remove(self, key: int) -> None:
        slot = self.slot_of.pop(key, None)
        if slot is not None:
            self.lsh.remove(slot)

    def candidates(self, m: Any) -> list[int]:
        """Caller keys of the LSH candidates, best MinHash estimate first, at most EXACT_CANDIDATES."""
        np = self._np
        slots = np.fromiter(self.lsh.query(m), dtype=np.int64)
        if not len(slots):
            return []
        agree = (self._sigs[slots] == np.asarray(m.hashvalues, dtype=np.uint32)).sum(axis=1)
        keep = agree >= MIN_ESTIMATE * self.num_perm
        slots, agree = slots[keep], agree[keep]
        if len(slots) > EXACT_CANDIDATES:
            slots = slots[np.argpartition(-agree, EXACT_CANDIDATES)[:EXACT_CANDIDATES]]
        return [self.keys[int(slot)] for slot in slots]


def _rank(
    query_shingles: frozenset[str],
    candidates: Iterable[tuple[CorpusPost, frozenset[str]]],
    k: int,
) -> list[SimilarPost]:
    scored = []
    for post, post_shingles in candidates:
        sim = jaccard(query_shingles, post_shingles)
        if sim > 0:
            scored.append(SimilarPost(post.post_id, post.source, post.opening_words, sim))
    return heapq.nlargest(k, scored, key=lambda s: (s.similarity, s.post_id))


class InMemoryPostIndex:
    """A corpus held in memory; the LSH table is built on the first query."""

    def __init__(self, posts: Iterable[CorpusPost] = ()) -> None:
        self._posts: list[CorpusPost] = []
        self._by_id: dict[str, int] = {}
        self._engine: _Engine | None = None
        self._lock = threading.Lock()
        for post in posts:
            self.add(post)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[CorpusPost]:
        return (self._posts[i] for i in self._by_id.values())

    def __contains__(self, post_id: object) -> bool:
        return post_id in self._by_id

    def add(self, post: CorpusPost) -> None:
        """Add a post; a post with an id already present is ignored."""
        with self._lock:
            if post.post_id in self._by_id:
                return
            key = len(self._posts)
            self._posts.append(post)
            self._by_id[post.post_id] = key
            if self._engine is not None:
                self._engine.insert(key, self._engine.minhash(shingles(post.text)))

    def remove(self, post_id: str) -> bool:
        with self._lock:
            key = self._by_id.pop(post_id, None)
            if key is None:
                return False
            if self._engine is not None:
                self._engine.remove(key)
            return True

    def build(self) -> None:
        """Build the LSH table now (the first :meth:`query` does it otherwise)."""
        with self._lock:
            self._ensure_engine()

    def _ensure_engine(self) -> _Engine:
        if self._engine is None:
            engine = _Engine()
            engine.insert_many((key, engine.minhash(shingles(self._posts[key].text))) for key in self._by_id.values())
            self._engine = engine
        return self._engine

    def query(self, text: str, k: int = 5) -> list[SimilarPost]:
        """The ``k`` most similar posts among the LSH candidates, most similar first."""
        query_shingles = shingles(text)
        if not query_shingles or k <= 0:
            return []
        with self._lock:
            engine = self._ensure_engine()
            keys = engine.candidates(engine.minhash(query_shingles))
            posts = [self._posts[key] for key in keys]
        return _rank(query_shingles, ((p, shingles(p.text)) for p in posts), k)


class StoredPostIndex:
    """The corpus in the SQLite store (table ``corpus_posts``); the LSH table is built on first query.

    MinHash signatures are cached in the table, so later builds skip the hashing. Posts added by
    another process after the build are picked up by the next query (new rows are checked by rowid).
    """

    def __init__(self, store: Store, *, sync_on_query: bool = True) -> None:
        """``sync_on_query=False``: queries use the index as last built and never touch the store (an
        editor calls :meth:`build` in the background instead, so a keystroke never waits for hashing
        posts that another process just imported)."""
        self.store = store
        self.sync_on_query = sync_on_query
        self._engine: _Engine | None = None
        self._meta: dict[int, CorpusPost] = {}  # rowid -> post
        self._last_rowid = 0
        self._lock = threading.Lock()

    # -- writing --------------------------------------------------------------------------------
    def add(self, post: CorpusPost) -> None:
        """Add a post (ignored when a post with the same id exists)."""
        self.add_many([post])

    def add_many(self, posts: Iterable[CorpusPost], *, added_at: str | None = None) -> tuple[int, int]:
        """Add posts in one transaction; returns ``(added, already_present)``."""
        import datetime as dt

        stamp = added_at or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        added = present = 0
        with self.store.transaction() as conn:
            for post in posts:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO corpus_posts(id, source, channel, brief_id, text, added_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (post.post_id, post.source, post.channel, post.brief_id, post.text, stamp),
                )
                if cur.rowcount:
                    added += 1
                else:
                    present += 1
        return added, present

    def remove(self, post_id: str) -> bool:
        with self._lock:
            row = self.store.conn.execute("SELECT rowid FROM corpus_posts WHERE id = ?", (post_id,)).fetchone()
            if row is None:
                return False
            with self.store.transaction() as conn:
                conn.execute("DELETE FROM corpus_posts WHERE id = ?", (post_id,))
            rowid = int(row[0])
            if self._engine is not None and rowid in self._meta:
                self._engine.remove(rowid)
                del self._meta[rowid]
            return True

    # -- reading --------------------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self.store.conn.execute("SELECT count(*) FROM corpus_posts").fetchone()[0])

    def get(self, post_id: str) -> CorpusPost | None:
        row = self.store.conn.execute(
            "SELECT id, source, channel, brief_id, text FROM corpus_posts WHERE id = ?", (post_id,)
        ).fetchone()
        return None if row is None else _post_from_row(row)

    def posts(self, limit: int | None = None, offset: int = 0) -> list[CorpusPost]:
        rows = self.store.conn.execute(
            "SELECT id, source, channel, brief_id, text FROM corpus_posts ORDER BY rowid LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        ).fetchall()
        return [_post_from_row(r) for r in rows]

    def stats(self) -> dict[str, Any]:
        conn = self.store.conn
        total, words, first, last = conn.execute(
            "SELECT count(*), coalesce(sum(length(text)), 0), min(added_at), max(added_at) FROM corpus_posts"
        ).fetchone()
        channels = {
            (r[0] or ""): int(r[1])
            for r in conn.execute("SELECT channel, count(*) FROM corpus_posts GROUP BY channel ORDER BY 2 DESC")
        }
        sources = int(
            conn.execute(
                "SELECT count(DISTINCT CASE WHEN instr(source, '#') > 0"
                " THEN substr(source, 1, instr(source, '#') - 1) ELSE source END) FROM corpus_posts"
            ).fetchone()[0]
        )
        return {
            "posts": int(total),
            "characters": int(words),
            "sources": sources,
            "channels": channels,
            "first_added": first,
            "last_added": last,
        }

    # -- the LSH index --------------------------------------------------------------------------
    def build(self) -> None:
        """Build (or bring up to date) the LSH table now; the first :meth:`query` does it otherwise."""
        with self._lock:
            self._sync()

    def _sync(self) -> _Engine:
        import numpy as np

        if self._engine is None:
            self._engine = _Engine()
        engine = self._engine
        rows = self.store.conn.execute(
            "SELECT rowid, id, source, channel, brief_id, text, signature, signature_scheme"
            " FROM corpus_posts WHERE rowid > ? ORDER BY rowid",
            (self._last_rowid,),
        ).fetchall()
        if not rows:
            return engine
        items = []
        fresh: list[tuple[bytes, str, int]] = []
        for row in rows:
            rowid = int(row["rowid"])
            post = _post_from_row(row)
            self._meta[rowid] = post
            blob = row["signature"]
            if blob is not None and row["signature_scheme"] == SIGNATURE_SCHEME and len(blob) == 4 * NUM_PERM:
                m = engine.from_signature(np.frombuffer(blob, dtype=np.uint32).copy())
            else:
                m = engine.minhash(shingles(post.text))
                fresh.append((np.asarray(m.hashvalues, dtype=np.uint32).tobytes(), SIGNATURE_SCHEME, rowid))
            items.append((rowid, m))
        engine.insert_many(items)
        self._last_rowid = int(rows[-1]["rowid"])
        if fresh:
            try:
                with self.store.transaction() as conn:
                    conn.executemany(
                        "UPDATE corpus_posts SET signature = ?, signature_scheme = ? WHERE rowid = ?", fresh
                    )
            except sqlite3.Error:
                pass  # a read-only or busy store only loses the cache, never the query
        return engine

    def query(self, text: str, k: int = 5) -> list[SimilarPost]:
        query_shingles = shingles(text)
        if not query_shingles or k <= 0:
            return []
        with self._lock:
            engine = self._sync() if self.sync_on_query or self._engine is None else self._engine
            keys = engine.candidates(engine.minhash(query_shingles))
            posts = [self._meta[key] for key in keys if key in self._meta]
        return _rank(query_shingles, ((p, shingles(p.text)) for p in posts), k)


def _post_from_row(row: Any) -> CorpusPost:
    return CorpusPost(
        text=row["text"],
        source=row["source"],
        post_id=row["id"],
        channel=row["channel"],
        brief_id=row["brief_id"],
    )


# -- findings -------------------------------------------------------------------------------------------


def similarity_findings(
    text: str,
    index: PostIndex,
    warning_at: float,
    error_at: float,
    lang: str = "de",
    *,
    rule: str = "corpus_similarity",
    exclude: Collection[str] = (),
) -> list[Finding]:
    """A finding (category ``originality``) when the draft resembles a corpus post.

    Warning from ``warning_at``, error from ``error_at`` (similarities 0.0–1.0). The finding names
    the most similar post (its source and opening words) and spans the whole draft. Posts whose
    id is in ``exclude`` (e.g. this draft's own earlier export) are ignored. Drafts of fewer than
    :data:`MIN_WORDS` words are not compared.
    """
    if not text.strip() or word_count(text) < MIN_WORDS:
        return []
    matches = [m for m in index.query(text, k=5 + len(exclude)) if m.post_id not in exclude]
    hits = [m for m in matches if m.similarity >= warning_at]
    if not hits:
        return []
    best = hits[0]
    key = "de" if lang == "de" else "en"
    pct = format_percent(best.similarity, key)
    more = t("core.originality.more", key, n=len(hits) - 1) if len(hits) > 1 else ""
    source = _display_source(best.source, key) or best.post_id
    message = t("core.originality.similar", key, pct=pct, source=source, opening=best.opening_words, more=more)
    end = len(text.rstrip())
    start = len(text) - len(text.lstrip())
    return [
        Finding(
            rule=rule,
            category="originality",
            severity=Severity.ERROR if best.similarity >= error_at else Severity.WARNING,
            message=message,
            start=min(start, end),
            end=end,
            why=t("core.originality.why", key),
            match=best.post_id,
        )
    ]
