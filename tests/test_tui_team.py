"""The workspace with a team store: it syncs in the background at start, checks drafts against
colleagues' posts without waiting on the network, and keeps working when the server is gone."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import psycopg
import pytest
from team_helpers import pg_db, pg_server  # noqa: F401  (fixtures)
from tui_helpers import make_app, new_free_draft
from typer.testing import CliRunner

from drafter.cli import app as cli_app

SIZE = (150, 45)
SAMPLES = Path(__file__).resolve().parent.parent / "drafter" / "samples" / "briefs"
COLLEAGUE = (
    "Seit drei Jahren baue ich mit meinem Team das Glasfasernetz in Köln aus und bin jeden Tag stolz "
    "auf die Kolleginnen und Kollegen, die bei jedem Wetter draußen sind. #Werkstolz"
)
runner = CliRunner()


def _member(owner: str, name: str, role: str) -> str:
    result = runner.invoke(
        cli_app, ["team", "add-member", name, "--role", role, "--url", owner, "--format", "json",
                  "--display-name", name.title()],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)["url"])


async def _wait(pilot, condition, seconds: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.1)


async def test_app_syncs_at_start_and_flags_a_colleagues_post(
    pg_db: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    assert runner.invoke(cli_app, ["team", "init", "--url", pg_db]).exit_code == 0
    suffix = pg_db.rsplit("/", 1)[1].split("?")[0]
    unit = _member(pg_db, f"unit{suffix}", "unit")
    colleague = _member(pg_db, f"kollegin{suffix}", "ambassador")
    me = _member(pg_db, f"ich{suffix}", "ambassador")
    team_brief = tmp_path / "team-brief.md"
    team_brief.write_text(
        "---\nid: netz-team-1\ntitle: Glasfaser im Winter\nbusiness_unit: Netz\ngoal: Werkstolz\n---\nText.\n",
        encoding="utf-8",
    )
    briefs = [str(p) for p in SAMPLES.glob("*.md")] + [str(team_brief)]
    published = runner.invoke(cli_app, ["briefs", "publish", *briefs], env={"DRAFTER_TEAM_URL": unit})
    assert published.exit_code == 0, published.stderr
    post = tmp_path / "post.txt"
    post.write_text(COLLEAGUE, encoding="utf-8")
    exported = runner.invoke(
        cli_app, ["export", str(post), "--channel", "linkedin", "--accept-warnings"],
        env={"DRAFTER_TEAM_URL": colleague, "DRAFTER_HOME": str(tmp_path / "colleague")},
    )  # fmt: skip
    assert exported.exit_code == 0, exported.stderr

    monkeypatch.setenv("DRAFTER_TEAM_URL", me)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _wait(pilot, lambda: app.workspace.team is not None and app.workspace.team.state.get("last_sync"))
        from drafter.brief_store import BriefStore
        from drafter.tui.screens.inbox import brief_badges

        with app.workspace.open_store() as store:
            summaries = {s.id: s for s in BriefStore(store).list_summaries()}
        assert summaries["netz-team-1"].source == "team"  # the inbox marks it
        assert ("Team", "team") in brief_badges(summaries["netz-team-1"], app.today(), "de")
        compose = await new_free_draft(pilot)
        copy = COLLEAGUE.replace("#Werkstolz", "#LoveMagenta")
        started = time.perf_counter()
        compose.editor.insert(copy, compose.editor.document.end)
        await pilot.pause()
        assert time.perf_counter() - started < 5  # the first check never waits for the server

        def flagged() -> bool:
            check = compose.check_result
            found = check.findings if check is not None else []
            return any(f.category == "originality" and f"Kollegin{suffix}" in f.message for f in found)

        for _ in range(50):  # later keystrokes see the candidates the background lookup brought
            compose.editor.insert(" ", compose.editor.document.end)
            await pilot.pause(0.5)  # the corpus (with the team's posts) is asked after a pause in typing
            if flagged():
                break
        assert flagged()
    with psycopg.connect(pg_db) as conn:
        assert conn.execute("SELECT count(*) FROM drafter.briefs").fetchone() == (6,)


async def test_app_works_locally_when_the_team_store_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("DRAFTER_TEAM_URL", f"postgresql://nobody@127.0.0.1:{port}/drafter?sslmode=disable")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        compose = await new_free_draft(pilot)
        started = time.perf_counter()
        compose.editor.insert(COLLEAGUE, compose.editor.document.end)
        await pilot.pause()
        assert time.perf_counter() - started < 5
        await _wait(pilot, lambda: any("Team" in str(n.message) for n in app._notifications))
