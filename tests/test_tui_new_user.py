"""The workspace as a new ambassador meets it (issue 11, closing review): what the review found still
wrong, each driven through the real flow with Pilot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, SelectionList
from textual.widgets._footer import FooterKey
from tui_helpers import make_app, terminal_output

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
    return [(k.key_display, k.description, k.region) for k in app.screen.query(FooterKey)]


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
        assert [k for k, _, _ in _footer_keys(app)][:3] == ["f2", "f6", "f8"]
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
        lines = terminal_output(app)[1].splitlines()
        r = voice.region
        shown = " ".join(line[r.x : r.right].strip() for line in lines[r.y : r.bottom])
        label_text = " ".join(str(voice.render()).split())
        assert " ".join(shown.split()) == label_text  # every word of it on the screen, wrapped in its place
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        _assert_inputs_and_labels_whole(app.screen)
