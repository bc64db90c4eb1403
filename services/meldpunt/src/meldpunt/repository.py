"""Every query of meldpunt; no commits here (the caller owns the transaction)."""

from __future__ import annotations

import uuid

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from meldpunt.models import BekendeVestiging, Melding


async def get_vestiging(session: AsyncSession, vestigingsnummer: str) -> BekendeVestiging | None:
    return await session.get(BekendeVestiging, vestigingsnummer)


async def upsert_vestiging(session: AsyncSession, **values: object) -> None:
    statement = insert(BekendeVestiging).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[BekendeVestiging.vestigingsnummer],
            set_={key: statement.excluded[key] for key in values if key != "vestigingsnummer"},
        )
    )


async def get_melding(session: AsyncSession, melding_id: uuid.UUID) -> Melding | None:
    return await session.get(Melding, melding_id)
