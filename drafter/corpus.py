"""Reading posts into the corpus: plain text, Markdown and this app's JSON exports.

Formats (by file suffix):

* ``.txt`` — one post per file. Several posts may share a file when separated by a line that holds
  only ``---``. (Blank lines do not separate posts: posts have paragraphs.)
* ``.md`` / ``.markdown`` — one post per file; optional YAML front matter may set ``channel``,
  ``brief_id`` and ``id``. The footer of this app's Markdown export (after a ``---`` line, starting
  with ``- Channel: …``) is not part of the post.
* ``.json`` — an exported post (an object with at least ``text``) or a list of them; optional
  ``channel`` (or ``channels``), ``brief_id``, ``id`` (or ``draft_id``, shown in the source).
  ``.jsonl`` — one such object per line.

A directory is read recursively (hidden files and folders and other suffixes are skipped). Reading
is all-or-nothing: any problem (naming file, line and field) aborts the import before anything is
stored. Posts are identified by a hash of their content, so importing the same posts twice adds
nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from drafter import text_input
from drafter.errors import Problem, UserError
from drafter.originality import CorpusPost, StoredPostIndex, export_source, foreign_source
from drafter.text_input import LineIndex

SUFFIXES = (".txt", ".md", ".markdown", ".json", ".jsonl")
_SEPARATOR = re.compile(r"^[ \t]*---[ \t]*$", re.MULTILINE)

MAX_FILE_BYTES = text_input.MAX_FILE_BYTES
"""A corpus file (or standard input) larger than this (10 MiB) is refused unread."""

MAX_POST_CHARS = 20_000
"""A post longer than this is refused: the longest channel (LinkedIn) allows 3,000 characters, so
20,000 leaves room for long-form posts while keeping every later check fast."""

#: Windows-1252 is accepted where old editors write it (plain text and Markdown); JSON is UTF-8 by spec
_LEGACY_ENCODING = {".txt": True, ".md": True, ".markdown": True, ".json": False, ".jsonl": False}


class CorpusImportError(UserError):
    """One or more files could not be read; ``problems`` name file, line and field of each."""


@dataclass
class ReadResult:
    posts: list[CorpusPost] = field(default_factory=list)
    files: int = 0
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportReport:
    files: int
    read: int
    added: int
    duplicates: int
    skipped: tuple[str, ...]
    #: posts already stored as a colleague's that ``--own`` marked as the user's
    marked_own: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "posts_read": self.read,
            "added": self.added,
            "duplicates": self.duplicates,
            "marked_own": self.marked_own,
            "skipped": list(self.skipped),
        }


def _error(file: str, message: str, line: int | None = None, field: str | None = None) -> CorpusImportError:
    return CorpusImportError(Problem(file, message, line=line, field=field))


def decode(data: bytes, label: str = "-", *, legacy: bool = True) -> str:
    """Bytes -> text by drafter's one decoding policy (:mod:`drafter.text_input`)."""
    try:
        return text_input.decode(data, label, legacy=legacy)
    except text_input.TextInputError as exc:
        raise CorpusImportError(exc.problems) from None


def _post(text: str, source: str, file: str, line: int | None, field: str | None = None, **meta: Any) -> CorpusPost:
    """A post, or an error when it is longer than :data:`MAX_POST_CHARS`."""
    if len(text) > MAX_POST_CHARS:
        message = f"the post has {len(text):,} characters; the limit is {MAX_POST_CHARS:,}"
        raise _error(file, message, line, field)
    # a JSON escape can make half a surrogate pair, which no file and no database can hold (a hostile probe:
    # the store refused it with a traceback)
    for name, value in (("text", text), ("id", source), *meta.items()):
        bad = _SURROGATE.search(value) if isinstance(value, str) else None
        if bad is not None:
            where = field if name == "text" else name
            raise _error(file, f"holds half a surrogate pair (U+{ord(bad.group()):04X}), not a character", line, where)
    return CorpusPost(text=text, source=foreign_source(source), **meta)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _read_txt(text: str, file: str) -> list[CorpusPost]:
    lines = LineIndex(text)
    bodies: list[tuple[str, int]] = []
    start = 0
    for match in [*_SEPARATOR.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[start:end]
        body = chunk.strip()
        if body:
            bodies.append((body, lines.line(start + len(chunk) - len(chunk.lstrip()))))
        if match:
            start = match.end()
    numbered = len(bodies) > 1
    return [_post(body, f"{file}#{i + 1}" if numbered else file, file, line) for i, (body, line) in enumerate(bodies)]


def _yaml_front_matter(front: str, file: str, offset: int) -> dict[str, Any]:
    """The front matter's fields. Values are built one by one, so a value YAML cannot build (the date
    2026-02-31, a 5,000-digit number) names its line and field; anchors and aliases are refused."""
    import yaml

    loader_cls: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(front, Loader=loader_cls)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + offset if mark is not None else None
        raise _error(file, f"the front matter is not valid YAML ({getattr(exc, 'problem', exc)})", line) from None
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise _error(file, "the front matter must be 'key: value' lines", offset + 1)
    seen: set[int] = set()
    stack: list[yaml.Node] = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            line = current.start_mark.line + 1 + offset
            raise _error(file, "YAML anchors and aliases are not supported in front matter", line)
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            stack.extend(part for pair in current.value for part in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    loader = yaml.SafeLoader("")
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        line = value_node.start_mark.line + 1 + offset
        try:
            out[key] = loader.construct_object(value_node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
            raise _error(file, f"the value cannot be read ({exc})", line, key) from None
        out.setdefault("__lines__", {})[key] = line
    return out


def _read_md(text: str, file: str) -> list[CorpusPost]:
    from frontmatter.default_handlers import YAMLHandler

    handler = YAMLHandler()
    meta: dict[str, Any] = {}
    body = text
    if handler.detect(text):
        try:
            front, body = handler.split(text)
        except ValueError:
            raise _error(file, "the front matter is not closed by a line '---'", 1) from None
        assert handler.FM_BOUNDARY is not None
        first = handler.FM_BOUNDARY.search(text)
        offset = text.count("\n", 0, first.end()) if first else 0
        meta = _yaml_front_matter(front, file, offset)
    body = _strip_export_footer(body).strip()
    if not body:
        return []
    lines = meta.pop("__lines__", {})
    fields = _optional_fields(meta, file, lambda key: lines.get(key))
    return [_post(body, file, file, None, **fields)]


def _strip_export_footer(body: str) -> str:
    """Drop the footer of this app's Markdown export (a ``---`` line followed by ``- Key: value`` lines)."""
    parts = _SEPARATOR.split(body)
    if len(parts) > 1 and parts[-1].lstrip().startswith("- "):
        return "---".join(parts[:-1])
    return body


def _optional_fields(obj: dict[str, Any], file: str, line_of: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    key = "channel" if "channel" in obj else "channels"
    channel = obj.get(key)
    if channel is not None:
        if isinstance(channel, str):
            out["channel"] = channel
        elif isinstance(channel, list) and all(isinstance(c, str) for c in channel):
            out["channel"] = ",".join(channel) or None
        else:
            raise _error(file, f"must be text or a list of texts, got {_kind(channel)}", line_of(key), key)
    brief_id = obj.get("brief_id")
    if brief_id is not None:
        if not isinstance(brief_id, str | int) or isinstance(brief_id, bool):
            raise _error(file, f"must be text, got {_kind(brief_id)}", line_of("brief_id"), "brief_id")
        out["brief_id"] = str(brief_id)
    return out


def _kind(value: Any) -> str:
    import datetime as dt

    from drafter.errors import describe_value

    if isinstance(value, dt.date):
        return f"the date {value.isoformat()} (put it in quotes if it is meant as text)"
    return describe_value(value)


def _post_from_object(obj: Any, source: str, file: str, line: int | None, item: int | None) -> CorpusPost:
    where = f" (item {item})" if item is not None else ""
    if not isinstance(obj, dict):
        raise _error(file, f"expected an object with a 'text' field, got {_kind(obj)}{where}", line)
    if "text" not in obj:
        raise _error(file, f"required field is missing{where}", line, "text")
    text = obj["text"]
    if not isinstance(text, str):
        raise _error(file, f"must be text, got {_kind(text)}{where}", line, "text")
    if not text.strip():
        raise _error(file, f"is empty{where}", line, "text")
    bad = text_input.first_control(text)
    if bad is not None:  # a .txt file with one is refused too (hostile probe: JSON escapes let them in)
        what = "half a surrogate pair" if _SURROGATE.match(bad) else "the control character"
        raise _error(file, f"holds {what} U+{ord(bad):04X}{where}", line, "text")
    label = obj.get("id", obj.get("draft_id"))
    if label is not None and isinstance(label, str | int) and not isinstance(label, bool):
        source = f"{source.split('#')[0]}#{str(label)[:100]}"
    return _post(text.strip(), source, file, line, "text", **_optional_fields(obj, file, lambda _key: line))


def _json_value(decoder: json.JSONDecoder, text: str, pos: int, file: str, lines: LineIndex) -> tuple[Any, int]:
    """One JSON value at ``pos``; syntax errors, absurd nesting and huge numbers become errors."""
    try:
        return decoder.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise _error(file, f"not valid JSON ({exc.msg})", exc.lineno) from None
    except RecursionError:
        raise _error(file, "the JSON is nested too deeply", lines.line(pos)) from None
    except ValueError as exc:  # e.g. an integer with 5,000 digits
        raise _error(file, f"a JSON value cannot be read ({exc})", lines.line(pos)) from None


def _read_json(text: str, file: str) -> list[CorpusPost]:
    decoder = json.JSONDecoder()
    lines = LineIndex(text)
    stripped = text.lstrip()
    start = len(text) - len(stripped)
    if not stripped.startswith("["):
        obj, end = _json_value(decoder, text, start, file, lines)
        if text[end:].strip():
            raise _error(file, "unexpected content after the JSON value", lines.line(end))
        return [_post_from_object(obj, file, file, lines.line(start), None)]
    posts = []
    pos = start + 1
    item = 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos < len(text) and text[pos] == "]":
            pos += 1
            break
        if item and text[pos : pos + 1] == ",":
            pos += 1
            while pos < len(text) and text[pos] in " \t\r\n":
                pos += 1
        elif item:
            raise _error(file, "expected ',' or ']' between list items", lines.line(pos))
        line = lines.line(pos)
        obj, pos = _json_value(decoder, text, pos, file, lines)
        item += 1
        posts.append(_post_from_object(obj, f"{file}#{item}", file, line, item))
    if text[pos:].strip():
        raise _error(file, "unexpected content after the JSON list", lines.line(pos))
    return posts


def _read_jsonl(text: str, file: str) -> list[CorpusPost]:
    posts = []
    decoder = json.JSONDecoder()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = decoder.decode(line)
        except json.JSONDecodeError as exc:
            raise _error(file, f"not valid JSON ({exc.msg})", number) from None
        except RecursionError:
            raise _error(file, "the JSON is nested too deeply", number) from None
        except ValueError as exc:
            raise _error(file, f"a JSON value cannot be read ({exc})", number) from None
        posts.append(_post_from_object(obj, f"{file}#{number}", file, number, None))
    return posts


_READERS = {
    ".txt": _read_txt,
    ".md": _read_md,
    ".markdown": _read_md,
    ".json": _read_json,
    ".jsonl": _read_jsonl,
}


def read_file(path: Path, source: str | None = None) -> list[CorpusPost]:
    """The posts of one regular file; raises :class:`CorpusImportError` naming the file (and line)."""
    label = source or str(path)
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        if path.is_dir():
            raise _error(label, "is a directory, not a file")
        if not path.exists():
            raise _error(label, "no such file or directory")
        raise _error(label, f"unsupported file type (use {', '.join(SUFFIXES)})")
    try:
        text = text_input.read_text(path, legacy=_LEGACY_ENCODING[suffix], limit=MAX_FILE_BYTES, label=label)
    except text_input.TextInputError as exc:
        raise CorpusImportError(exc.problems) from None
    return reader(text, label)


def read_draft(file: str, stdin: BinaryIO | None = None) -> list[tuple[str, str]]:
    """``(label, text)`` of the draft(s) in ``file`` (``-``: ``stdin``); exports and Markdown are
    unpacked like corpus files, anything else is one plain-text draft. Regular files only, at most
    :data:`MAX_FILE_BYTES`; a folder, a FIFO, binary junk each give a :class:`CorpusImportError`."""
    if file == "-":
        if stdin is None:
            raise _error("-", "no standard input to read")
        try:
            data = text_input.read_stream(stdin, label="-", limit=MAX_FILE_BYTES)
        except text_input.TextInputError as exc:
            raise CorpusImportError(exc.problems) from None
        return [("-", decode(data, "-"))]
    path = Path(file)
    if path.suffix.lower() in (".json", ".jsonl", ".md", ".markdown"):
        return [(p.source, p.text) for p in read_file(path, file)]
    try:
        return [(file, text_input.read_text(path, legacy=True, limit=MAX_FILE_BYTES, label=file))]
    except text_input.TextInputError as exc:
        raise CorpusImportError(exc.problems) from None


def _files(path: Path) -> Iterable[Path]:
    # the walk voice import uses: hidden folders are not entered (rglob listed a .git's objects whole), a folder
    # that cannot be read is named; what is no regular file is skipped here, as before
    return [child for child in text_input.files_below(path, SUFFIXES) if child.is_file()]


def _read_each(
    paths: Iterable[Path], result: ReadResult, *, stop_after_problem: bool = False
) -> Iterator[list[CorpusPost]]:
    """The posts of every file given, one file at a time (``result`` counts files and skips). Problems
    are collected and raised together after the last file; ``stop_after_problem``: once a file failed,
    the rest are still read (to name their problems) but no longer yielded."""
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            try:
                files = list(_files(path))
            except text_input.TextInputError as exc:  # a folder below it that cannot be read
                problems.extend(exc.problems)
                continue
            if not files:
                result.skipped.append(f"{path}: no {', '.join(SUFFIXES)} files")
        else:
            files = [path]  # read_file names a missing file, a FIFO or a device
        for file in files:
            result.files += 1
            try:
                posts = read_file(file)
            except CorpusImportError as exc:
                problems.extend(exc.problems)
                continue
            if not posts:
                result.skipped.append(f"{file}: empty")
            if not (problems and stop_after_problem):
                yield posts
    if problems:
        raise CorpusImportError(problems)


def read_paths(paths: Iterable[Path]) -> ReadResult:
    """Read every file and directory given; all problems are collected and raised together."""
    result = ReadResult()
    for posts in _read_each(paths, result):
        result.posts.extend(posts)
    return result


def import_paths(paths: Iterable[Path], index: StoredPostIndex, *, own: bool = False) -> ImportReport:
    """Read ``paths`` and add their posts to the stored corpus in one transaction (all-or-nothing).

    Files are read and added one at a time (signatures and band keys in batches), so an import of any
    size holds one file and one batch in memory; a file that fails rolls the whole import back. ``own``:
    the posts are the user's own (their exports from another computer): stored as own exports are, so a
    paragraph of theirs is not reported as a copy (:func:`drafter.originality.similarity_findings`)."""
    result = ReadResult()
    read = 0
    claimed: dict[str, str] = {}

    def stream() -> Iterator[CorpusPost]:
        nonlocal read
        for posts in _read_each(paths, result, stop_after_problem=True):
            read += len(posts)
            if own:
                posts = [replace(p, source=export_source(f"import:{p.source.removeprefix('./')}")) for p in posts]
                claimed.update((p.post_id, p.source) for p in posts)
            yield from posts

    added, duplicates = index.add_many(stream())
    # posts imported before without --own are the user's too (importing them again had no effect: new-user probe)
    marked = index.claim(claimed) if own and duplicates else 0
    return ImportReport(
        files=result.files,
        read=read,
        added=added,
        duplicates=duplicates,
        skipped=tuple(result.skipped),
        marked_own=marked,
    )
