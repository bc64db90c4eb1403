"""`make run` on a fresh copy of the repository brings all four services to ready (issue 2, acceptance 8)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from zorgtoezicht.localpg import free_port
from zorgtoezicht.testing.harness import repo_root

pytestmark = pytest.mark.slow

PORTS = {"meldpunt": 8101, "toezicht": 8102, "handhaving": 8103, "register": 8104}


def fresh_copy(target: Path) -> Path:
    """The files a clone would have: tracked plus untracked-but-not-ignored ones, nothing else."""
    root = repo_root()
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=root, check=True,
                            capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = root / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def test_make_run_on_a_fresh_copy_serves_all_four(tmp_path):
    busy = [port for port in PORTS.values() if _listening(port)]
    if busy:
        pytest.fail(f"ports {busy} are in use: stop the running services before this test")
    clone = fresh_copy(tmp_path / "clone")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZT_", "MELDPUNT_", "TOEZICHT_", "HANDHAVING_", "REGISTER_", "KAFKA_"))}
    env.pop("VIRTUAL_ENV", None)
    env["ZT_EMBEDDED_PG_PORT"] = str(free_port())
    log_path = tmp_path / "make-run.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        ready: dict[str, int] = {}
        while time.monotonic() < deadline and len(ready) < len(PORTS):
            assert process.poll() is None, log_path.read_text()[-4000:]
            for name, port in PORTS.items():
                try:
                    response = httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=2)
                    ready[name] = response.status_code
                except httpx.HTTPError:
                    pass
            if len(ready) == len(PORTS) and all(code == 200 for code in ready.values()):
                break
            time.sleep(0.5)
        assert ready == {name: 200 for name in PORTS}, log_path.read_text()[-4000:]

        output = log_path.read_text()
        for name, port in PORTS.items():
            assert f"http://localhost:{port}/api/v1" in output
        token = next(line.strip() for line in output.splitlines() if line.startswith("eyJ"))
        listing = httpx.get("http://127.0.0.1:8104/api/v1/zorgaanbieders?pageSize=5", headers={"Authorization": f"Bearer {token}"}, timeout=5)
        assert listing.status_code == 200, listing.text
        assert len(listing.json()["results"]) == 5  # the demo register was loaded
        # ... and its events reached meldpunt's projection: a melding for a demo vestiging is accepted.
        vestiging = httpx.get(f"http://127.0.0.1:8104/api/v1/zorgaanbieders/{listing.json()['results'][0]['id']}",
                              headers={"Authorization": f"Bearer {token}"}, timeout=5).json()["vestigingen"][0]["vestigingsnummer"]
        body = {"soort": "klacht", "melder": {"rol": "burger-naaste"}, "omschrijving": "Demo", "vestigingsnummer": vestiging}
        deadline = time.monotonic() + 60
        while True:
            melding = httpx.post("http://127.0.0.1:8101/api/v1/meldingen", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=5)
            if melding.status_code == 201 and melding.json()["zorgaanbiederId"] or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert melding.status_code == 201 and melding.json()["zorgaanbiederId"], melding.text
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
    assert not any(_listening(port) for port in PORTS.values())


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0
