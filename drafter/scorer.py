"""The learned scorer: a linear model (logistic regression) over a post's words, read from a model file
beside the guidelines (``guidelines/models/*.yaml``, written by ``drafter guidelines train``).

Pure Python on purpose: a check looks features up in a dict and adds their weights; numpy is needed only to
train (:mod:`drafter.scorer_train`). The same :func:`line_features` serve training and checking, so a model
scores a post at check time exactly as it was fitted.

Features (all case-folded, from each line of the post on its own):

- ``w:`` a word (not a hashtag or @handle), with numbers reduced to their shape (``<num>``, ``<price>``,
  ``<date>``, ``<year>``, ``<ord>``, ``<big>``, ``<time>``) and currency and percent words to ``€`` and ``%``;
- ``b:`` two neighbouring words;
- ``c:`` character 4- and 5-grams inside a word of five letters or more, with its edges marked
  (``<gerä`` … ``preis`` … ``reis>``): "Gerätepreis" shares ``preis`` with "Preis".

A feature's value is how often the post holds it — a word or a pair of neighbouring words at most
:data:`MAX_REPEAT` times in a line (its n-grams with it), a line once however often it is repeated —
divided by the square root of the number of all the features so counted: ``score = intercept + Σ
weight·value``, the probability its logistic. So repeating a sentence or a line does not make a post score
ever higher (features version 2 counted every occurrence, and a sentence pasted 40 times became a leak).
Unlike version 1 (each distinct feature once per line), n-grams shared by two different words count twice:
a line's weight is the sum of its words' weights, which are cached per word, plus its pairs' (version 1
needed each new line's distinct features as a set of ~400 strings, ~100 µs a line; this costs ~40 µs). A
line's sum and count are cached, and a keystroke looks at only the line it changed. A token longer than
:data:`MAX_WORD` characters is the word ``<long>``, so the caches keyed by words stay small whatever is
pasted.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, pairwise, repeat
from operator import itemgetter
from typing import Any

#: the version of the features; a model file names it, and one of another version is refused
FEATURES_VERSION = 3  # 3: a word or pair at most 3 times a line, a line once a post (2: every occurrence)
#: characters of a post that are scored (a longer paste is scored on its start: the cost stays bounded)
MAX_SCORED_CHARS = 20_000
#: characters of one line that are featurised (a longer line is cut: bounded work per line)
MAX_LINE_CHARS = 4_000
#: lines whose scores are kept per model, and the characters of those lines (the dict is emptied when full)
LINE_CACHE = 4_096
LINE_CACHE_CHARS = 1_000_000
#: a longer token is the word ``<long>`` (no word of the corpus has more than 30 characters; the caches keyed
#: by words stay small whatever is pasted)
MAX_WORD = 40
#: a word or a pair of words counts at most this many times in a line (a repeated sentence does not make a
#: post score ever higher)
MAX_REPEAT = 3
#: chunks (runs without white space) up to this length are cached with their words
MAX_CACHED_CHUNK = 64
#: words named in a finding's explanation
EXPLAIN_WORDS = 3

_TOKEN = re.compile(
    r"[#@＃＠]\w+"  # a hashtag or @handle: not a feature (see tokens())
    r"|\d+(?:st|nd|rd|th)(?![^\W\d_])"  # 15th
    r"|\d+(?:[.,:/]\d+)*\.?"  # 39,95  15.03.  9.  12:30  2.000
    r"|[^\W\d_]+"  # a word
    r"|[€$£%]"
)
_TAGS = "#@＃＠"
#: :data:`_TOKEN` with the feature words in a group: a hashtag or handle is found as an empty string, which
#: ``filter(None, …)`` drops without a Python call per token
_WORDS = re.compile(r"[#@＃＠]\w+|(" + _TOKEN.pattern.split("|", 1)[1] + ")")
#: where a sentence ends, for the explanation's underline: after . ! ? … and white space, but not after a number's
#: point ("1. März", "15. Juni") nor before a lower-case word ("1,2 Mio. neue Kunden", "z. B. das")
_SENTENCE_END = re.compile(r"(?<=[.!?…])(?<!\d\.)\s+(?![a-zäöüß])")
_NUMBER_SHAPES: tuple[tuple[Any, str], ...] = (
    (re.compile(r"\d+(?:st|nd|rd|th)"), "<ord>"),
    (re.compile(r"\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})?"), "<date>"),
    (re.compile(r"\d{1,2}\."), "<ord>"),
    (re.compile(r"(?:19|20)\d\d\.?"), "<year>"),
    (re.compile(r"\d+[.,]\d{1,2}\.?"), "<price>"),
    (re.compile(r"\d{1,3}(?:[.,]\d{3})+\.?"), "<big>"),
    (re.compile(r"\d+:\d+\.?"), "<time>"),
)
_WORD_MAP = {
    "euro": "€",
    "euros": "€",
    "eur": "€",
    "$": "€",
    "£": "€",
    "prozent": "%",
    "percent": "%",
    "pct": "%",
}


@lru_cache(maxsize=16_384)
def _shape(token: str) -> str:
    """A token as a feature word: a number by its shape, a currency or percent word as its sign."""
    if token[0].isdigit():
        for pattern, name in _NUMBER_SHAPES:
            if pattern.fullmatch(token):
                return name
        return "<num>"
    folded = token.casefold()
    return _WORD_MAP.get(folded, folded)


def tokens(line: str) -> list[tuple[str, int, int]]:
    """The feature words of ``line`` with their positions in it. Hashtags and @handles are not words: a
    goal hashtag stands in every post (its goal says which, not whether a post advertises) and a handle
    names someone."""
    return [
        (_shape(_capped(m.group())), m.start(), m.end()) for m in _TOKEN.finditer(line) if m.group()[0] not in _TAGS
    ]


def _capped(token: str) -> str:
    return token if len(token) <= MAX_WORD else "<long>"


@lru_cache(maxsize=4_096)  # a word of 40 letters has ~80 features: at most a few MB
def word_features(word: str) -> tuple[str, ...]:
    """The features of one feature word on its own: itself and, for a word of five letters or more, its
    character 4- and 5-grams with the edges marked. Cached: a line typed anew mostly holds words seen
    before, and both models share the answer."""
    found = ["w:" + word]
    if len(word) >= 5 and word[0] != "<":
        marked = "<" + word + ">"
        for n in (4, 5):
            found.extend("c:" + marked[i : i + n] for i in range(len(marked) - n + 1))
    return tuple(found)


class _ChunkWords(dict[str, tuple[str, ...]]):
    """A run of text without white space → its feature words (no token spans white space, and a token's
    look-ahead sees white space or the end alike, so a line's words are its chunks' words in order). Short
    chunks are kept (emptied when full); a longer one is worked out each time, so the memory stays small."""

    def __missing__(self, chunk: str) -> tuple[str, ...]:
        found = tuple(map(_shape, map(_capped, filter(None, _WORDS.findall(chunk)))))
        if len(chunk) <= MAX_CACHED_CHUNK:
            if len(self) >= 32_768:
                self.clear()
            self[chunk] = found
        return found


_CHUNKS = _ChunkWords()


def line_words(line: str) -> list[str]:
    """The feature words of ``line`` (its first :data:`MAX_LINE_CHARS` characters), in order. Per chunk
    between white space, cached: most chunks of a new line were seen before, and the regular expression
    over a whole line cost ~16 µs for 270 characters."""
    return [*chain.from_iterable(map(_CHUNKS.__getitem__, line[:MAX_LINE_CHARS].split()))]


def _at_most(items: list[Any]) -> list[Any]:
    """``items`` with the occurrences of each item after its :data:`MAX_REPEAT`-th left out (in C when no
    item repeats that often, the common case)."""
    if len(items) <= MAX_REPEAT or max(Counter(items).values()) <= MAX_REPEAT:
        return items
    seen: Counter[Any] = Counter()
    kept = []
    for item in items:
        seen[item] += 1
        if seen[item] <= MAX_REPEAT:
            kept.append(item)
    return kept


def _capped_repeats(words: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The words of a line and its neighbouring pairs, each at most :data:`MAX_REPEAT` times."""
    return _at_most(words), _at_most(list(pairwise(words)))


def line_features(line: str) -> list[str]:
    """The features of one line: of each word and each pair of neighbouring words as often as they occur, up
    to :data:`MAX_REPEAT` times (see the module docstring)."""
    words, pairs = _capped_repeats(line_words(line))
    found = [f for word in words for f in word_features(word)]
    found.extend(_PAIR(a, b) for a, b in pairs)
    return found


_PAIR = "b:{} {}".format


_FIRST = itemgetter(0)
_SECOND = itemgetter(1)
_THIRD = itemgetter(2)
#: the last text with its lines, as one tuple (the models of a set score the same text one after the other);
#: replaced whole, so a check in another thread never pairs a text with the lines of another
_LAST_SPLIT: list[tuple[str | None, list[str]]] = [(None, [])]


def _split(text: str) -> list[str]:
    last_text, lines = _LAST_SPLIT[0]
    if last_text is not text:
        lines = list(dict.fromkeys(post_lines(text)))  # a line once, however often it is repeated
        _LAST_SPLIT[0] = (text, lines)
    return lines


class _FeatureCount(dict[str, int]):
    """Word → the number of its features (:func:`word_features`), filled on a miss, emptied when full."""

    def __missing__(self, word: str) -> int:
        if len(self) >= 16_384:
            self.clear()
        count = self[word] = len(word_features(word))
        return count


_COUNTS = _FeatureCount()
#: the lines looked at last, shared by the models of a set (bounded): their feature words, their neighbouring
#: word pairs and their number of features
_RECENT: dict[str, tuple[list[str], list[tuple[str, str]], int]] = {}


def _line_parts(line: str) -> tuple[list[str], list[tuple[str, str]], int]:
    """The distinct feature words of ``line``, its distinct neighbouring word pairs and its number of features
    (the length of :func:`line_features`), without building the features."""
    parts = _RECENT.get(line)
    if parts is None:
        words, pairs = _capped_repeats(line_words(line))
        count = sum(map(_COUNTS.__getitem__, words)) + len(pairs)
        if len(_RECENT) >= 64:
            _RECENT.clear()
        parts = _RECENT[line] = (words, pairs, count)
    return parts


class _WeightByWord(dict[str, float]):
    """Word → the sum of a model's weights of its features (:func:`word_features`; most words: 0.0), so a
    line's weight is a sum over its words, found in C; filled on a miss, emptied when full."""

    def __init__(self, weights: dict[str, float]) -> None:
        super().__init__()
        self.weights = weights

    def __missing__(self, word: str) -> float:
        if len(self) >= 16_384:
            self.clear()
        get = self.weights.get
        found = self[word] = math.fsum(get(f, 0.0) for f in word_features(word))
        return found


def _pairs_of(pairs: object, weights: dict[str, float]) -> bool:
    """Whether ``pairs`` (from the guideline cache) is a word-pair table of ``weights``: a dict of as many
    entries as there are pair features, of two words each and a float (a forged entry that passed the cache's
    own checks made a check crash with a TypeError: a hostile probe). Anything else is built again."""
    if not isinstance(pairs, dict) or len(pairs) != sum(1 for f in weights if f[:2] == "b:"):
        return False
    return all(
        type(k) is tuple and len(k) == 2 and type(k[0]) is str and type(k[1]) is str and type(v) is float
        for k, v in pairs.items()
    )


def post_lines(text: str) -> list[str]:
    """The lines of ``text`` that are scored (the first :data:`MAX_SCORED_CHARS` characters)."""
    return text[:MAX_SCORED_CHARS].split("\n")


def post_counts(text: str) -> tuple[dict[str, int], int]:
    """Feature → in how many of the post's distinct lines it is, and the number of all their features (for
    training)."""
    counts: dict[str, int] = {}
    total = 0
    for line in dict.fromkeys(post_lines(text)):
        features = line_features(line)
        total += len(features)
        for f in features:
            counts[f] = counts.get(f, 0) + 1
    return counts, total


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass(frozen=True)
class Explanation:
    """Why a post scored high: the sentence that scores highest (its span in the post) and its words that
    weigh most (as written)."""

    start: int
    end: int
    words: tuple[str, ...]


class ScoreModel:
    """A trained model: feature → weight, the intercept and the two thresholds (probabilities)."""

    def __init__(
        self, weights: dict[str, float], intercept: float, error_at: float, warning_at: float, source: str = ""
    ) -> None:
        self.weights = weights
        self.intercept = intercept
        self.error_at = error_at
        self.warning_at = warning_at
        #: the model file, for messages
        self.source = source
        self._lines: dict[str, tuple[float, int, int]] = {}
        self._line_chars = 0
        self._caches()

    def _caches(self, pairs: dict[tuple[str, str], float] | None = None) -> None:
        #: per word the sum of its features' weights, and the weights of word pairs by the pair
        self._by_word = _WeightByWord(self.weights)
        if pairs is None:
            pairs = {(a, b): w for f, w in self.weights.items() if f[:2] == "b:" for a, _, b in [f[2:].partition(" ")]}
        self._pairs = pairs
        self._explained: tuple[str, Explanation] | None = None
        #: per line its weightiest sentence (:meth:`_best_sentence`), and the characters of those lines
        self._sentences: dict[str, tuple[float, int, int] | None] = {}
        self._sentence_chars = 0

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        for name in ("_lines", "_by_word", "_explained", "_sentences", "_sentence_chars"):  # caches: not kept
            state.pop(name, None)
        return state  # the pairs are kept: unpickled in a third of the time it takes to split them again

    def __setstate__(self, state: dict[str, Any]) -> None:
        pairs = state.pop("_pairs", None)
        self.__dict__.update(state)
        self._lines = {}
        self._line_chars = 0
        self._caches(pairs if _pairs_of(pairs, self.weights) else None)

    def _weigh(self, words: list[str], pairs: list[tuple[str, str]]) -> float:
        """The sum of the weights of the features of ``words`` and ``pairs``: per word (cached) and per pair,
        in C loops."""
        return sum(map(self._by_word.__getitem__, words)) + sum(map(self._pairs.get, pairs, repeat(0.0)))

    def _line(self, line: str) -> tuple[float, int, int]:
        cached = self._lines.get(line)
        if cached is None:
            words, pairs, count = _line_parts(line)  # shared with the other model of the set
            cached = (self._weigh(words, pairs), count, len(set(words)))
            if len(self._lines) >= LINE_CACHE or self._line_chars + len(line) > LINE_CACHE_CHARS:
                self._lines.clear()
                self._line_chars = 0
            if len(line) <= MAX_LINE_CHARS:  # a longer line is worked out each time (its key would be large)
                self._lines[line] = cached
                self._line_chars += len(line)
        return cached

    def probability(self, text: str) -> float:
        """The model's probability that ``text`` belongs to its family."""
        return self.score(text)[0]

    def score(self, text: str) -> tuple[float, int]:
        """The model's probability for ``text``, and the numbers of distinct words of its distinct lines summed
        (a rule may leave a very short post unscored: its few features push the probability to an extreme)."""
        lines = _split(text)
        found: list[Any] = list(map(self._lines.get, lines))  # in C: most lines are cached
        if None in found:
            found = [f if f is not None else self._line(line) for f, line in zip(found, lines, strict=True)]
        count = sum(map(_SECOND, found))
        words = sum(map(_THIRD, found))
        if count == 0:
            return sigmoid(self.intercept), words
        return sigmoid(self.intercept + math.fsum(map(_FIRST, found)) / math.sqrt(count)), words

    def explain(self, text: str) -> Explanation:
        """The sentence of ``text`` whose features weigh most, and its words that weigh most (the last
        answer is kept: the checks of one keystroke for several channels ask for the same text)."""
        last = self._explained
        if last is not None and last[0] == text:
            return last[1]
        why = self._explain(text)
        self._explained = (text, why)
        return why

    def _best_sentence(self, line: str) -> tuple[float, int, int] | None:
        """The sentence of ``line`` whose features weigh most (the first of equals): its weight and span in
        the line; None for a line of white space. Cached per line (bounded, like the line scores): a keystroke
        in a post with a scored finding changes one line, and working out every sentence of a 3,000-character
        post again cost about 0.6 ms."""
        cache = self._sentences
        if line in cache:
            return cache[line]
        best: tuple[float, int, int] | None = None
        start = 0
        for part in _SENTENCE_END.split(line[:MAX_LINE_CHARS]):
            if part:
                at = line.find(part, start)
                score = self._weigh(*_capped_repeats(line_words(part)))
                if part.strip() and (best is None or score > best[0]):
                    best = (score, at, at + len(part))
                start = at + len(part)
        if len(cache) >= LINE_CACHE or self._sentence_chars + len(line) > LINE_CACHE_CHARS:
            cache.clear()
            self._sentence_chars = 0
        if len(line) <= MAX_LINE_CHARS:
            cache[line] = best
            self._sentence_chars += len(line)
        return best

    def _explain(self, text: str) -> Explanation:
        best: tuple[float, int, int] | None = None
        offset = 0
        for line in post_lines(text):
            sentence_best = self._best_sentence(line)
            if sentence_best is not None and (best is None or sentence_best[0] > best[0]):
                best = (sentence_best[0], offset + sentence_best[1], offset + sentence_best[2])
            offset += len(line) + 1
        if best is None:
            return Explanation(0, 0, ())
        _, start, end = best
        sentence = text[start:end]
        found = tokens(sentence)
        contributions: dict[str, float] = {}
        shown: dict[str, str] = {}
        for i, (word, s, e) in enumerate(found):
            if len(word) < 2 and word.isalpha():
                continue  # a letter split off by an apostrophe ("can't" → "can", "t") says nothing to the reader
            value = self._by_word[word]
            for j in (i - 1, i + 1):
                if 0 <= j < len(found):
                    value += 0.5 * self._pairs.get((found[min(i, j)][0], found[max(i, j)][0]), 0.0)
            if value > contributions.get(word, 0.0):
                contributions[word] = value
                shown[word] = sentence[s:e]
        top = sorted(contributions.items(), key=lambda kv: (-kv[1], kv[0]))[:EXPLAIN_WORDS]
        return Explanation(start, end, tuple(shown[w] for w, v in top if v > 0))
