"""Key bindings by id: the settings' ``[keys]`` table remaps them, unknown ids are a warning, and F1 help
lists the keys in force with readable names in the UI language. Also: the editor's hooks arrive through
its constructor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static
from tui_helpers import make_app, new_free_draft

from drafter.settings import Settings, save_settings
from drafter.tui.editor import DraftEditor, OriginEdit
from drafter.tui.keys import all_bindings, binding_ids, key_label
from drafter.tui.screens.compose import ComposeScreen
from drafter.tui.screens.dialogs import ExportScreen
from drafter.tui.screens.help import HelpScreen
from drafter.tui.screens.inbox import InboxScreen

SIZE = (130, 40)


def test_key_labels_are_readable_in_both_languages() -> None:
    assert key_label("ctrl+q", "de") == "Strg+Q" and key_label("ctrl+q", "en") == "Ctrl+Q"
    assert key_label("escape,f1,q", "en") == "Esc / F1 / Q"
    assert key_label("shift+tab", "de") == "Umschalt+Tab"
    assert key_label("question_mark", "en") == "?"


def test_every_binding_has_a_unique_id_and_a_readme_row() -> None:
    ids = [b.id for _, b in all_bindings()]
    assert all(ids) and len(ids) == len(set(ids))
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [i for i in ids if f"| `{i}` |" not in readme]
    assert not missing, missing


def help_rows(screen: HelpScreen) -> list[tuple[str, str, str]]:
    table: Any = screen.query_one("#help-keys", Static).content
    columns = [list(c.cells) for c in table.columns]
    return [tuple(str(cell) for cell in row) for row in zip(*columns, strict=True)]  # type: ignore[misc]


async def test_keys_table_remaps_bindings_and_help_shows_the_keys_in_force(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    keys = {"compose.export": "ctrl+o", "app.help": "f12", "nope.nothing": "f6"}
    save_settings(Settings(onboarding_done=True, language="de", keys=keys), settings)
    app = make_app(settings_path=settings, onboarding=None)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):  # the settings are fully loaded (and the keymap applied) after first paint
            if app.models_ready:
                break
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        warnings = [str(n.message) for n in app._notifications if n.severity == "warning"]
        assert any("nope.nothing" in w for w in warnings), warnings  # unknown id: said, not a crash
        assert binding_ids() >= {"compose.export", "app.help"} and "nope.nothing" not in binding_ids()

        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = help_rows(app.screen)
        keys_of = {does: key for _, key, does in rows}
        assert keys_of["Export"] == "Strg+O" and keys_of["Hilfe"] == "F12" and keys_of["Beenden"] == "Strg+Q"
        assert not any("ctrl" in key or "escape" in key for _, key, _ in rows)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)

        screen = await new_free_draft(pilot)
        await pilot.press(*"Heute war ein guter Tag im Team.")
        await pilot.press("f8")  # no longer the export key
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)


class RecordingHooks:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def paste_origin(self, text: str) -> str:
        self.calls.append(f"paste_origin:{text}")
        return "brief"

    def origins_of(self, start: int, end: int) -> Any:
        return None

    def after_edit(self) -> None:
        self.calls.append("after_edit")

    def edit_done(self, edit: OriginEdit, start: int, end: int, text: str) -> None:
        self.calls.append(f"done:{edit.origin}:{start}:{end}:{text}")

    def edit_undone(self, edit: OriginEdit, start: int, end: int, restored: str) -> None:
        self.calls.append(f"undone:{start}:{end}")


async def test_editor_hooks_come_through_the_constructor() -> None:
    hooks = RecordingHooks()

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield DraftEditor("", hooks=hooks, id="ed")

    app = One()
    async with app.run_test() as pilot:
        editor = app.query_one(DraftEditor)
        editor.focus()
        await pilot.press("a")
        app.post_message(events.Paste("xy"))
        await pilot.pause()
        assert editor.text == "axy"
        assert hooks.calls[:2] == ["done:typed:0:0:a", "after_edit"]
        assert "paste_origin:xy" in hooks.calls and "done:brief:1:1:xy" in hooks.calls
        editor.undo()
        await pilot.pause()
        assert hooks.calls[-1].startswith("undone:")


def test_compose_screen_is_its_editors_hooks() -> None:
    assert all(
        callable(getattr(ComposeScreen, name))
        for name in ("paste_origin", "origins_of", "after_edit", "edit_done", "edit_undone")
    )
