"""The small dialog that asks why a warning is dismissed: Enter confirms, Esc cancels.

It returns the reason as typed (the core cleans and checks it, :func:`drafter.dismissals.dismiss`); an
empty reason is answered in the dialog, which stays open. The finding's message comes from a guideline
file and quotes the draft: it is shown as plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from drafter.dismissals import MAX_REASON, DismissalRefused, clean_reason
from drafter.i18n import t
from drafter.tui.formatting import PlainInput, plain
from drafter.tui.screens.base import DrafterModal

if TYPE_CHECKING:
    from drafter.findings import Finding


class DismissScreen(DrafterModal):
    """Ask for the reason of dismissing ``finding``; dismisses with the reason, or None when cancelled."""

    DEFAULT_CSS = """
    DismissScreen { align: center middle; }
    #dismiss-dialog { width: 70; max-width: 100%; height: auto; padding: 1 2; border: round $warning; }
    #dismiss-finding { margin: 1 0; }
    #dismiss-error { color: $error; height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dismiss.cancel"),
    ]

    def __init__(self, finding: Finding) -> None:
        super().__init__()
        self.finding = finding

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="dismiss-dialog", classes="dialog"):
            yield Label(t("dismiss.title", lang), classes="dialog-title")
            yield Static(plain(self.finding.message), id="dismiss-finding")
            yield Static(t("dismiss.prompt", lang), classes="dim", markup=False)
            yield PlainInput(placeholder=t("dismiss.placeholder", lang), max_length=MAX_REASON, id="dismiss-reason")
            yield Static("", id="dismiss-error", markup=False)
            yield Static(t("dismiss.hint", lang), classes="dim", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#dismiss-reason", Input).focus()

    @on(Input.Submitted, "#dismiss-reason")
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            reason = clean_reason(event.value, lang=self.lang)
        except DismissalRefused as refused:
            self.query_one("#dismiss-error", Static).update(plain(refused.reason))
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
