"""meldpunt's event handlers: it keeps its own projection of registered providers and vestigingen."""

from __future__ import annotations

from meldpunt import service
from zorgtoezicht.events.contracts.register import (
    ZorgaanbiederAangemeld,
    ZorgaanbiederGeregistreerd,
    ZorgaanbiederGestopt,
    ZorgaanbiederGewijzigd,
)
from zorgtoezicht.events.envelope import Topic
from zorgtoezicht.messaging.consumer import HandlerContext, Subscription


async def zorgaanbieder_feiten(context: HandlerContext, data: ZorgaanbiederGeregistreerd) -> None:
    await service.verwerk_zorgaanbieder_feiten(context.session, data)


async def zorgaanbieder_gestopt(context: HandlerContext, data: ZorgaanbiederGestopt) -> None:
    await service.verwerk_zorgaanbieder_gestopt(context.session, data)


subscriptions = [
    Subscription(
        consumer="meldpunt.zorgaanbieders",
        topic=Topic.zorgaanbieders.value,
        handlers={
            ZorgaanbiederGeregistreerd: zorgaanbieder_feiten,
            ZorgaanbiederAangemeld: zorgaanbieder_feiten,
            ZorgaanbiederGewijzigd: zorgaanbieder_feiten,
            ZorgaanbiederGestopt: zorgaanbieder_gestopt,
        },
    ),
]
