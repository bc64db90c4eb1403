"""Events of meldpunt (the Landelijk Meldpunt Zorg).

Ids, kinds, routes and dates only: never the melder, the patient, a BSN or the description.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import ClassVar

from pydantic import Field

from zorgtoezicht.domain.identifiers import GemeenteCode, Vestigingsnummer
from zorgtoezicht.domain.meldingen import MelderRol, MeldingSoort, Prioriteit, Route
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.events.envelope import EventData, EventPart, Topic


class _MeldingEvent(EventData):
    topic: ClassVar[Topic] = Topic.meldingen
    subject_field: ClassVar[str] = "melding_id"
    resource_path: ClassVar[str] = "meldingen/{id}"

    melding_id: uuid.UUID


class MeldingOntvangen(_MeldingEvent):
    event_type: ClassVar[str] = "meldingen.melding-ontvangen"
    summary: ClassVar[str] = "A melding was received (ids and kind only: no melder, no patient, no content)."

    zorgaanbieder_id: uuid.UUID | None = Field(None, description="absent when the provider is not (yet) identified")
    vestigingsnummer: Vestigingsnummer | None = None
    soort: MeldingSoort
    sector: Sector | None = None
    melder_rol: MelderRol = MelderRol.zorgaanbieder
    ontvangen_op: datetime


class Tijdigheidssignaal(EventPart):
    regel: str = Field(description="the timeliness rule, e.g. wkkgz-calamiteit-melden")
    uiterlijk: date
    dagen_te_laat: int = Field(ge=0)


class MeldingGetrieerd(_MeldingEvent):
    event_type: ClassVar[str] = "meldingen.melding-getrieerd"
    summary: ClassVar[str] = "Triage set the route, priority and due date (by rule, or by an inspector's override)."

    route: Route
    prioriteit: Prioriteit
    afhandeldatum: date
    regel: str
    tabel_versie: str
    handmatig: bool = False
    zorgaanbieder_id: uuid.UUID | None = None
    gemeente_code: GemeenteCode | None = None
    signalen: list[Tijdigheidssignaal] = []


class MeldingTermijnOverschreden(_MeldingEvent):
    event_type: ClassVar[str] = "meldingen.melding-termijn-overschreden"
    summary: ClassVar[str] = "The provider reported later than the law allows (a late calamiteit leads to a fine without warning)."

    zorgaanbieder_id: uuid.UUID | None = None
    soort: MeldingSoort
    regel: str
    uiterlijk: date
    dagen_te_laat: int = Field(ge=1)


class MeldingDoorverwezen(_MeldingEvent):
    event_type: ClassVar[str] = "meldingen.melding-doorverwezen"
    summary: ClassVar[str] = "The melding was referred to another body (e.g. the Wmo-toezichthouder of a gemeente)."

    naar: str
    gemeente_code: GemeenteCode | None = None
    reden: str


class MeldingAfgesloten(_MeldingEvent):
    event_type: ClassVar[str] = "meldingen.melding-afgesloten"
    summary: ClassVar[str] = "Handling of the melding ended."

    zorgaanbieder_id: uuid.UUID | None = None
    route: Route | None = None


class CalamiteitenrapportOntvangen(_MeldingEvent):
    event_type: ClassVar[str] = "meldingen.calamiteitenrapport-ontvangen"
    summary: ClassVar[str] = "The provider's calamiteitenrapport arrived (in time or not)."

    zorgaanbieder_id: uuid.UUID | None = None
    ontvangen_op: date
    uiterlijk: date
    te_laat: bool


class CalamiteitenrapportTeLaat(_MeldingEvent):
    event_type: ClassVar[str] = "meldingen.calamiteitenrapport-te-laat"
    summary: ClassVar[str] = "The deadline for the calamiteitenrapport passed without a report."

    zorgaanbieder_id: uuid.UUID | None = None
    uiterlijk: date


class MeldingZorgaanbiederGekoppeld(_MeldingEvent):
    event_type: ClassVar[str] = "meldingen.melding-zorgaanbieder-gekoppeld"
    summary: ClassVar[str] = "A person confirmed which provider a loosely named melding is about."

    zorgaanbieder_id: uuid.UUID
    vestigingsnummer: Vestigingsnummer | None = None
    soort: MeldingSoort
