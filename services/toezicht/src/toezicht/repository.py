"""Every query of toezicht; no commits here (the caller owns the transaction)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from toezicht.models import Risicoprofiel


async def count_signal(session: AsyncSession, zorgaanbieder_id: uuid.UUID) -> int:
    """Add one signal to the provider's profile (created on the first) and return the new count."""
    statement = insert(Risicoprofiel).values(zorgaanbieder_id=zorgaanbieder_id, aantal_signalen=1)
    statement = statement.on_conflict_do_update(
        index_elements=[Risicoprofiel.zorgaanbieder_id],
        set_={"aantal_signalen": Risicoprofiel.aantal_signalen + 1, "bijgewerkt_op": statement.excluded.bijgewerkt_op},
    ).returning(Risicoprofiel.aantal_signalen)
    return (await session.execute(statement)).scalar_one()


async def get_profiel(session: AsyncSession, zorgaanbieder_id: uuid.UUID) -> Risicoprofiel | None:
    return await session.get(Risicoprofiel, zorgaanbieder_id)


async def page_of_profielen(session: AsyncSession, size: int, after: tuple[int, uuid.UUID] | None) -> list[Risicoprofiel]:
    """Most signals first, then by id: a stable order for cursor pages."""
    query = select(Risicoprofiel).order_by(Risicoprofiel.aantal_signalen.desc(), Risicoprofiel.zorgaanbieder_id).limit(size)
    if after is not None:
        count, ident = after  # after it in (count descending, id ascending) order
        query = query.where(
            (Risicoprofiel.aantal_signalen < count) | ((Risicoprofiel.aantal_signalen == count) & (Risicoprofiel.zorgaanbieder_id > ident))
        )
    return list(await session.scalars(query))
