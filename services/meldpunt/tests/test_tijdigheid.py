"""Timeliness of meldingen at the boundaries of their terms, across weekends and holidays (issue 4, acceptance 2)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from meldpunt.tijdigheid import beoordeel
from meldpunt.voorbeelden import melding
from zorgtoezicht import klok


def calamiteit(gebeurtenis: str, vastgesteld: str, eerst_onderzocht: bool = False) -> dict:
    return {"gebeurtenisdatum": gebeurtenis, "vastgesteldOp": vastgesteld, "eerstOnderzocht": eerst_onderzocht}


# Worked out by hand on the 2026/2027 calendar. Werkdagen exclude weekends, the Algemene termijnenwet's
# feestdagen and Goede Vrijdag; "te laat" counts the werkdagen after the last day up to the receipt day.
@pytest.mark.parametrize(
    ("vastgesteld", "laatste_dag", "ontvangen", "werkdagen_te_laat", "waarom"),
    [
        (
            "2026-04-02",
            "2026-04-09",
            "2026-04-13",
            2,
            "Thu 2 Apr: Goede Vrijdag 3 and Easter Monday 6 do not count, so Tue 7, Wed 8, Thu 9; late Fri 10 + Mon 13",
        ),
        (
            "2026-04-23",
            "2026-04-29",
            "2026-05-04",
            3,
            "Thu 23 Apr: Fri 24, (King's Day Mon 27), Tue 28, Wed 29; late Thu 30 + Fri 1 May + Mon 4 May",
        ),
        ("2026-04-30", "2026-05-06", "2026-05-07", 1, "Thu 30 Apr: Fri 1, Mon 4, (5 May, every year), Wed 6; late Thu 7"),
        (
            "2026-05-12",
            "2026-05-18",
            "2026-05-26",
            5,
            "Tue 12 May: Wed 13, (Ascension Thu 14), Fri 15 (equated, still a werkdag), Mon 18; late 19, 20, 21, 22, (Whit Monday 25), 26",
        ),
        ("2026-05-21", "2026-05-27", "2026-05-28", 1, "Thu 21 May: Fri 22, (Whit Monday 25), Tue 26, Wed 27; late Thu 28"),
        (
            "2026-12-23",
            "2026-12-29",
            "2027-01-04",
            3,
            "Wed 23 Dec: Thu 24, (Christmas 25, 26 and the weekend), Mon 28, Tue 29; late Wed 30 + Thu 31 + (New Year) Mon 4 Jan",
        ),
        ("2026-11-19", "2026-11-24", "2026-11-25", 1, "Thu 19 Nov: Fri 20, Mon 23, Tue 24 (a plain weekend); late Wed 25"),
        (
            "2026-11-17",
            "2026-11-20",
            "2026-11-21",
            1,
            "Tue 17 Nov: Wed 18, Thu 19, Fri 20; received Saturday 21: late by a day though no werkdag has passed, counted as 1",
        ),
    ],
)
def test_wkkgz_calamiteit_within_three_werkdagen(vastgesteld, laatste_dag, ontvangen, werkdagen_te_laat, waarom):
    feiten = calamiteit("2026-01-01", vastgesteld)
    laatste = date.fromisoformat(laatste_dag)
    assert beoordeel("wkkgz-calamiteit", feiten, laatste) == [], waarom
    [signaal] = beoordeel("wkkgz-calamiteit", feiten, laatste + timedelta(days=1))
    assert (signaal.regel, signaal.uiterlijk, signaal.dagen_te_laat) == ("wkkgz-calamiteit-melden", laatste, 1), waarom
    [signaal] = beoordeel("wkkgz-calamiteit", feiten, date.fromisoformat(ontvangen))
    assert signaal.dagen_te_laat == werkdagen_te_laat, waarom


def test_after_an_investigation_at_most_six_weeks_after_the_event_plus_three_werkdagen():
    # Event Monday 2 November 2026; established after investigating on 30 December (beyond 6 weeks):
    # the limit is 14 December + 3 werkdagen = Thursday 17 December.
    feiten = calamiteit("2026-11-02", "2026-12-30", eerst_onderzocht=True)
    assert beoordeel("wkkgz-calamiteit", feiten, date(2026, 12, 17)) == []
    [signaal] = beoordeel("wkkgz-calamiteit", feiten, date(2026, 12, 18))
    assert signaal.uiterlijk == date(2026, 12, 17) and signaal.dagen_te_laat == 1


# Known Sunday 20 December 2026; calendar days, so Christmas and New Year count.
@pytest.mark.parametrize(
    ("ernst", "laatste_dag", "ontvangen", "dagen_te_laat"),
    [
        ("ernstige-bedreiging-volksgezondheid", "2026-12-22", "2026-12-23", 1),  # 20 + 2 days
        ("overlijden-of-ernstige-verslechtering", "2026-12-30", "2027-01-02", 3),  # 20 + 10 days; late 31, 1, 2
        ("ernstig-incident", "2027-01-04", "2027-01-05", 1),  # 20 + 15 days: 11 left in December, 4 in January
    ],
)
def test_medical_devices_by_severity(ernst, laatste_dag, ontvangen, dagen_te_laat):
    feiten = {"ernst": ernst, "bekendOp": "2026-12-20"}
    assert beoordeel("medisch-hulpmiddel-incident", feiten, date.fromisoformat(laatste_dag)) == []
    [signaal] = beoordeel("medisch-hulpmiddel-incident", feiten, date.fromisoformat(ontvangen))
    assert (signaal.uiterlijk, signaal.dagen_te_laat) == (date.fromisoformat(laatste_dag), dagen_te_laat)


def test_a_supply_stop_is_reported_at_least_two_months_ahead():
    feiten = {"aard": "stopzetting-onderbreking", "verwachteStartdatum": "2027-03-31"}
    assert beoordeel("geneesmiddel-tekort-of-defect", feiten, date(2027, 1, 31)) == []
    [signaal] = beoordeel("geneesmiddel-tekort-of-defect", feiten, date(2027, 2, 1))
    assert signaal.regel == "geneesmiddel-leveringsstop-vooraf" and signaal.uiterlijk == date(2027, 1, 31)
    assert beoordeel("geneesmiddel-tekort-of-defect", {**feiten, "aard": "kwaliteitsdefect"}, date(2027, 3, 30)) == []


async def test_a_late_calamiteit_is_flagged_and_announced_for_handhaving(meldpunt, auth):
    # Received Monday 23 November 2026 (10:00 Dutch time); established Saturday 24 October, so the last
    # day was Wednesday 28 October (Mon 26, Tue 27, Wed 28) and it is 18 werkdagen late: Thu 29 and
    # Fri 30 October, three full weeks of November (15) and Monday 23 November.
    with klok.gebruik(klok.VasteKlok(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))):
        body = melding("wkkgz-calamiteit", gebeurtenisdatum="2026-10-24", vastgesteldOp="2026-10-24")
        created = await meldpunt.client.post("/api/v1/meldingen", json=body, headers=auth.headers("p", "meldpunt.meldingen.indienen"))
    assert created.status_code == 201, created.text
    [signaal] = created.json()["tijdigheid"]
    assert signaal["grondslag"].startswith("Wkkgz art. 11 lid 1")
    assert (signaal["regel"], signaal["uiterlijk"], signaal["dagenTeLaat"]) == ("wkkgz-calamiteit-melden", "2026-10-28", 18)
    assert created.json()["triage"]["regel"] == "calamiteit-te-laat" and created.json()["prioriteit"] == "hoog"
    event = await meldpunt.scalar("SELECT convert_from(payload, 'UTF8') FROM outbox WHERE event_type LIKE '%melding-termijn-overschreden'")
    assert '"regel":"wkkgz-calamiteit-melden"' in event and '"dagenTeLaat":18' in event and '"uiterlijk":"2026-10-28"' in event
