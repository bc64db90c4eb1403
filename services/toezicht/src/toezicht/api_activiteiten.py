"""toezicht's HTTP operations on supervision activities, their judgements, the normenkader and the Jaarbeeld table."""

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from toezicht import activiteiten, normenkader, oordelen, statistieken
from toezicht import repository_activiteiten as repository
from toezicht.models import Oordeel, OordeelNorm
from toezicht.models import Toezichtactiviteit as ActiviteitRij
from toezicht.schemas import (
    ActiviteitStatusRegel,
    ActiviteitStatusWijziging,
    NormenkaderUit,
    NormoordeelUit,
    NormUit,
    OordeelIn,
    OordeelUit,
    Toezichtactiviteit,
    ToezichtactiviteitIn,
    ToezichtactiviteitPagina,
    ToezichtactiviteitSamenvatting,
)
from zorgtoezicht.audit import actor_from
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.domain.toezicht import ActiviteitSoort, ActiviteitStatus, Selectieroute
from zorgtoezicht.http.app import api_router, raises
from zorgtoezicht.http.paging import Keyset, Paging, query_paging
from zorgtoezicht.http.problems import Conflict, InvalidInput
from zorgtoezicht.http.schemas import json_response
from zorgtoezicht.http.security import Client, require_scope
from zorgtoezicht.service import DbSession, Runtime
from zorgtoezicht.werk import Werk

ACTIVITEITEN_LEZEN = "toezicht.activiteiten.lezen"
ACTIVITEITEN_SCHRIJVEN = "toezicht.activiteiten.schrijven"
OORDELEN_VASTSTELLEN = "toezicht.oordelen.vaststellen"
STATISTIEKEN_LEZEN = "toezicht.statistieken.lezen"
SCOPES = {
    ACTIVITEITEN_LEZEN: "read supervision activities, their history and judgements (audited)",
    ACTIVITEITEN_SCHRIJVEN: "enter supervision activities by hand and move them along their lifecycle",
    OORDELEN_VASTSTELLEN: "fix the judgement of a performed supervision activity",
    STATISTIEKEN_LEZEN: "read the Jaarbeeld table of supervision activities",
}
TAGS = {
    "toezichtactiviteiten": "Supervision activities, their lifecycle and judgements",
    "statistieken": "Jaarbeeld tables from live data",
}

router = api_router(tags=["toezichtactiviteiten"])


def _werk(scope: str):  # a dependency factory
    async def werk(
        session: DbSession,
        runtime: Runtime,
        client: Annotated[Client, require_scope(scope)],
        toelichting: Annotated[str | None, Header(alias="X-Audit-Toelichting", max_length=1000)] = None,
    ) -> Werk:
        return runtime.werk(session, actor_from(client, toelichting))

    return werk


Leeswerk = Annotated[Werk, Depends(_werk(ACTIVITEITEN_LEZEN))]
Schrijfwerk = Annotated[Werk, Depends(_werk(ACTIVITEITEN_SCHRIJVEN))]
Oordeelwerk = Annotated[Werk, Depends(_werk(OORDELEN_VASTSTELLEN))]
ActiviteitId = Annotated[uuid.UUID, Path(alias="toezichtactiviteitId")]
ACTIVITEITEN = Keyset("toezichtactiviteitenLijst", datetime, uuid.UUID)  # (aangemaakt op, id), newest first


def _detail(a: ActiviteitRij, statussen) -> Toezichtactiviteit:
    detail = Toezichtactiviteit.model_validate(a)
    detail.statussen = [ActiviteitStatusRegel.model_validate(s) for s in statussen]
    return detail


def _oordeel(oordeel: Oordeel, normen: list[OordeelNorm]) -> OordeelUit:
    return OordeelUit(
        id=oordeel.id,
        activiteit_id=oordeel.activiteit_id,
        zorgaanbieder_id=oordeel.zorgaanbieder_id,
        sector=oordeel.sector,
        normenkader_versie=oordeel.normenkader_versie,
        vastgesteld_op=oordeel.vastgesteld_op,
        vastgesteld_door=oordeel.vastgesteld_door,
        aantal_voldaan=oordeel.aantal_voldaan,
        aantal_deels=oordeel.aantal_deels,
        aantal_niet_voldaan=oordeel.aantal_niet_voldaan,
        normen=[NormoordeelUit.model_validate(n) for n in normen],
    )


@router.post(
    "/toezichtactiviteiten",
    status_code=201,
    response_model=Toezichtactiviteit,
    operation_id="toezichtactiviteitAanmaken",
    summary="Enter a supervision activity by hand (selectieroute handmatig): proposed, or planned when geplandOp is given",
)
async def aanmaken(body: ToezichtactiviteitIn, werk: Schrijfwerk, runtime: Runtime) -> Response:
    a = await activiteiten.nieuw(
        werk,
        zorgaanbieder_id=body.zorgaanbieder_id,
        soort=body.soort,
        selectieroute=Selectieroute.handmatig,
        selectiereden=body.selectiereden,
        sector=body.sector,
        thema=body.thema,
        aangekondigd=body.aangekondigd,
        vorm=body.vorm,
        uiterlijk=body.uiterlijk,
        status=ActiviteitStatus.gepland if body.gepland_op else ActiviteitStatus.voorgesteld,
        gepland_op=body.gepland_op,
    )
    detail = _detail(a, await repository.statussen(werk.session, a.id))
    return json_response(detail, status_code=201, headers={"Location": f"{runtime.settings.public_url}/api/v1/toezichtactiviteiten/{a.id}"})


@router.get(
    "/toezichtactiviteiten",
    response_model=ToezichtactiviteitPagina,
    operation_id="toezichtactiviteitenLijst",
    summary="Supervision activities, newest first, filtered; narrowed to one provider the read is audited",
)
async def lijst(
    werk: Leeswerk,
    paging: Annotated[Paging, query_paging(ACTIVITEITEN)],
    status: Annotated[ActiviteitStatus | None, Query()] = None,
    soort: Annotated[ActiviteitSoort | None, Query()] = None,
    zorgaanbieder_id: Annotated[uuid.UUID | None, Query(alias="zorgaanbiederId")] = None,
    planning_id: Annotated[uuid.UUID | None, Query(alias="planningId")] = None,
    gepland_vanaf: Annotated[date | None, Query(alias="geplandVanaf")] = None,
    gepland_tot_en_met: Annotated[date | None, Query(alias="geplandTotEnMet")] = None,
    uitgevoerd_vanaf: Annotated[date | None, Query(alias="uitgevoerdVanaf")] = None,
    uitgevoerd_tot_en_met: Annotated[date | None, Query(alias="uitgevoerdTotEnMet")] = None,
) -> ToezichtactiviteitPagina:
    fouten = [
        {"name": tot, "code": "voor_vanaf", "reason": f"lies before {vanaf}"}
        for vanaf, tot, begin, eind in (
            ("geplandVanaf", "geplandTotEnMet", gepland_vanaf, gepland_tot_en_met),
            ("uitgevoerdVanaf", "uitgevoerdTotEnMet", uitgevoerd_vanaf, uitgevoerd_tot_en_met),
        )
        if begin is not None and eind is not None and eind < begin
    ]
    if fouten:
        raise InvalidInput("The period is not valid", invalid_params=fouten)
    filter = repository.Filter(
        status=status,
        soort=soort,
        zorgaanbieder_id=zorgaanbieder_id,
        planning_id=planning_id,
        gepland_vanaf=gepland_vanaf,
        gepland_tot_en_met=gepland_tot_en_met,
        uitgevoerd_vanaf=uitgevoerd_vanaf,
        uitgevoerd_tot_en_met=uitgevoerd_tot_en_met,
    )
    if zorgaanbieder_id is not None:
        await activiteiten.lijst_gelezen(werk, zorgaanbieder_id)
    rows, next_url = await paging.page(
        lambda limit, after: repository.page_of_activiteiten(werk.session, filter, size=limit, after=after),
        lambda a: (a.aangemaakt_op, a.id),
    )
    return ToezichtactiviteitPagina(results=[ToezichtactiviteitSamenvatting.model_validate(a) for a in rows], next=next_url)


@router.get(
    "/toezichtactiviteiten/{toezichtactiviteitId}",
    response_model=Toezichtactiviteit,
    operation_id="toezichtactiviteitOpvragen",
    summary="One supervision activity with its status history (the read is audited)",
)
async def opvragen(activiteit_id: ActiviteitId, werk: Leeswerk) -> Toezichtactiviteit:
    return _detail(*await activiteiten.lees(werk, activiteit_id))


@router.post(
    "/toezichtactiviteiten/{toezichtactiviteitId}/status",
    response_model=Toezichtactiviteit,
    operation_id="toezichtactiviteitStatusWijzigen",
    responses=raises(Conflict),
    summary="Move the activity along its lifecycle table; any other change is 409 (vervallen needs a toelichting)",
)
async def status(activiteit_id: ActiviteitId, body: ActiviteitStatusWijziging, werk: Schrijfwerk) -> Toezichtactiviteit:
    a = await activiteiten.wijzig_status(werk, activiteit_id, body)
    return _detail(a, await repository.statussen(werk.session, a.id))


@router.post(
    "/toezichtactiviteiten/{toezichtactiviteitId}/oordeel",
    status_code=201,
    response_model=OordeelUit,
    operation_id="oordeelVaststellen",
    responses=raises(Conflict),
    summary="Fix the judgement of a performed activity per norm of its sector kader; emits oordeel-vastgesteld",
)
async def oordeel_vaststellen(activiteit_id: ActiviteitId, body: OordeelIn, werk: Oordeelwerk, runtime: Runtime) -> Response:
    oordeel, normen = await oordelen.stel_vast(werk, activiteit_id, body)
    return json_response(
        _oordeel(oordeel, normen),
        status_code=201,
        headers={"Location": f"{runtime.settings.public_url}/api/v1/toezichtactiviteiten/{activiteit_id}/oordeel"},
    )


@router.get(
    "/toezichtactiviteiten/{toezichtactiviteitId}/oordeel",
    response_model=OordeelUit,
    operation_id="oordeelOpvragen",
    summary="The judgement of an activity with its findings per norm (the read is audited)",
)
async def oordeel_opvragen(activiteit_id: ActiviteitId, werk: Leeswerk) -> OordeelUit:
    return _oordeel(*await oordelen.lees(werk, activiteit_id))


@router.get(
    "/normenkaders/{sector}",
    response_model=NormenkaderUit,
    operation_id="normenkaderOpvragen",
    summary="The norms a judgement in this sector is given against (general norms first), with the kader's version",
    dependencies=[require_scope(ACTIVITEITEN_LEZEN)],
)
async def normenkader_opvragen(sector: Annotated[Sector, Path()]) -> NormenkaderUit:
    kader = normenkader.kader()
    return NormenkaderUit(
        sector=sector,
        versie=kader.versie,
        kenmerk=kader.kenmerk,
        toelichting=kader.toelichting,
        normen=[NormUit(id=n.id, tekst=n.tekst, bron=n.bron) for n in kader.voor(sector).values()],
    )


@router.get(
    "/statistieken/toezichtactiviteiten",
    operation_id="statistiekToezichtactiviteiten",
    tags=["statistieken"],
    summary="Supervision activities performed per kind per year, in the Jaarbeeld layout (JSON, or CSV with Accept: text/csv)",
    dependencies=[require_scope(STATISTIEKEN_LEZEN)],
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": {"type": "string"}}}}},
)
async def jaarbeeld(
    session: DbSession,
    request: Request,
    van_jaar: Annotated[int, Query(alias="vanJaar", ge=2000, le=2100)],
    tot_en_met_jaar: Annotated[int, Query(alias="totEnMetJaar", ge=2000, le=2100)],
) -> Response:
    if tot_en_met_jaar < van_jaar or tot_en_met_jaar - van_jaar >= statistieken.MAX_JAREN:
        raise InvalidInput(
            "The years are not valid",
            invalid_params=[
                {"name": "totEnMetJaar", "code": "bereik", "reason": f"from vanJaar, at most {statistieken.MAX_JAREN} years, not before it"}
            ],
        )
    tellingen = await repository.uitgevoerd_per_soort_en_jaar(session, van_jaar, tot_en_met_jaar)
    tabel = statistieken.activiteitentabel(tellingen, van_jaar, tot_en_met_jaar)
    if "text/csv" in request.headers.get("accept", ""):
        return PlainTextResponse(tabel.to_csv(), media_type="text/csv; charset=utf-8")
    return JSONResponse(tabel.to_json())
