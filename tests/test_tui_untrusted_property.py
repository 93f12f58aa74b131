"""Property: whatever a brief, a corpus post, a draft or a guideline holds — Textual markup, terminal
escapes, C0/C1 and bidi controls — the workspace opens it without an exception, nothing but styling
reaches the terminal, and markup-looking text is shown as the text it is."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tui_helpers import make_app, terminal_output, unsafe_in_output

from drafter.brief_store import BriefStore
from drafter.briefs import Brief
from drafter.drafts import DraftStore
from drafter.originality import CorpusPost, StoredPostIndex
from drafter.store import Store
from drafter.tui.screens.compose import ComposeScreen
from drafter.tui.screens.inbox import InboxScreen

PIECES = [
    "[b]",
    "[/]",
    "[/b]",
    "[@click=app.quit]",
    "[@click=app.screenshot('victim.txt','/tmp')]",
    "[link=https://evil.example/phish]",
    "[/link]",
    "\x1b",
    "\x1b[31m",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b]8;;https://evil.example\x1b\\",
    "\x9b",
    "\x9b2J",
    "\x07",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u200b",
    "\r",
    "\n",
    "\t",
    "Glasfaser",
    " ",
]
hostile = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=8).map("".join)
POST = "Heute habe ich mit meinem Team in Bonn zehntausend Haushalte an das Glasfasernetz angeschlossen "
MARK = "[/]broken "


def prepare(folder: Path, data: dict[str, Any]) -> tuple[Path, Path]:
    """A store with the hostile brief, corpus post and draft (reopened at start), and settings that name a
    guidelines folder whose rule message is hostile."""
    guidelines = folder / "gl"
    (guidelines / "rules").mkdir(parents=True)
    (guidelines / "guidelines.yaml").write_text(
        f"name: {json.dumps('set ' + data['guideline'])}\nversion: '1'\nextends: default\n", encoding="utf-8"
    )
    message = data["guideline"].replace("{", "{{").replace("}", "}}")
    (guidelines / "rules" / "x.yaml").write_text(
        "rules:\n  - id: test.hostile\n    type: existence\n    level: warning\n    category: term\n"
        f"    tokens: [Glasfaser]\n    message: {json.dumps(message)}\n    why: {json.dumps(message)}\n",
        encoding="utf-8",
    )
    settings_path = folder / "settings.toml"
    settings_path.write_text(f"guidelines_dir = {json.dumps(str(guidelines))}\nonboarding_done = true\n")
    store_path = folder / "store.sqlite3"
    brief = Brief.model_construct(
        id="hostile",
        title=MARK + data["title"],
        business_unit=data["business_unit"] or "x",
        goal="Werkstolz",
        channels=("linkedin", "x"),
        key_messages=tuple(data["key_messages"]),
        text=data["text"],
        not_before=None,
        expires=None,
        language="de",
        hashtags=tuple(data["hashtags"]),
        links=tuple(data["links"]),
        contact=data["contact"],
        metadata={data["meta_key"]: data["meta_value"]},
    )
    post = POST + data["post"] + " und ich bin richtig stolz auf alle. #Werkstolz"
    with Store(store_path) as store:
        BriefStore(store).import_briefs([brief], "test")
        StoredPostIndex(store).add(CorpusPost(text=post, source=data["source"] + ".md"))
        drafts = DraftStore(store)
        draft = drafts.create(post + data["draft"] + " Glasfaser", brief_id="hostile", channels=["linkedin", "x"])
        drafts.remember_last(draft.id)
    return store_path, settings_path


def assert_clean(app: Any, *literal: str) -> None:
    raw, text = terminal_output(app)
    assert unsafe_in_output(raw) == []
    assert "\x1b]8;" not in raw
    for needle in literal:
        assert needle in text


async def scenario(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store_path, settings_path = prepare(Path(tmp), data)
        app = make_app(store_path=store_path, settings_path=settings_path, language="en", import_samples=False)
        async with app.run_test(size=(140, 45), notifications=True) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ComposeScreen)
            screen.run_check_now()
            await pilot.pause()
            assert_clean(app, MARK.strip() if screen.brief is not None else "")
            await pilot.press("f8")  # the export dialog lists the same findings
            await pilot.pause()
            assert_clean(app)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, InboxScreen)
            assert_clean(app, MARK.strip())
            assert app.is_running


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.fixed_dictionaries(
        {
            "title": hostile,
            "business_unit": hostile,
            "key_messages": st.lists(hostile, max_size=3),
            "text": hostile,
            "contact": hostile,
            "links": st.lists(hostile, max_size=2),
            "hashtags": st.lists(hostile, max_size=2),
            "meta_key": hostile,
            "meta_value": hostile,
            "post": hostile,
            "source": hostile,
            "draft": hostile,
            "guideline": hostile,
        }
    )
)
def test_hostile_text_anywhere_is_shown_as_text(data: dict[str, Any]) -> None:
    asyncio.run(scenario(data))
