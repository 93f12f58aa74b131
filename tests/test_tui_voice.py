"""Issue 13 in the workspace: the voice score in the side panel (debounced, in a worker) and Shift+F9 reasons."""

from __future__ import annotations

import asyncio
from pathlib import Path

from test_voice import DU_POSTS, FITTING, FORMAL_SIE
from textual import events
from tui_helpers import make_app, new_free_draft

from drafter.store import Store
from drafter.tui import voice_panel
from drafter.tui.voice_panel import VoicePanel
from drafter.voice import VoiceStore

SIZE = (140, 42)


def seed_profile() -> None:
    with Store() as store:
        VoiceStore(store).add([(f"seed#{i}", text) for i, text in enumerate(DU_POSTS)])


async def wait_for(pilot, condition, seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not met in time")


async def test_live_voice_score_is_debounced_and_reasons_on_shift_f9(drafter_home: Path) -> None:
    seed_profile()
    app = make_app(language="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        panel = screen.query_one("#voice-panel", VoicePanel)
        await wait_for(pilot, lambda: panel.has_class("-ready"))
        assert panel.display
        editor = screen.editor
        app.post_message(events.Paste(FORMAL_SIE))
        await pilot.pause()
        # right after the edit nothing is scored yet: scoring waits until typing pauses
        assert panel.scored_version != editor.text_version
        await wait_for(pilot, lambda: panel.scored_version == editor.text_version)
        assert panel.result is not None and panel.result.score is not None and panel.result.score < 50
        assert "/ 100 like you" in str(panel.render())
        await pilot.press("shift+f9")
        await pilot.pause()
        notes = " ".join(str(n.message) for n in app._notifications)
        assert "Where the text drifts from your voice" in notes
        assert "Sie instead of du" in notes
        # while typing goes on, the score is not recomputed per keystroke
        before = panel.scored_version
        for key in " Danke":
            await pilot.press(key)
            assert panel.scored_version == before
        editor.text = FITTING
        await wait_for(pilot, lambda: panel.scored_version == editor.text_version)
        assert panel.result is not None and panel.result.score is not None and panel.result.score >= 70


async def test_scoring_runs_in_a_worker_not_on_the_ui_thread(drafter_home: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import threading

    import drafter.voice

    seed_profile()
    threads: list[str] = []
    real = drafter.voice.score

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(drafter.voice, "score", spy)
    monkeypatch.setattr(voice_panel, "DEBOUNCE", 0.1)
    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        panel = screen.query_one("#voice-panel", VoicePanel)
        await wait_for(pilot, lambda: panel.has_class("-ready"))
        await pilot.press(*"Heute wieder Glasfaser verlegt")
        await wait_for(pilot, lambda: panel.scored_version == screen.editor.text_version)
        assert threads and threading.main_thread().name not in threads
        assert "/ 100 wie du" in str(panel.render())


async def test_no_profile_keeps_the_panel_hidden_and_shift_f9_says_so(drafter_home: Path) -> None:
    app = make_app(language="de")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        panel = screen.query_one("#voice-panel", VoicePanel)
        await asyncio.sleep(0.3)
        await pilot.pause()
        assert not panel.has_class("-ready") and not panel.display
        await pilot.press("shift+f9")
        await pilot.pause()
        notes = " ".join(str(n.message) for n in app._notifications)
        # how to get a profile, not only that there is none (a new-user probe of the twenty-second session)
        assert "Noch kein Stimmprofil" in notes and "drafter voice import" in notes


async def test_a_profile_of_too_few_posts_says_how_many_are_needed(drafter_home: Path) -> None:
    with Store() as store:
        VoiceStore(store).add([(f"seed#{i}", text) for i, text in enumerate(DU_POSTS[:2])])
    app = make_app(language="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await new_free_draft(pilot)
        await asyncio.sleep(0.3)
        await pilot.pause()
        await pilot.press("shift+f9")
        await pilot.pause()
        notes = " ".join(str(n.message) for n in app._notifications)
        assert "Too few posts in the profile (2); at least 5." in notes


async def test_onboarding_offers_the_import(drafter_home: Path) -> None:
    from textual.widgets import Input

    from drafter.tui.screens.settings import SettingsScreen

    posts = drafter_home / "meine posts.txt"
    posts.write_text("\n\n".join(DU_POSTS), encoding="utf-8")
    app = make_app(onboarding=None, language="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen) and screen.onboarding
        screen.query_one("#set-voice-import", Input).value = str(posts)
        screen.query_one("#settings-save").press()
        await wait_for(pilot, lambda: any("Voice profile:" in str(n.message) for n in app._notifications))
        notes = " ".join(str(n.message) for n in app._notifications)
        assert f"{len(DU_POSTS)} posts added, 0 duplicates, 0 reposts skipped" in notes
    with Store() as store:
        assert VoiceStore(store).count() == {"import": len(DU_POSTS)}


async def test_onboarding_import_of_a_bad_file_says_where(drafter_home: Path) -> None:
    from textual.widgets import Input

    bad = drafter_home / "outbox.json"
    bad.write_text('{"orderedItems": 3}', encoding="utf-8")
    app = make_app(onboarding=None, language="de")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        app.screen.query_one("#set-voice-import", Input).value = str(bad)
        app.screen.query_one("#settings-save").press()
        await wait_for(pilot, lambda: any("fehlgeschlagen" in str(n.message) for n in app._notifications))
        notes = " ".join(str(n.message) for n in app._notifications)
        assert "Feld „orderedItems“" in notes  # said in the UI language (issue 11 item 11)
    with Store() as store:
        assert VoiceStore(store).count() == {}
