"""Key bindings by id: the catalogue of every screen's bindings, the user's ``[keys]`` remapping, and
readable key names for the help screen (``Strg+Q`` / ``Ctrl+Q``, ``Esc``) in the UI language.

Every binding has an id (``compose.export``); ``[keys]`` in the settings maps ids to Textual key specs
(``"compose.export" = "ctrl+e"``, several keys separated by commas) and the app applies them with
Textual's keymap (:meth:`textual.app.App.set_keymap`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from textual.binding import Binding
from textual.keys import key_to_character

from drafter.i18n import t

_MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
#: keys with a name in the catalogue (``keynames.<key>``); others are shown as their character or upper-cased
_NAMED = ("escape", "enter", "tab", "space", "backspace", "delete", "insert", "home", "end", "pageup", "pagedown")
_ARROWS = {"up": "↑", "down": "↓", "left": "←", "right": "→"}


def binding_scopes() -> list[tuple[str, Any]]:
    """(help section key, class) of every place that defines bindings, in the order help lists them."""
    from drafter.tui.ai_panel import AiPanel, SentPreview, SuggestionList
    from drafter.tui.app import DrafterApp
    from drafter.tui.editor import DraftEditor
    from drafter.tui.screens.compose import ComposeScreen
    from drafter.tui.screens.dialogs import ChannelsScreen, ExportScreen, ImportReportScreen
    from drafter.tui.screens.dismiss import DismissScreen
    from drafter.tui.screens.drafts_dialogs import ConfirmDeleteScreen, RenameDraftScreen
    from drafter.tui.screens.help import HelpScreen
    from drafter.tui.screens.inbox import InboxScreen
    from drafter.tui.screens.settings import SettingsScreen

    return [
        ("help.app", DrafterApp),
        ("help.inbox", InboxScreen),
        ("help.compose", ComposeScreen),
        ("input.editor", DraftEditor),
        ("help.export", ExportScreen),
        ("help.channels", ChannelsScreen),
        ("drafts.help_rename", RenameDraftScreen),
        ("drafts.help_delete", ConfirmDeleteScreen),
        ("dismiss.title", DismissScreen),
        ("one_language.import.report_title", ImportReportScreen),
        ("help.settings", SettingsScreen),
        ("help.help", HelpScreen),
        ("ai.panel.help_section", AiPanel),
        ("ai.panel.help_section", SuggestionList),
        ("ai.panel.preview_help_section", SentPreview),  # its Esc closes the preview, the panel's cancels a request
    ]


def all_bindings() -> list[tuple[str, Binding]]:
    """(section, binding) for every binding of the app and its screens, in declaration order."""
    return [(section, b) for section, cls in binding_scopes() for b in cls.BINDINGS if isinstance(b, Binding)]


@cache
def binding_ids() -> frozenset[str]:
    return frozenset(b.id for _, b in all_bindings() if b.id)


def binding_label(binding_id: str, lang: str) -> str:
    """What a binding does, in the UI language (``keys.<id>``; the editor's own: ``input.keys.<id>``)."""
    label = t(f"keys.{binding_id}", lang)
    return label if label != f"keys.{binding_id}" else t(f"input.keys.{binding_id}", lang)


def effective_key(binding: Binding, keymap: Mapping[str, str]) -> str:
    """The key spec in force for ``binding`` after the user's remapping."""
    return keymap.get(binding.id, binding.key) if binding.id else binding.key


def key_label(spec: str, lang: str) -> str:
    """A readable name for a key spec: ``ctrl+q`` → ``Strg+Q`` (de) / ``Ctrl+Q`` (en); ``escape,f1`` →
    ``Esc / F1``."""
    return " / ".join(_one_key(part.strip(), lang) for part in spec.split(",") if part.strip())


def _one_key(key: str, lang: str) -> str:
    parts = key.split("+")
    *mods, name = parts if parts[-1] else [*parts[:-2], "+"]  # "ctrl++" is ctrl and the plus key
    labels = [t(f"keynames.{m}", lang) if m in _MODIFIERS else m for m in mods]
    return "+".join([*labels, _key_name(name, lang)])


def _key_name(name: str, lang: str) -> str:
    if name in _NAMED:
        return t(f"keynames.{name}", lang)
    if name in _ARROWS:
        return _ARROWS[name]
    if len(name) > 1 and name[0] == "f" and name[1:].isdigit():
        return name.upper()
    if len(name) == 1:
        return name.upper()
    char = key_to_character(name)
    return char if char is not None and char.isprintable() else name


def key_in_force(binding_id: str, keymap: Mapping[str, str], lang: str, scopes: Sequence[Any] = ()) -> str:
    """The first key in force for ``binding_id`` after the user's remapping, as the help names it
    (``F8``, ``Strg+E``). Its default comes from ``scopes`` (classes whose ``BINDINGS`` are looked at
    first: those of the screens on display, so no other screen is imported) and else from every binding."""
    spec = keymap.get(binding_id)
    if spec is None:
        found = (b for cls in scopes for b in getattr(cls, "BINDINGS", ()) if getattr(b, "id", None) == binding_id)
        default = next(found, None) or next((b for _, b in all_bindings() if b.id == binding_id), None)
        spec = default.key if default is not None else binding_id
    first = next((part.strip() for part in spec.split(",") if part.strip()), spec)
    return key_label(first, lang)
