"""`drafter export`: the workspace's export (F8) from the command line — gate, files, corpus."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from drafter.cli import app

runner = CliRunner()

CLEAN = "Seit drei Jahren arbeite ich im Netzausbau in Köln und bin jeden Tag stolz auf unser Team. #Werkstolz"
WARNING_ONLY = CLEAN.replace("#Werkstolz", "#werkstolz")  # hashtag.goal-case is a warning
ERROR = "Mit 50 % Rabatt geht alles!!\nSchreibt mir: anna@example.org #Werkstolz"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def corpus_texts() -> list[str]:
    listed = runner.invoke(app, ["corpus", "list", "--format", "json"])
    return [p["text"] for p in json.loads(listed.stdout)]


def test_export_writes_markdown_and_json_and_feeds_the_corpus(tmp_path: Path, drafter_home: Path) -> None:
    draft = write(tmp_path, "post.txt", CLEAN + "\n")  # as an editor saves it
    result = runner.invoke(app, ["export", str(draft), "--channel", "linkedin", "--channel", "x"])
    assert result.exit_code == 0, result.output
    exports = drafter_home / "data" / "exports"
    (md,) = exports.glob("*.md")
    (js,) = exports.glob("*.json")
    assert str(md) in result.stdout and str(js) in result.stdout
    doc = json.loads(js.read_text(encoding="utf-8"))
    assert doc["text"] == CLEAN  # the file's final newline is not part of the post
    assert doc["channels"] == ["linkedin", "x"] and doc["brief_id"] is None
    assert doc["authorship"]["counts"]["typed"] > 0 and doc["authorship"]["meets_policy"] is True
    assert md.read_text(encoding="utf-8").startswith(CLEAN + "\n")
    assert corpus_texts() == [CLEAN]


def test_json_output_on_success_and_out_dir(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["export", "-", "-c", "x", "--format", "json", "--out", str(out)], input=CLEAN.encode("utf-8")
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["exported"] is True
    assert set(data["files"]) == {"markdown", "json"}
    assert Path(data["files"]["json"]).parent == out and Path(data["files"]["markdown"]).exists()
    assert data["document"]["text"] == CLEAN
    assert json.loads(Path(data["files"]["json"]).read_text(encoding="utf-8")) == data["document"]


def test_errors_refuse_with_exit_1_and_lint_style_findings(tmp_path: Path) -> None:
    draft = write(tmp_path, "bad.txt", ERROR)
    out = tmp_path / "out"
    result = runner.invoke(app, ["export", str(draft), "-c", "linkedin", "--accept-warnings", "--out", str(out)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{draft}:1:5: error disclosure disclosure.employment: " in lines[0]
    assert any(line.startswith(f"{draft}:2:15: error confidentiality confidentiality.data:") for line in lines)
    assert "not exported: Export blocked: 2 errors" in result.stderr
    assert not out.exists() and corpus_texts() == []
    as_json = runner.invoke(app, ["export", str(draft), "-c", "linkedin", "--format", "json", "--out", str(out)])
    assert as_json.exit_code == 1
    data = json.loads(as_json.stdout)
    assert data["exported"] is False and data["reason"].startswith("Export blocked")
    assert {"disclosure.employment", "confidentiality.data"} <= {f["rule"] for f in data["findings"]}


def test_warnings_refuse_unless_accepted(tmp_path: Path) -> None:
    draft = write(tmp_path, "warn.txt", WARNING_ONLY)
    out = tmp_path / "out"
    refused = runner.invoke(app, ["export", str(draft), "-c", "linkedin", "--out", str(out)])
    assert refused.exit_code == 1
    assert "warning hashtag hashtag.goal-case" in refused.stdout
    assert "--accept-warnings" in refused.stderr
    assert not out.exists()
    accepted = runner.invoke(app, ["export", str(draft), "-c", "linkedin", "--out", str(out), "--accept-warnings"])
    assert accepted.exit_code == 0, accepted.output
    assert len(list(out.glob("*.json"))) == 1


def test_origin_pasted_is_refused_by_the_bundled_policy(tmp_path: Path) -> None:
    draft = write(tmp_path, "post.txt", CLEAN)
    out = tmp_path / "out"
    result = runner.invoke(app, ["export", str(draft), "-c", "linkedin", "--origin", "pasted", "--out", str(out)])
    assert result.exit_code == 1
    assert "error authorship authorship.min_own_share" in result.stdout
    assert not out.exists()
    ai = runner.invoke(app, ["export", str(draft), "-c", "linkedin", "--origin", "ai", "--format", "json"])
    assert ai.exit_code == 1 and "authorship" in {f["category"] for f in json.loads(ai.stdout)["findings"]}


def test_brief_is_looked_up_in_the_store(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["export", "-", "-c", "x", "--brief", "nope"], input=CLEAN)
    assert missing.exit_code == 1 and "no such brief: 'nope'" in missing.stderr
    brief = write(
        tmp_path,
        "b.md",
        "---\nid: netz-koeln\ntitle: Netzausbau Köln\nbusiness_unit: Netz\ngoal: Werkstolz\n---\nText\n",
    )
    assert runner.invoke(app, ["briefs", "import", str(brief)]).exit_code == 0
    result = runner.invoke(app, ["export", "-", "-c", "x", "--brief", "netz-koeln", "--format", "json"], input=CLEAN)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["document"]["brief_id"] == "netz-koeln"
    # the brief's embargo applies, as in the app: before its date the post is exported as scheduled
    later = write(tmp_path, "later.md", brief.read_text().replace("goal:", "not_before: 2099-01-01\ngoal:"))
    later.write_text(later.read_text().replace("netz-koeln", "netz-spaeter"))
    assert runner.invoke(app, ["briefs", "import", str(later)]).exit_code == 0
    fresh = "Ab Januar baue ich mit meinem Team Glasfaser in ganz Bonn aus und freue mich darauf. #Werkstolz"
    embargo = runner.invoke(app, ["export", "-", "-c", "x", "--brief", "netz-spaeter"], input=fresh)
    assert embargo.exit_code == 0 and "embargo.not-before" in embargo.stdout
    assert "scheduled: may be posted from 2099-01-01" in embargo.stdout


def test_a_skipped_rule_refuses_even_with_accepted_warnings(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    (folder / "rules").mkdir(parents=True)
    (folder / "guidelines.yaml").write_text('name: t\nversion: "1"\nchannels: {x: {label: X, limit: 280}}\n')
    (folder / "rules" / "r.yaml").write_text(
        "rules:\n  - {id: slow.one, type: existence, level: error, category: t, message: m, patterns: ['(a|aa)+$']}\n"
    )
    out = tmp_path / "out"
    args = ["export", "-", "-c", "x", "--guidelines", str(folder), "--accept-warnings", "--out", str(out)]
    result = runner.invoke(app, args, input="a" * 60 + "b")
    assert result.exit_code == 1
    assert "slow.one" in result.stderr and "not exported" in result.stderr
    assert "The pattern of rule slow.one" in result.output  # English, as all the CLI says
    assert "Das Muster der Regel" not in result.output
    assert not out.exists()


def test_empty_draft_unknown_channel_and_missing_file(tmp_path: Path) -> None:
    empty = runner.invoke(app, ["export", "-", "-c", "x"], input="\n")
    assert empty.exit_code == 1 and "The draft is empty." in empty.stderr
    channel = runner.invoke(app, ["export", "-", "-c", "tiktok"], input=CLEAN)
    assert channel.exit_code == 2 and "unknown channel 'tiktok'" in channel.stderr
    # no --channel and no preferred channels: the guideline set's default channel, as lint does
    default = runner.invoke(
        app, ["export", "-", "--accept-warnings", "--format", "json", "--out", str(tmp_path / "o")], input=CLEAN
    )
    assert default.exit_code == 0, default.stderr
    assert json.loads(default.stdout)["document"]["channel"] == "linkedin"
    text = runner.invoke(app, ["export", "-", "--accept-warnings", "--out", str(tmp_path / "o")], input=CLEAN)
    assert "channel linkedin (the guidelines' default" in text.stderr
    missing = runner.invoke(app, ["export", str(tmp_path / "nope.txt"), "-c", "x"])
    assert missing.exit_code == 2 and "nope.txt: no such file" in missing.stderr


def test_origin_attested_counts_as_own_unless_it_copies_the_brief_or_a_corpus_post(tmp_path: Path) -> None:
    draft = write(tmp_path, "notiz.txt", CLEAN)
    result = runner.invoke(app, ["export", str(draft), "-c", "linkedin", "--origin", "attested", "--format", "json"])
    assert result.exit_code == 0, result.output
    authorship = json.loads(result.stdout)["document"]["authorship"]
    assert authorship["attested"]["count"] == sum(1 for ch in CLEAN if not ch.isspace())
    assert authorship["meets_policy"] is True
    # exporting the same file again (another channel) is not a copy of itself …
    again = runner.invoke(app, ["export", str(draft), "-c", "x", "--origin", "attested"])
    assert again.exit_code == 0, again.output
    # … but the same text from another file is the same post again: the author's words (attesting them is
    # no lie), and a repost all the same, which the near-copy check refuses
    copy = write(tmp_path, "kopie.txt", CLEAN)
    copied = runner.invoke(app, ["export", str(copy), "-c", "linkedin", "--origin", "attested"])
    assert copied.exit_code == 1 and "cannot be attested" not in copied.stderr
    assert "originality.corpus" in copied.stdout and "einem deiner exportierten Beiträge" in copied.stdout
    typed = runner.invoke(app, ["export", str(copy), "-c", "linkedin"])
    assert typed.exit_code == 1 and "originality.corpus" in typed.stdout
    # a colleague's post in the corpus cannot be attested as one's own words
    colleague = "Gestern haben wir in Bonn einen ganzen Straßenzug an das Glasfasernetz angeschlossen, bei Regen."
    posts = write(tmp_path, "kollegin.txt", colleague)
    assert runner.invoke(app, ["corpus", "import", str(posts)]).exit_code == 0
    theirs = runner.invoke(app, ["export", "-", "-c", "linkedin", "--origin", "attested"], input=colleague)
    assert theirs.exit_code == 1 and "cannot be attested" in theirs.stderr and "a post in the corpus" in theirs.stderr
    brief = write(
        tmp_path,
        "b.md",
        "---\nid: netz-bonn\ntitle: Netz\nbusiness_unit: Netz\ngoal: Werkstolz\n---\n"
        "Wir bauen das Glasfasernetz in Bonn Straße für Straße aus und sind stolz auf jedes Team vor Ort.\n",
    )
    assert runner.invoke(app, ["briefs", "import", str(brief)]).exit_code == 0
    copied = "Wir bauen das Glasfasernetz in Bonn Straße für Straße aus und sind stolz auf jedes Team vor Ort."
    refused = runner.invoke(
        app, ["export", "-", "-c", "x", "--brief", "netz-bonn", "--origin", "attested"], input=copied + " #Werkstolz"
    )
    assert refused.exit_code == 1 and "the brief's text" in refused.stderr


def test_channels_from_the_profile_are_said_and_a_further_channels_limit_explained(
    tmp_path: Path, drafter_home: Path
) -> None:
    """New-user probe: ``drafter export`` without ``--channel`` checked X too (her profile's channels) without
    saying so, then refused a LinkedIn post as too long for X."""
    config = drafter_home / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text('channels = ["linkedin", "x"]\n', encoding="utf-8")
    long = CLEAN + " Wir haben in drei Monaten zwölf Straßen angeschlossen und dabei sehr viel gelernt." * 3
    result = runner.invoke(app, ["export", "-", "--accept-warnings", "--out", str(tmp_path / "o")], input=long)
    assert result.exit_code == 1
    assert "channels linkedin, x (your profile's preferred channels" in result.stderr
    assert "Too long only for x: leave that channel out (--channel)" in result.stderr
    named = runner.invoke(app, ["export", "-", "-c", "linkedin", "--out", str(tmp_path / "o2")], input=CLEAN)
    assert "preferred channels" not in named.stderr
