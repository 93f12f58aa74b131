"""Reading past posts for the voice profile: every format, reposts and duplicates, bad files, bounds."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from drafter import voice_import
from drafter.store import Store
from drafter.voice import VoiceStore
from drafter.voice_import import VoiceImportError, read_file, read_paths

FIXTURES = Path(__file__).parent / "fixtures" / "voice"


def texts(path: Path) -> list[str]:
    return [text for _source, text in read_file(path).posts]


def test_plain_text_blank_lines_separate_posts() -> None:
    posts = texts(FIXTURES / "posts.txt")
    assert len(posts) == 4
    assert posts[1].startswith("Wer kommt am Samstag")
    assert posts[3].endswith("#WeWontStop")


def test_markdown_dashes_separate_posts_and_keep_paragraphs() -> None:
    posts = texts(FIXTURES / "posts.md")
    assert posts[0] == "Erster Post mit zwei Absätzen.\n\nDer zweite Absatz gehört noch dazu. #Werkstolz"
    assert posts[1:] == ["Zweiter Post, auch kurz. Danke ans Team! 🙌", "Dritter Post: Wie findet ihr das neue Design?"]


def test_x_archive_tweets_js_skips_retweets_and_decodes_entities() -> None:
    read = read_file(FIXTURES / "tweets.js")
    assert [t for _, t in read.posts] == [
        "Network maintenance done & everything green again. Coffee time ☕",
        "Fixed a flaky test today. Root cause: a timezone. It is always a timezone.",
    ]
    assert read.reposts == 1
    assert read.posts[0][0].endswith("#1001")


def test_x_archive_zip_reads_data_tweets_js(tmp_path: Path) -> None:
    archive = tmp_path / "twitter-2026.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(FIXTURES / "tweets.js", "data/tweets.js")
        zf.writestr("data/like.js", "window.YTD.like.part0 = []")
        zf.writestr("data/tweets_media/1.jpg", b"\xff\xd8 not read")
    read = read_file(archive)
    assert len(read.posts) == 2 and read.reposts == 1
    assert read.posts[0][0].startswith(f"{archive}:data/tweets.js#")


def test_linkedin_shares_csv_keeps_line_breaks_and_skips_reposts() -> None:
    read = read_file(FIXTURES / "Shares.csv")
    assert [t for _, t in read.posts] == [
        "Drei Jahre im Team, und ich lerne jeden Tag dazu.\nDanke an alle, die mitmachen! #Werkstolz",
        "Frage an euch: Wie erklärt ihr Glasfaser in einem Satz?",
    ]
    assert read.reposts == 1


def test_mastodon_outbox_html_becomes_text_and_boosts_are_skipped() -> None:
    read = read_file(FIXTURES / "outbox.json")
    assert [t for _, t in read.posts] == [
        "Heute Antennen getauscht, bei Sonne & Wind.\n\nSchöner Tag! #Werkstolz",
        "Frage an @bob:\nKommst du mit zum Meetup?",
    ]
    assert read.reposts == 1


def test_own_exports_json_and_markdown_give_the_post_text() -> None:
    assert texts(FIXTURES / "export.json") == [
        "Unser Azubi-Team hat heute den ersten Glasfaser-Hausanschluss allein gelegt. Stolz! #Werkstolz"
    ]
    # the Markdown export: the text with its paragraphs, without the footer and the findings
    assert texts(FIXTURES / "export.md") == [
        "Unser Azubi-Team hat heute den ersten Glasfaser-Hausanschluss allein gelegt.\n\nStolz! #Werkstolz"
    ]


def test_an_export_written_by_this_app_reads_back(tmp_path: Path) -> None:
    import datetime as dt

    from drafter.export import build_export, write_export

    text = "Erster Absatz.\n\n---\n\nNach einem Strich geht es weiter. #Werkstolz"
    doc = build_export(
        text=text,
        channels=["linkedin"],
        findings=[],
        guideline_name="default",
        guideline_version="1",
        exported_at=dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.UTC),
    )
    files = write_export(doc, out_dir=tmp_path, lang="de")
    assert texts(files.markdown) == [text]
    assert texts(files.json) == [text]


def test_duplicates_are_stored_once(tmp_path: Path) -> None:
    read = read_paths([FIXTURES / "posts.txt", FIXTURES / "posts.txt"])
    assert len(read.posts) == 8
    with Store(tmp_path / "s.sqlite3") as store:
        voices = VoiceStore(store)
        report = voices.add(read.posts)
        assert (report.added, report.duplicates) == (3, 5)
        # spacing and case do not make a post new
        again = voices.add(
            [("x", "  HEUTE zum ersten Mal Glasfaser im Keller angeschlossen.   Hat gedauert, läuft aber! 💪")]
        )
        assert (again.added, again.duplicates) == (0, 1)
        assert voices.count() == {"import": 3}
        assert voices.forget() == 3
        assert voices.texts() == []


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("broken.json", '{"text": "a",', "not valid JSON"),
        ("other.json", '{"posts": []}', "field 'text'"),
        (
            "outbox.json",
            '{"orderedItems": [{"type": "Create", "object": {"content": 5}}]}',
            "orderedItems[0].object.content",
        ),
        ("tweets.js", '[{"tweet": {"full_text": "x"}}]', "window.YTD"),
        ("tweets.js", 'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1"}}]', "[0].tweet.full_text"),
        ("tweets.js", 'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1"}}]', "required text is missing"),
        ("tweets.js", 'window.YTD.tweets.part0 = [{"tweet": {"full_text": 5}}]', "'[0].tweet.full_text': must be text"),
        ("Shares.csv", "Date,Link\n2025-01-01,x\n", "field 'ShareCommentary'"),
        ("posts.docx", "PK", "unsupported file type"),
        ("bad.txt", b"ok\n\x00\x01binary", "line 2"),
    ],
)
def test_bad_files_name_file_and_place(tmp_path: Path, name: str, content: str | bytes, expected: str) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(VoiceImportError) as info:
        read_file(path)
    assert str(path) in str(info.value)
    assert expected in str(info.value)


def test_one_bad_file_imports_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text("[", encoding="utf-8")
    with pytest.raises(VoiceImportError) as info:
        read_paths([FIXTURES / "posts.txt", bad, tmp_path / "missing.txt"])
    assert len(info.value.problems) == 2  # every bad file is named, none is half-read


def test_zip_bomb_stops_at_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(voice_import, "MAX_ARCHIVE_BYTES", 100_000)
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data/tweets.js", "window.YTD.tweets.part0 = [" + " " * 5_000_000 + "]")
    assert archive.stat().st_size < 20_000  # a small file that unpacks to 5 MB
    with pytest.raises(VoiceImportError, match=r"too large|more than"):
        read_file(archive)


def test_zip_member_that_lies_about_its_size_is_cut_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(voice_import, "MAX_ARCHIVE_BYTES", 1000)
    archive = tmp_path / "liar.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("tweets.js", "window.YTD.tweets.part0 = [" + " " * 5000 + "]")
    info = zipfile.ZipFile(archive).getinfo("tweets.js")
    # rewrite the central directory's size field to claim 10 bytes
    data = bytearray(archive.read_bytes())
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    assert info.file_size > 1000
    with pytest.raises(VoiceImportError):
        read_file(archive)


def test_not_a_zip_and_not_a_file(tmp_path: Path) -> None:
    fake = tmp_path / "archive.zip"
    fake.write_text("hello", encoding="utf-8")
    with pytest.raises(VoiceImportError, match="not a readable zip"):
        read_file(fake)
    folder = tmp_path / "dir.zip"
    folder.mkdir()
    with pytest.raises(VoiceImportError, match="not a regular file"):
        read_file(folder)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(VoiceImportError, match="not a regular file"):
        read_file(fifo)


def test_huge_text_file_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(voice_import.MAX_FILE_BYTES + 1)
    with pytest.raises(VoiceImportError, match="too large"):
        read_file(big)


def test_overlong_post_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.json"
    path.write_text(json.dumps({"text": "x" * (voice_import.MAX_POST_CHARS + 1)}), encoding="utf-8")
    with pytest.raises(VoiceImportError, match="limit is 20,000"):
        read_file(path)


def test_control_bidi_and_invisible_characters_are_dropped_from_imported_posts(tmp_path: Path) -> None:
    """They never belong in a post; the profile's openers (which may go into an AI prompt) stay clean."""
    from drafter.voice_import import read_file

    path = tmp_path / "posts.txt"
    path.write_text("Heute\u202e im\u200b Team unterwegs\u202c! #Werkstolz\n\nZweiter Post ohne Tricks.\n", "utf-8")
    posts = [text for _, text in read_file(path).posts]
    assert posts[0] == "Heute im Team unterwegs! #Werkstolz"
    assert posts[1] == "Zweiter Post ohne Tricks."
