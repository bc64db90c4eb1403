"""Statutory terms as named rules.

A ``Termijn`` states its amount, unit, direction, legal basis and whether the Algemene termijnenwet (Atw)
extends it; ``bereken`` applies it to a reference date. All named terms of the chain are defined at the
end of this module, in one place (``TERMIJNEN``).

Counting conventions (documented choices):

- The reference day itself is not counted: a term of n days/weeks "after" day D ends on D + n days /
  D + 7n days (a 6-week term that starts on Friday 2 October ends on Thursday 12 November).
- **Months** are calendar months with end-of-month clamping: D + n months is the same day number n
  months later, or the last day of that month when it is shorter (31 January + 1 month = 28 February,
  29 in a leap year; 31 May - 3 months = 28/29 February).
- **Werkdagen** follow ``feestdagen.is_werkdag`` (ordinary werkdagen: days equated by royal decree count).
- **Atw**: only a term with ``atw=True`` is extended, and only "after" terms: art. 1 lid 2 excludes
  terms counted back from a moment. The Atw governs terms set by Dutch law, not EU regulations (MDR),
  the inspectorate's own deadlines or maximum durations of a measure (bevel). Art. 4 excludes further
  terms (among others long ones); ``atw`` is therefore decided per term, not derived.
"""

from __future__ import annotations

import calendar
import os
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal, get_args

from zorgtoezicht import klok
from zorgtoezicht.termijnen.feestdagen import is_atw_vrije_dag, is_werkdag

Eenheid = Literal["werkdagen", "dagen", "weken", "maanden"]
Richting = Literal["na", "voor"]


@dataclass(frozen=True)
class Termijn:
    """A term: ``aantal`` ``eenheid`` after (``na``) or before (``voor``) a reference date."""

    naam: str
    grondslag: str  # the legal basis, as text for people (letters, decisions, API responses)
    aantal: int
    eenheid: Eenheid
    richting: Richting = "na"
    atw: bool = False  # extended per Atw art. 1 and 2
    onzeker: bool = False  # docs/domain.md marks the amount uncertain: configurable, never law

    def __post_init__(self) -> None:
        if self.eenheid not in get_args(Eenheid) or self.richting not in get_args(Richting):
            raise ValueError(f"{self.naam}: unit {self.eenheid!r} or direction {self.richting!r} unknown")
        if self.aantal < 0:
            raise ValueError(f"{self.naam}: a term cannot be negative")
        if self.atw and self.richting == "voor":
            raise ValueError(f"{self.naam}: Atw art. 1 lid 2 - a term counted back is never extended")


# --- counting ------------------------------------------------------------------------------------------


def plus_maanden(dag: date, maanden: int) -> date:
    """Calendar months with end-of-month clamping (31 January + 1 = 28/29 February); negative counts back."""
    index = dag.month - 1 + maanden
    jaar, maand = dag.year + index // 12, index % 12 + 1
    return date(jaar, maand, min(dag.day, calendar.monthrange(jaar, maand)[1]))


def add_werkdagen(start: date, n: int) -> date:
    """The ``n``-th werkdag after ``start`` (``start`` itself not counted; negative ``n`` counts back,
    ``0`` returns ``start``)."""
    stap = 1 if n >= 0 else -1
    dag, over = start, abs(n)
    while over:
        dag += timedelta(days=stap)
        if is_werkdag(dag):
            over -= 1
    return dag


def werkdagen_tussen(begin: date, einde: date) -> int:
    """The werkdagen after ``begin`` up to and including ``einde`` (negative when ``einde`` is earlier),
    so that ``werkdagen_tussen(d, add_werkdagen(d, n)) == n``."""
    if einde < begin:
        return -werkdagen_tussen(einde, begin)
    return sum(is_werkdag(begin + timedelta(days=i)) for i in range(1, (einde - begin).days + 1))


def _eerste_niet_vrije_dag(dag: date) -> date:
    while is_atw_vrije_dag(dag):
        dag += timedelta(days=1)
    return dag


def atw_einde(begin: date, einde: date) -> date:
    """The end of a statutory term that runs from ``begin`` (its first day) to ``einde`` (its nominal
    last day), extended per the Algemene termijnenwet:

    - art. 1 lid 1: a term ending on a Saturday, Sunday or algemeen erkende feestdag (or a day equated
      with one, art. 3) is extended to the next day that is none of these;
    - art. 2: a term of at least 3 days is extended, where needed, so that it contains at least 2 days
      that are none of these.

    ``begin`` is the first day that counts, e.g. the day after bekendmaking for bezwaar (Awb 6:8).
    """
    if einde < begin:
        raise ValueError("a term cannot end before it begins")
    drie_dagen_of_meer = (einde - begin).days + 1 >= 3  # art. 2 looks at the term as set, before extension
    einde = _eerste_niet_vrije_dag(einde)
    if drie_dagen_of_meer:
        gewone_dagen = sum(not is_atw_vrije_dag(begin + timedelta(days=i)) for i in range((einde - begin).days + 1))
        while gewone_dagen < 2:  # each step adds exactly one day that is not free
            einde = _eerste_niet_vrije_dag(einde + timedelta(days=1))
            gewone_dagen += 1
    return einde


def bereken(termijn: Termijn, referentiedatum: date) -> date:
    """Apply ``termijn`` to ``referentiedatum``.

    ``na``: the last day of the term that starts the day after ``referentiedatum`` (Atw-extended when
    ``termijn.atw``). ``voor``: the boundary date that far before ``referentiedatum``; whether it is the
    latest ("ten minste 2 maanden voor") or the earliest allowed day ("niet eerder dan 3 maanden voor")
    is said by the term's ``grondslag``.
    """
    n = termijn.aantal if termijn.richting == "na" else -termijn.aantal
    if termijn.eenheid == "werkdagen":
        einde = add_werkdagen(referentiedatum, n)
    elif termijn.eenheid == "maanden":
        einde = plus_maanden(referentiedatum, n)
    else:
        einde = referentiedatum + timedelta(days=n * (7 if termijn.eenheid == "weken" else 1))
    if termijn.atw:
        einde = atw_einde(referentiedatum + timedelta(days=1), einde)
    return einde


def vandaag(nu: datetime | None = None) -> date:
    """Today on the Dutch calendar. Terms are counted in Dutch days: the server's own (UTC) date is still
    yesterday for the first hour or two of a Dutch day, when a term that ended yesterday has expired."""
    if nu is None:
        return klok.vandaag()  # the injectable clock: tests move it instead of waiting
    return _kalenderdag(nu)


def _kalenderdag(moment: date | datetime) -> date:
    if not isinstance(moment, datetime):
        return moment
    if moment.tzinfo is not None:  # the Dutch calendar day decides, not the UTC one
        from zoneinfo import ZoneInfo

        moment = moment.astimezone(ZoneInfo("Europe/Amsterdam"))
    return moment.date()


def te_laat(deadline: date, moment: date | datetime, eenheid: Literal["dagen", "werkdagen"] = "dagen") -> int:
    """How late ``moment`` is after ``deadline`` (the last day that is in time); 0 when in time.

    ``dagen``: calendar days. ``werkdagen``: the werkdagen after ``deadline`` up to and including the day
    of ``moment`` - a melding on the Saturday after a Friday deadline is 1 day but 0 werkdagen late, so
    decide *whether* it is late with the default unit. An aware datetime counts by its Dutch calendar day.
    """
    dag = _kalenderdag(moment)
    if dag <= deadline:
        return 0
    if eenheid == "werkdagen":
        return werkdagen_tussen(deadline, dag)
    if eenheid != "dagen":
        raise ValueError(f"unit {eenheid!r}: expected 'dagen' or 'werkdagen'")
    return (dag - deadline).days


def configureerbaar(termijn: Termijn) -> Termijn:
    """An uncertain term with the amount from ``ZT_TERMIJN_<NAAM>`` (e.g. ``ZT_TERMIJN_CALAMITEITENRAPPORT
    ="10 weken"``) when set; otherwise unchanged."""
    waarde = os.environ.get("ZT_TERMIJN_" + termijn.naam.upper().replace("-", "_"), "").split()
    if not waarde:
        return termijn
    if len(waarde) != 2 or not waarde[0].isdigit():
        raise ValueError(f"ZT_TERMIJN_{termijn.naam.upper()}: expected '<aantal> <eenheid>', e.g. '8 weken'")
    return replace(termijn, aantal=int(waarde[0]), eenheid=waarde[1])  # type: ignore[arg-type]


# --- the named terms of the chain (docs/domain.md) ---------------------------------------------------------

WKKGZ_CALAMITEIT_MELDEN = Termijn(
    "wkkgz-calamiteit-melden",
    "Wkkgz art. 11 lid 1 onder a: onverwijld melden; beleid: binnen 3 werkdagen nadat de zorgaanbieder de calamiteit heeft vastgesteld",
    3,
    "werkdagen",
)
WKKGZ_ONDERZOEK_MAX = Termijn(
    "wkkgz-onderzoek-max",
    "Wkkgz art. 11: bij twijfel onderzoek tot ten hoogste 6 weken na het opmerken van het voorval, daarna 3 werkdagen om te melden",
    6,
    "weken",
)
MDR_ERNSTIG_INCIDENT = Termijn(
    "mdr-ernstig-incident", "Verordening (EU) 2017/745 (MDR) art. 87 lid 3: uiterlijk 15 dagen na kennisname", 15, "dagen"
)
MDR_OVERLIJDEN_OF_ERNSTIGE_VERSLECHTERING = Termijn(
    "mdr-overlijden-of-ernstige-verslechtering",
    "Verordening (EU) 2017/745 (MDR) art. 87 lid 5: uiterlijk 10 dagen na kennisname",
    10,
    "dagen",
)
MDR_ERNSTIGE_BEDREIGING_VOLKSGEZONDHEID = Termijn(
    "mdr-ernstige-bedreiging-volksgezondheid", "Verordening (EU) 2017/745 (MDR) art. 87 lid 4: uiterlijk 2 dagen na kennisname", 2, "dagen"
)
GENEESMIDDEL_LEVERINGSSTOP_VOORAF = Termijn(
    "geneesmiddel-leveringsstop-vooraf",
    "Geneesmiddelenwet art. 49: stopzetting of onderbreking van de "
    "levering ten minste 2 maanden vooraf melden, behoudens uitzonderlijke omstandigheden",
    2,
    "maanden",
    richting="voor",
)
CALAMITEITENRAPPORT = configureerbaar(
    Termijn(
        "calamiteitenrapport",
        "Termijn die de inspectie stelt in de ontvangstbevestiging (gebruikelijk 8 weken); "
        "verlenging op gemotiveerd verzoek voor het verstrijken",
        8,
        "weken",
        onzeker=True,
    )
)
BEZWAAR = Termijn(
    "bezwaar",
    "Awb art. 6:7 en 6:8 lid 1: zes weken, vangt aan met ingang van de dag na bekendmaking; einde volgens de Algemene termijnenwet",
    6,
    "weken",
    atw=True,
)
BEVEL_MAX = Termijn("bevel-max", "Gezondheidswet art. 28: een bevel geldt ten hoogste zeven dagen; de Minister kan verlengen", 7, "dagen")
CIBG_BESLISTERMIJN_VERGUNNING = Termijn(
    "cibg-beslistermijn-vergunning",
    "Wtza (toelatingsvergunning): besluit binnen 8 weken na ontvangst van de volledige aanvraag",
    8,
    "weken",
    atw=True,
)
WTZA_MELDING_VOORAF_MAX = Termijn(
    "wtza-melding-vooraf-max",
    "Wtza art. 2: melden voor de start, niet eerder dan 3 maanden ervoor (vroegst toegestane dag)",
    3,
    "maanden",
    richting="voor",
)

TERMIJNEN: dict[str, Termijn] = {
    t.naam: t
    for t in (
        WKKGZ_CALAMITEIT_MELDEN,
        WKKGZ_ONDERZOEK_MAX,
        MDR_ERNSTIG_INCIDENT,
        MDR_OVERLIJDEN_OF_ERNSTIGE_VERSLECHTERING,
        MDR_ERNSTIGE_BEDREIGING_VOLKSGEZONDHEID,
        GENEESMIDDEL_LEVERINGSSTOP_VOORAF,
        CALAMITEITENRAPPORT,
        BEZWAAR,
        BEVEL_MAX,
        CIBG_BESLISTERMIJN_VERGUNNING,
        WTZA_MELDING_VOORAF_MAX,
    )
}


# --- rules built on them ---------------------------------------------------------------------------------


def bezwaartermijn_einde(bekendmaking: date) -> date:
    """Awb 6:7/6:8: the last day to object - six weeks starting the day after bekendmaking, the end
    extended per the Atw (a term ending on Christmas Day runs on to the next day that is not free)."""
    return bereken(BEZWAAR, bekendmaking)


def bevel_einde(ingang: date) -> date:
    """The last day a bevel applies (Gezondheidswet art. 28: at most seven days, the Minister may extend).

    The ingang day is the first of the seven days. The Atw does not apply: it lengthens terms within
    which someone must act, never the maximum duration of a measure against a provider - extending it
    would make the measure last longer than the law allows.
    """
    return bereken(BEVEL_MAX, ingang - timedelta(days=1))


def wkkgz_calamiteit_melden_uiterlijk(opgemerkt: date, vastgesteld: date | None = None) -> date:
    """The last day to report a calamiteit (Wkkgz art. 11): 3 werkdagen after the provider established it,
    and the investigation before that may last at most 6 weeks after the event was noticed - so never
    later than 6 weeks + 3 werkdagen after ``opgemerkt``. Without ``vastgesteld`` that latest day."""
    uiterste_vaststelling = bereken(WKKGZ_ONDERZOEK_MAX, opgemerkt)
    if vastgesteld is not None:
        uiterste_vaststelling = min(vastgesteld, uiterste_vaststelling)
    return bereken(WKKGZ_CALAMITEIT_MELDEN, uiterste_vaststelling)
