"""The chain in process (issue 10, item 1 and acceptance 8 in part): a judgement with failed norms at toezicht opens
a case here through its own event; a measure decided in that case reaches register only once it is made known,
never when it is merely taken."""

from __future__ import annotations

from datetime import datetime

from zorgtoezicht import klok
from zorgtoezicht.testing.harness import start_chain

DAG = datetime(2026, 6, 15, 10, 0, tzinfo=klok.NL)  # a Monday
VASTSTELLING = {
    "motivering": "Risicotaxatie en medicatiecontrole ontbreken.",
    "grondslag": "Wkkgz art. 27",
    "rechtsmiddelenclausule": "Binnen zes weken na de dag van bekendmaking kunt u bezwaar maken.",
}


async def test_a_judgement_with_failed_norms_opens_a_case_and_its_measure_reaches_register_on_bekendmaking(databases, auth):
    with klok.gebruik(klok.VasteKlok(DAG)):
        chain = await start_chain(databases, auth, names=("register", "toezicht", "handhaving"))
        try:
            register, toezicht, handhaving = chain["register"], chain["toezicht"], chain["handhaving"]
            aangemaakt = await register.client.post(
                "/api/v1/zorgaanbieders",
                headers=auth.headers("staf", "register.zorgaanbieders.schrijven"),
                json={
                    "kvkNummer": "69599084",
                    "statutaireNaam": "GGZ De Linde B.V.",
                    "sectoren": ["ggz"],
                    "vestigingen": [{"vestigingsnummer": "000038509504", "postcode": "3511 AB", "gemeenteCode": "GM0344"}],
                },
            )
            assert aangemaakt.status_code == 201, aangemaakt.text
            zid = aangemaakt.json()["id"]
            await chain.settle()

            kader = await toezicht.client.get("/api/v1/normenkaders/ggz", headers=auth.headers("i", "toezicht.activiteiten.lezen"))
            normen = [n["id"] for n in kader.json()["normen"]][:3]
            schrijven = auth.headers("inspecteur", "toezicht.activiteiten.schrijven")
            activiteit = await toezicht.client.post(
                "/api/v1/toezichtactiviteiten",
                headers=schrijven,
                json={"zorgaanbiederId": zid, "soort": "inspectiebezoek", "selectiereden": "signalen", "sector": "ggz"},
            )
            aid = activiteit.json()["id"]
            for stap in ({"status": "gepland", "geplandOp": "2026-06-15"}, {"status": "uitgevoerd", "uitgevoerdOp": "2026-06-15"}):
                assert (
                    await toezicht.client.post(f"/api/v1/toezichtactiviteiten/{aid}/status", headers=schrijven, json=stap)
                ).status_code == 200
            oordelen = [
                {"normId": normen[0], "oordeel": "niet-voldaan", "bevinding": "Geen risicotaxatie bij opname", "ernst": "ernstig"},
                *({"normId": n, "oordeel": "voldaan", "bevinding": "In orde"} for n in normen[1:]),
            ]
            vastgesteld = await toezicht.client.post(
                f"/api/v1/toezichtactiviteiten/{aid}/oordeel",
                headers=auth.headers("inspecteur", "toezicht.oordelen.vaststellen"),
                json={"normen": oordelen},
            )
            assert vastgesteld.status_code in (200, 201), vastgesteld.text
            await chain.settle()

            zaak_id = await handhaving.scalar("SELECT id FROM handhavingszaak WHERE zorgaanbieder_id = :id", id=zid)
            assert zaak_id is not None, "the judgement opened no case"
            lezer = auth.headers("lezer", "handhaving.besluiten.lezen")
            zaak = (await handhaving.client.get(f"/api/v1/handhavingszaken/{zaak_id}", headers=lezer)).json()
            assert zaak["aanleiding"] == "oordeel-vastgesteld" and zaak["aanleidingDatum"] == "2026-06-15"
            assert zaak["tekortkomingen"] == [{"normId": normen[0], "oordeel": "niet-voldaan", "ernst": "ernstig"}]
            assert "risicotaxatie" not in str(zaak)  # the finding stays at toezicht

            b = await handhaving.client.post(
                f"/api/v1/handhavingszaken/{zaak_id}/besluiten",
                json={"besluittype": "aanwijzing", "toelichting": "norm niet nageleefd", "instrumentgegevens": {"termijnDagen": 42}},
                headers=auth.headers("inspecteur", "handhaving.besluiten.voorstellen"),
            )
            bid = b.json()["id"]
            jurist = auth.headers("jurist", "handhaving.besluiten.nemen")
            genomen = await handhaving.client.post(
                f"/api/v1/besluiten/{bid}/vaststelling", json={**VASTSTELLING, "spoedreden": "ernstig risico"}, headers=jurist
            )
            assert genomen.status_code == 200, genomen.text
            await chain.settle()
            provider = auth.headers("r", "register.zorgaanbieders.lezen")
            voor = (await register.client.get(f"/api/v1/zorgaanbieders/{zid}", headers=provider)).json()
            assert voor["actieveMaatregelen"] == []  # taken, not made known: no effect

            bekend = await handhaving.client.post(f"/api/v1/besluiten/{bid}/bekendmaking", json={}, headers=jurist)
            assert bekend.status_code == 200, bekend.text
            await chain.settle()
            na = (await register.client.get(f"/api/v1/zorgaanbieders/{zid}", headers=provider)).json()
            assert [(m["maatregelId"], m["soort"], m["ingangsdatum"]) for m in na["actieveMaatregelen"]] == [
                (bid, "aanwijzing", "2026-06-15")
            ]
        finally:
            await chain.close()
