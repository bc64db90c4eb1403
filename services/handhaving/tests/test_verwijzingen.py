"""Referrals (tuchtklacht, voordracht, aangifte bij het OM) as recorded steps of a case (issue 10, item 2): the
jurist records them, each with an audit row and ``verwijzing-vastgelegd`` (ids, code and date only), and the case
lists them."""

from __future__ import annotations

import uuid

VASTGELEGD = "nl.zorgtoezicht.handhavingszaken.verwijzing-vastgelegd"


async def test_a_referral_is_recorded_listed_audited_and_announced(handhaving, procedure, vaste_klok):
    zaak = await procedure.zaak(aanleidingDatum="2026-05-20")  # the clock stands on Monday 1 June 2026
    body = {"soort": "tuchtklacht", "datum": "2026-05-29", "toelichting": "Klacht bij het regionaal tuchtcollege ingediend."}
    response = await procedure.post(f"handhavingszaken/{zaak['id']}/verwijzingen", body, procedure.jurist)
    assert response.status_code == 201, response.text
    v = response.json()
    assert (v["soort"], v["datum"], v["vastgelegdDoor"]) == ("tuchtklacht", "2026-05-29", "jurist")
    aangifte = await procedure.post(
        f"handhavingszaken/{zaak['id']}/verwijzingen", {"soort": "aangifte-om", "toelichting": "Aangifte gedaan."}, procedure.jurist
    )
    assert aangifte.status_code == 201 and aangifte.json()["datum"] == "2026-06-01"  # default today

    gelezen = (await handhaving.client.get(f"/api/v1/handhavingszaken/{zaak['id']}", headers=procedure.lezer)).json()
    assert [(w["id"], w["soort"]) for w in gelezen["verwijzingen"]] == [(v["id"], "tuchtklacht"), (aangifte.json()["id"], "aangifte-om")]

    rows = await handhaving.scalar(
        "SELECT json_agg(convert_from(payload, 'UTF8')::json ORDER BY id) FROM outbox WHERE event_type = :t", t=VASTGELEGD
    )
    assert [r["data"] for r in rows] == [
        {
            "verwijzingId": v["id"],
            "zaakId": zaak["id"],
            "zorgaanbiederId": zaak["zorgaanbiederId"],
            "soort": "tuchtklacht",
            "datum": "2026-05-29",
        },
        {
            "verwijzingId": aangifte.json()["id"],
            "zaakId": zaak["id"],
            "zorgaanbiederId": zaak["zorgaanbiederId"],
            "soort": "aangifte-om",
            "datum": "2026-06-01",
        },
    ]  # no toelichting: free text stays out of events
    audit = await handhaving.scalar(
        "SELECT json_agg(json_build_array(applicatie_id, actie) ORDER BY aanmaakdatum) FROM audit_trail"
        " WHERE hoofd_object_id = :z AND resource = 'verwijzing'",
        z=zaak["id"],
    )
    assert audit == [["jurist", "create"], ["jurist", "create"]]


async def test_a_referral_needs_the_jurists_scope_and_valid_input(handhaving, procedure, vaste_klok):
    zaak = await procedure.zaak(aanleidingDatum="2026-05-20")
    pad = f"handhavingszaken/{zaak['id']}/verwijzingen"
    geldig = {"soort": "voordracht", "toelichting": "Voordracht aan de Minister."}
    assert (await procedure.post(pad, geldig, procedure.inspecteur)).status_code == 403
    fout = await procedure.post(pad, {"soort": "klacht", "toelichting": "", "datum": "gisteren"}, procedure.jurist)
    assert fout.status_code == 400 and fout.headers["content-type"].startswith("application/problem+json")
    assert {p["name"] for p in fout.json()["invalidParams"]} == {"soort", "toelichting", "datum"}
    for datum in ("2026-06-02", "2026-05-19"):  # tomorrow; before the case's reason
        response = await procedure.post(pad, {**geldig, "datum": datum}, procedure.jurist)
        assert response.status_code == 400 and [p["name"] for p in response.json()["invalidParams"]] == ["datum"], response.text
    onbekend = await procedure.post(f"handhavingszaken/{uuid.uuid4()}/verwijzingen", geldig, procedure.jurist)
    assert onbekend.status_code == 404
    assert await handhaving.scalar("SELECT count(*) FROM verwijzing") == 0
