"""``drafter lint``: check drafts against the guidelines, through the workspace's ``check_draft``.

The command's options are declared in :mod:`drafter.cli.commands`; what it does is :func:`run`, which
needs no typer, so :mod:`drafter.cli.fast` can run it without building the whole command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drafter.cli.common import guideline_set, parse_iso_day, read_drafts, require_channels
from drafter.cli.output import echo_text, emit_json, fail, field, warn

if TYPE_CHECKING:
    from pathlib import Path

    from drafter.drafting import DraftCheck
    from drafter.originality import PostIndex
    from drafter.workspace import Workspace


def local_corpus(ws: Workspace) -> PostIndex | None:
    """The store's corpus of posts (None: no store, or no posts). A store that cannot be read gives a corpus
    that says so (:class:`~drafter.originality.UnreadableCorpus`): the near-copy rules are then skipped and
    the check is incomplete (``lint`` exits 2, ``export`` refuses), as when a pattern runs too long."""
    try:
        return ws.corpus()
    except Exception as exc:
        import sqlite3  # only here: without a store, a lint never loads sqlite3

        if not isinstance(exc, sqlite3.Error | OSError):  # OSError: a data folder that cannot be entered
            raise
        from drafter.errors import unreadable_store
        from drafter.originality import UnreadableCorpus

        warn(f"corpus not available ({exc})")
        return UnreadableCorpus(unreadable_store(ws.resolved_store_path, exc))


def check_dict(name: str, check: DraftCheck) -> dict[str, Any]:
    """The JSON object of one checked input (the shape ``drafter lint --format json`` documents)."""
    from drafter.findings import LineIndex
    from drafter.twittertext import extract_hashtags_with_indices

    text = check.text
    index = LineIndex(text)
    tags = extract_hashtags_with_indices(text) if "#" in text or "＃" in text else []
    return {
        "input": name,
        "channel": check.primary,
        "length": check.lengths[check.primary].to_dict(),
        "hashtags": [text[h.start : h.end] for h in tags],
        "findings": [f.to_dict(text, index) for f in check.findings],
    }


def finding_lines(name: str, check: DraftCheck) -> list[str]:
    """``FILE:LINE:COL: severity category rule: message`` per finding (values shown on one line)."""
    from drafter.findings import LineIndex

    index = LineIndex(check.text)
    lines = []
    for f in check.findings:
        line, col = index.position(f.start)
        shown = f"{field(name)}:{line}:{col}: {f.severity.value} {f.category} {field(f.rule)}: {field(f.message)}"
        lines.append(shown if f.dismissed is None else f"{shown} (dismissed: {field(f.dismissed)})")
    return lines


def length_line(name: str, check: DraftCheck) -> str:
    length = check.lengths[check.primary]
    status = "over the limit" if length.over else "ok"
    extra = f", {length.bytes}/{length.byte_limit} bytes" if length.byte_limit is not None else ""
    return f"{field(name)}: length {length.count}/{length.limit} {length.unit} on {check.primary}{extra} ({status})"


def load_brief_file(ws: Workspace, path: Any) -> Any:
    from drafter.brief_import import BriefImportError, load_brief

    try:
        return load_brief(path, ws.brief_context())
    except BriefImportError as exc:
        fail(f"brief: {exc}")


def run(
    ws: Workspace,
    files: list[str] | None,
    *,
    channel: str | None = None,
    brief: Path | None = None,
    date: str | None = None,
    output: str = "text",
) -> int:
    """``drafter lint`` in ``ws`` (made with the command's ``--guidelines`` and ``--lang``): the findings
    printed as text or JSON (``output``); the exit code (0: no error-level finding; 1: errors; 2: a rule
    was skipped). Bad input ends the command through :func:`~drafter.cli.output.fail`."""
    gs = guideline_set(ws)
    # the guideline set's messages follow --lang; the checker's own problems (a pattern that ran too long)
    # are the tool speaking, and the CLI speaks English
    ws.checker.problem_lang = "en"
    if not channel:
        channel = gs.default_channel
        if output == "text":
            echo_text(f"drafter: channel {channel} (the guidelines' default; --channel chooses another)", err=True)
    require_channels(gs, [channel])
    day = parse_iso_day(date) or ws.today()
    the_brief = load_brief_file(ws, brief) if brief is not None else None
    inputs = read_drafts(files or [])
    # a set without near-copy rules does not read the corpus
    corpus = local_corpus(ws) if ws.checker.corpus_rule_ids([channel]) else None
    # a file's text is the author's own: no authorship record, so no authorship policy
    checks = [
        (name, ws.check_draft(text, channels=[channel], brief=the_brief, corpus=corpus, date=day))
        for name, text in inputs
    ]
    if ws.team_lookup_error():  # said, not fatal: the check ran against the local posts
        warn(f"colleagues' posts not checked: {ws.team_lookup_error()}")
    if output == "json":
        emit_json([check_dict(name, check) for name, check in checks])
    else:
        for name, check in checks:
            for line in finding_lines(name, check):
                echo_text(line)
            echo_text(length_line(name, check))
    # a runaway pattern, or the near-copy rules without a readable corpus
    incomplete = [(name, check.skipped) for name, check in checks if check.skipped]
    for name, skipped in incomplete:
        echo_text(f"drafter: {field(name)}: check incomplete, rule(s) skipped: {', '.join(skipped)}", err=True)
    if incomplete:
        return 2
    return 1 if any(check.errors for _, check in checks) else 0
