"""One shape for everything a user can get wrong: a file, a place in it, a field, and what is wrong.

Guideline folders, brief files, corpus files, the settings, and later the AI and team configuration all
report through :class:`Problem` and raise a subclass of :class:`UserError`. The CLI prints
``str(error)`` and exits with :attr:`UserError.exit_code` (2); the app shows it as a notification. Texts
here are untrusted (they quote file names and values): show them through :mod:`drafter.safe_text`.

What is wrong is said in words of the locale catalogues (``[problems]``): a problem raised with a
:class:`Said` keeps its message key and values, so the app shows it in the language of its interface
(:func:`drafter.import_report.problem_text`) while ``str()`` — what the CLI prints — is the English.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any, Literal


@dataclass(frozen=True)
class Said:
    """A message of the ``[problems]`` catalogue table: its key and the values it is formatted with. A
    value that is a :class:`Said` itself is said in the same language ("must be text, got a list"); a
    mapping holds a value per language, empty where it has none (:func:`english_only`)."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()
    #: the catalogue table the key is in (the AI's errors keep theirs in ``[fix_ui.ai]``)
    table: str = "problems"

    def text(self, lang: str = "en") -> str:
        from drafter.i18n import t

        return t(f"{self.table}.{self.key}", lang, **{k: _value(v, lang) for k, v in self.values})

    def __str__(self) -> str:
        return self.text("en")


#: a value said in a message is cut to this many characters: values come from files ("unknown goal 'ggg…'" once
#: repeated a million-character goal, a hostile probe), and one line of a message is what they are for
MAX_SAID_VALUE = 300


def _value(value: Any, lang: str) -> Any:
    if isinstance(value, Said):
        return value.text(lang)
    if isinstance(value, Mapping):
        value = value.get(lang, "")
    if isinstance(value, str) and len(value) > MAX_SAID_VALUE:
        return value[: MAX_SAID_VALUE - 1] + "…"
    return value


def english_only(text: str) -> dict[str, str]:
    """A value shown in English only: a library's own words (PyYAML's, pydantic's), which other languages
    leave out of the message rather than mix in."""
    return {"en": text}


def said(key: str, **values: Any) -> Said:
    """``said("unknown_goal", value="x", known="a, b")``: a message to be worded in any UI language."""
    return Said(key, tuple(values.items()))


class SaidError(ValueError):
    """A ``ValueError`` (raised in a validator, say) whose message is a :class:`Said`; ``str()`` is the
    English, :attr:`said` the message for other languages."""

    def __init__(self, message: Said) -> None:
        super().__init__(message.text("en"))
        self.said = message


def said_of(exc: BaseException) -> Said | str:
    """The message of an exception: its :class:`Said` when it has one, else its text."""
    message = getattr(exc, "said", None)
    return message if isinstance(message, Said) else str(exc)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or, as a warning, odd) with an input. ``line``/``column`` are 1-based;
    ``unit="row"`` means ``line`` is a spreadsheet row as Excel numbers it. ``key`` is the field's name
    as written in the file when it differs from the canonical ``field`` ("Ziel" for "goal")."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    unit: Literal["line", "row"] = "line"
    key: str | None = None
    #: the message as catalogue key and values, when it was raised that way (``message`` is its English)
    said: Said | None = dataclass_field(default=None, compare=False)

    @classmethod
    def at(cls, file: str | Path, message: str | Said, **where: Any) -> Problem:
        if isinstance(message, Said):
            return cls(str(file), message.text("en"), said=message, **where)
        return cls(str(file), message, **where)

    def message_in(self, lang: str) -> str:
        """The message in ``lang`` (as written when it was not raised as a :class:`Said`)."""
        return self.said.text(lang) if self.said is not None else self.message

    def __str__(self) -> str:
        """``file:3:5: field 'x': message`` when a column is known (clickable in editors, as compilers
        write it); else ``file: line 3, field 'Ziel' (goal): message`` or ``file: row 5, field …``."""
        place = []
        head = self.file
        if self.line is not None:
            if self.unit == "line" and self.column is not None:
                head += f":{self.line}:{self.column}"
            else:
                place.append(f"{self.unit} {self.line}")
                if self.column is not None:
                    place.append(f"column {self.column}")
        name = self.key or self.field
        if name:
            label = f"field {name!r}"
            if self.key and self.field and self.key != self.field:
                label += f" ({self.field})"
            place.append(label)
        if place:
            head = f"{head}: {', '.join(place)}" if head else ", ".join(place)
        return f"{head}: {self.message}" if head else self.message

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "unit": self.unit,
            "field": self.field,
            "key": self.key,
            "message": self.message,
        }


class UserError(Exception):
    """Input the user can fix. ``str()`` lists the problems, one per line (capped, with a count)."""

    exit_code = 2
    #: problems listed in ``str()`` at most; the rest are counted
    shown = 50

    def __init__(self, problems: list[Problem] | Problem | str, *, more: int = 0) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        self.more = more
        super().__init__(self._text())

    def _text(self) -> str:
        lines = [str(p) for p in self.problems[: self.shown]]
        hidden = self.more + max(len(self.problems) - self.shown, 0)
        if hidden:
            lines.append(f"… and {hidden} more problem(s)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._text()


#: what SQLite says when it may not open or write a file (its folder is missing or not the user's, the file
#: is read-only): moving the store aside would not help, the permissions would
_ACCESS_WORDS = ("unable to open", "readonly", "read-only", "permission denied", "access permission")


def unreadable_store(path: object, exc: BaseException) -> Problem:
    """What to say of a store that cannot be read, as a problem of its file: the reason (SQLite's own words,
    English only) and what to do — for a store damaged by hand or by a disk (tables dropped, bytes where
    text belongs), move it aside; for one that may not be opened or written, check its permissions."""
    from drafter.safe_text import one_line

    if isinstance(exc, UserError) and exc.problems:  # the store's own words (StoreError): already what to do
        return exc.problems[0]
    reason = english_only(f" ({one_line(str(exc), 200)})")
    text = str(exc).casefold()
    access = isinstance(exc, PermissionError) or any(words in text for words in _ACCESS_WORDS)
    return Problem.at(str(path), said("store.cannot_open" if access else "store.unreadable", reason=reason))


class CorpusUnavailable(UserError):
    """The corpus of posts cannot be read (a damaged store): the near-copy rules cannot run, so a check that
    needs them is incomplete (:class:`drafter.checker.Checker` skips them and says why)."""


#: the rule id of the checker's finding for a near-copy rule whose corpus could not be read
CORPUS_PROBLEM_RULE = "guidelines.corpus-unavailable"


# -- pydantic validation errors -----------------------------------------------------------------------
def describe_value(value: Any) -> str:
    """How a message names the kind of a wrong value ("a list", "yes/no", "int")."""
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "key: value pairs"
    if isinstance(value, bool):
        return "yes/no"
    if value is None:
        return "nothing"
    return type(value).__name__


def _kind(value: Any) -> Said:
    """:func:`describe_value` as a :class:`Said` ("a list", "eine Liste")."""
    if isinstance(value, list | tuple):
        return said("kind.list")
    if isinstance(value, dict):
        return said("kind.mapping")
    if isinstance(value, bool):
        return said("kind.yes_no")
    if value is None:
        return said("kind.nothing")
    return said("kind.type", name=type(value).__name__)


def validation_said(error: Mapping[str, Any]) -> Said:
    """One pydantic error (an item of ``ValidationError.errors()``) as a :class:`Said`. A validator's
    :class:`SaidError` keeps its message; pydantic's own messages not named here are English only
    (the German says "ungültiger Wert")."""
    kind = str(error.get("type", ""))
    cause = (error.get("ctx") or {}).get("error")
    if kind == "missing":
        return said("missing")
    if kind == "extra_forbidden":
        return said("unknown_field")
    if kind == "string_too_short":
        return said("empty")
    if kind in ("string_type", "str_type"):
        return said("not_text", kind=_kind(error.get("input")))
    if isinstance(getattr(cause, "said", None), Said):
        return cause.said  # type: ignore[union-attr]
    known = _pydantic_said(kind, error.get("ctx") or {})
    if known is not None:
        return known
    if cause is not None and getattr(cause, "loc", None) is not None:
        return said("as_written", text=str(cause))
    msg = str(error.get("msg", "invalid value"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
            break
    return said("invalid", detail=english_only(msg))


#: pydantic error types said in the catalogue (``[problems.values]``), by the context values they name
_PYDANTIC_TYPES: dict[str, tuple[str, ...]] = {
    "int_parsing": (),
    "int_type": (),
    "int_from_float": (),
    "float_parsing": (),
    "float_type": (),
    "bool_parsing": (),
    "bool_type": (),
    "greater_than": ("gt",),
    "greater_than_equal": ("ge",),
    "less_than": ("lt",),
    "less_than_equal": ("le",),
    "string_too_long": ("max_length",),
    "too_long": ("max_length",),
    "too_short": ("min_length",),
    "string_pattern_mismatch": ("pattern",),
    "dict_type": (),
    "list_type": (),
    "path_type": (),
    "url_parsing": (),
    "url_type": (),
    "url_scheme": (),
}


def _pydantic_said(kind: str, ctx: Mapping[str, Any]) -> Said | None:
    """pydantic's own error ``type`` as a catalogue message with its context values (pydantic's English
    ``msg`` never reaches another language); None for types not named here."""
    if kind == "string_too_short" and int(ctx.get("min_length", 1)) > 1:
        return said("values.string_too_short", min_length=ctx["min_length"])
    if kind in ("literal_error", "enum"):
        # ctx "expected" is pydantic's English ("'a', 'b' or 'c'"): the quoted choices, listed with commas
        expected = str(ctx.get("expected", ""))
        choices = re.findall(r"'[^']*'|\"[^\"]*\"|[-\w.]+", expected)
        return said("values.one_of", expected=", ".join(c for c in choices if c != "or"))
    if kind in ("tuple_type", "set_type", "frozen_set_type"):  # a list in YAML, whatever the model keeps
        kind = "list_type"
    names = _PYDANTIC_TYPES.get(kind)
    if names is None:
        return None
    return said(f"values.{kind}", **{name: _number(ctx.get(name, "")) for name in names})


def _number(value: Any) -> Any:
    """A limit as people write it: ``0`` rather than pydantic's ``0.0`` for a float field."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def validation_message(error: Mapping[str, Any]) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) as a plain English sentence."""
    return validation_said(error).text("en")


def validation_errors(exc: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """``(loc, message)`` per error of a pydantic ``ValidationError``. An exception raised inside a
    validator that carries a ``loc`` tuple (a finer place inside the field) extends the location."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    for error in exc.errors(include_url=False):
        loc = tuple(error.get("loc") or ())
        cause = (error.get("ctx") or {}).get("error")
        extra = getattr(cause, "loc", None)
        if isinstance(extra, tuple):
            loc = (*loc, *extra)
        out.append((loc, validation_message(error)))
    return out


def field_path(loc: tuple[str | int, ...]) -> str | None:
    """``("rules", 3, "message")`` -> ``"rules.3.message"``; an empty location -> None."""
    return ".".join(str(part) for part in loc) or None
