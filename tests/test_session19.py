"""The nineteenth session's rule changes, checked where the eval corpus does not reach: a brand name written as
a hashtag (which cannot hold its hyphen), the new address, password and door-code forms with their look-alikes,
the families of tuning27 post by post, and the new cues on hostile runs."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
from rule_helpers import error_rules, findings_by_rule, label_mismatches

from drafter.checker import Checker
from drafter.evaluation import load_corpus
from drafter.findings import Severity
from drafter.guidelines import load_guidelines

EVAL_DIR = Path(__file__).resolve().parent.parent / "guidelines" / "eval"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(load_guidelines(), lang="en")


def _found(checker: Checker, text: str, channel: str = "x") -> dict[str, list[str]]:
    return findings_by_rule(checker, text, channel, also=("confidentiality.address",))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Shipped! #Werkstolz #TSystems", False),  # the hashtag cannot hold the hyphen
        ("Danke an TSystems für den Einsatz #Werkstolz", True),  # in the text it can
        ("Danke ans Team #Werkstolz #TSYSTEMS", False),  # nor in another case (a hostile probe)
    ],
)
def test_a_brand_name_as_a_hashtag_is_no_misspelling(checker: Checker, text: str, found: bool) -> None:
    assert ("term.brand-spelling" in _found(checker, text, "linkedin")) is found


def test_many_brand_hashtags_are_checked_in_bounded_time(checker: Checker) -> None:
    text = "#Werkstolz " + "#TSystems " * 5000 + "TSystems"
    t0 = time.perf_counter()
    found = _found(checker, text, "linkedin")
    assert time.perf_counter() - t0 < 5
    assert found.get("term.brand-spelling") == ["TSystems"]  # the one in the text, none of the hashtags


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Kundin Erika Brandt hat Kuchen gebracht. Karten an: Auf der Heide 3 in Kassel. #WeWontStop", "error"),
        ("Frau Lindner wohnt Am Sonnenhang 12, 53179 Bonn, und kennt alle Techniker. #WeWontStop", "error"),
        ("Am Sonnenhang 12, 53179 Bonn steht ein neuer Verteiler. #WeWontStop", "info"),  # no one's home said
        ("Am Freitag 3 in Köln: Frau Meier erklärt Glasfaser. #WeWontStop", None),
        ("Im Jahr 2026 in Bayern: Frau Meier hat Glasfaser. #WeWontStop", None),
        ("Teamabend im Gasthaus Am Markt 4 in Weilheim, danke Familie Huber! #Werkstolz", None),
        ("Meine Tante wohnt am Chiemsee, Kiosk Seeufer 12 in Prien hat die besten Semmeln. #Werkstolz", "info"),
    ],
)
def test_a_street_with_its_preposition_is_an_address(checker: Checker, text: str, level: str | None) -> None:
    result = checker.check(text, "linkedin", date=dt.date(2026, 12, 2))
    levels = {f.severity.value for f in result.findings if f.rule == "confidentiality.address"}
    assert levels == ({level} if level else set())


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Gäste-WLAN: Netz „Lounge“, passwort Kaffee4Alle 😂 #Werkstolz", "passwort Kaffee4Alle"),
        ('guest wifi is "TK-Event", password Magenta4ever. #Werkstolz', "password Magenta4ever"),
        ("Die Tür zum Lager geht mit 2580 auf. #Werkstolz", "geht mit 2580 auf"),
        ("The wifi password is on the flipchart again. Bonn_Gast2026, sigh. #Werkstolz", None),
    ],
)
def test_keys_without_a_colon_are_confidential(checker: Checker, text: str, kind: str | None) -> None:
    found = _found(checker, text, "threads").get("confidentiality.data", [])
    assert len(found) == 1
    if kind is not None:
        assert found == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "Passwort 123456 ist immer noch das beliebteste. Nutzt einen Passwort-Manager! #Werkstolz",
        "Unser Gäste-WLAN-Passwort ändern wir jetzt jeden Montag. #Werkstolz",
        "Ab Montag geht unser Shop in Görlitz um 10 Uhr auf. #WeWontStop",
        "Password managers are great, use one. #Werkstolz",
    ],
)
def test_advice_about_keys_is_no_key(checker: Checker, text: str) -> None:
    assert "confidentiality.data" not in _found(checker, text, "threads")


@pytest.mark.parametrize(
    "text",
    [
        "Passwort " * 3000,
        "geht mit 1234 " * 2000,
        "wlan passwort " + "a1" * 10000,
        "Am Hof 1 in " * 2000,
        "If you know what Xyz is " * 1000,
        "läuft bei uns unter " * 1500,
        "staging-" * 3000 + ".example",
    ],
    ids=["passwort", "geht-mit", "wlan-long", "am-hof", "know-what", "laeuft-unter", "staging"],
)
def test_the_new_cues_finish_on_hostile_runs(checker: Checker, text: str) -> None:
    assert checker.check(text, "linkedin").skipped == []


@pytest.mark.parametrize(
    ("name", "size", "extra"), [("tuning27", 47, {"t27026": ("warning", "disclosure")}), ("tuning28", 34, {})]
)
def test_the_families_of_the_nineteenth_session_are_found_and_their_look_alikes_are_not(
    checker: Checker, name: str, size: int, extra: dict[str, tuple[str, str]]
) -> None:
    """Each post of tuning27, tuning28 and tuning29 gets what its label says at error and warning level (per
    category, the highest level found); the one exception is t27026, whose test system's address holds "tarife"
    (the tariff cue reads it in the link: a warning left, see guidelines/README.md, "Nineteenth session")."""
    assert label_mismatches(checker, EVAL_DIR / f"{name}.yaml", extra) == (size, {})


def test_a_certain_cue_is_an_error_where_the_model_would_veto_a_sure_one(checker: Checker) -> None:
    """disclosure.employment's `certain` cues (a switch made easy) give its sure level without asking the learned
    model: on this short post the model's probability is under `confirm_sure_at`, which made the same cue, as a
    `sure` one, a warning (heldout-blind20's h20010, read in the nineteenth session)."""
    text = (
        "Noch bei nem anderen Anbieter und genervt? Wechsel geht in zehn Minuten, eure Nummer nehmt ihr einfach mit."
        "\n#WeWontStop"
    )
    rule = next(r for r in checker.guidelines.rules if r.id == "disclosure.employment")
    assert rule.scored_by is not None and rule.scored_by.loaded is not None
    assert rule.scored_by.confirm_sure_at is not None
    assert rule.scored_by.loaded.probability(text) < rule.scored_by.confirm_sure_at  # the model would veto
    result = checker.check(text, "threads", date=dt.date(2026, 12, 2))
    (found,) = [f for f in result.findings if f.rule == "disclosure.employment"]
    assert found.severity is Severity.ERROR and text[found.start : found.end] == "Nummer nehmt ihr einfach mit"
    disclosed = text.replace("#WeWontStop", "Ich arbeite bei der Telekom. #WeWontStop")
    assert not [f for f in checker.check(disclosed, "threads").findings if f.category == "disclosure"]


def test_certain_cues_are_listed_with_the_rule_patterns(checker: Checker) -> None:
    rule = next(r for r in checker.guidelines.rules if r.id == "disclosure.employment")
    fields = {source[0][0] for source in rule.pattern_sources()}
    assert {"certain", "sure", "when", "require"} <= fields


def test_the_twenty_third_blind_set_read_in_the_nineteenth_session_blocks_no_honest_post_but_one(
    checker: Checker,
) -> None:
    """tuning29-blind23 (heldout-blind23 until it was read; not trained on): its one false error left is h23109,
    "MagentaMobil Prepaid für meine Tochter geholt, endlich keine Angst mehr vor Kostenfallen", which the promotion
    model puts at 0.957, just over its error_at 0.95 (a product named and praised: a warning by the labelling guide).
    Moving the model's threshold needs a new threshold study (guidelines/README.md, "Nineteenth session"); no other
    honest post may be blocked."""
    from drafter.evaluation import evaluate

    result = evaluate(checker, load_corpus([EVAL_DIR / "tuning29-blind23.yaml"], checker.guidelines))
    assert result.posts == 110
    assert {f.post.id for f in result.false_errors} <= {"h23109"}


# --------------------------------------------------------------------------------------------------
# what the two probes of the nineteenth session found
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (
            "Wer ihr noch ne Karte schicken will: sie wohnt Am Lindenhof 7 in 53113 Bonn 😄\n#Werkstolz",
            "confidentiality.address",
        ),
        ("Sabine wohnt Am Lindenhof 7. Klingelt mal! #Werkstolz", "confidentiality.address"),
        ("Schickt Karten an Sabine, Hauptstraße 12, 53113 Bonn #Werkstolz", "confidentiality.address"),
        ("Wechsel dauert 10 min, ihr behaltet eure Nummer #WeWontStop", "disclosure.employment"),
        ("Switching to us takes 10 mins and you keep your number. Ping me! #WeWontStop", "disclosure.employment"),
        ("Gäste-WLAN: DT-Guest / PW: magenta2026 #Werkstolz", "confidentiality.data"),
        ("wifi for the offsite: pw is magenta2026 #Werkstolz", "confidentiality.data"),
        (
            "Psst... im März kommt der neue Router raus. Mehr darf ich noch nich sagen #LoveMagenta",
            "confidentiality.leak",
        ),
    ],
)
def test_what_the_new_user_probe_missed_is_an_error(checker: Checker, text: str, rule: str) -> None:
    assert rule in error_rules(checker, text)


@pytest.mark.parametrize(
    "text",
    [
        "In Rails: config/environments/staging.rb nicht vergessen! #Werkstolz",
        "Our CI deploys every merge to staging.gitlab-ci first. #Werkstolz",
        "Das WLAN ist per Passwort WPA2-geschützt #Werkstolz",
        "Passwort SHA256-gehasht speichern! #Werkstolz",
        "Das Passwort Sommer2024 ist leider immer noch in den Top 10 #Werkstolz",
        "WLAN-Passwort per QR-Code teilen: geht ab Android10 #Werkstolz",
        "Fehler? Läuft bei uns unter „Lernkurve“ 😄 #Werkstolz",
        "Unser Podcast läuft bei uns unter dem Namen „Netzgeflüster“ – hört rein! #Werkstolz",
        "If you know what Kubernetes is, you'll find this talk useful. Everyone else: come anyway! #Werkstolz",
        "Fitnessstudio ohne Einrichtungsgebühr, endlich #Werkstolz",
        "Mein Yogastudio: Der erste Monat geht aufs Haus! #Werkstolz",
        "Ohne Bereitstellungspreis? Das gibt es beim Strom leider nicht. #Werkstolz",
        "Sommerfest Am Rheinufer 5 in Bonn – live am Samstag 2 Bands #Werkstolz",
        "Der Trainer hat das Ziel für Dezember genannt: 10 % weniger Zucker #Werkstolz",
        "Rufnummernmitnahme is free by law in the EU – good to know. #WeWontStop",
        "Die Rufnummer nehmt ihr mit aufs Formular, dann klappt die Anmeldung zum Firmenlauf. #Werkstolz",
        "Der Laden geht mit 2024 auf neue Öffnungszeiten. #Werkstolz",
        "Im Team hat er intern einen Spitznamen, der heißt „Der Professor“ #Werkstolz",
        "Fragen? security@telekom.de oder recruiting@telekom.de #Werkstolz",
        "O2-Messung im Serverraum ergab alles im grünen Bereich #Werkstolz",
        "Ab km 8 hat mir echt der O2 gefehlt 😮‍💨 #Werkstolz",
        "Großer Tag für das ganze Team #Werkstolz #TSYSTEMS",
    ],
)
def test_what_the_hostile_probe_found_blocked_or_warned_is_clean(checker: Checker, text: str) -> None:
    result = checker.check(text, "x", date=dt.date(2026, 12, 2))
    shown = [
        (f.rule, text[f.start : f.end]) for f in result.findings if f.severity in (Severity.ERROR, Severity.WARNING)
    ]
    assert shown == []


@pytest.mark.parametrize("pattern", ["", "^", "(?=x)", "a?", "(?:\\p{L})*"])
def test_a_cue_that_matches_empty_text_is_refused(tmp_path: Path, pattern: str) -> None:
    """A hostile probe's ``certain: {patterns: ['']}`` passed the check and made every post an error."""
    from drafter.guidelines import GuidelineError

    folder = tmp_path / "g"
    (folder / "rules").mkdir(parents=True)
    head = 'name: t\nversion: "1"\nlanguage: en\ndefault_channel: x\n'
    (folder / "guidelines.yaml").write_text(head + "channels:\n  x: {label: X, counter: twitter, limit: 280}\n")
    rule = {
        "rules": [
            {
                "id": "t.switch",
                "type": "conditional",
                "level": "error",
                "category": "disclosure",
                "certain": {"patterns": [pattern]},
                "require": {"tokens": ["Werbung"]},
                "message": "Say so.",
            }
        ]
    }
    import yaml

    (folder / "rules" / "r.yaml").write_text(yaml.safe_dump(rule), encoding="utf-8")
    with pytest.raises(GuidelineError) as caught:
        load_guidelines(folder)
    assert "empty text" in str(caught.value) and "certain" in str(caught.value)


def test_a_lone_surrogate_from_the_api_is_checked_not_a_crash(checker: Checker) -> None:
    result = checker.check("Passwort: Abc\udc00123456 #Werkstolz", "linkedin")
    assert result.text == "Passwort: Abc\ufffd123456 #Werkstolz"  # one for one: the positions stay
    assert any(f.rule == "confidentiality.data" for f in result.findings)


async def _settle(pilot: Any) -> None:
    for _ in range(5):
        await pilot.pause()


async def test_the_export_dialog_keeps_its_buttons_in_view_at_80x24() -> None:
    from tui_helpers import make_app

    from drafter.tui.screens.compose import ComposeScreen
    from drafter.tui.screens.dialogs import ExportScreen

    app = make_app(language="de")
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("ctrl+n")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        screen.editor.insert(
            "Happy Birthday liebe Sabine!!! 🎂🎉\nHeute wird unsere Teamleiterin 40!!\n"
            "Danke für alles!! Das Team ist stolz auf dich.\nUND DAS MEINEN WIR SO!\n#Werkstolz #Teamgeist"
        )
        await _settle(pilot)
        await pilot.press("f8")
        await _settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportScreen) and len(dialog.check.warnings) >= 3
        box = dialog.query_one("#export-dialog").region
        for button in ("#do-export", "#cancel-export"):
            region = dialog.query_one(button).region
            assert box.y < region.y and region.bottom <= box.bottom - 1, (button, region, box)


async def test_down_from_the_filter_goes_to_the_drafts_when_no_brief_matches() -> None:
    from textual.widgets import Input, OptionList
    from tui_helpers import make_app

    from drafter.drafts import DraftStore
    from drafter.store import Store
    from drafter.tui.screens.inbox import InboxScreen

    with Store() as store:
        DraftStore(store).create(text="Hackathon in Bonn: 24 Stunden, 9 Teams. #Werkstolz")
    app = make_app(language="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        inbox.query_one("#filter", Input).focus()
        await pilot.press(*"Hackathon")
        await _settle(pilot)
        await pilot.press("down")
        await _settle(pilot)
        drafts = inbox.query_one("#drafts", OptionList)
        assert drafts.has_focus and drafts.highlighted is not None
        option = drafts.get_option_at_index(drafts.highlighted)
        assert option.id is not None and option.id.startswith("draft:")
