"""toezicht consumes handhaving's ``vervolgtoezicht-gevraagd`` (a term to comply ended: the planner's
opvolging-maatregel trigger opens, once, also for a redelivered or re-announced event) and ``maatregel-verlengd``
(a bevel's signal runs through its new last day). Issue 10, items 2 and 8. Dates by hand; the default model
(risicomodel.json: opvolging-maatregel, 0 days after the term)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from zorgtoezicht import klok
from zorgtoezicht.events.contracts.handhaving import MaatregelOpgelegd, MaatregelVerlengd, VervolgtoezichtGevraagd
from zorgtoezicht.events.envelope import EventData, EventFactory
from zorgtoezicht.messaging.bus import Message

LEZEN = "toezicht.risicoprofielen.lezen"
FACTORY = EventFactory(oin="00000001234567890000", system="test", api_base_url="http://test/api/v1")


def _op(dag: date) -> datetime:
    return datetime(dag.year, dag.month, dag.day, 10, 0, tzinfo=UTC)


async def _lever(toezicht, data: EventData, dag: date, *, keer: int = 1) -> dict:
    """Deliver one event ``keer`` times (a redelivery is the same message again); the processor's counts."""
    with klok.gebruik(klok.VasteKlok(_op(dag))):
        event = FACTORY.build(data)
        [processor] = [p for p in toezicht.runtime.processors(None) if p.subscription.topic == data.topic.value]
        voor = dict(processor.stats)
        for _ in range(keer):
            await processor.process(Message(data.topic.value, event.subject, event.to_bytes()))
    return {k: processor.stats[k] - voor.get(k, 0) for k in ("handled", "duplicates", "dead")}


async def _triggers(toezicht, auth, zorgaanbieder_id: uuid.UUID, dag: date) -> list[tuple[str, str, str | None]]:
    with klok.gebruik(klok.VasteKlok(_op(dag))):
        response = await toezicht.client.get(f"/api/v1/risicoprofielen/{zorgaanbieder_id}", headers=auth.headers("planner", LEZEN))
    assert response.status_code == 200, response.text
    return [(t["code"], t["uiterlijk"], t["bronId"]) for t in response.json()["triggers"]]


async def test_a_follow_up_is_asked_once_for_a_redelivered_and_a_reannounced_event(toezicht, auth):
    zid, plan = uuid.uuid4(), uuid.uuid4()
    gevraagd = VervolgtoezichtGevraagd(
        maatregel_id=plan, zaak_id=uuid.uuid4(), zorgaanbieder_id=zid, soort="verbeterplan", laatste_dag=date(2026, 7, 7)
    )
    assert await _lever(toezicht, gevraagd, date(2026, 7, 8), keer=2) == {"handled": 1, "duplicates": 1, "dead": 0}
    assert await _lever(toezicht, gevraagd, date(2026, 7, 9)) == {"handled": 1, "duplicates": 0, "dead": 0}  # a new event id
    rijen = await toezicht.scalar(
        "SELECT json_agg(json_build_array(code, peildatum, uiterlijk)) FROM signaal"
        " WHERE soort = 'vervolgtoezicht' AND bron_object_id = :m",
        m=plan,
    )
    assert rijen == [["verbeterplan", "2026-07-08", "2026-07-07"]]  # from the day after the term's last day (7 July)
    [(code, uiterlijk, bron)] = await _triggers(toezicht, auth, zid, date(2026, 7, 9))
    assert (code, uiterlijk) == ("opvolging-maatregel", "2026-07-07")  # the last day + 0 days (the default model)
    assert bron is not None
    assert (await toezicht.scalar("SELECT score FROM risicoprofiel WHERE zorgaanbieder_id = :z", z=zid)) == 0  # no points


async def test_an_extended_bevel_signal_runs_through_its_new_last_day(toezicht, auth):
    zid, bevel = uuid.uuid4(), uuid.uuid4()
    opgelegd = MaatregelOpgelegd(
        maatregel_id=bevel, zorgaanbieder_id=zid, soort="bevel", ingangsdatum=date(2026, 6, 1), einddatum=date(2026, 6, 7)
    )
    await _lever(toezicht, opgelegd, date(2026, 6, 1))
    verlengd = MaatregelVerlengd(maatregel_id=bevel, zorgaanbieder_id=zid, soort="bevel", einddatum=date(2026, 6, 14))
    assert await _lever(toezicht, verlengd, date(2026, 6, 5), keer=2) == {"handled": 1, "duplicates": 1, "dead": 0}
    rijen = await toezicht.scalar(
        "SELECT json_agg(json_build_array(peildatum, uiterlijk, geldig_tot)) FROM signaal WHERE bron_object_id = :m", m=bevel
    )
    assert rijen == [["2026-06-01", "2026-06-14", None]]
