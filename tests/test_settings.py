"""Profile/settings: TOML round trip, defaults, validation errors with file/line/field, never overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter import paths
from drafter.settings import Settings, SettingsError, load_settings, save_settings, settings_path


def test_missing_file_gives_defaults_and_pending_onboarding(drafter_home: Path) -> None:
    s = load_settings()
    assert s.onboarding_done is False
    assert s.name == ""
    assert s.language in ("de", "en")
    assert not settings_path().exists()


def test_round_trip_in_config_dir(drafter_home: Path) -> None:
    s = Settings(
        name="Erika Muster",
        language="en",
        channels=["linkedin", "x", "linkedin"],
        disclosure_marker="(Mitarbeiterin)",
        guidelines_dir=Path("~/gl"),
        onboarding_done=True,
    )
    path = save_settings(s)
    assert path == paths.config_dir() / "settings.toml"
    assert path.is_relative_to(drafter_home)
    loaded = load_settings()
    assert loaded.name == "Erika Muster"
    assert loaded.language == "en"
    assert loaded.channels == ["linkedin", "x"]  # deduplicated, order kept
    assert loaded.guidelines_dir == Path("~/gl").expanduser()
    assert loaded.inbox_dir is None
    assert loaded.onboarding_done is True
    assert "inbox_dir" not in path.read_text(encoding="utf-8")  # None is left out (TOML has no null)


def test_language_default_follows_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert Settings().language == "en"
    monkeypatch.setenv("LANG", "de_AT.UTF-8")
    assert Settings().language == "de"


def test_invalid_toml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('name = "A"\nlanguage = \n', encoding="utf-8")
    with pytest.raises(SettingsError) as exc:
        load_settings(path)
    message = str(exc.value)
    assert str(path) in message
    assert "line 2" in message


def test_invalid_field_names_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('name = "A"\n\nlanguage = "fr"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as exc:
        load_settings(path)
    message = str(exc.value)
    assert str(path) in message and "line 3" in message and "'language'" in message and "fr" in message


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('nmae = "typo"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="nmae"):
        load_settings(path)


def test_broken_file_is_never_silently_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    broken = 'name = "A"\nlanguage = "xx"\n'
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(SettingsError):
        save_settings(Settings(name="B"), path)
    assert path.read_text(encoding="utf-8") == broken
    save_settings(Settings(name="B"), path, replace_broken=True)
    assert load_settings(path).name == "B"


def test_keys_table_round_trips_and_bad_entries_name_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    save_settings(Settings(keys={"compose.export": "ctrl+e", "app.help": "f1, question_mark"}), path)
    assert '[keys]\n"compose.export" = "ctrl+e"' in path.read_text(encoding="utf-8")
    assert load_settings(path).keys == {"compose.export": "ctrl+e", "app.help": "f1,question_mark"}
    for table, fragment in (
        ('[keys]\n"Export" = "ctrl+e"\n', "not a binding id"),
        ('[keys]\n"compose.export" = "ctrl e"\n', "not a key"),
        ('[keys]\n"compose.export" = "\\u001b[31m"\n', "\\x1b"),  # shown escaped, never raw
    ):
        path.write_text('name = "A"\n' + table, encoding="utf-8")
        with pytest.raises(SettingsError) as info:
            load_settings(path)
        message = str(info.value)
        assert "line 2" in message and "'keys'" in message and fragment in message, message
        assert "\x1b" not in message
