"""F1 help: the key bindings of every screen and a short guide, from the UI catalogue."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from drafter.i18n import t
from drafter.tui.screens.base import DrafterModal


def bindings_table(lang: str) -> Table:
    from drafter.tui.app import DrafterApp
    from drafter.tui.screens.compose import ComposeScreen
    from drafter.tui.screens.inbox import InboxScreen

    table = Table(box=None, show_header=True, header_style="bold", expand=True)
    table.add_column(t("help.where", lang))
    table.add_column(t("help.key", lang), style="bold #ff5fd7")
    table.add_column(t("help.does", lang))
    for where, cls in (
        ("help.app", DrafterApp),
        ("help.inbox", InboxScreen),
        ("help.compose", ComposeScreen),
    ):
        for binding in cls.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                table.add_row(t(where, lang), binding.key, t(f"keys.{binding.id}", lang))
    return table


class HelpScreen(DrafterModal):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        lang = self.lang
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Label(t("help.title", lang), classes="dialog-title")
            yield Static(t("help.guide", lang), id="help-guide")
            yield Static(bindings_table(lang), id="help-keys")

    def action_close(self) -> None:
        self.dismiss(None)
