"""One language at a time for the last English leftovers of issue 11 item 11: what is wrong with values
typed into the profile, a settings file, a guideline folder and files for the voice profile is said in
the German UI in German — file, line and field stay as written — in the English UI in English, and the
CLI keeps its English. (The brief import's reports: ``test_tui_problems_language.py``.)"""

from __future__ import annotations

import io
import re
import textwrap
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_tui_one_language import _words, english_only_words
from tui_helpers import make_app
from typer.testing import CliRunner

SIZE = (140, 42)


async def _wait(pilot: Any, condition: Callable[[], bool], seconds: float = 15.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out")


def _notes(app: Any) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def _english_in(text: str, *keep: str) -> list[str]:
    """The English-only words of ``text`` once what stays as written is taken out: paths and file names
    (``keep``), quoted names and values, placeholders (``{unit}``)."""
    for part in sorted(keep, key=len, reverse=True):
        text = text.replace(part, " ")
    text = re.sub(r"„[^“\n]*“|'[^'\n]*'|\"[^\"\n]*\"|\{\w+\}", " ", text)
    return sorted(_words(text) & english_only_words())


# -- the profile: values typed into the form ---------------------------------------------------------
async def _typed_profile(lang: str, guidelines: Path | None = None) -> str:
    from textual.widgets import Input

    app = make_app(language=lang)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _wait(pilot, lambda: app.models_ready)
        await pilot.press("f9")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#set-name", Input).value = "N" * 201  # the name: at most 200 characters
        screen.query_one("#set-disclosure", Input).focus()
        await pilot.press(*("#Mitarbeiterin" * 8))  # the marker, typed: at most 100 characters
        if guidelines is not None:
            screen.query_one("#set-name", Input).value = "Kim"
            screen.query_one("#set-disclosure", Input).value = "#Mitarbeiterin"
            screen.query_one("#set-guidelines", Input).value = str(guidelines)
        await pilot.press("ctrl+s")
        await _wait(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        return _notes(app)


async def test_values_typed_into_the_german_profile_are_refused_in_german() -> None:
    text = await _typed_profile("de")
    assert "Feld „name“: höchstens 200 Zeichen" in text, text
    assert "Feld „disclosure_marker“: höchstens 100 Zeichen" in text, text
    assert not _english_in(text), text


async def test_values_typed_into_the_english_profile_are_refused_in_english() -> None:
    text = await _typed_profile("en")
    assert "field 'name': at most 200 characters" in text, text
    assert "field 'disclosure_marker': at most 100 characters" in text, text


# -- a broken settings file --------------------------------------------------------------------------
SETTINGS = """\
language = "de"
name = 3
colour = "magenta"

[ai]
timeout = -1
retries = "viele"
method = "zauber"

[keys]
"compose.export" = "strg+e"
"""


async def _broken_settings(drafter_home: Path, lang: str) -> str:
    (drafter_home / "config").mkdir(parents=True, exist_ok=True)
    (drafter_home / "config" / "settings.toml").write_text(SETTINGS, encoding="utf-8")
    app = make_app(language=lang)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _wait(pilot, lambda: app.models_ready and any(n.severity == "error" for n in app._notifications))
        return _notes(app)


async def test_a_broken_settings_file_is_said_in_german(drafter_home: Path) -> None:
    text = await _broken_settings(drafter_home, "de")
    path = str(drafter_home / "config" / "settings.toml")
    assert f"{path}: Zeile 2, Feld „name“: muss Text sein, ist aber vom Typ int" in text, text
    assert "Zeile 3, Feld „colour“: unbekanntes Feld" in text
    # the line of the key itself, not of the [ai] header (new-user probe)
    assert "Zeile 6, Feld „ai.timeout“: muss größer als 0 sein" in text
    assert "Zeile 7, Feld „ai.retries“: muss eine ganze Zahl sein" in text
    assert "Zeile 8, Feld „ai.method“: möglich sind: 'json_schema', 'function_calling', 'json_mode'" in text
    assert "Zeile 10, Feld „keys“: compose.export: 'strg+e' ist keine Taste" in text
    assert not _english_in(text, path), text


async def test_a_broken_settings_file_is_said_in_english(drafter_home: Path) -> None:
    text = await _broken_settings(drafter_home, "en")
    assert "line 6, field 'ai.timeout': must be greater than 0" in text, text
    assert "line 3, field 'colour': unknown field" in text
    assert "field 'ai.retries': must be a whole number" in text


def test_the_cli_says_a_broken_settings_file_in_english(drafter_home: Path) -> None:
    from drafter.cli import app as cli_app

    (drafter_home / "config").mkdir(parents=True, exist_ok=True)
    (drafter_home / "config" / "settings.toml").write_text(SETTINGS, encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["lint", "-"], input="Hallo")
    assert result.exit_code == 2
    assert "field 'ai.timeout': must be greater than 0" in result.output, result.output
    assert "'strg+e' is not a key" in result.output and "Feld" not in result.output


# -- a broken guideline folder -------------------------------------------------------------------------
SET = 'name: kaputt\nversion: "1"\nextends: default\n'
RULE = """\
rules:
  - id: term.gratis
    type: substitution
    level: warning
    category: term
    swap: {gratis: kostenlos}
    message: "Schreib {replacement} statt {match}."
"""

#: broken folders, one stage of the loader each (a stage's problems stop the next one)
BROKEN_FOLDERS: dict[str, tuple[str | None, dict[str, str], list[str]]] = {
    "set-file": (
        'name: kaputt\nversion: "1"\nextends: default\nfarbe: magenta\ndefault_channel: [x]\n',
        {},
        ["Feld „farbe“: unbekannter Schlüssel", "guidelines.yaml:4:1"],
    ),
    "rule-files": (
        SET,
        {
            "a.yaml": "rules:\n  - id: [offen\n",
            "b.yaml": RULE.replace("    level: warning\n", "    level: warning\n    level: error\n"),
            "c.yaml": RULE.replace("type: substitution", "type: rechtschreibung"),
            "d.yaml": RULE.replace("    category: term\n", "    category: term\n    schwere: hoch\n"),
        },
        [
            "a.yaml:3:1: YAML-Syntaxfehler: eine Liste wird nicht mit „]“ geschlossen",
            "b.yaml:5:5: Feld „rules.0.level“: Schlüssel doppelt angegeben",
        ],
    ),
    "rule-values": (
        SET,
        {
            "c.yaml": RULE.replace("type: substitution", "type: rechtschreibung"),
            "d.yaml": RULE.replace("    category: term\n", "    category: term\n    schwere: hoch\n").replace(
                "term.gratis", "term.d"
            ),
            "e.yaml": RULE.replace("level: warning", "level: laut").replace("term.gratis", "term.e"),
        },
        [
            "c.yaml:2:5: Feld „rules.0“: unbekannter Regeltyp 'rechtschreibung'; möglich sind:",
            "d.yaml:6:5: Feld „rules.0.schwere“: unbekannter Schlüssel",
            "e.yaml:4:5: Feld „rules.0.level“: möglich sind: 'error', 'warning', 'info'",
        ],
    ),
    "rule-texts": (
        SET,
        {
            "p.yaml": RULE.replace("swap: {gratis: kostenlos}", "swap: {'gra(tis': kostenlos}"),
            "q.yaml": RULE.replace("{replacement} statt {match}", "{korrektur}").replace("term.gratis", "term.q"),
            "r.yaml": RULE.replace("    category: term\n", "    category: term\n    channels: [tiktok]\n").replace(
                "term.gratis", "term.r"
            ),
        },
        [
            "p.yaml:6:12: Feld „rules.0.swap.gra(tis“: das Muster ist kein gültiger regulärer Ausdruck (Eintrag 1)",
            "Feld „rules.0.message“: message: unbekannte Platzhalter korrektur; möglich sind:",
            "Feld „rules.0.channels“: unbekannter Kanal: tiktok; möglich sind:",
        ],
    ),
    "rules-merged": (
        'name: kaputt\nversion: "1"\nextends: default\ndisable: [gibt.es.nicht]\n',
        {
            "a.yaml": RULE,
            "b.yaml": RULE,
            "p.yaml": RULE.replace("swap: {gratis: kostenlos}", "swap: {'gra(tis': kostenlos}").replace(
                "term.gratis", "term.p"
            ),
        },
        ["Feld „disable“: keine Regel mit der Kennung 'gibt.es.nicht' zum Abschalten"],
    ),
}


def _broken_folder(root: Path, case: str) -> Path:
    set_yaml, rules, _ = BROKEN_FOLDERS[case]
    folder = root / f"richtlinien-{case}"
    (folder / "rules").mkdir(parents=True)
    if set_yaml is not None:
        (folder / "guidelines.yaml").write_text(set_yaml, encoding="utf-8")
    for name, body in rules.items():
        (folder / "rules" / name).write_text(textwrap.dedent(body), encoding="utf-8")
    return folder


async def _guidelines_fallback(drafter_home: Path, folder: Path, lang: str) -> str:
    (drafter_home / "config").mkdir(parents=True, exist_ok=True)
    settings = f'language = "{lang}"\nonboarding_done = true\nguidelines_dir = "{folder}"\n'
    (drafter_home / "config" / "settings.toml").write_text(settings, encoding="utf-8")
    app = make_app(language=lang)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _wait(pilot, lambda: app.models_ready and any(n.severity == "error" for n in app._notifications))
        return _notes(app)


@pytest.mark.parametrize("case", list(BROKEN_FOLDERS))
async def test_a_broken_guideline_folder_is_said_in_german(drafter_home: Path, tmp_path: Path, case: str) -> None:
    folder = _broken_folder(tmp_path, case)
    text = await _guidelines_fallback(drafter_home, folder, "de")
    assert "lässt sich nicht laden – es gelten die mitgelieferten Guidelines" in text, text
    for expected in BROKEN_FOLDERS[case][2]:
        assert expected in text, (expected, text)
    assert not _english_in(text, str(drafter_home), str(folder)), text


async def test_a_broken_guideline_folder_is_said_in_english(drafter_home: Path, tmp_path: Path) -> None:
    folder = _broken_folder(tmp_path, "rule-values")
    text = await _guidelines_fallback(drafter_home, folder, "en")
    assert "field 'rules.0.schwere': unknown key" in text, text
    assert "unknown rule type 'rechtschreibung'; known types:" in text
    assert "field 'rules.0.level': must be one of: 'error', 'warning', 'info'" in text


async def test_a_broken_guideline_folder_typed_into_the_german_profile(tmp_path: Path) -> None:
    folder = _broken_folder(tmp_path, "rule-values")
    text = await _typed_profile("de", guidelines=folder)
    assert "Dieser Guidelines-Ordner lässt sich nicht laden; nichts gespeichert." in text, text
    assert "Feld „rules.0.schwere“: unbekannter Schlüssel" in text
    assert not _english_in(text, str(folder)), text


def test_the_cli_says_a_broken_guideline_folder_in_english(tmp_path: Path) -> None:
    from drafter.cli import app as cli_app

    folder = _broken_folder(tmp_path, "rule-values")
    result = CliRunner().invoke(cli_app, ["guidelines", "check", str(folder)])
    assert result.exit_code == 2
    assert "field 'rules.0.schwere': unknown key" in result.output, result.output
    assert "unbekannt" not in result.output


# -- files for the voice profile (onboarding) ------------------------------------------------------------
def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


#: a bad file of every kind the voice import reads: name, content, what the German report names
BAD_VOICE_FILES: dict[str, tuple[str | bytes, str]] = {
    "lang.txt": ("x" * 20_001, "lang.txt: Zeile 1: ein Post hat 20001 Zeichen; höchstens 20000 sind möglich"),
    "posts.docx": ("Hallo", "posts.docx: Dateityp wird nicht gelesen"),
    "tweets.js": ("var tweets = [];", "tweets.js: Zeile 1: keine Datei tweets.js aus einem X-Archiv"),
    "kaputt.js": (
        'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1"}}]',
        "kaputt.js: Feld „[0].tweet.full_text“: der Text fehlt",
    ),
    "syntax.js": ("window.YTD.tweets.part0 = [{,]", "syntax.js: Zeile 1: kein gültiges JSON nach dem Anfang"),
    "archiv.zip": (b"PK-kein-zip", "archiv.zip: kein lesbares ZIP-Archiv"),
    "leer.zip": (_zip({"data/like.js": "[]"}), "leer.zip: keine data/tweets.js im Archiv"),
    "Shares.csv": ("Date,SharedUrl\n2024-01-01,https://x\n", "Shares.csv: Zeile 1, Feld „ShareCommentary“:"),
    "outbox.json": ('{"orderedItems": [{"type": "Create", "object": 3}]}', "Feld „orderedItems[0].object“"),
    "leer.txt": ("\n\n", "leer.txt: keine Posts gefunden"),
    "export.json": ('[{"text": "gut"}, {"titel": "x"}]', "export.json: Feld „text“: Eintrag 2: erwartet"),
    "fehler.json": ('{"text": ', "fehler.json: Zeile 1: kein gültiges JSON"),
}


async def _voice_import(drafter_home: Path, name: str, lang: str) -> str:
    from textual.widgets import Input

    content = BAD_VOICE_FILES[name][0]
    path = drafter_home / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    app = make_app(onboarding=None, language=lang)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _wait(pilot, lambda: app.screen.query("#set-voice-import"))
        app.screen.query_one("#set-voice-import", Input).value = str(path)
        app.screen.query_one("#settings-save").press()
        await _wait(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        return _notes(app)


@pytest.mark.parametrize("name", list(BAD_VOICE_FILES))
async def test_bad_voice_files_are_said_in_german(drafter_home: Path, name: str) -> None:
    text = await _voice_import(drafter_home, name, "de")
    assert "Import für das Stimmprofil fehlgeschlagen" in text, text
    assert BAD_VOICE_FILES[name][1] in text, text
    assert not _english_in(text, str(drafter_home), name), text


async def test_bad_voice_files_are_said_in_english(drafter_home: Path) -> None:
    text = await _voice_import(drafter_home, "outbox.json", "en")
    assert "field 'orderedItems[0].object': expected the post object" in text, text


def test_the_cli_says_bad_voice_files_in_english(drafter_home: Path) -> None:
    from drafter.cli import app as cli_app

    files = []
    for name, (content, _) in BAD_VOICE_FILES.items():
        path = drafter_home / name
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
        files.append(str(path))
    result = CliRunner().invoke(cli_app, ["voice", "import", *files])
    assert result.exit_code == 2
    assert "a LinkedIn Shares.csv needs this column" in result.output, result.output
    assert "expected the post object" in result.output and "Zeile" not in result.output


def test_every_new_message_key_is_in_both_catalogues() -> None:
    """Each ``said("…")`` key of the settings, guideline and voice code is worded in both languages."""
    from drafter import errors, guidelines, i18n, settings, voice_import
    from drafter.rules import base

    sources = [errors, guidelines, settings, voice_import, *[m for m in (base,)]]
    text = "\n".join(Path(m.__file__).read_text(encoding="utf-8") for m in sources)  # type: ignore[arg-type]
    text += "\n".join(p.read_text(encoding="utf-8") for p in Path(base.__file__).parent.glob("*.py"))
    keys = set(re.findall(r'said\(\s*"([\w.-]+)"', text))
    keys |= {f"voice.{k}" for k in re.findall(r'_v\(\s*f?"([\w.-]+?)(?:\{prefix\})?"', text)}
    keys |= {f"voice.{k}_item" for k in ("not_export", "must_be_text")}
    keys |= {f"values.{k}" for k in errors._PYDANTIC_TYPES}
    assert len(keys) > 80, len(keys)
    for lang in ("de", "en"):
        missing = sorted(k for k in keys if f"problems.{k}" not in i18n.catalogue(lang))
        assert not missing, (lang, missing)


async def test_a_profile_that_cannot_be_saved_is_said_in_german(drafter_home: Path) -> None:
    from textual.widgets import Input

    (drafter_home / "config").write_text("a file where the config folder belongs", encoding="utf-8")
    app = make_app(language="de")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _wait(pilot, lambda: app.models_ready)
        await pilot.press("f9")
        await pilot.pause()
        app.screen.query_one("#set-name", Input).value = "Kim"
        await pilot.press("ctrl+s")
        await _wait(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        text = _notes(app)
    assert f"{drafter_home / 'config'}: Ordner lässt sich nicht anlegen" in text, text
    assert not _english_in(text, str(drafter_home)), text
