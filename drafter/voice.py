"""The ambassador's own voice: a profile from past posts, a 0–100 score for a text, and reasons in words.

Everything here is headless and explainable. A post is measured by :func:`measure` (:class:`PostStats`):

* sentence length (words per sentence) and word length (letters per word), words per post;
* du or Sie (German forms of address), the post's language (from its function words);
* emoji per post and which ones, ``!`` and ``?`` per post, hashtags and mentions per post (the hashtags
  the rules ask for — the disclosure marker and the goals' core hashtags, :func:`required_tags` — are not
  the author's habit and are not counted, neither when the profile is built nor when a text is scored);
* the opening word, the share of uncommon words (words outside the function-word lists);
* function-word frequencies (for a one-author Burrows' Delta: z-scores against the author's own mean and
  spread per word) and a character 3-gram profile (cosine similarity).

:func:`build_profile` pools these over the author's posts with their spread (:class:`VoiceProfile`).
:func:`score` compares one text with it: every feature gives a drift in units of the author's own spread
(capped), the weighted mean drift ``D`` becomes ``round(100 * exp(-(D / SCALE)²))``, and the largest drifts
are the reasons, phrased in the UI language ("Sätze doppelt so lang wie sonst", "Sie statt du").
:func:`describe` says the profile in words; it is what an AI prompt may receive (never the posts).

Storage (:class:`VoiceStore`) is the user's local SQLite store (table ``voice_posts``), never a team
store. The posts are kept so that the profile can be rebuilt when the features change and so that
duplicates are recognised; ``drafter voice forget`` deletes them all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import sqlite3
import statistics
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter.i18n import LANGUAGES, t

if TYPE_CHECKING:
    from drafter.store import Store

__all__ = [
    "MIN_POSTS",
    "PostStats",
    "Reason",
    "VoiceProfile",
    "VoiceScore",
    "VoiceStore",
    "build_profile",
    "describe",
    "measure",
    "score",
]

#: a profile needs at least this many posts before it scores anything
MIN_POSTS = 5
#: a text needs at least this many words to be scored (a half-typed sentence says nothing yet)
MIN_WORDS = 4
#: the weighted mean drift (in units of the author's spread) at which the score has fallen to 37; chosen on
#: the tuning split of ``benchmarks/voice_eval.py`` so that own posts score about 90 and others about 30
SCALE = 1.2
#: drifts are capped here, so one wild feature cannot outweigh all others
CAP = 4.0
#: a reason is named only from this drift on
REASON_AT = 1.5
#: character n-gram length and how many the stored profile keeps
NGRAM = 3
NGRAM_KEEP = 3000
#: function words the Delta uses (the author's most frequent ones)
DELTA_WORDS = 60

#: scalar features: (name, weight, smallest spread) — the floor keeps a feature on which the author never
#: varies (always exactly one hashtag) from turning every small difference into a huge drift
SCALARS: tuple[tuple[str, float, float], ...] = (
    ("sentence_len", 1.2, 2.0),
    ("word_len", 1.0, 0.35),
    ("words", 0.5, 6.0),
    ("emoji", 1.2, 0.5),
    ("exclaim", 1.0, 0.4),
    ("question", 0.6, 0.4),
    ("hashtags", 0.8, 0.5),
    ("mentions", 0.5, 0.4),
    ("rare", 0.8, 0.06),
)
WEIGHTS = {
    **{name: weight for name, weight, _ in SCALARS},
    "formality": 1.5,
    "language": 2.0,
    "delta": 1.2,
    "ngrams": 1.5,
    "opener": 0.3,
}

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_TAG = re.compile(r"(?<![\w&])#(\w+)")
_MENTION = re.compile(r"(?<![\w.])@(\w+)")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)|\n+")
_SPACES = re.compile(r"\s+")


# -- word lists (language data, drafter/voice_words.toml) -------------------------------------------------
@dataclass(frozen=True)
class _Words:
    function: frozenset[str]
    de_only: frozenset[str]
    en_only: frozenset[str]
    du: frozenset[str]
    sie: frozenset[str]


@cache
def _words() -> _Words:
    with (Path(__file__).resolve().parent / "voice_words.toml").open("rb") as fh:
        data = tomllib.load(fh)
    de = frozenset(data["de"]["function_words"])
    en = frozenset(data["en"]["function_words"])
    return _Words(
        function=de | en,
        de_only=de - en,
        en_only=en - de,
        du=frozenset(data["formality"]["du"]),
        sie=frozenset(data["formality"]["sie"]),
    )


# -- one post ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PostStats:
    """What one post shows of its writer (see the module docstring)."""

    words: int
    sentences: int
    sentence_len: float
    word_len: float
    emoji: int
    emoji_used: tuple[str, ...]
    exclaim: int
    question: int
    hashtags: int
    mentions: int
    rare: float
    du: int
    sie: int
    language: str | None
    opener: str | None
    function: Counter[str]
    ngrams: Counter[str]

    @property
    def formality(self) -> str | None:
        """ "du", "sie", or None (no form of address, or both)."""
        if self.du and not self.sie:
            return "du"
        if self.sie and not self.du:
            return "sie"
        return None

    def scalar(self, name: str) -> float:
        return float(getattr(self, name))


#: a text without any of these characters holds no emoji (letters with accents and umlauts are below U+2000)
_MAYBE_EMOJI = re.compile("[\u00a9\u00ae\u2000-\U0010ffff]")


def _emoji_list(text: str) -> list[str]:
    if not _MAYBE_EMOJI.search(text):
        return []  # the emoji library costs about a millisecond per post; most posts need no look
    import emoji

    return [item["emoji"] for item in emoji.emoji_list(text)]


def required_tags(marker: str, goal_tags: Iterable[str] = ()) -> tuple[str, ...]:
    """The hashtags the rules ask for (casefolded, sorted): those in the disclosure ``marker`` and the
    goals' core hashtags. They say nothing about the author's own hashtag habit."""
    tags = {m.casefold() for m in _TAG.findall(unicodedata.normalize("NFC", marker))}
    tags.update(m.casefold() for tag in goal_tags for m in _TAG.findall(unicodedata.normalize("NFC", tag)))
    return tuple(sorted(tags))


def measure(text: str, ignored_tags: frozenset[str] = frozenset()) -> PostStats:
    """The features of one post (any length; an empty text has zeros everywhere). Hashtags in
    ``ignored_tags`` (casefolded, without ``#``: :func:`required_tags`) are not counted."""
    lists = _words()
    text = unicodedata.normalize("NFC", text)
    emojis = _emoji_list(text)
    hashtags = sum(1 for tag in _TAG.findall(text) if tag.casefold() not in ignored_tags)
    mentions = len(_MENTION.findall(text))
    prose = _MENTION.sub(" ", _TAG.sub(" ", _URL.sub(" ", text)))
    # sentence boundaries: ., !, ?, … before a space or the end, and line breaks; empty pieces dropped
    pieces = [p for p in _SENTENCE_END.split(prose) if _WORD.search(p)]
    tokens = _WORD.findall(prose)
    lowered = [w.casefold() for w in tokens]
    n = len(tokens)
    sie = 0
    for match in _WORD.finditer(prose):
        if match.group() in lists.sie and not _sentence_start(prose, match.start()):
            sie += 1
    du = sum(1 for w in lowered if w in lists.du)
    de_hits = sum(1 for w in lowered if w in lists.de_only)
    en_hits = sum(1 for w in lowered if w in lists.en_only)
    language = None
    if de_hits + en_hits >= 2 and de_hits != en_hits:
        language = "de" if de_hits > en_hits else "en"
    function = Counter(w for w in lowered if w in lists.function)
    content = [w for w in lowered if len(w) >= 3 and w not in lists.function]
    opener = lowered[0] if lowered else None
    return PostStats(
        words=n,
        sentences=len(pieces),
        sentence_len=n / len(pieces) if pieces else 0.0,
        word_len=sum(len(w) for w in tokens) / n if n else 0.0,
        emoji=len(emojis),
        emoji_used=tuple(emojis),
        exclaim=text.count("!") + text.count("！"),
        question=text.count("?") + text.count("？"),
        hashtags=hashtags,
        mentions=mentions,
        rare=len(content) / n if n else 0.0,
        du=du,
        sie=sie,
        language=language,
        opener=opener,
        function=function,
        ngrams=_ngrams(prose),
    )


def _sentence_start(text: str, pos: int) -> bool:
    """Whether the word at ``pos`` starts a sentence (only spaces after a full stop, colon, quote …, or
    after an emoji, which posts use as a full stop: "Danke an alle 🙏 Ihr seid die Besten")."""
    i = pos - 1
    while i >= 0 and (text[i] in " \t\r\ufe0f\u200d" or unicodedata.category(text[i]) == "Sk"):
        i -= 1
    return i < 0 or text[i] in ".!?…:\n\"„“'»«-–" or unicodedata.category(text[i]) == "So"


def _ngrams(prose: str) -> Counter[str]:
    flat = " " + _SPACES.sub(" ", prose.casefold()).strip() + " "
    return Counter(flat[i : i + NGRAM] for i in range(len(flat) - NGRAM + 1)) if len(flat.strip()) else Counter()


def _cosine(a: Counter[str] | dict[str, float], b: Counter[str] | dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


# -- the profile -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Spread:
    """Mean and standard deviation of one feature over the author's posts."""

    mean: float
    sd: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            return cls(0.0, 0.0)
        return cls(statistics.fmean(values), statistics.pstdev(values) if len(values) > 1 else 0.0)

    def z(self, value: float, floor: float) -> float:
        return (value - self.mean) / max(self.sd, floor)


@dataclass(frozen=True)
class VoiceProfile:
    """An author's voice pooled over ``posts`` posts: every feature's mean and spread, plus counts.
    Built by :func:`build_profile`; serialisable (:meth:`to_dict`), no post text inside."""

    posts: int
    scalars: dict[str, Spread]
    du_posts: int
    sie_posts: int
    languages: dict[str, int]
    emoji: dict[str, int]
    openers: dict[str, int]
    function: dict[str, Spread]
    delta: Spread
    ngrams: dict[str, float]
    ngram_similarity: Spread
    #: the required hashtags left out of the hashtag count (:func:`required_tags`); a text is scored alike
    ignored_tags: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        return self.posts >= MIN_POSTS

    @property
    def main_language(self) -> str | None:
        if not self.languages:
            return None
        return max(sorted(self.languages), key=lambda k: self.languages[k])

    def language_share(self, lang: str) -> float:
        total = sum(self.languages.values())
        return self.languages.get(lang, 0) / total if total else 0.0

    def to_dict(self, *, ngrams: bool = False) -> dict[str, Any]:
        """The profile as JSON-ready data (no post text); ``ngrams`` adds the character n-gram profile."""
        out = {
            "posts": self.posts,
            "scalars": {k: [v.mean, v.sd] for k, v in self.scalars.items()},
            "du_posts": self.du_posts,
            "sie_posts": self.sie_posts,
            "languages": self.languages,
            "emoji": self.emoji,
            "openers": self.openers,
            "function": {k: [v.mean, v.sd] for k, v in self.function.items()},
            "delta": [self.delta.mean, self.delta.sd],
            "ngram_similarity": [self.ngram_similarity.mean, self.ngram_similarity.sd],
            "ignored_tags": list(self.ignored_tags),
        }
        if ngrams:
            out["ngrams"] = self.ngrams
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VoiceProfile:
        """The inverse of ``to_dict(ngrams=True)``; ``KeyError``/``TypeError``/``ValueError`` when damaged."""

        def spread(pair: Any) -> Spread:
            mean, sd = pair
            return Spread(float(mean), float(sd))

        return cls(
            posts=int(data["posts"]),
            scalars={str(k): spread(v) for k, v in data["scalars"].items()},
            du_posts=int(data["du_posts"]),
            sie_posts=int(data["sie_posts"]),
            languages={str(k): int(v) for k, v in data["languages"].items()},
            emoji={str(k): int(v) for k, v in data["emoji"].items()},
            openers={str(k): int(v) for k, v in data["openers"].items()},
            function={str(k): spread(v) for k, v in data["function"].items()},
            delta=spread(data["delta"]),
            ngrams={str(k): float(v) for k, v in data["ngrams"].items()},
            ngram_similarity=spread(data["ngram_similarity"]),
            ignored_tags=tuple(str(tag) for tag in data.get("ignored_tags", ())),
        )


def build_profile(texts: Iterable[str], ignored_tags: Iterable[str] = ()) -> VoiceProfile:
    """The profile of the posts ``texts`` (empty ones are ignored); hashtags in ``ignored_tags``
    (:func:`required_tags`) are not counted, and :func:`score` leaves them out of a text too."""
    ignored = tuple(sorted({tag.casefold() for tag in ignored_tags}))
    stats = [measure(text, frozenset(ignored)) for text in texts if text.strip()]
    scalars = {name: Spread.of([s.scalar(name) for s in stats]) for name, _, _ in SCALARS}
    languages = Counter(s.language for s in stats if s.language)
    emoji = Counter(e for s in stats for e in s.emoji_used)
    openers = Counter(s.opener for s in stats if s.opener)
    # function words: relative frequency per post, for the words this author uses most
    totals: Counter[str] = Counter()
    for s in stats:
        totals.update(s.function)
    chosen = [w for w, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:DELTA_WORDS]]
    function = {w: Spread.of([s.function[w] / s.words if s.words else 0.0 for s in stats]) for w in chosen}
    deltas = [_delta(function, s) for s in stats if s.words]
    # character n-grams: the pooled counts; each post's similarity to the others (leave one out)
    pooled: Counter[str] = Counter()
    for s in stats:
        pooled.update(s.ngrams)
    # cos(s, P − s) from dot(s, P), |s|² and |P|², without building P − s for every post
    pooled_sq = sum(c * c for c in pooled.values())
    similarities = []
    for s in stats:
        if s.ngrams:
            dot = sum(c * pooled[g] for g, c in s.ngrams.items())
            own_sq = sum(c * c for c in s.ngrams.values())
            rest_sq = pooled_sq - 2 * dot + own_sq
            if rest_sq > 0:
                similarities.append((dot - own_sq) / math.sqrt(own_sq * rest_sq))
    total = sum(pooled.values()) or 1
    kept = {g: c / total for g, c in sorted(pooled.items(), key=lambda kv: (-kv[1], kv[0]))[:NGRAM_KEEP]}
    return VoiceProfile(
        posts=len(stats),
        scalars=scalars,
        du_posts=sum(1 for s in stats if s.formality == "du"),
        sie_posts=sum(1 for s in stats if s.formality == "sie"),
        languages=dict(languages),
        emoji=dict(emoji.most_common(10)),
        openers=dict(openers.most_common(10)),
        function=function,
        delta=Spread.of(deltas),
        ngrams=kept,
        ngram_similarity=Spread.of(similarities),
        ignored_tags=ignored,
    )


def _delta(function: dict[str, Spread], stats: PostStats) -> float:
    """Burrows' Delta of one post against one author: the mean absolute z-score of the relative
    frequencies of the author's most frequent function words."""
    if not function or not stats.words:
        return 0.0
    return statistics.fmean(
        min(abs(spread.z(stats.function[w] / stats.words, 0.005)), CAP) for w, spread in function.items()
    )


# -- scoring -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reason:
    """One drift: the feature, how far off it is (in the author's spreads, capped), and what to say."""

    feature: str
    drift: float
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "drift": round(self.drift, 2), "key": self.key, "text": self.text}


@dataclass(frozen=True)
class VoiceScore:
    """How much a text sounds like the author: ``score`` 0–100 (None: the text or the profile is too
    short to say), the top ``reasons`` (largest drift first, already in the requested language) and every
    feature's drift."""

    score: int | None
    reasons: tuple[Reason, ...]
    drifts: dict[str, float]
    words: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "reasons": [r.to_dict() for r in self.reasons],
            "drifts": {k: round(v, 2) for k, v in self.drifts.items()},
            "words": self.words,
        }


def score(profile: VoiceProfile, text: str, lang: str = "de", *, top: int = 3) -> VoiceScore:
    """How much ``text`` sounds like the author of ``profile``: 0–100 and at most ``top`` reasons for a
    drift, phrased in ``lang`` ("de" or "en"). ``score`` is None when the profile has fewer than
    :data:`MIN_POSTS` posts or the text fewer than :data:`MIN_WORDS` words. Pure and fast (well under a
    millisecond for a tweet); safe to call from a worker thread."""
    lang = lang if lang in LANGUAGES else "en"
    stats = measure(text, frozenset(profile.ignored_tags))  # counted as the profile counted them
    if not profile.usable or stats.words < MIN_WORDS:
        return VoiceScore(None, (), {}, stats.words)
    reasons = _drifts(profile, stats)
    drifts = {r.feature: r.drift for r in reasons}
    total_weight = sum(WEIGHTS[name] for name in drifts)
    mean_drift = sum(WEIGHTS[name] * d for name, d in drifts.items()) / total_weight
    value = round(100 * math.exp(-((mean_drift / SCALE) ** 2)))
    ranked = sorted(
        (r for r in reasons if r.drift >= REASON_AT and r.key),
        key=lambda r: (-WEIGHTS[r.feature] * r.drift, r.feature),
    )
    shown = tuple(
        Reason(r.feature, r.drift, r.key, r.params, t(f"voice.reason.{r.key}", lang, **_localised(r.params, lang)))
        for r in ranked[:top]
    )
    return VoiceScore(value, shown, drifts, stats.words)


def _localised(params: dict[str, Any], lang: str) -> dict[str, Any]:
    out = dict(params)
    for key in ("usual", "now"):
        if isinstance(out.get(key), float):
            out[key] = f"{out[key]:.1f}".replace(".", "," if lang == "de" else ".").replace(",0", "").replace(".0", "")
    for key in ("language", "usual_language"):
        if key in out:
            out[key] = t(f"voice.lang_{out[key]}", lang)
    return out


def _ratio_key(feature: str, now: float, usual: float) -> tuple[str, dict[str, Any]]:
    """'twice as long', 'half as long', or 'longer'/'shorter' than usual."""
    if usual > 0 and now >= 2.6 * usual:
        return f"{feature}_thrice", {}
    if usual > 0 and now >= 1.8 * usual:
        return f"{feature}_twice", {}
    if now > 0 and now <= 0.55 * usual:
        return f"{feature}_half", {}
    return (f"{feature}_longer" if now > usual else f"{feature}_shorter"), {}


def _drifts(profile: VoiceProfile, stats: PostStats) -> list[Reason]:
    out: list[Reason] = []
    for name, _weight, floor in SCALARS:
        spread = profile.scalars[name]
        now = stats.scalar(name)
        drift = min(abs(spread.z(now, floor)), CAP)
        key, params = _scalar_reason(name, now, spread.mean)
        out.append(Reason(name, drift, key, params))
    # du or Sie: how unusual this form is among the author's posts that use one
    form = stats.formality
    marked = profile.du_posts + profile.sie_posts
    if form is not None and marked:
        same = profile.du_posts if form == "du" else profile.sie_posts
        share = (same + 0.5) / (marked + 1)
        drift = min(CAP, CAP * (1 - share) * min(1.0, marked / 3))
        out.append(Reason("formality", drift, "sie_not_du" if form == "sie" else "du_not_sie"))
    else:
        out.append(Reason("formality", 0.0, ""))
    # language
    usual_language = profile.main_language
    if stats.language is not None and usual_language is not None:
        share = profile.language_share(stats.language)
        drift = CAP * (1 - share)
        out.append(
            Reason("language", drift, "language", {"language": stats.language, "usual_language": usual_language})
        )
    else:
        out.append(Reason("language", 0.0, ""))
    # function words (Burrows' Delta), relative to the author's own posts' Delta
    delta = _delta(profile.function, stats)
    out.append(Reason("delta", min(CAP, max(0.0, profile.delta.z(delta, 0.05))), "function_words"))
    # character n-grams, relative to how similar the author's own posts are to the rest
    similarity = _cosine(stats.ngrams, profile.ngrams)
    out.append(Reason("ngrams", min(CAP, max(0.0, -profile.ngram_similarity.z(similarity, 0.03))), "spelling"))
    # the opening word: a habit, weak on its own
    if profile.openers and stats.opener is not None:
        habit = max(profile.openers.values()) / profile.posts
        usual = stats.opener in profile.openers
        out.append(Reason("opener", 0.0 if usual else CAP * habit, "opener"))
    else:
        out.append(Reason("opener", 0.0, ""))
    return out


def _scalar_reason(name: str, now: float, usual: float) -> tuple[str, dict[str, Any]]:
    if name == "sentence_len":
        return _ratio_key("sentences", now, usual)
    if name == "word_len":
        return ("words_longer" if now > usual else "words_shorter"), {}
    if name == "words":
        return _ratio_key("post", now, usual)
    if name == "emoji":
        if now == 0 and usual >= 0.75:
            return "no_emoji", {"usual": max(1, round(usual))}
        return ("more_emoji" if now > usual else "fewer_emoji"), {"now": int(now), "usual": round(usual, 1)}
    if name in ("exclaim", "question", "hashtags", "mentions"):
        more = "more" if now > usual else "fewer"
        return f"{more}_{name}", {"now": int(now), "usual": round(usual, 1)}
    if name == "rare":
        return ("more_rare" if now > usual else "fewer_rare"), {}
    return "", {}


# -- the profile in words ----------------------------------------------------------------------------------
def describe(profile: VoiceProfile, lang: str = "de") -> str:
    """The profile in a few sentences in ``lang`` ("de"/"en"): sentence length, form of address, emoji,
    punctuation, hashtags and mentions, openers. No post text, so it may be given to an AI prompt as the
    ``voice_profile``. An empty or too small profile says so."""
    lang = lang if lang in LANGUAGES else "en"
    if not profile.usable:
        return t("voice.describe.too_few", lang, count=profile.posts, needed=MIN_POSTS)
    s = profile.scalars
    parts = [t("voice.describe.based_on", lang, count=profile.posts)]
    sentence = s["sentence_len"].mean
    size = "short" if sentence < 9 else "long" if sentence > 16 else "medium"
    parts.append(t(f"voice.describe.sentences_{size}", lang, words=round(sentence)))
    marked = profile.du_posts + profile.sie_posts
    if marked:
        du_share = profile.du_posts / marked
        form = "du" if du_share >= 0.75 else "sie" if du_share <= 0.25 else "mixed"
        parts.append(t(f"voice.describe.form_{form}", lang))
    main = profile.main_language
    if main is not None:
        parts.append(t("voice.describe.language", lang, language=t(f"voice.lang_{main}", lang)))
    emoji = s["emoji"].mean
    if emoji < 0.2:
        parts.append(t("voice.describe.emoji_none", lang))
    else:
        favourite = ", ".join(list(profile.emoji)[:3])
        parts.append(t("voice.describe.emoji", lang, rate=_number(emoji, lang), favourite=favourite))
    parts.append(
        t(
            "voice.describe.punctuation",
            lang,
            exclaim=_number(s["exclaim"].mean, lang),
            question=_number(s["question"].mean, lang),
        )
    )
    parts.append(
        t(
            "voice.describe.tags",
            lang,
            hashtags=_number(s["hashtags"].mean, lang),
            mentions=_number(s["mentions"].mean, lang),
        )
    )
    frequent = [w for w, c in profile.openers.items() if c >= 2][:3]
    if frequent:
        parts.append(t("voice.describe.openers", lang, openers=", ".join(frequent)))
    return " ".join(parts)


def _number(value: float, lang: str) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "de" else text


# -- storage -----------------------------------------------------------------------------------------------
def post_id(text: str) -> str:
    """A post's identity: the hash of its text with spacing and case normalised (duplicates are skipped)."""
    normal = _SPACES.sub(" ", unicodedata.normalize("NFC", text).casefold()).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:32]


#: bump when features change: a cached profile of another version is rebuilt
FEATURES_VERSION = 2  # 2: required hashtags not counted
_CACHE_KEY = "voice.profile"


@dataclass(frozen=True)
class StoreReport:
    added: int
    duplicates: int


class VoiceStore:
    """The author's past posts in the local store (table ``voice_posts``); :meth:`profile` builds the
    profile from them. ``origin`` is ``import`` or ``export`` (a post exported from this app)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, texts: Iterable[tuple[str, str]], *, origin: str = "import") -> StoreReport:
        """Add ``(source, text)`` posts in one transaction (all or nothing); returns added and duplicates."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        added = duplicates = 0
        with self.store.transaction() as conn:
            for source, text in texts:
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO voice_posts(id, source, origin, text, added_at) VALUES (?, ?, ?, ?, ?)",
                    (post_id(text), source, origin, text, now),
                )
                if cursor.rowcount:
                    added += 1
                else:
                    duplicates += 1
        return StoreReport(added, duplicates)

    def texts(self) -> list[str]:
        return [str(row[0]) for row in self.store.conn.execute("SELECT text FROM voice_posts ORDER BY added_at, id")]

    def count(self) -> dict[str, int]:
        rows = self.store.conn.execute("SELECT origin, COUNT(*) FROM voice_posts GROUP BY origin").fetchall()
        return {str(row[0]): int(row[1]) for row in rows}

    def forget(self) -> int:
        """Delete every stored post and the cached profile; returns how many posts there were."""
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM meta WHERE key = ?", (_CACHE_KEY,))
            return int(conn.execute("DELETE FROM voice_posts").rowcount)

    def profile(self, ignored_tags: Iterable[str] = ()) -> VoiceProfile:
        """The profile of the stored posts, without the required hashtags ``ignored_tags`` in the hashtag
        count (:func:`required_tags`). Building it costs about 1–2 ms per post, so it is cached in the
        store's ``meta`` table, keyed by the posts' count, newest row, the ignored tags and
        :data:`FEATURES_VERSION`; any change to the posts or the tags builds it anew."""
        import json

        row = self.store.conn.execute("SELECT COUNT(*), MAX(rowid) FROM voice_posts").fetchone()
        tags = sorted({tag.casefold() for tag in ignored_tags})
        key = f"{FEATURES_VERSION}:{row[0]}:{row[1]}:{' '.join(tags)}"
        cached = self.store.get_meta(_CACHE_KEY)
        if cached is not None:
            try:
                data = json.loads(cached)
                if data.get("key") == key:
                    return VoiceProfile.from_dict(data["profile"])
            except (ValueError, KeyError, TypeError, AttributeError):
                pass  # a damaged cache is rebuilt
        profile = build_profile(self.texts(), tags)
        payload = json.dumps({"key": key, "profile": profile.to_dict(ngrams=True)}, ensure_ascii=False)
        try:
            with self.store.transaction():
                self.store.set_meta(_CACHE_KEY, payload)
        except sqlite3.Error:
            pass  # busy or read-only: the profile is still right, only not cached
        return profile
