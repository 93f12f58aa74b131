"""The findings list is rebuilt only when the findings change; moved findings only get new positions."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App, ComposeResult

from drafter.findings import Finding, Severity
from drafter.tui.widgets import FindingsList


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield FindingsList("en", id="findings")


def _finding(rule: str, start: int, end: int, message: str = "Spelling") -> Finding:
    return Finding(rule=rule, category="brand", severity=Severity.WARNING, message=message, start=start, end=end)


def _prompts(fl: FindingsList) -> list[str]:
    return [str(fl.get_option_at_index(i).prompt) for i in range(fl.option_count)]


async def test_moved_findings_update_positions_without_a_rebuild() -> None:
    app = _Host()
    async with app.run_test() as pilot:
        fl = app.query_one(FindingsList)
        text = "Telekom und telekom\nzweite Zeile mit telekom"
        fl.show([_finding("a", 12, 19), _finding("b", 37, 44)], text)
        await pilot.pause()
        options = [fl.get_option_at_index(i) for i in range(fl.option_count)]
        assert [p.split(" ")[1] for p in _prompts(fl)] == ["1:13", "2:18"]
        fl.highlighted = 1

        moved = "X" + text  # one character typed at the start of line 1: only the first finding moves
        fl.show([_finding("a", 13, 20), _finding("b", 38, 45)], moved)
        await pilot.pause()
        assert [fl.get_option_at_index(i) for i in range(fl.option_count)] == options  # same options kept
        assert [p.split(" ")[1] for p in _prompts(fl)] == ["1:14", "2:18"]
        assert fl.highlighted == 1
        current = fl.current()
        assert current is not None and (current.start, current.end) == (38, 45)  # F3/F4 see new offsets

        fl.show([_finding("a", 13, 20, message="Another message")], moved)  # changed: rebuilt
        await pilot.pause()
        assert fl.option_count == 1 and "Another message" in _prompts(fl)[0]
        fl.show([], moved)
        await pilot.pause()
        assert fl.findings == () and fl.current() is None


async def test_as_many_findings_with_a_changed_message_replace_only_that_prompt() -> None:
    app = _Host()
    async with app.run_test() as pilot:
        fl = app.query_one(FindingsList)
        text = "Telekom und telekom\nzweite Zeile mit telekom"
        fl.show([_finding("a", 12, 19, "Too long: 301"), _finding("b", 37, 44)], text)
        await pilot.pause()
        options = [fl.get_option_at_index(i) for i in range(fl.option_count)]
        fl.highlighted = 1

        longer = text + "!"  # one more character: the count in the first message goes up, nothing else changes
        fl.show([_finding("a", 12, 19, "Too long: 302"), _finding("b", 37, 44)], longer)
        await pilot.pause()
        assert [fl.get_option_at_index(i) for i in range(fl.option_count)] == options  # not cleared and refilled
        assert "Too long: 302" in _prompts(fl)[0] and "Spelling" in _prompts(fl)[1]
        assert fl.highlighted == 1

        fl.show([_finding("c", 0, 7, "Other rule"), _finding("b", 38, 45)], "X" + longer)  # another finding
        await pilot.pause()
        assert fl.option_count == 2 and "Other rule" in _prompts(fl)[0] and "2:18" in _prompts(fl)[1]
        current = fl.current()
        assert current is not None and current.rule == "b" and (current.start, current.end) == (38, 45)


async def test_an_explanation_is_shown_once_under_the_first_finding_that_has_it() -> None:
    """Two warnings of one rule repeated eight lines of the same explanation, and a 36-row screen showed two findings
    (a new-user probe of the twenty-second session): the explanation now stands under the first of them only, and
    moves to the next one when the first goes."""
    why = "Wait for the official news and share that."
    app = _Host()
    async with app.run_test() as pilot:
        fl = app.query_one(FindingsList)
        text = "noch nicht offiziell, aber\nnoch nicht offiziell, aber\nTelekomm"
        first = Finding(rule="leak", category="c", severity=Severity.WARNING, message="Leak", start=0, end=20, why=why)
        second = Finding(
            rule="leak", category="c", severity=Severity.WARNING, message="Leak", start=27, end=47, why=why
        )
        other = Finding(
            rule="t", category="t", severity=Severity.WARNING, message="Term", start=54, end=62, why="Brand."
        )
        fl.show([first, second, other], text)
        await pilot.pause()
        prompts = _prompts(fl)
        assert [why in p for p in prompts] == [True, False, False]
        assert "Brand." in prompts[2]

        fl.show([replace(second, start=28, end=48), other, first], "X" + text)  # as many findings, in another order
        await pilot.pause()
        assert [why in p for p in _prompts(fl)] == [True, False, False]
        fl.show([other], text)
        await pilot.pause()
        assert "Brand." in _prompts(fl)[0]
        dismissed = replace(first, dismissed="said in public already")
        fl.show([dismissed, second, other], text)  # a dismissed finding shows its reason: the next one explains
        await pilot.pause()
        assert [why in p for p in _prompts(fl)] == [False, True, False]
