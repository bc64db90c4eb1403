"""meldpunt's HTTP operations (under /api/v1)."""

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request, Response
from fastapi.responses import PlainTextResponse

from meldpunt import repository, service, statistieken
from meldpunt.models import Melding as MeldingRij
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
from meldpunt.register_client import register_client
from zorgtoezicht.audit import AuditTrailEntry, actor_from
from zorgtoezicht.http.app import api_router, raises
from zorgtoezicht.http.problems import Conflict, NotFound
from zorgtoezicht.http.schemas import decode_cursor, encode_cursor, json_response
from zorgtoezicht.http.security import Client, require_scope
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

router = api_router(tags=["meldingen"])


AuditToelichting = Annotated[str | None, Header(alias="X-Audit-Toelichting", max_length=1000)]


def _werk(scope: str, *alternatives: str):  # noqa: ANN202 - a dependency factory
    async def werk(session: DbSession, runtime: Runtime, client: Annotated[Client, require_scope(scope, *alternatives)],
                   toelichting: AuditToelichting = None) -> service.Werk:
        return service.Werk(session, runtime.outbox, runtime.audit, actor_from(client, toelichting), runtime.settings,
                            service.versleuteling(runtime.state))

    return werk


Behandelwerk = Annotated[service.Werk, Depends(_werk(BEHANDELEN))]
Triagewerk = Annotated[service.Werk, Depends(_werk(TRIAGE))]
Inzagewerk = Annotated[service.Werk, Depends(_werk(PERSOONSGEGEVENS))]
MeldingId = Annotated[uuid.UUID, Path(alias="meldingId")]
Lezer = Annotated[Client, require_scope(LEZEN, LEZEN_GEMEENTE, INDIENEN)]


def _gemeenten(client: Client, runtime) -> list[str] | None:  # noqa: ANN001
    """None: every melding. A Wmo-toezichthouder: only its own gemeenten (from configuration, not the token)."""
    if client.has(LEZEN):
        return None
    partner = runtime.settings.partners.get(client.client_id)
    return list(partner.gemeenten) if partner and client.has(LEZEN_GEMEENTE) else []


async def _zichtbare(session, runtime, client: Client, melding_id: uuid.UUID) -> MeldingRij:  # noqa: ANN001
    """The melding if this client may see it; 404 otherwise (another gemeente's melding does not exist for it)."""
    m = await repository.get_melding(session, melding_id)
    gemeenten = _gemeenten(client, runtime)
    eigen = client.has(INDIENEN) and m is not None and m.ingediend_door == client.client_id
    if m is None or (gemeenten is not None and m.gemeente_code not in gemeenten and not eigen):
        raise NotFound(f"No melding with id {melding_id}")
    return m


def _detail(m: MeldingRij) -> Melding:
    detail = Melding.model_validate(m)
    detail.triage = _triage(m)
    detail.heeft_persoonsgegevens = m.persoonsgegevens is not None
    return detail


def _triage(m: MeldingRij) -> Triage | None:
    if not m.triage_besluit:
        return None
    t = m.triage_besluit
    return Triage(route=t["route"], prioriteit=t["prioriteit"], afhandeldatum=t["afhandeldatum"], regel=t["regel_id"],
                  tabel_versie=t["tabel_versie"], uitleg=t["uitleg"], doorverwijzen_naar=t.get("doorverwijzen_naar"),
                  handmatig=t.get("handmatig", False), rapport_uiterlijk=m.rapport_uiterlijk)


@router.post("/meldingen", status_code=201, response_model=Melding, operation_id="meldingIndienen",
             summary="Submit a melding of any kind; it is checked, triaged and routed at once")
async def indienen(body: MeldingIn, runtime: Runtime, client: Annotated[Client, require_scope(INDIENEN)],
                   toelichting: AuditToelichting = None) -> Response:
    # Written together with meldingen submitted at the same moment (group commit); answered once committed.
    m = await service.intake(runtime).submit(service.Indiening(body, actor_from(client, toelichting), datetime.now(UTC),
                                                               current_correlation_id()))
    return json_response(_detail(m), status_code=201, headers={"Location": f"{runtime.settings.public_url}/api/v1/meldingen/{m.id}"})


@router.get("/meldingen", response_model=MeldingPagina, operation_id="meldingenLijst",
            summary="Meldingen, newest first, without personal data; a Wmo-toezichthouder sees only its gemeenten")
async def lijst(
    session: DbSession,
    runtime: Runtime,
    request: Request,
    client: Annotated[Client, require_scope(LEZEN, LEZEN_GEMEENTE)],
    status: Annotated[str | None, Query(pattern="^(ontvangen|getrieerd|in-behandeling|wacht-op-zorgaanbieder|afgesloten|doorverwezen|heropend)$")] = None,
    soort: Annotated[str | None, Query(max_length=60)] = None,
    route: Annotated[str | None, Query(pattern="^(direct-escaleren|onderzoek-door-zorgaanbieder|beoordelen|registreren|doorverwijzen)$")] = None,
    zorgaanbieder_id: Annotated[uuid.UUID | None, Query(alias="zorgaanbiederId")] = None,
    verlopen: Annotated[bool, Query(description="Only open meldingen past their due date or report term")] = False,
    page_size: Annotated[int, Query(alias="pageSize", ge=1, le=500)] = 100,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> MeldingPagina:
    after = None
    if cursor:
        moment, ident = decode_cursor(cursor, 2)
        after = (datetime.fromisoformat(moment), uuid.UUID(ident))
    rows = await repository.page_of_meldingen(session, size=page_size + 1, after=after, gemeenten=_gemeenten(client, runtime),
                                              status=status, soort=soort, route=route, zorgaanbieder_id=zorgaanbieder_id,
                                              verlopen_op=vandaag() if verlopen else None)
    next_url = None
    if len(rows) > page_size:
        rows = rows[:page_size]
        next_url = str(request.url.include_query_params(cursor=encode_cursor([rows[-1].ontvangen_op.isoformat(), str(rows[-1].id)])))
    return MeldingPagina(results=[MeldingSamenvatting.model_validate(m) for m in rows], next=next_url)


@router.get("/meldingen/{meldingId}", response_model=Melding, operation_id="meldingOpvragen",
            summary="One melding with its triage and timeliness, without personal data")
async def opvragen(melding_id: MeldingId, session: DbSession, runtime: Runtime, client: Lezer) -> Melding:
    return _detail(await _zichtbare(session, runtime, client, melding_id))


@router.get("/meldingen/{meldingId}/triage", response_model=Triage, operation_id="meldingTriage",
            summary="The route and why, in plain Dutch: readable by the reporter for its own melding")
async def triage(melding_id: MeldingId, session: DbSession, runtime: Runtime, client: Lezer) -> Triage:
    m = await _zichtbare(session, runtime, client, melding_id)
    found = _triage(m)
    if found is None:
        raise NotFound("This melding has not been triaged yet")
    return found


@router.post("/meldingen/{meldingId}/triagecorrectie", response_model=Melding, operation_id="meldingTriageCorrigeren",
             responses=raises(Conflict),
             summary="An inspector overrides the route or priority, with a mandatory reason (audit trail)")
async def triagecorrectie(melding_id: MeldingId, body: TriageCorrectie, werk: Triagewerk) -> Melding:
    return _detail(await service.corrigeer_triage(werk, melding_id, body))


@router.post("/meldingen/{meldingId}/status", response_model=Melding, operation_id="meldingStatusWijzigen", responses=raises(Conflict),
             summary="Move the melding along the workflow; any change not in the table is 409")
async def status(melding_id: MeldingId, body: StatusWijziging, werk: Behandelwerk) -> Melding:
    return _detail(await service.wijzig_status(werk, melding_id, body))


@router.get("/meldingen/{meldingId}/statussen", response_model=list[StatusRegel], operation_id="meldingStatussen",
            summary="The status history, oldest first")
async def statussen(melding_id: MeldingId, session: DbSession, runtime: Runtime, client: Lezer) -> list[StatusRegel]:
    await _zichtbare(session, runtime, client, melding_id)
    return [StatusRegel.model_validate(s) for s in await repository.statussen(session, melding_id)]


@router.post("/meldingen/{meldingId}/calamiteitenrapport", response_model=Melding, operation_id="calamiteitenrapportOntvangen",
             responses=raises(Conflict),
             summary="The provider's calamiteitenrapport arrived")
async def rapport(melding_id: MeldingId, body: RapportOntvangst, werk: Behandelwerk) -> Melding:
    return _detail(await service.rapport_ontvangen(werk, melding_id, body))


@router.post("/meldingen/{meldingId}/rapporttermijnverlenging", response_model=Melding, operation_id="rapporttermijnVerlengen",
             responses=raises(Conflict),
             summary="Extend the report term on the provider's reasoned request, made before the term ends")
async def verlenging(melding_id: MeldingId, body: Termijnverlenging, werk: Behandelwerk) -> Melding:
    return _detail(await service.verleng_rapporttermijn(werk, melding_id, body, vandaag()))


@router.get("/meldingen/{meldingId}/mogelijke-dubbelen", response_model=list[MogelijkeDubbel], operation_id="mogelijkeDubbelen",
            summary="Meldingen that may be about the same event, for a person to decide")
async def mogelijke_dubbelen(melding_id: MeldingId, session: DbSession, runtime: Runtime,
                             client: Annotated[Client, require_scope(LEZEN, BEHANDELEN)]) -> list[MogelijkeDubbel]:
    await _zichtbare(session, runtime, client, melding_id)
    return [MogelijkeDubbel(melding_id=m.id, soort=m.soort, ontvangen_op=m.ontvangen_op, reden=reden)
            for m, reden in await repository.dubbelen(session, melding_id)]


@router.post("/meldingen/{meldingId}/samenvoeging", response_model=Melding, operation_id="meldingSamenvoegen", responses=raises(Conflict),
             summary="Merge this melding into another; both keep their history")
async def samenvoeging(melding_id: MeldingId, body: Samenvoeging, werk: Behandelwerk) -> Melding:
    return _detail(await service.voeg_samen(werk, melding_id, body))


@router.get("/meldingen/{meldingId}/zorgaanbieder-kandidaten", response_model=list[ZorgaanbiederKandidaat],
            operation_id="zorgaanbiederKandidaten", responses=raises(502),
            summary="Registered providers matching the name (and place) a citizen gave, closest first, for a person to confirm")
async def kandidaten(melding_id: MeldingId, session: DbSession, runtime: Runtime,
                     client: Annotated[Client, require_scope(LEZEN, BEHANDELEN)]) -> list[ZorgaanbiederKandidaat]:
    m = await _zichtbare(session, runtime, client, melding_id)
    omschrijving = m.zorgaanbieder_kandidaat or {}
    if not omschrijving.get("naam"):
        return []
    gevonden = await register_client(runtime.state, runtime.settings).kandidaten(
        omschrijving["naam"], omschrijving.get("plaats"), omschrijving.get("postcode"))
    return [ZorgaanbiederKandidaat(zorgaanbieder_id=r["id"], kvk_nummer=r["kvkNummer"], naam=r["statutaireNaam"], score=r.get("score"))
            for r in gevonden]


@router.post("/meldingen/{meldingId}/zorgaanbieder-koppeling", response_model=Melding, operation_id="zorgaanbiederKoppelen",
             responses=raises(Conflict),
             summary="Confirm which provider the melding is about")
async def koppeling(melding_id: MeldingId, body: ZorgaanbiederKoppeling, werk: Behandelwerk) -> Melding:
    return _detail(await service.koppel_zorgaanbieder(werk, melding_id, body.zorgaanbieder_id, body.vestigingsnummer))


@router.post("/meldingen/{meldingId}/persoonsgegevens/_inzien", response_model=Persoonsgegevens,
             operation_id="persoonsgegevensInzien",
             summary="The melder's and patient's data, for a stated purpose; every read is logged (NEN 7513)")
async def persoonsgegevens(melding_id: MeldingId, body: Inzageverzoek, werk: Inzagewerk) -> Persoonsgegevens:
    return await service.persoonsgegevens_inzien(werk, melding_id, body)


@router.get("/meldingen/{meldingId}/audittrail", response_model=list[AuditTrailEntry], operation_id="meldingAudittrail",
            summary="Every change and every read of personal data: who, which client, when, why",
            dependencies=[require_scope(AUDIT)])
async def audittrail(melding_id: MeldingId, session: DbSession, runtime: Runtime) -> list[AuditTrailEntry]:
    if await repository.get_melding(session, melding_id) is None:
        raise NotFound(f"No melding with id {melding_id}")
    return await runtime.audit.of(session, melding_id)


@router.get("/statistieken/jaarbeeld", operation_id="statistiekJaarbeeld", tags=["statistieken"],
            summary="Meldingen per sector and Wkkgz kind in a year, in the Jaarbeeld layout (JSON, or CSV with Accept: text/csv)",
            dependencies=[require_scope(STATISTIEKEN)],
            responses={200: {"content": {"application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": {"type": "string"}}}}})
async def jaarbeeld(session: DbSession, request: Request, jaar: Annotated[int, Query(ge=2000, le=2100)]) -> Response:
    tabel = statistieken.jaarbeeld(await repository.tellingen_per_sector_en_soort(session, jaar), jaar)
    if "text/csv" in request.headers.get("accept", ""):
        return PlainTextResponse(tabel.to_csv(), media_type="text/csv; charset=utf-8")
    from fastapi.responses import JSONResponse

    return JSONResponse(tabel.to_json())
