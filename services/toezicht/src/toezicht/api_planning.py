"""The planning's HTTP operations: inspectors, computing, reading, re-planning and adopting plans.

No ``from __future__ import annotations`` here: the scope dependencies are built in a closure (as in meldpunt)."""

import uuid
from typing import Annotated

from fastapi import Depends, Header, Path, Response

from toezicht import planning
from toezicht import planning_repository as repository
from toezicht.models import Planning as PlanningRij
from toezicht.schemas import (
    HerplanningIn,
    Inspecteur,
    InspecteurIn,
    InspecteurPagina,
    Planning,
    PlanningActiviteit,
    PlanningIn,
    PlanningOnhaalbaar,
    PlanningWeggelaten,
    QuotumResultaat,
)
from zorgtoezicht.audit import actor_from
from zorgtoezicht.http.app import api_router, raises
from zorgtoezicht.http.paging import Keyset, Paging, query_paging
from zorgtoezicht.http.problems import Conflict
from zorgtoezicht.http.security import Client, require_scope
from zorgtoezicht.service import DbSession, Runtime
from zorgtoezicht.werk import Werk

PLANNINGEN_LEZEN = "toezicht.planningen.lezen"
PLANNINGEN_SCHRIJVEN = "toezicht.planningen.schrijven"

router = api_router(tags=["planningen"])

AuditToelichting = Annotated[str | None, Header(alias="X-Audit-Toelichting", max_length=1000)]
InspecteurId = Annotated[uuid.UUID, Path(alias="inspecteurId")]
PlanningId = Annotated[uuid.UUID, Path(alias="planningId")]
INSPECTEUREN = Keyset("inspecteurenLijst", str, uuid.UUID)  # (team, id)


def _werk(scope: str):  # a dependency factory
    async def werk(
        session: DbSession, runtime: Runtime, client: Annotated[Client, require_scope(scope)], toelichting: AuditToelichting = None
    ) -> Werk:
        return runtime.werk(session, actor_from(client, toelichting))

    return werk


Leeswerk = Annotated[Werk, Depends(_werk(PLANNINGEN_LEZEN))]
Schrijfwerk = Annotated[Werk, Depends(_werk(PLANNINGEN_SCHRIJVEN))]


def _planning(rij: PlanningRij, delen: tuple) -> Planning:
    activiteiten, weggelaten, onhaalbaar = delen
    return Planning(
        id=rij.id,
        periode_start=rij.periode_start,
        weken=rij.weken,
        team=rij.team,
        vorige_id=rij.vorige_id,
        seed=rij.seed,
        aselect_aandeel=rij.aselect_aandeel,
        normen_versie=rij.normen_versie,
        status=rij.status,
        doelwaarde=rij.doelwaarde,
        greedy_doelwaarde=rij.greedy_doelwaarde,
        lp_grens=rij.lp_grens,
        verhouding=round(rij.doelwaarde / rij.lp_grens, 6) if rij.lp_grens > 0 else 1.0,
        discretionaire_uren=rij.discretionaire_uren,
        aselect_doel_uren=rij.aselect_doel_uren,
        aselect_uren=rij.aselect_uren,
        aselect_gerealiseerd=rij.aselect_gerealiseerd,
        quota=[QuotumResultaat.model_validate(q) for q in rij.quota_resultaat],
        reparatie=rij.reparatie,
        activiteiten=[
            PlanningActiviteit(
                zorgaanbieder_id=a.zorgaanbieder_id,
                soort=a.soort,
                sector=a.sector,
                week=a.week + 1,
                gepland_op=a.gepland_op,
                inspecteurs=[uuid.UUID(i) for i in a.inspecteurs],
                selectieroute=a.selectieroute,
                selectiereden=a.selectiereden,
                uren=a.uren,
                uiterlijk=a.uiterlijk,
            )
            for a in activiteiten
        ],
        weggelaten=[PlanningWeggelaten.model_validate(w) for w in weggelaten],
        onhaalbaar=[PlanningOnhaalbaar.model_validate(o) for o in onhaalbaar],
        aangemaakt_op=rij.aangemaakt_op,
        vastgesteld_op=rij.vastgesteld_op,
    )


@router.post(
    "/inspecteurs",
    status_code=201,
    response_model=Inspecteur,
    operation_id="inspecteurAanmaken",
    summary="Register an inspector the planner may assign (team, sectors, field hours, absences)",
)
async def aanmaken(body: InspecteurIn, werk: Schrijfwerk, runtime: Runtime, response: Response) -> Inspecteur:
    rij = await planning.maak_inspecteur(werk, body)
    response.headers["Location"] = f"{runtime.settings.public_url}/api/v1/inspecteurs/{rij.id}"
    return Inspecteur.model_validate(rij)


@router.get(
    "/inspecteurs",
    response_model=InspecteurPagina,
    operation_id="inspecteurenLijst",
    summary="Inspectors by team",
    dependencies=[require_scope(PLANNINGEN_LEZEN)],
)
async def inspecteuren(session: DbSession, paging: Annotated[Paging, query_paging(INSPECTEUREN)]) -> InspecteurPagina:
    rows, next_url = await paging.page(lambda limit, after: repository.page_of_inspecteurs(session, limit, after), lambda r: (r.team, r.id))
    return InspecteurPagina(results=[Inspecteur.model_validate(r) for r in rows], next=next_url)


@router.get("/inspecteurs/{inspecteurId}", response_model=Inspecteur, operation_id="inspecteurOpvragen", summary="One inspector")
async def inspecteur(inspecteur_id: InspecteurId, werk: Leeswerk) -> Inspecteur:
    return Inspecteur.model_validate(await planning.inspecteur(werk, inspecteur_id))


@router.put(
    "/inspecteurs/{inspecteurId}",
    response_model=Inspecteur,
    operation_id="inspecteurWijzigen",
    summary="Replace an inspector's team, sectors, hours and absences",
)
async def wijzigen(inspecteur_id: InspecteurId, body: InspecteurIn, werk: Schrijfwerk) -> Inspecteur:
    return Inspecteur.model_validate(await planning.wijzig_inspecteur(werk, inspecteur_id, body))


@router.post(
    "/planningen",
    status_code=201,
    response_model=Planning,
    operation_id="planningBerekenen",
    summary="Compute the plan of a 13-week period from the risk profiles and triggers, with its LP bound",
)
async def berekenen(body: PlanningIn, werk: Schrijfwerk, runtime: Runtime, response: Response) -> Planning:
    rij = await planning.bereken(werk, body)
    response.headers["Location"] = f"{runtime.settings.public_url}/api/v1/planningen/{rij.id}"
    return _planning(rij, await repository.onderdelen(werk.session, rij.id))


@router.get(
    "/planningen/{planningId}",
    response_model=Planning,
    operation_id="planningOpvragen",
    summary="A plan: activities with who, when and why; left-out candidates and unreachable mandatory work with why",
)
async def opvragen(planning_id: PlanningId, werk: Leeswerk) -> Planning:
    return _planning(*await planning.lees(werk, planning_id))


@router.post(
    "/planningen/{planningId}/herplanning",
    status_code=201,
    response_model=Planning,
    operation_id="planningHerplannen",
    responses=raises(Conflict),
    summary="Plan one team again as a new plan; every other team's activities stay as they are",
)
async def herplannen(planning_id: PlanningId, body: HerplanningIn, werk: Schrijfwerk, runtime: Runtime, response: Response) -> Planning:
    rij = await planning.herplan(werk, planning_id, body)
    response.headers["Location"] = f"{runtime.settings.public_url}/api/v1/planningen/{rij.id}"
    return _planning(rij, await repository.onderdelen(werk.session, rij.id))


@router.post(
    "/planningen/{planningId}/vaststelling",
    response_model=Planning,
    operation_id="planningVaststellen",
    responses=raises(Conflict),
    summary="Adopt the plan: each activity becomes a supervision activity in status gepland",
)
async def vaststellen(planning_id: PlanningId, werk: Schrijfwerk) -> Planning:
    return _planning(*await planning.vaststellen(werk, planning_id))
