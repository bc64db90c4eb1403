"""The explainable risk model as versioned data, and the pure computation of one provider's score.

The model is JSON (``risicomodel.json`` in this package, or the file named by ``TOEZICHT_RISICOMODEL``); its
identity is ``versie/hash`` where the hash is computed from the content, so an edited file without a new version
number is still a different model. Nothing in it is evaluated as Python.

The score, for a provider's stored signals at a peildatum:

- each signal kind (``signalen``, with per-``codes`` overrides) gives ``gewicht`` points, times ``ernstfactor``
  when the signal is severe (a calamiteit with death, a judgement with an ernstige tekortkoming), times a
  ``melder_factoren`` factor for the melder's role (NZa and Wmo-toezichthouders report as toezichthouder or
  gemeente), times the signal's share (``naar_aandeel``: a judgement's share of norms niet voldaan plus
  ``deels_factor`` times the share deels), times ``0.5 ** (age in days / (halfwaardetijd_maanden x
  dagen_per_maand))`` when it has a half-life. ``venster_maanden`` ends a signal's effect, ``alleen_actief`` counts
  a measure only while it runs, ``alleen_laatste`` counts only the newest signal of the kind;
- every contribution is rounded half-even to 2 decimals and is one reason naming its event (type and id);
- the sum, in a fixed order, is damped by ``kwaliteitssysteem_factor`` for a provider with a working quality system
  (a reason with a negative contribution), capped at ``maximum`` (idem), and 0 for a provider that stopped.

So the score is exactly the sum of its reasons' contributions, and the same signals, model and peildatum give
the same score. Triggers (``triggers``) put a provider on the list whatever its score; see ``_triggers``.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.domain.meldingen import MelderRol, MeldingSoort
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.domain.toezicht import ActiviteitSoort

ENV_MODEL = "TOEZICHT_RISICOMODEL"
STANDAARD_MODEL = "risicomodel.json"
CENT = Decimal("0.01")

# The signal kinds toezicht stores (signaal.soort), and what their ``code`` holds.
SOORTEN = {
    "melding": "MeldingSoort",
    "te-laat-gemeld": "MeldingSoort",
    "rapport-te-laat": None,
    "nieuwe-zorgaanbieder": None,
    "aandachtspunt": "register rule id",
    "vergunning-aangevraagd": None,
    "vergunning-geweigerd": None,
    "vergunning-ingetrokken": None,
    "maatregel": "MaatregelSoort",
    "vervolgtoezicht": "MaatregelSoort",  # handhaving asked for a follow-up: the term to comply ended (no points)
    "oordeel": "ActiviteitSoort",
}
_CODES: dict[str, frozenset[str] | None] = {
    "melding": frozenset(MeldingSoort),
    "maatregel": frozenset(MaatregelSoort),
    "vervolgtoezicht": frozenset(MaatregelSoort),
    "oordeel": frozenset(ActiviteitSoort),
}
TRIGGERS = ("wettelijk-advies", "opvolging-maatregel", "nieuw-niet-bezocht", "lopende-maatregel", "maximale-termijn-oordeel")
_REGEL_VELDEN = {
    "omschrijving",
    "gewicht",
    "halfwaardetijd_maanden",
    "venster_maanden",
    "ernstfactor",
    "melder_factoren",
    "alleen_actief",
    "alleen_laatste",
    "naar_aandeel",
    "deels_factor",
    "codes",
}


class RisicomodelFout(ValueError):
    """The model file is invalid; the message names the file and what is wrong."""


# --- the model ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Regel:
    """How one signal kind (or one code of it) scores."""

    omschrijving: str
    gewicht: float
    halfwaardetijd_maanden: float | None = None
    venster_maanden: int | None = None
    ernstfactor: float = 1.0
    melder_factoren: Mapping[str, float] = field(default_factory=dict)
    alleen_actief: bool = False
    alleen_laatste: bool = False
    naar_aandeel: bool = False
    deels_factor: float = 0.0


@dataclass(frozen=True)
class Risicomodel:
    versie: str
    hash: str
    bron: str
    maximum: Decimal
    dagen_per_maand: float
    kwaliteitssysteem_factor: Decimal
    regels: Mapping[str, Regel]  # per kind
    code_regels: Mapping[tuple[str, str], Regel]  # per (kind, code)
    triggers: Mapping[str, Mapping[str, Any]]

    @property
    def identiteit(self) -> str:
        """What ``risicoprofiel.model_versie`` stores: the version and the content hash."""
        return f"{self.versie}/{self.hash}"

    def regel(self, soort: str, code: str | None) -> Regel | None:
        if code is not None and (soort, code) in self.code_regels:
            return self.code_regels[(soort, code)]
        return self.regels.get(soort)


def model_uit_data(data: Any, naam: str = "<model>") -> Risicomodel:
    def fout(tekst: str) -> RisicomodelFout:
        return RisicomodelFout(f"{naam}: {tekst}")

    if not isinstance(data, dict):
        raise fout("expected a JSON object")
    onbekend = set(data) - {"versie", "toelichting", "maximum", "dagen_per_maand", "kwaliteitssysteem_factor", "signalen", "triggers"}
    if onbekend:
        raise fout(f"unknown keys {sorted(onbekend)}")
    versie = data.get("versie")
    if not isinstance(versie, str) or not versie:
        raise fout("'versie' must be a non-empty string")
    maximum = _getal(data.get("maximum", 100), "maximum", fout, positief=True)
    dagen_per_maand = _getal(data.get("dagen_per_maand", 30.4375), "dagen_per_maand", fout, positief=True)
    factor = _getal(data.get("kwaliteitssysteem_factor", 1), "kwaliteitssysteem_factor", fout)
    if not 0 <= factor <= 1:
        raise fout("'kwaliteitssysteem_factor' must be between 0 and 1")
    signalen = data.get("signalen")
    if not isinstance(signalen, dict):
        raise fout("'signalen' must be an object of signal kinds")
    regels: dict[str, Regel] = {}
    code_regels: dict[tuple[str, str], Regel] = {}
    for soort, ruw in signalen.items():
        if soort not in SOORTEN:
            raise fout(f"unknown signal kind {soort!r} (known: {', '.join(SOORTEN)})")
        regels[soort] = _regel(ruw, f"signalen.{soort}", fout, None)
        for code, ruwe_code in (ruw.get("codes") or {}).items():
            toegestaan = _CODES.get(soort)
            if toegestaan is not None and code not in toegestaan:
                raise fout(f"signalen.{soort}.codes: unknown code {code!r}")
            code_regels[(soort, code)] = _regel(ruwe_code, f"signalen.{soort}.codes.{code}", fout, ruw)
    triggers = data.get("triggers", {})
    if not isinstance(triggers, dict) or set(triggers) - set(TRIGGERS):
        raise fout(f"'triggers' must be an object with keys among {', '.join(TRIGGERS)}")
    for code, trigger in triggers.items():
        if not isinstance(trigger, dict) or trigger.get("activiteit") not in set(ActiviteitSoort):
            raise fout(f"triggers.{code}: 'activiteit' must be one of {', '.join(ActiviteitSoort)}")
        for sleutel in ("maatregelen",):
            if sleutel in trigger and not set(trigger[sleutel]) <= set(MaatregelSoort):
                raise fout(f"triggers.{code}.{sleutel}: unknown maatregel kinds")
        if set(trigger.get("maanden_per_sector", {})) - set(Sector):
            raise fout(f"triggers.{code}.maanden_per_sector: unknown sectors")
    inhoud = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return Risicomodel(
        versie=versie,
        hash=hashlib.sha256(inhoud).hexdigest()[:12],
        bron=naam,
        maximum=Decimal(str(maximum)),
        dagen_per_maand=float(dagen_per_maand),
        kwaliteitssysteem_factor=Decimal(str(factor)),
        regels=regels,
        code_regels=code_regels,
        triggers=triggers,
    )


def _getal(waarde: Any, naam: str, fout: Any, *, positief: bool = False) -> float:
    if isinstance(waarde, bool) or not isinstance(waarde, int | float) or waarde < 0 or (positief and waarde == 0):
        raise fout(f"'{naam}' must be a {'positive' if positief else 'non-negative'} number, got {waarde!r}")
    return waarde


def _regel(ruw: Any, pad: str, fout: Any, ouder: Mapping[str, Any] | None) -> Regel:
    if not isinstance(ruw, dict):
        raise fout(f"{pad}: expected an object")
    onbekend = set(ruw) - _REGEL_VELDEN
    if onbekend:
        raise fout(f"{pad}: unknown keys {sorted(onbekend)}")
    samen = {k: v for k, v in (ouder or {}).items() if k != "codes"} | {k: v for k, v in ruw.items() if k != "codes"}
    for sleutel in ("gewicht", "ernstfactor", "deels_factor"):
        if sleutel in samen:
            _getal(samen[sleutel], f"{pad}.{sleutel}", fout)
    for sleutel in ("halfwaardetijd_maanden", "venster_maanden"):
        if samen.get(sleutel) is not None:
            _getal(samen[sleutel], f"{pad}.{sleutel}", fout, positief=True)
    melders = samen.get("melder_factoren", {})
    if not isinstance(melders, dict) or set(melders) - set(MelderRol):
        raise fout(f"{pad}.melder_factoren: keys must be melder roles ({', '.join(MelderRol)})")
    if "gewicht" not in samen:
        raise fout(f"{pad}: 'gewicht' is required")
    return Regel(
        omschrijving=str(samen.get("omschrijving", pad)),
        gewicht=samen["gewicht"],
        halfwaardetijd_maanden=samen.get("halfwaardetijd_maanden"),
        venster_maanden=samen.get("venster_maanden"),
        ernstfactor=samen.get("ernstfactor", 1.0),
        melder_factoren=dict(melders),
        alleen_actief=bool(samen.get("alleen_actief", False)),
        alleen_laatste=bool(samen.get("alleen_laatste", False)),
        naar_aandeel=bool(samen.get("naar_aandeel", False)),
        deels_factor=samen.get("deels_factor", 0.0),
    )


def laad_model(pad: str | os.PathLike[str] | None = None) -> Risicomodel:
    """Load and validate a model: ``pad``, else ``$TOEZICHT_RISICOMODEL``, else the packaged model."""
    if pad is None:
        pad = os.environ.get(ENV_MODEL) or None
    if pad is None:
        naam, tekst = f"toezicht/{STANDAARD_MODEL}", resources.files("toezicht").joinpath(STANDAARD_MODEL).read_text(encoding="utf-8")
    else:
        naam = str(pad)
        try:
            tekst = Path(pad).read_text(encoding="utf-8")
        except OSError as exc:
            raise RisicomodelFout(f"{naam}: cannot read the risk model: {exc}") from exc
    try:
        data = json.loads(tekst)
    except json.JSONDecodeError as exc:
        raise RisicomodelFout(f"{naam}: not valid JSON: {exc}") from exc
    return model_uit_data(data, naam)


@cache
def _geladen(pad: str | None) -> Risicomodel:
    return laad_model(pad)


def huidig_model() -> Risicomodel:
    """The model in force (loaded once per file name)."""
    return _geladen(os.environ.get(ENV_MODEL) or None)


# --- inputs and outcome ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signaal:
    """A stored signal as the model reads it (a row of the ``signaal`` table)."""

    soort: str
    code: str | None
    peildatum: date
    bron_type: str
    bron_id: str
    uiterlijk: date | None = None
    geldig_tot: date | None = None
    ernstig: bool = False
    waarde: float | None = None
    waarde_deels: float | None = None
    melder_rol: str | None = None

    def actief(self, peildatum: date) -> bool:
        return self.peildatum <= peildatum and (self.geldig_tot is None or self.geldig_tot > peildatum)


@dataclass(frozen=True)
class Aanbieder:
    """The provider facts the model reads (risicoprofiel's projection of register)."""

    sector: str | None = None
    gestopt_op: date | None = None
    kwaliteitssysteem: bool = False


@dataclass(frozen=True)
class Uitkomst:
    score: Decimal
    redenen: list[dict[str, Any]]
    triggers: list[dict[str, Any]]
    laatste_oordeel_op: date | None


def _rond(waarde: float | Decimal) -> Decimal:
    return (waarde if isinstance(waarde, Decimal) else Decimal(waarde)).quantize(CENT, rounding=ROUND_HALF_EVEN)


def maanden_later(dag: date, maanden: int) -> date:
    """The same day ``maanden`` calendar months later (the month's last day when it has fewer days)."""
    jaar, maand = divmod(dag.month - 1 + maanden, 12)
    jaar, maand = dag.year + jaar, maand + 1
    return date(jaar, maand, min(dag.day, calendar.monthrange(jaar, maand)[1]))


def _volgorde(s: Signaal) -> tuple:
    return (s.peildatum, s.soort, s.code or "", s.bron_id)


def bereken(model: Risicomodel, aanbieder: Aanbieder, signalen: Iterable[Signaal], peildatum: date) -> Uitkomst:
    """The score, its reasons and the open triggers of one provider at ``peildatum``. Pure and deterministic."""
    geordend = sorted((s for s in signalen if s.peildatum <= peildatum), key=_volgorde)
    oordelen = [s for s in geordend if s.soort == "oordeel"]
    laatste_oordeel = max((s.peildatum for s in oordelen), default=None)
    redenen: list[dict[str, Any]] = []
    laatste_per_soort = {s.soort: s for s in geordend}  # ordered: the newest of each kind wins
    for s in geordend:
        regel = model.regel(s.soort, s.code)
        if regel is None or regel.gewicht == 0:
            continue
        if regel.alleen_laatste and laatste_per_soort[s.soort] is not s:
            continue
        if regel.venster_maanden is not None and maanden_later(s.peildatum, int(regel.venster_maanden)) <= peildatum:
            continue
        if regel.alleen_actief and not s.actief(peildatum):
            continue
        punten = float(regel.gewicht)
        uitleg = [f"{_getal_nl(regel.gewicht)} punten"]
        if regel.naar_aandeel:
            aandeel = (s.waarde or 0.0) + regel.deels_factor * (s.waarde_deels or 0.0)
            punten *= aandeel
            uitleg.append(f"× aandeel normen niet voldaan {_getal_nl(aandeel)}")
        if s.ernstig and regel.ernstfactor != 1:
            punten *= regel.ernstfactor
            uitleg.append(f"× ernstfactor {_getal_nl(regel.ernstfactor)}")
        if s.melder_rol in regel.melder_factoren:
            punten *= regel.melder_factoren[s.melder_rol]
            uitleg.append(f"× {_getal_nl(regel.melder_factoren[s.melder_rol])} (melder: {s.melder_rol})")
        if regel.halfwaardetijd_maanden is not None:
            dagen = (peildatum - s.peildatum).days
            punten *= 0.5 ** (dagen / (regel.halfwaardetijd_maanden * model.dagen_per_maand))
            uitleg.append(f"na {dagen} dagen bij een halveringstijd van {_getal_nl(regel.halfwaardetijd_maanden)} maanden")
        bijdrage = _rond(punten)
        if bijdrage <= 0:
            continue
        redenen.append(
            {
                "code": s.soort if s.code is None else f"{s.soort}:{s.code}",
                "toelichting": f"{regel.omschrijving} op {s.peildatum.isoformat()}: {', '.join(uitleg)}.",
                "bijdrage": bijdrage,
                "bronType": s.bron_type,
                "bronId": s.bron_id,
            }
        )
    totaal = sum((r["bijdrage"] for r in redenen), Decimal(0))
    if aanbieder.kwaliteitssysteem and totaal > 0 and model.kwaliteitssysteem_factor != 1:
        gedempt = _rond(totaal * model.kwaliteitssysteem_factor)
        redenen.append(
            _correctie("kwaliteitssysteem", f"Werkend kwaliteitssysteem: score × {model.kwaliteitssysteem_factor}.", gedempt - totaal)
        )
        totaal = gedempt
    if totaal > model.maximum:
        redenen.append(_correctie("maximum", f"Score afgetopt op het maximum van {model.maximum}.", model.maximum - totaal))
        totaal = model.maximum
    gestopt = aanbieder.gestopt_op is not None and aanbieder.gestopt_op <= peildatum
    if gestopt and totaal > 0:
        redenen.append(_correctie("gestopt", f"Zorgaanbieder gestopt op {aanbieder.gestopt_op.isoformat()}.", -totaal))
        totaal = Decimal(0)
    triggers = [] if gestopt else _triggers(model, aanbieder, geordend, oordelen, laatste_oordeel, peildatum)
    for reden in redenen:
        reden["bijdrage"] = float(reden["bijdrage"])
    return Uitkomst(score=totaal, redenen=redenen, triggers=triggers, laatste_oordeel_op=laatste_oordeel)


def _correctie(code: str, toelichting: str, bijdrage: Decimal) -> dict[str, Any]:
    return {"code": code, "toelichting": toelichting, "bijdrage": bijdrage, "bronType": None, "bronId": None}


def _getal_nl(waarde: float | Decimal) -> str:
    return f"{float(waarde):g}".replace(".", ",")


def _triggers(
    model: Risicomodel,
    aanbieder: Aanbieder,
    signalen: Sequence[Signaal],
    oordelen: Sequence[Signaal],
    laatste: date | None,
    peildatum: date,
) -> list[dict[str, Any]]:
    """The hard triggers open at ``peildatum``; a judgement (oordeel) on or after a trigger's start closes it."""

    def beoordeeld_sinds(dag: date, soort: str | None = None) -> bool:
        return any(o.peildatum >= dag and (soort is None or o.code == soort) for o in oordelen)

    def trigger(code: str, toelichting: str, uiterlijk: date | None, bron: Signaal | None) -> dict[str, Any]:
        return {
            "code": code,
            "toelichting": toelichting,
            "uiterlijk": None if uiterlijk is None else uiterlijk.isoformat(),
            "activiteit": model.triggers[code]["activiteit"],
            "bronType": None if bron is None else bron.bron_type,
            "bronId": None if bron is None else bron.bron_id,
        }

    uit: list[dict[str, Any]] = []
    t = model.triggers
    for s in signalen:
        if s.soort == "vergunning-aangevraagd" and "wettelijk-advies" in t and s.actief(peildatum):
            if not beoordeeld_sinds(s.peildatum, ActiviteitSoort.wettelijk_advies) and s.uiterlijk is not None:
                uiterlijk = s.uiterlijk - timedelta(days=int(t["wettelijk-advies"].get("dagen_voor_beslisdatum", 0)))
                uit.append(
                    trigger("wettelijk-advies", f"{t['wettelijk-advies']['toelichting']} (beslisdatum {s.uiterlijk}).", uiterlijk, s)
                )
        elif s.soort == "maatregel":
            regel = t.get("opvolging-maatregel")
            if regel and s.code in regel.get("maatregelen", ()) and s.uiterlijk is not None:
                vanaf = s.uiterlijk - timedelta(days=int(regel.get("zichtbaar_dagen_vooraf", 0)))
                if vanaf <= peildatum and not beoordeeld_sinds(vanaf):
                    uiterlijk = s.uiterlijk + timedelta(days=int(regel.get("dagen_na_einddatum", 0)))
                    uit.append(trigger("opvolging-maatregel", f"{regel['toelichting']} ({s.code}, einddatum {s.uiterlijk}).", uiterlijk, s))
            regel = t.get("lopende-maatregel")
            if regel and s.code in regel.get("maatregelen", ()) and s.actief(peildatum) and not beoordeeld_sinds(s.peildatum):
                uiterlijk = s.peildatum + timedelta(days=int(regel.get("dagen_na_ingang", 0)))
                uit.append(trigger("lopende-maatregel", f"{regel['toelichting']} ({s.code} sinds {s.peildatum}).", uiterlijk, s))
        elif s.soort == "vervolgtoezicht" and "opvolging-maatregel" in t and not beoordeeld_sinds(s.peildatum):
            # handhaving's own word that a term to comply ended (its peildatum the day after, uiterlijk the last day)
            regel = t["opvolging-maatregel"]
            laatste_dag = s.uiterlijk or s.peildatum
            uiterlijk = laatste_dag + timedelta(days=int(regel.get("dagen_na_einddatum", 0)))
            uit.append(
                trigger("opvolging-maatregel", f"{regel['toelichting']} ({s.code}, termijn tot en met {laatste_dag}).", uiterlijk, s)
            )
        elif s.soort == "nieuwe-zorgaanbieder" and "nieuw-niet-bezocht" in t and not beoordeeld_sinds(s.peildatum):
            regel = t["nieuw-niet-bezocht"]
            uiterlijk = maanden_later(s.peildatum, int(regel.get("binnen_maanden", 12)))
            uit.append(trigger("nieuw-niet-bezocht", f"{regel['toelichting']} (start {s.peildatum}).", uiterlijk, s))
    regel = t.get("maximale-termijn-oordeel")
    if regel and laatste is not None:
        maanden = regel.get("maanden_per_sector", {}).get(aanbieder.sector, regel.get("standaard_maanden"))
        if maanden:
            uiterlijk = maanden_later(laatste, int(maanden))
            if uiterlijk - timedelta(days=int(regel.get("zichtbaar_dagen_vooraf", 0))) <= peildatum:
                bron = next(o for o in reversed(oordelen) if o.peildatum == laatste)
                uit.append(trigger("maximale-termijn-oordeel", f"{regel['toelichting']} (laatste oordeel {laatste}).", uiterlijk, bron))
    return sorted(uit, key=lambda x: (x["uiterlijk"] or "9999-12-31", x["code"], x["bronId"] or ""))
