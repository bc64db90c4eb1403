"""The lists of cases, besluiten and objections in cursor pages, with their filters; closing a case; an objection
against a besluit of a closed case is registered and linked, and does not reopen the case (issue 10, item 1).

Expectations are written out here from what the test created, never read from the service's queries.
"""

from __future__ import annotations

import json
import uuid
from datetime import date

from sqlalchemy import text

from zorgtoezicht import klok

from .conftest import NEMEN, VASTSTELLING, ZORGAANBIEDER, op

ANDERE_AANBIEDER = uuid.UUID("00000000-0000-4000-8000-00000000abcd")


async def alle_paginas(service, pad: str, headers: dict, grootte: int = 2) -> tuple[list[dict], int]:
    """Follow the next links from the first page; every row and the number of pages."""
    rijen, paginas = [], 0
    url = f"/api/v1/{pad}{'&' if '?' in pad else '?'}pageSize={grootte}"
    while url:
        response = await service.client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        rijen += body["results"]
        paginas += 1
        url = body.get("next")
        if url:
            assert url.startswith("http://"), url  # on the configured public URL
            url = url[url.index("/api/v1/") :]
    return rijen, paginas


async def test_a_case_closes_only_when_its_procedures_are_finished(handhaving, procedure, vaste_klok):
    zaak = await procedure.zaak()
    assert (zaak["status"], zaak["afgeslotenOp"]) == ("open", None)
    b = await procedure.voornemen(zaak["id"], "stimuleren-adviseren")  # an instrument without instrumentgegevens
    sluit = f"handhavingszaken/{zaak['id']}/afsluiting"
    reden = {"toelichting": "handhaving afgerond"}

    assert (await procedure.post(sluit, reden, procedure.inspecteur)).status_code == 403  # the jurist closes
    assert (await procedure.post(sluit, reden, procedure.lezer)).status_code == 403
    leeg = await procedure.post(sluit, {}, procedure.jurist)
    assert leeg.status_code == 400 and [p["name"] for p in leeg.json()["invalidParams"]] == ["toelichting"]
    assert (await procedure.post(f"handhavingszaken/{uuid.uuid4()}/afsluiting", reden, procedure.jurist)).status_code == 404

    # voornemen, zienswijze, genomen: the procedure runs
    for stap, body, wie in (
        (None, None, None),
        ("zienswijzeverzoek", {}, procedure.inspecteur),
        ("vaststelling", {**VASTSTELLING, "zienswijzeOntvangenOp": "2026-06-01"}, procedure.jurist),
    ):
        if stap:
            assert (await procedure.post(f"besluiten/{b['id']}/{stap}", body, wie)).status_code == 200
        geweigerd = await procedure.post(sluit, reden, procedure.jurist)
        assert geweigerd.status_code == 409, geweigerd.text
        assert geweigerd.json()["code"] == "procedure_loopt" and b["identificatie"] in geweigerd.json()["detail"]
    assert (await procedure.post(f"besluiten/{b['id']}/bekendmaking", {}, procedure.jurist)).status_code == 200

    vaste_klok.zet(op(date(2026, 6, 3), 14))
    gesloten = await procedure.post(sluit, reden, procedure.jurist)
    assert gesloten.status_code == 200, gesloten.text
    assert (gesloten.json()["status"], gesloten.json()["afgeslotenOp"]) == ("afgesloten", "2026-06-03T12:00:00Z")
    assert gesloten.json()["besluiten"] == [b["id"]]
    opnieuw = await procedure.post(sluit, reden, procedure.jurist)
    assert opnieuw.status_code == 409 and opnieuw.json()["code"] == "zaak_afgesloten"
    # no new measure in a closed case: that needs a new case (an objection still can, see below)
    nieuw = await procedure.post(
        f"handhavingszaken/{zaak['id']}/besluiten", {"besluittype": "waarschuwing", "toelichting": "t"}, procedure.inspecteur
    )
    assert nieuw.status_code == 409 and nieuw.json()["code"] == "zaak_afgesloten"

    audit = await handhaving.scalar(
        "SELECT json_agg(json_build_array(applicatie_id, actie, wijzigingen->'nieuw'->>'status', wijzigingen->'nieuw'->>'toelichting')"
        " ORDER BY aanmaakdatum) FROM audit_trail WHERE hoofd_object_id = :id",
        id=uuid.UUID(zaak["id"]),
    )
    assert audit == [["inspecteur", "create", None, None], ["jurist", "partial_update", "afgesloten", "handhaving afgerond"]]
    async with handhaving.runtime.db.transaction() as session:
        rijen = (await session.execute(text("SELECT event_type, payload FROM outbox ORDER BY id"))).all()
    afgesloten = [json.loads(p)["data"] for t, p in rijen if t.endswith(".handhavingszaak-afgesloten")]
    assert afgesloten == [{"zaakId": zaak["id"], "zorgaanbiederId": str(ZORGAANBIEDER), "afgeslotenOp": "2026-06-03"}]


async def test_a_dropped_besluit_does_not_keep_the_case_open(procedure, vaste_klok):
    zaak = await procedure.zaak()
    b = await procedure.voornemen(zaak["id"], "waarschuwing")
    ingetrokken = await procedure.post(
        f"besluiten/{b['id']}/intrekking", {"vervalreden": "ingetrokken_overheid", "toelichting": "niet nodig"}, procedure.jurist
    )
    assert ingetrokken.status_code == 200
    gesloten = await procedure.post(f"handhavingszaken/{zaak['id']}/afsluiting", {"toelichting": "afgerond"}, procedure.jurist)
    assert gesloten.status_code == 200 and gesloten.json()["status"] == "afgesloten"


async def test_an_objection_after_the_case_closed_is_registered_and_linked(handhaving, procedure, vaste_klok):
    bekend = await procedure.bekendgemaakt("patientenstop")  # made known on Mon 1 June 2026
    zaak_id = bekend["zaakId"]
    gesloten = await procedure.post(f"handhavingszaken/{zaak_id}/afsluiting", {"toelichting": "afgerond"}, procedure.jurist)
    assert gesloten.status_code == 200

    vaste_klok.zet(op(date(2026, 7, 10)))  # within six weeks from 2 June (last day Mon 13 July)
    bezwaar = await procedure.post(f"besluiten/{bekend['id']}/bezwaren", {}, procedure.jurist)
    assert bezwaar.status_code == 201, bezwaar.text
    assert (bezwaar.json()["besluitId"], bezwaar.json()["teLaat"]) == (bekend["id"], False)

    gevonden = await handhaving.client.get(f"/api/v1/bezwaren?besluitId={bekend['id']}", headers=procedure.lezer)
    assert [bz["id"] for bz in gevonden.json()["results"]] == [bezwaar.json()["id"]]
    zaak = await handhaving.client.get(f"/api/v1/handhavingszaken/{zaak_id}", headers=procedure.lezer)
    assert (zaak.json()["status"], zaak.json()["besluiten"]) == ("afgesloten", [bekend["id"]])  # the case stays closed
    assert (await procedure.besluit(bekend["id"]))["status"] == "in-bezwaar"
    # from the objection back to its case: besluit -> zaakId
    besluiten = await handhaving.client.get(f"/api/v1/besluiten?zaakId={zaak_id}&status=in-bezwaar", headers=procedure.lezer)
    assert [b["id"] for b in besluiten.json()["results"]] == [bekend["id"]]
    # and it is decided as its own procedure, the case still closed
    beslist = await procedure.post(f"bezwaren/{bezwaar.json()['id']}/beslissing", {"uitkomst": "ongegrond"}, procedure.jurist)
    assert beslist.status_code == 200
    open_ = await handhaving.client.get("/api/v1/bezwaren?open=true", headers=procedure.lezer)
    assert open_.json()["results"] == []


async def test_the_case_list_pages_and_filters(handhaving, procedure, vaste_klok):
    zaken = [await procedure.zaak() for _ in range(4)]
    vaste_klok.zet(op(date(2026, 6, 2)))
    zaken.append(await procedure.zaak())  # a day later: the newest
    async with handhaving.runtime.db.transaction() as session:  # a case of another provider, from a judgement
        await session.execute(
            text(
                "INSERT INTO handhavingszaak (id, identificatie, zorgaanbieder_id, aanleiding, aanleiding_id, aanleiding_datum,"
                " tekortkomingen, geopend_op, geopend_door) VALUES (:id, 'HZ-2026-OORDEEL', :za, 'oordeel-vastgesteld', :bron,"
                " '2026-05-20', '[]', '2026-05-21T09:00:00Z', 'toezicht')"
            ),
            {"id": (oordeelzaak := uuid.uuid4()), "za": ANDERE_AANBIEDER, "bron": uuid.uuid4()},
        )
    gesloten = await procedure.post(f"handhavingszaken/{zaken[1]['id']}/afsluiting", {"toelichting": "geen besluit"}, procedure.jurist)
    assert gesloten.status_code == 200

    rijen, paginas = await alle_paginas(handhaving, "handhavingszaken", procedure.lezer)
    # newest first: the case of 2 June, then the four of 1 June 10:00 (equal moments: by id, descending), then 21 May
    zelfde_moment = sorted((z["id"] for z in zaken[:4]), reverse=True)
    assert [r["id"] for r in rijen] == [zaken[4]["id"], *zelfde_moment, str(oordeelzaak)]
    assert paginas == 3
    assert "besluiten" not in rijen[0] and rijen[0]["status"] == "open"

    async def ids(query: str) -> set[str]:
        return {r["id"] for r in (await alle_paginas(handhaving, f"handhavingszaken?{query}", procedure.lezer))[0]}

    assert await ids("status=afgesloten") == {zaken[1]["id"]}
    assert await ids("status=open") == {z["id"] for z in zaken if z is not zaken[1]} | {str(oordeelzaak)}
    assert await ids(f"zorgaanbiederId={ANDERE_AANBIEDER}") == {str(oordeelzaak)}
    assert await ids("aanleiding=handmatig") == {z["id"] for z in zaken}
    assert await ids(f"aanleiding=oordeel-vastgesteld&zorgaanbiederId={ZORGAANBIEDER}") == set()

    slecht = await handhaving.client.get("/api/v1/handhavingszaken?status=dicht&aanleiding=x", headers=procedure.lezer)
    assert slecht.status_code == 400
    assert sorted(p["name"] for p in slecht.json()["invalidParams"]) == ["aanleiding", "status"]


async def test_the_besluit_and_objection_lists_page_and_filter(handhaving, procedure, vaste_klok):
    zaak = await procedure.zaak()
    voornemens = [await procedure.voornemen(zaak["id"], "stimuleren-adviseren") for _ in range(3)]
    # the waarschuwing last: a case opened while it is valid would get a boete proposed
    bekend = [await procedure.bekendgemaakt("patientenstop"), await procedure.bekendgemaakt("waarschuwing")]

    rijen, paginas = await alle_paginas(handhaving, "besluiten", procedure.lezer)
    assert sorted(r["id"] for r in rijen) == sorted(b["id"] for b in [*bekend, *voornemens]) and len(rijen) == 5
    assert paginas == 3

    async def besluiten(query: str) -> set[str]:
        return {r["id"] for r in (await alle_paginas(handhaving, f"besluiten?{query}", procedure.lezer))[0]}

    assert await besluiten(f"zaakId={zaak['id']}") == {b["id"] for b in voornemens}
    assert await besluiten("besluittype=waarschuwing") == {bekend[1]["id"]}
    assert await besluiten("status=bekendgemaakt") == {b["id"] for b in bekend}
    filters = f"status=voornemen&besluittype=stimuleren-adviseren&zorgaanbiederId={ZORGAANBIEDER}"
    assert await besluiten(filters) == {b["id"] for b in voornemens}
    assert await besluiten(f"zorgaanbiederId={ANDERE_AANBIEDER}") == set()

    # objections: one on time (10 July), one late (14 July, after the last day Mon 13 July), the late one decided
    vaste_klok.zet(op(date(2026, 7, 10)))
    tijdig = await procedure.post(f"besluiten/{bekend[0]['id']}/bezwaren", {}, procedure.jurist)
    vaste_klok.zet(op(date(2026, 7, 14)))
    laat = await procedure.post(f"besluiten/{bekend[1]['id']}/bezwaren", {"verschoonbaar": False}, procedure.jurist)
    assert (tijdig.status_code, laat.status_code) == (201, 201), laat.text
    assert laat.json()["teLaat"] is True
    beslist = await procedure.post(f"bezwaren/{laat.json()['id']}/beslissing", {"uitkomst": "niet-ontvankelijk"}, procedure.jurist)
    assert beslist.status_code == 200

    async def bezwaren(query: str) -> list[str]:
        return [r["id"] for r in (await alle_paginas(handhaving, f"bezwaren?{query}", procedure.lezer, grootte=1))[0]]

    assert await bezwaren("") == [laat.json()["id"], tijdig.json()["id"]]  # newest first, one per page
    assert await bezwaren("teLaat=true") == [laat.json()["id"]]
    assert await bezwaren("teLaat=false") == [tijdig.json()["id"]]
    assert await bezwaren("open=true") == [tijdig.json()["id"]]
    assert await bezwaren("open=false&teLaat=true") == [laat.json()["id"]]
    assert await bezwaren(f"besluitId={bekend[0]['id']}") == [tijdig.json()["id"]]


async def test_lists_refuse_bad_cursors_and_other_scopes(handhaving, procedure, auth, vaste_klok):
    for _ in range(3):
        await procedure.zaak()
    eerste = await handhaving.client.get("/api/v1/handhavingszaken?pageSize=1", headers=procedure.lezer)
    cursor = eerste.json()["next"].rsplit("cursor=", 1)[1]
    for pad in ("handhavingszaken", "besluiten", "bezwaren"):
        for slecht in ("garbage", "eyJ4IjoxfQ.AAAA", cursor if pad != "handhavingszaken" else cursor[:-3] + "AAA"):
            response = await handhaving.client.get(f"/api/v1/{pad}?cursor={slecht}", headers=procedure.lezer)
            assert response.status_code == 400, (pad, slecht, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            assert [p["name"] for p in response.json()["invalidParams"]] == ["cursor"]
        vreemd = await handhaving.client.get(f"/api/v1/{pad}", headers=auth.headers("ander", "handhaving.maatregelen.lezen"))
        assert vreemd.status_code == 403
        for rol in (procedure.lezer, procedure.inspecteur, auth.headers("jurist", NEMEN)):
            assert (await handhaving.client.get(f"/api/v1/{pad}", headers=rol)).status_code == 200
    te_groot = await handhaving.client.get("/api/v1/besluiten?pageSize=501&zaakId=geen-uuid", headers=procedure.lezer)
    assert te_groot.status_code == 400
    assert sorted(p["name"] for p in te_groot.json()["invalidParams"]) == ["pageSize", "zaakId"]
    assert klok.vandaag() == date(2026, 6, 1)
