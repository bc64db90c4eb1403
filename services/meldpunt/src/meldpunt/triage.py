"""Triage of meldingen as data: an ordered, versioned rule table; the first matching rule wins.

Compare the routing of Amsterdam Signalen (ordered expressions, first match assigns). The table is JSON
(``triage_regels.json`` in this package, or the file named by the environment variable
``MELDPUNT_TRIAGE_TABEL``), so it can change without a code change. Nothing in it is evaluated as Python.

Table format::

    {"versie": "2026.1", "geldig_vanaf": "2026-01-01", "toelichting": "...optional...",
     "regels": [{"id": "...", "als": {...}, "route": "...", "prioriteit": "hoog|normaal|laag",
                 "afhandeltermijn_werkdagen": 5, "uitleg": "Dutch text for the reporter, {placeholders}",
                 "doorverwijzen_naar": "required for route doorverwijzen, may use {placeholders}",
                 "rapporttermijn_weken": 8,   # optional, only for onderzoek-door-zorgaanbieder
                 "toelichting": "optional internal note, never shown to the reporter"}, ...]}

Condition language (``als``): an object mapping a field of ``TriageFeiten`` to a test; all tests of a rule
are AND-ed, and ``{}`` matches everything (the mandatory last rule, the catch-all; a catch-all earlier in
the table would make the rules after it unreachable and is rejected). A test is either

- a plain value (string, number, boolean, null): equality - ``{"acuut_gevaar": true}``, ``{"soort": "klacht"}``;
- an object of one or more operators, AND-ed - ``{"herhaling": {">=": 3, "<": 10}}``:
  ``==`` / ``!=`` (a value), ``in`` / ``niet-in`` (a non-empty list of values), ``<`` ``<=`` ``>`` ``>=``
  (a number; only on numeric fields; a missing value (null) never satisfies a comparison),
  ``bekend`` (true: the field has a value; false: it is null).

Values are checked against the field when the table loads: ``soort`` against ``MeldingSoort``, ``sector``
against ``Sector``, ``melder_rol`` and ``ernst`` against their lists, booleans on boolean fields, integers
on numeric ones. Placeholders in ``uitleg`` / ``doorverwijzen_naar`` are the names of the facts plus
``afhandeldatum`` and ``rapport_uiterlijk`` (dates in Dutch, "3 maart 2026"); a missing value renders as
"onbekend".
"""

from __future__ import annotations

import json
import os
import string
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from zorgtoezicht.domain.meldingen import HulpmiddelErnst, MelderRol, MeldingSoort, Prioriteit, Route
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.termijnen.regels import CALAMITEITENRAPPORT, add_werkdagen, bereken

ROUTES = tuple(Route)
PRIORITEITEN = tuple(Prioriteit)
MELDER_ROLLEN = tuple(MelderRol)
ERNST_HULPMIDDEL = tuple(HulpmiddelErnst)
OPERATOREN = ("==", "!=", "in", "niet-in", "<", "<=", ">", ">=", "bekend")
ENV_TABEL = "MELDPUNT_TRIAGE_TABEL"
STANDAARD_TABEL = "triage_regels.json"


class TriageTabelFout(ValueError):
    """The rule table is invalid; the message names the file, the rule and what is wrong."""


@dataclass(frozen=True)
class TriageFeiten:
    """The facts triage decides on (from the melding and the intake)."""

    soort: str  # a MeldingSoort value
    melder_rol: str = MelderRol.zorgaanbieder  # one of MELDER_ROLLEN
    sector: str | None = None  # a Sector value
    acuut_gevaar: bool = False  # the melder or the intake says there is acute danger
    ernst: str | None = None  # medical devices: one of ERNST_HULPMIDDEL
    te_laat: bool = False  # the provider reported too late
    heeft_toezichtarrangement: bool = False  # provider in a "toezichtarrangement op maat"
    aantal_clienten: int | None = None
    is_ziekenhuis: bool = False
    gemeente_code: str | None = None
    zorgaanbieder_bekend: bool = True
    herhaling: int = 0  # earlier meldingen about this provider in the last 12 months

    def __post_init__(self) -> None:
        for f in fields(self):
            fout = _VELDEN[f.name].fout(getattr(self, f.name), toestaan_none=_VELDEN[f.name].nullable)
            if fout:
                raise ValueError(f"TriageFeiten.{f.name}: {fout}")


@dataclass(frozen=True)
class _Veld:
    soort: type  # str, bool or int
    nullable: bool
    waarden: tuple[str, ...] | None = None  # allowed values of a str field

    def fout(self, waarde: Any, toestaan_none: bool = True) -> str | None:
        if waarde is None:
            return None if toestaan_none else "a value is required"
        if self.soort is bool:
            return None if isinstance(waarde, bool) else f"expected true/false, got {waarde!r}"
        if self.soort is int:
            ok = isinstance(waarde, int) and not isinstance(waarde, bool)
            return None if ok else f"expected an integer, got {waarde!r}"
        if not isinstance(waarde, str):
            return f"expected a string, got {waarde!r}"
        if self.waarden is not None and waarde not in self.waarden:
            return f"unknown value {waarde!r} (allowed: {', '.join(self.waarden)})"
        return None


_VELDEN: dict[str, _Veld] = {
    "soort": _Veld(str, False, tuple(s.value for s in MeldingSoort)),
    "melder_rol": _Veld(str, False, MELDER_ROLLEN),
    "sector": _Veld(str, True, tuple(s.value for s in Sector)),
    "acuut_gevaar": _Veld(bool, False),
    "ernst": _Veld(str, True, ERNST_HULPMIDDEL),
    "te_laat": _Veld(bool, False),
    "heeft_toezichtarrangement": _Veld(bool, False),
    "aantal_clienten": _Veld(int, True),
    "is_ziekenhuis": _Veld(bool, False),
    "gemeente_code": _Veld(str, True),
    "zorgaanbieder_bekend": _Veld(bool, False),
    "herhaling": _Veld(int, False),
}
assert set(_VELDEN) == {f.name for f in fields(TriageFeiten)}
PLAATSHOUDERS = frozenset(_VELDEN) | {"afhandeldatum", "rapport_uiterlijk"}


@dataclass(frozen=True)
class Voorwaarde:
    """One test of a rule: ``veld operator waarde``; in ``Triagebesluit.waarom`` also the fact it met."""

    veld: str
    operator: str
    waarde: Any  # a tuple for in / niet-in
    feit: Any = None

    def geldt(self, feiten: TriageFeiten) -> bool:
        feit = getattr(feiten, self.veld)
        op, w = self.operator, self.waarde
        if op == "==":
            return feit == w  # the loader made sure the value has the field's type
        if op == "!=":
            return not Voorwaarde(self.veld, "==", w).geldt(feiten)
        if op == "in":
            return feit in w
        if op == "niet-in":
            return feit not in w
        if op == "bekend":
            return (feit is not None) == w
        if feit is None:
            return False
        return {"<": feit < w, "<=": feit <= w, ">": feit > w, ">=": feit >= w}[op]

    def als_dict(self) -> dict[str, Any]:
        w = list(self.waarde) if isinstance(self.waarde, tuple) else self.waarde
        return {"veld": self.veld, "operator": self.operator, "waarde": w, "feit": self.feit}

    def __str__(self) -> str:
        w = json.dumps(list(self.waarde) if isinstance(self.waarde, tuple) else self.waarde, ensure_ascii=False)
        return f"{self.veld} {self.operator} {w} (feit: {json.dumps(self.feit, ensure_ascii=False)})"


@dataclass(frozen=True)
class Regel:
    id: str
    als: tuple[Voorwaarde, ...]
    route: str
    prioriteit: str
    afhandeltermijn_werkdagen: int
    uitleg: str
    doorverwijzen_naar: str | None = None
    rapporttermijn_weken: int | None = None
    toelichting: str | None = None

    def past(self, feiten: TriageFeiten) -> bool:
        return all(v.geldt(feiten) for v in self.als)


@dataclass(frozen=True)
class Triagebesluit:
    route: str
    prioriteit: str
    afhandeldatum: date
    regel_id: str
    tabel_versie: str
    uitleg: str  # plain Dutch, for the reporter's channel
    doorverwijzen_naar: str | None = None
    rapport_uiterlijk: date | None = None  # onderzoek-door-zorgaanbieder: the provider's report deadline
    waarom: tuple[Voorwaarde, ...] = field(default=())  # the conditions that matched (audit trail)

    def als_dict(self) -> dict[str, Any]:
        return {
            "route": self.route,
            "prioriteit": self.prioriteit,
            "afhandeldatum": self.afhandeldatum.isoformat(),
            "regel_id": self.regel_id,
            "tabel_versie": self.tabel_versie,
            "uitleg": self.uitleg,
            "doorverwijzen_naar": self.doorverwijzen_naar,
            "rapport_uiterlijk": self.rapport_uiterlijk.isoformat() if self.rapport_uiterlijk else None,
            "waarom": [v.als_dict() for v in self.waarom],
        }


@dataclass(frozen=True)
class Tabel:
    versie: str
    geldig_vanaf: date
    regels: tuple[Regel, ...]
    bron: str = ""

    def beslis(self, feiten: TriageFeiten, ontvangen_op: date) -> Triagebesluit:
        """The decision of the first rule that matches ``feiten`` (the last rule matches everything)."""
        regel = next(r for r in self.regels if r.past(feiten))
        afhandeldatum = add_werkdagen(ontvangen_op, regel.afhandeltermijn_werkdagen)
        rapport = None
        if regel.route == Route.onderzoek_door_zorgaanbieder:
            rapport = (
                ontvangen_op + timedelta(weeks=regel.rapporttermijn_weken)
                if regel.rapporttermijn_weken is not None
                else bereken(CALAMITEITENRAPPORT, ontvangen_op)
            )
        waarden: dict[str, Any] = {f.name: getattr(feiten, f.name) for f in fields(feiten)}
        waarden |= {"afhandeldatum": afhandeldatum, "rapport_uiterlijk": rapport}
        return Triagebesluit(
            route=regel.route,
            prioriteit=regel.prioriteit,
            afhandeldatum=afhandeldatum,
            regel_id=regel.id,
            tabel_versie=self.versie,
            uitleg=_vul_in(regel.uitleg, waarden),
            doorverwijzen_naar=_vul_in(regel.doorverwijzen_naar, waarden) if regel.doorverwijzen_naar else None,
            rapport_uiterlijk=rapport,
            waarom=tuple(Voorwaarde(v.veld, v.operator, v.waarde, getattr(feiten, v.veld)) for v in regel.als),
        )


# --- rendering ---------------------------------------------------------------------------------------------

_MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")


def datum_nl(dag: date) -> str:
    return f"{dag.day} {_MAANDEN[dag.month - 1]} {dag.year}"


def _tekst(waarde: Any) -> str:
    if waarde is None:
        return "onbekend"
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, date):
        return datum_nl(waarde)
    return str(waarde)


def _vul_in(sjabloon: str, waarden: Mapping[str, Any]) -> str:
    return "".join(
        letterlijk + ("" if naam is None else _tekst(waarden[naam]))
        for letterlijk, naam, _spec, _conv in string.Formatter().parse(sjabloon)
    )


# --- loading and validation ----------------------------------------------------------------------------------


def laad_tabel(pad: str | os.PathLike[str] | None = None) -> Tabel:
    """Load and validate a rule table: ``pad``, else ``$MELDPUNT_TRIAGE_TABEL``, else the packaged table."""
    if pad is None:
        pad = os.environ.get(ENV_TABEL) or None
    if pad is None:
        bron = resources.files("meldpunt").joinpath(STANDAARD_TABEL)
        naam, tekst = f"meldpunt/{STANDAARD_TABEL}", bron.read_text(encoding="utf-8")
    else:
        naam = str(pad)
        try:
            tekst = Path(pad).read_text(encoding="utf-8")
        except OSError as exc:
            raise TriageTabelFout(f"{naam}: cannot read the triage table: {exc}") from exc
    try:
        data = json.loads(tekst)
    except json.JSONDecodeError as exc:
        raise TriageTabelFout(f"{naam}: not valid JSON: {exc}") from exc
    return tabel_uit_data(data, naam)


def tabel_uit_data(data: Any, naam: str = "<tabel>") -> Tabel:
    def fout(tekst: str) -> TriageTabelFout:
        return TriageTabelFout(f"{naam}: {tekst}")

    if not isinstance(data, dict):
        raise fout("expected a JSON object with versie, geldig_vanaf and regels")
    onbekend = set(data) - {"versie", "geldig_vanaf", "regels", "toelichting"}
    if onbekend:
        raise fout(f"unknown keys {sorted(onbekend)}")
    versie = data.get("versie")
    if not isinstance(versie, str) or not versie:
        raise fout("'versie' must be a non-empty string")
    try:
        geldig_vanaf = date.fromisoformat(data.get("geldig_vanaf"))
    except (TypeError, ValueError):
        raise fout("'geldig_vanaf' must be a date (YYYY-MM-DD)") from None
    ruwe_regels = data.get("regels")
    if not isinstance(ruwe_regels, list) or not ruwe_regels:
        raise fout("'regels' must be a non-empty list")

    regels: list[Regel] = []
    gezien: set[str] = set()
    for nr, ruw in enumerate(ruwe_regels, start=1):
        regel = _regel(ruw, nr, fout)
        if regel.id in gezien:
            raise fout(f"rule {nr}: duplicate id {regel.id!r}")
        gezien.add(regel.id)
        if not regel.als and nr != len(ruwe_regels):
            raise fout(
                f"rule {nr} ({regel.id!r}) has an empty 'als' (catch-all) but is not the last rule: the rules after it could never fire"
            )
        regels.append(regel)
    if regels[-1].als:
        raise fout(f"the last rule ({regels[-1].id!r}) must be a catch-all with an empty 'als'")
    return Tabel(versie=versie, geldig_vanaf=geldig_vanaf, regels=tuple(regels), bron=naam)


_REGEL_SLEUTELS = {
    "id",
    "als",
    "route",
    "prioriteit",
    "afhandeltermijn_werkdagen",
    "uitleg",
    "doorverwijzen_naar",
    "rapporttermijn_weken",
    "toelichting",
}


def _regel(ruw: Any, nr: int, fout: Any) -> Regel:
    if not isinstance(ruw, dict):
        raise fout(f"rule {nr}: expected an object")
    rid = ruw.get("id")
    if not isinstance(rid, str) or not rid:
        raise fout(f"rule {nr}: 'id' must be a non-empty string")
    waar = f"rule {nr} ({rid!r})"
    onbekend = set(ruw) - _REGEL_SLEUTELS
    if onbekend:
        raise fout(f"{waar}: unknown keys {sorted(onbekend)}")
    route, prioriteit = ruw.get("route"), ruw.get("prioriteit")
    if route not in ROUTES:
        raise fout(f"{waar}: unknown route {route!r} (allowed: {', '.join(ROUTES)})")
    if prioriteit not in PRIORITEITEN:
        raise fout(f"{waar}: unknown prioriteit {prioriteit!r} (allowed: {', '.join(PRIORITEITEN)})")
    termijn = ruw.get("afhandeltermijn_werkdagen")
    if not isinstance(termijn, int) or isinstance(termijn, bool) or termijn < 0:
        raise fout(f"{waar}: 'afhandeltermijn_werkdagen' must be an integer >= 0")
    uitleg = ruw.get("uitleg")
    if not isinstance(uitleg, str) or not uitleg.strip():
        raise fout(f"{waar}: 'uitleg' must be a non-empty text")
    namen = _controleer_sjabloon(uitleg, f"{waar} uitleg", fout)
    naar = ruw.get("doorverwijzen_naar")
    if route == Route.doorverwijzen:
        if not isinstance(naar, str) or not naar.strip():
            raise fout(f"{waar}: route doorverwijzen needs 'doorverwijzen_naar'")
        namen |= _controleer_sjabloon(naar, f"{waar} doorverwijzen_naar", fout)
    elif naar is not None:
        raise fout(f"{waar}: 'doorverwijzen_naar' is only allowed with route doorverwijzen")
    weken = ruw.get("rapporttermijn_weken")
    if weken is not None:
        if route != Route.onderzoek_door_zorgaanbieder:
            raise fout(f"{waar}: 'rapporttermijn_weken' is only allowed with route onderzoek-door-zorgaanbieder")
        if not isinstance(weken, int) or isinstance(weken, bool) or weken < 1:
            raise fout(f"{waar}: 'rapporttermijn_weken' must be an integer >= 1")
    if "rapport_uiterlijk" in namen and route != Route.onderzoek_door_zorgaanbieder:
        raise fout(f"{waar}: {{rapport_uiterlijk}} exists only for route onderzoek-door-zorgaanbieder")
    toelichting = ruw.get("toelichting")
    if toelichting is not None and not isinstance(toelichting, str):
        raise fout(f"{waar}: 'toelichting' must be a text")
    als = ruw.get("als")
    if not isinstance(als, dict):
        raise fout(f"{waar}: 'als' must be an object (use {{}} for the catch-all)")
    voorwaarden: list[Voorwaarde] = []
    for veld, test in als.items():
        if veld not in _VELDEN:
            raise fout(f"{waar}: unknown field {veld!r} in 'als' (allowed: {', '.join(_VELDEN)})")
        tests = test if isinstance(test, dict) else {"==": test}
        if not tests:
            raise fout(f"{waar}: empty test for {veld!r}")
        for op, waarde in tests.items():
            voorwaarden.append(_voorwaarde(veld, op, waarde, f"{waar}, field {veld!r}", fout))
    return Regel(
        id=rid,
        als=tuple(voorwaarden),
        route=route,
        prioriteit=prioriteit,
        afhandeltermijn_werkdagen=termijn,
        uitleg=uitleg,
        doorverwijzen_naar=naar,
        rapporttermijn_weken=weken,
        toelichting=toelichting,
    )


def _voorwaarde(veld: str, op: str, waarde: Any, waar: str, fout: Any) -> Voorwaarde:
    spec = _VELDEN[veld]
    if op not in OPERATOREN:
        raise fout(f"{waar}: unknown operator {op!r} (allowed: {', '.join(OPERATOREN)})")
    if op in ("==", "!="):
        probleem = spec.fout(waarde, toestaan_none=spec.nullable)
    elif op in ("in", "niet-in"):
        if not isinstance(waarde, list) or not waarde:
            raise fout(f"{waar}: {op!r} needs a non-empty list")
        probleem = next((p for w in waarde if (p := spec.fout(w, toestaan_none=spec.nullable))), None)
        waarde = tuple(waarde)
    elif op == "bekend":
        if not spec.nullable:
            raise fout(f"{waar}: 'bekend' only applies to a field that can be missing")
        probleem = None if isinstance(waarde, bool) else "'bekend' needs true or false"
    else:
        if spec.soort is not int:
            raise fout(f"{waar}: {op!r} only applies to a numeric field")
        ok = isinstance(waarde, (int, float)) and not isinstance(waarde, bool)
        probleem = None if ok else f"{op!r} needs a number, got {waarde!r}"
    if probleem:
        raise fout(f"{waar}: {probleem}")
    return Voorwaarde(veld, op, waarde)


def _controleer_sjabloon(sjabloon: str, waar: str, fout: Any) -> set[str]:
    try:
        delen = list(string.Formatter().parse(sjabloon))
    except ValueError as exc:
        raise fout(f"{waar}: invalid placeholder syntax ({exc}); write {{{{ and }}}} for literal braces") from None
    for _letterlijk, naam, spec, conv in delen:
        if naam is None:
            continue
        if naam not in PLAATSHOUDERS or spec or conv:
            raise fout(
                f"{waar}: unknown placeholder {{{naam}}} (allowed: {', '.join(sorted(PLAATSHOUDERS))}; no format specs or attribute access)"
            )
    return {naam for _l, naam, _s, _c in delen if naam is not None}
