"""The import report of the German workspace is German all through (issue 11 review, item 1): bad briefs
of every format dropped in the inbox are reported in the notification in the UI language — the file,
line and field stay as written, what is wrong is said in German — while the CLI keeps its English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_tui_one_language import _words, english_only_words
from tui_helpers import make_app
from typer.testing import CliRunner

from drafter.briefs import Brief

#: bad brief files, one or more problems each, in every format the inbox reads
BAD_FILES: dict[str, str | bytes] = {
    # Markdown front matter: unknown goal, a date that is none, a language, a title of two lines
    "kopf.md": "---\ntitel: Glasfaser\nbereich: Technik\nziel: Weltfrieden\nab: 31.02.2026\n"
    "bis: morgen\nsprache: klingonisch\nkanal: fax\n---\nText.\n",
    "ohne-kopf.md": "Nur Text, kein Kopf.\n",
    "offen.md": "---\ntitel: Offen\n",
    "doppelt.md": "---\ntitel: T\nbereich: B\nziel: Werkstolz\ntext: oben\n---\nunten\n",
    # YAML: syntax, a list where a brief belongs, a comment instead of a value, a field twice, values
    "syntax.yaml": "titel: a: b\n",
    "liste.yaml": "- - eins\n  - zwei\n",
    "kommentar.yaml": "titel: T\nbereich: B\nziel: #Werkstolz\n",
    "zweimal.yaml": "titel: T\ntitel: U\nbereich: B\nziel: Werkstolz\n",
    "werte.yaml": "titel: [eins, zwei]\nbereich: B\nziel: Werkstolz\neinstufung: geheim\n"
    "ab: 2026-12-10\nbis: 2026-12-01\nhashtags: {a: b}\nkennung: 'a b c'\n",
    "tab.yaml": "titel: T\n\tbereich: B\n",
    # JSON: syntax, a field twice, data after the end, not an object, a required field missing
    "syntax.json": '{"titel": "T" "bereich": "B"}',
    "zweimal.json": '{"titel": "T", "titel": "U", "bereich": "B", "ziel": "Werkstolz"}',
    "danach.json": '{"titel": "T", "bereich": "B", "ziel": "Werkstolz"} []',
    "kein-objekt.json": "[1, 2]",
    "pflicht.json": '[{"titel": "T"}, {"titel": "", "bereich": "B", "ziel": "Werkstolz", "sprache": 3}]',
    # CSV/TSV: missing columns, a row too long, a column twice, only a header, values, a quote
    "spalten.csv": "Titel;Notiz\nT;x\n",
    "zeile.csv": "Titel;Bereich;Ziel\nT;B;Werkstolz;zu;viel\n",
    "spalte-doppelt.csv": "Titel;Thema;Bereich;Ziel\nT;U;B;Werkstolz\n",
    "kopfzeile.csv": "Titel;Bereich;Ziel\n",
    "werte.tsv": "Titel\tBereich\tZiel\tAb\tKanal\nT\tB\tLovemagnta\t2026-13-01\tfax\n",
    "anfuehrung.csv": 'Titel;Bereich;Ziel\n"T"x;B;Werkstolz\n',
    # encodings and types
    "steuerzeichen.csv": b"Titel;Bereich;Ziel\nT\x01;B;Werkstolz\n",
    "gemischt.csv": "Titel;Bereich;Ziel\nKöln;B;Werkstolz\n".encode() + b"\xe4\n",
    "tabelle.xlsx": b"PK\x03\x04",
    "leer.yaml": "",
}


def _report_text(app: object, folder: Path) -> str:
    # the whole report, as the inbox's report key shows it (the notification shows its first lines)
    notes = [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]
    assert any("nicht importiert" in n or "not imported" in n for n in notes), notes
    text = "\n".join(app.import_report_lines)  # type: ignore[attr-defined]
    assert text, notes
    return text


def _what_is_said(text: str, folder: Path) -> str:
    """The report without what stays as written: the folder, file names, quoted names and values."""
    text = text.replace(str(folder) + "/", "")
    for name in BAD_FILES:
        text = text.replace(name, " ")
    text = re.sub(r"„[^“\n]*“|'[^'\n]*'|\"[^\"\n]*\"", " ", text)
    text = re.sub(r"\((" + "|".join(Brief.model_fields) + r")\)", " ", text)  # the canonical field
    return text


async def _reported(folder: Path, lang: str) -> str:
    app = make_app(language=lang)
    async with app.run_test(size=(140, 42)) as pilot:
        for _ in range(400):
            if app.models_ready and any(
                "importiert" in str(n.message) or "imported" in str(n.message) for n in app._notifications
            ):
                break
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        return _report_text(app, folder)


@pytest.fixture
def bad_inbox(drafter_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "postfach"
    folder.mkdir()
    for name, content in BAD_FILES.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    monkeypatch.setenv("DRAFTER_INBOX", str(folder))
    return folder


async def test_bad_briefs_are_reported_in_german_in_the_german_ui(bad_inbox: Path) -> None:
    text = await _reported(bad_inbox, "de")
    for name in BAD_FILES:  # every file is named, refused
        assert f"{name}: nicht importiert" in text, (name, text)
    assert "Zeile 4, Feld „ziel“ (goal): unbekanntes Ziel 'Weltfrieden'" in text  # the place stays intact
    said = _what_is_said(text, bad_inbox)
    leftovers = sorted(_words(said) & english_only_words())
    assert not leftovers, f"English in the German import report: {leftovers}\n{text}"


async def test_the_english_ui_and_the_cli_keep_the_english(bad_inbox: Path) -> None:
    from drafter.cli import app as cli_app

    text = await _reported(bad_inbox, "en")
    assert "unknown goal 'Weltfrieden'; expected one of:" in text
    assert "not a date: '31.02.2026' (no such day; use YYYY-MM-DD, e.g. 2026-12-01, or DD.MM.YYYY)" in text
    result = CliRunner().invoke(cli_app, ["briefs", "inbox"])
    assert result.exit_code != 0
    assert "unknown goal 'Weltfrieden'" in result.output and "unbekannt" not in result.output
    assert "YAML syntax error: mapping values are not allowed" in result.output


def test_the_check_would_see_english_in_the_report() -> None:
    """The word list catches what the importer said in English before."""
    english = "row 3, field 'Ziel' (goal): unknown goal; expected one of: not a valid date, must be text"
    assert {"unknown", "expected", "one", "must", "text", "valid", "date"} & _words(english) & english_only_words()


def test_every_message_key_is_in_both_catalogues() -> None:
    """A :class:`Said` names its message by key: each key used in the code is worded in German and
    English (a missing one would show as the bare key)."""
    from drafter import brief_import, i18n

    source = "\n".join(p.read_text(encoding="utf-8") for p in Path(brief_import.__file__).parent.glob("*.py"))
    keys = set(re.findall(r'said\(\s*"([\w.-]+)"', source))
    keys |= {
        key if "." in key else f"syntax.{key}"
        for details in brief_import._SYNTAX_DETAILS.values()
        for _, key in details
    }
    keys |= {"fix_core.syntax_parser"}
    keys |= {"id_twice_line", "id_twice_row", "byte_order.little-endian", "byte_order.big-endian", "syntax.unknown"}
    assert len(keys) > 60
    for lang in ("de", "en"):
        missing = sorted(k for k in keys if f"problems.{k}" not in i18n.catalogue(lang))
        assert not missing, (lang, missing)
