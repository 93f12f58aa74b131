"""First-paint fast path: what the inbox needs, read without pydantic.

Importing pydantic and building the first model costs about 75 ms, more than the whole rest of the
inbox. So the very first frame is painted from a peek at the settings TOML and from the brief rows'
stored JSON; the full, validated models (settings, briefs, guidelines) load right after, in the
background, and the inbox is refreshed from them. Anything unexpected here returns ``None`` and the
caller takes the normal (validated) path instead.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter.i18n import LANGUAGES, default_language


@dataclass(frozen=True, slots=True)
class SettingsPeek:
    language: str
    onboarding_done: bool
    theme: str = ""


def peek_settings(path: Path) -> SettingsPeek | None:
    """Language and onboarding flag from the settings file, or ``None`` when it needs real validation."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return SettingsPeek(default_language(), False)
    except Exception:  # unreadable, not TOML, nested too deep, …: the validated path reports it
        return None
    language = data.get("language", default_language())
    done = data.get("onboarding_done", False)
    theme = data.get("theme", "")
    if language not in LANGUAGES or not isinstance(done, bool) or not isinstance(theme, str):
        return None
    return SettingsPeek(language, done, theme)


@dataclass(frozen=True, slots=True)
class BriefRow:
    """The fields the inbox shows, with the same names and date helpers as :class:`drafter.briefs.Brief`."""

    id: str
    title: str
    business_unit: str
    goal: str
    channels: tuple[str, ...]
    not_before: dt.date | None
    expires: dt.date | None

    def embargoed_on(self, day: dt.date) -> bool:
        return self.not_before is not None and self.not_before > day

    def expired_on(self, day: dt.date) -> bool:
        return self.expires is not None and self.expires < day


def _date(value: Any) -> dt.date | None:
    return None if value in (None, "") else dt.date.fromisoformat(str(value)[:10])


def quick_brief_rows(conn: sqlite3.Connection, limit: int | None = None) -> list[BriefRow] | None:
    """Active briefs from their stored JSON (as the brief store writes it), newest change first, at most
    ``limit`` of them, or ``None`` on any surprise. Only for the first frame (the brief store's
    ``list_summaries`` reads them once pydantic is loaded; importing it costs 160–250 ms here)."""
    try:
        rows = conn.execute(
            "SELECT data FROM briefs WHERE archived_at IS NULL ORDER BY updated_at DESC, id LIMIT ?",
            (-1 if limit is None else limit,),
        )
        out = []
        for (data,) in rows:
            d = json.loads(data)
            out.append(
                BriefRow(
                    id=str(d["id"]),
                    title=str(d["title"]),
                    business_unit=str(d["business_unit"]),
                    goal=str(d["goal"]),
                    channels=tuple(str(c) for c in d.get("channels") or ()),
                    not_before=_date(d.get("not_before")),
                    expires=_date(d.get("expires")),
                )
            )
        return out
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        return None
