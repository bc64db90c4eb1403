"""register shows a measure handhaving imposed only from its ingangsdatum through its einddatum (issue 8),
ends it on maatregel-beeindigd, and shows the measures in force on another day with ``?peildatum=`` (issue 10,
acceptance 8, register half).

Both days count: einddatum is the last day a measure applies (handhaving accepts einddatum equal to
ingangsdatum, a one-day measure, so an exclusive end would never show it). A ZGW vervaldatum is the day a
besluit stops being in force: handhaving sends the day before as einddatum. The day is the Dutch one.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from zorgtoezicht import klok
from zorgtoezicht.events.contracts.handhaving import MaatregelBeeindigd, MaatregelOpgelegd, MaatregelVerlengd
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


async def _bezorg(register, data) -> None:
    """Deliver one of handhaving's events to register's own subscription, as the bus does."""
    bus = InProcessBus()
    for processor in register.runtime.processors(dead_letter_publisher=None):
        bus.subscribe(processor)
    event = EventFactory(oin="00000001234567890000", system="handhaving", api_base_url="http://handhaving.test/api/v1").build(data)
    await bus.publish_many([Message(Topic.maatregelen.value, event.subject, event.to_bytes())])


async def _opgelegd(register, zorgaanbieder_id: str, soort: str, ingangsdatum: str, einddatum: str | None) -> str:
    maatregel_id = uuid.uuid4()
    await _bezorg(
        register,
        MaatregelOpgelegd(
            maatregel_id=maatregel_id,
            zorgaanbieder_id=uuid.UUID(zorgaanbieder_id),
            soort=soort,
            ingangsdatum=ingangsdatum,
            einddatum=einddatum,
        ),
    )
    return str(maatregel_id)


async def _beeindigd(register, zorgaanbieder_id: str, maatregel_id: str, soort: str, einddatum: str) -> None:
    await _bezorg(
        register,
        MaatregelBeeindigd(
            maatregel_id=uuid.UUID(maatregel_id), zorgaanbieder_id=uuid.UUID(zorgaanbieder_id), soort=soort, einddatum=einddatum
        ),
    )


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


async def _op_peildatum(register, auth, zorgaanbieder_id: str, peildatum: str) -> list[str]:
    response = await register.client.get(
        f"/api/v1/zorgaanbieders/{zorgaanbieder_id}", params={"peildatum": peildatum}, headers=auth.headers("frontend", LEZEN)
    )
    assert response.status_code == 200, response.text
    return [m["maatregelId"] for m in response.json()["actieveMaatregelen"]]


async def test_a_measure_not_yet_in_force_is_not_shown_today_but_is_on_its_ingangsdatum(register, auth):
    zorgaanbieder_id = await _registreer(register, auth)
    # Today is 1 June 2027 (noon in Amsterdam); the aanwijzing takes effect on 15 June.
    with klok.gebruik(klok.VasteKlok(datetime(2027, 6, 1, 10, tzinfo=UTC))):
        aanwijzing = await _opgelegd(register, zorgaanbieder_id, "aanwijzing", "2027-06-15", None)
        assert await _op_peildatum(register, auth, zorgaanbieder_id, "2027-06-14") == []
        assert await _op_peildatum(register, auth, zorgaanbieder_id, "2027-06-15") == [aanwijzing]
    assert await _getoond(register, auth, zorgaanbieder_id, datetime(2027, 6, 1, 10, tzinfo=UTC)) == []


async def test_maatregel_beeindigd_ends_it_after_its_new_last_day(register, auth):
    zorgaanbieder_id = await _registreer(register, auth)
    dwangsom = await _opgelegd(register, zorgaanbieder_id, "last-onder-dwangsom", "2027-09-01", "2027-12-31")
    anders = await _opgelegd(register, zorgaanbieder_id, "aanwijzing", "2027-09-01", None)
    # Lifted: in force through 20 October, gone from 21 October; the other measure stays.
    await _beeindigd(register, zorgaanbieder_id, dwangsom, "last-onder-dwangsom", "2027-10-20")
    assert await _op_peildatum(register, auth, zorgaanbieder_id, "2027-08-31") == []
    assert sorted(await _op_peildatum(register, auth, zorgaanbieder_id, "2027-09-01")) == sorted([dwangsom, anders])
    assert sorted(await _op_peildatum(register, auth, zorgaanbieder_id, "2027-10-20")) == sorted([dwangsom, anders])
    assert await _op_peildatum(register, auth, zorgaanbieder_id, "2027-10-21") == [anders]
    assert await _op_peildatum(register, auth, zorgaanbieder_id, "2027-12-31") == [anders]
    # The open-ended one ends too; the replayed opgelegd event does not bring the old end back.
    await _beeindigd(register, zorgaanbieder_id, anders, "aanwijzing", "2028-01-31")
    await _bezorg(
        register,
        MaatregelOpgelegd(
            maatregel_id=uuid.UUID(dwangsom),
            zorgaanbieder_id=uuid.UUID(zorgaanbieder_id),
            soort="last-onder-dwangsom",
            ingangsdatum="2027-09-01",
            einddatum="2027-12-31",
        ),
    )
    assert await _op_peildatum(register, auth, zorgaanbieder_id, "2027-11-01") == [anders]
    assert await _op_peildatum(register, auth, zorgaanbieder_id, "2028-01-31") == [anders]
    assert await _op_peildatum(register, auth, zorgaanbieder_id, "2028-02-01") == []
    assert (
        await register.scalar(
            "SELECT count(*) FROM audit_trail WHERE hoofd_object_id = :z AND resource_weergave LIKE '%beëindigd'", z=zorgaanbieder_id
        )
        == 2
    )


async def test_an_end_of_an_unknown_measure_is_skipped(register, auth):
    zorgaanbieder_id = await _registreer(register, auth)
    await _beeindigd(register, zorgaanbieder_id, str(uuid.uuid4()), "bevel", "2027-10-20")
    assert await register.scalar("SELECT count(*) FROM actieve_maatregel") == 0


async def test_peildatum_must_be_a_date(register, auth):
    zorgaanbieder_id = await _registreer(register, auth)
    response = await register.client.get(
        f"/api/v1/zorgaanbieders/{zorgaanbieder_id}", params={"peildatum": "morgen"}, headers=auth.headers("frontend", LEZEN)
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["peildatum"]


async def test_a_bevel_extended_by_the_minister_stays_through_its_new_last_day(register, auth):
    zorgaanbieder_id = await _registreer(register, auth)
    bevel = await _opgelegd(register, zorgaanbieder_id, "bevel", "2026-06-01", "2026-06-07")  # 7 days, 1 through 7 June
    assert await _op_peildatum(register, auth, zorgaanbieder_id, "2026-06-08") == []
    await _bezorg(
        register,
        MaatregelVerlengd(
            maatregel_id=uuid.UUID(bevel), zorgaanbieder_id=uuid.UUID(zorgaanbieder_id), soort="bevel", einddatum="2026-06-14"
        ),
    )
    assert await _op_peildatum(register, auth, zorgaanbieder_id, "2026-06-14") == [bevel]
    assert await _op_peildatum(register, auth, zorgaanbieder_id, "2026-06-15") == []
