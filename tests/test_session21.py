"""The twenty-first session's rule changes, checked where the eval corpus does not reach: the families of tuning31
post by post, the two blind sets read this session (tuning31-blind26 and tuning31-blind27), look-alikes and their
twins, and the new cues on hostile runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rule_helpers import label_mismatches, levels_of

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
    assert levels_of(checker, text, rule) == ({level} if level else set())


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


#: honest posts the two probes (hostile, new user) found flagged by the first version of this session's cues (or by
#: the promotion model once a cue no longer made them sure): none may be an error, and none gets a warning of a new cue
PROBE_HONEST = [
    (
        "Teamevent im Escape Room in Köln 🔐 Wir hatten noch 4 Minuten auf der Uhr. Am Ende war der "
        "Zahlencode am Tresor 3-1-4-1 – Pi natürlich, wer sonst 😂 #Teamspirit"
    ),
    (
        "Im Gym heute vergessen, welchen Code ich für den Spind genommen hatte. Der Trainer nur so: "
        '"Standard ist 0000, dann Enter" – und zack, offen 🤦\u200d♂️ Gut, dass da nur meine Socken drin '
        "waren."
    ),
    (
        'Unser öffentliches Webinar "KI im Kundenservice" startet am Donnerstag um 17 Uhr! Zugangscode '
        "482915 (pssst: die ersten 50 bekommen ein E-Book geschenkt 📘) – gerne teilen, alle sind "
        "willkommen."
    ),
    (
        "Tipp für alle, die ihre Mailbox nie abhören 📞 Kurzwahl 3311, dann grüne Taste – und schon hört "
        "ihr, wer euch seit März erreichen wollte 😄"
    ),
    (
        "Kleiner Excel-Trick für Freitag: tippt =HEUTE()+1000 und dann Enter – und ihr wisst, an welchem "
        "Tag ihr 1.000 Tage im Team seid 🎉"
    ),
    "Schrittzähler sagt heute 10432, dann #Feierabend 🚶\u200d♀️ Wer macht mit bei der Schritte-Challenge im Januar?",
    (
        "Security-Reminder zum Wochenstart 🔐 Wählt als Zahlencode fürs Handy bitte nie 1-2-3-4 oder euer "
        "Geburtsjahr. Das probiert jeder Dieb als Erstes."
    ),
    "Quick security tip: if your phone still has the factory passcode 1234, change it today. It takes 30 seconds. 🔒",
    (
        "Fun fact from our security awareness week: passcode 123456 is still the most common one "
        "worldwide. Please don't be that person 😬"
    ),
    (
        "Kindergeburtstag mit Detektiv-Party 🕵️ Die Kids mussten den Code für das Schloss der Truhe "
        "knacken: 7-3-9-1. Danach gab's Pizza."
    ),
    "Den QR-Code für den Eingang zum Sommerfest 2026 bekommt ihr per Mail 🎉 Bitte ausdrucken oder aufs Handy laden.",
    'Den QR-Code zum Raumplan 2027 findet ihr ab Montag im Foyer. Endlich findet jeder den Besprechungsraum "Rhein" 😅',
    (
        "Mein Sohn (7) hat mir heute erklärt, wie sein Tagebuch-Zahlencode funktioniert: 1-2-3-4 🙈 Die "
        "Security-Awareness-Schulung beginnt früh bei uns."
    ),
    (
        "Google Maps kept sending us to the wrong place – the ZIP code for the Gatehouse Hotel is 98104, "
        "not 98101 🙄 Made it to the offsite anyway!"
    ),
    "Ich unterschreibe: Kein Code für die Hintertür in der Chatkontrolle 2026! Verschlüsselung schützt uns alle 🔐",
    (
        "Wer sein Passwort immer noch auf Sommer2026 gesetzt hat: heute ändern, bitte! 🙏 Unsere "
        "IT-Sicherheitskollegen sagen das nicht zum Spaß. #Cybersecurity"
    ),
    "If your password is still Summer2026, this is your sign to change it today. Security awareness month, people! 🔐",
    (
        "Lösung des Kreuzworträtsels aus dem Gästemagazin vom Hotel eingeschickt – Kennwort "
        "Winterzauber24, Daumen drücken für die Reise 🤞"
    ),
    (
        "Retro nach dem Sprint 🟨🟩 87 Post-its an der Wand, Top-Thema: Release3 stabilisieren. Danke Team, "
        "das war ehrlich und konstruktiv!"
    ),
    (
        "Beim Netzwerktreffen der Frauen in Tech gab es eine Verlosung, Kennwort Magenta2026 auf die Karte "
        "schreiben und abgeben 🎁 Ich hab ein Buch gewonnen!"
    ),
    (
        "Im internen Mitarbeiter-Newsletter stand diese Woche ein Interview mit mir – 3 Fragen zu meinem "
        "Ehrenamt bei der Tafel 😊 Ein bisschen aufgeregt war ich schon!"
    ),
    (
        "Im internen Newsletter stand heute, dass unser Azubi-Team den Sozialpreis der Stadt Bonn gewonnen "
        "hat 🏆 Ich bin so stolz auf euch!"
    ),
    (
        "Im internen Newsletter hab ich heute gelesen, dass Kollege Tim seit 40 Jahren dabei ist – "
        "Glückwunsch, Tim! 🎉 Du bist eine Legende."
    ),
    (
        "Laut unserer internen Kaffee-Strichliste haben wir im November 412 Tassen getrunken ☕😂 "
        "Rekord! Montag gibt's Tee."
    ),
    (
        "Phishing-Mails werden immer besser 🎣 Gestern kam eine mit Betreff: 'Intern: Gehaltsanpassung "
        "2027' und einem Link. Klickt da NICHT drauf, meldet sie über den Phishing-Button!"
    ),
    (
        "Volunteering day 💙 Shoutout to the family at Tacoma Public Library, 1102 Tacoma Ave S, who ran "
        "the digital literacy corner with us for six hours straight."
    ),
    (
        "Our mayor Mrs. Alvarez opened the new community center at 2218 Birch St in Tacoma today 🎉 Free "
        "coding classes for kids every Tuesday."
    ),
    "Found a vintage denim jacket for $25 at a thrift store in Portland 🧥 Best souvenir of the whole trip!",
    "Got my son's first bike for just $40 at a yard sale this morning 🚲 He hasn't stopped riding since.",
    'My daughter sold lemonade for $1 a cup today and made $18. Already planning her "business expansion" 🍋😂',
    "We got concert tickets for $89 each 🎸 First show with my daughter, I'm more excited than she is.",
    (
        "The hotel gave me $30 off because the AC was broken. Honestly, the best customer recovery I've "
        "seen this year – lots to learn from that."
    ),
    "Our Netflix just went up to $22.99/month. Time for a family meeting 😅",
    "My gym membership is $10/month and I still find excuses. New year, new me? 🏋️",
    (
        "Join our retail team in Tacoma! Apprentices start with $1800 per month in year one, plus training "
        "and a great crew. Link in the comments 👇"
    ),
    (
        "Our team in Bellevue is growing – store associates from $28 an hour and full benefits. DM me if "
        "you want to hear how it really is here."
    ),
    (
        "Mein Kollege aus Syrien hat in 14 Monaten von A1 auf B2 Deutsch gelernt 💪 Neben Vollzeitjob und "
        "zwei Kindern. Respekt, Karim!"
    ),
    "Started Spanish classes this autumn. Moving from A1 to A2 feels like climbing a mountain 🏔️ ¡Vamos!",
    (
        "Mit 16 den Motorradführerschein gemacht, mit 18 dann von A1 auf A2 umgestiegen 🏍️ Heute fahr ich "
        "nur noch mit dem Jobrad."
    ),
    "Unser Messeposter wurde in A0 statt A1 gedruckt. Es passt jetzt nur noch quer in den Transporter 😂 #Messeleben",
    "Printed the team photo on A3 instead of A1 by mistake. Now it fits on my desk, so… win? 😄",
    "Anfahrt zum Sommerfest: von A1 Abfahrt Hürth dann einfach den Schildern folgen 🎉 Parkplätze gibt's genug.",
    "Burgers with A1 sauce at my brother's BBQ 🍔 Some traditions you don't question.",
    (
        "In der ABC-Analyse im Vertriebstraining haben wir gelernt: A1-Kunden sind die, bei denen man "
        "zuerst anruft. Spannendes Seminar an der IHK 📈"
    ),
    (
        "Während die Konkurrenz im Halbfinale schon schwächelte, lief unser Betriebssport-Team erst warm ⚽ "
        "Pokal kommt nach Bonn!"
    ),
    "Isch no net offiziell, aber mir händ en Hund 🐶 Er heißt Bruno und hat schon meine Hausschuhe gefressen.",
    "Dr Frühling isch no ned offiziell da, aber d'Bienen sin scho unterwegs 🐝 Schöne Mittagspause im Park.",
    "No ned offiziell, aber mir ziang im Frühjahr aufs Land 🏡 Mit Garten, Hühnern und hoffentlich Glasfaser 😉",
    (
        "Hab meiner Oma zu Weihnachten ein neues Handy geschenkt 🎁 jetzt schickt sie mir jeden Morgen "
        "Sprachnachrichten 😂"
    ),
    "Hab meinem Papa zum 70. ein Smartphone geschenkt und ihm WhatsApp erklärt 👴📱",
    "My nephew got his first smartphone for his birthday and I set it all up for him 📱",
    (
        "Wir suchen dich! Glasfasermonteur (m/w/d) in Köln, 3.200 bis 3.800 Euro im Monat, 30 Tage Urlaub. "
        "Ich arbeite selbst im Team und kann es nur empfehlen"
    ),
    "Escape-Room-Abend mit meinem Team: der letzte Zahlencode war 4711, danach Raute – geschafft in 58 Minuten 🎉",
    "Escape room night with my team 🔐 the final code was 2580 then hash, and we made it with 3 minutes left!",
]


#: the older rules' and the learned model's warnings some of them keep (left alone: see guidelines/README.md)
_OLDER_WARNINGS = {"confidentiality.hint", "tone.shouting", "disclosure.employment"}


@pytest.mark.parametrize("text", PROBE_HONEST)
def test_what_the_probes_found_flagged_is_not(checker: Checker, text: str) -> None:
    result = checker.check(text + " #Werkstolz", "linkedin", date=dt.date(2026, 12, 2))
    assert [f.rule for f in result.findings if f.severity is Severity.ERROR] == []
    warned = {f.rule for f in result.findings if f.severity is Severity.WARNING}
    assert warned <= _OLDER_WARNINGS


#: violations the two probes found missing, each told in a way of its own
PROBE_MISSES = [
    (
        "Kleiner Hack für die Spätschicht: Am Hintereingang vom Shop einfach 4-8-1-5 tippen und grün "
        "drücken, dann müsst ihr nicht klingeln 😉"
    ),
    "Der Code am Lagerraum ist übrigens immer noch 2580, falls jemand am Samstag Ware holen muss 📦",
    "Das Zahlenschloss am Serverschrank steht seit der Installation auf 2719 – hat nie jemand geändert 🙈",
    "Keypad at the back door of our Bellevue store: 6142 + the star key. You're welcome, night shift 🌙",
    "The passcode for the demo phones is 0000 – don't tell the customers 😂",
    "Die Tür zum Sozialraum geht mit 2580 und Raute auf ☕",
    "Das Passwort für den Kassenrechner? Steht auf nem Klebezettel unterm Monitor: Kasse2026! 🙈",
    "Sticky note on my colleague's monitor: \"SAP – Winter2026!\" I just can't 😂",
    "Unser Admin-Login für das Filial-Tablet ist immer noch admin / Magenta2026 – bitte mal jemand ändern 😅",
    'Gäste-WLAN im Shop heißt "Magenta-Guest", der Schlüssel ist Rheinblick2026 – falls ihr mal vorbeikommt ☕',
    "Our internal newsletter said that 40 stores will close by June.",
    "Nächsten Samstag grillen wir bei mir: Lindenweg 4, 53113 Bonn – bringt eure Partner mit 🔥",
    "Mrs. Alvarez from 2218 Birch Street, Tacoma, called again today – third router this year 😅",
    "Beim Test in Österreich lagen wir knapp hinter A1 – nächstes Jahr holen wir sie!",
    "Perks of being at T-Mobile: I knew about the new 4 lines for $100 deal a week early 😎 Grab it before Friday!",
    "Der Zahlencode am Schloss ist seit Jahren 2-7-1-9, das weiß jeder.",
    "Für alle Neuen im Rechenzentrum: 4-8-1-5, dann grüne Taste. Gern geschehen",
    "Code für die Hintertür ist 2580, danach Raute. Und bitte Kaffee mitbringen.",
    (
        "Reminder for the night crew at the depot: code for the side entrance is 6142, the old one stopped "
        "working on Monday."
    ),
    "Am Monitor klebt ein Post-it: 'Citrix: Rheinblick_77'.",
    "T-Mobile has 4 lines for $100 right now, go go go",
    "Pro-Tipp für die Nachtschicht: Türcode Lager hat sich geändert, jetzt 0815# 😎",
    "Die Tür zum Serverraum geht mit 1234* auf, nur falls jemand wieder draußen steht lol",
    "Hab beim Einrichten vom neuen Tablet einfach PIN 0000 genommen, wird schon passen 🤷\u200d♂️",
    "Mein iPad-Code ist übrigens 123456 😂",
    "Sein Passwort ist immer noch Sommer2026 😂",
    "Timo hat als Passwort immer noch Sommer2026 🙈",
    "Kennwort vom Teamaccount ist seit Jahren Telekom123, das muss man sich mal vorstellen 🙄",
    "Unser WLAN-Passwort im Shop ist übrigens MagentaRocks! falls ihr mal vorbeikommt 😉",
    "Tom's password is still Summer2026 lol",
    "Teamgrillen am Freitag bei mir im Garten, Am Lindenhof 7, Hürth. Bringt Salat mit! 🥗",
    "Kommt vorbei, wir feiern bei Sandra: Kölner Str. 112 in Frechen, ab 18 Uhr",
    "Auf der internen Störungsliste steht Köln-Ost seit Montag ganz oben, wir sind dran!",
    "Wie die interne Statistik zeigt, haben wir diese Woche 40 % mehr Störungen als letztes Jahr",
    "Unser interner Störungsreport sagt, dass Köln-Ost wieder läuft",
    "Laut interner Liste sind wir in Hürth jetzt fertig 🎉",
    "Ich darf jetzt bei 'Bernstein' mitarbeiten, unserem internen Projekt, freu mich riesig!",
    "Heute Kickoff für Projekt Bernstein (intern), geiles Team!!",
    "4 lines, $100 total at T-Mobile, told my whole family",
    "T-Mobile hat in den USA 4 Leitungen für 100 $ – davon können wir nur träumen",
]


@pytest.mark.parametrize("text", PROBE_MISSES)
def test_what_the_probes_found_missing_is_found(checker: Checker, text: str) -> None:
    """An error, or for a competitor (A1) its warning."""
    result = checker.check(text + " #Werkstolz", "linkedin", date=dt.date(2026, 12, 2))
    found = {(f.category, f.severity) for f in result.findings}
    assert any(s is Severity.ERROR for _, s in found) or ("competitor", Severity.WARNING) in found, found
