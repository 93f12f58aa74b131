"""`drafter briefs …` through the real `drafter` app and typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from brief_helpers import CONTEXT, GOALS
from typer.testing import CliRunner

from drafter.brief_import import load_brief
from drafter.briefs import BriefContext
from drafter.cli import app

CSV = (
    "Titel;Bereich;Ziel;Kanäle;Gültig ab;Gültig bis;Priorität\n"
    "Glasfaser;Technik;We Won't Stop;linkedin|x;01.11.2026;31.12.2026;hoch\n"
    "Azubis;Personal;#werkstolz;;;;\n"
)


@pytest.fixture
def context() -> BriefContext:
    return CONTEXT


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, context: BriefContext):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DRAFTER_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, ["briefs", *args])

    return invoke


def test_import_then_same_file_again(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    Path("briefs.csv").write_text(CSV, encoding="utf-8")
    first = run("import", "briefs.csv")
    assert first.exit_code == 0, first.output
    assert "2 imported (technik-glasfaser, personal-azubis)" in first.stdout
    assert "warning: briefs.csv: row 1, field 'Priorität'" in first.stderr
    second = run("import", "briefs.csv")
    assert second.exit_code == 0
    assert "2 unchanged" in second.stdout and "imported" not in second.stdout


def test_import_bad_file_exit_2_and_nothing_stored(run) -> None:  # type: ignore[no-untyped-def]
    Path("good.yaml").write_text("title: A\nbusiness_unit: B\ngoal: werkstolz\n", encoding="utf-8")
    Path("briefs.csv").write_text(CSV + "Drei;Technik;Lovemagnta;;;;\n", encoding="utf-8")
    result = run("import", "briefs.csv", "good.yaml")
    assert result.exit_code == 2
    assert "briefs.csv: row 4, field 'Ziel' (goal): unknown goal 'Lovemagnta'" in result.stderr
    assert "good.yaml: 1 imported (b-a)" in result.stdout  # other files are still imported
    listed = json.loads(run("list", "--format", "json").stdout)
    assert "technik-glasfaser" not in {b["id"] for b in listed}
    assert "b-a" in {b["id"] for b in listed}


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("a.yaml", b"title: [unclosed\n", "line"),
        ("a.json", b'{"title": "A", "business_unit": "B"}', "field 'goal': required field is missing"),
        ("a.csv", b"title;business_unit;goal;expires\nA;B;werkstolz;32.01.2027\n", "row 2, field 'expires'"),
        ("a.csv", b"title;business_unit;goal\n\x00\x9d\x81\n", "unknown encoding"),
    ],
)
def test_check_bad_input(run, name: str, content: bytes, needle: str) -> None:  # type: ignore[no-untyped-def]
    Path(name).write_bytes(content)
    result = run("check", name)
    assert result.exit_code == 2
    assert needle in result.stderr
    assert name in result.stderr


def test_check_good_input_stores_nothing(run) -> None:  # type: ignore[no-untyped-def]
    Path("briefs.csv").write_text(CSV, encoding="cp1252")
    result = run("check", "briefs.csv")
    assert result.exit_code == 0
    assert "briefs.csv: ok, 2 brief(s): technik-glasfaser, personal-azubis" in result.stdout
    assert "technik-glasfaser" not in {b["id"] for b in json.loads(run("list", "--format", "json").stdout)}


def test_list_filters_and_json(run) -> None:  # type: ignore[no-untyped-def]
    Path("briefs.csv").write_text(CSV, encoding="utf-8")
    run("import", "briefs.csv")
    everything = json.loads(run("list", "--format", "json").stdout)
    assert len(everything) == 7  # five bundled samples on first use + two imported
    werk = json.loads(run("list", "--goal", "werkstolz", "--format", "json").stdout)
    assert {b["goal"] for b in werk} == {"Werkstolz"}
    assert "personal-azubis" in {b["id"] for b in werk}
    unit = run("list", "--business-unit", "technik")
    assert "technik-glasfaser" in unit.stdout and "personal-azubis" not in unit.stdout
    x = json.loads(run("list", "--channel", "x", "--format", "json").stdout)
    assert all("x" in b["channels"] for b in x)
    assert "technik-glasfaser" in {b["id"] for b in x}
    active = json.loads(run("list", "--active-on", "15.01.2027", "--format", "json").stdout)
    assert "technik-glasfaser" not in {b["id"] for b in active}  # expired 31.12.2026
    assert "personal-azubis" in {b["id"] for b in active}
    bad = run("list", "--active-on", "morgen")
    assert bad.exit_code == 2 and "not a date" in bad.stderr
    # an unknown filter value is a mistake to name, not an empty result
    for args, needle in ((("--goal", "nope"), "unknown goal 'nope'"), (("--channel", "tiktok"), "unknown channel")):
        wrong = run("list", *args)
        assert wrong.exit_code == 2 and needle in wrong.stderr
    # a part of the business unit's name is enough
    samples = run("list", "--business-unit", "telekom technik")
    assert "technik-glasfaser-winterbau-2026" in samples.stdout


def test_show_text_and_json_and_versions(run) -> None:  # type: ignore[no-untyped-def]
    Path("briefs.csv").write_text(CSV, encoding="utf-8")
    run("import", "briefs.csv")
    Path("briefs.csv").write_text(CSV.replace("31.12.2026", "15.01.2027"), encoding="utf-8")
    assert "1 updated (technik-glasfaser)" in run("import", "briefs.csv").stdout
    text = run("show", "technik-glasfaser")
    assert text.exit_code == 0
    assert "Glasfaser" in text.stdout and "2027-01-15" in text.stdout and "version:" in text.stdout
    data = json.loads(run("show", "technik-glasfaser", "--format", "json").stdout)
    assert data["goal"] == "WeWontStop"
    assert data["channels"] == ["linkedin", "x"]
    assert data["metadata"] == {"Priorität": "hoch"}
    assert [v["version"] for v in data["versions"]] == [1, 2]
    missing = run("show", "no-such-brief")
    assert missing.exit_code == 1 and "no brief with id" in missing.stderr


def test_archive(run) -> None:  # type: ignore[no-untyped-def]
    Path("a.yaml").write_text("title: A\nbusiness_unit: B\ngoal: werkstolz\n", encoding="utf-8")
    run("import", "a.yaml")
    assert run("archive", "b-a").exit_code == 0
    assert "b-a" not in run("list").stdout
    assert "b-a" in run("list", "--all").stdout and "[archived]" in run("list", "--all").stdout
    assert run("archive", "nope").exit_code == 1


def test_new_template_imports_as_is(run, context: BriefContext) -> None:  # type: ignore[no-untyped-def]
    for language in ("de", "en"):
        result = run("new", "--language", language)
        assert result.exit_code == 0
        assert result.stdout.startswith("---\n#")
        Path(f"t-{language}.md").write_text(result.stdout, encoding="utf-8")
        brief = load_brief(Path(f"t-{language}.md"), context)
        assert brief.goal in GOALS
        assert brief.language == language
    assert run("new", "-o", "mine.md").exit_code == 0
    assert load_brief(Path("mine.md"), context).title
    refused = run("new", "-o", "mine.md")
    assert refused.exit_code == 1 and "--force" in refused.stderr


def test_inbox_command(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "briefs.csv").write_text(CSV, encoding="utf-8")
    (folder / "broken.yaml").write_text("title: A\nbusiness_unit: B\ngoal: nix\n", encoding="utf-8")
    result = run("inbox", "--folder", str(folder))
    assert result.exit_code == 2
    assert "2 imported" in result.stdout
    assert "broken.yaml: not imported (the file stays in the inbox)" in result.stderr
    assert "line 3, field 'goal': unknown goal 'nix'" in result.stderr
    (folder / "broken.yaml").unlink()
    again = run("inbox", "--folder", str(folder))
    assert again.exit_code == 0
    assert "1 file unchanged" in again.stdout


def test_inbox_default_folder(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("inbox")
    assert result.exit_code == 0
    assert str(tmp_path / "home" / "data" / "inbox") in result.stdout
    assert "no brief files" in result.stdout


def test_real_guidelines_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the test context: the bundled guidelines decide goals and channels."""
    pytest.importorskip("drafter.guidelines")
    monkeypatch.setenv("DRAFTER_HOME", str(tmp_path / "home"))
    (tmp_path / "a.md").write_text("---\ntitle: A\nbusiness_unit: B\ngoal: We Won’t Stop\n---\nText\n", "utf-8")
    result = CliRunner().invoke(app, ["briefs", "check", str(tmp_path / "a.md")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("value", ["20261201", "2026-W01-1"])
def test_active_on_takes_only_the_documented_date_forms(run, value: str) -> None:  # type: ignore[no-untyped-def]
    result = run("list", "--active-on", value)
    assert result.exit_code == 2 and "not a date" in result.stderr


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_check_refuses_a_fifo_named_md_instead_of_hanging(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import os
    import signal

    os.mkfifo("brief.md")
    Path("good.yaml").write_text("title: A\nbusiness_unit: B\ngoal: werkstolz\n", encoding="utf-8")

    def hung(*_: object) -> None:
        raise TimeoutError("briefs check hung on a FIFO")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    try:
        result = run("check", "brief.md", "good.yaml")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert result.exit_code == 2
    assert "brief.md: is not a regular file" in result.stderr
    assert "good.yaml: ok" in result.stdout


def test_import_warns_when_another_business_unit_owns_the_id(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    Path("technik.md").write_text(
        "---\nid: glasfaser-2026\ntitle: Glasfaser\nbusiness_unit: Technik\ngoal: WeWontStop\n---\nText\n",
        encoding="utf-8",
    )
    Path("vertrieb.md").write_text(
        "---\nid: glasfaser-2026\ntitle: Aktion\nbusiness_unit: Vertrieb\ngoal: WeWontStop\n---\nAnders\n",
        encoding="utf-8",
    )
    assert run("import", "technik.md").exit_code == 0
    result = run("import", "vertrieb.md")
    assert result.exit_code == 0, result.output
    assert "warning: vertrieb.md" in result.stderr
    assert "'glasfaser-2026' belongs to business unit 'Technik'" in result.stderr
    assert "1 refused" in result.stdout
    shown = run("show", "glasfaser-2026", "--format", "json")
    data = json.loads(shown.stdout)
    assert (data["business_unit"], data["title"], data["version"]) == ("Technik", "Glasfaser", 1)
