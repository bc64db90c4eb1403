"""What the inspectorate derives from a Wtza melding, as named rules kept in one place.

Pure logic: no database, no web framework. ``beoordeel`` runs every rule of ``REGELS`` in order on the
facts of one melding (``WtzaFeiten``) and returns a ``Beoordeling``: two flags (vergunningplichtig,
meldplichtig) and the ``Aandachtspunt``en (points of attention) that fired, each naming its rule, its
legal basis, a plain Dutch reason without personal data and a suggested follow-up, so that toezicht can
choose a letter, a call, a board conversation or a visit (IGJ Jaarbeeld 2023, "Toetreding").

Thresholds live in ``Drempels`` (environment variables ``REGISTER_REGEL_…``), never in the rules; the
ones docs/domain.md marks **[uncertain]** (the cliëntenraad threshold, the commencement of the licence
duty for small instellingen) are configurable for that reason, the others so that a change in the law
is a configuration change.

Choices made here (documented, tested in ``tests/test_rules.py``):

- **Vergunningplicht is both a flag and an aandachtspunt.** The flag is stored on the provider; the
  aandachtspunt ("vergunningplicht", follow-up: letter) asks toezicht to check that a
  toelatingsvergunning has been applied for. The exemptions of Uitvoeringsbesluit Wtza art. 2 concern
  the meldplicht only and do not lift the licence duty.
- **Medisch-specialistische zorg** counts as delivered when ``levert_msz`` is set *or* the kinds of care
  include ``"medisch-specialistisch"``: a contradictory melding must not hide a licence duty.
- **Meldplicht** holds unless an exemption is claimed or the provider is financed by the Wmo 2015 only.
  A claimed exemption is taken at face value for the flag, but since the provider reported anyway it is
  an aandachtspunt: the melding was not needed, check the claim (follow-up: call). Wmo-only is an
  aandachtspunt without follow-up: supervision belongs to the municipal Wmo-toezichthouder.
- **Timing rules apply only to a melding the Wtza requires** (meldplichtig). "More than 3 months before
  the start" means: the melding date lies before the start date minus 3 calendar months, where the
  day is clamped to the end of a shorter month (start 31 May → earliest 28 February, 29 in a leap
  year); a melding on that earliest day is in time. The Wtza wants the melding *before* care starts:
  a melding dated after the start date is an aandachtspunt; one on the start date itself is not (a date
  cannot tell which came first, and CIBG meldingen without a start date are assessed with the melding
  date as start).
- **Solisten** have no licence, cliëntenraad or intern-toezicht duty here; those rules look at
  instellingen only. ``aantal_clienten`` is part of the facts but no rule uses it (every threshold in
  the brief counts zorgverleners).
- **Vocabularies are checked**: unknown ``soort``, ``financiering``, ``zorgsoorten``, ``uitzondering``
  or follow-up values raise ``ValueError`` rather than silently skipping a rule. The values are the enums
  of ``zorgtoezicht.domain.zorgaanbieders``, which the schemas use as well; the descriptions live here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from zorgtoezicht.domain.zorgaanbieders import Financiering, Uitzondering, Vervolgstap, ZorgaanbiederSoort, Zorgsoort
from zorgtoezicht.termijnen.regels import plus_maanden

# ---------------------------------------------------------------------------------------------------
# Vocabularies
# ---------------------------------------------------------------------------------------------------

SOORTEN: dict[ZorgaanbiederSoort, str] = {
    ZorgaanbiederSoort.solist: "zorgverlener die zelfstandig zorg verleent, zonder anderen in te schakelen (zzp'er)",
    ZorgaanbiederSoort.instelling: "zorgaanbieder die zorg laat verlenen door meer dan één zorgverlener, of door anderen",
}

FINANCIERINGEN: dict[Financiering, str] = {
    Financiering.zvw: "Zorgverzekeringswet",
    Financiering.wlz: "Wet langdurige zorg",
    Financiering.jeugdwet: "Jeugdwet",
    Financiering.wmo: "Wet maatschappelijke ondersteuning 2015",
    Financiering.overig: "andere financiering (particulier, aanvullende verzekering, …)",
}
VERGUNNING_FINANCIERINGEN = frozenset({Financiering.zvw, Financiering.wlz})  # Wtza art. 4: the licence duty follows Zvw/Wlz care

ZORGSOORTEN: dict[Zorgsoort, str] = {  # kinds of care in a melding
    Zorgsoort.medisch_specialistisch: "medisch-specialistische zorg (msz)",
    Zorgsoort.persoonlijke_verzorging: "persoonlijke verzorging",
    Zorgsoort.begeleiding: "begeleiding",
    Zorgsoort.verpleging: "verpleging",
    Zorgsoort.verblijf: "verblijf: cliënten overnachten bij de zorgaanbieder",
    Zorgsoort.ggz: "geestelijke gezondheidszorg",
    Zorgsoort.jeugdhulp: "jeugdhulp",
    Zorgsoort.huisartsenzorg: "huisartsenzorg",
    Zorgsoort.farmacie: "farmaceutische zorg",
    Zorgsoort.paramedisch: "paramedische zorg (fysiotherapie, logopedie, …)",
    Zorgsoort.mondzorg: "mondzorg",
    Zorgsoort.ondersteunend: "ondersteunende werkzaamheden (geen zorg aan cliënten zelf)",
    Zorgsoort.overig: "andere zorg",
}
# Stb. 2025, 147: intern toezicht from 25 zorgverleners on where clients stay overnight, or where the
# provider delivers msz, personal care, guidance or nursing.
VERHOOGD_RISICO_ZORGSOORTEN = frozenset(
    {Zorgsoort.verblijf, Zorgsoort.medisch_specialistisch, Zorgsoort.persoonlijke_verzorging, Zorgsoort.begeleiding, Zorgsoort.verpleging}
)

UITZONDERINGEN: dict[Uitzondering, str] = {  # Uitvoeringsbesluit Wtza art. 2: no meldplicht
    Uitzondering.abortuskliniek_met_waz_vergunning: "abortuskliniek met een vergunning op grond van de Wet afbreking zwangerschap",
    Uitzondering.apotheek: "apotheek",
    Uitzondering.militaire_gezondheidszorg: "militaire gezondheidszorg",
    Uitzondering.regionale_ambulancevoorziening: "regionale ambulancevoorziening",
    Uitzondering.sanquin: "Sanquin (bloedvoorziening)",
    Uitzondering.ggd_jeugdgezondheidszorg: "GGD of gemeentelijke jeugdgezondheidszorg",
    Uitzondering.justitiele_inrichting: "justitiële inrichting",
    Uitzondering.alleen_ondersteunende_werkzaamheden: "zorgaanbieder die alleen ondersteunende werkzaamheden verricht",
}

VERVOLGSTAPPEN: dict[Vervolgstap, str] = {  # the follow-ups toezicht chooses from (IGJ Jaarbeeld 2023)
    Vervolgstap.brief: "brief waarin de zorgaanbieder op de verplichting wordt gewezen",
    Vervolgstap.telefoongesprek: "telefoongesprek",
    Vervolgstap.bestuurlijk_gesprek: "gesprek met de bestuurder",
    Vervolgstap.inspectiebezoek: "inspectiebezoek",
}


# ---------------------------------------------------------------------------------------------------
# Thresholds
# ---------------------------------------------------------------------------------------------------


class Drempels(BaseSettings):
    """Thresholds of the rules, from the environment (``REGISTER_REGEL_<NAAM>``) or the defaults.

    Every "more than N" in the law is the number N here: a rule fires at N + 1.
    """

    model_config = SettingsConfigDict(env_prefix="REGISTER_REGEL_", extra="ignore", frozen=True)

    vergunning_zorgverleners_drempel: int = Field(
        10, ge=0, description="Wtza art. 4: licence duty for Zvw/Wlz care with more than this many zorgverleners"
    )
    vergunningplicht_kleine_instellingen: bool = Field(
        False,
        description="Pending amendment of Wtza art. 4 extending the licence duty to Zvw/Wlz instellingen with at "
        "most the threshold of zorgverleners; commencement [uncertain], so off until it applies",
    )
    clientenraad_drempel: int = Field(
        10, ge=0, description="Wmcz 2018 art. 3: a cliëntenraad with more than this many zorgverleners [uncertain]"
    )
    intern_toezicht_drempel: int = Field(50, ge=0, description="Stb. 2025, 147: intern toezicht with more than this many zorgverleners")
    intern_toezicht_drempel_verhoogd_risico: int = Field(
        25, ge=0, description="Stb. 2025, 147: the same with overnight stay, msz, personal care, guidance or nursing"
    )
    maximaal_vooraf_maanden: int = Field(
        3, ge=0, description="Wtza art. 2: a melding not earlier than this many calendar months before the start of care"
    )


# ---------------------------------------------------------------------------------------------------
# Facts and outcomes
# ---------------------------------------------------------------------------------------------------


def _onbekend(naam: str, waarden: Iterable[str], vocabulaire: dict[str, str]) -> None:
    vreemd = sorted(set(waarden) - vocabulaire.keys())
    if vreemd:
        raise ValueError(f"unknown {naam}: {', '.join(vreemd)} (known: {', '.join(vocabulaire)})")


@dataclass(frozen=True)
class WtzaFeiten:
    """The facts of one Wtza melding that the rules look at (no names, no addresses)."""

    soort: str  # a key of SOORTEN
    financiering: frozenset[str]  # keys of FINANCIERINGEN; any iterable is accepted and frozen
    aantal_zorgverleners: int  # expected care staff (CIBG: after six months)
    aantal_clienten: int | None
    levert_msz: bool  # medisch-specialistische zorg
    zorgsoorten: frozenset[str]  # keys of ZORGSOORTEN; any iterable is accepted and frozen
    uitzondering: str | None  # a key of UITZONDERINGEN: the exemption the provider claims
    heeft_clientenraad: bool
    heeft_intern_toezicht: bool
    startdatum_zorg: date
    meldingsdatum: date

    def __post_init__(self) -> None:
        object.__setattr__(self, "financiering", frozenset(self.financiering))
        object.__setattr__(self, "zorgsoorten", frozenset(self.zorgsoorten))
        _onbekend("soort", [self.soort], SOORTEN)
        _onbekend("financiering", self.financiering, FINANCIERINGEN)
        _onbekend("zorgsoort", self.zorgsoorten, ZORGSOORTEN)
        if self.uitzondering is not None:
            _onbekend("uitzondering", [self.uitzondering], UITZONDERINGEN)
        if self.aantal_zorgverleners < 0 or (self.aantal_clienten is not None and self.aantal_clienten < 0):
            raise ValueError("numbers of zorgverleners and clients cannot be negative")

    @property
    def is_instelling(self) -> bool:
        return self.soort == ZorgaanbiederSoort.instelling

    @property
    def msz(self) -> bool:
        """Delivers medisch-specialistische zorg, by the flag or by the kinds of care."""
        return self.levert_msz or Zorgsoort.medisch_specialistisch in self.zorgsoorten

    @property
    def alleen_wmo(self) -> bool:
        return self.financiering == frozenset({Financiering.wmo})


@dataclass(frozen=True)
class Aandachtspunt:
    regel: str  # id of the rule that fired
    grondslag: str  # legal basis
    reden: str  # plain Dutch, no personal data
    vervolg: str | None = None  # a key of VERVOLGSTAPPEN, or None: nothing for toezicht to do

    def __post_init__(self) -> None:
        if self.vervolg is not None:
            _onbekend("vervolg", [self.vervolg], VERVOLGSTAPPEN)


@dataclass
class Beoordeling:
    vergunningplichtig: bool
    meldplichtig: bool
    aandachtspunten: list[Aandachtspunt] = field(default_factory=list)

    @property
    def regels(self) -> list[str]:
        """The ids of the rules that fired, in the order of ``REGELS``."""
        return [punt.regel for punt in self.aandachtspunten]


# ---------------------------------------------------------------------------------------------------
# The two flags
# ---------------------------------------------------------------------------------------------------


def is_vergunningplichtig(f: WtzaFeiten, d: Drempels) -> bool:
    """Wtza art. 4: an instelling (never a solist) delivering msz, or Zvw/Wlz care with more than
    ``vergunning_zorgverleners_drempel`` zorgverleners; with the pending amendment switched on, Zvw/Wlz
    care at any size."""
    if not f.is_instelling:
        return False
    if f.msz:
        return True
    if not f.financiering & VERGUNNING_FINANCIERINGEN:
        return False
    return f.aantal_zorgverleners > d.vergunning_zorgverleners_drempel or d.vergunningplicht_kleine_instellingen


def is_meldplichtig(f: WtzaFeiten) -> bool:
    """Wtza art. 2: every Wkkgz care provider and jeugdhulpaanbieder, solist or instelling; not the
    exempt categories of Uitvoeringsbesluit Wtza art. 2, not providers financed by the Wmo 2015 only."""
    return f.uitzondering is None and not f.alleen_wmo


def vroegste_meldingsdatum(startdatum_zorg: date, d: Drempels) -> date:
    """The earliest day a melding is in time: the start date minus ``maximaal_vooraf_maanden`` calendar
    months, the day clamped to the end of a shorter month (31 May → 28/29 February)."""
    return plus_maanden(startdatum_zorg, -d.maximaal_vooraf_maanden)


# ---------------------------------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bevinding:
    """What a rule's test found: the reason and the suggested follow-up."""

    reden: str
    vervolg: str | None


Toets = Callable[[WtzaFeiten, Drempels], Bevinding | None]


@dataclass(frozen=True)
class Regel:
    id: str  # kebab-case, stable: stored on aandachtspunten and published in events
    grondslag: str
    omschrijving: str
    toets: Toets

    def __call__(self, feiten: WtzaFeiten, drempels: Drempels) -> list[Aandachtspunt]:
        bevinding = self.toets(feiten, drempels)
        if bevinding is None:
            return []
        return [Aandachtspunt(self.id, self.grondslag, bevinding.reden, bevinding.vervolg)]


def _vergunningplicht(f: WtzaFeiten, d: Drempels) -> Bevinding | None:
    if not is_vergunningplichtig(f, d):
        return None
    if f.msz:
        waarom = "levert medisch-specialistische zorg"
    elif f.aantal_zorgverleners > d.vergunning_zorgverleners_drempel:
        waarom = f"levert Zvw/Wlz-zorg met {f.aantal_zorgverleners} zorgverleners (meer dan {d.vergunning_zorgverleners_drempel})"
    else:
        waarom = "levert Zvw/Wlz-zorg (uitbreiding van de vergunningplicht naar kleine instellingen)"
    return Bevinding(f"De instelling {waarom}: een toelatingsvergunning is nodig. Controleer of die is aangevraagd.", Vervolgstap.brief)


def _meldplicht_uitzondering(f: WtzaFeiten, d: Drempels) -> Bevinding | None:
    if f.uitzondering is None:
        return None
    return Bevinding(
        f"Gemeld als {UITZONDERINGEN[f.uitzondering]}, waarvoor geen meldplicht geldt: de melding was niet "
        "nodig. Controleer of de uitzondering terecht is geclaimd.",
        Vervolgstap.telefoongesprek,
    )


def _meldplicht_alleen_wmo(f: WtzaFeiten, d: Drempels) -> Bevinding | None:
    if not f.alleen_wmo:
        return None
    return Bevinding(
        "Zorg die alleen uit de Wmo 2015 wordt betaald valt niet onder de meldplicht: de melding was niet "
        "nodig. Het toezicht ligt bij de gemeentelijke Wmo-toezichthouder.",
        None,
    )


def _melding_te_vroeg(f: WtzaFeiten, d: Drempels) -> Bevinding | None:
    if not is_meldplichtig(f):
        return None
    vroegst = vroegste_meldingsdatum(f.startdatum_zorg, d)
    if f.meldingsdatum >= vroegst:
        return None
    return Bevinding(
        f"Gemeld op {f.meldingsdatum.isoformat()}, meer dan {d.maximaal_vooraf_maanden} maanden voor de start "
        f"van de zorg op {f.startdatum_zorg.isoformat()} (op zijn vroegst {vroegst.isoformat()}). "
        "Vraag of de startdatum klopt.",
        Vervolgstap.brief,
    )


def _melding_na_start(f: WtzaFeiten, d: Drempels) -> Bevinding | None:
    if not is_meldplichtig(f) or f.meldingsdatum <= f.startdatum_zorg:
        return None
    return Bevinding(
        f"Gemeld op {f.meldingsdatum.isoformat()}, na de start van de zorg op {f.startdatum_zorg.isoformat()}: "
        "de melding moet voor de start worden gedaan.",
        Vervolgstap.brief,
    )


def _clientenraad(f: WtzaFeiten, d: Drempels) -> Bevinding | None:
    if not f.is_instelling or f.heeft_clientenraad or f.aantal_zorgverleners <= d.clientenraad_drempel:
        return None
    return Bevinding(
        f"Met {f.aantal_zorgverleners} zorgverleners (meer dan {d.clientenraad_drempel}) is een cliëntenraad "
        "vereist, maar er is er geen gemeld.",
        Vervolgstap.brief,
    )


def _intern_toezicht(f: WtzaFeiten, d: Drempels) -> Bevinding | None:
    if not f.is_instelling or f.heeft_intern_toezicht:
        return None
    verhoogd = f.msz or bool(f.zorgsoorten & VERHOOGD_RISICO_ZORGSOORTEN)
    drempel = d.intern_toezicht_drempel_verhoogd_risico if verhoogd else d.intern_toezicht_drempel
    if f.aantal_zorgverleners <= drempel:
        return None
    waarom = " bij verblijf, medisch-specialistische zorg, persoonlijke verzorging, begeleiding of verpleging" if verhoogd else ""
    return Bevinding(
        f"Met {f.aantal_zorgverleners} zorgverleners (meer dan {drempel}{waarom}) is intern toezicht vereist, maar het is niet gemeld.",
        Vervolgstap.bestuurlijk_gesprek,
    )


REGELS: list[Regel] = [  # in this order in every outcome
    Regel(
        "vergunningplicht",
        "Wtza art. 4",
        "Instelling met msz, of Zvw/Wlz-zorg met meer zorgverleners dan de drempel: toelatingsvergunning nodig.",
        _vergunningplicht,
    ),
    Regel(
        "meldplicht-uitzondering",
        "Uitvoeringsbesluit Wtza art. 2",
        "Een uitgezonderde categorie meldde zich toch: melding niet nodig, claim controleren.",
        _meldplicht_uitzondering,
    ),
    Regel("meldplicht-alleen-wmo", "Wtza art. 2", "Alleen Wmo-zorg valt niet onder de meldplicht.", _meldplicht_alleen_wmo),
    Regel(
        "melding-te-vroeg",
        "Wtza art. 2",
        "Melding meer dan het maximum aantal kalendermaanden voor de start van de zorg.",
        _melding_te_vroeg,
    ),
    Regel("melding-na-start", "Wtza art. 2", "Melding gedaan na de start van de zorg, terwijl die ervoor moet.", _melding_na_start),
    Regel("clientenraad-ontbreekt", "Wmcz 2018 art. 3", "Instelling boven de drempel voor een cliëntenraad meldt er geen.", _clientenraad),
    Regel(
        "intern-toezicht-ontbreekt",
        "Wtza art. 5 / Stb. 2025, 147",
        "Instelling boven de drempel voor intern toezicht (lager bij verhoogd risico) meldt het niet.",
        _intern_toezicht,
    ),
]
REGELS_PER_ID: dict[str, Regel] = {regel.id: regel for regel in REGELS}
if len(REGELS_PER_ID) != len(REGELS):
    raise RuntimeError("rule ids must be unique")


def beoordeel(feiten: WtzaFeiten, drempels: Drempels | None = None) -> Beoordeling:
    """Run every rule of ``REGELS`` in order; ``drempels`` defaults to the environment."""
    drempels = drempels if drempels is not None else Drempels()
    punten = [punt for regel in REGELS for punt in regel(feiten, drempels)]
    return Beoordeling(is_vergunningplichtig(feiten, drempels), is_meldplichtig(feiten), punten)
