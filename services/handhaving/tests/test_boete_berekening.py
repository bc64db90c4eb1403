"""Acceptance 5 (#10): a boete's amount equals a hand computation from a policy table written here.

The table below is the test's own, not the packaged example: the expectations are worked out by hand
from it in each test's comment, never read back from the implementation.
"""

import json
from decimal import Decimal

import pytest

from handhaving.boete import BoetebeleidFout, OnbekendeWaarde, beleid_uit_data, bereken_boete, inhoud_hash, laad_beleid

TABEL = {
    "versie": "test-1",
    "geldig_vanaf": "2026-01-01",
    "voorbeeld": False,
    "afronding": {"veelvoud": "100", "richting": "omlaag"},
    "ernst": {"licht": "0.5", "zwaar": "2"},
    "verwijtbaarheid": {"verminderd": "0.75", "normaal": "1", "opzet": "1.5"},
    "bedrijfsomvang": [
        {"code": "klein", "tot_fte": "10", "factor": "0.25"},
        {"code": "midden", "tot_fte": "100", "factor": "0.6"},
        {"code": "groot", "tot_fte": None, "factor": "1"},
    ],
    "categorieen": [
        {"code": "A", "omschrijving": "a", "grondslag": "Wet A art. 1", "basisbedrag": "10000", "maximum": "40000"},
        {"code": "B", "omschrijving": "b", "grondslag": "Wet B art. 2", "basisbedrag": "2000", "maximum": "5000"},
        {"code": "C", "omschrijving": "c", "grondslag": "Wet C art. 3", "basisbedrag": "250", "maximum": "340"},
    ],
}


@pytest.fixture
def beleid():
    return beleid_uit_data(TABEL, "test")


def test_geval_1_zwaar_opzet_groot_bedrijf(beleid):
    # 10000 x 2 (zwaar) x 1.5 (opzet) x 1 (120 fte: groot) = 30000; a multiple of 100; under the 40000 maximum
    b = bereken_boete(beleid, "A", "zwaar", "opzet", 120)
    assert b.bedrag == Decimal("30000.00")
    assert (b.omvangsklasse, b.gemaximeerd, b.zienswijze_verplicht) == ("groot", False, True)
    assert (b.beleid_versie, b.beleid_hash) == ("test-1", inhoud_hash(TABEL))
    uitleg = "\n".join(b.uitleg)
    for deel in ("Categorie A (Wet A art. 1)", "Ernst zwaar: factor 2", "Verwijtbaarheid opzet: factor 1.5", "klasse groot: factor 1"):
        assert deel in uitleg


def test_geval_2_licht_verminderd_klein_bedrijf_rondt_omlaag_af(beleid):
    # 2000 x 0.5 x 0.75 x 0.25 (9.5 fte: klein) = 187.50, rounded down to a multiple of 100 = 100
    b = bereken_boete(beleid, "B", "licht", "verminderd", "9.5")
    assert b.bedrag == Decimal("100.00")
    assert b.omvangsklasse == "klein"
    assert any("= EUR 187.50" in regel for regel in b.uitleg)
    # Awb 5:53 looks at what can be imposed (the category's maximum 5000 > 340), not at this amount
    assert b.zienswijze_verplicht


def test_geval_3_begrensd_op_het_maximum(beleid):
    # 2000 x 2 x 1.5 x 1 (250 fte) = 6000 > maximum 5000 -> 5000
    b = bereken_boete(beleid, "B", "zwaar", "opzet", 250)
    assert b.bedrag == Decimal("5000.00")
    assert b.gemaximeerd and b.maximum == Decimal(5000)
    assert "Begrensd op het maximum van de categorie: EUR 5000.00" in b.uitleg


def test_fte_grens_hoort_bij_de_hogere_klasse(beleid):
    # exactly 10 fte is not below 10: midden. 10000 x 0.5 x 1 x 0.6 = 3000
    assert bereken_boete(beleid, "A", "licht", "normaal", 10).bedrag == Decimal("3000.00")
    # 9.99 fte is klein: 10000 x 0.5 x 1 x 0.25 = 1250 -> 1200
    assert bereken_boete(beleid, "A", "licht", "normaal", "9.99").bedrag == Decimal("1200.00")


def test_afronding_dichtstbij():
    beleid = beleid_uit_data({**TABEL, "afronding": {"veelvoud": "100", "richting": "dichtstbij"}})
    # 187.50 -> nearest multiple of 100 = 200 (1.875 rounds half up to 2)
    assert bereken_boete(beleid, "B", "licht", "verminderd", 5).bedrag == Decimal("200.00")


def test_geen_hoorplicht_als_de_boete_niet_boven_340_kan_uitkomen(beleid):
    # C: 250 x 0.5 x 1 x 1 = 125 -> 100; the maximum 340 is not above the 340 threshold
    b = bereken_boete(beleid, "C", "licht", "normaal", 500)
    assert b.bedrag == Decimal("100.00")
    assert not b.zienswijze_verplicht


@pytest.mark.parametrize(
    ("args", "veld"),
    [(("X", "licht", "normaal", 1), "categorie"), (("A", "matig", "normaal", 1), "ernst"), (("A", "licht", "grof", 1), "verwijtbaarheid")],
)
def test_onbekende_waarde_noemt_het_veld(beleid, args, veld):
    with pytest.raises(OnbekendeWaarde) as info:
        bereken_boete(beleid, *args)
    assert info.value.veld == veld


@pytest.mark.parametrize("fte", [-1, "veel", "NaN"])
def test_ongeldige_fte(beleid, fte):
    with pytest.raises(ValueError, match="fte"):
        bereken_boete(beleid, "A", "licht", "normaal", fte)


def test_hash_hangt_af_van_inhoud_niet_van_opmaak(tmp_path, monkeypatch):
    compact, ruim = tmp_path / "a.json", tmp_path / "b.json"
    compact.write_text(json.dumps(TABEL), encoding="utf-8")
    ruim.write_text(json.dumps(TABEL, indent=4), encoding="utf-8")
    assert laad_beleid(compact).inhoud_hash == laad_beleid(ruim).inhoud_hash
    gewijzigd = json.loads(json.dumps(TABEL))
    gewijzigd["categorieen"][0]["basisbedrag"] = "10001"
    assert beleid_uit_data(gewijzigd).inhoud_hash != laad_beleid(compact).inhoud_hash
    monkeypatch.setenv("HANDHAVING_BOETEBELEID", str(compact))
    assert laad_beleid().versie == "test-1"


def test_meegeleverde_tabel_is_een_gemarkeerd_voorbeeld(monkeypatch):
    monkeypatch.delenv("HANDHAVING_BOETEBELEID", raising=False)
    beleid = laad_beleid()
    assert beleid.voorbeeld
    b = bereken_boete(beleid, next(iter(beleid.categorieen)), next(iter(beleid.ernst)), next(iter(beleid.verwijtbaarheid)), 1)
    assert b.voorbeeldbeleid and "VOORBEELDTABEL" in b.uitleg[0]


@pytest.mark.parametrize(
    "wijziging",
    [
        {"afronding": {"veelvoud": "0", "richting": "omlaag"}},
        {"afronding": {"veelvoud": "50", "richting": "omhoog"}},
        {"ernst": {"licht": 0.5}},  # a binary float is refused: amounts are decimal strings
        {"bedrijfsomvang": [{"code": "x", "tot_fte": "10", "factor": "1"}]},  # the last band must be open
        {"categorieen": [{"code": "A", "omschrijving": "a", "grondslag": "g", "basisbedrag": "500", "maximum": "400"}]},
        {"onbekend": 1},
    ],
)
def test_ongeldige_tabel(wijziging):
    with pytest.raises(BoetebeleidFout):
        beleid_uit_data({**TABEL, **wijziging})
