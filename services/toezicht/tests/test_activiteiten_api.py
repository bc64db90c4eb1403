"""Activities entered by hand, read, listed with filters and cursor pages; the planner's write path; bad input is
400 listing each field (issue 9, acceptance 8); reads that reveal a provider's supervision are audited."""

from __future__ import annotations

import uuid
from datetime import date

from toezicht import activiteiten as service
from zorgtoezicht.audit import Actor
from zorgtoezicht.domain.toezicht import ActiviteitSoort, ActiviteitStatus, Selectieroute
from zorgtoezicht.http.problems import InvalidInput

LEZEN = "toezicht.activiteiten.lezen"


async def test_an_activity_entered_by_hand_is_handmatig_with_its_defaults(toezicht, activiteiten, vaste_klok):
    zorgaanbieder_id = uuid.uuid4()
    created = await activiteiten.maak("inspectiebezoek", zorgaanbieder_id, thema="kwetsbare ouderen")
    assert created.status_code == 201, created.text
    body = created.json()
    assert created.headers["location"] == f"http://toezicht.test/api/v1/toezichtactiviteiten/{body['id']}"
    assert (body["selectieroute"], body["status"], body["aangekondigd"], body["vorm"]) == ("handmatig", "voorgesteld", False, "fysiek")
    assert body["sector"] is None and body["versie"] == 1
    assert [r["status"] for r in body["statussen"]] == ["voorgesteld"]
    assert body["aangemaaktOp"] == "2026-06-15T08:00:00Z"  # the injected clock, in UTC
    planned = await activiteiten.maak("beoordelend-gesprek", zorgaanbieder_id, geplandOp="2026-07-01", vorm="digitaal")
    assert planned.json()["status"] == "gepland" and [r["status"] for r in planned.json()["statussen"]] == ["voorgesteld", "gepland"]
    assert planned.json()["aangekondigd"] is None and planned.json()["vorm"] == "digitaal"


async def test_every_invalid_field_of_a_new_activity_is_listed_at_once(toezicht, activiteiten, vaste_klok):
    before = await toezicht.scalar("SELECT count(*) FROM toezichtactiviteit")
    refused = await activiteiten.maak("desk-inspectie", uuid.uuid4(), aangekondigd=True, vorm="fysiek", selectiereden=" ")
    assert refused.status_code == 400
    assert {(p["name"], p["code"]) for p in refused.json()["invalidParams"]} == {
        ("aangekondigd", "alleen_bezoek"),
        ("vorm", "geen_vorm"),
        ("selectiereden", "verplicht"),
    }
    malformed = await toezicht.client.post(
        "/api/v1/toezichtactiviteiten",
        json={"zorgaanbiederId": "geen-uuid", "soort": "kroegbezoek", "sector": "horeca", "geplandOp": "morgen"},
        headers=activiteiten.headers("toezicht.activiteiten.schrijven"),
    )
    assert malformed.status_code == 400
    assert {"zorgaanbiederId", "soort", "sector", "geplandOp", "selectiereden"} <= {p["name"] for p in malformed.json()["invalidParams"]}
    assert await toezicht.scalar("SELECT count(*) FROM toezichtactiviteit") == before


async def test_a_status_step_with_a_body_that_does_not_fit_is_400_naming_each_field(activiteiten, vaste_klok):
    activiteit_id = (await activiteiten.maak("inspectiebezoek", uuid.uuid4())).json()["id"]
    no_date = await activiteiten.stap(activiteit_id, "gepland", uitgevoerdOp="2026-06-01")
    assert {(p["name"], p["code"]) for p in no_date.json()["invalidParams"]} == {
        ("geplandOp", "verplicht"),
        ("uitgevoerdOp", "niet_bij_status"),
    }
    no_reason = await activiteiten.stap(activiteit_id, "vervallen")
    assert no_reason.status_code == 400 and {p["name"] for p in no_reason.json()["invalidParams"]} == {"toelichting"}
    await activiteiten.stap(activiteit_id, "gepland", geplandOp="2026-06-16")
    future = await activiteiten.stap(activiteit_id, "uitgevoerd", uitgevoerdOp="2026-06-16")
    assert future.status_code == 400 and future.json()["invalidParams"][0]["code"] == "toekomst"
    unknown = await activiteiten.stap(activiteit_id, "gearchiveerd")
    assert unknown.status_code == 400 and unknown.json()["invalidParams"][0]["name"] == "status"
    assert (await activiteiten.lees(activiteit_id)).json()["status"] == "gepland"


async def test_the_planners_write_path_creates_planned_activities_in_one_go(toezicht, vaste_klok):
    planning_id, zorgaanbieder_id = uuid.uuid4(), uuid.uuid4()
    async with toezicht.runtime.db.transaction() as session:
        werk = toezicht.runtime.werk(session, Actor.system("toezicht.planning"))
        gemaakt = await service.nieuw_alle(
            werk,
            [
                service.Aanvraag(
                    zorgaanbieder_id=zorgaanbieder_id,
                    soort=ActiviteitSoort.wettelijk_advies,
                    selectieroute=Selectieroute.trigger,
                    selectiereden="trigger wettelijk-advies",
                    uiterlijk=date(2026, 8, 1),
                    planning_id=planning_id,
                    status=ActiviteitStatus.gepland,
                    gepland_op=date(2026, 7, 6),
                ),
                service.Aanvraag(
                    zorgaanbieder_id=uuid.uuid4(),
                    soort=ActiviteitSoort.inspectiebezoek,
                    selectieroute=Selectieroute.aselect,
                    selectiereden="aselecte trekking (seed 7)",
                    planning_id=planning_id,
                ),
            ],
        )
    assert [a.status for a in gemaakt] == ["gepland", "voorgesteld"]
    history = await toezicht.scalar(
        "SELECT string_agg(status, ',' ORDER BY id) FROM toezichtactiviteit_status WHERE activiteit_id = :id", id=gemaakt[0].id
    )
    assert history == "voorgesteld,gepland"
    assert await toezicht.scalar("SELECT count(*) FROM audit_trail WHERE actie = 'create' AND applicatie_id = 'toezicht.planning'") == 2

    async with toezicht.runtime.db.transaction() as session:
        werk = toezicht.runtime.werk(session, Actor.system("toezicht.planning"))
        try:
            await service.nieuw(
                werk,
                zorgaanbieder_id=zorgaanbieder_id,
                soort=ActiviteitSoort.zelfscan,
                selectieroute=Selectieroute.risico,
                selectiereden="score 41",
                status=ActiviteitStatus.gepland,
                aangekondigd=True,
            )
        except InvalidInput as fout:
            assert {p["name"] for p in fout.invalid_params} == {"geplandOp", "aangekondigd"}
        else:
            raise AssertionError("an invalid request was accepted")


async def test_the_list_filters_and_pages_and_narrowed_to_a_provider_is_audited(toezicht, activiteiten, vaste_klok):
    een, twee = uuid.uuid4(), uuid.uuid4()
    ids = []
    for zorgaanbieder_id, soort, gepland in [
        (een, "inspectiebezoek", "2026-07-01"),
        (een, "desk-inspectie", None),
        (een, "inspectiebezoek", "2026-09-01"),
        (twee, "inspectiebezoek", "2026-07-15"),
        (twee, "zelfscan", None),
    ]:
        velden = {"geplandOp": gepland} if gepland else {}
        ids.append((await activiteiten.maak(soort, zorgaanbieder_id, **velden)).json()["id"])
    lezen = activiteiten.headers(LEZEN)

    async def alle(query: str) -> list[str]:
        found, url = [], f"/api/v1/toezichtactiviteiten?pageSize=2&{query}"
        while url:
            page = await toezicht.client.get(url.replace("http://toezicht.test", ""), headers=lezen)
            assert page.status_code == 200, page.text
            found += [a["id"] for a in page.json()["results"]]
            url = page.json().get("next")
        return found

    assert sorted(await alle("")) == sorted(ids)
    assert set(await alle(f"zorgaanbiederId={een}")) == set(ids[:3])
    assert set(await alle("soort=inspectiebezoek&status=gepland")) == {ids[0], ids[2], ids[3]}
    assert set(await alle("geplandVanaf=2026-07-01&geplandTotEnMet=2026-07-31")) == {ids[0], ids[3]}
    assert await alle("uitgevoerdVanaf=2026-01-01") == []
    audited = await toezicht.scalar("SELECT count(*) FROM audit_trail WHERE actie = 'read' AND hoofd_object_id = :id", id=een)
    assert audited >= 1
    backwards = await toezicht.client.get("/api/v1/toezichtactiviteiten?geplandVanaf=2026-08-01&geplandTotEnMet=2026-07-01", headers=lezen)
    assert backwards.status_code == 400 and backwards.json()["invalidParams"][0]["name"] == "geplandTotEnMet"


async def test_reading_one_activity_is_audited_and_unknown_is_404(toezicht, activiteiten, vaste_klok):
    activiteit_id = (await activiteiten.maak("inspectiebezoek", uuid.uuid4())).json()["id"]
    assert (await activiteiten.lees(activiteit_id)).status_code == 200
    reads = await toezicht.scalar(
        "SELECT count(*) FROM audit_trail WHERE actie = 'read' AND hoofd_object_id = :id AND applicatie_id = 'igj-inspecteur'",
        id=uuid.UUID(activiteit_id),
    )
    assert reads == 1
    missing = await activiteiten.lees(str(uuid.uuid4()))
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")


async def test_the_normenkader_of_a_sector_is_the_general_norms_plus_its_own(toezicht, activiteiten):
    vv = await toezicht.client.get("/api/v1/normenkaders/verpleging-en-verzorging", headers=activiteiten.headers(LEZEN))
    ids = [n["id"] for n in vv.json()["normen"]]
    assert ids == ["alg-1", "alg-2", "alg-3", "alg-4", "alg-5", "alg-6", "alg-7", "vv-1", "vv-2", "vv-3", "vv-4", "vv-5"]
    preventie = await toezicht.client.get("/api/v1/normenkaders/preventie", headers=activiteiten.headers(LEZEN))
    assert [n["id"] for n in preventie.json()["normen"]] == ids[:7]
    assert vv.json()["kenmerk"].startswith(vv.json()["versie"] + "@") and "VOORBEELDKADER" in vv.json()["toelichting"]
