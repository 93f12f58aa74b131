"""Guideline rules and checks the tests share."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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


def levels_of(checker: Checker, text: str, rule: str, channel: str = "linkedin") -> set[str]:
    """The levels ("error", "warning") at which ``rule`` reports something in ``text``, checked on a fixed date (info
    findings left out): what a look-alike and its twin are compared by."""
    result = checker.check(text, channel, date=dt.date(2026, 12, 2))
    return {f.severity.value for f in result.findings if f.rule == rule and f.severity is not Severity.INFO}


def label_mismatches(
    checker: Checker, path: Path, extra: dict[str, tuple[str, str]] | None = None
) -> tuple[int, dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]]]:
    """The number of posts in the corpus file ``path``, and post id -> (found, expected) for each post whose findings
    differ from its label: per category the highest level found at error or warning level (a category found as an
    error may also have a warning: the error is what the post gets), against the label's categories plus ``extra``'s
    (a post id -> one (level, category) more, for a known exception)."""
    from drafter.evaluation import check_post, load_corpus

    posts = load_corpus([path], checker.guidelines)
    wrong = {}
    for post in posts:
        shown = check_post(checker, post).findings
        errors = {f.category for f in shown if f.severity is Severity.ERROR}
        found = {("error", c) for c in errors}
        found |= {("warning", f.category) for f in shown if f.severity is Severity.WARNING and f.category not in errors}
        expected = {(level, c) for level in ("error", "warning") for c in post.expected.get(level, ())}
        if extra and post.id in extra:
            expected.add(extra[post.id])
        if found != expected:
            wrong[post.id] = (sorted(found), sorted(expected))
    return len(posts), wrong
