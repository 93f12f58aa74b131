"""Reading brief files: Markdown with front matter, YAML, JSON and CSV (as Excel writes it).

Every input is untrusted. The importer

* reads through :mod:`drafter.text_input`: regular files only (a FIFO is refused, never waited on),
  at most :data:`MAX_FILE_BYTES` (10 MiB), checked before reading;
* decodes by its one policy: UTF-8 (with or without BOM), UTF-16 with BOM, and otherwise
  Windows-1252 — but only when the result is plausible text (no control characters, no half-valid
  UTF-8); anything else (UTF-16 without BOM is named as such) is an "unknown encoding" error naming
  the first offending line;
* finds the line of every JSON key in one pass (linear, also for 120,000 keys);
* keeps unknown fields as metadata within bounds (:data:`MAX_METADATA_KEYS` per brief, short names and
  values) and returns at most :data:`MAX_WARNINGS` warnings per file;
* parses YAML with the safe loader only (plain data, no tags that run code); anchors and merge keys
  work, but self-referencing or exploding aliases ("billion laughs") are refused;
* takes known fields as written (YAML 1.1 would read ``language: no`` as false, ``id: 0171`` as
  an octal number) and explains an unquoted ``hashtags: #Tag``, which YAML reads as a comment;
* validates every brief against :class:`drafter.briefs.Brief` with the guideline context;
* is all-or-nothing per file: one bad brief (or CSV row) and the whole file is refused with a
  :class:`BriefImportError` that lists each problem with file, line (or CSV row as Excel numbers
  it, header = row 1) and field.

Unknown fields are kept in ``Brief.metadata`` and reported as warnings.

CSV: the delimiter (``;``, ``,`` or tab) is the most frequent one in the header line, outside quotes;
Excel's ``sep=;`` first line is honoured. ``.tsv`` and ``.txt`` (Excel's "Unicode-Text": UTF-16 with a
BOM, tab-separated) are read the same way; ``.tsv`` always splits at tabs. Cells may hold line breaks
(quoted); list fields are split at ``|`` or line breaks (channels and hashtags also at commas). Empty
rows are skipped.

Field names may be written in several ways: case, spaces and dashes do not matter, and German
names are accepted (see :data:`FIELD_ALIASES`), e.g. ``Titel``, ``Geschäftsbereich``, ``Ziel``,
``Kanäle``, ``Kernbotschaften``, ``Gültig ab``, ``Gültig bis``, ``Sprache``, ``Klassifizierung``,
``Kontakt``.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import functools
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from drafter import text_input
from drafter.briefs import Brief, BriefContext
from drafter.errors import Problem, Said, SaidError, UserError, english_only, said, said_of, validation_said
from drafter.i18n import LANGUAGES
from drafter.text_input import LineIndex

MAX_FILE_BYTES = text_input.MAX_FILE_BYTES
"""Files larger than this are refused unread. A brief is a few KiB; 10,000 CSV rows with a short
text each take about 5 MiB, so 10 MiB leaves room for big spreadsheets and still bounds memory."""

MAX_PROBLEMS = 50
"""At most this many problems are listed per file; the rest are counted."""

MAX_WARNINGS = 20
"""At most this many warnings are returned per file, then one line counts the rest (a sheet with
100,000 unknown columns must not print 100,000 lines)."""

MAX_METADATA_KEYS = 100
"""Unknown fields are kept as metadata, at most this many per brief (more refuses the file: nothing is
dropped silently)."""

MAX_METADATA_KEY_CHARS = 100
MAX_METADATA_CHARS = 2_000
"""An unknown field's name and value (as JSON) may be at most this long; metadata is for short notes
such as a priority or a campaign code, not for text."""

Format = Literal["markdown", "yaml", "json", "csv"]

EXTENSIONS: dict[str, Format] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".csv": "csv",
    # Excel's "Unicode-Text" (UTF-16 with a BOM, tab-separated) and other tab-separated sheets
    ".tsv": "csv",
    ".txt": "csv",
}

TAB_SEPARATED: frozenset[str] = frozenset({".tsv"})
"""Extensions whose delimiter is a tab whatever the header looks like (``.txt`` and ``.csv`` are sniffed)."""

BRIEF_FIELDS: tuple[str, ...] = tuple(name for name in Brief.model_fields if name != "metadata")
REQUIRED_FIELDS: tuple[str, ...] = ("title", "business_unit", "goal")
#: the required fields as a German header names them (what the German report asks for)
GERMAN_COLUMNS = {"title": "Titel", "business_unit": "Bereich", "goal": "Ziel"}

# Alternative spellings of field names (after folding: lower case, spaces/dashes -> "_").
FIELD_ALIASES: dict[str, str] = {
    "kennung": "id",
    "titel": "title",
    "thema": "title",
    "betreff": "title",
    "bu": "business_unit",
    "unit": "business_unit",
    "bereich": "business_unit",
    "geschäftsbereich": "business_unit",
    "geschaeftsbereich": "business_unit",
    "geschäftseinheit": "business_unit",
    "absender": "business_unit",
    "ziel": "goal",
    "channel": "channels",
    "kanal": "channels",
    "kanäle": "channels",
    "kanaele": "channels",
    "plattformen": "channels",
    "key_message": "key_messages",
    "botschaften": "key_messages",
    "kernbotschaften": "key_messages",
    "kernaussagen": "key_messages",
    "body": "text",
    "beschreibung": "text",
    "briefing": "text",
    "inhalt": "text",
    "ab": "not_before",
    "nicht_vor": "not_before",
    "gültig_ab": "not_before",
    "gueltig_ab": "not_before",
    "sperrfrist": "not_before",
    "sperrfrist_bis": "not_before",
    "start": "not_before",
    "embargo": "not_before",
    "expiry": "expires",
    "bis": "expires",
    "gültig_bis": "expires",
    "gueltig_bis": "expires",
    "ablauf": "expires",
    "ablaufdatum": "expires",
    "ende": "expires",
    "lang": "language",
    "sprache": "language",
    "klassifizierung": "classification",
    "klassifikation": "classification",
    "einstufung": "classification",
    "vertraulichkeit": "classification",
    "hashtag": "hashtags",
    "link": "links",
    "url": "links",
    "urls": "links",
    "kontakt": "contact",
    "ansprechpartner": "contact",
    "ansprechpartnerin": "contact",
    "ansprechperson": "contact",
}


# -- problems and errors ------------------------------------------------------------------------------
def _p(
    file: str,
    line: int | None,
    key: str | None,
    message: str | Said,
    unit: Literal["line", "row"] = "line",
    canonical: str | None = None,
) -> Problem:
    """A :class:`Problem` for a field named as written in the file ("Ziel"); its canonical name ("goal")
    is filled in when known, so messages read ``field 'Ziel' (goal)``."""
    field_name = canonical if canonical is not None else (canonical_field(key) if key is not None else None)
    if key is not None and field_name is None:
        field_name = key
    return Problem.at(file, message, line=line, field=field_name, unit=unit, key=key if key != field_name else None)


class BriefImportError(UserError):
    """A file was refused. ``problems`` lists what is wrong; nothing from the file was imported."""

    shown = MAX_PROBLEMS


@dataclass
class ParsedFile:
    """The briefs of one file, with the warnings raised while reading it."""

    path: str
    briefs: list[Brief]
    warnings: list[Problem] = field(default_factory=list)
    format: Format = "markdown"
    sha256: str = ""


# -- public API ---------------------------------------------------------------------------------------
def load_briefs(path: Path, context: BriefContext, warnings: list[Problem] | None = None) -> list[Brief]:
    """All briefs in ``path`` or :class:`BriefImportError` (nothing half-read).

    Warnings (unknown fields kept as metadata) are appended to ``warnings`` when given.
    """
    parsed = read_file(path, context)
    if warnings is not None:
        warnings.extend(parsed.warnings)
    return parsed.briefs


def load_brief(path: Path, context: BriefContext, warnings: list[Problem] | None = None) -> Brief:
    """The one brief in ``path``; a file holding none or several is an error."""
    briefs = load_briefs(path, context, warnings)
    if len(briefs) != 1:
        raise BriefImportError([_p(str(path), None, None, said("expected_one", count=len(briefs)))])
    return briefs[0]


def read_file(path: Path, context: BriefContext) -> ParsedFile:
    """Read and validate one regular file (size limit checked before reading; a FIFO is never opened
    for a blocking read)."""
    name = str(path)
    if path.is_dir():
        raise BriefImportError([_p(name, None, None, said("is_folder"))])
    fmt = detect_format(path)
    return parse_bytes(read_bytes(path), name, context, fmt)


def read_bytes(path: Path) -> bytes:
    """The bytes of a brief file, by :func:`drafter.text_input.read_bytes` (regular files only,
    :data:`MAX_FILE_BYTES` at most)."""
    try:
        return text_input.read_bytes(path, limit=MAX_FILE_BYTES)
    except text_input.TextInputError as exc:
        raise BriefImportError(exc.problems) from None


def detect_format(path: Path) -> Format:
    suffix = path.suffix.lower()
    fmt = EXTENSIONS.get(suffix)
    if fmt is None:
        spreadsheet = suffix in (".xlsx", ".xls", ".ods")
        known = ", ".join(EXTENSIONS)
        message = said("unsupported_spreadsheet" if spreadsheet else "unsupported_type", suffix=suffix, known=known)
        if not suffix:
            message = said("no_file_type", known=known)
        raise BriefImportError([_p(str(path), None, None, message)])
    return fmt


def parse_bytes(data: bytes, name: str, context: BriefContext, fmt: Format) -> ParsedFile:
    """Parse raw file content (``name`` is used in messages only)."""
    import hashlib

    check_size(name, len(data))
    text = decode(data, name)
    parsed = parse_text(text, name, context, fmt)
    parsed.sha256 = hashlib.sha256(data).hexdigest()
    return parsed


def parse_text(text: str, name: str, context: BriefContext, fmt: Format) -> ParsedFile:
    """Parse decoded text in the given format."""
    if not text.strip():
        raise BriefImportError([_p(name, None, None, said("empty_file"))])
    reader = _Reader(name, context)
    try:
        if fmt == "markdown":
            records = _markdown_records(text, name)
        elif fmt == "yaml":
            records = _yaml_records(text, name)
        elif fmt == "json":
            records = _json_records(text, name)
        else:
            records = _csv_records(text, name, reader)
    except RecursionError as exc:
        raise BriefImportError([_p(name, None, None, said("nested_file"))]) from exc
    briefs = reader.validate(records)
    return ParsedFile(path=name, briefs=briefs, warnings=reader.finish_warnings(), format=fmt)


def decode(data: bytes, name: str) -> str:
    """Bytes -> text by drafter's one decoding policy (:mod:`drafter.text_input`), with the
    Windows-1252 fallback that spreadsheets need."""
    try:
        return text_input.decode(data, name, legacy=True)
    except text_input.TextInputError as exc:
        raise BriefImportError(exc.problems) from None


def check_size(name: str, size: int) -> None:
    """Refuse a file over :data:`MAX_FILE_BYTES` (before reading it)."""
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 1024 // 1024
        message = said("file_too_large", size=f"{size / 1024 / 1024:.1f}", limit=limit)
        raise BriefImportError([_p(name, None, None, message)])


# -- records: raw mappings with positions -------------------------------------------------------------
@dataclass
class _Record:
    """One raw brief before validation: values by original key, and where each came from."""

    values: dict[str, Any]
    line: int | None  # where the brief starts (line, or CSV row)
    key_lines: dict[str, int] = field(default_factory=dict)
    unit: Literal["line", "row"] = "line"
    defaults: dict[str, Any] = field(default_factory=dict)  # e.g. Markdown body -> text


def _fold_key(key: Any) -> str:
    text = unicodedata.normalize("NFKC", str(key)).strip().casefold()
    return re.sub(r"[\s\-.]+", "_", text).strip("_")


@functools.lru_cache(maxsize=4096)
def canonical_field(key: str) -> str | None:
    """The Brief field a (possibly German or oddly written) key names, or None when unknown."""
    folded = _fold_key(key)
    if folded in BRIEF_FIELDS or folded == "metadata":
        return folded
    return FIELD_ALIASES.get(folded)


# YAML ------------------------------------------------------------------------------------------------
def _yaml_error(exc: yaml.YAMLError, name: str, line_offset: int) -> BriefImportError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 + line_offset if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    context_text = f" ({context})" if context else ""
    detail = _syntax_detail("yaml", problem)
    message = said("yaml_syntax", problem=english_only(problem), context=english_only(context_text), detail=detail)
    return BriefImportError([_p(name, line, None, message)])


#: what PyYAML, json and csv say most often (start of their message) -> ``[problems.syntax]`` key: the
#: English keeps the library's words, other languages say these in their own (or only "syntax error")
_SYNTAX_DETAILS: dict[str, tuple[tuple[str, str], ...]] = {
    "yaml": (
        ("mapping values are not allowed", "colon_in_value"),
        ("could not find expected ':'", "missing_colon"),
        ("found character '\\t'", "tab"),
        ("found a tab character", "tab"),
        ("found unexpected end of stream", "unclosed_quote"),
        ("found undefined alias", "undefined_alias"),
        ("expected <block end>", "indentation"),
        ("did not find expected key", "indentation"),
        ("did not find expected '-' indicator", "indentation"),
        ("did not find expected node content", "missing_value"),
        ("found unknown escape character", "escape"),
        ("expected ',' or ']'", "unclosed_list"),
        ("expected ',' or '}'", "unclosed_mapping"),
        # libyaml's wording (the pure-Python parser's is above)
        ("did not find expected ',' or ']'", "unclosed_list"),
        ("did not find expected ',' or '}'", "unclosed_mapping"),
        ("found character that cannot start any token", "fix_core.syntax_bad_start"),
        ("did not find expected alphabetic or numeric character", "fix_core.syntax_anchor_name"),
    ),
    "json": (
        ("Expecting value", "json_value"),
        ("Expecting ',' delimiter", "json_comma"),
        ("Expecting ':' delimiter", "missing_colon"),
        ("Expecting property name enclosed in double quotes", "json_key_quotes"),
        ("Unterminated string", "unclosed_quote"),
        ("Invalid control character", "json_control"),
        ("Invalid \\escape", "escape"),
    ),
    "csv": (
        ("unexpected end of data", "unclosed_quote"),
        ("',' expected after '\"'", "csv_quote"),
        ("';' expected after '\"'", "csv_quote"),
        ("'\\t' expected after '\"'", "csv_quote"),
        ("new-line character seen in unquoted field", "csv_newline"),
        ("line contains NUL", "csv_nul"),
    ),
}


def _syntax_detail(kind: str, problem: str) -> Said:
    """A :class:`Said` for a parser's own message: known ones in the UI language; others quoted as the
    parser's words (other languages than English only — the English message holds them already)."""
    for start, key in _SYNTAX_DETAILS[kind]:
        if problem.startswith(start):
            return said(key if "." in key else f"syntax.{key}")
    # the English message holds the parser's words already: quoted in the other languages only
    return said("fix_core.syntax_parser", problem={lang: problem for lang in LANGUAGES if lang != "en"})


# libyaml's parser when PyYAML has it (about 10x faster); both only build plain nodes, no objects.
_COMPOSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose_all(text: str, name: str, line_offset: int = 0) -> list[yaml.Node]:
    try:
        nodes = [n for n in yaml.compose_all(text, Loader=_COMPOSER) if n is not None]
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, name, line_offset) from exc
    for node in nodes:
        _check_aliases(node, name, line_offset)
    return nodes


MAX_YAML_NODES = 100_000
"""Anchors and aliases (``&x`` / ``*x``, merge keys ``<<: *x``) are allowed, but they may not refer
to themselves, and once the expanded document holds more than this many values it may not be more
than four times as large as what is written ("billion laughs")."""


def _check_aliases(root: yaml.Node, name: str, line_offset: int) -> None:
    """Refuse self-referencing aliases and documents whose expansion would be huge."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            line = node.start_mark.line + 1 + line_offset
            raise BriefImportError([_p(name, line, None, said("yaml_alias_self"))])
        active.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item) for item in node.value)
        active.discard(key)
        if total > MAX_YAML_NODES and total > 4 * (len(sizes) + 1):
            line = node.start_mark.line + 1 + line_offset
            message = said("yaml_too_large", limit=MAX_YAML_NODES)
            raise BriefImportError([_p(name, line, None, message)])
        sizes[key] = total
        return total

    size(root)


_COMMENT_VALUE = re.compile(r":[ \t]+#")


@dataclass
class _YamlSource:
    name: str
    text: str
    line_offset: int = 0
    loader: yaml.SafeLoader = field(default_factory=lambda: yaml.SafeLoader(""))

    def line(self, node: yaml.Node) -> int:
        return int(node.start_mark.line) + 1 + self.line_offset

    def construct(self, node: yaml.Node) -> Any:
        try:
            return self.loader.construct_document(node)
        except yaml.YAMLError as exc:
            raise _yaml_error(exc, self.name, self.line_offset) from exc
        except (TypeError, ValueError, OverflowError) as exc:  # e.g. an integer with 5,000 digits
            raise BriefImportError(
                [_p(self.name, self.line(node), None, said("yaml_value", error=english_only(str(exc))))]
            ) from exc

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def source_line(self, node: yaml.Node) -> str:
        lines = self.lines
        index = int(node.start_mark.line)
        return lines[index] if 0 <= index < len(lines) else ""


def _yaml_mapping_record(node: yaml.Node, src: _YamlSource) -> _Record:
    line = src.line(node)
    if not isinstance(node, yaml.MappingNode):
        raise BriefImportError([_p(src.name, line, None, said("expected_mapping", got=_kind(node)))])
    own: dict[str, int] = {}
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
            if key_node.value in own:
                raise BriefImportError(
                    [
                        _p(
                            src.name,
                            src.line(key_node),
                            key_node.value,
                            said("twice_first_line", line=own[key_node.value]),
                        )
                    ]
                )
            own[key_node.value] = src.line(key_node)
    try:
        src.loader.flatten_mapping(node)  # merge keys ("<<: *defaults"); the brief's own keys win
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, src.name, src.line_offset) from exc
    values: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key_line = src.line(key_node)
        key = src.construct(key_node)
        if isinstance(key, (list, dict, set, bytes)):
            raise BriefImportError([_p(src.name, key_line, None, said("key_not_text"))])
        key = str(key)
        key_lines[key] = key_line
        if canonical_field(key) in BRIEF_FIELDS and isinstance(value_node, yaml.ScalarNode):
            # Known fields take the scalar as written: YAML 1.1 would turn "no" into False,
            # "0171" into an octal number and 2026-02-31 into a crash.
            if value_node.tag == "tag:yaml.org,2002:null":
                if _COMMENT_VALUE.search(src.source_line(key_node)):
                    raise BriefImportError(
                        [
                            _p(
                                src.name,
                                key_line,
                                key,
                                said("hash_comment"),
                            )
                        ]
                    )
                values[key] = None
            else:
                values[key] = value_node.value
        else:
            values[key] = src.construct(value_node)
    return _Record(values=values, line=line, key_lines=key_lines)


def _kind(node: yaml.Node) -> Said:
    if isinstance(node, yaml.SequenceNode):
        return said("kind.list")
    if isinstance(node, yaml.MappingNode):
        return said("kind.a_mapping")
    return said("kind.value", value=str(node.value)[:40])


def _yaml_records(text: str, name: str) -> list[_Record]:
    nodes = _compose_all(text, name)
    if not nodes:
        raise BriefImportError([_p(name, None, None, said("no_brief"))])
    src = _YamlSource(name, text)
    records: list[_Record] = []
    for node in nodes:
        items = _unwrap_yaml(node)
        records.extend(_yaml_mapping_record(item, src) for item in items)
    return records


def _unwrap_yaml(node: yaml.Node) -> list[yaml.Node]:
    """A document is one brief, a list of briefs, or ``{briefs: [...]}``."""
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode) and len(node.value) == 1:
        key, value = node.value[0]
        if isinstance(key, yaml.ScalarNode) and _fold_key(key.value) == "briefs":
            if isinstance(value, yaml.SequenceNode):
                return list(value.value)
            return [value]
    return [node]


# Markdown --------------------------------------------------------------------------------------------
def _markdown_records(text: str, name: str) -> list[_Record]:
    from frontmatter.default_handlers import YAMLHandler

    handler = YAMLHandler()
    if not handler.detect(text):
        raise BriefImportError(
            [
                _p(
                    name,
                    1,
                    None,
                    said("markdown_front_matter"),
                )
            ]
        )
    try:
        front, body = handler.split(text)
    except ValueError as exc:
        raise BriefImportError([_p(name, 1, None, said("front_matter_unclosed"))]) from exc
    assert handler.FM_BOUNDARY is not None
    first = handler.FM_BOUNDARY.search(text)
    offset = text.count("\n", 0, first.end()) if first else 0
    nodes = _compose_all(front, name, offset)
    if len(nodes) != 1:
        raise BriefImportError([_p(name, offset + 1, None, said("front_matter_empty"))])
    record = _yaml_mapping_record(nodes[0], _YamlSource(name, front, offset))
    body = body.strip()
    if body:
        for key in record.values:
            if canonical_field(key) == "text" and record.values[key] not in (None, ""):
                raise BriefImportError(
                    [
                        _p(
                            name,
                            record.key_lines[key],
                            key,
                            said("text_twice"),
                        )
                    ]
                )
        record.defaults["text"] = body
    return [record]


# JSON ------------------------------------------------------------------------------------------------
def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _json_records(text: str, name: str) -> list[_Record]:
    decoder = json.JSONDecoder(object_pairs_hook=_json_pairs)
    try:
        data, end = decoder.raw_decode(text, _skip_ws(text, 0))
    except json.JSONDecodeError as exc:
        raise BriefImportError(
            [
                _p(
                    name,
                    exc.lineno,
                    None,
                    said(
                        "json_syntax",
                        problem=english_only(exc.msg),
                        column=exc.colno,
                        detail=_syntax_detail("json", exc.msg),
                    ),
                )
            ]
        ) from exc
    except ValueError as exc:  # e.g. an integer with 5,000 digits
        if not isinstance(exc, _DuplicateKey):
            raise BriefImportError([_p(name, None, None, said("json_value", error=english_only(str(exc))))]) from exc
        keys = _JsonKeys(text)
        pos = keys.find(exc.key, 0, len(text), nth=2)  # the second one is the duplicate
        line = keys.lines.line(pos) if pos is not None else None
        raise BriefImportError([_p(name, line, exc.key, said("twice"))]) from exc
    if _skip_ws(text, end) != len(text):
        line = LineIndex(text).line(_skip_ws(text, end))
        raise BriefImportError([_p(name, line, None, said("json_extra"))])

    # Where each brief object starts and ends, to point at lines.
    spans: list[tuple[int, int]]
    items: list[Any]
    if isinstance(data, list):
        items, spans = data, _array_spans(text, _skip_ws(text, 0), decoder)
    elif isinstance(data, dict) and len(data) == 1 and _fold_key(next(iter(data))) == "briefs":
        inner = next(iter(data.values()))
        match = re.search(r'"[^"]*"\s*:\s*', text)
        start = _skip_ws(text, match.end()) if match else 0
        if isinstance(inner, list):
            items, spans = inner, _array_spans(text, start, decoder)
        else:
            items, spans = [inner], [(start, len(text))]
    else:
        items, spans = [data], [(_skip_ws(text, 0), len(text))]

    records = []
    keys = _JsonKeys(text)
    lines = keys.lines
    for item, (start, stop) in zip(items, spans, strict=False):
        line = lines.line(start)
        if not isinstance(item, dict):
            raise BriefImportError(
                [
                    _p(
                        name,
                        line,
                        None,
                        said("expected_object", type=type(item).__name__),
                    )
                ]
            )
        first = keys.first_in(start, stop)
        key_lines = {}
        for key in item:
            pos = first.get(key)
            key_lines[key] = lines.line(pos) if pos is not None else line
        records.append(_Record(values=item, line=line, key_lines=key_lines))
    return records


def _skip_ws(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _array_spans(text: str, start: int, decoder: json.JSONDecoder) -> list[tuple[int, int]]:
    """Start/end offsets of the elements of the JSON array beginning at ``start``."""
    spans: list[tuple[int, int]] = []
    index = _skip_ws(text, start + 1)  # past '['
    while index < len(text) and text[index] != "]":
        _, end = decoder.raw_decode(text, index)
        spans.append((index, end))
        index = _skip_ws(text, end)
        if index < len(text) and text[index] == ",":
            index = _skip_ws(text, index + 1)
    return spans


#: a JSON string, whole (possessive: an escaped quote is never where a string starts or ends); searched from
#: left to right, each one found after the one before, so the text is read once (a search for '"key":' from
#: every quote read a 40,000-quote string value once per quote: 50 s for 80 KB, a hostile probe)
_JSON_STRING = re.compile(r'"((?:[^"\\]++|\\.)*+)"')
_JSON_COLON = re.compile(r"\s*+:")


class _JsonKeys:
    """Where every ``"key":`` of a JSON text is, found in one pass, so that pointing each field of
    each brief at its line stays linear in the size of the file (a search per key was quadratic:
    120,000 keys took 84 s). A key's position is its first occurrence in a brief's span — nested
    objects may repeat a name, which only moves the reported line, never the data."""

    def __init__(self, text: str) -> None:
        self.lines = LineIndex(text)
        self._positions: list[int] = []
        self._raw: list[str] = []
        colon = _JSON_COLON.match
        for match in _JSON_STRING.finditer(text):
            if colon(text, match.end()):  # a string followed by ":" is a key
                self._positions.append(match.start())
                self._raw.append(match.group(1))

    @staticmethod
    def _decode(raw: str) -> str:
        if "\\" not in raw:
            return raw
        try:
            return str(json.loads(f'"{raw}"'))
        except ValueError:
            return raw

    def _indices(self, start: int, stop: int) -> range:
        return range(bisect.bisect_left(self._positions, start), bisect.bisect_left(self._positions, stop))

    def first_in(self, start: int, stop: int) -> dict[str, int]:
        """Key -> offset of its first ``"key":`` in ``text[start:stop]``."""
        out: dict[str, int] = {}
        for i in self._indices(start, stop):
            out.setdefault(self._decode(self._raw[i]), self._positions[i])
        return out

    def find(self, key: str, start: int, stop: int, nth: int = 1) -> int | None:
        """Offset of the ``nth`` ``"key":`` in ``text[start:stop]``."""
        found = 0
        for i in self._indices(start, stop):
            if self._decode(self._raw[i]) == key:
                found += 1
                if found == nth:
                    return self._positions[i]
        return None


# CSV -------------------------------------------------------------------------------------------------
def detect_delimiter(header: str) -> str:
    """The delimiter of a CSV header line: the most frequent of ``;``, ``,`` and tab outside quotes."""
    counts = dict.fromkeys(";,\t", 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: (counts[c], c == ";"))
    return best if counts[best] else ","


def _csv_records(text: str, name: str, reader: _Reader) -> list[_Record]:
    csv.field_size_limit(MAX_FILE_BYTES + 1)
    lines = text.splitlines(keepends=True)
    first = lines[0] if lines else ""
    sep = re.match(r'^"?sep=(.)"?\s*$', first.strip("\r\n"))  # Excel's delimiter hint line
    if sep:
        delimiter = sep.group(1)
        text = text[len(first) :]
    elif Path(name).suffix.lower() in TAB_SEPARATED:
        delimiter = "\t"
    else:
        delimiter = detect_delimiter(_first_record(text))
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
    row_number = 0
    header: list[tuple[str, str | None]] = []
    records: list[_Record] = []
    try:
        for cells in rows:
            row_number += 1
            if row_number == 1:
                header = _csv_header(cells, name, reader)
                continue
            if not any(c.strip() for c in cells):
                continue  # blank row
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                raise BriefImportError(
                    [
                        _p(
                            name,
                            row_number,
                            None,
                            said("row_too_long", cells=len(cells), columns=len(header)),
                            unit="row",
                        )
                    ]
                )
            values: dict[str, Any] = {}
            for (column, _canonical), cell in zip(header, cells, strict=False):
                if column == "":
                    continue
                cell = cell.replace("\r\n", "\n").replace("\r", "\n")
                values[column] = cell if cell.strip() else None
            records.append(_Record(values=values, line=row_number, unit="row"))
    except csv.Error as exc:
        raise BriefImportError(
            [
                _p(
                    name,
                    row_number + 1,
                    None,
                    said("csv_syntax", problem=english_only(str(exc)), detail=_syntax_detail("csv", str(exc))),
                    unit="row",
                )
            ]
        ) from exc
    if row_number == 0:
        raise BriefImportError([_p(name, None, None, said("empty_file"))])
    if not records:
        raise BriefImportError([_p(name, 2, None, said("header_only"), unit="row")])
    return records


def _first_record(text: str) -> str:
    """The header record (it may span lines if a quoted name has a line break)."""
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            return text[:index]
    return text


def _csv_header(cells: list[str], name: str, reader: _Reader) -> list[tuple[str, str | None]]:
    header: list[tuple[str, str | None]] = []
    seen: dict[str, str] = {}
    for cell in cells:
        column = cell.strip()
        if not column:
            header.append(("", None))
            continue
        canonical = canonical_field(column)
        key = canonical or column
        if key in seen:
            raise BriefImportError([_p(name, 1, column, said("column_twice", other=seen[key]), unit="row")])
        seen[key] = column
        header.append((column, canonical))
    missing = [f for f in REQUIRED_FIELDS if f not in seen]
    if missing:
        found: str | Said = ", ".join(repr(c) for c, _ in header if c) or said("kind.nothing")
        raise BriefImportError(
            [
                _p(
                    name,
                    1,
                    missing[0],
                    said(
                        "missing_columns",
                        # in English with the German header beside it: a German Excel sheet is read by
                        # the English CLI too ("goal (Ziel)", a new-user probe)
                        columns={
                            "en": ", ".join(f"{f} ({GERMAN_COLUMNS[f]})" for f in missing),
                            "de": ", ".join(GERMAN_COLUMNS[f] for f in missing),
                        },
                        found=found,
                    ),
                    unit="row",
                )
            ]
        )
    unknown = sum(1 for column, canonical in header if column and canonical is None)
    if unknown > MAX_METADATA_KEYS:
        message = said("too_many_columns", count=unknown, limit=MAX_METADATA_KEYS)
        raise BriefImportError([_p(name, 1, None, message, unit="row")])
    for column, canonical in header:
        if column and canonical is None:
            reader.warn(_p(name, 1, column, said("unknown_column"), unit="row"))
    reader.csv_header_warned = True
    return header


# -- validation ---------------------------------------------------------------------------------------
class _Reader:
    def __init__(self, name: str, context: BriefContext) -> None:
        self.name = name
        self.context = context
        self.warnings: list[Problem] = []
        self.csv_header_warned = False
        self._unknown: dict[str, list[tuple[int | None, Literal["line", "row"]]]] = {}

    def warn(self, problem: Problem) -> None:
        self.warnings.append(problem)

    def finish_warnings(self) -> list[Problem]:
        """The warnings, at most :data:`MAX_WARNINGS` of them and a line that counts the rest."""
        if len(self.warnings) <= MAX_WARNINGS:
            return self.warnings
        hidden = len(self.warnings) - MAX_WARNINGS
        return [*self.warnings[:MAX_WARNINGS], _p(self.name, None, None, said("more_warnings", count=hidden))]

    def validate(self, records: Iterable[_Record]) -> list[Brief]:
        problems: list[Problem] = []
        briefs: list[Brief] = []
        first_seen: dict[str, int | None] = {}
        for record in records:
            brief = self._one(record, problems)
            if brief is None:
                continue
            if brief.id in first_seen:
                where = first_seen[brief.id]
                problems.append(
                    _p(
                        self.name,
                        record.line,
                        "id",
                        said("id_twice", id=brief.id)
                        if where is None
                        else said(f"id_twice_{record.unit}", id=brief.id, where=where),
                        unit=record.unit,
                    )
                )
                continue
            first_seen[brief.id] = record.line
            briefs.append(brief)
        self._warn_unknown()
        if problems:
            raise BriefImportError(problems[:MAX_PROBLEMS], more=max(0, len(problems) - MAX_PROBLEMS))
        if not briefs:
            raise BriefImportError([_p(self.name, None, None, "the file holds no brief")])
        return briefs

    def _one(self, record: _Record, problems: list[Problem]) -> Brief | None:
        if len(record.values) > MAX_METADATA_KEYS + len(BRIEF_FIELDS) + 1:
            # more unknown fields than metadata keeps, whatever the known ones are: refuse before
            # looking at each (a brief with 120,000 fields must be refused quickly)
            message = said(
                "too_many_fields", count=len(record.values), known=len(BRIEF_FIELDS), limit=MAX_METADATA_KEYS
            )
            problems.append(_p(self.name, record.line, None, message, unit=record.unit))
            return None
        data: dict[str, Any] = dict(record.defaults)
        metadata: dict[str, Any] = {}
        where: dict[str, str] = {}  # canonical field -> original key
        for key, value in record.values.items():
            canonical = canonical_field(key)
            line = record.key_lines.get(key, record.line)
            if canonical is None:
                if value is None and record.unit == "row":
                    continue  # an empty cell of an unknown column says nothing
                try:
                    metadata[key] = _metadata_value(key, value)
                except ValueError as exc:
                    problems.append(_p(self.name, line, key, said_of(exc), unit=record.unit))
                    return None
                if not (record.unit == "row" and self.csv_header_warned):
                    self._unknown.setdefault(key, []).append((line, record.unit))
                continue
            if canonical in where:
                problems.append(
                    _p(
                        self.name,
                        line,
                        key,
                        said("twice_also", other=where[canonical]),
                        unit=record.unit,
                    )
                )
                return None
            where[canonical] = key
            if canonical == "metadata":
                if value is None:
                    continue
                if not isinstance(value, dict):
                    problems.append(_p(self.name, line, key, said("metadata_mapping"), unit=record.unit))
                    return None
                try:
                    metadata.update({str(k): _metadata_value(str(k), v) for k, v in value.items()})
                except ValueError as exc:
                    problems.append(_p(self.name, line, key, said_of(exc), unit=record.unit))
                    return None
                continue
            if value is None and canonical in record.defaults:
                continue
            data[canonical] = value
        if len(metadata) > MAX_METADATA_KEYS:
            message = said("too_many_unknown", count=len(metadata), limit=MAX_METADATA_KEYS)
            problems.append(_p(self.name, record.line, None, message, unit=record.unit))
            return None
        if metadata:
            data["metadata"] = metadata
        try:
            return Brief.model_validate(data, context=self.context)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                problems.append(self._problem(error, record, where))
            return None
        except (TypeError, ValueError, OverflowError, RecursionError) as exc:  # defensive: odd inputs
            problems.append(
                _p(self.name, record.line, None, said("invalid_brief", error=english_only(str(exc))), unit=record.unit)
            )
            return None

    def _problem(self, error: Any, record: _Record, where: dict[str, str]) -> Problem:
        loc = error.get("loc") or ()
        canonical = str(loc[0]) if loc else None
        key = where.get(canonical, canonical) if canonical else None
        line = record.key_lines.get(key, record.line) if key else record.line
        return _p(self.name, line, key, validation_said(error), unit=record.unit, canonical=canonical)

    def _warn_unknown(self) -> None:
        for key, places in self._unknown.items():
            line, unit = places[0]
            message = said("unknown_kept_more", count=len(places) - 1) if len(places) > 1 else said("unknown_kept")
            self.warn(_p(self.name, line, key, message, unit=unit))


def _metadata_value(key: str, value: Any) -> Any:
    """An unknown field's value as metadata keeps it: JSON-able and short (see :data:`MAX_METADATA_CHARS`)."""
    if len(key) > MAX_METADATA_KEY_CHARS:
        raise SaidError(said("key_too_long", limit=MAX_METADATA_KEY_CHARS))
    kept = _jsonable(value)
    if len(json.dumps(kept, ensure_ascii=False)) > MAX_METADATA_CHARS:
        raise SaidError(said("metadata_too_long", limit=MAX_METADATA_CHARS))
    return kept


def _jsonable(value: Any, depth: int = 0) -> Any:
    """Metadata values as JSON can store them (dates -> ISO text, sets -> lists)."""
    if depth > 20:
        raise SaidError(said("nested_value"))
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_jsonable(v, depth + 1) for v in value), key=str)
    if isinstance(value, dict):
        return {str(k): _jsonable(v, depth + 1) for k, v in value.items()}
    raise SaidError(said("unsupported_value", type=type(value).__name__))
