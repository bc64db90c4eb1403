"""Vocabulary of meldingen at the Landelijk Meldpunt Zorg: their kinds with the legal basis (domain.md),
statuses, triage routes and priorities, melder roles, channels and severities. Declared here once."""

from __future__ import annotations

from enum import StrEnum


class MeldingSoort(StrEnum):
    wkkgz_calamiteit = "wkkgz-calamiteit"  # Wkkgz art. 11 lid 1 a
    wkkgz_geweld = "wkkgz-geweld"  # Wkkgz art. 11 lid 1 b: geweld in de zorgrelatie
    wkkgz_ontslag = "wkkgz-ontslag-disfunctioneren"  # Wkkgz art. 11 lid 1 c
    jeugdwet_calamiteit = "jeugdwet-calamiteit"  # Jeugdwet art. 4.1.8
    jeugdwet_geweld = "jeugdwet-geweld"
    wmo_calamiteit = "wmo-calamiteit"  # Wmo 2015 art. 3.4: to the municipal toezichthouder
    wmo_geweld = "wmo-geweld"
    medisch_hulpmiddel = "medisch-hulpmiddel-incident"  # EU MDR 2017/745 art. 87
    geneesmiddel = "geneesmiddel-tekort-of-defect"  # Geneesmiddelenwet art. 49
    signaal = "signaal"
    klacht = "klacht"
    vals_diploma_of_vog = "vals-diploma-of-vog"
    illegale_handel = "illegale-handel-geneesmiddelen"


class MeldingStatus(StrEnum):
    """Where a melding is in its handling; the allowed moves are meldpunt's workflow table."""

    ontvangen = "ontvangen"
    getrieerd = "getrieerd"
    in_behandeling = "in-behandeling"
    wacht_op_zorgaanbieder = "wacht-op-zorgaanbieder"
    afgesloten = "afgesloten"
    doorverwezen = "doorverwezen"
    heropend = "heropend"


# Handling ended (until the melding is heropend); every other status is still open.
AFGERONDE_STATUSSEN = frozenset({MeldingStatus.afgesloten, MeldingStatus.doorverwezen})
OPEN_STATUSSEN = tuple(s for s in MeldingStatus if s not in AFGERONDE_STATUSSEN)


class Route(StrEnum):
    """The route triage chooses for a melding."""

    direct_escaleren = "direct-escaleren"
    onderzoek_door_zorgaanbieder = "onderzoek-door-zorgaanbieder"  # the provider investigates and reports
    beoordelen = "beoordelen"
    registreren = "registreren"
    doorverwijzen = "doorverwijzen"


class Prioriteit(StrEnum):
    hoog = "hoog"
    normaal = "normaal"
    laag = "laag"


class MelderRol(StrEnum):
    """Who reports."""

    zorgaanbieder = "zorgaanbieder"
    burger_naaste = "burger-naaste"
    fabrikant = "fabrikant"
    gemeente = "gemeente"
    toezichthouder = "toezichthouder"
    intern = "intern"


class Kanaal(StrEnum):
    """How a melding came in."""

    webformulier = "webformulier"
    telefoon = "telefoon"
    e_mail = "e-mail"
    partner_api = "partner-api"


class HulpmiddelErnst(StrEnum):
    """Severity of a medical device incident; it sets the reporting term (EU MDR 2017/745 art. 87)."""

    ernstig_incident = "ernstig-incident"  # lid 3: 15 days
    overlijden_of_ernstige_verslechtering = "overlijden-of-ernstige-verslechtering"  # lid 5: 10 days
    ernstige_bedreiging_volksgezondheid = "ernstige-bedreiging-volksgezondheid"  # lid 4: 2 days


class GeweldVorm(StrEnum):
    """The form of geweld in the zorgrelatie (Wkkgz and Jeugdwet meldingen)."""

    fysiek = "fysiek"
    psychisch = "psychisch"
    seksueel = "seksueel"
    verwaarlozing = "verwaarlozing"
    dwang = "dwang"
    anders = "anders"
