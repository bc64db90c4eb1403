"""handhaving's operations on a last onder dwangsom (under /api/v1): checks, verbeurten and their collection.

The inspecteur records a check (``voorstellen``); the jurist takes the invorderingsbeschikking, sends the
reminder, records the payment and lifts the last (``nemen``); amounts are read under ``lezen``. The law is
handhaving/dwangsom.py, its application to stored rows handhaving/invordering.py.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import Path, Response
from pydantic import Field

from handhaving import invordering, procedure
from handhaving.api_besluiten import Besliswerk, BesluitId, Leeswerk, Voorstelwerk, besluit_uit
from handhaving.dwangsom import Bedragsoort, Beeindiging, Tijdseenheid
from handhaving.models import DwangsomControle, DwangsomVerbeurte
from handhaving.schemas import Besluit, Datum, Reden
from zorgtoezicht.domain.handhaving import Vervalreden
from zorgtoezicht.http.app import api_router, raises
from zorgtoezicht.http.problems import Conflict
from zorgtoezicht.http.schemas import ApiModel
from zorgtoezicht.service import Runtime

TAGS = {"dwangsom": "Last onder dwangsom: checks, verbeurten and their collection (Awb 5:32-5:37)"}

router = api_router()

VerbeurteId = Annotated[uuid.UUID, Path(alias="verbeurteId")]


class ControleIn(ApiModel):
    datum: Datum = Field(description="the day of the check; never in the future, never before the latest recorded check")
    overtreding: bool = Field(description="the check found the last not complied with")
    aantal_overtredingen: int = Field(1, ge=1, le=100000, description="per-overtreding: the violations this check found")


class Controle(ApiModel):
    id: uuid.UUID
    besluit_id: uuid.UUID
    datum: date
    overtreding: bool
    aantal_overtredingen: int
    reden: str | None = Field(None, description="why this check forfeited nothing (none when it registered a verbeurte)")


class Verbeurte(ApiModel):
    id: uuid.UUID
    besluit_id: uuid.UUID
    controle_id: uuid.UUID
    volgnummer: int
    controle_datum: date
    verbeurd_vanaf: date = Field(description="the earliest forfeiture day; Awb 5:35 counts from here")
    verbeurd_tot: date = Field(description="the latest forfeiture day; Awb 5:33 counts from here")
    eenheden: int = Field(description="days, weeks or violations forfeited (1 for a lump sum)")
    bedrag: Decimal = Field(description="euros")
    gemaximeerd: bool = Field(description="the maximum cut this verbeurte")
    betalen_uiterlijk: date = Field(description="Awb 5:33: six weeks after verbeurte, Atw applied")
    verjaard_na: date = Field(description="Awb 5:35: the last day collection is possible")
    bijna_verjaard_vanaf: date
    invorderingsbeschikking_op: date | None = None
    aangemaand_op: date | None = None
    betaald_op: date | None = None


class ControleUitkomst(ApiModel):
    controle: Controle
    verbeurten: list[Verbeurte] = Field(description="the verbeurten this check registered (none when it forfeited nothing)")


class Last(ApiModel):
    besluit_id: uuid.UUID
    begunstigingstermijn_einde: date
    bedragsoort: Bedragsoort
    bedrag: Decimal
    maximum: Decimal | None = None
    tijdseenheid: Tijdseenheid | None = None
    beeindigd_op: date | None = None
    beeindiging: Beeindiging | None = None


class Verbeurtenstand(ApiModel):
    last: Last
    controles: list[Controle]
    verbeurten: list[Verbeurte]
    totaal: Decimal = Field(description="euros forfeited so far")
    maximum: Decimal = Field(description="above this nothing more is forfeited (Awb 5:32b)")
    maximum_bereikt: bool


class InvorderingsbeschikkingIn(ApiModel):
    datum: Datum | None = Field(None, description="default today; never in the future", json_schema_extra={"format": "date"})
    toelichting: Reden


class AanmaningIn(ApiModel):
    datum: Datum | None = Field(None, description="default today; never in the future", json_schema_extra={"format": "date"})
    toelichting: Reden | None = None


class BetalingIn(ApiModel):
    datum: Datum | None = Field(None, description="the day it was paid; default today", json_schema_extra={"format": "date"})


class OpheffingIn(ApiModel):
    op_verzoek: bool = Field(True, description="lifted at the offender's request (Awb 5:34 lid 1); false: by the inspectorate")
    toelichting: Reden


def _controle(c: DwangsomControle) -> Controle:
    return Controle.model_validate(c)


def _verbeurte(v: DwangsomVerbeurte) -> Verbeurte:
    return Verbeurte.model_validate(v)


@router.post(
    "/besluiten/{besluitId}/controles",
    status_code=201,
    response_model=ControleUitkomst,
    operation_id="dwangsomControleRegistreren",
    tags=["dwangsom"],
    responses=raises(Conflict),
    summary="Record a dated check of a last onder dwangsom; a violation registers the verbeurte(n) it proves",
)
async def controle_registreren(
    besluit_id: BesluitId, body: ControleIn, werk: Voorstelwerk, runtime: Runtime, response: Response
) -> ControleUitkomst:
    gegevens = invordering.Controlegegevens(body.datum, body.overtreding, body.aantal_overtredingen)
    controle, verbeurten = await invordering.registreer_controle(werk, besluit_id, gegevens)
    response.headers["Location"] = f"{runtime.settings.public_url}/api/v1/besluiten/{besluit_id}/verbeurten"
    return ControleUitkomst(controle=_controle(controle), verbeurten=[_verbeurte(v) for v in verbeurten])


@router.get(
    "/besluiten/{besluitId}/verbeurten",
    response_model=Verbeurtenstand,
    operation_id="dwangsomVerbeurtenOpvragen",
    tags=["dwangsom"],
    responses=raises(Conflict),
    summary="The last's terms, its checks and verbeurten, the total and whether the maximum is reached",
)
async def verbeurten_opvragen(besluit_id: BesluitId, werk: Leeswerk) -> Verbeurtenstand:
    stand = await invordering.stand(werk, besluit_id)
    return Verbeurtenstand(
        last=Last.model_validate(stand.last),
        controles=[_controle(c) for c in stand.controles],
        verbeurten=[_verbeurte(v) for v in stand.verbeurten],
        totaal=stand.totaal,
        maximum=stand.maximum,
        maximum_bereikt=stand.maximum_bereikt,
    )


@router.get(
    "/verbeurten/{verbeurteId}",
    response_model=Verbeurte,
    operation_id="dwangsomVerbeurteOpvragen",
    tags=["dwangsom"],
    summary="One verbeurte",
)
async def verbeurte_opvragen(verbeurte_id: VerbeurteId, werk: Leeswerk) -> Verbeurte:
    _, v = await invordering.verbeurte(werk, verbeurte_id)
    return _verbeurte(v)


STAP = {"response_model": Verbeurte, "tags": ["dwangsom"], "responses": raises(Conflict)}


@router.post(
    "/verbeurten/{verbeurteId}/invorderingsbeschikking",
    operation_id="dwangsomInvorderingsbeschikkingNemen",
    summary="Decide to collect the forfeited sum (Awb 5:37); refused once collection is time-barred (5:35)",
    **STAP,
)
async def invorderingsbeschikking(verbeurte_id: VerbeurteId, body: InvorderingsbeschikkingIn, werk: Besliswerk) -> Verbeurte:
    return _verbeurte(await invordering.neem_invorderingsbeschikking(werk, verbeurte_id, datum=body.datum, toelichting=body.toelichting))


@router.post(
    "/verbeurten/{verbeurteId}/aanmaningen",
    operation_id="dwangsomAanmanen",
    summary="Send the reminder (Awb 4:112): only after the invorderingsbeschikking and the payment term",
    **STAP,
)
async def aanmaning(verbeurte_id: VerbeurteId, body: AanmaningIn, werk: Besliswerk) -> Verbeurte:
    return _verbeurte(await invordering.maan_aan(werk, verbeurte_id, datum=body.datum, toelichting=body.toelichting))


@router.post(
    "/verbeurten/{verbeurteId}/betaling",
    operation_id="dwangsomBetalingRegistreren",
    summary="Record that the forfeited sum was paid: collected, its remaining terms end",
    **STAP,
)
async def betaling(verbeurte_id: VerbeurteId, body: BetalingIn, werk: Besliswerk) -> Verbeurte:
    return _verbeurte(await invordering.registreer_betaling(werk, verbeurte_id, datum=body.datum))


@router.post(
    "/besluiten/{besluitId}/opheffing",
    response_model=Besluit,
    operation_id="dwangsomLastOpheffen",
    tags=["dwangsom"],
    responses=raises(Conflict),
    summary="Lift the last onder dwangsom (Awb 5:34): it ends today, nothing is forfeited from today on",
)
async def opheffing(besluit_id: BesluitId, body: OpheffingIn, werk: Besliswerk) -> Besluit:
    b, last = await invordering.last(werk, besluit_id, bijwerken=True)
    if last.beeindigd_op is not None:
        raise Conflict(f"The last ended on {last.beeindigd_op.isoformat()} ({last.beeindiging})", code="last_beeindigd")
    reden = Vervalreden.ingetrokken_belanghebbende if body.op_verzoek else Vervalreden.ingetrokken_overheid
    # An opheffing ends the besluit as an intrekking does (status, measure ended, terms cancelled), marked as such.
    await procedure.trek_in(werk, b, vervalreden=reden, toelichting=f"opheffing (Awb 5:34): {body.toelichting}")
    await invordering.markeer_opheffing(werk, b, body.toelichting)
    return besluit_uit(b)
