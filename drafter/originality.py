"""Near-duplicate detection of a draft against a corpus of posts.

Pipeline: normalise (NFKC, case-fold; URLs, @mentions and #hashtags dropped — swapping hashtags
does not make a copy original), split into sentences, take word 3-grams *within* each sentence
(so reordering sentences changes nothing), MinHash the shingle set (128 permutations, computed with
numpy for a whole batch of posts; the values equal datasketch's ``affine32`` scheme) and find
candidates by LSH band keys (:mod:`drafter.lsh_bands`); confirm and rank candidates by the exact
Jaccard similarity of the shingle sets. The reported similarity is that exact Jaccard value (0.0–1.0).

Paragraphs (blocks between blank lines) of :data:`PASSAGE_WORDS` words or more are compared on their own too
(:func:`query_passages`): a post's paragraphs get index entries of their own (:func:`indexed_passages`, band
keys numbered from :data:`PASSAGE_FIRST_BAND` in the same table), and a draft's paragraph is looked up with
its keys of both kinds and confirmed by :func:`paragraph_similarity`. A colleague's paragraph pasted into a
longer draft is found so, where the whole draft resembles the whole post too little.

Calibration (``benchmarks/originality_bench.py``, 100,000 generated posts): planted copies with a
word changed, sentences reordered and/or hashtags swapped keep a similarity of 0.57–1.0 (5th
percentile 0.76); an unrelated post on the same topic usually has no match above the candidate
floor at all, and its closest match scores 0.44 at the 99th percentile. Guideline data sets the
thresholds: ``warning_at`` 0.6 found 99.9 % of the copies with no false positive; 0.5 found all of
them with 0.7 % false positives.

The index sits behind :class:`PostIndex` so that a shared team database can replace the local one; the
stored index keeps band keys in an indexed table (the layout the team store shares), so nothing is
rebuilt in memory when the app or ``drafter lint`` starts. numpy is imported on the first hash.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import math
import os
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from drafter.errors import CorpusUnavailable, Problem, unreadable_store
from drafter.findings import Finding, Severity
from drafter.i18n import format_percent, t
from drafter.safe_text import HIDDEN
from drafter.text_input import WORD

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from drafter.store import Store

NUM_PERM = 128
SEED = 20261127
LSH_PARAMS = (32, 4)
"""LSH bands × rows (b × r ≤ NUM_PERM). A pair with Jaccard similarity s becomes a candidate with
probability 1 − (1 − s^r)^b: 0.87 at s = 0.5, 0.99 at 0.6 and 0.05 at 0.2, so near-copies are found
while the many weakly related posts on the same topic are rarely even looked at."""
EXACT_CANDIDATES = 10
"""At most this many candidates (best MinHash estimate first) are confirmed with the exact measure."""
MIN_ESTIMATE = 0.25
"""Candidates whose MinHash estimate is below this are dropped unconfirmed. With 128 permutations the
estimate's standard error is at most 0.045, so a post of true similarity 0.5 falls below 0.25 with a
probability of about 1e-8; the many weak candidates of an original draft cost nothing to confirm."""
SHINGLE_SIZE = 3
MIN_WORDS = 6
"""Drafts with fewer words are not compared: a few words prove no copy."""
OPENING_WORDS = 8
PASSAGE_WORDS = 12
"""A paragraph (a block between blank lines) of at least this many words is also compared on its own: a
colleague's paragraph pasted into a longer draft, or a draft that is one paragraph of a longer post, shares
too little with the whole post to be found by it (a quarter of a post: similarity about 0.25)."""
PASSAGE_SHARE = 0.7
"""A post's paragraph gets an index entry of its own only when it holds less than this share of the post's
shingles; a larger one resembles the whole post enough (similarity ≥ 0.7) to be found by the post's entry."""
MAX_PASSAGES = 20
"""At most this many paragraphs of one post are indexed (its first ones): the index stays bounded per post."""
MAX_DRAFT_PASSAGES = 100
"""At most this many paragraphs of a draft are looked up (its first ones): a lookup costs about 0.3 ms, and a
10 MiB file of short paragraphs for ``drafter lint`` would take half a minute. The longest channel (3,000
characters) holds about 35 paragraphs of 12 words."""
PASSAGE_FIRST_BAND = LSH_PARAMS[0]
"""Paragraph entries' bands are numbered from here on (``corpus_bands.band``), and the number is mixed into
their keys (:func:`drafter.lsh_bands.band_keys`): a paragraph's key never equals a whole post's."""
SIGNATURE_SCHEME = f"affine32/p{NUM_PERM}/s{SEED}/w{SHINGLE_SIZE}/n1"
"""Names everything a cached signature depends on; cached signatures of another scheme are recomputed."""

# numpy serves element-wise hashing here, never linear algebra: one OpenBLAS thread is enough. By default
# its import starts one per core, about 70 ms of CPU that a busy machine takes from the app's first screen.
# (Set before numpy's first import, which happens in this module; a value the user set is kept.)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# URLs, @mentions and #hashtags, removed in one pass
_NOISE = re.compile(r"(?:https?://|www\.)\S+|(?<![\w@])@[\w.]+|(?<![\w#&])#\w+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…;:\n]+|\s[-–—]\s")
# A paragraph break: a line holding nothing visible between two line breaks (of any kind), or U+2029. The
# blank line may hold spaces and invisible characters: posts keep empty lines on LinkedIn and Instagram
# with U+2800 (braille blank) or a zero-width space (hostile probe: such a break hid a copied paragraph).
_BREAK = "\r\n|\r(?!\n)|[\n\x85\u2028]"
_BLANK_FILL = f"[^\\S\n\r\x85\u2028\u2029]|[\u2800\u3164\u115f\u1160\uffa0{HIDDEN}]"
_BLANK_LINE = re.compile(f"(?:{_BREAK})(?:{_BLANK_FILL})*(?:{_BREAK})|\u2029")
_LINE = re.compile(_BREAK)


# -- normalisation and shingles -------------------------------------------------------------------------


def normalize(text: str) -> list[list[str]]:
    """The text's sentences as lists of case-folded words, without URLs, mentions and hashtags."""
    text = _NOISE.sub(" ", unicodedata.normalize("NFKC", text)).casefold()
    findall = WORD.findall
    return [tokens for part in _SENTENCE_END.split(text) if (tokens := findall(part))]


@lru_cache(maxsize=1024)
def _line_shingles(line: str) -> tuple[int, frozenset[str]]:
    """The words and shingles of one line of a text (see :func:`shingles`)."""
    words = 0
    out: set[str] = set()
    for tokens in normalize(line):
        words += len(tokens)
        if len(tokens) < SHINGLE_SIZE:
            out.add(" ".join(tokens))
        else:
            out.update(" ".join(tokens[i : i + SHINGLE_SIZE]) for i in range(len(tokens) - SHINGLE_SIZE + 1))
    return words, frozenset(out)


@lru_cache(maxsize=64)
def word_count(text: str) -> int:
    """Words the comparison sees. Cached: a draft checked for three channels asks three times."""
    return sum(_line_shingles(line)[0] for line in text.split("\n"))


@lru_cache(maxsize=8192)
def shingles(text: str) -> frozenset[str]:
    """Word 3-grams within sentences; a sentence shorter than 3 words is one shingle.

    Cached: the same corpus posts come up as candidates again and again while a draft is typed. Computed
    line by line, each line's part cached too: a line break ends a sentence and no step of
    :func:`normalize` reaches across one, so a text's shingles are the union of its lines', and a
    keystroke normalises only the line it changed (a 3,000-character draft: 0.55 → 0.05 ms).
    """
    lines = text.split("\n")
    if len(lines) == 1:
        return _line_shingles(text)[1]
    return frozenset().union(*(_line_shingles(line)[1] for line in lines))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def similarity(a: str, b: str) -> float:
    """The exact similarity used to confirm and rank near-duplicates (Jaccard of shingle sets)."""
    return jaccard(shingles(a), shingles(b))


def content_hash(text: str) -> str:
    """Identity of a post's content: whitespace runs collapsed, NFC; used to import idempotently."""
    canonical = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def opening_words(text: str, n: int = OPENING_WORDS) -> str:
    words = text.split()
    head = " ".join(words[:n])
    return head + (" …" if len(words) > n else "")


def passages(text: str, min_words: int = PASSAGE_WORDS, limit: int | None = None) -> list[tuple[int, int]]:
    """The spans ``(start, end)`` of the text's paragraphs that hold at least ``min_words`` words as the
    comparison counts them (no URLs, mentions or hashtags), in order; the first ``limit`` of them (the rest
    of the text is not read). A paragraph is a block between blank lines, without the whitespace around
    it; and each line of a block of several lines is one too, after its block: many LinkedIn posts part
    their paragraphs with a single line break (new-user probe: a colleague's paragraph pasted on a line of
    its own went unseen), while a paragraph broken into short lines is still compared whole."""
    spans: list[tuple[int, int]] = []
    pos = 0
    breaks = _BLANK_LINE.finditer(text)
    while limit is None or len(spans) < limit:
        brk = next(breaks, None)
        end = len(text) if brk is None else brk.start()
        block = text[pos:end]
        stripped = block.strip()
        if stripped and word_count(stripped) >= min_words:
            start = pos + block.index(stripped)
            spans.append((start, start + len(stripped)))
            if _LINE.search(stripped):
                spans.extend(_lines(stripped, start, min_words))
        if brk is None:
            break
        pos = brk.end()
    return spans if limit is None else spans[:limit]


def _lines(block: str, offset: int, min_words: int) -> list[tuple[int, int]]:
    """The spans (shifted by ``offset``) of the lines of ``block`` that hold ``min_words`` words or more."""
    out: list[tuple[int, int]] = []
    begin = 0
    for brk in [*_LINE.finditer(block), None]:
        end = len(block) if brk is None else brk.start()
        line = block[begin:end]
        inner = line.strip()
        if inner and word_count(inner) >= min_words:
            first = offset + begin + line.index(inner)
            out.append((first, first + len(inner)))
        if brk is not None:
            begin = brk.end()
    return out


def _may_hold_words(block: str) -> bool:
    """False only when every token of ``block`` is a hashtag, mention or link, or holds no letter or digit:
    a quick look that never says False where :func:`normalize` would find a word."""
    return any(
        not token.startswith(("#", "@", "http://", "https://", "www.")) and WORD.search(token) is not None
        for token in block.split()
    )


def draft_passages(text: str, min_words: int = PASSAGE_WORDS) -> list[tuple[int, int]]:
    """The paragraphs of a draft that are looked up: :func:`passages`, at most :data:`MAX_DRAFT_PASSAGES`."""
    return passages(text, min_words, MAX_DRAFT_PASSAGES)


def indexed_passages(text: str) -> list[frozenset[str]]:
    """The shingle sets of a post's paragraphs that get index entries of their own (see
    :data:`PASSAGE_SHARE`, :data:`MAX_PASSAGES`); none for a post of one paragraph."""
    if sum(1 for line in _LINE.split(text) if _may_hold_words(line)) < 2:
        return []  # one line with words (a post on one line, its hashtags below, say): nothing to count or hash
    spans = passages(text, limit=MAX_PASSAGES)
    if len(spans) < 2 and (not spans or spans[0] == (0, len(text))):
        return []
    whole = len(shingles(text))
    found = [shingles(text[a:b]) for a, b in spans]
    return [group for group in found if group and len(group) < PASSAGE_SHARE * whole]


@lru_cache(maxsize=2048)
def _units(text: str) -> tuple[frozenset[str], ...]:
    """What a draft's paragraph is compared with in a post: the whole post and each of its paragraphs of
    :data:`PASSAGE_WORDS` words or more. Cached: while a draft is typed, the same posts come up again."""
    return (shingles(text), *(shingles(text[a:b]) for a, b in passages(text, limit=MAX_PASSAGES)))


def paragraph_similarity(part: frozenset[str], post_text: str) -> float:
    """How close a draft's paragraph (its shingles ``part``) comes to a post: the similarity (Jaccard, as for
    whole posts) with the closest of the post's paragraphs, or with the whole post.

    Symmetric on purpose. The share of the paragraph found anywhere in the post (containment) also rises with
    the stock phrases that independent posts on one topic share: at 0.6 it flagged a paragraph in 7.5 % of
    generated fresh drafts of several paragraphs (``benchmarks/originality_bench.py``), the similarity in
    none, with the same recall of copied paragraphs."""
    return max(jaccard(part, unit) for unit in _units(post_text))


# -- posts and results ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CorpusPost:
    """A post in the corpus. ``post_id`` defaults to the first 16 hex digits of its content hash."""

    text: str
    source: str = ""
    post_id: str = ""
    channel: str | None = None
    brief_id: str | None = None

    def __post_init__(self) -> None:
        if not self.post_id:
            object.__setattr__(self, "post_id", content_hash(self.text)[:16])

    @property
    def opening_words(self) -> str:
        return opening_words(self.text)


@dataclass(frozen=True, slots=True)
class SimilarPost:
    post_id: str
    source: str
    opening_words: str
    similarity: float
    #: the post's text, for a second look (boilerplate left out, see :func:`similarity_findings`); not shown
    text: str = field(default="", repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "post_id": self.post_id,
            "source": self.source,
            "opening_words": self.opening_words,
            "similarity": round(self.similarity, 4),
        }


@dataclass(frozen=True, slots=True)
class PassageMatch:
    """A paragraph of the draft (``start``–``end``) close to a corpus post: ``post.similarity`` is
    :func:`paragraph_similarity` (0.0–1.0)."""

    start: int
    end: int
    post: SimilarPost


class PostIndex(Protocol):
    """A searchable corpus of posts (local, or a team database)."""

    def add(self, post: CorpusPost) -> None: ...

    def query(self, text: str, k: int = 5) -> list[SimilarPost]: ...


def query_passages(index: PostIndex, text: str, min_words: int = PASSAGE_WORDS) -> list[PassageMatch]:
    """For each paragraph of ``text`` with at least ``min_words`` words, the corpus post closest to it
    (when the index can answer that: an index without ``query_passages`` finds none)."""
    method = getattr(index, "query_passages", None)
    return [] if method is None else list(method(text, min_words))


PASSAGE_MATCHES = 3
"""Posts kept per paragraph (best first), so that a view leaving some out still has the next best."""
OWN_PASSAGE_MATCHES = 2
"""The user's own exports kept per paragraph besides (:func:`kept_matches`): enough to tell a sign-off (in two or
more), never at the expense of a colleague's post (three own exports pushed one out: hostile probe)."""


def kept_matches(matches: Iterable[PassageMatch]) -> list[PassageMatch]:
    """Of one paragraph's matches, the :data:`PASSAGE_MATCHES` best that are not the user's own exports and the
    :data:`OWN_PASSAGE_MATCHES` best that are, best first."""
    ranked = sorted(matches, key=lambda m: (m.post.similarity, m.post.post_id), reverse=True)
    others = [m for m in ranked if not is_own_source(m.post.source)][:PASSAGE_MATCHES]
    own = [m for m in ranked if is_own_source(m.post.source)][:OWN_PASSAGE_MATCHES]
    return sorted([*others, *own], key=lambda m: (m.post.similarity, m.post.post_id), reverse=True)


def best_passages(
    text: str,
    spans: Sequence[tuple[int, int]],
    candidates_of: Callable[[frozenset[str]], Iterable[CorpusPost]],
) -> list[PassageMatch]:
    """For each paragraph ``spans`` of ``text``, the :data:`PASSAGE_MATCHES` posts closest to it among its
    ``candidates_of`` (posts whose entries share a band with it), by :func:`paragraph_similarity`, best
    first; in paragraph order. A paragraph no candidate shares a shingle with has none."""
    out: list[PassageMatch] = []
    for start, end in spans:
        part = shingles(text[start:end])
        if not part:
            continue
        scored = [
            PassageMatch(start, end, SimilarPost(post.post_id, post.source, post.opening_words, sim, post.text))
            for post in candidates_of(part)
            if (sim := paragraph_similarity(part, post.text)) > 0
        ]
        out.extend(kept_matches(scored))
    return out


class UnreadableCorpus:
    """The corpus of a store that could not be read: every query raises :class:`CorpusUnavailable` with the
    reason, so the near-copy rules are skipped and the check says it is incomplete (a missing corpus would
    silently pass every copy)."""

    def __init__(self, reason: Problem | str) -> None:
        self.reason = reason

    def add(self, post: CorpusPost) -> None:
        raise CorpusUnavailable(self.reason)

    def query(self, text: str, k: int = 5) -> list[SimilarPost]:
        raise CorpusUnavailable(self.reason)

    def query_passages(self, text: str, min_words: int = PASSAGE_WORDS) -> list[PassageMatch]:
        raise CorpusUnavailable(self.reason)


class SkippingPostIndex:
    """A view of another index that leaves out some posts, e.g. the draft's own earlier exports, so a
    draft is never flagged as a copy of itself."""

    def __init__(self, index: PostIndex, skip_sources: Collection[str]) -> None:
        self.index = index
        self.skip_sources = frozenset(skip_sources)

    def add(self, post: CorpusPost) -> None:
        self.index.add(post)

    def query(self, text: str, k: int = 5) -> list[SimilarPost]:
        found = self.index.query(text, k + 10)
        return [p for p in found if p.source not in self.skip_sources][:k]

    def query_passages(self, text: str, min_words: int = PASSAGE_WORDS) -> list[PassageMatch]:
        found = query_passages(self.index, text, min_words)
        return [m for m in found if m.post.source not in self.skip_sources]


def export_source(draft_id: str) -> str:
    """The corpus ``source`` of a post exported from the app's draft ``draft_id``."""
    return f"export:{draft_id}"


#: the most posts a query widened past the author's own exports asks for (:func:`query_past_own`)
MAX_PAST_OWN = 1024


def query_past_own(index: PostIndex, text: str, k: int, floor: float) -> list[SimilarPost]:
    """``index.query(text, k)``, asked again for more while the author's own exports crowd the others out: until
    it holds ``k`` posts that are not their own, or holds every post it has, or the last one is below ``floor``
    (what is further down cannot matter), or :data:`MAX_PAST_OWN`. Five own exports of a text ranked above a
    colleague's post it copies hid that post from the near-copy finding and from Ctrl+O (hostile probe)."""
    asked = k
    while True:
        found = index.query(text, k=asked)
        others = sum(1 for m in found if not is_own_source(m.source))
        if others >= k or len(found) < asked or not found or found[-1].similarity < floor or asked >= MAX_PAST_OWN:
            return found
        asked *= 4


def is_own_source(source: str) -> bool:
    """Whether a corpus post is one of the user's own exports (see :func:`export_source`). Only exports are
    stored so: an imported file's or a colleague's source never starts that way (:func:`foreign_source`)."""
    return source.startswith("export:")


def foreign_source(source: str) -> str:
    """``source`` of a post that is not the user's own export (an imported file, a colleague's post) as
    stored: one that would read as an export (a folder named ``export:team``, hostile probe) gets ``./``."""
    return f"./{source}" if is_own_source(source) else source


@lru_cache(maxsize=64)
def _boilerplate_shingles(texts: tuple[str, ...]) -> tuple[tuple[frozenset[str], ...], frozenset[str]]:
    """The boilerplate texts' shingle sets (those with any), and all their shingles together."""
    sets = tuple(found for found in (shingles(text) for text in texts) if found)
    return sets, frozenset().union(*sets)


#: a line of a block of several lines counts as part of boilerplate when this share of its shingles is in
#: the boilerplate texts: a block that is mostly boilerplate does not hide a line copied into it
BOILERPLATE_LINE_SHARE = 0.8


def boilerplate_spans(text: str, boilerplate: Sequence[str], at: float) -> list[tuple[int, int]]:
    """The paragraphs of ``text`` (blocks, and lines of blocks of several lines) that resemble one of the
    ``boilerplate`` texts at least ``at`` (Jaccard of shingles, as a near-copy is measured): sentences every
    author may use word for word, such as the network's disclaimer, which no comparison should count.

    A paragraph counts only when each of its lines is mostly boilerplate (:data:`BOILERPLATE_LINE_SHARE` of its
    shingles): a copied line glued above the disclaimer, or written before it on the same line, is not hidden
    (hostile probes); a block's lines then count one by one. Only
    paragraphs with enough words to reach ``at`` are candidates, the first :data:`MAX_DRAFT_PASSAGES` of
    them (a hundred one-word lines before the disclaimer left it unseen: hostile probe)."""
    sets, every = _boilerplate_shingles(tuple(boilerplate))
    if not sets:
        return []
    # Jaccard ≥ at needs at least at × |B| shingles, and a paragraph has no more shingles than words
    least = max(1, math.floor(at * min(len(b) for b in sets)))
    out: list[tuple[int, int]] = []
    for start, end in passages(text, least, MAX_DRAFT_PASSAGES):
        if any(a <= start and end <= b for a, b in out):
            continue  # a line of a block that is boilerplate as a whole
        part = text[start:end]
        found = shingles(part)
        if not found or not any(jaccard(found, known) >= at for known in sets):
            continue
        lines = [line for line in _LINE.split(part) if _may_hold_words(line)]
        if not all(_mostly_in(shingles(line), every) for line in lines):
            # a line that is not mostly boilerplate keeps its paragraph (a copy with the disclaimer on the same
            # line was blanked whole: hostile probe); a block's lines are then looked at one by one
            continue
        out.append((start, end))
    # and sentences that are boilerplate wherever they stand: the disclaimer written on the line of one's last
    # sentence (hostile probe: a copy with the disclaimer after it on one line came up for nothing)
    pos = 0
    for n, brk in enumerate([*_SENTENCE_END.finditer(text), None]):
        end = len(text) if brk is None or n >= MAX_BOILERPLATE_SENTENCES else brk.start()
        sentence = text[pos:end]
        inner = sentence.strip()
        if inner:
            start = pos + sentence.index(inner)
            span = (start, start + len(inner))
            if not any(a <= span[0] and span[1] <= b for a, b in out):
                found = shingles(inner)
                if found and _mostly_in(found, every):
                    out.append(span)
        if brk is None or n >= MAX_BOILERPLATE_SENTENCES:
            break
        pos = brk.end()
    return sorted(out)


#: sentences of a draft looked at for boilerplate at most (a post has a few dozen)
MAX_BOILERPLATE_SENTENCES = 2_000


def _mostly_in(part: frozenset[str], known: frozenset[str]) -> bool:
    return not part or len(part & known) >= BOILERPLATE_LINE_SHARE * len(part)


def _blanked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with the ``spans`` made spaces: what is compared, in the same places (a finding's span holds
    for the text as written)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _own_recurring(found: Sequence[PassageMatch], at: float, exclude: Collection[str]) -> list[tuple[int, int]]:
    """The spans of the draft's paragraphs that resemble (at least ``at``) two or more of the user's own
    exports: a sign-off of theirs."""
    own: dict[tuple[int, int], set[str]] = {}
    for m in found:
        if is_own_source(m.post.source) and m.post.similarity >= at and m.post.post_id not in exclude:
            own.setdefault((m.start, m.end), set()).add(m.post.post_id)
    return [span for span, posts in own.items() if len(posts) >= 2]


def _remeasured(
    compared: str, matches: Sequence[SimilarPost], boilerplate: Sequence[str], at: float
) -> list[SimilarPost]:
    """``matches`` with their similarity to ``compared`` (a draft, its boilerplate blanked) measured again
    with each post's boilerplate blanked too, and the boilerplate's shingles left out of both (a disclaimer on
    the same line as the post's last sentence: hostile probe), most similar first. A post without its text (an
    index that gives none) keeps its similarity."""
    every = _boilerplate_shingles(tuple(boilerplate))[1]
    mine = shingles(compared) - every
    out: list[SimilarPost] = []
    for m in matches:
        if m.text:
            theirs = shingles(_blanked(m.text, boilerplate_spans(m.text, boilerplate, at))) - every
            m = replace(m, similarity=jaccard(mine, theirs))
        out.append(m)
    return sorted(out, key=lambda m: (m.similarity, m.post_id), reverse=True)  # as _rank orders them


def _display_source(source: str, lang: str) -> str:
    """How a finding names a corpus post's source: "export:<id>" reads as the user's own export."""
    if is_own_source(source):
        return t("core.originality.own_export", "de" if lang == "de" else "en")
    return source


# -- MinHash signatures and LSH band keys ---------------------------------------------------------------


_HASH_CHUNK = 16384
"""Shingles whose permuted values are computed in one step (16,384 × 128 × 4 bytes = 8 MiB)."""


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The ``a`` (odd) and ``b`` of the NUM_PERM affine permutations, drawn as datasketch's ``affine32``
    scheme draws them for :data:`SEED`, so signatures equal datasketch's (a test compares them)."""
    import numpy as np

    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def prepare_hashing() -> None:
    """Import numpy and draw the permutations now (about 0.1 s), so that the first query does not: an app
    calls this in the worker that readies its corpus, never on a keystroke."""
    _permutations()
    from drafter.lsh_bands import band_keys  # noqa: F401


def signatures(shingle_sets: Sequence[Collection[str]]) -> np.ndarray:
    """MinHash signatures (``(n, NUM_PERM)`` uint32) of shingle sets, computed for the whole batch at once.

    Each shingle is hashed once (first 4 bytes of its SHA-1, little-endian), mixed with the MurmurHash3
    finalizer and mapped through the affine permutations ``a·h + b mod 2³²``; a signature holds the
    minimum per permutation (all ``2³² − 1`` for an empty set).
    """
    import numpy as np

    a, b = _permutations()
    out = np.full((len(shingle_sets), NUM_PERM), 0xFFFFFFFF, dtype=np.uint32)
    sha1 = hashlib.sha1
    # each distinct shingle hashed once: a post's paragraphs repeat its shingles, and posts share many
    hashed = {s: sha1(s.encode("utf-8", "surrogatepass")).digest()[:4] for s in set().union(*shingle_sets)}
    digests = b"".join(hashed[s] for group in shingle_sets for s in group)
    if not digests:
        return out
    hv = np.frombuffer(digests, dtype="<u4").astype(np.uint32)
    hv ^= hv >> np.uint32(16)
    hv *= np.uint32(0x85EBCA6B)
    hv ^= hv >> np.uint32(13)
    hv *= np.uint32(0xC2B2AE35)
    hv ^= hv >> np.uint32(16)
    sizes = np.fromiter((len(group) for group in shingle_sets), dtype=np.int64, count=len(shingle_sets))
    filled = np.flatnonzero(sizes)
    ends = np.cumsum(sizes)[filled]
    starts = ends - sizes[filled]
    lo = 0
    while lo < len(filled):  # bounded temporary memory: about 8 MiB of permuted values at a time
        hi = max(lo + 1, int(np.searchsorted(ends, starts[lo] + _HASH_CHUNK, side="right")))
        first, last = int(starts[lo]), int(ends[hi - 1])
        permuted = np.multiply(a[:, None], hv[None, first:last])  # permutation-major: reduceat runs along rows
        permuted += b[:, None]
        out[filled[lo:hi]] = np.minimum.reduceat(permuted, starts[lo:hi] - first, axis=1).T
        lo = hi
    return out


def signature(shingle_set: Collection[str]) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` uint32) of one shingle set."""
    return signatures([shingle_set])[0]


def _band_keys(sigs: np.ndarray) -> np.ndarray:
    from drafter.lsh_bands import band_keys

    return band_keys(sigs, *LSH_PARAMS)


def _passage_band_keys(sigs: np.ndarray) -> np.ndarray:
    """Band keys of paragraph entries: numbered from :data:`PASSAGE_FIRST_BAND`, never a whole post's key."""
    from drafter.lsh_bands import band_keys

    return band_keys(sigs, *LSH_PARAMS, first_band=PASSAGE_FIRST_BAND)


def _best(query: np.ndarray, sigs: np.ndarray) -> np.ndarray:
    """Positions in ``sigs`` worth confirming: MinHash estimate at least MIN_ESTIMATE, best first, at most
    EXACT_CANDIDATES."""
    import numpy as np

    if not len(sigs):
        return np.zeros(0, dtype=np.int64)
    agree = (sigs == query[None, :]).sum(axis=1)
    keep = np.flatnonzero(agree >= MIN_ESTIMATE * NUM_PERM)
    if len(keep) > EXACT_CANDIDATES:
        keep = keep[np.argpartition(-agree[keep], EXACT_CANDIDATES)[:EXACT_CANDIDATES]]
    return keep


class _BandTable:
    """The in-memory index of :class:`InMemoryPostIndex`: signatures in a growing matrix, slots by band key.

    Slots are dense; ``keys[slot]`` is the caller's key (a removed post's slot is forgotten)."""

    def __init__(self) -> None:
        import numpy as np

        self._np = np
        self._sigs = np.zeros((1024, NUM_PERM), dtype=np.uint32)
        self.keys: list[int] = []
        self.slot_of: dict[int, int] = {}
        self._buckets: dict[int, list[int]] = {}

    def insert_many(self, items: Sequence[tuple[int, np.ndarray]]) -> None:
        if not items:
            return
        np = self._np
        sigs = np.stack([sig for _, sig in items])
        while len(self.keys) + len(items) > len(self._sigs):
            grown = np.zeros((2 * len(self._sigs), NUM_PERM), dtype=np.uint32)
            grown[: len(self._sigs)] = self._sigs
            self._sigs = grown
        first = len(self.keys)
        self._sigs[first : first + len(items)] = sigs
        for offset, ((key, _), bands) in enumerate(zip(items, _band_keys(sigs).tolist(), strict=True)):
            slot = first + offset
            self.keys.append(key)
            self.slot_of[key] = slot
            for band_key in bands:
                self._buckets.setdefault(band_key, []).append(slot)

    def remove(self, key: int) -> None:
        self.slot_of.pop(key, None)

    def candidates(self, sig: np.ndarray) -> list[int]:
        """Caller keys of the candidates, best MinHash estimate first, at most EXACT_CANDIDATES."""
        np = self._np
        slots = {slot for band_key in _band_keys(sig).tolist() for slot in self._buckets.get(band_key, ())}
        live = np.fromiter((s for s in slots if self.slot_of.get(self.keys[s]) == s), dtype=np.int64)
        best = live[_best(sig, self._sigs[live])] if len(live) else live
        return [self.keys[int(slot)] for slot in best]


def _rank(
    query_shingles: frozenset[str],
    candidates: Iterable[tuple[CorpusPost, frozenset[str]]],
    k: int,
) -> list[SimilarPost]:
    scored = []
    for post, post_shingles in candidates:
        sim = jaccard(query_shingles, post_shingles)
        if sim > 0:
            scored.append(SimilarPost(post.post_id, post.source, post.opening_words, sim, post.text))
    return heapq.nlargest(k, scored, key=lambda s: (s.similarity, s.post_id))


class InMemoryPostIndex:
    """A corpus held in memory; the band table is built on the first query."""

    def __init__(self, posts: Iterable[CorpusPost] = ()) -> None:
        self._posts: list[CorpusPost] = []
        self._by_id: dict[str, int] = {}
        self._table: _BandTable | None = None
        #: paragraph entries (:func:`indexed_passages`): their own band table, and the post of each entry
        self._passages: _BandTable | None = None
        self._passage_post: list[int] = []
        self._lock = threading.Lock()
        for post in posts:
            self.add(post)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[CorpusPost]:
        return (self._posts[i] for i in self._by_id.values())

    def __contains__(self, post_id: object) -> bool:
        return post_id in self._by_id

    def add(self, post: CorpusPost) -> None:
        """Add a post; a post with an id already present is ignored."""
        with self._lock:
            if post.post_id in self._by_id:
                return
            key = len(self._posts)
            self._posts.append(post)
            self._by_id[post.post_id] = key
            if self._table is not None:
                self._table.insert_many([(key, signature(shingles(post.text)))])
                self._insert_passages([key])

    def _insert_passages(self, keys: Sequence[int]) -> None:
        assert self._passages is not None
        groups = [(key, group) for key in keys for group in indexed_passages(self._posts[key].text)]
        if not groups:
            return
        first = len(self._passage_post)
        self._passage_post.extend(key for key, _ in groups)
        sigs = signatures([group for _, group in groups])
        self._passages.insert_many([(first + i, sig) for i, sig in enumerate(sigs)])

    def remove(self, post_id: str) -> bool:
        with self._lock:
            key = self._by_id.pop(post_id, None)
            if key is None:
                return False
            if self._table is not None:
                self._table.remove(key)
            return True  # its paragraph entries stay, and are dropped as candidates (see _passage_candidates)

    def build(self) -> None:
        """Build the band table now (the first :meth:`query` does it otherwise)."""
        with self._lock:
            self._ensure_table()

    def _ensure_table(self) -> _BandTable:
        if self._table is None:
            table = _BandTable()
            self._passages = _BandTable()
            keys = list(self._by_id.values())
            for lo in range(0, len(keys), _BATCH):
                batch = keys[lo : lo + _BATCH]
                sigs = signatures([shingles(self._posts[key].text) for key in batch])
                table.insert_many(list(zip(batch, sigs, strict=True)))
                self._insert_passages(batch)
            self._table = table
        return self._table

    def query_passages(self, text: str, min_words: int = PASSAGE_WORDS) -> list[PassageMatch]:
        """For each paragraph of ``text`` with at least ``min_words`` words, the posts closest to it:
        candidates are the posts whose whole entry or paragraph entries share a band with the paragraph."""
        spans = draft_passages(text, min_words)
        if not spans:
            return []
        with self._lock:
            table = self._ensure_table()
            passages_table = self._passages
            assert passages_table is not None

            def candidates_of(part: frozenset[str]) -> list[CorpusPost]:
                sig = signature(part)
                keys = dict.fromkeys(table.candidates(sig))
                for entry in passages_table.candidates(sig):
                    key = self._passage_post[entry]
                    if self._by_id.get(self._posts[key].post_id) == key:  # not removed since
                        keys[key] = None
                return [self._posts[key] for key in keys]

            return best_passages(text, spans, candidates_of)

    def query(self, text: str, k: int = 5) -> list[SimilarPost]:
        """The ``k`` most similar posts among the LSH candidates, most similar first."""
        query_shingles = shingles(text)
        if not query_shingles or k <= 0:
            return []
        with self._lock:
            table = self._ensure_table()
            keys = table.candidates(signature(query_shingles))
            posts = [self._posts[key] for key in keys]
        return _rank(query_shingles, ((p, shingles(p.text)) for p in posts), k)


_BATCH = 2000
"""Posts hashed and written per step: an import or index of any size holds at most this many posts'
signatures and band keys in memory."""


def _index_scheme() -> str:
    """Names everything the stored band keys depend on (meta ``corpus_index_scheme``): when it changes,
    the next :meth:`StoredPostIndex.build` recomputes them (and signatures of another scheme)."""
    from drafter.lsh_bands import BAND_SCHEME

    passages = f"passages w{PASSAGE_WORDS}/s{PASSAGE_SHARE}/m{MAX_PASSAGES}/f{PASSAGE_FIRST_BAND}/blank2/lines"
    return f"{SIGNATURE_SCHEME};{BAND_SCHEME};b{LSH_PARAMS[0]}r{LSH_PARAMS[1]};{passages}"


class StoredPostIndex:
    """The corpus in the SQLite store: posts in ``corpus_posts`` (with their MinHash signature), LSH band
    keys in the indexed table ``corpus_bands(key, band, post)`` — the layout of :mod:`drafter.lsh_bands`.

    Signatures and band keys are computed when posts are added, in batches of :data:`_BATCH`, so a
    query never hashes the corpus and nothing is rebuilt at start: it hashes the draft, looks its band
    keys up with one indexed query, ranks the candidates by the MinHash estimate of their stored
    signatures and confirms the best with the exact measure. Posts that another process adds are found
    by the next query. :meth:`build` indexes what an older version stored without band keys, and
    everything again when :data:`SIGNATURE_SCHEME` or the band scheme changes.
    """

    def __init__(self, store: Store, *, sync_on_query: bool = True) -> None:
        """``sync_on_query=True``: a query first indexes posts still without band keys (stored by an older
        version or before a scheme change); ``False``: queries only read (an editor calls :meth:`build` in
        the background instead, so a keystroke never waits for hashing or for the write lock)."""
        self.store = store
        self.sync_on_query = sync_on_query
        self._lock = threading.Lock()
        #: the last answers, by (text, k): a draft checked for three channels asks the same questions (as
        #: written and without its boilerplate) once per channel
        self._memo: dict[tuple[str, int], tuple[SimilarPost, ...]] = {}
        #: (paragraph, min_words) → the posts closest to it, for the paragraphs of the last draft asked
        #: about: a keystroke looks up only the paragraph it changed
        self._passage_memo: dict[tuple[str, int], tuple[SimilarPost, ...]] = {}

    # -- writing --------------------------------------------------------------------------------
    def add(self, post: CorpusPost) -> None:
        """Add a post (ignored when a post with the same id exists)."""
        self.add_many([post])

    def add_many(self, posts: Iterable[CorpusPost], *, added_at: str | None = None) -> tuple[int, int]:
        """Add posts with their signatures and band keys in one transaction (all or nothing), hashing
        :data:`_BATCH` posts at a time; returns ``(added, already_present)``."""
        import datetime as dt

        stamp = added_at or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        added = present = 0
        scheme = _index_scheme()
        self._memo = {}
        self._passage_memo = {}
        with self.store.transaction() as conn:
            self._reset_if_stale(conn, scheme)
            iterator = iter(posts)
            while batch := list(itertools.islice(iterator, _BATCH)):
                sigs, passage_posts, passage_sigs = _hashed([post.text for post in batch])
                new: list[int] = []
                fresh: list[int] = []
                for i, post in enumerate(batch):
                    cur = conn.execute(
                        "INSERT OR IGNORE INTO corpus_posts(id, source, channel, brief_id, text, added_at,"
                        " signature, signature_scheme, indexed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
                        (
                            post.post_id,
                            post.source,
                            post.channel,
                            post.brief_id,
                            post.text,
                            stamp,
                            sigs[i].tobytes(),
                            SIGNATURE_SCHEME,
                        ),
                    )
                    if cur.rowcount:
                        added += 1
                        new.append(i)
                        fresh.append(int(cur.lastrowid or 0))
                    else:
                        present += 1
                if new:
                    _write_bands(conn, fresh, sigs[new])
                    seq_of = dict(zip(new, fresh, strict=True))
                    kept = [j for j, i in enumerate(passage_posts) if i in seq_of]
                    if kept:
                        keys = _passage_band_keys(passage_sigs[kept])
                        _insert_band_rows(conn, [seq_of[passage_posts[j]] for j in kept], keys, PASSAGE_FIRST_BAND)
        return added, present

    def remove(self, post_id: str) -> bool:
        self._memo = {}
        self._passage_memo = {}
        with self._lock, self.store.transaction() as conn:
            row = conn.execute(
                "SELECT seq, text, signature, signature_scheme, indexed FROM corpus_posts WHERE id = ?", (post_id,)
            ).fetchone()
            if row is None:
                return False
            seq = int(row["seq"])
            sig = _stored_signature(row)
            if sig is not None and row["indexed"]:
                keys = _band_keys(sig).tolist()
                groups = indexed_passages(_row_text(row))
                if groups:
                    keys.extend(_passage_band_keys(signatures(groups)).ravel().tolist())
                conn.execute(
                    f"DELETE FROM corpus_bands WHERE key IN ({','.join('?' * len(keys))}) AND post = ?",
                    (*keys, seq),
                )
            else:  # no signature to find its keys by: look at every row (rare)
                conn.execute("DELETE FROM corpus_bands WHERE post = ?", (seq,))
            conn.execute("DELETE FROM corpus_posts WHERE seq = ?", (seq,))
            return True

    def claim(self, sources: Mapping[str, str]) -> int:
        """Give the stored posts ``sources`` names (post id → an own export's source, :func:`export_source`) that
        source, where it is not one of the user's own already: posts imported earlier without ``--own``. The
        number changed."""
        self._memo = {}
        self._passage_memo = {}
        changed = 0
        with self._lock, self.store.transaction() as conn:
            for post_id, source in sources.items():
                changed += conn.execute(
                    "UPDATE corpus_posts SET source = ? WHERE id = ? AND substr(source, 1, 7) != 'export:'",
                    (source, post_id),
                ).rowcount
        return changed

    # -- reading --------------------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self.store.conn.execute("SELECT count(*) FROM corpus_posts").fetchone()[0])

    def is_empty(self) -> bool:
        """Whether no post is stored (one row read, where ``len`` counts them all)."""
        return self.store.conn.execute("SELECT 1 FROM corpus_posts LIMIT 1").fetchone() is None

    def get(self, post_id: str) -> CorpusPost | None:
        row = self.store.conn.execute(
            "SELECT id, source, channel, brief_id, text FROM corpus_posts WHERE id = ?", (post_id,)
        ).fetchone()
        return None if row is None else _post_from_row(row)

    def posts(self, limit: int | None = None, offset: int = 0) -> list[CorpusPost]:
        rows = self.store.conn.execute(
            "SELECT id, source, channel, brief_id, text FROM corpus_posts ORDER BY seq LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        ).fetchall()
        return [_post_from_row(r) for r in rows]

    def stats(self) -> dict[str, Any]:
        conn = self.store.conn
        total, words, first, last = conn.execute(
            "SELECT count(*), coalesce(sum(length(text)), 0), min(added_at), max(added_at) FROM corpus_posts"
        ).fetchone()
        channels = {
            (r[0] or ""): int(r[1])
            for r in conn.execute("SELECT channel, count(*) FROM corpus_posts GROUP BY channel ORDER BY 2 DESC")
        }
        sources = int(
            conn.execute(
                "SELECT count(DISTINCT CASE WHEN instr(source, '#') > 0"
                " THEN substr(source, 1, instr(source, '#') - 1) ELSE source END) FROM corpus_posts"
            ).fetchone()[0]
        )
        return {
            "posts": int(total),
            "characters": int(words),
            "sources": sources,
            "channels": channels,
            "first_added": first,
            "last_added": last,
        }

    # -- the band index -------------------------------------------------------------------------
    def build(self) -> None:
        """Index posts that have no band keys yet (none, unless an older version or another scheme
        stored them), :data:`_BATCH` per transaction. Cheap when there is nothing to do: one read."""
        with self._lock:
            self._memo = {}
            self._passage_memo = {}
            self._sync()

    @staticmethod
    def _reset_if_stale(conn: sqlite3.Connection, scheme: str) -> None:
        """Inside a write transaction: drop band keys of another scheme (their posts are indexed again)."""
        row = conn.execute("SELECT value FROM meta WHERE key = 'corpus_index_scheme'").fetchone()
        if row is not None and row[0] == scheme:
            return
        conn.execute("DELETE FROM corpus_bands")
        conn.execute("UPDATE corpus_posts SET indexed = 0 WHERE indexed != 0")
        conn.execute(
            "INSERT INTO meta(key, value) VALUES('corpus_index_scheme', ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (scheme,),
        )

    def _sync(self) -> None:
        conn = self.store.conn
        scheme = _index_scheme()
        if self.store.get_meta("corpus_index_scheme") != scheme:
            if not conn.execute("SELECT 1 FROM corpus_posts LIMIT 1").fetchone():
                return  # nothing to index; the first add_many records the scheme
            try:
                with self.store.transaction() as tx:
                    self._reset_if_stale(tx, scheme)
            except sqlite3.Error:
                return  # a read-only or busy store: the next writable build does it
        while True:
            rows = conn.execute(
                "SELECT seq, text, signature, signature_scheme FROM corpus_posts WHERE indexed = 0"
                " ORDER BY seq LIMIT ?",
                (_BATCH,),
            ).fetchall()
            if not rows:
                return
            cached = [_stored_signature(row) for row in rows]
            missing = [i for i, sig in enumerate(cached) if sig is None]
            if missing:
                for i, sig in zip(missing, signatures([shingles(_row_text(rows[i])) for i in missing]), strict=True):
                    cached[i] = sig
            import numpy as np

            sigs = np.stack([sig for sig in cached if sig is not None])
            seqs = [int(row["seq"]) for row in rows]
            groups = [
                (seq, group) for seq, row in zip(seqs, rows, strict=True) for group in indexed_passages(_row_text(row))
            ]
            try:
                with self.store.transaction() as tx:
                    _write_bands(tx, seqs, sigs)
                    if groups:
                        keys = _passage_band_keys(signatures([group for _, group in groups]))
                        _insert_band_rows(tx, [seq for seq, _ in groups], keys, PASSAGE_FIRST_BAND)
                    tx.executemany(
                        "UPDATE corpus_posts SET signature = ?, signature_scheme = ?, indexed = 1 WHERE seq = ?",
                        [(sig.tobytes(), SIGNATURE_SCHEME, seq) for sig, seq in zip(sigs, seqs, strict=True)],
                    )
            except sqlite3.Error:
                return  # a read-only or busy store: these posts are found after the next writable build

    def query(self, text: str, k: int = 5) -> list[SimilarPost]:
        """The ``k`` most similar posts, most similar first. The last answer is kept: a draft checked for
        three channels asks the same question three times per keystroke (another process's new posts
        show from the next edit on). A store that cannot be read raises :class:`CorpusUnavailable`."""
        known = self._memo.get((text, k))
        if known is not None:
            return list(known)
        try:
            found = self._query(text, k)
        except sqlite3.Error as exc:
            raise self._unavailable(exc) from exc
        memo = self._memo if len(self._memo) < 4 else {}  # a new dict: another thread may read the old one
        memo[(text, k)] = tuple(found)
        self._memo = memo
        return found

    def _query(self, text: str, k: int) -> list[SimilarPost]:
        query_shingles = shingles(text)
        if not query_shingles or k <= 0:
            return []
        sig = signature(query_shingles)
        keys = _band_keys(sig).tolist()
        with self._lock:
            if self.sync_on_query:
                self._sync()
            conn = self.store.conn
            rows = conn.execute(
                "SELECT seq, signature FROM corpus_posts WHERE seq IN"
                f" (SELECT post FROM corpus_bands WHERE key IN ({','.join('?' * len(keys))}))"
                " AND signature_scheme = ? AND indexed = 1",
                (*keys, SIGNATURE_SCHEME),
            ).fetchall()
            if not rows:
                return []
            import numpy as np

            blobs = [row[1] for row in rows if len(row[1]) == 4 * NUM_PERM]
            seqs = [int(row[0]) for row in rows if len(row[1]) == 4 * NUM_PERM]
            matrix = np.frombuffer(b"".join(blobs), dtype=np.uint32).reshape(len(blobs), NUM_PERM)
            best = [seqs[int(i)] for i in _best(sig, matrix)]
            if not best:
                return []
            found = conn.execute(
                "SELECT id, source, channel, brief_id, text FROM corpus_posts"
                f" WHERE seq IN ({','.join('?' * len(best))})",
                best,
            ).fetchall()
        posts = [_post_from_row(row) for row in found]
        return _rank(query_shingles, ((p, shingles(p.text)) for p in posts), k)

    def query_passages(self, text: str, min_words: int = PASSAGE_WORDS) -> list[PassageMatch]:
        """For each paragraph of ``text`` with at least ``min_words`` words, the posts closest to it
        (:func:`paragraph_similarity`), best first. Candidates are the posts whose whole entry or paragraph
        entries share the most bands with the paragraph. A paragraph asked about before (in the last draft asked
        about) is answered from memory: another process's new posts show once it is edited."""
        spans = draft_passages(text, min_words)
        old = self._passage_memo
        memo: dict[tuple[str, int], tuple[SimilarPost, ...]] = {}
        out: list[PassageMatch] = []
        for start, end in spans:
            block = text[start:end]
            found = memo.get((block, min_words)) or old.get((block, min_words))  # a paragraph repeated: asked once
            if found is None:
                try:
                    matches = best_passages(block, [(0, len(block))], self._passage_candidates)
                except sqlite3.Error as exc:
                    raise self._unavailable(exc) from exc
                found = tuple(m.post for m in matches)
            memo[(block, min_words)] = found
            out.extend(PassageMatch(start, end, post) for post in found)
        self._passage_memo = memo
        return out

    def _unavailable(self, exc: sqlite3.Error) -> CorpusUnavailable:
        """The error a query raises when the store cannot be read: the reason, the store, what to do."""
        return CorpusUnavailable(unreadable_store(self.store.path, exc))

    def _passage_candidates(self, part: frozenset[str]) -> list[CorpusPost]:
        """The posts sharing the most bands with a paragraph's shingles ``part``: its keys as a whole post's
        and as a paragraph's, looked up at once."""
        sig = signature(part)
        keys = [*_band_keys(sig).tolist(), *_passage_band_keys(sig).tolist()]
        with self._lock:
            if self.sync_on_query:
                self._sync()
            rows = self.store.conn.execute(
                "SELECT id, source, channel, brief_id, text FROM corpus_posts WHERE seq IN"
                f" (SELECT post FROM corpus_bands WHERE key IN ({','.join('?' * len(keys))})"
                "  GROUP BY post ORDER BY count(*) DESC, post LIMIT ?) AND indexed = 1",
                (*keys, EXACT_CANDIDATES),
            ).fetchall()
        return [_post_from_row(row) for row in rows]


def _stored_signature(row: Any) -> np.ndarray | None:
    """A row's cached signature when it is of the current scheme and whole, else None."""
    import numpy as np

    blob = row["signature"]
    if blob is None or row["signature_scheme"] != SIGNATURE_SCHEME or len(blob) != 4 * NUM_PERM:
        return None
    return np.frombuffer(blob, dtype=np.uint32)


def _write_bands(conn: sqlite3.Connection, seqs: Sequence[int], sigs: np.ndarray) -> None:
    """Band rows ``(key, band, post)`` of posts ``seqs`` with signatures ``sigs`` (same order)."""
    _insert_band_rows(conn, seqs, _band_keys(sigs), 0)


def _hashed(texts: Sequence[str]) -> tuple[np.ndarray, list[int], np.ndarray]:
    """The signatures of posts ``texts``, and of their paragraph entries (:func:`indexed_passages`) with the
    post each belongs to (its position in ``texts``): hashed in one step, so that a paragraph's shingles,
    which its post has too, are hashed once."""
    groups = [(i, group) for i, text in enumerate(texts) for group in indexed_passages(text)]
    sigs = signatures([shingles(text) for text in texts] + [group for _, group in groups])
    return sigs[: len(texts)], [i for i, _ in groups], sigs[len(texts) :]


def _insert_band_rows(conn: sqlite3.Connection, seqs: Sequence[int], keys: np.ndarray, first_band: int) -> None:
    """Rows ``(key, band, post)`` for the band ``keys`` (one row of keys per entry of ``seqs``), written in
    key order: the keys are random, and inserting them sorted walks the index once instead of jumping
    between pages (half the time for a large import)."""
    import numpy as np

    n, bands = keys.shape
    flat = keys.ravel()
    order = np.argsort(flat, kind="stable")
    band_of = (np.tile(np.arange(bands, dtype=np.int64), n) + first_band)[order]
    post_of = np.repeat(np.asarray(seqs, dtype=np.int64), bands)[order]
    conn.executemany(
        "INSERT OR IGNORE INTO corpus_bands(key, band, post) VALUES (?, ?, ?)",
        zip(flat[order].tolist(), band_of.tolist(), post_of.tolist(), strict=True),
    )


def _row_text(row: Any) -> str:
    """A stored post's text; a row holding anything else (written by hand, or a broken disk) is a damaged
    store, said as such (hostile probe: bytes there ended ``drafter lint`` in a TypeError)."""
    text = row["text"]
    if not isinstance(text, str):
        raise sqlite3.DatabaseError(f"a corpus post holds {type(text).__name__}, not text")
    return text


def _post_from_row(row: Any) -> CorpusPost:
    return CorpusPost(
        text=_row_text(row),
        source=row["source"],
        post_id=row["id"],
        channel=row["channel"],
        brief_id=row["brief_id"],
    )


# -- findings -------------------------------------------------------------------------------------------


def similarity_findings(
    text: str,
    index: PostIndex,
    warning_at: float,
    error_at: float,
    lang: str = "de",
    *,
    rule: str = "corpus_similarity",
    exclude: Collection[str] = (),
    passage_words: int = 0,
    boilerplate: Sequence[str] = (),
) -> list[Finding]:
    """Findings (category ``originality``) where the draft resembles a corpus post.

    The whole draft: warning from ``warning_at``, error from ``error_at`` (similarities 0.0–1.0); the
    finding names the most similar post (its source and opening words) and spans the whole draft. Drafts of
    fewer than :data:`MIN_WORDS` words are not compared.

    With ``passage_words`` (≥ :data:`PASSAGE_WORDS`; 0: not at all), each paragraph of at least that many
    words too: a finding spans a paragraph whose similarity with a post's paragraph (or a whole post,
    :func:`paragraph_similarity`) reaches the same thresholds, unless the whole draft's finding names that
    post already. Posts whose id is in ``exclude`` (e.g. this draft's own earlier export) are ignored.

    A paragraph is not reported for resembling one of the user's own exports (:func:`is_own_source`): a
    sign-off or an introduction of one's own that comes back in every post is the author's voice, not a copy;
    a whole draft close to an own post still is (the same post twice). The ``boilerplate`` texts
    (:func:`boilerplate_spans`), and a paragraph found in two or more own exports (a sign-off), are left out of
    both comparisons: the network's disclaimer, used word for word by everyone, is no copy of a colleague.
    """
    if not text.strip() or word_count(text) < MIN_WORDS:
        return []
    key = "de" if lang == "de" else "en"
    out: list[Finding] = []
    # boilerplate is neither compared nor looked up (a disclaimer under tens of thousands of posts would make
    # its lookup the slowest of all)
    common = boilerplate_spans(text, boilerplate, warning_at) if boilerplate else []
    compared = _blanked(text, common) if common else text
    looked_up: list[PassageMatch] = []
    if passage_words:
        looked_up = query_passages(index, compared, max(passage_words, PASSAGE_WORDS))
        # the user's own sign-off: a paragraph found in two or more of their exports is boilerplate of theirs for
        # the whole-draft measure too (a short greeting above a long sign-off read as a 90 % copy of the last
        # such post: new-user probe); a paragraph in one export is not (the same post twice is still found)
        signed = _own_recurring(looked_up, warning_at, exclude)
        if signed:
            common = sorted({*common, *signed})
            compared = _blanked(text, common)
            boilerplate = [*boilerplate, *(text[a:b] for a, b in signed)]
    hits: list[SimilarPost] = []
    if word_count(compared) >= MIN_WORDS:
        # looked up as written (a colleague's post copied with its disclaimer is found whole), then measured with
        # the boilerplate of both sides left out
        asked = 5 + len(exclude) + (5 if boilerplate else 0)
        candidates = query_past_own(index, text, asked, warning_at)
        if common:  # and without it: extra disclaimers under a short copy made it too unlike (hostile probe)
            seen = {m.post_id for m in candidates}
            candidates += [m for m in query_past_own(index, compared, asked, warning_at) if m.post_id not in seen]
        matches = [m for m in candidates if m.post_id not in exclude]
        if boilerplate:
            matches = _remeasured(compared, matches, boilerplate, warning_at)
        hits = [m for m in matches if m.similarity >= warning_at]
    if hits:
        best = hits[0]
        more = t("core.originality.more", key, n=len(hits) - 1) if len(hits) > 1 else ""
        other = next((m for m in hits if not is_own_source(m.source)), None)
        if other is not None and other is not best and is_own_source(best.source):
            # a copy of a colleague's post is named even when the author's own repost is closer (it hid in
            # "… einem deiner exportierten Beiträge … und 5 weiteren": hostile probe)
            more = t(
                "core.originality.more_other",
                key,
                n=len(hits) - 1,
                source=_display_source(other.source, key) or other.post_id,
                pct=format_percent(_shown(other.similarity), key),
            )
        end = len(text.rstrip())
        start = len(text) - len(text.lstrip())
        out.append(_originality_finding(rule, best, min(start, end), end, "similar", error_at, key, more=more))
    if passage_words:
        named = {m.post_id for m in hits}
        done: set[tuple[int, int]] = set()
        flagged: list[PassageMatch] = []
        for found in looked_up:
            span = (found.start, found.end)
            post = found.post
            if span in done or post.post_id in exclude or is_own_source(post.source) or post.similarity < warning_at:
                continue
            done.add(span)  # the best post not left out, per paragraph
            if post.post_id not in named:  # else named by the whole draft's finding
                flagged.append(found)
        for found in flagged:
            # a line inside a flagged block: one finding for the closer of the two. The block gives way to a line
            # closer to the same post (a colleague's paragraph on a line of its own under one's own line read as
            # a 64 % warning on the block, the line's 100 % unsaid: new-user probe); the line gives way to a
            # block at least as close, for the same post or any other (a line closer to a second post is its
            # own finding: hostile probe — a block at 71 % hid a line copied whole from a second post)
            a, b, post = found.start, found.end, found.post
            if any(
                (o.start, o.end) != (a, b)
                and (
                    (o.start <= a and b <= o.end and o.post.similarity >= post.similarity)
                    or (
                        a <= o.start
                        and o.end <= b
                        and o.post.post_id == post.post_id
                        and o.post.similarity > post.similarity
                    )
                )
                for o in flagged
            ):
                continue
            finding = _originality_finding(rule, found.post, a, b, "passage", error_at, key)
            # the paragraph is what the finding flags: a dismissal holds for these words only
            out.append(replace(finding, match=text[a:b]))
    return out


def _shown(similarity: float) -> float:
    """The similarity as a message shows it: rounded down to a whole percent, so that a warning never reads
    "85 %" where 85 % is the error's threshold (new-user probe: 0.849 was shown as 85 %)."""
    return math.floor(similarity * 100 + 1e-9) / 100


def _originality_finding(
    rule: str, post: SimilarPost, start: int, end: int, kind: str, error_at: float, key: str, **more: str
) -> Finding:
    """A finding on ``start``–``end`` naming ``post``, worded by ``core.originality.<kind>`` (``<kind>_own``
    for one of the user's own exports, when the catalogue has it: the same post twice is no campaign)."""
    if is_own_source(post.source) and kind == "similar":
        kind = "similar_own"
    message = t(
        f"core.originality.{kind}",
        key,
        pct=format_percent(_shown(post.similarity), key),
        source=_display_source(post.source, key) or post.post_id,
        opening=post.opening_words,
        **more,
    )
    return Finding(
        rule=rule,
        category="originality",
        severity=Severity.ERROR if post.similarity >= error_at else Severity.WARNING,
        message=message,
        start=start,
        end=end,
        why=t("core.originality.why", key),
        match=post.post_id,
    )
