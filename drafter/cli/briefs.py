"""``drafter briefs …``: import, check, list, show, archive briefs; the inbox; a template.

Exit codes: 0 ok, 1 no such brief, 2 bad input (a file was refused; nothing from it imported).
Warnings (unknown fields kept as metadata) and errors go to stderr. Every value of a brief, and every
file name, is shown through :mod:`drafter.cli.output` (no raw control or bidi characters).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from drafter.cli.common import brief_context, settings, workspace
from drafter.cli.options import FormatOption, GuidelinesOption, Lang, OutputFormat
from drafter.cli.output import echo_text, emit_json, fail, field

if TYPE_CHECKING:
    from drafter.brief_import import Problem
    from drafter.brief_store import BriefStore, StoredBrief
    from drafter.briefs import BriefContext
    from drafter.workspace import Workspace

app = typer.Typer(
    help="Briefs from business units: import, check, list, show, archive; the inbox folder.",
    no_args_is_help=True,
)

IdArgument = Annotated[str, typer.Argument(metavar="ID", show_default=False)]


def _warn(problems: list[Problem]) -> None:
    for problem in problems:
        echo_text(f"warning: {field(problem)}", err=True)


def _store(ws: Workspace) -> BriefStore:
    """The briefs in the workspace's store, with the bundled samples on first use."""
    brief_context(ws)
    return ws.brief_store()


def _parse_day(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    from drafter.briefs import parse_date

    try:
        return parse_date(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date (use 2026-12-01 or 01.12.2026)")


# -- commands -----------------------------------------------------------------------------------------
@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Brief files: .md, .yaml/.yml, .json, .csv, .tsv/.txt (tab-separated, e.g. Excel's Unicode text)",
            show_default=False,
        ),
    ],
    guidelines: GuidelinesOption = None,
) -> None:
    """Import brief files (all or nothing per file); print what was imported, updated, unchanged."""
    from drafter.brief_import import BriefImportError

    ws = workspace(ctx, guidelines)
    context = brief_context(ws)
    briefs = _store(ws)
    failed = 0
    for path in files:
        try:
            result, warnings = briefs.import_file(path, context)
        except BriefImportError as exc:
            failed += 1
            echo_text(f"{field(path)}: not imported (nothing from this file was stored)", err=True)
            echo_text(str(exc), err=True)
            continue
        _warn(warnings)
        echo_text(result.summary())
    if failed:
        raise typer.Exit(2)


#: ``briefs check`` names at most this many brief ids per file
SHOWN_IDS = 20


@app.command()
def check(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Brief files to validate", show_default=False)],
    guidelines: GuidelinesOption = None,
) -> None:
    """Validate brief files without importing them."""
    from drafter.brief_import import BriefImportError, read_file

    context = brief_context(workspace(ctx, guidelines))
    failed = 0
    for path in files:
        try:
            parsed = read_file(path, context)
        except BriefImportError as exc:
            failed += 1
            echo_text(str(exc), err=True)
            continue
        _warn(parsed.warnings)
        # the first ids name what was read; a spreadsheet of 200,000 rows printed all of them on one line
        ids = ", ".join(field(b.id) for b in parsed.briefs[:SHOWN_IDS])
        more = f" and {len(parsed.briefs) - SHOWN_IDS:,} more" if len(parsed.briefs) > SHOWN_IDS else ""
        echo_text(f"{field(path)}: ok, {len(parsed.briefs)} brief(s): {ids}{more}")
    if failed:
        raise typer.Exit(2)


@app.command("list")
def list_(
    ctx: typer.Context,
    goal: Annotated[str | None, typer.Option("--goal", help="Only this goal (aliases work).")] = None,
    business_unit: Annotated[str | None, typer.Option("--business-unit", help="Only this business unit.")] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="Only briefs for this channel id.")] = None,
    active_on: Annotated[
        str | None, typer.Option("--active-on", help="Only briefs neither embargoed nor expired on this day.")
    ] = None,
    include_archived: Annotated[bool, typer.Option("--all", help="Include archived briefs.")] = False,
    output: FormatOption = OutputFormat.text,
    guidelines: GuidelinesOption = None,
) -> None:
    """List stored briefs (newest change first)."""
    ws = workspace(ctx, guidelines)
    context = brief_context(ws)
    day = _parse_day(active_on, "--active-on")
    if goal:
        canonical = context.canonical_goal(goal)
        if canonical is None:
            fail(f"unknown goal {goal!r}; expected one of: {', '.join(sorted(set(context.goals.values())))}")
        goal = canonical
    if channel and channel not in context.channels:
        fail(f"unknown channel {channel!r}; expected one of: {', '.join(context.channels)}")
    entries = _store(ws).entries(goal, business_unit, channel, day, include_archived)
    if output is OutputFormat.json:
        emit_json([e.to_dict() for e in entries])
        return
    if not entries:
        echo_text("no briefs")
        return
    # as wide as the longest id, up to a derived id's 80 characters (at 40, a 43-character id pushed its row's
    # columns out of line: a new-user probe); an id is never cut, `briefs show` needs it whole
    width = min(80, max(len(field(e.brief.id)) for e in entries))
    for e in entries:
        b = e.brief
        span = f"{_d(b.not_before)}…{_d(b.expires)}"
        flag = " [archived]" if e.archived else ""
        echo_text(
            f"{field(b.id):<{width}}  {field(b.goal):<12} {span:<23} {field(b.business_unit)} — {field(b.title)}{flag}"
        )


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


@app.command()
def show(
    ctx: typer.Context,
    brief_id: IdArgument,
    output: FormatOption = OutputFormat.text,
    guidelines: GuidelinesOption = None,
) -> None:
    """Show one brief with its fields, text and version history."""
    briefs = _store(workspace(ctx, guidelines))
    entry = briefs.entry(brief_id)
    versions = briefs.versions(brief_id)
    if entry is None:
        fail(f"no brief with id {brief_id!r} (see: drafter briefs list --all)", code=1)
    if output is OutputFormat.json:
        data = entry.to_dict()
        data["versions"] = [{"version": v.version, "source": v.source, "imported_at": v.imported_at} for v in versions]
        emit_json(data)
        return
    echo_text(_render(entry, len(versions)))


def _render(entry: StoredBrief, version_count: int) -> str:
    """The brief as text; single-line values through :func:`field`, the body as it is (made visible by
    :func:`echo_text`)."""
    b = entry.brief
    title = field(b.title)
    lines = [title, "=" * min(len(title), 78)]
    rows = [
        ("id", b.id),
        ("business unit", b.business_unit),
        ("goal", b.goal),
        ("channels", ", ".join(b.channels)),
        ("not before", _d(b.not_before)),
        ("expires", _d(b.expires)),
        ("language", b.language),
        ("classification", b.classification.value),
        ("hashtags", " ".join(b.hashtags)),
        ("links", " ".join(b.links)),
        ("contact", b.contact),
        ("version", f"{entry.version} of {version_count}, from {entry.source}, {entry.updated_at}"),
        ("archived", entry.archived_at or ""),
    ]
    lines += [f"{label + ':':<16}{field(value)}" for label, value in rows if value]
    for key, value in b.metadata.items():
        lines.append(f"{field(key) + ':':<16}{field(json.dumps(value, ensure_ascii=False))}")
    if b.key_messages:
        lines += ["", "Key messages:"] + [f"  - {field(m)}" for m in b.key_messages]
    if b.text:
        lines += ["", b.text]
    return "\n".join(lines)


@app.command()
def new(
    ctx: typer.Context,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    language: Annotated[Lang, typer.Option("--language", help="de or en comments")] = Lang.de,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing --output file.")] = False,
    guidelines: GuidelinesOption = None,
) -> None:
    """Print a commented Markdown template for a new brief (the recommended format)."""
    context = brief_context(workspace(ctx, guidelines))
    text = brief_template(context, language.value)
    if output is None:
        echo_text(text, nl=False)
        return
    if output.exists() and not force:
        fail(f"{output} exists; use --force to overwrite it", code=1)
    output.write_text(text, encoding="utf-8")
    echo_text(f"wrote {field(output)}")


@app.command()
def archive(ctx: typer.Context, brief_id: IdArgument, guidelines: GuidelinesOption = None) -> None:
    """Archive a brief: it leaves the lists but stays in the store (a changed re-import revives it)."""
    done = _store(workspace(ctx, guidelines)).archive(brief_id)
    if not done:
        fail(f"no brief with id {brief_id!r}", code=1)
    echo_text(f"archived {field(brief_id)}")


@app.command()
def inbox(
    ctx: typer.Context,
    folder: Annotated[
        Path | None,
        typer.Option("--folder", envvar="DRAFTER_INBOX", help="Inbox folder (default: settings, else <data>/inbox)."),
    ] = None,
    guidelines: GuidelinesOption = None,
) -> None:
    """Import new or changed files from the inbox folder now; report the ones that fail."""
    from drafter.inbox import import_inbox

    ws = workspace(ctx, guidelines)
    context = brief_context(ws)
    if folder is None:
        folder = settings(ws).inbox_dir
    _store(ws)
    report = import_inbox(ws.store, context, folder)
    echo_text(f"inbox: {field(report.folder)}")
    if report.error:
        fail(report.error)
    _warn(report.warnings)
    for _path, result in report.imported:
        echo_text(result.summary())
    if report.skipped:
        from drafter.i18n import t

        echo_text(t("one_language.import.unchanged_files", "en", count=len(report.skipped)))
    if not report.imported and not report.skipped and not report.failed:
        echo_text("no brief files in the inbox")
    for path, error in report.failed:
        echo_text(f"{field(path)}: not imported (the file stays in the inbox)", err=True)
        echo_text(str(error), err=True)
    if report.failed:
        raise typer.Exit(2)


# -- template -----------------------------------------------------------------------------------------
_TEMPLATE = {
    "de": """\
---
# Brief für das Botschafter-Netzwerk. Zeilen mit # sind Kommentare und dürfen stehen bleiben.
# Pflicht: title, business_unit, goal. Alles andere ist optional.
# Prüfen:    drafter briefs check DATEI.md      Importieren: drafter briefs import DATEI.md

# Stabile Kennung; fehlt sie, wird sie aus Geschäftsbereich und Titel gebildet.
# Mit derselben id später erneut importiert, wird der Brief aktualisiert (alte Version bleibt).
id: {id}
title: "Titel des Themas"
business_unit: "Name des Geschäftsbereichs"
# Ziel, eines von: {goals}
goal: {goal}
# Kanäle, Teilmenge von: {channels}   (weglassen = alle)
channels: [{channel_example}]
# Kernbotschaften: je eine Zeile, in eigenen Worten aufzugreifen
key_messages:
  - "Erste Kernbotschaft"
  - "Zweite Kernbotschaft"
# Sperrfrist: frühestens an diesem Tag posten; danach (expires) nicht mehr.
# Datum als 2026-12-01 oder 01.12.2026.
not_before: {not_before}
expires: {expires}
# Sprache der Beiträge: de oder en
language: de
# public | internal | confidential — bestimmt, was den Rechner verlassen darf (z. B. für KI-Hilfe)
classification: internal
# Vorgeschlagene Hashtags in Anführungszeichen (sonst liest YAML das # als Kommentar)
hashtags: ["#Beispiel"]
links:
  - "https://example.com/mehr-informationen"
contact: "Vorname Nachname, name@example.com"
---

Hier steht der eigentliche Brief: Worum geht es, warum jetzt, was wünscht ihr euch von den
Botschafterinnen und Botschaftern, was sollen sie vermeiden? Markdown ist erlaubt.
""",
    "en": """\
---
# A brief for the ambassador network. Lines starting with # are comments and may stay.
# Required: title, business_unit, goal. Everything else is optional.
# Check:    drafter briefs check FILE.md      Import: drafter briefs import FILE.md

# A stable id; when missing it is made from business unit and title.
# Importing again with the same id updates the brief (the old version is kept).
id: {id}
title: "Title of the topic"
business_unit: "Name of the business unit"
# Goal, one of: {goals}
goal: {goal}
# Channels, a subset of: {channels}   (leave out = all)
channels: [{channel_example}]
# Key messages: one per line, for ambassadors to take up in their own words
key_messages:
  - "First key message"
  - "Second key message"
# Embargo: post on this day at the earliest; not after expires.
# Dates as 2026-12-01 or 01.12.2026.
not_before: {not_before}
expires: {expires}
# Language of the posts: de or en
language: en
# public | internal | confidential — decides what may leave the machine (e.g. for AI help)
classification: internal
# Suggested hashtags, in quotes (else YAML reads the # as a comment)
hashtags: ["#Example"]
links:
  - "https://example.com/more-information"
contact: "First Last, name@example.com"
---

The brief itself: what it is about, why now, what you would like ambassadors to do, what they
should avoid. Markdown is fine.
""",
}


def brief_template(context: BriefContext, language: str = "de", today: dt.date | None = None) -> str:
    """A commented Markdown brief that imports as it is (goals and channels from the guidelines)."""
    today = today or dt.date.today()
    goals = sorted(set(context.goals.values()))
    channels = list(context.channels)
    return _TEMPLATE.get(language, _TEMPLATE["de"]).format(
        id=f"beispiel-{today.isoformat()}" if language == "de" else f"example-{today.isoformat()}",
        goals=", ".join(goals) or "(see guidelines)",
        goal=goals[0] if goals else "",
        channels=", ".join(channels) or "(see guidelines)",
        channel_example=", ".join(channels[:2]),
        not_before=today.isoformat(),
        expires=(today + dt.timedelta(days=30)).isoformat(),
    )
