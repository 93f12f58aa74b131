"""Guideline files: loading, validation with file/line/column, and layering.

A guidelines folder holds ``guidelines.yaml`` (name, version, goals, channels, policies, what it extends,
which inherited rules it switches off or overrides) and rule files under ``rules/*.yaml``. Everything is
plain data read with ``yaml.SafeLoader``; no code runs from a guideline file. Errors name the file, line,
column and field. The rule types themselves are defined in :mod:`drafter.rules`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator

from drafter import paths
from drafter.authorship_policy import AuthorshipPolicy
from drafter.channels import ChannelSpec
from drafter.errors import Problem, Said, SaidError, UserError, english_only, said, said_of, validation_said
from drafter.goals import Goal
from drafter.patterns import PROBE_BUDGET, SafePattern, cannot_backtrack, probe
from drafter.safe_text import one_line

if TYPE_CHECKING:
    import yaml

    from drafter.briefs import BriefContext
    from drafter.rules import RuleBase

MAX_GUIDELINE_FILE_BYTES = 2 * 1024 * 1024
MAX_EXTENDS_DEPTH = 8
SET_FILE = "guidelines.yaml"
RULES_DIR = "rules"


# --------------------------------------------------------------------------------------------------
# Errors with positions
# --------------------------------------------------------------------------------------------------
class GuidelineError(UserError):
    """One or more problems in a guidelines folder (:class:`drafter.errors.Problem`, each with file, line,
    column and field). ``str()`` lists them, one per line; exit code 2."""


def _file_error(file: Path, message: Said) -> GuidelineError:
    """What is wrong with a whole file (no line, no field)."""
    return GuidelineError([_problem(file, None, None, "", message)])


def _problem(file: Path | str, line: int | None, column: int | None, fld: str, message: str | Said) -> Problem:
    return Problem.at(file, message, line=line, column=column, field=fld or None)


# --------------------------------------------------------------------------------------------------
# YAML with positions
# --------------------------------------------------------------------------------------------------
Marks = dict[tuple[Any, ...], tuple[int, int]]


#: line breaks as YAML counts them (a file saved with CR only, too)
_LINE_BREAKS = re.compile(r"\r\n|[\r\n]")


def _loader() -> type[yaml.SafeLoader]:
    """libyaml's safe loader when PyYAML was built with it (10x faster), else the pure-Python one; both are
    safe. Imported on first use: a set loaded from :mod:`drafter.guideline_cache` needs no YAML."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _kind(mode: int) -> Said:
    if stat.S_ISDIR(mode):
        return said("guidelines.directory")
    if stat.S_ISFIFO(mode):
        return said("guidelines.fifo")
    if stat.S_ISSOCK(mode):
        return said("guidelines.socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return said("guidelines.device")
    return said("guidelines.not_regular")


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_GUIDELINE_FILE_BYTES`. Anything else (a directory,
    a FIFO that would block forever, a device) is refused unread; the file is opened without blocking and
    checked once open, so it cannot be swapped for a FIFO between the check and the read."""
    try:
        before = os.stat(path)
    except OSError as exc:
        raise _file_error(path, said("guidelines.cannot_read", reason=english_only(str(exc.strerror)))) from exc
    if not stat.S_ISREG(before.st_mode):
        raise _file_error(path, said("guidelines.not_a_file", kind=_kind(before.st_mode)))
    if before.st_size > MAX_GUIDELINE_FILE_BYTES:
        raise _file_error(path, said("guidelines.too_large", limit=MAX_GUIDELINE_FILE_BYTES))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise _file_error(path, said("guidelines.cannot_read", reason=english_only(str(exc.strerror)))) from exc
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fh.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise _file_error(path, said("guidelines.not_a_file", kind=_kind(mode)))
        raw = fh.read(MAX_GUIDELINE_FILE_BYTES + 1)
    if len(raw) > MAX_GUIDELINE_FILE_BYTES:
        raise _file_error(path, said("guidelines.too_large", limit=MAX_GUIDELINE_FILE_BYTES))
    return raw


def _read_yaml(path: Path, read: dict[Path, bytes] | None = None) -> tuple[Any, Marks]:
    """Safe-load one YAML file; also return (line, column) of every key and item by data path. The bytes
    read are added to ``read`` (what a cached set is checked against, see :mod:`drafter.guideline_cache`)."""
    import yaml

    raw = _read_bytes(path)
    if read is not None:
        read[path] = raw
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        bad_column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        not_utf8 = said("guidelines.not_utf8", reason=english_only(str(exc.reason)))
        raise GuidelineError([_problem(path, bad_line, bad_column, "", not_utf8)]) from exc
    try:
        loader = _loader()(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, {}
            marks: Marks = {}
            dupes: list[Problem] = []
            _walk(node, marks, dupes, path)
            if dupes:
                raise GuidelineError(dupes)
            try:
                data = loader.construct_document(node)
            except (ValueError, TypeError, OverflowError) as exc:  # "2026-02-30", an int of 5,000 digits
                raise GuidelineError([_unbuildable(node, path, exc)]) from exc
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        from drafter.brief_import import _syntax_detail

        problem = str(exc.problem or exc)
        message = said("yaml_syntax", problem=english_only(problem), context="", detail=_syntax_detail("yaml", problem))
        raise GuidelineError([_problem(path, line, col, "", message)]) from exc
    except yaml.reader.ReaderError as exc:  # a control character: its line and column, not a text offset
        at = max(0, int(exc.position))
        if _loader() is not yaml.SafeLoader:  # libyaml counts the bytes of the UTF-8 text, not its characters
            at = len(text.encode("utf-8")[:at].decode("utf-8", "ignore"))
        lines = _LINE_BREAKS.split(text[:at])
        bad_line, bad_column = len(lines), len(lines[-1]) + 1
        code = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "?"
        message = said("guidelines.control_character", code=code)
        raise GuidelineError([_problem(path, bad_line, bad_column, "", message)]) from exc
    except yaml.YAMLError as exc:
        raise _file_error(path, said("guidelines.yaml_error", detail=english_only(str(exc)))) from exc
    except RecursionError as exc:
        raise _file_error(path, said("guidelines.too_deep", limit=MAX_DEPTH)) from exc
    return data, marks


MAX_DEPTH = 32


def _unbuildable(root: yaml.Node, path: Path, exc: BaseException) -> Problem:
    """The problem of the first scalar of ``root`` whose value cannot be built (an impossible date such as
    ``2026-02-30``, an integer too long to convert), with its line, column and field; the whole file when
    none is found alone."""
    import yaml

    constructor = yaml.constructor.SafeConstructor()
    stack: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())]
    while stack:
        node, here = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node)
            except (ValueError, TypeError, OverflowError, yaml.YAMLError) as inner:
                field = ".".join(str(p) for p in here)
                detail = english_only(one_line(str(inner), 120))
                line, column = node.start_mark.line + 1, node.start_mark.column + 1
                return _problem(path, line, column, field, said("invalid", detail=detail))
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in reversed(node.value):
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
                stack.append((value_node, (*here, key)))
                stack.append((key_node, (*here, key)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*here, index)) for index, item in reversed(list(enumerate(node.value))))
    return _file_error(path, said("invalid", detail=english_only(one_line(str(exc), 120)))).problems[0]


def _walk(root: yaml.Node, marks: Marks, problems: list[Problem], path: Path) -> None:
    """Record the position of every key and item; collect duplicate keys. Iterative, and refuses what a
    guideline file never needs: anchors/aliases (a node reached twice; also the way to a "billion
    laughs" expansion) and nesting deeper than :data:`MAX_DEPTH`."""
    import yaml

    seen_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())]
    while stack:
        node, here = stack.pop()
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        field = ".".join(str(p) for p in here)
        if id(node) in seen_nodes:
            raise GuidelineError([_problem(path, line, column, field, said("guidelines.no_aliases"))])
        seen_nodes.add(id(node))
        if len(here) > MAX_DEPTH:
            raise GuidelineError([_problem(path, line, column, field, said("guidelines.too_deep", limit=MAX_DEPTH))])
        marks.setdefault(here, (line, column))
        if isinstance(node, yaml.MappingNode):
            keys: set[Any] = set()
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
                key_line, key_column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                if key in keys:
                    where = ".".join(str(p) for p in (*here, key))
                    problems.append(_problem(path, key_line, key_column, where, said("guidelines.duplicate_key")))
                keys.add(key)
                marks[(*here, key)] = (key_line, key_column)
                stack.append((value_node, (*here, key)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*here, index)) for index, item in enumerate(node.value))


_UNION_MEMBER_NAMES = frozenset({"str", "dict", "list", "tuple", "function-after", "function-plain", "Example"})


def _data_path(data: Any, loc: Iterable[Any]) -> tuple[Any, ...]:
    """Turn a pydantic error location into a path through the data (drops union tags)."""
    out: list[Any] = []
    current = data
    for part in loc:
        if (isinstance(current, dict) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        ):
            out.append(part)
            current = current[part]
        elif (
            isinstance(current, dict)
            and isinstance(part, str)
            and (part == current.get("type") or part in _UNION_MEMBER_NAMES)
        ):
            continue  # discriminated-union tag or union member name
        elif isinstance(current, dict) and isinstance(part, str):
            out.append(part)  # a missing or unknown key: point at the mapping that lacks it
            break
        else:
            break
    return tuple(out)


def _problems_from_validation(
    exc: ValidationError, path: Path, data: Any, marks: Marks, prefix: tuple[Any, ...] = ()
) -> list[Problem]:
    problems = []
    from drafter.rules import FieldProblem

    for err in exc.errors(include_url=False):
        loc = _data_path(data, err["loc"])
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, FieldProblem):
            loc = (*loc, *cause.loc)
        full = (*prefix, *loc)
        mark = None
        probe = full
        while mark is None:
            mark = marks.get(probe)
            if not probe:
                break
            probe = probe[:-1]
        line, col = mark if mark else (None, None)
        problems.append(_problem(path, line, col, ".".join(str(p) for p in full), _friendly(err)))
    return problems


def _friendly(err: Any) -> Said:
    """A pydantic error of a guideline file in catalogue words (:func:`drafter.errors.validation_said`)."""
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return said("guidelines.unknown_key")
    if kind == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return said("guidelines.unknown_rule_type", tag=ctx.get("tag"), known=str(ctx.get("expected_tags")))
    if kind == "union_tag_not_found":
        return said("guidelines.rule_needs_type")
    cause = (err.get("ctx") or {}).get("error")
    if type(cause).__name__ == "FieldProblem" and not isinstance(getattr(cause, "said", None), Said):
        return said("invalid", detail=english_only(str(cause)))  # a library's words (a pattern's error)
    return validation_said(err)


# --------------------------------------------------------------------------------------------------
# The set file
# --------------------------------------------------------------------------------------------------
class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


LocalText = str | dict[str, str]


def localized(value: str | Mapping[Any, str] | None, lang: str) -> str:
    """Pick the ``lang`` variant of a text that may be given in several languages."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get(lang) or value.get("de") or value.get("en") or next(iter(value.values()), "")


class RedactionRule(StrictModel):
    """One pattern of ``policies.ai.redact``: every match is replaced by ``placeholder`` before text is
    sent to an AI provider."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,39}$")
    pattern: str = Field(min_length=1, max_length=2000)
    placeholder: str = Field(min_length=1, max_length=40)
    ignorecase: StrictBool = False

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        SafePattern(value)  # raises ValueError naming the regex problem
        return value


class AiPolicy(StrictModel):
    """``policies.ai``: what may leave the machine for AI suggestions.

    ``hosts`` maps a brief classification (``public``, ``internal``, ``confidential``) to the provider
    hosts its text may be sent to: exact names (``api.openai.com``, ``127.0.0.1``), wildcards
    (``*.example.com``) or ``*`` for any host. A classification that is not listed goes to no host.
    ``redact`` lists patterns replaced by placeholders in everything sent (brief, draft, selection)."""

    hosts: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    redact: tuple[RedactionRule, ...] = ()

    @field_validator("hosts")
    @classmethod
    def _classifications(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        from drafter.briefs import Classification

        known = [c.value for c in Classification]
        for key, hosts in value.items():
            if key not in known:
                raise SaidError(said("unknown_classification", value=key, known=", ".join(known)))
            for host in hosts:
                if not host or any(ch.isspace() or ch in "/:@" for ch in host):
                    raise SaidError(said("guidelines.not_a_host", table=key, value=one_line(host, 80)))
        return {k: tuple(h.lower() for h in v) for k, v in value.items()}


class Policies(StrictModel):
    authorship: AuthorshipPolicy = Field(default_factory=AuthorshipPolicy)
    ai: AiPolicy = Field(default_factory=AiPolicy)


class QualityPolicy(StrictModel):
    """``quality:`` in ``guidelines.yaml``: what ``drafter guidelines eval`` demands of the rules on a
    labelled corpus. ``min_recall`` applies to both levels unless the level's own field is given."""

    max_false_errors: int | None = Field(default=None, ge=0)
    max_false_warnings: int | None = Field(default=None, ge=0)
    min_recall: float | None = Field(default=None, ge=0, le=1)
    min_recall_error: float | None = Field(default=None, ge=0, le=1)
    min_recall_warning: float | None = Field(default=None, ge=0, le=1)

    def recall_floor(self, level: str) -> float | None:
        own = self.min_recall_error if level == "error" else self.min_recall_warning
        return own if own is not None else self.min_recall


class SetFile(StrictModel):
    """``guidelines.yaml``."""

    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    description: LocalText = ""
    language: str = "de"
    extends: str | None = Field(default=None, description="'default' (bundled) or a folder path")
    default_channel: str | None = None
    goals: tuple[Goal, ...] | None = None
    channels: dict[str, ChannelSpec | None] | None = None
    policies: dict[str, Any] | None = None
    quality: QualityPolicy | None = None
    disable: tuple[str, ...] = ()
    override: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, (int, float, dt.date)) else value


class RulesFile(StrictModel):
    rules: list[dict[str, Any]] = Field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# The loaded set
# --------------------------------------------------------------------------------------------------
@dataclass
class RuleSource:
    file: Path
    line: int | None
    column: int | None
    #: the rule's path in its file (``("rules", 3)``) and the positions of that file's keys
    loc: tuple[Any, ...] = ()
    marks: Marks = field(default_factory=dict, repr=False)

    def where(self, sub: tuple[Any, ...]) -> tuple[int | None, int | None]:
        """(line, column) of the field ``sub`` within the rule, else of the closest enclosing one."""
        probe = (*self.loc, *sub)
        while probe:
            mark = self.marks.get(probe)
            if mark is not None:
                return mark
            probe = probe[:-1]
        return self.line, self.column


@dataclass
class GuidelineSet:
    name: str
    version: str
    language: str
    folder: Path
    goals: list[Goal]
    channels: dict[str, ChannelSpec]
    default_channel: str
    policies: Policies
    rules: list[RuleBase]
    sources: dict[str, RuleSource] = field(default_factory=dict)
    layers: list[Path] = field(default_factory=list)
    quality: QualityPolicy = field(default_factory=QualityPolicy)

    def brief_context(self) -> BriefContext:
        from drafter.briefs import BriefContext  # briefs are not needed to check a post (drafter lint)

        return BriefContext.from_names({g.name: list(g.aliases) for g in self.goals}, list(self.channels))

    def goal(self, name: str | None) -> Goal | None:
        return next((g for g in self.goals if g.name == name), None)

    def rule(self, rule_id: str) -> RuleBase | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


def _resolve_extends(value: str, folder: Path) -> Path:
    if value == "default":
        return paths.default_guidelines_dir()
    target = Path(value).expanduser()
    return Path(os.path.normpath(target if target.is_absolute() else (folder / target)))


def _check_extends_target(referrer: _Layer, target: Path, resolved: Path, seen: set[Path], depth: int) -> None:
    """Problems with the folder a layer extends, reported at that layer's ``extends`` line."""
    line, col = referrer.set_marks.get(("extends",), (None, None))
    value = one_line(str(referrer.set_file.extends), 200)
    message: Said | None = None
    if resolved in seen:
        message = said("guidelines.extends_cycle", value=value)
    elif depth >= MAX_EXTENDS_DEPTH:
        message = said("guidelines.extends_depth", limit=MAX_EXTENDS_DEPTH)
    elif not target.is_dir():
        message = said("guidelines.extends_missing", value=value, target=one_line(str(target), 200))
    elif not (target / SET_FILE).exists():
        message = said("guidelines.extends_not_set", value=value, target=one_line(str(target), 200), file=SET_FILE)
    if message is not None:
        raise GuidelineError([_problem(referrer.set_path, line, col, "extends", message)])


@dataclass
class _Layer:
    folder: Path
    set_file: SetFile
    set_path: Path
    set_data: dict[str, Any]
    set_marks: Marks
    rules: list[tuple[dict[str, Any], Path, Marks, tuple[Any, ...]]]


def rule_files(folder: Path) -> list[Path]:
    """The rule files of a guidelines folder (``rules/*.yaml`` and ``*.yml``), in the order they are read."""
    rules_dir = folder / RULES_DIR
    return sorted([*rules_dir.glob("*.yaml"), *rules_dir.glob("*.yml")]) if rules_dir.is_dir() else []


def _read_layer(folder: Path, read: dict[Path, bytes] | None = None) -> _Layer:
    set_path = folder / SET_FILE
    if not folder.is_dir():
        raise GuidelineError([_problem(folder, None, None, "", said("guidelines.no_folder"))])
    if not set_path.exists():
        raise GuidelineError([_problem(set_path, None, None, "", said("guidelines.missing_set_file", file=SET_FILE))])
    data, marks = _read_yaml(set_path, read)
    if not isinstance(data, dict):
        raise GuidelineError([_problem(set_path, 1, 1, "", said("guidelines.expected_mapping"))])
    try:
        set_file = SetFile.model_validate(data)
    except ValidationError as exc:
        raise GuidelineError(_problems_from_validation(exc, set_path, data, marks)) from exc
    rules: list[tuple[dict[str, Any], Path, Marks, tuple[Any, ...]]] = []
    problems: list[Problem] = []
    for rule_path in rule_files(folder):
        try:
            rdata, rmarks = _read_yaml(rule_path, read)
        except GuidelineError as exc:
            problems.extend(exc.problems)
            continue
        if rdata is None:
            continue
        try:
            rules_file = RulesFile.model_validate(rdata)
        except ValidationError as exc:
            problems.extend(_problems_from_validation(exc, rule_path, rdata, rmarks))
            continue
        for index, raw in enumerate(rules_file.rules):
            rules.append((raw, rule_path, rmarks, ("rules", index)))
    if problems:
        raise GuidelineError(problems)
    return _Layer(folder, set_file, set_path, data, marks, rules)


def load_guidelines(folder: Path | str | None = None) -> GuidelineSet:
    """Load and validate a guidelines folder (the bundled default when ``folder`` is None).

    A folder whose files are byte for byte those of an earlier load (by the same drafter) comes from
    :mod:`drafter.guideline_cache` without parsing or validating again; any change reads it anew, so an
    error in a file is always reported."""
    from drafter import guideline_cache

    start = Path(folder) if folder is not None else paths.default_guidelines_dir()
    cached = guideline_cache.load(start)
    if cached is not None:
        return cached
    read: dict[Path, bytes] = {}
    loaded = _load_guidelines(start, read)
    guideline_cache.save(start, loaded, read)
    return loaded


def _load_guidelines(start: Path, read: dict[Path, bytes]) -> GuidelineSet:
    """The set in ``start`` read and validated; every file read is added to ``read``."""
    from drafter.rules import parse_rule

    chain: list[_Layer] = []
    seen: set[Path] = set()
    current: Path | None = start
    while current is not None:
        referrer = chain[-1] if chain else None  # the layer whose 'extends' leads here
        resolved = current.resolve()
        if referrer is not None:
            _check_extends_target(referrer, current, resolved, seen, len(chain))
        seen.add(resolved)
        layer = _read_layer(current, read)
        chain.append(layer)
        ext = layer.set_file.extends
        current = _resolve_extends(ext, current) if ext else None
    chain.reverse()  # base first

    # Merge set-level data.
    name = chain[-1].set_file.name
    version = chain[-1].set_file.version
    language = chain[-1].set_file.language
    goals: list[Goal] = []
    channels: dict[str, ChannelSpec] = {}
    policy_data: dict[str, Any] = {}
    default_channel: str | None = None
    removed: set[str] = set()
    quality: dict[str, Any] = {}
    for layer in chain:
        sf = layer.set_file
        if sf.quality is not None:  # field by field: a team layer may tighten one threshold
            quality.update(sf.quality.model_dump(exclude_unset=True))
        if sf.goals is not None:
            goals = list(sf.goals)
        for cid, spec in (sf.channels or {}).items():
            if spec is None:
                channels.pop(cid, None)
                removed.add(cid)
            else:
                channels[cid] = spec
        for key, value in (sf.policies or {}).items():
            if isinstance(value, dict) and isinstance(policy_data.get(key), dict):
                policy_data[key] = {**policy_data[key], **value}
            else:
                policy_data[key] = value
        default_channel = sf.default_channel or default_channel
    top = chain[-1]
    try:
        policies = Policies.model_validate(policy_data)
    except ValidationError as exc:
        raise GuidelineError(
            _problems_from_validation(exc, top.set_path, policy_data, top.set_marks, ("policies",))
        ) from exc
    if not channels:
        raise GuidelineError([_problem(top.set_path, None, None, "channels", said("guidelines.no_channels"))])
    if default_channel is None:
        default_channel = next(iter(channels))
    if default_channel not in channels:
        line, col = top.set_marks.get(("default_channel",), (None, None))
        unknown = said("guidelines.unknown_channel", value=default_channel)
        raise GuidelineError([_problem(top.set_path, line, col, "default_channel", unknown)])

    # Merge rules: a later layer replaces a rule with the same id, switches rules off, or overrides fields.
    merged: dict[str, tuple[dict[str, Any], Path, Marks, tuple[Any, ...]]] = {}
    problems: list[Problem] = []
    for layer in chain:
        local: dict[str, tuple[Path, tuple[int, int] | None]] = {}
        for raw, rpath, rmarks, rloc in layer.rules:
            rid = raw.get("id")
            if not isinstance(rid, str):
                # a number or a list is no id either: say what was given ("id: 5" read as a missing id)
                line, col = rmarks.get((*rloc, "id") if "id" in raw else rloc, rmarks.get(rloc, (None, None)))
                if "id" in raw:
                    needs_id = said("guidelines.rule_id_text", value=str(rid)[:40])
                else:
                    needs_id = said("guidelines.rule_needs_id")
                problems.append(_problem(rpath, line, col, ".".join(map(str, rloc)) + ".id", needs_id))
                continue
            if rid in local:
                first_path, first_mark = local[rid]
                line, col = rmarks.get((*rloc, "id"), (None, None))
                first_line = first_mark[0] if first_mark else "?"
                problems.append(
                    _problem(
                        rpath,
                        line,
                        col,
                        "id",
                        said("guidelines.duplicate_id", id=rid, first=f"{first_path}:{first_line}"),
                    )
                )
                continue
            local[rid] = (rpath, rmarks.get((*rloc, "id")))
            merged[rid] = (raw, rpath, rmarks, rloc)
        for rid in layer.set_file.disable:
            if rid not in merged:
                index = layer.set_file.disable.index(rid)
                line, col = layer.set_marks.get(("disable", index), (None, None))
                missing = said("guidelines.no_rule_to_disable", id=rid)
                problems.append(_problem(layer.set_path, line, col, "disable", missing))
            merged.pop(rid, None)
        for rid, changes in layer.set_file.override.items():
            if rid not in merged:
                line, col = layer.set_marks.get(("override", rid), (None, None))
                missing = said("guidelines.no_rule", id=rid)
                problems.append(_problem(layer.set_path, line, col, f"override.{rid}", missing))
                continue
            if "id" in changes or "type" in changes:
                line, col = layer.set_marks.get(("override", rid), (None, None))
                problems.append(
                    _problem(
                        layer.set_path,
                        line,
                        col,
                        f"override.{rid}",
                        said("guidelines.override_id_type"),
                    )
                )
                continue
            raw, _rpath, _rmarks, _rloc = merged[rid]
            merged[rid] = (
                {**raw, **changes},
                layer.set_path,
                {("rules", 0, *k[2:]): v for k, v in layer.set_marks.items() if k[:2] == ("override", rid)},
                ("rules", 0),
            )
    if problems:
        raise GuidelineError(problems)

    rules = []
    sources: dict[str, RuleSource] = {}
    known_channels = (*channels, *sorted(removed - set(channels)))  # a removed channel may stay in a scope
    for rid, (raw, rpath, rmarks, rloc) in merged.items():
        try:
            rule = parse_rule(raw, known_channels)
        except ValidationError as exc:
            problems.extend(_problems_from_validation(exc, rpath, raw, rmarks, rloc))
            continue
        except ValueError as exc:  # pattern compile errors and the like, raised with a field name
            fld, _, message = str(exc).partition(": ")
            probe: tuple[Any, ...] = (*rloc, *fld.split(".")) if fld else rloc
            mark = None
            while mark is None and probe:
                mark = rmarks.get(tuple(int(p) if isinstance(p, str) and p.isdigit() else p for p in probe))
                probe = probe[:-1]
            line, col = mark if mark else (None, None)
            found = said_of(exc) if isinstance(getattr(exc, "said", None), Said) else None
            found = found or said("invalid", detail=english_only(message or str(exc)))
            problems.append(_problem(rpath, line, col, ".".join(map(str, (*rloc, fld))), found))
            continue
        if getattr(rule, "scored_by", None) is not None:  # a learned scorer: its model file, beside the rules
            from drafter.rules.scored import attach_model

            folder = rpath.parent if rpath.name == SET_FILE else rpath.parent.parent
            found_problems = attach_model(rule, folder, read)
            if found_problems:
                problems.extend(found_problems)
                continue
        rules.append(rule)
        line, col = rmarks.get(rloc, (None, None))
        sources[rid] = RuleSource(rpath, line, col, rloc, rmarks)
    if problems:
        raise GuidelineError(problems)
    return GuidelineSet(
        name=name,
        version=version,
        language=language,
        folder=start,
        goals=goals,
        channels=channels,
        default_channel=default_channel,
        policies=policies,
        rules=rules,
        sources=sources,
        layers=[layer.folder for layer in chain],
        quality=QualityPolicy.model_validate(quality),
    )


def slow_patterns(gs: GuidelineSet, budget: float = PROBE_BUDGET) -> list[Problem]:
    """The rules' patterns that took longer than ``budget`` seconds on one of the adversarial
    :data:`drafter.patterns.PROBES` (patterns that provably cannot backtrack are not tried). Each problem
    names the file, line and field of the pattern. In use such a pattern hits its time limit, and its rule
    is skipped for that text."""
    problems: list[Problem] = []
    for rule in gs.rules:
        source = gs.sources.get(rule.id)
        for sub, pattern, ignorecase in rule.pattern_sources():
            if cannot_backtrack(pattern):
                continue
            took = probe(SafePattern(pattern, ignorecase=ignorecase), budget)
            if took is None:
                continue
            line, col = source.where(sub) if source else (None, None)
            fld = ".".join(str(p) for p in (*(source.loc if source else ()), *sub))
            message = (
                f"pattern is slow: {took * 1000:.0f} ms on a probe text of a few KB (budget {budget * 1000:.0f} ms); "
                f"in use it hits its time limit and rule {rule.id!r} is skipped. Avoid nested or adjacent "
                "repeats that can match the same text (use possessive ++/*+ or atomic groups)"
            )
            problems.append(_problem(source.file if source else gs.folder, line, col, fld, message))
    return problems
