"""Copying: from the brief (originality) and from the local corpus (corpus_similarity)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Annotated, Any, Literal

from pydantic import Field, StrictInt, StrictStr

from drafter.errors import said
from drafter.findings import Finding
from drafter.rules.base import _WORD, CheckContext, FieldProblem, RuleBase


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


#: the fewest words of a paragraph the corpus index holds on its own (``drafter.originality.PASSAGE_WORDS``,
#: not imported here: that module is loaded on the first comparison; a test holds the two equal)
PASSAGE_WORDS = 12


class CorpusSimilarityRule(RuleBase):
    """The draft is a near-duplicate of a post in the corpus: warning from ``warning_at``, error from
    ``error_at`` (similarity 0…1). So is each paragraph of at least ``passage_words`` words (0: none) whose
    similarity with a post's paragraph (or a whole post) reaches the same thresholds; paragraphs like one of the
    ``boilerplate`` texts are compared with nothing. Silent when no corpus is given."""

    type: Literal["corpus_similarity"]
    warning_at: float = Field(default=0.6, gt=0, le=1)
    error_at: float = Field(default=0.85, gt=0, le=1)
    passage_words: StrictInt = Field(default=15, ge=0, le=1000)  # a count: not "15", 15.0 or false
    #: texts every author may use word for word (the network's disclaimer): a paragraph of the draft as close
    #: to one of them as ``warning_at`` is left out of both comparisons (``drafter.originality``)
    boilerplate: tuple[Annotated[StrictStr, Field(min_length=1, max_length=2000)], ...] = Field(
        default=(), max_length=50
    )

    def model_post_init(self, __context: Any) -> None:
        if self.error_at < self.warning_at:
            raise FieldProblem(("error_at",), said("guidelines.below_warning_at"))
        if self.boilerplate:
            from drafter.originality import shingles

            for index, text in enumerate(self.boilerplate):
                if not shingles(text):  # spaces, hashtags, a link or emoji only: it would leave nothing out
                    raise FieldProblem(("boilerplate", index), said("guidelines.boilerplate_without_words"))
        if 0 < self.passage_words < PASSAGE_WORDS:
            raise FieldProblem(("passage_words",), said("guidelines.passage_words_low", least=PASSAGE_WORDS))

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        if ctx.corpus is None or not ctx.text.strip():
            return
        from drafter.originality import similarity_findings

        found = similarity_findings(
            ctx.text,
            ctx.corpus,
            self.warning_at,
            self.error_at,
            ctx.lang,
            passage_words=self.passage_words,
            boilerplate=self.boilerplate,
        )
        for f in found:
            yield replace(f, rule=self.id, category=self.category, link=self.link or f.link)
