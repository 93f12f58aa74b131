"""What makes a post social: hashtags, links, mentions and emoji."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Literal

import regex
from pydantic import ConfigDict, Field, PrivateAttr

from drafter.errors import said
from drafter.findings import Finding
from drafter.rules.base import CheckContext, FieldProblem, RuleBase, Spans

# a plain character class: the standard library's engine scans for it several times faster than ``regex``
_EMOJI_HINT = re.compile("[\u00a9\u00ae\u203c-\u3299\U0001f000-\U0001faff\ufe0f]")
_SPACE = regex.compile(r"\s")
_SPACE_BEFORE = regex.compile(r"\s", flags=regex.REVERSE)


class HashtagRule(RuleBase):
    """Checks hashtags against the goals' hashtags (or ``tags``): presence, case, near misses, count, and
    hashtags written without a space between them (``run_together``: "#Werkstolz#LoveMagenta" links as no
    hashtag at all on X; the goal hashtag in such a run counts as present for ``missing_goal``, since the fix
    is a space, not a hashtag)."""

    type: Literal["hashtags"]
    check_: Literal["missing_goal", "case", "near_miss", "max_count", "run_together"] = Field(alias="check")
    tags: tuple[str, ...] | None = None
    max: int | None = Field(default=None, ge=0)
    max_distance: int = Field(default=2, ge=1, le=3)
    exceptions: tuple[str, ...] = Field(default=(), description="real words that are not near misses")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    _exceptions: frozenset[str] = PrivateAttr(default=frozenset())
    #: (the goals, what :meth:`_tags` made of them), see there
    _made: tuple[Any, tuple[tuple[str, ...], dict[str, str], str]] | None = PrivateAttr(default=None)

    def model_post_init(self, __context: Any) -> None:
        if self.check_ == "max_count" and self.max is None:
            raise FieldProblem(("max",), said("guidelines.max_count_needs_max"))
        self._exceptions = frozenset(e.lstrip("#").casefold() for e in self.exceptions)

    def _tags(self, ctx: CheckContext) -> tuple[tuple[str, ...], dict[str, str], str]:
        """(the canonical tags without "#", {folded tag: tag}, the tags as the message lists them), made once
        per list of goals (the same list on every check of a guideline set)."""
        goals = ctx.goals
        made = self._made
        if made is None or made[0] is not goals:
            tags = self.tags if self.tags is not None else tuple(g.hashtag for g in goals)
            canonical = tuple(t.lstrip("#") for t in tags)
            made = (goals, (canonical, {c.casefold(): c for c in canonical}, ", ".join(f"#{c}" for c in canonical)))
            self._made = made
        return made[1]

    def _near(self, tag: str, canonical: list[str] | tuple[str, ...]) -> str | None:
        folded = tag.casefold()
        if folded in self._exceptions:
            return None
        if any(folded == canon.casefold() for canon in canonical):
            return None  # the core hashtag itself (the usual case): no distance to measure
        from rapidfuzz.distance import Levenshtein

        best: tuple[int, str] | None = None
        for canon in canonical:
            distance = Levenshtein.distance(folded, canon.casefold(), score_cutoff=self.max_distance)
            if distance <= self.max_distance and (best is None or distance < best[0]):
                best = (distance, canon)
        return best[1] if best else None

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        tags = ctx.hashtags
        if not tags and self.check_ in ("case", "near_miss", "max_count"):
            return  # nothing to look at (the goal hashtag missing is the one finding without tags)
        canonical, folded, hashtags = self._tags(ctx)
        if self.check_ == "run_together":
            for run in _runs_together(ctx):
                yield self.finding(ctx, run.start(), run.end(), replacements=(_spaced(run.group()),), hashtags=hashtags)
            return
        if self.check_ == "missing_goal":
            if not ctx.text.strip():
                return
            if any(t.text.casefold() in folded for t in tags):
                return
            if any(self._near(t.text, canonical) for t in tags):
                return  # the near-miss rule already points at the misspelt core hashtag
            runs = _runs_together(ctx)
            if any(piece[1:].casefold() in folded for run in runs for piece in _RUN_PIECE.findall(run.group())):
                return  # written, but run together with another hashtag: ``run_together`` asks for the space
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


#: a hashtag followed at once by more hash signs, with or without a tag after them ("#Werkstolz#Azubi",
#: "#Werkstolz#", "#Werkstolz##LoveMagenta": X links the tag before a hash sign as no hashtag); not after a
#: letter, digit or slash (a URL's fragment, "C#"); group 1 is the first tag
_RUN_TOGETHER = regex.compile(r"[#＃](?<![\p{L}\p{M}\p{N}_&/][#＃])([\p{L}\p{M}\p{N}_]+)(?:[#＃][\p{L}\p{M}\p{N}_]*)+")
_RUN_PIECE = regex.compile(r"[#＃][\p{L}\p{M}\p{N}_]+")
_AFTER_WORD = regex.compile(r"[\p{L}\p{M}\p{N}_][#＃]")
_LETTER = regex.compile(r"\p{L}")


def _runs_together(ctx: CheckContext) -> list[regex.Match[str]]:
    """The runs of hashtags written without a space in the text of ``ctx`` (none without two hash signs);
    not inside a link ("…/karriere?x=#Werkstolz#jobs" is an address), nor a run whose first tag has no
    letter (an issue's "#12#13", which X links as no hashtag anyway)."""
    text = ctx.text
    at = text.find("#")
    if at < 0 and "＃" not in text:
        return []
    # a run holds a hash sign right after a letter, digit or underscore: most posts have none
    if _AFTER_WORD.search(text, max(at, 0)) is None:
        return []
    runs = [m for m in _RUN_TOGETHER.finditer(text) if _LETTER.search(m.group(1))]
    if runs and ctx.urls:
        links = Spans([(u.start, u.end) for u in ctx.urls])
        runs = [m for m in runs if not links.holds(m.start())]
    return runs


def _spaced(run: str) -> str:
    """The hashtags of ``run`` with a space between them, each with its own hash sign; lone hash signs go."""
    return " ".join(_RUN_PIECE.findall(run))


class LinkRule(RuleBase):
    """Links to listed ``domains`` (and their subdomains) or with listed ``schemes`` (e.g. http)."""

    type: Literal["links"]
    domains: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ()

    _domains: frozenset[str] = PrivateAttr(default=frozenset())
    _schemes: frozenset[str] = PrivateAttr(default=frozenset())

    def model_post_init(self, __context: Any) -> None:
        if not self.domains and not self.schemes:
            raise FieldProblem(("domains",), said("guidelines.give_either", a="domains", b="schemes"))
        # sets made once: a list of thirty shorteners is looked up per host and its parent domains
        self._domains = frozenset(d.casefold() for d in self.domains)
        self._schemes = frozenset(s.casefold().rstrip(":/") for s in self.schemes)

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        domains, schemes = self._domains, self._schemes
        for url in ctx.urls:
            raw = url.text
            scheme, sep, rest = raw.partition("://")
            if not sep:
                scheme, rest = "", raw
            host = _HOST_END.split(rest, maxsplit=1)[0].casefold()
            if (schemes and scheme.casefold() in schemes) or (domains and _listed(host, domains)):
                yield self.finding(ctx, url.start, url.end)


_HOST_END = regex.compile(r"[/?#:]")


def _listed(host: str, domains: frozenset[str]) -> bool:
    """``host`` is one of ``domains`` or a subdomain of one ("www.bit.ly")."""
    parts = host.split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts)))


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
            raise FieldProblem(("max",), said("guidelines.give_either", a="max", b="forbidden"))

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        hint = _EMOJI_HINT.search(ctx.text)
        if hint is None:
            return
        found = _emoji_list(ctx.text, hint.start())
        for item in found:
            if item["emoji"] in self.forbidden:
                yield self.finding(ctx, item["match_start"], item["match_end"])
        if self.max is not None and len(found) > self.max:
            extra = found[self.max :]
            yield self.finding(ctx, extra[0]["match_start"], extra[-1]["match_end"], count=len(found), max=self.max)


def _emoji_list(text: str, pos: int = 0) -> list[dict[str, Any]]:
    """``emoji.emoji_list(text)``, run only over the whitespace-delimited stretches that hold an emoji-like
    character (the library walks the text character by character in Python; no emoji contains whitespace,
    and its scan starts afresh after every whitespace, so the result is the same). ``pos``: no such
    character stands before it (the caller found the first one)."""
    import emoji

    found: list[dict[str, Any]] = []
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
