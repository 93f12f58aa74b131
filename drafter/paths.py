"""Where drafter keeps its files: bundled defaults, user data and config (``DRAFTER_HOME`` moves both)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

APP_NAME = "drafter"


def _package_root() -> Path:
    return Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """A top-level data folder (``guidelines`` or ``prompts``).

    In a source checkout or an editable install it is the folder beside the package; in a wheel it
    is shipped as ``drafter/_bundled/<name>``.
    """
    packaged = _package_root() / "_bundled" / name
    if packaged.is_dir():
        return packaged
    return _package_root().parent / name


def default_guidelines_dir() -> Path:
    return bundled_dir("guidelines")


def sample_briefs_dir() -> Path:
    """The five bundled sample briefs, imported on first start."""
    return _package_root() / "samples" / "briefs"


def _home_override() -> Path | None:
    home = os.environ.get("DRAFTER_HOME")
    return Path(home).expanduser() if home else None


def data_dir() -> Path:
    """The user data directory (SQLite store, exports). Created on demand."""
    home = _home_override()
    if home is not None:
        path = home / "data"
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """The user config directory (profile/settings TOML). Created on demand."""
    home = _home_override()
    if home is not None:
        path = home / "config"
    else:
        from platformdirs import user_config_path

        path = user_config_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_path() -> Path:
    return data_dir() / "drafter.sqlite3"


def atomic_write_text(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder and a rename, so a crash
    leaves either the old file or the new one, never half of one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
