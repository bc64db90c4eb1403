"""The CloudEvents 1.0 envelope in the NL GOV profile, and the base of every event contract.

An event is information-poor by design: ids, codes and non-personal facts. No BSN, names, free text
or health details ever go into ``data``; consumers that need more call the producer's API with their
own credentials (``dataref`` points there).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator
from pydantic.alias_generators import to_camel

from zorgtoezicht import klok

CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8"
TYPE_PREFIX = "nl.zorgtoezicht."


class Topic(StrEnum):
    """Kafka topics: one stream per aggregate kind; the record key is the aggregate id."""

    zorgaanbieders = "zorgtoezicht.zorgaanbieders"
    meldingen = "zorgtoezicht.meldingen"
    risicoprofielen = "zorgtoezicht.risicoprofielen"
    toezichtactiviteiten = "zorgtoezicht.toezichtactiviteiten"
    maatregelen = "zorgtoezicht.maatregelen"
    handhavingszaken = "zorgtoezicht.handhavingszaken"

    @property
    def dead_letter(self) -> str:
        return dead_letter_topic(self.value)


def dead_letter_topic(topic: str) -> str:
    return f"{topic}.dlq"


_CATALOGUE: dict[str, type[EventData]] = {}


class EventPart(BaseModel):
    """A value inside event data: camelCase on the wire, unknown fields refused, immutable."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)


class EventData(EventPart):
    """Base of every event contract (the CloudEvent ``data``), shared by producers and consumers.

    Subclasses declare ``event_type`` (the part after ``nl.zorgtoezicht.``), ``topic``, and
    ``subject_field``: the field holding the aggregate id (CloudEvent ``subject`` and record key).
    """

    event_type: ClassVar[str]
    topic: ClassVar[Topic]
    subject_field: ClassVar[str]
    resource_path: ClassVar[str]  # API path of the aggregate, e.g. "zorgaanbieders/{id}"
    summary: ClassVar[str] = ""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if "event_type" in cls.__dict__:
            full = cls.full_type()
            if full in _CATALOGUE and _CATALOGUE[full] is not cls:
                raise TypeError(f"event type {full} is declared twice")
            _CATALOGUE[full] = cls

    @classmethod
    def full_type(cls) -> str:
        return TYPE_PREFIX + cls.event_type

    @property
    def subject(self) -> str:
        return str(getattr(self, self.subject_field))

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


def catalogue() -> dict[str, type[EventData]]:
    """Every known event contract by full CloudEvents type (imports all contract modules)."""
    import zorgtoezicht.events.contracts  # noqa: F401  (registers the contracts)

    return dict(sorted(_CATALOGUE.items()))


def contract_for(event_type: str) -> type[EventData] | None:
    return catalogue().get(event_type)


def _als_zulu(value: datetime) -> str:
    """A UTC moment as CloudEvents ``time``: microseconds, ``Z``."""
    return value.isoformat(timespec="microseconds").replace("+00:00", "Z")


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 event in structured JSON mode, NL GOV profile."""

    model_config = ConfigDict(extra="allow")

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str = Field(pattern=r"^urn:nld:oin:\d{20}:systeem:[a-z0-9-]+$")
    type: str = Field(pattern=r"^nl\.zorgtoezicht\.[a-z0-9-]+(\.[a-z0-9-]+)+$")
    time: datetime = Field(default_factory=klok.nu)
    subject: str | None = None
    datacontenttype: Literal["application/json"] = "application/json"
    dataref: str | None = None
    correlationid: str | None = None  # extension: the request that caused this event
    data: dict[str, Any] = Field(default_factory=dict)

    @field_validator("id")
    @classmethod
    def _uuid(cls, value: str) -> str:
        return str(uuid.UUID(value))

    @field_validator("time")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("time must carry a UTC offset")
        return value.astimezone(UTC)

    @field_serializer("time")
    def _zulu(self, value: datetime) -> str:
        return _als_zulu(value)

    def to_bytes(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> CloudEvent:
        return cls.model_validate_json(raw)

    def typed_data(self) -> EventData:
        """The data parsed into its contract; raises ``LookupError`` for an unknown type."""
        contract = contract_for(self.type)
        if contract is None:
            raise LookupError(f"unknown event type {self.type}")
        return contract.model_validate(self.data)


class EventFactory:
    """Builds envelopes for one producing service: its ``source`` URN and API base for ``dataref``."""

    def __init__(self, *, oin: str, system: str, api_base_url: str) -> None:
        self.source = f"urn:nld:oin:{oin}:systeem:{system}"
        self.api_base_url = api_base_url.rstrip("/")

    def _dataref(self, data: EventData, subject: str) -> str:
        """Where a consumer reads the aggregate (``subject``, its id) with its own credentials."""
        return f"{self.api_base_url}/{data.resource_path.format(id=subject)}"

    def build_json(self, data: EventData, *, event_id: str, correlation_id: str | None = None) -> bytes:
        """What ``build(data, ...).to_bytes()`` gives (the same keys in the same order; ``event_id`` a UUID in
        text), without building the envelope model: for producers of many events at once (the register's bulk
        load). The contract ``data`` was validated when it was made; the envelope's own fields are this
        factory's, so validating them again per event would only cost (a third of an event's time)."""
        subject = data.subject
        envelope: dict[str, Any] = {
            "specversion": "1.0",
            "id": event_id,
            "source": self.source,
            "type": data.full_type(),
            "time": _als_zulu(klok.nu().astimezone(UTC)),
            "subject": subject,
            "datacontenttype": "application/json",
            "dataref": self._dataref(data, subject),
        }
        if correlation_id is not None:
            envelope["correlationid"] = correlation_id
        envelope["data"] = orjson.Fragment(data.model_dump_json(by_alias=True))
        return orjson.dumps(envelope)

    def build(self, data: EventData, *, correlation_id: str | None = None, traceparent: str | None = None) -> CloudEvent:
        subject = data.subject
        # traceparent: the CloudEvents distributed-tracing extension, only when tracing is on (zorgtoezicht.tracing)
        return CloudEvent(
            **({"traceparent": traceparent} if traceparent else {}),
            source=self.source,
            type=data.full_type(),
            subject=subject,
            dataref=self._dataref(data, subject),
            correlationid=correlation_id,
            data=data.dump(),
        )
