"""toezicht's API bodies."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import Field

from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.domain.toezicht import ActiviteitSoort
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


class OverschrijvingIn(ApiModel):
    score: float = Field(ge=0, le=100, description="the score planning should use instead of the model's")
    reden: str = Field(min_length=3, max_length=2000, description="why, for the audit trail and the planner")


class KwaliteitssysteemIn(ApiModel):
    reden: str = Field(min_length=3, max_length=2000, description="why the quality system is judged to work")
