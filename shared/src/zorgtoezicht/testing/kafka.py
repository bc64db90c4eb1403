"""Reading and writing raw records on the real test broker, to observe what the services do."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import ConsumerRecord


async def produce(
    bootstrap: str, topic: str, value: bytes, *, key: str | None = None, headers: list[tuple[str, bytes]] | None = None
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=key.encode() if key else None, headers=headers or [])
    finally:
        await producer.stop()


async def read_topic(
    bootstrap: str, topic: str, *, until: Callable[[list[ConsumerRecord]], bool], timeout: float = 30.0
) -> list[ConsumerRecord]:
    """Read a topic from the beginning (a fresh group) until ``until(records)`` holds or time runs out."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=f"observer-{uuid.uuid4()}", auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    records: list[ConsumerRecord] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and not until(records):
            batches = await consumer.getmany(timeout_ms=300)
            for batch in batches.values():
                records.extend(batch)
    finally:
        await consumer.stop()
    return records


async def eventually(check: Callable[[], object], *, timeout: float = 30.0, interval: float = 0.2) -> object:
    """Poll an async or sync check until it returns a truthy value; fail with its last value."""
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        last = check()
        if asyncio.iscoroutine(last):
            last = await last
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s (last value: {last!r})")
