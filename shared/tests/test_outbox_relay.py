"""The relay while there is work (``publish_pending``): each batch's publish overlaps the next batch's claim and the
previous batch's mark, yet the records go out in order, every published row is marked, and a failing batch stops the
round, giving back the batch claimed ahead untouched (issue 11)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence

import pytest
from sqlalchemy import text

from zorgtoezicht.db import Database, new_metadata
from zorgtoezicht.events.contracts.meldpunt import MeldingOntvangen
from zorgtoezicht.events.envelope import EventFactory
from zorgtoezicht.messaging.bus import Message
from zorgtoezicht.messaging.outbox import Outbox, OutboxRelay
from zorgtoezicht.messaging.tables import add_platform_tables

FACTORY = EventFactory(oin="00000001234567890000", system="meldpunt", api_base_url="http://meldpunt.test/api/v1")


class Broker:
    """Keeps what is published; refuses the batch that holds ``weigert``. Notes, at each batch, how many rows
    were already marked published (a mark may still run while the next batch goes out, never two behind)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.batches: list[list[Message]] = []
        self.marked_before: list[int] = []
        self.weigert: str | None = None

    async def publish_many(self, messages: Sequence[Message]) -> None:
        async with self.db.transaction() as session:
            self.marked_before.append(await session.scalar(text("SELECT count(*) FROM outbox WHERE published_at IS NOT NULL")))
        if self.weigert is not None and any(m.key == self.weigert for m in messages):
            raise ConnectionError("broker refuses this batch")
        self.batches.append(list(messages))


@pytest.fixture
async def outbox(postgres, unique) -> AsyncIterator[tuple[Database, Outbox]]:
    name = f"relay_{unique}"
    postgres.ensure_database(name)
    db = Database(postgres.url(name))
    metadata = new_metadata()
    table, _, _ = add_platform_tables(metadata)
    async with db.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield db, Outbox(table, FACTORY)
    await db.dispose()


async def _fill(db: Database, outbox: Outbox, n: int) -> list[str]:
    keys = []
    async with db.transaction() as session:
        for _ in range(n):
            melding = uuid.uuid4()
            keys.append(str(melding))
            await outbox.add(session, MeldingOntvangen(melding_id=melding, soort="signaal", ontvangen_op="2026-11-23T10:00:00Z"))
    return keys


async def _rows(db: Database, query: str) -> list[tuple]:
    async with db.transaction() as session:
        return [tuple(r) for r in await session.execute(text(query))]


async def test_every_batch_goes_out_in_order_and_is_marked(outbox):
    db, box = outbox
    keys = await _fill(db, box, 25)
    broker = Broker(db)
    relay = OutboxRelay(db, box.table, broker, batch_size=10)

    assert await relay.publish_pending() == 25

    assert [len(b) for b in broker.batches] == [10, 10, 5]
    assert [m.key for b in broker.batches for m in b] == keys  # the order of the outbox
    # Batch k+1 went out after batch k-1 was marked (at most one mark in flight), every row marked in the end.
    assert all(marked >= 10 * (i - 1) for i, marked in enumerate(broker.marked_before))
    assert await _rows(db, "SELECT count(*), count(published_at), count(lease_token) FROM outbox") == [(25, 25, 0)]
    assert await relay.publish_pending() == 0


async def test_a_refused_batch_is_given_back_and_nothing_after_it_goes_out(outbox):
    db, box = outbox
    keys = await _fill(db, box, 25)
    broker = Broker(db)
    broker.weigert = keys[12]  # in the second batch
    relay = OutboxRelay(db, box.table, broker, batch_size=10)

    with pytest.raises(ConnectionError):
        await relay.publish_pending()

    assert [m.key for b in broker.batches for m in b] == keys[:10]
    # The first batch's mark completed; the refused batch is free again with its error; the batch claimed ahead
    # of it is given back as it was (no lease, no attempt counted, no error).
    assert await _rows(
        db,
        "SELECT count(published_at), count(*) FILTER (WHERE last_error IS NOT NULL), count(lease_token), "
        "count(*) FILTER (WHERE attempts = 0) FROM outbox",
    ) == [(10, 10, 0, 5)]
    broker.weigert = None
    assert await relay.publish_pending() == 15
    assert [m.key for b in broker.batches for m in b] == keys


async def test_a_claim_is_its_own_transaction_and_leaves_the_pool_transactional(outbox):
    """The relay's claim, mark and give-back are single statements in autocommit (``Database.statement``: one round
    trip, no BEGIN and COMMIT): a claim is committed when it returns, its rows are there after its connection went
    back, and a connection it used still runs ``transaction()`` as a transaction (a block that raises leaves nothing)."""
    db, box = outbox
    await _fill(db, box, 3)
    relay = OutboxRelay(db, box.table, Broker(db), batch_size=2)

    token, rows = await relay.claim()

    assert len(rows) == 2 and rows[0].id < rows[1].id
    other = Database(db.url)  # another pool: sees only what was committed
    try:
        assert await _rows(other, f"SELECT count(*) FROM outbox WHERE lease_token = '{token}'") == [(2,)]
    finally:
        await other.dispose()
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:  # sequential use: the connection the claim used
            await session.execute(text("DELETE FROM outbox"))
            raise RuntimeError("roll back")
    assert await _rows(db, "SELECT count(*) FROM outbox") == [(3,)]
    assert await relay.mark_published(token, rows) == 2
    assert await _rows(db, "SELECT count(published_at), count(lease_token) FROM outbox") == [(2, 0)]
