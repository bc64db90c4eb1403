"""Every allowed status change works with a history row, an audit row and its event; every other one is 409 and
changes nothing (issue 4, acceptance 4; issue 8, acceptance 7).

The expectations are written out here by hand from the domain, not read from meldpunt/workflow.py: a
transition added to or dropped from the table makes a test fail.
"""

from __future__ import annotations

import pytest

from meldpunt.voorbeelden import melding

BEHANDELEN = "meldpunt.meldingen.behandelen"
STATUSSEN = ["ontvangen", "getrieerd", "in-behandeling", "wacht-op-zorgaanbieder", "afgesloten", "doorverwezen", "heropend"]
# The changes a behandelaar may make (ontvangen and getrieerd are set by intake and triage only).
TOEGESTAAN = {
    ("getrieerd", "in-behandeling"),
    ("getrieerd", "wacht-op-zorgaanbieder"),
    ("getrieerd", "doorverwezen"),
    ("getrieerd", "afgesloten"),
    ("in-behandeling", "wacht-op-zorgaanbieder"),
    ("in-behandeling", "afgesloten"),
    ("in-behandeling", "doorverwezen"),
    ("wacht-op-zorgaanbieder", "in-behandeling"),
    ("wacht-op-zorgaanbieder", "afgesloten"),
    ("afgesloten", "heropend"),
    ("doorverwezen", "heropend"),
    ("heropend", "in-behandeling"),
    ("heropend", "wacht-op-zorgaanbieder"),
    ("heropend", "afgesloten"),
}
# The event each step announces, besides nothing (type suffixes).
GEBEURTENIS = {"afgesloten": "melding-afgesloten", "doorverwezen": "melding-doorverwezen"}
# How to bring a fresh melding (status getrieerd after intake) into each status through allowed steps.
PAD = {
    "getrieerd": [],
    "in-behandeling": ["in-behandeling"],
    "wacht-op-zorgaanbieder": ["wacht-op-zorgaanbieder"],
    "afgesloten": ["afgesloten"],
    "doorverwezen": ["doorverwezen"],
    "heropend": ["afgesloten", "heropend"],
}
ALLE_PAREN = [(van, naar) for van in PAD for naar in STATUSSEN if naar != van]


async def _in_status(meldpunt, auth, status: str) -> str:
    created = await meldpunt.client.post(
        "/api/v1/meldingen", json=melding("klacht"), headers=auth.headers("p", "meldpunt.meldingen.indienen")
    )
    assert created.status_code == 201 and created.json()["status"] == "getrieerd", created.text
    melding_id = created.json()["id"]
    for stap in PAD[status]:
        response = await meldpunt.client.post(
            f"/api/v1/meldingen/{melding_id}/status", json={"status": stap}, headers=auth.headers("b", BEHANDELEN)
        )
        assert response.status_code == 200, response.text
    return melding_id


async def _sporen(meldpunt, melding_id: str) -> tuple[int, int, int]:
    """History rows, audit rows and events of this melding."""
    return (
        await meldpunt.scalar("SELECT count(*) FROM melding_status WHERE melding_id = :m", m=melding_id),
        await meldpunt.scalar("SELECT count(*) FROM audit_trail WHERE hoofd_object_id = :m", m=melding_id),
        await meldpunt.scalar("SELECT count(*) FROM outbox WHERE record_key = :m", m=melding_id),
    )


@pytest.mark.parametrize(("van", "naar"), ALLE_PAREN)
async def test_status_change(meldpunt, auth, van, naar):
    melding_id = await _in_status(meldpunt, auth, van)
    history, audit, events = await _sporen(meldpunt, melding_id)
    response = await meldpunt.client.post(
        f"/api/v1/meldingen/{melding_id}/status", json={"status": naar, "toelichting": "test"}, headers=auth.headers("b", BEHANDELEN)
    )
    if (van, naar) in TOEGESTAAN:
        assert response.status_code == 200, response.text
        assert response.json()["status"] == naar
        assert await _sporen(meldpunt, melding_id) == (history + 1, audit + 1, events + (naar in GEBEURTENIS))
        laatste = await meldpunt.scalar(
            "SELECT status || '|' || door FROM melding_status WHERE melding_id = :m ORDER BY id DESC LIMIT 1", m=melding_id
        )
        assert laatste == f"{naar}|b"
        wijziging = await meldpunt.scalar(
            "SELECT (wijzigingen->'oud'->>'status') || '>' || (wijzigingen->'nieuw'->>'status') "
            "FROM audit_trail WHERE hoofd_object_id = :m ORDER BY aanmaakdatum DESC LIMIT 1",
            m=melding_id,
        )
        assert wijziging == f"{van}>{naar}"
        if naar in GEBEURTENIS:
            laatste_type = await meldpunt.scalar(
                "SELECT event_type FROM outbox WHERE record_key = :m ORDER BY id DESC LIMIT 1", m=melding_id
            )
            assert laatste_type.endswith(GEBEURTENIS[naar])
    else:
        assert response.status_code == 409, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "ongeldige_statusovergang"
        assert await _sporen(meldpunt, melding_id) == (history, audit, events)
        assert await meldpunt.scalar("SELECT status FROM melding WHERE id = :m", m=melding_id) == van


def test_the_written_out_expectations_cover_every_status():
    assert len(ALLE_PAREN) == 6 * 6 and len(TOEGESTAAN) == 14
    assert {van for van, _ in TOEGESTAAN} | {naar for _, naar in TOEGESTAAN} <= set(STATUSSEN)


async def test_closing_announces_it(meldpunt, auth):
    melding_id = await _in_status(meldpunt, auth, "afgesloten")
    assert (
        await meldpunt.scalar("SELECT count(*) FROM outbox WHERE event_type LIKE '%melding-afgesloten' AND record_key = :m", m=melding_id)
        == 1
    )
