"""Managing drafts in the store: names, archive/unarchive, the trash (restore, purge after 30 days), the
inbox's light summaries, channel versions, and a store from before migration 50 keeping its drafts."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from drafter.drafts import TRASH_DAYS, ChannelVersion, DraftStatus, DraftStore, main_channels, with_version
from drafter.store import MIGRATIONS, Store


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "s.sqlite3")
    yield s
    s.close()


def test_rename_names_the_draft_and_cleans_the_name(store: Store) -> None:
    drafts = DraftStore(store)
    d = drafts.create("Erste Zeile des Textes\nzweite Zeile")
    assert d.title() == "Erste Zeile des Textes"
    stored = drafts.rename(d.id, "  Winter\u202ebau\x1b[31m  \n Köln ")
    assert stored == "Winterbau[31m Köln"  # one line, no bidi or control characters
    assert drafts.get(d.id).title() == "Winterbau[31m Köln"
    assert drafts.get(d.id).revision == d.revision + 1  # an open window saves a copy instead of undoing it
    assert drafts.summaries()[0].title() == "Winterbau[31m Köln"
    drafts.rename(d.id, "")
    assert drafts.get(d.id).title() == "Erste Zeile des Textes"
    assert len(drafts.rename(d.id, "x" * 500)) == 120


def test_archive_unarchive_and_the_trash(store: Store) -> None:
    clock = Clock()
    drafts = DraftStore(store, clock=clock)
    keep = drafts.create("bleibt")
    gone = drafts.create("gelöscht")
    old = drafts.create("archiviert")
    drafts.remember_last(gone.id)
    drafts.set_status(old.id, DraftStatus.ARCHIVED)
    drafts.trash(gone.id)
    assert [s.text for s in drafts.summaries()] == ["bleibt"]
    assert {s.text for s in drafts.summaries(archive=True)} == {"gelöscht", "archiviert"}
    assert {d.id for d in drafts.list(include_archived=True)} == {old.id, keep.id}  # never the trash
    assert drafts.last_open() is None  # a deleted draft is not reopened
    trashed = next(s for s in drafts.summaries(archive=True) if s.id == gone.id)
    assert trashed.deleted and trashed.purge_date() == (clock.now + dt.timedelta(days=TRASH_DAYS)).date()

    drafts.restore(gone.id)
    drafts.restore(old.id)
    assert {s.text for s in drafts.summaries()} == {"bleibt", "gelöscht", "archiviert"}
    assert drafts.get(old.id).status is DraftStatus.DRAFT and drafts.get(gone.id).deleted_at is None

    drafts.trash(gone.id)
    clock.now += dt.timedelta(days=TRASH_DAYS - 1)
    assert drafts.purge_trash() == 0 and drafts.find(gone.id) is not None  # still restorable
    clock.now += dt.timedelta(days=2)
    assert drafts.purge_trash() == 1 and drafts.find(gone.id) is None
    assert {s.text for s in drafts.summaries()} == {"bleibt", "archiviert"}


def test_channel_versions_round_trip_with_their_own_records(store: Store) -> None:
    drafts = DraftStore(store)
    d = drafts.create("Langer Text für LinkedIn", channels=["linkedin", "x"])
    record = {"v": 1, "length": 4, "runs": [["typed", 4]]}
    d = drafts.save(replace(d, versions={"x": ChannelVersion("Kurz", record, (0, 4))}))
    loaded = drafts.get(d.id)
    assert loaded.text == "Langer Text für LinkedIn"
    assert loaded.versions == {"x": ChannelVersion("Kurz", record, (0, 4))}
    drafts.save(replace(loaded, versions={}))
    assert drafts.get(d.id).versions == {}
    assert store.conn.execute("SELECT versions FROM drafts").fetchone()[0] is None  # as before: no versions


def test_a_store_from_before_migration_50_keeps_its_drafts(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    before = [(version, script) for version, script in MIGRATIONS if version < 50]
    for _, script in before:
        conn.executescript(script)
    conn.execute(
        "INSERT INTO drafts(id, channels, text, status, created_at, updated_at)"
        " VALUES('old', '[\"x\"]', 'Alter Entwurf', 'draft', '2026-11-01T09:00:00+00:00', '2026-11-01T09:00:00+00:00')"
    )
    conn.execute(f"PRAGMA user_version = {max(version for version, _ in before)}")
    conn.commit()
    conn.close()
    with Store(path) as store:
        drafts = DraftStore(store)
        old = drafts.get("old")
        assert (old.text, old.name, old.versions, old.deleted_at) == ("Alter Entwurf", "", {}, None)
        assert old.title() == "Alter Entwurf" and [s.id for s in drafts.summaries()] == ["old"]
        drafts.save(replace(old, text="Alter Entwurf, weiter"))
        assert drafts.get("old").text == "Alter Entwurf, weiter"


def test_a_version_starts_as_the_main_text_with_its_origins(store: Store) -> None:
    drafts = DraftStore(store)
    record = {"v": 1, "length": 9, "runs": [["typed", 5], ["brief", 4]]}
    d = drafts.create("Hallo Welt", channels=["linkedin", "x", "bluesky"], authorship=record)
    assert main_channels(d) == ["linkedin", "x", "bluesky"]
    v = with_version(d, "x")
    assert v.versions["x"] == ChannelVersion("Hallo Welt", record, d.cursor)
    assert v.versions["x"].authorship is not d.authorship  # a copy: editing one never changes the other
    assert main_channels(v) == ["linkedin", "bluesky"]
    edited = replace(v, versions={"x": ChannelVersion("Hallo", None)})
    assert with_version(edited, "x") == edited  # an existing version is kept
    every = with_version(with_version(replace(d, channels=("x",)), "x"), "x")
    assert main_channels(every) == ["x"]  # every channel has a version: the main text keeps the primary


def test_archiving_and_restoring_keep_the_last_edited_time(store: Store) -> None:
    """Archiving is no edit (issue 11 probe): the inbox's "zuletzt" shows when the text was last changed."""
    clock = Clock()
    drafts = DraftStore(store, clock=clock)
    draft = drafts.create("Winterbaustelle")
    edited = drafts.get(draft.id).updated_at
    clock.now += dt.timedelta(days=3)
    drafts.set_status(draft.id, DraftStatus.ARCHIVED)
    archived = next(s for s in drafts.summaries(archive=True) if s.id == draft.id)
    assert archived.updated_at == edited
    clock.now += dt.timedelta(days=2)
    drafts.restore(draft.id)
    assert drafts.get(draft.id).updated_at == edited and drafts.get(draft.id).revision == draft.revision + 2


def test_restoring_an_archived_draft_brings_back_its_status(store: Store) -> None:
    """New-user probe: an exported draft archived and restored was shown as "Entwurf" again."""
    clock = Clock()
    drafts = DraftStore(store, clock=clock)
    exported = drafts.create("Winterbaustelle")
    plain = drafts.create("Noch offen")
    drafts.set_status(exported.id, DraftStatus.EXPORTED)
    edited = drafts.get(exported.id).updated_at
    clock.now += dt.timedelta(days=1)
    for draft_id in (exported.id, plain.id):
        drafts.set_status(draft_id, DraftStatus.ARCHIVED)
        drafts.set_status(draft_id, DraftStatus.ARCHIVED)  # twice: still remembers what it was before
    assert {s.status for s in drafts.summaries(archive=True)} == {DraftStatus.ARCHIVED}
    drafts.restore(exported.id)
    drafts.restore(plain.id)
    assert drafts.get(exported.id).status is DraftStatus.EXPORTED
    assert drafts.get(exported.id).updated_at == edited
    assert drafts.get(plain.id).status is DraftStatus.DRAFT
    drafts.set_status(exported.id, DraftStatus.ARCHIVED)  # trashed while archived: restore still knows
    drafts.trash(exported.id)
    drafts.restore(exported.id)
    assert drafts.get(exported.id).status is DraftStatus.EXPORTED


def test_the_exported_channels_are_stored_with_the_draft(store: Store) -> None:
    """New-user probe: after only the X version was exported, the whole draft counted as exported."""
    from dataclasses import replace

    from drafter.drafts import exported_after

    drafts = DraftStore(store)
    draft = drafts.save(replace(drafts.create("Winterbau"), channels=("linkedin", "x", "bluesky")))
    assert draft.exported == () and exported_after(draft, ["x"]) == ("x",)
    draft = drafts.save(replace(draft, status=DraftStatus.EXPORTED, exported=exported_after(draft, ["x"])))
    assert drafts.get(draft.id).exported == ("x",)
    assert exported_after(drafts.get(draft.id), ["bluesky", "linkedin"]) == ("linkedin", "x", "bluesky")
    (summary,) = drafts.summaries()
    assert summary.exported == ("x",) and summary.status is DraftStatus.EXPORTED
