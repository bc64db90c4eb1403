"""meldpunt's event handlers and periodic work."""

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
from zorgtoezicht.termijnen import vandaag


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


async def te_late_rapporten(runtime) -> int:  # noqa: ANN001 - a ServiceRuntime
    """Every few minutes: announce calamiteitenrapporten whose term passed without a report."""
    async with runtime.db.transaction() as session:
        return await service.meld_te_late_rapporten(session, runtime.outbox, vandaag())


periodic = [("te-late-rapporten", 300.0, te_late_rapporten)]
