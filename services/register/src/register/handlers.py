"""Register's event handlers: it shows the active measures handhaving imposed."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from register import service
from zorgtoezicht.events.contracts.handhaving import MaatregelOpgelegd
from zorgtoezicht.events.envelope import CloudEvent, Topic
from zorgtoezicht.messaging.consumer import Subscription


async def maatregel_opgelegd(session: AsyncSession, event: CloudEvent, data: MaatregelOpgelegd) -> None:
    await service.verwerk_maatregel_opgelegd(session, data)


subscriptions = [
    Subscription(consumer="register.maatregelen", topic=Topic.maatregelen.value, handlers={MaatregelOpgelegd: maatregel_opgelegd}),
]
