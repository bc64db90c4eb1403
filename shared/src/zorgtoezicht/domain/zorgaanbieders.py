"""Vocabulary of the Wtza register of care providers: kinds, legal forms, financing, kinds of care, statuses,
licence statuses and grounds, exemptions and follow-ups. Declared here once; register's rules keep the
Dutch descriptions and the legal reasoning."""

from __future__ import annotations

from enum import StrEnum


class ZorgaanbiederSoort(StrEnum):
    solist = "solist"
    instelling = "instelling"


class Rechtsvorm(StrEnum):
    eenmanszaak = "eenmanszaak"
    vof = "vof"
    maatschap = "maatschap"
    cv = "cv"
    bv = "bv"
    nv = "nv"
    stichting = "stichting"
    vereniging = "vereniging"
    cooperatie = "cooperatie"
    publiekrechtelijk = "publiekrechtelijk"
    overig = "overig"


class Financiering(StrEnum):
    zvw = "zvw"
    wlz = "wlz"
    jeugdwet = "jeugdwet"
    wmo = "wmo"
    overig = "overig"


class Zorgsoort(StrEnum):
    medisch_specialistisch = "medisch-specialistisch"
    persoonlijke_verzorging = "persoonlijke-verzorging"
    begeleiding = "begeleiding"
    verpleging = "verpleging"
    verblijf = "verblijf"
    ggz = "ggz"
    jeugdhulp = "jeugdhulp"
    huisartsenzorg = "huisartsenzorg"
    farmacie = "farmacie"
    paramedisch = "paramedisch"
    mondzorg = "mondzorg"
    ondersteunend = "ondersteunend"
    overig = "overig"


class ZorgaanbiederStatus(StrEnum):
    aangemeld = "aangemeld"  # reported before the start of care
    actief = "actief"
    gestopt = "gestopt"


class VergunningStatus(StrEnum):
    """A toelatingsvergunning (Wtza art. 4): aangevraagd → verleend | geweigerd; verleend → ingetrokken."""

    aangevraagd = "aangevraagd"
    verleend = "verleend"
    geweigerd = "geweigerd"
    ingetrokken = "ingetrokken"


# A provider's licence status: that of its latest licence, or geen when it never applied.
Vergunningstatus = StrEnum("Vergunningstatus", [("geen", "geen"), *((s.name, s.value) for s in VergunningStatus)], module=__name__)


class Uitzondering(StrEnum):
    """The categories exempt from the meldplicht (Uitvoeringsbesluit Wtza art. 2)."""

    abortuskliniek_met_waz_vergunning = "abortuskliniek-met-waz-vergunning"
    apotheek = "apotheek"
    militaire_gezondheidszorg = "militaire-gezondheidszorg"
    regionale_ambulancevoorziening = "regionale-ambulancevoorziening"
    sanquin = "sanquin"
    ggd_jeugdgezondheidszorg = "ggd-jeugdgezondheidszorg"
    justitiele_inrichting = "justitiele-inrichting"
    alleen_ondersteunende_werkzaamheden = "alleen-ondersteunende-werkzaamheden"


class Intrekkingsgrond(StrEnum):
    """The legal grounds for withdrawing a toelatingsvergunning (Wtza art. 8)."""

    onjuiste_gegevens = "onjuiste-gegevens"
    een_jaar_geen_zorg = "een-jaar-geen-zorg"
    instelling_bestaat_niet_meer = "instelling-bestaat-niet-meer"
    bestuur_wezenlijk_gewijzigd = "bestuur-wezenlijk-gewijzigd"
    geen_vog = "geen-vog"
    intern_toezicht_ontoereikend = "intern-toezicht-ontoereikend"
    wkkgz_niet_nageleefd = "wkkgz-niet-nageleefd"
    wmg_niet_nageleefd = "wmg-niet-nageleefd"
    wmcz_niet_nageleefd = "wmcz-niet-nageleefd"


class Vervolgstap(StrEnum):
    """The follow-ups toezicht chooses from for an aandachtspunt (IGJ Jaarbeeld 2023, "Toetreding")."""

    brief = "brief"
    telefoongesprek = "telefoongesprek"
    bestuurlijk_gesprek = "bestuurlijk-gesprek"
    inspectiebezoek = "inspectiebezoek"


class AandachtspuntStatus(StrEnum):
    open = "open"
    afgehandeld = "afgehandeld"
