"""Register's tables: zorgaanbieders with their vestigingen, and the measures handhaving imposed."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from zorgtoezicht.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


class Zorgaanbieder(Base):
    __tablename__ = "zorgaanbieder"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kvk_nummer: Mapped[str] = mapped_column(String(8), unique=True)
    naam: Mapped[str] = mapped_column(Text)
    geregistreerd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), index=True)

    vestigingen: Mapped[list[Vestiging]] = relationship(back_populates="zorgaanbieder", order_by="Vestiging.vestigingsnummer",
                                                        lazy="selectin")


class Vestiging(Base):
    __tablename__ = "vestiging"

    vestigingsnummer: Mapped[str] = mapped_column(String(12), primary_key=True)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("zorgaanbieder.id"), index=True)
    naam: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str] = mapped_column(String(7))
    gemeente: Mapped[str] = mapped_column(Text)

    zorgaanbieder: Mapped[Zorgaanbieder] = relationship(back_populates="vestigingen")


class ActieveMaatregel(Base):
    """Projection of handhaving's ``maatregel-opgelegd`` events (no foreign key: events may come first)."""

    __tablename__ = "actieve_maatregel"

    maatregel_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(index=True)
    soort: Mapped[str] = mapped_column(Text)
    ingangsdatum: Mapped[date] = mapped_column(Date)
    einddatum: Mapped[date | None] = mapped_column(Date)
