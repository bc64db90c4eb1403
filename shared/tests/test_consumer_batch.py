"""The consumer's batch path on a real PostgreSQL: one poll's events in one transaction, duplicates skipped,
a failing event retried and dead-lettered alone, a database outage waited out (issue 9, acceptance 9)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence

import pytest
from sqlalchemy import BigInteger, Column, Identity, Table, Text, select, text

from zorgtoezicht.audit import AuditTrail, add_audit_table
from zorgtoezicht.db import Database, new_metadata
from zorgtoezicht.events.contracts.meldpunt import MeldingOntvangen
from zorgtoezicht.events.envelope import CloudEvent, EventFactory, Topic
from zorgtoezicht.logs import current_correlation_id
from zorgtoezicht.messaging.bus import InProcessBus, Message
from zorgtoezicht.messaging.consumer import HandlerContext, MessageProcessor, Subscription
from zorgtoezicht.messaging.outbox import Outbox
from zorgtoezicht.messaging.tables import add_platform_tables
from zorgtoezicht.termijnbewaking import Termijnen, add_termijn_table
from zorgtoezicht.werk import Werk

FACTORY = EventFactory(oin="00000001234567890000", system="meldpunt", api_base_url="http://meldpunt.test/api/v1")


class Geweigerd(RuntimeError):
    """This test's handler refuses one event, every time."""


class Verzamelaar:
    """A publisher that keeps what is dead-lettered (the Kafka path is covered in tests/test_kafka_delivery.py)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def is_connected(self) -> bool:
        return True

    async def publish_many(self, messages: Sequence[Message]) -> None:
        self.messages.extend(messages)


class Omgeving:
    def __init__(self, db: Database) -> None:
        metadata = new_metadata()
        outbox_table, self.inbox, self.dead_letters = add_platform_tables(metadata)
        self.gezien = Table(
            "gezien",
            metadata,
            Column("volgorde", BigInteger, Identity(), primary_key=True),
            Column("event_id", Text, nullable=False),
            Column("txid", BigInteger, nullable=False),
            Column("eerder_gezien", BigInteger, nullable=False),  # rows this handler saw before its own
            Column("actor", Text, nullable=False),
            Column("correlatie", Text, nullable=True),
        )
        self.metadata = metadata
        self.db = db
        self.outbox = Outbox(outbox_table, FACTORY)
        self.audit = AuditTrail(add_audit_table(metadata), "test", "http://test/api/v1")
        self.termijnen = Termijnen(add_termijn_table(metadata))
        self.weigert: set[str] = set()  # event ids whose handler raises every time
        self.uitval: dict[str, int] = {}  # event id -> how many times its handler takes the database connection down
        self.dlq = Verzamelaar()
        subscription = Subscription(
            "test.meldingen", Topic.meldingen.value, {MeldingOntvangen: self.handler}, max_attempts=2, initial_backoff=0.01
        )
        self.processor = MessageProcessor(subscription, db, self.inbox, self.dead_letters, self.werk, self.dlq)

    def werk(self, session, actor) -> Werk:
        return Werk(session, self.outbox, self.audit, actor, self.termijnen)

    async def handler(self, werk: HandlerContext, data: MeldingOntvangen) -> None:
        session = werk.session
        if self.uitval.get(werk.event.id, 0) > 0:
            self.uitval[werk.event.id] -= 1
            # A real outage of this connection: the server ends it under the transaction.
            await session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
        if werk.event.id in self.weigert:
            raise Geweigerd(f"handler refuses melding {data.melding_id}")
        eerder = await session.scalar(select(text("count(*)")).select_from(self.gezien))
        txid = await session.scalar(text("SELECT txid_current()"))
        await session.execute(
            self.gezien.insert().values(
                event_id=werk.event.id, txid=txid, eerder_gezien=eerder, actor=werk.actor.toelichting, correlatie=current_correlation_id()
            )
        )

    async def rows(self, query: str) -> list[tuple]:
        async with self.db.transaction() as session:
            return [tuple(r) for r in await session.execute(text(query))]


@pytest.fixture
async def omgeving(postgres, unique) -> AsyncIterator[Omgeving]:
    name = f"consumer_{unique}"
    postgres.ensure_database(name)
    db = Database(postgres.url(name))
    o = Omgeving(db)
    async with db.engine.begin() as connection:
        await connection.run_sync(o.metadata.create_all)
    yield o
    await db.dispose()


def event(correlatie: str | None = None) -> CloudEvent:
    data = MeldingOntvangen(
        melding_id=uuid.uuid4(),
        zorgaanbieder_id=uuid.uuid4(),
        vestigingsnummer="000038509504",
        soort="signaal",
        ontvangen_op="2026-11-23T10:00:00Z",
    )
    return FACTORY.build(data, correlation_id=correlatie or str(uuid.uuid4()))


def messages(events: Sequence[CloudEvent | bytes], start: int = 0) -> list[Message]:
    return [
        Message(Topic.meldingen.value, None, e if isinstance(e, bytes) else e.to_bytes(), partition=0, offset=start + i)
        for i, e in enumerate(events)
    ]


async def test_a_batch_commits_in_one_transaction_each_event_with_its_own_actor_and_correlation(omgeving):
    events = [event() for _ in range(25)]
    await omgeving.processor.process_batch(messages(events))

    rows = await omgeving.rows("SELECT event_id, txid, eerder_gezien, actor, correlatie FROM gezien ORDER BY volgorde")
    assert [r[0] for r in rows] == [e.id for e in events]  # in offset order
    assert len({r[1] for r in rows}) == 1  # one transaction: per message, there would be 25
    assert [r[2] for r in rows] == list(range(25))  # each handler sees the earlier ones' uncommitted rows
    for (event_id, _, _, actor, correlatie), e in zip(rows, events, strict=True):
        assert event_id in actor and "nl.zorgtoezicht.meldingen.melding-ontvangen" in actor
        assert correlatie == e.correlationid
    assert len({r[4] for r in rows}) == 25
    # the inbox rows were written in that same transaction
    assert await omgeving.rows("SELECT count(DISTINCT xmin::text), count(*) FROM inbox") == [(1, 25)]
    assert omgeving.processor.stats == {"handled": 25, "duplicates": 0, "ignored": 0, "dead": 0}
    assert omgeving.processor.batches == {"committed": 1, "fell_back": 0}


async def test_max_batch_bounds_the_events_per_transaction(omgeving):
    omgeving.processor.max_batch = 10
    await omgeving.processor.process_batch(messages([event() for _ in range(25)]))
    assert await omgeving.rows("SELECT count(DISTINCT txid), count(*) FROM gezien") == [(3, 25)]  # 10 + 10 + 5


async def test_duplicates_within_and_across_batches_are_handled_once(omgeving):
    a, b, c = event(), event(), event()
    await omgeving.processor.process_batch(messages([a, b, a]))
    await omgeving.processor.process_batch(messages([b, c, c, a], start=3))

    rows = await omgeving.rows("SELECT event_id FROM gezien ORDER BY volgorde")
    assert [r[0] for r in rows] == [a.id, b.id, c.id]
    assert await omgeving.rows("SELECT count(*) FROM inbox") == [(3,)]
    assert omgeving.processor.stats == {"handled": 3, "duplicates": 4, "ignored": 0, "dead": 0}


async def test_one_failing_event_goes_alone_to_the_dead_letters_and_the_others_are_handled_once(omgeving):
    events = [event() for _ in range(12)]
    poison = events[4]
    omgeving.weigert.add(poison.id)
    wrong_data = event().model_copy(update={"data": {"meldingId": "not-a-uuid"}})
    other_type = event().model_copy(update={"type": "nl.zorgtoezicht.meldingen.iets-anders"})  # no handler: ignored, not dead
    batch = [*events[:2], b"{not json", *events[2:7], wrong_data, other_type, *events[7:]]
    await omgeving.processor.process_batch(messages(batch))

    handled = await omgeving.rows("SELECT event_id FROM gezien ORDER BY volgorde")
    good = [e.id for e in events if e is not poison]
    assert [r[0] for r in handled] == good  # each once, in order
    assert sorted(r[0] for r in await omgeving.rows("SELECT event_id::text FROM inbox")) == sorted(good)

    dead = await omgeving.rows('SELECT "offset", payload, error FROM dead_letter ORDER BY id')
    by_offset = {offset: (bytes(payload), error) for offset, payload, error in dead}
    assert sorted(by_offset) == [2, 5, 8]  # the unreadable, the failing handler's, the contract mismatch
    assert by_offset[2] == (b"{not json", by_offset[2][1]) and by_offset[2][1].startswith("not a CloudEvent")
    assert by_offset[5][0] == poison.to_bytes() and by_offset[5][1].endswith("Geweigerd")  # the reason names the error, not its data
    assert by_offset[8][0] == wrong_data.to_bytes() and "meldingId" in by_offset[8][1]
    parked = {dict(m.headers)["dlq-source-offset"]: m for m in omgeving.dlq.messages}
    assert sorted(parked) == [b"2", b"5", b"8"]
    assert parked[b"5"].topic == Topic.meldingen.value + ".dlq" and dict(parked[b"5"].headers)["dlq-error"] == by_offset[5][1].encode()
    assert omgeving.processor.stats == {"handled": 11, "duplicates": 0, "ignored": 1, "dead": 3}
    assert omgeving.processor.batches == {"committed": 0, "fell_back": 1}


async def test_a_database_outage_during_a_batch_is_waited_out_not_dead_lettered(omgeving):
    events = [event() for _ in range(8)]
    omgeving.uitval[events[5].id] = 2  # the connection dies twice under the batch
    await omgeving.processor.process_batch(messages(events))

    rows = await omgeving.rows("SELECT event_id, txid FROM gezien ORDER BY volgorde")
    assert [r[0] for r in rows] == [e.id for e in events]
    assert len({r[1] for r in rows}) == 1  # the batch itself was tried again, not split up
    assert omgeving.uitval[events[5].id] == 0
    assert await omgeving.rows("SELECT count(*) FROM dead_letter") == [(0,)] and omgeving.dlq.messages == []
    assert omgeving.processor.stats == {"handled": 8, "duplicates": 0, "ignored": 0, "dead": 0}
    assert omgeving.processor.batches == {"committed": 1, "fell_back": 0}


async def test_the_in_process_bus_delivers_one_publish_as_one_batch_per_topic(omgeving):
    bus = InProcessBus()
    bus.subscribe(omgeving.processor)
    events = [event() for _ in range(6)]
    other = Message(Topic.zorgaanbieders.value, None, event().to_bytes())  # a topic nobody here follows
    await bus.publish_many(
        [
            *(Message(Topic.meldingen.value, e.subject, e.to_bytes()) for e in events[:3]),
            other,
            *(Message(Topic.meldingen.value, e.subject, e.to_bytes()) for e in events[3:]),
        ]
    )
    rows = await omgeving.rows("SELECT event_id, txid FROM gezien ORDER BY volgorde")
    assert [r[0] for r in rows] == [e.id for e in events]
    assert len({r[1] for r in rows}) == 1
    assert omgeving.processor.batches == {"committed": 1, "fell_back": 0}
