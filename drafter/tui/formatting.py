"""Small formatting helpers shared by screens (kept import-light for the first paint).

Text from data (briefs, drafts, corpus posts, file names, guideline messages, settings values and error
messages quoting any of them) is shown through :func:`plain` / :func:`plain_line` — never as a markup
string: Textual parses ``str`` labels as markup, so ``[/]`` crashes, ``[@click=…]`` runs an action and
``[link=…]`` emits a hyperlink. Control and bidi characters are shown as escapes (:mod:`drafter.safe_text`).

Emoji widths: a one-cell character followed by the emoji presentation selector U+FE0F (``❄️``, ``❤️``)
is two cells wide for Rich (and so for Textual's layout, wrapping and repaints) but one for tmux and
other terminals, and two again for some: each such emoji pushed the rest of its line over the border,
and repaints left stale letters where wrapped words had been. :func:`display_text` draws the selector
as a space instead — the character (in its text form) and a space, two cells for Rich and for every
terminal. The length stays the same, so cursor, selection and highlights stay in place; only what is
drawn changes, never the stored text nor its authorship record.

Emoji joined by a zero-width joiner (``😮‍💨``, ``👩‍💻``, ``🙋‍♀️``) are one glyph of two cells for Rich but
two glyphs of four cells for tmux and many terminals (a new-user probe: the row slid two cells over its
border, and wrapping — worked out on Rich's widths — cut words). :func:`display_text` draws such a
sequence as its first emoji and zero-width spaces: two cells for Rich and for every terminal, the same
length. Only the drawing shows the first emoji alone; the text keeps the sequence. A joiner between
letters (Indic scripts) is left alone.
"""

from __future__ import annotations

import datetime as dt
import re

from rich.cells import cell_len, get_character_cell_size
from textual.content import Content
from textual.widgets import Input

from drafter.safe_text import one_line, strip_unsafe, visible

_EMOJI_SELECTOR = re.compile("(.)\ufe0f", re.DOTALL)
#: an emoji sequence joined by zero-width joiners (the pictographs, the symbols ♀ ♂ ⚕ …, selectors and skin
#: tones between them)
_PICTURE = "\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
_EMOJI_JOINED = re.compile(
    f"[{_PICTURE}][\ufe0f\U0001f3fb-\U0001f3ff]*(?:\u200d[{_PICTURE}][\ufe0f\U0001f3fb-\U0001f3ff]*)+"
)


def _first_emoji(match: re.Match[str]) -> str:
    """A joined emoji sequence as its first character, padded to the cells Rich gives the whole sequence
    with spaces and zero-width spaces (same length)."""
    sequence = match.group()
    first = sequence[0]
    cells = cell_len(sequence) - get_character_cell_size(first)
    rest = len(sequence) - 1
    spaces = max(0, min(cells, rest))
    return first + " " * spaces + "\u200b" * (rest - spaces)


def _two_cells(match: re.Match[str]) -> str:
    base = match.group(1)
    return base + " " if get_character_cell_size(base) == 1 else match.group()


def display_text(text: str) -> str:
    """``text`` as drawn: a one-cell character's emoji selector (U+FE0F) becomes a space, so terminal
    and layout agree on two cells, and so does a joiner between emoji (see the module docstring). Same
    length."""
    if "\u200d" in text:
        text = _EMOJI_JOINED.sub(_first_emoji, text)
    if "\ufe0f" not in text:
        return text
    return _EMOJI_SELECTOR.sub(_two_cells, text)


def shown(text: object) -> str:
    """``text`` as a string safe to put on the terminal (control/bidi characters escaped); for places that
    take plain strings (rich ``Text.append``, ``sub_title``). Never use the result as markup."""
    return display_text(visible(str(text)))


def shown_line(text: object, limit: int | None = None) -> str:
    """Like :func:`shown` on one line (line breaks and tabs escaped), cut to ``limit`` characters."""
    return display_text(one_line(str(text), limit))


def plain(text: object) -> Content:
    """Data as literal text for any widget label, ``update()`` or ``notify()``: no markup, escaped."""
    return Content(shown(text))


def plain_line(text: object, limit: int | None = None) -> Content:
    """:func:`plain` on one line (titles, list rows, file names), cut to ``limit`` characters."""
    return Content(shown_line(text, limit))


class PlainInput(Input):
    """An input field whose value never holds control, bidi or invisible format characters: a paste (or
    a stored value) drops them, so they never reach the terminal nor what is saved."""

    def validate_value(self, value: str) -> str:
        return strip_unsafe(value)


def format_date(day: dt.date | None, lang: str) -> str:
    if day is None:
        return "–"
    return day.strftime("%d.%m.%Y") if lang == "de" else day.isoformat()


def format_timestamp(moment: dt.datetime, lang: str) -> str:
    """In the user's local time (the store keeps UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d.%m.%Y %H:%M") if lang == "de" else moment.strftime("%Y-%m-%d %H:%M")
