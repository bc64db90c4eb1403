"""The walking skeleton through the chain, in process on the in-process bus (embedded mode)."""

from __future__ import annotations

from meldpunt import voorbeelden


async def test_provider_melding_risk_and_measure_flow_through_all_four(chain, auth):
    register, meldpunt, toezicht, handhaving = (chain[n] for n in ("register", "meldpunt", "toezicht", "handhaving"))
    created = await register.client.post(
        "/api/v1/zorgaanbieders",
        json={
            "kvkNummer": "69599084",
            "statutaireNaam": "Zorggroep De Linde B.V.",
            "vestigingen": [{"vestigingsnummer": "000038509504", "postcode": "3511 AB", "gemeente": "Utrecht"}],
        },
        headers=auth.headers("cibg", "register.zorgaanbieders.schrijven"),
    )
    assert created.status_code == 201, created.text
    zorgaanbieder_id = created.json()["id"]

    # Before register's event is relayed meldpunt does not know the vestiging.
    melding = voorbeelden.melding("wkkgz-calamiteit")  # dates relative to today: a timely calamiteit
    early = await meldpunt.client.post(
        "/api/v1/meldingen", json=melding, headers=auth.headers("zorgaanbieder", "meldpunt.meldingen.indienen")
    )
    assert early.status_code == 400
    assert early.json()["invalidParams"][0]["name"] == "vestigingsnummer"

    await chain.settle()
    accepted = await meldpunt.client.post(
        "/api/v1/meldingen", json=melding, headers=auth.headers("zorgaanbieder", "meldpunt.meldingen.indienen")
    )
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["zorgaanbiederId"] == zorgaanbieder_id
    await chain.settle()

    profiel = await toezicht.client.get(
        f"/api/v1/risicoprofielen/{zorgaanbieder_id}", headers=auth.headers("planner", "toezicht.risicoprofielen.lezen")
    )
    assert profiel.status_code == 200, profiel.text
    assert profiel.json()["aantalSignalen"] == 1

    maatregel = await handhaving.client.post(
        "/api/v1/maatregelen",
        json={
            "zorgaanbiederId": zorgaanbieder_id,
            "soort": "aanwijzing",
            "ingangsdatum": "2026-12-01",
            "motivering": "Tekortkomingen in medicatieveiligheid",
        },
        headers=auth.headers("jurist", "handhaving.maatregelen.schrijven"),
    )
    assert maatregel.status_code == 201, maatregel.text
    await chain.settle()

    detail = await register.client.get(
        f"/api/v1/zorgaanbieders/{zorgaanbieder_id}", headers=auth.headers("frontend", "register.zorgaanbieders.lezen")
    )
    assert [m["soort"] for m in detail.json()["actieveMaatregelen"]] == ["aanwijzing"]
    assert detail.json()["actieveMaatregelen"][0]["maatregelId"] == maatregel.json()["id"]

    # The correlation id of the melding request travelled into toezicht's event.
    correlation = accepted.headers["x-correlation-id"]
    payload = await toezicht.scalar("SELECT convert_from(payload, 'UTF8') FROM outbox")
    assert f'"correlationid":"{correlation}"' in payload
