"""Acceptance 4 (#10), the pure part: invorderingsbeschikking before any reminder, the 1-year limitation
and its warning date. The verbeurte: a lump sum forfeited at a check on Monday 9 March 2026, so payable
until Monday 20 April 2026 (9 March + 42 days), collectible until 9 March 2027 (Atw not applied to the
limitation), warned from 7 February 2027 (30 days before).
"""

from datetime import date
from decimal import Decimal

from handhaving.dwangsom import (
    DWANGSOM_BIJNA_VERJAARD,
    Bedragsoort,
    Controle,
    Dwangsomrecht,
    LastOnderDwangsom,
    aanmaning_toegestaan,
    bijna_verjaard,
    invorderingsbeschikking_toegestaan,
    verbeurd,
    verjaard,
)
from zorgtoezicht.termijnen.regels import Termijn

LAST = LastOnderDwangsom(date(2026, 3, 6), Bedragsoort.ineens, Decimal(25000))
(V,) = verbeurd(LAST, [Controle(date(2026, 3, 9), True)]).verbeurten


def test_data_van_de_verbeurte():
    assert (V.betalen_uiterlijk, V.verjaard_na, V.bijna_verjaard_vanaf) == (date(2026, 4, 20), date(2027, 3, 9), date(2027, 2, 7))


def test_geen_aanmaning_zonder_invorderingsbeschikking():
    toets = aanmaning_toegestaan(V, None, date(2026, 4, 21))
    assert not toets.toegestaan and toets.redenen == ("eerst een invorderingsbeschikking (Awb 5:37)",)


def test_invorderingsbeschikking_moet_voorafgaan():
    assert not aanmaning_toegestaan(V, date(2026, 4, 21), date(2026, 4, 21)).toegestaan  # same day: not before it
    assert not aanmaning_toegestaan(V, date(2026, 4, 22), date(2026, 4, 21)).toegestaan


def test_aanmaning_pas_na_de_betalingstermijn():
    binnen = aanmaning_toegestaan(V, date(2026, 4, 15), date(2026, 4, 20))  # 20 April is the last day to pay
    assert not binnen.toegestaan and "2026-04-20" in binnen.redenen[0]
    assert aanmaning_toegestaan(V, date(2026, 4, 15), date(2026, 4, 21)).toegestaan


def test_verjaring_na_een_jaar():
    assert not verjaard(V, date(2027, 3, 9)) and verjaard(V, date(2027, 3, 10))
    assert invorderingsbeschikking_toegestaan(V, date(2027, 3, 9)).toegestaan
    assert not invorderingsbeschikking_toegestaan(V, date(2027, 3, 10)).toegestaan
    assert not invorderingsbeschikking_toegestaan(V, date(2026, 3, 8)).toegestaan  # before the verbeurte was found
    na = aanmaning_toegestaan(V, date(2026, 4, 15), date(2027, 3, 10))
    assert not na.toegestaan and "verjaard" in na.redenen[0]


def test_bijna_verjaard_waarschuwing():
    assert not bijna_verjaard(V, date(2027, 2, 6))
    assert bijna_verjaard(V, date(2027, 2, 7)) and bijna_verjaard(V, date(2027, 3, 9))
    assert not bijna_verjaard(V, date(2027, 3, 10))  # then it is time-barred, no longer "nearly"


def test_waarschuwing_en_verjaring_configureerbaar():
    from dataclasses import replace

    recht = Dwangsomrecht(
        verjaring=Termijn("dwangsom-verjaring", "test", 18, "maanden"),
        waarschuwing=replace(DWANGSOM_BIJNA_VERJAARD, aantal=60),
    )
    (v,) = verbeurd(LAST, [Controle(date(2026, 3, 9), True)], recht).verbeurten
    # 9 March 2026 + 18 months = 9 September 2027; 60 days before: 31 in August (to 9 Aug is 31), 29 more -> 11 July 2027
    assert (v.verjaard_na, v.bijna_verjaard_vanaf) == (date(2027, 9, 9), date(2027, 7, 11))
