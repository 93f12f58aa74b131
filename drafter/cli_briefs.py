"""``drafter briefs …``: import, check, list, show, archive briefs; the inbox; a template.

Exit codes: 0 ok, 1 no such brief, 2 bad input (a file was refused; nothing from it imported).
Warnings (unknown fields kept as metadata) and errors go to stderr.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from drafter.cli_common import Lang, OutputFormat

if TYPE_CHECKING:
    from drafter.brief_import import Problem
    from drafter.brief_store import BriefStore, StoredBrief
    from drafter.briefs import BriefContext
    from drafter.store import Store

app = typer.Typer(
    help="Briefs from business units: import, check, list, show, archive; the inbox folder.",
    no_args_is_help=True,
)


GUIDELINES_HELP = "Guideline folder (default: the one in your settings, else the bundled guidelines)."


# -- helpers (tests replace load_context) -------------------------------------------------------------
def _settings() -> Any:
    from drafter.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        _fail(str(exc))


def load_context(guidelines: Path | None) -> BriefContext:
    """The goals and channels a brief may name, from the guidelines."""
    from drafter.guidelines import GuidelineError, load_guidelines

    folder = guidelines if guidelines is not None else _settings().guidelines_dir
    try:
        return load_guidelines(folder).brief_context()
    except GuidelineError as exc:
        _fail(f"guidelines: {exc}")


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _warn(problems: list[Problem]) -> None:
    for problem in problems:
        typer.echo(f"warning: {problem}", err=True)


def _open(context: BriefContext) -> tuple[Store, BriefStore]:
    """The store (DRAFTER_HOME honoured), with the bundled samples on first use."""
    from drafter.brief_store import BriefStore, ensure_samples
    from drafter.store import Store

    store = Store()
    ensure_samples(store, context)
    return store, BriefStore(store)


def _parse_day(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    from drafter.briefs import parse_date

    try:
        return parse_date(value)
    except ValueError:
        _fail(f"{option} {value!r} is not a date (use 2026-12-01 or 01.12.2026)")


# -- commands -----------------------------------------------------------------------------------------
@app.command("import")
def import_(
    files: list[Path] = typer.Argument(..., help="Brief files: .md, .yaml/.yml, .json, .csv"),
    guidelines: Path | None = typer.Option(None, "--guidelines", help=GUIDELINES_HELP),
) -> None:
    """Import brief files (all or nothing per file); print what was imported, updated, unchanged."""
    from drafter.brief_import import BriefImportError

    context = load_context(guidelines)
    store, briefs = _open(context)
    failed = 0
    with store:
        for path in files:
            try:
                result, warnings = briefs.import_file(path, context)
            except BriefImportError as exc:
                failed += 1
                typer.echo(f"{path}: not imported (nothing from this file was stored)", err=True)
                typer.echo(str(exc), err=True)
                continue
            _warn(warnings)
            typer.echo(result.summary())
    if failed:
        raise typer.Exit(2)


@app.command()
def check(
    files: list[Path] = typer.Argument(..., help="Brief files to validate"),
    guidelines: Path | None = typer.Option(None, "--guidelines", help=GUIDELINES_HELP),
) -> None:
    """Validate brief files without importing them."""
    from drafter.brief_import import BriefImportError, read_file

    context = load_context(guidelines)
    failed = 0
    for path in files:
        try:
            parsed = read_file(path, context)
        except BriefImportError as exc:
            failed += 1
            typer.echo(str(exc), err=True)
            continue
        _warn(parsed.warnings)
        ids = ", ".join(b.id for b in parsed.briefs)
        typer.echo(f"{path}: ok, {len(parsed.briefs)} brief(s): {ids}")
    if failed:
        raise typer.Exit(2)


@app.command("list")
def list_(
    goal: str | None = typer.Option(None, "--goal", help="Only this goal (aliases work)."),
    business_unit: str | None = typer.Option(None, "--business-unit", help="Only this business unit."),
    channel: str | None = typer.Option(None, "--channel", help="Only briefs for this channel id."),
    active_on: str | None = typer.Option(
        None, "--active-on", help="Only briefs neither embargoed nor expired on this day."
    ),
    include_archived: bool = typer.Option(False, "--all", help="Include archived briefs."),
    output: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json"),
    guidelines: Path | None = typer.Option(None, "--guidelines", help=GUIDELINES_HELP),
) -> None:
    """List stored briefs (newest change first)."""
    context = load_context(guidelines)
    day = _parse_day(active_on, "--active-on")
    if goal:
        canonical = context.canonical_goal(goal)
        if canonical is None:
            _fail(f"unknown goal {goal!r}; expected one of: {', '.join(sorted(set(context.goals.values())))}")
        goal = canonical
    if channel and channel not in context.channels:
        _fail(f"unknown channel {channel!r}; expected one of: {', '.join(context.channels)}")
    store, briefs = _open(context)
    with store:
        entries = briefs.entries(goal, business_unit, channel, day, include_archived)
    if output is OutputFormat.json:
        typer.echo(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
        return
    if not entries:
        typer.echo("no briefs")
        return
    width = min(40, max(len(e.brief.id) for e in entries))
    for e in entries:
        b = e.brief
        span = f"{_d(b.not_before)}…{_d(b.expires)}"
        flag = " [archived]" if e.archived else ""
        typer.echo(f"{b.id:<{width}}  {b.goal:<12} {span:<23} {b.business_unit} — {b.title}{flag}")


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


@app.command()
def show(
    brief_id: str = typer.Argument(..., metavar="ID"),
    output: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json"),
    guidelines: Path | None = typer.Option(None, "--guidelines", help=GUIDELINES_HELP),
) -> None:
    """Show one brief with its fields, text and version history."""
    context = load_context(guidelines)
    store, briefs = _open(context)
    with store:
        entry = briefs.entry(brief_id)
        versions = briefs.versions(brief_id)
    if entry is None:
        _fail(f"no brief with id {brief_id!r} (see: drafter briefs list --all)", code=1)
    if output is OutputFormat.json:
        data = entry.to_dict()
        data["versions"] = [{"version": v.version, "source": v.source, "imported_at": v.imported_at} for v in versions]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(_render(entry, len(versions)))


def _render(entry: StoredBrief, version_count: int) -> str:
    b = entry.brief
    lines = [f"{b.title}", "=" * min(len(b.title), 78)]
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
    lines += [f"{label + ':':<16}{value}" for label, value in rows if value]
    for key, value in b.metadata.items():
        lines.append(f"{key + ':':<16}{json.dumps(value, ensure_ascii=False)}")
    if b.key_messages:
        lines += ["", "Key messages:"] + [f"  - {m}" for m in b.key_messages]
    if b.text:
        lines += ["", b.text]
    return "\n".join(lines)


@app.command()
def new(
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    language: Lang = typer.Option(Lang.de, "--language", help="de or en comments"),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing --output file."),
    guidelines: Path | None = typer.Option(None, "--guidelines", help=GUIDELINES_HELP),
) -> None:
    """Print a commented Markdown template for a new brief (the recommended format)."""
    context = load_context(guidelines)
    text = brief_template(context, language.value)
    if output is None:
        typer.echo(text, nl=False)
        return
    if output.exists() and not force:
        _fail(f"{output} exists; use --force to overwrite it", code=1)
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output}")


@app.command()
def archive(
    brief_id: str = typer.Argument(..., metavar="ID"),
    guidelines: Path | None = typer.Option(None, "--guidelines", help=GUIDELINES_HELP),
) -> None:
    """Archive a brief: it leaves the lists but stays in the store (a changed re-import revives it)."""
    context = load_context(guidelines)
    store, briefs = _open(context)
    with store:
        done = briefs.archive(brief_id)
    if not done:
        _fail(f"no brief with id {brief_id!r}", code=1)
    typer.echo(f"archived {brief_id}")


@app.command()
def inbox(
    folder: Path | None = typer.Option(
        None, "--folder", envvar="DRAFTER_INBOX", help="Inbox folder (default: settings, else <data>/inbox)."
    ),
    guidelines: Path | None = typer.Option(None, "--guidelines", help=GUIDELINES_HELP),
) -> None:
    """Import new or changed files from the inbox folder now; report the ones that fail."""
    from drafter.inbox import import_inbox

    context = load_context(guidelines)
    if folder is None:
        folder = _settings().inbox_dir
    store, _ = _open(context)
    with store:
        report = import_inbox(store, context, folder)
    typer.echo(f"inbox: {report.folder}")
    if report.error:
        _fail(report.error)
    _warn(report.warnings)
    for _path, result in report.imported:
        typer.echo(result.summary())
    if report.skipped:
        typer.echo(f"{len(report.skipped)} file(s) unchanged since the last import")
    if not report.imported and not report.skipped and not report.failed:
        typer.echo("no brief files in the inbox")
    for path, error in report.failed:
        typer.echo(f"{path}: not imported (the file stays in the inbox)", err=True)
        typer.echo(str(error), err=True)
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
