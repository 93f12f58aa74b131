"""The team store: one PostgreSQL database for the network's published briefs, guideline sets and posts.

Headless (no Textual). psycopg is imported only when a team is configured and used. Modules:

- :mod:`.db` — connecting (libpq conventions: ``PGPASSWORD``, ``~/.pgpass``, ``sslmode`` in the URL),
  URLs without secrets, errors worded for the user;
- :mod:`.schema` — versioned migrations (``migrations/NNNN_*.sql``), applied by ``drafter team init``;
- :mod:`.members` — login roles for members of the three group roles;
- :mod:`.signatures` — MinHash signatures and LSH band keys exactly as the local index computes them;
- :mod:`.local` — the client's own state (outbox, sync cursors) in ``team.sqlite3``;
- :mod:`.sync` — pushing the outbox, pulling briefs and the current guideline set, publishing;
- :mod:`.index` — the originality :class:`~drafter.originality.PostIndex` over the team's posts;
- :mod:`.report` — per brief: posts, authors, near-copy share.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from drafter.settings import Settings

ENV_URL = "DRAFTER_TEAM_URL"
ROLES = ("ambassador", "unit", "core")
"""Member roles; each is the database group role ``drafter_<role>``."""


def group_role(role: str) -> str:
    """The database group role of a member role."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of: {', '.join(ROLES)}")
    return f"drafter_{role}"


def team_url(settings: Settings) -> str | None:
    """The team store's URL: ``DRAFTER_TEAM_URL``, else ``[team] url`` in the settings, else None."""
    env = os.environ.get(ENV_URL, "").strip()
    if env:
        return env
    return settings.team.url if settings.team is not None else None
