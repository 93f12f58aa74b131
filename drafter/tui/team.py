"""The app's side of the team store: sync at start and every few minutes, in a worker thread.

Nothing here blocks the UI: the sync runs on its own store connection in a thread (the connection
attempt included) and posts :class:`TeamSynced`; the app then notifies and reloads the inbox when
briefs came in. A server that is down or refuses the credentials is said once per failure streak,
and everything goes on locally (exports wait in the outbox).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from drafter.i18n import t
from drafter.tui.formatting import shown

if TYPE_CHECKING:
    from drafter.team.sync import SyncResult
    from drafter.tui.app import DrafterApp

SYNC_EVERY = 300.0
"""Seconds between background syncs."""


class TeamSynced(Message):
    """A background sync finished (``result``) or failed (``error``, plain text)."""

    def __init__(self, result: SyncResult | None, error: str | None) -> None:
        super().__init__()
        self.result = result
        self.error = error


def start(app: DrafterApp) -> None:
    """Sync now and every :data:`SYNC_EVERY` seconds when a team is configured."""
    if app.workspace.team is None:
        return
    app.set_interval(SYNC_EVERY, lambda: run(app))
    run(app)


def run(app: DrafterApp) -> None:
    def work() -> None:
        from drafter.workspace import describe

        workspace = app.workspace
        link = workspace.team
        if link is None:
            return
        try:
            with workspace.open_store() as store:
                result = link.sync(store, workspace.brief_context())
        except Exception as exc:  # TeamError, or anything the network throws: said, never a dead worker
            app.post_message(TeamSynced(None, str(exc) if hasattr(exc, "problems") else describe(exc)))
            return
        app.post_message(TeamSynced(result, None))

    app.run_worker(work, thread=True, group="team-sync", exclusive=True, exit_on_error=False)


class Notices:
    """What to tell the user after a sync: failures once per streak, news when there is some."""

    def __init__(self) -> None:
        self.failing = False

    def handle(self, app: DrafterApp, message: TeamSynced) -> bool:
        """Notify; True when briefs came in (the inbox should reload)."""
        lang = app.lang
        if message.error is not None:
            if not self.failing:
                app.notify(shown(t("team.sync_failed", lang, error=message.error)), severity="warning",
                           timeout=15, markup=False)  # fmt: skip
            self.failing = True
            return False
        self.failing = False
        result = message.result
        if result is None:
            return False
        for problem in result.problems:
            app.notify(shown(problem), severity="warning", timeout=15, markup=False)
        if result.briefs or result.pushed or result.guidelines:
            text = t("team.synced", lang, briefs=result.briefs, posts=result.pushed)
            if result.guidelines:
                text += " " + t("team.new_guidelines", lang, label=result.guidelines)
            app.notify(shown(text), timeout=8, markup=False)
        return bool(result.briefs)
