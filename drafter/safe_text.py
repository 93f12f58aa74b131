"""Untrusted text made safe to show: control, C1 and bidi characters become visible escapes.

Briefs, posts, pasted text, file names and guideline messages come from other people. Printed raw, an
ESC or C1 CSI starts a terminal escape sequence (OSC 52 writes the clipboard, OSC 8 hides a link) and a
bidi override reorders what the reader sees ("Invoice ‮fdp.exe"). Everything that leaves drafter for a
terminal — the CLI's text output and every widget of the workspace — goes through :func:`visible` (or
:func:`one_line`) first. JSON output needs nothing: ``json.dumps`` with ``ensure_ascii=True`` escapes them.

Textual markup is the other half of the problem and is solved by the TUI, which shows data only as
``Content``/``Text`` objects, never as markup strings.
"""

from __future__ import annotations

import re

#: bidi embedding/override/isolate controls and marks; invisible, and they reorder the text around them
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: other invisible format characters that can hide or join text deceptively (not ZWJ: emoji need it)
_INVISIBLE = "\u200b\u2060\ufeff\u180e"

# C0 controls except TAB and LF, DEL, C1 controls, bidi controls, invisible formatters
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}{_INVISIBLE}]")
_UNSAFE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}{_INVISIBLE}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control, C1, bidi and invisible format character shown as an escape
    (``\\x1b``, ``\\u202e``). Line breaks and tabs stay; CR becomes ``\\x0d``."""
    if text.isprintable() or _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def one_line(text: str, limit: int | None = None) -> str:
    """Like :func:`visible`, and line breaks and tabs become escapes too (for labels, list rows, file
    names); cut to ``limit`` characters with an ellipsis when given."""
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text if text.isprintable() else _UNSAFE_LINE.sub(_escape, text)


def is_safe(text: str) -> bool:
    """True when ``text`` holds nothing :func:`visible` would escape (a test helper and an assertion)."""
    return _UNSAFE.search(text) is None


def strip_unsafe(text: str) -> str:
    """``text`` without the characters :func:`visible` would escape (line breaks and tabs stay): for text
    that becomes content, such as a paste into a draft, where an escape would be wrong too."""
    return text if _UNSAFE.search(text) is None else _UNSAFE.sub("", text)
