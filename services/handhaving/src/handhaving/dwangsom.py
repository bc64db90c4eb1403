"""The last onder dwangsom as pure law: what is forfeited after which check, when it is due, when it is
time-barred, and whether a reminder may be sent. No database, no API, no clock: dates are arguments,
Dutch calendar days.

**The last** (Awb 5:32a/5:32b): a begunstigingstermijn (its last day: the provider may comply until
then) and an amount as a lump sum (``ineens``), per time unit (``per-tijdseenheid``: per dag or per
week) or per violation (``per-overtreding``), with a maximum above which nothing more is forfeited (for a
lump sum the sum itself). Ended early by intrekking or opheffing on ``beeindigd_op``: from that day on
nothing is forfeited.

**Verbeurte** (``verbeurd``) - a dwangsom is forfeited by law (van rechtswege), but only a check proves
it, so a verbeurte is registered after a check that found the violation. Checks on or before the last day
of the begunstigingstermijn, and on or after ``beeindigd_op``, do not count (they are reported in
``niet_meegeteld`` with the reason). Per kind:

- ``ineens``: the first counting check that finds the violation forfeits the sum, once.
- ``per-overtreding``: each such check forfeits ``aantal_overtredingen`` x the amount, on the check's day.
- ``per-tijdseenheid``: units are numbered from the end of the begunstigingstermijn: day k after its last
  day (k >= 1) lies in unit ceil(k / L), L = 1 (dag) or 7 (week); a unit that is violated on any of its
  days is forfeited once and in full ("per week of gedeelte daarvan"). Proven violation days: the first
  check that finds the violation proves every day from the day after the begunstigingstermijn up to and
  including its own day (the last was not carried out when the term ended, and was not at the check);
  each later check that finds it proves the days since the previous check, so long as no check in
  between found the last complied with. After a check that found compliance, the violation is proven
  only from the day of the next check that finds it (we do not know when it came back - the doubt goes
  to the provider). A unit's forfeiture day is its first proven violation day.
- The maximum caps the running total; a verbeurte is cut to what remains, and ``eenheden`` /
  ``verbeurd_tot`` count only the units or violations that still forfeited something.

**Per verbeurte** (``Dwangsomrecht``, the Awb as named data):

- Awb 5:33: payable within 6 weeks after verbeurte, counted from the latest forfeiture day in the
  verbeurte (``verbeurd_tot``), so no part is due before its own 6 weeks have passed.
  Algemene termijnenwet: APPLIES - a term set by law within which someone must act (pay), counted
  forward, and short (Atw art. 4 excludes only long terms); its end moves past weekends and feestdagen.
- Awb 5:35: collection is time-barred 1 year after the day of verbeurte, counted from the earliest
  forfeiture day in the verbeurte (``verbeurd_vanaf``), so the inspectorate never believes it has more
  time than it has. Algemene termijnenwet: does NOT apply - Atw art. 4 excludes long terms (of about
  3 months / 12 weeks / 90 days and more), and a year is one. Configurable (``ZT_TERMIJN_DWANGSOM_VERJARING``).
  Interruption (stuiting) of the limitation is not modelled here.
- A warning date ``bijna_verjaard_vanaf``: 30 days before the last day (our own signal, not law;
  configurable, ``ZT_TERMIJN_DWANGSOM_BIJNA_VERJAARD``).
- Awb 5:37: collection starts with an invorderingsbeschikking; a reminder (aanmaning, Awb 4:112) only
  after it, after the payment term has passed, and never after the claim is time-barred
  (``aanmaning_toegestaan``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum
from typing import Any

from zorgtoezicht.termijnen.regels import Termijn, bereken, configureerbaar


class Bedragsoort(StrEnum):
    ineens = "ineens"
    per_tijdseenheid = "per-tijdseenheid"
    per_overtreding = "per-overtreding"


class Tijdseenheid(StrEnum):
    dag = "dag"
    week = "week"


DAGEN_PER_EENHEID = {Tijdseenheid.dag: 1, Tijdseenheid.week: 7}


class Beeindiging(StrEnum):
    intrekking = "intrekking"
    opheffing = "opheffing"
    verval = "verval"  # the last had a vervaldatum and it passed: nothing is forfeited after its last day


# --- the terms (Awb) as data ------------------------------------------------------------------------------

DWANGSOM_BETALING = configureerbaar(
    Termijn(
        "dwangsom-betaling",
        "Awb art. 5:33: een verbeurde dwangsom moet worden betaald binnen zes weken nadat zij van rechtswege is verbeurd; "
        "einde volgens de Algemene termijnenwet",
        6,
        "weken",
        atw=True,
    )
)
DWANGSOM_VERJARING = configureerbaar(
    Termijn(
        "dwangsom-verjaring",
        "Awb art. 5:35: de bevoegdheid tot invordering verjaart door verloop van een jaar na de dag waarop de dwangsom is verbeurd "
        "(Atw niet van toepassing, art. 4)",
        12,
        "maanden",
        onzeker=True,
    )
)
DWANGSOM_BIJNA_VERJAARD = configureerbaar(
    Termijn(
        "dwangsom-bijna-verjaard",
        "Signaal van de inspectie (geen wettelijke termijn): waarschuwen vanaf dertig dagen voor de verjaring van de invordering",
        30,
        "dagen",
        richting="voor",
        onzeker=True,
    )
)


@dataclass(frozen=True)
class Dwangsomrecht:
    """The terms of a forfeited dwangsom; ``DWANGSOMRECHT`` is the configured instance."""

    betaaltermijn: Termijn = DWANGSOM_BETALING
    verjaring: Termijn = DWANGSOM_VERJARING
    waarschuwing: Termijn = DWANGSOM_BIJNA_VERJAARD


DWANGSOMRECHT = Dwangsomrecht()


# --- the last and its checks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LastOnderDwangsom:
    begunstigingstermijn_einde: date  # the last day the provider may still comply without forfeiting
    bedragsoort: Bedragsoort
    bedrag: Decimal  # the lump sum, or the amount per unit / per violation
    maximum: Decimal | None = None  # required per unit and per violation (5:32b lid 1); a lump sum is its own maximum
    tijdseenheid: Tijdseenheid | None = None  # only per-tijdseenheid
    beeindigd_op: date | None = None  # intrekking or opheffing: nothing is forfeited from this day on
    beeindiging: Beeindiging | None = None

    def __post_init__(self) -> None:
        fouten = []
        if self.bedrag <= 0:
            fouten.append("bedrag: must be positive")
        if self.bedragsoort == Bedragsoort.ineens:
            if self.maximum is not None and self.maximum != self.bedrag:
                fouten.append("maximum: a lump sum is its own maximum")
        elif self.maximum is None:
            fouten.append("maximum: required per unit and per violation (Awb 5:32b lid 1)")
        elif self.maximum < self.bedrag:
            fouten.append("maximum: cannot be below the amount")
        if (self.tijdseenheid is not None) != (self.bedragsoort == Bedragsoort.per_tijdseenheid):
            fouten.append("tijdseenheid: required for per-tijdseenheid, and only there")
        if (self.beeindigd_op is None) != (self.beeindiging is None):
            fouten.append("beeindiging: give both the date and the kind (intrekking or opheffing), or neither")
        if fouten:
            raise ValueError("; ".join(fouten))

    @property
    def plafond(self) -> Decimal:
        return self.bedrag if self.maximum is None else self.maximum


@dataclass(frozen=True)
class Controle:
    """A dated check: did the inspectorate find the last not complied with?"""

    datum: date
    overtreding: bool
    aantal_overtredingen: int = 1  # per-overtreding: the violations this check found

    def __post_init__(self) -> None:
        if self.aantal_overtredingen < 1:
            raise ValueError("aantal_overtredingen: at least 1")


@dataclass(frozen=True)
class Verbeurte:
    volgnummer: int  # 1, 2, ... in date order
    controle_datum: date  # registered after this check
    verbeurd_vanaf: date  # the earliest forfeiture day in this verbeurte
    verbeurd_tot: date  # the latest
    eenheden: int  # days / weeks / violations forfeited (1 for a lump sum)
    bedrag: Decimal
    gemaximeerd: bool  # the maximum cut this verbeurte
    betalen_uiterlijk: date  # Awb 5:33, Atw applied
    verjaard_na: date  # Awb 5:35: the last day collection is possible
    bijna_verjaard_vanaf: date  # warning from this day

    def als_dict(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, Decimal) else v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class Verbeurdstand:
    verbeurten: tuple[Verbeurte, ...]
    totaal: Decimal
    maximum: Decimal
    maximum_bereikt: bool
    niet_meegeteld: tuple[tuple[Controle, str], ...]  # checks that could not forfeit anything, with the reason


def _verbeurte(
    nummer: int, controle: Controle, dagen: list[date], eenheidsbedrag: Decimal, resterend: Decimal, recht: Dwangsomrecht
) -> Verbeurte:
    """``dagen``: the forfeiture day of each new unit or violation, in order; cut to what the maximum leaves."""
    verschuldigd = eenheidsbedrag * len(dagen)
    past = int((resterend / eenheidsbedrag).to_integral_value(rounding=ROUND_CEILING))
    dagen = dagen[:past]  # the units or violations that still forfeit something; the last may be cut
    bedrag = min(verschuldigd, resterend)
    gemaximeerd = bedrag < verschuldigd
    verjaard_na = bereken(recht.verjaring, dagen[0])
    return Verbeurte(
        volgnummer=nummer,
        controle_datum=controle.datum,
        verbeurd_vanaf=dagen[0],
        verbeurd_tot=dagen[-1],
        eenheden=len(dagen),
        bedrag=bedrag,
        gemaximeerd=gemaximeerd,
        betalen_uiterlijk=bereken(recht.betaaltermijn, dagen[-1]),
        verjaard_na=verjaard_na,
        bijna_verjaard_vanaf=bereken(recht.waarschuwing, verjaard_na),
    )


def verbeurd(last: LastOnderDwangsom, controles: Iterable[Controle], recht: Dwangsomrecht = DWANGSOMRECHT) -> Verbeurdstand:
    """The verbeurten that the dated checks prove (rules in the module docstring)."""
    einde = last.begunstigingstermijn_einde
    tellen: list[Controle] = []
    niet_meegeteld: list[tuple[Controle, str]] = []
    for c in sorted(controles, key=lambda c: c.datum):
        if c.datum <= einde:
            niet_meegeteld.append((c, "binnen de begunstigingstermijn"))
        elif last.beeindigd_op is not None and c.datum >= last.beeindigd_op:
            niet_meegeteld.append((c, f"na {last.beeindiging} van de last op {last.beeindigd_op.isoformat()}"))
        else:
            tellen.append(c)

    plafond = last.plafond
    totaal = Decimal(0)
    verbeurten: list[Verbeurte] = []
    verbeurde_eenheden: set[int] = set()
    run_vanaf: date | None = einde + timedelta(days=1)  # the first proven day of the current violation
    for c in tellen:
        if not c.overtreding:
            run_vanaf = None
            continue
        if totaal >= plafond or (last.bedragsoort == Bedragsoort.ineens and verbeurten):
            niet_meegeteld.append((c, "maximum bereikt" if last.bedragsoort != Bedragsoort.ineens else "de dwangsom ineens is al verbeurd"))
            continue
        if last.bedragsoort == Bedragsoort.per_tijdseenheid:
            assert last.tijdseenheid is not None
            lengte = DAGEN_PER_EENHEID[last.tijdseenheid]
            dag = c.datum if run_vanaf is None else run_vanaf
            dagen: list[date] = []
            while dag <= c.datum:
                eenheid = -(-(dag - einde).days // lengte)  # ceil(k / L)
                if eenheid not in verbeurde_eenheden:
                    verbeurde_eenheden.add(eenheid)
                    dagen.append(dag)
                dag += timedelta(days=1)
            run_vanaf = c.datum + timedelta(days=1)
        elif last.bedragsoort == Bedragsoort.per_overtreding:
            dagen = [c.datum] * c.aantal_overtredingen
        else:
            dagen = [c.datum]
        if not dagen:  # e.g. a second check in one week: recorded, so every check has its outcome
            niet_meegeteld.append((c, "de tijdseenheid is al verbeurd"))
            continue
        v = _verbeurte(len(verbeurten) + 1, c, dagen, last.bedrag, plafond - totaal, recht)
        verbeurten.append(v)
        totaal += v.bedrag
    niet_meegeteld.sort(key=lambda cr: cr[0].datum)
    return Verbeurdstand(tuple(verbeurten), totaal, plafond, totaal >= plafond, tuple(niet_meegeteld))


# --- collection ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Toets:
    """Whether a step is allowed; when not, the reasons (Dutch, for the user and the audit trail)."""

    toegestaan: bool
    redenen: tuple[str, ...] = ()


def verjaard(verbeurte: Verbeurte, peildatum: date) -> bool:
    """Awb 5:35: collection is time-barred after ``verjaard_na``."""
    return peildatum > verbeurte.verjaard_na


def bijna_verjaard(verbeurte: Verbeurte, peildatum: date) -> bool:
    """The warning window: from ``bijna_verjaard_vanaf`` up to and including the last day to collect."""
    return verbeurte.bijna_verjaard_vanaf <= peildatum <= verbeurte.verjaard_na


def invorderingsbeschikking_toegestaan(verbeurte: Verbeurte, datum: date) -> Toets:
    """Awb 5:37: an invorderingsbeschikking for a registered verbeurte, before collection is time-barred."""
    redenen = []
    if datum < verbeurte.controle_datum:
        redenen.append(f"de verbeurte is pas op {verbeurte.controle_datum.isoformat()} vastgesteld")
    if verjaard(verbeurte, datum):
        redenen.append(f"de invordering is verjaard na {verbeurte.verjaard_na.isoformat()} (Awb 5:35)")
    return Toets(not redenen, tuple(redenen))


def aanmaning_toegestaan(verbeurte: Verbeurte, invorderingsbeschikking: date | None, datum: date) -> Toets:
    """Whether a reminder (aanmaning) may be sent on ``datum``.

    Awb 5:37: only after an invorderingsbeschikking, which must be dated before the reminder (a reminder on
    the same day would not follow it); Awb 4:112: only when the payment term (5:33) has passed unpaid;
    Awb 5:35: never after the claim is time-barred.
    """
    redenen = []
    if invorderingsbeschikking is None:
        redenen.append("eerst een invorderingsbeschikking (Awb 5:37)")
    elif invorderingsbeschikking >= datum:
        redenen.append("de invorderingsbeschikking moet aan de aanmaning voorafgaan (Awb 5:37)")
    if datum <= verbeurte.betalen_uiterlijk:
        redenen.append(f"de betalingstermijn loopt tot en met {verbeurte.betalen_uiterlijk.isoformat()} (Awb 5:33, 4:112)")
    if verjaard(verbeurte, datum):
        redenen.append(f"de invordering is verjaard na {verbeurte.verjaard_na.isoformat()} (Awb 5:35)")
    return Toets(not redenen, tuple(redenen))
