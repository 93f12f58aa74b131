"""Company policy: confidentiality, tone and embargo."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any, Literal

import regex
from pydantic import ConfigDict, Field, PrivateAttr, StrictBool

from drafter.cues import CueSet, shown_span
from drafter.errors import said
from drafter.findings import MAX_FINDINGS_PER_RULE, Finding
from drafter.i18n import format_date
from drafter.patterns import PatternSyntaxError, SafePattern
from drafter.rules.base import (
    CheckContext,
    FieldProblem,
    LocalText,
    Matcher,
    PatternSource,
    RuleBase,
    Spans,
    _pick,
    pattern_problem,
)


class ConfidentialityRule(RuleBase):
    """Things that must not leave the company: named ``patterns`` (e-mail, phone, IBAN …) and ``markers``.
    ``allow`` lists what is public (the company's service numbers and addresses): a match equal to an
    entry, ignoring case, spaces and punctuation, is not reported."""

    type: Literal["confidentiality"]
    patterns: dict[str, str] = Field(default_factory=dict)
    markers: tuple[str, ...] = ()
    ignorecase: StrictBool = True
    allow: tuple[str, ...] = ()
    #: the name a kind is shown with in ``{kind}``, per language ("phone" → "Telefonnummer"); default: its key
    kinds: dict[str, LocalText] = Field(default_factory=dict)
    _compiled: list[tuple[str, SafePattern | CueSet]] = PrivateAttr(default_factory=list)
    _allowed: frozenset[str] = PrivateAttr(default=frozenset())
    #: the named patterns as a cue set, only to tell which of them may match a post (their fixed texts looked
    #: up in the one literal pass, as :class:`~drafter.rules.words.SubstitutionRule` does): a kind whose word
    #: ("Kundennummer", "Passwort", "NDA") is not in the post is not searched at all
    _prefilter: CueSet | None = PrivateAttr(default=None)

    def model_post_init(self, __context: Any) -> None:
        compiled: list[tuple[str, SafePattern | CueSet]] = []
        for kind, pattern in self.patterns.items():
            try:
                compiled.append((kind, SafePattern(pattern)))
            except PatternSyntaxError as exc:
                raise pattern_problem(("patterns", kind), exc) from exc
        if self.markers:
            marker = Matcher(tokens=self.markers, ignorecase=self.ignorecase).compile(("markers",))
            assert marker is not None
            compiled.append(("marker", marker))
        if not compiled:
            raise FieldProblem(("patterns",), said("guidelines.give_either", a="patterns", b="markers"))
        self._compiled = compiled
        self._allowed = frozenset(_folded_key(a) for a in self.allow)
        if self.patterns:
            self._prefilter = CueSet(list(self.patterns.values()), ignorecase=False)

    def pattern_sources(self) -> list[PatternSource]:
        return [(("patterns", kind), p, False) for kind, p in self.patterns.items()]

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        # An earlier kind wins where two overlap (an IBAN's digits are no phone number). ``starts``/``ends``
        # hold the spans taken so far, sorted and disjoint: a bisection finds the neighbours of a new span
        # (a paste with thousands of addresses made a linear scan per match quadratic).
        starts: list[int] = []
        ends: list[int] = []
        found: list[Finding] = []
        allowed = self._allowed
        prefilter = self._prefilter
        named = len(self.patterns)  # the named patterns come first in _compiled, then the markers' cue set
        live = set(prefilter.live_parts(ctx.text, ctx.folded)) if prefilter is not None else ()
        for index, (kind, pattern) in enumerate(self._compiled):
            if index < named and index not in live:
                continue  # its fixed text is not in the post: it cannot match
            matches = (
                pattern.finditer(ctx.text, ctx.folded) if isinstance(pattern, CueSet) else pattern.finditer(ctx.text)
            )
            for m in matches:
                s, e = shown_span(m)  # a pattern written fast shows the words it looked back for too
                if e <= s or (allowed and _folded_key(m.group()) in allowed):
                    continue
                at = bisect.bisect_right(starts, s)
                if (at and ends[at - 1] > s) or (at < len(starts) and starts[at] < e):
                    continue
                starts.insert(at, s)
                ends.insert(at, e)
                found.append(self.finding(ctx, s, e, kind=_pick(self.kinds.get(kind), ctx.lang) or kind))
                if len(found) > MAX_FINDINGS_PER_RULE:  # the checker stops a rule there: no need to look on
                    break
            if len(found) > MAX_FINDINGS_PER_RULE:
                break
        yield from found


_NOT_KEY = regex.compile(r"[^\p{L}\p{N}@]+")


def _folded_key(text: str) -> str:
    """What an allow-list compares: letters, digits and @, case-folded ("0800 330-1000" = "08003301000")."""
    return _NOT_KEY.sub("", text).casefold()


class ToneRule(RuleBase):
    """Shouting: ``min_count`` or more all-capital words of ``min_letters`` letters not in ``allow``, or
    (with ``min_phrase``) a phrase of that many all-capital words in a row, each of two letters or more and
    not in ``allow`` ("WAS FÜR EIN ABEND": short words, but a shouted line), or (with ``min_single``) one
    all-capital word of that many letters not in ``allow`` ("GRATIS", "ENDLICH": a word, not an acronym,
    since acronyms of that length are rare and listed in ``allow``); capitals of any script count
    (Ä, Ö, Ü, ẞ). Or runs of ``min_run`` or more exclamation marks. With ``ignore_quoted``, neither counts
    inside quotation marks on one line („…“, "…", “…”, »…«, «…»): a quoted customer's "Endlich!!" or "YOU
    SAVED MY DAY" is not the author's tone."""

    type: Literal["tone"]
    check_: Literal["shouting", "exclamations"] = Field(alias="check")
    min_letters: int = Field(default=4, ge=2)
    min_count: int = Field(default=2, ge=1)
    allow: tuple[str, ...] = ()
    min_run: int = Field(default=2, ge=2)
    min_phrase: int | None = Field(default=None, ge=2)
    min_single: int | None = Field(default=None, ge=2)
    ignore_quoted: StrictBool = False

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    _pattern: Any = PrivateAttr(default=None)
    _phrase: Any = PrivateAttr(default=None)

    def model_post_init(self, __context: Any) -> None:
        if self.check_ == "shouting":
            # the capitals first, the look-behind after them (as for phrases below): the same matches as
            # "(?<![\p{L}\p{N}_])\p{Lu}{n,}(?![\p{L}\p{N}_=])", tried at far fewer places (a word joined by "_"
            # is an identifier, "OTC_ACCESS_TOKEN", and so is a word before "=", "SECRET=…": not shouted words;
            # the twenty-third session, blind31 read and a hostile probe)
            n = self.min_letters
            self._pattern = regex.compile(
                rf"\p{{Lu}}{{{n}}}(?<![\p{{L}}\p{{N}}_]\p{{Lu}}{{{n}}})\p{{Lu}}*+(?![\p{{L}}\p{{N}}_=])"
            )
            if self.min_phrase is not None:
                # words of two or more capitals, separated by one space or a punctuation mark and a space
                # (two capitals first, the look-behind after them: tried at far fewer places than before them)
                first = r"\p{Lu}\p{Lu}(?<![\p{L}\p{N}_]\p{Lu}\p{Lu})\p{Lu}*+(?![\p{L}\p{N}_])"
                more = r"\p{Lu}{2,}+(?![\p{L}\p{N}_])"
                self._phrase = regex.compile(rf"{first}(?:[,:;–-]?+ {more}){{{self.min_phrase - 1},}}+")
        else:
            self._pattern = regex.compile(rf"[!！]{{{self.min_run},}}")

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        if self.check_ == "shouting":
            # every capital word and every phrase starts with two capitals: one scan finds where the first
            # could start (none in most posts), and both patterns search on from there
            text = ctx.text
            pairs = [m.start() for m in _TWO_CAPITALS.finditer(text, overlapped=True)]
            if not pairs:
                return
            allowed = set(self.allow)
            caps = [m for m in _matches_at(self._pattern, text, pairs) if m.group() not in allowed]
            phrases = []
            if self._phrase is not None:
                phrases = [m for m in _matches_at(self._phrase, text, pairs) if self._shouted(m.group(), allowed)]
            if len(caps) < self.min_count and not phrases and not self._loud(caps):
                return
            # capitals inside links, @handles and hashtags are names the author cannot change; with
            # ignore_quoted, capitals in quotation marks are someone else's words
            skip = [(e.start, e.end) for e in (*ctx.urls, *ctx.mentions, *ctx.hashtags)]
            if self.ignore_quoted:
                skip += [(s + 1, e - 1) for s, e in (q.span() for q in _QUOTED.finditer(ctx.text))]
            inside_skip = Spans(skip)
            caps = [m for m in caps if not inside_skip.holds(m.start())]
            phrases = [m for m in phrases if not inside_skip.holds(m.start())]
            inside_phrase = Spans([p.span() for p in phrases])
            caps = [m for m in caps if not inside_phrase.holds(m.start())]
            count = len(caps) + sum(self._shouted(p.group(), allowed) for p in phrases)
            if len(caps) >= self.min_count or phrases or self._loud(caps):
                for m in sorted((*caps, *phrases), key=lambda m: m.start()):
                    yield self.finding(ctx, m.start(), m.end(), count=count)
        else:
            # no run starts before the first mark (the pattern has no look-behind): two substring searches
            # instead of the ``regex`` module's character-by-character scan of the whole post
            text = ctx.text
            first = min((at for at in (text.find("!"), text.find("！")) if at >= 0), default=-1)
            runs = [] if first < 0 else list(self._pattern.finditer(text, first))
            if runs and self.ignore_quoted:
                quoted = Spans([(s + 1, e - 1) for s, e in (q.span() for q in _QUOTED.finditer(ctx.text))])
                runs = [m for m in runs if not quoted.holds(m.start(), m.end())]
            for m in runs:
                yield self.finding(ctx, m.start(), m.end(), replacements=("!",))

    def _loud(self, caps: list[Any]) -> bool:
        """Whether one of the capital words is long enough to be shouting alone (``min_single``)."""
        n = self.min_single
        return n is not None and any(len(m.group()) >= n for m in caps)

    def _shouted(self, phrase: str, allowed: set[str]) -> int:
        """The words of a capital phrase not in ``allow``, when there are ``min_phrase`` of them (else 0)."""
        words = sum(w not in allowed for w in _CAPS.findall(phrase))
        return words if words >= (self.min_phrase or 0) else 0


_CAPS = regex.compile(r"\p{Lu}++")
_TWO_CAPITALS = regex.compile(r"\p{Lu}\p{Lu}")
#: more places than this where two capitals meet: a search is cheaper than trying each (a shouted paste)
_MAX_PAIRS = 64


def _matches_at(pattern: regex.Pattern[str], text: str, pairs: list[int]) -> Iterable[regex.Match[str]]:
    """The matches of ``pattern.finditer(text)`` for a pattern whose every match starts where two capitals
    meet (``pairs``, ascending): tried only there, one after another (``finditer`` tries every position
    and takes the first match, then goes on from its end; no other position can match), or a plain search
    from the first pair when there are many. The patterns are linear (possessive repeats, fixed look-behinds)."""
    if len(pairs) > _MAX_PAIRS:
        return pattern.finditer(text, pairs[0])
    found: list[regex.Match[str]] = []
    end = 0
    for at in pairs:
        if at >= end:
            m = pattern.match(text, at)
            if m is not None:
                found.append(m)
                end = m.end()
    return found


# A quotation on one line, at most 500 characters, in the usual German, English and French marks.
_QUOTED = regex.compile(r'„[^“”"\n]{0,500}[“”"]|"[^"\n]{0,500}"|“[^”“\n]{0,500}”|»[^«\n]{0,500}«|«[^»\n]{0,500}»')


class EmbargoRule(RuleBase):
    """Uses the brief's dates: ``not_before`` after the check date, or ``expires`` before it.

    A ``not_before`` finding *schedules* a post rather than forbidding it: it stays visible at its
    level, but the export gate lets the post out as scheduled for the brief's date (see
    :func:`drafter.drafting.check_draft`), so ambassadors can prepare before an embargo ends."""

    type: Literal["embargo"]
    check_: Literal["not_before", "expires"] = Field(alias="check")
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def schedules(self) -> bool:
        """True for the ``not_before`` check: its finding holds a post until a date instead of blocking it."""
        return self.check_ == "not_before"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        brief = ctx.brief
        if brief is None:
            return
        if self.check_ == "not_before" and brief.embargoed_on(ctx.date):
            yield self.finding(ctx, 0, 0, date=_date_text(brief.not_before, ctx.lang))
        elif self.check_ == "expires" and brief.expired_on(ctx.date):
            yield self.finding(ctx, 0, 0, date=_date_text(brief.expires, ctx.lang))


def _date_text(day: dt.date | None, lang: str) -> str:
    return "" if day is None else format_date(day, lang)


def scheduling_rule_ids(rules: Iterable[RuleBase]) -> frozenset[str]:
    """The ids of the rules whose findings schedule a post (embargo ``not_before``) instead of blocking it."""
    return frozenset(r.id for r in rules if isinstance(r, EmbargoRule) and r.schedules)
