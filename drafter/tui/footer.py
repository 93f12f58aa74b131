"""A footer that shows only the keys it can show whole, and changes only what changed.

Textual's footer lays its keys out in one row and cuts the row off at the right edge (or under the
command palette's key, docked on the right): at 80 columns "f9 Profil" became "f9 Pr" and "Korrektur"
"Korrektu". :class:`FittingFooter` leaves out the keys that do not fit whole, from the first one that
does not fit on, and keeps the help key (F1 lists every key) in any case. It lays itself out again when
the terminal is resized.

Textual rebuilds its footer on every change of focus (removes every key, mounts new ones, lays out and
paints the screen): on the compose screen that was the largest stall of the key that starts an AI run.
This footer works out the keys it would show, and does nothing when they are the ones it shows (focus
moving between widgets with the same keys); when they differ it rewrites the shown keys in place and
mounts or removes only the difference. The update runs once for a burst of binding changes, before
the next frame, so the focus change and the new keys are laid out and painted together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # Textual exports no public name for a footer's key

from drafter.i18n import t

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen

__all__ = ["FittingFooter", "FooterKey", "footer_keys", "key_width"]

#: the action whose key is always shown (the help lists every key)
KEEP_ACTION = "help"

#: Textual's own binding descriptions that its widgets show in the footer, and their catalogue keys
TEXTUAL_DESCRIPTIONS = {
    "Dismiss menu": "fix_ui.textual.dismiss_menu",
    "Show menu": "fix_ui.textual.show_menu",
    "Open link": "fix_ui.textual.open_link",
}

#: what identifies a shown key: key, its display, description, action, disabled, tooltip
KeySpec = tuple[str, str, str, str, bool, object]


def key_width(key: FooterKey) -> int:
    """Cells a key takes in a (non-compact) footer: `` key `` then ``description ``; the palette's key
    adds its border on the left and its padding on the right."""
    width = cell_len(key.key_display) + 2 + (cell_len(key.description) + 1 if key.description else 0)
    if key.has_class("-command-palette"):
        width += 2
    return width


def footer_keys(node: DOMNode) -> list[FooterKey]:
    """The footer keys shown under ``node`` (a screen or a footer), in their order."""
    return list(node.query(FooterKey))


def spec(key: FooterKey) -> KeySpec:
    return (key.key, key.key_display, key.description, key.action, key._disabled, key.tooltip)


class FittingFooter(Footer):
    """:class:`~textual.widgets.Footer` without keys cut off, updated in place (see the module docstring)."""

    #: an update is scheduled (several binding changes before it runs: one update)
    _update_pending = False

    def compose(self) -> ComposeResult:
        yield from self._fitted()

    def _fitted(self) -> list[Widget]:
        """The widgets this footer shows now (new, not mounted): the screen's keys that fit whole."""
        widgets: list[Widget] = list(super().compose())
        for w in widgets:  # Textual's own English descriptions ("Dismiss menu" of an open Select)
            if isinstance(w, FooterKey) and w.description in TEXTUAL_DESCRIPTIONS:
                w.description = t(TEXTUAL_DESCRIPTIONS[w.description], self.app.lang)  # type: ignore[attr-defined]
        palette = [w for w in widgets if isinstance(w, FooterKey) and w.has_class("-command-palette")]
        keys = [w for w in widgets if isinstance(w, FooterKey) and w not in palette]
        if len(keys) + len(palette) != len(widgets):
            return widgets  # binding groups (drafter has none): left as Textual lays them out
        kept = self._fitting(keys, palette)
        if len(kept) < len(keys) and any(w.description for w in palette):
            # short of room: the palette's key alone ("Strg+P") leaves room for the screen's own keys
            for w in palette:
                w.description = ""
            kept = self._fitting(keys, palette)
        return [w for w in widgets if w in kept or w in palette]

    def _fitting(self, keys: list[FooterKey], palette: list[FooterKey]) -> list[FooterKey]:
        """The keys shown: the help key, then the others in order until the first one that does not fit."""
        room = self.app.size.width - sum(key_width(w) for w in palette)
        kept = [k for k in keys if k.action == KEEP_ACTION][:1]
        room -= sum(key_width(k) for k in kept)
        for key in keys:
            if key in kept:
                continue
            if key_width(key) > room:
                break
            room -= key_width(key)
            kept.append(key)
        return kept

    # -- keeping up with the screen ---------------------------------------------------------------
    def bindings_changed(self, screen: Screen) -> None:
        """Textual's footer recomposes here, after the next frame, on every change of focus; this one
        updates once per burst of changes, in time for the next frame, and only what changed."""
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._schedule_update()

    def on_resize(self, _event: events.Resize) -> None:
        # also sent when the keys' total width changes: then the keys that fit are the same, no update
        if self.is_attached and self._bindings_ready:
            self._schedule_update()

    def _schedule_update(self) -> None:
        if not self._update_pending:
            self._update_pending = True
            self.call_later(self._update_keys)

    def _update_keys(self) -> None:
        self._update_pending = False
        if not self.is_attached:
            return
        wanted = self._fitted()
        shown = list(self.children)
        if not all(isinstance(w, FooterKey) for w in [*wanted, *shown]) or not shown:
            self.call_next(self.recompose)  # binding groups, or nothing shown yet: Textual's way
            return
        new_keys = [w for w in wanted if isinstance(w, FooterKey) and not w.has_class("-command-palette")]
        new_palette = [w for w in wanted if isinstance(w, FooterKey) and w.has_class("-command-palette")]
        old_keys = [w for w in shown if isinstance(w, FooterKey) and not w.has_class("-command-palette")]
        old_palette = [w for w in shown if isinstance(w, FooterKey) and w.has_class("-command-palette")]
        if len(new_palette) != len(old_palette):
            self.call_next(self.recompose)  # the palette's key came or went: rare, rebuild
            return
        if [spec(k) for k in [*new_keys, *new_palette]] == [spec(k) for k in [*old_keys, *old_palette]]:
            return  # the same keys (focus moved between widgets with the same bindings): nothing to do
        pairs = [*zip(old_keys, new_keys, strict=False), *zip(old_palette, new_palette, strict=True)]
        self.update_keys(pairs)
        if len(old_keys) > len(new_keys):
            self.remove_children(old_keys[len(new_keys) :])
        elif len(new_keys) > len(old_keys):
            extra = new_keys[len(old_keys) :]
            if old_palette:
                self.mount_all(extra, before=old_palette[0])
            else:
                self.mount_all(extra)

    def update_keys(self, pairs: list[tuple[FooterKey, FooterKey]]) -> None:
        """Make each shown key (first) show what the new one (second) says."""
        for old, new in pairs:
            if spec(old) == spec(new):
                continue
            resized = key_width(old) != key_width(new)
            old.key, old.key_display, old.description = new.key, new.key_display, new.description
            old.action = new.action
            old._disabled = new._disabled
            old.set_class(new._disabled, "-disabled")
            old.tooltip = new.tooltip
            old.refresh(layout=resized)
