"""Small formatting helpers shared by screens (kept import-light for the first paint)."""

from __future__ import annotations

import datetime as dt


def format_date(day: dt.date | None, lang: str) -> str:
    if day is None:
        return "–"
    return day.strftime("%d.%m.%Y") if lang == "de" else day.isoformat()


def format_timestamp(moment: dt.datetime, lang: str) -> str:
    """In the user's local time (the store keeps UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d.%m.%Y %H:%M") if lang == "de" else moment.strftime("%Y-%m-%d %H:%M")
