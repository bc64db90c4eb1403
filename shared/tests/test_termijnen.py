"""Working days and statutory terms at their boundaries, across weekends and Dutch holidays.

Every expected date below is a real calendar fact (weekday noted), checked by hand against the Atw rules.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import holidays
import pytest

from zorgtoezicht import klok
from zorgtoezicht.termijnen import feestdagen as fd
from zorgtoezicht.termijnen import regels as r

DAG = timedelta(days=1)


def pasen_gauss(jaar: int) -> date:
    """Easter Sunday by Gauss's algorithm: independent of both the library and ``fd.pasen``."""
    a, b, c, k = jaar % 19, jaar % 4, jaar % 7, jaar // 100
    p, q = (13 + 8 * k) // 25, k // 4
    m, n = (15 - p + k - q) % 30, (4 + k - q) % 7
    d = (19 * a + m) % 30
    e = (2 * b + 4 * c + 6 * d + n) % 7
    if d == 29 and e == 6:
        return date(jaar, 4, 19)
    if d == 28 and e == 6 and (11 * m + 11) % 30 < 19:
        return date(jaar, 4, 18)
    return date(jaar, 3, 22) + timedelta(days=d + e)


PASEN = {
    2023: date(2023, 4, 9),
    2024: date(2024, 3, 31),
    2025: date(2025, 4, 20),
    2026: date(2026, 4, 5),
    2027: date(2027, 3, 28),
    2028: date(2028, 4, 16),
    2029: date(2029, 4, 1),
    2030: date(2030, 4, 21),
}


@pytest.fixture
def configuratie(monkeypatch):
    """Clean ``ZT_*`` calendar configuration, re-read before and after the test."""
    for naam in ("ZT_ATW_EXTRA_DAGEN", "ZT_WERKDAGEN_5_MEI", "ZT_WERKDAGEN_GOEDE_VRIJDAG"):
        monkeypatch.delenv(naam, raising=False)
    fd.herlaad_configuratie()
    yield monkeypatch
    monkeypatch.undo()
    fd.herlaad_configuratie()


# --- the calendar: Atw art. 3 lid 1 and 2, against the library ----------------------------------------------


@pytest.mark.parametrize("jaar", sorted(PASEN))
def test_easter_three_ways_agree(jaar):
    assert pasen_gauss(jaar) == PASEN[jaar] == fd.pasen(jaar)
    assert PASEN[jaar].weekday() == 6


@pytest.mark.parametrize("jaar", sorted(PASEN))
def test_atw_feestdagen_every_year(jaar):
    p = PASEN[jaar]
    koningsdag = date(jaar, 4, 26) if date(jaar, 4, 27).weekday() == 6 else date(jaar, 4, 27)
    assert dict(fd.atw_feestdagen(jaar)) == {
        date(jaar, 1, 1): "Nieuwjaarsdag",
        p - 2 * DAG: "Goede Vrijdag",
        p + DAG: "Tweede Paasdag",
        koningsdag: "Koningsdag",
        date(jaar, 5, 5): "Bevrijdingsdag",
        p + 39 * DAG: "Hemelvaartsdag",
        p + 50 * DAG: "Tweede Pinksterdag",
        date(jaar, 12, 25): "Eerste Kerstdag",
        date(jaar, 12, 26): "Tweede Kerstdag",
    }


@pytest.mark.parametrize("jaar", sorted(PASEN))
def test_the_library_easter_based_dates_are_right(jaar):
    bibliotheek = {naam: dag for dag, naam in holidays.country_holidays("NL", years=jaar, language="en_US").items()}
    p = PASEN[jaar]
    assert bibliotheek["Good Friday"] == p - 2 * DAG
    assert bibliotheek["Easter Monday"] == p + DAG
    assert bibliotheek["Ascension Day"] == p + 39 * DAG  # always a Thursday
    assert bibliotheek["Pentecost Monday"] == p + 50 * DAG


def test_the_library_lacks_5_may_outside_lustrum_years_and_we_correct_it():
    # holidays 0.109 (uv.lock): Liberation Day is public only every fifth year. If an upgrade changes
    # this, re-check the library against Atw art. 3 and update this test.
    bibliotheek_2026 = holidays.country_holidays("NL", years=2026)
    assert date(2026, 5, 5) not in bibliotheek_2026
    assert date(2025, 5, 5) in holidays.country_holidays("NL", years=2025)  # lustrum year
    assert date(2026, 5, 5) in fd.atw_feestdagen(2026)
    assert not fd.is_werkdag(date(2026, 5, 5))  # a Tuesday
    toegevoegd = [(c.datum, c.naam) for c in fd.bibliotheek_correcties(2026) if c.actie == "toegevoegd"]
    assert toegevoegd == [(date(2026, 5, 5), "Bevrijdingsdag")]
    assert not [c for c in fd.bibliotheek_correcties(2025) if c.actie == "toegevoegd"]


def test_what_the_atw_does_not_name_is_dropped_and_those_are_sundays():
    verwijderd = [c for c in fd.bibliotheek_correcties(2026) if c.actie == "verwijderd"]
    assert {c.datum for c in verwijderd} == {date(2026, 4, 5), date(2026, 5, 24)}  # Easter and Whit Sunday
    assert all(c.datum.weekday() == 6 for c in verwijderd)


def test_the_rules_decide_when_the_library_is_wrong(monkeypatch, caplog):
    monkeypatch.setattr(fd, "_bibliotheek", lambda jaar: {date(jaar, 4, 30): "Queen's Day"})
    fd._atw_kalender.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger=fd.__name__):
            assert len(fd.atw_feestdagen(2031)) == 9
            assert date(2031, 4, 30) not in fd.atw_feestdagen(2031)
        assert "wijkt af van Atw art. 3" in caplog.text  # a missing Tweede Paasdag is worth a warning
        correcties = {(c.datum, c.actie) for c in fd.bibliotheek_correcties(2031)}
        assert (date(2031, 4, 30), "verwijderd") in correcties  # Koninginnedag ended in 2013
        assert (date(2031, 4, 14), "toegevoegd") in correcties  # Tweede Paasdag (Easter 13 April 2031)
    finally:
        fd._atw_kalender.cache_clear()


@pytest.mark.parametrize(
    ("jaar", "koningsdag"),
    [
        (2014, date(2014, 4, 26)),  # 27 April 2014 was a Sunday: celebrated on Saturday the 26th
        (2025, date(2025, 4, 26)),  # likewise 2025
        (2026, date(2026, 4, 27)),  # a Monday
    ],
)
def test_koningsdag(jaar, koningsdag):
    assert fd.koningsdag(jaar) == koningsdag
    assert fd.atw_feestdagen(jaar)[koningsdag] == "Koningsdag"
    assert fd.is_atw_vrije_dag(koningsdag)


def test_a_datetime_is_refused_rather_than_silently_missing_every_feestdag():
    with pytest.raises(TypeError):
        fd.is_werkdag(datetime(2026, 5, 5, 9, 0))


# --- ordinary werkdagen ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "einde", "waarom"),
    [
        (date(2026, 11, 19), 3, date(2026, 11, 24), "Thursday + 3 skips the weekend"),
        (date(2026, 4, 2), 3, date(2026, 4, 9), "Goede Vrijdag 3 April and Tweede Paasdag 6 April"),
        (date(2026, 4, 24), 1, date(2026, 4, 28), "weekend, then Koningsdag Monday 27 April"),
        (date(2026, 4, 30), 3, date(2026, 5, 6), "5 May 2026, a Tuesday"),
        (date(2026, 5, 13), 1, date(2026, 5, 15), "Hemelvaartsdag 14 May; the equated 15 May is a werkdag"),
        (date(2026, 5, 22), 1, date(2026, 5, 26), "Tweede Pinksterdag 25 May"),
        (date(2026, 12, 23), 3, date(2026, 12, 29), "both Christmas days (Friday, Saturday) and Sunday"),
        (date(2026, 12, 31), 1, date(2027, 1, 4), "Nieuwjaarsdag Friday and the weekend"),
        (date(2025, 12, 31), 1, date(2026, 1, 2), "equated 2 January 2026 is a werkdag"),
        (date(2026, 4, 7), -1, date(2026, 4, 2), "counting back over Easter"),
        (date(2026, 4, 7), 0, date(2026, 4, 7), "zero werkdagen is the start"),
    ],
)
def test_add_werkdagen_and_werkdagen_tussen(start, n, einde, waarom, configuratie):
    assert r.add_werkdagen(start, n) == einde, waarom
    assert r.werkdagen_tussen(start, einde) == n, waarom


def test_werkdagen_tussen_counts_after_begin_up_to_and_including_einde():
    assert r.werkdagen_tussen(date(2026, 11, 20), date(2026, 11, 20)) == 0
    assert r.werkdagen_tussen(date(2026, 11, 20), date(2026, 11, 22)) == 0  # Saturday, Sunday
    assert r.werkdagen_tussen(date(2026, 11, 20), date(2026, 11, 23)) == 1
    assert r.werkdagen_tussen(date(2026, 11, 23), date(2026, 11, 20)) == -1


def test_werkdag_keuze_defaults_to_the_atw(configuratie):
    assert fd.werkdag_keuze() == fd.WerkdagKeuze("elk_jaar", "vrij")
    assert not fd.is_werkdag(date(2026, 4, 3))  # Goede Vrijdag
    assert not fd.is_werkdag(date(2026, 5, 5))


def test_werkdag_keuze_5_mei_and_goede_vrijdag_are_configurable(configuratie):
    lustrum = fd.WerkdagKeuze(bevrijdingsdag="lustrum")
    assert fd.is_werkdag(date(2026, 5, 5), lustrum)
    assert not fd.is_werkdag(date(2025, 5, 5), lustrum)  # a Monday in a lustrum year
    assert fd.is_werkdag(date(2025, 5, 5), fd.WerkdagKeuze(bevrijdingsdag="nooit"))
    assert fd.is_werkdag(date(2026, 4, 3), fd.WerkdagKeuze(goede_vrijdag="werkdag"))

    configuratie.setenv("ZT_WERKDAGEN_5_MEI", "lustrum")
    configuratie.setenv("ZT_WERKDAGEN_GOEDE_VRIJDAG", "werkdag")
    fd.herlaad_configuratie()
    assert r.add_werkdagen(date(2026, 4, 30), 3) == date(2026, 5, 5)
    assert r.add_werkdagen(date(2026, 4, 2), 1) == date(2026, 4, 3)
    assert fd.is_atw_vrije_dag(date(2026, 5, 5))  # statutory terms keep the Atw list whatever the choice


def test_werkdag_keuze_rejects_unknown_values(configuratie):
    with pytest.raises(ValueError):
        fd.WerkdagKeuze(bevrijdingsdag="soms")  # type: ignore[arg-type]
    configuratie.setenv("ZT_WERKDAGEN_GOEDE_VRIJDAG", "ja")
    fd.herlaad_configuratie()
    with pytest.raises(ValueError):
        fd.is_werkdag(date(2026, 4, 3))


# --- Atw art. 3 lid 3: equated days as data ----------------------------------------------------------------

GELIJKGESTELD = [
    date(2023, 4, 28),
    date(2023, 5, 19),
    date(2024, 5, 10),
    date(2024, 12, 27),
    date(2025, 5, 30),
    date(2026, 1, 2),
    date(2026, 5, 15),
    date(2027, 5, 7),
    date(2028, 4, 28),
    date(2028, 5, 26),
]


def test_equated_days_are_packaged_data_with_their_decree(configuratie):
    dagen = fd.gelijkgestelde_dagen()
    assert list(dagen) == GELIJKGESTELD
    assert all(besluit.startswith("Besluit gelijkstelling van") for besluit in dagen.values())
    assert "2 januari 2026" in dagen[date(2026, 1, 2)] and "28 april 2023" in dagen[date(2023, 4, 28)]
    for dag in dagen:  # bridge days: weekdays that are no feestdag themselves
        assert dag.weekday() < 5 and dag not in fd.atw_feestdagen(dag.year)
        assert fd.is_werkdag(dag) and fd.is_atw_vrije_dag(dag)


def test_equated_days_extend_by_configuration(configuratie):
    assert not fd.is_atw_vrije_dag(date(2029, 5, 11))
    configuratie.setenv("ZT_ATW_EXTRA_DAGEN", " 2029-05-11, 2029-12-24 ")
    fd.herlaad_configuratie()
    assert fd.gelijkgestelde_dagen()[date(2029, 5, 11)] == "ZT_ATW_EXTRA_DAGEN"
    assert fd.is_atw_vrije_dag(date(2029, 12, 24))
    assert fd.is_werkdag(date(2029, 5, 11))  # equated only for statutory terms
    assert r.atw_einde(date(2029, 5, 1), date(2029, 5, 11)) == date(2029, 5, 14)


def test_a_bad_extra_day_fails_loudly(configuratie):
    configuratie.setenv("ZT_ATW_EXTRA_DAGEN", "11-05-2029")
    fd.herlaad_configuratie()
    with pytest.raises(ValueError, match="ZT_ATW_EXTRA_DAGEN"):
        fd.gelijkgestelde_dagen()


# --- Atw art. 1: a term does not end on a free day -----------------------------------------------------------


@pytest.mark.parametrize(
    ("einde", "verlengd", "waarom"),
    [
        (date(2026, 11, 20), date(2026, 11, 20), "a plain Friday stays"),
        (date(2026, 11, 21), date(2026, 11, 23), "Saturday → Monday"),
        (date(2026, 4, 3), date(2026, 4, 7), "Goede Vrijdag, weekend, Tweede Paasdag → Tuesday"),
        (date(2025, 4, 26), date(2025, 4, 28), "Koningsdag on Saturday 26 April 2025, Sunday → Monday"),
        (date(2026, 4, 27), date(2026, 4, 28), "Koningsdag Monday 27 April 2026 → Tuesday"),
        (date(2026, 5, 5), date(2026, 5, 6), "5 May 2026 (Tuesday, no lustrum) → Wednesday"),
        (date(2026, 5, 14), date(2026, 5, 18), "Hemelvaartsdag, equated Friday 15 May, weekend → Monday"),
        (date(2026, 5, 24), date(2026, 5, 26), "Whit Sunday, Tweede Pinksterdag → Tuesday"),
        (date(2028, 12, 25), date(2028, 12, 27), "Christmas Monday and Tuesday → Wednesday 27 December"),
        (date(2024, 12, 25), date(2024, 12, 30), "Christmas, equated 27 December 2024, weekend → Monday"),
        (date(2026, 1, 1), date(2026, 1, 5), "Nieuwjaarsdag, equated 2 January 2026, weekend → Monday"),
        (date(2025, 12, 31), date(2025, 12, 31), "Wednesday 31 December stays"),
    ],
)
def test_atw_article_1(einde, verlengd, waarom):
    assert r.atw_einde(einde - 30 * DAG, einde) == verlengd, waarom


# --- Atw art. 2: a term of at least 3 days contains 2 ordinary days ----------------------------------------

DRIE_DAGEN = r.Termijn("test-drie-dagen", "a statutory term of three days", 3, "dagen", atw=True)
TWEE_DAGEN = r.Termijn("test-twee-dagen", "a statutory term of two days", 2, "dagen", atw=True)


def test_atw_article_2_three_days_from_a_friday_end_on_tuesday():
    # Sat 21, Sun 22, Mon 23 November 2026: art. 1 leaves Monday, which is the only ordinary day.
    assert r.atw_einde(date(2026, 11, 21), date(2026, 11, 23)) == date(2026, 11, 24)
    assert r.bereken(DRIE_DAGEN, date(2026, 11, 20)) == date(2026, 11, 24)


def test_atw_article_2_across_easter_and_christmas():
    # Fri 3 April 2026 Goede Vrijdag .. Sun 5: art. 1 → Tue 7 (Tweede Paasdag), one ordinary day → Wed 8.
    assert r.bereken(DRIE_DAGEN, date(2026, 4, 2)) == date(2026, 4, 8)
    # Fri 25, Sat 26, Sun 27 December 2026: art. 1 → Mon 28, one ordinary day → Tue 29.
    assert r.bereken(DRIE_DAGEN, date(2026, 12, 24)) == date(2026, 12, 29)


def test_atw_article_2_leaves_short_and_sufficient_terms_alone():
    assert r.bereken(TWEE_DAGEN, date(2026, 11, 20)) == date(2026, 11, 23)  # 2 days: art. 1 only
    assert r.bereken(DRIE_DAGEN, date(2026, 11, 23)) == date(2026, 11, 26)  # Tue-Thu: 3 ordinary days
    with pytest.raises(ValueError):
        r.atw_einde(date(2026, 11, 23), date(2026, 11, 22))


def test_a_term_counted_back_is_never_extended():
    with pytest.raises(ValueError, match=r"art\. 1 lid 2"):
        r.Termijn("x", "counted back", 2, "maanden", richting="voor", atw=True)


# --- the named rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bekendmaking", "einde", "waarom"),
    [
        (date(2026, 10, 1), date(2026, 11, 12), "Thursday: six weeks from Friday 2 October end on Thursday"),
        (date(2026, 11, 13), date(2026, 12, 28), "would end on Friday 25 December"),
        (date(2026, 2, 20), date(2026, 4, 7), "would end on Goede Vrijdag 3 April 2026"),
        (date(2025, 11, 21), date(2026, 1, 5), "would end on the equated Friday 2 January 2026"),
    ],
)
def test_bezwaartermijn(bekendmaking, einde, waarom):
    assert r.bezwaartermijn_einde(bekendmaking) == einde, waarom


def test_bevel_lasts_at_most_seven_days_and_the_atw_does_not_extend_it():
    assert r.bevel_einde(date(2026, 11, 23)) == date(2026, 11, 29)  # Monday .. Sunday
    assert r.bevel_einde(date(2026, 12, 19)) == date(2026, 12, 25)  # ends on Christmas Day all the same
    assert not r.BEVEL_MAX.atw


def test_months_clamp_to_the_end_of_the_month():
    assert r.plus_maanden(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert r.plus_maanden(date(2028, 1, 31), 1) == date(2028, 2, 29)  # leap year
    assert r.plus_maanden(date(2028, 5, 31), -3) == date(2028, 2, 29)
    assert r.plus_maanden(date(2026, 11, 30), 3) == date(2027, 2, 28)  # across the year
    assert r.plus_maanden(date(2026, 1, 15), -1) == date(2025, 12, 15)


def test_leveringsstop_counts_back_two_months_without_atw():
    assert r.bereken(r.GENEESMIDDEL_LEVERINGSSTOP_VOORAF, date(2027, 4, 30)) == date(2027, 2, 28)
    # 31 January 2027 is a Sunday; counting back is never extended (Atw art. 1 lid 2)
    assert r.bereken(r.GENEESMIDDEL_LEVERINGSSTOP_VOORAF, date(2027, 3, 31)) == date(2027, 1, 31)


def test_mdr_terms_are_calendar_days_without_atw():
    kennisname = date(2026, 6, 1)  # a Monday
    assert r.bereken(r.MDR_ERNSTIGE_BEDREIGING_VOLKSGEZONDHEID, kennisname) == date(2026, 6, 3)
    assert r.bereken(r.MDR_OVERLIJDEN_OF_ERNSTIGE_VERSLECHTERING, kennisname) == date(2026, 6, 11)
    assert r.bereken(r.MDR_ERNSTIG_INCIDENT, kennisname) == date(2026, 6, 16)
    assert r.bereken(r.MDR_ERNSTIG_INCIDENT, date(2026, 12, 10)) == date(2026, 12, 25)  # EU term: no Atw


def test_cibg_beslistermijn_is_extended_by_the_atw():
    # 8 weeks after Thursday 30 October 2025 is Christmas Day; Boxing Day and the weekend follow
    assert r.bereken(r.CIBG_BESLISTERMIJN_VERGUNNING, date(2025, 10, 30)) == date(2025, 12, 29)


def test_wkkgz_calamiteit_three_werkdagen_after_vaststelling_at_most_six_weeks_plus_three():
    opgemerkt = date(2026, 6, 1)
    assert r.wkkgz_calamiteit_melden_uiterlijk(opgemerkt, date(2026, 6, 4)) == date(2026, 6, 9)  # Thu → Tue
    assert r.wkkgz_calamiteit_melden_uiterlijk(opgemerkt) == date(2026, 7, 16)  # Mon 13 July + 3 werkdagen
    assert r.wkkgz_calamiteit_melden_uiterlijk(opgemerkt, date(2026, 9, 1)) == date(2026, 7, 16)  # capped
    # Hemelvaartsdag is skipped; the equated Friday 15 May counts as a werkdag (no statutory term)
    assert r.bereken(r.WKKGZ_CALAMITEIT_MELDEN, date(2026, 5, 13)) == date(2026, 5, 19)


def test_named_terms_in_one_place_and_the_uncertain_one_is_configurable(monkeypatch):
    assert set(r.TERMIJNEN) >= {
        "wkkgz-calamiteit-melden",
        "wkkgz-onderzoek-max",
        "mdr-ernstig-incident",
        "bezwaar",
        "bevel-max",
        "calamiteitenrapport",
        "cibg-beslistermijn-vergunning",
    }
    assert [t.naam for t in r.TERMIJNEN.values() if t.onzeker] == ["calamiteitenrapport"]
    assert (r.CALAMITEITENRAPPORT.aantal, r.CALAMITEITENRAPPORT.eenheid) == (8, "weken")
    assert r.bereken(r.CALAMITEITENRAPPORT, date(2026, 6, 1)) == date(2026, 7, 27)

    monkeypatch.setenv("ZT_TERMIJN_CALAMITEITENRAPPORT", "10 weken")
    langer = r.configureerbaar(r.CALAMITEITENRAPPORT)
    assert (langer.aantal, langer.eenheid, langer.grondslag) == (10, "weken", r.CALAMITEITENRAPPORT.grondslag)
    monkeypatch.setenv("ZT_TERMIJN_CALAMITEITENRAPPORT", "acht weken")
    with pytest.raises(ValueError):
        r.configureerbaar(r.CALAMITEITENRAPPORT)
    monkeypatch.setenv("ZT_TERMIJN_CALAMITEITENRAPPORT", "8 jaren")
    with pytest.raises(ValueError):
        r.configureerbaar(r.CALAMITEITENRAPPORT)


# --- how late -------------------------------------------------------------------------------------------


def test_te_laat_in_days_and_werkdagen():
    deadline = date(2026, 4, 24)  # Friday before Koningsdag
    assert r.te_laat(deadline, date(2026, 4, 20)) == 0
    assert r.te_laat(deadline, deadline) == 0
    assert r.te_laat(deadline, date(2026, 4, 28)) == 4
    assert r.te_laat(deadline, date(2026, 4, 28), "werkdagen") == 1  # weekend and Koningsdag do not count
    assert r.te_laat(deadline, date(2026, 4, 25)) == 1
    assert r.te_laat(deadline, date(2026, 4, 25), "werkdagen") == 0  # late, but on no werkdag
    with pytest.raises(ValueError):
        r.te_laat(deadline, date(2026, 4, 28), "uren")  # type: ignore[arg-type]


def test_te_laat_takes_the_dutch_calendar_day_of_a_moment():
    deadline = date(2026, 4, 24)
    # 21:30 UTC is 23:30 in Amsterdam (CEST): still the 24th; 22:30 UTC is already the 25th there
    assert r.te_laat(deadline, datetime(2026, 4, 24, 21, 30, tzinfo=UTC)) == 0
    assert r.te_laat(deadline, datetime(2026, 4, 24, 22, 30, tzinfo=UTC)) == 1
    assert r.te_laat(deadline, datetime(2026, 4, 27, 9, 0)) == 3  # naive: taken as Dutch local time


@pytest.mark.parametrize(
    ("utc", "dutch_day"),
    [
        (datetime(2026, 12, 2, 22, 59, tzinfo=UTC), date(2026, 12, 2)),  # CET: 23:59 in Amsterdam
        (datetime(2026, 12, 2, 23, 30, tzinfo=UTC), date(2026, 12, 3)),  # 00:30: the UTC date is still the 2nd
        (datetime(2026, 6, 30, 22, 30, tzinfo=UTC), date(2026, 7, 1)),  # CEST: 00:30 on 1 July
    ],
)
def test_today_is_the_dutch_calendar_day_not_the_servers(utc, dutch_day):
    assert r.vandaag(utc) == dutch_day
    with klok.gebruik(klok.VasteKlok(utc)):
        assert r.vandaag() == dutch_day  # without an argument: the Dutch day of the platform clock's instant
