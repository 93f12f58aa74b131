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
#: other invisible characters that can hide, split or smuggle text: Unicode format characters (soft hyphen,
#: zero-width space and non-joiner, word joiner, invisible operators, BOM, tag characters, …), the combining
#: grapheme joiner, line/paragraph separators, Hangul fillers and variation selectors that no emoji uses.
#: Not ZWJ (U+200D) nor VS15/VS16 (U+FE0E/F): emoji need them.
_INVISIBLE = (
    "\u00ad\u034f\u0600-\u0605\u06dd\u070f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b\u200c"
    "\u2028\u2029\u2060-\u2065\u206a-\u206f\u3164\ufe00-\ufe0d\uffa0\ufeff\ufff9-\ufffb"
    "\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000e0100-\U000e01ef"
)
#: every character that hides or reorders text without being seen (bidi controls and the invisible ones)
HIDDEN = BIDI_CONTROLS + _INVISIBLE

#: halves of a surrogate pair on their own (a JSON escape such as ``\\udfff`` makes one): no character, and no
#: UTF-8 encoding either, so the store refused the text with a traceback (a hostile probe)
SURROGATES = "\ud800-\udfff"

# C0 controls except TAB and LF, DEL, C1 controls, bidi controls, invisible formatters, lone surrogates
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}{_INVISIBLE}{SURROGATES}]")
_UNSAFE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}{_INVISIBLE}{SURROGATES}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    """``text`` with every control, C1, bidi and invisible format character shown as an escape
    (``\\x1b``, ``\\u202e``). Line breaks and tabs stay; CR becomes ``\\x0d``."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def one_line(text: str, limit: int | None = None) -> str:
    """Like :func:`visible`, and line breaks and tabs become escapes too (for labels, list rows, file
    names); cut to ``limit`` characters with an ellipsis when given."""
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return _UNSAFE_LINE.sub(_escape, text)


def is_safe(text: str) -> bool:
    """True when ``text`` holds nothing :func:`visible` would escape (a test helper and an assertion)."""
    return _UNSAFE.search(text) is None


def strip_unsafe(text: str) -> str:
    """``text`` without the characters :func:`visible` would escape (line breaks and tabs stay): for text
    that becomes content, such as a paste into a draft, where an escape would be wrong too."""
    return text if _UNSAFE.search(text) is None else _UNSAFE.sub("", text)


def quoted(text: str, lang: str, limit: int = 40) -> str:
    """``text`` on one line (at most ``limit`` characters) in the quotation marks of ``lang``: „…“ in German,
    “…” otherwise."""
    shown = one_line(text, limit)
    return f"„{shown}“" if lang == "de" else f"“{shown}”"
