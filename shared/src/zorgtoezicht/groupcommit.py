"""Group commit: the writes of concurrent requests in one transaction.

Under load many requests want to commit at the same moment. Each commit costs a WAL flush and a few
round trips, and every statement costs Python around it; for a small write that is most of the work.
A ``GroupCommit`` lets each request hand its item to a writer, which takes every item waiting at that
moment (up to ``max_group``) and runs the service's group function on all of them in one transaction,
with one statement per table instead of one per item.

- A request gets its answer only after the transaction holding its item has committed: the same
  durability as a commit per request, and the outbox rows still commit with the state they describe.
- Nothing waits for a group to fill: a free writer takes what is queued, so under light load a group
  is one item and latency is that of a plain transaction.
- The group function returns one result per item, in order: the written object, or a ``DomainError``
  for an item it refused (it must write nothing for that item; the request gets the error).
- When the group function fails (the transaction is rolled back), each item is tried again in a
  transaction of its own, so one bad item fails only its own request. When the COMMIT itself fails its
  outcome is unknown (it may have been applied), so nothing is retried: every request of the group gets
  the error, as a request with its own transaction would, and nothing is written twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from zorgtoezicht.db import Database
from zorgtoezicht.http.problems import DomainError
from zorgtoezicht.logs import correlation_id, describe_error

log = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")
GroupFunction = Callable[[AsyncSession, Sequence[Item]], Awaitable[Sequence["Result | DomainError"]]]


@dataclass
class GroupCommitStats:
    """How the work was grouped: ``items / transactions`` is the mean group size."""

    items: int = 0
    transactions: int = 0
    largest: int = 0
    retried_alone: int = 0
    by_size: dict[int, int] = field(default_factory=dict)  # items in a transaction → transactions (for /metrics)


@dataclass
class GroupCommit(Generic[Item, Result]):
    db: Database
    group: GroupFunction
    max_group: int = 64  # items per transaction: bounds statement size and the work lost to one retry
    writers: int = 2  # transactions in flight at once: one is being built while another commits
    name: str = "group-commit"
    stats: GroupCommitStats = field(default_factory=GroupCommitStats)

    def __post_init__(self) -> None:
        if self.max_group < 1 or self.writers < 1:
            raise ValueError("max_group and writers must be at least 1")
        self._queue: deque[tuple[Item, asyncio.Future[Result]]] = deque()
        self._active = 0

    @property
    def writing(self) -> int:
        """Writers at work now (0 when nothing is queued: writers end when the queue is empty)."""
        return self._active

    async def submit(self, item: Item) -> Result:
        """Write ``item`` with whatever else is waiting; returns once its transaction has committed."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._active < self.writers:
            self._active += 1
            asyncio.get_running_loop().create_task(self._write())
        return await future

    async def _write(self) -> None:
        """One writer: groups from the queue until it is empty, then it ends (no idle tasks linger)."""
        correlation_id.set(None)  # this task's copy of the context: a group serves many requests
        group: list[tuple[Item, asyncio.Future[Result]]] = []
        try:
            while self._queue:
                group = []
                while self._queue and len(group) < self.max_group:
                    item, future = self._queue.popleft()
                    if not future.done():  # a request that went away before its turn is not written
                        group.append((item, future))
                if group:
                    await self._commit(group, alone=False)
        except BaseException as error:  # cancelled at shutdown, or a bug: nobody may wait forever
            waiting = [*group, *self._queue]
            self._queue.clear()
            if isinstance(error, Exception):
                _fail(waiting, error)
            else:
                for _, future in waiting:
                    future.cancel()
            raise
        finally:
            self._active -= 1

    async def _commit(self, group: list[tuple[Item, asyncio.Future[Result]]], *, alone: bool) -> None:
        try:
            async with self.db.transaction() as session:
                try:
                    results = await self.group(session, [item for item, _ in group])
                    if len(results) != len(group):
                        raise RuntimeError(f"{self.name}: {len(results)} results for {len(group)} items")
                except Exception as error:
                    raise _RolledBack(error) from error
        except _RolledBack as failed:  # nothing of the group was written: its items may be tried again
            if len(group) > 1:
                log.warning(
                    "group transaction failed; its items are retried one by one",
                    extra={"groupCommit": self.name, "items": len(group), "error": describe_error(failed.error)},
                )
                for one in group:
                    await self._commit([one], alone=True)
            else:
                _fail(group, failed.error)
            return
        except Exception as error:  # noqa: BLE001 - the COMMIT itself failed: it may have been applied, so no retry
            log.error("group commit outcome unknown", extra={"groupCommit": self.name, "items": len(group), "error": describe_error(error)})
            _fail(group, error)
            return
        self.stats.items += len(group)
        self.stats.transactions += 1
        self.stats.largest = max(self.stats.largest, len(group))
        self.stats.retried_alone += alone
        self.stats.by_size[len(group)] = self.stats.by_size.get(len(group), 0) + 1
        for (_, future), result in zip(group, results, strict=True):
            if future.done():
                continue
            if isinstance(result, DomainError):
                future.set_exception(result)
            else:
                future.set_result(result)


class _RolledBack(Exception):
    """The group function failed inside the transaction, which was then rolled back."""

    def __init__(self, error: Exception) -> None:
        super().__init__(repr(error))
        self.error = error


def _fail(group: list[tuple[object, asyncio.Future]], error: BaseException) -> None:
    for _, future in group:
        if not future.done():
            future.set_exception(error)
