"""Register's API bodies (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from zorgtoezicht.domain.gemeenten import naam_van
from zorgtoezicht.domain.identifiers import AgbCode, GemeenteCode, GemeenteNaam, KvkNummer, Postcode, Vestigingsnummer
from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.domain.zorgaanbieders import (
    AandachtspuntStatus,
    Financiering,
    Intrekkingsgrond,
    Rechtsvorm,
    Uitzondering,
    VergunningStatus,
    Vergunningstatus,
    Vervolgstap,
    ZorgaanbiederSoort,
    ZorgaanbiederStatus,
    Zorgsoort,
)
from zorgtoezicht.http.schemas import ApiModel, Page


class VestigingIn(ApiModel):
    vestigingsnummer: Vestigingsnummer
    naam: str | None = Field(None, min_length=1, max_length=200)
    adres: str | None = Field(None, min_length=1, max_length=200, description="Street and house number")
    postcode: Postcode
    plaats: str | None = Field(None, min_length=1, max_length=100)
    gemeente_code: GemeenteCode | None = Field(None, description="CBS code; the gemeente name follows from it")
    gemeente: GemeenteNaam | None = Field(None, description="Name of the gemeente, when no code is given")

    @field_validator("gemeente_code")
    @classmethod
    def _bestaande_gemeente(cls, code: str | None) -> str | None:
        if code is not None and naam_van(code) is None:
            raise PydanticCustomError("gemeente_code", "{code} is not a current CBS municipality code", {"code": code})
        return code

    @model_validator(mode="after")
    def _gemeente(self) -> VestigingIn:
        if self.gemeente_code is not None:
            naam = naam_van(self.gemeente_code)
            if self.gemeente is not None and self.gemeente != naam:
                raise ValueError(f"gemeente {self.gemeente!r} does not match gemeenteCode {self.gemeente_code} ({naam})")
            self.gemeente = naam
        elif self.gemeente is None:
            raise ValueError("give gemeenteCode (or at least gemeente)")
        return self


class ZorgaanbiederGegevens(ApiModel):
    """The facts of a care provider, as CIBG, a bulk export or staff deliver them."""

    kvk_nummer: KvkNummer
    statutaire_naam: str = Field(min_length=1, max_length=200)
    handelsnamen: list[str] = Field(default_factory=list, max_length=20)
    rechtsvorm: Rechtsvorm | None = None
    soort: ZorgaanbiederSoort = ZorgaanbiederSoort.instelling
    agb_code: AgbCode | None = None
    sectoren: list[Sector] = Field(default_factory=list, max_length=11)
    zorgsoorten: list[Zorgsoort] = Field(default_factory=list, max_length=13)
    financiering: list[Financiering] = Field(default_factory=list, max_length=5)
    aantal_zorgverleners: int | None = Field(None, ge=0, le=1_000_000)
    aantal_clienten: int | None = Field(None, ge=0, le=100_000_000)
    heeft_clientenraad: bool | None = None
    heeft_intern_toezicht: bool | None = None
    levert_msz: bool = Field(False, description="Delivers medisch-specialistische zorg")
    startdatum_zorg: date | None = None
    status: ZorgaanbiederStatus = ZorgaanbiederStatus.actief
    vestigingen: list[VestigingIn] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _unieke_vestigingen(self) -> ZorgaanbiederGegevens:
        nummers = [v.vestigingsnummer for v in self.vestigingen]
        doubles = sorted({n for n in nummers if nummers.count(n) > 1})
        if doubles:
            raise ValueError(f"vestigingsnummer occurs more than once: {', '.join(doubles)}")
        return self


class Vestiging(ApiModel):
    vestigingsnummer: str
    naam: str | None = None
    adres: str | None = None
    postcode: str
    plaats: str | None = None
    gemeente_code: str | None = None
    gemeente: str


class ActieveMaatregel(ApiModel):
    maatregel_id: uuid.UUID
    soort: MaatregelSoort
    ingangsdatum: date
    einddatum: date | None = None


class AandachtspuntUit(ApiModel):
    id: uuid.UUID
    regel: str
    grondslag: str
    reden: str
    vervolg: Vervolgstap | None = None
    status: AandachtspuntStatus
    ontstaan_op: datetime


class ZorgaanbiederSamenvatting(ApiModel):
    id: uuid.UUID
    kvk_nummer: str
    statutaire_naam: str
    soort: ZorgaanbiederSoort
    status: ZorgaanbiederStatus
    sectoren: list[str]
    vergunningstatus: Vergunningstatus
    gewijzigd_op: datetime


class Zorgaanbieder(ZorgaanbiederSamenvatting):
    handelsnamen: list[str]
    rechtsvorm: Rechtsvorm | None = None
    agb_code: str | None = None
    zorgsoorten: list[Zorgsoort]
    financiering: list[Financiering]
    aantal_zorgverleners: int | None = None
    aantal_clienten: int | None = None
    heeft_clientenraad: bool | None = None
    heeft_intern_toezicht: bool | None = None
    levert_msz: bool
    startdatum_zorg: date | None = None
    vergunningplichtig: bool
    versie: int
    geregistreerd_op: datetime
    vestigingen: list[Vestiging]
    actieve_maatregelen: list[ActieveMaatregel] = []
    open_aandachtspunten: list[AandachtspuntUit] = []


class ZorgaanbiederPagina(Page[ZorgaanbiederSamenvatting]):
    """A page of care providers in a stable order."""


class WtzaMeldingIn(ApiModel):
    """A Wtza melding (Wtza art. 2) as CIBG forwards it from the entry portal."""

    cibg_referentie: str = Field(
        min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$", description="CIBG's own reference of the melding: the idempotency key"
    )
    meldingsdatum: date = Field(description="The day the provider made the melding")
    uitzondering: Uitzondering | None = Field(None, description="Exemption category claimed (Uitvoeringsbesluit Wtza art. 2)")
    zorgaanbieder: ZorgaanbiederGegevens


class AandachtspuntFeit(ApiModel):
    regel: str
    grondslag: str
    reden: str
    vervolg: Vervolgstap | None = None


class WtzaMeldingResultaat(ApiModel):
    cibg_referentie: str
    zorgaanbieder_id: uuid.UUID
    nieuwe_zorgaanbieder: bool
    vergunningplichtig: bool
    meldplichtig: bool
    aandachtspunten: list[AandachtspuntFeit]


class Beeindiging(ApiModel):
    einddatum: date = Field(description="Last day of care")


class VergunningAanvraagIn(ApiModel):
    cibg_referentie: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    zorgaanbieder_id: uuid.UUID
    aanvraag_compleet_op: date = Field(description="The day the application was complete: the decision term starts")


class VergunningBesluitIn(ApiModel):
    besluit: Literal[VergunningStatus.verleend, VergunningStatus.geweigerd]
    besluitdatum: date
    weigeringsgrond: str | None = Field(None, min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _grond_bij_weigering(self) -> VergunningBesluitIn:
        if self.besluit == VergunningStatus.geweigerd and not self.weigeringsgrond:
            raise ValueError("a weigering needs a weigeringsgrond")
        if self.besluit == VergunningStatus.verleend and self.weigeringsgrond:
            raise ValueError("a verlening has no weigeringsgrond")
        return self


class IntrekkingIn(ApiModel):
    intrekkingsdatum: date
    grond: Intrekkingsgrond = Field(description="Legal ground for withdrawal (Wtza art. 8)")


class VergunningUit(ApiModel):
    id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    cibg_referentie: str
    status: VergunningStatus
    aanvraag_compleet_op: date
    uiterste_beslisdatum: date
    besluitdatum: date | None = None
    weigeringsgrond: str | None = None
    intrekkingsdatum: date | None = None
    intrekkingsgrond: Intrekkingsgrond | None = None
    achterstallig: bool = Field(False, description="Still undecided after the decision term")


class VergunningPagina(Page[VergunningUit]):
    """A page of licences, earliest decision deadline first."""


class Zoekopdracht(ApiModel):
    """Search criteria (all optional, combined with AND). In a body, because a name may be a person's."""

    naam: str | None = Field(None, min_length=2, max_length=200, description="Name or part of it; typos are tolerated")
    kvk_nummer: KvkNummer | None = None
    vestigingsnummer: Vestigingsnummer | None = None
    postcode: Postcode | None = None
    gemeente_code: GemeenteCode | None = None
    gemeente: GemeenteNaam | None = None
    sector: Sector | None = None
    vergunningstatus: Vergunningstatus | None = None
    status: ZorgaanbiederStatus | None = None
    page_size: int = Field(20, ge=1, le=200)
    cursor: str | None = Field(None, max_length=500)


class ZoekResultaat(ZorgaanbiederSamenvatting):
    score: float | None = Field(None, description="Name similarity 0–1 when searching by name")


class ZoekPagina(ApiModel):
    """A page of search results: closest name first, else by KvK-nummer. For the next page, post
    the same criteria with ``cursor`` set to ``nextCursor``."""

    results: list[ZoekResultaat]
    next_cursor: str | None = None


class Wijziging(ApiModel):
    zorgaanbieder_id: uuid.UUID
    gewijzigd_op: datetime = Field(description="First change of this provider inside the window")


class WijzigingenPagina(Page[Wijziging]):
    """Providers changed in a window, each once, in order of change."""
