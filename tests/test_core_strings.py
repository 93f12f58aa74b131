"""Core messages come from the locale catalogues: one wording per language, shared with the workspace."""

from __future__ import annotations

import datetime as dt

import pytest

from drafter import i18n
from drafter.authorship import AuthorshipPolicy, AuthorshipSummary, Origin, evaluate
from drafter.channels import unit_label
from drafter.export import render_markdown


@pytest.mark.parametrize("lang", ["de", "en"])
def test_units_read_as_the_length_gauge_shows_them(lang: str) -> None:
    for unit in ("weighted", "characters", "graphemes"):
        assert unit_label(unit, lang) == i18n.t(f"units.{unit}", lang)
    assert unit_label("characters", "de") == "Zeichen"
    assert unit_label("bytes", "de") == "bytes"  # unknown unit: its id


@pytest.mark.parametrize("lang", ["de", "en"])
def test_authorship_findings_use_the_catalogue(lang: str) -> None:
    summary = AuthorshipSummary({Origin.TYPED: 40, Origin.PASTED: 0, Origin.AI: 60, Origin.BRIEF: 0})
    findings = evaluate(summary, AuthorshipPolicy(), lang)
    pct = i18n.format_percent
    assert [f.message for f in findings] == [
        i18n.t("core.authorship.min_own", lang, own=pct(0.4, lang), limit=pct(0.7, lang))
        + " "
        + i18n.t("core.authorship.hint_ai", lang, ai=pct(0.6, lang)),
        i18n.t("core.authorship.max_ai", lang, ai=pct(0.6, lang), limit=pct(0.3, lang)),
    ]
    assert all(f.why == i18n.t("core.authorship.why", lang) for f in findings)


def _doc() -> dict[str, object]:
    return {
        "text": "Hallo",
        "channels": ["x"],
        "brief_id": None,
        "date": "2026-03-07",
        "guidelines": {"name": "g", "version": "1"},
        "findings": [{"severity": "warning", "rule": "r", "line": 2, "column": 3, "message": "m"}],
    }


def test_export_markdown_speaks_the_users_language_and_date() -> None:
    german = render_markdown(_doc(), lang="de")
    assert "- Datum: 07.03.2026" in german and "- Kanal: x" in german
    assert "## Offene Hinweise" in german and "(Zeile 2, Spalte 3)" in german
    english = render_markdown(_doc())
    assert "- Date: 2026-03-07" in english and "(line 2, col 3)" in english
    assert i18n.format_date(dt.date(2026, 3, 7), "de") in german
