"""Nothing lost, nothing doubled — on the real Kafka broker (issue 2, acceptance 3 to 6)."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from meldpunt import voorbeelden
from zorgtoezicht import klok
from zorgtoezicht.events.contracts.meldpunt import MeldingOntvangen
from zorgtoezicht.events.envelope import CloudEvent, EventFactory, Topic
from zorgtoezicht.messaging.kafka import KafkaConsumerLoop, KafkaPublisher, all_topics, ensure_topics
from zorgtoezicht.settings import PlatformSettings
from zorgtoezicht.testing.harness import start_service
from zorgtoezicht.testing.kafka import eventually, produce, read_topic

pytestmark = pytest.mark.kafka

SCHRIJVEN = "meldpunt.meldingen.indienen"


@pytest.fixture
def prefix(unique) -> str:
    return f"t{unique}."


@pytest.fixture
async def topics(kafka, prefix) -> str:
    await ensure_topics(kafka.bootstrap_servers, all_topics(), partitions=3, prefix=prefix)
    return prefix


async def _meldpunt_on_kafka(databases, auth, kafka, prefix):
    publisher = KafkaPublisher(kafka.bootstrap_servers, client_id="meldpunt-relay-test", topic_prefix=prefix, request_timeout_ms=5000)
    platform = PlatformSettings(KAFKA_BOOTSTRAP_SERVERS=kafka.bootstrap_servers, topic_prefix=prefix)
    meldpunt = await start_service("meldpunt", databases, auth, publisher=publisher, platform=platform)
    await meldpunt.scalar(
        "INSERT INTO bekende_vestiging (vestigingsnummer, zorgaanbieder_id, kvk_nummer, gemeente, gemeente_code) "
        "VALUES ('000038509504', :id, '69599084', 'Utrecht', 'GM0344') RETURNING 1",
        id=uuid.uuid4(),
    )
    return meldpunt, publisher


def _melding() -> dict:
    return voorbeelden.melding("wkkgz-calamiteit")  # dates relative to today: a timely calamiteit


async def test_meldingen_accepted_while_kafka_is_down_all_arrive_after_it_returns(databases, auth, kafka, topics):
    meldpunt, publisher = await _meldpunt_on_kafka(databases, auth, kafka, topics)
    stop = asyncio.Event()
    relay = asyncio.create_task(meldpunt.runtime.relay(poll_interval=0.2).run(stop))
    stopped = False
    try:
        await asyncio.to_thread(kafka.stop)
        stopped = True
        ids = []
        for _ in range(25):
            response = await meldpunt.client.post("/api/v1/meldingen", json=_melding(), headers=auth.headers("ggz", SCHRIJVEN))
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
        # The relay tries meanwhile and must keep every row: wait until it has tried (and given back) all of
        # them, each with the error it failed on, rather than for a guessed second.
        await eventually(lambda: meldpunt.scalar("SELECT count(*) = 2 * 25 FROM outbox WHERE last_error IS NOT NULL"), timeout=60)
        assert await meldpunt.scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 2 * 25  # ontvangen + getrieerd
        ready = await meldpunt.client.get("/health/ready")
        assert ready.status_code == 503 and ready.json()["checks"]["bus"] == "down"

        await asyncio.to_thread(kafka.start)
        stopped = False
        await eventually(lambda: meldpunt.scalar("SELECT count(*) = 0 FROM outbox WHERE published_at IS NULL"), timeout=60)
        records = await read_topic(
            kafka.bootstrap_servers,
            topics + Topic.meldingen.value,
            until=lambda rs: len({json.loads(r.value)["data"]["meldingId"] for r in rs}) >= 25,
        )
        arrived = {json.loads(r.value)["data"]["meldingId"] for r in records}
        assert arrived == set(ids)
        assert all(r.key.decode() == json.loads(r.value)["subject"] for r in records)
        assert all(dict(r.headers)["content-type"].startswith(b"application/cloudevents+json") for r in records)
    finally:
        if stopped:  # a failure while the broker was down must not take it from the tests after this one
            await asyncio.to_thread(kafka.start)
        stop.set()
        await relay
        await publisher.stop()
        await meldpunt.close()


async def test_relay_dying_between_claim_and_publish_loses_nothing(databases, auth, kafka, topics):
    meldpunt, publisher = await _meldpunt_on_kafka(databases, auth, kafka, topics)
    try:
        response = await meldpunt.client.post("/api/v1/meldingen", json=_melding(), headers=auth.headers("ggz", SCHRIJVEN))
        assert response.status_code == 201
        # The first relay commits its claim (lease) and dies before it publishes anything. The clock
        # stands still at 10:00:00 and is moved by hand: the lease of 30 s holds through 10:00:30 itself.
        with klok.gebruik(klok.VasteKlok(datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC))) as tijd:
            dying = meldpunt.runtime.relay(lease=timedelta(seconds=30))
            _token, claimed = await dying.claim()
            assert len(claimed) == 2  # melding-ontvangen and melding-getrieerd
            del dying
            restarted = meldpunt.runtime.relay(lease=timedelta(seconds=30))
            assert await restarted.run_once() == 0  # the dead relay's lease still holds the rows
            tijd.verzet(timedelta(seconds=30))  # 10:00:30, the lease's last instant
            assert await restarted.run_once() == 0
            tijd.verzet(timedelta(microseconds=1))  # 10:00:30.000001: the lease has run out
            assert await restarted.run_once() == 2
        records = await read_topic(kafka.bootstrap_servers, topics + Topic.meldingen.value, until=lambda rs: len(rs) >= 2)
        assert sorted(json.loads(r.value)["type"].rsplit(".", 1)[1] for r in records) == ["melding-getrieerd", "melding-ontvangen"]
        assert {json.loads(r.value)["data"]["meldingId"] for r in records} == {response.json()["id"]}
        assert await meldpunt.scalar("SELECT min(attempts) FROM outbox") == 2
    finally:
        await publisher.stop()
        await meldpunt.close()


def _melding_ontvangen_event(zorgaanbieder_id: uuid.UUID) -> CloudEvent:
    factory = EventFactory(oin="00000001234567890000", system="meldpunt", api_base_url="http://meldpunt.test/api/v1")
    return factory.build(
        MeldingOntvangen(
            melding_id=uuid.uuid4(),
            zorgaanbieder_id=zorgaanbieder_id,
            vestigingsnummer="000038509504",
            soort="signaal",
            ontvangen_op="2026-11-23T10:00:00Z",
        )
    )


async def _toezicht_consuming(databases, auth, kafka, prefix):
    publisher = KafkaPublisher(kafka.bootstrap_servers, client_id="toezicht-test", topic_prefix=prefix)
    toezicht = await start_service("toezicht", databases, auth, publisher=publisher)
    [processor] = [p for p in toezicht.runtime.processors(publisher) if p.subscription.consumer == "toezicht.meldingen"]
    stop = asyncio.Event()
    loop = asyncio.create_task(KafkaConsumerLoop(kafka.bootstrap_servers, processor, topic_prefix=prefix).run(stop))
    return toezicht, publisher, processor, stop, loop


async def test_the_same_event_delivered_twice_is_applied_once(databases, auth, kafka, topics):
    toezicht, publisher, processor, stop, loop = await _toezicht_consuming(databases, auth, kafka, topics)
    try:
        zorgaanbieder_id = uuid.uuid4()
        event = _melding_ontvangen_event(zorgaanbieder_id)
        for _ in range(2):
            await produce(kafka.bootstrap_servers, topics + Topic.meldingen.value, event.to_bytes(), key=event.subject)
        await eventually(lambda: processor.stats["handled"] + processor.stats["duplicates"] >= 2)
        assert processor.stats == {"handled": 1, "duplicates": 1, "ignored": 0, "dead": 0}
        assert await toezicht.scalar("SELECT aantal_signalen FROM risicoprofiel WHERE zorgaanbieder_id = :id", id=zorgaanbieder_id) == 1
        assert await toezicht.scalar("SELECT count(*) FROM inbox") == 1
        assert await toezicht.scalar("SELECT count(*) FROM outbox") == 1  # one risicoprofiel-gewijzigd, not two
    finally:
        stop.set()
        await loop
        await publisher.stop()
        await toezicht.close()


async def test_malformed_messages_go_to_the_dead_letter_topic_and_later_ones_still_count(databases, auth, kafka, topics):
    toezicht, publisher, processor, stop, loop = await _toezicht_consuming(databases, auth, kafka, topics)
    topic = topics + Topic.meldingen.value
    try:
        zorgaanbieder_id = uuid.uuid4()
        wrong_data = _melding_ontvangen_event(zorgaanbieder_id).model_copy(update={"data": {"meldingId": "not-a-uuid"}})
        await produce(kafka.bootstrap_servers, topic, b"{this is not json", key=str(zorgaanbieder_id))
        await produce(kafka.bootstrap_servers, topic, wrong_data.to_bytes(), key=str(zorgaanbieder_id))
        good = _melding_ontvangen_event(zorgaanbieder_id)
        await produce(kafka.bootstrap_servers, topic, good.to_bytes(), key=str(zorgaanbieder_id))

        await eventually(lambda: processor.stats["handled"] >= 1 and processor.stats["dead"] >= 2)
        assert await toezicht.scalar("SELECT aantal_signalen FROM risicoprofiel WHERE zorgaanbieder_id = :id", id=zorgaanbieder_id) == 1
        dead = await read_topic(kafka.bootstrap_servers, topic + ".dlq", until=lambda rs: len(rs) >= 2)
        assert [r.value for r in dead] == [b"{this is not json", wrong_data.to_bytes()]
        errors = [dict(r.headers)["dlq-error"].decode() for r in dead]
        assert errors[0].startswith("not a CloudEvent")
        assert "data does not match nl.zorgtoezicht.meldingen.melding-ontvangen" in errors[1] and "meldingId" in errors[1]
        assert all(dict(r.headers)["dlq-consumer"] == b"toezicht.meldingen" for r in dead)
        assert await toezicht.scalar("SELECT count(*) FROM dead_letter") == 2
    finally:
        stop.set()
        await loop
        await publisher.stop()
        await toezicht.close()
