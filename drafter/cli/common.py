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

import typer

from drafter.cli.output import fail

if TYPE_CHECKING:
    from drafter.briefs import BriefContext
    from drafter.guidelines import GuidelineSet
    from drafter.settings import Settings
    from drafter.workspace import Workspace


def workspace(ctx: typer.Context, guidelines: Path | None = None, *, lang: str | None = None) -> Workspace:
    """The workspace of this command: ``--guidelines`` of the command, else of ``drafter`` itself.
    Closed when the command ends."""
    from drafter.workspace import Workspace

    root = ctx.find_root().params.get("guidelines")
    option = guidelines if guidelines is not None else root
    ws = Workspace(guidelines_option=option, strict=True, language=lang)
    ctx.call_on_close(ws.close)
    return ws


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


def parse_iso_day(value: str | None, option: str = "--date") -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date in the form YYYY-MM-DD")


def post_text(text: str) -> str:
    """The post in a file's text: a single trailing line break (as an editor saves it) is not part of it."""
    if text.endswith("\r\n"):
        return text[:-2]
    return text.removesuffix("\n")


def read_drafts(files: list[str]) -> list[tuple[str, str]]:
    """``(label, post text)`` for every input ('-' = standard input). Every input is read as bytes and
    decoded the same way: UTF-8 (a BOM is dropped), strictly; a single trailing line break is dropped."""
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
            inputs.append((label, post_text(raw.decode("utf-8-sig"))))
        except UnicodeDecodeError as exc:
            fail(f"{label}: not UTF-8 text (byte {exc.start})")
    return inputs
