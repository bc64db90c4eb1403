"""toezicht's HTTP operations (under /api/v1)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path

from toezicht import repository
from toezicht.schemas import Risicoprofiel, RisicoprofielPagina
from zorgtoezicht.http.app import api_router
from zorgtoezicht.http.paging import Keyset, Paging, query_paging
from zorgtoezicht.http.problems import NotFound
from zorgtoezicht.http.security import require_scope
from zorgtoezicht.service import DbSession

LEZEN = "toezicht.risicoprofielen.lezen"

router = api_router(tags=["risicoprofielen"])


@router.get(
    "/risicoprofielen/{zorgaanbiederId}",
    response_model=Risicoprofiel,
    operation_id="risicoprofielOpvragen",
    summary="The risk profile of one care provider",
    dependencies=[require_scope(LEZEN)],
)
async def opvragen(zorgaanbieder_id: Annotated[uuid.UUID, Path(alias="zorgaanbiederId")], session: DbSession) -> Risicoprofiel:
    profiel = await repository.get_profiel(session, zorgaanbieder_id)
    if profiel is None:
        raise NotFound(f"No signals are known for zorgaanbieder {zorgaanbieder_id}")
    return Risicoprofiel.model_validate(profiel)


PROFIELEN = Keyset("risicoprofielenLijst", int, uuid.UUID)  # (aantal signalen, zorgaanbieder id)


@router.get(
    "/risicoprofielen",
    response_model=RisicoprofielPagina,
    operation_id="risicoprofielenLijst",
    summary="Risk profiles, most signals first",
    dependencies=[require_scope(LEZEN)],
)
async def lijst(session: DbSession, paging: Annotated[Paging, query_paging(PROFIELEN)]) -> RisicoprofielPagina:
    rows, next_url = await paging.page(
        lambda limit, after: repository.page_of_profielen(session, limit, after), lambda r: (r.aantal_signalen, r.zorgaanbieder_id)
    )
    return RisicoprofielPagina(results=[Risicoprofiel.model_validate(r) for r in rows], next=next_url)
