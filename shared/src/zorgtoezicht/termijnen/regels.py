"""Statutory terms as named rules: each ``Termijn`` says its amount, unit, direction, legal basis and
whether the Algemene termijnenwet extends it; ``bereken`` applies it to a reference date.

Calendar months use end-of-month clamping: one month after 31 January is 28 (29) February.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from zorgtoezicht.termijnen.feestdagen import atw_vrije_dag, is_werkdag

Eenheid = Literal["werkdagen", "dagen", "weken", "maanden"]


@dataclass(frozen=True)
class Termijn:
    naam: str
    grondslag: str
    aantal: int
    eenheid: Eenheid
    richting: Literal["na", "voor"] = "na"
    atw: bool = False  # extended per Atw art. 1 and 2 when it ends on a free day
    onzeker: bool = False  # the brief marks the amount uncertain: configurable, never law


def plus_maanden(dag: date, maanden: int) -> date:
    month_index = dag.month - 1 + maanden
    year, month = dag.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(dag.day, calendar.monthrange(year, month)[1]))


def add_werkdagen(start: date, aantal: int) -> date:
    """The ``aantal``-th working day after ``start`` (``start`` itself not counted); negative counts back."""
    step = 1 if aantal >= 0 else -1
    dag, remaining = start, abs(aantal)
    while remaining:
        dag += timedelta(days=step)
        if is_werkdag(dag):
            remaining -= 1
    return dag


def werkdagen_tussen(begin: date, einde: date) -> int:
    """Working days after ``begin`` up to and including ``einde`` (negative when ``einde`` is earlier)."""
    if einde < begin:
        return -werkdagen_tussen(einde, begin)
    return sum(1 for offset in range(1, (einde - begin).days + 1) if is_werkdag(begin + timedelta(days=offset)))


def atw_einde(begin: date, einde: date) -> date:
    """Atw art. 1: a term ending on a free day ends on the next day that is none. Art. 2: a term of
    at least 3 days is extended so that it contains at least 2 days that are not free days."""
    while atw_vrije_dag(einde):
        einde += timedelta(days=1)
    if (einde - begin).days >= 3:
        while sum(1 for i in range(1, (einde - begin).days + 1) if not atw_vrije_dag(begin + timedelta(days=i))) < 2:
            einde += timedelta(days=1)
            while atw_vrije_dag(einde):
                einde += timedelta(days=1)
    return einde


def bereken(termijn: Termijn, referentie: date) -> date:
    """The last day of the term that runs from ``referentie`` (or, for ``voor``, the last allowed day before it)."""
    sign = 1 if termijn.richting == "na" else -1
    if termijn.eenheid == "werkdagen":
        return add_werkdagen(referentie, sign * termijn.aantal)
    if termijn.eenheid == "maanden":
        einde = plus_maanden(referentie, sign * termijn.aantal)
    else:
        einde = referentie + timedelta(days=sign * termijn.aantal * (7 if termijn.eenheid == "weken" else 1))
    if termijn.atw and termijn.richting == "na":
        einde = atw_einde(referentie, einde)
    return einde


def te_laat(uiterste: date, moment: date, *, in_werkdagen: bool = False) -> int:
    """How late ``moment`` is after the last allowed day ``uiterste`` (0 when in time)."""
    if moment <= uiterste:
        return 0
    return werkdagen_tussen(uiterste, moment) if in_werkdagen else (moment - uiterste).days


def bezwaartermijn_einde(bekendmaking: date) -> date:
    """Awb 6:7/6:8: six weeks starting the day after bekendmaking; the end follows the Atw."""
    return bereken(BEZWAAR, bekendmaking)


def bevel_einde(ingang: date) -> date:
    """A bevel is valid at most 7 days (Gezondheidswet art. 28 lid 2); a maximum validity is not
    a term the Atw extends."""
    return bereken(BEVEL_MAX, ingang) - timedelta(days=1)


# --- the named terms of the chain (domain.md) ---------------------------------------------------------

WKKGZ_CALAMITEIT_MELDEN = Termijn("wkkgz-calamiteit-melden", "Wkkgz art. 11 lid 1: onverwijld, beleid 3 werkdagen na vaststelling",
                                  3, "werkdagen")
WKKGZ_ONDERZOEK_MAX = Termijn("wkkgz-vooronderzoek-max", "Wkkgz art. 11: bij twijfel onderzoek tot 6 weken na het voorval", 6, "weken")
MDR_ERNSTIG_INCIDENT = Termijn("mdr-ernstig-incident", "MDR 2017/745 art. 87 lid 3: uiterlijk 15 dagen na kennisname", 15, "dagen")
MDR_OVERLIJDEN_OF_ERNSTIGE_VERSLECHTERING = Termijn(
    "mdr-overlijden-of-ernstige-verslechtering", "MDR 2017/745 art. 87 lid 5: uiterlijk 10 dagen na kennisname", 10, "dagen")
MDR_ERNSTIGE_BEDREIGING_VOLKSGEZONDHEID = Termijn(
    "mdr-ernstige-bedreiging-volksgezondheid", "MDR 2017/745 art. 87 lid 4: uiterlijk 2 dagen na kennisname", 2, "dagen")
GENEESMIDDEL_LEVERINGSSTOP_VOORAF = Termijn(
    "geneesmiddel-leveringsstop-vooraf", "Geneesmiddelenwet art. 49 lid 6: ten minste 2 maanden voor de stopzetting", 2, "maanden",
    richting="voor")
CALAMITEITENRAPPORT = Termijn("calamiteitenrapport", "Termijn in de ontvangstbevestiging van de inspectie (gebruikelijk 8 weken)",
                              8, "weken", onzeker=True)
BEZWAAR = Termijn("bezwaar", "Awb art. 6:7 en 6:8", 6, "weken", atw=True)
BEVEL_MAX = Termijn("bevel-max", "Gezondheidswet art. 28 lid 2: geldig ten hoogste 7 dagen", 7, "dagen")
CIBG_BESLISTERMIJN_VERGUNNING = Termijn("cibg-beslistermijn-vergunning", "Wtza art. 4: besluit binnen 8 weken na de volledige aanvraag",
                                        8, "weken", atw=True)
WTZA_MELDING_VOORAF_MAX = Termijn("wtza-melding-vooraf-max", "Wtza art. 2: melden niet eerder dan 3 maanden voor de start", 3, "maanden",
                                  richting="voor")
