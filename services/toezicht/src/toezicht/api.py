"""toezicht's HTTP operations on risk profiles (under /api/v1). A score is personal data for a solist: reads need
their own scope and are in the audit trail; the inspector's override and quality-system mark are audited changes."""

import uuid
from typing import Annotated

from fastapi import Depends, Header, Path, Query

from toezicht import repository, service
from toezicht.schemas import KwaliteitssysteemIn, OverschrijvingIn, Risicoprofiel, RisicoprofielPagina
from zorgtoezicht.audit import actor_from
from zorgtoezicht.domain.identifiers import GemeenteCode
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.http.app import api_router
from zorgtoezicht.http.paging import Keyset, Paging, query_paging
from zorgtoezicht.http.security import Client, require_scope
from zorgtoezicht.service import DbSession, Runtime

LEZEN = "toezicht.risicoprofielen.lezen"
BEOORDELEN = "toezicht.risicoprofielen.beoordelen"

router = api_router(tags=["risicoprofielen"])
ZorgaanbiederId = Annotated[uuid.UUID, Path(alias="zorgaanbiederId")]


def _werk(scope: str):  # a dependency factory
    async def werk(
        session: DbSession,
        runtime: Runtime,
        client: Annotated[Client, require_scope(scope)],
        toelichting: Annotated[str | None, Header(alias="X-Audit-Toelichting", max_length=1000)] = None,
    ) -> service.Werk:
        return runtime.werk(session, actor_from(client, toelichting))

    werk.required_scope = scope  # type: ignore[attr-defined]
    return werk


Leeswerk = Annotated[service.Werk, Depends(_werk(LEZEN))]
Beoordeelwerk = Annotated[service.Werk, Depends(_werk(BEOORDELEN))]


@router.get(
    "/risicoprofielen/{zorgaanbiederId}",
    response_model=Risicoprofiel,
    operation_id="risicoprofielOpvragen",
    summary="The risk profile of one care provider: score, model version, reasons with their events, open triggers",
)
async def opvragen(zorgaanbieder_id: ZorgaanbiederId, werk: Leeswerk) -> Risicoprofiel:
    return Risicoprofiel.model_validate(await service.lees(werk, zorgaanbieder_id))


PROFIELEN = Keyset("risicoprofielenLijst", float, uuid.UUID)  # (effective score, zorgaanbieder id)


@router.get(
    "/risicoprofielen",
    response_model=RisicoprofielPagina,
    operation_id="risicoprofielenLijst",
    summary="Risk profiles, highest effective score first, filtered by sector, gemeente, open trigger or minimum score",
)
async def lijst(
    werk: Leeswerk,
    paging: Annotated[Paging, query_paging(PROFIELEN)],
    sector: Annotated[Sector | None, Query()] = None,
    gemeente: Annotated[GemeenteCode | None, Query(description="gemeente code of the provider's first vestiging, e.g. GM0363")] = None,
    trigger: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z][a-z0-9-]*$", description="code of an open trigger")] = None,
    minimum_score: Annotated[float | None, Query(alias="minimumScore", ge=0, le=100)] = None,
) -> RisicoprofielPagina:
    rows, next_url = await paging.page(
        lambda limit, after: repository.page_of_profielen(
            werk.session, limit, after, sector=sector, gemeente_code=gemeente, trigger=trigger, minimum_score=minimum_score
        ),
        lambda r: (r.effectieve_score, r.zorgaanbieder_id),
    )
    await service.audit_lijst(werk, rows)
    return RisicoprofielPagina(results=[Risicoprofiel.model_validate(r) for r in rows], next=next_url)


@router.put(
    "/risicoprofielen/{zorgaanbiederId}/overschrijving",
    response_model=Risicoprofiel,
    operation_id="risicoprofielOverschrijven",
    summary="An inspector overrides the score with a reason (audited); planning uses it until it is removed",
)
async def overschrijven(zorgaanbieder_id: ZorgaanbiederId, body: OverschrijvingIn, werk: Beoordeelwerk) -> Risicoprofiel:
    return Risicoprofiel.model_validate(await service.overschrijf(werk, zorgaanbieder_id, body.score, body.reden))


@router.delete(
    "/risicoprofielen/{zorgaanbiederId}/overschrijving",
    response_model=Risicoprofiel,
    operation_id="risicoprofielOverschrijvingVerwijderen",
    summary="Remove the inspector's override: planning uses the model's score again (audited)",
)
async def overschrijving_verwijderen(zorgaanbieder_id: ZorgaanbiederId, werk: Beoordeelwerk) -> Risicoprofiel:
    return Risicoprofiel.model_validate(await service.overschrijf(werk, zorgaanbieder_id, None, None))


@router.put(
    "/risicoprofielen/{zorgaanbiederId}/kwaliteitssysteem",
    response_model=Risicoprofiel,
    operation_id="kwaliteitssysteemMarkeren",
    summary="Mark a working quality system (toezicht op maat) with a reason: the model damps the score (audited)",
)
async def kwaliteitssysteem_markeren(zorgaanbieder_id: ZorgaanbiederId, body: KwaliteitssysteemIn, werk: Beoordeelwerk) -> Risicoprofiel:
    return Risicoprofiel.model_validate(await service.markeer_kwaliteitssysteem(werk, zorgaanbieder_id, True, body.reden))


@router.delete(
    "/risicoprofielen/{zorgaanbiederId}/kwaliteitssysteem",
    response_model=Risicoprofiel,
    operation_id="kwaliteitssysteemOntmarkeren",
    summary="Remove the working-quality-system mark: the score is no longer damped (audited)",
)
async def kwaliteitssysteem_ontmarkeren(zorgaanbieder_id: ZorgaanbiederId, werk: Beoordeelwerk) -> Risicoprofiel:
    return Risicoprofiel.model_validate(await service.markeer_kwaliteitssysteem(werk, zorgaanbieder_id, False, None))
