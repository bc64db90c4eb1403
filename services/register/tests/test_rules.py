"""register's derivation rules at and around every threshold (issue 3, acceptance 1)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from register.rules import UITZONDERINGEN, Drempels, WtzaFeiten, beoordeel

BASIS = WtzaFeiten(
    soort="instelling", financiering=frozenset({"zvw"}), aantal_zorgverleners=5, aantal_clienten=40, levert_msz=False,
    zorgsoorten=frozenset({"paramedisch"}), uitzondering=None, heeft_clientenraad=True, heeft_intern_toezicht=True,
    startdatum_zorg=date(2027, 3, 1), meldingsdatum=date(2027, 1, 15),
)


def regels(feiten: WtzaFeiten, drempels: Drempels | None = None) -> set[str]:
    return {p.regel for p in beoordeel(feiten, drempels or Drempels()).aandachtspunten}


@pytest.mark.parametrize(("financiering", "aantal", "plichtig"), [
    ({"zvw"}, 10, False), ({"zvw"}, 11, True),
    ({"wlz"}, 10, False), ({"wlz"}, 11, True),
    ({"jeugdwet"}, 11, False), ({"wmo"}, 500, False), ({"zvw", "wmo"}, 11, True),
])
def test_vergunningplicht_above_ten_zorgverleners_for_zvw_and_wlz(financiering, aantal, plichtig):
    feiten = replace(BASIS, financiering=frozenset(financiering), aantal_zorgverleners=aantal)
    uitkomst = beoordeel(feiten, Drempels())
    assert uitkomst.vergunningplichtig is plichtig
    assert ("vergunningplicht" in regels(feiten)) is plichtig


def test_solisten_never_need_a_licence():
    for feiten in (replace(BASIS, soort="solist", aantal_zorgverleners=11), replace(BASIS, soort="solist", levert_msz=True)):
        assert beoordeel(feiten).vergunningplichtig is False
        assert "vergunningplicht" not in regels(feiten)


def test_msz_needs_a_licence_with_a_single_zorgverlener():
    feiten = replace(BASIS, levert_msz=True, aantal_zorgverleners=1, financiering=frozenset({"overig"}))
    assert beoordeel(feiten).vergunningplichtig is True
    assert "medisch-specialistische" in beoordeel(feiten).aandachtspunten[0].reden


def test_the_pending_amendment_for_small_instellingen_is_a_switch():
    klein = replace(BASIS, aantal_zorgverleners=3)
    assert beoordeel(klein, Drempels()).vergunningplichtig is False
    assert beoordeel(klein, Drempels(vergunningplicht_kleine_instellingen=True)).vergunningplichtig is True
    assert beoordeel(replace(klein, soort="solist"), Drempels(vergunningplicht_kleine_instellingen=True)).vergunningplichtig is False


@pytest.mark.parametrize("uitzondering", sorted(UITZONDERINGEN))
def test_each_exemption_lifts_the_meldplicht_and_is_checked(uitzondering):
    feiten = replace(BASIS, uitzondering=uitzondering)
    uitkomst = beoordeel(feiten)
    assert uitkomst.meldplichtig is False
    [punt] = [p for p in uitkomst.aandachtspunten if p.regel == "meldplicht-uitzondering"]
    assert punt.grondslag == "Uitvoeringsbesluit Wtza art. 2" and punt.vervolg == "telefoongesprek"


def test_without_exemption_the_meldplicht_holds_but_not_for_wmo_only():
    assert beoordeel(BASIS).meldplichtig is True
    wmo = replace(BASIS, financiering=frozenset({"wmo"}))
    assert beoordeel(wmo).meldplichtig is False and "alleen-wmo" in regels(wmo)
    assert beoordeel(replace(BASIS, financiering=frozenset({"wmo", "jeugdwet"}))).meldplichtig is True


@pytest.mark.parametrize(("start", "melding", "te_vroeg"), [
    (date(2027, 3, 1), date(2026, 12, 1), False),   # exactly 3 months before
    (date(2027, 3, 1), date(2026, 11, 30), True),   # one day earlier
    (date(2027, 5, 31), date(2027, 2, 28), False),  # end of month: 3 months before 31 May is 28 February
    (date(2027, 5, 31), date(2027, 2, 27), True),
    (date(2028, 5, 31), date(2028, 2, 29), False),  # leap year
    (date(2027, 3, 1), date(2027, 3, 5), False),    # after the start: not too early (late is another matter)
])
def test_a_melding_more_than_three_months_before_the_start_is_too_early(start, melding, te_vroeg):
    feiten = replace(BASIS, startdatum_zorg=start, meldingsdatum=melding)
    assert ("melding-te-vroeg" in regels(feiten)) is te_vroeg


@pytest.mark.parametrize(("aantal", "heeft", "ontbreekt"), [(10, False, False), (11, False, True), (11, True, False), (200, False, True)])
def test_clientenraad_above_ten_zorgverleners(aantal, heeft, ontbreekt):
    feiten = replace(BASIS, aantal_zorgverleners=aantal, heeft_clientenraad=heeft)
    assert ("clientenraad-ontbreekt" in regels(feiten)) is ontbreekt
    assert "clientenraad-ontbreekt" not in regels(replace(feiten, soort="solist"))


def test_clientenraad_threshold_is_configurable():
    feiten = replace(BASIS, aantal_zorgverleners=11, heeft_clientenraad=False)
    assert "clientenraad-ontbreekt" not in regels(feiten, Drempels(clientenraad_zorgverleners=25))


@pytest.mark.parametrize(("aantal", "zorgsoorten", "msz", "ontbreekt"), [
    (50, {"paramedisch"}, False, False), (51, {"paramedisch"}, False, True),
    (25, {"verblijf"}, False, False), (26, {"verblijf"}, False, True),
    (26, {"persoonlijke-verzorging"}, False, True), (26, {"begeleiding"}, False, True), (26, {"verpleging"}, False, True),
    (26, {"paramedisch"}, True, True), (26, {"paramedisch"}, False, False),
])
def test_intern_toezicht_above_fifty_or_twentyfive_with_higher_risk(aantal, zorgsoorten, msz, ontbreekt):
    feiten = replace(BASIS, aantal_zorgverleners=aantal, zorgsoorten=frozenset(zorgsoorten), levert_msz=msz, heeft_intern_toezicht=False)
    assert ("intern-toezicht-ontbreekt" in regels(feiten)) is ontbreekt
    assert "intern-toezicht-ontbreekt" not in regels(replace(feiten, heeft_intern_toezicht=True))


def test_thresholds_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("REGISTER_REGEL_VERGUNNING_ZORGVERLENERS", "20")
    monkeypatch.setenv("REGISTER_REGEL_MAXIMAAL_VOORAF_MAANDEN", "6")
    drempels = Drempels()
    assert drempels.vergunning_zorgverleners == 20 and drempels.maximaal_vooraf_maanden == 6
    assert beoordeel(replace(BASIS, aantal_zorgverleners=11), drempels).vergunningplichtig is False


def test_outcomes_come_in_the_order_of_the_rule_table():
    feiten = replace(BASIS, aantal_zorgverleners=60, heeft_clientenraad=False, heeft_intern_toezicht=False,
                     meldingsdatum=date(2026, 1, 1))
    assert [p.regel for p in beoordeel(feiten).aandachtspunten] == [
        "vergunningplicht", "melding-te-vroeg", "clientenraad-ontbreekt", "intern-toezicht-ontbreekt"]
