"""Judgements (oordelen): an inspector judges each norm of the activity's sector kader, and fixing the judgement
is the activity's step to oordeel-vastgesteld, with the judgement rows, the history row, the audit rows and the
``oordeel-vastgesteld`` event in one transaction. The findings (free text) stay in toezicht: the event carries
ids, norm ids, severities and counts only.
"""

from __future__ import annotations

import uuid
from collections import Counter

from sqlalchemy.orm.attributes import flag_modified

from toezicht import activiteiten, normenkader, workflow
from toezicht import repository_activiteiten as repository
from toezicht.models import Oordeel, OordeelNorm
from toezicht.schemas import OordeelIn
from zorgtoezicht import klok
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.domain.toezicht import ActiviteitStatus, Normoordeel
from zorgtoezicht.events.contracts.toezicht import OordeelVastgesteld, Tekortkoming
from zorgtoezicht.http.problems import Conflict, InvalidInput, NotFound
from zorgtoezicht.werk import Werk

GEEN_SECTOR = Sector.sector_overstijgend  # an activity without a sector is judged against the general norms


def _fout(name: str, code: str, reason: str) -> dict[str, str]:
    return {"name": name, "code": code, "reason": reason}


def _fouten(invoer: OordeelIn, normen: dict[str, normenkader.Norm], uitgevoerd_op, sector: str) -> list[dict[str, str]]:
    fouten, gezien = [], set()
    for i, n in enumerate(invoer.normen):
        plek = f"normen.{i}"
        if n.norm_id not in normen:
            fouten.append(
                {"name": f"{plek}.normId", "code": "onbekende_norm", "reason": f"{n.norm_id!r} is not a norm of the {sector} kader"}
            )
        elif n.norm_id in gezien:
            fouten.append(_fout(f"{plek}.normId", "dubbel", f"{n.norm_id!r} is judged twice"))
        gezien.add(n.norm_id)
        if n.oordeel == Normoordeel.voldaan and n.ernst is not None:
            fouten.append(_fout(f"{plek}.ernst", "geen_tekortkoming", "a norm met has no tekortkoming"))
        if n.oordeel != Normoordeel.voldaan and n.ernst is None:
            fouten.append(
                {"name": f"{plek}.ernst", "code": "verplicht", "reason": f"a norm judged {n.oordeel} is a tekortkoming: give its ernst"}
            )
        if not n.bevinding.strip():
            fouten.append(_fout(f"{plek}.bevinding", "verplicht", "state the finding"))
    if invoer.vastgesteld_op is not None:
        if invoer.vastgesteld_op > klok.vandaag():
            fouten.append(_fout("vastgesteldOp", "toekomst", "a judgement cannot be fixed in the future"))
        elif uitgevoerd_op is not None and invoer.vastgesteld_op < uitgevoerd_op:
            fouten.append(
                {"name": "vastgesteldOp", "code": "voor_uitvoering", "reason": f"before the activity was performed ({uitgevoerd_op})"}
            )
    return fouten


async def stel_vast(werk: Werk, activiteit_id: uuid.UUID, invoer: OordeelIn) -> tuple[Oordeel, list[OordeelNorm]]:
    """Fix the judgement of a performed activity of a kind that yields one (409 otherwise), against its sector kader
    (400 listing each unknown norm, missing or superfluous ernst)."""
    a = await activiteiten.activiteit(werk, activiteit_id, bijwerken=True)
    if a.soort not in workflow.MET_OORDEEL:
        raise Conflict(f"A {a.soort} does not end in a judgement", code="soort_zonder_oordeel")
    activiteiten.controleer(a, ActiviteitStatus.oordeel_vastgesteld, door_systeem=True)
    kader = normenkader.kader()
    sector = a.sector or GEEN_SECTOR
    normen = kader.voor(sector)
    if fouten := _fouten(invoer, normen, a.uitgevoerd_op, sector):
        raise InvalidInput("The judgement is not valid", invalid_params=fouten)

    tellingen = Counter(n.oordeel for n in invoer.normen)
    oordeel = Oordeel(
        id=uuid.uuid4(),
        activiteit_id=a.id,
        zorgaanbieder_id=a.zorgaanbieder_id,
        sector=sector,
        normenkader_versie=kader.kenmerk,
        vastgesteld_op=invoer.vastgesteld_op or klok.vandaag(),
        vastgesteld_door=werk.actor.applicatie_id,
        aantal_voldaan=tellingen[Normoordeel.voldaan],
        aantal_deels=tellingen[Normoordeel.deels],
        aantal_niet_voldaan=tellingen[Normoordeel.niet_voldaan],
        aangemaakt_op=klok.nu(),
    )
    rijen = [
        {
            "oordeel_id": oordeel.id,
            "norm_id": n.norm_id,
            "volgorde": i,
            "oordeel": n.oordeel,
            "ernst": n.ernst,
            "bevinding": n.bevinding.strip(),
            "normtekst": normen[n.norm_id].tekst,
            "bron": normen[n.norm_id].bron,
        }
        for i, n in enumerate(invoer.normen)
    ]
    await repository.add_oordeel(werk.session, oordeel, rijen)
    gebeurtenis = OordeelVastgesteld(
        activiteit_id=a.id,
        oordeel_id=oordeel.id,
        zorgaanbieder_id=a.zorgaanbieder_id,
        soort=a.soort,
        sector=sector,
        normenkader_versie=kader.kenmerk,
        vastgesteld_op=oordeel.vastgesteld_op,
        aantal_normen=len(invoer.normen),
        aantal_voldaan=oordeel.aantal_voldaan,
        aantal_deels=oordeel.aantal_deels,
        aantal_niet_voldaan=oordeel.aantal_niet_voldaan,
        tekortkomingen=[Tekortkoming(norm_id=n.norm_id, oordeel=n.oordeel, ernst=n.ernst) for n in invoer.normen if n.ernst is not None],
    )
    samenvatting = (
        f"oordeel {oordeel.id} ({kader.kenmerk}): {len(invoer.normen)} normen, "
        f"{oordeel.aantal_deels} deels, {oordeel.aantal_niet_voldaan} niet voldaan"
    )
    a.versie += 1
    a.gewijzigd_op = oordeel.aangemaakt_op  # before the step: its history insert flushes the row
    flag_modified(a, "gewijzigd_op")  # written even when it is the same instant (else onupdate now() expires it)
    await activiteiten.STATUS.stap(
        werk, a, ActiviteitStatus.oordeel_vastgesteld, toelichting=samenvatting, door_systeem=True, gebeurtenissen=[gebeurtenis]
    )
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="create",
        hoofd_object_id=a.id,
        hoofd_pad=activiteiten.pad(a.id),
        resource="oordeel",
        resource_pad=f"{activiteiten.pad(a.id)}/oordeel",
        weergave=f"Oordeel {str(oordeel.id)[:8]}",
        nieuw={
            "oordeelId": str(oordeel.id),
            "normenkader": kader.kenmerk,
            "aantalVoldaan": oordeel.aantal_voldaan,
            "aantalDeels": oordeel.aantal_deels,
            "aantalNietVoldaan": oordeel.aantal_niet_voldaan,
        },
        resultaat=201,
    )
    await werk.session.flush()
    return oordeel, await _normen(werk, oordeel)


async def _normen(werk: Werk, oordeel: Oordeel) -> list[OordeelNorm]:
    gevonden = await repository.get_oordeel(werk.session, oordeel.activiteit_id)
    return gevonden[1] if gevonden else []


async def lees(werk: Werk, activiteit_id: uuid.UUID) -> tuple[Oordeel, list[OordeelNorm]]:
    """The judgement with its findings (404 while none is fixed); the read is in the audit trail."""
    a = await activiteiten.activiteit(werk, activiteit_id)
    gevonden = await repository.get_oordeel(werk.session, a.id)
    if gevonden is None:
        raise NotFound(f"No judgement has been fixed for toezichtactiviteit {activiteit_id}")
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="read",
        hoofd_object_id=a.id,
        hoofd_pad=activiteiten.pad(a.id),
        resource="oordeel",
        resource_pad=f"{activiteiten.pad(a.id)}/oordeel",
        weergave=f"Oordeel {str(gevonden[0].id)[:8]}",
    )
    return gevonden
