"""The draft editor: a TextArea that underlines findings in place and tags every edit with its origin.

Hooks: the editor gets an :class:`EditorHooks` object in its constructor (the compose screen is one).
Every mutation that goes through :meth:`TextArea.edit` is turned into an :class:`OriginEdit` carrying
an origin (``typed``, ``pasted``, ``brief``, ``ai``). Undo/redo replay those same objects through
:meth:`OriginEdit.undo` / :meth:`OriginEdit.do`, so the hooks' ``edit_done`` / ``edit_undone`` (and any
further listener registered with :meth:`DraftEditor.add_edit_listener`) see every change with
code-point offsets and can keep a per-character ledger exact. ``after_edit`` runs right after each
edit, ``paste_origin`` decides what a paste counts as, ``origins_of`` gives the origins of copied text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import TextArea
from textual.widgets.text_area import Document, Edit, EditResult, TextAreaTheme

from drafter.findings import Finding, Severity
from drafter.safe_text import strip_unsafe
from drafter.tui.formatting import display_text

if TYPE_CHECKING:
    from textual.widgets.text_area import Location

TYPED = "typed"
PASTED = "pasted"
BRIEF = "brief"
AI = "ai"
ATTESTED = "attested"

#: component class per severity and per origin; the colours live in CSS (theme variables)
SEVERITY_CLASSES: dict[Severity, str] = {
    Severity.ERROR: "draft-editor--error",
    Severity.WARNING: "draft-editor--warning",
    Severity.INFO: "draft-editor--info",
}
ORIGIN_CLASSES: dict[str, str] = {
    PASTED: "draft-editor--pasted",
    BRIEF: "draft-editor--brief",
    AI: "draft-editor--ai",
    ATTESTED: "draft-editor--attested",
}

#: a paste (or brief insert) that would make the draft longer than this is refused, the draft untouched.
#: More than three times the longest post the bundled channels allow (LinkedIn, 3,000); the editor
#: re-renders a long *single* line per keystroke, so far longer pastes would make typing sluggish.
#: U+200D, which joins emoji into one ("👩‍🔧"); kept by :func:`drafter.safe_text.strip_unsafe` too
ZERO_WIDTH_JOINER = "\u200d"
MAX_DRAFT_CHARS = 10_000

THEME_NAME = "drafter"


class EditListener(Protocol):
    """Notified of every edit, with code-point offsets into the text *before* the edit."""

    def edit_done(self, edit: OriginEdit, start: int, end: int, text: str) -> None: ...

    def edit_undone(self, edit: OriginEdit, start: int, end: int, restored: str) -> None: ...


class EditorHooks(EditListener, Protocol):
    """What the editor asks its owner (passed to :class:`DraftEditor` in its constructor)."""

    def paste_origin(self, text: str) -> str:
        """The origin of pasted ``text`` (e.g. ``brief`` when it matches the brief), else ``pasted``."""
        ...

    def origins_of(self, start: int, end: int) -> Any:
        """The origins of a range of the text, kept with text that is cut or copied (None: unknown)."""
        ...

    def after_edit(self) -> None:
        """Right after every edit, before the next frame (the compose screen checks here, so the frame
        that shows the new character already shows the new underlines)."""
        ...

    def paste_refused(self, length: int, limit: int) -> None:
        """A paste or insert was refused: the draft would have been ``length`` characters, over ``limit``
        (the compose screen notifies); the draft is unchanged."""
        ...


class NoHooks:
    """Hooks that do nothing: every paste is ``pasted``, copied text carries no origins."""

    def paste_origin(self, text: str) -> str:
        return PASTED

    def origins_of(self, start: int, end: int) -> Any:
        return None

    def after_edit(self) -> None:
        return None

    def paste_refused(self, length: int, limit: int) -> None:
        return None

    def edit_done(self, edit: OriginEdit, start: int, end: int, text: str) -> None:
        return None

    def edit_undone(self, edit: OriginEdit, start: int, end: int, restored: str) -> None:
        return None


@dataclass
class OriginEdit(Edit):
    """An :class:`Edit` that knows who wrote its text. Listeners may keep state in ``payload``."""

    origin: str = TYPED
    payload: dict[str, Any] = field(default_factory=dict)
    #: per-character origins of ``text`` when they are known already (text cut or copied in this app and
    #: pasted back); opaque to the editor, interpreted by the listeners
    origins: Any = None
    _offsets: tuple[int, int] | None = field(init=False, default=None)

    @classmethod
    def wrap(cls, edit: Edit, origin: str, origins: Any = None) -> OriginEdit:
        return cls(
            edit.text, edit.from_location, edit.to_location, edit.maintain_selection_offset, origin, origins=origins
        )

    def do(self, text_area: TextArea, record_selection: bool = True) -> EditResult:
        doc = cast(Document, text_area.document)
        start = doc.get_index_from_location(self.top)
        end = doc.get_index_from_location(self.bottom)
        result = super().do(text_area, record_selection)
        self._offsets = (start, end)
        if isinstance(text_area, DraftEditor):
            text_area._edit_done(self, start, end, self.text)
        return result

    def undo(self, text_area: TextArea) -> EditResult:
        doc = cast(Document, text_area.document)
        start = doc.get_index_from_location(self.top)
        end = start + len(self.text)
        result = super().undo(text_area)
        if isinstance(text_area, DraftEditor) and self._edit_result is not None:
            text_area._edit_undone(self, start, end, self._edit_result.replaced_text)
        return result


#: (text, origins) of the last text cut or copied in an editor of this process
_clip: tuple[str, Any] | None = None


def _set_clipboard_origins(text: str, origins: Any) -> None:
    global _clip
    _clip = (text, origins) if origins is not None else None


def _clipboard_origins(text: str) -> Any:
    return _clip[1] if _clip is not None and _clip[0] == text and text else None


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    style: Style


class DraftEditor(TextArea):
    """The compose editor. Findings are painted in :meth:`get_line`; edits carry an origin."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *TextArea.COMPONENT_CLASSES,
        *SEVERITY_CLASSES.values(),
        *ORIGIN_CLASSES.values(),
        "draft-editor--cursor-line",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        # as most editors do: Ctrl+A selects all (TextArea's line start stays on Home)
        Binding("ctrl+a", "select_all", "Select all", id="editor.select_all", show=False),
        Binding("ctrl+home", "cursor_text_start", "Start of text", id="editor.text_start", show=False),
        Binding("ctrl+end", "cursor_text_end", "End of text", id="editor.text_end", show=False),
    ]

    DEFAULT_CSS = """
    DraftEditor { height: 1fr; }
    /* $text-*: each theme's colours meant for text on its background ($warning on a light theme: 1.2:1) */
    DraftEditor > .draft-editor--error { color: $text-error; text-style: bold underline; }
    DraftEditor > .draft-editor--warning { color: $text-warning; text-style: underline; }
    DraftEditor > .draft-editor--info { color: $text-primary; text-style: underline; }
    DraftEditor > .draft-editor--pasted { background: $warning 30%; }
    DraftEditor > .draft-editor--brief { background: $primary 40%; }
    DraftEditor > .draft-editor--ai { background: $secondary 50%; }
    DraftEditor > .draft-editor--attested { background: $success 25%; }
    DraftEditor > .draft-editor--cursor-line { background: $boost; }
    """

    def __init__(self, text: str = "", *, hooks: EditorHooks | None = None, **kwargs: Any) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", **kwargs)
        self._origin_stack: list[str] = []
        self.hooks: EditorHooks = hooks if hooks is not None else NoHooks()
        self._listeners: list[EditListener] = [self.hooks]
        self._marks: dict[int, list[_Mark]] = {}
        self._origin_marks: dict[int, list[_Mark]] = {}
        self.findings: tuple[Finding, ...] = ()
        self.text_version = 0
        self.marks_version = -1
        self._pending_origins: Any = None

    def on_mount(self) -> None:
        self._paint_cursor_line()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._paint_cursor_line())

    def _paint_cursor_line(self) -> None:
        """Only a background on the cursor line, so the finding underlines and colours survive there. The
        component's colour is see-through ($boost: white at 4 %); a Rich style has no alpha, so it is laid
        over the editor's own background here (taken as it was, the line turned solid white under light
        grey text: a new-user probe could hardly read the line being typed)."""
        overlay = self.get_component_styles("draft-editor--cursor-line").background
        line = (self.background_colors[1] + overlay).rich_color
        self.register_theme(TextAreaTheme(name=THEME_NAME, cursor_line_style=Style(bgcolor=line)))
        self.theme = THEME_NAME
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        """Repaint once TextArea has rewrapped to the new width (its own ``_on_resize``, same event).

        The compositor paints a resized editor at once, with the wrap offsets of the old width, before
        this event arrives; TextArea then rewraps and clears its line cache but repaints only when the
        wrapped height changes. After a burst typed while the editor was still wider (the side panel
        mounts after the keys held at start-up are released), rows cut at the old offsets stayed on
        screen — words gone at the right edge — until the next edit. Only what is drawn changes."""
        self.refresh()

    def severity_style(self, severity: Severity) -> Style:
        return self.get_component_rich_style(SEVERITY_CLASSES[severity], partial=True)

    def origin_style(self, origin: str) -> Style:
        name = ORIGIN_CLASSES.get(origin)
        return self.get_component_rich_style(name, partial=True) if name else Style()

    def action_cursor_text_start(self) -> None:
        self.move_cursor((0, 0))

    def action_cursor_text_end(self) -> None:
        self.move_cursor(self.document.end)

    # -- origin routing -------------------------------------------------------------------------------
    @property
    def current_origin(self) -> str:
        return self._origin_stack[-1] if self._origin_stack else TYPED

    @contextmanager
    def origin(self, origin: str) -> Iterator[None]:
        """Edits made inside this block carry ``origin`` (e.g. ``brief`` for a brief insert)."""
        self._origin_stack.append(origin)
        try:
            yield
        finally:
            self._origin_stack.pop()

    def add_edit_listener(self, listener: EditListener) -> None:
        self._listeners.append(listener)

    def remove_edit_listener(self, listener: EditListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def edit(self, edit: Edit) -> EditResult:
        if "\r" in edit.text:
            edit.text = edit.text.replace("\r\n", "\n").replace("\r", "\n")
        # ESC, other C0/C1 controls, bidi controls and invisible formatters never belong in a post, and on
        # the terminal they would start escape sequences or reorder text: every insert drops them
        edit.text = strip_unsafe(edit.text)
        if not isinstance(edit, OriginEdit):
            edit = OriginEdit.wrap(edit, self.current_origin, self._pending_origins)
        self.text_version += 1
        result = super().edit(edit)
        self.hooks.after_edit()
        return result

    def _undo_batch(self, edits: Sequence[Edit]) -> None:
        self.text_version += 1
        super()._undo_batch(edits)

    def _redo_batch(self, edits: Sequence[Edit]) -> None:
        self.text_version += 1
        super()._redo_batch(edits)

    def _edit_done(self, edit: OriginEdit, start: int, end: int, text: str) -> None:
        for listener in self._listeners:
            listener.edit_done(edit, start, end, text)

    def _edit_undone(self, edit: OriginEdit, start: int, end: int, restored: str) -> None:
        for listener in self._listeners:
            listener.edit_undone(edit, start, end, restored)

    async def _on_key(self, event: events.Key) -> None:
        """Keys that are bindings (End, Ctrl+Home, F4 …) run here, in their place among typed keys.

        Textual inserts typed characters in the focused widget's own handler but runs bindings only after
        the key has bubbled up to the app, through the message queues; keys that arrive in one burst (a
        busy start-up, a fast typist, a macro) then apply out of order: ``End, Enter, text`` ended up as
        ``Enter, End, text``. Running the binding chain inline (what the app would run for this key, from
        the focused editor up) keeps every key in order (textual issue #6605)."""
        if event.key == "ctrl+j" and not self.read_only:
            # a line feed: Enter typed before the terminal left line mode (the tty turned CR into LF)
            event.stop()
            event.prevent_default()
            self._replace_via_keyboard("\n", *self.selection)
            return
        if event.character == ZERO_WIDTH_JOINER and not self.read_only:
            # the joiner of an emoji sequence ("👩" ZWJ "🔧"), as an emoji picker types it: a format character,
            # so not "printable", and TextArea's handler dropped it (a paste kept it): the draft then held two
            # emoji and another length than the one the author typed
            event.stop()
            event.prevent_default()
            self._replace_via_keyboard(ZERO_WIDTH_JOINER, *self.selection)
            return
        if event.is_printable or event.key == "enter":
            return  # TextArea's own handler inserts it
        if await self.app._check_bindings(event.key):
            event.stop()
            event.prevent_default()

    async def _on_paste(self, event: events.Paste) -> None:
        # Textual calls every class's handler in the MRO; stop the base one so the text lands once.
        event.prevent_default()
        if self.read_only:
            return
        self._paste(event.text)
        self.focus()

    # -- clipboard: text moved within the app keeps its origins ---------------------------------------
    def _paste(self, text: str) -> None:
        """Insert pasted ``text``: with its recorded origins when this app cut or copied exactly that text
        (so moving words around changes nobody's authorship), otherwise as ``pasted`` (or what
        the hooks' ``paste_origin`` decides, e.g. ``brief``). Ctrl+V and the terminal's paste both come here."""
        text = strip_unsafe(text.replace("\r\n", "\n").replace("\r", "\n"))
        if not self.fits(text):
            return
        known = _clipboard_origins(text)
        origin = PASTED if known is not None else self.hooks.paste_origin(text)
        self._pending_origins = known
        try:
            with self.origin(origin):
                if result := self._replace_via_keyboard(text, *self.selection):
                    self.move_cursor(result.end_location)
        finally:
            self._pending_origins = None

    def action_paste(self) -> None:
        if self.read_only:
            return
        self._paste(self.app.clipboard)

    def action_copy(self) -> None:
        start, end = sorted(self.selection)
        super().action_copy()
        self._remember_clip(start, end)

    def action_cut(self) -> None:
        if self.read_only:
            return
        start, end = sorted(self.selection)
        if start == end:  # cut the whole line, as TextArea does
            row = start[0]
            start, end = (row, 0), (row + 1, 0) if row + 1 < self.document.line_count else self.document.end
        self._remember_clip(start, end)
        super().action_cut()

    def _remember_clip(self, start: Location, end: Location) -> None:
        doc = cast(Document, self.document)
        text = doc.get_text_range(start, end)
        origins = None
        if text:
            origins = self.hooks.origins_of(doc.get_index_from_location(start), doc.get_index_from_location(end))
        _set_clipboard_origins(text, origins)

    def fits(self, text: str, location: Location | None = None) -> bool:
        """Whether inserting ``text`` (over the selection, or at ``location``) keeps the draft within
        :data:`MAX_DRAFT_CHARS`; when not, the hooks' ``paste_refused`` is told and nothing changes."""
        start, end = sorted(self.selection) if location is None else (location, location)
        doc = cast(Document, self.document)
        replaced = doc.get_index_from_location(end) - doc.get_index_from_location(start)
        length = len(self.text) - replaced + len(text)
        if len(text) <= 1 or length <= MAX_DRAFT_CHARS:
            return True  # typing goes on; only what arrives in one piece is refused
        self.hooks.paste_refused(length, MAX_DRAFT_CHARS)
        return False

    def insert_with_origin(self, text: str, origin: str, location: Location | None = None) -> EditResult | None:
        """Insert ``text`` at ``location`` (default: replace the selection) as one undo step; ``None``
        when it would make the draft too long (see :meth:`fits`)."""
        if not self.fits(text, location):
            return None
        self.history.checkpoint()
        with self.origin(origin):
            if location is None:
                start, end = self.selection
                result = self.replace(text, start, end, maintain_selection_offset=False)
            else:
                result = self.insert(text, location, maintain_selection_offset=False)
        self.history.checkpoint()
        return result

    # -- findings -------------------------------------------------------------------------------------
    def _row_starts(self) -> list[int]:
        starts = [0]
        total = 0
        for line in self.document.lines[:-1]:
            total += len(line) + 1
            starts.append(total)
        return starts

    def _spans_by_row(self, spans: Sequence[tuple[int, int, Style]]) -> dict[int, list[_Mark]]:
        out: dict[int, list[_Mark]] = {}
        if not spans:
            return out
        starts = self._row_starts()
        lines = self.document.lines
        import bisect

        for start, end, style in spans:
            end = max(end, start + 1)
            row = max(0, bisect.bisect_right(starts, start) - 1)
            while row < len(starts) and starts[row] < end:
                row_start = starts[row]
                c0 = max(start - row_start, 0)
                c1 = min(end - row_start, len(lines[row]) + 1)
                if c1 > c0:
                    out.setdefault(row, []).append(_Mark(c0, c1, style))
                row += 1
        return out

    def set_findings(self, findings: Sequence[Finding], version: int | None = None) -> None:
        """Underline ``findings`` (offsets into the current text), worst severity painted last."""
        self.findings = tuple(findings)
        ordered = sorted(self.findings, key=lambda f: -f.severity.rank)
        # a dismissed warning stays marked, in the muted colour of an info
        marks = [(f.start, f.end, self.severity_style(Severity.INFO if f.dismissed else f.severity)) for f in ordered]
        self._marks = self._spans_by_row(marks)
        self.marks_version = self.text_version if version is None else version
        self._line_cache.clear()
        self.refresh()

    def set_origin_spans(self, spans: Sequence[tuple[int, int, str]] | None) -> None:
        """Colour text by origin (``None`` switches it off). Used by the authorship view."""
        # the cursor line's background would hide the origin colours on that line
        self.highlight_cursor_line = not spans
        if not spans:
            self._origin_marks = {}
        else:
            self._origin_marks = self._spans_by_row([(s, e, self.origin_style(o)) for s, e, o in spans if o != TYPED])
        self._line_cache.clear()
        self.refresh()

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        # as drawn: emoji one cell wide in the terminal as in the layout (same length: offsets hold)
        line.plain = display_text(line.plain)
        for mark in self._origin_marks.get(line_index, ()):
            line.stylize(mark.style, mark.start, mark.end)
        for mark in self._marks.get(line_index, ()):
            line.stylize(mark.style, mark.start, mark.end)
        return line

    def offset_to_location(self, offset: int) -> Location:
        return cast(Document, self.document).get_location_from_index(max(0, min(offset, len(self.text))))

    def remove_unsafe(self) -> int:
        """Delete control, bidi and invisible format characters from the loaded text (as edits, so the
        listeners' records follow; not undoable). Returns how many were removed."""
        text = self.text
        clean = strip_unsafe(text)
        if clean == text:
            return 0
        doc = cast(Document, self.document)
        # contiguous runs of unsafe characters, deleted from the end so earlier offsets stay valid
        runs: list[tuple[int, int]] = []
        for k, ch in enumerate(text):
            if not ch.isprintable() and ch not in "\n\t" and not strip_unsafe(ch):
                if runs and runs[-1][1] == k:
                    runs[-1] = (runs[-1][0], k + 1)
                else:
                    runs.append((k, k + 1))
        for start, end in reversed(runs):
            self.delete(doc.get_location_from_index(start), doc.get_location_from_index(end))
        self.history.clear()
        return len(text) - len(clean)

    def cursor_offset(self) -> int:
        return cast(Document, self.document).get_index_from_location(self.cursor_location)
