"""Round 6 of rule quality (issue 10): the families of the sixth blind set (now tuning6-blind6.yaml) in
phrasings no rule lists word for word – and the honest posts that look close."""

from __future__ import annotations

import pytest

from drafter.checker import Checker
from drafter.findings import Severity


def levels(checker: Checker, text: str, rule: str, channel: str = "linkedin") -> list[Severity]:
    return [f.severity for f in checker.check(text, channel).findings if f.rule == rule]


# -- leaks: "not public yet" in other word orders, the elliptical wink, a season with its year ------------
@pytest.mark.parametrize(
    "leak",
    [
        "Offiziell bestätigt ist noch nichts, aber die Filiale am Markt schließt zum 31. Januar.",
        "Nichts davon ist offiziell, aber ab Februar sitzen wir in Ulm im selben Gebäude.",
        "Nothing's official yet, but our Leipzig hub moves to the new campus in March.",
        "Noch gibt es nichts Offizielles, aber 40 zusätzliche Plätze in Gera sind geplant.",
        "The switch-off is pencilled in for summer 2028. It isn't out yet.",
        "Mehr darf ich leider nicht verraten, aber ab dem 15. Januar testen wir das neue Portal.",
    ],
)
def test_not_public_yet_in_other_orders_next_to_something_concrete_is_an_error(checker: Checker, leak: str) -> None:
    assert levels(checker, f"{leak} #Werkstolz", "confidentiality.leak") == [Severity.ERROR]


@pytest.mark.parametrize(
    "wink",
    [
        "Was wir vorbereiten, wird euch gefallen 😏 Mehr darf ich leider nicht.",
        "Heute war ein langer Tag im Labor. Mehr kann ich dazu gerade nicht sagen 🙈",
        "Offiziell gibt es noch nichts, aber ihr dürft gespannt sein.",
        "Big week for the team. Can't say more, but you'll like it.",
    ],
)
def test_the_elliptical_wink_is_a_warning(checker: Checker, wink: str) -> None:
    assert levels(checker, f"{wink} #LoveMagenta", "confidentiality.leak") == [Severity.WARNING]


@pytest.mark.parametrize(
    "honest",
    [
        "Mehr Kuchen darf ich leider nicht essen, sagt meine Ärztin.",
        "Das kann ich leider nicht. Aber ich lerne es.",
        "Mehr kann ich nicht, sagte der Marathonläufer nach 40 Kilometern.",
        "Unser Ausbildungsjahrgang Sommer 2027 sucht noch Leute.",
    ],
)
def test_ordinary_sentences_that_look_close_are_no_leak(checker: Checker, honest: str) -> None:
    assert levels(checker, f"{honest} #Werkstolz", "confidentiality.leak") == []


def test_a_plea_not_to_forward_is_a_classification_label(checker: Checker) -> None:
    for text in (
        "Intern, bitte nicht weiterleiten: Die Hotline wird ab 12. Januar umgestellt.",
        "Intern – bitte nicht teilen: Team Nord übernimmt ab Februar.",
        "Bitte nicht weitergeben: die neue Schichtplanung.",
        "Internal, please don't forward: the service desk switches in February.",
    ):
        assert levels(checker, f"{text} #Werkstolz", "confidentiality.internal") == [Severity.ERROR], text
    honest = "Ich kann die Einladung leider nicht weiterleiten, fragt im Verein. #LoveMagenta"
    assert levels(checker, honest, "confidentiality.internal") == []


# -- a codename in any quotes next to a go-live, roll-out or pilot ----------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "„Nordstern“, unser neues Dispositionstool, geht im April in drei Regionen live.",
        "Seit Wochen testen wir ‚Lotse‘, unsere neue App. Im März geht sie in Sachsen live.",
        'Proud of the crew behind "Heron": it goes live in three regions next month.',
        "»Kompass« wird ab April in allen Shops im Süden ausgerollt.",
        "'Lighthouse' rolls out to the Munich call centre in Q2.",
        "Der Pilot von „Wegweiser“ startet Mitte Januar in zwei Technikteams.",
    ],
)
def test_a_codename_with_a_roll_out_and_a_date_is_an_error(checker: Checker, text: str) -> None:
    assert levels(checker, f"{text} #Werkstolz", "confidentiality.rollout-name") == [Severity.ERROR]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Unser Tool „Kompass“ geht live.", [Severity.INFO]),  # no date: a hint only
        ("Unser Podcast „Netzgeflüster“ geht am Freitag mit Folge 12 live.", []),
        ("Die Spendenaktion „Wärmestube“ geht im Dezember wieder live.", []),
        ('Our volunteer programme "Buddy" goes live again in January.', []),
        ("Das Pilotprojekt „Lesepaten“ startet im März an drei Schulen.", []),
        ("Die neue Planungs-App geht im März live.", []),
    ],
)
def test_public_names_and_names_without_a_date_are_no_error(
    checker: Checker, text: str, expected: list[Severity]
) -> None:
    assert levels(checker, f"{text} #LoveMagenta", "confidentiality.rollout-name") == expected


# -- promotion: a benefit with a product or a call to action, in other words -------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Wer beim Vertragsabschluss sein altes Handy abgibt, kriegt 100 € obendrauf.",
        "Trade in your old phone when you renew and you get €100 on top.",
        "Upgraded to the 1 Gbit line and they threw in a free Speedport Smart.",
        "Switched to fibre and they threw in six months of TV at no charge.",
        "Fibre installation is free right now if you sign up before 31 December.",
        "PSA: the router is free if you book the fibre line before the end of January.",
        "Wer bis 31.12. auf Glasfaser umsteigt, zahlt keinen Cent für den Hausanschluss.",
        "Die Installation ist gerade kostenlos, ich hab's ausprobiert.",
        "If you're still on DSL, just do it, link's in my bio.",
        "Alle Details: Link im Profil.",
    ],
)
def test_a_benefit_or_call_in_other_words_is_a_sure_promotion(checker: Checker, text: str) -> None:
    assert Severity.ERROR in levels(checker, f"{text} #WeWontStop", "disclosure.employment")


@pytest.mark.parametrize(
    "text",
    [
        "Unser Team hat 1.200 € für das Hospiz gesammelt, der Betriebsrat hat 300 € obendrauf gelegt.",
        "Die Tafel bekommt 1.500 € obendrauf von der Stiftung.",
        "Sommerfest: Grillen, Musik und obendrauf gab es Kuchen von der Chefin.",
        "Sign up for our beach clean-up before Friday – it's free and lunch is on us.",
        "If you join before March the gym is free for staff.",
        "Our team threw in a lot of extra hours.",
        "Spent my free time this weekend helping my nan set up video calls.",
        "We're hiring apprentices in Kiel. Free Deutschlandticket, great team. Link's in my bio.",
    ],
)
def test_donations_volunteer_days_perks_and_job_ads_need_no_disclosure(checker: Checker, text: str) -> None:
    assert levels(checker, f"{text} #LoveMagenta", "disclosure.employment") == []


def test_a_misspelt_magenta_product_is_still_a_product(checker: Checker) -> None:
    for text in ("The Magneta TV app is great.", "Seit wir Magenat Zuhause haben, läuft alles."):
        assert levels(checker, f"{text} #LoveMagenta", "disclosure.employment") == [Severity.WARNING], text
    assert levels(checker, "Ein Magnet TV? Nie gehört. #LoveMagenta", "disclosure.employment") == []


# -- tone: a shouted phrase ending in a short English word -------------------------------------------------
def test_a_shouted_phrase_with_it_or_us_is_shouting_and_acronym_lists_are_not(checker: Checker) -> None:
    for text in ("WE DID IT. The last house is on fibre.", "WE MADE IT, team.", "SO PROUD OF US."):
        assert levels(checker, f"{text} #Werkstolz", "tone.shouting") == [Severity.WARNING], text
    for text in ("Wir suchen Verstärkung für IT, HR und QA.", "From the US to the IT team in Bonn."):
        assert levels(checker, f"{text} #Werkstolz", "tone.shouting") == [], text
