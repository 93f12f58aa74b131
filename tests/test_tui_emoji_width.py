"""Emoji with the presentation selector U+FE0F (❄️, ❤️) in a real terminal (issue 11 review, item 2).

Rich counted ``❄️`` as two cells while tmux draws it in one, so each pushed the rest of its line over the
border and repaints left stale letters where wrapped words had been; Pilot never showed it. The workspace
draws the selector as a space (two cells everywhere) — only what is drawn: the draft keeps its text."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from rich.cells import cell_len, get_character_cell_size
from test_tui_tmux import Tmux, tmux  # noqa: F401  (the fixture)
from tui_helpers import make_app

from drafter.tui.formatting import display_text, plain, shown_line

SNOW, HEART = "\u2744\ufe0f", "\U0001f497"
WORDS = (
    f"Heute im Schnee {SNOW} unterwegs {SNOW} beim Glasfaserausbau {HEART} mit dem Team {SNOW} und viele "
    f"Kolleginnen {SNOW} waren dabei {SNOW} Werkstolz {SNOW} {HEART} alle zusammen bei eisigen Temperaturen "
    f"{SNOW} wirklich großartig"
)
#: emoji joined by U+200D: one glyph of two cells for Rich, two glyphs of four for tmux (a new-user probe)
SIGH, CODER, RAISE = "\U0001f62e\u200d\U0001f4a8", "\U0001f469\u200d\U0001f4bb", "\U0001f64b\u200d\u2640\ufe0f"
JOINED = (
    f"Heute im Schnee {SIGH} unterwegs {CODER} beim Glasfaserausbau {RAISE} mit dem Team {SIGH} und viele "
    f"Kolleginnen {CODER}{RAISE} waren dabei {SIGH} Werkstolz {CODER} alle zusammen bei eisigen Temperaturen "
    f"{RAISE} wirklich großartig"
)


def test_display_text_draws_the_selector_as_a_space() -> None:
    shown = display_text(WORDS)
    assert len(shown) == len(WORDS)  # offsets (cursor, selection, highlights) stay where they are
    assert "\ufe0f" not in shown and shown.count("\u2744 ") == WORDS.count(SNOW)
    assert cell_len(shown) == cell_len(WORDS)  # as wide as Rich lays the text out, and as any terminal
    assert display_text("\U0001f497\ufe0f") == "\U0001f497\ufe0f"  # a wide emoji is left alone
    assert display_text("plain") == "plain"
    assert "\ufe0f" not in str(plain(WORDS)) and "\ufe0f" not in shown_line(WORDS, 40)


def test_display_text_draws_a_joiner_between_emoji_as_a_space() -> None:
    shown = display_text(JOINED)
    assert len(shown) == len(JOINED) and "\u200d" not in shown
    # as wide as Rich lays the text out (wrapping is worked out on that), and as a terminal that draws each
    # character on its own
    assert cell_len(shown) == cell_len(JOINED) == sum(get_character_cell_size(ch) for ch in shown)
    assert display_text("\u0915\u094d\u200d\u0937") == "\u0915\u094d\u200d\u0937"  # a joiner in a word stays


async def test_the_editor_draws_it_but_keeps_the_text(drafter_home: Path) -> None:
    app = make_app(language="de")
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        editor = app.focused
        editor.insert(WORDS)
        await pilot.pause()
        assert editor.text == WORDS  # the stored text and its authorship record keep U+FE0F
        drawn = "".join(editor.get_line(0).plain)
        assert drawn == display_text(WORDS)


def _cells(line: str) -> list[str]:
    """A captured line as terminal columns: a wide character fills its column and an empty one."""
    out: list[str] = []
    for ch in line:
        size = get_character_cell_size(ch)
        if size == 0 and out:  # drawn in the column before (a zero-width space)
            out[-1] += ch
            continue
        out.append(ch)
        if size == 2:
            out.append("")
    return out


def _editor_rows(screen: str) -> list[list[str]]:
    """The rows (as columns) of the box that holds the draft, from its top border to its bottom one."""
    lines = [_cells(line) for line in screen.splitlines()]
    first = next((i for i, line in enumerate(lines) if "Heute im Schnee" in "".join(line)), None)
    assert first is not None, screen
    left = "".join(lines[first]).index("│ Heute")
    top = next(i for i in range(first, -1, -1) if lines[i][left : left + 1] == ["╭"])
    bottom = next(i for i in range(first, len(lines)) if lines[i][left : left + 1] == ["╰"])
    return [line[left:] for line in lines[top : bottom + 1]]


@pytest.mark.parametrize("words", [WORDS, JOINED], ids=["selector", "joiner"])
@pytest.mark.parametrize("size", [(140, 42), (80, 24)], ids=["140x42", "80x24"])
def test_emoji_keep_the_layout_in_tmux(tmux: Tmux, size: tuple[int, int], words: str) -> None:  # noqa: F811
    tmux.start()
    tmux.run("resize-window", "-t", tmux.name, "-x", str(size[0]), "-y", str(size[1]))
    tmux.wait_for("Briefings (5)")
    tmux.keys("C-n")
    tmux.wait_for("Esc Posteingang")  # the compose screen's footer
    for chunk in re.findall(r"\S+\s*", words):  # typed as a person types, word by word
        tmux.type(chunk)
        time.sleep(0.05)
    tmux.wait_for("großartig")
    tmux.keys("C-s")
    time.sleep(0.5)
    tmux.keys("C-q")
    time.sleep(1.0)
    tmux.start()  # the draft reopens: drawn whole, over what the terminal showed before
    tmux.wait_for("großartig")
    time.sleep(0.5)
    screen = tmux.screen()
    lines = [_cells(line) for line in screen.splitlines()]
    panel = next(line for line in lines if "Urheberschaft" in "".join(line))
    right = len(panel) - 1 - panel[::-1].index("╮")  # the side panel's right border: nothing beyond it
    for line in lines:
        assert not "".join(line[right + 1 :]).strip(), screen  # no stray border glyphs or letters
    rows = _editor_rows(screen)
    shown = "\n".join("".join(row) for row in rows)
    width = rows[0].index("╮") + 1
    assert rows[0][0] == "╭" and rows[-1][width - 1] == "╯", shown
    for row in rows[1:-1]:  # every row ends with the box's border, at the same column
        assert row[0] == "│" and row[width - 1] == "│", shown
    inside = " ".join("".join(row[1 : width - 1]) for row in rows[1:-1])
    typed = [w for w in words.split() if w.isalpha()]
    assert [w for w in inside.split() if w.isalpha()] == typed, shown  # no word lost or cut at a wrap
    tmux.keys("C-q")
