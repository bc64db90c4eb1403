"""The lists of cases, besluiten and objections: one keyset page each, newest first, then by id (a stable order
for cursor pages, zorgtoezicht.http.paging). Filters are equality on codes and ids; no free text."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from handhaving.models import Besluit, Bezwaar, Handhavingszaak
from zorgtoezicht.domain.handhaving import Aanleiding, BesluitStatus, ZaakStatus
from zorgtoezicht.domain.maatregelen import MaatregelSoort

Positie = tuple[datetime, uuid.UUID]


def _na(query: Select[Any], moment_kolom: Any, id_kolom: Any, after: Positie | None) -> Select[Any]:
    if after is None:
        return query
    moment, ident = after
    return query.where((moment_kolom < moment) | ((moment_kolom == moment) & (id_kolom < ident)))


def _gelijk(query: Select[Any], voorwaarden: dict[Any, Any]) -> Select[Any]:
    for kolom, waarde in voorwaarden.items():
        if waarde is not None:
            query = query.where(kolom == waarde)
    return query


@dataclass(frozen=True)
class Zaakfilter:
    zorgaanbieder_id: uuid.UUID | None = None
    status: ZaakStatus | None = None
    aanleiding: Aanleiding | None = None


async def page_of_zaken(session: AsyncSession, filter: Zaakfilter, *, size: int, after: Positie | None) -> list[Handhavingszaak]:
    z = Handhavingszaak
    query = _gelijk(select(z), {z.zorgaanbieder_id: filter.zorgaanbieder_id, z.status: filter.status, z.aanleiding: filter.aanleiding})
    query = _na(query, z.geopend_op, z.id, after).order_by(z.geopend_op.desc(), z.id.desc()).limit(size)
    return list(await session.scalars(query))


@dataclass(frozen=True)
class Besluitfilter:
    zaak_id: uuid.UUID | None = None
    zorgaanbieder_id: uuid.UUID | None = None
    besluittype: MaatregelSoort | None = None
    status: BesluitStatus | None = None


async def page_of_besluiten(session: AsyncSession, filter: Besluitfilter, *, size: int, after: Positie | None) -> list[Besluit]:
    b = Besluit
    voorwaarden = {b.zaak_id: filter.zaak_id, b.zorgaanbieder_id: filter.zorgaanbieder_id, b.besluittype: filter.besluittype}
    query = _gelijk(select(b), {**voorwaarden, b.status: filter.status})
    query = _na(query, b.aangemaakt_op, b.id, after).order_by(b.aangemaakt_op.desc(), b.id.desc()).limit(size)
    return list(await session.scalars(query))


@dataclass(frozen=True)
class Bezwaarfilter:
    besluit_id: uuid.UUID | None = None
    te_laat: bool | None = None
    open: bool | None = None  # True: not decided yet; False: decided


async def page_of_bezwaren(session: AsyncSession, filter: Bezwaarfilter, *, size: int, after: Positie | None) -> list[Bezwaar]:
    bz = Bezwaar
    query = _gelijk(select(bz), {bz.besluit_id: filter.besluit_id, bz.te_laat: filter.te_laat})
    if filter.open is not None:
        query = query.where(bz.uitkomst.is_(None) if filter.open else bz.uitkomst.is_not(None))
    query = _na(query, bz.aangemaakt_op, bz.id, after).order_by(bz.aangemaakt_op.desc(), bz.id.desc()).limit(size)
    return list(await session.scalars(query))
