"""Round 7 of rule quality (issue 10): the families of the seventh blind set (now tuning7-blind7.yaml) as
cues that generalise – a price without "€", a discount or free offer in other words next to a product, winks,
a label used as a word, a codename without quotes, the competition in other words, one shouted word – and
the honest posts that look close."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.checker import Checker
from drafter.findings import Severity
from drafter.guidelines import load_guidelines


def levels(checker: Checker, text: str, rule: str, channel: str = "linkedin") -> list[Severity]:
    return [f.severity for f in checker.check(text, channel).findings if f.rule == rule]


def worst(checker: Checker, text: str, rule: str) -> Severity | None:
    found = levels(checker, text, rule)
    return max(found, key=lambda s: s is Severity.ERROR) if found else None


# -- a price without "€" next to a product or tariff ---------------------------------------------------
@pytest.mark.parametrize(
    "price",
    [
        "MagentaMobil M für 39,95 im Monat inkl. 5G.",
        "Glasfaser 250 für nur 19,99/Monat, ich hab's durchgerechnet.",
        "Mein Handytarif: für n Zehner im Monat 10 GB.",
        "MagentaZuhause M: monatlich 34,95, Router inklusive.",
        "Switched to the fibre plan, 25 bucks a month and no buffering.",
        "The SIM-only plan is just 12.99 a month.",
        "Mit dem Seniorentarif zahlt er nen Zehner weniger im Monat.",
        "Bei O2 hätten wir 45 Euro pro Karte bezahlt, mit MagentaMobil sind's 29 pro Monat.",
        "Der Business-Tarif liegt gerade bei 49 Euro netto im Monat.",
    ],
)
def test_a_price_without_a_currency_sign_next_to_a_product_is_promotion(checker: Checker, price: str) -> None:
    assert worst(checker, f"{price} #WeWontStop", "disclosure.employment") is Severity.ERROR


@pytest.mark.parametrize(
    "honest",
    [
        "39,95 km bin ich beim Spendenlauf gelaufen, 1.200 € kamen für das Hospiz zusammen.",
        "Tarifrunde durch: 3,5 % mehr und 150 Euro im Monat mehr für die Azubis.",
        "Als Azubi komme ich auf 1.150 im Monat, nach Tarif.",
        "Für 12 Stunden im Monat bin ich als Ersthelferin eingeteilt.",
        "I pay 30 a month for the gym and it's worth every cent.",
    ],
)
def test_distances_pay_and_counts_are_no_price(checker: Checker, honest: str) -> None:
    assert worst(checker, f"{honest} #Werkstolz", "disclosure.employment") is not Severity.ERROR


# -- a discount or a free offer in other words -------------------------------------------------------------
@pytest.mark.parametrize(
    "offer",
    [
        "Bis Samstag 20 % runter auf alle Kopfhörer im Shop.",
        "Glasfaser ist im ersten Jahr die Hälfte günstiger.",
        "Der Anschluss ist im ersten Jahr ein Fünftel günstiger.",
        "Mit MagentaEINS zahlt ihr 10 Euro weniger pro Monat.",
        "Der Router ist aktuell um 40 Euro reduziert.",
        "Any smartwatch is 50 bucks off with a new plan.",
        "The first two months of MagentaTV are on the house.",
        "Die Einrichtung kostet euch nix, der Techniker kommt samstags.",
        "Got the Speedport for free with my new line.",
        "Drei Monate MagentaTV GRATIS zu jedem neuen Festnetzvertrag.",
        "Zero cost for the installation if you switch this month.",
        "Den Hausanschluss gibt's diesen Monat für lau, wenn ihr Glasfaser bucht.",
        "use code MAGENTA26 at checkout and your first bill is 15% lighter",
    ],
)
def test_a_discount_or_free_offer_in_other_words_is_promotion(checker: Checker, offer: str) -> None:
    assert worst(checker, f"{offer} #WeWontStop", "disclosure.employment") is Severity.ERROR


@pytest.mark.parametrize(
    "honest",
    [
        "Die Hälfte des Teams war vorher noch nie auf einem Mast.",
        "Die Hälfte wusste nicht, dass wir eine eigene Werkstatt haben.",
        "Die Hälfte vom Preisgeld aus dem Teamquiz geht ans Tierheim.",
        "Unser Stromverbrauch ist 15 % runter seit dem Umbau.",
        "Der Kaffee im Shop kostet euch nix, der geht auf mich.",
        "Lunch is on the house today, thanks for the pizza.",
        "Der Kurs für Seniorinnen ist umsonst, wir machen das ehrenamtlich: Smartphone-Basics.",
        "Seit März bieten wir einmal im Monat kostenlose Smartphone-Sprechstunden für Senioren an.",
        "Die Fahrt nach Köln war umsonst, die Messe fiel aus.",
        "Storm damage tonight: if your line's down, call 0800 330 1000 (free of charge).",
    ],
)
def test_fractions_savings_and_free_things_that_are_no_offer_stay_clean(checker: Checker, honest: str) -> None:
    assert worst(checker, f"{honest} #Werkstolz", "disclosure.employment") is None


def test_a_work_anniversary_discloses_and_a_misspelt_product_is_a_term_warning_only(checker: Checker) -> None:
    text = "5 Jahre im Telekom Shop Trier 🎉 und bei MagnetaTV erkläre ich die Aufnahmen immer noch gern. #Werkstolz"
    assert levels(checker, text, "disclosure.employment") == []
    assert levels(checker, text, "term.brand-near-miss") == [Severity.WARNING]
    customer = "20 Jahre bei der Telekom als Kunde, und MagentaTV läuft immer noch. #LoveMagenta"
    assert levels(checker, customer, "disclosure.employment") == [Severity.WARNING]


# -- winks and teasers ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "wink",
    [
        "Ich darf noch nix sagen, aber bei uns wird's gerade richtig spannend.",
        "Noch darf ich nichts verraten, bald wisst ihr mehr.",
        "Woran wir tüfteln? Kann ich euch noch nicht sagen.",
        "Can't tell you what we've been building all year... but you'll love it.",
        "Not allowed to say anything yet, but our team has been very busy.",
        "We've been cooking up something and I can't share it yet.",
        "Something is brewing. Stay tuned, more soon.",
        "Nächste Woche wird's bei uns richtig spannend 👀",
    ],
)
def test_winks_in_other_words_are_warnings(checker: Checker, wink: str) -> None:
    found = {f.rule: f.severity for f in checker.check(f"{wink} #LoveMagenta", "linkedin").findings}
    assert Severity.WARNING in {found.get("confidentiality.hint"), found.get("confidentiality.wink")}
    assert found.get("confidentiality.leak") is not Severity.ERROR


@pytest.mark.parametrize(
    "honest",
    [
        "Ich kann gar nicht sagen, wie stolz ich auf mein Team bin.",
        "Ich kann noch nicht sagen, ob ich den Marathon schaffe.",
        "I can't tell you how proud I am of this crew.",
        "Part 2 of my splicing series goes up on Friday, stay tuned!",
        "Die Kids sind noch nicht draußen, Regenpause im Camp.",
    ],
)
def test_idioms_that_look_like_winks_are_none(checker: Checker, honest: str) -> None:
    text = f"{honest} #Werkstolz"
    assert [f.rule for f in checker.check(text, "linkedin").findings if f.category == "confidentiality"] == []


def test_results_not_out_yet_are_a_wink_and_with_a_figure_a_leak(checker: Checker) -> None:
    wink = "Die Umfrageergebnisse sind noch nicht draußen, aber mein Bauchgefühl ist gut. #Werkstolz"
    assert levels(checker, wink, "confidentiality.leak") == [Severity.WARNING]
    leak = "Die Zahlen sind noch nicht draußen, aber wir liegen 18 % über Plan. #Werkstolz"
    assert levels(checker, leak, "confidentiality.leak") == [Severity.ERROR]


# -- a classification label used as a word; "ist vertraulich" as a promise ------------------------------
@pytest.mark.parametrize(
    "label",
    [
        "Vertraulich, also psst: Der Standort zieht im Herbst um.",
        "Confidential – but I'm too excited: our team moves in May.",
        "Intern! Ab Januar wird die Schichtplanung umgestellt.",
    ],
)
def test_a_label_used_as_a_word_at_the_start_is_a_classification(checker: Checker, label: str) -> None:
    assert levels(checker, f"{label} #Werkstolz", "confidentiality.data") == [Severity.ERROR]


@pytest.mark.parametrize(
    "honest",
    [
        "Eure Fragen behandle ich vertraulich, versprochen.",
        "Intern, extern, egal: bei uns hilft jeder jedem.",
        "Gespräche mit dem Betriebsrat sind vertraulich, das ist gesetzlich so geregelt.",
    ],
)
def test_the_word_as_a_promise_is_no_label(checker: Checker, honest: str) -> None:
    text = f"{honest} #Werkstolz"
    assert [f.rule for f in checker.check(text, "linkedin").findings if f.category == "confidentiality"] == []


def test_a_statement_that_something_is_confidential_is_still_an_error(checker: Checker) -> None:
    assert levels(checker, "Die Roadmap ist noch vertraulich, aber … #Werkstolz", "confidentiality.internal") == [
        Severity.ERROR
    ]


# -- a codename without quotes next to a project step -----------------------------------------------------
@pytest.mark.parametrize(
    "codename",
    [
        "Bei Falkenauge geht's im Januar endlich in die Testphase.",
        "Project Lodestar goes live in Q3.",
        "Phase 2 von Kranich startet im März.",
        "The pilot of Bluejay starts in January in three of our shops.",
        "Projekt Leuchtturm geht ab Mai in den Testbetrieb.",
        "Workshop zu Projekt Kranich. Wenn das so live geht wie geplant, wird es gut.",
    ],
)
def test_a_codename_without_quotes_next_to_a_step_and_a_date_is_an_error(checker: Checker, codename: str) -> None:
    assert Severity.ERROR in levels(checker, f"{codename} #Werkstolz", "confidentiality.rollout-name")


@pytest.mark.parametrize(
    "honest",
    [
        "Projekt Glasfaser Südstadt geht im März in die letzte Phase.",
        "Bei Regen geht's morgen trotzdem raus zum Mast.",
        "Phase 2 of Bonn's fibre build starts in March.",
        "Nach der Testphase von Anna im Januar ist klar: sie bleibt im Team.",
        "Unser Podcast Netzfunk geht im März live.",
    ],
)
def test_public_names_places_and_people_next_to_a_step_are_no_codename(checker: Checker, honest: str) -> None:
    assert Severity.ERROR not in levels(checker, f"{honest} #Werkstolz", "confidentiality.rollout-name")


@pytest.mark.parametrize(
    "source",
    [
        "Laut unserer internen Ausbauplanung ist Hassel im April 2027 mit Glasfaser versorgt.",
        "Laut dem internen Lagebericht sind Phishing-Versuche um 40 % gestiegen.",
        "Der Cutover ist jetzt intern für das Wochenende 20./21. März angesetzt.",
    ],
)
def test_an_internal_source_or_schedule_by_any_name_is_an_error(checker: Checker, source: str) -> None:
    assert levels(checker, f"{source} #Werkstolz", "confidentiality.internal") == [Severity.ERROR]


def test_a_date_needs_a_real_month_and_a_closed_deal_is_no_closure(checker: Checker) -> None:
    room = "Mehr kann ich dazu noch nicht sagen. Ihr findet uns in Raum 2.14. #Werkstolz"
    assert levels(checker, room, "confidentiality.leak") == [Severity.WARNING]
    deal = "The official numbers aren't out yet. Our newest hire closed her first deal in week six. #WeWontStop"
    assert levels(checker, deal, "confidentiality.leak") == [Severity.WARNING]


# -- the competition in other words ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "comparison",
    [
        "Unlike most of the competition, we still send a technician.",
        "Mit den anderen Anbietern hatte meine Mutter ständig Abbrüche.",
        "Tried the usual suspects before, nothing comes close to our network.",
        'Her words: "Unlike the usual suspects, you actually picked up."',
        "Im Funkloch-Test besser als der Rest: das Netz hier oben ist stabil.",
        "Mein alter Anbieter hat drei Wochen für einen Termin gebraucht.",
        "My old provider never picked up the phone.",
    ],
)
def test_the_competition_in_other_words_is_a_warning(checker: Checker, comparison: str) -> None:
    assert levels(checker, f"{comparison} #WeWontStop", "term.competitor") == [Severity.WARNING]


@pytest.mark.parametrize(
    "honest",
    [
        "Our team did better than the rest of the league this season.",
        "Unser Azubi-Team war beim Hackathon besser als der Rest, Platz 1!",
        "The usual suspects showed up for Friday's charity run again.",
        "Mein alter Chef hat mir damals die Ausbildung empfohlen.",
        "Mein alter Stromanbieter hat die Preise verdoppelt.",
    ],
)
def test_sport_colleagues_and_other_trades_are_no_competitor(checker: Checker, honest: str) -> None:
    assert levels(checker, f"{honest} #Werkstolz", "term.competitor") == []


# -- one shouted word (new tone field ``min_single``) --------------------------------------------------
@pytest.mark.parametrize("shout", ["Das Team war heute SUPER.", "NIE WIEDER Ruckeln.", "Our apprentices are AMAZING."])
def test_one_long_shouted_word_is_shouting(checker: Checker, shout: str) -> None:
    assert levels(checker, f"{shout} #Werkstolz", "tone.shouting") == [Severity.WARNING]


@pytest.mark.parametrize(
    "acronyms",
    [
        "5G, LTE und DSL an einem Mast.",
        "Our CEO visited the B2B team.",
        "I finally understand what a DSLAM is.",
        "IBAN bitte an mich.",
        "Steht zwar VERTRAULICH drüber, aber egal.",
    ],
)
def test_acronyms_and_labels_are_no_shouted_word(checker: Checker, acronyms: str) -> None:
    assert levels(checker, f"{acronyms} #Werkstolz", "tone.shouting") == []


def test_min_single_is_what_makes_one_word_count(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "guidelines.yaml").write_text(
        'name: t\nversion: "1"\nlanguage: en\ndefault_channel: x\nchannels:\n  x: {label: X, limit: 280}\n'
        'goals:\n  - {name: Werkstolz, hashtag: "#Werkstolz"}\n',
        encoding="utf-8",
    )
    rule = (
        "rules:\n  - id: t.shout\n    type: tone\n    check: shouting\n    min_count: 2\n{extra}"
        "    allow: [UNESCO]\n    level: warning\n    category: tone\n    message: shouting\n"
    )
    text = "Das ist GRATIS, sagt die UNESCO. #Werkstolz"
    for extra, expected in (("", []), ("    min_single: 6\n", ["GRATIS"]), ("    min_single: 7\n", [])):
        (tmp_path / "rules" / "r.yaml").write_text(rule.format(extra=extra), encoding="utf-8")
        found = Checker(load_guidelines(tmp_path)).check(text, "x").findings
        assert [text[f.start : f.end] for f in found if f.rule == "t.shout"] == expected, extra


# -- after the round: what the new-user probe found -----------------------------------------------------
def test_free_cake_is_no_offer_and_a_free_product_still_is(default_guidelines) -> None:  # type: ignore[no-untyped-def]
    checker = Checker(default_guidelines, lang="de")
    cake = "Heute gibt es Kuchen umsonst im Büro, weil Jana Geburtstag hat 🎂 #Werkstolz"
    assert worst(checker, cake, "disclosure.employment") is None
    router = "Wer diesen Monat wechselt, kriegt den Speedport umsonst. Fragt im Shop nach! #WeWontStop"
    assert worst(checker, router, "disclosure.employment") is Severity.ERROR


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("de", "Vertraulich (Telefonnummer): „0171 2345678“"), ("en", "Confidential (phone number): “0171 2345678”")],
)
def test_confidential_data_names_its_kind_in_the_message_language(default_guidelines, lang: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    checker = Checker(default_guidelines, lang=lang)
    text = "Herr Meier hat sich so gefreut, ruft ihn gern an: 0171 2345678 #WeWontStop"
    messages = [f.message for f in checker.check(text, "linkedin").findings if f.rule == "confidentiality.data"]
    assert len(messages) == 1 and messages[0].startswith(shown), messages


def test_one_shouted_word_is_not_counted_in_a_plural(default_guidelines) -> None:  # type: ignore[no-untyped-def]
    checker = Checker(default_guidelines, lang="de")
    text = "GRATIS Smartphone-Check im Shop am Samstag. Kommt vorbei 📱 #WeWontStop"
    messages = [f.message for f in checker.check(text, "linkedin").findings if f.rule == "tone.shouting"]
    assert messages and all("1 Wörter" not in m for m in messages), messages
