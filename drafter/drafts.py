"""Drafts in the local store: the ambassador's text, its channels, brief, status and authorship record.

The ``drafts`` table is created by migration step 20 in :mod:`drafter.store` (step 45 adds
``dismissals``, step 50 ``name``, ``deleted_at`` and ``versions``). Writes are small and single-statement
so autosave can run on every change; a ``revision`` counter lets two app instances detect that they are
editing the same draft (:class:`DraftConflict`) instead of silently overwriting each other. The last
opened draft and cursor are remembered in the ``meta`` table.

Managing drafts: a draft may get a ``name`` (else it is called by its first line), be archived and
unarchived, and be deleted. Deleting moves it to the trash (``deleted_at``): it is hidden, shown in the
archive view and can be restored for :data:`TRASH_DAYS` days, after which :meth:`DraftStore.purge_trash`
removes it for good. The inbox lists :class:`DraftSummary` rows (no authorship record, no versions).

Channel versions: besides its main text a draft may hold one text per channel (:class:`ChannelVersion`,
each with its own authorship record and cursor), made from the main text and edited separately. A draft
without versions behaves exactly as before.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from drafter.dismissals import Dismissal, from_json, to_json
from drafter.store import Store

LAST_DRAFT_KEY = "tui.last_draft"
#: days a deleted draft stays in the trash (restorable) before it is removed for good
TRASH_DAYS = 30
#: the longest name a draft may be given (longer names are cut)
MAX_NAME = 120
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
class ChannelVersion:
    """The text of a draft for one channel, with its own authorship record and cursor."""

    text: str = ""
    authorship: dict[str, Any] | None = None
    cursor: tuple[int, int] = (0, 0)

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "authorship": self.authorship, "cursor": list(self.cursor)}

    @classmethod
    def from_json(cls, data: Any) -> ChannelVersion:
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise ValueError("a channel version needs a text")
        authorship = data.get("authorship")
        cursor = data.get("cursor") or (0, 0)
        return cls(
            text=data["text"],
            authorship=authorship if isinstance(authorship, dict) else None,
            cursor=(int(cursor[0]), int(cursor[1])),
        )


@dataclass(slots=True)
class Draft:
    id: str
    text: str = ""
    brief_id: str | None = None
    channels: tuple[str, ...] = ()
    authorship: dict[str, Any] | None = None
    #: warnings the author dismissed with a reason (:mod:`drafter.dismissals`)
    dismissals: tuple[Dismissal, ...] = ()
    status: DraftStatus = DraftStatus.DRAFT
    cursor: tuple[int, int] = (0, 0)
    revision: int = 0
    created_at: dt.datetime = field(default_factory=utc_now)
    updated_at: dt.datetime = field(default_factory=utc_now)
    #: the title the author gave the draft ("" = called by its first line)
    name: str = ""
    #: one text per channel besides the main text (channel id -> version)
    versions: dict[str, ChannelVersion] = field(default_factory=dict)
    #: when the draft was moved to the trash (None: not deleted)
    deleted_at: dt.datetime | None = None
    #: the channels exported so far: "exported" with several channels may mean only some of them (an X
    #: version exported alone); empty for a draft exported before this was recorded
    exported: tuple[str, ...] = ()

    @property
    def channel(self) -> str | None:
        """The primary channel (the first one)."""
        return self.channels[0] if self.channels else None

    def title(self, width: int = 48) -> str:
        """The name the author gave it, else the first non-empty line, shortened, for lists."""
        return _title(self.name, self.text, width)


@dataclass(frozen=True, slots=True)
class DraftSummary:
    """What the inbox shows and searches of a draft: no authorship record and no channel versions."""

    id: str
    name: str
    text: str
    brief_id: str | None
    channels: tuple[str, ...]
    status: DraftStatus
    updated_at: dt.datetime
    deleted_at: dt.datetime | None = None
    exported: tuple[str, ...] = ()

    def title(self, width: int = 48) -> str:
        return _title(self.name, self.text, width)

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    def purge_date(self) -> dt.date | None:
        """The day a deleted draft is removed for good."""
        return None if self.deleted_at is None else (self.deleted_at + dt.timedelta(days=TRASH_DAYS)).date()


def with_version(draft: Draft, channel: str) -> Draft:
    """``draft`` with a version for ``channel`` made from its main text: the same text, cursor and
    authorship record (the author's own text carried over keeps the origins of its characters). An
    existing version is kept as it is."""
    if channel in draft.versions:
        return draft
    record = copy.deepcopy(draft.authorship)
    return replace(draft, versions={**draft.versions, channel: ChannelVersion(draft.text, record, draft.cursor)})


def main_channels(draft: Draft) -> list[str]:
    """The channels the main text is for: the draft's channels without their own version (the primary
    channel when every channel has one)."""
    rest = [c for c in draft.channels if c not in draft.versions]
    return rest or list(draft.channels[:1])


def _title(name: str, text: str, width: int) -> str:
    if name.strip():
        text = name
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= width else line[: width - 1] + "…"
    return ""


def clean_name(name: str) -> str:
    """A draft's name as stored: one line of at most :data:`MAX_NAME` characters, without control, bidi
    or invisible characters."""
    from drafter.safe_text import strip_unsafe

    return " ".join(strip_unsafe(name).split())[:MAX_NAME]


def _ts(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def _versions(raw: str | None) -> dict[str, ChannelVersion]:
    if not raw:
        return {}
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("stored channel versions are not an object")
    return {str(channel): ChannelVersion.from_json(v) for channel, v in data.items()}


def _versions_json(versions: dict[str, ChannelVersion]) -> str | None:
    if not versions:
        return None
    return json.dumps({c: v.to_json() for c, v in versions.items()}, ensure_ascii=False)


def _when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _from_row(row: Any) -> Draft:
    authorship = row["authorship"]
    return Draft(
        dismissals=_dismissals(row["dismissals"]),
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
        name=row["name"],
        versions=_versions(row["versions"]),
        deleted_at=_when(row["deleted_at"]),
        exported=tuple(json.loads(row["exported_channels"] or "[]")),
    )


_SUMMARY_COLUMNS = "id, name, text, brief_id, channels, status, updated_at, deleted_at, exported_channels"


def _summary_from_row(row: Any) -> DraftSummary:
    return DraftSummary(
        id=row["id"],
        name=row["name"],
        text=row["text"],
        brief_id=row["brief_id"],
        channels=tuple(json.loads(row["channels"] or "[]")),
        status=DraftStatus(row["status"]),
        updated_at=dt.datetime.fromisoformat(row["updated_at"]),
        deleted_at=_when(row["deleted_at"]),
        exported=tuple(json.loads(row["exported_channels"] or "[]")),
    )


def exported_after(draft: Draft, channels: Sequence[str]) -> tuple[str, ...]:
    """The draft's exported channels once ``channels`` are exported too, in the draft's channel order."""
    done = {*draft.exported, *channels}
    ordered = [c for c in draft.channels if c in done]
    return (*ordered, *sorted(done - set(ordered)))


def _dismissals(stored: str | None) -> tuple[Dismissal, ...]:
    """Stored dismissals; unreadable JSON counts as none (the draft still opens, its text untouched)."""
    if not stored:
        return ()
    try:
        return from_json(json.loads(stored))
    except ValueError:
        return ()


def _dismissals_json(dismissals: Sequence[Dismissal]) -> str | None:
    return json.dumps(to_json(dismissals), ensure_ascii=False) if dismissals else None


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
                "UPDATE drafts SET brief_id = ?, channels = ?, text = ?, authorship = ?, dismissals = ?, status = ?,"
                " cursor_row = ?, cursor_col = ?, revision = ?, updated_at = ?, name = ?, versions = ?,"
                " exported_channels = ? WHERE id = ?",
                (
                    draft.brief_id,
                    json.dumps(list(draft.channels)),
                    draft.text,
                    authorship,
                    _dismissals_json(draft.dismissals),
                    draft.status.value,
                    draft.cursor[0],
                    draft.cursor[1],
                    stored + 1,
                    _ts(now),
                    clean_name(draft.name),
                    _versions_json(draft.versions),
                    json.dumps(list(draft.exported)) if draft.exported else None,
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
        """Archive (or mark) a draft. Not an edit: its last-edited time ("zuletzt") stays; the revision is
        bumped, so a window editing the draft saves a copy instead of undoing it.
        Archiving remembers the status the draft had ("exportiert" stays "exportiert" after :meth:`restore`).
        """
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE drafts SET archived_from = CASE WHEN ? = 'archived' AND status != 'archived' THEN status"
                " WHEN ? = 'archived' THEN archived_from END, status = ?, revision = revision + 1 WHERE id = ?",
                (status.value, status.value, status.value, draft_id),
            )

    def rename(self, draft_id: str, name: str) -> str:
        """Give the draft a title ("" = called by its first line again); returns the name as stored.
        Bumps the revision, so a window editing the draft saves a copy instead of undoing the rename."""
        name = clean_name(name)
        with self.store.transaction() as conn:
            conn.execute("UPDATE drafts SET name = ?, revision = revision + 1 WHERE id = ?", (name, draft_id))
        return name

    def delete(self, draft_id: str) -> None:
        """Remove the draft for good (an empty draft left at once; a draft deleted from the trash)."""
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
            if self.store.get_meta(LAST_DRAFT_KEY) == draft_id:
                conn.execute("DELETE FROM meta WHERE key = ?", (LAST_DRAFT_KEY,))

    def trash(self, draft_id: str) -> None:
        """Delete the draft the way the inbox does: into the trash, restorable for :data:`TRASH_DAYS` days."""
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE drafts SET deleted_at = ?, revision = revision + 1 WHERE id = ?", (_ts(self.clock()), draft_id)
            )
            if self.store.get_meta(LAST_DRAFT_KEY) == draft_id:
                conn.execute("DELETE FROM meta WHERE key = ?", (LAST_DRAFT_KEY,))

    def restore(self, draft_id: str) -> None:
        """Out of the trash and out of the archive: back among the drafts, as it was — with the status it
        had before it was archived (drafts archived by older versions come back as "draft")."""
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE drafts SET deleted_at = NULL, revision = revision + 1,"
                " status = CASE status WHEN 'archived' THEN COALESCE(archived_from, 'draft') ELSE status END,"
                " archived_from = NULL WHERE id = ?",
                (draft_id,),
            )

    def purge_trash(self) -> int:
        """Remove drafts deleted more than :data:`TRASH_DAYS` days ago; returns how many."""
        cutoff = _ts(self.clock() - dt.timedelta(days=TRASH_DAYS))
        if self.store.conn.execute("SELECT 1 FROM drafts WHERE deleted_at < ? LIMIT 1", (cutoff,)).fetchone() is None:
            return 0  # nothing to do: no write lock taken
        with self.store.transaction() as conn:
            return conn.execute("DELETE FROM drafts WHERE deleted_at < ?", (cutoff,)).rowcount

    def summaries(self, *, archive: bool = False) -> list[DraftSummary]:
        """What the inbox lists, most recently edited first: the drafts in use, or (``archive``) the
        archived ones and those in the trash."""
        where = (
            "deleted_at IS NOT NULL OR status = 'archived'"
            if archive
            else "deleted_at IS NULL AND status != 'archived'"
        )
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM drafts WHERE {where} ORDER BY updated_at DESC, rowid DESC"
        return [_summary_from_row(r) for r in self.store.conn.execute(sql)]

    def list(self, *, include_archived: bool = False, limit: int | None = None) -> list[Draft]:
        """Drafts for the inbox, most recently edited first (never those in the trash)."""
        sql = "SELECT * FROM drafts WHERE deleted_at IS NULL"
        if not include_archived:
            sql += " AND status != 'archived'"
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
        if draft is None or draft.status == DraftStatus.ARCHIVED or draft.deleted_at is not None:
            return None
        return draft
