"""The planning through toezicht's API on real PostgreSQL: inspectors, a plan from risicoprofiel rows (inserted
directly: the risk model is built elsewhere), reading (audited), re-planning one team, adopting, bad input."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from toezicht.models import Risicoprofiel
from zorgtoezicht.testing.harness import start_service

LEZEN = "toezicht.planningen.lezen"
SCHRIJVEN = "toezicht.planningen.schrijven"
START = date(2027, 1, 4)  # a Monday
VRIJDAG = START + timedelta(days=4)


@pytest.fixture
async def toezicht(databases, auth):
    service = await start_service("toezicht", databases, auth)
    yield service
    await service.close()


def za(n: int) -> uuid.UUID:
    return uuid.UUID(int=n)


def profiel(n: int, sector: str, score: float, *triggers: tuple[str, date | None], overschreven: float | None = None) -> Risicoprofiel:
    return Risicoprofiel(
        zorgaanbieder_id=za(n),
        aantal_signalen=1,
        score=score,
        overschreven_score=overschreven,
        redenen=[],
        triggers=[
            {"code": f"code-{n}", "toelichting": "t", "uiterlijk": u.isoformat() if u else None, "activiteit": a} for a, u in triggers
        ],
        sector=sector,
        soort="instelling",
        laatste_oordeel_op=date(2025, 1, 1),
    )


# Inspectors: a1, a2 (team A, ggz, 20 h); a3 (team A, jeugd, 12 h, absent the first four weeks); b1 (team B, ggz
# and verpleging, 20 h). In week 1 only a1 + a2 can pair for a ggz visit (12 h each of their 20 h), b1 can do one
# 12-h desk-inspectie: so of the ggz work due on the first Friday, the visit to 5 (score 90, beating 6 and 7) and
# the desk-inspectie 8 (score 50, beating 9) fit, nothing else.
INSPECTEURS = {
    "a1": {"weergavenaam": "Anna Eerste", "team": "A", "sectoren": ["ggz"], "urenPerWeek": 20},
    "a2": {"weergavenaam": "Bert Tweede", "team": "A", "sectoren": ["ggz"], "urenPerWeek": 20},
    "a3": {
        "weergavenaam": "Cor Derde",
        "team": "A",
        "sectoren": ["jeugd"],
        "urenPerWeek": 12,
        "afwezigheden": [{"van": "2027-01-01", "tot": "2027-01-29"}],
    },
    "b1": {"weergavenaam": "Dirk Vierde", "team": "B", "sectoren": ["ggz", "verpleging-en-verzorging"], "urenPerWeek": 20},
}


def profielen() -> list[Risicoprofiel]:
    """New rows each time (an ORM object belongs to the session that added it)."""
    return [
        profiel(1, "ggz", 80, ("wettelijk-advies", VRIJDAG - timedelta(days=1))),  # due before the first Friday
        profiel(2, "farmaceutische-producten", 80, ("desk-inspectie", VRIJDAG)),  # nobody has the sector
        profiel(3, "verpleging-en-verzorging", 80, ("inspectiebezoek", None)),  # b1 alone: no pair
        profiel(4, "jeugd", 80, ("desk-inspectie", START + timedelta(days=18))),  # a3 absent until after it
        profiel(5, "ggz", 10, ("inspectiebezoek", VRIJDAG), overschreven=90),  # the override (90) counts
        profiel(6, "ggz", 60, ("inspectiebezoek", VRIJDAG)),
        profiel(7, "ggz", 30, ("inspectiebezoek", VRIJDAG)),
        profiel(8, "ggz", 50, ("desk-inspectie", VRIJDAG)),
        profiel(9, "ggz", 10, ("desk-inspectie", VRIJDAG)),
        *(profiel(100 + n, "ggz", 20 + n) for n in range(40)),  # discretionary work for the remaining weeks
        *(profiel(200 + n, "jeugd", 5 + n) for n in range(10)),
    ]


ONHAALBAAR = {
    (str(za(1)), "deadline-voor-periode"),
    (str(za(2)), "geen-expertise"),
    (str(za(3)), "geen-koppel"),
    (str(za(4)), "afwezig"),
    (str(za(6)), "capaciteit"),
    (str(za(7)), "capaciteit"),
    (str(za(9)), "capaciteit"),
}
EFFORT = {"inspectiebezoek": (24, 2), "beoordelend-gesprek": (8, 2), "desk-inspectie": (12, 1), "wettelijk-advies": (10, 1)}


async def _opzetten(toezicht, auth) -> dict[str, dict]:
    schrijven = auth.headers("planner", SCHRIJVEN)
    mensen = {}
    for naam, body in INSPECTEURS.items():
        response = await toezicht.client.post("/api/v1/inspecteurs", json=body, headers=schrijven)
        assert response.status_code == 201, response.text
        mensen[naam] = response.json()
    async with toezicht.runtime.db.transaction() as session:
        session.add_all(profielen())
    return mensen


def _controleer(plan: dict, mensen: dict[str, dict]) -> None:
    """Capacity, expertise, pairs in one team, absences, deadlines: from the JSON alone."""
    per_id = {m["id"]: m for m in mensen.values()}
    sectoren = {str(p.zorgaanbieder_id): p.sector for p in profielen()}
    uiterlijk = {str(p.zorgaanbieder_id): p.triggers[0]["uiterlijk"] for p in profielen() if p.triggers}
    uren: dict[tuple[str, int], float] = defaultdict(float)
    for a in plan["activiteiten"]:
        totaal, aantal = EFFORT[a["soort"]]
        assert len(set(a["inspecteurs"])) == aantal and len({per_id[i]["team"] for i in a["inspecteurs"]}) == 1
        maandag = START + timedelta(weeks=a["week"] - 1)
        assert a["geplandOp"] == maandag.isoformat()
        for i in a["inspecteurs"]:
            m = per_id[i]
            assert sectoren[a["zorgaanbiederId"]] in m["sectoren"]
            for afwezig in m["afwezigheden"]:
                assert not (afwezig["van"] <= (maandag + timedelta(days=4)).isoformat() and afwezig["tot"] >= maandag.isoformat())
            uren[(i, a["week"])] += totaal / aantal
        if a["selectieroute"] == "trigger" and uiterlijk.get(a["zorgaanbiederId"]):
            assert (maandag + timedelta(days=4)).isoformat() <= uiterlijk[a["zorgaanbiederId"]]
    assert all(u <= per_id[i]["urenPerWeek"] for (i, _), u in uren.items())


async def test_a_plan_from_the_risk_profiles_is_stored_read_with_an_audit_row_and_adopted(toezicht, auth):
    mensen = await _opzetten(toezicht, auth)
    schrijven, lezen = auth.headers("planner", SCHRIJVEN), auth.headers("lezer", LEZEN)
    response = await toezicht.client.post(
        "/api/v1/planningen",
        json={"periodeStart": START.isoformat(), "seed": 7, "quota": [{"thema": "psychische-problemen", "minimum": 3}]},
        headers=schrijven,
    )
    assert response.status_code == 201, response.text
    plan = response.json()
    assert response.headers["Location"].endswith(f"/planningen/{plan['id']}")
    assert {(o["zorgaanbiederId"], o["reden"]) for o in plan["onhaalbaar"]} == ONHAALBAAR
    week1 = {(a["zorgaanbiederId"], a["soort"]) for a in plan["activiteiten"] if a["week"] == 1 and a["selectieroute"] == "trigger"}
    assert week1 == {(str(za(5)), "inspectiebezoek"), (str(za(8)), "desk-inspectie")}
    _controleer(plan, mensen)
    assert {a["selectieroute"] for a in plan["activiteiten"]} >= {"trigger", "risico"}
    assert all(a["selectiereden"] for a in plan["activiteiten"]) and all(w["toelichting"] for w in plan["weggelaten"])
    assert plan["doelwaarde"] <= plan["lpGrens"] and plan["verhouding"] == pytest.approx(plan["doelwaarde"] / plan["lpGrens"], abs=1e-6)
    assert plan["quota"] == [{"thema": "psychische-problemen", "minimum": 3, "gerealiseerd": plan["quota"][0]["gerealiseerd"]}]
    assert plan["quota"][0]["gerealiseerd"] >= 3
    assert "Anna" not in response.text  # names stay with the inspector resource

    gelezen = await toezicht.client.get(f"/api/v1/planningen/{plan['id']}", headers=lezen)
    assert gelezen.status_code == 200
    assert gelezen.json() == plan
    reads = await toezicht.scalar("SELECT count(*) FROM audit_trail WHERE actie = 'read' AND hoofd_object_id = :id", id=plan["id"])
    assert reads == 1
    namen = await toezicht.scalar("SELECT count(*) FROM audit_trail WHERE wijzigingen::text LIKE '%Anna%'")
    assert namen == 0
    assert (await toezicht.client.get(f"/api/v1/planningen/{plan['id']}", headers=schrijven)).status_code == 403

    vast = await toezicht.client.post(f"/api/v1/planningen/{plan['id']}/vaststelling", headers=schrijven)
    assert vast.status_code == 200, vast.text
    assert vast.json()["status"] == "vastgesteld"
    async with toezicht.runtime.db.transaction() as session:
        rijen = (
            await session.execute(
                text(
                    "SELECT a.zorgaanbieder_id, a.soort, a.status, a.gepland_op, a.selectieroute, a.selectiereden, count(s.id) "
                    "FROM toezichtactiviteit a JOIN toezichtactiviteit_status s ON s.activiteit_id = a.id "
                    "WHERE a.planning_id = :id GROUP BY a.id"
                ),
                {"id": plan["id"]},
            )
        ).all()
    verwacht = {
        # two history rows each: created voorgesteld, then gepland by the adoption
        (a["zorgaanbiederId"], a["soort"], "gepland", a["geplandOp"], a["selectieroute"], a["selectiereden"], 2)
        for a in plan["activiteiten"]
    }
    assert {(str(z), s, st, g.isoformat(), r, rd, n) for z, s, st, g, r, rd, n in rijen} == verwacht
    nogmaals = await toezicht.client.post(f"/api/v1/planningen/{plan['id']}/vaststelling", headers=schrijven)
    assert nogmaals.status_code == 409

    # adopted activities are in the pipeline: the next plan does not plan those providers again
    volgende = (await toezicht.client.post("/api/v1/planningen", json={"periodeStart": START.isoformat()}, headers=schrijven)).json()
    assert not {a["zorgaanbiederId"] for a in volgende["activiteiten"]} & {a["zorgaanbiederId"] for a in plan["activiteiten"]}


async def test_a_re_plan_of_one_team_keeps_the_other_team_and_inspectors_can_change(toezicht, auth):
    mensen = await _opzetten(toezicht, auth)
    schrijven = auth.headers("planner", SCHRIJVEN)
    eerst = (
        await toezicht.client.post("/api/v1/planningen", json={"periodeStart": START.isoformat(), "seed": 3}, headers=schrijven)
    ).json()
    # b1 (team B) falls ill for the first two weeks; team A is untouched
    b1 = {**INSPECTEURS["b1"], "afwezigheden": [{"van": "2027-01-04", "tot": "2027-01-15"}]}
    gewijzigd = await toezicht.client.put(f"/api/v1/inspecteurs/{mensen['b1']['id']}", json=b1, headers=schrijven)
    assert gewijzigd.status_code == 200 and gewijzigd.json()["versie"] == 2
    mensen["b1"] = gewijzigd.json()
    response = await toezicht.client.post(f"/api/v1/planningen/{eerst['id']}/herplanning", json={"team": "B"}, headers=schrijven)
    assert response.status_code == 201, response.text
    daarna = response.json()
    assert daarna["vorigeId"] == eerst["id"]
    _controleer(daarna, mensen)
    team_a = {mensen[n]["id"] for n in ("a1", "a2", "a3")}
    van_a = lambda p: sorted((a for a in p["activiteiten"] if set(a["inspecteurs"]) <= team_a), key=repr)  # noqa: E731
    assert van_a(daarna) == van_a(eerst)
    assert not any(mensen["b1"]["id"] in a["inspecteurs"] and a["week"] <= 2 for a in daarna["activiteiten"])
    # the desk-inspectie 8 (due week 1) was b1's: now nobody of team B is there (a team plan's reasons speak of its team)
    assert (str(za(8)), "afwezig") in {(o["zorgaanbiederId"], o["reden"]) for o in daarna["onhaalbaar"]}
    lijst = await toezicht.client.get("/api/v1/inspecteurs", headers=auth.headers("lezer", LEZEN))
    assert [m["team"] for m in lijst.json()["results"]] == ["A", "A", "A", "B"]


async def test_bad_input_is_400_listing_every_field(toezicht, auth):
    schrijven = auth.headers("planner", SCHRIJVEN)
    response = await toezicht.client.post(
        "/api/v1/planningen",
        json={"periodeStart": "2027-01-05", "seed": -1, "aselectAandeel": 1.5, "quota": [{"thema": "x", "minimum": -2}]},
        headers=schrijven,
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert {p["name"] for p in response.json()["invalidParams"]} == {"periodeStart", "seed", "aselectAandeel", "quota.0.minimum"}
    response = await toezicht.client.post(
        "/api/v1/planningen", json={"periodeStart": "2027-01-04", "quota": [{"thema": "onbekend", "minimum": 1}]}, headers=schrijven
    )
    assert response.status_code == 400 and [p["name"] for p in response.json()["invalidParams"]] == ["quota.0.thema"]
    response = await toezicht.client.post("/api/v1/planningen", json={"periodeStart": "2027-01-04", "team": "Z"}, headers=schrijven)
    assert response.status_code == 400 and [p["name"] for p in response.json()["invalidParams"]] == ["team"]
    response = await toezicht.client.post(
        "/api/v1/inspecteurs",
        json={
            "weergavenaam": "",
            "team": "A",
            "sectoren": ["ggz", "ggz"],
            "urenPerWeek": 0,
            "afwezigheden": [{"van": "2027-02-01", "tot": "2027-01-01"}],
        },
        headers=schrijven,
    )
    assert response.status_code == 400
    assert {p["name"] for p in response.json()["invalidParams"]} == {"weergavenaam", "sectoren", "urenPerWeek", "afwezigheden.0"}
    assert (await toezicht.client.get(f"/api/v1/planningen/{uuid.uuid4()}", headers=auth.headers("x", LEZEN))).status_code == 404
    assert (await toezicht.client.post("/api/v1/planningen", json={}, headers=auth.headers("x", LEZEN))).status_code == 403


async def test_the_candidates_are_the_risk_list_every_trigger_and_a_seeded_pool_not_the_whole_population(toezicht):
    """With ~290,000 providers a plan cannot carry a row per provider: it considers the risk list (score at least the
    norms' minimum), every provider with a trigger (sector known or not) and a seeded sample of the rest as the
    random route's pool, sized by the norms' ``aselect_pool``."""
    from toezicht import planning_repository

    lijst = {za(1000 + n) for n in range(5)}  # score 30..34: on the risk list
    met_trigger = {za(2000), za(2001)}  # score 0, one without a known sector
    rest = {za(3000 + n) for n in range(60)}  # score 0..29: the population the pool is drawn from
    async with toezicht.runtime.db.transaction() as session:
        session.add_all(profiel(1000 + n, "ggz", 30 + n) for n in range(5))
        session.add(profiel(2000, "ggz", 0, ("inspectiebezoek", START + timedelta(days=60))))
        zonder_sector = profiel(2001, "ggz", 0, ("desk-inspectie", START + timedelta(days=60)))
        zonder_sector.sector = None
        session.add(zonder_sector)
        session.add_all(profiel(3000 + n, "ggz", n % 30) for n in range(60))

    async with toezicht.runtime.db.transaction() as session:
        eerste = await planning_repository.kandidaten(session, minimum_score=30, seed=4, pool=7)
        nogmaals = await planning_repository.kandidaten(session, minimum_score=30, seed=4, pool=7)
        ander = await planning_repository.kandidaten(session, minimum_score=30, seed=5, pool=7)
    ids = {p.zorgaanbieder_id for p, _ in eerste}
    assert lijst | met_trigger <= ids
    getrokken = ids - lijst - met_trigger
    assert len(getrokken) == 7 and getrokken <= rest
    assert [p.zorgaanbieder_id for p, _ in nogmaals] == [p.zorgaanbieder_id for p, _ in eerste]  # same seed, same pool
    assert {p.zorgaanbieder_id for p, _ in ander} - lijst - met_trigger != getrokken  # another seed, another draw
