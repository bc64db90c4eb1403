"""toezicht's HTTP operations (under /api/v1)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request

from toezicht import repository
from toezicht.schemas import Risicoprofiel, RisicoprofielPagina
from zorgtoezicht.http.app import api_router
from zorgtoezicht.http.problems import NotFound
from zorgtoezicht.http.schemas import decode_cursor, encode_cursor
from zorgtoezicht.http.security import require_scope
from zorgtoezicht.service import DbSession

LEZEN = "toezicht.risicoprofielen.lezen"

router = api_router(tags=["risicoprofielen"])


@router.get("/risicoprofielen/{zorgaanbiederId}", response_model=Risicoprofiel, operation_id="risicoprofielOpvragen",
            summary="The risk profile of one care provider", dependencies=[require_scope(LEZEN)])
async def opvragen(zorgaanbieder_id: Annotated[uuid.UUID, Path(alias="zorgaanbiederId")], session: DbSession) -> Risicoprofiel:
    profiel = await repository.get_profiel(session, zorgaanbieder_id)
    if profiel is None:
        raise NotFound(f"No signals are known for zorgaanbieder {zorgaanbieder_id}")
    return Risicoprofiel.model_validate(profiel)


@router.get("/risicoprofielen", response_model=RisicoprofielPagina, operation_id="risicoprofielenLijst",
            summary="Risk profiles, most signals first", dependencies=[require_scope(LEZEN)])
async def lijst(
    session: DbSession,
    request: Request,
    page_size: Annotated[int, Query(alias="pageSize", ge=1, le=500)] = 100,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> RisicoprofielPagina:
    after = None
    if cursor is not None:
        count, ident = decode_cursor(cursor, 2)
        after = (int(count), uuid.UUID(str(ident)))
    rows = await repository.page_of_profielen(session, page_size + 1, after)
    next_url = None
    if len(rows) > page_size:
        rows = rows[:page_size]
        next_url = str(request.url.include_query_params(cursor=encode_cursor([rows[-1].aantal_signalen, str(rows[-1].zorgaanbieder_id)])))
    return RisicoprofielPagina(results=[Risicoprofiel.model_validate(r) for r in rows], next=next_url)
