"""Every rule type against its own fixture folder (Vale-style): ``tests/fixtures/rule_types/<type>/`` holds
a guidelines folder whose rules use only that type, and ``cases.yaml`` with posts that must be flagged
(``hit``) and posts that must not (``miss``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.briefs import Brief
from drafter.checker import Checker
from drafter.guidelines import GuidelineSet, load_guidelines
from drafter.originality import CorpusPost, InMemoryPostIndex
from drafter.rules import RULE_CLASSES, RULE_TYPES, Example

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rule_types"


def test_every_registered_rule_type_has_a_fixture_folder_and_nothing_else_does() -> None:
    folders = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
    assert folders == sorted(RULE_TYPES)
    assert len(RULE_TYPES) == len(RULE_CLASSES) == 15  # each type named once


def _rule_ids(gs: GuidelineSet, example: Example, checker: Checker) -> list[str]:
    brief = Brief.model_validate(example.brief, context=gs.brief_context()) if example.brief else None
    corpus = None
    if example.corpus:
        corpus = InMemoryPostIndex()
        for number, text in enumerate(example.corpus, 1):
            corpus.add(CorpusPost(post_id=f"c{number}", source=f"corpus {number}", text=text))
    result = checker.check(
        example.text, example.channel, brief=brief, date=example.date or dt.date(2026, 12, 1), corpus=corpus
    )
    assert result.skipped == []
    return [f.rule for f in result.findings]


def _example(item: Any) -> Example:
    return Example(text=item) if isinstance(item, str) else Example.model_validate(item)


@pytest.mark.parametrize("type_name", sorted(RULE_TYPES))
def test_rule_type_flags_its_hits_and_leaves_its_misses(type_name: str) -> None:
    folder = FIXTURES / type_name
    gs = load_guidelines(folder)
    assert gs.rules and {rule.type for rule in gs.rules} == {type_name}
    assert all(isinstance(rule, RULE_TYPES[type_name]) for rule in gs.rules)
    cases = yaml.safe_load((folder / "cases.yaml").read_text(encoding="utf-8"))
    assert cases["hit"] and cases["miss"]
    own = {rule.id for rule in gs.rules}
    checker = Checker(gs, lang="en")
    for item in cases["hit"]:
        example = _example(item)
        assert own & set(_rule_ids(gs, example, checker)), f"{type_name}: not flagged: {example.text[:60]!r}"
    for item in cases["miss"]:
        example = _example(item)
        assert not own & set(_rule_ids(gs, example, checker)), f"{type_name}: flagged: {example.text[:60]!r}"


def test_near_miss_terms_are_single_words_and_distances_are_bounded() -> None:
    import pydantic

    from drafter.rules.base import FieldProblem

    near_miss = RULE_TYPES["near_miss"]
    base = {"id": "x.near", "type": "near_miss", "level": "warning", "category": "term", "message": "m"}
    with pytest.raises(pydantic.ValidationError, match="one word of letters"):
        near_miss.model_validate({**base, "terms": ["T-Mobile"]})
    with pytest.raises(pydantic.ValidationError, match="distance"):
        near_miss.model_validate({**base, "terms": ["Telekom"], "max_distance": {5: 4}})
    with pytest.raises((pydantic.ValidationError, FieldProblem), match="shorter"):
        near_miss.model_validate({**base, "terms": ["Ab"]})


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="aegkmnostelr", min_size=1, max_size=12),
    st.text(alphabet="aegkmnostelr", min_size=1, max_size=12),
)
def test_the_near_miss_letter_bound_never_exceeds_the_edit_distance(word: str, term: str) -> None:
    """The near-miss rule skips a word when its letters alone put it out of reach; that bound must be a
    lower bound of the real distance, or a misspelling would be skipped."""
    from collections import Counter

    from rapidfuzz.distance import OSA

    from drafter.rules.words import _bag_gap

    assert _bag_gap(word, dict(Counter(term))) <= OSA.distance(word, term)
