"""toezicht's event handlers: meldingen are signals for the risk profile."""

from __future__ import annotations

from toezicht import service
from zorgtoezicht.events.contracts.meldpunt import MeldingOntvangen, MeldingZorgaanbiederGekoppeld
from zorgtoezicht.events.envelope import Topic
from zorgtoezicht.messaging.consumer import HandlerContext, Subscription


async def melding_ontvangen(werk: HandlerContext, data: MeldingOntvangen | MeldingZorgaanbiederGekoppeld) -> None:
    """A melding about a known provider is a signal; one linked to its provider later counts then."""
    if data.zorgaanbieder_id is not None:
        await service.verwerk_signaal(werk, data.zorgaanbieder_id)


subscriptions = [
    Subscription(
        consumer="toezicht.meldingen",
        topic=Topic.meldingen.value,
        handlers={MeldingOntvangen: melding_ontvangen, MeldingZorgaanbiederGekoppeld: melding_ontvangen},
    ),
]
