"""`make run` on a fresh copy of the repository brings all four services to ready (issue 2, acceptance 8),
and every example in README.md runs as written against it (issue 8, acceptance 8).

The copy lives in this run's own folder and ``make run`` listens on free ports, so two test runs on one
machine do not collide (issue 8, acceptance 6).

README examples: every fenced ``bash`` block whose first line is ``# Example: <title>`` is an example; the
other bash blocks (the two commands, the production commands) are not. Each runs with ``bash -euo pipefail``
in the copy, exactly as written except that ``localhost:8101``…``8104`` become this run's ports, and must exit
0 with the answer ``EXPECTED`` states for its title. An example without an expectation, or an expectation
without its example, fails the test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from zorgtoezicht.localpg import free_port
from zorgtoezicht.testing.harness import repo_root

pytestmark = pytest.mark.slow

DEFAULT_PORTS = {"meldpunt": 8101, "toezicht": 8102, "handhaving": 8103, "register": 8104}
ROUTES = {"direct-escaleren", "onderzoek-door-zorgaanbieder", "beoordelen", "registreren", "doorverwijzen"}


def fresh_copy(target: Path) -> Path:
    """The files a clone would have: tracked plus untracked-but-not-ignored ones, nothing else."""
    root = repo_root()
    listed = (
        subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=root, check=True, capture_output=True)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = root / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def readme_examples(readme: str) -> dict[str, str]:
    """Title → script of every ```bash block that starts with ``# Example:``."""
    examples = {}
    for block in re.findall(r"^```bash\n(.*?)^```", readme, re.DOTALL | re.MULTILINE):
        first = block.split("\n", 1)[0]
        if first.startswith("# Example:"):
            examples[first.removeprefix("# Example:").strip()] = block
    return examples


def expect_register(output: str, ports: dict[str, int]) -> None:
    body, status = output.rstrip("\n").rsplit("\n", 1)
    assert status == "HTTP 201", output
    provider = json.loads(body)
    assert provider["kvkNummer"] == "69599084" and provider["statutaireNaam"] == "Zorggroep De Linde B.V.", output
    assert [v["vestigingsnummer"] for v in provider["vestigingen"]] == ["000038509504"], output


def expect_melding_and_triage(output: str, ports: dict[str, int]) -> None:
    location, triage = output.split("\n", 1)
    prefix = f"http://localhost:{ports['meldpunt']}/api/v1/meldingen/"
    assert location.startswith(prefix), output
    uuid.UUID(location.removeprefix(prefix))
    answer = json.loads(triage)
    assert answer["route"] in ROUTES, output
    assert answer["uitleg"].strip(), output


def expect_risicoprofiel(output: str, ports: dict[str, int]) -> None:
    """register's facts reached toezicht as events: the provider has a scored profile with its sector, and every
    reason names the event it came from (the melding of the example before may still be on its way)."""
    profiel = json.loads(output)
    uuid.UUID(profiel["zorgaanbiederId"])
    assert profiel["sector"] == "verpleging-en-verzorging", output
    assert profiel["modelVersie"] and isinstance(profiel["score"], int | float) and 0 <= profiel["score"] <= 100, output
    assert all(reden["toelichting"] and (reden["bronId"] or reden["bijdrage"] <= 0) for reden in profiel["redenen"]), output


def expect_openbare_maatregelen(output: str, ports: dict[str, int]) -> None:
    """No token, yet an answer: a page of published measures (none yet on a fresh system), public fields only."""
    pagina = json.loads(output)
    assert isinstance(pagina["results"], list) and "next" in pagina, output
    toegestaan = {"id", "zorgaanbiederId", "instrument", "besluitdatum", "gepubliceerdOp", "zakelijkeWeergave"}
    assert all(set(item) <= toegestaan for item in pagina["results"]), output


def expect_interventies(output: str, ports: dict[str, int]) -> None:
    rows = [line.split(";") for line in output.strip().splitlines()]
    assert rows[0] == ["Instrument", "Opgelegd in 2025", "Lopend op 31 december 2025"], output
    # header, the ten instruments, the invorderingsbeschikkingen, Totaal; a fresh system imposed nothing in 2025
    assert [row[0] for row in rows[-2:]] == ["Invorderingsbeschikkingen", "Totaal"] and len(rows) == 13, output
    assert all(row[1:] == ["0", "0"] for row in rows[1:]), output


EXPECTED: dict[str, Callable[[str, dict[str, int]], None]] = {
    "register a zorgaanbieder with one vestiging (answer: the provider, then HTTP 201)": expect_register,
    "submit a melding about that vestiging and read its triage (answer: its URL, then route and why)": expect_melding_and_triage,
    "read that provider's risk profile at toezicht (answer: score, model version, reasons with their source events)": (
        expect_risicoprofiel
    ),
    "the public list of published measures, without a token (answer: a page of results)": expect_openbare_maatregelen,
    "the Jaarbeeld table of interventions in 2025 as CSV (answer: a header row, a row per instrument, the total)": (expect_interventies),
}


def test_readme_examples_are_found_by_the_rule():
    """The rule picks the marked blocks only: not `make run`/`make test`, not the production commands."""
    examples = readme_examples((repo_root() / "README.md").read_text())
    assert set(examples) == set(EXPECTED)
    assert not any("make run" in script or "-m register api" in script for script in examples.values())


def run_example(script: str, clone: Path, env: dict[str, str], ports: dict[str, int]) -> subprocess.CompletedProcess[str]:
    for name, default in DEFAULT_PORTS.items():
        script = script.replace(f"localhost:{default}", f"localhost:{ports[name]}")
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=clone, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_make_run_on_a_fresh_copy_serves_all_four_and_runs_the_readme_examples(data_path: Path):
    clone = fresh_copy(data_path / "clone")
    ports = {name: free_port() for name in DEFAULT_PORTS}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZT_", "MELDPUNT_", "TOEZICHT_", "HANDHAVING_", "REGISTER_", "KAFKA_"))}
    env.pop("VIRTUAL_ENV", None)
    env["ZT_EMBEDDED_PG_PORT"] = str(free_port())
    for name, port in ports.items():
        env[f"{name.upper()}_PORT"] = str(port)
        env[f"{name.upper()}_PUBLIC_URL"] = f"http://localhost:{port}"
    env["MELDPUNT_REGISTER_URL"] = f"http://localhost:{ports['register']}"
    log_path = data_path / "make-run.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        ready: dict[str, int] = {}
        while time.monotonic() < deadline and len(ready) < len(ports):
            assert process.poll() is None, log_path.read_text()[-4000:]
            for name, port in ports.items():
                try:
                    response = httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=2)
                    ready[name] = response.status_code
                except httpx.HTTPError:
                    pass
            if len(ready) == len(ports) and all(code == 200 for code in ready.values()):
                break
            time.sleep(0.5)
        assert ready == {name: 200 for name in ports}, log_path.read_text()[-4000:]

        output = log_path.read_text()
        for port in ports.values():
            assert f"http://localhost:{port}/api/v1" in output
        token = next(line.strip() for line in output.splitlines() if line.startswith("eyJ"))
        register = f"http://127.0.0.1:{ports['register']}/api/v1"
        listing = httpx.get(f"{register}/zorgaanbieders?pageSize=5", headers={"Authorization": f"Bearer {token}"}, timeout=5)
        assert listing.status_code == 200, listing.text
        assert len(listing.json()["results"]) == 5  # the demo register was loaded
        # ... and its events reached meldpunt's projection: a melding for a demo vestiging is accepted.
        vestiging = httpx.get(
            f"{register}/zorgaanbieders/{listing.json()['results'][0]['id']}", headers={"Authorization": f"Bearer {token}"}, timeout=5
        ).json()["vestigingen"][0]["vestigingsnummer"]
        body = {"soort": "klacht", "melder": {"rol": "burger-naaste"}, "omschrijving": "Demo", "vestigingsnummer": vestiging}
        deadline = time.monotonic() + 60
        while True:
            melding = httpx.post(
                f"http://127.0.0.1:{ports['meldpunt']}/api/v1/meldingen", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=5
            )
            if (melding.status_code == 201 and melding.json()["zorgaanbiederId"]) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert melding.status_code == 201 and melding.json()["zorgaanbiederId"], melding.text

        # The README's examples, in README order, as a reader would run them.
        examples = readme_examples((clone / "README.md").read_text())
        assert set(examples) == set(EXPECTED), "every README example needs an expectation here, and vice versa"
        for title, script in examples.items():
            result = run_example(script, clone, env, ports)
            assert result.returncode == 0, f"README example {title!r} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
            EXPECTED[title](result.stdout, ports)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
    assert not any(_listening(port) for port in ports.values())


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0
