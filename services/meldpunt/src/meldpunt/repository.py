"""Every query of meldpunt; no commits here (the caller owns the transaction)."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from meldpunt.models import BekendeVestiging, BekendeZorgaanbieder, Melding


async def get_vestiging(session: AsyncSession, vestigingsnummer: str) -> BekendeVestiging | None:
    return await session.get(BekendeVestiging, vestigingsnummer)


async def upsert_zorgaanbieder(session: AsyncSession, **values: object) -> None:
    statement = insert(BekendeZorgaanbieder).values(**values)
    await session.execute(statement.on_conflict_do_update(
        index_elements=[BekendeZorgaanbieder.zorgaanbieder_id],
        set_={key: statement.excluded[key] for key in values if key != "zorgaanbieder_id"},
    ))


async def set_zorgaanbieder_status(session: AsyncSession, zorgaanbieder_id: uuid.UUID, status: str) -> None:
    await session.execute(update(BekendeZorgaanbieder).where(BekendeZorgaanbieder.zorgaanbieder_id == zorgaanbieder_id)
                          .values(status=status))


async def replace_vestigingen(session: AsyncSession, zorgaanbieder_id: uuid.UUID, rows: list[dict[str, object]]) -> None:
    """The provider's vestigingen become exactly ``rows`` (a vestiging may move to another provider)."""
    await session.execute(delete(BekendeVestiging).where(BekendeVestiging.zorgaanbieder_id == zorgaanbieder_id))
    if rows:
        statement = insert(BekendeVestiging).values(rows)
        await session.execute(statement.on_conflict_do_update(
            index_elements=[BekendeVestiging.vestigingsnummer],
            set_={key: statement.excluded[key] for key in rows[0] if key != "vestigingsnummer"},
        ))


async def get_melding(session: AsyncSession, melding_id: uuid.UUID) -> Melding | None:
    return await session.get(Melding, melding_id)
