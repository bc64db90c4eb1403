"""Register's HTTP operations (under /api/v1)."""

import uuid
from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request, Response

from register import repository, rules, service
from register.repository import Zoekvraag
from register.schemas import (
    AandachtspuntUit,
    ActieveMaatregel,
    Beeindiging,
    IntrekkingIn,
    Sector,
    VergunningAanvraagIn,
    VergunningBesluitIn,
    VergunningPagina,
    VergunningUit,
    Wijziging,
    WijzigingenPagina,
    WtzaMeldingIn,
    WtzaMeldingResultaat,
    Zoekopdracht,
    ZoekPagina,
    ZoekResultaat,
    Zorgaanbieder,
    ZorgaanbiederGegevens,
    ZorgaanbiederPagina,
    ZorgaanbiederSamenvatting,
)
from register.zoeken_normalisatie import normaliseer
from zorgtoezicht import klok
from zorgtoezicht.audit import AuditTrailEntry, actor_from
from zorgtoezicht.domain.identifiers import GemeenteCode, KvkNummer, Postcode, Vestigingsnummer
from zorgtoezicht.domain.zorgaanbieders import VergunningStatus, Vergunningstatus, ZorgaanbiederStatus
from zorgtoezicht.http.app import api_router, body_limit, raises
from zorgtoezicht.http.paging import Keyset, Paging, query_paging
from zorgtoezicht.http.problems import Conflict, Forbidden, InvalidInput, NotFound
from zorgtoezicht.http.schemas import json_response
from zorgtoezicht.http.security import Client, require_scope
from zorgtoezicht.service import DbSession, Runtime
from zorgtoezicht.termijnen import vandaag

LEZEN = "register.zorgaanbieders.lezen"
SCHRIJVEN = "register.zorgaanbieders.schrijven"
WTZA = "register.wtza-meldingen.schrijven"
VERGUNNINGEN = "register.vergunningen.schrijven"
AUDIT = "register.audittrail.lezen"

router = api_router()


def _werk(scope: str, *, cibg_only: bool = False):
    async def werk(
        session: DbSession,
        runtime: Runtime,
        client: Annotated[Client, require_scope(scope)],
        toelichting: Annotated[str | None, Header(alias="X-Audit-Toelichting", max_length=1000)] = None,
    ) -> service.Werk:
        if cibg_only and client.client_id not in runtime.settings.cibg_client_ids:
            raise Forbidden("Only CIBG delivers Wtza meldingen and licence decisions", code="alleen_cibg")
        return runtime.werk(session, actor_from(client, toelichting))

    werk.required_scope = scope  # type: ignore[attr-defined]
    return werk


Schrijfwerk = Annotated[service.Werk, Depends(_werk(SCHRIJVEN))]
CibgWtzaWerk = Annotated[service.Werk, Depends(_werk(WTZA, cibg_only=True))]
CibgVergunningWerk = Annotated[service.Werk, Depends(_werk(VERGUNNINGEN, cibg_only=True))]
ZorgaanbiederId = Annotated[uuid.UUID, Path(alias="zorgaanbiederId")]
VergunningId = Annotated[uuid.UUID, Path(alias="vergunningId")]


async def _detail(session, zorgaanbieder_id: uuid.UUID, peildatum: date | None = None) -> Zorgaanbieder:
    found = await repository.get_zorgaanbieder(session, zorgaanbieder_id)
    if found is None:
        raise NotFound(f"No zorgaanbieder with id {zorgaanbieder_id}")
    result = Zorgaanbieder.model_validate(found)
    result.actieve_maatregelen = [
        ActieveMaatregel.model_validate(m) for m in await repository.actieve_maatregelen(session, zorgaanbieder_id, peildatum or vandaag())
    ]
    result.open_aandachtspunten = [
        AandachtspuntUit.model_validate(a) for a in await repository.open_aandachtspunten(session, zorgaanbieder_id)
    ]
    return result


# --- zorgaanbieders --------------------------------------------------------------------------------


@router.post(
    "/zorgaanbieders",
    status_code=201,
    response_model=Zorgaanbieder,
    operation_id="zorgaanbiederRegistreren",
    responses=raises(Conflict),
    tags=["zorgaanbieders"],
    summary="Enter a care provider with its vestigingen directly (staff)",
)
async def registreren(body: ZorgaanbiederGegevens, werk: Schrijfwerk, runtime: Runtime, response: Response) -> Zorgaanbieder:
    created = await service.registreer_zorgaanbieder(werk, body)
    response.headers["Location"] = f"{runtime.settings.public_url}/api/v1/zorgaanbieders/{created.id}"
    return await _detail(werk.session, created.id)


# The orders of the paged operations (a cursor fits only the operation, and the order, it came from).
OP_KVK = Keyset("zorgaanbiedersLijst", str, uuid.UUID)  # (kvk-nummer, id)
ZOEK_OP_KVK = Keyset("zorgaanbiedersZoeken", str, uuid.UUID)  # (kvk-nummer, id): search without a name
ZOEK_OP_NAAM = Keyset("zorgaanbiedersZoeken.naam", float, uuid.UUID)  # (name distance, id): search by name
WIJZIGINGEN = Keyset("zorgaanbiederWijzigingen", datetime, uuid.UUID)  # (first change in the window, id)
VERGUNNINGEN_OP_BESLISDATUM = Keyset("vergunningenLijst", date, uuid.UUID)  # (uiterste beslisdatum, id)


@router.get(
    "/zorgaanbieders",
    response_model=ZorgaanbiederPagina,
    operation_id="zorgaanbiedersLijst",
    tags=["zorgaanbieders"],
    dependencies=[require_scope(LEZEN)],
    summary="Care providers by KvK-nummer order, filtered (search by name: POST /zorgaanbieders/_zoek)",
)
async def lijst(
    session: DbSession,
    paging: Annotated[Paging, query_paging(OP_KVK)],
    kvk_nummer: Annotated[KvkNummer | None, Query(alias="kvkNummer")] = None,
    vestigingsnummer: Annotated[Vestigingsnummer | None, Query()] = None,
    postcode: Annotated[Postcode | None, Query()] = None,
    gemeente_code: Annotated[GemeenteCode | None, Query(alias="gemeenteCode")] = None,
    sector: Annotated[Sector | None, Query()] = None,
    vergunningstatus: Annotated[Vergunningstatus | None, Query()] = None,
    status: Annotated[ZorgaanbiederStatus | None, Query()] = None,
) -> ZorgaanbiederPagina:
    vraag = Zoekvraag(
        kvk_nummer=kvk_nummer,
        vestigingsnummer=vestigingsnummer,
        postcode=postcode,
        gemeente_code=gemeente_code,
        sector=sector.value if sector else None,
        vergunningstatus=vergunningstatus,
        status=status,
    )
    rows, next_url = await paging.page(
        lambda limit, after: repository.zoek(session, vraag, limit, after), lambda row: (row[0].kvk_nummer, row[0].id)
    )
    return ZorgaanbiederPagina(results=[ZorgaanbiederSamenvatting.model_validate(z) for z, _ in rows], next=next_url)


@router.post(
    "/zorgaanbieders/_zoek",
    response_model=ZoekPagina,
    operation_id="zorgaanbiedersZoeken",
    tags=["zorgaanbieders"],
    dependencies=[require_scope(LEZEN)],
    summary="Search care providers by (part of a) name with typos, KvK-nummer, vestiging, postcode, gemeente, …",
)
async def zoeken(body: Zoekopdracht, session: DbSession, request: Request) -> Response:
    naam = normaliseer(body.naam) if body.naam else None
    if body.naam is not None and not naam:
        raise InvalidInput(
            "The name has no letters or digits",
            invalid_params=[{"name": "naam", "code": "leeg", "reason": "no letters or digits to search for"}],
        )
    vraag = Zoekvraag(
        naam=naam,
        kvk_nummer=body.kvk_nummer,
        vestigingsnummer=body.vestigingsnummer,
        postcode=body.postcode,
        gemeente_code=body.gemeente_code,
        gemeente=body.gemeente,
        sector=body.sector.value if body.sector else None,
        vergunningstatus=body.vergunningstatus,
        status=body.status,
    )
    paging = Paging(request, ZOEK_OP_NAAM if naam else ZOEK_OP_KVK, body.page_size, body.cursor)
    rows, next_cursor = await paging.rows(
        lambda limit, after: repository.zoek(session, vraag, limit, after),
        lambda row: (row[1], row[0].id) if naam else (row[0].kvk_nummer, row[0].id),
    )
    results = [
        ZoekResultaat.model_validate({veld: getattr(z, veld) for veld in SAMENVATTING_VELDEN} | {"score": _score(distance)})
        for z, distance in rows
    ]
    return json_response(ZoekPagina(results=results, next_cursor=next_cursor))  # a page of 20 is not validated twice


# A search row is validated from a dict of its columns, not from its attributes: pydantic would first ask a row
# for each camelCase alias, and a row answers a missing name with an exception (0.8 against 0.2 ms a page of 21).
SAMENVATTING_VELDEN = tuple(ZorgaanbiederSamenvatting.model_fields)


def _score(distance: float | None) -> float | None:
    return round(1 - distance, 3) if distance is not None else None


@router.get(
    "/zorgaanbieders/{zorgaanbiederId}",
    response_model=Zorgaanbieder,
    operation_id="zorgaanbiederOpvragen",
    tags=["zorgaanbieders"],
    dependencies=[require_scope(LEZEN)],
    summary="One care provider with vestigingen, active measures and open aandachtspunten",
)
async def opvragen(
    zorgaanbieder_id: ZorgaanbiederId,
    session: DbSession,
    peildatum: Annotated[
        date | None,
        Query(description="The day whose measures in force are shown (default today, the Dutch calendar day)"),
    ] = None,
) -> Zorgaanbieder:
    return await _detail(session, zorgaanbieder_id, peildatum)


@router.post(
    "/zorgaanbieders/{zorgaanbiederId}/beeindiging",
    response_model=Zorgaanbieder,
    operation_id="zorgaanbiederBeeindigen",
    responses=raises(Conflict),
    tags=["zorgaanbieders"],
    summary="Record that a care provider stopped delivering care",
)
async def beeindigen(zorgaanbieder_id: ZorgaanbiederId, body: Beeindiging, werk: Schrijfwerk) -> Zorgaanbieder:
    await service.beeindig(werk, zorgaanbieder_id, body)
    return await _detail(werk.session, zorgaanbieder_id)


@router.get(
    "/zorgaanbieders/{zorgaanbiederId}/audittrail",
    response_model=list[AuditTrailEntry],
    operation_id="zorgaanbiederAudittrail",
    tags=["zorgaanbieders"],
    dependencies=[require_scope(AUDIT)],
    summary="Every change of a care provider: who, which client, when, old and new",
)
async def audittrail(zorgaanbieder_id: ZorgaanbiederId, session: DbSession, runtime: Runtime) -> list[AuditTrailEntry]:
    if await repository.get_zorgaanbieder(session, zorgaanbieder_id) is None:
        raise NotFound(f"No zorgaanbieder with id {zorgaanbieder_id}")
    return await runtime.audit.of(session, zorgaanbieder_id)


@router.get(
    "/wijzigingen/zorgaanbieders",
    response_model=WijzigingenPagina,
    operation_id="zorgaanbiederWijzigingen",
    tags=["zorgaanbieders"],
    dependencies=[require_scope(LEZEN)],
    summary="Ids of the care providers changed in [startTimestamp, endTimestamp), for synchronising by polling",
)
async def wijzigingen(
    session: DbSession,
    runtime: Runtime,
    start: Annotated[datetime, Query(alias="startTimestamp", description="Inclusive, ISO 8601 with offset")],
    end: Annotated[datetime, Query(alias="endTimestamp", description="Exclusive, ISO 8601 with offset")],
    paging: Annotated[Paging, query_paging(WIJZIGINGEN, default=500, maximum=1000)],
) -> WijzigingenPagina:
    problems = []
    for name, value in (("startTimestamp", start), ("endTimestamp", end)):
        if value.tzinfo is None:
            problems.append({"name": name, "code": "timezone", "reason": "give a UTC offset, e.g. 2026-11-23T10:00:00Z"})
    if not problems and end <= start:
        problems.append({"name": "endTimestamp", "code": "order", "reason": "must lie after startTimestamp"})
    latest = klok.nu() - timedelta(seconds=runtime.settings.wijzigingen_vertraging)
    if not problems and end > latest:
        problems.append(
            {
                "name": "endTimestamp",
                "code": "te_recent",
                "reason": f"must lie at least {runtime.settings.wijzigingen_vertraging:g} s in the past, so the window is final",
            }
        )
    if problems:
        raise InvalidInput("The window is not valid", invalid_params=problems)
    rows, next_url = await paging.page(
        lambda limit, after: repository.gewijzigde_zorgaanbieders(session, start, end, limit, after), lambda row: row
    )
    return WijzigingenPagina(results=[Wijziging(zorgaanbieder_id=i, gewijzigd_op=m) for m, i in rows], next=next_url)


# --- CIBG: Wtza meldingen and licences -------------------------------------------------------------


@router.post(
    "/wtza-meldingen",
    status_code=201,
    response_model=WtzaMeldingResultaat,
    operation_id="wtzaMeldingVerwerken",
    responses=raises(Conflict),
    tags=["wtza-meldingen"],
    summary="A Wtza melding forwarded by CIBG (idempotent on cibgReferentie)",
    dependencies=[body_limit(1024 * 1024)],
)  # a chain of providers may report many vestigingen at once
async def wtza_melding(body: WtzaMeldingIn, werk: CibgWtzaWerk, runtime: Runtime, response: Response) -> WtzaMeldingResultaat:
    resultaat, replay = await service.verwerk_wtza_melding(werk, body, rules.Drempels())
    if replay:
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = f"{runtime.settings.public_url}/api/v1/zorgaanbieders/{resultaat['zorgaanbiederId']}"
    return WtzaMeldingResultaat.model_validate(resultaat)


def _vergunning_uit(v) -> VergunningUit:
    uit = VergunningUit.model_validate(v)
    uit.achterstallig = v.status == VergunningStatus.aangevraagd and v.uiterste_beslisdatum < vandaag()
    return uit


@router.post(
    "/vergunningen",
    status_code=201,
    response_model=VergunningUit,
    operation_id="vergunningAanvraagOntvangen",
    responses=raises(NotFound, Conflict),
    tags=["vergunningen"],
    summary="A complete licence application reached CIBG (idempotent on cibgReferentie)",
)
async def aanvraag(body: VergunningAanvraagIn, werk: CibgVergunningWerk, runtime: Runtime, response: Response) -> VergunningUit:
    v, replay = await service.vergunning_aangevraagd(werk, body)
    if replay:
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = f"{runtime.settings.public_url}/api/v1/vergunningen/{v.id}"
    return _vergunning_uit(v)


@router.get(
    "/vergunningen",
    response_model=VergunningPagina,
    operation_id="vergunningenLijst",
    tags=["vergunningen"],
    dependencies=[require_scope(LEZEN)],
    summary="Licences by decision deadline; achterstallig=true lists the overdue",
)
async def vergunningen(
    session: DbSession,
    paging: Annotated[Paging, query_paging(VERGUNNINGEN_OP_BESLISDATUM)],
    status: Annotated[VergunningStatus | None, Query()] = None,
    achterstallig: Annotated[bool, Query(description="Only applications undecided after CIBG's 8-week term")] = False,
) -> VergunningPagina:
    rows, next_url = await paging.page(
        lambda limit, after: repository.page_of_vergunningen(
            session, status=status, achterstallig_op=vandaag() if achterstallig else None, size=limit, after=after
        ),
        lambda v: (v.uiterste_beslisdatum, v.id),
    )
    return VergunningPagina(results=[_vergunning_uit(v) for v in rows], next=next_url)


@router.get(
    "/vergunningen/{vergunningId}",
    response_model=VergunningUit,
    operation_id="vergunningOpvragen",
    tags=["vergunningen"],
    dependencies=[require_scope(LEZEN)],
    summary="One licence and its decision term",
)
async def vergunning(vergunning_id: VergunningId, session: DbSession) -> VergunningUit:
    v = await repository.get_vergunning(session, vergunning_id)
    if v is None:
        raise NotFound(f"No vergunning with id {vergunning_id}")
    return _vergunning_uit(v)


@router.post(
    "/vergunningen/{vergunningId}/besluit",
    response_model=VergunningUit,
    operation_id="vergunningBesluit",
    responses=raises(Conflict),
    tags=["vergunningen"],
    summary="CIBG's decision on the application: verleend or geweigerd",
)
async def besluit(vergunning_id: VergunningId, body: VergunningBesluitIn, werk: CibgVergunningWerk) -> VergunningUit:
    return _vergunning_uit(await service.vergunning_besluit(werk, vergunning_id, body))


@router.post(
    "/vergunningen/{vergunningId}/intrekking",
    response_model=VergunningUit,
    operation_id="vergunningIntrekken",
    responses=raises(Conflict),
    tags=["vergunningen"],
    summary="Withdrawal of a granted licence on one of the legal grounds",
)
async def intrekking(vergunning_id: VergunningId, body: IntrekkingIn, werk: CibgVergunningWerk) -> VergunningUit:
    return _vergunning_uit(await service.vergunning_ingetrokken(werk, vergunning_id, body))
