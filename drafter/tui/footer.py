"""A footer that shows only the keys it can show whole.

Textual's footer lays its keys out in one row and cuts the row off at the right edge (or under the
command palette's key, docked on the right): at 80 columns "f9 Profil" became "f9 Pr" and "Korrektur"
"Korrektu". :class:`FittingFooter` leaves out the keys that do not fit whole, from the first one that
does not fit on, and keeps the help key (F1 lists every key) in any case. It lays itself out again when
the terminal is resized.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: the action whose key is always shown (the help lists every key)
KEEP_ACTION = "help"


def key_width(key: FooterKey) -> int:
    """Cells a key takes in a (non-compact) footer: `` key `` then ``description ``; the palette's key
    adds its border on the left and its padding on the right."""
    width = cell_len(key.key_display) + 2 + (cell_len(key.description) + 1 if key.description else 0)
    if key.has_class("-command-palette"):
        width += 2
    return width


class FittingFooter(Footer):
    """:class:`~textual.widgets.Footer` without keys cut off (see the module docstring)."""

    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())
        palette = [w for w in widgets if isinstance(w, FooterKey) and w.has_class("-command-palette")]
        keys = [w for w in widgets if isinstance(w, FooterKey) and w not in palette]
        if len(keys) + len(palette) != len(widgets):
            yield from widgets  # binding groups (drafter has none): left as Textual lays them out
            return
        kept = self._fitting(keys, palette)
        if len(kept) < len(keys) and any(w.description for w in palette):
            # short of room: the palette's key alone ("Strg+P") leaves room for the screen's own keys
            for w in palette:
                w.description = ""
            kept = self._fitting(keys, palette)
        yield from (w for w in widgets if w in kept or w in palette)

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

    def on_resize(self, _event: events.Resize) -> None:
        if self.is_attached and self._bindings_ready:
            self.call_after_refresh(self.recompose)
