"""Options shared by the commands, declared once as ``Annotated`` types.

A command states the option with its type (``guidelines: GuidelinesOption = None``); name, short flag
and help text live here only, so ``--guidelines`` or ``--format`` mean the same thing everywhere.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class Lang(StrEnum):
    de = "de"
    en = "en"


class OriginChoice(StrEnum):
    typed = "typed"
    pasted = "pasted"
    ai = "ai"
    brief = "brief"
    attested = "attested"


GuidelinesOption = Annotated[
    Path | None,
    typer.Option(
        "--guidelines",
        help="Guidelines folder (default: the one in your settings, else the bundled default set).",
        file_okay=False,
    ),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="text or json.")]
LangOption = Annotated[
    Lang,
    typer.Option(
        "--lang",
        help="Language of the guideline messages only (the rules' own texts). Everything else the CLI says"
        " (severity, length line, export verdict, problems) is English by design.",
    ),
]
#: ``--lang`` of the commands an ambassador runs (lint, export): default the profile's language (settings.toml
#: ``language``, else the locale's), as in the app — an English profile got German messages (a new-user probe)
ProfileLangOption = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        help="Language of the guideline messages only (the rules' own texts); default: your profile's language."
        " Everything else the CLI says (severity, length line, export verdict, problems) is English by design.",
        show_default=False,
    ),
]
ChannelOption = Annotated[
    str | None,
    typer.Option(
        "--channel",
        "-c",
        help="Channel id, e.g. x, linkedin, instagram. Default: the guideline set's default_channel.",
        show_default=False,
        metavar="CHANNEL",
    ),
]
ChannelsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--channel",
        "-c",
        help="Channel id; repeat for several (the first is the primary one). Default: your preferred channels.",
        show_default=False,
        metavar="CHANNEL",
    ),
]
DateOption = Annotated[str | None, typer.Option("--date", help="Check date (default: today).", metavar="YYYY-MM-DD")]
BriefFileOption = Annotated[
    Path | None, typer.Option("--brief", help="The brief the draft answers (a Markdown brief file).")
]
BriefIdOption = Annotated[
    str | None, typer.Option("--brief", help="The id of the stored brief the draft answers (drafter briefs list).")
]
AcceptWarningsOption = Annotated[
    bool, typer.Option("--accept-warnings", help="Export although warnings are left (you read them).")
]
OriginOption = Annotated[
    OriginChoice,
    typer.Option(
        "--origin",
        help=(
            "Where the text came from: typed (your own), pasted, ai, brief, or attested (your own words"
            " written elsewhere; refused when it matches the brief or a corpus post)."
        ),
    ),
]
OutDirOption = Annotated[
    Path | None,
    typer.Option("--out", help="Write the export files here (default: exports/ in the data folder).", file_okay=False),
]
DraftFileArgument = Annotated[str, typer.Argument(help="The draft: a UTF-8 text file, or '-' for standard input.")]
