"""pytest plugin (``-p zorgtoezicht.testing.plugin``): real PostgreSQL and Kafka for every test run.

- ``run_dir``: this run's own folder for server data, outside pytest's basetemp (see ``run_dir``);
- ``postgres``: one embedded PostgreSQL server per session (from the wheel, on a free port);
- ``databases``: a fresh migrated database per service per test (cloned from a template);
- ``auth``: a test key pair and tokens;
- ``kafka``: a real Apache Kafka broker (KRaft) started from Maven Central jars. Without Java or
  Maven the Kafka tests skip with a loud message; with ``REQUIRE_KAFKA=1`` they fail instead.

Node tools and ruff (``node_tools``): a missing one skips with a loud message; ``REQUIRE_TOOLS=1`` fails.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from zorgtoezicht.localkafka import KafkaBroker, tools_missing
from zorgtoezicht.localpg import LocalPostgres, free_port
from zorgtoezicht.testing import node_tools
from zorgtoezicht.testing.harness import AuthKit, Chain, DatabaseFactory, start_chain

_KAFKA_SKIPS: list[str] = []


def _require_kafka() -> bool:
    return os.environ.get("REQUIRE_KAFKA", "") not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def run_dir() -> Iterator[Path]:
    """A folder of this test run alone (``zt-run-*`` in the system temp folder, or ``ZT_TEST_DATA_ROOT``),
    removed at the end. Servers keep their data here, not under pytest's basetemp: another pytest session
    on the machine cleans that up (it wipes a shared ``--basetemp`` and resets permissions on old numbered
    folders), and a PostgreSQL whose data vanished from under it panics mid-run."""
    root = os.environ.get("ZT_TEST_DATA_ROOT") or None
    if root:
        Path(root).mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"zt-run-{os.getpid()}-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def data_path(run_dir: Path, request: pytest.FixtureRequest) -> Path:
    """Like ``tmp_path``, but inside ``run_dir``: for a test that starts its own server."""
    folder = run_dir / f"{request.node.name[:40]}-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    return folder


@pytest.fixture(scope="session")
def postgres(run_dir: Path) -> Iterator[LocalPostgres]:
    server = LocalPostgres(run_dir / "pg" / "data", free_port(), durable=False)
    server.start_on_a_free_port()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def databases(postgres: LocalPostgres) -> DatabaseFactory:
    return DatabaseFactory(postgres)


@pytest.fixture(scope="session")
def auth() -> Iterator[AuthKit]:
    kit = AuthKit()
    saved = {key: os.environ.get(key) for key in kit.env()}
    os.environ.update(kit.env())
    try:
        yield kit
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def kafka(run_dir: Path) -> Iterator[KafkaBroker]:
    missing = tools_missing()
    if missing:
        message = f"Kafka tests need {' and '.join(missing)} to start a real broker"
        if _require_kafka():
            pytest.fail(f"REQUIRE_KAFKA=1 but {message}")
        _KAFKA_SKIPS.append(message)
        pytest.skip(message)
    broker = KafkaBroker(run_dir / "kafka")
    try:
        broker.start()
    except Exception as error:  # noqa: BLE001
        if _require_kafka():
            pytest.fail(f"REQUIRE_KAFKA=1 but the Kafka broker did not start: {error}")
        _KAFKA_SKIPS.append(f"Kafka broker did not start: {error}")
        pytest.skip(f"Kafka broker did not start: {error}")
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture
async def chain(databases: DatabaseFactory, auth: AuthKit) -> AsyncIterator[Chain]:
    """All four services in process on the in-process bus, each on a fresh database."""
    started = await start_chain(databases, auth)
    try:
        yield started
    finally:
        await started.close()


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:8]


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if _KAFKA_SKIPS:
        terminalreporter.write_sep("!", "KAFKA TESTS SKIPPED", red=True, bold=True)
        for reason in dict.fromkeys(_KAFKA_SKIPS):
            terminalreporter.write_line(f"  {reason} (set REQUIRE_KAFKA=1 to make this an error)", red=True)
    if node_tools.SKIPPED:
        terminalreporter.write_sep("!", "TESTS SKIPPED FOR MISSING TOOLS", red=True, bold=True)
        for reason in dict.fromkeys(node_tools.SKIPPED):
            terminalreporter.write_line(f"  {reason} (set REQUIRE_TOOLS=1 to make this an error)", red=True)
