"""Two test runs on one machine do not break each other (issue 8, acceptance 6).

Reproduction: the test PostgreSQL lived under pytest's basetemp; a second pytest session cleaned that
folder and the first run's server panicked (``could not open file …/global/pg_control: Permission
denied``). Here two sessions run ``tests/isolation/probe.py`` at once with the *same* ``--basetemp`` (the
harshest case: the second wipes it while the first's servers run) and both must pass; each keeps its
servers' data in its own ``run_dir`` and on its own ports. With ``REQUIRE_KAFKA=1`` both start a Kafka
broker too.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zorgtoezicht.localpg import LocalPostgres
from zorgtoezicht.testing.harness import repo_root

pytestmark = pytest.mark.slow

PROBE = "tests/isolation/probe.py"


def session(role: str, basetemp: Path, sync: Path, log: Path, kafka: bool) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ZT_PROBE_ROLE": role, "ZT_PROBE_SYNC": str(sync), "ZT_PROBE_KAFKA": "1" if kafka else "0"}
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", f"--basetemp={basetemp}", PROBE],
        cwd=repo_root(),
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_two_sessions_at_once_with_one_basetemp_both_pass(tmp_path: Path) -> None:
    kafka = os.environ.get("REQUIRE_KAFKA", "") not in ("", "0", "false", "no")
    shared_basetemp = tmp_path / "shared-basetemp"
    sync = tmp_path / "sync"
    sync.mkdir()
    first = session("first", shared_basetemp, sync, tmp_path / "first.log", kafka)
    second = None
    try:
        deadline = time.monotonic() + 240
        while not (sync / "first-ready").exists():
            assert first.poll() is None, (tmp_path / "first.log").read_text()[-4000:]
            assert time.monotonic() < deadline, "the first session's servers did not come up"
            time.sleep(0.2)  # waiting for another process
        second = session("second", shared_basetemp, sync, tmp_path / "second.log", kafka)
        second_code = second.wait(280)
        first_code = first.wait(280)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, 9)
                process.wait(10)
    first_log, second_log = (tmp_path / "first.log").read_text(), (tmp_path / "second.log").read_text()
    expected = "2 passed" if kafka else "1 passed, 1 skipped"
    assert second_code == 0 and expected in second_log, second_log[-4000:]
    assert first_code == 0 and expected in first_log, first_log[-4000:]


def test_a_postgres_port_taken_before_binding_is_retried(data_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        server = LocalPostgres(data_path / "data", taken, durable=False)
        server.start_on_a_free_port()
        try:
            assert server.port != taken
            assert server.psql("SELECT 1").strip() == "1"
        finally:
            server.stop()


@pytest.mark.kafka
def test_a_kafka_port_taken_before_binding_is_retried(data_path: Path) -> None:
    from zorgtoezicht.localkafka import KafkaBroker, tools_missing

    if tools_missing():
        reason = f"needs {' and '.join(tools_missing())} to start a Kafka broker"
        if os.environ.get("REQUIRE_KAFKA", "") not in ("", "0", "false", "no"):
            pytest.fail(f"REQUIRE_KAFKA=1 but it {reason}")
        pytest.skip(reason)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        broker = KafkaBroker(data_path / "kafka")
        broker.port = taken  # as if another process took the chosen port before the broker bound it
        broker.start()
        try:
            assert broker.port != taken
            assert broker.bootstrap_servers == f"127.0.0.1:{broker.port}"
        finally:
            broker.stop()
