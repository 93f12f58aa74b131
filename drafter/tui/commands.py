"""Command palette (ctrl+p): namespaced commands ``draft: …``, ``export: …``, ``channel: …``."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

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
                (f"draft: {t('ai.panel.command', lang)}", screen.action_ai_panel, t("ai.panel.command_help", lang)),
            ]
            for cid, spec in app.guidelines.channels.items():
                out.append(
                    (
                        f"channel: {t('commands.switch_channel', lang, channel=shown_line(spec.label, 40))}",
                        partial(screen.set_channels, [cid, *[c for c in screen.channels if c != cid]]),
                        "",
                    )
                )
        return out

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
