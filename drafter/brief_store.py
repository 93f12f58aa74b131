"""Briefs in the local store: import with versions, browse, archive.

Tables (migration step 10 in :mod:`drafter.store`):

* ``briefs`` — the current version of every brief (JSON of the model, plus columns to filter on);
* ``brief_versions`` — every version ever imported, the current one included;
* ``brief_files`` — the SHA-256 of each file imported, so the inbox skips files it has seen.

Re-importing a brief with a known id adds a version only when its content changed (the content
hash differs); an unchanged brief is left alone, so importing the same file twice writes nothing.
A changed brief that had been archived becomes active again (the business unit sent it anew).

An id belongs to the business unit that sent it first. A brief from *another* unit with a taken id is
refused (the stored brief stays current, the rest of the file is imported) with a warning that names
the file, the id and the unit owning it and suggests a distinct id; the sender imports it under that.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter import paths
from drafter.brief_import import BriefImportError, ParsedFile, Problem, read_file
from drafter.briefs import Brief, BriefContext, slugify
from drafter.store import Store

SAMPLES_META_KEY = "briefs.samples_imported"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class ImportResult:
    """What an import did, by brief id."""

    source: str
    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: ids refused because another business unit owns them; :attr:`conflicts` says why
    refused: list[str] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.imported or self.updated)

    def summary(self) -> str:
        """``source: 2 imported (a, b); 1 unchanged (c)`` (the app says it in its language:
        :func:`drafter.import_report.result_summary`)."""
        from drafter.import_report import result_summary

        return result_summary(self, "en")

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "refused": self.refused,
            "conflicts": [p.to_dict() for p in self.conflicts],
        }

    def merge(self, other: ImportResult) -> None:
        self.imported.extend(other.imported)
        self.updated.extend(other.updated)
        self.unchanged.extend(other.unchanged)
        self.refused.extend(other.refused)
        self.conflicts.extend(other.conflicts)


@dataclass(frozen=True)
class StoredBrief:
    """A brief as stored: the current version and its bookkeeping."""

    brief: Brief
    version: int
    source: str
    imported_at: str
    updated_at: str
    archived_at: str | None

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.brief.model_dump(mode="json"),
            "version": self.version,
            "source": self.source,
            "imported_at": self.imported_at,
            "updated_at": self.updated_at,
            "archived": self.archived,
        }


@dataclass(frozen=True)
class BriefVersion:
    version: int
    brief: Brief
    content_hash: str
    source: str
    imported_at: str


def _load(data: str) -> Brief:
    # Stored data was validated on import; no context, so goal and channels are taken as stored.
    return Brief.model_validate(json.loads(data))


class BriefStore:
    """Brief persistence on top of a :class:`~drafter.store.Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn = store.conn

    # -- writing ------------------------------------------------------------------------------------
    def import_briefs(
        self, briefs: Iterable[Brief], source: str, *, file: tuple[Path, str] | None = None
    ) -> ImportResult:
        """Store ``briefs`` in one transaction: new ids are imported, changed ones get a new version, ids
        owned by another business unit are refused (see the module doc). ``file`` (path, SHA-256) is
        recorded as seen in the same transaction, so a failure leaves neither half."""
        result = ImportResult(source=source)
        now = _now()
        # Serialise and hash before taking the write lock: other writers wait only for the writing.
        prepared: list[tuple[Brief, str, str]] = []
        for brief in briefs:
            data = json.dumps(brief.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
            prepared.append((brief, brief.content_hash(), data))
        inserts: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        versions: list[tuple[Any, ...]] = []
        with self.store.transaction() as conn:
            known = _known(conn, [brief.id for brief, _, _ in prepared])
            prepared = _keep_legacy_ids(conn, prepared, known)
            for brief, digest, data in prepared:
                previous = known.get(brief.id)
                if previous is not None and _unit_key(previous[2]) != _unit_key(brief.business_unit):
                    result.refused.append(brief.id)
                    result.conflicts.append(_conflict(brief, source, owner=previous[2], owner_source=previous[3]))
                    continue
                if previous is None:
                    version = 1
                    inserts.append((brief.id, version, data, digest, brief.goal, brief.business_unit, source, now, now))
                    result.imported.append(brief.id)
                elif previous[0] == digest:
                    result.unchanged.append(brief.id)
                    continue
                else:
                    version = previous[1] + 1
                    updates.append((version, data, digest, brief.goal, brief.business_unit, source, now, brief.id))
                    result.updated.append(brief.id)
                versions.append((brief.id, version, data, digest, source, now))
                known[brief.id] = (digest, version, brief.business_unit, source)
            if inserts:
                conn.executemany(
                    "INSERT INTO briefs(id, version, data, content_hash, goal, business_unit, source,"
                    " imported_at, updated_at, archived_at) VALUES(?,?,?,?,?,?,?,?,?,NULL)",
                    inserts,
                )
            if updates:
                conn.executemany(
                    "UPDATE briefs SET version=?, data=?, content_hash=?, goal=?, business_unit=?,"
                    " source=?, updated_at=?, archived_at=NULL WHERE id=?",
                    updates,
                )
            if versions:
                conn.executemany(
                    "INSERT OR REPLACE INTO brief_versions(brief_id, version, data, content_hash, source,"
                    " imported_at) VALUES(?,?,?,?,?,?)",
                    versions,
                )
            if file is not None:
                self._record_file(conn, *file)
        return result

    def import_file(self, path: Path, context: BriefContext) -> tuple[ImportResult, list[Problem]]:
        """Read, validate and store one file (all or nothing); returns the result and any warnings
        (those of reading, then one per brief refused because another business unit owns its id)."""
        parsed = read_file(path, context)
        result = self.import_parsed(parsed, path)
        return result, [*parsed.warnings, *result.conflicts]

    def import_parsed(self, parsed: ParsedFile, path: Path | None = None) -> ImportResult:
        seen = (path, parsed.sha256) if path is not None and parsed.sha256 else None
        return self.import_briefs(parsed.briefs, source=parsed.path, file=seen)

    def archive(self, brief_id: str) -> bool:
        """Hide a brief from lists (it stays in the store). False when there is no such brief."""
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "UPDATE briefs SET archived_at = COALESCE(archived_at, ?) WHERE id = ?", (_now(), brief_id)
            )
            return cursor.rowcount > 0

    def unarchive(self, brief_id: str) -> bool:
        with self.store.transaction() as conn:
            cursor = conn.execute("UPDATE briefs SET archived_at = NULL WHERE id = ?", (brief_id,))
            return cursor.rowcount > 0

    # -- files seen (the inbox skips them) ----------------------------------------------------------
    def record_file(self, path: Path, sha256: str) -> None:
        with self.store.transaction() as conn:
            self._record_file(conn, path, sha256)

    @staticmethod
    def _record_file(conn: Any, path: Path, sha256: str) -> None:
        conn.execute(
            "INSERT INTO brief_files(path, sha256, imported_at) VALUES(?,?,?)"
            " ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, imported_at = excluded.imported_at",
            (_file_key(path), sha256, _now()),
        )

    def file_seen(self, path: Path, sha256: str) -> bool:
        row = self.conn.execute("SELECT sha256 FROM brief_files WHERE path = ?", (_file_key(path),)).fetchone()
        return row is not None and row[0] == sha256

    # -- reading ------------------------------------------------------------------------------------
    def get(self, brief_id: str) -> Brief | None:
        entry = self.entry(brief_id)
        return None if entry is None else entry.brief

    def entry(self, brief_id: str) -> StoredBrief | None:
        row = self.conn.execute("SELECT * FROM briefs WHERE id = ?", (brief_id,)).fetchone()
        return None if row is None else _entry(row)

    def versions(self, brief_id: str) -> Sequence[BriefVersion]:
        """Every stored version of a brief, oldest first (empty when unknown)."""
        rows = self.conn.execute(
            "SELECT * FROM brief_versions WHERE brief_id = ? ORDER BY version", (brief_id,)
        ).fetchall()
        return [
            BriefVersion(
                version=row["version"],
                brief=_load(row["data"]),
                content_hash=row["content_hash"],
                source=row["source"],
                imported_at=row["imported_at"],
            )
            for row in rows
        ]

    def count(self, include_archived: bool = False) -> int:
        sql = "SELECT COUNT(*) FROM briefs" + ("" if include_archived else " WHERE archived_at IS NULL")
        return int(self.conn.execute(sql).fetchone()[0])

    def entries(
        self,
        goal: str | None = None,
        business_unit: str | None = None,
        channel: str | None = None,
        active_on: dt.date | None = None,
        include_archived: bool = False,
    ) -> Sequence[StoredBrief]:
        """Stored briefs matching all given filters, newest change first.

        ``goal`` compares case-insensitively, ``business_unit`` matches a part of the name; ``channel``
        must be among the brief's channels; ``active_on`` keeps briefs neither embargoed nor expired on that day.
        """
        sql = "SELECT * FROM briefs WHERE 1=1"
        params: list[Any] = []
        if not include_archived:
            sql += " AND archived_at IS NULL"
        if goal:
            sql += " AND lower(goal) = lower(?)"
            params.append(goal.strip())
        if business_unit:  # a part of the name is enough: "Technik" finds "Deutsche Telekom Technik – …"
            sql += " AND instr(lower(business_unit), lower(?)) > 0"
            params.append(business_unit.strip())
        sql += " ORDER BY updated_at DESC, id"
        out = []
        wanted_channel = channel.strip().lower() if channel else None
        for row in self.conn.execute(sql, params):
            entry = _entry(row)
            if wanted_channel and wanted_channel not in entry.brief.channels:
                continue
            if active_on is not None and not entry.brief.active_on(active_on):
                continue
            out.append(entry)
        return out

    def list(
        self,
        goal: str | None = None,
        business_unit: str | None = None,
        channel: str | None = None,
        active_on: dt.date | None = None,
        include_archived: bool = False,
    ) -> Sequence[Brief]:
        """Like :meth:`entries`, the briefs only."""
        return [e.brief for e in self.entries(goal, business_unit, channel, active_on, include_archived)]

    # -- light summaries for long lists (the app's inbox) --------------------------------------------
    def list_summaries(
        self, limit: int | None = None, offset: int = 0, contains: str | None = None
    ) -> Sequence[BriefSummary]:
        """Active briefs as :class:`BriefSummary` (no model validation: fast for 10,000 briefs), newest
        change first. ``contains`` keeps briefs whose title, business unit or goal contain it (any case)."""
        sql = (
            "SELECT id, business_unit, goal, json_extract(data, '$.title'), json_extract(data, '$.channels'),"
            " json_extract(data, '$.not_before'), json_extract(data, '$.expires'), source"
            " FROM briefs WHERE archived_at IS NULL"
        )
        params: list[Any] = []
        needle = (contains or "").strip().casefold()
        if needle:
            self.conn.create_function("drafter_casefold", 1, _casefold, deterministic=True)
            sql += (
                " AND instr(drafter_casefold(json_extract(data, '$.title') || char(10) || business_unit"
                " || char(10) || goal), ?) > 0"
            )
            params.append(needle)
        sql += " ORDER BY updated_at DESC, id LIMIT ? OFFSET ?"
        params += [-1 if limit is None else max(limit, 0), max(offset, 0)]
        out = []
        for bid, unit, goal, title, channels, not_before, expires, source in self.conn.execute(sql, params):
            out.append(
                BriefSummary(
                    id=str(bid),
                    title=str(title or ""),
                    business_unit=str(unit or ""),
                    goal=str(goal or ""),
                    channels=tuple(str(c) for c in json.loads(channels or "[]")),
                    not_before=_summary_date(not_before),
                    expires=_summary_date(expires),
                    source=str(source or ""),
                )
            )
        return out


def _entry(row: Any) -> StoredBrief:
    return StoredBrief(
        brief=_load(row["data"]),
        version=row["version"],
        source=row["source"],
        imported_at=row["imported_at"],
        updated_at=row["updated_at"],
        archived_at=row["archived_at"],
    )


def _known(conn: Any, ids: list[str]) -> dict[str, tuple[str, int, str, str]]:
    """Hash, version, business unit and source of the stored briefs among ``ids`` (looked up by key, so
    an import into a large store reads only the rows it may change)."""
    known: dict[str, tuple[str, int, str, str]] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        rows = conn.execute(
            "SELECT id, content_hash, version, business_unit, source FROM briefs"
            f" WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        for row in rows:
            known[row["id"]] = (row["content_hash"], row["version"], row["business_unit"], row["source"])
    return known


def _keep_legacy_ids(
    conn: Any, prepared: list[tuple[Brief, str, str]], known: dict[str, tuple[str, int, str, str]]
) -> list[tuple[Brief, str, str]]:
    """Ids derived from titles transliterate umlauts since issue 11 (``koeln-…``, was ``koln-…``). A brief
    stored under its old derived id keeps it when its file comes again, so drafts, links and exports
    that name it stay valid; only briefs new to the store get the new spelling."""
    legacy = {brief.id: old for brief, _, _ in prepared if brief.id not in known and (old := brief.legacy_id())}
    if not legacy:
        return prepared
    stored = _known(conn, list(legacy.values()))
    out: list[tuple[Brief, str, str]] = []
    for brief, digest, data in prepared:
        old_id = legacy.get(brief.id)
        if old_id is not None and old_id in stored:
            brief = brief.model_copy(update={"id": old_id})
            digest = brief.content_hash()
            data = json.dumps(brief.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
            known[old_id] = stored[old_id]
        out.append((brief, digest, data))
    return out


def _unit_key(unit: str) -> str:
    """Business units compare without case and runs of spaces ("Technik " is "technik")."""
    return " ".join(unit.split()).casefold()


def _conflict(brief: Brief, source: str, *, owner: str, owner_source: str) -> Problem:
    suggestion = f"{slugify(brief.business_unit)[:40]}-{brief.id}"[:100].strip("-.")
    return Problem(
        file=source,
        line=None,
        field="id",
        message=(
            f"brief id {brief.id!r} belongs to business unit {owner!r} (from {owner_source}); the brief from"
            f" {brief.business_unit!r} was not imported and {owner!r}'s brief stays current."
            f" Give it an id of its own (e.g. {suggestion!r}) and import it again"
        ),
    )


def _file_key(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path.absolute())


# -- bundled samples ----------------------------------------------------------------------------------
def sample_files(folder: Path | None = None) -> list[Path]:
    folder = folder or paths.sample_briefs_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".md")


def ensure_samples(store: Store, context: BriefContext, folder: Path | None = None) -> ImportResult | None:
    """Import the bundled sample briefs once per store (remembered in store meta).

    Returns the result of the import, or None when it had run before. When the samples do not fit
    the guidelines in use (e.g. other goals), nothing is imported and the reason is remembered.
    """
    if store.get_meta(SAMPLES_META_KEY) is not None:
        return None
    briefs: list[Brief] = []
    note = f"imported {_now()}"
    try:
        for path in sample_files(folder):
            briefs.extend(read_file(path, context).briefs)
    except BriefImportError as exc:
        briefs = []
        note = f"skipped {_now()}: {exc.problems[0] if exc.problems else exc}"
    result = BriefStore(store).import_briefs(briefs, source="samples") if briefs else ImportResult("samples")
    with store.transaction():
        store.set_meta(SAMPLES_META_KEY, note)
    return result


# -- light summaries ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class BriefSummary:
    """What a list of briefs shows, read without validating the whole model."""

    id: str
    title: str
    business_unit: str
    goal: str
    channels: tuple[str, ...]
    not_before: dt.date | None
    expires: dt.date | None
    #: where the brief came from ("team": pulled from the team store, which the inbox marks)
    source: str = ""

    def embargoed_on(self, day: dt.date) -> bool:
        return self.not_before is not None and self.not_before > day

    def expired_on(self, day: dt.date) -> bool:
        return self.expires is not None and self.expires < day


def _summary_date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _casefold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value
