"""Applies a guideline set to a draft: the function every keystroke, ``drafter lint`` and export call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from drafter.channels import Length
from drafter.findings import Finding, LineIndex, Severity, sort_findings
from drafter.patterns import PatternTimeout
from drafter.rules import CheckContext, RuleBase

if TYPE_CHECKING:
    from drafter.briefs import Brief
    from drafter.guidelines import GuidelineSet
    from drafter.originality import PostIndex

GUIDELINE_PROBLEM_RULE = "guidelines.pattern-timeout"
_TIMEOUT_MESSAGE = {
    "de": "Guideline-Problem: Das Muster der Regel {rule} ({pattern}) braucht zu lange und ist für diese "
    "Sitzung abgeschaltet. Bitte dem Core-Team melden.",
    "en": "Guideline problem: the pattern of rule {rule} ({pattern}) takes too long and is switched off for "
    "this session. Please tell the core team.",
}


@dataclass
class CheckResult:
    text: str
    channel: str
    findings: list[Finding]
    length: Length
    _context: CheckContext = field(repr=False, compare=False)

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
    """Compiled once per guideline set; :meth:`check` is cheap enough to run on every keystroke."""

    guidelines: GuidelineSet
    lang: str | None = None
    #: rule id -> why it was switched off for this session (a pattern hit the time limit)
    disabled: dict[str, str] = field(default_factory=dict)
    _by_channel: dict[str, list[RuleBase]] = field(default_factory=dict)
    _cache: dict[Any, Any] = field(default_factory=dict)

    def rules_for(self, channel: str) -> list[RuleBase]:
        rules = self._by_channel.get(channel)
        if rules is None:
            rules = [r for r in self.guidelines.rules if r.applies_to(channel)]
            self._by_channel[channel] = rules
        return [r for r in rules if r.id not in self.disabled] if self.disabled else rules

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
        for rule in self.rules_for(channel):
            if only is not None and rule.id != only:
                continue
            try:
                findings.extend(rule.check(ctx))
            except PatternTimeout as exc:
                template = _TIMEOUT_MESSAGE.get(language, _TIMEOUT_MESSAGE["en"])
                reason = template.format(rule=rule.id, pattern=exc.pattern[:80])
                self.disabled[rule.id] = reason
                findings.append(
                    Finding(
                        rule=GUIDELINE_PROBLEM_RULE,
                        category="guidelines",
                        severity=Severity.WARNING,
                        message=reason,
                        start=0,
                        end=0,
                    )
                )
        return CheckResult(text, channel, sort_findings(findings), ctx.length, ctx)
