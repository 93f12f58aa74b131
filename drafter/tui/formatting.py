"""Small formatting helpers shared by screens (kept import-light for the first paint).

Text from data (briefs, drafts, corpus posts, file names, guideline messages, settings values and error
messages quoting any of them) is shown through :func:`plain` / :func:`plain_line` — never as a markup
string: Textual parses ``str`` labels as markup, so ``[/]`` crashes, ``[@click=…]`` runs an action and
``[link=…]`` emits a hyperlink. Control and bidi characters are shown as escapes (:mod:`drafter.safe_text`).
"""

from __future__ import annotations

import datetime as dt

from textual.content import Content
from textual.widgets import Input

from drafter.safe_text import one_line, strip_unsafe, visible


def shown(text: object) -> str:
    """``text`` as a string safe to put on the terminal (control/bidi characters escaped); for places that
    take plain strings (rich ``Text.append``, ``sub_title``). Never use the result as markup."""
    return visible(str(text))


def shown_line(text: object, limit: int | None = None) -> str:
    """Like :func:`shown` on one line (line breaks and tabs escaped), cut to ``limit`` characters."""
    return one_line(str(text), limit)


def plain(text: object) -> Content:
    """Data as literal text for any widget label, ``update()`` or ``notify()``: no markup, escaped."""
    return Content(visible(str(text)))


def plain_line(text: object, limit: int | None = None) -> Content:
    """:func:`plain` on one line (titles, list rows, file names), cut to ``limit`` characters."""
    return Content(one_line(str(text), limit))


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
