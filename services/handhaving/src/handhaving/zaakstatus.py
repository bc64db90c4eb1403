"""A handhavingszaak's own status: open until the jurist closes it, once the procedures of its besluiten are finished.

Closing needs every besluit of the case past its decision: made known (or further) or dropped/ended. While a
besluit is still a voornemen, waits for the provider's view or was taken but not yet made known, the procedure
is not finished (409 ``procedure_loopt``). A closed case stays closed: an objection against one of its
besluiten is registered all the same as its own linked procedure (a bezwaar with its own id, pointing to the
besluit and so to the case), without reopening the case (Awb 6:4 needs no open case, issue 10 item 1).
"""

from __future__ import annotations

from sqlalchemy import select

from handhaving.models import Besluit, Handhavingszaak
from zorgtoezicht import klok
from zorgtoezicht.domain.handhaving import BesluitStatus, ZaakStatus
from zorgtoezicht.events.contracts import handhaving as events
from zorgtoezicht.http.problems import Conflict
from zorgtoezicht.werk import Werk

# A besluit in one of these has not finished its procedure: its case cannot be closed.
LOPENDE_PROCEDURE = frozenset({BesluitStatus.voornemen, BesluitStatus.zienswijze, BesluitStatus.genomen})


async def sluit_af(werk: Werk, zaak: Handhavingszaak, *, toelichting: str) -> Handhavingszaak:
    """Close the case (audit row, ``handhavingszaak-afgesloten``), in the caller's unit of work; the caller
    locked the case row, so a second close waits and then finds it closed."""
    if zaak.status == ZaakStatus.afgesloten:
        raise Conflict(f"Handhavingszaak {zaak.identificatie} was closed already", code="zaak_afgesloten")
    lopend = list(
        await werk.session.scalars(
            select(Besluit.identificatie)
            .where(Besluit.zaak_id == zaak.id, Besluit.status.in_(LOPENDE_PROCEDURE))
            .order_by(Besluit.identificatie)
        )
    )
    if lopend:
        raise Conflict(f"The procedure of besluit(en) {', '.join(lopend)} is not finished", code="procedure_loopt")
    moment = klok.nu()
    zaak.status, zaak.afgesloten_op = ZaakStatus.afgesloten, moment
    await werk.outbox.add(
        werk.session,
        events.HandhavingszaakAfgesloten(zaak_id=zaak.id, zorgaanbieder_id=zaak.zorgaanbieder_id, afgesloten_op=klok.vandaag()),
    )
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="partial_update",
        hoofd_object_id=zaak.id,
        hoofd_pad=f"handhavingszaken/{zaak.id}",
        resource="handhavingszaak",
        weergave=f"Handhavingszaak {zaak.identificatie}",
        oud={"status": ZaakStatus.open.value},
        nieuw={"status": ZaakStatus.afgesloten.value, "afgeslotenOp": moment.isoformat(), "toelichting": toelichting},
        resultaat=200,
    )
    return zaak
