"""The workspace as a new ambassador meets it (issue 11, closing review): what the review found still
wrong, each driven through the real flow with Pilot."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, SelectionList, Static
from tui_helpers import make_app, terminal_output
from typer.testing import CliRunner

from drafter import i18n
from drafter.cli import app as cli_app
from drafter.settings import Settings, save_settings
from drafter.tui.footer import footer_keys
from drafter.tui.screens.drafts_dialogs import ConfirmDeleteScreen
from drafter.tui.screens.inbox import InboxScreen
from drafter.tui.screens.settings import SettingsScreen


def _boxes(selection_list: SelectionList[str]) -> list[str]:
    """The box drawn in front of each option, as the terminal shows it (``▐X▌`` or ``▐ ▌``)."""
    lines = [selection_list.render_line(y).text for y in range(selection_list.option_count)]
    return [line[:3] for line in lines]


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_onboarding_channels_look_ticked_only_when_selected(drafter_home: Path, lang: str) -> None:
    app = make_app(onboarding=None, language=lang)
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen) and screen.onboarding
        channels = screen.query_one("#set-channels", SelectionList)
        channels.deselect_all()
        await pilot.pause()
        assert channels.option_count > 1
        assert _boxes(channels) == ["▐ ▌"] * channels.option_count  # nothing selected looks unselected
        channels.focus()
        channels.highlighted = 1
        await pilot.press("space")
        await pilot.pause()
        assert channels.selected == [channels.get_option_at_index(1).value]
        boxes = _boxes(channels)
        assert boxes[1] == "▐X▌"
        assert boxes[:1] + boxes[2:] == ["▐ ▌"] * (channels.option_count - 1)


def _footer_line(app: Any) -> str:
    return terminal_output(app)[1].rstrip("\n").splitlines()[-1]


def _footer_keys(app: Any) -> list[tuple[str, str, Region]]:
    return [(k.key_display, k.description, k.region) for k in footer_keys(app.screen)]


def _assert_footer_whole(app: Any) -> None:
    """Every key in the footer is shown whole: its description is on the footer line, and its region
    lies inside the screen and left of the palette's key."""
    width = app.size.width
    line = _footer_line(app)
    keys = _footer_keys(app)
    assert keys, line
    palette = [region for _, _, region in keys if region.x + region.width == width]
    right_edge = min((r.x for r in palette), default=width)
    for key, description, region in keys:
        assert f"{key} {description}" in line, (key, description, line)
        if region not in palette:
            assert region.x + region.width <= right_edge, (key, description, region, line)
    assert any(description in ("Hilfe", "Help") for _, description, _ in keys), line  # F1 lists the rest


async def _draft_in_list(pilot: Any) -> None:
    await pilot.pause()
    await pilot.press("ctrl+n", *"Hallo Welt", "escape")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("size", [(80, 24), (140, 42)], ids=["80x24", "140x42"])
async def test_the_drafts_list_shows_its_keys_in_the_footer_whole(
    drafter_home: Path, size: tuple[int, int], lang: str
) -> None:
    app = make_app(language=lang)
    async with app.run_test(size=size) as pilot:
        await _draft_in_list(pilot)
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        labels = {"de": ("Umbenennen", "Archivieren", "Löschen"), "en": ("Rename", "Archive", "Delete")}[lang]
        shown = {d for _, d, _ in _footer_keys(app)}
        assert not shown & set(labels)  # the filter has the focus: not the draft's keys
        _assert_footer_whole(app)
        inbox.query_one("#drafts", OptionList).focus()
        await pilot.pause()
        shown = {d for _, d, _ in _footer_keys(app)}
        assert set(labels) <= shown, shown
        assert [k for k, _, _ in _footer_keys(app)][:3] == ["F2", "F6", "F8"]  # named as help names them
        _assert_footer_whole(app)
        await pilot.press("f7")  # the archive view: F6 brings a draft back
        await pilot.pause()
        shown = {d for _, d, _ in _footer_keys(app)}
        assert ("Zurückholen" if lang == "de" else "Restore") in shown
        _assert_footer_whole(app)


@pytest.mark.parametrize("size", [(80, 24), (140, 42)], ids=["80x24", "140x42"])
async def test_the_compose_footer_shows_no_key_cut_off(drafter_home: Path, size: tuple[int, int]) -> None:
    app = make_app(language="de")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n", *"Hallo")
        await pilot.pause()
        _assert_footer_whole(app)
        await pilot.resize_terminal(60, 24)  # narrower still: the footer lays itself out again
        await pilot.pause(0.2)
        _assert_footer_whole(app)


async def test_the_delete_question_starts_on_the_safe_choice(drafter_home: Path) -> None:
    app = make_app(language="de")
    async with app.run_test(size=(80, 24)) as pilot:
        await _draft_in_list(pilot)
        inbox = app.screen
        assert isinstance(inbox, InboxScreen) and len(inbox.draft_items) == 1
        inbox.query_one("#drafts", OptionList).focus()
        await pilot.press("f8")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDeleteScreen) and not dialog.final
        assert app.focused is dialog.query_one("#delete-cancel", Button)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is inbox and app.drafts.find(inbox.draft_items[0].id) is not None
        assert app.drafts.find(inbox.draft_items[0].id).deleted_at is None


def _assert_inputs_and_labels_whole(screen: Any) -> None:
    """No placeholder is longer than its field, and no label runs past the container it sits in."""
    for field in screen.query(Input):
        if field.placeholder and field.display:
            assert cell_len(field.placeholder) <= field.content_region.width, (field.id, field.placeholder)
    for label in screen.query(Label):
        parent = label.parent
        assert isinstance(parent, Widget)
        if label.display and label.region.width:
            assert label.region.right <= parent.content_region.right, (str(label.render()), label.region)


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_onboarding_and_inbox_labels_are_readable_at_80x24(drafter_home: Path, lang: str) -> None:
    app = make_app(onboarding=None, language=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        form = screen.query_one("#settings-form", VerticalScroll)
        voice = screen.query(Label).last()  # the voice import's label, the longest
        assert "X" in str(voice.render())
        form.scroll_to_widget(voice, animate=False, top=True)
        await pilot.pause()
        _assert_inputs_and_labels_whole(screen)
        # the inbox field shows which folder an empty entry means (a new-user probe: "empty = none" was wrong)
        shown = screen.query_one("#set-inbox", Input).placeholder
        folder = str(drafter_home / "data" / "inbox")
        assert shown == folder or (shown.startswith("…") and folder.endswith(shown[1:]) and len(shown) == 40)
        lines = terminal_output(app)[1].splitlines()
        r = voice.region
        shown = " ".join(line[r.x : r.right].strip() for line in lines[r.y : r.bottom])
        label_text = " ".join(str(voice.render()).split())
        assert " ".join(shown.split()) == label_text  # every word of it on the screen, wrapped in its place
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        _assert_inputs_and_labels_whole(app.screen)


#: a key name written out in a text (not through ``{key:<binding id>}``)
_LITERAL_KEY = re.compile(r"(?<![\w+{:])(F\d{1,2}|Strg\+\w+|Ctrl\+\w+|Umschalt\+F\d+|Shift\+F\d+)(?![\w+])")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_texts_name_keys_through_the_bindings(lang: str) -> None:
    """Every key a text names is a binding's key in force ({key:<id>} with a real id), never written out
    (the palette's hidden search words and the key names themselves aside)."""
    from drafter.tui.keys import binding_ids

    ids = binding_ids()
    for name, text in i18n.catalogue(lang).items():
        for binding_id in re.findall(r"\{key:([^}]+)\}", text):
            assert binding_id in ids, (name, binding_id)
        if not name.startswith(("input.search.", "keynames.")):
            assert not _LITERAL_KEY.search(text), (name, text)
    # named as the app names them (the app registers its namer when it starts)
    from drafter.tui.keys import key_in_force

    i18n.set_key_namer(lambda binding_id, language: key_in_force(binding_id, {}, language))
    assert "F8" in i18n.t("help.guide", lang) or "{key:" not in i18n.catalogue(lang)["help.guide"]


async def test_texts_name_the_remapped_keys(drafter_home: Path) -> None:
    keys = {"inbox.new_free": "f11", "compose.export": "ctrl+o", "compose.apply_fix": "alt+f"}
    save_settings(Settings(onboarding_done=True, language="de", keys=keys), drafter_home / "config" / "settings.toml")
    app = make_app(onboarding=None)
    async with app.run_test(size=(140, 42)) as pilot:
        for _ in range(200):  # the keymap is applied once the settings are fully loaded
            if app.models_ready:
                break
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.keymap == keys
        screen_text = terminal_output(app)[1]
        assert "F11 für einen freien Entwurf" in screen_text and "Strg+N" not in screen_text
        await pilot.press("f1")
        await pilot.pause()
        guide = str(app.screen.query_one("#help-guide", Static).render())
        assert "Strg+O öffnet den Export" in guide and "Alt+F übernimmt" in guide
        assert "F8" not in guide and "F4" not in guide
        await pilot.press("escape", "f11", *"Mit Magenta TV schaue ich alles")  # a spelling with a fix
        await pilot.pause(1.0)
        await app.workers.wait_for_complete()
        await pilot.pause()
        findings = terminal_output(app)[1]
        assert "[Alt+F]" in findings and "[F4]" not in findings


def test_the_cli_names_no_workspace_key(tmp_path: Path) -> None:
    """``drafter lint`` prints the core's messages: they point at the fix, not at a key of the app."""
    post = tmp_path / "post.txt"
    post.write_text("Hallo Welt\u200b, heute bei der Arbeit!\n", encoding="utf-8")
    for lang in ("de", "en"):
        result = CliRunner().invoke(cli_app, ["lint", str(post), "--channel", "linkedin", "--lang", lang])
        assert "U+200B" in result.output, result.output  # the hidden character is reported
        assert not _LITERAL_KEY.search(result.output), result.output


async def test_the_app_reads_the_inbox_folder_named_by_drafter_inbox(
    drafter_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "postfach"
    folder.mkdir()
    brief = "---\ntitle: Glasfaser in Kleinkleckersdorf\nbusiness_unit: Technik\ngoal: WeWontStop\n---\nText.\n"
    (folder / "kleckersdorf.md").write_text(brief, encoding="utf-8")
    monkeypatch.setenv("DRAFTER_INBOX", str(folder))
    app = make_app(language="de")
    async with app.run_test(size=(140, 42)) as pilot:
        for _ in range(200):
            if app.models_ready:
                break
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        assert any(b.title == "Glasfaser in Kleinkleckersdorf" for b in inbox.briefs)


async def test_the_inbox_field_says_when_drafter_inbox_overrides_it(
    drafter_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``DRAFTER_INBOX`` set, the folder typed into the field is not used: the label says so and names the
    folder in force (a hostile probe read "empty = the default folder" there)."""
    forced = tmp_path / "[b]inbox[/b]"
    monkeypatch.setenv("DRAFTER_INBOX", str(forced))
    app = make_app(onboarding=None, language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        labels = " ".join(str(label.render()) for label in app.screen.query(Label)).replace("\n", "")
        assert "DRAFTER_INBOX is set" in labels
        field = app.screen.query_one("#set-inbox", Input)
        assert str(forced).endswith(field.placeholder.lstrip("…"))  # its end, the markup as typed


async def test_onboarding_speaks_the_language_picked_and_keeps_what_was_entered(drafter_home: Path) -> None:
    """A new-user probe: picking English left the form German ("Speichern", "Überspringen")."""
    app = make_app(onboarding=None, language="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen) and screen.onboarding
        screen.query_one("#set-name", Input).value = "Ella Brooks"
        screen.query_one("#set-disclosure", Input).value = "#TelekomUK"
        channels = screen.query_one("#set-channels", SelectionList)
        channels.deselect_all()
        channels.select(channels.get_option_at_index(1).value)
        ticked = list(channels.selected)
        assert str(screen.query_one("#settings-save", Button).label) == "Speichern"
        from textual.widgets import Select

        screen.query_one("#set-language", Select).value = "en"
        await pilot.pause()
        await pilot.pause()
        assert str(screen.query_one("#settings-save", Button).label) == "Save"
        assert str(screen.query_one("#settings-skip", Button).label) == "Skip"
        assert screen.query_one("#set-name", Input).value == "Ella Brooks"
        assert screen.query_one("#set-disclosure", Input).value == "#TelekomUK"
        assert list(screen.query_one("#set-channels", SelectionList).selected) == ticked
        assert app.lang == "de"  # the app takes the language on Save, not before
        await pilot.click("#settings-save")
        await pilot.pause()
        assert app.lang == "en" and app.settings.name == "Ella Brooks" and app.settings.channels == ticked


async def test_onboarding_keeps_the_language_picker_in_view_at_80x24(drafter_home: Path) -> None:
    """A second probe: after the switch the form scrolled to its top and the focused picker sat below the view."""
    from textual.widgets import Select

    app = make_app(onboarding=None, language="de")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        picker = screen.query_one("#set-language", Select)
        picker.focus()
        await pilot.pause()
        picker.value = "en"
        for _ in range(3):
            await pilot.pause()
        picker = screen.query_one("#set-language", Select)
        form = screen.query_one("#settings-form", VerticalScroll)
        assert picker.has_focus
        assert form.region.contains_region(picker.region), (form.region, picker.region)


async def test_the_inbox_lists_are_drawn_as_before_after_a_resize_and_back(drafter_home: Path) -> None:
    """A new-user probe went from 120x36 to 80x24 and back: the brief list kept an empty row after its first brief
    (the heights of the narrower width, where a scroll bar had come and gone) until the filter changed."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()  # the first start imports the sample briefs
        await pilot.pause()
        briefs = app.screen.query_one("#briefs", OptionList)
        for _ in range(100):  # the list is filled once the import's rows arrive
            if briefs.option_count > 1:
                break
            await pilot.pause(0.05)

        def drawn() -> list[str]:
            return [briefs.render_line(y).text.rstrip() for y in range(min(12, briefs.size.height))]

        before = drawn()
        assert before[4].strip()  # the second brief starts right after the first one's rule
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        assert drawn() == before
