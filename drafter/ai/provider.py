"""The one module that talks to a provider, through langchain-openai's ``ChatOpenAI`` and the openai
SDK (both imported inside the functions, so importing this module costs nothing).

Structured output: the request carries the schema (``response_format`` json_schema, a tool for
function_calling, or ``{"type": "json_object", "schema": …}`` for json_mode, which llama.cpp and vLLM
use to constrain the answer); it is streamed chunk by chunk (progress for the UI; a cancel flag is
checked between chunks) or requested whole (the CLI). The answer's text — the content, or the tool
call's arguments — is then parsed here: a leading ``<think>…</think>`` block (reasoning models) is
dropped, the rest must be JSON and must validate against the pydantic schema. ``response_format``
travels in the request body as it is (``extra_body``) rather than through the SDK's beta streaming
helper, which refuses chunks without ``role`` — the plain stream accepts them, as the SDK does.

A server that rejects json_schema (llama.cpp answers 500 naming it, others 400) is asked again with
json_mode at once — before any retry — and remembered for the rest of the process. Retries (``[ai]
retries``) are made here, not in the SDK, and only for what may pass: 408, 409, 429, 5xx, a lost
connection. Everything — retries and fallback included — must finish within ``[ai] timeout``
seconds, and no HTTP answer may be larger than :data:`drafter.ai.http.MAX_RESPONSE_BYTES`
(:mod:`drafter.ai.http`). Every failure becomes an :class:`~drafter.ai.errors.AiProviderError` with a
message of our own (the server's text could echo the key).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, SecretStr, ValidationError

from drafter.ai.errors import AiProviderError, ai_said
from drafter.errors import english_only

if TYPE_CHECKING:
    from drafter.ai.config import AiConfig
    from drafter.ai.http import Deadline

#: an answer longer than this is not a suggestion: the stream is abandoned
MAX_ANSWER_CHARS = 32_000
#: the most tokens a provider may generate for one answer (bounds time and cost)
MAX_TOKENS = 1024
#: (base_url, model) of servers that rejected json_schema in this process
_NO_JSON_SCHEMA: set[tuple[str, str]] = set()
_LOCK = threading.Lock()
#: HTTP statuses worth a retry (the server may answer the same request next time)
_TRANSIENT = frozenset({408, 409, 429, 500, 502, 503, 504})
#: the longest pause before a retry (seconds); the deadline bounds it as well
_MAX_BACKOFF = 8.0

Progress = Callable[[str], None]


class Cancelled(Exception):
    """The user cancelled while the answer streamed."""


def chat_model(config: AiConfig, model: Any = None, http_client: Any = None) -> Any:
    """``model`` when given (tests pass langchain's fake chat models), else a ``ChatOpenAI`` on
    ``http_client`` (:func:`drafter.ai.http.bounded_client`). Retries are :func:`ask`'s, not the SDK's."""
    if model is not None:
        return model
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=config.model,
        base_url=config.base_url,
        api_key=SecretStr(config.api_key),
        timeout=config.timeout,
        max_retries=0,
        max_tokens=MAX_TOKENS,  # type: ignore[call-arg]
        temperature=0.7,
        http_client=http_client,
        # no socket options: with them langchain-openai builds its own async transport and warns on
        # stderr that a proxy variable is ignored (drafter's client applies the proxy rules itself)
        http_socket_options=(),
    )


def _status(exc: BaseException) -> int | None:
    for e in (exc, exc.__cause__, exc.__context__):
        code = getattr(e, "status_code", None)
        if isinstance(code, int):
            return code
    return None


def _failure(exc: BaseException, config: AiConfig) -> AiProviderError:
    """Map an exception from openai/langchain/httpx to our error (never the server's own text)."""
    import openai

    where = config.host
    status = _status(exc)
    chain = [exc, exc.__cause__, exc.__context__]
    if any(isinstance(e, openai.AuthenticationError | openai.PermissionDeniedError) for e in chain) or status in (
        401,
        403,
    ):
        return AiProviderError(
            "auth",
            f"{where} refused the API key from {config.key_env} (HTTP {status or 401})",
            ai_said("auth", host=where, env=config.key_env, status=status or 401),
        )
    if any(isinstance(e, openai.RateLimitError) for e in chain) or status == 429:
        return AiProviderError(
            "rate_limit",
            f"{where} is rate-limiting requests (HTTP 429); try again later",
            ai_said("rate_limit", host=where),
        )
    if any(isinstance(e, openai.NotFoundError) for e in chain) or status == 404:
        return AiProviderError(
            "server",
            f"{where} does not know model {config.model!r} or the URL {config.base_url!r} (HTTP 404)",
            ai_said("not_found", host=where, model=config.model, url=config.base_url),
        )
    if any(isinstance(e, openai.APITimeoutError | TimeoutError) for e in chain) or "Timeout" in type(exc).__name__:
        seconds = f"{config.timeout:g}"
        return AiProviderError(
            "timeout", f"{where} did not answer within {seconds} s", ai_said("timeout", host=where, seconds=seconds)
        )
    if any(isinstance(e, openai.APIConnectionError | ConnectionError) for e in chain):
        return AiProviderError(
            "connection", f"cannot connect to {config.base_url}", ai_said("connection", url=config.base_url)
        )
    if status is not None:
        return AiProviderError("server", f"{where} failed (HTTP {status})", ai_said("http", host=where, status=status))
    if any(isinstance(e, ValidationError) for e in chain):
        return _shape_error(where, next(e for e in chain if isinstance(e, ValidationError)))
    if any(isinstance(e, json.JSONDecodeError | ValueError) for e in chain):
        return AiProviderError(
            "malformed",
            f"the answer from {where} could not be read (not valid JSON)",
            ai_said("not_json", host=where),
        )
    name = type(exc).__name__
    return AiProviderError("server", f"{where} failed ({name})", ai_said("failed", host=where, name=name))


def _rejects_schema(exc: BaseException) -> bool:
    """Whether a failed json_schema request deserves a second try with json_mode (before any retry)."""
    status = _status(exc)
    if status in (400, 422):
        return True
    if status in (500, 501):  # llama.cpp: a 500 that names the unsupported response format
        text = " ".join(f"{e} {getattr(e, 'body', '')}" for e in (exc, exc.__cause__) if e is not None).lower()
        return any(word in text for word in ("response_format", "json_schema", "schema", "grammar"))
    return False


def _transient(exc: BaseException) -> bool:
    """Whether the same request may pass next time: 408, 409, 429, 5xx, a lost connection."""
    import openai

    status = _status(exc)
    if status is not None:
        return status in _TRANSIENT
    chain = [exc, exc.__cause__, exc.__context__]
    if any(isinstance(e, openai.APITimeoutError | TimeoutError) for e in chain):
        return False  # the time is spent: the deadline covers the whole request
    return any(isinstance(e, openai.APIConnectionError | ConnectionError) for e in chain)


def response_format(schema: type[BaseModel], method: str) -> dict[str, Any]:
    """The ``response_format`` of a json_schema or json_mode request."""
    if method == "json_mode":  # llama.cpp and vLLM constrain the answer to the schema sent along
        return {"type": "json_object", "schema": schema.model_json_schema()}
    return {
        "type": "json_schema",
        "json_schema": {
            "name": schema.__name__,
            "description": (schema.__doc__ or "").strip(),
            "schema": schema.model_json_schema(),
        },
    }


def _request(llm: Any, schema: type[BaseModel], method: str) -> Any:
    """The runnable that sends the request; the answer is parsed by :func:`_parse`. ``response_format``
    goes into the body as it is (``extra_body``): langchain would stream it through the SDK's beta
    helper, which fails on chunks without ``role``."""
    if method == "function_calling":
        return llm.with_structured_output(schema, method="function_calling").steps[0]
    return llm.bind(extra_body={"response_format": response_format(schema, method)})


def _progress_text(chunk: Any) -> str:
    text = chunk.content if isinstance(chunk.content, str) else ""
    for call in getattr(chunk, "tool_call_chunks", None) or ():
        text += call.get("args") or ""
    return text


def _answer_text(message: Any) -> str:
    """The answer's JSON text: the first tool call's arguments (streamed, parsed or unparseable), else
    the content."""
    for call in getattr(message, "tool_call_chunks", None) or ():
        if call.get("args"):
            return str(call["args"])
    for call in getattr(message, "tool_calls", None) or ():
        return json.dumps(call.get("args"))
    for call in getattr(message, "invalid_tool_calls", None) or ():
        return str(call.get("args") or "")
    return message.content if isinstance(message.content, str) else ""


THINK_OPEN, THINK_CLOSE = "<think>", "</think>"


def strip_think(text: str) -> str:
    """``text`` without a leading ``<think>…</think>`` block (what reasoning models write before their
    answer). Only a block at the very start is dropped, and only when it is closed; the text is at most
    :data:`MAX_ANSWER_CHARS` long when streamed, so the search is bounded."""
    start = len(text) - len(text.lstrip())
    if not text.startswith(THINK_OPEN, start):
        return text
    end = text.find(THINK_CLOSE, start + len(THINK_OPEN), start + MAX_ANSWER_CHARS)
    if end < 0:
        return text
    return text[end + len(THINK_CLOSE) :].lstrip()


def _guarded(stream: Any, received: Callable[[], int]) -> Any:
    """The chunks of ``stream``; a failure after some text arrived is a stream that stopped (or, for an
    unreadable line, a malformed answer)."""
    iterator = iter(stream)
    while True:
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        except AiProviderError:  # the deadline or the byte cap (drafter.ai.http)
            raise
        except Exception as exc:
            if received() and isinstance(exc, ValueError):  # a bad SSE line, or an answer the SDK cannot parse
                raise AiProviderError(
                    "malformed", "the streamed answer could not be read", ai_said("stream_unreadable")
                ) from exc
            if received():
                raise AiProviderError(
                    "stopped",
                    f"the answer stopped after {received():,} characters",
                    ai_said("stopped_after", count=received()),
                ) from exc
            raise
        yield chunk


def _stream(
    first: Any,
    messages: Sequence[tuple[str, str]],
    on_progress: Progress | None,
    cancel: threading.Event | None,
) -> Any:
    """The whole answer message: streamed when someone watches (``on_progress``), else in one piece."""
    if on_progress is None and cancel is None:
        return first.invoke(list(messages))
    aggregate = None
    received = [0]
    stream = first.stream(list(messages))
    try:
        for chunk in _guarded(stream, lambda: received[0]):
            if cancel is not None and cancel.is_set():
                raise Cancelled
            aggregate = chunk if aggregate is None else aggregate + chunk
            piece = _progress_text(chunk)
            received[0] += len(piece)
            if received[0] > MAX_ANSWER_CHARS:
                raise AiProviderError(
                    "malformed",
                    f"the answer is longer than {MAX_ANSWER_CHARS:,} characters",
                    ai_said("too_long", limit=MAX_ANSWER_CHARS),
                )
            if piece and on_progress is not None:
                on_progress(piece)
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    if cancel is not None and cancel.is_set():
        raise Cancelled
    if aggregate is None:
        raise AiProviderError("stopped", "the answer was empty", ai_said("empty"))
    return aggregate


def _shape_error(host: str, exc: ValidationError) -> AiProviderError:
    """A JSON answer that fails the schema: which field, and what is wrong with it (pydantic's words;
    never the answer's own text)."""
    errors = exc.errors()
    loc, msg = (errors[0]["loc"], errors[0]["msg"]) if errors else ((), "")
    where = ".".join(str(part) for part in loc) or "(the whole answer)"
    what = str(msg).split("\n")[0][:120]
    more = exc.error_count() - 1
    extra = f"; {more} more problem{'s' if more != 1 else ''}" if more > 0 else ""
    said_where = ".".join(str(part) for part in loc)[:80]
    return AiProviderError(
        "malformed",
        f"the answer from {host} does not match the expected shape (field {where[:80]}: {what}{extra})",
        ai_said(
            "shape" if said_where else "shape_whole",
            host=host,
            field=said_where,
            what=_shape_said(errors[0] if errors else None, what),
            more=ai_said("shape_more", count=more) if more > 0 else "",
        ),
    )


def _shape_said(error: Any, english: str) -> Any:
    """What is wrong with a field, in the app's language for pydantic's common kinds; pydantic's own
    English words otherwise, which other languages leave out rather than mix in."""
    kind = error.get("type", "") if error else ""
    ctx = error.get("ctx") or {} if error else {}
    if kind == "too_short" and "min_length" in ctx:
        return ai_said("what_too_short", actual=ctx.get("actual_length", "?"), min=ctx["min_length"])
    if kind == "too_long" and "max_length" in ctx:
        return ai_said("what_too_long", actual=ctx.get("actual_length", "?"), max=ctx["max_length"])
    if kind == "missing":
        return ai_said("what_missing")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return ai_said("what_type")
    return english_only(f": {english}")


def _parse(message: Any, schema: type[BaseModel], host: str) -> BaseModel:
    text = strip_think(_answer_text(message))
    try:
        # strict=False: raw line breaks and tabs inside strings pass (small models write them, as
        # langchain's own JSON parsers accept them); the gate and the display clean the text
        data = json.loads(text, strict=False)
    except ValueError as exc:
        if getattr(message, "response_metadata", {}).get("finish_reason") is None:
            raise AiProviderError(
                "stopped",
                f"the answer from {host} stopped before it was complete",
                ai_said("stopped_incomplete", host=host),
            ) from exc
        raise AiProviderError(
            "malformed", f"the answer from {host} could not be read (not valid JSON)", ai_said("not_json", host=host)
        ) from exc
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise _shape_error(host, exc) from exc


def _send(
    config: AiConfig,
    llm: Any,
    schema: type[BaseModel],
    messages: Sequence[tuple[str, str]],
    deadline: Deadline,
    on_progress: Progress | None,
    cancel: threading.Event | None,
) -> tuple[Any, str]:
    """The answer message and the method that got it: json_schema falls back to json_mode first, then
    what may pass is retried (at most ``config.retries`` times, within the deadline)."""
    method = config.method
    key = (config.base_url, config.model)
    with _LOCK:
        if method == "json_schema" and key in _NO_JSON_SCHEMA:
            method = "json_mode"
    retries = 0
    while True:
        try:
            return _stream(_request(llm, schema, method), messages, on_progress, cancel), method
        except (AiProviderError, Cancelled):
            raise
        except Exception as exc:
            if method == "json_schema" and _rejects_schema(exc):
                with _LOCK:
                    _NO_JSON_SCHEMA.add(key)
                method = "json_mode"
                continue
            pause = min(0.5 * 2**retries, _MAX_BACKOFF)
            if retries >= config.retries or not _transient(exc) or pause >= deadline.left():
                raise
            retries += 1
            if cancel is not None and cancel.wait(pause):
                raise Cancelled from None
            if cancel is None:
                time.sleep(pause)


def ask(
    config: AiConfig,
    schema: type[BaseModel],
    messages: Sequence[tuple[str, str]],
    *,
    model: Any = None,
    on_progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> tuple[BaseModel, str]:
    """Send ``messages`` and return the answer validated, with the method that worked. The answer is
    streamed when ``on_progress`` or ``cancel`` is given (the app), else requested whole (the CLI).
    Everything happens within ``config.timeout`` seconds. Raises :class:`AiProviderError` or
    :class:`Cancelled`."""
    from drafter.ai.http import Deadline, bounded_client

    deadline = Deadline(config)
    client = bounded_client(deadline) if model is None else None
    try:
        llm = chat_model(config, model, client)
        deadline.start()
        message, method = _send(config, llm, schema, messages, deadline, on_progress, cancel)
        return _parse(message, schema, config.host), method
    except (AiProviderError, Cancelled):
        raise
    except Exception as exc:
        raise _failure(exc, config) from exc
    finally:
        if client is not None:
            client.close()


def list_models(config: AiConfig) -> list[str]:
    """The model ids the server lists (``GET /models``); raises :class:`AiProviderError`."""
    import openai

    from drafter.ai.http import Deadline, bounded_client

    http = bounded_client(Deadline(config))
    client = openai.OpenAI(
        base_url=config.base_url,
        api_key=config.api_key,
        timeout=config.timeout,
        max_retries=config.retries,
        http_client=http,
    )
    try:
        page = client.models.list()
        return sorted(str(m.id) for m in page.data)
    except AiProviderError:
        raise
    except Exception as exc:
        raise _failure(exc, config) from exc
    finally:
        client.close()
        http.close()
