"""The ``drafter`` command: the TUI when called bare, plus ``lint``, ``export``, ``guidelines``, ``briefs``,
``corpus``, ``originality`` and ``voice``.

The typer app is built in :mod:`.commands` (``drafter.cli.app`` is it, imported on first use); one
module per command group (:mod:`.lint`, :mod:`.export`, :mod:`.guidelines`, :mod:`.briefs`,
:mod:`.corpus`); options are declared once in :mod:`.options`; everything printed goes through
:mod:`.output`; every command builds its :class:`~drafter.workspace.Workspace` with
:func:`.common.workspace`. Command modules import only typer and these helpers at the top; the heavy
modules are imported inside the commands. This package itself imports nothing, so that
:func:`main` can run a plain ``drafter lint`` before typer is loaded (:mod:`.fast`).
"""

from __future__ import annotations

import gc
import importlib
import sys
from typing import Any


def main() -> None:
    """The console script. A :class:`~drafter.errors.UserError` that a command did not handle still ends
    as a message (made visible) and its exit code, never as a traceback."""
    # the collector pauses from here: the imports make long-lived objects, no garbage (a plain lint turns
    # it on again once its guidelines are loaded, see drafter.cli.fast; any other command line right away)
    gc.disable()
    from drafter.cli.fast import run_fast
    from drafter.cli.output import echo_text
    from drafter.errors import UserError

    try:
        code = run_fast(sys.argv[1:])
        if code is not None:
            raise SystemExit(code)
        gc.enable()
        from drafter.cli.commands import app

        app()
    except UserError as exc:
        echo_text(f"drafter: {exc}", err=True)
        raise SystemExit(exc.exit_code) from None
    except Exception as exc:
        import sqlite3  # only here: a lint without a store never loads sqlite3

        if not isinstance(exc, sqlite3.DatabaseError):
            raise
        from drafter.errors import unreadable_store
        from drafter.paths import store_path

        # a store damaged by hand or by a disk (hostile probe: tables dropped, bytes where text belongs)
        echo_text(f"drafter: {unreadable_store(store_path(), exc)}", err=True)
        raise SystemExit(2) from None


def __getattr__(name: str) -> Any:
    """``app`` and the command modules (``drafter.cli.lint``, …), imported when first asked for."""
    if name == "app":
        from drafter.cli.commands import app

        return app
    if name.startswith("__"):  # asked by tools (``__wrapped__``, …): never a command module
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
