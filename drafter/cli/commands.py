"""The ``drafter`` command line as a typer app: the TUI when called bare, plus ``lint``, ``export``,
``guidelines``, ``briefs``, ``corpus``, ``originality`` and ``voice``. (:func:`drafter.cli.main` runs a
plain ``drafter lint`` without building it, see :mod:`drafter.cli.fast`.)

One module per command group (:mod:`.lint`, :mod:`.export`, :mod:`.guidelines`, :mod:`.briefs`,
:mod:`.corpus`); options are declared once in :mod:`.options`; everything printed goes through
:mod:`.output`; every command builds its :class:`~drafter.workspace.Workspace` with
:func:`.common.workspace`. Command modules import only typer and these helpers at the top; the heavy
modules are imported inside the commands, so ``drafter lint`` starts quickly.
"""

from __future__ import annotations

from typing import Annotated

import typer

from drafter import __version__
from drafter.cli import ai, briefs, corpus, export, guidelines, lint, team, voice
from drafter.cli.common import workspace
from drafter.cli.options import (
    BriefFileOption,
    ChannelOption,
    DateOption,
    FormatOption,
    GuidelinesOption,
    OutputFormat,
    ProfileLangOption,
)

app = typer.Typer(
    name="drafter",
    help="Draft social-media posts in your own voice, checked against your company's guidelines.\n\n"
    "Run 'drafter' without a command to open the drafting workspace. Brief files (Markdown, YAML, JSON, CSV) dropped"
    " into the inbox folder (the settings, F9, show which) are imported when it starts ('drafter briefs import FILE'"
    " does it here and now).",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


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


@app.command("lint")
def lint_command(
    ctx: typer.Context,
    files: Annotated[
        list[str] | None, typer.Argument(help="Draft files, or '-' for standard input.", metavar="FILE")
    ] = None,
    channel: ChannelOption = None,
    guidelines: GuidelinesOption = None,
    brief: BriefFileOption = None,
    date: DateOption = None,
    output: FormatOption = OutputFormat.text,
    lang: ProfileLangOption = None,
) -> None:
    """Check drafts against the guidelines. Exit 0: no error-level finding; 1: errors; 2: bad input, or a
    check left incomplete (a rule over its time limit or its number of findings).
    The CLI speaks English; --lang chooses the language of the guideline messages only."""
    ws = workspace(ctx, guidelines, lang=lang.value if lang is not None else None)
    raise typer.Exit(lint.run(ws, files, channel=channel, brief=brief, date=date, output=output.value))


app.command("export")(export.export)
app.add_typer(guidelines.app, name="guidelines")
app.add_typer(briefs.app, name="briefs")
app.add_typer(corpus.app, name="corpus")
app.add_typer(corpus.originality_app, name="originality")
app.add_typer(voice.app, name="voice")
app.command("suggest")(ai.suggest)
app.add_typer(ai.app, name="ai")
app.add_typer(team.app, name="team")
briefs.app.command("publish")(team.briefs_publish)
guidelines.app.command("publish")(team.guidelines_publish)
