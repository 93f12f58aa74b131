"""UI strings: one catalogue per language (``drafter/locales/<lang>.toml``), looked up by key.

Keys are dotted paths into the TOML tables (``inbox.title``). Values are ``str.format`` templates.
A template with a ``{count}`` is written in its plural form; its singular form, where it differs, sits
under the same key in the ``[one_language.singular]`` table, and :func:`t` takes it when ``count`` is 1
("1 Warnung", "2 Warnungen" instead of "Warnung(en)").
A template names a key of the workspace as ``{key:<binding id>}`` (``{key:compose.export}``), never as a
literal "F8": the workspace registers :func:`set_key_namer`, which names the key in force after the
user's ``[keys]`` remapping ("F8", or "Strg+E" when remapped). Without one (tests of the core) the binding
id stands there; core messages shown by the CLI name no workspace keys at all.
A key missing in the requested language falls back to German, then to English, then to the key
itself, so a gap never crashes the UI (``tests/test_tui_i18n.py`` keeps the catalogues in step).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES: tuple[str, ...] = ("de", "en")
FALLBACK_ORDER: tuple[str, ...] = ("de", "en")

#: the table of singular forms (see the module docstring)
SINGULAR = "one_language.singular"

_LOCALES_DIR = Path(__file__).resolve().parent / "locales"
_current: str | None = None
#: names the key in force for a binding id in a language (see the module docstring)
_key_namer: Callable[[str, str], str] | None = None


def locales_dir() -> Path:
    return _LOCALES_DIR


def _flatten(table: dict[str, Any], prefix: str, out: dict[str, str], source: Path) -> None:
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, f"{full}.", out, source)
        elif isinstance(value, str):
            out[full] = value
        else:
            raise ValueError(f"{source}: key {full!r} must be text, got {type(value).__name__}")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All strings of one language, keyed by dotted path."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown UI language {lang!r}; expected one of: {', '.join(LANGUAGES)}")
    import tomllib  # on first use: a drafter lint shows no UI string

    path = _LOCALES_DIR / f"{lang}.toml"
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    out: dict[str, str] = {}
    _flatten(data, "", out, path)
    return out


def normalize_language(value: str | None) -> str | None:
    """'de_DE.UTF-8' -> 'de'; unknown or empty -> None."""
    if not value:
        return None
    code = value.split(":")[0].split(".")[0].split("_")[0].split("-")[0].strip().lower()
    return code if code in LANGUAGES else None


def default_language(environ: dict[str, str] | None = None) -> str:
    """The UI language the user's locale asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG); German else."""
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        raw = env.get(var)
        if not raw or raw in ("C", "POSIX", "C.UTF-8"):
            continue
        for part in raw.split(":"):
            lang = normalize_language(part)
            if lang:
                return lang
    return FALLBACK_ORDER[0]


def set_language(lang: str) -> None:
    """Set the language used when :func:`t` gets no explicit ``lang``."""
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown UI language {lang!r}; expected one of: {', '.join(LANGUAGES)}")
    _current = lang


def current_language() -> str:
    return _current or default_language()


def set_key_namer(namer: Callable[[str, str], str] | None) -> None:
    """Register how ``{key:<binding id>}`` in a template is named: ``namer(binding_id, lang)``."""
    global _key_namer
    _key_namer = namer


def key_name(binding_id: str, lang: str | None = None) -> str:
    """The key in force for a binding id ("F8"), as the registered namer names it; the id without one."""
    language = lang or current_language()
    if _key_namer is not None:
        return _key_namer(binding_id, language)
    # no app (the CLI): what does the same there (``[outside_app]``, e.g. "--origin attested"), else the id
    outside = t(f"outside_app.{binding_id}", language)
    return outside if outside != f"outside_app.{binding_id}" else binding_id


class _Keys:
    """The ``key`` of a template: ``format(keys, "compose.export")`` names that binding's key."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __format__(self, binding_id: str) -> str:
        return key_name(binding_id, self.lang)


def t(key: str, lang: str | None = None, **kw: Any) -> str:
    """The UI string ``key`` in ``lang`` (default: the current language), formatted with ``kw``."""
    language = lang or current_language()
    template = None
    if kw.get("count") == 1:
        template = catalogue(language).get(f"{SINGULAR}.{key}")
    if template is None:
        template = catalogue(language).get(key)
    if template is None:
        for other in FALLBACK_ORDER:
            template = catalogue(other).get(key)
            if template is not None:
                break
    if template is None:
        return key
    if "{key:" in template and "key" not in kw:
        kw["key"] = _Keys(language)
    if not kw:
        return template
    try:
        return template.format(**kw)
    except (KeyError, IndexError, ValueError):
        return template


# -- formatting for users: one way to show a date and a share ------------------------------------------
def format_date(day: dt.date | dt.datetime | None, lang: str) -> str:
    """A date as the user reads it: ``01.12.2026`` in German, ``2026-12-01`` in English; none: ``–``.
    (Files and JSON keep ISO dates; this is for text shown to people.)"""
    if day is None:
        return "–"
    if isinstance(day, dt.datetime):
        day = day.date()
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}" if lang == "de" else day.isoformat()


def format_number(value: int, lang: str) -> str:
    """A whole number with thousands grouped as the user reads it: ``3.804`` in German, ``3,804`` in
    English."""
    grouped = f"{value:,}"
    return grouped.replace(",", ".") if lang == "de" else grouped


def format_percent(share: float, lang: str) -> str:
    """A share 0.0–1.0 as a whole percentage: ``82 %`` in German, ``82%`` in English."""
    return t("core.format.percent", lang if lang in LANGUAGES else "en", value=round(share * 100))
