"""Metrics (issue 11): ``/metrics`` of each service outside ``/api/v1`` and without a token, labelled by operation id and
status (never a path with ids), a registry per runtime, and the consumer figures on the in-process bus."""

from __future__ import annotations

import uuid

from meldpunt.voorbeelden import MELDER, melding
from zorgtoezicht.events.envelope import EventFactory, Topic
from zorgtoezicht.messaging.bus import Message
from zorgtoezicht.metrics import ServiceMetrics
from zorgtoezicht.testing.scrape import Scrape

INDIENEN = "meldpunt.meldingen.indienen"


async def scrape(service) -> Scrape:
    response = await service.client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return Scrape.parse(response.text)


def test_two_registries_in_one_process_count_apart():
    first, second = ServiceMetrics("meldpunt"), ServiceMetrics("meldpunt")  # the same names: no clash
    first.observe_request("meldingIndienen", 201, 0.01)
    assert Scrape.parse(_text(first)).value("zt_http_requests_total", operation="meldingIndienen") == 1
    assert Scrape.parse(_text(second)).value("zt_http_requests_total") is None


def _text(metrics: ServiceMetrics) -> str:
    from prometheus_client import generate_latest

    return generate_latest(metrics.registry).decode()


def test_the_label_scan_finds_what_it_must():
    text = "\n".join(
        [
            "# TYPE x counter",
            'x_total{operation="/api/v1/meldingen/6f1c6a1e-1d7e-4c4e-9a51-5b1f0c2d3e4f"} 1',
            'x_total{operation="999999990"} 1',
            'x_total{operation="a@b.nl"} 1',
            'x_total{operation="Jansen"} 1',
            'x_total{operation="meldingOpvragen"} 1',
        ]
    )
    findings = Scrape.parse(text).label_findings(known=["Jansen"])
    assert [f.split("{")[1].split("}")[0] for f in findings] == [
        "operation='/api/v1/meldingen/6f1c6a1e-1d7e-4c4e-9a51-5b1f0c2d3e4f'",  # an id
        "operation='/api/v1/meldingen/6f1c6a1e-1d7e-4c4e-9a51-5b1f0c2d3e4f'",  # a path
        "operation='999999990'",  # a BSN
        "operation='999999990'",  # a long number
        "operation='a@b.nl'",
        "operation='Jansen'",
    ]


async def test_metrics_of_every_service_are_public_and_outside_the_api(chain):
    for name, service in chain.services.items():
        response = await service.client.get("/metrics")  # no token
        assert response.status_code == 200
        document = (await service.client.get("/api/v1/openapi.json")).json()
        assert not [path for path in document["paths"] if "metrics" in path]
        assert (await service.client.get("/api/v1/metrics")).status_code in (401, 404)
        figures = Scrape.parse(response.text)
        assert figures.value("zt_service_info", service=name) == 1
        assert figures.value("zt_outbox_pending") == 0
        assert figures.value("zt_outbox_oldest_age_seconds") == 0
        assert figures.value("zt_db_pool_in_use") is not None and figures.value("zt_db_pool_max") == 20  # 10 + overflow 10


async def test_requests_are_counted_per_operation_id_and_status_never_per_path(chain, auth):
    meldpunt = chain["meldpunt"]
    document = (await meldpunt.client.get("/api/v1/openapi.json")).json()
    path = "/meldingen/{meldingId}"
    operation = document["paths"][path]["get"]
    missing = uuid.uuid4()
    url = "/api/v1" + path.replace("{meldingId}", str(missing))
    for _ in range(2):
        answered = await meldpunt.client.get(url, headers=auth.headers("metrics-test", operation["x-required-scope"]))
        assert answered.status_code == 404, answered.text
    assert (await meldpunt.client.get(url)).status_code == 401
    assert (await meldpunt.client.get(f"/api/v1/nergens/{missing}")).status_code == 404

    figures = await scrape(meldpunt)
    assert figures.value("zt_http_requests_total", operation=operation["operationId"], status="404") == 2
    assert figures.value("zt_http_requests_total", operation=operation["operationId"], status="401") == 1
    assert figures.value("zt_http_request_duration_seconds_count", operation=operation["operationId"], status="404") == 2
    assert figures.value("zt_http_requests_total", operation="unmatched", status="404") == 1
    assert figures.value("zt_http_requests_total", operation="openapi_document", status="200") == 1
    assert not figures.label_findings(known=[str(missing)])
    # Each runtime counts its own: toezicht saw none of these.
    assert (await scrape(chain["toezicht"])).value("zt_http_requests_total", operation=operation["operationId"]) is None


async def test_group_commit_sizes_handlers_duplicates_and_dead_letters_on_the_in_process_bus(chain, auth):
    meldpunt, toezicht = chain["meldpunt"], chain["toezicht"]
    await meldpunt.scalar(
        "INSERT INTO bekende_vestiging (vestigingsnummer, zorgaanbieder_id, kvk_nummer, gemeente, gemeente_code) "
        "VALUES ('000038509504', :id, '69599084', 'Utrecht', 'GM0344') RETURNING 1",
        id=uuid.uuid4(),
    )
    for _ in range(3):
        answered = await meldpunt.client.post("/api/v1/meldingen", json=melding("wkkgz-calamiteit"), headers=auth.headers("ggz", INDIENEN))
        assert answered.status_code == 201, answered.text
    figures = await scrape(meldpunt)
    assert figures.value("zt_group_commit_size_sum", group="meldpunt.intake") == 3  # three meldingen, however grouped
    transactions = figures.value("zt_group_commit_size_count", group="meldpunt.intake")
    assert 1 <= transactions <= 3
    assert figures.value("zt_group_commit_size_bucket", group="meldpunt.intake", le="+Inf") == transactions
    assert figures.value("zt_outbox_pending") == 6  # melding-ontvangen and melding-getrieerd each, not yet relayed
    assert figures.value("zt_outbox_oldest_age_seconds") > 0

    await chain.settle()
    figures = await scrape(meldpunt)
    assert figures.value("zt_outbox_pending") == 0
    assert figures.value("zt_relay_published_events_total", relay="meldpunt.relay") == 6
    seen = await scrape(toezicht)
    ontvangen = "nl.zorgtoezicht.meldingen.melding-ontvangen"
    assert seen.value("zt_events_handled_total", consumer="toezicht.meldingen", event_type=ontvangen) == 3
    assert seen.value("zt_event_handler_duration_seconds_count", consumer="toezicht.meldingen", event_type=ontvangen) >= 3
    assert seen.value("zt_consumer_lag", group="toezicht.meldingen", topic=Topic.meldingen.value, partition="0") == 0

    # The same event twice (a redelivery) and a message that is no CloudEvent.
    factory = EventFactory(oin="00000001234567890000", system="meldpunt", api_base_url="http://meldpunt.test/api/v1")
    from zorgtoezicht.events.contracts.meldpunt import MeldingOntvangen

    event = factory.build(
        MeldingOntvangen(
            melding_id=uuid.uuid4(),
            zorgaanbieder_id=uuid.uuid4(),
            vestigingsnummer="000038509504",
            soort="signaal",
            ontvangen_op="2026-11-23T10:00:00Z",
        )
    )
    topic = Topic.meldingen.value
    await chain.bus.publish_many([Message(topic, event.subject, event.to_bytes())])
    await chain.bus.publish_many([Message(topic, event.subject, event.to_bytes())])
    await chain.bus.publish_many([Message(topic, "x", b"{not json " + MELDER["email"].encode())])
    seen = await scrape(toezicht)
    assert seen.value("zt_inbox_duplicates_skipped_total", consumer="toezicht.meldingen") == 1
    assert seen.value("zt_dead_letters_total", consumer="toezicht.meldingen", topic=topic, reason="unreadable") == 1
    assert seen.value("zt_dead_letters_total") == 1  # toezicht's consumers only: handhaving counts its own
    assert (await scrape(chain["handhaving"])).value("zt_dead_letters_total", consumer="handhaving.meldingen") == 1
    assert seen.value("zt_consumer_lag", group="toezicht.meldingen") == 0
    for service in chain.services.values():
        assert not (await scrape(service)).label_findings(known=[MELDER["email"], MELDER["naam"], event.subject])


def test_uvicorn_worker_processes_are_summed_in_multiprocess_mode(tmp_path):
    """``api --workers N``: each process counts into PROMETHEUS_MULTIPROC_DIR, any one of them answers with the sum."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    count = (
        "from zorgtoezicht.metrics import ServiceMetrics; m = ServiceMetrics('meldpunt'); "
        "m.observe_request('meldingIndienen', 201, 0.02); m.observe_request('meldingIndienen', 201, 0.03)"
    )
    for _ in range(2):  # two worker processes, one after the other (their files stay)
        subprocess.run([sys.executable, "-c", count], env=env, check=True, timeout=60)
    render = (
        "import asyncio, sys; from zorgtoezicht.metrics import ServiceMetrics; "
        "sys.stdout.write(asyncio.run(ServiceMetrics('meldpunt').render()).decode())"
    )
    answered = subprocess.run([sys.executable, "-c", render], env=env, check=True, timeout=60, capture_output=True, text=True).stdout
    figures = Scrape.parse(answered)
    assert figures.value("zt_http_requests_total", operation="meldingIndienen", status="201") == 4
    assert figures.value("zt_http_request_duration_seconds_count", operation="meldingIndienen", status="201") == 4
    assert figures.value("zt_service_info", service="meldpunt") == 1
