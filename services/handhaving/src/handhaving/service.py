"""handhaving's domain logic: impose a measure on a known provider and announce it."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from handhaving import repository
from handhaving.models import Maatregel
from handhaving.schemas import MaatregelIn
from zorgtoezicht.events.contracts.handhaving import MaatregelOpgelegd
from zorgtoezicht.events.contracts.register import ZorgaanbiederGeregistreerd
from zorgtoezicht.http.problems import InvalidInput
from zorgtoezicht.http.security import Client
from zorgtoezicht.messaging.outbox import Outbox


async def leg_maatregel_op(session: AsyncSession, outbox: Outbox, invoer: MaatregelIn, client: Client) -> Maatregel:
    if not await repository.zorgaanbieder_bekend(session, invoer.zorgaanbieder_id):
        raise InvalidInput(
            "The zorgaanbieder is not in the register",
            invalid_params=[{"name": "zorgaanbiederId", "code": "onbekende_zorgaanbieder",
                             "reason": f"no registered zorgaanbieder has id {invoer.zorgaanbieder_id}"}],
        )
    maatregel = Maatregel(id=uuid.uuid4(), zorgaanbieder_id=invoer.zorgaanbieder_id, soort=invoer.soort.value,
                          ingangsdatum=invoer.ingangsdatum, einddatum=invoer.einddatum, motivering=invoer.motivering,
                          opgelegd_door=client.client_id)
    session.add(maatregel)
    await session.flush()
    await session.refresh(maatregel)
    await outbox.add(
        session,
        MaatregelOpgelegd(maatregel_id=maatregel.id, zorgaanbieder_id=maatregel.zorgaanbieder_id, soort=invoer.soort,
                          ingangsdatum=maatregel.ingangsdatum, einddatum=maatregel.einddatum),
    )
    return maatregel


async def verwerk_zorgaanbieder_geregistreerd(session: AsyncSession, data: ZorgaanbiederGeregistreerd) -> None:
    await repository.add_zorgaanbieder(session, data.zorgaanbieder_id, data.kvk_nummer)
