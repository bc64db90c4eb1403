"""Events of register (the Wtza provider register).

Information-poor: ids, codes and facts about the organisation; never a person's name (a solist's
trade name often is one), never an address. Consumers fetch details through register's API.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar

from pydantic import Field

from zorgtoezicht.domain.identifiers import GemeenteCode, GemeenteNaam, KvkNummer, Vestigingsnummer
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.domain.zorgaanbieders import Intrekkingsgrond, Vervolgstap, ZorgaanbiederSoort, ZorgaanbiederStatus
from zorgtoezicht.events.envelope import EventData, EventPart, Topic


class VestigingFeit(EventPart):
    """A vestiging as other services need to know it: number and municipality, nothing personal."""

    vestigingsnummer: Vestigingsnummer
    gemeente: GemeenteNaam
    gemeente_code: GemeenteCode | None = None


class _ZorgaanbiederFeiten(EventData):
    """The facts every zorgaanbieder event carries, so that projections never need a second call."""

    topic: ClassVar[Topic] = Topic.zorgaanbieders
    subject_field: ClassVar[str] = "zorgaanbieder_id"
    resource_path: ClassVar[str] = "zorgaanbieders/{id}"

    zorgaanbieder_id: uuid.UUID
    kvk_nummer: KvkNummer
    soort: ZorgaanbiederSoort = ZorgaanbiederSoort.instelling
    sectoren: list[Sector] = []
    status: ZorgaanbiederStatus = ZorgaanbiederStatus.actief
    vergunningplichtig: bool = False
    vestigingen: list[VestigingFeit] = Field(min_length=1)


class ZorgaanbiederGeregistreerd(_ZorgaanbiederFeiten):
    event_type: ClassVar[str] = "zorgaanbieders.zorgaanbieder-geregistreerd"
    summary: ClassVar[str] = "A care provider was entered in the register directly (staff or bulk load)."


class Aandachtspunt(EventPart):
    regel: str = Field(description="id of the derivation rule that fired")
    grondslag: str = Field(description="legal basis")
    reden: str = Field(description="why, in plain Dutch, without personal data")
    vervolg: Vervolgstap | None = Field(None, description="suggested follow-up, if toezicht has something to do")


class ZorgaanbiederAangemeld(_ZorgaanbiederFeiten):
    event_type: ClassVar[str] = "zorgaanbieders.zorgaanbieder-aangemeld"
    summary: ClassVar[str] = "CIBG forwarded a Wtza melding: a provider reported itself, with derived aandachtspunten."

    cibg_referentie: str
    startdatum_zorg: date | None = None
    aandachtspunten: list[Aandachtspunt] = []


class ZorgaanbiederGewijzigd(_ZorgaanbiederFeiten):
    event_type: ClassVar[str] = "zorgaanbieders.zorgaanbieder-gewijzigd"
    summary: ClassVar[str] = "Facts of a registered care provider changed (its current state is in the event)."

    versie: int = Field(ge=1)


class ZorgaanbiederGestopt(EventData):
    event_type: ClassVar[str] = "zorgaanbieders.zorgaanbieder-gestopt"
    topic: ClassVar[Topic] = Topic.zorgaanbieders
    subject_field: ClassVar[str] = "zorgaanbieder_id"
    resource_path: ClassVar[str] = "zorgaanbieders/{id}"
    summary: ClassVar[str] = "A care provider stopped delivering care."

    zorgaanbieder_id: uuid.UUID
    kvk_nummer: KvkNummer
    einddatum: date


class _VergunningEvent(EventData):
    topic: ClassVar[Topic] = Topic.zorgaanbieders  # same stream: ordered with the provider's other events
    subject_field: ClassVar[str] = "zorgaanbieder_id"
    resource_path: ClassVar[str] = "zorgaanbieders/{id}"

    zorgaanbieder_id: uuid.UUID
    vergunning_id: uuid.UUID


class VergunningAangevraagd(_VergunningEvent):
    event_type: ClassVar[str] = "zorgaanbieders.vergunning-aangevraagd"
    summary: ClassVar[str] = "A complete application for a toelatingsvergunning reached CIBG; the decision term runs."

    aanvraag_compleet_op: date
    uiterste_beslisdatum: date


class VergunningVerleend(_VergunningEvent):
    event_type: ClassVar[str] = "zorgaanbieders.vergunning-verleend"
    summary: ClassVar[str] = "CIBG granted the toelatingsvergunning."

    besluitdatum: date


class VergunningGeweigerd(_VergunningEvent):
    event_type: ClassVar[str] = "zorgaanbieders.vergunning-geweigerd"
    summary: ClassVar[str] = "CIBG refused the toelatingsvergunning."

    besluitdatum: date
    weigeringsgrond: str


class VergunningIngetrokken(_VergunningEvent):
    event_type: ClassVar[str] = "zorgaanbieders.vergunning-ingetrokken"
    summary: ClassVar[str] = "The toelatingsvergunning was withdrawn on one of the legal grounds."

    intrekkingsdatum: date
    intrekkingsgrond: Intrekkingsgrond
