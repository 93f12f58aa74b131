"""What the probes of the seventeenth session found, each held: a Mastodon outbox whose HTML never closes a
tag is read in linear time, half a surrogate pair in a JSON import is refused with its field (no traceback),
values quoted in messages and listings are cut, a profile name with an escape sequence is refused, the AI
redaction catches the common German forms of phone numbers, IBANs and addresses, and the CLI's guideline
messages follow the profile's language."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter import paths
from drafter.cli import app
from drafter.corpus import CorpusImportError
from drafter.corpus import read_file as read_corpus_file
from drafter.errors import MAX_SAID_VALUE, UserError, said
from drafter.settings import SettingsError, load_settings
from drafter.voice_import import html_to_text, read_file


def test_html_that_never_closes_a_tag_is_read_in_linear_time(tmp_path: Path) -> None:
    """``'<a ' * 30000`` (90 KB) kept the standard library's HTMLParser busy for minutes; it is text now."""
    outbox = tmp_path / "outbox.json"
    content = "<p>Hallo &amp; willkommen</p>" + "<a " * 30_000
    outbox.write_text(json.dumps({"orderedItems": [{"type": "Create", "object": {"id": "1", "content": content}}]}))
    done = _in_time(lambda: _read_or_error(outbox))
    assert not isinstance(done, BaseException), done


def _in_time(work: Callable[[], object]) -> object:
    """What ``work`` returns, run in a thread given 30 s: a guard against a hang, not a speed target (the
    work takes milliseconds)."""
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(work()), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive() and done, "it hangs"
    return done[0]


def _read_or_error(path: Path) -> object:
    try:
        return read_file(path)
    except UserError:  # a refusal (the post is too long) is an answer too; a hang is not
        return "refused"
    except Exception as exc:
        return exc


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>Erster Absatz</p><p>Zweiter<br>Zeile &lt;3</p>", "Erster Absatz\n\nZweiter\nZeile <3"),
        ('<p>Danke <a href="https://x.test/@bob" class="u-url mention">@<span>bob</span></a>!</p>', "Danke @bob!"),
        ("<p>a</p>\n<p>b</p>", "a\n\n\nb"),
        # scripts, styles and comments are no text; a "<" with a space after it starts no tag (a second probe)
        ("<p>x<script>alert(1)</script> y<!-- hidden --> z</p><style>p{}</style><p>second</p>", "x y z\n\nsecond"),
        ("a &lt; b and c &gt; d, a < b and c > d", "a < b and c > d, a < b and c > d"),
        ("<p>ok<!-- never closed", "ok"),
    ],
)
def test_mastodon_html_becomes_the_posts_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ('{"text": "Mein Post \\udfff über den Ausbau"}', "text"),
        ('{"text": "Mein Post über den Ausbau", "id": "\\ud800"}', "id"),
        ('{"text": "Mein Post über den Ausbau", "channel": "x\\udfff"}', "channel"),
        ('{"text": "Mein Post über den Ausbau", "brief_id": "b\\udfff"}', "brief_id"),
    ],
)
def test_half_a_surrogate_pair_in_a_corpus_import_is_refused_with_its_field(
    tmp_path: Path, item: str, field: str
) -> None:
    """A JSON escape made a lone surrogate, which the store refused with a traceback."""
    file = tmp_path / "posts.json"
    file.write_text(item, encoding="utf-8")
    with pytest.raises(CorpusImportError) as caught:
        read_corpus_file(file)
    (problem,) = caught.value.problems
    assert problem.field == field and "surrogate" in problem.message and problem.line == 1, problem


def test_half_a_surrogate_pair_in_a_voice_import_is_dropped(tmp_path: Path) -> None:
    file = tmp_path / "posts.json"
    file.write_text('[{"text": "Mein Beitrag \\ud800 über unser Team hier"}]', encoding="utf-8")
    (post,) = read_file(file).posts
    assert post[1] == "Mein Beitrag  über unser Team hier"
    post[1].encode("utf-8")  # no surrogate left: the store can hold it


def test_values_quoted_in_messages_are_cut() -> None:
    text = said("settings.unknown_language", value="9" * 100_000, known="de, en").text("en")
    assert len(text) < MAX_SAID_VALUE + 100 and "…" in text


def test_briefs_check_names_the_first_ids_of_a_large_file(tmp_path: Path, drafter_home: Path) -> None:
    rows = ["Titel;Geschäftsbereich;Ziel;Text"] + [f"Brief {i};BU;Werkstolz;Text {i}" for i in range(500)]
    (tmp_path / "many.csv").write_text("\n".join(rows), encoding="utf-8")
    result = CliRunner().invoke(app, ["briefs", "check", str(tmp_path / "many.csv")])
    assert result.exit_code == 0, result.output
    assert "500 brief(s): bu-brief-0, bu-brief-1" in result.output and "and 480 more" in result.output
    assert "bu-brief-499" not in result.output


@pytest.mark.parametrize("value", ["Eve\\u001b]0;x\\u0007", "Eve\\u202eevE", "Eve\\nMallory"])
def test_a_profile_name_with_a_control_or_bidi_character_is_refused(tmp_path: Path, value: str) -> None:
    """It was written raw into the Markdown export's author line."""
    file = tmp_path / "settings.toml"
    file.write_text(f'name = "{value}"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(file)
    assert caught.value.problems[0].field == "name" and caught.value.problems[0].line == 1
    for fine in (
        "Eve Müller-Öztürk 🌱",
        "Ewan 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
        "می\u200cخواهم",
    ):
        file.write_text(f'name = "{fine}"\n', encoding="utf-8")  # a Scottish flag, a Persian joiner: a second probe
        assert load_settings(file).name == fine


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Rückfragen an jürgen.müller@telekom.de bitte", "jürgen"),
        ("Schreib an max(at)telekom.de", "max"),
        ("Schreib an max＠telekom.de", "max"),
        ("Ruf an: (0171) 1234567", "1234567"),
        ("Ruf an: +４９ １７１ １２３４５６７", "１２３４５６７"),
        ("Erstattung an de89 3704 0044 0532 0130 00.", "0532"),
        ("Erstattung an DE89-3704-0044-0532-0130-00.", "0532"),
        # a second probe
        ("Ruf an: ０１７１ １２３４５６７", "１２３４５６７"),
        ("Schreib an anna＠telekom．de", "anna"),
        ("Schreib an anna [at] telekom [dot] de", "anna"),
        ("Call +1 (555) 123-4567", "4567"),
        ("Fax: 030 / 12 34 56", "34 56"),
        ("Karte 4111 1111 1111 1111", "1111"),
    ],
)
def test_the_default_redaction_catches_the_common_forms(text: str, gone: str) -> None:
    from drafter.ai.policy import Redactor
    from drafter.guidelines import load_guidelines

    redacted = Redactor(load_guidelines().policies.ai)(text)
    assert gone not in redacted and "[" in redacted, redacted


def test_the_default_redaction_leaves_dates_rooms_and_versions() -> None:
    from drafter.ai.policy import Redactor
    from drafter.guidelines import load_guidelines

    text = (
        "Am 01.12.2026 um 14:30 Uhr in Raum 2.14, Version 4.2.1, 3 von 12 Ausschreibungen, 53113 Bonn. Der FY25"
        " Nachhaltigkeitsbericht, Team XY23 Netzausbauprojekt, zwischen 2020 und 2024 1.200 Anschlüsse, 1.234,56 €."
        " Schreib an info@x.de. Danke!"
    )
    expected = text.replace("info@x.de", "[E-MAIL]")
    assert Redactor(load_guidelines().policies.ai)(text) == expected


def test_lint_speaks_the_profiles_language_unless_told(drafter_home: Path) -> None:
    """An English profile got the guideline messages in German (a new-user probe); --lang still decides."""
    paths.config_dir().mkdir(parents=True, exist_ok=True)
    (paths.config_dir() / "settings.toml").write_text('language = "en"\n', encoding="utf-8")
    text = "I work at Telekom. Our Magenta TV app got faster!! #WeWontStop\n"

    def lint(*extra: str) -> str:
        run = subprocess.run(
            [sys.executable, "-m", "drafter", "lint", "-", "--channel", "linkedin", *extra],
            input=text,
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        return run.stdout

    assert "Write “MagentaTV” instead of “Magenta TV”" in lint()
    assert "Schreib „MagentaTV“ statt „Magenta TV“" in lint("--lang", "de")


def test_corpus_listings_name_sources_in_words(tmp_path: Path, drafter_home: Path) -> None:
    """A new-user probe: `corpus list` showed the store's `export:import:FILE`, `corpus stats` "Channels: - 1"."""
    post = tmp_path / "alt.txt"
    post.write_text("Mein alter Post über Glasfaser in Bonn und das ganze Team.\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["corpus", "import", "--own", str(post)]).exit_code == 0
    listed = runner.invoke(app, ["corpus", "list"]).output
    assert f"yours, from {post}" in listed and "export:" not in listed, listed
    assert "Channels:   no channel 1" in runner.invoke(app, ["corpus", "stats"]).output


def test_voice_import_reads_a_folder_of_past_posts(tmp_path: Path) -> None:
    """A new-user probe: `corpus import` took a folder, `voice import` refused it."""
    from drafter.voice_import import VoiceImportError, read_paths

    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "a.txt").write_text("Mein Post über das Team in Bonn und den Ausbau.\n", encoding="utf-8")
    (tmp_path / "sub" / "b.md").write_text("Noch einer über die Baustelle in Beuel.\n", encoding="utf-8")
    (tmp_path / ".hidden" / "c.txt").write_text("Versteckt bleibt versteckt.\n", encoding="utf-8")
    (tmp_path / "bild.png").write_bytes(b"\x89PNG")
    read = read_paths([tmp_path])
    assert sorted(text for _, text in read.posts) == [
        "Mein Post über das Team in Bonn und den Ausbau.",
        "Noch einer über die Baustelle in Beuel.",
    ]
    (tmp_path / "empty").mkdir()
    with pytest.raises(VoiceImportError):
        read_paths([tmp_path / "empty"])


def test_a_critique_remark_quoting_what_the_draft_does_not_hold_gets_no_place() -> None:
    """A new-user probe: the server quoted "LOT" at 0–3 of a draft without it, and the remark sat on "Wir"."""
    from drafter.ai.gate import anchor

    draft = "Wir bauen aus. Wir bauen weiter."
    assert anchor(draft, "LOT", 0, 3) is None
    assert anchor(draft, "bauen weiter", 0, 3) == (19, 31)
    assert anchor(draft, "", 4, 9) == (4, 9)  # no quote: the offsets, when they lie inside the draft
    assert anchor(draft, "", 30, 99) is None


def test_suggest_names_the_one_channel_it_works_on(drafter_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A new-user probe: suggest announced "channels x, linkedin", then suggested for x alone."""
    from drafter.cli.common import command_channels, command_workspace

    paths.config_dir().mkdir(parents=True, exist_ok=True)
    (paths.config_dir() / "settings.toml").write_text('channels = ["x", "linkedin"]\n', encoding="utf-8")
    ws = command_workspace(None)
    try:
        assert command_channels(ws, ws.guidelines, None, announce=True, first_only=True) == ["x"]
        said_first = capsys.readouterr().err
        assert command_channels(ws, ws.guidelines, None, announce=True) == ["x", "linkedin"]
        said_all = capsys.readouterr().err
    finally:
        ws.close()
    assert "channel x (your profile's first channel" in said_first and "linkedin" not in said_first
    assert "channels x, linkedin (your profile's preferred channels" in said_all


def test_many_paragraphs_are_read_in_linear_time() -> None:
    """A second probe: every <p> looked at all text so far (180 KB of "<p>" took 16 s)."""
    assert _in_time(lambda: html_to_text("<p>" * 300_000 + "hallo")) == "hallo"


def test_an_outbox_post_id_with_half_a_surrogate_pair_is_stored_clean(tmp_path: Path) -> None:
    """A second probe: the text was cleaned but not the source, and the store raised UnicodeEncodeError."""
    outbox = tmp_path / "outbox.json"
    item = {"type": "Create", "object": {"id": "https://x.test/\udfff\u202e1", "content": "<p>Mein Post.</p>"}}
    outbox.write_text(json.dumps({"orderedItems": [item]}), encoding="utf-8")
    ((source, text),) = read_file(outbox).posts
    assert text == "Mein Post." and source.endswith("https://x.test/1")
    source.encode("utf-8")


def test_a_folder_without_posts_says_so_and_hidden_folders_are_not_entered(tmp_path: Path) -> None:
    from drafter.voice_import import VoiceImportError, read_paths

    (tmp_path / "only.docx").write_bytes(b"PK")
    with pytest.raises(VoiceImportError) as caught:
        read_paths([tmp_path])
    assert "in this folder" in str(caught.value)
    hidden = tmp_path / ".git" / "objects"
    hidden.mkdir(parents=True)
    for i in range(50):
        (hidden / f"{i}.txt").write_text("Versteckt und nicht meins.\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Mein Post über das Team.\n", encoding="utf-8")
    assert [text for _, text in read_paths([tmp_path]).posts] == ["Mein Post über das Team."]
