"""Brief persistence: versions, no-op re-imports, all-or-nothing, archive, filters, samples, inbox."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from brief_helpers import CONTEXT

from drafter import paths
from drafter.brief_import import BriefImportError, load_briefs
from drafter.brief_store import SAMPLES_META_KEY, BriefStore, ensure_samples
from drafter.briefs import Brief, BriefContext
from drafter.inbox import default_inbox_dir, import_inbox, on_start
from drafter.store import Store


@pytest.fixture
def context() -> BriefContext:
    return CONTEXT


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DRAFTER_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    with Store() as s:
        yield s


def brief(context: BriefContext, **fields: object) -> Brief:
    data = {"title": "Glasfaser", "business_unit": "Technik", "goal": "WeWontStop", **fields}
    return Brief.model_validate(data, context=context)


CSV = "title;business_unit;goal;channels;expires\nA;Technik;werkstolz;x;31.12.2026\nB;Personal;love magenta;;\n"


def test_store_lives_under_drafter_home(home: Path, store: Store) -> None:
    assert store.path == home / "data" / "drafter.sqlite3"
    assert paths.data_dir() == home / "data"
    BriefStore(store).import_briefs([brief(BriefContext())], "test")
    assert store.path.exists()


def test_new_briefs_then_unchanged(store: Store, context: BriefContext) -> None:
    briefs = BriefStore(store)
    first = briefs.import_briefs([brief(context), brief(context, title="Azubis")], "a.yaml")
    assert first.imported == ["technik-glasfaser", "technik-azubis"]
    again = briefs.import_briefs([brief(context), brief(context, title="Azubis")], "a.yaml")
    assert (again.imported, again.updated, again.unchanged) == (
        [],
        [],
        ["technik-glasfaser", "technik-azubis"],
    )
    assert [v.version for v in briefs.versions("technik-glasfaser")] == [1]
    assert briefs.get("technik-glasfaser") == brief(context)


def test_changed_brief_gets_new_version_and_keeps_old(store: Store, context: BriefContext) -> None:
    briefs = BriefStore(store)
    briefs.import_briefs([brief(context, key_messages=["alt"])], "v1.md")
    result = briefs.import_briefs([brief(context, key_messages=["neu"])], "v2.md")
    assert result.updated == ["technik-glasfaser"]
    versions = briefs.versions("technik-glasfaser")
    assert [(v.version, v.source, v.brief.key_messages) for v in versions] == [
        (1, "v1.md", ("alt",)),
        (2, "v2.md", ("neu",)),
    ]
    entry = briefs.entry("technik-glasfaser")
    assert entry is not None
    assert (entry.version, entry.brief.key_messages) == (2, ("neu",))


def test_same_file_twice_is_a_no_op(store: Store, context: BriefContext, tmp_path: Path) -> None:
    path = tmp_path / "briefs.csv"
    path.write_text(CSV, encoding="utf-8")
    briefs = BriefStore(store)
    first, _ = briefs.import_file(path, context)
    assert len(first.imported) == 2
    before = [dict(r) for r in store.conn.execute("SELECT * FROM briefs ORDER BY id")]
    second, _ = briefs.import_file(path, context)
    assert second.imported == second.updated == []
    assert sorted(second.unchanged) == sorted(first.imported)
    assert [dict(r) for r in store.conn.execute("SELECT * FROM briefs ORDER BY id")] == before
    assert store.conn.execute("SELECT COUNT(*) FROM brief_versions").fetchone()[0] == 2


def test_file_with_one_bad_row_imports_nothing(store: Store, context: BriefContext, tmp_path: Path) -> None:
    path = tmp_path / "briefs.csv"
    path.write_text(CSV + "C;Technik;Lovemagnta;;\n", encoding="utf-8")
    with pytest.raises(BriefImportError):
        BriefStore(store).import_file(path, context)
    assert BriefStore(store).count(include_archived=True) == 0


def test_failure_during_write_rolls_back(store: Store, context: BriefContext) -> None:
    def briefs() -> Iterator[Brief]:
        yield brief(context)
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        BriefStore(store).import_briefs(briefs(), "x")
    assert BriefStore(store).count(include_archived=True) == 0


def test_archive_hides_and_changed_reimport_revives(store: Store, context: BriefContext) -> None:
    briefs = BriefStore(store)
    briefs.import_briefs([brief(context), brief(context, title="Azubis")], "a")
    assert briefs.archive("technik-glasfaser") is True
    assert briefs.archive("no-such-id") is False
    assert [b.id for b in briefs.list()] == ["technik-azubis"]
    assert {b.id for b in briefs.list(include_archived=True)} == {"technik-glasfaser", "technik-azubis"}
    entry = briefs.entry("technik-glasfaser")
    assert entry is not None and entry.archived
    # unchanged re-import: stays archived
    briefs.import_briefs([brief(context)], "a")
    assert [b.id for b in briefs.list()] == ["technik-azubis"]
    # changed re-import: the business unit sent it again, so it is active again
    briefs.import_briefs([brief(context, text="neu")], "b")
    assert {b.id for b in briefs.list()} == {"technik-glasfaser", "technik-azubis"}


def test_filters(store: Store, context: BriefContext) -> None:
    briefs = BriefStore(store)
    briefs.import_briefs(
        [
            brief(context, id="a", goal="werkstolz", channels="x", business_unit="Personal"),
            brief(context, id="b", goal="WeWontStop", channels="linkedin", not_before="2026-12-09"),
            brief(context, id="c", goal="love magenta", expires="2026-11-30"),
        ],
        "f",
    )

    def ids(**filters: object) -> list[str]:
        return sorted(b.id for b in briefs.list(**filters))  # type: ignore[arg-type]

    assert ids(goal="Werkstolz") == ["a"]
    assert ids(goal="werkstolz") == ["a"]
    assert ids(business_unit="technik") == ["b", "c"]
    assert ids(channel="x") == ["a", "c"]
    assert ids(channel="LinkedIn") == ["b", "c"]
    assert ids(active_on=dt.date(2026, 12, 1)) == ["a"]
    assert ids(active_on=dt.date(2026, 11, 27)) == ["a", "c"]
    assert ids(active_on=dt.date(2026, 12, 10)) == ["a", "b"]
    assert ids(goal="WeWontStop", channel="x") == []


def test_list_summaries_match_the_models_and_filter_in_the_store(store: Store, context: BriefContext) -> None:
    briefs = BriefStore(store)
    briefs.import_briefs(
        [
            brief(context, id="a", title="Ärger im Netz 100%", channels="x|linkedin", expires="2026-12-31"),
            brief(context, id="b", title="Azubi_Tag", business_unit="Personal", not_before="01.12.2026"),
            brief(context, id="c", title="Glasfaser in Köln", goal="werkstolz"),
        ],
        "f",
    )
    briefs.archive("c")
    full = {b.id: b for b in briefs.list()}
    summaries = briefs.list_summaries()
    assert sorted(s.id for s in summaries) == ["a", "b"]  # archived briefs are not listed
    for s in summaries:
        model = full[s.id]
        assert (s.title, s.business_unit, s.goal, s.channels, s.not_before, s.expires) == (
            model.title,
            model.business_unit,
            model.goal,
            tuple(model.channels),
            model.not_before,
            model.expires,
        )
    assert [s.id for s in briefs.list_summaries(contains="ärger")] == ["a"]  # not only ASCII ignores case
    assert [s.id for s in briefs.list_summaries(contains="%")] == ["a"]  # LIKE wildcards are plain text
    assert [s.id for s in briefs.list_summaries(contains="i_t")] == ["b"]
    assert [s.id for s in briefs.list_summaries(contains="personal")] == ["b"]
    assert briefs.list_summaries(contains="köln") == []
    assert len(briefs.list_summaries(limit=1)) == 1
    assert [s.id for s in briefs.list_summaries(limit=1, offset=1)] == [summaries[1].id]


def test_loaded_csv_round_trips_through_store(store: Store, context: BriefContext, tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text(CSV, encoding="utf-8")
    parsed = load_briefs(path, context)
    BriefStore(store).import_briefs(parsed, "b.csv")
    assert [BriefStore(store).get(b.id) for b in parsed] == parsed


# -- samples ------------------------------------------------------------------------------------------
def test_samples_imported_once(store: Store, context: BriefContext) -> None:
    first = ensure_samples(store, context)
    assert first is not None and len(first.imported) == 5
    assert store.get_meta(SAMPLES_META_KEY)
    briefs = BriefStore(store)
    assert {b.goal for b in briefs.list()} == {"LoveMagenta", "WeWontStop", "Werkstolz"}
    assert len({b.business_unit for b in briefs.list()}) >= 4
    briefs.archive(briefs.list()[0].id)
    assert ensure_samples(store, context) is None  # ran before: nothing re-imported or revived
    assert briefs.count() == 4


def test_samples_are_realistic_german_briefs(context: BriefContext) -> None:
    folder = paths.sample_briefs_dir()
    files = sorted(folder.glob("*.md"))
    assert len(files) == 5
    for path in files:
        warnings: list[object] = []
        (b,) = load_briefs(path, context, warnings)  # type: ignore[arg-type]
        assert warnings == []
        assert b.language == "de"
        assert len(b.key_messages) >= 3
        assert b.text and b.hashtags and b.contact and b.expires
        assert b.not_before is not None and b.expires > b.not_before
    classes = {load_briefs(p, context)[0].classification.value for p in files}
    assert len(classes) >= 2


def test_samples_that_do_not_fit_other_guidelines_are_skipped(store: Store) -> None:
    other = BriefContext.from_names(["Elsewhere"], ["x"])
    result = ensure_samples(store, other)
    assert result is not None and not result.changed
    assert BriefStore(store).count() == 0
    assert (store.get_meta(SAMPLES_META_KEY) or "").startswith("skipped")
    assert ensure_samples(store, other) is None


# -- inbox --------------------------------------------------------------------------------------------
def test_inbox_imports_new_and_changed_files_and_reports_failures(
    store: Store, context: BriefContext, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.csv").write_text(CSV, encoding="utf-8")
    (inbox / "bad.json").write_text('{"title": "X", "business_unit": "B", "goal": "Nope"}', encoding="utf-8")
    (inbox / "~$good.csv").write_bytes(b"\x00lock")  # Excel lock file: ignored
    (inbox / ".hidden.md").write_text("x", encoding="utf-8")

    report = import_inbox(store, context, inbox)
    assert [p.name for p, _ in report.imported] == ["good.csv"]
    assert [p.name for p, _ in report.failed] == ["bad.json"]
    assert "unknown goal 'Nope'" in str(report.failed[0][1])
    assert (inbox / "bad.json").exists() and (inbox / "good.csv").exists()
    assert BriefStore(store).count() == 2

    again = import_inbox(store, context, inbox)
    assert [p.name for p in again.skipped] == ["good.csv"]
    assert not again.imported
    assert [p.name for p, _ in again.failed] == ["bad.json"]  # still reported

    (inbox / "good.csv").write_text(CSV.replace("31.12.2026", "15.01.2027"), encoding="utf-8")
    (inbox / "bad.json").write_text('{"title": "X", "business_unit": "B", "goal": "Werkstolz"}', encoding="utf-8")
    third = import_inbox(store, context, inbox)
    assert not third.failed
    results = {p.name: r for p, r in third.imported}
    assert results["good.csv"].updated == ["technik-a"]
    assert results["good.csv"].unchanged == ["personal-b"]
    assert results["bad.json"].imported == ["b-x"]
    assert len(BriefStore(store).versions("technik-a")) == 2


def test_inbox_default_folder_and_on_start(home: Path, store: Store, context: BriefContext) -> None:
    folder = default_inbox_dir()
    assert folder == home / "data" / "inbox"
    report = on_start(store, context)
    assert folder.is_dir()
    assert report.samples is not None and len(report.samples.imported) == 5
    (folder / "one.json").write_text(
        json.dumps({"title": "Neu", "business_unit": "B", "goal": "werkstolz"}), encoding="utf-8"
    )
    second = on_start(store, context)
    assert second.samples is None
    assert [r.imported for _, r in second.inbox.imported] == [["b-neu"]]


def test_inbox_reports_oversized_and_unsupported(
    store: Store, context: BriefContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import drafter.brief_import as bi

    monkeypatch.setattr(bi, "MAX_FILE_BYTES", 100)
    (tmp_path / "big.yaml").write_text("title: " + "x" * 200 + "\n", encoding="utf-8")
    (tmp_path / "sheet.xlsx").write_bytes(b"PK")
    report = import_inbox(store, context, tmp_path)
    messages = {p.name: str(e) for p, e in report.failed}
    assert "too large" in messages["big.yaml"]
    assert "unsupported file type" in messages["sheet.xlsx"]


def test_inbox_missing_folder_is_reported(store: Store, context: BriefContext, tmp_path: Path) -> None:
    report = import_inbox(store, context, tmp_path / "nope")
    assert not report.ok
    assert report.error is not None and "does not exist" in report.error


# -- an id belongs to the business unit that sent it first (issue 9, item 15) ----------------------------
def test_same_id_from_another_business_unit_does_not_replace_the_brief(
    store: Store, context: BriefContext, tmp_path: Path
) -> None:
    briefs = BriefStore(store)
    (tmp_path / "technik.yaml").write_text(
        "id: winter-2026\ntitle: Glasfaser im Winter\nbusiness_unit: Technik\ngoal: WeWontStop\n", encoding="utf-8"
    )
    (tmp_path / "vertrieb.yaml").write_text(
        "- id: winter-2026\n  title: Winterrabatt\n  business_unit: Vertrieb\n  goal: LoveMagenta\n"
        "- id: vertrieb-neu\n  title: Neu\n  business_unit: Vertrieb\n  goal: LoveMagenta\n",
        encoding="utf-8",
    )
    briefs.import_file(tmp_path / "technik.yaml", context)
    result, warnings = briefs.import_file(tmp_path / "vertrieb.yaml", context)

    assert result.refused == ["winter-2026"] and result.imported == ["vertrieb-neu"]
    assert not result.updated
    entry = briefs.entry("winter-2026")
    assert entry is not None
    assert (entry.brief.business_unit, entry.brief.title, entry.version) == ("Technik", "Glasfaser im Winter", 1)
    assert [v.brief.business_unit for v in briefs.versions("winter-2026")] == ["Technik"]
    # the warning says which file, which id, which unit owns it, and how to import it after all
    (conflict,) = [w for w in warnings if w.field == "id"]
    text = str(conflict)
    assert conflict.file == str(tmp_path / "vertrieb.yaml")
    assert "'winter-2026'" in text and "'Technik'" in text and "'Vertrieb'" in text
    assert "'vertrieb-winter-2026'" in text
    assert "refused" in result.summary() and "winter-2026" in result.summary()
    # under the suggested id it imports as a brief of its own
    again = briefs.import_briefs(
        [Brief.model_validate({"id": "vertrieb-winter-2026", "title": "Winterrabatt", "business_unit": "Vertrieb",
                               "goal": "LoveMagenta"}, context=context)],
        "vertrieb.yaml",
    )  # fmt: skip
    assert again.imported == ["vertrieb-winter-2026"]


def test_same_id_from_the_same_unit_is_a_new_version(store: Store, context: BriefContext) -> None:
    briefs = BriefStore(store)
    briefs.import_briefs([brief(context, id="x-1", business_unit="Technik")], "a.yaml")
    result = briefs.import_briefs([brief(context, id="x-1", business_unit="  technik ", title="Neu")], "b.yaml")
    assert result.updated == ["x-1"] and not result.refused
    entry = briefs.entry("x-1")
    assert entry is not None and entry.version == 2 and entry.brief.title == "Neu"


def test_inbox_reports_the_refused_brief_and_keeps_the_owners(
    store: Store, context: BriefContext, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    briefs = BriefStore(store)
    briefs.import_briefs([brief(context, id="shared-id", business_unit="Personal")], "personal.yaml")
    (inbox / "fremd.yaml").write_text(
        "id: shared-id\ntitle: Fremd\nbusiness_unit: Marketing\ngoal: Werkstolz\n", encoding="utf-8"
    )
    report = import_inbox(store, context, inbox)
    assert any("refused" in line and "shared-id" in line for line in report.lines())
    entry = briefs.entry("shared-id")
    assert entry is not None and entry.brief.business_unit == "Personal"


def test_ids_derived_before_transliteration_are_kept_on_reimport(store: Store, context: BriefContext) -> None:
    """Issue 11 item 15: a brief stored as "technik-glasfaser-fur-koln" (the old slug) keeps that id when its
    file comes again, changed or not; a brief new to the store gets the German spelling."""
    briefs = BriefStore(store)
    old = brief(context, title="Glasfaser für Köln", id="technik-glasfaser-fur-koln")  # as stored before
    briefs.import_briefs([old], "koeln.md")
    derived = brief(context, title="Glasfaser für Köln")
    assert derived.id == "technik-glasfaser-fuer-koeln" and derived.legacy_id() == "technik-glasfaser-fur-koln"
    again = briefs.import_briefs([derived], "koeln.md")
    assert again.unchanged == ["technik-glasfaser-fur-koln"] and again.imported == []
    changed = briefs.import_briefs([brief(context, title="Glasfaser für Köln", key_messages=["neu"])], "koeln.md")
    assert changed.updated == ["technik-glasfaser-fur-koln"]
    assert briefs.get("technik-glasfaser-fuer-koeln") is None
    fresh = briefs.import_briefs([brief(context, title="Glasfaser für Düsseldorf")], "d.md")
    assert fresh.imported == ["technik-glasfaser-fuer-duesseldorf"]
    # an explicit id is never rewritten
    assert brief(context, title="Köln", id="mein-koln").legacy_id() is None
