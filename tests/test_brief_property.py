"""Property: random, truncated or mangled input never crashes the importer.

It either returns briefs or raises BriefImportError with at least one located problem.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from brief_helpers import CONTEXT, GOALS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafter import paths
from drafter.brief_import import BriefImportError, Format, parse_bytes

FORMATS: list[Format] = ["markdown", "yaml", "json", "csv"]
NAMES = {"markdown": "b.md", "yaml": "b.yaml", "json": "b.json", "csv": "b.csv"}

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _valid_inputs() -> dict[str, bytes]:
    md = next(iter(sorted(paths.sample_briefs_dir().glob("*.md")))).read_bytes()
    one = {
        "title": "Glasfaser",
        "business_unit": "Technik",
        "goal": "We Won't Stop",
        "channels": ["x", "linkedin"],
        "key_messages": ["Eins", "Zwei: drei"],
        "not_before": "01.12.2026",
        "expires": "2027-01-31",
        "hashtags": ["#Netz"],
        "extra": {"a": [1, 2.5, None]},
    }
    many = [one, {**one, "title": "Azubis", "goal": "werkstolz"}]
    csv = (
        "\ufefftitle;business_unit;goal;key_messages;expires;note\r\n"
        'Glasfaser;Technik;#Werkstolz;"Eins\r\nZwei";31.12.2026;x\r\n'
        "Azubis;Personal;love magenta;a|b;;\r\n"
    ).encode()
    return {
        "markdown": md,
        "yaml": yaml.safe_dump(many, allow_unicode=True).encode(),
        "json": json.dumps(many, ensure_ascii=False, indent=2).encode(),
        "csv": csv,
    }


VALID = _valid_inputs()


def attempt(data: bytes, fmt: Format) -> None:
    try:
        parsed = parse_bytes(data, NAMES[fmt], CONTEXT, fmt)
    except BriefImportError as exc:
        assert exc.problems, "a refusal names at least one problem"
        assert all(p.file == NAMES[fmt] and p.message for p in exc.problems)
        assert str(exc)
    else:
        assert parsed.briefs
        for brief in parsed.briefs:
            assert brief.id and brief.title and brief.business_unit
            assert brief.goal in GOALS
            brief.content_hash()  # storable


def test_valid_inputs_are_valid() -> None:
    for fmt in FORMATS:
        assert parse_bytes(VALID[fmt], NAMES[fmt], CONTEXT, fmt).briefs


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(data=st.binary(max_size=600))
def test_random_bytes(fmt: Format, data: bytes) -> None:
    attempt(data, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(text=st.text(max_size=400), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_random_text(fmt: Format, text: str, encoding: str) -> None:
    attempt(text.encode(encoding, errors="ignore"), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(cut=st.integers(min_value=0, max_value=10_000))
def test_truncated_valid_input(fmt: Format, cut: int) -> None:
    data = VALID[fmt]
    attempt(data[: cut % (len(data) + 1)], fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(at=st.integers(min_value=0, max_value=10_000), junk=st.binary(min_size=1, max_size=8), drop=st.booleans())
def test_mangled_valid_input(fmt: Format, at: int, junk: bytes, drop: bool) -> None:
    data = VALID[fmt]
    at %= len(data) + 1
    attempt(data[:at] + junk + data[at + (len(junk) if drop else 0) :], fmt)


_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
_values = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
)
_fields = st.sampled_from(
    ["title", "Titel", "business_unit", "goal", "Ziel", "channels", "key_messages", "text", "not_before",
     "expires", "language", "classification", "hashtags", "links", "contact", "id", "metadata", "other"]
)  # fmt: skip
_briefs = st.dictionaries(_fields, _values, max_size=10)


@SETTINGS
@given(doc=st.one_of(_briefs, st.lists(_briefs, max_size=4), _values))
def test_structured_yaml_and_json(doc: Any) -> None:
    attempt(json.dumps(doc, ensure_ascii=False).encode(), "json")
    attempt(yaml.safe_dump(doc, allow_unicode=True).encode(), "yaml")
    attempt(("---\n" + yaml.safe_dump(doc, allow_unicode=True) + "---\nText\n").encode(), "markdown")


@SETTINGS
@given(rows=st.lists(st.lists(st.text(max_size=20), min_size=0, max_size=6), max_size=6))
def test_structured_csv(rows: list[list[str]]) -> None:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["title", "business_unit", "goal", "channels", "expires"])
    writer.writerows(rows)
    attempt(out.getvalue().encode(), "csv")


@pytest.mark.parametrize(
    ("fmt", "data"),
    [
        ("json", b"[" * 100_000),
        ("yaml", b"[" * 100_000),
        ("yaml", b"a: " + b"[" * 5_000 + b"]" * 5_000),
        ("json", b'{"title": ' + b"1" * 6_000 + b"}"),
        ("yaml", b"title: A\nbusiness_unit: B\ngoal: werkstolz\nn: " + b"1" * 6_000 + b"\n"),
        ("yaml", b"a: &a [*a]\n"),
        ("yaml", b"title: !!binary aGVsbG8=\nbusiness_unit: B\ngoal: werkstolz\n"),
        ("yaml", b"title: A\nbusiness_unit: B\ngoal: werkstolz\nx: !!set {a, b}\nwhen: 2026-02-31\n"),
        ("csv", b'title;business_unit;goal\n"' + b"x" * 200_000 + b'";B;werkstolz\n'),
    ],
)
def test_hostile_inputs(fmt: Format, data: bytes) -> None:
    attempt(data, fmt)
