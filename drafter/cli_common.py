"""Option types shared by the command-line modules."""

from __future__ import annotations

from enum import StrEnum


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class Lang(StrEnum):
    de = "de"
    en = "en"
