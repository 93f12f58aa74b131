"""Profile/settings: TOML round trip, defaults, validation errors with file/line/field, never overwritten."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from drafter import paths
from drafter.errors import UserError
from drafter.settings import MAX_BYTES, Settings, SettingsError, load_settings, save_settings, settings_path


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
    assert f"{path}:2:" in message


def test_invalid_field_names_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('name = "A"\n\nlanguage = "fr"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as exc:
        load_settings(path)
    message = str(exc.value)
    assert f"{path}: line 3, field 'language'" in message and "'language'" in message and "fr" in message


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


# -- hostile values and places (issue 9) -----------------------------------------------------------------
def test_markup_like_value_is_a_user_error_naming_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('name = "[b]Erika[/b]"\nlanguage = "[/]"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as exc:
        load_settings(path)
    error = exc.value
    assert isinstance(error, UserError) and error.exit_code == 2 and error.path == path
    (problem,) = error.problems
    assert (problem.file, problem.line, problem.field) == (str(path), 2, "language")
    assert "'[/]'" in problem.message and "de, en" in problem.message
    assert str(error).startswith(f"{path}: line 2, field 'language': unknown language '[/]'")
    # the name is kept as typed: it is data, never markup
    path.write_text('name = "[b]Erika[/b]"\n', encoding="utf-8")
    assert load_settings(path).name == "[b]Erika[/b]"


def test_toml_error_has_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('name = "A"\nchannels = [\n', encoding="utf-8")
    with pytest.raises(SettingsError) as exc:
        load_settings(path)
    (problem,) = exc.value.problems
    assert problem.file == str(path) and problem.line is not None and problem.line >= 2
    assert problem.column is not None and "not valid TOML" in problem.message


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('name = "A"\n' + "# " + "x" * (MAX_BYTES + 10) + "\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="KiB"):
        load_settings(path)


def test_reading_creates_no_folder(drafter_home: Path) -> None:
    load_settings()
    assert not paths.config_dir().exists()


def test_saved_settings_are_private(drafter_home: Path) -> None:
    old = os.umask(0o022)
    try:
        path = save_settings(Settings(name="Erika"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_folder_that_cannot_be_made_is_a_settings_error_naming_it(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "config" / "settings.toml"
    assert load_settings(target) == Settings()  # nothing there: defaults, no error
    with pytest.raises(SettingsError) as exc:
        save_settings(Settings(name="Erika"), target)
    assert str(blocker) in str(exc.value) and "cannot create folder" in str(exc.value)


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


def test_a_bad_value_in_a_table_is_reported_at_its_own_line(tmp_path: Path) -> None:
    """New-user probe: timeout, retries and method in [ai] were all reported at the line of "[ai]"."""
    from drafter.settings import SettingsError, load_settings

    path = tmp_path / "settings.toml"
    path.write_text(
        'language = "de"\n\n[keys]\n\n[ai]\n# timeout in seconds\nenabled = true\n  timeout = -1\n'
        '"retries" = "viele"\nmethod = "zauber"\n\n[voice]\n',
        encoding="utf-8",
    )
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    lines = {p.field: p.line for p in caught.value.problems}
    assert lines == {"ai.timeout": 8, "ai.retries": 9, "ai.method": 10}, lines
