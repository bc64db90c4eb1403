"""handhaving's tables: maatregelen, and the providers it knows from register's events."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from zorgtoezicht.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


class BekendeZorgaanbieder(Base):
    """Projection of register's ``zorgaanbieder-geregistreerd``: a measure needs a known provider."""

    __tablename__ = "bekende_zorgaanbieder"

    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kvk_nummer: Mapped[str] = mapped_column(String(8))


class Maatregel(Base):
    __tablename__ = "maatregel"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(index=True)
    soort: Mapped[str] = mapped_column(Text)
    ingangsdatum: Mapped[date] = mapped_column(Date)
    einddatum: Mapped[date | None] = mapped_column(Date)
    motivering: Mapped[str] = mapped_column(Text)
    opgelegd_door: Mapped[str] = mapped_column(Text, comment="client id of the deciding system")
    opgelegd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
