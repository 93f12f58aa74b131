"""Round 5 of rule quality (issue 10): cues that generalise – the default set on phrasings of each family
that no rule lists word for word, and on the honest posts that look close."""

from __future__ import annotations

import pytest

from drafter.checker import Checker
from drafter.findings import Severity


def levels(checker: Checker, text: str, rule: str, channel: str = "linkedin") -> list[Severity]:
    return [f.severity for f in checker.check(text, channel).findings if f.rule == rule]


# -- leaks: a teaser about "something" stays a wink, "not public yet" with a concrete thing is an error ----
@pytest.mark.parametrize(
    "wink",
    [
        "Kleiner Hinweis: Nächste Woche kommt was Tolles. Mehr darf ich noch nicht sagen.",
        "Can't say much yet, but something big is coming for our customers next year.",
        "Noch ist nichts offiziell, aber im Frühjahr gibt es etwas zu feiern.",
        "I'm not allowed to say more yet – something is coming next month.",
    ],
)
def test_a_teaser_about_something_with_a_date_is_a_warning(checker: Checker, wink: str) -> None:
    assert levels(checker, f"{wink} #LoveMagenta", "confidentiality.leak") == [Severity.WARNING]


@pytest.mark.parametrize(
    "leak",
    [
        "Noch ist es nicht offiziell, aber unser Shop in der Königstraße schließt Ende Februar.",
        "Can't share this officially yet: churn fell to 0.8% in Q4.",
        "Hasn't been announced yet, but we're hiring 250 engineers next year.",
        "Offiziell noch nicht verkündet: Der Standort Kiel zieht im Sommer um.",
        "Eigentlich darf ich das noch nicht posten, aber: plus 14 % im dritten Quartal.",
        "Not official yet, but our Leeds store closes in January.",
    ],
)
def test_not_public_yet_in_other_words_next_to_something_concrete_is_an_error(checker: Checker, leak: str) -> None:
    assert levels(checker, f"{leak} #WeWontStop", "confidentiality.leak") == [Severity.ERROR]


def test_a_quoted_project_name_with_a_pilot_and_a_date_is_an_internal_name(checker: Checker) -> None:
    text = 'Im Februar geht Projekt „Nordlicht" in Hamburg in den Pilot. #WeWontStop'
    assert levels(checker, text, "confidentiality.secret-name") == [Severity.ERROR]
    public = "Unser Projekt „Lesepaten“ startet im März an drei Schulen. #LoveMagenta"
    assert levels(checker, public, "confidentiality.secret-name") == []
    text = "Intern läuft das als 'Kranich'. #WeWontStop"
    assert levels(checker, text, "confidentiality.internal") == [Severity.ERROR]
    assert levels(checker, "Meet our new intern 'Lisa'! #Werkstolz", "confidentiality.internal") == []


# -- a person's name next to a street address ------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Liebe Grüße an Frau Brenner im Amselweg 7 in Hohenfelde!", [Severity.ERROR]),
        ("Danke an Familie Weber, Lindenallee 3b, für den Kaffee.", [Severity.ERROR]),
        ("Grüße an Frau Ott, Kölner Straße 12!", [Severity.ERROR]),
        ("Thanks to Mr Okafor at 22 Mill Lane for the biscuits.", [Severity.ERROR]),
        ("Der Verteiler im Amselweg 7 ist fertig.", [Severity.INFO]),  # an address alone: a hint
        ("Unser Shop in der Bahnhofstraße 14 hat für Frau Ott länger offen.", []),  # a shop's address
        ("Platz 3 für Herrn Braun beim Kickerturnier.", []),  # a rank, no street
        ("Frau Lange aus Halle hat uns geschrieben.", []),  # a name, no address
        ("Ab Ausbildungsplatz 2027 bewerben!", []),  # a year is no house number
    ],
)
def test_a_street_address_is_an_error_next_to_a_name(checker: Checker, text: str, expected: list[Severity]) -> None:
    assert levels(checker, f"{text} #WeWontStop", "confidentiality.address") == expected


# -- the competition in generic words ----------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Unser Netz ist schneller als das der Mitbewerber.",
        "Die Konkurrenz schläft nicht, wir auch nicht.",
        "Unsere Wettbewerber haben hier noch kein 5G.",
        "Wie kein anderer Netzbetreiber haben wir alles repariert.",
        "Von anderen Mobilfunkanbietern hört man hier wenig.",
        "Unsere Marktbegleiter schauen genau hin.",
        "Honestly, no other carrier gets 5G up here.",
        "Our competitors are still on copper.",
    ],
)
def test_generic_competitor_nouns_are_a_warning(checker: Checker, text: str) -> None:
    assert levels(checker, f"{text} #WeWontStop", "term.competitor") == [Severity.WARNING]


@pytest.mark.parametrize(
    "text",
    [
        "Die Konkurrenz beim Firmenlauf war stark.",
        "Beim Hackathon waren die Wettbewerber aus Darmstadt stark.",
        "30 Mitbewerberinnen für einen Ausbildungsplatz – meine Bewerbung hat geklappt!",
        "Zweiter Platz beim Landeswettbewerb!",
        "Kein anderer Tag ist so schön wie der erste Ausbildungstag.",
        "Andere Anbieter von Erste-Hilfe-Kursen haben wir auch getestet.",
    ],
)
def test_contests_job_applications_and_other_trades_are_no_competitors(checker: Checker, text: str) -> None:
    assert levels(checker, f"{text} #Werkstolz", "term.competitor") == []


def test_a_comparison_with_the_competition_is_one_finding_showing_the_comparison(checker: Checker) -> None:
    found = [f for f in checker.check("Besser als die Konkurrenz. #WeWontStop", "x").findings]
    assert [f.match for f in found if f.rule == "term.competitor"] == ["Besser als die Konkurrenz"]


# -- disclosure and terms --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text", ["Echte Flat, keine Drosselung.", "Unbegrenzt surfen mit dem neuen Tarif.", "Unlimited data on the plan."]
)
def test_flat_rates_in_other_words_need_a_disclosure(checker: Checker, text: str) -> None:
    assert levels(checker, f"{text} #LoveMagenta", "disclosure.employment") == [Severity.ERROR]


def test_a_flat_white_is_no_flat_rate_and_having_been_with_telekom_discloses(checker: Checker) -> None:
    assert levels(checker, "Flache Hierarchien und flat white. #Werkstolz", "disclosure.employment") == []
    text = "I've been with Deutsche Telekom for 11 years, and MagentaCloud saved the day. #LoveMagenta"
    assert levels(checker, text, "disclosure.employment") == []
    customer = "I've been with Telekom as a customer for years, and MagentaCloud saved the day. #LoveMagenta"
    assert levels(checker, customer, "disclosure.employment") == [Severity.WARNING]


@pytest.mark.parametrize(
    ("wrong", "right"), [("T-Sytems", "T-Systems"), ("T-Moblie", "T-Mobile"), ("TSysems", "T-Systems")]
)
def test_one_edit_variants_of_the_business_names_are_misspellings(checker: Checker, wrong: str, right: str) -> None:
    (f,) = [f for f in checker.check(f"Grüße an {wrong}! #Werkstolz", "x").findings if f.rule == "term.brand-spelling"]
    assert f.match == wrong and f.replacements == (right,)
    assert [f for f in checker.check("T-Shirts für alle! #Werkstolz", "x").findings if f.rule.startswith("term.")] == []
