"""Register's HTTP operations (under /api/v1)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response

from register import repository, service
from register.schemas import ActieveMaatregel, Zorgaanbieder, ZorgaanbiederIn, ZorgaanbiederPagina, ZorgaanbiederSamenvatting
from zorgtoezicht.http.app import api_router
from zorgtoezicht.http.problems import NotFound
from zorgtoezicht.http.schemas import decode_cursor, encode_cursor
from zorgtoezicht.http.security import require_scope
from zorgtoezicht.service import DbSession, Runtime

LEZEN = "register.zorgaanbieders.lezen"
SCHRIJVEN = "register.zorgaanbieders.schrijven"

router = api_router(tags=["zorgaanbieders"])


async def _detail(session: DbSession, zorgaanbieder_id: uuid.UUID) -> Zorgaanbieder:
    found = await repository.get_zorgaanbieder(session, zorgaanbieder_id)
    if found is None:
        raise NotFound(f"No zorgaanbieder with id {zorgaanbieder_id}")
    result = Zorgaanbieder.model_validate(found)
    maatregelen = await repository.actieve_maatregelen(session, zorgaanbieder_id)
    result.actieve_maatregelen = [ActieveMaatregel.model_validate(m) for m in maatregelen]
    return result


@router.post("/zorgaanbieders", status_code=201, response_model=Zorgaanbieder, operation_id="zorgaanbiederRegistreren",
             summary="Register a care provider with its vestigingen", dependencies=[require_scope(SCHRIJVEN)])
async def registreren(body: ZorgaanbiederIn, session: DbSession, runtime: Runtime, request: Request, response: Response) -> Zorgaanbieder:
    created = await service.registreer_zorgaanbieder(session, runtime.outbox, body)
    response.headers["Location"] = f"{runtime.settings.public_url}/api/v1/zorgaanbieders/{created.id}"
    return await _detail(session, created.id)


@router.get("/zorgaanbieders/{zorgaanbiederId}", response_model=Zorgaanbieder, operation_id="zorgaanbiederOpvragen",
            summary="One care provider with vestigingen and active measures", dependencies=[require_scope(LEZEN)])
async def opvragen(zorgaanbieder_id: Annotated[uuid.UUID, Path(alias="zorgaanbiederId")], session: DbSession) -> Zorgaanbieder:
    return await _detail(session, zorgaanbieder_id)


@router.get("/zorgaanbieders", response_model=ZorgaanbiederPagina, operation_id="zorgaanbiedersLijst",
            summary="All care providers, ordered by KvK-nummer, in pages", dependencies=[require_scope(LEZEN)])
async def lijst(
    session: DbSession,
    request: Request,
    page_size: Annotated[int, Query(alias="pageSize", ge=1, le=500)] = 100,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> ZorgaanbiederPagina:
    after = None
    if cursor is not None:
        kvk, ident = decode_cursor(cursor, 2)
        after = (str(kvk), uuid.UUID(str(ident)))
    rows = await repository.page_of_zorgaanbieders(session, page_size + 1, after)
    next_url = None
    if len(rows) > page_size:
        rows = rows[:page_size]
        last = rows[-1]
        next_url = str(request.url.include_query_params(cursor=encode_cursor([last.kvk_nummer, str(last.id)])))
    return ZorgaanbiederPagina(results=[ZorgaanbiederSamenvatting.model_validate(r) for r in rows], next=next_url)
