"""The Awb procedure of handhaving: cases, besluiten along the table in workflow.py, objections.

Every step runs in the caller's unit of work (``Werk``): status, history row, audit row (actor and reason)
and events together or not at all. A besluit has no effect before its bekendmaking: it is not in force and
announces no measure (MaatregelOpgelegd) before it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.dialects.postgresql import insert

from handhaving import besluittypen, boeteprocedure, instrumenten, invordering, openbaarmaking, workflow
from handhaving.models import Besluit, BesluitStatusRij, Bezwaar, Handhavingszaak, Verwijzing
from handhaving.openbaarmaking_regels import Documentsoort, persoonsgegevens_in
from zorgtoezicht import klok
from zorgtoezicht.domain.handhaving import (
    BEKENDGEMAAKTE_STATUSSEN,
    Aanleiding,
    BesluitStatus,
    BezwaarUitkomst,
    Vervalreden,
    VerwijzingSoort,
    ZaakStatus,
)
from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.events.contracts import handhaving as events
from zorgtoezicht.http.problems import Conflict, InvalidInput, NotFound
from zorgtoezicht.termijnbewaking import Termijn as Bewaakt
from zorgtoezicht.termijnen import Termijn, bereken, bevel_einde, bezwaartermijn_einde, plus_maanden
from zorgtoezicht.werk import Werk
from zorgtoezicht.workflow import Workflow

S = BesluitStatus
# A stored term (termijnbewaking) per besluit made known with a vervaldatum: the watcher lets it lapse once.
VERVALTERMIJN = "besluit-vervaldatum"
# Per besluit made known: its objection term (bezwaartermijn-verstreken the day after the last day) and, for an
# instrument with a term to comply, that term (vervolgtoezicht-gevraagd: toezicht checks compliance).
BEZWAARTERMIJN = "besluit-bezwaartermijn"
NALEVINGSTERMIJN = "besluit-nalevingstermijn"


def _zichtbaar(b: Besluit) -> dict[str, Any]:
    """The besluit's non-personal state for the audit row's old and new values."""
    return {
        "status": b.status.value,
        "besluittype": b.besluittype.value,
        "datum": _iso(b.datum),
        "verzenddatum": _iso(b.verzenddatum),
        "ingangsdatum": _iso(b.ingangsdatum),
        "vervaldatum": _iso(b.vervaldatum),
        "vervalreden": b.vervalreden.value if b.vervalreden else None,
        "uiterlijkeReactiedatum": _iso(b.uiterlijke_reactiedatum),
        "zienswijzeUiterlijk": _iso(b.zienswijze_uiterlijk),
    }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


STATUS: Workflow[Besluit] = Workflow(
    "besluit",
    workflow.OVERGANGEN,
    begin=workflow.BEGIN,
    geschiedenis=BesluitStatusRij.__table__,
    aggregaat_kolom="besluit_id",
    audit=lambda b: {
        "hoofd_object_id": b.id,
        "hoofd_pad": f"besluiten/{b.id}",
        "resource": "besluit",
        "weergave": f"Besluit {b.identificatie}",
    },
    zichtbaar=_zichtbaar,
)


def _veld(naam: str, code: str, reden: str) -> InvalidInput:
    return InvalidInput("The step's input is not valid", invalid_params=[{"name": naam, "code": code, "reason": reden}])


def _identificatie(prefix: str, id_: uuid.UUID) -> str:
    return f"{prefix}-{klok.vandaag().year}-{id_.hex[:10].upper()}"


def in_werking(b: Besluit, dag: date) -> bool:
    """Whether the besluit has effect on ``dag``: made known, started and not ended (never before bekendmaking)."""
    if b.status not in BEKENDGEMAAKTE_STATUSSEN or b.ingangsdatum is None:
        return False
    return b.ingangsdatum <= dag and (b.vervaldatum is None or dag <= b.vervaldatum)


# --- cases ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Zaakopening:
    zorgaanbieder_id: uuid.UUID
    aanleiding: Aanleiding
    aanleiding_datum: date
    aanleiding_id: uuid.UUID | None = None
    tekortkomingen: tuple[dict[str, Any], ...] = ()


async def open_zaak(werk: Werk, opening: Zaakopening) -> Handhavingszaak | None:
    """Open a case, or None when this source already opened one (a redelivered event: one case per judgement).

    A case whose shortcoming falls while a waarschuwing for the same provider is valid (2 years) is a repeat:
    the system proposes a bestuurlijke boete in it (a voornemen for the jurist to pursue or drop)."""
    session = werk.session
    zaak_id = uuid.uuid4()
    ingevoegd = await session.execute(
        insert(Handhavingszaak)
        .values(
            id=zaak_id,
            identificatie=_identificatie("HZ", zaak_id),
            zorgaanbieder_id=opening.zorgaanbieder_id,
            aanleiding=opening.aanleiding,
            aanleiding_id=opening.aanleiding_id,
            aanleiding_datum=opening.aanleiding_datum,
            tekortkomingen=list(opening.tekortkomingen),
            geopend_op=klok.nu(),
            geopend_door=werk.actor.applicatie_id,
        )
        .on_conflict_do_nothing()
        .returning(Handhavingszaak.id)
    )
    if ingevoegd.scalar_one_or_none() is None:
        return None
    zaak = await session.get(Handhavingszaak, zaak_id)
    assert zaak is not None
    await werk.outbox.add(
        session,
        events.HandhavingszaakGeopend(
            zaak_id=zaak.id,
            zorgaanbieder_id=zaak.zorgaanbieder_id,
            aanleiding=opening.aanleiding,
            aanleiding_id=opening.aanleiding_id,
            aanleiding_datum=opening.aanleiding_datum,
        ),
    )
    await werk.audit.record(
        session,
        werk.actor,
        actie="create",
        hoofd_object_id=zaak.id,
        hoofd_pad=f"handhavingszaken/{zaak.id}",
        resource="handhavingszaak",
        weergave=f"Handhavingszaak {zaak.identificatie}",
        oud=None,
        nieuw={
            "zorgaanbiederId": str(zaak.zorgaanbieder_id),
            "aanleiding": opening.aanleiding.value,
            "aanleidingDatum": opening.aanleiding_datum.isoformat(),
        },
        resultaat=201,
    )
    waarschuwing = await geldige_waarschuwing(werk, zaak.zorgaanbieder_id, opening.aanleiding_datum)
    if waarschuwing is not None:
        zaak.herhaling_van = waarschuwing.id
        await stel_voor(
            werk,
            zaak,
            MaatregelSoort.bestuurlijke_boete,
            toelichting=f"herhaling binnen de geldigheid van waarschuwing {waarschuwing.identificatie}",
            instrumentgegevens={"herhalingVan": str(waarschuwing.id)},
        )
    return zaak


async def geldige_waarschuwing(werk: Werk, zorgaanbieder_id: uuid.UUID, dag: date) -> Besluit | None:
    """A waarschuwing made known to this provider that was valid on ``dag`` (its ingangsdatum up to its vervaldatum).

    By its dates, not its status: a judgement may arrive after the watcher let the waarschuwing lapse, and still
    be a repeat on its own day. A revoked waarschuwing never counts."""
    return await werk.session.scalar(
        select(Besluit)
        .where(
            Besluit.zorgaanbieder_id == zorgaanbieder_id,
            Besluit.besluittype == MaatregelSoort.waarschuwing,
            Besluit.status.in_([*BEKENDGEMAAKTE_STATUSSEN, S.vervallen]),
            Besluit.ingangsdatum <= dag,
            Besluit.vervaldatum >= dag,
        )
        .order_by(Besluit.ingangsdatum.desc())
        .limit(1)
    )


async def zaak(werk: Werk, zaak_id: uuid.UUID) -> Handhavingszaak:
    gevonden = await werk.session.get(Handhavingszaak, zaak_id)
    if gevonden is None:
        raise NotFound(f"No handhavingszaak with id {zaak_id}")
    return gevonden


async def besluiten_van(werk: Werk, zaak_id: uuid.UUID) -> list[Besluit]:
    return list(await werk.session.scalars(select(Besluit).where(Besluit.zaak_id == zaak_id).order_by(Besluit.aangemaakt_op, Besluit.id)))


async def verwijzingen_van(werk: Werk, zaak_id: uuid.UUID) -> list[Verwijzing]:
    query = select(Verwijzing).where(Verwijzing.zaak_id == zaak_id)
    return list(await werk.session.scalars(query.order_by(Verwijzing.datum, Verwijzing.vastgelegd_op, Verwijzing.id)))


async def verwijs(werk: Werk, zaak_: Handhavingszaak, soort: VerwijzingSoort, *, datum: date | None, toelichting: str) -> Verwijzing:
    """Record a referral (tuchtklacht, voordracht, aangifte bij het OM) as a step of the case: audit row and
    verwijzing-vastgelegd (ids, code, date) together; a case closed or not, the step is what happened."""
    vandaag = klok.vandaag()
    dag = datum or vandaag
    if dag > vandaag:
        raise _veld("datum", "in_de_toekomst", "a referral is recorded once made")
    if dag < zaak_.aanleiding_datum:
        raise _veld("datum", "voor_aanleiding", f"the case's reason dates from {zaak_.aanleiding_datum}")
    v = Verwijzing(
        id=uuid.uuid4(),
        zaak_id=zaak_.id,
        soort=soort,
        datum=dag,
        toelichting=toelichting,
        vastgelegd_door=werk.actor.applicatie_id,
        vastgelegd_op=klok.nu(),
    )
    werk.session.add(v)
    await werk.session.flush()
    await werk.outbox.add(
        werk.session,
        events.VerwijzingVastgelegd(verwijzing_id=v.id, zaak_id=zaak_.id, zorgaanbieder_id=zaak_.zorgaanbieder_id, soort=soort, datum=dag),
    )
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="create",
        hoofd_object_id=zaak_.id,
        hoofd_pad=f"handhavingszaken/{zaak_.id}",
        resource="verwijzing",
        resource_pad=f"handhavingszaken/{zaak_.id}/verwijzingen/{v.id}",
        weergave=f"Verwijzing ({soort.value}) in {zaak_.identificatie}",
        oud=None,
        nieuw={"soort": soort.value, "datum": dag.isoformat(), "toelichting": toelichting},
        resultaat=201,
    )
    return v


async def besluit(werk: Werk, besluit_id: uuid.UUID, *, bijwerken: bool = False) -> Besluit:
    gevonden = await werk.session.get(Besluit, besluit_id, with_for_update=bijwerken)
    if gevonden is None:
        raise NotFound(f"No besluit with id {besluit_id}")
    return gevonden


async def geschiedenis(werk: Werk, besluit_id: uuid.UUID) -> list[BesluitStatusRij]:
    return list(
        await werk.session.scalars(select(BesluitStatusRij).where(BesluitStatusRij.besluit_id == besluit_id).order_by(BesluitStatusRij.id))
    )


# --- the steps -----------------------------------------------------------------------------------------


async def stel_voor(
    werk: Werk, zaak_: Handhavingszaak, instrument: MaatregelSoort, *, toelichting: str, instrumentgegevens: dict[str, Any] | None = None
) -> Besluit:
    """A voornemen in the case: the begin of the procedure (history row, audit row, besluit-voorgenomen). Its
    instrumentgegevens are checked against the instrument's model (400 naming every bad key) and stored normalised."""
    if zaak_.status == ZaakStatus.afgesloten:  # an objection is its own linked procedure; a new measure needs a new case
        raise Conflict(f"Handhavingszaak {zaak_.identificatie} is closed", code="zaak_afgesloten")
    gegevens, fouten = instrumenten.valideer(instrument, instrumentgegevens or {})
    if fouten:
        raise InvalidInput(f"The instrumentgegevens of a {instrument.value} are not valid", invalid_params=fouten)
    besluit_id = uuid.uuid4()
    b = Besluit(
        id=besluit_id,
        identificatie=_identificatie("BS", besluit_id),
        zaak_id=zaak_.id,
        zorgaanbieder_id=zaak_.zorgaanbieder_id,
        besluittype=instrument,
        status=S.voornemen,
        toelichting=toelichting,
        instrumentgegevens=gegevens,
        aangemaakt_op=klok.nu(),
        versie=1,
    )
    werk.session.add(b)
    await werk.session.flush()
    await STATUS.schrijf(werk, [STATUS.rij(b.id, S.voornemen, door=werk.actor.applicatie_id, toelichting=toelichting)])
    await werk.outbox.add(werk.session, events.BesluitVoorgenomen(**b.gebeurtenisvelden()))
    await werk.audit.record(werk.session, werk.actor, actie="create", oud=None, nieuw=_zichtbaar(b), resultaat=201, **STATUS.audit(b))
    return b


async def vraag_zienswijze(
    werk: Werk, b: Besluit, *, termijn_dagen: int | None, spoedreden: str | None, toelichting: str | None
) -> Besluit:
    """Send the voornemen for the provider's view: the besluittype's term, shorter only when urgent, with a reason
    and never below the besluittype's minimum (a bevel: 24 hours)."""
    STATUS.controleer(b.status, S.zienswijze)
    type_ = besluittypen.laad().van(b.besluittype)
    dagen = type_.zienswijze_termijn_dagen if termijn_dagen is None else termijn_dagen
    if dagen < type_.zienswijze_termijn_dagen:
        if not spoedreden:
            raise _veld("spoedreden", "spoedreden_vereist", "a shortened zienswijze term needs the urgent reason (Awb 4:11)")
        if dagen < type_.spoed_minimum_dagen:
            raise _veld(
                "termijnDagen",
                "termijn_te_kort",
                f"a {b.besluittype.value} allows at least {type_.spoed_minimum_dagen} day(s) even when urgent",
            )
        b.spoedreden = spoedreden
    b.zienswijze_uiterlijk = klok.vandaag() + timedelta(days=dagen)
    await STATUS.stap(werk, b, S.zienswijze, toelichting=toelichting or spoedreden)
    b.versie += 1
    return b


@dataclass(frozen=True)
class Beslissing:
    motivering: str
    grondslag: str
    rechtsmiddelenclausule: str
    spoedreden: str | None = None
    zienswijze_ontvangen_op: date | None = None
    toelichting: str | None = None


async def neem(werk: Werk, b: Besluit, beslissing: Beslissing) -> Besluit:
    """Take the besluit (motivering, grondslag and rechtsmiddelenclausule are required by the API body). Straight
    from the voornemen only when urgent and the besluittype allows skipping the hearing; after a zienswijze
    request only once the view arrived or its term ended."""
    STATUS.controleer(b.status, S.genomen)
    vandaag = klok.vandaag()
    if b.status == S.voornemen:
        if not besluittypen.laad().van(b.besluittype).spoed_overslaan_toegestaan:
            raise Conflict(f"A {b.besluittype.value} cannot be taken without hearing the provider", code="zienswijze_vereist")
        if not beslissing.spoedreden:
            raise _veld("spoedreden", "spoedreden_vereist", "skipping the zienswijze needs the urgent reason (Awb 4:11)")
        b.spoedreden = beslissing.spoedreden
    elif b.zienswijze_uiterlijk is not None and vandaag <= b.zienswijze_uiterlijk and beslissing.zienswijze_ontvangen_op is None:
        raise Conflict(f"The zienswijze term runs until {b.zienswijze_uiterlijk}", code="zienswijzetermijn_loopt")
    if beslissing.zienswijze_ontvangen_op is not None and beslissing.zienswijze_ontvangen_op > vandaag:
        raise _veld("zienswijzeOntvangenOp", "in_de_toekomst", "a view is recorded once received")
    b.zienswijze_ontvangen_op = beslissing.zienswijze_ontvangen_op
    b.motivering, b.grondslag, b.rechtsmiddelenclausule = beslissing.motivering, beslissing.grondslag, beslissing.rechtsmiddelenclausule
    b.datum = vandaag
    await boeteprocedure.bij_nemen(werk, b)  # a boete: its report, the fining power (5:45), the 5:51 flag
    await STATUS.stap(
        werk,
        b,
        S.genomen,
        toelichting=beslissing.toelichting or b.spoedreden,
        gebeurtenissen=[events.BesluitGenomen(**b.gebeurtenisvelden(), datum=vandaag)],
    )
    b.versie += 1
    return b


@dataclass(frozen=True)
class Bekendmaking:
    verzenddatum: date | None = None
    ingangsdatum: date | None = None
    vervaldatum: date | None = None
    toelichting: str | None = None
    zakelijke_weergave: str | None = None  # the text published; default a neutral one from codes (_weergave)


async def maak_bekend(werk: Werk, b: Besluit, bekendmaking: Bekendmaking) -> Besluit:
    """Make the besluit known: from now (its ingangsdatum, never before the verzenddatum) it has effect. A measure
    is announced as MaatregelOpgelegd (register, toezicht). A bevel runs at most 7 days; a waarschuwing is
    valid for the besluittype's months (2 years)."""
    STATUS.controleer(b.status, S.bekendgemaakt)
    vandaag = klok.vandaag()
    verzenddatum = bekendmaking.verzenddatum or vandaag
    fouten = []
    if verzenddatum > vandaag:
        fouten.append({"name": "verzenddatum", "code": "in_de_toekomst", "reason": "a besluit is made known when it is sent, not later"})
    if b.datum is not None and verzenddatum < b.datum:
        fouten.append({"name": "verzenddatum", "code": "voor_besluitdatum", "reason": f"the besluit was taken on {b.datum}"})
    ingangsdatum = bekendmaking.ingangsdatum or verzenddatum
    if ingangsdatum < verzenddatum:
        fouten.append(
            {"name": "ingangsdatum", "code": "voor_bekendmaking", "reason": "a besluit has no effect before its bekendmaking (Awb 3:40)"}
        )
    type_ = besluittypen.laad().van(b.besluittype)
    vervaldatum = bekendmaking.vervaldatum
    if b.besluittype == MaatregelSoort.bevel:
        uiterste = bevel_einde(ingangsdatum)
        vervaldatum = vervaldatum or uiterste
        if vervaldatum > uiterste:
            fouten.append(
                {
                    "name": "vervaldatum",
                    "code": "bevel_te_lang",
                    "reason": f"a bevel runs at most {type_.max_duur_dagen} days: until {uiterste}",
                }
            )
    elif type_.geldigheid_maanden is not None and vervaldatum is None:
        vervaldatum = plus_maanden(ingangsdatum, type_.geldigheid_maanden) - timedelta(days=1)  # valid through the day before
    if vervaldatum is not None and vervaldatum < ingangsdatum:
        fouten.append({"name": "vervaldatum", "code": "voor_ingangsdatum", "reason": "vervaldatum lies before ingangsdatum"})
    weergave = bekendmaking.zakelijke_weergave or _weergave(b, verzenddatum)
    if gevonden := persoonsgegevens_in(weergave):
        reden = "looks like personal data: " + ", ".join(gevonden)
        fouten.append({"name": "zakelijkeWeergave", "code": "persoonsgegevens", "reason": reden})
    if fouten:
        raise InvalidInput("The bekendmaking is not valid", invalid_params=fouten)
    b.verzenddatum, b.ingangsdatum, b.vervaldatum = verzenddatum, ingangsdatum, vervaldatum
    b.uiterlijke_reactiedatum = bezwaartermijn_einde(verzenddatum)
    gebeurtenissen: list[Any] = [
        events.BesluitBekendgemaakt(
            **b.gebeurtenisvelden(),
            verzenddatum=verzenddatum,
            ingangsdatum=ingangsdatum,
            vervaldatum=vervaldatum,
            bezwaartermijn_einde=b.uiterlijke_reactiedatum,
        )
    ]
    if type_.maatregel:
        gebeurtenissen.append(
            events.MaatregelOpgelegd(
                maatregel_id=b.id,
                zorgaanbieder_id=b.zorgaanbieder_id,
                soort=b.besluittype,
                ingangsdatum=ingangsdatum,
                einddatum=vervaldatum,
            )
        )
    await STATUS.stap(werk, b, S.bekendgemaakt, toelichting=bekendmaking.toelichting, gebeurtenissen=gebeurtenissen)
    await invordering.last_bekendgemaakt(werk, b)  # a last onder dwangsom: its begunstigingstermijn and amounts
    await boeteprocedure.bij_bekendmaking(werk, b)  # a boete: boete-opgelegd (no amount)
    if vervaldatum is not None:  # the watcher lets it lapse from the day after its last day
        await werk.termijnen.registreer(werk.session, b.id, VERVALTERMIJN, uiterlijk=vervaldatum)
    await _na_bekendmaking(werk, b, weergave)
    b.versie += 1
    return b


def _weergave(b: Besluit, verzenddatum: date) -> str:
    """A neutral zakelijke weergave from codes only, when the jurist wrote none."""
    return f"Besluit {b.besluittype.value} van {(b.datum or verzenddatum).isoformat()}, grondslag: {b.grondslag}."


async def _na_bekendmaking(werk: Werk, b: Besluit, weergave: str) -> None:
    """What a bekendmaking sets running: the objection term, the term to comply, the besluit's publication."""
    assert b.verzenddatum is not None and b.ingangsdatum is not None and b.uiterlijke_reactiedatum is not None
    await werk.termijnen.registreer(werk.session, b.id, BEZWAARTERMIJN, uiterlijk=b.uiterlijke_reactiedatum)
    sleutel = instrumenten.NALEVINGSTERMIJN.get(b.besluittype)
    if sleutel and b.instrumentgegevens.get(sleutel):  # urgent bestuursdwang has none (Awb 5:31)
        laatste_dag = b.ingangsdatum + timedelta(days=int(b.instrumentgegevens[sleutel]) - 1)
        await werk.termijnen.registreer(werk.session, b.id, NALEVINGSTERMIJN, uiterlijk=laatste_dag)
    # verscherpt toezicht: its letter (mededeling) is what the law publishes; every other besluit its zakelijke weergave
    soort = Documentsoort.verscherpt_toezicht_mededeling if b.besluittype == MaatregelSoort.verscherpt_toezicht else None
    try:
        await openbaarmaking.voornemen(
            werk,
            besluit_id=b.id,
            zorgaanbieder_id=b.zorgaanbieder_id,
            instrument=b.besluittype,
            besluitdatum=b.datum or b.verzenddatum,
            zakelijke_weergave=weergave,
            bekendgemaakt_op=b.verzenddatum,
            **({"documentsoort": soort} if soort else {}),
        )
    except Conflict:
        pass  # published by hand already (POST /openbaarmakingen with this besluit): one publication each


async def bezwaartermijn_verstreken(werk: Werk, termijn: Bewaakt) -> list[Any]:
    """The watcher: the day after the last day to object. Once; whether an objection came in is in the event."""
    b = await werk.session.get(Besluit, termijn.aggregaat_id)
    if b is None or b.uiterlijke_reactiedatum is None:
        return []
    ontvangen = await werk.session.scalar(select(exists().where(Bezwaar.besluit_id == b.id)))
    laatste_dag = b.uiterlijke_reactiedatum
    return [events.BezwaartermijnVerstreken(**b.gebeurtenisvelden(), laatste_dag=laatste_dag, bezwaar_ontvangen=bool(ontvangen))]


async def nalevingstermijn_verstreken(werk: Werk, termijn: Bewaakt) -> list[Any]:
    """The watcher: the term to comply ended, so toezicht is asked to check compliance (once)."""
    b = await werk.session.get(Besluit, termijn.aggregaat_id)
    if b is None or b.status not in BEKENDGEMAAKTE_STATUSSEN or termijn.uiterlijk is None:
        return []
    return [
        events.VervolgtoezichtGevraagd(
            maatregel_id=b.id, zaak_id=b.zaak_id, zorgaanbieder_id=b.zorgaanbieder_id, soort=b.besluittype, laatste_dag=termijn.uiterlijk
        )
    ]


async def verleng_bevel(werk: Werk, b: Besluit, *, vervaldatum: date, toelichting: str) -> Besluit:
    """The Minister extends a bevel (Gezondheidswet art. 28): recorded as such, with its new last day."""
    if b.besluittype != MaatregelSoort.bevel:
        raise Conflict("Only a bevel is extended by the Minister", code="geen_bevel")
    if b.status not in BEKENDGEMAAKTE_STATUSSEN or not in_werking(b, klok.vandaag()):
        raise Conflict("Only a bevel in force can be extended", code="niet_in_werking")
    assert b.vervaldatum is not None  # a bevel made known always has its last day
    if vervaldatum <= b.vervaldatum:
        raise _veld("vervaldatum", "niet_later", f"an extension ends after the current last day {b.vervaldatum}")
    oud = _zichtbaar(b)
    verlengingen = [*b.instrumentgegevens.get("verlengingen", []), {"van": b.vervaldatum.isoformat(), "tot": vervaldatum.isoformat()}]
    b.instrumentgegevens = {**b.instrumentgegevens, "verlengingen": verlengingen, "verlengdDoorMinister": True}
    b.vervaldatum = vervaldatum
    await werk.termijnen.verzet(werk.session, b.id, VERVALTERMIJN, uiterlijk=vervaldatum)
    await werk.outbox.add(  # its own event: a replayed maatregel-opgelegd must never lengthen a measure
        werk.session,
        events.MaatregelVerlengd(maatregel_id=b.id, zorgaanbieder_id=b.zorgaanbieder_id, soort=b.besluittype, einddatum=vervaldatum),
    )
    nieuw = {**_zichtbaar(b), "verlenging": "door de Minister", "toelichting": toelichting}
    await werk.audit.record(werk.session, werk.actor, actie="partial_update", oud=oud, nieuw=nieuw, resultaat=200, **STATUS.audit(b))
    b.versie += 1
    return b


async def vervaltermijn_verstreken(werk: Werk, termijn: Bewaakt) -> list[Any]:
    """The watcher found a besluit past its last day: it lapses (tijdelijk), its measure ends; once."""
    b = await werk.session.get(Besluit, termijn.aggregaat_id, with_for_update=True)
    if b is None or not STATUS.mag(b.status, S.vervallen) or b.vervaldatum is None:
        return []
    await _beeindig(werk, b, S.vervallen, Vervalreden.tijdelijk, b.vervaldatum, "vervaldatum verstreken", door_systeem=True)
    return []  # the step wrote its events


async def trek_in(werk: Werk, b: Besluit, *, vervalreden: Vervalreden, toelichting: str) -> Besluit:
    """Revoke the besluit (or drop the proposal) today. Only a revocation by the inspectorate or at the provider's
    request; a measure that had been announced is ended (MaatregelBeeindigd)."""
    STATUS.controleer(b.status, S.ingetrokken)
    if vervalreden == Vervalreden.tijdelijk:
        raise _veld("vervalreden", "geen_intrekking", "tijdelijk is the end of a term: use the vervallen step")
    await _beeindig(werk, b, S.ingetrokken, vervalreden, klok.vandaag(), toelichting)
    return b


async def laat_vervallen(werk: Werk, b: Besluit, *, vervaldatum: date | None, toelichting: str | None) -> Besluit:
    """The besluit's term ended (vervalreden tijdelijk) on ``vervaldatum`` (default: its own, else today)."""
    STATUS.controleer(b.status, S.vervallen)
    einde = vervaldatum or b.vervaldatum or klok.vandaag()
    if b.ingangsdatum is not None and einde < b.ingangsdatum - timedelta(days=1):
        raise _veld("vervaldatum", "voor_ingangsdatum", "a besluit cannot lapse before it started")
    await _beeindig(werk, b, S.vervallen, Vervalreden.tijdelijk, einde, toelichting)
    return b


async def _beeindig(
    werk: Werk, b: Besluit, naar: BesluitStatus, reden: Vervalreden, einde: date, toelichting: str | None, *, door_systeem: bool = False
) -> None:
    if not door_systeem:  # ended by hand: the watcher has nothing left to do
        await werk.termijnen.vervallen(werk.session, b.id, VERVALTERMIJN)
        await werk.termijnen.vervallen(werk.session, b.id, BEZWAARTERMIJN)  # revoked or ended early: nothing to object to
    # nothing left to comply with; a besluit that lapsed on its own last day keeps its objection term (Awb 6:7 runs on)
    await werk.termijnen.vervallen(werk.session, b.id, NALEVINGSTERMIJN)
    was_bekend = b.status in BEKENDGEMAAKTE_STATUSSEN
    b.vervalreden = reden
    if was_bekend:  # before its bekendmaking it never had effect: its dates stay empty
        b.vervaldatum = min(einde, b.vervaldatum) if b.vervaldatum and naar == S.ingetrokken else einde
    velden = b.gebeurtenisvelden()
    gebeurtenissen: list[Any] = (
        [events.BesluitVervallen(**velden, vervaldatum=einde)]
        if naar == S.vervallen
        else [events.BesluitIngetrokken(**velden, vervalreden=reden, vervaldatum=b.vervaldatum or einde)]
    )
    if was_bekend and besluittypen.laad().van(b.besluittype).maatregel:
        gebeurtenissen.append(
            events.MaatregelBeeindigd(
                maatregel_id=b.id, zorgaanbieder_id=b.zorgaanbieder_id, soort=b.besluittype, einddatum=b.vervaldatum or einde
            )
        )
    await STATUS.stap(werk, b, naar, toelichting=toelichting or reden.value, gebeurtenissen=gebeurtenissen, door_systeem=door_systeem)
    await invordering.last_beeindigd(werk, b, einde)  # a revoked last onder dwangsom forfeits nothing from einde
    if naar == S.ingetrokken:  # a revoked besluit is not published (or comes off the list); a lapsed one stays on it
        await openbaarmaking.besluit_ingetrokken(werk, b.id, toelichting or reden.value)
    b.versie += 1


async def stel_beroep_in(werk: Werk, b: Besluit, *, toelichting: str | None) -> Besluit:
    await STATUS.stap(werk, b, S.in_beroep, toelichting=toelichting)
    b.versie += 1
    return b


# --- objections ----------------------------------------------------------------------------------------


def beslistermijn_einde(laatste_dag: date, ontvangen_op: date, *, adviescommissie: bool, verdaagd: bool = False) -> date:
    """Awb 7:10: the decision on an objection within 6 weeks (12 with an advisory committee), counted from the
    day after the objection term ended (from receipt for a late one), postponable once by 6; the weeks are
    the besluittypen's data; the end follows the Atw."""
    t = besluittypen.laad().bezwaar
    weken = (t.met_adviescommissie_weken if adviescommissie else t.beslistermijn_weken) + (t.verdaging_weken if verdaagd else 0)
    return bereken(Termijn("beslistermijn-bezwaar", "Awb 7:10", weken, "weken", atw=True), max(laatste_dag, ontvangen_op))


@dataclass(frozen=True)
class Bezwaarontvangst:
    ontvangen_op: date | None = None
    adviescommissie: bool = False
    verschoonbaar: bool | None = None
    verschoonbaar_reden: str | None = None


async def ontvang_bezwaar(werk: Werk, b: Besluit, ontvangst: Bezwaarontvangst) -> Bezwaar:
    """Register an objection: on time up to and including the Atw's last day (six weeks from the day after the
    bekendmaking), late after it - registered all the same, with room for a verschoonbaar reason (6:11)."""
    STATUS.controleer(b.status, S.in_bezwaar)
    assert b.verzenddatum is not None  # every status that allows in-bezwaar comes after bekendmaking
    vandaag = klok.vandaag()
    ontvangen_op = ontvangst.ontvangen_op or vandaag
    if ontvangen_op > vandaag:
        raise _veld("ontvangenOp", "in_de_toekomst", "an objection is registered once received")
    if ontvangen_op < b.verzenddatum:
        raise _veld("ontvangenOp", "voor_bekendmaking", f"the besluit was made known on {b.verzenddatum}")
    laatste_dag = bezwaartermijn_einde(b.verzenddatum)
    te_laat = ontvangen_op > laatste_dag
    if not te_laat and (ontvangst.verschoonbaar is not None or ontvangst.verschoonbaar_reden):
        raise _veld("verschoonbaar", "niet_te_laat", f"the objection is on time (last day {laatste_dag})")
    if ontvangst.verschoonbaar and not ontvangst.verschoonbaar_reden:
        raise _veld("verschoonbaarReden", "reden_vereist", "an excusable late objection needs its reason (Awb 6:11)")
    bezwaar = Bezwaar(
        id=uuid.uuid4(),
        besluit_id=b.id,
        ontvangen_op=ontvangen_op,
        laatste_dag=laatste_dag,
        te_laat=te_laat,
        verschoonbaar=ontvangst.verschoonbaar,
        verschoonbaar_reden=ontvangst.verschoonbaar_reden,
        adviescommissie=ontvangst.adviescommissie,
        verdaagd=False,
        beslistermijn_einde=beslistermijn_einde(laatste_dag, ontvangen_op, adviescommissie=ontvangst.adviescommissie),
        aangemaakt_op=klok.nu(),
    )
    werk.session.add(bezwaar)
    await werk.session.flush()
    gebeurtenis = events.BezwaarOntvangen(
        **b.gebeurtenisvelden(),
        bezwaar_id=bezwaar.id,
        ontvangen_op=ontvangen_op,
        laatste_dag=laatste_dag,
        te_laat=te_laat,
        beslistermijn_einde=bezwaar.beslistermijn_einde,
    )
    await STATUS.stap(werk, b, S.in_bezwaar, toelichting="bezwaar te laat" if te_laat else "bezwaar tijdig", gebeurtenissen=[gebeurtenis])
    b.versie += 1
    return bezwaar


async def bezwaar(werk: Werk, bezwaar_id: uuid.UUID, *, bijwerken: bool = False) -> Bezwaar:
    gevonden = await werk.session.get(Bezwaar, bezwaar_id, with_for_update=bijwerken)
    if gevonden is None:
        raise NotFound(f"No bezwaar with id {bezwaar_id}")
    return gevonden


async def verdaag_bezwaar(werk: Werk, bz: Bezwaar, *, toelichting: str) -> Bezwaar:
    """Postpone the decision on the objection once, by the configured weeks, before its term ended (Awb 7:10 lid 3)."""
    if bz.uitkomst is not None:
        raise Conflict("This objection was decided already", code="bezwaar_beslist")
    if bz.verdaagd:
        raise Conflict("The decision on this objection was postponed already", code="al_verdaagd")
    if klok.vandaag() > bz.beslistermijn_einde:
        raise Conflict(f"The decision term ended on {bz.beslistermijn_einde}", code="beslistermijn_verstreken")
    oud = {"beslistermijnEinde": bz.beslistermijn_einde.isoformat(), "verdaagd": False}
    bz.verdaagd = True
    bz.beslistermijn_einde = beslistermijn_einde(bz.laatste_dag, bz.ontvangen_op, adviescommissie=bz.adviescommissie, verdaagd=True)
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="partial_update",
        hoofd_object_id=bz.id,
        hoofd_pad=f"bezwaren/{bz.id}",
        resource="bezwaar",
        weergave=f"Bezwaar {str(bz.id)[:8]}",
        oud=oud,
        nieuw={"beslistermijnEinde": bz.beslistermijn_einde.isoformat(), "verdaagd": True, "toelichting": toelichting},
        resultaat=200,
    )
    return bz


async def beslis_bezwaar(werk: Werk, bz: Bezwaar, *, uitkomst: BezwaarUitkomst, toelichting: str | None) -> Bezwaar:
    """The beslissing op bezwaar: gegrond revokes the besluit (ingetrokken_overheid), otherwise it stands."""
    if bz.uitkomst is not None:
        raise Conflict("This objection was decided already", code="bezwaar_beslist")
    b = await besluit(werk, bz.besluit_id, bijwerken=True)
    naar = S.ingetrokken if uitkomst == BezwaarUitkomst.gegrond else S.beslist_op_bezwaar
    STATUS.controleer(b.status, naar)
    bz.uitkomst, bz.beslist_op = uitkomst, klok.vandaag()
    beslist = events.BezwaarBeslist(**b.gebeurtenisvelden(), bezwaar_id=bz.id, uitkomst=uitkomst, beslist_op=bz.beslist_op)
    await werk.outbox.add(werk.session, beslist)
    if naar == S.ingetrokken:
        await _beeindig(werk, b, S.ingetrokken, Vervalreden.ingetrokken_overheid, bz.beslist_op, toelichting or "bezwaar gegrond")
    else:
        await STATUS.stap(werk, b, naar, toelichting=toelichting or f"bezwaar {uitkomst.value}")
        b.versie += 1
    return bz


# The terms the watcher fires, by kind (ServiceDefinition.termijnen).
TERMIJNEN = {
    VERVALTERMIJN: vervaltermijn_verstreken,
    BEZWAARTERMIJN: bezwaartermijn_verstreken,
    NALEVINGSTERMIJN: nalevingstermijn_verstreken,
}
