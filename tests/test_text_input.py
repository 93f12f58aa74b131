"""The one text reader: regular files only, bounded size, one decoding policy, one strict date parser;
and the one error shape (errors.Problem / UserError) with its pydantic translator."""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import threading
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from drafter import i18n, text_input
from drafter.errors import Problem, UserError, field_path, validation_errors
from drafter.text_input import TextInputError, decode, parse_date, read_bytes, read_stream, read_text

GERMAN = "Größere Übertragungsraten für alle Straßen – endlich.\nZweite Zeile.\n"


def _message(exc: pytest.ExceptionInfo[TextInputError]) -> str:
    return str(exc.value)


# -- reading files ------------------------------------------------------------------------------------
def _in_thread(func: object, *args: object) -> BaseException | object:
    """Run ``func`` in a thread and give up after a few seconds: a FIFO read must not hang the suite."""
    out: list[object] = []

    def run() -> None:
        try:
            out.append(func(*args))  # type: ignore[operator]
        except BaseException as exc:
            out.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(10)
    assert out, "reading hung"
    return out[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "post.md"
    os.mkfifo(fifo)
    result = _in_thread(read_bytes, fifo)
    assert isinstance(result, TextInputError)
    assert "not a regular file" in str(result) and str(fifo) in str(result)


def test_directory_missing_file_and_size_limit(tmp_path: Path) -> None:
    with pytest.raises(TextInputError, match="is a directory"):
        read_bytes(tmp_path)
    with pytest.raises(TextInputError, match="no such file"):
        read_bytes(tmp_path / "nope.txt")
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(text_input.MAX_FILE_BYTES + 1)
    # just over the limit: the excess shows (it read "10.0 MiB; the limit is 10 MiB", a hostile probe)
    just_over = r"too large \(10,485,761 bytes, 10,485,760 allowed\); the limit is 10 MiB"
    with pytest.raises(TextInputError, match=just_over):
        read_bytes(big)
    with big.open("wb") as fh:
        fh.truncate(text_input.MAX_FILE_BYTES * 2)
    with pytest.raises(TextInputError, match=r"too large \(20\.0 MiB\); the limit is 10 MiB"):
        read_bytes(big)
    small = tmp_path / "small.txt"
    small.write_bytes(b"x" * 101)
    with pytest.raises(TextInputError, match="limit is 100 bytes"):
        read_bytes(small, limit=100)
    assert read_bytes(small, limit=101) == b"x" * 101


def test_stream_is_bounded() -> None:
    assert read_stream(io.BytesIO(b"abc"), limit=3) == b"abc"
    with pytest.raises(TextInputError, match="too large"):
        read_stream(io.BytesIO(b"abcd"), limit=3)


def test_read_text_names_the_label(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"ok\x00")
    with pytest.raises(TextInputError) as info:
        read_text(path, label="shown-name.txt")
    assert str(info.value).startswith("shown-name.txt: line 1:")


# -- the decoding policy ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data",
    [
        GERMAN.encode("utf-8"),
        b"\xef\xbb\xbf" + GERMAN.encode("utf-8"),
        GERMAN.encode("utf-16"),  # with BOM
        b"\xfe\xff" + GERMAN.encode("utf-16-be"),
    ],
)
def test_unicode_encodings_with_marks(data: bytes) -> None:
    assert decode(data, "x") == GERMAN


def test_windows_1252_only_where_the_caller_allows_it() -> None:
    data = GERMAN.encode("cp1252")
    assert decode(data, "x", legacy=True) == GERMAN
    with pytest.raises(TextInputError, match="not UTF-8"):
        decode(data, "x", legacy=False)


@pytest.mark.parametrize(("codec", "order"), [("utf-16-le", "little-endian"), ("utf-16-be", "big-endian")])
def test_utf16_without_bom_is_named_not_called_nul_bytes(codec: str, order: str) -> None:
    for legacy in (True, False):
        with pytest.raises(TextInputError) as info:
            decode(GERMAN.encode(codec), "brief.csv", legacy=legacy)
        message = _message(info)
        assert f"UTF-16 ({order}) without a byte-order mark" in message
        assert "NUL" not in message


def test_utf32_is_named() -> None:
    with pytest.raises(TextInputError, match="UTF-32"):
        decode(GERMAN.encode("utf-32"), "x")


def test_binary_junk_and_control_characters_are_refused_with_their_line() -> None:
    junk = random.Random(7).randbytes(4096)
    for legacy in (True, False):
        with pytest.raises(TextInputError, match="unknown encoding"):
            decode(junk, "x", legacy=legacy)
    with pytest.raises(TextInputError) as info:
        decode(b"eins\nzwei\x1b[31m\n", "x")
    assert info.value.problems[0].line == 2 and "U+001B" in _message(info)
    with pytest.raises(TextInputError, match="NUL bytes"):
        decode(b"a\x00b", "x", legacy=True)


def test_mixed_utf8_and_windows_1252_is_refused() -> None:
    data = "Äpfel\n".encode() + "Öl\n".encode("cp1252")
    with pytest.raises(TextInputError, match="mixes UTF-8") as info:
        decode(data, "x", legacy=True)
    assert info.value.problems[0].line == 2


# -- dates --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "day"),
    [("2026-12-01", dt.date(2026, 12, 1)), (" 01.12.2026 ", dt.date(2026, 12, 1)), ("1.2.2026", dt.date(2026, 2, 1))],
)
def test_dates_accepted(text: str, day: dt.date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    "text", ["20261201", "2026-W01-1", "2026-W01", "2026-335", "2026-12-01T10:00", "2026-02-31", "31.02.2026", "x", ""]
)
def test_dates_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_date(text)


def test_german_dates_only_where_allowed() -> None:
    with pytest.raises(ValueError, match=r"YYYY-MM-DD"):
        parse_date("01.12.2026", german=False)
    assert parse_date("2026-12-01", german=False) == dt.date(2026, 12, 1)


def test_one_date_formatter() -> None:
    day = dt.date(2026, 3, 7)
    assert i18n.format_date(day, "de") == "07.03.2026"
    assert i18n.format_date(day, "en") == "2026-03-07"
    assert i18n.format_date(dt.datetime(2026, 3, 7, 23, 59), "de") == "07.03.2026"
    assert i18n.format_date(None, "de") == "–"
    assert (i18n.format_percent(0.824, "de"), i18n.format_percent(0.824, "en")) == ("82 %", "82%")


# -- one error shape ------------------------------------------------------------------------------------
def test_problem_formats() -> None:
    row = Problem("briefs.csv", "unknown goal 'X'", line=5, field="goal", unit="row", key="Ziel")
    assert str(row) == "briefs.csv: row 5, field 'Ziel' (goal): unknown goal 'X'"
    assert str(Problem("b.yaml", "bad", line=3, field="goal")) == "b.yaml: line 3, field 'goal': bad"
    assert str(Problem("g.yaml", "bad", line=3, column=5, field="rules.0")) == "g.yaml:3:5: field 'rules.0': bad"
    assert str(Problem("f", "is empty")) == "f: is empty"
    assert str(Problem("", "no file")) == "no file"
    error = UserError([Problem("f", f"p{i}") for i in range(UserError.shown + 3)])
    assert error.exit_code == 2
    assert str(error).splitlines()[-1] == "… and 3 more problem(s)"


def test_validation_errors_translate_loc_and_message() -> None:
    class Inner(BaseModel):
        name: str

    class Outer(BaseModel):
        items: list[Inner]
        count: int

    with pytest.raises(ValidationError) as info:
        Outer.model_validate({"items": [{"name": 3}], "extra": 1})
    found = {field_path(loc): message for loc, message in validation_errors(info.value)}
    assert found == {"items.0.name": "must be text, got int", "count": "required field is missing"}
