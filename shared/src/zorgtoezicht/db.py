"""Database access: one async engine per service database, sessions, and who owns the transaction.

Rule of the house (as in Polar): service code only ``flush()``es; the HTTP request (``DbSession``
dependency) or the consumer runner owns the transaction, so the outbox row written by service code
commits atomically with the state change it describes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from enum import StrEnum
from typing import Any

from sqlalchemy import CursorResult, Dialect, Executable, MetaData, Text, TypeDecorator, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    """A MetaData with the shared naming convention, so that migrations name constraints stably."""
    return MetaData(naming_convention=NAMING_CONVENTION)


def async_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs (as operators write them) and use the asyncpg driver."""
    for prefix in ("postgresql+asyncpg://", "postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError("database URL must be a postgresql:// URL")


class Database:
    """Engine and session factory of one service database."""

    def __init__(self, url: str, *, pool_size: int = 10, echo: bool = False, **engine_options: Any) -> None:
        self.url = async_url(url)
        self.engine: AsyncEngine = create_async_engine(
            # No pre-ping (a round trip per transaction): a dead connection fails one unit of work, which is
            # retried (consumers) or reported (HTTP), and is then replaced; recycling bounds their age.
            # hide_parameters: an error's text never carries the statement's values (free text, names) into a log.
            self.url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_recycle=1800,
            echo=echo,
            hide_parameters=True,
            **engine_options,
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)
        # The same pool, each connection in autocommit while it is lent out (asyncpg: a flag, no round trip).
        self._autocommit: AsyncEngine = self.engine.execution_options(isolation_level="AUTOCOMMIT")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commit when the block ends normally, roll back when it raises."""
        async with self.sessions() as session, session.begin():
            yield session

    async def statement(self, statement: Executable, parameters: Any = None) -> CursorResult[Any]:
        """One statement that is a whole unit of work by itself, in its own implicit transaction: one round trip,
        where ``transaction()`` adds a BEGIN and a COMMIT. The result is buffered (asyncio results are): its rows are
        there after the connection went back to the pool."""
        async with self._autocommit.connect() as connection:
            return await connection.execute(statement, parameters)

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - readiness reports any failure as not ready
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()


class Vocabulaire(TypeDecorator[str]):
    """A TEXT column that holds one value of a ``StrEnum`` from ``zorgtoezicht.domain``.

    The column stays TEXT (no migration, no database enum to alter), but a value outside the vocabulary
    is refused before it reaches the database, and a row reads back as the enum member.
    """

    impl = Text
    cache_ok = True

    def __init__(self, vocabulaire: type[StrEnum]) -> None:
        super().__init__()
        self.vocabulaire = vocabulaire

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else self.vocabulaire(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> StrEnum | None:
        return None if value is None else self.vocabulaire(value)


def database_away(error: BaseException) -> bool:
    """Whether ``error`` means the database (or the connection to it) is away, which is no message's or request's
    fault: a consumer waits for it and dead-letters nothing, the API answers 503. A connection the server ended
    under a transaction (a restart, a failover) comes as a plain ``DBAPIError`` with SQLSTATE class 08 or 57P0x,
    or marked invalidated; refused connections as ``OSError``."""
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        if isinstance(link, (OperationalError, InterfaceError, OSError, ConnectionError)):
            return True
        if isinstance(link, DBAPIError) and link.connection_invalidated:
            return True
        sqlstate = getattr(link, "sqlstate", None)
        if isinstance(sqlstate, str) and (sqlstate.startswith("08") or sqlstate in _SERVER_GOING_AWAY):
            return True
        link = link.__cause__ or link.__context__
    return False


_SERVER_GOING_AWAY = {"57P01", "57P02", "57P03"}  # admin shutdown, crash shutdown, cannot connect now
