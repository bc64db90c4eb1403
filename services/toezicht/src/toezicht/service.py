"""toezicht's domain logic: every melding is a signal about its provider's risk."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from toezicht import repository
from zorgtoezicht.events.contracts.toezicht import RisicoprofielGewijzigd
from zorgtoezicht.messaging.outbox import Outbox


async def verwerk_signaal(session: AsyncSession, outbox: Outbox, zorgaanbieder_id: uuid.UUID) -> None:
    aantal = await repository.count_signal(session, zorgaanbieder_id)
    await outbox.add(session, RisicoprofielGewijzigd(zorgaanbieder_id=zorgaanbieder_id, aantal_signalen=aantal))
