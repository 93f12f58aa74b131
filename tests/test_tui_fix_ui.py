"""Findings of a new-user probe of the German UI: the AI panel's error details, its progress line,
Textual's own English texts, cut-off panels and palette search words."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from ai_helpers import settings_toml
from ai_server import FakeProvider
from textual.widgets import OptionList, Static
from tui_helpers import make_app, new_free_draft

SIZE = (140, 42)
TEXT = "Ich war beim Ausbau dabei. Glasfaser kommt auch im Winter."
#: words of the English details that must not appear in the German panel
ENGLISH = {
    "the",
    "answer",
    "from",
    "does",
    "not",
    "match",
    "expected",
    "shape",
    "field",
    "list",
    "should",
    "have",
    "least",
    "items",
    "after",
    "validation",
    "cannot",
    "connect",
    "failed",
    "stopped",
}


def write_settings(home: Path, base_url: str) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "settings.toml").write_text(
        'language = "de"\nonboarding_done = true\n' + settings_toml(base_url), encoding="utf-8"
    )


@pytest.fixture
def two_angles(drafter_home: Path) -> Iterator[FakeProvider]:
    with FakeProvider(json.dumps({"angles": ["Was hast du gesehen?", "Wer war dabei?"]})) as provider:
        write_settings(drafter_home, provider.base_url)
        yield provider


def status_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#ai-status", Static).render())


async def run_angles(app, size: tuple[int, int] = SIZE) -> str:  # type: ignore[no-untyped-def]
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await new_free_draft(pilot)
        await pilot.press(*TEXT)
        await pilot.press("ctrl+n")
        await pilot.pause()
        kinds = app.screen.query_one("#ai-kinds", OptionList)
        kinds.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = app.screen.query_one("#ai-status", Static)
        needed = status.get_content_height(status.size, app.size, status.content_region.width)
        assert status.content_region.height >= needed, (status.content_region.height, needed)  # read whole
        return status_text(app)


def english_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z]+", text.lower())} & ENGLISH


async def test_a_shape_mismatch_is_detailed_in_german(two_angles: FakeProvider) -> None:
    text = await run_angles(make_app(language="de"))
    assert "Die Antwort war nicht lesbar." in text
    assert "nicht die erwartete Form (Feld angles: zu wenige Einträge (2, mindestens 3))" in text
    assert "127.0.0.1" in text
    assert not english_words(text), text


async def test_an_unreachable_server_is_detailed_in_german(drafter_home: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    write_settings(drafter_home, f"http://127.0.0.1:{port}/v1")
    text = await run_angles(make_app(language="de"))
    assert "Der Server ist nicht erreichbar." in text
    assert f"Keine Verbindung zu http://127.0.0.1:{port}/v1" in text
    assert not english_words(text), text


async def test_an_error_is_shown_whole_at_80x24(two_angles: FakeProvider) -> None:
    """The compact panel's two status lines cut the reason and "Dein Entwurf ist unverändert" off."""
    text = await run_angles(make_app(language="de"), size=(80, 24))
    assert "Die Antwort war nicht lesbar." in text and "unverändert" in text


async def test_the_progress_line_shows_no_raw_json(two_angles: FakeProvider) -> None:
    two_angles.state.chunk_delay = 0.1  # a slow stream: the progress line is seen
    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await new_free_draft(pilot)
        await pilot.press(*TEXT)
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.screen.query_one("#ai-kinds", OptionList).highlighted = 0
        await pilot.press("enter")
        seen = ""
        for _ in range(200):
            await pilot.pause(0.05)
            text = status_text(app)
            if "Empfange" in text and "Zeichen" in text:
                seen = text
                if int(re.sub(r"\D", "", text.split("Empfange")[1]) or 0) > 10:
                    break
        assert seen, status_text(app)
        assert "{" not in seen and '"' not in seen and "angles" not in seen, seen
        await pilot.press("escape")
        await app.workers.wait_for_complete()


def footer_text(app) -> str:  # type: ignore[no-untyped-def]
    from drafter.tui.footer import footer_keys

    return " ".join(f"{k.key_display} {k.description}" for k in footer_keys(app.screen))


async def test_an_open_channel_list_names_its_key_in_german(drafter_home: Path) -> None:
    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        screen.query_one("#channel-select").focus()
        await pilot.pause()
        await pilot.press("enter")  # the dropdown opens
        for _ in range(20):
            await pilot.pause(0.05)
            if "Liste schließen" in footer_text(app):
                break
        text = footer_text(app)
        assert "Liste schließen" in text and "Dismiss" not in text, text


async def test_the_palette_screenshot_goes_to_the_data_folder_in_german(drafter_home: Path) -> None:
    from drafter import paths

    app = make_app(language="de")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Bildschirmfoto")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.5)
        saved = list((paths.data_dir() / "screenshots").glob("*.svg"))
        assert len(saved) == 1
        messages = [str(n.message) for n in app._notifications]
        assert any(m.startswith("Bildschirmfoto gespeichert: ") and str(saved[0]) in m for m in messages), messages
        assert not any("Screenshot saved" in m or "Failed" in m for m in messages), messages


async def _models_ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    for _ in range(200):
        if pilot.app.models_ready:
            break
        await pilot.pause(0.025)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(140, 42), (80, 24)])
async def test_gauges_keep_their_count_and_the_brief_title_ends_in_an_ellipsis(
    drafter_home: Path, size: tuple[int, int]
) -> None:
    from tui_helpers import terminal_output

    app = make_app(language="de")
    async with app.run_test(size=size) as pilot:
        await _models_ready(pilot)
        await pilot.press(*"Glasfaser", "enter")
        await pilot.pause(0.3)
        await pilot.press(*"Hallo")
        await pilot.pause(0.3)
        screen_text = terminal_output(app)[1]
        if size == (140, 42):  # the left pane is hidden on a narrow terminal
            title = next(line for line in screen_text.splitlines() if "▼ Glasfaser" in line)
            assert "Glasfaserausbau geht auch im W…" in title, title
        gauge = next(line for line in screen_text.splitlines() if "LinkedIn ░" in line)
        assert " 5/3000 Zeichen" in gauge, gauge  # at 80×24 the bar is shorter, the unit stays
        await pilot.press("ctrl+n")  # the AI panel takes room from the centre
        await pilot.pause(0.5)
        screen_text = terminal_output(app)[1]
        gauge = next(line for line in screen_text.splitlines() if "LinkedIn ░" in line)
        assert "LinkedIn ░" in gauge and " 5/3000" in gauge, gauge


def test_a_gauge_shortens_its_bar_then_its_unit_and_never_its_count() -> None:
    from drafter.channels import Length
    from drafter.tui.widgets import LengthGauge

    gauges = {}
    for width in (40, 28, 22, 18, 12, 8, 4):
        gauge = LengthGauge.__new__(LengthGauge)
        gauge.spec = type("Spec", (), {"label": "LinkedIn"})()  # type: ignore[assignment]
        gauge.lang = "de"
        gauge.length = Length(count=1500, limit=3000, unit="characters")
        gauges[width] = gauge.text(width)
    assert gauges[40] == "LinkedIn ███░░░ 1500/3000 Zeichen"
    assert gauges[28] == "LinkedIn 1500/3000 Zeichen"  # the bar goes before the unit
    assert gauges[22] == "LinkedIn ██░ 1500/3000"
    assert gauges[18] == "LinkedIn 1500/3000"
    assert gauges[12] == "L… 1500/3000"
    assert gauges[8] == gauges[4] == "1500/3000"  # the count, whatever the room


async def test_the_voice_panel_shows_its_whole_hint_at_140x42(drafter_home: Path) -> None:
    from test_tui_voice import seed_profile, wait_for
    from tui_helpers import terminal_output

    from drafter.tui.voice_panel import VoicePanel

    seed_profile()
    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await new_free_draft(pilot)
        panel = screen.query_one("#voice-panel", VoicePanel)
        await wait_for(pilot, lambda: panel.has_class("-ready"))
        await pilot.press(*"Hallo")
        await wait_for(pilot, lambda: panel.scored_version == screen.editor.text_version)
        await pilot.pause(0.2)
        shown = " ".join(
            line.split("│")[-2].strip() for line in terminal_output(app)[1].splitlines() if line.count("│") >= 2
        )
        assert "Schreib ein paar Wörter mehr …" in " ".join(shown.split()), shown


async def palette_hits(pilot, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    hits: list[str] = []
    for _ in range(40):
        await pilot.pause(0.05)
        options = pilot.app.screen.query_one(CommandList)
        hits = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        if hits and not any("Keine Treffer" in h for h in hits):
            break
    await pilot.press("escape")
    await pilot.pause()
    return hits


async def test_obvious_words_find_palette_entries_in_german(drafter_home: Path) -> None:
    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await new_free_draft(pilot)
        hits = await palette_hits(pilot, "begründung")
        assert hits and "Warnung unter dem Cursor verwerfen (mit Grund)" in hits[0], hits
        hits = await palette_hits(pilot, "löschen")
        assert hits and "KI-Vorschläge: Panel öffnen" not in hits[0], hits
        # the word Textual's documentation and most apps use (a new-user probe typed it in vain)
        for word in ("theme", "farbschema", "dunkel"):
            hits = await palette_hits(pilot, word)
            assert hits and "Farbschema" in hits[0], (word, hits)


# -- refusals before anything is sent: configuration, request, data policy --------------------------


async def open_ai_panel(pilot) -> None:  # type: ignore[no-untyped-def]
    """From the inbox: a free draft, then Ctrl+N opens its AI panel."""
    await pilot.pause()
    await new_free_draft(pilot)
    await pilot.press("ctrl+n")
    await pilot.pause()


@pytest.mark.parametrize("size", [SIZE, (80, 24)])
async def test_a_missing_api_key_is_named_in_german(
    drafter_home: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """A remote server without a key: the panel says just that, in German (it added the core's English
    detail, after advice on how to switch AI on that the author had already followed)."""
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    write_settings(drafter_home, "http://ki.example.invalid/v1")
    app = make_app(language="de")
    async with app.run_test(size=size) as pilot:
        await open_ai_panel(pilot)
        widget = app.screen.query_one("#ai-setup", Static)
        setup = str(widget.render())
        needed = widget.get_content_height(widget.size, app.size, widget.content_region.width)
        assert widget.content_region.height >= needed, (widget.content_region.height, needed)  # read whole
    assert "eingeschaltet, lassen sich aber nicht nutzen" in setup
    assert "Kein API-Schlüssel: die Umgebungsvariable OPENAI_API_KEY ist leer (nötig für ki.example.invalid" in setup
    assert "nicht eingerichtet" not in setup and "enabled = true" not in setup, setup
    assert not english_words(setup), setup


async def test_a_request_refusal_is_said_in_german(two_angles: FakeProvider) -> None:
    """Critique of an empty draft is refused before sending, in the panel's language."""
    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        await open_ai_panel(pilot)
        kinds = app.screen.query_one("#ai-kinds", OptionList)
        kinds.highlighted = next(i for i in range(kinds.option_count) if kinds.get_option_at_index(i).id == "critique")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = status_text(app)
    assert "Für Kritik braucht es einen Entwurf" in text, text
    assert not english_words(text), text
    assert not two_angles.chats, "nothing is sent"


def test_a_data_policy_refusal_names_the_level_in_each_language() -> None:
    from drafter.ai.errors import AiPolicyError
    from drafter.ai.policy import require_host
    from drafter.guidelines import AiPolicy

    policy = AiPolicy.model_validate({"hosts": {"public": ["*"], "internal": ["*"], "confidential": []}})
    with pytest.raises(AiPolicyError) as caught:
        require_host(policy, "confidential", "api.example.com")
    assert caught.value.message.startswith("not sent: a confidential brief's text may not go to 'api.example.com'")
    german = caught.value.text("de")
    assert german == (
        "Der Text eines Briefs der Stufe „vertraulich“ darf nicht an api.example.com gehen "
        "(policies.ai.hosts.confidential nennt keinen Host)"
    )
    assert caught.value.text("en").startswith("The text of a confidential brief may not go to api.example.com")


async def test_a_chosen_theme_is_kept_for_the_next_start(drafter_home: Path) -> None:
    """New-user probe: a theme chosen in the palette was gone after a restart. It is saved in the settings a
    moment after the last change (the picker previews every theme it passes) and applied at the next start;
    a name no longer known leaves the default."""
    from drafter.settings import load_settings, save_settings
    from drafter.tui import app as app_module

    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        default = app.theme
        app.theme = "nord"
        app.theme = "gruvbox"  # passed over: only the last one is saved
        await pilot.pause(app_module.THEME_SAVE_DELAY + 0.5)
    assert load_settings().theme == "gruvbox"
    again = make_app(language="de")
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "gruvbox"
        # a value edited in the file while the app runs is kept when the theme is saved (hostile probe)
        path = again.settings_path
        save_settings(load_settings(path).model_copy(update={"name": "Lena"}), path)  # as another process would
        again.theme = "nord"
        await pilot.pause(app_module.THEME_SAVE_DELAY + 0.5)
    assert (load_settings().theme, load_settings().name) == ("nord", "Lena")
    path.write_text(path.read_text(encoding="utf-8").replace('"nord"', '"gruvbox"'), encoding="utf-8")
    path = app.settings_path
    path.write_text(path.read_text(encoding="utf-8").replace("gruvbox", "no-such-theme"), encoding="utf-8")
    third = make_app(language="de")
    async with third.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert third.theme == default
        # chosen right before Ctrl+Q: saved on the way out (it was lost: new-user probe)
        third.theme = "nord"
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert load_settings().theme == "nord"
