"""One shape for everything a user can get wrong: a file, a place in it, a field, and what is wrong.

Guideline folders, brief files, corpus files, the settings, and later the AI and team configuration all
report through :class:`Problem` and raise a subclass of :class:`UserError`. The CLI prints
``str(error)`` and exits with :attr:`UserError.exit_code` (2); the app shows it as a notification. Texts
here are untrusted (they quote file names and values): show them through :mod:`drafter.safe_text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal


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

    @classmethod
    def at(cls, file: str | Path, message: str, **where: Any) -> Problem:
        return cls(str(file), message, **where)

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}" if self.unit == "line" else f": row {self.line}"
            if self.column is not None:
                where += f":{self.column}" if self.unit == "line" else f", column {self.column}"
        name = self.key or self.field
        if name:
            label = f"field {name!r}"
            if self.key and self.field and self.key != self.field:
                label += f" ({self.field})"
            return f"{where}: {label}: {self.message}"
        return f"{where}: {self.message}"

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
        lines = [str(p).removeprefix(": ") for p in self.problems[: self.shown]]
        hidden = self.more + max(len(self.problems) - self.shown, 0)
        if hidden:
            lines.append(f"… and {hidden} more problem(s)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._text()
