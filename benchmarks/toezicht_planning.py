"""Benchmark: the quarterly inspection plan (toezicht.planner, pure: no database) on generated data.

A seeded instance of ``--inspecteurs`` inspectors in teams of 10 (each with a home sector, some with a second
one, 12 or 24 field hours a week, 0-3 absent weeks) and ``--kandidaten`` providers over 13 weeks. Demand exceeds
capacity (so choices matter); about 12 % of the providers have a hard trigger with a deadline in the quarter,
and one scarce sector gets more early mandatory work than its inspectors can do (so some of it is
``onhaalbaar``), plus a few triggers due before the first Friday. Theme quotas for the 2026 target groups.

Prints: the time to plan; the objective as % of the LP bound, for the full method and for the greedy
baseline alone (no MIP repair); mandatory activities met (placed + listed as onhaalbaar must be 100 %);
and the random share achieved against its setting. Exits non-zero when a target is missed: ≤ 60 s,
≥ 97 % of the LP bound, every mandatory activity placed or listed, random share within 1 percentage point.

    .venv/bin/python benchmarks/toezicht_planning.py [--inspecteurs 300] [--kandidaten 3000] [--seed 2026]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta

from toezicht.planner import Inspecteur, Kandidaat, Opdracht, Periode, Quotum, Trigger, lees_normen, plan
from zorgtoezicht.domain.sectoren import Sector

START = date(2027, 1, 4)  # a Monday: Q1 2027
# Rough share of each sector in the inspectorate's work; medische-technologie is kept scarce on purpose.
SECTOREN = {
    Sector.verpleging_en_verzorging: 20,
    Sector.ggz: 16,
    Sector.gehandicaptenzorg: 12,
    Sector.eerstelijnszorg: 14,
    Sector.jeugd: 10,
    Sector.medisch_specialistische_zorg: 12,
    Sector.farmaceutische_producten: 6,
    Sector.preventie: 4,
    Sector.asielzoekers_en_justitiabelen: 3,
    Sector.sector_overstijgend: 2,
    Sector.medische_technologie: 1,
}
SCHAARS = Sector.medische_technologie


def genereer(inspecteurs: int, kandidaten: int, seed: int) -> tuple[list[Inspecteur], list[Kandidaat]]:
    rng = random.Random(seed)
    sectoren = list(SECTOREN)
    gewichten = list(SECTOREN.values())
    gewoon = [s for s in sectoren if s != SCHAARS]
    teams = max(1, inspecteurs // 10)
    # teams per home sector in proportion to the sector's work (largest remainder); each team has a second
    # sector some of its members share; the scarce sector: two members of team 0 only
    quotas = {s: SECTOREN[s] * teams / sum(SECTOREN[g] for g in gewoon) for s in gewoon}
    aantal = {s: int(q) for s, q in quotas.items()}
    for s in sorted(gewoon, key=lambda s: quotas[s] - aantal[s], reverse=True)[: teams - sum(aantal.values())]:
        aantal[s] += 1
    thuis_per_team = [s for s in gewoon for _ in range(aantal[s])]
    tweede_per_team = [rng.choice([g for g in gewoon if g != t]) for t in thuis_per_team]
    mensen = []
    for n in range(inspecteurs):
        team = min(n // 10, teams - 1)
        eigen = {thuis_per_team[team]}
        if rng.random() < 0.3:
            eigen.add(tweede_per_team[team])
        if team == 0 and n % 10 < 2:
            eigen.add(SCHAARS)
        afwezig = frozenset(rng.sample(range(13), rng.randint(0, 3)))
        mensen.append(Inspecteur(f"insp-{n:04d}", f"team-{team:02d}", frozenset(s.value for s in eigen), rng.choice([12, 12, 24]), afwezig))
    aanbieders = []
    soorten = ["wettelijk-advies", "inspectiebezoek", "desk-inspectie", "beoordelend-gesprek"]
    for n in range(kandidaten):
        sector = rng.choices(sectoren, gewichten)[0]
        score = round(min(100.0, rng.betavariate(1.5, 3.5) * 100), 2)
        triggers = []
        if rng.random() < 0.12:
            uiterlijk = START + timedelta(days=rng.randint(4, 7 * 13 - 1))
            triggers.append(Trigger("verplicht-advies", "wettelijk verplicht advies", uiterlijk, rng.choice(soorten)))
        elif rng.random() < 0.005:
            triggers.append(Trigger("follow-up", "follow-up na begunstigingstermijn", START - timedelta(days=3), "inspectiebezoek"))
        if sector == SCHAARS:  # more early mandatory work than its few inspectors can do
            triggers.append(Trigger("bevel", "lopend bevel", START + timedelta(days=rng.randint(4, 18)), "inspectiebezoek"))
        themas = (
            ("psychische-problemen",)
            if sector == Sector.ggz
            else ("kwetsbare-ouderen",)
            if sector == Sector.verpleging_en_verzorging
            else ()
        )
        aanbieders.append(Kandidaat(f"za-{n:05d}", sector.value, score, tuple(triggers), themas, rng.random() < 0.15))
    return mensen, aanbieders


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inspecteurs", type=int, default=300)
    parser.add_argument("--kandidaten", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    mensen, aanbieders = genereer(args.inspecteurs, args.kandidaten, args.seed)
    normen = lees_normen()
    opdracht = Opdracht(
        Periode(START),
        tuple(mensen),
        tuple(aanbieders),
        normen,
        quota=(Quotum("psychische-problemen", 150), Quotum("kwetsbare-ouderen", 150)),
        seed=args.seed,
    )
    capaciteit = sum(i.uren_per_week * (13 - len(i.afwezig)) for i in mensen)
    print(f"{len(mensen)} inspecteurs ({capaciteit:,.0f} uur), {len(aanbieders)} kandidaten, 13 weken, seed {args.seed}")

    begin = time.perf_counter()
    volledig = plan(opdracht)
    duur = time.perf_counter() - begin
    begin = time.perf_counter()
    greedy = plan(Opdracht(**{**opdracht.__dict__, "repareren": False}))
    duur_greedy = time.perf_counter() - begin

    def verplicht(p) -> tuple[int, int]:
        return sum(1 for a in p.activiteiten if a.route == "trigger"), len(p.onhaalbaar)

    geplaatst, onhaalbaar = verplicht(volledig)
    totaal = sum(
        len({t.activiteit for t in k.triggers if t.uiterlijk is None or t.uiterlijk <= opdracht.periode.einde}) for k in aanbieders
    )
    g_geplaatst, g_onhaalbaar = verplicht(greedy)
    print(f"tijd om te plannen:          {duur:6.1f} s   (doel ≤ 60 s; {volledig.seconden})")
    print(
        f"doelwaarde / LP-grens:       {100 * volledig.verhouding:6.2f} %  "
        f"(doel ≥ 97 %; {volledig.doelwaarde:,.0f} / {volledig.lp_grens:,.0f})"
    )
    print(f"greedy alleen / LP-grens:    {100 * greedy.verhouding:6.2f} %  ({duur_greedy:.1f} s)")
    print(f"verplichte activiteiten:     {geplaatst} gepland + {onhaalbaar} onhaalbaar gemeld = {geplaatst + onhaalbaar} van {totaal}")
    print(f"  greedy alleen:             {g_geplaatst} gepland + {g_onhaalbaar} onhaalbaar")
    redenen: dict[str, int] = {}
    for o in volledig.onhaalbaar:
        redenen[o.reden] = redenen.get(o.reden, 0) + 1
    print(f"  onhaalbaar naar reden:     {redenen}")
    print(f"  MIP-reparatie:             {volledig.reparatie}")
    print(
        f"aselect aandeel:             {100 * volledig.aselect_aandeel:6.2f} %  (instelling {100 * opdracht.aandeel:.0f} %; "
        f"{volledig.aselect_uren:,.0f} van {volledig.discretionaire_uren:,.0f} discretionaire uren)"
    )
    print(f"themaquota:                  {volledig.quota}")
    print(f"activiteiten: {len(volledig.activiteiten)}, weggelaten: {len(volledig.weggelaten)}")
    ok = (
        duur <= 60
        and volledig.verhouding >= 0.97
        and geplaatst + onhaalbaar == totaal
        and abs(volledig.aselect_aandeel - opdracht.aandeel) <= 0.01
    )
    print("alle doelen gehaald" if ok else "DOEL GEMIST")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
