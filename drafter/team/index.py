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
"""

from __future__ import annotations

import heapq
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from drafter.originality import (
    EXACT_CANDIDATES,
    MIN_ESTIMATE,
    NUM_PERM,
    CorpusPost,
    SimilarPost,
    jaccard,
    opening_words,
    shingles,
)
from drafter.team.db import connect, explain
from drafter.team.signatures import from_bytes, keys, signature

BAND_CANDIDATES = 20
"""Posts sharing the most bands with the draft that the database returns for confirmation."""
RETRY_AFTER = 30.0
"""Seconds before a failed server is tried again."""
STATEMENT_TIMEOUT_MS = 2000

CANDIDATES_SQL = """
SELECT p.id::text, coalesce(m.display_name, p.author::text), p.published_at, p.text, p.signature
FROM (
    SELECT post_id, count(*) AS bands FROM drafter.post_bands WHERE key = ANY(%s)
    GROUP BY post_id ORDER BY bands DESC LIMIT %s
) c
JOIN drafter.posts p ON p.id = c.post_id
LEFT JOIN drafter.members m ON m.login = p.author
WHERE p.author <> session_user
"""


@dataclass(frozen=True)
class TeamPost:
    post_id: str
    author: str
    published_at: Any
    text: str

    @property
    def source(self) -> str:
        day = self.published_at.date().isoformat() if hasattr(self.published_at, "date") else str(self.published_at)
        return f"{self.author}, {day}"


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
    kept = [i for i in np.argsort(-agree, kind="stable")[:EXACT_CANDIDATES] if agree[i] >= MIN_ESTIMATE * NUM_PERM]
    return [TeamPost(*rows[i][:4]) for i in kept]


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
            scored.append(SimilarPost(post.post_id, post.source, opening_words(post.text), sim))
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

    def add(self, post: CorpusPost) -> None:
        """Nothing to do: exported posts reach the team store through the outbox and ``team sync``."""

    def _lookup(self, text: str) -> list[TeamPost]:
        with self._lock:
            if time.monotonic() < self._down_until:
                raise ConnectionError(self.last_error or "the team store is not reachable")
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = connect(self.url, timeout=max(1.0, self.wait), autocommit=True)
                    self._conn.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
                found = candidates(self._conn, text)
            except Exception as exc:
                self.last_error = str(exc) if exc.__class__.__name__ == "TeamError" else str(explain(exc, self.url))
                self._down_until = time.monotonic() + RETRY_AFTER
                if self._conn is not None:
                    self._conn.close()
                self._conn = None
                raise ConnectionError(self.last_error) from None
            self.last_error = None
            self._recent = found
            return found

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

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


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
