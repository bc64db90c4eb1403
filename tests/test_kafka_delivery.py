"""Nothing lost, nothing doubled — on the real Kafka broker (issue 2, acceptance 3 to 6)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from aiokafka import AIOKafkaProducer

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


# --- keeping up (issue 9, acceptance 9): a poll's records in one transaction, a failing one alone to the DLQ --------


class Geweigerd(RuntimeError):
    """The test's handler refuses one event, every time."""


async def _produce_all(bootstrap: str, topic: str, events: list[CloudEvent], key: str) -> None:
    """All on one partition (one key), sent before the consumer starts, so that one poll brings them together."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        for event in events:
            await producer.send(topic, event.to_bytes(), key=key.encode())
        await producer.flush()
    finally:
        await producer.stop()


async def _toezicht_refusing(databases, auth, kafka, prefix, weigert: set[str]):
    """toezicht's own processor, its handlers wrapped so that the events named in ``weigert`` fail every time."""
    publisher = KafkaPublisher(kafka.bootstrap_servers, client_id="toezicht-test", topic_prefix=prefix)
    toezicht = await start_service("toezicht", databases, auth, publisher=publisher)
    [processor] = [p for p in toezicht.runtime.processors(publisher) if p.subscription.consumer == "toezicht.meldingen"]

    def refusing(handler):
        async def handle(werk, data):
            if werk.event.id in weigert:
                raise Geweigerd("this event's handler fails")
            await handler(werk, data)

        return handle

    processor.subscription = dataclasses.replace(
        processor.subscription,
        handlers={contract: refusing(h) for contract, h in processor.subscription.handlers.items()},
        initial_backoff=0.01,
    )
    stop = asyncio.Event()
    loop = asyncio.create_task(KafkaConsumerLoop(kafka.bootstrap_servers, processor, topic_prefix=prefix).run(stop))
    return toezicht, publisher, processor, stop, loop


async def test_a_poll_of_events_commits_in_a_few_transactions_not_one_per_event(databases, auth, kafka, topics):
    events = [_melding_ontvangen_event(uuid.uuid4()) for _ in range(40)]
    await _produce_all(kafka.bootstrap_servers, topics + Topic.meldingen.value, events, key="een-partitie")
    toezicht, publisher, processor, stop, loop = await _toezicht_refusing(databases, auth, kafka, topics, set())
    try:
        await eventually(lambda: processor.stats["handled"] >= 40)
        assert processor.stats == {"handled": 40, "duplicates": 0, "ignored": 0, "dead": 0}
        assert await toezicht.scalar("SELECT sum(aantal_signalen) FROM risicoprofiel") == 40
        # Rows written by one transaction share its xmin: one per event before batching, here one per poll.
        transactions = await toezicht.scalar("SELECT count(DISTINCT xmin::text) FROM inbox")
        assert transactions == processor.batches["committed"] <= 3, transactions
        assert await toezicht.scalar("SELECT count(*) FROM inbox") == 40
    finally:
        stop.set()
        await loop
        await publisher.stop()
        await toezicht.close()


async def test_one_failing_event_in_a_batch_goes_alone_to_the_dead_letter_topic(databases, auth, kafka, topics):
    topic = topics + Topic.meldingen.value
    events = [_melding_ontvangen_event(uuid.uuid4()) for _ in range(20)]
    poison = events[7]
    await _produce_all(kafka.bootstrap_servers, topic, [*events, events[3]], key="een-partitie")  # and one duplicate
    toezicht, publisher, processor, stop, loop = await _toezicht_refusing(databases, auth, kafka, topics, {poison.id})
    try:
        await eventually(lambda: processor.stats["dead"] >= 1 and processor.stats["handled"] + processor.stats["duplicates"] >= 20)
        assert processor.stats == {"handled": 19, "duplicates": 1, "ignored": 0, "dead": 1}
        assert processor.batches["fell_back"] >= 1  # the batch holding the failing event was split up
        dead = await read_topic(kafka.bootstrap_servers, topic + ".dlq", until=lambda rs: len(rs) >= 1, timeout=10)
        assert [r.value for r in dead] == [poison.to_bytes()]
        assert dict(dead[0].headers)["dlq-error"].decode().endswith("Geweigerd")
        assert dict(dead[0].headers)["dlq-consumer"] == b"toezicht.meldingen"
        assert await toezicht.scalar("SELECT count(*) FROM dead_letter") == 1
        assert (await toezicht.scalar("SELECT error FROM dead_letter")).endswith("Geweigerd")
        # every other event exactly once: its inbox row and its signal, the failing one's neither
        assert await toezicht.scalar("SELECT count(*) FROM inbox") == 19
        assert await toezicht.scalar("SELECT count(*) FROM inbox WHERE event_id = :id", id=uuid.UUID(poison.id)) == 0
        assert await toezicht.scalar("SELECT sum(aantal_signalen) FROM risicoprofiel") == 19
        assert await toezicht.scalar("SELECT max(aantal_signalen) FROM risicoprofiel") == 1
        poisoned_provider = uuid.UUID(poison.data["zorgaanbiederId"])
        assert await toezicht.scalar("SELECT count(*) FROM risicoprofiel WHERE zorgaanbieder_id = :id", id=poisoned_provider) == 0
    finally:
        stop.set()
        await loop
        await publisher.stop()
        await toezicht.close()
