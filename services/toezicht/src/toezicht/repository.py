"""Every query of toezicht's risk profiles and signals; no commits here (the caller owns the transaction)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from toezicht.models import Risicoprofiel, Signaal


async def ensure_profiel(session: AsyncSession, zorgaanbieder_id: uuid.UUID) -> bool:
    """Create the provider's profile if it has none; True when it was created now."""
    statement = (
        insert(Risicoprofiel).values(zorgaanbieder_id=zorgaanbieder_id).on_conflict_do_nothing().returning(Risicoprofiel.zorgaanbieder_id)
    )
    return (await session.execute(statement)).scalar_one_or_none() is not None


async def maak_profielen(session: AsyncSession, sectoren: dict[uuid.UUID, Any]) -> None:
    """Create the profiles of providers first heard of, with a melding's sector where known (one statement); one
    another consumer created meanwhile is left alone."""
    rijen = [{"zorgaanbieder_id": zid, "sector": sector} for zid, sector in sectoren.items()]
    # The rows beside the statement: a multi-row VALUES cannot be cached and would be compiled every time.
    await session.execute(insert(Risicoprofiel).on_conflict_do_nothing(index_elements=[Risicoprofiel.zorgaanbieder_id]), rijen)


async def zet_feiten(session: AsyncSession, zorgaanbieder_id: uuid.UUID, **feiten: Any) -> None:
    """Set register's facts on the profile (the caller made sure it exists); None values keep what is there."""
    waarden = {k: v for k, v in feiten.items() if v is not None}
    if waarden:
        await session.execute(update(Risicoprofiel).where(Risicoprofiel.zorgaanbieder_id == zorgaanbieder_id).values(**waarden))


async def vul_sector_aan(session: AsyncSession, zorgaanbieder_id: uuid.UUID, sector: Any) -> None:
    """A melding's sector for a provider register has not told about (yet)."""
    await session.execute(
        update(Risicoprofiel)
        .where(Risicoprofiel.zorgaanbieder_id == zorgaanbieder_id, Risicoprofiel.sector.is_(None))
        .values(sector=sector)
    )


# Signals a consumer's handlers stored in this transaction, not yet written: the whole poll's in one statement
# (``schrijf_signalen``) instead of one per event (a round trip each: under load a fifth of the consumer's time,
# benchmarks/keten_latentie.py). Every function of this module that reads or changes signals writes them first, so
# within the transaction a signal is there as soon as it was stored.
_TE_SCHRIJVEN = "toezicht.signalen_te_schrijven"


async def voeg_signalen_toe(session: AsyncSession, rijen: list[dict[str, Any]], *, later: bool = False) -> None:
    """Store signals; one already stored for the same event (``bron_id``, ``volgnummer``) is left alone. ``later``:
    with the next statement about signals in this transaction (at the latest the rescoring's read), together with
    the others waiting."""
    session.info.setdefault(_TE_SCHRIJVEN, []).extend(rijen)
    if not later:
        await schrijf_signalen(session)


async def schrijf_signalen(session: AsyncSession) -> None:
    """Write the signals waiting in this transaction, in the order they were stored, in one statement."""
    rijen = session.info.pop(_TE_SCHRIJVEN, None)
    if rijen:
        # The rows beside the statement, not in a multi-row VALUES: SQLAlchemy cannot cache that, and compiled it
        # anew for every poll.
        await session.execute(insert(Signaal).on_conflict_do_nothing(index_elements=[Signaal.bron_id, Signaal.volgnummer]), rijen)


async def heeft_signaal(session: AsyncSession, soort: str, bron_object_id: uuid.UUID) -> bool:
    await schrijf_signalen(session)
    return bool(await session.scalar(select(exists().where(Signaal.soort == soort, Signaal.bron_object_id == bron_object_id))))


async def beeindig_signalen(session: AsyncSession, soort: str, bron_object_id: uuid.UUID, geldig_tot: date) -> int:
    """A measure ended or a licence was decided: its signal stops counting from ``geldig_tot``."""
    await schrijf_signalen(session)
    statement = (
        update(Signaal)
        .where(Signaal.soort == soort, Signaal.bron_object_id == bron_object_id)
        .where((Signaal.geldig_tot.is_(None)) | (Signaal.geldig_tot > geldig_tot))
        .values(geldig_tot=geldig_tot)
    )
    return (await session.execute(statement)).rowcount


async def verleng_signalen(session: AsyncSession, soort: str, bron_object_id: uuid.UUID, uiterlijk: date) -> int:
    """A measure runs longer (a bevel extended): its signal's due date is its new last day; a replay changes nothing."""
    await schrijf_signalen(session)
    statement = update(Signaal).where(Signaal.soort == soort, Signaal.bron_object_id == bron_object_id).values(uiterlijk=uiterlijk)
    return (await session.execute(statement)).rowcount


async def profiel_voor_update(session: AsyncSession, zorgaanbieder_id: uuid.UUID) -> Risicoprofiel:
    """The profile, locked: two consumers rescoring one provider take turns, the second sees the first's signals."""
    return (await session.scalars(select(Risicoprofiel).where(Risicoprofiel.zorgaanbieder_id == zorgaanbieder_id).with_for_update())).one()


async def profielen_voor_update(session: AsyncSession, ids: Collection[uuid.UUID]) -> list[Risicoprofiel]:
    """Several profiles, locked in id order (two consumers locking overlapping sets cannot deadlock)."""
    query = select(Risicoprofiel).where(Risicoprofiel.zorgaanbieder_id.in_(list(ids))).order_by(Risicoprofiel.zorgaanbieder_id)
    return list(await session.scalars(query.with_for_update()))


async def signalen_van_alle(session: AsyncSession, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, list[Signaal]]:
    """The stored signals of several providers in one query, per provider in storage order (as ``signalen_van``)."""
    await schrijf_signalen(session)
    per: dict[uuid.UUID, list[Signaal]] = {i: [] for i in ids}
    for rij in await session.scalars(select(Signaal).where(Signaal.zorgaanbieder_id.in_(list(ids))).order_by(Signaal.id)):
        per[rij.zorgaanbieder_id].append(rij)
    return per


async def signalen_van(session: AsyncSession, zorgaanbieder_id: uuid.UUID) -> list[Signaal]:
    await schrijf_signalen(session)
    return list(await session.scalars(select(Signaal).where(Signaal.zorgaanbieder_id == zorgaanbieder_id).order_by(Signaal.id)))


async def get_profiel(session: AsyncSession, zorgaanbieder_id: uuid.UUID) -> Risicoprofiel | None:
    return await session.get(Risicoprofiel, zorgaanbieder_id)


async def page_of_profielen(
    session: AsyncSession,
    size: int,
    after: tuple[float, uuid.UUID] | None,
    *,
    sector: str | None = None,
    gemeente_code: str | None = None,
    trigger: str | None = None,
    minimum_score: float | None = None,
) -> list[Risicoprofiel]:
    """Highest effective score first, then by id: a stable order for cursor pages."""
    query = select(Risicoprofiel).order_by(Risicoprofiel.effectieve_score.desc(), Risicoprofiel.zorgaanbieder_id).limit(size)
    if sector is not None:
        query = query.where(Risicoprofiel.sector == sector)
    if gemeente_code is not None:
        query = query.where(Risicoprofiel.gemeente_code == gemeente_code)
    if trigger is not None:
        query = query.where(Risicoprofiel.triggers.contains([{"code": trigger}]))
    if minimum_score is not None:
        query = query.where(Risicoprofiel.effectieve_score >= minimum_score)
    if after is not None:
        score, ident = after  # after it in (score descending, id ascending) order
        query = query.where(
            (Risicoprofiel.effectieve_score < score)
            | ((Risicoprofiel.effectieve_score == score) & (Risicoprofiel.zorgaanbieder_id > ident))
        )
    return list(await session.scalars(query))


def effectieve_score() -> Any:
    return func.coalesce(Risicoprofiel.overschreven_score, Risicoprofiel.score)
