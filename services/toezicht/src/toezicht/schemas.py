"""toezicht's API bodies."""

from __future__ import annotations

import uuid
from datetime import datetime

from zorgtoezicht.http.schemas import ApiModel, Page


class Risicoprofiel(ApiModel):
    zorgaanbieder_id: uuid.UUID
    aantal_signalen: int
    bijgewerkt_op: datetime


class RisicoprofielPagina(Page[Risicoprofiel]):
    """A page of risk profiles, most signals first."""


# --- supervision activities and judgements (api_activiteiten) --------------------------------------------------

from datetime import date  # noqa: E402  (this section's own imports: the file is shared, its header is not ours)

from pydantic import Field  # noqa: E402

from zorgtoezicht.domain.sectoren import Sector  # noqa: E402
from zorgtoezicht.domain.toezicht import (  # noqa: E402
    ActiviteitSoort,
    ActiviteitStatus,
    Bezoekvorm,
    Ernst,
    Normoordeel,
    Selectieroute,
)


class ToezichtactiviteitIn(ApiModel):
    """An activity entered by hand (selectieroute handmatig): proposed, or planned at once when ``geplandOp`` is given."""

    zorgaanbieder_id: uuid.UUID
    soort: ActiviteitSoort
    selectiereden: str = Field(min_length=1, max_length=1000, description="Why by hand; no personal data")
    sector: Sector | None = Field(None, description="Picks the normenkader; default the sector of the provider's risk profile")
    thema: str | None = Field(None, min_length=1, max_length=200)
    aangekondigd: bool | None = Field(None, description="Only for an inspectiebezoek (default unannounced)")
    vorm: Bezoekvorm | None = Field(None, description="Physical or digital: visits and conversations only (a visit: default fysiek)")
    uiterlijk: date | None = Field(None, description="A deadline, if any (e.g. a wettelijk verplicht advies)")
    gepland_op: date | None = None


class ActiviteitStatusRegel(ApiModel):
    status: ActiviteitStatus
    sinds: datetime
    door: str
    toelichting: str | None = None


class ToezichtactiviteitSamenvatting(ApiModel):
    id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    soort: ActiviteitSoort
    selectieroute: Selectieroute
    selectiereden: str
    status: ActiviteitStatus
    sector: Sector | None = None
    thema: str | None = None
    aangekondigd: bool | None = None
    vorm: Bezoekvorm | None = None
    uiterlijk: date | None = None
    gepland_op: date | None = None
    uitgevoerd_op: date | None = None
    planning_id: uuid.UUID | None = None
    vervalreden: str | None = None
    aangemaakt_op: datetime
    gewijzigd_op: datetime
    versie: int


class Toezichtactiviteit(ToezichtactiviteitSamenvatting):
    statussen: list[ActiviteitStatusRegel] = Field(default=[], description="The status history, oldest first")


class ToezichtactiviteitPagina(Page[ToezichtactiviteitSamenvatting]):
    """A page of supervision activities, newest first."""


class ActiviteitStatusWijziging(ApiModel):
    """A step along the lifecycle table. ``geplandOp`` only with (and required for) gepland; ``uitgevoerdOp`` only
    with uitgevoerd (default today); ``toelichting`` is required for vervallen (the reason)."""

    status: ActiviteitStatus
    toelichting: str | None = Field(None, min_length=1, max_length=2000)
    gepland_op: date | None = None
    uitgevoerd_op: date | None = None


class NormoordeelIn(ApiModel):
    norm_id: str = Field(min_length=1, max_length=64, description="A norm of the activity's sector kader (GET /normenkaders/{sector})")
    oordeel: Normoordeel
    bevinding: str = Field(min_length=1, max_length=10000, description="The finding; stays in toezicht, never in events or logs")
    ernst: Ernst | None = Field(None, description="Severity of the tekortkoming: required for deels and niet-voldaan, absent for voldaan")


class OordeelIn(ApiModel):
    normen: list[NormoordeelIn] = Field(min_length=1, max_length=200)
    vastgesteld_op: date | None = Field(None, description="Default today; not before the activity was performed, not in the future")


class NormoordeelUit(ApiModel):
    norm_id: str
    oordeel: Normoordeel
    ernst: Ernst | None = None
    bevinding: str
    normtekst: str
    bron: str


class OordeelUit(ApiModel):
    id: uuid.UUID
    activiteit_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    sector: Sector
    normenkader_versie: str
    vastgesteld_op: date
    vastgesteld_door: str
    aantal_voldaan: int
    aantal_deels: int
    aantal_niet_voldaan: int
    normen: list[NormoordeelUit]


class NormUit(ApiModel):
    id: str
    tekst: str
    bron: str


class NormenkaderUit(ApiModel):
    sector: Sector
    versie: str
    kenmerk: str = Field(description="versie@content hash: what a judgement names")
    toelichting: str
    normen: list[NormUit]
