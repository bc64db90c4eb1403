"""meldpunt's domain logic: accept a melding for a known vestiging and announce it."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from meldpunt import repository
from meldpunt.models import Melding
from meldpunt.schemas import MeldingIn
from zorgtoezicht.events.contracts.meldpunt import MeldingOntvangen
from zorgtoezicht.events.contracts.register import ZorgaanbiederGeregistreerd, ZorgaanbiederGestopt
from zorgtoezicht.http.problems import InvalidInput
from zorgtoezicht.http.security import Client
from zorgtoezicht.messaging.outbox import Outbox


async def ontvang_melding(session: AsyncSession, outbox: Outbox, invoer: MeldingIn, client: Client) -> Melding:
    vestiging = await repository.get_vestiging(session, invoer.vestigingsnummer)
    if vestiging is None:
        raise InvalidInput(
            "The vestiging is not in the register",
            invalid_params=[{"name": "vestigingsnummer", "code": "onbekende_vestiging",
                             "reason": f"no registered vestiging has vestigingsnummer {invoer.vestigingsnummer}"}],
        )
    melding = Melding(id=uuid.uuid4(), soort=invoer.soort.value, vestigingsnummer=vestiging.vestigingsnummer,
                      zorgaanbieder_id=vestiging.zorgaanbieder_id, omschrijving=invoer.omschrijving,
                      ingediend_door=client.client_id)
    session.add(melding)
    await session.flush()
    await session.refresh(melding)
    await outbox.add(
        session,
        MeldingOntvangen(melding_id=melding.id, zorgaanbieder_id=melding.zorgaanbieder_id,
                         vestigingsnummer=melding.vestigingsnummer, soort=invoer.soort, ontvangen_op=melding.ontvangen_op),
    )
    return melding


async def verwerk_zorgaanbieder_feiten(session: AsyncSession, data: ZorgaanbiederGeregistreerd) -> None:
    """Any zorgaanbieder event carries the current facts: the projection takes them over whole."""
    await repository.upsert_zorgaanbieder(session, zorgaanbieder_id=data.zorgaanbieder_id, kvk_nummer=data.kvk_nummer,
                                          soort=data.soort, sectoren=[s.value for s in data.sectoren], status=data.status)
    await repository.replace_vestigingen(session, data.zorgaanbieder_id, [
        {"vestigingsnummer": v.vestigingsnummer, "zorgaanbieder_id": data.zorgaanbieder_id, "kvk_nummer": data.kvk_nummer,
         "gemeente": v.gemeente, "gemeente_code": v.gemeente_code}
        for v in data.vestigingen
    ])


async def verwerk_zorgaanbieder_gestopt(session: AsyncSession, data: ZorgaanbiederGestopt) -> None:
    await repository.set_zorgaanbieder_status(session, data.zorgaanbieder_id, "gestopt")
