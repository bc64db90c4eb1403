"""register: Wtza meldingen from CIBG — idempotent on the reference, derived aandachtspunten, 403 for others."""

from __future__ import annotations

import copy

import pytest

from zorgtoezicht.testing.harness import start_service

WTZA = "register.wtza-meldingen.schrijven"
LEZEN = "register.zorgaanbieders.lezen"


def melding(referentie: str = "CIBG-2026-000123", **zorgaanbieder) -> dict:
    return {
        "cibgReferentie": referentie,
        "meldingsdatum": "2026-11-02",
        "zorgaanbieder": {
            "kvkNummer": "69599084",
            "statutaireNaam": "Thuiszorg Het Anker B.V.",
            "handelsnamen": ["Het Anker Wijkverpleging"],
            "rechtsvorm": "bv",
            "soort": "instelling",
            "sectoren": ["verpleging-en-verzorging"],
            "zorgsoorten": ["verpleging", "persoonlijke-verzorging"],
            "financiering": ["zvw"],
            "aantalZorgverleners": 11,
            "aantalClienten": 140,
            "heeftClientenraad": False,
            "heeftInternToezicht": False,
            "levertMsz": False,
            "startdatumZorg": "2027-01-04",
            "vestigingen": [
                {
                    "vestigingsnummer": "000038509504",
                    "naam": "Het Anker Zwolle",
                    "adres": "Stationsweg 1",
                    "postcode": "8011 CZ",
                    "plaats": "Zwolle",
                    "gemeenteCode": "GM0193",
                }
            ],
            **zorgaanbieder,
        },
    }


@pytest.fixture
async def register(databases, auth):
    service = await start_service("register", databases, auth)
    yield service
    await service.close()


async def test_a_melding_creates_the_provider_with_aandachtspunten_in_response_and_event(register, auth):
    response = await register.client.post("/api/v1/wtza-meldingen", json=melding(), headers=auth.headers("cibg", WTZA))
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["nieuweZorgaanbieder"] is True
    assert result["vergunningplichtig"] is True  # instelling, Zvw, 11 > 10 zorgverleners
    regels = {p["regel"] for p in result["aandachtspunten"]}
    assert "clientenraad-ontbreekt" in regels
    assert "intern-toezicht-ontbreekt" not in regels  # 11 is not above 25, even with verpleging
    event = await register.scalar("SELECT convert_from(payload, 'UTF8') FROM outbox WHERE event_type LIKE '%zorgaanbieder-aangemeld'")
    assert '"clientenraad-ontbreekt"' in event and "Anker" not in event and "Stationsweg" not in event
    detail = await register.client.get(f"/api/v1/zorgaanbieders/{result['zorgaanbiederId']}", headers=auth.headers("x", LEZEN))
    assert detail.json()["status"] == "aangemeld"  # reported before the start of care
    assert detail.json()["vestigingen"][0]["gemeente"] == "Zwolle"
    assert {a["regel"] for a in detail.json()["openAandachtspunten"]} == regels


async def test_the_same_melding_three_times_gives_one_provider_and_one_event(register, auth):
    headers = auth.headers("cibg", WTZA)
    responses = [await register.client.post("/api/v1/wtza-meldingen", json=melding(), headers=headers) for _ in range(3)]
    assert [r.status_code for r in responses] == [201, 201, 201]
    assert responses[0].json() == responses[1].json() == responses[2].json()
    assert "idempotent-replayed" not in responses[0].headers and responses[2].headers["idempotent-replayed"] == "true"
    assert await register.scalar("SELECT count(*) FROM zorgaanbieder") == 1
    assert await register.scalar("SELECT count(*) FROM outbox") == 1
    assert await register.scalar("SELECT count(*) FROM aandachtspunt") == len(responses[0].json()["aandachtspunten"])


async def test_a_reference_reused_for_other_content_is_409_and_changes_nothing(register, auth):
    headers = auth.headers("cibg", WTZA)
    assert (await register.client.post("/api/v1/wtza-meldingen", json=melding(), headers=headers)).status_code == 201
    before = await register.scalar("SELECT string_agg(t, ',') FROM (SELECT inhoud_hash || versie AS t FROM zorgaanbieder) x")
    other = melding(aantalZorgverleners=80)
    conflict = await register.client.post("/api/v1/wtza-meldingen", json=other, headers=headers)
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "referentie_hergebruikt"
    assert await register.scalar("SELECT string_agg(t, ',') FROM (SELECT inhoud_hash || versie AS t FROM zorgaanbieder) x") == before
    assert await register.scalar("SELECT count(*) FROM outbox") == 1
    assert await register.scalar("SELECT count(*) FROM audit_trail") == 1


async def test_a_second_melding_updates_the_provider_and_keeps_history(register, auth):
    headers = auth.headers("cibg", WTZA)
    first = (await register.client.post("/api/v1/wtza-meldingen", json=melding(), headers=headers)).json()
    second = await register.client.post(
        "/api/v1/wtza-meldingen", json=melding("CIBG-2026-000124", aantalZorgverleners=60, heeftClientenraad=True), headers=headers
    )
    assert second.status_code == 201
    assert second.json()["zorgaanbiederId"] == first["zorgaanbiederId"] and second.json()["nieuweZorgaanbieder"] is False
    assert {p["regel"] for p in second.json()["aandachtspunten"]} >= {"intern-toezicht-ontbreekt"}
    trail = await register.client.get(
        f"/api/v1/zorgaanbieders/{first['zorgaanbiederId']}/audittrail", headers=auth.headers("jurist", "register.audittrail.lezen")
    )
    assert trail.status_code == 200
    entries = trail.json()
    assert [e["actie"] for e in entries] == ["create", "update"]
    assert entries[1]["applicatieId"] == "cibg"
    assert entries[1]["wijzigingen"]["oud"]["aantalZorgverleners"] == 11
    assert entries[1]["wijzigingen"]["nieuw"]["aantalZorgverleners"] == 60
    assert entries[0]["hoofdObject"].endswith(f"/zorgaanbieders/{first['zorgaanbiederId']}")


async def test_only_cibg_may_deliver(register, auth):
    response = await register.client.post("/api/v1/wtza-meldingen", json=melding(), headers=auth.headers("nza", WTZA))
    assert response.status_code == 403
    assert await register.scalar("SELECT count(*) FROM zorgaanbieder") == 0


async def test_every_invalid_field_is_listed(register, auth):
    bad = copy.deepcopy(melding())
    z = bad["zorgaanbieder"]
    z["kvkNummer"] = "6959908"
    z["agbCode"] = "12"
    z["vestigingen"][0].update(vestigingsnummer="00003850950", postcode="8011CZ", gemeenteCode="GM9999")
    del z["statutaireNaam"]
    del bad["meldingsdatum"]
    response = await register.client.post("/api/v1/wtza-meldingen", json=bad, headers=auth.headers("cibg", WTZA))
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalidParams"]}
    assert names >= {
        "meldingsdatum",
        "zorgaanbieder.kvkNummer",
        "zorgaanbieder.agbCode",
        "zorgaanbieder.statutaireNaam",
        "zorgaanbieder.vestigingen.0.vestigingsnummer",
        "zorgaanbieder.vestigingen.0.postcode",
    }
    unknown_code = await register.client.post(
        "/api/v1/wtza-meldingen",
        json=melding(vestigingen=[{"vestigingsnummer": "000038509504", "postcode": "8011 CZ", "gemeenteCode": "GM9999"}]),
        headers=auth.headers("cibg", WTZA),
    )
    assert unknown_code.status_code == 400
    assert "GM9999" in unknown_code.json()["invalidParams"][0]["reason"]
    assert await register.scalar("SELECT count(*) FROM zorgaanbieder") == 0


async def test_a_new_name_is_found_and_the_old_one_no_longer(register, auth):
    # The word and word-pair index follow a renaming (the search reads them, not the name itself).
    headers = auth.headers("cibg", WTZA)
    await register.client.post("/api/v1/wtza-meldingen", json=melding(), headers=headers)
    renamed = melding("CIBG-2026-000125", statutaireNaam="Wijkzorg De Vuurtoren B.V.", handelsnamen=[])
    assert (await register.client.post("/api/v1/wtza-meldingen", json=renamed, headers=headers)).status_code == 201

    async def gevonden(naam: str) -> list[str]:
        response = await register.client.post("/api/v1/zorgaanbieders/_zoek", json={"naam": naam}, headers=auth.headers("x", LEZEN))
        return [r["kvkNummer"] for r in response.json()["results"]]

    assert await gevonden("wijkzorg vuurtoren") == ["69599084"]
    assert await gevonden("thuiszorg anker") == []
    paren = await register.scalar("SELECT array_agg(paar ORDER BY paar) FROM zorgaanbieder_woordpaar")
    assert paren == ["de vuurtoren", "de wijkzorg", "vuurtoren wijkzorg"]  # "B.V." is two single letters: no words
