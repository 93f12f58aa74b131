"""Panel titles fit (issue 11, last probe): at 140×42 and 80×24, in German and English, every border
title and subtitle of the compose screen is drawn whole — "Hashtags (Strg+T, Enter fügt …" was cut,
so the hashtag panel names its key in the title and what Enter does in the bottom border."""

from __future__ import annotations

from typing import Any

import pytest
from tui_helpers import make_app, terminal_output


async def _compose(pilot: Any, keys: tuple[str, ...]) -> None:
    await pilot.pause()
    for _ in range(800):
        if pilot.app.models_ready:
            break
        await pilot.pause(0.025)
    await pilot.app.workers.wait_for_complete()
    await pilot.press(*"Handys", "enter")
    await pilot.pause()
    await pilot.press(*"Ich habe meine alten Handys abgegeben.")
    for key in keys:
        await pilot.press(key)
        await pilot.pause(0.1)
    await pilot.pause()


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize(("size", "keys"), [((140, 42), ()), ((80, 24), ("f5",))], ids=["140x42", "80x24"])
async def test_every_panel_title_is_drawn_whole(lang: str, size: tuple[int, int], keys: tuple[str, ...]) -> None:
    app = make_app(language=lang)
    async with app.run_test(size=size) as pilot:
        await _compose(pilot, keys)
        _raw, text = terminal_output(app)
        titles = [
            str(title)
            for widget in app.screen.query("*")
            if widget.display and widget.region.width > 0
            for title in (widget.border_title, widget.border_subtitle)
            if title
        ]
    assert any(title.startswith("Hashtags (") for title in titles), titles  # the hashtag panel is on screen
    for title in titles:
        assert title in text, f"title cut: {title!r}\n{text}"
