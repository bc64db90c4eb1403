"""Audit trail per main object, in the ZGW audittrail shape (who, which client, when, old → new).

Every change a service makes to a main object (and every read of personal data, where a service
must log it) is one row, written in the same transaction as the change. The rows are readable as
``GET …/{id}/audittrail``. Contents follow the ZGW APIs: ``uuid, requestId, bron, applicatieId,
applicatieWeergave, gebruikersId, gebruikersWeergave, actie, actieWeergave, resultaat, hoofdObject,
resource, resourceUrl, resourceWeergave, toelichting, aanmaakdatum, wijzigingen {oud, nieuw}``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from pydantic import Field
from sqlalchemy import Column, DateTime, Index, Integer, MetaData, Table, Text, Uuid, func, insert, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from zorgtoezicht import klok
from zorgtoezicht.http.schemas import ApiModel
from zorgtoezicht.logs import current_correlation_id

ACTIES = {
    "create": "Object aangemaakt",
    "update": "Object bijgewerkt",
    "partial_update": "Object deels bijgewerkt",
    "destroy": "Object verwijderd",
    "read": "Persoonsgegevens ingezien",
}


# The columns of a COPY of audit rows (bulk loads and rescores write many at once), in the order their records are built.
AUDIT_COLUMNS = [
    "uuid",
    "request_id",
    "bron",
    "applicatie_id",
    "applicatie_weergave",
    "gebruikers_id",
    "gebruikers_weergave",
    "actie",
    "actie_weergave",
    "resultaat",
    "hoofd_object_id",
    "hoofd_object",
    "resource",
    "resource_url",
    "resource_weergave",
    "toelichting",
    "wijzigingen",
    "aanmaakdatum",
]


def add_audit_table(metadata: MetaData) -> Table:
    return Table(
        "audit_trail",
        metadata,
        Column("uuid", Uuid, primary_key=True),
        Column("request_id", Text, nullable=True),
        Column("bron", Text, nullable=False),
        Column("applicatie_id", Text, nullable=False),
        Column("applicatie_weergave", Text, nullable=False),
        Column("gebruikers_id", Text, nullable=False),
        Column("gebruikers_weergave", Text, nullable=False),
        Column("actie", Text, nullable=False),
        Column("actie_weergave", Text, nullable=False),
        Column("resultaat", Integer, nullable=False),
        Column("hoofd_object_id", Uuid, nullable=False),
        Column("hoofd_object", Text, nullable=False),
        Column("resource", Text, nullable=False),
        Column("resource_url", Text, nullable=False),
        Column("resource_weergave", Text, nullable=False),
        Column("toelichting", Text, nullable=True),
        Column("aanmaakdatum", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("wijzigingen", JSONB, nullable=False),
        Index("ix_audit_trail_hoofd_object_id", "hoofd_object_id", "aanmaakdatum"),
        Index("ix_audit_trail_aanmaakdatum", "aanmaakdatum"),
    )


def create_audit_table(op) -> None:
    from zorgtoezicht.db import new_metadata

    add_audit_table(new_metadata()).create(op.get_bind())


@dataclass(frozen=True)
class Actor:
    """Who acts: the client (application) and, where the token names one, the person behind it."""

    applicatie_id: str
    applicatie_weergave: str
    gebruikers_id: str = ""
    gebruikers_weergave: str = ""
    toelichting: str | None = None

    def met_toelichting(self, toelichting: str) -> Actor:
        """The same actor, with the reason for this one action (ZGW ``toelichting``)."""
        return replace(self, toelichting=toelichting)

    @classmethod
    def system(cls, name: str, oorzaak: str | None = None) -> Actor:
        """The system itself acting, with its cause as the reason (an event, an ended term)."""
        return cls(applicatie_id=name, applicatie_weergave=name, gebruikers_id="", gebruikers_weergave="systeem", toelichting=oorzaak)

    @classmethod
    def door_gebeurtenis(cls, name: str, event_type: str, event_id: str, correlation_id: str | None) -> Actor:
        """The system handling an event: the consumer, and the event (type, id, correlation id) that caused the change."""
        return cls.system(name, f"gebeurtenis {event_type} {event_id} (correlatie {correlation_id or 'onbekend'})")


class AuditTrail:
    def __init__(self, table: Table, bron: str, base_url: str) -> None:
        self.table = table
        self.bron = bron
        self.base_url = base_url.rstrip("/")

    async def record(self, session: AsyncSession, actor: Actor, **entry: Any) -> None:
        """One audit row (arguments as ``row``), written now."""
        await self.insert(session, [self.row(actor, **entry)])

    def row(
        self,
        actor: Actor,
        *,
        actie: str,
        hoofd_object_id: uuid.UUID,
        hoofd_pad: str,
        resource: str,
        resource_pad: str | None = None,
        weergave: str,
        oud: dict[str, Any] | None = None,
        nieuw: dict[str, Any] | None = None,
        resultaat: int = 200,
    ) -> dict[str, Any]:
        """An audit row, not yet written (``insert`` writes many at once); carries the current correlation id."""
        hoofd_object = f"{self.base_url}/{hoofd_pad}"
        return {
            "uuid": uuid.uuid4(),
            "request_id": current_correlation_id(),
            "bron": self.bron,
            "applicatie_id": actor.applicatie_id,
            "applicatie_weergave": actor.applicatie_weergave,
            "gebruikers_id": actor.gebruikers_id,
            "gebruikers_weergave": actor.gebruikers_weergave,
            "actie": actie,
            "actie_weergave": ACTIES.get(actie, actie),
            "resultaat": resultaat,
            "hoofd_object_id": hoofd_object_id,
            "hoofd_object": hoofd_object,
            "resource": resource,
            "resource_url": f"{self.base_url}/{resource_pad}" if resource_pad else hoofd_object,
            "resource_weergave": weergave,
            "toelichting": actor.toelichting,
            "aanmaakdatum": klok.nu(),  # the platform clock: the changes feed judges its windows by the same clock
            "wijzigingen": {"oud": oud, "nieuw": nieuw},
        }

    async def insert(self, session: AsyncSession, rows: list[dict[str, Any]]) -> None:
        if rows:  # executemany: one cached statement whatever the number of rows
            await session.execute(insert(self.table), rows)

    async def of(self, session: AsyncSession, hoofd_object_id: uuid.UUID) -> list[AuditTrailEntry]:
        rows = await session.execute(
            select(self.table).where(self.table.c.hoofd_object_id == hoofd_object_id).order_by(self.table.c.aanmaakdatum, self.table.c.uuid)
        )
        return [AuditTrailEntry.model_validate({k: v for k, v in row._mapping.items() if k != "hoofd_object_id"}) for row in rows]


class Wijzigingen(ApiModel):
    oud: dict[str, Any] | None = None
    nieuw: dict[str, Any] | None = None


class AuditTrailEntry(ApiModel):
    """One audit trail entry (ZGW audittrail)."""

    uuid: uuid.UUID
    request_id: str | None = Field(None, description="Correlation id of the request that caused it")
    bron: str
    applicatie_id: str
    applicatie_weergave: str
    gebruikers_id: str
    gebruikers_weergave: str
    actie: str
    actie_weergave: str
    resultaat: int
    hoofd_object: str
    resource: str
    resource_url: str
    resource_weergave: str
    toelichting: str | None = None
    aanmaakdatum: datetime
    wijzigingen: Wijzigingen


def actor_from(client: Any, toelichting: str | None) -> Actor:
    """The actor of an authenticated request; ``user``/``user_name`` claims name a person if present."""
    claims = getattr(client, "claims", {}) or {}
    return Actor(
        applicatie_id=client.client_id,
        applicatie_weergave=str(claims.get("client_name", client.client_id)),
        gebruikers_id=str(claims.get("user", "")),
        gebruikers_weergave=str(claims.get("user_name", "")),
        toelichting=toelichting,
    )
