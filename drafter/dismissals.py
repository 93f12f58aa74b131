"""Dismissing a warning: the author's way out of a check they disagree with, with a reason on record.

A warning-level finding can be dismissed with a reason; an error cannot (it blocks export whatever the
author says — :func:`dismiss` refuses it here, in the core, so no shell can get around it). A dismissal
is kept with the draft (``drafts.dismissals``, migration step 45 in :mod:`drafter.store`) and listed in
the export.

A dismissal belongs to the flagged passage, not to an offset: its fingerprint is the rule id plus the
text the finding flags (or, for a finding that flags no text, its message). So it survives edits
elsewhere in the draft, and it stops applying as soon as the flagged passage changes. The same passage
flagged twice (two "Vodafone") is dismissed once for both: the author's reason is about the words.

The reason is untrusted text like everything the author types: stored as plain text on one line,
without control, bidi or invisible characters, at most :data:`MAX_REASON` characters; the shells show it
through :mod:`drafter.safe_text`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from drafter.errors import Problem, UserError
from drafter.findings import Finding, Severity
from drafter.i18n import t
from drafter.safe_text import quoted, strip_unsafe

#: the longest reason (characters): a sentence or two, as in a review comment
MAX_REASON = 280
#: at most this many characters of the flagged text are kept for showing (the fingerprint covers all)
MAX_EXCERPT = 200
#: a stored draft keeps at most this many dismissals (the oldest go first)
MAX_DISMISSALS = 200


class DismissalRefused(UserError):
    """The finding cannot be dismissed (an error, an info, …) or the reason is unusable."""

    exit_code = 1

    def __init__(self, reason: str) -> None:
        super().__init__(Problem("", reason))
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Dismissal:
    """One dismissed warning: which rule, which passage (``fingerprint``; ``excerpt`` to show it), the
    finding's category and message when it was dismissed, the author's reason and when."""

    rule: str
    fingerprint: str
    category: str
    message: str
    excerpt: str
    reason: str
    at: dt.datetime

    def matches(self, finding: Finding) -> bool:
        return finding.rule == self.rule and fingerprint(finding) == self.fingerprint

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "fingerprint": self.fingerprint,
            "category": self.category,
            "message": self.message,
            "excerpt": self.excerpt,
            "reason": self.reason,
            "at": self.at.isoformat(timespec="seconds"),
        }

    def export_dict(self) -> dict[str, Any]:
        """The entry of the export's ``dismissed`` list."""
        return {k: v for k, v in self.to_dict().items() if k != "fingerprint"}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Dismissal:
        """From :meth:`to_dict`; raises ``ValueError`` (or ``KeyError``/``TypeError``) when it does not fit."""
        at = dt.datetime.fromisoformat(str(data["at"]))
        return cls(
            rule=_text(data["rule"], 80),
            fingerprint=_text(data["fingerprint"], 64),
            category=_text(data.get("category", ""), 80),
            message=_text(data.get("message", ""), 2000),
            excerpt=_text(data.get("excerpt", ""), MAX_EXCERPT),
            reason=clean_reason(str(data["reason"]), lang="en"),
            at=at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC),
        )


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return strip_unsafe(value)[:limit]


def fingerprint(finding: Finding) -> str:
    """Rule id and the flagged text (the message when the finding flags no text), hashed."""
    anchor = finding.match or finding.message
    data = f"{finding.rule}\x00{anchor}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:32]


def clean_reason(reason: str, *, lang: str = "de") -> str:
    """The reason as stored: one line, no control/bidi/invisible characters, trimmed. Refuses an empty
    reason and one longer than :data:`MAX_REASON` characters (:class:`DismissalRefused`, in ``lang``)."""
    text = " ".join(strip_unsafe(reason).split())
    if not text:
        raise DismissalRefused(t("dismiss.reason_empty", lang))
    if len(text) > MAX_REASON:
        raise DismissalRefused(t("dismiss.reason_too_long", lang, count=len(text), limit=MAX_REASON))
    return text


def dismiss(finding: Finding, reason: str, *, at: dt.datetime, lang: str = "de") -> Dismissal:
    """A dismissal of ``finding`` with ``reason``. Only warnings can be dismissed: an error blocks the
    export whatever the reason, and an info needs no way out (:class:`DismissalRefused`)."""
    # named by what it underlines ("„0171 2345678“"), by its message for a finding of the whole post
    named = _quoted(finding, lang)
    if finding.severity is Severity.ERROR:
        raise DismissalRefused(t("dismiss.refused_error", lang, rule=named))
    if finding.severity is not Severity.WARNING:
        raise DismissalRefused(t("dismiss.refused_info", lang, rule=named))
    excerpt = finding.match
    if len(excerpt) > MAX_EXCERPT:
        excerpt = excerpt[: MAX_EXCERPT - 1] + "…"
    return Dismissal(
        rule=finding.rule,
        fingerprint=fingerprint(finding),
        category=finding.category,
        message=strip_unsafe(finding.message),
        excerpt=strip_unsafe(excerpt),
        reason=clean_reason(reason, lang=lang),
        at=at,
    )


def added(dismissals: Sequence[Dismissal], new: Dismissal) -> tuple[Dismissal, ...]:
    """``dismissals`` with ``new`` (replacing one for the same passage), at most :data:`MAX_DISMISSALS`."""
    kept = [d for d in dismissals if (d.rule, d.fingerprint) != (new.rule, new.fingerprint)]
    return (*kept, new)[-MAX_DISMISSALS:]


def removed(dismissals: Sequence[Dismissal], finding: Finding) -> tuple[Dismissal, ...]:
    """``dismissals`` without the one that covers ``finding`` (undoing a dismissal)."""
    return tuple(d for d in dismissals if not d.matches(finding))


def apply(findings: Sequence[Finding], dismissals: Sequence[Dismissal]) -> tuple[list[Finding], list[Dismissal]]:
    """Mark the warnings covered by a dismissal (:attr:`Finding.dismissed` = the reason). Errors and infos
    are never marked, whatever is stored (a rule may have become an error since). Returns the findings
    and the dismissals that applied to at least one of them."""
    if not dismissals:
        return list(findings), []
    by_key = {(d.rule, d.fingerprint): d for d in dismissals}
    used: dict[tuple[str, str], Dismissal] = {}
    out: list[Finding] = []
    for f in findings:
        d = by_key.get((f.rule, fingerprint(f))) if f.severity is Severity.WARNING else None
        if d is None:
            out.append(f)
            continue
        used[(d.rule, d.fingerprint)] = d
        out.append(replace(f, dismissed=d.reason))
    return out, list(used.values())


def to_json(dismissals: Iterable[Dismissal]) -> list[dict[str, Any]]:
    return [d.to_dict() for d in dismissals]


def from_json(data: Any) -> tuple[Dismissal, ...]:
    """Stored dismissals; an entry that does not fit is left out (a draft always opens)."""
    if not isinstance(data, list):
        return ()
    out: list[Dismissal] = []
    for item in data[-MAX_DISMISSALS:]:
        if not isinstance(item, Mapping):
            continue
        try:
            out.append(Dismissal.from_dict(item))
        except (KeyError, TypeError, ValueError, DismissalRefused):
            continue
    return tuple(out)


def dismiss_rules(
    findings: Sequence[Finding], reasons: Mapping[str, str], *, at: dt.datetime, lang: str = "de"
) -> tuple[tuple[Dismissal, ...], list[str]]:
    """Dismiss every warning of each rule in ``reasons`` (rule id → reason), as ``drafter export
    --dismiss RULE=REASON`` does. Refuses (:class:`DismissalRefused`) when a named rule reports an error
    or an info here; returns the dismissals and the rule ids that reported nothing to dismiss."""
    out: list[Dismissal] = []
    unused: list[str] = []
    for rule, reason in reasons.items():
        mine = [f for f in findings if f.rule == rule]
        if not mine:
            clean_reason(reason, lang=lang)  # a bad reason is refused all the same
            unused.append(rule)
            continue
        for f in mine:
            out = list(added(out, dismiss(f, reason, at=at, lang=lang)))
    return tuple(out), unused


def _quoted(finding: Finding, lang: str) -> str:
    """What a refusal calls the finding: the text it underlines in quotation marks (one line, at most 40
    characters), or the opening of its message when it underlines nothing (a rule id means nothing to an
    ambassador)."""
    text = " ".join(finding.match.split())  # a line break or tab as a space, not "\x0a"
    if finding.category == "originality" and " " not in text:
        text = ""  # a comparison of the whole draft keeps the post's id there (its dismissal follows the post)
    return quoted(text or finding.message, lang)
