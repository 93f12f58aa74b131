"""The local SQLite store shared by the CLI and the TUI (briefs, drafts, corpus, voice posts).

One file under the user data directory (``DRAFTER_HOME`` moves it). WAL journal and a busy timeout
let several app instances and commands use one store at once: a writer waits up to
:data:`BUSY_TIMEOUT` seconds for another one (every write runs in ``BEGIN IMMEDIATE``, so a reader never
has to upgrade to a writer, which SQLite would refuse rather than wait). Each concept module owns its
tables and registers its schema steps in :data:`MIGRATIONS`; steps run once, in order, inside a
transaction.

The store holds drafts and confidential briefs: its folder is created 0700 and the files 0600 (older
stores are tightened on open when the user owns them). A store that is not a SQLite database any more
(garbage, zeroed header, truncated) raises :class:`StoreCorrupt` naming the file and is never written
to; :func:`move_aside` renames it (with its ``-wal``/``-shm``) to ``<name>.corrupt-<timestamp>`` so a
fresh store can start. Failures the user can act on are :class:`StoreError` (a
:class:`~drafter.errors.UserError`, exit code 2), which are also :class:`sqlite3.DatabaseError`, so code
that handles database errors keeps handling them.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from drafter import paths
from drafter.errors import Problem, Said, UserError, english_only, said

#: seconds a writer waits for another writer before giving up (20 parallel 10,000-row imports queue up)
BUSY_TIMEOUT = 30.0
#: the first 16 bytes of every SQLite 3 database
SQLITE_HEADER = b"SQLite format 3\x00"
#: files that belong to a store besides the database itself
COMPANIONS = ("-wal", "-shm", "-journal")

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
    (
        31,  # corpus band index (drafter.originality, drafter.lsh_bands): an explicit INTEGER PRIMARY KEY
        # (VACUUM keeps it, so corpus_bands may refer to it), an "indexed" flag with a partial index for the
        # posts still without band keys, and the band keys themselves, looked up by key
        """
        CREATE TABLE corpus_posts_v31 (
            seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, source TEXT NOT NULL, channel TEXT, brief_id TEXT,
            text TEXT NOT NULL, added_at TEXT NOT NULL, signature BLOB, signature_scheme TEXT,
            indexed INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO corpus_posts_v31(seq, id, source, channel, brief_id, text, added_at, signature, signature_scheme)
            SELECT rowid, id, source, channel, brief_id, text, added_at, signature, signature_scheme
            FROM corpus_posts ORDER BY rowid;
        DROP TABLE corpus_posts;
        ALTER TABLE corpus_posts_v31 RENAME TO corpus_posts;
        CREATE INDEX corpus_posts_unindexed ON corpus_posts(seq) WHERE indexed = 0;
        CREATE TABLE corpus_bands (
            key INTEGER NOT NULL, band INTEGER NOT NULL, post INTEGER NOT NULL, PRIMARY KEY (key, band, post)
        ) WITHOUT ROWID;
        """,
    ),
    (
        45,  # dismissed warnings per draft (drafter.dismissals): a JSON list; NULL for older drafts
        """
        ALTER TABLE drafts ADD COLUMN dismissals TEXT;
        """,
    ),
    (
        50,  # drafts (drafter.drafts): a title of the author's choosing, the trash (deleted_at), and one text
        #      per channel (JSON {channel: {text, authorship, cursor}}); existing drafts keep working as they are
        """
        ALTER TABLE drafts ADD COLUMN name TEXT NOT NULL DEFAULT '';
        ALTER TABLE drafts ADD COLUMN deleted_at TEXT;
        ALTER TABLE drafts ADD COLUMN versions TEXT;
        """,
    ),
    (
        130,  # the author's own past posts for the voice profile (drafter.voice); local only, never shared
        """
        CREATE TABLE IF NOT EXISTS voice_posts (
            id TEXT PRIMARY KEY, source TEXT NOT NULL, origin TEXT NOT NULL, text TEXT NOT NULL,
            added_at TEXT NOT NULL
        );
        """,
    ),
    (
        140,  # drafts: the status a draft had when it was archived, so restoring brings it back (NULL: "draft")
        """
        ALTER TABLE drafts ADD COLUMN archived_from TEXT;
        """,
    ),
    (
        141,  # drafts: the channels exported so far (JSON list); NULL for drafts exported by older versions
        """
        ALTER TABLE drafts ADD COLUMN exported_channels TEXT;
        """,
    ),
]


class StoreError(UserError, sqlite3.DatabaseError):
    """The store cannot be used; the message names the file and what to do."""

    def __init__(self, path: Path, message: str | Said) -> None:
        super().__init__(Problem.at(str(path), message))
        self.path = Path(path)


class StoreCorrupt(StoreError):
    """The file is not a (healthy) SQLite database. It is left untouched; :func:`move_aside` it."""

    def __init__(self, path: Path, detail: str | Said) -> None:
        if isinstance(detail, Said):
            super().__init__(path, said("store.damaged", detail=detail))
        else:  # SQLite's or the header check's own words: English only
            super().__init__(path, said("store.damaged_because", detail=english_only(f" ({detail})")))
        self.detail = detail.text("en") if isinstance(detail, Said) else detail


class StoreBusy(StoreError, sqlite3.OperationalError):
    """Another drafter kept the store locked for longer than :data:`BUSY_TIMEOUT`."""


_CORRUPT_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_ACCESS_CODES = {
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_PERM,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_AUTH,
}


def _translate(path: Path, exc: sqlite3.Error) -> sqlite3.Error:
    """The :class:`StoreError` for a SQLite error the user can act on, else the error itself."""
    if isinstance(exc, StoreError):
        return exc
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in _CORRUPT_CODES:
        return StoreCorrupt(path, str(exc))
    if primary in _BUSY_CODES:
        return StoreBusy(path, said("store.locked", seconds=BUSY_TIMEOUT, detail=english_only(f" ({exc})")))
    if primary in _ACCESS_CODES:
        return StoreError(path, said("store.cannot_use", detail=english_only(f": {exc}")))
    return exc


class _Connection(sqlite3.Connection):
    """A connection whose statements raise :class:`StoreError` for damage, long locks and access problems
    (rows fetched lazily later are not covered; a damaged page usually shows on the first step).

    Every step of the engine — a statement, a row fetched — holds :attr:`busy`, and so does :meth:`Store.close`:
    closing the connection while another thread steps a statement on it crashed the process (the app closed its
    store on exit while a corpus worker was still asking ``is_empty``: a segmentation fault in CI)."""

    store_path: Path
    busy: threading.RLock

    def execute(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        try:
            return self.cursor(_Cursor).execute(*args, **kwargs)  # its fetches hold busy too
        except sqlite3.Error as exc:
            raise _translate(self.store_path, exc) from exc

    def executemany(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        try:
            return self.cursor(_Cursor).executemany(*args, **kwargs)
        except sqlite3.Error as exc:
            raise _translate(self.store_path, exc) from exc


class _Cursor(sqlite3.Cursor):
    """A cursor that fetches under its connection's :attr:`_Connection.busy` (a fetch steps the engine too)."""

    def _busy(self) -> threading.RLock:
        return self.connection.busy  # type: ignore[attr-defined]

    def execute(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:  # type: ignore[override]
        with self._busy():
            return super().execute(*args, **kwargs)

    def executemany(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:  # type: ignore[override]
        with self._busy():
            return super().executemany(*args, **kwargs)

    def fetchone(self) -> Any:
        with self._busy():
            return super().fetchone()

    def fetchmany(self, *args: Any, **kwargs: Any) -> list[Any]:
        with self._busy():
            return super().fetchmany(*args, **kwargs)

    def fetchall(self) -> list[Any]:
        with self._busy():
            return super().fetchall()

    def __next__(self) -> Any:
        with self._busy():
            return super().__next__()


#: connections this process has open, per database file (real path); see :class:`Store`
_OPEN: dict[str, int] = {}
_OPEN_LOCK = threading.Lock()


class Store:
    """A connection to the store. Use as a context manager or call :meth:`close`.

    Raises :class:`StoreCorrupt` for a damaged file (never writing to it), :class:`StoreBusy` when it
    stays locked, :class:`StoreError` when it cannot be opened or created, and
    :class:`~drafter.paths.FolderError` when its folder cannot be created.
    """

    def __init__(self, path: Path | None = None) -> None:
        default = path is None
        self.path = Path(path) if path is not None else paths.store_path()
        paths.ensure_dir(self.path.parent)
        if default:  # the data folder of older versions was 0755
            paths.tighten(self.path.parent, paths.PRIVATE_DIR_MODE)
        for suffix in ("", "-wal", "-shm"):  # SQLite gives them the database's mode; older ones were 0644
            paths.tighten(Path(f"{self.path}{suffix}"), paths.PRIVATE_FILE_MODE)
        self._key = os.path.realpath(self.path)
        with _OPEN_LOCK:
            # Reading the header opens and closes the file with a plain descriptor, and closing *any*
            # descriptor of a database file drops every POSIX lock this process holds on it: with another
            # connection of this process open, another process could then write at the same time and
            # corrupt the store. So the header is read only while this process has no connection to it.
            suspicious = _settled_header(self.path) if not _OPEN.get(self._key) else None
            _create_private(self.path)
            try:
                self.conn = sqlite3.connect(
                    self.path,
                    timeout=BUSY_TIMEOUT,
                    isolation_level=None,
                    check_same_thread=False,
                    factory=_Connection,
                )
                self.conn.busy = threading.RLock()
            except sqlite3.Error as exc:
                raise _translate(self.path, exc) from exc
            _OPEN[self._key] = _OPEN.get(self._key, 0) + 1
        self._closed = False
        assert isinstance(self.conn, _Connection)
        self.conn.store_path = self.path
        try:
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
            if suspicious:  # looks truncated: let SQLite decide (the WAL may hold the rest) before writing
                verdict = self.conn.execute("PRAGMA quick_check(1)").fetchone()[0]
                if verdict != "ok":
                    raise StoreCorrupt(self.path, f"{suspicious}; integrity check: {verdict}")
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except BaseException:
            self.close()
            raise

    def _migrate(self) -> None:
        latest = max(version for version, _ in MIGRATIONS)
        found = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if found > latest:  # written by a newer drafter: its tables may mean what this version does not know
            raise StoreError(self.path, said("store.newer", found=found, latest=latest))
        if found == latest:
            return  # up to date: no write lock needed (readers never wait for writers)
        with self.transaction():
            current = self.conn.execute("PRAGMA user_version").fetchone()[0]
            for version, script in MIGRATIONS:
                if version > current:
                    for statement in _statements(script):
                        self.conn.execute(statement)
                    self.conn.execute(f"PRAGMA user_version = {int(version)}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (all-or-nothing writes).

        IMMEDIATE takes the write lock at the start, waiting up to :data:`BUSY_TIMEOUT` for another
        writer, so the transaction never fails half-way because it could not upgrade a read lock."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
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
        # not while another thread steps a statement (see _Connection); after the busy timeout any step has
        # returned, so the wait is bounded even behind a locked store
        busy: threading.RLock | None = getattr(self.conn, "busy", None)
        got = busy.acquire(timeout=BUSY_TIMEOUT + 5) if busy is not None else False
        try:
            self.conn.close()
        finally:
            if got and busy is not None:
                busy.release()
        with _OPEN_LOCK:
            if not self._closed:
                self._closed = True
                left = _OPEN.get(self._key, 1) - 1
                if left > 0:
                    _OPEN[self._key] = left
                else:
                    _OPEN.pop(self._key, None)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def check_header(path: Path) -> str | None:
    """Refuse (:class:`StoreCorrupt`) a file that is not a SQLite database, before SQLite touches it.

    A missing or empty file is fine (a new store). Returns a reason when the file looks truncated — it
    is shorter than its header says — which only SQLite can confirm (a crash mid-checkpoint leaves the
    rest in the WAL); None when the file looks whole."""
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise StoreCorrupt(path, said("store.a_folder"))
        if not stat.S_ISREG(mode):  # a FIFO blocked every command that opened it (hostile probe)
            raise StoreCorrupt(path, said("store.not_regular"))
        with open(path, "rb") as fh:
            head = fh.read(100)
            size = os.fstat(fh.fileno()).st_size
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise StoreCorrupt(path, said("store.a_folder")) from None
    except OSError as exc:
        raise StoreError(path, said("store.cannot_read", detail=english_only(f": {exc.strerror or exc}"))) from exc
    if size == 0:
        return None
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        what = "its header is zeroed" if not head.strip(b"\x00") else "not a SQLite database"
        if 0 < len(head) < 100 and head.startswith(SQLITE_HEADER[: len(head)]):
            what = f"only {len(head)} bytes"
        raise StoreCorrupt(path, what)
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise StoreCorrupt(path, f"impossible page size {page_size}")
    change_counter, page_count = int.from_bytes(head[24:28], "big"), int.from_bytes(head[28:32], "big")
    valid_for = int.from_bytes(head[92:96], "big")
    if valid_for == change_counter and page_count * page_size > size:
        return f"{size} bytes where the header promises {page_count * page_size}"
    if size % page_size:
        return f"{size} bytes, not a whole number of {page_size}-byte pages"
    return None


#: how long a header that looks damaged is re-read before the store is called damaged (seconds, tries)
HEADER_SETTLE = (0.05, 12)


def _settled_header(path: Path) -> str | None:
    """:func:`check_header`, but a header that looks damaged is re-read for a moment first. Another
    process creating the store writes its first page while this one may read it: a read can see the file
    grown but the page not yet written (zeros), which is no damage. A damaged file stays damaged, so it is
    still refused, about half a second later."""
    pause, tries = HEADER_SETTLE
    for attempt in range(tries):
        try:
            return check_header(path)
        except StoreCorrupt:
            if attempt == tries - 1:
                raise
            time.sleep(pause)
    return None  # not reached


def _create_private(path: Path) -> None:
    """Create a new store file as 0600 before SQLite does (SQLite gives its -wal/-shm the same mode)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, paths.PRIVATE_FILE_MODE)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(path, said("store.cannot_create", detail=english_only(f": {exc.strerror or exc}"))) from exc
    os.close(fd)


def move_aside(path: Path | None = None, *, now: dt.datetime | None = None) -> Path:
    """Rename a (damaged) store and its ``-wal``/``-shm``/``-journal`` to ``<name>.corrupt-<timestamp>``
    (plus the same suffix), so that the next :class:`Store` starts a fresh one. Nothing is deleted or
    overwritten; returns the new path of the database file. Close every connection to it first."""
    path = Path(path) if path is not None else paths.store_path()
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while any(Path(f"{target}{s}").exists() for s in ("", *COMPANIONS)):
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    moved = False
    try:
        for suffix in ("", *COMPANIONS):
            source = Path(f"{path}{suffix}")
            if source.exists():
                os.rename(source, f"{target}{suffix}")
                moved = True
    except OSError as exc:
        raise StoreError(path, said("store.cannot_move", detail=english_only(f": {exc.strerror or exc}"))) from exc
    if not moved:
        raise StoreError(path, said("store.nothing_to_move"))
    return target
