"""The brief context of the bundled guidelines, shared by the brief tests (not a test module)."""

from __future__ import annotations

from drafter.guidelines import load_guidelines

_GUIDELINES = load_guidelines()
CONTEXT = _GUIDELINES.brief_context()
GOALS = [goal.name for goal in _GUIDELINES.goals]
CHANNELS = list(_GUIDELINES.channels)
