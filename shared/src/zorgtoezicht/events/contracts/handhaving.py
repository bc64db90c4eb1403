"""Events of handhaving (enforcement)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar, Literal

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


# --- openbaarmaking (publication of measures, Gezondheidswet art. 44) ------------------------------------
# Only what the public list shows travels here: no provider name, no free text (the zakelijke weergave is
# read from the public API), so a solist's name never enters an event.


class OpenbaarmakingGepubliceerd(EventData):
    event_type: ClassVar[str] = "maatregelen.openbaarmaking-gepubliceerd"
    topic: ClassVar[Topic] = Topic.maatregelen
    subject_field: ClassVar[str] = "openbaarmaking_id"
    resource_path: ClassVar[str] = "openbaarmakingen/{id}"
    summary: ClassVar[str] = "A besluit's zakelijke weergave was published after its wachttijd ended (fires once)."

    openbaarmaking_id: uuid.UUID
    besluit_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    instrument: MaatregelSoort
    gepubliceerd_op: date
    zichtbaar_tot: date


class OpenbaarmakingVerwijderd(EventData):
    event_type: ClassVar[str] = "maatregelen.openbaarmaking-verwijderd"
    topic: ClassVar[Topic] = Topic.maatregelen
    subject_field: ClassVar[str] = "openbaarmaking_id"
    resource_path: ClassVar[str] = "openbaarmakingen/{id}"
    summary: ClassVar[str] = "A published measure was taken off the public list (its 5 years ended, or a court found it incorrect)."

    openbaarmaking_id: uuid.UUID
    besluit_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    reden: Literal["bewaartermijn-verstreken", "rechterlijke-uitspraak"]
    verwijderd_op: date
