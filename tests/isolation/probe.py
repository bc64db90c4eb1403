"""A small test module for two pytest sessions at once (driven by tests/test_isolation.py, not collected
on its own: the file name does not start with ``test_``).

``ZT_PROBE_ROLE=first``: once its PostgreSQL (and with ``ZT_PROBE_KAFKA=1`` its Kafka broker) is up, it
signals ``first-ready`` and waits for the second session to finish before it uses them again.
``ZT_PROBE_ROLE=second``: starts while the first waits, with the same ``--basetemp`` (which it wipes, as
pytest does), uses ``tmp_path``, its own servers, and signals ``second-done`` at the end.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from pathlib import Path

import pytest

from zorgtoezicht.runner import load_definition

SYNC = Path(os.environ.get("ZT_PROBE_SYNC", "."))
ROLE = os.environ.get("ZT_PROBE_ROLE", "second")
WITH_KAFKA = os.environ.get("ZT_PROBE_KAFKA") == "1"


def wait_for(name: str, timeout: float = 280) -> None:
    deadline = time.monotonic() + timeout
    while not (SYNC / name).exists():
        assert time.monotonic() < deadline, f"the other session never wrote {name}"
        time.sleep(0.2)  # waiting for another process, not for a clock


@pytest.fixture(scope="session")
def servers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    tmp_path_factory.getbasetemp()  # as any test run does: the second session wipes the shared basetemp here
    postgres = request.getfixturevalue("postgres")
    broker = request.getfixturevalue("kafka") if WITH_KAFKA else None
    if ROLE == "first":
        (SYNC / "first-ready").write_text(f"{postgres.port}")
        wait_for("second-done")
    yield postgres, broker
    if ROLE == "second":
        (SYNC / "second-done").write_text("")


async def test_postgres_still_serves(servers, databases, tmp_path: Path) -> None:
    postgres, _ = servers
    url = await databases.fresh(load_definition("toezicht"))  # a new database: needs the files on disk
    assert url.startswith(f"postgresql://postgres@127.0.0.1:{postgres.port}/")
    assert (await asyncio.to_thread(postgres.psql, "SELECT count(*) FROM pg_database WHERE datname LIKE 't_toezicht_%'")).strip() != "0"
    await asyncio.to_thread(postgres.psql, "CHECKPOINT")  # writes pg_control and the data files
    (tmp_path / "written").write_text(ROLE)


async def test_kafka_still_serves(servers) -> None:
    _, broker = servers
    if broker is None:
        pytest.skip("Kafka only with ZT_PROBE_KAFKA=1")
    from zorgtoezicht.testing.kafka import produce, read_topic

    topic = f"probe-{uuid.uuid4().hex[:8]}"
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap_servers)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 1, 1)])
    finally:
        await admin.close()
    await produce(broker.bootstrap_servers, topic, ROLE.encode(), key="k")
    records = await read_topic(broker.bootstrap_servers, topic, until=lambda r: len(r) >= 1)
    assert [r.value for r in records] == [ROLE.encode()]
