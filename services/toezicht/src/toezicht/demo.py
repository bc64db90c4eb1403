"""The demo inspectors ``make run`` gives an empty toezicht, so a plan can be made at once (register's demo
providers reach toezicht as events and become its candidates)."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from toezicht import planning
from toezicht.models import Inspecteur
from toezicht.schemas import InspecteurIn
from zorgtoezicht.audit import Actor
from zorgtoezicht.domain.sectoren import Sector

log = logging.getLogger(__name__)

# Two teams of four around the 2026 target groups and one of two for the other sectors: made-up staff.
DEMO_INSPECTEURS = [
    *(("ggz-midden", f"Inspecteur GGZ {n}", [Sector.ggz, Sector.jeugd], 24) for n in range(1, 5)),
    *(("vv-oost", f"Inspecteur VV {n}", [Sector.verpleging_en_verzorging, Sector.gehandicaptenzorg], 24) for n in range(1, 5)),
    *(("eerstelijn-west", f"Inspecteur EL {n}", [Sector.eerstelijnszorg, Sector.medisch_specialistische_zorg], 16) for n in range(1, 3)),
]


async def laad_demo(runtime) -> None:
    async with runtime.db.transaction() as session:
        if await session.scalar(select(func.count()).select_from(Inspecteur)):
            return
        werk = runtime.werk(session, Actor.system("toezicht-demo", "demo-inspecteurs van make run"))
        for team, naam, sectoren, uren in DEMO_INSPECTEURS:
            await planning.maak_inspecteur(werk, InspecteurIn(weergavenaam=naam, team=team, sectoren=sectoren, uren_per_week=uren))
    log.info("demo inspectors loaded", extra={"aantal": len(DEMO_INSPECTEURS)})
