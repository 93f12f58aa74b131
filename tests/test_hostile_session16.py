"""What a hostile probe of the sixteenth session found, each held: own exports cannot hide a colleague's post
from Ctrl+O or the near-copy finding, pastes are judged together, a FIFO in place of the store or the settings
file is refused instead of hanging, an empty store file is not initialised by lint, a secret in the AI base URL
is refused when the settings are read, and the settings cache's unpickler never imports."""

from __future__ import annotations

import os
import pickle
import sys
import threading
from pathlib import Path

import pytest

from drafter.authorship import AuthorshipRecord, Origin, paste_spans
from drafter.originality import CorpusPost, InMemoryPostIndex

COLLEAGUE_PARAGRAPHS = [
    "Gestern waren wir mit dem Bautrupp in Beuel unterwegs.",
    "Bei Nieselregen haben wir zwölf Hausanschlüsse gespleißt.",
    "Die Nachbarn brachten uns Kaffee und Kuchen vorbei.",
    "So macht Netzausbau richtig Freude, ehrlich gesagt.",
]
COLLEAGUE = "\n\n".join(COLLEAGUE_PARAGRAPHS) + "\n\n#Werkstolz"
MINE = "Ich durfte diese Woche zum ersten Mal selbst beim Spleißen helfen und habe dabei unheimlich viel gelernt"


def test_own_exports_cannot_crowd_a_colleagues_post_out_of_the_paste_check() -> None:
    chunk = f"{COLLEAGUE}\n\n{MINE}"
    extras = [
        "Am Abend habe ich noch lange über den Tag nachgedacht und mich über das Team gefreut",
        "Morgen geht es weiter in Mehlem, dann mit dem neuen Bagger und noch mehr Kolleginnen",
        "Ein Dank an alle, die bei diesem Wetter draußen stehen und trotzdem gute Laune haben",
        "Wer Fragen zum Ausbau in seiner Straße hat, kann mich gern in den Kommentaren fragen",
        "Nächste Woche erzähle ich euch, wie so ein Glasfaseranschluss von innen aussieht",
        "Und ja, ich habe mir fest vorgenommen, beim nächsten Mal wieder mitzufahren",
    ]
    posts = [CorpusPost(text=COLLEAGUE, source="kollege.txt#1")]
    posts += [CorpusPost(text=f"{chunk}\n\n{extra}", source=f"export:d{i}/linkedin") for i, extra in enumerate(extras)]
    corpus = InMemoryPostIndex(posts)
    ranked = corpus.query(chunk, k=len(posts))
    assert ranked[-1].source == "kollege.txt#1" and ranked[-1].similarity >= 0.6  # the setting the probe built
    record = AuthorshipRecord.uniform(0, Origin.TYPED)
    record.insert(0, chunk, Origin.PASTED)
    (span,) = paste_spans(chunk, record, corpus=corpus)
    assert span.refusal == "corpus"


def test_a_colleagues_post_pasted_a_paragraph_at_a_time_cannot_be_attested() -> None:
    corpus = InMemoryPostIndex([CorpusPost(text=COLLEAGUE, source="kollege.txt#1")])
    text = f"{MINE}\n\n"
    record = AuthorshipRecord.uniform(len(text), Origin.TYPED)
    for paragraph in COLLEAGUE_PARAGRAPHS:
        record.insert(len(text), paragraph, Origin.PASTED)
        text += paragraph
        record.insert(len(text), "\n\n", Origin.TYPED)
        text += "\n\n"
    spans = paste_spans(text, record, corpus=corpus)
    assert len(spans) == 4 and {s.refusal for s in spans} == {"corpus"}
    # pastes that are the author's own (nothing like a corpus post) may still be attested together
    mine = InMemoryPostIndex(
        [CorpusPost(text="Ein ganz anderer Beitrag über Fußball und Wetter am Rhein.", source="x")]
    )
    assert {s.refusal for s in paste_spans(text, record, corpus=mine)} == {None}


def test_the_whole_draft_finding_names_a_colleagues_post_beside_ones_own_repost() -> None:
    from drafter.checker import Checker
    from drafter.guidelines import load_guidelines

    draft = f"{COLLEAGUE}\n\n{MINE}"
    words = MINE.split()
    posts = [CorpusPost(text=COLLEAGUE, source="kollege.txt#1")]
    for i, word in enumerate(("Heute", "Morgen", "Gestern", "Bald", "Später", "Nachher")):
        mine_again = " ".join([*words[:6], word, "wieder", *words[8:]])
        posts.append(CorpusPost(text=f"{COLLEAGUE}\n\n{mine_again}", source=f"export:d{i}/x"))
    corpus = InMemoryPostIndex(posts)
    assert [m.source for m in corpus.query(draft, k=7)][-1] == "kollege.txt#1"  # own reposts rank first
    result = Checker(load_guidelines()).check(draft, "linkedin", corpus=corpus, lang="de")
    (whole,) = [f for f in result.findings if f.rule == "originality.corpus" and f.start == 0]
    assert "deiner exportierten" in whole.message  # the repost, as before
    assert "kollege.txt#1" in whole.message  # and the colleague's post is named, not hidden in "6 weiteren"


def _hangs(target, *args) -> bool:  # type: ignore[no-untyped-def]
    done = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            target(*args)
        except BaseException as exc:  # what it raised is what the test looks at
            errors.append(exc)
        done.set()

    threading.Thread(target=run, daemon=True).start()
    finished = done.wait(10)
    if not finished:  # unblock the reader: a writer opens the FIFO and closes it at once
        fifo = args[0]
        with open(fifo, "wb"):
            pass
    return not finished


def test_a_fifo_in_place_of_the_settings_file_or_the_store_is_refused_not_waited_on(tmp_path: Path) -> None:
    from drafter.settings import SettingsError, load_settings
    from drafter.store import StoreError, check_header

    settings = tmp_path / "settings.toml"
    os.mkfifo(settings)
    with pytest.raises(SettingsError) as caught:
        assert not _hangs(load_settings, settings)
        load_settings(settings)
    assert "regular file" in str(caught.value) and str(settings) in str(caught.value)
    store = tmp_path / "drafter.sqlite3"
    os.mkfifo(store)
    assert not _hangs(check_header, store)
    with pytest.raises(StoreError) as refused:
        check_header(store)
    assert "not a regular file" in str(refused.value)


def test_lint_leaves_an_empty_store_file_alone(tmp_path: Path, drafter_home: Path) -> None:
    from typer.testing import CliRunner

    from drafter.cli import app

    data = drafter_home / "data"
    data.mkdir(parents=True, exist_ok=True)
    store = data / "drafter.sqlite3"
    store.write_bytes(b"")
    result = CliRunner().invoke(app, ["lint", "-"], input="Heute war ein schöner Tag in Bonn. #Werkstolz")
    assert result.exit_code == 0, result.output
    assert store.stat().st_size == 0  # not made into a store by a command that needs none


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("https://anna:sk-TOPSECRET@llm.example/v1", "user name or password"),
        ("https://llm.example/v1?api_key=sk-QUERYSECRET", "query string"),
    ],
)
def test_a_secret_in_the_ai_base_url_is_refused_when_the_settings_are_read(
    tmp_path: Path, drafter_home: Path, url: str, said: str
) -> None:
    from drafter import paths
    from drafter.settings import SettingsError, load_settings

    settings = tmp_path / "settings.toml"
    settings.write_text(f'[ai]\nbase_url = "{url}"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(settings)
    assert said in str(caught.value) and "base_url" in str(caught.value) and "TOPSECRET" not in str(caught.value)
    cache = paths.cache_dir()
    files = [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []
    kept = [p for p in files if b"TOPSECRET" in p.read_bytes() or b"QUERYSECRET" in p.read_bytes()]
    assert kept == []


def test_the_settings_cache_forgets_a_file_that_is_gone(tmp_path: Path, drafter_home: Path) -> None:
    from drafter import settings_cache
    from drafter.settings import SettingsError, load_settings

    settings = tmp_path / "settings.toml"
    settings.write_text('name = "Anna"\n', encoding="utf-8")
    load_settings(settings)
    entry = settings_cache._entry_path(settings)
    assert entry.exists()
    settings.unlink()
    load_settings(settings)
    assert not entry.exists()
    settings.write_text('name = "Anna"\n', encoding="utf-8")
    load_settings(settings)
    assert entry.exists()
    settings.write_text("name = 5\n", encoding="utf-8")
    with pytest.raises(SettingsError):  # a broken file is reported; the entry of its earlier bytes may stay
        load_settings(settings)


def test_the_cache_unpickler_never_imports_through_a_module_getattr() -> None:
    import drafter.cli
    from drafter.settings_cache import _Unpickler

    sys.modules.pop("drafter.cli.export", None)
    vars(drafter.cli).pop("export", None)
    payload = b"cdrafter.cli\nexport\n."
    import io

    with pytest.raises(pickle.UnpicklingError):
        _Unpickler(io.BytesIO(payload)).load()
    assert "drafter.cli.export" not in sys.modules


def test_a_store_linked_to_a_device_or_fifo_is_not_chmodded(tmp_path: Path) -> None:
    """A store linked to /dev/zero made a root user's drafter set the device to 0600 (found when the team-store
    tests failed: PostgreSQL's user could no longer open /dev/null). Only files and folders are tightened."""
    import stat

    from drafter import paths

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo, 0o666)
    os.chmod(fifo, 0o666)
    link = tmp_path / "drafter.sqlite3"
    link.symlink_to(fifo)
    paths.tighten(link, paths.PRIVATE_FILE_MODE)
    assert stat.S_IMODE(os.stat(fifo).st_mode) == 0o666
    plain = tmp_path / "plain"
    plain.write_text("x")
    plain.chmod(0o644)
    paths.tighten(plain, paths.PRIVATE_FILE_MODE)  # a file of older versions is still tightened
    assert stat.S_IMODE(plain.stat().st_mode) == 0o600
