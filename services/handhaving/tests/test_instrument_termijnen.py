"""Terms a bekendmaking sets running, fired once by the term watcher (issue 10, items 2, 6 and 7):

- the objection term: ``bezwaartermijn-verstreken`` on the day after its last day, once with two watchers;
- a verbeterplan's term to comply: ``vervolgtoezicht-gevraagd`` the day after its last day (ingangsdatum + dagen - 1);
- the besluit's publication: an openbaarmaking in its wachttijd, on the public list (no token) only after it.

Every date is worked out by hand in the comments; the clock is moved, never waited for."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from zorgtoezicht import klok
from zorgtoezicht.service import ServiceRuntime

VERSTREKEN = "nl.zorgtoezicht.handhavingszaken.bezwaartermijn-verstreken"
VERVOLG = "nl.zorgtoezicht.maatregelen.vervolgtoezicht-gevraagd"


def _om(dag: date, uur: int = 9) -> datetime:
    return datetime(dag.year, dag.month, dag.day, uur, 0, tzinfo=klok.NL)


async def _events(handhaving, event_type: str) -> list[dict]:
    rows = await handhaving.scalar(
        "SELECT json_agg(convert_from(payload, 'UTF8')::json ORDER BY id) FROM outbox WHERE event_type = :t", t=event_type
    )
    return rows or []


async def test_the_objection_term_ends_once_with_two_watchers_on_the_day_after_its_last_day(handhaving, procedure):
    tweede = ServiceRuntime(handhaving.runtime.definition, settings=handhaving.runtime.settings, platform=handhaving.runtime.platform)
    try:
        with klok.gebruik(klok.VasteKlok(_om(date(2026, 6, 1)))) as tijd:  # made known Monday 1 June 2026
            besluiten = [await procedure.bekendgemaakt("waarschuwing") for _ in range(3)]
            # six weeks from the day after (Tue 2 June): the last day is Monday 13 July 2026, no holiday to move it
            assert {b["uiterlijkeReactiedatum"] for b in besluiten} == {"2026-07-13"}
            ingetrokken = await procedure.bekendgemaakt("waarschuwing")
            tijd.zet(_om(date(2026, 6, 5)))
            bezwaar = await procedure.post(f"besluiten/{besluiten[0]['id']}/bezwaren", {}, procedure.jurist)
            assert bezwaar.status_code == 201, bezwaar.text
            intrekking = {"vervalreden": "ingetrokken_overheid", "toelichting": "ten onrechte"}
            assert (await procedure.post(f"besluiten/{ingetrokken['id']}/intrekking", intrekking, procedure.jurist)).status_code == 200

            tijd.zet(_om(date(2026, 6, 20)))
            # three publications' wachttijd (last day 15 June); the revoked besluit is never published
            assert await handhaving.runtime.termijnbewaker.run_once() == 3
            statussen = await handhaving.scalar("SELECT json_object_agg(besluit_id, status) FROM openbaarmaking")
            assert statussen == {ingetrokken["id"]: "afgezien"} | {b["id"]: "gepubliceerd" for b in besluiten}
            tijd.zet(_om(date(2026, 7, 13), 23))
            assert await asyncio.gather(handhaving.runtime.termijnbewaker.run_once(), tweede.termijnbewaker.run_once()) == [0, 0]
            assert await _events(handhaving, VERSTREKEN) == []
            tijd.zet(_om(date(2026, 7, 14), 0))
            gevuurd = await asyncio.gather(handhaving.runtime.termijnbewaker.run_once(), tweede.termijnbewaker.run_once())
            assert sum(gevuurd) == 3  # the revoked one's term was cancelled
            assert await asyncio.gather(handhaving.runtime.termijnbewaker.run_once(), tweede.termijnbewaker.run_once()) == [0, 0]
    finally:
        await tweede.close()
    verstreken = await _events(handhaving, VERSTREKEN)
    assert sorted(e["subject"] for e in verstreken) == sorted(b["id"] for b in besluiten)  # one each
    per_besluit = {e["subject"]: e["data"] for e in verstreken}
    assert per_besluit[besluiten[0]["id"]]["bezwaarOntvangen"] is True
    assert [per_besluit[b["id"]]["bezwaarOntvangen"] for b in besluiten[1:]] == [False, False]
    assert {d["laatsteDag"] for d in per_besluit.values()} == {"2026-07-13"}
    assert set(per_besluit[besluiten[1]["id"]]) == {
        "besluitId",
        "zaakId",
        "zorgaanbiederId",
        "besluittype",
        "laatsteDag",
        "bezwaarOntvangen",
    }  # ids, codes and dates only


async def test_a_verbeterplan_asks_toezicht_for_a_follow_up_when_its_term_ended(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 6, 1)))) as tijd:
        plan = await procedure.bekendgemaakt("verbeterplan", {"termijnDagen": 30}, ingangsdatum="2026-06-08")
        # 30 days from Monday 8 June: the last day is 8 June + 29 = Tuesday 7 July 2026
        ingetrokken = await procedure.bekendgemaakt("aanwijzing", {"termijnDagen": 10})
        spoed = {"spoedeisend": True, "teTreffenMaatregelen": "De medicatiekamer afsluiten."}
        await procedure.bekendgemaakt("last-onder-bestuursdwang", spoed)  # Awb 5:31: no term to comply
        intrekking = {"vervalreden": "ingetrokken_overheid", "toelichting": "nageleefd"}
        assert (await procedure.post(f"besluiten/{ingetrokken['id']}/intrekking", intrekking, procedure.jurist)).status_code == 200
        tijd.zet(_om(date(2026, 6, 20)))
        assert await handhaving.runtime.termijnbewaker.run_once() == 2  # two publications' wachttijd (not the revoked one)
        tijd.zet(_om(date(2026, 7, 7), 23))
        assert await handhaving.runtime.termijnbewaker.run_once() == 0  # the last day to comply
        tijd.zet(_om(date(2026, 7, 8), 0))
        assert await handhaving.runtime.termijnbewaker.run_once() == 1
        assert await handhaving.runtime.termijnbewaker.run_once() == 0
    [vervolg] = await _events(handhaving, VERVOLG)
    assert vervolg["subject"] == plan["id"]
    assert vervolg["data"] == {
        "maatregelId": plan["id"],
        "zaakId": plan["zaakId"],
        "zorgaanbiederId": plan["zorgaanbiederId"],
        "soort": "verbeterplan",
        "laatsteDag": "2026-07-07",
    }


async def test_a_bekendmaking_starts_the_publication_and_it_is_public_only_after_the_wachttijd(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 6, 1)))) as tijd:
        b = await procedure.bekendgemaakt("aanwijzing")  # no zakelijkeWeergave: a neutral default from codes
        vt = await procedure.bekendgemaakt("verscherpt-toezicht", zakelijkeWeergave="Verscherpt toezicht op locatie Oost.")
        advies = await procedure.bekendgemaakt("stimuleren-adviseren")
        rijen = await handhaving.scalar(
            "SELECT json_object_agg(besluit_id, json_build_array(status, documentsoort, laatste_wachtdag, zakelijke_weergave))"
            " FROM openbaarmaking"
        )
        # made known Monday 1 June: the wachttijd of two weeks ends Monday 15 June, published from Tuesday 16 June
        assert rijen == {
            b["id"]: [
                "wachttijd",
                "zakelijke-weergave-besluit",
                "2026-06-15",
                "Besluit aanwijzing van 2026-06-01, grondslag: Wet kwaliteit, klachten en geschillen zorg, art. 27.",
            ],
            vt["id"]: ["wachttijd", "verscherpt-toezicht-mededeling", "2026-06-15", "Verscherpt toezicht op locatie Oost."],
        }
        assert advies["id"] not in rijen  # advice is no besluit: nothing to publish

        tijd.zet(_om(date(2026, 6, 15), 23))
        assert await handhaving.runtime.termijnbewaker.run_once() == 0
        assert (await handhaving.client.get("/api/v1/openbare-maatregelen")).json()["results"] == []
        tijd.zet(_om(date(2026, 6, 16), 1))
        assert await handhaving.runtime.termijnbewaker.run_once() == 2
        publiek = (await handhaving.client.get("/api/v1/openbare-maatregelen")).json()["results"]  # no token
        assert sorted((p["instrument"], p["gepubliceerdOp"]) for p in publiek) == [
            ("aanwijzing", "2026-06-16"),
            ("verscherpt-toezicht", "2026-06-16"),
        ]
        gelezen = await handhaving.client.get(f"/api/v1/besluiten/{b['id']}", headers=procedure.lezer)
        assert gelezen.json()["publicatiedatum"] == "2026-06-16"  # the ZGW Besluit's publicatiedatum

        # Revoked on Friday 19 June: it comes off the public list that day, with its reason in the event.
        tijd.zet(_om(date(2026, 6, 19)))
        intrekking = {"vervalreden": "ingetrokken_belanghebbende", "toelichting": "op verzoek"}
        assert (await procedure.post(f"besluiten/{b['id']}/intrekking", intrekking, procedure.jurist)).status_code == 200
        publiek = (await handhaving.client.get("/api/v1/openbare-maatregelen")).json()["results"]
        assert [p["instrument"] for p in publiek] == ["verscherpt-toezicht"]
        [verwijderd] = await _events(handhaving, "nl.zorgtoezicht.maatregelen.openbaarmaking-verwijderd")
        assert (verwijderd["data"]["besluitId"], verwijderd["data"]["reden"], verwijderd["data"]["verwijderdOp"]) == (
            b["id"],
            "besluit-ingetrokken",
            "2026-06-19",
        )


async def test_a_zakelijke_weergave_with_personal_data_is_refused_at_bekendmaking(handhaving, procedure, vaste_klok):
    zaak = await procedure.zaak()
    b = await procedure.voornemen(zaak["id"])
    await procedure.post(f"besluiten/{b['id']}/zienswijzeverzoek", {}, procedure.inspecteur)
    vaststelling = {"motivering": "m", "grondslag": "g", "rechtsmiddelenclausule": "r", "zienswijzeOntvangenOp": "2026-06-01"}
    assert (await procedure.post(f"besluiten/{b['id']}/vaststelling", vaststelling, procedure.jurist)).status_code == 200
    response = await procedure.post(
        f"besluiten/{b['id']}/bekendmaking", {"zakelijkeWeergave": "Bel de directeur op 06-12345678."}, procedure.jurist
    )
    assert response.status_code == 400, response.text
    assert [(p["name"], p["code"]) for p in response.json()["invalidParams"]] == [("zakelijkeWeergave", "persoonsgegevens")]
    assert (await procedure.besluit(b["id"]))["status"] == "genomen"
    assert await handhaving.scalar("SELECT count(*) FROM openbaarmaking") == 0


async def test_a_bevel_that_lapsed_on_its_own_keeps_its_objection_term(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 6, 1)))) as tijd:
        b = await procedure.voornemen((await procedure.zaak())["id"], "bevel", {"handhavingsmiddel": "dwangsom"})
        spoed = {"motivering": "m", "grondslag": "Gezondheidswet, art. 28", "rechtsmiddelenclausule": "r", "spoedreden": "acuut gevaar"}
        assert (await procedure.post(f"besluiten/{b['id']}/vaststelling", spoed, procedure.jurist)).status_code == 200
        assert (await procedure.post(f"besluiten/{b['id']}/bekendmaking", {}, procedure.jurist)).status_code == 200
        tijd.zet(_om(date(2026, 6, 20)))
        assert await handhaving.runtime.termijnbewaker.run_once() == 2  # lapsed after Sunday 7 June; published after 15 June
        assert (await procedure.besluit(b["id"]))["status"] == "vervallen"
        tijd.zet(_om(date(2026, 7, 14), 0))  # the day after the last day to object, Monday 13 July
        assert await handhaving.runtime.termijnbewaker.run_once() == 1
    [verstreken] = await _events(handhaving, VERSTREKEN)
    assert (verstreken["subject"], verstreken["data"]["laatsteDag"], verstreken["data"]["bezwaarOntvangen"]) == (
        b["id"],
        "2026-07-13",
        False,
    )
