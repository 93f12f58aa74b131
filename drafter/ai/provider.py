"""The one module that talks to a provider, through langchain-openai's ``ChatOpenAI`` and the openai
SDK (both imported inside the functions, so importing this module costs nothing).

Structured output: ``with_structured_output`` builds the request (json_schema or function_calling) and
its parser; the request is streamed chunk by chunk (progress for the UI; a cancel flag is checked
between chunks), then the aggregated message is parsed and validated. A server that rejects
``response_format`` json_schema (llama.cpp answers 500, others 400) is asked again with json_mode —
``{"type": "json_object", "schema": …}``, which llama.cpp and vLLM use to constrain the answer — and
the answer validated with pydantic; that server is remembered for the rest of the process. Every
failure becomes an :class:`~drafter.ai.errors.AiProviderError` with a message of our own (the server's
text could echo the key).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, SecretStr, ValidationError

from drafter.ai.errors import AiProviderError

if TYPE_CHECKING:
    from drafter.ai.config import AiConfig

#: an answer longer than this is not a suggestion: the stream is abandoned
MAX_ANSWER_CHARS = 32_000
#: the most tokens a provider may generate for one answer (bounds time and cost)
MAX_TOKENS = 1024
#: (base_url, model) of servers that rejected json_schema in this process
_NO_JSON_SCHEMA: set[tuple[str, str]] = set()
_LOCK = threading.Lock()

Progress = Callable[[str], None]


class Cancelled(Exception):
    """The user cancelled while the answer streamed."""


def chat_model(config: AiConfig, model: Any = None) -> Any:
    """``model`` when given (tests pass langchain's fake chat models), else a ``ChatOpenAI``."""
    if model is not None:
        return model
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=config.model,
        base_url=config.base_url,
        api_key=SecretStr(config.api_key),
        timeout=config.timeout,
        max_retries=config.retries,
        max_tokens=MAX_TOKENS,  # type: ignore[call-arg]
        temperature=0.7,
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
        return AiProviderError("auth", f"{where} refused the API key from {config.key_env} (HTTP {status or 401})")
    if any(isinstance(e, openai.RateLimitError) for e in chain) or status == 429:
        return AiProviderError("rate_limit", f"{where} is rate-limiting requests (HTTP 429); try again later")
    if any(isinstance(e, openai.NotFoundError) for e in chain) or status == 404:
        return AiProviderError(
            "server", f"{where} does not know model {config.model!r} or the URL {config.base_url!r} (HTTP 404)"
        )
    if any(isinstance(e, openai.APITimeoutError | TimeoutError) for e in chain) or "Timeout" in type(exc).__name__:
        return AiProviderError("timeout", f"{where} did not answer within {config.timeout:g} s")
    if any(isinstance(e, openai.APIConnectionError | ConnectionError) for e in chain):
        return AiProviderError("connection", f"cannot connect to {config.base_url}")
    if status is not None:
        return AiProviderError("server", f"{where} failed (HTTP {status})")
    if any(isinstance(e, json.JSONDecodeError | ValueError) for e in chain):
        return AiProviderError("malformed", f"the answer from {where} could not be read (not valid JSON)")
    return AiProviderError("server", f"{where} failed ({type(exc).__name__})")


def _rejects_schema(exc: BaseException) -> bool:
    """Whether a failed json_schema request deserves a second try with json_mode."""
    status = _status(exc)
    if status in (400, 422):
        return True
    if status in (500, 501):  # llama.cpp: a 500 that names the unsupported response format
        text = " ".join(f"{e} {getattr(e, 'body', '')}" for e in (exc, exc.__cause__) if e is not None).lower()
        return any(word in text for word in ("response_format", "json_schema", "schema", "grammar"))
    return False


def _request(llm: Any, schema: type[BaseModel], method: str) -> tuple[Any, Any]:
    """(the runnable that sends the request, the runnable that parses the aggregated message)."""
    from langchain_core.runnables import RunnableSequence

    if method == "json_mode":
        structured = llm.with_structured_output(schema, method="json_mode")
        first = llm.bind(response_format={"type": "json_object", "schema": schema.model_json_schema()})
    else:
        structured = llm.with_structured_output(schema, method=method)
        first = structured.steps[0]
    rest = structured.steps[1:]
    parse = rest[0] if len(rest) == 1 else RunnableSequence(*rest)
    return first, parse


def _progress_text(chunk: Any) -> str:
    text = chunk.content if isinstance(chunk.content, str) else ""
    for call in getattr(chunk, "tool_call_chunks", None) or ():
        text += call.get("args") or ""
    return text


def _guarded(stream: Any, received: Callable[[], int]) -> Any:
    """The chunks of ``stream``; a failure after some text arrived is a stream that stopped (or, for an
    unreadable line, a malformed answer)."""
    iterator = iter(stream)
    while True:
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        except Exception as exc:
            if received() and isinstance(exc, ValueError):  # a bad SSE line, or an answer the SDK cannot parse
                raise AiProviderError("malformed", "the streamed answer could not be read") from exc
            if received():
                raise AiProviderError("stopped", f"the answer stopped after {received():,} characters") from exc
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
                raise AiProviderError("malformed", f"the answer is longer than {MAX_ANSWER_CHARS:,} characters")
            if piece and on_progress is not None:
                on_progress(piece)
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    if cancel is not None and cancel.is_set():
        raise Cancelled
    if aggregate is None:
        raise AiProviderError("stopped", "the answer was empty")
    return aggregate


def _unfit(host: str, schema: type[BaseModel]) -> AiProviderError:
    return AiProviderError("malformed", f"the answer from {host} does not fit the {schema.__name__} schema")


def _parse(parse: Any, message: Any, schema: type[BaseModel], host: str) -> BaseModel:
    from langchain_core.exceptions import OutputParserException

    if getattr(message, "response_metadata", {}).get("finish_reason") is None and not _complete_json(message):
        raise AiProviderError("stopped", f"the answer from {host} stopped before it was complete")
    try:
        parsed = parse.invoke(message)
    except (OutputParserException, ValidationError, ValueError) as exc:
        raise _unfit(host, schema) from exc
    if isinstance(parsed, list):  # tool parsers return a list
        parsed = parsed[0] if parsed else None
    if isinstance(parsed, dict):
        try:
            parsed = schema.model_validate(parsed)
        except ValidationError as exc:
            raise AiProviderError(
                "malformed", f"the answer from {host} does not fit the {schema.__name__} schema"
            ) from exc
    if not isinstance(parsed, schema):
        raise _unfit(host, schema)
    return parsed


def _complete_json(message: Any) -> bool:
    text = _progress_text(message)
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


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
    Raises :class:`AiProviderError` or :class:`Cancelled`."""
    import warnings

    # langchain's tracer serialises the parsed answer and pydantic warns about its type: noise on stderr
    warnings.filterwarnings("ignore", message="Pydantic serializer warnings", category=UserWarning)
    llm = chat_model(config, model)
    method = config.method
    key = (config.base_url, config.model)
    with _LOCK:
        if method == "json_schema" and key in _NO_JSON_SCHEMA:
            method = "json_mode"
    try:
        first, parse = _request(llm, schema, method)
        try:
            message = _stream(first, messages, on_progress, cancel)
        except (AiProviderError, Cancelled):
            raise
        except Exception as exc:
            if method != "json_schema" or not _rejects_schema(exc):
                raise
            with _LOCK:
                _NO_JSON_SCHEMA.add(key)
            method = "json_mode"
            first, parse = _request(llm, schema, method)
            message = _stream(first, messages, on_progress, cancel)
        return _parse(parse, message, schema, config.host), method
    except (AiProviderError, Cancelled):
        raise
    except Exception as exc:
        raise _failure(exc, config) from exc


def list_models(config: AiConfig) -> list[str]:
    """The model ids the server lists (``GET /models``); raises :class:`AiProviderError`."""
    import openai

    client = openai.OpenAI(
        base_url=config.base_url, api_key=config.api_key, timeout=config.timeout, max_retries=config.retries
    )
    try:
        page = client.models.list()
        return sorted(str(m.id) for m in page.data)
    except Exception as exc:
        raise _failure(exc, config) from exc
    finally:
        client.close()
