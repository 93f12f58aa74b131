"""Drafts in the store: create, save, list, revision conflicts, last-open draft, two connections."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from drafter.drafts import DraftConflict, DraftNotFound, DraftStatus, DraftStore
from drafter.store import Store


class FakeClock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, minutes: int = 1) -> None:
        self.now += dt.timedelta(minutes=minutes)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "s.sqlite3")
    yield s
    s.close()


def test_create_get_save_round_trip(store: Store) -> None:
    clock = FakeClock()
    drafts = DraftStore(store, clock=clock)
    d = drafts.create(brief_id="b-1", channels=["x", "linkedin", "x"])
    assert d.channels == ("x", "linkedin") and d.channel == "x" and d.revision == 1
    clock.tick()
    rec = {"v": 1, "length": 5, "runs": [["typed", 5]]}
    saved = drafts.save(
        type(d)(**{**{f: getattr(d, f) for f in d.__slots__}, "text": "Hallo", "authorship": rec, "cursor": (0, 5)})
    )
    assert saved.revision == 2
    loaded = drafts.get(d.id)
    assert loaded.text == "Hallo"
    assert loaded.authorship == rec
    assert loaded.cursor == (0, 5)
    assert loaded.brief_id == "b-1"
    assert loaded.updated_at == clock.now and loaded.created_at < loaded.updated_at


def test_list_newest_first_and_hides_archived(store: Store) -> None:
    clock = FakeClock()
    drafts = DraftStore(store, clock=clock)
    a = drafts.create("first")
    clock.tick()
    b = drafts.create("second")
    clock.tick()
    from dataclasses import replace

    drafts.save(replace(a, text="first, edited"))
    assert [d.id for d in drafts.list()] == [a.id, b.id]
    drafts.set_status(b.id, DraftStatus.ARCHIVED)
    assert [d.id for d in drafts.list()] == [a.id]
    assert {d.id for d in drafts.list(include_archived=True)} == {a.id, b.id}


def test_cursor_only_save_keeps_last_edit_time(store: Store) -> None:
    from dataclasses import replace

    clock = FakeClock()
    drafts = DraftStore(store, clock=clock)
    d = drafts.create("text")
    clock.tick(5)
    d2 = drafts.save(replace(d, cursor=(0, 2)), touch=False)
    assert drafts.get(d.id).updated_at == d.updated_at
    assert d2.revision == 2


def test_stale_copy_raises_conflict(store: Store) -> None:
    from dataclasses import replace

    drafts = DraftStore(store)
    d = drafts.create("v1")
    drafts.save(replace(d, text="from window A"))
    with pytest.raises(DraftConflict):
        drafts.save(replace(d, text="from window B"))  # B still holds revision 1
    assert drafts.get(d.id).text == "from window A"
    drafts.save(replace(d, text="forced"), force=True)
    assert drafts.get(d.id).text == "forced"


def test_missing_draft(store: Store) -> None:
    drafts = DraftStore(store)
    with pytest.raises(DraftNotFound):
        drafts.get("nope")
    assert drafts.find("nope") is None


def test_last_open_draft(store: Store) -> None:
    drafts = DraftStore(store)
    assert drafts.last_open() is None
    d = drafts.create("x")
    drafts.remember_last(d.id)
    last = drafts.last_open()
    assert last is not None and last.id == d.id
    drafts.delete(d.id)
    assert drafts.last_open() is None


def test_two_connections_writing_concurrently_do_not_corrupt(tmp_path: Path) -> None:
    from dataclasses import replace

    path = tmp_path / "shared.sqlite3"
    first, second = Store(path), Store(path)
    try:
        a_store, b_store = DraftStore(first), DraftStore(second)
        a = a_store.create("A")
        b = b_store.create("B")
        errors: list[BaseException] = []

        def typing(ds: DraftStore, draft_id: str, letter: str) -> None:
            try:
                cur = ds.get(draft_id)
                for i in range(60):
                    cur = ds.save(replace(cur, text=letter * (i + 1)))
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [
            threading.Thread(target=typing, args=(a_store, a.id, "a")),
            threading.Thread(target=typing, args=(b_store, b.id, "b")),
        ]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert not errors
        assert first.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert a_store.get(a.id).text == "a" * 60
        assert a_store.get(b.id).text == "b" * 60
    finally:
        first.close()
        second.close()


def test_cursor_only_saves_keep_the_revision_and_skip_a_stale_copy(store: Store) -> None:
    ds = DraftStore(store)
    draft = ds.create("Hallo Welt")
    assert ds.save_cursor(replace(draft, cursor=(0, 5)))
    stored = ds.get(draft.id)
    assert stored.cursor == (0, 5) and stored.revision == draft.revision  # no new revision: no conflict
    ds.save(replace(stored, text="Hallo Welt EINS"))
    assert not ds.save_cursor(replace(draft, cursor=(0, 2)))  # saved elsewhere since: nothing written
    assert ds.get(draft.id).cursor == (0, 5)


def test_a_fork_is_noted_for_the_window_still_on_the_original(store: Store) -> None:
    ds = DraftStore(store)
    original, copy = ds.create("eins"), ds.create("zwei")
    assert ds.last_fork(original.id) is None
    ds.note_fork(original.id, copy.id)
    assert ds.last_fork(original.id) == copy.id and ds.last_fork(copy.id) is None
