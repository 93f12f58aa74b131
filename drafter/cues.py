"""Many cue patterns searched cheaply: each pattern is skipped when a fixed piece of text it needs is
not in the post.

A rule such as the disclosure rule holds a hundred cues (prices, discounts, free offers, calls to action,
product names). Searched one by one, each costs a regex call even on a post that holds none of them; as
one alternation, the regex engine tries every branch at every position. Most cues, though, contain a
fixed piece of text ("rabatt", "€", "gratis") that every match must contain. :func:`required_text`
finds it from the pattern's structure; :class:`CueSet` looks it up in the case-folded post with a plain
substring search (a microsecond) and runs the pattern only when it is there. The matches are exactly
those of the alternation of all parts (leftmost first; at equal starts the earlier part).
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Iterator, Sequence
from typing import Any

import regex

from drafter import literals
from drafter.patterns import (
    _CONTEXT_DEPENDENT,
    _TIMED_STARTS,
    CHUNK_THRESHOLD,
    PatternTimeout,
    SafePattern,
    _lacks,
    _left,
    _parse,
    register_starts,
    start_rule,
)

#: characters a required text may contain (see :data:`drafter.literals.FOLD_SAFE`)
_FOLD_SAFE = literals.FOLD_SAFE
#: the start of every inline flag group that can switch on ignoring case, ``(?i)`` or ``(?mi)`` (and more:
#: scoped ``(?i:…)`` too, which :func:`_ignores_case` then parses to tell apart)
_INLINE_I = regex.compile(r"\(\?[a-zA-Z]*i")


def required_text(pattern: str, *, ignorecase: bool) -> str | None:
    """The longest piece of fixed text every match of ``pattern`` contains (case-folded when
    ``ignorecase``), or None when there is none worth using (shorter than 3 characters, unless it is a
    symbol such as ``€``) or the structure cannot be read safely (see :func:`drafter.patterns._parse`)."""
    parsed = _parse(pattern)  # None where Python's parser may read it differently (fuzzy "{e<=1}", …)
    if parsed is None:
        return None
    c, tree = parsed
    if tree.state.flags & c.SRE_FLAG_IGNORECASE:
        ignorecase = True
    runs: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            runs.append("".join(current))
            current.clear()

    def walk(items: Any) -> None:
        for op, av in items:
            if op is c.LITERAL:
                ch = chr(av)
                if ignorecase:
                    ch = ch.casefold()
                if len(ch) == 1 and (ch in _FOLD_SAFE or not ignorecase):
                    current.append(ch)
                else:
                    close()
            elif op is c.SUBPATTERN and not _has_branch(av[3], c):
                walk(av[3])  # a plain group: its text continues the run
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
                close()
                walk(av[2])  # the first repetition is required, but stands apart from its neighbours
                close()
            elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                close()  # zero-width: the run may go on only in the text, not in the pattern
            else:
                close()  # classes, alternations, optional parts: nothing fixed here

    walk(tree)
    close()
    if not runs:
        return None
    best = max(runs, key=len)
    return best if literals.worth_looking_up(best) else None


def shown_span(m: regex.Match[str]) -> tuple[int, int]:
    """The span a finding shows: the match and every group that took part. A cue written fast — its
    fixed word first, the words before it in a captured look-behind (``'€(?<=(für\\s+\\d+\\s?€))'``) —
    is then shown whole ("für 39 €"), not as its last word."""
    start, end = m.span()
    for index in range(1, (m.re.groups or 0) + 1):
        s, e = m.span(index)
        if s >= 0:
            start, end = min(start, s), max(end, e)
    return start, end


def _ignores_case(pattern: str, ignorecase: bool) -> bool:
    """Whether ``pattern`` ignores case as a whole: asked to, or by an inline ``(?i)`` (its required text
    and start text are then case-folded, see :func:`required_text`)."""
    if ignorecase:
        return True
    if _INLINE_I.search(pattern) is None:  # no flag group naming i: nothing to parse (a cached set's ~400 parts)
        return False
    parsed = _parse(pattern)
    return parsed is not None and bool(parsed[1].state.flags & parsed[0].SRE_FLAG_IGNORECASE)


def _has_branch(items: Any, c: Any) -> bool:
    return any(op is c.BRANCH for op, _ in items)


class CueSet:
    """The alternation of ``parts``, each part searched only when its required text is in the post."""

    __slots__ = (
        "_always",
        "_by_hint",
        "_by_text_hint",
        "_compiled",
        "_groups",
        "_parts",
        "_plans",
        "_starts",
        "_unregistered",
        "ignorecase",
        "source",
    )

    def __init__(self, parts: Sequence[str], *, ignorecase: bool) -> None:
        self.ignorecase = ignorecase
        self.source = "|".join(f"(?:{p})" for p in parts)  # the alternation this set is equivalent to
        self._parts: list[tuple[str | None, str]] = [(required_text(p, ignorecase=ignorecase), p) for p in parts]
        #: the parts without a fixed text (always searched); the parts of each fixed text that is looked up
        #: in the folded text (the part ignores case, also by an inline ``(?i)``), and in the text as written
        self._always = [index for index, (hint, _) in enumerate(self._parts) if hint is None]
        self._by_hint: dict[str, list[int]] = {}
        self._by_text_hint: dict[str, list[int]] = {}
        for index, (hint, part) in enumerate(self._parts):
            if hint is not None:
                table = self._by_hint if _ignores_case(part, ignorecase) else self._by_text_hint
                table.setdefault(hint, []).append(index)
        #: where each part can start (see :func:`drafter.patterns.start_rule`)
        self._starts = [start_rule(part, ignorecase=ignorecase) for _, part in self._parts]
        #: parts compiled on first use: most cues never occur in a session, and compiling a hundred
        #: patterns would slow every start (``drafter lint``, the app)
        self._compiled: dict[int, SafePattern] = {}
        #: neighbouring live parts that start alike, searched as one alternation (see :meth:`_grouped`);
        #: None where they cannot be
        self._groups: dict[tuple[int, ...], SafePattern | None] = {}
        #: the live parts of a post → what :meth:`_grouped` made of them (a keystroke's post mostly has the
        #: same live parts as the one before: a dict lookup instead of the grouping walk)
        self._plans: dict[tuple[int, ...], list[tuple[int, SafePattern]]] = {}
        #: (the literals of the pass, the fixed texts it does not look for — single characters —), see _live
        self._unregistered: tuple[frozenset[str], list[str]] | None = None
        self._register()

    def _register(self) -> None:
        """Every fixed text is looked up in the one literal pass over a post (:mod:`drafter.literals`): the
        parts' required texts, and the texts they start with (registered now, so the pass is not rebuilt
        when a part first runs)."""
        literals.INDEX.add(self._by_hint)
        for (_, part), rule in zip(self._parts, self._starts, strict=True):
            register_starts(rule, ignorecase=_ignores_case(part, self.ignorecase))

    def __setstate__(self, state: tuple[Any, dict[str, Any]]) -> None:
        """Unpickled (a cached guideline set, :mod:`drafter.guideline_cache`): registered with the literal
        pass again; unregistered, every fixed text would be looked up with a substring search of its own."""
        for name, value in state[1].items():
            object.__setattr__(self, name, value)
        self._unregistered = None
        self._groups = {}
        self._plans = {}
        self._register()

    def _pattern(self, index: int) -> SafePattern:
        pattern = self._compiled.get(index)
        if pattern is None:  # two threads may both compile it: harmless, the result is the same
            pattern = self._compiled[index] = SafePattern(self._parts[index][1], ignorecase=self.ignorecase)
        return pattern

    def _live(self, text: str, folded: str | None) -> list[tuple[int, SafePattern]]:
        """The parts whose fixed texts are in the post (and those without one), in their order."""
        return self._grouped(self.live_parts(text, folded))

    def live_parts(self, text: str, folded: str | None = None) -> list[int]:
        """The indexes of the parts that may match ``text``: those whose fixed text is in it, and those
        without one, ascending."""
        live = list(self._always)
        by_hint = self._by_hint
        if by_hint:
            haystack = folded if folded is not None else literals.folded(text)
            registered, found = literals.INDEX.scan(haystack)
            # the fixed texts the pass found: a post holds a few dozen of the registered texts, a cue set up
            # to a hundred, most of them absent (one set intersection, in C)
            for hint in by_hint.keys() & found.keys():
                live += by_hint[hint]
            unregistered = self._unregistered
            if unregistered is None or unregistered[0] is not registered:
                unregistered = self._unregistered = (registered, [h for h in by_hint if h not in registered])
            for hint in unregistered[1]:  # characters, or texts registered after the pass was built
                if hint in haystack:
                    live += by_hint[hint]
        for hint, indexes in self._by_text_hint.items():  # parts that match case: plain substring searches
            if hint in text:
                live += indexes
        live.sort()  # the order of the parts decides between matches at the same position
        return live

    def _grouped(self, live: list[int]) -> list[tuple[int, SafePattern]]:
        """The live parts, each with its pattern; a run of live parts with the same start rule (see
        :func:`drafter.patterns.start_rule`) and no other live part between them as one alternation: one
        search where the run's parts start, instead of one per part. The merge gives the same matches: no
        other live part ranks between them, and the alternation picks among them as the merge would (the
        earliest match, at equal starts the earlier part)."""
        plan_key = tuple(live)
        plan = self._plans.get(plan_key)
        if plan is not None:
            return plan
        out: list[tuple[int, SafePattern]] = []
        starts = self._starts
        compiled = self._compiled
        i, n = 0, len(live)
        while i < n:
            index = live[i]
            rule = starts[index]
            j = i + 1
            if rule is not None:
                while j < n and starts[live[j]] == rule:
                    j += 1
            if j - i > 1:
                key = tuple(live[i:j])
                if key in self._groups:
                    group = self._groups[key]
                else:
                    group = self._groups[key] = self._group(key, rule)
                if group is not None:
                    out.append((index, group))
                    i = j
                    continue
            out += [(k, compiled.get(k) or self._pattern(k)) for k in live[i:j]]
            i = j
        if len(self._plans) >= 256:
            self._plans = {}  # a new dict: a thread reading the old one still sees a consistent one
        self._plans[plan_key] = out
        return out

    def _group(self, indexes: tuple[int, ...], rule: tuple[str, Any] | None) -> SafePattern | None:
        """The alternation of the parts ``indexes`` (which share the start rule ``rule``), or None when
        joining them could change a match: a part refers to groups or recursion or sets a flag for the
        whole pattern, or the parts run without the time limit and their alternation would not."""
        sources = [self._parts[k][1] for k in indexes]
        for source in sources:
            parsed = _parse(source)
            if (
                parsed is None
                or parsed[1].state.flags & ~parsed[0].SRE_FLAG_UNICODE
                or _CONTEXT_DEPENDENT.search(source)
            ):
                return None
        group = SafePattern("|".join(f"(?:{p})" for p in sources), ignorecase=self.ignorecase)
        if group.timed and not all(self._pattern(k).timed for k in indexes):
            return None
        group._starts = rule  # a match of the alternation starts where one of its parts can start
        group._work = None  # worked out again for that start rule
        return group

    def search(self, text: str, folded: str | None = None) -> regex.Match[str] | None:
        """The leftmost match (at equal starts: the earlier part). ``folded`` is ``text.casefold()``,
        when the caller has it already."""
        best: tuple[int, int, regex.Match[str]] | None = None
        for index, pattern in self._live(text, folded):
            m = pattern.search(text)  # with the pattern's own time limit (and windows on a long text)
            if m is not None and (best is None or (m.start(), index) < best[:2]):
                best = (m.start(), index, m)
        return best[2] if best is not None else None

    def finditer(self, text: str, folded: str | None = None) -> Iterator[regex.Match[str]]:
        """Non-overlapping matches from left to right, as the alternation would give them."""
        live = self._live(text, folded)
        if len(text) > CHUNK_THRESHOLD:
            yield from _merged(text, [pattern for _, pattern in live])
            return
        starts = [pattern.starts(text) for _, pattern in live]  # where each part can match (None: anywhere)
        pending = [_search(pattern, text, 0, at) for (_, pattern), at in zip(live, starts, strict=True)]
        pos = 0
        while True:
            best: int | None = None
            for slot, (_, pattern) in enumerate(live):
                m = pending[slot]
                if m is not None and m.start() < pos:  # overlaps the previous match: search on from there
                    m = pending[slot] = _search(pattern, text, pos, starts[slot])
                if m is not None and (best is None or m.start() < pending[best].start()):  # type: ignore[union-attr]
                    best = slot
            if best is None:
                return
            m = pending[best]
            assert m is not None
            yield m
            pos = m.end() if m.end() > m.start() else m.end() + 1


def _merged(text: str, patterns: list[SafePattern]) -> Iterator[regex.Match[str]]:
    """A long text: every part's matches (searched window by window, see :mod:`drafter.patterns`), merged
    left to right without overlaps, the earlier part first at equal starts."""
    found = sorted(
        ((m.start(), index, m) for index, pattern in enumerate(patterns) for m in pattern.finditer(text)),
        key=lambda item: item[:2],
    )
    pos = 0
    for start, _index, m in found:
        if start >= pos and m.end() > start:
            yield m
            pos = m.end()


def _search(pattern: SafePattern, text: str, pos: int, starts: list[int] | None) -> regex.Match[str] | None:
    """``pattern`` searched from ``pos`` within its time limit (see :mod:`drafter.patterns`); with
    ``starts``, tried only at those of them from ``pos`` on (the same first match, see
    :meth:`SafePattern.starts`)."""
    try:
        if starts is None:
            required = pattern._required
            if required is not None and _lacks(text, required):  # a character every match holds is absent
                return None
            return pattern._compiled.search(text, pos, timeout=pattern.budget(text))
        untimed = pattern._bounded or pattern.untimed_at(len(starts), len(text))
        if not untimed and len(starts) > _TIMED_STARTS:  # a plain search, from the first start on
            at = bisect.bisect_left(starts, pos)
            if at == len(starts):
                return None
            return pattern._compiled.search(text, starts[at], timeout=pattern.budget(text))
        compiled = pattern._compiled
        if untimed:
            for at in starts[bisect.bisect_left(starts, pos) :]:
                m = compiled.match(text, at)
                if m is not None:
                    return m
            return None
        deadline = time.monotonic() + pattern.budget(text)
        for at in starts[bisect.bisect_left(starts, pos) :]:
            m = compiled.match(text, at, timeout=_left(deadline))
            if m is not None:
                return m
        return None
    except TimeoutError as exc:
        raise PatternTimeout(pattern.source) from exc
