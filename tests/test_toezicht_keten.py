"""The supervision chain in toezicht end to end (issue 9, acceptance 4 through the API, and the inputs as events).

register's facts and meldpunt's melding reach toezicht as events; an inspector performs an activity and fixes a
judgement with failed norms through the API; the judgement's own event comes back to toezicht's risk model and
raises the provider's score by exactly what the model's numbers (written out here) say; the plan then picks
the provider by its raised score.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from zorgtoezicht import klok
from zorgtoezicht.testing.harness import repo_root, start_chain

DAG = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)  # a Monday
TEAM_GGZ = "ggz-midden"

# The judgement's numbers in this test's model (the packaged model with its judgement entry replaced).
OORDEEL_GEWICHT = 50.0
OORDEEL_ERNSTFACTOR = 2.0  # an ernstige tekortkoming doubles it
DEELS_FACTOR = 0.5  # a norm judged deels counts half


@pytest.fixture
def model(tmp_path: Path, monkeypatch) -> None:
    pakket = json.loads((repo_root() / "services/toezicht/src/toezicht/risicomodel.json").read_text())
    pakket["versie"] = "keten-test"
    pakket["signalen"]["oordeel"].update(
        gewicht=OORDEEL_GEWICHT, ernstfactor=OORDEEL_ERNSTFACTOR, deels_factor=DEELS_FACTOR, naar_aandeel=True, alleen_laatste=True
    )
    pad = tmp_path / "risicomodel.json"
    pad.write_text(json.dumps(pakket))
    monkeypatch.setenv("TOEZICHT_RISICOMODEL", str(pad))


async def test_a_judgement_with_failed_norms_raises_the_score_through_its_own_event_and_the_plan_follows(databases, auth, model):
    with klok.gebruik(klok.VasteKlok(DAG)):
        chain = await start_chain(databases, auth, names=("register", "meldpunt", "toezicht"))
        try:
            register, meldpunt, toezicht = chain["register"], chain["meldpunt"], chain["toezicht"]
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
            melding = await meldpunt.client.post(
                "/api/v1/meldingen",
                headers=auth.headers("webformulier", "meldpunt.meldingen.indienen"),
                json={
                    "soort": "klacht",
                    "melder": {"rol": "burger-naaste"},
                    "omschrijving": "Mijn vader kreeg drie dagen zijn medicijnen niet.",
                    "vestigingsnummer": "000038509504",
                },
            )
            assert melding.status_code == 201, melding.text
            await chain.settle()

            lezen = auth.headers("planner", "toezicht.risicoprofielen.lezen")
            voor = (await toezicht.client.get(f"/api/v1/risicoprofielen/{zid}", headers=lezen)).json()
            assert voor["sector"] == "ggz" and voor["gemeenteCode"] == "GM0344", voor
            assert [r["bronType"] for r in voor["redenen"]] == ["nl.zorgtoezicht.meldingen.melding-ontvangen"], voor
            assert voor["score"] > 0 and "medicijnen" not in json.dumps(voor)  # the melding counts; its content stays in meldpunt

            # the inspector's work: an activity, performed, judged against six norms of the ggz kader
            kader = await toezicht.client.get("/api/v1/normenkaders/ggz", headers=auth.headers("i", "toezicht.activiteiten.lezen"))
            assert kader.status_code == 200, kader.text
            normen = [n["id"] for n in kader.json()["normen"]][:6]
            assert len(normen) == 6
            schrijven = auth.headers("inspecteur", "toezicht.activiteiten.schrijven")
            activiteit = await toezicht.client.post(
                "/api/v1/toezichtactiviteiten",
                headers=schrijven,
                json={"zorgaanbiederId": zid, "soort": "inspectiebezoek", "selectiereden": "signalen uit de regio", "sector": "ggz"},
            )
            assert activiteit.status_code == 201, activiteit.text
            aid = activiteit.json()["id"]
            for stap in ({"status": "gepland", "geplandOp": "2026-06-15"}, {"status": "uitgevoerd", "uitgevoerdOp": "2026-06-15"}):
                gezet = await toezicht.client.post(f"/api/v1/toezichtactiviteiten/{aid}/status", headers=schrijven, json=stap)
                assert gezet.status_code == 200, gezet.text
            oordelen = [
                {"normId": normen[0], "oordeel": "niet-voldaan", "bevinding": "Geen risicotaxatie bij opname", "ernst": "ernstig"},
                {
                    "normId": normen[1],
                    "oordeel": "niet-voldaan",
                    "bevinding": "Medicatie niet dubbel gecontroleerd",
                    "ernst": "aanzienlijk",
                },
                {"normId": normen[2], "oordeel": "deels", "bevinding": "Evaluaties niet steeds vastgelegd", "ernst": "gering"},
                *({"normId": n, "oordeel": "voldaan", "bevinding": "In orde"} for n in normen[3:]),
            ]
            vastgesteld = await toezicht.client.post(
                f"/api/v1/toezichtactiviteiten/{aid}/oordeel",
                headers=auth.headers("inspecteur", "toezicht.oordelen.vaststellen"),
                json={"normen": oordelen},
            )
            assert vastgesteld.status_code in (200, 201), vastgesteld.text
            await chain.settle()  # the judgement's event goes over the bus back to toezicht's risk model

            na = (await toezicht.client.get(f"/api/v1/risicoprofielen/{zid}", headers=lezen)).json()
            # by hand: (2 niet voldaan + 0.5 × 1 deels) / 6 judged = 0.41667; × 50 × 2 (an ernstige) = 41.67 on its own day
            verwacht = round((2 + DEELS_FACTOR * 1) / 6 * OORDEEL_GEWICHT * OORDEEL_ERNSTFACTOR, 2)
            assert verwacht == 41.67
            assert na["score"] == pytest.approx(voor["score"] + verwacht, abs=0.011), (voor, na)
            assert na["laatsteOordeelOp"] == "2026-06-15"
            reden = [r for r in na["redenen"] if r["bronType"] == "nl.zorgtoezicht.toezichtactiviteiten.oordeel-vastgesteld"]
            assert [r["bijdrage"] for r in reden] == [verwacht]
            assert "risicotaxatie" not in json.dumps(na)  # findings stay with the judgement, not in the score's reasons

            # the plan for the next quarter takes the provider by its raised score
            plannen = auth.headers("planner", "toezicht.planningen.schrijven")
            for naam in ("Inspecteur A", "Inspecteur B"):
                inspecteur = await toezicht.client.post(
                    "/api/v1/inspecteurs",
                    headers=plannen,
                    json={"weergavenaam": naam, "team": TEAM_GGZ, "sectoren": ["ggz"], "urenPerWeek": 24},
                )
                assert inspecteur.status_code == 201, inspecteur.text
            plan = await toezicht.client.post("/api/v1/planningen", headers=plannen, json={"periodeStart": "2026-06-29", "seed": 9})
            assert plan.status_code == 201, plan.text
            gekozen = [a for a in plan.json()["activiteiten"] if a["zorgaanbiederId"] == zid]
            assert len(gekozen) == 1 and gekozen[0]["selectieroute"] in ("risico", "trigger", "aselect"), plan.json()
            assert gekozen[0]["selectiereden"]
        finally:
            await chain.close()
