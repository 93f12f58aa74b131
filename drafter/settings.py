"""The ambassador's profile and app settings, stored as TOML in the user config directory.

``paths.config_dir()/settings.toml`` (``DRAFTER_HOME`` moves it). A missing file means defaults and
``onboarding_done = false``. A file that cannot be parsed or validated raises :class:`SettingsError`
naming the file, line and field (a :class:`~drafter.errors.UserError`); callers show it, go on with
defaults, and must not overwrite the file with them (:func:`save_settings` refuses to replace a broken
file unless asked to). Nothing is created by reading: the folder is made (0700) when settings are saved.
Settings validated from a file are kept in the user cache folder (:mod:`drafter.settings_cache`) and used
again while the file has the same bytes: a cold ``drafter lint`` then builds no validator.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from drafter import paths
from drafter.errors import Problem, Said, SaidError, UserError, english_only, said, validation_said
from drafter.i18n import LANGUAGES, default_language
from drafter.safe_text import BIDI_CONTROLS, SURROGATES, one_line

if TYPE_CHECKING:  # the TOML modules are imported where a file is read or written: a lint without one needs neither
    import tomllib

FILE_NAME = "settings.toml"
#: a settings file is a few hundred bytes; anything this large is not one
MAX_BYTES = 256 * 1024
MAX_KEYS = 100
BINDING_ID = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+")
_ONE_KEY = r"(?:(?:ctrl|shift|alt|meta|super|hyper)\+)*(?:[A-Za-z0-9_]+|[^\s,\w])"
KEY_SPEC = re.compile(rf"{_ONE_KEY}(?:,{_ONE_KEY})*")


class SettingsError(UserError):
    """The settings file cannot be read, parsed, validated or written; one :class:`Problem` per fault,
    each naming the file, line and field."""

    def __init__(self, problems: list[Problem] | Problem | str | Said, path: Path) -> None:
        if isinstance(problems, str | Said):
            problems = Problem.at(path, problems)
        super().__init__(problems)
        self.path = path


class VoiceSettings(BaseModel):
    """``[voice]``: the author's voice profile (:mod:`drafter.voice`)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    learn_from_exports: bool = Field(default=True, description="your exported posts join your voice profile")


class AiSettings(BaseModel):
    """``[ai]``: optional AI suggestions (off until enabled). The API key is never stored here: only the
    *name* of the environment variable that holds it. ``base_url`` empty: ``OPENAI_BASE_URL``, else
    OpenAI's own endpoint."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    enabled: bool = False
    base_url: str = Field(default="", max_length=500, description="an OpenAI-compatible endpoint ending in /v1")
    model: str = Field(default="", max_length=200, description="the model name the server knows")
    api_key_env: str = Field(default="OPENAI_API_KEY", pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
    timeout: float = Field(default=60.0, gt=0, le=600, description="seconds for the whole request, retries included")
    retries: int = Field(default=1, ge=0, le=5, description="retries after a 408, 409, 429, 5xx or lost connection")
    method: Literal["json_schema", "function_calling", "json_mode"] = Field(
        default="json_schema", description="how structured output is requested (json_schema falls back to json_mode)"
    )

    @field_validator("base_url")
    @classmethod
    def _no_secret_in_url(cls, value: str) -> str:
        """No user name, password, query string or fragment: the AI client refused them only when it ran, and a
        key written there (``https://user:sk-…@host/v1?api_key=sk-…``) was kept in the settings cache meanwhile
        (a hostile probe). The key belongs in the environment variable named by ``api_key_env``."""
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(value.strip())
        except ValueError:
            return value  # not a URL at all: the AI client says so when it is used
        if parts.username or parts.password:
            raise SaidError(Said("url_credentials", table="fix_ui.ai"))  # the AI client's words (core: no import)
        if parts.query or parts.fragment or "?" in value or "#" in value:
            raise SaidError(Said("url_query", table="fix_ui.ai"))
        return value


class TeamSettings(BaseModel):
    """``[team]``: the team store (issue 15). The password never goes here: libpq reads it from
    ``PGPASSWORD`` or ``~/.pgpass``."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    url: str | None = Field(default=None, max_length=2000, description="postgresql://user@host:port/db")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        from drafter.team.db import check_url

        return check_url(value)


#: what a one-line text of the profile may not hold: C0 and C1 controls (line breaks and tabs too), bidi
#: controls, lone surrogates
_NOT_IN_A_NAME = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}{SURROGATES}]")


class Settings(BaseModel):
    """Profile and preferences. Unknown keys are an error so typos do not go unnoticed."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    name: str = Field(default="", max_length=200, description="how you sign your posts")
    language: str = Field(default_factory=default_language, description="UI language: de or en")
    channels: list[str] = Field(default_factory=list, description="preferred channel ids, first = default")
    disclosure_marker: str = Field(default="", max_length=100, description="e.g. the tag marking you as staff")
    guidelines_dir: Path | None = Field(default=None, description="a guideline folder instead of the bundled")
    inbox_dir: Path | None = Field(default=None, description="a folder with brief files to import")
    onboarding_done: bool = False
    #: the colour theme last chosen (command palette, "Farbschema"); empty: Textual's default
    theme: str = Field(default="", max_length=100, description="colour theme, e.g. nord")
    keys: dict[str, str] = Field(default_factory=dict, description='binding id -> key: "compose.export" = "ctrl+e"')
    voice: VoiceSettings = Field(default_factory=VoiceSettings, description="[voice] learn_from_exports = true")
    ai: AiSettings = Field(default_factory=AiSettings, description="optional AI suggestions")
    team: TeamSettings | None = None

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().lower()
            if value not in LANGUAGES:
                raise SaidError(said("settings.unknown_language", value=value, known=", ".join(LANGUAGES)))
        return value

    @field_validator("name", "disclosure_marker", "theme")
    @classmethod
    def _one_visible_line(cls, value: str) -> str:
        """Text that goes into exports and onto the screen: one line, no control or bidi character and no half
        of a surrogate pair (a name with an escape sequence was written raw into the Markdown export: a hostile
        probe). Invisible joiners stay: a Persian name needs U+200C, the Scottish flag its tag characters."""
        bad = _NOT_IN_A_NAME.search(value)
        if bad is not None:
            raise SaidError(said("settings.hidden_character", code=f"U+{ord(bad.group()):04X}"))
        return value

    @field_validator("channels", mode="before")
    @classmethod
    def _channels(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part for part in re.split(r"[,\s]+", value) if part]
        if isinstance(value, list):
            return list(dict.fromkeys(str(v).strip().lower() for v in value if str(v).strip()))
        return value

    @field_validator("guidelines_dir", "inbox_dir", mode="before")
    @classmethod
    def _path(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            return Path(value).expanduser() if value else None
        return value

    @field_validator("keys")
    @classmethod
    def _keys(cls, value: dict[str, str]) -> dict[str, str]:
        """Ids look like binding ids (``compose.export``), values like Textual key specs (``ctrl+e``,
        ``f5,ctrl+r``); whether an id exists is the app's business (it warns about unknown ones)."""
        if len(value) > MAX_KEYS:
            raise SaidError(said("settings.too_many_keys", limit=MAX_KEYS))
        out: dict[str, str] = {}
        for binding_id, spec in value.items():
            if not BINDING_ID.fullmatch(binding_id):
                raise SaidError(said("settings.not_a_binding_id", value=one_line(binding_id, 60)))
            spec = ",".join(part.strip() for part in spec.split(","))
            if len(spec) > 60 or not KEY_SPEC.fullmatch(spec):
                raise SaidError(said("settings.not_a_key", binding=binding_id, value=one_line(spec, 60)))
            out[binding_id] = spec
        return out

    def to_toml_dict(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", exclude_none=True)
        if self.ai == AiSettings():
            data.pop("ai")  # an untouched [ai] table is not written
        return data


def settings_path() -> Path:
    return paths.config_dir() / FILE_NAME


def _line_of(text: str, key: str) -> int | None:
    name = re.escape(key)
    pattern = re.compile(rf"^[ \t]*(?:{name}[ \t]*=|\[[ \t]*{name}[ \t]*\])", re.MULTILINE)  # key or [table]
    match = pattern.search(text)
    return None if match is None else text.count("\n", 0, match.start()) + 1


_TABLE_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)


def _key_line(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line of the key a validation error is about: ``timeout`` inside ``[ai]`` for ``("ai",
    "timeout")`` (tomllib keeps no positions, so the text is scanned: the table's header, then the key up
    to the next header); the table's header when the key is not found there, the top key otherwise."""
    top = str(loc[0])
    line = _line_of(text, top)
    if line is None or len(loc) < 2 or not isinstance(loc[1], str):
        return line
    lines = text.splitlines(keepends=True)
    if not lines[line - 1].lstrip().startswith("["):
        return line  # an inline table (``ai = {…}``): its line
    start = sum(len(x) for x in lines[:line])  # just after the header
    following = _TABLE_HEADER.search(text, start)
    body = text[start : following.start() if following else len(text)]
    name = re.escape(loc[1])
    match = re.search(rf"^[ \t]*(?:{name}|\"{name}\"|'{name}')[ \t]*=", body, re.MULTILINE)
    return line if match is None else line + body.count("\n", 0, match.start()) + 1


def _toml_position(exc: tomllib.TOMLDecodeError, text: str) -> tuple[str, int | None, int | None]:
    """tomllib's message without its "(at line L, column C)" / "(at end of document)" tail, and L, C."""
    message = str(exc)
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", message)
    if match is not None:
        return message[: match.start()], int(match.group(1)), int(match.group(2))
    match = re.search(r"\s*\(at end of document\)\s*$", message)
    if match is not None:
        lines = text.splitlines() or [""]
        return message[: match.start()] + " at the end of the file", len(lines), len(lines[-1]) + 1
    return message, None, None


_Model = TypeVar("_Model", bound=BaseModel)


def defaults(model: type[_Model]) -> _Model:
    """``model()``, made without building its validator (defaults need no validation): a cold
    ``drafter lint`` without a settings file never builds one, which also spares it pydantic's search for
    plugins (``importlib.metadata``). Sections with default models (``[voice]``, ``[ai]``) alike."""
    nested: dict[str, Any] = {
        name: defaults(info.default_factory)
        for name, info in model.model_fields.items()
        if isinstance(info.default_factory, type) and issubclass(info.default_factory, BaseModel)
    }
    # empty containers made here: pydantic would first read the signature of ``list`` from its text (which
    # loads and compiles the tokenizer, some milliseconds) to see whether it wants the validated data
    nested |= {
        name: info.default_factory() for name, info in model.model_fields.items() if info.default_factory in _EMPTY
    }
    return model.model_construct(_fields_set=set(), **nested)


_EMPTY: tuple[type, ...] = (list, dict, set, tuple)


def _read_regular(path: Path) -> bytes:
    """At most :data:`MAX_BYTES` + 1 bytes of the regular file ``path``, opened without blocking: a FIFO in its
    place hung every command (a hostile probe); it, a folder or a device is an OSError naming what it is."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return fh.read(MAX_BYTES + 1)


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings; defaults when the file does not exist; :class:`SettingsError` when broken. Settings
    validated from the same bytes before come from the cache (:mod:`drafter.settings_cache`)."""
    from drafter import settings_cache

    path = path or settings_path()
    file = str(path)
    try:
        raw = _read_regular(path)
    except (FileNotFoundError, NotADirectoryError):  # no file (a file where a folder would be: no file either)
        settings_cache.forget(path)  # what it held is not kept once the file is gone
        return defaults(Settings)
    except OSError as exc:
        reason = english_only(str(exc.strerror or exc))
        raise SettingsError(said("settings.cannot_read", reason=reason), path) from exc
    if len(raw) > MAX_BYTES:
        raise SettingsError(said("settings.too_large", limit=MAX_BYTES // 1024), path)
    cached = settings_cache.load(path, raw)  # these bytes validated before: no TOML reader, no validator
    if cached is not None:
        return cached
    import tomllib

    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        at = raw.count(b"\n", 0, exc.start) + 1
        raise SettingsError(Problem.at(file, said("settings.not_utf8", byte=exc.start), line=at), path) from exc
    except tomllib.TOMLDecodeError as exc:
        message, row, column = _toml_position(exc, text)
        invalid = said("settings.not_toml", detail=english_only(message))
        raise SettingsError(Problem.at(file, invalid, line=row, column=column), path) from exc
    except RecursionError as exc:  # arrays or tables nested thousands deep: no settings file looks like that
        raise SettingsError(Problem.at(file, said("settings.too_deep")), path) from exc
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:  # never kept; an entry of earlier bytes stays (they may come back)
        raise SettingsError(validation_problems(exc, file, text), path) from exc
    settings_cache.save(path, raw, settings)  # only what validated: a broken file is reported every time
    return settings


def validation_problems(exc: ValidationError, file: str, text: str | None = None) -> list[Problem]:
    """One :class:`Problem` per pydantic error, said in catalogue words (:func:`validation_said`):
    the field by its dotted name, the line of its key when ``text`` (the file) is given."""
    problems = []
    for err in exc.errors(include_url=False):
        field = ".".join(str(p) for p in err["loc"]) or None
        line = _key_line(text, tuple(err["loc"])) if err["loc"] and text is not None else None
        problems.append(Problem.at(file, validation_said(err), line=line, field=field))
    return problems


def save_settings(settings: Settings, path: Path | None = None, *, replace_broken: bool = False) -> Path:
    """Write atomically (temp file + rename; 0600, its folder 0700). Refuses to replace an unreadable
    file unless told to; a folder that cannot be written is a :class:`SettingsError` naming it."""
    path = path or settings_path()
    if path.exists() and not replace_broken:
        load_settings(path)  # raises SettingsError for a broken file: never overwrite it silently
    import tomli_w

    payload = tomli_w.dumps(settings.to_toml_dict())
    try:
        paths.atomic_write_text(path, payload)
    except paths.FolderError as exc:
        raise SettingsError(exc.problems, path) from exc
    return path
