"""A citizen names a provider loosely: meldpunt finds candidates in register, a person confirms one,
and toezicht counts the signal then (issue 4, point 2)."""

from __future__ import annotations

from pydantic import SecretStr

from meldpunt.voorbeelden import melding


async def test_loosely_named_provider_gets_candidates_and_is_linked_by_a_person(chain, auth):
    register, meldpunt, toezicht = chain["register"], chain["meldpunt"], chain["toezicht"]
    for kvk, naam, vnr, code in (("69599084", "Zorggroep De Linde B.V.", "000038509504", "GM0344"),
                                 ("69599085", "Lindenhof Thuiszorg", "000038509505", "GM0363")):
        created = await register.client.post("/api/v1/zorgaanbieders", json={
            "kvkNummer": kvk, "statutaireNaam": naam, "sectoren": ["verpleging-en-verzorging"],
            "vestigingen": [{"vestigingsnummer": vnr, "postcode": "3511 AB", "gemeenteCode": code}]},
            headers=auth.headers("staf", "register.zorgaanbieders.schrijven"))
        assert created.status_code == 201, created.text
    await chain.settle()
    meldpunt.runtime.settings.register_url = "http://register.test"
    meldpunt.runtime.settings.register_token = SecretStr(auth.token("meldpunt", "register.zorgaanbieders.lezen"))
    meldpunt.runtime.state["register_transport"] = register.client._transport

    signaal = await meldpunt.client.post("/api/v1/meldingen", json=melding("signaal", zorgaanbieder={"naam": "zorgroep linde", "plaats": "Utrecht"}),
                                         headers=auth.headers("webformulier", "meldpunt.meldingen.indienen"))
    assert signaal.status_code == 201 and signaal.json()["zorgaanbiederId"] is None
    melding_id = signaal.json()["id"]
    await chain.settle()
    assert await toezicht.scalar("SELECT count(*) FROM risicoprofiel") == 0  # nothing to count yet

    kandidaten = await meldpunt.client.get(f"/api/v1/meldingen/{melding_id}/zorgaanbieder-kandidaten",
                                           headers=auth.headers("lmz", "meldpunt.meldingen.lezen"))
    assert kandidaten.status_code == 200, kandidaten.text
    assert [k["kvkNummer"] for k in kandidaten.json()][:1] == ["69599084"]
    gekozen = kandidaten.json()[0]["zorgaanbiederId"]

    behandelaar = auth.headers("lmz", "meldpunt.meldingen.behandelen")
    linked = await meldpunt.client.post(f"/api/v1/meldingen/{melding_id}/zorgaanbieder-koppeling",
                                        json={"zorgaanbiederId": gekozen, "vestigingsnummer": "000038509504"}, headers=behandelaar)
    assert linked.status_code == 200, linked.text
    assert linked.json()["zorgaanbiederId"] == gekozen and linked.json()["gemeenteCode"] == "GM0344"
    again = await meldpunt.client.post(f"/api/v1/meldingen/{melding_id}/zorgaanbieder-koppeling", json={"zorgaanbiederId": gekozen},
                                       headers=behandelaar)
    assert again.status_code == 409
    await chain.settle()
    assert await toezicht.scalar("SELECT aantal_signalen FROM risicoprofiel WHERE zorgaanbieder_id = :z", z=gekozen) == 1
