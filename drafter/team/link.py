"""The workspace's link to the team store: which URL applies, the local team state, connecting, status
and sync. The workspace creates one when a team is configured (``[team] url`` in the settings or
``DRAFTER_TEAM_URL``, which wins)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from drafter.team.db import TeamError, connect, redact
from drafter.team.local import TeamState

if TYPE_CHECKING:  # pragma: no cover
    from drafter.briefs import BriefContext
    from drafter.store import Store
    from drafter.team.sync import SyncResult


@dataclass
class Status:
    url: str
    user: str | None = None
    display_name: str | None = None
    role: str | None = None
    reachable: bool = False
    latency_ms: float | None = None
    server: str | None = None
    schema: int | None = None
    error: str | None = None
    last_sync: str | None = None
    outbox: int = 0
    guidelines: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class TeamLink:
    def __init__(self, url: str) -> None:
        self.url = url
        self._state: TeamState | None = None

    @property
    def state(self) -> TeamState:
        if self._state is None:
            self._state = TeamState()
        return self._state

    def connect(self, timeout: float = 5.0) -> Any:
        """A connection after checking the schema version (:class:`~drafter.team.schema.SchemaTooNew`)."""
        from drafter.team.schema import require_compatible

        conn = connect(self.url, timeout=timeout, autocommit=True)
        try:
            require_compatible(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def status(self, timeout: float = 5.0) -> Status:
        from drafter.team import ROLES, group_role
        from drafter.team.schema import current_version

        status = Status(url=redact(self.url), outbox=self.state.pending_count())
        status.last_sync = self.state.get("last_sync")
        status.guidelines = self.state.get("guidelines_label")
        started = time.perf_counter()
        try:
            conn = connect(self.url, timeout=timeout, autocommit=True)
        except TeamError as exc:
            status.error = str(exc)
            return status
        with conn:
            status.latency_ms = round((time.perf_counter() - started) * 1000, 1)
            status.reachable = True
            row = conn.execute("SELECT session_user, current_setting('server_version')").fetchone()
            status.user, status.server = (row[0], row[1]) if row else (None, None)
            status.schema = current_version(conn)
            for role in reversed(ROLES):
                member = conn.execute("SELECT pg_has_role(session_user, %s, 'MEMBER')", (group_role(role),)).fetchone()
                if member and member[0]:
                    status.role = role
                    break
            if status.schema:
                row = conn.execute("SELECT display_name FROM drafter.members WHERE login = session_user").fetchone()
                status.display_name = row[0] if row else None
        return status

    def sync(self, store: Store, context: BriefContext, timeout: float = 5.0) -> SyncResult:
        from drafter.team.sync import sync

        with self.connect(timeout) as conn:
            return sync(conn, self.state, store, context)

    def push(self, timeout: float = 5.0) -> int:
        from drafter.team.sync import push_outbox

        with self.connect(timeout) as conn:
            return push_outbox(conn, self.state)

    def close(self) -> None:
        if self._state is not None:
            self._state.close()
            self._state = None


def queue_export(state: TeamState, document: dict[str, Any], exported_at: Any) -> None:
    """Queue an export document's post (text, channel, brief, guideline version) in the outbox."""
    guidelines = document.get("guidelines") or {}
    state.queue(
        str(document["text"]),
        channel=document.get("channel"),
        brief_id=document.get("brief_id"),
        published_at=exported_at,
        guideline_version=guidelines.get("version") if isinstance(guidelines, dict) else None,
    )
