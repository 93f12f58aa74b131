"""Reading brief files: every format, encoding and delimiter, and every kind of bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from brief_helpers import CHANNELS, CONTEXT

from drafter import brief_import
from drafter.brief_import import BriefImportError, load_brief, load_briefs, parse_bytes
from drafter.briefs import BriefContext, Classification


@pytest.fixture
def context() -> BriefContext:
    return CONTEXT


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path so messages name files as a user typed them ("briefs.csv")."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = Path(name)
    if isinstance(content, str):
        content = content.encode(encoding)
    path.write_bytes(content)
    return path


def refused(path: Path, context: BriefContext) -> BriefImportError:
    with pytest.raises(BriefImportError) as info:
        load_briefs(path, context)
    return info.value


MD = """---
id: netz-winter
title: Glasfaser im Winter
business_unit: Technik
goal: "#WeWontStop"
channels: [linkedin, x]
key_messages:
  - Wir bauen weiter.
  - Verfügbarkeit online prüfen.
not_before: 01.12.2026
expires: 2027-02-28
classification: public
hashtags: [Glasfaser, "#Netz"]
links: https://example.com/glasfaser
contact: Team Netz
---

Der **Brief-Text** mit Umlauten: äöü ß.
"""


# -- Markdown -----------------------------------------------------------------------------------------
def test_markdown_front_matter_and_body(here: Path, context: BriefContext) -> None:
    brief = load_brief(write("brief.md", MD), context)
    assert brief.id == "netz-winter"
    assert brief.goal == "WeWontStop"
    assert brief.channels == ("linkedin", "x")
    assert brief.key_messages == ("Wir bauen weiter.", "Verfügbarkeit online prüfen.")
    assert brief.not_before == dt.date(2026, 12, 1)
    assert brief.expires == dt.date(2027, 2, 28)
    assert brief.classification is Classification.PUBLIC
    assert brief.hashtags == ("#Glasfaser", "#Netz")
    assert brief.links == ("https://example.com/glasfaser",)
    assert brief.text == "Der **Brief-Text** mit Umlauten: äöü ß."
    assert brief.language == "de"


def test_markdown_defaults_and_derived_id(here: Path, context: BriefContext) -> None:
    brief = load_brief(
        write("b.md", "---\ntitle: Azubis gesucht\nbusiness_unit: Personal\ngoal: werkstolz\n---\n"), context
    )
    assert brief.id == "personal-azubis-gesucht"
    assert brief.channels == tuple(CHANNELS)  # default: all channels of the guidelines
    assert brief.classification is Classification.INTERNAL
    assert brief.text == ""


def test_markdown_yaml_error_names_file_line(here: Path, context: BriefContext) -> None:
    error = refused(write("b.md", "---\ntitle: A\nbusiness_unit: [B\ngoal: werkstolz\n---\nText\n"), context)
    problem = error.problems[0]
    assert problem.file == "b.md"
    assert problem.line in (3, 4, 5)  # the YAML parser notices the open bracket on a following line
    assert "YAML syntax error" in problem.message


def test_markdown_field_error_points_at_file_line(here: Path, context: BriefContext) -> None:
    text = "---\n# comment\ntitle: A\nbusiness_unit: B\ngoal: Lovemagnta\n---\nText\n"
    error = refused(write("b.md", text), context)
    assert str(error).startswith("b.md: line 5, field 'goal': unknown goal 'Lovemagnta'; expected one of:")
    assert "LoveMagenta, WeWontStop, Werkstolz" in str(error)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("title: A\n", "starts with front matter"),
        ("---\ntitle: A\nbusiness_unit: B\ngoal: werkstolz\n", "not closed"),
        ("---\ntitle: A\nbusiness_unit: B\ngoal: werkstolz\ntext: eins\n---\nzwei\n", "given twice"),
        ("---\n---\nnur Text\n", "no fields"),
        ("---\n- a\n- b\n---\n", "expected a brief"),
    ],
)
def test_markdown_structure_errors(here: Path, context: BriefContext, text: str, needle: str) -> None:
    assert needle in str(refused(write("b.md", text), context))


# -- YAML ---------------------------------------------------------------------------------------------
YAML_LIST = """\
- title: Eins
  business_unit: Technik
  goal: love magenta
- title: Zwei
  business_unit: Personal
  goal: We Won't Stop
  language: en
  id: 0171
"""


def test_yaml_list(here: Path, context: BriefContext) -> None:
    briefs = load_briefs(write("b.yaml", YAML_LIST), context)
    assert [b.goal for b in briefs] == ["LoveMagenta", "WeWontStop"]
    assert briefs[1].language == "en"
    assert briefs[1].id == "0171"  # taken as written, not as YAML 1.1's octal number


def test_yaml_single_and_wrapper_and_documents(here: Path, context: BriefContext) -> None:
    single = "title: A\nbusiness_unit: B\ngoal: Werkstolz\n"
    assert len(load_briefs(write("one.yml", single), context)) == 1
    wrapped = (
        "briefs:\n"
        "  - title: A\n    business_unit: B\n    goal: werkstolz\n"
        "  - title: C\n    business_unit: B\n    goal: werkstolz\n"
    )
    assert [b.title for b in load_briefs(write("w.yaml", wrapped), context)] == ["A", "C"]
    docs = single + "---\ntitle: D\nbusiness_unit: B\ngoal: werkstolz\n"
    assert [b.title for b in load_briefs(write("d.yaml", docs), context)] == ["A", "D"]


def test_yaml_goal_error_has_line_of_second_brief(here: Path, context: BriefContext) -> None:
    error = refused(write("b.yaml", YAML_LIST.replace("We Won't Stop", "Weltfrieden")), context)
    assert [(p.line, p.field) for p in error.problems] == [(6, "goal")]


def test_yaml_syntax_error_line(here: Path, context: BriefContext) -> None:
    error = refused(write("b.yaml", "title: A\nbusiness_unit: B\ngoal: 'open\n"), context)
    assert error.problems[0].line is not None
    assert "YAML syntax error" in str(error)


def test_yaml_duplicate_key(here: Path, context: BriefContext) -> None:
    error = refused(write("b.yaml", "title: A\nbusiness_unit: B\ngoal: werkstolz\ntitle: C\n"), context)
    assert (error.problems[0].line, error.problems[0].field) == (4, "title")


def test_yaml_merge_keys_work(here: Path, context: BriefContext) -> None:
    text = "- &common\n  title: A\n  business_unit: Technik\n  goal: werkstolz\n- <<: *common\n  title: B\n"
    briefs = load_briefs(write("b.yaml", text), context)
    assert [(b.title, b.business_unit, b.goal) for b in briefs] == [
        ("A", "Technik", "Werkstolz"),
        ("B", "Technik", "Werkstolz"),
    ]


def test_yaml_alias_bombs_refused(here: Path, context: BriefContext) -> None:
    lines = ["l0: &l0 [" + ", ".join(["lol"] * 10) + "]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 7)]
    bomb = "\n".join(lines) + "\ntitle: A\nbusiness_unit: B\ngoal: werkstolz\n"
    assert "expands to more than" in str(refused(write("b.yaml", bomb), context))
    assert "refers to itself" in str(refused(write("c.yaml", "a: &a [*a]\ntitle: A\n"), context))


def test_yaml_unquoted_hashtag_is_explained(here: Path, context: BriefContext) -> None:
    error = refused(write("b.yaml", "title: A\nbusiness_unit: B\ngoal: werkstolz\nhashtags: #Netz\n"), context)
    assert (error.problems[0].line, error.problems[0].field) == (4, "hashtags")
    assert "comment" in error.problems[0].message


def test_yaml_only_safe_tags(here: Path, context: BriefContext) -> None:
    evil = "title: !!python/object/apply:os.system ['echo hacked']\nbusiness_unit: B\ngoal: werkstolz\n"
    error = refused(write("b.yaml", evil), context)
    assert "YAML" in str(error)


# -- JSON ---------------------------------------------------------------------------------------------
def test_json_one_list_wrapper(here: Path, context: BriefContext) -> None:
    one = {"title": "A", "business_unit": "B", "goal": "Werkstolz", "channels": ["x"]}
    assert load_brief(write("a.json", json.dumps(one)), context).channels == ("x",)
    many = [one, {**one, "title": "C"}]
    assert len(load_briefs(write("b.json", json.dumps(many, indent=2)), context)) == 2
    wrapped = {"briefs": many}
    assert len(load_briefs(write("c.json", json.dumps(wrapped, indent=2)), context)) == 2


def test_json_syntax_error_line(here: Path, context: BriefContext) -> None:
    error = refused(write("b.json", '[\n {"title": "A",\n  "goal": }\n]'), context)
    assert error.problems[0].line == 3
    assert "JSON syntax error" in error.problems[0].message


def test_json_field_error_line(here: Path, context: BriefContext) -> None:
    text = (
        '[\n {"title": "A", "business_unit": "B", "goal": "werkstolz"},\n'
        ' {"title": "C",\n  "business_unit": "B",\n  "goal": "werkstolz",\n  "expires": "31.02.2027"}\n]\n'
    )
    error = refused(write("b.json", text), context)
    assert [(p.line, p.field) for p in error.problems] == [(6, "expires")]
    assert "not a date" in error.problems[0].message


def test_json_missing_field_names_brief_start(here: Path, context: BriefContext) -> None:
    text = '[\n {"title": "A", "business_unit": "B", "goal": "werkstolz"},\n {"title": "C", "goal": "werkstolz"}\n]'
    error = refused(write("b.json", text), context)
    assert [(p.line, p.field, p.message) for p in error.problems] == [(3, "business_unit", "required field is missing")]


def test_json_duplicate_key(here: Path, context: BriefContext) -> None:
    error = refused(
        write("b.json", '{"title": "A",\n "title": "B", "business_unit": "B", "goal": "werkstolz"}'), context
    )
    assert (error.problems[0].line, error.problems[0].field) == (2, "title")


def test_expires_before_not_before(here: Path, context: BriefContext) -> None:
    data = {
        "title": "A",
        "business_unit": "B",
        "goal": "werkstolz",
        "not_before": "2027-01-02",
        "expires": "01.01.2027",
    }
    error = refused(write("b.json", json.dumps(data)), context)
    assert error.problems[0].field == "expires"


# -- CSV ----------------------------------------------------------------------------------------------
CSV_DE = (
    "Titel;Geschäftsbereich;Ziel;Kanäle;Kernbotschaften;Gültig ab;Gültig bis;Priorität\r\n"
    '"Glasfaser; jetzt – für alle";Technik;#Werkstolz;"LinkedIn, X";'
    '"Erste Botschaft\r\nZweite Botschaft";01.12.2026;31.12.2026;hoch\r\n'
    "Azubis;Personal;love magenta;instagram|threads;Eins|Zwei;;;\r\n"
)


def test_csv_excel_germany_cp1252_semicolon(here: Path, context: BriefContext) -> None:
    warnings: list[brief_import.Problem] = []
    briefs = load_briefs(write("briefs.csv", CSV_DE, "cp1252"), context, warnings)
    assert [b.title for b in briefs] == ["Glasfaser; jetzt – für alle", "Azubis"]
    assert briefs[0].goal == "Werkstolz"
    assert briefs[0].channels == ("linkedin", "x")
    assert briefs[0].key_messages == ("Erste Botschaft", "Zweite Botschaft")
    assert briefs[0].not_before == dt.date(2026, 12, 1)
    assert briefs[1].channels == ("instagram", "threads")
    assert briefs[1].key_messages == ("Eins", "Zwei")
    assert briefs[0].metadata == {"Priorität": "hoch"}
    assert [(w.line, w.field, w.unit) for w in warnings] == [(1, "Priorität", "row")]


def test_csv_utf8_bom_comma(here: Path, context: BriefContext) -> None:
    text = 'title,business_unit,goal,text\n"Hallo, Welt",Technik,WeWontStop,"Zeile 1\nZeile 2 mit ""Zitat"""\n'
    briefs = load_briefs(write("b.csv", "\ufeff" + text), context)
    assert briefs[0].title == "Hallo, Welt"
    assert briefs[0].text == 'Zeile 1\nZeile 2 mit "Zitat"'


def test_csv_utf8_without_bom_and_tab(here: Path, context: BriefContext) -> None:
    text = "title\tbusiness_unit\tgoal\nÄrger vermeiden\tKundenservice\tlove magenta\n"
    assert load_brief(write("b.csv", text), context).title == "Ärger vermeiden"


def test_csv_utf16_with_bom(here: Path, context: BriefContext) -> None:
    text = "title\tbusiness_unit\tgoal\nÜbersicht\tTechnik\twerkstolz\n"
    assert load_brief(write("b.csv", text, "utf-16"), context).title == "Übersicht"


def test_csv_excel_sep_hint_line(here: Path, context: BriefContext) -> None:
    text = "sep=,\ntitle,business_unit,goal\nA;B,Technik,werkstolz\n"
    assert load_brief(write("b.csv", text), context).title == "A;B"


def test_csv_row_numbers_follow_excel_with_multiline_cells_and_blank_rows(here: Path, context: BriefContext) -> None:
    text = (
        "title;business_unit;goal;key_messages\n"  # row 1
        'A;Technik;werkstolz;"eins\nzwei\ndrei"\n'  # row 2 (three lines)
        ";;;\n"  # row 3, empty
        "B;Technik;werkstolz;\n"  # row 4
        "C;Technik;Lovemagnta;\n"  # row 5
    )
    error = refused(write("briefs.csv", text), context)
    assert str(error) == (
        "briefs.csv: row 5, field 'goal': unknown goal 'Lovemagnta'; "
        "expected one of: LoveMagenta, WeWontStop, Werkstolz"
    )
    assert [(p.file, p.line, p.field, p.unit) for p in error.problems] == [("briefs.csv", 5, "goal", "row")]


def test_csv_german_header_named_in_message(here: Path, context: BriefContext) -> None:
    error = refused(write("b.csv", CSV_DE.replace("#Werkstolz", "Werkstoltz"), "cp1252"), context)
    assert str(error).startswith("b.csv: row 2, field 'Ziel' (goal): unknown goal 'Werkstoltz'")


def test_csv_reports_every_bad_row(here: Path, context: BriefContext) -> None:
    text = "title;business_unit;goal;expires\nA;T;werkstolz;morgen\n;T;werkstolz;\nC;T;werkstolz;\n"
    error = refused(write("b.csv", text), context)
    assert [(p.line, p.field) for p in error.problems] == [(2, "expires"), (3, "title")]


@pytest.mark.parametrize(
    ("text", "row", "needle"),
    [
        ("title;goal\nA;werkstolz\n", 1, "lacks the column(s) business_unit (Bereich)"),
        ("title;business_unit;goal;Titel\nA;B;werkstolz;C\n", 1, "column given twice"),
        ("title;business_unit;goal\nA;B;werkstolz;zu viel\n", 2, "4 cells"),
        ('title;business_unit;goal\nA;B;werkstolz\n"offen;B;werkstolz\n', 3, "CSV syntax error"),
        ("title;business_unit;goal\n", 2, "no briefs"),
        ("title;business_unit;goal\nA;B;werkstolz\nA;B;werkstolz\n", 3, "used twice"),
    ],
)
def test_csv_structure_errors(here: Path, context: BriefContext, text: str, row: int, needle: str) -> None:
    error = refused(write("b.csv", text), context)
    assert error.problems[0].line == row
    assert error.problems[0].unit == "row"
    assert needle in str(error)


# -- encodings, size, types -----------------------------------------------------------------------
def test_unknown_encoding_binary(here: Path, context: BriefContext) -> None:
    error = refused(write("b.csv", b"title;business_unit;goal\n\x00\x01\x02\x81\xff\xfe\n"), context)
    assert "unknown encoding" in str(error)
    assert error.problems[0].line == 2


def test_mixed_encodings_refused(here: Path, context: BriefContext) -> None:
    data = "title;business_unit;goal\nÄpfel;B;werkstolz\n".encode() + "Öl;B;werkstolz\n".encode("cp1252")
    error = refused(write("b.csv", data), context)
    assert "mixes UTF-8" in str(error)
    assert error.problems[0].line == 3


def test_nul_bytes_refused(here: Path, context: BriefContext) -> None:
    error = refused(write("b.yaml", "title: A\x00\nbusiness_unit: B\ngoal: werkstolz\n"), context)
    assert "NUL" in str(error)


def test_size_limit(here: Path, context: BriefContext) -> None:
    path = Path("big.csv")
    with path.open("wb") as fh:
        fh.truncate(brief_import.MAX_FILE_BYTES + 1)
    error = refused(path, context)
    assert "too large" in str(error)
    assert f"limit is {brief_import.MAX_FILE_BYTES // 2**20} MiB" in str(error)


def test_unsupported_extension_and_missing_file(here: Path, context: BriefContext) -> None:
    assert "save the sheet as CSV" in str(refused(write("b.xlsx", b"PK\x03\x04"), context))
    assert "no such file" in str(refused(Path("nope.md"), context))


def test_empty_file(here: Path, context: BriefContext) -> None:
    assert "empty" in str(refused(write("b.yaml", "\n  \n"), context))


def test_load_brief_wants_exactly_one(here: Path, context: BriefContext) -> None:
    with pytest.raises(BriefImportError, match="exactly one brief, found 2"):
        load_brief(write("b.yaml", YAML_LIST), context)


@pytest.mark.parametrize("raw", ["#Werkstolz", "werkstolz", "WERKSTOLZ", " Werkstolz "])
def test_goal_aliases_werkstolz(context: BriefContext, raw: str) -> None:
    data = f"title: A\nbusiness_unit: B\ngoal: '{raw}'\n".encode()
    assert parse_bytes(data, "x.yaml", context, "yaml").briefs[0].goal == "Werkstolz"


@pytest.mark.parametrize("raw", ["We Won't Stop", "We Won’t Stop", "#WeWontStop", "we-wont-stop", "WE WONT STOP"])
def test_goal_aliases_with_apostrophes(context: BriefContext, raw: str) -> None:
    data = json.dumps({"title": "A", "business_unit": "B", "goal": raw}).encode()
    assert parse_bytes(data, "x.json", context, "json").briefs[0].goal == "WeWontStop"


def test_unknown_fields_kept_with_one_warning_per_field(here: Path, context: BriefContext) -> None:
    items = [
        {"title": t, "business_unit": "B", "goal": "werkstolz", "priority": i, "since": "x"}
        for i, t in enumerate("ABC")
    ]
    warnings: list[brief_import.Problem] = []
    briefs = load_briefs(write("b.json", json.dumps(items, indent=1)), context, warnings)
    assert [b.metadata["priority"] for b in briefs] == [0, 1, 2]
    assert sorted(w.field for w in warnings if w.field) == ["priority", "since"]
    assert all("metadata" in w.message for w in warnings)
    assert "2 more" in str(warnings[0])


def test_metadata_round_trip(here: Path, context: BriefContext) -> None:
    """What `briefs show --format json` prints imports again as the same brief."""
    brief = load_brief(write("b.md", MD), context)
    again = load_brief(write("again.json", json.dumps(brief.model_dump(mode="json"))), context)
    assert again == brief


def test_yaml_dates_in_metadata_become_text(here: Path, context: BriefContext) -> None:
    brief = load_brief(write("b.yaml", "title: A\nbusiness_unit: B\ngoal: werkstolz\nreview: 2026-12-01\n"), context)
    assert brief.metadata == {"review": "2026-12-01"}
    assert brief.content_hash()  # JSON-serialisable


def test_error_str_lists_all_problems_and_caps(here: Path, context: BriefContext) -> None:
    rows = "".join(f"T{i};B;nope\n" for i in range(brief_import.MAX_PROBLEMS + 5))
    error = refused(write("b.csv", "title;business_unit;goal\n" + rows), context)
    assert len(error.problems) == brief_import.MAX_PROBLEMS
    assert error.more == 5
    assert str(error).splitlines()[-1] == "… and 5 more problem(s)"


def test_markdown_with_bom_and_crlf(here: Path, context: BriefContext) -> None:
    text = "\ufeff" + MD.replace("\n", "\r\n").replace('goal: "#WeWontStop"', "goal: Lovemagnta")
    error = refused(write("b.md", text), context)
    assert [(p.line, p.field) for p in error.problems] == [(5, "goal")]
    brief = load_brief(write("ok.md", "\ufeff" + MD.replace("\n", "\r\n")), context)
    assert brief.text == "Der **Brief-Text** mit Umlauten: äöü ß."


def test_csv_trailing_empty_columns_as_excel_writes_them(here: Path, context: BriefContext) -> None:
    text = "title;business_unit;goal;;;\r\n„Zitat“ – 5 €;Technik;werkstolz;;;\r\n;;;;;\r\n;;;;;\r\n"
    (brief,) = load_briefs(write("b.csv", text, "cp1252"), context)
    assert brief.title == "„Zitat“ – 5 €"
    assert brief.metadata == {}


def test_csv_whitespace_cells_count_as_empty(here: Path, context: BriefContext) -> None:
    text = "id,title,business_unit,goal,expires,language\n  ,A,B,werkstolz,  ,\n"
    brief = load_brief(write("b.csv", text), context)
    assert (brief.id, brief.expires, brief.language) == ("b-a", None, "de")


def test_folder_is_not_a_brief_file(here: Path, context: BriefContext) -> None:
    Path("folder.csv").mkdir()
    assert "is a folder" in str(refused(Path("folder.csv"), context))


def test_problem_to_dict(here: Path, context: BriefContext) -> None:
    error = refused(write("b.csv", "Titel;Bereich;Ziel\nA;B;Nope\n"), context)
    assert error.problems[0].to_dict() == {
        "file": "b.csv",
        "line": 2,
        "column": None,
        "unit": "row",
        "field": "goal",
        "key": "Ziel",
        "message": "unknown goal 'Nope'; expected one of: LoveMagenta, WeWontStop, Werkstolz",
    }


def test_control_characters_are_removed_and_odd_ids_refused(tmp_path: Path, context: BriefContext) -> None:
    """Briefs are untrusted: an escape sequence in a title must not reach the terminal, and an id must be
    a plain name (it appears in file names of exports)."""
    path = tmp_path / "b.yaml"
    path.write_text(
        'title: "Neu\\e[31m rot\\a"\nbusiness_unit: "Netz\\r"\ngoal: Werkstolz\ntext: "Zeile 1\\r\\nZeile 2"\n',
        encoding="utf-8",
    )
    (brief,) = load_briefs(path, context)
    assert brief.title == "Neu[31m rot" and brief.business_unit == "Netz" and brief.text == "Zeile 1\nZeile 2"
    for bad_id in ("../../etc/passwd", "a b", "x" * 101):
        path.write_text(f'id: "{bad_id}"\ntitle: T\nbusiness_unit: B\ngoal: Werkstolz\n', encoding="utf-8")
        with pytest.raises(BriefImportError) as info:
            load_briefs(path, context)
        assert "field 'id'" in str(info.value) and "usable id" in str(info.value)
    path.write_text(f"title: {'T' * 301}\nbusiness_unit: B\ngoal: Werkstolz\n", encoding="utf-8")
    with pytest.raises(BriefImportError, match=r"field 'title'.*longer than 300"):
        load_briefs(path, context)


# -- untrusted input: hostile files (issue 9) ----------------------------------------------------------
def _seconds_to_refuse(keys: int, context: BriefContext) -> tuple[float, BriefImportError]:
    import time

    brief = {"title": "A", "business_unit": "B", "goal": "werkstolz", **{f"feld{i}": i for i in range(keys)}}
    data = json.dumps(brief, indent=1).encode()
    best = float("inf")
    error = None
    for _ in range(2):
        start = time.perf_counter()
        with pytest.raises(BriefImportError) as info:
            parse_bytes(data, "b.json", context, "json")
        best = min(best, time.perf_counter() - start)
        error = info.value
    assert error is not None
    return best, error


def test_json_with_120k_unknown_keys_is_refused_quickly(context: BriefContext) -> None:
    """Finding each key's line searched the text once per key: 120,000 keys took 84 s. Now one pass:
    the time grows linearly (quadratic would make 4x the keys take 16x as long)."""
    small, _ = _seconds_to_refuse(20_000, context)
    big, _ = _seconds_to_refuse(80_000, context)
    huge, error = _seconds_to_refuse(120_000, context)
    assert huge < 10, f"120,000 keys took {huge:.1f} s"
    assert big < 10 * max(small, 0.02), (small, big)
    assert "120,003 fields" in str(error) and f"{brief_import.MAX_METADATA_KEYS} unknown" in str(error)
    assert len(error.problems) == 1 and error.problems[0].line == 1


def test_json_key_lines_found_in_one_pass_stay_right(here: Path, context: BriefContext) -> None:
    text = (
        '[\n {"title": "A", "business_unit": "B", "goal": "werkstolz"},\n'
        ' {"title": "C",\n  "business_unit": "B",\n  "expir\\u0065s": "20261201",\n  "goal": "werkstolz"}\n]\n'
    )
    error = refused(write("b.json", text), context)
    assert [(p.line, p.field) for p in error.problems] == [(5, "expires")]
    assert "not a date: '20261201'" in error.problems[0].message


def test_json_value_of_escaped_quotes_is_read_once(context: BriefContext) -> None:
    """A text of 40,000 escaped quotes (80 KB): the search for '"key":' started at every quote and read the
    rest of the value each time, 50 s (a hostile probe). Strings are now read whole, left to right; the keys
    inside such a value are no keys, and the fields' lines stay right."""
    import time

    brief = {"title": "A", "business_unit": "B", "goal": "werkstolz", "text": '"' * 40_000 + '"x": 1'}
    data = (json.dumps(brief, indent=1)[:-2] + ',\n "expires": "nie"\n}').encode()
    start = time.perf_counter()
    with pytest.raises(BriefImportError) as info:
        parse_bytes(data, "b.json", context, "json")
    elapsed = time.perf_counter() - start
    assert [(p.line, p.field) for p in info.value.problems] == [(6, "expires")]
    assert elapsed < 5, elapsed  # 50 s before; well under 0.1 s on a quiet machine


def test_csv_with_100k_columns_is_refused_with_one_problem(here: Path, context: BriefContext) -> None:
    header = "title;business_unit;goal;" + ";".join(f"Spalte {i}" for i in range(100_000))
    error = refused(write("wide.csv", header + "\nA;B;werkstolz" + ";" * 100_000 + "\n"), context)
    assert len(error.problems) == 1
    assert (error.problems[0].line, error.problems[0].unit) == (1, "row")
    assert "100,000 unknown columns" in str(error)


def test_unknown_columns_warn_at_most_twenty_times(here: Path, context: BriefContext) -> None:
    columns = [f"Spalte {i}" for i in range(50)]
    text = "title;business_unit;goal;" + ";".join(columns) + "\nA;B;werkstolz;" + ";".join("x" * 50) + "\n"
    warnings: list[brief_import.Problem] = []
    brief = load_brief(write("b.csv", text), context, warnings)
    assert len(brief.metadata) == 50  # all kept
    assert len(warnings) == brief_import.MAX_WARNINGS + 1
    assert warnings[-1].message == "… and 30 more warning(s)"


def test_empty_cells_of_unknown_columns_are_not_stored(here: Path, context: BriefContext) -> None:
    brief = load_brief(write("b.csv", "title;business_unit;goal;Notiz;Extra\nA;B;werkstolz;;hoch\n"), context)
    assert brief.metadata == {"Extra": "hoch"}


def test_metadata_values_and_names_are_bounded(here: Path, context: BriefContext) -> None:
    base = {"title": "A", "business_unit": "B", "goal": "werkstolz"}
    long_value = {**base, "notes": "x" * (brief_import.MAX_METADATA_CHARS + 1)}
    error = refused(write("b.json", json.dumps(long_value)), context)
    assert error.problems[0].field == "notes" and "longer than 2,000 characters" in str(error)
    long_name = {**base, "n" * 101: 1}
    assert "field name is longer" in str(refused(write("c.json", json.dumps(long_name)), context))
    many = {**base, **{f"k{i}": i for i in range(brief_import.MAX_METADATA_KEYS + 1)}}
    assert "101 unknown fields" in str(refused(write("d.json", json.dumps(many)), context))
    fine = {**base, **{f"k{i}": i for i in range(brief_import.MAX_METADATA_KEYS)}}
    assert len(load_brief(write("e.json", json.dumps(fine)), context).metadata) == brief_import.MAX_METADATA_KEYS


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_named(here: Path, context: BriefContext, codec: str) -> None:
    error = refused(write("b.csv", "Titel;Bereich;Ziel\nÄrger;Technik;werkstolz\n", encoding=codec), context)
    assert "UTF-16" in str(error) and "byte-order mark" in str(error) and "NUL" not in str(error)


@pytest.mark.parametrize("value", ["20261201", "2026-W01-1", "2026-12-01T10:00"])
def test_brief_dates_are_strict(here: Path, context: BriefContext, value: str) -> None:
    error = refused(write("b.yaml", f"title: A\nbusiness_unit: B\ngoal: werkstolz\nexpires: {value}\n"), context)
    assert [(p.line, p.field) for p in error.problems] == [(4, "expires")]
    assert "not a date" in str(error)


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_fifo_named_md_is_refused_not_read(here: Path, context: BriefContext) -> None:
    import os
    import signal

    os.mkfifo("brief.md")

    def hung(*_: object) -> None:
        raise TimeoutError("reading a FIFO hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    try:
        error = refused(Path("brief.md"), context)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert "brief.md: not a regular file" in str(error).replace("is not", "not")


def test_ids_from_titles_transliterate_german(here: Path, context: BriefContext) -> None:
    """Issue 11 item 15: "Köln" is "koeln", not "koln"; ß is ss; other accents are dropped."""
    text = "---\ntitle: Glasfaser für Köln – Straße frei!\nbusiness_unit: Außendienst Süd\ngoal: werkstolz\n---\n"
    assert load_brief(write("b.md", text), context).id == "aussendienst-sued-glasfaser-fuer-koeln-strasse-frei"
    upper = "---\ntitle: ÖFFNUNG Über Ärger\nbusiness_unit: Café\ngoal: werkstolz\n---\n"
    assert load_brief(write("u.md", upper), context).id == "cafe-oeffnung-ueber-aerger"
    # decomposed umlauts (o + U+0308, as macOS file names and some editors write them) are the same letters
    decomposed = "---\ntitle: Ko\u0308ln\nbusiness_unit: Technik\ngoal: werkstolz\n---\n"
    assert load_brief(write("d.md", decomposed), context).id == "technik-koeln"


EXCEL_UNICODE_TEXT = (
    "Titel\tGeschäftsbereich\tZiel\tKanäle\tKernbotschaften\r\n"
    'Glasfaser in Köln\tTechnik\t#Werkstolz\tLinkedIn, X\t"Erste Botschaft; mit Semikolon\r\nZweite"\r\n'
    "Azubis, jetzt!\tPersonal\tlove magenta\tinstagram\tEins|Zwei\r\n"
)


@pytest.mark.parametrize("name", ["briefs.tsv", "briefs.txt", "BRIEFS.TXT"])
def test_excel_unicode_text_imports_like_csv(here: Path, context: BriefContext, name: str) -> None:
    """Issue 11 item 16: Excel's "Unicode-Text" is UTF-16 (little endian, with a BOM) and tab-separated."""
    data = EXCEL_UNICODE_TEXT.encode("utf-16")  # Python writes the BOM, as Excel does
    assert data[:2] == b"\xff\xfe" and b"\x00" in data
    briefs = load_briefs(write(name, data), context)
    assert [b.title for b in briefs] == ["Glasfaser in Köln", "Azubis, jetzt!"]
    assert briefs[0].channels == ("linkedin", "x")
    assert briefs[0].key_messages == ("Erste Botschaft; mit Semikolon", "Zweite")
    assert briefs[1].goal == "LoveMagenta" and briefs[1].key_messages == ("Eins", "Zwei")
    # the same content as UTF-16 big endian, and as UTF-8 with a BOM
    assert [
        b.title for b in load_briefs(write(name, b"\xfe\xff" + EXCEL_UNICODE_TEXT.encode("utf-16-be")), context)
    ] == [
        "Glasfaser in Köln",
        "Azubis, jetzt!",
    ]
    assert len(load_briefs(write(name, "\ufeff" + EXCEL_UNICODE_TEXT), context)) == 2


def test_unicode_text_errors_name_file_row_and_field(here: Path, context: BriefContext) -> None:
    text = "Titel\tGeschäftsbereich\tZiel\nGut\tTechnik\twerkstolz\nSchlecht\tTechnik\tLovemagnta\n"
    error = refused(write("briefs.txt", text.encode("utf-16")), context)
    [problem] = error.problems
    assert (problem.file, problem.line, problem.unit) == ("briefs.txt", 3, "row")
    assert (problem.field, problem.key) == ("goal", "Ziel")
    assert "briefs.txt: row 3, field 'Ziel'" in str(error)
    # UTF-16 without a BOM is still named as such, with the extensions it now accepts
    assert "UTF-16" in str(refused(write("nobom.tsv", text.encode("utf-16-le")), context))


@pytest.mark.parametrize("name", ["b.csv", "b.tsv"])
def test_csv_key_message_over_the_bound_is_refused_with_row_and_field(
    here: Path, context: BriefContext, name: str
) -> None:
    """A CSV cell is split into key messages: each part has the same bound as a list item elsewhere,
    so an import cannot store a brief that later fails to load."""
    text = "title\tbusiness_unit\tgoal\tkey_messages\nLang\tTechnik\twerkstolz\t" + "x" * 60_000 + "\n"
    with pytest.raises(BriefImportError) as info:
        load_briefs(write(name, text, "utf-16"), context)
    message = str(info.value)
    assert name in message and "row 2" in message and "key_messages" in message
    assert "longer than 50,000" in message
