"""Reading untrusted text: one way to open a file, one decoding policy, one line index, one date parser.

Briefs, corpus posts and drafts given to ``drafter lint`` come from other people and other programs.
Everything that turns their bytes into text goes through here, so the limits and messages are the same
everywhere:

* **Regular files only.** A folder is "a directory", a FIFO, socket or device is refused without being
  read (opening a FIFO would wait for a writer forever). The file is opened non-blocking and checked
  with ``fstat`` on the open descriptor, so swapping the path for a FIFO after a check cannot hang us.
* **Bounded size.** At most ``limit`` bytes (default :data:`MAX_FILE_BYTES`, 10 MiB) are read; a larger
  file (or standard input) is refused, never truncated.
* **One decoding policy, in a fixed order — never guessed:**

  1. a UTF-8 byte-order mark: UTF-8 (the mark is dropped);
  2. a UTF-16 byte-order mark (little or big endian): UTF-16; a UTF-32 mark is named and refused;
  3. no mark: UTF-8;
  4. not UTF-8 and the caller allows it (``legacy=True``: formats Excel and old editors write, e.g. CSV
     and brief files): Windows-1252, but only if no valid UTF-8 sequence is mixed in and the result holds
     no control characters;
  5. anything else is refused with a message that says what the bytes look like: UTF-16 without a
     byte-order mark (NUL bytes in every other position) is named as such, other NUL or control bytes
     mean "not a text file", invalid UTF-8 names the first bad line.

  Decoded text may hold tab, line feed and carriage return; any other C0 control character or DEL is
  refused (such files are binary, or a terminal escape sequence in disguise).
* :class:`LineIndex` (offset -> line and column, shared with :mod:`drafter.findings`) for positions in
  messages.
* :data:`WORD` / :func:`words`: how the authorship and originality checks split text into words.
* :func:`parse_date`: the one strict parser for dates a user types or a file gives: ``YYYY-MM-DD``, and
  ``DD.MM.YYYY`` where German input is allowed. ``20261201`` or ``2026-W01-1`` (which Python's ISO parser
  accepts) are refused.

Errors are :class:`TextInputError` (a :class:`drafter.errors.UserError`); callers that report their own
error type re-raise its ``problems``.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from drafter.errors import Problem, Said, SaidError, UserError, said
from drafter.findings import LineIndex

__all__ = [
    "MAX_FILE_BYTES",
    "WORD",
    "LineIndex",
    "TextInputError",
    "decode",
    "first_control",
    "parse_date",
    "read_bytes",
    "read_stream",
    "read_text",
    "words",
]

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Files (and standard input) larger than this are refused. A brief file or a post is a few KiB; a
10,000-row brief spreadsheet is about 4.5 MiB."""

#: C0 controls other than TAB, LF and CR, and DEL: not in text files; nor a lone surrogate (a JSON escape
#: can make one; no file can be encoded with it)
_CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


class TextInputError(UserError):
    """A file or stream could not be read as text."""


def _fail(label: str, message: str | Said, line: int | None = None) -> TextInputError:
    return TextInputError(Problem.at(label, message, line=line))


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


def _too_large(label: str, size: int | None, limit: int) -> TextInputError:
    limit_text = f"{limit // 1024 // 1024} MiB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
    if size is None:
        size_text = ""
    elif size < limit + 1024 * 1024 // 10:  # "10.0 MiB" over a limit of 10 MiB reads as no excess: in bytes
        size_text = f" ({size:,} bytes, {limit:,} allowed)"
    else:
        size_text = f" ({_mib(size)})"
    return _fail(label, said("too_large", size=size_text, limit=limit_text))


# -- reading ------------------------------------------------------------------------------------------
def read_bytes(path: Path | str, *, limit: int = MAX_FILE_BYTES, label: str | None = None) -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``), or :class:`TextInputError` saying
    why not: no such file, a directory, not a regular file, too large, unreadable."""
    name = label if label is not None else str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise _fail(name, said("no_such_file")) from None
    except IsADirectoryError:
        raise _fail(name, said("is_directory")) from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket, or a FIFO opened for writing elsewhere
            raise _fail(name, said("not_regular")) from None
        raise _fail(name, said("cannot_read", reason=exc.strerror or str(exc))) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _fail(name, said("is_directory"))
        if not stat.S_ISREG(info.st_mode):
            raise _fail(name, said("not_regular"))
        if info.st_size > limit:
            raise _too_large(name, info.st_size, limit)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise _fail(name, said("cannot_read", reason=exc.strerror or str(exc))) from None
    finally:
        os.close(fd)
    if len(data) > limit:  # the file grew while we read it
        raise _too_large(name, None, limit)
    return data


def read_stream(stream: BinaryIO, *, label: str = "-", limit: int = MAX_FILE_BYTES) -> bytes:
    """At most ``limit`` bytes of a binary stream (standard input); more is refused."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _too_large(label, None, limit)
    return data


def read_text(path: Path | str, *, legacy: bool = False, limit: int = MAX_FILE_BYTES, label: str | None = None) -> str:
    """:func:`read_bytes` then :func:`decode`."""
    name = label if label is not None else str(path)
    return decode(read_bytes(path, limit=limit, label=name), name, legacy=legacy)


# -- decoding -----------------------------------------------------------------------------------------
def _utf16_without_bom(data: bytes) -> str | None:
    """ "little-endian"/"big-endian" when ``data`` looks like UTF-16 text without a byte-order mark:
    mostly Latin text, so NUL in (nearly) every odd or every even byte and almost never in the other."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 4:  # too short to tell from a binary file
        return None
    even_zero = sample[0::2].count(0)
    odd_zero = sample[1::2].count(0)
    if odd_zero >= 0.6 * pairs and even_zero <= 0.05 * pairs:
        return "little-endian"
    if even_zero >= 0.6 * pairs and odd_zero <= 0.05 * pairs:
        return "big-endian"
    return None


def _strict(data: bytes, encoding: str, label: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _fail(label, said("encoding_claims", encoding=encoding), line) from None


def first_control(text: str) -> str | None:
    """The first control character of ``text`` that a text file may not hold (see :data:`_CONTROL`), else None."""
    bad = _CONTROL.search(text)
    return None if bad is None else bad.group()


def _checked(text: str, label: str) -> str:
    bad = _CONTROL.search(text)
    if bad is None:
        return text
    line = text.count("\n", 0, bad.start()) + 1
    what = said("nul_bytes") if bad.group() == "\x00" else said("control_character", code=f"U+{ord(bad.group()):04X}")
    raise _fail(label, said("encoding_controls", what=what), line)


def decode(data: bytes, label: str, *, legacy: bool = False, controls: bool = False) -> str:
    """Bytes -> text by the policy in the module docstring; ``legacy`` allows the Windows-1252 fallback.
    ``controls=True`` lets control characters through (NUL bytes still refuse): for a draft, whose
    checker reports them as findings with their place instead of refusing the whole file."""
    utf32 = data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"))
    if controls and not utf32 and (b"\x00" not in data or data.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return _decode_any(data, label)  # (NUL bytes without a UTF-16 BOM: the policy below names them)
    if data.startswith(b"\xef\xbb\xbf"):
        return _checked(_strict(data[3:], "utf-8", label), label)
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise _fail(label, said("encoding_utf32"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _checked(_strict(data, "utf-16", label), label)
    if b"\x00" in data:
        order = _utf16_without_bom(data)
        if order is not None:
            raise _fail(label, said("encoding_utf16_no_bom", order=said(f"byte_order.{order}")))
    try:
        return _checked(data.decode("utf-8"), label)
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    line = data.count(b"\n", 0, bad_at) + 1
    if not legacy:
        raise _fail(label, said("encoding_not_utf8"), line)
    if b"\x00" in data:
        _checked(data.decode("latin-1"), label)  # raises: names the NUL bytes
    if _UTF8_MULTIBYTE.search(data):
        # Valid UTF-8 sequences next to invalid bytes: a mix of encodings, not Windows-1252.
        raise _fail(label, said("encoding_mixed"), line)
    unknown = said("encoding_unknown")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise _fail(label, unknown, line) from None
    if _CONTROL.search(text):
        raise _fail(label, unknown, line)
    return text


def _decode_any(data: bytes, label: str) -> str:
    """UTF-8 (a BOM dropped) or UTF-16 with a BOM, control characters allowed; else refused."""
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _fail(label, said("encoding_not_utf8"), line) from None


# -- words --------------------------------------------------------------------------------------------
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
"""A word as the authorship and originality checks count it: letters and digits, with inner
apostrophes ("geht's", "don’t"); underscores and punctuation separate words."""


def words(text: str) -> list[str]:
    """Case-folded words (NFKC first), punctuation dropped: ``#Glasfaser`` -> ``glasfaser``."""
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


# -- dates --------------------------------------------------------------------------------------------
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def parse_date(value: str, *, german: bool = True) -> dt.date:
    """A date a user gave: ``YYYY-MM-DD`` (and ``DD.MM.YYYY`` when ``german``); surrounding spaces are
    ignored. Anything else — ``20261201``, ``2026-W01-1``, ``2026-02-31`` — is a ``ValueError`` whose
    message says what is expected."""
    text = value.strip()
    forms = said("date_forms_german" if german else "date_forms")
    iso = _ISO_DATE.fullmatch(text)
    day_first = _GERMAN_DATE.fullmatch(text) if german else None
    try:
        if iso:
            year, month, day = (int(g) for g in iso.groups())
            return dt.date(year, month, day)
        if day_first:
            day, month, year = (int(g) for g in day_first.groups())
            return dt.date(year, month, day)
    except ValueError:
        raise SaidError(said("no_such_day", value=text[:40], forms=forms)) from None
    raise SaidError(said("not_a_date", value=text[:40], forms=forms))


def files_below(
    folder: Path, suffixes: Iterable[str], *, max_files: int | None = None, max_entries: int | None = None
) -> list[Path]:
    """The files below ``folder`` whose suffix is one of ``suffixes`` (sorted; hidden files and folders are
    not entered, links to folders not followed; a FIFO named ``x.txt`` is listed, for its reader to refuse by
    name). :class:`TextInputError` when a folder cannot be read, or when more than ``max_files`` such files or
    ``max_entries`` entries of any kind are found (a home folder with a ``.git`` of 200,000 objects was listed
    whole before hidden folders were skipped: a probe)."""
    known = {s.lower() for s in suffixes}
    found: list[Path] = []
    seen = 0
    problems: list[Problem] = []

    def unreadable(exc: OSError) -> None:
        problems.append(Problem.at(str(exc.filename or folder), said("folder_unreadable", reason=exc.strerror or exc)))

    for root, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        seen += len(dirs) + len(names)
        if max_entries is not None and seen > max_entries:
            raise _fail(str(folder), said("too_many_files", limit=max_entries))
        for name in sorted(names):
            if name.startswith(".") or Path(name).suffix.lower() not in known:
                continue
            found.append(Path(root, name))
            if max_files is not None and len(found) > max_files:
                raise _fail(str(folder), said("too_many_files", limit=max_files))
    if problems:
        raise TextInputError(problems)
    return found
