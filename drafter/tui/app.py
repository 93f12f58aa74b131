"""The drafter Textual app: ``run()`` is what ``drafter`` with no arguments starts."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType

from drafter import i18n, paths
from drafter.drafts import DraftStatus, DraftStore, utc_now
from drafter.i18n import t
from drafter.import_report import error_text
from drafter.safe_text import one_line
from drafter.tui.commands import DrafterCommands
from drafter.tui.formatting import shown, shown_line
from drafter.tui.messages import BindingsReady, CorpusReady, ImportReported, StartupLoaded, VoiceImported
from drafter.tui.quick import peek_settings
from drafter.workspace import Workspace
from drafter.workspace import describe as _describe

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.timer import Timer

    from drafter.briefs import Brief
    from drafter.errors import Problem
    from drafter.guidelines import GuidelineSet
    from drafter.inbox import StartReport
    from drafter.originality import PostIndex
    from drafter.settings import Settings
    from drafter.store import Store
    from drafter.tui.screens.compose import ComposeScreen

Clock = Callable[[], dt.datetime]
#: seconds at most that keys typed during start-up wait for the first screen to be ready
HOLD_INPUT_LIMIT = 10.0
# seconds the start-up load waits, once the corpus is ready, for a draft reopened at start to get its
# corpus answer before it goes on (settings, the screens' imports would share the interpreter with it)
FIRST_ANSWER_WAIT = 0.5
SidePanelFactory = Callable[["ComposeScreen"], Any]


#: lines of an import report shown in a notification (the rest: the inbox's report key); fits at 80x24
REPORT_NOTIFY_LINES = 8
#: seconds after the last theme change before it is saved (the theme picker previews every theme it passes)
THEME_SAVE_DELAY = 1.0


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
        #: the notices compose screens raised (an export's file names, 15 s): a compose screen that opens
        #: removes them, so they do not cover the next draft's findings; the app's own (team store down) stay
        self.draft_notices: list[Any] = []
        self.settings_path = settings_path or paths.config_dir() / "settings.toml"
        #: the one composition root: settings, guidelines, checker, stores and corpus come from here
        self.workspace = Workspace(
            guidelines_option=guidelines_dir,
            settings_path=self.settings_path,
            store_path=store_path,
            strict=False,
            language=language,
            clock=self.clock,
        )
        # a damaged store is moved aside (kept) and a fresh one begins; the workspace uses that one, and
        # guidelines already loaded by run() (a --guidelines folder, checked before anything is shown)
        store, self.store_error = _open_store(store_path)
        self.workspace.adopt(store=store, guidelines=guidelines)
        self._settings_error_shown = False
        self._guidelines_error_shown = False
        self._save_error: str | None = None
        # A peek (no pydantic) is enough for the first frame; full validation follows right after it,
        # or now when the peek is not conclusive or onboarding needs the real settings.
        peek = peek_settings(self.settings_path)
        if peek is None or (onboarding is None and not peek.onboarding_done):
            settings = self.settings
            self.lang = language or settings.language
            onboarding_done = settings.onboarding_done
            #: the theme the settings name (applied when the app mounts; a change is saved, :meth:`watch_theme`)
            self._saved_theme = settings.theme
        else:
            self.lang = language or peek.language
            onboarding_done = peek.onboarding_done
            self._saved_theme = peek.theme
        self._theme_timer: Timer | None = None
        self.workspace.set_language(self.lang)
        i18n.set_language(self.lang)
        i18n.set_key_namer(self.key_name)  # "{key:compose.export}" in texts: the key in force
        self.show_onboarding = (
            onboarding if onboarding is not None else (not onboarding_done and self.settings_writable)
        )
        self._models_ready = False
        self.drafts = DraftStore(self.store, clock=self.clock)
        self.import_samples = import_samples
        #: why the start-up import failed as a whole (files that fail are in its report instead)
        self._import_error: str | None = None
        self._corpus_ready = False
        #: why the store's corpus cannot be read (a damaged store), else None
        self._corpus_error: Problem | None = None
        #: the start-up load has readied the corpus (or found it empty); until then a screen leaves it to it
        self._startup_corpus_done = False
        #: set when the drafts open at start have their first corpus answer (the start-up load waits for it)
        self.first_answer = threading.Event()
        self._corpus_posted = False
        #: the ``[keys]`` remapping in force (binding id -> key spec)
        self.keymap: dict[str, str] = {}
        #: the last brief import's report with problems, one escaped line each (shown in full on a key)
        self.import_report_lines: list[str] = []
        self.side_panel_factories: list[SidePanelFactory] = []
        self._background_started = False
        #: move long-lived start-up objects out of the cyclic GC (``run()`` turns it on; tests leave it
        #: off, because frozen objects of finished test apps would never be collected)
        self.gc_freeze = gc_freeze
        self._background_pending = False
        #: keys and pastes that arrived before the first screen was ready (restored draft, cursor, focus);
        #: None once they have been released, in order (see :meth:`screen_ready`)
        self._held_input: list[events.Key | events.Paste] | None = []
        self.title = t("app.title", self.lang)

    # -- services: all of them from the workspace ------------------------------------------------------
    @property
    def settings(self) -> Settings:
        """The validated settings; a broken file gives defaults and :attr:`settings_error`."""
        return self.workspace.settings

    @property
    def settings_error(self) -> str | None:
        """Why the settings file could not be used (or saved), as plain text."""
        if self._save_error:
            return self._save_error
        problem = self.workspace.settings_problem  # said in the UI language (file, line, field as written)
        return error_text(problem, self.lang) if problem is not None else self.workspace.settings_error

    @property
    def settings_writable(self) -> bool:
        """False while the settings file is broken: saving would overwrite what the user wrote."""
        return self.settings_error is None

    @property
    def store(self) -> Store:
        return self.workspace.store

    @property
    def models_ready(self) -> bool:
        """Whether the validated briefs can be listed without delaying a frame (after the first one)."""
        return self._models_ready

    @property
    def guidelines(self) -> GuidelineSet:
        """The guideline set (loaded in the background right after first paint, or on first use)."""
        return self.workspace.guidelines

    @property
    def guidelines_loaded(self) -> bool:
        return self.workspace.guidelines_loaded

    def today(self) -> dt.date:
        return self.workspace.today()

    # -- the corpus of posts (originality) --------------------------------------------------------------
    def corpus_for(self, draft_id: str) -> PostIndex | None:
        """The local corpus for checking ``draft_id`` (its own exports left out); None until the index
        is built. Building imports numpy (and indexes posts an older version stored), so it happens in a
        thread, never on a keystroke."""
        local: PostIndex | None = self.workspace.stored_corpus() if self._corpus_ready else None
        if self._corpus_error is not None:
            from drafter.originality import UnreadableCorpus

            # a store whose corpus cannot be read: the near-copy rules say so and the check stays incomplete
            # (without a corpus, every copy would pass and the export go through: a new-user probe)
            local = UnreadableCorpus(self._corpus_error)
        # with a team store: its posts too (never waiting on the network; drafter/team/index.py)
        return self.workspace.corpus_for(draft_id, self.workspace.with_team(local))

    def _build_corpus(self, force: bool = False) -> None:
        """Build the corpus index (call from a worker thread), then post :class:`CorpusReady`. Skipped
        while the corpus is empty unless ``force``: an empty corpus costs nothing at start. numpy and the
        hash permutations are loaded here too, so the first check that queries the corpus does not. A store
        whose corpus cannot be read is remembered as such (:meth:`corpus_for`) until a build succeeds."""
        from drafter.originality import prepare_hashing

        try:
            index = self.workspace.stored_corpus()
            build = force or not index.is_empty()
            if build:
                index.build()
        except sqlite3.Error as exc:
            from drafter.errors import unreadable_store

            self._corpus_error = unreadable_store(self.store.path, exc)
            self._corpus_posted = True
            self.post_message(CorpusReady())
            return
        self._corpus_error = None
        if build:
            prepare_hashing()
            self._corpus_posted = True
            self.post_message(CorpusReady())

    @on(CorpusReady)
    def _corpus_built(self) -> None:
        self._corpus_ready = True
        # an open draft (one opened before the corpus was ready, or shown while it grew): compared with the
        # corpus now (no draft was opened while the compose module is not even imported; importing it here
        # would stall the first paint)
        compose = sys.modules.get("drafter.tui.screens.compose")
        asked = False
        if compose is not None:
            for screen in self.screen_stack:
                if isinstance(screen, compose.ComposeScreen) and screen.is_mounted:
                    asked = screen.corpus_changed() or asked
        if not asked:
            self.first_answer.set()

    def refresh_corpus(self, force: bool = False) -> None:
        """Bring the corpus index up to date in a thread (after an export; when a draft opens, which also
        picks up posts imported by ``drafter corpus import`` meanwhile). Until the start-up load has readied
        the corpus, right after the first paint (:meth:`_load_in_background`), only with ``force``."""
        if not (force or self._startup_corpus_done):
            return
        self.run_worker(
            lambda: self._build_corpus(force=force), thread=True, group="corpus", exclusive=True, exit_on_error=False
        )

    def brief(self, brief_id: str | None) -> Brief | None:
        return self.workspace.brief(brief_id)

    def import_briefs(self) -> None:
        """Bundled samples on first start, then new or changed files in the inbox folder."""
        self._report_import(self._run_import(self.store))

    def _run_import(self, store: Store) -> StartReport | None:
        if not self.import_samples:
            return None
        from drafter.inbox import inbox_folder, on_start

        context = self.workspace.brief_context()  # a --guidelines folder that fails stops the app here
        try:
            return on_start(store, context, inbox_folder(self.settings.inbox_dir))
        except Exception as exc:  # whatever lies in the inbox, the app opens and says why
            self._import_error = _describe(exc)
            return None

    def _report_import(self, report: StartReport | None, error: str | None = None) -> None:
        error = error or self._import_error
        self._import_error = None
        if error:
            message = t("app.import_failed", self.lang, error=error)
            self.notify(shown(message), severity="error", timeout=20, markup=False)
        if report is not None and report.inbox.failed:
            # file names and error texts are data: one escaped line each, never markup
            from drafter.import_report import inbox_lines

            self.import_report_lines = [shown_line(line) for line in inbox_lines(report.inbox, self.lang)]  # in full
            lines = [shown_line(line) for line in inbox_lines(report.inbox, self.lang, short=True)]  # the notification
            if len(lines) > REPORT_NOTIFY_LINES:  # a notification taller than the screen lost its first lines
                rest = len(lines) - REPORT_NOTIFY_LINES + 1
                lines = [*lines[: REPORT_NOTIFY_LINES - 1], t("one_language.import.report_more", self.lang, count=rest)]
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
            self._save_error = error_text(exc, self.lang)  # in the UI language; file and field as written
            message = t("settings.broken", self.lang, error=self._save_error)
            self.notify(shown(message), severity="error", timeout=15, markup=False)
            return False
        self._save_error = None
        self.workspace.replace_settings(settings)
        self.apply_keymap()
        if settings.language != self.lang:
            self.set_language(settings.language)
        else:  # an open draft is checked with the new profile at once (its disclosure marker, say): the
            # marker saved in the profile was offered only after the next keystroke (a new-user probe)
            from drafter.tui.screens.compose import ComposeScreen

            for screen in self.screen_stack:
                if isinstance(screen, ComposeScreen) and screen.is_mounted:
                    screen.call_after_refresh(screen.schedule_check)
        return True

    def watch_theme(self, theme: str) -> None:
        """A theme chosen in the palette is kept in the settings, so the next start has it too (a new-user probe
        chose one and lost it). Saved a moment after the last change: the picker previews each theme it
        passes."""
        if theme == self._saved_theme or not self.is_running:
            return
        if self._theme_timer is not None:
            self._theme_timer.stop()
        self._theme_timer = self.set_timer(THEME_SAVE_DELAY, self._save_theme)

    def _save_theme(self) -> None:
        self._theme_timer = None
        theme = self.theme
        if theme == self._saved_theme or not self.settings_writable or self.settings_error:
            return  # a broken settings file is never overwritten (it is reported instead)
        from drafter.settings import SettingsError, load_settings

        try:  # as the file is now: values edited there meanwhile are kept (hostile probe)
            current = load_settings(self.settings_path)
        except SettingsError:
            return
        if self.save_settings(current.model_copy(update={"theme": theme})):
            self._saved_theme = theme

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.workspace.set_language(lang)
        i18n.set_language(lang)
        self.title = t("app.title", lang)

    def get_key_display(self, binding: Binding) -> str:
        """Keys in the footer named as help and texts name them (``Strg+N``, ``Esc``, ``F8``), not
        Textual's ``^n`` / ``esc`` / ``f8``; the binding here carries the key in force after ``[keys]``."""
        if binding.key_display:
            return binding.key_display
        from drafter.tui.keys import key_label

        return key_label(binding.key, self.lang)

    def key_name(self, binding_id: str, lang: str) -> str:
        """The key in force for a binding id (after ``[keys]``), named for texts ("F8", "Strg+E")."""
        from drafter.tui.keys import key_in_force

        scopes: list[type] = []
        try:
            if self.focused is not None:
                scopes.append(type(self.focused))
            scopes += [type(screen) for screen in reversed(self.screen_stack)]
        except Exception:  # no screen (yet, or any more): the app's own bindings, then all of them
            pass
        scopes.append(type(self))
        return key_in_force(binding_id, self.keymap, lang, scopes)

    def apply_keymap(self) -> None:
        """Remap bindings by id from the settings' ``[keys]`` table; unknown ids are said, not fatal."""
        from drafter.tui.keys import binding_ids

        keys = dict(self.settings.keys)
        known = binding_ids()
        unknown = sorted(k for k in keys if k not in known)
        keymap = {k: v for k, v in keys.items() if k in known}
        if keymap != self.keymap:  # unchanged (at start: none): no refresh, which rebuilds the footer
            self.keymap = keymap
            self.set_keymap(keymap)
            # texts that name a key ("Strg+N für einen freien Entwurf") name the one in force
            from drafter.tui.screens.inbox import InboxScreen

            for screen in self.screen_stack:
                if isinstance(screen, InboxScreen):
                    screen.reload()
        if unknown:
            ids = ", ".join(one_line(k) for k in unknown)
            message = t("settings.unknown_keys", self.lang, ids=ids)
            self.notify(shown(message), severity="warning", timeout=15, markup=False)

    def _notify_guidelines_error(self) -> None:
        problem = self.workspace.guidelines_problem  # said in the UI language (file, line, field as written)
        error = error_text(problem, self.lang) if problem is not None else self.workspace.guidelines_error
        if error and not self._guidelines_error_shown:
            self._guidelines_error_shown = True  # said once
            message = t("app.guidelines_fallback", self.lang, settings=self.settings_path, error=error)
            self.notify(shown(message), severity="error", timeout=20, markup=False)

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
                self.call_later(self.switch_screen, ComposeScreen(draft, compose.brief))
        self.refresh_bindings()

    # -- start-up input ---------------------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        # Keys typed while the app starts (the terminal queues them) wait until the screen they belong to
        # has restored its draft and focused its editor; otherwise they reach a half-built screen and are
        # lost, or land before the cursor is restored.
        held = self._held_input
        if held is not None and isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            held.append(event)
            return
        await super().on_event(event)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        self._hold_input_for(screen)
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen: Any) -> Any:
        self._hold_input_for(screen)
        return super().switch_screen(screen)

    def _hold_input_for(self, screen: object) -> None:
        """Keys typed right after the key that opens a screen (Ctrl+N, then a sentence in one burst) wait
        for that screen, as start-up keys do: before it is mounted they reached the screen below it and were
        lost. Only full drafter screens; a screen that never gets ready releases them after 3 s."""
        from drafter.tui.screens.base import DrafterScreen

        if isinstance(screen, DrafterScreen) and self._held_input is None:
            held: list[events.Key | events.Paste] = []
            self._held_input = held

            async def release_if_still_held() -> None:
                if self._held_input is held:
                    await self._release_input()

            self.set_timer(3.0, release_if_still_held)

    def screen_ready(self, screen: object) -> None:
        """Called by every drafter screen once mounted: when it is the screen on top, the held start-up
        input is released (after the focus changes already queued, so it reaches the focused widget)."""
        if self._held_input is not None and screen is self.screen:
            self.call_later(self._release_input)

    async def _release_input(self) -> None:
        held, self._held_input = self._held_input, None
        for event in held or ():
            await super().on_event(event)  # in arrival order, before any key that arrives later

    # -- lifecycle ------------------------------------------------------------------------------------
    def _fatal_error(self) -> None:
        """Textual's crash report, without the local variables of every frame: they may hold the
        environment (API keys, PGPASSWORD) or the draft's text, and the report goes to the terminal
        (and into whatever logs it). The exception and the code lines stay, which is what a bug report needs."""
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(Segments(self.console.render(traceback, self.console.options)))
        self._close_messages_no_wait()

    def on_mount(self) -> None:
        from drafter.tui.screens.inbox import InboxScreen

        if self._saved_theme and self._saved_theme in self.available_themes:  # an unknown name: the default
            self.theme = self._saved_theme

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
            message = t("app.last_draft_failed", self.lang, error=last_error)
            self.notify(shown(message), severity="error", timeout=20, markup=False)
        if last is not None:
            # Forgotten until the draft has been painted (the compose screen remembers it again then),
            # so a draft that cannot be shown makes this start, not every later one, fail.
            self._forget_last()
            self.open_draft(last.id)
        elif self.show_onboarding:
            from drafter.tui.screens.settings import SettingsScreen

            self.push_screen(SettingsScreen(onboarding=True))
        self._background_pending = progressive
        self.set_timer(HOLD_INPUT_LIMIT, self._release_input)  # a screen that never gets ready: keys still work

    def after_first_paint(self) -> None:
        """Called once the first screen has been painted: start the background load shortly after. A
        draft reopened at start is painted after the inbox beneath it: the load (the corpus first) waits
        for its screen, or it would run beside that paint."""
        if self._background_started:
            return
        compose = sys.modules.get("drafter.tui.screens.compose")
        if compose is not None and isinstance(self.screen, compose.ComposeScreen) and not self.screen.painted:
            return  # its screen calls again once painted
        self._background_started = True
        self.set_timer(0.01, lambda: self._load_in_background(self._background_pending))

    def _load_in_background(self, import_briefs: bool) -> None:
        """After first paint, in a thread: settings and guidelines (:class:`StartupLoaded`), on first start
        the import (:class:`ImportReported`), checker and screens (:class:`BindingsReady`: the keymap can
        be checked), then the team sync. The corpus comes first: it needs neither settings nor guidelines,
        and with a large corpus it is what originality findings wait for (numpy, the store's index). In
        a worker beside the first paint it shared the GIL with it and made it later; in its own worker
        beside this one, each made the other later (``benchmarks/corpus_scale_bench.py --app-only``)."""

        def load() -> None:
            with contextlib.suppress(Exception):  # the app works without its corpus (a damaged or busy store)
                self._build_corpus()
                compose = sys.modules.get("drafter.tui.screens.compose")
                screens = list(self.screen_stack)
                if self._corpus_posted and compose and any(isinstance(s, compose.ComposeScreen) for s in screens):
                    # a draft reopened at start: its corpus answer first, then the rest of the load
                    self.first_answer.wait(FIRST_ANSWER_WAIT)
            self._startup_corpus_done = True
            from drafter.guidelines import GuidelineError

            workspace = self.workspace
            try:
                _ = workspace.settings
                _ = workspace.guidelines
            except GuidelineError as exc:
                self.post_message(StartupLoaded(import_briefs, failed=str(exc)))
                return
            except Exception as exc:  # a --guidelines folder that breaks the loader: said, never a silent death
                self.post_message(StartupLoaded(import_briefs, failed=_describe(exc)))
                return
            import drafter.brief_store  # noqa: F401  (pydantic models for the inbox refresh)

            self.post_message(StartupLoaded(import_briefs))
            if import_briefs:  # first start: samples and inbox, on this thread's own connection
                report, error = None, None
                try:
                    with workspace.open_store() as own:
                        report = self._run_import(own)
                except Exception as exc:  # the inbox must still fill and say why: never a silent worker death
                    error = _describe(exc)
                self.post_message(ImportReported(report, error))
            _ = workspace.checker
            from drafter.tui.keys import binding_ids

            binding_ids()  # imports every screen: the ids the keymap is checked against
            self.post_message(BindingsReady())
            self.call_from_thread(self._start_team_sync)

        self.run_worker(load, thread=True, group="startup", exit_on_error=False)

    @on(StartupLoaded)
    def _startup_loaded(self, message: StartupLoaded) -> None:
        from drafter.tui.screens.inbox import InboxScreen

        if message.failed is not None:
            self.exit(None, 2, Text(shown(message.failed)))
            return
        self.sub_title = shown_line(f"{self.guidelines.name} {self.guidelines.version}", 80)
        self._notify_guidelines_error()
        if self.settings_error:
            self._notify_settings_error()
        if message.import_briefs:
            return  # the inbox is reloaded when the import is done
        self._models_ready = True
        for screen in self.screen_stack:
            if isinstance(screen, InboxScreen):
                screen.reload()
        self.freeze_gc(collect=True)

    @on(ImportReported)
    def _imported(self, message: ImportReported) -> None:
        from drafter.tui.screens.inbox import InboxScreen

        self._report_import(message.report, message.error)
        self._models_ready = True
        for screen in self.screen_stack:
            if isinstance(screen, InboxScreen):
                screen.reload()
        self.freeze_gc(collect=True)

    @on(VoiceImported)
    def _voice_imported(self, message: VoiceImported) -> None:
        # the text quotes file names and lines: plain text, control characters escaped
        self.notify(
            shown(message.text), severity="error" if message.failed else "information", timeout=12, markup=False
        )

    # -- the team store (drafter/tui/team.py) ---------------------------------------------------------
    def _start_team_sync(self) -> None:
        from drafter.tui import team

        self._team_notices = team.Notices()
        team.start(self)

    def on_team_synced(self, message: Any) -> None:
        """A background team sync finished (:class:`drafter.tui.team.TeamSynced`)."""
        from drafter.tui.screens.inbox import InboxScreen

        if self._team_notices.handle(self, message):
            for screen in self.screen_stack:
                if isinstance(screen, InboxScreen):
                    screen.reload()

    @on(BindingsReady)
    def _bindings_ready(self) -> None:
        if self.screen_stack:  # not when the app is already closing (refreshing bindings needs a screen)
            self.apply_keymap()

    def freeze_gc(self, collect: bool = False) -> None:
        """What is loaded so far lives as long as the app: keep it out of the cyclic GC's full
        collections, which otherwise pause typing for 20–40 ms every few seconds. ``collect`` first
        frees the garbage of the young generations. Not a full collection: it would hold the UI for about
        50 ms (CPU; more on a busy machine) right after the first paint, to free about 1,200 objects
        (~0.1 MB: Textual's strip caches of the first frames), which are frozen instead."""
        if self.gc_freeze:
            if collect:
                gc.collect(1)
            gc.freeze()

    async def action_quit(self) -> None:
        # Ctrl+Q is a priority binding: it runs as it arrives, while keys typed just before it may still wait
        # in the focused widget's queue. Save and exit from that queue, after them, so none is lost.
        focused = self.focused
        if focused is not None and focused.is_attached:
            focused.call_later(self._save_and_exit)
        else:
            self._save_and_exit()

    def _save_and_exit(self) -> None:
        self.save_all()
        self.exit()

    def save_all(self) -> None:
        """Autosave every open compose screen now, and a theme chosen a moment ago (quit, tests): a theme picked
        less than a second before Ctrl+Q was lost (new-user probe)."""
        from drafter.tui.screens.compose import ComposeScreen

        for screen in self.screen_stack:
            if isinstance(screen, ComposeScreen):
                screen.autosave()
        if self._theme_timer is not None:
            self._theme_timer.stop()
            self._save_theme()

    def on_unmount(self) -> None:
        self.workspace.close()

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
        brief_error: str | None = None
        try:
            brief = self.brief(draft.brief_id)
        except Exception as exc:  # a stored brief that cannot be read must not keep the draft from opening
            brief, brief_error = None, _describe(exc)
        self.push_screen(ComposeScreen(draft, brief, brief_error=brief_error))

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
            # the brief's order (its business unit names its main channel first), of the channels the ambassador
            # posts on; the brief's first when the profile has none of them (the eleventh round's new-user probe:
            # a brief naming LinkedIn first opened on X, the profile's first)
            channels = [c for c in brief.channels if c in preferred] or [brief.channels[0]]
        else:  # a free draft: every channel of the profile (as `drafter export` without --channel)
            channels = preferred or [self.guidelines.default_channel]
        draft = self.drafts.create(brief_id=brief.id if brief else None, channels=channels)
        self.open_draft(draft.id)

    # -- Textual's own palette and commands, in the UI language (drafter/tui/commands.py) ---------------
    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from drafter.tui.commands import DrafterPalette

        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(DrafterPalette(self.lang, id="--command-palette"))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        from drafter.tui.commands import DrafterPalette

        placeholder = t("one_language.palette.themes_placeholder", self.lang)
        self.push_screen(DrafterPalette(self.lang, providers=[ThemeProvider], placeholder=placeholder))

    def save_screenshot_to_data(self) -> Path | None:
        """An SVG screenshot of this view, saved into ``<data dir>/screenshots`` (there whether or not
        the user has a ~/Downloads); where it went, or why not, is said in the UI language."""
        try:
            folder = paths.ensure_dir(paths.data_dir() / "screenshots")
            saved = Path(self.save_screenshot(path=str(folder)))
        except OSError as exc:  # paths.FolderError is one
            message = t("fix_ui.screenshot.failed", self.lang, error=one_line(str(exc)))
            self.notify(shown(message), severity="error", timeout=10, markup=False)
            return None
        self.notify(shown(t("fix_ui.screenshot.saved", self.lang, path=str(saved))), timeout=10, markup=False)
        return saved

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from drafter.tui.commands import system_commands

        return system_commands(self, screen)

    def action_help(self) -> None:
        from drafter.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_profile(self) -> None:
        from drafter.tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())


def _open_store(path: Path | None) -> tuple[Store, str | None]:
    """The store, and why it had to be replaced: a damaged store (not an SQLite database, or damaged at its
    start) is moved aside with :func:`drafter.store.move_aside` — kept, never deleted or overwritten — and
    a new, empty store begins in its place. (``run()`` asks the user first; an app built directly, as in
    tests, goes ahead.)"""
    from drafter.store import Store, StoreCorrupt, move_aside

    try:
        return Store(path), None
    except StoreCorrupt as exc:
        aside = move_aside(exc.path)
        return Store(path), f"{exc.path}: {exc.detail} → {aside}"


def _offer_fresh_store(path: Path | None) -> bool:
    """Before the app opens: a damaged store is reported, and on a terminal the user is asked whether to
    move it aside and start a fresh one. Returns False when the app must not open (the answer was no, or
    nobody could be asked); the damaged file is never touched without a yes."""
    from drafter.store import Store, StoreCorrupt, move_aside

    try:
        Store(path).close()
    except StoreCorrupt as exc:
        lang = _startup_language()  # the app's language: the question comes before the app (new-user probe)
        _print_store_error(exc, lang)
        if not sys.stdin.isatty():
            return False
        answer = input(t("app.store_offer", lang)).strip().lower()
        if answer not in ("y", "yes", "j", "ja"):
            return False
        aside = move_aside(exc.path)
        print(f"drafter: {t('app.store_moved_aside', lang, path=shown_line(str(aside)))}", file=sys.stderr)
    return True


def _print_store_error(exc: sqlite3.Error, lang: str) -> None:
    """A store that cannot be used, before the app opens: its problem in the app's language (a store
    written by a newer drafter was said in English only to a German user), each line escaped."""
    from drafter.errors import UserError, unreadable_store
    from drafter.import_report import error_lines, problem_text
    from drafter.paths import store_path

    path = getattr(exc, "path", None) or store_path()
    lines = error_lines(exc, lang) if isinstance(exc, UserError) else [problem_text(unreadable_store(path, exc), lang)]
    for line in lines:
        print(f"drafter: {shown_line(line)}", file=sys.stderr)


def _startup_language() -> str:
    """The UI language before the app opens: the settings' (when they can be read), else the locale's."""
    from drafter.i18n import default_language

    try:
        from drafter.settings import load_settings

        return load_settings().language
    except Exception:  # broken settings are reported once the app opens
        return default_language()


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
    except sqlite3.Error as exc:  # e.g. locked by a stuck process, or newer: say so in one line, no traceback
        _print_store_error(exc, _startup_language())
        raise SystemExit(2) from exc
    if app.return_code:
        raise SystemExit(app.return_code)
