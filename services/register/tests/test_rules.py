"""register's derivation rules at and around every threshold (issue 3, acceptance 1).

Pure: no database, no app. Every test asserts the exact outcome: both flags and the ids of the
rules that fired, in the order of ``REGELS``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from datetime import date

import pytest
from pydantic import ValidationError

from register.rules import (
    REGELS,
    REGELS_PER_ID,
    UITZONDERINGEN,
    VERVOLGSTAPPEN,
    ZORGSOORTEN,
    Aandachtspunt,
    Drempels,
    WtzaFeiten,
    beoordeel,
    is_vergunningplichtig,
    vroegste_meldingsdatum,
)

VERGUNNING = "vergunningplicht"
UITZONDERING = "meldplicht-uitzondering"
ALLEEN_WMO = "meldplicht-alleen-wmo"
TE_VROEG = "melding-te-vroeg"
NA_START = "melding-na-start"
CLIENTENRAAD = "clientenraad-ontbreekt"
INTERN_TOEZICHT = "intern-toezicht-ontbreekt"

# A small Jeugdwet instelling that reported everything in time: no rule fires.
BASIS = WtzaFeiten(
    soort="instelling",
    financiering=frozenset({"jeugdwet"}),
    aantal_zorgverleners=5,
    aantal_clienten=40,
    levert_msz=False,
    zorgsoorten=frozenset({"paramedisch"}),
    uitzondering=None,
    heeft_clientenraad=True,
    heeft_intern_toezicht=True,
    startdatum_zorg=date(2027, 3, 1),
    meldingsdatum=date(2027, 1, 15),
)


@pytest.fixture(autouse=True)
def _geen_drempels_uit_de_omgeving(monkeypatch):
    """The defaults, whatever the machine running the tests has set."""
    for naam in Drempels.model_fields:
        monkeypatch.delenv(f"REGISTER_REGEL_{naam.upper()}", raising=False)


def feiten(**wijzigingen) -> WtzaFeiten:
    for naam in ("financiering", "zorgsoorten"):
        if naam in wijzigingen:
            wijzigingen[naam] = frozenset(wijzigingen[naam])
    return replace(BASIS, **wijzigingen)


def uitkomst(f: WtzaFeiten, drempels: Drempels | None = None) -> tuple[bool, bool, list[str]]:
    beoordeling = beoordeel(f, drempels or Drempels())
    return beoordeling.vergunningplichtig, beoordeling.meldplichtig, beoordeling.regels


def punt(f: WtzaFeiten, regel: str, drempels: Drempels | None = None) -> Aandachtspunt:
    [gevonden] = [p for p in beoordeel(f, drempels or Drempels()).aandachtspunten if p.regel == regel]
    return gevonden


def test_a_complete_timely_melding_of_a_small_instelling_gives_no_aandachtspunten():
    assert uitkomst(BASIS) == (False, True, [])


# --- the rule table ---------------------------------------------------------------------------------


def test_the_rules_are_one_ordered_table_with_kebab_case_ids_and_a_legal_basis():
    assert [r.id for r in REGELS] == [VERGUNNING, UITZONDERING, ALLEEN_WMO, TE_VROEG, NA_START, CLIENTENRAAD, INTERN_TOEZICHT]
    assert {r.id: r.grondslag for r in REGELS} == {
        VERGUNNING: "Wtza art. 4",
        UITZONDERING: "Uitvoeringsbesluit Wtza art. 2",
        ALLEEN_WMO: "Wtza art. 2",
        TE_VROEG: "Wtza art. 2",
        NA_START: "Wtza art. 2",
        CLIENTENRAAD: "Wmcz 2018 art. 3",
        INTERN_TOEZICHT: "Wtza art. 5 / Stb. 2025, 147",
    }
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", r.id) and r.omschrijving for r in REGELS)
    assert set(REGELS_PER_ID) == {r.id for r in REGELS}


def test_outcomes_come_in_the_order_of_the_rule_table():
    f = feiten(
        financiering={"zvw"}, aantal_zorgverleners=60, heeft_clientenraad=False, heeft_intern_toezicht=False, meldingsdatum=date(2026, 1, 1)
    )
    assert uitkomst(f) == (True, True, [VERGUNNING, TE_VROEG, CLIENTENRAAD, INTERN_TOEZICHT])
    assert [p.vervolg for p in beoordeel(f).aandachtspunten] == ["brief", "brief", "brief", "bestuurlijk-gesprek"]


def test_the_rules_module_is_pure():
    code = (
        "import sys, register.rules; "
        "print(sorted(m for m in ('register.models', 'register.api', 'register.service', 'fastapi', 'sqlalchemy') "
        "if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# --- vergunningplicht (Wtza art. 4) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("soort", "financiering", "aantal", "plichtig"),
    [
        ("instelling", {"zvw"}, 10, False),
        ("instelling", {"zvw"}, 11, True),
        ("instelling", {"wlz"}, 10, False),
        ("instelling", {"wlz"}, 11, True),
        ("instelling", {"zvw", "wlz"}, 11, True),
        ("instelling", {"zvw", "wmo"}, 11, True),
        ("instelling", {"jeugdwet", "wlz"}, 11, True),
        ("instelling", {"jeugdwet"}, 10, False),
        ("instelling", {"jeugdwet"}, 11, False),  # Jeugdwet-only care is not licence-bound
        ("instelling", {"overig"}, 11, False),
        ("instelling", set(), 11, False),
        ("instelling", {"zvw"}, 0, False),
        ("solist", {"zvw"}, 10, False),
        ("solist", {"zvw"}, 11, False),  # solisten never
        ("solist", {"wlz"}, 500, False),
    ],
)
def test_vergunningplicht_above_ten_zorgverleners_for_zvw_and_wlz_instellingen(soort, financiering, aantal, plichtig):
    f = feiten(soort=soort, financiering=financiering, aantal_zorgverleners=aantal)
    assert uitkomst(f) == (plichtig, True, [VERGUNNING] if plichtig else [])
    assert is_vergunningplichtig(f, Drempels()) is plichtig


def test_the_vergunningplicht_aandachtspunt_names_the_count_and_asks_to_check_the_application():
    p = punt(feiten(financiering={"wlz"}, aantal_zorgverleners=11), VERGUNNING)
    assert (p.grondslag, p.vervolg) == ("Wtza art. 4", "brief")
    assert "11 zorgverleners (meer dan 10)" in p.reden and "aangevraagd" in p.reden


@pytest.mark.parametrize(
    ("soort", "financiering", "levert_msz", "zorgsoorten", "plichtig"),
    [
        ("instelling", {"overig"}, True, {"paramedisch"}, True),  # msz with a single zorgverlener
        ("instelling", set(), True, {"paramedisch"}, True),
        ("instelling", {"zvw"}, True, {"medisch-specialistisch"}, True),
        ("instelling", {"overig"}, False, {"medisch-specialistisch"}, True),  # the kind of care says msz
        ("instelling", {"overig"}, False, {"paramedisch"}, False),
        ("solist", {"zvw"}, True, {"medisch-specialistisch"}, False),  # solisten never, not even msz
    ],
)
def test_medisch_specialistische_zorg_needs_a_licence_with_one_zorgverlener(soort, financiering, levert_msz, zorgsoorten, plichtig):
    f = feiten(soort=soort, financiering=financiering, levert_msz=levert_msz, zorgsoorten=zorgsoorten, aantal_zorgverleners=1)
    assert uitkomst(f) == (plichtig, True, [VERGUNNING] if plichtig else [])
    if plichtig:
        assert "medisch-specialistische zorg" in punt(f, VERGUNNING).reden


@pytest.mark.parametrize(
    ("soort", "financiering", "aantal", "switch", "plichtig"),
    [
        ("instelling", {"zvw"}, 3, False, False),
        ("instelling", {"zvw"}, 3, True, True),
        ("instelling", {"wlz"}, 10, False, False),
        ("instelling", {"wlz"}, 10, True, True),
        ("instelling", {"zvw"}, 0, True, True),
        ("instelling", {"jeugdwet"}, 3, True, False),  # the amendment concerns Zvw/Wlz care only
        ("instelling", {"wmo"}, 3, True, False),
        ("solist", {"zvw"}, 1, True, False),
    ],
)
def test_the_pending_amendment_for_small_instellingen_is_a_switch(soort, financiering, aantal, switch, plichtig):
    f = feiten(soort=soort, financiering=financiering, aantal_zorgverleners=aantal)
    vergunningplichtig, _, regels = uitkomst(f, Drempels(vergunningplicht_kleine_instellingen=switch))
    assert vergunningplichtig is plichtig
    assert (VERGUNNING in regels) is plichtig
    if plichtig:
        assert "uitbreiding" in punt(f, VERGUNNING, Drempels(vergunningplicht_kleine_instellingen=True)).reden


# --- meldplicht (Wtza art. 2, Uitvoeringsbesluit Wtza art. 2) ------------------------------------------


@pytest.mark.parametrize(
    ("uitzondering", "genoemd"),
    [  # the reason names the exemption in words (written out here)
        ("abortuskliniek-met-waz-vergunning", "abortuskliniek met een vergunning op grond van de Wet afbreking zwangerschap"),
        ("apotheek", "apotheek"),
        ("militaire-gezondheidszorg", "militaire gezondheidszorg"),
        ("regionale-ambulancevoorziening", "regionale ambulancevoorziening"),
        ("sanquin", "Sanquin (bloedvoorziening)"),
        ("ggd-jeugdgezondheidszorg", "GGD of gemeentelijke jeugdgezondheidszorg"),
        ("justitiele-inrichting", "justitiële inrichting"),
        ("alleen-ondersteunende-werkzaamheden", "zorgaanbieder die alleen ondersteunende werkzaamheden verricht"),
    ],
)
def test_each_exemption_lifts_the_meldplicht_and_the_claim_is_checked(uitzondering, genoemd):
    f = feiten(uitzondering=uitzondering)
    assert uitkomst(f) == (False, False, [UITZONDERING])
    p = punt(f, UITZONDERING)
    assert (p.grondslag, p.vervolg) == ("Uitvoeringsbesluit Wtza art. 2", "telefoongesprek")
    assert genoemd in p.reden and "niet nodig" in p.reden


def test_the_exemption_vocabulary_is_exactly_uitvoeringsbesluit_art_2():
    assert set(UITZONDERINGEN) == {
        "abortuskliniek-met-waz-vergunning",
        "apotheek",
        "militaire-gezondheidszorg",
        "regionale-ambulancevoorziening",
        "sanquin",
        "ggd-jeugdgezondheidszorg",
        "justitiele-inrichting",
        "alleen-ondersteunende-werkzaamheden",
    }


def test_an_exemption_from_the_meldplicht_does_not_lift_the_licence_duty():
    f = feiten(uitzondering="justitiele-inrichting", financiering={"zvw"}, aantal_zorgverleners=11)
    assert uitkomst(f) == (True, False, [VERGUNNING, UITZONDERING])


@pytest.mark.parametrize(
    ("financiering", "meldplichtig", "regels"),
    [
        ({"wmo"}, False, [ALLEEN_WMO]),
        ({"wmo", "jeugdwet"}, True, []),
        ({"wmo", "zvw"}, True, []),
        ({"wmo", "overig"}, True, []),
        ({"jeugdwet"}, True, []),
        ({"overig"}, True, []),
    ],
)
def test_wmo_only_providers_are_not_covered_by_the_meldplicht(financiering, meldplichtig, regels):
    f = feiten(financiering=financiering)
    assert uitkomst(f) == (False, meldplichtig, regels)
    if not meldplichtig:
        p = punt(f, ALLEEN_WMO)
        assert (p.grondslag, p.vervolg) == ("Wtza art. 2", None) and "Wmo-toezichthouder" in p.reden


def test_solisten_have_the_meldplicht_too():
    assert uitkomst(feiten(soort="solist", aantal_zorgverleners=1)) == (False, True, [])


# --- timing of the melding (Wtza art. 2) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "melding", "regels"),
    [
        (date(2027, 3, 1), date(2026, 12, 1), []),  # exactly 3 months before: in time
        (date(2027, 3, 1), date(2026, 11, 30), [TE_VROEG]),  # one day earlier
        (date(2027, 1, 15), date(2026, 10, 15), []),  # across the turn of the year
        (date(2027, 1, 15), date(2026, 10, 14), [TE_VROEG]),
        (date(2027, 5, 31), date(2027, 2, 28), []),  # end of month: 3 months before 31 May is 28 February
        (date(2027, 5, 31), date(2027, 2, 27), [TE_VROEG]),
        (date(2027, 5, 28), date(2027, 2, 28), []),
        (date(2027, 5, 28), date(2027, 2, 27), [TE_VROEG]),
        (date(2028, 5, 31), date(2028, 2, 29), []),  # leap year: 29 February
        (date(2028, 5, 31), date(2028, 2, 28), [TE_VROEG]),
        (date(2027, 12, 31), date(2027, 9, 30), []),  # 30-day month
        (date(2027, 12, 31), date(2027, 9, 29), [TE_VROEG]),
        (date(2027, 3, 1), date(2027, 2, 28), []),  # the day before the start
        (date(2027, 3, 1), date(2027, 3, 1), []),  # on the start date: not flagged
        (date(2027, 3, 1), date(2027, 3, 2), [NA_START]),  # after the start: too late
    ],
)
def test_a_melding_more_than_three_calendar_months_before_the_start_is_too_early(start, melding, regels):
    assert uitkomst(feiten(startdatum_zorg=start, meldingsdatum=melding)) == (False, True, regels)


@pytest.mark.parametrize(
    ("start", "vroegst"),
    [
        (date(2027, 3, 1), date(2026, 12, 1)),
        (date(2027, 5, 31), date(2027, 2, 28)),
        (date(2028, 5, 31), date(2028, 2, 29)),
        (date(2027, 7, 31), date(2027, 4, 30)),
    ],
)
def test_the_earliest_melding_date_uses_calendar_months_clamped_to_the_month_end(start, vroegst):
    assert vroegste_meldingsdatum(start, Drempels()) == vroegst


def test_the_timing_aandachtspunten_name_the_dates_and_ask_for_a_letter():
    te_vroeg = punt(feiten(startdatum_zorg=date(2027, 5, 31), meldingsdatum=date(2027, 2, 27)), TE_VROEG)
    assert (te_vroeg.grondslag, te_vroeg.vervolg) == ("Wtza art. 2", "brief")
    assert "2027-02-27" in te_vroeg.reden and "2027-05-31" in te_vroeg.reden and "2027-02-28" in te_vroeg.reden
    na_start = punt(feiten(startdatum_zorg=date(2027, 3, 1), meldingsdatum=date(2027, 3, 2)), NA_START)
    assert (na_start.grondslag, na_start.vervolg) == ("Wtza art. 2", "brief")


def test_the_months_before_the_start_are_configurable():
    f = feiten(startdatum_zorg=date(2027, 3, 1), meldingsdatum=date(2026, 11, 30))
    assert uitkomst(f, Drempels(maximaal_vooraf_maanden=4)) == (False, True, [])
    assert uitkomst(f, Drempels(maximaal_vooraf_maanden=2)) == (False, True, [TE_VROEG])


@pytest.mark.parametrize(
    ("wijzigingen", "regels"),
    [
        ({"financiering": {"wmo"}}, [ALLEEN_WMO]),
        ({"uitzondering": "apotheek"}, [UITZONDERING]),
    ],
)
@pytest.mark.parametrize("melding", [date(2026, 1, 1), date(2027, 6, 1)])  # far too early, after the start
def test_timing_rules_apply_only_to_a_melding_the_wtza_requires(wijzigingen, regels, melding):
    assert uitkomst(feiten(meldingsdatum=melding, **wijzigingen)) == (False, False, regels)


# --- cliëntenraad (Wmcz 2018) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("soort", "aantal", "heeft", "regels"),
    [
        ("instelling", 10, False, []),
        ("instelling", 11, False, [CLIENTENRAAD]),
        ("instelling", 11, True, []),
        ("instelling", 10, True, []),
        ("instelling", 200, False, [CLIENTENRAAD]),
        ("solist", 11, False, []),  # solisten have no cliëntenraad duty
    ],
)
def test_a_clientenraad_is_expected_above_ten_zorgverleners(soort, aantal, heeft, regels):
    assert uitkomst(feiten(soort=soort, aantal_zorgverleners=aantal, heeft_clientenraad=heeft)) == (False, True, regels)


def test_the_clientenraad_aandachtspunt_asks_for_a_letter():
    p = punt(feiten(aantal_zorgverleners=11, heeft_clientenraad=False), CLIENTENRAAD)
    assert (p.grondslag, p.vervolg) == ("Wmcz 2018 art. 3", "brief")
    assert "11 zorgverleners (meer dan 10)" in p.reden


@pytest.mark.parametrize(("aantal", "regels"), [(25, []), (26, [CLIENTENRAAD])])
def test_the_clientenraad_threshold_is_configurable(aantal, regels):
    f = feiten(aantal_zorgverleners=aantal, heeft_clientenraad=False)
    assert uitkomst(f, Drempels(clientenraad_drempel=25)) == (False, True, regels)


# --- intern toezicht (Wtza art. 5 / Stb. 2025, 147) ----------------------------------------------------


@pytest.mark.parametrize(
    ("aantal", "zorgsoorten", "levert_msz", "regels"),
    [
        (50, {"paramedisch"}, False, []),
        (51, {"paramedisch"}, False, [INTERN_TOEZICHT]),
        (26, {"paramedisch"}, False, []),
        (26, {"ggz"}, False, []),
        (26, {"jeugdhulp", "huisartsenzorg"}, False, []),
        (25, {"verblijf"}, False, []),
        (26, {"verblijf"}, False, [INTERN_TOEZICHT]),
        (25, {"persoonlijke-verzorging"}, False, []),
        (26, {"persoonlijke-verzorging"}, False, [INTERN_TOEZICHT]),
        (25, {"begeleiding"}, False, []),
        (26, {"begeleiding"}, False, [INTERN_TOEZICHT]),
        (25, {"verpleging"}, False, []),
        (26, {"verpleging"}, False, [INTERN_TOEZICHT]),
        (26, {"ggz", "verblijf"}, False, [INTERN_TOEZICHT]),
        (25, {"paramedisch"}, True, [VERGUNNING]),  # msz: higher risk, and licence-bound
        (26, {"paramedisch"}, True, [VERGUNNING, INTERN_TOEZICHT]),
        (26, {"medisch-specialistisch"}, False, [VERGUNNING, INTERN_TOEZICHT]),
    ],
)
def test_intern_toezicht_above_fifty_or_above_twentyfive_with_higher_risk(aantal, zorgsoorten, levert_msz, regels):
    f = feiten(aantal_zorgverleners=aantal, zorgsoorten=zorgsoorten, levert_msz=levert_msz, heeft_intern_toezicht=False)
    assert uitkomst(f) == (VERGUNNING in regels, True, regels)
    # reported: never an aandachtspunt
    assert INTERN_TOEZICHT not in uitkomst(replace(f, heeft_intern_toezicht=True))[2]


@pytest.mark.parametrize("zorgsoorten", [{"paramedisch"}, {"verblijf"}])
def test_solisten_have_no_intern_toezicht_duty(zorgsoorten):
    f = feiten(soort="solist", aantal_zorgverleners=51, zorgsoorten=zorgsoorten, heeft_intern_toezicht=False)
    assert uitkomst(f) == (False, True, [])


def test_the_intern_toezicht_aandachtspunt_asks_for_a_board_conversation():
    gewoon = punt(feiten(aantal_zorgverleners=51, heeft_intern_toezicht=False), INTERN_TOEZICHT)
    assert (gewoon.grondslag, gewoon.vervolg) == ("Wtza art. 5 / Stb. 2025, 147", "bestuurlijk-gesprek")
    assert "meer dan 50)" in gewoon.reden
    verhoogd = punt(feiten(aantal_zorgverleners=26, zorgsoorten={"verblijf"}, heeft_intern_toezicht=False), INTERN_TOEZICHT)
    assert "meer dan 25 bij verblijf" in verhoogd.reden


@pytest.mark.parametrize(
    ("zorgsoorten", "aantal", "regels"),
    [
        ({"paramedisch"}, 40, []),
        ({"paramedisch"}, 41, [INTERN_TOEZICHT]),
        ({"verpleging"}, 20, []),
        ({"verpleging"}, 21, [INTERN_TOEZICHT]),
    ],
)
def test_the_intern_toezicht_thresholds_are_configurable(zorgsoorten, aantal, regels):
    drempels = Drempels(intern_toezicht_drempel=40, intern_toezicht_drempel_verhoogd_risico=20)
    f = feiten(aantal_zorgverleners=aantal, zorgsoorten=zorgsoorten, heeft_intern_toezicht=False)
    assert uitkomst(f, drempels) == (False, True, regels)


# --- thresholds from the environment -------------------------------------------------------------------


def test_the_default_thresholds_are_those_of_the_brief():
    assert Drempels().model_dump() == {
        "vergunning_zorgverleners_drempel": 10,
        "vergunningplicht_kleine_instellingen": False,
        "clientenraad_drempel": 10,
        "intern_toezicht_drempel": 50,
        "intern_toezicht_drempel_verhoogd_risico": 25,
        "maximaal_vooraf_maanden": 3,
    }


def test_thresholds_come_from_the_environment(monkeypatch):
    for naam, waarde in [
        ("VERGUNNING_ZORGVERLENERS_DREMPEL", "20"),
        ("VERGUNNINGPLICHT_KLEINE_INSTELLINGEN", "true"),
        ("CLIENTENRAAD_DREMPEL", "15"),
        ("INTERN_TOEZICHT_DREMPEL", "60"),
        ("INTERN_TOEZICHT_DREMPEL_VERHOOGD_RISICO", "30"),
        ("MAXIMAAL_VOORAF_MAANDEN", "6"),
    ]:
        monkeypatch.setenv(f"REGISTER_REGEL_{naam}", waarde)
    assert Drempels().model_dump() == {
        "vergunning_zorgverleners_drempel": 20,
        "vergunningplicht_kleine_instellingen": True,
        "clientenraad_drempel": 15,
        "intern_toezicht_drempel": 60,
        "intern_toezicht_drempel_verhoogd_risico": 30,
        "maximaal_vooraf_maanden": 6,
    }
    # beoordeel without thresholds reads the environment
    f = feiten(
        financiering={"jeugdwet"},
        aantal_zorgverleners=15,
        heeft_clientenraad=False,
        startdatum_zorg=date(2027, 3, 1),
        meldingsdatum=date(2026, 9, 1),
    )
    assert beoordeel(f).regels == []
    assert beoordeel(replace(f, aantal_zorgverleners=16)).regels == [CLIENTENRAAD]


@pytest.mark.parametrize(
    ("naam", "waarde"),
    [("CLIENTENRAAD_DREMPEL", "-1"), ("MAXIMAAL_VOORAF_MAANDEN", "drie"), ("VERGUNNINGPLICHT_KLEINE_INSTELLINGEN", "misschien")],
)
def test_invalid_thresholds_in_the_environment_are_refused(monkeypatch, naam, waarde):
    monkeypatch.setenv(f"REGISTER_REGEL_{naam}", waarde)
    with pytest.raises(ValidationError):
        Drempels()


# --- vocabularies ---------------------------------------------------------------------------------------


def test_the_zorgsoorten_vocabulary_is_documented():
    assert {
        "medisch-specialistisch",
        "persoonlijke-verzorging",
        "begeleiding",
        "verpleging",
        "verblijf",
        "ggz",
        "jeugdhulp",
        "huisartsenzorg",
        "farmacie",
        "paramedisch",
        "ondersteunend",
    } <= set(ZORGSOORTEN)
    assert all(ZORGSOORTEN.values())
    assert set(VERVOLGSTAPPEN) == {"brief", "telefoongesprek", "bestuurlijk-gesprek", "inspectiebezoek"}


@pytest.mark.parametrize(
    "wijzigingen",
    [
        {"soort": "zzp"},
        {"financiering": {"zvw", "aov"}},
        {"zorgsoorten": {"wellness"}},
        {"uitzondering": "tandarts"},
        {"aantal_zorgverleners": -1},
        {"aantal_clienten": -1},
    ],
)
def test_facts_outside_the_vocabularies_are_refused(wijzigingen):
    with pytest.raises(ValueError):
        feiten(**wijzigingen)


def test_facts_accept_plain_sets_and_freeze_them():
    f = replace(BASIS, financiering={"zvw"}, zorgsoorten={"verpleging"})
    assert f.financiering == frozenset({"zvw"}) and isinstance(f.zorgsoorten, frozenset)
    assert hash(f)


def test_an_unknown_follow_up_is_refused():
    with pytest.raises(ValueError):
        Aandachtspunt("vergunningplicht", "Wtza art. 4", "reden", "sms")
