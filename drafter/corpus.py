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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.originality import CorpusPost, StoredPostIndex

SUFFIXES = (".txt", ".md", ".markdown", ".json", ".jsonl")
_SEPARATOR = re.compile(r"^[ \t]*---[ \t]*$", re.MULTILINE)


class CorpusImportError(Exception):
    """One or more files could not be read; ``problems`` lists each as ``file: line N: message``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "posts_read": self.read,
            "added": self.added,
            "duplicates": self.duplicates,
            "skipped": list(self.skipped),
        }


class _Problem(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); other encodings are detected with charset-normalizer."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise _Problem("not a text file (unknown encoding)")
    return str(best)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _read_txt(text: str, source: str) -> list[CorpusPost]:
    parts = _SEPARATOR.split(text)
    bodies = [p.strip() for p in parts]
    numbered = len([b for b in bodies if b]) > 1
    posts = []
    for i, body in enumerate(b for b in bodies if b):
        posts.append(CorpusPost(text=body, source=f"{source}#{i + 1}" if numbered else source))
    return posts


def _read_md(text: str, source: str) -> list[CorpusPost]:
    import frontmatter
    import yaml

    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise _Problem(f"front matter is not valid YAML ({getattr(exc, 'problem', exc)})", line) from exc
    body = _strip_export_footer(post.content).strip()
    if not body:
        return []
    meta = dict(post.metadata)
    fields = _optional_fields(meta, where="front matter")
    return [CorpusPost(text=body, source=source, **fields)]


def _strip_export_footer(body: str) -> str:
    """Drop the footer of this app's Markdown export (a ``---`` line followed by ``- Key: value`` lines)."""
    parts = _SEPARATOR.split(body)
    if len(parts) > 1 and parts[-1].lstrip().startswith("- "):
        return "---".join(parts[:-1])
    return body


def _optional_fields(obj: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    channel = obj.get("channel", obj.get("channels"))
    if channel is not None:
        if isinstance(channel, str):
            out["channel"] = channel
        elif isinstance(channel, list) and all(isinstance(c, str) for c in channel):
            out["channel"] = ",".join(channel) or None
        else:
            raise _Problem(f"{where}: field 'channel' must be text or a list of texts")
    brief_id = obj.get("brief_id")
    if brief_id is not None:
        if not isinstance(brief_id, str | int) or isinstance(brief_id, bool):
            raise _Problem(f"{where}: field 'brief_id' must be text")
        out["brief_id"] = str(brief_id)
    return out


def _post_from_object(obj: Any, source: str, where: str) -> CorpusPost:
    if not isinstance(obj, dict):
        raise _Problem(f"{where}: expected an object with a 'text' field, got {type(obj).__name__}")
    if "text" not in obj:
        raise _Problem(f"{where}: field 'text' is missing")
    text = obj["text"]
    if not isinstance(text, str):
        raise _Problem(f"{where}: field 'text' must be text, got {type(text).__name__}")
    if not text.strip():
        raise _Problem(f"{where}: field 'text' is empty")
    label = obj.get("id", obj.get("draft_id"))
    if label is not None and isinstance(label, str | int) and not isinstance(label, bool):
        source = f"{source.split('#')[0]}#{label}"
    return CorpusPost(text=text.strip(), source=source, **_optional_fields(obj, where))


def _read_json(text: str, source: str) -> list[CorpusPost]:
    decoder = json.JSONDecoder()
    stripped = text.lstrip()
    start = len(text) - len(stripped)
    try:
        if not stripped.startswith("["):
            obj, end = decoder.raw_decode(text, start)
            if text[end:].strip():
                raise _Problem("unexpected content after the JSON value", _line_of(text, end))
            return [_post_from_object(obj, source, where="object")]
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
                raise _Problem("expected ',' or ']' between list items", _line_of(text, pos))
            line = _line_of(text, pos)
            obj, pos = decoder.raw_decode(text, pos)
            item += 1
            try:
                posts.append(_post_from_object(obj, f"{source}#{item}", where=f"item {item}"))
            except _Problem as exc:
                raise _Problem(str(exc), line) from None
        if text[pos:].strip():
            raise _Problem("unexpected content after the JSON list", _line_of(text, pos))
        return posts
    except json.JSONDecodeError as exc:
        raise _Problem(f"not valid JSON ({exc.msg})", exc.lineno) from None


def _read_jsonl(text: str, source: str) -> list[CorpusPost]:
    posts = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _Problem(f"not valid JSON ({exc.msg})", number) from None
        try:
            posts.append(_post_from_object(obj, f"{source}#{number}", where="object"))
        except _Problem as exc:
            raise _Problem(str(exc), number) from None
    return posts


_READERS = {
    ".txt": _read_txt,
    ".md": _read_md,
    ".markdown": _read_md,
    ".json": _read_json,
    ".jsonl": _read_jsonl,
}


def read_file(path: Path, source: str | None = None) -> list[CorpusPost]:
    """The posts of one file; raises :class:`CorpusImportError` naming the file (and line)."""
    label = source or str(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise CorpusImportError([f"{label}: unsupported file type (use {', '.join(SUFFIXES)})"])
    try:
        return reader(decode(path.read_bytes()), label)
    except OSError as exc:
        raise CorpusImportError([f"{label}: cannot read ({exc.strerror or exc})"]) from None
    except _Problem as exc:
        where = f"{label}: line {exc.line}" if exc.line else label
        raise CorpusImportError([f"{where}: {exc}"]) from None


def _files(path: Path) -> Iterable[Path]:
    for child in sorted(path.rglob("*")):
        rel = child.relative_to(path)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if child.is_file() and child.suffix.lower() in SUFFIXES:
            yield child


def read_paths(paths: Iterable[Path]) -> ReadResult:
    """Read every file and directory given; all problems are collected and raised together."""
    result = ReadResult()
    problems: list[str] = []
    for path in paths:
        if path.is_dir():
            files = list(_files(path))
            if not files:
                result.skipped.append(f"{path}: no {', '.join(SUFFIXES)} files")
        elif path.exists():
            files = [path]
        else:
            problems.append(f"{path}: no such file or directory")
            continue
        for file in files:
            result.files += 1
            try:
                posts = read_file(file)
            except CorpusImportError as exc:
                problems.extend(exc.problems)
                continue
            if not posts:
                result.skipped.append(f"{file}: empty")
            result.posts.extend(posts)
    if problems:
        raise CorpusImportError(problems)
    return result


def import_paths(paths: Iterable[Path], index: StoredPostIndex) -> ImportReport:
    """Read ``paths`` and add their posts to the stored corpus in one transaction (all-or-nothing)."""
    result = read_paths(paths)
    added, duplicates = index.add_many(result.posts)
    return ImportReport(
        files=result.files,
        read=len(result.posts),
        added=added,
        duplicates=duplicates,
        skipped=tuple(result.skipped),
    )
