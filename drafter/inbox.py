"""The brief inbox: a folder where business units' files are dropped and picked up.

:func:`import_inbox` imports every new or changed brief file in the folder (one transaction per
file, all or nothing). Files stay where they are: the store remembers the SHA-256 of each file it
imported, so an unchanged file is skipped next time and an edited one is imported again (its briefs
get new versions). Files that fail are reported — each time, until they are fixed or removed.
Hidden files and the lock files of Excel (``~$…``) and LibreOffice (``.~lock…``) are ignored.

The folder is a setting (``inbox_dir``); ``DRAFTER_INBOX`` overrides it for the app and for ``drafter
briefs inbox`` alike (:func:`inbox_folder`); :func:`default_inbox_dir` is
``<data_dir>/inbox``. :func:`on_start` is what the app runs at start: bundled samples once, then
the inbox.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from drafter import paths
from drafter.brief_import import (
    BriefImportError,
    Problem,
    detect_format,
    parse_bytes,
    read_bytes,
)
from drafter.brief_store import BriefStore, ImportResult, ensure_samples
from drafter.briefs import BriefContext
from drafter.store import Store

#: the environment variable that names the inbox folder (before the settings' ``inbox_dir``)
INBOX_ENV = "DRAFTER_INBOX"


def default_inbox_dir() -> Path:
    return paths.data_dir() / "inbox"


def inbox_folder(configured: Path | None, environ: Mapping[str, str] | None = None) -> Path | None:
    """The inbox folder in force: ``DRAFTER_INBOX`` when set, else the settings' ``configured`` folder
    (None: :func:`default_inbox_dir`). The CLI's ``--folder`` reads the same variable."""
    value = (os.environ if environ is None else environ).get(INBOX_ENV, "")
    return Path(value) if value.strip() else configured


@dataclass
class InboxReport:
    """What one pass over the inbox did."""

    folder: Path
    imported: list[tuple[Path, ImportResult]] = field(default_factory=list)
    failed: list[tuple[Path, BriefImportError]] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # seen before, unchanged
    warnings: list[Problem] = field(default_factory=list)
    error: str | None = None  # the folder itself is missing or unreadable

    @property
    def ok(self) -> bool:
        return not self.failed and self.error is None

    def lines(self) -> list[str]:
        """The report in English, as the CLI prints it (the app: :func:`drafter.import_report.inbox_lines`)."""
        from drafter.import_report import inbox_lines

        return inbox_lines(self, "en")


def _ignored(path: Path) -> bool:
    name = path.name
    return name.startswith((".", "~$", "~")) or name.endswith(("~", ".tmp", ".part"))


def inbox_files(folder: Path) -> list[Path]:
    """Candidate files in the folder (not in sub-folders), in name order: regular files only — a symbolic
    link is not followed (it could point at any file on the machine, whose content an error would quote)."""
    if not folder.is_dir():
        return []
    found = (p for p in folder.iterdir() if not p.is_symlink() and p.is_file() and not _ignored(p))
    return sorted(found, key=lambda p: p.name.lower())


def import_inbox(store: Store, context: BriefContext, folder: Path | None = None) -> InboxReport:
    """Import new or changed files from ``folder`` (default :func:`default_inbox_dir`, created if missing)."""
    if folder is None:
        folder = paths.ensure_dir(default_inbox_dir())
    folder = Path(folder)
    report = InboxReport(folder=folder)
    if not folder.is_dir():
        report.error = f"{folder}: the inbox folder does not exist"
        return report
    briefs = BriefStore(store)
    try:
        candidates = inbox_files(folder)
    except OSError as exc:
        report.error = f"{folder}: cannot read the inbox folder: {exc.strerror or exc}"
        return report
    for path in candidates:
        try:
            fmt = detect_format(path)
            data = read_bytes(path)  # regular files only, size-limited: a FIFO dropped in the inbox never hangs
            if briefs.file_seen(path, hashlib.sha256(data).hexdigest()):
                report.skipped.append(path)
                continue
            parsed = parse_bytes(data, str(path), context, fmt)
        except BriefImportError as exc:
            report.failed.append((path, exc))
            continue
        report.warnings.extend(parsed.warnings)
        report.imported.append((path, briefs.import_parsed(parsed, path)))
    return report


@dataclass
class StartReport:
    samples: ImportResult | None
    inbox: InboxReport


def on_start(store: Store, context: BriefContext, inbox_folder: Path | None = None) -> StartReport:
    """What the app does at start: import the bundled samples (first start only), then the inbox."""
    samples = ensure_samples(store, context)
    return StartReport(samples=samples, inbox=import_inbox(store, context, inbox_folder))
