"""The ``drafter`` command: the TUI when called bare, plus ``lint``, ``guidelines``, ``briefs``, ``corpus``
and ``originality`` sub-commands. Heavy modules are imported inside the commands that need them."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from drafter import __version__
from drafter.cli_common import Lang, OutputFormat

if TYPE_CHECKING:
    from drafter.guidelines import GuidelineSet
    from drafter.originality import PostIndex

app = typer.Typer(
    name="drafter",
    help="Draft social-media posts in your own voice, checked against your company's guidelines.",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
guidelines_app = typer.Typer(help="Validate, test and list a guidelines folder.", no_args_is_help=True)
app.add_typer(guidelines_app, name="guidelines")


GuidelinesOption = Annotated[
    Path | None,
    typer.Option(
        "--guidelines",
        help="Guidelines folder (default: the one in your settings, else the bundled default set).",
        file_okay=False,
    ),
]


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"drafter: {message}", err=True)
    raise typer.Exit(code)


def _settings_guidelines_dir() -> Path | None:
    from drafter.settings import SettingsError, load_settings

    try:
        return load_settings().guidelines_dir
    except SettingsError as exc:  # which guidelines apply is unclear: say so rather than guess
        fail(f"settings: {exc}")


def load_guideline_set(folder: Path | None, ctx: typer.Context | None = None) -> GuidelineSet:
    """The guidelines of ``--guidelines`` (on the command, or ``drafter --guidelines DIR`` before it), else
    the settings', else the bundled set."""
    from drafter.guidelines import GuidelineError, load_guidelines

    if folder is None and ctx is not None:
        folder = ctx.find_root().params.get("guidelines")
    try:
        return load_guidelines(folder or _settings_guidelines_dir())
    except GuidelineError as exc:
        fail(f"guideline error:\n{exc}")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"drafter {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    guidelines: GuidelinesOption = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Without a command, open the drafting workspace (TUI)."""
    if ctx.invoked_subcommand is None:
        from drafter.tui.app import run

        run(guidelines)


# --------------------------------------------------------------------------------------------------
# lint
# --------------------------------------------------------------------------------------------------
def _read_inputs(files: list[str]) -> list[tuple[str, str]]:
    """Read every input as bytes and decode it the same way: UTF-8 (a BOM is dropped), strictly."""
    if not files:
        if sys.stdin.isatty():
            fail("give one or more FILEs, or '-' to read the draft from standard input")
        files = ["-"]
    inputs = []
    for name in files:
        if name == "-":
            label, raw = "<stdin>", sys.stdin.buffer.read()
        else:
            label = name
            try:
                raw = Path(name).read_bytes()
            except OSError as exc:
                fail(f"{name}: cannot read ({exc.strerror})")
        try:
            inputs.append((label, raw.decode("utf-8-sig")))
        except UnicodeDecodeError as exc:
            fail(f"{label}: not UTF-8 text (byte {exc.start})")
    return inputs


def _local_corpus() -> PostIndex | None:
    """The store's corpus of posts, if there is a store with posts; None otherwise."""
    import sqlite3

    from drafter import paths

    if not paths.store_path().exists():
        return None
    from drafter.originality import StoredPostIndex
    from drafter.store import Store

    try:
        store = Store()
    except sqlite3.Error as exc:  # the corpus is an extra; lint must still work without it
        typer.echo(f"drafter: warning: corpus not available ({exc})", err=True)
        return None
    index = StoredPostIndex(store)
    if len(index):
        return index  # lives until the process ends
    store.close()
    return None


@app.command()
def lint(
    ctx: typer.Context,
    files: Annotated[list[str] | None, typer.Argument(help="Draft files, or '-' for standard input.")] = None,
    channel: Annotated[str, typer.Option("--channel", "-c", help="Channel id, e.g. x, linkedin, instagram.")] = "",
    guidelines: GuidelinesOption = None,
    brief: Annotated[Path | None, typer.Option("--brief", help="The brief the draft answers (Markdown).")] = None,
    date: Annotated[str | None, typer.Option("--date", help="Check date YYYY-MM-DD (default: today).")] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = OutputFormat.text,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the messages.")] = Lang.de,
) -> None:
    """Check drafts against the guidelines. Exit 0: no error-level finding; 1: errors; 2: bad input."""
    gs = load_guideline_set(guidelines, ctx)
    if not channel:
        fail(f"--channel is required; one of: {', '.join(gs.channels)}")
    if channel not in gs.channels:
        fail(f"unknown channel {channel!r}; one of: {', '.join(gs.channels)}")
    day = dt.date.today()
    if date:
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            fail(f"--date {date!r} is not a date in the form YYYY-MM-DD")
    the_brief = None
    if brief is not None:
        from drafter.brief_import import BriefImportError, load_brief

        try:
            the_brief = load_brief(brief, gs.brief_context())
        except BriefImportError as exc:
            fail(f"brief: {exc}")
    inputs = _read_inputs(files or [])

    from drafter.checker import Checker
    from drafter.findings import LineIndex

    corpus = _local_corpus()
    checker = Checker(gs, lang=lang.value)
    results = [(name, checker.check(text, channel, brief=the_brief, date=day, corpus=corpus)) for name, text in inputs]
    if output is OutputFormat.json:
        typer.echo(json.dumps([r.to_dict(name) for name, r in results], ensure_ascii=False, indent=2))
    else:
        for name, result in results:
            index = LineIndex(result.text)
            for f in result.findings:
                line, col = index.position(f.start)
                typer.echo(f"{name}:{line}:{col}: {f.severity.value} {f.category} {f.rule}: {f.message}")
            length = result.length
            status = "over the limit" if length.over else "ok"
            extra = f", {length.bytes}/{length.byte_limit} bytes" if length.byte_limit is not None else ""
            typer.echo(f"{name}: length {length.count}/{length.limit} {length.unit} on {channel}{extra} ({status})")
    incomplete = [(name, r.skipped) for name, r in results if r.skipped]  # a runaway pattern on that text
    for name, skipped in incomplete:
        typer.echo(f"drafter: {name}: check incomplete, rule(s) skipped: {', '.join(skipped)}", err=True)
    if incomplete:
        raise typer.Exit(2)
    raise typer.Exit(1 if any(r.has_errors for _, r in results) else 0)


# --------------------------------------------------------------------------------------------------
# guidelines
# --------------------------------------------------------------------------------------------------
DirArgument = Annotated[Path | None, typer.Argument(help="Guidelines folder (default: the bundled set).")]


@guidelines_app.command("check")
def guidelines_check(ctx: typer.Context, folder: DirArgument = None) -> None:
    """Validate a guidelines folder (and time its patterns on adversarial probe texts); exit 2 with
    file:line:column: field: message per problem."""
    from drafter.guidelines import slow_patterns

    gs = load_guideline_set(folder, ctx)
    slow = slow_patterns(gs)
    if slow:
        fail("guideline error:\n" + "\n".join(str(p) for p in slow))
    layers = " <- ".join(str(p) for p in gs.layers)
    typer.echo(f"ok: {gs.label}: {len(gs.rules)} rules, {len(gs.channels)} channels, {len(gs.goals)} goals ({layers})")


@guidelines_app.command("test")
def guidelines_test(
    ctx: typer.Context,
    folder: DirArgument = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the messages.")] = Lang.de,
) -> None:
    """Run every rule's examples: each bad one must trigger its rule, no good one may."""
    from drafter.guideline_examples import run_examples

    gs = load_guideline_set(folder, ctx)
    reports = run_examples(gs, lang=lang.value)
    failed = 0
    for report in reports:
        total = report.passed + len(report.failures)
        mark = "ok  " if report.ok else "FAIL"
        typer.echo(f"{mark} {report.rule}: {report.passed}/{total} examples")
        for failure in report.failures:
            failed += 1
            typer.echo(f"     {failure.kind} example on {failure.channel}: {failure.problem}")
            typer.echo(f"       {failure.text[:100]!r}")
    bad_rules = sum(1 for r in reports if not r.ok)
    typer.echo(f"{len(reports) - bad_rules} of {len(reports)} rules pass their examples")
    raise typer.Exit(1 if failed else 0)


@guidelines_app.command("show")
def guidelines_show(
    ctx: typer.Context,
    folder: DirArgument = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = OutputFormat.text,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the messages.")] = Lang.de,
) -> None:
    """List the rules of a guidelines folder (after layering)."""
    from drafter.guidelines import localized

    gs = load_guideline_set(folder, ctx)
    rows = []
    for rule in gs.rules:
        source = gs.sources.get(rule.id)
        rows.append(
            {
                "id": rule.id,
                "type": rule.type,
                "level": rule.level.value,
                "category": rule.category,
                "channels": list(rule.channels) if rule.channels else "all",
                "message": localized(rule.message, lang.value),
                "source": f"{source.file}:{source.line}" if source else "",
            }
        )
    if output is OutputFormat.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{gs.label} ({len(rows)} rules)")
    for row in rows:
        scope = row["channels"] if row["channels"] == "all" else ",".join(row["channels"])
        typer.echo(f"{row['level']:<8} {row['category']:<16} {row['id']:<32} [{row['type']}; {scope}]")


# --------------------------------------------------------------------------------------------------
# Sub-command groups from their own modules
# --------------------------------------------------------------------------------------------------
def _register_groups() -> None:
    from drafter.cli_briefs import app as briefs_app
    from drafter.cli_corpus import app as corpus_app
    from drafter.cli_corpus import originality_app

    if not any(group.name == "briefs" for group in app.registered_groups):
        app.add_typer(briefs_app, name="briefs")
        app.add_typer(corpus_app, name="corpus")
        app.add_typer(originality_app, name="originality")


def main() -> None:
    _register_groups()
    app()
