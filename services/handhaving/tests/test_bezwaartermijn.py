"""Objection terms through the API (issue 10, acceptance 2): six weeks from the day after the bekendmaking
(Awb 6:7/6:8), the end moved by the Algemene termijnenwet. Each expected last day is computed here by hand
from a calendar (2026: Easter Sunday 5 April, so Good Friday 3 April and Easter Monday 6 April; Ascension
Thursday 14 May with the equated Friday 15 May; 5 May is an Atw feestdag every year), never by the code under
test. An objection on the last day is on time; the day after it is late, registered all the same, with room
for a verschoonbaar reason (Awb 6:11).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from zorgtoezicht import klok

GEVALLEN = [
    # Tue 24 Mar + 42 days = Tue 5 May 2026, Bevrijdingsdag (an Atw feestdag every year) -> Wed 6 May.
    (date(2026, 3, 24), date(2026, 5, 6)),
    # Thu 2 Apr + 42 = Thu 14 May, Hemelvaartsdag; Fri 15 May equated by royal decree; 16/17 May weekend -> Mon 18 May.
    (date(2026, 4, 2), date(2026, 5, 18)),
    # Fri 20 Feb + 42 = Fri 3 Apr, Goede Vrijdag (equated, Atw art. 3 lid 2); 4/5 Apr weekend; Mon 6 Apr
    # Tweede Paasdag -> Tue 7 Apr.
    (date(2026, 2, 20), date(2026, 4, 7)),
    # Fri 13 Nov + 42 = Fri 25 Dec, Eerste Kerstdag; Sat 26 Dec Tweede Kerstdag and weekend; Sun 27 Dec -> Mon 28 Dec.
    (date(2026, 11, 13), date(2026, 12, 28)),
]


def _om(dag: date) -> datetime:
    return datetime(dag.year, dag.month, dag.day, 11, 0, tzinfo=klok.NL)


@pytest.mark.parametrize(("bekendmaking", "laatste_dag"), GEVALLEN, ids=lambda d: d.isoformat())
async def test_an_objection_on_the_last_day_is_on_time_and_the_day_after_is_late(procedure, bekendmaking, laatste_dag):
    with klok.gebruik(klok.VasteKlok(_om(bekendmaking))) as tijd:
        tijdig = await procedure.bekendgemaakt()
        laat = await procedure.bekendgemaakt()
        assert tijdig["verzenddatum"] == bekendmaking.isoformat()
        assert tijdig["uiterlijkeReactiedatum"] == laatste_dag.isoformat()

        tijd.zet(_om(laatste_dag))
        response = await procedure.post(f"besluiten/{tijdig['id']}/bezwaren", {}, procedure.jurist)
        assert response.status_code == 201, response.text
        bezwaar = response.json()
        assert (bezwaar["ontvangenOp"], bezwaar["laatsteDag"], bezwaar["teLaat"]) == (
            laatste_dag.isoformat(),
            laatste_dag.isoformat(),
            False,
        )
        assert (await procedure.besluit(tijdig["id"]))["status"] == "in-bezwaar"

        dag_erna = laatste_dag + timedelta(days=1)
        tijd.zet(_om(dag_erna))
        response = await procedure.post(
            f"besluiten/{laat['id']}/bezwaren",
            {"verschoonbaar": True, "verschoonbaarReden": "de brief is aantoonbaar te laat bezorgd"},
            procedure.jurist,
        )
        assert response.status_code == 201, response.text
        bezwaar = response.json()
        assert (bezwaar["teLaat"], bezwaar["verschoonbaar"], bezwaar["laatsteDag"]) == (True, True, laatste_dag.isoformat())
        assert bezwaar["verschoonbaarReden"] == "de brief is aantoonbaar te laat bezorgd"


async def test_a_late_objection_without_a_verdict_on_excusability_is_registered(procedure):
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 3, 24)))) as tijd:
        b, ander = await procedure.bekendgemaakt(), await procedure.bekendgemaakt()
        tijd.zet(_om(date(2026, 5, 7)))  # the day after Wed 6 May
        response = await procedure.post(f"besluiten/{b['id']}/bezwaren", {}, procedure.jurist)
        assert response.status_code == 201 and response.json()["teLaat"] is True and response.json()["verschoonbaar"] is None
        # excusable needs its reason
        response = await procedure.post(f"besluiten/{ander['id']}/bezwaren", {"verschoonbaar": True}, procedure.jurist)
        assert response.status_code == 400 and [p["name"] for p in response.json()["invalidParams"]] == ["verschoonbaarReden"]
        # and an objection on time has no excusability to judge
        tijd.zet(_om(date(2026, 5, 6)))
        response = await procedure.post(f"besluiten/{ander['id']}/bezwaren", {"verschoonbaar": False}, procedure.jurist)
        assert response.status_code == 400 and [p["name"] for p in response.json()["invalidParams"]] == ["verschoonbaar"]


async def test_the_decision_term_on_an_objection(procedure):
    """Awb 7:10: 6 weeks (12 with an advisory committee) from the day after the objection term ended.
    Objection term ends Wed 6 May 2026: + 42 days = Wed 17 June; + 84 days = Wed 29 July (no feestdag)."""
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 3, 24)))) as tijd:
        gewoon, commissie = await procedure.bekendgemaakt(), await procedure.bekendgemaakt()
        tijd.zet(_om(date(2026, 4, 20)))
        een = (await procedure.post(f"besluiten/{gewoon['id']}/bezwaren", {}, procedure.jurist)).json()
        twee = (await procedure.post(f"besluiten/{commissie['id']}/bezwaren", {"adviescommissie": True}, procedure.jurist)).json()
        assert (een["beslistermijnEinde"], twee["beslistermijnEinde"]) == ("2026-06-17", "2026-07-29")


async def test_the_decision_is_postponed_once_before_its_term_ended(procedure):
    """Awb 7:10 lid 3: + 6 weeks. Objection term ends Wed 6 May 2026; 6 + 6 weeks = 84 days -> Wed 29 July 2026."""
    with klok.gebruik(klok.VasteKlok(_om(date(2026, 3, 24)))) as tijd:
        op_tijd, te_laat = await procedure.bekendgemaakt(), await procedure.bekendgemaakt()
        tijd.zet(_om(date(2026, 4, 20)))
        een = (await procedure.post(f"besluiten/{op_tijd['id']}/bezwaren", {}, procedure.jurist)).json()
        twee = (await procedure.post(f"besluiten/{te_laat['id']}/bezwaren", {}, procedure.jurist)).json()
        tijd.zet(_om(date(2026, 6, 17)))  # the last day of the term: still in time to postpone
        verdaagd = await procedure.post(f"bezwaren/{een['id']}/verdaging", {"toelichting": "advies nodig"}, procedure.jurist)
        assert verdaagd.status_code == 200 and (verdaagd.json()["beslistermijnEinde"], verdaagd.json()["verdaagd"]) == ("2026-07-29", True)
        nogmaals = await procedure.post(f"bezwaren/{een['id']}/verdaging", {"toelichting": "nog eens"}, procedure.jurist)
        assert nogmaals.status_code == 409 and nogmaals.json()["code"] == "al_verdaagd"
        tijd.zet(_om(date(2026, 6, 18)))
        verstreken = await procedure.post(f"bezwaren/{twee['id']}/verdaging", {"toelichting": "te laat"}, procedure.jurist)
        assert verstreken.status_code == 409 and verstreken.json()["code"] == "beslistermijn_verstreken"
