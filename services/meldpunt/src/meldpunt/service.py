"""meldpunt's domain logic: accept a melding for a known vestiging and announce it."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from meldpunt import repository
from meldpunt.models import Melding
from meldpunt.schemas import MeldingIn
from zorgtoezicht.events.contracts.meldpunt import MeldingOntvangen
from zorgtoezicht.events.contracts.register import ZorgaanbiederGeregistreerd
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


async def verwerk_zorgaanbieder_geregistreerd(session: AsyncSession, data: ZorgaanbiederGeregistreerd) -> None:
    for vestiging in data.vestigingen:
        await repository.upsert_vestiging(session, vestigingsnummer=vestiging.vestigingsnummer,
                                          zorgaanbieder_id=data.zorgaanbieder_id, kvk_nummer=data.kvk_nummer,
                                          gemeente=vestiging.gemeente)
