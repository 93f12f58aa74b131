"""Shared pieces of the AI tests: briefs, answers per kind, a langchain fake chat model that can do
structured output, and a workspace with AI configured."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.output_parsers import PydanticOutputParser

from drafter.briefs import Brief
from drafter.workspace import Workspace

SECRET_KEY = "sk-test-7f3a9c1e5b2d4f60"
PERSONAL = "Fragen an lena.schmidt@telekom.example oder +49 170 1234567, Spenden an DE89 3704 0044 0532 0130 00."
CONFIDENTIAL_TEXT = "Geheim: Der Start ist am 9. Dezember, Preis 49 Euro pro Platz."


def brief(classification: str = "public", text: str = "", **extra: Any) -> Brief:
    data: dict[str, Any] = {
        "id": f"test-{classification}",
        "title": "Glasfaser im Winter",
        "business_unit": "Technik",
        "goal": "WeWontStop",
        "channels": ["linkedin"],
        "key_messages": ["Wir bauen auch im Winter weiter."],
        "text": text or "Der Ausbau geht weiter.",
        "classification": classification,
        "hashtags": ["#Glasfaser"],
    }
    data.update(extra)
    return Brief.model_validate(data)


def brief_file(folder: Path, classification: str, text: str) -> Path:
    path = folder / f"brief-{classification}.md"
    path.write_text(
        "---\n"
        f"id: test-{classification}\n"
        "title: Glasfaser im Winter\n"
        "business_unit: Technik\n"
        "goal: WeWontStop\n"
        "channels: [linkedin]\n"
        "key_messages:\n  - Wir bauen auch im Winter weiter.\n"
        f"classification: {classification}\n"
        'hashtags: ["#Glasfaser"]\n'
        "---\n\n" + text + "\n",
        encoding="utf-8",
    )
    return path


ANSWERS: dict[str, dict[str, Any]] = {
    "angles": {
        "angles": [
            "Was hat dich beim Ausbau im Winter überrascht?",
            "Wen aus deinem Team würdest du gern vorstellen?",
            "Was sagen Nachbarn, wenn der Bagger vor der Tür steht?",
        ]
    },
    "critique": {
        "remarks": [
            {"quote": "Glasfaser", "start": 0, "end": 0, "remark": "Sag, was Glasfaser für dich im Alltag ändert."},
        ]
    },
    "rephrase": {"alternatives": ["Ich war beim Ausbau selbst dabei.", "Beim Ausbau war ich mittendrin."]},
    "hashtags": {"core": "#WeWontStop", "topics": ["#Glasfaser", "#Netzausbau"]},
}

DRAFT = "Ich war beim Ausbau dabei. Glasfaser kommt auch im Winter. #WeWontStop"
SELECTION = "Ich war beim Ausbau dabei."


def answer(kind: str) -> str:
    return json.dumps(ANSWERS[kind], ensure_ascii=False)


def answer_texts(kind: str) -> list[str]:
    """The texts of :data:`ANSWERS` ``[kind]`` (angles and rephrasings)."""
    data = ANSWERS[kind]
    return list(data.get("angles") or data.get("alternatives") or [])


class FakeStructuredChat(GenericFakeChatModel):
    """langchain's GenericFakeChatModel (streams its canned answers word by word) with the structured
    output our provider asks for: a JSON text parsed by a pydantic output parser. A *fake*: no HTTP."""

    def with_structured_output(self, schema: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return self | PydanticOutputParser(pydantic_object=schema)


def fake_model(*texts: str) -> FakeStructuredChat:
    messages: Iterator[AIMessage] = iter([AIMessage(content=t) for t in texts])
    return FakeStructuredChat(messages=messages)


def configure(ws: Workspace, base_url: str, *, method: str = "json_schema", timeout: float = 5.0) -> Workspace:
    ai = ws.settings.ai
    ai.enabled = True
    ai.base_url = base_url
    ai.model = "local-model"
    ai.method = method  # type: ignore[assignment]
    ai.timeout = timeout
    ai.retries = 0
    return ws


def settings_toml(base_url: str, *, timeout: float = 5.0, method: str = "json_schema") -> str:
    return (
        "[ai]\nenabled = true\n"
        f'base_url = "{base_url}"\nmodel = "local-model"\ntimeout = {timeout}\nretries = 0\nmethod = "{method}"\n'
    )


#: a draft over X's limit (an error before any suggestion) and its first sentence
LONG_FIRST = "Ich war beim Ausbau in unserer Region von Anfang an dabei."
LONG_DRAFT = LONG_FIRST + (
    " Glasfaser kommt auch im Winter in die Straßen, und die Teams arbeiten bei jedem Wetter."
    " Viele Nachbarn haben gefragt, wann ihr Haus an der Reihe ist, und wir haben es ihnen gezeigt."
    " Am Ende zählt, dass jede Familie schnelles Internet bekommt, ob im Dorf oder in der Stadt."
    " Danke an alle, die mitgeholfen haben, jeden Meter Kabel zu verlegen. #WeWontStop"
)
