"""Patterns from guideline files, compiled once and matched with a time limit.

Guideline authors write regular expressions; a careless one (nested quantifiers) can backtrack for
seconds. Every match runs through the ``regex`` module's ``timeout`` so typing never freezes; a pattern
that hits the limit raises :class:`PatternTimeout`, which the checker reports once and then skips.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

#: Time limit for one pattern over one text, in seconds.
DEFAULT_TIMEOUT = 0.05


class PatternTimeout(Exception):
    def __init__(self, pattern: str) -> None:
        super().__init__(pattern)
        self.pattern = pattern


class PatternSyntaxError(ValueError):
    pass


def word_bounded(literal_or_pattern: str, *, escape: bool) -> str:
    """Add word boundaries where the token starts/ends with a word character (so '1&1' or '#Tag' work)."""
    body = regex.escape(literal_or_pattern, literal_spaces=True) if escape else literal_or_pattern
    probe = literal_or_pattern
    head = r"(?<![\w])" if (escape and probe[:1].isalnum()) or not escape else ""
    tail = r"(?![\w])" if (escape and probe[-1:].isalnum()) or not escape else ""
    return f"{head}(?:{body}){tail}"


class SafePattern:
    """A compiled pattern whose searches are bounded in time."""

    __slots__ = ("_compiled", "source", "timeout")

    def __init__(self, pattern: str, *, ignorecase: bool = False, timeout: float = DEFAULT_TIMEOUT) -> None:
        flags = regex.V0 | (regex.IGNORECASE | regex.FULLCASE if ignorecase else 0)
        try:
            self._compiled = regex.compile(pattern, flags)
        except regex.error as exc:
            raise PatternSyntaxError(f"pattern does not compile: {exc}") from exc
        except (OverflowError, RecursionError) as exc:
            raise PatternSyntaxError("pattern is too large") from exc
        self.source = pattern
        self.timeout = timeout

    def finditer(self, text: str) -> Iterator[regex.Match[str]]:
        try:
            yield from self._compiled.finditer(text, timeout=self.timeout)
        except TimeoutError as exc:
            raise PatternTimeout(self.source) from exc

    def search(self, text: str) -> regex.Match[str] | None:
        try:
            return self._compiled.search(text, timeout=self.timeout)
        except TimeoutError as exc:
            raise PatternTimeout(self.source) from exc
