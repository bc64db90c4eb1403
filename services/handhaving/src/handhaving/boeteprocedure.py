"""The bestuurlijke boete in the database: boeterapport -> zienswijze -> boetebesluit -> bekendmaking.

The law and the amounts are in ``handhaving.boete`` (pure); this module stores what it computed and runs the
terms, in the caller's unit of work (``Werk``: rows, audit rows, events and terms together or not at all).

- ``maak_rapport``: the boeterapport (Awb 5:48) with its amount from the loaded policy table, fixed to that
  table's versie and sha256; refused when the fining power lapsed (Awb 5:45, a hard limit). It proposes the
  boete (or attaches to the boete the system proposed on a repeated waarschuwing) and registers the term
  ``boete-beslistermijn``: the last day of Awb 5:51's 13 weeks.
- The hearing is the besluit's zienswijze step; besluittypen.json lets no boete skip it (Awb 5:53 asks it
  above EUR 340; we ask it always).
- ``bij_nemen`` (procedure.neem): a boete needs its report and a fining power that has not lapsed; a decision
  after the 13 weeks is FLAGGED with its days late, never refused (5:51 is not fatal).
- ``bij_bekendmaking`` (procedure.maak_bekend): ``boete-opgelegd``, with the category and policy version but
  never the amount (a solist's fine is personal data; the amount is read through the API under a scope).
- ``beslistermijn_verstreken``: the term watcher found the 13 weeks over without a decision: once, an event.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import select

from handhaving import boete, procedure
from handhaving.models import Besluit, Boeterapport, Handhavingszaak
from zorgtoezicht import klok
from zorgtoezicht.domain.handhaving import BesluitStatus
from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.events.contracts import handhaving as events
from zorgtoezicht.events.envelope import EventData
from zorgtoezicht.http.problems import Conflict, InvalidInput, NotFound
from zorgtoezicht.termijnbewaking import Termijn
from zorgtoezicht.werk import Werk

BESLISTERMIJN = "boete-beslistermijn"  # a term kind, declared in the ServiceDefinition (TERMIJNEN)
BOETE = MaatregelSoort.bestuurlijke_boete
CENT = Decimal("0.01")
# A report is drawn up before the hearing: the provider is heard on it (Awb 5:53).
VOOR_DE_HOORZITTING = frozenset({BesluitStatus.voornemen})
NOG_TE_BESLISSEN = frozenset({BesluitStatus.voornemen, BesluitStatus.zienswijze})


@cache
def beleid() -> boete.Boetebeleid:
    """The policy table in use (``$HANDHAVING_BOETEBELEID`` or the packaged EXAMPLE), loaded once."""
    return boete.laad_beleid()


@dataclass(frozen=True)
class Rapportgegevens:
    opgemaakt_op: date
    overtredingsdatum: date
    categorie: str
    ernst: str
    verwijtbaarheid: str
    fte: Decimal
    besluit_id: uuid.UUID | None = None


def _fout(name: str, code: str, reason: str) -> dict[str, str]:
    return {"name": name, "code": code, "reason": reason}


def _audit_rapport(r: Boeterapport) -> dict[str, Any]:
    return {
        "hoofd_object_id": r.id,
        "hoofd_pad": f"boeterapporten/{r.id}",
        "resource": "boeterapport",
        "weergave": f"Boeterapport {str(r.id)[:8]}",
    }


def _zichtbaar(r: Boeterapport) -> dict[str, Any]:
    """The report's state for audit rows: codes and dates, not the amount (personal data for a solist)."""
    return {
        "besluitId": str(r.besluit_id),
        "opgemaaktOp": r.opgemaakt_op.isoformat(),
        "overtredingsdatum": r.overtredingsdatum.isoformat(),
        "categorie": r.categorie,
        "ernst": r.ernst,
        "verwijtbaarheid": r.verwijtbaarheid,
        "omvangsklasse": r.omvangsklasse,
        "beleidVersie": r.beleid_versie,
        "beleidHash": r.beleid_hash,
        "beslistermijn": r.beslistermijn.isoformat(),
        "bevoegdheidVervalt": r.bevoegdheid_vervalt.isoformat(),
        "besluitdatum": r.besluitdatum.isoformat() if r.besluitdatum else None,
        "beslistermijnOverschredenDagen": r.beslistermijn_overschreden_dagen,
    }


async def _gekozen_boete(werk: Werk, zaak_: Handhavingszaak, besluit_id: uuid.UUID, fouten: list[dict[str, str]]) -> Besluit | None:
    b = await werk.session.get(Besluit, besluit_id, with_for_update=True)
    if b is None or b.zaak_id != zaak_.id:
        fouten.append(_fout("besluitId", "onbekend_besluit", f"no besluit {besluit_id} in case {zaak_.identificatie}"))
        return None
    if b.besluittype != BOETE:
        fouten.append(_fout("besluitId", "geen_boete", f"besluit {b.identificatie} is a {b.besluittype.value}, not a {BOETE.value}"))
        return None
    return b


async def maak_rapport(werk: Werk, zaak_: Handhavingszaak, gegevens: Rapportgegevens) -> Boeterapport:
    """Draw up the boeterapport and propose its boete (see the module docstring). 400 lists every invalid field
    at once; 409 when the fining power lapsed or the chosen boete is past its voornemen or has a report."""
    session, vandaag, tabel = werk.session, klok.vandaag(), beleid()
    fouten: list[dict[str, str]] = []
    if gegevens.opgemaakt_op > vandaag:
        fouten.append(_fout("opgemaaktOp", "in_de_toekomst", "a report is dated the day it is drawn up, not later"))
    if gegevens.overtredingsdatum > min(gegevens.opgemaakt_op, vandaag):
        fouten.append(_fout("overtredingsdatum", "na_rapport", "the violation lies on or before the report's date and today"))
    for veld, waarde, toegestaan in (
        ("categorie", gegevens.categorie, tabel.categorieen),
        ("ernst", gegevens.ernst, tabel.ernst),
        ("verwijtbaarheid", gegevens.verwijtbaarheid, tabel.verwijtbaarheid),
    ):
        if waarde not in toegestaan:
            reden = f"unknown {veld} {waarde!r} in boetebeleid {tabel.versie}; allowed: {', '.join(toegestaan)}"
            fouten.append(_fout(veld, "onbekende_waarde", reden))
    gekozen = await _gekozen_boete(werk, zaak_, gegevens.besluit_id, fouten) if gegevens.besluit_id else None
    if fouten:
        raise InvalidInput("The boeterapport is not valid", invalid_params=fouten)

    berekening = boete.bereken_boete(tabel, gegevens.categorie, gegevens.ernst, gegevens.verwijtbaarheid, gegevens.fte)
    # Awb 5:45: counted from the violation, by the fine that CAN be imposed (the category's maximum).
    vervalt = boete.boetebevoegdheid_vervalt(gegevens.overtredingsdatum, berekening.maximum)
    if boete.boetebevoegdheid_vervallen(gegevens.overtredingsdatum, berekening.maximum, vandaag):
        raise Conflict(
            f"The power to fine the violation of {gegevens.overtredingsdatum} lapsed after {vervalt} (Awb 5:45)",
            code="boetebevoegdheid_vervallen",
        )
    if gekozen is not None:
        if gekozen.status not in VOOR_DE_HOORZITTING:
            raise Conflict(
                f"Besluit {gekozen.identificatie} is {gekozen.status.value}: a boeterapport comes before the hearing (Awb 5:53)",
                code="boete_voorbij_voornemen",
            )
        if await session.scalar(select(Boeterapport.id).where(Boeterapport.besluit_id == gekozen.id)) is not None:
            raise Conflict(f"Besluit {gekozen.identificatie} has a boeterapport already", code="boeterapport_bestaat")

    rapport_id = uuid.uuid4()
    if gekozen is None:
        b = await procedure.stel_voor(
            werk,
            zaak_,
            BOETE,
            toelichting=f"boeterapport van {gegevens.opgemaakt_op}: categorie {berekening.categorie}",
            instrumentgegevens={"boeterapportId": str(rapport_id)},
        )
    else:
        b = gekozen
        oud = {"instrumentgegevens": dict(b.instrumentgegevens)}
        b.instrumentgegevens = {**b.instrumentgegevens, "boeterapportId": str(rapport_id)}
        b.versie += 1
        await werk.audit.record(
            session,
            werk.actor,
            actie="partial_update",
            oud=oud,
            nieuw={"instrumentgegevens": b.instrumentgegevens},
            resultaat=200,
            **procedure.STATUS.audit(b),
        )
    r = Boeterapport(
        id=rapport_id,
        zaak_id=zaak_.id,
        besluit_id=b.id,
        zorgaanbieder_id=zaak_.zorgaanbieder_id,
        opgemaakt_op=gegevens.opgemaakt_op,
        overtredingsdatum=gegevens.overtredingsdatum,
        categorie=berekening.categorie,
        ernst=berekening.ernst,
        verwijtbaarheid=berekening.verwijtbaarheid,
        fte=gegevens.fte.quantize(CENT),  # as stored: the response equals a later read
        omvangsklasse=berekening.omvangsklasse,
        bedrag=berekening.bedrag,
        maximum=berekening.maximum.quantize(CENT),
        gemaximeerd=berekening.gemaximeerd,
        zienswijze_verplicht=berekening.zienswijze_verplicht,
        uitleg=list(berekening.uitleg),
        beleid_versie=berekening.beleid_versie,
        beleid_hash=berekening.beleid_hash,
        voorbeeldbeleid=berekening.voorbeeldbeleid,
        beslistermijn=boete.beslistermijn(gegevens.opgemaakt_op),
        bevoegdheid_vervalt=vervalt,
        aangemaakt_op=klok.nu(),
        aangemaakt_door=werk.actor.applicatie_id,
    )
    session.add(r)
    await session.flush()
    await werk.termijnen.registreer(session, b.id, BESLISTERMIJN, uiterlijk=r.beslistermijn)
    await werk.audit.record(session, werk.actor, actie="create", oud=None, nieuw=_zichtbaar(r), resultaat=201, **_audit_rapport(r))
    return r


async def rapport(werk: Werk, rapport_id: uuid.UUID) -> Boeterapport:
    """One report; reading it is logged (its amount is personal data when the provider is a solist)."""
    r = await werk.session.get(Boeterapport, rapport_id)
    if r is None:
        raise NotFound(f"No boeterapport with id {rapport_id}")
    await werk.audit.record(werk.session, werk.actor, actie="read", resultaat=200, **_audit_rapport(r))
    return r


async def _rapport_van(werk: Werk, besluit_id: uuid.UUID) -> Boeterapport | None:
    return await werk.session.scalar(select(Boeterapport).where(Boeterapport.besluit_id == besluit_id).with_for_update())


async def bij_nemen(werk: Werk, b: Besluit) -> None:
    """procedure.neem's hook, with ``b.datum`` set to the decision's day: a boete is taken on its report and
    within the fining power; past the 13 weeks it is flagged (days late on the report and the besluit)."""
    if b.besluittype != BOETE:
        return
    r = await _rapport_van(werk, b.id)
    if r is None:
        raise Conflict("A bestuurlijke boete is taken on a boeterapport (Awb 5:48, 5:53): draw one up first", code="boeterapport_vereist")
    dag = b.datum or klok.vandaag()
    if boete.boetebevoegdheid_vervallen(r.overtredingsdatum, r.maximum, dag):
        raise Conflict(f"The power to fine lapsed after {r.bevoegdheid_vervalt} (Awb 5:45)", code="boetebevoegdheid_vervallen")
    oud = _zichtbaar(r)
    r.besluitdatum = dag
    r.beslistermijn_overschreden_dagen = boete.te_laat(r.opgemaakt_op, dag)  # a flag, never a refusal (5:51)
    b.instrumentgegevens = {
        **b.instrumentgegevens,
        "beslistermijn": r.beslistermijn.isoformat(),
        "beslistermijnOverschredenDagen": r.beslistermijn_overschreden_dagen,
    }
    await werk.termijnen.vervallen(werk.session, b.id, BESLISTERMIJN)
    await werk.audit.record(werk.session, werk.actor, actie="partial_update", oud=oud, nieuw=_zichtbaar(r), **_audit_rapport(r))


async def bij_bekendmaking(werk: Werk, b: Besluit) -> None:
    """procedure.maak_bekend's hook: a boete made known is ``boete-opgelegd`` (no amount)."""
    if b.besluittype != BOETE:
        return
    r = await _rapport_van(werk, b.id)
    assert r is not None and b.datum is not None  # bij_nemen refused a boete without its report
    await werk.outbox.add(
        werk.session,
        events.BoeteOpgelegd(
            **b.gebeurtenisvelden(),
            boeterapport_id=r.id,
            categorie=r.categorie,
            beleid_versie=r.beleid_versie,
            besluitdatum=b.datum,
            beslistermijn_overschreden=r.beslistermijn_overschreden_dagen or 0,
        ),
    )


async def beslistermijn_verstreken(werk: Werk, termijn: Termijn) -> Sequence[EventData]:
    """The term watcher: the 13 weeks ended and the boete is still undecided. Once; nothing when the proposal
    was dropped meanwhile (dropping it does not cancel the term)."""
    b = await werk.session.get(Besluit, termijn.aggregaat_id, with_for_update=True)
    r = await _rapport_van(werk, termijn.aggregaat_id)
    if b is None or r is None or b.status not in NOG_TE_BESLISSEN:
        return []
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="partial_update",
        oud=None,
        nieuw={"beslistermijn": r.beslistermijn.isoformat(), "beslistermijnVerstreken": True},
        **_audit_rapport(r),
    )
    return [
        events.BoeteBeslistermijnVerstreken(
            **b.gebeurtenisvelden(),
            boeterapport_id=r.id,
            beslistermijn=r.beslistermijn,
        )
    ]


TERMIJNEN = {BESLISTERMIJN: beslistermijn_verstreken}
