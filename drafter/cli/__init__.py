"""The ``drafter`` command: the TUI when called bare, plus ``lint``, ``export``, ``guidelines``, ``briefs``,
``corpus``, ``originality`` and ``voice``.

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
from drafter.cli.options import GuidelinesOption
from drafter.cli.output import echo_text

app = typer.Typer(
    name="drafter",
    help="Draft social-media posts in your own voice, checked against your company's guidelines.",
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


app.command("lint")(lint.lint)
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


def main() -> None:
    """The console script. A :class:`~drafter.errors.UserError` that a command did not handle still ends
    as a message (made visible) and its exit code, never as a traceback."""
    from drafter.errors import UserError

    try:
        app()
    except UserError as exc:
        echo_text(f"drafter: {exc}", err=True)
        raise SystemExit(exc.exit_code) from None
