"""The guideline set's data policy (``policies.ai``): which hosts may receive a brief's text, by its
classification, and which patterns are replaced by placeholders before anything is sent."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from drafter.ai.errors import AiPolicyError, ai_said
from drafter.briefs import Classification
from drafter.errors import Said
from drafter.patterns import PatternTimeout, SafePattern

if TYPE_CHECKING:
    from drafter.guidelines import AiPolicy

#: a draft without a brief is treated like an internal brief
NO_BRIEF = "internal"
_CLASSIFICATIONS = frozenset(c.value for c in Classification)


def host_allowed(policy: AiPolicy, classification: str, host: str) -> bool:
    patterns = policy.hosts.get(classification, ())
    host = host.lower()
    return any(p == "*" or fnmatchcase(host, p) for p in patterns)


def require_host(policy: AiPolicy, classification: str, host: str) -> None:
    """Raise :class:`AiPolicyError` naming the rule when ``classification`` may not go to ``host``."""
    if host_allowed(policy, classification, host):
        return
    listed = policy.hosts.get(classification)
    if listed is None:
        rule = f"policies.ai.hosts has no entry for {classification!r}"
        said_rule = ai_said("policy_no_entry", classification=classification)
    elif not listed:
        rule = f"policies.ai.hosts.{classification} lists no host"
        said_rule = ai_said("policy_no_host", classification=classification)
    else:
        rule = f"policies.ai.hosts.{classification} does not list {host!r} (it lists {', '.join(listed)})"
        said_rule = ai_said("policy_unlisted", classification=classification, host=host, listed=", ".join(listed))
    # the classification in the app's language where it is one of the known ones ("no brief" is not)
    level: Said | str = (
        Said(classification, table="classification") if classification in _CLASSIFICATIONS else classification
    )
    raise AiPolicyError(
        f"not sent: a {classification} brief's text may not go to {host!r} ({rule})",
        said=ai_said("policy_host", level=level, host=host, rule=said_rule),
    )


@dataclass
class Redactor:
    """Applies ``policies.ai.redact`` in order; counts what it replaced per pattern name."""

    policy: AiPolicy
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._patterns = [(r, SafePattern(r.pattern, ignorecase=r.ignorecase)) for r in self.policy.redact]

    def __call__(self, text: str) -> str:
        for rule, pattern in self._patterns:
            try:
                matches = list(pattern.finditer(text))
            except PatternTimeout as exc:
                raise AiPolicyError(
                    f"not sent: the redaction pattern policies.ai.redact {rule.name!r} took too long on this text",
                    said=ai_said("redact_timeout", name=rule.name),
                ) from exc
            if not matches:
                continue
            pieces: list[str] = []
            last = 0
            for m in matches:
                if m.end() == m.start():
                    continue
                pieces.append(text[last : m.start()])
                pieces.append(rule.placeholder)
                last = m.end()
                self.counts[rule.name] += 1
            pieces.append(text[last:])
            text = "".join(pieces)
        return text
