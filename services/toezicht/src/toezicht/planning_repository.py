"""Every query of the planning (inspectors, plans, candidates); no commits here (the caller owns the transaction)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from toezicht.models import (
    Inspecteur,
    Planning,
    PlanningActiviteit,
    PlanningOnhaalbaar,
    PlanningWeggelaten,
    Risicoprofiel,
    Toezichtactiviteit,
)
from zorgtoezicht.domain.toezicht import ActiviteitStatus

LOPEND = (ActiviteitStatus.voorgesteld, ActiviteitStatus.gepland)


async def get_inspecteur(session: AsyncSession, inspecteur_id: uuid.UUID) -> Inspecteur | None:
    return await session.get(Inspecteur, inspecteur_id)


async def inspecteurs(session: AsyncSession, team: str | None = None) -> list[Inspecteur]:
    query = select(Inspecteur).order_by(Inspecteur.id)
    if team is not None:
        query = query.where(Inspecteur.team == team)
    return list(await session.scalars(query))


async def page_of_inspecteurs(session: AsyncSession, size: int, after: tuple[str, uuid.UUID] | None) -> list[Inspecteur]:
    query = select(Inspecteur).order_by(Inspecteur.team, Inspecteur.id).limit(size)
    if after is not None:
        team, ident = after
        query = query.where((Inspecteur.team > team) | ((Inspecteur.team == team) & (Inspecteur.id > ident)))
    return list(await session.scalars(query))


async def kandidaten(session: AsyncSession) -> list[tuple[Risicoprofiel, float]]:
    """Every profile with a sector, with its effective score (an override wins), except providers that already
    have an activity proposed or planned (they are in the pipeline)."""
    lopend = select(Toezichtactiviteit.zorgaanbieder_id).where(Toezichtactiviteit.status.in_(LOPEND))
    query = (
        select(Risicoprofiel, func.coalesce(Risicoprofiel.overschreven_score, Risicoprofiel.score))
        .where(Risicoprofiel.sector.is_not(None), Risicoprofiel.zorgaanbieder_id.not_in(lopend))
        .order_by(Risicoprofiel.zorgaanbieder_id)
    )
    return [(profiel, float(score or 0.0)) for profiel, score in (await session.execute(query)).all()]


async def get_planning(session: AsyncSession, planning_id: uuid.UUID, *, for_update: bool = False) -> Planning | None:
    return await session.get(Planning, planning_id, with_for_update=for_update)


async def onderdelen(
    session: AsyncSession, planning_id: uuid.UUID
) -> tuple[list[PlanningActiviteit], list[PlanningWeggelaten], list[PlanningOnhaalbaar]]:
    activiteiten = await session.scalars(
        select(PlanningActiviteit).where(PlanningActiviteit.planning_id == planning_id).order_by(PlanningActiviteit.id)
    )
    weggelaten = await session.scalars(
        select(PlanningWeggelaten).where(PlanningWeggelaten.planning_id == planning_id).order_by(PlanningWeggelaten.id)
    )
    onhaalbaar = await session.scalars(
        select(PlanningOnhaalbaar).where(PlanningOnhaalbaar.planning_id == planning_id).order_by(PlanningOnhaalbaar.id)
    )
    return list(activiteiten), list(weggelaten), list(onhaalbaar)
