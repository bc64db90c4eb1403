"""toezicht's domain logic of risk: store signals, rescore one provider from its stored signals, and the
inspector's override and quality-system mark (audited)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from toezicht import repository
from toezicht.models import Risicoprofiel
from toezicht.models import Signaal as SignaalRij
from toezicht.risicomodel import Aanbieder, Risicomodel, Signaal, Uitkomst, bereken, huidig_model
from zorgtoezicht import klok
from zorgtoezicht.events.contracts.toezicht import RisicoprofielGewijzigd
from zorgtoezicht.http.problems import NotFound
from zorgtoezicht.logs import correlated
from zorgtoezicht.service import Werk


def _pad(zorgaanbieder_id: uuid.UUID) -> str:
    return f"risicoprofielen/{zorgaanbieder_id}"


def _weergave(zorgaanbieder_id: uuid.UUID) -> str:
    return f"Risicoprofiel {str(zorgaanbieder_id)[:8]}"


def als_signaal(rij: SignaalRij) -> Signaal:
    return Signaal(
        soort=rij.soort,
        code=rij.code,
        peildatum=rij.peildatum,
        bron_type=rij.bron_type,
        bron_id=str(rij.bron_id),
        uiterlijk=rij.uiterlijk,
        geldig_tot=rij.geldig_tot,
        ernstig=rij.ernstig,
        waarde=rij.waarde,
        waarde_deels=rij.waarde_deels,
        melder_rol=rij.melder_rol,
    )


def als_aanbieder(profiel: Risicoprofiel) -> Aanbieder:
    return Aanbieder(
        sector=None if profiel.sector is None else str(profiel.sector),
        gestopt_op=profiel.gestopt_op,
        kwaliteitssysteem=profiel.kwaliteitssysteem,
    )


def _kern(profiel: Risicoprofiel) -> dict[str, Any]:
    """What the audit trail and the event compare: the risk content, not register's projected facts."""
    return {
        "aantalSignalen": profiel.aantal_signalen or 0,
        "score": float(profiel.score or 0),
        "triggers": sorted(t["code"] for t in profiel.triggers or []),
    }


def pas_toe(profiel: Risicoprofiel, uitkomst: Uitkomst, aantal: int, model: Risicomodel, peildatum: date) -> None:
    profiel.aantal_signalen = aantal
    profiel.score = float(uitkomst.score)
    profiel.effectieve_score = profiel.overschreven_score if profiel.overschreven_score is not None else float(uitkomst.score)
    profiel.redenen = uitkomst.redenen
    profiel.triggers = uitkomst.triggers
    profiel.laatste_oordeel_op = uitkomst.laatste_oordeel_op
    profiel.model_versie = model.identiteit
    profiel.peildatum = peildatum
    profiel.berekend_op = klok.nu()


def gewijzigd_event(profiel: Risicoprofiel) -> RisicoprofielGewijzigd:
    return RisicoprofielGewijzigd(
        zorgaanbieder_id=profiel.zorgaanbieder_id,
        aantal_signalen=profiel.aantal_signalen,
        score=profiel.score,
        effectieve_score=profiel.effectieve_score,
        aantal_triggers=len(profiel.triggers),
        model_versie=profiel.model_versie,
    )


@dataclass(frozen=True)
class Aanleiding:
    """Why a provider is rescored: the unit of work of the (last) event about it, whether that created its profile,
    and a melding's sector to fill in while register has not told the provider's sector."""

    werk: Werk
    nieuw: bool = False
    sector_als_onbekend: Any = None


async def verwerk(
    werk: Werk, zorgaanbieder_id: uuid.UUID, signalen: Sequence[dict[str, Any]] = (), *, sector_als_onbekend: Any = None, **feiten: Any
) -> None:
    """Store ``signalen`` (and register's ``feiten``) about a provider and rescore it, in the caller's transaction.
    ``sector_als_onbekend``: a melding's sector, kept only while register has not told the provider's sector.

    In a consumer the rescoring waits for the end of the transaction (``HandlerContext.afronding``): all providers
    the events of a poll touched get their profiles and new scores together, each once, in a few statements, and
    their signals are written in one statement before that: an event with only signals costs no statement of its
    own."""
    nieuw = False
    if any(v is not None for v in feiten.values()):  # register's facts go on the profile now
        nieuw = await repository.ensure_profiel(werk.session, zorgaanbieder_id)
        await repository.zet_feiten(werk.session, zorgaanbieder_id, **feiten)
    afronding = getattr(werk, "afronding", None)
    rijen = [{"zorgaanbieder_id": zorgaanbieder_id, **s} for s in signalen]
    await repository.voeg_signalen_toe(werk.session, rijen, later=afronding is not None)
    if afronding is None:
        await herbereken(werk.session, {zorgaanbieder_id: Aanleiding(werk, nieuw, sector_als_onbekend)})
        return
    groep = afronding.groep(_herbereken_verzameld)
    eerder = groep.get(zorgaanbieder_id)
    if eerder is not None:  # the last event about the provider acts in its audit row
        nieuw = nieuw or eerder.nieuw
        sector_als_onbekend = sector_als_onbekend or eerder.sector_als_onbekend
    groep[zorgaanbieder_id] = Aanleiding(werk, nieuw, sector_als_onbekend)


async def _herbereken_verzameld(items: dict[uuid.UUID, Aanleiding]) -> None:
    session = next(iter(items.values())).werk.session
    await repository.schrijf_signalen(session)  # before the profiles are locked, as when each event wrote its own
    await herbereken(session, items)


async def herbereken_een(werk: Werk, zorgaanbieder_id: uuid.UUID, *, nieuw: bool = False) -> Risicoprofiel:
    """Recompute one provider from its stored signals at today's date (see ``herbereken``)."""
    return (await herbereken(werk.session, {zorgaanbieder_id: Aanleiding(werk, nieuw)}))[0]


async def herbereken(session: AsyncSession, items: dict[uuid.UUID, Aanleiding]) -> list[Risicoprofiel]:
    """Recompute providers from their stored signals at today's date, a few statements for all of them (a profile
    is created for a provider first heard of); for each whose risk changed: its event and an audit row naming the
    cause (the actor of its ``Werk``, in whose correlation the event is built). register's projected facts alone
    are not audited here: register audits them."""
    gevonden = {p.zorgaanbieder_id: p for p in await repository.profielen_voor_update(session, items.keys())}
    ontbrekend = [zid for zid in items if zid not in gevonden]
    if ontbrekend:
        await repository.maak_profielen(session, {zid: items[zid].sector_als_onbekend for zid in ontbrekend})
        gevonden.update((p.zorgaanbieder_id, p) for p in await repository.profielen_voor_update(session, ontbrekend))
    profielen = sorted(gevonden.values(), key=lambda p: p.zorgaanbieder_id)
    nieuw = {zid: items[zid].nieuw or zid in ontbrekend for zid in items}
    for profiel in profielen:
        sector = items[profiel.zorgaanbieder_id].sector_als_onbekend
        if profiel.sector is None and sector is not None:
            profiel.sector = sector
    signalen = await repository.signalen_van_alle(session, items.keys())
    model, peildatum = huidig_model(), klok.vandaag()
    oud = {p.zorgaanbieder_id: _kern(p) for p in profielen}
    for profiel in profielen:
        rijen = signalen[profiel.zorgaanbieder_id]
        uitkomst = bereken(model, als_aanbieder(profiel), [als_signaal(r) for r in rijen], peildatum)
        pas_toe(profiel, uitkomst, len(rijen), model, peildatum)
    await session.flush()
    outbox_rijen: list[dict[str, Any]] = []
    audit_rijen: list[dict[str, Any]] = []
    for profiel in profielen:
        zid = profiel.zorgaanbieder_id
        werk = items[zid].werk
        kern = _kern(profiel)
        if kern == oud[zid]:
            continue
        event = getattr(werk, "event", None)  # in a consumer: the event's correlation, as its handler had
        with correlated(event.correlationid) if event is not None else nullcontext():
            outbox_rijen += werk.outbox.rows([gewijzigd_event(profiel)])[1]
            audit_rijen.append(
                werk.audit.row(
                    werk.actor,
                    actie="create" if nieuw[zid] else "partial_update",
                    hoofd_object_id=zid,
                    hoofd_pad=_pad(zid),
                    resource="risicoprofiel",
                    weergave=_weergave(zid),
                    oud=None if nieuw[zid] else oud[zid],
                    nieuw=kern,
                    resultaat=201 if nieuw[zid] else 200,
                )
            )
    if outbox_rijen:
        eerste = next(iter(items.values())).werk  # every Werk of one transaction writes to the same outbox and trail
        await eerste.outbox.insert(session, outbox_rijen)
        await eerste.audit.insert(session, audit_rijen)
    return profielen


# --- the inspector's hand: reads, override, quality-system mark -----------------------------------------


async def lees(werk: Werk, zorgaanbieder_id: uuid.UUID) -> Risicoprofiel:
    """A score is personal data for a solist: every read of one is in the audit trail."""
    profiel = await repository.get_profiel(werk.session, zorgaanbieder_id)
    if profiel is None:
        raise NotFound(f"No risk profile is known for zorgaanbieder {zorgaanbieder_id}")
    await _audit_lezen(werk, [zorgaanbieder_id], "Risicoprofiel ingezien")
    return profiel


async def _audit_lezen(werk: Werk, ids: list[uuid.UUID], weergave: str) -> None:
    rijen = [
        werk.audit.row(
            werk.actor,
            actie="read",
            hoofd_object_id=i,
            hoofd_pad=_pad(i),
            resource="risicoprofiel",
            weergave=weergave,
        )
        for i in ids
    ]
    if rijen:
        await werk.audit.insert(werk.session, rijen)


async def audit_lijst(werk: Werk, profielen: list[Risicoprofiel]) -> None:
    """A page of the list shows scores too: one read row per provider shown."""
    await _audit_lezen(werk, [p.zorgaanbieder_id for p in profielen], "Risicoprofiel in lijst ingezien")


async def _wijzig_hand(werk: Werk, zorgaanbieder_id: uuid.UUID, velden: dict[str, Any], resource: str) -> Risicoprofiel:
    profiel = await repository.get_profiel(werk.session, zorgaanbieder_id)
    if profiel is None:
        raise NotFound(f"No risk profile is known for zorgaanbieder {zorgaanbieder_id}")
    profiel = await repository.profiel_voor_update(werk.session, zorgaanbieder_id)
    oud = {k: getattr(profiel, k) for k in velden}
    for k, v in velden.items():
        setattr(profiel, k, v)
    profiel.effectieve_score = profiel.overschreven_score if profiel.overschreven_score is not None else profiel.score
    await werk.session.flush()
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="partial_update",
        hoofd_object_id=zorgaanbieder_id,
        hoofd_pad=_pad(zorgaanbieder_id),
        resource=resource,
        weergave=_weergave(zorgaanbieder_id),
        oud=_camel(oud),
        nieuw=_camel(velden),
    )
    return profiel


def _camel(velden: dict[str, Any]) -> dict[str, Any]:
    def camel(naam: str) -> str:
        kop, *rest = naam.split("_")
        return kop + "".join(d.title() for d in rest)

    return {camel(k): v for k, v in velden.items()}


async def overschrijf(werk: Werk, zorgaanbieder_id: uuid.UUID, score: float | None, reden: str | None) -> Risicoprofiel:
    """Set (score and reason) or remove (None) an inspector's override; planning uses it instead of the model's score.
    It stays through rescoring until an inspector removes it. Announced like any change of the effective score."""
    profiel = await _wijzig_hand(werk, zorgaanbieder_id, {"overschreven_score": score, "overschrijving_reden": reden}, "overschrijving")
    await werk.outbox.add(werk.session, gewijzigd_event(profiel))
    await werk.session.refresh(profiel, ["bijgewerkt_op"])  # set by the database on update
    return profiel


async def markeer_kwaliteitssysteem(werk: Werk, zorgaanbieder_id: uuid.UUID, werkend: bool, reden: str | None) -> Risicoprofiel:
    """Mark (or unmark) a working quality system (toezicht op maat): the model damps the score; rescored at once."""
    await _wijzig_hand(werk, zorgaanbieder_id, {"kwaliteitssysteem": werkend, "kwaliteitssysteem_reden": reden}, "kwaliteitssysteem")
    profiel = await herbereken_een(werk, zorgaanbieder_id)
    await werk.session.refresh(profiel, ["bijgewerkt_op"])  # set by the database on update
    return profiel
