"""What every command needs: its :class:`~drafter.workspace.Workspace`, and the draft it reads.

:func:`workspace` is the only place in the CLI that decides which guidelines apply: the command's own
``--guidelines DIR``, else the root ``drafter --guidelines DIR``, both handed to the workspace as *the*
command-line folder; the workspace then applies the one resolution order (command line, settings,
bundled). Settings and guideline errors stop the command (``strict``) with the file, line and field.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from drafter.cli.output import echo_text, fail

if TYPE_CHECKING:
    import typer

    from drafter.briefs import BriefContext
    from drafter.guidelines import GuidelineSet
    from drafter.settings import Settings
    from drafter.workspace import Workspace


def workspace(ctx: typer.Context, guidelines: Path | None = None, *, lang: str | None = None) -> Workspace:
    """The workspace of this command: ``--guidelines`` of the command, else of ``drafter`` itself.
    Closed when the command ends."""
    root = ctx.find_root().params.get("guidelines")
    ws = command_workspace(guidelines if guidelines is not None else root, lang=lang)
    ctx.call_on_close(ws.close)
    return ws


def command_workspace(guidelines: Path | None, *, lang: str | None = None) -> Workspace:
    """The workspace of a command whose ``--guidelines`` folder is ``guidelines``; the caller closes it."""
    from drafter.workspace import Workspace

    return Workspace(guidelines_option=guidelines, strict=True, language=lang)


def settings(ws: Workspace) -> Settings:
    from drafter.settings import SettingsError

    try:
        return ws.settings
    except SettingsError as exc:  # which guidelines or folders apply is unclear: say so rather than guess
        fail(f"settings: {exc}")


def guideline_set(ws: Workspace) -> GuidelineSet:
    """The guidelines in force; a broken folder or broken settings end the command (exit 2)."""
    from drafter.guidelines import GuidelineError

    settings(ws)
    try:
        return ws.guidelines
    except GuidelineError as exc:
        fail(f"guideline error:\n{exc}")


def brief_context(ws: Workspace) -> BriefContext:
    guideline_set(ws)
    return ws.brief_context()


def require_channels(gs: GuidelineSet, channels: list[str]) -> None:
    for channel in channels:
        if channel not in gs.channels:
            fail(f"unknown channel {channel!r}; one of: {', '.join(gs.channels)}")


def command_channels(
    ws: Workspace, gs: GuidelineSet, given: list[str] | None, *, announce: bool, first_only: bool = False
) -> list[str]:
    """The channels a command works on: ``--channel`` when given, else the profile's preferred channels,
    else the guideline set's default channel — said on stderr when ``announce`` (text output), as lint
    does. ``drafter export`` and ``drafter suggest`` both ask here; ``first_only``: the command works on one
    channel (``suggest``), and the announcement names that one. Unknown channels end the command."""
    channels = list(given or settings(ws).channels)
    if first_only:
        channels = channels[:1]
    if channels and not given and announce:  # the profile's: a post for LinkedIn was refused as too long for X
        named = ", ".join(channels[:10]) + (f", … (+{len(channels) - 10})" if len(channels) > 10 else "")
        which = "your profile's first channel" if first_only else "your profile's preferred channels"
        word = "channel" if len(channels) == 1 else "channels"
        echo_text(f"drafter: {word} {named} ({which}; --channel chooses others)", err=True)
    if not channels:
        channels = [gs.default_channel]
        if announce:
            echo_text(
                f"drafter: channel {gs.default_channel} (the guidelines' default; --channel chooses another)", err=True
            )
    require_channels(gs, channels)
    return channels


def parse_iso_day(value: str | None, option: str = "--date") -> dt.date | None:
    if not value:
        return None
    from drafter.text_input import parse_date

    try:
        return parse_date(value, german=False)
    except ValueError as exc:
        fail(f"{option}: {exc}")


def post_text(text: str) -> str:
    """The post in a file's text: a single trailing line break (as an editor saves it) is not part of it."""
    if text.endswith("\r\n"):
        return text[:-2]
    return text.removesuffix("\n")


def read_drafts(files: list[str]) -> list[tuple[str, str]]:
    """``(label, post text)`` for every input ('-' = standard input), read and decoded the one way
    :mod:`drafter.text_input` reads text (regular files only, bounded, UTF-8 or UTF-16 with a BOM); a
    single trailing line break is dropped."""
    from drafter.text_input import TextInputError, decode, read_bytes, read_stream

    if not files:
        if sys.stdin.isatty():
            fail("give one or more FILEs, or '-' to read the draft from standard input")
        files = ["-"]
    inputs = []
    for name in files:
        label = "<stdin>" if name == "-" else name
        try:
            raw = read_stream(sys.stdin.buffer, label=label) if name == "-" else read_bytes(name)
            text = decode(raw, label, controls=True)  # the checker reports control characters with their place
        except TextInputError as exc:
            fail(str(exc))
        inputs.append((label, post_text(text)))
    return inputs
