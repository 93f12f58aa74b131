"""Compose side panels (issue 11 items 8 and 13): sized to their content at 80×24 and 140×42, the brief's
own hashtags offered, and the disclosure fix with exactly the profile's marker."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from tui_helpers import make_app, new_free_draft

from drafter.tui.screens.compose import AuthorshipMeter, ComposeScreen
from drafter.tui.widgets import FindingsList, HashtagPanel


async def _ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    for _ in range(800):
        if pilot.app.models_ready:
            break
        await pilot.pause(0.025)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _open_handys(pilot) -> ComposeScreen:  # type: ignore[no-untyped-def]
    await _ready(pilot)
    await pilot.press(*"Handys", "enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ComposeScreen)
    return screen


def _fits(meter: AuthorshipMeter, lines: list[str], size: tuple[int, int]) -> None:
    """Every line on one row and the panel as tall as its lines: nothing wraps, nothing is cut off."""
    inner = meter.content_region
    assert inner.width >= max(len(line) for line in lines)
    assert inner.height == len(lines)
    assert meter.region.y + meter.region.height <= size[1] - 1  # above the footer


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("size", [(80, 24), (140, 42)], ids=["80x24", "140x42"])
async def test_authorship_lines_never_wrap_and_findings_get_the_room(lang: str, size: tuple[int, int]) -> None:
    app = make_app(language=lang)
    async with app.run_test(size=size) as pilot:
        screen = await _open_handys(pilot)
        await pilot.press(*"Ich habe meine alten Handys abgegeben. Macht mit!!")
        await pilot.pause()
        meter = screen.query_one(AuthorshipMeter)
        lines = str(meter.render()).splitlines()
        assert len(lines) == 6, lines  # four shares, the brief's phrases, the policy
        assert any("100 %" in line for line in lines) and lines[-1].startswith(("✔", "✖"))
        _fits(meter, lines, size)
        # a paste attested as the author's own adds the widest label ("anderswo selbst")
        app.post_message(events.Paste(" Notiz von gestern, von mir geschrieben."))
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        lines = str(meter.render()).splitlines()
        assert len(lines) == 7, lines
        _fits(meter, lines, size)
        # the short draft leaves the editor small and the findings list the rest
        editor, findings = screen.editor, screen.query_one(FindingsList)
        assert editor.region.height < findings.region.height
        assert editor.region.height >= 6


async def test_the_editor_grows_with_the_text_up_to_a_limit() -> None:
    app = make_app(language="de")
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await _open_handys(pilot)
        small = screen.editor.region.height
        await pilot.press(*[*"Zeile", "enter"] * 10)
        await pilot.pause()
        grown = screen.editor.region.height
        assert grown > small
        await pilot.press(*[*"Zeile", "enter"] * 16)
        await pilot.pause()
        body = screen.query_one("#center-pane").region.height
        assert screen.editor.region.height <= body * 0.6 + 1  # at most 60 %: findings stay visible
        assert screen.query_one(FindingsList).region.height >= 5


async def test_the_hashtag_panel_offers_the_briefs_own_hashtags() -> None:
    app = make_app(language="de")
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await _open_handys(pilot)
        assert screen.brief is not None
        panel = screen.query_one(HashtagPanel)
        goal_tags = {str(g.hashtag) for g in app.guidelines.goals}
        own = [tag for tag in screen.brief.hashtags if tag not in goal_tags]
        assert own == ["#Nachhaltigkeit", "#Kreislaufwirtschaft"]
        ids = [panel.get_option_at_index(i).id for i in range(panel.option_count)]
        assert ids[-2:] == ["brief:0", "brief:1"]
        assert panel.hashtag("brief:1") == "#Kreislaufwirtschaft"
        await pilot.press("ctrl+t")
        assert panel.has_focus
        panel.highlighted = ids.index("brief:1")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.editor.text.rstrip().endswith("#Kreislaufwirtschaft")


async def test_the_disclosure_fix_is_exactly_the_profiles_marker(drafter_home: Path) -> None:
    from drafter.settings import Settings, save_settings

    marker = "#TelekomMitarbeiterin"
    save_settings(Settings(disclosure_marker=marker, onboarding_done=True), drafter_home / "config" / "settings.toml")
    app = make_app(language="de")
    async with app.run_test(size=(140, 42)) as pilot:
        await _ready(pilot)
        screen = await new_free_draft(pilot)
        await pilot.press(*"Jetzt 30 % Rabatt auf MagentaTV!")
        await pilot.pause()
        assert "disclosure.employment" in {f.rule for f in screen.editor.findings}
        await pilot.press("f4")  # the cursor is at the end, where the marker goes
        await pilot.pause()
        assert screen.editor.text == f"Jetzt 30 % Rabatt auf MagentaTV! {marker}"
        assert "disclosure.employment" not in {f.rule for f in screen.editor.findings}
        # F4 on the disclosure error itself (the cursor on "Rabatt", far from the end) adds the marker too
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert screen.editor.text == "Jetzt 30 % Rabatt auf MagentaTV!"
        (error,) = [f for f in screen.editor.findings if f.rule == "disclosure.employment"]
        screen.editor.move_cursor(screen.editor.offset_to_location(error.start + 1))
        await pilot.press("f4")
        await pilot.pause()
        assert screen.editor.text == f"Jetzt 30 % Rabatt auf MagentaTV! {marker}"


@pytest.mark.parametrize(("height", "rows"), [(42, 8), (90, 90 - 34)])
async def test_the_briefs_text_gets_the_rows_a_tall_screen_has(height: int, rows: int) -> None:
    """On a 90-row terminal the brief's text stayed at 8 rows with some 50 empty rows below (a new-user probe);
    on the usual sizes it keeps its 8."""
    from textual.containers import VerticalScroll

    from drafter.tui.widgets import BriefPanel

    app = make_app()
    async with app.run_test(size=(160, height)) as pilot:
        screen = await _open_handys(pilot)
        (scroll,) = screen.query_one(BriefPanel).query(VerticalScroll)
        assert scroll.styles.max_height is not None and scroll.styles.max_height.value == rows
        assert scroll.size.height > 8 if height == 90 else scroll.size.height <= 8


async def test_the_panels_own_share_reads_as_the_policy_finding_says_it() -> None:
    """New-user probe: the panel said "selbst 64 %" beside the finding "Nur 63 % … selbst geschrieben"."""
    from drafter.authorship import AuthorshipPolicy, AuthorshipSummary, Origin, evaluate

    summary = AuthorshipSummary({Origin.TYPED: 636, Origin.PASTED: 364})
    (finding,) = evaluate(summary, AuthorshipPolicy(min_own_share=0.7), "de")
    assert "Nur 63 %" in finding.message
    app = make_app(language="de")
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await _open_handys(pilot)
        meter = screen.query_one(AuthorshipMeter)
        meter.show(summary, True, 0.0, "de")
        await pilot.pause()
        (typed,) = [line for line in str(meter.render()).splitlines() if line.startswith("selbst")]
        assert typed.endswith(" 63 %"), typed


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_the_first_key_typed_does_not_narrow_the_editor(lang: str) -> None:
    """The authorship panel said "Noch kein Text." in a narrow box and widened on the first key, so the editor beside
    it jumped narrower (a new-user probe of the twenty-second session): the empty panel is as wide as the shares."""
    app = make_app(language=lang)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _open_handys(pilot)
        meter = screen.query_one(AuthorshipMeter)
        before = (screen.editor.region.width, meter.region.width)
        await pilot.press("H")
        await pilot.pause()
        assert (screen.editor.region.width, meter.region.width) == before
