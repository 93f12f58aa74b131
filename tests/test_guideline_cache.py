"""The guideline cache (issue 14): a folder whose files are unchanged loads without parsing or validating,
and gives the same set; any change to a file, a rules folder or the code reads the files again, so errors
are reported as without a cache; a damaged, foreign or tampered entry is a miss and never runs code."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from drafter import guideline_cache, guidelines, paths, private_cache
from drafter.checker import Checker
from drafter.guidelines import GuidelineError, GuidelineSet, load_guidelines

POSTS = [
    "Wir bauen das Netz aus! #LoveMagenta",
    "Jetzt nur 39 € im Monat – gratis Router, klick auf www.telekom.de/angebot #WeWontStop",
    "Ich bin stolz auf mein Team, streng vertraulich: Q3-Zahlen kommen am 12.12. #werkstolz #Werkstolzz",
    "Schreibt mir an max.mustermann@telekom.de oder ruft an: +49 170 1234567. Telekom, 5G, Glasfaser.",
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "gl"
    shutil.copytree(paths.default_guidelines_dir(), target)
    return target


def uncached(folder: Path | None = None) -> GuidelineSet:
    return guidelines._load_guidelines(folder or paths.default_guidelines_dir(), {})


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, a load that reads the files fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the guideline files were parsed again")

    monkeypatch.setattr(guidelines, "_load_guidelines", refuse)


def summary(gs: GuidelineSet) -> dict[str, Any]:
    return {
        "label": gs.label,
        "language": gs.language,
        "folder": gs.folder,
        "layers": gs.layers,
        "default_channel": gs.default_channel,
        "goals": [g.model_dump() for g in gs.goals],
        "channels": {k: v.model_dump() for k, v in gs.channels.items()},
        "policies": gs.policies.model_dump(),
        "quality": gs.quality.model_dump(),
        "rules": [(type(r).__name__, r.model_dump()) for r in gs.rules],
        "sources": {k: (s.file, s.line, s.column, s.loc, s.marks) for k, s in gs.sources.items()},
    }


def findings(gs: GuidelineSet) -> list[list[tuple[str, int, int, str]]]:
    checker = Checker(gs, lang="de")
    out = []
    for text in POSTS:
        result = checker.check(text, gs.default_channel)
        out.append([(f.rule, f.start, f.end, f.message) for f in result.findings])
    return out


def entry(folder: Path) -> Path:
    return guideline_cache._entry_path(folder)


def test_an_unchanged_folder_loads_from_the_cache_and_checks_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = uncached()
    load_guidelines()  # a miss (or a hit from an earlier test): either way the entry exists now
    assert entry(paths.default_guidelines_dir()).is_file()
    no_parsing(monkeypatch)
    cached = load_guidelines()
    assert summary(cached) == summary(fresh)
    assert findings(cached) == findings(fresh)
    assert any(findings(cached)), "the posts should trigger rules, else the comparison proves little"


def test_a_changed_file_is_read_again_and_its_error_reported(folder: Path) -> None:
    load_guidelines(folder)
    rules = folder / "rules" / "terms.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("level: warning", "level: wichtig", 1), encoding="utf-8")
    with pytest.raises(GuidelineError) as cached_exc:
        load_guidelines(folder)
    with pytest.raises(GuidelineError) as fresh_exc:
        uncached(folder)
    assert str(cached_exc.value) == str(fresh_exc.value)
    assert "terms.yaml" in str(cached_exc.value) and "level" in str(cached_exc.value)


def test_a_valid_change_gives_the_new_set(folder: Path) -> None:
    load_guidelines(folder)
    set_file = folder / "guidelines.yaml"
    lines = set_file.read_text(encoding="utf-8").splitlines()
    lines = ["version: 99-cache-test" if line.startswith("version:") else line for line in lines]
    set_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert load_guidelines(folder).version == "99-cache-test"


def test_an_added_or_removed_rule_file_is_seen(folder: Path) -> None:
    count = len(load_guidelines(folder).rules)
    extra = folder / "rules" / "zz-extra.yaml"
    extra.write_text(
        "rules:\n  - id: cache.extra\n    type: existence\n    level: info\n    category: terms\n"
        "    message: Extra\n    tokens: [Kachelofen]\n",
        encoding="utf-8",
    )
    grown = load_guidelines(folder)
    assert len(grown.rules) == count + 1 and grown.rule("cache.extra") is not None
    extra.unlink()
    assert len(load_guidelines(folder).rules) == count
    (folder / "rules" / "zz-broken.yml").write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(GuidelineError, match=r"zz-broken\.yml"):
        load_guidelines(folder)


def test_a_change_in_an_extended_layer_is_seen(tmp_path: Path, folder: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    (team / "guidelines.yaml").write_text(f"name: Team\nversion: '1'\nextends: {folder}\n", encoding="utf-8")
    assert load_guidelines(team).layers == [folder, team]
    (folder / "guidelines.yaml").write_text("name: [\n", encoding="utf-8")
    with pytest.raises(GuidelineError, match="YAML syntax error"):
        load_guidelines(team)


def test_other_code_is_a_miss(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_guidelines(folder)
    assert guideline_cache.load(folder) is not None
    monkeypatch.setattr(private_cache, "_FINGERPRINT", "another drafter")
    assert guideline_cache.load(folder) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],
        lambda raw: b"",
        lambda raw: b"garbage" * 100,
        lambda raw: raw[:-200] + bytes(200),
        lambda raw: raw.replace(guideline_cache.MAGIC, b"drafter guideline cache 0\n"),
    ],
    ids=["truncated", "empty", "garbage", "zeroed-tail", "old-format"],
)
def test_a_damaged_entry_is_a_miss(folder: Path, damage: Any) -> None:
    fresh = summary(load_guidelines(folder))
    path = entry(folder)
    path.write_bytes(damage(path.read_bytes()))
    assert summary(load_guidelines(folder)) == fresh
    assert guideline_cache.load(folder) is not None  # and the entry was written again


class _Planted:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (os.mkdir, (str(self.marker),))


def test_a_tampered_entry_runs_no_code(folder: Path, tmp_path: Path) -> None:
    fresh = summary(load_guidelines(folder))
    path = entry(folder)
    raw = path.read_bytes()
    offset = len(guideline_cache.MAGIC)
    head_end = offset + 4 + int.from_bytes(raw[offset : offset + 4], "big")
    marker = tmp_path / "planted"
    path.write_bytes(raw[:head_end] + pickle.dumps(_Planted(marker)))  # a valid manifest, a hostile payload
    assert guideline_cache.load(folder) is None
    assert not marker.exists()
    assert summary(load_guidelines(folder)) == fresh


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_an_entry_others_may_write_is_not_read(folder: Path) -> None:
    load_guidelines(folder)
    path = entry(folder)
    os.chmod(path, 0o666)
    assert guideline_cache.load(folder) is None
    os.chmod(path, 0o600)
    os.chmod(path.parent, 0o777)
    try:
        assert guideline_cache.load(folder) is None
    finally:
        os.chmod(path.parent, 0o700)
    assert guideline_cache.load(folder) is not None


def test_nothing_is_written_into_a_cache_folder_others_may_write(folder: Path) -> None:
    """Such an entry would never be read (above): writing it cost every lint a pickle and a disk write."""
    load_guidelines(folder)
    path = entry(folder)
    path.unlink()
    os.chmod(path.parent, 0o770)
    try:
        assert summary(load_guidelines(folder)) == summary(uncached(folder))
        assert not path.exists() and not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]
    finally:
        os.chmod(path.parent, 0o700)
    load_guidelines(folder)
    assert path.exists()


def test_entries_are_private(folder: Path) -> None:
    load_guidelines(folder)
    path = entry(folder)
    if hasattr(os, "getuid"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_no_cache_folder_still_loads(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert summary(load_guidelines(folder)) == summary(uncached(folder))
    assert guideline_cache.load(folder) is None


def test_a_relative_folder_is_its_own_entry(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder.parent)
    relative = load_guidelines(Path("gl"))
    assert relative.folder == Path("gl") and relative.sources["term.brand-spelling"].file.parts[0] == "gl"
    monkeypatch.chdir(folder)
    assert load_guidelines(Path(".")).folder == Path(".")
    assert entry(Path("gl")) != entry(folder)


def test_a_changed_pickled_part_under_a_valid_manifest_is_a_miss(folder: Path) -> None:
    # regex pickles a compiled pattern as opcodes it trusts: a changed byte there could crash the process
    # (hostile probe: SIGSEGV), so the pickled part is hashed in the manifest and checked before unpickling
    fresh = load_guidelines(folder)
    path = entry(folder)
    raw = path.read_bytes()
    offset = len(guideline_cache.MAGIC)
    head_end = offset + 4 + int.from_bytes(raw[offset : offset + 4], "big")
    payload = raw[head_end:]
    rule_id = fresh.rules[0].id.encode("utf-8")
    assert rule_id in payload
    changed = payload.replace(rule_id, b"X" * len(rule_id))
    assert changed != payload and pickle.loads(changed) is not None  # still a valid pickle
    path.write_bytes(raw[:head_end] + changed)
    assert guideline_cache.load(folder) is None
    assert summary(load_guidelines(folder)) == summary(fresh)


def test_the_unpickler_imports_no_module_to_look_a_class_up(tmp_path: Path) -> None:
    # find_class imports the module it is named; drafter.__main__ would run the CLI on import
    script = (
        "import io, pickle, sys\n"
        "from drafter import guideline_cache\n"
        "try:\n"
        "    guideline_cache._Unpickler(io.BytesIO(b'cdrafter.__main__\\nmain\\n.')).load()\n"
        "except pickle.UnpicklingError:\n"
        "    print('refused')\n"
        "print('drafter.__main__' in sys.modules)\n"
    )
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["refused", "False"], out.stdout + out.stderr


def test_a_type_only_imported_into_a_drafter_module_is_refused() -> None:
    """``pathlib.Path`` sits in drafter.guidelines' namespace but is no part of a guideline set by that
    name: the unpickler takes a drafter module's types only where they are defined (hostile probe)."""
    import io
    import sys

    assert sys.modules["drafter.guidelines"].Path is Path
    forged = b"cdrafter.guidelines\nPath\n."  # protocol 0: the global drafter.guidelines.Path itself
    unpickler = guideline_cache._Unpickler(io.BytesIO(forged))
    with pytest.raises(pickle.UnpicklingError, match="not part of a guideline set"):
        unpickler.load()
