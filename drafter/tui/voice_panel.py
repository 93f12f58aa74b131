"""The voice score in the compose screen's side panel: how much the text sounds like its author.

Never on the keystroke path: the panel polls the editor's text version on a timer (``POLL``); once the
text has stayed the same for ``DEBOUNCE`` seconds, a thread worker scores it and posts
:class:`~drafter.tui.messages.VoiceScored`. The profile is built once per compose screen in a worker
(:class:`~drafter.tui.messages.VoiceProfileLoaded`), on its own store connection. Without a usable
profile the panel stays hidden (onboarding and ``drafter voice import`` offer the import). The reasons
are shown on demand (``Shift+F9``, binding ``voice.reasons``, and the palette) as a plain-text notification.
"""

from __future__ import annotations

import sqlite3
import time
from typing import TYPE_CHECKING

from textual import on, work
from textual.widgets import Static
from textual.worker import get_current_worker

from drafter.i18n import t
from drafter.tui.formatting import plain, shown
from drafter.tui.messages import VoiceImported, VoiceProfileLoaded, VoiceScored

if TYPE_CHECKING:
    from pathlib import Path

    from drafter.tui.app import DrafterApp
    from drafter.tui.editor import DraftEditor
    from drafter.voice import VoiceProfile, VoiceScore

#: seconds between looks at the editor's text version
POLL = 0.15
#: seconds the text must stay unchanged before it is scored
DEBOUNCE = 0.4


class VoicePanel(Static):
    """Score 0–100 and the main reason; hidden until a usable profile is loaded."""

    DEFAULT_CSS = """
    VoicePanel { height: auto; min-height: 3; padding: 0 1; border: round $primary 40%; display: none; }
    VoicePanel.-ready { display: block; }
    VoicePanel.-drift { border: round $warning; }
    """

    def __init__(self, editor: DraftEditor, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.editor = editor
        self.profile: VoiceProfile | None = None
        self._stored_posts = 0  # posts in the stored profile (a profile of too few is no profile: not scored)
        self.result: VoiceScore | None = None
        #: the text version the shown result belongs to, and the one being scored
        self.scored_version = -1
        self._pending_version = -1
        self._seen_version = -1
        self._seen_at = 0.0
        #: the text shown (its update lays the panel out again only when it changes)
        self._shown_text = ""

    @property
    def lang(self) -> str:
        app: DrafterApp = self.app  # type: ignore[assignment]
        return app.lang

    def on_mount(self) -> None:
        self.border_title = t("voice.panel_title", self.lang)
        self._load_profile()
        self.set_interval(POLL, self._poll)

    # -- the profile ----------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="voice-profile", exit_on_error=False)
    def _load_profile(self) -> None:
        app: DrafterApp = self.app  # type: ignore[assignment]
        try:
            profile = app.workspace.voice_profile()
        except Exception as exc:  # a locked or damaged store: the panel stays hidden, the app goes on
            self.post_message(VoiceProfileLoaded(None, str(exc)))
            return
        self.post_message(VoiceProfileLoaded(profile))

    @on(VoiceProfileLoaded)
    def _profile_loaded(self, message: VoiceProfileLoaded) -> None:
        message.stop()
        self.profile = message.profile if message.profile is not None and message.profile.usable else None
        self._stored_posts = message.profile.posts if message.profile is not None else 0
        self.set_class(self.profile is not None, "-ready")
        self.scored_version = -1
        self._seen_version = -1

    # -- scoring, debounced ---------------------------------------------------------------------------
    def _poll(self) -> None:
        if self.profile is None:
            return
        version = self.editor.text_version
        now = time.monotonic()
        if version != self._seen_version:
            self._seen_version, self._seen_at = version, now
            return
        if version in (self.scored_version, self._pending_version) or now - self._seen_at < DEBOUNCE:
            return
        self._pending_version = version
        self._score(self.profile, self.editor.text, version, self.lang)

    @work(thread=True, exclusive=True, group="voice-score", exit_on_error=False)
    def _score(self, profile: VoiceProfile, text: str, version: int, lang: str) -> None:
        from drafter.voice import score

        result = score(profile, text, lang)
        if not get_current_worker().is_cancelled:
            self.post_message(VoiceScored(version, result))

    @on(VoiceScored)
    def _scored(self, message: VoiceScored) -> None:
        message.stop()
        self._pending_version = -1
        self.result = message.result
        self.scored_version = message.version
        self._show()

    def _show(self) -> None:
        lang = self.lang
        result = self.result
        if result is None or result.score is None:
            short = t("voice.panel_short", lang)
            # laid out again when it is new here: without, the panel kept its one-line height and cut the
            # line to the side panel's width ("Schreib ein paar") instead of wrapping it
            self.update(plain(short), layout=self._shown_text != short)
            self._shown_text = short
            return
        lines = [t("voice.panel_score", lang, score=result.score)]
        # reasons quote numbers and catalogue text only, never the post: still shown as plain text, no markup
        lines.append(result.reasons[0].text if result.reasons else t("voice.panel_fits", lang))
        self._shown_text = "\n".join(lines)
        self.update(plain(self._shown_text))  # a relayout: the reason wraps onto more lines
        self.set_class(result.score < 50, "-drift")

    # -- the reasons, on demand -----------------------------------------------------------------------
    def reasons_text(self) -> str:
        lang = self.lang
        result = self.result
        if self.profile is None:
            # without a profile, say how to get one (a new-user probe pressed Shift+F9 and learnt nothing)
            if self._stored_posts:
                from drafter.voice import MIN_POSTS

                return t("voice.panel_too_few", lang, count=self._stored_posts, needed=MIN_POSTS)
            return t("voice.panel_none", lang)
        if result is None or result.score is None:
            return t("voice.reasons_unavailable", lang)
        head = f"{t('voice.reasons_title', lang)} ({t('voice.panel_score', lang, score=result.score)})"
        if not result.reasons:
            return f"{head}\n{t('voice.reasons_none', lang)}"
        return "\n".join([head, *(f"• {shown(r.text)}" for r in result.reasons)])


def import_past_posts(app: DrafterApp, path: Path) -> None:
    """Import the file named in onboarding into the voice profile in a thread worker; the outcome arrives
    as :class:`~drafter.tui.messages.VoiceImported` (all or nothing, as ``drafter voice import``)."""

    def run() -> None:
        from drafter.import_report import error_text
        from drafter.voice import VoiceStore
        from drafter.voice_import import VoiceImportError, read_paths

        lang = app.lang
        try:
            read = read_paths([path])
            store = app.workspace.open_store()
            try:
                voices = VoiceStore(store)
                report = voices.add(read.posts)
                voices.profile(app.workspace.voice_ignored_tags())  # cached here, not when a draft opens
            finally:
                store.close()
        except (VoiceImportError, OSError, sqlite3.Error) as exc:
            # the files' problems in the UI language (file, line and field as written)
            error = error_text(exc, lang) if isinstance(exc, VoiceImportError) else str(exc)
            app.post_message(VoiceImported(t("voice.import_failed", lang, error=error), failed=True))
            return
        text = t("voice.imported", lang, added=report.added, duplicates=report.duplicates, reposts=read.reposts)
        app.post_message(VoiceImported(text))

    app.run_worker(run, thread=True, group="voice-import", exit_on_error=False)
