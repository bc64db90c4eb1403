"""The bestuurlijke boete through the API on PostgreSQL (issue 10, item 5 and acceptance 5): the amount equals a
hand computation from the (example) policy table boetebeleid.json for three cases; a boetebesluit after the 13
weeks of Awb 5:51 is flagged with its days late, never refused; the term ``boete-beslistermijn`` fires once with
two watchers, and not at all for a boete decided in time; a lapsed fining power (Awb 5:45) is refused.

The numbers below are read from handhaving/boetebeleid.json (voorbeeld-2026.1) and multiplied out by hand:
ernst gering 0.5 / ernstig 1.5 / zeer-ernstig 2; verwijtbaarheid verminderd 0.5 / normaal 1 /
grove-schuld-of-opzet 1.5; FTE bands micro < 10: 0.25, klein < 50: 0.5, middelgroot < 250: 0.75, groot: 1;
rounded DOWN to a multiple of EUR 50, then capped at the category's maximum.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import text

from handhaving import boete, boeteprocedure
from zorgtoezicht import klok
from zorgtoezicht.service import ServiceRuntime

VASTSTELLING = {
    "motivering": "De klachtenregeling ontbrak bij herhaling; zie het boeterapport.",
    "grondslag": "Wkkgz art. 30",
    "rechtsmiddelenclausule": "Binnen zes weken na de dag van bekendmaking kunt u bezwaar maken.",
}


def _om(dag: date) -> datetime:
    return datetime(dag.year, dag.month, dag.day, 10, 0, tzinfo=klok.NL)


def _rapport(**velden) -> dict:
    return {
        "opgemaaktOp": "2026-02-23",
        "overtredingsdatum": "2026-01-12",
        "categorie": "wkkgz-klachtenregeling",
        "ernst": "gering",
        "verwijtbaarheid": "grove-schuld-of-opzet",
        "fte": "120",
        **velden,
    }


async def _maak_rapport(procedure, zaak_id: str, **velden) -> dict:
    response = await procedure.post(f"handhavingszaken/{zaak_id}/boeterapporten", _rapport(**velden), procedure.inspecteur)
    assert response.status_code == 201, response.text
    assert response.headers["Location"].endswith(f"/api/v1/boeterapporten/{response.json()['id']}")
    return response.json()


async def _gehoord(procedure, besluit_id: str) -> None:
    """The provider was asked for its view (the boete's hearing, Awb 5:53)."""
    response = await procedure.post(f"besluiten/{besluit_id}/zienswijzeverzoek", {}, procedure.inspecteur)
    assert response.status_code == 200, response.text


async def _neem(procedure, besluit_id: str, ontvangen: str = "2026-03-05"):
    return await procedure.post(
        f"besluiten/{besluit_id}/vaststelling", {**VASTSTELLING, "zienswijzeOntvangenOp": ontvangen}, procedure.jurist
    )


async def _lees_rapport(handhaving, procedure, rapport_id: str) -> dict:
    response = await handhaving.client.get(f"/api/v1/boeterapporten/{rapport_id}", headers=procedure.lezer)
    assert response.status_code == 200, response.text
    return response.json()


async def _gebeurtenissen(handhaving, besluit_id: str) -> list[tuple[str, dict]]:
    async with handhaving.runtime.db.transaction() as session:
        rijen = (
            await session.execute(text("SELECT event_type, payload FROM outbox WHERE record_key = :id ORDER BY id"), {"id": besluit_id})
        ).all()
    return [(t.rsplit(".", 1)[-1], json.loads(p)["data"]) for t, p in rijen]


async def test_three_amounts_equal_a_hand_computation_from_the_policy_table(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 2, 23)))):
        zaak = await procedure.zaak()
        # 1. wkkgz-klachtenregeling: basis 10000 x gering 0.5 x grove schuld 1.5 x 120 fte (middelgroot) 0.75
        #    = 5625.00, down to a multiple of 50: 5600.00 (maximum 75000: not capped)
        een = await _maak_rapport(procedure, zaak["id"])
        # 2. wkkgz-calamiteit-niet-gemeld: 20000 x zeer-ernstig 2 x verminderd 0.5 x 10 fte (klein: 10 is not
        #    below micro's 10) 0.5 = 10000.00 (maximum 150000)
        twee = await _maak_rapport(
            procedure, zaak["id"], categorie="wkkgz-calamiteit-niet-gemeld", ernst="zeer-ernstig", verwijtbaarheid="verminderd", fte=10
        )
        # 3. wet-big-titel: 300 x ernstig 1.5 x grove schuld 1.5 x 250 fte (groot) 1 = 675.00, down to 650.00,
        #    capped at the category's maximum 340.00; a maximum of 340 is not above EUR 340: no hearing by 5:53
        drie = await _maak_rapport(
            procedure, zaak["id"], categorie="wet-big-titel", ernst="ernstig", verwijtbaarheid="grove-schuld-of-opzet", fte="250"
        )
        verwacht = [
            (een, "5600.00", "middelgroot", "75000.00", False, True),
            (twee, "10000.00", "klein", "150000.00", False, True),
            (drie, "340.00", "groot", "340.00", True, False),
        ]
        for rapport, bedrag, klasse, maximum, gemaximeerd, zienswijze in verwacht:
            gelezen = await _lees_rapport(handhaving, procedure, rapport["id"])
            assert gelezen == rapport
            assert (
                gelezen["bedrag"],
                gelezen["omvangsklasse"],
                gelezen["maximum"],
                gelezen["gemaximeerd"],
                gelezen["zienswijzeVerplicht"],
            ) == (bedrag, klasse, maximum, gemaximeerd, zienswijze)
            assert (gelezen["beleidVersie"], gelezen["voorbeeldbeleid"]) == ("voorbeeld-2026.1", True)
            assert len(gelezen["beleidHash"]) == 64
            assert gelezen["uitleg"][-1] == f"Boete: EUR {bedrag}"
            assert gelezen["beslistermijn"] == "2026-05-25"  # Mon 23 Feb + 13 weeks (91 days)
        assert "Berekend: EUR 10000.00 x 0.5 x 1.5 x 0.75 = EUR 5625.00" in een["uitleg"]
        assert "Begrensd op het maximum van de categorie: EUR 340.00" in drie["uitleg"]
        # Awb 5:45 from the violation of Mon 12 Jan 2026: 5 years to Tue 12 Jan 2031; 3 for a fine of at most 340
        assert (een["bevoegdheidVervalt"], drie["bevoegdheidVervalt"]) == ("2031-01-12", "2029-01-12")
        # each report proposed its own boete in the case, linked both ways
        for rapport in (een, twee, drie):
            b = await procedure.besluit(rapport["besluitId"])
            assert (b["besluittype"], b["status"], b["zaakId"]) == ("bestuurlijke-boete", "voornemen", zaak["id"])
            assert b["instrumentgegevens"]["boeterapportId"] == rapport["id"]
        # the term is stored on the boete: its last day is the 13 weeks' last day
        termijnen = await handhaving.scalar(
            "SELECT string_agg(soort || ' ' || uiterlijk || ' ' || status, ',') FROM termijn WHERE aggregaat_id = :id",
            id=een["besluitId"],
        )
        assert termijnen == "boete-beslistermijn 2026-05-25 lopend"
        # an audit row without the amount
        nieuw = await handhaving.scalar(
            "SELECT wijzigingen::text FROM audit_trail WHERE resource = 'boeterapport' AND actie = 'create' AND hoofd_object_id = :id",
            id=een["id"],
        )
        assert "5600" not in nieuw and '"categorie": "wkkgz-klachtenregeling"' in nieuw


async def test_a_late_boetebesluit_is_flagged_not_refused_and_the_last_day_is_in_time(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 2, 23)))) as tijd:
        zaak = await procedure.zaak()
        laat = await _maak_rapport(procedure, zaak["id"])
        tijdig = await _maak_rapport(procedure, zaak["id"])
        for r in (laat, tijdig):
            await _gehoord(procedure, r["besluitId"])
        # Mon 23 Feb 2026 + 13 weeks = Mon 25 May 2026, Tweede Pinksterdag: the Atw does NOT move it (art. 4: a
        # long term), so the holiday itself is the last day in time
        tijd.zet(_om(date(2026, 5, 25)))
        op_tijd = await _neem(procedure, tijdig["besluitId"])
        assert op_tijd.status_code == 200, op_tijd.text
        assert op_tijd.json()["instrumentgegevens"]["beslistermijnOverschredenDagen"] == 0
        tijd.zet(_om(date(2026, 5, 26)))  # 13 weeks + 1 day
        te_laat = await _neem(procedure, laat["besluitId"])
        assert te_laat.status_code == 200, te_laat.text
        genomen = te_laat.json()
        assert (genomen["status"], genomen["datum"]) == ("genomen", "2026-05-26")
        assert genomen["instrumentgegevens"]["beslistermijn"] == "2026-05-25"
        assert genomen["instrumentgegevens"]["beslistermijnOverschredenDagen"] == 1
        assert (await procedure.besluit(laat["besluitId"]))["instrumentgegevens"]["beslistermijnOverschredenDagen"] == 1
        gelezen = await _lees_rapport(handhaving, procedure, laat["id"])
        assert (gelezen["besluitdatum"], gelezen["beslistermijnOverschredenDagen"]) == ("2026-05-26", 1)
        assert (await _lees_rapport(handhaving, procedure, tijdig["id"]))["beslistermijnOverschredenDagen"] == 0

        bekend = await procedure.post(f"besluiten/{laat['besluitId']}/bekendmaking", {}, procedure.jurist)
        assert bekend.status_code == 200, bekend.text
        stroom = await _gebeurtenissen(handhaving, laat["besluitId"])
        opgelegd = [d for s, d in stroom if s == "boete-opgelegd"]
        assert opgelegd == [
            {
                "besluitId": laat["besluitId"],
                "zaakId": zaak["id"],
                "zorgaanbiederId": zaak["zorgaanbiederId"],
                "besluittype": "bestuurlijke-boete",
                "boeterapportId": laat["id"],
                "categorie": "wkkgz-klachtenregeling",
                "beleidVersie": "voorbeeld-2026.1",
                "besluitdatum": "2026-05-26",
                "beslistermijnOverschreden": 1,
            }
        ]  # no amount in any event
        assert not any("5600" in json.dumps(d) for _, d in stroom)
        # the boete is published as a zakelijke weergave at most: its report never
        openbaar = await handhaving.client.post(
            "/api/v1/openbaarmakingen",
            json={
                "besluitId": laat["besluitId"],
                "zorgaanbiederId": zaak["zorgaanbiederId"],
                "instrument": "bestuurlijke-boete",
                "besluitdatum": "2026-05-26",
                "zakelijkeWeergave": "Boete wegens het ontbreken van een klachtenregeling.",
                "documentsoort": "boeterapport",
            },
            headers=procedure.auth.headers("publicatie", "handhaving.openbaarmakingen.beheren"),
        )
        assert openbaar.status_code == 400 and [p["name"] for p in openbaar.json()["invalidParams"]] == ["documentsoort"]


async def test_the_decision_term_fires_once_with_two_watchers_and_not_for_a_boete_decided_in_time(handhaving, procedure):
    tweede = ServiceRuntime(handhaving.runtime.definition, settings=handhaving.runtime.settings, platform=handhaving.runtime.platform)
    try:
        with klok.gebruik(klok.VasteKlok(_om(date(2026, 2, 23)))) as tijd:
            zaak = await procedure.zaak()
            open_1, open_2, tijdig, ingetrokken = [await _maak_rapport(procedure, zaak["id"]) for _ in range(4)]
            for r in (open_1, open_2, tijdig):
                await _gehoord(procedure, r["besluitId"])
            tijd.zet(_om(date(2026, 4, 1)))
            gestopt = await procedure.post(
                f"besluiten/{ingetrokken['besluitId']}/intrekking",
                {"vervalreden": "ingetrokken_overheid", "toelichting": "van de boete afgezien"},
                procedure.jurist,
            )
            assert gestopt.status_code == 200, gestopt.text
            tijd.zet(_om(date(2026, 5, 25)))  # the last day: nothing has ended
            assert (await _neem(procedure, tijdig["besluitId"])).status_code == 200
            assert await asyncio.gather(handhaving.runtime.termijnbewaker.run_once(), tweede.termijnbewaker.run_once()) == [0, 0]
            tijd.zet(_om(date(2026, 5, 26)))
            gevuurd = await asyncio.gather(handhaving.runtime.termijnbewaker.run_once(), tweede.termijnbewaker.run_once())
            assert sum(gevuurd) == 3  # two undecided boetes and the dropped one (whose term ends in silence)
            assert await asyncio.gather(handhaving.runtime.termijnbewaker.run_once(), tweede.termijnbewaker.run_once()) == [0, 0]
            for r in (open_1, open_2):
                verstreken = [d for s, d in await _gebeurtenissen(handhaving, r["besluitId"]) if s == "boete-beslistermijn-verstreken"]
                assert verstreken == [
                    {
                        "besluitId": r["besluitId"],
                        "zaakId": zaak["id"],
                        "zorgaanbiederId": zaak["zorgaanbiederId"],
                        "besluittype": "bestuurlijke-boete",
                        "boeterapportId": r["id"],
                        "beslistermijn": "2026-05-25",
                    }
                ]
            for r in (tijdig, ingetrokken):
                soorten = [s for s, _ in await _gebeurtenissen(handhaving, r["besluitId"])]
                assert "boete-beslistermijn-verstreken" not in soorten, soorten
            status = await handhaving.scalar("SELECT status FROM termijn WHERE aggregaat_id = :id", id=tijdig["besluitId"])
            assert status == "vervallen"  # cancelled when the boete was taken
            # still undecided after the term: taken all the same, flagged
            na = await _neem(procedure, open_1["besluitId"])
            assert na.status_code == 200 and na.json()["instrumentgegevens"]["beslistermijnOverschredenDagen"] == 1
    finally:
        await tweede.close()


async def test_a_lapsed_fining_power_is_refused_at_the_report_and_at_the_decision(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 6, 2)))) as tijd:
        zaak = await procedure.zaak()
        # a fine of at most 340 (wet-big-titel): 3 years from Thu 1 Jun 2023 end on Mon 1 Jun 2026 - lapsed today
        klein = _rapport(opgemaaktOp="2026-06-02", overtredingsdatum="2023-06-01", categorie="wet-big-titel")
        vervallen = await procedure.post(f"handhavingszaken/{zaak['id']}/boeterapporten", klein, procedure.inspecteur)
        assert vervallen.status_code == 409 and vervallen.json()["code"] == "boetebevoegdheid_vervallen"
        assert await handhaving.scalar("SELECT count(*) FROM besluit") == 0  # nothing proposed
        # the same day of violation with a category whose maximum exceeds 340: 5 years, still in time
        groot = await _maak_rapport(procedure, zaak["id"], opgemaaktOp="2026-06-02", overtredingsdatum="2023-06-01")
        assert groot["bevoegdheidVervalt"] == "2028-06-01"
        # the last day of the 3 years is still in time: a violation of Fri 2 Jun 2023
        tijd.zet(_om(date(2026, 5, 20)))
        op_het_randje = await _maak_rapport(
            procedure, zaak["id"], opgemaaktOp="2026-05-20", overtredingsdatum="2023-06-01", categorie="wet-big-titel"
        )
        assert op_het_randje["bevoegdheidVervalt"] == "2026-06-01"
        await _gehoord(procedure, op_het_randje["besluitId"])
        tijd.zet(_om(date(2026, 6, 2)))  # the power lapsed between report and decision: 5:45 is a hard limit
        besluit = await _neem(procedure, op_het_randje["besluitId"], ontvangen="2026-05-25")
        assert besluit.status_code == 409 and besluit.json()["code"] == "boetebevoegdheid_vervallen"
        assert (await procedure.besluit(op_het_randje["besluitId"]))["status"] == "zienswijze"


async def test_a_repeated_waarschuwing_proposes_the_boete_the_report_attaches_to(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 6, 1)))):
        await procedure.bekendgemaakt("waarschuwing")
        zaak = await procedure.zaak(aanleidingDatum="2026-06-01")
        assert zaak["herhalingVan"] is not None
        [voorgesteld] = zaak["besluiten"]
        rapport = await _maak_rapport(procedure, zaak["id"], opgemaaktOp="2026-06-01", besluitId=voorgesteld)
        assert rapport["besluitId"] == voorgesteld
        b = await procedure.besluit(voorgesteld)
        assert b["instrumentgegevens"]["boeterapportId"] == rapport["id"]
        assert b["instrumentgegevens"]["herhalingVan"] == zaak["herhalingVan"]
        assert (await procedure.besluit(voorgesteld))["status"] == "voornemen"
        assert (
            len((await handhaving.client.get(f"/api/v1/handhavingszaken/{zaak['id']}", headers=procedure.lezer)).json()["besluiten"]) == 1
        )
        nog_eens = await procedure.post(
            f"handhavingszaken/{zaak['id']}/boeterapporten", _rapport(opgemaaktOp="2026-06-01", besluitId=voorgesteld), procedure.inspecteur
        )
        assert nog_eens.status_code == 409 and nog_eens.json()["code"] == "boeterapport_bestaat"
        # a boete proposed by hand has no report: it cannot be taken (its amount comes from one)
        hand = await procedure.voornemen(zaak["id"], "bestuurlijke-boete")
        await _gehoord(procedure, hand["id"])
        zonder = await _neem(procedure, hand["id"], ontvangen="2026-06-01")
        assert zonder.status_code == 409 and zonder.json()["code"] == "boeterapport_vereist"
        # a report is drawn up before the hearing, not after it
        laat = await procedure.post(
            f"handhavingszaken/{zaak['id']}/boeterapporten", _rapport(opgemaaktOp="2026-06-01", besluitId=hand["id"]), procedure.inspecteur
        )
        assert laat.status_code == 409 and laat.json()["code"] == "boete_voorbij_voornemen"
        # the boete cannot skip the hearing (besluittypen: spoedOverslaanToegestaan false)
        overslaan = await _maak_rapport(procedure, zaak["id"], opgemaaktOp="2026-06-01")
        direct = await procedure.post(
            f"besluiten/{overslaan['besluitId']}/vaststelling", {**VASTSTELLING, "spoedreden": "spoed"}, procedure.jurist
        )
        assert direct.status_code == 409 and direct.json()["code"] == "zienswijze_vereist"


async def test_bad_input_lists_every_field_and_each_role_needs_its_scope(handhaving, procedure, auth):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 6, 1)))):
        zaak = await procedure.zaak()
        andere = await procedure.zaak()
        aanwijzing = await procedure.voornemen(andere["id"])
        fout = await procedure.post(
            f"handhavingszaken/{zaak['id']}/boeterapporten",
            _rapport(
                opgemaaktOp="2026-06-02",
                overtredingsdatum="2026-06-03",
                categorie="parkeren",
                ernst="vreselijk",
                verwijtbaarheid="x",
                besluitId=aanwijzing["id"],
            ),
            procedure.inspecteur,
        )
        assert fout.status_code == 400 and fout.headers["content-type"].startswith("application/problem+json")
        params = {p["name"]: p for p in fout.json()["invalidParams"]}
        assert sorted(params) == ["besluitId", "categorie", "ernst", "opgemaaktOp", "overtredingsdatum", "verwijtbaarheid"]
        assert "wkkgz-klachtenregeling" in params["categorie"]["reason"] and "zeer-ernstig" in params["ernst"]["reason"]
        assert "grove-schuld-of-opzet" in params["verwijtbaarheid"]["reason"]
        schema = await procedure.post(f"handhavingszaken/{zaak['id']}/boeterapporten", _rapport(fte="-1"), procedure.inspecteur)
        assert schema.status_code == 400 and [p["name"] for p in schema.json()["invalidParams"]] == ["fte"]
        assert await handhaving.scalar("SELECT count(*) FROM boeterapport") == 0
        onbekend = await procedure.post(
            "handhavingszaken/00000000-0000-4000-8000-000000000000/boeterapporten", _rapport(), procedure.inspecteur
        )
        assert onbekend.status_code == 404
        # scopes: the jurist and a reader do not draw up reports; reading needs a handhaving scope
        for headers in (procedure.jurist, procedure.lezer, auth.headers("publicatie", "handhaving.openbaarmakingen.beheren")):
            verboden = await procedure.post(f"handhavingszaken/{zaak['id']}/boeterapporten", _rapport(), headers)
            assert verboden.status_code == 403, verboden.text
        rapport = await _maak_rapport(procedure, zaak["id"], opgemaaktOp="2026-06-01")
        geweigerd = await handhaving.client.get(
            f"/api/v1/boeterapporten/{rapport['id']}", headers=auth.headers("publicatie", "handhaving.openbaarmakingen.beheren")
        )
        assert geweigerd.status_code == 403
        assert (
            await handhaving.client.get("/api/v1/boeterapporten/00000000-0000-4000-8000-000000000000", headers=procedure.lezer)
        ).status_code == 404
        # reading the amount is logged (personal data for a solist)
        await _lees_rapport(handhaving, procedure, rapport["id"])
        assert (
            await handhaving.scalar("SELECT count(*) FROM audit_trail WHERE actie = 'read' AND hoofd_object_id = :id", id=rapport["id"])
            == 1
        )


async def test_an_amount_stays_fixed_to_the_policy_version_it_was_computed_with(handhaving, procedure, monkeypatch, tmp_path):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 6, 1)))):
        zaak = await procedure.zaak()
        oud = await _maak_rapport(procedure, zaak["id"], opgemaaktOp="2026-06-01")
        assert (oud["bedrag"], oud["beleidVersie"]) == ("5600.00", "voorbeeld-2026.1")
        # a new table: wkkgz-klachtenregeling's basisbedrag 10000 -> 12000 (everything else as packaged)
        tabel = json.loads((Path(boete.__file__).with_name("boetebeleid.json")).read_text(encoding="utf-8"))
        tabel["versie"] = "voorbeeld-2026.2"
        [klachten] = [c for c in tabel["categorieen"] if c["code"] == "wkkgz-klachtenregeling"]
        klachten["basisbedrag"] = "12000"
        pad = tmp_path / "boetebeleid-2026.2.json"
        pad.write_text(json.dumps(tabel), encoding="utf-8")
        monkeypatch.setenv("HANDHAVING_BOETEBELEID", str(pad))
        boeteprocedure.beleid.cache_clear()
        try:
            nieuw = await _maak_rapport(procedure, zaak["id"], opgemaaktOp="2026-06-01")
        finally:
            monkeypatch.delenv("HANDHAVING_BOETEBELEID")
            boeteprocedure.beleid.cache_clear()
        # 12000 x gering 0.5 x grove schuld 1.5 x middelgroot 0.75 = 6750.00, a multiple of 50 already
        assert (nieuw["bedrag"], nieuw["beleidVersie"]) == ("6750.00", "voorbeeld-2026.2")
        assert nieuw["beleidHash"] != oud["beleidHash"]
        assert await _lees_rapport(handhaving, procedure, oud["id"]) == oud  # the earlier report keeps its amount
