"""Untrusted text in the workspace (issue 9 items 1, 2, 3, 9): data is shown as plain, escaped text in
every widget and notification, any start-up content is reported instead of crashing every start, the
editor never takes control characters in, and an oversized paste is refused."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from textual import events
from tui_helpers import make_app, new_free_draft, terminal_output, unsafe_in_output

from drafter import paths
from drafter.brief_store import BriefStore
from drafter.briefs import Brief
from drafter.drafts import DraftStore
from drafter.originality import CorpusPost, StoredPostIndex
from drafter.store import Store
from drafter.tui.editor import MAX_DRAFT_CHARS
from drafter.tui.screens.compose import ComposeScreen
from drafter.tui.screens.inbox import InboxScreen

SIZE = (150, 45)
TITLE = "[/]broken [bold]T"
QUIT_MESSAGE = "[@click=app.quit]Jetzt lesen[/]"
LINK = '[link="https://evil.example/phish"]the official Telekom page[/link]'
OSC52 = "\x1b]52;c;ZXZpbA==\x07"


def click_message(folder: Path) -> str:
    return f"[@click=app.screenshot('victim.txt','{folder}')]Mehr erfahren[/]"


def store_brief(store_path: Path | None = None, **fields: Any) -> Brief:
    """A brief written straight into the store, unvalidated (as an older or tampered store may hold it)."""
    data: dict[str, Any] = {
        "id": "hostile",
        "title": TITLE,
        "business_unit": "Technik [i]",
        "goal": "Werkstolz",
        "channels": ("linkedin",),
        "key_messages": (),
        "text": "",
        "not_before": None,
        "expires": None,
        "language": "de",
        "hashtags": (),
        "links": (),
        "contact": "",
        "metadata": {},
    }
    data.update(fields)
    brief = Brief.model_construct(**data)
    with Store(store_path) as store:
        BriefStore(store).import_briefs([brief], "test")
    return brief


async def settle(app: Any, pilot: Any) -> None:
    """Let the start-up work (guidelines, import, corpus) finish and its notifications appear."""
    await pilot.pause()
    for _ in range(100):
        if app.models_ready and app.guidelines_loaded:
            break
        await pilot.pause(0.05)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def messages(app: Any) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def assert_safe_screen(app: Any, *literal: str) -> str:
    raw, text = terminal_output(app)
    assert unsafe_in_output(raw) == [], unsafe_in_output(raw)
    assert "\x1b]8;" not in raw  # no OSC 8 hyperlink
    for needle in literal:
        assert needle in text, needle
    return text


# -- item 1: brief fields are text, not markup --------------------------------------------------------
async def test_a_brief_full_of_markup_opens_shows_it_literally_and_clicks_run_nothing(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    store_brief(
        key_messages=(QUIT_MESSAGE, click_message(tmp_path)),
        text=f"Siehe {LINK}. Typ: Array[int]",
    )
    app = make_app(language="en", import_samples=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, InboxScreen)
        assert_safe_screen(app, TITLE, "Technik [i]")
        app.screen.open_option("brief:hostile")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        # (the left pane wraps long lines: these pieces stay on one line)
        assert_safe_screen(app, TITLE, "• [@click=app.quit]Jetzt", "erfahren[/]", '[link="https://evil', "Array[int]")
        # click across the key messages: as markup, one click took a screenshot over victim.txt or quit
        km = screen.query_one("#key-messages")
        for y in range(km.size.height):
            for x in (3, 12):
                await pilot.click("#key-messages", offset=(x, y))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert victim.read_text(encoding="utf-8") == "precious"
        assert "Jetzt lesen[/]" in screen.editor.text  # selecting a key message inserts it, as text
        await pilot.press("ctrl+q")
    # the last-draft pointer names that draft: the next start reopens it, and does not crash either
    again = make_app(language="en", import_samples=False)
    async with again.run_test(size=SIZE, notifications=True) as pilot:
        await settle(again, pilot)
        assert isinstance(again.screen, ComposeScreen) and again.screen.brief is not None
        assert_safe_screen(again, TITLE)


async def test_findings_quote_corpus_text_and_file_names_escaped(tmp_path: Path) -> None:
    post = (
        f"Heute {OSC52}habe ich mit meinem Team in Bonn \u202ezehntausend Haushalte an das Glasfasernetz "
        "angeschlossen, und ich bin richtig stolz auf alle. #Werkstolz"
    )
    app = make_app(language="en", import_samples=False)
    StoredPostIndex(Store(app.store.path)).add(CorpusPost(text=post, source=f"kollegin{OSC52}[b].md"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        screen = await new_free_draft(pilot)
        screen.editor.insert(post, screen.editor.document.end)  # the editor drops the controls
        screen.run_check_now()
        await pilot.pause()
        assert "\x1b" not in screen.editor.text and "\u202e" not in screen.editor.text
        (hit,) = [f for f in screen.editor.findings if f.rule == "originality.corpus"]
        assert "\x1b" in hit.message  # the finding quotes the corpus source and opening words as stored
        assert_safe_screen(app, "kollegin\\x1b]52;c;ZXZpbA==\\x07[b].md")


# -- item 2: start-up survives any content -----------------------------------------------------------
def write_settings(text: str) -> Path:
    path = paths.config_dir() / "settings.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def hostile_guidelines(folder: Path, rule_type: str = "existence", message: str = "Glasfaser!") -> Path:
    (folder / "rules").mkdir(parents=True, exist_ok=True)
    (folder / "guidelines.yaml").write_text('name: "hostile"\nversion: "1"\nextends: default\n', encoding="utf-8")
    (folder / "rules" / "x.yaml").write_text(
        "rules:\n"
        "  - id: test.hostile\n"
        f"    type: {json.dumps(rule_type)}\n"
        "    level: warning\n"
        "    category: term\n"
        "    tokens: [Glasfaser]\n"
        f"    message: {json.dumps(message)}\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize("case", ["inbox-goal", "settings-language", "guidelines-type"])
async def test_start_up_problems_with_markup_are_reported_as_text_every_start(case: str, tmp_path: Path) -> None:
    if case == "inbox-goal":
        inbox = paths.data_dir() / "inbox"
        inbox.mkdir(parents=True, exist_ok=True)
        (inbox / "bad.yaml").write_text('title: Ein Brief\nbusiness_unit: Technik\ngoal: "[/]"\n', encoding="utf-8")
        expected = "[/]"
    elif case == "settings-language":
        write_settings('language = "[/]"\n')
        expected = "'[/]'"
    else:
        folder = hostile_guidelines(tmp_path / "gl", rule_type="exist[/]ence")
        write_settings(f"guidelines_dir = {str(folder)!r}\nonboarding_done = true\n")
        expected = "exist[/]ence"
    for _start in range(2):
        app = make_app(language="en")
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            assert app.is_running and isinstance(app.screen, InboxScreen)
            assert expected in messages(app)
            assert_safe_screen(app, expected)
            if case == "guidelines-type":
                assert app.guidelines.name != "hostile"  # the bundled set stands in


async def test_a_settings_file_nested_too_deep_falls_back_to_defaults() -> None:
    write_settings("name = " + "[" * 5000 + "]" * 5000 + "\n")
    app = make_app(language="en", onboarding=None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, InboxScreen)
        assert app.settings_error and "nested too deeply" in app.settings_error


async def test_a_file_name_with_terminal_escapes_is_shown_escaped() -> None:
    inbox = paths.data_dir() / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / f"evil{OSC52}\u202egpj.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    app = make_app(language="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        assert "evil\\x1b]52;c;ZXZpbA==\\x07\\u202egpj.yaml" in messages(app)
        assert_safe_screen(app, "evil\\x1b]52")


async def test_a_last_draft_that_cannot_be_read_opens_the_inbox_and_says_why() -> None:
    with Store() as store:
        drafts = DraftStore(store)
        draft = drafts.create("Mein Entwurf", channels=["x"])
        drafts.remember_last(draft.id)
        store.conn.execute("UPDATE drafts SET channels = '[/] not json' WHERE id = ?", (draft.id,))
    app = make_app(language="en", import_samples=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, InboxScreen)
        assert "JSONDecodeError" in messages(app)
        assert_safe_screen(app)
    with Store() as store:
        assert DraftStore(store).store.get_meta("last_draft") is None  # not again at the next start


async def test_a_draft_whose_brief_cannot_be_read_opens_without_it() -> None:
    store_brief(title="Line one\nline two")  # fails validation when loaded
    with Store() as store:
        drafts = DraftStore(store)
        draft = drafts.create("Mein Entwurf zum Brief", brief_id="hostile", channels=["x"])
        drafts.remember_last(draft.id)
    app = make_app(language="en", import_samples=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ComposeScreen) and screen.brief is None
        assert screen.editor.text == "Mein Entwurf zum Brief"
        assert "brief of this draft cannot be read" in messages(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)  # listed from the stored rows, said why
        assert "cannot be read" in messages(app)
        assert_safe_screen(app, "Line one\\nline two")


async def test_a_store_file_that_is_no_database_is_kept_aside_and_a_new_one_started() -> None:
    path = paths.store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"[/]not a database\x1b]52;c;ZXZpbA==\x07" * 200)
    app = make_app(language="en", import_samples=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, InboxScreen)
        assert "moved aside" in messages(app)
        assert_safe_screen(app)
    (aside,) = path.parent.glob(path.name + ".corrupt-*")
    assert aside.read_bytes().startswith(b"[/]not a database")  # kept, not deleted
    with Store() as store:  # the new store works
        assert DraftStore(store).list() == []


def test_a_guidelines_folder_on_the_command_line_that_fails_is_a_clean_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from drafter.tui.app import run

    folder = hostile_guidelines(tmp_path / "gl", rule_type=f"exist[/]ence{OSC52}")
    with pytest.raises(SystemExit) as exit_info:
        run(folder)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("drafter: guideline error:\n")
    assert "exist[/]ence\\x1b]52" in err and "\x1b" not in err and "Traceback" not in err


# -- item 3: the editor never takes control characters in -------------------------------------------
async def test_pasted_controls_are_dropped_line_breaks_and_tabs_kept() -> None:
    app = make_app(language="en", import_samples=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        screen = await new_free_draft(pilot)
        app.post_message(events.Paste(f"a\x1b[31mb\x9bc\u202ed\u2066e{OSC52}f\tg\nh\u200bi"))
        await pilot.pause()
        assert screen.editor.text == "a[31mbcde]52;c;ZXZpbA==f\tg\nhi"
        assert len(screen.record) == len(screen.editor.text)
        assert_safe_screen(app)


async def test_a_stored_draft_with_controls_is_cleaned_when_opened() -> None:
    with Store() as store:
        drafts = DraftStore(store)
        draft = drafts.create(f"Hallo {OSC52}Welt\u202e!", channels=["x"])
        drafts.remember_last(draft.id)
    app = make_app(language="en", import_samples=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        assert screen.editor.text == "Hallo ]52;c;ZXZpbA==Welt!"
        assert "3 control characters removed" in messages(app)
        assert len(screen.record) == len(screen.editor.text)
        await pilot.press("ctrl+z")  # the clean-up is not undoable into the terminal
        assert screen.editor.text == "Hallo ]52;c;ZXZpbA==Welt!"
        assert_safe_screen(app)
        screen.autosave()
    with Store() as store:
        assert DraftStore(store).get(draft.id).text == "Hallo ]52;c;ZXZpbA==Welt!"


# -- item 9: an oversized paste is refused -----------------------------------------------------------
async def test_a_paste_beyond_the_limit_is_refused_and_the_draft_untouched() -> None:
    app = make_app(language="en", import_samples=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        screen = await new_free_draft(pilot)
        await pilot.press(*"Hallo")
        app.post_message(events.Paste("x" * 1_000_000))  # 1 MB on one line
        await pilot.pause()
        assert screen.editor.text == "Hallo"
        assert f"{MAX_DRAFT_CHARS:,}" in messages(app) and "1,000,005" in messages(app)
        # up to the limit is fine, and typing goes on
        app.post_message(events.Paste("y" * (MAX_DRAFT_CHARS - 5)))
        await pilot.pause()
        assert len(screen.editor.text) == MAX_DRAFT_CHARS
        await pilot.press("z")
        assert len(screen.editor.text) == MAX_DRAFT_CHARS + 1


async def test_the_paste_refusal_groups_thousands_as_german_does_in_the_german_ui() -> None:
    app = make_app(language="de", import_samples=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        screen = await new_free_draft(pilot)
        app.post_message(events.Paste("x" * 100_041))
        await pilot.pause()
        assert screen.editor.text == ""
        shown = messages(app)
        assert "100.041" in shown and f"{MAX_DRAFT_CHARS:,}".replace(",", ".") in shown, shown
        assert "100,041" not in shown


# -- the audit: no notification in the workspace parses markup -------------------------------------
def test_every_notification_in_the_workspace_is_plain_text() -> None:
    tui = Path(__file__).resolve().parent.parent / "drafter" / "tui"
    offenders = []
    for path in sorted(tui.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "notify":
                plain = any(
                    k.arg == "markup" and isinstance(k.value, ast.Constant) and k.value.value is False
                    for k in node.keywords
                )
                if not plain:
                    offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_run_offers_to_move_a_damaged_store_aside_and_never_touches_it_without_a_yes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from drafter.tui.app import _offer_fresh_store, run

    path = paths.store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    damaged = b"\x00" * 4096
    path.write_bytes(damaged)
    # nobody to ask (CI, a pipe): the app does not open, the file stays as it was
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    with pytest.raises(SystemExit) as exit_info:
        run()
    assert exit_info.value.code == 2 and path.read_bytes() == damaged
    said = capsys.readouterr().err  # in the app's language, as the question below
    assert "Speicher ist beschädigt" in said or "store is damaged" in said, said
    # on a terminal: "no" keeps it, "ja" moves it aside and a fresh store opens
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "n")
    assert _offer_fresh_store(None) is False and path.read_bytes() == damaged
    # asked in the app's language (German by default: it was asked in English, a new-user probe)
    assert asked == ["Beiseitelegen (nichts wird gelöscht) und mit einem neuen, leeren Speicher beginnen? [j/N] "]
    monkeypatch.setattr("builtins.input", lambda prompt: "ja")
    assert _offer_fresh_store(None) is True
    assert "verschoben nach" in capsys.readouterr().err
    (aside,) = path.parent.glob(path.name + ".corrupt-*")
    assert aside.read_bytes() == damaged
    with Store() as store:
        assert DraftStore(store).list() == []


@pytest.mark.parametrize("in_worker", [False, True], ids=["sync", "worker"])
async def test_stored_briefs_that_cannot_be_listed_leave_the_drafts_listed_and_say_why(
    in_worker: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The merged inbox reads briefs through ``list_summaries`` (in a worker for a large store): a row
    whose JSON is damaged must not empty the inbox nor kill the worker silently."""
    import drafter.tui.screens.inbox as inbox_module

    if in_worker:
        monkeypatch.setattr(inbox_module, "SYNC_LOAD_LIMIT", 0)
    store_brief()
    with Store() as store:
        store.conn.execute("UPDATE briefs SET data = ?", ("{[/] not json \x1b[31m",))
        store.conn.commit()
        DraftStore(store).create("Mein Entwurf bleibt sichtbar", channels=["x"])
    app = make_app(language="en", import_samples=False, reopen_last=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, InboxScreen)
        assert [d.text for d in app.screen.draft_items] == ["Mein Entwurf bleibt sichtbar"]
        assert "cannot be read" in messages(app)
        assert_safe_screen(app, "Mein Entwurf bleibt sichtbar")


async def test_a_crash_report_never_shows_local_variables(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """Textual's crash report listed every frame's local variables — the environment with an API key
    among them, as a hostile-input probe saw. drafter's report keeps the exception and the code only."""
    secret = "sk-NEVER-SHOW-THIS-1234"
    app = make_app(language="de")

    def broken_help() -> None:
        environment = {"OPENAI_API_KEY": secret}  # a local, as os.environ is in many frames
        raise RuntimeError(f"boom with {len(environment)} entries")

    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            monkeypatch.setattr(app, "action_help", broken_help)
            await pilot.press("f1")
            await pilot.pause()
    out, err = capfd.readouterr()
    report = out + err  # the report as it reached the terminal
    assert "boom with 1 entries" in report and "broken_help" in report
    assert secret not in report
