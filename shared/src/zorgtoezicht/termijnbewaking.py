"""Term watcher (termijnbewaking): stored terms that fire their event exactly once when they end.

A service registers a term in its unit of work (``werk.termijnen.registreer``: an aggregate, a kind, and
the last Dutch day that is still in time - or an instant), re-dates it (``verzet``, e.g. an extension) or
cancels it (``vervallen``, e.g. the report arrived), in the same transaction as the change that causes it.
A periodic job (``Termijnbewaker``, run by the worker of every service that declares term kinds) claims
ended terms with ``FOR UPDATE SKIP LOCKED``, asks the service for the term's events, writes them to the
outbox and marks the term ``verstreken`` in one transaction: however many replicas run the job, each term
fires once. Time comes from ``zorgtoezicht.klok``, so tests move a clock instead of waiting.

A term with ``uiterlijk`` (a date) has ended from the day after: the last day itself is in time (Atw
terms are counted in Dutch calendar days). A term with ``tijdstip`` (an instant) has ended at that instant.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Identity,
    Index,
    MetaData,
    Table,
    Text,
    Uuid,
    and_,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from zorgtoezicht import klok
from zorgtoezicht.audit import Actor
from zorgtoezicht.logs import correlated, current_correlation_id

if TYPE_CHECKING:
    from zorgtoezicht.db import Database
    from zorgtoezicht.events.envelope import EventData
    from zorgtoezicht.werk import Werk

log = logging.getLogger(__name__)


class TermijnStatus(StrEnum):
    lopend = "lopend"  # running: the watcher fires it when it ends
    verstreken = "verstreken"  # ended: its event was written to the outbox (once)
    vervallen = "vervallen"  # cancelled before it ended: what it waited for happened


def add_termijn_table(metadata: MetaData) -> Table:
    return Table(
        "termijn",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("aggregaat_id", Uuid, nullable=False, comment="the object the term belongs to (melding, besluit, ...)"),
        Column("soort", Text, nullable=False, comment="kind of term; the service maps it to the events it fires"),
        Column("uiterlijk", Date, nullable=True, comment="last Dutch calendar day in time; ended from the day after"),
        Column("tijdstip", DateTime(timezone=True), nullable=True, comment="or: the instant the term ends"),
        Column("status", Text, nullable=False, server_default=text("'lopend'")),
        Column("correlation_id", Text, nullable=True, comment="of the request that registered it; carried into its event"),
        Column("geregistreerd_op", DateTime(timezone=True), nullable=False),
        Column("afgehandeld_op", DateTime(timezone=True), nullable=True, comment="when it fired or was cancelled"),
        CheckConstraint("(uiterlijk IS NULL) <> (tijdstip IS NULL)", name="een_einde"),
        # One running term of a kind per object: re-dating updates it, a second registration is a bug.
        Index("ix_termijn_lopend", "aggregaat_id", "soort", unique=True, postgresql_where=text("status = 'lopend'")),
        Index("ix_termijn_uiterlijk_lopend", "uiterlijk", postgresql_where=text("status = 'lopend' AND uiterlijk IS NOT NULL")),
        Index("ix_termijn_tijdstip_lopend", "tijdstip", postgresql_where=text("status = 'lopend' AND tijdstip IS NOT NULL")),
    )


def create_termijn_table(op) -> None:
    from zorgtoezicht.db import new_metadata

    add_termijn_table(new_metadata()).create(op.get_bind())


@dataclass(frozen=True, slots=True)
class Termijn:
    id: int
    aggregaat_id: uuid.UUID
    soort: str
    uiterlijk: date | None
    tijdstip: datetime | None
    status: str
    correlation_id: str | None


def _einde(uiterlijk: date | None, tijdstip: datetime | None) -> dict[str, Any]:
    if (uiterlijk is None) == (tijdstip is None):
        raise ValueError("a term ends either on a day (uiterlijk) or at an instant (tijdstip)")
    if tijdstip is not None and tijdstip.tzinfo is None:
        raise ValueError("a term's instant must be timezone-aware")
    return {"uiterlijk": uiterlijk, "tijdstip": tijdstip}


class Termijnen:
    """The stored terms of one service, used in its unit of work (``werk.termijnen``)."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def rij(
        self, aggregaat_id: uuid.UUID, soort: str, *, uiterlijk: date | None = None, tijdstip: datetime | None = None
    ) -> dict[str, Any]:
        """A running term, not yet written (``insert`` writes many at once); carries the current correlation id."""
        return {
            "aggregaat_id": aggregaat_id,
            "soort": soort,
            **_einde(uiterlijk, tijdstip),
            "status": TermijnStatus.lopend.value,
            "correlation_id": current_correlation_id(),
            "geregistreerd_op": klok.nu(),
        }

    async def insert(self, session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
        if rows:  # executemany: one cached statement whatever the number of rows
            await session.execute(insert(self.table), list(rows))

    async def registreer(
        self, session: AsyncSession, aggregaat_id: uuid.UUID, soort: str, *, uiterlijk: date | None = None, tijdstip: datetime | None = None
    ) -> None:
        await self.insert(session, [self.rij(aggregaat_id, soort, uiterlijk=uiterlijk, tijdstip=tijdstip)])

    async def verzet(
        self, session: AsyncSession, aggregaat_id: uuid.UUID, soort: str, *, uiterlijk: date | None = None, tijdstip: datetime | None = None
    ) -> bool:
        """Re-date the running term (an extension); False when there is none (never registered, ended or cancelled)."""
        result = await session.execute(update(self.table).where(*self._lopend(aggregaat_id, soort)).values(**_einde(uiterlijk, tijdstip)))
        return result.rowcount > 0

    async def vervallen(self, session: AsyncSession, aggregaat_id: uuid.UUID, soort: str) -> bool:
        """Cancel the running term (what it waited for happened); False when there is none."""
        result = await session.execute(
            update(self.table)
            .where(*self._lopend(aggregaat_id, soort))
            .values(status=TermijnStatus.vervallen.value, afgehandeld_op=klok.nu())
        )
        return result.rowcount > 0

    async def van(self, session: AsyncSession, aggregaat_id: uuid.UUID) -> list[Termijn]:
        """Every term of an object, oldest first."""
        rows = await session.execute(select(*self._kolommen()).where(self.table.c.aggregaat_id == aggregaat_id).order_by(self.table.c.id))
        return [Termijn(*row) for row in rows]

    def _lopend(self, aggregaat_id: uuid.UUID, soort: str) -> tuple:
        t = self.table
        return t.c.aggregaat_id == aggregaat_id, t.c.soort == soort, t.c.status == TermijnStatus.lopend.value

    def _kolommen(self) -> tuple:
        t = self.table
        return t.c.id, t.c.aggregaat_id, t.c.soort, t.c.uiterlijk, t.c.tijdstip, t.c.status, t.c.correlation_id


# What a service does when a term of a kind ends: the events to emit (it may also write audit rows).
Afloop = Callable[["Werk", Termijn], Awaitable[Sequence["EventData"]]]


class Termijnbewaker:
    """Fires ended terms: claim (SKIP LOCKED), the service's events to the outbox, mark ``verstreken``; one transaction."""

    def __init__(
        self,
        db: Database,
        termijnen: Termijnen,
        werk: Callable[[AsyncSession, Actor], Werk],
        afloop: Mapping[str, Afloop],
        *,
        naam: str,
        batch_size: int = 200,
    ) -> None:
        self.db = db
        self.termijnen = termijnen
        self.werk = werk
        self.afloop = dict(afloop)
        self.naam = naam
        self.batch_size = batch_size

    async def run_once(self) -> int:
        """Fire every term that has ended by the clock's now; returns how many fired here."""
        total = 0
        while True:
            try:
                fired = await self._fire(limit=self.batch_size)
            except Exception:
                log.exception("term batch failed, firing one by one", extra={"watcher": self.naam})
                return total + await self._one_by_one()
            total += fired
            if fired < self.batch_size:
                return total

    async def _one_by_one(self) -> int:
        async with self.db.transaction() as session:
            ids = list(await session.scalars(self._ended(select(self.table.c.id)).order_by(self.table.c.id)))
        fired = 0
        for termijn_id in ids:
            try:
                fired += await self._fire(only=termijn_id)
            except Exception:
                log.exception("term could not fire", extra={"watcher": self.naam, "termijnId": termijn_id})
        return fired

    @property
    def table(self) -> Table:
        return self.termijnen.table

    def _ended(self, query):
        t = self.table
        return query.where(
            t.c.status == TermijnStatus.lopend.value,
            t.c.soort.in_(list(self.afloop)),
            or_(t.c.uiterlijk < klok.vandaag(), t.c.tijdstip <= klok.nu()),
        )

    async def _fire(self, *, limit: int | None = None, only: int | None = None) -> int:
        t = self.table
        async with self.db.transaction() as session:
            query = self._ended(select(*self.termijnen._kolommen())).order_by(t.c.id)
            if only is not None:
                query = query.where(t.c.id == only)
            # SKIP LOCKED: another replica's claimed terms are passed over; a term another replica fired meanwhile
            # no longer matches ``status = 'lopend'`` when PostgreSQL re-checks the locked row, so none fires twice.
            termijnen = [Termijn(*row) for row in await session.execute(query.limit(limit or 1).with_for_update(skip_locked=True))]
            for termijn in termijnen:
                with correlated(termijn.correlation_id or str(uuid.uuid4())):
                    werk = self.werk(session, Actor.system(self.naam, oorzaak=f"termijn {termijn.soort} {termijn.id} verstreken"))
                    await werk.outbox.add_all(session, await self.afloop[termijn.soort](werk, termijn))
            if termijnen:
                await session.execute(
                    update(t)
                    .where(and_(t.c.id.in_([termijn.id for termijn in termijnen])))
                    .values(status=TermijnStatus.verstreken.value, afgehandeld_op=klok.nu())
                )
        if termijnen:
            log.info("terms ended", extra={"watcher": self.naam, "count": len(termijnen)})
        return len(termijnen)
