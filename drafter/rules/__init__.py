"""Rule types: what a guideline rule may say, and how each type checks a draft.

Every rule has ``id``, ``type``, ``level``, ``category``, ``message`` (one text or one per language, with
placeholders such as ``{match}`` and ``{replacement}``), optional ``why``, ``link``, ``channels`` (scope)
and ``examples`` (``bad`` texts must trigger the rule, ``good`` texts must not). The semantics follow
Vale's rule types where they overlap (existence, substitution, occurrence, conditional).

The package holds the base (:mod:`drafter.rules.base`) and one module per family of types (``words``,
``social``, ``length``, ``policy``, ``similarity``). :data:`RULE_CLASSES` is the one registry: the
discriminated union :data:`Rule` and the lookup :data:`RULE_TYPES` are both made from it, so a new type
is named once.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import Field, TypeAdapter

from drafter.rules.base import (
    PLACEHOLDERS,
    CheckContext,
    Example,
    ExampleItem,
    Examples,
    FieldProblem,
    LocalText,
    Matcher,
    RuleBase,
)
from drafter.rules.length import LengthRule
from drafter.rules.policy import ConfidentialityRule, EmbargoRule, ToneRule
from drafter.rules.similarity import CorpusSimilarityRule, OriginalityRule
from drafter.rules.social import _EMOJI_HINT, EmojiRule, HashtagRule, LinkRule, MentionRule, _emoji_list
from drafter.rules.words import ConditionalRule, ExistenceRule, NearMissRule, OccurrenceRule, SubstitutionRule

#: every rule type, once; the order is the order in error messages
RULE_CLASSES: tuple[type[RuleBase], ...] = (
    ExistenceRule,
    SubstitutionRule,
    NearMissRule,
    OccurrenceRule,
    ConditionalRule,
    HashtagRule,
    LengthRule,
    LinkRule,
    MentionRule,
    EmojiRule,
    ConfidentialityRule,
    ToneRule,
    EmbargoRule,
    OriginalityRule,
    CorpusSimilarityRule,
)

#: type name (the ``type:`` of a rule in YAML) -> class
RULE_TYPES: dict[str, type[RuleBase]] = {cls.type_name(): cls for cls in RULE_CLASSES}

if TYPE_CHECKING:
    Rule = RuleBase
else:
    #: the pydantic discriminated union of all rule types
    Rule = Annotated[Union[RULE_CLASSES], Field(discriminator="type")]  # noqa: UP007 - built from the tuple


@cache
def _adapter() -> TypeAdapter[Any]:
    """The validator of :data:`Rule`, built on the first rule read: a set loaded from the guideline cache
    (:mod:`drafter.guideline_cache`) is never validated again, so ``drafter lint`` never builds it."""
    return TypeAdapter(Rule)


def parse_rule(raw: dict[str, Any], channels: tuple[str, ...] = ()) -> RuleBase:
    """Validate one rule mapping (raises pydantic ValidationError or ValueError with a field name)."""
    rule = _adapter().validate_python(raw, context={"channels": channels})
    assert isinstance(rule, RuleBase)
    return rule


__all__ = [
    "PLACEHOLDERS",
    "RULE_CLASSES",
    "RULE_TYPES",
    "_EMOJI_HINT",
    "CheckContext",
    "ConditionalRule",
    "ConfidentialityRule",
    "CorpusSimilarityRule",
    "EmbargoRule",
    "EmojiRule",
    "Example",
    "ExampleItem",
    "Examples",
    "ExistenceRule",
    "FieldProblem",
    "HashtagRule",
    "LengthRule",
    "LinkRule",
    "LocalText",
    "Matcher",
    "MentionRule",
    "OccurrenceRule",
    "OriginalityRule",
    "Rule",
    "RuleBase",
    "SubstitutionRule",
    "ToneRule",
    "_emoji_list",
    "parse_rule",
]
