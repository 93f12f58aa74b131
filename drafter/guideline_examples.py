"""``drafter guidelines test``: every rule's examples — each bad text must trigger its rule, no good one may."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from drafter.briefs import Brief
from drafter.checker import Checker
from drafter.rules import Example, RuleBase

if TYPE_CHECKING:
    from drafter.guidelines import GuidelineSet
    from drafter.originality import PostIndex


@dataclass
class ExampleFailure:
    kind: str  # "bad" or "good"
    text: str
    channel: str
    problem: str


@dataclass
class RuleReport:
    rule: str
    passed: int = 0
    failures: list[ExampleFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _channel_for(rule: RuleBase, example: Example, gs: GuidelineSet) -> str:
    if example.channel:
        return example.channel
    if rule.channels:
        return rule.channels[0]
    return gs.default_channel


def _corpus(texts: tuple[str, ...]) -> PostIndex | None:
    if not texts:
        return None
    from drafter.originality import CorpusPost, InMemoryPostIndex

    index = InMemoryPostIndex()
    for number, text in enumerate(texts, 1):
        index.add(CorpusPost(post_id=f"example-{number}", source=f"example {number}", text=text))
    return index


def run_examples(gs: GuidelineSet, lang: str | None = None) -> list[RuleReport]:
    checker = Checker(gs, lang=lang)
    reports = []
    context = gs.brief_context()
    for rule in gs.rules:
        report = RuleReport(rule.id)
        for kind, items in (("bad", rule.examples.bad), ("good", rule.examples.good)):
            for item in items:
                example = item if isinstance(item, Example) else Example(text=item)
                channel = _channel_for(rule, example, gs)
                try:
                    brief = Brief.model_validate(example.brief, context=context) if example.brief is not None else None
                    if channel not in gs.channels:
                        raise ValueError(f"unknown channel {channel!r}")
                except ValueError as exc:
                    report.failures.append(ExampleFailure(kind, example.text, channel, f"invalid example: {exc}"))
                    continue
                result = checker.check(
                    example.text,
                    channel,
                    brief=brief,
                    date=example.date or dt.date.today(),
                    corpus=_corpus(example.corpus),
                    only=rule.id,
                )
                hits = [f for f in result.findings if f.rule == rule.id]
                if kind == "bad" and not hits:
                    report.failures.append(ExampleFailure(kind, example.text, channel, "did not trigger the rule"))
                elif kind == "good" and hits:
                    shown = "; ".join(h.message for h in hits[:2])
                    report.failures.append(ExampleFailure(kind, example.text, channel, f"triggered: {shown}"))
                else:
                    report.passed += 1
        reports.append(report)
    return reports
