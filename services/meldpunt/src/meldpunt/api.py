"""meldpunt's HTTP operations (under /api/v1)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Response

from meldpunt import repository, service
from meldpunt.schemas import Melding, MeldingIn
from zorgtoezicht.http.app import api_router
from zorgtoezicht.http.problems import NotFound
from zorgtoezicht.http.security import Client, require_scope
from zorgtoezicht.service import DbSession, Runtime

LEZEN = "meldpunt.meldingen.lezen"
SCHRIJVEN = "meldpunt.meldingen.schrijven"

router = api_router(tags=["meldingen"])


@router.post("/meldingen", status_code=201, response_model=Melding, operation_id="meldingIndienen",
             summary="Submit a melding about a registered vestiging")
async def indienen(body: MeldingIn, session: DbSession, runtime: Runtime, response: Response,
                   client: Annotated[Client, require_scope(SCHRIJVEN)]) -> Melding:
    melding = await service.ontvang_melding(session, runtime.outbox, body, client)
    response.headers["Location"] = f"{runtime.settings.public_url}/api/v1/meldingen/{melding.id}"
    return Melding.model_validate(melding)


@router.get("/meldingen/{meldingId}", response_model=Melding, operation_id="meldingOpvragen",
            summary="One melding", dependencies=[require_scope(LEZEN)])
async def opvragen(melding_id: Annotated[uuid.UUID, Path(alias="meldingId")], session: DbSession) -> Melding:
    melding = await repository.get_melding(session, melding_id)
    if melding is None:
        raise NotFound(f"No melding with id {melding_id}")
    return Melding.model_validate(melding)
