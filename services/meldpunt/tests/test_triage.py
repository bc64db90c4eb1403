"""The shipped triage table, rule by rule, and the table loader.

The expectations below are written by hand, not derived from triage_regels.json: a change of meaning in
the JSON makes a test fail, and a new rule without a case here fails ``test_elke_regel_heeft_een_test``.
"""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from meldpunt.triage import (
    ENV_TABEL,
    PRIORITEITEN,
    ROUTES,
    Tabel,
    TriageFeiten,
    TriageTabelFout,
    laad_tabel,
    tabel_uit_data,
)

MAANDAG = date(2026, 3, 2)  # an ordinary week without holidays

F = TriageFeiten

# (id of the case, facts, expected rule id, route, prioriteit)
GEVALLEN = [
    ("acuut", F(soort="signaal", melder_rol="burger-naaste", acuut_gevaar=True), "acuut-gevaar", "direct-escaleren", "hoog"),
    ("wmo-calamiteit-met-gemeente", F(soort="wmo-calamiteit", gemeente_code="GM0363"), "wmo-naar-gemeente", "doorverwijzen", "normaal"),
    ("wmo-geweld-met-gemeente", F(soort="wmo-geweld", gemeente_code="GM0599"), "wmo-naar-gemeente", "doorverwijzen", "normaal"),
    ("wmo-zonder-gemeente", F(soort="wmo-calamiteit"), "wmo-gemeente-onbekend", "beoordelen", "normaal"),
    ("vals-diploma", F(soort="vals-diploma-of-vog", melder_rol="intern"), "vals-diploma-of-vog", "beoordelen", "hoog"),
    (
        "illegale-handel",
        F(soort="illegale-handel-geneesmiddelen", melder_rol="burger-naaste"),
        "illegale-handel-geneesmiddelen",
        "beoordelen",
        "hoog",
    ),
    (
        "hulpmiddel-overlijden",
        F(soort="medisch-hulpmiddel-incident", melder_rol="fabrikant", ernst="overlijden-of-ernstige-verslechtering"),
        "hulpmiddel-ernstig",
        "beoordelen",
        "hoog",
    ),
    (
        "hulpmiddel-volksgezondheid",
        F(soort="medisch-hulpmiddel-incident", melder_rol="fabrikant", ernst="ernstige-bedreiging-volksgezondheid"),
        "hulpmiddel-ernstig",
        "beoordelen",
        "hoog",
    ),
    (
        "hulpmiddel-ernstig-incident",
        F(soort="medisch-hulpmiddel-incident", melder_rol="fabrikant", ernst="ernstig-incident"),
        "hulpmiddel-registreren",
        "registreren",
        "laag",
    ),
    ("hulpmiddel-zonder-ernst", F(soort="medisch-hulpmiddel-incident"), "hulpmiddel-registreren", "registreren", "laag"),
    (
        "geneesmiddel",
        F(soort="geneesmiddel-tekort-of-defect", sector="farmaceutische-producten"),
        "geneesmiddel-tekort-of-defect",
        "beoordelen",
        "normaal",
    ),
    ("calamiteit-te-laat", F(soort="wkkgz-calamiteit", te_laat=True), "calamiteit-te-laat", "beoordelen", "hoog"),
    (
        "calamiteit-te-laat-ook-met-arrangement",
        F(soort="wkkgz-calamiteit", te_laat=True, heeft_toezichtarrangement=True),
        "calamiteit-te-laat",
        "beoordelen",
        "hoog",
    ),
    (
        "calamiteit-arrangement",
        F(soort="wkkgz-calamiteit", sector="ggz", heeft_toezichtarrangement=True, aantal_clienten=20000),
        "calamiteit-toezichtarrangement",
        "registreren",
        "laag",
    ),
    (
        "calamiteit-klein",
        F(soort="wkkgz-calamiteit", aantal_clienten=4),
        "calamiteit-kleine-zorgaanbieder",
        "onderzoek-door-zorgaanbieder",
        "normaal",
    ),
    (
        "jeugd-calamiteit-klein",
        F(soort="jeugdwet-calamiteit", aantal_clienten=2),
        "calamiteit-kleine-zorgaanbieder",
        "onderzoek-door-zorgaanbieder",
        "normaal",
    ),
    (
        "calamiteit-ziekenhuis",
        F(soort="wkkgz-calamiteit", is_ziekenhuis=True, aantal_clienten=300000, sector="medisch-specialistische-zorg"),
        "calamiteit-ziekenhuis",
        "onderzoek-door-zorgaanbieder",
        "normaal",
    ),
    (
        "calamiteit-vijf-clienten",
        F(soort="wkkgz-calamiteit", aantal_clienten=5),
        "calamiteit-onderzoek",
        "onderzoek-door-zorgaanbieder",
        "normaal",
    ),
    ("calamiteit-aantal-onbekend", F(soort="wkkgz-calamiteit"), "calamiteit-onderzoek", "onderzoek-door-zorgaanbieder", "normaal"),
    (
        "jeugd-calamiteit",
        F(soort="jeugdwet-calamiteit", aantal_clienten=80),
        "calamiteit-onderzoek",
        "onderzoek-door-zorgaanbieder",
        "normaal",
    ),
    (
        "jeugd-calamiteit-te-laat-geen-boeteregel",
        F(soort="jeugdwet-calamiteit", te_laat=True),
        "calamiteit-onderzoek",
        "onderzoek-door-zorgaanbieder",
        "normaal",
    ),
    ("wkkgz-geweld", F(soort="wkkgz-geweld"), "geweld-in-de-zorgrelatie", "beoordelen", "hoog"),
    ("jeugd-geweld", F(soort="jeugdwet-geweld"), "geweld-in-de-zorgrelatie", "beoordelen", "hoog"),
    ("ontslag", F(soort="wkkgz-ontslag-disfunctioneren"), "ontslag-disfunctioneren", "beoordelen", "normaal"),
    ("klacht-herhaald", F(soort="klacht", melder_rol="burger-naaste", herhaling=3), "burger-signaal-herhaald", "beoordelen", "normaal"),
    ("signaal-herhaald", F(soort="signaal", melder_rol="burger-naaste", herhaling=7), "burger-signaal-herhaald", "beoordelen", "normaal"),
    (
        "klacht-twee-eerdere",
        F(soort="klacht", melder_rol="burger-naaste", herhaling=2),
        "burger-signaal-registreren",
        "registreren",
        "laag",
    ),
    (
        "signaal-eerste",
        F(soort="signaal", melder_rol="burger-naaste", zorgaanbieder_bekend=False),
        "burger-signaal-registreren",
        "registreren",
        "laag",
    ),
    ("signaal-van-gemeente", F(soort="signaal", melder_rol="gemeente", herhaling=0), "vangnet", "beoordelen", "normaal"),
    ("signaal-van-toezichthouder", F(soort="signaal", melder_rol="toezichthouder"), "vangnet", "beoordelen", "normaal"),
]


# The handling date per rule from Monday 2 March 2026, counted by hand (no feestdag in March 2026):
# 1 werkdag Tue 3, 2 Wed 4, 3 Thu 5, 5 Mon 9, 10 Mon 16, 20 Mon 30 March.
AFHANDELDATUM = {
    "acuut-gevaar": date(2026, 3, 3),
    "wmo-naar-gemeente": date(2026, 3, 4),
    "wmo-gemeente-onbekend": date(2026, 3, 5),
    "vals-diploma-of-vog": date(2026, 3, 9),
    "illegale-handel-geneesmiddelen": date(2026, 3, 9),
    "hulpmiddel-ernstig": date(2026, 3, 4),
    "hulpmiddel-registreren": date(2026, 3, 30),
    "geneesmiddel-tekort-of-defect": date(2026, 3, 9),
    "calamiteit-te-laat": date(2026, 3, 9),
    "calamiteit-toezichtarrangement": date(2026, 3, 30),
    "calamiteit-kleine-zorgaanbieder": date(2026, 3, 9),
    "calamiteit-ziekenhuis": date(2026, 3, 9),
    "calamiteit-onderzoek": date(2026, 3, 9),
    "geweld-in-de-zorgrelatie": date(2026, 3, 9),
    "ontslag-disfunctioneren": date(2026, 3, 16),
    "burger-signaal-herhaald": date(2026, 3, 16),
    "burger-signaal-registreren": date(2026, 3, 16),
    "vangnet": date(2026, 3, 16),
}
# The calamity report is due 8 weeks after Monday 2 March: Monday 27 April 2026. That is King's Day, but
# the term is set by the inspectie, not by law, so the Atw does not extend it (domain.md, Atw art. 1).
RAPPORT_UITERLIJK = date(2026, 4, 27)


@pytest.fixture(scope="module")
def tabel() -> Tabel:
    return laad_tabel()


@pytest.fixture(autouse=True)
def _geen_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_TABEL, raising=False)


def _ruwe_tabel() -> dict:
    from importlib import resources

    return json.loads(resources.files("meldpunt").joinpath("triage_regels.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("feiten", "regel_id", "route", "prioriteit"), [pytest.param(*g[1:], id=g[0]) for g in GEVALLEN])
def test_regel(tabel: Tabel, feiten: TriageFeiten, regel_id: str, route: str, prioriteit: str) -> None:
    besluit = tabel.beslis(feiten, MAANDAG)
    assert (besluit.regel_id, besluit.route, besluit.prioriteit) == (regel_id, route, prioriteit)
    assert besluit.tabel_versie == "2026.1"
    assert besluit.route in ROUTES and besluit.prioriteit in PRIORITEITEN
    assert besluit.afhandeldatum == AFHANDELDATUM[regel_id]
    assert besluit.uitleg and "{" not in besluit.uitleg and "}" not in besluit.uitleg
    # waarom: exactly the conditions of the rule that fired, each with the fact it met
    regel = next(r for r in tabel.regels if r.id == regel_id)
    assert [(w.veld, w.operator) for w in besluit.waarom] == [(v.veld, v.operator) for v in regel.als]
    assert all(w.feit == getattr(feiten, w.veld) for w in besluit.waarom)
    if route == "doorverwijzen":
        assert besluit.doorverwijzen_naar
    else:
        assert besluit.doorverwijzen_naar is None
    assert besluit.rapport_uiterlijk == (RAPPORT_UITERLIJK if route == "onderzoek-door-zorgaanbieder" else None)


def test_elke_regel_heeft_een_test(tabel: Tabel) -> None:
    getest = {g[2] for g in GEVALLEN}
    assert {r.id for r in tabel.regels} - getest == set(), "rules without a test case in GEVALLEN"
    assert getest - {r.id for r in tabel.regels} == set(), "test cases for rules that no longer exist"


def test_volgorde_van_de_gedeelde_tabel(tabel: Tabel) -> None:
    assert [r.id for r in tabel.regels] == [
        "acuut-gevaar",
        "wmo-naar-gemeente",
        "wmo-gemeente-onbekend",
        "vals-diploma-of-vog",
        "illegale-handel-geneesmiddelen",
        "hulpmiddel-ernstig",
        "hulpmiddel-registreren",
        "geneesmiddel-tekort-of-defect",
        "calamiteit-te-laat",
        "calamiteit-toezichtarrangement",
        "calamiteit-kleine-zorgaanbieder",
        "calamiteit-ziekenhuis",
        "calamiteit-onderzoek",
        "geweld-in-de-zorgrelatie",
        "ontslag-disfunctioneren",
        "burger-signaal-herhaald",
        "burger-signaal-registreren",
        "vangnet",
    ]
    assert tabel.regels[-1].als == ()


@pytest.mark.parametrize(
    "feiten",
    [
        F(soort="wmo-calamiteit", gemeente_code="GM0363", acuut_gevaar=True),
        F(soort="medisch-hulpmiddel-incident", ernst="ernstig-incident", acuut_gevaar=True),
        F(soort="wkkgz-calamiteit", heeft_toezichtarrangement=True, acuut_gevaar=True),
        F(soort="klacht", melder_rol="burger-naaste", acuut_gevaar=True),
        F(soort="wkkgz-calamiteit", te_laat=True, is_ziekenhuis=True, acuut_gevaar=True),
    ],
    ids=["wmo", "hulpmiddel", "arrangement", "klacht", "te-laat-ziekenhuis"],
)
def test_acuut_gevaar_gaat_voor_alles(tabel: Tabel, feiten: TriageFeiten) -> None:
    besluit = tabel.beslis(feiten, MAANDAG)
    assert (besluit.regel_id, besluit.route, besluit.prioriteit) == ("acuut-gevaar", "direct-escaleren", "hoog")
    assert besluit.afhandeldatum == date(2026, 3, 3)


def test_wmo_doorverwijzing_gaat_voor_generieke_calamiteit(tabel: Tabel) -> None:
    # an otherwise "hospital / small provider" calamiteit under the Wmo still goes to the gemeente
    besluit = tabel.beslis(F(soort="wmo-calamiteit", gemeente_code="GM0344", aantal_clienten=3, is_ziekenhuis=True, te_laat=True), MAANDAG)
    assert besluit.regel_id == "wmo-naar-gemeente"
    assert besluit.doorverwijzen_naar == "wmo-toezichthouder:GM0344"
    assert "GM0344" in besluit.uitleg


def test_te_laat_gaat_voor_arrangement_klein_en_ziekenhuis(tabel: Tabel) -> None:
    besluit = tabel.beslis(
        F(soort="wkkgz-calamiteit", te_laat=True, heeft_toezichtarrangement=True, aantal_clienten=2, is_ziekenhuis=True), MAANDAG
    )
    assert besluit.regel_id == "calamiteit-te-laat"


def test_arrangement_gaat_voor_ziekenhuis(tabel: Tabel) -> None:
    besluit = tabel.beslis(F(soort="wkkgz-calamiteit", heeft_toezichtarrangement=True, is_ziekenhuis=True), MAANDAG)
    assert besluit.regel_id == "calamiteit-toezichtarrangement"


def test_afhandeldatum_over_weekend_en_feestdag(tabel: Tabel) -> None:
    # Friday 24 April 2026; Saturday, Sunday and Koningsdag (Monday 27 April) are no werkdagen
    vrijdag = date(2026, 4, 24)
    acuut = tabel.beslis(F(soort="signaal", acuut_gevaar=True), vrijdag)
    assert acuut.afhandeldatum == date(2026, 4, 28)
    wmo = tabel.beslis(F(soort="wmo-geweld", gemeente_code="GM0363"), vrijdag)  # 2 werkdagen
    assert wmo.afhandeldatum == date(2026, 4, 29)
    assert "29 april 2026" in wmo.uitleg
    # 5 werkdagen from Thursday 31 December 2026: 1 January is a holiday -> Friday 8 January 2027
    assert tabel.beslis(F(soort="wkkgz-geweld"), date(2026, 12, 31)).afhandeldatum == date(2027, 1, 8)


def test_rapporttermijn_acht_weken(tabel: Tabel) -> None:
    besluit = tabel.beslis(F(soort="wkkgz-calamiteit"), MAANDAG)
    assert besluit.rapport_uiterlijk == date(2026, 4, 27)
    assert "27 april 2026" in besluit.uitleg
    assert "gemotiveerd verzoek" in besluit.uitleg


def test_uitleg_vult_plaatshouders_in(tabel: Tabel) -> None:
    besluit = tabel.beslis(F(soort="klacht", melder_rol="burger-naaste", herhaling=4), MAANDAG)
    assert "4 eerdere meldingen" in besluit.uitleg
    assert "16 maart 2026" in besluit.uitleg  # 10 werkdagen after Monday 2 March


def test_uitleg_van_elke_regel_zonder_open_haken(tabel: Tabel) -> None:
    for _id, feiten, *_ in GEVALLEN:
        besluit = tabel.beslis(feiten, MAANDAG)
        assert "{" not in besluit.uitleg and "}" not in besluit.uitleg, besluit.regel_id
        assert "None" not in besluit.uitleg


def test_waarom_is_machineleesbaar(tabel: Tabel) -> None:
    besluit = tabel.beslis(F(soort="wkkgz-calamiteit", aantal_clienten=3), MAANDAG)
    assert besluit.als_dict()["waarom"] == [
        {"veld": "soort", "operator": "in", "waarde": ["wkkgz-calamiteit", "jeugdwet-calamiteit"], "feit": "wkkgz-calamiteit"},
        {"veld": "aantal_clienten", "operator": "<", "waarde": 5, "feit": 3},
    ]
    json.dumps(besluit.als_dict())
    assert tabel.beslis(F(soort="signaal", melder_rol="intern"), MAANDAG).waarom == ()


def test_ongeldige_feiten() -> None:
    with pytest.raises(ValueError, match="soort"):
        F(soort="onbekend")
    with pytest.raises(ValueError, match="melder_rol"):
        F(soort="klacht", melder_rol="buurman")
    with pytest.raises(ValueError, match="ernst"):
        F(soort="medisch-hulpmiddel-incident", ernst="erg")


# --- validation of a broken table ---------------------------------------------------------------------------


def _met(wijziging) -> dict:
    data = copy.deepcopy(_ruwe_tabel())
    wijziging(data)
    return data


def _dubbel_id(d: dict) -> None:
    d["regels"][1]["id"] = d["regels"][0]["id"]


def _onbekende_operator(d: dict) -> None:
    d["regels"][0]["als"] = {"herhaling": {"~=": 3}}


def _onbekend_veld(d: dict) -> None:
    d["regels"][0]["als"] = {"leeftijd": 3}


def _geen_vangnet(d: dict) -> None:
    d["regels"].pop()


def _vangnet_niet_laatst(d: dict) -> None:
    d["regels"].insert(0, {**d["regels"][-1], "id": "te-vroeg"})


def _onbekende_route(d: dict) -> None:
    d["regels"][0]["route"] = "negeren"


def _onbekende_prioriteit(d: dict) -> None:
    d["regels"][0]["prioriteit"] = "spoed"


def _onbekende_soort(d: dict) -> None:
    d["regels"][3]["als"] = {"soort": "vals-diploma"}


def _vergelijking_op_tekst(d: dict) -> None:
    d["regels"][0]["als"] = {"soort": {"<": 5}}


def _onbekende_plaatshouder(d: dict) -> None:
    d["regels"][0]["uitleg"] = "Gemeld door {melder_naam}."


def _doorverwijzen_zonder_doel(d: dict) -> None:
    del d["regels"][1]["doorverwijzen_naar"]


@pytest.mark.parametrize(
    ("wijziging", "melding"),
    [
        (_dubbel_id, "duplicate id 'acuut-gevaar'"),
        (_onbekende_operator, "unknown operator '~='"),
        (_onbekend_veld, "unknown field 'leeftijd'"),
        (_geen_vangnet, "must be a catch-all"),
        (_vangnet_niet_laatst, "not the last rule"),
        (_onbekende_route, "unknown route 'negeren'"),
        (_onbekende_prioriteit, "unknown prioriteit 'spoed'"),
        (_onbekende_soort, "unknown value 'vals-diploma'"),
        (_vergelijking_op_tekst, "only applies to a numeric field"),
        (_onbekende_plaatshouder, "unknown placeholder {melder_naam}"),
        (_doorverwijzen_zonder_doel, "needs 'doorverwijzen_naar'"),
    ],
)
def test_kapotte_tabel(wijziging, melding: str) -> None:
    with pytest.raises(TriageTabelFout, match=melding.replace("{", r"\{").replace("}", r"\}")):
        tabel_uit_data(_met(wijziging), "kapot.json")


def test_kapotte_json(tmp_path) -> None:
    pad = tmp_path / "kapot.json"
    pad.write_text("{niet json", encoding="utf-8")
    with pytest.raises(TriageTabelFout, match="not valid JSON"):
        laad_tabel(pad)


# --- a configurable table -------------------------------------------------------------------------------------


def test_tabel_uit_omgevingsvariabele(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    eigen = {
        "versie": "test-1",
        "geldig_vanaf": "2026-06-01",
        "regels": [
            {
                "id": "kleine-aanbieder",
                "als": {"aantal_clienten": {"<=": 10}, "sector": {"in": ["ggz"]}},
                "route": "onderzoek-door-zorgaanbieder",
                "prioriteit": "laag",
                "afhandeltermijn_werkdagen": 3,
                "rapporttermijn_weken": 4,
                "uitleg": "Zelfscan tot {rapport_uiterlijk} ({aantal_clienten} cliënten).",
            },
            {
                "id": "alles",
                "als": {},
                "route": "registreren",
                "prioriteit": "laag",
                "afhandeltermijn_werkdagen": 0,
                "uitleg": "Geregistreerd {{intern}}.",
            },
        ],
    }
    pad = tmp_path / "eigen.json"
    pad.write_text(json.dumps(eigen), encoding="utf-8")
    monkeypatch.setenv(ENV_TABEL, str(pad))
    tabel = laad_tabel()
    assert tabel.versie == "test-1" and tabel.bron == str(pad)
    besluit = tabel.beslis(F(soort="klacht", sector="ggz", aantal_clienten=10), MAANDAG)
    assert (besluit.regel_id, besluit.tabel_versie) == ("kleine-aanbieder", "test-1")
    assert besluit.rapport_uiterlijk == date(2026, 3, 30)
    assert besluit.uitleg == "Zelfscan tot 30 maart 2026 (10 cliënten)."
    rest = tabel.beslis(F(soort="klacht", sector="ggz"), MAANDAG)  # aantal unknown: no comparison holds
    assert (rest.regel_id, rest.afhandeldatum, rest.uitleg) == ("alles", MAANDAG, "Geregistreerd {intern}.")
    # an explicit path wins over the environment; without either, the packaged table
    monkeypatch.setenv(ENV_TABEL, str(tmp_path / "bestaat-niet.json"))
    assert laad_tabel(pad).versie == "test-1"
    monkeypatch.delenv(ENV_TABEL)
    assert laad_tabel().versie == "2026.1"


def test_omgevingsvariabele_naar_ontbrekend_bestand(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_TABEL, str(tmp_path / "bestaat-niet.json"))
    with pytest.raises(TriageTabelFout, match="cannot read"):
        laad_tabel()
