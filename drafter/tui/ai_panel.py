"""The AI panel of the compose screen (``Ctrl+N``, ``ai.panel``): choose a kind, watch the answer stream,
cancel with Escape, accept or dismiss each suggestion, see exactly what will be sent.

Imported only when the author opens the panel, so start-up imports nothing AI; langchain and openai
load in the worker thread on the first request (:mod:`drafter.ai.provider`). The request is prepared on
the UI thread (:func:`drafter.ai.pipeline.prepare`: configuration, data policy, redaction — what the
preview shows is what is sent), sent from a thread worker (:func:`drafter.ai.pipeline.run`), which posts
:class:`~drafter.tui.messages.AiProgress` and :class:`~drafter.tui.messages.AiDone`. A failing server
shows a message here and never touches the draft. Accepted text enters the authorship record as ``ai``
(the editor's origin), and every shown suggestion counts when a paste is classified.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.document._document import Document
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.widgets.text_area import Selection

from drafter.authorship import Origin
from drafter.i18n import format_number, t
from drafter.tui.formatting import plain, plain_line, shown
from drafter.tui.messages import AiDone, AiProgress, AiSending
from drafter.tui.screens.base import DrafterModal

#: the kinds in the panel's order (as drafter.ai.KINDS, which this module does not import at load time)
KINDS = ("angles", "critique", "rephrase", "hashtags")

if TYPE_CHECKING:
    from drafter.ai.gate import Suggestion
    from drafter.ai.pipeline import Prepared, Request
    from drafter.tui.screens.compose import ComposeScreen

#: the worker posts progress at most this often (seconds), so a fast stream cannot flood the UI loop
PROGRESS_INTERVAL = 0.1
#: the longest a run waits for the footer to show the suggestion list's keys (seconds)
FOOTER_WAIT = 0.5
#: a panel lower than this many rows is laid out compactly (``-short``: 80x24 leaves it about 14)
SHORT = 20


class SentPreview(DrafterModal):
    """Exactly what will be sent: endpoint, model and every message (plain text, escaped)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="ai.preview_close"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="ai-preview"):
            yield Static(plain_line(t("ai.panel.preview_title", self.lang)), classes="title")
            with VerticalScroll():
                yield Static(plain(self.text), id="ai-preview-text")

    def action_dismiss(self, result: Any = None) -> None:  # type: ignore[override]
        self.dismiss(None)


class SuggestionList(OptionList):
    """The suggestions: an option list whose Enter (accept) is named in the footer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Accept", id="ai.accept"),
    ]


class AiPanel(Vertical):
    """The panel; ``screen`` is the compose screen it serves.

    Focus: the kinds when the panel opens; the suggestion list as soon as a kind runs (Tab order: kinds,
    then suggestions). Moving the focus changes the footer's keys (the list's Enter appears; the footer
    rewrites its keys in place and the screen is laid out again): it happens once, in answer to the key
    that starts the run — never when the list appears, which only fills the already focused list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="ai.cancel"),
        Binding("d", "dismiss_suggestion", "Dismiss", id="ai.dismiss"),
        Binding("w", "preview", "What is sent", id="ai.preview"),
    ]

    def __init__(self, compose: ComposeScreen, **kw: Any) -> None:
        super().__init__(**kw)
        self.compose_screen = compose
        self.generation = 0
        self.running = False
        self.cancel_event: threading.Event | None = None
        self.suggestions: list[Suggestion] = []
        self.prepared: Prepared | None = None
        self.configured_error: str | None = None
        #: set when on_mount has run: whether the kinds are shown (AI set up) is known only then
        self.ready = False
        #: the draft text the shown suggestions were made for (None: no run yet, or they were cleared)
        self.based_on: str | None = None

    @property
    def lang(self) -> str:
        return self.compose_screen.lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Static(plain_line(t("ai.panel.title", lang)), classes="title")
        yield Static("", id="ai-setup")
        kinds = OptionList(*[Option(plain_line(t(f"ai.panel.kind_{k}", lang)), id=k) for k in KINDS], id="ai-kinds")
        yield kinds
        yield Static(plain_line(t("ai.panel.hint", lang)), id="ai-status")
        yield SuggestionList(id="ai-suggestions")

    def on_mount(self) -> None:
        from drafter.ai.config import resolve
        from drafter.ai.errors import AiError
        from drafter.settings import settings_path

        workspace = self.compose_screen.drafter.workspace
        try:
            resolve(workspace.settings.ai)
        except AiError as exc:
            self.configured_error = exc.message
            setup = self.query_one("#ai-setup", Static)
            # switched off: the text above says how to switch on; any other problem is named as well
            # (in the app's language; the CLI prints the English)
            off = not workspace.settings.ai.enabled
            path = str(workspace.settings_path or settings_path())  # where to add it (plain text, escaped)
            if off:
                setup.update(plain(t("ai.panel.not_configured", self.lang, detail="", path=path)))
            else:  # switched on, but something is missing: only that, not how to switch on
                setup.update(plain(t("ai_unusable.setup", self.lang, detail=exc.text(self.lang), path=path)))
            self.query_one("#ai-kinds", OptionList).display = False
            # no suggestion can come: its list would be an empty box under the text (a new-user probe)
            self.query_one("#ai-suggestions", SuggestionList).display = False
            # nothing to start: not "Enter starts" (Enter stays in the text, which keeps the focus)
            self.query_one("#ai-status", Static).update(plain_line(t("ai.panel.hint_off", self.lang)))
        else:
            self.query_one("#ai-setup", Static).display = False
            self._warm_up()
        self.query_one("#ai-kinds", OptionList).highlighted = 0
        self.ready = True

    def on_resize(self) -> None:
        self.set_class(self.size.height < SHORT, "-short")

    @property
    def can_focus_something(self) -> bool:
        """Whether the panel holds anything to focus: suggestions, or the kinds (hidden while AI is not set up).
        Only meaningful once the panel is :attr:`ready`."""
        try:
            kinds = self.query_one("#ai-kinds", OptionList)
        except NoMatches:  # being closed
            return False
        return bool(self.suggestions) or bool(kinds.display)

    def focus_panel(self) -> None:
        """The suggestions when there are any, else the kinds; nothing while AI is not set up (the focus stays
        in the text: a hidden list took it, and what was typed next went nowhere — a hostile probe)."""
        if not self.ready:  # asked for before on_mount ran (its children not mounted yet, or the kinds not yet
            self.call_after_refresh(self.focus_panel)  # hidden): once it has
            return
        if not self.is_attached:
            return  # closed in the meantime
        # a panel being closed loses its children before itself (a burst of Ctrl+N crashed here: a hostile probe)
        try:
            kinds = self.query_one("#ai-kinds", OptionList)
            suggestions = self.query_one("#ai-suggestions", SuggestionList)
        except NoMatches:
            return
        self.drop_if_stale()
        if self.suggestions:
            suggestions.focus()
        elif kinds.display:
            kinds.focus()

    # -- requests -----------------------------------------------------------------------------------
    def request(self, kind: str) -> Request:
        from drafter.ai.pipeline import Request

        screen = self.compose_screen
        editor = screen.editor
        text = editor.text
        selection = None
        start, end = editor.selection.start, editor.selection.end
        doc = cast(Document, editor.document)
        a, b = sorted((doc.get_index_from_location(start), doc.get_index_from_location(end)))
        if b > a:
            selection = (a, b)
        elif kind == "rephrase":
            selection = sentence_at(text, editor.cursor_offset())
        return Request(kind, draft=text, selection=selection, brief=screen.brief, channel=screen.channels[0])

    def prepare(self, kind: str) -> Prepared | None:
        from drafter.ai.errors import AiError
        from drafter.ai.pipeline import prepare

        try:
            return prepare(self.compose_screen.drafter.workspace, self.request(kind))
        except AiError as exc:
            self.status(t("ai.panel.refused", self.lang, error=exc.text(self.lang)), error=True)
            return None

    @on(OptionList.OptionSelected, "#ai-kinds")
    def _kind_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.start(event.option.id)

    def start(self, kind: str) -> None:
        """Run ``kind``: the request is read from the editor here; preparing (templates, redaction) and
        sending happen in a worker thread, so the UI loop never waits for them."""
        if self.running:
            return
        request = self.request(kind)
        self.generation += 1
        self.running = True
        self.cancel_event = threading.Event()
        self.set_suggestions([])
        self.based_on = request.draft
        self.status(t("ai.panel.preparing", self.lang))
        suggestions = self.query_one("#ai-suggestions", SuggestionList)
        if suggestions.has_focus:
            self._run(self.generation, request, self.cancel_event)
        else:
            suggestions.focus()
            self._send_after_footer(self.generation, request, self.cancel_event, time.monotonic())

    def _send_after_footer(self, generation: int, request: Request, cancel: threading.Event, since: float) -> None:
        """Send once the footer shows the list's keys. Moving the focus changes the footer's keys (written
        in place, then the screen is laid out and painted: a frame, more on a busy machine): waiting for
        it keeps that work in answer to the key press, out of the stream and out of the moment the list
        appears. At most :data:`FOOTER_WAIT`."""
        if generation != self.generation or cancel.is_set():
            return
        from textual.widgets import Footer

        from drafter.tui.footer import footer_keys

        footers = self.screen.query(Footer)
        ready = not footers or any(
            key.action == "select" for key in footer_keys(footers.first())
        )  # the list's Enter (ai.accept) is the one footer key that selects
        if ready or time.monotonic() - since > FOOTER_WAIT:
            self.call_after_refresh(self._run, generation, request, cancel)  # after its paint
        else:
            self.set_timer(0.01, lambda: self._send_after_footer(generation, request, cancel, since))

    @work(thread=True, group="ai", exit_on_error=False)
    def _warm_up(self) -> None:
        """Load langchain/openai and the prompt templates while the author reads the panel, then keep
        what they loaded out of the cyclic GC's full collections (the app's :meth:`freeze_gc`): with
        them in memory a full collection took 100–700 ms, and held the UI loop while a stream ran."""
        from drafter.ai.prompts import environment

        environment()
        import langchain_openai  # noqa: F401

        self.compose_screen.drafter.freeze_gc()

    @work(thread=True, group="ai", exit_on_error=False)
    def _run(self, generation: int, request: Request, cancel: threading.Event) -> None:
        from drafter.ai.errors import AiError, AiProviderError
        from drafter.ai.pipeline import prepare, run
        from drafter.ai.provider import Cancelled

        received = 0
        last = 0.0

        def progress(piece: str) -> None:
            nonlocal received, last
            received += len(piece)
            now = time.monotonic()
            if now - last >= PROGRESS_INTERVAL:
                last = now
                self.post_message(AiProgress(generation, received))
            time.sleep(0)  # hand the GIL to the UI loop between chunks

        workspace = self.compose_screen.drafter.workspace
        try:
            prepared = prepare(workspace, request)
            self.post_message(AiSending(generation, prepared))
            result = run(workspace, prepared, on_progress=progress, cancel=cancel, lang=self.lang)
        except Cancelled:
            self.post_message(AiDone(generation, cancelled=True))
        except AiProviderError as exc:
            # the detail in the panel's language (the CLI prints the English ``message``)
            self.post_message(AiDone(generation, error=exc.text(self.lang), failure=exc.failure))
        except AiError as exc:  # configuration, request or data policy: nothing was sent
            self.post_message(AiDone(generation, error=exc.text(self.lang), failure="refused"))
        except Exception as exc:  # a bug must not take the draft down: report it in the panel
            self.post_message(AiDone(generation, error=f"{type(exc).__name__}: {exc}", failure="server"))
        else:
            self.post_message(AiDone(generation, result=result))

    @on(AiSending)
    def _sending(self, message: AiSending) -> None:
        if message.generation == self.generation and self.running:
            self.prepared = message.prepared
            prepared = message.prepared
            self.status(
                t("ai.panel.sending", self.lang, host=prepared.host, chars=format_number(prepared.chars, self.lang))
            )

    @on(AiProgress)
    def _progress(self, message: AiProgress) -> None:
        if message.generation == self.generation and self.running:
            # the count only: the answer's raw JSON (`{"remarks": [{"quote": …`) is no text for the author
            self.status(t("ai.panel.receiving", self.lang, count=format_number(message.received, self.lang)))

    @on(AiDone)
    def _done(self, message: AiDone) -> None:
        if message.generation != self.generation:
            return
        self.running = False
        if message.cancelled:
            self.status(t("ai.panel.cancelled", self.lang))
        elif message.error is not None:
            head = t(f"ai.panel.failure_{message.failure or 'server'}", self.lang)
            self.status(t("ai.panel.failed", self.lang, head=head, error=message.error), error=True)
        else:
            result = message.result
            self.set_suggestions(list(result.suggestions))
            blocked = sum(1 for s in result.suggestions if s.blocked)
            self.status(t("ai.panel.done", self.lang, count=len(result.suggestions), blocked=blocked))
            suggestions = self.query_one("#ai-suggestions", SuggestionList)
            if self.has_focus_within and not suggestions.has_focus:  # back to the kinds meanwhile; the
                suggestions.focus()  # editor (typing on while it streamed) keeps the focus: Ctrl+N comes here

    # -- out of date --------------------------------------------------------------------------------
    def stale(self) -> bool:
        """Whether suggestions are shown for a draft text that has changed since (the gate judged them
        on the old text: they cannot be accepted)."""
        if not self.suggestions or self.based_on is None or self.running:
            return False
        return self.compose_screen.editor.text != self.based_on

    def drop_if_stale(self) -> bool:
        """Clear out-of-date suggestions and say so in the status line; True when it did."""
        if not self.stale():
            return False
        self.set_suggestions([])
        self.based_on = None
        self.status(t("ai.panel.stale", self.lang), error=True)
        return True

    @on(events.DescendantFocus)
    def _focus_within(self, event: events.DescendantFocus) -> None:
        if self.drop_if_stale():  # reached by Tab or the mouse: the kinds, not an emptied list
            kinds = self.query_one("#ai-kinds", OptionList)
            if kinds.display and not kinds.has_focus:
                kinds.focus()

    # -- showing and choosing -----------------------------------------------------------------------
    def status(self, text: str, *, error: bool = False) -> None:
        """The status line. Its box has a fixed height, and updates do not ask for a new layout: a
        streaming answer repaints these few lines, not the compose screen with its editor."""
        widget = self.query_one("#ai-status", Static)
        widget.update(plain(text), layout=False)
        widget.set_class(error, "-error")

    def set_suggestions(self, suggestions: list[Suggestion]) -> None:
        self.suggestions = suggestions
        shown_texts = self.compose_screen.shown_suggestions
        for s in suggestions:
            if s.text not in shown_texts:
                shown_texts.append(s.text)  # a paste of it counts as AI text
        options = self.query_one("#ai-suggestions", SuggestionList)
        options.set_options([Option(self.label(s), id=str(i)) for i, s in enumerate(suggestions)])
        if suggestions:
            options.highlighted = 0

    def label(self, s: Suggestion) -> Content:
        lines = [shown(s.text)]
        if s.blocked:
            lines.append("  ⛔ " + shown(s.reason or ""))
        lines += ["  ⚠ " + shown(f.message) for f in s.findings if f.severity.value == "warning"]
        if s.voice is not None:  # how close a rephrasing is to the author's own voice (voice profile)
            lines.append("  ♪ " + t("ai.panel.voice", self.lang, score=round(s.voice)))
        if s.kind == "critique" and s.start is not None and s.end is not None:
            lines.append("  ↳ " + shown(self.compose_screen.editor.text[s.start : s.end][:60]))
        content = Content("\n".join(lines))
        return content.stylize("dim") if s.blocked else content

    def current(self) -> tuple[int, Suggestion] | None:
        options = self.query_one("#ai-suggestions", OptionList)
        index = options.highlighted
        if index is None or not (0 <= index < len(self.suggestions)):
            return None
        return index, self.suggestions[index]

    @on(OptionList.OptionSelected, "#ai-suggestions")
    def _accept(self, event: OptionList.OptionSelected) -> None:
        chosen = self.current()
        if chosen is not None:
            self.accept(chosen[1])

    def accept(self, s: Suggestion) -> bool:
        """Insert ``s`` into the draft as AI text; False (with a notification) when it cannot be."""
        from drafter.ai.errors import AiError
        from drafter.ai.pipeline import accepted_text

        screen = self.compose_screen
        editor = screen.editor
        lang = self.lang
        if self.drop_if_stale():
            self.app.notify(t("ai.panel.stale", lang), severity="warning", markup=False)
            return False
        if s.kind == "critique":  # a remark: show its passage
            if s.start is not None and s.end is not None and s.end <= len(editor.text):
                editor.selection = Selection(editor.offset_to_location(s.start), editor.offset_to_location(s.end))
            editor.focus()
            return True
        try:
            text = accepted_text(s)
        except AiError:
            self.app.notify(shown(t("ai.panel.blocked", lang, reason=s.reason or "")), severity="warning", markup=False)
            return False
        if s.kind == "rephrase":
            assert s.start is not None and s.end is not None and self.prepared is not None
            original = self.prepared.request.draft[s.start : s.end]
            if editor.text[s.start : s.end] != original:
                self.app.notify(t("ai.panel.selection_changed", lang), severity="warning", markup=False)
                return False
            start, end = editor.offset_to_location(s.start), editor.offset_to_location(s.end)
            editor.history.checkpoint()
            with editor.origin(Origin.AI.value):
                editor.replace(text, start, end, maintain_selection_offset=False)
            editor.history.checkpoint()
        else:
            row, col = editor.cursor_location
            before = editor.document.get_line(row)[col - 1] if col > 0 else ""
            if before and not before.isspace():
                editor.insert_with_origin(" ", Origin.TYPED.value)
            editor.insert_with_origin(text, Origin.AI.value)
        self.based_on = editor.text  # the author's own choice: the others stay for the text it made
        self.remove_suggestion(s)
        editor.focus()
        return True

    def remove_suggestion(self, s: Suggestion) -> None:
        self.set_suggestions([x for x in self.suggestions if x is not s])

    # -- actions ------------------------------------------------------------------------------------
    def action_cancel(self) -> None:
        if self.running and self.cancel_event is not None:
            self.cancel_event.set()
            self.running = False
            self.generation += 1  # whatever the worker still posts is dropped
            self.status(t("ai.panel.cancelled", self.lang))
            return
        self.compose_screen.editor.focus()

    def action_dismiss_suggestion(self) -> None:
        chosen = self.current()
        if chosen is not None:
            self.remove_suggestion(chosen[1])

    def action_preview(self) -> None:
        options = self.query_one("#ai-kinds", OptionList)
        index = options.highlighted or 0
        prepared = self.prepare(KINDS[index])
        if prepared is not None:
            self.app.push_screen(SentPreview(prepared.preview()))


def sentence_at(text: str, offset: int) -> tuple[int, int] | None:
    """The sentence around ``offset`` (ends at . ! ? or a line break), for rephrasing without a selection."""
    if not text.strip():
        return None
    offset = min(max(offset, 0), len(text))
    while offset > 0 and (offset == len(text) or text[offset] in ".!?\n" or text[offset].isspace()):
        if text[offset - 1] not in ".!?\n" and not text[offset - 1].isspace():
            break
        offset -= 1  # the cursor right after a sentence: that sentence
    start = offset
    while start > 0 and text[start - 1] not in ".!?\n":
        start -= 1
    end = offset
    while end < len(text) and text[end] not in ".!?\n":
        end += 1
    if end < len(text) and text[end] in ".!?":
        end += 1
    while start < end and text[start].isspace():
        start += 1
    return (start, end) if end > start else None
