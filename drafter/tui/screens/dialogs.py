"""Modal dialogs: export (final check, clipboard, files) and the channel chooser."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.strip import Strip
from textual.widgets import Button, Checkbox, Label, SelectionList, Static
from textual.widgets.option_list import OptionDoesNotExist

from drafter.drafting import ExportRefused, copy_allowed, export_refusal
from drafter.i18n import format_date, t
from drafter.tui.formatting import plain_line, shown, shown_line
from drafter.tui.screens.base import DrafterModal
from drafter.tui.widgets import FindingsList, gauge_state

if TYPE_CHECKING:
    from drafter.drafting import DraftCheck
    from drafter.export import ExportFiles


class TickBox(Checkbox, inherit_bindings=False):
    """A checkbox that shows its state without relying on colour (``▐X▌`` ticked, ``▐ ▌`` not: some
    terminals and themes made both look ticked). Space ticks; Enter is left to the dialog (export)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "toggle_button", "Toggle", show=False)]
    #: the glyph of a ticked box (Textual's own)
    BUTTON_INNER_TICKED = Checkbox.BUTTON_INNER

    def __init__(self, label: str, value: bool = False, **kwargs: Any) -> None:
        super().__init__(label, value, **kwargs)
        self.BUTTON_INNER = self.BUTTON_INNER_TICKED if value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = self.BUTTON_INNER_TICKED if self.value else " "
        super().watch_value()


class TickList(SelectionList[str]):
    """A selection list whose boxes show their state without relying on colour, as :class:`TickBox`
    does: ``▐X▌`` selected, ``▐ ▌`` not (Textual draws the same X for both and tells them apart by
    colour only, so a list with nothing selected looked all ticked)."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if selection.value in self.selected:
            return strip
        segments = list(strip)
        # the box is ``left, inner, right``: blank the inner glyph, keep its style (and its click target)
        if len(segments) > 1 and segments[1].text == TickBox.BUTTON_INNER_TICKED:
            segments[1] = segments[1]._replace(text=" ")
        return Strip(segments, strip.cell_length)


class ChannelTickList(TickList):
    """The channel chooser's list: Space ticks, Enter applies the dialog (a new-user probe pressed Enter to confirm
    and ticked a channel instead: SelectionList's Enter toggles)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "apply", "Apply", show=False)]

    def action_apply(self) -> None:
        screen = self.screen
        if isinstance(screen, ChannelsScreen):
            screen.action_ok()


class ExportScreen(DrafterModal):
    """The final check. Errors block; warnings need a tick; then copy (OSC 52) and save MD + JSON.

    Keyboard: the focus starts on the tick box when there are warnings (Space ticks it), on Export when
    the text is clean, on Cancel when errors block; Enter exports unless a button or the findings list
    has the focus, Esc cancels; Tab goes tick box → Export → Cancel → findings."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("enter,f8", "export", "Export", id="export.confirm"),
    ]

    def __init__(self, check: DraftCheck, *, draft_id: str | None, brief_id: str | None) -> None:
        super().__init__()
        #: the check of the text as it is exported (its findings include the authorship policy's)
        self.check = check
        self.draft_id = draft_id
        self.brief_id = brief_id

    @property
    def blocked(self) -> bool:
        return self.check.blocked

    @property
    def labels(self) -> dict[str, str]:
        """The channels' names as the guidelines give them ("X", not "x")."""
        return {channel: spec.label for channel, spec in self.drafter.guidelines.channels.items()}

    def compose(self) -> ComposeResult:
        lang = self.lang
        check = self.check
        gs = self.drafter.guidelines
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label(t("export.title", lang), classes="dialog-title")
            with Vertical(id="export-lengths"):
                for channel, length in check.lengths.items():
                    spec = gs.channels[channel]
                    line = (
                        f"{shown_line(spec.label, 40)}: {length.count}/{length.limit} {t(f'units.{length.unit}', lang)}"
                    )
                    yield Static(line, classes=f"export-length -{gauge_state(length, spec)}", markup=False)
            findings = FindingsList(lang, fix_binding=None, id="export-findings")
            yield findings
            refusal = export_refusal(check, accept_warnings=True, lang=lang, labels=self.labels)
            if refusal is not None:
                status, cls = refusal, "-error"
            elif check.gate_warnings:
                status, cls = t("export.warnings", lang, count=len(check.gate_warnings)), "-warning"
            elif check.scheduled_for is not None:  # said below instead of "all clear"
                status, cls = "", "-ok"
            else:
                status, cls = t("export.clean", lang), "-ok"
            if status:
                yield Static(shown(status), id="export-status", classes=cls, markup=False)
            if check.scheduled_for is not None and refusal is None:
                day = format_date(check.scheduled_for, lang)
                yield Static(t("scheduled.status", lang, date=day), id="export-scheduled", markup=False)
            if check.gate_warnings and not self.blocked:
                yield TickBox(t("export.confirm_warnings", lang, count=len(check.gate_warnings)), id="confirm-warnings")
                yield Static(t("export.tick_hint", lang), classes="dim", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    t("export.do_export" if copy_allowed(check) else "scheduled.do_export", lang),
                    variant="primary",
                    id="do-export",
                    disabled=not self.can_export,
                )
                yield Button(t("export.cancel", lang), id="cancel-export")

    #: the rows the export dialog needs besides its findings list (title, lengths, status, tick box, buttons, border)
    _ROOM_BESIDES_FINDINGS = 17

    def _fit_findings(self) -> None:
        """The findings list gets the rows the screen has left (3 to 14): on a small terminal the buttons stay in
        view."""
        lengths = len(self.check.lengths)
        room = self.app.size.height - self._ROOM_BESIDES_FINDINGS - lengths
        self.query_one("#export-findings", FindingsList).styles.max_height = max(3, min(14, room))

    def on_resize(self) -> None:
        self._fit_findings()

    def on_mount(self) -> None:
        self._fit_findings()
        self.query_one("#export-findings", FindingsList).show(self.check.findings, self.check.text)
        if self.blocked:
            self.query_one("#cancel-export", Button).focus()
        elif self.check.gate_warnings:
            self.query_one("#confirm-warnings", Checkbox).focus()  # Space ticks, Enter exports
        else:
            self.query_one("#do-export", Button).focus()

    @property
    def accepted_warnings(self) -> bool:
        boxes = list(self.query("#confirm-warnings").results(Checkbox))
        return bool(boxes) and boxes[0].value

    @property
    def can_export(self) -> bool:
        return export_refusal(self.check, accept_warnings=self.accepted_warnings, lang=self.lang) is None

    @on(Checkbox.Changed, "#confirm-warnings")
    def _confirmed(self) -> None:
        self.query_one("#do-export", Button).disabled = not self.can_export

    @on(Button.Pressed, "#cancel-export")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#do-export")
    def action_export(self) -> None:
        if not self.can_export:
            # not ticked yet: say so (not "fix the errors" when there is none — a new-user probe)
            unticked = bool(self.check.gate_warnings) and not self.blocked and not self.accepted_warnings
            if unticked:
                message = t("export.tick_first", self.lang, count=len(self.check.gate_warnings))
            else:
                message = t("export.not_allowed", self.lang)
            self.notify(message, severity="error", markup=False)
            return
        self._export_and_close()

    def _export_and_close(self) -> None:
        """Export; a refusal or a failure to write the files is said, and the dialog stays open."""
        try:
            files = self.export()
        except ExportRefused as exc:
            self.notify(shown(exc.reason), severity="error", timeout=15, markup=False)
            return
        except OSError as exc:
            message = t("export.failed", self.lang, error=str(exc))
            self.notify(shown(message), severity="error", timeout=15, markup=False)
            return
        self.dismiss(files)

    def export(self) -> ExportFiles:
        """Through the workspace's gate into the exports folder and the corpus; then the clipboard (OSC
        52) and a refresh of the corpus index, so later drafts are compared with this post."""
        from drafter.originality import StoredPostIndex

        app = self.drafter
        outcome = app.workspace.export_draft(
            self.check,
            draft_id=self.draft_id,
            brief_id=self.brief_id,
            accept_warnings=self.accepted_warnings,
            corpus=StoredPostIndex(app.store),  # the UI thread's connection, as for every other write
        )
        if copy_allowed(self.check):  # a scheduled post stays off the clipboard until its day
            app.copy_to_clipboard(self.check.text)
        if outcome.corpus_error is not None:  # the files are written; only the originality corpus misses it
            message = t("export.corpus_failed", self.lang, error=outcome.corpus_error)
            self.notify(shown(message), severity="warning", timeout=10, markup=False)
        app.refresh_corpus(force=True)
        return outcome.files


class ChannelsScreen(DrafterModal):
    """Choose the channels a draft is checked for; the first ticked one is the primary channel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="channels.cancel"),
        Binding("ctrl+s", "ok", "OK", id="channels.ok"),
    ]

    def __init__(self, selected: list[str]) -> None:
        super().__init__()
        self.selected = list(selected)

    def compose(self) -> ComposeResult:
        gs = self.drafter.guidelines
        with Vertical(id="channels-dialog", classes="dialog"):
            yield Label(t("channels.title", self.lang), classes="dialog-title")
            yield Static(t("channels.help", self.lang), classes="dim")
            yield ChannelTickList(
                *[(plain_line(spec.label, 40), cid, cid in self.selected) for cid, spec in gs.channels.items()],
                id="channel-list",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("channels.ok", self.lang), variant="primary", id="channels-ok")
                yield Button(t("export.cancel", self.lang), id="channels-cancel")

    def on_mount(self) -> None:
        self.query_one("#channel-list", SelectionList).focus()

    @on(Button.Pressed, "#channels-ok")
    def action_ok(self) -> None:
        chosen = list(self.query_one("#channel-list", SelectionList).selected)
        primary = [c for c in self.selected if c in chosen]
        rest = [c for c in chosen if c not in primary]
        self.dismiss([*primary, *rest] or None)

    @on(Button.Pressed, "#channels-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ImportReportScreen(DrafterModal):
    """The last brief import's report in full, scrollable (the notification shows its first lines). File
    names and problems are data: plain text, already escaped line by line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f3", "close", "Close", id="import_report.close"),
    ]

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__()
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        lang = self.lang
        with VerticalScroll(id="import-report-dialog", classes="dialog"):
            yield Label(t("one_language.import.report_title", lang), classes="dialog-title")
            body = "\n".join(self.lines) if self.lines else t("one_language.import.report_none", lang)
            yield Static(Text(body), id="import-report-text")

    def on_mount(self) -> None:
        self.query_one("#import-report-dialog").focus()  # ↑/↓/PgUp/PgDn scroll the report

    def action_close(self) -> None:
        self.dismiss(None)
