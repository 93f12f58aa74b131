"""Import reports in the UI language (issue 11 item 11): the app says "1 importiert" and "Zeile 3, Feld
„Ziel“ (goal)" in German, while the CLI keeps its English lines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from brief_helpers import CONTEXT

from drafter.errors import Problem, UserError
from drafter.import_report import error_lines, inbox_lines, problem_text
from drafter.inbox import import_inbox
from drafter.store import Store


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("DRAFTER_HOME", str(tmp_path / "home"))
    with Store() as s:
        yield s


def test_inbox_report_in_german_and_in_english(store: Store, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "gut.csv").write_text("Titel;Bereich;Ziel\nGlasfaser in Köln;Technik;werkstolz\n", encoding="utf-8")
    bad = "Titel\tBereich\tZiel\nEins\tTechnik\twerkstolz\nZwei\tTechnik\tLovemagnta\n"
    (inbox / "schlecht.txt").write_bytes(bad.encode("utf-16"))
    report = import_inbox(store, CONTEXT, inbox)
    german = inbox_lines(report, "de")
    assert german[0] == f"{inbox / 'gut.csv'}: 1 importiert (technik-glasfaser-in-koeln)"
    assert german[1] == "schlecht.txt: nicht importiert –"
    assert german[2].startswith(f"  {inbox / 'schlecht.txt'}: Zeile 3, Feld „Ziel“ (goal): ")
    english = inbox_lines(report, "en")
    assert english == report.lines()  # what the CLI prints
    assert english[0] == f"{inbox / 'gut.csv'}: 1 imported (technik-glasfaser-in-koeln)"
    assert english[2].startswith(f"  {inbox / 'schlecht.txt'}: row 3, field 'Ziel' (goal): ")
    assert english[2].removeprefix("  ") == str(report.failed[0][1].problems[0])  # = the English Problem text

    again = import_inbox(store, CONTEXT, inbox)
    assert "1 Datei seit dem letzten Import unverändert" in inbox_lines(again, "de")
    assert "1 file unchanged since the last import" in again.lines()


def test_problem_places_and_counts_in_both_languages() -> None:
    at_column = Problem("b.yaml", "bad", line=3, column=5, field="goal")
    assert problem_text(at_column, "de") == "b.yaml:3:5: Feld „goal“: bad" and problem_text(at_column, "en") == str(
        at_column
    )
    line = Problem("b.md", "bad", line=7, field="goal", key="Ziel")
    assert problem_text(line, "de") == "b.md: Zeile 7, Feld „Ziel“ (goal): bad"
    assert problem_text(line, "en") == str(line)
    error = UserError([Problem("f.csv", f"p{i}", line=i + 2, unit="row") for i in range(4)])
    error.shown = 3
    assert error_lines(error, "de")[-1] == "… und 1 weiteres Problem"
    error.more = 2
    assert error_lines(error, "de")[-1] == "… und 3 weitere Probleme"
    assert error_lines(error, "en")[-1] == "… and 3 more problems"


def test_the_apps_notification_names_a_refused_file_once(store: Store, tmp_path: Path) -> None:
    """A new-user probe: every line of the notification repeated the inbox's full path."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "schlecht.csv").write_text("Titel;Bereich;Ziel\nEins;Technik;Lovemagnta\nZwei;Technik;x\n", "utf-8")
    report = import_inbox(store, CONTEXT, inbox)
    short = inbox_lines(report, "en", short=True)
    assert short[0] == "schlecht.csv: not imported —"
    assert short[1].startswith("  row 2, field 'Ziel' (goal): ") and short[2].startswith("  row 3, field 'Ziel'")
    assert all(str(inbox) not in line for line in short)
    assert str(inbox) in inbox_lines(report, "en")[1]  # the full report (F3, the CLI) keeps the path
