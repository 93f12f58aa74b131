"""The voice score orders authors on the shipped evaluation corpus (``benchmarks/voice_eval.py``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "voice_eval.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("voice_eval", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("voice_eval", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_held_out_posts_outscore_other_authors() -> None:
    module = _module()
    authors = module.load_authors()
    assert len(authors) >= 5 and all(len(posts) >= 30 for posts in authors.values())
    languages = {module.build_profile(posts).main_language for posts in authors.values()}
    assert languages == {"de", "en"}
    result = module.evaluate(authors, (1,))  # one report fold keeps the test quick; the script runs all four
    assert result.auc >= 0.8
    assert result.same_language_auc >= 0.8
    # every author's own held-out posts score higher, in the median, than other authors' posts
    for name in authors:
        own = sorted(q.scores[name] for q in result.queries if q.author == name)
        others = sorted(q.scores[name] for q in result.queries if q.author != name)
        assert own[len(own) // 2] > others[len(others) // 2], name
