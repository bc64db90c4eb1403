"""Every query on supervision activities and judgements; no commits here (the caller owns the transaction)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import extract, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from toezicht.models import Oordeel, OordeelNorm, Risicoprofiel, Toezichtactiviteit, ToezichtactiviteitStatus
from toezicht.workflow import UITGEVOERD_OF_LATER
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.domain.toezicht import ActiviteitSoort, ActiviteitStatus


async def get_activiteit(session: AsyncSession, activiteit_id: uuid.UUID, *, for_update: bool = False) -> Toezichtactiviteit | None:
    query = select(Toezichtactiviteit).where(Toezichtactiviteit.id == activiteit_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).one_or_none()


async def statussen(session: AsyncSession, activiteit_id: uuid.UUID) -> list[ToezichtactiviteitStatus]:
    """The history, oldest first (the identity orders rows written in one transaction)."""
    query = select(ToezichtactiviteitStatus).where(ToezichtactiviteitStatus.activiteit_id == activiteit_id)
    return list(await session.scalars(query.order_by(ToezichtactiviteitStatus.id)))


async def sector_uit_profiel(session: AsyncSession, zorgaanbieder_ids: set[uuid.UUID]) -> dict[uuid.UUID, Sector]:
    """The sector the risk profile knows for each provider (where it knows one)."""
    if not zorgaanbieder_ids:
        return {}
    query = select(Risicoprofiel.zorgaanbieder_id, Risicoprofiel.sector).where(
        Risicoprofiel.zorgaanbieder_id.in_(zorgaanbieder_ids), Risicoprofiel.sector.is_not(None)
    )
    return {row.zorgaanbieder_id: row.sector for row in await session.execute(query)}


@dataclass(frozen=True)
class Filter:
    status: ActiviteitStatus | None = None
    soort: ActiviteitSoort | None = None
    zorgaanbieder_id: uuid.UUID | None = None
    planning_id: uuid.UUID | None = None
    gepland_vanaf: date | None = None
    gepland_tot_en_met: date | None = None
    uitgevoerd_vanaf: date | None = None
    uitgevoerd_tot_en_met: date | None = None


async def page_of_activiteiten(
    session: AsyncSession, filter: Filter, *, size: int, after: tuple[datetime, uuid.UUID] | None
) -> list[Toezichtactiviteit]:
    """Newest first, then by id: a stable order for cursor pages."""
    a = Toezichtactiviteit
    query = select(a).order_by(a.aangemaakt_op.desc(), a.id.desc()).limit(size)
    voorwaarden = {
        a.status: filter.status,
        a.soort: filter.soort,
        a.zorgaanbieder_id: filter.zorgaanbieder_id,
        a.planning_id: filter.planning_id,
    }
    for kolom, waarde in voorwaarden.items():
        if waarde is not None:
            query = query.where(kolom == waarde)
    if filter.gepland_vanaf is not None:
        query = query.where(a.gepland_op >= filter.gepland_vanaf)
    if filter.gepland_tot_en_met is not None:
        query = query.where(a.gepland_op <= filter.gepland_tot_en_met)
    if filter.uitgevoerd_vanaf is not None:
        query = query.where(a.uitgevoerd_op >= filter.uitgevoerd_vanaf)
    if filter.uitgevoerd_tot_en_met is not None:
        query = query.where(a.uitgevoerd_op <= filter.uitgevoerd_tot_en_met)
    if after is not None:
        moment, ident = after
        query = query.where((a.aangemaakt_op < moment) | ((a.aangemaakt_op == moment) & (a.id < ident)))
    return list(await session.scalars(query))


async def add_oordeel(session: AsyncSession, oordeel: Oordeel, normen: list[dict[str, Any]]) -> None:
    session.add(oordeel)
    await session.flush()
    await session.execute(insert(OordeelNorm), normen)


async def get_oordeel(session: AsyncSession, activiteit_id: uuid.UUID) -> tuple[Oordeel, list[OordeelNorm]] | None:
    oordeel = (await session.scalars(select(Oordeel).where(Oordeel.activiteit_id == activiteit_id))).one_or_none()
    if oordeel is None:
        return None
    normen = await session.scalars(select(OordeelNorm).where(OordeelNorm.oordeel_id == oordeel.id).order_by(OordeelNorm.volgorde))
    return oordeel, list(normen)


async def uitgevoerd_per_soort_en_jaar(session: AsyncSession, van_jaar: int, tot_en_met_jaar: int) -> list[tuple[str, int, int]]:
    """(soort, jaar, aantal) of the activities performed in those years that are uitgevoerd or further along."""
    a = Toezichtactiviteit
    jaar = extract("year", a.uitgevoerd_op)
    query = (
        select(a.soort, jaar.label("jaar"), func.count())
        .where(
            a.status.in_(UITGEVOERD_OF_LATER),
            a.uitgevoerd_op >= date(van_jaar, 1, 1),
            a.uitgevoerd_op <= date(tot_en_met_jaar, 12, 31),
        )
        .group_by(a.soort, jaar)
    )
    return [(soort, int(j), int(n)) for soort, j, n in await session.execute(query)]
