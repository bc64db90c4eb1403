"""Register's domain logic: registrations, Wtza meldingen from CIBG, licences, stopping.

Every change writes the state, its event (outbox) and its audit trail row in the caller's transaction.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from register import repository, rules
from register.models import Aandachtspunt, Vergunning, Vestiging, WtzaMelding, Zorgaanbieder
from register.schemas import (
    Beeindiging,
    IntrekkingIn,
    VergunningAanvraagIn,
    VergunningBesluitIn,
    WtzaMeldingIn,
    ZorgaanbiederGegevens,
)
from register.zoeken_normalisatie import woorden, zoeknaam
from zorgtoezicht.domain.zorgaanbieders import (
    AandachtspuntStatus,
    Intrekkingsgrond,
    VergunningStatus,
    Vergunningstatus,
    ZorgaanbiederStatus,
)
from zorgtoezicht.events.contracts import register as events
from zorgtoezicht.events.contracts.handhaving import MaatregelBeeindigd, MaatregelOpgelegd, MaatregelVerlengd
from zorgtoezicht.http.problems import Conflict, NotFound
from zorgtoezicht.service import Werk
from zorgtoezicht.termijnen import regels as termijnen

log = logging.getLogger(__name__)


def inhoud_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def feiten_van(z: Zorgaanbieder) -> dict[str, Any]:
    """The provider's facts as the API shows them (camelCase), for audit trails and hashes."""
    return {
        "kvkNummer": z.kvk_nummer,
        "statutaireNaam": z.statutaire_naam,
        "handelsnamen": list(z.handelsnamen or []),
        "rechtsvorm": z.rechtsvorm,
        "soort": z.soort,
        "agbCode": z.agb_code,
        "sectoren": list(z.sectoren or []),
        "zorgsoorten": list(z.zorgsoorten or []),
        "financiering": list(z.financiering or []),
        "aantalZorgverleners": z.aantal_zorgverleners,
        "aantalClienten": z.aantal_clienten,
        "heeftClientenraad": z.heeft_clientenraad,
        "heeftInternToezicht": z.heeft_intern_toezicht,
        "levertMsz": z.levert_msz,
        "startdatumZorg": z.startdatum_zorg.isoformat() if z.startdatum_zorg else None,
        "status": z.status,
        "vergunningplichtig": z.vergunningplichtig,
        "vergunningstatus": z.vergunningstatus,
        "vestigingen": [
            {
                "vestigingsnummer": v.vestigingsnummer,
                "naam": v.naam,
                "adres": v.adres,
                "postcode": v.postcode,
                "plaats": v.plaats,
                "gemeenteCode": v.gemeente_code,
                "gemeente": v.gemeente,
            }
            for v in sorted(z.vestigingen, key=lambda v: v.vestigingsnummer)
        ],
    }


def _apply(z: Zorgaanbieder, gegevens: ZorgaanbiederGegevens) -> None:
    z.kvk_nummer = gegevens.kvk_nummer
    z.statutaire_naam = gegevens.statutaire_naam
    z.handelsnamen = list(gegevens.handelsnamen)
    z.rechtsvorm = gegevens.rechtsvorm
    z.soort = gegevens.soort
    z.agb_code = gegevens.agb_code
    z.sectoren = [s.value for s in gegevens.sectoren]
    z.zorgsoorten = list(gegevens.zorgsoorten)
    z.financiering = list(gegevens.financiering)
    z.aantal_zorgverleners = gegevens.aantal_zorgverleners
    z.aantal_clienten = gegevens.aantal_clienten
    z.heeft_clientenraad = gegevens.heeft_clientenraad
    z.heeft_intern_toezicht = gegevens.heeft_intern_toezicht
    z.levert_msz = gegevens.levert_msz
    z.startdatum_zorg = gegevens.startdatum_zorg
    z.status = gegevens.status
    z.zoeknaam = zoeknaam(gegevens.statutaire_naam, gegevens.handelsnamen)
    z.vestigingen = [
        Vestiging(
            vestigingsnummer=v.vestigingsnummer,
            kvk_nummer=gegevens.kvk_nummer,
            naam=v.naam,
            adres=v.adres,
            postcode=v.postcode,
            plaats=v.plaats,
            gemeente_code=v.gemeente_code,
            gemeente=v.gemeente or "",
        )
        for v in gegevens.vestigingen
    ]


def _feiten_event(z: Zorgaanbieder) -> dict[str, Any]:
    return {
        "zorgaanbieder_id": z.id,
        "kvk_nummer": z.kvk_nummer,
        "soort": z.soort,
        "sectoren": list(z.sectoren),
        "status": z.status,
        "vergunningplichtig": z.vergunningplichtig,
        "vestigingen": [
            events.VestigingFeit(vestigingsnummer=v.vestigingsnummer, gemeente=v.gemeente, gemeente_code=v.gemeente_code)
            for v in z.vestigingen
        ],
    }


async def _claim_vestigingen(session: AsyncSession, gegevens: ZorgaanbiederGegevens, owner: uuid.UUID | None) -> None:
    taken = await repository.vestigingen_of_others(session, [v.vestigingsnummer for v in gegevens.vestigingen], owner)
    if taken:
        raise Conflict(f"Vestigingsnummer(s) registered to another zorgaanbieder: {', '.join(taken)}", code="vestigingsnummer_bestaat")


async def _audit(
    werk: Werk,
    actie: str,
    z: Zorgaanbieder,
    oud: dict | None,
    nieuw: dict | None,
    resource: str = "zorgaanbieder",
    resource_pad: str | None = None,
) -> None:
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie=actie,
        hoofd_object_id=z.id,
        hoofd_pad=f"zorgaanbieders/{z.id}",
        resource=resource,
        resource_pad=resource_pad,
        weergave=f"Zorgaanbieder KvK {z.kvk_nummer}",
        oud=oud,
        nieuw=nieuw,
        resultaat=201 if actie == "create" else 200,
    )


async def registreer_zorgaanbieder(werk: Werk, gegevens: ZorgaanbiederGegevens) -> Zorgaanbieder:
    """Direct entry by staff: a new provider, or 409 when the KvK-nummer is known already."""
    await repository.lock(werk.session, f"kvk:{gegevens.kvk_nummer}")
    if await repository.zorgaanbieder_by_kvk(werk.session, gegevens.kvk_nummer) is not None:
        raise Conflict(f"KvK-nummer {gegevens.kvk_nummer} is already registered", code="kvk_nummer_bestaat")
    await _claim_vestigingen(werk.session, gegevens, None)
    z = Zorgaanbieder(id=uuid.uuid4(), versie=1, vergunningstatus=Vergunningstatus.geen, vergunningplichtig=False)
    _apply(z, gegevens)
    z.inhoud_hash = inhoud_hash(gegevens.model_dump(mode="json", by_alias=True))
    werk.session.add(z)
    await werk.session.flush()
    await repository.vervang_woorden(werk.session, z.id, woorden(z.zoeknaam))
    await werk.outbox.add(werk.session, events.ZorgaanbiederGeregistreerd(**_feiten_event(z)))
    await _audit(werk, "create", z, None, feiten_van(z))
    return z


async def verwerk_wtza_melding(werk: Werk, melding: WtzaMeldingIn, drempels: rules.Drempels) -> tuple[dict[str, Any], bool]:
    """A Wtza melding from CIBG, idempotent on CIBG's reference: the same message gives the same
    result (``True`` = replay); the reference reused for other content is 409 and changes nothing."""
    session = werk.session
    content_hash = inhoud_hash(melding.model_dump(mode="json", by_alias=True))
    # Concurrent deliveries of one reference, or of one KvK-nummer, are handled one after the other.
    await repository.lock(session, f"cibg:{melding.cibg_referentie}")
    await repository.lock(session, f"kvk:{melding.zorgaanbieder.kvk_nummer}")
    known = await repository.wtza_melding(session, melding.cibg_referentie)
    if known is not None:
        if known.inhoud_hash != content_hash:
            raise Conflict(
                f"cibgReferentie {melding.cibg_referentie} was used before for a different melding", code="referentie_hergebruikt"
            )
        return known.resultaat, True

    gegevens = melding.zorgaanbieder
    z = await repository.zorgaanbieder_by_kvk(session, gegevens.kvk_nummer, for_update=True)
    await _claim_vestigingen(session, gegevens, z.id if z else None)
    oud = feiten_van(z) if z is not None else None
    beoordeling = rules.beoordeel(
        rules.WtzaFeiten(
            soort=gegevens.soort,
            financiering=frozenset(gegevens.financiering),
            aantal_zorgverleners=gegevens.aantal_zorgverleners or 0,
            aantal_clienten=gegevens.aantal_clienten,
            levert_msz=gegevens.levert_msz,
            zorgsoorten=frozenset(gegevens.zorgsoorten),
            uitzondering=melding.uitzondering,
            heeft_clientenraad=bool(gegevens.heeft_clientenraad),
            heeft_intern_toezicht=bool(gegevens.heeft_intern_toezicht),
            startdatum_zorg=gegevens.startdatum_zorg or melding.meldingsdatum,
            meldingsdatum=melding.meldingsdatum,
        ),
        drempels,
    )
    nieuw = z is None
    if z is None:
        z = Zorgaanbieder(id=uuid.uuid4(), versie=1, vergunningstatus=Vergunningstatus.geen)
        session.add(z)
    else:
        z.versie += 1
    _apply(z, gegevens)
    if (
        gegevens.startdatum_zorg is not None
        and gegevens.startdatum_zorg > melding.meldingsdatum
        and gegevens.status == ZorgaanbiederStatus.actief
    ):
        z.status = ZorgaanbiederStatus.aangemeld  # reported before the start of care, as the Wtza wants
    z.vergunningplichtig = beoordeling.vergunningplichtig
    z.inhoud_hash = inhoud_hash(gegevens.model_dump(mode="json", by_alias=True))
    await session.flush()
    await repository.vervang_woorden(session, z.id, woorden(z.zoeknaam))
    for punt in beoordeling.aandachtspunten:
        session.add(
            Aandachtspunt(
                id=uuid.uuid4(),
                zorgaanbieder_id=z.id,
                regel=punt.regel,
                grondslag=punt.grondslag,
                reden=punt.reden,
                vervolg=punt.vervolg,
                status=AandachtspuntStatus.open,
                cibg_referentie=melding.cibg_referentie,
            )
        )
    punten = [
        events.Aandachtspunt(regel=p.regel, grondslag=p.grondslag, reden=p.reden, vervolg=p.vervolg) for p in beoordeling.aandachtspunten
    ]
    await werk.outbox.add(
        session,
        events.ZorgaanbiederAangemeld(
            **_feiten_event(z), cibg_referentie=melding.cibg_referentie, startdatum_zorg=z.startdatum_zorg, aandachtspunten=punten
        ),
    )
    await _audit(werk, "create" if nieuw else "update", z, oud, feiten_van(z))
    resultaat = {
        "cibgReferentie": melding.cibg_referentie,
        "zorgaanbiederId": str(z.id),
        "nieuweZorgaanbieder": nieuw,
        "vergunningplichtig": beoordeling.vergunningplichtig,
        "meldplichtig": beoordeling.meldplichtig,
        "aandachtspunten": [p.model_dump(by_alias=True) for p in punten],
    }
    session.add(WtzaMelding(cibg_referentie=melding.cibg_referentie, inhoud_hash=content_hash, zorgaanbieder_id=z.id, resultaat=resultaat))
    await session.flush()
    return resultaat, False


async def beeindig(werk: Werk, zorgaanbieder_id: uuid.UUID, beeindiging: Beeindiging) -> Zorgaanbieder:
    z = await _provider(werk.session, zorgaanbieder_id, for_update=True)
    if z.status == ZorgaanbiederStatus.gestopt:
        raise Conflict("This zorgaanbieder has stopped already", code="al_gestopt")
    oud = feiten_van(z)
    z.status, z.versie = ZorgaanbiederStatus.gestopt, z.versie + 1
    await werk.session.flush()
    await werk.outbox.add(
        werk.session, events.ZorgaanbiederGestopt(zorgaanbieder_id=z.id, kvk_nummer=z.kvk_nummer, einddatum=beeindiging.einddatum)
    )
    await _audit(werk, "partial_update", z, oud, feiten_van(z))
    return z


async def _provider(session: AsyncSession, zorgaanbieder_id: uuid.UUID, *, for_update: bool = False) -> Zorgaanbieder:
    z = await repository.get_zorgaanbieder(session, zorgaanbieder_id, for_update=for_update)
    if z is None:
        raise NotFound(f"No zorgaanbieder with id {zorgaanbieder_id}")
    return z


# --- licences (toelatingsvergunning, Wtza art. 4) ----------------------------------------------------

VERGUNNING_OVERGANGEN: dict[VergunningStatus, set[VergunningStatus]] = {  # status → the statuses it may move to
    VergunningStatus.aangevraagd: {VergunningStatus.verleend, VergunningStatus.geweigerd},
    VergunningStatus.verleend: {VergunningStatus.ingetrokken},
    VergunningStatus.geweigerd: set(),
    VergunningStatus.ingetrokken: set(),
}

INTREKKINGSGRONDEN: dict[Intrekkingsgrond, str] = {  # Wtza art. 8: the legal grounds for withdrawal
    Intrekkingsgrond.onjuiste_gegevens: "Bij de aanvraag zijn onjuiste of onvolledige gegevens verstrekt",
    Intrekkingsgrond.een_jaar_geen_zorg: "De instelling heeft gedurende een jaar geen zorg verleend",
    Intrekkingsgrond.instelling_bestaat_niet_meer: "De instelling bestaat niet meer",
    Intrekkingsgrond.bestuur_wezenlijk_gewijzigd: "De samenstelling van het bestuur is wezenlijk gewijzigd",
    Intrekkingsgrond.geen_vog: "Een bestuurder beschikt niet over een verklaring omtrent het gedrag",
    Intrekkingsgrond.intern_toezicht_ontoereikend: "Niet voldaan aan de eisen voor intern toezicht",
    Intrekkingsgrond.wkkgz_niet_nageleefd: "Niet voldaan aan de Wkkgz",
    Intrekkingsgrond.wmg_niet_nageleefd: "Niet voldaan aan de Wmg",
    Intrekkingsgrond.wmcz_niet_nageleefd: "Niet voldaan aan de Wmcz 2018",
}


def _vergunning_audit_pad(v: Vergunning) -> str:
    return f"vergunningen/{v.id}"


def _vergunning_feiten(v: Vergunning) -> dict[str, Any]:
    return {
        "status": v.status,
        "aanvraagCompleetOp": v.aanvraag_compleet_op.isoformat(),
        "uitersteBeslisdatum": v.uiterste_beslisdatum.isoformat(),
        "besluitdatum": v.besluitdatum.isoformat() if v.besluitdatum else None,
        "weigeringsgrond": v.weigeringsgrond,
        "intrekkingsdatum": v.intrekkingsdatum.isoformat() if v.intrekkingsdatum else None,
        "intrekkingsgrond": v.intrekkingsgrond,
    }


async def vergunning_aangevraagd(werk: Werk, aanvraag: VergunningAanvraagIn) -> tuple[Vergunning, bool]:
    """A complete application reached CIBG: the 8-week decision term starts (idempotent on the reference)."""
    await repository.lock(werk.session, f"cibg:{aanvraag.cibg_referentie}")
    known = await repository.vergunning_by_referentie(werk.session, aanvraag.cibg_referentie)
    if known is not None:
        if known.zorgaanbieder_id != aanvraag.zorgaanbieder_id or known.aanvraag_compleet_op != aanvraag.aanvraag_compleet_op:
            raise Conflict(
                f"cibgReferentie {aanvraag.cibg_referentie} was used before for another application", code="referentie_hergebruikt"
            )
        return known, True
    z = await _provider(werk.session, aanvraag.zorgaanbieder_id, for_update=True)
    if z.vergunningstatus in (Vergunningstatus.aangevraagd, Vergunningstatus.verleend):
        raise Conflict(f"This zorgaanbieder has a licence {z.vergunningstatus} already", code="vergunning_bestaat")
    v = Vergunning(
        id=uuid.uuid4(),
        zorgaanbieder_id=z.id,
        cibg_referentie=aanvraag.cibg_referentie,
        status=VergunningStatus.aangevraagd,
        aanvraag_compleet_op=aanvraag.aanvraag_compleet_op,
        uiterste_beslisdatum=termijnen.bereken(termijnen.CIBG_BESLISTERMIJN_VERGUNNING, aanvraag.aanvraag_compleet_op),
    )
    werk.session.add(v)
    oud = feiten_van(z)
    z.vergunningstatus = Vergunningstatus.aangevraagd
    await werk.session.flush()
    await werk.outbox.add(
        werk.session,
        events.VergunningAangevraagd(
            zorgaanbieder_id=z.id,
            vergunning_id=v.id,
            aanvraag_compleet_op=v.aanvraag_compleet_op,
            uiterste_beslisdatum=v.uiterste_beslisdatum,
        ),
    )
    await _audit(
        werk,
        "create",
        z,
        {"vergunning": None, "vergunningstatus": oud["vergunningstatus"]},
        {"vergunning": _vergunning_feiten(v), "vergunningstatus": z.vergunningstatus},
        resource="vergunning",
        resource_pad=_vergunning_audit_pad(v),
    )
    return v, False


async def _overgang(werk: Werk, vergunning_id: uuid.UUID, naar: str) -> tuple[Vergunning, Zorgaanbieder, dict]:
    v = await repository.get_vergunning(werk.session, vergunning_id, for_update=True)
    if v is None:
        raise NotFound(f"No vergunning with id {vergunning_id}")
    if naar not in VERGUNNING_OVERGANGEN[v.status]:
        raise Conflict(f"A vergunning that is {v.status} cannot become {naar}", code="ongeldige_overgang")
    z = await _provider(werk.session, v.zorgaanbieder_id, for_update=True)
    return v, z, _vergunning_feiten(v)


async def vergunning_besluit(werk: Werk, vergunning_id: uuid.UUID, besluit: VergunningBesluitIn) -> Vergunning:
    v, z, oud = await _overgang(werk, vergunning_id, besluit.besluit)
    if besluit.besluitdatum < v.aanvraag_compleet_op:
        raise Conflict("The besluitdatum lies before the application was complete", code="besluit_voor_aanvraag")
    v.status, v.besluitdatum, v.weigeringsgrond = besluit.besluit, besluit.besluitdatum, besluit.weigeringsgrond
    z.vergunningstatus = besluit.besluit
    await werk.session.flush()
    if besluit.besluit == VergunningStatus.verleend:
        event: events.EventData = events.VergunningVerleend(zorgaanbieder_id=z.id, vergunning_id=v.id, besluitdatum=v.besluitdatum)
    else:
        event = events.VergunningGeweigerd(
            zorgaanbieder_id=z.id, vergunning_id=v.id, besluitdatum=v.besluitdatum, weigeringsgrond=besluit.weigeringsgrond or ""
        )
    await werk.outbox.add(werk.session, event)
    await _audit(
        werk,
        "partial_update",
        z,
        {"vergunning": oud},
        {"vergunning": _vergunning_feiten(v)},
        resource="vergunning",
        resource_pad=_vergunning_audit_pad(v),
    )
    return v


async def vergunning_ingetrokken(werk: Werk, vergunning_id: uuid.UUID, intrekking: IntrekkingIn) -> Vergunning:
    v, z, oud = await _overgang(werk, vergunning_id, VergunningStatus.ingetrokken)
    v.status, v.intrekkingsdatum = VergunningStatus.ingetrokken, intrekking.intrekkingsdatum
    v.intrekkingsgrond = intrekking.grond
    z.vergunningstatus = Vergunningstatus.ingetrokken
    await werk.session.flush()
    await werk.outbox.add(
        werk.session,
        events.VergunningIngetrokken(
            zorgaanbieder_id=z.id, vergunning_id=v.id, intrekkingsdatum=intrekking.intrekkingsdatum, intrekkingsgrond=intrekking.grond
        ),
    )
    await _audit(
        werk,
        "partial_update",
        z,
        {"vergunning": oud},
        {"vergunning": _vergunning_feiten(v)},
        resource="vergunning",
        resource_pad=_vergunning_audit_pad(v),
    )
    return v


async def verwerk_maatregel_opgelegd(werk: Werk, data: MaatregelOpgelegd) -> None:
    """handhaving imposed a measure: the provider shows it; the audit row names the event that caused it (the actor)."""
    await repository.add_actieve_maatregel(
        werk.session,
        maatregel_id=data.maatregel_id,
        zorgaanbieder_id=data.zorgaanbieder_id,
        soort=data.soort.value,
        ingangsdatum=data.ingangsdatum,
        einddatum=data.einddatum,
    )
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="partial_update",
        hoofd_object_id=data.zorgaanbieder_id,
        hoofd_pad=f"zorgaanbieders/{data.zorgaanbieder_id}",
        resource="maatregel",
        weergave=f"Maatregel {data.soort.value} van handhaving",
        oud=None,
        nieuw={
            "maatregelId": str(data.maatregel_id),
            "soort": data.soort.value,
            "ingangsdatum": data.ingangsdatum.isoformat(),
            "einddatum": data.einddatum.isoformat() if data.einddatum else None,
        },
    )


async def verwerk_maatregel_beeindigd(werk: Werk, data: MaatregelBeeindigd) -> None:
    """handhaving ended a measure early (lifted, revoked, complied with): its einddatum becomes the event's.

    The event's einddatum means what maatregel-opgelegd's does: the last day the measure is in force (the
    register shows it through that day); handhaving's besluit keeps that day as its ``vervaldatum``. An end for
    a measure register never saw is skipped: maatregel-opgelegd travels on the same topic and key, so it is
    read first unless it was lost.
    """
    await _zet_einddatum(werk, data, "beëindigd")


async def verwerk_maatregel_verlengd(werk: Werk, data: MaatregelVerlengd) -> None:
    """A measure in force runs longer (a bevel extended by the Minister): its new last day in force. Its own event,
    so that a replayed maatregel-opgelegd can never lengthen a measure that ended."""
    await _zet_einddatum(werk, data, "verlengd")


async def _zet_einddatum(werk: Werk, data: MaatregelBeeindigd | MaatregelVerlengd, wat: str) -> None:
    """The measure's new last day in force, with an audit row naming the event; one register never saw is skipped."""
    maatregel = await repository.get_actieve_maatregel(werk.session, data.maatregel_id)
    if maatregel is None:
        log.warning("change of an unknown measure skipped", extra={"maatregelId": str(data.maatregel_id), "wijziging": wat})
        return
    oud = maatregel.einddatum
    maatregel.einddatum = data.einddatum
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="partial_update",
        hoofd_object_id=data.zorgaanbieder_id,
        hoofd_pad=f"zorgaanbieders/{data.zorgaanbieder_id}",
        resource="maatregel",
        weergave=f"Maatregel {data.soort.value} van handhaving {wat}",
        oud={"maatregelId": str(data.maatregel_id), "einddatum": oud.isoformat() if oud else None},
        nieuw={"maatregelId": str(data.maatregel_id), "einddatum": data.einddatum.isoformat()},
    )
