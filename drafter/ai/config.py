"""Where suggestions come from: the settings' ``[ai]`` table, the command line's overrides and the
environment (``OPENAI_BASE_URL``; the key from the variable named by ``api_key_env``). The key lives
only in memory: it is never written, logged or shown (its ``repr`` is hidden)."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from drafter.ai.errors import AiConfigError, ai_said

if TYPE_CHECKING:
    from drafter.settings import AiSettings

OPENAI_URL = "https://api.openai.com/v1"
#: the key sent to a server on this machine when the key variable is empty (local servers want one)
LOCAL_KEY = "no-key-needed"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class AiConfig:
    base_url: str
    model: str
    key_env: str
    timeout: float
    retries: int
    method: str
    api_key: str = field(repr=False, compare=False)
    #: False when no key was found and a loopback server gets :data:`LOCAL_KEY`
    has_key: bool = True

    @property
    def host(self) -> str:
        return (urlsplit(self.base_url).hostname or "").lower()

    def redact(self, text: str) -> str:
        """``text`` with the key (should a server echo it) replaced."""
        if self.api_key and self.api_key != LOCAL_KEY and len(self.api_key) >= 4:
            text = text.replace(self.api_key, "***")
        return text


def resolve(
    settings: AiSettings,
    *,
    base_url: str | None = None,
    model: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> AiConfig:
    """The configuration to use. ``base_url``/``model`` override the settings for one run and switch AI
    on for it. Raises :class:`AiConfigError` saying what to set."""
    env = os.environ if environ is None else environ
    if not (settings.enabled or base_url or model):
        raise AiConfigError(
            "AI suggestions are off: set enabled = true, base_url and model in the [ai] table of settings.toml "
            "(or give --base-url/--model), and put the API key in the environment variable named by api_key_env "
            f"({settings.api_key_env})",
            said=ai_said("off", env=settings.api_key_env),
        )
    url = (base_url or settings.base_url or env.get("OPENAI_BASE_URL", "") or OPENAI_URL).strip().rstrip("/")
    try:
        parts = urlsplit(url)
        _ = parts.port  # a port that is not a number raises here, not later inside the client
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise AiConfigError(
            f"base_url {url[:200]!r} is not an http(s) URL (like http://127.0.0.1:8080/v1)",
            said=ai_said("url_invalid", url=url[:200]),
        )
    if parts.username or parts.password:
        raise AiConfigError(
            "base_url must not contain a user name or password; put the key in the environment",
            said=ai_said("url_credentials"),
        )
    if parts.query or parts.fragment or "?" in url or "#" in url:
        # a key in a query string ("?api_key=sk-…") was printed by `drafter ai status` and in errors (a hostile
        # probe); an OpenAI-compatible base URL needs none ("/chat/completions" is appended to its path)
        raise AiConfigError(
            "base_url must not contain a query string or fragment (?…, #…); put the key in the environment",
            said=ai_said("url_query"),
        )
    name = (model or settings.model).strip()
    if not name:
        raise AiConfigError(
            "no model: set model in the [ai] table of settings.toml or give --model", said=ai_said("no_model")
        )
    key = env.get(settings.api_key_env, "").strip()
    has_key = bool(key)
    if not key:
        if not is_loopback(parts.hostname):
            raise AiConfigError(
                f"no API key: the environment variable {settings.api_key_env} is empty "
                f"(needed for {parts.hostname}; a server on this machine needs none)",
                said=ai_said("no_key", env=settings.api_key_env, host=parts.hostname),
            )
        key = LOCAL_KEY
    return AiConfig(
        base_url=url,
        model=name,
        key_env=settings.api_key_env,
        timeout=settings.timeout,
        retries=settings.retries,
        method=settings.method,
        api_key=key,
        has_key=has_key,
    )
