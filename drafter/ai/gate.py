"""The gate every suggestion passes before it is shown: the guideline checker, length bounds per kind,
and hashtags from the guidelines or the brief. Blocked suggestions are shown with their reason and
cannot be accepted.

- ``rephrase`` and ``hashtags`` are checked *in place*: the draft with the suggestion applied (the
  selection replaced; the hashtag appended) is checked for the draft's channel through
  :func:`drafter.drafting.check_draft`, and the findings the draft did not have before are the
  suggestion's (:func:`introduced`: a length error the draft had counts only when the suggestion makes
  the post longer). A rephrasing more than :data:`REPHRASE_FACTOR` times the selection's length is writing,
  not rephrasing: blocked. A hashtag must be a goal hashtag of the guidelines in its canonical case or
  one of the brief's own.
- ``angles`` and ``critique`` are not inserted: their text is checked on its own, and only findings on
  their words count (not "no goal hashtag" or the length of a post they are not).

An error-level finding blocks; warnings are listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from drafter.drafting import DraftCheck
from drafter.findings import Finding, Severity
from drafter.i18n import t

REPHRASE_FACTOR = 2.0
#: the longest text a suggestion of each kind may have (characters)
MAX_CHARS = {"angles": 300, "critique": 400, "rephrase": 700, "hashtags": 60}
#: the longest selection ``rephrase`` works on
MAX_SELECTION = 300
#: categories that describe a whole post, not the words of a text checked on its own
_WHOLE_POST = frozenset({"length", "authorship"})

CheckFn = Callable[[str], DraftCheck]


@dataclass
class Suggestion:
    """One suggestion as shown: its ``text``; where it applies in the draft (``start``/``end``: the
    critique's anchor, the selection a rephrasing replaces; None for angles and hashtags); whether the
    gate ``blocked`` it and why; the findings it brings."""

    kind: str
    text: str
    start: int | None = None
    end: int | None = None
    blocked: bool = False
    reason: str | None = None
    findings: list[Finding] = field(default_factory=list)
    #: the text the findings' offsets refer to
    checked: str = ""
    voice: float | None = None

    def block(self, reason: str) -> None:
        if not self.blocked:
            self.blocked, self.reason = True, reason


def _key(f: Finding, text: str) -> tuple[str, str, str]:
    return (f.rule, f.severity.value, text[f.start : f.end])


def new_findings(before: DraftCheck, after: DraftCheck) -> list[Finding]:
    """Findings of ``after`` that ``before`` did not have (by rule, severity and matched text)."""
    seen = Counter(_key(f, before.text) for f in before.findings)
    out = []
    for f in after.findings:
        k = _key(f, after.text)
        if seen[k]:
            seen[k] -= 1
            continue
        out.append(f)
    return out


def _longer(before: DraftCheck, after: DraftCheck) -> bool:
    """Whether ``after`` counts more (characters in the channel's way, or bytes) than ``before`` on any
    channel both were checked for."""
    for channel, length in after.lengths.items():
        was = before.lengths.get(channel)
        if was is None or length.count > was.count:
            return True
        if length.bytes is not None and was.bytes is not None and length.bytes > was.bytes:
            return True
    return False


def introduced(before: DraftCheck, after: DraftCheck) -> list[Finding]:
    """The findings a suggestion brings into the draft: :func:`new_findings`, except that a length
    finding the draft already had (same rule) is the suggestion's only when it makes the post longer —
    its message and range change with every count, so a rephrasing that shortens an over-long post
    would otherwise be blocked for the draft's own error."""
    had = {f.rule for f in before.findings if f.category == "length"}
    longer = _longer(before, after)
    return [f for f in new_findings(before, after) if not (f.category == "length" and f.rule in had and not longer)]


def _judge(s: Suggestion, findings: list[Finding], lang: str) -> None:
    s.findings = [f for f in findings if f.severity is not Severity.INFO]
    errors = [f for f in s.findings if f.severity is Severity.ERROR]
    if errors:
        s.block(t("ai.gate.finding", lang, message=errors[0].message, rule=errors[0].rule))


def _bounded(s: Suggestion, lang: str) -> bool:
    limit = MAX_CHARS[s.kind]
    if len(s.text) > limit:
        s.block(t("ai.gate.too_long", lang, count=len(s.text), limit=limit))
        return False
    if not s.text.strip():
        s.block(t("ai.gate.empty", lang))
        return False
    return True


def gate_text(s: Suggestion, check: CheckFn, lang: str) -> Suggestion:
    """``angles``/``critique``: the text checked on its own; findings on its words count."""
    if not _bounded(s, lang):
        return s
    result = check(s.text)
    s.checked = s.text
    words = [f for f in result.findings if f.end > f.start and f.category not in _WHOLE_POST]
    _judge(s, words, lang)
    return s


def gate_rephrase(s: Suggestion, draft: str, baseline: DraftCheck, check: CheckFn, lang: str) -> Suggestion:
    assert s.start is not None and s.end is not None
    selection = draft[s.start : s.end]
    if s.text.strip() == selection.strip():
        s.block(t("ai.gate.unchanged", lang))
        return s
    if len(s.text) > REPHRASE_FACTOR * max(len(selection), 1) + 10:
        s.block(t("ai.gate.longer_than_selection", lang, count=len(s.text), selection=len(selection)))
        return s
    if not _bounded(s, lang):
        return s
    applied = draft[: s.start] + s.text + draft[s.end :]
    after = check(applied)
    s.checked = applied
    _judge(s, introduced(baseline, after), lang)
    return s


def gate_hashtag(
    s: Suggestion, draft: str, baseline: DraftCheck, check: CheckFn, allowed: list[str], lang: str
) -> Suggestion:
    tag = s.text.strip()
    s.text = tag if tag.startswith("#") else f"#{tag}"
    if not _bounded(s, lang):
        return s
    if s.text not in allowed:
        folded = {a.casefold(): a for a in allowed}
        canonical = folded.get(s.text.casefold())
        if canonical is not None:
            s.block(t("ai.gate.hashtag_case", lang, tag=s.text, canonical=canonical))
        else:
            s.block(t("ai.gate.hashtag_unknown", lang, tag=s.text))
        return s
    applied = f"{draft.rstrip()} {s.text}" if draft.strip() else s.text
    after = check(applied)
    s.checked = applied
    _judge(s, introduced(baseline, after), lang)
    return s


def anchor(draft: str, quote: str, start: int, end: int) -> tuple[int, int] | None:
    """Where a critique remark applies: the quoted passage (its occurrence nearest ``start``); without a quote,
    the given offsets when they lie inside the draft; None when neither fits. A quote that is not in the draft
    gives None, not the offsets: a server that quoted "LOT" at 0–3 of a draft without it had its remark put on
    whatever stood there (a new-user probe)."""
    quote = quote.strip()
    if quote:
        found = _occurrences(draft, quote)
        if not found:
            return None
        best = min(found, key=lambda i: abs(i - start))
        return best, best + len(quote)
    if 0 <= start < end <= len(draft):
        return start, end
    return None


def _occurrences(text: str, sub: str) -> list[int]:
    out: list[int] = []
    i = text.find(sub)
    while i != -1 and len(out) < 100:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


def gate_answer(
    kind: str,
    answer: Any,
    *,
    draft: str,
    selection: tuple[int, int] | None,
    check: CheckFn,
    allowed_hashtags: list[str],
    lang: str,
) -> list[Suggestion]:
    """Every suggestion of a validated answer (:mod:`drafter.ai.schemas`), gated."""
    out: list[Suggestion] = []
    if kind == "angles":
        for question in answer.angles:
            out.append(gate_text(Suggestion(kind, question.strip()), check, lang))
    elif kind == "critique":
        for remark in answer.remarks:
            s = Suggestion(kind, remark.remark.strip())
            where = anchor(draft, remark.quote, remark.start, remark.end)
            if where is None:
                s.block(t("ai.gate.no_anchor", lang))
            else:
                s.start, s.end = where
            out.append(gate_text(s, check, lang))
    elif kind == "rephrase":
        assert selection is not None
        baseline = check(draft)
        for text in answer.alternatives:
            s = Suggestion(kind, text.strip(), selection[0], selection[1])
            out.append(gate_rephrase(s, draft, baseline, check, lang))
    elif kind == "hashtags":
        baseline = check(draft)
        tags = [answer.core, *answer.topics]
        for tag in dict.fromkeys(tags):
            out.append(gate_hashtag(Suggestion(kind, tag), draft, baseline, check, allowed_hashtags, lang))
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return out
