"""The real openai client path (langchain-openai ``ChatOpenAI`` → openai SDK → HTTP) against a *real*
OpenAI-compatible HTTP server started by the tests (``tests/ai_server.py``: stdlib ``http.server`` on
127.0.0.1, streamed and not, recording every request). Nothing here is mocked: the failures are the
server's answers. ``drafter suggest`` runs in-process through typer's CliRunner."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from ai_helpers import (
    CONFIDENTIAL_TEXT,
    DRAFT,
    LONG_DRAFT,
    LONG_FIRST,
    PERSONAL,
    SECRET_KEY,
    SELECTION,
    answer,
    answer_texts,
    brief,
    brief_file,
    configure,
    settings_toml,
)
from ai_server import FakeProvider
from typer.testing import CliRunner

from drafter.ai import KINDS
from drafter.ai.errors import AiProviderError
from drafter.ai.pipeline import Request, prepare, run
from drafter.cli import app
from drafter.workspace import Workspace


@pytest.fixture
def server() -> Iterator[FakeProvider]:
    with FakeProvider() as provider:
        yield provider


@pytest.fixture(autouse=True)
def _fresh_fallback_memory() -> Iterator[None]:
    from drafter.ai import provider

    provider._NO_JSON_SCHEMA.clear()
    yield
    provider._NO_JSON_SCHEMA.clear()


def write_settings(home: Path, text: str) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "settings.toml").write_text(text, encoding="utf-8")


def suggest(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["suggest", *args], env=env)


def failure_lines(result) -> str:  # type: ignore[no-untyped-def]
    """stderr without the note on the default channel (said before anything is sent, as lint says it)."""
    notes = ("drafter: channel linkedin (the guidelines' default",)
    return "\n".join(line for line in result.stderr.strip().splitlines() if not line.startswith(notes))


def draft_file(tmp_path: Path, text: str = DRAFT) -> str:
    path = tmp_path / "draft.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def cli_args(kind: str, tmp_path: Path, server: FakeProvider) -> list[str]:
    args = [
        kind,
        "--draft",
        draft_file(tmp_path),
        "--brief",
        str(brief_file(tmp_path, "public", "Text.")),
        "--format",
        "json",
    ]
    if kind == "rephrase":
        args += ["--selection", SELECTION]
    return [*args, "--base-url", server.base_url, "--model", "local-model"]


# -- success ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_through_the_cli(kind: str, server: FakeProvider, tmp_path: Path) -> None:
    server.state.content = answer(kind)
    result = suggest(*cli_args(kind, tmp_path, server))
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"kind", "model", "channel", "sent", "suggestions"}
    assert (doc["kind"], doc["model"], doc["channel"]) == (kind, "local-model", "linkedin")
    assert doc["sent"]["host"] == "127.0.0.1" and doc["sent"]["chars"] > 0
    assert doc["suggestions"]
    for s in doc["suggestions"]:
        assert set(s) == {"text", "blocked", "reason", "findings", "start", "end", "voice"}
        assert s["voice"] is None
    (chat,) = server.chats
    assert chat.body is not None and chat.body["stream"] is False  # the CLI asks for the whole answer
    assert chat.body["response_format"]["type"] == "json_schema"
    if kind == "rephrase":
        assert (doc["suggestions"][0]["start"], doc["suggestions"][0]["end"]) == (0, len(SELECTION))


def test_text_output_lists_suggestions_and_what_was_sent(server: FakeProvider, tmp_path: Path) -> None:
    server.state.content = answer("hashtags")
    args = [a for a in cli_args("hashtags", tmp_path, server) if a not in ("--format", "json")]
    result = suggest(*args)
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("hashtags from local-model at 127.0.0.1 on linkedin (")
    assert "1. #WeWontStop" in result.stdout and "neither a goal hashtag" in result.stdout


@pytest.mark.parametrize("method", ["json_schema", "function_calling", "json_mode"])
@pytest.mark.parametrize("stream", [False, True])
def test_the_three_structured_output_methods(method: str, stream: bool, server: FakeProvider) -> None:
    server.state.content = answer("angles")
    ws = configure(Workspace(strict=True), server.base_url, method=method)
    pieces: list[str] = []
    result = run(ws, prepare(ws, Request("angles", brief=brief())), on_progress=pieces.append if stream else None)
    assert result.method == method and len(result.suggestions) == 3
    assert (len(pieces) > 1) is stream
    body = server.chats[0].body
    assert body is not None and body["stream"] is stream
    if method == "function_calling":
        assert body["tools"][0]["function"]["name"] == "Angles"
    else:
        assert body["response_format"]["type"] == {"json_schema": "json_schema", "json_mode": "json_object"}[method]
    if method == "json_mode":  # the schema goes along, as llama.cpp and vLLM use it to constrain the answer
        assert body["response_format"]["schema"]["title"] == "Angles"


@pytest.mark.parametrize("retries", [0, 1])
@pytest.mark.parametrize("stream", [False, True])
def test_a_server_rejecting_json_schema_gets_json_mode(stream: bool, retries: int, server: FakeProvider) -> None:
    """The fallback comes first: the 500 that names json_schema is not retried as it is."""
    server.state.content = answer("rephrase")
    server.state.mode = "reject_json_schema"  # answers 500, as llama.cpp does
    ws = configure(Workspace(strict=True), server.base_url)
    ws.settings.ai.retries = retries
    start = DRAFT.index(SELECTION)
    request = Request("rephrase", draft=DRAFT, selection=(start, start + len(SELECTION)), brief=brief())
    result = run(ws, prepare(ws, request), on_progress=(lambda _: None) if stream else None)
    assert result.method == "json_mode" and result.suggestions
    kinds = [c.body["response_format"]["type"] for c in server.chats if c.body]
    assert kinds == ["json_schema", "json_object"]
    run(ws, prepare(ws, request))  # remembered: the next request goes straight to json_mode
    assert [c.body["response_format"]["type"] for c in server.chats if c.body][-1] == "json_object"
    assert len(server.chats) == 3


# -- failures: one line, exit code 3, bounded retries --------------------------------------------------
@pytest.mark.parametrize(
    ("mode", "failure", "says"),
    [
        ("401", "auth", "refused the API key from OPENAI_API_KEY (HTTP 401)"),
        ("429", "rate_limit", "rate-limiting"),
        ("500", "server", "failed (HTTP 500)"),
        ("malformed", "malformed", "could not be read"),
    ],
)
def test_provider_failures_exit_3_with_one_line(
    mode: str, failure: str, says: str, server: FakeProvider, tmp_path: Path, drafter_home: Path
) -> None:
    server.state.mode = mode
    write_settings(drafter_home, settings_toml(server.base_url).replace("retries = 0", "retries = 1"))
    result = suggest("angles", "--draft", draft_file(tmp_path), env={"OPENAI_API_KEY": SECRET_KEY})
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    lines = failure_lines(result).splitlines()
    assert len(lines) == 1 and lines[0].startswith("drafter: ") and says in lines[0], result.stderr
    assert "Traceback" not in result.output and SECRET_KEY not in result.output
    expected = 2 if mode in ("429", "500") else 1  # one retry for what may pass; none for a bad key
    assert len(server.chats) == expected
    assert server.chats[0].headers.get("authorization") == f"Bearer {SECRET_KEY}"
    ws = configure(Workspace(strict=True), server.base_url)
    with pytest.raises(AiProviderError) as caught:
        run(ws, prepare(ws, Request("angles", brief=brief())), on_progress=lambda _: None)
    assert caught.value.failure == failure


def test_a_silent_server_times_out(server: FakeProvider, tmp_path: Path, drafter_home: Path) -> None:
    server.state.mode = "slow"
    write_settings(drafter_home, settings_toml(server.base_url, timeout=0.5))
    result = suggest("angles", "--draft", draft_file(tmp_path))
    assert result.exit_code == 3
    assert "did not answer within 0.5 s" in result.stderr


def test_a_refused_connection(tmp_path: Path, drafter_home: Path) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    write_settings(drafter_home, settings_toml(f"http://127.0.0.1:{port}/v1"))
    result = suggest("angles", "--draft", draft_file(tmp_path))
    assert result.exit_code == 3
    assert failure_lines(result) == f"drafter: cannot connect to http://127.0.0.1:{port}/v1"


@pytest.mark.parametrize(
    ("mode", "failure"),
    [("stop", "timeout"), ("cut", "stopped"), ("bad_sse", "malformed")],  # silent, hung up, garbled
)
def test_a_stream_that_stops_or_breaks(mode: str, failure: str, server: FakeProvider) -> None:
    server.state.content = answer("angles")
    server.state.mode = mode
    ws = configure(Workspace(strict=True), server.base_url, timeout=0.5)
    pieces: list[str] = []
    with pytest.raises(AiProviderError) as caught:
        run(ws, prepare(ws, Request("angles", brief=brief())), on_progress=pieces.append)
    assert caught.value.failure == failure and caught.value.exit_code == 3


# -- misbehaving servers: an overall deadline, a byte cap, clear messages ----------------------------------
def test_a_dripping_server_meets_the_overall_deadline_on_the_command_line(
    server: FakeProvider, tmp_path: Path, drafter_home: Path
) -> None:
    """One byte every 0.1 s keeps every single read in time; the timeout is for the whole request."""
    import time

    server.state.content = answer("angles")
    server.state.mode = "drip"
    write_settings(drafter_home, settings_toml(server.base_url, timeout=1.0).replace("retries = 0", "retries = 2"))
    started = time.monotonic()
    result = suggest("angles", "--draft", draft_file(tmp_path))
    took = time.monotonic() - started
    assert result.exit_code == 3, result.output
    assert failure_lines(result) == (
        "drafter: 127.0.0.1 did not finish its answer within 1 s (the [ai] timeout is for the whole request)"
    )
    assert took < 4.0  # the server would drip for 20 s
    assert len(server.chats) == 1  # the deadline is not retried


def test_an_endless_empty_stream_meets_the_overall_deadline(server: FakeProvider) -> None:
    import time

    server.state.mode = "drip"  # streamed: an empty chunk every 0.1 s
    ws = configure(Workspace(strict=True), server.base_url, timeout=1.0)
    started = time.monotonic()
    with pytest.raises(AiProviderError) as caught:
        run(ws, prepare(ws, Request("angles", brief=brief())), on_progress=lambda _: None)
    assert caught.value.failure == "timeout" and "did not finish its answer within 1 s" in caught.value.message
    assert time.monotonic() - started < 4.0


def test_a_silent_stream_is_cut_off_at_the_deadline(server: FakeProvider) -> None:
    """Half an answer, then silence: the deadline ends the wait, not a second full timeout."""
    import time

    server.state.content = answer("angles")
    server.state.mode = "stop"
    server.state.chunk_delay = 0.2  # the first half takes ~1 s of the 1.5 s
    ws = configure(Workspace(strict=True), server.base_url, timeout=1.5)
    started = time.monotonic()
    with pytest.raises(AiProviderError) as caught:
        run(ws, prepare(ws, Request("angles", brief=brief())), on_progress=lambda _: None)
    assert caught.value.failure in ("timeout", "stopped")
    assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("announced", [True, False])
def test_a_huge_answer_is_not_read_whole(
    announced: bool, server: FakeProvider, tmp_path: Path, drafter_home: Path
) -> None:
    from drafter.ai.http import MAX_RESPONSE_BYTES

    server.state.mode = "huge"
    server.state.huge_length = announced  # with a Content-Length, or read until the server closes
    write_settings(drafter_home, settings_toml(server.base_url))
    result = suggest("angles", "--draft", draft_file(tmp_path))
    assert result.exit_code == 3, result.output
    assert failure_lines(result) == "drafter: the answer from 127.0.0.1 is larger than 8 MiB"
    assert len(server.chats) == 1
    # the client hung up: the server could not write the 64 MiB (what it wrote went to socket buffers)
    assert server.state.bytes_sent < server.state.huge_bytes
    if announced:  # refused from the header, before reading the body
        assert server.state.bytes_sent < server.state.huge_bytes - MAX_RESPONSE_BYTES


@pytest.mark.parametrize("method", ["json_schema", "function_calling"])
@pytest.mark.parametrize("stream", [False, True])
def test_json_of_the_wrong_shape_names_the_field(method: str, stream: bool, server: FakeProvider) -> None:
    server.state.content = json.dumps({"angles": ["Nur eine Frage?"]})
    ws = configure(Workspace(strict=True), server.base_url, method=method)
    with pytest.raises(AiProviderError) as caught:
        run(ws, prepare(ws, Request("angles", brief=brief())), on_progress=(lambda _: None) if stream else None)
    message = caught.value.message
    assert caught.value.failure == "malformed" and "not valid JSON" not in message
    assert message.startswith("the answer from 127.0.0.1 does not match the expected shape (field angles: ")
    assert "at least 3" in message


@pytest.mark.parametrize("method", ["json_schema", "json_mode", "function_calling"])
def test_streamed_chunks_without_role_are_accepted(method: str, server: FakeProvider) -> None:
    """As the openai SDK's plain stream accepts them (``role`` is optional in a delta)."""
    server.state.content = answer("angles")
    server.state.mode = "no_role"
    ws = configure(Workspace(strict=True), server.base_url, method=method)
    pieces: list[str] = []
    result = run(ws, prepare(ws, Request("angles", brief=brief())), on_progress=pieces.append)
    assert len(result.suggestions) == 3 and len(pieces) > 1


@pytest.mark.parametrize("stream", [False, True])
def test_a_leading_think_block_is_dropped(stream: bool, server: FakeProvider) -> None:
    server.state.content = answer("angles")
    server.state.mode = "think"
    ws = configure(Workspace(strict=True), server.base_url, method="json_mode")
    result = run(ws, prepare(ws, Request("angles", brief=brief())), on_progress=(lambda _: None) if stream else None)
    assert [s.text for s in result.suggestions] == answer_texts("angles")


def test_an_unclosed_think_block_is_malformed(server: FakeProvider) -> None:
    server.state.content = answer("angles")
    server.state.mode = "think"
    server.state.think = "<think>Hmm, I will never stop thinking"
    ws = configure(Workspace(strict=True), server.base_url, method="json_mode")
    with pytest.raises(AiProviderError) as caught:
        run(ws, prepare(ws, Request("angles", brief=brief())))
    assert caught.value.failure == "malformed" and "not valid JSON" in caught.value.message


def test_a_plain_http_server_is_never_reached_through_a_proxy(
    server: FakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through a proxy, a plain-http request shows the proxy the draft, the brief and the key (the hostile
    probe's finding). So drafter goes through the environment's proxy only for https (the proxy then sees
    the server's name, not the request); a plain-http server is connected to directly."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "NO_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.port}")  # the test server would answer as a proxy
    monkeypatch.setenv("OPENAI_API_KEY", SECRET_KEY)
    server.state.content = answer("angles")
    ws = configure(Workspace(strict=True), "http://provider.invalid/v1")  # a host no resolver knows
    with pytest.raises(AiProviderError) as caught:
        run(ws, prepare(ws, Request("angles", brief=brief())))
    assert caught.value.failure == "connection"
    assert server.requests == []  # nothing went to the proxy


# -- what leaves the machine -----------------------------------------------------------------------
def test_a_confidential_brief_never_reaches_a_host_that_is_not_listed(
    server: FakeProvider, tmp_path: Path, drafter_home: Path
) -> None:
    write_settings(drafter_home, settings_toml(server.base_url))
    path = brief_file(tmp_path, "confidential", CONFIDENTIAL_TEXT)
    result = suggest("angles", "--brief", str(path), "--draft", draft_file(tmp_path))
    assert result.exit_code == 2
    assert "policies.ai.hosts.confidential lists no host" in result.stderr
    assert server.requests == []  # nothing at all was sent


def test_a_listed_host_gets_the_confidential_brief_redacted(
    server: FakeProvider, tmp_path: Path, drafter_home: Path
) -> None:
    layer = tmp_path / "team-guidelines"
    layer.mkdir()
    (layer / "guidelines.yaml").write_text(
        "name: team\nversion: '1'\nextends: default\npolicies:\n  ai:\n    hosts:\n"
        "      public: ['*']\n      internal: ['*']\n      confidential: ['127.0.0.1']\n",
        encoding="utf-8",
    )
    server.state.content = answer("angles")
    write_settings(drafter_home, settings_toml(server.base_url))
    path = brief_file(tmp_path, "confidential", f"{CONFIDENTIAL_TEXT} {PERSONAL}")
    result = suggest(
        "angles",
        "--brief",
        str(path),
        "--draft",
        draft_file(tmp_path, f"Entwurf. {PERSONAL}"),
        "--guidelines",
        str(layer),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    (chat,) = server.chats
    sent = chat.text
    assert "Preis 49 Euro" in sent  # the brief went where the team's policy allows it …
    for personal in ("lena.schmidt@telekom.example", "170 1234567", "DE89 3704"):  # … without personal data
        assert personal not in sent
    assert "[E-MAIL]" in sent and "[TELEFON]" in sent and "[IBAN]" in sent
    assert json.loads(result.stdout)["sent"]["redactions"] == {"email": 2, "phone": 2, "iban": 2}


# -- drafter ai status ------------------------------------------------------------------------------
def test_ai_status(server: FakeProvider, drafter_home: Path) -> None:
    runner = CliRunner()
    off = runner.invoke(app, ["ai", "status"])
    assert off.exit_code == 2 and "verdict:  not ready: AI suggestions are off" in off.stdout
    write_settings(drafter_home, settings_toml(server.base_url))
    ready = runner.invoke(app, ["ai", "status"], env={"OPENAI_API_KEY": SECRET_KEY})
    assert ready.exit_code == 0, ready.output
    assert "models:   local-model" in ready.stdout and ready.stdout.rstrip().endswith("verdict:  ready")
    assert "api key:  OPENAI_API_KEY set" in ready.stdout and SECRET_KEY not in ready.output
    server.state.mode = "401"
    refused = runner.invoke(app, ["ai", "status"])
    assert refused.exit_code == 3 and "refused the API key" in refused.stdout


def test_a_raw_line_break_inside_a_string_is_read(server: FakeProvider) -> None:
    """Small models (SmolLM2 on llama.cpp) write raw line breaks into JSON strings; langchain's parsers
    accept them, so do we."""
    server.state.content = '{"angles": ["Was war\nneu?", "Wer war dabei?", "Was bleibt?"]}'
    ws = configure(Workspace(strict=True), server.base_url, method="json_mode")
    result = run(ws, prepare(ws, Request("angles", brief=brief())))
    assert len(result.suggestions) == 3 and result.suggestions[0].text.startswith("Was war")


# -- nothing goes anywhere but the configured server (hostile-input probe) --------------------------------
def test_a_redirect_to_another_server_is_not_followed(server: FakeProvider) -> None:
    with FakeProvider(content=answer("angles")) as elsewhere:
        server.state.mode = "redirect"
        server.state.redirect_to = f"{elsewhere.base_url}/chat/completions"
        ws = configure(Workspace(strict=True), server.base_url)
        with pytest.raises(AiProviderError) as caught:
            run(ws, prepare(ws, Request("angles", brief=brief())))
        assert caught.value.failure == "refused" and caught.value.exit_code == 3
        assert "another address" in str(caught.value)
        assert server.chats and elsewhere.requests == []  # the draft never reached the other server


@pytest.mark.parametrize(
    ("base_url", "proxied"),
    [
        ("https://api.example.com/v1", True),
        ("http://api.example.com/v1", False),  # clear text: draft and key would be readable by the proxy
        ("https://127.0.0.1:8443/v1", False),
        ("https://localhost/v1", False),
        ("https://[::1]:8443/v1", False),
    ],
)
def test_the_environment_proxy_is_used_only_for_https_to_other_machines(
    base_url: str, proxied: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drafter.ai.http import environment_proxy

    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert (environment_proxy(base_url) is not None) == proxied


def test_a_proxy_variable_adds_no_warning_of_langchain(server: FakeProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    # langchain-openai logged a warning (printed on stderr) that its own transport ignores the proxy
    # variable, a second line next to drafter's own (hostile-input probe)
    import logging

    import langchain_openai.chat_models._client_utils as client_utils

    monkeypatch.setattr(client_utils, "_proxy_env_warning_emitted", False)  # it warns once per process
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    server.state.content = answer("angles")
    seen: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    handler = Catch()
    logging.getLogger().addHandler(handler)
    try:
        ws = configure(Workspace(strict=True), server.base_url)
        result = run(ws, prepare(ws, Request("angles", brief=brief())))
    finally:
        logging.getLogger().removeHandler(handler)
    assert result.suggestions  # the server on this machine is reached directly, not through the dead proxy
    assert not [m for m in seen if "proxy" in m.lower()], seen


def test_suggest_does_not_block_a_shorter_rephrasing_for_the_drafts_length_error(
    server: FakeProvider, tmp_path: Path
) -> None:
    server.state.content = json.dumps({"alternatives": ["Ich war beim Ausbau dabei."]})
    args = ["rephrase", "--draft", draft_file(tmp_path, LONG_DRAFT), "--selection", LONG_FIRST, "--channel", "x"]
    result = suggest(*args, "--format", "json", "--base-url", server.base_url, "--model", "local-model")
    assert result.exit_code == 0, result.output
    (s,) = json.loads(result.stdout)["suggestions"]
    assert not s["blocked"], s["reason"]


def test_suggest_with_ai_off_says_so_before_judging_the_input(tmp_path: Path, drafter_home: Path) -> None:
    result = suggest("rephrase", "--draft", draft_file(tmp_path))  # no --selection either
    assert result.exit_code == 2
    assert "AI suggestions are off" in result.stderr and "selection" not in result.stderr


def test_suggest_picks_its_channel_as_export_does(server: FakeProvider, tmp_path: Path, drafter_home: Path) -> None:
    server.state.content = answer("critique")
    base = ["critique", "--draft", draft_file(tmp_path), "--base-url", server.base_url, "--model", "local-model"]
    result = suggest(*base)  # no preferred channels: the guidelines' default, said on stderr
    assert result.exit_code == 0, result.output
    assert "drafter: channel linkedin (the guidelines' default; --channel chooses another)" in result.stderr
    assert " on linkedin (" in result.stdout.splitlines()[0]
    write_settings(drafter_home, 'channels = ["x", "linkedin"]\n')  # the profile's first channel
    result = suggest(*base)
    assert result.exit_code == 0, result.output
    assert "default" not in result.stderr and " on x (" in result.stdout.splitlines()[0]
