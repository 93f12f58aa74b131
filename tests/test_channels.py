"""Length counting per channel: X's weighted length (twitter-text v3), code points, graphemes, bytes."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
import regex
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafter.channels import ChannelSpec, Length, grapheme_count, measure, weighted_length
from drafter.twittertext import WeightConfig, WeightedCounter

CONFORMANCE = Path(__file__).resolve().parents[1].parent / "shared" / "conformance" / "twitter-text"

X = ChannelSpec(label="X", counter="twitter", limit=280)
MASTODON = ChannelSpec(label="Mastodon", counter="characters", limit=500, url_length=23)
BLUESKY = ChannelSpec(label="Bluesky", counter="graphemes", limit=300, max_bytes=3000)
LINKEDIN = ChannelSpec(label="LinkedIn", counter="characters", limit=3000)


def _validate_cases(section: str) -> list[Any]:
    if not CONFORMANCE.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"conformance folder missing: {CONFORMANCE}"))]
    tests = yaml.safe_load((CONFORMANCE / "validate.yml").read_text(encoding="utf-8"))["tests"]
    return [pytest.param(case, id=case["description"]) for case in tests[section]]


@pytest.mark.parametrize("case", _validate_cases("WeightedTweetsWithDiscountedEmojiCounterTest"))
def test_x_weighted_length_conformance(case: dict[str, Any]) -> None:
    expected = case["expected"]
    length = measure(case["text"], X)
    if "weightedLength" in expected:
        assert length.count == expected["weightedLength"]
    if "valid" in expected:
        # No text of this section holds invalid characters, so validity is the 1..280 range.
        assert (length.count > 0 and not length.over) == expected["valid"]


@pytest.mark.parametrize("case", _validate_cases("WeightedTweetsCounterTest"))
def test_weights_come_from_the_config(case: dict[str, Any]) -> None:
    # The same counter fed twitter-text's v2 config (no emoji discount) passes the v2 section:
    # the weights are read from the config, not built in.
    from twitter_text.config import config

    counter = WeightedCounter(WeightConfig.from_twitter_text(config["version2"]))
    if "weightedLength" in case["expected"]:
        assert counter.weighted_length(case["text"]) == case["expected"]["weightedLength"]


def test_default_config_is_twitter_texts_v3() -> None:
    from twitter_text.config import config

    cfg = WeightConfig.from_twitter_text()
    assert cfg.url_length == config["defaults"]["transformed_url_length"] == 23
    assert cfg.scale == 100 and cfg.default_weight == 200 and cfg.emoji_parsing
    assert config["defaults"]["version"] == 3


# Hand-derived X numbers. v3: code points 0-4351, 8192-8205, 8208-8223 and 8242-8247 weigh 1,
# all others 2; an emoji of the set (any length) weighs 2; a URL weighs 23.
@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Hallo Welt", 10),  # 10 ASCII characters
        ("Grüße aus Köln", 14),  # ü (U+FC), ß (U+DF), ö (U+F6) are all below U+10FF: weight 1 each
        ("日本語", 6),  # 3 CJK characters, weight 2 each
        ("👨‍👩‍👧", 2),  # ZWJ family: 5 code points, one emoji
        ("🇩🇪 👍🏽", 5),  # flag 2 + space 1 + thumbs with skin tone 2
        ("„Zitat“ – gut…", 15),  # „ U+201E, “ U+201C, – U+2013 weigh 1; … U+2026 (8230) weighs 2: 13 + 2
        ("10 €", 5),  # € U+20AC (8364) is outside the ranges: 1 + 1 + 1 + 2
        ("©", 2),  # © is in the emoji set, so it weighs 2 although U+A9 is in the first range
        ("Mehr: https://www.telekom.de/netz-ausbau-2025", 29),  # "Mehr: " 6 + URL 23
        ("telekom.de", 23),  # a URL without protocol still counts 23
        ("a\r\nb", 3),  # CRLF becomes one LF before counting
        ("e\u0301", 1),  # NFC turns e + combining acute into é
    ],
)
def test_x_hand_counts(text: str, count: int) -> None:
    assert weighted_length(text) == count
    assert measure(text, X) == Length(count, 280, "weighted")


def test_x_over_limit() -> None:
    assert not measure("x" * 280, X).over
    assert measure("x" * 281, X).over
    assert measure("語" * 141, X).count == 282  # 141 CJK characters are already too many


# Random texts from pieces that stress every part of the counter.
PIECES = [
    "a", "Z", "9", " ", ".", ",", "!", "#", "@", "/", ":", "\n", "\r\n", "\r", "\t",
    "Grüße", "Straße", "ÄÖÜ", "e\u0301", "\u0301", "„", "“", "–", "…", "€", "\u2032", "\u2047",
    "日本語", "中", "한국어", "カタカナ", "ﾊﾟ", "\U00020021",
    "😀", "👍", "👍🏽", "🏽", "👨‍👩‍👧", "👩🏽‍💻", "\u200d", "🇩🇪", "🇺", "🏳️‍🌈", "❤️", "❤", "\ufe0f",
    "1️⃣", "#️⃣", "*⃣", "©", "®", "™", "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "https://www.telekom.de/netz", "http://t.co/abcdef", "telekom.de", "www.example.org/a?b=c",
    "https://例え.jp/パス", "#Werkstolz", "#LoveMagenta", "@anna", "\ufffe",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_fast_weighted_length_equals_parse_tweet(text: str) -> None:
    from twitter_text import parse_tweet

    assert weighted_length(text) == parse_tweet(text).weightedLength


def test_fast_weighted_length_equals_parse_tweet_on_long_texts() -> None:
    from twitter_text import parse_tweet

    rnd = random.Random(7)
    for _ in range(40):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(50, 500)))
        assert weighted_length(text) == parse_tweet(text).weightedLength


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80))
def test_fast_weighted_length_equals_parse_tweet_on_any_text(text: str) -> None:
    from twitter_text import parse_tweet

    assert weighted_length(text) == parse_tweet(text).weightedLength


# --- Mastodon: code points, every http(s) URL counts 23 -------------------------------------------
@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Neu: https://example.com/ein/sehr/langer/pfad/der/laenger/als/23/ist", 28),  # "Neu: " 5 + 23
        ("Kurz: https://t.co/x", 29),  # "Kurz: " 6 + 23: a short URL also counts 23 (14 -> 23)
        ("Mehr auf telekom.de", 19),  # no scheme: Mastodon does not link it, 19 code points
        ("👨‍👩‍👧 Grüße", 11),  # 5 code points of the family + space + 5 letters
        ("https://a.de https://b.de", 47),  # 23 + space + 23
    ],
)
def test_mastodon_counts(text: str, count: int) -> None:
    assert measure(text, MASTODON) == Length(count, 500, "characters")


# --- Bluesky: grapheme clusters and UTF-8 bytes ---------------------------------------------------
@pytest.mark.parametrize(
    ("text", "graphemes", "nbytes"),
    [
        ("👨‍👩‍👧", 1, 18),  # one cluster; 3 emoji x 4 bytes + 2 ZWJ x 3 bytes
        ("Grüße 🇩🇪", 7, 16),  # G r ü ß e space flag; bytes 1+1+2+2+1+1+4+4
        ("e\u0301", 1, 3),  # e + combining acute: one cluster, 1 + 2 bytes
        ("a\r\nb", 3, 4),  # CR LF is one cluster
        ("각", 1, 3),  # precomposed Hangul syllable
        ("\u1100\u1161\u11a8", 1, 9),  # the same syllable as three jamo: one cluster
        ("नमस्ते", 3, 18),  # न, म, स्ते (virama joins the conjunct): 6 code points x 3 bytes
    ],
)
def test_bluesky_counts(text: str, graphemes: int, nbytes: int) -> None:
    length = measure(text, BLUESKY)
    assert length == Length(graphemes, 300, "graphemes", nbytes, 3000)
    assert length.to_dict() == {
        "count": graphemes,
        "limit": 300,
        "unit": "graphemes",
        "bytes": nbytes,
        "byte_limit": 3000,
    }


def test_bluesky_byte_cap_alone_makes_it_too_long() -> None:
    text = "👨‍👩‍👧" * 200  # 200 graphemes (under 300) but 200 x 18 = 3,600 bytes (over 3,000)
    length = measure(text, BLUESKY)
    assert (length.count, length.bytes) == (200, 3600)
    assert length.over


GRAPHEME_PIECES = [
    "a", " ", "ä", "\r", "\n", "\r\n", "\u0301", "\u0308", "\u200d", "\ufe0f", "👍", "🏽", "👨", "🇩", "🇪",
    "\u1100", "\u1161", "\u11a8", "각", "न", "्", "स", "त", "े", "\u0e33", "\u0600", "\u093f", "日",
    "\U00020021",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(GRAPHEME_PIECES), max_size=40).map("".join))
def test_grapheme_count_equals_full_scan(text: str) -> None:
    assert grapheme_count(text) == len(regex.findall(r"\X", text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_grapheme_count_equals_full_scan_on_any_text(text: str) -> None:
    assert grapheme_count(text) == len(regex.findall(r"\X", text))


# --- LinkedIn, Instagram, Threads: plain code points ----------------------------------------------
def test_code_point_channels() -> None:
    # "Grüße " is 6 code points, 👍🏽 is 2 (thumbs + skin tone), a URL counts as written (27).
    text = "Grüße 👍🏽 https://www.telekom.de/netz"
    assert measure(text, LINKEDIN) == Length(6 + 2 + 1 + 27, 3000, "characters")
    threads = ChannelSpec(label="Threads", limit=500)
    assert measure("x" * 501, threads).over and not measure("x" * 500, threads).over


def test_non_joining_ranges_hold_no_joining_character() -> None:
    # grapheme_count skips these blocks without a look; not one code point in them may be able to
    # join a grapheme cluster (GCB CR, Extend, ZWJ, SpacingMark, Prepend, RI, Hangul L/V/T/LV/LVT).
    from drafter.channels import _JOINING, NON_JOINING_RANGES

    chars = "".join(
        chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF and re.match(f"[{NON_JOINING_RANGES}]", chr(cp))
    )
    assert len(chars) > 25_000
    assert regex.search(f"[{_JOINING}]", chars) is None
    assert regex.search(f"[{_JOINING}]", "\r\u0301\u200d\U0001f3fd\U0001f1e9\uac00") is not None


def test_counting_x_does_not_load_twitter_text_package_init() -> None:
    """The package's __init__ pulls its emoji table in through pkg_resources (~15 MiB); drafter loads only
    the parts it needs, so the app stays under its memory budget."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from drafter.channels import weighted_length\n"
        "assert weighted_length('Ich 🙂 https://example.com/a telekom.de') == 4 + 2 + 1 + 23 + 1 + 23\n"
        "print('pkg_resources' in sys.modules, 'twitter_text' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["False", "False"]
