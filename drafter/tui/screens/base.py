"""Shared screen behaviour: footer labels come from the UI catalogue (``keys.<binding id>``)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, cast

from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from drafter.i18n import t

if TYPE_CHECKING:
    from drafter.tui.app import DrafterApp


def _localize(bindings: dict[str, ActiveBinding], lang: str) -> dict[str, ActiveBinding]:
    out: dict[str, ActiveBinding] = {}
    for key, active in bindings.items():
        binding = active.binding
        if binding.id:
            label = t(f"keys.{binding.id}", lang)
            if label != f"keys.{binding.id}":
                binding = dataclasses.replace(binding, description=label)
                active = ActiveBinding(active.node, binding, active.enabled, active.tooltip)
        out[key] = active
    return out


def _apply_cursor_blink(screen: Screen[Any]) -> None:
    blink = getattr(screen.app, "cursor_blink", True)
    if not blink:
        for widget in screen.query(Input):
            widget.cursor_blink = False


class _DrafterScreenMixin:
    """What every drafter screen and dialog shares: the typed app, its language, localised bindings."""

    app: Any

    def on_mount(self) -> None:
        _apply_cursor_blink(cast("Screen[Any]", self))
        # runs after the screen's own on_mount (Textual calls handlers down the MRO): draft, cursor and
        # focus are in place, so keys typed during start-up may go on now
        self.drafter.screen_ready(self)

    @property
    def drafter(self) -> DrafterApp:
        return cast("DrafterApp", self.app)

    @property
    def lang(self) -> str:
        return self.drafter.lang

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return _localize(super().active_bindings, self.drafter.lang)  # type: ignore[misc]


class DrafterScreen(_DrafterScreenMixin, Screen[Any]):
    pass


class DrafterModal(_DrafterScreenMixin, ModalScreen[Any]):
    pass
