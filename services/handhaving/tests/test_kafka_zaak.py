"""The event path on the real Kafka broker: a judgement with shortcomings from toezicht's topic opens one case,
however often it arrives; a bekendgemaakte measure reaches the maatregelen topic (issue 10, item 1 and 8)."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import date

import pytest

from handhaving import repository
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.events.contracts.toezicht import OordeelVastgesteld, Tekortkoming
from zorgtoezicht.events.envelope import EventFactory, Topic
from zorgtoezicht.messaging.kafka import KafkaConsumerLoop, KafkaPublisher, all_topics, ensure_topics
from zorgtoezicht.testing.harness import start_service
from zorgtoezicht.testing.kafka import eventually, produce, read_topic

pytestmark = pytest.mark.kafka
FACTORY = EventFactory(oin="00000001234567890000", system="toezicht", api_base_url="http://toezicht.test/api/v1")
VASTSTELLING = {"motivering": "m", "grondslag": "Wkkgz art. 27", "rechtsmiddelenclausule": "bezwaar binnen zes weken"}


async def test_a_judgement_on_kafka_opens_one_case_and_its_measure_reaches_the_maatregelen_topic(databases, auth, kafka, unique):
    prefix = f"t{unique}."
    await ensure_topics(kafka.bootstrap_servers, all_topics(), partitions=3, prefix=prefix)
    publisher = KafkaPublisher(kafka.bootstrap_servers, client_id="handhaving-test", topic_prefix=prefix, request_timeout_ms=5000)
    handhaving = await start_service("handhaving", databases, auth, publisher=publisher)
    [processor] = [p for p in handhaving.runtime.processors(publisher) if p.subscription.consumer == "handhaving.toezichtactiviteiten"]
    stop = asyncio.Event()
    loop = asyncio.create_task(KafkaConsumerLoop(kafka.bootstrap_servers, processor, topic_prefix=prefix).run(stop))
    try:
        zorgaanbieder_id = uuid.uuid4()
        async with handhaving.runtime.db.transaction() as session:
            await repository.add_zorgaanbieder(session, zorgaanbieder_id, "12345678")
        oordeel = OordeelVastgesteld(
            activiteit_id=uuid.uuid4(),
            oordeel_id=uuid.uuid4(),
            zorgaanbieder_id=zorgaanbieder_id,
            soort="inspectiebezoek",
            sector=next(iter(Sector)),
            normenkader_versie="1@abc",
            vastgesteld_op=date(2026, 5, 29),
            aantal_normen=3,
            aantal_voldaan=2,
            aantal_deels=0,
            aantal_niet_voldaan=1,
            tekortkomingen=[Tekortkoming(norm_id="vv-1.1", oordeel="niet-voldaan", ernst="ernstig")],
        )
        event = FACTORY.build(oordeel)
        topic = prefix + Topic.toezichtactiviteiten.value
        await produce(kafka.bootstrap_servers, topic, event.to_bytes(), key=event.subject)
        await produce(kafka.bootstrap_servers, topic, event.to_bytes(), key=event.subject)  # redelivered
        opnieuw = FACTORY.build(oordeel)  # the same judgement, announced again under a new event id
        await produce(kafka.bootstrap_servers, topic, opnieuw.to_bytes(), key=opnieuw.subject)
        await eventually(lambda: processor.stats["handled"] + processor.stats["duplicates"] >= 3)
        assert (processor.stats["handled"], processor.stats["duplicates"], processor.stats["dead"]) == (2, 1, 0)
        assert await handhaving.scalar("SELECT count(*) FROM handhavingszaak WHERE zorgaanbieder_id = :id", id=zorgaanbieder_id) == 1
        zaak_id = await handhaving.scalar("SELECT id FROM handhavingszaak")

        inspecteur = auth.headers("inspecteur", "handhaving.besluiten.voorstellen")
        jurist = auth.headers("jurist", "handhaving.besluiten.nemen")
        b = await handhaving.client.post(
            f"/api/v1/handhavingszaken/{zaak_id}/besluiten",
            json={"besluittype": "aanwijzing", "toelichting": "t", "instrumentgegevens": {"termijnDagen": 42}},
            headers=inspecteur,
        )
        besluit_id = b.json()["id"]
        genomen = await handhaving.client.post(
            f"/api/v1/besluiten/{besluit_id}/vaststelling", json={**VASTSTELLING, "spoedreden": "acuut"}, headers=jurist
        )
        assert genomen.status_code == 200, genomen.text
        assert (await handhaving.client.post(f"/api/v1/besluiten/{besluit_id}/bekendmaking", json={}, headers=jurist)).status_code == 200
        await handhaving.relay_all()
        records = await read_topic(
            kafka.bootstrap_servers,
            prefix + Topic.maatregelen.value,
            until=lambda rs: any(json.loads(r.value)["data"].get("maatregelId") == besluit_id for r in rs),
        )
        [opgelegd] = [json.loads(r.value) for r in records if json.loads(r.value)["data"].get("maatregelId") == besluit_id]
        assert opgelegd["type"].endswith("maatregel-opgelegd") and opgelegd["data"]["soort"] == "aanwijzing"
        stappen = await read_topic(kafka.bootstrap_servers, prefix + Topic.handhavingszaken.value, until=lambda rs: len(rs) >= 4)
        # keyed by case and by besluit: different partitions, so no order across them
        assert sorted(json.loads(r.value)["type"].rsplit(".", 1)[-1] for r in stappen) == [
            "besluit-bekendgemaakt",
            "besluit-genomen",
            "besluit-voorgenomen",
            "handhavingszaak-geopend",
        ]
    finally:
        stop.set()
        await loop
        await publisher.stop()
        await handhaving.close()
