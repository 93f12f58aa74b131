"""F1 help: the key bindings of every screen and a short guide, from the UI catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from drafter.i18n import t
from drafter.tui.screens.base import DrafterModal


def bindings_table(lang: str, keymap: Mapping[str, str], key_style: Style | str = "bold") -> Table:
    """Every binding of the app and its screens with the key in force (after the user's ``[keys]``
    remapping), named the way the UI language names keys (``Strg+Q`` / ``Ctrl+Q``, ``Esc``)."""
    from drafter.tui.keys import all_bindings, binding_label, effective_key, key_label

    table = Table(box=None, show_header=True, header_style="bold", expand=True)
    table.add_column(t("help.where", lang))
    table.add_column(t("help.key", lang), style=key_style)
    table.add_column(t("help.does", lang))
    for where, binding in all_bindings():
        if binding.id:
            table.add_row(
                # the key comes from the user's settings: a plain Text cell, never read as markup
                t(where, lang),
                Text(key_label(effective_key(binding, keymap), lang)),
                binding_label(binding.id, lang),
            )
    return table


class HelpScreen(DrafterModal):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"help--key"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        lang = self.lang
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Label(t("help.title", lang), classes="dialog-title")
            yield Static(t("help.guide", lang), id="help-guide")
            key_style = self.get_component_rich_style("help--key", partial=True)
            yield Static(bindings_table(lang, self.drafter.keymap, key_style), id="help-keys")

    def action_close(self) -> None:
        self.dismiss(None)
