"""The draft editor: a TextArea that underlines findings in place and tags every edit with its origin.

Edit hook (for the authorship record): every mutation that goes through :meth:`TextArea.edit` is
turned into an :class:`OriginEdit` carrying an origin (``typed``, ``pasted``, ``brief``, ``ai``).
Undo/redo replay those same objects through :meth:`OriginEdit.undo` / :meth:`OriginEdit.do`, so a
listener registered with :meth:`DraftEditor.add_edit_listener` sees every change with code-point
offsets and can keep a per-character ledger exact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, cast

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widgets import TextArea
from textual.widgets.text_area import Document, Edit, EditResult, TextAreaTheme

from drafter.findings import Finding, Severity
from drafter.safe_text import strip_unsafe

if TYPE_CHECKING:
    from textual.widgets.text_area import Location

TYPED = "typed"
PASTED = "pasted"
BRIEF = "brief"
AI = "ai"

SEVERITY_STYLES: dict[Severity, Style] = {
    Severity.ERROR: Style(color="#ff5f5f", underline=True, bold=True),
    Severity.WARNING: Style(color="#ffaf00", underline=True),
    Severity.INFO: Style(color="#5fafff", underline=True),
}

ORIGIN_STYLES: dict[str, Style] = {
    TYPED: Style(),
    PASTED: Style(bgcolor="#5f3a00"),
    BRIEF: Style(bgcolor="#00405f"),
    AI: Style(bgcolor="#4b0060"),
}

#: a paste (or brief insert) that would make the draft longer than this is refused, the draft untouched.
#: More than three times the longest post the bundled channels allow (LinkedIn, 3,000); the editor
#: re-renders a long *single* line per keystroke, so far longer pastes would make typing sluggish.
MAX_DRAFT_CHARS = 10_000

# Only a background on the cursor line, so the finding underlines and colours survive there.
EDITOR_THEME = TextAreaTheme(name="drafter", cursor_line_style=Style(bgcolor="#262636"))


class EditListener(Protocol):
    """Notified of every edit, with code-point offsets into the text *before* the edit."""

    def edit_done(self, edit: OriginEdit, start: int, end: int, text: str) -> None: ...

    def edit_undone(self, edit: OriginEdit, start: int, end: int, restored: str) -> None: ...


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

    DEFAULT_CSS = """
    DraftEditor { height: 1fr; }
    """

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", **kwargs)
        self.register_theme(EDITOR_THEME)
        self.theme = EDITOR_THEME.name
        self._origin_stack: list[str] = []
        self._listeners: list[EditListener] = []
        self._marks: dict[int, list[_Mark]] = {}
        self._origin_marks: dict[int, list[_Mark]] = {}
        self.findings: tuple[Finding, ...] = ()
        self.text_version = 0
        self.marks_version = -1
        #: called right after every edit, before the next frame (the compose screen checks here, so the
        #: frame that shows the new character already shows the new underlines)
        self.after_edit: Callable[[], None] | None = None
        #: decides the origin of pasted text (e.g. ``brief`` when it matches the brief); default ``pasted``
        self.paste_origin: Callable[[str], str] | None = None
        #: the origins of a range of the text, for copy and cut (the compose screen slices its record);
        #: without it, text copied here and pasted back counts as pasted
        self.origins_of: Callable[[int, int], Any] | None = None
        self._pending_origins: Any = None
        #: told ``(length, limit)`` when a paste is refused for length (the compose screen notifies)
        self.paste_refused: Callable[[int, int], None] | None = None

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
        if self.after_edit is not None:
            self.after_edit()
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
        :attr:`paste_origin` decides, e.g. ``brief``). Ctrl+V and the terminal's paste both come here."""
        text = strip_unsafe(text.replace("\r\n", "\n").replace("\r", "\n"))
        if not self.fits(text):
            return
        known = _clipboard_origins(text)
        origin = PASTED if known is not None else (self.paste_origin(text) if self.paste_origin else PASTED)
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
        if self.origins_of is not None and text:
            origins = self.origins_of(doc.get_index_from_location(start), doc.get_index_from_location(end))
        _set_clipboard_origins(text, origins)

    def fits(self, text: str, location: Location | None = None) -> bool:
        """Whether inserting ``text`` (over the selection, or at ``location``) keeps the draft within
        :data:`MAX_DRAFT_CHARS`; when not, :attr:`paste_refused` is told and nothing changes."""
        start, end = sorted(self.selection) if location is None else (location, location)
        doc = cast(Document, self.document)
        replaced = doc.get_index_from_location(end) - doc.get_index_from_location(start)
        length = len(self.text) - replaced + len(text)
        if len(text) <= 1 or length <= MAX_DRAFT_CHARS:
            return True  # typing goes on; only what arrives in one piece is refused
        if self.paste_refused is not None:
            self.paste_refused(length, MAX_DRAFT_CHARS)
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
        self._marks = self._spans_by_row([(f.start, f.end, SEVERITY_STYLES[f.severity]) for f in ordered])
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
            self._origin_marks = self._spans_by_row(
                [(s, e, ORIGIN_STYLES.get(o, Style())) for s, e, o in spans if o != TYPED]
            )
        self._line_cache.clear()
        self.refresh()

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
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
