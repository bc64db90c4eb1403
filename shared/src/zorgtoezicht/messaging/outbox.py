"""Transactional outbox: events are rows written in the same transaction as the state change,
and a relay publishes them afterwards.

The relay claims a batch with ``FOR UPDATE SKIP LOCKED`` and a lease (token + expiry) in one statement
(its own transaction), publishes outside it, then marks the rows published only if it still holds the lease.
A relay that dies between claim and mark loses nothing: the lease expires and any relay publishes the
rows again (at least once; the consumers' inbox removes the double).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import asyncpg
from sqlalchemy import Table, and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from zorgtoezicht import klok, tracing
from zorgtoezicht.db import Database
from zorgtoezicht.events.envelope import CONTENT_TYPE, CloudEvent, EventData, EventFactory
from zorgtoezicht.logs import current_correlation_id, describe_error
from zorgtoezicht.messaging.bus import Message, Publisher
from zorgtoezicht.metrics import ServiceMetrics

log = logging.getLogger(__name__)


class Outbox:
    """What service code uses to emit an event: ``await outbox.add(session, SomethingHappened(...))``."""

    def __init__(self, table: Table, factory: EventFactory) -> None:
        self.table = table
        self.factory = factory

    async def add(self, session: AsyncSession, data: EventData) -> CloudEvent:
        return (await self.add_all(session, [data]))[0]

    async def add_all(self, session: AsyncSession, items: Sequence[EventData]) -> list[CloudEvent]:
        """Several events of one change in one statement (one round trip), in this order."""
        events, rows = self.rows(items)
        await self.insert(session, rows)
        return events

    def rows(self, items: Sequence[EventData]) -> tuple[list[CloudEvent], list[dict[str, Any]]]:
        """The events and their outbox rows, not yet written: for a group of changes written at once
        (``insert``). The correlation id is the current one, so build each change's rows in its own."""
        correlation = current_correlation_id()
        traceparent = tracing.traceparent(correlation)
        events = [self.factory.build(data, correlation_id=correlation, traceparent=traceparent) for data in items]
        rows = [
            {
                "event_id": uuid.UUID(event.id),
                "event_type": event.type,
                "topic": data.topic.value,
                "record_key": data.subject,
                "payload": event.to_bytes(),
            }
            for event, data in zip(events, items, strict=True)
        ]
        return events, rows

    async def insert(self, session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
        """Write outbox rows from ``rows`` in one statement; the relay publishes them in this order."""
        if rows:  # executemany: one cached statement whatever the number of rows
            await session.execute(insert(self.table), list(rows))


@dataclass(frozen=True, slots=True)
class ClaimedRow:
    id: int
    topic: str
    record_key: str
    payload: bytes


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        table: Table,
        publisher: Publisher,
        *,
        batch_size: int = 200,
        lease: timedelta = timedelta(seconds=30),
        poll_interval: float = 1.0,
        name: str = "relay",
        metrics: ServiceMetrics | None = None,
    ) -> None:
        self.db = db
        self.table = table
        self.publisher = publisher
        self.batch_size = batch_size
        self.lease = lease
        self.poll_interval = poll_interval
        self.name = name
        self.metrics = metrics
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def claim(self) -> tuple[uuid.UUID, list[ClaimedRow]]:
        """Lease the oldest unpublished rows that no live lease holds; commits before returning."""
        t = self.table
        token = uuid.uuid4()
        nu = klok.nu()  # leases are judged by the platform clock (tests move it instead of waiting a lease out)
        candidates = (
            select(t.c.id)
            .where(t.c.published_at.is_(None), or_(t.c.lease_until.is_(None), t.c.lease_until < nu))
            .order_by(t.c.id)
            .limit(self.batch_size)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        # One statement, its own transaction: committed when it returns (no BEGIN and COMMIT round trips).
        result = await self.db.statement(
            update(t)
            .where(t.c.id.in_(candidates))
            .values(lease_token=token, lease_until=nu + self.lease, attempts=t.c.attempts + 1)
            .returning(t.c.id, t.c.topic, t.c.record_key, t.c.payload)
        )
        rows = sorted((ClaimedRow(*row) for row in result), key=lambda row: row.id)
        return token, rows

    async def mark_published(self, token: uuid.UUID, rows: Sequence[ClaimedRow]) -> int:
        t = self.table
        published = {"published_at": func.now(), "lease_token": None, "lease_until": None, "last_error": None}
        result = await self.db.statement(update(t).where(_claimed_by(t, token, rows)).values(**published))
        return result.rowcount

    async def release(self, token: uuid.UUID, rows: Sequence[ClaimedRow], error: str) -> None:
        """Give a failed batch back at once (instead of waiting for the lease to run out)."""
        await self._give_back(token, rows, last_error=error[:2000])

    async def unclaim(self, token: uuid.UUID, rows: Sequence[ClaimedRow]) -> None:
        """Give back a batch that was claimed but never sent, as it was: no lease, the attempt not counted."""
        if rows:
            await self._give_back(token, rows, attempts=self.table.c.attempts - 1)

    async def _give_back(self, token: uuid.UUID, rows: Sequence[ClaimedRow], **values: Any) -> None:
        t = self.table
        await self.db.statement(update(t).where(_claimed_by(t, token, rows)).values(lease_token=None, lease_until=None, **values))

    async def run_once(self) -> int:
        """Publish one batch and mark it; returns how many rows were published."""
        token, rows = await self.claim()
        if not rows:
            return 0
        await self._publish(token, rows)
        await self._mark(token, rows)
        return len(rows)

    async def publish_pending(self) -> int:
        """Publish batch after batch until a claim comes back short; returns how many rows were published.

        The database's work runs beside the broker's: while a batch is published, the next one is claimed and the
        previous one marked. The next batch is sent only once this one is acknowledged, so the order of the records
        holds, and at most one claim and one mark are in flight. When a publish fails, its batch and the batch
        claimed ahead are both given back, so that no later row overtakes them; a lost mark means its rows are
        published again when their lease runs out, as before.
        """
        total = 0
        marking: asyncio.Task[None] | None = None
        ahead: asyncio.Task[tuple[uuid.UUID, list[ClaimedRow]]] | None = None
        try:
            token, rows = await self.claim()
            while rows:
                ahead = asyncio.create_task(self.claim()) if len(rows) == self.batch_size else None
                await self._publish(token, rows)
                if marking is not None:
                    await marking
                marking = asyncio.create_task(self._mark(token, rows))
                total += len(rows)
                if ahead is None:
                    break
                token, rows = await ahead
                ahead = None
        finally:
            if ahead is not None:  # the publish failed (or we were cancelled): give the batch claimed ahead back
                with contextlib.suppress(Exception):
                    await self.unclaim(*(await ahead))
            if marking is not None:
                await marking
        return total

    async def _publish(self, token: uuid.UUID, rows: Sequence[ClaimedRow]) -> None:
        messages = [Message(row.topic, row.record_key, row.payload, _headers(row.payload)) for row in rows]
        try:
            await self.publisher.publish_many(messages)
        except Exception as error:
            log.warning("relay could not publish", extra={"relay": self.name, "rows": len(rows), "error": describe_error(error)})
            with contextlib.suppress(Exception):
                await self.release(token, rows, describe_error(error))
            raise

    async def _mark(self, token: uuid.UUID, rows: Sequence[ClaimedRow]) -> None:
        await self.mark_published(token, rows)
        if self.metrics is not None:
            self.metrics.relay_published.labels(self.name).inc(len(rows))

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until ``stop`` is set: at once while there is work, woken by NOTIFY, else polling."""
        listener = asyncio.create_task(self._listen(stop))
        backoff = 0.2
        try:
            while not stop.is_set():
                # Cleared before the claim: a NOTIFY that comes while a batch is on its way wakes the next round at once.
                self._wake.clear()
                try:
                    await self.publish_pending()
                    backoff = 0.2
                except Exception as error:  # noqa: BLE001 - database or broker away: back off, retry
                    if self.metrics is not None:
                        self.metrics.relay_errors.labels(self.name).inc()
                    log.warning("relay cycle failed", extra={"relay": self.name, "error": describe_error(error)})
                    await _sleep_or_stop(stop, backoff)
                    backoff = min(backoff * 2, 5.0)
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(_first(self._wake.wait(), stop.wait()), self.poll_interval)
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await listener

    async def _listen(self, stop: asyncio.Event) -> None:
        """LISTEN outbox on a dedicated connection; reconnects, and polling covers any gap."""
        dsn = self.db.url.replace("postgresql+asyncpg://", "postgresql://")
        while not stop.is_set():
            try:
                connection = await asyncpg.connect(dsn)
                try:
                    await connection.add_listener("outbox", lambda *_: self._wake.set())
                    await stop.wait()
                finally:
                    await connection.close()
            except Exception:  # noqa: BLE001 - notifications are an optimisation only
                await _sleep_or_stop(stop, 2.0)


def _claimed_by(t: Table, token: uuid.UUID, rows: Sequence[ClaimedRow]):
    """The rows of one claim: its token within its range of ids (two parameters and a primary-key range scan, where a
    list of every id cost a parameter a row)."""
    return and_(t.c.id.between(min(row.id for row in rows), max(row.id for row in rows)), t.c.lease_token == token)


_CONTENT_TYPE_HEADER = ("content-type", CONTENT_TYPE.encode())


def _headers(payload: bytes) -> tuple[tuple[str, bytes], ...]:
    """The record's headers: its content type, and when tracing is on the event's traceparent (W3C, as Kafka header)."""
    if tracing.enabled() and (traceparent := json.loads(payload).get(tracing.HEADER)):
        return (_CONTENT_TYPE_HEADER, (tracing.HEADER, traceparent.encode()))
    return (_CONTENT_TYPE_HEADER,)


async def _first(*aws) -> None:
    tasks = [asyncio.ensure_future(aw) for aw in aws]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
