"""Issue 9, acceptance 3: every allowed activity transition works with a history row; every other one gives 409.

The allowed pairs are written out here from the issue and the design (not read from toezicht/workflow.py), for
every kind of activity, and every ordered pair of the seven statuses is tried through the API.
"""

from __future__ import annotations

import uuid

import pytest

STATUSSEN = ("voorgesteld", "gepland", "uitgevoerd", "oordeel-vastgesteld", "rapport-vastgesteld", "afgerond", "vervallen")
VOOR_ELKE_SOORT = {
    ("voorgesteld", "gepland"),
    ("voorgesteld", "vervallen"),
    ("gepland", "voorgesteld"),  # a re-plan takes it off the schedule
    ("gepland", "uitgevoerd"),
    ("gepland", "vervallen"),
}
MET_OORDEEL = VOOR_ELKE_SOORT | {
    ("uitgevoerd", "oordeel-vastgesteld"),
    ("oordeel-vastgesteld", "rapport-vastgesteld"),
    ("rapport-vastgesteld", "afgerond"),
}
ZONDER_OORDEEL = VOOR_ELKE_SOORT | {("uitgevoerd", "afgerond")}
TOEGESTAAN = {
    "inspectiebezoek": MET_OORDEEL,
    "beoordelend-gesprek": MET_OORDEEL,
    "desk-inspectie": MET_OORDEEL,
    "wettelijk-advies": MET_OORDEEL,
    "gesprek-zonder-oordeel": ZONDER_OORDEEL,
    "zelfscan": ZONDER_OORDEEL,
}
# How the test brings a new activity to each status (a path of allowed steps, from voorgesteld).
PAD_MET = {
    "voorgesteld": [],
    "gepland": ["gepland"],
    "uitgevoerd": ["gepland", "uitgevoerd"],
    "oordeel-vastgesteld": ["gepland", "uitgevoerd", "oordeel-vastgesteld"],
    "rapport-vastgesteld": ["gepland", "uitgevoerd", "oordeel-vastgesteld", "rapport-vastgesteld"],
    "afgerond": ["gepland", "uitgevoerd", "oordeel-vastgesteld", "rapport-vastgesteld", "afgerond"],
    "vervallen": ["vervallen"],
}
PAD_ZONDER = {  # oordeel-vastgesteld and rapport-vastgesteld cannot be reached without a judgement
    "voorgesteld": [],
    "gepland": ["gepland"],
    "uitgevoerd": ["gepland", "uitgevoerd"],
    "afgerond": ["gepland", "uitgevoerd", "afgerond"],
    "vervallen": ["vervallen"],
}


async def _stap(activiteiten, activiteit_id: str, naar: str):
    """The operation that asks for ``naar``: the judgement for oordeel-vastgesteld, a status step otherwise."""
    if naar == "oordeel-vastgesteld":
        return await activiteiten.oordeel(activiteit_id, [{"normId": "alg-1", "oordeel": "voldaan", "bevinding": "in orde"}])
    velden = {
        "gepland": {"geplandOp": "2026-06-20"},
        "vervallen": {"toelichting": "zorgaanbieder gestopt"},
        "uitgevoerd": {"uitgevoerdOp": "2026-06-12"},
    }.get(naar, {"toelichting": "volgende stap"})
    return await activiteiten.stap(activiteit_id, naar, **velden)


async def _naar(activiteiten, soort: str, status: str) -> str:
    created = await activiteiten.maak(soort, uuid.uuid4())
    assert created.status_code == 201, created.text
    activiteit_id = created.json()["id"]
    for stap in (PAD_MET if soort in ("inspectiebezoek", "beoordelend-gesprek", "desk-inspectie", "wettelijk-advies") else PAD_ZONDER)[
        status
    ]:
        response = await _stap(activiteiten, activiteit_id, stap)
        assert response.status_code in (200, 201), (soort, status, stap, response.text)
    return activiteit_id


@pytest.mark.parametrize("soort", sorted(TOEGESTAAN))
async def test_every_pair_of_statuses_is_allowed_exactly_as_written(activiteiten, vaste_klok, soort):
    pad = PAD_MET if TOEGESTAAN[soort] is MET_OORDEEL else PAD_ZONDER
    tried = 0
    for van in pad:
        # every pair not allowed: 409 on one activity in ``van``, which changes nothing
        activiteit_id = await _naar(activiteiten, soort, van)
        before = (await activiteiten.lees(activiteit_id)).json()
        for naar in STATUSSEN:
            if (van, naar) in TOEGESTAAN[soort]:
                continue
            refused = await _stap(activiteiten, activiteit_id, naar)
            assert refused.status_code == 409, (soort, van, naar, refused.text)
            expected_code = "soort_zonder_oordeel" if naar == "oordeel-vastgesteld" and pad is PAD_ZONDER else "ongeldige_statusovergang"
            assert refused.json()["code"] == expected_code, (soort, van, naar)
            tried += 1
        after = (await activiteiten.lees(activiteit_id)).json()
        assert after["status"] == van and after["statussen"] == before["statussen"] and after["versie"] == before["versie"]

        # every allowed pair: a fresh activity in ``van`` takes the step, with one more history row
        for naar in STATUSSEN:
            if (van, naar) not in TOEGESTAAN[soort]:
                continue
            activiteit_id = await _naar(activiteiten, soort, van)
            history = (await activiteiten.lees(activiteit_id)).json()["statussen"]
            taken = await _stap(activiteiten, activiteit_id, naar)
            assert taken.status_code in (200, 201), (soort, van, naar, taken.text)
            detail = (await activiteiten.lees(activiteit_id)).json()
            assert detail["status"] == naar
            assert [r["status"] for r in detail["statussen"]] == [r["status"] for r in history] + [naar]
            assert detail["statussen"][-1]["door"] == "igj-inspecteur"
            tried += 1
    reachable = len(pad)
    assert tried == reachable * len(STATUSSEN)  # every ordered pair from every reachable status, none skipped


async def test_a_client_cannot_set_oordeel_vastgesteld_by_a_status_step(activiteiten, vaste_klok):
    activiteit_id = await _naar(activiteiten, "inspectiebezoek", "uitgevoerd")
    refused = await activiteiten.stap(activiteit_id, "oordeel-vastgesteld")
    assert refused.status_code == 409 and refused.json()["code"] == "status_alleen_door_systeem"
    assert (await activiteiten.lees(activiteit_id)).json()["status"] == "uitgevoerd"


async def test_the_history_records_the_dates_and_reason_and_the_activity_keeps_them(activiteiten, vaste_klok):
    activiteit_id = await _naar(activiteiten, "inspectiebezoek", "gepland")
    detail = (await activiteiten.lees(activiteit_id)).json()
    assert detail["geplandOp"] == "2026-06-20"
    assert [(r["status"], r["toelichting"]) for r in detail["statussen"]] == [("voorgesteld", None), ("gepland", "gepland op 2026-06-20")]
    back = await activiteiten.stap(activiteit_id, "voorgesteld", toelichting="herplanning team Noord")
    assert back.status_code == 200 and back.json()["geplandOp"] is None
    lapsed = await activiteiten.stap(activiteit_id, "vervallen", toelichting="zorgaanbieder gestopt")
    assert lapsed.json()["vervalreden"] == "zorgaanbieder gestopt"
    assert [r["status"] for r in lapsed.json()["statussen"]] == ["voorgesteld", "gepland", "voorgesteld", "vervallen"]
    performed = await _naar(activiteiten, "gesprek-zonder-oordeel", "uitgevoerd")
    assert (await activiteiten.lees(performed)).json()["uitgevoerdOp"] == "2026-06-12"
