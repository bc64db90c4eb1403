"""Register's API bodies (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import Field

from zorgtoezicht.domain.identifiers import GemeenteNaam, KvkNummer, Postcode, Vestigingsnummer
from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.http.schemas import ApiModel, Page


class VestigingIn(ApiModel):
    vestigingsnummer: Vestigingsnummer
    naam: str | None = Field(None, min_length=1, max_length=200)
    postcode: Postcode
    gemeente: GemeenteNaam


class ZorgaanbiederIn(ApiModel):
    """A care provider as entered in the register."""

    kvk_nummer: KvkNummer
    naam: str = Field(min_length=1, max_length=200, description="Statutaire naam")
    vestigingen: list[VestigingIn] = Field(min_length=1, max_length=500)


class Vestiging(ApiModel):
    vestigingsnummer: str
    naam: str | None = None
    postcode: str
    gemeente: str


class ActieveMaatregel(ApiModel):
    maatregel_id: uuid.UUID
    soort: MaatregelSoort
    ingangsdatum: date
    einddatum: date | None = None


class ZorgaanbiederSamenvatting(ApiModel):
    id: uuid.UUID
    kvk_nummer: str
    naam: str
    gewijzigd_op: datetime


class Zorgaanbieder(ZorgaanbiederSamenvatting):
    geregistreerd_op: datetime
    vestigingen: list[Vestiging]
    actieve_maatregelen: list[ActieveMaatregel] = []


class ZorgaanbiederPagina(Page[ZorgaanbiederSamenvatting]):
    """A page of care providers in KvK-nummer order."""
