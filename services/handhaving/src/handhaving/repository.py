"""Every query of handhaving; no commits here (the caller owns the transaction)."""

from __future__ import annotations

import uuid

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from handhaving.models import BekendeZorgaanbieder, Maatregel


async def zorgaanbieder_bekend(session: AsyncSession, zorgaanbieder_id: uuid.UUID) -> bool:
    return (await session.get(BekendeZorgaanbieder, zorgaanbieder_id)) is not None


async def add_zorgaanbieder(session: AsyncSession, zorgaanbieder_id: uuid.UUID, kvk_nummer: str) -> None:
    await session.execute(
        insert(BekendeZorgaanbieder).values(zorgaanbieder_id=zorgaanbieder_id, kvk_nummer=kvk_nummer).on_conflict_do_nothing()
    )


async def get_maatregel(session: AsyncSession, maatregel_id: uuid.UUID) -> Maatregel | None:
    return await session.get(Maatregel, maatregel_id)
