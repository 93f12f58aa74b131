"""Guideline rules and checks the tests share."""

from __future__ import annotations

import datetime as dt

from drafter.checker import Checker
from drafter.findings import Severity

#: a confidentiality rule whose pattern backtracks without end on "aaaa…b": it hits its time limit
RUNAWAY_RULE = """\
  - id: secret.data
    type: confidentiality
    level: error
    category: confidentiality
    patterns:
      runaway: '(a|aa)+$'
    message: "{kind}: {match}"
"""


def findings_by_rule(
    checker: Checker, text: str, channel: str = "x", *, also: tuple[str, ...] = ()
) -> dict[str, list[str]]:
    """Rule id -> the texts its error and warning findings mark (and those of the rules in ``also`` at any level),
    checked on a fixed date."""
    result = checker.check(text, channel, date=dt.date(2026, 12, 2))
    out: dict[str, list[str]] = {}
    for f in result.findings:
        if f.severity in (Severity.ERROR, Severity.WARNING) or f.rule in also:
            out.setdefault(f.rule, []).append(text[f.start : f.end])
    return out


def error_rules(checker: Checker, text: str, channel: str = "x") -> set[str]:
    """The ids of the rules that report an error on ``text`` for ``channel``, checked on a fixed date."""
    result = checker.check(text, channel, date=dt.date(2026, 12, 2))
    return {f.rule for f in result.findings if f.severity is Severity.ERROR}
