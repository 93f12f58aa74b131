"""The fitting footer (``drafter/tui/footer.py``) changes only what changed: focus moving between widgets
with the same keys neither recomposes it nor touches its keys (Textual's footer rebuilt itself on every
focus change, the largest stall of the key that starts an AI run); other keys are written in place."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from drafter.tui.footer import FittingFooter, footer_keys


class Same(Static, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "app.nothing", "Same")]


class Other(Static, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "app.nothing", "Other"),
        Binding("z", "app.more", "More"),
    ]


class FooterApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f1", "help", "Help")]

    def compose(self) -> ComposeResult:
        yield Same("a", id="a")
        yield Same("b", id="b")
        yield Other("c", id="c")
        yield FittingFooter()

    def action_nothing(self) -> None:
        pass

    def action_more(self) -> None:
        pass

    def action_help(self) -> None:
        pass


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often the footer composed itself and rewrote keys in place."""
    seen: Counter[str] = Counter()
    compose, update_keys = FittingFooter.compose, FittingFooter.update_keys

    def counting_compose(self: FittingFooter) -> ComposeResult:
        seen["compose"] += 1
        return compose(self)

    def counting_update(self: FittingFooter, pairs: list) -> None:  # type: ignore[type-arg]
        seen["update"] += 1
        update_keys(self, pairs)

    monkeypatch.setattr(FittingFooter, "compose", counting_compose)
    monkeypatch.setattr(FittingFooter, "update_keys", counting_update)
    return seen


def shown(app: App[None]) -> list[str]:
    return [k.description for k in footer_keys(app.screen)]


async def test_focus_between_widgets_with_the_same_keys_leaves_the_footer_alone(counts: Counter[str]) -> None:
    app = FooterApp()
    async with app.run_test(size=(100, 10)) as pilot:
        app.query_one("#a").focus()
        await pilot.pause(0.1)
        assert "Same" in shown(app)
        before, keys = Counter(counts), footer_keys(app.screen)
        for target in ("#b", "#a", "#b"):
            app.query_one(target).focus()
            await pilot.pause(0.1)
        assert counts == before  # neither composed nor rewritten
        assert footer_keys(app.screen) == keys  # the very same key widgets


async def test_other_keys_are_written_in_place_not_recomposed(counts: Counter[str]) -> None:
    app = FooterApp()
    async with app.run_test(size=(100, 10)) as pilot:
        app.query_one("#a").focus()
        await pilot.pause(0.1)
        composed = counts["compose"]
        app.query_one("#c").focus()
        await pilot.pause(0.1)
        assert {"Other", "More"} <= set(shown(app)) and "Same" not in shown(app)
        app.query_one("#b").focus()
        await pilot.pause(0.1)
        assert "Same" in shown(app) and "Other" not in shown(app) and "More" not in shown(app)
        assert counts["compose"] == composed and counts["update"] == 2
        keys = footer_keys(app.screen)
        assert len({k.region.x for k in keys}) == len(keys)  # laid out again, side by side
        assert all(k.region.width == len(k.key_display) + len(k.description) + 3 for k in keys)


async def test_a_narrow_terminal_still_keeps_only_whole_keys(counts: Counter[str]) -> None:
    app = FooterApp()
    async with app.run_test(size=(100, 10)) as pilot:
        app.query_one("#c").focus()
        await pilot.pause(0.1)
        assert {"Other", "More"} <= set(shown(app))
        await pilot.resize_terminal(28, 10)
        await pilot.pause(0.2)
        keys = footer_keys(app.screen)
        assert "Help" in shown(app) and "More" not in shown(app)
        assert all(k.region.right <= 28 for k in keys)
