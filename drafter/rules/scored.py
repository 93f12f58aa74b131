"""A rule's learned scorer (``scored_by:``): where none of the rule's own cues is sure (``conditional``: no
``sure`` cue and nothing of ``require``; ``existence``: no occurrence at all), a model trained on the
labelled corpus (:mod:`drafter.scorer`) decides by its confidence — ``error_at`` or above an error,
``warning_at`` or above a warning — and the finding underlines the sentence that scores highest and names
the words that drove it.

The ``scored_by`` block of a rule names the model file (relative to the guidelines folder) and the message
(``{words}``: the words, ``{match}``: the sentence). The model file is data written by
``drafter guidelines train``; it is read and validated with the rule set (a malformed one is a guideline
error naming file, line and field) and kept in the guideline cache with the rest.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, PrivateAttr, StrictFloat, StrictInt, ValidationError, field_validator, model_validator

from drafter.cues import CueSet
from drafter.findings import Finding, Severity
from drafter.rules.base import CheckContext, LocalText, Matcher, _check_placeholders, _pick, _Strict, _Values
from drafter.safe_text import one_line, quoted
from drafter.scorer import FEATURES_VERSION, ScoreModel

if TYPE_CHECKING:
    from drafter.errors import Problem
    from drafter.rules.base import RuleBase

#: at most this many weights in a model file
MAX_WEIGHTS = 20_000
#: the feature names a model may hold: a word, two words, a character n-gram
#: (no control, zero-width or bidi character: the tokeniser never makes one, and a feature name may be shown)
_NAME = r"[^\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]{1,200}"
_FEATURE = rf"^(?:[wc]:{_NAME}|b:{_NAME} {_NAME})\Z"


class ScoredBy(_Strict):
    """The ``scored_by:`` block of a rule."""

    model: str = Field(min_length=1, max_length=300, pattern=r"^[\w./-]+\.(?:yaml|yml|json)$")
    message: LocalText
    #: cues that say the post is none of the family's (a leak: "heute ist es offiziell", "as announced in
    #: today's press release"): where one matches, the model is not asked
    unless: Matcher | None = None
    #: a post with fewer distinct words (summed over its lines) is not scored: a handful of words push the
    #: model's probability to an extreme ("Neues Projekt gestartet." scored as a leak)
    min_words: int = Field(default=0, ge=0, le=1_000)
    #: a ``sure`` cue's finding keeps the rule's ``sure_level`` only where the model agrees that much (its
    #: probability of the post at least this); below, the finding has the rule's ``level``: two signals that
    #: agree make an error, one alone a warning. None: a sure cue is enough (a post too short to score, with
    #: fewer than ``min_words`` words, keeps it too)
    confirm_sure_at: float | None = Field(default=None, ge=0, le=1)
    _model: ScoreModel | None = PrivateAttr(default=None)
    _unless: CueSet | None = PrivateAttr(default=None)

    def model_post_init(self, __context: Any) -> None:
        if self.unless is not None:
            self._unless = self.unless.compile(("unless",))

    @field_validator("message")
    @classmethod
    def _placeholders(cls, value: LocalText) -> LocalText:
        _check_placeholders(value, "message")
        return value

    def pattern_sources(self) -> list[tuple[tuple[str | int, ...], str, bool]]:
        """The ``unless`` patterns, as :meth:`RuleBase.pattern_sources` lists a rule's."""
        if self.unless is None:
            return []
        return [
            (("scored_by", "unless", "patterns", i), p, self.unless.ignorecase)
            for i, p in enumerate(self.unless.patterns)
        ]

    @property
    def loaded(self) -> ScoreModel | None:
        private = self.__pydantic_private__
        return None if private is None else private.get("_model")

    def severity(self, ctx: CheckContext, *, warn: bool = True) -> Severity | None:
        """What the model says of the text of ``ctx``: an error at ``error_at``, a warning at ``warning_at``
        when ``warn`` (the rule has no finding of its own), else None. Cheap (a few µs: a line's score is
        cached), so a rule asks it before any costlier search."""
        model = self.loaded
        if model is None:
            return None
        unless = self._unless
        if unless is not None and unless.search(ctx.text, ctx.folded) is not None:
            return None
        p, words = model.score(ctx.text)
        if words < self.min_words:
            return None
        if p >= model.error_at:
            return Severity.ERROR
        if warn and p >= model.warning_at:
            return Severity.WARNING
        return None

    def confirms_sure(self, ctx: CheckContext) -> bool:
        """Whether a sure cue of the rule keeps its ``sure_level`` in the text of ``ctx`` (see
        ``confirm_sure_at``); without a model, always."""
        model = self.loaded
        if self.confirm_sure_at is None or model is None:
            return True
        p, words = model.score(ctx.text)
        return words < self.min_words or p >= self.confirm_sure_at

    def finding(self, rule: RuleBase, ctx: CheckContext, severity: Severity) -> Finding:
        """The scored finding of ``rule``: the sentence that scores highest, the words that drove it."""
        model = self.loaded
        assert model is not None
        why = model.explain(ctx.text)
        matched = ctx.text[why.start : why.end]
        words = ", ".join(quoted(w, ctx.lang) for w in why.words)
        data = _Values(match=one_line(matched, 80), channel=ctx.spec.label, words=words or "–")
        message = _pick(self.message, ctx.lang).format_map(data)
        reason = _pick(rule.why, ctx.lang).format_map(data) if rule.why else None
        return Finding(rule.id, rule.category, severity, message, why.start, why.end, (), rule.link, reason, matched)


class ModelFile(_Strict):
    """A model file as ``drafter guidelines train`` writes it."""

    format: Literal[1]
    features: StrictInt
    family: str = Field(min_length=1, max_length=40)
    label: str = Field(min_length=1, max_length=80)
    intercept: StrictFloat | StrictInt  # a number, not a string or a boolean written for one
    # numbers, not strings: as strict as the weights (below 0.5 the model would call an error what it thinks
    # is none)
    error_at: StrictFloat = Field(ge=0.5, le=1)  # strict float takes 1 too, and says one thing of a string
    warning_at: StrictFloat = Field(gt=0, le=1)
    weights: dict[str, StrictFloat | StrictInt] = Field(max_length=MAX_WEIGHTS)
    provenance: dict[str, Any] = Field(default_factory=dict)

    @field_validator("features")
    @classmethod
    def _version(cls, value: int) -> int:
        if value != FEATURES_VERSION:
            raise ValueError(f"features version {value} is not {FEATURES_VERSION}: train the model again")
        return value

    @field_validator("intercept")
    @classmethod
    def _finite(cls, value: float) -> float:
        if isinstance(value, bool) or not math.isfinite(value) or abs(value) > 1_000:
            raise ValueError("not a number between -1000 and 1000")
        return float(value)

    @field_validator("weights")
    @classmethod
    def _features(cls, value: dict[str, float]) -> dict[str, float]:
        import re

        for name, weight in value.items():
            if not re.match(_FEATURE, name):
                raise ValueError(f"{one_line(name, 60)!r} is not a feature (w:…, b:…, c:…)")
            if isinstance(weight, bool) or not math.isfinite(weight) or abs(weight) > 1_000:
                raise ValueError(f"the weight of {one_line(name, 60)!r} is not a number between -1000 and 1000")
        return value

    @model_validator(mode="after")
    def _thresholds(self) -> ModelFile:
        if self.warning_at > self.error_at:
            raise ValueError("warning_at must not be above error_at")
        return self


def attach_model(rule: RuleBase, folder: Path, read: dict[Path, bytes]) -> list[Problem]:
    """Read the model file ``rule.scored_by`` names (relative to the guidelines ``folder``), validate it and
    attach it to the rule; the problems (file, line, field) when it cannot."""
    from drafter.errors import said
    from drafter.guidelines import GuidelineError, _problem, _problems_from_validation, _read_yaml

    scored: ScoredBy | None = getattr(rule, "scored_by", None)
    if scored is None:
        return []
    path = folder / scored.model
    try:
        resolved = path.resolve()
        inside = resolved.is_relative_to(folder.resolve())
    except OSError:
        inside = False
    if not inside:
        return [_problem(path, None, None, "scored_by.model", said("invalid", detail="outside the guidelines folder"))]
    if not path.is_file():
        return [_problem(path, None, None, "scored_by.model", said("invalid", detail="no such model file"))]
    try:
        data, marks = _read_yaml(path, read)
    except GuidelineError as exc:
        return list(exc.problems)
    if not isinstance(data, dict):
        return [_problem(path, 1, 1, "", said("guidelines.expected_mapping"))]
    try:
        parsed = ModelFile.model_validate(data)
    except ValidationError as exc:
        return _problems_from_validation(exc, path, data, marks)
    scored._model = ScoreModel(
        {name: float(weight) for name, weight in parsed.weights.items()},
        float(parsed.intercept),
        parsed.error_at,
        parsed.warning_at,
        source=str(path),
    )
    return []
