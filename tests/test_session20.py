"""The twentieth session's rule changes, checked where the eval corpus does not reach: the families of tuning30 post by
post, the two blind sets read this session (tuning30-blind24 and tuning30-blind25), the cues that bypass the learned
model's veto, and the new cues on hostile runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rule_helpers import error_rules, findings_by_rule, label_mismatches, levels_of

from drafter.checker import Checker
from drafter.evaluation import evaluate, load_corpus
from drafter.findings import Severity
from drafter.guidelines import load_guidelines

EVAL_DIR = Path(__file__).resolve().parent.parent / "guidelines" / "eval"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(load_guidelines(), lang="en")


def test_the_families_of_the_twentieth_session_are_found_and_their_look_alikes_are_not(checker: Checker) -> None:
    """Each post of tuning30 (34, by the lead: the families blind24 and blind25 showed, in phrasings of their own,
    with honest look-alikes) gets what its label says at error and warning level."""
    assert label_mismatches(checker, EVAL_DIR / "tuning30.yaml") == (34, {})


@pytest.mark.parametrize(
    ("name", "left"),
    [
        # h24002: a family contract praised, "kommt vorbei und fragt nach Jasmin" (a warning; the model stays under)
        ("tuning30-blind24.yaml", {"h24002"}),
        # h25048: "Project Tidewater 4.2" with six mentions (no cue for a project name alone); h25083: "HÖRT AUF"
        # (one capital word of four letters and one of three: the tone rule asks for two of four or a phrase of three)
        # h25101: "HQ loses 2 floors in May, shhh 🤫" — "shhh" is a wink (a warning), as "psst" is: a hostile
        # probe's honest "Shhh, Mittagsschlaf im Homeoffice" and a surprise party's date made it an error as a leak cue
        ("tuning30-blind25.yaml", {"h25048", "h25083", "h25101"}),
    ],
)
def test_the_blind_sets_read_this_session_have_no_false_finding_and_few_misses_left(
    checker: Checker, name: str, left: set[str]
) -> None:
    """blind24 and blind25 (figures of record of the nineteenth session, read in the twentieth; not trained on) had
    1 / 3 / 14 and 1 / 2 / 10 (false errors / false warnings / misses): none of their false findings is left, and
    only the misses listed (guidelines/README.md, "Twentieth session")."""
    result = evaluate(checker, load_corpus([EVAL_DIR / name], checker.guidelines))
    assert result.posts == 110
    assert result.false_errors == [] and result.false_warnings == []
    assert {m.post.id for m in result.misses} == left


@pytest.mark.parametrize(
    ("text", "channel", "span"),
    [
        ("she switched to us on the spot. switching bonus runs till friday 😌\n#WeWontStop", "x", "switching bonus"),
        (
            "Für alle, die noch auf Kupfer sitzen: bis Ende Januar ist der Umstieg kostenlos, fragt mich einfach.\n"
            "#WeWontStop",
            "mastodon",
            "Umstieg kostenlos",
        ),
        (
            "Kundin heute happy. also wechselt halt einfach, Anschluss ist grad gratis\n#WeWontStop",
            "bluesky",
            "wechselt halt einfach, Anschluss ist grad gratis",
        ),
    ],
)
def test_the_new_certain_cues_are_errors_whatever_the_model_says(
    checker: Checker, text: str, channel: str, span: str
) -> None:
    """These phrases stand in offers only: `certain`, so the learned model's veto (which made them warnings in
    blind24 and blind25 as `sure` cues) does not apply; a disclosure in the text still silences them."""
    result = checker.check(text, channel, date=dt.date(2026, 12, 2))
    found = [f for f in result.findings if f.rule == "disclosure.employment"]
    assert [(f.severity, text[f.start : f.end]) for f in found] == [(Severity.ERROR, span)]
    disclosed = text.replace("#WeWontStop", "Ich arbeite bei der Telekom. #WeWontStop")
    assert not [f for f in checker.check(disclosed, channel).findings if f.category == "disclosure"]


def test_the_model_would_have_vetoed_one_of_them(checker: Checker) -> None:
    """The reason for `certain`: on the switching-bonus post the promotion model stays under `confirm_sure_at`."""
    rule = next(r for r in checker.guidelines.rules if r.id == "disclosure.employment")
    assert rule.scored_by is not None and rule.scored_by.loaded is not None
    assert rule.scored_by.confirm_sure_at is not None
    text = "customer today: fixed, and she switched to us on the spot. switching bonus still runs till friday btw 😌"
    assert rule.scored_by.loaded.probability(text) < rule.scored_by.confirm_sure_at


@pytest.mark.parametrize(
    ("text", "rule", "level"),
    [
        # family news is the author's own: the leak model is not asked
        ("Noch nicht offiziell, aber die Familie weiß es: Ich werde Papa 🥹 #Werkstolz", "confidentiality.leak", None),
        ("Not official yet, but we're expecting a baby in May 🥹 #Werkstolz", "confidentiality.leak", None),
        # …but a "not official" about the company still is one
        (
            "Noch nicht offiziell, aber ab März bekommt unser Shop in Kiel eine Reparaturtheke. #WeWontStop",
            "confidentiality.leak",
            "error",
        ),
        ("Kleiner Spoiler zum Film: Der Hund überlebt. #LoveMagenta", "confidentiality.hint", None),
        ("Kleiner Spoiler: ab März gibt es was Neues bei uns. #LoveMagenta", "confidentiality.hint", "warning"),
        ("Nebel unter uns, Sonne über uns. #Werkstolz", "confidentiality.hint", None),
        ("Neue Sitzordnung 😅 unter uns, die Fensterplätze sind weg. #Werkstolz", "confidentiality.hint", "warning"),
        ("Alles, was ihr mir im Vertrauen erzählt, bleibt vertraulich. #Werkstolz", "confidentiality.leak", None),
        ("Hat mir der Chef im Vertrauen erzählt: 40 neue Stellen in Bonn. #Werkstolz", "confidentiality.leak", "error"),
        ("Geklärt am Verhandlungstisch und nicht per Rundmail. #Werkstolz", "confidentiality.leak", None),
        ("Speed test against the competition: not even close 😎 #WeWontStop", "confidentiality.leak", None),
        ("Wir stellen ein: Einstieg laut Tarif ab 3.100 € brutto. #Werkstolz", "disclosure.employment", None),
        ("Warum heißt Sauerstoff eigentlich O2? Ich bin raus 😂 #Werkstolz", "term.competitor", None),
        ("Wechsel von O2 lohnt sich, fragt mich. #WeWontStop", "term.competitor", "warning"),
        (
            "Bei der Konkurrenz hätte ich drei Wochen auf den Techniker gewartet. #WeWontStop",
            "term.competitor",
            "warning",
        ),
        ("Waffelstand: bei der Konkurrenz hätte ich keine Crêpes gekauft. #Werkstolz", "term.competitor", None),
        ("Bei der Konkurrenz beworben, bei uns gelandet. #Werkstolz", "term.competitor", None),
        ("The old router is free of dust for the first time. #Werkstolz", "disclosure.employment", None),
        ("That vintage jacket was a steal. #LoveMagenta", "disclosure.employment", None),
        ("Bei ihm im Garten wächst alles. Ernte zur Tafel, Bergstr. 3 #LoveMagenta", "confidentiality.address", None),
        ("Party bei ihm im Garten, Birkenweg 12, 31135 Hildesheim. #Werkstolz", "confidentiality.address", "error"),
    ],
)
def test_look_alikes_and_their_twins(checker: Checker, text: str, rule: str, level: str | None) -> None:
    assert levels_of(checker, text, rule) == ({level} if level else set())


@pytest.mark.parametrize(
    "text",
    [
        "shhh " * 4000,
        "internally we've been calling " * 1500,
        "spart ihr " * 4000 + "magenta",
        "unter uns, " * 3000,
        "Intern: „" * 4000,
        "INC-12345 " * 3000 + "noch nicht offiziell",
        "is a steal plan " * 3000,
        "internen Planungstool " * 2000,
        "fallen die Baukosten " * 2000,
    ],
    ids=["shhh", "internally", "spart-ihr", "unter-uns", "intern-quote", "ticket", "steal", "tool", "baukosten"],
)
def test_the_new_cues_finish_on_hostile_runs(checker: Checker, text: str) -> None:
    assert checker.check(text, "linkedin").skipped == []


def test_the_new_internal_cues_find_what_they_name(checker: Checker) -> None:
    found = findings_by_rule(
        checker,
        "Internally we've been calling it Project Seestern. Laut internem Ticket INC-88213 läuft es. #Werkstolz",
        "linkedin",
    )
    # (since the twenty-first session "laut internem …" names an internal source on its own: an error of this rule too)
    assert found.get("confidentiality.internal") == ["Internally we've been calling it", "Laut internem Ticket"]
    assert found.get("confidentiality.leak") == ["Laut internem Ticket"]


@pytest.mark.parametrize(
    "text",
    [
        # the hostile probe's honest posts that the first version of this session's cues blocked
        "Mario Kart night with the kids. The Switch bonus tracks are brutal. #LoveMagenta",
        "Our football club has a switching bonus of its own: the bench buys the drinks. #Werkstolz",
        "That contract extension for Musiala is a steal for Bayern, if you ask me. #LoveMagenta",
        "At Hanoi airport the tourist SIM card is free if you show your boarding pass. #LoveMagenta",
        "Für unsere Kita fallen die Baukosten für den neuen Gartenpavillon weg. #Werkstolz",
        "Die Ampel wechselt einfach nie rechtzeitig, und man steht zehn Minuten umsonst. #Werkstolz",
        "Lohnt sich der Umstieg auf Linux? Kostenlos ist es ja. #Werkstolz",
        "Beim Schienenersatzverkehr ist der Umstieg in den Bus kostenlos. #Werkstolz",
        'Quote of the week from our new intern: "Wait, the internet comes through glass?" #Werkstolz',
        "Internally we've been calling it 'the cake committee'. #Werkstolz",
        "In unserem internen Lerntool LinkedIn Learning habe ich 14 Kurse gemacht. #Werkstolz",
        "Nobody is supposed to know that our trainer cried at the graduation on Friday. #Werkstolz",
        "Screenshot from our team chat after the company run on Saturday, 12 km! #Werkstolz",
        "You're hearing it here first: I'm starting my master's in March! #Werkstolz",
        "Not official yet, but our close-knit apprentice crew just won the hackathon. #Werkstolz",
        "Shhh 🤫 my husband reads LinkedIn too. Surprise party for his 50th on Saturday! #LoveMagenta",
        # the new-user probe's
        "Mit dem Deutschlandticket ist der Umstieg in die S-Bahn kostenlos, super für Pendler. #Werkstolz",
        "Beim Umstieg in Köln ist die Anschluss-S-Bahn kostenlos dabei. #Werkstolz",
        "Our office is finally router free: everything runs over the new mesh Wi-Fi now. #Werkstolz",
        "My switching bonus from my old bank never arrived, classic. #LoveMagenta",
        "Noch nicht offiziell, aber wir heiraten im Mai! #Werkstolz",
        "Not official yet, but we're getting married in May! #Werkstolz",
        "Es ist noch nicht offiziell, aber unsere Tochter kommt im Sommer in die Schule. #Werkstolz",
        "Meine Kollegin hat mir den ersten Strampler in Magenta geschenkt. #Werkstolz",
        "Hab aus dem Teammeeting vor allem eins mitgenommen: mehr Pausen machen. #Werkstolz",
    ],
)
def test_what_the_probes_found_blocked_is_not_blocked(checker: Checker, text: str) -> None:
    result = checker.check(text, "linkedin", date=dt.date(2026, 12, 2))
    assert [f.rule for f in result.findings if f.severity is Severity.ERROR] == []


#: what the new-user probe found missing, as (channel, rule, text)
PROBE_MISSES = [
    (
        "linkedin",
        "disclosure.employment",
        "Wer noch überlegt: Bis Ende Januar ist der Wechsel zu uns kostenlos. #WeWontStop",
    ),
    (
        "linkedin",
        "disclosure.employment",
        "the family plan is such a steal right now, one bill, data for all #WeWontStop",
    ),
    ("linkedin", "disclosure.employment", "Message me, I can get you a really good price on MagentaMobil. #WeWontStop"),
    ("linkedin", "confidentiality.address", "Party bei Klaus im Garten, Birkenweg 12, 31135 Hildesheim. #Werkstolz"),
    ("linkedin", "confidentiality.address", "Party at Klaus's place, 14 Birch Lane, Leeds. #Werkstolz"),
    (
        "linkedin",
        "confidentiality.leak",
        "Im Teammeeting haben wir heute erfahren: im Frühjahr kommt ein neuer Tarif. #Werkstolz",
    ),
]


@pytest.mark.parametrize(("channel", "rule", "text"), PROBE_MISSES)
def test_what_the_new_user_probe_found_missing_is_an_error(
    checker: Checker, channel: str, rule: str, text: str
) -> None:
    assert rule in error_rules(checker, text, channel)


def test_the_explanation_names_no_letter_split_off_by_an_apostrophe(checker: Checker) -> None:
    """A new-user probe saw "(words such as „Internally“, „Project“, „t“)": "can't" is the features "can" and "t", and
    "t" weighs in the leak model. A single letter is not named; the words are still taken from the post."""
    rule = next(r for r in checker.guidelines.rules if r.id == "confidentiality.leak")
    assert rule.scored_by is not None and rule.scored_by.loaded is not None
    model = rule.scored_by.loaded
    text = "Internally we've been calling it Project X and I can't wait for you to see it. Don't tell anyone yet."
    assert model._by_word["t"] > 0  # the letter weighs: the test would fail if it were named
    words = model.explain(text).words
    assert words and "t" not in words and all(w in text for w in words)
