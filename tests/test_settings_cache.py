"""The settings cache (issue 14): a settings file whose bytes are unchanged loads without being validated,
and gives the same settings — values, the fields the file set, validation on assignment; any other bytes,
code or locale validate the file again, so a broken file is reported as without a cache; a damaged,
foreign or tampered entry, or one in a folder others may write, is a miss and never runs code."""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from drafter import private_cache, settings_cache
from drafter.settings import AiSettings, Settings, SettingsError, load_settings, save_settings

REPO = Path(__file__).resolve().parent.parent
#: validation itself, as the tests' counting stand-in (``validations``) calls it
VALIDATE = Settings.model_validate

#: every field and section set, paths with ``~`` (expanded by the validator), a [team] URL
FULL = """\
name = "Erika Muster"
language = "en"
channels = "LinkedIn, x linkedin"
disclosure_marker = "(Mitarbeiterin)"
guidelines_dir = "~/team-guidelines"
inbox_dir = "/srv/briefs"
onboarding_done = true
theme = "nord"

[keys]
"compose.export" = "ctrl+e"
"app.help" = "f1, question_mark"

[voice]
learn_from_exports = false

[ai]
enabled = true
base_url = "http://localhost:8080/v1"
timeout = 12

[team]
url = "postgresql://erika@db.example/team"
"""
FILES = {
    "full": FULL,
    "empty": "",
    "name only": 'name = "Anna"\n',
    "sections only": "[ai]\nretries = 2\n[voice]\n",
    "empty team url": 'language = "de"\n[team]\nurl = "  "\n',
}


@pytest.fixture(autouse=True)
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own cache folder: what is there is its own doing."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The data of every ``Settings.model_validate`` from here on (none: the settings came from the cache)."""
    calls: list[Any] = []

    def counting(data: Any, *args: Any, **kwargs: Any) -> Settings:
        calls.append(data)
        return VALIDATE(data, *args, **kwargs)

    monkeypatch.setattr(Settings, "model_validate", counting)
    return calls


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def validated(path: Path) -> Settings:
    """The settings of ``path`` as validation makes them, without the cache (and not counted)."""
    return VALIDATE(tomllib.loads(path.read_text(encoding="utf-8")))


def fields_sets(settings: Settings) -> list[set[str] | None]:
    sections = (settings.voice, settings.ai, settings.team)
    return [settings.model_fields_set, *(None if s is None else s.model_fields_set for s in sections)]


@pytest.mark.parametrize("text", FILES.values(), ids=FILES.keys())
def test_unchanged_bytes_load_without_validating_and_give_the_validated_settings(
    tmp_path: Path, text: str, validations: list[Any]
) -> None:
    path = write(tmp_path, text)
    first = load_settings(path)
    assert len(validations) == 1  # a miss: validated, then kept
    hit = load_settings(path)
    assert len(validations) == 1, "the second load validated again"
    expected = validated(path)
    assert hit == expected == first and hit is not first
    assert hit.model_dump() == expected.model_dump()
    assert fields_sets(hit) == fields_sets(expected)  # what the file set, sections alike
    assert hit.to_toml_dict() == expected.to_toml_dict()


def test_the_full_file_is_what_the_validators_make_of_it(tmp_path: Path, validations: list[Any]) -> None:
    """The hit above compares with validation; this pins what validation made (paths expanded, channels
    split and folded, keys normalised), so that the comparison cannot pass on two empty settings."""
    path = write(tmp_path, FULL)
    load_settings(path)
    hit = load_settings(path)
    assert len(validations) == 1
    assert hit.guidelines_dir == Path("~/team-guidelines").expanduser() and hit.inbox_dir == Path("/srv/briefs")
    assert hit.channels == ["linkedin", "x"] and hit.keys["app.help"] == "f1,question_mark"
    assert hit.ai.timeout == 12.0 and hit.team is not None and hit.team.url == "postgresql://erika@db.example/team"
    assert hit.model_fields_set == {
        "name",
        "language",
        "channels",
        "disclosure_marker",
        "guidelines_dir",
        "inbox_dir",
        "onboarding_done",
        "theme",
        "keys",
        "voice",
        "ai",
        "team",
    }
    assert hit.ai.model_fields_set == {"enabled", "base_url", "timeout"}


def test_a_hit_still_validates_assignments(tmp_path: Path, validations: list[Any]) -> None:
    path = write(tmp_path, FULL)
    load_settings(path)
    hit = load_settings(path)
    assert not validations[1:]
    with pytest.raises(ValidationError):
        hit.language = "fr"
    with pytest.raises(ValidationError):
        hit.ai.timeout = 0
    with pytest.raises(ValidationError):
        hit.voice.learn_from_exports = "vielleicht"  # type: ignore[assignment]
    hit.name = "  Erika  "
    hit.ai.retries = 3
    assert (hit.name, hit.ai.retries) == ("  Erika  ", 3)
    assert "retries" in hit.ai.model_fields_set
    changed = hit.model_copy(update={"theme": "gruvbox"})  # as the app saves a theme
    assert changed.theme == "gruvbox" and changed.name == "  Erika  "


def test_a_hit_builds_no_validator_and_reads_no_toml(tmp_path: Path) -> None:
    """In a new process, as a cold ``drafter lint``: no validator built (which imports pydantic's plugin
    search, ``importlib.metadata``), no TOML reader."""
    path = write(tmp_path, FULL)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from drafter.settings import Settings, load_settings\n"
        f"s = load_settings(Path({str(path)!r}))\n"
        "print(s.name, s.ai.timeout, Settings.__pydantic_complete__,\n"
        "      sorted(m for m in sys.modules if m in ('importlib.metadata', 'pydantic.plugin._loader', 'tomllib')))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def run() -> str:
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, timeout=120, check=True
        )
        return out.stdout.strip()

    first = run()  # a miss: validated (the check below can fail), and kept
    assert first == "Erika Muster 12.0 True ['importlib.metadata', 'pydantic.plugin._loader', 'tomllib']"
    assert run() == "Erika Muster 12.0 False []"


def test_changed_bytes_are_validated_again(tmp_path: Path, validations: list[Any]) -> None:
    path = write(tmp_path, 'name = "Anna"\n')
    assert load_settings(path).name == "Anna"
    path.write_text('name = "Berta"\n', encoding="utf-8")
    assert load_settings(path).name == "Berta"
    path.write_text('name = "Berta"\n\n', encoding="utf-8")  # the same settings, other bytes: validated too
    assert load_settings(path).name == "Berta"
    assert len(validations) == 3
    assert load_settings(path).name == "Berta" and len(validations) == 3  # and kept


def test_a_broken_file_is_reported_every_time_despite_an_entry_for_earlier_bytes(
    tmp_path: Path, validations: list[Any]
) -> None:
    good = "[ai]\nenabled = true\ntimeout = 30\n"
    path = write(tmp_path, good)
    load_settings(path)
    assert settings_cache._entry_path(path).is_file()
    path.write_text("[ai]\nenabled = true\ntimeout = -1\n", encoding="utf-8")
    for _ in range(2):  # never kept: the second time is reported as the first
        with pytest.raises(SettingsError) as caught:
            load_settings(path)
        (problem,) = caught.value.problems
        assert (problem.file, problem.line, problem.field) == (str(path), 3, "ai.timeout")
    path.write_text("[ai]\nenabled = true\ntimeout = \n", encoding="utf-8")  # not TOML
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(path)
    path.write_text(good, encoding="utf-8")
    count = len(validations)
    assert load_settings(path).ai.timeout == 30.0 and len(validations) == count  # a failure replaced no entry


def test_another_locale_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file without ``language`` gets the locale's: the entry made in one locale is not used in another."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    path = write(tmp_path, 'name = "Anna"\n')
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert load_settings(path).language == "en"
    assert load_settings(path).language == "en"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert load_settings(path).language == "de"
    assert "language" not in load_settings(path).model_fields_set


def test_another_home_folder_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``~`` in a path is expanded when validating: the entry made with one home is not used with another
    (also within one process, where the code fingerprint was computed with the first)."""
    path = write(tmp_path, 'guidelines_dir = "~/gl"\ninbox_dir = "~/briefs"\n')
    monkeypatch.setenv("HOME", str(tmp_path / "anna"))
    assert load_settings(path).guidelines_dir == tmp_path / "anna" / "gl"
    assert load_settings(path).guidelines_dir == tmp_path / "anna" / "gl"
    monkeypatch.setenv("HOME", str(tmp_path / "berta"))
    loaded = load_settings(path)
    assert (loaded.guidelines_dir, loaded.inbox_dir) == (tmp_path / "berta" / "gl", tmp_path / "berta" / "briefs")


def test_other_code_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, 'name = "Anna"\n')
    load_settings(path)
    raw = path.read_bytes()
    assert settings_cache.load(path, raw) is not None
    monkeypatch.setattr(private_cache, "_FINGERPRINT", "another drafter")
    assert settings_cache.load(path, raw) is None


def test_each_file_has_its_own_entry(tmp_path: Path, validations: list[Any]) -> None:
    one, other = write(tmp_path, 'name = "Anna"\n'), tmp_path / "other.toml"
    other.write_text('name = "Berta"\n', encoding="utf-8")
    assert settings_cache._entry_path(one) != settings_cache._entry_path(other)
    for _ in range(2):
        assert (load_settings(one).name, load_settings(other).name) == ("Anna", "Berta")
    assert len(validations) == 2


def test_saved_settings_load_as_saved(tmp_path: Path, validations: list[Any]) -> None:
    path = write(tmp_path, FULL)
    before = load_settings(path)
    load_settings(path)  # the entry is there
    save_settings(before.model_copy(update={"theme": "gruvbox", "ai": AiSettings()}), path)
    after = load_settings(path)
    expected = validated(path)
    assert after.theme == "gruvbox" and after.ai == AiSettings() and after.name == "Erika Muster"
    assert after == expected and fields_sets(after) == fields_sets(expected)
    count = len(validations)
    assert load_settings(path) == expected and len(validations) == count  # the new bytes are kept in turn


# -- damage and trust ------------------------------------------------------------------------------------
def entry(path: Path) -> Path:
    return settings_cache._entry_path(path)


def head_end(raw: bytes) -> int:
    offset = len(settings_cache.MAGIC)
    return offset + 4 + int.from_bytes(raw[offset : offset + 4], "big")


def repacked(raw: bytes, payload: bytes) -> bytes:
    """The entry ``raw`` with another payload under the same key, its hash made to fit: only the unpickler
    stands in the way."""
    manifest, _ = private_cache.unpack(raw, settings_cache.MAGIC) or ({}, b"")
    del manifest["payload"]
    packed = private_cache.pack(settings_cache.MAGIC, manifest, payload)
    assert packed is not None
    return packed


def flip_a_value(raw: bytes) -> bytes:
    payload = raw[head_end(raw) :]
    assert b"Anna" in payload
    return raw[: head_end(raw)] + payload.replace(b"Anna", b"Olga")  # still a valid pickle, hash unchanged


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],
        lambda raw: raw[:-1],
        lambda raw: b"",
        lambda raw: b"garbage" * 100,
        lambda raw: raw[:-20] + bytes(20),
        lambda raw: raw.replace(settings_cache.MAGIC, b"drafter settings cache 0\n"),
        lambda raw: raw.replace(settings_cache.MAGIC, b"drafter guideline cache 1\n"),
        flip_a_value,
        lambda raw: repacked(raw, pickle.dumps({"name": "Olga"})),  # not a Settings
        lambda raw: repacked(raw, pickle.dumps(AiSettings())),  # a model of the module, not a Settings
    ],
    ids=[
        "truncated",
        "last-byte-cut",
        "empty",
        "garbage",
        "zeroed-tail",
        "old-format",
        "other-cache",
        "payload-changed",
        "a-dict",
        "a-section",
    ],
)
def test_a_damaged_entry_is_a_miss(tmp_path: Path, damage: Any, validations: list[Any]) -> None:
    path = write(tmp_path, 'name = "Anna"\nlanguage = "de"\n')
    load_settings(path)
    cache_file = entry(path)
    cache_file.write_bytes(damage(cache_file.read_bytes()))
    assert settings_cache.load(path, path.read_bytes()) is None
    assert load_settings(path) == validated(path) and load_settings(path).name == "Anna"
    assert len(validations) == 2  # validated again, and the entry written again (the last load was a hit)


class _Planted:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (os.mkdir, (str(self.marker),))


def test_a_foreign_class_in_the_entry_is_refused_and_runs_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "Anna"\n')
    expected = load_settings(path)
    cache_file = entry(path)
    marker = tmp_path / "planted"
    cache_file.write_bytes(repacked(cache_file.read_bytes(), pickle.dumps(_Planted(marker))))
    assert settings_cache.load(path, path.read_bytes()) is None
    assert not marker.exists()
    assert load_settings(path) == expected


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("os", "mkdir"),
        ("builtins", "eval"),
        ("drafter.settings", "Path"),  # imported there, defined elsewhere
        ("drafter.settings", "BaseModel"),  # a model class imported there
        ("drafter.settings", "SettingsError"),  # defined there, but no model
        ("drafter.settings", "load_settings"),
        ("drafter.errors", "Problem"),  # a class of another module
        ("drafter.guidelines", "GuidelineSet"),  # a model, but of another module (imported: see below)
        ("drafter.channels", "ChannelSpec"),
        ("drafter.__main__", "main"),  # never imported to be looked up
        ("pathlib", "Path"),
    ],
)
def test_the_unpickler_resolves_nothing_but_the_settings_parts(module: str, name: str) -> None:
    import drafter.channels
    import drafter.guidelines  # noqa: F401  (their models are refused for what they are, not as not imported)

    forged = f"c{module}\n{name}\n.".encode()  # protocol 0: the global itself
    with pytest.raises(pickle.UnpicklingError, match="is not part of the settings"):
        settings_cache._Unpickler(io.BytesIO(forged)).load()


def test_a_full_settings_pickles_to_exactly_what_the_unpickler_takes(tmp_path: Path) -> None:
    """What a ``Settings`` is made of, found out rather than guessed: its models and the paths."""
    settings = validated(write(tmp_path, FULL))
    payload = pickle.dumps(settings, protocol=pickle.HIGHEST_PROTOCOL)
    names: set[tuple[str, str]] = set()

    class Recording(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            names.add((module, name))
            return super().find_class(module, name)

    assert Recording(io.BytesIO(payload)).load() == settings
    path_class = type(Path())
    assert names == {
        ("drafter.settings", "Settings"),
        ("drafter.settings", "VoiceSettings"),
        ("drafter.settings", "AiSettings"),
        ("drafter.settings", "TeamSettings"),
        (path_class.__module__, path_class.__name__),
    }
    loaded = settings_cache._Unpickler(io.BytesIO(payload)).load()
    assert loaded == settings and fields_sets(loaded) == fields_sets(settings)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_an_entry_others_may_write_is_not_read(tmp_path: Path, validations: list[Any]) -> None:
    path = write(tmp_path, 'name = "Anna"\n')
    load_settings(path)
    cache_file = entry(path)
    os.chmod(cache_file, 0o620)
    assert settings_cache.load(path, path.read_bytes()) is None
    os.chmod(cache_file, 0o600)
    assert settings_cache.load(path, path.read_bytes()) is not None
    os.chmod(cache_file.parent, 0o770)
    try:
        assert settings_cache.load(path, path.read_bytes()) is None
        assert load_settings(path).name == "Anna" and len(validations) == 2
        cache_file.unlink()
        load_settings(path)  # validated, and nothing written into a folder others may write
        assert not cache_file.exists() and not list(cache_file.parent.iterdir())
    finally:
        os.chmod(cache_file.parent, 0o700)
    load_settings(path)
    assert cache_file.is_file()


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="changing a file's owner needs root")
def test_an_entry_of_another_user_is_not_read(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "Anna"\n')
    load_settings(path)
    cache_file = entry(path)
    os.chown(cache_file, 4242, -1)
    assert settings_cache.load(path, path.read_bytes()) is None
    os.chown(cache_file, os.getuid(), -1)
    assert settings_cache.load(path, path.read_bytes()) is not None


def test_no_cache_folder_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = write(tmp_path, FULL)
    assert load_settings(path) == load_settings(path) == validated(path)
    assert settings_cache.load(path, path.read_bytes()) is None


def test_a_full_disk_still_loads_and_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    def full(entry: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(settings_cache, "write_private", full)
    path = write(tmp_path, FULL)
    assert load_settings(path) == load_settings(path) == validated(path)
    assert not entry(path).exists()


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_folder_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o500)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    path = write(tmp_path, FULL)
    try:
        assert load_settings(path) == load_settings(path) == validated(path)
    finally:
        os.chmod(cache, 0o700)


def test_entries_are_private(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "Anna"\n')
    load_settings(path)
    if hasattr(os, "getuid"):
        assert os.stat(entry(path)).st_mode & 0o777 == 0o600
        assert os.stat(entry(path).parent).st_mode & 0o777 == 0o700


def _forged(path: Path, change: Any) -> None:
    """The entry of ``path`` replaced by a Settings whose fields ``change`` set past validation."""
    forged = validated(path)
    change(forged)
    settings_cache.save(path, path.read_bytes(), forged)


@pytest.mark.parametrize(
    "change",
    [
        lambda s: object.__setattr__(s, "ai", None),
        lambda s: object.__setattr__(s, "channels", ["x", None]),
        lambda s: object.__setattr__(s, "name", 5),
        lambda s: object.__setattr__(s, "name", "x" * 1000),
        lambda s: object.__setattr__(s.ai, "timeout", -1.0),
        lambda s: object.__setattr__(s.ai, "timeout", float("nan")),
        lambda s: object.__setattr__(s.ai, "method", "telepathy"),
        lambda s: object.__setattr__(s, "keys", {"compose.export": 7}),
        lambda s: object.__setattr__(s, "guidelines_dir", "/not/a/path/object"),
        # values of the right type that a validator or pattern refuses (a second probe)
        lambda s: object.__setattr__(s, "language", "fr"),
        lambda s: object.__setattr__(s, "language", "EN"),
        lambda s: object.__setattr__(s, "name", "Eve\x1b]52;c;QUJD\x07"),
        lambda s: object.__setattr__(s, "name", "A\udfff"),
        lambda s: object.__setattr__(s.ai, "api_key_env", "NOT VALID; $(x)"),
        lambda s: object.__setattr__(s.ai, "base_url", "https://u:sk-secret@h.example/v1"),
        lambda s: object.__setattr__(s, "keys", {"BAD ID!!": "ctrl+e"}),
        lambda s: object.__setattr__(s, "channels", ["X", "x"]),
    ],
    ids=[
        "no-ai",
        "none-channel",
        "int-name",
        "long-name",
        "negative-timeout",
        "nan",
        "literal",
        "int-key",
        "str-path",
        "unknown-language",
        "language-not-normalised",
        "escape-in-name",
        "surrogate-in-name",
        "api-key-env-pattern",
        "secret-in-url",
        "bad-binding-id",
        "channels-not-normalised",
    ],
)
def test_a_forged_entry_with_values_validation_would_refuse_is_a_miss(
    tmp_path: Path, change: Any, validations: list[Any]
) -> None:
    """A hostile probe forged entries past validation (``ai = None``) and commands crashed with a traceback."""
    path = write(tmp_path, FULL)
    _forged(path, change)
    assert settings_cache.load(path, path.read_bytes()) is None
    assert load_settings(path) == validated(path)


def test_an_entry_of_every_kind_of_field_is_well_formed(tmp_path: Path) -> None:
    """The check knows every field type the settings have: a full file's entry is a hit, not a miss."""
    path = write(tmp_path, FULL)
    load_settings(path)
    assert settings_cache.load(path, path.read_bytes()) == validated(path)
