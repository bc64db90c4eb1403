"""The bus interface, and the in-process bus of the single-process embedded mode.

A ``Message`` is what travels: topic, record key, CloudEvent bytes and headers. The Kafka bus and
the in-process bus offer the same two sides: ``publish_many`` (used by the outbox relay) and
subscriptions (served by the same ``MessageProcessor``: inbox, retries, dead letters).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from zorgtoezicht.events.envelope import CONTENT_TYPE

if TYPE_CHECKING:
    from zorgtoezicht.messaging.consumer import MessageProcessor

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Message:
    topic: str
    key: str | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = (("content-type", CONTENT_TYPE.encode()),)
    partition: int | None = None
    offset: int | None = None


class Publisher(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def publish_many(self, messages: Sequence[Message]) -> None:
        """Deliver all messages durably (in order per key), or raise."""

    async def is_connected(self) -> bool: ...


@dataclass
class InProcessBus:
    """Delivers each published message to every subscribed processor before returning.

    The messages of one ``publish_many`` reach a processor as one batch per topic (``process_batch``).

    Because ``publish_many`` returns only after every consumer committed (or dead-lettered) the
    message, the relay marks an outbox row published only once it is handled: nothing is lost when
    the single process stops, and the inbox makes the redelivery after a crash harmless.
    """

    subscribers: dict[str, list[MessageProcessor]] = field(default_factory=lambda: defaultdict(list))
    dead_letters: list[Message] = field(default_factory=list)
    _offsets: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # (consumer, topic) → the offset after the last message it processed: its lag is the topic's offset minus this
    _positions: dict[tuple[str, str], int] = field(default_factory=dict)

    def subscribe(self, processor: MessageProcessor) -> None:
        self.subscribers[processor.subscription.topic].append(processor)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def is_connected(self) -> bool:
        return True

    async def publish_many(self, messages: Sequence[Message]) -> None:
        # Each subscriber gets its topic's messages of this publish as one batch, in order (as one Kafka
        # partition's poll): one transaction for the lot, one by one if that fails.
        per_topic: dict[str, list[Message]] = defaultdict(list)
        for message in messages:
            if message.topic.endswith(".dlq"):
                self.dead_letters.append(message)
                continue
            offset = self._offsets[message.topic]
            self._offsets[message.topic] = offset + 1
            per_topic[message.topic].append(Message(message.topic, message.key, message.value, message.headers, 0, offset))
        for topic, delivered in per_topic.items():
            for processor in self.subscribers.get(topic, ()):
                await processor.process_batch(delivered)
                self._positions[(processor.subscription.consumer, topic)] = delivered[-1].offset + 1  # type: ignore[operator]

    async def lag(self, consumers: set[str] | None = None) -> dict[tuple[str, str, int], int]:
        """Messages published but not yet processed, per (consumer, topic, 0) — as Kafka's lag, on one partition."""
        return {
            (processor.subscription.consumer, topic, 0): self._offsets[topic]
            - self._positions.get((processor.subscription.consumer, topic), 0)
            for topic, processors in self.subscribers.items()
            for processor in processors
            if consumers is None or processor.subscription.consumer in consumers
        }
