"""Command palette (ctrl+p): namespaced commands ``draft: …``, ``export: …``, ``channel: …`` (the
namespaces in the UI language: ``Entwurf: …``), and Textual's own palette texts and system commands in
the UI language too (:class:`DrafterPalette`, :func:`system_commands`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
    from drafter.tui.app import DrafterApp


class DrafterCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from drafter.tui.screens.compose import ComposeScreen
        from drafter.tui.screens.inbox import InboxScreen

        app = cast("DrafterApp", self.app)
        lang = app.lang
        screen = self.screen
        out: list[tuple[str, Callable[[], object], str]] = [
            (
                f"draft: {t('commands.new_free', lang)}",
                partial(app.new_draft, None),
                t("commands.new_free_help", lang),
            ),
            (f"profile: {t('commands.profile', lang)}", app.action_profile, t("commands.profile_help", lang)),
            (f"help: {t('commands.help', lang)}", app.action_help, t("commands.help_help", lang)),
        ]
        if isinstance(screen, InboxScreen):
            out.append((f"draft: {t('commands.reload', lang)}", screen.action_reload, ""))
        if isinstance(screen, ComposeScreen):
            out += [
                (f"draft: {t('commands.save', lang)}", screen.action_save, ""),
                (f"draft: {t('commands.back', lang)}", screen.action_back, ""),
                (f"draft: {t('commands.next_finding', lang)}", screen.action_next_finding, ""),
                (f"draft: {t('commands.apply_fix', lang)}", screen.action_apply_fix, ""),
                (f"draft: {t('commands.origins', lang)}", screen.action_origins, ""),
                (f"draft: {t('commands.attest', lang)}", screen.action_attest, ""),
                (
                    f"export: {t('commands.export', lang)}",
                    screen.action_export,
                    t("commands.export_help", lang),
                ),
                (f"channel: {t('commands.choose_channels', lang)}", screen.action_choose_channels, ""),
            ]
            for cid, spec in app.guidelines.channels.items():
                out.append(
                    (
                        f"channel: {t('commands.switch_channel', lang, channel=shown_line(spec.label, 40))}",
                        partial(screen.set_channels, [cid, *[c for c in screen.channels if c != cid]]),
                        "",
                    )
                )
        return [(_localized_namespace(name, lang), callback, help_text) for name, callback, help_text in out]

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(plain_line(name), callback, text=name, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, _highlight(matcher, name), callback, text=name, help=help_text or None)


def _highlight(matcher: Matcher, name: str) -> Content:
    """Like ``Matcher.highlight``, which parses the name as markup; names quote channel labels (data)."""
    content = plain_line(name)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets:
        if offset < len(content) and not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


_NAMESPACES = ("draft", "export", "channel", "profile", "help")


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

    yield command("theme", app.action_change_theme)
    yield command("quit", app.action_quit)
    yield command("keys", app.action_help)
    if screen.maximized is not None:
        yield command("minimize", screen.action_minimize)
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield command("maximize", screen.action_maximize)
    yield command("screenshot", lambda: app.set_timer(0.1, app.deliver_screenshot))
