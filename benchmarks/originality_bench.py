"""Originality index benchmark: build time, query latency, recall on near-copies, false positives.

Generates a seeded corpus of social posts in German and English over twenty topics (posts on one topic
share vocabulary, hashtags and stock phrases), plants near-copies of corpus posts (one word changed,
sentences reordered, hashtags swapped, and all three at once) and writes fresh unrelated posts on
the same topics.

    python benchmarks/originality_bench.py              # 100,000 posts, 1,000 copies, 1,000 unrelated
    python benchmarks/originality_bench.py --posts 20000 --stored   # also time the SQLite-backed index

--stored also fills the SQLite store (signatures and band keys at insert) and asks it the same queries.

A planted copy counts as found when its original is among the top 5 results with a similarity of at
least --warning-at; an unrelated post is a false positive when any result reaches --warning-at.
Targets: query under 5 ms, recall >= 0.95, false-positive rate <= 0.01.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drafter.originality import CorpusPost, InMemoryPostIndex, StoredPostIndex


def _split(words: str, sep: str | None = None) -> list[str]:
    return words.split(sep)


CITIES = _split(
    "Bonn Köln Berlin Hamburg München Leipzig Dresden Erfurt Kiel Rostock Münster Darmstadt Mainz Ulm Jena "
    "Potsdam Bremen Hannover Kassel Freiburg Augsburg Würzburg Regensburg Trier Aachen Bochum Essen Dortmund "
    "Nürnberg Stuttgart Karlsruhe Magdeburg Halle Schwerin Lübeck Oldenburg Osnabrück Bielefeld Siegen Fulda"
)
NAMES = _split(
    "Anna Ben Carla David Elif Finn Greta Hakan Ines Jonas Katrin Lukas Mira Noah Olga Paul Quentin Rosa "
    "Sven Tanja Ugur Vera Wim Xenia Yusuf Zoe Lea Tim Nora Max Sara Jan Lina Erik Maja Ole Pia Leon Ida Emil"
)

TOPICS: dict[str, dict[str, list[str]]] = {
    "fiber": {
        "de": [
            "Glasfaser",
            "Glasfaserausbau",
            "Hausanschluss",
            "Gigabit-Anschluss",
            "Tiefbau",
            "Leerrohr",
            "Verteilerkasten",
            "Bandbreite",
            "Baustelle",
            "Netzanschluss",
            "Upload",
            "Ausbaugebiet",
        ],
        "en": [
            "fiber",
            "fiber rollout",
            "home connection",
            "gigabit line",
            "civil works",
            "duct",
            "street cabinet",
            "bandwidth",
            "construction site",
            "network access",
            "upload speed",
            "rollout area",
        ],
        "tags": _split("#Glasfaser #FiberToTheHome #Gigabit #Netzausbau #FTTH #Breitband"),
    },
    "5g": {
        "de": [
            "5G",
            "Funkmast",
            "Mobilfunk",
            "Antenne",
            "Funkloch",
            "Netzabdeckung",
            "Standort",
            "Frequenz",
            "Latenz",
            "Mobilfunknetz",
            "Sendeanlage",
            "Empfang",
        ],
        "en": [
            "5G",
            "cell tower",
            "mobile network",
            "antenna",
            "dead zone",
            "coverage",
            "site",
            "spectrum",
            "latency",
            "radio network",
            "transmitter",
            "reception",
        ],
        "tags": _split("#5G #Mobilfunk #Netz #Konnektivität #Funk #MobileFirst"),
    },
    "apprentices": {
        "de": [
            "Ausbildung",
            "Azubis",
            "duales Studium",
            "Berufsschule",
            "Ausbilderin",
            "Praktikum",
            "Bewerbung",
            "Einstiegsprogramm",
            "Abschlussprüfung",
            "Lernwerkstatt",
            "Nachwuchs",
            "Übernahme",
        ],
        "en": [
            "apprenticeship",
            "trainees",
            "dual study programme",
            "vocational school",
            "trainer",
            "internship",
            "application",
            "entry programme",
            "final exam",
            "learning lab",
            "young talent",
            "job offer",
        ],
        "tags": _split("#Ausbildung #Azubi #Karriere #Nachwuchs #FutureSkills #Berufsstart"),
    },
    "green": {
        "de": [
            "Nachhaltigkeit",
            "Ökostrom",
            "CO2-Bilanz",
            "Klimaziel",
            "Energieeffizienz",
            "Solaranlage",
            "Kreislaufwirtschaft",
            "Verpackung",
            "Rechenzentrum",
            "Emissionen",
            "Klimaschutz",
            "Ressourcen",
        ],
        "en": [
            "sustainability",
            "green power",
            "carbon footprint",
            "climate target",
            "energy efficiency",
            "solar array",
            "circular economy",
            "packaging",
            "data centre",
            "emissions",
            "climate action",
            "resources",
        ],
        "tags": _split("#Nachhaltigkeit #Klimaschutz #GreenTech #NetZero #Umwelt #Sustainability"),
    },
    "smarthome": {
        "de": [
            "Smart Home",
            "Thermostat",
            "Sprachassistent",
            "Heizungssteuerung",
            "Sensor",
            "Rauchmelder",
            "Lichtszene",
            "Router",
            "Türschloss",
            "App",
            "Sicherheitskamera",
            "Steckdose",
        ],
        "en": [
            "smart home",
            "thermostat",
            "voice assistant",
            "heating control",
            "sensor",
            "smoke detector",
            "light scene",
            "router",
            "door lock",
            "app",
            "security camera",
            "smart plug",
        ],
        "tags": _split("#SmartHome #IoT #Zuhause #HomeAutomation #Technik #Alltag"),
    },
    "security": {
        "de": [
            "Cybersicherheit",
            "Phishing",
            "Passwort",
            "Zwei-Faktor-Anmeldung",
            "Angriff",
            "Firewall",
            "Sicherheitslücke",
            "Schulung",
            "Awareness",
            "Verschlüsselung",
            "Backup",
            "Notfallplan",
        ],
        "en": [
            "cyber security",
            "phishing",
            "password",
            "two-factor login",
            "attack",
            "firewall",
            "vulnerability",
            "training",
            "awareness",
            "encryption",
            "backup",
            "incident plan",
        ],
        "tags": _split("#CyberSecurity #Sicherheit #Phishing #ITSecurity #Datenschutz #InfoSec"),
    },
    "service": {
        "de": [
            "Kundenservice",
            "Hotline",
            "Shop",
            "Beratung",
            "Techniker",
            "Termin",
            "Rückmeldung",
            "Kundin",
            "Störung",
            "Lösung",
            "Vertrag",
            "Wartezeit",
        ],
        "en": [
            "customer service",
            "hotline",
            "shop",
            "advice",
            "technician",
            "appointment",
            "feedback",
            "customer",
            "outage",
            "solution",
            "contract",
            "waiting time",
        ],
        "tags": _split("#Kundenservice #Service #Kundennähe #CustomerFirst #Team #Support"),
    },
    "volunteer": {
        "de": [
            "Ehrenamt",
            "Spendenlauf",
            "Tafel",
            "Sportverein",
            "Nachbarschaftshilfe",
            "Patenschaft",
            "Sozialtag",
            "Seniorenheim",
            "Jugendzentrum",
            "Benefizkonzert",
            "Sammelaktion",
            "Lesepatenschaft",
        ],
        "en": [
            "volunteering",
            "charity run",
            "food bank",
            "sports club",
            "neighbourhood help",
            "mentoring",
            "social day",
            "care home",
            "youth centre",
            "benefit concert",
            "collection drive",
            "reading mentorship",
        ],
        "tags": _split("#Ehrenamt #Engagement #SocialDay #Gemeinschaft #Helfen #Volunteering"),
    },
    "diversity": {
        "de": [
            "Vielfalt",
            "Inklusion",
            "Chancengleichheit",
            "Netzwerk",
            "Barrierefreiheit",
            "Mentoring",
            "Frauen in Tech",
            "Pride",
            "Teamkultur",
            "Zugehörigkeit",
            "Gleichstellung",
            "Perspektive",
        ],
        "en": [
            "diversity",
            "inclusion",
            "equal opportunity",
            "network",
            "accessibility",
            "mentoring",
            "women in tech",
            "pride",
            "team culture",
            "belonging",
            "equality",
            "perspective",
        ],
        "tags": _split("#Diversity #Inklusion #Vielfalt #Pride #WomenInTech #Belonging"),
    },
    "ai": {
        "de": [
            "künstliche Intelligenz",
            "Sprachmodell",
            "Automatisierung",
            "Datenqualität",
            "Chatbot",
            "Prompt",
            "Ethik",
            "Algorithmus",
            "Anwendungsfall",
            "Pilotprojekt",
            "Modelltraining",
            "Assistenzsystem",
        ],
        "en": [
            "artificial intelligence",
            "language model",
            "automation",
            "data quality",
            "chatbot",
            "prompt",
            "ethics",
            "algorithm",
            "use case",
            "pilot project",
            "model training",
            "assistant system",
        ],
        "tags": _split("#KI #AI #KünstlicheIntelligenz #GenAI #Digitalisierung #Innovation"),
    },
    "cloud": {
        "de": [
            "Cloud",
            "Rechenzentrum",
            "Souveränität",
            "Migration",
            "Container",
            "Plattform",
            "Skalierung",
            "Mittelstand",
            "Datenhaltung",
            "Schnittstelle",
            "Ausfallsicherheit",
            "Hybrid-Cloud",
        ],
        "en": [
            "cloud",
            "data center",
            "sovereignty",
            "migration",
            "container",
            "platform",
            "scaling",
            "small businesses",
            "data storage",
            "interface",
            "resilience",
            "hybrid cloud",
        ],
        "tags": _split("#Cloud #SovereignCloud #Mittelstand #IT #Digitalisierung #DevOps"),
    },
    "event": {
        "de": [
            "Messe",
            "Keynote",
            "Stand",
            "Podiumsdiskussion",
            "Workshop",
            "Fachkonferenz",
            "Netzwerkabend",
            "Vortrag",
            "Hackathon",
            "Live-Demo",
            "Besucherinnen",
            "Bühne",
        ],
        "en": [
            "trade fair",
            "keynote",
            "booth",
            "panel",
            "workshop",
            "conference",
            "networking evening",
            "talk",
            "hackathon",
            "live demo",
            "visitors",
            "stage",
        ],
        "tags": _split("#Messe #Event #Konferenz #Keynote #Hackathon #Networking"),
    },
    "remote": {
        "de": [
            "Homeoffice",
            "hybrides Arbeiten",
            "Videokonferenz",
            "Teamtag",
            "Büro",
            "Arbeitszeit",
            "Fokuszeit",
            "Kollaboration",
            "Bildschirm",
            "Pendeln",
            "Zusammenarbeit",
            "Arbeitsplatz",
        ],
        "en": [
            "working from home",
            "hybrid work",
            "video call",
            "team day",
            "office",
            "working hours",
            "focus time",
            "collaboration",
            "screen",
            "commuting",
            "teamwork",
            "workplace",
        ],
        "tags": _split("#NewWork #Homeoffice #HybridWork #Teamwork #FutureOfWork #Arbeit"),
    },
    "rural": {
        "de": [
            "ländlicher Raum",
            "Dorf",
            "Gemeinde",
            "Bürgermeisterin",
            "Förderprogramm",
            "Landkreis",
            "Hofladen",
            "Landwirtschaft",
            "Ortsteil",
            "Bürgerversammlung",
            "Vereinsheim",
            "Marktplatz",
        ],
        "en": [
            "rural area",
            "village",
            "municipality",
            "mayor",
            "funding programme",
            "district",
            "farm shop",
            "agriculture",
            "hamlet",
            "town hall meeting",
            "club house",
            "market square",
        ],
        "tags": _split("#LandInSicht #Gemeinde #Digitalisierung #Dorf #Heimat #Ländle"),
    },
    "school": {
        "de": [
            "Schule",
            "Tablet",
            "Medienkompetenz",
            "Lehrkräfte",
            "Digitalpakt",
            "Klassenzimmer",
            "Informatikkurs",
            "Programmieren",
            "Schülerinnen",
            "Elternabend",
            "WLAN",
            "Lernplattform",
        ],
        "en": [
            "school",
            "tablet",
            "media literacy",
            "teachers",
            "digital pact",
            "classroom",
            "computer science class",
            "coding",
            "pupils",
            "parents evening",
            "Wi-Fi",
            "learning platform",
        ],
        "tags": _split("#Bildung #DigitaleSchule #Medienkompetenz #Coding #Schule #EdTech"),
    },
    "sport": {
        "de": [
            "Sponsoring",
            "Stadion",
            "Fußball",
            "Basketball",
            "Mannschaft",
            "Trikot",
            "Saison",
            "Heimspiel",
            "Fans",
            "Übertragung",
            "Trainingslager",
            "Pokal",
        ],
        "en": [
            "sponsorship",
            "stadium",
            "football",
            "basketball",
            "squad",
            "jersey",
            "season",
            "home game",
            "fans",
            "broadcast",
            "training camp",
            "cup",
        ],
        "tags": _split("#Sport #Fußball #Basketball #Fans #Heimspiel #TeamSpirit"),
    },
    "family": {
        "de": [
            "Familie",
            "Elternzeit",
            "Kinderbetreuung",
            "Teilzeit",
            "Pflege",
            "Vereinbarkeit",
            "Ferienprogramm",
            "Betriebskita",
            "Jobsharing",
            "Rückkehr",
            "Wiedereinstieg",
            "Auszeit",
        ],
        "en": [
            "family",
            "parental leave",
            "childcare",
            "part-time",
            "caregiving",
            "work-life balance",
            "holiday programme",
            "company daycare",
            "job sharing",
            "return",
            "re-entry",
            "sabbatical",
        ],
        "tags": _split("#Familie #Vereinbarkeit #Elternzeit #WorkLifeBalance #Karriere #Eltern"),
    },
    "iot": {
        "de": [
            "IoT",
            "Sensorik",
            "Logistik",
            "Maschine",
            "Predictive Maintenance",
            "Tracker",
            "Fabrik",
            "Flotte",
            "Narrowband",
            "Campusnetz",
            "Produktion",
            "Lager",
        ],
        "en": [
            "IoT",
            "sensing",
            "logistics",
            "machine",
            "predictive maintenance",
            "tracker",
            "factory",
            "fleet",
            "narrowband",
            "campus network",
            "production",
            "warehouse",
        ],
        "tags": _split("#IoT #Industrie40 #Logistik #Campusnetz #SmartFactory #Sensorik"),
    },
    "privacy": {
        "de": [
            "Datenschutz",
            "Einwilligung",
            "Privatsphäre",
            "DSGVO",
            "Transparenz",
            "Datensparsamkeit",
            "Auskunft",
            "Cookie",
            "Anonymisierung",
            "Vertrauen",
            "Kontrolle",
            "Löschkonzept",
        ],
        "en": [
            "data protection",
            "consent",
            "privacy",
            "GDPR",
            "transparency",
            "data minimisation",
            "access request",
            "cookie",
            "anonymisation",
            "trust",
            "control",
            "deletion policy",
        ],
        "tags": _split("#Datenschutz #Privacy #DSGVO #Vertrauen #Transparenz #GDPR"),
    },
    "recycling": {
        "de": [
            "Handy-Recycling",
            "Altgerät",
            "Sammelbox",
            "Refurbished",
            "Akku",
            "Reparatur",
            "Rohstoffe",
            "Rücknahme",
            "zweites Leben",
            "Elektroschrott",
            "Ladekabel",
            "Gerätetausch",
        ],
        "en": [
            "phone recycling",
            "old device",
            "collection box",
            "refurbished",
            "battery",
            "repair",
            "raw materials",
            "take-back",
            "second life",
            "e-waste",
            "charging cable",
            "device swap",
        ],
        "tags": _split("#Recycling #Kreislauf #Refurbished #Nachhaltig #Handy #ZeroWaste"),
    },
}

# Sentence templates: {n} {m} topic nouns, {c} city, {p} person, {a} adjective, {t} time, {k} number, {v} verb
DE = {
    "a": [
        "spannend",
        "wichtig",
        "großartig",
        "beeindruckend",
        "ehrlich",
        "mutig",
        "konkret",
        "nachhaltig",
        "schnell",
        "überraschend",
        "lehrreich",
        "inspirierend",
        "herausfordernd",
        "ermutigend",
    ],
    "t": [
        "heute",
        "gestern",
        "diese Woche",
        "am Montag",
        "am Wochenende",
        "seit Jahren",
        "letzten Freitag",
        "heute Morgen",
        "nach Feierabend",
        "im Frühjahr",
        "zum ersten Mal",
        "endlich",
    ],
    "v": [
        "ausprobiert",
        "vorgestellt",
        "besucht",
        "diskutiert",
        "geplant",
        "umgesetzt",
        "erklärt",
        "gefeiert",
        "getestet",
        "begleitet",
        "aufgebaut",
        "erlebt",
    ],
    "s": [
        "{t} habe ich mit {p} in {c} über {n} gesprochen",
        "Was mich an {n} am meisten überrascht: wie {a} das Thema für {m} ist",
        "In {c} haben wir {t} {n} {v}",
        "{p} hat mir gezeigt, warum {n} so {a} ist",
        "Ich bin stolz auf unser Team in {c}, das {n} {v} hat",
        "Mehr als {k} Menschen waren dabei, als wir {n} {v} haben",
        "Mein Fazit nach {k} Tagen mit {n}: {a}",
        "Ehrlich gesagt war ich bei {n} erst skeptisch, inzwischen finde ich es {a}",
        "Danke an {p} für den {a} Austausch zu {m}",
        "Wer {n} für {a} hält, sollte sich {m} in {c} ansehen",
        "Für mich zeigt {n}, wie viel {m} bewirken kann",
        "{t} ging es in {c} um {n} und {m}",
        "Die Frage von {p} zu {n} geht mir nicht aus dem Kopf",
        "Was meint ihr: braucht {c} mehr {n}",
        "Kleiner Einblick: so sieht {n} bei uns in {c} aus",
        "Ich lerne jeden Tag dazu, {t} vor allem über {m}",
        "{k} Jahre im Job und {n} begeistert mich immer noch",
        "Mit {p} habe ich {t} {m} {v}, und es war {a}",
        "Ohne {n} wäre {m} in {c} kaum denkbar",
        "Mein Tipp für alle, die mit {n} anfangen: fragt {p}",
        "Besonders {a} fand ich, wie offen alle über {m} gesprochen haben",
        "Am Ende zählt, dass {n} den Menschen in {c} hilft",
        "Hättet ihr gedacht, dass {n} und {m} so gut zusammenpassen",
        "Nächste Woche geht es in {c} weiter mit {m}",
    ],
}
EN = {
    "a": [
        "exciting",
        "important",
        "great",
        "impressive",
        "honest",
        "bold",
        "practical",
        "sustainable",
        "fast",
        "surprising",
        "instructive",
        "inspiring",
        "challenging",
        "encouraging",
    ],
    "t": [
        "today",
        "yesterday",
        "this week",
        "on Monday",
        "at the weekend",
        "for years",
        "last Friday",
        "this morning",
        "after work",
        "in spring",
        "for the first time",
        "finally",
    ],
    "v": [
        "tried",
        "presented",
        "visited",
        "discussed",
        "planned",
        "delivered",
        "explained",
        "celebrated",
        "tested",
        "supported",
        "built",
        "experienced",
    ],
    "s": [
        "{t} I talked to {p} in {c} about {n}",
        "What surprised me most about {n}: how {a} it is for {m}",
        "In {c} we {v} {n} {t}",
        "{p} showed me why {n} is so {a}",
        "I am proud of our team in {c} who {v} {n}",
        "More than {k} people joined when we {v} {n}",
        "My takeaway after {k} days with {n}: {a}",
        "To be honest I was sceptical about {n} at first, now I find it {a}",
        "Thanks to {p} for the {a} exchange on {m}",
        "Anyone who thinks {n} is {a} should look at {m} in {c}",
        "For me {n} shows how much {m} can achieve",
        "{t} it was all about {n} and {m} in {c}",
        "The question {p} asked about {n} is still on my mind",
        "What do you think: does {c} need more {n}",
        "A quick look behind the scenes: this is {n} in {c}",
        "I learn something new every day, {t} mostly about {m}",
        "{k} years in the job and {n} still excites me",
        "With {p} I {v} {m} {t}, and it was {a}",
        "Without {n}, {m} in {c} would hardly be possible",
        "My tip for everyone starting with {n}: ask {p}",
        "I found it especially {a} how openly everyone talked about {m}",
        "In the end what counts is that {n} helps people in {c}",
        "Would you have guessed that {n} and {m} fit so well together",
        "Next week we continue with {m} in {c}",
    ],
}
# Optional lead-ins and tails that people vary freely; they keep two posts built from the same
# sentence pattern from being word-for-word alike.
LEADS = {
    "de": [
        "Kurz notiert:",
        "Ganz ehrlich:",
        "Spannend:",
        "Update aus {c}:",
        "Gedanke des Tages:",
        "Mal ehrlich,",
        "Übrigens:",
        "Vorweg:",
        "Was für ein Tag:",
        "Zur Info:",
        "Persönlich gesagt:",
        "Fun Fact:",
        "Rückblick:",
        "Frage in die Runde:",
        "Notiz an mich:",
        "Kleine Story:",
    ],
    "en": [
        "Quick note:",
        "Honestly:",
        "Exciting:",
        "Update from {c}:",
        "Thought of the day:",
        "Real talk,",
        "By the way:",
        "First things first:",
        "What a day:",
        "FYI:",
        "Personally,",
        "Fun fact:",
        "Looking back:",
        "Question for you all:",
        "Note to self:",
        "Short story:",
    ],
}
TAILS = {
    "de": [
        "zusammen mit {p}",
        "und das mit einem Lächeln",
        "trotz Regen in {c}",
        "nach {k} Wochen Vorbereitung",
        "ganz ohne Drama",
        "mit viel Kaffee",
        "auch dank {p}",
        "für die ganze Region",
        "mit Blick auf {m}",
        "im Team von {p}",
        "wie schon in {c}",
        "noch vor dem Mittag",
        "mit {k} Kolleginnen und Kollegen",
        "Schritt für Schritt",
    ],
    "en": [
        "together with {p}",
        "with a smile",
        "despite the rain in {c}",
        "after {k} weeks of preparation",
        "without any drama",
        "with plenty of coffee",
        "thanks to {p}",
        "for the whole region",
        "with an eye on {m}",
        "in {p}'s team",
        "just like in {c}",
        "before lunch",
        "with {k} colleagues",
        "step by step",
    ],
}
GENERIC_TAGS = _split("#Team #Stolz #Zukunft #Digital #Arbeit #LinkedIn #Heute #Community")
PUNCT = [". ", "! ", ". ", "? ", ". "]


def make_post(rng: random.Random, topic: str | None = None) -> tuple[str, dict[str, object]]:
    """One post: 2–5 sentences from one topic, 0–3 hashtags, sometimes a URL or a mention."""
    topic = topic or rng.choice(list(TOPICS))
    lang = "de" if rng.random() < 0.6 else "en"
    vocab = DE if lang == "de" else EN
    nouns = TOPICS[topic][lang]
    sentences = []
    for template in rng.sample(vocab["s"], rng.randint(2, 6)):
        n, m = rng.sample(nouns, 2)
        if rng.random() < 0.35:
            template = rng.choice(LEADS[lang]) + " " + template[0].lower() + template[1:]
        if rng.random() < 0.35:
            template = template + ", " + rng.choice(TAILS[lang])
        s = template.format(
            n=n,
            m=m,
            c=rng.choice(CITIES),
            p=rng.choice(NAMES),
            a=rng.choice(vocab["a"]),
            t=rng.choice(vocab["t"]),
            v=rng.choice(vocab["v"]),
            k=rng.choice([2, 3, 5, 10, 12, 20, 25, 40, 50, 100, 150, 300]),
        )
        sentences.append(s[0].upper() + s[1:])
    tags = rng.sample(TOPICS[topic]["tags"] + GENERIC_TAGS, rng.randint(0, 3))
    extra = []
    if rng.random() < 0.15:
        extra.append(f"https://example.org/{topic}/{rng.randint(1, 99999)}")
    if rng.random() < 0.1:
        extra.insert(0, f"@{rng.choice(NAMES).lower()}_{rng.randint(1, 99)}")
    meta = {"topic": topic, "lang": lang, "sentences": sentences, "tags": tags, "extra": extra}
    return render(sentences, tags, extra, rng), meta


def render(sentences: list[str], tags: list[str], extra: list[str], rng: random.Random) -> str:
    body = "".join(s + rng.choice(PUNCT) for s in sentences).strip()
    tail = " ".join(extra + tags)
    return f"{body}\n\n{tail}".strip() if tail else body


def near_copy(rng: random.Random, meta: dict[str, object], kind: str) -> str:
    sentences = list(meta["sentences"])  # type: ignore[call-overload]
    tags = list(meta["tags"])  # type: ignore[call-overload]
    extra = list(meta["extra"])  # type: ignore[call-overload]
    topic = str(meta["topic"])
    if kind in ("word", "all"):
        i = rng.randrange(len(sentences))
        words = sentences[i].split()
        j = rng.randrange(len(words))
        words[j] = rng.choice(["wirklich", "really", "neu", "new", "echt", "super", "total", "sehr"])
        sentences[i] = " ".join(words)
    if kind in ("reorder", "all"):
        while len(sentences) > 1:
            shuffled = rng.sample(sentences, len(sentences))
            if shuffled != sentences:
                sentences = shuffled
                break
    if kind in ("hashtags", "all"):
        pool = [t for t in TOPICS[topic]["tags"] + GENERIC_TAGS if t not in tags]
        tags = rng.sample(pool, max(1, len(tags)))
    return render(sentences, tags, extra, rng)


def make_long_post(rng: random.Random) -> tuple[str, list[str]]:
    """A post of 2–4 paragraphs on one topic (each paragraph the body of a :func:`make_post`), hashtags last;
    returns the text and its paragraphs."""
    topic = rng.choice(list(TOPICS))
    paragraphs = []
    for _ in range(rng.randint(2, 4)):
        _, meta = make_post(rng, topic)
        paragraphs.append("".join(s + rng.choice(PUNCT) for s in meta["sentences"]).strip())  # type: ignore[attr-defined]
    tags = " ".join(rng.sample(TOPICS[topic]["tags"], rng.randint(0, 2)))
    return "\n\n".join(paragraphs + ([tags] if tags else [])), paragraphs


def bench_paragraphs(index: InMemoryPostIndex, rng: random.Random, args: argparse.Namespace) -> None:
    """Copied paragraphs: ``--long`` posts of several paragraphs join the index; a draft of the author's own
    paragraphs around one copied paragraph (one word changed in every second) must be found by
    ``query_passages`` (``drafter.originality.paragraph_similarity``); fresh drafts of several paragraphs on
    the same topics are false positives when any paragraph reaches a threshold."""
    from drafter.originality import PASSAGE_WORDS, query_passages

    long_posts = [make_long_post(rng) for _ in range(args.long)]
    t0 = time.perf_counter()
    for text, _ in long_posts:
        index.add(CorpusPost(text=text, source="long"))
    print(f"paragraphs: {args.long:,} posts of 2–4 paragraphs added in {time.perf_counter() - t0:.1f} s")
    shares: list[float] = []
    whole: list[float] = []
    latencies: list[float] = []
    for i in range(args.copies):
        text, paragraphs = long_posts[rng.randrange(len(long_posts))]
        copied = max(paragraphs, key=len)
        if i % 2:
            words = copied.split()
            words[rng.randrange(len(words))] = rng.choice(["wirklich", "really", "neu", "new", "echt"])
            copied = " ".join(words)
        own = [make_long_post(rng)[1][0] for _ in range(2)]
        draft = f"{own[0]}\n\n{copied}\n\n{own[1]}"
        t0 = time.perf_counter()
        found = query_passages(index, draft, PASSAGE_WORDS)
        latencies.append((time.perf_counter() - t0) * 1000)
        at, source = draft.index(copied), CorpusPost(text=text).post_id
        shares.append(max((m.post.similarity for m in found if m.start == at and m.post.post_id == source), default=0))
        best = index.query(draft, k=1)
        whole.append(best[0].similarity if best else 0.0)
    fresh_best: list[float] = []
    for _ in range(args.unrelated):
        draft = "\n\n".join(make_long_post(rng)[1])
        t0 = time.perf_counter()
        found = query_passages(index, draft, PASSAGE_WORDS)
        latencies.append((time.perf_counter() - t0) * 1000)
        fresh_best.append(max((m.post.similarity for m in found), default=0.0))
    print(
        f"paragraphs: query latency median {statistics.median(latencies):.2f} ms, "
        f"p99 {percentile(latencies, 0.99):.2f} ms over {len(latencies):,} drafts"
    )
    print(
        f"paragraphs: whole-draft similarity of the drafts with a copied paragraph: median "
        f"{statistics.median(whole):.2f}, p95 {percentile(whole, 0.95):.2f} (found by the whole draft at "
        f"{args.warning_at}: {sum(w >= args.warning_at for w in whole) / len(whole):.3f})"
    )
    print(
        f"paragraphs: similarity of the copied paragraph: min {min(shares):.2f}, p5 {percentile(shares, 0.05):.2f}, "
        f"median {statistics.median(shares):.2f}; best paragraph of fresh drafts: median "
        f"{statistics.median(fresh_best):.2f}, p99 {percentile(fresh_best, 0.99):.2f}, max {max(fresh_best):.2f}"
    )
    for threshold in (0.5, 0.6, 0.7, 0.85):
        rec = sum(x >= threshold for x in shares) / len(shares)
        fpr = sum(x >= threshold for x in fresh_best) / len(fresh_best)
        print(f"  paragraphs at {threshold}: recall {rec:.3f}, false-positive rate {fpr:.4f}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--copies", type=int, default=1_000)
    parser.add_argument("--unrelated", type=int, default=1_000)
    parser.add_argument("--warning-at", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--stored", action="store_true", help="also build the SQLite-backed index")
    parser.add_argument("--long", type=int, default=5_000, help="posts of several paragraphs for the paragraph part")
    parser.add_argument("--no-paragraphs", action="store_true", help="skip the copied-paragraph part")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    corpus: list[tuple[str, dict[str, object]]] = [make_post(rng) for _ in range(args.posts)]
    posts = [CorpusPost(text=text, source=f"gen/{i}") for i, (text, _) in enumerate(corpus)]
    print(f"generated {len(posts):,} posts in {time.perf_counter() - t0:.1f} s")

    index = InMemoryPostIndex(posts)
    t0 = time.perf_counter()
    index.build()
    print(f"in-memory index build: {time.perf_counter() - t0:.1f} s ({len(index):,} distinct posts)")

    kinds = ["word", "reorder", "hashtags", "all"]
    found = {k: 0 for k in kinds}
    total = {k: 0 for k in kinds}
    sims: list[float] = []
    copy_sims: list[float] = []
    latencies: list[float] = []
    asked: list[tuple[str, list[str]]] = []  # (query, result ids) to compare the stored index with
    for i in range(args.copies):
        kind = kinds[i % len(kinds)]
        source = rng.randrange(len(corpus))
        text = near_copy(rng, corpus[source][1], kind)
        t0 = time.perf_counter()
        results = index.query(text, k=5)
        latencies.append((time.perf_counter() - t0) * 1000)
        asked.append((text, [r.post_id for r in results]))
        hit = next((r for r in results if r.post_id == posts[source].post_id), None)
        total[kind] += 1
        copy_sims.append(hit.similarity if hit is not None else 0.0)
        if hit is not None and hit.similarity >= args.warning_at:
            found[kind] += 1
            sims.append(hit.similarity)
    false_pos = 0
    top_unrelated: list[float] = []
    for _ in range(args.unrelated):
        text, _meta = make_post(rng)
        t0 = time.perf_counter()
        results = index.query(text, k=5)
        latencies.append((time.perf_counter() - t0) * 1000)
        asked.append((text, [r.post_id for r in results]))
        best = results[0].similarity if results else 0.0
        top_unrelated.append(best)
        if best >= args.warning_at:
            false_pos += 1

    recall = sum(found.values()) / max(1, sum(total.values()))
    print(
        f"query latency: median {statistics.median(latencies):.2f} ms, p99 {percentile(latencies, 0.99):.2f} ms, "
        f"max {max(latencies):.2f} ms over {len(latencies):,} queries"
    )
    print(
        f"recall on {sum(total.values()):,} near-copies (top 5, similarity >= {args.warning_at}): {recall:.3f} ("
        + ", ".join(f"{k} {found[k]}/{total[k]}" for k in kinds)
        + ")"
    )
    if sims:
        print(
            f"similarity of found copies: min {min(sims):.2f}, p5 {percentile(sims, 0.05):.2f}, "
            f"median {statistics.median(sims):.2f}"
        )
    print(
        f"false positives on {args.unrelated:,} unrelated posts: {false_pos} "
        f"(rate {false_pos / max(1, args.unrelated):.4f}); best similarity of unrelated posts: "
        f"median {statistics.median(top_unrelated):.2f}, p99 {percentile(top_unrelated, 0.99):.2f}, "
        f"max {max(top_unrelated):.2f}"
    )

    for threshold in (0.5, 0.6, 0.7):
        rec = sum(1 for x in copy_sims if x >= threshold) / max(1, len(copy_sims))
        fpr = sum(1 for x in top_unrelated if x >= threshold) / max(1, len(top_unrelated))
        print(f"  at warning_at {threshold}: recall {rec:.3f}, false-positive rate {fpr:.4f}")

    if args.stored:
        from drafter.store import Store

        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.sqlite3") as store:
            stored = StoredPostIndex(store)
            t0 = time.perf_counter()
            stored.add_many(posts)
            print(f"stored index: insert with signatures and band keys {time.perf_counter() - t0:.1f} s")
            again = StoredPostIndex(store)
            t0 = time.perf_counter()
            again.build()
            print(f"stored index: build (a new process would do this) {time.perf_counter() - t0:.3f} s")
            lat = []
            same = 0
            for text, expected in asked:
                t0 = time.perf_counter()
                found = again.query(text, k=5)
                lat.append((time.perf_counter() - t0) * 1000)
                same += [r.post_id for r in found] == expected
            print(
                f"stored index: query median {statistics.median(lat):.2f} ms, p99 {percentile(lat, 0.99):.2f} ms; "
                f"same top 5 as the in-memory index for {same:,} of {len(asked):,} queries"
            )

    if not args.no_paragraphs:
        bench_paragraphs(index, rng, args)


if __name__ == "__main__":
    main()
