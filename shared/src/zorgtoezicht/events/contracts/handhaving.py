"""Events of handhaving (enforcement)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar

from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.events.envelope import EventData, Topic


class MaatregelOpgelegd(EventData):
    event_type: ClassVar[str] = "maatregelen.maatregel-opgelegd"
    topic: ClassVar[Topic] = Topic.maatregelen
    subject_field: ClassVar[str] = "maatregel_id"
    resource_path: ClassVar[str] = "maatregelen/{id}"
    summary: ClassVar[str] = "An enforcement measure was imposed on a care provider."

    maatregel_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    soort: MaatregelSoort
    ingangsdatum: date
    einddatum: date | None = None


class MaatregelBeeindigd(EventData):
    event_type: ClassVar[str] = "maatregelen.maatregel-beeindigd"
    topic: ClassVar[Topic] = Topic.maatregelen
    subject_field: ClassVar[str] = "maatregel_id"
    resource_path: ClassVar[str] = "maatregelen/{id}"
    summary: ClassVar[str] = "A running enforcement measure ended (lifted, complied with, expired or revoked)."

    maatregel_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    soort: MaatregelSoort
    einddatum: date
