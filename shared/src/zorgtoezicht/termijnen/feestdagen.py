"""Which days are not working days: the Algemene termijnenwet (Atw) art. 3 as data and rules.

Two calendars, each for one purpose:

**(a) Ordinary werkdagen** (``is_werkdag``), for terms stated in werkdagen such as the Wkkgz
"3 werkdagen": Saturdays, Sundays and the feestdagen of ``atw_feestdagen`` are no werkdag. Two days are
a named choice, ``WerkdagKeuze``, because employers often treat them as working days while the Atw does
not:

- ``bevrijdingsdag`` (5 May): ``"elk_jaar"`` (default, as Atw art. 3 lid 1), ``"lustrum"`` (only every
  fifth year, as most collective agreements and the ``holidays`` library) or ``"nooit"``;
- ``goede_vrijdag``: ``"vrij"`` (default, as Atw art. 3 lid 2) or ``"werkdag"``.

The default follows the Atw because it is the statutory list of Dutch public holidays, and a wider list
only ever moves a deadline later: a provider is never held late for not working on a day the law calls
a feestdag. Environment: ``ZT_WERKDAGEN_5_MEI`` and ``ZT_WERKDAGEN_GOEDE_VRIJDAG``.
Days equated by royal decree (lid 3) **are** ordinary werkdagen.

**(b) Extension of statutory terms** (``is_atw_vrije_dag``, used by ``regels.atw_einde``): Saturday,
Sunday, the feestdagen of lid 1 and 2 (always the Atw list, whatever ``WerkdagKeuze`` says) and the days
equated by royal decree under lid 3. Those decrees come every three years, so the days are data:
``gelijkgestelde_dagen.csv`` in this package (date, decree and the last day of the period the decree
covers), plus ``ZT_ATW_EXTRA_DAGEN`` (comma-separated
ISO dates) for a new decree before a release ships it.

The base is the maintained ``holidays`` library (public calendar of NL). Generic libraries do not follow
the Atw, so every date it gives is checked against the rules of art. 3 (``_atw_regels``): the rules
decide, and each difference is kept as a ``Correctie`` (``bibliotheek_correcties``). Known differences
(holidays 0.109): 5 May is public only in lustrum years, and Easter Sunday and Whit Sunday are listed
although the Atw does not name them (they are Sundays anyway). Any other difference is logged as a
warning, since it means the library and the law disagree about a real working day.
"""

from __future__ import annotations

import csv
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Literal, get_args

import holidays

log = logging.getLogger(__name__)

Bevrijdingsdag = Literal["elk_jaar", "lustrum", "nooit"]
GoedeVrijdag = Literal["vrij", "werkdag"]


# --- Atw art. 3 lid 1 and 2: the rules ------------------------------------------------------------------


def pasen(jaar: int) -> date:
    """Easter Sunday of the Gregorian calendar (Meeus/Jones/Butcher algorithm): the anchor of Goede
    Vrijdag, Tweede Paasdag, Hemelvaartsdag and Tweede Pinksterdag."""
    a, b, c = jaar % 19, jaar // 100, jaar % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    maand, dag = divmod(h + l - 7 * m + 114, 31)
    return date(jaar, maand, dag + 1)


def koningsdag(jaar: int) -> date | None:
    """Atw art. 3 lid 1, "de dag waarop de verjaardag van de Koning wordt gevierd": since 2014 27 April,
    or 26 April when the 27th is a Sunday. Earlier years (Koninginnedag) take the library's date."""
    if jaar >= 2014:
        dag = date(jaar, 4, 27)
        return dag - timedelta(days=1) if dag.weekday() == 6 else dag
    return next((d for d, naam in _bibliotheek(jaar).items() if naam in ("King's Day", "Queen's Day")), None)


def _atw_regels(jaar: int) -> dict[date, str]:
    """The feestdagen of Atw art. 3 lid 1 and Goede Vrijdag (lid 2), computed from the rules."""
    p = pasen(jaar)
    regels = {
        date(jaar, 1, 1): "Nieuwjaarsdag",
        p - timedelta(days=2): "Goede Vrijdag",
        p + timedelta(days=1): "Tweede Paasdag",
        date(jaar, 5, 5): "Bevrijdingsdag",  # every year under the Atw, not only in lustrum years
        p + timedelta(days=39): "Hemelvaartsdag",
        p + timedelta(days=50): "Tweede Pinksterdag",
        date(jaar, 12, 25): "Eerste Kerstdag",
        date(jaar, 12, 26): "Tweede Kerstdag",
    }
    if (dag := koningsdag(jaar)) is not None:
        regels[dag] = "Koningsdag"
    return regels


# --- the library as base, verified and corrected ----------------------------------------------------------


@dataclass(frozen=True)
class Correctie:
    """One difference between the ``holidays`` library and Atw art. 3."""

    datum: date
    naam: str
    actie: Literal["toegevoegd", "verwijderd"]
    reden: str


@cache
def _bibliotheek(jaar: int) -> dict[date, str]:
    return dict(holidays.country_holidays("NL", years=jaar, language="en_US"))  # public category only


@cache
def _atw_kalender(jaar: int) -> tuple[Mapping[date, str], tuple[Correctie, ...]]:
    basis, regels = _bibliotheek(jaar), _atw_regels(jaar)
    correcties = [
        Correctie(d, naam, "toegevoegd", "Atw art. 3: ontbreekt in de holidays-bibliotheek") for d, naam in regels.items() if d not in basis
    ]
    correcties += [
        Correctie(d, naam, "verwijderd", "geen feestdag in de zin van Atw art. 3") for d, naam in basis.items() if d not in regels
    ]
    for correctie in correcties:
        verwacht = (correctie.actie == "toegevoegd" and correctie.naam == "Bevrijdingsdag") or (
            correctie.actie == "verwijderd" and correctie.datum.weekday() == 6
        )
        if not verwacht:
            log.warning("holidays-bibliotheek wijkt af van Atw art. 3: %s", correctie)
    return MappingProxyType(dict(sorted(regels.items()))), tuple(sorted(correcties, key=lambda c: c.datum))


def atw_feestdagen(jaar: int) -> Mapping[date, str]:
    """Atw art. 3 lid 1 and 2: the algemeen erkende feestdagen of ``jaar`` and Goede Vrijdag, by date."""
    return _atw_kalender(jaar)[0]


def bibliotheek_correcties(jaar: int) -> tuple[Correctie, ...]:
    """What ``atw_feestdagen`` changed in the ``holidays`` library's calendar for ``jaar``."""
    return _atw_kalender(jaar)[1]


# --- Atw art. 3 lid 3: days equated by royal decree (data) ----------------------------------------------


@cache
def gelijkgestelde_dagen() -> Mapping[date, str]:
    """Atw art. 3 lid 3: the equated days and their decree, from ``gelijkgestelde_dagen.csv`` plus the
    ISO dates in ``ZT_ATW_EXTRA_DAGEN``. Only for extending statutory terms: they remain werkdagen."""
    bestand = resources.files(__package__).joinpath("gelijkgestelde_dagen.csv")
    with bestand.open(encoding="utf-8") as handle:
        dagen = {date.fromisoformat(rij["datum"]): rij["besluit"] for rij in csv.DictReader(handle, delimiter=";")}
    for item in os.environ.get("ZT_ATW_EXTRA_DAGEN", "").split(","):
        if item.strip():
            try:
                dagen.setdefault(date.fromisoformat(item.strip()), "ZT_ATW_EXTRA_DAGEN")
            except ValueError:
                raise ValueError(f"ZT_ATW_EXTRA_DAGEN: {item.strip()!r} is geen ISO-datum (JJJJ-MM-DD)") from None
    return MappingProxyType(dict(sorted(dagen.items())))


@cache
def gelijkgestelde_dagen_bekend_tot() -> date:
    """The last day the packaged decrees cover (column ``besluit_dekt_tot``: each decree equates the days of
    a three-year period). After it the equated days are unknown, so a release must ship the next decree."""
    bestand = resources.files(__package__).joinpath("gelijkgestelde_dagen.csv")
    with bestand.open(encoding="utf-8") as handle:
        return max(date.fromisoformat(rij["besluit_dekt_tot"]) for rij in csv.DictReader(handle, delimiter=";"))


# --- (a) ordinary werkdagen ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WerkdagKeuze:
    """Which of the disputed days ordinary werkdagen counting treats as free (see the module docstring)."""

    bevrijdingsdag: Bevrijdingsdag = "elk_jaar"
    goede_vrijdag: GoedeVrijdag = "vrij"

    def __post_init__(self) -> None:
        if self.bevrijdingsdag not in get_args(Bevrijdingsdag):
            raise ValueError(f"bevrijdingsdag: {self.bevrijdingsdag!r} not in {get_args(Bevrijdingsdag)}")
        if self.goede_vrijdag not in get_args(GoedeVrijdag):
            raise ValueError(f"goede_vrijdag: {self.goede_vrijdag!r} not in {get_args(GoedeVrijdag)}")


@cache
def werkdag_keuze() -> WerkdagKeuze:
    """The configured choice: ``ZT_WERKDAGEN_5_MEI`` and ``ZT_WERKDAGEN_GOEDE_VRIJDAG`` (default: the Atw)."""
    return WerkdagKeuze(
        os.environ.get("ZT_WERKDAGEN_5_MEI", "elk_jaar"),  # type: ignore[arg-type]
        os.environ.get("ZT_WERKDAGEN_GOEDE_VRIJDAG", "vrij"),
    )  # type: ignore[arg-type]


@cache
def vrije_dagen(jaar: int, keuze: WerkdagKeuze) -> frozenset[date]:
    """The weekdays of ``jaar`` that ordinary werkdagen counting skips under ``keuze``."""
    dagen = set(atw_feestdagen(jaar))
    bevrijdingsdag = date(jaar, 5, 5)
    if keuze.bevrijdingsdag == "nooit" or (keuze.bevrijdingsdag == "lustrum" and jaar % 5 != 0):
        dagen.discard(bevrijdingsdag)
    if keuze.goede_vrijdag == "werkdag":
        dagen.discard(pasen(jaar) - timedelta(days=2))
    return frozenset(dagen)


def _datum(dag: date) -> date:
    # a datetime never equals a date: looking one up in a set of dates would silently miss every feestdag
    if isinstance(dag, datetime):
        raise TypeError("expected a date, not a datetime")
    return dag


def is_werkdag(dag: date, keuze: WerkdagKeuze | None = None) -> bool:
    """An ordinary werkdag: Monday to Friday and no feestdag under ``keuze`` (default ``werkdag_keuze()``).
    Days equated by royal decree (Atw art. 3 lid 3) are werkdagen."""
    dag = _datum(dag)
    return dag.weekday() < 5 and dag not in vrije_dagen(dag.year, keuze or werkdag_keuze())


def is_atw_vrije_dag(dag: date) -> bool:
    """A day a statutory term may not end on (Atw art. 1 and 3): Saturday, Sunday, a feestdag of art. 3
    lid 1 or 2, or a day equated by royal decree (lid 3)."""
    dag = _datum(dag)
    return dag.weekday() >= 5 or dag in atw_feestdagen(dag.year) or dag in gelijkgestelde_dagen()


def herlaad_configuratie() -> None:
    """Read ``ZT_ATW_EXTRA_DAGEN`` and ``ZT_WERKDAGEN_*`` again (they are cached after first use)."""
    gelijkgestelde_dagen.cache_clear()
    werkdag_keuze.cache_clear()
