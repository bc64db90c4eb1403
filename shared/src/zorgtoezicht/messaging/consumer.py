"""Consuming events: the inbox makes redelivery harmless, bounded retries, then the dead-letter topic.

Per message, in one database transaction: insert ``(consumer, event id)`` into the inbox
(``ON CONFLICT DO NOTHING``); if it was new, run the handler. The transaction commits before the
bus offset is committed, so a crash in between only causes a redelivery that the inbox ignores.

Keeping up: the records of one poll of one partition are handled together (``process_batch``) in one
transaction, one inbox statement and one commit for up to ``max_batch`` events, each handler still with
its own actor and correlation id. Whatever makes that batch fail rolls it back, and its messages are
then processed one by one as above: a message that keeps failing is retried and dead-lettered alone,
the others commit.

A message that cannot be parsed, has an unknown type for this subscription's contracts, or keeps
failing after ``max_attempts`` goes to ``<topic>.dlq`` (Kafka) and the ``dead_letter`` table, with
its error; the partition moves on. A database outage is not the message's fault: those errors are
retried without limit instead of dead-lettering good messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Table, insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from zorgtoezicht import klok, tracing
from zorgtoezicht.audit import Actor
from zorgtoezicht.db import Database, database_away
from zorgtoezicht.events.envelope import CloudEvent, EventData, contract_for, dead_letter_topic
from zorgtoezicht.logs import correlated, describe_error
from zorgtoezicht.messaging.bus import Message, Publisher
from zorgtoezicht.metrics import DeadLetterReason, ServiceMetrics
from zorgtoezicht.werk import Werk

log = logging.getLogger(__name__)


class Afronding:
    """Work a handler defers to the end of its transaction, once for all events of a batch.

    A handler adds an item under a key to a group (``groep(functie)[key] = item``); after the last handler of the
    transaction, and before it commits, each group's ``functie`` runs once with all its items (in the order their
    keys were first added). So ten events about one provider in a poll rescore it once, and a hundred providers are
    rescored with a few statements. If it fails the transaction rolls back like a failing handler: the batch is
    retried event by event, where each event's transaction has its own ``Afronding``.
    """

    def __init__(self) -> None:
        self._groepen: dict[Callable[[dict[Any, Any]], Awaitable[None]], dict[Any, Any]] = {}

    def groep(self, functie: Callable[[dict[Any, Any]], Awaitable[None]]) -> dict[Any, Any]:
        return self._groepen.setdefault(functie, {})

    async def voer_uit(self) -> None:
        while self._groepen:  # a group's function may add to another group: run until nothing is left
            functie = next(iter(self._groepen))
            await functie(self._groepen.pop(functie))


@dataclass(frozen=True)
class HandlerContext(Werk):
    """What a handler gets: its service's unit of work in the inbox's transaction, acted by the system on behalf of
    the event (the actor names the consumer, the event's type and id, and its correlation id), the event, and the
    transaction's deferred work (shared by every event of a batch)."""

    event: CloudEvent
    afronding: Afronding = field(default_factory=Afronding)


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
    """The message itself is wrong: retrying cannot help. ``reason`` is its code for metrics (no free text)."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(text)
        self.reason = reason


@dataclass(frozen=True)
class _Parsed:
    """A message read and checked against its contract, ready for its handler."""

    message: Message
    event: CloudEvent
    event_id: uuid.UUID
    data: EventData
    handler: Handler


@dataclass
class MessageProcessor:
    subscription: Subscription
    db: Database
    inbox: Table
    dead_letters: Table
    werk: Callable[[AsyncSession, Actor], Werk]  # the service's unit of work, built here so no handler goes without it
    publisher: Publisher | None = None  # where dead letters go on Kafka; None in embedded mode
    stats: dict[str, int] = field(default_factory=lambda: {"handled": 0, "duplicates": 0, "ignored": 0, "dead": 0})
    max_batch: int = 200  # events per transaction in process_batch: bounds the transaction's length and locks
    batches: dict[str, int] = field(default_factory=lambda: {"committed": 0, "fell_back": 0})
    metrics: ServiceMetrics | None = None  # the runtime's: handler durations, duplicates, dead letters

    async def process_batch(self, messages: Sequence[Message]) -> None:
        """The messages of one poll, in order per partition: in one transaction per ``max_batch`` events.

        Each message is read and checked first; one that cannot be read or does not match its contract
        is dead-lettered alone (it touches no state, so its place in the order does not matter). The
        others share one transaction: one inbox statement skips the events handled before (also an event
        that occurs twice in this batch), then each new event's handler runs with its own actor and
        correlation id in the shared session, and the batch commits once. If a handler fails, the batch
        rolls back and its messages go through ``process`` one by one, so the failing one is retried and
        dead-lettered alone. A database outage is waited out and the batch tried again.
        """
        for start in range(0, len(messages), max(1, self.max_batch)):
            await self._process_chunk(messages[start : start + max(1, self.max_batch)])

    async def _process_chunk(self, messages: Sequence[Message]) -> None:
        if len(messages) == 1:
            await self.process(messages[0])
            return
        parsed: list[_Parsed] = []
        for message in messages:
            try:
                found = self._parse(message)
            except PoisonMessage as error:
                await self._dead_letter(message, str(error), error.reason)
                continue
            if found is None:
                self.stats["ignored"] += 1
            else:
                parsed.append(found)
        if len(parsed) <= 1:  # nothing to share a transaction with: exactly the one-by-one path
            for item in parsed:
                await self.process(item.message)
            return
        delay = self.subscription.initial_backoff
        outcome: tuple[list[_Parsed], list[_Parsed]] | None = None
        while outcome is None:
            try:
                outcome = await self._handle_together(parsed)
            except Exception as error:  # noqa: BLE001 - the batch rolled back: wait for the database, or split it up
                if not database_away(error):
                    self.batches["fell_back"] += 1
                    log.warning(
                        "batch failed, processing its messages one by one",
                        extra={**self._where(parsed[0].message, error), "messages": len(parsed)},
                    )
                    break
                log.warning("consumer waits for its database", extra=self._where(parsed[0].message, error))
                await asyncio.sleep(min(delay, 5.0))
                delay *= 2
        if outcome is None:
            # Outside the except block, so that a message's own failure is not described as caused by the batch's.
            for item in parsed:
                await self.process(item.message)
            return
        handled, duplicates = outcome
        self.batches["committed"] += 1
        self.stats["handled"] += len(handled)
        for item in handled if self.metrics is not None else ():
            self.metrics.events_handled.labels(self.subscription.consumer, item.event.type).inc()
        self.stats["duplicates"] += len(duplicates)
        if self.metrics is not None and duplicates:
            self.metrics.inbox_duplicates.labels(self.subscription.consumer).inc(len(duplicates))
        for item in duplicates:
            log.info("duplicate event ignored", extra={"consumer": self.subscription.consumer, "eventId": item.event.id})
        for item in handled:
            with correlated(item.event.correlationid):
                log.info(
                    "event handled",
                    extra={
                        "consumer": self.subscription.consumer,
                        "eventType": item.event.type,
                        "eventId": item.event.id,
                        "subject": item.event.subject,
                    },
                )

    async def _handle_together(self, parsed: list[_Parsed]) -> tuple[list[_Parsed], list[_Parsed]]:
        """One transaction: the inbox rows in one statement, then each new event's handler; raises to roll back."""
        handled: list[_Parsed] = []
        duplicates: list[_Parsed] = []
        async with self.db.transaction() as session:
            rows = {
                item.event_id: {"consumer": self.subscription.consumer, "event_id": item.event_id, "event_type": item.event.type}
                for item in parsed
            }
            # Parameters beside the statement (insertmanyvalues: one round trip still), not a multi-row VALUES
            # in it: SQLAlchemy cannot cache that and compiled it anew for every poll.
            inserted = await session.execute(
                pg_insert(self.inbox).on_conflict_do_nothing().returning(self.inbox.c.event_id), list(rows.values())
            )
            new = {row[0] for row in inserted}
            afronding = Afronding()
            for item in parsed:
                if item.event_id not in new:
                    duplicates.append(item)
                    continue
                new.discard(item.event_id)  # a second copy in this batch is a duplicate
                with correlated(item.event.correlationid), self._traced(item):
                    await self._run_handler(session, item, afronding)
                handled.append(item)
            # The deferred work serves every event of the batch; its events carry the last one's trace.
            with self._traced(handled[-1]) if handled else contextlib.nullcontext():
                await afronding.voer_uit()
        return handled, duplicates

    async def process(self, message: Message) -> None:
        attempt = 0
        delay = self.subscription.initial_backoff
        while True:
            attempt += 1
            try:
                await self._handle(message)
                return
            except PoisonMessage as error:
                await self._dead_letter(message, str(error), error.reason)
                return
            except Exception as error:  # noqa: BLE001 - any handler failure is retried, then dead-lettered
                if database_away(error):
                    # The database is away: wait for it, the message is not to blame.
                    log.warning("consumer waits for its database", extra=self._where(message, error))
                    await asyncio.sleep(min(delay, 5.0))
                    delay *= 2
                    attempt -= 1
                    continue
                if attempt >= self.subscription.max_attempts:
                    await self._dead_letter(message, describe_error(error), DeadLetterReason.HANDLER)
                    return
                log.warning("handler failed, retrying", extra={**self._where(message, error), "attempt": attempt})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    def _parse(self, message: Message) -> _Parsed | None:
        """The message as its contract's data and handler; None if this subscription has no handler for its type."""
        try:
            event = CloudEvent.from_bytes(message.value)
        except (ValidationError, ValueError) as error:
            raise PoisonMessage(f"not a CloudEvent: {_short(error)}", DeadLetterReason.UNREADABLE) from error
        found = self.subscription.handler_for(event.type)
        if found is None:
            return None
        contract, handler = found
        try:
            data = contract.model_validate(event.data)
        except ValidationError as error:
            raise PoisonMessage(f"data does not match {event.type}: {_short(error)}", DeadLetterReason.CONTRACT) from error
        return _Parsed(message, event, uuid.UUID(event.id), data, handler)

    async def _run_handler(self, session: AsyncSession, item: _Parsed, afronding: Afronding) -> None:
        event = item.event
        actor = Actor.door_gebeurtenis(self.subscription.consumer, event.type, event.id, event.correlationid)
        werk = self.werk(session, actor)
        context = HandlerContext(**{f.name: getattr(werk, f.name) for f in fields(Werk)}, event=event, afronding=afronding)
        started = time.perf_counter()
        await item.handler(context, item.data)
        if self.metrics is not None:
            # Counted when it ran: a batch that rolls back afterwards runs its handlers again, one by one.
            self.metrics.observe_handler(self.subscription.consumer, event.type, time.perf_counter() - started)

    def _traced(self, item: _Parsed):
        """The event's handling in the trace its ``traceparent`` header carries (a no-op unless tracing is on)."""
        name = f"{self.subscription.consumer} {item.event.type}"
        return tracing.span(name, item.message.headers, tracing.SpanKind.CONSUMER, item.event.correlationid)

    async def _handle(self, message: Message) -> None:
        item = self._parse(message)
        if item is None:
            self.stats["ignored"] += 1
            return
        event = item.event
        with correlated(event.correlationid):
            async with self.db.transaction() as session:
                inserted = await session.execute(
                    pg_insert(self.inbox)
                    .values(consumer=self.subscription.consumer, event_id=item.event_id, event_type=event.type)
                    .on_conflict_do_nothing()
                    .returning(self.inbox.c.event_id)
                )
                if inserted.first() is None:
                    self.stats["duplicates"] += 1
                    if self.metrics is not None:
                        self.metrics.inbox_duplicates.labels(self.subscription.consumer).inc()
                    log.info("duplicate event ignored", extra={"consumer": self.subscription.consumer, "eventId": event.id})
                    return
                afronding = Afronding()
                with self._traced(item):
                    await self._run_handler(session, item, afronding)
                    await afronding.voer_uit()
            self.stats["handled"] += 1
            if self.metrics is not None:
                self.metrics.events_handled.labels(self.subscription.consumer, event.type).inc()
            log.info(
                "event handled",
                extra={"consumer": self.subscription.consumer, "eventType": event.type, "eventId": event.id, "subject": event.subject},
            )

    async def _dead_letter(self, message: Message, error: str, reason: str) -> None:
        self.stats["dead"] += 1
        if self.metrics is not None:
            self.metrics.dead_letters.labels(self.subscription.consumer, self.subscription.topic, reason).inc()
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
