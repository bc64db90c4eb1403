"""Group commit on a real PostgreSQL: grouped, answered only after the commit, refusals and failures per item."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

import asyncpg
import pytest
from sqlalchemy import Column, Integer, MetaData, Table, Text, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from zorgtoezicht.db import Database
from zorgtoezicht.groupcommit import GroupCommit
from zorgtoezicht.http.problems import InvalidInput

item = Table("item", MetaData(), Column("id", Integer, primary_key=True), Column("label", Text, nullable=False))


@pytest.fixture
async def db(postgres, unique) -> AsyncIterator[Database]:
    name = f"groupcommit_{unique}"
    postgres.ensure_database(name)
    postgres.psql("CREATE TABLE item (id integer PRIMARY KEY, label text NOT NULL)", name)
    database = Database(postgres.url(name))
    yield database
    await database.dispose()


@pytest.fixture
async def reader(postgres, db) -> AsyncIterator[asyncpg.Pool]:
    """Another connection pool: sees only what has been committed."""
    pool = await asyncpg.create_pool(postgres.url(db.engine.url.database), min_size=1, max_size=4)
    yield pool
    await pool.close()


async def write_all(session: AsyncSession, ids: Sequence[int]) -> list[int]:
    await session.execute(insert(item), [{"id": i, "label": f"item {i}"} for i in ids])
    return list(ids)


async def test_items_submitted_at_once_share_a_transaction_and_each_answer_follows_its_commit(db, reader):
    transactions: list[tuple[int, list[int]]] = []

    async def group(session: AsyncSession, ids: Sequence[int]) -> list[int]:
        transactions.append(((await session.execute(select(func.txid_current()))).scalar_one(), list(ids)))
        return await write_all(session, ids)

    writer = GroupCommit(db, group, max_group=64, writers=1)

    async def submit_and_look(i: int) -> bool:
        assert await writer.submit(i) == i
        return await reader.fetchval("SELECT count(*) FROM item WHERE id = $1", i) == 1  # committed when answered

    assert all(await asyncio.gather(*(submit_and_look(i) for i in range(40))))
    assert writer.stats.items == 40 and sorted(i for _, ids in transactions for i in ids) == list(range(40))
    assert writer.stats.transactions == len(transactions) < 40  # grouped: fewer transactions than items
    assert writer.stats.largest > 1
    assert writer.writing == 0  # no writer lingers once the queue is empty


async def test_max_group_bounds_the_items_in_one_transaction(db):
    writer = GroupCommit(db, write_all, max_group=5, writers=1)
    assert sorted(await asyncio.gather(*(writer.submit(i) for i in range(23)))) == list(range(23))
    assert writer.stats.largest == 5 and writer.stats.transactions >= 5


async def test_a_refused_item_gets_its_own_error_and_nothing_of_it_is_written(db, reader):
    async def group(session: AsyncSession, ids: Sequence[int]) -> list[int | InvalidInput]:
        accepted = [i for i in ids if i % 2 == 0]
        await write_all(session, accepted)
        return [i if i % 2 == 0 else InvalidInput(f"odd {i}", invalid_params=[{"name": "id", "code": "odd", "reason": "odd"}]) for i in ids]

    writer = GroupCommit(db, group, writers=1)
    results = await asyncio.gather(*(writer.submit(i) for i in range(10)), return_exceptions=True)
    assert results[0::2] == [0, 2, 4, 6, 8]
    assert all(isinstance(r, InvalidInput) and r.detail == f"odd {i}" for i, r in zip(range(1, 10, 2), results[1::2], strict=True))
    assert await reader.fetchval("SELECT array_agg(id ORDER BY id) FROM item") == [0, 2, 4, 6, 8]


async def test_a_failing_group_is_retried_item_by_item_so_only_the_bad_item_fails(db, reader):
    await reader.execute("INSERT INTO item VALUES (7, 'there already')")
    writer = GroupCommit(db, write_all, writers=1)
    results = await asyncio.gather(*(writer.submit(i) for i in range(5, 10)), return_exceptions=True)
    assert results[0:2] == [5, 6] and results[3:] == [8, 9]
    assert isinstance(results[2], IntegrityError)  # the duplicate key fails its own request only
    assert await reader.fetchval("SELECT array_agg(id ORDER BY id) FROM item") == [5, 6, 7, 8, 9]
    assert await reader.fetchval("SELECT label FROM item WHERE id = 7") == "there already"
    assert writer.stats.retried_alone == 4


async def test_a_request_gone_before_its_turn_is_not_written(db, reader):
    # Ordered by events, not by sleeping and hoping the other tasks got far enough meanwhile.
    writing_first, release = asyncio.Event(), asyncio.Event()

    async def group(session: AsyncSession, ids: Sequence[int]) -> list[int]:
        if 1 in ids:
            writing_first.set()
            await release.wait()  # the first group is still being written
        return await write_all(session, ids)

    writer = GroupCommit(db, group, writers=1)
    first = asyncio.create_task(writer.submit(1))
    await writing_first.wait()
    gone = asyncio.create_task(writer.submit(2))
    await asyncio.sleep(0)  # one turn of the loop: the new task queues its item (submit appends before it awaits)
    gone.cancel()  # e.g. the client disconnected while waiting
    release.set()
    assert await first == 1
    with pytest.raises(asyncio.CancelledError):
        await gone
    # The one writer takes the queue in order, so once 3 is written the gone request has had its turn.
    assert await writer.submit(3) == 3
    assert await reader.fetchval("SELECT array_agg(id ORDER BY id) FROM item") == [1, 3]
    assert writer.writing == 0


def test_a_group_commit_needs_a_group_and_a_writer():
    with pytest.raises(ValueError, match="at least 1"):
        GroupCommit(None, write_all, max_group=0)  # type: ignore[arg-type]


class CommitFails:
    """A database whose COMMIT fails after the statements ran (e.g. the connection drops during COMMIT)."""

    def __init__(self) -> None:
        self.transactions = 0

    def transaction(self):
        database = self

        class Transaction:
            async def __aenter__(self) -> None:
                database.transactions += 1

            async def __aexit__(self, *exc: object) -> None:
                if exc[0] is None:
                    raise ConnectionResetError("connection lost during COMMIT")

        return Transaction()


async def test_a_commit_with_an_unknown_outcome_is_not_retried_so_nothing_is_written_twice():
    calls: list[list[int]] = []

    async def group(session: None, ids: Sequence[int]) -> list[int]:
        calls.append(list(ids))
        return list(ids)

    database = CommitFails()
    writer = GroupCommit(database, group, writers=1)  # type: ignore[arg-type]
    results = await asyncio.gather(*(writer.submit(i) for i in range(4)), return_exceptions=True)
    assert all(isinstance(r, ConnectionResetError) for r in results)
    assert calls == [[0, 1, 2, 3]] and database.transactions == 1  # no retry one by one
    assert writer.writing == 0
