"""toezicht's domain logic: every melding is a signal about its provider's risk."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from toezicht import repository
from zorgtoezicht.events.contracts.meldpunt import MeldingOntvangen
from zorgtoezicht.events.contracts.toezicht import RisicoprofielGewijzigd
from zorgtoezicht.messaging.outbox import Outbox


async def verwerk_melding_ontvangen(session: AsyncSession, outbox: Outbox, data: MeldingOntvangen) -> None:
    aantal = await repository.count_signal(session, data.zorgaanbieder_id)
    await outbox.add(session, RisicoprofielGewijzigd(zorgaanbieder_id=data.zorgaanbieder_id, aantal_signalen=aantal))
