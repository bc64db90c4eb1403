"""A citizen names a provider loosely: meldpunt finds candidates in register, a person confirms one,
and toezicht counts the signal then (issue 4, point 2)."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from meldpunt.voorbeelden import melding
from zorgtoezicht.localpg import free_port
from zorgtoezicht.testing.harness import start_chain


async def test_loosely_named_provider_gets_candidates_and_is_linked_by_a_person(chain, auth):
    register, meldpunt, toezicht = chain["register"], chain["meldpunt"], chain["toezicht"]
    for kvk, naam, vnr, code in (
        ("69599084", "Zorggroep De Linde B.V.", "000038509504", "GM0344"),
        ("69599085", "Lindenhof Thuiszorg", "000038509505", "GM0363"),
    ):
        created = await register.client.post(
            "/api/v1/zorgaanbieders",
            json={
                "kvkNummer": kvk,
                "statutaireNaam": naam,
                "sectoren": ["verpleging-en-verzorging"],
                "vestigingen": [{"vestigingsnummer": vnr, "postcode": "3511 AB", "gemeenteCode": code}],
            },
            headers=auth.headers("staf", "register.zorgaanbieders.schrijven"),
        )
        assert created.status_code == 201, created.text
    await chain.settle()
    meldpunt.runtime.settings.register_url = "http://register.test"
    meldpunt.runtime.settings.register_token = SecretStr(auth.token("meldpunt", "register.zorgaanbieders.lezen"))
    meldpunt.runtime.state["register_transport"] = register.client._transport

    signaal = await meldpunt.client.post(
        "/api/v1/meldingen",
        json=melding("signaal", zorgaanbieder={"naam": "zorgroep linde", "plaats": "Utrecht"}),
        headers=auth.headers("webformulier", "meldpunt.meldingen.indienen"),
    )
    assert signaal.status_code == 201 and signaal.json()["zorgaanbiederId"] is None
    melding_id = signaal.json()["id"]
    await chain.settle()
    assert await toezicht.scalar("SELECT count(*) FROM signaal") == 0  # nothing to count yet (register's facts are no signal)

    kandidaten = await meldpunt.client.get(
        f"/api/v1/meldingen/{melding_id}/zorgaanbieder-kandidaten", headers=auth.headers("lmz", "meldpunt.meldingen.lezen")
    )
    assert kandidaten.status_code == 200, kandidaten.text
    assert [k["kvkNummer"] for k in kandidaten.json()][:1] == ["69599084"]
    gekozen = kandidaten.json()[0]["zorgaanbiederId"]

    behandelaar = auth.headers("lmz", "meldpunt.meldingen.behandelen")
    linked = await meldpunt.client.post(
        f"/api/v1/meldingen/{melding_id}/zorgaanbieder-koppeling",
        json={"zorgaanbiederId": gekozen, "vestigingsnummer": "000038509504"},
        headers=behandelaar,
    )
    assert linked.status_code == 200, linked.text
    assert linked.json()["zorgaanbiederId"] == gekozen and linked.json()["gemeenteCode"] == "GM0344"
    again = await meldpunt.client.post(
        f"/api/v1/meldingen/{melding_id}/zorgaanbieder-koppeling", json={"zorgaanbiederId": gekozen}, headers=behandelaar
    )
    assert again.status_code == 409
    await chain.settle()
    assert await toezicht.scalar("SELECT aantal_signalen FROM risicoprofiel WHERE zorgaanbieder_id = :z", z=gekozen) == 1


# --- register's refusals are answers, never meldpunt's 500 (issue 8, item 3) ------------------------------

KANDIDATEN = "/api/v1/meldingen/{}/zorgaanbieder-kandidaten"


@pytest.fixture
async def paar(databases, auth):
    """register and meldpunt only (the candidates need no other service)."""
    started = await start_chain(databases, auth, ("register", "meldpunt"))
    try:
        yield started
    finally:
        await started.close()


async def _signaal(paar, auth, token: str | None, **zorgaanbieder) -> str:
    """register with one provider; meldpunt wired to it with ``token``; a citizen's signaal naming ``zorgaanbieder``."""
    register, meldpunt = paar["register"], paar["meldpunt"]
    created = await register.client.post(
        "/api/v1/zorgaanbieders",
        json={
            "kvkNummer": "69599084",
            "statutaireNaam": "Zorggroep De Linde B.V.",
            "vestigingen": [{"vestigingsnummer": "000038509504", "postcode": "3511 AB", "gemeenteCode": "GM0344"}],
        },
        headers=auth.headers("staf", "register.zorgaanbieders.schrijven"),
    )
    assert created.status_code == 201, created.text
    meldpunt.runtime.settings.register_url = "http://register.test"
    meldpunt.runtime.settings.register_token = SecretStr(token) if token else None
    meldpunt.runtime.state["register_transport"] = register.client._transport
    meldpunt.runtime.state.pop("register_client", None)
    signaal = await meldpunt.client.post(
        "/api/v1/meldingen",
        json=melding("signaal", zorgaanbieder=zorgaanbieder),
        headers=auth.headers("webformulier", "meldpunt.meldingen.indienen"),
    )
    assert signaal.status_code == 201, signaal.text
    return signaal.json()["id"]


async def _kandidaten(paar, auth, melding_id: str):
    return await paar["meldpunt"].client.get(KANDIDATEN.format(melding_id), headers=auth.headers("lmz", "meldpunt.meldingen.lezen"))


async def test_a_name_register_refuses_as_invalid_finds_no_candidates(paar, auth):
    melding_id = await _signaal(paar, auth, auth.token("meldpunt", "register.zorgaanbieders.lezen"), naam="--")
    response = await _kandidaten(paar, auth, melding_id)  # register answers 400: "--" has no letters or digits
    assert response.status_code == 200, response.text
    assert response.json() == []


async def test_a_place_register_refuses_is_skipped_and_the_name_still_finds(paar, auth):
    melding_id = await _signaal(
        paar, auth, auth.token("meldpunt", "register.zorgaanbieders.lezen"), naam="Zorggroep De Linde", plaats="Utrecht " * 12
    )  # 96 characters: not a gemeente to register
    response = await _kandidaten(paar, auth, melding_id)
    assert response.status_code == 200, response.text
    assert [k["kvkNummer"] for k in response.json()] == ["69599084"]


@pytest.mark.parametrize("wat", ["no scope", "forged token", "no token"])
async def test_register_refusing_meldpunts_credentials_is_502(paar, auth, wat):
    token = {
        "no scope": auth.token("meldpunt", "register.audittrail.lezen"),  # 403
        "forged token": auth.forged_token("meldpunt", "register.zorgaanbieders.lezen"),  # 401
        "no token": None,
    }[wat]
    melding_id = await _signaal(paar, auth, token, naam="Zorggroep De Linde")
    response = await _kandidaten(paar, auth, melding_id)
    assert response.status_code == 502, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_register_unreachable_is_502(paar, auth):
    melding_id = await _signaal(paar, auth, auth.token("meldpunt", "register.zorgaanbieders.lezen"), naam="Zorggroep De Linde")
    meldpunt = paar["meldpunt"]
    meldpunt.runtime.state.pop("register_transport")
    meldpunt.runtime.state.pop("register_client", None)
    meldpunt.runtime.settings.register_url = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    response = await _kandidaten(paar, auth, melding_id)
    assert response.status_code == 502, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, b'{"title": "Internal Server Error"}'),
        (503, b"<html>maintenance</html>"),
        (200, b'{"results": [{"id": "not-an-id"}]}'),
        (200, b"not json"),
    ],
)
async def test_register_failing_or_answering_nonsense_is_502(paar, auth, status, body):
    # A stand-in for register's side of the wire only: a real register does not answer these on purpose.
    melding_id = await _signaal(paar, auth, auth.token("meldpunt", "register.zorgaanbieders.lezen"), naam="Zorggroep De Linde")
    meldpunt = paar["meldpunt"]
    meldpunt.runtime.state["register_transport"] = httpx.MockTransport(lambda request: httpx.Response(status, content=body))
    meldpunt.runtime.state.pop("register_client", None)
    response = await _kandidaten(paar, auth, melding_id)
    assert response.status_code == 502, response.text


async def test_the_502_is_declared_on_the_operation(paar):
    document = (await paar["meldpunt"].client.get("/api/v1/openapi.json")).json()
    responses = document["paths"]["/meldingen/{meldingId}/zorgaanbieder-kandidaten"]["get"]["responses"]
    assert "application/problem+json" in responses["502"]["content"]
