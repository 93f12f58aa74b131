"""Input that lands right (issue 11): keys typed during start-up or in one burst apply in order, the keys
of the editor, hashtag and key-message insertion, the inbox filter, the export dialog from the keyboard,
channel cycling and the command palette."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual import events
from textual.keys import _character_to_key
from tui_helpers import make_app

from drafter.drafts import DraftStore
from drafter.store import Store
from drafter.tui.screens.compose import ComposeScreen

SIZE = (130, 40)
START_TEXT = "Hallo Welt #WeWontStop VIER"


def key_event(key: str) -> events.Key:
    """The event a terminal sends for ``key`` (a key name such as ``end``, or one character)."""
    if len(key) == 1:
        name = key if key.isalnum() else _character_to_key(key)
        return events.Key(name, key)
    try:
        char: str | None = unicodedata.lookup(key.upper())
    except KeyError:
        char = None
    return events.Key(key, char)


#: names of keys (anything else given to :func:`burst` is text, typed character by character)
KEY_NAMES = {"end", "home", "enter", "backspace", "escape", "tab", "space", "down", "up", "f2", "f4", "f8"}


def burst(app: Any, *keys: str) -> None:
    """Post every key at once, as a terminal delivers a fast burst: no waiting in between."""
    for key in keys:
        for part in [key] if key in KEY_NAMES or "+" in key else list(key):
            app.post_message(key_event(part))


def seed_last_draft(text: str = START_TEXT, cursor: tuple[int, int] = (0, 5)) -> str:
    """A draft the next start reopens, with its cursor in the middle of the first word."""
    with Store() as store:
        drafts = DraftStore(store)
        draft = drafts.create(text, channels=["linkedin"])
        draft = drafts.save(replace(draft, cursor=cursor))
        drafts.remember_last(draft.id)
        return draft.id


def stored_text(draft_id: str) -> str:
    with Store() as store:
        return DraftStore(store).get(draft_id).text


async def settle(pilot: Any) -> None:
    for _ in range(5):
        await pilot.pause()


async def reopened(pilot: Any) -> ComposeScreen:
    """The draft the app reopened at start, once it is there."""
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ComposeScreen)
    return screen


async def test_keys_typed_while_the_last_draft_opens_apply_in_order_after_it_is_restored() -> None:
    # The app is handed over before the reopened draft's screen is mounted: these keys arrive while the
    # draft, its cursor and the editor's focus are not there yet. Repeated, since it is a race.
    for attempt in range(4):
        draft_id = seed_last_draft(f"{START_TEXT} {attempt}")
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            burst(app, "end", "enter", "Seit ich die Flatrate habe 1.")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ComposeScreen) and screen.draft.id == draft_id
            expected = f"{START_TEXT} {attempt}\nSeit ich die Flatrate habe 1."
            assert screen.editor.text == expected, attempt
            await pilot.press("ctrl+q")
        assert stored_text(draft_id) == expected


async def test_a_burst_of_bound_and_typed_keys_applies_in_order() -> None:
    # Typed characters go straight into the editor, bound keys (End, Home, Backspace) used to travel up
    # to the app first: in a burst, "End Enter text" came out as "Enter End text".
    seed_last_draft()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        editor = screen.editor
        for round_ in range(5):
            burst(app, "end", "enter", f"Zeile {round_}x", "backspace", "home", ">", "end", "!")
            await settle(pilot)
        lines = editor.text.split("\n")
        assert lines[0] == START_TEXT
        assert lines[1:] == [f">Zeile {n}!" for n in range(5)]


async def test_a_typed_emoji_sequence_keeps_its_joiner() -> None:
    """An emoji picker types "👩", U+200D, "🔧" as three keys: the joiner is a format character, not
    "printable", and the editor dropped it, so the draft held two emoji and a count other than the
    command line's (a new-user probe)."""
    draft_id = seed_last_draft("Team ")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await reopened(pilot)
        burst(app, "end")
        for ch in "👩\u200d🔧!":
            app.post_message(events.Key(ch if ch.isalnum() else _character_to_key(ch), ch))
        await settle(pilot)
        assert screen.editor.text == "Team 👩\u200d🔧!"
        await pilot.press("ctrl+q")
    assert stored_text(draft_id) == "Team 👩\u200d🔧!"


async def open_brief(pilot: Any, needle: str) -> ComposeScreen:
    from drafter.tui.screens.inbox import InboxScreen

    app = pilot.app
    assert isinstance(app.screen, InboxScreen)
    await pilot.press(*needle)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, ComposeScreen)
    return app.screen


async def palette_ids(app: Any) -> set[str]:
    """The binding ids of the palette entries offered on the current screen (as the palette lists them)."""
    from drafter.tui.commands import DrafterCommands

    provider = DrafterCommands(app.screen)
    names = [str(hit.text) async for hit in provider.discover()]
    commands = provider._commands()
    assert [c.name for c in commands] == names
    return {c.binding_id for c in commands if c.binding_id}


async def test_every_key_binding_has_a_palette_entry_on_its_screen() -> None:
    from drafter.tui.keys import binding_scopes

    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seen: dict[type, set[str]] = {}
        # visit every screen that has bindings, the way a user reaches it
        visits = (
            [],
            ["f1"],
            ["escape", "f9"],
            ["escape", "ctrl+n"],
            ["f8"],
            ["escape", "ctrl+g"],
            ["escape", "ctrl+n"],
        )
        for keys in visits:  # the last: the compose screen with its AI panel open
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            seen[type(app.screen)] = await palette_ids(app)
        # the dialogs that need a highlighted draft or a warning first (reached by keys in their own tests)
        from drafter.findings import Finding, Severity
        from drafter.tui.ai_panel import SentPreview
        from drafter.tui.screens.dialogs import ImportReportScreen
        from drafter.tui.screens.dismiss import DismissScreen
        from drafter.tui.screens.drafts_dialogs import ConfirmDeleteScreen, RenameDraftScreen

        warning = Finding(rule="tone.x", category="tone", severity=Severity.WARNING, message="m", start=0, end=1)
        for dialog in (
            RenameDraftScreen("", "Entwurf"),
            ConfirmDeleteScreen("Entwurf", final=False),
            DismissScreen(warning),
            SentPreview("…"),
            ImportReportScreen(["a.csv: nicht importiert –"]),
        ):
            app.push_screen(dialog)
            await settle(pilot)
            seen[type(app.screen)] = await palette_ids(app)
            app.pop_screen()
            await settle(pilot)
        everywhere = set.union(*seen.values())
        for section, cls in binding_scopes():
            ids = {b.id for b in cls.BINDINGS if getattr(b, "id", None)}
            assert ids, section
            # the app's keys on every screen, a screen's on that screen, a widget's (the editor's) where it is
            offered = seen.get(cls) if cls in seen else everywhere
            assert offered is not None, f"{cls.__name__} was not visited"
            assert ids <= offered, (cls.__name__, ids - offered)


async def test_palette_finds_key_messages_hashtags_and_the_brief_panel_by_everyday_words() -> None:
    from drafter.tui.commands import DrafterCommands

    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_brief(pilot, "Handys")
        assert screen.brief is not None and screen.brief.key_messages
        provider = DrafterCommands(screen)

        async def best(query: str) -> str:
            hits = sorted([hit async for hit in provider.search(query)], key=lambda h: -h.score)
            assert hits, query
            return str(hits[0].text)

        for query in ("kern", "brief", "key"):
            top = [str(h.text) async for h in provider.search(query)]
            assert any("Kernbotschaft" in name for name in top), (query, top)
        assert "Briefing-Bereich" in await best("bereich")
        assert "#LoveMagenta" in await best("lovemagenta")

        # through the palette itself: Ctrl+P, "kern", Enter opens the key messages, Enter inserts the first
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"kernbotschaften des")
        await pilot.pause(0.4)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        key_messages = screen.query_one("#key-messages")
        assert key_messages.has_focus
        await pilot.press("enter")
        await settle(pilot)
        assert screen.brief.key_messages[0] in screen.editor.text


async def test_two_windows_on_one_draft_the_later_save_becomes_a_copy_and_both_are_told() -> None:
    # Issue 11's recipe: both windows open the draft, window 1 types " EINS", window 2 types " ZWEI" later.
    draft_id = seed_last_draft("Hallo Welt")
    one, two = make_app(), make_app()
    async with one.run_test(size=SIZE) as p1, two.run_test(size=SIZE) as p2:
        await settle(p1)
        await settle(p2)
        s1, s2 = one.screen, two.screen
        assert isinstance(s1, ComposeScreen) and isinstance(s2, ComposeScreen)
        assert s1.draft.id == s2.draft.id == draft_id
        await p1.press("end", *" EINS")
        await p1.pause(0.8)  # autosaved
        await p2.press("end", *" ZWEI")
        await p2.pause(0.8)
        await p1.pause(1.3)  # window 1 looks for copies once a second
        # the earlier save stays the draft, window 2 goes on in a copy
        assert s1.draft.id == draft_id and s2.draft.id != draft_id
        assert stored_text(draft_id) == "Hallo Welt EINS"
        assert stored_text(s2.draft.id) == "Hallo Welt ZWEI"
        told_two = [str(n.message) for n in two._notifications]
        told_one = [str(n.message) for n in one._notifications]
        assert any("zuerst gespeichert" in m and "„Hallo Welt Z" in m for m in told_two), told_two
        assert any("später gespeichert" in m and "„Hallo Welt Z" in m for m in told_one), told_one
        # typing on in either window keeps both texts apart
        await p1.press(*"!")
        await p2.press(*"?")
        await p1.pause(0.8)
        await p2.pause(0.8)
        assert stored_text(draft_id) == "Hallo Welt EINS!"
        assert stored_text(s2.draft.id) == "Hallo Welt ZWEI?"


async def test_opening_a_draft_or_moving_the_cursor_is_no_edit_that_makes_another_window_fork() -> None:
    draft_id = seed_last_draft("Hallo Welt")
    one = make_app()
    async with one.run_test(size=SIZE) as p1:
        await settle(p1)
        s1 = one.screen
        assert isinstance(s1, ComposeScreen)
        two = make_app()
        async with two.run_test(size=SIZE) as p2:  # opens the same draft, moves its cursor
            await settle(p2)
            await p2.press("home", "right", "right")
            await p2.pause(0.8)
        await p1.press("end", *" EINS")
        await p1.pause(0.8)
        assert s1.draft.id == draft_id
        assert stored_text(draft_id) == "Hallo Welt EINS"
        assert not [n for n in one._notifications if n.severity == "warning"]


async def test_an_inserted_hashtag_is_a_word_of_its_own_and_enter_inserts_without_moving_first() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ComposeScreen) and screen.brief is None
        await pilot.press(*"Hallo Welt")
        await pilot.press("home")
        await pilot.press("ctrl+t")  # a free draft: no goal of a brief is highlighted
        await settle(pilot)
        first = app.guidelines.goals[0].hashtag
        await pilot.press("enter")
        await settle(pilot)
        assert screen.editor.text == f"{first} Hallo Welt"
        assert screen.editor.has_focus
        await pilot.press(*"heute")  # typing goes on before the next word, not glued to the hashtag
        assert screen.editor.text == f"{first} heuteHallo Welt"
        await pilot.press("end", "left", "left", "left")  # inside "Welt": between "Hallo W" and "elt"
        screen.insert_hashtag("#Werkstolz")
        await settle(pilot)
        assert screen.editor.text == f"{first} heuteHallo W #Werkstolz elt"


async def test_a_key_message_inserted_before_a_word_keeps_a_space_after_it() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_brief(pilot, "Handys")
        assert screen.brief is not None
        await pilot.press(*"Danke!")
        await pilot.press("home", "ctrl+l")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        message = screen.brief.key_messages[0]
        assert screen.editor.text == f"{message} Danke!"
        await pilot.press(*" X")
        assert screen.editor.text == f"{message} X Danke!"


async def test_typing_in_the_inbox_lists_edits_the_filter_with_spaces_and_backspace() -> None:
    from textual.widgets import Input, OptionList

    from drafter.tui.screens.inbox import InboxScreen

    with Store() as store:  # one draft of one's own, so "no match" is not "no drafts yet"
        DraftStore(store).create("Glasfaser im Winter verlegt", channels=["linkedin"])
    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        field = inbox.query_one("#filter", Input)
        await pilot.press("down")  # into the list of briefs
        await settle(pilot)
        assert inbox.query_one("#briefs", OptionList).has_focus
        await pilot.press(*"im Winterx")
        await settle(pilot)
        assert field.value == "im Winterx"
        drafts = inbox.query_one("#drafts", OptionList)
        shown_text = str(drafts.get_option_at_index(0).prompt)
        assert "Kein Entwurf passt zu „im Winterx“" in shown_text and "Noch keine" not in shown_text
        await pilot.press("down")  # back into a list; Backspace there edits the filter
        await settle(pilot)
        assert inbox.query_one("#briefs", OptionList).has_focus
        await pilot.press("backspace")
        await settle(pilot)
        assert field.value == "im Winter"
        assert "Glasfaser im Winter" in str(drafts.get_option_at_index(0).prompt)
        await pilot.press("escape")
        await settle(pilot)
        assert field.value == ""


async def export_dialog(pilot: Any, text: str) -> Any:
    from drafter.tui.screens.dialogs import ExportScreen

    await pilot.press("ctrl+n")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ComposeScreen)
    screen.editor.insert(text)
    await settle(pilot)
    await pilot.press("f8")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportScreen)
    return dialog


async def test_export_dialog_works_from_the_keyboard() -> None:
    from textual.widgets import Button, Checkbox

    from drafter import paths
    from drafter.tui.screens.inbox import InboxScreen

    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tag = app.guidelines.goals[0].hashtag
        dialog = await export_dialog(pilot, f"Heute war ein guter Tag!! {tag}")
        assert dialog.check.warnings and not dialog.check.errors
        box = dialog.query_one("#confirm-warnings", Checkbox)
        assert box.has_focus and not box.value  # the focus starts where the next step is
        assert "▐ ▌" in str(box.render())  # unticked looks unticked, whatever the colours
        assert "Leertaste" in str(dialog.query_one("#export-dialog").query(".dim").last().render())  # the keys
        assert "die Warnung gelesen" in str(box.label)  # one warning: singular
        await pilot.press("enter")  # not ticked yet: nothing is exported, the dialog stays
        await settle(pilot)
        assert app.screen is dialog and app.clipboard == ""
        # and it says what is missing: the tick, not "fix the errors" (there is none; a new-user probe)
        last = str(list(app._notifications)[-1].message)
        assert "Häkchen" in last and "Fehler" not in last, last
        await pilot.press("space")
        await settle(pilot)
        assert box.value and "▐X▌" in str(box.render())
        assert not dialog.query_one("#do-export", Button).disabled
        await pilot.press("tab")
        assert app.focused is dialog.query_one("#do-export", Button)
        await pilot.press("tab")
        assert app.focused is dialog.query_one("#cancel-export", Button)
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused is box
        await pilot.press("enter")  # Enter exports
        await settle(pilot)
        assert isinstance(app.screen, ComposeScreen)
        assert app.clipboard.startswith("Heute war ein guter Tag!!")
        (markdown,) = (paths.data_dir() / "exports").glob("*.md")
        # OSC 52 gets no answer: the message names the file instead of claiming the clipboard has the text
        told = [str(n.message) for n in app._notifications]
        done = [m for m in told if str(markdown) in m]
        assert done and "OSC 52" in done[0] and "set-clipboard" in done[0], told
        assert not any("In die Zwischenablage kopiert" in m for m in told)

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        dialog = await export_dialog(pilot, f"Ein ruhiger Tag im Team. {tag}")
        assert not list(app._notifications)  # the last export's message does not cover the next export's dialog
        assert not dialog.check.warnings and not dialog.check.errors
        assert app.focused is dialog.query_one("#do-export", Button)
        await pilot.press("escape")  # Esc cancels
        await settle(pilot)
        assert isinstance(app.screen, ComposeScreen)
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ComposeScreen)
        assert len(list((paths.data_dir() / "exports").glob("*.json"))) == 2


async def test_a_draft_edited_after_its_export_is_listed_as_changed_since() -> None:
    """The drafts list said "exportiert" for a draft whose text was changed after the export (a new-user
    probe): the text it shows was never exported. Edited, it is a draft again that remembers its export."""
    from drafter.drafts import DraftStatus
    from drafter.tui.screens.inbox import status_text

    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tag = app.guidelines.goals[0].hashtag
        dialog = await export_dialog(pilot, f"Ein ruhiger Tag im Team. {tag}")
        assert not dialog.check.warnings and not dialog.check.errors
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ComposeScreen) and screen.draft.status is DraftStatus.EXPORTED
        draft_id = screen.draft.id

        def listed() -> str:
            (summary,) = [d for d in app.drafts.summaries() if d.id == draft_id]
            return status_text(summary, "de", lambda ids: ", ".join(ids))

        await pilot.press("ctrl+s")  # saved again without a change: still exported
        await settle(pilot)
        assert listed() == "exportiert"
        await pilot.press("end", *" Noch was.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert listed() == "nach Export geändert"
        assert app.drafts.get(draft_id).exported  # which channels went out once is kept
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert listed() == "exportiert"


async def test_export_dialog_blocked_by_errors_starts_on_cancel() -> None:
    from textual.widgets import Button

    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await export_dialog(pilot, "Heute war ein guter Tag!!")  # no goal hashtag: an error
        assert dialog.check.errors
        assert app.focused is dialog.query_one("#cancel-export", Button)
        await pilot.press("f8")
        await settle(pilot)
        assert app.screen is dialog and app.clipboard == ""
        await pilot.press("enter")  # on Cancel: closes
        await settle(pilot)
        assert isinstance(app.screen, ComposeScreen)


async def test_f2_cycles_through_the_briefs_channels_and_keeps_every_chosen_one() -> None:
    from drafter.tui.widgets import LengthGauge

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_brief(pilot, "Handys")
        assert screen.brief is not None
        brief_channels = list(screen.brief.channels)
        screen.set_channels([brief_channels[0], "x"])  # the user also checks a channel the brief does not name
        await settle(pilot)
        primaries = []
        for _ in range(len(brief_channels) + 1):
            await pilot.press("f2")
            await settle(pilot)
            primaries.append(screen.channels[0])
            gauges = [g.channel for g in screen.query(LengthGauge)]
            assert gauges == screen.channels and {brief_channels[0], "x"} <= set(gauges)  # nothing dropped
        assert primaries == [*brief_channels[1:], "x", brief_channels[0]]  # the brief's order, then the user's
        assert "threads" not in screen.channels  # a channel neither the brief nor the user named


async def test_a_free_draft_has_the_profiles_channels_and_f2_cycles_through_them(tmp_path: Path) -> None:
    from drafter.settings import Settings, save_settings

    settings = tmp_path / "settings.toml"
    save_settings(Settings(onboarding_done=True, language="de", channels=["linkedin", "bluesky"]), settings)
    app = make_app(settings_path=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        screen = app.screen
        # every channel of the profile from the start (the tenth round's new-user probe chose X and LinkedIn
        # and found one channel), the first primary; F2 makes the next one primary
        assert isinstance(screen, ComposeScreen) and screen.channels == ["linkedin", "bluesky"]
        await pilot.press("f2")
        await settle(pilot)
        assert screen.channels == ["bluesky", "linkedin"]
        await pilot.press("f2")
        await settle(pilot)
        assert screen.channels == ["linkedin", "bluesky"]


async def test_a_briefs_draft_has_the_briefs_order_of_the_profiles_channels(tmp_path: Path) -> None:
    from drafter.settings import Settings, save_settings

    settings = tmp_path / "settings.toml"
    # the profile names X first; the brief "Glasfaser im Winter" names LinkedIn, Instagram, X in that order
    save_settings(Settings(onboarding_done=True, language="de", channels=["x", "linkedin", "bluesky"]), settings)
    app = make_app(settings_path=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_brief(pilot, "Glasfaser")
        assert screen.brief is not None and list(screen.brief.channels)[:3] == ["linkedin", "instagram", "x"]
        # the brief's main channel first, Instagram left out (not the ambassador's), Bluesky too (not the brief's)
        assert screen.channels == ["linkedin", "x"]


async def test_ctrl_home_end_go_to_the_ends_of_the_text_and_ctrl_a_selects_all() -> None:
    from textual.widgets import Static

    from drafter.tui.screens.help import HelpScreen

    seed_last_draft("Erste Zeile\nZweite Zeile\nDritte", cursor=(1, 3))
    app = make_app(language="de")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        editor = screen.editor
        assert editor.cursor_location == (1, 3)
        await pilot.press("ctrl+home")
        assert editor.cursor_location == (0, 0)
        await pilot.press("ctrl+end")
        assert editor.cursor_location == (2, 6)
        await pilot.press("home")  # the line start stays reachable
        assert editor.cursor_location == (2, 0)
        await pilot.press("ctrl+a")
        assert editor.selected_text == editor.text
        await pilot.press(*"Neu")
        assert editor.text == "Neu"
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table: Any = app.screen.query_one("#help-keys", Static).content
        rows = list(zip(*[[str(c) for c in col.cells] for col in table.columns], strict=True))
        assert ("Text", "Strg+A", "Alles markieren") in rows
        assert ("Text", "Strg+Pos1", "Anfang des Texts") in rows and ("Text", "Strg+Ende", "Ende des Texts") in rows


async def test_text_typed_right_before_ctrl_q_in_one_burst_is_saved() -> None:
    draft_id = seed_last_draft()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "end", " und noch ein Satz.", "ctrl+q")
        await settle(pilot)
    assert stored_text(draft_id) == START_TEXT + " und noch ein Satz."
