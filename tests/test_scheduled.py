"""Embargo as scheduling: before a brief's ``not_before`` a post can be prepared and exported as
*scheduled* (the files carry the date), the embargo finding stays visible, other errors still block,
the clipboard stays closed until the date, and on/after the date nothing differs from an ordinary export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from brief_helpers import CONTEXT
from typer.testing import CliRunner

from drafter.briefs import Brief
from drafter.cli import app
from drafter.drafting import ExportRefused, copy_allowed, export_refusal
from drafter.findings import Severity
from drafter.workspace import Workspace

CLEAN = "Seit drei Jahren arbeite ich im Netzausbau in Köln und bin jeden Tag stolz auf unser Team. #Werkstolz"
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
LAUNCH = dt.date(2026, 12, 1)
runner = CliRunner()


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(settings_path=tmp_path / "settings.toml", store_path=tmp_path / "s.sqlite3", clock=lambda: NOW)


def launch_brief(**fields: object) -> Brief:
    data = {"id": "launch", "title": "Launch", "business_unit": "Produkt", "goal": "Werkstolz", **fields}
    return Brief.model_validate(data, context=CONTEXT)


def test_before_the_date_the_post_is_scheduled_not_blocked(ws: Workspace, tmp_path: Path) -> None:
    brief = launch_brief(not_before=LAUNCH.isoformat())
    check = ws.check_draft(CLEAN, channels=["linkedin"], brief=brief, date=dt.date(2026, 11, 30))
    embargo = [f for f in check.findings if f.rule == "embargo.not-before"]
    assert embargo and embargo[0].severity is Severity.ERROR  # still visible, at its level
    assert check.errors == embargo  # what `drafter lint` counts: posting today is still wrong
    assert check.held == embargo and check.gate_errors == []
    assert check.scheduled_for == LAUNCH and not check.blocked
    assert export_refusal(check, accept_warnings=False, lang="en") is None
    assert not copy_allowed(check)

    out = tmp_path / "out"
    outcome = ws.export_draft(check, brief_id=brief.id, out_dir=out)
    doc = json.loads(outcome.files.json.read_text(encoding="utf-8"))
    assert doc["scheduled_for"] == "2026-12-01" and doc == outcome.document
    assert "embargo.not-before" in {f["rule"] for f in doc["findings"]}  # the record says why
    markdown = outcome.files.markdown.read_text(encoding="utf-8")
    assert "Geplant: darf ab 01.12.2026 gepostet werden" in markdown  # the workspace speaks German


def test_on_and_after_the_date_nothing_changes(ws: Workspace, tmp_path: Path) -> None:
    brief = launch_brief(not_before=LAUNCH.isoformat())
    for day in (LAUNCH, LAUNCH + dt.timedelta(days=3)):
        check = ws.check_draft(CLEAN, channels=["linkedin"], brief=brief, date=day)
        assert check.scheduled_for is None and check.held == [] and copy_allowed(check)
        assert not any(f.category == "embargo" for f in check.findings)
    outcome = ws.export_draft(check, brief_id=brief.id, out_dir=tmp_path / "out")
    assert outcome.document["scheduled_for"] is None
    assert "Geplant" not in outcome.files.markdown.read_text(encoding="utf-8")


def test_other_errors_still_block_a_scheduled_post(ws: Workspace, tmp_path: Path) -> None:
    brief = launch_brief(not_before=LAUNCH.isoformat())
    leaky = CLEAN + " Schreibt mir: anna@example.org"
    check = ws.check_draft(leaky, channels=["linkedin"], brief=brief, date=dt.date(2026, 11, 1))
    assert check.scheduled_for == LAUNCH and check.blocked
    assert [f.rule for f in check.gate_errors] == ["confidentiality.data"]
    with pytest.raises(ExportRefused) as refused:
        ws.export_draft(check, brief_id=brief.id, accept_warnings=True, out_dir=tmp_path / "out")
    assert "1" in refused.value.reason and not (tmp_path / "out").exists()
    # the refusal's count leaves the embargo out, and says so: the list shows two errors (a new-user probe)
    assert len(check.errors) == 2
    reason = export_refusal(check, accept_warnings=True, lang="de")
    assert reason is not None and "1 Fehler" in reason and "Sperrfrist zählt nicht dazu" in reason
    plain = ws.check_draft(leaky, channels=["linkedin"], brief=brief, date=LAUNCH)
    assert "Sperrfrist" not in (export_refusal(plain, accept_warnings=True, lang="de") or "Sperrfrist")


def test_too_long_only_for_a_further_channel_says_the_way_out(ws: Workspace) -> None:
    """New-user probe: a LinkedIn post was refused as too long for X, a further channel, with nothing on how
    to get out of it but to shorten the post."""
    text = CLEAN + " Das Team hat in drei Monaten zwölf Straßen angeschlossen und dabei viel gelernt." * 3
    check = ws.check_draft(text, channels=["linkedin", "x"], date=LAUNCH)
    assert [f.rule for f in check.gate_errors] == ["length.limit"]
    reason = export_refusal(check, accept_warnings=True, lang="de", labels={"x": "X", "linkedin": "LinkedIn"})
    assert reason is not None and "Nur für X zu lang" in reason and "--channel" in reason  # no app: the CLI's way
    english = export_refusal(check, accept_warnings=True, lang="en")
    assert english is not None and "Too long only for x" in english
    # too long for the primary channel as well: shortening is the way, nothing more is said
    both = ws.check_draft(text * 4, channels=["x", "linkedin"], date=LAUNCH)
    assert "Too long only" not in (export_refusal(both, accept_warnings=True, lang="en") or "Too long only")


def test_an_expired_brief_is_no_schedule(ws: Workspace) -> None:
    brief = launch_brief(expires="2026-10-31")
    check = ws.check_draft(CLEAN, channels=["linkedin"], brief=brief, date=dt.date(2026, 11, 29))
    assert check.scheduled_for is None and copy_allowed(check)
    assert [f.rule for f in check.gate_warnings] == ["embargo.expired"]  # a warning to confirm, as before
    assert export_refusal(check, accept_warnings=False, lang="en") is not None


def test_cli_exports_as_scheduled_and_lint_still_fails_before_the_date(tmp_path: Path) -> None:
    brief_file = tmp_path / "b.md"
    brief_file.write_text(
        "---\nid: netz-spaeter\ntitle: Netzausbau\nbusiness_unit: Netz\ngoal: Werkstolz\n"
        "not_before: 2099-01-01\n---\nText\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["briefs", "import", str(brief_file)]).exit_code == 0
    out = tmp_path / "out"
    args = ["export", "-", "-c", "x", "--brief", "netz-spaeter", "--out", str(out)]
    result = runner.invoke(app, args, input=CLEAN)
    assert result.exit_code == 0, result.output
    assert "error embargo embargo.not-before" in result.stdout  # visible
    assert "scheduled: may be posted from 2099-01-01" in result.stdout
    (js,) = out.glob("*.json")
    assert json.loads(js.read_text(encoding="utf-8"))["scheduled_for"] == "2099-01-01"
    other = "Ab Januar baue ich mit meinem Team Glasfaser in ganz Bonn aus und freue mich darauf. #Werkstolz"
    as_json = runner.invoke(app, [*args, "--format", "json"], input=other)
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["scheduled_for"] == "2099-01-01"
    lint = runner.invoke(app, ["lint", "-", "-c", "x", "--brief", str(brief_file)], input=CLEAN)
    assert lint.exit_code == 1 and "embargo.not-before" in lint.stdout


@pytest.mark.parametrize(("lang", "label"), [("de", "Sperrfrist: erst ab 09.12.2026"), ("en", "embargo: from")])
def test_the_inbox_badge_names_the_first_day_a_post_may_go_out(lang: str, label: str) -> None:
    """ "Sperrfrist bis 09.12.2026" read as "up to and including the 9th" (a new-user probe), while the 9th is the
    first day a post may go out: the badge says "erst ab", as the finding does."""
    from drafter.tui.screens.inbox import brief_badges

    brief = Brief.model_validate(
        {"title": "T", "business_unit": "BU", "goal": "Werkstolz", "not_before": "2026-12-09"}, context=CONTEXT
    )
    (badge,) = [text for text, kind in brief_badges(brief, dt.date(2026, 12, 1), lang) if kind == "embargo"]
    assert badge.startswith(label)


def test_each_further_channel_too_long_is_its_own_finding_and_all_are_named(ws: Workspace) -> None:
    """Hostile probe: Threads and Mastodon, both too long at the same limit, were one finding ("1 error")
    while the refusal named both; the hint spoke of "that channel"."""
    text = CLEAN + " Das Team hat in drei Monaten zwölf Straßen angeschlossen und dabei viel gelernt." * 8
    check = ws.check_draft(text, channels=["linkedin", "threads", "mastodon"], date=LAUNCH)
    lengths = [f for f in check.gate_errors if f.category == "length"]
    assert len(lengths) == 2 and {f.message.split("]")[0] for f in lengths} == {"[Threads", "[Mastodon"}
    labels = {c: s.label for c, s in ws.guidelines.channels.items()}
    reason = export_refusal(check, accept_warnings=True, lang="en", labels=labels)
    assert reason is not None and "2 errors" in reason
    assert "Too long only for Threads, Mastodon: leave those channels out" in reason
