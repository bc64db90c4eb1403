"""The law of publication as data (issue 10, item 7): what may be published, the wachttijd and the years
online, and the personal-data check. Every expected date is counted by hand in the comment next to it."""

from __future__ import annotations

from datetime import date

import pytest

from handhaving.openbaarmaking_regels import (
    BEWAARTERMIJN,
    INSTRUMENT_OPENBAAR,
    PUBLICEERBAAR,
    WACHTTIJD,
    Documentsoort,
    laatste_wachtdag,
    persoonsgegevens_in,
    zichtbaar_tot,
)
from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.termijnen.regels import configureerbaar


def test_what_may_be_published_per_document_kind():
    openbaar = {soort.value for soort, regel in PUBLICEERBAAR.items() if regel.openbaar}
    assert openbaar == {
        "zakelijke-weergave-besluit",
        "inspectierapport",
        "verscherpt-toezicht-mededeling",
        "samenvatting-calamiteitenrapport",
    }
    # domain.md: not published are reports behind fines, criminal investigations, confidential business data.
    assert {soort.value for soort, regel in PUBLICEERBAAR.items() if not regel.openbaar} == {
        "boeterapport",
        "strafrechtelijk-onderzoek",
        "bedrijfsvertrouwelijke-gegevens",
    }
    assert set(PUBLICEERBAAR) == set(Documentsoort)  # every kind has a rule
    assert all(regel.grondslag for regel in PUBLICEERBAAR.values())


def test_every_besluit_is_published_advice_is_no_besluit():
    assert [soort.value for soort, openbaar in INSTRUMENT_OPENBAAR.items() if not openbaar] == ["stimuleren-adviseren"]
    assert set(INSTRUMENT_OPENBAAR) == set(MaatregelSoort)


@pytest.mark.parametrize(
    ("bekendgemaakt", "laatste"),
    [
        (date(2027, 3, 1), date(2027, 3, 15)),  # Monday + 14 days = Monday 15 March, an ordinary day
        (date(2027, 4, 13), date(2027, 4, 28)),  # + 14 = Tuesday 27 April, Koningsdag: the Atw moves it to Wednesday
        (date(2026, 12, 11), date(2026, 12, 28)),  # + 14 = Friday 25 December; 26 (Sat), 27 (Sun): Monday 28th
    ],
)
def test_the_wachttijd_is_two_weeks_from_the_day_after_bekendmaking_extended_by_the_atw(bekendgemaakt, laatste):
    assert laatste_wachtdag(bekendgemaakt) == laatste
    assert WACHTTIJD.onzeker and WACHTTIJD.aantal == 2 and WACHTTIJD.eenheid == "weken"


@pytest.mark.parametrize(
    ("gepubliceerd", "tot"),
    [
        (date(2027, 3, 16), date(2032, 3, 16)),  # five calendar years: online through the same date
        (date(2028, 2, 29), date(2033, 2, 28)),  # a leap day: the month's last day five years on
        (date(2027, 12, 25), date(2032, 12, 25)),  # no Atw: a maximum time online, not a term to act in
    ],
)
def test_an_item_stays_online_five_years(gepubliceerd, tot):
    assert zichtbaar_tot(gepubliceerd) == tot


def test_both_terms_are_configurable(monkeypatch):
    monkeypatch.setenv("ZT_TERMIJN_OPENBAARMAKING_WACHTTIJD", "3 weken")
    monkeypatch.setenv("ZT_TERMIJN_OPENBAARMAKING_BEWAARTERMIJN", "36 maanden")
    assert laatste_wachtdag(date(2027, 3, 1), configureerbaar(WACHTTIJD)) == date(2027, 3, 22)  # + 21 days, a Monday
    assert zichtbaar_tot(date(2027, 3, 16), configureerbaar(BEWAARTERMIJN)) == date(2030, 3, 16)


@pytest.mark.parametrize(
    ("tekst", "gevonden"),
    [
        ("Aanwijzing wegens tekortkomingen in de medicatieveiligheid op locatie Utrecht.", []),
        ("Boete van EUR 12.000 op 12-03-2027, KvK 69599084, 3 locaties.", []),
        ("De solist met BSN 111222333 kreeg een aanwijzing.", ["bsn"]),
        ("De solist (bsn 1112.22.333) kreeg een aanwijzing.", ["bsn"]),
        ("Contact: j.jansen@praktijk.nl", ["e-mailadres"]),
        ("Bel 06-12345678 voor vragen.", ["telefoonnummer"]),
        ("Bel +31 6 1234 5678 of 020 123 4567.", ["telefoonnummer"]),
        ("BSN 111222333, mail a@b.nl, tel. 0612345678", ["bsn", "e-mailadres", "telefoonnummer"]),
    ],
)
def test_personal_data_in_text_meant_for_publication(tekst, gevonden):
    assert persoonsgegevens_in(tekst) == gevonden
