"""handhaving's event handlers: it knows which providers exist from register's events."""

from __future__ import annotations

from handhaving import service
from zorgtoezicht.events.contracts.register import (
    ZorgaanbiederAangemeld,
    ZorgaanbiederGeregistreerd,
    ZorgaanbiederGewijzigd,
)
from zorgtoezicht.events.envelope import Topic
from zorgtoezicht.messaging.consumer import HandlerContext, Subscription


async def zorgaanbieder_geregistreerd(werk: HandlerContext, data: ZorgaanbiederGeregistreerd) -> None:
    await service.verwerk_zorgaanbieder_geregistreerd(werk.session, data)  # a projection: no audit row


subscriptions = [
    Subscription(
        consumer="handhaving.zorgaanbieders",
        topic=Topic.zorgaanbieders.value,
        handlers={
            ZorgaanbiederGeregistreerd: zorgaanbieder_geregistreerd,
            ZorgaanbiederAangemeld: zorgaanbieder_geregistreerd,
            ZorgaanbiederGewijzigd: zorgaanbieder_geregistreerd,
        },
    ),
]
