"""Originality against the team's published posts: a :class:`~drafter.originality.PostIndex` over
PostgreSQL.

The candidate search runs in the database: the draft's LSH band keys (:mod:`drafter.lsh_bands`) are
looked up in the indexed ``post_bands`` table and the posts sharing the most bands come back with their
signatures; the client drops those whose MinHash estimate is too low and confirms the best few with the
exact similarity (the same measure and thresholds as the local index). A hit names the colleague's post
by author and date (``source``) and its opening words. The user's own posts are left out: they are in
the local corpus already.

The index never makes a caller wait longer than ``wait`` seconds. With ``wait=0`` (the app, on every
keystroke) a query answers at once from the candidates of the last completed lookup, re-scored exactly
against the current text, and starts a fresh lookup in the background; a slow or dead server therefore
costs a keystroke nothing, and the findings catch up with the next one. With ``wait>0`` (commands) the
query waits that long for the server, then goes on without it (:attr:`last_error` says why).

Paragraphs (:meth:`TeamPostIndex.query_passages`): each paragraph of the draft is looked up with its
whole-post and its paragraph band keys (schema version 4 stores posts' paragraph entries in the same
table, in a key space of their own), all paragraphs in one round trip; the candidates of each
paragraph are confirmed with the exact measure, as the local index confirms them
(:func:`~drafter.originality.best_passages`). A paragraph looked up in the last
:data:`PASSAGE_MEMO_SECONDS` is answered from memory, so a keystroke looks up only the paragraph it
changed; the same never-wait rules apply.
"""

from __future__ import annotations

import heapq
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from drafter.originality import (
    LSH_PARAMS,
    MIN_ESTIMATE,
    NUM_PERM,
    PASSAGE_FIRST_BAND,
    PASSAGE_WORDS,
    CorpusPost,
    PassageMatch,
    SimilarPost,
    best_passages,
    draft_passages,
    foreign_source,
    jaccard,
    kept_matches,
    opening_words,
    query_passages,
    shingles,
)
from drafter.team.db import connect, explain
from drafter.team.signatures import BANDS, from_bytes, keys, signature

_T = TypeVar("_T")

BAND_CANDIDATES = 20
"""Posts sharing the most bands with the draft that the database returns for confirmation."""
RETRY_AFTER = 30.0
"""Seconds before a failed server is tried again."""
STATEMENT_TIMEOUT_MS = 2000
PASSAGE_CANDIDATES = BAND_CANDIDATES
"""Posts per paragraph (sharing the most bands with it) that the database returns for confirmation."""
PASSAGE_MEMO_SECONDS = 60.0
"""A paragraph's candidates are looked up again after this long (colleagues' new posts show)."""

PER_AUTHOR = 2
"""Candidates one author may hold in a lookup's answer: a member who stuffs posts with a colleague's band
keys (they are not checked against the text on the server) takes at most this many places, and cannot push
the colleague's post out of the answer alone (hostile probe)."""

# bands: distinct keys shared with the draft (a post repeating a key gains nothing); others' posts only, at
# most PER_AUTHOR per author, before the limit (so the user's own posts cannot crowd colleagues' out either)
CANDIDATES_SQL = (
    """
SELECT id::text, coalesce(m.display_name, author::text), published_at, text, signature
FROM (
    SELECT p.id, p.author, p.published_at, p.text, p.signature, c.bands,
           row_number() OVER (PARTITION BY p.author ORDER BY c.bands DESC, p.id) AS nth
    FROM (
        SELECT post_id, count(DISTINCT key) AS bands FROM drafter.post_bands WHERE key = ANY(%s) GROUP BY post_id
    ) c
    JOIN drafter.posts p ON p.id = c.post_id
    WHERE p.author <> session_user
) r
LEFT JOIN drafter.members m ON m.login = r.author
WHERE r.nth <= """
    + str(PER_AUTHOR)
    + """
ORDER BY r.bands DESC, r.id LIMIT %s
"""
)


# keys: per paragraph of the draft 2 × BANDS keys (as a whole post's, as a paragraph's); per paragraph the
# posts of others sharing the most distinct keys with it, at most PER_AUTHOR per author and %(limit)s in all
PASSAGE_CANDIDATES_SQL = (
    """
SELECT c.paragraph, c.id::text, coalesce(m.display_name, c.author::text), c.published_at, c.text
FROM (
    SELECT a.*, row_number() OVER (PARTITION BY a.paragraph ORDER BY a.bands DESC, a.id) AS rank
    FROM (
        SELECT g.paragraph, g.bands, p.id, p.author, p.published_at, p.text,
               row_number() OVER (PARTITION BY g.paragraph, p.author ORDER BY g.bands DESC, p.id) AS nth
        FROM (
            SELECT (q.pos - 1) / %(per)s AS paragraph, b.post_id, count(DISTINCT b.key) AS bands
            FROM unnest(%(keys)s::bigint[]) WITH ORDINALITY AS q(key, pos)
            JOIN drafter.post_bands b ON b.key = q.key
            GROUP BY 1, 2
        ) g
        JOIN drafter.posts p ON p.id = g.post_id
        WHERE p.author <> session_user
    ) a
    WHERE a.nth <= """
    + str(PER_AUTHOR)
    + """
) c
LEFT JOIN drafter.members m ON m.login = c.author
WHERE c.rank <= %(limit)s
"""
)


@dataclass(frozen=True)
class TeamPost:
    post_id: str
    author: str
    published_at: Any
    text: str

    @property
    def source(self) -> str:
        day = self.published_at.date().isoformat() if hasattr(self.published_at, "date") else str(self.published_at)
        return foreign_source(f"{self.author}, {day}")  # never read as one of the user's own exports


def candidates(conn: Any, text: str, sig: Any = None) -> list[TeamPost]:
    """The team posts most likely to resemble ``text``: band-key lookup in SQL (one prepared statement,
    one round trip), MinHash estimate here for all rows at once. ``sig``: the text's signature when
    already computed."""
    import numpy as np

    sig = signature(text) if sig is None else sig
    rows = conn.execute(CANDIDATES_SQL, (keys(sig), BAND_CANDIDATES), prepare=True).fetchall()
    if not rows:
        return []
    agree = (from_bytes(b"".join(bytes(row[4]) for row in rows)).reshape(len(rows), NUM_PERM) == sig).sum(axis=1)
    # every candidate the server returned is confirmed (not the best EXACT_CANDIDATES by their signatures): a
    # signature is the sender's word too, and colluding members' decoys claiming a colleague's pushed the
    # colleague's post out of a shortlist of ten (hostile probe)
    kept = [i for i in np.argsort(-agree, kind="stable") if agree[i] >= MIN_ESTIMATE * NUM_PERM]
    return [TeamPost(*rows[i][:4]) for i in kept]


def passage_candidates(conn: Any, blocks: list[str]) -> list[list[TeamPost]]:
    """For each paragraph in ``blocks``, the others' posts sharing the most bands with it, looked up with
    its whole-post and its paragraph keys: one statement, one round trip for all paragraphs."""
    import numpy as np

    from drafter.lsh_bands import band_keys
    from drafter.originality import signatures

    if not blocks:
        return []
    sigs = signatures([shingles(block) for block in blocks])
    bands, rows = LSH_PARAMS
    both = np.concatenate(
        [band_keys(sigs, bands, rows), band_keys(sigs, bands, rows, first_band=PASSAGE_FIRST_BAND)], axis=1
    )
    params = {"keys": both.ravel().tolist(), "per": 2 * BANDS, "limit": PASSAGE_CANDIDATES}
    found: list[list[TeamPost]] = [[] for _ in blocks]
    for row in conn.execute(PASSAGE_CANDIDATES_SQL, params, prepare=True).fetchall():
        found[int(row[0])].append(TeamPost(*row[1:]))
    return found


def _corpus_post(post: TeamPost) -> CorpusPost:
    return CorpusPost(post.text, source=post.source, post_id=post.post_id)


@lru_cache(maxsize=512)
def _post_shingles(post_id: str, text: str) -> frozenset[str]:
    """A team post's shingles: while typing, the same candidates are confirmed keystroke after keystroke."""
    return shingles(text)


def rank(text: str, posts: list[TeamPost], k: int) -> list[SimilarPost]:
    query = shingles(text)
    scored = []
    for post in posts:
        sim = jaccard(query, _post_shingles(post.post_id, post.text))
        if sim > 0:
            scored.append(SimilarPost(post.post_id, post.source, opening_words(post.text), sim, post.text))
    return heapq.nlargest(k, scored, key=lambda s: (s.similarity, s.post_id))


class TeamPostIndex:
    """The team's posts as a :class:`~drafter.originality.PostIndex` (read-only: posts reach the team
    through the outbox)."""

    def __init__(self, url: str, *, wait: float = 3.0) -> None:
        self.url = url
        self.wait = wait
        self.last_error: str | None = None
        self._conn: Any = None
        self._down_until = 0.0
        self._lock = threading.Lock()  # one query at a time on the connection
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drafter-team")
        self._pending: Future[list[TeamPost]] | None = None
        self._recent: list[TeamPost] = []
        self._passage_pending: Future[dict[str, tuple[float, list[TeamPost]]]] | None = None
        #: paragraph → (when looked up, candidates): the paragraphs of the last draft asked about
        self._passage_memo: dict[str, tuple[float, list[TeamPost]]] = {}

    def add(self, post: CorpusPost) -> None:
        """Nothing to do: exported posts reach the team store through the outbox and ``team sync``."""

    def _on_server(self, work: Callable[[Any], _T]) -> _T:
        """``work(connection)``, connecting first when needed; a failure marks the server down for
        :data:`RETRY_AFTER` seconds and becomes a :class:`ConnectionError` saying why."""
        with self._lock:
            if time.monotonic() < self._down_until:
                raise ConnectionError(self.last_error or "the team store is not reachable")
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = connect(self.url, timeout=max(1.0, self.wait), autocommit=True)
                    self._conn.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
                found = work(self._conn)
            except Exception as exc:
                self.last_error = str(exc) if exc.__class__.__name__ == "TeamError" else str(explain(exc, self.url))
                self._down_until = time.monotonic() + RETRY_AFTER
                if self._conn is not None:
                    self._conn.close()
                self._conn = None
                raise ConnectionError(self.last_error) from None
            self.last_error = None
            return found

    def _lookup(self, text: str) -> list[TeamPost]:
        found = self._on_server(lambda conn: candidates(conn, text))
        self._recent = found
        return found

    def _lookup_passages(self, blocks: list[str], missing: list[str]) -> dict[str, tuple[float, list[TeamPost]]]:
        """Look up the paragraphs ``missing``; the memory then holds the paragraphs ``blocks`` of the draft."""
        found = self._on_server(lambda conn: passage_candidates(conn, missing))
        now = time.monotonic()
        old = self._passage_memo
        memo = {block: old[block] for block in blocks if block in old}
        memo.update((block, (now, posts)) for block, posts in zip(missing, found, strict=True))
        self._passage_memo = memo
        return memo

    def query(self, text: str, k: int = 5) -> list[SimilarPost]:
        if not shingles(text) or k <= 0:
            return []
        if self.wait <= 0:
            if self._pending is None or self._pending.done():
                self._pending = self._pool.submit(self._lookup, text)
            return rank(text, list(self._recent), k)
        future = self._pool.submit(self._lookup, text)
        try:
            return rank(text, future.result(timeout=self.wait), k)
        except (FutureTimeout, ConnectionError) as exc:
            if isinstance(exc, FutureTimeout):
                self.last_error = f"the team store did not answer within {self.wait:g} s"
            return []

    def query_passages(self, text: str, min_words: int = PASSAGE_WORDS) -> list[PassageMatch]:
        """For each paragraph of ``text`` with at least ``min_words`` words, the colleagues' posts closest to
        it (confirmed exactly, as locally), best first, in paragraph order. Paragraphs
        not looked up in the last :data:`PASSAGE_MEMO_SECONDS` are looked up (all in one round trip); with
        ``wait=0`` in the background, the answer coming from the last completed lookup: a paragraph's own
        candidates, or for a paragraph it has not seen (being typed) all its candidates."""
        spans = draft_passages(text, min_words)  # at most MAX_DRAFT_PASSAGES: one statement stays bounded
        if not spans:
            return []
        blocks = list(dict.fromkeys(text[a:b] for a, b in spans))
        memo = self._passage_memo
        now = time.monotonic()
        missing = [b for b in blocks if b not in memo or now - memo[b][0] > PASSAGE_MEMO_SECONDS]
        if missing and self.wait <= 0:
            if self._passage_pending is None or self._passage_pending.done():
                self._passage_pending = self._pool.submit(self._lookup_passages, blocks, missing)
            fallback = list({p.post_id: p for _, posts in memo.values() for p in posts}.values())
            return _confirm(text, spans, {b: memo[b][1] if b in memo else fallback for b in blocks})
        if missing:
            future = self._pool.submit(self._lookup_passages, blocks, missing)
            try:
                memo = future.result(timeout=self.wait)
            except (FutureTimeout, ConnectionError) as exc:  # paragraphs known from before are still answered
                if isinstance(exc, FutureTimeout):
                    self.last_error = f"the team store did not answer within {self.wait:g} s"
        return _confirm(text, spans, {b: memo[b][1] for b in blocks if b in memo})

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _confirm(text: str, spans: list[tuple[int, int]], candidates_of: dict[str, list[TeamPost]]) -> list[PassageMatch]:
    """The exact confirmation of the paragraphs ``spans`` of ``text`` against their candidates (by the
    paragraph's text; a paragraph without an entry is left out)."""
    by_part = {shingles(block): [_corpus_post(p) for p in posts] for block, posts in candidates_of.items()}
    known = [(a, b) for a, b in spans if text[a:b] in candidates_of]
    return best_passages(text, known, lambda part: by_part.get(part, ()))


class CombinedPostIndex:
    """The local corpus and the team's posts as one index; new posts go to the local one (or, when
    there is none yet, to the index ``sink`` makes)."""

    def __init__(self, local: Any, team: TeamPostIndex, sink: Callable[[], Any] | None = None) -> None:
        self.local = local
        self.team = team
        self.sink = sink

    def add(self, post: CorpusPost) -> None:
        target = self.local if self.local is not None else (self.sink() if self.sink else None)
        if target is not None:
            target.add(post)

    def query(self, text: str, k: int = 5) -> list[SimilarPost]:
        found = list(self.local.query(text, k)) if self.local is not None else []
        found.extend(self.team.query(text, k))
        return heapq.nlargest(k, found, key=lambda s: (s.similarity, s.post_id))

    def query_passages(self, text: str, min_words: int = PASSAGE_WORDS) -> list[PassageMatch]:
        """The local and the team's answers per paragraph, merged: best first, at most
        :data:`~drafter.originality.PASSAGE_MATCHES` per paragraph, in paragraph order."""
        found = query_passages(self.local, text, min_words) if self.local is not None else []
        return merge_passages([found, self.team.query_passages(text, min_words)])


def merge_passages(answers: Iterable[list[PassageMatch]]) -> list[PassageMatch]:
    """Answers of several indexes merged per paragraph (its span): best first, at most
    :data:`~drafter.originality.PASSAGE_MATCHES` each (and the user's own exports besides,
    :func:`~drafter.originality.kept_matches`), in paragraph order."""
    per_span: dict[tuple[int, int], list[PassageMatch]] = {}
    for answer in answers:
        for match in answer:
            per_span.setdefault((match.start, match.end), []).append(match)
    return [match for span in sorted(per_span) for match in kept_matches(per_span[span])]
