"""register shows a measure handhaving imposed only from its ingangsdatum through its einddatum (issue 8).

Both days count: einddatum is the last day a measure applies (handhaving accepts einddatum equal to
ingangsdatum, a one-day measure, so an exclusive end would never show it). The day is the Dutch one.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from zorgtoezicht import klok
from zorgtoezicht.events.contracts.handhaving import MaatregelOpgelegd
from zorgtoezicht.events.envelope import EventFactory, Topic
from zorgtoezicht.messaging.bus import InProcessBus, Message

LEZEN = "register.zorgaanbieders.lezen"


async def _registreer(register, auth) -> str:
    response = await register.client.post(
        "/api/v1/zorgaanbieders",
        json={
            "kvkNummer": "69599084",
            "statutaireNaam": "Zorggroep De Linde B.V.",
            "vestigingen": [{"vestigingsnummer": "000038509504", "postcode": "3511 AB", "gemeente": "Utrecht"}],
        },
        headers=auth.headers("cibg", "register.zorgaanbieders.schrijven"),
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def _opgelegd(register, zorgaanbieder_id: str, soort: str, ingangsdatum: str, einddatum: str | None) -> str:
    """Deliver handhaving's maatregel-opgelegd event to register's own subscription, as the bus does."""
    bus = InProcessBus()
    for processor in register.runtime.processors(dead_letter_publisher=None):
        bus.subscribe(processor)
    maatregel_id = uuid.uuid4()
    event = EventFactory(oin="00000001234567890000", system="handhaving", api_base_url="http://handhaving.test/api/v1").build(
        MaatregelOpgelegd(
            maatregel_id=maatregel_id,
            zorgaanbieder_id=uuid.UUID(zorgaanbieder_id),
            soort=soort,
            ingangsdatum=ingangsdatum,
            einddatum=einddatum,
        )
    )
    await bus.publish_many([Message(Topic.maatregelen.value, event.subject, event.to_bytes())])
    return str(maatregel_id)


async def _getoond(register, auth, zorgaanbieder_id: str, moment: datetime) -> list[str]:
    with klok.gebruik(klok.VasteKlok(moment)):
        response = await register.client.get(f"/api/v1/zorgaanbieders/{zorgaanbieder_id}", headers=auth.headers("frontend", LEZEN))
    assert response.status_code == 200, response.text
    return [m["maatregelId"] for m in response.json()["actieveMaatregelen"]]


async def test_a_measure_is_shown_from_its_ingangsdatum_through_its_einddatum(register, auth):
    zorgaanbieder_id = await _registreer(register, auth)
    aanwijzing = await _opgelegd(register, zorgaanbieder_id, "aanwijzing", "2027-03-10", "2027-03-20")

    # Noon in Amsterdam (11:00 UTC in March): the Dutch day is the date written.
    assert await _getoond(register, auth, zorgaanbieder_id, datetime(2027, 3, 9, 11, tzinfo=UTC)) == []
    assert await _getoond(register, auth, zorgaanbieder_id, datetime(2027, 3, 10, 11, tzinfo=UTC)) == [aanwijzing]
    assert await _getoond(register, auth, zorgaanbieder_id, datetime(2027, 3, 20, 11, tzinfo=UTC)) == [aanwijzing]
    assert await _getoond(register, auth, zorgaanbieder_id, datetime(2027, 3, 21, 11, tzinfo=UTC)) == []


async def test_the_edges_follow_the_dutch_day_not_the_utc_date(register, auth):
    zorgaanbieder_id = await _registreer(register, auth)
    bevel = await _opgelegd(register, zorgaanbieder_id, "bevel", "2027-03-10", "2027-03-16")

    # 23:30 UTC on 9 March is 00:30 on 10 March in Amsterdam (CET, UTC+1): the bevel applies already.
    assert await _getoond(register, auth, zorgaanbieder_id, datetime(2027, 3, 9, 22, 59, tzinfo=UTC)) == []
    assert await _getoond(register, auth, zorgaanbieder_id, datetime(2027, 3, 9, 23, 30, tzinfo=UTC)) == [bevel]
    # 23:30 UTC on 16 March is already 17 March in Amsterdam: the bevel no longer applies.
    assert await _getoond(register, auth, zorgaanbieder_id, datetime(2027, 3, 16, 22, 59, tzinfo=UTC)) == [bevel]
    assert await _getoond(register, auth, zorgaanbieder_id, datetime(2027, 3, 16, 23, 30, tzinfo=UTC)) == []


async def test_a_one_day_measure_and_an_open_ended_one(register, auth):
    zorgaanbieder_id = await _registreer(register, auth)
    eendaags = await _opgelegd(register, zorgaanbieder_id, "bevel", "2027-05-03", "2027-05-03")
    open_einde = await _opgelegd(register, zorgaanbieder_id, "verscherpt-toezicht", "2027-05-04", None)

    # 10:00 UTC is noon in Amsterdam in May (CEST, UTC+2).
    assert await _getoond(register, auth, zorgaanbieder_id, datetime(2027, 5, 2, 10, tzinfo=UTC)) == []
    assert await _getoond(register, auth, zorgaanbieder_id, datetime(2027, 5, 3, 10, tzinfo=UTC)) == [eendaags]
    assert await _getoond(register, auth, zorgaanbieder_id, datetime(2027, 5, 4, 10, tzinfo=UTC)) == [open_einde]
    assert await _getoond(register, auth, zorgaanbieder_id, datetime(2035, 1, 1, 10, tzinfo=UTC)) == [open_einde]
