"""The company's communication goals (each with its core hashtag), shared by guidelines and rules."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Goal(BaseModel):
    """One goal from ``guidelines.yaml``: its name, core hashtag, aliases and description per language."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: str = Field(pattern=r"^\w+$")
    hashtag: str = Field(pattern=r"^#\w+$")
    aliases: tuple[str, ...] = ()
    description: dict[str, str] = Field(default_factory=dict)
