"""``drafter lint`` without typer: the hot command, run before the command line is built.

Importing typer and building the app costs about a third of a cold ``drafter lint``. A call that is
plainly ``drafter lint`` with its own options spelled out (``--channel x``, ``--format=json``, files,
``-`` for standard input) is run here with the very same code (:func:`drafter.cli.lint.run`); anything
else — ``--help``, a root option, an unknown, repeated or abbreviated option, a value typer would refuse
(``--format xml``, a file as ``--guidelines``), shell completion — returns None and goes to typer, so
every message about the command line is typer's own. What happens once the arguments are read
(messages, exit codes, Ctrl+C, a closed pipe) is what typer does with the command.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drafter.workspace import Workspace

#: the options of ``drafter lint`` (see :func:`drafter.cli.commands.lint_command`) → parameter
_OPTIONS = {
    "--channel": "channel",
    "-c": "channel",
    "--guidelines": "guidelines",
    "--brief": "brief",
    "--date": "date",
    "--format": "output",
    "--lang": "lang",
}
_CHOICES = {"output": ("text", "json"), "lang": ("de", "en")}


def parse_lint(argv: list[str]) -> dict[str, Any] | None:
    """The parameters of a plain ``drafter lint`` call, or None when typer should read ``argv``."""
    if not argv or argv[0] != "lint" or any(name.endswith("_COMPLETE") for name in os.environ):
        return None
    values: dict[str, Any] = {}
    files: list[str] = []
    index = 1
    while index < len(argv):
        arg = argv[index]
        if not _plain(arg):
            return None
        if arg == "-" or not arg.startswith("-"):
            files.append(arg)
            index += 1
            continue
        name, equals, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        key = _OPTIONS.get(name)
        if key is None or key in values:
            return None
        if not equals:
            if index + 1 >= len(argv):
                return None
            value = argv[index + 1]
            index += 1
        index += 1
        if not _plain(value) or value.startswith("-") or value not in _CHOICES.get(key, (value,)):
            return None
        values[key] = value
    for key in ("guidelines", "brief"):
        if key in values:
            path = _path(values[key], folder=key == "guidelines")
            if path is None:
                return None
            values[key] = path
    return {"files": files or None, **values}


def _plain(arg: str) -> bool:
    """Text typer passes on unchanged (no undecodable bytes from the command line)."""
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _path(value: str, *, folder: bool) -> Path | None:
    """``value`` as typer's path option gives it, or None when typer would refuse it or look closer: an
    existing path must be readable, and a folder option must not name a file."""
    if not value:
        return None
    try:
        os.stat(value)
    except OSError:
        return Path(value)  # typer accepts a path that does not exist; the command reports it
    if not os.access(value, os.R_OK) or (folder and not os.path.isdir(value)):
        return None
    return Path(value)


def run_fast(argv: list[str]) -> int | None:
    """Run ``drafter ARGV`` when it is a plain lint call (see the module docstring) and return its exit
    code; None: not one, use typer."""
    params = parse_lint(argv)
    if params is None:
        return None
    from drafter.cli import lint
    from drafter.cli.common import command_workspace, guideline_set

    try:
        try:
            ws = command_workspace(params.get("guidelines"), lang=params.get("lang"))  # None: the profile's
            try:
                _load_quickly(ws, guideline_set)
                return lint.run(
                    ws,
                    params["files"],
                    channel=params.get("channel"),
                    brief=params.get("brief"),
                    date=params.get("date"),
                    output=params.get("output", "text"),
                )
            finally:
                ws.close()
        except EOFError:
            from drafter.cli.output import echo_text

            echo_text(err=True)
            echo_text("Aborted!", err=True)
            return 1
        except KeyboardInterrupt:
            return 130
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise
            _quiet_streams()
            return 1
    except BaseException as exc:
        typer = sys.modules.get("typer")  # loaded only when the command failed (drafter.cli.output.fail)
        if typer is not None and isinstance(exc, typer.Exit):
            return int(exc.exit_code)
        raise


def _load_quickly(ws: Workspace, load: Callable[[Workspace], object]) -> None:
    """``load(ws)`` (settings and guidelines, as the command loads them first) with Python's cyclic
    garbage collector paused: start-up creates some hundred thousand long-lived objects (modules, classes,
    the guideline set) and no garbage cycles, so the collections it would trigger find nothing (about 5 %
    of a cold lint). The collector runs again for the drafts, whatever their number."""
    gc.disable()
    try:
        load(ws)
    finally:
        gc.freeze()  # what start-up made stays out of later collections (it lives as long as the process)
        gc.enable()


def _quiet_streams() -> None:
    """After a closed pipe, as typer does: later flushes of stdout and stderr are silent."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(devnull, stream.fileno())
    os.close(devnull)
