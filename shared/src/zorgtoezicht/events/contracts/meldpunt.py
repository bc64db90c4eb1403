"""Events of meldpunt (the Landelijk Meldpunt Zorg)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from zorgtoezicht.events.envelope import EventData, Topic
from zorgtoezicht.domain.identifiers import Vestigingsnummer
from zorgtoezicht.domain.meldingen import MeldingSoort


class MeldingOntvangen(EventData):
    event_type: ClassVar[str] = "meldingen.melding-ontvangen"
    topic: ClassVar[Topic] = Topic.meldingen
    subject_field: ClassVar[str] = "melding_id"
    resource_path: ClassVar[str] = "meldingen/{id}"
    summary: ClassVar[str] = "A melding was received for a known vestiging (ids only: no melder, no content)."

    melding_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    vestigingsnummer: Vestigingsnummer
    soort: MeldingSoort
    ontvangen_op: datetime
