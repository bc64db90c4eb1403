"""handhaving's operations on the bestuurlijke boete (under /api/v1): the boeterapport and its amount.

The inspecteur draws up the report (``voorstellen``); the boete then follows the besluit's Awb steps
(zienswijze, vaststelling, bekendmaking in api_besluiten). The amount is read here under the read scope,
never from an event.
"""

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import Path, Response
from pydantic import Field

from handhaving import boeteprocedure, procedure
from handhaving.api_besluiten import Leeswerk, Voorstelwerk, ZaakId
from handhaving.models import Boeterapport as BoeterapportRij
from handhaving.schemas import Datum
from zorgtoezicht.http.app import api_router, raises
from zorgtoezicht.http.problems import Conflict
from zorgtoezicht.http.schemas import ApiModel
from zorgtoezicht.service import Runtime

TAGS = {"boetes": "Bestuurlijke boete: the boeterapport and the amount from the versioned policy table"}

router = api_router()

BoeterapportId = Annotated[uuid.UUID, Path(alias="boeterapportId")]
Code = Annotated[str, Field(min_length=1, max_length=100)]


class BoeterapportIn(ApiModel):
    opgemaakt_op: Datum = Field(description="the report's date (dagtekening; Awb 5:51's 13 weeks run from it); not in the future")
    overtredingsdatum: Datum = Field(description="the day of the violation; the fining power lapses counted from it (Awb 5:45)")
    categorie: Code = Field(description="a category code of the policy table in use")
    ernst: Code = Field(description="a severity code of the policy table")
    verwijtbaarheid: Code = Field(description="a culpability code of the policy table")
    fte: Decimal = Field(ge=0, le=1_000_000, max_digits=10, decimal_places=2, description="company size in FTE")
    besluit_id: uuid.UUID | None = Field(
        None, description="a bestuurlijke boete the system proposed in this case (a repeated waarschuwing), still a voornemen"
    )


class Boeterapport(ApiModel):
    id: uuid.UUID
    zaak_id: uuid.UUID
    besluit_id: uuid.UUID = Field(description="the bestuurlijke boete this report is behind")
    zorgaanbieder_id: uuid.UUID
    opgemaakt_op: date
    overtredingsdatum: date
    categorie: str
    ernst: str
    verwijtbaarheid: str
    fte: Decimal
    omvangsklasse: str
    bedrag: Decimal = Field(description="the fine in euros, fixed to the policy version below")
    maximum: Decimal = Field(description="the category's maximum: the fine that can be imposed")
    gemaximeerd: bool = Field(description="the maximum capped the amount")
    zienswijze_verplicht: bool = Field(description="Awb 5:53: the fine can exceed EUR 340, so the provider must be heard")
    uitleg: list[str] = Field(description="the computation line by line, for the motivering")
    beleid_versie: str
    beleid_hash: str = Field(description="sha256 of the policy table's canonical JSON")
    voorbeeldbeleid: bool = Field(description="computed from an EXAMPLE table, not the VWS amounts")
    beslistermijn: date = Field(description="last day to decide in time (Awb 5:51, 13 weeks, no Atw extension); not fatal")
    bevoegdheid_vervalt: date = Field(description="last day the fine can be imposed (Awb 5:45)")
    besluitdatum: date | None = None
    beslistermijn_overschreden_dagen: int | None = Field(
        None, description="set when decided: days the boetebesluit came after the beslistermijn (a flag, never a refusal)"
    )


def _uit(r: BoeterapportRij) -> Boeterapport:
    return Boeterapport.model_validate(r)


@router.post(
    "/handhavingszaken/{zaakId}/boeterapporten",
    status_code=201,
    response_model=Boeterapport,
    operation_id="boeterapportOpmaken",
    tags=["boetes"],
    responses=raises(Conflict),
    summary="Draw up a boeterapport: the amount from the policy table, a boete proposed and its 13-week term started",
)
async def boeterapport_opmaken(
    zaak_id: ZaakId, body: BoeterapportIn, werk: Voorstelwerk, runtime: Runtime, response: Response
) -> Boeterapport:
    zaak = await procedure.zaak(werk, zaak_id)
    gegevens = boeteprocedure.Rapportgegevens(
        body.opgemaakt_op, body.overtredingsdatum, body.categorie, body.ernst, body.verwijtbaarheid, body.fte, body.besluit_id
    )
    r = await boeteprocedure.maak_rapport(werk, zaak, gegevens)
    response.headers["Location"] = f"{runtime.settings.public_url}/api/v1/boeterapporten/{r.id}"
    return _uit(r)


@router.get(
    "/boeterapporten/{boeterapportId}",
    response_model=Boeterapport,
    operation_id="boeterapportOpvragen",
    tags=["boetes"],
    summary="One boeterapport with the amount and how it was computed (never published)",
)
async def boeterapport_opvragen(boeterapport_id: BoeterapportId, werk: Leeswerk) -> Boeterapport:
    return _uit(await boeteprocedure.rapport(werk, boeterapport_id))
