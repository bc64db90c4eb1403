"""GET /meldingen filters by the vocabulary of zorgtoezicht.domain: a value outside it is a 400 naming the
parameter (soort used to be free text and returned an empty page), a value inside it filters."""

from __future__ import annotations

import pytest

from meldpunt import voorbeelden

INDIENEN = "meldpunt.meldingen.indienen"
LEZEN = "meldpunt.meldingen.lezen"


@pytest.mark.parametrize(("parameter", "waarde"), [("status", "in behandeling"), ("route", "escaleren"), ("soort", "calamiteit")])
async def test_an_unknown_value_is_a_400_naming_the_parameter(meldpunt, auth, parameter, waarde):
    response = await meldpunt.client.get("/api/v1/meldingen", params={parameter: waarde}, headers=auth.headers("inspecteur", LEZEN))
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [p["name"] for p in response.json()["invalidParams"]] == [parameter]


async def test_a_known_value_filters(meldpunt, auth):
    ingediend = await meldpunt.client.post(
        "/api/v1/meldingen", json=voorbeelden.melding("klacht"), headers=auth.headers("zorgaanbieder", INDIENEN)
    )
    assert ingediend.status_code == 201, ingediend.text
    melding_id = ingediend.json()["id"]

    async def gevonden(**filters: str) -> list[str]:
        response = await meldpunt.client.get("/api/v1/meldingen", params=filters, headers=auth.headers("inspecteur", LEZEN))
        assert response.status_code == 200, response.text
        return [m["id"] for m in response.json()["results"]]

    assert await gevonden(soort="klacht") == [melding_id]
    assert await gevonden(soort="signaal") == []
    assert await gevonden(status="afgesloten") == []
    assert await gevonden(status=ingediend.json()["status"], route=ingediend.json()["triage"]["route"]) == [melding_id]
