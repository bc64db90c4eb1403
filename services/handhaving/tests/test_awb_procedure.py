"""Every allowed step of the Awb procedure works with a history row and an audit row; every other step is 409
and changes nothing; each step needs its role's scope (403); a besluit has no effect before its bekendmaking
(issue 10, acceptance 1).

The allowed steps are written out here by hand from the Awb (domain.md), not read from handhaving/workflow.py:
a step added to or dropped from the table makes this test fail.
"""

from __future__ import annotations

from datetime import datetime

from zorgtoezicht import klok

VOORSTELLEN = "handhaving.besluiten.voorstellen"  # the inspecteur
NEMEN = "handhaving.besluiten.nemen"  # the jurist
VASTSTELLING = {
    "motivering": "De norm vv-2.1 is bij herhaling niet nageleefd.",
    "grondslag": "Wet kwaliteit, klachten en geschillen zorg, art. 27",
    "rechtsmiddelenclausule": "Binnen zes weken na de dag van bekendmaking kunt u bezwaar maken.",
}

STATUSSEN = [
    "voornemen",
    "zienswijze",
    "genomen",
    "bekendgemaakt",
    "in-bezwaar",
    "beslist-op-bezwaar",
    "in-beroep",
    "ingetrokken",
    "vervallen",
]
TOEGESTAAN = {
    ("voornemen", "zienswijze"),  # Awb 4:8 hearing
    ("voornemen", "genomen"),  # Awb 4:11: urgent, hearing skipped with a reason
    ("voornemen", "ingetrokken"),
    ("zienswijze", "genomen"),
    ("zienswijze", "ingetrokken"),
    ("genomen", "bekendgemaakt"),
    ("genomen", "ingetrokken"),
    ("bekendgemaakt", "in-bezwaar"),
    ("bekendgemaakt", "ingetrokken"),
    ("bekendgemaakt", "vervallen"),
    ("in-bezwaar", "beslist-op-bezwaar"),
    ("in-bezwaar", "ingetrokken"),  # bezwaar gegrond
    ("in-bezwaar", "vervallen"),
    ("beslist-op-bezwaar", "in-beroep"),
    ("beslist-op-bezwaar", "ingetrokken"),
    ("beslist-op-bezwaar", "vervallen"),
    ("in-beroep", "ingetrokken"),
    ("in-beroep", "vervallen"),
}
# The operation that leads to each status, its body and the role that may take it.
STAP = {
    "zienswijze": ("zienswijzeverzoek", {}, VOORSTELLEN),
    "genomen": (
        "vaststelling",
        {**VASTSTELLING, "spoedreden": "acuut gevaar voor clienten", "zienswijzeOntvangenOp": "2026-06-01"},
        NEMEN,
    ),
    "bekendgemaakt": ("bekendmaking", {}, NEMEN),
    "in-bezwaar": ("bezwaren", {}, NEMEN),
    "in-beroep": ("beroep", {}, NEMEN),
    "ingetrokken": ("intrekking", {"vervalreden": "ingetrokken_overheid", "toelichting": "ten onrechte"}, NEMEN),
    "vervallen": ("verval", {}, NEMEN),
    "beslist-op-bezwaar": (None, {"uitkomst": "ongegrond"}, NEMEN),  # on the objection: bezwaren/{id}/beslissing
}
PAD = {
    "voornemen": [],
    "zienswijze": ["zienswijze"],
    "genomen": ["zienswijze", "genomen"],
    "bekendgemaakt": ["zienswijze", "genomen", "bekendgemaakt"],
    "in-bezwaar": ["zienswijze", "genomen", "bekendgemaakt", "in-bezwaar"],
    "beslist-op-bezwaar": ["zienswijze", "genomen", "bekendgemaakt", "in-bezwaar", "beslist-op-bezwaar"],
    "in-beroep": ["zienswijze", "genomen", "bekendgemaakt", "in-bezwaar", "beslist-op-bezwaar", "in-beroep"],
    "ingetrokken": ["ingetrokken"],
    "vervallen": ["zienswijze", "genomen", "bekendgemaakt", "vervallen"],
}


async def _stap(procedure, b: dict, naar: str, bezwaar: dict, headers=None):
    pad, body, rol = STAP[naar]
    headers = headers or {VOORSTELLEN: procedure.inspecteur, NEMEN: procedure.jurist}[rol]
    if naar == "beslist-op-bezwaar":
        return await procedure.post(f"bezwaren/{bezwaar['id']}/beslissing", body, headers)
    response = await procedure.post(f"besluiten/{b['id']}/{pad}", body, headers)
    if naar == "in-bezwaar" and response.status_code == 201:
        bezwaar["id"] = response.json()["id"]
    return response


async def _in_status(procedure, zaak_id: str, status: str) -> tuple[dict, dict]:
    b = await procedure.voornemen(zaak_id)
    bezwaar: dict = {}
    for stap in PAD[status]:
        response = await _stap(procedure, b, stap, bezwaar)
        assert response.status_code in (200, 201), (status, stap, response.text)
    return b, bezwaar


async def _tellingen(handhaving, besluit_id: str) -> tuple[int, int]:
    historie = await handhaving.scalar("SELECT count(*) FROM besluit_status WHERE besluit_id = :id", id=besluit_id)
    audit = await handhaving.scalar("SELECT count(*) FROM audit_trail WHERE hoofd_object_id = :id", id=besluit_id)
    return historie, audit


async def test_every_allowed_step_writes_history_and_audit_and_every_other_is_409(handhaving, procedure, vaste_klok):
    zaak = await procedure.zaak()
    fouten = []
    for van in STATUSSEN:
        for naar in STAP:
            if naar == van:
                continue
            b, bezwaar = await _in_status(procedure, zaak["id"], van)
            if naar == "beslist-op-bezwaar" and "id" not in bezwaar:
                continue  # no objection to decide: there is no operation to call
            voor = await _tellingen(handhaving, b["id"])
            response = await _stap(procedure, b, naar, bezwaar)
            na = await _tellingen(handhaving, b["id"])
            status = (await procedure.besluit(b["id"]))["status"]
            if (van, naar) in TOEGESTAAN:
                laatste = await handhaving.scalar(
                    "SELECT status FROM besluit_status WHERE besluit_id = :id ORDER BY id DESC LIMIT 1", id=b["id"]
                )
                actor = {VOORSTELLEN: "inspecteur", NEMEN: "jurist"}[STAP[naar][2]]
                door = await handhaving.scalar(  # the clock stands still: find the step's row by its actor and status
                    "SELECT count(*) FROM audit_trail WHERE hoofd_object_id = :id AND applicatie_id = :actor"
                    " AND wijzigingen->'nieuw'->>'status' = :naar",
                    id=b["id"],
                    actor=actor,
                    naar=naar,
                )
                if response.status_code not in (200, 201) or status != naar or na != (voor[0] + 1, voor[1] + 1) or laatste != naar:
                    fouten.append((van, naar, response.status_code, status, voor, na, response.text[:200]))
                elif door != 1:
                    fouten.append((van, naar, "audit row of the actor", door))
            elif response.status_code != 409 or status != van or na != voor:
                fouten.append((van, naar, response.status_code, status, voor, na, response.text[:200]))
    assert fouten == []


async def test_the_voornemen_itself_has_a_history_row_and_an_audit_row(handhaving, procedure, vaste_klok):
    b = await procedure.voornemen((await procedure.zaak())["id"])
    assert b["status"] == "voornemen" and b["inWerking"] is False
    assert await _tellingen(handhaving, b["id"]) == (1, 1)


async def test_each_step_needs_its_roles_scope(handhaving, procedure, auth, vaste_klok):
    zaak = await procedure.zaak()
    # the jurist cannot propose, the inspecteur cannot decide
    response = await handhaving.client.post(
        f"/api/v1/handhavingszaken/{zaak['id']}/besluiten",
        json={"besluittype": "aanwijzing", "toelichting": "x"},
        headers=procedure.jurist,
    )
    assert response.status_code == 403
    for van, naar in sorted(TOEGESTAAN):
        b, bezwaar = await _in_status(procedure, zaak["id"], van)
        verkeerd = procedure.jurist if STAP[naar][2] == VOORSTELLEN else procedure.inspecteur
        voor = await _tellingen(handhaving, b["id"])
        response = await _stap(procedure, b, naar, bezwaar, headers=verkeerd)
        assert response.status_code == 403, (van, naar, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert (await procedure.besluit(b["id"]))["status"] == van and await _tellingen(handhaving, b["id"]) == voor


async def test_no_effect_before_bekendmaking(handhaving, procedure, vaste_klok):
    zaak = await procedure.zaak()
    b = await procedure.voornemen(zaak["id"])
    await procedure.post(f"besluiten/{b['id']}/zienswijzeverzoek", {}, procedure.inspecteur)
    genomen = await procedure.post(
        f"besluiten/{b['id']}/vaststelling", {**VASTSTELLING, "zienswijzeOntvangenOp": klok.vandaag().isoformat()}, procedure.jurist
    )
    assert genomen.status_code == 200 and genomen.json()["inWerking"] is False and genomen.json()["ingangsdatum"] is None
    typen = await handhaving.scalar("SELECT string_agg(event_type, ',') FROM outbox")
    # taken, but not made known: no measure announced anywhere
    opgelegd = await handhaving.scalar("SELECT count(*) FROM outbox WHERE event_type LIKE '%maatregel-opgelegd'")
    assert opgelegd == 0, typen
    # an ingangsdatum before the bekendmaking is refused
    vroeg = await procedure.post(f"besluiten/{b['id']}/bekendmaking", {"ingangsdatum": "2026-05-31"}, procedure.jurist)
    assert vroeg.status_code == 400 and [p["name"] for p in vroeg.json()["invalidParams"]] == ["ingangsdatum"]
    bekend = await procedure.post(f"besluiten/{b['id']}/bekendmaking", {"ingangsdatum": "2026-06-03"}, procedure.jurist)
    assert bekend.status_code == 200 and bekend.json()["inWerking"] is False  # made known, starts on 3 June
    assert await handhaving.scalar("SELECT count(*) FROM outbox WHERE event_type LIKE '%maatregel-opgelegd'") == 1
    vaste_klok.zet(datetime(2026, 6, 3, 10, tzinfo=klok.NL))
    assert (await procedure.besluit(b["id"]))["inWerking"] is True


async def test_skipping_the_hearing_needs_urgency_and_a_besluittype_that_allows_it(handhaving, procedure, vaste_klok):
    zaak = await procedure.zaak()
    boete = await procedure.voornemen(zaak["id"], "bestuurlijke-boete")
    response = await procedure.post(f"besluiten/{boete['id']}/vaststelling", {**VASTSTELLING, "spoedreden": "spoed"}, procedure.jurist)
    assert response.status_code == 409 and response.json()["code"] == "zienswijze_vereist"
    bevel = await procedure.voornemen(zaak["id"], "bevel")
    response = await procedure.post(f"besluiten/{bevel['id']}/vaststelling", VASTSTELLING, procedure.jurist)
    assert response.status_code == 400 and [p["name"] for p in response.json()["invalidParams"]] == ["spoedreden"]
    # a bevel: 24 hours for the view when urgent; a shorter term for an aanwijzing only with a reason
    kort = await procedure.post(f"besluiten/{bevel['id']}/zienswijzeverzoek", {"termijnDagen": 1}, procedure.inspecteur)
    assert kort.status_code == 200 and kort.json()["zienswijzeUiterlijk"] == "2026-06-02"
    aanwijzing = await procedure.voornemen(zaak["id"])
    zonder = await procedure.post(f"besluiten/{aanwijzing['id']}/zienswijzeverzoek", {"termijnDagen": 3}, procedure.inspecteur)
    assert zonder.status_code == 400 and [p["name"] for p in zonder.json()["invalidParams"]] == ["spoedreden"]
    normaal = await procedure.post(f"besluiten/{aanwijzing['id']}/zienswijzeverzoek", {}, procedure.inspecteur)
    assert normaal.json()["zienswijzeUiterlijk"] == "2026-06-15"  # 14 days, the besluittype's term
    # while the term runs and no view arrived, the jurist waits
    vroeg = await procedure.post(f"besluiten/{aanwijzing['id']}/vaststelling", VASTSTELLING, procedure.jurist)
    assert vroeg.status_code == 409 and vroeg.json()["code"] == "zienswijzetermijn_loopt"
