"""``drafter voice …`` (import, show, forget, score): the author's own voice profile.

The posts live in the local store (``DRAFTER_HOME`` moves it), never in a team store. Exit codes: 0 ok,
2 bad input (nothing imported) or no profile to score against. Texts and file names are printed through
:mod:`drafter.cli.output`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from drafter.cli.common import read_drafts, workspace
from drafter.cli.options import FormatOption, Lang, OutputFormat
from drafter.cli.output import echo_text, emit_json, fail, field

if TYPE_CHECKING:
    from drafter.voice import VoiceProfile, VoiceStore

app = typer.Typer(
    help="Your own voice: a profile from your past posts, and how much a text sounds like you.",
    no_args_is_help=True,
)

VoiceLangOption = Annotated[Lang, typer.Option("--lang", help="Language of the description and reasons.")]


def _voice_store(ctx: typer.Context) -> VoiceStore:
    from drafter.voice import VoiceStore

    return VoiceStore(workspace(ctx).store)


def _voice_profile(ctx: typer.Context) -> tuple[VoiceStore, VoiceProfile]:
    """The store and its profile, without the hashtags the rules ask for in the hashtag count."""
    from drafter.voice import VoiceStore

    ws = workspace(ctx)
    store = VoiceStore(ws.store)
    return store, store.profile(ws.voice_ignored_tags())


@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Text/Markdown files, an X archive (.zip or tweets.js), LinkedIn Shares.csv, Mastodon"
            " outbox.json, or drafter exports (.md/.json); a folder: every such file below it.",
            show_default=False,
        ),
    ],
    output: FormatOption = OutputFormat.text,
) -> None:
    """Add your past posts to your voice profile. All-or-nothing; duplicates and reposts are skipped."""
    from drafter.voice_import import VoiceImportError, read_paths

    try:
        read = read_paths(files)
    except VoiceImportError as exc:
        for problem in exc.problems:
            echo_text(f"drafter: {field(str(problem))}", err=True)
        fail(f"nothing imported ({len(exc.problems)} problem(s))")
    store = _voice_store(ctx)
    report = store.add(read.posts)
    _voice_profile(ctx)  # built and cached now, so the app and `voice score` need not wait for it later
    data = {
        "files": read.files,
        "posts_read": len(read.posts),
        "added": report.added,
        "duplicates": report.duplicates,
        "reposts_skipped": read.reposts,
        "empty_skipped": read.empty,
    }
    if output is OutputFormat.json:
        emit_json(data)
        return
    echo_text(
        f"{report.added} post(s) added, {report.duplicates} duplicate(s), {read.reposts} repost(s) skipped"
        f" ({len(read.posts)} read from {read.files} file(s))."
    )


@app.command()
def show(ctx: typer.Context, output: FormatOption = OutputFormat.text, lang: VoiceLangOption = Lang.en) -> None:
    """Your voice profile in words (no post text)."""
    from drafter.voice import describe

    store, profile = _voice_profile(ctx)
    text = describe(profile, lang.value)
    if output is OutputFormat.json:
        emit_json({"posts": store.count(), "description": text, "profile": profile.to_dict()})
        return
    echo_text(text)


@app.command()
def forget(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete your voice profile (every stored past post)."""
    if not yes and not typer.confirm("Delete your voice profile and the past posts it was built from?"):
        fail("nothing deleted", 1)
    removed = _voice_store(ctx).forget()
    echo_text(f"Voice profile deleted ({removed} post(s)).")


@app.command()
def score(
    ctx: typer.Context,
    files: Annotated[list[str], typer.Argument(help="Drafts: UTF-8 text files, or '-' for standard input.")],
    output: FormatOption = OutputFormat.text,
    lang: VoiceLangOption = Lang.en,
) -> None:
    """How much each draft sounds like you (0–100), with the main reasons for a drift."""
    from drafter.voice import MIN_POSTS, score

    drafts = read_drafts(files)
    _, profile = _voice_profile(ctx)
    if not profile.usable:
        fail(f"no voice profile yet ({profile.posts} post(s), at least {MIN_POSTS}): drafter voice import FILE...")
    results = [(label, score(profile, text, lang.value)) for label, text in drafts]
    if output is OutputFormat.json:
        emit_json([{"file": label, **result.to_dict()} for label, result in results])
        return
    for label, result in results:
        value = "too short to say" if result.score is None else f"{result.score}/100"
        echo_text(f"{field(label)}: {value}")
        for reason in result.reasons:
            echo_text(f"  - {reason.text}")
