"""The local SQLite store shared by the CLI and the TUI (briefs, drafts, corpus).

One file under the user data directory (``DRAFTER_HOME`` moves it). WAL journal and a busy timeout
let two app instances use one store without corrupting it. Each concept module owns its tables and
registers its schema steps in :data:`MIGRATIONS`; steps run once, in order, inside a transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from drafter import paths

# (version, SQL script). Append only; never edit a released step.
MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    ),
    (
        10,  # briefs (drafter.brief_store): current row per id, every version, files seen
        """
        CREATE TABLE IF NOT EXISTS briefs (
            id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL, content_hash TEXT NOT NULL,
            goal TEXT NOT NULL, business_unit TEXT NOT NULL, source TEXT NOT NULL,
            imported_at TEXT NOT NULL, updated_at TEXT NOT NULL, archived_at TEXT
        );
        CREATE TABLE IF NOT EXISTS brief_versions (
            brief_id TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL, content_hash TEXT NOT NULL,
            source TEXT NOT NULL, imported_at TEXT NOT NULL, PRIMARY KEY (brief_id, version)
        );
        CREATE TABLE IF NOT EXISTS brief_files (
            path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, imported_at TEXT NOT NULL
        );
        """,
    ),
    (
        20,  # drafts (drafter.drafts): text, channels (JSON), authorship record (JSON), cursor, revision
        """
        CREATE TABLE IF NOT EXISTS drafts (
            id TEXT PRIMARY KEY, brief_id TEXT, channels TEXT NOT NULL DEFAULT '[]',
            text TEXT NOT NULL DEFAULT '', authorship TEXT, status TEXT NOT NULL DEFAULT 'draft',
            cursor_row INTEGER NOT NULL DEFAULT 0, cursor_col INTEGER NOT NULL DEFAULT 0,
            revision INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS drafts_updated ON drafts(updated_at);
        """,
    ),
    (
        30,  # corpus posts (drafter.originality): id = content hash; MinHash signature cached
        """
        CREATE TABLE IF NOT EXISTS corpus_posts (
            id TEXT PRIMARY KEY, source TEXT NOT NULL, channel TEXT, brief_id TEXT, text TEXT NOT NULL,
            added_at TEXT NOT NULL, signature BLOB, signature_scheme TEXT
        );
        """,
    ),
]


class Store:
    """A connection to the store. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else paths.store_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA busy_timeout=10000")
        self._migrate()

    def _migrate(self) -> None:
        with self.transaction():
            current = self.conn.execute("PRAGMA user_version").fetchone()[0]
            for version, script in MIGRATIONS:
                if version > current:
                    for statement in _statements(script):
                        self.conn.execute(statement)
                    self.conn.execute(f"PRAGMA user_version = {int(version)}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (all-or-nothing writes)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
