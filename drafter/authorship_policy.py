"""The authorship policy of a guideline set (``policies: {authorship: …}``), apart from the authorship
record in :mod:`drafter.authorship`: loading guidelines needs the policy's fields, not the record's
machinery, so ``drafter lint`` of a file (which has no record) does not import that module."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class AuthorshipPolicy(BaseModel):
    """Guideline data: ``policies: {authorship: {min_own_share: 0.7, …}}``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    min_own_share: float = Field(default=0.7, ge=0, le=1, description="least share the ambassador wrote")
    max_ai_share: float = Field(default=0.3, ge=0, le=1, description="largest share accepted from AI")
    paste_counts_as_own: bool = Field(default=False, description="count pasted text as the ambassador's own")
    attested_counts_as_own: bool = Field(
        default=True, description="count pasted text the author attested as written elsewhere as their own"
    )
