"""Everything the CLI writes goes through here: text lines, JSON documents, warnings and failures.

Briefs, posts, file names, guideline messages and settings values are untrusted. Printed raw, an ESC or
a C1 CSI (U+009B) starts a terminal escape sequence (OSC 52 writes the clipboard, OSC 8 hides a link)
and a bidi control reorders what the reader sees ("Invoice U+202E fdp.exe"). So:

- text lines pass through :func:`drafter.safe_text.visible` (control, C1, bidi and invisible characters
  become escapes such as ``\\x1b`` or ``\\u202e``); single-line fields (file names, titles, metadata keys)
  use :func:`field` so a line break in them cannot forge another output line;
- JSON is ``json.dumps`` with ``ensure_ascii=False`` (umlauts stay readable; C0 is escaped by JSON itself)
  and every other character that :mod:`drafter.safe_text` would escape (DEL, C1, bidi, invisible) plus
  U+2028/U+2029 written as ``\\uXXXX`` — still valid JSON that parses back to the original string.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import sys
from typing import Any, NoReturn

from drafter.safe_text import is_safe, one_line, visible

__all__ = ["echo_text", "emit_json", "fail", "field", "json_text", "warn"]

#: candidates for escaping in JSON: everything outside printable ASCII (checked against safe_text)
_NON_ASCII = re.compile(r"[^\x20-\x7e]")
_SEPARATORS = "\u2028\u2029"


def field(value: object, limit: int | None = None) -> str:
    """One untrusted value for a single output line: escapes for control, bidi and line breaks."""
    return one_line(str(value), limit)


def _plain_stream(stream: object) -> bool:
    """Whether ``typer.echo`` would write to ``stream`` as it is: a text stream with its encoding and error
    handler set, the encoding not ASCII (typer re-wraps those in UTF-8), not the Windows console."""
    encoding = getattr(stream, "encoding", None)
    if os.name == "nt" or not isinstance(stream, io.TextIOBase) or not encoding or not getattr(stream, "errors", None):
        return False
    try:
        return codecs.lookup(encoding).name != "ascii"
    except LookupError:
        return False


def _echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """What ``typer.echo`` does with safe text: write it and flush. Written directly on ordinary streams, so
    ``drafter lint`` need not import typer (see :mod:`drafter.cli.fast`); anything else goes to typer.
    (typer would also strip ANSI sequences off a stream that is not a terminal: the text here holds no
    escape character to start one.)"""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    if not _plain_stream(stream):
        import typer

        typer.echo(text, err=err, nl=nl)
        return
    stream.write(text + "\n" if nl else text)
    stream.flush()


def echo_text(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print ``text`` (may span lines) with every unsafe character made visible."""
    _echo(visible(text), err=err, nl=nl)


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SEPARATORS or not is_safe(char):
        return f"\\u{ord(char):04x}"
    return char


def json_text(data: Any) -> str:
    """``data`` as indented JSON that is safe to print: see the module docstring."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if text.isascii() and "\x7f" not in text:
        return text
    return _NON_ASCII.sub(_json_escape, text)


def emit_json(data: Any) -> None:
    _echo(json_text(data))


def warn(message: str) -> None:
    """A warning on stderr (``drafter: warning: …``)."""
    echo_text(f"drafter: warning: {message}", err=True)


def fail(error: BaseException | str, code: int | None = None) -> NoReturn:
    """Print ``error`` safely on stderr (``drafter: …``) and exit with ``code``, else the error's
    ``exit_code`` (a :class:`drafter.errors.UserError`), else 2."""
    import typer

    exit_code = code if code is not None else getattr(error, "exit_code", 2)
    echo_text(f"drafter: {error}", err=True)
    raise typer.Exit(exit_code)
