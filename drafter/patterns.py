"""Patterns from guideline files, compiled once and matched with a time limit.

Guideline authors write regular expressions; a careless one (nested quantifiers) can backtrack for
seconds. Every match runs through the ``regex`` module's ``timeout`` so typing never freezes; a pattern
that hits the limit raises :class:`PatternTimeout`, which the checker reports once and then skips.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

import regex

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


def _compile(pattern: str, flags: int) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern, flags)
    except regex.error as exc:
        raise PatternSyntaxError(f"pattern does not compile: {exc}") from exc
    except (OverflowError, RecursionError) as exc:
        raise PatternSyntaxError("pattern is too large") from exc


class SafePattern:
    """A compiled pattern whose searches are bounded in time.

    :meth:`any_of` builds the alternation ``a|b|c`` of several patterns. The ``regex`` module searches a
    single pattern for its literal parts with a fast string search, but an alternation is tried branch by
    branch at every position of the text (a 3,000-character post took milliseconds). So the parts are also
    compiled on their own, each is searched separately, and the results are merged exactly as the
    alternation would pick them: the leftmost match, and at equal starts the earlier part.
    """

    __slots__ = ("_bounded", "_compiled", "_parts", "source", "timeout")

    def __init__(self, pattern: str, *, ignorecase: bool = False, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._compiled = _compile(pattern, _flags(ignorecase))
        self._parts: tuple[regex.Pattern[str], ...] | None = None
        #: True when the pattern provably cannot backtrack without bound: it then runs without the timer,
        #: whose per-match cost (about 0.6 µs) dominates on texts with many hits.
        self._bounded = cannot_backtrack(pattern)
        self.source = pattern
        self.timeout = timeout

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
        if self._bounded and self._parts is None:
            return self._compiled.finditer(text)
        return self._timed_finditer(text)

    def _timed_finditer(self, text: str) -> Iterator[regex.Match[str]]:
        try:
            found = self._split_finditer(text) if self._parts is not None else None
            if found is not None:
                yield from found
            else:
                yield from self._compiled.finditer(text, timeout=self.budget(text))
        except TimeoutError as exc:
            raise PatternTimeout(self.source) from exc

    def search(self, text: str) -> regex.Match[str] | None:
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

    def _split_finditer(self, text: str) -> list[regex.Match[str]] | None:
        """All matches of the alternation from the separately searched parts; None when an empty match
        comes up (the alternation's own iteration then decides how to step past it)."""
        assert self._parts is not None
        parts = self._parts
        deadline = time.monotonic() + self.budget(text)  # one limit for the whole iteration, as finditer has
        pending = [p.search(text, timeout=_left(deadline)) for p in parts]  # each part's next match
        out: list[regex.Match[str]] = []
        pos = 0
        while True:
            best: regex.Match[str] | None = None
            for index, m in enumerate(pending):
                if m is not None and m.start() < pos:  # overlaps the previous match: search on from there
                    m = pending[index] = parts[index].search(text, pos, timeout=_left(deadline))
                if m is not None and (best is None or m.start() < best.start()):
                    best = m
            if best is None:
                return out
            if best.end() == best.start():
                return None
            out.append(best)
            pos = best.end()


_MAX_CHOICES = 16


def cannot_backtrack(pattern: str) -> bool:
    """Whether ``pattern`` provably runs in time linear in the text: no repetition beyond ``?``, no
    back-references, and at most a few optional parts and alternatives. The structure is read with
    Python's own regular-expression parser; anything it cannot read (``\\p{L}``, ``\\X``, …) counts as
    possibly slow and keeps the timer."""
    import importlib

    try:
        c: Any = importlib.import_module("re._constants")  # the stdlib's parser (Python 3.11+)
        tree = importlib.import_module("re._parser").parse(pattern)
    except Exception:
        return False
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


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("pattern time limit reached")
    return left


def _flags(ignorecase: bool) -> int:
    return regex.V0 | (regex.IGNORECASE | regex.FULLCASE if ignorecase else 0)
