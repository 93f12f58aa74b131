"""twitter-text-parser's ``regex_supplant``, with the pattern compiled on first use.

twitter-text-parser builds its URL pattern from about thirty parts (domains, top-level domains, paths,
queries), and compiles each part at import although most parts only serve as text for the next one:
that import cost a cold ``drafter lint`` of a post with a link about 0.1 s of CPU. The extractor loaded
by :func:`drafter.twittertext.twitter_text_part` uses this module in place of the package's own
``regex_supplant``: it assembles exactly the same pattern text with exactly the same flags, and
compiles it only when it is matched, so only the patterns the extractor runs are ever compiled. The
result of a match is therefore the package's own (a test compares every pattern's text and flags with
the package's, and the twitter-text conformance suite runs through it).

Two parts, the lists of top-level domains, are plain ``re.compile`` calls of about 1,500 alternatives,
compiled at import only to serve as text: :func:`pattern_module` reads such a module's pattern text
from its source instead (12 ms of a cold lint).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

_PLACEHOLDER = re.compile(r"#\{(\w+)\}")
#: global inline flags at the start of a pattern (``(?i)``), which become part of its ``flags``
_LEADING_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


class LazyPattern:
    """A ``re.Pattern`` compiled when first matched; ``pattern`` and ``flags`` are known before."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None
        if _LEADING_FLAGS.match(pattern):
            self._compiled = re.compile(pattern, flags)  # rare: the compiled flags say what they add
            self.flags = self._compiled.flags
        else:  # what re.compile would report: str patterns are Unicode unless ASCII is asked for
            self.flags = flags if flags & re.ASCII else flags | re.UNICODE

    def compiled(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:  # two threads may both compile it: harmless, the result is the same
            from drafter.pattern_cache import compile_cached  # the URL pattern: ~1 ms instead of ~22 ms

            compiled = self._compiled = compile_cached(self.pattern, self.flags)
        return compiled

    def __getattr__(self, name: str) -> Any:  # finditer, match, search, sub, groups, …
        return getattr(self.compiled(), name)


def regex_supplant(
    regex: str | re.Pattern[str] | LazyPattern, dic: Mapping[str, str | re.Pattern[str] | LazyPattern], flags: int = 0
) -> LazyPattern:
    """``regex`` with every ``#{name}`` replaced by the text of ``dic[name]`` (empty when missing), as
    twitter-text-parser's own function does; its flags are those of ``regex`` (when not a string) plus
    ``flags``."""

    def replace(match: re.Match[str]) -> str:
        part = dic.get(match.group(1), "")
        return part if isinstance(part, str) else part.pattern

    text = regex if isinstance(regex, str) else regex.pattern
    new_flags = flags if isinstance(regex, str) else regex.flags | flags
    return LazyPattern(_PLACEHOLDER.sub(replace, text), new_flags)


def pattern_module(name: str, source: Path) -> ModuleType | None:
    """The module ``name`` whose source is exactly ``import re`` and ``NAME = re.compile(TEXT)`` (``TEXT``:
    string literals joined by ``+``), with ``NAME`` a :class:`LazyPattern` of that text and no flags; None
    when the source has any other shape (read it as an ordinary module then)."""
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return None
    match tree.body:
        case [
            ast.Import(names=[ast.alias(name="re", asname=None)]),
            ast.Assign(
                targets=[ast.Name(id=target)],
                value=ast.Call(func=ast.Attribute(value=ast.Name(id="re"), attr="compile"), args=[text], keywords=[]),
            ),
        ]:
            pattern = _joined(text)
        case _:
            return None
    if pattern is None:
        return None
    module = ModuleType(name)
    module.__file__ = str(source)
    setattr(module, target, LazyPattern(pattern, 0))
    return module


def _joined(node: ast.expr) -> str | None:
    """The text of string literals joined by ``+``; None for any other expression."""
    parts: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.BinOp) and isinstance(item.op, ast.Add):
            stack += [item.right, item.left]  # left first
        elif isinstance(item, ast.Constant) and isinstance(item.value, str):
            parts.append(item.value)
        else:
            return None
    return "".join(parts)
