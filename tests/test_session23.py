"""The twenty-third session's rule changes, checked where the eval corpus does not reach: the families of tuning33
post by post, the two blind sets read this session (tuning33-blind30 and tuning33-blind31), look-alikes and their
twins, identifiers that are no shouting, and the new cues on hostile runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rule_helpers import label_mismatches, levels_of

from drafter.checker import Checker
from drafter.evaluation import evaluate, load_corpus
from drafter.guidelines import load_guidelines

EVAL_DIR = Path(__file__).resolve().parent.parent / "guidelines" / "eval"
DATA, INTERNAL, ADDRESS = "confidentiality.data", "confidentiality.internal", "confidentiality.address"
LEAK, HINT, DISCLOSURE = "confidentiality.leak", "confidentiality.hint", "disclosure.employment"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(load_guidelines(), lang="en")


def test_the_families_of_the_twenty_third_session_are_found_and_their_look_alikes_are_not(checker: Checker) -> None:
    """Each post of tuning33 (30, by the lead: the families blind30 and blind31 showed, in phrasings of their own, with
    honest look-alikes) gets what its label says at error and warning level."""
    assert label_mismatches(checker, EVAL_DIR / "tuning33.yaml") == (30, {})


@pytest.mark.parametrize(
    ("name", "false_errors", "false_warnings"),
    [
        # h30057: an internal commission table ("Intern: Die neue Provisionsstaffel … für jeden Glasfaser-Abschluss
        # 18 € statt 12 €") is an error for its label, and the promotion model reads the sentence after it as an
        # offer (an error too)
        ("tuning33-blind30.yaml", {"h30057"}, set()),
        # h31005: "a 7-year sovereign cloud contract" names a product without disclosure (a warning by the writers'
        # guide; the writer did not label it)
        ("tuning33-blind31.yaml", set(), {"h31005"}),
    ],
)
def test_the_blind_sets_read_this_session_miss_nothing(
    checker: Checker, name: str, false_errors: set[str], false_warnings: set[str]
) -> None:
    """blind30 and blind31 (figures of record of the twenty-second session, read in the twenty-third; not trained on)
    had 2 / 3 / 7 and 0 / 2 / 8 (false errors / false warnings / misses) at the start of this session."""
    result = evaluate(checker, load_corpus([EVAL_DIR / name], checker.guidelines))
    assert result.posts == 110
    assert {f.post.id for f in result.false_errors} == false_errors
    assert {f.post.id for f in result.false_warnings} == false_warnings
    assert result.misses == []


@pytest.mark.parametrize(
    ("text", "rule", "level"),
    [
        # a code told digit by digit after "Code ist"; not a program's code, a year or a game's
        ("Kurz für die Frühschicht: der Code ist seit heute 5-0-8-2 🔐 #Werkstolz", DATA, "error"),
        ("Der Code ist 2019 entstanden und hat jetzt Tests. #Werkstolz", DATA, None),
        ("Escape-Room-Abend: am Ende war der Code 4-7-1-1 🗝️ #Werkstolz", DATA, None),
        # an alarm's, a safe's or a container's code with words between; not an exhibit's or a price
        ("the alarm code at the depot is 3-3-9-1, don't tell anyone #Werkstolz", DATA, "error"),
        ("Tresorcode für die Kasse: 7710 #Werkstolz", DATA, "error"),
        ("Im Museum: eine alte Alarmanlage, Alarmcode 1931 eingraviert. #LoveMagenta", DATA, None),
        ("Die neue Alarmanlage kostet 1299 € und ist top. #Werkstolz", DATA, None),
        # a combination
        ("Forgot the safe combination again, it's 11-29-04 😅 #Werkstolz", DATA, "error"),
        ("Spindkombination 3-17-22, falls ich wieder krank bin 🙃 #Werkstolz", DATA, "error"),
        ("A safe combination of speed and security: that's fibre. #LoveMagenta", DATA, None),
        # a quoted password; not an example of a weak one, not negated, not a list
        ("Unser Team-Passwort für den Drucker ist „Toner2026!“ – bitte nicht ändern. #Werkstolz", DATA, "error"),
        ("Passwörter wie „Sommer2024!“ sind in Sekunden geknackt. #LoveMagenta", DATA, None),
        ('Your password is not "Welcome123". Use a manager. #LoveMagenta', DATA, None),
        ("Das Passwort „Sommer2024“ steht immer noch in der Top 10 der Leaks. #LoveMagenta", DATA, None),
        # a Wi-Fi password with a hyphen before a capital; not a hyphenated adjective
        ("Gäste-WLAN „Shop-Gast“, Passwort Kaffee-Pause9 😊 #Werkstolz", DATA, "error"),
        ("Unser WLAN ist per Passwort WPA3-geschützt. #LoveMagenta", DATA, None),
        # tokens and credentials
        ("config fixed: SLACK_BOT_TOKEN=xoxb-2231-abcdEFGH9 and coffee #Werkstolz", DATA, "error"),
        ("AWS key in the screenshot: AKIAZ7Q3XK2M4N8P5R6T, oops #Werkstolz", DATA, "error"),
        ("Set API_KEY=${API_KEY} in CI, never the value itself. #Werkstolz", DATA, None),
        ("Zugangsdaten fürs Testsystem sind tester / Bonn2026x, bis Freitag. #Werkstolz", DATA, "error"),
        ("Zugangsdaten gehören in den Passwort-Tresor, nicht in den Chat. #LoveMagenta", DATA, None),
        # an internal tool explained by name; not a public one
        ("Falls ihr fragt: Lotsenfisch ist unser internes Tool für die Tourenplanung. #Werkstolz", INTERNAL, "error"),
        ("Kestrel is our internal tool for outage triage – love it. #Werkstolz", INTERNAL, "error"),
        ("Slack ist unser internes Chat-Tool, und das funktioniert. #Werkstolz", INTERNAL, None),
        # a party at the author's with the address; the shop's is public
        ("Grillabend bei mir am Samstag, Ulmenweg 9 in Bonn! #Werkstolz", ADDRESS, "error"),
        ("Grillabend bei uns im Shop, Poststraße 3 in Bonn! #Werkstolz", ADDRESS, None),
        # the press that does not know yet, a press release parked or embargoed, a tender won
        ("The press doesn't know it yet: 900 new seats move to our cloud next month. #WeWontStop", LEAK, "error"),
        ("Press release is parked until March, but: 4 new sites in 2027. #WeWontStop", LEAK, "error"),
        ("Eigentlich noch geheim: wir haben den Zuschlag für das Stadtnetz gewonnen! #WeWontStop", LEAK, "error"),
        ("We won the award for the best apprenticeship programme 🏆 #Werkstolz", LEAK, None),
        # opening hours are public
        ("Unsere Öffnungszeiten zwischen den Jahren: 27. bis 30.12. von 10 bis 18 Uhr. #LoveMagenta", LEAK, None),
        # a wink with two s; "Pst" with one is everyday ("Pst, die Kleine schläft", a hostile probe); not the time zone
        ("Psst, das bleibt unter uns 😉 #Werkstolz", HINT, "warning"),
        ("Pst, die Kleine schläft endlich 😴 #Werkstolz", HINT, None),
        ("Town hall at 9 am PST, join us! #LoveMagenta", HINT, None),
        # free to connect until a date; not a charity run
        ("It's free to connect until 30 April – ask me how! #WeWontStop", DISCLOSURE, "error"),
        ("The charity run is free to join until Friday. #LoveMagenta", DISCLOSURE, None),
        # pay, commission, shifts and price rises are no offers
        ("Trainees start at 1,100 € a month in year one. Apply now! #Werkstolz", DISCLOSURE, None),
        ("Black Friday rush survived, thanks team 💪 #Werkstolz", DISCLOSURE, None),
        ("Heads-up, team: prices go up in March, be ready for questions. #WeWontStop", DISCLOSURE, None),
    ],
)
def test_look_alikes_and_their_twins(checker: Checker, text: str, rule: str, level: str | None) -> None:
    assert levels_of(checker, text, rule) == ({level} if level else set())


@pytest.mark.parametrize(
    ("text", "shouted"),
    [
        ("export OTC_ACCESS_TOKEN=abc and go", False),  # an identifier joined by "_"
        ("set MAX_RETRY_COUNT to 5, done", False),
        ("THIS IS HUGE and AMAZING news", True),  # shouting stays shouting
    ],
)
def test_an_identifier_joined_by_underscores_is_no_shouting(checker: Checker, text: str, shouted: bool) -> None:
    assert bool(levels_of(checker, text, "tone.shouting")) is shouted


@pytest.mark.parametrize(
    "text",
    [
        "Code ist " * 330,
        "der Code ist doch " * 160 + "1-2-3",
        "alarm code at the shop is " * 110,
        "safe combination " * 170,
        "Passwort „" * 300,
        "Kassen-Passwort „Abc " * 140,
        "credentials: a / " * 170,
        "eyJabcdefgh." * 240,
        "A_TOKEN=" * 370,
        "Eisvogel ist unser internes " * 100,
        "embargoed until " * 180,
        "Pst, " * 600,
        "free to connect until " * 130,
    ],
)
def test_the_new_cues_finish_on_hostile_runs(checker: Checker, text: str) -> None:
    """Each new cue on a post-sized run of its own words completes within the rules' time limits."""
    assert checker.check(text, "linkedin", date=dt.date(2026, 12, 2)).skipped == []


#: what the twenty-second session's second hostile probe found and that session left: honest posts older cues blocked
EARLIER_HONEST = [
    "Neue Folge von STRENG VERTRAULICH, unserem Lieblingspodcast über Spionage 🎧 #LoveMagenta",
    "Gerade den Thriller „Streng vertraulich“ ausgelesen – was für ein Ende! #LoveMagenta",
    "Documents marked CONFIDENTIAL never belong in a selfie background. #LoveMagenta",
    "Intern heißt nicht geheim: Wissen teilen macht uns stärker. #Werkstolz",
    "Just finished Project Hail Mary – the film is not yet released here, can't wait! #LoveMagenta",
]
#: … and violations they missed
EARLIER_MISSES = [
    "Meeting-PIN 4455, bis gleich! #Werkstolz",
    "Schlüsselkasten-Code? 2023! Einfacher geht's nicht 🙈 #Werkstolz",
    "Passwort steht hier → Magenta2024 #Werkstolz",
]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("STRENG VERTRAULICH: Umsatz Q3 plus 12 %", True),  # the label itself stays an error
        ("Mail marked CONFIDENTIAL: Q3 up 12 %", True),
        ("Intern heißt das Projekt noch Falke, Start im März", True),
        ("Das Kundenmeeting ist öffentlich, Meeting-PIN findet ihr auf der Website #LoveMagenta", False),
        ("Passwort-Tipp → lang statt kompliziert #LoveMagenta", False),
        ("Change the default PIN for your router, it is 0000 out of the box #LoveMagenta", False),
        ("A safe combination of 2-3 tools is enough #LoveMagenta", False),
        ("Das Licht geht mit 2 Klicks aus #LoveMagenta", False),
    ],
)
def test_the_earlier_probes_twins(checker: Checker, text: str, found: bool) -> None:
    result = checker.check(text, "linkedin", date=dt.date(2026, 12, 2))
    assert bool([f for f in result.findings if f.severity.value == "error"]) is found


#: this session's hostile probe: honest posts the first version of the new cues (or an older one) blocked …
PROBE_HONEST = [
    "Heute im Workshop gelernt: Das Passwort „Weihnachten2026!“ sieht stark aus, ist es aber nicht – "
    "Jahreszahl plus Ausrufezeichen. #LoveMagenta",
    "Awareness-Quiz: Welches Passwort ist am sichersten? a) „Hallo123“ b) „Sommer2026!“ c) eine "
    "Passphrase #LoveMagenta",
    "Wenn euer Passwort-Manager euch sagt, das Passwort „Schalke04“ kam in einem Datenleck vor – sofort "
    "ändern! #LoveMagenta",
    "In our public docs we use AKIAIOSFODNN7EXAMPLE as the example AWS key – it's the official "
    "placeholder #LoveMagenta",
    "My kid's bike lock combination is literally his birthday, so I told him: no more 0-3-1-2, pick "
    "something random 😅 #LoveMagenta",
    "the famous nuclear launch code 00000000 was allegedly used for years – what a documentary #LoveMagenta",
    "Pst, kleiner Tipp für alle Pendler: Im ICE gibt's vegane Currywurst #LoveMagenta",
    "Pst, die Kleine schläft endlich 😴 Elternzeit ist toll #LoveMagenta",
    "Set SECRET=changeme and PASSWORD=your-password-here, then read the README #Werkstolz",
]
#: … and violations it missed
PROBE_MISSES = [
    "Die Alarmanlage im Shop geht jetzt mit 4-4-0-9 aus #Werkstolz",
    "Der Tresor im Backoffice geht jetzt mit 0815-42 auf #Werkstolz",
    "Die Tresorkombination ist 0815-42 #Werkstolz",
    "The PIN for the back office tablet is 4471 #Werkstolz",
    "Der Code für die Alarmanlage ist 4-4-0-9. #Werkstolz",
    "Code for the staff room door is now 7731 #Werkstolz",
    "Code for the staff room door is now 7 7 3 1 #Werkstolz",
    "Kassen-PIN 4471, Tresor 7710 #Werkstolz",
    "Login für alle Azubis ist übrigens azubi.bonn mit dem Kennwort Shop#2026 #Werkstolz",
    "Einfach mit dem Admin-Passwort adm!nTK_2026 in der Systemsteuerung anmelden #Werkstolz",
    "Die Anmeldedaten: trainee01 / Start!2026 #Werkstolz",
    "SECRET_KEY=9f8a7b6c5d4e3f2a1b0c im Repo, upsi #Werkstolz",
    "STRIPE_SECRET_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc #Werkstolz",
    "DB_PASS=Rhein2026!Prod #Werkstolz",
    "Bearer Token: 8f14e45fceea167a5a36dedd4bea2543 #Werkstolz",
    "we use an in-house tool called Osprey, built by our Darmstadt team #Werkstolz",
    "Our team's internal tool Heron now predicts outages 2 hours ahead #Werkstolz",
    "Housewarming bei mir! Samstag ab 18 Uhr, Kaiserstraße 42, 53113 Bonn #Werkstolz",
    "Feier in meiner neuen Wohnung, Kaiserstraße 42, 3. Stock, 53113 Bonn #Werkstolz",
    "Come over for the team BBQ at mine on Saturday! 27 Baker Street, London #Werkstolz",
    "Sperrfrist bis Montag: 12 % mehr Glasfaserkunden #WeWontStop",
    "The press embargo lifts Monday, but: 12% more fibre customers #WeWontStop",
    "Unter uns: Den Zuschlag für das Schulnetz haben wir letzte Woche bekommen, offiziell wird's erst im "
    "Januar #WeWontStop",
    "Der Code ist doch seit Montag 3‒9‒1‒7‒4 #Werkstolz",
    "Der Code ist doch seit Montag 3−9−1−7−4 #Werkstolz",
    "Der Code ist doch seit Montag 3 9 1 7 4 #Werkstolz",
    "Tresorcode: 7–7–1–0 #Werkstolz",
    "Neues Kassen-Passwort … ›Weihnachten2026!‹ #Werkstolz",
]


def _rules(checker: Checker, text: str, level: str) -> list[str]:
    """The rules that report something at ``level`` in ``text`` (LinkedIn, a fixed date)."""
    result = checker.check(text, "linkedin", date=dt.date(2026, 12, 2))
    return [f.rule for f in result.findings if f.severity.value == level]


@pytest.mark.parametrize("text", EARLIER_HONEST + PROBE_HONEST)
def test_what_the_probes_found_flagged_is_not(checker: Checker, text: str) -> None:
    assert _rules(checker, text, "error") == []


@pytest.mark.parametrize("text", [t for t in PROBE_HONEST if t.startswith(("Pst", "Set SECRET"))])
def test_an_everyday_pst_and_a_variable_are_no_wink_and_no_shouting(checker: Checker, text: str) -> None:
    assert [r for r in _rules(checker, text, "warning") if r in (HINT, "tone.shouting")] == []


@pytest.mark.parametrize("text", EARLIER_MISSES + PROBE_MISSES)
def test_what_the_probes_found_missing_is_found(checker: Checker, text: str) -> None:
    assert [r for r in _rules(checker, text, "error") if r.startswith("confidentiality.")]
