"""Every allowed status change works; every other one is 409 and changes nothing (issue 4, acceptance 4)."""

from __future__ import annotations

import pytest

from meldpunt.voorbeelden import melding
from meldpunt.workflow import STATUSSEN, TOEGESTANE_OVERGANGEN

BEHANDELEN = "meldpunt.meldingen.behandelen"
# How to bring a fresh melding (status getrieerd after intake) into each status through allowed steps.
PAD = {
    "getrieerd": [],
    "in-behandeling": ["in-behandeling"],
    "wacht-op-zorgaanbieder": ["wacht-op-zorgaanbieder"],
    "afgesloten": ["afgesloten"],
    "doorverwezen": ["doorverwezen"],
    "heropend": ["afgesloten", "heropend"],
}
ALLE_PAREN = [(van, naar) for van in STATUSSEN if van != "ontvangen" for naar in STATUSSEN if naar != van]


async def _in_status(meldpunt, auth, status: str) -> str:
    created = await meldpunt.client.post("/api/v1/meldingen", json=melding("klacht"), headers=auth.headers("p", "meldpunt.meldingen.indienen"))
    melding_id = created.json()["id"]
    for stap in PAD[status]:
        response = await meldpunt.client.post(f"/api/v1/meldingen/{melding_id}/status", json={"status": stap},
                                              headers=auth.headers("b", BEHANDELEN))
        assert response.status_code == 200, response.text
    return melding_id


@pytest.mark.parametrize(("van", "naar"), ALLE_PAREN)
async def test_status_change(meldpunt, auth, van, naar):
    melding_id = await _in_status(meldpunt, auth, van)
    before = await meldpunt.scalar("SELECT count(*) FROM melding_status WHERE melding_id = :m", m=melding_id)
    response = await meldpunt.client.post(f"/api/v1/meldingen/{melding_id}/status", json={"status": naar, "toelichting": "test"},
                                          headers=auth.headers("b", BEHANDELEN))
    after = await meldpunt.scalar("SELECT count(*) FROM melding_status WHERE melding_id = :m", m=melding_id)
    if naar in TOEGESTANE_OVERGANGEN[van]:
        assert response.status_code == 200, response.text
        assert response.json()["status"] == naar and after == before + 1
    else:
        assert response.status_code == 409, response.text
        assert response.json()["code"] == "ongeldige_statusovergang" and after == before
        assert await meldpunt.scalar("SELECT status FROM melding WHERE id = :m", m=melding_id) == van


def test_the_table_is_complete_and_closed():
    assert set(TOEGESTANE_OVERGANGEN) == set(STATUSSEN)
    assert all(target in STATUSSEN for targets in TOEGESTANE_OVERGANGEN.values() for target in targets)
    assert set(PAD) == set(STATUSSEN) - {"ontvangen"}


async def test_closing_announces_it(meldpunt, auth):
    melding_id = await _in_status(meldpunt, auth, "afgesloten")
    assert await meldpunt.scalar("SELECT count(*) FROM outbox WHERE event_type LIKE '%melding-afgesloten'") == 1
    assert melding_id
