"""toezicht's event handlers: every event about a provider's risk becomes stored signals (or register facts on its
profile), then that one provider is rescored, all in the consumer's transaction. The inbox dedupes deliveries; a
signal is keyed on its event (id and sequence number), so a re-delivery that got past it still stores nothing twice.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from toezicht import repository, service
from zorgtoezicht.domain.meldingen import MelderRol
from zorgtoezicht.domain.toezicht import Ernst
from zorgtoezicht.events.contracts.handhaving import MaatregelBeeindigd, MaatregelOpgelegd, MaatregelVerlengd, VervolgtoezichtGevraagd
from zorgtoezicht.events.contracts.meldpunt import (
    CalamiteitenrapportOntvangen,
    CalamiteitenrapportTeLaat,
    MeldingOntvangen,
    MeldingTermijnOverschreden,
    MeldingZorgaanbiederGekoppeld,
)
from zorgtoezicht.events.contracts.register import (
    VergunningAangevraagd,
    VergunningGeweigerd,
    VergunningIngetrokken,
    VergunningVerleend,
    ZorgaanbiederAangemeld,
    ZorgaanbiederGeregistreerd,
    ZorgaanbiederGestopt,
    ZorgaanbiederGewijzigd,
)
from zorgtoezicht.events.contracts.toezicht import OordeelVastgesteld
from zorgtoezicht.events.envelope import Topic
from zorgtoezicht.klok import NL
from zorgtoezicht.messaging.consumer import HandlerContext, Subscription


def _signaal(werk: HandlerContext, soort: str, peildatum: date, *, volgnummer: int = 0, **velden: Any) -> dict[str, Any]:
    return {
        "soort": soort,
        "peildatum": peildatum,
        "bron_type": werk.event.type,
        "bron_id": uuid.UUID(werk.event.id),
        "volgnummer": volgnummer,
        "ernstig": False,
        **velden,
    }


def _event_dag(werk: HandlerContext) -> date:
    return werk.event.time.astimezone(NL).date()


# --- meldingen --------------------------------------------------------------------------------------------


async def melding_ontvangen(werk: HandlerContext, data: MeldingOntvangen) -> None:
    """A melding about a known provider is a signal; one linked to its provider later counts then."""
    if data.zorgaanbieder_id is None:
        return
    signaal = _signaal(
        werk,
        "melding",
        data.ontvangen_op.astimezone(NL).date(),
        code=data.soort.value,
        melder_rol=data.melder_rol.value if data.melder_rol != MelderRol.zorgaanbieder else None,
        bron_object_id=data.melding_id,
    )
    await service.verwerk(werk, data.zorgaanbieder_id, [signaal], sector_als_onbekend=data.sector)


async def melding_gekoppeld(werk: HandlerContext, data: MeldingZorgaanbiederGekoppeld) -> None:
    if await repository.heeft_signaal(werk.session, "melding", data.melding_id):
        return  # counted when it arrived with its provider
    signaal = _signaal(werk, "melding", _event_dag(werk), code=data.soort.value, bron_object_id=data.melding_id)
    await service.verwerk(werk, data.zorgaanbieder_id, [signaal])


async def termijn_overschreden(werk: HandlerContext, data: MeldingTermijnOverschreden) -> None:
    if data.zorgaanbieder_id is None:
        return
    signaal = _signaal(
        werk, "te-laat-gemeld", _event_dag(werk), code=data.soort.value, waarde=data.dagen_te_laat, bron_object_id=data.melding_id
    )
    await service.verwerk(werk, data.zorgaanbieder_id, [signaal])


async def rapport_te_laat(werk: HandlerContext, data: CalamiteitenrapportTeLaat | CalamiteitenrapportOntvangen) -> None:
    """An overdue calamiteitenrapport counts once, whether the deadline passed or the report arrived late."""
    if data.zorgaanbieder_id is None or (isinstance(data, CalamiteitenrapportOntvangen) and not data.te_laat):
        return
    if await repository.heeft_signaal(werk.session, "rapport-te-laat", data.melding_id):
        return
    await service.verwerk(werk, data.zorgaanbieder_id, [_signaal(werk, "rapport-te-laat", data.uiterlijk, bron_object_id=data.melding_id)])


# --- register ---------------------------------------------------------------------------------------------


def _feiten(data: ZorgaanbiederGeregistreerd | ZorgaanbiederAangemeld | ZorgaanbiederGewijzigd) -> dict[str, Any]:
    return {
        "sector": data.sectoren[0] if data.sectoren else None,
        "gemeente_code": data.vestigingen[0].gemeente_code,
        "soort": data.soort,
    }


async def zorgaanbieder_bekend(werk: HandlerContext, data: ZorgaanbiederGeregistreerd | ZorgaanbiederGewijzigd) -> None:
    """register's facts on the profile (sector, gemeente of the first vestiging, solist or instelling)."""
    await service.verwerk(werk, data.zorgaanbieder_id, **_feiten(data))


async def zorgaanbieder_aangemeld(werk: HandlerContext, data: ZorgaanbiederAangemeld) -> None:
    """A Wtza melding: a new provider (points, and a visit due within the model's months) and its aandachtspunten."""
    start = data.startdatum_zorg or _event_dag(werk)
    signalen = [_signaal(werk, "nieuwe-zorgaanbieder", start)]
    signalen += [
        _signaal(werk, "aandachtspunt", _event_dag(werk), volgnummer=i, code=punt.regel)
        for i, punt in enumerate(data.aandachtspunten, start=1)
    ]
    await service.verwerk(werk, data.zorgaanbieder_id, signalen, startdatum=start, **_feiten(data))


async def zorgaanbieder_gestopt(werk: HandlerContext, data: ZorgaanbiederGestopt) -> None:
    await service.verwerk(werk, data.zorgaanbieder_id, gestopt_op=data.einddatum)


async def vergunning_aangevraagd(werk: HandlerContext, data: VergunningAangevraagd) -> None:
    """No points: a hard trigger, the wettelijk verplicht advies before CIBG's uiterste beslisdatum."""
    signaal = _signaal(
        werk, "vergunning-aangevraagd", data.aanvraag_compleet_op, uiterlijk=data.uiterste_beslisdatum, bron_object_id=data.vergunning_id
    )
    await service.verwerk(werk, data.zorgaanbieder_id, [signaal])


async def vergunning_besloten(werk: HandlerContext, data: VergunningVerleend | VergunningGeweigerd) -> None:
    """CIBG decided: no advice is due any more; a refusal is a signal of its own."""
    await repository.beeindig_signalen(werk.session, "vergunning-aangevraagd", data.vergunning_id, data.besluitdatum)
    signalen = []
    if isinstance(data, VergunningGeweigerd):
        signalen.append(_signaal(werk, "vergunning-geweigerd", data.besluitdatum, bron_object_id=data.vergunning_id))
    await service.verwerk(werk, data.zorgaanbieder_id, signalen)


async def vergunning_ingetrokken(werk: HandlerContext, data: VergunningIngetrokken) -> None:
    signaal = _signaal(
        werk, "vergunning-ingetrokken", data.intrekkingsdatum, code=data.intrekkingsgrond.value, bron_object_id=data.vergunning_id
    )
    await service.verwerk(werk, data.zorgaanbieder_id, [signaal])


# --- handhaving and toezicht's own judgements -------------------------------------------------------------------


async def maatregel_opgelegd(werk: HandlerContext, data: MaatregelOpgelegd) -> None:
    signaal = _signaal(
        werk, "maatregel", data.ingangsdatum, code=data.soort.value, uiterlijk=data.einddatum, bron_object_id=data.maatregel_id
    )
    await service.verwerk(werk, data.zorgaanbieder_id, [signaal])


async def maatregel_beeindigd(werk: HandlerContext, data: MaatregelBeeindigd) -> None:
    await repository.beeindig_signalen(werk.session, "maatregel", data.maatregel_id, data.einddatum)
    await service.verwerk(werk, data.zorgaanbieder_id)


async def maatregel_verlengd(werk: HandlerContext, data: MaatregelVerlengd) -> None:
    """A bevel extended by the Minister: its signal runs through the new last day."""
    await repository.verleng_signalen(werk.session, "maatregel", data.maatregel_id, data.einddatum)
    await service.verwerk(werk, data.zorgaanbieder_id)


async def vervolgtoezicht_gevraagd(werk: HandlerContext, data: VervolgtoezichtGevraagd) -> None:
    """handhaving: the term to comply with a measure ended. A signal without points that opens the planner's
    opvolging-maatregel trigger from the day after, until a judgement; once per measure, also when re-announced."""
    if await repository.heeft_signaal(werk.session, "vervolgtoezicht", data.maatregel_id):
        return
    signaal = _signaal(
        werk,
        "vervolgtoezicht",
        data.laatste_dag + timedelta(days=1),
        code=data.soort.value,
        uiterlijk=data.laatste_dag,
        bron_object_id=data.maatregel_id,
    )
    await service.verwerk(werk, data.zorgaanbieder_id, [signaal])


async def oordeel_vastgesteld(werk: HandlerContext, data: OordeelVastgesteld) -> None:
    """A judgement: its share of norms niet voldaan (and deels) is the signal; an ernstige tekortkoming makes it severe."""
    signaal = _signaal(
        werk,
        "oordeel",
        data.vastgesteld_op,
        code=data.soort.value,
        waarde=data.aantal_niet_voldaan / data.aantal_normen,  # not rounded: 2.5/6 must give 41.67, not 41.66
        waarde_deels=data.aantal_deels / data.aantal_normen,
        ernstig=any(t.ernst == Ernst.ernstig for t in data.tekortkomingen),
        bron_object_id=data.oordeel_id,
    )
    await service.verwerk(werk, data.zorgaanbieder_id, [signaal])


subscriptions = [
    Subscription(
        consumer="toezicht.meldingen",
        topic=Topic.meldingen.value,
        handlers={
            MeldingOntvangen: melding_ontvangen,
            MeldingZorgaanbiederGekoppeld: melding_gekoppeld,
            MeldingTermijnOverschreden: termijn_overschreden,
            CalamiteitenrapportTeLaat: rapport_te_laat,
            CalamiteitenrapportOntvangen: rapport_te_laat,
        },
    ),
    Subscription(
        consumer="toezicht.zorgaanbieders",
        topic=Topic.zorgaanbieders.value,
        handlers={
            ZorgaanbiederGeregistreerd: zorgaanbieder_bekend,
            ZorgaanbiederGewijzigd: zorgaanbieder_bekend,
            ZorgaanbiederAangemeld: zorgaanbieder_aangemeld,
            ZorgaanbiederGestopt: zorgaanbieder_gestopt,
            VergunningAangevraagd: vergunning_aangevraagd,
            VergunningVerleend: vergunning_besloten,
            VergunningGeweigerd: vergunning_besloten,
            VergunningIngetrokken: vergunning_ingetrokken,
        },
    ),
    Subscription(
        consumer="toezicht.maatregelen",
        topic=Topic.maatregelen.value,
        handlers={
            MaatregelOpgelegd: maatregel_opgelegd,
            MaatregelBeeindigd: maatregel_beeindigd,
            MaatregelVerlengd: maatregel_verlengd,
            VervolgtoezichtGevraagd: vervolgtoezicht_gevraagd,
        },
    ),
    Subscription(
        consumer="toezicht.toezichtactiviteiten",
        topic=Topic.toezichtactiviteiten.value,
        handlers={OordeelVastgesteld: oordeel_vastgesteld},
    ),
]
