"""Each instrument's required terms (issue 10, item 2 and acceptance 10): a voornemen lacking or misstating them
gets one 400 naming every bad ``instrumentgegevens.<key>``; a valid one is stored normalised. The expected names
are written out here, per case, by hand."""

from __future__ import annotations

import pytest

DWANGSOM = {"begunstigingstermijnDagen": 28, "bedragsoort": "per-tijdseenheid", "bedrag": "500", "maximum": "25000", "tijdseenheid": "dag"}

ONGELDIG = [
    ("verbeterplan", {}, {"termijnDagen"}),
    ("verbeterplan", {"termijnDagen": 0}, {"termijnDagen"}),
    ("verbeterplan", {"termijnDagen": 3651}, {"termijnDagen"}),
    ("verbeterplan", {"termijnDagen": "30"}, {"termijnDagen"}),
    ("aanwijzing", {"termijnDagen": 42, "bedrag": "10"}, {"bedrag"}),
    ("verscherpt-toezicht", {}, {"termijnDagen"}),
    ("patientenstop", {"termijnDagen": -1}, {"termijnDagen"}),
    ("bevel", {}, {"handhavingsmiddel"}),
    ("bevel", {"handhavingsmiddel": "boete"}, {"handhavingsmiddel"}),
    ("waarschuwing", {"termijnDagen": 14}, {"termijnDagen"}),
    ("stimuleren-adviseren", {"advies": "x"}, {"advies"}),
    ("last-onder-bestuursdwang", {}, {"begunstigingstermijnDagen", "teTreffenMaatregelen"}),
    ("last-onder-bestuursdwang", {"spoedeisend": True}, {"teTreffenMaatregelen"}),
    # Awb 5:31: urgent bestuursdwang has no begunstigingstermijn
    (
        "last-onder-bestuursdwang",
        {"spoedeisend": True, "begunstigingstermijnDagen": 7, "teTreffenMaatregelen": "x"},
        {"begunstigingstermijnDagen"},
    ),
    ("last-onder-dwangsom", {}, {"begunstigingstermijnDagen", "bedragsoort", "bedrag"}),
    ("last-onder-dwangsom", {"bedragsoort": "per-tijdseenheid"}, {"begunstigingstermijnDagen", "bedrag", "maximum", "tijdseenheid"}),
    ("last-onder-dwangsom", {**DWANGSOM, "bedrag": "-5", "maximum": "0"}, {"bedrag", "maximum"}),
    ("last-onder-dwangsom", {**DWANGSOM, "bedrag": "1000", "maximum": "999.99"}, {"maximum"}),
    ("last-onder-dwangsom", {**DWANGSOM, "bedragsoort": "per-overtreding"}, {"tijdseenheid"}),
    ("last-onder-dwangsom", {**DWANGSOM, "bedragsoort": "ineens", "tijdseenheid": None}, {"maximum"}),
    ("last-onder-dwangsom", {**DWANGSOM, "tijdseenheid": "maand", "bedrag": "1.001"}, {"tijdseenheid", "bedrag"}),
    ("bestuurlijke-boete", {"boeterapportId": "geen-uuid"}, {"boeterapportId"}),
]

GELDIG = [
    ("verbeterplan", {"termijnDagen": 90}, {"termijnDagen": 90}),
    ("patientenstop", {}, {}),
    ("bevel", {"handhavingsmiddel": "dwangsom"}, {"handhavingsmiddel": "dwangsom"}),
    (
        "last-onder-bestuursdwang",
        {"spoedeisend": True, "teTreffenMaatregelen": "Afsluiten."},
        {"spoedeisend": True, "teTreffenMaatregelen": "Afsluiten."},
    ),
    (
        "last-onder-bestuursdwang",
        {"begunstigingstermijnDagen": 14, "teTreffenMaatregelen": "Afsluiten."},
        {"begunstigingstermijnDagen": 14, "spoedeisend": False, "teTreffenMaatregelen": "Afsluiten."},
    ),
    ("last-onder-dwangsom", {**DWANGSOM, "bedrag": 500}, DWANGSOM),  # a number is stored as a decimal string
    (
        "last-onder-dwangsom",
        {"begunstigingstermijnDagen": 7, "bedragsoort": "ineens", "bedrag": "12500.50"},
        {"begunstigingstermijnDagen": 7, "bedragsoort": "ineens", "bedrag": "12500.50"},
    ),
    ("waarschuwing", {}, {}),
]


async def _voornemen(procedure, besluittype: str, gegevens: dict):
    zaak = await procedure.zaak()
    return await procedure.post(
        f"handhavingszaken/{zaak['id']}/besluiten",
        {"besluittype": besluittype, "toelichting": "tekortkomingen", "instrumentgegevens": gegevens},
        procedure.inspecteur,
    )


@pytest.mark.parametrize(("besluittype", "gegevens", "verwacht"), ONGELDIG)
async def test_a_voornemen_names_every_bad_instrument_term(handhaving, procedure, vaste_klok, besluittype, gegevens, verwacht):
    response = await _voornemen(procedure, besluittype, gegevens)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    namen = [p["name"] for p in response.json()["invalidParams"]]
    assert sorted(namen) == sorted(f"instrumentgegevens.{k}" for k in verwacht)
    assert await handhaving.scalar("SELECT count(*) FROM besluit") == 0


@pytest.mark.parametrize(("besluittype", "gegevens", "opgeslagen"), GELDIG)
async def test_a_valid_voornemen_is_stored_normalised(handhaving, procedure, vaste_klok, besluittype, gegevens, opgeslagen):
    response = await _voornemen(procedure, besluittype, gegevens)
    assert response.status_code == 201, response.text
    assert response.json()["instrumentgegevens"] == opgeslagen
    assert (await procedure.besluit(response.json()["id"]))["instrumentgegevens"] == opgeslagen
