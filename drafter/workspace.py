"""The composition root: one object that the CLI and the app build, and ask for everything else.

settings → guideline set → checker → stores → corpus index (later: the AI client, the voice profile and
the team link hang here too). Nothing outside this module decides which settings or which guidelines
apply; CLI commands and the app construct a :class:`Workspace` and ask it.

Which guidelines apply — one order, the same for every command and the app:

1. the folder given on the command line (``drafter --guidelines DIR …`` or ``… --guidelines DIR``);
2. else the folder named in the settings (``guidelines_dir``);
3. else the bundled set.

A folder named on the command line that does not load is an error (the user asked for it). One saved in
the settings is an error for the CLI (``strict=True``: which rules apply would be unclear) but not for
the app (``strict=False``): the app falls back to the bundled set and reports why, so a broken folder
never locks the user out of the screen that fixes it. Broken settings work the same way.

Everything is built lazily and once, and may be asked for from worker threads.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from drafter import paths
from drafter.errors import UserError

if TYPE_CHECKING:
    from drafter.authorship import AuthorshipRecord
    from drafter.brief_store import BriefStore
    from drafter.briefs import Brief, BriefContext
    from drafter.checker import Checker
    from drafter.dismissals import Dismissal
    from drafter.drafting import CorpusAnswer, DraftCheck, ExportOutcome
    from drafter.guidelines import GuidelineSet
    from drafter.originality import PostIndex, StoredPostIndex
    from drafter.settings import Settings
    from drafter.store import Store
    from drafter.team.index import CombinedPostIndex
    from drafter.team.link import TeamLink
    from drafter.voice import VoiceProfile, VoiceStore

Clock = Callable[[], dt.datetime]
GuidelineSource = Literal["option", "settings", "team", "bundled"]


def describe(exc: BaseException) -> str:
    """An unexpected error as one line of text (its type, and its message when it has one)."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


@dataclass
class Workspace:
    """Settings, guidelines, checker, stores and corpus for one process (a CLI command or the app)."""

    #: the command line's ``--guidelines`` folder, if any
    guidelines_option: Path | None = None
    #: the settings file (default: ``settings.toml`` in the config directory)
    settings_path: Path | None = None
    #: the store file (default: ``drafter.sqlite3`` in the data directory)
    store_path: Path | None = None
    #: True for the CLI: broken settings or a broken settings folder are errors, not fallbacks
    strict: bool = True
    #: the interface/message language; None: the settings' language
    language: str | None = None
    clock: Clock = local_now

    #: why the settings were not used (lenient mode only), as plain text
    settings_error: str | None = field(default=None, init=False)
    #: why the settings' guidelines folder was not used (lenient mode only), as plain text
    guidelines_error: str | None = field(default=None, init=False)
    #: the same two as the errors they were, so a shell can say them in its language (``Problem.said``)
    settings_problem: UserError | None = field(default=None, init=False)
    guidelines_problem: UserError | None = field(default=None, init=False)
    guidelines_source: GuidelineSource | None = field(default=None, init=False)

    _settings: Settings | None = field(default=None, init=False, repr=False)
    _guidelines: GuidelineSet | None = field(default=None, init=False, repr=False)
    _checker: Checker | None = field(default=None, init=False, repr=False)
    _store: Store | None = field(default=None, init=False, repr=False)
    _corpus: StoredPostIndex | None = field(default=None, init=False, repr=False)
    _team: TeamLink | None = field(default=None, init=False, repr=False)
    _team_corpus: CombinedPostIndex | None = field(default=None, init=False, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)

    def adopt(self, *, store: Store | None = None, guidelines: GuidelineSet | None = None) -> None:
        """Use an already opened ``store`` (the app opens it itself, to move a damaged one aside first)
        and already loaded ``guidelines`` (a ``--guidelines`` folder checked before anything is shown)."""
        with self._lock:
            if store is not None:
                self._store = store
            if guidelines is not None:
                self._guidelines = guidelines
                self.guidelines_source = "option" if self.guidelines_option is not None else "bundled"

    # -- settings -------------------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        """The validated settings. Broken settings raise :class:`~drafter.settings.SettingsError` when
        ``strict``; otherwise they give defaults and :attr:`settings_error` says why."""
        if self._settings is None:
            with self._lock:
                if self._settings is None:
                    from drafter.settings import Settings, SettingsError, load_settings, settings_path

                    try:
                        self._settings = load_settings(self.settings_path)
                    except Exception as exc:  # lenient: any content (even TOML nested too deep) gives defaults
                        if self.strict:
                            raise
                        self.settings_problem = exc if isinstance(exc, UserError) else None
                        self.settings_error = (
                            str(exc)
                            if isinstance(exc, SettingsError)
                            else f"{self.settings_path or settings_path()}: {describe(exc)}"
                        )
                        self._settings = Settings()
        return self._settings

    def replace_settings(self, settings: Settings) -> None:
        """Use ``settings`` from now on (after the profile was saved); guidelines and checker are rebuilt
        on next use when the guidelines folder changed."""
        with self._lock:
            old = self._settings
            self._settings = settings
            self.settings_error = None
            self.settings_problem = None
            if old is None or old.guidelines_dir != settings.guidelines_dir:
                self._guidelines = None
                self._checker = None
                self.guidelines_error = None
                self.guidelines_problem = None

    @property
    def lang(self) -> str:
        return self.language or self.settings.language

    def set_language(self, lang: str) -> None:
        with self._lock:
            self.language = lang
            self._checker = None

    def today(self) -> dt.date:
        return self.clock().date()

    # -- guidelines -----------------------------------------------------------------------------------
    @property
    def guidelines_dir(self) -> Path | None:
        """The folder that should apply (None: the bundled set), by the resolution order above."""
        if self.guidelines_option is not None:
            return self.guidelines_option
        return self.settings.guidelines_dir

    @property
    def guidelines(self) -> GuidelineSet:
        if self._guidelines is None:
            with self._lock:
                if self._guidelines is None:
                    self._guidelines = self._load_guidelines()
        return self._guidelines

    def _load_guidelines(self) -> GuidelineSet:
        from drafter.guidelines import GuidelineError, load_guidelines

        if self.guidelines_option is not None:
            self.guidelines_source = "option"
            return load_guidelines(self.guidelines_option)  # the user's explicit choice: errors raise
        folder = self.settings.guidelines_dir
        from_team = folder is None and (folder := self.team_guidelines_dir()) is not None
        if folder is None:
            self.guidelines_source = "bundled"
            return load_guidelines(None)
        try:
            loaded = load_guidelines(folder)
        except Exception as exc:  # lenient: whatever the folder holds, the bundled set is used
            if self.strict:
                raise
            self.guidelines_error = str(exc) if isinstance(exc, GuidelineError) else describe(exc)
            self.guidelines_problem = exc if isinstance(exc, GuidelineError) else None
            self.guidelines_source = "bundled"
            return load_guidelines(None)
        self.guidelines_source = "team" if from_team else "settings"
        return loaded

    @property
    def guidelines_loaded(self) -> bool:
        return self._guidelines is not None

    def brief_context(self) -> BriefContext:
        """The goals and channels a brief may name, from the guidelines in force."""
        return self.guidelines.brief_context()

    @property
    def checker(self) -> Checker:
        if self._checker is None:
            guidelines = self.guidelines
            with self._lock:
                if self._checker is None:
                    from drafter.checker import Checker

                    self._checker = Checker(guidelines, lang=self.language or self._settings_language())
        return self._checker

    def _settings_language(self) -> str | None:
        return self._settings.language if self._settings is not None else None

    # -- stores ---------------------------------------------------------------------------------------
    @property
    def resolved_store_path(self) -> Path:
        return self.store_path or paths.store_path()

    def store_exists(self) -> bool:
        """Whether there is a store (a link to one that cannot be reached counts: opening it says why; taken as
        no store, it let ``lint`` pass without the corpus: a hostile probe)."""
        path = self.resolved_store_path
        try:
            # an empty file holds no store yet: lint wrote a schema into one (README: lint never creates a
            # store; a hostile probe)
            return path.stat().st_size > 0 or not path.is_file()
        except OSError:
            return path.is_symlink()

    @property
    def store(self) -> Store:
        """The local store, opened (and created) on first use."""
        if self._store is None:
            with self._lock:
                if self._store is None:
                    from drafter.store import Store

                    self._store = Store(self.resolved_store_path)
        return self._store

    def open_store(self) -> Store:
        """A new connection to the same store (for a worker thread); the caller closes it."""
        from drafter.store import Store

        return Store(self.resolved_store_path)

    def brief_store(self, *, samples: bool = True) -> BriefStore:
        """The briefs in the store; with the bundled sample briefs on first use."""
        from drafter.brief_store import BriefStore, ensure_samples

        if samples:
            ensure_samples(self.store, self.brief_context())
        return BriefStore(self.store)

    def brief(self, brief_id: str | None) -> Brief | None:
        if not brief_id:
            return None
        from drafter.brief_store import BriefStore

        found: Brief | None = BriefStore(self.store).get(brief_id)
        return found

    # -- the corpus of posts (originality) --------------------------------------------------------------
    def stored_corpus(self) -> StoredPostIndex:
        """The local corpus (its own connection, so worker threads may build and query it)."""
        if self._corpus is None:
            with self._lock:
                if self._corpus is None:
                    from drafter.originality import StoredPostIndex

                    self._corpus = StoredPostIndex(self.open_store(), sync_on_query=False)
        return self._corpus

    def corpus(self) -> PostIndex | None:
        """The local corpus when the store exists and holds posts, built for querying; None otherwise
        (no store is created for it)."""
        if not self.store_exists():
            return self.with_team(None)
        index = self.stored_corpus()
        if not len(index):
            return self.with_team(None)
        index.build()
        return self.with_team(index)

    # -- the team store (drafter.team) -----------------------------------------------------------------
    @property
    def team(self) -> TeamLink | None:
        """The link to the team store when one is configured (``[team] url`` or ``DRAFTER_TEAM_URL``)."""
        if self._team is None:
            from drafter.team import team_url

            url = team_url(self.settings)
            if url is None:
                return None
            from drafter.team.link import TeamLink

            with self._lock:
                if self._team is None:
                    self._team = TeamLink(url)
        return self._team

    def team_guidelines_dir(self) -> Path | None:
        """The guideline set the last team sync brought (applies unless a folder is chosen explicitly)."""
        from drafter.team import team_url

        if team_url(self.settings) is None:
            return None
        from drafter.team.sync import current_guidelines_dir

        return current_guidelines_dir()

    def with_team(self, local: PostIndex | None) -> PostIndex | None:
        """``local`` together with the team's published posts when a team is configured. The CLI waits a
        few seconds for the server; the app never waits (see :mod:`drafter.team.index`)."""
        if self.team is None:
            return local
        from drafter.team.index import CombinedPostIndex, TeamPostIndex

        with self._lock:
            if self._team_corpus is None or self._team_corpus.local is not local:
                team = self._team_corpus.team if self._team_corpus else None
                team = team or TeamPostIndex(self.team.url, wait=3.0 if self.strict else 0.0)
                self._team_corpus = CombinedPostIndex(local, team, sink=self.stored_corpus)
            return self._team_corpus

    def team_lookup_error(self) -> str | None:
        """Why the last originality lookup in the team's posts failed (plain text), else None."""
        return self._team_corpus.team.last_error if self._team_corpus is not None else None

    def corpus_for(self, draft_id: str | None, index: PostIndex | None) -> PostIndex | None:
        """``index`` without the exports of ``draft_id`` (a draft is never compared with itself)."""
        if index is None or draft_id is None:
            return index
        from drafter.originality import SkippingPostIndex, export_source

        return SkippingPostIndex(index, [export_source(draft_id)])

    # -- drafting -------------------------------------------------------------------------------------
    def check_draft(
        self,
        text: str,
        *,
        channels: list[str] | None = None,
        record: AuthorshipRecord | None = None,
        brief: Brief | None = None,
        corpus: PostIndex | None = None,
        date: dt.date | None = None,
        dismissals: Sequence[Dismissal] = (),
        defer_corpus: bool = False,
    ) -> DraftCheck:
        """:func:`drafter.drafting.check_draft` with this workspace's guidelines, checker, language,
        date and disclosure marker."""
        from drafter.drafting import check_draft

        guidelines = self.guidelines
        return check_draft(
            self.checker,
            text,
            channels=channels or [guidelines.default_channel],
            record=record,
            brief=brief,
            corpus=corpus,
            date=date or self.today(),
            lang=self.lang,
            disclosure_marker=self.settings.disclosure_marker,
            dismissals=dismissals,
            defer_corpus=defer_corpus,
        )

    def corpus_answer(
        self,
        text: str,
        *,
        channels: list[str],
        corpus: PostIndex,
        brief: Brief | None = None,
        date: dt.date | None = None,
    ) -> CorpusAnswer:
        """:func:`drafter.drafting.corpus_answer` (the corpus part of :meth:`check_draft` alone) with this
        workspace's checker and language."""
        from drafter.drafting import corpus_answer

        return corpus_answer(
            self.checker, text, channels=channels, corpus=corpus, brief=brief, date=date or self.today(), lang=self.lang
        )

    def export_draft(
        self,
        check: DraftCheck,
        *,
        draft_id: str | None = None,
        brief_id: str | None = None,
        accept_warnings: bool = False,
        out_dir: Path | None = None,
        corpus: PostIndex | None = None,
    ) -> ExportOutcome:
        """:func:`drafter.drafting.export_draft` into this workspace's exports folder and corpus."""
        from drafter.drafting import export_draft

        return export_draft(
            check,
            guidelines=self.guidelines,
            author=self.settings.name,
            exported_at=self.clock(),
            lang=self.lang,
            draft_id=draft_id,
            brief_id=brief_id,
            accept_warnings=accept_warnings,
            out_dir=out_dir,
            corpus=corpus if corpus is not None else self.stored_corpus(),
            voice=self.voice_store() if self.settings.voice.learn_from_exports else None,
            outbox=self._queue_for_team if self.team is not None else None,
        )

    def _queue_for_team(self, document: dict[str, object]) -> None:
        """Queue an exported post for the team store (sent by the next sync; never a draft)."""
        import datetime as dt

        from drafter.team.link import queue_export

        assert self.team is not None
        queue_export(self.team.state, document, dt.datetime.fromisoformat(str(document["exported_at"])))

    # -- the author's own voice (drafter.voice) -------------------------------------------------------
    def voice_store(self) -> VoiceStore:
        """The author's past posts in the local store (never a team store)."""
        from drafter.voice import VoiceStore

        return VoiceStore(self.store)

    def voice_profile(self) -> VoiceProfile | None:
        """The voice profile built from the stored posts, on its own connection (for a worker thread);
        None when there is no store yet (none is created for it)."""
        if not self.store_exists():
            return None
        from drafter.voice import VoiceStore

        store = self.open_store()
        try:
            return VoiceStore(store).profile(self.voice_ignored_tags())
        finally:
            store.close()

    def voice_ignored_tags(self) -> tuple[str, ...]:
        """The hashtags the rules ask for (the disclosure marker's, the goals' core hashtags): not counted
        as the author's hashtag habit in the voice profile and score. Only the marker's when the
        guidelines cannot be loaded (that error is reported where the guidelines are used)."""
        from drafter.guidelines import GuidelineError
        from drafter.voice import required_tags

        try:
            goals = [goal.hashtag for goal in self.guidelines.goals]
        except GuidelineError:
            goals = []
        return required_tags(self.settings.disclosure_marker, goals)

    # -- lifetime -------------------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            if self._team_corpus is not None:
                self._team_corpus.team.close()
                self._team_corpus = None
            if self._team is not None:
                self._team.close()
                self._team = None
            if self._corpus is not None:
                self._corpus.store.close()
                self._corpus = None
            if self._store is not None:
                self._store.close()
                self._store = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
