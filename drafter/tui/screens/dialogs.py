"""Modal dialogs: export (final check, clipboard, files) and the channel chooser."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Label, SelectionList, Static

from drafter.export import ExportFiles, build_export, write_export
from drafter.findings import Severity
from drafter.i18n import t
from drafter.tui.formatting import plain_line, shown, shown_line
from drafter.tui.screens.base import DrafterModal
from drafter.tui.widgets import FindingsList, gauge_state

if TYPE_CHECKING:
    from drafter.tui.screens.compose import CheckOutcome, ComposeScreen


class ExportScreen(DrafterModal):
    """The final check. Errors block; warnings need a tick; then copy (OSC 52) and save MD + JSON."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("f8", "export", "Export", id="export.confirm"),
    ]

    def __init__(self, compose: ComposeScreen) -> None:
        super().__init__()
        self.compose_screen = compose
        editor = compose.editor
        self.text = editor.text
        self.outcome: CheckOutcome = compose.compute(self.text, editor.text_version)
        # the outcome's findings include the authorship policy's
        self.findings = self.outcome.findings
        self.errors = [f for f in self.findings if f.severity is Severity.ERROR]
        self.warnings = [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def blocked(self) -> bool:
        return bool(self.errors) or not self.text.strip()

    def compose(self) -> ComposeResult:
        lang = self.lang
        gs = self.drafter.guidelines
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label(t("export.title", lang), classes="dialog-title")
            lengths = Text()
            for channel, length in self.outcome.lengths.items():
                spec = gs.channels[channel]
                state = gauge_state(length, spec)
                style = {"ok": "green", "warning": "yellow", "error": "bold red"}[state]
                lengths.append(
                    f"{shown_line(spec.label, 40)}: {length.count}/{length.limit} {t(f'units.{length.unit}', lang)}\n",
                    style,
                )
            yield Static(lengths, id="export-lengths")
            findings = FindingsList(lang, fix_key=None, id="export-findings")
            yield findings
            if not self.text.strip():
                status, cls = t("export.empty", lang), "-error"
            elif self.errors:
                status, cls = t("export.blocked", lang, count=len(self.errors)), "-error"
            elif self.warnings:
                status, cls = t("export.warnings", lang, count=len(self.warnings)), "-warning"
            else:
                status, cls = t("export.clean", lang), "-ok"
            yield Static(status, id="export-status", classes=cls)
            if self.warnings and not self.blocked:
                yield Checkbox(t("export.confirm_warnings", lang), id="confirm-warnings")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    t("export.do_export", lang),
                    variant="primary",
                    id="do-export",
                    disabled=not self.can_export,
                )
                yield Button(t("export.cancel", lang), id="cancel-export")

    def on_mount(self) -> None:
        self.query_one("#export-findings", FindingsList).show(self.findings, self.text)
        button = self.query_one("#do-export", Button)
        if button.disabled:
            self.query_one("#cancel-export", Button).focus()
        elif self.warnings:
            self.query_one("#confirm-warnings", Checkbox).focus()
        else:
            button.focus()

    @property
    def can_export(self) -> bool:
        if self.blocked:
            return False
        if self.warnings:
            boxes = list(self.query("#confirm-warnings").results(Checkbox))
            return bool(boxes) and boxes[0].value
        return True

    @on(Checkbox.Changed, "#confirm-warnings")
    def _confirmed(self) -> None:
        self.query_one("#do-export", Button).disabled = not self.can_export

    @on(Button.Pressed, "#cancel-export")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#do-export")
    def action_export(self) -> None:
        if not self.can_export:
            self.notify(t("export.not_allowed", self.lang), severity="error", markup=False)
            return
        self._export_and_close()

    def _export_and_close(self) -> None:
        """Export; a failure to write the files is said, and the dialog stays open (nothing is lost)."""
        try:
            files = self.export()
        except OSError as exc:
            message = t("export.failed", self.lang, error=str(exc))
            self.notify(shown(message), severity="error", timeout=15, markup=False)
            return
        self.dismiss(files)

    def export(self) -> ExportFiles:
        app = self.drafter
        compose = self.compose_screen
        gs = app.guidelines
        lang = self.lang
        authorship: dict[str, Any] | None = None
        if self.outcome.summary is not None:
            authorship = self.outcome.summary.to_dict(gs.policies.authorship)
            authorship["summary_line"] = self.outcome.summary.one_line(lang)
        channels = list(self.outcome.lengths)
        primary = channels[0]
        doc = build_export(
            text=self.text,
            channels=channels,
            findings=self.findings,
            guideline_name=gs.name,
            guideline_version=gs.version,
            exported_at=app.clock(),
            brief_id=compose.draft.brief_id,
            draft_id=compose.draft.id,
            author=app.settings.name,
            length=self.outcome.lengths[primary].to_dict(),
            authorship=authorship,
        )
        labels = {
            key: t(f"export.md_{key}", lang)
            for key in ("channel", "brief", "date", "guidelines", "findings", "none", "authorship", "author")
        }
        files = write_export(doc, labels=labels)
        app.copy_to_clipboard(self.text)
        try:
            app.add_to_corpus(self.text, compose.draft.id, primary, compose.draft.brief_id)
        except sqlite3.Error as exc:  # the files are written; only the originality corpus misses the post
            message = t("export.corpus_failed", lang, error=str(exc))
            self.notify(shown(message), severity="warning", timeout=10, markup=False)
        return files


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
            yield SelectionList[str](
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
