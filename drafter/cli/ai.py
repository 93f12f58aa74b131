"""``drafter suggest`` and ``drafter ai status``: the AI pipeline (:mod:`drafter.ai.pipeline`) on the
command line — the same preparation, data policy and gate as the app's AI panel.

Exit codes: 0 suggestions came back (some may be blocked); 2 bad input or configuration, or the data
policy refused to send (the message names the rule); 3 the provider failed or its answer could not be
read. Failures are one line on stderr, never a traceback; the API key is never printed.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from drafter.cli.common import command_channels, guideline_set, read_drafts, workspace
from drafter.cli.options import ChannelOption, FormatOption, GuidelinesOption, OutputFormat
from drafter.cli.output import echo_text, emit_json, fail, field

if TYPE_CHECKING:
    from drafter.briefs import Brief
    from drafter.workspace import Workspace

app = typer.Typer(help="Optional AI suggestions: settings and server.", no_args_is_help=True, rich_markup_mode=None)


class Kind(StrEnum):
    angles = "angles"
    critique = "critique"
    rephrase = "rephrase"
    hashtags = "hashtags"


BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--base-url", help="An OpenAI-compatible endpoint for this run (enables AI for it).", show_default=False
    ),
]
ModelOption = Annotated[
    str | None, typer.Option("--model", help="The model for this run (enables AI for it).", show_default=False)
]


def _brief(ws: Workspace, value: str) -> Brief:
    """``--brief``: a brief file when such a file exists, else the id of a stored brief."""
    path = Path(value)
    if path.is_file():
        from drafter.cli.lint import load_brief_file

        brief: Brief = load_brief_file(ws, path)
        return brief
    found = ws.brief_store().get(value)
    if found is None:
        fail(f"--brief: no such file or stored brief: {field(value, 200)!r} (see: drafter briefs list)")
    return found


def _selection(draft: str, selection: str) -> tuple[int, int]:
    start = draft.find(selection)
    if start < 0:
        fail("--selection: the text is not part of the draft")
    return start, start + len(selection)


def _print_text(result: Any) -> None:
    sent = result.sent
    redacted = ", ".join(f"{name} {count}" for name, count in sent["redactions"].items()) or "nothing"
    echo_text(
        f"{result.kind} from {field(result.model)} at {field(sent['host'])} on {result.channel} "
        f"({sent['chars']:,} characters sent, redacted: {redacted})"
    )
    for number, s in enumerate(result.suggestions, 1):
        where = f" [{s.start}-{s.end}]" if s.start is not None and s.kind in ("critique", "rephrase") else ""
        echo_text(f"{number}.{where} {field(s.text)}")
        if s.blocked:
            echo_text(f"   {field(s.reason)}")
        for f in s.findings:
            echo_text(f"   {f.severity.value} {field(f.rule)}: {field(f.message)}")
        if s.voice is not None:
            echo_text(f"   voice: {round(s.voice)}/100")


def suggest(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(help="angles, critique, rephrase or hashtags.")],
    brief: Annotated[
        str | None, typer.Option("--brief", help="A brief file, or the id of a stored brief.", show_default=False)
    ] = None,
    draft: Annotated[
        str | None, typer.Option("--draft", help="The draft: a UTF-8 text file, or '-' for standard input.")
    ] = None,
    selection: Annotated[
        str | None, typer.Option("--selection", help="The sentence to rephrase (part of the draft).")
    ] = None,
    channel: ChannelOption = None,
    base_url: BaseUrlOption = None,
    model: ModelOption = None,
    guidelines: GuidelinesOption = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Ask the configured model for suggestions; every one is checked against the guidelines.
    Exit 0: suggestions (some may be blocked); 2: bad input, configuration or data policy; 3: provider failed."""
    from drafter.ai.config import resolve
    from drafter.ai.errors import AiError
    from drafter.ai.pipeline import Request, prepare, run
    from drafter.cli.common import settings

    ws = workspace(ctx, guidelines, lang="en")
    gs = guideline_set(ws)
    try:  # AI off or misconfigured is the first thing to say, before any complaint about the input
        resolve(settings(ws).ai, base_url=base_url, model=model)
    except AiError as exc:
        fail(exc)
    # the channel as export chooses it (--channel, the profile's first, else the guidelines' default, said)
    # (a new-user probe: it named both preferred channels, then suggested for the first alone)
    given = [channel] if channel else None
    channel = command_channels(ws, gs, given, announce=output is OutputFormat.text, first_only=True)[0]
    the_brief = _brief(ws, brief) if brief else None
    text = read_drafts([draft])[0][1] if draft else ""
    span = None
    if selection is not None:
        if not text:
            text = selection
        span = _selection(text, selection)
    request = Request(kind.value, draft=text, selection=span, brief=the_brief, channel=channel)
    try:
        prepared = prepare(ws, request, base_url=base_url, model=model)
        result = run(ws, prepared, lang="en")
    except AiError as exc:
        fail(exc)
    if output is OutputFormat.json:
        emit_json(result.to_dict())
    else:
        _print_text(result)


@app.command("status")
def status(
    ctx: typer.Context,
    base_url: BaseUrlOption = None,
    model: ModelOption = None,
    guidelines: GuidelinesOption = None,
) -> None:
    """Check the [ai] settings and the server, and list its models.
    Exit 0: ready; 2: AI off or misconfigured; 3: the server failed."""
    from drafter.ai.config import resolve
    from drafter.ai.errors import AiError
    from drafter.ai.provider import list_models
    from drafter.cli.common import settings

    ws = workspace(ctx, guidelines, lang="en")
    ai = settings(ws).ai
    # --base-url/--model switch AI on for this run (as ``resolve`` does); "no (for this run)" followed by "ready"
    # contradicted itself (a new-user probe)
    if base_url or model:
        echo_text(f"enabled:  yes (for this run{'' if ai.enabled else '; off in the settings'})")
    else:
        echo_text(f"enabled:  {'yes' if ai.enabled else 'no'}")
    try:
        config = resolve(ai, base_url=base_url, model=model)
    except AiError as exc:
        echo_text(f"verdict:  not ready: {exc.message}")
        raise typer.Exit(2) from None
    echo_text(f"base_url: {field(config.base_url)}")
    echo_text(f"model:    {field(config.model)}")
    key = "set" if config.has_key else f"not set (none needed for {config.host})"
    echo_text(f"api key:  {field(config.key_env)} {key}")
    try:
        models = list_models(config)
    except AiError as exc:
        echo_text(f"verdict:  not ready: {exc.message}")
        raise typer.Exit(exc.exit_code) from None
    # the server's words: each id cut, and the line too (a 100,000-character id was printed whole: a hostile probe)
    listed = ", ".join(field(m, 80) for m in models[:50])
    listed += f" and {len(models) - 50} more" if len(models) > 50 else ""
    echo_text(f"models:   {field(listed, 2000) or '(none listed)'}")
    if models and config.model not in models:
        echo_text(f"verdict:  the server answers, but does not list model {field(config.model)!r}")
        raise typer.Exit(2)
    echo_text("verdict:  ready")
