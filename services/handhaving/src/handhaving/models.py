"""handhaving's tables: maatregelen, the providers it knows from register's events, and the Awb procedure
(handhavingszaken, besluiten in the ZGW Besluit shape, their status history, objections)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from handhaving.dwangsom import Bedragsoort, Beeindiging, Tijdseenheid
from handhaving.openbaarmaking_regels import Documentsoort, OpenbaarmakingStatus
from zorgtoezicht.db import Vocabulaire, new_metadata
from zorgtoezicht.domain.handhaving import Aanleiding, BesluitStatus, BezwaarUitkomst, Vervalreden, VerwijzingSoort, ZaakStatus
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
    status: Mapped[ZaakStatus] = mapped_column(Vocabulaire(ZaakStatus), default=ZaakStatus.open, server_default=text("'open'"))  # 0008
    afgesloten_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # 0008
    __table_args__ = (*__table_args__, Index("ix_handhavingszaak_geopend_op", "geopend_op", "id"))  # 0008: the list, newest first


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

    def gebeurtenisvelden(self) -> dict[str, Any]:
        """The fields every besluit event carries (contracts.handhaving._BesluitEvent): ids and the instrument."""
        return {"besluit_id": self.id, "zaak_id": self.zaak_id, "zorgaanbieder_id": self.zorgaanbieder_id, "besluittype": self.besluittype}


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


# --- last onder dwangsom (migration 0005) -------------------------------------------------------------------
# The law is handhaving/dwangsom.py; these rows are what it was applied to (the last, dated checks) and what
# it found (verbeurten), so a verbeurte once registered never changes under an invorderingsbeschikking.


class DwangsomLast(Base):
    """A last onder dwangsom made known: its begunstigingstermijn, amount and maximum, and its early end."""

    __tablename__ = "dwangsom_last"

    besluit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("besluit.id"), primary_key=True)
    begunstigingstermijn_einde: Mapped[date] = mapped_column(Date, comment="the last day the provider may comply without forfeiting")
    bedragsoort: Mapped[Bedragsoort] = mapped_column(Vocabulaire(Bedragsoort))
    bedrag: Mapped[Decimal] = mapped_column(Numeric(12, 2), comment="the lump sum, or the amount per unit or per violation")
    maximum: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), comment="Awb 5:32b; none for a lump sum (its own maximum)")
    tijdseenheid: Mapped[Tijdseenheid | None] = mapped_column(Vocabulaire(Tijdseenheid))
    beeindigd_op: Mapped[date | None] = mapped_column(Date, comment="intrekking or opheffing: nothing is forfeited from this day")
    beeindiging: Mapped[Beeindiging | None] = mapped_column(Vocabulaire(Beeindiging))
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DwangsomControle(Base):
    """A dated check of the last; ``reden`` says why it forfeited nothing (none when it registered a verbeurte)."""

    __tablename__ = "dwangsom_controle"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    besluit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dwangsom_last.besluit_id"), index=True)
    datum: Mapped[date] = mapped_column(Date)
    overtreding: Mapped[bool] = mapped_column(Boolean)
    aantal_overtredingen: Mapped[int] = mapped_column(Integer)
    reden: Mapped[str | None] = mapped_column(Text)
    door: Mapped[str] = mapped_column(Text)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DwangsomVerbeurte(Base):
    """A forfeited sum proven by a check, with its Awb dates (5:33 payment, 5:35 limitation) and its collection."""

    __tablename__ = "dwangsom_verbeurte"
    __table_args__ = (UniqueConstraint("besluit_id", "volgnummer", name="uq_dwangsom_verbeurte_volgnummer"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    besluit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dwangsom_last.besluit_id"), index=True)
    controle_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dwangsom_controle.id"), index=True)
    volgnummer: Mapped[int] = mapped_column(Integer)
    controle_datum: Mapped[date] = mapped_column(Date)
    verbeurd_vanaf: Mapped[date] = mapped_column(Date)
    verbeurd_tot: Mapped[date] = mapped_column(Date)
    eenheden: Mapped[int] = mapped_column(Integer)
    bedrag: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    gemaximeerd: Mapped[bool] = mapped_column(Boolean)
    betalen_uiterlijk: Mapped[date] = mapped_column(Date, comment="Awb 5:33, Atw applied")
    verjaard_na: Mapped[date] = mapped_column(Date, comment="Awb 5:35: the last day collection is possible")
    bijna_verjaard_vanaf: Mapped[date] = mapped_column(Date)
    invorderingsbeschikking_op: Mapped[date | None] = mapped_column(Date, comment="Awb 5:37")
    aangemaand_op: Mapped[date | None] = mapped_column(Date, comment="Awb 4:112, only after the invorderingsbeschikking")
    betaald_op: Mapped[date | None] = mapped_column(Date)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# --- bestuurlijke boete (migration 0006; handhaving/boeteprocedure.py) -------------------------------------


class Boeterapport(Base):
    """The report behind a bestuurlijke boete (Awb 5:48) and the amount computed from it. The amount stays
    fixed to the policy table used (its versie and sha256), whatever table is loaded later. Never published."""

    __tablename__ = "boeterapport"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    zaak_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("handhavingszaak.id"), index=True)
    besluit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("besluit.id"), unique=True, comment="the boete; one report each")
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(index=True)
    opgemaakt_op: Mapped[date] = mapped_column(Date, comment="dagtekening: the 13 weeks of Awb 5:51 run from here")
    overtredingsdatum: Mapped[date] = mapped_column(Date, comment="the fining power lapses counted from here (Awb 5:45)")
    categorie: Mapped[str] = mapped_column(Text)
    ernst: Mapped[str] = mapped_column(Text)
    verwijtbaarheid: Mapped[str] = mapped_column(Text)
    fte: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    omvangsklasse: Mapped[str] = mapped_column(Text)
    bedrag: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    maximum: Mapped[Decimal] = mapped_column(Numeric(14, 2), comment="the category's maximum: the fine that can be imposed")
    gemaximeerd: Mapped[bool] = mapped_column(Boolean)
    zienswijze_verplicht: Mapped[bool] = mapped_column(Boolean, comment="Awb 5:53: the fine can exceed the threshold")
    uitleg: Mapped[list[str]] = mapped_column(JSONB, comment="the computation line by line, for the motivering")
    beleid_versie: Mapped[str] = mapped_column(Text)
    beleid_hash: Mapped[str] = mapped_column(Text, comment="sha256 of the policy table's canonical JSON")
    voorbeeldbeleid: Mapped[bool] = mapped_column(Boolean, comment="computed from an example table, not the VWS amounts")
    beslistermijn: Mapped[date] = mapped_column(Date, comment="last day to decide in time (Awb 5:51; not fatal)")
    bevoegdheid_vervalt: Mapped[date] = mapped_column(Date, comment="last day the fine can be imposed (Awb 5:45)")
    besluitdatum: Mapped[date | None] = mapped_column(Date)
    beslistermijn_overschreden_dagen: Mapped[int | None] = mapped_column(Integer, comment="set when decided: days past 5:51")
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    aangemaakt_door: Mapped[str] = mapped_column(Text)
