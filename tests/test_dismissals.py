"""Dismissing a warning with a reason (issue 10, item 4): core rules, storage, export and the CLI path."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter.cli import app
from drafter.dismissals import MAX_REASON, Dismissal, DismissalRefused, dismiss, fingerprint
from drafter.drafting import ExportRefused
from drafter.drafts import DraftStore
from drafter.findings import Finding, Severity
from drafter.store import MIGRATIONS, Store
from drafter.workspace import Workspace

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
#: a competitor named (a warning) in an otherwise clean post
POST = "Wir sind im Dorf schneller als Vodafone. Ich arbeite bei der Telekom. #WeWontStop"
ERROR_POST = "Nur heute 50 % Rabatt auf alles! #WeWontStop"

runner = CliRunner()


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(settings_path=tmp_path / "settings.toml", store_path=tmp_path / "s.sqlite3", clock=lambda: NOW)


def competitor(ws: Workspace, text: str = POST) -> Finding:
    (f,) = [f for f in ws.check_draft(text, channels=["x"]).findings if f.rule == "term.competitor"]
    assert f.severity is Severity.WARNING
    return f


def test_a_dismissed_warning_stays_visible_and_needs_no_confirmation(ws: Workspace, tmp_path: Path) -> None:
    before = ws.check_draft(POST, channels=["x"])
    with pytest.raises(ExportRefused):
        ws.export_draft(before, out_dir=tmp_path / "refused")
    d = dismiss(competitor(ws), "  Zitat aus der\nPressemitteilung ", at=NOW)
    assert d.reason == "Zitat aus der Pressemitteilung" and d.excerpt == "Vodafone"
    check = ws.check_draft(POST, channels=["x"], dismissals=[d])
    (shown,) = [f for f in check.findings if f.rule == "term.competitor"]
    assert shown.dismissed == "Zitat aus der Pressemitteilung"
    assert check.warnings == [] and check.dismissed == [shown] and check.dismissals == [d]
    outcome = ws.export_draft(check, out_dir=tmp_path / "out")  # no accept_warnings needed
    doc = json.loads(outcome.files.json.read_text(encoding="utf-8"))
    assert doc["findings"] == []
    assert doc["dismissed"] == [
        {
            "rule": "term.competitor",
            "category": "competitor",
            "message": shown.message,
            "excerpt": "Vodafone",
            "reason": "Zitat aus der Pressemitteilung",
            "at": "2026-11-29T12:00:00+00:00",
        }
    ]
    markdown = outcome.files.markdown.read_text(encoding="utf-8")
    assert "term.competitor" in markdown and "Zitat aus der Pressemitteilung" in markdown


def test_errors_and_infos_cannot_be_dismissed_in_the_core(ws: Workspace) -> None:
    (error,) = [f for f in ws.check_draft(ERROR_POST, channels=["x"]).errors if f.rule == "disclosure.employment"]
    with pytest.raises(DismissalRefused, match=f"„{re.escape(error.match)}“"):  # what it underlines, in words
        dismiss(error, "weil", at=NOW)
    info = Finding("voice.personal", "voice", Severity.INFO, "m", 0, 1, match="W")
    with pytest.raises(DismissalRefused):
        dismiss(info, "weil", at=NOW)
    broken = Finding(
        "confidentiality.data", "confidentiality", Severity.ERROR, "m", 0, 26, match="Kundennummer:\n\t4400 1873"
    )
    with pytest.raises(DismissalRefused, match="„Kundennummer: 4400 1873“"):  # white space as a space, not "\x0a"
        dismiss(broken, "weil", at=NOW)
    # underlining nothing, a finding is named by its message: a rule id means nothing to an ambassador
    whole = Finding("hashtag.goal-missing", "hashtag", Severity.ERROR, "Es fehlt ein Ziel-Hashtag.", 0, 0)
    with pytest.raises(DismissalRefused, match=re.escape("„Es fehlt ein Ziel-Hashtag.“")) as refused:
        dismiss(whole, "weil", at=NOW)
    assert "goal-missing" not in str(refused.value)
    voice = Finding("voice.personal", "voice", Severity.INFO, "Schreib mehr aus deiner eigenen Sicht.", 0, 0)
    with pytest.raises(DismissalRefused, match=re.escape("„Schreib mehr aus deiner eigenen Sicht.“ ist ein Hinweis")):
        dismiss(voice, "weil", at=NOW)


def test_a_stored_dismissal_never_mutes_an_error(ws: Workspace) -> None:
    (error,) = [f for f in ws.check_draft(ERROR_POST, channels=["x"]).errors if f.rule == "disclosure.employment"]
    # the same passage was a warning when it was dismissed (the rule's level changed since)
    d = dismiss(replace(error, severity=Severity.WARNING), "weil", at=NOW)
    assert d.fingerprint == fingerprint(error)
    check = ws.check_draft(ERROR_POST, channels=["x"], dismissals=[d])
    assert check.errors and check.dismissed == [] and check.dismissals == [] and check.blocked


@pytest.mark.parametrize("reason", ["", "   ", "\u202e\x1b"])
def test_a_reason_is_required(ws: Workspace, reason: str) -> None:
    with pytest.raises(DismissalRefused, match=r"reason|Grund"):
        dismiss(competitor(ws), reason, at=NOW, lang="en")


def test_a_reason_is_bounded_and_plain_text(ws: Workspace) -> None:
    with pytest.raises(DismissalRefused, match=str(MAX_REASON)):
        dismiss(competitor(ws), "x" * (MAX_REASON + 1), at=NOW, lang="en")
    d = dismiss(competitor(ws), "ok\x1b[31m \u202eevil [b]markup[/b]", at=NOW)
    assert d.reason == "ok[31m evil [b]markup[/b]"  # controls dropped; markup stays literal text


def test_the_fingerprint_survives_edits_elsewhere_but_not_of_the_passage(ws: Workspace) -> None:
    d = dismiss(competitor(ws), "Zitat", at=NOW)
    elsewhere = "Heute in Bonn: " + POST.replace("im Dorf", "in unserem Dorf")
    assert [f.dismissed for f in ws.check_draft(elsewhere, channels=["x"], dismissals=[d]).findings] == ["Zitat"]
    changed = POST.replace("Vodafone", "Vodafone und O2")
    check = ws.check_draft(changed, channels=["x"], dismissals=[d])
    assert len(check.warnings) == 1 and check.warnings[0].match == "O2"  # the new passage is not covered
    renamed = POST.replace("Vodafone", "Telefónica")
    assert ws.check_draft(renamed, channels=["x"], dismissals=[d]).dismissed == []
    assert fingerprint(competitor(ws)) == d.fingerprint


def test_dismissals_are_stored_with_the_draft(tmp_path: Path, ws: Workspace) -> None:
    d = dismiss(competitor(ws), "Zitat aus der Pressemitteilung", at=NOW)
    with Store(tmp_path / "d.sqlite3") as store:
        drafts = DraftStore(store)
        draft = drafts.create(POST, channels=["x"])
        assert draft.dismissals == ()
        drafts.save(replace(draft, dismissals=(d,)))
    with Store(tmp_path / "d.sqlite3") as store:
        (loaded,) = DraftStore(store).get(draft.id).dismissals
    assert loaded == d and isinstance(loaded, Dismissal)


def test_a_store_from_before_dismissals_is_migrated_and_keeps_its_drafts(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)  # a store with the schema from before step 45
    before = [(version, script) for version, script in MIGRATIONS if version < 45]
    for _, script in before:
        conn.executescript(script)
    conn.execute(
        "INSERT INTO drafts(id, channels, text, status, created_at, updated_at)"
        " VALUES('old', '[\"x\"]', ?, 'draft', '2026-11-01T09:00:00+00:00', '2026-11-01T09:00:00+00:00')",
        (POST,),
    )
    conn.execute(f"PRAGMA user_version = {max(version for version, _ in before)}")
    conn.commit()
    conn.close()
    with Store(path) as store:
        loaded = DraftStore(store).get("old")
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == max(v for v, _ in MIGRATIONS)
        assert "dismissals" in {row[1] for row in store.conn.execute("PRAGMA table_info(drafts)")}
    assert loaded.text == POST and loaded.dismissals == ()


def test_unreadable_stored_dismissals_do_not_stop_a_draft_from_opening(tmp_path: Path) -> None:
    with Store(tmp_path / "d.sqlite3") as store:
        draft = DraftStore(store).create(POST, channels=["x"])
        bad = json.dumps([{"rule": "x"}, "junk", {"rule": "r", "fingerprint": "f", "reason": "", "at": "2026-01-01"}])
        with store.transaction() as conn:
            conn.execute("UPDATE drafts SET dismissals = ? WHERE id = ?", (bad, draft.id))
        assert DraftStore(store).get(draft.id).dismissals == ()
        with store.transaction() as conn:
            conn.execute("UPDATE drafts SET dismissals = '{not json' WHERE id = ?", (draft.id,))
        assert DraftStore(store).get(draft.id).text == POST


# -- drafter export --dismiss RULE=REASON ----------------------------------------------------------
def test_cli_dismiss_exports_without_accepting_warnings(tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    post.write_text(POST, encoding="utf-8")
    out = tmp_path / "out"
    args = ["export", str(post), "-c", "x", "--out", str(out), "--format", "json"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1
    done = runner.invoke(app, [*args, "--dismiss", "term.competitor=Zitat aus der Pressemitteilung"])
    assert done.exit_code == 0, done.output
    document = json.loads(done.stdout)["document"]
    assert [(d["rule"], d["excerpt"], d["reason"]) for d in document["dismissed"]] == [
        ("term.competitor", "Vodafone", "Zitat aus der Pressemitteilung")
    ]
    assert document["findings"] == []


def test_cli_dismiss_refuses_errors_and_bad_values(tmp_path: Path) -> None:
    post = tmp_path / "ad.txt"
    post.write_text(ERROR_POST, encoding="utf-8")
    out = tmp_path / "out"
    args = ["export", str(post), "-c", "x", "--out", str(out), "--dismiss"]
    refused = runner.invoke(app, [*args, "disclosure.employment=x"])
    assert refused.exit_code == 1 and "cannot be dismissed" in refused.stderr
    malformed = runner.invoke(app, [*args, "no-equals"])
    assert malformed.exit_code == 2 and "RULE=REASON" in malformed.stderr
    empty = runner.invoke(app, [*args, "term.competitor="])
    assert empty.exit_code == 1 and "reason" in empty.stderr
    assert not out.exists()


def test_cli_dismiss_of_a_rule_without_findings_warns(tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    post.write_text(POST, encoding="utf-8")
    args = ["export", str(post), "-c", "x", "--out", str(tmp_path / "o"), "--dismiss", "term.competitor=Zitat"]
    done = runner.invoke(app, [*args, "--dismiss", "tone.shouting=egal"])
    assert done.exit_code == 0, done.output
    assert "tone.shouting" in done.stderr and "no finding" in done.stderr
