"""The AI panel in the compose screen, driven by Textual's pilot against a *real* local
OpenAI-compatible HTTP server (``tests/ai_server.py``; the app's worker streams from it over HTTP)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from ai_helpers import settings_toml
from ai_server import FakeProvider
from textual import events
from textual.widgets import OptionList, Static
from tui_helpers import make_app, new_free_draft

from drafter.authorship import Origin

SIZE = (150, 44)
TEXT = "Ich war beim Ausbau dabei. Glasfaser kommt auch im Winter."
GOOD = "Beim Ausbau war ich dabei."


@pytest.fixture
def server(drafter_home: Path) -> Iterator[FakeProvider]:
    with FakeProvider(json.dumps({"alternatives": [GOOD, "Ich war beim Aus\u200bbau dabei."]})) as provider:
        provider.state.chunk_size = 4
        (drafter_home / "config").mkdir(parents=True, exist_ok=True)
        (drafter_home / "config" / "settings.toml").write_text(
            'language = "en"\nonboarding_done = true\n' + settings_toml(provider.base_url), encoding="utf-8"
        )
        yield provider


def status_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#ai-status", Static).render())


async def panel_in_free_draft(pilot, typed: str = ""):  # type: ignore[no-untyped-def]
    """A free draft with ``typed`` typed and the AI panel opened (Ctrl+N); the compose screen."""
    await pilot.pause()
    screen = await new_free_draft(pilot)
    if typed:
        await pilot.press(*typed)
    await pilot.press("ctrl+n")
    await pilot.pause()
    return screen


async def open_panel_and_run(pilot, kind_index: int) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+n")
    await pilot.pause()
    kinds = pilot.app.screen.query_one("#ai-kinds", OptionList)
    assert kinds.has_focus
    kinds.highlighted = kind_index
    await pilot.press("enter")
    await pilot.pause()


async def test_rephrase_streams_is_gated_and_accepted_text_is_ai(server: FakeProvider) -> None:
    app = make_app(language="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        await pilot.press(*TEXT)
        screen.editor.move_cursor((0, 5))  # inside the first sentence: rephrase takes it
        await open_panel_and_run(pilot, 2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = screen.query_one("#ai-panel")
        assert [(s.text, s.blocked) for s in panel.suggestions] == [
            (GOOD, False),
            ("Ich war beim Aus\u200bbau dabei.", True),
        ]
        assert "1 blocked" in status_text(app)
        body = server.chats[0].body
        assert body is not None and body["stream"] is True and "Ich war beim Ausbau dabei." in server.chats[0].text
        options = screen.query_one("#ai-suggestions", OptionList)
        options.highlighted = 1  # the blocked one: Enter refuses, the draft stays
        await pilot.press("enter")
        await pilot.pause()
        assert screen.editor.text == TEXT
        assert any("blocked" in str(n.message) for n in app._notifications)
        options.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert screen.editor.text == TEXT.replace("Ich war beim Ausbau dabei.", GOOD)
        origins = screen.record.origins()
        kept = len(" dabei.")  # the end the rephrasing leaves unchanged keeps its author (authorship.replace)
        assert origins[: len(GOOD) - kept] == [Origin.AI] * (len(GOOD) - kept)
        assert origins[len(GOOD) - kept :] == [Origin.TYPED] * (len(screen.editor.text) - len(GOOD) + kept)
        # the same text pasted later counts as AI text as well
        screen.editor.move_cursor((0, len(screen.editor.text)))
        app.post_message(events.Paste(" " + GOOD))  # copied from the panel
        await pilot.pause()
        assert screen.record.origins()[-5:] == [Origin.AI] * 5


async def test_a_failing_server_shows_a_message_and_leaves_the_draft(server: FakeProvider) -> None:
    server.state.mode = "500"
    app = make_app(language="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        await pilot.press(*TEXT)
        await open_panel_and_run(pilot, 0)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = status_text(app)
        assert "The server failed." in text and "HTTP 500" in text and "unchanged" in text
        assert screen.editor.text == TEXT


async def test_escape_cancels_a_running_request(server: FakeProvider) -> None:
    server.state.chunk_delay = 0.2  # a slow stream (about 6 s)
    app = make_app(language="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        await pilot.press(*TEXT)
        await open_panel_and_run(pilot, 2)
        panel = screen.query_one("#ai-panel")
        for _ in range(100):  # until the stream has begun
            if "Receiving" in status_text(app):
                break
            await pilot.pause(0.05)
        assert panel.running, status_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not panel.running and "Cancelled" in status_text(app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert panel.suggestions == [] and screen.editor.text == TEXT


async def test_what_will_be_sent_can_be_seen_before_sending(server: FakeProvider) -> None:
    app = make_app(language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await panel_in_free_draft(pilot, "Schreib mir an max@example.org. ")
        await pilot.press("w")
        await pilot.pause()
        preview = str(app.screen.query_one("#ai-preview-text", Static).render())
        assert f"POST {server.base_url}/chat/completions" in preview
        assert "[E-MAIL]" in preview and "max@example.org" not in preview
        assert server.requests == []  # showing is not sending
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_without_configuration_the_panel_says_how(drafter_home: Path) -> None:
    app = make_app(language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await panel_in_free_draft(pilot)
        setup = str(screen.query_one("#ai-setup", Static).render())
        assert "not configured" in setup and "[ai]" in setup and "enabled = true" in setup
        assert f"add to {drafter_home / 'config' / 'settings.toml'}:" in setup  # which file, in full
        assert not screen.query_one("#ai-kinds", OptionList).display


async def test_without_configuration_the_panel_closes_again(drafter_home: Path) -> None:
    """With AI off the panel holds only its explanation, nothing to focus: Ctrl+N closes it again (a new-user
    probe found it stuck open, half the width, until the draft was left)."""
    from drafter.tui.ai_panel import AiPanel

    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        screen = await panel_in_free_draft(pilot)
        assert len(screen.query(AiPanel)) == 1
        assert app.focused is screen.editor  # nothing in the panel takes the focus
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert len(screen.query(AiPanel)) == 0
        assert app.focused is screen.editor
        await pilot.press("ctrl+n")  # and opens again
        await pilot.pause()
        assert len(screen.query(AiPanel)) == 1


async def test_without_configuration_esc_closes_the_panel_and_its_hint_offers_no_enter(drafter_home: Path) -> None:
    """With AI off the panel's hint said "Enter startet", though Enter goes into the text, and Esc left the
    draft with the panel still open (a new-user probe). Esc closes the panel first; the next Esc leaves."""
    from drafter.tui.ai_panel import AiPanel
    from drafter.tui.screens.compose import ComposeScreen

    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        screen = await panel_in_free_draft(pilot, "Hallo")
        status = str(screen.query_one("#ai-status", Static).render())
        assert "Enter" not in status and "Esc" in status
        # no empty box for suggestions that cannot come (a new-user probe)
        assert not screen.query_one("#ai-suggestions").display
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and not screen.query(AiPanel)
        assert screen.editor.text == "Hallo"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ComposeScreen)


async def test_without_configuration_typing_goes_on_and_a_burst_of_presses_is_harmless(drafter_home: Path) -> None:
    """With AI off nothing in the panel takes the focus: what is typed after Ctrl+N lands in the text (a hidden
    list took it before, a hostile probe). Ctrl+N pressed again and again at once neither crashes the app (the
    panel was closed before it had mounted) nor loses the text."""
    from drafter.tui.ai_panel import AiPanel

    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        screen = await panel_in_free_draft(pilot, "Hallo ")
        await pilot.press(*"Welt")
        await pilot.pause()
        assert screen.editor.text == "Hallo Welt"
        await pilot.press("ctrl+n")  # closes it
        await pilot.pause()
        assert not screen.query(AiPanel)
        for _ in range(6):  # queued at once, no pause between them
            app.post_message(events.Key("ctrl+n", None))
        await pilot.pause()
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert screen.editor.text == "Hallo Welt" and len(screen.query(AiPanel)) <= 1


async def test_a_panel_being_closed_is_not_focused(drafter_home: Path) -> None:
    """A burst of Ctrl+N (tmux, 15 presses; a hostile probe) crashed the app: the panel's children were gone
    while the panel itself was still attached, and the focus asked after a refresh found no kinds list
    (NoMatches). A panel in that state is left alone, and the text stays."""
    from drafter.tui.ai_panel import AiPanel

    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        screen = await panel_in_free_draft(pilot, "Hallo")
        panel = screen.query_one(AiPanel)
        await panel.remove_children()  # the state between a close's two steps
        assert panel.is_attached
        panel.focus_panel()
        assert not panel.can_focus_something
        await pilot.pause()
        assert app.is_running and screen.editor.text == "Hallo"


async def test_the_settings_path_in_the_ai_off_message_is_plain_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path comes from DRAFTER_HOME (untrusted): markup in it is shown as typed, an escape character
    escaped, never sent to the terminal."""
    home = tmp_path / "[b]home[/b] \x1b[31m"
    monkeypatch.setenv("DRAFTER_HOME", str(home))
    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        screen = await panel_in_free_draft(pilot)
        setup = str(screen.query_one("#ai-setup", Static).render())
        assert "nicht eingerichtet" in setup
        assert f"in {tmp_path / '[b]home[/b] '}" in setup and "settings.toml ergänzen:" in setup
        assert "\x1b" not in setup


async def test_without_configuration_the_german_panel_stays_german(drafter_home: Path) -> None:
    """Switched off, the panel's German explanation is all there is: no English detail after it."""
    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        screen = await panel_in_free_draft(pilot)
        setup = str(screen.query_one("#ai-setup", Static).render())
        assert "nicht eingerichtet" in setup and "enabled = true" in setup
        assert "AI suggestions are off" not in setup and "settings.toml (or" not in setup


def test_start_up_imports_nothing_ai(tmp_path: Path) -> None:
    """A compose screen opens without importing drafter.ai, langchain or openai."""
    code = (
        "import asyncio, sys\n"
        "sys.path.insert(0, 'tests')\n"
        "from tui_helpers import make_app, new_free_draft\n"
        "async def main():\n"
        "    app = make_app(language='en')\n"
        "    async with app.run_test(size=(120, 40)) as pilot:\n"
        "        await pilot.pause()\n"
        "        await new_free_draft(pilot)\n"
        "        await app.workers.wait_for_complete()\n"
        "    print(sorted(m for m in sys.modules if m.split('.')[0] in ('langchain_core', 'langchain_openai', 'openai')"
        " or m.startswith('drafter.ai')))\n"
        "asyncio.run(main())\n"
    )
    env = {"DRAFTER_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=Path(__file__).parent.parent,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


async def test_the_suggestion_list_is_reached_by_keys_and_the_footer_names_them(server: FakeProvider) -> None:
    from drafter.tui.footer import footer_keys

    app = make_app(language="en")
    async with app.run_test(size=(170, 44)) as pilot:  # key names as help has them (Ctrl+P, not ^p) take room
        await pilot.pause()
        screen = await new_free_draft(pilot)
        await pilot.press(*TEXT)
        screen.editor.move_cursor((0, 5))
        await open_panel_and_run(pilot, 2)
        suggestions = screen.query_one("#ai-suggestions", OptionList)
        assert app.focused is suggestions  # from the key that started the run on
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.focused is suggestions and suggestions.highlighted == 0
        await pilot.pause(0.2)  # the footer rebuilds after the focus moved
        footer = {(k.key, k.description) for k in footer_keys(app.screen)}
        assert ("enter", "Accept") in footer
        assert ("d", "Dismiss") in footer
        await pilot.press("shift+tab")
        assert app.focused is screen.query_one("#ai-kinds", OptionList)
        await pilot.press("tab")
        assert app.focused is suggestions
        await pilot.press("enter")  # accepts the first (unblocked) rephrasing
        await pilot.pause()
        assert screen.editor.text == TEXT.replace("Ich war beim Ausbau dabei.", GOOD)
        assert app.focused is screen.editor
        await pilot.press("ctrl+n")  # back to the one suggestion left
        await pilot.pause()
        assert app.focused is suggestions and len(screen.query_one("#ai-panel").suggestions) == 1


async def test_the_panel_gives_up_on_an_endless_empty_stream(server: FakeProvider, drafter_home: Path) -> None:
    server.state.mode = "drip"  # an empty chunk every 0.1 s, for 20 s: every read is in time
    (drafter_home / "config" / "settings.toml").write_text(
        'language = "en"\nonboarding_done = true\n' + settings_toml(server.base_url, timeout=1.0), encoding="utf-8"
    )
    app = make_app(language="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        await pilot.press(*TEXT)
        await open_panel_and_run(pilot, 0)
        panel = screen.query_one("#ai-panel")
        await pilot.pause(0.3)
        await pilot.press("escape")  # Esc works while the empty chunks come
        await pilot.pause()
        assert not panel.running and "Cancelled" in status_text(app)
        kinds = screen.query_one("#ai-kinds", OptionList)
        kinds.focus()
        kinds.highlighted = 0
        await pilot.press("enter")
        for _ in range(100):  # the deadline: 1 s after sending
            if not panel.running:
                break
            await pilot.pause(0.05)
        text = status_text(app)
        assert "The server did not answer in time." in text and "did not finish its answer within 1 s" in text
        assert screen.editor.text == TEXT


async def test_the_panel_is_usable_at_80x24(server: FakeProvider) -> None:
    """The smallest supported terminal: every kind on its own line, room for the suggestions, and the
    list's keys in the footer (short labels: the footer drops keys that do not fit whole)."""
    from drafter.tui.footer import footer_keys

    app = make_app(language="de")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        await pilot.press(*TEXT)
        screen.editor.move_cursor((0, 5))
        await open_panel_and_run(pilot, 2)
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        kinds = screen.query_one("#ai-kinds", OptionList)
        assert kinds.scrollable_content_region.height >= kinds.option_count == 4
        assert kinds.max_scroll_y == 0
        suggestions = screen.query_one("#ai-suggestions", OptionList)
        assert suggestions.scrollable_content_region.height >= 3
        footer = {(k.key, k.description) for k in footer_keys(app.screen)}
        assert {("enter", "Übernehmen"), ("escape", "Abbrechen"), ("d", "Verwerfen")} <= footer


async def test_suggestions_for_a_changed_text_are_dropped_not_accepted(server: FakeProvider) -> None:
    app = make_app(language="de")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        await pilot.press(*TEXT)
        screen.editor.move_cursor((0, 5))
        await open_panel_and_run(pilot, 2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = screen.query_one("#ai-panel")
        stale = panel.suggestions[0]
        assert not stale.blocked
        await pilot.press("escape")  # back to the text
        assert app.focused is screen.editor
        screen.editor.text = "Ganz anderer Text über den Netzausbau."
        await pilot.pause()
        assert panel.accept(stale) is False  # refused, whatever way it is reached
        assert screen.editor.text == "Ganz anderer Text über den Netzausbau."
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.focused is screen.query_one("#ai-kinds", OptionList)
        assert panel.suggestions == [] and screen.query_one("#ai-suggestions", OptionList).option_count == 0
        status = str(screen.query_one("#ai-status", Static).render())
        assert "Der Text hat sich geändert – bitte neu anfragen." in status
        await pilot.press("down", "down", "enter")  # the kinds: starts a new run, accepts nothing stale
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.editor.text == "Ganz anderer Text über den Netzausbau."


async def test_what_the_panel_loads_is_kept_out_of_full_gc_passes(server: FakeProvider) -> None:
    """The libraries the panel loads (langchain, openai) are frozen as the app freezes its own objects
    (``gc_freeze``, as ``drafter`` runs): full cyclic-GC passes over them stalled the UI for 100 ms and more.
    (Checked by the freeze that follows the warm-up, with langchain loaded: the process's freeze count alone
    also falls as frozen objects are freed, and other tests in this process may have loaded langchain.)"""
    import gc
    import sys

    app = make_app(language="en", gc_freeze=True)
    frozen_after: list[bool] = []
    freeze = app.freeze_gc

    def recording(collect: bool = False) -> None:
        freeze(collect)
        frozen_after.append("langchain_openai" in sys.modules)

    app.freeze_gc = recording  # type: ignore[method-assign]
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await new_free_draft(pilot)
            await pilot.pause(0.2)
            await app.workers.wait_for_complete()
            before = len(frozen_after)
            await pilot.press("ctrl+n")
            # the warm-up (langchain and openai loaded) starts once the panel is mounted: on a busy machine
            # that can be after one pause, so wait for it, bounded
            for _ in range(100):
                await pilot.pause(0.1)
                await app.workers.wait_for_complete()
                if len(frozen_after) > before:
                    break
            assert frozen_after[before:] == [True]  # frozen once, after langchain_openai was loaded
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
