"""Sync with the team store: push the outbox, pull briefs and the current guideline set; publish.

- **Push**: queued posts go up in batches, each batch one transaction on the server: a call of
  ``drafter.add_posts`` (posts and band keys in one statement), then one of ``drafter.add_passage_bands``
  (the paragraph entries of the posts that were new); the server ignores post ids it already has
  (``ON CONFLICT DO NOTHING``) and the outbox rows are deleted only after the commit, so a sync killed
  anywhere resends at most what the server then ignores.
- **Backfill**: the member's posts sent before schema version 4 get their paragraph entries, computed
  here from the server's text (:func:`backfill_passages`).
- **Pull briefs**: rows written by transactions from the oldest one still open at the last sync on
  (``pg_snapshot_xmin``), so a brief committed late by a slow publisher is never skipped; importing is
  idempotent (an unchanged brief is left alone). They land in the local store with source ``team``.
- **Pull guidelines**: the newest published set is written to ``<data dir>/team/guidelines/<id>/`` and
  used only if it loads; the workspace then applies it unless a folder is chosen explicitly.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter import paths
from drafter.errors import Problem
from drafter.lsh_bands import band_keys
from drafter.originality import LSH_PARAMS
from drafter.team.db import TeamError
from drafter.team.local import QueuedPost, TeamState
from drafter.team.signatures import BANDS, from_bytes, passage_entries, signature, to_bytes

if TYPE_CHECKING:  # pragma: no cover
    from drafter.briefs import Brief, BriefContext
    from drafter.guidelines import GuidelineSet
    from drafter.store import Store

BATCH = 1000
BACKFILL_BATCH = 500
BACKFILL_BATCHES = 20
BRIEF_SOURCE = "team"
MAX_GUIDELINE_FILE = 2 * 1024 * 1024
MAX_GUIDELINE_FILES = 500
GUIDELINE_SUFFIXES = (".yaml", ".yml")


def guidelines_root() -> Path:
    return paths.data_dir() / "team" / "guidelines"


def current_guidelines_dir() -> Path | None:
    """The folder of the guideline set the last sync brought, if any (read without opening anything)."""
    try:
        name = (guidelines_root() / "current").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    folder = guidelines_root() / name
    return folder if name.isdigit() and folder.is_dir() else None


@dataclass
class SyncResult:
    pushed: int = 0
    #: own posts sent before schema version 4 whose paragraph entries this sync added
    backfilled: int = 0
    briefs: int = 0
    guidelines: str | None = None
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "pushed": self.pushed,
            "backfilled": self.backfilled,
            "briefs": self.briefs,
            "guidelines": self.guidelines,
            "problems": self.problems,
            "seconds": round(self.seconds, 3),
        }


# -- push -------------------------------------------------------------------------------------------------
def push_outbox(conn: Any, state: TeamState, *, batch: int = BATCH) -> int:
    """Send every queued post; returns how many were sent (including any the server already had)."""
    sent = 0
    while True:
        queued = state.pending(batch)
        if not queued:
            return sent
        _send(conn, queued)
        state.sent([p.post_id for p in queued])
        sent += len(queued)


def _send(conn: Any, queued: list[QueuedPost]) -> None:
    """One batch in one transaction: ``drafter.add_posts`` adds the posts the server does not have yet and
    their band keys, ``drafter.add_passage_bands`` the paragraph entries of those (all keys computed here
    for the whole batch in one step, before the transaction)."""
    import numpy as np

    sigs = np.stack([from_bytes(bytes.fromhex(p.signature)) if p.signature else signature(p.text) for p in queued])
    bands, rows = LSH_PARAMS
    keys = band_keys(sigs, bands, rows).ravel().tolist()
    counts, passage_keys = passage_entries([p.text for p in queued])
    with conn.transaction():
        added = conn.execute(
            "SELECT drafter.add_posts(%b::uuid[], %b::timestamptz[], %b::text[], %b::text[], %b::text[], %b::bytea[],"
            " %b::text[], %t::bigint[])",
            (
                [uuid.UUID(p.post_id) for p in queued],
                [dt.datetime.fromisoformat(p.published_at) for p in queued],
                [p.channel for p in queued],
                [p.brief_id for p in queued],
                [p.text for p in queued],
                [to_bytes(sig) for sig in sigs],
                [p.guideline_version for p in queued],
                # as text: one string for 32 keys per post is cheaper to make than 32 adapted numbers
                _bigint_array(keys),
            ),
        ).fetchall()  # posts the server had already (sent before a kill) are not in the answer: nothing twice
        new = {str(row[0]) for row in added}
        if new:
            ids, new_counts, new_keys = _select_entries([p.post_id for p in queued], counts, passage_keys, new)
            _add_passage_bands(conn, ids, new_counts, new_keys)


def _bigint_array(values: list[int]) -> str:
    return "{" + ",".join(map(str, values)) + "}"


def _select_entries(
    ids: list[str], counts: list[int], keys: list[int], wanted: set[str]
) -> tuple[list[str], list[int], list[int]]:
    """The ids, entry counts and paragraph keys (:func:`~drafter.team.signatures.passage_entries`) of the
    posts in ``wanted``."""
    out_ids: list[str] = []
    out_counts: list[int] = []
    out_keys: list[int] = []
    at = 0
    for post_id, count in zip(ids, counts, strict=True):
        if post_id in wanted:
            out_ids.append(post_id)
            out_counts.append(count)
            out_keys.extend(keys[at : at + BANDS * count])
        at += BANDS * count
    return out_ids, out_counts, out_keys


def _add_passage_bands(conn: Any, ids: list[str], counts: list[int], keys: list[int]) -> int:
    row = conn.execute(
        "SELECT drafter.add_passage_bands(%b::uuid[], %b::int[], %t::bigint[])",
        ([uuid.UUID(i) for i in ids], counts, _bigint_array(keys)),
    ).fetchone()
    return int(row[0])


def backfill_passages(conn: Any, *, batch: int = BACKFILL_BATCH, batches: int = BACKFILL_BATCHES) -> int:
    """Add the paragraph entries of the member's posts sent before schema version 4 (marked
    ``passages_pending`` on the server), computed from the server's text: ``batch`` posts per transaction,
    at most ``batches`` per call (the next sync goes on). Returns how many posts were done. With none left,
    one lookup in a small partial index. Other members' marked posts are theirs to do (the server refuses
    paragraph rows for another's post): until they sync with a newer drafter, those posts are found by
    their whole-post entries only."""
    done = 0
    for _ in range(batches):
        rows = conn.execute(
            "SELECT id::text, text FROM drafter.posts WHERE author = session_user AND passages_pending"
            " ORDER BY id LIMIT %s",
            (batch,),
        ).fetchall()
        if not rows:
            break
        counts, keys = passage_entries([text for _, text in rows])
        with conn.transaction():
            _add_passage_bands(conn, [post_id for post_id, _ in rows], counts, keys)
        done += len(rows)
        if len(rows) < batch:
            break
    return done


# -- pull -------------------------------------------------------------------------------------------------
def pull_briefs(conn: Any, state: TeamState, store: Store, context: BriefContext) -> tuple[int, list[str]]:
    """Import briefs published since the last sync; returns how many were new or changed locally, and
    why any were left out (a brief the local guidelines cannot take, e.g. with an unknown goal)."""
    from pydantic import ValidationError

    from drafter.brief_store import BriefStore
    from drafter.briefs import Brief

    cursor = int(state.get("briefs_xmin") or 0)
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        xmin = int(conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint").fetchone()[0])
        rows = conn.execute(
            "SELECT id, data FROM drafter.briefs WHERE txid >= %s::text::xid8 ORDER BY id", (str(cursor),)
        ).fetchall()
    briefs: list[Brief] = []
    problems: list[str] = []
    for brief_id, data in rows:
        try:
            briefs.append(Brief.model_validate(data, context=context))
        except (ValidationError, ValueError, TypeError) as exc:
            problems.append(f"team brief {brief_id!r} left out: {' '.join(str(exc).split())[:300]}")
    changed = 0
    if briefs:
        result = BriefStore(store).import_briefs(briefs, source=BRIEF_SOURCE)
        changed = len(result.imported) + len(result.updated)
        problems.extend(str(p) for p in result.conflicts)
    state.set(briefs_xmin=xmin)
    return changed, problems


def pull_guidelines(conn: Any, state: TeamState) -> str | None:
    """Fetch the newest published guideline set when it is new here; returns its label, else None."""
    from drafter.guidelines import GuidelineError, load_guidelines

    newest = conn.execute("SELECT max(id) FROM drafter.guideline_sets").fetchone()
    if newest is None or newest[0] is None or str(newest[0]) == state.get("guidelines_id"):
        return None  # unchanged: its files are not fetched again
    row = conn.execute("SELECT id, name, version, files FROM drafter.guideline_sets WHERE id = %s", (newest[0],))
    set_id, name, version, files = row.fetchone()
    root = guidelines_root()
    target = root / str(set_id)
    partial = root / f".{set_id}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    paths.ensure_dir(partial)
    for rel, content in _safe_files(files):
        out = partial / rel
        paths.ensure_dir(out.parent)
        out.write_text(content, encoding="utf-8")
    try:
        load_guidelines(partial)
    except GuidelineError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise TeamError(f"the published guideline set {name} {version} does not load here:\n{exc}") from None
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    paths.atomic_write_text(root / "current", f"{set_id}\n")
    state.set(guidelines_id=set_id, guidelines_dir=str(target), guidelines_label=f"{name} {version}")
    return f"{name} {version}"


def _safe_files(files: Any) -> list[tuple[Path, str]]:
    """The published files as relative paths inside the set's folder (nothing may climb out of it)."""
    if not isinstance(files, dict) or len(files) > MAX_GUIDELINE_FILES:
        raise TeamError("the published guideline set is malformed")
    out = []
    for rel, content in files.items():
        path = Path(rel)
        if (
            not isinstance(content, str)
            or path.is_absolute()
            or ".." in path.parts
            or path.suffix not in GUIDELINE_SUFFIXES
            or len(content) > MAX_GUIDELINE_FILE
        ):
            raise TeamError(f"the published guideline set holds a file drafter does not accept: {rel!r}")
        out.append((path, content))
    return out


def sync(conn: Any, state: TeamState, store: Store, context: BriefContext) -> SyncResult:
    """Push the outbox, then pull briefs and guidelines; records the time of the last sync."""
    started = time.perf_counter()
    result = SyncResult()
    result.pushed = push_outbox(conn, state)
    result.backfilled = backfill_passages(conn)
    result.briefs, problems = pull_briefs(conn, state, store, context)
    result.problems.extend(problems)
    try:
        result.guidelines = pull_guidelines(conn, state)
    except TeamError as exc:
        result.problems.append(str(exc))
    state.set(last_sync=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    result.seconds = time.perf_counter() - started
    return result


# -- publish ----------------------------------------------------------------------------------------------
def publish_briefs(conn: Any, briefs: list[Brief]) -> int:
    """Publish validated briefs in one transaction (all or nothing); returns how many were new or changed."""
    from psycopg import errors

    rows = [
        (b.id, b.business_unit, json.dumps(b.model_dump(mode="json"), ensure_ascii=False), b.content_hash())
        for b in briefs
    ]
    try:
        with conn.transaction(), conn.cursor() as cur:
            changed = 0
            for row in rows:
                cur.execute(
                    "INSERT INTO drafter.briefs(id, business_unit, data, content_hash) VALUES (%s, %s, %s::jsonb, %s)"
                    " ON CONFLICT (id) DO UPDATE SET business_unit = excluded.business_unit, data = excluded.data,"
                    " content_hash = excluded.content_hash, version = drafter.briefs.version + 1,"
                    " published_by = session_user, published_at = now(), txid = pg_current_xact_id()"
                    " WHERE drafter.briefs.content_hash <> excluded.content_hash",
                    row,
                )
                changed += cur.rowcount
    except errors.InsufficientPrivilege as exc:
        raise TeamError(
            f"the team store refused to publish briefs ({' '.join(str(exc).split())}): business units and the "
            "core team publish briefs; a brief published by another unit member can be changed by its publisher "
            "or the core team only",
            exit_code=1,
        ) from None
    return changed


def guideline_files(folder: Path) -> dict[str, str]:
    """The set's YAML files (relative path → text), read the one way guideline files are read."""
    files: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or path.suffix not in GUIDELINE_SUFFIXES:
            continue
        if path.is_symlink() or not path.is_file():
            continue
        if path.stat().st_size > MAX_GUIDELINE_FILE:
            raise TeamError(f"{path}: larger than {MAX_GUIDELINE_FILE // 1024 // 1024} MiB")
        files[rel.as_posix()] = path.read_text(encoding="utf-8")
    if len(files) > MAX_GUIDELINE_FILES:
        raise TeamError(f"{folder}: more than {MAX_GUIDELINE_FILES} guideline files")
    return files


def publish_guidelines(conn: Any, gs: GuidelineSet, folder: Path) -> int:
    """Publish a checked and tested set; returns its id. A version already published is refused."""
    from psycopg import errors

    files = guideline_files(folder)
    try:
        with conn.transaction():
            row = conn.execute(
                "INSERT INTO drafter.guideline_sets(name, version, files) VALUES (%s, %s, %s::jsonb) RETURNING id",
                (gs.name, gs.version, json.dumps(files, ensure_ascii=False)),
            ).fetchone()
    except errors.UniqueViolation:
        raise TeamError(
            f"version {gs.version} is published already: raise the version in guidelines.yaml", exit_code=1
        ) from None
    except errors.InsufficientPrivilege as exc:
        raise TeamError(
            f"the team store refused to publish guidelines ({' '.join(str(exc).split())}): core team only",
            exit_code=1,
        ) from None
    return int(row[0])


def problems_text(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in problems)
