"""Hidden characters and look-alike letters cannot switch the checks off (hostile-input probe, issue 9)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter.cli import app
from drafter.safe_text import strip_unsafe, visible
from drafter.text_integrity import HIDDEN_RULE, MIXED_SCRIPT_RULE
from drafter.workspace import Workspace

runner = CliRunner()
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
#: invisible characters the probe used to hide a phone number, an e-mail, an IBAN and brand words
HIDDEN = ["\u200b", "\u2060", "\u00ad", "\u2063", "\U000e0041", "\u200c", "\u034f", "\u2028", "\ufe01"]
LEAKY = "Ruf an: 0171{h}1234567 oder max{h}@example.com, IBAN DE89{h}370400440532013000. Besser als Voda{h}fone!"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(settings_path=tmp_path / "s.toml", store_path=tmp_path / "d.sqlite3", clock=lambda: NOW)


@pytest.mark.parametrize("hidden", HIDDEN, ids=[f"U+{ord(h):04X}" for h in HIDDEN])
def test_a_hidden_character_is_an_error_that_f4_removes(ws: Workspace, hidden: str) -> None:
    text = LEAKY.format(h=hidden) + " #WeWontStop"
    check = ws.check_draft(text, channels=["linkedin"])
    found = [f for f in check.findings if f.rule == HIDDEN_RULE]
    assert len(found) == 4 and check.blocked
    assert all(text[f.start : f.end] == hidden and f.replacements == ("",) for f in found)
    # with the fixes applied, the rules see the text: phone, e-mail, IBAN and competitor are found
    clean = text.replace(hidden, "")
    categories = {f.category for f in ws.check_draft(clean, channels=["linkedin"]).findings}
    assert {"confidentiality", "competitor"} <= categories


def test_words_with_look_alike_letters_are_errors_but_foreign_words_and_emoji_are_not(ws: Workspace) -> None:
    spoofed = "Die Telec\u043em ist #L\u043eveMagenta und \u0441ool"  # Cyrillic о and с
    found = [f for f in ws.check_draft(spoofed, channels=["x"]).findings if f.rule == MIXED_SCRIPT_RULE]
    assert [spoofed[f.start : f.end] for f in found] == ["Telec\u043em", "L\u043eveMagenta", "\u0441ool"]
    honest = "Привет aus Kyiv und καλημέρα aus Athen! 👨‍👩‍👧 ❤️ 🇩🇪 #Werkstolz"
    assert not [f for f in ws.check_draft(honest, channels=["x"]).findings if f.category == "integrity"]


def test_the_cli_reports_them_and_export_refuses(tmp_path: Path) -> None:
    draft = tmp_path / "zw.txt"
    draft.write_text(LEAKY.format(h="\u00ad") + " #WeWontStop\n", encoding="utf-8")
    lint = runner.invoke(app, ["lint", str(draft), "-c", "linkedin", "--format", "json"])
    assert lint.exit_code == 1
    (result,) = json.loads(lint.stdout)
    assert sum(f["rule"] == HIDDEN_RULE for f in result["findings"]) == 4
    export = runner.invoke(app, ["export", str(draft), "-c", "linkedin", "--out", str(tmp_path / "out")])
    assert export.exit_code == 1 and HIDDEN_RULE in export.stdout
    assert not (tmp_path / "out").exists()
    # a control character in a draft file is reported at its place, escaped, not a refusal of the file
    esc = tmp_path / "esc.txt"
    esc.write_text("Hallo \x1b]52;c;ZXZpbA==\x07 Welt #Werkstolz\n", encoding="utf-8")
    text_out = runner.invoke(app, ["lint", str(esc), "-c", "x"])
    assert text_out.exit_code == 1 and f"{esc}:1:7: error integrity {HIDDEN_RULE}" in text_out.stdout
    assert "\x1b" not in text_out.stdout and "\x07" not in text_out.stdout


def test_a_soft_hyphenated_copy_of_a_corpus_post_cannot_be_exported(tmp_path: Path) -> None:
    post = (
        "Gestern habe ich mit meinem Team in Bonn einen ganzen Straßenzug ans Glasfasernetz angeschlossen. #Werkstolz"
    )
    source = tmp_path / "kollegin.txt"
    source.write_text(post, encoding="utf-8")
    assert runner.invoke(app, ["corpus", "import", str(source)]).exit_code == 0
    copy = tmp_path / "kopie.txt"
    copy.write_text(" ".join(w[:2] + "\u00ad" + w[2:] for w in post.split()), encoding="utf-8")
    result = runner.invoke(app, ["export", str(copy), "-c", "linkedin", "--origin", "attested"])
    assert result.exit_code == 1


def test_the_editor_and_the_terminal_never_get_them_raw() -> None:
    for hidden in HIDDEN:
        assert strip_unsafe(f"Voda{hidden}fone") == "Vodafone"
        assert hidden not in visible(f"Voda{hidden}fone")
    assert strip_unsafe("👨‍👩‍👧 ❤️") == "👨‍👩‍👧 ❤️"  # ZWJ and VS16 stay: emoji need them


def test_brief_fields_lose_hidden_characters_on_import(tmp_path: Path) -> None:
    brief = tmp_path / "b.md"
    brief.write_text(
        "---\nid: winter\ntitle: Winter\u00adbau\nbusiness_unit: Technik\ngoal: WeWontStop\n"
        "hashtags: ['#Love\u2063Magenta', '#Glas\u200bfaser']\n---\nText\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["briefs", "import", str(brief)]).exit_code == 0
    shown = json.loads(runner.invoke(app, ["briefs", "show", "winter", "--format", "json"]).stdout)
    assert shown["title"] == "Winterbau" and shown["hashtags"] == ["#LoveMagenta", "#Glasfaser"]


def test_inbox_does_not_follow_symbolic_links(tmp_path: Path) -> None:
    from drafter.inbox import inbox_files

    outside = tmp_path / "secret.yaml"
    outside.write_text("title: geheim\n", encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "link.yaml").symlink_to(outside)
    (inbox / "ok.yaml").write_text("title: A\n", encoding="utf-8")
    assert [p.name for p in inbox_files(inbox)] == ["ok.yaml"]


def test_export_out_folder_is_private(tmp_path: Path) -> None:
    draft = tmp_path / "p.txt"
    draft.write_text("Seit drei Jahren arbeite ich im Netzausbau in Köln und bin stolz auf unser Team. #Werkstolz")
    out = tmp_path / "neu" / "exporte"
    result = runner.invoke(app, ["export", str(draft), "-c", "linkedin", "--out", str(out), "--accept-warnings"])
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("joiner", ["\u200d", "\ufe0f", "\ufe0e"], ids=["ZWJ", "VS16", "VS15"])
def test_a_joiner_inside_a_word_is_hidden_but_emoji_sequences_are_fine(ws: Workspace, joiner: str) -> None:
    """Hostile probe: a zero-width joiner or variation selector inside words slipped a near-copy past the
    corpus check (and would hide a brand word or a phone number from the patterns)."""
    text = f"Besser als Voda{joiner}fone! Ruf an: 0171{joiner}1234567 #WeWontStop"
    check = ws.check_draft(text, channels=["linkedin"])
    found = [f for f in check.findings if f.rule == HIDDEN_RULE]
    assert [text[f.start : f.end] for f in found] == [joiner, joiner] and check.blocked
    assert all(f.replacements == ("",) for f in found)
    emoji = "Team 👩\u200d💻 und 👨\u200d👩\u200d👧, ❤\ufe0f, 1\ufe0f\u20e3 Platz, ✌\ufe0e #Werkstolz"
    assert not [f for f in ws.check_draft(emoji, channels=["x"]).findings if f.category == "integrity"]
