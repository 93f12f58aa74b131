"""Profile / settings, and the same form as a skippable first-start onboarding."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from drafter.i18n import LANGUAGES, t
from drafter.import_report import error_text
from drafter.safe_text import one_line
from drafter.settings import Settings, SettingsError, validation_problems
from drafter.tui.formatting import PlainInput, plain, plain_line, shown
from drafter.tui.screens.base import DrafterModal
from drafter.tui.screens.dialogs import TickList

#: characters of the inbox folder shown as the empty field's placeholder (the end of a longer path)
INBOX_SHOWN = 40


class SettingsScreen(DrafterModal):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="settings.cancel"),
        Binding("ctrl+s", "save", "Save", id="settings.save"),
    ]

    def __init__(self, onboarding: bool = False) -> None:
        super().__init__()
        self.onboarding = onboarding
        #: Skip was pressed once with something entered (see :meth:`skip`)
        self._skip_warned = False
        #: the form's entries as it opened (onboarding)
        self._initial: tuple[object, ...] | None = None
        #: onboarding: the language picked in the form, which the form speaks at once (a new-user probe picked
        #: English and the form stayed German); the app takes it on Save
        self._picked: str | None = None
        #: the entries carried over when the form is built again in the picked language
        self._carry: dict[str, object] = {}

    @property
    def lang(self) -> str:
        return self._picked or self.drafter.lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        # the form scrolls and the buttons stay docked below it, so Save and Skip are visible at 80×24
        with Vertical(id="settings-dialog", classes="dialog"):
            title = "onboarding.title" if self.onboarding else "settings.title"
            yield Label(t(title, lang), classes="dialog-title")
            if self.onboarding:  # above the scrolling form: how to skip stays in view
                yield Static(t("onboarding.intro", lang), id="onboarding-intro")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("settings.save", lang), variant="primary", id="settings-save")
                if self.onboarding:
                    yield Button(t("onboarding.skip", lang), id="settings-skip")
                else:
                    yield Button(t("export.cancel", lang), id="settings-cancel")
            with VerticalScroll(id="settings-form"):
                yield from self._form()

    def _form(self) -> ComposeResult:
        lang = self.lang
        s = self.drafter.settings
        gs = self.drafter.guidelines
        if self.drafter.settings_error:
            # the error quotes the file's values: plain text, never markup
            broken = t("settings.broken", lang, error=self.drafter.settings_error)
            yield Static(plain(broken), classes="-error")
        carry = self._carry
        yield Label(t("settings.name", lang))
        name = str(carry.get("name", s.name))
        yield PlainInput(name, placeholder=t("settings.name_placeholder", lang), id="set-name")
        yield Label(t("settings.language", lang))
        yield Select(
            [(t(f"language.{code}", lang), code) for code in LANGUAGES],
            value=lang,
            allow_blank=False,
            id="set-language",
        )
        yield Label(t("settings.channels", lang))
        ticked = carry.get("channels", s.channels)
        assert isinstance(ticked, list)
        yield TickList(
            *[(plain_line(spec.label, 40), cid, cid in ticked) for cid, spec in gs.channels.items()],
            id="set-channels",
        )
        yield Label(t("settings.disclosure", lang))
        yield PlainInput(
            str(carry.get("disclosure", s.disclosure_marker)),
            placeholder=t("settings.disclosure_placeholder", lang),
            id="set-disclosure",
        )
        yield Label(t("settings.guidelines_dir", lang))
        yield PlainInput(
            str(carry.get("guidelines", s.guidelines_dir or "")),
            placeholder=t("settings.guidelines_placeholder", lang),
            id="set-guidelines",
        )
        from drafter.inbox import default_inbox_dir, inbox_folder

        # empty is the default folder, not none: the empty field shows which, as its placeholder (a new-user
        # probe found its files imported from a folder the app never named); with DRAFTER_INBOX set, the label
        # says that it applies instead of the field (a hostile probe), and the placeholder shows its folder. A
        # path in the label would make the form's height depend on the path's length.
        forced = inbox_folder(None)
        yield Label(t("settings.inbox_dir_env" if forced is not None else "settings.inbox_dir", lang))
        folder = one_line(str(forced if forced is not None else default_inbox_dir()), 400)
        if len(folder) > INBOX_SHOWN:  # its end says most ("…/data/inbox"); the field is ~50 columns at 80x24
            folder = "…" + folder[-(INBOX_SHOWN - 1) :]
        yield PlainInput(str(carry.get("inbox", s.inbox_dir or "")), placeholder=folder, id="set-inbox")
        if self.onboarding:  # the voice profile: past posts, optional
            yield Label(t("voice.onboarding_label", lang))
            placeholder = t("voice.onboarding_placeholder", lang)
            yield PlainInput(str(carry.get("voice", "")), placeholder=placeholder, id="set-voice-import")
        # nothing is saved before Save: onboarding says where it will be, the profile where it is
        stored = "one_language.onboarding.stored_at" if self.onboarding else "settings.stored_at"
        yield Static(plain(t(stored, lang, path=str(self.drafter.settings_path))), classes="dim")

    def on_mount(self) -> None:
        if self.onboarding:
            self._initial = self._entries()
        self.query_one("#set-name", Input).focus()

    @on(Select.Changed, "#set-language")
    async def _speak_the_picked_language(self, event: Select.Changed) -> None:
        """Onboarding: the form is built again in the language just picked, with everything entered kept."""
        if not self.onboarding or event.value == self.lang or not isinstance(event.value, str):
            return
        self._carry = {
            "name": self.query_one("#set-name", Input).value,
            "channels": list(self.query_one("#set-channels", SelectionList).selected),
            "disclosure": self.query_one("#set-disclosure", Input).value,
            "guidelines": self.query_one("#set-guidelines", Input).value,
            "inbox": self.query_one("#set-inbox", Input).value,
            "voice": self.query_one("#set-voice-import", Input).value,
        }
        self._picked = event.value
        await self.recompose()
        picker = self.query_one("#set-language", Select)
        picker.focus()
        # the new form starts scrolled to its top: at 80x24 the focused picker sat below the view (a probe)
        self.call_after_refresh(picker.scroll_visible, animate=False)

    def collect(self) -> Settings:
        old = self.drafter.settings
        data = old.model_dump()
        data.update(
            name=self.query_one("#set-name", Input).value.strip(),
            language=str(self.query_one("#set-language", Select).value),
            channels=list(self.query_one("#set-channels", SelectionList).selected),
            disclosure_marker=self.query_one("#set-disclosure", Input).value.strip(),
            guidelines_dir=self.query_one("#set-guidelines", Input).value.strip() or None,
            inbox_dir=self.query_one("#set-inbox", Input).value.strip() or None,
            onboarding_done=True,
        )
        return Settings.model_validate(data)

    @on(Button.Pressed, "#settings-save")
    def action_save(self) -> None:
        try:
            settings = self.collect()
        except ValidationError as exc:
            # every fault, with its field, in the UI language (pydantic's English never shows)
            message = error_text(SettingsError(validation_problems(exc, ""), self.drafter.settings_path), self.lang)
            self.notify(shown(message), severity="error", timeout=15, markup=False)
            return
        language_changed = settings.language != self.drafter.lang
        guidelines_changed = settings.guidelines_dir != self.drafter.settings.guidelines_dir
        if guidelines_changed and settings.guidelines_dir is not None:
            from drafter.guidelines import GuidelineError
            from drafter.workspace import Workspace

            try:  # the folder as the workspace would load it, before it is saved
                _ = Workspace(guidelines_option=settings.guidelines_dir).guidelines
            except GuidelineError as exc:
                message = t("settings.guidelines_invalid", self.lang, error=error_text(exc, self.lang))
                self.notify(shown(message), severity="error", timeout=15, markup=False)
                return
        inbox = settings.inbox_dir
        if inbox is not None and inbox != self.drafter.settings.inbox_dir and not inbox.expanduser().is_dir():
            # a typo would save and leave the inbox silently empty: refused, as a broken guidelines folder is
            key = "fix_core.inbox_not_folder" if inbox.expanduser().exists() else "fix_core.inbox_missing"
            self.notify(shown(t(key, self.lang, path=str(inbox))), severity="error", timeout=15, markup=False)
            return
        if not self.drafter.save_settings(settings):
            return
        self.notify(t("settings.saved", self.lang), timeout=3, markup=False)
        self._warn_if_the_marker_does_not_disclose(settings.disclosure_marker)
        if guidelines_changed:
            self.notify(t("settings.restart_needed", self.lang), timeout=8, markup=False)
        voice_posts = self._voice_posts_path()
        self.dismiss(True)
        if voice_posts is not None:
            from drafter.tui.voice_panel import import_past_posts

            import_past_posts(self.drafter, voice_posts)
        if language_changed:
            self.drafter.refresh_language()

    def _warn_if_the_marker_does_not_disclose(self, marker: str) -> None:
        """Saved, but said: a marker the guidelines do not read as a disclosure ("#hallo") does not stand in for one
        (:meth:`~drafter.checker.Checker.marker_discloses`)."""
        from drafter.guidelines import GuidelineError

        if not marker:
            return
        try:
            counts = self.drafter.workspace.checker.marker_discloses(marker)
        except GuidelineError:
            return  # the guidelines' own error is shown where they are used
        if not counts:
            message = t("settings.marker_not_a_disclosure", self.lang, marker=marker)
            self.notify(shown(message), severity="warning", timeout=12, markup=False)

    def _voice_posts_path(self) -> Path | None:
        """Onboarding: the file of past posts to import into the voice profile (None: left empty)."""
        if not self.onboarding:
            return None
        value = self.query_one("#set-voice-import", Input).value.strip()
        return Path(value).expanduser() if value else None

    def _entries(self) -> tuple[object, ...]:
        """What the user can enter in onboarding: name, channels, marker, the file of past posts."""
        return (
            self.query_one("#set-name", Input).value.strip(),
            list(self.query_one("#set-channels", SelectionList).selected),
            self.query_one("#set-disclosure", Input).value.strip(),
            self._voice_posts_path(),
        )

    def _entered(self) -> bool:
        """Onboarding: whether the form holds something the user entered since it opened, which skipping
        would throw away."""
        return self._initial is not None and self._entries() != self._initial

    @on(Button.Pressed, "#settings-skip")
    def skip(self) -> None:
        """Skip onboarding: remember it, keep everything else at its defaults. With something entered, the
        first press only says so (Skip was pressed for Save by a new user): the second one discards it."""
        if self.onboarding and not self._skip_warned and self._entered():
            self._skip_warned = True
            self.notify(t("onboarding_skip.unsaved", self.lang), severity="warning", timeout=8, markup=False)
            return
        if self.drafter.settings_writable:
            settings = self.drafter.settings.model_copy(update={"onboarding_done": True})
            self.drafter.save_settings(settings)
        self.dismiss(False)

    @on(Button.Pressed, "#settings-cancel")
    def action_cancel(self) -> None:
        if self.onboarding:
            self.skip()
        else:
            self.dismiss(False)
