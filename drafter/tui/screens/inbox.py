"""Start screen: the inbox of briefs and the list of your drafts, filtered by typing.

Briefs are held as light summaries (the brief store's ``list_summaries``; for the very first frame the
stored rows from :mod:`drafter.tui.quick`), filtered on that cached list per keystroke, and at most
:data:`MAX_LISTED` are listed (built in one ``add_options`` call): 10,000 briefs open as fast as five.
A large store is read in a worker (:class:`~drafter.tui.messages.BriefsLoaded`), so keys never wait."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import Header, Input, Label, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from drafter.drafts import DraftStatus, DraftSummary
from drafter.i18n import t
from drafter.tui.footer import FittingFooter
from drafter.tui.formatting import PlainInput, format_date, format_timestamp, shown, shown_line
from drafter.tui.messages import BriefsLoaded
from drafter.tui.quick import BriefRow, quick_brief_rows
from drafter.tui.screens.base import DrafterScreen
from drafter.tui.widgets import FittedOptionList
from drafter.workspace import describe

if TYPE_CHECKING:
    from drafter.brief_store import BriefSummary
    from drafter.briefs import Brief

    BriefLike = Brief | BriefRow | BriefSummary

EXPIRY_SOON_DAYS = 7
#: the drafts list's keys shown in the footer while it has the focus (binding ids without "drafts.")
DRAFT_FOOTER = ("rename", "archive", "delete", "show_archive")
#: briefs listed at most (laying out an option costs ~0.2 ms, every keystroke); the rest: type to filter
MAX_LISTED = 100
#: stores with more briefs than this are read in a worker
SYNC_LOAD_LIMIT = 1000


def brief_badges(brief: BriefLike, today: dt.date, lang: str) -> list[tuple[str, str]]:
    """(label, kind) badges: ``embargo``, ``expired``, ``expires`` (styled by the component classes
    ``inbox--badge-<kind>`` in ``drafter.tcss``)."""
    badges: list[tuple[str, str]] = []
    if brief.embargoed_on(today):
        badges.append((t("inbox.badge_embargo", lang, date=format_date(brief.not_before, lang)), "embargo"))
    if brief.expired_on(today):
        badges.append((t("inbox.badge_expired", lang), "expired"))
    elif brief.expires is not None and (brief.expires - today).days <= EXPIRY_SOON_DAYS:
        days = (brief.expires - today).days
        badges.append((t("inbox.badge_expires", lang, days=days), "expires"))
    if getattr(brief, "source", "") == "team":  # drafter.team.sync.BRIEF_SOURCE
        badges.append((t("team.badge", lang), "team"))
    return badges


def brief_sort_key(brief: BriefLike, today: dt.date) -> tuple[int, dt.date, str]:
    rank = 2 if brief.expired_on(today) else 1 if brief.embargoed_on(today) else 0
    return (rank, brief.expires or dt.date.max, brief.title.casefold())


def status_text(draft: DraftSummary, lang: str, names: Callable[[Sequence[str]], str]) -> str:
    """The draft's status for the inbox. "exportiert" of a draft for several channels names the channels
    exported so far („exportiert (X)“ after only its X version was exported); ``names`` labels them. An exported
    draft whose text changed since is "nach Export geändert": the list no longer says the text shown was exported."""
    if draft.status is DraftStatus.DRAFT and draft.exported:  # exported once, edited since (see ComposeScreen.autosave)
        return t("status.changed", lang)
    status = t(f"status.{draft.status.value}", lang)
    if draft.status is DraftStatus.EXPORTED and draft.exported and len(draft.channels) > 1:
        return t("fix_core.exported_channels", lang, status=status, channels=names(draft.exported))
    return status


class InboxScreen(DrafterScreen):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "inbox--badge-embargo",
        "inbox--badge-expired",
        "inbox--badge-expires",
        "inbox--badge-team",
        "inbox--goal",
        "inbox--status",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: run as the key arrives, not after the focused filter has had it, so the keys typed
        # right after Ctrl+N wait for the new draft (DrafterApp._hold_input_for) instead of reaching the filter
        Binding("ctrl+n", "new_free", "Free draft", id="inbox.new_free", priority=True),
        Binding("escape", "clear_filter", "Clear filter", id="inbox.clear", show=False),
        Binding("ctrl+r", "reload", "Reload", id="inbox.reload"),
        Binding("f3", "import_report", "Import report", id="inbox.import_report", show=False),
        # the drafts list's highlighted draft: in the footer while the drafts list has the focus
        # (see active_bindings); F1 help and the palette list them always
        Binding("f2", "rename_draft", "Rename", id="drafts.rename", show=False),
        Binding("f6", "archive_draft", "Archive", id="drafts.archive", show=False),
        Binding("f8,delete", "delete_draft", "Delete", id="drafts.delete", show=False),
        Binding("f7", "toggle_archive", "Archive view", id="drafts.show_archive", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: every active brief (light summaries), sorted: embargo/expiry first, then by expiry and title
        self.briefs: list[BriefLike] = []
        #: active briefs in the store (more than :attr:`briefs` while only the first frame's rows are read)
        self.brief_total = 0
        self._haystacks: list[str] = []
        self._titles: dict[str, str] = {}
        self._load_generation = 0
        self.draft_items: list[DraftSummary] = []
        #: the drafts pane lists the archive (archived drafts and the trash) instead of the drafts in use
        self.show_archive = False
        self._trash_purged = False
        #: where each reload took its briefs from: "rows" (stored JSON, first frame) or "models"
        self.reload_sources: list[str] = []

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Header()
        yield PlainInput(placeholder=t("inbox.filter_placeholder", lang), id="filter")
        with Horizontal(id="inbox-body"):
            with Vertical(id="briefs-pane"):
                yield Label(t("inbox.briefs_title", lang), id="briefs-title", classes="pane-title")
                yield FittedOptionList(id="briefs")
            with Vertical(id="drafts-pane"):
                yield Label(t("inbox.drafts_title", lang), id="drafts-title", classes="pane-title")
                yield FittedOptionList(id="drafts")
        yield FittingFooter()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """While the drafts list has the focus, the footer shows the keys for its draft (short labels; in
        the archive view F6 restores)."""
        bindings = super().active_bindings
        try:
            drafts_focused = self.query_one("#drafts", OptionList).has_focus
        except NoMatches:
            drafts_focused = False
        if not drafts_focused:
            return bindings
        shown: dict[str, ActiveBinding] = {}
        for key, active in bindings.items():
            binding = active.binding
            name = (binding.id or "").removeprefix("drafts.")
            if name in DRAFT_FOOTER:
                if name == "archive" and self.show_archive:
                    name = "restore"
                elif name == "show_archive" and self.show_archive:
                    name = "show_drafts"  # F7 goes back to the drafts
                label = t(f"new_user.footer.{name}", self.lang)
                binding = dataclasses.replace(binding, description=label, show=True)
                shown[key] = ActiveBinding(active.node, binding, active.enabled, active.tooltip)
        # the draft's keys first, in the order of DRAFT_FOOTER: on a narrow terminal they are what fits
        order = {name: i for i, name in enumerate(DRAFT_FOOTER)}
        firsts = sorted(shown, key=lambda k: order.get((shown[k].binding.id or "").removeprefix("drafts."), 0))
        out = {key: shown[key] for key in firsts}
        out.update((key, active) for key, active in bindings.items() if key not in shown)
        return out

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
        """Read drafts and briefs again. Briefs: the stored rows for the first frame (before pydantic is
        loaded), else the brief store's summaries, in a worker when the store holds many."""
        app = self.drafter
        problems: list[str] = []
        try:
            if not self._trash_purged:  # drafts deleted more than 30 days ago go for good, once per session
                self._trash_purged = True
                app.drafts.purge_trash()
            self.draft_items = app.drafts.summaries(archive=self.show_archive)
        except Exception as exc:  # a stored draft that cannot be read: show what can be, say why
            problems.append(describe(exc))
            self.draft_items = []
        self._load_generation += 1
        if not app.models_ready:  # first frame: the stored rows, without pydantic
            rows = quick_brief_rows(app.store.conn, limit=MAX_LISTED)
            if rows is not None:
                self.reload_sources.append("rows")
                total = int(
                    app.store.conn.execute("SELECT COUNT(*) FROM briefs WHERE archived_at IS NULL").fetchone()[0]
                )
                self._set_briefs(rows, total)
                self._report(problems)
                return
        from drafter.brief_store import BriefStore

        try:
            store = BriefStore(app.store)
            if store.count() <= SYNC_LOAD_LIMIT:
                self._briefs_loaded(BriefsLoaded(self._load_generation, store.list_summaries()))
            else:
                self.refilter()  # the drafts now, the briefs as last read until the worker answers
                self._load_briefs(self._load_generation)
        except Exception as exc:  # stored briefs that cannot be read: the drafts are still listed
            problems.append(describe(exc))
            self.refilter()
        self._report(problems)

    def _report(self, problems: list[str]) -> None:
        if problems:
            message = t("inbox.load_failed", self.lang, error="\n".join(problems))
            self.notify(shown(message), severity="error", timeout=20, markup=False)

    @work(thread=True, exclusive=True, group="inbox-briefs", exit_on_error=False)
    def _load_briefs(self, generation: int) -> None:
        from drafter.brief_store import BriefStore

        try:
            with self.drafter.workspace.open_store() as own:
                summaries = BriefStore(own).list_summaries()
        except Exception as exc:  # said in the inbox, never a silent worker death
            self.post_message(BriefsLoaded(generation, [], error=describe(exc)))
            return
        self.post_message(BriefsLoaded(generation, summaries))

    @on(BriefsLoaded)
    def _briefs_loaded(self, message: BriefsLoaded) -> None:
        if message.generation != self._load_generation:
            return  # an older request
        if message.error is not None:
            self._report([message.error])
            return  # the briefs as last read stay listed
        self.reload_sources.append("models")
        self._set_briefs(message.summaries, len(message.summaries))

    def _set_briefs(self, briefs: Sequence[BriefLike], total: int) -> None:
        today = self.drafter.today()
        self.briefs = sorted(briefs, key=lambda b: brief_sort_key(b, today))
        self.brief_total = max(total, len(self.briefs))
        self._titles = {b.id: b.title for b in self.briefs}
        self._haystacks = [
            "\n".join((b.title, b.business_unit, b.goal, self._hashtag(b.goal), " ".join(b.channels))).casefold()
            for b in self.briefs
        ]
        self.refilter()

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
        return self._titles.get(brief_id, brief_id)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"inbox--{name}", partial=True)

    def _brief_option(self, brief: BriefLike, today: dt.date) -> Option:
        lang = self.lang
        prompt = Text()
        # titles, units, goals and channel names are data: escaped plain text (rich Text never parses markup)
        prompt.append(shown_line(brief.title, 300), style="bold")
        for label, kind in brief_badges(brief, today, lang):
            prompt.append("  ")
            prompt.append(f" {label} ", style=self._style(f"badge-{kind}"))
        prompt.append("\n  ")
        prompt.append(shown_line(brief.business_unit, 200), style="italic")
        prompt.append(" · ")
        hashtag = self._hashtag(brief.goal)
        # "LoveMagenta #LoveMagenta" said the goal twice (a new-user probe): its hashtag alone where they agree
        same = bool(hashtag) and hashtag.lstrip("#＃").casefold() == brief.goal.lstrip("#＃").casefold()
        goal = hashtag if same else f"{brief.goal} {hashtag}".strip()
        prompt.append(shown_line(goal, 200), style=self._style("goal"))
        if brief.channels:
            prompt.append(" · ")
            prompt.append(shown_line(self._channel_names(brief.channels), 200), style="dim")
        return Option(prompt, id=f"brief:{brief.id}")

    def _draft_option(self, draft: DraftSummary) -> Option:
        lang = self.lang
        prompt = Text()
        title = shown_line(draft.title(), 300) or t("inbox.empty_draft", lang)
        prompt.append(title, style="bold" if draft.text or draft.name else "dim italic")
        prompt.append("\n  ")
        # the last edit first: there its date and time never wrap apart in a narrow pane
        prompt.append(t("inbox.last_edit", lang, when=format_timestamp(draft.updated_at, lang)), style="dim")
        prompt.append(" · ")
        if draft.deleted:
            status = t("drafts.status_deleted", lang, date=format_date(draft.purge_date(), lang))
        else:
            status = status_text(draft, lang, self._channel_names)
        prompt.append(status, style=self._style("status"))
        prompt.append(" · ")
        prompt.append(shown_line(self._channel_names(draft.channels), 200) or "–", style="dim")
        if draft.brief_id:
            prompt.append(" · ")
            prompt.append(shown_line(self._brief_title(draft.brief_id), 200), style="dim italic")
        return Option(prompt, id=f"draft:{draft.id}")

    def _matches(self, needle: str, *fields: str) -> bool:
        return not needle or any(needle in f.casefold() for f in fields if f)

    def refilter(self, keep: bool = True) -> None:
        """Show the briefs and drafts that match the filter: at most :data:`MAX_LISTED` briefs, built in
        one call (an ``add_option`` per brief is quadratic: 10,000 briefs froze the app for minutes).

        ``keep``: each list keeps its highlight on the same brief or draft where it is still listed (after a
        rename the drafts list jumped to its first draft, and F8 then offered to delete that one: a new-user
        probe); where it is gone, the entry now at its place. A changed filter starts at the first match."""
        try:
            needle = self.query_one("#filter", Input).value.strip().casefold()
        except NoMatches:
            return  # not composed yet, or being recomposed: on_mount fills the lists
        today = self.drafter.today()
        lang = self.lang
        briefs_list = self.query_one("#briefs", OptionList)
        drafts_list = self.query_one("#drafts", OptionList)
        kept = [_highlight_of(briefs_list), _highlight_of(drafts_list)] if keep else [(None, 0), (None, 0)]
        if needle:
            matching = [b for b, hay in zip(self.briefs, self._haystacks, strict=True) if needle in hay]
            matched = len(matching)
        else:
            matching = self.briefs
            matched = self.brief_total
        brief_options: list[Option | None] = []
        for brief in matching[:MAX_LISTED]:
            if brief_options:
                brief_options.append(None)  # a separator line between entries
            brief_options.append(self._brief_option(brief, today))
        shown_briefs = min(len(matching), MAX_LISTED)
        if matched > shown_briefs:
            more = Option(Text(t("inbox.more", lang, count=matched - shown_briefs), style="dim italic"), disabled=True)
            brief_options += [None, more]
        draft_options: list[Option | None] = []
        drafts_matched = 0
        for draft in self.draft_items:
            brief_title = self._brief_title(draft.brief_id) if draft.brief_id else ""
            if self._matches(needle, draft.name, draft.text, " ".join(draft.channels), brief_title):
                drafts_matched += 1
                if drafts_matched > MAX_LISTED:
                    continue  # counted, not listed: as for briefs, the filter finds the rest
                if draft_options:
                    draft_options.append(None)
                draft_options.append(self._draft_option(draft))
        shown_drafts = sum(1 for o in draft_options if o is not None)
        if drafts_matched > shown_drafts:
            rest = t("inbox.more", lang, count=drafts_matched - shown_drafts)
            draft_options += [None, Option(Text(rest, style="dim italic"), disabled=True)]
        if not shown_briefs:
            brief_options = [Option(t("inbox.no_briefs", lang), disabled=True)]
        if not shown_drafts and needle and self.draft_items:
            typed = self.query_one("#filter", Input).value.strip()
            no_match_key = "input.no_match_archive" if self.show_archive else "input.no_match"  # F7: the other view
            no_match = t(no_match_key, lang, filter=shown_line(typed, 60))
            draft_options = [Option(Text(no_match), disabled=True)]
        elif not shown_drafts:
            empty = "drafts.archive_empty" if self.show_archive else "inbox.no_drafts"
            draft_options = [Option(t(empty, lang), disabled=True)]
        briefs_list.set_options(brief_options)
        drafts_list.set_options(draft_options)
        self.query_one("#briefs-title", Label).update(t("inbox.briefs_count", lang, count=matched))
        drafts_title = "drafts.archive_count" if self.show_archive else "inbox.drafts_count"
        self.query_one("#drafts-title", Label).update(t(drafts_title, lang, count=drafts_matched))
        if shown_briefs:
            _highlight(briefs_list, *kept[0])
        if shown_drafts:
            _highlight(drafts_list, *kept[1])

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.refilter(keep=False)

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

    def key_down(self, event: events.Key) -> None:
        if self.query_one("#filter", Input).has_focus:
            # the key is used up here: else the list, focused now, also takes it as its own ↓ and the
            # second brief is highlighted (Enter opened it)
            event.stop()
            event.prevent_default()
            self._list_with_entries().focus()

    def _list_with_entries(self) -> OptionList:
        """The list ↓ from the filter goes to: the briefs, or the drafts when no brief matches the filter and a
        draft does (a new-user probe pressed ↓ and Enter after "Hackathon" and nothing opened), its first entry
        highlighted."""
        for list_id in ("#briefs", "#drafts"):
            options = self.query_one(list_id, OptionList)
            first = next((i for i in range(options.option_count) if options.get_option_at_index(i).id), None)
            if first is not None:
                if list_id == "#drafts":
                    options.highlighted = first
                return options
        return self.query_one("#briefs", OptionList)

    def on_key(self, event: events.Key) -> None:
        """Typing while a list has focus goes on in the filter, as the filter's hint promises: characters
        and spaces are added at its end, Backspace removes its last character."""
        field = self.query_one("#filter", Input)
        typed = event.is_printable and bool(event.character)
        if field.has_focus or not (typed or event.key == "backspace"):
            return
        event.stop()
        event.prevent_default()
        field.select_on_focus = False  # keep what is typed next instead of selecting it for replacement
        field.focus()
        field.cursor_position = len(field.value)
        if event.key == "backspace":
            field.action_delete_left()
        elif event.character:
            field.insert_text_at_cursor(event.character)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_option(event.option.id)

    def open_option(self, option_id: str) -> None:
        kind, _, ident = option_id.partition(":")
        if kind == "brief":
            try:
                brief = self.drafter.brief(ident)
                if brief is not None:
                    self.drafter.open_brief(brief)
            except Exception as exc:  # a stored brief that cannot be read: say so, the inbox stays
                self._report([describe(exc)])
        elif kind == "draft":
            if self.show_archive:  # restore it first: a draft in the trash is not edited
                self.notify(t("drafts.restore_first", self.lang), severity="warning", markup=False)
                return
            self.drafter.open_draft(ident)

    def action_new_free(self) -> None:
        self.drafter.new_draft(None)

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one("#filter", Input).focus()

    def action_reload(self) -> None:
        self.drafter.import_briefs()
        self.reload()

    def action_import_report(self) -> None:
        from drafter.tui.screens.dialogs import ImportReportScreen

        self.app.clear_notifications()  # the report's own notification covered the full report (a new-user probe)
        self.app.push_screen(ImportReportScreen(self.drafter.import_report_lines))

    # -- managing drafts: rename, archive, delete, the archive view ------------------------------------
    def selected_draft(self) -> DraftSummary | None:
        """The draft highlighted in the drafts list (what F2, F6 and F8 act on)."""
        drafts_list = self.query_one("#drafts", OptionList)
        if drafts_list.highlighted is None:
            return None
        option_id = drafts_list.get_option_at_index(drafts_list.highlighted).id or ""
        kind, _, ident = option_id.partition(":")
        if kind != "draft":
            return None
        return next((d for d in self.draft_items if d.id == ident), None)

    def _need_draft(self) -> DraftSummary | None:
        draft = self.selected_draft()
        if draft is None:
            self.notify(t("drafts.none_selected", self.lang), severity="warning", markup=False)
        return draft

    def _title_of(self, draft: DraftSummary) -> str:
        return draft.title(80) or t("inbox.empty_draft", self.lang)

    def _done(self, key: str, draft: DraftSummary, **values: object) -> None:
        self.reload()
        self.notify(t(key, self.lang, title=shown_line(self._title_of(draft), 80), **values), markup=False)

    def action_rename_draft(self) -> None:
        from drafter.tui.screens.drafts_dialogs import RenameDraftScreen

        draft = self._need_draft()
        if draft is None:
            return

        def renamed(name: str | None) -> None:
            if name is None:
                return
            self.drafter.drafts.rename(draft.id, name)
            self.reload()

        self.app.push_screen(RenameDraftScreen(draft.name, self._title_of(draft)), renamed)

    def action_archive_draft(self) -> None:
        """Archive the highlighted draft; in the archive view, bring it back (out of the trash too)."""
        draft = self._need_draft()
        if draft is None:
            return
        drafts = self.drafter.drafts
        if self.show_archive:
            drafts.restore(draft.id)
            self._done("drafts.restored", draft)
        else:
            drafts.set_status(draft.id, DraftStatus.ARCHIVED)
            self._done("drafts.archived", draft)

    def action_delete_draft(self) -> None:
        """After a confirmation: into the trash (restorable for 30 days); from the trash: for good."""
        from drafter.drafts import TRASH_DAYS
        from drafter.tui.screens.drafts_dialogs import ConfirmDeleteScreen

        draft = self._need_draft()
        if draft is None:
            return
        final = draft.deleted

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            drafts = self.drafter.drafts
            if final:
                drafts.delete(draft.id)
                self._done("drafts.deleted_final", draft)
            else:
                drafts.trash(draft.id)
                self._done("drafts.deleted", draft, days=TRASH_DAYS)

        self.app.push_screen(ConfirmDeleteScreen(self._title_of(draft), final=final), confirmed)

    def action_toggle_archive(self) -> None:
        self.show_archive = not self.show_archive
        self.refresh_bindings()  # F6 archives or restores: the footer says which
        self.reload()


def _highlight_of(options: OptionList) -> tuple[str | None, int]:
    """The id and index of the highlighted option of ``options`` (None, 0 without one)."""
    index = options.highlighted
    if index is None:
        return None, 0
    return options.get_option_at_index(index).id, index


def _highlight(options: OptionList, option_id: str | None, index: int) -> None:
    """Highlight the option ``option_id`` where it is listed, else the enabled option nearest ``index``."""
    if option_id is not None:
        try:
            options.highlighted = options.get_option_index(option_id)
            return
        except OptionDoesNotExist:
            pass
    last = options.option_count - 1
    for candidate in [*range(min(index, last), -1, -1), *range(min(index, last) + 1, last + 1)]:
        if not options.get_option_at_index(candidate).disabled:
            options.highlighted = candidate
            return
