"""The twenty-second session's rule changes, checked where the eval corpus does not reach: the families of tuning32
post by post, the two blind sets read this session (tuning32-blind28 and tuning32-blind29), look-alikes and their
twins, and the new cues on hostile runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rule_helpers import error_rules, findings_by_rule, label_mismatches, levels_of

from drafter.checker import Checker
from drafter.evaluation import evaluate, load_corpus
from drafter.guidelines import load_guidelines

EVAL_DIR = Path(__file__).resolve().parent.parent / "guidelines" / "eval"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(load_guidelines(), lang="en")


def test_the_families_of_the_twenty_second_session_are_found_and_their_look_alikes_are_not(checker: Checker) -> None:
    """Each post of tuning32 (30, by the lead: the families blind28 and blind29 showed, in phrasings of their own, with
    honest look-alikes) gets what its label says at error and warning level."""
    assert label_mismatches(checker, EVAL_DIR / "tuning32.yaml") == (30, {})


@pytest.mark.parametrize(
    ("name", "left"),
    [
        ("tuning32-blind28.yaml", set()),
        # h29005: "Montagmorgen, und Falkenhorst hat die zweite Abnahme bestanden" — a code name dropped as if everyone
        # knew
        # it, with no word around it that says so: nothing in the text tells it from a place or a colleague's name
        ("tuning32-blind29.yaml", {"h29005"}),
    ],
)
def test_the_blind_sets_read_this_session_have_no_false_finding_and_one_miss_left(
    checker: Checker, name: str, left: set[str]
) -> None:
    """blind28 and blind29 (figures of record of the twenty-first session, read in the twenty-second; not trained on)
    had 1 / 1 / 9 and 1 / 3 / 9 (false errors / false warnings / misses), three of blind29's false warnings a label the
    writer could not know ("Magenta Business" is MagentaBusiness; corrected in the file)."""
    result = evaluate(checker, load_corpus([EVAL_DIR / name], checker.guidelines))
    assert result.posts == 110
    assert result.false_errors == []
    assert result.false_warnings == []
    assert {m.post.id for m in result.misses} == left


@pytest.mark.parametrize(
    ("text", "rule", "level"),
    [
        # a key safe's code with words between; not a year, a price or a game
        ("Die Schlüsselbox am Container hat übrigens 4-4-7-1 😉 #Werkstolz", "confidentiality.data", "error"),
        ("Der Schlüsselkasten am Technikgebäude hat immer no 1-9-7-3 😅 #Werkstolz", "confidentiality.data", "error"),
        ("the lockbox at the site gate is still 4471 #Werkstolz", "confidentiality.data", "error"),
        ("Der Schlüsselkasten hängt seit 2019 neben dem Eingang. #Werkstolz", "confidentiality.data", None),
        ("Neuer Schlüsselkasten für 2500 Euro bestellt, endlich Ordnung. #Werkstolz", "confidentiality.data", None),
        ("Escape Room: den Schlüsselkasten mit 3-8-1-2 geknackt! #LoveMagenta", "confidentiality.data", None),
        # the English label in capitals; a quoted mail opened by "Intern:"
        ("The deck said CONFIDENTIAL on every page: three hubs by May. #WeWontStop", "confidentiality.data", "error"),
        ("Your contract details are confidential, always. #WeWontStop", "confidentiality.data", None),
        ("„Intern: Region West hat 2.100 Anschlüsse mehr geschafft.“ #Werkstolz", "confidentiality.data", "error"),
        ("„Interne Weiterbildung ist die beste Investition.“ #Werkstolz", "confidentiality.data", None),
        # a meeting's password, not a public webinar's
        (
            "Recording is up: meeting code 552 190 and password Platform#7. #Werkstolz",
            "confidentiality.data",
            "error",
        ),
        (
            "Public webinar, open to all: meeting code 552 190, password Fibre2026. #WeWontStop",
            "confidentiality.data",
            None,
        ),
        # a customer's home without a name; the shop's own address
        (
            "Heute in Waldkirch, Erlenweg 9 ☕ die Kundin hat uns Kaffee hingestellt. #Werkstolz",
            "confidentiality.address",
            "error",
        ),
        (
            "Unser Shop in der Lindenstraße 23 hat länger offen, die Kunden wollten es so. #WeWontStop",
            "confidentiality.address",
            None,
        ),
        ("a retired teacher at 12 Fernhill Road read me his manual 😂 #WeWontStop", "confidentiality.address", "error"),
        # internal sources
        (
            "Internal wiki already says what broke the backbone: a digger. #WeWontStop",
            "confidentiality.internal",
            "error",
        ),
        ("We cleaned up the internal wiki pages today. #Werkstolz", "confidentiality.internal", None),
        ("Checklist: tools.magenta.intranet/oncall/checklist #WeWontStop", "confidentiality.internal", "error"),
        ("Im internen Ranking liegen wir bei 94 % Zufriedenheit. #WeWontStop", "confidentiality.internal", "error"),
        ("Im internen Lernportal habe ich 12 Kurse gemacht. #Werkstolz", "confidentiality.internal", None),
        ("Per the leadership memo, the two call centres merge. #Werkstolz", "confidentiality.internal", "error"),
        (
            "Wir planen über Lotse, das interne Planungstool, alle Einsätze. #WeWontStop",
            "confidentiality.internal",
            "error",
        ),
        ("Wir chatten über Teams, das interne Chat-Tool, den ganzen Tag. #Werkstolz", "confidentiality.internal", None),
        # a quoted project on a box, not out yet
        (
            "Paletten mit „Projekt Seestern“ im Lager, die kommen erst im März raus 👀 #LoveMagenta",
            "confidentiality.secret-name",
            "error",
        ),
        (
            "Unser „Projekt Lesepaten“ läuft seit März an drei Schulen. #LoveMagenta",
            "confidentiality.secret-name",
            None,
        ),
        # not official, with and without a detail; the wink in dialect
        (
            "Offiziell weiß ich nix, aber die Bagger sind ab 12. Mai bestellt 🤫 #WeWontStop",
            "confidentiality.leak",
            "error",
        ),
        (
            "Offiziell weiß ich nix, ich drück uns allen die Daumen 🤞 #WeWontStop",
            "confidentiality.leak",
            "warning",
        ),
        ("Unter uns gsagt: die Brezeln in der Kantine san die besten 🥨 #Werkstolz", "confidentiality.hint", "warning"),
        # disclosure: the label opening a bracket, employment in dialect; a free connection until a date
        (
            "(Werbung, i arbeit im Telekom Shop) Alle Handyhüllen 20 % günstiger! #LoveMagenta",
            "disclosure.employment",
            None,
        ),
        (
            "Alle Handyhüllen 20 % günstiger, kommt vorbei! #LoveMagenta",
            "disclosure.employment",
            "error",
        ),
        (
            "Der Glasfaseranschluss ist nur noch bis 15. März kostenlos. Also schnell beauftragen. #WeWontStop",
            "disclosure.employment",
            "error",
        ),
    ],
)
def test_look_alikes_and_their_twins(checker: Checker, text: str, rule: str, level: str | None) -> None:
    assert levels_of(checker, text, rule) == ({level} if level else set())


@pytest.mark.parametrize(
    "text",
    [
        "Schlüsselkasten " * 180 + "1-2-3-4",
        "Schlüsselbox hat " + "1-" * 1400 + "2",
        # (60 quoted names: the quoted-project cues of earlier sessions reach their time limit at about 100 on this
        # machine,
        # before this session's cue as after it — the check says so and export waits)
        "„Projekt Seestern“ " * 60 + "erst im März raus",
        "meeting password " * 170 + "Abc123",
        "a.b." * 700 + "intern/x",
        "im internen Ranking " * 140 + "94 %",
        "Offiziell weiß ich nix " * 120,
    ],
)
def test_the_new_cues_finish_on_hostile_runs(checker: Checker, text: str) -> None:
    """Each new cue on a post-sized run of its own words completes within the rules' time limits."""
    assert checker.check(text, "linkedin", date=dt.date(2026, 12, 2)).skipped == []


#: honest posts the probes (a hostile tester, a new user in tmux) found flagged as errors by the first version of this
#: session's cues, or by older ones they touched
PROBE_HONEST = [
    "Der Schlüsselkasten am Technikgebäude hat 12 Haken und wurde 2019 montiert. Heute haben wir ihn gegen ein "
    "digitales "
    "Schließsystem getauscht – endlich!",
    "Security-Awareness-Tipp: Mails mit CONFIDENTIAL im Betreff von unbekannten Absendern sind ein klassischer "
    "Phishing-Trick. Nicht öffnen, melden!",
    "Phishing test of the week: a fake invoice marked CONFIDENTIAL. 9 out of 10 colleagues reported it – proud "
    "of my team.",
    'Gestern im Kino: "L.A. CONFIDENTIAL" auf großer Leinwand. Was für ein Klassiker!',
    "Intern: Lisa, week three at Deutsche Telekom – and she already fixed our flaky CI pipeline. Proud mentor moment!",
    "\"Intern: day one\" – that's what Jonas titled his first blog post here. Three months later he's "
    "presenting at our "
    "tech meetup.",
    "„Intern: ja oder nein?“ – diese Frage stelle ich mir vor jedem Post. Unsere Social-Media-Guidelines helfen dabei.",
    "Unser öffentlicher Infoabend zum Glasfaserausbau: Einwahl über Teams, Meeting-ID 884 213, Kennwort "
    "Glas26. Jeder kann "
    "teilnehmen.",
    "Heute gelernt: .internal ist jetzt offiziell für private Netze reserviert (ICANN). Also nie wieder Ärger "
    "mit Hostnamen "
    "wie printer.home.internal.",
    "Homelab-Sonntag: Mein NAS heißt jetzt nas.home.intranet und der Pi-hole läuft. Wer hat Tipps für die Fritzbox?",
    "Im internen Lauftreff sind wir inzwischen 25 Leute – und haben beim Stadtlauf 1.200 € für die Tafel gesammelt!",
    "Im internen Hackathon hat mein Team gewonnen – 100 % Teamarbeit, 0 % Schlaf.",
    "In my own internal review of the year, 87% of my meetings could have been an email. Resolution for 2027: "
    "fewer calls, "
    "more walks.",
    "Früher habe ich Vorstandsvorlagen geschrieben, heute stehe ich im Telekom Shop. Bester Wechsel meines Lebens.",
    "Leadership memo? No – today's best read was a handwritten thank-you note from a customer in Kassel.",
    "Meine Tochter fragte, was eine Vorstandsvorlage ist. Ich: PowerPoint im Anzug. 😄",
    "Internal wiki already says it: document your decisions. Best habit I ever learned as an engineer.",
    "Unser 'Projekt Regenbogen' mit der Kita nebenan: Die Bilder der Kinder kommen erst nächste Woche raus aus dem "
    "Trockenraum – dann hängen sie im Foyer.",
    "Happy to share the Board memo our CEO published on telekom.com today: AI principles for everyone.",
    "Heute Datenschutz-Schulung gemacht: Alles, was als VERTRAULICH markiert ist, bleibt im Haus. Gut so! #Werkstolz",
    'Öffentliches Webinar "Sicher im Netz" am Donnerstag, 18 Uhr. Einwahl: telekom.de/sicher, Passwort: sicher2026 – '
    "jede*r ist eingeladen! #LoveMagenta",
    "Fragen zum Umzug? Ruft bei uns im Shop an: 0711 123456 (Mo–Sa 10–19 Uhr). Ich arbeite dort und helfe "
    "gern. #WeWontStop",
]


#: violations the probes found missed by the first version of this session's cues (each an error now)
PROBE_MISSES = [
    "Schlüsselbox an der Baustelle: Code 2 5 8 0, falls jemand früher da ist.",
    "Der Schlüsselkasten am Technikgebäude hat seit 2019 den gleichen Code: 1973. Zeit zum Ändern!",
    "Schlüsselkasten Technikgebäude – der Code ist seit Jahren 1 9 7 3.",
    "Kein Escape Room, echt jetzt: Der Schlüsselkasten am Technikgebäude hat immer noch 1-9-7-3.",
    "Der Schlüsselkasten am Technikgebäude (49 € im Baumarkt) hat immer noch 1973.",
    "Lockbox code for the cabinet was 1234 #Werkstolz",
    "Join the guild call: meeting ID 884 213, passcode Guild#26.",
    "Einwahl für den Gildencall: Meeting-ID 884 213, Kennwort Guild#26.",
    "Die Aufzeichnung ist nicht öffentlich, aber ihr kommt rein mit dem Passwort Guild#26.",
    "Our public beta launched today 🎉 Internal guild call tonight – dial in with meeting code 884 213 and password "
    "Guild#26.",
    "Aufzeichnung vom Teamtreffen: Passwort: 8x!Tq2 – für alle. #Werkstolz",
    "Heute in 79183 Waldkirch, Erlenweg 9: Die Kundin hat uns Kaffee hingestellt.",
    "Internes Ranking: Region West bei 94 %.",
    "Mit unserem internen Planungstool Lotse haben wir 30 % Fahrzeit gespart.",
    'Ohne unser Auftragstool "Kolibri" wäre mein Tag als Techniker nur halb so effizient. #Werkstolz',
    "Laut Vorstandspapier kommt die Reorganisation im Mai.",
    "Laut Aufsichtsratsvorlage kommt die Reorganisation im Mai.",
    "The CEO memo says the reorg lands in May.",
    "Playbook liegt unter wiki.telekom.corp/ops/playbook, schaut mal rein.",
    "Playbook liegt unter ops.intra.telekom.de/playbook – schaut mal rein.",
    "Alles, was ihr über unseren Router-Reset wissen müsst, steht in unserem Wiki: "
    "https://wiki.telekom.de/display/TSHOP/Router-Reset – super hilfreich! #WeWontStop",
    "Die Anleitung liegt im Intranet: https://intranet.telekom.de/shop/anleitungen – schaut mal rein, Kolleg:innen! "
    "#Werkstolz",
    'Ha, got this forwarded today: "Internal: please do not share the new price list before Monday." Exciting week '
    "ahead! #LoveMagenta",
    "Officially I don't know anything, but 12 March will be big.",
    "Der Glasfaser-Hausanschluss ist bis 31. Januar noch kostenlos – sichert ihn euch!",
    "Hausanschluss noch bis 31.1. kostenfrei! Meldet euch bei mir.",
    "Ich arbeite nicht im Telekom Shop, aber der neue MagentaTV-Tarif ist 12 Monate gratis – holt ihn euch!",
]


def test_an_underline_holds_the_whole_trigger_and_no_trailing_punctuation(checker: Checker) -> None:
    """A new user saw „box at the back door (code 2580“ (the key word cut) and a link with its closing bracket."""
    found = findings_by_rule(checker, "The key box at the back door (code 2580) is still the same. #Werkstolz")
    assert found["confidentiality.data"] == ["key box at the back door (code 2580"]
    text = "Doku im Wiki (confluence.telekom.de/x/AbC123), bin stolz. #Werkstolz"
    assert findings_by_rule(checker, text)["confidentiality.internal"] == ["confluence.telekom.de/x/AbC123"]


#: a second hostile probe, on the revised cues: honest posts they flagged as errors (fixed), then violations they missed
PROBE2_HONEST = [
    "The lockbox we bought in March 2022 finally got replaced by digital access. No more lost keys for our field team.",
    "Die Schlüsselbox hängt seit Juni 2021 bei uns und hat uns viele Wege gespart. #Werkstolz",
    "Unser Schlüsselkasten, gekauft im Mai 2019, hält immer noch. #Werkstolz",
    "Lockbox installed in 2021, still working. #Werkstolz",
    "Die neue Schlüsselbox (Modell KS 4410) spart uns jeden Morgen zehn Minuten. #Werkstolz",
    "Public webinar tomorrow, everyone welcome! Zoom link below, passcode: 202406 #LoveMagenta",
    'Never share meeting details like "Passcode: 123456" on social media – that\'s exactly how zoombombing happens.',
    "Urlaubslektüre: KITCHEN CONFIDENTIAL von Anthony Bourdain. Wer hat noch Buchtipps für mich? #LoveMagenta",
    "ACHTUNG: Zurzeit kursieren Mails mit dem Betreff CONFIDENTIAL – Invoice. Bitte nicht öffnen, sondern an den "
    "Abuse-Kontakt weiterleiten! #LoveMagenta",
    "Intern: Lisa. Week three and loving it! #LoveMagenta",
    "Intern: I am Lisa, week three at Telekom! #LoveMagenta",
    "Intern: 3 months at Deutsche Telekom done! #Werkstolz",
    "Mein Homelab-Setup: Jellyfin läuft jetzt unter media.lan.internal/web und Pi-hole unter dns.lab.internal/admin.",
    "Pro tip for any internal code review: 100% of my best feedback came from asking questions. #Werkstolz",
    "Unsere interne Weihnachtsfeier-Umfrage ist da: 80 % wollen wieder Glühwein. #Werkstolz",
    "Internal wiki already says a lot about onboarding, but nothing beats a buddy. #Werkstolz",
    "Officially I know nothing about football, but our team won the company cup 3-1 on 12 March! #Werkstolz",
    "Unser Kunde des Jahres ist die Stadt Musterstadt – die neue Glasfaser am Rathaus, Marktplatz 1, ist seit heute "
    "live! (Werbung, ich arbeite bei der Telekom) #Werkstolz",
    "Saw the man at 10 Downing Street on TV today and thought of our network team. #Werkstolz",
    "Ruft uns im Shop an unter 0711 123456 #LoveMagenta",
    "Call our shop: +49 711 123456 #LoveMagenta",
    "Meldet euch im Shop: 0711 123456 #LoveMagenta",
    'Unser Ehrenamts-"Projekt Lesepaten" war toll, die Fotos kommen erst nächste Woche raus. #LoveMagenta',
]


PROBE2_MISSES = [
    "Der Schlüsseltresor beim Technikraum wurde umgestellt, neuer Code ab heute ist die 7391. #Werkstolz",
    "Schlüssel-Safe im Hof, Zahlenkombi 2580. #Werkstolz",
    "Zoom-Meeting morgen: Kenncode: 445566 #Werkstolz",
    "Aufzeichnung vom Kick-off: Zugangscode 818181 #Werkstolz",
    "Zoom passcode for the townhall recording: tq8#Lp #Werkstolz",
    "Mit Lotse, unserem internen Planungstool, planen wir jetzt 300 Einsätze am Tag. #Werkstolz",
    "According to the board paper, prices go up 5% in autumn. #Werkstolz",
    "In the CEO's memo: 2,000 new jobs in Bonn. #Werkstolz",
    "Schaut mal: yam-united.telekom.com/groups/rollout #Werkstolz",
    "Our customer at 7 Church Road had no signal for 3 weeks – fixed it today! #Werkstolz",
    "„Projekt Nordlicht“ – das wird erst 2027 gelauncht. #Werkstolz",
]


def _blocking(checker: Checker, text: str) -> set[str]:
    """The confidentiality and disclosure rules that report an error on ``text`` (LinkedIn, a fixed date)."""
    return {r for r in error_rules(checker, text, "linkedin") if r.startswith(("confidentiality.", "disclosure."))}


@pytest.mark.parametrize("text", PROBE_HONEST + PROBE2_HONEST)
def test_what_the_probes_found_flagged_is_not(checker: Checker, text: str) -> None:
    assert _blocking(checker, text) == set()


@pytest.mark.parametrize("text", PROBE_MISSES + PROBE2_MISSES)
def test_what_the_probes_found_missing_is_found(checker: Checker, text: str) -> None:
    assert _blocking(checker, text)


@pytest.mark.parametrize("fragment", ["intranet-", "intranet.", "wiki.t-systems.", "Cockpit-Screenshot-"])
def test_runs_of_host_fragments_finish(checker: Checker, fragment: str) -> None:
    """A run of "intranet-" stopped the internal rule at its time limit (the screenshot cue tried its look-behind at
    every word first; before this session too), and a run of "intranet." tried a host's look-behind at every dot."""
    text = (fragment * (3000 // len(fragment) + 1))[:2990]
    assert checker.check(text, "linkedin", date=dt.date(2026, 12, 2)).skipped == []
