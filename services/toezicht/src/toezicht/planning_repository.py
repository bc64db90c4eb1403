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


async def kandidaten(session: AsyncSession, *, minimum_score: float, seed: int, pool: int) -> list[tuple[Risicoprofiel, float]]:
    """The candidates of a plan: every provider on the risk list (effective score at least ``minimum_score``, an
    override wins) or with an open trigger, sector known or not (the planner reports what it cannot place), plus
    a seeded sample of ``pool`` providers from the rest of the population as the pool of the random route.
    Providers that already have an activity proposed or planned are in the pipeline and left out.

    Not the whole population: with ~290,000 providers the plan would carry a left-out row for each; the sample is
    uniform (md5 of seed and id) and the same seed draws the same pool."""
    lopend = select(Toezichtactiviteit.zorgaanbieder_id).where(Toezichtactiviteit.status.in_(LOPEND))
    effectief = func.coalesce(Risicoprofiel.overschreven_score, Risicoprofiel.score)
    op_de_lijst = (effectief >= minimum_score) | (func.jsonb_array_length(Risicoprofiel.triggers) > 0)
    basis = select(Risicoprofiel, effectief).where(Risicoprofiel.zorgaanbieder_id.not_in(lopend))
    lijst = basis.where(op_de_lijst).order_by(Risicoprofiel.zorgaanbieder_id)
    steekproef = (
        basis.where(~op_de_lijst, Risicoprofiel.sector.is_not(None))
        .order_by(func.md5(func.concat(str(seed), ":", Risicoprofiel.zorgaanbieder_id)), Risicoprofiel.zorgaanbieder_id)
        .limit(pool)
    )
    rijen = [*(await session.execute(lijst)).all(), *(await session.execute(steekproef)).all()]
    rijen.sort(key=lambda rij: rij[0].zorgaanbieder_id)  # the planner's input order is the id order, as before
    return [(profiel, float(score or 0.0)) for profiel, score in rijen]


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
