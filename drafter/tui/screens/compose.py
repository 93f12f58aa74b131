"""Compose screen: brief panel, editor with live findings, channel gauges, hashtags, side panel.

Extension points
----------------
* Side panel: ``#side-panel`` is an empty container (hidden while empty). Mount panels with
  :meth:`ComposeScreen.mount_side_panel`, or register a factory once with
  :meth:`DrafterApp.register_side_panel`; every compose screen then mounts ``factory(screen)``.
* Edit hooks: the screen is the editor's :class:`~drafter.tui.editor.EditorHooks` (given to
  :class:`~drafter.tui.editor.DraftEditor` in its constructor). Every edit goes through
  :class:`~drafter.tui.editor.OriginEdit`; the hooks see each edit with its origin and code-point offsets
  and feed the authorship record; more listeners can be added with ``editor.add_edit_listener``.

From a keystroke to the findings on screen
------------------------------------------
1. The editor applies the edit and calls the hooks: ``edit_done`` (authorship record), then
   ``after_edit`` → :meth:`ComposeScreen.schedule_check` (undo/redo arrive as ``TextArea.Changed`` →
   ``_text_changed`` → :meth:`~ComposeScreen.schedule_check`).
2. :meth:`~ComposeScreen.schedule_check` runs ``workspace.check_draft(...)`` (:meth:`~ComposeScreen.check`)
   inline while checks are cheap (under ``SYNC_CHECK_BUDGET``), so the frame that shows the character
   shows its underlines; otherwise in a thread worker (:meth:`~ComposeScreen._check_in_thread`) on a
   copy of the text and record, which posts :class:`~drafter.tui.messages.CheckDone` ``(version, check)``.
3. :meth:`~ComposeScreen.apply_check` (directly, or from the ``CheckDone`` handler) drops a result for an
   older text version, then paints underlines, findings list, gauges and the authorship meter.
4. A keystroke's check leaves the corpus out (``defer_corpus``): it carries the last corpus answer's
   findings over and stays ``corpus_pending``. After :data:`CORPUS_PAUSE` without an edit,
   :meth:`~ComposeScreen._ask_corpus` asks the corpus in a worker, which posts
   :class:`~drafter.tui.messages.CorpusAnswered`; the answer is merged when it is for the text shown and
   dropped otherwise. Export (and every other action that reads :meth:`~ComposeScreen.current_check`)
   checks with the corpus at once instead of waiting for the pause.
"""

from __future__ import annotations

import contextlib
import math
import sqlite3
import sys
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Header, OptionList, Select, Static
from textual.worker import get_current_worker

from drafter.authorship import AuthorshipRecord, AuthorshipSummary, Origin, RemovedSpan, classify_paste
from drafter.drafts import (
    ChannelVersion,
    Draft,
    DraftConflict,
    DraftNotFound,
    DraftStatus,
    exported_after,
    main_channels,
    with_version,
)
from drafter.findings import Finding
from drafter.i18n import format_number, t
from drafter.tui.editor import DraftEditor, OriginEdit
from drafter.tui.footer import FittingFooter
from drafter.tui.formatting import shown, shown_line
from drafter.tui.messages import CheckDone, CorpusAnswered
from drafter.tui.screens.base import DrafterScreen
from drafter.tui.voice_panel import VoicePanel
from drafter.tui.widgets import BriefPanel, FindingsList, HashtagPanel, LengthGauge

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from drafter.briefs import Brief
    from drafter.drafting import CorpusAnswer, DraftCheck
    from drafter.originality import PostIndex

AUTOSAVE_DELAY = 0.5  # seconds; a throttle, so continuous typing is still saved at least this often
FORK_POLL_SECONDS = 1.0  # how often a draft's screen looks whether another window's save became a copy
# run the check inline while it costs less than this (thread CPU seconds): half a 60 Hz frame. Inline, the
# keystroke's own frame shows its underlines; the worker path costs more CPU in all (a thread hand-over and a
# message per keystroke) and a frame later, so it is for checks that would make typing stutter.
SYNC_CHECK_BUDGET = 0.008
# seconds without an edit before the corpus is asked for near-copies (the keystroke's own check leaves it
# out: a query of the store costs about 1 ms with 100,000 posts, and a near-copy does not appear between two
# keys). Editors wait about as long before their expensive diagnostics; short enough that a pause to read
# shows the answer, long enough that typing at 3-10 keys a second never asks.
CORPUS_PAUSE = 0.3


class AuthorshipTracker:
    """Feeds every editor edit into an :class:`AuthorshipRecord` (and back out on undo)."""

    def __init__(self, record: AuthorshipRecord) -> None:
        self.record = record

    def edit_done(self, edit: OriginEdit, start: int, end: int, text: str) -> None:
        replaced = edit._edit_result.replaced_text if edit._edit_result is not None else None
        if replaced is not None and len(replaced) != end - start:
            replaced = None
        known = edit.origins
        if isinstance(known, RemovedSpan) and len(known) == len(text):
            edit.payload["authorship"] = self.record.replace_with(start, end, known)
        else:
            edit.payload["authorship"] = self.record.replace(
                start, end, text, Origin(edit.origin), replaced_text=replaced
            )

    def edit_undone(self, edit: OriginEdit, start: int, end: int, restored: str) -> None:
        removed = edit.payload.get("authorship")
        if removed is not None:
            self.record.restore(start, end, removed)


class AuthorshipMeter(Static):
    """Own / pasted / AI / brief shares and the share of 5-grams taken from the brief."""

    DEFAULT_CSS = """
    AuthorshipMeter { width: auto; height: auto; padding: 0 1; border: round $primary 40%; }
    AuthorshipMeter.-fail { border: round $error; }
    """

    _shape: tuple[int, int] = (0, 0)

    def show(self, summary: AuthorshipSummary | None, failing: bool, brief_share: float, lang: str) -> None:
        self.border_title = t("authorship.title", lang)
        self.set_class(failing, "-fail")
        # as wide as the shares usually are (no attested paste, nothing from the brief): the panel said "Noch kein
        # Text." narrower and widened on the first key, which narrowed the editor beside it (a new-user probe saw the
        # text jump); wider than usual took the room of the length gauges at 80x24
        labels = [t(f"authorship.{o.value}", lang) for o in (Origin.TYPED, Origin.PASTED, Origin.AI, Origin.BRIEF)]
        others = (t("authorship.brief_share", lang, share=0), t("authorship.fail", lang), t("authorship.ok", lang))
        wide = max(max(map(len, labels)) + len(" ██████ 100 %"), *map(len, others))
        if summary is None or summary.total == 0:
            self._show_lines([t("authorship.empty", lang).ljust(wide)])
            return
        lines = []
        # a line for attested text only once the author attested a paste
        origins = [Origin.TYPED, Origin.ATTESTED, Origin.PASTED, Origin.AI, Origin.BRIEF]
        origins = [o for o in origins if o is not Origin.ATTESTED or summary.count(o)]
        width = max(len(t(f"authorship.{o.value}", lang)) for o in origins)
        for origin in origins:
            share = summary.share(origin)
            filled = round(share * 6)
            bar = "█" * filled + "░" * (6 - filled)
            # rounded down, as the policy finding says the own share ("selbst 64 %" beside "Nur 63 % …" read as a
            # contradiction: new-user probe)
            percent = math.floor(share * 100 + 1e-9)
            lines.append(f"{t(f'authorship.{origin.value}', lang):<{width}} {bar} {percent:>3} %")
        lines.append(t("authorship.brief_share", lang, share=round(brief_share * 100)))
        lines.append(t("authorship.fail" if failing else "authorship.ok", lang).ljust(wide))
        self._show_lines(lines)

    def _show_lines(self, lines: list[str]) -> None:
        # the panel is as wide and tall as its lines: a new layout only when that shape changes (every
        # keystroke updates the shares, which must not cost a layout pass)
        shape = (len(lines), max(map(len, lines)))
        self.update("\n".join(lines), layout=shape != self._shape)
        self._shape = shape


class ComposeScreen(DrafterScreen):
    AUTO_FOCUS = "#editor"  # never a passing focus on the brief panel that swallows the first keys
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012 (Textual reads a list)

    BINDINGS: ClassVar[list[BindingType]] = [
        # most used first: the footer cuts off at the right on narrow terminals
        Binding("escape", "back", "Inbox", id="compose.back"),
        Binding("f8", "export", "Export", id="compose.export"),
        Binding("f3", "next_finding", "Next finding", id="compose.next_finding"),
        Binding("f4", "apply_fix", "Apply fix", id="compose.apply_fix"),
        Binding("f2", "next_channel", "Channel", id="compose.channel"),
        Binding("ctrl+g", "choose_channels", "Channels", id="compose.channels"),
        Binding("ctrl+t", "hashtags", "Hashtags", id="compose.hashtags"),
        Binding("f10", "origins", "Origins", id="compose.origins"),
        Binding("ctrl+o", "attest", "Mine", id="compose.attest", show=False),
        Binding("f5", "toggle_brief", "Brief", id="compose.toggle_brief"),
        Binding("ctrl+s", "save", "Save", id="compose.save", show=False),
        # not Ctrl+B: tmux's prefix key never reaches the app
        Binding("ctrl+l", "brief_messages", "Brief text", id="compose.brief_insert", show=False),
        Binding("ctrl+f", "findings", "Findings", id="compose.findings", show=False),
        Binding("shift+f9", "voice_reasons", "Voice", id="voice.reasons", show=False),
        Binding("f12", "next_version", "Version", id="versions.next", show=False),
        Binding("shift+f12", "make_version", "New version", id="versions.make", show=False),
        Binding("ctrl+r", "dismiss_warning", "Dismiss", id="compose.dismiss", show=False),
        Binding("ctrl+n", "ai_panel", "AI", id="ai.panel", show=False),
    ]

    def __init__(self, draft: Draft, brief: Brief | None = None, *, brief_error: str | None = None) -> None:
        super().__init__()
        self.draft = draft
        self.brief = brief
        self._initial_text = draft.text.replace("\r\n", "\n")
        self.record = AuthorshipRecord.from_json(draft.authorship, self._initial_text)
        self.tracker = AuthorshipTracker(self.record)
        #: the last check applied, and the editor's text version it belongs to
        self.check_result: DraftCheck | None = None
        self.check_version = -1
        self.check_cost = 0.0
        self.check_count = 0
        #: the screen has been painted once (until then the app's start-up load waits for it)
        self.painted = False
        self._scheduled_version = -1
        #: whether the note on inserted brief text was shown (once per draft opened)
        self._told_brief_insert = False
        self._autosave_timer: Any = None
        self._dirty = False
        self._cursor_dirty = False
        self._show_origins = False
        self._save_error_shown = False
        #: why the draft's brief could not be read (the draft opens without it)
        self._brief_error = brief_error
        #: the text shown: None = the main text, else the channel whose own version is shown
        self.version: str | None = None
        #: the copy another window last made of this draft, as known here (see :meth:`_check_fork`)
        self._fork_seen: str | None = None
        #: texts of AI suggestions shown in the AI panel: a paste that copies one counts as AI text
        self.shown_suggestions: list[str] = []
        #: the last corpus answer (carried over by keystroke checks until the next one arrives)
        self._corpus_answer: CorpusAnswer | None = None
        #: when the last check that left the corpus out was applied, and the timer that asks it after a pause
        self._corpus_due = 0.0
        self._corpus_timer: Any = None
        #: the corpus was readied while a check begun without it was on its way: that check asks when shown
        self._corpus_missed = False

    # -- layout -----------------------------------------------------------------------------------------
    @property
    def channels(self) -> list[str]:
        """The channels the shown text is checked for (a channel version: only its channel)."""
        known = self.drafter.guidelines.channels
        if self.version is not None and self.version in known:
            return [self.version]
        chosen = [c for c in main_channels(self.draft) if c in known]
        return chosen or [self.drafter.guidelines.default_channel]

    def compose(self) -> ComposeResult:
        app = self.drafter
        lang = self.lang
        gs = app.guidelines
        goal = gs.goal(self.brief.goal) if self.brief else None
        yield Header()
        with Horizontal(id="compose-body"):
            with Vertical(id="left-pane"):
                yield BriefPanel(self.brief, goal.hashtag if goal else None, lang, id="brief-panel")
                yield HashtagPanel(
                    gs.goals,
                    self.brief.goal if self.brief else None,
                    lang,
                    brief_hashtags=self.brief.hashtags if self.brief else (),
                    id="hashtags",
                )
            with Vertical(id="center-pane"):
                with Horizontal(id="toolbar"):
                    yield Select(
                        [(Text(shown_line(spec.label, 40)), cid) for cid, spec in gs.channels.items()],
                        value=self.channels[0],
                        allow_blank=False,
                        id="channel-select",
                    )
                    with Vertical(id="gauges"):
                        for cid in self.channels:
                            yield LengthGauge(cid, gs.channels[cid], lang)
                editor = DraftEditor(self._initial_text, hooks=self, id="editor")
                editor.cursor_blink = app.cursor_blink
                editor.placeholder = t("compose.placeholder", lang)
                yield editor
                yield FindingsList(lang, id="findings")
            yield Vertical(id="side-panel", classes="-empty")
        yield FittingFooter()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """As Textual's, and the notice is remembered as this draft's (see :attr:`DrafterApp.draft_notices`)."""
        from textual.notifications import Notification, Notify

        app = self.drafter
        note = Notification(message, title, severity, app.NOTIFICATION_TIMEOUT if timeout is None else timeout, markup)
        app.post_message(Notify(note))
        app.draft_notices.append(note)
        del app.draft_notices[:-50]  # bounded: the newest fifty

    def on_mount(self) -> None:
        app = self.drafter
        # notices of the draft before (an export's file names, for 15 s) would cover this draft's findings;
        # the app's own notices (the team store unreachable) stay
        for note in app.draft_notices:
            if note in app._notifications:  # Textual keeps no public way to withdraw one notice
                app._unnotify(note)
        app.draft_notices.clear()
        if app.guidelines_loaded:  # picks up posts imported meanwhile, off the keystroke path and after the
            self.call_after_refresh(app.refresh_corpus)  # first paint (numpy's import would delay it)
        editor = self.editor
        # control and bidi characters never belong in a post (pastes drop them): neither does a stored draft
        removed = editor.remove_unsafe()
        if removed:
            self._dirty = True
            self.schedule_autosave()
            message = t("compose.controls_removed", self.lang, count=removed)
            self.notify(message, severity="warning", timeout=10, markup=False)
        if self._brief_error is not None:
            message = t("compose.brief_failed", self.lang, error=self._brief_error)
            self.notify(shown(message), severity="error", timeout=20, markup=False)
        row, col = self.draft.cursor
        rows = editor.document.line_count
        row = min(max(row, 0), rows - 1)
        col = min(max(col, 0), len(editor.document.get_line(row)))
        editor.move_cursor((row, col))
        editor.focus()
        # remembered once painted: a draft that cannot be shown is not reopened at every start
        self.call_after_refresh(self._remember_last)
        with contextlib.suppress(sqlite3.Error):
            self._fork_seen = app.drafts.last_fork(self.draft.id)
        self.set_interval(FORK_POLL_SECONDS, self._check_fork)
        self.sub_title = self.version_title()
        self.mount_side_panel(AuthorshipMeter(id="authorship-meter"))
        self.mount_side_panel(VoicePanel(editor, id="voice-panel"))  # hidden until a voice profile exists
        for factory in app.side_panel_factories:
            self.mount_side_panel(factory(self))
        self.run_check_now()
        self.call_after_refresh(self._first_paint_done)
        self.call_after_refresh(app.freeze_gc)  # the screen's long-lived objects: out of full GC passes

    def _first_paint_done(self) -> None:
        self.painted = True
        self.drafter.after_first_paint()

    def _remember_last(self) -> None:
        if not self.is_current:
            return  # left again before the first paint (Esc forgets the pointer): keep it forgotten
        with contextlib.suppress(sqlite3.Error):  # a busy store: the next start opens the inbox instead
            self.drafter.drafts.remember_last(self.draft.id)

    @property
    def editor(self) -> DraftEditor:
        return self.query_one("#editor", DraftEditor)

    def mount_side_panel(self, widget: Widget) -> Widget:
        """Mount ``widget`` into the side panel (``#side-panel``) and show the panel."""
        panel = self.query_one("#side-panel", Vertical)
        panel.remove_class("-empty")
        panel.mount(widget)
        return widget

    # -- the editor's hooks (EditorHooks) -------------------------------------------------------------
    def paste_origin(self, text: str) -> str:
        brief_texts = self.brief.source_texts() if self.brief else []
        return str(classify_paste(text, suggestions=self.shown_suggestions, brief_texts=brief_texts).value)

    def origins_of(self, start: int, end: int) -> Any:
        return self.record.slice(start, end)

    def edit_done(self, edit: OriginEdit, start: int, end: int, text: str) -> None:
        self.tracker.edit_done(edit, start, end, text)

    def edit_undone(self, edit: OriginEdit, start: int, end: int, restored: str) -> None:
        self.tracker.edit_undone(edit, start, end, restored)

    def after_edit(self) -> None:
        self._dirty = True
        self.schedule_autosave()
        self.schedule_check()

    def paste_refused(self, length: int, limit: int) -> None:
        message = t(
            "compose.paste_too_long",
            self.lang,
            count=format_number(length, self.lang),
            limit=format_number(limit, self.lang),
        )
        self.notify(message, severity="error", timeout=10, markup=False)

    # -- checking ---------------------------------------------------------------------------------------
    def check(self, text: str, record: AuthorshipRecord | None = None, *, defer_corpus: bool = False) -> DraftCheck:
        """``workspace.check_draft`` for this draft: its channels, brief and corpus (its own exports left
        out). ``record`` is the authorship record matching ``text`` (a copy when run in a worker).
        ``defer_corpus``: the corpus is not asked; the last answer's findings are carried over."""
        app = self.drafter
        check = app.workspace.check_draft(
            text,
            channels=self.channels,
            record=self.record if record is None else record,
            brief=self.brief,
            corpus=app.corpus_for(self.draft.id),
            date=app.today(),
            dismissals=self.draft.dismissals,
            defer_corpus=defer_corpus,
        )
        answer = self._corpus_answer
        if check.corpus_pending and answer is not None:
            from drafter.drafting import with_corpus

            check = with_corpus(check, answer, self.draft.dismissals)
        return check

    def current_check(self) -> DraftCheck:
        """The check of the editor's text as it is now, with the corpus asked for this text: run now when
        the last one is older or still waits for its corpus answer."""
        editor = self.editor
        result = self.check_result
        if result is None or self.check_version != editor.text_version or result.corpus_pending:
            self.run_check_now()
        assert self.check_result is not None
        return self.check_result

    def run_check_now(self) -> None:
        editor = self.editor
        self.apply_check(editor.text_version, self.check(editor.text))

    def schedule_check(self) -> None:
        editor = self.editor
        self._scheduled_version = editor.text_version
        if self.check_cost <= SYNC_CHECK_BUDGET:
            self.apply_check(editor.text_version, self.check(editor.text, defer_corpus=True))
        else:
            self._check_in_thread(editor.text, editor.text_version, self.record.copy())

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def _check_in_thread(self, text: str, version: int, record: AuthorshipRecord) -> None:
        worker = get_current_worker()
        check = self.check(text, record, defer_corpus=True)
        if not worker.is_cancelled:
            self.post_message(CheckDone(version, check))

    # -- the corpus part, after a pause in typing ---------------------------------------------------------
    def _corpus_wait(self) -> None:
        """A check without its corpus answer was shown: ask the corpus once no edit came for
        :data:`CORPUS_PAUSE` (one timer at a time; a keystroke only moves the due time)."""
        self._corpus_due = time.monotonic() + CORPUS_PAUSE
        if self._corpus_timer is None:
            self._corpus_timer = self.set_timer(CORPUS_PAUSE, self._ask_corpus)

    def _ask_corpus(self) -> None:
        self._corpus_timer = None
        left = self._corpus_due - time.monotonic()
        if left > 0.001:  # typed meanwhile: wait for the rest of the pause
            self._corpus_timer = self.set_timer(left, self._ask_corpus)
            return
        if self.check_result is not None and self.check_result.corpus_pending:  # else answered meanwhile
            self.ask_corpus()

    def ask_corpus(self) -> bool:
        """Ask the corpus for the text shown now, in a worker (when there is a corpus and a check to
        complete); the answer is merged if the text is still the same. Whether it was asked."""
        editor, check = self.editor, self.check_result
        corpus = self.drafter.corpus_for(self.draft.id)
        if corpus is None or check is None or self.check_version != editor.text_version:
            return False  # no corpus; or a newer check is on its way and asks again when shown
        self._corpus_in_thread(check.text, self.check_version, list(check.channels), corpus)
        return True

    @work(thread=True, exclusive=True, group="corpus-answer", exit_on_error=False)
    def _corpus_in_thread(self, text: str, version: int, channels: list[str], corpus: PostIndex) -> None:
        worker = get_current_worker()
        try:
            answer = self.drafter.workspace.corpus_answer(
                text, channels=channels, corpus=corpus, brief=self.brief, date=self.drafter.today()
            )
        except BaseException:
            self.drafter.first_answer.set()  # the start-up load waits no longer
            raise
        if worker.is_cancelled:
            self.drafter.first_answer.set()
        else:
            self.post_message(CorpusAnswered(version, answer))

    @on(CorpusAnswered)
    def _corpus_answered(self, message: CorpusAnswered) -> None:
        self._merge_answer(message)
        self.drafter.first_answer.set()  # shown (or dropped): the start-up load may go on

    def _merge_answer(self, message: CorpusAnswered) -> None:
        from drafter.drafting import with_corpus

        check = self.check_result
        if check is None or message.version != self.editor.text_version or self.check_version != message.version:
            return  # the text changed meanwhile: its own check asks again after the next pause
        if not message.answer.answers(check):
            return  # asked for other channels (changed meanwhile)
        self._corpus_answer = message.answer
        self.show_check(message.version, with_corpus(check, message.answer, self.draft.dismissals))

    def corpus_changed(self) -> bool:
        """The corpus was readied or brought up to date: the answer held is dropped, and the text shown
        is compared again at once (a draft reopened at start gets its originality findings now). Whether
        the corpus was asked."""
        self._corpus_answer = None
        asked = self.ask_corpus()
        # not asked because a check is on its way: begun before the corpus was ready, it is neither answered nor
        # pending, so nothing would ask for it once shown (a reopened copy typed into at start stayed unflagged)
        self._corpus_missed = not asked and self.drafter.corpus_for(self.draft.id) is not None
        return asked

    @on(CheckDone)
    def _check_done(self, message: CheckDone) -> None:
        self.apply_check(message.version, message.check)

    def apply_check(self, version: int, check: DraftCheck) -> None:
        self.check_count += 1
        # exponential moving average of the check's cost decides inline vs. worker
        self.check_cost = check.seconds if self.check_count == 1 else 0.7 * self.check_cost + 0.3 * check.seconds
        if version != self.editor.text_version:
            return  # stale: a newer edit is on its way
        if check.corpus_pending:
            self._corpus_wait()
        elif check.corpus is not None:
            self._corpus_answer = check.corpus
        self.show_check(version, check)
        if self._corpus_missed:
            self._corpus_missed = not check.corpus_pending and not self.ask_corpus()

    def show_check(self, version: int, check: DraftCheck) -> None:
        """Paint ``check`` of the editor's text at ``version``: underlines, findings, gauges, meter."""
        editor = self.editor
        self.check_result = check
        self.check_version = version
        editor.set_findings(check.findings, version)
        self.query_one("#findings", FindingsList).show(check.findings, check.text)
        primary = self.channels[0]
        for gauge in self.query(LengthGauge):
            length = check.lengths.get(gauge.channel)
            if length is not None:
                gauge.update_length(length)
                gauge.set_class(gauge.channel == primary, "-primary")
        for meter in self.query(AuthorshipMeter):
            meter.show(check.summary, check.authorship_failing, check.brief_share, self.lang)
        if self._show_origins:
            editor.set_origin_spans(list(self.record.spans()))

    # -- events -----------------------------------------------------------------------------------------
    @on(DraftEditor.Changed, "#editor")
    def _text_changed(self) -> None:
        # Edits were handled in after_edit already; undo/redo change the text without edit().
        editor = self.editor
        self._dirty = True
        self.schedule_autosave()
        # (a check already scheduled for this version, e.g. running in a worker, is not started twice)
        if editor.marks_version != editor.text_version and self._scheduled_version != editor.text_version:
            self.schedule_check()

    @on(DraftEditor.SelectionChanged, "#editor")
    def _cursor_moved(self) -> None:
        self._cursor_dirty = True
        self.schedule_autosave()

    @on(Select.Changed, "#channel-select")
    def _channel_selected(self, event: Select.Changed) -> None:
        value = str(event.value)
        if value == self.channels[0]:
            return
        rest = [c for c in self.channels if c != value]
        self.set_channels([value, *rest])

    @on(OptionList.OptionSelected, "#findings")
    def _finding_selected(self, event: OptionList.OptionSelected) -> None:
        finding = self.query_one("#findings", FindingsList).current()
        if finding is not None:
            self.goto_finding(finding)

    @on(FindingsList.TypedAway, "#findings")
    def _typed_in_findings(self, event: FindingsList.TypedAway) -> None:
        """Typing with the findings focused goes to the text, where the key would have gone (as typed)."""
        editor = self.editor
        editor.focus()
        editor.post_message(events.Key(event.key, event.character))

    @on(OptionList.OptionSelected, "#hashtags")
    def _hashtag_selected(self, event: OptionList.OptionSelected) -> None:
        tag = self.query_one("#hashtags", HashtagPanel).hashtag(event.option.id)
        if tag:
            self.insert_hashtag(tag)

    @on(OptionList.OptionSelected, "#key-messages")
    def _key_message_selected(self, event: OptionList.OptionSelected) -> None:
        if self.brief is None or event.option.id is None:
            return
        message = self.brief.key_messages[int(event.option.id)]
        self.insert_from_brief(message)

    # -- actions ----------------------------------------------------------------------------------------
    def set_channels(self, channels: list[str]) -> None:
        if self.version is not None:  # a channel version is for its one channel
            self.notify(t("versions.channels_on_main", self.lang), severity="warning", markup=False)
            select = self.query_one("#channel-select", Select)
            with self.prevent(Select.Changed):
                select.value = self.version
            return
        known = self.drafter.guidelines.channels
        channels = [c for c in dict.fromkeys(channels) if c in known] or [self.drafter.guidelines.default_channel]
        self.draft = replace(self.draft, channels=tuple(channels))
        gauges = self.query_one("#gauges", Vertical)
        gauges.remove_children()
        gauges.mount_all(LengthGauge(c, known[c], self.lang) for c in channels)
        select = self.query_one("#channel-select", Select)
        if select.value != channels[0]:
            with self.prevent(Select.Changed):
                select.value = channels[0]
        self._dirty = True
        self.schedule_autosave()
        self.call_after_refresh(self.run_check_now)

    def channel_cycle(self) -> list[str]:
        """The channels F2 steps through: the brief's (else the profile's, else all), then any other channel
        of the draft, so none the user chose is skipped."""
        known = self.drafter.guidelines.channels
        source = list(self.brief.channels) if self.brief and self.brief.channels else []
        source = source or list(self.drafter.settings.channels) or list(known)
        return [c for c in dict.fromkeys([*source, *self.channels]) if c in known]

    def action_next_channel(self) -> None:
        """F2: the next channel of :meth:`channel_cycle` becomes the primary one; the channels checked so
        far stay checked (their gauges stay), none is replaced."""
        cycle = self.channel_cycle()
        current = self.channels[0]
        nxt = cycle[(cycle.index(current) + 1) % len(cycle)] if current in cycle else cycle[0]
        self.set_channels([nxt, *[c for c in self.channels if c != nxt]])

    def action_choose_channels(self) -> None:
        from drafter.tui.screens.dialogs import ChannelsScreen

        def chosen(result: list[str] | None) -> None:
            if result:
                self.set_channels(result)

        self.app.push_screen(ChannelsScreen(self.channels), chosen)

    def goto_finding(self, finding: Finding) -> None:
        editor = self.editor
        editor.move_cursor(editor.offset_to_location(finding.start))
        editor.focus()

    def action_next_finding(self) -> None:
        findings = self.editor.findings
        if not findings:
            return
        pos = self.editor.cursor_offset()
        target = next((f for f in findings if f.start > pos), findings[0])
        fl = self.query_one("#findings", FindingsList)
        if target in fl.findings:
            fl.highlighted = fl.findings.index(target)
        self.goto_finding(target)

    def finding_for_fix(self) -> Finding | None:
        pos = self.editor.cursor_offset()
        for f in self.editor.findings:
            if f.replacements and f.start <= pos <= f.end:
                return f
        current = self.query_one("#findings", FindingsList).current()
        if current is not None and current.replacements:
            return current
        # a missing disclosure has no fix of its own; the profile's marker (its own hint, offered at the end of
        # the text) is that fix, so F4 on the error adds it too (a new-user probe was told "no fix here")
        from drafter.drafting import MARKER_RULE

        here = [f for f in self.editor.findings if f.start <= pos <= f.end]
        if any(f.category == "disclosure" for f in (*here, *([current] if current is not None else []))):
            for f in self.editor.findings:
                if f.rule == MARKER_RULE and f.replacements:
                    return f
        return None

    def action_apply_fix(self) -> None:
        finding = self.finding_for_fix()
        if finding is None:
            self.notify(t("compose.no_fix", self.lang), severity="warning", markup=False)
            return
        editor = self.editor
        self.current_check()
        start = editor.offset_to_location(finding.start)
        end = editor.offset_to_location(finding.end)
        editor.history.checkpoint()
        with editor.origin(Origin.TYPED.value):
            editor.replace(finding.replacements[0], start, end, maintain_selection_offset=False)
        editor.history.checkpoint()
        editor.focus()

    def _neighbours(self) -> tuple[str, str]:
        """The characters just before and just after the selection ("" at a line's start or end)."""
        editor = self.editor
        start, end = sorted(editor.selection)
        before = editor.document.get_line(start[0])[start[1] - 1 : start[1]]
        after = editor.document.get_line(end[0])[end[1] : end[1] + 1]
        return before, after

    def insert_hashtag(self, tag: str) -> None:
        """Insert ``tag`` at the cursor as its own word: a space before and after where a word touches it."""
        before, after = self._neighbours()
        prefix = " " if before and not before.isspace() else ""
        suffix = " " if after and not after.isspace() else ""
        self.editor.insert_with_origin(prefix + tag + suffix, Origin.TYPED.value)
        self.editor.focus()

    def insert_from_brief(self, text: str) -> None:
        editor = self.editor
        before, after = self._neighbours()
        if before and not before.isspace():
            editor.insert_with_origin(" ", Origin.TYPED.value)  # a separating space is not the brief's
        editor.insert_with_origin(text, Origin.BRIEF.value)
        if after and not after.isspace():
            cursor = editor.cursor_location
            editor.insert_with_origin(" ", Origin.TYPED.value)
            editor.move_cursor(cursor)  # typing goes on right after the inserted text
        editor.focus()
        if not self._told_brief_insert:  # the panel offers the text, and a warning follows it word for word
            self._told_brief_insert = True  # (a new-user probe): said once per draft opened
            self.notify(t("compose.brief_inserted", self.lang), timeout=8, markup=False)

    def action_toggle_brief(self) -> None:
        if self.has_class("-narrow"):  # the left pane is hidden on narrow terminals: show it instead
            self.toggle_class("-show-left")
            return
        # the whole left pane, so the editor takes its width (folding the brief alone left 36 empty columns
        # beside the text: a new-user probe); its title still folds the brief alone
        self.toggle_class("-hide-left")

    def _show_left(self) -> None:
        """The left pane back (hidden with the brief key), for a key that goes to a panel in it."""
        self.remove_class("-hide-left")

    def action_hashtags(self) -> None:
        self._show_left()
        panel = self.query_one("#hashtags", HashtagPanel)
        if panel.highlighted is None and panel.option_count:
            panel.highlighted = 0  # Enter inserts at once
        panel.focus()

    def action_brief_messages(self) -> None:
        self._show_left()
        for km in self.query("#key-messages").results(OptionList):
            if km.highlighted is None and km.option_count:
                km.highlighted = 0  # Enter inserts at once
            km.focus()

    def action_findings(self) -> None:
        self.query_one("#findings", FindingsList).focus()

    def action_voice_reasons(self) -> None:
        """Shift+F9 — why the text drifts from the author's voice (the voice panel's reasons, as plain text)."""
        panel = self.query_one("#voice-panel", VoicePanel)
        self.notify(panel.reasons_text(), timeout=12, markup=False)

    def action_origins(self) -> None:
        self._show_origins = not self._show_origins
        self.editor.set_origin_spans(list(self.record.spans()) if self._show_origins else None)
        self.notify(t("compose.origins_on" if self._show_origins else "compose.origins_off", self.lang), markup=False)

    def action_attest(self) -> None:
        """Ctrl+O — the author says "I wrote this elsewhere": the paste under the cursor — or, with the cursor in no
        paste, every paste — becomes ``attested`` (own text by the default policy). A paste that copies the
        brief or resembles a corpus post is refused, and the notification says why. The record changes,
        the text does not; undo and redo of later edits keep it exact, and a paste that is undone and
        redone comes back as ``pasted`` (attest it again)."""
        from drafter.authorship import paste_spans

        editor, record = self.editor, self.record
        text = editor.text
        if len(record) != len(text):
            return
        spans = paste_spans(
            text,
            record,
            brief_texts=self.brief.source_texts() if self.brief else [],
            suggestions=self.shown_suggestions,
            corpus=self.drafter.corpus_for(self.draft.id),
        )
        cursor = editor.cursor_offset()
        here = [s for s in spans if s.start <= cursor <= s.end]
        targets = here or spans
        if not targets:
            self.notify(t("compose.attest_none", self.lang), markup=False)
            return
        attested = 0
        refusals: list[str] = []
        for span in targets:
            if span.refusal is None:
                record.attest(span.start, span.end)
                attested += span.end - span.start
            elif span.refusal not in refusals:
                refusals.append(span.refusal)
        if attested:
            self._dirty = True
            self.schedule_autosave()
            self.run_check_now()
            if self._show_origins:
                editor.set_origin_spans(list(record.spans()))
            self.notify(t("compose.attest_done", self.lang, count=attested), markup=False)
        for refusal in refusals:
            self.notify(t(f"compose.attest_refused_{refusal}", self.lang), severity="warning", markup=False)

    # -- dismissing a warning: drafter/tui/screens/dismiss.py ------------------------------------------
    def action_dismiss_warning(self) -> None:
        """Ctrl+R — dismiss the warning under the cursor (or picked in the list) with a reason; on a
        dismissed one, undo. Errors cannot be dismissed: the core refuses, and the notification says why."""
        from drafter.tui.screens.dismiss import dismiss_warning

        dismiss_warning(self)

    def action_undo_dismissal(self) -> None:
        from drafter.tui.screens.dismiss import undo_dismissal

        undo_dismissal(self)

    def set_dismissals(self, dismissals: tuple[Any, ...]) -> None:
        """The draft's dismissals changed: save at once (the author's decision) and check again."""
        self.draft = replace(self.draft, dismissals=dismissals)
        self._dirty = True
        self.autosave()
        self.run_check_now()

    def action_ai_panel(self) -> None:
        """Ctrl+N: open the AI panel (imported on first use: start-up loads nothing AI), focus it, or — when
        it has the focus and nothing is running — close it."""
        from drafter.tui.ai_panel import AiPanel

        panels = self.query(AiPanel)
        if not panels:
            panel = AiPanel(self, id="ai-panel")
            self.mount_side_panel(panel)
            self.call_after_refresh(panel.focus_panel)
            return
        panel = panels.first()
        if not panel.ready:
            return  # still being mounted (a burst of presses): closing it now crashed its on_mount (a hostile probe)
        # a panel with nothing to focus (AI not set up: only the explanation) closes on the next press; it never
        # takes the focus, so it stayed open until the draft was left (a new-user probe)
        if not panel.running and (panel.has_focus_within or not panel.can_focus_something):
            panel.remove()
            self.editor.focus()
        else:
            panel.focus_panel()

    def _close_idle_ai_panel(self) -> bool:
        """Esc with the AI panel open while AI is not set up (it only explains how, and never takes the focus):
        the panel closes, as its hint says, instead of the draft (a new-user probe). True when it did."""
        module = sys.modules.get("drafter.tui.ai_panel")  # not imported: no panel was ever opened
        if module is None:
            return False
        for panel in self.query(module.AiPanel):
            if panel.ready and not panel.running and not panel.can_focus_something:
                panel.remove()
                return True
        return False

    def action_save(self) -> None:
        self._dirty = True
        self.autosave()
        self.notify(t("compose.saved", self.lang), timeout=2, markup=False)

    def action_back(self) -> None:
        if self.focused is not self.editor and self.focused is not None:
            self.editor.focus()
            return
        if self._close_idle_ai_panel():
            return
        self.autosave()
        self.drafter.drafts.remember_last(None)
        empty = not self.editor.text.strip() and self.version is None and not self.draft.versions
        if empty and self.draft.status is DraftStatus.DRAFT:
            self.drafter.drafts.delete(self.draft.id)  # an empty draft left at once is not worth keeping
        self.app.pop_screen()

    def action_export(self) -> None:
        from drafter.tui.screens.dialogs import ExportScreen

        self.autosave()

        exporting = list(self.channels)  # a channel version: its one channel; the main text: the others

        def done(result: Any) -> None:
            if result is not None:
                exported = exported_after(self.draft, exporting)
                self.draft = replace(self.draft, status=DraftStatus.EXPORTED, exported=exported)
                self._dirty = True
                self.autosave()
                if check.scheduled_for is not None:  # saved, not copied: it may be posted from that day
                    from drafter.i18n import format_date

                    day = format_date(check.scheduled_for, self.lang)
                    message = t("scheduled.done", self.lang, path=str(result.markdown.parent), date=day)
                else:
                    # OSC 52 has no answer: whether the terminal took the text is unknown, the file is certain
                    message = t("input.exported", self.lang, file=str(result.markdown))
                self.notify(shown(message), timeout=15, markup=False)  # long enough to read the file name

        self.run_check_now()  # the gate asks the corpus now: posts may have been added since the last answer
        check = self.current_check()
        # the last export's message (15 s, several lines at 80x24) covered the next export's dialog (a new-user probe)
        self.app.clear_notifications()
        self.app.push_screen(ExportScreen(check, draft_id=self.draft.id, brief_id=self.draft.brief_id), done)

    # -- autosave ---------------------------------------------------------------------------------------
    def schedule_autosave(self) -> None:
        if self._autosave_timer is None:
            self._autosave_timer = self.set_timer(AUTOSAVE_DELAY, self.autosave)

    def authorship_payload(self, text: str) -> dict[str, Any] | None:
        if len(self.record) != len(text):
            self.record.fit(len(text))
        return self.record.to_dict(text)

    def autosave(self) -> None:
        """Write text, cursor, channels and authorship if anything changed. Never raises."""
        self._autosave_timer = None
        if not (self._dirty or self._cursor_dirty) or not self.is_mounted:
            return
        editor = self.editor
        text = editor.text
        touch = self._dirty
        draft = self.with_shown_text(text, editor.cursor_location, self.authorship_payload(text))
        if draft.status is DraftStatus.EXPORTED and _texts(draft) != _texts(self.draft):
            # edited after its export: a draft again (``exported`` still says which channels went out once), so
            # the drafts list does not claim the text it shows was exported (a new-user probe)
            draft = replace(draft, status=DraftStatus.DRAFT)
        drafts = self.drafter.drafts
        try:
            if not self._dirty:
                # only the cursor moved: no new revision, so another window's next save is no conflict
                drafts.save_cursor(draft)
            else:
                try:
                    self.draft = drafts.save(draft, touch=touch)
                except (DraftConflict, DraftNotFound):
                    self._save_as_copy(draft)
        except sqlite3.OperationalError as exc:
            # busy or locked beyond the timeout: keep the change and retry shortly
            if not self._save_error_shown:
                message = t("compose.save_retry", self.lang, error=str(exc))
                self.notify(shown(message), severity="warning", markup=False)
                self._save_error_shown = True
            self._autosave_timer = self.set_timer(AUTOSAVE_DELAY, self.autosave)
            return
        self._save_error_shown = False
        self._dirty = False
        self._cursor_dirty = False

    def _save_as_copy(self, draft: Draft) -> None:
        """Another window saved (or deleted) this draft first: theirs stays the draft, this window's text
        goes on as a copy. Both windows are told (the other one by :meth:`_check_fork`)."""
        drafts = self.drafter.drafts
        original = draft.id
        copy = drafts.create(draft.text, brief_id=draft.brief_id, channels=draft.channels, authorship=draft.authorship)
        kept = replace(
            copy,
            cursor=draft.cursor,
            status=draft.status,
            name=draft.name,
            versions=draft.versions,
            dismissals=draft.dismissals,
        )
        self.draft = drafts.save(kept)
        drafts.remember_last(self.draft.id)
        drafts.note_fork(original, self.draft.id)
        self._fork_seen = None
        title = shown_line(self.draft.title(), 60)
        message = t("input.conflict_copy", self.lang, title=title)
        self.notify(message, severity="warning", timeout=15, markup=False)

    def _check_fork(self) -> None:
        """Say so when another window's later save of this draft was kept as a copy."""
        try:
            fork = self.drafter.drafts.last_fork(self.draft.id)
            if fork is None or fork == self._fork_seen:
                return
            self._fork_seen = fork
            copy = self.drafter.drafts.find(fork)
        except sqlite3.Error:
            return  # busy: asked again at the next poll
        title = shown_line(copy.title(), 60) if copy is not None else ""
        message = t("input.conflict_kept", self.lang, title=title)
        self.notify(message, severity="warning", timeout=15, markup=False)

    def on_screen_suspend(self) -> None:
        self.autosave()

    # -- channel versions: one text per channel, made from the main text ------------------------------
    def with_shown_text(self, text: str, cursor: tuple[int, int], authorship: dict[str, Any] | None) -> Draft:
        """The draft with the shown text (main text or the shown channel version) as given."""
        if self.version is None:
            return replace(self.draft, text=text, cursor=cursor, authorship=authorship)
        versions = {**self.draft.versions, self.version: ChannelVersion(text, authorship, cursor)}
        return replace(self.draft, versions=versions)

    def version_order(self) -> list[str | None]:
        """The main text, then the channel versions in the order of the draft's channels."""
        versions = self.draft.versions
        ordered = [c for c in self.draft.channels if c in versions] + [
            c for c in versions if c not in self.draft.channels
        ]
        return [None, *ordered]

    def show_version(self, version: str | None) -> None:
        """Show the main text (None) or a channel's version: the editor, the authorship record, the gauges
        and the findings follow; what was shown is kept in the draft (and saved)."""
        if version == self.version or (version is not None and version not in self.draft.versions):
            return
        editor = self.editor
        text = editor.text
        self.draft = self.with_shown_text(text, editor.cursor_location, self.authorship_payload(text))
        self._dirty = True
        self.version = version
        if version is None:
            text, authorship, cursor = self.draft.text, self.draft.authorship, self.draft.cursor
        else:
            shown_version = self.draft.versions[version]
            text, authorship, cursor = shown_version.text, shown_version.authorship, shown_version.cursor
        text = text.replace("\r\n", "\n")
        self.record = AuthorshipRecord.from_json(authorship, text)
        self.tracker = AuthorshipTracker(self.record)
        self.check_result = None
        self._corpus_answer = None  # the other text's: not carried over
        editor.load_text(text)  # a new document: undo does not reach into the other version
        editor.text_version += 1  # a check of the other text still running in a worker is dropped
        row = min(max(cursor[0], 0), editor.document.line_count - 1)
        editor.move_cursor((row, min(max(cursor[1], 0), len(editor.document.get_line(row)))))
        known = self.drafter.guidelines.channels
        gauges = self.query_one("#gauges", Vertical)
        gauges.remove_children()
        gauges.mount_all(LengthGauge(c, known[c], self.lang) for c in self.channels)
        select = self.query_one("#channel-select", Select)
        with self.prevent(Select.Changed):
            select.value = self.channels[0]
        self.sub_title = self.version_title()
        self.schedule_autosave()
        self.call_after_refresh(self.run_check_now)
        editor.focus()

    def version_title(self) -> str:
        base = shown_line(self.brief.title, 80) if self.brief else t("compose.free_draft", self.lang)
        if self.draft.name:  # the name the ambassador gave it (F2 in the inbox) says which draft this is
            base = f"{shown_line(self.draft.name, 80)} · {base}"
        if self.version is None:
            return base if not self.draft.versions else f"{base} · {t('versions.main', self.lang)}"
        label = shown_line(self.drafter.guidelines.channels[self.version].label, 40)
        return f"{base} · {t('versions.of_channel', self.lang, channel=label)}"

    def make_version(self, channel: str) -> None:
        """A version for ``channel`` from the main text as it is now (the same origins), then shown."""
        if self.version is not None:
            self.show_version(None)
        if channel in self.draft.versions:
            self.show_version(channel)
            return
        known = self.drafter.guidelines.channels
        if channel not in known:
            return
        editor = self.editor
        text = editor.text
        self.draft = with_version(
            self.with_shown_text(text, editor.cursor_location, self.authorship_payload(text)), channel
        )
        if channel not in self.draft.channels:
            self.draft = replace(self.draft, channels=(*self.draft.channels, channel))
        self._dirty = True
        label = shown_line(known[channel].label, 40)
        self.show_version(channel)
        self.notify(t("versions.made", self.lang, channel=label), markup=False)

    def action_next_version(self) -> None:
        order = self.version_order()
        if len(order) == 1:
            self.notify(t("versions.none", self.lang), markup=False)
            return
        self.show_version(order[(order.index(self.version) + 1) % len(order)])

    def action_make_version(self) -> None:
        """A version for the draft's next channel without one (the palette offers every channel)."""
        if self.version is not None:
            self.show_version(None)
        candidates = [c for c in self.draft.channels[1:] if c not in self.draft.versions]
        if not candidates:
            # one channel only: there is no further channel to make a version for (not "every one has one")
            key = "versions.no_channel" if len(self.draft.channels) > 1 else "versions_extra.one_channel"
            self.notify(t(key, self.lang), severity="warning", markup=False)
            return
        self.make_version(candidates[0])


def _texts(draft: Draft) -> tuple[str, dict[str, str]]:
    """The draft's main text and its channel versions' texts (not their cursors or authorship records)."""
    return draft.text, {channel: version.text for channel, version in draft.versions.items()}
