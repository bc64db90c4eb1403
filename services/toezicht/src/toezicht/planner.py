"""The quarterly inspection plan under capacity: pure (no database), dataclasses in, dataclasses out.

Hard rules (every plan this module returns keeps them; tests check them with their own checker):

- an inspector's hours in a week never exceed his field hours; nobody works in a week he is absent;
- every inspector on an activity has the provider's sector among his sectors;
- an activity needing two inspectors (a visit, a beoordelend gesprek) gets two different inspectors of the
  same team in the same week (teams visit together, and a re-plan of one team must not move another's);
- a mandatory activity (a hard trigger due in the period) lies in a week whose Friday is on or before its
  ``uiterlijk``; one that cannot is reported in ``onhaalbaar`` with the reason, never dropped.

An activity takes all its hours in its week; the hours of its kind (``planning_normen.json``) are the total,
split evenly over its inspectors. Value (the objective, maximised): ``(score + bonus) × hours`` for a
discretionary activity — risk-weighted hours of supervision, so ranking by score is ranking by value per
hour — and ``(trigger_gewicht + score) × hours`` for a mandatory one, so mandatory work comes first.

Method:

1. **Greedy**: mandatory activities earliest deadline first (ties: higher value), each in the earliest week
   where the rules hold; inspectors with fewer sectors first (the flexible ones stay free), then the most
   hours left.
2. **MIP repair** (HiGHS) when mandatory work is left unplaced: one small MIP over the inspectors with the
   sectors concerned and the weeks up to the latest deadline concerned, that may move every mandatory
   activity placed there; it maximises the number of mandatory activities, then their value. Node limit
   (deterministic) with a time limit as a safety net; the greedy placement is its start solution.
3. **Random share**: discretionary capacity ``D`` = the hours of all available inspector-weeks minus the hours
   of the mandatory activities placed. The target is ``aandeel × D`` hours. The pool is every eligible
   candidate without a mandatory activity that the risk ranking would not take anyway (the top of the ranking
   whose hours add up to ``(1 - aandeel) × D`` is left out; only when the pool runs dry does the draw go on
   among those). A ``random.Random(seed)`` draw (one number per
   candidate in id order, then sorted) orders the pool; drawn activities are placed while the hours stay
   within the target. Achieved share = aselect hours / ``D`` (reported; tests hold it within 1 percentage point).
4. **Theme quotas**, then the **risk ranking** (score, bonus for new/small providers) fill what is left.
5. **LP bound** (HiGHS): a relaxation of the optimisation that remains once the random draw is fixed (see
   ``_lp_grens``); the plan's objective as a share of it certifies how good the plan is.

Same input and seed give the same plan: every loop runs over sorted keys, the draw is seeded, the MIP is
bounded by nodes, and ties break on ids.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import highspy

from zorgtoezicht.domain.toezicht import ActiviteitSoort, Selectieroute

ENV_NORMEN = "TOEZICHT_PLANNING_NORMEN"
STANDAARD_NORMEN = "planning_normen.json"
MINUUT = 60  # hours are kept in whole minutes inside the planner: exact sums, no float drift


class NormenFout(ValueError):
    """The planning norms are invalid; the message names what is wrong."""


@dataclass(frozen=True)
class Norm:
    uren: float  # total hours of the activity
    inspecteurs: int  # how many inspectors it needs (1 or 2), each spends uren / inspecteurs


@dataclass(frozen=True)
class Thema:
    naam: str
    sectoren: frozenset[str]


@dataclass(frozen=True)
class Normen:
    versie: str
    hash: str
    activiteiten: Mapping[str, Norm]
    discretionair: str  # the kind of a risk/random activity
    discretionair_nieuw_of_klein: str  # ... for a new or small provider
    trigger_gewicht: float
    nieuw_of_klein_bonus: float
    minimum_score: float  # the risk route takes no provider below this score (the random draw may)
    aselect_aandeel: float
    quotum_boete: float  # value lost per activity a theme quota falls short
    themas: Mapping[str, Thema]
    max_knopen: int = 2000
    tijdslimiet_seconden: float = 20.0
    aselect_pool: int = 2000  # providers below the risk list drawn (seeded) as the pool of the random route

    def minuten(self, soort: str) -> tuple[int, int]:
        """(minutes per inspector, number of inspectors) of an activity kind."""
        norm = self.activiteiten[soort]
        return round(norm.uren * MINUUT / norm.inspecteurs), norm.inspecteurs

    def themas_van(self, sector: str | None) -> tuple[str, ...]:
        return tuple(sorted(code for code, thema in self.themas.items() if sector in thema.sectoren))


def lees_normen(pad: str | Path | None = None) -> Normen:
    """The norms from ``pad``, else the file named by TOEZICHT_PLANNING_NORMEN, else the packaged default."""
    pad = pad or os.environ.get(ENV_NORMEN)
    tekst = Path(pad).read_text(encoding="utf-8") if pad else resources.files("toezicht").joinpath(STANDAARD_NORMEN).read_text("utf-8")
    return normen_uit(json.loads(tekst), bron=str(pad or STANDAARD_NORMEN))


def normen_uit(data: Mapping[str, Any], *, bron: str = "normen") -> Normen:
    soorten = {s.value for s in ActiviteitSoort}
    try:
        activiteiten = {}
        for soort, n in data["activiteiten"].items():
            if soort not in soorten:
                raise NormenFout(f"{bron}: unknown activity kind {soort!r}")
            norm = Norm(float(n["uren"]), int(n["inspecteurs"]))
            if norm.uren <= 0 or norm.inspecteurs not in (1, 2):
                raise NormenFout(f"{bron}: {soort} needs hours > 0 and 1 or 2 inspectors")
            activiteiten[soort] = norm
        normen = Normen(
            versie=str(data["versie"]),
            hash=hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest(),
            activiteiten=activiteiten,
            discretionair=data["discretionair"]["standaard"],
            discretionair_nieuw_of_klein=data["discretionair"]["nieuw_of_klein"],
            trigger_gewicht=float(data["trigger_gewicht"]),
            nieuw_of_klein_bonus=float(data["nieuw_of_klein_bonus"]),
            minimum_score=float(data["minimum_score"]),
            aselect_aandeel=float(data["aselect_aandeel"]),
            quotum_boete=float(data["quotum_boete"]),
            themas={k: Thema(v["naam"], frozenset(v["sectoren"])) for k, v in data.get("themas", {}).items()},
            max_knopen=int(data.get("reparatie", {}).get("max_knopen", 2000)),
            tijdslimiet_seconden=float(data.get("reparatie", {}).get("tijdslimiet_seconden", 20)),
            aselect_pool=int(data.get("aselect_pool", 2000)),
        )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, NormenFout):
            raise
        raise NormenFout(f"{bron}: {error!r}") from error
    for soort in (normen.discretionair, normen.discretionair_nieuw_of_klein):
        if soort not in activiteiten:
            raise NormenFout(f"{bron}: discretionary kind {soort!r} has no effort")
    if not 0 <= normen.aselect_aandeel < 1:
        raise NormenFout(f"{bron}: aselect_aandeel must be in [0, 1)")
    return normen


# ---------------------------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Inspecteur:
    id: str
    team: str
    sectoren: frozenset[str]
    uren_per_week: float
    afwezig: frozenset[int] = frozenset()  # week indices (0-based) in the period


@dataclass(frozen=True)
class Trigger:
    code: str
    toelichting: str
    uiterlijk: date | None
    activiteit: str  # an ActiviteitSoort value


@dataclass(frozen=True)
class Kandidaat:
    id: str  # zorgaanbieder id
    sector: str | None
    score: float  # effective score (an override wins)
    triggers: tuple[Trigger, ...] = ()
    themas: tuple[str, ...] = ()
    nieuw_of_klein: bool = False


@dataclass(frozen=True)
class Periode:
    start: date  # a Monday
    weken: int = 13

    def maandag(self, week: int) -> date:
        return self.start + timedelta(weeks=week)

    @property
    def einde(self) -> date:
        return self.start + timedelta(weeks=self.weken, days=-1)

    def deadline_week(self, uiterlijk: date | None) -> int:
        """The last week whose Friday is on or before ``uiterlijk`` (-1: none; no date: the last week)."""
        if uiterlijk is None:
            return self.weken - 1
        return min(self.weken - 1, (uiterlijk - self.start - timedelta(days=4)).days // 7)


@dataclass(frozen=True)
class Quotum:
    thema: str
    minimum: int


@dataclass(frozen=True)
class Opdracht:
    periode: Periode
    inspecteurs: tuple[Inspecteur, ...]
    kandidaten: tuple[Kandidaat, ...]
    normen: Normen
    quota: tuple[Quotum, ...] = ()
    seed: int = 0
    aselect_aandeel: float | None = None  # None: the norms' default
    repareren: bool = True  # False: greedy only (the baseline the benchmark compares with)

    @property
    def aandeel(self) -> float:
        return self.normen.aselect_aandeel if self.aselect_aandeel is None else self.aselect_aandeel


# ---------------------------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class Activiteit:
    kandidaat_id: str
    soort: str
    sector: str
    week: int
    inspecteurs: tuple[str, ...]
    route: str  # Selectieroute value
    reden: str
    uren: float  # total hours
    waarde: float
    uiterlijk: date | None = None
    themas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Weggelaten:
    kandidaat_id: str
    reden: str  # capaciteit | geen-expertise | geen-koppel | onder-drempel
    toelichting: str


@dataclass(frozen=True)
class Onhaalbaar:
    kandidaat_id: str
    soort: str
    triggers: tuple[str, ...]
    uiterlijk: date | None
    reden: str  # deadline-voor-periode | geen-expertise | geen-koppel | afwezig | capaciteit
    toelichting: str


@dataclass(frozen=True)
class Plan:
    activiteiten: tuple[Activiteit, ...]
    weggelaten: tuple[Weggelaten, ...]
    onhaalbaar: tuple[Onhaalbaar, ...]
    doelwaarde: float
    greedy_doelwaarde: float
    lp_grens: float
    discretionaire_uren: float  # D
    aselect_doel_uren: float
    aselect_uren: float
    aselect_aandeel: float  # achieved: aselect_uren / D
    quota: tuple[tuple[str, int, int], ...]  # (thema, minimum, achieved)
    reparatie: str  # what the MIP repair did
    normen_versie: str
    seed: int
    seconden: dict[str, float] = field(default_factory=dict)

    @property
    def verhouding(self) -> float:
        return self.doelwaarde / self.lp_grens if self.lp_grens > 0 else 1.0


# ---------------------------------------------------------------------------------------------- the planner


@dataclass
class _Taak:
    """One activity to place: mandatory (from triggers) or discretionary (one per provider)."""

    kandidaat: Kandidaat
    soort: str
    minuten: int  # per inspector
    n: int
    deadline: int  # last allowed week
    waarde: float
    verplicht: bool
    triggers: tuple[Trigger, ...] = ()
    uiterlijk: date | None = None

    @property
    def sleutel(self) -> tuple[str, str]:
        return (self.kandidaat.id, self.soort)

    @property
    def totaal(self) -> int:
        return self.minuten * self.n


class _Rooster:
    """Free minutes per inspector per week, and who has which sector."""

    def __init__(self, inspecteurs: Sequence[Inspecteur], weken: int) -> None:
        self.inspecteurs = sorted(inspecteurs, key=lambda i: i.id)
        self.index = {i.id: k for k, i in enumerate(self.inspecteurs)}
        self.weken = weken
        self.vrij = [[0 if w in i.afwezig else round(i.uren_per_week * MINUUT) for w in range(weken)] for i in self.inspecteurs]
        per_sector: dict[str, list[int]] = defaultdict(list)
        for k, i in enumerate(self.inspecteurs):
            for s in i.sectoren:
                per_sector[s].append(k)
        # fewer sectors first: the specialists take the work, the flexible inspectors stay free longest
        self.per_sector = {
            s: sorted(ks, key=lambda k: (len(self.inspecteurs[k].sectoren), self.inspecteurs[k].id)) for s, ks in per_sector.items()
        }
        self._vol: dict[tuple[str, int, int], int] = {}  # (sector, n, deadline) -> smallest need that found no room

    def capaciteit(self) -> int:
        return sum(sum(v) for v in self.vrij)

    def koppel_mogelijk(self, sector: str, n: int) -> bool:
        if n == 1:
            return bool(self.per_sector.get(sector))
        teams: dict[str, int] = defaultdict(int)
        for k in self.per_sector.get(sector, ()):
            teams[self.inspecteurs[k].team] += 1
        return any(c >= n for c in teams.values())

    def zoek(self, sector: str, minuten: int, n: int, eerste: int, laatste: int) -> tuple[int, tuple[int, ...]] | None:
        """The earliest week in [eerste, laatste] with ``n`` inspectors (one team) with the sector and room."""
        sleutel = (sector, n, laatste)
        if eerste == 0 and self._vol.get(sleutel, 1 << 60) <= minuten:
            return None  # free minutes only shrink: what found no room before finds none now
        kandidaten = self.per_sector.get(sector, ())
        for w in range(max(eerste, 0), laatste + 1):
            vrij = [k for k in kandidaten if self.vrij[k][w] >= minuten]
            if len(vrij) < n:
                continue
            if n == 1:
                best = min(vrij, key=lambda k: (len(self.inspecteurs[k].sectoren), -self.vrij[k][w], self.inspecteurs[k].id))
                return w, (best,)
            per_team: dict[str, list[int]] = defaultdict(list)
            for k in vrij:
                per_team[self.inspecteurs[k].team].append(k)
            keuzes = []
            for team, leden in sorted(per_team.items()):
                if len(leden) < n:
                    continue
                leden.sort(key=lambda k: (len(self.inspecteurs[k].sectoren), -self.vrij[k][w], self.inspecteurs[k].id))
                gekozen = tuple(leden[:n])
                keuzes.append(
                    (sum(len(self.inspecteurs[k].sectoren) for k in gekozen), -min(self.vrij[k][w] for k in gekozen), team, gekozen)
                )
            if keuzes:
                return w, min(keuzes)[3]
        if eerste == 0:
            self._vol[sleutel] = min(minuten, self._vol.get(sleutel, 1 << 60))
        return None

    def boek(self, week: int, wie: Iterable[int], minuten: int) -> None:
        for k in wie:
            self.vrij[k][week] -= minuten
            assert self.vrij[k][week] >= 0

    def vrijgeven(self, week: int, wie: Iterable[int], minuten: int) -> None:
        for k in wie:
            self.vrij[k][week] += minuten
        self._vol.clear()


def _uren(minuten: float) -> float:
    return round(minuten / MINUUT, 4)


def _taken(opdracht: Opdracht) -> tuple[list[_Taak], list[_Taak]]:
    """Mandatory tasks (one per provider and activity kind of its triggers due in the period) and one
    discretionary task per provider without any."""
    normen, periode = opdracht.normen, opdracht.periode
    verplicht: list[_Taak] = []
    vrij: list[_Taak] = []
    for k in sorted(opdracht.kandidaten, key=lambda c: c.id):
        bonus = normen.nieuw_of_klein_bonus if k.nieuw_of_klein else 0.0
        per_soort: dict[str, list[Trigger]] = defaultdict(list)
        for t in k.triggers:
            if t.uiterlijk is None or t.uiterlijk <= periode.einde:  # due later: a next period's work
                per_soort[t.activiteit].append(t)
        for soort, triggers in sorted(per_soort.items()):
            minuten, n = normen.minuten(soort)
            datums = [t.uiterlijk for t in triggers if t.uiterlijk is not None]
            uiterlijk = min(datums) if datums else None
            waarde = (normen.trigger_gewicht + k.score) * minuten * n / MINUUT
            verplicht.append(
                _Taak(
                    k,
                    soort,
                    minuten,
                    n,
                    periode.deadline_week(uiterlijk),
                    waarde,
                    True,
                    tuple(sorted(triggers, key=lambda t: t.code)),
                    uiterlijk,
                )
            )
        if not per_soort:
            soort = normen.discretionair_nieuw_of_klein if k.nieuw_of_klein else normen.discretionair
            minuten, n = normen.minuten(soort)
            vrij.append(_Taak(k, soort, minuten, n, periode.weken - 1, (k.score + bonus) * minuten * n / MINUUT, False))
    return verplicht, vrij


def _onmogelijk(taak: _Taak, rooster: _Rooster) -> tuple[str, str] | None:
    """Why no plan at all can hold this task (structural, whatever else is planned), or None."""
    sector = taak.kandidaat.sector
    if taak.deadline < 0:
        return "deadline-voor-periode", f"uiterlijk {taak.uiterlijk} ligt vóór de vrijdag van de eerste week van de periode"
    if sector is None or not rooster.per_sector.get(sector):
        return "geen-expertise", f"geen beschikbare inspecteur met expertise {sector or '(sector onbekend)'}"
    if not rooster.koppel_mogelijk(sector, taak.n):
        return "geen-koppel", f"{taak.soort} vraagt {taak.n} inspecteurs van één team met expertise {sector}; geen team heeft er zoveel"
    return None


def plan(opdracht: Opdracht, vast: Sequence[Activiteit] = ()) -> Plan:
    """The plan for ``opdracht``; ``vast`` are activities that stay as they are (other teams' on a re-plan):
    their providers are not planned again, their inspectors are not among ``opdracht.inspecteurs``."""
    tijden: dict[str, float] = {}
    t0 = time.perf_counter()
    normen = opdracht.normen
    weken = opdracht.periode.weken
    rooster = _Rooster(opdracht.inspecteurs, weken)
    al_gepland = {a.kandidaat_id for a in vast}
    opdracht = replace(opdracht, kandidaten=tuple(k for k in opdracht.kandidaten if k.id not in al_gepland))
    verplicht, vrij = _taken(opdracht)
    geplaatst: dict[tuple[str, str], tuple[int, tuple[int, ...]]] = {}
    routes: dict[tuple[str, str], tuple[str, str]] = {}
    onmogelijk = {t.sleutel: r for t in [*verplicht, *vrij] if (r := _onmogelijk(t, rooster)) is not None}

    # 1. mandatory, earliest deadline first, higher value first on a tie
    verplicht.sort(key=lambda t: (t.deadline, -t.waarde, t.sleutel))
    for t in verplicht:
        if t.sleutel in onmogelijk:
            continue
        plek = rooster.zoek(t.kandidaat.sector, t.minuten, t.n, 0, t.deadline)
        if plek is not None:
            rooster.boek(plek[0], plek[1], t.minuten)
            geplaatst[t.sleutel] = plek
    greedy_verplicht = sum(t.waarde for t in verplicht if t.sleutel in geplaatst)
    tijden["greedy_verplicht"] = time.perf_counter() - t0

    # 2. MIP repair when mandatory work is left unplaced (and could fit in principle)
    reparatie = "niet nodig"
    open_taken = [t for t in verplicht if t.sleutel not in geplaatst and t.sleutel not in onmogelijk]
    if open_taken and opdracht.repareren:
        t1 = time.perf_counter()
        reparatie = _repareer(rooster, verplicht, open_taken, geplaatst, normen)
        tijden["reparatie"] = time.perf_counter() - t1
    elif open_taken:
        reparatie = "uitgeschakeld"

    # 3. the random share of discretionary capacity
    t2 = time.perf_counter()
    capaciteit = sum(
        round(i.uren_per_week * MINUUT) * (weken - len([w for w in i.afwezig if 0 <= w < weken])) for i in opdracht.inspecteurs
    )
    verplicht_minuten = sum(t.totaal for t in verplicht if t.sleutel in geplaatst)
    discretionair = capaciteit - verplicht_minuten
    doel = opdracht.aandeel * discretionair
    geschikt = [t for t in vrij if t.sleutel not in onmogelijk]
    rangorde = sorted((t for t in geschikt if t.kandidaat.score >= normen.minimum_score), key=lambda t: (-t.waarde / t.totaal, t.sleutel))
    rang = {t.sleutel: r for r, t in enumerate(rangorde, start=1)}
    voorselectie: set[tuple[str, str]] = set()
    som = 0
    for t in rangorde:  # what the risk ranking takes anyway is no part of the random pool
        if som + t.totaal > discretionair - doel:
            break
        som += t.totaal
        voorselectie.add(t.sleutel)
    rng = random.Random(opdracht.seed)  # noqa: S311 - a reproducible sample, not a secret
    loten = {t.sleutel: rng.random() for t in geschikt}  # one number per candidate, in id order
    # the pool first; when it runs dry before the target (demand close to capacity), the draw goes on among the rest
    pool = sorted(geschikt, key=lambda t: (t.sleutel in voorselectie, loten[t.sleutel], t.sleutel))
    buiten = sum(1 for t in geschikt if t.sleutel not in voorselectie)
    aselect_minuten = 0
    getrokken = 0
    for t in pool:
        if aselect_minuten + t.totaal > doel:
            continue
        plek = rooster.zoek(t.kandidaat.sector, t.minuten, t.n, 0, t.deadline)
        if plek is None:
            continue
        getrokken += 1
        rooster.boek(plek[0], plek[1], t.minuten)
        geplaatst[t.sleutel] = plek
        aselect_minuten += t.totaal
        routes[t.sleutel] = (
            Selectieroute.aselect,
            f"aselecte trekking nr. {getrokken} (seed {opdracht.seed}, lot {loten[t.sleutel]:.6f}) "
            + (
                f"uit {buiten} kandidaten buiten de risicoselectie"
                if t.sleutel not in voorselectie
                else "uit de risicoselectie (de kandidaten daarbuiten pasten niet meer)"
            ),
        )
    aselect_vast = [[0] * weken for _ in rooster.inspecteurs]  # for the LP: the draw is fixed
    for t in pool:
        if t.sleutel in geplaatst:
            w, wie = geplaatst[t.sleutel]
            for k in wie:
                aselect_vast[k][w] += t.minuten
    tijden["aselect"] = time.perf_counter() - t2

    # 4. theme quotas, then the risk ranking
    t3 = time.perf_counter()
    alle_taken = {t.sleutel: t for t in [*verplicht, *vrij]}

    def telling(thema: str) -> int:
        return sum(1 for s in geplaatst if thema in alle_taken[s].kandidaat.themas) + sum(1 for a in vast if thema in a.themas)

    for q in sorted(opdracht.quota, key=lambda q: q.thema):
        for t in rangorde:
            if telling(q.thema) >= q.minimum:
                break
            if t.sleutel in geplaatst or q.thema not in t.kandidaat.themas:
                continue
            plek = rooster.zoek(t.kandidaat.sector, t.minuten, t.n, 0, t.deadline)
            if plek is not None:
                rooster.boek(plek[0], plek[1], t.minuten)
                geplaatst[t.sleutel] = plek
                routes[t.sleutel] = (
                    Selectieroute.risico,
                    f"risicoscore {t.kandidaat.score:.1f}, rang {rang[t.sleutel]} van {len(rangorde)}; "
                    f"voor het themaquotum {q.thema} (minimaal {q.minimum})",
                )
    for t in rangorde:
        if t.sleutel in geplaatst:
            continue
        plek = rooster.zoek(t.kandidaat.sector, t.minuten, t.n, 0, t.deadline)
        if plek is not None:
            rooster.boek(plek[0], plek[1], t.minuten)
            geplaatst[t.sleutel] = plek
            routes[t.sleutel] = (Selectieroute.risico, f"risicoscore {t.kandidaat.score:.1f}, rang {rang[t.sleutel]} van {len(rangorde)}")
    tijden["greedy_risico"] = time.perf_counter() - t3

    # the objective: mandatory and risk value, minus the quota shortfall (the random draw is not optimised)
    def doelwaarde(verplicht_waarde: float) -> float:
        risico = sum(alle_taken[s].waarde for s, (route, _) in routes.items() if route == Selectieroute.risico and s in geplaatst)
        tekort = sum(max(0, q.minimum - telling(q.thema)) for q in opdracht.quota)
        return verplicht_waarde + risico - normen.quotum_boete * tekort

    waarde = doelwaarde(sum(t.waarde for t in verplicht if t.sleutel in geplaatst))
    greedy_waarde = doelwaarde(greedy_verplicht)

    # 5. the LP bound
    t4 = time.perf_counter()
    optimaliseerbaar = [t for t in verplicht if t.sleutel not in onmogelijk] + [
        t for t in rangorde if routes.get(t.sleutel, ("",))[0] != Selectieroute.aselect
    ]
    vast_per_thema = {
        q.thema: sum(1 for s, (r, _) in routes.items() if r == Selectieroute.aselect and q.thema in alle_taken[s].kandidaat.themas)
        for q in opdracht.quota
    }
    for q in opdracht.quota:
        vast_per_thema[q.thema] += sum(1 for a in vast if q.thema in a.themas)
    grens = _lp_grens(opdracht, rooster, optimaliseerbaar, aselect_vast, vast_per_thema)
    tijden["lp"] = time.perf_counter() - t4

    # the plan, with why for every activity and every candidate left out
    activiteiten = list(vast)
    for sleutel, (w, wie) in sorted(geplaatst.items()):
        t = alle_taken[sleutel]
        if t.verplicht:
            route = Selectieroute.trigger
            reden = "; ".join(
                f"trigger {tr.code}: {tr.toelichting}" + (f" (uiterlijk {tr.uiterlijk.isoformat()})" if tr.uiterlijk else "")
                for tr in t.triggers
            )
        else:
            route, reden = routes[sleutel]
        activiteiten.append(
            Activiteit(
                kandidaat_id=t.kandidaat.id,
                soort=t.soort,
                sector=t.kandidaat.sector or "",
                week=w,
                inspecteurs=tuple(sorted(rooster.inspecteurs[k].id for k in wie)),
                route=str(route),
                reden=reden,
                uren=_uren(t.totaal),
                waarde=round(t.waarde, 4),
                uiterlijk=t.uiterlijk,
                themas=t.kandidaat.themas,
            )
        )
    activiteiten.sort(key=lambda a: (a.week, a.kandidaat_id, a.soort))
    onhaalbaar = []
    for t in sorted(verplicht, key=lambda t: t.sleutel):
        if t.sleutel in geplaatst:
            continue
        reden, toelichting = onmogelijk.get(t.sleutel) or _waarom_niet(t, rooster, opdracht.periode)
        onhaalbaar.append(Onhaalbaar(t.kandidaat.id, t.soort, tuple(tr.code for tr in t.triggers), t.uiterlijk, reden, toelichting))
    heeft_activiteit = {s[0] for s in geplaatst}
    laatste_rang = max((rang[s] for s, (r, _) in routes.items() if r == Selectieroute.risico), default=0)
    weggelaten = []
    for t in sorted(vrij, key=lambda t: t.sleutel):
        if t.kandidaat.id in heeft_activiteit:
            continue
        if t.sleutel in onmogelijk:
            reden, toelichting = onmogelijk[t.sleutel]
        elif t.kandidaat.score < normen.minimum_score:
            reden, toelichting = (
                "onder-drempel",
                f"risicoscore {t.kandidaat.score:.1f} onder de drempel {normen.minimum_score:g} en niet aselect getrokken",
            )
        else:
            reden = "capaciteit"
            toelichting = (
                f"risicoscore {t.kandidaat.score:.1f}, rang {rang[t.sleutel]} van {len(rangorde)}; geen ruimte meer bij inspecteurs met "
                f"expertise {t.kandidaat.sector} (laagste geplande rang {laatste_rang})"
            )
        weggelaten.append(Weggelaten(t.kandidaat.id, reden, toelichting))
    quota = tuple((q.thema, q.minimum, telling(q.thema)) for q in sorted(opdracht.quota, key=lambda q: q.thema))
    tijden["totaal"] = time.perf_counter() - t0
    return Plan(
        activiteiten=tuple(activiteiten),
        weggelaten=tuple(weggelaten),
        onhaalbaar=tuple(onhaalbaar),
        doelwaarde=round(waarde, 4),
        greedy_doelwaarde=round(greedy_waarde, 4),
        lp_grens=round(max(grens, waarde), 4),
        discretionaire_uren=_uren(discretionair),
        aselect_doel_uren=_uren(doel),
        aselect_uren=_uren(aselect_minuten),
        aselect_aandeel=round(aselect_minuten / discretionair, 6) if discretionair > 0 else 0.0,
        quota=quota,
        reparatie=reparatie,
        normen_versie=normen.versie,
        seed=opdracht.seed,
        seconden={k: round(v, 3) for k, v in tijden.items()},
    )


def herplan(opdracht: Opdracht, vorig: Plan, team: str) -> Plan:
    """Plan ``team`` again (new absences, hours, scores) and keep every other team's activities as they were.

    ``opdracht`` holds all inspectors; only the team's are planned. Activities with an inspector of another
    team stay (visits are planned within one team, so none has inspectors of both)."""
    van_team = {i.id for i in opdracht.inspecteurs if i.team == team}
    vast = [a for a in vorig.activiteiten if not set(a.inspecteurs) & van_team]
    deel = replace(opdracht, inspecteurs=tuple(i for i in opdracht.inspecteurs if i.team == team))
    return plan(deel, vast)


def _waarom_niet(t: _Taak, rooster: _Rooster, periode: Periode) -> tuple[str, str]:
    sector = t.kandidaat.sector or ""
    ks = rooster.per_sector.get(sector, [])
    aanwezig = [w for w in range(t.deadline + 1) if sum(1 for k in ks if w not in rooster.inspecteurs[k].afwezig) >= t.n]
    if not aanwezig:
        return "afwezig", f"vóór {t.uiterlijk} zijn niet genoeg inspecteurs met expertise {sector} aanwezig"
    laatste = periode.maandag(t.deadline).isoformat()
    return (
        "capaciteit",
        f"tot en met de week van {laatste} hebben de inspecteurs met expertise {sector} geen {_uren(t.minuten)} uur per persoon meer vrij "
        f"(verplichte activiteiten met een eerdere deadline of hogere waarde gaan voor)",
    )


# ---------------------------------------------------------------------------------------------- HiGHS


def _los_op(
    kosten: list[float],
    boven: list[float],
    rijen: list[tuple[float, float, list[int], list[float]]],
    *,
    geheel: bool,
    opties: Mapping[str, Any],
    start: list[float] | None = None,
):
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("threads", 1)
    for k, v in opties.items():
        h.setOptionValue(k, v)
    lp = highspy.HighsLp()
    lp.num_col_ = len(kosten)
    lp.num_row_ = len(rijen)
    lp.col_cost_ = kosten
    lp.col_lower_ = [0.0] * len(kosten)
    lp.col_upper_ = boven
    lp.row_lower_ = [r[0] for r in rijen]
    lp.row_upper_ = [r[1] for r in rijen]
    lp.sense_ = highspy.ObjSense.kMaximize
    starts, index, value = [0], [], []
    for _, _, idx, val in rijen:
        index.extend(idx)
        value.extend(val)
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = len(kosten)
    lp.a_matrix_.num_row_ = len(rijen)
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    if geheel:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * len(kosten)
    h.passModel(lp)
    if start is not None:
        oplossing = highspy.HighsSolution()
        oplossing.col_value = start
        oplossing.value_valid = True
        h.setSolution(oplossing)
    h.run()
    return h


def _lp_grens(
    opdracht: Opdracht, rooster: _Rooster, taken: Sequence[_Taak], aselect_vast: list[list[int]], vast_per_thema: Mapping[str, int]
) -> float:
    """An upper bound on the objective any plan can reach with the same random draw.

    Why this is a relaxation (so its optimum bounds every feasible plan): group the inspectors into pools of
    equal sector sets and equal weekly hours. Take any feasible plan and set ``y[a, p]`` = the share of activity ``a``'s inspectors
    that belong to pool ``p`` (a visit by two inspectors of two pools: one half each). Then
    (i) ``sum_p y[a, p] <= 1``; (ii) ``y[a, p] > 0`` only for pools having ``a``'s sector and
    weekly hours of at least ``a``'s hours per inspector (an inspector never has more free in a week); (iii) for every pool
    and week ``d``, the hours of the activities with deadline <= ``d`` done by the pool all fall in weeks <= d,
    so ``sum_{a: deadline <= d} hours(a) y[a, p] <= sum_{w <= d} free(p, w)``, where free excludes absences and
    the drawn random activities; (iv) quota rows hold with the same shortfall. So the plan is a feasible
    point of the LP with the same objective, and the LP optimum is at least the plan's value. The LP forgets
    weekly granularity, teams and that a visit needs two inspectors at once — that only loosens it.
    Size: activities × pools with their sector (not × inspectors × weeks), and pools × weeks rows.
    """
    weken = opdracht.periode.weken
    pools: dict[tuple[frozenset[str], int], list[int]] = defaultdict(list)
    for k, i in enumerate(rooster.inspecteurs):
        pools[(i.sectoren, round(i.uren_per_week * MINUUT))].append(k)
    pool_lijst = sorted(pools.items(), key=lambda kv: (sorted(kv[0][0]), kv[0][1]))
    vrij = []
    for _, leden in pool_lijst:
        vrij.append(
            [
                sum(
                    (0 if w in rooster.inspecteurs[k].afwezig else round(rooster.inspecteurs[k].uren_per_week * MINUUT))
                    - aselect_vast[k][w]
                    for k in leden
                )
                for w in range(weken)
            ]
        )
    pools_per_sector: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for p, ((sectoren, minuten), _) in enumerate(pool_lijst):
        for s in sectoren:
            pools_per_sector[s].append((p, minuten))
    kosten: list[float] = []
    per_taak: list[list[int]] = []
    per_pool_deadline: dict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    for t in taken:
        kolommen = []
        for p, minuten in pools_per_sector.get(t.kandidaat.sector or "", ()):
            if minuten < t.minuten:
                continue
            kolommen.append(len(kosten))
            per_pool_deadline[(p, t.deadline)].append((len(kosten), t.totaal))
            kosten.append(t.waarde)
        per_taak.append(kolommen)
    rijen: list[tuple[float, float, list[int], list[float]]] = []
    for kolommen in per_taak:
        if kolommen:
            rijen.append((0.0, 1.0, kolommen, [1.0] * len(kolommen)))
    for p in range(len(pool_lijst)):
        idx: list[int] = []
        val: list[float] = []
        cumulatief = 0
        deadlines = sorted({d for (q, d) in per_pool_deadline if q == p})
        vorige = -1
        for d in deadlines:
            for col, minuten in per_pool_deadline[(p, d)]:
                idx.append(col)
                val.append(float(minuten))
            cumulatief += sum(vrij[p][vorige + 1 : d + 1])
            vorige = d
            rijen.append((-highspy.kHighsInf, float(max(cumulatief, 0)), list(idx), list(val)))
    boete = opdracht.normen.quotum_boete
    for q in sorted(opdracht.quota, key=lambda q: q.thema):
        nodig = q.minimum - vast_per_thema.get(q.thema, 0)
        if nodig <= 0:
            continue
        tekort = len(kosten)
        kosten.append(-boete)
        idx = [c for t, kol in zip(taken, per_taak, strict=True) if q.thema in t.kandidaat.themas for c in kol] + [tekort]
        rijen.append((float(nodig), highspy.kHighsInf, idx, [1.0] * len(idx)))
    if not kosten:
        return 0.0
    h = _los_op(kosten, [1.0 if k >= 0 else highspy.kHighsInf for k in kosten], rijen, geheel=False, opties={})
    return float(h.getInfo().objective_function_value)


def _repareer(rooster: _Rooster, verplicht: Sequence[_Taak], open_taken: Sequence[_Taak], geplaatst: dict, normen: Normen) -> str:
    """A MIP over the inspectors with the sectors of the unplaced mandatory tasks and the weeks up to their
    latest deadline: it may move every mandatory task placed there. Most mandatory tasks first, then value."""
    sectoren = {t.kandidaat.sector for t in open_taken}
    laatste = max(t.deadline for t in open_taken)
    regio = {k for s in sectoren for k in rooster.per_sector.get(s, ())}
    taken = list(open_taken) + [
        t for t in verplicht if t.sleutel in geplaatst and geplaatst[t.sleutel][0] <= laatste and set(geplaatst[t.sleutel][1]) & regio
    ]
    taken.sort(key=lambda t: t.sleutel)
    for t in taken:
        if t.sleutel in geplaatst:
            w, wie = geplaatst[t.sleutel]
            rooster.vrijgeven(w, wie, t.minuten)
            regio |= set(wie)
    per_sector_regio = {s: [k for k in ks if k in regio] for s, ks in rooster.per_sector.items()}
    kosten: list[float] = []
    boven: list[float] = []
    start: list[float] = []
    u_kol: dict[tuple[int, str, int], int] = {}
    x_kol: dict[tuple[int, int, int], int] = {}
    rijen: list[tuple[float, float, list[int], list[float]]] = []
    gewicht = 1 + max(t.waarde for t in taken)  # one more mandatory activity outweighs any value
    for a, t in enumerate(taken):
        oud = geplaatst.get(t.sleutel)
        per_team: dict[str, list[int]] = defaultdict(list)
        for k in per_sector_regio.get(t.kandidaat.sector, ()):
            per_team[rooster.inspecteurs[k].team].append(k)
        eigen = []
        for team, leden in sorted(per_team.items()):
            if len(leden) < t.n:
                continue
            for w in range(min(t.deadline, laatste) + 1):
                wie = [k for k in leden if rooster.vrij[k][w] >= t.minuten]
                if len(wie) < t.n:
                    continue
                u = len(kosten)
                u_kol[(a, team, w)] = u
                kosten.append(gewicht + t.waarde)
                boven.append(1.0)
                gekozen = oud is not None and oud[0] == w and rooster.inspecteurs[oud[1][0]].team == team
                start.append(1.0 if gekozen else 0.0)
                eigen.append(u)
                xs = []
                for k in wie:
                    x_kol[(a, k, w)] = len(kosten)
                    xs.append(len(kosten))
                    kosten.append(0.0)
                    boven.append(1.0)
                    start.append(1.0 if gekozen and k in oud[1] else 0.0)
                rijen.append((0.0, 0.0, [*xs, u], [1.0] * len(xs) + [-float(t.n)]))
        if eigen:
            rijen.append((0.0, 1.0, eigen, [1.0] * len(eigen)))
    per_plek: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for (a, k, w), col in x_kol.items():
        per_plek[(k, w)].append((col, taken[a].minuten))
    for (k, w), cols in sorted(per_plek.items()):
        rijen.append((-highspy.kHighsInf, float(rooster.vrij[k][w]), [c for c, _ in cols], [float(m) for _, m in cols]))
    voor = sum(1 for t in taken if t.sleutel in geplaatst)
    h = _los_op(
        kosten,
        boven,
        rijen,
        geheel=True,
        opties={"mip_max_nodes": normen.max_knopen, "time_limit": normen.tijdslimiet_seconden},
        start=start,
    )
    waarden = h.getSolution().col_value if h.getInfo().primal_solution_status == 2 else start
    gekozen_taken = set()
    for (a, _team, w), u in sorted(u_kol.items()):
        if waarden[u] > 0.5:
            gekozen_taken.add(a)
            t = taken[a]
            wie = tuple(
                sorted(
                    (k for k in regio if (a, k, w) in x_kol and waarden[x_kol[(a, k, w)]] > 0.5), key=lambda k: rooster.inspecteurs[k].id
                )
            )
            geplaatst[t.sleutel] = (w, wie)
    for a, t in enumerate(taken):
        if a not in gekozen_taken:
            geplaatst.pop(t.sleutel, None)
    for t in taken:
        if t.sleutel in geplaatst:
            w, wie = geplaatst[t.sleutel]
            rooster.boek(w, wie, t.minuten)
    na = sum(1 for t in taken if t.sleutel in geplaatst)
    status = h.modelStatusToString(h.getModelStatus())
    return (
        f"MIP over {len(taken)} verplichte activiteiten, {len(regio)} inspecteurs, weken 1-{laatste + 1}: "
        f"{voor} → {na} geplaatst ({status})"
    )
