"""What a brief import did and what was wrong with a file, in words of the UI language.

The CLI speaks English and prints :meth:`drafter.brief_store.ImportResult.summary`,
:meth:`drafter.inbox.InboxReport.lines` and ``str(problem)``; the app shows the same reports in the
language of its interface ("1 importiert", "Zeile 3, Feld „Ziel“ (goal)") through the functions here.
In English they give exactly what the CLI prints. The problem messages themselves (what is wrong with a
value) are said in ``lang`` too when the importer raised them as :class:`drafter.errors.Said` (the brief
importer, brief values, dates and encodings do); file names and quoted values stay as written.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from drafter.errors import UserError
from drafter.i18n import t

if TYPE_CHECKING:
    from drafter.brief_store import ImportResult
    from drafter.errors import Problem
    from drafter.inbox import InboxReport

_LISTED_IDS = 5


def problem_text(problem: Problem, lang: str) -> str:
    """``file:3:5: field 'x': message`` when a column is known, else ``file: row 5, field 'Ziel' (goal):
    message`` — with "row", "line", "column" and "field" in ``lang``."""
    place: list[str] = []
    head = problem.file
    if problem.line is not None:
        if problem.unit == "line" and problem.column is not None:
            head += f":{problem.line}:{problem.column}"
        else:
            place.append(t(f"one_language.import.{problem.unit}", lang, line=problem.line))
            if problem.column is not None:
                place.append(t("one_language.import.column", lang, column=problem.column))
    name = problem.key or problem.field
    if name:
        if problem.key and problem.field and problem.key != problem.field:
            place.append(t("one_language.import.field_canonical", lang, name=name, field=problem.field))
        else:
            place.append(t("one_language.import.field", lang, name=name))
    if place:
        head = f"{head}: {', '.join(place)}" if head else ", ".join(place)
    message = problem.message_in(lang)
    return f"{head}: {message}" if head else message


def error_lines(error: UserError, lang: str) -> list[str]:
    """The problems of a refused input, one line each (at most ``error.shown``, then a count)."""
    lines = [problem_text(p, lang) for p in error.problems[: error.shown]]
    hidden = error.more + max(len(error.problems) - error.shown, 0)
    if hidden:
        lines.append(t("one_language.import.more", lang, count=hidden))
    return lines


def error_text(error: UserError, lang: str) -> str:
    """:func:`error_lines` as one text (a notification, a form's error line)."""
    return "\n".join(error_lines(error, lang))


def result_summary(result: ImportResult, lang: str) -> str:
    """``source: 2 imported (a, b); 1 unchanged (c)`` in ``lang``."""
    parts = []
    for kind, ids in (
        ("imported", result.imported),
        ("updated", result.updated),
        ("unchanged", result.unchanged),
        ("refused", result.refused),
    ):
        if ids:
            listed = ", ".join(ids[:_LISTED_IDS])
            if len(ids) > _LISTED_IDS:
                listed += f", … (+{len(ids) - _LISTED_IDS})"
            parts.append(f"{t(f'one_language.import.{kind}', lang, count=len(ids))} ({listed})")
    return f"{result.source}: " + ("; ".join(parts) or t("one_language.import.none", lang))


def inbox_lines(report: InboxReport, lang: str, *, short: bool = False) -> list[str]:
    """:meth:`drafter.inbox.InboxReport.lines` in ``lang``; ``short`` (the app's notification): a refused
    file's problems without the file's path, which the line before them names."""
    out = [report.error] if report.error else []
    out += [result_summary(result, lang) for _, result in report.imported]
    if report.skipped:
        out.append(t("one_language.import.unchanged_files", lang, count=len(report.skipped)))
    for path, error in report.failed:
        out.append(t("one_language.import.not_imported", lang, file=path.name))
        # the file is named in the line above: its problems say where in it (a new-user probe: every line
        # repeated the inbox's full path, and the report hid the draft it was laid over)
        problems = [replace(p, file="") if short and p.file == str(path) else p for p in error.problems]
        out.extend(f"  {line}" for line in error_lines(UserError(problems, more=error.more), lang))
    return out
