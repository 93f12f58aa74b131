"""Applies a guideline set to a draft: the function every keystroke, ``drafter lint`` and export call."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from drafter.channels import Length
from drafter.errors import CORPUS_PROBLEM_RULE, CorpusUnavailable
from drafter.findings import MAX_FINDINGS_PER_RULE, Finding, LineIndex, Severity, sort_findings
from drafter.i18n import t
from drafter.import_report import error_text
from drafter.patterns import PatternTimeout
from drafter.rules import CheckContext, RuleBase
from drafter.safe_text import one_line
from drafter.text_integrity import integrity_findings

if TYPE_CHECKING:
    from drafter.briefs import Brief
    from drafter.guidelines import GuidelineSet
    from drafter.originality import PostIndex

GUIDELINE_PROBLEM_RULE = "guidelines.pattern-timeout"
_SURROGATE = re.compile("[\ud800-\udfff]")
#: the finding of a rule stopped at :data:`~drafter.findings.MAX_FINDINGS_PER_RULE`
TOO_MANY_RULE = "guidelines.too-many-findings"

#: the rule types that see the text, brief, date, language and corpus only, not the channel (``length``
#: does): a text checked for several channels runs them once. A type not listed (a new one) runs for every
#: channel.
SHARED_TYPES = frozenset(
    {
        "existence",
        "substitution",
        "occurrence",
        "conditional",
        "hashtags",
        "links",
        "mentions",
        "emoji",
        "confidentiality",
        "tone",
        "embargo",
        "originality",
        "corpus_similarity",
    }
)

#: the rule types that ask the corpus of posts (a query of the store, not just the text): the editor asks
#: them after a pause in typing, not on every keystroke (:func:`drafter.drafting.corpus_answer`)
CORPUS_TYPES = frozenset({"corpus_similarity"})


class _TooMany(Exception):
    """A rule found more than :data:`~drafter.findings.MAX_FINDINGS_PER_RULE` in one text."""


@dataclass
class CheckResult:
    text: str
    channel: str
    findings: list[Finding]
    length: Length
    _context: CheckContext = field(repr=False, compare=False)
    #: ids of the rules that could not finish on this text (a pattern hit its time limit; each also has a
    #: ``guidelines.pattern-timeout`` finding). The check is then incomplete: export must wait until it is
    #: empty, and ``drafter lint`` exits 2. The next text is checked with every rule again.
    skipped: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when every rule ran to the end on this text."""
        return not self.skipped

    @property
    def hashtags(self) -> list[str]:
        """The hashtags as written (extracted on first use; the hashtag rules share the extraction)."""
        return [self.text[h.start : h.end] for h in self._context.hashtags]

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def to_dict(self, input_name: str) -> dict[str, Any]:
        index = LineIndex(self.text)
        return {
            "input": input_name,
            "channel": self.channel,
            "length": self.length.to_dict(),
            "hashtags": self.hashtags,
            "findings": [f.to_dict(self.text, index) for f in self.findings],
        }


@dataclass
class Checker:
    """Compiled once per guideline set; :meth:`check` is cheap enough to run on every keystroke.

    A rule whose pattern hits its time limit is skipped for that text only (``CheckResult.skipped``); there
    is no state that switches a rule off for later texts."""

    guidelines: GuidelineSet
    lang: str | None = None
    #: the language of the checker's own problems (a pattern over its time limit), which are not guideline
    #: messages; None: the check's language. The CLI speaks English whatever ``--lang`` says.
    problem_lang: str | None = None
    _by_channel: dict[str, list[RuleBase]] = field(default_factory=dict)
    _cache: dict[Any, Any] = field(default_factory=dict)
    #: (text, brief, date, language, corpus, {rule id: findings}, channels) of the last check: the findings
    #: of the rules :meth:`shares_findings` allows, for the same text checked for another channel (as
    #: ``check_draft`` does for a draft's channels); a channel checked again starts afresh
    _last: tuple[Any, ...] | None = None
    _plans: dict[str, list[tuple[RuleBase, bool]]] = field(default_factory=dict)
    _channel_ids: frozenset[str] | None = None
    #: profile marker -> whether the guideline set reads it as a disclosure (:meth:`marker_discloses`)
    _markers: dict[str, bool] = field(default_factory=dict)

    @staticmethod
    def shares_findings(rule: RuleBase) -> bool:
        """Whether ``rule`` finds the same in a text whatever the channel: its type does not look at the
        channel, and its texts do not name it (``{channel}``)."""
        if rule.type not in SHARED_TYPES:
            return False
        texts = [rule.message, rule.why]
        return not any("{channel" in v for t in texts if t for v in ([t] if isinstance(t, str) else t.values()))

    @property
    def channel_rule_ids(self) -> frozenset[str]:
        """The ids of the rules whose findings depend on the channel (not :meth:`shares_findings`)."""
        if self._channel_ids is None:
            rules = self.guidelines.rules
            self._channel_ids = frozenset(r.id for r in rules if not self.shares_findings(r))
        return self._channel_ids

    def marker_discloses(self, marker: str) -> bool:
        """Whether the guideline set reads the profile's disclosure ``marker``, on its own, as a disclosure: some
        conditional rule of category ``disclosure`` finds its ``require`` in it ("#TelekomMitarbeiterin", "Werbung";
        not "#hallo" or "Telekom"). Only such a marker silences the disclosure rules where a post carries it: what
        discloses is the guidelines' to say, not the profile's (a new-user probe set "#hallo" and was never asked
        to disclose)."""
        marker = marker.strip()
        if not marker:
            return False
        known = self._markers.get(marker)
        if known is None:
            from drafter.rules.words import ConditionalRule

            known = any(
                isinstance(rule, ConditionalRule) and rule.category == "disclosure" and rule.discloses(marker)
                for rule in self.guidelines.rules
            )
            if len(self._markers) >= 64:
                self._markers.clear()
            self._markers[marker] = known
        return known

    def rules_for(self, channel: str) -> list[RuleBase]:
        rules = self._by_channel.get(channel)
        if rules is None:
            rules = [r for r in self.guidelines.rules if r.applies_to(channel)]
            self._by_channel[channel] = rules
        return rules

    def corpus_rule_ids(self, channels: list[str]) -> list[str]:
        """The ids of the rules of :data:`CORPUS_TYPES` that apply to any of ``channels``, in rule order."""
        ids: list[str] = []
        for channel in channels:
            ids.extend(r.id for r in self.rules_for(channel) if r.type in CORPUS_TYPES and r.id not in ids)
        return ids

    def _plan(self, channel: str) -> list[tuple[RuleBase, bool]]:
        """The rules for ``channel``, each with whether its findings are shared between channels."""
        plan = self._plans.get(channel)
        if plan is None:
            plan = self._plans[channel] = [(rule, self.shares_findings(rule)) for rule in self.rules_for(channel)]
        return plan

    def check(
        self,
        text: str,
        channel: str | None = None,
        brief: Brief | None = None,
        date: dt.date | None = None,
        corpus: PostIndex | None = None,
        lang: str | None = None,
        only: str | None = None,
    ) -> CheckResult:
        try:
            return self._check(text, channel, brief, date, corpus, lang, only)
        except UnicodeEncodeError:
            # a lone surrogate (only the Python API can pass one: files and the editor are cleaned) cannot be
            # encoded for the literal pass; replaced one for one, so every position stays the same (asked only
            # after the failure: the search would cost every keystroke a pass over the text)
            cleaned = _SURROGATE.sub("\ufffd", text)
            if cleaned == text:
                raise
            return self._check(cleaned, channel, brief, date, corpus, lang, only)

    def _check(
        self,
        text: str,
        channel: str | None,
        brief: Brief | None,
        date: dt.date | None,
        corpus: PostIndex | None,
        lang: str | None,
        only: str | None,
    ) -> CheckResult:
        channel = channel or self.guidelines.default_channel
        spec = self.guidelines.channels.get(channel)
        if spec is None:
            known = ", ".join(self.guidelines.channels)
            raise ValueError(f"unknown channel {channel!r}; known: {known}")
        language = lang or self.lang or self.guidelines.language
        ctx = CheckContext(
            text,
            channel,
            spec,
            goals=self.guidelines.goals,
            brief=brief,
            date=date,
            lang=language,
            corpus=corpus,
            cache=self._cache,
        )
        findings: list[Finding] = []
        skipped: list[str] = []
        last = self._last
        if (
            last is None
            or not (last[0] is text or last[0] == text)
            or last[1] is not brief
            or last[2] != ctx.date
            or last[3] != language
            or last[4] is not corpus
            or channel in last[6]  # checked again for a channel: from scratch (the corpus may have grown)
        ):
            last = self._last = (text, brief, ctx.date, language, corpus, {}, set())
        shared: dict[str, list[Finding]] = last[5]
        last[6].add(channel)
        for rule, share in self._plan(channel):
            if only is not None and rule.id != only:
                continue
            if share:
                earlier = shared.get(rule.id)
                if earlier is not None:  # found for another channel of this text
                    findings.extend(earlier)
                    continue
            found: list[Finding] = []
            try:
                for finding in rule.check(ctx):  # what a rule found before a time limit is kept
                    if len(found) == MAX_FINDINGS_PER_RULE:  # one more than may be listed: the rule stops here
                        raise _TooMany
                    found.append(finding)
            except (PatternTimeout, _TooMany, CorpusUnavailable) as exc:
                findings.extend(found)
                skipped.append(rule.id)
                problem = GUIDELINE_PROBLEM_RULE
                if isinstance(exc, CorpusUnavailable):
                    problem = CORPUS_PROBLEM_RULE
                    said_in = self.problem_lang or language
                    reason = t("checker.corpus_unavailable", said_in, rule=rule.id, reason=error_text(exc, said_in))
                elif isinstance(exc, PatternTimeout):
                    reason = t(
                        "checker.pattern_timeout",
                        self.problem_lang or language,
                        rule=rule.id,
                        pattern=one_line(exc.pattern, 80),
                    )
                else:
                    problem = TOO_MANY_RULE
                    reason = t(
                        "checker.too_many_findings",
                        self.problem_lang or language,
                        rule=rule.id,
                        limit=MAX_FINDINGS_PER_RULE,
                    )
                findings.append(
                    Finding(
                        rule=problem,
                        category="guidelines",
                        severity=Severity.WARNING,
                        message=reason,
                        start=0,
                        end=0,
                    )
                )
                continue
            findings.extend(found)
            if share:
                shared[rule.id] = found
        if only is None:  # hidden characters and look-alike letters would slip past every rule above
            findings.extend(integrity_findings(text, language))
        return CheckResult(text, channel, sort_findings(findings), ctx.length, ctx, skipped)
