"""Start screen: the inbox of briefs and the list of your drafts, filtered by typing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, Label, OptionList
from textual.widgets.option_list import Option

from drafter.drafts import Draft
from drafter.i18n import t
from drafter.tui.formatting import PlainInput, format_date, format_timestamp, shown, shown_line
from drafter.tui.quick import BriefRow, quick_brief_rows
from drafter.tui.screens.base import DrafterScreen

if TYPE_CHECKING:
    from drafter.briefs import Brief

    BriefLike = Brief | BriefRow

EXPIRY_SOON_DAYS = 7


def brief_badges(brief: BriefLike, today: dt.date, lang: str) -> list[tuple[str, str]]:
    """(label, style) badges: embargo, expired, expiring soon."""
    badges: list[tuple[str, str]] = []
    if brief.embargoed_on(today):
        badges.append((t("inbox.badge_embargo", lang, date=format_date(brief.not_before, lang)), "black on yellow"))
    if brief.expired_on(today):
        badges.append((t("inbox.badge_expired", lang), "white on red"))
    elif brief.expires is not None and (brief.expires - today).days <= EXPIRY_SOON_DAYS:
        days = (brief.expires - today).days
        badges.append((t("inbox.badge_expires", lang, days=days), "black on #ffaf00"))
    return badges


def brief_sort_key(brief: BriefLike, today: dt.date) -> tuple[int, dt.date, str]:
    rank = 2 if brief.expired_on(today) else 1 if brief.embargoed_on(today) else 0
    return (rank, brief.expires or dt.date.max, brief.title.casefold())


class InboxScreen(DrafterScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "new_free", "Free draft", id="inbox.new_free"),
        Binding("escape", "clear_filter", "Clear filter", id="inbox.clear", show=False),
        Binding("ctrl+r", "reload", "Reload", id="inbox.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.briefs: list[BriefLike] = []
        self.draft_items: list[Draft] = []
        #: where each reload took its briefs from: "rows" (stored JSON, first frame) or "models"
        self.reload_sources: list[str] = []

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Header()
        yield PlainInput(placeholder=t("inbox.filter_placeholder", lang), id="filter")
        with Horizontal(id="inbox-body"):
            with Vertical(id="briefs-pane"):
                yield Label(t("inbox.briefs_title", lang), id="briefs-title", classes="pane-title")
                yield OptionList(id="briefs")
            with Vertical(id="drafts-pane"):
                yield Label(t("inbox.drafts_title", lang), id="drafts-title", classes="pane-title")
                yield OptionList(id="drafts")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#filter", Input).focus()
        self.call_after_refresh(self.drafter.after_first_paint)

    async def rebuild(self) -> None:
        """Re-create the widgets (after a language switch) and fill them again."""
        await self.recompose()
        self.on_mount()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        app = self.drafter
        today = app.today()
        briefs: list[BriefLike] | None = None
        if not app.models_ready:  # first frame: the stored rows, without pydantic
            rows = quick_brief_rows(app.store.conn)
            briefs = list(rows) if rows is not None else None
        self.reload_sources.append("models" if briefs is None else "rows")
        problems: list[str] = []
        if briefs is None:
            try:
                briefs = list(app.list_briefs())
            except Exception as exc:  # a stored brief that cannot be read: show what can be, say why
                problems.append(f"{type(exc).__name__}: {exc}")
                briefs = list(quick_brief_rows(app.store.conn) or [])
        self.briefs = sorted(briefs, key=lambda b: brief_sort_key(b, today))
        try:
            self.draft_items = app.drafts.list()
        except Exception as exc:
            problems.append(f"{type(exc).__name__}: {exc}")
            self.draft_items = []
        self.refilter()
        if problems:
            message = t("inbox.load_failed", self.lang, error="\n".join(problems))
            self.notify(shown(message), severity="error", timeout=20, markup=False)

    def _hashtag(self, goal_name: str) -> str:
        """The goal's hashtag, once the guidelines are loaded (the inbox paints before that)."""
        app = self.drafter
        if not app.guidelines_loaded:
            return ""
        goal = app.guidelines.goal(goal_name)
        return goal.hashtag if goal else ""

    def _channel_names(self, ids: Sequence[str]) -> str:
        """Channel labels ("LinkedIn") once the guidelines are loaded; their ids before that."""
        app = self.drafter
        if not app.guidelines_loaded:
            return ", ".join(ids)
        channels = app.guidelines.channels
        return ", ".join(channels[c].label if c in channels else c for c in ids)

    def _brief_title(self, brief_id: str) -> str:
        return next((b.title for b in self.briefs if b.id == brief_id), brief_id)

    def _brief_option(self, brief: BriefLike, today: dt.date) -> Option:
        lang = self.lang
        prompt = Text()
        # titles, units, goals and channel names are data: escaped plain text (rich Text never parses markup)
        prompt.append(shown_line(brief.title, 300), style="bold")
        for label, style in brief_badges(brief, today, lang):
            prompt.append("  ")
            prompt.append(f" {label} ", style=style)
        prompt.append("\n  ")
        prompt.append(shown_line(brief.business_unit, 200), style="italic")
        prompt.append(" · ")
        prompt.append(shown_line(f"{brief.goal} {self._hashtag(brief.goal)}".strip(), 200), style="#ff5fd7")
        if brief.channels:
            prompt.append(" · ")
            prompt.append(shown_line(self._channel_names(brief.channels), 200), style="dim")
        return Option(prompt, id=f"brief:{brief.id}")

    def _draft_option(self, draft: Draft) -> Option:
        lang = self.lang
        prompt = Text()
        title = shown_line(draft.title(), 300) or t("inbox.empty_draft", lang)
        prompt.append(title, style="bold" if draft.text else "dim italic")
        prompt.append("\n  ")
        prompt.append(t(f"status.{draft.status.value}", lang), style="#5fafff")
        prompt.append(" · ")
        prompt.append(shown_line(self._channel_names(draft.channels), 200) or "–", style="dim")
        prompt.append(" · ")
        prompt.append(t("inbox.last_edit", lang, when=format_timestamp(draft.updated_at, lang)), style="dim")
        if draft.brief_id:
            prompt.append(" · ")
            prompt.append(shown_line(self._brief_title(draft.brief_id), 200), style="dim italic")
        return Option(prompt, id=f"draft:{draft.id}")

    def _matches(self, needle: str, *fields: str) -> bool:
        return not needle or any(needle in f.casefold() for f in fields if f)

    def refilter(self) -> None:
        needle = self.query_one("#filter", Input).value.strip().casefold()
        today = self.drafter.today()
        lang = self.lang
        briefs_list = self.query_one("#briefs", OptionList)
        drafts_list = self.query_one("#drafts", OptionList)
        briefs_list.clear_options()
        drafts_list.clear_options()
        shown_briefs = 0
        for brief in self.briefs:
            hashtag = self._hashtag(brief.goal)
            if self._matches(needle, brief.title, brief.business_unit, brief.goal, hashtag, " ".join(brief.channels)):
                if shown_briefs:
                    briefs_list.add_option(None)  # a separator line between entries
                briefs_list.add_option(self._brief_option(brief, today))
                shown_briefs += 1
        shown_drafts = 0
        for draft in self.draft_items:
            brief_title = self._brief_title(draft.brief_id) if draft.brief_id else ""
            if self._matches(needle, draft.text, " ".join(draft.channels), brief_title):
                if shown_drafts:
                    drafts_list.add_option(None)
                drafts_list.add_option(self._draft_option(draft))
                shown_drafts += 1
        if not shown_briefs:
            briefs_list.add_option(Option(t("inbox.no_briefs", lang), disabled=True))
        if not shown_drafts:
            drafts_list.add_option(Option(t("inbox.no_drafts", lang), disabled=True))
        self.query_one("#briefs-title", Label).update(t("inbox.briefs_count", lang, count=shown_briefs))
        self.query_one("#drafts-title", Label).update(t("inbox.drafts_count", lang, count=shown_drafts))
        if shown_briefs:
            briefs_list.highlighted = 0
        if shown_drafts:
            drafts_list.highlighted = 0

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.refilter()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        briefs_list = self.query_one("#briefs", OptionList)
        if briefs_list.highlighted is not None and self.briefs:
            option = briefs_list.get_option_at_index(briefs_list.highlighted)
            if option.id:
                self.open_option(option.id)
                return
        drafts_list = self.query_one("#drafts", OptionList)
        if drafts_list.highlighted is not None and self.draft_items:
            option = drafts_list.get_option_at_index(drafts_list.highlighted)
            if option.id:
                self.open_option(option.id)

    def key_down(self) -> None:
        if self.query_one("#filter", Input).has_focus:
            self.query_one("#briefs", OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        """Typing while a list has focus goes on in the filter, as the filter's hint promises."""
        field = self.query_one("#filter", Input)
        if field.has_focus or not event.is_printable or not event.character or event.character.isspace():
            return
        event.stop()
        event.prevent_default()
        field.select_on_focus = False  # keep what is typed next instead of selecting it for replacement
        field.focus()
        field.cursor_position = len(field.value)
        field.insert_text_at_cursor(event.character)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_option(event.option.id)

    def open_option(self, option_id: str) -> None:
        kind, _, ident = option_id.partition(":")
        if kind == "brief":
            try:
                brief = self.drafter.get_brief(ident)
                if brief is not None:
                    self.drafter.open_brief(brief)
            except Exception as exc:  # a stored brief that cannot be read: say so, the inbox stays
                message = t("inbox.load_failed", self.lang, error=f"{type(exc).__name__}: {exc}")
                self.notify(shown(message), severity="error", timeout=20, markup=False)
        elif kind == "draft":
            self.drafter.open_draft(ident)

    def action_new_free(self) -> None:
        self.drafter.new_draft(None)

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one("#filter", Input).focus()

    def action_reload(self) -> None:
        self.drafter.import_briefs()
        self.reload()
