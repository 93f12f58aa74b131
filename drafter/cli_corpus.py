"""``drafter corpus …`` (import, list, stats, remove) and ``drafter originality check``.

The corpus lives in the local store (``DRAFTER_HOME`` moves it). Exit codes: 0 ok, 1 no such post,
2 bad input (nothing imported).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from drafter.cli_common import OutputFormat

if TYPE_CHECKING:
    from drafter.originality import CorpusPost, PostIndex, SimilarPost, StoredPostIndex

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


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"drafter: {message}", err=True)
    raise typer.Exit(code)


def _stored_index() -> StoredPostIndex:
    from drafter.originality import StoredPostIndex
    from drafter.store import Store

    return StoredPostIndex(Store())


@app.command("import")
def import_(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders (.txt, .md, .json exports, .jsonl).", show_default=False)
    ],
    output: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.text,
) -> None:
    """Import posts into the corpus. All-or-nothing; posts already there are skipped (by content)."""
    from drafter.corpus import CorpusImportError, import_paths

    index = _stored_index()
    try:
        report = import_paths(paths, index)
    except CorpusImportError as exc:
        for problem in exc.problems:
            typer.echo(f"drafter: {problem}", err=True)
        _fail(f"nothing imported ({len(exc.problems)} problem(s))")
    finally:
        index.store.close()
    for note in report.skipped:
        typer.echo(f"drafter: skipped {note}", err=True)
    if output is OutputFormat.json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{report.added} post(s) added, {report.duplicates} already in the corpus "
        f"({report.read} read from {report.files} file(s))."
    )


@app.command("list")
def list_(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most this many posts.")] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many posts.")] = 0,
    output: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.text,
) -> None:
    """List the posts in the corpus (oldest first)."""
    index = _stored_index()
    try:
        posts = index.posts(limit=limit, offset=offset)
        total = len(index)
    finally:
        index.store.close()
    if output is OutputFormat.json:
        typer.echo(json.dumps([_post_dict(p) for p in posts], ensure_ascii=False, indent=2))
        return
    if not posts:
        typer.echo("The corpus is empty. Add posts with: drafter corpus import FILE|DIR")
        return
    for post in posts:
        channel = f" [{post.channel}]" if post.channel else ""
        typer.echo(f"{post.post_id}  {post.source}{channel}  {post.opening_words}")
    if offset + len(posts) < total:
        typer.echo(f"… {total - offset - len(posts)} more (use --offset / --limit)")


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
def stats(
    output: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.text,
) -> None:
    """How many posts the corpus holds, from how many sources and channels."""
    index = _stored_index()
    try:
        data = index.stats()
        data["store"] = str(index.store.path)
    finally:
        index.store.close()
    if output is OutputFormat.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(f"Posts:      {data['posts']}")
    typer.echo(f"Sources:    {data['sources']}")
    typer.echo(f"Characters: {data['characters']}")
    channels = data["channels"]
    if channels:
        typer.echo("Channels:   " + ", ".join(f"{name or '-'} {count}" for name, count in channels.items()))
    if data["first_added"]:
        typer.echo(f"Added:      {data['first_added']} … {data['last_added']}")
    typer.echo(f"Store:      {data['store']}")


@app.command()
def remove(post_id: Annotated[str, typer.Argument(help="The post id shown by 'drafter corpus list'.")]) -> None:
    """Remove one post from the corpus."""
    index = _stored_index()
    try:
        removed = index.remove(post_id)
    finally:
        index.store.close()
    if not removed:
        _fail(f"no post with id {post_id!r} in the corpus", code=1)
    typer.echo(f"Removed {post_id}.")


def _read_draft(file: str) -> list[tuple[str, str]]:
    """``(label, text)`` of the draft(s) in FILE ('-' = stdin); exports and Markdown are unpacked."""
    from drafter.corpus import CorpusImportError, read_draft

    try:
        return read_draft(file, sys.stdin.buffer)
    except CorpusImportError as exc:
        _fail(str(exc))


@originality_app.command()
def check(
    file: Annotated[str, typer.Argument(help="The draft: a text, Markdown or JSON export file, or '-' for stdin.")],
    corpus: Annotated[
        Path | None,
        typer.Option("--corpus", help="Compare with the posts in this folder instead of the stored corpus."),
    ] = None,
    k: Annotated[int, typer.Option("-k", min=1, help="Show this many of the closest posts.")] = 5,
    output: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.text,
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
            for problem in exc.problems:
                typer.echo(f"drafter: {problem}", err=True)
            _fail(f"cannot read the corpus {corpus}")
        index = InMemoryPostIndex(read.posts)
        size = len(index)
        label = str(corpus)
    else:
        stored = _stored_index()
        index = stored
        size = len(stored)
        label = str(stored.store.path)
    results: list[tuple[str, list[SimilarPost]]] = [(name, index.query(text, k=k)) for name, text in drafts]
    if output is OutputFormat.json:
        payload = [
            {"input": name, "corpus": label, "corpus_posts": size, "similar": [m.to_dict() for m in matches]}
            for name, matches in results
        ]
        typer.echo(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2))
        return
    for name, matches in results:
        typer.echo(f"{name}: {len(matches)} similar post(s) among {size} in {label}")
        for m in matches:
            typer.echo(f"  {m.similarity:.2f}  {m.source or m.post_id}  {m.opening_words}")
