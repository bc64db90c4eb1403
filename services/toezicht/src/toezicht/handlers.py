"""toezicht's event handlers: meldingen are signals for the risk profile."""

from __future__ import annotations

from toezicht import service
from zorgtoezicht.events.contracts.meldpunt import MeldingOntvangen
from zorgtoezicht.events.envelope import Topic
from zorgtoezicht.messaging.consumer import HandlerContext, Subscription


async def melding_ontvangen(context: HandlerContext, data: MeldingOntvangen) -> None:
    await service.verwerk_melding_ontvangen(context.session, context.outbox, data)


subscriptions = [
    Subscription(consumer="toezicht.meldingen", topic=Topic.meldingen.value, handlers={MeldingOntvangen: melding_ontvangen}),
]
