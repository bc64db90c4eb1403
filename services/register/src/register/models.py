"""Register's tables: zorgaanbieders with vestigingen, Wtza meldingen, aandachtspunten, vergunningen,
the audit trail, and the measures handhaving imposed (a projection of its events)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, Uuid, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from zorgtoezicht.audit import add_audit_table
from zorgtoezicht.db import Vocabulaire, new_metadata
from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.domain.zorgaanbieders import (
    AandachtspuntStatus,
    Intrekkingsgrond,
    Rechtsvorm,
    VergunningStatus,
    Vergunningstatus,
    Vervolgstap,
    ZorgaanbiederSoort,
    ZorgaanbiederStatus,
)


class Base(DeclarativeBase):
    metadata = new_metadata()


audit_trail = add_audit_table(Base.metadata)


class Zorgaanbieder(Base):
    __tablename__ = "zorgaanbieder"
    __table_args__ = (
        Index("ix_zorgaanbieder_sectoren", "sectoren", postgresql_using="gin"),  # search by sector (array overlap)
        Index("ix_zorgaanbieder_vergunningstatus", "vergunningstatus"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kvk_nummer: Mapped[str] = mapped_column(String(8), unique=True)
    statutaire_naam: Mapped[str] = mapped_column(Text)
    handelsnamen: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    rechtsvorm: Mapped[Rechtsvorm | None] = mapped_column(Vocabulaire(Rechtsvorm))
    soort: Mapped[ZorgaanbiederSoort] = mapped_column(Vocabulaire(ZorgaanbiederSoort), default=ZorgaanbiederSoort.instelling)
    agb_code: Mapped[str | None] = mapped_column(String(8))
    sectoren: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    zorgsoorten: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    financiering: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    aantal_zorgverleners: Mapped[int | None] = mapped_column(Integer)
    aantal_clienten: Mapped[int | None] = mapped_column(Integer)
    heeft_clientenraad: Mapped[bool | None] = mapped_column(Boolean)
    heeft_intern_toezicht: Mapped[bool | None] = mapped_column(Boolean)
    levert_msz: Mapped[bool] = mapped_column(Boolean, default=False)
    startdatum_zorg: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ZorgaanbiederStatus] = mapped_column(Vocabulaire(ZorgaanbiederStatus), default=ZorgaanbiederStatus.actief)
    vergunningplichtig: Mapped[bool] = mapped_column(Boolean, default=False)
    vergunningstatus: Mapped[Vergunningstatus] = mapped_column(Vocabulaire(Vergunningstatus), default=Vergunningstatus.geen)
    zoeknaam: Mapped[str] = mapped_column(Text, default="")  # normalised names for typo-tolerant search
    inhoud_hash: Mapped[str | None] = mapped_column(Text)  # hash of the loaded facts: a reload changes nothing
    versie: Mapped[int] = mapped_column(Integer, default=1)
    geregistreerd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())

    vestigingen: Mapped[list[Vestiging]] = relationship(
        back_populates="zorgaanbieder", order_by="Vestiging.vestigingsnummer", lazy="selectin", cascade="all, delete-orphan"
    )


class Zoekwoord(Base):
    """The vocabulary of provider names, with how many providers carry each word."""

    __tablename__ = "zoekwoord"
    # Trigram index: the words closest to a query word, typos included (migration 0004).
    __table_args__ = (Index("ix_zoekwoord_woord_trgm", "woord", postgresql_using="gin", postgresql_ops={"woord": "gin_trgm_ops"}),)

    woord: Mapped[str] = mapped_column(Text, primary_key=True)
    aantal: Mapped[int] = mapped_column(Integer, comment="providers with this word (for rarity; may lag slightly)")


class ZorgaanbiederWoord(Base):
    __tablename__ = "zorgaanbieder_woord"

    woord: Mapped[str] = mapped_column(Text, primary_key=True)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("zorgaanbieder.id", ondelete="CASCADE"), primary_key=True, index=True)


class ZorgaanbiederWoordpaar(Base):
    """Every pair of a provider's search words, ``"<first> <second>"`` in code-point order (zoeken_normalisatie.woordparen):
    the providers that carry both of two query words are one index range, however common each word is alone.
    Derived from ``zorgaanbieder_woord`` and written in the same transaction. No foreign key: it would double the
    cost of a bulk load's COPY (a check per row, measured), and providers are never deleted (they are deregistered);
    rows go by (paar, zorgaanbieder_id), computed from the provider's old words (migration 0006)."""

    __tablename__ = "zorgaanbieder_woordpaar"

    paar: Mapped[str] = mapped_column(Text, primary_key=True)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)


class Vestiging(Base):
    __tablename__ = "vestiging"
    # Search by gemeente or postcode in KvK order straight from an index (migration 0003).
    __table_args__ = (
        Index("ix_vestiging_gemeente_code", "gemeente_code", "kvk_nummer", "zorgaanbieder_id"),
        Index("ix_vestiging_postcode", "postcode", "kvk_nummer", "zorgaanbieder_id"),
    )

    vestigingsnummer: Mapped[str] = mapped_column(String(12), primary_key=True)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("zorgaanbieder.id"), index=True)
    kvk_nummer: Mapped[str] = mapped_column(String(8))  # the provider's, so searches run in KvK order on an index
    naam: Mapped[str | None] = mapped_column(Text)
    adres: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str] = mapped_column(String(7))
    plaats: Mapped[str | None] = mapped_column(Text)
    gemeente_code: Mapped[str | None] = mapped_column(String(6))
    gemeente: Mapped[str] = mapped_column(Text)

    zorgaanbieder: Mapped[Zorgaanbieder] = relationship(back_populates="vestigingen")


class WtzaMelding(Base):
    """A Wtza melding as CIBG sent it, kept to make the endpoint idempotent on CIBG's reference."""

    __tablename__ = "wtza_melding"

    cibg_referentie: Mapped[str] = mapped_column(Text, primary_key=True)
    inhoud_hash: Mapped[str] = mapped_column(Text)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(index=True)
    ontvangen_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    resultaat: Mapped[dict[str, Any]] = mapped_column(JSONB)


class Aandachtspunt(Base):
    __tablename__ = "aandachtspunt"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("zorgaanbieder.id"), index=True)
    regel: Mapped[str] = mapped_column(Text)
    grondslag: Mapped[str] = mapped_column(Text)
    reden: Mapped[str] = mapped_column(Text)
    vervolg: Mapped[Vervolgstap | None] = mapped_column(Vocabulaire(Vervolgstap))
    status: Mapped[AandachtspuntStatus] = mapped_column(Vocabulaire(AandachtspuntStatus), default=AandachtspuntStatus.open)
    cibg_referentie: Mapped[str | None] = mapped_column(Text)
    ontstaan_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Vergunning(Base):
    """A toelatingsvergunning (Wtza art. 4): aanvraag → verleend | geweigerd; later ingetrokken."""

    __tablename__ = "vergunning"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("zorgaanbieder.id"), index=True)
    cibg_referentie: Mapped[str] = mapped_column(Text, unique=True)
    status: Mapped[VergunningStatus] = mapped_column(Vocabulaire(VergunningStatus))
    aanvraag_compleet_op: Mapped[date] = mapped_column(Date)
    uiterste_beslisdatum: Mapped[date] = mapped_column(Date, index=True)
    besluitdatum: Mapped[date | None] = mapped_column(Date)
    weigeringsgrond: Mapped[str | None] = mapped_column(Text)
    intrekkingsdatum: Mapped[date | None] = mapped_column(Date)
    intrekkingsgrond: Mapped[Intrekkingsgrond | None] = mapped_column(Vocabulaire(Intrekkingsgrond))
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())


class ActieveMaatregel(Base):
    """Projection of handhaving's ``maatregel-opgelegd`` events (no foreign key: events may come first)."""

    __tablename__ = "actieve_maatregel"

    maatregel_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(index=True)
    soort: Mapped[MaatregelSoort] = mapped_column(Vocabulaire(MaatregelSoort))
    ingangsdatum: Mapped[date] = mapped_column(Date)
    einddatum: Mapped[date | None] = mapped_column(Date)
