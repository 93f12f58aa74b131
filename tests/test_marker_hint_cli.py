"""The profile's disclosure-marker hint tells the CLI user what to change (issue 11 probe): ``drafter lint``
cannot apply a fix, so the hint no longer says that "the fix adds it"; the app still offers it on its key."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter.cli import app as cli_app

POST = "Die Telekom hat tolle neue Tarife, jetzt wechseln #WeWontStop"


@pytest.mark.parametrize(
    ("lang", "says", "never"),
    [
        ("de", "füge sie am Ende des Posts an", ("Korrektur", "fügt sie")),
        ("en", "add it at the end of the post", ("fix", "adds it")),
    ],
)
def test_lint_says_what_to_change_for_the_marker(
    drafter_home: Path, lang: str, says: str, never: tuple[str, ...]
) -> None:
    (drafter_home / "config").mkdir(parents=True, exist_ok=True)
    settings = 'disclosure_marker = "#TelekomMitarbeiterin"\nonboarding_done = true\n'
    (drafter_home / "config" / "settings.toml").write_text(settings, encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["lint", "-", "--channel", "x", "--lang", lang], input=POST)
    line = next(x for x in result.output.splitlines() if "profile.disclosure-marker" in x)
    assert "#TelekomMitarbeiterin" in line and says in line, line
    assert not any(word in line for word in never), line


def test_the_app_still_offers_the_marker_as_a_fix(drafter_home: Path) -> None:
    from drafter.workspace import Workspace

    (drafter_home / "config").mkdir(parents=True, exist_ok=True)
    (drafter_home / "config" / "settings.toml").write_text(
        'disclosure_marker = "#TelekomMitarbeiterin"\n', encoding="utf-8"
    )
    check = Workspace().check_draft(POST, channels=["x"])
    (hint,) = [f for f in check.findings if f.rule == "profile.disclosure-marker"]
    assert hint.replacements == (" #TelekomMitarbeiterin",) and hint.start == len(POST)
