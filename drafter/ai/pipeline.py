"""One suggestion from request to gated result, on the workspace (:mod:`drafter.workspace`) and the
drafting core (:mod:`drafter.drafting`) — the CLI (``drafter suggest``) and the compose screen's AI
panel both call :func:`prepare` and :func:`run`.

:func:`prepare` decides everything that happens before anything leaves the machine — configuration,
channel, the data policy for the brief's classification and the provider's host, redaction, the
rendered messages — so the panel can show exactly what will be sent. :func:`run` sends it, validates
the answer and gates each suggestion.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from drafter.ai import KINDS
from drafter.ai.errors import AiError, ai_said
from drafter.ai.gate import MAX_SELECTION, Suggestion, gate_answer

if TYPE_CHECKING:
    from drafter.ai.config import AiConfig
    from drafter.ai.provider import Progress
    from drafter.briefs import Brief
    from drafter.drafting import DraftCheck
    from drafter.workspace import Workspace


@dataclass
class Request:
    """What the author asks for. ``selection`` is a (start, end) range of ``draft`` (rephrase)."""

    kind: str
    draft: str = ""
    selection: tuple[int, int] | None = None
    brief: Brief | None = None
    channel: str | None = None
    #: a short description of the author's voice in words (the voice feature fills it; None until then)
    voice_profile: str | None = None


@dataclass
class Prepared:
    request: Request
    config: AiConfig
    channel: str
    classification: str
    messages: list[tuple[str, str]]
    redactions: dict[str, int] = field(default_factory=dict)
    #: the author's voice profile (:class:`drafter.voice.VoiceProfile`), when one is usable: rephrasings
    #: get a voice score against it
    voice: Any = None

    @property
    def host(self) -> str:
        return self.config.host

    @property
    def chars(self) -> int:
        return sum(len(text) for _, text in self.messages)

    def sent(self) -> dict[str, Any]:
        return {"host": self.host, "chars": self.chars, "redactions": dict(self.redactions)}

    def preview(self) -> str:
        """Exactly what will be sent (the endpoint, the model and every message), as plain text."""
        head = f"POST {self.config.base_url}/chat/completions  model={self.config.model}"
        parts = [head]
        for role, text in self.messages:
            parts.append(f"--- {role} ---\n{text}")
        return "\n\n".join(parts)


@dataclass
class Result:
    kind: str
    model: str
    channel: str
    sent: dict[str, Any]
    method: str
    suggestions: list[Suggestion]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``drafter suggest --format json``."""
        from drafter.findings import LineIndex

        items = []
        for s in self.suggestions:
            index = LineIndex(s.checked)
            items.append(
                {
                    "text": s.text,
                    "blocked": s.blocked,
                    "reason": s.reason,
                    "findings": [f.to_dict(s.checked, index) for f in s.findings],
                    "start": s.start if s.kind in ("critique", "rephrase") else None,
                    "end": s.end if s.kind in ("critique", "rephrase") else None,
                    "voice": s.voice,
                }
            )
        return {
            "kind": self.kind,
            "model": self.model,
            "channel": self.channel,
            "sent": self.sent,
            "suggestions": items,
        }


def accepted_text(suggestion: Suggestion) -> str:
    """The text accepting ``suggestion`` inserts into the draft (recorded as ``ai``): a rephrasing
    replaces its selection, a hashtag or an angle goes in at the cursor. A blocked suggestion cannot be
    accepted, nor a critique remark (it is about the text, not text for it): :class:`AiError`."""
    if suggestion.blocked:
        raise AiError(
            f"a blocked suggestion cannot be accepted ({suggestion.reason})",
            said=ai_said("accept_blocked", reason=suggestion.reason),
        )
    if suggestion.kind == "critique":
        raise AiError("a remark is not text for the post", said=ai_said("accept_remark"))
    return suggestion.text


def _validate(request: Request) -> None:
    if request.kind not in KINDS:
        raise AiError(f"unknown kind {request.kind!r}; one of: {', '.join(KINDS)}")
    if request.kind == "rephrase":
        if request.selection is None:
            raise AiError(
                "rephrase needs a selection (the sentence to rephrase)", said=ai_said("rephrase_no_selection")
            )
        start, end = request.selection
        if not (0 <= start < end <= len(request.draft)) or not request.draft[start:end].strip():
            raise AiError("the selection is empty or not part of the draft", said=ai_said("rephrase_selection_empty"))
        if end - start > MAX_SELECTION:
            raise AiError(
                f"the selection has {end - start} characters; rephrase works on at most {MAX_SELECTION}",
                said=ai_said("rephrase_selection_long", count=end - start, limit=MAX_SELECTION),
            )
    if request.kind == "critique" and not request.draft.strip():
        raise AiError("critique needs a draft", said=ai_said("critique_no_draft"))
    if request.kind in ("angles", "hashtags") and request.brief is None and not request.draft.strip():
        raise AiError(f"{request.kind} needs a brief or a draft", said=ai_said("needs_brief_or_draft"))


def prepare(
    ws: Workspace,
    request: Request,
    *,
    base_url: str | None = None,
    model: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Prepared:
    """Everything up to the network: raises :class:`~drafter.ai.errors.AiError` (configuration, bad
    request, data policy) — exit code 2."""
    from drafter.ai.config import resolve
    from drafter.ai.policy import NO_BRIEF, Redactor, require_host
    from drafter.ai.prompts import PromptInput, render
    from drafter.ai.schemas import SCHEMAS

    # configuration first: with AI off, that is what the author needs to hear, not what the request lacks
    config = resolve(ws.settings.ai, base_url=base_url, model=model, environ=environ)
    _validate(request)
    profile = _voice_profile(ws)
    gs = ws.guidelines
    brief = request.brief
    channel = request.channel or (brief.channels[0] if brief and brief.channels else gs.default_channel)
    if channel not in gs.channels:
        raise AiError(f"unknown channel {channel!r}; one of: {', '.join(gs.channels)}")
    policy = gs.policies.ai
    classification = brief.classification.value if brief is not None else NO_BRIEF
    require_host(policy, classification, config.host)
    redact = Redactor(policy)
    goal = gs.goal(brief.goal) if brief is not None else None
    brief_data = None
    if brief is not None:
        brief_data = {
            "title": redact(brief.title),
            "business_unit": redact(brief.business_unit),
            "key_messages": [redact(m) for m in brief.key_messages],
            "text": redact(brief.text),
            "hashtags": [redact(tag) for tag in brief.hashtags],  # brief text too (a hostile probe: sent as is)
        }
    selection = ""
    if request.selection is not None:
        selection = redact(request.draft[request.selection[0] : request.selection[1]])
    lang = brief.language if brief is not None else ws.lang
    voice_profile = request.voice_profile
    if voice_profile is None and profile is not None:
        from drafter.voice import describe

        voice_profile = describe(profile, lang)  # the profile in words, never the past posts themselves
    data = PromptInput(
        kind=request.kind,
        lang=lang,
        channel=gs.channels[channel].label,
        channel_limit=gs.channels[channel].limit,
        goal=goal.name if goal else "",
        goal_hashtag=goal.hashtag if goal else "",
        core_hashtags=tuple(g.hashtag for g in gs.goals),
        brief=brief_data,
        draft=redact(request.draft),
        selection=selection,
        schema=SCHEMAS[request.kind].model_json_schema(),
        voice_profile=redact(voice_profile) if voice_profile else None,
    )
    messages = render(data)
    return Prepared(request, config, channel, classification, messages, dict(redact.counts), profile)


def _voice_profile(ws: Workspace) -> Any:
    """The author's usable voice profile, else None (no store, too few posts, or a store that cannot be
    read: suggestions then come without a voice score, never with an error)."""
    try:
        profile = ws.voice_profile()
    except Exception:
        return None
    return profile if profile is not None and profile.usable else None


def checker_for(ws: Workspace, prepared: Prepared) -> Any:
    brief = prepared.request.brief
    channels = [prepared.channel]

    def check(text: str) -> DraftCheck:
        return ws.check_draft(text, channels=channels, brief=brief)

    return check


def gate(ws: Workspace, prepared: Prepared, answer: Any, *, lang: str | None = None) -> list[Suggestion]:
    """The gated suggestions of a validated ``answer`` (reasons in ``lang``, else the workspace's)."""
    request = prepared.request
    gs = ws.guidelines
    allowed = [g.hashtag for g in gs.goals]
    if request.brief is not None:
        allowed += [h for h in request.brief.hashtags if h not in allowed]
    return gate_answer(
        request.kind,
        answer,
        draft=request.draft,
        selection=request.selection,
        check=checker_for(ws, prepared),
        allowed_hashtags=allowed,
        lang=lang or ws.lang,
    )


def run(
    ws: Workspace,
    prepared: Prepared,
    *,
    model: Any = None,
    on_progress: Progress | None = None,
    cancel: threading.Event | None = None,
    lang: str | None = None,
) -> Result:
    """Send, validate, gate. Raises :class:`~drafter.ai.errors.AiProviderError` (exit code 3) or
    :class:`~drafter.ai.provider.Cancelled`. ``model`` replaces the provider's chat model (tests)."""
    from drafter.ai.provider import ask
    from drafter.ai.schemas import SCHEMAS

    schema = SCHEMAS[prepared.request.kind]
    answer, method = ask(
        prepared.config, schema, prepared.messages, model=model, on_progress=on_progress, cancel=cancel
    )
    suggestions = gate(ws, prepared, answer, lang=lang)
    if prepared.voice is not None and prepared.request.kind == "rephrase":
        # only rephrasings are text that enters the post in the author's name: angles are questions to
        # the author, critique remarks about the draft, hashtags tags
        from drafter.voice import score

        for s in suggestions:
            s.voice = score(prepared.voice, s.text, lang or ws.lang).score
    return Result(
        kind=prepared.request.kind,
        model=prepared.config.model,
        channel=prepared.channel,
        sent=prepared.sent(),
        method=method,
        suggestions=suggestions,
    )
