"""``drafter voice import/show/score/forget``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from drafter.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "voice"
runner = CliRunner()
#: a post the default guidelines export without findings
CLEAN = "Seit drei Jahren arbeite ich im Netzausbau in Köln und bin jeden Tag stolz auf unser Team. #Werkstolz"


def _import_all() -> None:
    files = sorted(str(p) for p in FIXTURES.iterdir())
    result = runner.invoke(app, ["voice", "import", *files, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # 15 posts read from 7 files; posts.txt repeats one; tweets, Shares.csv and outbox each skip a repost
    assert data == {
        "files": 7,
        "posts_read": 15,
        "added": 13,
        "duplicates": 2,
        "reposts_skipped": 3,
        "empty_skipped": 0,
    }


def test_import_show_score_forget(tmp_path: Path) -> None:
    _import_all()
    again = runner.invoke(app, ["voice", "import", str(FIXTURES / "posts.txt")])
    assert again.exit_code == 0
    assert "0 post(s) added, 4 duplicate(s)" in again.stdout

    shown = runner.invoke(app, ["voice", "show"])
    assert shown.exit_code == 0
    assert shown.stdout.startswith("From 13 past posts:")
    assert "du-form" in shown.stdout
    german = runner.invoke(app, ["voice", "show", "--lang", "de", "--format", "json"])
    doc = json.loads(german.stdout)
    assert doc["posts"] == {"import": 13}
    assert doc["description"].startswith("Aus 13 früheren Posts:")
    assert "Glasfaser" not in german.stdout  # the profile, never the posts

    draft = tmp_path / "draft.txt"
    draft.write_text(
        "Sehr geehrte Damen und Herren, wir möchten Ihnen heute mitteilen, dass Sie ab sofort buchen können.\n",
        encoding="utf-8",
    )
    scored = runner.invoke(app, ["voice", "score", str(draft)])
    assert scored.exit_code == 0, scored.output
    assert scored.stdout.startswith(f"{draft}: ")
    assert "  - Sie instead of du" in scored.stdout
    as_json = runner.invoke(app, ["voice", "score", str(draft), "--format", "json", "--lang", "de"])
    [entry] = json.loads(as_json.stdout)
    assert 0 <= entry["score"] <= 100
    assert "Sie statt du" in [r["text"] for r in entry["reasons"]]

    forgot = runner.invoke(app, ["voice", "forget", "--yes"])
    assert forgot.exit_code == 0 and "13 post(s)" in forgot.stdout
    after = runner.invoke(app, ["voice", "score", str(draft)])
    assert after.exit_code == 2
    assert "no voice profile yet" in after.stderr


def test_forget_asks_first() -> None:
    _import_all()
    refused = runner.invoke(app, ["voice", "forget"], input="n\n")
    assert refused.exit_code == 1
    assert "From 13 past posts" in runner.invoke(app, ["voice", "show"]).stdout


def test_bad_file_imports_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "outbox.json"
    bad.write_text('{"orderedItems": 5}', encoding="utf-8")
    result = runner.invoke(app, ["voice", "import", str(FIXTURES / "posts.txt"), str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: field 'orderedItems': must be a list" in result.stderr
    assert "nothing imported" in result.stderr
    assert "No voice profile yet: 0 posts" in runner.invoke(app, ["voice", "show"]).stdout


def test_untrusted_file_names_are_escaped(tmp_path: Path) -> None:
    bad = tmp_path / "evil\x1b]52;c;AAAA\x07.json"
    bad.write_text("[", encoding="utf-8")
    result = runner.invoke(app, ["voice", "import", str(bad)])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\\x1b" in result.stderr


def _export(tmp_path: Path, text: str) -> None:
    draft = tmp_path / "post.txt"
    draft.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["export", str(draft), "-c", "linkedin", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output


def test_own_exports_join_the_profile(tmp_path: Path) -> None:
    _export(tmp_path, CLEAN)
    shown = json.loads(runner.invoke(app, ["voice", "show", "--format", "json"]).stdout)
    assert shown["posts"] == {"export": 1}


def test_learning_from_exports_can_be_turned_off(tmp_path: Path, drafter_home: Path) -> None:
    config = drafter_home / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text("[voice]\nlearn_from_exports = false\n", encoding="utf-8")
    _export(tmp_path, CLEAN)
    shown = json.loads(runner.invoke(app, ["voice", "show", "--format", "json"]).stdout)
    assert shown["posts"] == {}
    # an exported post that is imported later counts once
    (out_json,) = (tmp_path / "out").glob("*.json")
    runner.invoke(app, ["voice", "import", str(out_json)])
    again = runner.invoke(app, ["voice", "import", str(out_json.with_suffix(".md"))])
    assert "0 post(s) added, 1 duplicate(s)" in again.stdout


def test_a_file_without_posts_is_an_error_and_nothing_is_imported(tmp_path: Path) -> None:
    """New-user probe: an empty voice file exited 0 with "0 post(s) added"."""
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n---\n  \n", encoding="utf-8")
    result = runner.invoke(app, ["voice", "import", str(FIXTURES / "posts.txt"), str(empty)])
    assert result.exit_code == 2, result.output
    assert f"{empty}: no posts found" in result.stderr
    shown = runner.invoke(app, ["voice", "show", "--format", "json"])
    assert json.loads(shown.stdout)["posts"] == {}  # all or nothing: posts.txt was not imported either


def test_score_leaves_out_the_marker_and_the_goal_hashtags(drafter_home: Path, tmp_path: Path) -> None:
    """New-user probe: `voice score --lang de` on a post ending "#Werkstolz #TelekomMitarbeiterin" said
    "mehr Hashtags als sonst": the profile's marker and the goals' core hashtags are the rules', not a habit."""
    (drafter_home / "config").mkdir(parents=True, exist_ok=True)
    settings = 'disclosure_marker = "#TelekomMitarbeiterin"\nonboarding_done = true\n'
    (drafter_home / "config" / "settings.toml").write_text(settings, encoding="utf-8")
    posts = tmp_path / "posts.txt"
    past = [
        f"Heute {what} mit dem Team in Köln erledigt, ich bin stolz auf uns alle und sage danke. #Werkstolz"
        for what in ("den Mast", "die Glasfaser", "den Verteiler", "die Baustelle", "den Anschluss", "das Kabel")
    ]
    posts.write_text("\n---\n".join([*past, past[0].replace("#Werkstolz", "#Werkstolz #Köln")]), encoding="utf-8")
    assert runner.invoke(app, ["voice", "import", str(posts)]).exit_code == 0
    ok = tmp_path / "ok.txt"
    ok.write_text(
        "Heute die Leitung mit dem Team in Köln erledigt, ich bin stolz auf uns alle und sage danke."
        " #Werkstolz #TelekomMitarbeiterin\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["voice", "score", str(ok), "--lang", "de", "--format", "json"])
    assert result.exit_code == 0, result.output
    [entry] = json.loads(result.stdout)
    assert entry["drifts"]["hashtags"] < 1 and "Hashtags" not in result.stdout, entry
