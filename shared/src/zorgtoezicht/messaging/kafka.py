"""The Kafka side of the bus: an idempotent producer, a consumer loop with manual commits, topics."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable, Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from aiokafka.structs import OffsetAndMetadata, TopicPartition

from zorgtoezicht.events.envelope import Topic, dead_letter_topic
from zorgtoezicht.logs import describe_error
from zorgtoezicht.messaging.bus import Message
from zorgtoezicht.messaging.consumer import MessageProcessor

log = logging.getLogger(__name__)

# Outbox rows per relay batch on Kafka (the relay's default is 200): each batch costs a claim and a mark transaction
# and waits for its last acknowledgement. In benchmarks/keten_latentie.py the relay reached 0.41-0.46 of a raw producer
# on the same records at 200 (marks overlapping or not), 0.48 at 1,000 in turn, 0.62 at 1,000 with each mark
# overlapping the next batch (OutboxRelay.publish_pending). Under a light load batches stay small anyway.
RELAY_BATCH_SIZE = 1000


class KafkaPublisher:
    """Idempotent producer with ``acks=all``: a publish returns once the broker has the records."""

    def __init__(
        self, bootstrap_servers: str, *, client_id: str = "zorgtoezicht", request_timeout_ms: int = 15000, topic_prefix: str = ""
    ) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.topic_prefix = topic_prefix
        self.client_id = client_id
        self.request_timeout_ms = request_timeout_ms
        self._producer: AIOKafkaProducer | None = None
        self._lock = asyncio.Lock()

    async def _ensure(self) -> AIOKafkaProducer:
        async with self._lock:
            if self._producer is None:
                producer = AIOKafkaProducer(
                    bootstrap_servers=self.bootstrap_servers,
                    client_id=self.client_id,
                    enable_idempotence=True,
                    acks="all",
                    linger_ms=2,
                    request_timeout_ms=self.request_timeout_ms,
                )
                try:
                    await producer.start()
                except Exception:
                    with contextlib.suppress(Exception):
                        await producer.stop()
                    raise
                self._producer = producer
            return self._producer

    async def start(self) -> None:
        with contextlib.suppress(Exception):  # the broker may come later; publish retries
            await self._ensure()

    async def stop(self) -> None:
        async with self._lock:
            if self._producer is not None:
                with contextlib.suppress(Exception):
                    await self._producer.stop()
                self._producer = None

    async def is_connected(self) -> bool:
        producer = self._producer
        if producer is None:
            with contextlib.suppress(Exception):
                producer = await asyncio.wait_for(self._ensure(), 2.0)
        if producer is None:
            return False
        return any(True for _ in producer.client.cluster.brokers()) and await _reachable(producer)

    async def publish_many(self, messages: Sequence[Message]) -> None:
        producer = await self._ensure()
        try:
            futures = [
                await producer.send(
                    self.topic_prefix + m.topic,
                    m.value,
                    key=m.key.encode() if m.key is not None else None,
                    headers=list(m.headers),
                )
                for m in messages
            ]
            await asyncio.gather(*futures)
        except Exception:
            # A producer that failed mid-batch is rebuilt, so the next attempt starts clean.
            await self.stop()
            raise


async def _reachable(producer: AIOKafkaProducer) -> bool:
    try:
        return bool(await asyncio.wait_for(producer.client.fetch_all_metadata(), 3.0))
    except Exception:  # noqa: BLE001
        return False


async def ensure_topics(
    bootstrap_servers: str, topics: Iterable[str], *, partitions: int = 3, replication: int = 1, prefix: str = ""
) -> None:
    """Create the topics (and their dead-letter topics) if they do not exist yet."""
    names = sorted({prefix + name for topic in topics for name in (topic, dead_letter_topic(topic))})
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(name, partitions, replication) for name in names if name not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
    finally:
        await admin.close()


def all_topics() -> list[str]:
    return [topic.value for topic in Topic]


class KafkaConsumerLoop:
    """One consumer group on one topic: each poll's records as one batch (in order per partition), commit afterwards."""

    def __init__(self, bootstrap_servers: str, processor: MessageProcessor, *, topic_prefix: str = "") -> None:
        self.bootstrap_servers = bootstrap_servers
        self.topic_prefix = topic_prefix
        self.processor = processor
        self.last_poll: float = 0.0
        self._consumer: AIOKafkaConsumer | None = None
        # The first offset of each partition's records of this poll not yet handled: the position is already past them.
        self._unhandled: dict[TopicPartition, int] = {}
        if processor.metrics is not None:
            processor.metrics.watch_lag(self)

    async def lag(self) -> dict[tuple[str, str, int], int]:
        """Per assigned partition: highwater minus position, where the records of the poll being handled (which the
        position has passed) still count as lag."""
        consumer = self._consumer
        if consumer is None:
            return {}
        report: dict[tuple[str, str, int], int] = {}
        assigned = list(consumer.assignment())
        # The broker's end offsets now: the fetcher's highwater stops moving for a partition whose fetched records
        # wait unhandled (a hanging handler), exactly when the lag matters. Its highwater only if the broker is slow.
        try:
            ends = await asyncio.wait_for(consumer.end_offsets(assigned), 2.0) if assigned else {}
        except Exception:  # noqa: BLE001 - a scrape never fails on the broker: fall back to the fetcher's view
            ends = {}
        for tp in assigned:
            highwater = ends.get(tp, consumer.highwater(tp))
            if highwater is None:  # no fetch answered for this partition yet
                continue
            done = self._unhandled.get(tp)
            if done is None:
                done = await consumer.position(tp)
            report[(self.processor.subscription.consumer, tp.topic.removeprefix(self.topic_prefix), tp.partition)] = highwater - done
        return report

    async def run(self, stop: asyncio.Event) -> None:
        subscription = self.processor.subscription
        while not stop.is_set():
            consumer = AIOKafkaConsumer(
                self.topic_prefix + subscription.topic,
                bootstrap_servers=self.bootstrap_servers,
                group_id=self.topic_prefix + subscription.consumer,
                client_id=subscription.consumer,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                isolation_level="read_committed",
                max_poll_interval_ms=600_000,
            )
            committing: asyncio.Task[None] | None = None
            try:
                await consumer.start()
                self._consumer = consumer
                while not stop.is_set():
                    batches = await consumer.getmany(timeout_ms=250, max_records=200)
                    self.last_poll = time.monotonic()
                    self._unhandled = {partition: records[0].offset for partition, records in batches.items() if records}
                    if not self._unhandled:
                        continue
                    # The whole poll in one transaction (each partition's records in order, partition after partition),
                    # then every partition's offset in one commit: a transaction and a commit per partition made each
                    # record wait for the other partitions' (benchmarks/keten_latentie.py).
                    await self.processor.process_batch(
                        [
                            Message(
                                record.topic.removeprefix(self.topic_prefix),
                                record.key.decode() if record.key is not None else None,
                                record.value or b"",
                                tuple(record.headers or ()),
                                record.partition,
                                record.offset,
                            )
                            for records in batches.values()
                            for record in records
                        ]
                    )
                    # The offsets are committed while the next poll is fetched and handled: waiting for the broker's
                    # answer took a fifth of the loop's time (keten_latentie), and what a lost commit costs is a
                    # redelivery that the inbox skips. One commit in flight at a time, so they land in order; one
                    # that failed (a rebalance) raises here, a poll later, and the loop starts over as before.
                    if committing is not None:
                        await committing
                    committing = asyncio.create_task(
                        consumer.commit(
                            {partition: OffsetAndMetadata(records[-1].offset + 1, "") for partition, records in batches.items() if records}
                        )
                    )
                    self._unhandled = {}
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - broker away or rebalance trouble: reconnect
                log.warning("consumer loop restarts", extra={"consumer": subscription.consumer, "error": describe_error(error)})
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 2.0)
            finally:
                self._consumer, self._unhandled = None, {}
                if committing is not None:  # the last poll's offsets, before the group is left
                    with contextlib.suppress(Exception):
                        await committing
                with contextlib.suppress(Exception):
                    await consumer.stop()
