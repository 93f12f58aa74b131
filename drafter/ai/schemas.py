"""The structured answers a provider must give, one pydantic model per kind. An answer that does not
validate is an error (exit code 3), never a suggestion. Counts follow the issue (3–5 angles, up to 3
rephrasings, one core and at most two topic hashtags); lengths are bounded by the gate
(:mod:`drafter.ai.gate`), which blocks an overlong suggestion with a reason instead of failing."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

#: no single text in an answer may be longer (a guard on memory, far above every gate bound)
MAX_TEXT = 4000


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Angles(_Answer):
    """3–5 personal angles for the brief, each a question the ambassador answers from experience."""

    angles: list[str] = Field(min_length=3, max_length=5, description="questions, one per angle")


class Remark(_Answer):
    """A remark on the draft, anchored to the passage it is about."""

    quote: str = Field(max_length=MAX_TEXT, description="the exact passage of the draft the remark is about")
    start: int = Field(ge=0, description="offset of the passage in the draft (characters)")
    end: int = Field(ge=0, description="end offset of the passage")
    remark: str = Field(min_length=1, max_length=MAX_TEXT, description="the remark; not a rewrite")


class Critique(_Answer):
    """Remarks on the draft (fit to brief and goal, clarity, risks)."""

    remarks: list[Remark] = Field(min_length=1, max_length=6)


class Rephrasings(_Answer):
    """Up to three alternatives for the selected sentence, about as long as it."""

    alternatives: list[str] = Field(min_length=1, max_length=3)


class Hashtags(_Answer):
    """The core hashtag that fits the brief's goal and the draft, and at most two topic hashtags."""

    core: str = Field(min_length=1, max_length=100)
    topics: list[str] = Field(default_factory=list, max_length=2)


SCHEMAS: dict[str, type[_Answer]] = {
    "angles": Angles,
    "critique": Critique,
    "rephrase": Rephrasings,
    "hashtags": Hashtags,
}
