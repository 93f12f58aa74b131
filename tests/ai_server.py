"""A real OpenAI-compatible HTTP server for the tests (stdlib ``http.server`` in a thread on 127.0.0.1).

It is *not* a mock of the client: the openai SDK and langchain-openai talk HTTP to it exactly as to a
provider. It answers ``GET /v1/models`` and ``POST /v1/chat/completions`` (streamed as server-sent events
or not, as plain content, as a json_schema/json_object answer or as a tool call), records every request
(path, headers, JSON body) and can be told to fail: 401, 429, 500, a silent stream, malformed JSON, a
stream that stops, or a 500 for ``response_format`` json_schema as older llama.cpp servers answer —
and misbehave: drip an answer a byte at a time or stream empty chunks forever (``drip``), send a huge
answer (``huge``), leave ``role`` out of streamed chunks (``no_role``) or think aloud first (``think``).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: ok | 401 | 429 | 500 | slow | malformed | stop | cut | reject_json_schema | bad_sse | drip | huge | no_role | think
Mode = str


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None

    @property
    def text(self) -> str:
        """Every message's content of a chat request, joined (what left the machine)."""
        if not self.body:
            return ""
        return "\n".join(str(m.get("content", "")) for m in self.body.get("messages", []))


@dataclass
class ServerState:
    content: str = "{}"
    mode: Mode = "ok"
    models: tuple[str, ...] = ("local-model",)
    chunk_size: int = 8
    chunk_delay: float = 0.0
    #: ``drip``: seconds between two bytes (whole answer) or two empty chunks (streamed); it stops after
    #: ``drip_for`` seconds, so a client without an overall deadline waits that long and no longer
    drip_interval: float = 0.1
    drip_for: float = 20.0
    #: ``redirect``: where a chat request is sent on with a 307 (which re-sends its body)
    redirect_to: str = ""
    #: ``huge``: the size of the answer's content, and whether a Content-Length header announces it
    huge_bytes: int = 64 * 1024 * 1024
    huge_length: bool = True
    #: bytes of the body the server managed to write before the client hung up (``huge``)
    bytes_sent: int = 0
    #: ``think``: what the model "thinks" before its answer
    think: str = "<think>The user wants JSON. Let me think {step by step}.</think>\n"
    requests: list[Recorded] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _record(self, body: dict[str, Any] | None) -> None:
        state = self.server.state
        with state.lock:
            state.requests.append(
                Recorded(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )

    def _send_json(self, status: int, payload: Any) -> None:
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:
        self._record(None)
        state = self.server.state
        if state.mode == "401":
            self._send_json(401, {"error": {"message": "bad key", "type": "invalid_request_error"}})
            return
        if state.mode == "500":
            self._send_json(500, {"error": {"message": "boom"}})
            return
        if self.path.rstrip("/").endswith("/models"):
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "test"} for m in state.models]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_json(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        self._record(body)
        state = self.server.state
        mode = state.mode
        if not self.path.rstrip("/").endswith("/chat/completions") or body is None:
            self._send_json(404, {"error": {"message": "not found"}})
            return
        if mode == "401":
            self._send_json(401, {"error": {"message": "Incorrect API key", "type": "invalid_request_error"}})
            return
        if mode == "redirect":
            self.send_response(307)
            self.send_header("Location", state.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if mode == "429":
            self._send_json(429, {"error": {"message": "slow down", "type": "rate_limit"}})
            return
        if mode == "500":
            self._send_json(500, {"error": {"message": "internal"}})
            return
        fmt = (body.get("response_format") or {}).get("type")
        if mode == "reject_json_schema" and fmt == "json_schema":
            self._send_json(500, {"error": {"message": "response_format json_schema is not supported"}})
            return
        if mode == "slow":
            time.sleep(5)
        tools = body.get("tools") or []
        content = state.content
        if mode == "think":
            content = state.think + content
        if body.get("stream"):
            self._stream(body, content, tools, mode)
        else:
            self._whole(body, content, tools, mode)

    def _message(self, content: str, tools: list[Any]) -> dict[str, Any]:
        if tools:
            name = tools[0]["function"]["name"]
            call = {"id": "call_1", "type": "function", "function": {"name": name, "arguments": content}}
            return {"role": "assistant", "content": None, "tool_calls": [call]}
        return {"role": "assistant", "content": content}

    def _whole(self, body: dict[str, Any], content: str, tools: list[Any], mode: Mode) -> None:
        if mode == "huge":
            self._huge()
            return
        if mode == "malformed":
            raw = b'{"id": "x", "choices": [ {"message": '
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)
            return
        payload = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model", "local-model"),
            "choices": [{"index": 0, "message": self._message(content, tools), "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        if mode == "drip":
            self._drip(json.dumps(payload).encode())
            return
        self._send_json(200, payload)

    def _drip(self, raw: bytes) -> None:
        """A whole answer, one byte every ``drip_interval`` seconds: each read gets its byte in time."""
        state = self.server.state
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.flush()
        until = time.monotonic() + state.drip_for
        for i in range(len(raw)):
            if time.monotonic() > until:
                return
            self.wfile.write(raw[i : i + 1])
            self.wfile.flush()
            time.sleep(state.drip_interval)

    def _huge(self) -> None:
        """A valid chat completion whose content is ``huge_bytes`` long, written in 64 KiB blocks."""
        state = self.server.state
        head = b'{"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "m", "choices": '
        head += b'[{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "'
        tail = b'"}}]}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if state.huge_length:
            self.send_header("Content-Length", str(len(head) + state.huge_bytes + len(tail)))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        block = b"x" * 65536
        try:
            self.wfile.write(head)
            left = state.huge_bytes
            while left > 0:
                piece = block[: min(left, len(block))]
                self.wfile.write(piece)
                left -= len(piece)
                with state.lock:
                    state.bytes_sent += len(piece)
            self.wfile.write(tail)
            self.wfile.flush()
        except OSError:  # the client hung up: that is what a byte cap does
            pass
        self.close_connection = True

    def _stream(self, body: dict[str, Any], content: str, tools: list[Any], mode: Mode) -> None:
        state = self.server.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        model = body.get("model", "local-model")

        def event(delta: dict[str, Any], finish: str | None = None) -> None:
            if mode == "no_role":
                delta = {k: v for k, v in delta.items() if k != "role"}
            chunk = {
                "id": "chatcmpl-1",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()

        pieces = (
            _chunks('{"angles": ["unfinished', state.chunk_size)
            if mode == "malformed"
            else _chunks(content, state.chunk_size)
        )
        if mode in ("stop", "cut"):
            pieces = pieces[: max(1, len(pieces) // 2)]
        if mode == "drip":  # empty chunks, forever (until drip_for): each read gets its chunk in time
            event({"role": "assistant", "content": ""})
            until = time.monotonic() + state.drip_for
            try:
                while time.monotonic() < until:
                    event({"content": ""})
                    time.sleep(state.drip_interval)
            except OSError:
                pass
            return
        if tools:
            name = tools[0]["function"]["name"]
            first = {"index": 0, "id": "call_1", "type": "function", "function": {"name": name, "arguments": ""}}
            event({"role": "assistant", "content": None, "tool_calls": [first]})
            for piece in pieces:
                event({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
                time.sleep(state.chunk_delay)
        else:
            event({"role": "assistant", "content": ""})
            for piece in pieces:
                if mode == "bad_sse":
                    self.wfile.write(b"data: {not json\n\n")
                    self.wfile.flush()
                    break
                event({"content": piece})
                time.sleep(state.chunk_delay)
        if mode == "cut":  # the server hangs up half-way
            return
        if mode == "stop":
            self.wfile.flush()
            time.sleep(30)  # the connection stays open and silent: the client's read timeout must end it
            return
        event({}, "tool_calls" if tools else "stop")
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: ServerState

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-stream (a cancelled request, a timeout) is not an error here."""


class FakeProvider:
    """A running server; ``base_url`` ends in ``/v1``. Use as a context manager."""

    def __init__(self, content: str = "{}", mode: Mode = "ok") -> None:
        self.state = ServerState(content=content, mode=mode)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = self.state
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def requests(self) -> list[Recorded]:
        with self.state.lock:
            return list(self.state.requests)

    @property
    def chats(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST"]

    def __enter__(self) -> FakeProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
