"""Versioned migrations of the team store's schema, roles and policies.

Each file ``migrations/NNNN_name.sql`` is one version; :func:`migrate` applies the missing ones in
order, all in one transaction (each step with its row in ``drafter.schema_version``), under an
advisory lock so that two ``drafter team init`` at once do not race: an upgrade lands whole or not at
all. Applying is idempotent: a store at the newest version is left alone. A store whose schema is
newer than this client knows is refused with a message saying so (:class:`SchemaTooNew`), for
``init`` and for every other command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from drafter.team.db import TeamError

_LOCK_KEY = 0x64726166746572  # "drafter": one advisory lock for schema changes
_FILE = re.compile(r"(\d{4})_[a-z0-9_]+\.sql")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


class SchemaTooNew(TeamError):
    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"the team store's schema is version {found}, but this drafter knows versions up to {known}: "
            "update drafter before using this team store"
        )
        self.found = found
        self.known = known


def migrations() -> list[Migration]:
    """The bundled migrations, by version (1, 2, … without gaps)."""
    found = []
    for entry in resources.files("drafter.team").joinpath("migrations").iterdir():
        match = _FILE.fullmatch(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError("team store migrations must be numbered 1, 2, … without gaps")
    return found


def latest_version() -> int:
    return len(migrations())


def current_version(conn: Any) -> int:
    """The store's schema version (0: no drafter schema yet)."""
    row = conn.execute("SELECT to_regclass('drafter.schema_version') IS NOT NULL").fetchone()
    if not row[0]:
        return 0
    version = conn.execute("SELECT coalesce(max(version), 0) FROM drafter.schema_version").fetchone()[0]
    return int(version)


def require_compatible(conn: Any) -> int:
    """The schema version, after making sure this client can use it (:class:`SchemaTooNew`, or a
    :class:`TeamError` when no drafter schema exists yet or it is older than this client needs)."""
    version = current_version(conn)
    if version == 0:
        raise TeamError("the team store has no drafter schema yet: a core member runs `drafter team init --url URL`")
    if version > latest_version():
        raise SchemaTooNew(version, latest_version())
    if version < latest_version():
        raise TeamError(
            f"the team store's schema is version {version}, but this drafter needs version {latest_version()}: "
            "a core member runs `drafter team init --url URL` (with an owner's URL) to upgrade it"
        )
    return version


def migrate(conn: Any, target: int | None = None) -> list[int]:
    """Apply the missing migrations up to ``target`` (default: all); returns the versions applied."""
    applied: list[int] = []
    known = migrations()
    target = len(known) if target is None else target
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        version = current_version(conn)
        if version > len(known):
            raise SchemaTooNew(version, len(known))
        for migration in known[version:target]:
            with conn.transaction():  # a savepoint: a failing step leaves no half
                conn.execute(migration.sql)
                conn.execute("INSERT INTO drafter.schema_version(version) VALUES (%s)", (migration.version,))
            applied.append(migration.version)
    return applied
