"""The core drafting operations: check a whole draft, and export it through the gate."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from drafter.authorship import AuthorshipRecord, Origin
from drafter.drafting import ExportRefused, check_draft, export_refusal
from drafter.findings import Finding, Severity
from drafter.originality import InMemoryPostIndex
from drafter.settings import Settings, SettingsError, save_settings
from drafter.workspace import Workspace

CLEAN = "Seit drei Jahren arbeite ich im Netzausbau in Köln und bin jeden Tag stolz auf unser Team. #Werkstolz"
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(settings_path=tmp_path / "settings.toml", store_path=tmp_path / "s.sqlite3", clock=lambda: NOW)


def test_check_draft_merges_channels_and_labels_later_ones(ws: Workspace) -> None:
    text = "x" * 400 + " #Werkstolz"
    check = ws.check_draft(text, channels=["x", "bluesky"])
    assert list(check.lengths) == ["x", "bluesky"]
    assert check.primary == "x"
    length_findings = [f for f in check.findings if f.category == "length"]
    assert length_findings, "over both limits"
    label = ws.guidelines.channels["bluesky"].label
    assert any(f.message.startswith(f"[{label}]") for f in length_findings)
    assert not any(f.message.startswith("[") for f in length_findings if f.rule.startswith("length") and "x" in f.rule)


def test_policy_applies_only_with_a_matching_record(ws: Workspace) -> None:
    pasted = AuthorshipRecord.uniform(len(CLEAN), Origin.PASTED)
    check = ws.check_draft(CLEAN, channels=["linkedin"], record=pasted)
    assert check.summary is not None and check.summary.share(Origin.PASTED) == 1.0
    assert check.authorship_failing and check.blocked
    assert ws.check_draft(CLEAN, channels=["linkedin"]).summary is None
    wrong_length = AuthorshipRecord.uniform(3, Origin.PASTED)
    assert not ws.check_draft(CLEAN, channels=["linkedin"], record=wrong_length).authorship_failing


def test_marker_hint_uses_the_profile_marker(ws: Workspace, tmp_path: Path) -> None:
    save_settings(Settings(disclosure_marker="#TelekomMitarbeiterin"), tmp_path / "settings.toml")
    ad = "Jetzt zugreifen: MagentaTV drei Monate gratis! #WeWontStop"
    check = ws.check_draft(ad, channels=["linkedin"])
    assert any(f.category == "disclosure" and f.rule != "profile.disclosure-marker" for f in check.findings)
    hints = [f for f in check.findings if f.rule == "profile.disclosure-marker"]
    assert [h.replacements for h in hints] == [(" #TelekomMitarbeiterin",)]
    assert hints[0].start == len(ad)
    assert not any(f.rule == "profile.disclosure-marker" for f in ws.check_draft(CLEAN, channels=["x"]).findings)


def test_the_profiles_marker_counts_only_where_the_guidelines_read_it_as_a_disclosure(ws: Workspace) -> None:
    """A new-user probe set its marker to "#hallo" and was never asked to disclose a switching offer: what discloses
    is the guidelines' to say (their disclosure rules' ``require``), not the profile's."""
    ad = "Nur 39,95 € im Monat – ich bin begeistert. #hallo #WeWontStop"
    for marker in ("#hallo", "Telekom", " #hallo "):
        assert not ws.checker.marker_discloses(marker)
        marked = check_draft(ws.checker, ad, channels=["x"], disclosure_marker=marker)
        assert any(f.rule == "disclosure.employment" and f.severity is Severity.ERROR for f in marked.findings)
        assert not any(f.rule == "profile.disclosure-marker" for f in marked.findings)  # no fix that fixes nothing
    for marker in ("#TelekomMitarbeiterin", " (Mitarbeiterin) ", "#TelekomEmployee", "Werbung"):
        assert ws.checker.marker_discloses(marker)
        text = ad.replace("#hallo", marker.strip())
        marked = check_draft(ws.checker, text, channels=["x"], disclosure_marker=marker)
        assert not any(f.category == "disclosure" for f in marked.findings)
    offered = check_draft(ws.checker, ad, channels=["x"], disclosure_marker="#TelekomMitarbeiterin")
    assert [f.replacements for f in offered.findings if f.rule == "profile.disclosure-marker"] == [
        (" #TelekomMitarbeiterin",)
    ]


def test_gate_refuses_errors_and_unaccepted_warnings(ws: Workspace) -> None:
    check = ws.check_draft("", channels=["x"])
    assert export_refusal(check, accept_warnings=True, lang="en") == "The draft is empty."
    check = ws.check_draft(CLEAN, channels=["x"])
    assert not check.errors and export_refusal(check, accept_warnings=False) is None
    check.findings.append(Finding("x.y", "tone", Severity.WARNING, "w", 0, 1))
    assert export_refusal(check, accept_warnings=False, lang="en") == (
        "1 warning: read it and confirm (--accept-warnings on the command line)."
    )
    assert export_refusal(check, accept_warnings=True) is None
    assert (
        export_refusal(check, accept_warnings=False)
        == "1 Warnung: bitte lesen und bestätigen (--accept-warnings auf der Kommandozeile)."
    )
    check.findings.append(Finding("x.w", "tone", Severity.WARNING, "w", 1, 2))
    assert export_refusal(check, accept_warnings=False, lang="de").startswith("2 Warnungen: bitte lesen")
    check.findings.append(Finding("x.z", "tone", Severity.ERROR, "e", 0, 1))
    assert export_refusal(check, accept_warnings=True, lang="en") == "Export blocked: 1 error. Fix it first."
    check.skipped.append("confidentiality.data")
    assert "confidentiality.data" in (export_refusal(check, accept_warnings=True, lang="en") or "")


def test_export_writes_files_and_feeds_the_corpus(ws: Workspace, tmp_path: Path) -> None:
    record = AuthorshipRecord.uniform(len(CLEAN), Origin.TYPED)
    check = ws.check_draft(CLEAN, channels=["linkedin", "x"], record=record)
    assert not check.blocked, check.findings
    corpus = InMemoryPostIndex()
    outcome = ws.export_draft(
        check, draft_id="d1", brief_id=None, accept_warnings=True, out_dir=tmp_path / "out", corpus=corpus
    )
    doc = json.loads(outcome.files.json.read_text())
    assert doc["text"] == CLEAN and doc["channels"] == ["linkedin", "x"]
    assert list(doc["lengths"]) == ["linkedin", "x"] and doc["lengths"]["linkedin"] == doc["length"]
    assert doc["lengths"]["x"]["limit"] == 280 and doc["lengths"]["linkedin"]["limit"] == 3000
    assert doc["authorship"]["counts"]["typed"] > 0 and doc["authorship"]["meets_policy"] is True
    assert outcome.files.markdown.read_text().startswith(CLEAN)
    assert len(corpus) == 1 and outcome.corpus_error is None
    # the draft is not compared with its own export, but a new draft is
    assert (
        ws.check_draft(CLEAN, channels=["x"], corpus=ws.corpus_for("d1", corpus)).findings
        == check_draft(ws.checker, CLEAN, channels=["x"], date=NOW.date(), lang=ws.lang).findings
    )
    other = ws.check_draft(CLEAN, channels=["x"], corpus=ws.corpus_for("d2", corpus))
    assert any(f.category == "originality" for f in other.findings)


def test_refused_export_writes_nothing(ws: Workspace, tmp_path: Path) -> None:
    record = AuthorshipRecord.uniform(len(CLEAN), Origin.PASTED)
    check = ws.check_draft(CLEAN, channels=["linkedin"], record=record)
    with pytest.raises(ExportRefused) as info:
        ws.export_draft(check, out_dir=tmp_path / "out", corpus=InMemoryPostIndex(), accept_warnings=True)
    assert info.value.exit_code == 1
    assert not (tmp_path / "out").exists()


def test_guideline_resolution_order(tmp_path: Path) -> None:
    from drafter.guidelines import GuidelineError

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "guidelines.yaml").write_text("name: [unclosed\n")
    settings = tmp_path / "settings.toml"
    save_settings(Settings(guidelines_dir=broken), settings)
    strict = Workspace(settings_path=settings)
    with pytest.raises(GuidelineError):
        _ = strict.guidelines
    lenient = Workspace(settings_path=settings, strict=False)
    assert lenient.guidelines.name and lenient.guidelines_source == "bundled"
    assert lenient.guidelines_error and "guidelines.yaml" in lenient.guidelines_error
    # the command line wins over the settings
    bundled = Workspace(settings_path=settings, guidelines_option=Path(lenient.guidelines.folder))
    assert bundled.guidelines_source is None and bundled.guidelines.name == lenient.guidelines.name
    assert bundled.guidelines_source == "option"


def test_a_rule_skipped_on_this_text_blocks_export(tmp_path: Path) -> None:
    """A pattern that hits its time limit makes the check incomplete: export refuses, nothing is written,
    and the next (harmless) text is checked by that rule again."""
    folder = tmp_path / "g"
    (folder / "rules").mkdir(parents=True)
    (folder / "guidelines.yaml").write_text(
        'name: t\nversion: "1"\nchannels:\n  x: {label: X, counter: twitter, limit: 100000}\n', encoding="utf-8"
    )
    (folder / "rules" / "r.yaml").write_text(
        "rules:\n  - id: slow.fuzzy\n    type: existence\n    level: warning\n    category: tone\n    message: slow\n"
        "    patterns: ['(?:abcdefghijklmnopqrstuvwxyzabcd){e<=12}']\n",
        encoding="utf-8",
    )
    ws = Workspace(guidelines_option=folder, settings_path=tmp_path / "none.toml", clock=lambda: NOW)
    check = ws.check_draft("abcdefghijklmnopq" * 1200, channels=["x"])
    assert check.skipped == ["slow.fuzzy"] and check.blocked
    with pytest.raises(ExportRefused) as info:
        ws.export_draft(check, out_dir=tmp_path / "out", corpus=InMemoryPostIndex(), accept_warnings=True)
    assert "slow.fuzzy" in info.value.reason
    assert not (tmp_path / "out").exists()
    again = ws.check_draft("abcdefghijklmnopqrstuvwxyzabcd", channels=["x"])
    assert again.skipped == [] and [f.rule for f in again.findings] == ["slow.fuzzy"]


def test_lenient_workspace_survives_settings_nested_too_deep(tmp_path: Path) -> None:
    """Any content, not only a SettingsError: TOML nested beyond the parser's recursion gives defaults and
    a plain-text reason naming the file (the app must open)."""
    settings = tmp_path / "settings.toml"
    settings.write_text("name = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    lenient = Workspace(settings_path=settings, strict=False)
    assert lenient.settings == Settings()
    assert lenient.settings_error is not None
    assert lenient.settings_error.startswith(f"{settings}: not valid TOML: nested too deeply")
    with pytest.raises(SettingsError):  # the CLI: a clear error, not a RecursionError traceback
        _ = Workspace(settings_path=settings).settings


def test_the_marker_hint_goes_when_the_disclosure_warning_is_dismissed(ws: Workspace) -> None:
    """A new-user probe dismissed a disclosure warning ("kein Angebot") and the marker hint stayed as the one open
    item: the hint is offered for disclosure findings still open only."""
    from drafter.dismissals import dismiss

    text = "Hiring her was the best deal we ever made, five years ago today. #Werkstolz"
    marker = "#TelekomMitarbeiterin"
    first = check_draft(ws.checker, text, channels=["linkedin"], disclosure_marker=marker)
    (warning,) = [f for f in first.findings if f.category == "disclosure" and f.severity is Severity.WARNING]
    assert any(f.rule == "profile.disclosure-marker" for f in first.findings)
    reason = dismiss(warning, "Kein Angebot: ein Jubiläum", at=NOW)
    after = check_draft(ws.checker, text, channels=["linkedin"], disclosure_marker=marker, dismissals=[reason])
    assert [f.rule for f in after.dismissed] == [warning.rule]
    assert not any(f.rule == "profile.disclosure-marker" for f in after.findings)
