"""The HTTP client every request to a provider goes through: one overall deadline and a byte cap.

The openai SDK's own timeout is per read: a server that drips a byte a second, or streams empty
chunks forever, resets it with every byte and is never given up on; and a non-streamed answer is read
whole before anything looks at it (300 MB of it took 1.4 GB). :func:`bounded_client` returns an
``httpx2`` client (what the openai SDK uses) whose transport

- sets every connect/read/write timeout to what is left of the deadline (``[ai] timeout`` seconds
  from the start of the suggestion, retries and the json_mode fallback included), checks the deadline
  with every piece of the body, and shuts the connection down when it passes — a silent server is cut
  off on time as well;
- goes through the proxy the environment names (``HTTPS_PROXY`` …, ``NO_PROXY``), as the SDK's own
  client does — but only for an ``https`` server that is not on this machine: through a proxy, a
  plain-``http`` request (draft, brief and key in clear text) would reach a host the data policy never
  allowed, while an ``https`` request shows the proxy only the server's name;
- sends nothing to any other place than the configured server: a redirect to another scheme, host or
  port is refused (the SDK follows redirects, and a 307 re-sends the draft);
- counts the body's bytes as they arrive and stops at :data:`MAX_RESPONSE_BYTES` (a ``Content-Length``
  above it is refused before reading); it asks for an uncompressed answer and refuses a compressed
  one, so the cap bounds what ends up in memory.

Both failures are :class:`~drafter.ai.errors.AiProviderError` (exit code 3), raised from inside the
transport: the SDK neither retries nor rewraps them. httpx2 and openai are imported inside the
functions, so importing this module costs nothing.
"""

from __future__ import annotations

import contextlib
import functools
import socket
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from drafter.ai.errors import AiProviderError, ai_said

if TYPE_CHECKING:
    from drafter.ai.config import AiConfig

#: the most bytes one HTTP answer may have: far above a streamed answer of the at most 1024 tokens a
#: suggestion may use (each chunk an event of ~300 bytes) and above a long model list
MAX_RESPONSE_BYTES = 8 * 1024 * 1024


class Deadline:
    """The moment the suggestion must be finished by (``time.monotonic()``), with the messages. It
    runs from :meth:`start` (the first request; loading langchain and openai does not count)."""

    def __init__(self, config: AiConfig) -> None:
        self.config = config
        self.start()

    def start(self) -> None:
        self.at = time.monotonic() + self.config.timeout

    def left(self) -> float:
        return self.at - time.monotonic()

    def passed(self) -> bool:
        return self.left() <= 0

    def error(self, *, answering: bool) -> AiProviderError:
        host, seconds = self.config.host, f"{self.config.timeout:g}"
        if answering:
            message = f"{host} did not finish its answer within {seconds} s (the [ai] timeout is for the whole request)"
        else:
            message = f"{host} did not answer within {seconds} s"
        key = "timeout_answering" if answering else "timeout"
        return AiProviderError("timeout", message, ai_said(key, host=host, seconds=seconds))


def too_large(config: AiConfig) -> AiProviderError:
    limit = MAX_RESPONSE_BYTES // (1024 * 1024)
    return AiProviderError(
        "malformed",
        f"the answer from {config.host} is larger than {limit} MiB",
        ai_said("too_large", host=config.host, limit=limit),
    )


class _Watchdog:
    """Shuts ``sock`` down when the deadline passes: the thread blocked reading it wakes at once (a
    body that ends with the connection then simply ends, hence :attr:`fired`)."""

    def __init__(self, sock: Any, seconds: float) -> None:
        self.sock = sock
        self.fired = False
        self.timer = threading.Timer(max(seconds, 0.0), self._fire)
        self.timer.daemon = True
        self.timer.start()

    def _fire(self) -> None:
        self.fired = True
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self.timer.cancel()


@functools.cache
def _classes() -> tuple[type, type]:
    import httpx2

    class BoundedStream(httpx2.SyncByteStream):
        def __init__(self, inner: Any, deadline: Deadline, watchdog: _Watchdog | None) -> None:
            self.inner = inner
            self.deadline = deadline
            self.watchdog = watchdog
            self.count = 0

        def __iter__(self) -> Iterator[bytes]:
            try:
                for piece in self.inner:
                    self.count += len(piece)
                    if self.count > MAX_RESPONSE_BYTES:
                        raise too_large(self.deadline.config)
                    if self.deadline.passed():
                        raise self.deadline.error(answering=True)
                    yield piece
            except AiProviderError:
                raise
            except Exception as exc:  # the watchdog shut the connection, or a read timed out on the deadline
                if self.deadline.left() < 0.05 or (self.watchdog is not None and self.watchdog.fired):
                    raise self.deadline.error(answering=True) from exc
                raise
            if self.watchdog is not None and self.watchdog.fired:  # a body that ends with the connection
                raise self.deadline.error(answering=True)

        def close(self) -> None:
            if self.watchdog is not None:
                self.watchdog.cancel()
            self.inner.close()

    class BoundedTransport(httpx2.BaseTransport):
        def __init__(self, deadline: Deadline) -> None:
            self.inner = httpx2.HTTPTransport(proxy=environment_proxy(deadline.config.base_url))
            self.deadline = deadline

        def handle_request(self, request: Any) -> Any:
            if not same_server(str(request.url), self.deadline.config.base_url):
                raise AiProviderError(
                    "refused",
                    f"the server at {self.deadline.config.host} redirected to another address; drafter "
                    "sends the request only to the configured server",
                    ai_said("redirected", host=self.deadline.config.host),
                )
            left = self.deadline.left()
            if left <= 0:
                raise self.deadline.error(answering=False)
            asked = request.extensions.get("timeout") or {}
            request.extensions["timeout"] = {
                name: left if asked.get(name) is None else min(float(asked[name]), left)
                for name in ("connect", "read", "write", "pool")
            }
            request.headers["Accept-Encoding"] = "identity"
            try:
                response = self.inner.handle_request(request)
            except httpx2.TimeoutException as exc:
                if self.deadline.left() < 0.05:
                    raise self.deadline.error(answering=False) from exc
                raise
            encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
            length = response.headers.get("Content-Length", "")
            if encoding not in ("", "identity") or (length.isdigit() and int(length) > MAX_RESPONSE_BYTES):
                response.close()
                if encoding not in ("", "identity"):
                    raise AiProviderError(
                        "malformed",
                        f"the answer from {self.deadline.config.host} is compressed although drafter asked for "
                        "an uncompressed one",
                        ai_said("compressed", host=self.deadline.config.host),
                    )
                raise too_large(self.deadline.config)
            watchdog = None
            network = response.extensions.get("network_stream")
            sock = network.get_extra_info("socket") if network is not None else None
            if sock is not None:
                watchdog = _Watchdog(sock, self.deadline.left())
            return httpx2.Response(
                status_code=response.status_code,
                headers=response.headers,
                stream=BoundedStream(response.stream, self.deadline, watchdog),
                extensions=response.extensions,
                request=request,
            )

        def close(self) -> None:
            self.inner.close()

    return BoundedStream, BoundedTransport


def environment_proxy(url: str) -> str | None:
    """The proxy the environment names for ``url`` (``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY``;
    none for a host in ``NO_PROXY``). An httpx client with its own transport ignores the environment,
    so the bounded transport asks for itself — as the openai SDK's default client would."""
    import urllib.request
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or _on_this_machine(parts.hostname):
        return None  # see the module docstring: no clear text through a proxy, no proxy to localhost
    proxies = urllib.request.getproxies()
    if urllib.request.proxy_bypass(parts.netloc):
        return None
    return proxies.get(parts.scheme) or proxies.get("all") or None


def _on_this_machine(host: str) -> bool:
    import ipaddress

    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def same_server(url: str, base_url: str) -> bool:
    """Whether ``url`` goes to the scheme, host and port of ``base_url`` (default ports filled in)."""
    from urllib.parse import urlsplit

    def where(u: str) -> tuple[str, str, int | None]:
        parts = urlsplit(u)
        scheme = parts.scheme.lower()
        try:
            port = parts.port
        except ValueError:
            port = -1
        return scheme, (parts.hostname or "").lower(), port or {"http": 80, "https": 443}.get(scheme)

    return where(url) == where(base_url)


def bounded_client(deadline: Deadline) -> Any:
    """An ``httpx2.Client`` for the openai SDK (``http_client=``) bounded by ``deadline`` and
    :data:`MAX_RESPONSE_BYTES`. The caller closes it."""
    import openai

    _, transport = _classes()
    return openai.DefaultHttpxClient(transport=transport(deadline), timeout=deadline.config.timeout)
