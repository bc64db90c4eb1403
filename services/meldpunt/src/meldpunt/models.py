"""meldpunt's tables: meldingen, and its own projection of the providers register knows."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from zorgtoezicht.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


class BekendeZorgaanbieder(Base):
    """Projection of register's zorgaanbieder events: the facts intake needs (sector, status)."""

    __tablename__ = "bekende_zorgaanbieder"

    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kvk_nummer: Mapped[str] = mapped_column(String(8))
    soort: Mapped[str] = mapped_column(Text)
    sectoren: Mapped[list[str]] = mapped_column(ARRAY(Text))
    status: Mapped[str] = mapped_column(Text)


class BekendeVestiging(Base):
    """Projection of register's zorgaanbieder events: which vestigingen exist, of whom, where."""

    __tablename__ = "bekende_vestiging"

    vestigingsnummer: Mapped[str] = mapped_column(String(12), primary_key=True)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kvk_nummer: Mapped[str] = mapped_column(String(8))
    gemeente: Mapped[str] = mapped_column(Text)
    gemeente_code: Mapped[str | None] = mapped_column(String(6))


class Melding(Base):
    __tablename__ = "melding"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    soort: Mapped[str] = mapped_column(Text)
    vestigingsnummer: Mapped[str] = mapped_column(String(12), index=True)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(index=True)
    omschrijving: Mapped[str] = mapped_column(Text, comment="free text: personal data, never in events or logs")
    ingediend_door: Mapped[str] = mapped_column(Text, comment="client id of the submitting system")
    ontvangen_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
