"""Every query of register in one place; no commits here (the caller owns the transaction)."""

from __future__ import annotations

import uuid

from sqlalchemy import select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from register.models import ActieveMaatregel, Vestiging, Zorgaanbieder


async def get_zorgaanbieder(session: AsyncSession, zorgaanbieder_id: uuid.UUID) -> Zorgaanbieder | None:
    return await session.get(Zorgaanbieder, zorgaanbieder_id)


async def kvk_in_use(session: AsyncSession, kvk_nummer: str) -> bool:
    return (await session.scalar(select(Zorgaanbieder.id).where(Zorgaanbieder.kvk_nummer == kvk_nummer))) is not None


async def vestigingsnummers_in_use(session: AsyncSession, nummers: list[str]) -> list[str]:
    rows = await session.scalars(select(Vestiging.vestigingsnummer).where(Vestiging.vestigingsnummer.in_(nummers)))
    return sorted(rows)


async def page_of_zorgaanbieders(session: AsyncSession, size: int, after: tuple[str, uuid.UUID] | None) -> list[Zorgaanbieder]:
    """Ordered by (kvk_nummer, id): stable under inserts, so a cursor never skips or repeats."""
    query = select(Zorgaanbieder).order_by(Zorgaanbieder.kvk_nummer, Zorgaanbieder.id).limit(size)
    if after is not None:
        query = query.where(tuple_(Zorgaanbieder.kvk_nummer, Zorgaanbieder.id) > after)
    return list(await session.scalars(query))


async def actieve_maatregelen(session: AsyncSession, zorgaanbieder_id: uuid.UUID) -> list[ActieveMaatregel]:
    query = select(ActieveMaatregel).where(ActieveMaatregel.zorgaanbieder_id == zorgaanbieder_id).order_by(
        ActieveMaatregel.ingangsdatum, ActieveMaatregel.maatregel_id
    )
    return list(await session.scalars(query))


async def add_actieve_maatregel(session: AsyncSession, **values: object) -> None:
    await session.execute(insert(ActieveMaatregel).values(**values).on_conflict_do_nothing())
