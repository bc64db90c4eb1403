"""A judgement with shortcomings opens one case (however often delivered); every step announces its event with
ids, instrument and dates only; a measure is announced (maatregel-opgelegd) at its bekendmaking and ended
(maatregel-beeindigd) at its intrekking or verval (issue 10, items 1 and 8); a waarschuwing still valid makes a
new shortcoming propose a boete, after 2 years it does not (acceptance 6)."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import text

from zorgtoezicht import klok
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.events.contracts.meldpunt import MeldingGetrieerd, MeldingTermijnOverschreden
from zorgtoezicht.events.contracts.toezicht import OordeelVastgesteld, Tekortkoming
from zorgtoezicht.events.envelope import EventData, EventFactory
from zorgtoezicht.messaging.bus import Message

ZORGAANBIEDER = uuid.UUID("7d6f3c1e-0a4b-4c2d-9e8f-1a2b3c4d5e6f")  # the provider the fixture registers
FACTORY = EventFactory(oin="00000001234567890000", system="test", api_base_url="http://test/api/v1")
ZAAKVELDEN = {"zaakId", "zorgaanbiederId", "aanleiding", "aanleidingId", "aanleidingDatum"}
BESLUITVELDEN = {"besluitId", "zaakId", "zorgaanbiederId", "besluittype"}


def _om(dag: date) -> datetime:
    return datetime(dag.year, dag.month, dag.day, 11, 0, tzinfo=klok.NL)


def oordeel(vastgesteld_op: date, *, tekortkomingen: int = 2, oordeel_id: uuid.UUID | None = None) -> OordeelVastgesteld:
    return OordeelVastgesteld(
        activiteit_id=uuid.uuid4(),
        oordeel_id=oordeel_id or uuid.uuid4(),
        zorgaanbieder_id=ZORGAANBIEDER,
        soort="inspectiebezoek",
        sector=next(iter(Sector)),
        normenkader_versie="1@abc",
        vastgesteld_op=vastgesteld_op,
        aantal_normen=5,
        aantal_voldaan=5 - tekortkomingen,
        aantal_deels=0,
        aantal_niet_voldaan=tekortkomingen,
        tekortkomingen=[Tekortkoming(norm_id=f"vv-2.{i}", oordeel="niet-voldaan", ernst="ernstig") for i in range(tekortkomingen)],
    )


async def lever(handhaving, data: EventData) -> None:
    """Deliver one event to handhaving's consumer of its topic."""
    event = FACTORY.build(data)
    [processor] = [p for p in handhaving.runtime.processors(None) if p.subscription.topic == data.topic.value]
    await processor.process(Message(data.topic.value, event.subject, event.to_bytes()))
    assert processor.stats["dead"] == 0, processor.stats


async def gebeurtenissen(handhaving) -> list[tuple[str, dict]]:
    """The outbox, oldest first: (type suffix, data)."""
    async with handhaving.runtime.db.transaction() as session:
        rijen = (await session.execute(text("SELECT event_type, payload FROM outbox ORDER BY id"))).all()
    return [(t.rsplit(".", 1)[-1], json.loads(p)["data"]) for t, p in rijen]


async def test_a_judgement_with_shortcomings_opens_one_case_however_often_delivered(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 6, 1)))):
        dubbel = oordeel(date(2026, 5, 29))
        await lever(handhaving, dubbel)
        await lever(handhaving, oordeel(date(2026, 5, 29), tekortkomingen=0))  # all norms met: no case
        await lever(handhaving, dubbel.model_copy())  # the same judgement again (a new event id: not the inbox)
        assert await handhaving.scalar("SELECT count(*) FROM handhavingszaak") == 1
        zaak_id = await handhaving.scalar("SELECT id FROM handhavingszaak")
        response = await handhaving.client.get(f"/api/v1/handhavingszaken/{zaak_id}", headers=procedure.lezer)
        zaak = response.json()
        assert (zaak["aanleiding"], zaak["aanleidingId"], zaak["aanleidingDatum"]) == (
            "oordeel-vastgesteld",
            str(dubbel.oordeel_id),
            "2026-05-29",
        )
        assert zaak["tekortkomingen"] == [
            {"normId": "vv-2.0", "oordeel": "niet-voldaan", "ernst": "ernstig"},
            {"normId": "vv-2.1", "oordeel": "niet-voldaan", "ernst": "ernstig"},
        ]
        assert zaak["besluiten"] == [] and zaak["herhalingVan"] is None
        [(soort, data)] = await gebeurtenissen(handhaving)
        assert soort == "handhavingszaak-geopend" and set(data) == ZAAKVELDEN


async def test_a_melding_routed_direct_escaleren_or_a_late_wkkgz_melding_opens_a_case(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 6, 1)))):
        escalatie, gewoon, laat, wmo = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

        def triage(melding_id: uuid.UUID, route: str) -> MeldingGetrieerd:
            return MeldingGetrieerd(
                melding_id=melding_id,
                route=route,
                prioriteit="hoog",
                afhandeldatum=date(2026, 6, 5),
                regel="r1",
                tabel_versie="1",
                zorgaanbieder_id=ZORGAANBIEDER,
            )

        await lever(handhaving, triage(escalatie, "direct-escaleren"))
        await lever(handhaving, triage(escalatie, "direct-escaleren"))  # again (an inspector's override): still one case
        await lever(handhaving, triage(gewoon, "registreren"))
        for melding_id, soort in ((laat, "wkkgz-calamiteit"), (wmo, "wmo-calamiteit")):  # Wmo: the gemeente's, not ours
            await lever(
                handhaving,
                MeldingTermijnOverschreden(
                    melding_id=melding_id,
                    zorgaanbieder_id=ZORGAANBIEDER,
                    soort=soort,
                    regel="wkkgz-calamiteit-melden",
                    uiterlijk=date(2026, 5, 20),
                    dagen_te_laat=4,
                ),
            )
        async with handhaving.runtime.db.transaction() as session:
            from sqlalchemy import text

            zaken = (
                await session.execute(text("SELECT aanleiding, aanleiding_id, aanleiding_datum FROM handhavingszaak ORDER BY aanleiding"))
            ).all()
        assert [tuple(z) for z in zaken] == [
            ("melding-direct-escaleren", escalatie, date(2026, 6, 1)),
            ("wkkgz-melding-te-laat", laat, date(2026, 5, 24)),  # reported 4 days after Wed 20 May
        ]


async def test_every_step_announces_its_event_and_a_measure_only_from_its_bekendmaking(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 6, 1)))) as tijd:
        b = await procedure.bekendgemaakt(ingangsdatum="2026-06-03", vervaldatum="2026-12-31")
        bezwaar = (await procedure.post(f"besluiten/{b['id']}/bezwaren", {}, procedure.jurist)).json()
        await procedure.post(f"bezwaren/{bezwaar['id']}/beslissing", {"uitkomst": "ongegrond"}, procedure.jurist)
        tijd.zet(_om(date(2026, 7, 1)))
        ingetrokken = await procedure.post(
            f"besluiten/{b['id']}/intrekking", {"vervalreden": "ingetrokken_belanghebbende", "toelichting": "op verzoek"}, procedure.jurist
        )
        assert ingetrokken.json()["vervaldatum"] == "2026-07-01" and ingetrokken.json()["inWerking"] is False
        stroom = [(s, d) for s, d in await gebeurtenissen(handhaving) if d.get("besluitId", d.get("maatregelId")) == b["id"]]
        assert [s for s, _ in stroom] == [
            "besluit-voorgenomen",
            "besluit-genomen",
            "besluit-bekendgemaakt",
            "maatregel-opgelegd",
            "bezwaar-ontvangen",
            "bezwaar-beslist",
            "besluit-ingetrokken",
            "maatregel-beeindigd",
        ]
        data = dict(stroom)
        assert data["maatregel-opgelegd"] == {
            "maatregelId": b["id"],
            "zorgaanbiederId": str(ZORGAANBIEDER),
            "soort": "aanwijzing",
            "ingangsdatum": "2026-06-03",
            "einddatum": "2026-12-31",
        }
        assert data["besluit-bekendgemaakt"]["bezwaartermijnEinde"] == "2026-07-13"  # Mon 1 Jun + 42 = Mon 13 Jul
        assert data["maatregel-beeindigd"]["einddatum"] == "2026-07-01"
        assert data["besluit-ingetrokken"]["vervalreden"] == "ingetrokken_belanghebbende"
        assert data["bezwaar-beslist"]["uitkomst"] == "ongegrond"
        for soort, velden in data.items():  # ids, codes and dates only: no motivering, toelichting or reason text
            if soort.startswith("besluit") or soort.startswith("bezwaar"):
                assert BESLUITVELDEN <= set(velden), soort
            assert not {"motivering", "toelichting", "grondslag", "verschoonbaarReden", "spoedreden"} & set(velden), soort


async def test_a_proposal_dropped_before_bekendmaking_ends_no_measure(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 6, 1)))):
        b = await procedure.voornemen((await procedure.zaak())["id"])
        await procedure.post(
            f"besluiten/{b['id']}/intrekking", {"vervalreden": "ingetrokken_overheid", "toelichting": "x"}, procedure.jurist
        )
        soorten = [s for s, d in await gebeurtenissen(handhaving) if d.get("besluitId", d.get("maatregelId")) == b["id"]]
        assert soorten == ["besluit-voorgenomen", "besluit-ingetrokken"]
        assert (await procedure.besluit(b["id"]))["vervaldatum"] is None


async def test_a_bevel_runs_at_most_seven_days_and_lapses_with_its_event(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 6, 1)))) as tijd:
        te_lang = await procedure.voornemen((await procedure.zaak())["id"], "bevel")
        await procedure.post(f"besluiten/{te_lang['id']}/vaststelling", {**_VASTSTELLING, "spoedreden": "acuut gevaar"}, procedure.jurist)
        # Mon 1 Jun is day 1 of 7: the last day is Sun 7 Jun (the Atw does not lengthen a measure)
        response = await procedure.post(f"besluiten/{te_lang['id']}/bekendmaking", {"vervaldatum": "2026-06-08"}, procedure.jurist)
        assert response.status_code == 400 and [p["name"] for p in response.json()["invalidParams"]] == ["vervaldatum"]
        bevel = (await procedure.post(f"besluiten/{te_lang['id']}/bekendmaking", {}, procedure.jurist)).json()
        assert (bevel["ingangsdatum"], bevel["vervaldatum"]) == ("2026-06-01", "2026-06-07")
        tijd.zet(_om(date(2026, 6, 8)))
        assert (await procedure.besluit(bevel["id"]))["inWerking"] is False
        vervallen = (await procedure.post(f"besluiten/{bevel['id']}/verval", {}, procedure.jurist)).json()
        assert (vervallen["status"], vervallen["vervalreden"], vervallen["vervaldatum"]) == ("vervallen", "tijdelijk", "2026-06-07")
        soorten = [s for s, d in await gebeurtenissen(handhaving) if d.get("besluitId", d.get("maatregelId")) == bevel["id"]]
        assert soorten[-2:] == ["besluit-vervallen", "maatregel-beeindigd"]


_VASTSTELLING = {
    "motivering": "Direct gevaar voor de veiligheid van clienten.",
    "grondslag": "Gezondheidswet, art. 28",
    "rechtsmiddelenclausule": "Binnen zes weken na de dag van bekendmaking kunt u bezwaar maken.",
}


# A waarschuwing made known on Tue 10 March 2026 is valid 2 years: through Thu 9 March 2028 (counted by hand:
# 10 March 2026 + 2 years = 10 March 2028, the first day it no longer applies).
@pytest.mark.parametrize(
    ("vastgesteld_op", "boete"),
    [
        (date(2028, 3, 8), True),  # two days before the end: a repeat
        (date(2028, 3, 9), True),  # the last day of the 2 years
        (date(2028, 3, 10), False),  # 2 years after: no longer a repeat
        (date(2028, 3, 11), False),
    ],
    ids=lambda v: str(v),
)
async def test_a_waarschuwing_makes_a_repeat_within_two_years_propose_a_boete(handhaving, procedure, vastgesteld_op, boete):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 3, 10)))) as tijd:
        waarschuwing = await procedure.bekendgemaakt("waarschuwing")
        assert (waarschuwing["ingangsdatum"], waarschuwing["vervaldatum"]) == ("2026-03-10", "2028-03-09")
        tijd.zet(_om(date(2028, 3, 14)))  # the judgement's event arrives later: its own date decides
        # meanwhile the waarschuwing lapsed (and its objection term and its publication's wachttijd ended)
        assert await handhaving.runtime.termijnbewaker.run_once() == 3
        assert (await procedure.besluit(waarschuwing["id"]))["status"] == "vervallen"
        await lever(handhaving, oordeel(vastgesteld_op))
        zaak_id = await handhaving.scalar("SELECT id FROM handhavingszaak WHERE aanleiding = 'oordeel-vastgesteld'")
        zaak = (await handhaving.client.get(f"/api/v1/handhavingszaken/{zaak_id}", headers=procedure.lezer)).json()
        if boete:
            assert zaak["herhalingVan"] == waarschuwing["id"]
            [besluit_id] = zaak["besluiten"]
            voorstel = await procedure.besluit(besluit_id)
            assert (voorstel["besluittype"], voorstel["status"], voorstel["inWerking"]) == ("bestuurlijke-boete", "voornemen", False)
            assert voorstel["instrumentgegevens"] == {"herhalingVan": waarschuwing["id"]}
        else:
            assert zaak["herhalingVan"] is None and zaak["besluiten"] == []


async def test_a_revoked_waarschuwing_no_longer_counts(handhaving, procedure):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 3, 10)))) as tijd:
        waarschuwing = await procedure.bekendgemaakt("waarschuwing")
        tijd.zet(_om(date(2026, 4, 1)))
        await procedure.post(
            f"besluiten/{waarschuwing['id']}/intrekking",
            {"vervalreden": "ingetrokken_overheid", "toelichting": "onjuist"},
            procedure.jurist,
        )
        zaak = await procedure.zaak(aanleidingDatum="2026-05-01")
        assert zaak["herhalingVan"] is None and zaak["besluiten"] == []
