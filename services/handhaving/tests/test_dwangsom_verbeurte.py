"""Acceptance 4 (#10), the pure part: verbeurte per amount kind, due date, maximum, early end.

Every last below has its begunstigingstermijn ending on Friday 6 March 2026; units and weeks are
counted from Saturday 7 March (day 1). Each expected date and amount is worked out in the comments; the
due date is 42 days after the (latest) forfeiture day, moved by the Algemene termijnenwet past weekends
and feestdagen (Koningsdag Monday 27 April 2026, Bevrijdingsdag Tuesday 5 May 2026).
"""

from datetime import date
from decimal import Decimal

import pytest

from handhaving.dwangsom import Bedragsoort, Beeindiging, Controle, LastOnderDwangsom, Tijdseenheid, verbeurd

EINDE = date(2026, 3, 6)


def test_per_dag_van_einde_begunstigingstermijn_tot_controle_en_opnieuw_na_naleving():
    last = LastOnderDwangsom(EINDE, Bedragsoort.per_tijdseenheid, Decimal(500), Decimal(10000), Tijdseenheid.dag)
    controles = [
        Controle(date(2026, 3, 20), True),  # given out of order on purpose
        Controle(date(2026, 3, 10), True),
        Controle(date(2026, 3, 13), True),
        Controle(date(2026, 3, 16), False),
        Controle(date(2026, 3, 5), True),  # within the begunstigingstermijn: forfeits nothing
    ]
    stand = verbeurd(last, controles)
    v1, v2, v3 = stand.verbeurten
    # 10 March: days 7, 8, 9, 10 March = 4 x 500; due 10 March + 42 = Tuesday 21 April 2026
    assert (v1.verbeurd_vanaf, v1.verbeurd_tot, v1.eenheden, v1.bedrag) == (date(2026, 3, 7), date(2026, 3, 10), 4, Decimal(2000))
    assert v1.betalen_uiterlijk == date(2026, 4, 21)
    # limitation from the earliest day: 7 March 2027; warning 30 days before: 5 February 2027
    assert (v1.verjaard_na, v1.bijna_verjaard_vanaf) == (date(2027, 3, 7), date(2027, 2, 5))
    # 13 March: days 11, 12, 13 = 1500; due 13 March + 42 = Friday 24 April 2026
    assert (v2.verbeurd_vanaf, v2.verbeurd_tot, v2.bedrag, v2.betalen_uiterlijk) == (
        date(2026, 3, 11),
        date(2026, 3, 13),
        Decimal(1500),
        date(2026, 4, 24),
    )
    # 16 March complied; 20 March violated again: only that day is proven = 500
    assert (v3.verbeurd_vanaf, v3.eenheden, v3.bedrag, v3.controle_datum) == (date(2026, 3, 20), 1, Decimal(500), date(2026, 3, 20))
    assert stand.totaal == Decimal(4000) and not stand.maximum_bereikt
    assert [(c.datum, reden) for c, reden in stand.niet_meegeteld] == [(date(2026, 3, 5), "binnen de begunstigingstermijn")]
    assert [v.volgnummer for v in stand.verbeurten] == [1, 2, 3]


def test_per_week_gedeelte_van_een_week_telt_en_maximum():
    # weeks: 1 = 7-13 March, 2 = 14-20, 3 = 21-27, 4 = 28 March - 3 April
    last = LastOnderDwangsom(EINDE, Bedragsoort.per_tijdseenheid, Decimal(1000), Decimal(3000), Tijdseenheid.week)
    controles = [
        Controle(date(2026, 3, 9), True),  # week 1, first violated day 7 March
        Controle(date(2026, 3, 12), True),  # still week 1: nothing new
        Controle(date(2026, 3, 16), False),  # complied: week 2 is never proven
        Controle(date(2026, 3, 24), True),  # week 3, from 24 March
        Controle(date(2026, 3, 31), True),  # 25-27 in week 3 (done), 28-31 in week 4 -> maximum 3000 reached
        Controle(date(2026, 4, 7), True),  # nothing more
    ]
    stand = verbeurd(last, controles)
    assert [(v.verbeurd_vanaf, v.bedrag) for v in stand.verbeurten] == [
        (date(2026, 3, 7), Decimal(1000)),
        (date(2026, 3, 24), Decimal(1000)),
        (date(2026, 3, 28), Decimal(1000)),
    ]
    # 7 March + 42 = Saturday 18 April -> Monday 20 April; 24 March + 42 = 5 May (Bevrijdingsdag) -> 6 May;
    # 28 March + 42 = Saturday 9 May -> Monday 11 May
    assert [v.betalen_uiterlijk for v in stand.verbeurten] == [date(2026, 4, 20), date(2026, 5, 6), date(2026, 5, 11)]
    assert stand.totaal == Decimal(3000) and stand.maximum_bereikt
    assert [(c.datum, reden) for c, reden in stand.niet_meegeteld] == [
        (date(2026, 3, 12), "de tijdseenheid is al verbeurd"),
        (date(2026, 4, 7), "maximum bereikt"),
    ]


def test_per_overtreding_met_maximum_halverwege():
    last = LastOnderDwangsom(EINDE, Bedragsoort.per_overtreding, Decimal(1000), Decimal(2500))
    controles = [
        Controle(date(2026, 3, 16), True, aantal_overtredingen=2),
        Controle(date(2026, 3, 25), True),
        Controle(date(2026, 4, 1), True),
    ]
    v1, v2 = verbeurd(last, controles).verbeurten
    # 16 March: 2 x 1000; due 16 March + 42 = 27 April, Koningsdag -> Tuesday 28 April (Atw)
    assert (v1.bedrag, v1.eenheden, v1.gemaximeerd, v1.betalen_uiterlijk) == (Decimal(2000), 2, False, date(2026, 4, 28))
    # 25 March: 1000 owed, 500 left under the maximum; due 25 March + 42 = Wednesday 6 May
    assert (v2.bedrag, v2.eenheden, v2.gemaximeerd, v2.betalen_uiterlijk) == (Decimal(500), 1, True, date(2026, 5, 6))


def test_ineens_eenmaal_bij_de_eerste_controle_na_de_begunstigingstermijn():
    last = LastOnderDwangsom(EINDE, Bedragsoort.ineens, Decimal(25000))
    stand = verbeurd(last, [Controle(EINDE, True), Controle(date(2026, 3, 9), True), Controle(date(2026, 3, 20), True)])
    (v,) = stand.verbeurten
    # 9 March; due 9 March + 42 = Monday 20 April 2026; limitation 9 March 2027
    verwacht = (date(2026, 3, 9), Decimal(25000), date(2026, 4, 20), date(2027, 3, 9))
    assert (v.verbeurd_vanaf, v.bedrag, v.betalen_uiterlijk, v.verjaard_na) == verwacht
    assert stand.maximum_bereikt and stand.maximum == Decimal(25000)
    assert [c.datum for c, _ in stand.niet_meegeteld] == [EINDE, date(2026, 3, 20)]


def test_geen_overtreding_geen_verbeurte():
    last = LastOnderDwangsom(EINDE, Bedragsoort.ineens, Decimal(25000))
    stand = verbeurd(last, [Controle(date(2026, 3, 9), False)])
    assert stand.verbeurten == () and stand.totaal == 0 and not stand.maximum_bereikt


@pytest.mark.parametrize("beeindiging", list(Beeindiging))
def test_vroeg_beeindigd_geen_verbeurte_vanaf_die_dag(beeindiging):
    last = LastOnderDwangsom(
        EINDE, Bedragsoort.per_tijdseenheid, Decimal(500), Decimal(100000), Tijdseenheid.dag, date(2026, 3, 12), beeindiging
    )
    controles = [Controle(date(2026, 3, d), True) for d in (10, 11, 12, 15)]
    stand = verbeurd(last, controles)
    # 7-10 March = 2000, 11 March = 500; the checks on 12 March (the day it ended) and 15 March forfeit nothing
    assert [v.bedrag for v in stand.verbeurten] == [Decimal(2000), Decimal(500)]
    assert stand.totaal == Decimal(2500)
    assert [(c.datum, reden) for c, reden in stand.niet_meegeteld] == [
        (date(2026, 3, 12), f"na {beeindiging} van de last op 2026-03-12"),
        (date(2026, 3, 15), f"na {beeindiging} van de last op 2026-03-12"),
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"bedragsoort": Bedragsoort.per_tijdseenheid, "bedrag": Decimal(1), "tijdseenheid": Tijdseenheid.dag},  # no maximum
        {"bedragsoort": Bedragsoort.per_overtreding, "bedrag": Decimal(10), "maximum": Decimal(5)},  # maximum below amount
        {"bedragsoort": Bedragsoort.per_overtreding, "bedrag": Decimal(10), "maximum": Decimal(50), "tijdseenheid": Tijdseenheid.dag},
        {"bedragsoort": Bedragsoort.ineens, "bedrag": Decimal(0)},
        {"bedragsoort": Bedragsoort.ineens, "bedrag": Decimal(10), "beeindigd_op": date(2026, 4, 1)},  # no kind of ending
    ],
)
def test_ongeldige_last(kwargs):
    with pytest.raises(ValueError):
        LastOnderDwangsom(EINDE, **kwargs)
