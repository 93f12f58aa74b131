"""Checking a whole draft and exporting it: the one place that decides what a draft's findings are and
whether it may leave the workspace. The compose screen, the export dialog, ``drafter export`` and
(later) the AI gate all call these two functions.

:func:`check_draft` checks a text for every selected channel (findings of the second and later channels
are labelled with the channel), adds the profile's disclosure marker as a one-key fix where a disclosure
is missing, applies the authorship policy to the authorship record, and measures how much of the text
comes from the brief. :func:`export_draft` applies the export gate (errors refuse; warnings need
``accept_warnings``; a rule that was skipped on this text refuses, because the check is incomplete),
builds the export document, writes Markdown + JSON and adds the post to the corpus.

The corpus part (rules that query the corpus of posts) can be left for later: the editor checks each
keystroke with ``check_draft(..., defer_corpus=True)`` — such a check is :attr:`DraftCheck.corpus_pending`
and the export gate refuses it — asks :func:`corpus_answer` after a pause in typing, and merges the answer
with :func:`with_corpus` when it is for the check's own text.

Embargo: before a brief's ``not_before`` the embargo finding stays visible, but it does not block the
export: the post is exported as *scheduled* (:attr:`DraftCheck.scheduled_for`, carried by the export
files as ``scheduled_for``), and :func:`copy_allowed` keeps it off the clipboard until that date.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter.errors import CORPUS_PROBLEM_RULE, Problem, UserError
from drafter.findings import Finding, Severity, drop_shadowed, sort_findings
from drafter.i18n import t
from drafter.safe_text import one_line

if TYPE_CHECKING:
    from drafter.authorship import AuthorshipRecord, AuthorshipSummary
    from drafter.briefs import Brief
    from drafter.channels import Length
    from drafter.checker import Checker
    from drafter.dismissals import Dismissal
    from drafter.export import ExportFiles
    from drafter.guidelines import GuidelineSet
    from drafter.originality import PostIndex
    from drafter.voice import VoiceStore

MARKER_RULE = "profile.disclosure-marker"


@dataclass
class DraftCheck:
    """Everything known about one version of a draft: findings (sorted, the authorship policy's
    included), lengths per channel (the first channel is the primary one), the authorship summary
    (None when no record matches the text), the share of word 5-grams taken from the brief, the rules
    that could not run on this text, and what the check cost (``seconds``: CPU time of the thread that
    ran it, which the editor uses to choose between checking inline and in a worker)."""

    text: str
    channels: list[str]
    findings: list[Finding]
    lengths: dict[str, Length]
    summary: AuthorshipSummary | None = None
    brief_share: float = 0.0
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: the day from which the post may be posted (a brief's embargo ends after the check date), else None
    scheduled_for: dt.date | None = None
    #: ids of the rules whose findings schedule the post instead of blocking it (embargo ``not_before``)
    scheduling_rules: frozenset[str] = frozenset()
    #: the author's dismissals that apply to a warning of this check (:mod:`drafter.dismissals`)
    dismissals: list[Dismissal] = field(default_factory=list)
    #: ids of the rules that ask the corpus (their findings are the corpus part, :func:`with_corpus`)
    corpus_rules: frozenset[str] = frozenset()
    #: the corpus part this check holds (for this text, or carried from an earlier one while pending);
    #: None when no corpus was asked
    corpus: CorpusAnswer | None = None
    #: the corpus part was left for later (``defer_corpus``) and no answer for this very text is merged
    #: yet: its originality findings, if any, are an earlier text's. The export gate refuses such a check.
    corpus_pending: bool = False

    @property
    def primary(self) -> str:
        return self.channels[0]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        """The warnings still open (a dismissed warning needs no confirmation at export)."""
        return [f for f in self.findings if f.severity is Severity.WARNING and f.dismissed is None]

    @property
    def dismissed(self) -> list[Finding]:
        """The warnings the author dismissed with a reason (shown muted, listed in the export)."""
        return [f for f in self.findings if f.dismissed is not None]

    @property
    def held(self) -> list[Finding]:
        """The findings that schedule the post (embargo) instead of blocking its export."""
        return [f for f in self.findings if f.rule in self.scheduling_rules]

    @property
    def gate_errors(self) -> list[Finding]:
        """Error-level findings that block the export (:attr:`errors` without the scheduling ones)."""
        return [f for f in self.errors if f.rule not in self.scheduling_rules]

    @property
    def gate_warnings(self) -> list[Finding]:
        """Warnings to confirm before export (:attr:`warnings` without the scheduling ones)."""
        return [f for f in self.warnings if f.rule not in self.scheduling_rules]

    @property
    def authorship_failing(self) -> bool:
        return any(f.category == "authorship" for f in self.findings)

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    @property
    def blocked(self) -> bool:
        """Export is impossible: no text, an error-level finding (other than an embargo, which schedules
        the post), a rule that could not run, or a corpus part not yet asked for this text."""
        return self.empty or bool(self.gate_errors) or bool(self.skipped) or self.corpus_pending


@dataclass(frozen=True)
class CorpusAnswer:
    """The corpus part of a check: the findings of the rules that ask the corpus (before dismissals,
    labelled per channel as :func:`check_draft` labels them) and the text and channels they answer."""

    text: str
    channels: tuple[str, ...]
    #: the ids of the rules asked (their findings in a check are replaced by this answer's)
    rules: frozenset[str]
    findings: tuple[Finding, ...]
    #: the ids of the rules asked that could not run (a corpus that cannot be read): the check is incomplete
    skipped: tuple[str, ...] = ()

    def answers(self, check: DraftCheck) -> bool:
        """Whether this is the answer for ``check``'s own text and channels."""
        return self.text == check.text and self.channels == tuple(check.channels)


def check_draft(
    checker: Checker,
    text: str,
    *,
    channels: list[str],
    record: AuthorshipRecord | None = None,
    brief: Brief | None = None,
    corpus: PostIndex | None = None,
    date: dt.date | None = None,
    lang: str = "de",
    disclosure_marker: str = "",
    dismissals: Sequence[Dismissal] = (),
    defer_corpus: bool = False,
) -> DraftCheck:
    """Check ``text`` for every channel in ``channels`` (the first is the primary one).

    ``record`` is the authorship record matching ``text``; without one (or with one that does not fit
    the text) no policy is applied and :attr:`DraftCheck.summary` is None. ``dismissals`` (the draft's)
    mark the warnings they cover as dismissed; errors are never dismissed. ``defer_corpus``: the rules
    that ask ``corpus`` do not run; the check is :attr:`DraftCheck.corpus_pending` when there are such
    rules and a corpus (see :func:`corpus_answer`).
    """
    from drafter.rules.policy import scheduling_rule_ids  # the rule models: pydantic, loaded with the checker

    if not channels:
        raise ValueError("check_draft needs at least one channel")
    started = time.thread_time()  # CPU time of this thread: wall time in a worker is inflated by the GIL
    guidelines = checker.guidelines
    merged: dict[tuple[str, int, int, str, str], Finding] = {}
    lengths: dict[str, Length] = {}
    skipped: list[str] = []
    corpus_rules = frozenset(checker.corpus_rule_ids(channels)) if corpus is not None else frozenset()
    asked = None if defer_corpus else corpus
    specific = checker.channel_rule_ids
    for i, channel in enumerate(channels):
        result = checker.check(text, channel=channel, brief=brief, date=date, lang=lang, corpus=asked)
        lengths[channel] = result.length
        for rule_id in result.skipped:
            if rule_id not in skipped:
                skipped.append(rule_id)
        # what the author sees says one thing once, per channel (each rule's own findings stay as the checker
        # gives them; another channel's length finding is no double of this one's)
        _merge(merged, drop_shadowed(result.findings), i, guidelines.channels[channel].label, specific)
    findings = list(merged.values())
    answer = None
    if corpus_rules and not defer_corpus:
        found = tuple(f for f in findings if f.rule in corpus_rules)
        answer = CorpusAnswer(text, tuple(channels), corpus_rules, found)
    marker_counts = checker.marker_discloses(disclosure_marker)
    if marker_counts and discloses(text, disclosure_marker):
        # the profile's own marker, where the guidelines read it as a disclosure (also in a spelling their list
        # lacks, "#telekommitarbeiterin " with the space the profile has)
        findings = [f for f in findings if f.category != "disclosure"]
    summary: AuthorshipSummary | None = None
    if record is not None and len(record) == len(text):
        from drafter.authorship import evaluate, shares  # only with a record: not for ``drafter lint``

        summary = shares(text, record)
        # the policy is a finding like any other while writing, not a surprise at export
        findings.extend(evaluate(summary, guidelines.policies.authorship, lang, record))
    brief_share = 0.0
    if brief is not None and text:
        from drafter.authorship import brief_ngram_share

        brief_share = brief_ngram_share(text, brief.source_texts())
    scheduling = scheduling_rule_ids(guidelines.rules)
    scheduled_for = None
    if brief is not None and any(f.rule in scheduling for f in findings):
        scheduled_for = brief.not_before
    applied: list[Dismissal] = []
    if dismissals:
        from drafter.dismissals import apply

        findings, applied = apply(findings, dismissals)
    if marker_counts:
        # offered for the disclosure findings still open: a warning the author dismissed ("kein Angebot") asks for
        # no marker any more (a new-user probe saw the hint stay as the one open item)
        findings.extend(marker_hint(text, [f for f in findings if f.dismissed is None], disclosure_marker, lang))
    return DraftCheck(
        text=text,
        channels=list(channels),
        findings=sort_findings(findings),
        lengths=lengths,
        summary=summary,
        brief_share=brief_share,
        skipped=skipped,
        seconds=time.thread_time() - started,
        scheduled_for=scheduled_for,
        scheduling_rules=scheduling,
        dismissals=applied,
        corpus_rules=corpus_rules,
        corpus=answer,
        corpus_pending=bool(corpus_rules) and defer_corpus,
    )


def _merge(
    merged: dict[tuple[str, int, int, str, str], Finding],
    found: list[Finding],
    i: int,
    label: str,
    specific: frozenset[str],
) -> None:
    """Add one channel's findings (the ``i``-th channel, ``label``): a finding already there from an earlier
    channel is kept; the second and later channels' own findings say which channel they are for. A rule
    whose findings depend on the channel (``specific``: their ids) keeps one per channel: Threads and
    Mastodon, both too long at the same limit, were one finding (a hostile probe)."""
    for f in found:
        # the checker's own problems (a rule over its time limit or its number of findings) share one rule id and
        # no span: their message, which names the rule, tells them apart (several skipped rules showed as one)
        own = label if i > 0 and f.rule in specific else ""
        key = (f.rule, f.start, f.end, f.message if f.category == "guidelines" else "", own)
        if key in merged:
            continue
        if i > 0:
            f = replace(f, message=f"[{label}] {f.message}")
        merged[key] = f


def corpus_answer(
    checker: Checker,
    text: str,
    *,
    channels: list[str],
    corpus: PostIndex,
    brief: Brief | None = None,
    date: dt.date | None = None,
    lang: str = "de",
) -> CorpusAnswer:
    """Only the corpus part of :func:`check_draft` for ``text``: the rules that ask ``corpus``, for every
    channel in ``channels`` (merge it with :func:`with_corpus`). Safe in a worker thread while the editor
    checks other texts."""
    merged: dict[tuple[str, int, int, str, str], Finding] = {}
    skipped: list[str] = []
    for i, channel in enumerate(channels):
        found: list[Finding] = []
        for rule_id in checker.corpus_rule_ids([channel]):  # the plan's other rules are passed over
            result = checker.check(
                text, channel=channel, brief=brief, date=date, lang=lang, corpus=corpus, only=rule_id
            )
            found.extend(result.findings)
            skipped.extend(r for r in result.skipped if r not in skipped)
        _merge(merged, found, i, checker.guidelines.channels[channel].label, checker.channel_rule_ids)
    rules = frozenset(checker.corpus_rule_ids(channels))
    return CorpusAnswer(text, tuple(channels), rules, tuple(merged.values()), tuple(skipped))


def with_corpus(check: DraftCheck, answer: CorpusAnswer, dismissals: Sequence[Dismissal] = ()) -> DraftCheck:
    """``check`` with the corpus part ``answer`` in place of the one it holds. An answer for the check's
    own text and channels completes it (no longer pending). An earlier text's answer, on a pending check,
    is only carried over, so an originality finding does not blink on every keystroke: the check stays
    pending until its own answer arrives. A carried finding on a paragraph that the text still holds as it
    was stays on it; any other spans the whole text, as a finding on the whole draft does. ``dismissals``
    are the draft's, applied to the answer's warnings."""
    current = answer.answers(check)
    if not current and not check.corpus_pending:
        return check  # a complete check never takes an older text's answer
    ids = check.corpus_rules | answer.rules
    found = list(answer.findings)
    if not current:
        text = check.text
        end = len(text.rstrip())
        start = min(len(text) - len(text.lstrip()), end)
        found = [_carried(f, answer.text, text, start, end) for f in found if f.rule in ids] if end else []
    applied = [d for d in check.dismissals if d.rule not in ids]
    if dismissals:
        from drafter.dismissals import apply

        found, used = apply(found, dismissals)
        applied.extend(used)
    return replace(
        check,
        findings=sort_findings(
            [f for f in check.findings if f.rule not in ids and f.rule != CORPUS_PROBLEM_RULE] + found
        ),
        # the answer's rules that could not run (a corpus that cannot be read) make the check incomplete
        skipped=[r for r in check.skipped if r not in ids] + [r for r in answer.skipped if current],
        dismissals=applied,
        corpus_rules=ids,
        corpus=answer,
        corpus_pending=check.corpus_pending and not current,
    )


def _carried(finding: Finding, old: str, new: str, start: int, end: int) -> Finding:
    """``finding`` of the corpus answer for ``old``, placed in ``new``: on the same paragraph when ``new``
    holds it unchanged (once: else it is not clear which), else over ``start``–``end`` (the whole text)."""
    piece = old[finding.start : finding.end]
    whole = old.strip()
    if piece.strip() and piece != whole and new.count(piece) == 1:
        at = new.index(piece)
        return replace(finding, start=at, end=at + len(piece))
    return replace(finding, start=start, end=end)


def discloses(text: str, marker: str) -> bool:
    """True when ``text`` carries the profile's disclosure marker (ignoring case)."""
    marker = marker.strip()
    return bool(marker) and marker.casefold() in text.casefold()


def marker_hint(text: str, findings: list[Finding], marker: str, lang: str) -> list[Finding]:
    """When a disclosure is missing and the profile names the user's marker, offer it as a one-key fix
    at the end of the text (only for a marker the guidelines read as a disclosure: the caller asks
    :meth:`~drafter.checker.Checker.marker_discloses`). The message says what to change, not that a fix does
    it: the CLI prints it too and applies no fix."""
    marker = marker.strip()
    if not marker or marker in text or not any(f.category == "disclosure" for f in findings):
        return []
    end = len(text.rstrip())
    message = t("compose.add_marker", lang, marker=marker)
    return [Finding(MARKER_RULE, "disclosure", Severity.INFO, message, end, end, (f" {marker}",))]


# --------------------------------------------------------------------------------------------------
# export
# --------------------------------------------------------------------------------------------------
class ExportRefused(UserError):
    """The gate refused the export; ``check`` holds the findings that stand in the way. Exit code 1,
    as for ``drafter lint`` with an error-level finding."""

    exit_code = 1

    def __init__(self, reason: str, check: DraftCheck) -> None:
        super().__init__(Problem("", reason))
        self.reason = reason
        self.check = check


@dataclass(frozen=True)
class ExportOutcome:
    files: ExportFiles
    document: dict[str, Any]
    #: why the post could not be added to the corpus (the files are written all the same), else None
    corpus_error: str | None = None
    #: why the post could not join the voice profile (the files are written all the same), else None
    voice_error: str | None = None
    #: why the post could not be queued for the team store (the files are written all the same), else None
    outbox_error: str | None = None


def export_refusal(
    check: DraftCheck, *, accept_warnings: bool, lang: str = "de", labels: Mapping[str, str] | None = None
) -> str | None:
    """Why ``check`` may not be exported (in ``lang``), or None when it may. ``labels``: the channels'
    names to say (channel id → label; default: the ids, as the command line names them)."""
    if check.empty:
        return t("export.empty", lang)
    if any(f.rule == CORPUS_PROBLEM_RULE for f in check.findings):  # a damaged store, not the text
        return t("export.corpus_unavailable", lang, rules=", ".join(check.skipped))
    if check.skipped:
        return t("export.skipped", lang, rules=", ".join(check.skipped))
    if check.corpus_pending:
        return t("corpus_pause.pending", lang)
    if check.gate_errors:
        # the embargo is listed as an error too but only schedules: the count would not match the list
        held = len(check.errors) > len(check.gate_errors)
        reason = t("export.blocked_held" if held else "export.blocked", lang, count=len(check.gate_errors))
        # too long only for a further channel: the way out is not in the text (a new-user probe)
        longer = [c for c in check.channels[1:] if check.lengths[c].over and not check.lengths[check.primary].over]
        if longer and any(f.category == "length" for f in check.gate_errors):
            # a guideline folder's label may be anything: shortened, as the dialog's length lines are, and at
            # most five named (a 5,000-character label pushed the dialog's buttons away: hostile probe)
            named = [one_line(labels.get(c, c) if labels else c, 40) for c in longer]
            shown = ", ".join(named[:5]) + (f", … (+{len(named) - 5})" if len(named) > 5 else "")
            reason += t("export.too_long_elsewhere", lang, channels=shown, count=len(longer))
        return reason
    if check.gate_warnings and not accept_warnings:
        return t("export.needs_accept", lang, count=len(check.gate_warnings))
    return None


def copy_allowed(check: DraftCheck) -> bool:
    """Whether the post may go to the clipboard now: not while it is scheduled for a later day (the
    files are written; copying is what comes right before posting)."""
    return check.scheduled_for is None


def export_draft(
    check: DraftCheck,
    *,
    guidelines: GuidelineSet,
    author: str,
    exported_at: dt.datetime,
    lang: str = "de",
    draft_id: str | None = None,
    brief_id: str | None = None,
    accept_warnings: bool = False,
    out_dir: Path | None = None,
    corpus: PostIndex | None = None,
    voice: VoiceStore | None = None,
    outbox: Callable[[dict[str, Any]], object] | None = None,
) -> ExportOutcome:
    """Gate, build, write Markdown + JSON, add the post to ``corpus`` (and to the author's ``voice``
    profile when given) and hand the export document to ``outbox`` (the team store's queue, when a team
    is configured; drafts never go there).

    Raises :class:`ExportRefused` when the gate says no (nothing is written) and ``OSError`` when the
    files cannot be written (nothing is added to the corpus). A corpus that cannot take the post does
    not undo the export: :attr:`ExportOutcome.corpus_error` says so.
    """
    from drafter.export import build_export, write_export
    from drafter.originality import CorpusPost, export_source

    reason = export_refusal(check, accept_warnings=accept_warnings, lang=lang)
    if reason is not None:
        raise ExportRefused(reason, check)
    policy = guidelines.policies.authorship
    authorship: dict[str, Any] | None = None
    if check.summary is not None:
        authorship = check.summary.to_dict(policy)
        authorship["summary_line"] = check.summary.one_line(lang)
    document = build_export(
        text=check.text,
        channels=check.channels,
        findings=[f for f in check.findings if f.dismissed is None],
        guideline_name=guidelines.name,
        guideline_version=guidelines.version,
        exported_at=exported_at,
        brief_id=brief_id,
        draft_id=draft_id,
        author=author,
        length=check.lengths[check.primary].to_dict(),
        lengths={c: check.lengths[c].to_dict() for c in check.channels if c in check.lengths},
        authorship=authorship,
        scheduled_for=check.scheduled_for,
        dismissed=[d.export_dict() for d in check.dismissals],
    )
    names = {c: spec.label for c, spec in guidelines.channels.items()}
    # headings, date and channel names as the user reads them
    files = write_export(document, out_dir=out_dir, lang=lang, channel_labels=names)
    corpus_error: str | None = None
    if corpus is not None:
        source = export_source(draft_id) if draft_id else f"export:{files.json.stem}"
        post = CorpusPost(text=check.text, source=source, channel=check.primary, brief_id=brief_id)
        try:
            corpus.add(post)
        except Exception as exc:  # sqlite3.Error, OSError: the files are written; only the corpus misses it
            corpus_error = str(exc)
    voice_error: str | None = None
    if voice is not None:  # the author's own exported post: part of their voice from now on
        try:
            voice.add([(f"export:{files.json.stem}", check.text)], origin="export")
        except Exception as exc:  # as for the corpus: the export stands
            voice_error = str(exc)
    outbox_error: str | None = None
    if outbox is not None:
        try:
            outbox(document)
        except Exception as exc:  # sqlite3.Error, OSError: the files are written; the team misses the post
            outbox_error = str(exc)
    return ExportOutcome(files, document, corpus_error, voice_error, outbox_error)
