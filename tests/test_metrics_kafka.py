"""Metrics while events flow on the real Kafka broker (issue 11, acceptance 1): each service's ``/metrics`` (API and
worker) shows the outbox backlog drain to 0, consumer lag rise during a burst and return to 0, a dead letter counted,
and no label with personal data or an id."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import httpx
import pytest

from meldpunt.voorbeelden import MELDER, melding
from zorgtoezicht.events.envelope import Topic
from zorgtoezicht.http.app import create_worker_app
from zorgtoezicht.messaging.kafka import KafkaConsumerLoop, KafkaPublisher, all_topics, ensure_topics
from zorgtoezicht.settings import PlatformSettings
from zorgtoezicht.testing.harness import SERVICES, start_service
from zorgtoezicht.testing.kafka import eventually, produce
from zorgtoezicht.testing.scrape import Scrape

pytestmark = pytest.mark.kafka

INDIENEN = "meldpunt.meldingen.indienen"
BURST = 30  # meldingen; each is two events on the meldingen topic (melding-ontvangen, melding-getrieerd)
HELD = "toezicht.meldingen"  # the consumer group held back until its lag has been seen


async def test_scrapes_show_the_backlog_drain_lag_return_to_zero_and_a_dead_letter(databases, auth, kafka, unique):
    prefix = f"t{unique}."
    bootstrap = kafka.bootstrap_servers
    await ensure_topics(bootstrap, all_topics(), partitions=3, prefix=prefix)
    platform = PlatformSettings(KAFKA_BOOTSTRAP_SERVERS=bootstrap, topic_prefix=prefix)
    services, workers, tasks = {}, {}, []
    stop, gate = asyncio.Event(), asyncio.Event()
    texts: list[str] = []  # every scrape, for the label scan at the end

    async def scrape(name: str, *, worker: bool = False) -> Scrape:
        client = workers[name] if worker else services[name].client
        response = await client.get("/metrics")
        assert response.status_code == 200, response.text
        texts.append(response.text)
        return Scrape.parse(response.text)

    try:
        for name in SERVICES:
            publisher = KafkaPublisher(bootstrap, client_id=f"{name}-metrics-test", topic_prefix=prefix)
            services[name] = await start_service(name, databases, auth, publisher=publisher, platform=platform)
            # The worker process's own endpoint on the same runtime (relay and consumers run in this process).
            workers[name] = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=create_worker_app(services[name].runtime)), base_url="http://w"
            )
        meldpunt, toezicht = services["meldpunt"], services["toezicht"]
        await meldpunt.scalar(
            "INSERT INTO bekende_vestiging (vestigingsnummer, zorgaanbieder_id, kvk_nummer, gemeente, gemeente_code) "
            "VALUES ('000038509504', :id, '69599084', 'Utrecht', 'GM0344') RETURNING 1",
            id=uuid.uuid4(),
        )

        # 1. A burst of meldingen while no relay runs: the backlog is in meldpunt's outbox.
        ids = []
        for _ in range(BURST):
            answered = await meldpunt.client.post(
                "/api/v1/meldingen", json=melding("wkkgz-calamiteit"), headers=auth.headers("ggz", INDIENEN)
            )
            assert answered.status_code == 201, answered.text
            ids.append(answered.json()["id"])
        backlog = await scrape("meldpunt")
        assert backlog.value("zt_outbox_pending") == 2 * BURST
        assert backlog.value("zt_outbox_oldest_age_seconds") > 0
        assert (await scrape("meldpunt", worker=True)).value("zt_outbox_pending") == 2 * BURST

        # 2. Every service's consumers and relay, as their worker processes run them; one group held back.
        for service in services.values():
            for processor in service.runtime.processors(service.runtime.publisher):
                if processor.subscription.consumer == HELD:
                    handle = processor.process_batch

                    async def held(messages, handle=handle):
                        await gate.wait()
                        await handle(messages)

                    processor.process_batch = held  # type: ignore[method-assign]
                tasks.append(asyncio.create_task(KafkaConsumerLoop(bootstrap, processor, topic_prefix=prefix).run(stop)))
            tasks.append(asyncio.create_task(service.runtime.relay(poll_interval=0.2).run(stop)))

        async def outbox_drained(name: str) -> bool:
            return (await scrape(name)).value("zt_outbox_pending") == 0

        await eventually(lambda: outbox_drained("meldpunt"), timeout=60)
        relayed = await scrape("meldpunt", worker=True)
        assert relayed.value("zt_relay_published_events_total", relay="meldpunt.relay") == 2 * BURST
        assert relayed.value("zt_outbox_oldest_age_seconds") == 0

        # 3. The held group's lag: every record of the burst, on the partitions it holds (all three: one member).
        async def lag(name: str, group: str) -> float | None:
            return (await scrape(name, worker=True)).value("zt_consumer_lag", group=group, topic=Topic.meldingen.value)

        await eventually(lambda: _equals(lag("toezicht", HELD), 2 * BURST), timeout=60)
        partitions = (await scrape("toezicht", worker=True)).labelled("zt_consumer_lag")
        assert sorted(ls["partition"] for ls in partitions if ls["group"] == HELD) == ["0", "1", "2"]
        await eventually(lambda: _equals(lag("handhaving", "handhaving.meldingen"), 0), timeout=60)  # not held: keeps up

        # 4. Released, it catches up: lag back to 0, and the events it caused drain from toezicht's outbox.
        gate.set()
        await eventually(lambda: _equals(lag("toezicht", HELD), 0), timeout=60)
        handled = await scrape("toezicht", worker=True)
        ontvangen = "nl.zorgtoezicht.meldingen.melding-ontvangen"
        assert handled.value("zt_events_handled_total", consumer=HELD, event_type=ontvangen) == BURST
        assert handled.value("zt_event_handler_duration_seconds_count", consumer=HELD, event_type=ontvangen) >= BURST
        for name in SERVICES:
            await eventually(lambda name=name: outbox_drained(name), timeout=60)

        # 5. A poison message: dead-lettered and counted by both groups that read the topic, and they move on.
        await produce(bootstrap, prefix + Topic.meldingen.value, b"{not json " + MELDER["email"].encode(), key="x")

        async def dead(name: str, group: str) -> float | None:
            return (await scrape(name, worker=True)).value(
                "zt_dead_letters_total", consumer=group, topic=Topic.meldingen.value, reason="unreadable"
            )

        await eventually(lambda: _equals(dead("toezicht", HELD), 1), timeout=60)
        await eventually(lambda: _equals(dead("handhaving", "handhaving.meldingen"), 1), timeout=60)
        assert await toezicht.scalar("SELECT count(*) FROM dead_letter") == 1
        await eventually(lambda: _equals(lag("toezicht", HELD), 0), timeout=60)

        async def lags(name: str) -> dict[str, float]:
            return {
                ls["group"] + "/" + ls["partition"]: v for n, ls, v in (await scrape(name, worker=True)).samples if n == "zt_consumer_lag"
            }

        for name in SERVICES:  # every group of every service ends with no lag, whatever it consumed
            await eventually(lambda name=name: _all_zero(lags(name)), timeout=60)
            figures = await scrape(name, worker=True)
            assert figures.value("zt_service_info", service=name) == 1
            assert figures.value("zt_db_pool_in_use") is not None

        # 6. No label, in any scrape, holds personal data, an id or a path.
        known = [MELDER["naam"], MELDER["email"], melding("wkkgz-calamiteit")["omschrijving"], *ids]
        for text in texts:
            assert not Scrape.parse(text).label_findings(known=known)
    finally:
        gate.set()
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 30)
        for name, service in services.items():
            await workers[name].aclose()
            with contextlib.suppress(Exception):
                await service.runtime.publisher.stop()
            await service.close()


async def _equals(figure, expected: float) -> bool:
    return await figure == expected


async def _all_zero(figures) -> bool:
    found = await figures
    return bool(found) and all(value == 0 for value in found.values())
