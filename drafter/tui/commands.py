"""Command palette (Ctrl+P): every key binding of the app and of the screen it was opened on, plus one
entry per channel, goal hashtag and key message of the brief.

Binding entries come from the binding table (:func:`drafter.tui.keys.all_bindings`), so an action that
gets a key gets a palette entry with it: the entry is named by ``input.palette.<binding id>``, shows the
key in force (after the ``[keys]`` remapping) and is also found by ``input.search.<binding id>`` (words a
user may type instead, e.g. "kern", "brief", "key" for the key messages). Namespaces (``draft: …``,
``channel: …``) and Textual's own palette texts and system commands are in the UI language
(:class:`DrafterPalette`, :func:`system_commands`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.command import CommandInput, CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import Screen
from textual.widgets.option_list import Option

from drafter.i18n import t
from drafter.tui.formatting import plain_line, shown_line

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from drafter.tui.app import DrafterApp


@dataclass(frozen=True, slots=True)
class Command:
    """One palette entry: ``name`` is shown and searched together with ``words`` (not shown)."""

    name: str
    callback: Callable[[], object]
    help: str = ""
    words: str = ""
    #: the id of the key binding this entry runs (None for channel, hashtag and key-message entries)
    binding_id: str | None = None


def more_words(binding_id: str, lang: str) -> str:
    """More words that find a binding's entry (``fix_ui.search``: "begründung" for dismissing with a
    reason); empty where there are none."""
    from drafter.i18n import catalogue

    return catalogue(lang).get(f"fix_ui.search.{binding_id}", "")


def binding_commands(app: DrafterApp, screen: Any) -> list[Command]:
    """An entry for every binding of the app and of ``screen`` (the screen the palette was opened on)."""
    from drafter.tui.keys import binding_scopes, effective_key, key_label

    lang = app.lang
    out: list[Command] = []
    for section, cls in binding_scopes():
        node: DOMNode | None = app if isinstance(app, cls) else screen if isinstance(screen, cls) else None
        if node is None and screen is not None:  # a widget's own keys (the editor's): on a screen that has one
            node = next(iter(screen.query(cls)), None)
        if node is None:
            continue
        for binding in cls.BINDINGS:
            binding_id = getattr(binding, "id", None)
            if not binding_id:
                continue
            key = key_label(effective_key(binding, app.keymap), lang)
            out.append(
                Command(
                    f"{t(section, lang)}: {t(f'input.palette.{binding_id}', lang)}",
                    partial(app.run_action, binding.action, node),
                    help=key,
                    words=f"{t(f'input.search.{binding_id}', lang)} {more_words(binding_id, lang)} {key}",
                    binding_id=binding_id,
                )
            )
    return out


class DrafterCommands(Provider):
    def _commands(self) -> list[Command]:
        from drafter.tui.screens.compose import ComposeScreen

        app = cast("DrafterApp", self.app)
        lang = app.lang
        screen = self.screen
        out = binding_commands(app, screen)
        # the colour theme: here rather than among Textual's system commands, so words a user may type ("theme"
        # in a German UI, a new-user probe) find it without showing them
        out.append(
            Command(
                t("one_language.palette.theme", lang),
                app.action_change_theme,
                help=t("one_language.palette.theme_help", lang),
                words=t("one_language.palette.theme_words", lang),
            )
        )
        if isinstance(screen, ComposeScreen):
            out.append(Command(f"draft: {t('dismiss.undo_command', lang)}", screen.action_undo_dismissal))
            primary = screen.draft.channel
            for cid, spec in app.guidelines.channels.items():
                if cid != primary:
                    label = shown_line(spec.label, 40)
                    key = "versions.palette_show" if cid in screen.draft.versions else "versions.palette_make"
                    out.append(Command(f"version: {t(key, lang, channel=label)}", partial(screen.make_version, cid)))
            for cid, spec in app.guidelines.channels.items():
                out.append(
                    Command(
                        f"channel: {t('commands.switch_channel', lang, channel=shown_line(spec.label, 40))}",
                        partial(screen.set_channels, [cid, *[c for c in screen.channels if c != cid]]),
                    )
                )
            for goal in app.guidelines.goals:
                tag = goal.hashtag
                out.append(
                    Command(
                        t("input.insert_hashtag", lang, hashtag=shown_line(tag, 60)),
                        partial(screen.insert_hashtag, tag),
                        words=t("input.search.hashtag", lang),
                    )
                )
            for number, message in enumerate(screen.brief.key_messages if screen.brief else (), 1):
                out.append(
                    Command(
                        t("input.insert_key_message", lang, number=number, text=shown_line(message, 70)),
                        partial(screen.insert_from_brief, message),
                        words=t("input.search.compose.brief_insert", lang),
                    )
                )
        return [replace(c, name=_localized_namespace(c.name, lang)) for c in out]

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(plain_line(command.name), command.callback, text=command.name, help=command.help or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if command.words:
                score = max(score, matcher.match(command.words) * 0.9)  # the name's own words rank first
            # a word typed as it stands in the name or the search words ranks above letters scattered
            # over a name ("löschen" in "KI-Vorschläge: Panel öffnen, fokussieren oder schließen")
            whole = query.casefold() in f"{command.name} {command.words}".casefold()
            score = 0.5 + score / 2 if whole else score / 2
            if score > 0:
                shown_name = _highlight(matcher, command.name)
                yield Hit(score, shown_name, command.callback, text=command.name, help=command.help or None)


def _highlight(matcher: Matcher, name: str) -> Content:
    """Like ``Matcher.highlight``, which parses the name as markup; names quote channel labels (data)."""
    content = plain_line(name)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets:
        if offset < len(content) and not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


_NAMESPACES = ("draft", "export", "channel", "profile", "help", "version")


def _localized_namespace(name: str, lang: str) -> str:
    """``draft: Jetzt speichern`` -> ``Entwurf: Jetzt speichern`` (one language in the palette)."""
    namespace, sep, rest = name.partition(": ")
    if sep and namespace in _NAMESPACES:
        return f"{t(f'one_language.palette.ns.{namespace}', lang)}: {rest}"
    return name


class DrafterPalette(CommandPalette):
    """Textual's command palette with its own texts (placeholder, "No matches found") in the UI language."""

    def __init__(self, lang: str, **kwargs: Any) -> None:
        kwargs.setdefault("placeholder", t("one_language.palette.placeholder", lang))
        super().__init__(**kwargs)
        self.lang = lang

    def on_mount(self) -> None:
        if not getattr(self.app, "cursor_blink", True):  # steady cursor, as in every drafter screen
            self.query_one(CommandInput).cursor_blink = False

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's version adds an English "No matches found" line: the same countdown, in the UI language
        self._stop_no_matches_countdown()

        def no_matches() -> None:
            if not search_value:  # nothing typed: discovery mode, an empty list is no news
                self._list_visible = False
                return
            prompt = Align.center(Text(t("one_language.palette.no_matches", self.lang), style="not bold"))
            self.query_one(CommandList).add_option(Option(prompt, disabled=True, id=self._NO_MATCHES))
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, no_matches)


def system_commands(app: DrafterApp, screen: Screen[Any]) -> Iterator[SystemCommand]:
    """Textual's system commands in the UI language; "Keys" opens drafter's own help (F1: every key in
    force, named the way the UI language names keys) instead of Textual's English keys panel."""
    lang = app.lang

    def command(name: str, callback: Callable[[], object]) -> SystemCommand:
        return SystemCommand(
            t(f"one_language.palette.{name}", lang), t(f"one_language.palette.{name}_help", lang), callback
        )

    yield command("quit", app.action_quit)
    yield command("keys", app.action_help)
    if screen.maximized is not None:
        yield command("minimize", screen.action_minimize)
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield command("maximize", screen.action_maximize)
    # drafter's own: into the data folder (Textual's went to ~/Downloads, and said in English that it failed
    # when that folder is missing)
    yield command("screenshot", lambda: app.set_timer(0.1, app.save_screenshot_to_data))
