"""meldpunt's event handlers and what happens when its stored terms end."""

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


async def zorgaanbieder_feiten(werk: HandlerContext, data: ZorgaanbiederGeregistreerd) -> None:
    await service.verwerk_zorgaanbieder_feiten(werk.session, data)  # a projection: no audit row


async def zorgaanbieder_gestopt(werk: HandlerContext, data: ZorgaanbiederGestopt) -> None:
    await service.verwerk_zorgaanbieder_gestopt(werk.session, data)


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

# Stored terms (zorgtoezicht.termijnbewaking) → their events when they end: the worker's term watcher fires each once.
termijnen = {service.RAPPORTTERMIJN: service.rapporttermijn_verstreken}
