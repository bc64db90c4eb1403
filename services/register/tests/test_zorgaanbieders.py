"""register: registering, reading and listing zorgaanbieders; the refusals of bad input."""

from __future__ import annotations

import uuid

import pytest

from zorgtoezicht.testing.harness import start_service

LEZEN = "register.zorgaanbieders.lezen"
SCHRIJVEN = "register.zorgaanbieders.schrijven"


def aanbieder(kvk: str = "69599084", *vestigingsnummers: str) -> dict:
    nummers = vestigingsnummers or ("000038509504",)
    return {
        "kvkNummer": kvk,
        "statutaireNaam": "Zorggroep De Linde B.V.",
        "vestigingen": [{"vestigingsnummer": n, "postcode": "3511 AB", "gemeente": "Utrecht"} for n in nummers],
    }


@pytest.fixture
async def register(databases, auth):
    service = await start_service("register", databases, auth)
    yield service
    await service.close()


async def test_register_then_read_and_event_in_outbox(register, auth):
    response = await register.client.post("/api/v1/zorgaanbieders", json=aanbieder(), headers=auth.headers("cibg", SCHRIJVEN))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kvkNummer"] == "69599084"
    assert body["vestigingen"][0]["vestigingsnummer"] == "000038509504"
    assert response.headers["location"].endswith(f"/api/v1/zorgaanbieders/{body['id']}")
    assert response.headers["api-version"] == "1.0.0"

    read = await register.client.get(f"/api/v1/zorgaanbieders/{body['id']}", headers=auth.headers("frontend", LEZEN))
    assert read.status_code == 200
    assert read.json()["statutaireNaam"] == "Zorggroep De Linde B.V."

    events = await register.scalar(
        "SELECT count(*) FROM outbox WHERE event_type = :t", t="nl.zorgtoezicht.zorgaanbieders.zorgaanbieder-geregistreerd"
    )
    assert events == 1


async def test_list_pages_in_kvk_order_without_gaps(register, auth):
    kvks = [f"{10000000 + i * 7:08d}" for i in range(7)]
    for i, kvk in enumerate(reversed(kvks)):
        r = await register.client.post(
            "/api/v1/zorgaanbieders", json=aanbieder(kvk, f"{100000000000 + i:012d}"), headers=auth.headers("cibg", SCHRIJVEN)
        )
        assert r.status_code == 201, r.text
    seen, url = [], "/api/v1/zorgaanbieders?pageSize=3"
    while url:
        page = await register.client.get(url, headers=auth.headers("frontend", LEZEN))
        assert page.status_code == 200, page.text
        seen += [item["kvkNummer"] for item in page.json()["results"]]
        url = page.json().get("next")
    assert seen == sorted(kvks)


async def test_duplicate_kvk_is_409_and_writes_nothing(register, auth):
    headers = auth.headers("cibg", SCHRIJVEN)
    assert (await register.client.post("/api/v1/zorgaanbieders", json=aanbieder(), headers=headers)).status_code == 201
    again = await register.client.post("/api/v1/zorgaanbieders", json=aanbieder("69599084", "000038509505"), headers=headers)
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert await register.scalar("SELECT count(*) FROM vestiging") == 1
    assert await register.scalar("SELECT count(*) FROM outbox") == 1


async def test_unknown_provider_is_404(register, auth):
    r = await register.client.get(f"/api/v1/zorgaanbieders/{uuid.uuid4()}", headers=auth.headers("frontend", LEZEN))
    assert r.status_code == 404
    assert r.json()["status"] == 404
