"""handhaving's HTTP operations (under /api/v1)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Response

from handhaving import repository, service
from handhaving.schemas import Maatregel, MaatregelIn
from zorgtoezicht.audit import actor_from
from zorgtoezicht.http.app import api_router
from zorgtoezicht.http.problems import NotFound
from zorgtoezicht.http.security import Client, require_scope
from zorgtoezicht.service import DbSession, Runtime

LEZEN = "handhaving.maatregelen.lezen"
SCHRIJVEN = "handhaving.maatregelen.schrijven"

router = api_router(tags=["maatregelen"])


@router.post(
    "/maatregelen",
    status_code=201,
    response_model=Maatregel,
    operation_id="maatregelOpleggen",
    summary="Register a measure decided elsewhere, in force from its ingangsdatum (no Awb procedure here)",
    description=(
        "The direct registration of a measure whose decision was taken and made known outside this service (e.g. a "
        "Minister's extension, or decisions migrated from the old case system). It is announced at once as "
        "maatregel-opgelegd. Decisions of the inspectorate itself follow the Awb procedure: "
        "POST /handhavingszaken/{zaakId}/besluiten and its steps."
    ),
)
async def opleggen(
    body: MaatregelIn, session: DbSession, runtime: Runtime, response: Response, client: Annotated[Client, require_scope(SCHRIJVEN)]
) -> Maatregel:
    maatregel = await service.leg_maatregel_op(runtime.werk(session, actor_from(client, None)), body)
    response.headers["Location"] = f"{runtime.settings.public_url}/api/v1/maatregelen/{maatregel.id}"
    return Maatregel.model_validate(maatregel)


@router.get(
    "/maatregelen/{maatregelId}",
    response_model=Maatregel,
    operation_id="maatregelOpvragen",
    summary="One measure",
    dependencies=[require_scope(LEZEN)],
)
async def opvragen(maatregel_id: Annotated[uuid.UUID, Path(alias="maatregelId")], session: DbSession) -> Maatregel:
    maatregel = await repository.get_maatregel(session, maatregel_id)
    if maatregel is None:
        raise NotFound(f"No maatregel with id {maatregel_id}")
    return Maatregel.model_validate(maatregel)
