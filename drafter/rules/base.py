"""The base of every rule type: what a rule sees (:class:`CheckContext`), the fields every rule has
(:class:`RuleBase`), and the matcher helpers the pattern-based types share."""

from __future__ import annotations

import bisect
import datetime as dt
import string
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationInfo, field_validator

from drafter import literals
from drafter.channels import ChannelSpec, Length, measure
from drafter.cues import CueSet
from drafter.errors import Said, SaidError, english_only, said
from drafter.findings import Finding, Severity
from drafter.patterns import PatternSyntaxError, SafePattern, can_match_empty, word_bounded
from drafter.safe_text import one_line

if TYPE_CHECKING:
    from drafter.briefs import Brief
    from drafter.goals import Goal
    from drafter.originality import PostIndex
    from drafter.twittertext import Entity

PLACEHOLDERS = frozenset(
    {"match", "replacement", "count", "limit", "max", "min", "channel", "unit", "kind", "hashtags", "date", "words"}
)
_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")
_TEXTS = "finding-texts"  # key of the formatted-texts cache in CheckContext.cache


#: (field path within the rule, pattern as it runs, ignorecase), see :meth:`RuleBase.pattern_sources`
PatternSource = tuple[tuple[str | int, ...], str, bool]


class FieldProblem(ValueError):
    """A rule field that validates but cannot be used (a pattern that does not compile, …)."""

    def __init__(self, loc: tuple[str | int, ...], message: str | Said) -> None:
        super().__init__(str(message))
        self.loc = loc
        #: the message in catalogue words (``[problems.guidelines]``), when it is one; a library's own
        #: words (a pattern that does not compile) stay English only
        self.said = message if isinstance(message, Said) else None


def pattern_problem(loc: tuple[str | int, ...], exc: Exception, entry: int | None = None) -> FieldProblem:
    """A pattern that does not compile: said in the UI language, the regex module's own words in English."""
    detail = english_only(str(exc))
    if entry is None:
        return FieldProblem(loc, said("guidelines.pattern_syntax", detail=detail))
    return FieldProblem(loc, said("guidelines.pattern_syntax_entry", detail=detail, entry=entry))


# --------------------------------------------------------------------------------------------------
# What a rule sees
# --------------------------------------------------------------------------------------------------
class CheckContext:
    """One check of one text: the inputs, plus lazily computed shared views (hashtags, URLs, …)."""

    def __init__(
        self,
        text: str,
        channel: str,
        spec: ChannelSpec,
        *,
        goals: list[Goal],
        brief: Brief | None = None,
        date: dt.date | None = None,
        lang: str = "de",
        corpus: PostIndex | None = None,
        cache: dict[Any, Any] | None = None,
    ) -> None:
        self.text = text
        self.channel = channel
        self.spec = spec
        self.goals = goals
        self.brief = brief
        self.date = date or dt.date.today()
        self.lang = lang
        self.corpus = corpus
        self.cache = cache if cache is not None else {}
        texts = self.cache.get(_TEXTS)
        if texts is None:
            texts = self.cache[_TEXTS] = {}
        #: formatted (message, why) of findings, see :meth:`RuleBase.finding`
        self.texts: dict[tuple[str, str, str, str, tuple[str, ...]], tuple[str, str | None]] = texts

    @cached_property
    def hashtags(self) -> list[Entity]:
        from drafter.twittertext import extract_hashtags_with_indices

        return extract_hashtags_with_indices(self.text) if "#" in self.text or "＃" in self.text else []

    @cached_property
    def mentions(self) -> list[Entity]:
        from drafter.twittertext import extract_mentions_with_indices

        return extract_mentions_with_indices(self.text) if "@" in self.text or "＠" in self.text else []

    @cached_property
    def urls(self) -> list[Entity]:
        from drafter.twittertext import extract_urls_with_indices

        return extract_urls_with_indices(self.text) if "." in self.text else []

    @cached_property
    def length(self) -> Length:
        return measure(self.text, self.spec)

    @cached_property
    def folded(self) -> str:
        """The text case-folded, for the cheap "is this cue anywhere" test before a pattern runs."""
        return literals.folded(self.text)  # the same string object the literal pass remembers

    @cached_property
    def words(self) -> list[tuple[str, int, int]]:
        return [(m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(self.text)]


# --------------------------------------------------------------------------------------------------
# Shared pieces
# --------------------------------------------------------------------------------------------------
class Spans:
    """Half-open spans merged and sorted once, so each lookup is a binary search: testing every word against
    every span was quadratic (minutes for a long post of quoted capitals, or of 20,000 misspelt hashtags:
    hostile probes)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if end <= start:
                continue
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def holds(self, start: int, end: int | None = None) -> bool:
        """Whether ``start`` (and ``end``, when given) lie within one span: start <= x < end of a span."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i < 0 or start >= self._ends[i]:
            return False
        return end is None or end <= self._ends[i]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


LocalText = str | dict[Literal["de", "en"], str]


class Example(_Strict):
    text: str
    channel: str | None = None
    brief: dict[str, Any] | None = None
    date: dt.date | None = None
    corpus: tuple[str, ...] = ()


ExampleItem = str | Example


class Examples(_Strict):
    bad: tuple[ExampleItem, ...] = ()
    good: tuple[ExampleItem, ...] = ()


class Matcher(_Strict):
    """Literal ``tokens`` (whole words) and/or regular-expression ``patterns``."""

    tokens: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    ignorecase: StrictBool = True

    def compile(self, fld: tuple[str, ...]) -> CueSet | None:
        parts = [word_bounded(t, escape=True) for t in self.tokens if t]
        for index, pattern in enumerate(self.patterns):
            try:
                checked = SafePattern(pattern)  # syntax only (cheap without case folding); the cue set compiles on use
            except PatternSyntaxError as exc:
                raise pattern_problem((*fld, "patterns", index), exc) from exc
            if can_match_empty(pattern, checked._compiled):
                raise FieldProblem((*fld, "patterns", index), said("guidelines.pattern_empty"))
            parts.append(pattern)  # a cue set searches each part on its own: no group needed
        if not parts:
            return None
        # Longest alternatives first so 'streng vertraulich' wins over 'vertraulich'.
        parts.sort(key=len, reverse=True)
        # each part runs only when the post holds the fixed text it needs (a rule may hold a hundred cues)
        return CueSet(parts, ignorecase=self.ignorecase)


#: the only format spec a placeholder may carry: an alignment and a width below 100 (``{match:>20}``);
#: anything else could blow one finding up to gigabytes (``{match:>999999999}``) or fail at check time
_SAFE_SPEC = regex.compile(r"[<>^]?(?:[1-9][0-9]?)?")


def _check_placeholders(text: LocalText | None, fld: str) -> None:
    """Refuse what ``str.format`` would do more with than fill in a value: unknown names (also attribute
    and index access such as ``{match.__class__}``), conversions (``!r``), and format specs other than
    :data:`_SAFE_SPEC`."""
    if text is None:
        return
    variants = [text] if isinstance(text, str) else list(text.values())
    for variant in variants:
        try:
            parsed = list(string.Formatter().parse(variant))
        except ValueError as exc:
            detail = english_only(str(exc))
            raise SaidError(said("guidelines.placeholder_syntax", field=fld, detail=detail)) from exc
        fields = [(name, spec, conv) for _, name, spec, conv in parsed if name is not None]
        unknown = {name for name, _, _ in fields if name not in PLACEHOLDERS}
        if unknown:
            shown = ", ".join(sorted(one_line(n, 40) or "{}" for n in unknown))
            known = ", ".join(f"{{{name}}}" for name in sorted(PLACEHOLDERS))  # as they are written
            raise SaidError(said("guidelines.unknown_placeholders", field=fld, names=shown, known=known))
        for name, spec, conv in fields:
            if conv:
                shown = f"{{{name}!{one_line(conv, 5)}}}"
                raise SaidError(said("guidelines.placeholder_conversion", field=fld, placeholder=shown))
            if spec and not _SAFE_SPEC.fullmatch(spec):
                shown = f"{{{name}:{one_line(spec, 40)}}}"
                raise SaidError(said("guidelines.placeholder_spec", field=fld, placeholder=shown))


class _Values(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _pick(text: LocalText | None, lang: str) -> str:
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get("de") or text.get("en") or ""  # type: ignore[call-overload]


def _private_getter(name: str) -> Any:
    def get(self: BaseModel) -> Any:
        private = self.__pydantic_private__
        if private is None or name not in private:
            raise AttributeError(name)
        return private[name]

    return get


# --------------------------------------------------------------------------------------------------
# Rule base
# --------------------------------------------------------------------------------------------------
class RuleBase(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=80)
    type: str
    level: Severity
    category: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    message: LocalText
    why: LocalText | None = None
    link: str | None = None
    channels: tuple[str, ...] | None = None
    examples: Examples = Field(default_factory=Examples)

    kind_description: ClassVar[str] = ""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Each private attribute (a rule's compiled patterns, read on every check) is read through a
        property on the class, straight from the instance's private values: pydantic's own lookup runs only
        after the normal one failed (an AttributeError raised and caught), and then asks the attribute's
        declaration whether it is a descriptor (another one): several microseconds a read, and a check
        reads some seventy. Setting one still goes through pydantic."""
        super().__pydantic_init_subclass__(**kwargs)
        for name in cls.__private_attributes__:
            if name not in cls.__dict__:
                setattr(cls, name, property(_private_getter(name)))

    @field_validator("message", "why")
    @classmethod
    def _placeholders(cls, value: LocalText | None, info: ValidationInfo) -> LocalText | None:
        _check_placeholders(value, info.field_name or "message")
        return value

    @field_validator("channels")
    @classmethod
    def _known_channels(cls, value: tuple[str, ...] | None, info: ValidationInfo) -> tuple[str, ...] | None:
        known = (info.context or {}).get("channels")
        if value is not None and known:
            unknown = [c for c in value if c not in known]
            if unknown:
                raise SaidError(said("unknown_channels", value=", ".join(unknown), known=", ".join(known)))
        return value

    def applies_to(self, channel: str) -> bool:
        return self.channels is None or channel in self.channels

    def finding(
        self,
        ctx: CheckContext,
        start: int,
        end: int,
        *,
        replacements: tuple[str, ...] = (),
        severity: Severity | None = None,
        **values: Any,
    ) -> Finding:
        matched = ctx.text[start:end]
        message, why = self.texts(ctx, matched, replacements, values)
        # positional: this runs once per finding, and keyword passing costs measurably on large inputs
        return Finding(
            self.id, self.category, severity or self.level, message, start, end, replacements, self.link, why, matched
        )

    def texts(
        self, ctx: CheckContext, matched: str, replacements: tuple[str, ...], values: dict[str, Any] | None = None
    ) -> tuple[str, str | None]:
        """The finding's message and why. Findings with no values besides match/channel/replacement repeat
        their texts (a corpus with hundreds of the same misspelling): they are formatted once per checker."""
        cache = ctx.texts
        key = (self.id, ctx.lang, ctx.spec.label, matched, replacements)
        texts = None if values else cache.get(key)
        if texts is None:
            data = _Values(match=matched, channel=ctx.spec.label, **(values or {}))
            if replacements and "replacement" not in data:
                data["replacement"] = replacements[0]
            texts = (
                _pick(self.message, ctx.lang).format_map(data),
                _pick(self.why, ctx.lang).format_map(data) if self.why else None,
            )
            if not values:
                if len(cache) >= 2048:
                    cache.clear()
                cache[key] = texts
        return texts

    def pattern_sources(self) -> list[PatternSource]:
        """The regular expressions this rule runs that come from the guideline file, as (field path within
        the rule, pattern as run, ignorecase); ``drafter guidelines check`` times them on probe texts."""
        return []

    def check(self, ctx: CheckContext) -> Iterator[Finding]:  # pragma: no cover - overridden
        raise NotImplementedError

    @classmethod
    def type_name(cls) -> str:
        """The ``type:`` this class handles (the single value of its ``type`` literal)."""
        annotation = cls.model_fields["type"].annotation
        names: tuple[Any, ...] = getattr(annotation, "__args__", ())
        if len(names) != 1 or not isinstance(names[0], str):
            raise TypeError(f"{cls.__name__}.type must be one Literal string")
        return str(names[0])
