"""The chain end to end across four services running as separate processes on Kafka (issue 2, acceptance 2)."""

from __future__ import annotations

import os

import httpx
import pytest

from meldpunt import voorbeelden
from zorgtoezicht.localpg import free_port
from zorgtoezicht.runner import load_definition
from zorgtoezicht.testing.harness import SERVICES
from zorgtoezicht.testing.kafka import eventually
from zorgtoezicht.testing.processes import ServiceProcesses
from zorgtoezicht.testing.scrape import Scrape

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


@pytest.fixture
async def running(databases, auth, kafka, unique, tmp_path):
    env = {
        **os.environ,
        **auth.env(),
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
        "ZT_TOPIC_PREFIX": f"p{unique}.",
        "ZT_LOG_LEVEL": "INFO",
    }
    services = {}
    for name in SERVICES:
        port = free_port()
        prefix = name.upper()
        env[f"{prefix}_DATABASE_URL"] = await databases.fresh(load_definition(name))
        env[f"{prefix}_PORT"] = str(port)
        env[f"{prefix}_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
        env[f"{prefix}_WORKER_PORT"] = str(free_port())  # the worker's /metrics and /health (issue 11)
        services[name] = (port, prefix)
    started = {name: ServiceProcesses(name, port, env, tmp_path) for name, (port, _) in services.items()}
    try:
        for service in started.values():
            service.start("api", "worker")
        for service in started.values():
            service.wait_ready()
        yield started
    finally:
        for service in started.values():
            service.stop()


async def test_provider_melding_and_measure_cross_four_separate_services(running, auth):
    register, meldpunt, toezicht, handhaving = (running[n] for n in ("register", "meldpunt", "toezicht", "handhaving"))
    async with httpx.AsyncClient(timeout=10) as http:
        created = await http.post(
            f"{register.base_url}/api/v1/zorgaanbieders",
            json={
                "kvkNummer": "69599084",
                "statutaireNaam": "Zorggroep De Linde B.V.",
                "vestigingen": [{"vestigingsnummer": "000038509504", "postcode": "3511 AB", "gemeente": "Utrecht"}],
            },
            headers=auth.headers("cibg", "register.zorgaanbieders.schrijven"),
        )
        assert created.status_code == 201, created.text
        zorgaanbieder_id = created.json()["id"]

        melding = voorbeelden.melding("wkkgz-calamiteit")  # dates relative to today: a timely calamiteit
        melder = auth.headers("zorgaanbieder", "meldpunt.meldingen.indienen")

        async def melding_accepted():
            response = await http.post(f"{meldpunt.base_url}/api/v1/meldingen", json=melding, headers=melder)
            assert response.status_code in (201, 400), response.text
            return response if response.status_code == 201 else None

        accepted = await eventually(melding_accepted, timeout=60, interval=0.5)  # once register's event reached meldpunt

        planner = auth.headers("planner", "toezicht.risicoprofielen.lezen")

        async def signal_counted():
            response = await http.get(f"{toezicht.base_url}/api/v1/risicoprofielen/{zorgaanbieder_id}", headers=planner)
            return response.status_code == 200 and response.json()["aantalSignalen"] == 1

        await eventually(signal_counted, timeout=60)

        jurist = auth.headers("jurist", "handhaving.maatregelen.schrijven")

        async def measure_imposed():
            response = await http.post(
                f"{handhaving.base_url}/api/v1/maatregelen",
                json={
                    "zorgaanbiederId": zorgaanbieder_id,
                    "soort": "last-onder-dwangsom",
                    "ingangsdatum": "2026-12-01",
                    "motivering": "Herhaalde tekortkomingen",
                },
                headers=jurist,
            )
            return response if response.status_code == 201 else None

        maatregel = await eventually(measure_imposed, timeout=60, interval=0.5)

        lezer = auth.headers("frontend", "register.zorgaanbieders.lezen")

        async def measure_shown():
            response = await http.get(f"{register.base_url}/api/v1/zorgaanbieders/{zorgaanbieder_id}", headers=lezer)
            return [m["maatregelId"] for m in response.json()["actieveMaatregelen"]]

        assert await eventually(measure_shown, timeout=60) == [maatregel.json()["id"]]

    # The melding's correlation id reached the consumer that counted it, in its own log.
    correlation = accepted.headers["x-correlation-id"]
    await eventually(lambda: correlation in toezicht.log("worker"), timeout=10)

    # Every process serves its own metrics (issue 11): each worker published its service's events and handled what it
    # consumes, with its lag back at 0; each API counted the requests it answered.
    async with httpx.AsyncClient(timeout=10) as http:
        for service in running.values():
            worker_url = f"http://127.0.0.1:{service.env[f'{service.name.upper()}_WORKER_PORT']}"
            assert (await http.get(f"{worker_url}/health/live")).status_code == 200

            async def caught_up(worker_url=worker_url):
                figures = Scrape.parse((await http.get(f"{worker_url}/metrics")).text)
                lags = [v for n, _, v in figures.samples if n == "zt_consumer_lag"]
                return figures if lags and all(v == 0 for v in lags) and figures.value("zt_outbox_pending") == 0 else None

            figures = await eventually(caught_up, timeout=60)
            assert figures.value("zt_relay_published_events_total", relay=f"{service.name}.relay") >= 1, service.name
            assert figures.value("zt_service_info", service=service.name) == 1
            api = Scrape.parse((await http.get(f"{service.base_url}/metrics")).text)
            assert api.value("zt_http_requests_total", operation="ready", status="200") >= 1  # wait_ready polled it
            assert not api.label_findings() and not figures.label_findings()
            if service is toezicht:
                assert figures.value("zt_events_handled_total", consumer="toezicht.meldingen") >= 1
