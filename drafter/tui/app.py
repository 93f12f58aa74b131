"""The drafter Textual app: ``run()`` is what ``drafter`` with no arguments starts."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import App
from textual.binding import Binding, BindingType

from drafter import i18n, paths
from drafter.drafts import DraftStatus, DraftStore, utc_now
from drafter.i18n import t
from drafter.store import Store
from drafter.tui.commands import DrafterCommands
from drafter.tui.formatting import shown, shown_line
from drafter.tui.quick import peek_settings

if TYPE_CHECKING:
    from drafter.brief_store import BriefStore
    from drafter.briefs import Brief
    from drafter.checker import Checker
    from drafter.guidelines import GuidelineSet
    from drafter.inbox import StartReport
    from drafter.originality import PostIndex, StoredPostIndex
    from drafter.settings import Settings
    from drafter.tui.screens.compose import ComposeScreen

Clock = Callable[[], dt.datetime]
SidePanelFactory = Callable[["ComposeScreen"], Any]


class DrafterApp(App[None]):
    """Inbox → compose → export, with profile, onboarding and help."""

    CSS_PATH = "drafter.tcss"
    TITLE = "drafter"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {DrafterCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("f9", "profile", "Profile", id="app.profile"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("ctrl+p", "command_palette", "Palette", id="app.palette", show=False, priority=True),
    ]

    def __init__(
        self,
        *,
        guidelines_dir: Path | None = None,
        store_path: Path | None = None,
        settings_path: Path | None = None,
        clock: Clock | None = None,
        language: str | None = None,
        reopen_last: bool = True,
        onboarding: bool | None = None,
        cursor_blink: bool = True,
        import_samples: bool = True,
        gc_freeze: bool = False,
        guidelines: GuidelineSet | None = None,
    ) -> None:
        super().__init__()
        self.clock: Clock = clock or utc_now
        self.cursor_blink = cursor_blink
        self.reopen_last = reopen_last
        self.settings_path = settings_path or paths.config_dir() / "settings.toml"
        self.settings_error: str | None = None
        self._settings_error_shown = False
        self.settings_writable = True
        self._settings: Settings | None = None
        self._settings_lock = threading.Lock()
        # A peek (no pydantic) is enough for the first frame; full validation follows right after it,
        # or now when the peek is not conclusive or onboarding needs the real settings.
        peek = peek_settings(self.settings_path)
        if peek is None or (onboarding is None and not peek.onboarding_done):
            settings = self.settings
            self.lang = language or settings.language
            onboarding_done = settings.onboarding_done
        else:
            self.lang = language or peek.language
            onboarding_done = peek.onboarding_done
        i18n.set_language(self.lang)
        self.show_onboarding = (
            onboarding if onboarding is not None else (not onboarding_done and self.settings_writable)
        )
        self.guidelines_dir_override = guidelines_dir
        self._models_ready = False
        #: why the settings' guidelines folder could not be used (the bundled set is used instead)
        self.guidelines_error: str | None = None
        self._guidelines: GuidelineSet | None = guidelines
        self._guidelines_lock = threading.Lock()
        self.store, self.store_error = _open_store(store_path)
        self.drafts = DraftStore(self.store, clock=self.clock)
        self.import_samples = import_samples
        #: why the start-up import failed as a whole (files that fail are in its report instead)
        self._import_error: str | None = None
        self._checker: Checker | None = None
        self._corpus: StoredPostIndex | None = None
        self._corpus_ready = False
        self._corpus_lock = threading.Lock()
        self.side_panel_factories: list[SidePanelFactory] = []
        self._background_started = False
        #: move long-lived start-up objects out of the cyclic GC (``run()`` turns it on; tests leave it
        #: off, because frozen objects of finished test apps would never be collected)
        self.gc_freeze = gc_freeze
        self._background_pending = False
        self.title = t("app.title", self.lang)

    # -- services -------------------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        """The validated settings (pydantic); a broken file gives defaults and ``settings_error``."""
        if self._settings is None:
            with self._settings_lock:
                if self._settings is None:
                    from drafter.settings import Settings, SettingsError, load_settings

                    try:
                        self._settings = load_settings(self.settings_path)
                    except Exception as exc:  # any content (even a TOML nested too deep): defaults, said
                        self._settings = Settings()
                        self.settings_error = (
                            str(exc) if isinstance(exc, SettingsError) else f"{self.settings_path}: {_describe(exc)}"
                        )
                        self.settings_writable = False
        return self._settings

    @property
    def guidelines_dir(self) -> Path | None:
        return self.guidelines_dir_override or self.settings.guidelines_dir

    @property
    def models_ready(self) -> bool:
        """Whether the validated briefs can be listed without delaying a frame (after the first one)."""
        return self._models_ready

    @property
    def guidelines(self) -> GuidelineSet:
        """The guideline set; loaded on first use (or in the background right after first paint)."""
        if self._guidelines is None:
            with self._guidelines_lock:
                if self._guidelines is None:
                    from drafter.guidelines import GuidelineError, load_guidelines

                    try:
                        self._guidelines = load_guidelines(self.guidelines_dir)
                    except Exception as exc:
                        # A folder given on the command line is the user's explicit choice: report it and
                        # stop. One saved in the settings must not lock the user out of the app that
                        # would let them fix it: fall back to the bundled set and say why.
                        if self.guidelines_dir_override is not None or self.guidelines_dir is None:
                            raise
                        self.guidelines_error = str(exc) if isinstance(exc, GuidelineError) else _describe(exc)
                        self._guidelines = load_guidelines(None)
        return self._guidelines

    @property
    def guidelines_loaded(self) -> bool:
        return self._guidelines is not None

    def today(self) -> dt.date:
        return self.clock().date()

    @property
    def checker(self) -> Checker:
        if self._checker is None:
            guidelines = self.guidelines
            with self._guidelines_lock:  # the start-up thread and the UI may ask at once: build one
                if self._checker is None:
                    from drafter.checker import Checker

                    self._checker = Checker(guidelines, lang=self.lang)
        return self._checker

    # -- the corpus of posts (originality) --------------------------------------------------------------
    def corpus_for(self, draft_id: str) -> PostIndex | None:
        """The local corpus for checking ``draft_id`` (its own exports left out); None until the index
        is built. Building imports numpy and datasketch, so it happens in a thread, never on a keystroke."""
        if self._corpus is None or not self._corpus_ready:
            return None
        from drafter.originality import SkippingPostIndex, export_source

        return SkippingPostIndex(self._corpus, [export_source(draft_id)])

    def _build_corpus(self, force: bool = False) -> None:
        """Open and build the corpus index (call from a worker thread). Skipped while the corpus is empty
        unless ``force``: an empty corpus costs nothing at start."""
        from drafter.originality import StoredPostIndex

        with self._corpus_lock:
            if self._corpus is None:
                # its own connection (used from worker threads); queries never sync: builds do
                self._corpus = StoredPostIndex(Store(self.store.path), sync_on_query=False)
            if force or len(self._corpus):
                self._corpus.build()
                self._corpus_ready = True

    def add_to_corpus(self, text: str, draft_id: str, channel: str | None, brief_id: str | None) -> None:
        """Put an exported post into the local corpus, so later drafts are compared with it."""
        from drafter.originality import CorpusPost, StoredPostIndex, export_source

        post = CorpusPost(text=text, source=export_source(draft_id), channel=channel, brief_id=brief_id)
        StoredPostIndex(self.store).add(post)
        self.refresh_corpus(force=True)

    def refresh_corpus(self, force: bool = False) -> None:
        """Bring the corpus index up to date in a thread (after an export; when a draft opens, which also
        picks up posts imported by ``drafter corpus import`` meanwhile)."""
        self.run_worker(
            lambda: self._build_corpus(force=force), thread=True, group="corpus", exclusive=True, exit_on_error=False
        )

    def brief_store(self) -> BriefStore:
        from drafter.brief_store import BriefStore

        return BriefStore(self.store)

    def list_briefs(self) -> list[Brief]:
        return list(self.brief_store().list())

    def get_brief(self, brief_id: str | None) -> Brief | None:
        if not brief_id:
            return None
        brief: Brief | None = self.brief_store().get(brief_id)
        return brief

    def import_briefs(self) -> None:
        """Bundled samples on first start, then new or changed files in the inbox folder."""
        self._report_import(self._run_import(self.store))

    def _run_import(self, store: Store) -> StartReport | None:
        if not self.import_samples:
            return None
        from drafter.inbox import on_start

        context = self.guidelines.brief_context()  # a --guidelines folder that fails stops the app here
        try:
            return on_start(store, context, self.settings.inbox_dir)
        except Exception as exc:  # whatever lies in the inbox, the app opens and says why
            self._import_error = _describe(exc)
            return None

    def _report_import(self, report: StartReport | None) -> None:
        if self._import_error:
            message = t("app.import_failed", self.lang, error=self._import_error)
            self.notify(shown(message), severity="error", timeout=20, markup=False)
            self._import_error = None
        if report is not None and report.inbox.failed:
            # file names and error texts are data: one escaped line each, never markup
            lines = [shown_line(line) for line in report.inbox.lines()]
            self.notify("\n".join(lines), severity="warning", timeout=15, markup=False)

    def register_side_panel(self, factory: SidePanelFactory) -> None:
        """Add a panel factory; every compose screen mounts ``factory(screen)`` into its side panel."""
        self.side_panel_factories.append(factory)

    def save_settings(self, settings: Settings) -> bool:
        """Persist settings; on a broken file show the error instead of overwriting it."""
        from drafter.settings import SettingsError, save_settings

        try:
            save_settings(settings, self.settings_path)
        except SettingsError as exc:
            self.settings_error = str(exc)
            self.notify(shown(t("settings.broken", self.lang, error=exc)), severity="error", timeout=15, markup=False)
            return False
        self._settings = settings
        self.settings_writable = True
        if settings.language != self.lang:
            self.set_language(settings.language)
        return True

    def set_language(self, lang: str) -> None:
        self.lang = lang
        i18n.set_language(lang)
        self.title = t("app.title", lang)
        if self._checker is not None:
            self._checker.lang = lang

    def _notify_guidelines_error(self) -> None:
        if self.guidelines_error:
            message = t("app.guidelines_fallback", self.lang, settings=self.settings_path, error=self.guidelines_error)
            self.notify(shown(message), severity="error", timeout=20, markup=False)
            self.guidelines_error = None  # said once

    def _notify_settings_error(self) -> None:
        if self.settings_error and not self._settings_error_shown:
            self._settings_error_shown = True  # said once, not again when the start-up load finishes
            message = t("settings.broken", self.lang, error=self.settings_error)
            self.notify(shown(message), severity="error", timeout=20, markup=False)

    def refresh_language(self) -> None:
        """Re-render screens whose text is built once (the inbox, an open draft); others pick the language
        up as they redraw."""
        from drafter.tui.screens.compose import ComposeScreen
        from drafter.tui.screens.inbox import InboxScreen

        for screen in self.screen_stack:
            if isinstance(screen, InboxScreen):
                self.call_later(screen.rebuild)
        if isinstance(self.screen, ComposeScreen):
            # its panels are built in the old language: save, and open the draft again (cursor kept)
            compose = self.screen
            compose.autosave()
            draft = self.drafts.find(compose.draft.id)
            if draft is not None:
                self.call_later(self.switch_screen, ComposeScreen(draft))
        self.refresh_bindings()

    # -- lifecycle ------------------------------------------------------------------------------------
    def on_mount(self) -> None:
        from drafter.tui.screens.inbox import InboxScreen

        last = None
        last_error: str | None = None
        if self.reopen_last:
            try:
                last = self.drafts.last_open()
            except Exception as exc:  # a stored row that cannot be read must not stop every start
                last_error = _describe(exc)
                self._forget_last()
        # The inbox can paint from the store before the guidelines are parsed; only the first start
        # (samples still to import) and reopening a draft need them up front.
        progressive = last is None
        if not progressive:
            self._models_ready = True
            from drafter.guidelines import GuidelineError

            try:
                self.import_briefs()
            except GuidelineError as exc:
                self.exit(None, 2, Text(shown(str(exc))))
                return
        self.push_screen(InboxScreen())
        if self.store_error:
            message = t("app.store_moved", self.lang, error=self.store_error)
            self.notify(shown(message), severity="error", timeout=30, markup=False)
        if self.settings_error:
            self._notify_settings_error()
        self._notify_guidelines_error()
        if last_error is not None:
            self.notify(
                shown(t("app.last_draft_failed", self.lang, error=last_error)),
                severity="error",
                timeout=20,
                markup=False,
            )
        if last is not None:
            # Forgotten until the draft has been painted (the compose screen remembers it again then),
            # so a draft that cannot be shown makes this start, not every later one, fail.
            self._forget_last()
            self.open_draft(last.id)
        elif self.show_onboarding:
            from drafter.tui.screens.settings import SettingsScreen

            self.push_screen(SettingsScreen(onboarding=True))
        self._background_pending = progressive

    def after_first_paint(self) -> None:
        """Called once the first screen has been painted: start the background load shortly after."""
        if self._background_started:
            return
        self._background_started = True
        self.set_timer(0.01, lambda: self._load_in_background(self._background_pending))

    def _load_in_background(self, import_briefs: bool) -> None:
        """After first paint: parse the guidelines and compile the checker in a thread."""

        def load() -> None:
            from drafter.guidelines import GuidelineError

            report = None
            try:
                _ = self.settings
                _ = self.guidelines
                import drafter.brief_store  # noqa: F401  (pydantic models for the inbox refresh)

                if import_briefs:  # first start: samples and inbox, on this thread's own connection
                    with Store(self.store.path) as own:
                        report = self._run_import(own)
            except GuidelineError as exc:
                self.call_from_thread(self.exit, None, 2, Text(shown(str(exc))))
                return
            except Exception as exc:  # the store or the inbox: report it, the app stays usable
                self._import_error = _describe(exc)
            _ = self.checker
            self.call_from_thread(self._guidelines_ready, import_briefs, report)
            self._build_corpus()

        self.run_worker(load, thread=True, group="startup", exit_on_error=False)

    def _guidelines_ready(self, import_briefs: bool, report: StartReport | None = None) -> None:
        from drafter.tui.screens.inbox import InboxScreen

        self.sub_title = shown_line(f"{self.guidelines.name} {self.guidelines.version}", 80)
        self._notify_guidelines_error()
        if self.settings_error:
            self._notify_settings_error()
        self._models_ready = True
        if import_briefs:
            self._report_import(report)
        for screen in self.screen_stack:
            if isinstance(screen, InboxScreen):
                screen.reload()
        self.freeze_gc(collect=True)

    def freeze_gc(self, collect: bool = False) -> None:
        """What is loaded so far lives as long as the app: keep it out of the cyclic GC's full
        collections, which otherwise pause typing for 20–40 ms every few seconds. ``collect`` first
        frees the start-up garbage (once, before anyone types), so freezing does not keep it."""
        if self.gc_freeze:
            if collect:
                gc.collect()
            gc.freeze()

    async def action_quit(self) -> None:
        self.save_all()
        self.exit()

    def save_all(self) -> None:
        """Autosave every open compose screen now (quit, tests)."""
        from drafter.tui.screens.compose import ComposeScreen

        for screen in self.screen_stack:
            if isinstance(screen, ComposeScreen):
                screen.autosave()

    def on_unmount(self) -> None:
        self.store.close()
        if self._corpus is not None:
            self._corpus.store.close()

    # -- navigation -----------------------------------------------------------------------------------
    def open_draft(self, draft_id: str) -> None:
        from drafter.tui.screens.compose import ComposeScreen

        try:
            draft = self.drafts.find(draft_id)
        except Exception as exc:  # a stored row that cannot be read: say so, stay where we are
            message = t("app.last_draft_failed", self.lang, error=_describe(exc))
            self.notify(shown(message), severity="error", timeout=20, markup=False)
            return
        if draft is None:
            return
        self.push_screen(ComposeScreen(draft))

    def _forget_last(self) -> None:
        with contextlib.suppress(sqlite3.Error):  # a locked store: the pointer stays, reported next start
            self.drafts.remember_last(None)

    def open_brief(self, brief: Brief) -> None:
        """Enter on a brief: continue your unfinished draft for it, or start one."""
        unfinished = [
            d for d in self.drafts.list() if d.brief_id == brief.id and d.status is DraftStatus.DRAFT and d.text.strip()
        ]
        if unfinished:
            self.open_draft(max(unfinished, key=lambda d: d.updated_at).id)
        else:
            self.new_draft(brief)

    def new_draft(self, brief: Brief | None = None) -> None:
        channels: list[str] = []
        preferred = [c for c in self.settings.channels if c in self.guidelines.channels]
        if brief is not None and brief.channels:
            channels = [c for c in preferred if c in brief.channels] or [brief.channels[0]]
        else:
            channels = preferred[:1] or [self.guidelines.default_channel]
        draft = self.drafts.create(brief_id=brief.id if brief else None, channels=channels)
        self.open_draft(draft.id)

    def action_help(self) -> None:
        from drafter.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_profile(self) -> None:
        from drafter.tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())


def _describe(exc: BaseException) -> str:
    """An unexpected error as one line of text (its type, and its message when it has one)."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _open_store(path: Path | None) -> tuple[Store, str | None]:
    """The store, and why it had to be replaced: a damaged store (not an SQLite database, or damaged at its
    start) is moved aside with :func:`drafter.store.move_aside` — kept, never deleted or overwritten — and
    a new, empty store begins in its place. (``run()`` asks the user first; an app built directly, as in
    tests, goes ahead.)"""
    from drafter.store import StoreCorrupt, move_aside

    try:
        return Store(path), None
    except StoreCorrupt as exc:
        aside = move_aside(exc.path)
        return Store(path), f"{exc.path}: {exc.detail} → {aside}"


def _offer_fresh_store(path: Path | None) -> bool:
    """Before the app opens: a damaged store is reported, and on a terminal the user is asked whether to
    move it aside and start a fresh one. Returns False when the app must not open (the answer was no, or
    nobody could be asked); the damaged file is never touched without a yes."""
    from drafter.store import StoreCorrupt, move_aside

    try:
        Store(path).close()
    except StoreCorrupt as exc:
        print(f"drafter: {shown_line(str(exc))}", file=sys.stderr)
        if not sys.stdin.isatty():
            return False
        answer = input("Move it aside and start a fresh, empty store? [y/N] ").strip().lower()
        if answer not in ("y", "yes", "j", "ja"):
            return False
        aside = move_aside(exc.path)
        print(f"drafter: moved to {shown_line(str(aside))}; starting a fresh store.", file=sys.stderr)
    return True


def _guideline_failure(exc: Exception) -> SystemExit:
    """A --guidelines folder that cannot be loaded: one escaped line per problem on stderr, exit code 2
    (like ``drafter lint``), instead of a traceback or an app that opens and closes again."""
    print("drafter: guideline error:", file=sys.stderr)
    for line in str(exc).splitlines() or [type(exc).__name__]:
        print(shown_line(line), file=sys.stderr)
    return SystemExit(2)


def run(guidelines_dir: Path | None = None) -> None:
    """Open the app. A broken guideline folder is reported on stderr (exit code 2), not as a traceback."""
    from drafter.guidelines import GuidelineError, load_guidelines

    try:
        # the folder the user named is loaded before anything is shown: when it fails, nothing opens
        preloaded = load_guidelines(guidelines_dir) if guidelines_dir is not None else None
        if not _offer_fresh_store(None):
            raise SystemExit(2)
        app = DrafterApp(guidelines_dir=guidelines_dir, guidelines=preloaded, gc_freeze=True)
        app.run()
    except GuidelineError as exc:
        raise _guideline_failure(exc) from exc
    except sqlite3.Error as exc:  # e.g. locked by a stuck process: say so in one line, no traceback
        print(f"drafter: cannot open the store: {shown_line(str(exc))}", file=sys.stderr)
        raise SystemExit(2) from exc
    if app.return_code:
        raise SystemExit(app.return_code)
