"""Where a check may find something: one pass over the text for every fixed piece of text the guideline
patterns need, and the positions where a pattern can start.

A guideline set holds hundreds of cues. Most contain a fixed text ("rabatt", "€", "telekom") that every
match must contain, and many start with it. Looking each one up with its own substring search costs a
microsecond apiece on a 3,000-character post; one Aho–Corasick pass (the ``ahocorasick_rs`` automaton)
finds all of them, with their positions, at once. A pattern that starts with its fixed text then runs
only where that text occurs (:meth:`LiteralIndex.starts`), instead of being tried at every position.

The other start-position rules (:func:`first_chars`, :func:`run_char`) come from the pattern's structure,
read with Python's own parser (:func:`drafter.patterns._parse`); a pattern that parser cannot read safely
gets none of them and is searched as before. Every rule here only leaves out positions where the pattern
provably cannot match, so the matches are exactly those of a plain search.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Iterable
from typing import Any

#: characters a fixed text of a case-insensitive pattern may contain: their case folding is one character
#: and the same as lower-casing, so "is the folded text in the folded post" is exact for the regex
#: engine's case rules (``tests/test_literals.py`` checks this against every code point)
FOLD_SAFE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789äöüàáâèéêëìíîïòóôùúûçñ€%&@#$/:;,.!?'-_ ")

#: every character ``\s`` matches in the ``regex`` module (Unicode White_Space, plus the ASCII
#: separators): a pattern that can consume none of them matches only inside a run of other characters
WHITESPACE = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | frozenset(
    chr(c) for c in range(0x2000, 0x200B)
)

#: the most start positions worth trying one by one in a post-sized text (plus one per 32 characters of a
#: longer one); with more, a plain search is cheaper
MAX_STARTS = 256


def max_starts(text: str) -> int:
    """How many start positions are worth trying one by one in ``text``."""
    return MAX_STARTS + len(text) // 32


def worth_looking_up(text: str) -> bool:
    """Whether a fixed text is rare enough to be worth looking up: three characters or more, or a symbol."""
    core = text.strip()
    return len(core) >= 3 or (bool(core) and not core.isalnum())


_DFA_AT_MOST = 5000


class _State:
    """One automaton over a fixed set of literals, with the occurrences found in the last few texts.
    Single characters are not in it: a plain ``in`` or ``find`` is as fast for them, and common ones
    ("." or ",") would only add occurrences to collect."""

    __slots__ = ("automaton", "literals", "memo", "order", "words")

    def __init__(self, literals: frozenset[str]) -> None:
        import ahocorasick_rs

        self.literals = literals
        self.words = frozenset(x for x in literals if len(x) > 1)
        self.order = sorted(self.words)
        # a DFA is the fastest to search; its memory grows with the literals, so a very large set (many
        # guideline sets in one process) lets the library choose
        implementation = ahocorasick_rs.Implementation.DFA if len(self.order) <= _DFA_AT_MOST else None
        self.automaton = ahocorasick_rs.AhoCorasick(
            self.order, matchkind=ahocorasick_rs.MatchKind.Standard, implementation=implementation
        )
        #: haystack -> literal -> start positions (ascending); a few entries (the text and its folded form)
        self.memo: dict[str, dict[str, list[int]]] = {}

    def occurrences(self, haystack: str) -> dict[str, list[int]]:
        found = self.memo.get(haystack)
        if found is None:
            found = {}
            words = self.order
            for index, start, _end in self.automaton.find_matches_as_indexes(haystack, overlapping=True):
                word = words[index]
                spots = found.get(word)
                if spots is None:
                    found[word] = [start]
                else:
                    spots.append(start)
            for spots in found.values():
                spots.sort()  # reported by end position: a longer word ending later may start earlier
            if len(self.memo) >= 4:
                self.memo = {}  # a new dict: a thread reading the old one still sees a consistent one
            self.memo[haystack] = found
        return found


class LiteralIndex:
    """Every literal registered by the compiled guideline patterns, searched in one pass per text.

    Registration happens while guidelines compile; the automaton is (re)built on the first lookup after
    new literals arrived. Lookups are thread-safe: a state (automaton and memo) is never changed once
    another thread may see it, only replaced."""

    def __init__(self) -> None:
        self._literals: set[str] = set()
        self._state: _State | None = None
        self._lock = threading.Lock()

    def add(self, literals: Iterable[str]) -> None:
        fresh = [x for x in literals if x and x not in self._literals]
        if fresh:
            with self._lock:
                self._literals.update(fresh)
                self._state = None

    def _current(self) -> _State:
        state = self._state
        if state is None:
            with self._lock:
                state = self._state
                if state is None:
                    state = self._state = _State(frozenset(self._literals))
        return state

    def scan(self, haystack: str) -> tuple[frozenset[str], dict[str, list[int]]]:
        """(the literals the pass looks for — single characters are not among them —, those found in
        ``haystack`` with their start positions)."""
        state = self._current()
        return state.words, state.occurrences(haystack)

    def starts(self, literal: str, haystack: str) -> list[int] | None:
        """The positions where ``literal`` occurs in ``haystack`` (ascending, overlapping ones too); None
        when it was not registered with this index."""
        if len(literal) == 1:
            return positions(haystack, literal)
        state = self._current()
        if literal not in state.literals:
            return None
        return state.occurrences(haystack).get(literal, [])


def positions(haystack: str, literal: str) -> list[int] | None:
    """The positions of ``literal`` in ``haystack`` (overlapping ones too), by plain searches; None when
    there are more than are worth trying."""
    limit = max_starts(haystack)
    found: list[int] = []
    at = haystack.find(literal)
    while at >= 0:
        found.append(at)
        if len(found) > limit:
            return None
        at = haystack.find(literal, at + 1)
    return found


#: the one index of the process: literals of every guideline set loaded so far (a few hundred each)
INDEX = LiteralIndex()

_last_folded: tuple[str, str] = ("", "")
_last_shifts: tuple[str, tuple[list[int], list[int], list[int]]] | None = None
#: the last text asked for by :func:`text_starts`: (text, its answers so far — literal -> starts —, the
#: literals the pass looked for when the answers were made, the pass's occurrences in the folded text —
#: mapped back to the text when first asked for, as most are never asked for —)
_last_starts: tuple[str, dict[str, list[int] | None], frozenset[str], dict[str, list[int]]] = (
    "",
    {},
    frozenset(),
    {},
)


def _shifts(text: str) -> tuple[list[int], list[int], list[int]]:
    """Where ``text.casefold()`` grows: (text positions of the characters that fold to several, where each
    one's folding starts in the folded text, how many characters longer the folded text is after each)."""
    global _last_shifts
    last = _last_shifts
    if last is not None and (last[0] is text or last[0] == text):
        return last[1]
    # the characters of the text that fold to several: in German text "ß" alone (each adds one character,
    # so when the folded text is longer by their number, there is no other); else found among the text's
    # distinct characters
    if len(folded(text)) - len(text) == text.count("ß"):
        extra = {"ß": 1}
    else:
        extra = {ch: len(fold(ch)) - 1 for ch in set(text) if len(fold(ch)) > 1}
    at_list: list[int] = []
    for ch in extra:
        at = text.find(ch)
        while at >= 0:
            at_list.append(at)
            at = text.find(ch, at + 1)
    at_list.sort()
    positions: list[int] = []
    folded_at: list[int] = []
    grown: list[int] = []
    total = 0
    for at in at_list:
        positions.append(at)
        folded_at.append(at + total)
        total += extra[text[at]]
        grown.append(total)
    result = (positions, folded_at, grown)
    _last_shifts = (text, result)
    return result


def text_starts(literal: str, text: str) -> list[int] | None:
    """The positions of ``text`` where its case folding starts with ``literal`` (a case-folded text
    registered with :data:`INDEX`), ascending; None when it was not registered. Found in the folded text
    by the one literal pass, then mapped back where the folding is longer than the text ("ß" -> "ss"); an
    occurrence that starts inside such a character's folding is no start of a match."""
    global _last_starts
    last = _last_starts
    if last[0] is not text:
        last = _last_starts = _all_starts(text)
    memo = last[1]
    found = memo.get(literal)
    if found is not None or literal in memo:
        return found
    raw = last[3].get(literal)
    if raw is not None:  # found by the pass: its positions in the folded text, mapped back once
        found = memo[literal] = raw if len(folded(text)) == len(text) else _mapped_back(raw, _shifts(text))
        return found
    if literal in last[2]:  # looked for by the pass, and not found
        return []
    haystack = folded(text)  # a character, or a text registered after the answers were made
    found = INDEX.starts(literal, haystack)
    if found is not None and found and len(haystack) != len(text):
        found = _mapped_back(found, _shifts(text))
    memo[literal] = found
    return found


def _all_starts(text: str) -> tuple[str, dict[str, list[int] | None], frozenset[str], dict[str, list[int]]]:
    """What :func:`text_starts` needs for ``text``: the one literal pass over its folded form."""
    state = INDEX._current()
    return (text, {}, state.words, state.occurrences(folded(text)))


def _mapped_back(found: list[int], shifts: tuple[list[int], list[int], list[int]]) -> list[int]:
    """Positions in the folded text as positions in the text (see :func:`_shifts`); an occurrence that
    starts inside the folding of a character that folds to several is no start of a match."""
    positions, folded_at, grown = shifts
    if not folded_at or found[-1] < folded_at[0]:  # all before the first such character: unchanged
        return found
    out: list[int] = []
    for at in found:
        if at < folded_at[0]:
            out.append(at)
            continue
        k = bisect_right(folded_at, at) - 1
        if k < 0:
            out.append(at)
        elif at == folded_at[k]:
            out.append(positions[k])
        elif at > folded_at[k] + (grown[k] - (grown[k - 1] if k else 0)):
            out.append(at - grown[k])
        # else: inside the folding of positions[k]
    return out


def fold(text: str) -> str:
    """``text.casefold()``, except that the Turkish dotted "İ" folds to "i" alone: Python folds it to "i" and a
    combining dot above, but the ``regex`` engine matches it to "i" when ignoring case, so "MAGENTA BUSİNESS"
    held no "business" for the literal pass while the pattern matched it (a hostile probe). Every other
    character the engine matches to a character of :data:`FOLD_SAFE` folds to that character
    (``tests/test_check_engine_equivalence.py`` checks every code point)."""
    if "İ" in text:
        text = text.replace("İ", "i")
    return text.casefold()


def folded(text: str) -> str:
    """:func:`fold` of ``text``, remembered for the last text (every rule of one check asks for the same one)."""
    global _last_folded
    last = _last_folded
    if last[0] is text or last[0] == text:
        return last[1]
    result = fold(text)
    _last_folded = (text, result)
    return result


# --------------------------------------------------------------------------------------------------
# What the structure of a pattern says about where it can start
# --------------------------------------------------------------------------------------------------
def _zero_width(op: Any, c: Any) -> bool:
    return op in (c.AT, c.ASSERT, c.ASSERT_NOT)


def leading_text(tree: Any, c: Any, *, ignorecase: bool) -> str | None:
    """The fixed text every match of the parsed pattern starts with (case-folded when ``ignorecase``), or
    None. Zero-width assertions before it are allowed (they are checked where the match starts)."""
    out: list[str] = []

    def walk(items: Any, leading: bool) -> bool:
        """Appends the literals at the start of ``items``; True when all of ``items`` was literal text."""
        for op, av in items:
            if op is c.LITERAL:
                ch = chr(av)
                if ignorecase:
                    ch = ch.casefold()
                    if len(ch) != 1 or ch not in FOLD_SAFE:
                        return False
                out.append(ch)
                leading = False
            elif leading and _zero_width(op, c):
                continue
            elif op is c.SUBPATTERN and not av[1] and not av[2]:  # a group without its own flags
                if not walk(av[3], leading):
                    return False
                leading = leading and not out
            else:
                return False
        return True

    walk(tree, True)
    text = "".join(out)
    return text if text and worth_looking_up(text) else None


def first_chars(tree: Any, c: Any) -> frozenset[str] | None:
    """The characters a match can start with, when they are few caseless ones (digits, ``+``, ``(`` …)
    and no match is empty; else None. Case does not matter for such characters, so the set holds with
    or without ``ignorecase``."""
    repeats = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}

    def caseless(ch: str) -> bool:
        return ch.lower() == ch.upper() == ch.casefold() == ch

    def of_item(op: Any, av: Any) -> tuple[set[str], bool] | None:
        """(first characters, may be empty) of one item; None when unknown or too many."""
        if op is c.LITERAL:
            ch = chr(av)
            return ({ch}, False) if caseless(ch) else None
        if op is c.IN:
            chars: set[str] = set()
            for kind, value in av:
                if kind is c.LITERAL and caseless(chr(value)):
                    chars.add(chr(value))
                elif kind is c.RANGE and value[1] - value[0] < 16:
                    chars.update(chr(x) for x in range(value[0], value[1] + 1))
                    if not all(caseless(x) for x in chars):
                        return None
                else:
                    return None  # a negated set, a category (\d, \w) …
            return chars, False
        if _zero_width(op, c):
            return set(), True
        if op is c.SUBPATTERN:
            return of_seq(av[3])
        if op is getattr(c, "ATOMIC_GROUP", None):
            return of_seq(av)
        if op is c.BRANCH:
            chars, empty = set(), False
            for branch in av[1]:
                found = of_seq(branch)
                if found is None:
                    return None
                chars |= found[0]
                empty = empty or found[1]
            return chars, empty
        if op in repeats:
            found = of_seq(av[2])
            if found is None:
                return None
            return found[0], found[1] or av[0] == 0
        return None

    def of_seq(items: Any) -> tuple[set[str], bool] | None:
        chars: set[str] = set()
        for op, av in items:
            found = of_item(op, av)
            if found is None:
                return None
            chars |= found[0]
            if not found[1]:
                return chars, False
        return chars, True

    found = of_seq(tree)
    if found is None or found[1] or not found[0] or len(found[0]) > 8:
        return None
    if any(ch.isalpha() or ch in WHITESPACE for ch in found[0]):
        return None  # letters and spaces are everywhere: no use
    return frozenset(found[0])


def consumes_no_whitespace(tree: Any, c: Any) -> bool:
    """Whether no match of the parsed pattern can contain a white-space character (see
    :data:`WHITESPACE`); look-arounds do not count, they consume nothing."""
    repeats = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}
    ordinals = [ord(w) for w in WHITESPACE]
    no_space_categories = {c.CATEGORY_WORD, c.CATEGORY_DIGIT, c.CATEGORY_UNI_WORD, c.CATEGORY_UNI_DIGIT}
    no_space_categories |= {getattr(c, "CATEGORY_UNI_NOT_SPACE", None), getattr(c, "CATEGORY_NOT_SPACE", None)}

    def class_ok(av: Any) -> bool:
        for kind, value in av:
            if kind is c.LITERAL:
                if chr(value) in WHITESPACE:
                    return False
            elif kind is c.RANGE:
                if any(value[0] <= o <= value[1] for o in ordinals):
                    return False
            elif kind is c.CATEGORY:
                if value not in no_space_categories:
                    return False
            else:
                return False  # NEGATE and anything else: may match a space
        return True

    def walk(items: Any) -> bool:
        for op, av in items:
            if op is c.LITERAL:
                if chr(av) in WHITESPACE:
                    return False
            elif op is c.IN:
                if not class_ok(av):
                    return False
            elif _zero_width(op, c):
                continue
            elif op is c.SUBPATTERN:
                if not walk(av[3]):
                    return False
            elif op is getattr(c, "ATOMIC_GROUP", None):
                if not walk(av):
                    return False
            elif op is c.BRANCH:
                if not all(walk(branch) for branch in av[1]):
                    return False
            elif op in repeats:
                if not walk(av[2]):
                    return False
            else:
                return False  # any character, back-references, …
        return True

    return walk(tree)
