"""Rendering the prompts in ``prompts/`` (data, like the guideline files).

Jinja2's :class:`~jinja2.sandbox.SandboxedEnvironment` with a :class:`~jinja2.FileSystemLoader` and
:class:`~jinja2.StrictUndefined` (a missing variable is an error, not an empty string). Brief, draft and
selection are *variables* of the kind's template, which becomes the user message; the ``data`` filter
writes them as JSON strings, so what they contain cannot leave its quotes or reach a template's source
or the system prompt. ``voice_profile`` is an optional description of the author's voice in words
(None until the voice feature provides one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from drafter import paths

LANGS = ("de", "en")


def prompts_dir() -> Path:
    return paths.bundled_dir("prompts")


def _data(value: Any) -> str:
    """A value as JSON (strings quoted and escaped), the only way user text enters a prompt."""
    return json.dumps(value, ensure_ascii=False)


@cache
def environment(folder: Path | None = None) -> Any:
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(folder or prompts_dir())),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["data"] = _data
    return env


@dataclass(frozen=True)
class PromptInput:
    """Everything a kind's template may use. Text fields are untrusted (already redacted)."""

    kind: str
    lang: str
    channel: str
    channel_limit: int
    goal: str
    goal_hashtag: str
    core_hashtags: tuple[str, ...]
    brief: dict[str, Any] | None
    draft: str
    selection: str
    schema: dict[str, Any]
    voice_profile: str | None = None

    def variables(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "channel": self.channel,
            "channel_limit": self.channel_limit,
            "goal": self.goal,
            "goal_hashtag": self.goal_hashtag,
            "core_hashtags": list(self.core_hashtags),
            "brief": self.brief,
            "draft": self.draft,
            "selection": self.selection,
            "schema": json.dumps(self.schema, ensure_ascii=False),
            "voice_profile": self.voice_profile,
        }


def template_lang(lang: str) -> str:
    return lang if lang in LANGS else "de"


def render(data: PromptInput, folder: Path | None = None) -> list[tuple[str, str]]:
    """``[("system", …), ("user", …)]``: the system prompt (principles, no user text) and the kind's
    template rendered with the data."""
    env = environment(folder)
    lang = template_lang(data.lang)
    system = env.get_template(f"system.{lang}.j2").render(kind=data.kind)
    user = env.get_template(f"{data.kind}.{lang}.j2").render(**data.variables())
    return [("system", system.strip()), ("user", user.strip())]


def template_names(folder: Path | None = None) -> list[str]:
    return sorted(p.name for p in (folder or prompts_dir()).glob("*.j2"))
