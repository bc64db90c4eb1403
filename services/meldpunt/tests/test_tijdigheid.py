"""Timeliness of meldingen at the boundaries of their terms, across weekends and holidays (issue 4, acceptance 2)."""

from __future__ import annotations

from datetime import date

import pytest

from meldpunt.tijdigheid import beoordeel


def calamiteit(gebeurtenis: str, vastgesteld: str, eerst_onderzocht: bool = False) -> dict:
    return {"gebeurtenisdatum": gebeurtenis, "vastgesteldOp": vastgesteld, "eerstOnderzocht": eerst_onderzocht}


@pytest.mark.parametrize(("vastgesteld", "laatste_dag", "waarom"), [
    ("2026-04-02", "2026-04-09", "Goede Vrijdag 3 April and Easter Monday 6 April do not count"),
    ("2026-04-23", "2026-04-29", "King's Day Monday 27 April does not count"),
    ("2026-04-30", "2026-05-06", "5 May (every year) does not count"),
    ("2026-05-12", "2026-05-18", "Ascension Day 14 May does not count (the equated 15 May does)"),
    ("2026-05-21", "2026-05-27", "Whit Monday 25 May does not count"),
    ("2026-12-23", "2026-12-29", "both Christmas days do not count"),
    ("2026-11-19", "2026-11-24", "a plain weekend"),
])
def test_wkkgz_calamiteit_within_three_werkdagen(vastgesteld, laatste_dag, waarom):
    feiten = calamiteit("2026-01-01", vastgesteld)
    assert beoordeel("wkkgz-calamiteit", feiten, date.fromisoformat(laatste_dag)) == [], waarom
    [signaal] = beoordeel("wkkgz-calamiteit", feiten, date.fromisoformat(laatste_dag).replace() + (date(2026, 1, 2) - date(2026, 1, 1)))
    assert signaal.regel == "wkkgz-calamiteit-melden" and signaal.uiterlijk == date.fromisoformat(laatste_dag)
    assert signaal.dagen_te_laat >= 1


def test_after_an_investigation_at_most_six_weeks_after_the_event_plus_three_werkdagen():
    # Event Monday 2 November 2026; established after investigating on 30 December (beyond 6 weeks):
    # the limit is 14 December + 3 werkdagen = Thursday 17 December.
    feiten = calamiteit("2026-11-02", "2026-12-30", eerst_onderzocht=True)
    assert beoordeel("wkkgz-calamiteit", feiten, date(2026, 12, 17)) == []
    [signaal] = beoordeel("wkkgz-calamiteit", feiten, date(2026, 12, 18))
    assert signaal.uiterlijk == date(2026, 12, 17) and signaal.dagen_te_laat == 1


@pytest.mark.parametrize(("ernst", "dagen"), [("ernstige-bedreiging-volksgezondheid", 2), ("overlijden-of-ernstige-verslechtering", 10),
                                              ("ernstig-incident", 15)])
def test_medical_devices_by_severity(ernst, dagen):
    feiten = {"ernst": ernst, "bekendOp": "2026-12-20"}
    laatste = date.fromordinal(date(2026, 12, 20).toordinal() + dagen)
    assert beoordeel("medisch-hulpmiddel-incident", feiten, laatste) == []  # calendar days: Christmas counts
    [signaal] = beoordeel("medisch-hulpmiddel-incident", feiten, date.fromordinal(laatste.toordinal() + 1))
    assert signaal.dagen_te_laat == 1


def test_a_supply_stop_is_reported_at_least_two_months_ahead():
    feiten = {"aard": "stopzetting-onderbreking", "verwachteStartdatum": "2027-03-31"}
    assert beoordeel("geneesmiddel-tekort-of-defect", feiten, date(2027, 1, 31)) == []
    [signaal] = beoordeel("geneesmiddel-tekort-of-defect", feiten, date(2027, 2, 1))
    assert signaal.regel == "geneesmiddel-leveringsstop-vooraf" and signaal.uiterlijk == date(2027, 1, 31)
    assert beoordeel("geneesmiddel-tekort-of-defect", {**feiten, "aard": "kwaliteitsdefect"}, date(2027, 3, 30)) == []


async def test_a_late_calamiteit_is_flagged_and_announced_for_handhaving(meldpunt, auth):
    from datetime import datetime, timedelta

    from meldpunt.voorbeelden import melding

    vastgesteld = (datetime.now().date() - timedelta(days=30)).isoformat()
    body = melding("wkkgz-calamiteit", gebeurtenisdatum=vastgesteld, vastgesteldOp=vastgesteld)
    created = await meldpunt.client.post("/api/v1/meldingen", json=body, headers=auth.headers("p", "meldpunt.meldingen.indienen"))
    assert created.status_code == 201
    assert created.json()["tijdigheid"][0]["regel"] == "wkkgz-calamiteit-melden"
    assert created.json()["triage"]["regel"] == "calamiteit-te-laat" and created.json()["prioriteit"] == "hoog"
    event = await meldpunt.scalar("SELECT convert_from(payload, 'UTF8') FROM outbox WHERE event_type LIKE '%melding-termijn-overschreden'")
    assert '"regel":"wkkgz-calamiteit-melden"' in event and '"dagenTeLaat"' in event
