"""Export a finished draft as Markdown and JSON into ``paths.data_dir()/exports/``.

The export is a record for the ambassador (and for importing into a colleague's originality corpus):
the text, channel(s), brief id, the findings still open, the guideline set's name and version, the
date, the author's name, and an ``authorship`` slot that the authorship record fills. Nothing else:
no settings paths, no tokens, no keys. The app never posts anywhere.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter import paths
from drafter.briefs import slugify
from drafter.findings import Finding, LineIndex
from drafter.i18n import LANGUAGES, format_date, t

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class ExportFiles:
    markdown: Path
    json: Path


def exports_dir() -> Path:
    return paths.ensure_dir(paths.data_dir() / "exports")


def build_export(
    *,
    text: str,
    channels: Sequence[str],
    findings: Sequence[Finding],
    guideline_name: str,
    guideline_version: str,
    exported_at: dt.datetime,
    brief_id: str | None = None,
    draft_id: str | None = None,
    author: str = "",
    length: dict[str, object] | None = None,
    lengths: dict[str, dict[str, object]] | None = None,
    authorship: dict[str, Any] | None = None,
    scheduled_for: dt.date | None = None,
    dismissed: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """The JSON document of an export (also the source of the Markdown). ``scheduled_for``: the day
    from which the post may be posted (a brief's embargo), None when it may be posted now.
    ``findings`` are the ones left open; ``dismissed`` the warnings the author dismissed (``{rule,
    category, message, excerpt, reason, at}``, see :meth:`drafter.dismissals.Dismissal.export_dict`). ``length``
    is the main channel's count; ``lengths`` each channel's (a new-user probe exported for X and LinkedIn and found
    the X count only; added in the twenty-second session, the format's version unchanged: a reader of version 1
    that does not know the key loses nothing)."""
    index = LineIndex(text)
    return {
        "format": "drafter-export",
        "format_version": FORMAT_VERSION,
        "text": text,
        "channel": channels[0] if channels else None,
        "channels": list(channels),
        "brief_id": brief_id,
        "draft_id": draft_id,
        "author": author,
        "date": exported_at.date().isoformat(),
        "exported_at": exported_at.isoformat(timespec="seconds"),
        "guidelines": {"name": guideline_name, "version": guideline_version},
        "length": length,
        "lengths": lengths if lengths is not None else ({channels[0]: length} if channels and length else {}),
        "findings": [f.to_dict(text, index) for f in findings],
        "authorship": authorship,
        "scheduled_for": scheduled_for.isoformat() if scheduled_for is not None else None,
        "dismissed": list(dismissed),
    }


_LABEL_KEYS = ("channel", "brief", "date", "guidelines", "findings", "none", "authorship", "author")


def render_markdown(
    doc: dict[str, Any],
    labels: dict[str, str] | None = None,
    lang: str = "en",
    channel_labels: dict[str, str] | None = None,
) -> str:
    """A human-readable export in ``lang`` (headings from the catalogue's ``export.md_*``, the date as
    :func:`drafter.i18n.format_date` writes it). ``labels`` may still override single headings;
    ``channel_labels`` names the channels as the guidelines do ("X", "LinkedIn"; else their ids)."""
    lang = lang if lang in LANGUAGES else "en"
    lab = {key: t(f"export.md_{key}", lang) for key in _LABEL_KEYS}
    lab.update(labels or {})
    lines = [doc["text"].rstrip("\n"), "", "---", ""]
    names = channel_labels or {}
    lines.append(f"- {lab['channel']}: {', '.join(names.get(c, c) for c in doc['channels']) or '-'}")
    if doc.get("author"):
        lines.append(f"- {lab['author']}: {doc['author']}")
    lines.append(f"- {lab['brief']}: {doc['brief_id'] or '-'}")
    lines.append(f"- {lab['date']}: {_date(doc['date'], lang)}")
    if doc.get("scheduled_for"):
        lines.append(f"- {t('scheduled.md_line', lang, date=_date(doc['scheduled_for'], lang))}")
    gl = doc["guidelines"]
    lines.append(f"- {lab['guidelines']}: {gl['name']} {gl['version']}")
    summary = (doc.get("authorship") or {}).get("summary_line")
    if summary:
        lines.append(f"- {summary}")  # the summary line starts with its own title
    lines.append("")
    lines.append(f"## {lab['findings']}")
    lines.append("")
    if not doc["findings"]:
        lines.append(f"- {lab['none']}")
    for f in doc["findings"]:
        where = t("core.export.finding_at", lang, line=f["line"], column=f["column"])
        level = t(f"core.export.severity_{f['severity']}", lang)  # in the export's language, as the message is
        lines.append(f"- {level} {f['rule']} ({where}): {f['message']}")
    dismissed = doc.get("dismissed") or []
    if dismissed:
        lines.append("")
        lines.append(f"## {t('dismiss.md_heading', lang)}")
        lines.append("")
        for d in dismissed:
            excerpt = d.get("excerpt") or d.get("message") or ""
            lines.append("- " + t("dismiss.md_line", lang, rule=d["rule"], excerpt=excerpt, reason=d["reason"]))
    return "\n".join(lines) + "\n"


def _date(value: str, lang: str) -> str:
    try:
        return format_date(dt.date.fromisoformat(value), lang)
    except (TypeError, ValueError):
        return str(value)


def file_stem(doc: dict[str, Any]) -> str:
    stamp = doc["exported_at"][:19].replace(":", "").replace("-", "").replace("T", "-")
    brief = slugify(doc["brief_id"]) if doc.get("brief_id") else "free"
    channel = doc["channel"] or "any"
    short = (doc.get("draft_id") or "")[:8]
    return "-".join(p for p in (stamp, brief[:40], channel, short) if p)


def write_export(
    doc: dict[str, Any],
    out_dir: Path | None = None,
    labels: dict[str, str] | None = None,
    lang: str = "en",
    channel_labels: dict[str, str] | None = None,
) -> ExportFiles:
    """Write ``<stem>.md`` and ``<stem>.json``; an existing pair gets a numeric suffix, never overwritten."""
    out = out_dir or exports_dir()
    paths.ensure_dir(out)  # private like the default exports folder (0700)
    stem = file_stem(doc)
    candidate = stem
    n = 1
    while (out / f"{candidate}.md").exists() or (out / f"{candidate}.json").exists():
        n += 1
        candidate = f"{stem}-{n}"
    md = out / f"{candidate}.md"
    js = out / f"{candidate}.json"
    paths.atomic_write_text(js, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    paths.atomic_write_text(md, render_markdown(doc, labels, lang, channel_labels))
    return ExportFiles(markdown=md, json=js)
