"""Kinds of melding the Landelijk Meldpunt Zorg receives, with their legal basis (domain.md)."""

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
