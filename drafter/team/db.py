"""Connecting to the team store, and what the user reads when it fails.

Credentials follow libpq: the URL names host, port, database, user and options such as ``sslmode``;
the password comes from ``PGPASSWORD`` or ``~/.pgpass`` (or the URL itself when given on the command
line — never from drafter's own files, which refuse a URL holding one). Every URL drafter prints or
stores goes through :func:`redact`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from drafter.errors import Problem, UserError

if TYPE_CHECKING:  # pragma: no cover
    import psycopg

CONNECT_TIMEOUT = 5
"""Seconds a command waits for the server to answer a connection."""
APPLICATION_NAME = "drafter"
SCHEMES = ("postgresql", "postgres")


class TeamError(UserError):
    """The team store cannot be reached or refused something; the message says what to do."""

    def __init__(self, message: str, *, exit_code: int = 2) -> None:
        super().__init__(Problem("team", message))
        self.exit_code = exit_code


def check_url(url: str, *, allow_password: bool = False) -> str:
    """``url`` when it is a PostgreSQL URL (``postgresql://…``); ValueError otherwise. A password in it
    is refused unless ``allow_password`` (settings files must not hold one)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError:
        raise ValueError("not a valid PostgreSQL URL (postgresql://user@host:port/database)") from None
    if parts.scheme not in SCHEMES:
        raise ValueError("not a PostgreSQL URL (postgresql://user@host:port/database)")
    has_password = parts.password is not None or _PASSWORD_PARAM in {k.lower() for k, _ in parse_qsl(parts.query)}
    if has_password and not allow_password:
        raise ValueError("the URL holds a password; keep it in PGPASSWORD or ~/.pgpass instead")
    return url


_PASSWORD_PARAM = "password"


def redact(url: str) -> str:
    """``url`` without a password (``postgresql://anna@host/db``), for messages and status output."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid URL>"
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if k.lower() != _PASSWORD_PARAM]
    if parts.password is None and len(kept) == len(query):
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    user = quote(unquote(parts.username or ""), safe="")
    netloc = f"{user}@{host}" if user else host
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(kept)))


def with_user(url: str, user: str, password: str | None = None) -> str:
    """``url`` for another user (and password), keeping host, port, database and options."""
    parts: SplitResult = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    auth = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
    return urlunsplit(parts._replace(netloc=f"{auth}@{host}"))


def url_user(url: str) -> str | None:
    try:
        user = urlsplit(url).username
    except ValueError:
        return None
    return unquote(user) if user else None


def connect(url: str, *, timeout: float = CONNECT_TIMEOUT, autocommit: bool = False) -> psycopg.Connection[Any]:
    """A connection, or :class:`TeamError` worded for the user (the password is never part of it)."""
    import psycopg

    try:
        return psycopg.connect(
            url,
            connect_timeout=max(1, round(timeout)),
            application_name=APPLICATION_NAME,
            autocommit=autocommit,
        )
    except psycopg.Error as exc:
        raise explain(exc, url) from None


_AUTH = re.compile(r"password authentication failed|no password supplied|authentication failed|pg_hba\.conf")


def explain(exc: BaseException, url: str) -> TeamError:
    """A connection or query failure as a short message naming the server (no password)."""
    text = " ".join(str(exc).split())
    where = redact(url)
    user = url_user(url) or "(your user)"
    if _AUTH.search(text):
        return TeamError(
            f"the team store at {where} refused the credentials of {user!r}: check the password in "
            "PGPASSWORD or ~/.pgpass (drafter keeps working with the local store)"
        )
    if "is not permitted to log in" in text:
        return TeamError(
            f"the team store at {where} does not let {user!r} log in (removed from the team?): ask the core team "
            "(drafter keeps working with the local store)"
        )
    if "timeout expired" in text or "timed out" in text:
        return TeamError(f"the team store at {where} did not answer in time (drafter keeps working locally)")
    if "does not exist" in text and "database" in text:
        return TeamError(f"the team store at {where}: {text}")
    return TeamError(f"the team store at {where} is not reachable: {text} (drafter keeps working locally)")
