"""The twenty-first session's rule changes, checked where the eval corpus does not reach: the families of tuning31
post by post, the two blind sets read this session (tuning31-blind26 and tuning31-blind27), look-alikes and their
twins, and the new cues on hostile runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rule_helpers import label_mismatches

from drafter.checker import Checker
from drafter.evaluation import evaluate, load_corpus
from drafter.findings import Severity
from drafter.guidelines import load_guidelines

EVAL_DIR = Path(__file__).resolve().parent.parent / "guidelines" / "eval"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(load_guidelines(), lang="en")


def test_the_families_of_the_twenty_first_session_are_found_and_their_look_alikes_are_not(checker: Checker) -> None:
    """Each post of tuning31 (34, by the lead: the families blind26 and blind27 showed, in phrasings of their own, with
    honest look-alikes) gets what its label says at error and warning level."""
    assert label_mismatches(checker, EVAL_DIR / "tuning31.yaml") == (34, {})


@pytest.mark.parametrize(
    ("name", "false_warnings", "left"),
    [
        # h26017: in Swabian ("Isch no net offiziell … macht zum 31. März zu") — found now
        ("tuning31-blind26.yaml", set(), set()),
        # h27016: "STILL" is one capital word of five letters, which the tone rule calls shouting (min_single: 5); the
        # writer's note says one word is not. The rule stays: "GRATIS", "ENDLICH" alone are shouting.
        ("tuning31-blind27.yaml", {"h27016"}, set()),
    ],
)
def test_the_blind_sets_read_this_session_have_no_false_error_and_no_miss_left(
    checker: Checker, name: str, false_warnings: set[str], left: set[str]
) -> None:
    """blind26 and blind27 (figures of record of the twentieth session, read in the twenty-first; not trained on) had
    0 / 5 / 11 and 1 / 2 / 10 (false errors / false warnings / misses), with three of blind26's false warnings a label
    the writer could not know ("Magenta Business" is MagentaBusiness; corrected in the file)."""
    result = evaluate(checker, load_corpus([EVAL_DIR / name], checker.guidelines))
    assert result.posts == 110
    assert result.false_errors == []
    assert {f.post.id for f in result.false_warnings} == false_warnings
    assert {m.post.id for m in result.misses} == left


@pytest.mark.parametrize(
    ("text", "rule", "level"),
    [
        # access codes: a lock's, a keypad's, a door's, a device's; not a game's, nor advice
        (
            "Der Zahlencode am Schloss ist seit Jahren 2-7-1-9. #WeWontStop",
            "confidentiality.data",
            "error",
        ),
        (
            "Zahlencode-Rätsel gelöst: die Lösung war 1234. #LoveMagenta",
            "confidentiality.data",
            None,
        ),
        ("Für alle Neuen im Rechenzentrum: 4-8-1-5, dann grüne Taste. #Werkstolz", "confidentiality.data", "error"),
        ("Raum 4711, dann links, dann die Treppe hoch. #Werkstolz", "confidentiality.data", None),
        ("Im Escape Room war der Code für die Tür 4711, irre. #LoveMagenta", "confidentiality.data", None),
        ("Code for the back door is 2580, don't tell anyone. #Werkstolz", "confidentiality.data", "error"),
        ("the demo iPad still has passcode 123456 lol #WeWontStop", "confidentiality.data", "error"),
        ("Security tip: never use passcode 123456 on your phone. #WeWontStop", "confidentiality.data", None),
        ("Zugangscode für den Stream ist 773195 (nicht weitersagen 😅) #Werkstolz", "confidentiality.data", "error"),
        (
            "Zugangscode fürs öffentliche Webinar: 773195, kommt alle! #Werkstolz",
            "confidentiality.data",
            None,
        ),
        # passwords told otherwise
        ("Er hat sein Passwort immer noch auf Sommer2026 🙄 #Werkstolz", "confidentiality.data", "error"),
        ("Netz 'Shop-Team', Kennwort Ostsee!2026 – aber psst #LoveMagenta", "confidentiality.data", "error"),
        ("Das Kennwort für den Gastzugang bekommt ihr an der Theke. #LoveMagenta", "confidentiality.data", None),
        ("sandbox is up: user demo-admin, pw Herbst2026 😉 #WeWontStop", "confidentiality.data", "error"),
        ("Am Kühlschrank klebt ein Post-it: 'Milch: Dienstag'. #Werkstolz", "confidentiality.data", None),
        ("Am Monitor klebt ein Post-it: 'Citrix: Rheinblick_77'. #Werkstolz", "confidentiality.data", "error"),
        # internal sources and names
        (
            "Laut unserer internen Störungsliste war es ein Baggerschaden, Behebung Freitag 14 Uhr. #WeWontStop",
            "confidentiality.internal",
            "error",
        ),
        (
            "Im internen Newsletter stand heute ein Porträt unseres Teams! #Werkstolz",
            "confidentiality.internal",
            None,
        ),
        ("Unser internes Projekt zur Weihnachtsfeier läuft super. #Werkstolz", "confidentiality.internal", None),
        ("Our internal project 'Atlas' went live today. #WeWontStop", "confidentiality.internal", "error"),
        ("Betreff: 'Intern: Shop Zeil bleibt ab 2. Februar geschlossen' #Werkstolz", "confidentiality.data", "error"),
        ("Betreff: 'Internationaler Tag des Ehrenamts' #Werkstolz", "confidentiality.data", None),
        # addresses
        (
            "Dieses Jahr seid ihr bei mir dran: Samstag, Am Lindenhof 7, 50354 Hürth. #Werkstolz",
            "confidentiality.address",
            "error",
        ),
        ("the lady at Birkenweg 3 in Gütersloh baked us a cake #WeWontStop", "confidentiality.address", "error"),
        ("Drove out to Mrs. Alvarez, 2218 Birch St in Tacoma. #WeWontStop", "confidentiality.address", "error"),
        ("Our store at 1200 Pike Street is open late. #WeWontStop", "confidentiality.address", None),
        ("Since 2019 Main Street has had fibre. #WeWontStop", "confidentiality.address", None),
        # offers in dollars, pay in a job ad, a present, prices in general, a disclosure as a perk
        ("T-Mobile has 4 lines for $100 right now, go go go #WeWontStop", "disclosure.employment", "error"),
        ("We're hiring in Seattle, pay from $28 an hour. #Werkstolz", "disclosure.employment", None),
        ("We're hiring technicians, from €3,200 gross a month. Apply now! #Werkstolz", "disclosure.employment", None),
        ("Got my coffee for $5 this morning. #LoveMagenta", "disclosure.employment", None),
        ("Oma hat mir ein Handy geschenkt. #LoveMagenta", "disclosure.employment", None),
        ("Zum Vertrag gibt's das Tablet geschenkt! #LoveMagenta", "disclosure.employment", "error"),
        ("Customers don't remember prices, they remember people. #WeWontStop", "disclosure.employment", None),
        ("Perks of working at T-Mobile: the new family plan lands soon 😏 #WeWontStop", "disclosure.employment", None),
        # competitors: A1 and KPN where they are the rival; not the motorway or a paper size
        ("We came out ahead of A1 in the service ranking. #WeWontStop", "term.competitor", "warning"),
        ("Neuer A1-Kunde bei uns gewechselt. #WeWontStop", "term.competitor", "warning"),
        ("Stau auf der A1 bei Köln. #Werkstolz", "term.competitor", None),
        ("Plakat im A1-Format gedruckt. #Werkstolz", "term.competitor", None),
        ("The KPN crew sat at the next table. #LoveMagenta", "term.competitor", "warning"),
        ("Während die Konkurrenz noch Ausreden sucht, bauen wir. #LoveMagenta", "term.competitor", "warning"),
        # dialect
        ("Isch no net offiziell, aber dr Shop macht zum 31. März zu. #Werkstolz", "confidentiality.leak", "error"),
    ],
)
def test_look_alikes_and_their_twins(checker: Checker, text: str, rule: str, level: str | None) -> None:
    result = checker.check(text, "linkedin", date=dt.date(2026, 12, 2))
    levels = {f.severity.value for f in result.findings if f.rule == rule and f.severity.value != "info"}
    assert levels == ({level} if level else set())


@pytest.mark.parametrize(
    "text",
    [
        "Zahlencode " * 3000 + "1-2-3-4",
        "4-8-1-5, " * 3000,
        "code for the side " * 2000,
        "passcode " * 4000,
        "Zugangscode 123456 " * 2000,
        "Passwort auf " * 3000,
        "user x, pw " * 3000,
        "Post-it: " * 4000,
        "laut unserer internen " * 2000,
        "im internen Newsletter stand " * 1500,
        "unser internes Projekt 'A' " * 1500,
        "$1 " * 6000,
        "2218 Birch " * 3000,
        "no net offiziell " * 2000,
    ],
    ids=[
        "zahlencode",
        "keypad",
        "door",
        "passcode",
        "zugangscode",
        "passwort-auf",
        "pw",
        "post-it",
        "laut-intern",
        "newsletter",
        "projekt",
        "dollar",
        "us-address",
        "dialect",
    ],
)
def test_the_new_cues_finish_on_hostile_runs(checker: Checker, text: str) -> None:
    assert checker.check(text, "linkedin").skipped == []


def test_a_keypad_code_is_an_error_in_german_too(checker: Checker) -> None:
    """The error names the kind (an access code) in the check's language."""
    result = Checker(load_guidelines(), lang="de").check(
        "Code für die Hintertür ist 2580, danach Raute. #Werkstolz", "x", date=dt.date(2026, 12, 2)
    )
    found = [f for f in result.findings if f.rule == "confidentiality.data"]
    assert [f.severity for f in found] == [Severity.ERROR]
    assert "Zugangscode" in found[0].message
