"""Dismissing a warning in the compose screen (``compose.dismiss``, Ctrl+R) and the small dialog that
asks why: Enter confirms, Esc cancels.

:func:`dismiss_warning` picks the finding (the one picked in the findings list while it has focus, else
the warning under the cursor), asks the core whether it may be dismissed at all (errors and infos may
not: the notification says why, no dialog opens), then asks for the reason; on a dismissed warning it
undoes the dismissal instead. The dialog returns the reason cleaned by the core
(:func:`drafter.dismissals.clean_reason`); an empty reason is answered in the dialog, which stays open.
The finding's message comes from a guideline file and quotes the draft: it is shown as plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from drafter.dismissals import MAX_REASON, DismissalRefused, added, clean_reason, dismiss, removed
from drafter.findings import Severity
from drafter.i18n import t
from drafter.tui.formatting import PlainInput, plain, shown
from drafter.tui.screens.base import DrafterModal
from drafter.tui.widgets import FindingsList

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
            yield Static(t("dismiss.prompt", lang, limit=MAX_REASON), classes="dim", markup=False)
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


def finding_for_dismissal(screen: Any) -> Finding | None:
    """The finding picked in the compose screen's findings list (while it has focus), else the warning or
    dismissed warning under the cursor, else any finding there (an error: the core says why not)."""
    listed = screen.query_one("#findings", FindingsList)
    if screen.focused is listed and listed.current() is not None:
        return cast("Finding", listed.current())
    pos = screen.editor.cursor_offset()
    here = [f for f in screen.current_check().findings if f.start <= pos <= f.end]
    wanted = [f for f in here if f.dismissed is not None or f.severity is Severity.WARNING]
    candidates = wanted or here
    # the most specific one under the cursor: the phone number's error, not the post's length error around it
    # (a new-user probe was told the length error could not be dismissed)
    return min(candidates, key=lambda f: (f.end <= f.start, f.end - f.start)) if candidates else None


def dismiss_warning(screen: Any) -> None:
    """Ctrl+R in the compose screen ``screen``: dismiss with a reason, or undo on a dismissed warning."""
    lang = screen.lang
    finding = finding_for_dismissal(screen)
    if finding is None:
        screen.notify(t("dismiss.none", lang), markup=False)
        return
    if finding.dismissed is not None:
        undo_dismissal(screen)
        return
    clock = screen.drafter.workspace.clock
    try:
        dismiss(finding, "-", at=clock(), lang=lang)  # may it be dismissed at all? (errors may not)
    except DismissalRefused as refused:
        screen.notify(shown(refused.reason), severity="error", timeout=10, markup=False)
        return

    def confirmed(reason: str | None) -> None:
        if reason is None:
            return
        try:
            made = dismiss(finding, reason, at=clock(), lang=lang)
        except DismissalRefused as refused:
            screen.notify(shown(refused.reason), severity="error", timeout=10, markup=False)
            return
        screen.set_dismissals(added(screen.draft.dismissals, made))
        screen.notify(t("dismiss.done", lang), markup=False)

    screen.app.push_screen(DismissScreen(finding), confirmed)


def undo_dismissal(screen: Any) -> None:
    """Undo the dismissal of the warning picked or under the cursor in the compose screen ``screen``."""
    finding = finding_for_dismissal(screen)
    if finding is None or finding.dismissed is None:
        screen.notify(t("dismiss.none", screen.lang), markup=False)
        return
    screen.set_dismissals(removed(screen.draft.dismissals, finding))
    screen.notify(t("dismiss.undone", screen.lang), markup=False)
