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


# --- openbaarmaking (publication of besluiten; handhaving/openbaarmaking.py) --------------------------------
# No foreign key to the besluit: publication keeps what it publishes (instrument, besluitdatum, the text),
# so the public list is read from this table alone.

from sqlalchemy import BigInteger, ForeignKey, Identity, Index, text  # noqa: E402

from handhaving.openbaarmaking_regels import Documentsoort, OpenbaarmakingStatus  # noqa: E402
from zorgtoezicht.db import Vocabulaire  # noqa: E402
from zorgtoezicht.domain.maatregelen import MaatregelSoort  # noqa: E402


class Openbaarmaking(Base):
    """The publication of one besluit: from the decision to publish, through the wachttijd, to the public list and off it."""

    __tablename__ = "openbaarmaking"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    besluit_id: Mapped[uuid.UUID] = mapped_column(unique=True, comment="the besluit published; one publication each")
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(index=True)
    instrument: Mapped[MaatregelSoort] = mapped_column(Vocabulaire(MaatregelSoort))
    documentsoort: Mapped[Documentsoort] = mapped_column(Vocabulaire(Documentsoort))
    besluitdatum: Mapped[date] = mapped_column(Date)
    zakelijke_weergave: Mapped[str] = mapped_column(Text, comment="written for publication: no personal data")
    status: Mapped[OpenbaarmakingStatus] = mapped_column(Vocabulaire(OpenbaarmakingStatus))
    bekendgemaakt_op: Mapped[date] = mapped_column(Date, comment="decision to publish made known; the wachttijd runs from the next day")
    laatste_wachtdag: Mapped[date] = mapped_column(Date)
    gepubliceerd_op: Mapped[date | None] = mapped_column(Date)
    zichtbaar_tot: Mapped[date | None] = mapped_column(Date, comment="last day online; removed from the day after")
    verwijderd_op: Mapped[date | None] = mapped_column(Date)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        # The public list: published items, newest first.
        Index("ix_openbaarmaking_gepubliceerd", "gepubliceerd_op", "id", postgresql_where=text("status = 'gepubliceerd'")),
    )


class OpenbaarmakingStatusRij(Base):
    """Statuses are appended, never edited."""

    __tablename__ = "openbaarmaking_status"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    openbaarmaking_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("openbaarmaking.id"), index=True)
    status: Mapped[OpenbaarmakingStatus] = mapped_column(Vocabulaire(OpenbaarmakingStatus))
    sinds: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    door: Mapped[str] = mapped_column(Text)
    toelichting: Mapped[str | None] = mapped_column(Text)
