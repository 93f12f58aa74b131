"""The brief: what a business unit asks the ambassador network to write about.

One pydantic model, shared by the importer (:mod:`drafter.brief_import`), the store and
``drafter lint --brief``. Which goals and channels exist is guideline data, so validation takes them
from a :class:`BriefContext` passed as pydantic validation context.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from drafter import text_input
from drafter.errors import SaidError, said
from drafter.safe_text import strip_unsafe


class Classification(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"


def _fold(value: str) -> str:
    """Lower-case, strip '#', spaces, dashes, underscores, dots and apostrophes.

    'Love Magenta' -> 'lovemagenta'; "We Won't Stop" and 'We Won’t Stop' -> 'wewontstop'.
    """
    value = unicodedata.normalize("NFKC", value).casefold().strip().lstrip("#")
    return re.sub(r"[\s_\-.'’‘`´]+", "", value)


@dataclass(frozen=True)
class BriefContext:
    """What the guidelines say a brief may contain: goal names (with aliases) and channel ids."""

    goals: dict[str, str] = field(default_factory=dict)  # folded alias -> canonical goal name
    channels: tuple[str, ...] = ()

    @classmethod
    def from_names(cls, goals: dict[str, list[str]] | list[str], channels: list[str] | tuple[str, ...]) -> BriefContext:
        table: dict[str, str] = {}
        items = goals.items() if isinstance(goals, dict) else ((g, []) for g in goals)
        for name, aliases in items:
            for alias in [name, *aliases]:
                table[_fold(alias)] = name
        return cls(goals=table, channels=tuple(channels))

    def canonical_goal(self, raw: str) -> str | None:
        return self.goals.get(_fold(raw))


def parse_date(value: Any) -> dt.date | None:
    """A brief's date: ``2026-12-01`` or German ``01.12.2026`` (strictly, by
    :func:`drafter.text_input.parse_date`: not ``20261201``, not ``2026-W01-1``); empty -> None."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    text = str(value).strip()
    if not text:
        return None
    return text_input.parse_date(text, german=True)


_ID = re.compile(r"^\w[\w.-]{0,99}$")
MAX_SHORT_FIELD = 300
MAX_TEXT = 50_000


def _clean(value: str) -> str:
    """Line breaks unified; C0/C1 controls (they could move the cursor or recolour a terminal when a brief
    is printed, and Excel leaves stray ones in cells), bidi controls and invisible characters (they hide
    or split words, e.g. a soft hyphen inside a hashtag) removed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return strip_unsafe(value)


def _as_list(value: Any) -> list[str]:
    """Lists may arrive as lists, or as one string separated by '|' or line breaks (CSV cells)."""
    if value is None:
        return []
    if isinstance(value, str):  # a CSV cell: the same bound per item as for a list
        parts = [p.strip() for p in re.split(r"\r?\n|\|", _clean(value))]
        if any(len(p) > MAX_TEXT for p in parts):
            raise SaidError(said("list_item_too_long", limit=MAX_TEXT))
        return [p for p in parts if p]
    if isinstance(value, (list, tuple)):
        out = []
        for item in value:
            if item is None:
                continue
            if not isinstance(item, (str, int, float)):
                raise SaidError(said("list_item_not_text", type=type(item).__name__))
            text = _clean(str(item)).strip()
            if len(text) > MAX_TEXT:
                raise SaidError(said("list_item_too_long", limit=MAX_TEXT))
            if text:
                out.append(text)
        return out
    raise SaidError(said("not_a_list", type=type(value).__name__))


#: German spelling without umlauts (Köln -> Koeln, Straße -> Strasse), applied before accents are dropped
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"})


def slugify(text: str) -> str:
    """An id part from a title or unit: German umlauts and ß transliterated (``Köln`` -> ``koeln``), other
    accents dropped (``Café`` -> ``cafe``), runs of anything else a dash, at most 60 characters."""
    text = unicodedata.normalize("NFC", text).translate(_GERMAN)
    return _ascii_slug(text)


def legacy_slugify(text: str) -> str:
    """The slug before umlauts were transliterated (``Köln`` -> ``koln``): ids derived that way are kept
    when their file is imported again (:meth:`drafter.brief_store.BriefStore.import_briefs`)."""
    return _ascii_slug(text.replace("ß", "ss"))


def _ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = text.replace("ß", "ss")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60] or "brief"


def derived_id(business_unit: str, title: str, slug: Callable[[str], str] = slugify) -> str:
    """The id of a brief that names none: ``<unit>-<title>`` slugged."""
    return f"{slug(business_unit)}-{slug(title)}"[:80]


class Brief(BaseModel):
    """A topic brief from a business unit."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)

    id: str = Field(default="", description="stable id; derived from business unit and title when missing")
    title: str = Field(min_length=1)
    business_unit: str = Field(min_length=1)
    goal: str = Field(description="canonical goal name from the guidelines")
    channels: tuple[str, ...] = Field(default=(), validate_default=True)  # empty -> all channels
    key_messages: tuple[str, ...] = ()
    text: str = ""
    not_before: dt.date | None = None
    expires: dt.date | None = None
    language: str = "de"
    classification: Classification = Classification.INTERNAL
    hashtags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    contact: str = ""
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("id", "title", "business_unit", "text", "contact", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str):
            return _clean(value)
        return value

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if value and not _ID.match(value):
            raise SaidError(said("bad_id", value=value[:40]))
        return value

    @field_validator("title", "business_unit", "contact")
    @classmethod
    def _short(cls, value: str) -> str:
        if len(value) > MAX_SHORT_FIELD:
            raise SaidError(said("too_long", limit=MAX_SHORT_FIELD))
        if "\n" in value:
            raise SaidError(said("single_line"))
        return value

    @field_validator("text")
    @classmethod
    def _long(cls, value: str) -> str:
        if len(value) > MAX_TEXT:
            raise SaidError(said("too_long", limit=MAX_TEXT))
        return value

    @field_validator("goal", mode="before")
    @classmethod
    def _goal(cls, value: Any, info: ValidationInfo) -> str:
        if not isinstance(value, str) or not value.strip():
            raise SaidError(said("goal_required"))
        ctx = info.context
        if isinstance(ctx, BriefContext) and ctx.goals:
            canonical = ctx.canonical_goal(value)
            if canonical is None:
                known = ", ".join(sorted(set(ctx.goals.values())))
                raise SaidError(said("unknown_goal", value=value.strip(), known=known))
            return canonical
        return value.strip()

    @field_validator("channels", mode="before")
    @classmethod
    def _channels(cls, value: Any, info: ValidationInfo) -> tuple[str, ...]:
        # CSV cells often read "LinkedIn, X" or "linkedin; instagram": split on those too.
        items = [part.lower() for c in _as_list(value) for part in re.split(r"[,;\s]+", c) if part]
        ctx = info.context
        if isinstance(ctx, BriefContext) and ctx.channels:
            unknown = [c for c in items if c not in ctx.channels]
            if unknown:
                raise SaidError(said("unknown_channels", value=", ".join(unknown), known=", ".join(ctx.channels)))
            if not items:
                items = list(ctx.channels)
        return tuple(dict.fromkeys(items))

    @field_validator("key_messages", "links", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> tuple[str, ...]:
        return tuple(_as_list(value))

    @field_validator("hashtags", mode="before")
    @classmethod
    def _hashtags(cls, value: Any) -> tuple[str, ...]:
        tags = []
        for item in _as_list(value):
            for tag in item.replace(",", " ").split():
                tags.append(tag if tag.startswith("#") else f"#{tag}")
        return tuple(dict.fromkeys(tags))

    @field_validator("not_before", "expires", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> dt.date | None:
        return parse_date(value)

    @field_validator("expires")
    @classmethod
    def _expires_after_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        not_before = info.data.get("not_before")
        if value is not None and not_before is not None and value < not_before:
            raise SaidError(said("expires_before_start", expires=value.isoformat(), start=not_before.isoformat()))
        return value

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: Any) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            return "de"
        text = str(value).strip().lower()
        aliases = {"deutsch": "de", "german": "de", "englisch": "en", "english": "en"}
        text = aliases.get(text, text)
        if text not in ("de", "en"):
            raise SaidError(said("unknown_language", value=value))
        return text

    @field_validator("classification", mode="before")
    @classmethod
    def _classification(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return Classification.INTERNAL
        text = str(value).strip().lower()
        aliases = {"öffentlich": "public", "intern": "internal", "vertraulich": "confidential"}
        text = aliases.get(text, text)
        if text not in {c.value for c in Classification}:
            known = {"en": ", ".join(c.value for c in Classification), "de": ", ".join(aliases)}
            raise SaidError(said("unknown_classification", value=str(value)[:40], known=known))
        return text

    @model_validator(mode="after")
    def _derive(self) -> Brief:
        if not self.id:
            object.__setattr__(self, "id", derived_id(self.business_unit, self.title))
        return self

    # -- helpers used by checks and the UI ----------------------------------------------------------
    def embargoed_on(self, day: dt.date) -> bool:
        return self.not_before is not None and self.not_before > day

    def expired_on(self, day: dt.date) -> bool:
        return self.expires is not None and self.expires < day

    def active_on(self, day: dt.date) -> bool:
        return not self.embargoed_on(day) and not self.expired_on(day)

    def source_texts(self) -> list[str]:
        """The brief's own words, as originality checks compare against them."""
        return [*self.key_messages, self.text]

    def legacy_id(self) -> str | None:
        """The id this brief was given before German transliteration, if its id is derived and differs."""
        if self.id != derived_id(self.business_unit, self.title):
            return None
        legacy = derived_id(self.business_unit, self.title, legacy_slugify)
        return legacy if legacy != self.id else None

    def content_hash(self) -> str:
        payload = self.model_dump(mode="json")
        return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
