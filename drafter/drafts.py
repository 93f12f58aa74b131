"""Drafts in the local store: the ambassador's text, its channels, brief, status and authorship record.

The ``drafts`` table is created by migration step 20 in :mod:`drafter.store`. Writes are small and
single-statement so autosave can run on every change; a ``revision`` counter lets two app instances
detect that they are editing the same draft (:class:`DraftConflict`) instead of silently overwriting
each other. The last opened draft and cursor are remembered in the ``meta`` table.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from drafter.store import Store

LAST_DRAFT_KEY = "tui.last_draft"
#: meta key prefix: ``draft.fork.<id>`` names the copy made last when another window's save of draft <id>
#: came second (so the window still on <id> can say so)
FORK_KEY_PREFIX = "draft.fork."

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class DraftStatus(StrEnum):
    DRAFT = "draft"
    EXPORTED = "exported"
    ARCHIVED = "archived"


class DraftNotFound(LookupError):
    pass


class DraftConflict(Exception):
    """Another writer changed the draft since this copy was loaded or saved."""

    def __init__(self, draft_id: str, expected: int, actual: int) -> None:
        super().__init__(f"draft {draft_id} changed elsewhere (revision {actual}, expected {expected})")
        self.draft_id = draft_id
        self.expected = expected
        self.actual = actual


@dataclass(slots=True)
class Draft:
    id: str
    text: str = ""
    brief_id: str | None = None
    channels: tuple[str, ...] = ()
    authorship: dict[str, Any] | None = None
    status: DraftStatus = DraftStatus.DRAFT
    cursor: tuple[int, int] = (0, 0)
    revision: int = 0
    created_at: dt.datetime = field(default_factory=utc_now)
    updated_at: dt.datetime = field(default_factory=utc_now)

    @property
    def channel(self) -> str | None:
        """The primary channel (the first one)."""
        return self.channels[0] if self.channels else None

    def title(self, width: int = 48) -> str:
        """The first non-empty line, shortened, for lists."""
        for line in self.text.splitlines():
            if line.strip():
                line = line.strip()
                return line if len(line) <= width else line[: width - 1] + "…"
        return ""


def _ts(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def _from_row(row: Any) -> Draft:
    authorship = row["authorship"]
    return Draft(
        id=row["id"],
        text=row["text"],
        brief_id=row["brief_id"],
        channels=tuple(json.loads(row["channels"] or "[]")),
        authorship=json.loads(authorship) if authorship else None,
        status=DraftStatus(row["status"]),
        cursor=(int(row["cursor_row"]), int(row["cursor_col"])),
        revision=int(row["revision"]),
        created_at=dt.datetime.fromisoformat(row["created_at"]),
        updated_at=dt.datetime.fromisoformat(row["updated_at"]),
    )


class DraftStore:
    """CRUD for drafts on an open :class:`~drafter.store.Store`."""

    def __init__(self, store: Store, clock: Clock = utc_now) -> None:
        self.store = store
        self.clock = clock

    def create(
        self,
        text: str = "",
        *,
        brief_id: str | None = None,
        channels: Sequence[str] = (),
        authorship: dict[str, Any] | None = None,
    ) -> Draft:
        now = self.clock()
        draft = Draft(
            id=uuid.uuid4().hex,
            text=text,
            brief_id=brief_id,
            channels=tuple(dict.fromkeys(channels)),
            authorship=authorship,
            revision=1,
            created_at=now,
            updated_at=now,
        )
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO drafts(id, brief_id, channels, text, authorship, status, cursor_row, cursor_col,"
                " revision, created_at, updated_at) VALUES(?, ?, ?, ?, ?, ?, 0, 0, 1, ?, ?)",
                (
                    draft.id,
                    brief_id,
                    json.dumps(list(draft.channels)),
                    text,
                    None if authorship is None else json.dumps(authorship, ensure_ascii=False),
                    draft.status.value,
                    _ts(now),
                    _ts(now),
                ),
            )
        return draft

    def get(self, draft_id: str) -> Draft:
        row = self.store.conn.execute("SELECT * FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        if row is None:
            raise DraftNotFound(f"no draft with id {draft_id!r}")
        return _from_row(row)

    def find(self, draft_id: str) -> Draft | None:
        try:
            return self.get(draft_id)
        except DraftNotFound:
            return None

    def save(self, draft: Draft, *, force: bool = False, touch: bool = True) -> Draft:
        """Write text, channels, authorship, status and cursor; returns the draft with its new revision.

        Raises :class:`DraftConflict` when the stored revision is not the one this copy was based on
        (another instance saved in between), unless ``force``. ``touch=False`` keeps ``updated_at``
        (for cursor-only saves, so the inbox's "last edit" stays the last *text* edit).
        """
        now = self.clock() if touch else draft.updated_at
        authorship = None if draft.authorship is None else json.dumps(draft.authorship, ensure_ascii=False)
        with self.store.transaction() as conn:
            row = conn.execute("SELECT revision FROM drafts WHERE id = ?", (draft.id,)).fetchone()
            if row is None:
                raise DraftNotFound(f"no draft with id {draft.id!r}")
            stored = int(row[0])
            if stored != draft.revision and not force:
                raise DraftConflict(draft.id, draft.revision, stored)
            conn.execute(
                "UPDATE drafts SET brief_id = ?, channels = ?, text = ?, authorship = ?, status = ?,"
                " cursor_row = ?, cursor_col = ?, revision = ?, updated_at = ? WHERE id = ?",
                (
                    draft.brief_id,
                    json.dumps(list(draft.channels)),
                    draft.text,
                    authorship,
                    draft.status.value,
                    draft.cursor[0],
                    draft.cursor[1],
                    stored + 1,
                    _ts(now),
                    draft.id,
                ),
            )
        return replace(draft, revision=stored + 1, updated_at=now)

    def save_cursor(self, draft: Draft) -> bool:
        """Write only the cursor, keeping the revision: moving the cursor (or opening the draft) is no
        edit, so it must not turn another window's next save into a conflict. Returns False, writing
        nothing, when the draft was saved elsewhere since this copy's revision."""
        with self.store.transaction() as conn:
            cur = conn.execute(
                "UPDATE drafts SET cursor_row = ?, cursor_col = ? WHERE id = ? AND revision = ?",
                (draft.cursor[0], draft.cursor[1], draft.id, draft.revision),
            )
        return cur.rowcount == 1

    def note_fork(self, original_id: str, copy_id: str) -> None:
        """Record that a window's later save of ``original_id`` was kept as the copy ``copy_id``."""
        with self.store.transaction():
            self.store.set_meta(FORK_KEY_PREFIX + original_id, copy_id)

    def last_fork(self, original_id: str) -> str | None:
        """The id of the copy made last from ``original_id`` by another window's later save (or None)."""
        return self.store.get_meta(FORK_KEY_PREFIX + original_id)

    def set_status(self, draft_id: str, status: DraftStatus) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE drafts SET status = ?, revision = revision + 1, updated_at = ? WHERE id = ?",
                (status.value, _ts(self.clock()), draft_id),
            )

    def delete(self, draft_id: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
            if self.store.get_meta(LAST_DRAFT_KEY) == draft_id:
                conn.execute("DELETE FROM meta WHERE key = ?", (LAST_DRAFT_KEY,))

    def list(self, *, include_archived: bool = False, limit: int | None = None) -> list[Draft]:
        """Drafts for the inbox, most recently edited first."""
        sql = "SELECT * FROM drafts"
        if not include_archived:
            sql += " WHERE status != 'archived'"
        sql += " ORDER BY updated_at DESC, rowid DESC"
        params: tuple[Any, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (int(limit),)
        return [_from_row(r) for r in self.store.conn.execute(sql, params)]

    # -- the draft to reopen on next start -----------------------------------------------------------
    def remember_last(self, draft_id: str | None) -> None:
        with self.store.transaction() as conn:
            if draft_id is None:
                conn.execute("DELETE FROM meta WHERE key = ?", (LAST_DRAFT_KEY,))
            else:
                self.store.set_meta(LAST_DRAFT_KEY, draft_id)

    def last_open(self) -> Draft | None:
        draft_id = self.store.get_meta(LAST_DRAFT_KEY)
        if not draft_id:
            return None
        draft = self.find(draft_id)
        if draft is None or draft.status == DraftStatus.ARCHIVED:
            return None
        return draft
