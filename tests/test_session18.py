"""The eighteenth session's rule and redaction changes, checked where the eval corpus does not reach: North
American phone numbers (in the rule and in what AI redaction sends), hashtags run together (the fix offered,
the goal counted as present), and the disclosure forms with the verb last."""

from __future__ import annotations

import datetime as dt

import pytest
from rule_helpers import findings_by_rule

from drafter.checker import Checker
from drafter.findings import Severity
from drafter.guidelines import load_guidelines


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(load_guidelines(), lang="en")


def _found(checker: Checker, text: str, channel: str = "x") -> dict[str, list[str]]:
    return findings_by_rule(checker, text, channel)


@pytest.mark.parametrize(
    "text",
    ["Call 555-123-4567 today", "Text Dave at (509) 555-0143", "Reach me on +1 509 555 0143", "cell: 425.555.0132"],
)
def test_redaction_takes_out_north_american_numbers(text: str) -> None:
    from drafter.ai.policy import Redactor

    redacted = Redactor(load_guidelines().policies.ai)(text)
    assert "[TELEFON]" in redacted and not any(part in redacted for part in ("4567", "0143", "0132")), redacted


def test_redaction_leaves_iso_dates_and_times() -> None:
    from drafter.ai.policy import Redactor

    text = "Launch on 2026-12-02 at 10:30, ticket VK-2026-117."
    assert Redactor(load_guidelines().policies.ai)(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Text him directly at (509) 555-0143 – he's the best. #WeWontStop", "(509) 555-0143"),
        ("My cell: 425-555-0132 #Werkstolz", "425-555-0132"),
        ("Call +1 509 555 0143 #WeWontStop", "+1 509 555 0143"),
    ],
)
def test_a_private_north_american_number_is_an_error(checker: Checker, text: str, expected: str) -> None:
    assert _found(checker, text).get("confidentiality.data") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Our care line (800) 555-0199 is open 24/7 #WeWontStop",
        "Toll-free: 888-555-0100 #WeWontStop",
        "Order number 509-555-0143 is on its way #WeWontStop",
        "Ticket: 312-455-1234 closed #WeWontStop",
        "Launch on 2026-12-02 #WeWontStop",
    ],
)
def test_company_lines_order_numbers_and_dates_are_no_private_number(checker: Checker, text: str) -> None:
    assert "confidentiality.data" not in _found(checker, text)


def test_hashtags_run_together_get_their_spaces_and_the_goal_counts(checker: Checker) -> None:
    text = "Drei Jahre geschafft #Werkstolz#Azubi"
    result = checker.check(text, "instagram", date=dt.date(2026, 12, 2))
    rules = {f.rule: f for f in result.findings}
    assert "hashtag.goal-missing" not in rules  # written, only without its space
    run = rules["hashtag.run-together"]
    assert run.severity is Severity.WARNING
    assert text[run.start : run.end] == "#Werkstolz#Azubi"
    assert run.replacements == ("#Werkstolz #Azubi",)


def test_a_misspelt_goal_in_a_run_still_misses_the_goal(checker: Checker) -> None:
    rules = {f.rule for f in checker.check("Geschafft #Werkstols#Azubi", "x").findings}
    assert {"hashtag.goal-missing", "hashtag.run-together"} <= rules


@pytest.mark.parametrize(
    ("text", "discloses"),
    [
        ("Hinweis, weil ich im Telekom Shop Bielefeld arbeite: MagentaZuhause für 19,95 € #WeWontStop", True),
        ("Da ich seit 2019 bei der Telekom arbeite: Glasfaser mit 100 € Bonus #WeWontStop", True),
        ("Obwohl ich nicht bei der Telekom arbeite: MagentaZuhause für 19,95 € #WeWontStop", False),
        ("I've worked at Magenta Telekom for six years: the fibre plan is €10 cheaper #WeWontStop", True),
        ("I work in strategy at Magyar Telekom. The new plan costs €20 a month #WeWontStop", True),
        ("My dad worked at Deutsche Telekom. Their fibre plan is €39.95 a month #WeWontStop", False),
    ],
)
def test_disclosure_with_the_verb_last_in_the_past_and_at_subsidiaries(
    checker: Checker, text: str, discloses: bool
) -> None:
    assert ("disclosure.employment" not in _found(checker, text, "linkedin")) is discloses


async def test_typing_with_the_findings_focused_goes_to_the_text(drafter_home) -> None:  # type: ignore[no-untyped-def]
    """A new-user probe pressed Tab (the findings list took the focus) and typed on: every key went nowhere.
    Printable keys now go back to the text, as typed; the list's own keys (arrows, Enter) stay its own."""
    from tui_helpers import make_app, new_free_draft

    from drafter.tui.widgets import FindingsList

    app = make_app(language="de")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        editor = (await new_free_draft(pilot)).editor
        editor.insert("Heute war ein guter Tag")
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.focused, FindingsList)
        await pilot.press("space", "m", "i", "t", "exclamation_mark")
        await pilot.pause()
        assert app.focused is editor
        assert editor.text == "Heute war ein guter Tag mit!"
        record = app.screen.record  # the keys count as typed, as in the text itself
        assert {record.origin_at(i).value for i in range(23, 28)} == {"typed"}
        await pilot.press("tab")
        await pilot.pause()
        await pilot.press("down", "up")  # the list's own keys stay the list's
        await pilot.pause()
        assert isinstance(app.focused, FindingsList) and editor.text == "Heute war ein guter Tag mit!"


@pytest.mark.parametrize(
    "text",
    [
        "Cockpit-Screenshot-" * 10,  # 190 characters hit confidentiality.internal's time limit (a hostile probe)
        "Cockpit-Screenshot-" * 1000,
        "screenshotfromourcockpit" * 800,
        "Nicht weitersagen: intern geplant, Projekt Falke. Magenta TV für 39 €. " + ("kpi " * 5000)[:20000],
    ],
    ids=["cockpit-190", "cockpit-19k", "ourcockpit", "kpi-20k"],
)
def test_the_new_cues_finish_on_hostile_runs(checker: Checker, text: str) -> None:
    assert checker.check(text, "linkedin").skipped == []


@pytest.mark.parametrize(
    ("text", "run", "fix"),
    [
        ("Toll #Werkstolz#", "#Werkstolz#", "#Werkstolz"),
        ("Toll #Werkstolz##LoveMagenta", "#Werkstolz##LoveMagenta", "#Werkstolz #LoveMagenta"),
        ("#Werkstolz#LoveMagenta#", "#Werkstolz#LoveMagenta#", "#Werkstolz #LoveMagenta"),
        ("Toll ＃Werkstolz＃Azubi", "＃Werkstolz＃Azubi", "＃Werkstolz ＃Azubi"),
    ],
)
def test_a_trailing_or_doubled_hash_sign_is_a_run_too(checker: Checker, text: str, run: str, fix: str) -> None:
    (found,) = [f for f in checker.check(text, "x").findings if f.rule == "hashtag.run-together"]
    assert text[found.start : found.end] == run and found.replacements == (fix,)


def test_no_run_in_a_link_or_of_numbers_and_the_goal_in_a_link_is_no_goal(checker: Checker) -> None:
    rules = {
        f.rule for f in checker.check("Schaut mal: https://www.telekom.com/karriere?x=#Werkstolz#jobs", "x").findings
    }
    assert "hashtag.run-together" not in rules and "hashtag.goal-missing" in rules
    assert "hashtag.run-together" not in {f.rule for f in checker.check("Issue #12#13 ist zu #Werkstolz", "x").findings}


@pytest.mark.parametrize(
    "number",
    ["1-212-555-0199", "1 212 555 0199", "212 555 0199", "(212) 5550199", "212–555–0199", "212-555-0199x12"],
)
def test_more_north_american_forms_are_found_and_redacted(checker: Checker, number: str) -> None:
    from drafter.ai.policy import Redactor

    assert _found(checker, f"Call me at {number} #WeWontStop").get("confidentiality.data") == [number]
    assert Redactor(load_guidelines().policies.ai)(f"Call me at {number}") == "Call me at [TELEFON]"


@pytest.mark.parametrize(
    "text",
    [
        "Vertragsnummer 212-555-0199",
        "Meine Auftragsnummer lautet 212-555-0199",
        "Version 212.555.0199",
        "Case +1 212 555 0199",
        "Call +1 800 555 0199",
    ],
)
def test_labelled_numbers_and_toll_free_lines_are_no_private_number(checker: Checker, text: str) -> None:
    assert "confidentiality.data" not in _found(checker, f"{text} #WeWontStop")


def test_redaction_leaves_ranges_and_counts() -> None:
    from drafter.ai.policy import Redactor

    text = "Zwischen 100-200 3000 Besucher, Kapazität 150-250 2026 geplant."
    assert Redactor(load_guidelines().policies.ai)(text) == text
