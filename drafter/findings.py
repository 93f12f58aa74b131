"""What a check reports: findings with code-point offsets, and their line/column positions."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


#: the most findings one rule reports in one text. A post has a handful, a 116 KB paste of contacts some
#: 4,000 (each listed, ``tests/test_untrusted_guidelines.py``); a linted 10 MiB file of them made a JSON report
#: of gigabytes in a minute. A rule that finds more stops there and the check is incomplete
#: (:attr:`drafter.checker.CheckResult.skipped`), as with a pattern over its time limit: what it did not look
#: at cannot count as checked.
MAX_FINDINGS_PER_RULE = 10_000

_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(slots=True)
class Finding:
    """One problem in a draft. ``start``/``end`` are code-point offsets into the checked text.

    Treat findings as values: derive a changed one with :func:`dataclasses.replace`. (Not ``frozen``:
    a frozen dataclass takes four times as long to create, and a check may create hundreds.)
    """

    rule: str
    category: str
    severity: Severity
    message: str
    start: int
    end: int
    replacements: tuple[str, ...] = ()
    link: str | None = None
    why: str | None = None
    match: str = ""
    #: the author's reason when this warning was dismissed (:mod:`drafter.dismissals`), else None
    dismissed: str | None = None

    def to_dict(self, text: str, index: LineIndex | None = None) -> dict[str, Any]:
        index = index or LineIndex(text)
        line, column = index.position(self.start)
        out = {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity.value,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "line": line,
            "column": column,
            "replacements": list(self.replacements),
            "link": self.link,
        }
        if self.dismissed is not None:
            out["dismissed"] = self.dismissed
        return out


@dataclass(slots=True)
class LineIndex:
    """Maps code-point offsets to 1-based (line, column)."""

    text: str
    _starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        starts = [0]
        find = self.text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        row = bisect.bisect_right(self._starts, offset) - 1
        return row + 1, offset - self._starts[row] + 1

    def line(self, offset: int) -> int:
        """The 1-based line of ``offset``."""
        return bisect.bisect_right(self._starts, offset)


def _order(f: Finding) -> tuple[int, int, str]:
    return (f.start, _RANK[f.severity], f.rule)


_START = attrgetter("start")


def drop_shadowed(findings: list[Finding]) -> list[Finding]:
    """``findings`` without those another finding of the same category already says: one whose span lies
    within the other's, which is more severe, or as severe and longer. "mehr darf ich noch nicht verraten"
    (a leak, an error) and "darf ich noch nicht verraten" inside it (a hint, a warning) were two findings of
    one thing, and "3 Fehler" counted such doubles (a new-user probe). Findings without a span (about the
    whole post) and those of different categories are all kept; the order is kept."""
    spanned = [f for f in findings if f.end > f.start]
    if len(spanned) < 2:
        return findings
    by_category: dict[str, list[Finding]] = {}
    for f in spanned:
        by_category.setdefault(f.category, []).append(f)
    shadowed: set[int] = set()
    for group in by_category.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda f: (f.start, -f.end, _RANK[f.severity]))
        before = [-1, -1, -1]  # per severity rank: the furthest end of a finding that starts earlier
        i = 0
        while i < len(group):
            j = i
            while j < len(group) and group[j].start == group[i].start:
                j += 1
            here = [-1, -1, -1]  # the same, of the findings starting here that come first (end descending)
            for f in group[i:j]:
                rank = _RANK[f.severity]
                more_severe = any(max(before[r], here[r]) >= f.end for r in range(rank))
                longer = before[rank] >= f.end or here[rank] > f.end
                if more_severe or longer:
                    shadowed.add(id(f))
                here[rank] = max(here[rank], f.end)
            for r in range(3):
                before[r] = max(before[r], here[r])
            i = j
    if not shadowed:
        return findings
    return [f for f in findings if id(f) not in shadowed]


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """By position, then severity (errors first), then rule id."""
    ordered = sorted(findings, key=_START)  # C-level key: most checks have no two findings at one offset
    if len(set(map(_START, ordered))) != len(ordered):
        ordered.sort(key=_order)
    return ordered
