"""The last onder dwangsom in the database: from bekendmaking through checks and verbeurten to collection.

The law is ``handhaving.dwangsom`` (pure); this module applies it to stored rows in the caller's unit of work
(``Werk``): every change with its audit row (actor and reason) and its events in the same transaction.

- ``last_bekendgemaakt`` (hook of ``procedure.maak_bekend``): the last's terms from its instrumentgegevens;
  the begunstigingstermijn is a stored term, so ``dwangsom-begunstigingstermijn-verstreken`` fires once.
- ``registreer_controle``: a dated check. The verbeurten are recomputed from ALL checks with
  ``dwangsom.verbeurd`` and only the new ones are stored, so a verbeurte once registered never changes (an
  invorderingsbeschikking may rest on it). That needs checks in date order: one dated before the latest
  recorded check is refused (it would renumber what is registered). Each new verbeurte registers three
  terms: the payment term (Awb 5:33), the warning before limitation and the limitation itself (Awb 5:35).
- ``neem_invorderingsbeschikking``, ``maan_aan``, ``registreer_betaling``: Awb 5:37, 4:112; a payment
  cancels the verbeurte's remaining terms.
- ``last_beeindigd`` (hook of ``procedure._beeindig``) and ``markeer_opheffing``: from the day of an
  intrekking or opheffing nothing is forfeited.

Amounts never leave through events or logs (a solist's debt is personal data); they are read via the API.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select

from handhaving import dwangsom
from handhaving.dwangsom import Bedragsoort, Beeindiging, Controle, LastOnderDwangsom, Tijdseenheid
from handhaving.models import Besluit, DwangsomControle, DwangsomLast, DwangsomVerbeurte
from zorgtoezicht import klok
from zorgtoezicht.domain.handhaving import BesluitStatus
from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.events.contracts import handhaving as events
from zorgtoezicht.events.envelope import EventData
from zorgtoezicht.http.problems import Conflict, InvalidInput, NotFound
from zorgtoezicht.termijnbewaking import Termijn as Bewaakt
from zorgtoezicht.werk import Werk

# Term kinds (declared in the ServiceDefinition through TERMIJNEN).
BEGUNSTIGINGSTERMIJN = "dwangsom-begunstigingstermijn"  # aggregate: the besluit (a bestuursdwang has its own kind)
BETAALTERMIJN = "dwangsom-betaaltermijn"  # aggregate: the verbeurte, and the two below
BIJNA_VERJAARD = "dwangsom-bijna-verjaard"
VERJARING = "dwangsom-verjaring"
VERBEURTE_TERMIJNEN = (BETAALTERMIJN, BIJNA_VERJAARD, VERJARING)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _fout(naam: str, code: str, reden: str) -> dict[str, str]:
    return {"name": naam, "code": code, "reason": reden}


# --- the last ----------------------------------------------------------------------------------------------


def _bedrag(gegevens: dict[str, Any], sleutel: str, fouten: list[dict[str, str]]) -> Decimal | None:
    waarde = gegevens.get(sleutel)
    try:
        bedrag = Decimal(waarde) if isinstance(waarde, str) else None
    except InvalidOperation:
        bedrag = None
    if bedrag is None or not bedrag.is_finite() or bedrag <= 0 or bedrag.as_tuple().exponent < -2 or bedrag >= Decimal("1e10"):
        fouten.append(
            _fout(f"instrumentgegevens.{sleutel}", "ongeldig_bedrag", "a positive amount in euros as a string, at most 2 decimals")
        )
        return None
    return bedrag


def _last_uit(gegevens: dict[str, Any], ingangsdatum: date) -> DwangsomLast:
    """The last's terms from the besluit's instrumentgegevens (keys fixed by the brief); 400 listing every fault."""
    fouten: list[dict[str, str]] = []
    dagen = gegevens.get("begunstigingstermijnDagen")
    if not isinstance(dagen, int) or isinstance(dagen, bool) or not 1 <= dagen <= 3650:
        fouten.append(
            _fout("instrumentgegevens.begunstigingstermijnDagen", "ongeldig", "calendar days from the ingangsdatum, at least 1 (Awb 5:32a)")
        )
    try:
        soort = Bedragsoort(gegevens.get("bedragsoort"))
    except ValueError:
        soort = None
        fouten.append(_fout("instrumentgegevens.bedragsoort", "ongeldig", "ineens, per-tijdseenheid or per-overtreding (Awb 5:32b)"))
    bedrag = _bedrag(gegevens, "bedrag", fouten)
    maximum = None
    if gegevens.get("maximum") is not None or soort not in (None, Bedragsoort.ineens):
        maximum = _bedrag(gegevens, "maximum", fouten)
    if soort == Bedragsoort.ineens and maximum is not None and bedrag is not None and maximum != bedrag:
        fouten.append(_fout("instrumentgegevens.maximum", "ongeldig", "a lump sum is its own maximum"))
    elif maximum is not None and bedrag is not None and maximum < bedrag:
        fouten.append(_fout("instrumentgegevens.maximum", "onder_bedrag", "the maximum cannot be below the amount"))
    tijdseenheid = None
    if soort == Bedragsoort.per_tijdseenheid:
        try:
            tijdseenheid = Tijdseenheid(gegevens.get("tijdseenheid"))
        except ValueError:
            fouten.append(_fout("instrumentgegevens.tijdseenheid", "ongeldig", "dag or week, for an amount per time unit"))
    elif gegevens.get("tijdseenheid") is not None:
        fouten.append(_fout("instrumentgegevens.tijdseenheid", "niet_toegestaan", "only for an amount per time unit"))
    if fouten:
        raise InvalidInput("The last onder dwangsom's instrumentgegevens are not valid", invalid_params=fouten)
    assert isinstance(dagen, int) and soort is not None and bedrag is not None
    return DwangsomLast(
        begunstigingstermijn_einde=ingangsdatum + timedelta(days=dagen - 1),
        bedragsoort=soort,
        bedrag=bedrag,
        maximum=None if soort == Bedragsoort.ineens else maximum,
        tijdseenheid=tijdseenheid,
        aangemaakt_op=klok.nu(),
    )


def _zichtbaar_last(last: DwangsomLast) -> dict[str, Any]:
    return {
        "begunstigingstermijnEinde": last.begunstigingstermijn_einde.isoformat(),
        "bedragsoort": last.bedragsoort.value,
        "tijdseenheid": last.tijdseenheid.value if last.tijdseenheid else None,
        "beeindigdOp": _iso(last.beeindigd_op),
        "beeindiging": last.beeindiging.value if last.beeindiging else None,
    }


def _audit_last(b: Besluit) -> dict[str, Any]:
    return {"hoofd_object_id": b.id, "hoofd_pad": f"besluiten/{b.id}", "resource": "dwangsom-last", "weergave": f"Last {b.identificatie}"}


async def last_bekendgemaakt(werk: Werk, b: Besluit) -> None:
    """Hook of the bekendmaking: a last onder dwangsom gets its terms; other besluiten are left alone."""
    if b.besluittype != MaatregelSoort.last_onder_dwangsom:
        return
    assert b.ingangsdatum is not None  # set by the bekendmaking
    last = _last_uit(b.instrumentgegevens or {}, b.ingangsdatum)
    last.besluit_id = b.id
    werk.session.add(last)
    await werk.session.flush()
    # Fires the day after the last day: the inspectorate should check compliance now.
    await werk.termijnen.registreer(werk.session, b.id, BEGUNSTIGINGSTERMIJN, uiterlijk=last.begunstigingstermijn_einde)
    await werk.audit.record(
        werk.session, werk.actor, actie="create", oud=None, nieuw=_zichtbaar_last(last), resultaat=201, **_audit_last(b)
    )


async def last(werk: Werk, besluit_id: uuid.UUID, *, bijwerken: bool = False) -> tuple[Besluit, DwangsomLast]:
    """The besluit and its last: 404 for no besluit, 409 when it is no last onder dwangsom made known."""
    b = await werk.session.get(Besluit, besluit_id, with_for_update=bijwerken)
    if b is None:
        raise NotFound(f"No besluit with id {besluit_id}")
    if b.besluittype != MaatregelSoort.last_onder_dwangsom:
        raise Conflict("This besluit is no last onder dwangsom", code="geen_last_onder_dwangsom")
    gevonden = await werk.session.get(DwangsomLast, besluit_id, with_for_update=bijwerken)
    if gevonden is None:
        raise Conflict("The last onder dwangsom has not been made known: it has no effect yet", code="niet_bekendgemaakt")
    return b, gevonden


def _als_recht(last: DwangsomLast) -> LastOnderDwangsom:
    return LastOnderDwangsom(
        begunstigingstermijn_einde=last.begunstigingstermijn_einde,
        bedragsoort=last.bedragsoort,
        bedrag=last.bedrag,
        maximum=last.maximum,
        tijdseenheid=last.tijdseenheid,
        beeindigd_op=last.beeindigd_op,
        beeindiging=last.beeindiging,
    )


async def last_beeindigd(werk: Werk, b: Besluit, einde: date) -> None:
    """Hook of ``procedure._beeindig``: a revoked last forfeits nothing from ``einde`` on (an opheffing marks
    itself afterwards, ``markeer_opheffing``); a lapsed one nothing after its last day in force (``einde``)."""
    if b.besluittype != MaatregelSoort.last_onder_dwangsom or b.status not in (BesluitStatus.ingetrokken, BesluitStatus.vervallen):
        return
    gevonden = await werk.session.get(DwangsomLast, b.id, with_for_update=True)
    if gevonden is None or gevonden.beeindigd_op is not None:
        return  # never made known (no effect), or ended already
    oud = _zichtbaar_last(gevonden)
    if b.status == BesluitStatus.vervallen:  # einde is its last day in force: the day after has no effect
        gevonden.beeindigd_op, gevonden.beeindiging = einde + timedelta(days=1), Beeindiging.verval
    else:
        gevonden.beeindigd_op, gevonden.beeindiging = einde, Beeindiging.intrekking
    await werk.termijnen.vervallen(werk.session, b.id, BEGUNSTIGINGSTERMIJN)
    await werk.audit.record(
        werk.session, werk.actor, actie="partial_update", oud=oud, nieuw=_zichtbaar_last(gevonden), resultaat=200, **_audit_last(b)
    )


async def markeer_opheffing(werk: Werk, b: Besluit, toelichting: str) -> None:
    """After ``procedure.trek_in``: the end was an opheffing (Awb 5:34), not an intrekking."""
    gevonden = await werk.session.get(DwangsomLast, b.id, with_for_update=True)
    assert gevonden is not None and gevonden.beeindigd_op is not None  # set by last_beeindigd in the same unit of work
    oud = _zichtbaar_last(gevonden)
    gevonden.beeindiging = Beeindiging.opheffing
    nieuw = {**_zichtbaar_last(gevonden), "toelichting": toelichting}
    await werk.audit.record(werk.session, werk.actor, actie="partial_update", oud=oud, nieuw=nieuw, resultaat=200, **_audit_last(b))


async def begunstigingstermijn_verstreken(werk: Werk, termijn: Bewaakt) -> list[EventData]:
    """The watcher: the begunstigingstermijn ended (once) - time for the inspectorate to check compliance."""
    b = await werk.session.get(Besluit, termijn.aggregaat_id)
    gevonden = await werk.session.get(DwangsomLast, termijn.aggregaat_id)
    if b is None or gevonden is None or gevonden.beeindigd_op is not None:
        return []
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="partial_update",
        oud=None,
        nieuw={**_zichtbaar_last(gevonden), "termijn": f"{termijn.soort} verstreken"},
        resultaat=200,
        **_audit_last(b),
    )
    return [
        events.DwangsomBegunstigingstermijnVerstreken(
            **b.gebeurtenisvelden(),
            begunstigingstermijn_einde=gevonden.begunstigingstermijn_einde,
        )
    ]


# --- checks and verbeurten -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Controlegegevens:
    datum: date
    overtreding: bool
    aantal_overtredingen: int = 1


def als_verbeurte(v: DwangsomVerbeurte) -> dwangsom.Verbeurte:
    return dwangsom.Verbeurte(
        volgnummer=v.volgnummer,
        controle_datum=v.controle_datum,
        verbeurd_vanaf=v.verbeurd_vanaf,
        verbeurd_tot=v.verbeurd_tot,
        eenheden=v.eenheden,
        bedrag=v.bedrag,
        gemaximeerd=v.gemaximeerd,
        betalen_uiterlijk=v.betalen_uiterlijk,
        verjaard_na=v.verjaard_na,
        bijna_verjaard_vanaf=v.bijna_verjaard_vanaf,
    )


def _zichtbaar_verbeurte(v: DwangsomVerbeurte) -> dict[str, Any]:
    """For the audit trail: dates and counts (the amount is read through the API)."""
    return {
        "volgnummer": v.volgnummer,
        "verbeurdVanaf": v.verbeurd_vanaf.isoformat(),
        "verbeurdTot": v.verbeurd_tot.isoformat(),
        "eenheden": v.eenheden,
        "gemaximeerd": v.gemaximeerd,
        "betalenUiterlijk": v.betalen_uiterlijk.isoformat(),
        "verjaardNa": v.verjaard_na.isoformat(),
        "invorderingsbeschikkingOp": _iso(v.invorderingsbeschikking_op),
        "aangemaandOp": _iso(v.aangemaand_op),
        "betaaldOp": _iso(v.betaald_op),
    }


def _audit_verbeurte(v: DwangsomVerbeurte) -> dict[str, Any]:
    return {"hoofd_object_id": v.id, "hoofd_pad": f"verbeurten/{v.id}", "resource": "verbeurte", "weergave": f"Verbeurte {v.volgnummer}"}


def _velden(b: Besluit, v: DwangsomVerbeurte) -> dict[str, Any]:
    return {
        "verbeurte_id": v.id,
        "besluit_id": b.id,
        "zaak_id": b.zaak_id,
        "zorgaanbieder_id": b.zorgaanbieder_id,
        "volgnummer": v.volgnummer,
    }


async def controles_van(werk: Werk, besluit_id: uuid.UUID) -> list[DwangsomControle]:
    query = select(DwangsomControle).where(DwangsomControle.besluit_id == besluit_id)
    return list(await werk.session.scalars(query.order_by(DwangsomControle.datum, DwangsomControle.aangemaakt_op, DwangsomControle.id)))


async def verbeurten_van(werk: Werk, besluit_id: uuid.UUID) -> list[DwangsomVerbeurte]:
    query = select(DwangsomVerbeurte).where(DwangsomVerbeurte.besluit_id == besluit_id).order_by(DwangsomVerbeurte.volgnummer)
    return list(await werk.session.scalars(query))


async def registreer_controle(
    werk: Werk, besluit_id: uuid.UUID, gegevens: Controlegegevens
) -> tuple[DwangsomControle, list[DwangsomVerbeurte]]:
    """Record a dated check and register what it forfeited (possibly nothing, with the reason)."""
    b, last_ = await last(werk, besluit_id, bijwerken=True)  # the lock orders concurrent checks of one last
    vandaag = klok.vandaag()
    eerdere = await controles_van(werk, besluit_id)
    fouten = []
    if gegevens.datum > vandaag:
        fouten.append(_fout("datum", "in_de_toekomst", "a check is recorded once it took place"))
    if eerdere and gegevens.datum < eerdere[-1].datum:
        fouten.append(
            _fout("datum", "voor_laatste_controle", f"checks are recorded in date order: the latest was on {eerdere[-1].datum.isoformat()}")
        )
    if not gegevens.overtreding and gegevens.aantal_overtredingen != 1:
        fouten.append(_fout("aantalOvertredingen", "zonder_overtreding", "only a check that found the violation counts violations"))
    if fouten:
        raise InvalidInput("The check is not valid", invalid_params=fouten)

    nieuw = Controle(gegevens.datum, gegevens.overtreding, gegevens.aantal_overtredingen)
    stand = dwangsom.verbeurd(_als_recht(last_), [*(Controle(c.datum, c.overtreding, c.aantal_overtredingen) for c in eerdere), nieuw])
    geregistreerd = await werk.session.scalar(
        select(func.count()).select_from(DwangsomVerbeurte).where(DwangsomVerbeurte.besluit_id == besluit_id)
    )
    nieuwe = [v for v in stand.verbeurten if v.volgnummer > (geregistreerd or 0)]
    reden = next((r for c, r in stand.niet_meegeteld if c is nieuw), None)
    if not nieuwe and reden is None:
        reden = "de last werd nageleefd" if not nieuw.overtreding else "niets verbeurd"
    controle = DwangsomControle(
        id=uuid.uuid4(),
        besluit_id=besluit_id,
        datum=nieuw.datum,
        overtreding=nieuw.overtreding,
        aantal_overtredingen=nieuw.aantal_overtredingen,
        reden=None if nieuwe else reden,
        door=werk.actor.applicatie_id,
        aangemaakt_op=klok.nu(),
    )
    werk.session.add(controle)
    await werk.session.flush()
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="create",
        hoofd_object_id=b.id,
        hoofd_pad=f"besluiten/{b.id}",
        resource="dwangsom-controle",
        resource_pad=f"besluiten/{b.id}/controles",
        weergave=f"Controle {nieuw.datum.isoformat()} van last {b.identificatie}",
        oud=None,
        nieuw={
            "datum": nieuw.datum.isoformat(),
            "overtreding": nieuw.overtreding,
            "aantalOvertredingen": nieuw.aantal_overtredingen,
            "reden": controle.reden,
            "verbeurten": [v.volgnummer for v in nieuwe],
        },
        resultaat=201,
    )
    rijen = []
    for v in nieuwe:
        rij = DwangsomVerbeurte(
            id=uuid.uuid4(),
            besluit_id=besluit_id,
            controle_id=controle.id,
            aangemaakt_op=klok.nu(),
            **{
                k: getattr(v, k)
                for k in (
                    "volgnummer",
                    "controle_datum",
                    "verbeurd_vanaf",
                    "verbeurd_tot",
                    "eenheden",
                    "bedrag",
                    "gemaximeerd",
                    "betalen_uiterlijk",
                    "verjaard_na",
                    "bijna_verjaard_vanaf",
                )
            },
        )
        werk.session.add(rij)
        rijen.append(rij)
    await werk.session.flush()
    for rij in rijen:
        await werk.termijnen.insert(
            werk.session,
            [
                werk.termijnen.rij(rij.id, BETAALTERMIJN, uiterlijk=rij.betalen_uiterlijk),
                # the watcher fires from the day after ``uiterlijk``: the warning from bijna_verjaard_vanaf itself
                werk.termijnen.rij(rij.id, BIJNA_VERJAARD, uiterlijk=rij.bijna_verjaard_vanaf - timedelta(days=1)),
                werk.termijnen.rij(rij.id, VERJARING, uiterlijk=rij.verjaard_na),
            ],
        )
        await werk.audit.record(
            werk.session, werk.actor, actie="create", oud=None, nieuw=_zichtbaar_verbeurte(rij), resultaat=201, **_audit_verbeurte(rij)
        )
        await werk.outbox.add(
            werk.session,
            events.DwangsomVerbeurd(
                **_velden(b, rij),
                controle_datum=rij.controle_datum,
                verbeurd_vanaf=rij.verbeurd_vanaf,
                verbeurd_tot=rij.verbeurd_tot,
                betalen_uiterlijk=rij.betalen_uiterlijk,
                verjaard_na=rij.verjaard_na,
            ),
        )
    return controle, rijen


@dataclass(frozen=True)
class Stand:
    last: DwangsomLast
    controles: list[DwangsomControle]
    verbeurten: list[DwangsomVerbeurte]
    totaal: Decimal
    maximum: Decimal
    maximum_bereikt: bool


async def stand(werk: Werk, besluit_id: uuid.UUID) -> Stand:
    _, last_ = await last(werk, besluit_id)
    verbeurten = await verbeurten_van(werk, besluit_id)
    totaal = sum((v.bedrag for v in verbeurten), Decimal("0.00"))
    plafond = last_.bedrag if last_.maximum is None else last_.maximum
    return Stand(last_, await controles_van(werk, besluit_id), verbeurten, totaal, plafond, totaal >= plafond)


# --- collection ------------------------------------------------------------------------------------------------


async def verbeurte(werk: Werk, verbeurte_id: uuid.UUID, *, bijwerken: bool = False) -> tuple[Besluit, DwangsomVerbeurte]:
    v = await werk.session.get(DwangsomVerbeurte, verbeurte_id, with_for_update=bijwerken)
    if v is None:
        raise NotFound(f"No verbeurte with id {verbeurte_id}")
    b = await werk.session.get(Besluit, v.besluit_id)
    assert b is not None
    return b, v


def _datum(datum: date | None, v: DwangsomVerbeurte, naam: str = "datum") -> date:
    dag = datum or klok.vandaag()
    if dag > klok.vandaag():
        raise InvalidInput("The date is not valid", invalid_params=[_fout(naam, "in_de_toekomst", "recorded once it happened")])
    if dag < v.controle_datum:
        raise InvalidInput(
            "The date is not valid",
            invalid_params=[
                _fout(naam, "voor_verbeurte", f"the verbeurte was registered after the check of {v.controle_datum.isoformat()}")
            ],
        )
    return dag


def _niet_betaald(v: DwangsomVerbeurte) -> None:
    if v.betaald_op is not None:
        raise Conflict(f"This verbeurte was paid on {v.betaald_op.isoformat()}", code="betaald")


async def neem_invorderingsbeschikking(werk: Werk, verbeurte_id: uuid.UUID, *, datum: date | None, toelichting: str) -> DwangsomVerbeurte:
    """Awb 5:37: the decision to collect, before any reminder; refused once collection is time-barred (5:35)."""
    b, v = await verbeurte(werk, verbeurte_id, bijwerken=True)
    dag = _datum(datum, v)
    _niet_betaald(v)
    if v.invorderingsbeschikking_op is not None:
        raise Conflict(
            f"An invorderingsbeschikking was taken on {v.invorderingsbeschikking_op.isoformat()}", code="invorderingsbeschikking_bestaat"
        )
    toets = dwangsom.invorderingsbeschikking_toegestaan(als_verbeurte(v), dag)
    if not toets.toegestaan:
        raise Conflict("Geen invorderingsbeschikking: " + "; ".join(toets.redenen), code="invordering_niet_toegestaan")
    oud = _zichtbaar_verbeurte(v)
    v.invorderingsbeschikking_op = dag
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="partial_update",
        oud=oud,
        nieuw={**_zichtbaar_verbeurte(v), "toelichting": toelichting},
        resultaat=200,
        **_audit_verbeurte(v),
    )
    await werk.outbox.add(werk.session, events.DwangsomInvorderingsbeschikkingGenomen(**_velden(b, v), datum=dag))
    return v


async def maan_aan(werk: Werk, verbeurte_id: uuid.UUID, *, datum: date | None, toelichting: str | None) -> DwangsomVerbeurte:
    """A reminder (aanmaning, Awb 4:112): only after the invorderingsbeschikking (5:37) and the payment term, once."""
    _, v = await verbeurte(werk, verbeurte_id, bijwerken=True)
    dag = _datum(datum, v)
    _niet_betaald(v)
    if v.aangemaand_op is not None:
        raise Conflict(f"A reminder was sent on {v.aangemaand_op.isoformat()}", code="al_aangemaand")
    toets = dwangsom.aanmaning_toegestaan(als_verbeurte(v), v.invorderingsbeschikking_op, dag)
    if not toets.toegestaan:
        raise Conflict("Geen aanmaning: " + "; ".join(toets.redenen), code="aanmaning_niet_toegestaan")
    oud = _zichtbaar_verbeurte(v)
    v.aangemaand_op = dag
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="partial_update",
        oud=oud,
        nieuw={**_zichtbaar_verbeurte(v), "toelichting": toelichting},
        resultaat=200,
        **_audit_verbeurte(v),
    )
    return v


async def registreer_betaling(werk: Werk, verbeurte_id: uuid.UUID, *, datum: date | None) -> DwangsomVerbeurte:
    """The forfeited sum was paid: collected (``dwangsom-ingevorderd``); its remaining terms end unfired."""
    b, v = await verbeurte(werk, verbeurte_id, bijwerken=True)
    dag = _datum(datum, v)
    _niet_betaald(v)
    oud = _zichtbaar_verbeurte(v)
    v.betaald_op = dag
    for soort in VERBEURTE_TERMIJNEN:
        await werk.termijnen.vervallen(werk.session, v.id, soort)
    await werk.audit.record(
        werk.session, werk.actor, actie="partial_update", oud=oud, nieuw=_zichtbaar_verbeurte(v), resultaat=200, **_audit_verbeurte(v)
    )
    await werk.outbox.add(werk.session, events.DwangsomIngevorderd(**_velden(b, v), betaald_op=dag))
    return v


async def _verbeurte_termijn(werk: Werk, termijn: Bewaakt, gebeurtenis) -> list[EventData]:
    """The watcher: one of a verbeurte's terms ended (once); nothing when it was paid meanwhile."""
    v = await werk.session.get(DwangsomVerbeurte, termijn.aggregaat_id)
    if v is None or v.betaald_op is not None:
        return []
    b = await werk.session.get(Besluit, v.besluit_id)
    assert b is not None
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="partial_update",
        oud=None,
        nieuw={**_zichtbaar_verbeurte(v), "termijn": f"{termijn.soort} verstreken"},
        resultaat=200,
        **_audit_verbeurte(v),
    )
    return [gebeurtenis(b, v)]


async def betaaltermijn_verstreken(werk: Werk, termijn: Bewaakt) -> list[EventData]:
    return await _verbeurte_termijn(
        werk, termijn, lambda b, v: events.DwangsomBetaaltermijnVerstreken(**_velden(b, v), betalen_uiterlijk=v.betalen_uiterlijk)
    )


async def bijna_verjaard(werk: Werk, termijn: Bewaakt) -> list[EventData]:
    return await _verbeurte_termijn(
        werk, termijn, lambda b, v: events.DwangsomInvorderingBijnaVerjaard(**_velden(b, v), verjaard_na=v.verjaard_na)
    )


async def verjaard(werk: Werk, termijn: Bewaakt) -> list[EventData]:
    return await _verbeurte_termijn(werk, termijn, lambda b, v: events.DwangsomVerjaard(**_velden(b, v), verjaard_na=v.verjaard_na))


TERMIJNEN = {
    BEGUNSTIGINGSTERMIJN: begunstigingstermijn_verstreken,
    BETAALTERMIJN: betaaltermijn_verstreken,
    BIJNA_VERJAARD: bijna_verjaard,
    VERJARING: verjaard,
}
