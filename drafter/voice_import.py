"""Reading an author's past posts for the voice profile (:mod:`drafter.voice`).

Formats, recognised by name and content:

* ``.txt`` / ``.md`` / ``.markdown`` — posts separated by a line holding only ``---``; a file without
  such a line has one post per blank-line-separated block. This app's own Markdown export (text, a
  ``---`` line, then ``- Channel: …`` lines and a findings heading) is one post: its text.
* ``.json`` — this app's JSON export (an object with ``text``, or a list of them), or a Mastodon
  ``outbox.json`` (ActivityStreams: ``Create`` activities whose ``object.content`` is HTML, turned into
  plain text; ``Announce`` = boosts are skipped).
* ``.js`` — an X archive's ``tweets.js`` (``window.YTD.tweets.part0 = [...]``); retweets (``RT @…`` or
  ``retweeted``) are skipped. HTML entities (``&amp;``) are decoded.
* ``.zip`` — an X archive: its ``data/tweets.js`` (and ``tweets-part1.js`` …) or ``tweets.js``.
* ``.csv`` — a LinkedIn data export's ``Shares.csv`` (column ``ShareCommentary``); a share without
  commentary (a plain repost of a link) is skipped.

Every file is read through :mod:`drafter.text_input` (regular files only, bounded size, one decoding
policy). Archives are bounded too: at most :data:`MAX_ARCHIVE_BYTES` per member and in total, and a
member is read with a hard cap whatever its header claims, so a zip bomb stops at the limit. Errors are
:class:`VoiceImportError` (a :class:`~drafter.errors.UserError`) naming file, line or field; all files are
read before anything is stored, so a bad file means nothing is imported.
"""

from __future__ import annotations

import csv
import html
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter import text_input
from drafter.errors import Problem, Said, UserError, english_only, said
from drafter.safe_text import strip_unsafe
from drafter.text_input import LineIndex

SUFFIXES = (".txt", ".md", ".markdown", ".json", ".js", ".zip", ".csv")
MAX_FILE_BYTES = text_input.MAX_FILE_BYTES
"""Plain text, Markdown, JSON and CSV files: 10 MiB, as everywhere in drafter."""
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
"""An X archive's ``tweets.js`` (alone or inside the zip, all parts together): 64 MiB — about 150,000
tweets with their metadata. A zip may be larger (it holds media); only the tweet files are read."""
MAX_ZIP_ENTRIES = 100_000
MAX_POST_CHARS = 20_000
MAX_POSTS = 200_000

_SEPARATOR = re.compile(r"^[ \t]*---[ \t]*$", re.MULTILINE)
_BLANK = re.compile(r"\n[ \t]*\n")
_YTD_PREFIX = re.compile(r"^\s*window\.YTD\.[\w.]+\s*=\s*")
_TWEET_PART = re.compile(r"(?:^|/)(?:data/)?tweets(?:-part\d+)?\.js$")


class VoiceImportError(UserError):
    """One or more files could not be read; nothing was imported."""


@dataclass
class ReadPosts:
    """Posts read from files (``(source, text)``), and what was skipped on the way."""

    posts: list[tuple[str, str]] = field(default_factory=list)
    files: int = 0
    reposts: int = 0
    empty: int = 0


def _error(file: str, message: Said, line: int | None = None, field: str | None = None) -> VoiceImportError:
    return VoiceImportError(Problem.at(file, message, line=line, field=field))


def _v(key: str, **values: object) -> Said:
    """A message of ``[problems.voice]`` (said in the UI language in the app, English in the CLI)."""
    return said(f"voice.{key}", **values)


def _add(result: ReadPosts, source: str, text: str, file: str, line: int | None = None, key: str | None = None) -> None:
    # control, bidi and invisible characters never belong in a post (as in the editor and brief import), nor in
    # its source (an outbox's post id is the file's data: half a surrogate pair in it crashed the store)
    text = strip_unsafe(text).strip()
    source = strip_unsafe(source)
    if not text:
        result.empty += 1
        return
    if len(text) > MAX_POST_CHARS:
        raise _error(file, _v("post_too_long", count=len(text), limit=MAX_POST_CHARS), line, key)
    if len(result.posts) >= MAX_POSTS:
        raise _error(file, _v("too_many_posts", limit=MAX_POSTS), line)
    result.posts.append((source, text))


# -- plain text and Markdown --------------------------------------------------------------------------
_EXPORT_FOOTER = re.compile(r"\A\s*(?:- [^\n]*\n)+\s*## ", re.MULTILINE)


def _read_text(text: str, file: str, result: ReadPosts) -> None:
    lines = LineIndex(text)
    parts = _SEPARATOR.split(text)
    if len(parts) > 1 and _EXPORT_FOOTER.match(parts[-1]):  # this app's Markdown export: the text only
        last = [*_SEPARATOR.finditer(text)][-1]
        _add(result, file, text[: last.start()], file, 1)
        return
    splitter = _SEPARATOR if len(parts) > 1 else _BLANK
    start = 0
    number = 0
    for match in [*splitter.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[start:end]
        if chunk.strip():
            number += 1
            offset = start + len(chunk) - len(chunk.lstrip())
            _add(result, f"{file}#{number}", chunk, file, lines.line(offset))
        if match:
            start = match.end()


# -- JSON: drafter exports and Mastodon outboxes ---------------------------------------------------------
def _load_json(text: str, file: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _error(file, _v("not_json", detail=english_only(exc.msg)), exc.lineno) from None
    except RecursionError:
        raise _error(file, _v("json_too_deep")) from None
    except ValueError as exc:
        raise _error(file, _v("json_value", detail=english_only(str(exc)))) from None


def _read_json(text: str, file: str, result: ReadPosts) -> None:
    data = _load_json(text, file)
    if isinstance(data, dict) and "orderedItems" in data:
        _read_outbox(data, file, result)
        return
    items = data if isinstance(data, list) else [data]
    for i, item in enumerate(items, start=1):
        where = {"item": i} if isinstance(data, list) else {}
        prefix = "_item" if where else ""
        if not isinstance(item, dict) or "text" not in item:
            raise _error(file, _v(f"not_export{prefix}", **where), field="text")
        if not isinstance(item["text"], str):
            raise _error(file, _v(f"must_be_text{prefix}", **where), field="text")
        _add(result, f"{file}#{i}" if isinstance(data, list) else file, item["text"], file, key="text")


#: a tag of Mastodon's post HTML: ``<`` or ``</`` and its name (``p``, ``br``, ``a`` …), or a declaration
#: (``<!DOCTYPE …>``), and whatever stands up to its ``>`` (no ``<`` inside: a search that fails at one ``<``
#: resumes at the next, so the pass is linear in the text); "a < b and c > d" holds no tag
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)[^<>]*>|<![^<>]*>")
#: elements whose content is no text of the post
_HIDDEN_ELEMENTS = ("script", "style")


def html_to_text(markup: str) -> str:
    """Mastodon's post HTML as plain text: paragraphs become blank lines, ``<br>`` a line break, every
    other tag is dropped (its text kept; a script's or style's content and comments too), entities decoded.
    Linear in the markup: the standard library's ``HTMLParser`` took minutes on 90 KB of ``<a <a <a …``
    (a hostile probe), since it re-reads an unclosed tag from its start for every piece fed."""
    markup = _without(markup, "<!--", "-->")
    lowered = markup.lower()
    parts: list[str] = []
    written = False  # any text yet (a first paragraph needs no blank line before it)
    pos = 0
    for m in _TAG.finditer(markup):
        if m.start() < pos:  # inside a script or style skipped below
            continue
        text = markup[pos : m.start()]
        parts.append(text)
        written = written or bool(text)
        pos = m.end()
        closing, name = m.group(1), (m.group(2) or "").lower()
        if closing or not name:
            continue
        if name in _HIDDEN_ELEMENTS:
            close = lowered.find(f"</{name}", pos)
            pos = len(markup) if close < 0 else close
        elif name == "br":
            parts.append("\n")
            written = True
        elif name == "p" and written:
            parts.append("\n\n")
    parts.append(markup[pos:])
    return html.unescape("".join(parts)).strip()


def _without(text: str, opening: str, closing: str) -> str:
    """``text`` without each ``opening`` … ``closing`` span (an unclosed one runs to the end), in one pass."""
    out: list[str] = []
    pos = 0
    while (start := text.find(opening, pos)) >= 0:
        out.append(text[pos:start])
        end = text.find(closing, start + len(opening))
        if end < 0:
            return "".join(out)
        pos = end + len(closing)
    out.append(text[pos:])
    return "".join(out)


def _read_outbox(data: dict[str, Any], file: str, result: ReadPosts) -> None:
    items = data["orderedItems"]
    if not isinstance(items, list):
        raise _error(file, _v("activities_list"), field="orderedItems")
    for i, activity in enumerate(items):
        place = f"orderedItems[{i}]"
        if not isinstance(activity, dict):
            raise _error(file, _v("activity_object"), field=place)
        kind = activity.get("type")
        if kind == "Announce":  # a boost of someone else's post
            result.reposts += 1
            continue
        if kind != "Create":
            continue
        note = activity.get("object")
        if not isinstance(note, dict):
            raise _error(file, _v("post_object"), field=f"{place}.object")
        content = note.get("content")
        if content is None:
            result.empty += 1
            continue
        if not isinstance(content, str):
            raise _error(file, _v("html_text"), field=f"{place}.object.content")
        source = f"{file}#{str(note.get('id') or i)[-80:]}"
        _add(result, source, html_to_text(content), file, key=f"{place}.object.content")


# -- X archive ------------------------------------------------------------------------------------------
def _read_tweets_js(text: str, file: str, result: ReadPosts) -> None:
    prefix = _YTD_PREFIX.match(text)
    if prefix is None:
        raise _error(file, _v("not_tweets"), 1)
    body = text[prefix.end() :].rstrip().removesuffix(";")
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise _error(file, _v("tweets_json", detail=english_only(exc.msg)), exc.lineno) from None
    except (RecursionError, ValueError) as exc:
        raise _error(file, _v("tweets_unreadable", detail=english_only(type(exc).__name__))) from None
    if not isinstance(data, list):
        raise _error(file, _v("tweets_list"))
    for i, item in enumerate(data):
        tweet = item.get("tweet", item) if isinstance(item, dict) else None
        if not isinstance(tweet, dict):
            raise _error(file, _v("tweet_object"), field=f"[{i}].tweet")
        full = tweet.get("full_text", tweet.get("text"))
        if not isinstance(full, str):
            absent = full is None and "full_text" not in tweet and "text" not in tweet
            raise _error(file, _v("tweet_text_missing" if absent else "must_be_text"), field=f"[{i}].tweet.full_text")
        full = html.unescape(full)
        if tweet.get("retweeted") is True or full.startswith("RT @"):
            result.reposts += 1
            continue
        _add(result, f"{file}#{tweet.get('id_str') or i}", full, file, key=f"[{i}].tweet.full_text")


def _read_zip(path: Path, label: str, result: ReadPosts) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _error(label, _v("bad_zip", detail=english_only(str(exc)))) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise _error(label, _v("zip_entries", count=len(infos), limit=MAX_ZIP_ENTRIES))
        parts = sorted(
            (i for i in infos if _TWEET_PART.search(i.filename) and not i.is_dir()), key=lambda i: i.filename
        )
        if not parts:
            raise _error(label, _v("no_tweets_js"))
        budget = MAX_ARCHIVE_BYTES
        for info in parts:
            member = f"{label}:{info.filename}"
            if info.file_size > budget:
                raise _error(member, _v("member_too_large", size=info.file_size, limit=MAX_ARCHIVE_BYTES))
            try:
                with archive.open(info) as fh:
                    data = fh.read(budget + 1)  # the header may lie: never read past the budget
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                raise _error(member, _v("member_unreadable", detail=english_only(str(exc)))) from None
            if len(data) > budget:
                raise _error(member, _v("member_unpacks", limit=MAX_ARCHIVE_BYTES))
            budget -= len(data)
            try:
                text = text_input.decode(data, member)
            except text_input.TextInputError as exc:
                raise VoiceImportError(exc.problems) from None
            _read_tweets_js(text, member, result)


# -- LinkedIn -------------------------------------------------------------------------------------------
def _read_shares_csv(text: str, file: str, result: ReadPosts) -> None:
    reader = csv.DictReader(text.splitlines(keepends=True))
    try:
        header = reader.fieldnames or []
        if "ShareCommentary" not in header:
            raise _error(file, _v("shares_column"), 1, "ShareCommentary")
        for row in reader:
            line = reader.line_num
            commentary = row.get("ShareCommentary") or ""
            if not commentary.strip():
                if (row.get("SharedUrl") or "").strip() or (row.get("ShareLink") or "").strip():
                    result.reposts += 1
                else:
                    result.empty += 1
                continue
            _add(result, f"{file}#{line}", commentary, file, line, "ShareCommentary")
    except csv.Error as exc:
        raise _error(file, _v("not_csv", detail=english_only(str(exc))), reader.line_num) from None


# -- files ----------------------------------------------------------------------------------------------
def read_file(path: Path, result: ReadPosts | None = None, label: str | None = None) -> ReadPosts:
    """Read one file into ``result`` (a new one by default); :class:`VoiceImportError` names the problem."""
    result = result if result is not None else ReadPosts()
    name = label or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        if path.is_dir():
            raise _error(name, _v("is_directory"))
        raise _error(name, _v("unsupported", known=", ".join(SUFFIXES)))
    result.files += 1
    if suffix == ".zip":
        # the archive itself may be large (it holds media); only its tweet files are read, bounded
        if not path.exists():
            raise _error(name, _v("no_such_file"))
        if not path.is_file():
            raise _error(name, _v("not_regular"))
        _read_zip(path, name, result)
        return result
    limit = MAX_ARCHIVE_BYTES if suffix == ".js" else MAX_FILE_BYTES
    legacy = suffix in (".txt", ".md", ".markdown", ".csv")
    try:
        text = text_input.read_text(path, legacy=legacy, limit=limit, label=name)
    except text_input.TextInputError as exc:
        raise VoiceImportError(exc.problems) from None
    if suffix == ".js":
        _read_tweets_js(text, name, result)
    elif suffix == ".csv":
        _read_shares_csv(text, name, result)
    elif suffix == ".json":
        _read_json(text, name, result)
    else:
        _read_text(text, name, result)
    return result


#: the most files of known kinds one folder may give, and the most entries looked at in it
MAX_FOLDER_FILES = 10_000
MAX_FOLDER_ENTRIES = 100_000


def read_paths(paths: Iterable[Path]) -> ReadPosts:
    """Every file's posts; problems of all files are collected and raised together (nothing read counts).
    A file that yields no post at all (empty, only blank parts or only reposts) is such a problem."""
    result = ReadPosts()
    problems: list[Problem] = []
    for path in paths:
        path = Path(path)
        # a folder of past posts is read as the corpus reads one (a new-user probe: the corpus took a folder, the
        # voice refused it): every file of a known kind below it, hidden ones left out, the folder's posts together
        folder = path.is_dir()
        before = len(result.posts)
        try:
            files = (
                text_input.files_below(path, SUFFIXES, max_files=MAX_FOLDER_FILES, max_entries=MAX_FOLDER_ENTRIES)
                if folder
                else [path]
            )
        except text_input.TextInputError as exc:
            problems.extend(exc.problems)
            continue
        for file in files:
            try:
                read_file(file, result)
            except VoiceImportError as exc:
                problems.extend(exc.problems)
        if len(result.posts) == before and not problems:  # empty, or only reposts: not "0 posts added"
            key = _v("no_posts_in_folder", kinds=", ".join(SUFFIXES)) if folder else said("fix_core.no_posts")
            problems.append(Problem.at(str(path), key))
    if problems:
        raise VoiceImportError(problems)
    return result
