"""``drafter corpus …`` (import, list, stats, remove) and ``drafter originality check``.

The corpus lives in the workspace's store (``DRAFTER_HOME`` moves it). Exit codes: 0 ok, 1 no such
post, 2 bad input (nothing imported). Post texts and file names are shown through
:mod:`drafter.cli.output` (no raw control or bidi characters).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from drafter.cli.common import workspace
from drafter.cli.options import FormatOption, OutputFormat
from drafter.cli.output import echo_text, emit_json, fail, field

if TYPE_CHECKING:
    from drafter.originality import CorpusPost, PassageMatch, PostIndex, StoredPostIndex

app = typer.Typer(
    help="The local corpus of posts that drafts are compared with: import, list, stats, remove.",
    no_args_is_help=True,
)
originality_app = typer.Typer(
    help="Compare a draft with the corpus of posts (near-duplicates).",
    no_args_is_help=True,
)


@originality_app.callback()
def _originality() -> None:
    """Compare a draft with the corpus of posts (near-duplicates)."""


def _stored_index(ctx: typer.Context) -> StoredPostIndex:
    return workspace(ctx).stored_corpus()


def _problems(problems: Sequence[object]) -> None:
    for problem in problems:
        echo_text(f"drafter: {field(str(problem))}", err=True)


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders (.txt, .md, .json exports, .jsonl).", show_default=False)
    ],
    own: Annotated[
        bool,
        typer.Option(
            "--own",
            help="The posts are your own (your exports from another computer, say): a paragraph of them"
            " is not reported as a copy, as for the posts you export here.",
        ),
    ] = False,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Import posts into the corpus. All-or-nothing; posts already there are skipped (by content)."""
    from drafter.corpus import CorpusImportError, import_paths

    try:
        report = import_paths(paths, _stored_index(ctx), own=own)
    except CorpusImportError as exc:
        _problems(exc.problems)
        fail(f"nothing imported ({len(exc.problems)} problem(s))")
    for note in report.skipped:
        echo_text(f"drafter: skipped {field(note)}", err=True)
    if output is OutputFormat.json:
        emit_json(report.to_dict())
        return
    mine = f", {report.marked_own} of them now marked as yours" if report.marked_own else ""
    echo_text(
        f"{report.added} post(s) added, {report.duplicates} already in the corpus{mine} "
        f"({report.read} read from {report.files} file(s))."
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most this many posts.")] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many posts.")] = 0,
    output: FormatOption = OutputFormat.text,
) -> None:
    """List the posts in the corpus (oldest first)."""
    index = _stored_index(ctx)
    posts = index.posts(limit=limit, offset=offset)
    total = len(index)
    if output is OutputFormat.json:
        emit_json([_post_dict(p) for p in posts])
        return
    if not posts:
        echo_text("The corpus is empty. Add posts with: drafter corpus import FILE|DIR")
        return
    for post in posts:
        channel = f" [{field(post.channel)}]" if post.channel else ""
        echo_text(f"{post.post_id}  {field(_shown_source(post.source))}{channel}  {field(post.opening_words)}")
    if offset + len(posts) < total:
        echo_text(f"… {total - offset - len(posts)} more (use --offset / --limit)")


def _shown_source(source: str) -> str:
    """Where a post came from, in words: the store's ``export:import:FILE`` (a post imported with ``--own``)
    and ``export:DRAFT`` (one exported here) read as internal names (a new-user probe). The JSON keeps them."""
    if source.startswith("export:import:"):
        return f"yours, from {source.removeprefix('export:import:')}"
    if source.startswith("export:"):
        return f"your export of draft {source.removeprefix('export:')}"
    return source


def _post_dict(post: CorpusPost) -> dict[str, object]:
    return {
        "id": post.post_id,
        "source": post.source,
        "channel": post.channel,
        "brief_id": post.brief_id,
        "opening_words": post.opening_words,
        "text": post.text,
    }


@app.command()
def stats(ctx: typer.Context, output: FormatOption = OutputFormat.text) -> None:
    """How many posts the corpus holds, from how many sources and channels."""
    index = _stored_index(ctx)
    data = index.stats()
    data["store"] = str(index.store.path)
    if output is OutputFormat.json:
        emit_json(data)
        return
    echo_text(f"Posts:      {data['posts']}")
    echo_text(f"Sources:    {data['sources']}")
    echo_text(f"Characters: {data['characters']}")
    channels = data["channels"]
    if channels:
        named = (f"{field(name) if name else 'no channel'} {count}" for name, count in channels.items())
        echo_text("Channels:   " + ", ".join(named))
    if data["first_added"]:
        echo_text(f"Added:      {data['first_added']} … {data['last_added']}")
    echo_text(f"Store:      {field(data['store'])}")


@app.command()
def remove(
    ctx: typer.Context, post_id: Annotated[str, typer.Argument(help="The post id shown by 'drafter corpus list'.")]
) -> None:
    """Remove one post from the corpus."""
    if not _stored_index(ctx).remove(post_id):
        fail(f"no post with id {post_id!r} in the corpus", code=1)
    echo_text(f"Removed {field(post_id)}.")


def _read_draft(file: str) -> list[tuple[str, str]]:
    """``(label, text)`` of the draft(s) in FILE ('-' = stdin); exports and Markdown are unpacked."""
    from drafter.corpus import CorpusImportError, read_draft

    try:
        return read_draft(file, sys.stdin.buffer)
    except CorpusImportError as exc:
        fail(str(exc))


@originality_app.command("check")
def originality_check(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="The draft: a text, Markdown or JSON export file, or '-' for stdin.")],
    corpus: Annotated[
        Path | None,
        typer.Option("--corpus", help="Compare with the posts in this folder instead of the stored corpus."),
    ] = None,
    k: Annotated[int, typer.Option("-k", min=1, help="Show this many of the closest posts.")] = 5,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Print the corpus posts closest to a draft, with their similarity (0–1)."""
    from drafter.originality import InMemoryPostIndex

    drafts = _read_draft(file)
    index: PostIndex
    if corpus is not None:
        from drafter.corpus import CorpusImportError, read_paths

        try:
            read = read_paths([corpus])
        except CorpusImportError as exc:
            _problems(exc.problems)
            fail(f"cannot read the corpus {corpus}")
        index = InMemoryPostIndex(read.posts)
        size = len(index)
        label = str(corpus)
    else:
        stored = _stored_index(ctx)
        stored.build()
        index = stored
        size = len(stored)
        label = str(stored.store.path)
    from drafter.originality import query_passages

    results = [
        (name, text, index.query(text, k=k), _best_per_paragraph(query_passages(index, text))) for name, text in drafts
    ]
    if output is OutputFormat.json:
        payload = [
            {
                "input": name,
                "corpus": label,
                "corpus_posts": size,
                "similar": [m.to_dict() for m in matches],
                "paragraphs": [
                    {"start": p.start, "end": p.end, "line": text.count("\n", 0, p.start) + 1, **p.post.to_dict()}
                    for p in paragraphs
                ],
            }
            for name, text, matches, paragraphs in results
        ]
        emit_json(payload[0] if len(payload) == 1 else payload)
        return
    for name, text, matches, paragraphs in results:
        also = f", {len(paragraphs)} paragraph(s) resembling one" if paragraphs else ""
        echo_text(f"{field(name)}: {len(matches)} similar post(s){also} among {size} in {field(label)}")
        for m in matches:
            echo_text(f"  {m.similarity:.2f}  {field(_shown_source(m.source) or m.post_id)}  {field(m.opening_words)}")
        for p in paragraphs:
            line = text.count("\n", 0, p.start) + 1
            post = p.post
            echo_text(
                f"  paragraph at line {line}: {post.similarity:.2f} similar to"
                f" {field(_shown_source(post.source) or post.post_id)}  {field(post.opening_words)}"
            )


def _best_per_paragraph(found: list[PassageMatch]) -> list[PassageMatch]:
    """The best post for each paragraph (the index lists them best first, paragraph by paragraph)."""
    best: dict[tuple[int, int], PassageMatch] = {}
    for m in found:
        best.setdefault((m.start, m.end), m)
    return list(best.values())
