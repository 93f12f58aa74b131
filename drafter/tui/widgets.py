"""Small widgets of the compose screen: length gauges, findings list, hashtag and brief panels."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Collapsible, OptionList, Static
from textual.widgets.option_list import Option

from drafter.briefs import Brief
from drafter.channels import ChannelSpec, Length
from drafter.findings import Finding, LineIndex, Severity
from drafter.i18n import key_name, t
from drafter.tui.formatting import format_date, plain, plain_line, shown, shown_line

SEVERITY_ICON = {Severity.ERROR: "✖", Severity.WARNING: "▲", Severity.INFO: "●"}


def gauge_state(length: Length, spec: ChannelSpec) -> str:
    """``ok``, ``warning`` (from ``warn_ratio`` of the limit on) or ``error`` (over the limit)."""
    if length.over:
        return "error"
    ratio = length.count / length.limit if length.limit else 0.0
    if length.byte_limit and length.bytes is not None:
        ratio = max(ratio, length.bytes / length.byte_limit)
    return "warning" if ratio >= spec.warn_ratio else "ok"


class FittedOptionList(OptionList):
    """An option list that works its lines out again when the width it wraps options to changes.

    Textual's list clears its caches on a resize, but a scroll bar that comes or goes afterwards changes the width
    again without one: the heights stayed those of the other width, and a new-user probe saw the inbox drawn with
    an empty row after a brief, and a draft's title scrolled out of view, after 120x36 → 80x24 → 120x36."""

    _fitted_width: int | None = None

    def _update_lines(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._fitted_width:
            if self._fitted_width is not None:
                self._option_render_cache.clear()
                self._line_cache.clear()
            self._fitted_width = width
        super()._update_lines()


class LengthGauge(Static):
    """One channel's length with its own counting; classes ``-ok``, ``-warning``, ``-error``."""

    DEFAULT_CSS = """
    LengthGauge { height: 1; width: 1fr; padding: 0 1; }
    LengthGauge.-ok { color: $success; }
    LengthGauge.-warning { color: $warning; text-style: bold; }
    LengthGauge.-error { color: $error; text-style: bold reverse; }
    LengthGauge.-primary { text-style: bold; }
    """

    BAR_WIDTH = 6

    def __init__(self, channel: str, spec: ChannelSpec, lang: str, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.channel = channel
        self.spec = spec
        self.lang = lang
        self.length: Length | None = None
        self.state = "ok"

    def update_length(self, length: Length) -> None:
        self.length = length
        self.state = gauge_state(length, self.spec)
        for state in ("ok", "warning", "error"):
            self.set_class(state == self.state, f"-{state}")
        self.refresh()  # drawn in render(), fitted to the width it has

    def text(self, width: int) -> str:
        """The gauge in ``width`` cells: the count always, the bar shortened first, then the unit and
        the bytes left out, the channel's name cut last (with "…")."""
        length = self.length
        if length is None:
            return ""
        label = shown_line(self.spec.label)  # from the guidelines: escaped, never markup
        count = f"{length.count}/{length.limit}"
        unit = f" {t(f'units.{length.unit}', self.lang)}"
        byte_part = f" · {length.bytes}/{length.byte_limit} B" if length.byte_limit is not None else ""
        for tail in (f"{unit}{byte_part}", byte_part, ""):
            for bar_width in (self.BAR_WIDTH, 5, 4, 3, 0):
                filled = min(bar_width, round(bar_width * length.count / max(length.limit, 1)))
                bar = f" {'█' * filled}{'░' * (bar_width - filled)}" if bar_width else ""
                text = f"{label}{bar} {count}{tail}"
                if cell_len(text) <= width:
                    return text
        room = width - cell_len(count) - 1
        if room < 2:
            return count
        cut = label
        while cell_len(cut) > room - 1:
            cut = cut[:-1]
        return f"{cut.rstrip()}… {count}"

    def render(self) -> Content:
        if self.length is None:
            return Content("")
        return Content(self.text(self.content_size.width or 10_000))


MAX_LISTED = 150


class FindingsList(FittedOptionList):
    """Findings of the current check; option ids are indices into :attr:`findings`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *OptionList.COMPONENT_CLASSES,
        "findings-list--error",
        "findings-list--warning",
        "findings-list--info",
    }

    DEFAULT_CSS = """
    FindingsList { height: 1fr; min-height: 5; border: round $primary 40%; }
    FindingsList:focus { border: round $accent; }
    FindingsList > .findings-list--error { color: $error; }
    FindingsList > .findings-list--warning { color: $warning; }
    FindingsList > .findings-list--info { color: $primary-lighten-2; }
    """

    class TypedAway(Message):
        """A printable key pressed while the list has the focus: it belongs to the text (a new-user probe
        pressed Tab and typed on, and every key went nowhere)."""

        def __init__(self, findings: FindingsList, key: str, character: str) -> None:
            super().__init__()
            self.findings = findings
            self.key = key
            self.character = character

        @property
        def control(self) -> FindingsList:
            return self.findings

    def __init__(self, lang: str, *, fix_binding: str | None = "compose.apply_fix", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        #: the binding that applies a finding's fix, named after a suggested replacement (None: not shown)
        self.fix_binding = fix_binding
        self.findings: tuple[Finding, ...] = ()
        self._content: tuple[Any, ...] | None = None
        self._positions: list[tuple[int, int]] = []
        self._shown_why: list[bool] = []  # per listed finding: its explanation is shown (the first with it)

    def _on_focus(self, event: events.Focus) -> None:
        """Focused (Ctrl+F, Tab) with nothing highlighted: the first finding is, so Ctrl+R and Enter act on
        it at once instead of saying there is nothing here."""
        super()._on_focus(event)
        if self.highlighted is None and self.findings:
            self.highlighted = 0

    async def _on_key(self, event: events.Key) -> None:
        """A printable key (not a binding of the list's) is handed back to the text: see :class:`TypedAway`."""
        if event.is_printable and event.character and event.key not in self._bindings.key_to_bindings:
            event.stop()
            event.prevent_default()
            self.post_message(self.TypedAway(self, event.key, event.character))
            return
        await super()._on_key(event)

    def show(self, findings: Sequence[Finding], text: str) -> None:
        """Show ``findings`` of ``text``. The list is rebuilt only when the findings change; when an edit
        only moves them (typing before a finding shifts its offsets), just the changed "line:col"
        prompts are replaced, which costs a fraction of a rebuild on every keystroke."""
        content = tuple(
            (f.rule, f.severity, f.message, f.replacements[:1], f.why, f.link, f.dismissed) for f in findings
        )
        index = LineIndex(text)
        positions = [index.position(f.start) for f in findings[:MAX_LISTED]]
        self.findings = tuple(findings)  # offsets move with every edit: F3/F4 read them from here
        # an explanation is shown once, under the first finding that has it: two leak warnings repeated eight
        # lines of the same "why", and a 36-row screen showed two findings (a new-user probe)
        seen: set[str] = set()
        explained = []
        for f in findings[:MAX_LISTED]:
            shows = (
                bool(f.why) and f.dismissed is None and f.why not in seen
            )  # a dismissed one shows its reason instead
            explained.append(shows)
            if shows:
                seen.add(f.why or "")
        if content == self._content:
            if positions != self._positions:
                for i, (old, new) in enumerate(zip(self._positions, positions, strict=True)):
                    if old != new:
                        self.replace_option_prompt_at_index(i, self._prompt(self.findings[i], new, explained[i]))
                self._positions = positions
                self.refresh()
            return
        previous = self._content
        if previous and len(previous) == len(content) <= MAX_LISTED:
            # as many findings as before (a count in a message went up, a quoted word changed): the options
            # keep their ids, so only the changed prompts are replaced; clearing and refilling the list would
            # hide and show its scroll bar, a new layout of the whole screen on every keystroke
            for i, (was, now) in enumerate(zip(previous, content, strict=True)):
                if was != now or self._positions[i] != positions[i] or self._shown_why[i] != explained[i]:
                    self.replace_option_prompt_at_index(i, self._prompt(self.findings[i], positions[i], explained[i]))
            self._shown_why = explained
            self._content = content
            self._positions = positions
            self._set_title()
            return
        self._content = content
        self._positions = positions
        highlighted = self.highlighted
        # a long draft with hundreds of findings shows the first ones (the underlines still show all)
        self._shown_why = explained
        options = [
            Option(self._prompt(f, pos, explained[i]), id=str(i))
            for i, (f, pos) in enumerate(zip(findings[:MAX_LISTED], positions, strict=True))
        ]
        if len(self.findings) > MAX_LISTED:
            options.append(Option(Text(f"… +{len(self.findings) - MAX_LISTED}", style="dim"), disabled=True))
        self.clear_options()
        if options:
            self.add_options(options)
            if highlighted is not None:
                self.highlighted = min(highlighted, len(options) - 1)
        else:
            self.add_option(Option(t("compose.no_findings", self.lang), disabled=True))
        self._set_title()

    def _set_title(self) -> None:
        """The number of open findings: a dismissed warning stays listed (struck through, with its reason)
        but is dealt with (a new-user probe read "Hinweise (2)" with one of them dismissed)."""
        open_count = sum(1 for f in self.findings if f.dismissed is None)
        dismissed = len(self.findings) - open_count
        if dismissed:  # both said: the next probe counted the lines and read "Hinweise (1)" over two of them
            self.border_title = t("compose.findings_title_dismissed", self.lang, count=open_count, dismissed=dismissed)
        else:
            self.border_title = t("compose.findings_title", self.lang, count=open_count)

    def _prompt(self, f: Finding, position: tuple[int, int], explain: bool = True) -> Text:
        line, col = position
        prompt = Text()
        if f.dismissed is not None:  # dismissed with a reason: still listed, muted, with the reason
            prompt.append(f"{SEVERITY_ICON[f.severity]} {line}:{col} {shown(f.message)}", style="dim strike")
            prompt.append(f"\n   {t('dismiss.shown', self.lang, reason=shown(f.dismissed))}", style="dim italic")
            return prompt
        icon_style = self.get_component_rich_style(f"findings-list--{f.severity.value}", partial=True)
        prompt.append(f"{SEVERITY_ICON[f.severity]} ", style=icon_style)
        prompt.append(f"{line}:{col} ", style="dim")
        # messages, fixes and links come from guideline files and quote the draft: escaped plain text
        prompt.append(shown(f.message))
        if f.replacements:
            hint = f" [{key_name(self.fix_binding, self.lang)}]" if self.fix_binding else ""
            fix = f.replacements[0].strip() or f.replacements[0]  # " #WeWontStop" is inserted after the text
            preview = t("compose.fix_preview", self.lang, fix=shown_line(fix, 200))  # quotes of the UI
            prompt.append(f"  {preview}{hint}", style="italic")
        if f.why and explain:
            prompt.append(f"\n   {shown(f.why)}", style="dim")
        if f.link:
            prompt.append(f"\n   {shown_line(f.link)}", style="dim underline")
        return prompt

    def current(self) -> Finding | None:
        if self.highlighted is None or not self.findings:
            return None
        if 0 <= self.highlighted < len(self.findings):
            return self.findings[self.highlighted]
        return None


class HashtagPanel(FittedOptionList):
    """The guideline's goal hashtags with what each stands for (the brief's goal highlighted), then the
    brief's own hashtags that are not goal hashtags."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {*OptionList.COMPONENT_CLASSES, "hashtag-panel--mine"}

    DEFAULT_CSS = """
    HashtagPanel { height: auto; max-height: 12; border: round $primary 40%; }
    HashtagPanel:focus { border: round $accent; }
    HashtagPanel > .hashtag-panel--mine { color: $accent; text-style: bold; }
    """

    def __init__(
        self,
        goals: Sequence[Any],
        brief_goal: str | None,
        lang: str,
        brief_hashtags: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.goals = list(goals)
        self.brief_goal = brief_goal
        self.lang = lang
        goal_tags = {str(goal.hashtag).casefold() for goal in self.goals}
        #: the brief's hashtags that are not goal hashtags (those are listed above with their meaning)
        self.brief_hashtags = [tag for tag in brief_hashtags if tag.casefold() not in goal_tags]

    def on_mount(self) -> None:
        # the title names the panel's key, the bottom border what Enter does: together they did not fit
        self.border_title = t("compose.hashtags_title", self.lang)
        self.border_subtitle = t("panel_titles.enter_inserts", self.lang)
        for goal in self.goals:
            mine = goal.name == self.brief_goal
            prompt = Text()
            mine_style = self.get_component_rich_style("hashtag-panel--mine", partial=True)
            prompt.append("★ " if mine else "  ", style=mine_style if mine else "")
            prompt.append(shown_line(goal.hashtag), style="bold reverse" if mine else "bold")
            desc = goal.description.get(self.lang) or next(iter(goal.description.values()), "")
            if desc:
                prompt.append(f"\n   {shown(desc)}", style="dim")
            self.add_option(Option(prompt, id=goal.name))
        if self.brief_hashtags:
            self.add_option(Option(Text(t("one_language.hashtags.from_brief", self.lang), style="dim"), disabled=True))
            for i, tag in enumerate(self.brief_hashtags):
                # the brief's hashtags are a business unit's data: plain text, escaped
                self.add_option(Option(Text(f"  {shown_line(tag, 100)}", style="bold"), id=f"brief:{i}"))
        for i, goal in enumerate(self.goals):
            if goal.name == self.brief_goal:
                self.highlighted = i

    def hashtag(self, option_id: str | None) -> str | None:
        if option_id and option_id.startswith("brief:"):
            index = int(option_id.removeprefix("brief:"))
            return self.brief_hashtags[index] if 0 <= index < len(self.brief_hashtags) else None
        for goal in self.goals:
            if goal.name == option_id:
                return str(goal.hashtag)
        return None


class BriefPanel(Vertical):
    """The brief's key messages, text, goal, dates and classification; collapsible."""

    DEFAULT_CSS = """
    BriefPanel { height: auto; max-height: 60%; }
    BriefPanel VerticalScroll { height: auto; max-height: 8; }
    BriefPanel OptionList { height: auto; max-height: 10; border: none; }
    """

    def __init__(self, brief: Brief | None, goal_hashtag: str | None, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.brief = brief
        self.goal_hashtag = goal_hashtag
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        brief = self.brief
        if brief is None:
            with Collapsible(title=t("compose.free_draft", lang), collapsed=False, id="brief-collapsible"):
                yield Static(t("compose.free_draft_help", lang), classes="brief-meta")
            return
        # every field of a brief is data from a business unit: plain text, control characters escaped
        # (typed ``str``, but Collapsible takes Content as is: Content.from_text; a str would be markup)
        title = plain_line(brief.title, 200)
        with Collapsible(title=title, collapsed=False, id="brief-collapsible"):  # type: ignore[arg-type]
            meta = Text()
            meta.append(f"{t('brief.business_unit', lang)}: ", style="dim")
            meta.append(f"{shown_line(brief.business_unit)}\n")
            meta.append(f"{t('brief.goal', lang)}: ", style="dim")
            meta.append(f"{shown_line(brief.goal)} {shown_line(self.goal_hashtag or '')}\n")
            meta.append(f"{t('brief.dates', lang)}: ", style="dim")
            meta.append(f"{format_date(brief.not_before, lang)} – {format_date(brief.expires, lang)}\n")
            meta.append(f"{t('brief.classification', lang)}: ", style="dim")
            meta.append(t(f"classification.{brief.classification.value}", lang))
            # whom to ask and which pages to point to (a new-user probe found them nowhere in the app)
            if brief.contact:
                meta.append(f"\n{t('brief.contact', lang)}: ", style="dim")
                meta.append(shown_line(brief.contact, 200))
            if brief.links:
                meta.append(f"\n{t('brief.links', lang)}: ", style="dim")
                meta.append(" · ".join(shown_line(link, 200) for link in brief.links[:5]))
            yield Static(meta, classes="brief-meta")
            # key messages first: they are what Ctrl+L inserts, so they must be visible; the text scrolls
            if brief.key_messages:
                yield Static(t("brief.key_messages", lang), classes="section-title")
                km = FittedOptionList(id="key-messages")
                for i, message in enumerate(brief.key_messages):
                    km.add_option(Option(plain(f"• {message}"), id=str(i)))
                yield km
            if brief.text:
                # its own heading: after a key-message list cut by the pane, the text read as its continuation
                yield Static(t("brief_text.title", lang), classes="section-title")
                with VerticalScroll():
                    # Markdown source: single line breaks are not paragraph breaks
                    yield Static(plain(re.sub(r"(?<!\n)\n(?!\n)", " ", brief.text)), classes="brief-text")

    #: rows of a screen the rest of the compose screen needs besides the brief's text; what a taller screen has
    #: beyond them goes to the text (it stayed at 8 rows with 50 empty rows below on a 90-row terminal)
    OTHER_ROWS = 34

    def on_mount(self) -> None:
        self._fit_text()

    def on_resize(self) -> None:
        self._fit_text()

    def _fit_text(self) -> None:
        rows = max(8, self.app.size.height - self.OTHER_ROWS)
        for scroll in self.query(VerticalScroll):
            scroll.styles.max_height = rows
