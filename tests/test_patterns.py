"""Which guideline patterns may run without the timer, and that the others keep it."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
import regex
import yaml

from drafter.patterns import (
    CHUNK,
    CHUNK_THRESHOLD,
    PatternTimeout,
    SafePattern,
    cannot_backtrack,
    probe,
    required_char,
)

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "pattern", ["gratis", "acme ?cloud", r"(?<![\w])(?:Telecom)(?![\w])", r"Magenta[ -]?TV", "a|b|c", "(?i)x?y?z"]
)
def test_bounded_patterns_are_recognised(pattern: str) -> None:
    assert cannot_backtrack(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a|aa)+$",
        r"\w*tarif",
        r"a{2,}",
        r"(x)\1",
        r"\p{Lu}+",
        "a?" * 20,
        r"(?:ab|cd){0,40}",
        "[unclosed",
        # regex-only syntax that Python's parser reads differently or not at all
        "(?:abcdefghijklmnopqrstuvwxyzabcd){e<=12}",
        "(?:telekom){i<=1,d<=1}",
        "(?e)(?:magenta){e<=1}",
        "(?r)abc",
        r"(\((?:[^()]|(?R))*\))",
        r"\X",
        "a++b",
        "(?V1)[[a-z]--[aeiou]]",
    ],
)
def test_anything_that_may_repeat_keeps_the_timer(pattern: str) -> None:
    assert not cannot_backtrack(pattern)


def test_timer_still_applies_to_unbounded_patterns() -> None:
    with pytest.raises(PatternTimeout):
        list(SafePattern(r"(a|aa)+$").finditer("a" * 60 + "b"))


def test_bounded_and_timed_searches_find_the_same() -> None:
    text = "acme cloud, ACMECloud und Acme Cloud " * 50
    bounded = SafePattern("acme ?cloud", ignorecase=True)
    timed = SafePattern("(?:acme ?cloud)+", ignorecase=True)  # same matches here, but not provably bounded
    assert not cannot_backtrack(timed.source)
    assert [m.span() for m in bounded.finditer(text)] == [m.span() for m in timed.finditer(text)]


def test_a_fuzzy_pattern_is_timed_and_stopped() -> None:
    pattern = SafePattern("(?:abcdefghijklmnopqrstuvwxyzabcd){e<=12}")
    started = time.perf_counter()
    with pytest.raises(PatternTimeout):
        list(pattern.finditer("x" * 291))  # 8.5 s without the limit
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("pattern", "char"),
    [
        (r"[\w.]+@\w+", "@"),
        (r"(?:#\w+)", "#"),
        (r"x(?:y)+-z", "-"),
        (r"a|@", None),
        (r"@?\w+", None),
        (r"a{e<=1}@", None),
    ],
)
def test_required_characters(pattern: str, char: str | None) -> None:
    assert required_char(pattern) == char


def test_a_pattern_is_not_run_on_a_text_without_its_required_character() -> None:
    runaway = SafePattern(r"(a|aa)+@")  # would hit the limit on this text if it ran
    assert list(runaway.finditer("a" * 60 + "b")) == [] and runaway.search("a" * 60 + "b") is None


def _bundled_confidentiality_patterns() -> dict[str, str]:
    data = yaml.safe_load((REPO / "guidelines" / "rules" / "confidentiality.yaml").read_text(encoding="utf-8"))
    patterns: dict[str, str] = data["rules"][0]["patterns"]
    return patterns


@pytest.mark.parametrize("source", [*_bundled_confidentiality_patterns().values(), r"\w+", r"a[^b]{0,300}b", r"\s"])
def test_long_texts_searched_in_windows_find_exactly_what_one_search_finds(source: str) -> None:
    rng = random.Random(3)
    words = ["max.muster@team.de", "+49 228 181 0", "0171 1234567", "DE89 3704 0044 0532 0130 00", "a" * 40, "b"]
    words += ["x" * 700 + "@telekom.de", "w" * 1500, "a" + "-" * 250 + "b", "Text", "1.299"]  # w: cut by a window
    words += ["VERTRAULICH", "\nIntern: x"]  # the classification labels
    # the twelfth round's kinds: quoted labels, NDA, customer numbers, passwords
    words += ['marked "Intern', "stamped INTERNAL", "Vermerk „Vertraulich“", 'marked "Confidential"', "unter NDA"]
    words += ["NDA-geschützt", "Kundennummer 4400 1873 552", "customer no. 55012345", "account number 12345678"]
    words += ["confidential information on the next slide"]
    words += ["Passwort: Pause2026Bonn", "Kennwort: Abc12345"]
    words += ["Türcode 4711", "Schlüsseltresor-Code: 2580"]  # the fourteenth round's access codes
    # the eighteenth session's labels and North American numbers
    words += ["Streng vertraulich:", "strictly confidential", "(509) 555-0143", "+1 509 555 0143", "425-555-0132"]
    words += ["1-212-555-0199"]
    # the nineteenth session's keys without a colon and the door opened with a code
    words += ["wlan passwort Kaffee4Alle", "wlan password on the board. Bonn_Gast2026,", "geht mit 4471 auf."]
    words += ["PW: magenta2026", "pw is magenta2026"]
    # the twenty-first session's access codes, passwords told otherwise and a quoted subject
    words += ["Betreff: 'Intern: Umbau'", "Netz, Kennwort Ostsee!2026", "hat sein Passwort immer noch auf Sommer2026"]
    words += [
        "user demo-admin, pw Herbst2026",
        "Admin-Login ist admin / Magenta2026",
        "Post-it: 'Citrix: Rheinblick_77'",
    ]
    words += ["Klebezettel am Monitor: Kasse2026!", 'sticky note on the monitor: "SAP – Winter2026!"']
    words += ["2580, danach Raute", "4-8-1-5, dann grüne Taste", "1234 und Sterntaste", "4711 then enter"]
    words += ["4711 then green button", "4711 then hash", "4711 then pound", "6142 + the star key", "4711, dann # ok"]
    words += ["Tür: 4-8-1-5 tippen", "Tür: 4815 eingeben", "Tür: 4815 drücken", "Zahlencode am Schloss 2-7-1-9"]
    words += [
        "Zahlenschloss am Serverschrank steht auf 2719",
        "Code für die Hintertür ist 2580",
        "Türcode Lager jetzt 0815",
    ]
    words += ["Handy-PIN ist 1234", "iPad-Code ist 123456", "WLAN-Passwort: MagentaRocks!"]
    words += ["WLAN Schlüssel ist Rheinblick2026", "wifi key is Rheinblick2026", "passcode 123456"]
    words += ["Zugangscode 773195 nicht weitersagen"]
    words += ["Schlüsselkasten am Tor hat 1-9-7-3", "the lockbox at the gate is 4471", "key safe by the door is 2580"]
    words += ["dial in with meeting code 884 213 and password Guild#26", "said CONFIDENTIAL"]  # twenty-second session
    words += [
        "Einwahl: Meeting-ID 884 213, Kennwort Guild#26",
        "zoom call, passcode Guild#26",
        "Zoom: Kenncode 445566",
        "Aufzeichnung: Zugangscode 818181",
    ]
    words += [
        '\n"Intern: Region West hat 2.100 Anschlüsse mehr geschafft"',
        "\nINTERN: Zahlen Q3",
        "\nVertraulich: Entwurf",
    ]
    # the twenty-third session's codes told otherwise, quoted passwords, credentials and access tokens
    words += ["der Code ist doch 3-9-1-7-4", "alarm code at the shop is 5-5-2-0", "safe combination 17-42-08"]
    words += ["Tresorkombination 17-42-08", "Kassen-Passwort „Frühling2027#“", "credentials: svc_app / Bonn2026!Stg"]
    words += ["Zugangsdaten sind qa / Rhein2027x", "glpat-9xQm2RfT7vLk4WpZs81c", "xoxb-1234567890-abcdef"]
    words += ["ghp_4fK9qLm2Tz7WxR1vB8nY3cD6sH0jA5eP2uQw", "github_pat_11ABCDEFG0123456789abcdefghijkl"]
    words += ["AKIAZ7Q3XK2M4N8P5R6T", "eyJhbGciOiJSUzI1NiJ9.k7Qx2mPz9sLwRt4", "DEPLOY_API_KEY=k8s7Hq2LmP0wZ4vX"]
    words += [
        "PIN for the tablet is 4471",
        "Meeting-PIN 4455",
        "Anmeldedaten: trainee01 / Start!2026",
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    ]
    words += ["Bearer 8f14e45fceea167a5a36dedd4bea2543", "mit dem Passwort adm!nTK_2026", "mit dem Kennwort Shop#2026"]
    text = " ".join(rng.choice(words) for _ in range(4000))
    assert len(text) > 8 * CHUNK > CHUNK_THRESHOLD
    timed = SafePattern(source)
    if not timed.timed:  # make sure the windowed path runs
        timed = SafePattern(f"(?:{source})(?:(?!a)(?!a))*")
    expected = [m.span() for m in regex.finditer(source, text)]
    assert [m.span() for m in timed.finditer(text)] == expected
    assert expected


@pytest.mark.parametrize("kind", list(_bundled_confidentiality_patterns()))
def test_bundled_confidentiality_patterns_are_linear_on_adversarial_input(kind: str) -> None:
    pattern = SafePattern(_bundled_confidentiality_patterns()[kind])
    assert probe(pattern) is None
    for text in ["0171 " + "1" * 200 + "a1", "x@" + "a." * 30_000, "0 " * 30_000, "DE89 " * 12_000, "+4 " * 20_000]:
        started = time.perf_counter()
        list(pattern.finditer(text))
        assert time.perf_counter() - started < 0.5, (kind, text[:20])
