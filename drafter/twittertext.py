"""Hashtags, mentions, URLs, emoji and X's weighted length, the way twitter-text defines them.

Hashtag and mention extraction follow twitter-text's rules (its conformance files in
``../shared/conformance/twitter-text`` are the tests). URL extraction and the v3 weighting config
come from the ``twitter-text-parser`` package; it is imported lazily, on the first call that needs it,
because importing it costs about 0.2 s. Call :func:`preload` to pay that cost up front (e.g. at app
start).

All offsets are code-point offsets into the text as given (Python ``str`` indices).
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import regex

from drafter.pattern_cache import compile_cached, compile_regex


@dataclass(frozen=True, slots=True)
class Entity:
    """A hashtag (``text`` without ``#``), mention (without ``@``) or URL (the URL) at ``[start, end)``."""

    text: str
    start: int
    end: int


# --- character sets of twitter-text -------------------------------------------------------------
# Hashtag characters: letters and marks, decimal digits, and a handful of joiners/marks that
# twitter-text allows inside a tag (underscore, ZWNJ/ZWJ, Hebrew geresh/gershayim/maqaf, Japanese
# long-sound and iteration marks, Tibetan tsheg, middle dot).
_TAG_LETTER = r"\p{L}\p{M}"
_TAG_OTHER = r"\p{Nd}_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003\u0f0b\u0f0c\u00b7"
_TAG_CHAR = _TAG_LETTER + _TAG_OTHER

# Latin letters with accents (the set twitter-text uses to refuse "@aliceìnheiro"); kept equal to
# twitter_text.regexp.latin_accent_chars by a test, spelled out here so that importing this module
# stays cheap.
LATIN_ACCENT_CHARS = (
    r"\xC0-\xD6\xD8-\xF6\xF8-\xFF\u0100-\u024F\u0253\u0254\u0256\u0257\u0259\u025B\u0263\u0268"
    r"\u026F\u0272\u0289\u028B\u02BB\u0300-\u036F\u1E00-\u1EFF"
)
# The white-space set of twitter-text (twitter_text.regexp.spaces_group); no URL contains one.
SPACES = r"\x09-\x0D\x20\x85\xA0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"

# A hashtag: a boundary (start of text, a variation selector, or any character that is neither '&'
# nor a hashtag character; consumed, as in twitter-text), '#' or '＃' not followed by VS16/keycap,
# then hashtag characters containing at least one letter. The body is written without
# backtracking: non-letters, one letter, then any hashtag characters.
_HASHTAG = compile_regex(
    rf"(?:^|[\ufe0e\ufe0f]|[^&{_TAG_CHAR}])([#＃])(?![\ufe0f\u20e3])"
    rf"([{_TAG_OTHER}]*+[{_TAG_LETTER}][{_TAG_CHAR}]*+)",
    slow=0,  # kept compiled (see drafter.pattern_cache), as the large classes below: ~3 ms at every start
)
_HASHTAG_END = re.compile(r"[#＃]|://")

# A mention: a boundary (not after a word character or one of !#$%&*@＠, or after "RT"/"RT:"),
# '@' or '＠', 1-20 name characters, an optional list slug.
_MENTION = compile_regex(
    r"(?:^|[^a-zA-Z0-9_!#$%&*@＠]|(?:^|[^a-zA-Z0-9_+~.-])(?:rt|RT|rT|Rt):?)"
    r"([@＠])([a-zA-Z0-9_]{1,20})(/[a-zA-Z][a-zA-Z0-9_-]{0,24})?",
    slow=0,
)
_MENTION_END = compile_cached(rf"[@＠{LATIN_ACCENT_CHARS}]|://")

# Every URL twitter-text finds has a domain "name.tld" whose TLD starts with a letter right after a
# dot, and URLs never contain white space. So only the white-space-free runs around a "." followed
# by something other than white space, an ASCII digit or ASCII punctuation are handed to the
# (comparatively slow) URL regex of twitter-text-parser. (Simple scans use the standard `re`
# module, which is several times faster than `regex` for plain character classes.)
_ASCII_PUNCT_DIGITS = r"0-9!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~"
_DOT_BEFORE_LETTER = compile_cached(rf"\.[^{SPACES}{_ASCII_PUNCT_DIGITS}]")
_NON_SPACE_RUN = compile_cached(rf"[^{SPACES}]*")
_SPACE = compile_cached(rf"[{SPACES}]")
HASH_SIGNS = "#＃"
AT_SIGNS = "@＠"


def _finditer_near(pattern: regex.Pattern[str], text: str, signs: str, lookback: int) -> Iterator[regex.Match[str]]:
    """The matches of ``pattern.finditer(text)``, for a pattern whose every match has one of the
    ``signs`` at most ``lookback`` characters after its start: only those starts are tried, in
    order, each at most once and from where the previous match ended (as finditer does)."""
    pos = 0  # where the previous match ended
    tried = -1  # the last start tried
    for h in _positions(text, signs):
        for p in range(max(h - lookback, tried + 1, pos), h + 1):
            m = pattern.match(text, p)
            if m is not None:
                yield m
                pos = m.end()  # beyond h: the rest of this range is inside the match
                break
        tried = h


def _positions(text: str, chars: str) -> list[int]:
    """Sorted positions of any of ``chars`` in ``text`` (str.find is much faster than a regex scan)."""
    out: list[int] = []
    for c in chars:
        i = text.find(c)
        while i >= 0:
            out.append(i)
            i = text.find(c, i + 1)
    if len(chars) > 1:
        out.sort()
    return out


def _candidate_runs(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each white-space-free run holding a dot followed by a possible TLD, with
    the white-space character before it."""
    n = len(text)
    reverse: str | None = None
    end = -1
    for dot in _DOT_BEFORE_LETTER.finditer(text):
        d = dot.start()
        if d < end:
            continue  # same run as the previous dot
        if reverse is None:
            reverse = text[::-1]
        # the run before the dot, read backwards: reverse[n - d:] starts with text[d - 1]
        start = d - (_run_end(reverse, n - d) - (n - d))
        end = _run_end(text, d)
        # Keep the white-space character before the run: in the whole text the URL regex consumes
        # it as the "preceding character"; without it, it could consume the run's first character
        # instead and start the URL one character later.
        yield max(0, start - 1), end


def _run_end(text: str, pos: int) -> int:
    m = _NON_SPACE_RUN.match(text, pos)
    return pos if m is None else m.end()


# --- hashtags -------------------------------------------------------------------------------------
def _hashtags_raw(text: str) -> list[Entity]:
    tags: list[Entity] = []
    for m in _finditer_near(_HASHTAG, text, HASH_SIGNS, 1):
        if _HASHTAG_END.match(text, m.end()):
            continue  # "#tag#" or "#http://": twitter-text drops the match (its text stays consumed)
        tags.append(Entity(m.group(2), m.start(1), m.end()))
    return tags


def extract_hashtags_with_indices(text: str, *, check_url_overlap: bool = True) -> list[Entity]:
    """Hashtags in order; those inside a URL (``example.com/#tag``) are dropped like twitter-text does."""
    if "#" not in text and "＃" not in text:
        return []
    tags = _hashtags_raw(text)
    if check_url_overlap and _may_be_in_url(text, tags):
        urls = extract_urls_with_indices(text)
        if urls:
            tags = _drop_overlapping(tags, urls)
    return tags


def _may_be_in_url(text: str, entities: list[Entity]) -> bool:
    """False when no entity can lie in a URL: each starts the text or follows white space, and no
    URL contains white space or starts with '#'/'@'."""
    return any(e.start > 0 and _SPACE.match(text, e.start - 1) is None for e in entities)


def extract_hashtags(text: str) -> list[str]:
    return [tag.text for tag in extract_hashtags_with_indices(text)]


def _drop_overlapping(kept_kind: list[Entity], others: list[Entity]) -> list[Entity]:
    """twitter-text's overlap removal: sort all entities by start (``kept_kind`` first on ties),
    walk left to right and drop every entity starting before the last kept one ends; return what
    is left of ``kept_kind``."""
    merged = sorted([(e.start, 0, e) for e in kept_kind] + [(e.start, 1, e) for e in others], key=_key)
    out: list[Entity] = []
    prev_end = -1
    for _, kind, entity in merged:
        if entity.start < prev_end:
            continue
        prev_end = entity.end
        if kind == 0:
            out.append(entity)
    return out


def _key(item: tuple[int, int, Entity]) -> tuple[int, int]:
    return item[0], item[1]


# --- mentions -------------------------------------------------------------------------------------
def extract_mentions_or_lists_with_indices(text: str) -> list[tuple[Entity, str]]:
    """Mentions with their list slug (``"/list-name"`` or ``""``); the entity spans both."""
    if "@" not in text and "＠" not in text:
        return []
    out: list[tuple[Entity, str]] = []
    for m in _finditer_near(_MENTION, text, AT_SIGNS, 4):
        if _MENTION_END.match(text, m.end()):
            continue  # "@user@host", "@user://", "@aliceìnheiro"
        out.append((Entity(m.group(2), m.start(1), m.end()), m.group(3) or ""))
    return out


def extract_mentions_with_indices(text: str, *, check_url_overlap: bool = True) -> list[Entity]:
    """@mentions (not lists), as twitter-text extracts them.

    With ``check_url_overlap`` (the default) a mention inside a URL (``https://host/@name``) is
    dropped, as twitter-text's combined entity extraction does; twitter-text's mention-only
    function keeps it.
    """
    found = extract_mentions_or_lists_with_indices(text)
    mentions = [entity for entity, slug in found if not slug]
    if check_url_overlap and _may_be_in_url(text, mentions):
        others = [entity for entity, slug in found if slug]
        urls = extract_urls_with_indices(text)
        if urls:
            mentions = _drop_overlapping(mentions, others + urls)
    return mentions


def extract_mentions(text: str) -> list[str]:
    return [mention.text for mention in extract_mentions_with_indices(text)]


# --- URLs (twitter-text-parser, run only on candidate runs) --------------------------------------
_lock = threading.RLock()
_tt_extract: Callable[..., list[dict[str, Any]]] | None = None

UrlMatch = tuple[int, int, str]


_PARTS = "_drafter_twitter_text_parts"


def twitter_text_part(name: str) -> ModuleType:
    """A submodule of twitter-text-parser, loaded without the package's ``__init__``.

    That ``__init__`` imports the package's emoji table through ``pkg_resources`` (about 15 MiB of memory
    and 0.1 s) although drafter needs only the URL extractor and the config. The parts are loaded under
    a private package name, so an ordinary ``import twitter_text`` elsewhere is not affected.
    """
    with _lock:
        package = _parts_package()
        lazy = sys.modules[f"{_PARTS}.regex_supplant"]
        for tlds in ("valid_gtld", "valid_cctld"):  # the lists of top-level domains: read, not compiled
            if f"{_PARTS}.regexp.{tlds}" not in sys.modules:
                found = lazy.pattern_module(
                    f"{_PARTS}.regexp.{tlds}", Path(package.__path__[0], "regexp", f"{tlds}.py")
                )
                if found is not None:
                    sys.modules[found.__name__] = found
        return importlib.import_module(f"{_PARTS}.{name}")


def _parts_package() -> ModuleType:
    """The private package of :func:`twitter_text_part` (made on first use; call with ``_lock`` held)."""
    package = sys.modules.get(_PARTS)
    if package is None:
        spec = importlib.util.find_spec("twitter_text")  # locates the package without importing it
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError("twitter-text-parser is not installed")
        package = ModuleType(_PARTS)
        package.__path__ = list(spec.submodule_search_locations)
        package.__package__ = _PARTS
        sys.modules[_PARTS] = package
        # the parts' patterns are compiled when first matched, not at import (same text and flags)
        sys.modules[f"{_PARTS}.regex_supplant"] = importlib.import_module("drafter.lazy_supplant")
    return package


#: the patterns twitter-text-parser's URL extractor uses, each the one name of its module in ``regexp``
URL_PATTERNS = ("extract_url", "invalid_url_without_protocol_preceding_chars", "valid_ascii_domain", "valid_tco_url")


def _url_extractor() -> Callable[..., list[dict[str, Any]]]:
    global _tt_extract
    if _tt_extract is None:
        with _lock:
            if _tt_extract is None:
                _tt_extract = _extract_urls_module().extract_urls_with_indices
    return _tt_extract


def _extract_urls_module() -> ModuleType:
    """twitter-text-parser's ``extract_urls`` (call with ``_lock`` held).

    Its four patterns (:data:`URL_PATTERNS`) are assembled from some thirty modules of the package, whose
    import cost a cold lint of a post with a link about 6 ms. Their texts and flags are kept in
    :mod:`drafter.pattern_cache`, keyed by the package's files and these modules (any change: assembled
    again); from there, only the four modules are made, with the same text and flags (a test compares
    them with the package's), and ``extract_urls`` is imported as it is."""
    from drafter import pattern_cache
    from drafter.lazy_supplant import LazyPattern

    package = _parts_package()
    name = f"{_PARTS}.extract_urls"
    key = _url_patterns_key(package)
    kept = pattern_cache.recall(key) if key is not None and name not in sys.modules else None
    made = _url_pattern_modules(kept) if kept is not None else None
    if made is not None and not any(module.__name__ in sys.modules for module in made):
        regexp = ModuleType(f"{_PARTS}.regexp")
        regexp.__path__ = [str(Path(package.__path__[0], "regexp"))]
        regexp.__package__ = regexp.__name__
        sys.modules.setdefault(regexp.__name__, regexp)
        for module in made:
            sys.modules[module.__name__] = module
        return importlib.import_module(name)
    module = twitter_text_part("extract_urls")
    found = [getattr(module, part) for part in URL_PATTERNS]
    if key is not None and all(isinstance(p, (LazyPattern, re.Pattern)) for p in found):
        pattern_cache.remember(
            key, [("lazy" if isinstance(p, LazyPattern) else "re", p.pattern, int(p.flags)) for p in found]
        )
    return module


def _url_pattern_modules(kept: Any) -> list[ModuleType] | None:
    """The modules of :data:`URL_PATTERNS` made from what was kept (kind, text, flags of each); None when
    it is not exactly that."""
    from drafter.lazy_supplant import LazyPattern

    try:
        made = []
        for part, (kind, text, flags) in zip(URL_PATTERNS, kept, strict=True):
            if kind not in ("lazy", "re") or type(text) is not str or type(flags) is not int:
                return None
            module = ModuleType(f"{_PARTS}.regexp.{part}")
            setattr(module, part, LazyPattern(text, flags) if kind == "lazy" else re.compile(text, flags))
            made.append(module)
        return made
    except (TypeError, ValueError, re.error):  # not a list of three-item entries, one per pattern
        return None


def _url_patterns_key(package: ModuleType) -> list[Any] | None:
    """What the URL patterns are made of: the package's modules (name, size, modification time) and
    drafter's modules that assemble them; None when a file cannot be listed."""
    try:
        root = Path(package.__path__[0])
        key: list[Any] = ["twitter-text URL patterns", URL_PATTERNS]
        for folder in (root, root / "regexp", Path(__file__).parent):
            with os.scandir(folder) as found:
                for item in sorted(found, key=lambda e: e.name):
                    if item.name.endswith(".py") and (folder != Path(__file__).parent or item.name in _OWN):
                        st = item.stat()
                        key.append([folder.name, item.name, st.st_size, st.st_mtime_ns])
        return key
    except OSError:
        return None


#: drafter's modules that take part in making the URL patterns
_OWN = frozenset({"twittertext.py", "lazy_supplant.py"})


@lru_cache(maxsize=4096)
def _urls_in_run(run: str, without_protocol: bool) -> tuple[UrlMatch, ...]:
    return tuple(
        (found["indices"][0], found["indices"][1], found["url"]) for found in _url_extractor()(run, without_protocol)
    )


#: a run with more dots than this is searched piece by piece (see :func:`_pieces`)
MAX_RUN_DOTS = 16
#: what a piece of such a run must hold to be searched at all: a scheme, or a dot before two letters (every
#: top-level domain has two characters or more)
_MAYBE_DOMAIN = re.compile(r"://|\.[^\W\d_]{2}")


@lru_cache(maxsize=16)
def _url_matches(text: str, without_protocol: bool) -> tuple[UrlMatch, ...]:
    out: list[UrlMatch] = []
    for base, stop in _candidate_runs(text):
        for start, end in _pieces(text, base, stop):
            out.extend((start + s, start + e, url) for s, e, url in _urls_in_run(text[start:end], without_protocol))
    return tuple(out)


def _pieces(text: str, base: int, stop: int) -> list[tuple[int, int]]:
    """The run ``text[base:stop]`` whole (every post written by hand: exactly twitter-text's answer), or, when it
    holds more than :data:`MAX_RUN_DOTS` dots, cut after every that many dots: twitter-text's URL pattern takes
    time quadratic in the dots of a run without white space ("a.a.a.…", "z.B.z.B.…": 1,500 characters took 5 s,
    4,096 about 40 s, a hostile probe). No real address has that many dots; a piece without a scheme and
    without a dot before two letters can hold no address and is not searched."""
    if text.count(".", base, stop) <= MAX_RUN_DOTS:
        return [(base, stop)]
    pieces: list[tuple[int, int]] = []
    start = base
    dots = 0
    at = text.find(".", base, stop)
    while at >= 0:
        dots += 1
        if dots == MAX_RUN_DOTS:
            pieces.append((start, at + 1))
            start, dots = at + 1, 0
        at = text.find(".", at + 1, stop)
    if start < stop:
        pieces.append((start, stop))
    return [(s, e) for s, e in pieces if _MAYBE_DOMAIN.search(text, s, e)]


def url_matches(text: str, *, without_protocol: bool = True) -> tuple[UrlMatch, ...]:
    """``(start, end, url)`` for every URL twitter_text.extract_urls_with_indices finds in ``text``.

    Same result as calling it on the whole text (a test checks this on random texts), but only
    the white-space-free runs that can hold a domain are scanned, and runs already seen come
    from a cache (typing changes one run at a time). ``url`` is the URL as twitter-text reports
    it; its length is what the weighted count skips.
    """
    if "." not in text:
        return ()
    return _url_matches(text, without_protocol)


def clear_caches() -> None:
    """Forget cached URL results (for benchmarks)."""
    _urls_in_run.cache_clear()
    _url_matches.cache_clear()


def extract_urls_with_indices(text: str, *, without_protocol: bool = True) -> list[Entity]:
    """URLs as twitter-text finds them; ``without_protocol=False`` needs ``http://``/``https://``."""
    return [Entity(url, start, end) for start, end, url in url_matches(text, without_protocol=without_protocol)]


def extract_urls(text: str) -> list[str]:
    return [url.text for url in extract_urls_with_indices(text)]


# --- emoji (the set twitter-text-parser counts as one emoji) -------------------------------------
def _package_dir() -> Path:
    spec = importlib.util.find_spec("twitter_text")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("twitter-text-parser is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def emoji_sequences(source: str | None = None) -> list[tuple[int, ...]]:
    """The code-point sequences twitter-text-parser treats as emoji: every entry of its bundled
    ``emoji-test.txt`` outside the "Component" group (skin tones and hair on their own)."""
    if source is None:
        source = (_package_dir() / "regexp" / "emoji-test.txt").read_text(encoding="utf-8")
    group = ""
    sequences: list[tuple[int, ...]] = []
    hexdigits = set("0123456789ABCDEF")
    for line in source.splitlines():
        if line.startswith("#"):
            if line == "# Status Counts":
                break
            if line.startswith("# group:"):
                group = line.split(":", 1)[1].strip()
            continue
        if group == "Component" or len(line) < 3 or not set(line[:3]) <= hexdigits:
            continue
        sequences.append(tuple(int(cp, 16) for cp in line.split(";", 1)[0].split()))
    return sequences


_END = ""  # trie key marking "a sequence ends here" (never a character)


class EmojiMatcher:
    """Finds emoji like twitter-text-parser's regex (an alternation sorted longest first, i.e. the
    longest sequence of the set starting at the leftmost possible position), but with a trie
    walked only where a cheap character-class scan says an emoji may start."""

    def __init__(self, sequences: Iterable[Sequence[int]]) -> None:
        root: dict[str, Any] = {}
        for seq in sequences:
            node = root
            for cp in seq:
                node = node.setdefault(chr(cp), {})
            node[_END] = True
        self.root = root
        self.candidates = re.compile(_start_pattern(root))

    def finditer(self, text: str) -> Iterator[tuple[int, int]]:
        root = self.root
        n = len(text)
        pos = 0
        for cand in self.candidates.finditer(text):
            start = cand.start()
            if start < pos:
                continue
            node = root.get(text[start])
            if node is None:
                continue  # the candidate class is a superset outside ASCII
            i = start + 1
            last = i if _END in node else -1
            while i < n:
                child = node.get(text[i])
                if child is None:
                    break
                node = child
                i += 1
                if _END in node:
                    last = i
            if last > 0:
                yield start, last
                pos = last


def _start_pattern(root: Mapping[str, Any]) -> str:
    """One character class that every emoji start matches: the ASCII starts (keycaps: digits, '#',
    '*') exactly, the others as a superset of a few ranges, so the scan stays fast."""
    ascii_starts = "".join(re.escape(c) for c in sorted(c for c in root if c.isascii()))
    other = sorted(ord(c) for c in root if not c.isascii())
    ranges = "".join(_cls(a, b) for a, b in _coarse_ranges(other, 8)) if other else ""
    return f"[{ascii_starts}{ranges}]" if ascii_starts or ranges else "(?!)"


def _coarse_ranges(cps: Sequence[int], at_most: int) -> list[tuple[int, int]]:
    """At most ``at_most`` ranges covering all of ``cps`` (closing the smallest gaps first)."""
    ranges: list[list[int]] = []
    for cp in sorted(set(cps)):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    while len(ranges) > at_most:
        i = min(range(len(ranges) - 1), key=lambda k: ranges[k + 1][0] - ranges[k][1])
        ranges[i][1] = ranges[i + 1][1]
        del ranges[i + 1]
    return [(a, b) for a, b in ranges]


_emoji: EmojiMatcher | None = None


def emoji_matcher() -> EmojiMatcher:
    """The emoji matcher, built on first use from twitter-text-parser's emoji data."""
    global _emoji
    if _emoji is None:
        with _lock:
            if _emoji is None:
                _emoji = EmojiMatcher(emoji_sequences())
    return _emoji


def extract_emojis_with_indices(text: str) -> list[Entity]:
    """Emoji as twitter_text.extract_emojis_with_indices finds them."""
    return [Entity(text[a:b], a, b) for a, b in emoji_matcher().finditer(text)]


# --- X weighted length ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class WeightConfig:
    """A twitter-text weighting config (v3 by default, read from twitter_text.config)."""

    scale: int
    default_weight: int
    ranges: tuple[tuple[int, int, int], ...]
    url_length: int
    max_length: int
    emoji_parsing: bool

    @classmethod
    def from_twitter_text(cls, options: Mapping[str, Any] | None = None) -> WeightConfig:
        if options is None:
            options = twitter_text_part("config").config["defaults"]
        return cls(
            scale=int(options["scale"]),
            default_weight=int(options["default_weight"]),
            ranges=tuple((int(r["start"]), int(r["end"]), int(r["weight"])) for r in options["ranges"]),
            url_length=int(options["transformed_url_length"]),
            max_length=int(options["max_weighted_tweet_length"]),
            emoji_parsing=bool(options.get("emoji_parsing_enabled", False)),
        )


class WeightedCounter:
    """Computes twitter_text.parse_tweet(text).weightedLength without its per-character loop.

    parse_tweet NFC-normalises, turns CR/CRLF into LF, then walks the text: a URL starting at the
    current index counts ``url_length`` and is skipped, else an emoji starting there counts
    ``default_weight`` and is skipped, else the character counts its range weight. Here the sum of
    the plain character weights comes from a few regex scans, and each URL/emoji that the walk would
    take (entities starting inside an earlier one are passed over, as in the walk) replaces the
    weight of its characters by its own.
    """

    def __init__(self, cfg: WeightConfig) -> None:
        self.cfg = cfg
        by_weight: dict[int, list[tuple[int, int]]] = {}
        seen: list[tuple[int, int]] = []
        for start, stop, weight in cfg.ranges:
            # twitter-text takes the first range containing a code point; keep only the new part.
            for part in _subtract(start, stop, seen):
                by_weight.setdefault(weight, []).append(part)
            seen.append((start, stop))
        self._other: list[tuple[int, re.Pattern[str]]] = [
            (weight, re.compile("[" + "".join(_cls(a, b) for a, b in parts) + "]+"))
            for weight, parts in by_weight.items()
            if weight != cfg.default_weight
        ]
        self._ascii_weight = _ascii_weight(cfg)
        self._piece_weight: dict[str, int] = {}  # plain weight of URL/emoji texts seen before

    def char_weight_sum(self, text: str) -> int:
        """Sum of the per-character weights, ignoring URLs and emoji."""
        if self._ascii_weight is not None and text.isascii():
            return self._ascii_weight * len(text)
        total = self.cfg.default_weight * len(text)
        for weight, pattern in self._other:
            n = sum(map(len, pattern.findall(text)))
            total += (weight - self.cfg.default_weight) * n
        return total

    def weighted_length(self, text: str) -> int:
        cfg = self.cfg
        text = normalize_for_counting(text)
        total = self.char_weight_sum(text)
        urls = {start: url for start, _, url in url_matches(text)}
        emoji = {a: b - a for a, b in emoji_matcher().finditer(text)} if cfg.emoji_parsing else {}
        if urls or emoji:
            pos = 0
            for start in sorted(urls.keys() | emoji.keys()):
                if start < pos:
                    continue  # the walk skipped past this start
                if start in urls:
                    size = len(urls[start])
                    weight = cfg.url_length * cfg.scale
                else:
                    size = emoji[start]
                    weight = cfg.default_weight
                piece = text[start : start + size]
                plain = self._piece_weight.get(piece)
                if plain is None:
                    if len(self._piece_weight) > 4096:
                        self._piece_weight.clear()
                    plain = self._piece_weight[piece] = self.char_weight_sum(piece)
                total += weight - plain
                pos = start + size
        return total // cfg.scale


def normalize_for_counting(text: str) -> str:
    """What parse_tweet counts: NFC, with CRLF and CR turned into LF."""
    import unicodedata

    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _subtract(start: int, stop: int, seen: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    parts = [(start, stop)]
    for a, b in seen:
        nxt: list[tuple[int, int]] = []
        for s, e in parts:
            if e < a or s > b:
                nxt.append((s, e))
                continue
            if s < a:
                nxt.append((s, a - 1))
            if e > b:
                nxt.append((b + 1, e))
        parts = nxt
    return parts


def _cls(a: int, b: int) -> str:
    return f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}"


def _ascii_weight(cfg: WeightConfig) -> int | None:
    """The weight every ASCII character has, if one range (first match) covers all of ASCII."""
    for start, stop, weight in cfg.ranges:
        if start <= 0x7F and stop >= 0:
            return weight if start <= 0 and stop >= 0x7F else None
    return cfg.default_weight


_counter: WeightedCounter | None = None


def weighted_length(text: str) -> int:
    """X's weighted length per twitter-text's default (v3) config; equals parse_tweet's weightedLength."""
    global _counter
    if _counter is None:
        _counter = WeightedCounter(WeightConfig.from_twitter_text())
    return _counter.weighted_length(text)


def preload() -> None:
    """Import twitter-text-parser and build the emoji matcher now rather than on first use."""
    _url_extractor()
    emoji_matcher()
    weighted_length("")
