"""The term watcher on a real PostgreSQL: a term ends after its last day (or at its instant), fires once, can be
cancelled or re-dated in the unit of work, and one failing term does not hold up the others."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from zorgtoezicht import klok
from zorgtoezicht.audit import AuditTrail, add_audit_table
from zorgtoezicht.db import Database, new_metadata
from zorgtoezicht.events.contracts.toezicht import RisicoprofielGewijzigd
from zorgtoezicht.events.envelope import EventFactory
from zorgtoezicht.logs import correlated
from zorgtoezicht.messaging.outbox import Outbox
from zorgtoezicht.messaging.tables import add_platform_tables
from zorgtoezicht.termijnbewaking import Termijn, Termijnbewaker, Termijnen, add_termijn_table
from zorgtoezicht.werk import Werk

DAG = date(2026, 4, 24)  # a Friday


def om(dag: date, moment: time) -> klok.VasteKlok:
    return klok.VasteKlok(datetime.combine(dag, moment, tzinfo=klok.NL))


class Omgeving:
    def __init__(self, db: Database) -> None:
        metadata = new_metadata()
        self.outbox_table, _, _ = add_platform_tables(metadata)
        self.metadata = metadata
        self.db = db
        self.outbox = Outbox(self.outbox_table, EventFactory(oin="00000001234567890000", system="test", api_base_url="http://test/api/v1"))
        self.audit = AuditTrail(add_audit_table(metadata), "test", "http://test/api/v1")
        self.termijnen = Termijnen(add_termijn_table(metadata))
        self.gezien: list[tuple[Termijn, str | None]] = []
        self.weigert: set[uuid.UUID] = set()
        self.bewaker = Termijnbewaker(db, self.termijnen, self.werk, {"toets": self.afloop}, naam="test.termijnbewaking", batch_size=3)

    def werk(self, session, actor) -> Werk:
        return Werk(session, self.outbox, self.audit, actor, self.termijnen)

    async def afloop(self, werk: Werk, termijn: Termijn) -> list[RisicoprofielGewijzigd]:
        if termijn.aggregaat_id in self.weigert:
            raise RuntimeError("this term's service code fails")
        self.gezien.append((termijn, werk.actor.toelichting))
        return [RisicoprofielGewijzigd(zorgaanbieder_id=termijn.aggregaat_id, aantal_signalen=1)]

    async def registreer(self, soort: str = "toets", **einde) -> uuid.UUID:
        aggregaat_id = uuid.uuid4()
        async with self.db.transaction() as session:
            await self.termijnen.registreer(session, aggregaat_id, soort, **einde)
        return aggregaat_id

    async def events(self) -> list[dict]:
        async with self.db.transaction() as session:
            payloads = await session.scalars(select(self.outbox_table.c.payload).order_by(self.outbox_table.c.id))
            return [json.loads(p) for p in payloads]

    async def status(self, aggregaat_id: uuid.UUID) -> list[str]:
        async with self.db.transaction() as session:
            return [t.status for t in await self.termijnen.van(session, aggregaat_id)]


@pytest.fixture
async def omgeving(postgres, unique) -> AsyncIterator[Omgeving]:
    name = f"termijnen_{unique}"
    postgres.ensure_database(name)
    db = Database(postgres.url(name))
    o = Omgeving(db)
    async with db.engine.begin() as connection:
        await connection.run_sync(o.metadata.create_all)
    yield o
    await db.dispose()


async def test_a_day_term_ends_after_its_last_dutch_day_and_fires_once(omgeving):
    with correlated("req-registratie"):
        aggregaat_id = await omgeving.registreer(uiterlijk=DAG)
    with klok.gebruik(om(DAG, time(23, 59, 59))):
        assert await omgeving.bewaker.run_once() == 0
    with klok.gebruik(om(DAG + timedelta(days=1), time(0, 0))):
        assert await omgeving.bewaker.run_once() == 1
        assert await omgeving.bewaker.run_once() == 0
    with klok.gebruik(om(DAG + timedelta(days=30), time(12))):
        assert await omgeving.bewaker.run_once() == 0
    [event] = await omgeving.events()
    assert event["subject"] == str(aggregaat_id) and event["correlationid"] == "req-registratie"
    assert await omgeving.status(aggregaat_id) == ["verstreken"]
    [(termijn, oorzaak)] = omgeving.gezien
    assert termijn.uiterlijk == DAG and f"termijn toets {termijn.id} verstreken" == oorzaak


async def test_an_instant_term_ends_at_its_instant(omgeving):
    einde = datetime(2026, 4, 24, 10, 0, tzinfo=UTC)
    await omgeving.registreer(tijdstip=einde)
    with klok.gebruik(klok.VasteKlok(einde - timedelta(microseconds=1))):
        assert await omgeving.bewaker.run_once() == 0
    with klok.gebruik(klok.VasteKlok(einde)):
        assert await omgeving.bewaker.run_once() == 1


async def test_cancel_and_re_date_in_the_unit_of_work(omgeving):
    weg, later = await omgeving.registreer(uiterlijk=DAG), await omgeving.registreer(uiterlijk=DAG)
    async with omgeving.db.transaction() as session:
        assert await omgeving.termijnen.vervallen(session, weg, "toets") is True
        assert await omgeving.termijnen.verzet(session, later, "toets", uiterlijk=DAG + timedelta(days=7)) is True
        assert await omgeving.termijnen.vervallen(session, uuid.uuid4(), "toets") is False  # none running
    with klok.gebruik(om(DAG + timedelta(days=7), time(12))):
        assert await omgeving.bewaker.run_once() == 0
    with klok.gebruik(om(DAG + timedelta(days=8), time(12))):
        assert await omgeving.bewaker.run_once() == 1
    assert await omgeving.status(weg) == ["vervallen"] and await omgeving.status(later) == ["verstreken"]
    async with omgeving.db.transaction() as session:  # an ended term is not re-dated, nor cancelled
        assert await omgeving.termijnen.verzet(session, later, "toets", uiterlijk=DAG + timedelta(days=30)) is False
        assert await omgeving.termijnen.vervallen(session, later, "toets") is False


async def test_one_running_term_of_a_kind_per_object(omgeving):
    aggregaat_id = await omgeving.registreer(uiterlijk=DAG)
    with pytest.raises(IntegrityError):
        async with omgeving.db.transaction() as session:
            await omgeving.termijnen.registreer(session, aggregaat_id, "toets", uiterlijk=DAG + timedelta(days=1))
    async with omgeving.db.transaction() as session:  # another kind, or after cancelling, is fine
        await omgeving.termijnen.registreer(session, aggregaat_id, "anders", uiterlijk=DAG)
        await omgeving.termijnen.vervallen(session, aggregaat_id, "toets")
        await omgeving.termijnen.registreer(session, aggregaat_id, "toets", uiterlijk=DAG + timedelta(days=1))
    assert sorted(await omgeving.status(aggregaat_id)) == ["lopend", "lopend", "vervallen"]
    with pytest.raises(ValueError, match="either"):
        omgeving.termijnen.rij(aggregaat_id, "toets", uiterlijk=DAG, tijdstip=datetime(2026, 1, 1, tzinfo=UTC))


async def test_a_failing_term_does_not_hold_up_the_others_and_unknown_kinds_wait(omgeving):
    fout = await omgeving.registreer(uiterlijk=DAG - timedelta(days=1))  # registered first: in the first batch of every run
    goed = [await omgeving.registreer(uiterlijk=DAG) for _ in range(7)]
    onbekend = await omgeving.registreer("onbekend", uiterlijk=DAG)
    omgeving.weigert.add(fout)
    with klok.gebruik(om(DAG + timedelta(days=1), time(12))):
        assert await omgeving.bewaker.run_once() == 7
        assert await omgeving.bewaker.run_once() == 0
    assert sorted(e["subject"] for e in await omgeving.events()) == sorted(map(str, goed))
    assert await omgeving.status(fout) == ["lopend"] and await omgeving.status(onbekend) == ["lopend"]
    omgeving.weigert.clear()  # fixed: the next run fires it
    with klok.gebruik(om(DAG + timedelta(days=2), time(12))):
        assert await omgeving.bewaker.run_once() == 1
    async with omgeving.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(omgeving.outbox_table)) == 8
