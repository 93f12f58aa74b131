"""Word rules in the manner of Vale: existence, substitution, occurrence and conditional."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any, Literal

import regex
from pydantic import Field, PrivateAttr, StrictBool, field_validator

from drafter import literals
from drafter.cues import CueSet, shown_span
from drafter.errors import SaidError, said
from drafter.findings import Finding, Severity
from drafter.patterns import PatternSyntaxError, SafePattern, word_bounded
from drafter.rules.base import CheckContext, FieldProblem, Matcher, PatternSource, RuleBase, Spans, pattern_problem
from drafter.rules.scored import ScoredBy


class ExistenceRule(RuleBase):
    """Flags every occurrence of the given terms or patterns.

    Severity by confidence: with ``sure``, an occurrence is reported at ``level`` unless a ``sure`` cue
    occurs near it (within ``sure_within`` characters before its start or after its end; anywhere in the
    post when ``sure_within`` is not given) — then at ``sure_level``. "Noch nicht veröffentlicht" alone
    is a hint; with a figure or a date next to it, something is being disclosed."""

    type: Literal["existence"]
    tokens: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    ignorecase: StrictBool = True
    exceptions: tuple[str, ...] = ()
    sure: Matcher | None = None
    sure_level: Severity = Severity.ERROR
    sure_within: int | None = Field(default=None, ge=0, le=100_000)
    #: a learned scorer for a post in which the rule finds no occurrence (:mod:`drafter.rules.scored`)
    scored_by: ScoredBy | None = None
    _pattern: CueSet | None = PrivateAttr(default=None)
    _sure: CueSet | None = PrivateAttr(default=None)
    _skip: frozenset[str] = PrivateAttr(default=frozenset())

    def model_post_init(self, __context: Any) -> None:
        self._skip = frozenset(e.casefold() for e in self.exceptions)
        if not self.tokens and not self.patterns:
            raise FieldProblem(("tokens",), said("guidelines.give_either", a="tokens", b="patterns"))
        self._pattern = Matcher(tokens=self.tokens, patterns=self.patterns, ignorecase=self.ignorecase).compile(())
        if self.sure is not None:
            self._sure = self.sure.compile(("sure",))
            if self._sure is None:
                raise FieldProblem(("sure",), said("guidelines.needs_either", field="sure", a="tokens", b="patterns"))

    def pattern_sources(self) -> list[PatternSource]:
        sources: list[PatternSource] = [(("patterns", i), p, self.ignorecase) for i, p in enumerate(self.patterns)]
        if self.sure is not None:
            sources += [(("sure", "patterns", i), p, self.sure.ignorecase) for i, p in enumerate(self.sure.patterns)]
        if self.scored_by is not None:
            sources += self.scored_by.pattern_sources()
        return sources

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        if self.scored_by is None:
            yield from self._found(ctx)
            return
        # Where the rule has an occurrence, its own cues decide its severity ("noch nicht offiziell" alone
        # is a wink, with a figure near it a leak: a difference of what is absent, which a linear model
        # over the words present cannot learn); the scorer speaks only where the rule found nothing.
        found = False
        confirmed: bool | None = None  # asked of the model once, for the first sure finding
        for finding in self._found(ctx):
            found = True
            if finding.severity is self.sure_level and self.sure_level is not self.level:
                if confirmed is None:
                    confirmed = self.scored_by.confirms_sure(ctx)
                if not confirmed:
                    finding = replace(finding, severity=self.level)
            yield finding
        if not found:
            severity = self.scored_by.severity(ctx)
            if severity is not None:
                yield self.scored_by.finding(self, ctx, severity)

    def _found(self, ctx: CheckContext) -> Iterator[Finding]:
        assert self._pattern is not None
        skip = self._skip
        sure_spans: list[tuple[int, int]] | None = None  # found on the first occurrence only
        for m in self._pattern.finditer(ctx.text, ctx.folded):
            if m.end() > m.start() and m.group().casefold() not in skip:
                start, end = shown_span(m)
                if self._sure is None:
                    yield self.finding(ctx, start, end)
                    continue
                if sure_spans is None:
                    sure_spans = [s.span() for s in self._sure.finditer(ctx.text, ctx.folded) if s.end() > s.start()]
                yield self.finding(ctx, start, end, severity=self._level_near(start, end, sure_spans))

    def _level_near(self, start: int, end: int, sure_spans: list[tuple[int, int]]) -> Severity:
        """``sure_level`` when a sure cue lies within ``sure_within`` characters of ``start``…``end``."""
        if self.sure_within is None:
            return self.sure_level if sure_spans else self.level
        low, high = start - self.sure_within, end + self.sure_within
        if any(s_end > low and s_start < high for s_start, s_end in sure_spans):
            return self.sure_level
        return self.level


class SubstitutionRule(RuleBase):
    """``swap`` maps a wrong spelling (a regex) to the right one; the right one is offered as the fix. A match
    inside a link or an @handle is left alone: "telekom.de/magentazuhause" is an address, and the fix would
    break it (new-user probe)."""

    type: Literal["substitution"]
    swap: dict[str, str] = Field(min_length=1)
    ignorecase: StrictBool = False
    nonword: StrictBool = False
    _compiled: list[tuple[SafePattern, str]] = PrivateAttr(default_factory=list)
    #: the patterns as a cue set, only to tell which of them may match a post (their fixed texts looked up
    #: in the one literal pass): a rule of 17 spellings searched pattern by pattern paid each one's set-up
    #: on every keystroke, though a post holds one or two of them
    _prefilter: CueSet | None = PrivateAttr(default=None)

    def model_post_init(self, __context: Any) -> None:
        compiled = []
        for index, (wrong, right) in enumerate(self.swap.items()):
            source = wrong if self.nonword else word_bounded(wrong, escape=False)
            try:
                SafePattern(wrong)  # on its own first: wrapped in boundaries, 'a[' would still compile
                compiled.append((SafePattern(source, ignorecase=self.ignorecase), right))
            except PatternSyntaxError as exc:
                raise pattern_problem(("swap", wrong), exc, index + 1) from exc
        self._compiled = compiled
        self._prefilter = CueSet([p.source for p, _ in compiled], ignorecase=self.ignorecase)

    def pattern_sources(self) -> list[PatternSource]:
        pairs = zip(self._compiled, self.swap, strict=True)
        return [(("swap", wrong), pattern.source, self.ignorecase) for (pattern, _), wrong in pairs]

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        # The hot loop of a long text with many hits: findings are built directly, texts looked up per
        # distinct matched string (same result as self.finding()).
        rule, category, level, link = self.id, self.category, self.level, self.link
        compiled = self._compiled
        prefilter = self._prefilter
        assert prefilter is not None  # set with the patterns in model_post_init
        inside: Spans | None = None  # links and handles, worked out at the first match
        tags: Spans | None = None  # hashtags, worked out at the first match written as a hashtag must
        for index in prefilter.live_parts(ctx.text, ctx.folded):
            pattern, right = compiled[index]
            fix = (right,)
            seen: dict[str, tuple[str, str | None]] = {}
            for m in pattern.finditer(ctx.text):
                start, end = m.span()
                if end > start:
                    matched = m.group()
                    if matched != right:
                        if inside is None:
                            inside = _addresses(ctx)
                        if inside.holds(start):
                            continue
                        if matched.casefold() == _hashtag_form(right).casefold():
                            if tags is None:
                                tags = Spans([(h.start, h.end) for h in ctx.hashtags])
                            if tags.holds(start):
                                continue  # "#TSystems", "#TSYSTEMS": a hashtag cannot hold the hyphen of "T-Systems"
                        texts = seen.get(matched)
                        if texts is None:
                            texts = seen[matched] = self.texts(ctx, matched, fix)
                        yield Finding(rule, category, level, texts[0], start, end, fix, link, texts[1], matched)


_NOT_IN_HASHTAG = regex.compile(r"[^\p{L}\p{N}\p{M}_]+")


def _hashtag_form(term: str) -> str:
    """``term`` as a hashtag can hold it: without the hyphens, spaces and other marks ("T-Systems" -> "TSystems")."""
    return _NOT_IN_HASHTAG.sub("", term)


def _addresses(ctx: CheckContext) -> Spans:
    """Links and @handles a spelling rule leaves alone. A bare domain counts only when it reads as one: with
    a path or a lower-case ending ("telekom.de/magentazuhause"); twitter-text also reads a missing space
    after a full stop as a domain ("Telecom.Es ist gut", "Telekomm.Jetzt"), which hid the misspelling in
    prose (hostile probe)."""
    text = ctx.text
    spans = [(e.start, e.end) for e in ctx.mentions]
    for e in ctx.urls:
        url = text[e.start : e.end]
        host = url.split("/", 1)[0]
        ending = host.rsplit(".", 1)[-1]
        if url.lower().startswith(("http://", "https://", "www.")) or "/" in url or ending.islower():
            spans.append((e.start, e.end))
    return Spans(spans)


class NearMissRule(RuleBase):
    """Misspellings of the canonical ``terms`` that no list names ("Magneta", "Speedpots"): a word whose
    edit distance to a term (optimal string alignment: a swap of two letters counts once; ignoring case)
    with the term's first letter
    is at least 1 and at most ``max_distance[n]`` for the largest ``n`` not longer than the term ({5: 1,
    9: 2}: terms of 5–8 letters allow one edit, longer ones two; shorter terms none). A term written with
    a capital first letter is compared only with words that start with one (a lower-case word is a common
    word, not a name). Not reported: the term itself followed by a ``suffixes`` ending ("Telekoms"),
    ``exceptions`` (real words that happen to be close: "Magento", "telecom"), and words inside links,
    @handles and hashtags. The fix offered is the term."""

    type: Literal["near_miss"]
    terms: tuple[str, ...] = Field(min_length=1)
    max_distance: dict[int, int] = Field(default_factory=lambda: {5: 1, 9: 2})
    suffixes: tuple[str, ...] = ("s",)
    exceptions: tuple[str, ...] = ()
    _canon: dict[str, str] = PrivateAttr(default_factory=dict)
    _allowed: dict[str, int] = PrivateAttr(default_factory=dict)
    _skip: frozenset[str] = PrivateAttr(default=frozenset())
    _cache: dict[str, str | None] = PrivateAttr(default_factory=dict)
    _words: Any = PrivateAttr(default=None)
    _bags: tuple[tuple[str, dict[str, int]], ...] = PrivateAttr(default=())

    @field_validator("max_distance")
    @classmethod
    def _distances(cls, value: dict[int, int]) -> dict[int, int]:
        if not value or any(n < 2 or not 1 <= d <= 3 for n, d in value.items()):
            # (a value, even unused, makes the template formatted: "{{" becomes "{")
            raise SaidError(said("guidelines.max_distance", field="max_distance"))
        return value

    @field_validator("terms")
    @classmethod
    def _one_word_each(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for term in value:
            if not _LETTERS.fullmatch(term):
                raise SaidError(said("guidelines.one_word", value=term))
        return value

    def model_post_init(self, __context: Any) -> None:
        steps = sorted(self.max_distance.items())
        for term in self.terms:
            allowed = max((d for n, d in steps if n <= len(term)), default=0)
            if allowed:
                self._canon[term.casefold()] = term
                self._allowed[term.casefold()] = allowed
        if not self._canon:
            raise FieldProblem(("terms",), said("guidelines.terms_too_short"))
        skip = {e.casefold() for e in self.exceptions}
        for term in self.terms:
            skip.add(term.casefold())
            skip.update((term + s).casefold() for s in self.suffixes)
        self._skip = frozenset(skip)
        self._bags = tuple((term, dict(Counter(term))) for term in self._canon)  # plain dicts: pickled in the cache
        # The words worth comparing: of a length a term allows, starting with a term's first letter (a
        # misspelling seldom changes the first letter; looking only at those words keeps a long post fast)
        lengths = [len(t) for t in self._canon]
        top = max(self._allowed.values())
        low, high = max(2, min(lengths) - top), max(lengths) + top
        firsts = sorted(
            {
                c
                for t in self._canon.values()
                for c in (t[0], t[0].upper(), t[0].lower())
                if c.isupper() or not t[0].isupper()
            }
        )
        starts = regex.escape("".join(firsts), special_only=False)
        # (the first letter first, the look-behind after it: tried only where such a letter stands)
        self._words = regex.compile(rf"[{starts}](?<![^\W\d_][{starts}])[^\W\d_]{{{low - 1},{high - 1}}}+(?![^\W\d_])")

    def _near(self, word: str) -> str | None:
        folded = word.casefold()
        if folded in self._skip:
            return None
        if not any(_bag_gap(folded, bag) <= self._allowed[term] for term, bag in self._bags):
            return None  # no term within reach (most words): rapidfuzz is not even imported
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        found = process.extractOne(
            folded, list(self._canon), scorer=OSA.distance, score_cutoff=max(self._allowed.values())
        )
        if found is None:
            return None
        term, distance = found[0], found[1]
        if not 1 <= distance <= self._allowed[term]:
            return None
        canon = self._canon[term]
        if canon[0].isupper() and not word[0].isupper():
            return None
        return canon

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        cache = self._cache
        # the words first, as strings (one call, no match objects): most posts hold no near miss, and their
        # words were mostly seen before; positions are read only when a word is one
        for word in set(self._words.findall(ctx.text)):
            near = cache.get(word, _UNSEEN)
            if near is _UNSEEN:
                if len(cache) > 4096:
                    cache.clear()
                near = cache[word] = self._near(word)
            if near is not None:
                break
        else:
            return
        inside: Spans | None = None
        for m in self._words.finditer(ctx.text):
            word = m.group()
            if word in cache:
                near = cache[word]
            else:
                if len(cache) > 4096:
                    cache.clear()
                near = cache[word] = self._near(word)
            if near is None:
                continue
            if inside is None:  # links, handles and hashtags, looked up by bisection: a paste of 20,000
                # "#Magneta" compared every word with every hashtag (minutes; a hostile probe)
                inside = Spans([(e.start, e.end) for e in (*ctx.urls, *ctx.mentions, *ctx.hashtags)])
            if inside.holds(m.start()):
                continue
            yield self.finding(ctx, m.start(), m.end(), replacements=(near,))


def _bag_gap(word: str, bag: Mapping[str, int]) -> int:
    """A lower bound of the edit distance (optimal string alignment) between ``word`` and the word whose
    letters are counted in ``bag``: an insertion, deletion or substitution changes each side's surplus of
    letters by at most one, a swap of neighbours by none, so the larger surplus cannot exceed the distance."""
    own = Counter(word)
    surplus = sum(n - bag.get(c, 0) for c, n in own.items() if n > bag.get(c, 0))
    missing = sum(n - own[c] for c, n in bag.items() if n > own[c])
    return max(surplus, missing)


#: a word the near-miss cache has no answer for yet
_UNSEEN = object()


# A word: a run of letters (digits, "_" and "-" end it: "Magenta-Stand" holds "Magenta").
_LETTERS = regex.compile(r"[^\W\d_]++")


class OccurrenceRule(RuleBase):
    """A pattern must occur at least ``min`` and at most ``max`` times."""

    type: Literal["occurrence"]
    pattern: str
    ignorecase: StrictBool = True
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    _pattern: SafePattern | None = PrivateAttr(default=None)

    def model_post_init(self, __context: Any) -> None:
        if self.min is None and self.max is None:
            raise FieldProblem(("max",), said("guidelines.give_either", a="min", b="max"))
        try:
            self._pattern = SafePattern(self.pattern, ignorecase=self.ignorecase)
        except PatternSyntaxError as exc:
            raise pattern_problem(("pattern",), exc) from exc

    def pattern_sources(self) -> list[PatternSource]:
        return [(("pattern",), self.pattern, self.ignorecase)]

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
    """When ``when`` (or ``sure``, or ``certain``) matches, ``require`` must match somewhere too (disclosure is one
    such rule). Severity by confidence: a ``sure`` cue gives ``sure_level`` (where a ``scored_by`` model does not
    veto it, see :meth:`~drafter.rules.scored.ScoredBy.confirms_sure`), a ``certain`` cue gives ``sure_level``
    whatever the model says, ``when`` alone gives ``level``."""

    type: Literal["conditional"]
    when: Matcher | None = None
    require: Matcher
    #: cues that make the rule sure: when one matches, the finding has ``sure_level`` instead of ``level``
    sure: Matcher | None = None
    #: cues that make the rule sure without asking the learned scorer (phrases that stand in offers only)
    certain: Matcher | None = None
    sure_level: Severity = Severity.ERROR
    #: a learned scorer for where no ``sure`` cue is found and nothing of ``require`` (:mod:`drafter.rules.scored`)
    scored_by: ScoredBy | None = None
    _when: CueSet | None = PrivateAttr(default=None)
    _sure: CueSet | None = PrivateAttr(default=None)
    _certain: CueSet | None = PrivateAttr(default=None)
    _require: CueSet | None = PrivateAttr(default=None)

    def model_post_init(self, __context: Any) -> None:
        self._when = self.when.compile(("when",)) if self.when is not None else None
        self._sure = self.sure.compile(("sure",)) if self.sure is not None else None
        self._certain = self.certain.compile(("certain",)) if self.certain is not None else None
        self._require = self.require.compile(("require",))
        if (self._when is None and self._sure is None and self._certain is None) or self._require is None:
            raise FieldProblem(("when",), said("guidelines.when_require"))

    def pattern_sources(self) -> list[PatternSource]:
        matchers = (("certain", self.certain), ("sure", self.sure), ("when", self.when), ("require", self.require))
        sources: list[PatternSource] = [
            ((part, "patterns", i), p, matcher.ignorecase)
            for part, matcher in matchers
            if matcher is not None
            for i, p in enumerate(matcher.patterns)
        ]
        if self.scored_by is not None:
            sources += self.scored_by.pattern_sources()
        return sources

    def discloses(self, text: str) -> bool:
        """Whether ``text`` holds something of ``require`` (for a disclosure rule: whether it discloses)."""
        assert self._require is not None
        return self._require.search(text, literals.fold(text)) is not None

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        assert self._require is not None
        folded = ctx.folded
        certain = self._certain.search(ctx.text, folded) if self._certain is not None else None
        sure = certain
        if sure is None and self._sure is not None:
            sure = self._sure.search(ctx.text, folded)
        first = sure if sure is not None else (self._when.search(ctx.text, folded) if self._when else None)
        # no cue is sure: the scorer decides (asked first: it is cheaper than the search of `require`)
        scored = self.scored_by.severity(ctx, warn=first is None) if sure is None and self.scored_by else None
        if (first is None and scored is None) or self._require.search(ctx.text, folded) is not None:
            return
        if scored is not None:
            assert self.scored_by is not None
            yield self.scored_by.finding(self, ctx, scored)
        elif first is not None:
            level = self.level
            if sure is not None and (
                certain is not None or self.scored_by is None or self.scored_by.confirms_sure(ctx)
            ):
                level = self.sure_level
            yield self.finding(ctx, *shown_span(first), severity=level)
