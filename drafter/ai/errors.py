"""What can go wrong with a suggestion, as :class:`~drafter.errors.UserError` subclasses.

Configuration and data-policy problems exit with 2 (the user can fix them); a provider that fails or
answers something unreadable exits with 3. Messages never contain the API key.
"""

from __future__ import annotations

from typing import Any, Literal

from drafter.errors import Problem, Said, UserError

ProviderFailure = Literal["auth", "rate_limit", "server", "timeout", "connection", "malformed", "stopped", "refused"]


class AiError(UserError):
    """Base class; ``exit_code`` 2."""

    def __init__(self, message: str, *, where: str = "", said: Said | None = None) -> None:
        super().__init__(Problem(where, message))
        self.message = message
        #: the message as catalogue key and values, for the app's language (``message`` is its English,
        #: which the CLI prints); None where only the CLI can meet the error
        self.said = said

    def text(self, lang: str) -> str:
        """The message in ``lang`` where the catalogue has it, else the English."""
        return self.said.text(lang) if self.said is not None else self.message


class AiConfigError(AiError):
    """AI is off, or ``[ai]`` / the command's options do not make a usable configuration."""


class AiPolicyError(AiError):
    """The guidelines' ``policies.ai`` refuse to send this text to this host (the message names the rule),
    or the text could not be redacted safely."""


class AiProviderError(AiError):
    """The provider failed or its answer could not be read; ``failure`` says how. Exit code 3."""

    exit_code = 3

    def __init__(self, failure: ProviderFailure, message: str, said: Said | None = None) -> None:
        super().__init__(message, said=said)
        self.failure = failure


def ai_said(key: str, **values: Any) -> Said:
    """A message of :class:`AiError` in the catalogue's ``[fix_ui.ai]`` table; values are plain
    text (a host, a field name), formatted into the template, never parsed."""
    return Said(key, tuple(values.items()), table="fix_ui.ai")
