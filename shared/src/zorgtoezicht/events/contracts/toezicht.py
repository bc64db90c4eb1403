"""Events of toezicht (risk-based supervision)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar

from pydantic import Field

from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.domain.toezicht import ActiviteitSoort, Ernst, Normoordeel
from zorgtoezicht.events.envelope import EventData, EventPart, Topic


class RisicoprofielGewijzigd(EventData):
    event_type: ClassVar[str] = "risicoprofielen.risicoprofiel-gewijzigd"
    topic: ClassVar[Topic] = Topic.risicoprofielen
    subject_field: ClassVar[str] = "zorgaanbieder_id"
    resource_path: ClassVar[str] = "risicoprofielen/{id}"
    summary: ClassVar[str] = (
        "A care provider's risk profile changed: its signals, score or open triggers (numbers only: the reasons stay in toezicht)."
    )

    zorgaanbieder_id: uuid.UUID
    aantal_signalen: int = Field(ge=0)
    score: float | None = Field(None, ge=0, description="the model's score, 0-100")
    effectieve_score: float | None = Field(None, ge=0, description="the score planning uses: an inspector's override, else the score")
    aantal_triggers: int | None = Field(None, ge=0, description="hard triggers open")
    model_versie: str | None = Field(None, max_length=80, description="version/content hash of the risk model")


class Tekortkoming(EventPart):
    """A norm not (fully) met: its id in the normenkader and how severe the shortcoming is. No finding text."""

    norm_id: str = Field(max_length=64, description="id of the norm in the sector's normenkader, e.g. vv-2.1")
    oordeel: Normoordeel = Field(description="deels or niet-voldaan")
    ernst: Ernst


class OordeelVastgesteld(EventData):
    event_type: ClassVar[str] = "toezichtactiviteiten.oordeel-vastgesteld"
    topic: ClassVar[Topic] = Topic.toezichtactiviteiten
    subject_field: ClassVar[str] = "activiteit_id"
    resource_path: ClassVar[str] = "toezichtactiviteiten/{id}"
    summary: ClassVar[str] = (
        "An inspector fixed the judgement of a supervision activity against the sector's normenkader "
        "(ids, norm ids and severities only: the findings stay in toezicht)."
    )

    activiteit_id: uuid.UUID
    oordeel_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    soort: ActiviteitSoort
    sector: Sector
    normenkader_versie: str
    vastgesteld_op: date
    aantal_normen: int = Field(ge=1, description="norms judged")
    aantal_voldaan: int = Field(ge=0)
    aantal_deels: int = Field(ge=0)
    aantal_niet_voldaan: int = Field(ge=0)
    tekortkomingen: list[Tekortkoming] = Field(default=[], description="every norm judged deels or niet-voldaan")
