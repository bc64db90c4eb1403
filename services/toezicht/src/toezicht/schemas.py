"""toezicht's API bodies."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.domain.toezicht import ActiviteitSoort, ActiviteitStatus, Bezoekvorm, Ernst, Normoordeel, Selectieroute
from zorgtoezicht.domain.zorgaanbieders import ZorgaanbiederSoort
from zorgtoezicht.http.schemas import ApiModel, Page


class Reden(ApiModel):
    """One contribution to the score, with the event it came from (none for the model's corrections)."""

    code: str = Field(description="signal kind and code, e.g. melding:wkkgz-calamiteit; or kwaliteitssysteem, maximum, gestopt")
    toelichting: str = Field(description="plain Dutch: the points, factors and decay that gave the contribution")
    bijdrage: float = Field(description="points this reason adds (negative for damping, the cap or a stopped provider)")
    bron_type: str | None = Field(None, description="CloudEvent type of the source event")
    bron_id: str | None = Field(None, description="CloudEvent id of the source event")


class Trigger(ApiModel):
    """A hard trigger: the provider is on the list whatever its score."""

    code: str
    toelichting: str
    uiterlijk: date | None = Field(None, description="the activity is due on or before this date")
    activiteit: ActiviteitSoort
    bron_type: str | None = None
    bron_id: str | None = None


class Risicoprofiel(ApiModel):
    zorgaanbieder_id: uuid.UUID
    aantal_signalen: int = Field(description="stored signals about the provider")
    score: float = Field(description="the model's score, 0-100: exactly the sum of the reasons' contributions")
    effectieve_score: float = Field(description="the score planning uses: the inspector's override, else the score")
    overschreven_score: float | None = None
    overschrijving_reden: str | None = None
    model_versie: str | None = Field(None, description="version/content hash of the risk model that computed the score")
    peildatum: date | None = Field(None, description="the day the score was computed for (decay and triggers)")
    redenen: list[Reden]
    triggers: list[Trigger] = Field(description="open hard triggers")
    sector: Sector | None = None
    gemeente_code: str | None = None
    soort: ZorgaanbiederSoort | None = None
    laatste_oordeel_op: date | None = None
    kwaliteitssysteem: bool = Field(description="marked as having a working quality system (toezicht op maat): the score is damped")
    kwaliteitssysteem_reden: str | None = None
    berekend_op: datetime | None = None
    bijgewerkt_op: datetime


class RisicoprofielPagina(Page[Risicoprofiel]):
    """A page of risk profiles, highest effective score first."""


# --- supervision activities and judgements (api_activiteiten) --------------------------------------------------


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


# --- planning: inspectors, plans, what was chosen, left out and cannot be done (migration 0005) ---------------


Teamnaam = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$", examples=["ggz-noord"])]


class Afwezigheid(ApiModel):
    """A period an inspector is away (both dates included); a week with any absent working day is not planned."""

    van: date
    tot: date

    @model_validator(mode="after")
    def _volgorde(self) -> Afwezigheid:
        if self.tot < self.van:
            raise ValueError("tot lies before van")
        return self


class InspecteurIn(ApiModel):
    weergavenaam: str = Field(
        min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$", description="Internal staff data: never in events or logs"
    )
    team: Teamnaam
    sectoren: list[Sector] = Field(min_length=1, max_length=11, description="The sectors the inspector has expertise in")
    uren_per_week: float = Field(gt=0, le=60, description="Field hours a week available for supervision activities")
    afwezigheden: list[Afwezigheid] = Field(default_factory=list, max_length=100)

    @field_validator("uren_per_week")
    @classmethod
    def _twee_decimalen(cls, uren: float) -> float:
        if round(uren, 2) != uren:
            raise ValueError("at most two decimals (hours are stored in hundredths)")
        return uren

    @field_validator("sectoren")
    @classmethod
    def _uniek(cls, sectoren: list[Sector]) -> list[Sector]:
        if len(set(sectoren)) != len(sectoren):
            raise ValueError("a sector is listed twice")
        return sectoren


class Inspecteur(InspecteurIn):
    id: uuid.UUID
    versie: int


class InspecteurPagina(Page[Inspecteur]):
    """A page of inspectors, by team and id."""


class QuotumIn(ApiModel):
    thema: str = Field(min_length=1, max_length=100, description="A theme of the planning norms", examples=["kwetsbare-ouderen"])
    minimum: int = Field(ge=0, le=10000, description="At least this many activities with providers of the theme")


class PlanningIn(ApiModel):
    periode_start: date = Field(description="The Monday the 13-week period starts on")
    team: Teamnaam | None = Field(None, description="Plan only this team's inspectors")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="Seed of the random sample: the same input and seed give the same plan")
    quota: list[QuotumIn] = Field(default_factory=list, max_length=20)
    aselect_aandeel: float | None = Field(None, ge=0, lt=1, description="Share of discretionary capacity drawn at random (default: norms)")

    @field_validator("periode_start")
    @classmethod
    def _maandag(cls, start: date) -> date:
        if start.weekday() != 0:
            raise ValueError("a period starts on a Monday")
        if not 2000 <= start.year <= 2100:
            raise ValueError("a period starts between 2000 and 2100")
        return start


class HerplanningIn(ApiModel):
    team: Teamnaam = Field(description="The team to plan again; every other team's activities stay as they are")
    seed: int | None = Field(None, ge=0, le=2**31 - 1, description="Default: the seed of the plan re-planned")


class PlanningActiviteit(ApiModel):
    zorgaanbieder_id: uuid.UUID
    soort: ActiviteitSoort
    sector: Sector
    week: int = Field(description="Week of the period, 1-based")
    gepland_op: date = Field(description="Monday of the week")
    inspecteurs: list[uuid.UUID]
    selectieroute: Selectieroute
    selectiereden: str
    uren: float
    uiterlijk: date | None = None


class PlanningWeggelaten(ApiModel):
    zorgaanbieder_id: uuid.UUID
    reden: str = Field(description="capaciteit | geen-expertise | geen-koppel | onder-drempel")
    toelichting: str


class PlanningOnhaalbaar(ApiModel):
    zorgaanbieder_id: uuid.UUID
    soort: ActiviteitSoort
    triggers: list[str]
    uiterlijk: date | None = None
    reden: str = Field(description="deadline-voor-periode | geen-expertise | geen-koppel | afwezig | capaciteit")
    toelichting: str


class QuotumResultaat(ApiModel):
    thema: str
    minimum: int
    gerealiseerd: int


class Planning(ApiModel):
    id: uuid.UUID
    periode_start: date
    weken: int
    team: str | None = None
    vorige_id: uuid.UUID | None = None
    seed: int
    aselect_aandeel: float = Field(description="The setting")
    normen_versie: str
    status: str = Field(description="concept | vastgesteld")
    doelwaarde: float = Field(description="Risk-weighted hours of mandatory and risk-selected activities, minus quota shortfall")
    greedy_doelwaarde: float = Field(description="The objective before the MIP repair")
    lp_grens: float = Field(description="Upper bound from the LP relaxation: no plan with the same random draw does better")
    verhouding: float = Field(description="doelwaarde / lpGrens")
    discretionaire_uren: float = Field(description="Available inspector hours minus the hours of the mandatory activities placed")
    aselect_doel_uren: float
    aselect_uren: float
    aselect_gerealiseerd: float = Field(description="aselectUren / discretionaireUren")
    quota: list[QuotumResultaat]
    reparatie: str
    activiteiten: list[PlanningActiviteit]
    weggelaten: list[PlanningWeggelaten]
    onhaalbaar: list[PlanningOnhaalbaar]
    aangemaakt_op: datetime
    vastgesteld_op: datetime | None = None
    """A page of risk profiles, highest effective score first."""


class OverschrijvingIn(ApiModel):
    score: float = Field(ge=0, le=100, description="the score planning should use instead of the model's")
    reden: str = Field(min_length=3, max_length=2000, description="why, for the audit trail and the planner")


class KwaliteitssysteemIn(ApiModel):
    reden: str = Field(min_length=3, max_length=2000, description="why the quality system is judged to work")
