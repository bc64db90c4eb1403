"""Issue 9, acceptance 7: the Jaarbeeld activity table equals one computed independently here from generated data.

The data: seeded random activities of every kind over several years, ending in every status (vervallen too), made
through toezicht's own write path. The expectation is counted in plain Python from the generated list, by the rule
written out here: performed (uitgevoerd or further) activities by the year of their uitgevoerdOp, the five
Jaarbeeld kinds (no zelfscan), one column per year asked.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import date, timedelta

import pytest

from toezicht import activiteiten as service
from toezicht import oordelen, statistieken
from toezicht.schemas import ActiviteitStatusWijziging, NormoordeelIn, OordeelIn
from zorgtoezicht.audit import Actor
from zorgtoezicht.domain.toezicht import ActiviteitSoort, ActiviteitStatus, Selectieroute

SOORTEN = ["inspectiebezoek", "beoordelend-gesprek", "desk-inspectie", "wettelijk-advies", "gesprek-zonder-oordeel", "zelfscan"]
MET_OORDEEL = {"inspectiebezoek", "beoordelend-gesprek", "desk-inspectie", "wettelijk-advies"}
EIND_MET = ["voorgesteld", "gepland", "uitgevoerd", "oordeel-vastgesteld", "rapport-vastgesteld", "afgerond", "vervallen"]
EIND_ZONDER = ["voorgesteld", "gepland", "uitgevoerd", "afgerond", "vervallen"]
GETELD = {"uitgevoerd", "oordeel-vastgesteld", "rapport-vastgesteld", "afgerond"}
NAMEN = {
    "inspectiebezoek": "Inspectiebezoeken",
    "beoordelend-gesprek": "Beoordelende gesprekken",
    "desk-inspectie": "Desk-inspecties met oordeel",
    "wettelijk-advies": "Wettelijk verplichte adviezen/besluiten",
    "gesprek-zonder-oordeel": "Gesprekken zonder oordeel",
}
JAREN = [2022, 2023, 2024, 2025, 2026]


def _genereer(seed: int, n: int) -> list[dict]:
    rng = random.Random(seed)
    begin, eind = date(2021, 1, 1), date(2026, 6, 15)  # 2021 lies outside the years asked: it must not count
    rows = []
    for _ in range(n):
        soort = rng.choice(SOORTEN)
        status = rng.choice(EIND_MET if soort in MET_OORDEEL else EIND_ZONDER)
        uitgevoerd = begin + timedelta(days=rng.randrange((eind - begin).days + 1))
        rows.append({"soort": soort, "status": status, "uitgevoerd": uitgevoerd})
    return rows


def _verwacht(rows: list[dict]) -> dict[str, dict[int, int]]:
    counts: dict[str, dict[int, int]] = {soort: dict.fromkeys(JAREN, 0) for soort in NAMEN}
    for row in rows:
        if row["status"] in GETELD and row["soort"] in NAMEN and row["uitgevoerd"].year in JAREN:
            counts[row["soort"]][row["uitgevoerd"].year] += 1
    return counts


async def _maak(werk, row: dict) -> None:
    """Bring one activity to its status along the lifecycle, through the service's own functions."""
    a = await service.nieuw(
        werk,
        zorgaanbieder_id=uuid.uuid4(),
        soort=ActiviteitSoort(row["soort"]),
        selectieroute=Selectieroute.risico,
        selectiereden="gegenereerd",
        sector="verpleging-en-verzorging",
    )
    doel = row["status"]
    if doel == "voorgesteld":
        return
    if doel == "vervallen":
        await service.wijzig_status(werk, a.id, ActiviteitStatusWijziging(status="vervallen", toelichting="niet gekozen"))
        return
    await service.wijzig_status(werk, a.id, ActiviteitStatusWijziging(status="gepland", gepland_op=row["uitgevoerd"]))
    if doel == "gepland":
        return
    await service.wijzig_status(werk, a.id, ActiviteitStatusWijziging(status="uitgevoerd", uitgevoerd_op=row["uitgevoerd"]))
    if doel == "uitgevoerd":
        return
    if row["soort"] in MET_OORDEEL:
        await oordelen.stel_vast(werk, a.id, OordeelIn(normen=[NormoordeelIn(norm_id="vv-1", oordeel="voldaan", bevinding="in orde")]))
        if doel == "oordeel-vastgesteld":
            return
        await service.wijzig_status(werk, a.id, ActiviteitStatusWijziging(status="rapport-vastgesteld"))
        if doel == "rapport-vastgesteld":
            return
    await service.wijzig_status(werk, a.id, ActiviteitStatusWijziging(status="afgerond"))


@pytest.mark.parametrize("seed", [20260615, 7])
async def test_the_jaarbeeld_activity_table_equals_an_independent_count(toezicht, auth, vaste_klok, seed):
    rows = _genereer(seed, 260)
    assert {r["status"] for r in rows} == set(EIND_MET) and {r["soort"] for r in rows} == set(SOORTEN)
    async with toezicht.runtime.db.transaction() as session:
        werk = toezicht.runtime.werk(session, Actor.system("test"))
        for row in rows:
            await _maak(werk, row)
    final = Counter(await toezicht.scalar("SELECT array_agg(status) FROM toezichtactiviteit"))
    assert final == Counter(r["status"] for r in rows)  # the generated data went in as generated

    verwacht = _verwacht(rows)
    headers = auth.headers("igj-statistiek", "toezicht.statistieken.lezen")
    url = "/api/v1/statistieken/toezichtactiviteiten?vanJaar=2022&totEnMetJaar=2026"
    answer = await toezicht.client.get(url, headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["jaren"] == JAREN
    assert [(r["soort"], r["naam"]) for r in body["rijen"]] == list(NAMEN.items())
    for rij in body["rijen"]:
        assert rij["aantallen"] == {str(j): verwacht[rij["soort"]][j] for j in JAREN}, rij["soort"]
    assert body["totaal"]["aantallen"] == {str(j): sum(verwacht[s][j] for s in NAMEN) for j in JAREN}
    assert sum(body["totaal"]["aantallen"].values()) > 50  # a table worth comparing

    csv = await toezicht.client.get(url, headers={**headers, "Accept": "text/csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    lines = ["Toezichtactiviteit;2022;2023;2024;2025;2026"]
    lines += [";".join([naam, *(str(verwacht[soort][j]) for j in JAREN)]) for soort, naam in NAMEN.items()]
    lines.append(";".join(["Totaal", *(str(sum(verwacht[s][j] for s in NAMEN)) for j in JAREN)]))
    assert csv.text == "\n".join(lines) + "\n"


async def test_the_years_asked_must_be_a_range_of_at_most_25(toezicht, auth):
    headers = auth.headers("igj-statistiek", "toezicht.statistieken.lezen")
    backwards = await toezicht.client.get("/api/v1/statistieken/toezichtactiviteiten?vanJaar=2026&totEnMetJaar=2025", headers=headers)
    assert backwards.status_code == 400 and backwards.json()["invalidParams"][0]["name"] == "totEnMetJaar"
    missing = await toezicht.client.get("/api/v1/statistieken/toezichtactiviteiten?vanJaar=1999", headers=headers)
    assert missing.status_code == 400 and {p["name"] for p in missing.json()["invalidParams"]} == {"vanJaar", "totEnMetJaar"}


def test_the_pure_table_leaves_out_zelfscan_and_other_years_and_refuses_unknown_kinds():
    tabel = statistieken.activiteitentabel([("zelfscan", 2025, 9), ("inspectiebezoek", 2024, 3), ("inspectiebezoek", 2025, 2)], 2025, 2025)
    assert tabel.to_json()["rijen"][0]["aantallen"] == {"2025": 2} and tabel.to_json()["totaal"]["aantallen"] == {"2025": 2}
    with pytest.raises(ValueError):
        statistieken.activiteitentabel([("kroegbezoek", 2025, 1)], 2025, 2025)
    assert ActiviteitStatus.vervallen not in {s for s in ActiviteitStatus if s in GETELD}
