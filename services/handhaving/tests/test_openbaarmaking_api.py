"""Publication of measures on real PostgreSQL (issue 10, acceptance 7): an item is on the public list, without a
token, only after its wachttijd (the clock is moved and the term watcher run), it leaves on a court's ruling
and after five years, nothing unpublishable appears, and the HTML page shows the same items."""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, datetime, time

import pytest

from handhaving import openbaarmaking, repository
from zorgtoezicht import klok
from zorgtoezicht.audit import Actor
from zorgtoezicht.testing.harness import start_service

BEHEREN = "handhaving.openbaarmakingen.beheren"
LEZEN = "handhaving.maatregelen.lezen"
GEPUBLICEERD = "nl.zorgtoezicht.maatregelen.openbaarmaking-gepubliceerd"
VERWIJDERD = "nl.zorgtoezicht.maatregelen.openbaarmaking-verwijderd"
ZORGAANBIEDER = uuid.UUID("5b1f4a62-7c1e-4a7e-9a43-2f0d5c6e8a10")
PUBLIEK = {"id", "zorgaanbiederId", "instrument", "besluitdatum", "gepubliceerdOp", "zakelijkeWeergave"}


@pytest.fixture
async def handhaving(databases, auth):
    service = await start_service("handhaving", databases, auth)
    async with service.runtime.db.transaction() as session:
        await repository.add_zorgaanbieder(session, ZORGAANBIEDER, "69599084")  # as register's event would
    yield service
    await service.close()


def om(dag: date, uur: int = 12, minuut: int = 0) -> klok.VasteKlok:
    """A clock standing at this Dutch wall-clock time."""
    return klok.VasteKlok(datetime.combine(dag, time(uur, minuut), tzinfo=klok.NL))


def voornemen_body(**anders) -> dict:
    return {
        "besluitId": str(uuid.uuid4()),
        "zorgaanbiederId": str(ZORGAANBIEDER),
        "instrument": "aanwijzing",
        "besluitdatum": "2027-02-26",
        "zakelijkeWeergave": "Aanwijzing: de medicatieveiligheid op de locatie voldoet niet aan de Wkkgz.",
        **anders,
    }


async def voornemen(handhaving, auth, dag: date, **anders) -> dict:
    with klok.gebruik(om(dag)):
        response = await handhaving.client.post(
            "/api/v1/openbaarmakingen", json=voornemen_body(**anders), headers=auth.headers("igj", BEHEREN)
        )
    assert response.status_code == 201, response.text
    return response.json()


async def publiek(handhaving, dag: date, uur: int = 12, **params) -> list[dict]:
    with klok.gebruik(om(dag, uur)):
        response = await handhaving.client.get("/api/v1/openbare-maatregelen", params=params)  # no token
    assert response.status_code == 200, response.text
    return response.json()["results"]


async def watcher(handhaving, dag: date, uur: int = 0, minuut: int = 30) -> int:
    with klok.gebruik(om(dag, uur, minuut)):
        return await handhaving.runtime.termijnbewaker.run_once()


async def uitspraak(handhaving, auth, openbaarmaking_id: str, soort: str, dag: date):
    with klok.gebruik(om(dag)):
        return await handhaving.client.post(
            f"/api/v1/openbaarmakingen/{openbaarmaking_id}/rechterlijke-uitspraken",
            json={"uitspraak": soort, "toelichting": "Rb. Den Haag, voorzieningenrechter, 2027/123"},
            headers=auth.headers("igj", BEHEREN),
        )


async def events(handhaving, event_type: str) -> list[dict]:
    rows = await handhaving.scalar(
        "SELECT json_agg(convert_from(payload, 'UTF8')::json ORDER BY id) FROM outbox WHERE event_type = :t", t=event_type
    )
    return rows or []


async def test_published_only_after_the_wachttijd_once_and_gone_after_five_years(handhaving, auth):
    item = await voornemen(handhaving, auth, date(2027, 3, 1))  # made known Monday 1 March
    assert item["status"] == "wachttijd" and item["laatsteWachtdag"] == "2027-03-15"  # + 14 days, by hand
    assert await publiek(handhaving, date(2027, 3, 1)) == []

    assert await watcher(handhaving, date(2027, 3, 15), 23, 59) == 0  # the last wachtdag: the court can still be asked
    assert await publiek(handhaving, date(2027, 3, 15), 23) == []
    assert await watcher(handhaving, date(2027, 3, 16)) == 1  # 00:30 on the day after: published
    assert await watcher(handhaving, date(2027, 3, 16), 1) == 0  # once
    [shown] = await publiek(handhaving, date(2027, 3, 16))
    assert set(shown) == PUBLIEK  # nothing internal: no status, besluit, documentsoort or dates of the procedure
    assert shown["id"] == item["id"] and shown["gepubliceerdOp"] == "2027-03-16" and shown["instrument"] == "aanwijzing"
    [event] = await events(handhaving, GEPUBLICEERD)
    assert event["subject"] == item["id"] and event["data"]["zichtbaarTot"] == "2032-03-16"
    assert "zakelijkeWeergave" not in event["data"]  # free text stays out of events

    with klok.gebruik(om(date(2027, 3, 16))):
        detail = (await handhaving.client.get(f"/api/v1/openbaarmakingen/{item['id']}", headers=auth.headers("igj", LEZEN))).json()
    assert detail["status"] == "gepubliceerd" and detail["zichtbaarTot"] == "2032-03-16"  # five years, by hand

    assert await watcher(handhaving, date(2032, 3, 16), 23, 59) == 0  # the last day online
    assert len(await publiek(handhaving, date(2032, 3, 16), 23)) == 1
    assert await publiek(handhaving, date(2032, 3, 17), 0) == []  # hidden on the day after, even before the watcher runs
    assert await watcher(handhaving, date(2032, 3, 17)) == 1
    assert await watcher(handhaving, date(2032, 3, 18)) == 0
    [weg] = await events(handhaving, VERWIJDERD)
    assert weg["data"]["reden"] == "bewaartermijn-verstreken" and weg["data"]["verwijderdOp"] == "2032-03-17"
    statussen = await handhaving.scalar(
        "SELECT json_agg(status ORDER BY id) FROM openbaarmaking_status WHERE openbaarmaking_id = :o", o=item["id"]
    )
    assert statussen == ["wachttijd", "gepubliceerd", "verwijderd"]
    audit = await handhaving.scalar(
        "SELECT json_agg(json_build_array(applicatie_id, actie) ORDER BY aanmaakdatum) FROM audit_trail WHERE hoofd_object_id = :o",
        o=item["id"],
    )
    assert audit == [["igj", "create"], ["handhaving.termijnbewaking", "partial_update"], ["handhaving.termijnbewaking", "partial_update"]]


async def test_a_court_stop_holds_publication_and_a_court_removes_it(handhaving, auth):
    gestopt = await voornemen(handhaving, auth, date(2027, 3, 1))
    ander = await voornemen(handhaving, auth, date(2027, 3, 1), instrument="last-onder-dwangsom")
    assert (await uitspraak(handhaving, auth, gestopt["id"], "schorsing", date(2027, 3, 10))).json()["status"] == "opgeschort"
    assert await watcher(handhaving, date(2027, 3, 16)) == 1  # only the other one
    assert [m["id"] for m in await publiek(handhaving, date(2027, 3, 16))] == [ander["id"]]

    # A stop on a published item, or lifting a stop that is not there: not in the table.
    for item, soort in ((ander, "schorsing"), (ander, "schorsing-opgeheven")):
        refused = await uitspraak(handhaving, auth, item["id"], soort, date(2027, 3, 20))
        assert refused.status_code == 409 and refused.json()["code"] == "ongeldige_statusovergang"

    # The court lifts the stop after the wachttijd ended: published at the watcher's next run, once.
    assert (await uitspraak(handhaving, auth, gestopt["id"], "schorsing-opgeheven", date(2027, 4, 2))).json()["status"] == "wachttijd"
    assert await watcher(handhaving, date(2027, 4, 2), 13) == 1
    assert await watcher(handhaving, date(2027, 4, 3)) == 0
    assert {m["id"] for m in await publiek(handhaving, date(2027, 4, 3))} == {gestopt["id"], ander["id"]}
    assert len(await events(handhaving, GEPUBLICEERD)) == 2

    # A court finds the published text incorrect: off the list at once; its five-year term no longer fires.
    removed = await uitspraak(handhaving, auth, ander["id"], "verwijdering", date(2027, 5, 1))
    assert removed.status_code == 200 and removed.json()["status"] == "verwijderd"
    assert [m["id"] for m in await publiek(handhaving, date(2027, 5, 1))] == [gestopt["id"]]
    [weg] = await events(handhaving, VERWIJDERD)
    assert weg["subject"] == ander["id"] and weg["data"]["reden"] == "rechterlijke-uitspraak"
    assert await watcher(handhaving, date(2032, 3, 20)) == 0  # ander's five years (to 16 March 2032) were cancelled
    assert await watcher(handhaving, date(2032, 4, 2), 23) == 0  # gestopt: published 2 April 2027, online to 2 April 2032
    assert await watcher(handhaving, date(2032, 4, 3)) == 1
    assert len(await events(handhaving, VERWIJDERD)) == 2


async def test_a_court_forbidding_it_during_the_wachttijd_means_it_is_never_published(handhaving, auth):
    item = await voornemen(handhaving, auth, date(2027, 3, 1))
    assert (await uitspraak(handhaving, auth, item["id"], "verwijdering", date(2027, 3, 5))).json()["status"] == "afgezien"
    assert await watcher(handhaving, date(2027, 6, 1)) == 0
    assert await publiek(handhaving, date(2027, 6, 1)) == []
    assert await events(handhaving, GEPUBLICEERD) == [] and await events(handhaving, VERWIJDERD) == []


@pytest.mark.parametrize(
    ("anders", "veld", "code"),
    [
        ({"documentsoort": "boeterapport"}, "documentsoort", "niet_openbaar"),
        ({"documentsoort": "strafrechtelijk-onderzoek"}, "documentsoort", "niet_openbaar"),
        ({"documentsoort": "bedrijfsvertrouwelijke-gegevens"}, "documentsoort", "niet_openbaar"),
        ({"zakelijkeWeergave": "Aanwijzing aan de solist met BSN 111222333."}, "zakelijkeWeergave", "persoonsgegevens"),
        ({"zakelijkeWeergave": "Aanwijzing; vragen aan j.jansen@praktijk.nl"}, "zakelijkeWeergave", "persoonsgegevens"),
        ({"zakelijkeWeergave": "Aanwijzing; bel 06-12345678"}, "zakelijkeWeergave", "persoonsgegevens"),
        ({"instrument": "stimuleren-adviseren"}, "instrument", "geen_besluit"),
    ],
)
async def test_nothing_unpublishable_is_accepted_or_appears(handhaving, auth, anders, veld, code):
    with klok.gebruik(om(date(2027, 3, 1))):
        response = await handhaving.client.post(
            "/api/v1/openbaarmakingen", json=voornemen_body(**anders), headers=auth.headers("igj", BEHEREN)
        )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [(p["name"], p["code"]) for p in response.json()["invalidParams"]] == [(veld, code)]
    assert await handhaving.scalar("SELECT count(*) FROM openbaarmaking") == 0
    assert await watcher(handhaving, date(2027, 6, 1)) == 0
    assert await publiek(handhaving, date(2027, 6, 1)) == []


async def test_bad_input_lists_each_field_and_roles_are_checked(handhaving, auth):
    response = await handhaving.client.post(
        "/api/v1/openbaarmakingen",
        json={"besluitId": "x", "instrument": "geldboete", "besluitdatum": "gisteren", "zakelijkeWeergave": ""},
        headers=auth.headers("igj", BEHEREN),
    )
    assert response.status_code == 400
    velden = {p["name"] for p in response.json()["invalidParams"]}
    assert velden == {"besluitId", "zorgaanbiederId", "instrument", "besluitdatum", "zakelijkeWeergave"}
    unknown = await handhaving.client.post(
        "/api/v1/openbaarmakingen", json=voornemen_body(zorgaanbiederId=str(uuid.uuid4())), headers=auth.headers("igj", BEHEREN)
    )
    assert unknown.status_code == 400 and unknown.json()["invalidParams"][0]["code"] == "onbekende_zorgaanbieder"
    forbidden = await handhaving.client.post("/api/v1/openbaarmakingen", json=voornemen_body(), headers=auth.headers("igj", LEZEN))
    assert forbidden.status_code == 403  # the inspecteur's read scope does not publish
    body = voornemen_body()
    assert (await handhaving.client.post("/api/v1/openbaarmakingen", json=body, headers=auth.headers("igj", BEHEREN))).status_code == 201
    twice = await handhaving.client.post("/api/v1/openbaarmakingen", json=body, headers=auth.headers("igj", BEHEREN))
    assert twice.status_code == 409 and twice.json()["code"] == "openbaarmaking_bestaat"


async def test_the_bekendmaking_step_calls_voornemen_in_its_own_unit_of_work(handhaving, auth):
    """The signature the besluit's bekendmaking uses: keyword arguments, the caller's transaction."""
    besluit_id = uuid.uuid4()
    with klok.gebruik(om(date(2027, 4, 13))):
        async with handhaving.runtime.db.transaction() as session:
            werk = handhaving.runtime.werk(session, Actor.system("handhaving.besluiten", oorzaak="bekendmaking"))
            o = await openbaarmaking.voornemen(
                werk,
                besluit_id=besluit_id,
                zorgaanbieder_id=ZORGAANBIEDER,
                instrument="bevel",
                besluitdatum=date(2027, 4, 12),
                zakelijke_weergave="Bevel: de zorgaanbieder staakt de behandelingen op locatie Zeist.",
            )
            assert o is not None and o.laatste_wachtdag == date(2027, 4, 28)  # + 14 = Koningsdag 27 April: Wednesday 28th
            advies = await openbaarmaking.voornemen(
                werk,
                besluit_id=uuid.uuid4(),
                zorgaanbieder_id=ZORGAANBIEDER,
                instrument="stimuleren-adviseren",
                besluitdatum=date(2027, 4, 12),
                zakelijke_weergave="Advies.",
            )
            assert advies is None  # no besluit: nothing to publish
    assert await watcher(handhaving, date(2027, 4, 28), 23) == 0
    assert await watcher(handhaving, date(2027, 4, 29)) == 1


async def test_pages_and_the_html_page_show_the_same_items(handhaving, auth):
    weergaven = [
        "Aanwijzing <medicatie> & veiligheid",  # escaped in HTML
        "Last onder dwangsom: personeelsbezetting 's nachts",
        "Bevel: staken van behandelingen",
    ]
    for index, tekst in enumerate(weergaven):  # made known on 1, 2 and 3 March: published 16, 17 and 18 March
        await voornemen(handhaving, auth, date(2027, 3, 1 + index), zakelijkeWeergave=tekst)
        assert await watcher(handhaving, date(2027, 3, 16 + index)) == 1
    dag = om(date(2027, 3, 20))
    with klok.gebruik(dag):
        first = (await handhaving.client.get("/api/v1/openbare-maatregelen", params={"pageSize": 2})).json()
        assert [m["zakelijkeWeergave"] for m in first["results"]] == [weergaven[2], weergaven[1]]  # newest first
        assert first["next"].startswith("http://handhaving.test/api/v1/openbare-maatregelen?")
        second = (await handhaving.client.get(first["next"].removeprefix("http://handhaving.test"))).json()
        assert [m["zakelijkeWeergave"] for m in second["results"]] == [weergaven[0]] and second["next"] is None

        page = await handhaving.client.get("/api/v1/openbare-maatregelen", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        json_page = await handhaving.client.get("/api/v1/openbare-maatregelen", headers={"Accept": "application/json"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert json_page.headers["content-type"].startswith("application/json")
    text = page.text
    assert '<html lang="nl">' in text and "<caption>" in text and "<title>Openbare maatregelen</title>" in text
    assert text.count('<th scope="col">') == 5 and "<script" not in text.lower()
    rows = re.findall(r"<tr>(.*?)</tr>", text.split("<tbody>")[1], re.S)
    assert len(rows) == len(json_page.json()["results"]) == 3
    assert "Aanwijzing &lt;medicatie&gt; &amp; veiligheid" in rows[2] and "<medicatie>" not in text
    for row, item in zip(rows, json_page.json()["results"], strict=True):
        assert item["zorgaanbiederId"] in row and f'datetime="{item["gepubliceerdOp"]}"' in row
    assert json.loads(json_page.text)["results"][0]["gepubliceerdOp"] == "2027-03-18"
