"""One language at a time (issue 11 item 11): the German workspace shows no English leftovers.

A real check over rendered screens: each screen is driven with Pilot at 80×24 and 140×42, rendered the
way a terminal shows it, and every word on it is compared with the words that only the English catalogue
uses (plus Textual's own English texts). A short allow-list holds words that are the same in both."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from tui_helpers import make_app, terminal_output

from drafter import i18n

_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{2,}")
_HASHTAG = re.compile(r"[#@]\w+")

#: what Textual itself says in English (palette, keys panel, system commands)
TEXTUAL_ENGLISH = {
    "search", "commands", "matches", "found", "keys", "quit", "theme", "screenshot", "maximize",
    "minimize", "application", "themes", "imported", "updated", "unchanged", "row", "field",
}  # fmt: skip

#: the same word in both languages, or a name
SAME_IN_BOTH = {"drafter", "ok", "tab", "alt", "meta", "super", "hyper", "info", "ki", "ai"}


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(_HASHTAG.sub(" ", text))}


def english_only_words() -> set[str]:
    en = set().union(*(_words(v) for v in i18n.catalogue("en").values()))
    # the palette's hidden search words (input.search.*) hold English synonyms on purpose; never shown
    shown_de = {k: v for k, v in i18n.catalogue("de").items() if not k.startswith("input.search.")}
    de = set().union(*(_words(v) for v in shown_de.values()))
    return (en - de | TEXTUAL_ENGLISH) - SAME_IN_BOTH


async def _ready(pilot: Any) -> None:
    await pilot.pause()
    for _ in range(800):
        if pilot.app.models_ready:
            break
        await pilot.pause(0.025)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _inbox(pilot: Any) -> None:
    await _ready(pilot)


async def _compose(pilot: Any) -> None:
    await _ready(pilot)
    await pilot.press(*"Handys", "enter")
    await pilot.pause()
    await pilot.press(*"Ich habe meine alten Handys abgegeben. Macht mit!!")
    await pilot.pause()


async def _export(pilot: Any) -> None:
    await _compose(pilot)
    await pilot.press("f8")
    await pilot.pause()


async def _help(pilot: Any) -> None:
    await _ready(pilot)
    await pilot.press("f1")
    await pilot.pause()


async def _palette(pilot: Any) -> None:
    await _compose(pilot)
    await pilot.press("ctrl+p")
    await pilot.pause(0.3)


async def _palette_no_match(pilot: Any) -> None:
    await _palette(pilot)
    await pilot.press(*"qqqq")
    await pilot.pause(1.0)  # "no matches" appears after half a second


async def _onboarding(pilot: Any) -> None:
    await _ready(pilot)


async def _settings(pilot: Any) -> None:
    await _ready(pilot)
    await pilot.press("f9")
    await pilot.pause()


SCREENS: dict[str, tuple[Callable[[Any], Awaitable[None]], dict[str, Any]]] = {
    "inbox": (_inbox, {}),
    "compose": (_compose, {}),
    "export": (_export, {}),
    "help": (_help, {}),
    "palette": (_palette, {}),
    "palette-no-match": (_palette_no_match, {}),
    "onboarding": (_onboarding, {"onboarding": True}),
    "settings": (_settings, {}),
}


@pytest.mark.parametrize("size", [(80, 24), (140, 42)], ids=["80x24", "140x42"])
@pytest.mark.parametrize("screen", list(SCREENS))
async def test_german_screens_show_no_english_words(screen: str, size: tuple[int, int]) -> None:
    drive, extra = SCREENS[screen]
    app = make_app(language="de", **extra)
    async with app.run_test(size=size) as pilot:
        await drive(pilot)
        _raw, text = terminal_output(app)
    assert len(_words(text)) > 5, text  # the screen was really drawn
    leftovers = sorted(_words(text) & english_only_words())
    assert not leftovers, f"English on the German {screen} screen: {leftovers}\n{text}"


def test_the_check_finds_english() -> None:
    """The word list is not empty by accident: Textual's and drafter's English words are caught."""
    english = english_only_words()
    assert {"search", "commands", "keys", "imported", "row", "field", "confirm", "draft"} <= english
    assert not ({"entwurf", "warnungen", "export", "hashtags"} & english)
