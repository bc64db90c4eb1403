"""A last onder dwangsom through the API on PostgreSQL (issue 10, item 4 and acceptance 4): the
begunstigingstermijn, verbeurte after a check, the due date (Awb 5:33 + Atw), the invorderingsbeschikking
before a reminder (5:37), the one-year limitation (5:35), each with its event; the term watcher fires each
term once with two watchers; an intrekking or opheffing ends forfeiture. Every date and amount below is
worked out by hand in the comments."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import date, datetime

from handhaving.invordering import _last_uit
from zorgtoezicht import klok
from zorgtoezicht.http.problems import InvalidInput
from zorgtoezicht.service import ServiceRuntime

ZORGAANBIEDER = uuid.UUID("7d6f3c1e-0a4b-4c2d-9e8f-1a2b3c4d5e6f")  # conftest's known provider
VASTSTELLING = {
    "motivering": "De last is bij herhaling niet nageleefd.",
    "grondslag": "Awb art. 5:32",
    "rechtsmiddelenclausule": "Binnen zes weken na de dag van bekendmaking kunt u bezwaar maken.",
}
PER_DAG = {
    "begunstigingstermijnDagen": 7,
    "bedragsoort": "per-tijdseenheid",
    "tijdseenheid": "dag",
    "bedrag": "750.00",
    "maximum": "5000.00",
}


def op(dag: date) -> datetime:
    return datetime(dag.year, dag.month, dag.day, 10, 0, tzinfo=klok.NL)


async def _last(procedure, instrumentgegevens: dict = PER_DAG, *, bekendmaken: bool = True) -> dict:
    """A last onder dwangsom proposed, heard, taken and (by default) made known today."""
    zaak = await procedure.zaak()
    response = await procedure.service.client.post(
        f"/api/v1/handhavingszaken/{zaak['id']}/besluiten",
        json={"besluittype": "last-onder-dwangsom", "toelichting": "herhaalde tekortkoming", "instrumentgegevens": instrumentgegevens},
        headers=procedure.inspecteur,
    )
    assert response.status_code == 201, response.text
    b = response.json()
    if not bekendmaken:
        return b
    assert (await procedure.post(f"besluiten/{b['id']}/zienswijzeverzoek", {}, procedure.inspecteur)).status_code == 200
    vandaag = klok.vandaag().isoformat()
    genomen = await procedure.post(
        f"besluiten/{b['id']}/vaststelling", {**VASTSTELLING, "zienswijzeOntvangenOp": vandaag}, procedure.jurist
    )
    assert genomen.status_code == 200, genomen.text
    bekend = await procedure.post(f"besluiten/{b['id']}/bekendmaking", {}, procedure.jurist)
    assert bekend.status_code == 200, bekend.text
    return bekend.json()


async def _controle(procedure, besluit_id: str, datum: date, overtreding: bool = True, **extra) -> dict:
    response = await procedure.post(
        f"besluiten/{besluit_id}/controles", {"datum": datum.isoformat(), "overtreding": overtreding, **extra}, procedure.inspecteur
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _stand(procedure, besluit_id: str) -> dict:
    response = await procedure.service.client.get(f"/api/v1/besluiten/{besluit_id}/verbeurten", headers=procedure.lezer)
    assert response.status_code == 200, response.text
    return response.json()


async def _events(handhaving, record_key: str) -> list[tuple[str, dict]]:
    rijen = await handhaving.scalar(
        "SELECT json_agg(json_build_array(split_part(event_type, '.', 4), convert_from(payload, 'UTF8')::json -> 'data') ORDER BY id) "
        "FROM outbox WHERE record_key = :k",
        k=record_key,
    )
    return [(soort, data) for soort, data in (rijen or [])]


def _soorten(gebeurtenissen: list[tuple[str, dict]]) -> list[str]:
    return [soort for soort, _ in gebeurtenissen]


async def test_per_dag_verbeurte_due_date_invordering_and_limitation(handhaving, procedure):
    tweede = ServiceRuntime(handhaving.runtime.definition, settings=handhaving.runtime.settings, platform=handhaving.runtime.platform)

    async def twee_bewakers() -> int:
        return sum(await asyncio.gather(handhaving.runtime.termijnbewaker.run_once(), tweede.termijnbewaker.run_once()))

    try:
        with klok.gebruik(klok.VasteKlok(op(date(2026, 11, 2)))) as tijd:  # Monday 2 November 2026
            last = await _last(procedure)
            # Made known and in force on Mon 2 Nov; 7 days of begunstigingstermijn: 2 Nov + 7 - 1 = Sun 8 Nov is the last day.
            stand = await _stand(procedure, last["id"])
            assert stand["last"]["begunstigingstermijnEinde"] == "2026-11-08"
            assert (stand["verbeurten"], stand["totaal"], stand["maximum"], stand["maximumBereikt"]) == ([], "0.00", "5000.00", False)

            # A violation found within the begunstigingstermijn forfeits nothing; the check is stored with why.
            tijd.zet(op(date(2026, 11, 6)))
            binnen = await _controle(procedure, last["id"], date(2026, 11, 6))
            assert binnen["verbeurten"] == [] and binnen["controle"]["reden"] == "binnen de begunstigingstermijn"

            # The begunstigingstermijn ended: on its last day nothing fires, the day after once (two watchers).
            tijd.zet(op(date(2026, 11, 8)))
            assert await twee_bewakers() == 0
            tijd.zet(op(date(2026, 11, 9)))
            assert await twee_bewakers() == 1
            assert await twee_bewakers() == 0
            assert _soorten(await _events(handhaving, last["id"])).count("dwangsom-begunstigingstermijn-verstreken") == 1

            # Fri 13 Nov: the check finds the last not complied with. Proven days 9, 10, 11, 12, 13 Nov: 5 x EUR 750 = EUR 3,750.
            # Due (Awb 5:33) six weeks after the last of those days: 13 Nov + 42 days = Fri 25 Dec 2026, eerste Kerstdag;
            # the Atw moves it past Sat 26 Dec (tweede Kerstdag and a Saturday) and Sun 27 Dec to Mon 28 Dec 2026.
            # Time-barred (5:35, no Atw) one year after the first day forfeited, 9 Nov 2026: the last day to collect is
            # 9 Nov 2027; the warning 30 days before it: 10 Oct 2027.
            tijd.zet(op(date(2026, 11, 13)))
            eerste = await _controle(procedure, last["id"], date(2026, 11, 13))
            assert eerste["controle"]["reden"] is None
            [v1] = eerste["verbeurten"]
            assert {k: v1[k] for k in ("volgnummer", "verbeurdVanaf", "verbeurdTot", "eenheden", "bedrag", "gemaximeerd")} == {
                "volgnummer": 1,
                "verbeurdVanaf": "2026-11-09",
                "verbeurdTot": "2026-11-13",
                "eenheden": 5,
                "bedrag": "3750.00",
                "gemaximeerd": False,
            }
            assert (v1["betalenUiterlijk"], v1["verjaardNa"], v1["bijnaVerjaardVanaf"]) == ("2026-12-28", "2027-11-09", "2027-10-10")
            [(soort, data)] = await _events(handhaving, v1["id"])
            assert soort == "dwangsom-verbeurd"
            assert (data["besluitId"], data["volgnummer"], data["verbeurdVanaf"], data["betalenUiterlijk"], data["verjaardNa"]) == (
                last["id"],
                1,
                "2026-11-09",
                "2026-12-28",
                "2027-11-09",
            )
            assert "bedrag" not in json.dumps(data)  # no amount of money in an event

            # No reminder before an invorderingsbeschikking (Awb 5:37).
            vroeg = await procedure.post(f"verbeurten/{v1['id']}/aanmaningen", {}, procedure.jurist)
            assert vroeg.status_code == 409 and vroeg.json()["code"] == "aanmaning_niet_toegestaan"
            assert "eerst een invorderingsbeschikking (Awb 5:37)" in vroeg.json()["detail"]

            # Fri 20 Nov: proven days 14..20 Nov (7 x EUR 750 = EUR 5,250), but the maximum EUR 5,000 leaves EUR 1,250:
            # 1,250 / 750 = 1.67, so 2 days (14 and 15 Nov) still forfeit, together EUR 1,250 (cut by the maximum).
            # Due: 15 Nov + 42 days = Sun 27 Dec 2026 -> Mon 28 Dec. Last day to collect: 14 Nov 2027; warning from 15 Oct 2027.
            tijd.zet(op(date(2026, 11, 20)))
            [v2] = (await _controle(procedure, last["id"], date(2026, 11, 20)))["verbeurten"]
            assert (v2["volgnummer"], v2["verbeurdVanaf"], v2["verbeurdTot"], v2["eenheden"], v2["bedrag"], v2["gemaximeerd"]) == (
                2,
                "2026-11-14",
                "2026-11-15",
                2,
                "1250.00",
                True,
            )
            assert (v2["betalenUiterlijk"], v2["verjaardNa"], v2["bijnaVerjaardVanaf"]) == ("2026-12-28", "2027-11-14", "2027-10-15")
            stand = await _stand(procedure, last["id"])
            assert (stand["totaal"], stand["maximumBereikt"], len(stand["controles"])) == ("5000.00", True, 3)
            gelezen = await procedure.service.client.get(f"/api/v1/verbeurten/{v2['id']}", headers=procedure.lezer)
            assert gelezen.status_code == 200 and gelezen.json() == v2

            # The maximum is reached: a later violation forfeits nothing.
            tijd.zet(op(date(2026, 11, 27)))
            assert (await _controle(procedure, last["id"], date(2026, 11, 27)))["controle"]["reden"] == "maximum bereikt"

            # Mon 30 Nov: the invorderingsbeschikking for the first verbeurte; a reminder the same day is refused
            # (it must follow the beschikking, and the payment term runs until 28 Dec).
            tijd.zet(op(date(2026, 11, 30)))
            beschikking = await procedure.post(
                f"verbeurten/{v1['id']}/invorderingsbeschikking", {"toelichting": "niet betaald"}, procedure.jurist
            )
            assert beschikking.status_code == 200, beschikking.text
            assert beschikking.json()["invorderingsbeschikkingOp"] == "2026-11-30"
            dubbel = await procedure.post(f"verbeurten/{v1['id']}/invorderingsbeschikking", {"toelichting": "x"}, procedure.jurist)
            assert dubbel.status_code == 409 and dubbel.json()["code"] == "invorderingsbeschikking_bestaat"
            zelfde_dag = await procedure.post(f"verbeurten/{v1['id']}/aanmaningen", {}, procedure.jurist)
            assert zelfde_dag.status_code == 409
            assert "de betalingstermijn loopt tot en met 2026-12-28" in zelfde_dag.json()["detail"]

            # Meanwhile two terms of the last itself ended: its publication's wachttijd (made known Mon 2 Nov, two weeks:
            # last day Mon 16 Nov) and its objection term (six weeks from Tue 3 Nov: last day Mon 14 Dec). Each fires once.
            tijd.zet(op(date(2026, 12, 27)))
            assert await twee_bewakers() == 2
            geeindigd = await handhaving.scalar(
                "SELECT string_agg(soort, ',' ORDER BY soort) FROM termijn"
                " WHERE status = 'verstreken' AND uiterlijk IN ('2026-11-16', '2026-12-14')"
            )
            assert geeindigd == "besluit-bezwaartermijn,openbaarmaking-wachttijd"

            # The payment term: Mon 28 Dec is still in time; on Tue 29 Dec both verbeurten' terms fire, once.
            tijd.zet(op(date(2026, 12, 28)))
            assert await twee_bewakers() == 0
            tijd.zet(op(date(2026, 12, 29)))
            assert await twee_bewakers() == 2
            aanmaning = await procedure.post(f"verbeurten/{v1['id']}/aanmaningen", {"toelichting": "herinnering"}, procedure.jurist)
            assert aanmaning.status_code == 200, aanmaning.text
            assert aanmaning.json()["aangemaandOp"] == "2026-12-29"
            zonder = await procedure.post(f"verbeurten/{v2['id']}/aanmaningen", {}, procedure.jurist)
            assert zonder.status_code == 409 and "eerst een invorderingsbeschikking (Awb 5:37)" in zonder.json()["detail"]

            # Mon 4 Jan 2027: the first is paid - collected; its remaining terms end without firing.
            tijd.zet(op(date(2027, 1, 4)))
            betaald = await procedure.post(f"verbeurten/{v1['id']}/betaling", {}, procedure.jurist)
            assert betaald.status_code == 200 and betaald.json()["betaaldOp"] == "2027-01-04"
            termijnen = await handhaving.scalar("SELECT json_object_agg(soort, status) FROM termijn WHERE aggregaat_id = :id", id=v1["id"])
            assert termijnen == {
                "dwangsom-betaaltermijn": "verstreken",
                "dwangsom-bijna-verjaard": "vervallen",
                "dwangsom-verjaring": "vervallen",
            }

            # The second is never collected. Warning from Fri 15 Oct 2027 (not on the 14th), once.
            tijd.zet(op(date(2027, 10, 14)))
            assert await twee_bewakers() == 0
            tijd.zet(op(date(2027, 10, 15)))
            assert await twee_bewakers() == 1
            # Sun 14 Nov 2027 is the last day to collect (the Atw does not apply to the year); from Mon 15 Nov it is
            # time-barred: the watcher says so once, and an invorderingsbeschikking is refused.
            tijd.zet(op(date(2027, 11, 14)))
            assert await twee_bewakers() == 0
            tijd.zet(op(date(2027, 11, 15)))
            assert await twee_bewakers() == 1
            assert await twee_bewakers() == 0
            te_laat = await procedure.post(f"verbeurten/{v2['id']}/invorderingsbeschikking", {"toelichting": "x"}, procedure.jurist)
            assert te_laat.status_code == 409 and te_laat.json()["code"] == "invordering_niet_toegestaan"
            assert "de invordering is verjaard na 2027-11-14 (Awb 5:35)" in te_laat.json()["detail"]

            assert _soorten(await _events(handhaving, v1["id"])) == [
                "dwangsom-verbeurd",
                "dwangsom-invorderingsbeschikking-genomen",
                "dwangsom-betaaltermijn-verstreken",
                "dwangsom-ingevorderd",
            ]
            assert _soorten(await _events(handhaving, v2["id"])) == [
                "dwangsom-verbeurd",
                "dwangsom-betaaltermijn-verstreken",
                "dwangsom-invordering-bijna-verjaard",
                "dwangsom-verjaard",
            ]
            for _, data in await _events(handhaving, v2["id"]):
                assert "bedrag" not in json.dumps(data) and data["zorgaanbiederId"] == str(ZORGAANBIEDER)
            door = await handhaving.scalar(
                "SELECT applicatie_id FROM audit_trail WHERE hoofd_object_id = :id ORDER BY aanmaakdatum DESC LIMIT 1", id=v2["id"]
            )
            assert door == "handhaving.termijnbewaking"

            # The Jaarbeeld: one invorderingsbeschikking in 2026 (30 Nov), still running on 31 Dec 2026 (paid 4 Jan
            # 2027); none taken in 2027 and none running on 31 Dec 2027 (v1 paid, v2 never had one).
            for jaar, verwacht in ((2026, (1, 1)), (2027, (0, 0))):
                tabel = await procedure.service.client.get(f"/api/v1/statistieken/interventies?jaar={jaar}", headers=procedure.lezer)
                assert tabel.status_code == 200, tabel.text
                rij = next(r for r in tabel.json()["rijen"] if r["instrument"] == "invorderingsbeschikking")
                assert (rij["opgelegd"], rij["lopendEindeJaar"]) == verwacht, jaar
    finally:
        await tweede.close()


async def test_a_revoked_last_forfeits_nothing_from_its_end(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(op(date(2026, 11, 2)))) as tijd:
        last = await _last(procedure)  # begunstigingstermijn until Sun 8 Nov (as above)
        # Wed 11 Nov: days 9, 10, 11 Nov forfeited, 3 x EUR 750 = EUR 2,250.
        tijd.zet(op(date(2026, 11, 11)))
        [v] = (await _controle(procedure, last["id"], date(2026, 11, 11)))["verbeurten"]
        assert (v["eenheden"], v["bedrag"]) == (3, "2250.00")
        # Thu 12 Nov: the last is revoked; from that day nothing is forfeited.
        tijd.zet(op(date(2026, 11, 12)))
        ingetrokken = await procedure.post(
            f"besluiten/{last['id']}/intrekking", {"vervalreden": "ingetrokken_overheid", "toelichting": "nageleefd"}, procedure.jurist
        )
        assert ingetrokken.status_code == 200, ingetrokken.text
        tijd.zet(op(date(2026, 11, 16)))
        later = await _controle(procedure, last["id"], date(2026, 11, 16))
        assert later["verbeurten"] == [] and later["controle"]["reden"] == "na intrekking van de last op 2026-11-12"
        stand = await _stand(procedure, last["id"])
        assert (stand["last"]["beeindigdOp"], stand["last"]["beeindiging"], stand["totaal"]) == ("2026-11-12", "intrekking", "2250.00")

        audit = await handhaving.scalar(
            "SELECT json_agg(json_build_array(applicatie_id, resource) ORDER BY aanmaakdatum) FROM audit_trail "
            "WHERE hoofd_object_id = :id AND resource LIKE 'dwangsom%'",
            id=last["id"],
        )
        assert audit == [
            ["jurist", "dwangsom-last"],  # made known: the last's terms
            ["inspecteur", "dwangsom-controle"],
            ["jurist", "dwangsom-last"],  # revoked: beeindigd_op
            ["inspecteur", "dwangsom-controle"],
        ]

        # An objection found well-founded revokes the last on the day it is decided (Awb 7:11).
        gegrond_last = await _last(procedure)
        bezwaar = await procedure.post(f"besluiten/{gegrond_last['id']}/bezwaren", {}, procedure.jurist)
        assert bezwaar.status_code == 201, bezwaar.text
        tijd.zet(op(date(2026, 11, 18)))
        beslist = await procedure.post(f"bezwaren/{bezwaar.json()['id']}/beslissing", {"uitkomst": "gegrond"}, procedure.jurist)
        assert beslist.status_code == 200, beslist.text
        stand = await _stand(procedure, gegrond_last["id"])
        assert (stand["last"]["beeindigdOp"], stand["last"]["beeindiging"]) == ("2026-11-18", "intrekking")

        # Revoked before its begunstigingstermijn ended: the watcher has nothing to announce.
        tijd.zet(op(date(2026, 11, 2)))
        vroeg = await _last(procedure)
        await procedure.post(
            f"besluiten/{vroeg['id']}/intrekking", {"vervalreden": "ingetrokken_overheid", "toelichting": "nageleefd"}, procedure.jurist
        )
        tijd.zet(op(date(2026, 11, 9)))
        await handhaving.runtime.termijnbewaker.run_once()
        assert "dwangsom-begunstigingstermijn-verstreken" not in _soorten(await _events(handhaving, vroeg["id"]))


async def test_a_lapsed_last_forfeits_nothing_after_its_last_day(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(op(date(2026, 11, 2)))) as tijd:
        b = await _last(procedure, bekendmaken=False)
        assert (await procedure.post(f"besluiten/{b['id']}/zienswijzeverzoek", {}, procedure.inspecteur)).status_code == 200
        genomen = await procedure.post(
            f"besluiten/{b['id']}/vaststelling", {**VASTSTELLING, "zienswijzeOntvangenOp": "2026-11-02"}, procedure.jurist
        )
        assert genomen.status_code == 200, genomen.text
        # In force Mon 2 Nov through Fri 13 Nov; begunstigingstermijn through Sun 8 Nov.
        bekend = await procedure.post(f"besluiten/{b['id']}/bekendmaking", {"vervaldatum": "2026-11-13"}, procedure.jurist)
        assert bekend.status_code == 200, bekend.text
        # Fri 13 Nov, its last day: days 9-13 Nov forfeited, 5 x EUR 750 = EUR 3,750.
        tijd.zet(op(date(2026, 11, 13)))
        [v] = (await _controle(procedure, b["id"], date(2026, 11, 13)))["verbeurten"]
        assert (v["verbeurdVanaf"], v["verbeurdTot"], v["bedrag"]) == ("2026-11-09", "2026-11-13", "3750.00")
        # Sat 14 Nov: the watcher lets the last lapse; a violation found on Mon 16 Nov forfeits nothing.
        tijd.zet(op(date(2026, 11, 14)))
        await handhaving.runtime.termijnbewaker.run_once()
        assert (await procedure.besluit(b["id"]))["status"] == "vervallen"
        tijd.zet(op(date(2026, 11, 16)))
        later = await _controle(procedure, b["id"], date(2026, 11, 16))
        assert later["verbeurten"] == [] and later["controle"]["reden"] == "na verval van de last op 2026-11-14"
        stand = await _stand(procedure, b["id"])
        assert (stand["last"]["beeindigdOp"], stand["last"]["beeindiging"], stand["totaal"]) == ("2026-11-14", "verval", "3750.00")


async def test_an_opheffing_ends_the_last(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(op(date(2026, 11, 2)))) as tijd:
        last = await _last(procedure)
        tijd.zet(op(date(2026, 11, 10)))
        opgeheven = await procedure.post(
            f"besluiten/{last['id']}/opheffing", {"toelichting": "naleving blijvend onmogelijk"}, procedure.jurist
        )
        assert opgeheven.status_code == 200, opgeheven.text
        assert (opgeheven.json()["status"], opgeheven.json()["vervalreden"]) == ("ingetrokken", "ingetrokken_belanghebbende")
        nogmaals = await procedure.post(f"besluiten/{last['id']}/opheffing", {"toelichting": "x"}, procedure.jurist)
        assert nogmaals.status_code == 409 and nogmaals.json()["code"] == "last_beeindigd"
        tijd.zet(op(date(2026, 11, 12)))
        controle = await _controle(procedure, last["id"], date(2026, 11, 12))
        assert controle["verbeurten"] == [] and controle["controle"]["reden"] == "na opheffing van de last op 2026-11-10"
        assert "maatregel-beeindigd" in _soorten(await _events(handhaving, last["id"]))


async def test_per_overtreding_and_ineens(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(op(date(2026, 11, 2)))) as tijd:
        # Per violation, EUR 1,000 each, at most EUR 2,500; begunstigingstermijn 1 day: only Mon 2 Nov itself.
        per = await _last(
            procedure, {"begunstigingstermijnDagen": 1, "bedragsoort": "per-overtreding", "bedrag": "1000", "maximum": "2500"}
        )
        tijd.zet(op(date(2026, 11, 3)))
        # 3 violations on Tue 3 Nov: 3 x 1,000 = 3,000 > 2,500, so 3 violations (2,500 / 1,000 = 2.5 -> 3) for EUR 2,500, cut.
        [v] = (await _controle(procedure, per["id"], date(2026, 11, 3), aantalOvertredingen=3))["verbeurten"]
        assert (v["eenheden"], v["bedrag"], v["gemaximeerd"], v["verbeurdVanaf"], v["verbeurdTot"]) == (
            3,
            "2500.00",
            True,
            "2026-11-03",
            "2026-11-03",
        )
        # Due 3 Nov + 42 days = Tue 15 Dec 2026, a working day: no Atw move. Time-barred after 3 Nov 2027.
        assert (v["betalenUiterlijk"], v["verjaardNa"]) == ("2026-12-15", "2027-11-03")

        # A lump sum of EUR 10,000: forfeited once, by the first counting check that finds the violation.
        tijd.zet(op(date(2026, 11, 2)))
        ineens = await _last(procedure, {"begunstigingstermijnDagen": 3, "bedragsoort": "ineens", "bedrag": "10000"})
        tijd.zet(op(date(2026, 11, 5)))  # begunstigingstermijn 2, 3, 4 Nov
        nageleefd = await _controle(procedure, ineens["id"], date(2026, 11, 5), overtreding=False)
        assert nageleefd["controle"]["reden"] == "de last werd nageleefd"
        tijd.zet(op(date(2026, 11, 6)))
        [v] = (await _controle(procedure, ineens["id"], date(2026, 11, 6)))["verbeurten"]
        assert (v["eenheden"], v["bedrag"], v["gemaximeerd"]) == (1, "10000.00", False)
        tijd.zet(op(date(2026, 11, 9)))
        assert (await _controle(procedure, ineens["id"], date(2026, 11, 9)))["controle"]["reden"] == "de dwangsom ineens is al verbeurd"
        assert (await _stand(procedure, ineens["id"]))["maximumBereikt"] is True


async def test_refusals_scopes_and_invalid_input(handhaving, procedure, auth):
    with klok.gebruik(klok.VasteKlok(op(date(2026, 11, 2)))) as tijd:
        last = await _last(procedure)
        tijd.zet(op(date(2026, 11, 10)))
        pad = f"besluiten/{last['id']}/controles"
        # 403: the jurist does not record checks; the inspecteur takes no invorderingsbeschikking.
        assert (await procedure.post(pad, {"datum": "2026-11-10", "overtreding": True}, procedure.jurist)).status_code == 403
        [v] = (await _controle(procedure, last["id"], date(2026, 11, 10)))["verbeurten"]
        beschikking = f"verbeurten/{v['id']}/invorderingsbeschikking"
        assert (await procedure.post(beschikking, {"toelichting": "x"}, procedure.inspecteur)).status_code == 403
        assert (await procedure.post(f"verbeurten/{v['id']}/betaling", {}, procedure.inspecteur)).status_code == 403
        geen_scope = auth.headers("lezer", "handhaving.maatregelen.lezen")
        assert (await procedure.service.client.get(f"/api/v1/verbeurten/{v['id']}", headers=geen_scope)).status_code == 403
        assert (await procedure.service.client.get(f"/api/v1/verbeurten/{v['id']}", headers=procedure.lezer)).status_code == 200

        # 400 listing every invalid field.
        leeg = await procedure.post(pad, {}, procedure.inspecteur)
        assert leeg.status_code == 400 and {p["name"] for p in leeg.json()["invalidParams"]} >= {"datum", "overtreding"}
        fout = await procedure.post(pad, {"datum": "2026-11-11", "overtreding": False, "aantalOvertredingen": 2}, procedure.inspecteur)
        assert fout.status_code == 400
        assert [(p["name"], p["code"]) for p in fout.json()["invalidParams"]] == [
            ("datum", "in_de_toekomst"),
            ("aantalOvertredingen", "zonder_overtreding"),
        ]
        eerder = await procedure.post(pad, {"datum": "2026-11-09", "overtreding": True}, procedure.inspecteur)
        assert eerder.status_code == 400 and eerder.json()["invalidParams"][0]["code"] == "voor_laatste_controle"
        toekomst = await procedure.post(f"verbeurten/{v['id']}/betaling", {"datum": "2026-11-11"}, procedure.jurist)
        assert toekomst.status_code == 400 and toekomst.json()["invalidParams"][0]["name"] == "datum"

        # 409: a last not made known has no effect; another instrument has no checks. 404: no such verbeurte.
        voornemen = await _last(procedure, bekendmaken=False)
        niet_bekend = await procedure.post(
            f"besluiten/{voornemen['id']}/controles", {"datum": "2026-11-10", "overtreding": True}, procedure.inspecteur
        )
        assert niet_bekend.status_code == 409 and niet_bekend.json()["code"] == "niet_bekendgemaakt"
        aanwijzing = await procedure.bekendgemaakt()
        ander = await procedure.post(
            f"besluiten/{aanwijzing['id']}/controles", {"datum": "2026-11-10", "overtreding": True}, procedure.inspecteur
        )
        assert ander.status_code == 409 and ander.json()["code"] == "geen_last_onder_dwangsom"
        onbekend = await procedure.service.client.get("/api/v1/verbeurten/00000000-0000-4000-8000-000000000000", headers=procedure.lezer)
        assert onbekend.status_code == 404


def test_the_lasts_terms_are_checked_field_by_field():
    try:
        _last_uit({"bedragsoort": "per-tijdseenheid", "bedrag": "12.345", "tijdseenheid": "maand"}, date(2026, 11, 2))
    except InvalidInput as fout:
        assert [p["name"] for p in fout.invalid_params or []] == [
            "instrumentgegevens.begunstigingstermijnDagen",
            "instrumentgegevens.bedrag",
            "instrumentgegevens.maximum",
            "instrumentgegevens.tijdseenheid",
        ]
    else:
        raise AssertionError("accepted")
    last = _last_uit({"begunstigingstermijnDagen": 14, "bedragsoort": "ineens", "bedrag": "2500"}, date(2026, 11, 2))
    assert (last.begunstigingstermijn_einde, last.maximum) == (date(2026, 11, 15), None)  # 2 Nov + 14 - 1
