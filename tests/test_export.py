"""Export: Markdown + JSON with text, channel, brief id, findings, guideline version, date; no secrets."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from drafter.export import build_export, exports_dir, render_markdown, write_export
from drafter.findings import Finding, Severity

WHEN = dt.datetime(2026, 11, 27, 10, 30, tzinfo=dt.UTC)


def _doc(**kw: object) -> dict:
    text = "Zeile eins\nZeile zwei!!"
    finding = Finding("tone.exclamations", "tone", Severity.WARNING, "Ein Ausrufezeichen reicht.", 21, 23, ("!",))
    args: dict = dict(
        text=text,
        channels=["linkedin", "x"],
        findings=[finding],
        guideline_name="test-set",
        guideline_version="2026.11.1",
        exported_at=WHEN,
        brief_id="bu-titel",
        draft_id="0123456789abcdef",
        author="Erika",
    )
    args.update(kw)
    return build_export(**args)


def test_json_fields() -> None:
    doc = _doc()
    assert doc["text"].startswith("Zeile eins")
    assert doc["channel"] == "linkedin" and doc["channels"] == ["linkedin", "x"]
    assert doc["brief_id"] == "bu-titel"
    assert doc["guidelines"] == {"name": "test-set", "version": "2026.11.1"}
    assert doc["date"] == "2026-11-27"
    assert doc["authorship"] is None  # slot filled by the authorship integration
    (f,) = doc["findings"]
    assert (f["line"], f["column"], f["severity"]) == (2, 11, "warning")


def test_write_pair_into_exports_dir_and_never_overwrite(drafter_home: Path) -> None:
    doc = _doc()
    first = write_export(doc)
    second = write_export(doc)
    assert first.markdown.parent == exports_dir() and exports_dir().is_relative_to(drafter_home)
    assert first.markdown != second.markdown and first.json != second.json
    loaded = json.loads(first.json.read_text(encoding="utf-8"))
    assert loaded == doc
    md = first.markdown.read_text(encoding="utf-8")
    assert md.startswith("Zeile eins\nZeile zwei!!\n")
    assert "2026.11.1" in md and "bu-titel" in md and "tone.exclamations" in md


def test_markdown_labels_and_authorship_line() -> None:
    doc = _doc(findings=[], authorship={"summary_line": "Urheberschaft: 100 % selbst geschrieben"})
    md = render_markdown(doc, {"findings": "Offene Hinweise", "none": "keine", "authorship": "Urheberschaft"})
    assert "## Offene Hinweise" in md and "- keine" in md
    assert "- Urheberschaft: 100 % selbst geschrieben" in md and "Urheberschaft: Urheberschaft" not in md


def test_no_secrets_or_paths_in_export(monkeypatch, drafter_home: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret")
    doc = _doc()
    files = write_export(doc)
    blob = files.json.read_text(encoding="utf-8") + files.markdown.read_text(encoding="utf-8")
    assert "sk-test-secret" not in blob
    assert str(drafter_home) not in blob
    assert set(doc) == {
        "format",
        "format_version",
        "text",
        "channel",
        "channels",
        "brief_id",
        "draft_id",
        "author",
        "date",
        "exported_at",
        "guidelines",
        "length",
        "lengths",
        "findings",
        "authorship",
        "scheduled_for",
        "dismissed",
    }


def test_markdown_names_the_level_in_the_exports_language() -> None:
    """A German export said "- warning tone.exclamations (Zeile 2, Spalte 11)" (a new-user probe): the level
    is written in the export's language, the rule id stays as the guidelines name it."""
    doc = _doc()
    assert "- Warnung tone.exclamations (Zeile 2, Spalte 11): Ein Ausrufezeichen reicht." in render_markdown(
        doc, lang="de"
    )
    assert "- warning tone.exclamations (line 2, col 11): Ein Ausrufezeichen reicht." in render_markdown(doc, lang="en")
