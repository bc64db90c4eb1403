"""meldpunt's event handlers: it keeps its own projection of registered vestigingen."""

from __future__ import annotations

from meldpunt import service
from zorgtoezicht.events.contracts.register import ZorgaanbiederGeregistreerd
from zorgtoezicht.events.envelope import Topic
from zorgtoezicht.messaging.consumer import HandlerContext, Subscription


async def zorgaanbieder_geregistreerd(context: HandlerContext, data: ZorgaanbiederGeregistreerd) -> None:
    await service.verwerk_zorgaanbieder_geregistreerd(context.session, data)


subscriptions = [
    Subscription(consumer="meldpunt.zorgaanbieders", topic=Topic.zorgaanbieders.value,
                 handlers={ZorgaanbiederGeregistreerd: zorgaanbieder_geregistreerd}),
]
