"""Issue 9 item 6: the workspace with the documented 10,000-brief set opens, filters and quits at once
(it used to spin for minutes at 100 % CPU: one ``OptionList.add_option`` per brief, quadratic)."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import pytest
from brief_helpers import CONTEXT, GOALS
from tui_helpers import make_app

from drafter.brief_store import BriefStore
from drafter.briefs import Brief
from drafter.store import Store
from drafter.tui.screens.inbox import MAX_LISTED, InboxScreen

BRIEFS = 10_000
SIZE = (120, 40)


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "drafter.sqlite3"
    start = dt.date(2026, 11, 20)
    briefs = [
        Brief.model_validate(
            {
                "id": f"b{i:05d}",
                "title": f"Thema {i:05d} Glasfaser",
                "business_unit": f"Bereich {i % 37}",
                "goal": GOALS[i % len(GOALS)],
                "channels": "x|linkedin",
                "expires": (start + dt.timedelta(days=i % 400)).isoformat(),
            },
            context=CONTEXT,
        )
        for i in range(BRIEFS)
    ]
    with Store(path) as store:
        BriefStore(store).import_briefs(briefs, "generated")
    return path


def listed_ids(inbox: InboxScreen) -> list[str]:
    return [o.id for o in inbox.query_one("#briefs").options if o.id and o.id.startswith("brief:")]


async def wait_until(pilot, condition, seconds: float) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > seconds:
            raise AssertionError(f"not within {seconds} s")
        await pilot.pause(0.02)
    return time.perf_counter() - started


async def test_ten_thousand_briefs_open_filter_and_quit_at_once(big_store: Path, tmp_path: Path) -> None:
    store_path = tmp_path / "drafter.sqlite3"
    shutil.copy(big_store, store_path)
    app = make_app(store_path=store_path)
    started = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        first_frame = time.perf_counter() - started
        assert 0 < len(listed_ids(inbox)) <= MAX_LISTED  # the first frame lists at most MAX_LISTED
        # the full list arrives from a worker; the 5 sample briefs are imported on this first start
        await wait_until(pilot, lambda: "models" in inbox.reload_sources, 20)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert inbox.brief_total == BRIEFS + 5 and len(inbox.briefs) == BRIEFS + 5
        assert len(listed_ids(inbox)) == MAX_LISTED
        more = [o for o in inbox.query_one("#briefs").options if o.disabled]
        assert more and str(BRIEFS + 5 - MAX_LISTED) in str(more[-1].prompt)

        # typing filters the whole set (not only what is listed) and answers within a bound
        pressed = time.perf_counter()
        await pilot.press(*"09876")
        await wait_until(pilot, lambda: listed_ids(inbox) == ["brief:b09876"], 5)
        assert time.perf_counter() - pressed < 5  # it took minutes before (one add_option per brief)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is not inbox and app.screen.brief is not None and app.screen.brief.id == "b09876"

        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert first_frame < 10, first_frame
