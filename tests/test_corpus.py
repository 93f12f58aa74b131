"""Reading posts into the corpus, and the ``drafter corpus`` / ``drafter originality`` commands."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter.cli import app
from drafter.corpus import CorpusImportError, import_paths, read_file, read_paths
from drafter.originality import StoredPostIndex
from drafter.store import Store

POST_A = (
    "Heute habe ich in Bonn den ersten Glasfaser-Hausanschluss in unserer Straße gesehen. "
    "Das Team vom Tiefbau war seit sechs Uhr auf den Beinen und hat trotz Regen alles sauber verlegt."
)
POST_B = (
    "Unser Azubi-Tag in Köln war ein voller Erfolg: zwanzig junge Leute haben zum ersten Mal einen "
    "Router zerlegt und wieder zusammengebaut. Ich war beeindruckt von den Fragen."
)
POST_C = "Cyber-Sicherheit beginnt beim Passwort. Wer heute noch überall dasselbe nutzt, macht es Angreifern leicht."


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# -- reading ---------------------------------------------------------------------------------------------


def test_txt_is_one_post_with_paragraphs(tmp_path: Path) -> None:
    posts = read_file(write(tmp_path / "a.txt", f"{POST_A}\n\nZweiter Absatz.\n"))
    assert [p.text for p in posts] == [f"{POST_A}\n\nZweiter Absatz."]
    assert posts[0].source == str(tmp_path / "a.txt")


def test_txt_posts_separated_by_dashes(tmp_path: Path) -> None:
    posts = read_file(write(tmp_path / "many.txt", f"{POST_A}\n---\n{POST_B}\n  ---  \n\n{POST_C}"))
    assert [p.text for p in posts] == [POST_A, POST_B, POST_C]
    assert [p.source.rsplit("#", 1)[1] for p in posts] == ["1", "2", "3"]


def test_markdown_with_front_matter(tmp_path: Path) -> None:
    posts = read_file(write(tmp_path / "p.md", f"---\nchannel: linkedin\nbrief_id: B-7\n---\n{POST_A}\n"))
    assert posts[0].text == POST_A
    assert (posts[0].channel, posts[0].brief_id) == ("linkedin", "B-7")


def test_markdown_export_footer_is_not_part_of_the_post(tmp_path: Path) -> None:
    exported = f"{POST_A}\n\n---\n\n- Channel: x\n- Brief: -\n- Date: 2026-11-27\n\n## Open findings\n\n- none\n"
    assert read_file(write(tmp_path / "export.md", exported))[0].text == POST_A


def test_json_export_object_and_list(tmp_path: Path) -> None:
    single = {"format": "drafter-export", "text": POST_A, "channel": "x", "channels": ["x"], "brief_id": None}
    posts = read_file(write(tmp_path / "one.json", json.dumps(single)))
    assert posts[0].text == POST_A and posts[0].channel == "x"
    many = [{"text": POST_B, "channels": ["linkedin", "x"], "id": "d1"}, {"text": POST_C, "brief_id": 12}]
    posts = read_file(write(tmp_path / "many.json", json.dumps(many, indent=2)))
    assert [p.text for p in posts] == [POST_B, POST_C]
    assert posts[0].channel == "linkedin,x" and posts[0].source.endswith("many.json#d1")
    assert posts[1].brief_id == "12" and posts[1].source.endswith("many.json#2")


def test_jsonl(tmp_path: Path) -> None:
    lines = "\n".join(json.dumps({"text": t}) for t in (POST_A, POST_B)) + "\n\n"
    assert [p.text for p in read_file(write(tmp_path / "p.jsonl", lines))] == [POST_A, POST_B]


def test_non_utf8_text_is_decoded(tmp_path: Path) -> None:
    text = "Größere Übertragungsraten für alle Straßen in unserer Gemeinde, endlich auch hier draußen."
    posts = read_file(write(tmp_path / "latin.txt", text.encode("cp1252")))
    assert posts[0].text == text


@pytest.mark.parametrize(
    ("name", "content", "needles"),
    [
        (
            "bad.json",
            '[\n  {"text": "ok post here"},\n  {"txt": "typo"}\n]',
            ["line 3", "item 2", "field 'text': required field is missing"],
        ),
        ("bad2.json", '[{"text": 5}]', ["line 1", "field 'text': must be text, got int"]),
        ("broken.json", '{"text": "a",\n "channel": }', ["line 2", "not valid JSON"]),
        ("empty.json", '{"text": "   "}', ["field 'text': is empty"]),
        ("chan.json", '{"text": "abc", "channel": 3}', ["'channel'"]),
        ("bad.jsonl", '{"text": "fine"}\n{"nope": 1}\n', ["line 2", "field 'text': required field is missing"]),
        ("fm.md", "---\nchannel: [x\n---\nText", ["fm.md", "front matter"]),
        ("post.docx", "whatever", ["unsupported file type"]),
    ],
)
def test_bad_input_names_file_line_and_field(tmp_path: Path, name: str, content: str, needles: list[str]) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(CorpusImportError) as info:
        read_file(path)
    message = str(info.value)
    assert str(path) in message
    for needle in needles:
        assert needle in message


def test_directory_is_read_recursively_skipping_hidden_and_other_files(tmp_path: Path) -> None:
    write(tmp_path / "d" / "a.txt", POST_A)
    write(tmp_path / "d" / "sub" / "b.md", POST_B)
    write(tmp_path / "d" / ".hidden" / "c.txt", POST_C)
    write(tmp_path / "d" / "notes.docx", "ignored")
    write(tmp_path / "d" / "empty.txt", "  \n")
    result = read_paths([tmp_path / "d"])
    assert sorted(p.text for p in result.posts) == sorted([POST_A, POST_B])
    assert result.files == 3
    assert any("empty.txt" in s for s in result.skipped)


def test_import_is_all_or_nothing_and_idempotent(tmp_path: Path) -> None:
    write(tmp_path / "d" / "a.txt", POST_A)
    write(tmp_path / "d" / "b.json", json.dumps([{"text": POST_B}, {"text": POST_A}]))
    bad = write(tmp_path / "bad.json", '{"nope": 1}')
    with Store(tmp_path / "s.sqlite3") as store:
        index = StoredPostIndex(store)
        with pytest.raises(CorpusImportError):
            import_paths([tmp_path / "d", bad], index)
        assert len(index) == 0
        first = import_paths([tmp_path / "d"], index)
        assert (first.read, first.added, first.duplicates) == (3, 2, 1)
        again = import_paths([tmp_path / "d"], index)
        assert (again.added, again.duplicates) == (0, 3)
        assert len(index) == 2


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusImportError, match="no such file"):
        read_paths([tmp_path / "nope"])


# -- CLI -------------------------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_import_list_stats_remove(tmp_path: Path, drafter_home: Path) -> None:
    write(tmp_path / "posts" / "a.txt", POST_A)
    write(tmp_path / "posts" / "b.json", json.dumps({"text": POST_B, "channel": "linkedin"}))
    result = runner.invoke(app, ["corpus", "import", str(tmp_path / "posts")])
    assert result.exit_code == 0, result.output
    assert "2 post(s) added, 0 already" in result.output
    assert (drafter_home / "data" / "drafter.sqlite3").exists()
    again = runner.invoke(app, ["corpus", "import", str(tmp_path / "posts"), "--format", "json"])
    assert json.loads(again.stdout)["duplicates"] == 2

    listed = runner.invoke(app, ["corpus", "list", "--format", "json"])
    data = json.loads(listed.stdout)
    assert {p["text"] for p in data} == {POST_A, POST_B}
    text_list = runner.invoke(app, ["corpus", "list"])
    assert "Heute habe ich in Bonn" in text_list.output and "[linkedin]" in text_list.output

    stats = json.loads(runner.invoke(app, ["corpus", "stats", "--format", "json"]).stdout)
    assert stats["posts"] == 2 and stats["channels"] == {"linkedin": 1, "": 1}

    post_id = data[0]["id"]
    assert runner.invoke(app, ["corpus", "remove", post_id]).exit_code == 0
    assert runner.invoke(app, ["corpus", "remove", post_id]).exit_code == 1
    assert json.loads(runner.invoke(app, ["corpus", "stats", "--format", "json"]).stdout)["posts"] == 1


def test_cli_import_bad_file_exits_2_and_imports_nothing(tmp_path: Path) -> None:
    write(tmp_path / "posts" / "a.txt", POST_A)
    write(tmp_path / "posts" / "bad.json", '[{"text": "x"}, {"body": "y"}]')
    result = runner.invoke(app, ["corpus", "import", str(tmp_path / "posts")])
    assert result.exit_code == 2
    assert "bad.json: line 1, field 'text': required field is missing (item 2)" in result.output
    assert "nothing imported" in result.output
    assert json.loads(runner.invoke(app, ["corpus", "stats", "--format", "json"]).stdout)["posts"] == 0


def test_cli_originality_check_against_a_folder(tmp_path: Path) -> None:
    write(tmp_path / "corpus" / "a.txt", POST_A)
    write(tmp_path / "corpus" / "b.txt", POST_B)
    draft = write(tmp_path / "draft.txt", POST_A.replace("sechs", "sieben") + " #Glasfaser")
    result = runner.invoke(app, ["originality", "check", str(draft), "--corpus", str(tmp_path / "corpus")])
    assert result.exit_code == 0, result.output
    assert "a.txt" in result.output and "b.txt" not in result.output
    data = json.loads(
        runner.invoke(
            app,
            ["originality", "check", str(draft), "--corpus", str(tmp_path / "corpus"), "--format", "json", "-k", "1"],
        ).stdout
    )
    assert data["corpus_posts"] == 2
    assert len(data["similar"]) == 1
    assert data["similar"][0]["source"].endswith("a.txt")
    assert 0.6 < data["similar"][0]["similarity"] < 1.0


def test_cli_originality_check_uses_the_stored_corpus(tmp_path: Path) -> None:
    write(tmp_path / "posts" / "c.md", POST_C)
    assert runner.invoke(app, ["corpus", "import", str(tmp_path / "posts")]).exit_code == 0
    export = write(tmp_path / "draft.json", json.dumps({"format": "drafter-export", "text": POST_C}))
    data = json.loads(runner.invoke(app, ["originality", "check", str(export), "--format", "json"]).stdout)
    assert data["similar"][0]["similarity"] == 1.0
    unrelated = write(tmp_path / "other.txt", POST_B)
    out = runner.invoke(app, ["originality", "check", str(unrelated)])
    assert out.exit_code == 0 and "0 similar post(s) among 1" in out.output


def test_cli_originality_check_names_a_copied_paragraph_and_its_line(tmp_path: Path) -> None:
    from test_originality_passages import COLLEAGUE, COPIED, OWN_INTRO, OWN_OUTRO

    posted = write(tmp_path / "posts" / "anna.txt", COLLEAGUE)
    assert runner.invoke(app, ["corpus", "import", str(posted)]).exit_code == 0
    draft = write(tmp_path / "draft.txt", f"{OWN_INTRO}\n\n{COPIED}\n\n{OWN_OUTRO}")
    out = runner.invoke(app, ["originality", "check", str(draft)])
    assert out.exit_code == 0 and "paragraph at line 3: 1.00 similar to" in out.output and "anna.txt" in out.output
    assert "1 paragraph(s) resembling one among 1" in out.output
    data = json.loads(runner.invoke(app, ["originality", "check", str(draft), "--format", "json"]).stdout)
    (para,) = data["paragraphs"]
    assert (para["line"], para["similarity"], para["end"] - para["start"]) == (3, 1.0, len(COPIED))
    assert all(m["similarity"] < 0.6 for m in data["similar"])


def test_cli_originality_check_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["originality", "check", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "no such file" in result.output


# -- untrusted input: hostile files (issue 9) ----------------------------------------------------------
def _refused(path: Path) -> CorpusImportError:
    with pytest.raises(CorpusImportError) as info:
        read_file(path)
    return info.value


def test_deep_json_is_an_error_not_a_recursion_traceback(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    error = _refused(write(tmp_path / "deep.json", '[{"text": "ok post"},\n' + deep + "]"))
    assert "nested too deeply" in str(error) and error.problems[0].line == 2
    error = _refused(write(tmp_path / "deep.jsonl", '{"text": "ok"}\n{"text": ' + deep + "}\n"))
    assert "deep.jsonl: line 2: the JSON is nested too deeply" in str(error)
    error = _refused(write(tmp_path / "obj.json", '{"text": "x", "m": ' + '{"a":' * 50_000 + "1" + "}" * 50_001))
    assert "nested too deeply" in str(error)


def test_yaml_date_where_text_is_expected_names_line_and_field(tmp_path: Path) -> None:
    error = _refused(write(tmp_path / "p.md", f"---\nid: 7\nchannel: 2026-02-31\n---\n{POST_A}\n"))
    problem = error.problems[0]
    assert (problem.line, problem.field) == (3, "channel") and "cannot be read" in problem.message
    error = _refused(write(tmp_path / "q.md", f"---\nbrief_id: x\nchannel: 2026-02-03\n---\n{POST_A}\n"))
    assert (error.problems[0].line, error.problems[0].field) == (3, "channel")
    assert "the date 2026-02-03" in str(error)


def test_5000_digit_integer_is_an_error(tmp_path: Path) -> None:
    digits = "9" * 5000
    error = _refused(write(tmp_path / "n.json", '{"text": "a post",\n "brief_id": ' + digits + "}"))
    assert "n.json: line 1: a JSON value cannot be read" in str(error)
    error = _refused(write(tmp_path / "n.jsonl", '{"text": "a post", "brief_id": ' + digits + "}\n"))
    assert "line 1" in str(error)
    error = _refused(write(tmp_path / "n.md", f"---\nbrief_id: {digits}\n---\n{POST_A}\n"))
    assert (error.problems[0].line, error.problems[0].field) == (2, "brief_id")


def test_front_matter_aliases_are_refused(tmp_path: Path) -> None:
    bomb = "---\na: &a [x, x]\nb: &b [*a, *a]\nchannel: [*b, *b]\n---\nText\n"
    assert "anchors and aliases" in str(_refused(write(tmp_path / "bomb.md", bomb)))


def test_unclosed_front_matter_is_an_error_not_post_text(tmp_path: Path) -> None:
    error = _refused(write(tmp_path / "open.md", f"---\nchannel: x\n\n{POST_A}\n"))
    assert "not closed" in str(error) and error.problems[0].line == 1


def test_size_limits_for_files_and_posts(tmp_path: Path) -> None:
    from drafter import corpus

    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(corpus.MAX_FILE_BYTES + 1)
    assert "too large" in str(_refused(big))
    long_post = "Wort " * (corpus.MAX_POST_CHARS // 5 + 1)
    error = _refused(write(tmp_path / "long.txt", f"{POST_A}\n---\n{long_post}\n"))
    assert error.problems[0].line == 3 and "the limit is 20,000" in str(error)
    error = _refused(write(tmp_path / "long.json", json.dumps([{"text": POST_A}, {"text": long_post}], indent=1)))
    assert (error.problems[0].line, error.problems[0].field) == (5, "text")
    assert read_file(write(tmp_path / "ok.txt", "x" * corpus.MAX_POST_CHARS))[0].text == "x" * corpus.MAX_POST_CHARS


@pytest.mark.parametrize(
    "data", [__import__("random").Random(3).randbytes(20_000), b"\x00" * 5000, b"%PDF-1.7\n\x00\x01\x02\xff"]
)
def test_binary_junk_is_refused(tmp_path: Path, data: bytes) -> None:
    assert "unknown encoding" in str(_refused(write(tmp_path / "junk.txt", data)))


def test_utf16_without_bom_is_named(tmp_path: Path) -> None:
    error = _refused(write(tmp_path / "p.txt", POST_A.encode("utf-16-le")))
    assert "UTF-16 (little-endian) without a byte-order mark" in str(error)
    assert read_file(write(tmp_path / "bom.txt", POST_A.encode("utf-16")))[0].text == POST_A


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(CorpusImportError, match="not a regular file"):
        read_paths([tmp_path / "pipe.txt"])
    (tmp_path / "d").mkdir()
    os.mkfifo(tmp_path / "d" / "pipe.txt")
    write(tmp_path / "d" / "a.txt", POST_A)
    assert [p.text for p in read_paths([tmp_path / "d"]).posts] == [POST_A]  # folders skip FIFOs


def test_cli_originality_check_random_bytes_on_stdin(tmp_path: Path) -> None:
    junk = __import__("random").Random(5).randbytes(5000)
    result = runner.invoke(app, ["originality", "check", "-"], input=junk)
    assert result.exit_code == 2 and "-: line" in result.output and "unknown encoding" in result.output
    assert "Traceback" not in result.output


def test_cli_originality_check_on_a_directory_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["originality", "check", str(tmp_path)])
    assert result.exit_code == 2 and f"{tmp_path}: is a directory" in result.output


@pytest.mark.parametrize(
    ("damage", "said", "command"),
    [
        ("DROP TABLE corpus_bands", "no such table: corpus_bands", ("corpus", "remove", "ce481733490780ce")),
        ("UPDATE corpus_posts SET text = x'ff00fe'", "a corpus post holds bytes, not text", ("corpus", "list")),
    ],
)
def test_a_damaged_store_is_said_as_such_not_a_traceback(
    tmp_path: Path, damage: str, said: str, command: tuple[str, ...]
) -> None:
    """Hostile probe: a store edited by hand ended lint, originality check and corpus list in tracebacks."""
    import sqlite3
    import subprocess
    import sys

    from test_originality_passages import COLLEAGUE, DRAFT

    env = {**os.environ, "DRAFTER_HOME": str(tmp_path / "home")}
    post, draft = write(tmp_path / "anna.txt", COLLEAGUE), write(tmp_path / "draft.txt", DRAFT)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "drafter", *args], env=env, capture_output=True, text=True)

    assert run("corpus", "import", str(post)).returncode == 0
    store = tmp_path / "home" / "data" / "drafter.sqlite3"
    with sqlite3.connect(store) as conn:
        conn.execute(damage)
    for args in (("lint", str(draft)), ("originality", "check", str(draft)), command):
        proc = run(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        # lint goes on without the corpus: its finding says why, and the check is incomplete
        said_by = proc.stdout + proc.stderr if args[0] == "lint" else proc.stderr
        assert "Traceback" not in proc.stderr and said in said_by and str(store) in said_by, args
    lint = run("lint", str(draft))
    assert "check incomplete, rule(s) skipped: originality.corpus" in lint.stderr
    assert "guidelines.corpus-unavailable" in lint.stdout and "length" in lint.stdout
    # export refuses an incomplete check, and writes nothing
    out = tmp_path / "out"
    export = run("export", str(draft), "--out", str(out))
    assert export.returncode != 0 and "Traceback" not in export.stderr, export.stderr
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_a_json_post_with_a_control_character_is_refused_as_a_text_file_is(tmp_path: Path, suffix: str) -> None:
    """Hostile probe: JSON escapes let NUL, ESC and the like into the stored text, where a .txt was refused."""
    from drafter.corpus import CorpusImportError, read_file

    item = json.dumps({"text": "Ein Beitrag \u001b[31mmit Farbe\u0000"})
    path = write(tmp_path / f"posts{suffix}", f"[{item}]" if suffix == ".json" else item)
    with pytest.raises(CorpusImportError) as caught:
        read_file(path)
    said = str(caught.value)
    assert str(path) in said and "text" in said and "U+001B" in said
