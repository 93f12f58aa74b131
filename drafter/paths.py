"""Where drafter keeps its files: bundled defaults, user data and config (``DRAFTER_HOME`` moves both)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from drafter.errors import Problem, UserError, english_only, said

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


#: folders drafter creates (data, config, exports, inbox) and files it writes are the user's alone:
#: they hold drafts and confidential briefs
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


class FolderError(UserError, OSError):
    """A folder drafter needs cannot be created or written (read-only home, a file in the way, …).

    Also an :class:`OSError`, so code that handles a failed write keeps handling it."""


def data_dir() -> Path:
    """The user data directory (SQLite store, exports). Only named here: nothing is created until
    something is written (:func:`ensure_dir`), so read-only commands work in a read-only home."""
    home = _home_override()
    if home is not None:
        return home / "data"
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The user config directory (profile/settings TOML). Only named here, like :func:`data_dir`."""
    home = _home_override()
    if home is not None:
        return home / "config"
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """The user cache directory (loaded guideline sets, validated settings, compiled patterns: each cache its
    own subfolder, :mod:`drafter.private_cache`). Not moved by ``DRAFTER_HOME``: it holds nothing of the
    user's, only what can be made again from their files, and commands that write nothing else (``drafter
    lint``) leave the home untouched. ``XDG_CACHE_HOME`` moves it on Linux."""
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def store_path() -> Path:
    return data_dir() / "drafter.sqlite3"


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as folders only the user may enter (0700), as the XDG spec
    asks; folders that exist are left as they are. :class:`FolderError` names the folder on failure."""
    path = Path(path)
    if path.is_dir():
        return path
    missing: list[Path] = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    try:
        for folder in reversed(missing):
            try:
                folder.mkdir(mode=PRIVATE_DIR_MODE)
            except FileExistsError:  # another process was quicker
                if not folder.is_dir():
                    raise
                continue
            os.chmod(folder, PRIVATE_DIR_MODE)  # the umask may have taken bits away; never adds any
    except OSError as exc:
        where = exc.filename if isinstance(exc.filename, str) else str(path)
        reason = english_only(str(exc.strerror or exc))
        raise FolderError(Problem.at(where, said("folders.cannot_create", reason=reason))) from exc
    if not path.is_dir():
        raise FolderError(Problem.at(path, said("folders.file_in_the_way")))
    return path


def tighten(path: Path, mode: int) -> None:
    """Take group/other bits away from ``path`` when the user owns it and it has more than ``mode``
    (stores and folders made by older versions were 0644/0755). Silently leaves what it cannot change."""
    try:
        st = os.stat(path)
        # a file or folder only: a store linked to /dev/null or /dev/zero made a root user's drafter take
        # everyone's access to that device away (a hostile probe); what else it is, opening it says
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            return
        if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & ~mode:
            os.chmod(path, stat.S_IMODE(st.st_mode) & mode)
    except (OSError, AttributeError):  # gone meanwhile, not ours, or no getuid (Windows)
        pass


def atomic_write_text(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder and a rename, so a crash
    leaves either the old file or the new one, never half of one. The file is the user's alone (0600);
    its folder is created (0700) when missing. :class:`FolderError` names the place when writing fails."""
    ensure_dir(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    except OSError as exc:
        reason = english_only(str(exc.strerror or exc))
        raise FolderError(Problem.at(path.parent, said("folders.cannot_write_here", reason=reason))) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        reason = english_only(str(exc.strerror or exc))
        raise FolderError(Problem.at(path, said("folders.cannot_write", reason=reason))) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
