"""Acceptance 5 (#10), the terms of the boete: 5:51 flags a late decision and never blocks it; 5:45 lapse.

Every date is worked out by hand in the comments.
"""

from datetime import date
from decimal import Decimal

import pytest

from handhaving.boete import (
    Boeterecht,
    beslistermijn,
    boetebevoegdheid_vervallen,
    boetebevoegdheid_vervalt,
    te_laat,
    zienswijze_verplicht,
)


def test_beslistermijn_13_weken_zonder_atw():
    # Monday 5 January 2026 + 91 days: 26 days left in January, 28 in February (54), 31 in March (85),
    # 6 in April (91) -> Monday 6 April 2026, Easter Monday. Atw art. 4 excludes a 13-week term: no extension.
    assert beslistermijn(date(2026, 1, 5)) == date(2026, 4, 6)


def test_besluit_na_13_weken_wordt_gemarkeerd_niet_geweigerd():
    assert te_laat(date(2026, 1, 5), date(2026, 4, 6)) == 0  # the last day is in time
    assert te_laat(date(2026, 1, 5), date(2026, 4, 7)) == 1  # a flag: one day over, and no exception
    assert te_laat(date(2026, 1, 5), date(2026, 5, 6)) == 30


def test_hoorplicht_boven_340():
    assert zienswijze_verplicht(Decimal("340.01"))
    assert not zienswijze_verplicht(Decimal("340"))
    assert not zienswijze_verplicht(Decimal("500"), Boeterecht(grens_kleine_boete=Decimal("500")))


def test_hoorplicht_grens_uit_de_omgeving(monkeypatch):
    monkeypatch.setenv("HANDHAVING_GRENS_KLEINE_BOETE", "400")
    assert not zienswijze_verplicht(Decimal("350"), Boeterecht())


def test_boetebevoegdheid_vervalt_na_5_jaar():
    # violation on 15 March 2026, a fine up to 5000 possible: 5 years -> last day 15 March 2031
    assert boetebevoegdheid_vervalt(date(2026, 3, 15), Decimal("5000")) == date(2031, 3, 15)
    assert not boetebevoegdheid_vervallen(date(2026, 3, 15), Decimal("5000"), date(2031, 3, 15))
    assert boetebevoegdheid_vervallen(date(2026, 3, 15), Decimal("5000"), date(2031, 3, 16))


def test_boetebevoegdheid_vervalt_na_3_jaar_voor_kleine_boete():
    # at most 340 can be imposed: 3 years -> 15 March 2029
    assert boetebevoegdheid_vervalt(date(2026, 3, 15), Decimal("340")) == date(2029, 3, 15)
    assert boetebevoegdheid_vervallen(date(2026, 3, 15), Decimal("340"), date(2029, 3, 16))


def test_opschorting_tijdens_bezwaar_en_beroep():
    # objection 1-30 June 2027 (30 days) and appeal 1 March - 31 March 2028 (31 days), overlapping the
    # second with a duplicate 10-20 March 2028: 61 days in all. 15 March 2031 + 61 days: 16 in March (to 31),
    # 30 in April (46), 15 in May -> 15 May 2031
    perioden = [(date(2028, 3, 1), date(2028, 3, 31)), (date(2027, 6, 1), date(2027, 6, 30)), (date(2028, 3, 10), date(2028, 3, 20))]
    assert boetebevoegdheid_vervalt(date(2026, 3, 15), Decimal("5000"), perioden) == date(2031, 5, 15)


def test_opschorting_na_verval_herleeft_niets():
    # the 3-year power ended on 15 March 2029; an appeal starting on 1 April 2029 does not revive it
    assert boetebevoegdheid_vervalt(date(2026, 3, 15), Decimal("100"), [(date(2029, 4, 1), date(2029, 5, 1))]) == date(2029, 3, 15)


def test_opschorting_eindigt_niet_voor_begin():
    with pytest.raises(ValueError):
        boetebevoegdheid_vervalt(date(2026, 3, 15), Decimal("100"), [(date(2027, 2, 1), date(2027, 1, 1))])


def test_termijnen_configureerbaar(monkeypatch):
    from handhaving.boete import BOETEBEVOEGDHEID
    from zorgtoezicht.termijnen.regels import configureerbaar

    # the module reads ZT_TERMIJN_BOETEBEVOEGDHEID at import; the same rule applied here, 6 years instead of 5
    monkeypatch.setenv("ZT_TERMIJN_BOETEBEVOEGDHEID", "72 maanden")
    recht = Boeterecht(verval=configureerbaar(BOETEBEVOEGDHEID))
    assert boetebevoegdheid_vervalt(date(2026, 3, 15), Decimal("5000"), recht=recht) == date(2032, 3, 15)
