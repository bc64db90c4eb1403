"""meldpunt's domain logic: intake (provider link, timeliness, triage), workflow, reports, duplicates,
personal data on an audited request. Every change writes state, event and audit row in one transaction.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from meldpunt import repository, tijdigheid, workflow
from meldpunt.models import BekendeVestiging, BekendeZorgaanbieder, Melding
from meldpunt.models import MeldingStatus as MeldingStatusRij  # the history row, not the vocabulary
from meldpunt.schemas import (
    Inzageverzoek,
    MeldingIn,
    Persoonsgegevens,
    RapportOntvangst,
    Samenvoeging,
    StatusWijziging,
    Termijnverlenging,
    TriageCorrectie,
)
from meldpunt.settings import MeldpuntSettings
from meldpunt.triage import Tabel, TriageFeiten, datum_nl, laad_tabel
from zorgtoezicht.audit import Actor
from zorgtoezicht.domain.meldingen import AFGERONDE_STATUSSEN, MeldingSoort, MeldingStatus, Route
from zorgtoezicht.domain.zorgaanbieders import ZorgaanbiederStatus
from zorgtoezicht.events.contracts import meldpunt as events
from zorgtoezicht.events.contracts.register import ZorgaanbiederGeregistreerd, ZorgaanbiederGestopt
from zorgtoezicht.events.envelope import EventData
from zorgtoezicht.groupcommit import GroupCommit
from zorgtoezicht.http.problems import Conflict, InvalidInput, NotFound
from zorgtoezicht.logs import correlated
from zorgtoezicht.persoonsgegevens import SleutelFout, Versleuteling, dev_sleutelring
from zorgtoezicht.service import ServiceRuntime
from zorgtoezicht.service import Werk as PlatformWerk
from zorgtoezicht.termijnbewaking import Termijn
from zorgtoezicht.termijnen import vandaag
from zorgtoezicht.workflow import Workflow

HERHALING_TELT = {MeldingSoort.signaal, MeldingSoort.klacht}
CALAMITEITEN = (MeldingSoort.wkkgz_calamiteit, MeldingSoort.jeugdwet_calamiteit)  # the provider investigates and reports
VERPLICHT_GEKOPPELD = {
    MeldingSoort.wkkgz_calamiteit,
    MeldingSoort.wkkgz_geweld,
    MeldingSoort.wkkgz_ontslag,
    MeldingSoort.jeugdwet_calamiteit,
    MeldingSoort.jeugdwet_geweld,
}
RAPPORTTERMIJN = "calamiteitenrapport"  # the stored term (termijnbewaking) of a calamiteitenrapport asked for
ALGEMENE_VELDEN = {
    "soort",
    "melder",
    "kanaal",
    "omschrijving",
    "patient",
    "sector",
    "acuutGevaar",
    "vestigingsnummer",
    "zorgaanbieder",
    "gemeenteCode",
}
_tabel: Tabel | None = None


def triagetabel() -> Tabel:
    global _tabel
    if _tabel is None:
        _tabel = laad_tabel()
    return _tabel


def versleuteling(state: dict[str, Any]) -> Versleuteling:
    """The keyring for personal data: configured (ZT_PERSOONSGEGEVENS_…), or dev keys when ZT_DEV_SLEUTELS=1."""
    if "versleuteling" not in state:
        try:
            state["versleuteling"] = Versleuteling.uit_instellingen()
        except SleutelFout:
            if os.environ.get("ZT_DEV_SLEUTELS") != "1":
                raise
            state["versleuteling"] = dev_sleutelring()
    return state["versleuteling"]


@dataclass(frozen=True)
class Werk(PlatformWerk):
    """meldpunt's unit of work also knows its settings, the keyring for personal data, and which meldingen
    its actor may see (``zicht``: required, so no unit of work exists without it; the system's is ``ALLES``)."""

    settings: MeldpuntSettings
    sleutels: Versleuteling
    zicht: repository.Zicht = field(kw_only=True)


def _pad(melding_id: uuid.UUID) -> str:
    return f"meldingen/{melding_id}"


def _weergave(m: Melding) -> str:
    return f"Melding {m.soort} {str(m.id)[:8]}"


async def _audit(
    werk: Werk, m: Melding, actie: str, oud: dict | None, nieuw: dict | None, resource: str = "melding", resultaat: int = 200
) -> None:
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie=actie,
        hoofd_object_id=m.id,
        hoofd_pad=_pad(m.id),
        resource=resource,
        weergave=_weergave(m),
        oud=oud,
        nieuw=nieuw,
        resultaat=resultaat,
    )


def _zichtbaar(m: Melding) -> dict[str, Any]:
    """The non-personal state of a melding, for audit trails."""
    return {
        "status": m.status,
        "route": m.route,
        "prioriteit": m.prioriteit,
        "afhandeldatum": m.afhandeldatum.isoformat() if m.afhandeldatum else None,
        "rapportUiterlijk": m.rapport_uiterlijk.isoformat() if m.rapport_uiterlijk else None,
        "zorgaanbiederId": str(m.zorgaanbieder_id) if m.zorgaanbieder_id else None,
        "samengevoegdMet": str(m.samengevoegd_met) if m.samengevoegd_met else None,
    }


# The melding's workflow: the table in meldpunt/workflow.py, its history in melding_status, its audit row on the melding.
STATUS: Workflow[Melding] = Workflow(
    "melding",
    workflow.OVERGANGEN,
    begin=workflow.BEGIN,
    alleen_systeem=workflow.ALLEEN_SYSTEEM,
    geschiedenis=MeldingStatusRij.__table__,
    aggregaat_kolom="melding_id",
    conflict_code="ongeldige_statusovergang",
    audit=lambda m: {"hoofd_object_id": m.id, "hoofd_pad": _pad(m.id), "resource": "melding", "weergave": _weergave(m)},
    zichtbaar=_zichtbaar,
)


@dataclass(frozen=True)
class Indiening:
    """One melding as submitted: what was sent, by whom, when, and the correlation id of its request."""

    invoer: MeldingIn
    actor: Actor
    ontvangen: datetime
    correlation_id: str


def intake(runtime: ServiceRuntime) -> GroupCommit[Indiening, Melding]:
    """The process's intake writer: meldingen submitted at the same moment share one transaction."""
    if "intake" not in runtime.state:
        settings: MeldpuntSettings = runtime.settings  # type: ignore[assignment]

        async def groep(session: AsyncSession, indieningen: Sequence[Indiening]) -> list[Melding | InvalidInput]:
            # The group's unit of work; every indiening carries its own actor for its audit row and history.
            werk = Werk(
                session,
                runtime.outbox,
                runtime.audit,
                Actor.system("meldpunt"),
                runtime.termijnen,
                settings,
                versleuteling(runtime.state),
                zicht=repository.ALLES,
            )
            return await ontvang(werk, indieningen)

        runtime.state["intake"] = GroupCommit(
            runtime.db, groep, max_group=settings.intake_groep_max, writers=settings.intake_schrijvers, name="meldpunt.intake"
        )
    return runtime.state["intake"]


async def ontvang(werk: Werk, indieningen: Sequence[Indiening]) -> list[Melding | InvalidInput]:
    """Intake of meldingen submitted together, in ``werk``'s one transaction: each is linked to its vestiging,
    judged on timeliness, triaged, and written with its status history, events and audit row (each carrying
    its own actor and correlation id); the group costs a few statements, not a few per melding.

    Returns a result per indiening, in order: the melding, or ``InvalidInput`` for one that must name a
    registered vestiging and does not (nothing of it is written). Works for a group of one just the same.
    """
    session, settings = werk.session, werk.settings
    bekend = await repository.vestigingen_met_zorgaanbieder(
        session, {nummer for i in indieningen if (nummer := getattr(i.invoer, "vestigingsnummer", None))}
    )
    # Only citizens' signals and complaints are triaged on repetition: count only for those.
    tellen = {
        bekend[nummer][0].zorgaanbieder_id
        for i in indieningen
        if i.invoer.soort in HERHALING_TELT and (nummer := getattr(i.invoer, "vestigingsnummer", None)) in bekend
    }
    herhalingen = Counter(await repository.herhalingen(session, tellen, min(i.ontvangen for i in indieningen) - timedelta(days=365)))

    resultaten: list[Melding | InvalidInput] = []
    meldingen: list[Melding] = []
    statussen: list[dict[str, Any]] = []
    outbox_rijen: list[dict[str, Any]] = []
    audit_rijen: list[dict[str, Any]] = []
    termijn_rijen: list[dict[str, Any]] = []
    for indiening in indieningen:
        with correlated(indiening.correlation_id):
            invoer = indiening.invoer
            vestiging, zorgaanbieder = bekend.get(getattr(invoer, "vestigingsnummer", None) or "", (None, None))
            if vestiging is None and invoer.soort in VERPLICHT_GEKOPPELD:
                resultaten.append(
                    InvalidInput(
                        "The vestiging is not in the register",
                        invalid_params=[
                            {
                                "name": "vestigingsnummer",
                                "code": "onbekende_vestiging",
                                "reason": f"no registered vestiging has vestigingsnummer {invoer.vestigingsnummer}",
                            }
                        ],
                    )
                )
                continue
            herhaling = herhalingen[vestiging.zorgaanbieder_id] if vestiging and invoer.soort in HERHALING_TELT else 0
            m, gebeurtenissen, melding_statussen = _neem_aan(werk, indiening, vestiging, zorgaanbieder, herhaling)
            if m.zorgaanbieder_id is not None:
                herhalingen[m.zorgaanbieder_id] += 1  # a later melding of this group sees this one as earlier
            outbox_rijen += werk.outbox.rows(gebeurtenissen)[1]
            statussen += melding_statussen
            if m.rapport_uiterlijk is not None:  # the watcher announces a report that does not come in time
                termijn_rijen.append(werk.termijnen.rij(m.id, RAPPORTTERMIJN, uiterlijk=m.rapport_uiterlijk))
            audit_rijen.append(
                werk.audit.row(
                    indiening.actor,
                    actie="create",
                    hoofd_object_id=m.id,
                    hoofd_pad=_pad(m.id),
                    resource="melding",
                    weergave=_weergave(m),
                    nieuw=_zichtbaar(m),
                    resultaat=201,
                )
            )
            meldingen.append(m)
            resultaten.append(m)
    if meldingen:
        session.add_all(meldingen)
        await session.flush()
        await STATUS.schrijf(werk, statussen)
        await werk.outbox.insert(session, outbox_rijen)
        await werk.audit.insert(session, audit_rijen)
        await werk.termijnen.insert(session, termijn_rijen)
        await repository.link_mogelijke_dubbelen(
            session,
            [m.id for m in meldingen],
            settings.dubbel_venster_dagen,
            f"zelfde vestiging en soort, gebeurtenis binnen {settings.dubbel_venster_dagen} dagen",
        )
    return resultaten


def _neem_aan(
    werk: Werk, indiening: Indiening, vestiging: BekendeVestiging | None, zorgaanbieder: BekendeZorgaanbieder | None, herhaling: int
) -> tuple[Melding, list[EventData], list[dict[str, Any]]]:
    """One accepted melding, triaged, with its events and status rows (not yet written)."""
    invoer, ontvangen, settings = indiening.invoer, indiening.ontvangen, werk.settings
    velden = invoer.model_dump(mode="json", by_alias=True)
    sector = invoer.sector.value if invoer.sector else (zorgaanbieder.sectoren[0] if zorgaanbieder and zorgaanbieder.sectoren else None)
    gemeente_code = velden.get("gemeenteCode") or (vestiging.gemeente_code if vestiging else None)
    gegevens = {k: v for k, v in velden.items() if k not in ALGEMENE_VELDEN}
    dag = vandaag(ontvangen)  # the Dutch calendar day it came in

    m = Melding(
        id=uuid.uuid4(),
        soort=invoer.soort,
        status=MeldingStatus.ontvangen,
        melder_rol=invoer.melder.rol,
        kanaal=invoer.kanaal,
        sector=sector,
        vestigingsnummer=getattr(invoer, "vestigingsnummer", None) if vestiging or invoer.soort not in VERPLICHT_GEKOPPELD else None,
        zorgaanbieder_id=vestiging.zorgaanbieder_id if vestiging else None,
        gemeente_code=gemeente_code,
        gebeurtenisdatum=getattr(invoer, "gebeurtenisdatum", None),
        omschrijving=invoer.omschrijving,
        gegevens=gegevens,
        zorgaanbieder_kandidaat=velden.get("zorgaanbieder"),
        ingediend_door=indiening.actor.applicatie_id,
        ontvangen_op=ontvangen,
        versie=1,
        rapport_uiterlijk=None,
        rapport_ontvangen_op=None,
        samengevoegd_met=None,
        bsn_vingerafdruk=None,
    )
    persoonlijk = {"melder": velden["melder"], "patient": velden.get("patient")}
    m.persoonsgegevens = werk.sleutels.versleutel(persoonlijk, context=str(m.id))
    bsn = invoer.patient.bsn if invoer.patient else None
    if bsn:
        m.bsn_vingerafdruk = werk.sleutels.bsn_vingerafdruk(bsn)

    signalen = tijdigheid.beoordeel(invoer.soort, {**velden, **gegevens}, dag)
    m.tijdigheid = [s.als_dict() for s in signalen]
    besluit = triagetabel().beslis(
        TriageFeiten(
            soort=invoer.soort,
            melder_rol=invoer.melder.rol,
            sector=sector,
            acuut_gevaar=invoer.acuut_gevaar,
            ernst=gegevens.get("ernst"),
            te_laat=bool(signalen),
            heeft_toezichtarrangement=str(m.zorgaanbieder_id) in settings.toezichtarrangementen,
            aantal_clienten=None,
            is_ziekenhuis=str(m.zorgaanbieder_id) in settings.ziekenhuizen,
            gemeente_code=gemeente_code,
            zorgaanbieder_bekend=m.zorgaanbieder_id is not None,
            herhaling=herhaling,
        ),
        dag,
    )
    m.route, m.prioriteit, m.afhandeldatum = besluit.route, besluit.prioriteit, besluit.afhandeldatum
    m.triage_besluit = {**besluit.als_dict(), "handmatig": False}
    if besluit.route == Route.onderzoek_door_zorgaanbieder and invoer.soort in CALAMITEITEN:
        m.rapport_uiterlijk = besluit.rapport_uiterlijk
    statussen = [
        _status(m, MeldingStatus.ontvangen, indiening.actor.applicatie_id, None),
        _status(m, MeldingStatus.getrieerd, "triage", f"regel {besluit.regel_id} (tabel {besluit.tabel_versie})"),
    ]
    gebeurtenissen: list[EventData] = [
        events.MeldingOntvangen(
            melding_id=m.id,
            zorgaanbieder_id=m.zorgaanbieder_id,
            vestigingsnummer=m.vestigingsnummer,
            soort=m.soort,
            sector=sector,
            melder_rol=m.melder_rol,
            ontvangen_op=ontvangen,
        ),
        _getrieerd(m, handmatig=False),
        *(
            events.MeldingTermijnOverschreden(
                melding_id=m.id,
                zorgaanbieder_id=m.zorgaanbieder_id,
                soort=m.soort,
                regel=s.regel,
                uiterlijk=s.uiterlijk,
                dagen_te_laat=s.dagen_te_laat,
            )
            for s in signalen
        ),
    ]
    if besluit.route == Route.doorverwijzen:
        naar = besluit.doorverwijzen_naar or "onbekend"
        statussen.append(_status(m, MeldingStatus.doorverwezen, indiening.actor.applicatie_id, f"naar {naar}"))
        gebeurtenissen.append(_doorverwezen(m, naar, "triage: " + besluit.regel_id))
    return m, gebeurtenissen, statussen


def _status(m: Melding, status: str, door: str, toelichting: str | None) -> dict[str, Any]:
    """A system step of intake (checked against the table) as a history row, for the group's one insert."""
    if m.status != status:  # the first row records the begin status itself
        STATUS.controleer(m.status, status, door_systeem=True)
        m.status = status
    return STATUS.rij(m.id, status, door=door, toelichting=toelichting)


def _doorverwezen(m: Melding, naar: str, reden: str) -> events.MeldingDoorverwezen:
    return events.MeldingDoorverwezen(melding_id=m.id, naar=naar, gemeente_code=m.gemeente_code, reden=reden)


def _getrieerd(m: Melding, *, handmatig: bool) -> events.MeldingGetrieerd:
    return events.MeldingGetrieerd(
        melding_id=m.id,
        route=m.route,
        prioriteit=m.prioriteit,
        afhandeldatum=m.afhandeldatum,
        regel=m.triage_besluit["regel_id"],
        tabel_versie=m.triage_besluit["tabel_versie"],
        handmatig=handmatig,
        zorgaanbieder_id=m.zorgaanbieder_id,
        gemeente_code=m.gemeente_code,
        signalen=[
            events.Tijdigheidssignaal(regel=s["regel"], uiterlijk=s["uiterlijk"], dagen_te_laat=s["dagenTeLaat"]) for s in m.tijdigheid
        ],
    )


async def melding(werk: Werk, melding_id: uuid.UUID, *, bijwerken: bool = False) -> Melding:
    """The melding as ``werk``'s actor sees it: 404 when it does not exist or lies outside its view (another
    gemeente's melding does not exist for a Wmo-toezichthouder). ``bijwerken``: locked for a change."""
    m = await repository.get_melding(werk.session, werk.zicht, melding_id, for_update=bijwerken)
    if m is None:
        raise NotFound(f"No melding with id {melding_id}")
    return m


async def _melding(werk: Werk, melding_id: uuid.UUID) -> Melding:
    return await melding(werk, melding_id, bijwerken=True)


async def wijzig_status(werk: Werk, melding_id: uuid.UUID, wijziging: StatusWijziging) -> Melding:
    """A client's step along the workflow table (409 otherwise): history row, audit row and event in one go."""
    m = await _melding(werk, melding_id)
    toelichting, gebeurtenissen = wijziging.toelichting, []
    if wijziging.status == MeldingStatus.doorverwezen:
        toelichting = "naar andere instantie"
        gebeurtenissen.append(_doorverwezen(m, "andere instantie", wijziging.toelichting or "doorverwezen door behandelaar"))
    elif wijziging.status == MeldingStatus.afgesloten:
        gebeurtenissen.append(events.MeldingAfgesloten(melding_id=m.id, zorgaanbieder_id=m.zorgaanbieder_id, route=m.route))
    await STATUS.stap(werk, m, wijziging.status, toelichting=toelichting, gebeurtenissen=gebeurtenissen)
    m.versie += 1
    return m


async def corrigeer_triage(werk: Werk, melding_id: uuid.UUID, correctie: TriageCorrectie) -> Melding:
    m = await _melding(werk, melding_id)
    if m.status in AFGERONDE_STATUSSEN:
        raise Conflict(f"The triage of a melding that is {m.status} cannot change", code="triage_gesloten")
    oud = {**_zichtbaar(m), "triageRegel": m.triage_besluit.get("regel_id") if m.triage_besluit else None}
    afhandeldatum = correctie.afhandeldatum or m.afhandeldatum
    uitleg = (
        f"Een inspecteur heeft de route gewijzigd in '{correctie.route}' met prioriteit {correctie.prioriteit}; "
        f"u hoort uiterlijk {datum_nl(afhandeldatum)} van ons."
    )
    m.route, m.prioriteit, m.afhandeldatum = correctie.route, correctie.prioriteit, afhandeldatum
    m.triage_besluit = {
        **(m.triage_besluit or {}),
        "route": correctie.route,
        "prioriteit": correctie.prioriteit,
        "afhandeldatum": afhandeldatum.isoformat(),
        "regel_id": "handmatig",
        "uitleg": uitleg,
        "handmatig": True,
        "reden": correctie.reden,
        "door": werk.actor.applicatie_id,
    }
    m.versie += 1
    await werk.session.flush()
    await werk.outbox.add(werk.session, _getrieerd(m, handmatig=True))
    actor = werk.actor.met_toelichting(correctie.reden)
    await werk.audit.record(
        werk.session,
        actor,
        actie="partial_update",
        hoofd_object_id=m.id,
        hoofd_pad=_pad(m.id),
        resource="triage",
        resource_pad=f"{_pad(m.id)}/triage",
        weergave="Triage gecorrigeerd",
        oud=oud,
        nieuw={**_zichtbaar(m), "triageRegel": "handmatig", "reden": correctie.reden},
    )
    return m


async def rapport_ontvangen(werk: Werk, melding_id: uuid.UUID, ontvangst: RapportOntvangst) -> Melding:
    m = await _melding(werk, melding_id)
    if m.rapport_uiterlijk is None:
        raise Conflict("No calamiteitenrapport was asked for this melding", code="geen_rapport_gevraagd")
    if m.rapport_ontvangen_op is not None:
        raise Conflict("The calamiteitenrapport was received already", code="rapport_al_ontvangen")
    oud = _zichtbaar(m)
    m.rapport_ontvangen_op = ontvangst.ontvangen_op
    m.versie += 1
    await werk.termijnen.vervallen(werk.session, m.id, RAPPORTTERMIJN)  # arrived (a late one was announced already)
    await werk.outbox.add(
        werk.session,
        events.CalamiteitenrapportOntvangen(
            melding_id=m.id,
            zorgaanbieder_id=m.zorgaanbieder_id,
            ontvangen_op=ontvangst.ontvangen_op,
            uiterlijk=m.rapport_uiterlijk,
            te_laat=ontvangst.ontvangen_op > m.rapport_uiterlijk,
        ),
    )
    await _audit(werk, m, "partial_update", oud, {**_zichtbaar(m), "rapportOntvangenOp": ontvangst.ontvangen_op.isoformat()})
    return m


async def verleng_rapporttermijn(werk: Werk, melding_id: uuid.UUID, verzoek: Termijnverlenging, vandaag: date) -> Melding:
    """Extension on a reasoned request made before the term expires (the reason is kept in the audit trail)."""
    m = await _melding(werk, melding_id)
    if m.rapport_uiterlijk is None or m.rapport_ontvangen_op is not None:
        raise Conflict("There is no open report term to extend", code="geen_open_termijn")
    if vandaag > m.rapport_uiterlijk:
        raise Conflict("The term has expired: an extension must be asked before it ends", code="termijn_verlopen")
    if verzoek.nieuwe_datum <= m.rapport_uiterlijk:
        raise InvalidInput(
            "The new date must lie after the current term",
            invalid_params=[{"name": "nieuweDatum", "code": "niet_later", "reason": f"must be after {m.rapport_uiterlijk}"}],
        )
    oud = _zichtbaar(m)
    m.rapport_uiterlijk = verzoek.nieuwe_datum
    m.versie += 1
    if not await werk.termijnen.verzet(werk.session, m.id, RAPPORTTERMIJN, uiterlijk=verzoek.nieuwe_datum):
        # the watcher fired it at midnight while this request was under way: it has ended after all
        raise Conflict("The term has expired: an extension must be asked before it ends", code="termijn_verlopen")
    actor = werk.actor.met_toelichting(verzoek.reden)
    await werk.audit.record(
        werk.session,
        actor,
        actie="partial_update",
        hoofd_object_id=m.id,
        hoofd_pad=_pad(m.id),
        resource="rapporttermijn",
        weergave="Rapporttermijn verlengd",
        oud=oud,
        nieuw=_zichtbaar(m),
    )
    return m


async def voeg_samen(werk: Werk, melding_id: uuid.UUID, samenvoeging: Samenvoeging) -> Melding:
    if melding_id == samenvoeging.hoofdmelding_id:
        raise InvalidInput(
            "A melding cannot be merged into itself",
            invalid_params=[{"name": "hoofdmeldingId", "code": "zelfde", "reason": "is this melding"}],
        )
    m = await _melding(werk, melding_id)
    hoofd = await _melding(werk, samenvoeging.hoofdmelding_id)
    if m.samengevoegd_met is not None or hoofd.samengevoegd_met is not None:
        raise Conflict("One of the meldingen is merged already", code="al_samengevoegd")
    oud = _zichtbaar(m)
    m.samengevoegd_met = hoofd.id
    m.versie += 1
    await repository.add_status(werk.session, m.id, m.status, werk.actor.applicatie_id, f"samengevoegd met melding {hoofd.id}")
    await werk.termijnen.vervallen(werk.session, m.id, RAPPORTTERMIJN)  # the main melding carries on
    await _audit(werk, m, "partial_update", oud, _zichtbaar(m))
    return m


async def persoonsgegevens_inzien(werk: Werk, melding_id: uuid.UUID, verzoek: Inzageverzoek) -> Persoonsgegevens:
    """Personal data on request only, and every read is logged: who, which client, when, for what purpose."""
    m = await melding(werk, melding_id)
    gegevens = werk.sleutels.ontsleutel(m.persoonsgegevens, context=str(m.id)) if m.persoonsgegevens else {"melder": None}
    actor = werk.actor.met_toelichting(verzoek.doel)
    await werk.audit.record(
        werk.session,
        actor,
        actie="read",
        hoofd_object_id=m.id,
        hoofd_pad=_pad(m.id),
        resource="persoonsgegevens",
        weergave="Persoonsgegevens ingezien",
        oud=None,
        nieuw={"doel": verzoek.doel},
    )
    return Persoonsgegevens.model_validate(gegevens)


async def rapporttermijn_verstreken(werk: PlatformWerk, termijn: Termijn) -> list[EventData]:
    """The term watcher found a report term ended without the report (it was not cancelled): announce it, once."""
    m = await repository.get_melding(werk.session, repository.ALLES, termijn.aggregaat_id)
    if m is None:
        return []
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="partial_update",
        hoofd_object_id=m.id,
        hoofd_pad=_pad(m.id),
        resource="rapporttermijn",
        weergave="Rapporttermijn verstreken zonder rapport",
        oud=None,
        nieuw={"rapportUiterlijk": termijn.uiterlijk.isoformat() if termijn.uiterlijk else None},
    )
    return [events.CalamiteitenrapportTeLaat(melding_id=m.id, zorgaanbieder_id=m.zorgaanbieder_id, uiterlijk=termijn.uiterlijk)]


async def verwerk_zorgaanbieder_feiten(session: AsyncSession, data: ZorgaanbiederGeregistreerd) -> None:
    """Any zorgaanbieder event carries the current facts: the projection takes them over whole."""
    await repository.upsert_zorgaanbieder(
        session,
        zorgaanbieder_id=data.zorgaanbieder_id,
        kvk_nummer=data.kvk_nummer,
        soort=data.soort,
        sectoren=[s.value for s in data.sectoren],
        status=data.status,
    )
    await repository.replace_vestigingen(
        session,
        data.zorgaanbieder_id,
        [
            {
                "vestigingsnummer": v.vestigingsnummer,
                "zorgaanbieder_id": data.zorgaanbieder_id,
                "kvk_nummer": data.kvk_nummer,
                "gemeente": v.gemeente,
                "gemeente_code": v.gemeente_code,
            }
            for v in data.vestigingen
        ],
    )


async def verwerk_zorgaanbieder_gestopt(session: AsyncSession, data: ZorgaanbiederGestopt) -> None:
    await repository.set_zorgaanbieder_status(session, data.zorgaanbieder_id, ZorgaanbiederStatus.gestopt)


async def koppel_zorgaanbieder(werk: Werk, melding_id: uuid.UUID, zorgaanbieder_id: uuid.UUID, vestigingsnummer: str | None) -> Melding:
    """A person confirms the provider a loosely named melding is about."""
    m = await _melding(werk, melding_id)
    if m.zorgaanbieder_id is not None:
        raise Conflict("This melding is linked to a provider already", code="al_gekoppeld")
    vestiging = await repository.get_vestiging(werk.session, vestigingsnummer) if vestigingsnummer else None
    if vestigingsnummer and (vestiging is None or vestiging.zorgaanbieder_id != zorgaanbieder_id):
        raise InvalidInput(
            "The vestiging does not belong to this provider",
            invalid_params=[
                {"name": "vestigingsnummer", "code": "onbekende_vestiging", "reason": "not a registered vestiging of this zorgaanbieder"}
            ],
        )
    oud = _zichtbaar(m)
    m.zorgaanbieder_id = zorgaanbieder_id
    if vestiging is not None:
        m.vestigingsnummer, m.gemeente_code = vestiging.vestigingsnummer, vestiging.gemeente_code or m.gemeente_code
    if m.sector is None and (za := await repository.get_zorgaanbieder(werk.session, zorgaanbieder_id)) and za.sectoren:
        m.sector = za.sectoren[0]
    m.versie += 1
    await werk.outbox.add(
        werk.session,
        events.MeldingZorgaanbiederGekoppeld(
            melding_id=m.id, zorgaanbieder_id=zorgaanbieder_id, vestigingsnummer=m.vestigingsnummer, soort=m.soort
        ),
    )
    await _audit(werk, m, "partial_update", oud, _zichtbaar(m))
    return m
