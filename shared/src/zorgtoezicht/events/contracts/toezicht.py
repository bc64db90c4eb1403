"""Events of toezicht (risk-based supervision)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from pydantic import Field

from zorgtoezicht.events.envelope import EventData, Topic


class RisicoprofielGewijzigd(EventData):
    event_type: ClassVar[str] = "risicoprofielen.risicoprofiel-gewijzigd"
    topic: ClassVar[Topic] = Topic.risicoprofielen
    subject_field: ClassVar[str] = "zorgaanbieder_id"
    resource_path: ClassVar[str] = "risicoprofielen/{id}"
    summary: ClassVar[str] = "The signals known about a care provider changed."

    zorgaanbieder_id: uuid.UUID
    aantal_signalen: int = Field(ge=0)
