"""``drafter team …`` (init, add-member, remove-member, status, sync, report), ``drafter briefs publish`` and
``drafter guidelines publish``: the team store on PostgreSQL (:mod:`drafter.team`).

Every command that needs the server names it without a password (:func:`drafter.team.db.redact`) and
fails with one line saying what to do: exit 2 when the store cannot be reached or used, 1 when the
server refused the action (a role that may not do it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from drafter.cli.common import brief_context, guideline_set, settings, workspace
from drafter.cli.options import FormatOption, GuidelinesOption, OutputFormat
from drafter.cli.output import echo_text, emit_json, fail, field, warn

if TYPE_CHECKING:
    from drafter.team.link import TeamLink
    from drafter.workspace import Workspace

app = typer.Typer(help="The team store (PostgreSQL): set up, add members, sync, status, report.", no_args_is_help=True)

UrlOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="postgresql://user@host:port/db (default: [team] url in the settings, or DRAFTER_TEAM_URL). "
        "The password comes from PGPASSWORD or ~/.pgpass.",
        show_default=False,
    ),
]


def _link(ws: Workspace, url: str | None = None) -> TeamLink:
    from drafter.team.db import check_url
    from drafter.team.link import TeamLink

    if url:
        try:
            return TeamLink(check_url(url, allow_password=True))
        except ValueError as exc:
            fail(f"--url: {exc}")
    settings(ws)
    link = ws.team
    if link is None:
        fail("no team store configured: set [team] url in the settings or DRAFTER_TEAM_URL (or give --url)")
    return link


def _connect(link: TeamLink, *, check_schema: bool = True) -> Any:
    from drafter.team.db import TeamError, connect

    try:
        return link.connect() if check_schema else connect(link.url, autocommit=True)
    except TeamError as exc:
        fail(exc)


@app.command("init")
def init(
    ctx: typer.Context,
    url: Annotated[str, typer.Option("--url", help="The owner's URL (creates roles, tables and policies).")],
) -> None:
    """Create or upgrade the team store's schema, roles and policies (idempotent)."""
    from drafter.team.db import TeamError, redact
    from drafter.team.schema import latest_version, migrate

    link = _link(workspace(ctx), url)
    with _connect(link, check_schema=False) as conn:
        try:
            applied = migrate(conn)
        except TeamError as exc:
            fail(exc)
    where = redact(link.url)
    if applied:
        echo_text(f"team store at {field(where)}: schema version {applied[-1]} (applied {applied})")
    else:
        echo_text(f"team store at {field(where)}: schema version {latest_version()}, up to date")


@app.command("add-member")
def add_member(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Login name (lower case letters, digits, . _ -).")],
    role: Annotated[str, typer.Option("--role", help="ambassador, unit or core.")],
    display_name: Annotated[
        str | None, typer.Option("--display-name", help="How the member is named in findings (default: NAME).")
    ] = None,
    url: UrlOption = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Create a member's database role and print their connection URL once (it holds the password;
    drafter keeps no copy)."""
    from drafter.team.db import TeamError
    from drafter.team.members import add_member as create

    link = _link(workspace(ctx), url)
    with _connect(link) as conn:
        try:
            member = create(conn, link.url, name, role, display_name)
        except TeamError as exc:
            fail(exc)
    if output is OutputFormat.json:
        emit_json(member.to_dict())
        return
    echo_text(f"member {field(member.name)} ({member.role}) added. Their connection URL, shown only now:")
    echo_text(f"  {field(member.url)}")
    echo_text("They keep the password in ~/.pgpass or PGPASSWORD and set the URL without it as [team] url.")


@app.command("remove-member")
def remove_member(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The member's name (their database role).")],
    url: UrlOption = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Take a member's login away (core team): they can no longer connect; their published posts stay
    in the network, in their name."""
    from drafter.team.db import TeamError
    from drafter.team.members import post_count
    from drafter.team.members import remove_member as remove

    link = _link(workspace(ctx), url)
    with _connect(link) as conn:
        try:
            removed = remove(conn, name)
        except TeamError as exc:
            fail(exc)
        posts = post_count(conn, name)
    if output is OutputFormat.json:
        emit_json({"name": name, "removed": removed, "posts": posts})
        return
    done = "removed: they can no longer connect" if removed else "was removed already"
    echo_text(f"member {field(name)} {done}; their {posts} published post(s) stay")


@app.command("status")
def status(ctx: typer.Context, url: UrlOption = None, output: FormatOption = OutputFormat.text) -> None:
    """Who you are on the team store, your role, whether it answers, the last sync and the outbox."""
    link = _link(workspace(ctx), url)
    st = link.status()
    if output is OutputFormat.json:
        emit_json(st.to_dict())
    else:
        echo_text(f"team store:  {field(st.url)}")
        if st.reachable:
            echo_text(f"reach:       answers in {st.latency_ms} ms (PostgreSQL {field(st.server)}, schema {st.schema})")
            echo_text(f"you:         {field(st.user)} ({field(st.display_name or '-')}), role {st.role or 'none'}")
        else:
            echo_text(f"reach:       not reachable: {st.error}")
        echo_text(f"last sync:   {field(st.last_sync or 'never')}")
        echo_text(f"outbox:      {st.outbox} post(s) waiting")
        echo_text(f"guidelines:  {field(st.guidelines or 'none from the team yet')}")
    raise typer.Exit(0 if st.reachable else 2)


@app.command("sync")
def sync(ctx: typer.Context, guidelines: GuidelinesOption = None, output: FormatOption = OutputFormat.text) -> None:
    """Push the outbox (your exported posts), pull new briefs and the current guideline set."""
    from drafter.team.db import TeamError

    ws = workspace(ctx, guidelines)
    link = _link(ws)
    context = brief_context(ws)
    try:
        result = link.sync(ws.store, context)
    except TeamError as exc:
        fail(f"{exc}; {link.state.pending_count()} post(s) stay in the outbox")
    if output is OutputFormat.json:
        emit_json(result.to_dict())
        return
    for problem in result.problems:
        warn(problem)
    backfilled = f", {result.backfilled} earlier post(s) given paragraph entries" if result.backfilled else ""
    echo_text(
        f"synced in {result.seconds:.2f} s: {result.pushed} post(s) sent{backfilled}, {result.briefs} brief(s) new or "
        f"changed, guidelines: {field(result.guidelines or 'unchanged')}"
    )


@app.command("report")
def report(
    ctx: typer.Context,
    brief: Annotated[str | None, typer.Option("--brief", help="Only this brief id.")] = None,
    guidelines: GuidelinesOption = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Per brief: posts, authors, and the share of posts with a near-copy by a colleague (core team)."""
    from drafter.team.report import report as build

    ws = workspace(ctx, guidelines)
    gs = guideline_set(ws)
    rule = next((r for r in gs.rules if r.type == "corpus_similarity"), None)
    threshold = float(getattr(rule, "warning_at", 0.6)) if rule is not None else 0.6
    link = _link(ws)
    with _connect(link) as conn:
        member = conn.execute("SELECT pg_has_role(session_user, 'drafter_core', 'MEMBER')").fetchone()
        if not (member and member[0]):
            fail("the team report is for the core team", code=1)
        rows = build(conn, threshold, brief)
    if output is OutputFormat.json:
        emit_json({"threshold": threshold, "briefs": [r.to_dict() for r in rows]})
        return
    echo_text(f"near-copy: similarity ≥ {threshold:g} to a colleague's post about the same brief")
    for r in rows:
        echo_text(
            f"{field(r.brief_id or '(no brief)'):<32} {r.posts:>6} posts {r.authors:>5} authors "
            f"{r.near_copy_share:>7.1%} with a near-copy"
        )


# -- publishing (registered as `drafter briefs publish` and `drafter guidelines publish`) ----------------
def briefs_publish(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Brief files: .md, .yaml/.yml, .json, .csv", show_default=False)],
    guidelines: GuidelinesOption = None,
) -> None:
    """Publish brief files to the team store (business units, core team): validated as for import, all
    files or none."""
    from drafter.brief_import import BriefImportError, read_file
    from drafter.team.db import TeamError
    from drafter.team.sync import publish_briefs

    ws = workspace(ctx, guidelines)
    context = brief_context(ws)
    briefs = []
    failed = False
    for path in files:
        try:
            briefs.extend(read_file(path, context).briefs)
        except BriefImportError as exc:
            failed = True
            echo_text(str(exc), err=True)
    if failed:
        fail("nothing published: fix the files above")
    link = _link(ws)
    with _connect(link) as conn:
        try:
            changed = publish_briefs(conn, briefs)
        except TeamError as exc:
            fail(exc)
    echo_text(f"published {len(briefs)} brief(s) ({changed} new or changed)")


def guidelines_publish(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="The guidelines folder to publish.", file_okay=False)],
) -> None:
    """Publish a guidelines folder to the team store (core team); refused unless it passes
    `guidelines check` and `guidelines test`."""
    from drafter.guideline_examples import run_examples
    from drafter.guidelines import slow_patterns
    from drafter.team.db import TeamError
    from drafter.team.sync import publish_guidelines

    ws = workspace(ctx, folder)
    gs = guideline_set(ws)
    slow = slow_patterns(gs)
    if slow:
        fail("not published: `guidelines check` fails:\n" + "\n".join(str(p) for p in slow))
    failing = [r.rule for r in run_examples(gs, lang="en") if not r.ok]
    if failing:
        fail(f"not published: `guidelines test` fails for {', '.join(failing)}")
    link = _link(ws)
    with _connect(link) as conn:
        try:
            set_id = publish_guidelines(conn, gs, folder)
        except TeamError as exc:
            fail(exc)
    echo_text(f"published {field(gs.label)} (set {set_id}); ambassadors use it after their next sync")


def share_export(ws: Workspace) -> str | None:
    """After an export: send the outbox now if the team store answers; otherwise the post waits there
    for the next sync. Returns a note for the user when it waits."""
    from drafter.team.db import TeamError

    link = ws.team
    if link is None:
        return None
    try:
        link.push(timeout=3.0)
    except TeamError as exc:
        return f"queued for the team store ({exc}); `drafter team sync` sends it"
    return None
