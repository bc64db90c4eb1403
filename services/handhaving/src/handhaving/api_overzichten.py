"""handhaving's lists (cases, besluiten, objections, in cursor pages), the closing of a case and the Jaarbeeld
table of interventions (under /api/v1)."""

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import Query, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from handhaving import overzichten, schemas, statistieken, zaakstatus
from handhaving.api_besluiten import LEZEN, NEMEN, VOORSTELLEN, Besliswerk, Leeswerk, ZaakId, _zaak_uit, besluit_uit
from handhaving.models import Handhavingszaak
from zorgtoezicht import klok
from zorgtoezicht.domain.handhaving import Aanleiding, BesluitStatus, ZaakStatus
from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.http.app import api_router, raises
from zorgtoezicht.http.paging import Keyset, Paging, query_paging
from zorgtoezicht.http.problems import Conflict, InvalidInput, NotFound
from zorgtoezicht.http.security import require_scope
from zorgtoezicht.service import DbSession

STATISTIEKEN = "handhaving.statistieken.lezen"
SCOPES = {STATISTIEKEN: "read the Jaarbeeld table of interventions"}
TAGS = {"statistieken": "Jaarbeeld tables from live data"}

router = api_router()

ZAKEN = Keyset("handhavingszakenLijst", datetime, uuid.UUID)  # (geopend op, id), newest first
BESLUITEN = Keyset("besluitenLijst", datetime, uuid.UUID)  # (aangemaakt op, id), newest first
BEZWAREN = Keyset("bezwarenLijst", datetime, uuid.UUID)  # (aangemaakt op, id), newest first


@router.get(
    "/handhavingszaken",
    response_model=schemas.ZaakPagina,
    operation_id="handhavingszakenLijst",
    tags=["handhavingszaken"],
    summary="Cases, newest first, filtered by provider, status and reason",
)
async def zaken(
    werk: Leeswerk,
    paging: Annotated[Paging, query_paging(ZAKEN)],
    zorgaanbieder_id: Annotated[uuid.UUID | None, Query(alias="zorgaanbiederId")] = None,
    status: Annotated[ZaakStatus | None, Query()] = None,
    aanleiding: Annotated[Aanleiding | None, Query()] = None,
) -> schemas.ZaakPagina:
    filter = overzichten.Zaakfilter(zorgaanbieder_id, status, aanleiding)
    rows, next_url = await paging.page(
        lambda limit, after: overzichten.page_of_zaken(werk.session, filter, size=limit, after=after), lambda z: (z.geopend_op, z.id)
    )
    return schemas.ZaakPagina(results=[schemas.ZaakSamenvatting.model_validate(z) for z in rows], next=next_url)


@router.get(
    "/besluiten",
    response_model=schemas.BesluitPagina,
    operation_id="besluitenLijst",
    tags=["besluiten"],
    summary="Besluiten, newest first, filtered by case, provider, besluittype and status",
)
async def besluiten(
    werk: Leeswerk,
    paging: Annotated[Paging, query_paging(BESLUITEN)],
    zaak_id: Annotated[uuid.UUID | None, Query(alias="zaakId")] = None,
    zorgaanbieder_id: Annotated[uuid.UUID | None, Query(alias="zorgaanbiederId")] = None,
    besluittype: Annotated[MaatregelSoort | None, Query()] = None,
    status: Annotated[BesluitStatus | None, Query()] = None,
) -> schemas.BesluitPagina:
    filter = overzichten.Besluitfilter(zaak_id, zorgaanbieder_id, besluittype, status)
    rows, next_url = await paging.page(
        lambda limit, after: overzichten.page_of_besluiten(werk.session, filter, size=limit, after=after),
        lambda b: (b.aangemaakt_op, b.id),
    )
    return schemas.BesluitPagina(results=[besluit_uit(b) for b in rows], next=next_url)


@router.get(
    "/bezwaren",
    response_model=schemas.BezwaarPagina,
    operation_id="bezwarenLijst",
    tags=["besluiten"],
    summary="Objections, newest first, filtered by besluit, lateness and whether decided",
)
async def bezwaren(
    werk: Leeswerk,
    paging: Annotated[Paging, query_paging(BEZWAREN)],
    besluit_id: Annotated[uuid.UUID | None, Query(alias="besluitId")] = None,
    te_laat: Annotated[bool | None, Query(alias="teLaat", description="received after the last day of the objection term")] = None,
    open_: Annotated[bool | None, Query(alias="open", description="true: not decided yet; false: decided")] = None,
) -> schemas.BezwaarPagina:
    filter = overzichten.Bezwaarfilter(besluit_id, te_laat, open_)
    rows, next_url = await paging.page(
        lambda limit, after: overzichten.page_of_bezwaren(werk.session, filter, size=limit, after=after),
        lambda bz: (bz.aangemaakt_op, bz.id),
    )
    return schemas.BezwaarPagina(results=[schemas.Bezwaar.model_validate(bz) for bz in rows], next=next_url)


@router.post(
    "/handhavingszaken/{zaakId}/afsluiting",
    response_model=schemas.Zaak,
    operation_id="handhavingszaakAfsluiten",
    tags=["handhavingszaken"],
    responses=raises(Conflict),
    summary="Close the case once the procedures of its besluiten are finished; an objection later does not reopen it",
)
async def afsluiting(zaak_id: ZaakId, body: schemas.AfsluitingIn, werk: Besliswerk) -> schemas.Zaak:
    zaak = await werk.session.get(Handhavingszaak, zaak_id, with_for_update=True)
    if zaak is None:
        raise NotFound(f"No handhavingszaak with id {zaak_id}")
    await zaakstatus.sluit_af(werk, zaak, toelichting=body.toelichting)
    return await _zaak_uit(werk, zaak.id)


@router.get(
    "/statistieken/interventies",
    operation_id="statistiekInterventies",
    tags=["statistieken"],
    summary="Interventions per instrument in a year and those running at its end, Jaarbeeld layout (JSON, or CSV with Accept: text/csv)",
    dependencies=[require_scope(STATISTIEKEN, LEZEN, VOORSTELLEN, NEMEN)],
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": {"type": "string"}}}}},
)
async def interventies(
    session: DbSession,
    request: Request,
    jaar: Annotated[
        int | None, Query(ge=statistieken.EERSTE_JAAR, le=2100, description="a calendar year up to this one; default the previous year")
    ] = None,
) -> Response:
    vandaag = klok.vandaag()
    if jaar is None:
        jaar = vandaag.year - 1
    elif jaar > vandaag.year:
        raise InvalidInput(
            "The year is not valid",
            invalid_params=[{"name": "jaar", "code": "in_de_toekomst", "reason": f"a year up to {vandaag.year}: nothing is imposed yet"}],
        )
    tabel = await statistieken.jaarbeeld(session, jaar)
    if "text/csv" in request.headers.get("accept", ""):
        return PlainTextResponse(tabel.to_csv(), media_type="text/csv; charset=utf-8")
    return JSONResponse(tabel.to_json())
