"""Events of register (the Wtza provider register)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from pydantic import Field

from zorgtoezicht.events.envelope import EventData, EventPart, Topic
from zorgtoezicht.domain.identifiers import GemeenteNaam, KvkNummer, Vestigingsnummer


class VestigingFeit(EventPart):
    """A vestiging as other services need to know it: number and municipality, nothing personal."""

    vestigingsnummer: Vestigingsnummer
    gemeente: GemeenteNaam


class ZorgaanbiederGeregistreerd(EventData):
    event_type: ClassVar[str] = "zorgaanbieders.zorgaanbieder-geregistreerd"
    topic: ClassVar[Topic] = Topic.zorgaanbieders
    subject_field: ClassVar[str] = "zorgaanbieder_id"
    resource_path: ClassVar[str] = "zorgaanbieders/{id}"
    summary: ClassVar[str] = "A care provider and its vestigingen were entered in the register."

    zorgaanbieder_id: uuid.UUID
    kvk_nummer: KvkNummer
    vestigingen: list[VestigingFeit] = Field(min_length=1)
