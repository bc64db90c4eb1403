"""Consuming events: the inbox makes redelivery harmless, bounded retries, then the dead-letter topic.

Per message, in one database transaction: insert ``(consumer, event id)`` into the inbox
(``ON CONFLICT DO NOTHING``); if it was new, run the handler. The transaction commits before the
bus offset is committed, so a crash in between only causes a redelivery that the inbox ignores.

A message that cannot be parsed, has an unknown type for this subscription's contracts, or keeps
failing after ``max_attempts`` goes to ``<topic>.dlq`` (Kafka) and the ``dead_letter`` table, with
its error; the partition moves on. A database outage is not the message's fault: those errors are
retried without limit instead of dead-lettering good messages.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, fields
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Table, insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from zorgtoezicht import klok
from zorgtoezicht.audit import Actor
from zorgtoezicht.db import Database
from zorgtoezicht.events.envelope import CloudEvent, EventData, contract_for, dead_letter_topic
from zorgtoezicht.logs import correlated, describe_error
from zorgtoezicht.messaging.bus import Message, Publisher
from zorgtoezicht.werk import Werk

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HandlerContext(Werk):
    """What a handler gets: its service's unit of work in the inbox's transaction, acted by the system on behalf of
    the event (the actor names the consumer, the event's type and id, and its correlation id), and the event."""

    event: CloudEvent


Handler = Callable[[HandlerContext, Any], Awaitable[None]]


@dataclass
class Subscription:
    """One consumer (a Kafka consumer group) of one topic, with a handler per event contract."""

    consumer: str
    topic: str
    handlers: dict[type[EventData], Handler]
    max_attempts: int = 5
    initial_backoff: float = 0.1

    def handler_for(self, event_type: str) -> tuple[type[EventData], Handler] | None:
        contract = contract_for(event_type)
        if contract is None or contract not in self.handlers:
            return None
        return contract, self.handlers[contract]


class PoisonMessage(Exception):
    """The message itself is wrong: retrying cannot help."""


@dataclass
class MessageProcessor:
    subscription: Subscription
    db: Database
    inbox: Table
    dead_letters: Table
    werk: Callable[[AsyncSession, Actor], Werk]  # the service's unit of work, built here so no handler goes without it
    publisher: Publisher | None = None  # where dead letters go on Kafka; None in embedded mode
    stats: dict[str, int] = field(default_factory=lambda: {"handled": 0, "duplicates": 0, "ignored": 0, "dead": 0})

    async def process(self, message: Message) -> None:
        attempt = 0
        delay = self.subscription.initial_backoff
        while True:
            attempt += 1
            try:
                await self._handle(message)
                return
            except PoisonMessage as error:
                await self._dead_letter(message, str(error))
                return
            except (OperationalError, InterfaceError, OSError, ConnectionError) as error:
                # The database is away: wait for it, the message is not to blame.
                log.warning("consumer waits for its database", extra=self._where(message, error))
                await asyncio.sleep(min(delay, 5.0))
                delay *= 2
                attempt -= 1
            except Exception as error:  # noqa: BLE001 - any handler failure is retried, then dead-lettered
                if attempt >= self.subscription.max_attempts:
                    await self._dead_letter(message, describe_error(error))
                    return
                log.warning("handler failed, retrying", extra={**self._where(message, error), "attempt": attempt})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _handle(self, message: Message) -> None:
        try:
            event = CloudEvent.from_bytes(message.value)
        except (ValidationError, ValueError) as error:
            raise PoisonMessage(f"not a CloudEvent: {_short(error)}") from error
        found = self.subscription.handler_for(event.type)
        if found is None:
            self.stats["ignored"] += 1
            return
        contract, handler = found
        try:
            data = contract.model_validate(event.data)
        except ValidationError as error:
            raise PoisonMessage(f"data does not match {event.type}: {_short(error)}") from error
        with correlated(event.correlationid):
            async with self.db.transaction() as session:
                inserted = await session.execute(
                    pg_insert(self.inbox)
                    .values(consumer=self.subscription.consumer, event_id=uuid.UUID(event.id), event_type=event.type)
                    .on_conflict_do_nothing()
                    .returning(self.inbox.c.event_id)
                )
                if inserted.first() is None:
                    self.stats["duplicates"] += 1
                    log.info("duplicate event ignored", extra={"consumer": self.subscription.consumer, "eventId": event.id})
                    return
                actor = Actor.door_gebeurtenis(self.subscription.consumer, event.type, event.id, event.correlationid)
                werk = self.werk(session, actor)
                await handler(HandlerContext(**{f.name: getattr(werk, f.name) for f in fields(Werk)}, event=event), data)
            self.stats["handled"] += 1
            log.info(
                "event handled",
                extra={"consumer": self.subscription.consumer, "eventType": event.type, "eventId": event.id, "subject": event.subject},
            )

    async def _dead_letter(self, message: Message, error: str) -> None:
        self.stats["dead"] += 1
        log.error("message dead-lettered", extra={**self._where(message), "error": error[:500]})
        recorded, parked = False, self.publisher is None
        while not (recorded and parked):
            try:
                if not recorded:
                    async with self.db.transaction() as session:
                        await session.execute(
                            insert(self.dead_letters).values(
                                consumer=self.subscription.consumer,
                                topic=message.topic,
                                partition=message.partition,
                                offset=message.offset,
                                record_key=message.key,
                                payload=message.value,
                                error=error[:4000],
                            )
                        )
                    recorded = True
                if not parked:
                    assert self.publisher is not None
                    headers = (
                        *message.headers,
                        ("dlq-error", error[:4000].encode()),
                        ("dlq-consumer", self.subscription.consumer.encode()),
                        ("dlq-source-topic", message.topic.encode()),
                        ("dlq-source-partition", str(message.partition).encode()),
                        ("dlq-source-offset", str(message.offset).encode()),
                        ("dlq-failed-at", klok.nu().isoformat().encode()),
                    )
                    await self.publisher.publish_many([Message(dead_letter_topic(message.topic), message.key, message.value, headers)])
                    parked = True
            except Exception as failure:  # noqa: BLE001 - never drop a message: keep trying to park it
                log.warning("could not dead-letter yet", extra={**self._where(message), "error": describe_error(failure)})
                await asyncio.sleep(1.0)

    def _where(self, message: Message, error: BaseException | None = None) -> dict[str, Any]:
        where: dict[str, Any] = {
            "consumer": self.subscription.consumer,
            "topic": message.topic,
            "partition": message.partition,
            "offset": message.offset,
        }
        if error is not None:
            where["error"] = describe_error(error)
        return where


def _short(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in error.errors()[:10])
    return str(error)[:500]
