"""The 11 zorgsectoren of the IGJ Jaarbeeld table "Aantal ontvangen meldingen per zorgsector"."""

from __future__ import annotations

from enum import StrEnum


class Sector(StrEnum):
    eerstelijnszorg = "eerstelijnszorg"
    farmaceutische_producten = "farmaceutische-producten"
    ggz = "ggz"
    gehandicaptenzorg = "gehandicaptenzorg"
    jeugd = "jeugd"
    medisch_specialistische_zorg = "medisch-specialistische-zorg"
    medische_technologie = "medische-technologie"
    preventie = "preventie"
    verpleging_en_verzorging = "verpleging-en-verzorging"
    asielzoekers_en_justitiabelen = "zorg-voor-asielzoekers-en-justitiabelen"
    sector_overstijgend = "sector-overstijgend"

    @property
    def jaarbeeld_naam(self) -> str:
        return JAARBEELD_NAMEN[self]


JAARBEELD_NAMEN = {
    Sector.eerstelijnszorg: "Eerstelijnszorg",
    Sector.farmaceutische_producten: "Farmaceutische producten",
    Sector.ggz: "GGZ",
    Sector.gehandicaptenzorg: "Gehandicaptenzorg",
    Sector.jeugd: "Jeugd",
    Sector.medisch_specialistische_zorg: "Medisch specialistische zorg",
    Sector.medische_technologie: "Medische technologie",
    Sector.preventie: "Preventie",
    Sector.verpleging_en_verzorging: "Verpleging en verzorging",
    Sector.asielzoekers_en_justitiabelen: "Zorg voor asielzoekers en justitiabelen",
    Sector.sector_overstijgend: "Sector overstijgend",
}
