"""Register's event handlers: it shows the measures handhaving imposed while they are in force."""

from __future__ import annotations

from register import service
from zorgtoezicht.events.contracts.handhaving import MaatregelBeeindigd, MaatregelOpgelegd, MaatregelVerlengd
from zorgtoezicht.events.envelope import Topic
from zorgtoezicht.messaging.consumer import HandlerContext, Subscription


async def maatregel_opgelegd(werk: HandlerContext, data: MaatregelOpgelegd) -> None:
    await service.verwerk_maatregel_opgelegd(werk, data)


async def maatregel_beeindigd(werk: HandlerContext, data: MaatregelBeeindigd) -> None:
    await service.verwerk_maatregel_beeindigd(werk, data)


async def maatregel_verlengd(werk: HandlerContext, data: MaatregelVerlengd) -> None:
    await service.verwerk_maatregel_verlengd(werk, data)


subscriptions = [
    Subscription(
        consumer="register.maatregelen",
        topic=Topic.maatregelen.value,
        handlers={MaatregelOpgelegd: maatregel_opgelegd, MaatregelBeeindigd: maatregel_beeindigd, MaatregelVerlengd: maatregel_verlengd},
    ),
]
