"""Bad input gets 400 problem+json listing each field (issue 10, acceptance 10); the OpenAPI document's ADR
ruleset is tests/test_openapi_conformance.py."""

from __future__ import annotations

import uuid


def _velden(response) -> set[str]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return {p["name"] for p in response.json()["invalidParams"]}


async def test_a_voornemen_lists_each_bad_field(handhaving, procedure, vaste_klok):
    zaak = await procedure.zaak()
    response = await procedure.post(
        f"handhavingszaken/{zaak['id']}/besluiten",
        {"besluittype": "schorsing", "toelichting": "", "termijnDagen": 0, "begunstigingstermijnDagen": "lang", "onbekend": 1},
        procedure.inspecteur,
    )
    assert _velden(response) == {"besluittype", "toelichting", "termijnDagen", "begunstigingstermijnDagen", "onbekend"}


async def test_a_decision_lists_each_missing_field(handhaving, procedure, vaste_klok):
    b = await procedure.voornemen((await procedure.zaak())["id"])
    response = await procedure.post(f"besluiten/{b['id']}/vaststelling", {"zienswijzeOntvangenOp": "gisteren"}, procedure.jurist)
    assert _velden(response) == {"motivering", "grondslag", "rechtsmiddelenclausule", "zienswijzeOntvangenOp"}
    assert (await procedure.besluit(b["id"]))["status"] == "voornemen"


async def test_a_bekendmaking_lists_each_wrong_date(handhaving, procedure, vaste_klok):
    b = await procedure.voornemen((await procedure.zaak())["id"])
    await procedure.post(f"besluiten/{b['id']}/zienswijzeverzoek", {}, procedure.inspecteur)
    await procedure.post(
        f"besluiten/{b['id']}/vaststelling",
        {"motivering": "m", "grondslag": "g", "rechtsmiddelenclausule": "r", "zienswijzeOntvangenOp": "2026-06-01"},
        procedure.jurist,
    )
    # the clock stands on Mon 1 June 2026: sent tomorrow, starting before it is sent, lapsing before it starts
    response = await procedure.post(
        f"besluiten/{b['id']}/bekendmaking",
        {"verzenddatum": "2026-06-02", "ingangsdatum": "2026-05-01", "vervaldatum": "2026-04-01"},
        procedure.jurist,
    )
    assert _velden(response) == {"verzenddatum", "ingangsdatum", "vervaldatum"}
    assert (await procedure.besluit(b["id"]))["status"] == "genomen"


async def test_other_bodies_list_each_bad_field(handhaving, procedure, vaste_klok):
    b = await procedure.bekendgemaakt()
    intrekking = await procedure.post(f"besluiten/{b['id']}/intrekking", {"vervalreden": "tijdelijk"}, procedure.jurist)
    assert _velden(intrekking) == {"vervalreden", "toelichting"}
    bezwaar = await procedure.post(
        f"besluiten/{b['id']}/bezwaren", {"ontvangenOp": "2026-13-01", "adviescommissie": "ja"}, procedure.jurist
    )
    assert _velden(bezwaar) == {"ontvangenOp", "adviescommissie"}
    zaak = await procedure.post("handhavingszaken", {"zorgaanbiederId": str(uuid.uuid4())}, procedure.inspecteur)
    assert _velden(zaak) == {"zorgaanbiederId"}  # not in the register
    beslissing = await procedure.post(f"bezwaren/{uuid.uuid4()}/beslissing", {"uitkomst": "half"}, procedure.jurist)
    assert _velden(beslissing) == {"uitkomst"}
