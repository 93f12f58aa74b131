"""Dialogs of the inbox's drafts: rename (a title of the author's choosing) and confirm a deletion.

Both show the draft's title, which is the author's text: as plain text (``shown_line``), never markup."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from drafter.drafts import MAX_NAME
from drafter.i18n import t
from drafter.tui.formatting import PlainInput, shown_line
from drafter.tui.screens.base import DrafterModal


class RenameDraftScreen(DrafterModal):
    """Enter saves the name (empty: the draft is called by its first line again), Esc cancels.
    Dismisses with the new name, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="drafts.rename_cancel"),
    ]

    def __init__(self, name: str, title: str) -> None:
        super().__init__()
        self.current = name
        self.draft_title = title

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="rename-dialog", classes="dialog"):
            yield Label(t("drafts.rename_title", lang), classes="dialog-title")
            yield Static(t("drafts.rename_help", lang, title=shown_line(self.draft_title, 200)), markup=False)
            yield PlainInput(self.current, id="draft-name", max_length=MAX_NAME)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("drafts.rename_ok", lang), variant="primary", id="rename-ok")
                yield Button(t("export.cancel", lang), id="rename-cancel")

    def on_mount(self) -> None:
        self.query_one("#draft-name", Input).focus()

    @on(Input.Submitted, "#draft-name")
    @on(Button.Pressed, "#rename-ok")
    def _ok(self) -> None:
        self.dismiss(self.query_one("#draft-name", Input).value)

    @on(Button.Pressed, "#rename-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDeleteScreen(DrafterModal):
    """Ask before deleting. Dismisses with True (delete) or False. ``final``: the draft is in the trash
    already and goes for good."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="drafts.delete_cancel"),
    ]

    def __init__(self, title: str, *, final: bool) -> None:
        super().__init__()
        self.draft_title = title
        self.final = final

    def compose(self) -> ComposeResult:
        lang = self.lang
        question = "drafts.delete_final_question" if self.final else "drafts.delete_question"
        with Vertical(id="delete-dialog", classes="dialog"):
            yield Label(t("drafts.delete_title", lang), classes="dialog-title")
            yield Static(t(question, lang, title=shown_line(self.draft_title, 200)), id="delete-question", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("drafts.delete_ok", lang), variant="error", id="delete-ok")
                yield Button(t("export.cancel", lang), id="delete-cancel")

    def on_mount(self) -> None:
        # the question starts on the safe choice, into the trash or for good: Enter keeps the draft,
        # Shift+Tab (or Tab twice) reaches Delete
        self.query_one("#delete-cancel", Button).focus()

    @on(Button.Pressed, "#delete-ok")
    def _ok(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#delete-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
