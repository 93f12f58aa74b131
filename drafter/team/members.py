"""Members: one PostgreSQL login role per person, in one of the group roles.

The password is made here, sent to the server only as a SCRAM verifier computed on the client (so it
appears in no server log), and returned once inside the connection URL for the new member; drafter
writes it nowhere.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from drafter.team import ROLES, group_role
from drafter.team.db import TeamError, with_user

LOGIN = re.compile(r"[a-z][a-z0-9_.-]{1,62}")
RESERVED = ("pg_", "drafter_")


@dataclass(frozen=True)
class NewMember:
    name: str
    role: str
    url: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role, "url": self.url}


def check_login(name: str) -> str:
    if not LOGIN.fullmatch(name) or name.startswith(RESERVED):
        raise TeamError(
            f"{name!r} is not a usable member name: 2–63 characters, lower-case letters, digits, '.', '_' or '-',"
            " starting with a letter, not starting with 'pg_' or 'drafter_'"
        )
    return name


def add_member(conn: Any, url: str, name: str, role: str, display_name: str | None = None) -> NewMember:
    """Create the login role ``name`` in the group role of ``role`` and record the member; returns the
    connection URL for them (the only place the password ever appears)."""
    from psycopg import errors, sql

    check_login(name)
    if role not in ROLES:
        raise TeamError(f"unknown role {role!r}; one of: {', '.join(ROLES)}")
    password = secrets.token_urlsafe(24)
    verifier = conn.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256").decode()
    ident = sql.Identifier(name)
    try:
        with conn.transaction():
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
            if exists:
                raise TeamError(f"a database role {name!r} exists already", exit_code=1)
            options = sql.SQL("LOGIN CREATEROLE") if role == "core" else sql.SQL("LOGIN")
            conn.execute(sql.SQL("CREATE ROLE {} {} PASSWORD {}").format(ident, options, sql.Literal(verifier)))
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group_role(role)), ident))
            if role != "core":
                # every core member may remove the member later (ALTER ROLE needs the ADMIN option on
                # it); without INHERIT and SET the core team gains none of the member's rights. (A core
                # member is in the core group: the grant would be circular, so only whoever added them,
                # or a superuser, removes a core member.)
                conn.execute(
                    sql.SQL("GRANT {} TO {} WITH ADMIN OPTION, INHERIT FALSE, SET FALSE").format(
                        ident, sql.Identifier(group_role("core"))
                    )
                )
            if role == "core":  # core members add members: they may hand out every group role
                groups = sql.SQL(", ").join(sql.Identifier(group_role(r)) for r in ROLES)
                conn.execute(sql.SQL("GRANT {} TO {} WITH ADMIN OPTION").format(groups, ident))
            conn.execute(
                "INSERT INTO drafter.members(login, role, display_name) VALUES (%s, %s, %s)",
                (name, role, display_name or name),
            )
    except errors.InsufficientPrivilege as exc:
        raise TeamError(f"not allowed to add members ({' '.join(str(exc).split())}): core members only") from None
    return NewMember(name, role, with_user(url, name, password))


def remove_member(conn: Any, name: str) -> bool:
    """Take the member's login away (``NOLOGIN``): they cannot connect any more; their posts stay, still
    in their name (the role is kept, so nobody added later under the same name owns them). Returns
    False when the member had been removed already."""
    from psycopg import errors, sql

    check_login(name)
    try:
        with conn.transaction():
            row = conn.execute(
                "SELECT r.rolcanlogin FROM drafter.members m JOIN pg_roles r ON r.rolname = m.login WHERE m.login = %s",
                (name,),
            ).fetchone()
            if row is None:
                raise TeamError(f"{name!r} is not a member of this team store", exit_code=1)
            if not row[0]:
                return False
            conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(name)))
    except errors.InsufficientPrivilege as exc:
        raise TeamError(
            f"not allowed to remove {name!r} ({' '.join(str(exc).split())}): core members remove ambassadors and"
            " unit members; a core member is removed by whoever added them or a superuser",
            exit_code=1,
        ) from None
    return True


def post_count(conn: Any, name: str) -> int:
    row = conn.execute("SELECT count(*) FROM drafter.posts WHERE author = %s", (name,)).fetchone()
    return int(row[0]) if row else 0
