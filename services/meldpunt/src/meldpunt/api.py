"""meldpunt's HTTP operations (under /api/v1)."""

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request, Response
from fastapi.responses import PlainTextResponse

from meldpunt import repository, service, statistieken
from meldpunt.models import Melding as MeldingRij
from meldpunt.register_client import register_client
from meldpunt.schemas import (
    Inzageverzoek,
    Melding,
    MeldingIn,
    MeldingPagina,
    MeldingSamenvatting,
    MogelijkeDubbel,
    Persoonsgegevens,
    RapportOntvangst,
    Samenvoeging,
    StatusRegel,
    StatusWijziging,
    Termijnverlenging,
    Triage,
    TriageCorrectie,
    ZorgaanbiederKandidaat,
    ZorgaanbiederKoppeling,
)
from meldpunt.settings import MeldpuntSettings
from zorgtoezicht import klok
from zorgtoezicht.audit import AuditTrailEntry, actor_from
from zorgtoezicht.domain.meldingen import MeldingSoort, MeldingStatus, Route
from zorgtoezicht.http.app import api_router, raises
from zorgtoezicht.http.paging import Keyset, Paging, query_paging
from zorgtoezicht.http.problems import Conflict, NotFound
from zorgtoezicht.http.schemas import json_response
from zorgtoezicht.http.security import Client, require_scope
from zorgtoezicht.http.upstream import BadGateway
from zorgtoezicht.logs import current_correlation_id
from zorgtoezicht.service import DbSession, Runtime
from zorgtoezicht.termijnen import vandaag

INDIENEN = "meldpunt.meldingen.indienen"
LEZEN = "meldpunt.meldingen.lezen"
LEZEN_GEMEENTE = "meldpunt.meldingen.lezen-gemeente"
BEHANDELEN = "meldpunt.meldingen.behandelen"
TRIAGE = "meldpunt.triage.corrigeren"
PERSOONSGEGEVENS = "meldpunt.persoonsgegevens.inzien"
STATISTIEKEN = "meldpunt.statistieken.lezen"
AUDIT = "meldpunt.audittrail.lezen"
STAF = (LEZEN, BEHANDELEN, TRIAGE, PERSOONSGEGEVENS, AUDIT)  # the inspectorate's own work on meldingen

router = api_router(tags=["meldingen"])


AuditToelichting = Annotated[str | None, Header(alias="X-Audit-Toelichting", max_length=1000)]


def zicht(client: Client, settings: MeldpuntSettings) -> repository.Zicht:
    """Which meldingen this client may see, decided here once for every operation (the query applies it).

    - A client configured in MELDPUNT_PARTNERS (a Wmo-toezichthouder) sees the meldingen of its own
      gemeenten (with a reading scope), whatever else its token holds, plus those it submitted itself.
    - Any other client holding a staff scope (lezen, behandelen, triage, persoonsgegevens, audittrail)
      is the inspectorate's own and sees every melding, unless it holds ``lezen-gemeente`` without
      ``lezen``: a partner whose gemeenten are not configured sees none (fail closed).
    - Anyone else sees only the meldingen it submitted (with ``indienen``)."""
    eigen = client.client_id if client.has(INDIENEN) else None
    partner = settings.partners.get(client.client_id)
    if partner is not None:
        leest = client.has(LEZEN_GEMEENTE) or client.has(LEZEN)
        return repository.Zicht(gemeenten=frozenset(partner.gemeenten if leest else ()), ingediend_door=eigen)
    if client.has(LEZEN) or (not client.has(LEZEN_GEMEENTE) and any(client.has(s) for s in STAF)):
        return repository.ALLES
    return repository.Zicht(gemeenten=frozenset(), ingediend_door=eigen)


def _werk(scope: str, *alternatives: str):  # a dependency factory
    async def werk(
        session: DbSession,
        runtime: Runtime,
        client: Annotated[Client, require_scope(scope, *alternatives)],
        toelichting: AuditToelichting = None,
    ) -> service.Werk:
        return service.Werk(
            session,
            runtime.outbox,
            runtime.audit,
            actor_from(client, toelichting),
            runtime.termijnen,
            runtime.settings,
            service.versleuteling(runtime.state),
            zicht=zicht(client, runtime.settings),
        )

    return werk


Behandelwerk = Annotated[service.Werk, Depends(_werk(BEHANDELEN))]
Triagewerk = Annotated[service.Werk, Depends(_werk(TRIAGE))]
Inzagewerk = Annotated[service.Werk, Depends(_werk(PERSOONSGEGEVENS))]
Leeswerk = Annotated[service.Werk, Depends(_werk(LEZEN, LEZEN_GEMEENTE, INDIENEN))]
Lijstwerk = Annotated[service.Werk, Depends(_werk(LEZEN, LEZEN_GEMEENTE))]
Staflezerwerk = Annotated[service.Werk, Depends(_werk(LEZEN, BEHANDELEN))]
Auditwerk = Annotated[service.Werk, Depends(_werk(AUDIT))]
MeldingId = Annotated[uuid.UUID, Path(alias="meldingId")]
MELDINGEN = Keyset("meldingenLijst", datetime, uuid.UUID)  # (ontvangen op, id), newest first


def _detail(m: MeldingRij) -> Melding:
    detail = Melding.model_validate(m)
    detail.triage = _triage(m)
    detail.heeft_persoonsgegevens = m.persoonsgegevens is not None
    return detail


def _triage(m: MeldingRij) -> Triage | None:
    if not m.triage_besluit:
        return None
    t = m.triage_besluit
    return Triage(
        route=t["route"],
        prioriteit=t["prioriteit"],
        afhandeldatum=t["afhandeldatum"],
        regel=t["regel_id"],
        tabel_versie=t["tabel_versie"],
        uitleg=t["uitleg"],
        doorverwijzen_naar=t.get("doorverwijzen_naar"),
        handmatig=t.get("handmatig", False),
        rapport_uiterlijk=m.rapport_uiterlijk,
    )


@router.post(
    "/meldingen",
    status_code=201,
    response_model=Melding,
    operation_id="meldingIndienen",
    summary="Submit a melding of any kind; it is checked, triaged and routed at once",
)
async def indienen(
    body: MeldingIn, runtime: Runtime, client: Annotated[Client, require_scope(INDIENEN)], toelichting: AuditToelichting = None
) -> Response:
    # Written together with meldingen submitted at the same moment (group commit); answered once committed.
    m = await service.intake(runtime).submit(service.Indiening(body, actor_from(client, toelichting), klok.nu(), current_correlation_id()))
    return json_response(_detail(m), status_code=201, headers={"Location": f"{runtime.settings.public_url}/api/v1/meldingen/{m.id}"})


@router.get(
    "/meldingen",
    response_model=MeldingPagina,
    operation_id="meldingenLijst",
    summary="Meldingen, newest first, without personal data; a Wmo-toezichthouder sees only its gemeenten",
)
async def lijst(
    werk: Lijstwerk,
    paging: Annotated[Paging, query_paging(MELDINGEN)],
    status: Annotated[MeldingStatus | None, Query()] = None,
    soort: Annotated[MeldingSoort | None, Query()] = None,
    route: Annotated[Route | None, Query()] = None,
    zorgaanbieder_id: Annotated[uuid.UUID | None, Query(alias="zorgaanbiederId")] = None,
    verlopen: Annotated[bool, Query(description="Only open meldingen past their due date or report term")] = False,
) -> MeldingPagina:
    rows, next_url = await paging.page(
        lambda limit, after: repository.page_of_meldingen(
            werk.session,
            werk.zicht,
            size=limit,
            after=after,
            status=status,
            soort=soort,
            route=route,
            zorgaanbieder_id=zorgaanbieder_id,
            verlopen_op=vandaag() if verlopen else None,
        ),
        lambda m: (m.ontvangen_op, m.id),
    )
    return MeldingPagina(results=[MeldingSamenvatting.model_validate(m) for m in rows], next=next_url)


@router.get(
    "/meldingen/{meldingId}",
    response_model=Melding,
    operation_id="meldingOpvragen",
    summary="One melding with its triage and timeliness, without personal data",
)
async def opvragen(melding_id: MeldingId, werk: Leeswerk) -> Melding:
    return _detail(await service.melding(werk, melding_id))


@router.get(
    "/meldingen/{meldingId}/triage",
    response_model=Triage,
    operation_id="meldingTriage",
    summary="The route and why, in plain Dutch: readable by the reporter for its own melding",
)
async def triage(melding_id: MeldingId, werk: Leeswerk) -> Triage:
    m = await service.melding(werk, melding_id)
    found = _triage(m)
    if found is None:
        raise NotFound("This melding has not been triaged yet")
    return found


@router.post(
    "/meldingen/{meldingId}/triagecorrectie",
    response_model=Melding,
    operation_id="meldingTriageCorrigeren",
    responses=raises(Conflict),
    summary="An inspector overrides the route or priority, with a mandatory reason (audit trail)",
)
async def triagecorrectie(melding_id: MeldingId, body: TriageCorrectie, werk: Triagewerk) -> Melding:
    return _detail(await service.corrigeer_triage(werk, melding_id, body))


@router.post(
    "/meldingen/{meldingId}/status",
    response_model=Melding,
    operation_id="meldingStatusWijzigen",
    responses=raises(Conflict),
    summary="Move the melding along the workflow; any change not in the table is 409",
)
async def status(melding_id: MeldingId, body: StatusWijziging, werk: Behandelwerk) -> Melding:
    return _detail(await service.wijzig_status(werk, melding_id, body))


@router.get(
    "/meldingen/{meldingId}/statussen",
    response_model=list[StatusRegel],
    operation_id="meldingStatussen",
    summary="The status history, oldest first",
)
async def statussen(melding_id: MeldingId, werk: Leeswerk) -> list[StatusRegel]:
    await service.melding(werk, melding_id)
    return [StatusRegel.model_validate(s) for s in await repository.statussen(werk.session, werk.zicht, melding_id)]


@router.post(
    "/meldingen/{meldingId}/calamiteitenrapport",
    response_model=Melding,
    operation_id="calamiteitenrapportOntvangen",
    responses=raises(Conflict),
    summary="The provider's calamiteitenrapport arrived",
)
async def rapport(melding_id: MeldingId, body: RapportOntvangst, werk: Behandelwerk) -> Melding:
    return _detail(await service.rapport_ontvangen(werk, melding_id, body))


@router.post(
    "/meldingen/{meldingId}/rapporttermijnverlenging",
    response_model=Melding,
    operation_id="rapporttermijnVerlengen",
    responses=raises(Conflict),
    summary="Extend the report term on the provider's reasoned request, made before the term ends",
)
async def verlenging(melding_id: MeldingId, body: Termijnverlenging, werk: Behandelwerk) -> Melding:
    return _detail(await service.verleng_rapporttermijn(werk, melding_id, body, vandaag()))


@router.get(
    "/meldingen/{meldingId}/mogelijke-dubbelen",
    response_model=list[MogelijkeDubbel],
    operation_id="mogelijkeDubbelen",
    summary="Meldingen that may be about the same event, for a person to decide",
)
async def mogelijke_dubbelen(melding_id: MeldingId, werk: Staflezerwerk) -> list[MogelijkeDubbel]:
    await service.melding(werk, melding_id)
    return [
        MogelijkeDubbel(melding_id=m.id, soort=m.soort, ontvangen_op=m.ontvangen_op, reden=reden)
        for m, reden in await repository.dubbelen(werk.session, werk.zicht, melding_id)
    ]


@router.post(
    "/meldingen/{meldingId}/samenvoeging",
    response_model=Melding,
    operation_id="meldingSamenvoegen",
    responses=raises(Conflict),
    summary="Merge this melding into another; both keep their history",
)
async def samenvoeging(melding_id: MeldingId, body: Samenvoeging, werk: Behandelwerk) -> Melding:
    return _detail(await service.voeg_samen(werk, melding_id, body))


@router.get(
    "/meldingen/{meldingId}/zorgaanbieder-kandidaten",
    response_model=list[ZorgaanbiederKandidaat],
    operation_id="zorgaanbiederKandidaten",
    responses=raises(BadGateway),
    summary="Registered providers matching the name (and place) a citizen gave, closest first, for a person to confirm",
)
async def kandidaten(melding_id: MeldingId, werk: Staflezerwerk, runtime: Runtime) -> list[ZorgaanbiederKandidaat]:
    """Candidates come from register's search: a name register refuses as invalid finds none; register down,
    unreachable or refusing meldpunt's credentials is 502."""
    m = await service.melding(werk, melding_id)
    omschrijving = m.zorgaanbieder_kandidaat or {}
    if not omschrijving.get("naam"):
        return []
    gevonden = await register_client(runtime.state, runtime.settings).kandidaten(
        omschrijving["naam"], omschrijving.get("plaats"), omschrijving.get("postcode")
    )
    return [ZorgaanbiederKandidaat(zorgaanbieder_id=r.id, kvk_nummer=r.kvk_nummer, naam=r.statutaire_naam, score=r.score) for r in gevonden]


@router.post(
    "/meldingen/{meldingId}/zorgaanbieder-koppeling",
    response_model=Melding,
    operation_id="zorgaanbiederKoppelen",
    responses=raises(Conflict),
    summary="Confirm which provider the melding is about",
)
async def koppeling(melding_id: MeldingId, body: ZorgaanbiederKoppeling, werk: Behandelwerk) -> Melding:
    return _detail(await service.koppel_zorgaanbieder(werk, melding_id, body.zorgaanbieder_id, body.vestigingsnummer))


@router.post(
    "/meldingen/{meldingId}/persoonsgegevens/_inzien",
    response_model=Persoonsgegevens,
    operation_id="persoonsgegevensInzien",
    summary="The melder's and patient's data, for a stated purpose; every read is logged (NEN 7513)",
)
async def persoonsgegevens(melding_id: MeldingId, body: Inzageverzoek, werk: Inzagewerk) -> Persoonsgegevens:
    return await service.persoonsgegevens_inzien(werk, melding_id, body)


@router.get(
    "/meldingen/{meldingId}/audittrail",
    response_model=list[AuditTrailEntry],
    operation_id="meldingAudittrail",
    summary="Every change and every read of personal data: who, which client, when, why",
)
async def audittrail(melding_id: MeldingId, werk: Auditwerk) -> list[AuditTrailEntry]:
    await service.melding(werk, melding_id)
    return await werk.audit.of(werk.session, melding_id)


@router.get(
    "/statistieken/jaarbeeld",
    operation_id="statistiekJaarbeeld",
    tags=["statistieken"],
    summary="Meldingen per sector and Wkkgz kind in a year, in the Jaarbeeld layout (JSON, or CSV with Accept: text/csv)",
    dependencies=[require_scope(STATISTIEKEN)],
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": {"type": "string"}}}}},
)
async def jaarbeeld(session: DbSession, request: Request, jaar: Annotated[int, Query(ge=2000, le=2100)]) -> Response:
    tabel = statistieken.jaarbeeld(await repository.tellingen_per_sector_en_soort(session, jaar), jaar)
    if "text/csv" in request.headers.get("accept", ""):
        return PlainTextResponse(tabel.to_csv(), media_type="text/csv; charset=utf-8")
    from fastapi.responses import JSONResponse

    return JSONResponse(tabel.to_json())
