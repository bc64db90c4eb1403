"""The pure planner: every produced plan is checked by ``controleer`` below, written here from the rules in
issue #9 and planning_normen.json, not from the planner's code."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from importlib import resources

import pytest

from toezicht.planner import (
    Inspecteur,
    Kandidaat,
    NormenFout,
    Opdracht,
    Periode,
    Plan,
    Quotum,
    Trigger,
    herplan,
    lees_normen,
    normen_uit,
    plan,
)

START = date(2027, 1, 4)  # a Monday
WEKEN = 13
NORMEN_JSON = json.loads(resources.files("toezicht").joinpath("planning_normen.json").read_text("utf-8"))
EFFORT = {soort: (n["uren"], n["inspecteurs"]) for soort, n in NORMEN_JSON["activiteiten"].items()}


def controleer(p: Plan, inspecteurs: list[Inspecteur], kandidaten: list[Kandidaat], aandeel: float | None = None) -> None:
    """The hard rules, checked on the plan's output alone."""
    mensen = {i.id: i for i in inspecteurs}
    aanbieders = {k.id: k for k in kandidaten}
    einde = START + timedelta(weeks=WEKEN, days=-1)
    belasting: dict[tuple[str, int], float] = defaultdict(float)
    gezien: set[tuple[str, str]] = set()
    for a in p.activiteiten:
        k = aanbieders[a.kandidaat_id]
        assert (a.kandidaat_id, a.soort) not in gezien, f"{a.kandidaat_id} {a.soort} twice"
        gezien.add((a.kandidaat_id, a.soort))
        assert 0 <= a.week < WEKEN
        uren, aantal = EFFORT[a.soort]
        assert a.uren == uren
        assert len(a.inspecteurs) == aantal == len(set(a.inspecteurs)), a
        assert len({mensen[i].team for i in a.inspecteurs}) == 1, f"{a} pairs two teams"
        for i in a.inspecteurs:
            assert k.sector in mensen[i].sectoren, f"{i} has no expertise for {a}"
            assert a.week not in mensen[i].afwezig, f"{i} is absent in week {a.week}"
            belasting[(i, a.week)] += uren / aantal
        assert a.route in ("trigger", "risico", "aselect") and a.reden
        if a.route == "trigger":
            data = [t.uiterlijk for t in k.triggers if t.activiteit == a.soort and t.uiterlijk is not None]
            if data:
                vrijdag = START + timedelta(weeks=a.week, days=4)
                assert vrijdag <= min(data), f"{a} after its deadline {min(data)}"
    for (i, w), uren in belasting.items():
        assert uren <= mensen[i].uren_per_week + 1e-9, f"{i} works {uren} h in week {w}"
    # never silently dropped: each mandatory (provider, kind) is planned as trigger or listed as onhaalbaar
    verplicht = {(k.id, t.activiteit) for k in kandidaten for t in k.triggers if t.uiterlijk is None or t.uiterlijk <= einde}
    gepland = {(a.kandidaat_id, a.soort) for a in p.activiteiten if a.route == "trigger"}
    gemeld = {(o.kandidaat_id, o.soort) for o in p.onhaalbaar}
    assert gepland | gemeld == verplicht and not gepland & gemeld
    # every provider is accounted for: an activity, a reason it was left out, or an onhaalbaar entry
    met_activiteit = {a.kandidaat_id for a in p.activiteiten}
    weggelaten = [w.kandidaat_id for w in p.weggelaten]
    assert len(weggelaten) == len(set(weggelaten)) and not set(weggelaten) & met_activiteit
    assert met_activiteit | set(weggelaten) | {o.kandidaat_id for o in p.onhaalbaar} == set(aanbieders)
    assert all(w.reden in ("capaciteit", "geen-expertise", "geen-koppel", "onder-drempel") and w.toelichting for w in p.weggelaten)
    assert p.doelwaarde <= p.lp_grens + 1e-6
    if aandeel is not None:
        # D: every hour of every inspector in the period except absent weeks, minus the mandatory activities' hours
        capaciteit = sum(i.uren_per_week * (WEKEN - len(i.afwezig)) for i in inspecteurs)
        discretionair = capaciteit - sum(a.uren for a in p.activiteiten if a.route == "trigger")
        aselect = sum(a.uren for a in p.activiteiten if a.route == "aselect")
        assert abs(aselect / discretionair - aandeel) <= 0.01, (aselect, discretionair)


SECTOREN = ["ggz", "verpleging-en-verzorging", "jeugd", "gehandicaptenzorg", "eerstelijnszorg"]


def genereer(seed: int, inspecteurs: int = 24, kandidaten: int = 240) -> tuple[list[Inspecteur], list[Kandidaat]]:
    rng = random.Random(seed)
    mensen = []
    for n in range(inspecteurs):
        team = n % 4
        sectoren = {SECTOREN[team], *([SECTOREN[4]] if rng.random() < 0.3 else [])}
        afwezig = frozenset(rng.sample(range(WEKEN), rng.randint(0, 3)))
        mensen.append(Inspecteur(f"i{n:02d}", f"t{team}", frozenset(sectoren), rng.choice([12, 16, 24]), afwezig))
    aanbieders = []
    for n in range(kandidaten):
        sector = rng.choice([*SECTOREN, "preventie"])
        triggers = ()
        if rng.random() < 0.15:
            uiterlijk = START + timedelta(days=rng.randint(0, 7 * WEKEN + 20))
            soort = rng.choice(["wettelijk-advies", "inspectiebezoek", "desk-inspectie"])
            triggers = (Trigger("t", "toelichting", uiterlijk, soort),)
        themas = ("psychische-problemen",) if sector == "ggz" else ()
        aanbieders.append(Kandidaat(f"k{n:03d}", sector, round(rng.uniform(0, 100), 1), triggers, themas, rng.random() < 0.2))
    return mensen, aanbieders


def opdracht(mensen, aanbieders, **extra) -> Opdracht:
    return Opdracht(Periode(START), tuple(mensen), tuple(aanbieders), lees_normen(), **extra)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_every_plan_keeps_the_hard_rules_and_the_random_share(seed):
    mensen, aanbieders = genereer(seed)
    p = plan(opdracht(mensen, aanbieders, seed=seed, quota=(Quotum("psychische-problemen", 5),)))
    controleer(p, mensen, aanbieders, aandeel=0.15)
    assert {a.route for a in p.activiteiten} == {"trigger", "risico", "aselect"}
    assert p.weggelaten, "demand exceeds capacity: choices were made"
    assert sum(1 for a in p.activiteiten if "psychische-problemen" in a.themas) >= 5


@pytest.mark.parametrize("aandeel", [0.0, 0.1, 0.2])
def test_the_random_share_follows_its_setting(aandeel):
    mensen, aanbieders = genereer(11, inspecteurs=30, kandidaten=400)
    p = plan(opdracht(mensen, aanbieders, seed=3, aselect_aandeel=aandeel))
    controleer(p, mensen, aanbieders, aandeel=aandeel)


def test_an_infeasible_quarter_lists_exactly_what_cannot_fit():
    """Built by hand. In week 1 (Friday 8 January) the ggz inspectors a1, a2 (team A) and b1 (team B) have 20 h
    each. A visit costs each of its two inspectors 12 h and only a1 + a2 can pair; a desk-inspectie costs one
    inspector 12 h. So week 1 holds at most two activities (each inspector one): the most valuable pair is the
    visit to k5 (score 90) by a1 + a2 and the desk-inspectie k8 (score 50) by b1. k6, k7 (visits) and k9 (desk)
    cannot be done by their deadline."""
    vrijdag = START + timedelta(days=4)
    mensen = [
        Inspecteur("a1", "A", frozenset({"ggz"}), 20),
        Inspecteur("a2", "A", frozenset({"ggz"}), 20),
        Inspecteur("a3", "A", frozenset({"jeugd"}), 12, frozenset({0, 1, 2, 3})),
        Inspecteur("b1", "B", frozenset({"ggz", "verpleging-en-verzorging"}), 20),
    ]

    def k(ident, sector, score, soort=None, uiterlijk=vrijdag):
        triggers = (Trigger(f"code-{ident}", "toelichting", uiterlijk, soort),) if soort else ()
        return Kandidaat(ident, sector, score, triggers)

    aanbieders = [
        k("k1", "ggz", 80, "wettelijk-advies", vrijdag - timedelta(days=1)),  # due before the first Friday
        k("k2", "farmaceutische-producten", 80, "desk-inspectie"),  # nobody has the sector
        k("k3", "verpleging-en-verzorging", 80, "inspectiebezoek", None),  # only b1: no pair in any team
        k("k4", "jeugd", 80, "desk-inspectie", START + timedelta(days=18)),  # a3 absent until after the deadline
        k("k5", "ggz", 90, "inspectiebezoek"),
        k("k6", "ggz", 60, "inspectiebezoek"),
        k("k7", "ggz", 30, "inspectiebezoek"),
        k("k8", "ggz", 50, "desk-inspectie"),
        k("k9", "ggz", 10, "desk-inspectie"),
        k("k10", "ggz", 70, "inspectiebezoek", START + timedelta(weeks=20)),  # due next quarter: not mandatory now
        k("k11", "jeugd", 50),
    ]
    p = plan(opdracht(mensen, aanbieders, seed=1))
    controleer(p, mensen, aanbieders)
    assert {(o.kandidaat_id, o.reden) for o in p.onhaalbaar} == {
        ("k1", "deadline-voor-periode"),
        ("k2", "geen-expertise"),
        ("k3", "geen-koppel"),
        ("k4", "afwezig"),
        ("k6", "capaciteit"),
        ("k7", "capaciteit"),
        ("k9", "capaciteit"),
    }
    week1 = {(a.kandidaat_id, a.inspecteurs) for a in p.activiteiten if a.week == 0 and a.route == "trigger"}
    assert week1 == {("k5", ("a1", "a2")), ("k8", ("b1",))}
    assert all(o.toelichting for o in p.onhaalbaar)


def test_the_mip_repair_places_what_the_greedy_order_left_out():
    """Greedy places the earliest deadline first: the desk-inspectie k1 (due week 1) goes to a1 (a1 and a3 tie,
    a1 by id). The visit k2 (due week 2) then needs a1 + a2 (the only pair) in week 1, as a2 is absent in week
    2, and a1 is full. The repair gives k1 to a3 and the visit to a1 + a2."""
    mensen = [
        Inspecteur("a1", "A", frozenset({"ggz"}), 12),
        Inspecteur("a2", "A", frozenset({"ggz"}), 12, frozenset({1})),
        Inspecteur("a3", "B", frozenset({"ggz"}), 12),
    ]
    vrijdag = START + timedelta(days=4)
    aanbieders = [
        Kandidaat("k1", "ggz", 50, (Trigger("c", "t", vrijdag, "desk-inspectie"),)),
        Kandidaat("k2", "ggz", 50, (Trigger("c", "t", vrijdag + timedelta(weeks=1), "inspectiebezoek"),)),
    ]
    greedy = plan(opdracht(mensen, aanbieders, repareren=False))
    controleer(greedy, mensen, aanbieders)
    assert [o.kandidaat_id for o in greedy.onhaalbaar] == ["k2"]
    p = plan(opdracht(mensen, aanbieders))
    controleer(p, mensen, aanbieders)
    assert p.onhaalbaar == ()
    assert {(a.kandidaat_id, a.week, a.inspecteurs) for a in p.activiteiten} == {("k1", 0, ("a3",)), ("k2", 0, ("a1", "a2"))}
    assert "1 → 2" in p.reparatie
    assert p.doelwaarde > greedy.doelwaarde


def test_same_input_and_seed_give_the_same_plan():
    mensen, aanbieders = genereer(7)
    een = plan(opdracht(mensen, aanbieders, seed=42))
    twee = plan(opdracht(list(reversed(mensen)), list(reversed(aanbieders)), seed=42))  # input order does not matter
    assert (een.activiteiten, een.weggelaten, een.onhaalbaar, een.doelwaarde, een.lp_grens) == (
        twee.activiteiten,
        twee.weggelaten,
        twee.onhaalbaar,
        twee.doelwaarde,
        twee.lp_grens,
    )
    ander = plan(opdracht(mensen, aanbieders, seed=43))
    assert {a.kandidaat_id for a in ander.activiteiten if a.route == "aselect"} != {
        a.kandidaat_id for a in een.activiteiten if a.route == "aselect"
    }


def test_a_re_plan_of_one_team_keeps_every_other_team_as_it_was():
    mensen, aanbieders = genereer(9)
    eerst = plan(opdracht(mensen, aanbieders, seed=5))
    # team t1 changes: one inspector is now absent all quarter, another works fewer hours
    team = [i for i in mensen if i.team == "t1"]
    gewijzigd = {team[0].id: replace(team[0], afwezig=frozenset(range(WEKEN))), team[1].id: replace(team[1], uren_per_week=8)}
    nieuw = [gewijzigd.get(i.id, i) for i in mensen]
    daarna = herplan(opdracht(nieuw, aanbieders, seed=5), eerst, "t1")
    controleer(daarna, nieuw, aanbieders)
    van_t1 = {i.id for i in team}
    buiten = lambda p: sorted((a for a in p.activiteiten if not set(a.inspecteurs) & van_t1), key=repr)  # noqa: E731
    assert buiten(daarna) == buiten(eerst)
    assert not any(team[0].id in a.inspecteurs for a in daarna.activiteiten)
    assert daarna.activiteiten != eerst.activiteiten


def test_the_lp_bound_is_no_less_than_an_exact_optimum_on_a_small_instance():
    """On a tiny instance without random share the bound must be at least the best plan found by trying all."""
    mensen = [Inspecteur("a1", "A", frozenset({"ggz"}), 12), Inspecteur("a2", "A", frozenset({"ggz"}), 12)]
    aanbieders = [Kandidaat(f"k{n}", "ggz", s) for n, s in enumerate([90, 80, 70, 60, 50, 40, 30, 20])]
    p = plan(replace(opdracht(mensen, aanbieders, aselect_aandeel=0.0), periode=Periode(START, 2)))
    # 2 weeks × 2 inspectors × 12 h: one visit (12 h each) per week: the best is k0 and k1 (score 90, 80)
    beste = (90 + 80) * 24
    assert sorted(a.kandidaat_id for a in p.activiteiten) == ["k0", "k1"]
    assert p.doelwaarde == pytest.approx(beste)
    assert p.lp_grens >= beste - 1e-6


def test_norms_are_checked_when_they_load():
    with pytest.raises(NormenFout, match="unknown activity kind"):
        normen_uit({**NORMEN_JSON, "activiteiten": {**NORMEN_JSON["activiteiten"], "koffie": {"uren": 1, "inspecteurs": 1}}})
    with pytest.raises(NormenFout, match="1 or 2 inspectors"):
        normen_uit({**NORMEN_JSON, "activiteiten": {**NORMEN_JSON["activiteiten"], "zelfscan": {"uren": 1, "inspecteurs": 3}}})
    with pytest.raises(NormenFout, match="aselect_aandeel"):
        normen_uit({**NORMEN_JSON, "aselect_aandeel": 1.5})
    assert lees_normen().hash != normen_uit({**NORMEN_JSON, "minimum_score": 11}).hash
