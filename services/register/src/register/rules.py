"""What the inspectorate derives from a Wtza melding, as named rules kept in one place.

Each rule has an id, a legal basis and yields ``Aandachtspunt``en (points of attention) with a plain
reason and a suggested follow-up, so that toezicht can choose a letter, a call or a visit. Thresholds
the brief marks uncertain live in ``Drempels`` (env ``REGISTER_REGEL_…``), never in the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from pydantic_settings import BaseSettings, SettingsConfigDict

from zorgtoezicht.termijnen.regels import plus_maanden

VERHOOGD_RISICO_ZORGSOORTEN = frozenset({"verblijf", "medisch-specialistisch", "persoonlijke-verzorging", "begeleiding", "verpleging"})
UITZONDERINGEN = {  # Uitvoeringsbesluit Wtza art. 2: no meldplicht
    "abortuskliniek-met-waz-vergunning": "abortuskliniek met een vergunning op grond van de Wet afbreking zwangerschap",
    "apotheek": "apotheek",
    "militaire-gezondheidszorg": "militaire gezondheidszorg",
    "regionale-ambulancevoorziening": "regionale ambulancevoorziening",
    "sanquin": "Sanquin (bloedvoorziening)",
    "ggd-jeugdgezondheidszorg": "GGD of gemeentelijke jeugdgezondheidszorg",
    "justitiele-inrichting": "justitiële inrichting",
    "alleen-ondersteunende-werkzaamheden": "alleen ondersteunende werkzaamheden",
}


class Drempels(BaseSettings):
    """Thresholds of the rules; the uncertain ones are configurable (domain.md)."""

    model_config = SettingsConfigDict(env_prefix="REGISTER_REGEL_", extra="ignore")

    vergunning_zorgverleners: int = 10  # Wtza art. 4: more than 10 zorgverleners (Zvw/Wlz)
    vergunningplicht_kleine_instellingen: bool = False  # pending amendment, commencement uncertain
    clientenraad_zorgverleners: int = 10  # Wmcz 2018, commonly more than 10 [uncertain]
    intern_toezicht_zorgverleners: int = 50  # Stb. 2025, 147
    intern_toezicht_zorgverleners_verhoogd_risico: int = 25  # overnight stay, msz, care, guidance, nursing
    maximaal_vooraf_maanden: int = 3  # Wtza art. 2: not earlier than 3 months before the start


@dataclass(frozen=True)
class WtzaFeiten:
    soort: str  # solist | instelling
    financiering: frozenset[str]
    aantal_zorgverleners: int
    aantal_clienten: int | None
    levert_msz: bool
    zorgsoorten: frozenset[str]
    uitzondering: str | None
    heeft_clientenraad: bool
    heeft_intern_toezicht: bool
    startdatum_zorg: date
    meldingsdatum: date


@dataclass(frozen=True)
class Aandachtspunt:
    regel: str
    grondslag: str
    reden: str
    vervolg: str | None = None  # brief | telefoongesprek | bestuurlijk-gesprek | inspectiebezoek


@dataclass
class Beoordeling:
    vergunningplichtig: bool
    meldplichtig: bool
    aandachtspunten: list[Aandachtspunt] = field(default_factory=list)


def is_vergunningplichtig(f: WtzaFeiten, d: Drempels) -> bool:
    """Wtza art. 4: an instelling delivering msz, or Zvw/Wlz care with more than 10 zorgverleners."""
    if f.soort != "instelling":
        return False
    zvw_wlz = bool(f.financiering & {"zvw", "wlz"})
    return f.levert_msz or (zvw_wlz and (f.aantal_zorgverleners > d.vergunning_zorgverleners or d.vergunningplicht_kleine_instellingen))


def is_meldplichtig(f: WtzaFeiten) -> bool:
    """Wtza art. 2: Wkkgz providers and jeugdhulpaanbieders; not the exempt, not Wmo-only providers."""
    return f.uitzondering is None and f.financiering != frozenset({"wmo"})


def _vergunningplicht(f: WtzaFeiten, d: Drempels) -> list[Aandachtspunt]:
    if not is_vergunningplichtig(f, d):
        return []
    waarom = "levert medisch-specialistische zorg" if f.levert_msz else (
        f"levert Zvw/Wlz-zorg met {f.aantal_zorgverleners} zorgverleners (meer dan {d.vergunning_zorgverleners})"
        if f.aantal_zorgverleners > d.vergunning_zorgverleners else "levert Zvw/Wlz-zorg (uitbreiding vergunningplicht)")
    return [Aandachtspunt("vergunningplicht", "Wtza art. 4", f"Instelling {waarom}: een toelatingsvergunning is vereist.", "brief")]


def _uitzondering(f: WtzaFeiten, d: Drempels) -> list[Aandachtspunt]:
    if f.uitzondering is not None:
        return [Aandachtspunt("meldplicht-uitzondering", "Uitvoeringsbesluit Wtza art. 2",
                              f"Gemeld als {UITZONDERINGEN.get(f.uitzondering, f.uitzondering)}, waarvoor geen meldplicht geldt: "
                              "controleer of de uitzondering terecht is.", "telefoongesprek")]
    if f.financiering == frozenset({"wmo"}):
        return [Aandachtspunt("alleen-wmo", "Wtza art. 2",
                              "Alleen Wmo-zorg valt niet onder de meldplicht; toezicht ligt bij de gemeentelijke toezichthouder.", None)]
    return []


def _te_vroeg(f: WtzaFeiten, d: Drempels) -> list[Aandachtspunt]:
    vroegst = plus_maanden(f.startdatum_zorg, -d.maximaal_vooraf_maanden)
    if f.meldingsdatum < vroegst:
        return [Aandachtspunt("melding-te-vroeg", "Wtza art. 2",
                              f"Gemeld op {f.meldingsdatum.isoformat()}, meer dan {d.maximaal_vooraf_maanden} maanden voor de start "
                              f"van de zorg op {f.startdatum_zorg.isoformat()} (vroegst {vroegst.isoformat()}).", "brief")]
    return []


def _clientenraad(f: WtzaFeiten, d: Drempels) -> list[Aandachtspunt]:
    if f.soort == "instelling" and f.aantal_zorgverleners > d.clientenraad_zorgverleners and not f.heeft_clientenraad:
        return [Aandachtspunt("clientenraad-ontbreekt", "Wmcz 2018 art. 3",
                              f"Met {f.aantal_zorgverleners} zorgverleners (meer dan {d.clientenraad_zorgverleners}) is een "
                              "cliëntenraad vereist, maar er is er geen gemeld.", "brief")]
    return []


def _intern_toezicht(f: WtzaFeiten, d: Drempels) -> list[Aandachtspunt]:
    if f.soort != "instelling" or f.heeft_intern_toezicht:
        return []
    verhoogd = f.levert_msz or bool(f.zorgsoorten & VERHOOGD_RISICO_ZORGSOORTEN)
    drempel = d.intern_toezicht_zorgverleners_verhoogd_risico if verhoogd else d.intern_toezicht_zorgverleners
    if f.aantal_zorgverleners > drempel:
        waarom = " bij verblijf, medisch-specialistische zorg, verzorging, begeleiding of verpleging" if verhoogd else ""
        return [Aandachtspunt("intern-toezicht-ontbreekt", "Wtza art. 5 / Stb. 2025, 147",
                              f"Met {f.aantal_zorgverleners} zorgverleners (meer dan {drempel}{waarom}) is intern toezicht "
                              "vereist, maar het is niet gemeld.", "bestuurlijk-gesprek")]
    return []


Regel = Callable[[WtzaFeiten, Drempels], list[Aandachtspunt]]
REGELS: list[tuple[str, Regel]] = [  # in this order in every outcome
    ("vergunningplicht", _vergunningplicht),
    ("meldplicht-uitzondering", _uitzondering),
    ("melding-te-vroeg", _te_vroeg),
    ("clientenraad-ontbreekt", _clientenraad),
    ("intern-toezicht-ontbreekt", _intern_toezicht),
]


def beoordeel(feiten: WtzaFeiten, drempels: Drempels | None = None) -> Beoordeling:
    drempels = drempels or Drempels()
    punten = [punt for _, regel in REGELS for punt in regel(feiten, drempels)]
    return Beoordeling(is_vergunningplichtig(feiten, drempels), is_meldplichtig(feiten), punten)
