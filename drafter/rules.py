"""Rule types: what a guideline rule may say, and how each type checks a draft.

Every rule has ``id``, ``type``, ``level``, ``category``, ``message`` (one text or one per language, with
placeholders such as ``{match}`` and ``{replacement}``), optional ``why``, ``link``, ``channels`` (scope)
and ``examples`` (``bad`` texts must trigger the rule, ``good`` texts must not). The semantics follow
Vale's rule types where they overlap (existence, substitution, occurrence, conditional).
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterator
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, TypeAdapter, ValidationInfo, field_validator

from drafter.channels import ChannelSpec, Length, measure, unit_label
from drafter.cues import CueSet
from drafter.findings import Finding, Severity
from drafter.patterns import PatternSyntaxError, SafePattern, word_bounded

if TYPE_CHECKING:
    from drafter.briefs import Brief
    from drafter.guidelines import Goal
    from drafter.originality import PostIndex
    from drafter.twittertext import Entity

PLACEHOLDERS = frozenset(
    {"match", "replacement", "count", "limit", "max", "min", "channel", "unit", "kind", "hashtags", "date"}
)
_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")
_EMOJI_HINT = regex.compile(r"[\u00a9\u00ae\u203c-\u3299\U0001F000-\U0001FAFF\uFE0F]")
_SPACE = regex.compile(r"\s")
_SPACE_BEFORE = regex.compile(r"\s", flags=regex.REVERSE)
_TEXTS = "finding-texts"  # key of the formatted-texts cache in CheckContext.cache


class FieldProblem(ValueError):
    """A rule field that validates but cannot be used (a pattern that does not compile, …)."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


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
        """The text case-folded, for cheap "is this cue anywhere" tests before a pattern runs."""
        return self.text.casefold()

    @cached_property
    def words(self) -> list[tuple[str, int, int]]:
        return [(m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(self.text)]


# --------------------------------------------------------------------------------------------------
# Shared pieces
# --------------------------------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    ignorecase: bool = True

    def compile(self, fld: tuple[str, ...]) -> CueSet | None:
        parts = [word_bounded(t, escape=True) for t in self.tokens if t]
        for index, pattern in enumerate(self.patterns):
            try:
                SafePattern(pattern)
            except PatternSyntaxError as exc:
                raise FieldProblem((*fld, "patterns", index), str(exc)) from exc
            parts.append(f"(?:{pattern})")
        if not parts:
            return None
        # Longest alternatives first so 'streng vertraulich' wins over 'vertraulich'.
        parts.sort(key=len, reverse=True)
        # each part runs only when the post holds the fixed text it needs (a rule may hold a hundred cues)
        return CueSet(parts, ignorecase=self.ignorecase)


def _check_placeholders(text: LocalText | None, fld: str) -> None:
    if text is None:
        return
    variants = [text] if isinstance(text, str) else list(text.values())
    for variant in variants:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(variant) if name}
        except ValueError as exc:
            raise ValueError(f"{fld}: bad placeholder syntax ({exc}); write {{{{ and }}}} for braces") from exc
        unknown = names - PLACEHOLDERS
        if unknown:
            raise ValueError(
                f"{fld}: unknown placeholder(s) {', '.join(sorted(unknown))}; "
                f"available: {', '.join(sorted(PLACEHOLDERS))}"
            )


class _Values(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _pick(text: LocalText | None, lang: str) -> str:
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get("de") or text.get("en") or ""  # type: ignore[call-overload]


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
                raise ValueError(f"unknown channel(s) {', '.join(unknown)}; known: {', '.join(known)}")
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

    def check(self, ctx: CheckContext) -> Iterator[Finding]:  # pragma: no cover - overridden
        raise NotImplementedError


# --------------------------------------------------------------------------------------------------
# Rule types
# --------------------------------------------------------------------------------------------------
class ExistenceRule(RuleBase):
    """Flags every occurrence of the given terms or patterns."""

    type: Literal["existence"]
    tokens: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    ignorecase: bool = True
    exceptions: tuple[str, ...] = ()
    _pattern: CueSet | None = PrivateAttr(default=None)

    def model_post_init(self, __context: Any) -> None:
        if not self.tokens and not self.patterns:
            raise FieldProblem(("tokens",), "give tokens or patterns")
        self._pattern = Matcher(tokens=self.tokens, patterns=self.patterns, ignorecase=self.ignorecase).compile(())

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        assert self._pattern is not None
        skip = {e.casefold() for e in self.exceptions}
        for m in self._pattern.finditer(ctx.text, ctx.folded):
            if m.end() > m.start() and m.group().casefold() not in skip:
                yield self.finding(ctx, m.start(), m.end())


class SubstitutionRule(RuleBase):
    """``swap`` maps a wrong spelling (a regex) to the right one; the right one is offered as the fix."""

    type: Literal["substitution"]
    swap: dict[str, str] = Field(min_length=1)
    ignorecase: bool = False
    nonword: bool = False
    _compiled: list[tuple[SafePattern, str]] = PrivateAttr(default_factory=list)

    def model_post_init(self, __context: Any) -> None:
        compiled = []
        for index, (wrong, right) in enumerate(self.swap.items()):
            source = wrong if self.nonword else word_bounded(wrong, escape=False)
            try:
                SafePattern(wrong)  # on its own first: wrapped in boundaries, 'a[' would still compile
                compiled.append((SafePattern(source, ignorecase=self.ignorecase), right))
            except PatternSyntaxError as exc:
                raise FieldProblem(("swap", wrong), f"{exc} (entry {index + 1})") from exc
        self._compiled = compiled

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        # The hot loop of a long text with many hits: findings are built directly, texts looked up per
        # distinct matched string (same result as self.finding()).
        rule, category, level, link = self.id, self.category, self.level, self.link
        for pattern, right in self._compiled:
            fix = (right,)
            seen: dict[str, tuple[str, str | None]] = {}
            for m in pattern.finditer(ctx.text):
                start, end = m.span()
                if end > start:
                    matched = m.group()
                    if matched != right:
                        texts = seen.get(matched)
                        if texts is None:
                            texts = seen[matched] = self.texts(ctx, matched, fix)
                        yield Finding(rule, category, level, texts[0], start, end, fix, link, texts[1], matched)


class OccurrenceRule(RuleBase):
    """A pattern must occur at least ``min`` and at most ``max`` times."""

    type: Literal["occurrence"]
    pattern: str
    ignorecase: bool = True
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    _pattern: SafePattern | None = PrivateAttr(default=None)

    def model_post_init(self, __context: Any) -> None:
        if self.min is None and self.max is None:
            raise FieldProblem(("max",), "give min or max")
        try:
            self._pattern = SafePattern(self.pattern, ignorecase=self.ignorecase)
        except PatternSyntaxError as exc:
            raise FieldProblem(("pattern",), str(exc)) from exc

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        assert self._pattern is not None
        if not ctx.text.strip():
            return
        if self.max is None:
            # Only a minimum: counting can stop as soon as it is reached.
            assert self.min is not None
            if self.min == 0:
                return
            count = 0
            for m in self._pattern.finditer(ctx.text):
                if m.end() > m.start():
                    count += 1
                    if count >= self.min:
                        return
            yield self.finding(ctx, 0, 0, count=count, min=self.min)
            return
        matches = [m for m in self._pattern.finditer(ctx.text) if m.end() > m.start()]
        count = len(matches)
        if self.max is not None and count > self.max:
            extra = matches[self.max :]
            yield self.finding(ctx, extra[0].start(), extra[-1].end(), count=count, max=self.max)
        if self.min is not None and count < self.min:
            yield self.finding(ctx, 0, 0, count=count, min=self.min)


class ConditionalRule(RuleBase):
    """When ``when`` matches, ``require`` must match somewhere too (disclosure is one such rule)."""

    type: Literal["conditional"]
    when: Matcher | None = None
    require: Matcher
    #: cues that make the rule sure: when one matches, the finding has ``sure_level`` instead of ``level``
    sure: Matcher | None = None
    sure_level: Severity = Severity.ERROR
    _when: CueSet | None = PrivateAttr(default=None)
    _sure: CueSet | None = PrivateAttr(default=None)
    _require: CueSet | None = PrivateAttr(default=None)

    def model_post_init(self, __context: Any) -> None:
        self._when = self.when.compile(("when",)) if self.when is not None else None
        self._sure = self.sure.compile(("sure",)) if self.sure is not None else None
        self._require = self.require.compile(("require",))
        if (self._when is None and self._sure is None) or self._require is None:
            raise FieldProblem(("when",), "'when' (or 'sure') and 'require' need tokens or patterns")

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        assert self._require is not None
        folded = ctx.folded
        sure = self._sure.search(ctx.text, folded) if self._sure is not None else None
        first = sure if sure is not None else (self._when.search(ctx.text, folded) if self._when is not None else None)
        if first is None or self._require.search(ctx.text, folded) is not None:
            return
        level = self.sure_level if sure is not None else self.level
        yield self.finding(ctx, first.start(), first.end(), severity=level)


class HashtagRule(RuleBase):
    """Checks hashtags against the goals' hashtags (or ``tags``): presence, case, near misses, count."""

    type: Literal["hashtags"]
    check_: Literal["missing_goal", "case", "near_miss", "max_count"] = Field(alias="check")
    tags: tuple[str, ...] | None = None
    max: int | None = Field(default=None, ge=0)
    max_distance: int = Field(default=2, ge=1, le=3)
    exceptions: tuple[str, ...] = Field(default=(), description="real words that are not near misses")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def model_post_init(self, __context: Any) -> None:
        if self.check_ == "max_count" and self.max is None:
            raise FieldProblem(("max",), "max_count needs 'max'")

    def _canonical(self, ctx: CheckContext) -> list[str]:
        tags = self.tags if self.tags is not None else tuple(g.hashtag for g in ctx.goals)
        return [t.lstrip("#") for t in tags]

    def _near(self, tag: str, canonical: list[str]) -> str | None:
        from rapidfuzz.distance import Levenshtein

        folded = tag.casefold()
        if folded in {e.lstrip("#").casefold() for e in self.exceptions}:
            return None
        best: tuple[int, str] | None = None
        for canon in canonical:
            if folded == canon.casefold():
                return None
            distance = Levenshtein.distance(folded, canon.casefold(), score_cutoff=self.max_distance)
            if distance <= self.max_distance and (best is None or distance < best[0]):
                best = (distance, canon)
        return best[1] if best else None

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        canonical = self._canonical(ctx)
        folded = {c.casefold(): c for c in canonical}
        tags = ctx.hashtags
        hashtags = ", ".join(f"#{c}" for c in canonical)
        if self.check_ == "missing_goal":
            if not ctx.text.strip():
                return
            if any(t.text.casefold() in folded for t in tags):
                return
            if any(self._near(t.text, canonical) for t in tags):
                return  # the near-miss rule already points at the misspelt core hashtag
            end = len(ctx.text.rstrip())
            fix: tuple[str, ...] = ()
            if ctx.brief is not None:
                goal = next((g for g in ctx.goals if g.name == ctx.brief.goal), None)
                if goal is not None:
                    fix = (f" {goal.hashtag}",)
            yield self.finding(ctx, end, end, replacements=fix, hashtags=hashtags)
        elif self.check_ == "case":
            for t in tags:
                canon = folded.get(t.text.casefold())
                if canon is not None and canon != t.text:
                    yield self.finding(ctx, t.start, t.end, replacements=(f"#{canon}",), hashtags=hashtags)
        elif self.check_ == "near_miss":
            for t in tags:
                near = self._near(t.text, canonical)
                if near is not None:
                    yield self.finding(ctx, t.start, t.end, replacements=(f"#{near}",), hashtags=hashtags)
        elif self.check_ == "max_count":
            assert self.max is not None
            if len(tags) > self.max:
                extra = tags[self.max :]
                yield self.finding(ctx, extra[0].start, extra[-1].end, count=len(tags), max=self.max)


class LengthRule(RuleBase):
    """The post is longer than the channel takes (counted the channel's way)."""

    type: Literal["length"]

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        length = ctx.length
        if not length.over:
            return
        cut = _first_overflow(ctx.text, ctx.spec)
        unit = unit_label(length.unit, ctx.lang)
        yield self.finding(ctx, cut, len(ctx.text), count=length.count, limit=length.limit, unit=unit)


def _first_overflow(text: str, spec: ChannelSpec) -> int:
    """The first code-point offset from which the text no longer fits (binary search on prefixes)."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(text[:mid], spec).over:
            hi = mid - 1
        else:
            lo = mid
    return lo


class LinkRule(RuleBase):
    """Links to listed ``domains`` (and their subdomains) or with listed ``schemes`` (e.g. http)."""

    type: Literal["links"]
    domains: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ()

    def model_post_init(self, __context: Any) -> None:
        if not self.domains and not self.schemes:
            raise FieldProblem(("domains",), "give domains or schemes")

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        domains = tuple(d.casefold() for d in self.domains)
        schemes = tuple(s.casefold().rstrip(":/") for s in self.schemes)
        for url in ctx.urls:
            raw = url.text
            scheme, sep, rest = raw.partition("://")
            if not sep:
                scheme, rest = "", raw
            host = regex.split(r"[/?#:]", rest, maxsplit=1)[0].casefold()
            if (schemes and scheme.casefold() in schemes) or (
                domains and any(host == d or host.endswith("." + d) for d in domains)
            ):
                yield self.finding(ctx, url.start, url.end)


class MentionRule(RuleBase):
    """More @mentions than ``max``."""

    type: Literal["mentions"]
    max: int = Field(ge=0)

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        mentions = ctx.mentions
        if len(mentions) > self.max:
            extra = mentions[self.max :]
            yield self.finding(ctx, extra[0].start, extra[-1].end, count=len(mentions), max=self.max)


class EmojiRule(RuleBase):
    """More emoji than ``max``, or any of the ``forbidden`` ones."""

    type: Literal["emoji"]
    max: int | None = Field(default=None, ge=0)
    forbidden: tuple[str, ...] = ()

    def model_post_init(self, __context: Any) -> None:
        if self.max is None and not self.forbidden:
            raise FieldProblem(("max",), "give max or forbidden")

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        if not _EMOJI_HINT.search(ctx.text):
            return
        found = _emoji_list(ctx.text)
        for item in found:
            if item["emoji"] in self.forbidden:
                yield self.finding(ctx, item["match_start"], item["match_end"])
        if self.max is not None and len(found) > self.max:
            extra = found[self.max :]
            yield self.finding(ctx, extra[0]["match_start"], extra[-1]["match_end"], count=len(found), max=self.max)


def _emoji_list(text: str) -> list[dict[str, Any]]:
    """``emoji.emoji_list(text)``, run only over the whitespace-delimited stretches that hold an emoji-like
    character (the library walks the text character by character in Python; no emoji contains whitespace,
    and its scan starts afresh after every whitespace, so the result is the same)."""
    import emoji

    found: list[dict[str, Any]] = []
    pos = 0
    while (hint := _EMOJI_HINT.search(text, pos)) is not None:
        at = hint.start()
        if _SPACE.match(text, at):  # the hint range holds a few spaces (U+3000 …)
            pos = at + 1
            continue
        before = _SPACE_BEFORE.search(text, 0, at)
        start = before.end() if before is not None else 0
        after = _SPACE.search(text, at)
        end = after.start() if after is not None else len(text)
        pos = end
        for item in emoji.emoji_list(text[start:end]):
            found.append(
                {
                    "match_start": item["match_start"] + start,
                    "match_end": item["match_end"] + start,
                    "emoji": item["emoji"],
                }
            )
    return found


class ConfidentialityRule(RuleBase):
    """Things that must not leave the company: named ``patterns`` (e-mail, phone, IBAN …) and ``markers``.
    ``allow`` lists what is public (the company's service numbers, addresses): a match equal to an entry,
    ignoring case, spaces and punctuation, is not reported."""

    type: Literal["confidentiality"]
    patterns: dict[str, str] = Field(default_factory=dict)
    markers: tuple[str, ...] = ()
    ignorecase: bool = True
    allow: tuple[str, ...] = ()
    _compiled: list[tuple[str, SafePattern | CueSet]] = PrivateAttr(default_factory=list)
    _allowed: frozenset[str] = PrivateAttr(default=frozenset())

    def model_post_init(self, __context: Any) -> None:
        compiled: list[tuple[str, SafePattern | CueSet]] = []
        for kind, pattern in self.patterns.items():
            try:
                compiled.append((kind, SafePattern(pattern)))
            except PatternSyntaxError as exc:
                raise FieldProblem(("patterns", kind), str(exc)) from exc
        if self.markers:
            marker = Matcher(tokens=self.markers, ignorecase=self.ignorecase).compile(("markers",))
            assert marker is not None
            compiled.append(("marker", marker))
        if not compiled:
            raise FieldProblem(("patterns",), "give patterns or markers")
        self._compiled = compiled
        self._allowed = frozenset(_folded_key(a) for a in self.allow)

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        taken: list[tuple[int, int]] = []
        allowed = self._allowed
        for kind, pattern in self._compiled:
            found = (
                pattern.finditer(ctx.text, ctx.folded) if isinstance(pattern, CueSet) else pattern.finditer(ctx.text)
            )
            for m in found:
                s, e = m.span()
                if e > s and not any(s < te and ts < e for ts, te in taken):
                    taken.append((s, e))
                    if allowed and _folded_key(m.group()) in allowed:
                        continue
                    yield self.finding(ctx, s, e, kind=kind)


_NOT_KEY = regex.compile(r"[^\p{L}\p{N}@]+")


def _folded_key(text: str) -> str:
    """What an allow-list compares: letters, digits and @, case-folded ("0800 330-1000" = "08003301000")."""
    return _NOT_KEY.sub("", text).casefold()


class ToneRule(RuleBase):
    """Shouting: ``min_count`` or more all-capital words of ``min_letters`` letters not in ``allow``;
    or runs of ``min_run`` or more exclamation marks."""

    type: Literal["tone"]
    check_: Literal["shouting", "exclamations"] = Field(alias="check")
    min_letters: int = Field(default=4, ge=2)
    min_count: int = Field(default=2, ge=1)
    allow: tuple[str, ...] = ()
    min_run: int = Field(default=2, ge=2)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    _pattern: Any = PrivateAttr(default=None)

    def model_post_init(self, __context: Any) -> None:
        if self.check_ == "shouting":
            self._pattern = regex.compile(rf"(?<![\p{{L}}\p{{N}}])\p{{Lu}}{{{self.min_letters},}}(?![\p{{L}}\p{{N}}])")
        else:
            self._pattern = regex.compile(rf"[!！]{{{self.min_run},}}")

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        if self.check_ == "shouting":
            allowed = set(self.allow)
            caps = [m for m in self._pattern.finditer(ctx.text) if m.group() not in allowed]
            if len(caps) >= self.min_count:
                # capitals inside links, @handles and hashtags are names the author cannot change
                entities = [(e.start, e.end) for e in (*ctx.urls, *ctx.mentions, *ctx.hashtags)]
                caps = [m for m in caps if not any(s <= m.start() < e for s, e in entities)]
            if len(caps) >= self.min_count:
                for m in caps:
                    yield self.finding(ctx, m.start(), m.end(), count=len(caps))
        else:
            for m in self._pattern.finditer(ctx.text):
                yield self.finding(ctx, m.start(), m.end(), replacements=("!",))


class EmbargoRule(RuleBase):
    """Uses the brief's dates: ``not_before`` after the check date, or ``expires`` before it."""

    type: Literal["embargo"]
    check_: Literal["not_before", "expires"] = Field(alias="check")
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        brief = ctx.brief
        if brief is None:
            return
        if self.check_ == "not_before" and brief.embargoed_on(ctx.date):
            yield self.finding(ctx, 0, 0, date=_date_text(brief.not_before, ctx.lang))
        elif self.check_ == "expires" and brief.expired_on(ctx.date):
            yield self.finding(ctx, 0, 0, date=_date_text(brief.expires, ctx.lang))


def _date_text(day: dt.date | None, lang: str) -> str:
    if day is None:
        return ""
    return day.strftime("%d.%m.%Y") if lang == "de" else day.isoformat()


class OriginalityRule(RuleBase):
    """The draft repeats ``min_words`` or more consecutive words of the brief (ignoring case and
    punctuation); each finding spans the copied words."""

    type: Literal["originality"]
    min_words: int = Field(default=8, ge=3, le=50)

    def _brief_grams(self, ctx: CheckContext) -> tuple[frozenset[tuple[str, ...]], frozenset[str]]:
        """The brief's runs of ``min_words`` words, and the set of their first words (a cheap pre-test)."""
        assert ctx.brief is not None
        # keyed by the brief object (briefs are immutable): hashing its content on every keystroke cost more
        # than the lookup saves; the entry keeps the brief alive, so its id cannot be reused meanwhile
        key = ("originality", self.min_words, ctx.brief.id)
        entry = ctx.cache.get(key)
        cached: tuple[frozenset[tuple[str, ...]], frozenset[str]] | None = (
            entry[1] if entry is not None and entry[0] is ctx.brief else None
        )
        if cached is None:
            n = self.min_words
            collected: set[tuple[str, ...]] = set()
            for source in ctx.brief.source_texts():
                words = [m.group().casefold() for m in _WORD.finditer(source)]
                collected.update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
            cached = (frozenset(collected), frozenset(g[0] for g in collected))
            ctx.cache[key] = (ctx.brief, cached)
        return cached

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        if ctx.brief is None:
            return
        grams, firsts = self._brief_grams(ctx)
        if not grams:
            return
        words = ctx.words
        folded = [w for w, _, _ in words]
        n = self.min_words
        span: tuple[int, int] | None = None  # word indices [first, last]
        for i in range(len(words) - n + 1):
            if folded[i] in firsts and tuple(folded[i : i + n]) in grams:
                if span is not None and i <= span[1] + 1:
                    span = (span[0], i + n - 1)
                else:
                    if span is not None:
                        yield self._span(ctx, words, span)
                    span = (i, i + n - 1)
        if span is not None:
            yield self._span(ctx, words, span)

    def _span(self, ctx: CheckContext, words: list[tuple[str, int, int]], span: tuple[int, int]) -> Finding:
        return self.finding(ctx, words[span[0]][1], words[span[1]][2], count=span[1] - span[0] + 1)


class CorpusSimilarityRule(RuleBase):
    """The draft is a near-duplicate of a post in the local corpus: warning from ``warning_at``, error from
    ``error_at`` (similarity 0…1). Silent when no corpus is given."""

    type: Literal["corpus_similarity"]
    warning_at: float = Field(default=0.6, gt=0, le=1)
    error_at: float = Field(default=0.85, gt=0, le=1)

    def model_post_init(self, __context: Any) -> None:
        if self.error_at < self.warning_at:
            raise FieldProblem(("error_at",), "must not be below warning_at")

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        if ctx.corpus is None or not ctx.text.strip():
            return
        from drafter.originality import similarity_findings

        for f in similarity_findings(ctx.text, ctx.corpus, self.warning_at, self.error_at, ctx.lang):
            yield replace(f, rule=self.id, category=self.category, link=self.link or f.link)


Rule = Annotated[
    ExistenceRule
    | SubstitutionRule
    | OccurrenceRule
    | ConditionalRule
    | HashtagRule
    | LengthRule
    | LinkRule
    | MentionRule
    | EmojiRule
    | ConfidentialityRule
    | ToneRule
    | EmbargoRule
    | OriginalityRule
    | CorpusSimilarityRule,
    Field(discriminator="type"),
]

RULE_TYPES: dict[str, type[RuleBase]] = {
    cls.model_fields["type"].annotation.__args__[0]: cls  # type: ignore[union-attr]
    for cls in (
        ExistenceRule,
        SubstitutionRule,
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
}

_ADAPTER: TypeAdapter[Any] = TypeAdapter(Rule)


def parse_rule(raw: dict[str, Any], channels: tuple[str, ...] = ()) -> RuleBase:
    """Validate one rule mapping (raises pydantic ValidationError or ValueError with a field name)."""
    rule = _ADAPTER.validate_python(raw, context={"channels": channels})
    assert isinstance(rule, RuleBase)
    return rule
