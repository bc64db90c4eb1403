"""Services as separate OS processes (API and worker each), as they run in production on Kafka."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx


@dataclass
class ServiceProcesses:
    name: str
    port: int
    env: dict[str, str]
    log_dir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *roles: str) -> None:
        for role in roles:
            args = [sys.executable, "-m", self.name, role] + (["--port", str(self.port)] if role == "api" else [])
            log = (self.log_dir / f"{self.name}-{role}.log").open("ab")
            self.processes[role] = subprocess.Popen(args, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def log(self, role: str) -> str:
        path = self.log_dir / f"{self.name}-{role}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            for role, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{self.name} {role} exited {process.returncode}:\n{self.log(role)[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                last = httpx.get(f"{self.base_url}/health/ready", timeout=2)
                if last.status_code == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} not ready: {last and last.text}\n{self.log('api')[-3000:]}")

    def stop(self, role: str | None = None, sig: int = signal.SIGTERM) -> None:
        for name in [role] if role else list(self.processes):
            process = self.processes.pop(name, None)
            if process is None:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
