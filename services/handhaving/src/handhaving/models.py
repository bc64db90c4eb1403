"""handhaving's tables: maatregelen, the providers it knows from register's events, and the Awb procedure
(handhavingszaken, besluiten in the ZGW Besluit shape, their status history, objections)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Identity, Index, Integer, String, Text, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from handhaving.openbaarmaking_regels import Documentsoort, OpenbaarmakingStatus
from zorgtoezicht.db import Vocabulaire, new_metadata
from zorgtoezicht.domain.handhaving import Aanleiding, BesluitStatus, BezwaarUitkomst, Vervalreden, VerwijzingSoort
from zorgtoezicht.domain.maatregelen import MaatregelSoort


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


# --- the Awb procedure (migration 0003) -------------------------------------------------------------------


class Handhavingszaak(Base):
    """One enforcement case against a provider. Its reason is a code and the id of its source (a judgement, a
    melding), with the norm ids and severities of the shortcomings: never free text from an event."""

    __tablename__ = "handhavingszaak"
    __table_args__ = (
        UniqueConstraint("aanleiding", "aanleiding_id", name="uq_handhavingszaak_aanleiding"),
    )  # one case per judgement (redelivery)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    identificatie: Mapped[str] = mapped_column(Text, unique=True)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(index=True)
    aanleiding: Mapped[Aanleiding] = mapped_column(Vocabulaire(Aanleiding))
    aanleiding_id: Mapped[uuid.UUID | None] = mapped_column()
    aanleiding_datum: Mapped[date] = mapped_column(Date)  # the day of the shortcoming (a judgement's vastgesteld_op)
    tekortkomingen: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)  # norm ids, oordeel, ernst
    herhaling_van: Mapped[uuid.UUID | None] = mapped_column()  # the waarschuwing in force that made this a repeat
    geopend_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    geopend_door: Mapped[str] = mapped_column(Text)


class Besluit(Base):
    """One formal decision in the ZGW Besluit shape; ``besluittype`` is the instrument. Instrument-specific
    terms (a begunstigingstermijn, a term to comply) are in ``instrumentgegevens``."""

    __tablename__ = "besluit"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    identificatie: Mapped[str] = mapped_column(Text, unique=True)
    zaak_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("handhavingszaak.id"), index=True)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(index=True)
    besluittype: Mapped[MaatregelSoort] = mapped_column(Vocabulaire(MaatregelSoort))
    status: Mapped[BesluitStatus] = mapped_column(Vocabulaire(BesluitStatus))
    datum: Mapped[date | None] = mapped_column(Date)  # the day it was taken
    ingangsdatum: Mapped[date | None] = mapped_column(Date)
    vervaldatum: Mapped[date | None] = mapped_column(Date)  # the last day it has effect
    vervalreden: Mapped[Vervalreden | None] = mapped_column(Vocabulaire(Vervalreden))
    publicatiedatum: Mapped[date | None] = mapped_column(Date)
    verzenddatum: Mapped[date | None] = mapped_column(Date)  # the bekendmaking (Awb 3:41)
    uiterlijke_reactiedatum: Mapped[date | None] = mapped_column(Date)  # ZGW: the last day to object (Atw), set at bekendmaking
    zienswijze_uiterlijk: Mapped[date | None] = mapped_column(Date)  # the last day for the provider's view (Awb 4:8)
    zienswijze_ontvangen_op: Mapped[date | None] = mapped_column(Date)
    toelichting: Mapped[str] = mapped_column(Text)
    motivering: Mapped[str | None] = mapped_column(Text)
    grondslag: Mapped[str | None] = mapped_column(Text)
    rechtsmiddelenclausule: Mapped[str | None] = mapped_column(Text)
    spoedreden: Mapped[str | None] = mapped_column(Text)  # why the hearing was skipped or shortened (Awb 4:11)
    instrumentgegevens: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    versie: Mapped[int] = mapped_column(Integer, default=1)


class BesluitStatusRij(Base):
    """Statuses are appended, never edited (the procedure's history)."""

    __tablename__ = "besluit_status"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    besluit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("besluit.id"), index=True)
    status: Mapped[BesluitStatus] = mapped_column(Vocabulaire(BesluitStatus))
    sinds: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    door: Mapped[str] = mapped_column(Text)
    toelichting: Mapped[str | None] = mapped_column(Text)


class Verwijzing(Base):
    """A referral recorded as a step of a case (migration 0007): the matter went to the tuchtcollege, the Minister
    (voordracht) or the Openbaar Ministerie. Not a besluit of the inspectorate: no Awb procedure of its own."""

    __tablename__ = "verwijzing"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    zaak_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("handhavingszaak.id"), index=True)
    soort: Mapped[VerwijzingSoort] = mapped_column(
        Vocabulaire(VerwijzingSoort), comment="VerwijzingSoort: tuchtklacht, voordracht or aangifte bij het OM"
    )
    datum: Mapped[date] = mapped_column(Date, comment="the day the matter was referred")
    toelichting: Mapped[str] = mapped_column(Text)
    vastgelegd_door: Mapped[str] = mapped_column(Text, comment="client id of who recorded it")
    vastgelegd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Bezwaar(Base):
    """An objection against a besluit: on time or late by the Atw (a late one is registered, with room for a
    verschoonbaar reason, Awb 6:11) and the term for its decision (Awb 7:10)."""

    __tablename__ = "bezwaar"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    besluit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("besluit.id"), index=True)
    ontvangen_op: Mapped[date] = mapped_column(Date)
    laatste_dag: Mapped[date] = mapped_column(Date)
    te_laat: Mapped[bool] = mapped_column(Boolean)
    verschoonbaar: Mapped[bool | None] = mapped_column(Boolean)
    verschoonbaar_reden: Mapped[str | None] = mapped_column(Text)
    adviescommissie: Mapped[bool] = mapped_column(Boolean)
    verdaagd: Mapped[bool] = mapped_column(Boolean, default=False)  # the decision postponed once (Awb 7:10 lid 3)
    beslistermijn_einde: Mapped[date] = mapped_column(Date)
    beslist_op: Mapped[date | None] = mapped_column(Date)
    uitkomst: Mapped[BezwaarUitkomst | None] = mapped_column(Vocabulaire(BezwaarUitkomst))
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
