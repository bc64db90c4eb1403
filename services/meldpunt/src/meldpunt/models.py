"""meldpunt's tables: meldingen, and its own projection of the providers register knows."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Identity, Integer, LargeBinary, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from zorgtoezicht.audit import add_audit_table
from zorgtoezicht.db import Vocabulaire, new_metadata
from zorgtoezicht.domain import meldingen as domein  # its MeldingStatus is the enum; the table below has that name
from zorgtoezicht.domain.meldingen import Kanaal, MelderRol, MeldingSoort, Prioriteit, Route
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.domain.zorgaanbieders import ZorgaanbiederSoort, ZorgaanbiederStatus


class Base(DeclarativeBase):
    metadata = new_metadata()


audit_trail = add_audit_table(Base.metadata)


class BekendeZorgaanbieder(Base):
    """Projection of register's zorgaanbieder events: the facts intake needs (sector, status)."""

    __tablename__ = "bekende_zorgaanbieder"

    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kvk_nummer: Mapped[str] = mapped_column(String(8))
    soort: Mapped[ZorgaanbiederSoort] = mapped_column(Vocabulaire(ZorgaanbiederSoort))
    sectoren: Mapped[list[str]] = mapped_column(ARRAY(Text))
    status: Mapped[ZorgaanbiederStatus] = mapped_column(Vocabulaire(ZorgaanbiederStatus))


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
    soort: Mapped[MeldingSoort] = mapped_column(Vocabulaire(MeldingSoort))
    status: Mapped[domein.MeldingStatus] = mapped_column(Vocabulaire(domein.MeldingStatus), default=domein.MeldingStatus.ontvangen)
    melder_rol: Mapped[MelderRol] = mapped_column(Vocabulaire(MelderRol), default=MelderRol.zorgaanbieder)
    kanaal: Mapped[Kanaal] = mapped_column(Vocabulaire(Kanaal), default=Kanaal.partner_api)
    sector: Mapped[Sector | None] = mapped_column(Vocabulaire(Sector))
    vestigingsnummer: Mapped[str | None] = mapped_column(String(12), index=True)
    zorgaanbieder_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    gemeente_code: Mapped[str | None] = mapped_column(String(6), index=True)
    gebeurtenisdatum: Mapped[date | None] = mapped_column(Date)
    omschrijving: Mapped[str] = mapped_column(Text, comment="free text: personal data, never in events or logs")
    gegevens: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # kind-specific, non-personal facts
    persoonsgegevens: Mapped[bytes | None] = mapped_column(LargeBinary)  # melder contact and patient, AES-GCM encrypted
    bsn_vingerafdruk: Mapped[str | None] = mapped_column(Text, index=True)  # keyed HMAC of the BSN, never the BSN
    zorgaanbieder_kandidaat: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    ingediend_door: Mapped[str] = mapped_column(Text, comment="client id of the submitting system")
    ontvangen_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    tijdigheid: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    route: Mapped[Route | None] = mapped_column(Vocabulaire(Route))
    prioriteit: Mapped[Prioriteit | None] = mapped_column(Vocabulaire(Prioriteit))
    afhandeldatum: Mapped[date | None] = mapped_column(Date, index=True)
    triage_besluit: Mapped[dict[str, Any] | None] = mapped_column("triage", JSONB)
    rapport_uiterlijk: Mapped[date | None] = mapped_column(Date, index=True)
    rapport_ontvangen_op: Mapped[date | None] = mapped_column(Date)
    samengevoegd_met: Mapped[uuid.UUID | None] = mapped_column()
    versie: Mapped[int] = mapped_column(Integer, default=1)


class MeldingStatus(Base):
    """Statuses are appended, never edited (as in Signalen)."""

    __tablename__ = "melding_status"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    melding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("melding.id"), index=True)
    status: Mapped[domein.MeldingStatus] = mapped_column(Vocabulaire(domein.MeldingStatus))
    sinds: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    door: Mapped[str] = mapped_column(Text)
    toelichting: Mapped[str | None] = mapped_column(Text)


class MogelijkeDubbel(Base):
    __tablename__ = "mogelijke_dubbel"

    melding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("melding.id"), primary_key=True)
    andere_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("melding.id"), primary_key=True)
    reden: Mapped[str] = mapped_column(Text)
