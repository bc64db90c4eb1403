"""The planning service: inspectors, computing a plan from the risk profiles, re-planning one team, adopting.

The planner itself is pure (``toezicht.planner``); this module turns rows into its inputs and its plan into
rows. Inspectors' names are internal staff data: they go into no event, no log and no audit row.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any

from toezicht import activiteiten, planner
from toezicht import planning_repository as repository
from toezicht.models import Inspecteur as InspecteurRij
from toezicht.models import Planning as PlanningRij
from toezicht.models import PlanningActiviteit, PlanningOnhaalbaar, PlanningWeggelaten
from toezicht.schemas import HerplanningIn, InspecteurIn, PlanningIn
from zorgtoezicht import klok
from zorgtoezicht.domain.toezicht import ActiviteitStatus
from zorgtoezicht.domain.zorgaanbieders import ZorgaanbiederSoort
from zorgtoezicht.http.problems import Conflict, InvalidInput, NotFound
from zorgtoezicht.werk import Werk

WEKEN = 13
CONCEPT = "concept"
VASTGESTELD = "vastgesteld"


def _zichtbaar(i: InspecteurRij) -> dict[str, Any]:
    """What the audit row shows of an inspector: never the name."""
    return {"team": i.team, "sectoren": list(i.sectoren), "urenPerWeek": i.uren_per_week, "afwezigheden": list(i.afwezigheden)}


async def _audit(werk: Werk, actie: str, ident: uuid.UUID, pad: str, resource: str, weergave: str, **extra: Any) -> None:
    await werk.audit.record(
        werk.session, werk.actor, actie=actie, hoofd_object_id=ident, hoofd_pad=pad, resource=resource, weergave=weergave, **extra
    )


def _afwezigheden(body: InspecteurIn) -> list[dict[str, str]]:
    return [{"van": a.van.isoformat(), "tot": a.tot.isoformat()} for a in body.afwezigheden]


async def maak_inspecteur(werk: Werk, body: InspecteurIn) -> InspecteurRij:
    rij = InspecteurRij(
        id=uuid.uuid4(),
        weergavenaam=body.weergavenaam,
        team=body.team,
        sectoren=[s.value for s in body.sectoren],
        uren_per_week=body.uren_per_week,
        afwezigheden=_afwezigheden(body),
        versie=1,
    )
    werk.session.add(rij)
    await werk.session.flush()
    await _audit(
        werk, "create", rij.id, f"inspecteurs/{rij.id}", "inspecteur", f"Inspecteur {str(rij.id)[:8]}", nieuw=_zichtbaar(rij), resultaat=201
    )
    return rij


async def inspecteur(werk: Werk, inspecteur_id: uuid.UUID) -> InspecteurRij:
    rij = await repository.get_inspecteur(werk.session, inspecteur_id)
    if rij is None:
        raise NotFound(f"No inspecteur {inspecteur_id}")
    return rij


async def wijzig_inspecteur(werk: Werk, inspecteur_id: uuid.UUID, body: InspecteurIn) -> InspecteurRij:
    rij = await inspecteur(werk, inspecteur_id)
    oud = _zichtbaar(rij)
    rij.weergavenaam = body.weergavenaam
    rij.team = body.team
    rij.sectoren = [s.value for s in body.sectoren]
    rij.uren_per_week = body.uren_per_week
    rij.afwezigheden = _afwezigheden(body)
    rij.versie += 1
    await werk.session.flush()
    await _audit(
        werk, "update", rij.id, f"inspecteurs/{rij.id}", "inspecteur", f"Inspecteur {str(rij.id)[:8]}", oud=oud, nieuw=_zichtbaar(rij)
    )
    return rij


def afwezige_weken(afwezigheden: list[dict[str, str]], start: date, weken: int = WEKEN) -> frozenset[int]:
    """The weeks of the period with any absent working day (Monday to Friday)."""
    uit = set()
    for a in afwezigheden:
        van, tot = date.fromisoformat(a["van"]), date.fromisoformat(a["tot"])
        for w in range(weken):
            maandag = start + timedelta(weeks=w)
            if van <= maandag + timedelta(days=4) and tot >= maandag:
                uit.add(w)
    return frozenset(uit)


def _planner_inspecteur(i: InspecteurRij, start: date) -> planner.Inspecteur:
    return planner.Inspecteur(str(i.id), i.team, frozenset(i.sectoren), float(i.uren_per_week), afwezige_weken(i.afwezigheden, start))


def _trigger(t: dict[str, Any]) -> planner.Trigger | None:
    try:
        uiterlijk = date.fromisoformat(t["uiterlijk"]) if t.get("uiterlijk") else None
        return planner.Trigger(str(t["code"]), str(t.get("toelichting", "")), uiterlijk, str(t["activiteit"]))
    except (KeyError, ValueError, TypeError):
        return None  # a malformed trigger is the risk model's bug; the planner does not guess


async def _kandidaten(werk: Werk, normen: planner.Normen, seed: int) -> list[planner.Kandidaat]:
    uit = []
    for profiel, score in await repository.kandidaten(
        werk.session, minimum_score=normen.minimum_score, seed=seed, pool=normen.aselect_pool
    ):
        triggers = tuple(t for t in (_trigger(t) for t in profiel.triggers or []) if t is not None and t.activiteit in normen.activiteiten)
        sector = str(profiel.sector) if profiel.sector is not None else None
        klein_of_nieuw = profiel.soort == ZorgaanbiederSoort.solist or profiel.laatste_oordeel_op is None
        uit.append(planner.Kandidaat(str(profiel.zorgaanbieder_id), sector, score, triggers, normen.themas_van(sector), klein_of_nieuw))
    return uit


def _quota(body_quota: list, normen: planner.Normen) -> tuple[planner.Quotum, ...]:
    fouten = [
        {"name": f"quota.{n}.thema", "code": "onbekend", "reason": f"themes of the planning norms: {', '.join(sorted(normen.themas))}"}
        for n, q in enumerate(body_quota)
        if q.thema not in normen.themas
    ]
    if fouten:
        raise InvalidInput("Unknown theme", invalid_params=fouten)
    return tuple(planner.Quotum(q.thema, q.minimum) for q in body_quota)


async def bereken(werk: Werk, body: PlanningIn) -> PlanningRij:
    normen = planner.lees_normen()
    quota = _quota(body.quota, normen)
    mensen = await repository.inspecteurs(werk.session, body.team)
    if body.team is not None and not mensen:
        raise InvalidInput(
            "No inspectors in this team", invalid_params=[{"name": "team", "code": "onbekend", "reason": "no inspector has this team"}]
        )
    opdracht = planner.Opdracht(
        planner.Periode(body.periode_start, WEKEN),
        tuple(_planner_inspecteur(i, body.periode_start) for i in mensen),
        tuple(await _kandidaten(werk, normen, body.seed)),
        normen,
        quota=quota,
        seed=body.seed,
        aselect_aandeel=body.aselect_aandeel,
    )
    resultaat = await asyncio.to_thread(planner.plan, opdracht)  # CPU work off the event loop
    return await _bewaar(werk, opdracht, resultaat, team=body.team, vorige=None)


async def herplan(werk: Werk, planning_id: uuid.UUID, body: HerplanningIn) -> PlanningRij:
    vorige = await _planning(werk, planning_id)
    if vorige.status != CONCEPT:
        raise Conflict("An adopted plan is not re-planned here; its activities follow their own workflow", code="al_vastgesteld")
    normen = planner.lees_normen()
    mensen = await repository.inspecteurs(werk.session)
    if not any(i.team == body.team for i in mensen):
        raise InvalidInput(
            "No inspectors in this team", invalid_params=[{"name": "team", "code": "onbekend", "reason": "no inspector has this team"}]
        )
    if vorige.team is not None:
        mensen = [i for i in mensen if i.team in (vorige.team, body.team)]
    regels, _, _ = await repository.onderdelen(werk.session, vorige.id)
    eerder = planner.Plan(
        activiteiten=tuple(_planner_activiteit(r) for r in regels),
        weggelaten=(),
        onhaalbaar=(),
        doelwaarde=0,
        greedy_doelwaarde=0,
        lp_grens=0,
        discretionaire_uren=0,
        aselect_doel_uren=0,
        aselect_uren=0,
        aselect_aandeel=0,
        quota=(),
        reparatie="",
        normen_versie=vorige.normen_versie,
        seed=vorige.seed,
    )
    seed = vorige.seed if body.seed is None else body.seed
    opdracht = planner.Opdracht(
        planner.Periode(vorige.periode_start, vorige.weken),
        tuple(_planner_inspecteur(i, vorige.periode_start) for i in mensen),
        tuple(await _kandidaten(werk, normen, seed)),
        normen,
        quota=tuple(planner.Quotum(q["thema"], q["minimum"]) for q in vorige.quota if q["thema"] in normen.themas),
        seed=seed,
        aselect_aandeel=vorige.aselect_aandeel,
    )
    resultaat = await asyncio.to_thread(planner.herplan, opdracht, eerder, body.team)
    return await _bewaar(werk, opdracht, resultaat, team=vorige.team, vorige=vorige.id, herplan_team=body.team)


def _planner_activiteit(r: PlanningActiviteit) -> planner.Activiteit:
    return planner.Activiteit(
        kandidaat_id=str(r.zorgaanbieder_id),
        soort=str(r.soort),
        sector=str(r.sector),
        week=r.week,
        inspecteurs=tuple(r.inspecteurs),
        route=str(r.selectieroute),
        reden=r.selectiereden,
        uren=r.uren,
        waarde=r.waarde,
        uiterlijk=r.uiterlijk,
        themas=tuple(r.themas),
    )


async def _bewaar(
    werk: Werk, opdracht: planner.Opdracht, p: planner.Plan, *, team: str | None, vorige: uuid.UUID | None, herplan_team: str | None = None
) -> PlanningRij:
    rij = PlanningRij(
        id=uuid.uuid4(),
        periode_start=opdracht.periode.start,
        weken=opdracht.periode.weken,
        team=team,
        vorige_id=vorige,
        seed=opdracht.seed,
        aselect_aandeel=opdracht.aandeel,
        quota=[{"thema": q.thema, "minimum": q.minimum} for q in opdracht.quota],
        normen_versie=opdracht.normen.versie,
        normen_hash=opdracht.normen.hash,
        doelwaarde=p.doelwaarde,
        greedy_doelwaarde=p.greedy_doelwaarde,
        lp_grens=p.lp_grens,
        discretionaire_uren=p.discretionaire_uren,
        aselect_doel_uren=p.aselect_doel_uren,
        aselect_uren=p.aselect_uren,
        aselect_gerealiseerd=p.aselect_aandeel,
        quota_resultaat=[{"thema": t, "minimum": m, "gerealiseerd": g} for t, m, g in p.quota],
        reparatie=p.reparatie,
        status=CONCEPT,
        aangemaakt_door=werk.actor.applicatie_id,
        aangemaakt_op=klok.nu(),
    )
    werk.session.add(rij)
    await werk.session.flush()
    werk.session.add_all(
        PlanningActiviteit(
            planning_id=rij.id,
            zorgaanbieder_id=uuid.UUID(a.kandidaat_id),
            soort=a.soort,
            sector=a.sector,
            week=a.week,
            gepland_op=opdracht.periode.maandag(a.week),
            inspecteurs=list(a.inspecteurs),
            selectieroute=a.route,
            selectiereden=a.reden,
            uren=a.uren,
            waarde=a.waarde,
            uiterlijk=a.uiterlijk,
            themas=list(a.themas),
        )
        for a in p.activiteiten
    )
    werk.session.add_all(
        PlanningWeggelaten(planning_id=rij.id, zorgaanbieder_id=uuid.UUID(w.kandidaat_id), reden=w.reden, toelichting=w.toelichting)
        for w in p.weggelaten
    )
    werk.session.add_all(
        PlanningOnhaalbaar(
            planning_id=rij.id,
            zorgaanbieder_id=uuid.UUID(o.kandidaat_id),
            soort=o.soort,
            triggers=list(o.triggers),
            uiterlijk=o.uiterlijk,
            reden=o.reden,
            toelichting=o.toelichting,
        )
        for o in p.onhaalbaar
    )
    await werk.session.flush()
    nieuw = {
        "periodeStart": rij.periode_start.isoformat(),
        "team": team,
        "herplanTeam": herplan_team,
        "seed": rij.seed,
        "activiteiten": len(p.activiteiten),
        "onhaalbaar": len(p.onhaalbaar),
        "verhouding": round(p.verhouding, 4),
    }
    await _audit(
        werk, "create", rij.id, f"planningen/{rij.id}", "planning", f"Planning {rij.periode_start.isoformat()}", nieuw=nieuw, resultaat=201
    )
    return rij


async def _planning(werk: Werk, planning_id: uuid.UUID, *, for_update: bool = False) -> PlanningRij:
    rij = await repository.get_planning(werk.session, planning_id, for_update=for_update)
    if rij is None:
        raise NotFound(f"No planning {planning_id}")
    return rij


async def lees(werk: Werk, planning_id: uuid.UUID) -> tuple[PlanningRij, tuple]:
    """A plan with its parts; every read is in the audit trail (a plan shows providers' scores and ranks)."""
    rij = await _planning(werk, planning_id)
    delen = await repository.onderdelen(werk.session, rij.id)
    await _audit(werk, "read", rij.id, f"planningen/{rij.id}", "planning", f"Planning {rij.periode_start.isoformat()}")
    return rij, delen


async def vaststellen(werk: Werk, planning_id: uuid.UUID) -> tuple[PlanningRij, tuple]:
    """Adopt the plan: every activity becomes a toezichtactiviteit in status gepland, with its history row."""
    rij = await _planning(werk, planning_id, for_update=True)
    if rij.status != CONCEPT:
        raise Conflict("This plan has been adopted already", code="al_vastgesteld")
    if rij.vorige_id is not None and (await _planning(werk, rij.vorige_id)).status != CONCEPT:
        raise Conflict("The plan this one re-plans has been adopted already", code="vorige_vastgesteld")
    delen = await repository.onderdelen(werk.session, rij.id)
    nu = klok.nu()
    aangemaakt = await activiteiten.nieuw_alle(
        werk,
        [
            activiteiten.Aanvraag(
                zorgaanbieder_id=regel.zorgaanbieder_id,
                soort=regel.soort,
                selectieroute=regel.selectieroute,
                selectiereden=regel.selectiereden,
                sector=regel.sector,
                thema=regel.themas[0] if regel.themas else None,
                uiterlijk=regel.uiterlijk,
                planning_id=rij.id,
                status=ActiviteitStatus.gepland,
                gepland_op=regel.gepland_op,
                toelichting=f"vastgesteld in planning {rij.id}",
            )
            for regel in delen[0]
        ],
    )
    ids = [a.id for a in aangemaakt]
    rij.status = VASTGESTELD
    rij.vastgesteld_door = werk.actor.applicatie_id
    rij.vastgesteld_op = nu
    await werk.session.flush()
    await _audit(
        werk,
        "partial_update",
        rij.id,
        f"planningen/{rij.id}",
        "planning",
        f"Planning {rij.periode_start.isoformat()}",
        oud={"status": CONCEPT},
        nieuw={"status": VASTGESTELD, "activiteiten": len(ids)},
    )
    return rij, delen
