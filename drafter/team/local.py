"""The client's own team state: the outbox and the sync cursors, in ``team.sqlite3`` beside the store.

Own file, so that the local store's schema stays the store's business. WAL and a busy timeout as for
the store; 0600 in a 0700 folder. An exported post is queued here in the same moment it is exported
(never a draft); the outbox row is deleted only after the server has committed the post, and the
server ignores a post id it already has, so a sync killed at any point sends every post exactly once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter import paths

FILE_NAME = "team.sqlite3"
BUSY_TIMEOUT = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    post_id TEXT PRIMARY KEY, queued_at TEXT NOT NULL, payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def state_path() -> Path:
    return paths.data_dir() / FILE_NAME


def time_ordered_uuid() -> uuid.UUID:
    """A version-7 UUID (RFC 9562: 48 bits of Unix milliseconds, then random bits): new posts' ids
    sort after older ones, so the team store's indexes on the post id grow at their end instead of
    at a random page for every post."""
    millis = time.time_ns() // 1_000_000
    value = (millis & ((1 << 48) - 1)) << 80 | secrets.randbits(80)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0b11 << 62)) | (0b10 << 62)  # RFC 9562 variant
    return uuid.UUID(int=value)


@dataclass(frozen=True)
class QueuedPost:
    post_id: str
    queued_at: str
    text: str
    channel: str | None
    brief_id: str | None
    published_at: str
    guideline_version: str | None
    #: the MinHash signature (hex), computed when queued so a sync of many posts only sends
    signature: str = ""

    def payload(self) -> str:
        return json.dumps(
            {
                "text": self.text,
                "channel": self.channel,
                "brief_id": self.brief_id,
                "published_at": self.published_at,
                "guideline_version": self.guideline_version,
                "signature": self.signature,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_row(cls, post_id: str, queued_at: str, payload: str) -> QueuedPost:
        data = json.loads(payload)
        return cls(
            post_id,
            queued_at,
            data["text"],
            data.get("channel"),
            data.get("brief_id"),
            data["published_at"],
            data.get("guideline_version"),
            data.get("signature") or "",
        )


class TeamState:
    """Outbox and sync state of this machine's team link."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or state_path()
        paths.ensure_dir(self.path.parent)
        fresh = not self.path.exists()
        self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
        if fresh:
            os.chmod(self.path, 0o600)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")  # a queued post survives a power cut, not only a kill
        self.conn.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- outbox ---------------------------------------------------------------------------------------
    def queue(
        self,
        text: str,
        *,
        channel: str | None,
        brief_id: str | None,
        published_at: dt.datetime,
        guideline_version: str | None,
    ) -> QueuedPost:
        from drafter.team.signatures import signature, to_bytes

        post = QueuedPost(
            post_id=str(time_ordered_uuid()),
            queued_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            text=text,
            channel=channel,
            brief_id=brief_id,
            published_at=published_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
            guideline_version=guideline_version,
            signature=to_bytes(signature(text)).hex(),
        )
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO outbox(post_id, queued_at, payload) VALUES (?, ?, ?)",
                (post.post_id, post.queued_at, post.payload()),
            )
        return post

    def pending(self, limit: int | None = None) -> list[QueuedPost]:
        rows = self.conn.execute(
            "SELECT post_id, queued_at, payload FROM outbox ORDER BY queued_at, rowid LIMIT ?",
            (-1 if limit is None else limit,),
        ).fetchall()
        return [QueuedPost.from_row(*row) for row in rows]

    def pending_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def sent(self, post_ids: list[str]) -> None:
        with self.transaction() as conn:
            conn.executemany("DELETE FROM outbox WHERE post_id = ?", [(p,) for p in post_ids])

    # -- state ----------------------------------------------------------------------------------------
    def get(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set(self, **values: Any) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [(k, str(v)) for k, v in values.items()],
            )

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> TeamState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
