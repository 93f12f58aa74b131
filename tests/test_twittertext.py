"""Hashtag, mention, URL and emoji extraction against twitter-text's own conformance files."""

from __future__ import annotations

import random
import re
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from drafter import twittertext as tt

CONFORMANCE = Path(__file__).resolve().parents[1].parent / "shared" / "conformance" / "twitter-text"


def _cases(section: str) -> list[Any]:
    path = CONFORMANCE / "extract.yml"
    if not CONFORMANCE.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"conformance folder missing: {CONFORMANCE}"))]
    tests = yaml.safe_load(path.read_text(encoding="utf-8"))["tests"]
    return [pytest.param(case, id=case["description"]) for case in tests[section]]


@pytest.mark.parametrize("case", _cases("hashtags") + _cases("hashtags_from_astral"))
def test_hashtags_conformance(case: dict[str, Any]) -> None:
    assert tt.extract_hashtags(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", _cases("hashtags_with_indices"))
def test_hashtags_with_indices_conformance(case: dict[str, Any]) -> None:
    got = [(tag.text, [tag.start, tag.end]) for tag in tt.extract_hashtags_with_indices(case["text"])]
    assert got == [(want["hashtag"], want["indices"]) for want in case["expected"]]


@pytest.mark.parametrize("case", _cases("mentions"))
def test_mentions_conformance(case: dict[str, Any]) -> None:
    assert tt.extract_mentions(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", _cases("mentions_with_indices"))
def test_mentions_with_indices_conformance(case: dict[str, Any]) -> None:
    got = [(m.text, [m.start, m.end]) for m in tt.extract_mentions_with_indices(case["text"])]
    assert got == [(want["screen_name"], want["indices"]) for want in case["expected"]]


@pytest.mark.parametrize("case", _cases("mentions_or_lists_with_indices"))
def test_mentions_or_lists_conformance(case: dict[str, Any]) -> None:
    got = [(m.text, slug, [m.start, m.end]) for m, slug in tt.extract_mentions_or_lists_with_indices(case["text"])]
    assert got == [(w["screen_name"], w["list_slug"], w["indices"]) for w in case["expected"]]


def _all_texts() -> list[str]:
    if not CONFORMANCE.is_dir():
        return []
    texts: list[str] = []
    for name in ("extract.yml", "validate.yml"):
        tests = yaml.safe_load((CONFORMANCE / name).read_text(encoding="utf-8"))["tests"]
        texts.extend(case["text"] for section in tests.values() for case in section if "text" in case)
    return texts


def _tt_urls(text: str, without_protocol: bool = True) -> list[tuple[int, int, str]]:
    from twitter_text import extract_urls_with_indices

    return [(d["indices"][0], d["indices"][1], d["url"]) for d in extract_urls_with_indices(text, without_protocol)]


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason=f"conformance folder missing: {CONFORMANCE}")
def test_url_windowing_matches_twitter_text_on_every_conformance_text() -> None:
    # url_matches only scans candidate runs; on all ~700 conformance texts (URL-heavy) it must give
    # exactly what twitter_text finds in the whole text, with and without protocol-less URLs.
    for text in _all_texts():
        assert list(tt.url_matches(text)) == _tt_urls(text), text
        assert list(tt.url_matches(text, without_protocol=False)) == _tt_urls(text, False), text


# --- hand-written cases (German posts) ------------------------------------------------------------


def test_german_hashtags_and_offsets() -> None:
    text = "Mega Tag im Shop! #Werkstolz #LoveMagenta\n#5G #WeWontStop."
    tags = tt.extract_hashtags_with_indices(text)
    # "#5G" has a letter, so it is a tag; the final "." is not part of the tag.
    assert [t.text for t in tags] == ["Werkstolz", "LoveMagenta", "5G", "WeWontStop"]
    assert [text[t.start : t.end] for t in tags] == ["#Werkstolz", "#LoveMagenta", "#5G", "#WeWontStop"]


def test_hashtag_inside_url_is_dropped_but_next_one_kept() -> None:
    text = "Infos: https://example.com/seite#anker und telekom.de/#frage #Glasfaser"
    assert tt.extract_hashtags(text) == ["Glasfaser"]
    assert tt.extract_hashtags_with_indices(text, check_url_overlap=False)[-1].text == "Glasfaser"
    assert [t.text for t in tt.extract_hashtags_with_indices(text, check_url_overlap=False)] == [
        "frage",
        "Glasfaser",
    ]


def test_hashtag_after_emoji_and_astral_offsets_are_code_points() -> None:
    text = "🎉🇩🇪#Werkstolz"  # 1 + 2 code points before the '#'
    (tag,) = tt.extract_hashtags_with_indices(text)
    assert (tag.start, tag.end) == (3, 13)


def test_mentions_in_urls_and_emails() -> None:
    text = "Danke @anna_m und @Ben! Mail an info@example.com, Profil https://mastodon.social/@carla"
    assert tt.extract_mentions(text) == ["anna_m", "Ben"]
    kept = tt.extract_mentions_with_indices(text, check_url_overlap=False)
    assert [m.text for m in kept] == ["anna_m", "Ben", "carla"]


def test_urls_with_and_without_protocol() -> None:
    text = "Mehr auf telekom.de und https://www.telekom.de/netz (z.B. 3.000 Masten)."
    assert tt.extract_urls(text) == ["telekom.de", "https://www.telekom.de/netz"]
    assert [u.text for u in tt.extract_urls_with_indices(text, without_protocol=False)] == [
        "https://www.telekom.de/netz"
    ]


def test_empty_and_plain_text() -> None:
    assert tt.extract_hashtags_with_indices("") == []
    assert tt.extract_mentions_with_indices("kein Zeichen hier") == []
    assert tt.extract_urls_with_indices("Ende. Punkt.") == []
    assert tt.extract_emojis_with_indices("") == []


# --- the shortcuts are exact: property tests against the reference behaviour ----------------------

PIECES = [
    "a", "Z", "ä", "ß", "é", "1", "0", "_", "-", ".", ",", "!", "?", ":", "/", "&", "'", "(", ")",
    " ", "  ", "\n", "\r\n", "\t", "\u3000", "\xa0", "#", "＃", "@", "＠", "RT", "rt:", "://",
    "#Werkstolz", "#5G", "#123", "##", "#tag#", "@user", "@user/list", "@a@b", "@aliceìn",
    "telekom.de", "example.com/#x", "https://", "http://t.co/abc", "www.example.org/pfad?x=1",
    "日本", "語", "한국", "カタカナ", "\u0301", "\u200d", "\u200c", "\ufe0f", "\ufe0e", "\u20e3",
    "😀", "👍🏽", "👨‍👩‍👧", "🇩🇪", "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    "1️⃣", "#️⃣", "©", "™", "\U00020021", "\U000104a0", "ﾊﾟ", "·", "〃",
    "\u202a", "\u2066", "\u200e", "$", "-", "xn--bcher-kva.de", "例え.jp", "t.co/", "a.b.c.d",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_candidate_scan_equals_finditer(text: str) -> None:
    # _finditer_near tries only starts near a '#'/'@'; it must equal a full finditer.
    assert [m.span() for m in tt._finditer_near(tt._HASHTAG, text, tt.HASH_SIGNS, 1)] == [
        m.span() for m in tt._HASHTAG.finditer(text)
    ]
    assert [m.span() for m in tt._finditer_near(tt._MENTION, text, tt.AT_SIGNS, 4)] == [
        m.span() for m in tt._MENTION.finditer(text)
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_url_overlap_shortcut_is_exact(text: str) -> None:
    # Entities after white space skip the URL lookup; the result must equal the full overlap sweep.
    urls = tt.extract_urls_with_indices(text)
    assert tt.extract_hashtags_with_indices(text) == tt._drop_overlapping(tt._hashtags_raw(text), urls)
    found = tt.extract_mentions_or_lists_with_indices(text)
    mentions = [m for m, slug in found if not slug]
    lists = [m for m, slug in found if slug]
    assert tt.extract_mentions_with_indices(text) == tt._drop_overlapping(mentions, lists + urls)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
@example("\n\u0301t.co/")  # the combining mark belongs to the domain, the newline precedes it
@example("a\u0301t.co/ b")
def test_urls_equal_twitter_text(text: str) -> None:
    assert list(tt.url_matches(text)) == _tt_urls(text)
    assert list(tt.url_matches(text, without_protocol=False)) == _tt_urls(text, False)


def test_urls_equal_twitter_text_on_long_random_texts() -> None:
    rnd = random.Random(20261127)
    for _ in range(60):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(100, 800)))
        assert list(tt.url_matches(text)) == _tt_urls(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_emoji_equal_twitter_text(text: str) -> None:
    from twitter_text import extract_emojis_with_indices

    want = [(d["emoji"], d["indices"][0], d["indices"][1]) for d in extract_emojis_with_indices(text)]
    assert [(e.text, e.start, e.end) for e in tt.extract_emojis_with_indices(text)] == want


def test_emoji_set_equals_twitter_text_parser() -> None:
    from twitter_text.regexp import emoji as tt_emoji

    mine = set(tt.emoji_sequences())
    theirs = {tuple(int(cp, 16) for cp in e.codepoint.split()) for e in tt_emoji.emoji_list}
    assert mine == theirs
    # Their single-code-point emoji are a character class at the end of the compiled pattern.
    cls = tt_emoji.emoji.pattern.rsplit("|[", 1)[1].rstrip("]")
    singles: set[int] = set()
    for a, b in re.findall(r"\\U([0-9a-f]{8})(?:-\\U([0-9a-f]{8}))?", cls):
        singles.update(range(int(a, 16), int(b or a, 16) + 1))
    assert singles == {seq[0] for seq in mine if len(seq) == 1}


def test_character_sets_equal_twitter_text_parser() -> None:
    from twitter_text.regexp.latin_accent_chars import latin_accent_chars
    from twitter_text.regexp.spaces_group import spaces_group

    assert latin_accent_chars.pattern == tt.LATIN_ACCENT_CHARS
    assert spaces_group == tt.SPACES


def test_every_tld_starts_with_a_letter() -> None:
    # The URL candidate filter relies on it: a URL contains "." followed by a letter (or mark).
    from twitter_text.regexp.valid_cctld import valid_cctld
    from twitter_text.regexp.valid_gtld import valid_gtld
    from twitter_text.regexp.valid_punycode import valid_punycode

    for pattern in (valid_gtld, valid_cctld):
        body = pattern.pattern.split("(?:(?:", 1)[1].rsplit(")(?=", 1)[0]
        alternatives = body.split("|")
        assert len(alternatives) > 200
        assert all(unicodedata.category(alt[0])[0] == "L" for alt in alternatives)
    assert valid_punycode.pattern.startswith("(?:xn--")


def test_import_stays_light() -> None:
    import subprocess
    import sys

    code = "import sys, drafter.twittertext; print('twitter_text' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("unit", ["a.", "z.B.", "e.V.", "🤫.", "ab.", "a.a.a.a.a.a.a.de."])
def test_a_run_of_many_dots_is_searched_in_pieces_and_stays_fast(unit: str) -> None:
    """twitter-text's URL pattern takes time quadratic in the dots of a run without white space (a hostile
    probe: 4,096 characters of "z.B." took about 40 s); such a run is cut after every MAX_RUN_DOTS dots."""
    text = unit * (4096 // len(unit))
    tt.clear_caches()
    started = time.thread_time()
    tt.url_matches(text)
    assert time.thread_time() - started < 2.0  # a hang guard, not a speed target (that is benchmarks/)
    pieces = tt._pieces(text, 0, len(text))
    assert all(text.count(".", s, e) <= tt.MAX_RUN_DOTS for s, e in pieces)
    assert all(tt._MAYBE_DOMAIN.search(text, s, e) for s, e in pieces)  # a piece that can hold no address is skipped


def test_an_address_in_a_run_of_many_dots_is_still_found() -> None:
    text = "a." * 100 + "telekom.de/glasfaser"
    (found,) = [m for m in tt.url_matches(text) if m[2].endswith("telekom.de/glasfaser")]
    assert found[1] == len(text)
    # a run with few dots is searched whole, as twitter-text does
    assert tt._pieces("x https://www.telekom.de/a.b.c", 1, 30) == [(1, 30)]
