"""Measuring a guideline set on a labelled corpus: ``drafter guidelines eval``.

A corpus file is YAML (format in ``guidelines/README.md``): ``posts:`` with ``id``, ``text``,
``channel``, optional ``brief``, ``date``, ``marker`` (the profile's disclosure marker), ``lang`` and
``note``, and ``expect: {error: [...], warning: [...]}`` — the labels a careful reviewer gives the post.
A label is a category (``disclosure``) or a rule id (``term.competitor``).

Each post runs through :func:`drafter.drafting.check_draft`, exactly as in the workspace. Per level
(error, warning), the unit of counting is a post and a label:

- a label hit by a finding of that level (same category or rule id) is a true positive, else a miss;
- a finding whose category/rule is not expected at that level is a false positive. A warning where an
  error was expected is no false warning (it is an error-level miss); an error where only a warning was
  expected is a false error (it blocks an export that should go through).

Per category: TP/FP/FN, precision, recall. Per rule: TP/FP (and FN for labels that name the rule).
Every false error, false warning and miss is listed with its post. The thresholds come from the
guideline set's ``quality:`` block; :attr:`Evaluation.failures` says which are not met.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from drafter.errors import Problem, UserError
from drafter.findings import Finding, Severity
from drafter.safe_text import one_line

if TYPE_CHECKING:
    from drafter.briefs import Brief
    from drafter.checker import Checker
    from drafter.drafting import DraftCheck
    from drafter.guidelines import GuidelineSet, QualityPolicy

LEVELS = ("error", "warning")
MAX_POSTS = 20_000
MAX_TEXT = 50_000
CORPUS_SUFFIXES = (".yaml", ".yml")
_LABEL = r"^[a-z][a-z0-9_.-]*$"


class CorpusError(UserError):
    """A corpus file that cannot be used (nothing of the corpus is evaluated)."""


# --------------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Expect(_Strict):
    error: tuple[str, ...] = ()
    warning: tuple[str, ...] = ()

    def model_post_init(self, __context: Any) -> None:
        import re

        for level in LEVELS:
            for label in getattr(self, level):
                if not re.match(_LABEL, label):
                    raise ValueError(f"{level}: {label!r} is not a category or rule id")


class _Entry(_Strict):
    id: str = Field(min_length=1, max_length=80, pattern=r"^[\w.-]+$")
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    channel: str | None = None
    brief: dict[str, Any] | None = None
    date: dt.date | None = None
    marker: str = Field(default="", max_length=200)
    lang: str | None = Field(default=None, pattern=r"^(de|en)$")
    expect: _Expect = Field(default_factory=_Expect)
    note: str = Field(default="", max_length=2_000)


class _CorpusFile(_Strict):
    date: dt.date | None = None
    posts: list[_Entry] = Field(max_length=MAX_POSTS)


@dataclass(frozen=True)
class LabelledPost:
    id: str
    text: str
    channel: str
    expected: dict[str, frozenset[str]]  # level -> labels
    source: str  # "file:line"
    brief: Brief | None = None
    date: dt.date | None = None
    marker: str = ""
    lang: str | None = None
    note: str = ""


def corpus_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files named, and those inside named folders (recursively, in name order)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in CORPUS_SUFFIXES and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise CorpusError(Problem.at(path, "no such file or folder"))
    if not files:
        raise CorpusError(Problem.at(", ".join(map(str, paths)) or ".", "no corpus files (*.yaml) found"))
    return files


def load_corpus(paths: Iterable[Path], guidelines: GuidelineSet) -> list[LabelledPost]:
    """Read and validate corpus files; all or nothing. Errors name file, line and field."""
    from drafter.briefs import Brief
    from drafter.guidelines import GuidelineError, _data_path, _read_yaml

    posts: list[LabelledPost] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    context = guidelines.brief_context()
    for path in corpus_files(list(paths)):
        try:
            data, marks = _read_yaml(path)
        except GuidelineError as exc:
            # as read (file, line, column and field: "day is out of range for month" of a post's date named no
            # field when it was rebuilt from its parts; a hostile probe)
            problems.extend(exc.problems)
            continue

        def where(loc: tuple[Any, ...], _marks: Any = marks) -> tuple[int | None, int | None]:
            probe = loc
            while probe not in _marks and probe:
                probe = probe[:-1]
            return _marks.get(probe, (None, None))

        if not isinstance(data, dict):
            problems.append(Problem.at(path, "expected a mapping with 'posts:'", line=1))
            continue
        try:
            parsed = _CorpusFile.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = _data_path(data, err["loc"])
                line, column = where(loc)
                message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
                if err.get("type") == "extra_forbidden":
                    message = "unknown key"
                problems.append(
                    Problem.at(path, message, line=line, column=column, field=".".join(map(str, loc)) or None)
                )
            continue
        for index, entry in enumerate(parsed.posts):
            loc = ("posts", index)
            line, column = where(loc)
            source = f"{path}:{line}" if line else str(path)

            def bad(fld: str, message: str, _loc: tuple[Any, ...] = loc, _path: Path = path) -> None:
                at_line, at_column = where((*_loc, fld))
                name = ".".join(map(str, (*_loc, fld)))
                problems.append(Problem.at(_path, message, line=at_line, column=at_column, field=name))

            if entry.id in seen:
                bad("id", f"duplicate post id {entry.id!r} (first at {seen[entry.id]})")
                continue
            seen[entry.id] = source
            channel = entry.channel or guidelines.default_channel
            if channel not in guidelines.channels:
                bad("channel", f"unknown channel {channel!r}; known: {', '.join(guidelines.channels)}")
                continue
            brief = None
            if entry.brief is not None:
                try:
                    brief = Brief.model_validate(entry.brief, context=context)
                except ValidationError as exc:
                    first = exc.errors(include_url=False)[0]
                    name = ".".join(map(str, first["loc"]))
                    bad("brief", f"{name}: {str(first['msg']).removeprefix('Value error, ')}")
                    continue
            posts.append(
                LabelledPost(
                    id=entry.id,
                    text=entry.text,
                    channel=channel,
                    expected={level: frozenset(getattr(entry.expect, level)) for level in LEVELS},
                    source=source,
                    brief=brief,
                    date=entry.date or parsed.date,
                    marker=entry.marker,
                    lang=entry.lang,
                    note=entry.note,
                )
            )
    if problems:
        raise CorpusError(problems)
    if len(posts) > MAX_POSTS:
        raise CorpusError(Problem.at(", ".join(map(str, paths)), f"more than {MAX_POSTS} posts"))
    return posts


# --------------------------------------------------------------------------------------------------
# The evaluation
# --------------------------------------------------------------------------------------------------
@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision, "recall": self.recall}


@dataclass(frozen=True)
class FalseFinding:
    """A finding on a post that did not expect it at that level."""

    post: LabelledPost
    level: str
    rule: str
    category: str
    match: str
    message: str


@dataclass(frozen=True)
class Miss:
    """A label no finding of its level hit; ``found`` names what fired instead at the other level."""

    post: LabelledPost
    level: str
    label: str
    found: tuple[str, ...] = ()


@dataclass
class Evaluation:
    posts: int
    quality: QualityPolicy
    categories: dict[tuple[str, str], Counts] = field(default_factory=dict)  # (level, category)
    rules: dict[tuple[str, str], Counts] = field(default_factory=dict)  # (level, rule id)
    false_findings: list[FalseFinding] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)  # rule id -> posts it could not run on
    seconds: float = 0.0

    @property
    def false_errors(self) -> list[FalseFinding]:
        return [f for f in self.false_findings if f.level == "error"]

    @property
    def false_warnings(self) -> list[FalseFinding]:
        return [f for f in self.false_findings if f.level == "warning"]

    def totals(self, level: str) -> Counts:
        total = Counts()
        for (lvl, _), counts in self.categories.items():
            if lvl == level:
                total.tp += counts.tp
                total.fp += counts.fp
                total.fn += counts.fn
        return total

    @property
    def failures(self) -> list[str]:
        """The thresholds of the guideline set's ``quality:`` block that this corpus does not meet."""
        q = self.quality
        out: list[str] = []
        if self.skipped:
            out.append(f"incomplete: rule(s) skipped after a pattern time-out: {', '.join(sorted(self.skipped))}")
        if q.max_false_errors is not None and len(self.false_errors) > q.max_false_errors:
            out.append(f"{len(self.false_errors)} false error(s), at most {q.max_false_errors} allowed")
        if q.max_false_warnings is not None and len(self.false_warnings) > q.max_false_warnings:
            out.append(f"{len(self.false_warnings)} false warning(s), at most {q.max_false_warnings} allowed")
        for level in LEVELS:
            floor = q.recall_floor(level)
            if floor is None:
                continue
            for (lvl, category), counts in sorted(self.categories.items()):
                recall = counts.recall
                if lvl == level and recall is not None and recall < floor:
                    out.append(f"{level} recall of {category} is {recall:.2f}, at least {floor:.2f} required")
        return out

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        def post_ref(post: LabelledPost) -> dict[str, Any]:
            return {"id": post.id, "source": post.source, "channel": post.channel, "text": post.text, "note": post.note}

        return {
            "posts": self.posts,
            "ok": self.ok,
            "failures": self.failures,
            "quality": self.quality.model_dump(),
            "totals": {level: self.totals(level).to_dict() for level in LEVELS},
            "categories": [
                {"level": level, "category": category, **counts.to_dict()}
                for (level, category), counts in sorted(self.categories.items())
            ],
            "rules": [
                {"level": level, "rule": rule, **counts.to_dict()}
                for (level, rule), counts in sorted(self.rules.items())
            ],
            "false_findings": [
                {
                    "level": f.level,
                    "rule": f.rule,
                    "category": f.category,
                    "match": f.match,
                    "message": f.message,
                    "post": post_ref(f.post),
                }
                for f in self.false_findings
            ],
            "misses": [
                {"level": m.level, "label": m.label, "found_instead": list(m.found), "post": post_ref(m.post)}
                for m in self.misses
            ],
            "skipped": self.skipped,
            "seconds": round(self.seconds, 3),
        }


def _hits(finding: Finding, labels: frozenset[str]) -> bool:
    return finding.category in labels or finding.rule in labels


def check_post(checker: Checker, post: LabelledPost, lang: str | None = None) -> DraftCheck:
    """``post`` checked as :func:`evaluate` checks it: its channel, brief, date, language (else ``lang``,
    else the guidelines') and the profile marker it names."""
    from drafter.drafting import check_draft

    return check_draft(
        checker,
        post.text,
        channels=[post.channel],
        brief=post.brief,
        date=post.date,
        lang=post.lang or lang or checker.guidelines.language,
        disclosure_marker=post.marker,
    )


def evaluate(checker: Checker, posts: Sequence[LabelledPost], *, lang: str | None = None) -> Evaluation:
    """Run every post through :func:`~drafter.drafting.check_draft` and compare with its labels."""
    import time

    guidelines = checker.guidelines
    rule_category = {r.id: r.category for r in guidelines.rules}
    result = Evaluation(posts=len(posts), quality=guidelines.quality)
    started = time.perf_counter()

    def counts(table: dict[tuple[str, str], Counts], level: str, key: str) -> Counts:
        return table.setdefault((level, key), Counts())

    for post in posts:
        check = check_post(checker, post, lang)
        for rule_id in check.skipped:
            result.skipped.setdefault(rule_id, []).append(post.id)
        by_level = {
            "error": [f for f in check.findings if f.severity is Severity.ERROR],
            "warning": [f for f in check.findings if f.severity is Severity.WARNING],
        }
        for level in LEVELS:
            expected = post.expected[level]
            found = by_level[level]
            # labels: hit or missed
            for label in sorted(expected):
                category = rule_category.get(label, label)
                if any(_hits(f, frozenset({label})) for f in found):
                    counts(result.categories, level, category).tp += 1
                else:
                    counts(result.categories, level, category).fn += 1
                    if label in rule_category:
                        counts(result.rules, level, label).fn += 1
                    other = "warning" if level == "error" else "error"
                    instead = tuple(sorted({f.rule for f in by_level[other] if _hits(f, frozenset({label}))}))
                    result.misses.append(Miss(post, level, label, instead))
            # findings: expected or false (one per post and rule)
            tolerated = expected | post.expected["error"] if level == "warning" else expected
            false_categories: set[str] = set()
            seen_rules: set[str] = set()
            for f in found:
                if f.rule in seen_rules or f.category == "guidelines":
                    continue  # the checker's own problems (a rule skipped) are no finding of the set: see skipped
                seen_rules.add(f.rule)
                if _hits(f, tolerated):
                    counts(result.rules, level, f.rule).tp += 1
                    continue
                counts(result.rules, level, f.rule).fp += 1
                result.false_findings.append(FalseFinding(post, level, f.rule, f.category, f.match, f.message))
                if f.category not in false_categories:
                    false_categories.add(f.category)
                    counts(result.categories, level, f.category).fp += 1
    result.seconds = time.perf_counter() - started
    return result


# --------------------------------------------------------------------------------------------------
# Text report (the CLI prints it; plain text, untrusted parts made visible)
# --------------------------------------------------------------------------------------------------
def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def format_table(evaluation: Evaluation, *, markdown: bool = False) -> list[str]:
    """Per level and category: TP, FP, FN, precision, recall (Markdown table when ``markdown``)."""
    rows = [("level", "category", "TP", "FP", "FN", "precision", "recall")]
    for (level, category), c in sorted(evaluation.categories.items(), key=lambda i: (LEVELS.index(i[0][0]), i[0][1])):
        rows.append((level, category, str(c.tp), str(c.fp), str(c.fn), _ratio(c.precision), _ratio(c.recall)))
    if markdown:
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return lines
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def format_text(evaluation: Evaluation, *, excerpt: int = 160) -> str:
    lines = [f"{evaluation.posts} posts, checked in {evaluation.seconds:.2f} s", ""]
    lines += format_table(evaluation)
    lines.append("")
    lines.append("rules:")
    for (level, rule), c in sorted(evaluation.rules.items(), key=lambda i: (LEVELS.index(i[0][0]), i[0][1])):
        lines.append(
            f"  {level:<7} {rule:<32} TP {c.tp:>3}  FP {c.fp:>3}  FN {c.fn:>3}  precision {_ratio(c.precision)}"
        )
    for title, items in (("false errors", evaluation.false_errors), ("false warnings", evaluation.false_warnings)):
        if items:
            lines += ["", f"{title} ({len(items)}):"]
            for f in items:
                lines.append(f"  {one_line(f.post.id)} ({one_line(f.post.source)}) {f.rule}: “{one_line(f.match, 60)}”")
                lines.append(f"      {one_line(f.post.text, excerpt)}")
    if evaluation.misses:
        lines += ["", f"misses ({len(evaluation.misses)}):"]
        for m in evaluation.misses:
            instead = f" (found as {', '.join(m.found)} at the other level)" if m.found else ""
            lines.append(f"  {one_line(m.post.id)} ({one_line(m.post.source)}) {m.level} {m.label}{instead}")
            lines.append(f"      {one_line(m.post.text, excerpt)}")
    lines.append("")
    failures = evaluation.failures
    if failures:
        lines.append("quality thresholds not met:")
        lines += [f"  {one_line(text)}" for text in failures]
    else:
        lines.append("quality thresholds met")
    return "\n".join(lines)
