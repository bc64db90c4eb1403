"""handhaving's event handlers: it knows which providers exist from register's events, and a judgement with
shortcomings at toezicht, a melding routed direct-escaleren and a late Wkkgz melding at meldpunt each open an
enforcement case here (once per source, however often its event is delivered)."""

from __future__ import annotations

from datetime import timedelta

from handhaving import procedure, service
from zorgtoezicht import termijnen
from zorgtoezicht.domain.handhaving import Aanleiding
from zorgtoezicht.domain.meldingen import MeldingSoort, Route
from zorgtoezicht.events.contracts.meldpunt import MeldingGetrieerd, MeldingTermijnOverschreden
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


async def melding_getrieerd(werk: HandlerContext, data: MeldingGetrieerd) -> None:
    """A melding routed direct-escaleren (by rule or by an inspector) against a known provider opens a case."""
    if data.route != Route.direct_escaleren or data.zorgaanbieder_id is None:
        return
    await procedure.open_zaak(
        werk,
        procedure.Zaakopening(
            zorgaanbieder_id=data.zorgaanbieder_id,
            aanleiding=Aanleiding.melding_direct_escaleren,
            aanleiding_id=data.melding_id,
            aanleiding_datum=termijnen.vandaag(werk.event.time),  # the day triage routed it
        ),
    )


# A late report under the Wkkgz (art. 11) is itself a shortcoming of the provider: it may lead to a fine.
WKKGZ = frozenset({MeldingSoort.wkkgz_calamiteit, MeldingSoort.wkkgz_geweld, MeldingSoort.wkkgz_ontslag})


async def melding_te_laat(werk: HandlerContext, data: MeldingTermijnOverschreden) -> None:
    if data.soort not in WKKGZ or data.zorgaanbieder_id is None:
        return
    await procedure.open_zaak(
        werk,
        procedure.Zaakopening(
            zorgaanbieder_id=data.zorgaanbieder_id,
            aanleiding=Aanleiding.wkkgz_melding_te_laat,
            aanleiding_id=data.melding_id,
            aanleiding_datum=data.uiterlijk + timedelta(days=data.dagen_te_laat),  # the day it was reported
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
    Subscription(
        consumer="handhaving.meldingen",
        topic=Topic.meldingen.value,
        handlers={MeldingGetrieerd: melding_getrieerd, MeldingTermijnOverschreden: melding_te_laat},
    ),
]
