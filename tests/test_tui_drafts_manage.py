"""Pilot: managing drafts from the inbox — search by text and title, rename (F2), archive and restore
(F6, F7 shows the archive), delete with confirmation into the trash and for good (F8/Del), the palette
and F1 help, and a drafts list bounded like the briefs list."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Label, OptionList
from tui_helpers import make_app

from drafter.drafts import DraftStatus
from drafter.tui.screens.drafts_dialogs import ConfirmDeleteScreen, RenameDraftScreen
from drafter.tui.screens.help import HelpScreen
from drafter.tui.screens.inbox import MAX_LISTED, InboxScreen

SIZE = (140, 42)


def listed(inbox: InboxScreen) -> list[str]:
    options = inbox.query_one("#drafts", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def drafts_title(inbox: InboxScreen) -> str:
    return str(inbox.query_one("#drafts-title", Label).render())


def toasts(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def start(pilot: Any) -> InboxScreen:
    app = pilot.app
    await pilot.pause()
    inbox = app.screen
    assert isinstance(inbox, InboxScreen)
    app.drafts.create("Glasfaser auch im Winter: mein Team baut weiter.", channels=["linkedin"])
    app.drafts.create("Azubi-Tag bei uns im Standort Bonn.", channels=["x"])
    inbox.reload()
    await pilot.pause()
    return inbox


async def test_search_rename_archive_restore_and_delete_from_the_inbox() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        inbox = await start(pilot)
        azubi, winter = (d.id for d in inbox.draft_items)
        assert drafts_title(inbox) == "Deine Entwürfe (2)"

        # search by text; F2 renames the highlighted draft, and the title is searchable
        await pilot.press(*"azubi")
        await pilot.pause()
        assert [p.split("\n")[0] for p in listed(inbox)] == ["Azubi-Tag bei uns im Standort Bonn."]
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, RenameDraftScreen)
        await pilot.press(*"Mein [b]Lieblingspost", "enter")
        await pilot.pause()
        assert app.screen is inbox and app.drafts.get(azubi).name == "Mein [b]Lieblingspost"
        await pilot.press("escape", *"lieblings")
        await pilot.pause()
        assert [p.split("\n")[0] for p in listed(inbox)] == ["Mein [b]Lieblingspost"]  # markup shown as text

        # F6 archives: gone from the drafts, listed in the archive (F7), where F6 restores it
        await pilot.press("escape", "f6")
        await pilot.pause()
        assert app.drafts.get(azubi).status is DraftStatus.ARCHIVED
        assert drafts_title(inbox) == "Deine Entwürfe (1)"
        assert any(m.startswith("Archiviert: „Mein [b]Lieblingspost") for m in toasts(app))
        await pilot.press("f7")
        await pilot.pause()
        assert drafts_title(inbox) == "Archiv und Papierkorb (1)" and "Lieblingspost" in listed(inbox)[0]
        inbox.query_one("#drafts", OptionList).focus()
        await pilot.press("enter")  # an archived draft is restored before it is opened
        await pilot.pause()
        assert app.screen is inbox and any(m.startswith("Archiviert oder gelöscht") for m in toasts(app))
        await pilot.press("f6")
        await pilot.pause()
        assert app.drafts.get(azubi).status is DraftStatus.DRAFT
        await pilot.press("f7")
        await pilot.pause()
        assert drafts_title(inbox) == "Deine Entwürfe (2)"

        # F8 asks, starting on the safe choice: Esc or Enter keep the draft; Delete, then Enter, moves
        # it to the trash (restorable)
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDeleteScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is inbox and drafts_title(inbox) == "Deine Entwürfe (2)"
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("enter")  # on "Abbrechen"
        await pilot.pause()
        assert app.screen is inbox and drafts_title(inbox) == "Deine Entwürfe (2)"
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("shift+tab", "enter")  # on "Löschen"
        await pilot.pause()
        assert app.screen is inbox and drafts_title(inbox) == "Deine Entwürfe (1)"
        assert app.drafts.get(azubi).deleted_at is not None
        assert any("Papierkorb" in m and "30 Tage" in m for m in toasts(app))
        await pilot.press("f7")
        await pilot.pause()
        assert "gelöscht – wiederherstellbar bis 27.12.2026" in listed(inbox)[0]

        # from the trash: for good, after a second question that starts on "Cancel"
        await pilot.press("f8")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDeleteScreen) and dialog.final
        await pilot.press("enter")  # Enter on the focused Cancel button
        await pilot.pause()
        assert app.drafts.find(azubi) is not None
        await pilot.press("f8")
        await pilot.pause()
        await pilot.click("#delete-ok")
        await pilot.pause()
        assert app.drafts.find(azubi) is None and app.drafts.find(winter) is not None
        assert drafts_title(inbox) == "Archiv und Papierkorb (0)"


async def test_palette_help_and_the_del_key_in_the_list() -> None:
    app = make_app(language="en")
    async with app.run_test(size=SIZE) as pilot:
        inbox = await start(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"rename the highlighted")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RenameDraftScreen)
        assert app.screen.query_one("#draft-name", Input).value == ""
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is inbox and all(not d.name for d in inbox.draft_items)

        inbox.query_one("#drafts", OptionList).focus()
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDeleteScreen)
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table: Any = app.screen.query_one("#help-keys").content
        columns = [list(c.cells) for c in table.columns]
        rows = {str(does): str(key) for _, key, does in zip(*columns, strict=True)}
        assert rows["Rename draft"] == "F2"
        assert rows["Delete draft (into the trash, restorable for 30 days)"] == "F8 / Del"
        assert rows["Show the archive and trash / your drafts"] == "F7"


async def test_the_drafts_list_is_bounded_and_the_filter_searches_all() -> None:
    app = make_app(language="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        for i in range(MAX_LISTED + 20):
            app.drafts.create(f"Entwurf Nummer {i:03d} über Glasfaser", channels=["x"])
        inbox.reload()
        await pilot.pause()
        prompts = [p for p in listed(inbox) if p.startswith("Entwurf")]
        assert len(prompts) == MAX_LISTED and listed(inbox)[-1] == "… 20 more – type to filter"
        assert drafts_title(inbox) == f"Your drafts ({MAX_LISTED + 20})"
        await pilot.press(*"nummer 003")  # among the oldest: not listed before
        await pilot.pause()
        assert [p.split("\n")[0] for p in listed(inbox)] == ["Entwurf Nummer 003 über Glasfaser"]


async def test_after_a_rename_the_highlight_stays_on_the_renamed_draft_so_f8_offers_that_one() -> None:
    """A new-user probe renamed the second draft (F2), pressed F8, and was asked to delete the first: the list
    had jumped back to its top. The highlight now stays on the renamed draft wherever the list puts it; after
    an archive it moves to the draft now at its place; a changed filter still starts at the first match."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        inbox = await start(pilot)
        app.drafts.create("Dritter Entwurf über den Glasfaser-Tag.", channels=["x"])
        inbox.reload()
        await pilot.pause()
        options = inbox.query_one("#drafts", OptionList)
        options.focus()
        await pilot.press("home", "down")
        await pilot.pause()
        second = inbox.selected_draft()
        top = options.get_option_at_index(0).id
        assert second is not None and options.highlighted == 1 and top != f"draft:{second.id}"
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"Umbenannt", "enter")
        await pilot.pause()
        assert app.screen is inbox and app.drafts.get(second.id).name == "Umbenannt"
        selected = inbox.selected_draft()
        assert selected is not None and selected.id == second.id
        await pilot.press("f8")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDeleteScreen)
        await pilot.press("escape")
        await pilot.pause()
        # archive it: the highlight goes to the draft now at its place, not back to the top
        await pilot.press("f6")
        await pilot.pause()
        assert second.id not in [d.id for d in inbox.draft_items] and len(inbox.draft_items) == 2
        assert options.highlighted == 1 and inbox.selected_draft() is not None
        # a new filter: the first match
        await pilot.press(*"entwurf")
        await pilot.pause()
        assert options.highlighted == 0


async def test_a_named_draft_shows_its_name_in_the_title_bar() -> None:
    """A new-user probe renamed a free draft and still read "Freier Entwurf" in the title bar when it opened."""
    from drafter.tui.screens.compose import ComposeScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        inbox = await start(pilot)
        draft = inbox.draft_items[0]
        app.drafts.rename(draft.id, "Test: Adresse & [b]Leaks")
        inbox.reload()
        await pilot.pause()
        inbox.open_option(f"draft:{draft.id}")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        assert screen.sub_title.startswith("Test: Adresse & [b]Leaks · ")
