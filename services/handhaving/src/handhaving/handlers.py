"""handhaving's event handlers: it knows which providers exist from register's events, and a judgement with
shortcomings at toezicht opens an enforcement case here (once per judgement, however often it is delivered)."""

from __future__ import annotations

from handhaving import procedure, service
from zorgtoezicht.domain.handhaving import Aanleiding
from zorgtoezicht.events.contracts.register import (
    ZorgaanbiederAangemeld,
    ZorgaanbiederGeregistreerd,
    ZorgaanbiederGewijzigd,
)
from zorgtoezicht.events.contracts.toezicht import OordeelVastgesteld
from zorgtoezicht.events.envelope import Topic
from zorgtoezicht.messaging.consumer import HandlerContext, Subscription


async def zorgaanbieder_geregistreerd(werk: HandlerContext, data: ZorgaanbiederGeregistreerd) -> None:
    await service.verwerk_zorgaanbieder_geregistreerd(werk.session, data)  # a projection: no audit row


async def oordeel_vastgesteld(werk: HandlerContext, data: OordeelVastgesteld) -> None:
    """A judgement with shortcomings opens a case: its reason the judgement's id, the norm ids and severities."""
    if not data.tekortkomingen:
        return
    await procedure.open_zaak(
        werk,
        procedure.Zaakopening(
            zorgaanbieder_id=data.zorgaanbieder_id,
            aanleiding=Aanleiding.oordeel_vastgesteld,
            aanleiding_id=data.oordeel_id,
            aanleiding_datum=data.vastgesteld_op,
            tekortkomingen=tuple({"normId": t.norm_id, "oordeel": t.oordeel.value, "ernst": t.ernst.value} for t in data.tekortkomingen),
        ),
    )


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
    Subscription(
        consumer="handhaving.toezichtactiviteiten",
        topic=Topic.toezichtactiviteiten.value,
        handlers={OordeelVastgesteld: oordeel_vastgesteld},
    ),
]
