"""``drafter export``: the workspace's export (F8) from the command line.

The same operation as in the app: :meth:`Workspace.check_draft` and :meth:`Workspace.export_draft` — the
same gate (errors refuse; warnings refuse unless ``--accept-warnings``; a rule that could not run
refuses), the same Markdown + JSON files, the post added to the local corpus. A file's text counts as
the author's own (``typed``) unless ``--origin`` says otherwise; the guidelines' authorship policy then
applies to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from drafter.cli.common import command_channels, guideline_set, read_drafts, workspace
from drafter.cli.lint import finding_lines, local_corpus
from drafter.cli.options import (
    AcceptWarningsOption,
    BriefIdOption,
    ChannelsOption,
    DraftFileArgument,
    FormatOption,
    GuidelinesOption,
    OriginChoice,
    OriginOption,
    OutDirOption,
    OutputFormat,
    ProfileLangOption,
)
from drafter.cli.output import echo_text, emit_json, fail, field, warn

if TYPE_CHECKING:
    from drafter.authorship import AuthorshipRecord
    from drafter.briefs import Brief
    from drafter.originality import PostIndex

DismissOption = Annotated[
    list[str] | None,
    typer.Option(
        "--dismiss",
        metavar="RULE=REASON",
        help="Dismiss the warnings of RULE with REASON, as in the app (repeatable; errors cannot be dismissed).",
    ),
]


def export(
    ctx: typer.Context,
    file: DraftFileArgument,
    channel: ChannelsOption = None,
    brief: BriefIdOption = None,
    output: FormatOption = OutputFormat.text,
    accept_warnings: AcceptWarningsOption = False,
    dismiss: DismissOption = None,
    origin: OriginOption = OriginChoice.typed,
    out: OutDirOption = None,
    guidelines: GuidelinesOption = None,
    lang: ProfileLangOption = None,
) -> None:
    """Check a draft and export it as Markdown + JSON (and add it to the local corpus).
    Exit 0: exported; 1: refused (findings printed) or no such brief; 2: bad input.
    The CLI speaks English; --lang chooses the language of the guideline messages only."""
    from drafter.authorship import AuthorshipRecord, Origin
    from drafter.drafting import ExportRefused, export_refusal

    ws = workspace(ctx, guidelines, lang=lang.value if lang is not None else None)
    gs = guideline_set(ws)
    ws.checker.problem_lang = "en"  # the tool's own problems in English, as in lint
    # as lint: the guideline set's default channel when neither --channel nor the profile names one, said
    channels = command_channels(ws, gs, channel, announce=output is OutputFormat.text)
    the_brief = None
    if brief:
        the_brief = ws.brief_store().get(brief)  # the bundled samples count, as in the app
        if the_brief is None:
            fail(f"no such brief: {brief!r} (see: drafter briefs list)", code=1)
    ((name, text),) = read_drafts([file])
    # a file is a draft: exporting it again (another channel, after a fix) is not compared with its own
    # earlier exports, as in the app; standard input has no identity
    draft_id = _file_draft_id(file)
    # a corpus that cannot be read makes the check incomplete, and an incomplete check is not exported
    corpus = ws.corpus_for(draft_id, local_corpus(ws))
    if origin is OriginChoice.attested:
        record = _attested(name, text, the_brief, corpus)
    else:
        record = AuthorshipRecord.uniform(len(text), Origin(origin.value))
    check = ws.check_draft(text, channels=channels, record=record, brief=the_brief, corpus=corpus)
    if dismiss:
        check = _dismissed(ws, name, check, _reasons(dismiss), record=record, brief=the_brief, corpus=corpus)
    try:
        outcome = ws.export_draft(
            check,
            draft_id=draft_id,
            brief_id=the_brief.id if the_brief else None,
            accept_warnings=accept_warnings,
            out_dir=out,
        )
    except ExportRefused as refused:
        # the CLI speaks English; the findings' messages follow --lang
        reason = export_refusal(check, accept_warnings=accept_warnings, lang="en") or refused.reason
        if output is OutputFormat.json:
            emit_json({"exported": False, "reason": reason, "findings": _findings(check)})
        else:
            for line in finding_lines(name, check):
                echo_text(line)
            if check.skipped:  # a pattern hit its time limit on this text: the check is incomplete
                echo_text(f"drafter: {name}: check incomplete, rule(s) skipped: {', '.join(check.skipped)}", err=True)
        fail(f"not exported: {reason}", code=refused.exit_code)
    except OSError as exc:
        fail(f"cannot write the export: {exc}")
    if outcome.corpus_error:
        warn(f"exported, but not added to the corpus ({outcome.corpus_error})")
    if ws.team_lookup_error():
        warn(f"colleagues' posts not checked: {ws.team_lookup_error()}")
    if outcome.outbox_error:
        warn(f"exported, but not queued for the team store ({outcome.outbox_error})")
    else:
        from drafter.cli.team import share_export

        waiting = share_export(ws)
        if waiting:
            warn(waiting)
    files = {"markdown": str(outcome.files.markdown), "json": str(outcome.files.json)}
    scheduled = outcome.document.get("scheduled_for")
    if output is OutputFormat.json:
        emit_json({"exported": True, "scheduled_for": scheduled, "files": files, "document": outcome.document})
        return
    for line in finding_lines(name, check):  # what was accepted stays visible
        echo_text(line)
    echo_text(f"exported {field(name)} for {', '.join(channels)}:")
    echo_text(f"  {field(files['markdown'])}")
    echo_text(f"  {field(files['json'])}")
    if scheduled and the_brief is not None:  # a brief's embargo: prepared now, posted later
        echo_text(f"scheduled: may be posted from {scheduled} (embargo of brief {field(the_brief.id)})")


def _reasons(values: list[str]) -> dict[str, str]:
    """``--dismiss RULE=REASON`` values as rule id → reason (a rule given twice: the last reason)."""
    reasons: dict[str, str] = {}
    for value in values:
        rule, sep, reason = value.partition("=")
        if not sep or not rule.strip():
            fail(f"--dismiss {field(value)}: expected RULE=REASON, e.g. --dismiss term.competitor='a quote'")
        reasons[rule.strip()] = reason
    return reasons


def _dismissed(ws: Any, name: str, check: Any, reasons: dict[str, str], **context: Any) -> Any:
    """The check again, with the warnings of the named rules dismissed (the app's operation)."""
    from drafter.dismissals import DismissalRefused, dismiss_rules

    try:
        dismissals, unused = dismiss_rules(check.findings, reasons, at=ws.clock(), lang="en")
    except DismissalRefused as refused:
        fail(f"{field(name)}: {refused.reason}", code=1)
    for rule in unused:
        warn(f"--dismiss {field(rule)}: no finding of this rule in {field(name)}")
    if not dismissals:
        return check
    return ws.check_draft(check.text, channels=check.channels, dismissals=dismissals, **context)


def _findings(check: Any) -> list[dict[str, Any]]:
    from drafter.findings import LineIndex

    index = LineIndex(check.text)
    return [f.to_dict(check.text, index) for f in check.findings]


_NOT_ATTESTABLE = {
    "brief": "the brief's text",
    "ai": "an AI suggestion",
    "corpus": "a post in the corpus",
}


def _attested(name: str, text: str, brief: Brief | None, corpus: PostIndex | None) -> AuthorshipRecord:
    """The record of a file the author wrote elsewhere: ``attested``, unless the text copies the brief or
    resembles a corpus post (then it is refused: attesting is for unknown pastes only)."""
    from drafter.authorship import AuthorshipRecord, Origin, paste_spans

    record = AuthorshipRecord.uniform(len(text), Origin.PASTED)
    brief_texts = brief.source_texts() if brief is not None else []
    for span in paste_spans(text, record, brief_texts=brief_texts, corpus=corpus):
        if span.refusal is not None:
            fail(
                f"{field(name)}: cannot be attested as your own words: it matches {_NOT_ATTESTABLE[span.refusal]}",
                code=1,
            )
    record.attest(0, len(text))
    return record


def _file_draft_id(file: str) -> str | None:
    """A stable draft id for a file (from its resolved path), so its exports are recognised as its own."""
    if file == "-":
        return None
    import hashlib
    from pathlib import Path

    return "file-" + hashlib.sha256(str(Path(file).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]
