"""Typed messages that workers post to the app or a screen (handled with ``@on``).

Worker threads never call into the UI directly: they post one of these (``post_message`` is
thread-safe) and the handler runs on the UI thread, so every path from a background job to the screen
reads as *worker → message → handler*.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from drafter.brief_store import BriefSummary
    from drafter.drafting import CorpusAnswer, DraftCheck
    from drafter.inbox import StartReport
    from drafter.voice import VoiceProfile, VoiceScore


class CheckDone(Message):
    """A check of the editor's text at ``version`` finished (posted by the compose screen's worker)."""

    def __init__(self, version: int, check: DraftCheck) -> None:
        super().__init__()
        self.version = version
        self.check = check


class CorpusAnswered(Message):
    """The corpus part for the editor's text at ``version`` (asked after a pause in typing, in a worker)."""

    def __init__(self, version: int, answer: CorpusAnswer) -> None:
        super().__init__()
        self.version = version
        self.answer = answer


class StartupLoaded(Message):
    """Settings, guidelines and checker are loaded (after first paint); ``failed`` is a guideline error
    that makes the app unusable (a folder named on the command line that does not load)."""

    def __init__(self, import_briefs: bool, failed: str | None = None) -> None:
        super().__init__()
        self.import_briefs = import_briefs
        self.failed = failed


class ImportReported(Message):
    """The start-up import of samples and inbox files finished; ``report`` says which files failed,
    ``error`` why the import as a whole could not run (e.g. the store is locked)."""

    def __init__(self, report: StartReport | None, error: str | None = None) -> None:
        super().__init__()
        self.report = report
        self.error = error


class BindingsReady(Message):
    """Every screen module is imported: the settings' ``[keys]`` can be checked against the binding ids."""


class CorpusReady(Message):
    """The originality corpus index is built (or brought up to date)."""


class BriefsLoaded(Message):
    """The inbox's brief summaries, read in a worker; ``generation`` drops answers to older requests."""

    def __init__(self, generation: int, summaries: Sequence[BriefSummary], error: str | None = None) -> None:
        super().__init__()
        self.generation = generation
        self.summaries = summaries
        #: why the briefs could not be read (then ``summaries`` is empty), as plain text
        self.error = error


class VoiceProfileLoaded(Message):
    """The author's voice profile was built in a worker (None: no store yet); ``error`` says why it could
    not be read (then the voice panel stays hidden)."""

    def __init__(self, profile: VoiceProfile | None, error: str | None = None) -> None:
        super().__init__()
        self.profile = profile
        self.error = error


class VoiceScored(Message):
    """The editor's text at ``version`` was scored against the voice profile (in a worker)."""

    def __init__(self, version: int, result: VoiceScore) -> None:
        super().__init__()
        self.version = version
        self.result = result


class VoiceImported(Message):
    """The past posts named in onboarding were imported into the voice profile (in a worker): ``text`` is
    the notification (counts, or the problems with file and line), ``failed`` whether it failed."""

    def __init__(self, text: str, failed: bool = False) -> None:
        super().__init__()
        self.text = text
        self.failed = failed


class AiProgress(Message):
    """Part of a streamed AI answer arrived (posted at most every few dozen ms by the panel's worker)."""

    def __init__(self, generation: int, received: int) -> None:
        super().__init__()
        self.generation = generation
        self.received = received


class AiSending(Message):
    """An AI request is prepared (``prepared``: a :class:`drafter.ai.pipeline.Prepared`) and being sent."""

    def __init__(self, generation: int, prepared: Any) -> None:
        super().__init__()
        self.generation = generation
        self.prepared = prepared


class AiDone(Message):
    """An AI request finished: ``result`` (a :class:`drafter.ai.pipeline.Result`) or ``error`` (plain
    text) with its ``failure`` kind; ``cancelled`` when the author pressed Escape."""

    def __init__(
        self,
        generation: int,
        result: Any = None,
        error: str | None = None,
        failure: str | None = None,
        cancelled: bool = False,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.result = result
        self.error = error
        self.failure = failure
        self.cancelled = cancelled
