"""Working days and statutory terms at their boundaries, across weekends and Dutch holidays."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest

from zorgtoezicht.termijnen import feestdagen as fd
from zorgtoezicht.termijnen import regels as r


def pasen(jaar: int) -> date:
    """Easter Sunday by the anonymous Gregorian algorithm, independent of the holidays library."""
    a, b, c = jaar % 19, jaar // 100, jaar % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    return date(jaar, month, (h + l - 7 * m + 114) % 31 + 1)


@pytest.mark.parametrize("jaar", range(2023, 2031))
def test_feestdagen_follow_the_atw_every_year(jaar):
    p = pasen(jaar)
    koningsdag = date(jaar, 4, 26) if date(jaar, 4, 27).weekday() == 6 else date(jaar, 4, 27)
    expected = {date(jaar, 1, 1), p - timedelta(days=2), p + timedelta(days=1), koningsdag, date(jaar, 5, 5),
                p + timedelta(days=39), p + timedelta(days=50), date(jaar, 12, 25), date(jaar, 12, 26)}
    assert fd.feestdagen(jaar) == expected


def test_the_library_lacks_5_may_outside_lustrum_years_and_we_correct_it():
    assert date(2026, 5, 5) not in holidays.country_holidays("NL", years=2026)
    assert not fd.is_werkdag(date(2026, 5, 5))  # a Tuesday
    assert not fd.is_werkdag(date(2014, 4, 26))  # Koningsdag on the 26th when the 27th is a Sunday


@pytest.mark.parametrize(("start", "werkdagen", "einde", "waarom"), [
    (date(2026, 11, 19), 3, date(2026, 11, 24), "Thursday + 3 skips the weekend"),
    (date(2026, 4, 2), 3, date(2026, 4, 9), "Goede Vrijdag and Easter Monday"),
    (date(2026, 4, 24), 1, date(2026, 4, 28), "Koningsdag Monday 27 April"),
    (date(2026, 4, 30), 3, date(2026, 5, 6), "5 May 2026, a Tuesday"),
    (date(2026, 5, 13), 1, date(2026, 5, 15), "Ascension Day 14 May; the equated 15 May is a working day"),
    (date(2026, 5, 22), 1, date(2026, 5, 26), "Whit Monday 25 May"),
    (date(2026, 12, 23), 3, date(2026, 12, 29), "both Christmas days"),
    (date(2026, 12, 31), 1, date(2027, 1, 4), "New Year's Day and a weekend"),
])
def test_werkdagen_skip_weekends_and_feestdagen(start, werkdagen, einde, waarom):
    assert r.add_werkdagen(start, werkdagen) == einde, waarom
    assert r.werkdagen_tussen(start, einde) == werkdagen


def test_atw_article_1_moves_an_end_off_free_days():
    assert r.atw_einde(date(2026, 12, 1), date(2026, 12, 25)) == date(2026, 12, 28)  # Christmas, Boxing Day, Sunday
    assert r.atw_einde(date(2026, 5, 1), date(2026, 5, 15)) == date(2026, 5, 18)  # equated day, then the weekend
    assert r.atw_einde(date(2025, 12, 1), date(2026, 1, 2)) == date(2026, 1, 5)  # equated 2 January, weekend
    assert r.atw_einde(date(2026, 11, 1), date(2026, 11, 20)) == date(2026, 11, 20)  # a plain Friday stays


def test_atw_article_2_a_term_of_three_days_contains_two_working_days():
    # Thursday 2 April 2026 + 3 days = Sunday 5 April; Monday is Easter Monday → Tuesday 7 April, which
    # holds only one working day (7 April) after Good Friday and Easter: extend to Wednesday 8 April.
    assert r.atw_einde(date(2026, 4, 2), date(2026, 4, 5)) == date(2026, 4, 8)


def test_bezwaar_is_six_weeks_from_the_day_after_bekendmaking():
    assert r.bezwaartermijn_einde(date(2026, 10, 1)) == date(2026, 11, 12)
    assert r.bezwaartermijn_einde(date(2026, 11, 13)) == date(2026, 12, 28)  # would end on Christmas


def test_bevel_lasts_at_most_seven_days_without_atw_extension():
    assert r.bevel_einde(date(2026, 12, 19)) == date(2026, 12, 25)


def test_months_clamp_to_the_end_of_the_month():
    assert r.plus_maanden(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert r.plus_maanden(date(2028, 5, 31), -3) == date(2028, 2, 29)
    assert r.bereken(r.GENEESMIDDEL_LEVERINGSSTOP_VOORAF, date(2027, 3, 31)) == date(2027, 1, 31)


def test_named_terms_and_how_late():
    kennisname = date(2026, 6, 1)
    assert r.bereken(r.MDR_ERNSTIGE_BEDREIGING_VOLKSGEZONDHEID, kennisname) == date(2026, 6, 3)
    assert r.bereken(r.MDR_OVERLIJDEN_OF_ERNSTIGE_VERSLECHTERING, kennisname) == date(2026, 6, 11)
    assert r.bereken(r.MDR_ERNSTIG_INCIDENT, kennisname) == date(2026, 6, 16)
    assert r.CALAMITEITENRAPPORT.onzeker
    assert r.te_laat(date(2026, 6, 3), date(2026, 6, 3)) == 0
    assert r.te_laat(date(2026, 6, 3), date(2026, 6, 8)) == 5
    assert r.te_laat(date(2026, 4, 24), date(2026, 4, 28), in_werkdagen=True) == 1  # Koningsdag and the weekend do not count


def test_equated_days_are_data_and_extendable(monkeypatch):
    assert date(2028, 5, 26) in fd.gelijkgestelde_dagen()
    monkeypatch.setenv("ZT_ATW_EXTRA_DAGEN", "2029-05-11")
    fd.gelijkgestelde_dagen.cache_clear()
    try:
        assert fd.atw_vrije_dag(date(2029, 5, 11))
        assert fd.is_werkdag(date(2029, 5, 11))  # equated only for terms
    finally:
        monkeypatch.delenv("ZT_ATW_EXTRA_DAGEN")
        fd.gelijkgestelde_dagen.cache_clear()
