"""Patterns from guideline files, compiled once and matched with a time limit.

Guideline authors write regular expressions; a careless one (nested quantifiers) can backtrack for
seconds. Every search of a pattern that is not provably linear runs with the ``regex`` module's
``timeout``, so typing never freezes; long texts are searched in windows (each with its own limit), so a
pattern that is merely busy on a long paste does not reach the limit. A pattern that hits it raises
:class:`PatternTimeout`; the checker skips that rule for that one text and reports it.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator, Sequence
from typing import Any

import regex

from drafter import literals

#: Time limit for one pattern over a post-sized text, in seconds. Longer texts (``drafter lint`` on a
#: whole file) get :data:`PER_KILOCHAR` more per 1,000 characters, so a busy machine does not switch off
#: an innocent pattern on a long input while typing in a post stays bounded at about 50 ms.
DEFAULT_TIMEOUT = 0.05
PER_KILOCHAR = 0.002


class PatternTimeout(Exception):
    def __init__(self, pattern: str) -> None:
        super().__init__(pattern)
        self.pattern = pattern


class PatternSyntaxError(ValueError):
    pass


def word_bounded(literal_or_pattern: str, *, escape: bool) -> str:
    """Add word boundaries where the token starts/ends with a word character (so '1&1' or '#Tag' work)."""
    # a space in a literal token matches any run of white space, line breaks included
    body = regex.escape(literal_or_pattern, literal_spaces=True).replace(" ", r"\s+") if escape else literal_or_pattern
    probe = literal_or_pattern
    head = r"(?<![\w])" if (escape and probe[:1].isalnum()) or not escape else ""
    tail = r"(?![\w])" if (escape and probe[-1:].isalnum()) or not escape else ""
    return f"{head}(?:{body}){tail}"


#: Constructs whose meaning depends on the rest of the pattern (group numbers, recursion, conditionals,
#: ``\G``): an alternation containing one is never split into separately searched parts.
_CONTEXT_DEPENDENT = regex.compile(r"\\[1-9gGk]|\(\?(?:P[=>]|[&R0-9+-]|\()")


#: what compiles a pattern: ``regex.compile``; once a guideline set came from the cache (whose patterns are
#: stored compiled), :func:`drafter.pattern_cache.compile_regex`, which keeps the patterns compiled later —
#: cue parts a post first needs, slow ones took ~14 ms — compiled for the next process too
compiler = regex.compile


#: at most this many pattern items once counted repetitions are written out: ``regex`` unrolls a counted
#: repetition when it compiles (``a{4294967294}`` took gigabytes and minutes, ``(?:(?:a{99}){99}){99}`` 0.7 s;
#: a hostile probe); the largest bundled pattern stays far below
MAX_EXPANSION = 50_000
_COUNT = regex.compile(r"\{(\d*)(?:,(\d*))?\}")


def expansion(pattern: str) -> int:
    """An upper estimate of the items ``pattern`` holds with its counted repetitions (``{n}``, ``{n,m}``)
    written out: each item counts once, times the larger count of every repetition around it (an unbounded
    one, ``{n,}``, ``*`` or ``+``, counts its lower bound or once). Cheap and without the compiler, so a
    pattern too large to compile safely is refused before it is compiled."""
    stack: list[int] = [0]  # items so far, per open group
    last = 0  # the items of the last atom (an item or a group), which a count repeats
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            if pattern[i - 1 : i] in ("p", "P", "N", "x", "u", "U") and pattern[i : i + 1] == "{":
                close = pattern.find("}", i)
                i = n if close < 0 else close + 1
            stack[-1] += 1
            last = 1
            continue
        if c == "[":  # a class is one item; "]" first in it, and escapes in it, do not end it
            j = i + 1
            if pattern[j : j + 1] == "^":
                j += 1
            if pattern[j : j + 1] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
            stack[-1] += 1
            last = 1
            continue
        if c == "(":
            stack.append(0)
            i += 1
            continue
        if c == ")":
            inner = stack.pop() if len(stack) > 1 else 0
            stack[-1] += inner
            last = inner
            i += 1
            continue
        if c == "{":
            m = _COUNT.match(pattern, i)
            if m is not None and (m.group(1) or m.group(2)):
                low = int(m.group(1) or 0)
                high = int(m.group(2)) if m.group(2) else low
                times = max(low, high, 1)
                if times > MAX_EXPANSION:
                    return times
                stack[-1] += last * (times - 1)
                last *= times
                if stack[-1] > MAX_EXPANSION:
                    return stack[-1]
                i = m.end()
                continue
        stack[-1] += 1
        last = 1
        i += 1
    return sum(stack)


def _compile(pattern: str, flags: int) -> regex.Pattern[str]:
    size = expansion(pattern)
    if size > MAX_EXPANSION:
        raise PatternSyntaxError(
            f"pattern is too large: its counted repetitions make about {size:,} items (at most {MAX_EXPANSION:,})"
        )
    try:
        return compiler(pattern, flags)
    except regex.error as exc:
        raise PatternSyntaxError(f"pattern does not compile: {exc}") from exc
    except (OverflowError, RecursionError, MemoryError) as exc:
        raise PatternSyntaxError("pattern is too large") from exc


#: a pattern searched with the time limit is tried at single start positions only when there are at most
#: this many: every call with a time limit costs several microseconds (a plain search from the first
#: possible start is cheaper then)
_TIMED_STARTS = 1

#: Texts longer than this are searched in windows of :data:`CHUNK` characters (plus :data:`OVERLAP`), each
#: with its own time limit: a pattern that is merely slow per character then cannot reach the limit on a
#: long paste, and one that is catastrophically slow is caught in the first window.
CHUNK_THRESHOLD = 8192
CHUNK = 4096
#: a match may start anywhere in a window's first :data:`CHUNK` characters and run this far beyond it
#: (longer matches are still found when the pattern matches their cut-off start)
OVERLAP = 1024
#: a match ending this close to a window's end may have been cut short, or judged by a look-ahead that
#: could not see far enough: it is searched again in the next window
MARGIN = 64


class SafePattern:
    """A compiled pattern whose searches are bounded in time.

    :meth:`any_of` builds the alternation ``a|b|c`` of several patterns. The ``regex`` module searches a
    single pattern for its literal parts with a fast string search, but an alternation is tried branch by
    branch at every position of the text (a 3,000-character post took milliseconds). So the parts are also
    compiled on their own, each is searched separately, and the results are merged exactly as the
    alternation would pick them: the leftmost match, and at equal starts the earlier part.

    A pattern that must contain a character the text lacks (the ``@`` of an e-mail address) is not run at
    all (:func:`required_char`).
    """

    __slots__ = (
        "_bounded",
        "_compiled",
        "_ignorecase",
        "_parts",
        "_required",
        "_starts",
        "_work",
        "source",
        "timeout",
    )

    def __init__(self, pattern: str, *, ignorecase: bool = False, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.source = pattern
        self._compiled = _compile(pattern, _flags(ignorecase))
        self._parts: tuple[regex.Pattern[str], ...] | None = None
        #: True when the pattern provably cannot backtrack without bound: it then runs without the timer,
        #: whose per-match cost (about 0.6 µs) dominates on texts with many hits.
        self._bounded = cannot_backtrack(pattern)
        #: characters one of which every match contains (one character: :func:`required_char`, else
        #: :func:`required_class`)
        self._required = required_char(pattern) or required_class(pattern)
        #: whether the pattern ignores case as a whole (also by an inline ``(?i)``): its start texts are then
        #: case-folded and found in the folded text
        self._ignorecase = ignorecase or bool(self._compiled.flags & regex.IGNORECASE)
        #: where a match can start, when the structure says (see :func:`start_rule`)
        self._starts = start_rule(pattern, ignorecase=ignorecase)
        self.timeout = timeout
        #: for a text of up to each of :data:`WORK_SIZES` characters, at how many start positions the
        #: pattern may be tried without the timer (see :meth:`untimed_at`); worked out on first use
        self._work: tuple[int, int] | None = None

    def __setstate__(self, state: tuple[Any, dict[str, Any]]) -> None:
        """Unpickled (a cached guideline set, :mod:`drafter.guideline_cache`): the fixed text a match starts
        with is registered with the literal pass again, as when the pattern was compiled; unregistered, the
        pattern would be searched at every position."""
        for name, value in state[1].items():
            object.__setattr__(self, name, value)
        register_starts(self._starts, ignorecase=self._ignorecase)

    def untimed_starts(self) -> tuple[int, int]:
        """For a text of up to each of :data:`WORK_SIZES` characters, at how many start positions the
        pattern may be tried without the timer: :data:`UNTIMED_STEPS` over the bound of the engine's steps
        for one attempt (see :func:`attempt_work`); 0 where there is no bound. Computed only for a pattern
        with a start rule that is not linear anyway: no other asks."""
        if self._starts is None or self._bounded:
            return (0, 0)
        small, large = (attempt_work(self.source, ignorecase=self._ignorecase, size=size) for size in WORK_SIZES)
        return (
            0 if small is None else int(UNTIMED_STEPS // max(small, 1.0)),
            0 if large is None else int(UNTIMED_STEPS // max(large, 1.0)),
        )

    def untimed_at(self, starts: int, length: int) -> bool:
        """Whether trying the pattern at ``starts`` start positions of a text of ``length`` characters is
        provably cheap (at most :data:`UNTIMED_STEPS` steps of the engine in all, see :func:`attempt_work`):
        the time limit, whose set-up costs more than such a try, is then left out."""
        work = self._work
        if work is None:  # two threads may both work it out: harmless, the result is the same
            work = self._work = self.untimed_starts()
        if length <= WORK_SIZES[0]:
            return starts <= work[0]
        return length <= WORK_SIZES[1] and starts <= work[1]

    @property
    def timed(self) -> bool:
        """Whether searches run with the time limit (the pattern is not provably linear)."""
        return not self._bounded or self._parts is not None

    def budget(self, text: str) -> float:
        """The time limit for searching ``text``."""
        return self.timeout + len(text) * PER_KILOCHAR / 1000

    @classmethod
    def any_of(cls, parts: Sequence[str], *, ignorecase: bool = False, timeout: float = DEFAULT_TIMEOUT) -> SafePattern:
        """The alternation of ``parts`` (in this order of preference), searched part by part when that is
        equivalent: no part refers to groups or recursion, and no part sets a flag for the whole pattern."""
        combined = cls("|".join(parts), ignorecase=ignorecase, timeout=timeout)
        if len(parts) > 1 and not any(_CONTEXT_DEPENDENT.search(p) for p in parts):
            compiled = tuple(_compile(p, _flags(ignorecase)) for p in parts)
            if all(c.flags == combined._compiled.flags for c in compiled):
                combined._parts = compiled
        return combined

    def finditer(self, text: str) -> Iterator[regex.Match[str]]:
        """All non-overlapping matches, left to right. Raises :class:`PatternTimeout` (when the iteration
        reaches a match past the limit; matches found before it are yielded first)."""
        if self._required is not None and _lacks(text, self._required):
            return iter(())
        if self._parts is None and (self._bounded or len(text) <= CHUNK_THRESHOLD):
            starts = self.starts(text)
            if starts is not None:
                if not starts:  # the fixed text or character every match starts with is not there
                    return iter(())
                if self._bounded or len(starts) <= _TIMED_STARTS or self.untimed_at(len(starts), len(text)):
                    return self._finditer_at(text, starts)
                return self._timed_finditer(text, starts[0])  # nothing can match before the first start
        if self._bounded and self._parts is None:
            return self._compiled.finditer(text)
        if len(text) > CHUNK_THRESHOLD:
            return self._chunked_finditer(text)
        return self._timed_finditer(text)

    def starts(self, text: str) -> list[int] | None:
        """The positions of ``text`` where a match can start (ascending; a superset), or None when
        the pattern has no start rule or trying them one by one would not be cheaper than a search."""
        rule = self._starts
        if rule is None:
            return None
        kind, value = rule
        if kind == "text":
            # the literal pass runs over the folded text; the few patterns that match case use plain searches
            found = literals.text_starts(value, text) if self._ignorecase else literals.positions(text, value)
        elif kind == "chars":
            found = _char_positions(text, value)
        elif kind == "prefix":
            found = _prefix_positions(text, value)
        elif kind == "lines":
            found = _line_starts(text) if value else [0]
        else:
            found = _run_positions(text, value)
        return found if found is not None and len(found) <= literals.max_starts(text) else None

    def _finditer_at(self, text: str, starts: list[int]) -> Iterator[regex.Match[str]]:
        """The matches of a plain search, tried only at ``starts``: a search tries every position from
        left to right and takes the first that matches, and no other position can match. Every match is
        non-empty (it holds the fixed text or character its start rule is built on)."""
        compiled = self._compiled
        pos = 0
        if self._bounded or self.untimed_at(len(starts), len(text)):
            for at in starts:
                if at >= pos:
                    m = compiled.match(text, at)
                    if m is not None:
                        yield m
                        pos = m.end()
            return
        deadline = time.monotonic() + self.budget(text)
        try:
            for at in starts:
                if at >= pos:
                    m = compiled.match(text, at, timeout=_left(deadline))
                    if m is not None:
                        yield m
                        pos = m.end()
        except TimeoutError as exc:
            raise PatternTimeout(self.source) from exc

    def _timed_finditer(self, text: str, pos: int = 0) -> Iterator[regex.Match[str]]:
        try:
            found = self._split_finditer(text, pos, len(text), time.monotonic() + self.budget(text))
            if found is not None:
                yield from found
            else:
                yield from self._compiled.finditer(text, pos, timeout=self.budget(text))
        except TimeoutError as exc:
            raise PatternTimeout(self.source) from exc

    def _window(self, text: str, pos: int, endpos: int) -> list[regex.Match[str]]:
        """The matches in ``text[pos:endpos]`` (the text around it still visible to look-arounds at ``pos``),
        within one window's time limit."""
        limit = self.timeout + (endpos - pos) * PER_KILOCHAR / 1000
        found = self._split_finditer(text, pos, endpos, time.monotonic() + limit)
        if found is None:
            found = list(self._compiled.finditer(text, pos, endpos, timeout=limit))
        return found

    def _chunked_finditer(self, text: str) -> Iterator[regex.Match[str]]:
        """Matches of a long text, window by window. A window accepts matches that start in its first
        :data:`CHUNK` characters; one that reaches the window's end may be cut short there, so the next
        window starts at it and sees it whole (up to :data:`OVERLAP` characters past its own chunk)."""
        n = len(text)
        pos = 0
        try:
            while pos < n:
                endpos = min(n, pos + CHUNK + OVERLAP)
                accept = pos + CHUNK if endpos < n else n
                following = accept
                for m in self._window(text, pos, endpos):
                    start, end = m.span()
                    if start >= accept or (end > endpos - MARGIN and endpos < n and start > pos):
                        following = start
                        break
                    yield m
                    following = max(accept, end if end > start else start + 1)
                pos = following
        except TimeoutError as exc:
            raise PatternTimeout(self.source) from exc

    def search(self, text: str) -> regex.Match[str] | None:
        if self._required is not None and _lacks(text, self._required):
            return None
        if self._parts is None and (self._bounded or len(text) <= CHUNK_THRESHOLD):
            starts = self.starts(text)
            if starts is not None:
                if not starts:
                    return None
                if self._bounded or len(starts) <= _TIMED_STARTS or self.untimed_at(len(starts), len(text)):
                    return next(self._finditer_at(text, starts), None)
                return next(self._timed_finditer(text, starts[0]), None)
        if self._bounded and self._parts is None:
            return self._compiled.search(text)
        if len(text) > CHUNK_THRESHOLD:
            return next(self._chunked_finditer(text), None)
        try:
            if self._parts is None:
                return self._compiled.search(text, timeout=self.budget(text))
            deadline = time.monotonic() + self.budget(text)  # one time limit for all parts together
            best: regex.Match[str] | None = None
            for part in self._parts:
                m = part.search(text, timeout=_left(deadline))
                if m is not None and (best is None or m.start() < best.start()):
                    best = m
            return best
        except TimeoutError as exc:
            raise PatternTimeout(self.source) from exc

    def _split_finditer(self, text: str, start: int, endpos: int, deadline: float) -> list[regex.Match[str]] | None:
        """All matches of the alternation in ``text[start:endpos]`` from the separately searched parts; None
        when the pattern is not split, or an empty match comes up (the alternation's own iteration then
        decides how to step past it)."""
        if self._parts is None:
            return None
        parts = self._parts
        pending = [p.search(text, start, endpos, timeout=_left(deadline)) for p in parts]  # each part's next match
        out: list[regex.Match[str]] = []
        pos = start
        while True:
            best: regex.Match[str] | None = None
            for index, m in enumerate(pending):
                if m is not None and m.start() < pos:  # overlaps the previous match: search on from there
                    m = pending[index] = parts[index].search(text, pos, endpos, timeout=_left(deadline))
                if m is not None and (best is None or m.start() < best.start()):
                    best = m
            if best is None:
                return out
            if best.end() == best.start():
                return None
            out.append(best)
            pos = best.end()


_MAX_CHOICES = 16
#: a ``{…}`` that is a plain repeat count (``{3}``, ``{2,}``, ``{,5}``, ``{2,5}``); any other brace may be a
#: ``regex`` fuzzy constraint (``{e<=2}``), which Python's parser reads as literal text
_REPEAT_COUNT = regex.compile(r"\{\d*(?:,\d*)?\}")


@functools.lru_cache(maxsize=4096)  # a rule's pattern is read by several helpers (linear? required text?)
def _parse(pattern: str) -> tuple[Any, Any] | None:
    r"""(constants, tree) of ``pattern`` read by Python's own parser, or None when that parser cannot read it
    or may read it differently from ``regex``, which runs it: a brace that is not a repeat count (fuzzy
    matching), and everything Python refuses (``\p{L}``, ``\X``, ``(?r)``, ``(?R)``, ``(?V1)``, named
    lists, …)."""
    import importlib

    if "{" in _REPEAT_COUNT.sub("", pattern):
        return None
    try:
        c: Any = importlib.import_module("re._constants")  # the stdlib's parser (Python 3.11+)
        tree = importlib.import_module("re._parser").parse(pattern)
    except Exception:
        return None
    return c, tree


#: texts a pattern Python's parser cannot read is tried on, to tell whether it matches the empty text somewhere
_EMPTY_PROBES = ("", "x", "X", "1", " ", "\n", "#", "Ab1 #x\nÄ. ", "€")


def can_match_empty(pattern: str, compiled: regex.Pattern[str] | None = None) -> bool:
    """Whether ``pattern`` can match the empty text (``''``, ``(?=x)``, ``^``, ``a?``): such a cue "occurs" at
    positions that hold nothing, so a rule with it fires on every post (a hostile probe's ``certain: {patterns:
    ['']}``). Python's parser knows the least width (its reading is cached: the linearity check has made it);
    for what it cannot read, a few probe texts are tried on ``compiled`` (the pattern as already compiled; case
    does not change whether a match can be empty)."""
    parsed = _parse(pattern)
    if parsed is not None:
        return bool(parsed[1].getwidth()[0] == 0)
    if compiled is None:
        compiled = _compile(pattern, 0)
    try:
        return any(m.end() == m.start() for text in _EMPTY_PROBES for m in compiled.finditer(text, timeout=0.1))
    except TimeoutError:  # slow on a short probe: the time check of `drafter guidelines check` reports it
        return False


def cannot_backtrack(pattern: str) -> bool:
    """Whether ``pattern`` provably runs in time linear in the text: no repetition beyond ``?``, no
    back-references, and at most a few optional parts and alternatives. The structure is read with
    Python's own regular-expression parser; anything it cannot read, or may read differently from
    ``regex`` (see :func:`_parse`), counts as possibly slow and keeps the timer."""
    parsed = _parse(pattern)
    if parsed is None:
        return False
    c, tree = parsed
    repeats = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}
    choices = 0

    def walk(items: Any) -> bool:
        nonlocal choices
        for op, av in items:
            if op in repeats:
                _low, high, sub = av
                if high > 1:
                    return False
                choices += 1
                if not walk(sub):
                    return False
            elif op is c.SUBPATTERN:
                if not walk(av[3]):
                    return False
            elif op is c.BRANCH:
                choices += len(av[1])
                if not all(walk(branch) for branch in av[1]):
                    return False
            elif op in (c.ASSERT, c.ASSERT_NOT):
                if not walk(av[1]):
                    return False
            elif op is getattr(c, "ATOMIC_GROUP", None):
                if not walk(av):
                    return False
            elif op in (c.GROUPREF, c.GROUPREF_EXISTS):
                return False
        return choices <= _MAX_CHOICES

    return walk(tree)


#: the most steps of the engine (see :func:`attempt_work`) a search may take without the time limit: a few
#: milliseconds at most, well below :data:`DEFAULT_TIMEOUT`
UNTIMED_STEPS = 2_000_000
#: the text lengths :func:`attempt_work` bounds are computed for: a post, and the longest text searched
#: at start positions (longer ones are searched in windows, with the time limit)
WORK_SIZES = (4096, CHUNK_THRESHOLD)
#: a bounded repetition of more than a single character is unrolled into this many copies at most
_MAX_UNROLL = 16
_SINGLE = ("LITERAL", "NOT_LITERAL", "ANY", "IN")


def attempt_work(pattern: str, *, ignorecase: bool, size: int = CHUNK_THRESHOLD) -> float | None:
    r"""An upper bound of the steps a backtracking engine takes trying ``pattern`` at one position of a
    text of at most ``size`` characters, or None when there is none (the pattern could backtrack without
    bound, or its structure cannot be read safely, see :func:`_parse`).

    Each part of the pattern is given (work, outcomes): the steps it takes at most to find all the ways it
    can match at one position, and how many ways (end positions, tried one after another when what follows
    fails) there are at most. A character or class: (1, 1); a run of literals: (length, 1), or (length, 2)
    when it ignores case and holds letters (it may match a different number of characters: "ss" and "ß");
    a sequence: the work of each part once for every outcome of the parts before it; an alternative: the
    sums of its branches; a look-around or atomic group: its work, one outcome; a repetition of one
    character: at most ``size`` steps and, unless possessive (``*+``, ``++``), one outcome for every count
    it may give back — only one when what follows must start with a character it cannot take (``\s+``
    before a letter: every shorter count fails on the next character at once); any other repetition:
    unrolled when bounded by :data:`_MAX_UNROLL`, else None. Back-references and conditionals give None.
    A look-behind is read from its end, as the engine matches it. The bound assumes every part matches,
    so it holds for every text: a pattern whose bound is small enough runs without the timer
    (:meth:`SafePattern.untimed_at`)."""
    parsed = _parse(pattern)
    if parsed is None:
        return None
    c, tree = parsed
    n = float(size)
    repeats = {c.MAX_REPEAT, c.MIN_REPEAT}
    possessive = getattr(c, "POSSESSIVE_REPEAT", None)
    atomic = getattr(c, "ATOMIC_GROUP", None)
    single = {getattr(c, name) for name in _SINGLE}
    space_categories = {c.CATEGORY_SPACE}
    solid_categories = {c.CATEGORY_DIGIT, c.CATEGORY_WORD, c.CATEGORY_NOT_SPACE}
    white = {ord(ch) for ch in literals.WHITESPACE}

    def caseless(av: Any) -> bool:
        ch = chr(av)
        return ch.lower() == ch.upper() == ch.casefold() == ch

    def kind(op: Any, av: Any) -> str | None:
        """'space' when a single-character item matches only white space, 'solid' when it matches none,
        else None (white space has no case: ignoring case does not change this)."""
        if op is c.LITERAL:
            return "space" if av in white else "solid"
        if op is not c.IN:
            return None
        members = list(av)
        negate = bool(members) and members[0][0] is c.NEGATE
        if negate:
            members = members[1:]
        spaces = solids = 0
        for k, value in members:
            if k is c.LITERAL:
                spaces, solids = (spaces + 1, solids) if value in white else (spaces, solids + 1)
            elif k is c.RANGE:
                if any(value[0] <= w <= value[1] for w in white):
                    spaces += 1
                    solids += 1
                else:
                    solids += 1
            elif k is c.CATEGORY and value in space_categories:
                spaces += 1
            elif k is c.CATEGORY and value in solid_categories:
                solids += 1
            else:
                return None
        if negate:  # the complement: free of white space when every white-space character is excluded
            return "solid" if any(k is c.CATEGORY and v in space_categories for k, v in members) else None
        if spaces and not solids:
            return "space"
        return "solid" if solids and not spaces else None

    def first_kind(items: Any, reverse: bool) -> str | None:
        """The kind (see ``kind``) of every first character of ``items`` (read from the end when
        ``reverse``), when they share one and the items cannot match the empty string before it."""
        items = list(items)
        if not items:
            return None
        op, av = items[-1] if reverse else items[0]
        if op in single:
            return kind(op, av)
        if op is c.SUBPATTERN:
            return first_kind(av[3], reverse)
        if op is c.BRANCH:
            kinds = {first_kind(branch, reverse) for branch in av[1]}
            return kinds.pop() if len(kinds) == 1 else None
        if op in repeats or (possessive is not None and op is possessive):
            return first_kind(av[2], reverse) if av[0] >= 1 else None
        return None

    def ordered(items: Any, reverse: bool) -> list[Any]:
        return list(items)[::-1] if reverse else list(items)

    def fails_on(items: list[Any], own: str, folding: bool, reverse: bool) -> float | None:
        """The work of ``items`` (in the order the engine reads them) failing at a position whose
        character is of the kind ``own`` (see ``kind``), when they must: zero-width assertions (their whole
        work), optional parts that cannot start with such a character, then a required part that cannot
        either. None when they might not fail there."""
        other = "solid" if own == "space" else "space"
        cost = 0.0
        for op, av in items:
            if op in (c.ASSERT, c.ASSERT_NOT):
                found = item(op, av, folding, reverse, [])
                if found is None:
                    return None
                cost += found[0]
                continue
            if op is c.AT:
                cost += 1
                continue
            if op in single:
                return cost + 1 if kind(op, av) == other else None
            inner: float | None
            if op is c.SUBPATTERN:
                inner = fails_on(ordered(av[3], reverse), own, folding, reverse)
            elif op is atomic:
                inner = fails_on(ordered(av, reverse), own, folding, reverse)
            elif op is c.BRANCH:
                parts = [fails_on(ordered(branch, reverse), own, folding, reverse) for branch in av[1]]
                inner = None if any(p is None for p in parts) else sum(p for p in parts if p is not None)
            elif op in repeats or op is possessive:
                inner = fails_on(ordered(av[2], reverse), own, folding, reverse)
                if inner is not None and av[0] == 0:  # it matches zero times: what follows is tried
                    cost += inner
                    continue
            else:
                return None
            return None if inner is None else cost + inner
        return None

    def seq(items: list[Any], folding: bool, reverse: bool, after: list[Any]) -> tuple[float, float] | None:
        """(work, outcomes) of ``items`` (in the order the engine reads them), followed by ``after``."""
        work, ways = 0.0, 1.0
        i = 0
        while i < len(items):
            op, av = items[i]
            found: tuple[float, float] | None
            if op is c.LITERAL:
                # a run of literals: one string for the engine
                j = i
                cased = False
                while j < len(items) and items[j][0] is c.LITERAL:
                    cased = cased or not caseless(items[j][1])
                    j += 1
                found = (float(j - i), 2.0 if folding and cased else 1.0)
                i = j
            else:
                rest = items[i + 1 :] + after
                found = item(op, av, folding, reverse, rest)
                if found is not None and found[1] > 1 and op in repeats and len(av[2]) == 1:
                    # a run of one character that may give back: when what follows must take a character
                    # the run cannot, every shorter count fails there at once (after what follows has
                    # tried, and failed, to start at that position)
                    own = kind(*av[2][0])
                    apart = None if own is None else fails_on(rest, own, folding, reverse)
                    if apart is not None:
                        found = (found[0] + found[1] * apart, 1.0)
                i += 1
            if found is None:
                return None
            work += ways * found[0]
            ways *= found[1]
        return work, ways

    def item(op: Any, av: Any, folding: bool, reverse: bool, after: list[Any]) -> tuple[float, float] | None:
        """(work, outcomes) of one part, followed by ``after``."""
        if op in single or op is c.AT:
            return 1.0, 1.0
        if op is c.SUBPATTERN:
            _group, add, remove, sub = av
            inner = (folding or bool(add & c.SRE_FLAG_IGNORECASE)) and not remove & c.SRE_FLAG_IGNORECASE
            return seq(ordered(sub, reverse), inner, reverse, after)
        if op is c.BRANCH:
            work, ways = 0.0, 0.0
            for branch in av[1]:
                found = seq(ordered(branch, reverse), folding, reverse, after)
                if found is None:
                    return None
                work, ways = work + found[0], ways + found[1]
            return work, ways
        if op in (c.ASSERT, c.ASSERT_NOT):
            back = av[0] < 0  # a look-behind is matched from its end
            found = seq(ordered(av[1], back), folding, back, [])
            return None if found is None else (found[0], 1.0)
        if atomic is not None and op is atomic:
            found = seq(ordered(av, reverse), folding, reverse, [])
            return None if found is None else (found[0], 1.0)
        if op in repeats or (possessive is not None and op is possessive):
            low, high, sub = av
            top = min(float(high), n) if high != c.MAXREPEAT else n
            if len(sub) == 1 and sub[0][0] in single:
                # one character at a time: a run scanned once; each count it may give back is one way
                return top, 1.0 if op is possessive else top - low + 1
            if high == c.MAXREPEAT or high > _MAX_UNROLL:
                return None
            # unrolled: ``low`` copies, then ``high - low`` optional ones; a copy is followed by another one
            # or by what follows the repetition
            again = [(c.MAX_REPEAT, (0, high, sub))] + (after if op is not possessive else [])
            once = seq(ordered(sub, reverse), folding, reverse, again)
            if once is None:
                return None
            work, ways = 0.0, 1.0
            for k in range(high):
                step = once if k < low else (once[0] + 1, once[1] + 1)
                work += ways * step[0]
                ways *= step[1]
            return (work, 1.0) if op is possessive else (work, ways)
        return None  # a back-reference, a conditional, anything unknown

    folding = ignorecase or bool(tree.state.flags & c.SRE_FLAG_IGNORECASE)
    found = seq(list(tree), folding, False, [])
    return None if found is None else found[0]


def start_rule(pattern: str, *, ignorecase: bool) -> tuple[str, Any] | None:
    """Where a match of ``pattern`` can start, from its structure (see :mod:`drafter.literals`):

    - ``("text", t)``: every match starts with the fixed text ``t`` (case-folded when ignoring case, and
      then found by the one literal pass over the folded text, and registered with it here);
    - ``("chars", set)``: every match starts with one of a few caseless characters (``+``, ``(``, ``0``);
    - ``("run", ch)``: every match holds the caseless character ``ch`` and no white space, so it starts in
      a white-space-free run holding ``ch`` (an e-mail address and its ``@``);
    - ``("lines", multiline)``: the pattern starts with ``^``: every match starts at a line start (after a
      line feed, the only line break of ``^`` in the ``regex`` module's version 0), or at the text's start
      without ``(?m)``.

    None when there is no such rule or the structure cannot be read safely (see :func:`_parse`)."""
    parsed = _parse(pattern)
    if parsed is None:
        return None
    c, tree = parsed
    if tree.state.flags & c.SRE_FLAG_IGNORECASE:
        ignorecase = True
    text = literals.leading_text(tree, c, ignorecase=ignorecase)
    if text is not None:
        rule = ("text", text)
        register_starts(rule, ignorecase=ignorecase)
        return rule
    chars = literals.first_chars(tree, c)
    if chars is not None:
        return ("chars", "".join(sorted(chars)))
    required = required_char(pattern)
    if required is not None and literals.consumes_no_whitespace(tree, c):
        return ("run", required)
    if not ignorecase:
        prefix = _leading_classes(tree, c)
        if prefix is not None:
            return ("prefix", regex.compile(prefix, regex.V0))
    if len(tree) and tree[0] == (c.AT, c.AT_BEGINNING):
        return ("lines", bool(tree.state.flags & c.SRE_FLAG_MULTILINE))
    return None


#: at most this many characters of a pattern's fixed-width start go into its prefilter (see
#: :func:`_leading_classes`)
_PREFIX_ITEMS = 8
_CATEGORY_ESCAPES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


def _leading_classes(tree: Any, c: Any) -> str | None:
    r"""A prefilter for a case-sensitive pattern with no fixed start text or few start characters: the run of
    single characters and character classes every match starts with (after zero-width assertions, which
    only narrow where it matches), as a ``regex`` pattern of its own — an IBAN's ``(?<![\w])[A-Z]{2}\d{2}…``
    gives ``[A-Z]{2}\d{2}``. Every match of the pattern starts where the prefilter matches, so one cheap
    scan (no look-behind tried at every position, fixed width: linear) finds every possible start. None
    when fewer than two characters are fixed that way, or a flag changes what the classes mean."""
    if tree.state.flags & (c.SRE_FLAG_IGNORECASE | c.SRE_FLAG_ASCII | c.SRE_FLAG_LOCALE):
        return None
    repeats = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}

    def one_char(op: Any, av: Any) -> str | None:
        if op is c.LITERAL:
            return f"\\U{av:08x}"
        if op is c.NOT_LITERAL:
            return f"[^\\U{av:08x}]"
        if op is c.IN:
            body: list[str] = []
            negate = False
            for kind, value in av:
                if kind is c.NEGATE and not body and not negate:
                    negate = True
                elif kind is c.LITERAL:
                    body.append(f"\\U{value:08x}")
                elif kind is c.RANGE:
                    body.append(f"\\U{value[0]:08x}-\\U{value[1]:08x}")
                elif kind is c.CATEGORY and str(value) in _CATEGORY_ESCAPES:
                    body.append(_CATEGORY_ESCAPES[str(value)])
                else:
                    return None
            return f"[{'^' if negate else ''}{''.join(body)}]" if body else None
        return None

    out: list[str] = []
    for op, av in tree:
        if len(out) >= _PREFIX_ITEMS:
            break
        if not out and op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue
        if op in repeats:
            low, high, sub = av
            if len(sub) != 1:
                break
            char = one_char(*sub[0])
            if char is None:
                break
            out.extend([char] * min(low, _PREFIX_ITEMS - len(out)))
            if low != high:
                break
            continue
        char = one_char(op, av)
        if char is None:
            break
        out.append(char)
    return "".join(out) if len(out) >= 2 else None


def register_starts(rule: tuple[str, Any] | None, *, ignorecase: bool) -> None:
    """Registers the fixed text of a start rule (see :func:`start_rule`) with the literal pass, when it is
    looked up there (in the folded text, for a pattern that ignores case)."""
    if rule is not None and rule[0] == "text" and ignorecase:
        literals.INDEX.add((rule[1],))


def _char_positions(text: str, chars: str) -> list[int] | None:
    """The positions of any of ``chars`` in ``text``, ascending; None when there are too many."""
    found: list[int] = []
    for ch in chars:
        at = text.find(ch)
        while at >= 0:
            found.append(at)
            if len(found) > literals.max_starts(text):
                return None
            at = text.find(ch, at + 1)
    found.sort()
    return found


def _prefix_positions(text: str, prefix: regex.Pattern[str]) -> list[int] | None:
    """Every position where the prefilter ``prefix`` matches (overlapping), ascending; None when too many."""
    found: list[int] = []
    limit = literals.max_starts(text)
    for m in prefix.finditer(text, overlapped=True):
        found.append(m.start())
        if len(found) > limit:
            return None
    return found


def _line_starts(text: str) -> list[int] | None:
    """0 and every position after a line feed; None when there are too many."""
    found = [0]
    limit = literals.max_starts(text)
    at = text.find("\n")
    while at >= 0:
        found.append(at + 1)
        if len(found) > limit:
            return None
        at = text.find("\n", at + 1)
    return found


_SPACE = regex.compile("[" + "".join(sorted(literals.WHITESPACE)) + "]")
_SPACE_BEFORE = regex.compile("[" + "".join(sorted(literals.WHITESPACE)) + "]", flags=regex.REVERSE)


def _run_positions(text: str, ch: str) -> list[int] | None:
    """Every position of the white-space-free runs of ``text`` that hold ``ch``; None when too many."""
    found: list[int] = []
    at = text.find(ch)
    while at >= 0:
        before = _SPACE_BEFORE.search(text, 0, at)
        after = _SPACE.search(text, at)
        start = before.end() if before is not None else 0
        end = after.start() if after is not None else len(text)
        if end - start + len(found) > literals.max_starts(text):
            return None
        found.extend(range(start, end))
        at = text.find(ch, end)
    return found


def required_char(pattern: str) -> str | None:
    """A character every match of ``pattern`` contains, when one is evident: a literal outside any optional
    part, alternative or look-around, and one without case (``@``, ``#``, digits), so that case-insensitive
    matching cannot change it. None when there is none or the pattern cannot be read (see :func:`_parse`)."""
    parsed = _parse(pattern)
    if parsed is None:
        return None
    c, tree = parsed
    repeats = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}

    def walk(items: Any) -> str | None:
        for op, av in items:
            if op is c.LITERAL:
                char = chr(av)
                if char.lower() == char.upper() == char.casefold() and not char.isspace():
                    return char
            elif op is c.SUBPATTERN:
                found = walk(av[3])
                if found:
                    return found
            elif op in repeats and av[0] >= 1:
                found = walk(av[2])
                if found:
                    return found
            elif op is getattr(c, "ATOMIC_GROUP", None):
                found = walk(av)
                if found:
                    return found
        return None

    return walk(tree)


def _lacks(text: str, required: str) -> bool:
    """Whether ``text`` holds none of the characters ``required``."""
    if len(required) == 1:
        return required not in text
    return not any(ch in text for ch in required)


def required_class(pattern: str) -> str | None:
    r"""The characters of a class every match of ``pattern`` contains one of, when it is evident: a class of
    a few ASCII characters that are neither letters nor white space (``[)\]]``), outside any optional
    part, alternative or look-around; matching with or without case cannot change them. None when there is
    none or the pattern cannot be read (see :func:`_parse`)."""
    parsed = _parse(pattern)
    if parsed is None:
        return None
    c, tree = parsed
    repeats = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}

    def chars_of(av: Any) -> str | None:
        out: list[str] = []
        for kind, value in av:
            if kind is not c.LITERAL:
                return None  # a range, a category, a negated class
            ch = chr(value)
            if not (ch.isascii() and ch.isprintable()) or ch.isalpha() or ch.isspace():
                return None
            out.append(ch)
        return "".join(out) if 0 < len(out) <= _MAX_REQUIRED_CLASS else None

    def walk(items: Any) -> str | None:
        for op, av in items:
            found: str | None = None
            if op is c.IN:
                found = chars_of(av)
            elif op is c.SUBPATTERN:
                found = walk(av[3])
            elif op in repeats and av[0] >= 1:
                found = walk(av[2])
            elif op is getattr(c, "ATOMIC_GROUP", None):
                found = walk(av)
            if found:
                return found
        return None

    return walk(tree)


#: at most this many characters in a class :func:`required_class` reports
_MAX_REQUIRED_CLASS = 4


#: adversarial probe texts for :func:`probe`: long runs of what patterns like to repeat over
PROBES: tuple[str, ...] = (
    "a" * 3000 + "!",
    "1" * 3000 + "x",
    "0 " * 1500 + "x",
    "a." * 1500 + "@",
    "a@" * 1500,
    "x@" + "a." * 1500 + "1",
    "+49 " * 750 + "x",
    "DE89 " * 600 + "!",
    "Aa1-" * 750,
    "abcdefghijklmnopqrstuvwxyz" * 115 + "!",
    "ab " * 1000 + "!",
    "#a" * 1500 + "!",
    "http://a." * 330,
    "ä\u0301" * 1500 + "!",
)
#: a pattern slower than this on a probe is reported by ``drafter guidelines check``
PROBE_BUDGET = 0.05


def probe(pattern: SafePattern, budget: float = PROBE_BUDGET, tries: int = 3) -> float | None:
    """How long ``pattern`` took on the :data:`PROBES` when it exceeded ``budget`` on one of them, else None.

    Measured as this thread's CPU time, so a busy machine does not make a fast pattern look slow; a
    probe over budget is tried again (up to ``tries`` times) and counts only when every try is over it.
    A search is cut off at ten times the budget of wall time."""
    worst = 0.0
    for text in PROBES + _probes_around(pattern):
        best = float("inf")
        for _ in range(tries):
            started = time.thread_time()
            try:
                for _ in pattern._compiled.finditer(text, timeout=10 * budget):
                    pass
            except TimeoutError:
                pass
            best = min(best, time.thread_time() - started)
            if best <= budget:
                break
        worst = max(worst, best)
    return worst if worst > budget else None


def _probes_around(pattern: SafePattern) -> tuple[str, ...]:
    """Probes that hold the fixed text (or character) every match of ``pattern`` starts with, after each
    probe's filler, once (with filler on both sides) and repeated, and after and before a long run of white
    space: a pattern that starts with "€" and looks back over the digits before it is never tried on probes
    without a "€" (the tenth round's hostile probe).
    """
    rule = pattern._starts
    if rule is None or rule[0] not in ("text", "chars"):
        return ()
    fixed = rule[1] if rule[0] == "text" else min(rule[1])
    if not isinstance(fixed, str) or not fixed:
        return ()
    once = tuple(text[:600] + fixed + text[:600] for text in PROBES)
    # a long run of white space before or after it: look-behinds with two adjacent runs of white space
    # ("\s+(?:der)?\s*roadmap") try every split of the run (the fifteenth round's hostile probe)
    spaced = (" " * 6000 + fixed, fixed + " " * 6000)
    return once + tuple((text[:20] + fixed) * 30 for text in PROBES) + spaced


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("pattern time limit reached")
    return left


def _flags(ignorecase: bool) -> int:
    return regex.V0 | (regex.IGNORECASE | regex.FULLCASE if ignorecase else 0)
