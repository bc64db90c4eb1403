"""A bevel lapses after 7 days unless the Minister extends it; the lapse fires exactly once with two term
watchers running side by side, as two replicas would (issue 10, acceptance 3)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from zorgtoezicht import klok
from zorgtoezicht.service import ServiceRuntime

VASTSTELLING = {
    "motivering": "Direct gevaar voor de veiligheid van clienten.",
    "grondslag": "Gezondheidswet, art. 28",
    "rechtsmiddelenclausule": "Binnen zes weken na de dag van bekendmaking kunt u bezwaar maken.",
    "spoedreden": "acuut gevaar",
}


def _om(dag: date) -> datetime:
    return datetime(dag.year, dag.month, dag.day, 9, 0, tzinfo=klok.NL)


async def _bevel(procedure) -> dict:
    b = await procedure.voornemen((await procedure.zaak())["id"], "bevel")
    assert (await procedure.post(f"besluiten/{b['id']}/vaststelling", VASTSTELLING, procedure.jurist)).status_code == 200
    bekend = await procedure.post(f"besluiten/{b['id']}/bekendmaking", {}, procedure.jurist)
    assert bekend.status_code == 200, bekend.text
    return bekend.json()


async def _soorten(handhaving, besluit_id: str) -> list[str]:
    rijen = await handhaving.scalar(
        "SELECT string_agg(split_part(event_type, '.', 4), ',' ORDER BY id) FROM outbox WHERE record_key = :id", id=besluit_id
    )
    return rijen.split(",") if rijen else []


async def test_a_bevel_lapses_once_with_two_watchers(handhaving, procedure):
    tweede = ServiceRuntime(handhaving.runtime.definition, settings=handhaving.runtime.settings, platform=handhaving.runtime.platform)
    try:
        with klok.gebruik(klok.VasteKlok(_om(date(2026, 6, 1)))) as tijd:  # Mon 1 June: day 1 of 7, the last Sun 7 June
            bevelen = []
            for _ in range(6):
                bevelen.append(await _bevel(procedure))
            assert {(b["ingangsdatum"], b["vervaldatum"]) for b in bevelen} == {("2026-06-01", "2026-06-07")}
            tijd.zet(_om(date(2026, 6, 7)))
            assert await handhaving.runtime.termijnbewaker.run_once() == 0  # the last day is still in force
            for b in bevelen:
                assert (await procedure.besluit(b["id"]))["inWerking"] is True
            tijd.zet(_om(date(2026, 6, 8)))
            gevuurd = await asyncio.gather(handhaving.runtime.termijnbewaker.run_once(), tweede.termijnbewaker.run_once())
            assert sum(gevuurd) == 6
            assert await asyncio.gather(handhaving.runtime.termijnbewaker.run_once(), tweede.termijnbewaker.run_once()) == [0, 0]
            for b in bevelen:
                na = await procedure.besluit(b["id"])
                assert (na["status"], na["vervalreden"], na["vervaldatum"], na["inWerking"]) == (
                    "vervallen",
                    "tijdelijk",
                    "2026-06-07",
                    False,
                )
                soorten = await _soorten(handhaving, b["id"])
                assert soorten.count("besluit-vervallen") == 1 and soorten.count("maatregel-beeindigd") == 1, soorten
                door = await handhaving.scalar(
                    "SELECT door FROM besluit_status WHERE besluit_id = :id ORDER BY id DESC LIMIT 1", id=b["id"]
                )
                assert door == "handhaving.termijnbewaking"
    finally:
        await tweede.close()


async def test_the_minister_extends_a_bevel_and_it_lapses_after_the_new_day(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 6, 1)))) as tijd:
        bevel = await _bevel(procedure)
        tijd.zet(_om(date(2026, 6, 5)))
        kort = await procedure.post(
            f"besluiten/{bevel['id']}/verlenging", {"vervaldatum": "2026-06-06", "toelichting": "x"}, procedure.jurist
        )
        assert kort.status_code == 400 and [p["name"] for p in kort.json()["invalidParams"]] == ["vervaldatum"]
        verlengd = await procedure.post(
            f"besluiten/{bevel['id']}/verlenging", {"vervaldatum": "2026-06-14", "toelichting": "besluit van de Minister"}, procedure.jurist
        )
        assert verlengd.status_code == 200, verlengd.text
        assert verlengd.json()["vervaldatum"] == "2026-06-14"
        assert verlengd.json()["instrumentgegevens"]["verlengingen"] == [{"van": "2026-06-07", "tot": "2026-06-14"}]
        assert verlengd.json()["instrumentgegevens"]["verlengdDoorMinister"] is True
        tijd.zet(_om(date(2026, 6, 8)))
        assert await handhaving.runtime.termijnbewaker.run_once() == 0
        tijd.zet(_om(date(2026, 6, 15)))
        assert await handhaving.runtime.termijnbewaker.run_once() == 1
        assert (await procedure.besluit(bevel["id"]))["status"] == "vervallen"
        # only a bevel, and only one in force
        aanwijzing = await procedure.bekendgemaakt()
        geen = await procedure.post(
            f"besluiten/{aanwijzing['id']}/verlenging", {"vervaldatum": "2026-12-01", "toelichting": "x"}, procedure.jurist
        )
        assert geen.status_code == 409 and geen.json()["code"] == "geen_bevel"


async def test_a_besluit_ended_by_hand_leaves_the_watcher_nothing(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 6, 1)))) as tijd:
        bevel = await _bevel(procedure)
        await procedure.post(
            f"besluiten/{bevel['id']}/intrekking", {"vervalreden": "ingetrokken_overheid", "toelichting": "opgeheven"}, procedure.jurist
        )
        tijd.zet(_om(date(2026, 6, 8)))
        assert await handhaving.runtime.termijnbewaker.run_once() == 0
        assert (await procedure.besluit(bevel["id"]))["status"] == "ingetrokken"
