"""register: licence applications, CIBG's 8-week decision term, decisions and withdrawal."""

from __future__ import annotations

import pytest

from zorgtoezicht.testing.harness import start_service

VERGUNNINGEN = "register.vergunningen.schrijven"
LEZEN = "register.zorgaanbieders.lezen"


@pytest.fixture
async def register_met_aanbieder(databases, auth):
    service = await start_service("register", databases, auth)
    created = await service.client.post(
        "/api/v1/zorgaanbieders",
        json={
            "kvkNummer": "12345678",
            "statutaireNaam": "Kliniek Oost B.V.",
            "soort": "instelling",
            "levertMsz": True,
            "vestigingen": [{"vestigingsnummer": "000011112222", "postcode": "7511 JN", "gemeenteCode": "GM0153"}],
        },
        headers=auth.headers("staf", "register.zorgaanbieders.schrijven"),
    )
    assert created.status_code == 201, created.text
    yield service, created.json()["id"]
    await service.close()


async def test_application_decision_and_withdrawal_with_an_event_each(register_met_aanbieder, auth):
    register, zorgaanbieder_id = register_met_aanbieder
    cibg = auth.headers("cibg", VERGUNNINGEN)
    aanvraag = await register.client.post(
        "/api/v1/vergunningen",
        json={"cibgReferentie": "VG-1", "zorgaanbiederId": zorgaanbieder_id, "aanvraagCompleetOp": "2026-03-02"},
        headers=cibg,
    )
    assert aanvraag.status_code == 201, aanvraag.text
    vergunning = aanvraag.json()
    assert vergunning["status"] == "aangevraagd"
    # 8 weeks end on Monday 27 April 2026, Koningsdag: the Atw moves the end to Tuesday 28 April.
    assert vergunning["uitersteBeslisdatum"] == "2026-04-28"
    replay = await register.client.post(
        "/api/v1/vergunningen",
        json={"cibgReferentie": "VG-1", "zorgaanbiederId": zorgaanbieder_id, "aanvraagCompleetOp": "2026-03-02"},
        headers=cibg,
    )
    assert replay.status_code == 201 and replay.json()["id"] == vergunning["id"]

    verleend = await register.client.post(
        f"/api/v1/vergunningen/{vergunning['id']}/besluit", json={"besluit": "verleend", "besluitdatum": "2026-04-10"}, headers=cibg
    )
    assert verleend.status_code == 200 and verleend.json()["status"] == "verleend"
    again = await register.client.post(
        f"/api/v1/vergunningen/{vergunning['id']}/besluit",
        json={"besluit": "geweigerd", "besluitdatum": "2026-04-11", "weigeringsgrond": "x"},
        headers=cibg,
    )
    assert again.status_code == 409
    ingetrokken = await register.client.post(
        f"/api/v1/vergunningen/{vergunning['id']}/intrekking",
        json={"intrekkingsdatum": "2027-01-01", "grond": "een-jaar-geen-zorg"},
        headers=cibg,
    )
    assert ingetrokken.status_code == 200 and ingetrokken.json()["intrekkingsgrond"] == "een-jaar-geen-zorg"
    bad_ground = await register.client.post(
        f"/api/v1/vergunningen/{vergunning['id']}/intrekking", json={"intrekkingsdatum": "2027-01-01", "grond": "zomaar"}, headers=cibg
    )
    assert bad_ground.status_code == 400

    types = await register.scalar("SELECT string_agg(split_part(event_type, '.', 4), ',' ORDER BY id) FROM outbox")
    assert types == "zorgaanbieder-geregistreerd,vergunning-aangevraagd,vergunning-verleend,vergunning-ingetrokken"
    detail = await register.client.get(f"/api/v1/zorgaanbieders/{zorgaanbieder_id}", headers=auth.headers("x", LEZEN))
    assert detail.json()["vergunningstatus"] == "ingetrokken"


async def test_overdue_applications_are_listed(register_met_aanbieder, auth):
    register, zorgaanbieder_id = register_met_aanbieder
    cibg = auth.headers("cibg", VERGUNNINGEN)
    old = await register.client.post(
        "/api/v1/vergunningen",
        json={"cibgReferentie": "VG-OUD", "zorgaanbiederId": zorgaanbieder_id, "aanvraagCompleetOp": "2025-01-06"},
        headers=cibg,
    )
    assert old.status_code == 201
    listing = await register.client.get("/api/v1/vergunningen?achterstallig=true", headers=auth.headers("x", LEZEN))
    assert [v["cibgReferentie"] for v in listing.json()["results"]] == ["VG-OUD"]
    assert listing.json()["results"][0]["achterstallig"] is True


async def test_refusal_needs_a_ground_and_only_cibg_decides(register_met_aanbieder, auth):
    register, zorgaanbieder_id = register_met_aanbieder
    cibg = auth.headers("cibg", VERGUNNINGEN)
    v = (
        await register.client.post(
            "/api/v1/vergunningen",
            json={"cibgReferentie": "VG-2", "zorgaanbiederId": zorgaanbieder_id, "aanvraagCompleetOp": "2026-06-01"},
            headers=cibg,
        )
    ).json()
    no_ground = await register.client.post(
        f"/api/v1/vergunningen/{v['id']}/besluit", json={"besluit": "geweigerd", "besluitdatum": "2026-06-20"}, headers=cibg
    )
    assert no_ground.status_code == 400
    other = await register.client.post(
        f"/api/v1/vergunningen/{v['id']}/besluit",
        json={"besluit": "verleend", "besluitdatum": "2026-06-20"},
        headers=auth.headers("nza", VERGUNNINGEN),
    )
    assert other.status_code == 403
