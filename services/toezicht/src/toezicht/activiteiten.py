"""Supervision activities: one write path to create them (by hand or by the planner), their lifecycle along the
table in ``workflow.py`` with history rows and audit, and audited reads (they reveal a provider's supervision).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm.attributes import flag_modified

from toezicht import repository_activiteiten as repository
from toezicht import workflow
from toezicht.models import Toezichtactiviteit, ToezichtactiviteitStatus
from toezicht.schemas import ActiviteitStatusWijziging
from zorgtoezicht import klok
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.domain.toezicht import ActiviteitSoort, ActiviteitStatus, Bezoekvorm, Selectieroute
from zorgtoezicht.http.problems import Conflict, InvalidInput, NotFound
from zorgtoezicht.werk import Werk
from zorgtoezicht.workflow import Workflow

MET_VORM = frozenset(  # the kinds that take place physically or digitally (a desk review, advice or self-scan does not)
    {ActiviteitSoort.inspectiebezoek, ActiviteitSoort.beoordelend_gesprek, ActiviteitSoort.gesprek_zonder_oordeel}
)


def pad(activiteit_id: uuid.UUID) -> str:
    return f"toezichtactiviteiten/{activiteit_id}"


def weergave(a: Toezichtactiviteit) -> str:
    return f"Toezichtactiviteit {a.soort} {str(a.id)[:8]}"


def _zichtbaar(a: Toezichtactiviteit) -> dict[str, Any]:
    """The non-personal state of an activity, for audit rows (dates are in the history's toelichting)."""
    return {"status": a.status, "soort": a.soort, "selectieroute": a.selectieroute, "zorgaanbiederId": str(a.zorgaanbieder_id)}


def _doel(a: Toezichtactiviteit) -> dict[str, Any]:
    return {"hoofd_object_id": a.id, "hoofd_pad": pad(a.id), "resource": "toezichtactiviteit", "weergave": weergave(a)}


# The activity's workflow: the table in workflow.py, its history in toezichtactiviteit_status, its audit row on the activity.
STATUS: Workflow[Toezichtactiviteit] = Workflow(
    "toezichtactiviteit",
    workflow.OVERGANGEN,
    begin=workflow.BEGIN,
    alleen_systeem=workflow.ALLEEN_SYSTEEM,
    geschiedenis=ToezichtactiviteitStatus.__table__,
    aggregaat_kolom="activiteit_id",
    conflict_code="ongeldige_statusovergang",
    audit=_doel,
    zichtbaar=_zichtbaar,
)


def controleer(a: Toezichtactiviteit, naar: str, *, door_systeem: bool = False) -> None:
    """409 unless the table allows ``a``'s step to ``naar`` for its kind of activity."""
    STATUS.controleer(a.status, naar, door_systeem=door_systeem)
    if not workflow.geldt_voor(a.soort, a.status, naar):
        raise Conflict(f"A {a.soort} that is {a.status} cannot become {naar}", code="ongeldige_statusovergang")


@dataclass(frozen=True)
class Aanvraag:
    """One activity to create. ``status`` gepland needs ``gepland_op``; ``sector`` defaults to the risk profile's."""

    zorgaanbieder_id: uuid.UUID
    soort: ActiviteitSoort
    selectieroute: Selectieroute
    selectiereden: str
    sector: Sector | None = None
    thema: str | None = None
    aangekondigd: bool | None = None
    vorm: Bezoekvorm | None = None
    uiterlijk: date | None = None
    planning_id: uuid.UUID | None = None
    status: ActiviteitStatus = ActiviteitStatus.voorgesteld
    gepland_op: date | None = None
    toelichting: str | None = None  # for the history rows, e.g. "plan 2026-K2"

    def fouten(self) -> list[dict[str, str]]:
        """Every invalid field of this request (names as in the API body)."""
        fouten = []
        if not self.selectiereden or not self.selectiereden.strip():
            fouten.append({"name": "selectiereden", "code": "verplicht", "reason": "say why this activity exists"})
        if self.status not in (ActiviteitStatus.voorgesteld, ActiviteitStatus.gepland):
            fouten.append({"name": "status", "code": "begin", "reason": "a new activity is voorgesteld or gepland"})
        if self.status == ActiviteitStatus.gepland and self.gepland_op is None:
            fouten.append({"name": "geplandOp", "code": "verplicht", "reason": "a planned activity needs its date"})
        if self.status == ActiviteitStatus.voorgesteld and self.gepland_op is not None:
            fouten.append({"name": "geplandOp", "code": "niet_gepland", "reason": "only a planned activity has a date"})
        if self.aangekondigd is not None and self.soort != ActiviteitSoort.inspectiebezoek:
            fouten.append({"name": "aangekondigd", "code": "alleen_bezoek", "reason": "only an inspectiebezoek is announced or not"})
        if self.vorm is not None and self.soort not in MET_VORM:
            fouten.append({"name": "vorm", "code": "geen_vorm", "reason": f"a {self.soort} is neither physical nor digital"})
        return fouten


async def nieuw_alle(werk: Werk, aanvragen: Sequence[Aanvraag]) -> list[Toezichtactiviteit]:
    """Create activities in ``werk``'s transaction, each with its history rows (voorgesteld, and gepland when
    planned at once) and an audit row, in a few statements whatever their number. 400 listing every invalid
    field (``aanvragen[i].<field>`` when more than one) and nothing written when any request is invalid."""
    fouten = []
    for i, aanvraag in enumerate(aanvragen):
        voor = f"aanvragen[{i}]." if len(aanvragen) > 1 else ""
        fouten += [{**f, "name": voor + f["name"]} for f in aanvraag.fouten()]
    if fouten:
        raise InvalidInput("The activity is not valid", invalid_params=fouten)
    sectoren = await repository.sector_uit_profiel(werk.session, {a.zorgaanbieder_id for a in aanvragen if a.sector is None})
    nu, door = klok.nu(), werk.actor.applicatie_id
    activiteiten, historie, audit = [], [], []
    for aanvraag in aanvragen:
        bezoek = aanvraag.soort == ActiviteitSoort.inspectiebezoek
        a = Toezichtactiviteit(
            id=uuid.uuid4(),
            zorgaanbieder_id=aanvraag.zorgaanbieder_id,
            soort=aanvraag.soort,
            selectieroute=aanvraag.selectieroute,
            selectiereden=aanvraag.selectiereden.strip(),
            status=workflow.BEGIN,
            sector=aanvraag.sector or sectoren.get(aanvraag.zorgaanbieder_id),
            thema=aanvraag.thema,
            aangekondigd=(aanvraag.aangekondigd or False) if bezoek else None,  # mostly unannounced
            vorm=aanvraag.vorm or (Bezoekvorm.fysiek if bezoek else None),
            uiterlijk=aanvraag.uiterlijk,
            gepland_op=None,
            uitgevoerd_op=None,
            planning_id=aanvraag.planning_id,
            aangemaakt_op=nu,
            gewijzigd_op=nu,
            versie=1,
        )
        historie.append(STATUS.rij(a.id, workflow.BEGIN, door=door, toelichting=aanvraag.toelichting))
        if aanvraag.status == ActiviteitStatus.gepland:
            controleer(a, ActiviteitStatus.gepland)
            a.status, a.gepland_op = ActiviteitStatus.gepland, aanvraag.gepland_op
            historie.append(
                STATUS.rij(a.id, a.status, door=door, toelichting=_toelichting(f"gepland op {a.gepland_op}", aanvraag.toelichting))
            )
        audit.append(werk.audit.row(werk.actor, actie="create", nieuw=_zichtbaar(a), resultaat=201, **_doel(a)))
        activiteiten.append(a)
    werk.session.add_all(activiteiten)
    await werk.session.flush()
    await STATUS.schrijf(werk, historie)
    await werk.audit.insert(werk.session, audit)
    return activiteiten


async def nieuw(werk: Werk, **velden: Any) -> Toezichtactiviteit:
    """One activity (the fields of ``Aanvraag``), e.g. ``nieuw(werk, zorgaanbieder_id=..., soort=..., selectieroute=...,
    selectiereden=..., status=ActiviteitStatus.gepland, gepland_op=...)``."""
    return (await nieuw_alle(werk, [Aanvraag(**velden)]))[0]


def _toelichting(*delen: str | None) -> str | None:
    return "; ".join(d for d in delen if d) or None


async def activiteit(werk: Werk, activiteit_id: uuid.UUID, *, bijwerken: bool = False) -> Toezichtactiviteit:
    """The activity (locked for a change with ``bijwerken``), or 404."""
    a = await repository.get_activiteit(werk.session, activiteit_id, for_update=bijwerken)
    if a is None:
        raise NotFound(f"No toezichtactiviteit with id {activiteit_id}")
    return a


async def lees(werk: Werk, activiteit_id: uuid.UUID) -> tuple[Toezichtactiviteit, list[ToezichtactiviteitStatus]]:
    """The activity and its history; the read is in the audit trail (it shows how a provider is supervised)."""
    a = await activiteit(werk, activiteit_id)
    await werk.audit.record(werk.session, werk.actor, actie="read", **_doel(a))
    return a, await repository.statussen(werk.session, a.id)


async def lijst_gelezen(werk: Werk, zorgaanbieder_id: uuid.UUID) -> None:
    """A list narrowed to one provider shows its supervision: that read is in the audit trail, on the provider."""
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="read",
        hoofd_object_id=zorgaanbieder_id,
        hoofd_pad=f"toezichtactiviteiten?zorgaanbiederId={zorgaanbieder_id}",
        resource="toezichtactiviteiten",
        weergave=f"Toezichtactiviteiten van zorgaanbieder {str(zorgaanbieder_id)[:8]}",
    )


async def wijzig_status(werk: Werk, activiteit_id: uuid.UUID, wijziging: ActiviteitStatusWijziging) -> Toezichtactiviteit:
    """A client's step along the table (409 otherwise; oordeel-vastgesteld only through the judgement), with its
    history row and audit row. 400 first for a body that does not fit the step asked for."""
    naar = wijziging.status
    fouten = []
    if naar == ActiviteitStatus.gepland and wijziging.gepland_op is None:
        fouten.append({"name": "geplandOp", "code": "verplicht", "reason": "planning needs the date"})
    if naar != ActiviteitStatus.gepland and wijziging.gepland_op is not None:
        fouten.append({"name": "geplandOp", "code": "niet_bij_status", "reason": "only with status gepland"})
    if naar != ActiviteitStatus.uitgevoerd and wijziging.uitgevoerd_op is not None:
        fouten.append({"name": "uitgevoerdOp", "code": "niet_bij_status", "reason": "only with status uitgevoerd"})
    if naar == ActiviteitStatus.uitgevoerd and wijziging.uitgevoerd_op is not None and wijziging.uitgevoerd_op > klok.vandaag():
        fouten.append({"name": "uitgevoerdOp", "code": "toekomst", "reason": "an activity cannot have been performed in the future"})
    if naar == ActiviteitStatus.vervallen and not (wijziging.toelichting or "").strip():
        fouten.append({"name": "toelichting", "code": "verplicht", "reason": "say why the activity lapses"})
    if fouten:
        raise InvalidInput("The status change is not valid", invalid_params=fouten)

    a = await activiteit(werk, activiteit_id, bijwerken=True)
    controleer(a, naar)
    toelichting = wijziging.toelichting
    if naar == ActiviteitStatus.gepland:
        a.gepland_op = wijziging.gepland_op
        toelichting = _toelichting(f"gepland op {a.gepland_op}", toelichting)
    elif naar == ActiviteitStatus.voorgesteld:
        a.gepland_op = None  # off the schedule
    elif naar == ActiviteitStatus.uitgevoerd:
        a.uitgevoerd_op = wijziging.uitgevoerd_op or klok.vandaag()
        toelichting = _toelichting(f"uitgevoerd op {a.uitgevoerd_op}", toelichting)
    elif naar == ActiviteitStatus.vervallen:
        a.vervalreden = wijziging.toelichting
    a.versie += 1
    a.gewijzigd_op = klok.nu()  # before the step: its history insert flushes the row
    flag_modified(a, "gewijzigd_op")  # written even when the clock says the same instant (else onupdate now() expires it)
    await STATUS.stap(werk, a, naar, toelichting=toelichting)
    await werk.session.flush()
    return a
