"""Which days are not working days, per the Algemene termijnenwet (Atw) art. 3.

- Lid 1, the *algemeen erkende feestdagen*: Nieuwjaarsdag, Tweede Paasdag, Hemelvaartsdag, Tweede
  Pinksterdag, both Christmas days, Koningsdag (27 April; 26 April when the 27th is a Sunday) and
  **5 May every year**. Lid 2: Goede Vrijdag is equated with them.
- Lid 3: further days equated by a royal decree every three years (bridge days). They are kept as
  data (``gelijkgestelde_dagen.csv``, extendable with ``ZT_ATW_EXTRA_DAGEN=2029-05-11,…``) and count
  only when a statutory term is extended (``atw_vrije_dag``); for everything else they are working days.

The maintained ``holidays`` library gives the Easter-based dates; it lists 5 May only in lustrum
years, so that day is added here for every year (tested).
"""

from __future__ import annotations

import csv
import os
from datetime import date, timedelta
from functools import cache
from importlib import resources

import holidays

_FROM_LIBRARY = {"New Year's Day", "Good Friday", "Easter Monday", "King's Day", "Liberation Day", "Ascension Day",
                 "Pentecost Monday", "Christmas Day", "Second Day of Christmas"}


@cache
def feestdagen(jaar: int) -> frozenset[date]:
    """Atw art. 3 lid 1 and 2: the algemeen erkende feestdagen and Goede Vrijdag of one year."""
    library = holidays.country_holidays("NL", years=jaar, language="en_US")
    days = {day for day, name in library.items() if name in _FROM_LIBRARY}
    days.add(date(jaar, 5, 5))  # Bevrijdingsdag, every year under the Atw (the library: lustrum years only)
    koningsdag = date(jaar, 4, 27) if date(jaar, 4, 27).weekday() != 6 else date(jaar, 4, 26)
    days.add(koningsdag)
    return frozenset(days)


@cache
def gelijkgestelde_dagen() -> frozenset[date]:
    """Atw art. 3 lid 3: days equated by royal decree (data, plus ``ZT_ATW_EXTRA_DAGEN``)."""
    with resources.files(__package__).joinpath("gelijkgestelde_dagen.csv").open(encoding="utf-8") as handle:
        days = {date.fromisoformat(row["datum"]) for row in csv.DictReader(handle, delimiter=";")}
    extra = os.environ.get("ZT_ATW_EXTRA_DAGEN", "")
    days |= {date.fromisoformat(item.strip()) for item in extra.split(",") if item.strip()}
    return frozenset(days)


def is_werkdag(dag: date) -> bool:
    """Monday to Friday and no Atw feestdag (5 May and Goede Vrijdag included; lid-3 days are working days)."""
    return dag.weekday() < 5 and dag not in feestdagen(dag.year)


def atw_vrije_dag(dag: date) -> bool:
    """A day a statutory term may not end on (Atw art. 1): Saturday, Sunday, feestdag or equated day."""
    return dag.weekday() >= 5 or dag in feestdagen(dag.year) or dag in gelijkgestelde_dagen()


def volgende_werkdag(dag: date) -> date:
    dag += timedelta(days=1)
    while not is_werkdag(dag):
        dag += timedelta(days=1)
    return dag
