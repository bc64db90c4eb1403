"""toezicht's tables: risk profiles built from stored signals, supervision activities, judgements and plans."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from zorgtoezicht.db import Vocabulaire, new_metadata
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.domain.toezicht import ActiviteitSoort, ActiviteitStatus, Bezoekvorm, Ernst, Normoordeel, Selectieroute
from zorgtoezicht.domain.zorgaanbieders import ZorgaanbiederSoort


class Base(DeclarativeBase):
    metadata = new_metadata()


class Risicoprofiel(Base):
    """A provider's current risk: the score the model computed from its stored signals, with its reasons and triggers.

    ``redenen`` is a list of {code, toelichting, bijdrage, bronType, bronId}; ``triggers`` a list of
    {code, toelichting, uiterlijk (ISO date or null), activiteit (ActiviteitSoort)}: the planner reads both.
    """

    __tablename__ = "risicoprofiel"

    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    aantal_signalen: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[float] = mapped_column(Numeric(6, 2, asdecimal=False), default=0.0, index=True)
    overschreven_score: Mapped[float | None] = mapped_column(Numeric(6, 2, asdecimal=False))
    overschrijving_reden: Mapped[str | None] = mapped_column(Text)
    model_versie: Mapped[str | None] = mapped_column(Text)
    redenen: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    triggers: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    sector: Mapped[Sector | None] = mapped_column(Vocabulaire(Sector))
    gemeente_code: Mapped[str | None] = mapped_column(Text)
    soort: Mapped[ZorgaanbiederSoort | None] = mapped_column(Vocabulaire(ZorgaanbiederSoort))
    laatste_oordeel_op: Mapped[date | None] = mapped_column(Date)
    berekend_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    bijgewerkt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())
    # --- the projection of register's facts and the inspector's marks ---
    # coalesce(overschreven_score, score), kept by toezicht's own writes so the list sorts on an index
    effectieve_score: Mapped[float] = mapped_column(Numeric(6, 2, asdecimal=False), default=0.0)
    peildatum: Mapped[date | None] = mapped_column(Date)  # the day the score was computed for (decay and triggers)
    startdatum: Mapped[date | None] = mapped_column(Date)  # start of care (Wtza melding) or registration
    gestopt_op: Mapped[date | None] = mapped_column(Date)
    kwaliteitssysteem: Mapped[bool] = mapped_column(Boolean, default=False)  # toezicht op maat: score damped
    kwaliteitssysteem_reden: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_risicoprofiel_effectieve_score", "effectieve_score", "zorgaanbieder_id"),)


class Toezichtactiviteit(Base):
    """One supervision activity with a provider, how it was selected and where it is in its lifecycle (workflow)."""

    __tablename__ = "toezichtactiviteit"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(index=True)
    soort: Mapped[ActiviteitSoort] = mapped_column(Vocabulaire(ActiviteitSoort))
    selectieroute: Mapped[Selectieroute] = mapped_column(Vocabulaire(Selectieroute))
    selectiereden: Mapped[str] = mapped_column(Text)  # why it was chosen (score, trigger code, draw), never personal data
    status: Mapped[ActiviteitStatus] = mapped_column(Vocabulaire(ActiviteitStatus), default=ActiviteitStatus.voorgesteld)
    sector: Mapped[Sector | None] = mapped_column(Vocabulaire(Sector))
    thema: Mapped[str | None] = mapped_column(Text)
    aangekondigd: Mapped[bool | None] = mapped_column(Boolean)
    vorm: Mapped[Bezoekvorm | None] = mapped_column(Vocabulaire(Bezoekvorm))
    uiterlijk: Mapped[date | None] = mapped_column(Date)  # a deadline (wettelijk advies, follow-up), if any
    gepland_op: Mapped[date | None] = mapped_column(Date)
    uitgevoerd_op: Mapped[date | None] = mapped_column(Date)
    planning_id: Mapped[uuid.UUID | None] = mapped_column(index=True)  # the plan that placed it, if any
    vervalreden: Mapped[str | None] = mapped_column(Text)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())
    versie: Mapped[int] = mapped_column(Integer, default=1)


class ToezichtactiviteitStatus(Base):
    """Statuses are appended, never edited (the workflow's history)."""

    __tablename__ = "toezichtactiviteit_status"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    activiteit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("toezichtactiviteit.id"), index=True)
    status: Mapped[ActiviteitStatus] = mapped_column(Vocabulaire(ActiviteitStatus))
    sinds: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    door: Mapped[str] = mapped_column(Text)
    toelichting: Mapped[str | None] = mapped_column(Text)


# --- judgements (activiteiten, oordelen; migration 0004) ------------------------------------------------------


class Oordeel(Base):
    """The judgement of one supervision activity against its sector's normenkader (one per activity, fixed once)."""

    __tablename__ = "oordeel"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    activiteit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("toezichtactiviteit.id"), unique=True)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(index=True)
    sector: Mapped[Sector] = mapped_column(Vocabulaire(Sector))
    normenkader_versie: Mapped[str] = mapped_column(Text)  # versie@hash: exactly which kader text
    vastgesteld_op: Mapped[date] = mapped_column(Date)
    vastgesteld_door: Mapped[str] = mapped_column(Text)  # the client id that fixed it
    aantal_voldaan: Mapped[int] = mapped_column(Integer)
    aantal_deels: Mapped[int] = mapped_column(Integer)
    aantal_niet_voldaan: Mapped[int] = mapped_column(Integer)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OordeelNorm(Base):
    """The judgement on one norm: met or not, the finding (free text: stays here, never in events or logs), and
    for a norm not (fully) met the severity of the tekortkoming. Norm text and source are kept as judged."""

    __tablename__ = "oordeel_norm"

    oordeel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("oordeel.id"), primary_key=True)
    norm_id: Mapped[str] = mapped_column(Text, primary_key=True)
    volgorde: Mapped[int] = mapped_column(Integer)
    oordeel: Mapped[Normoordeel] = mapped_column(Vocabulaire(Normoordeel))
    ernst: Mapped[Ernst | None] = mapped_column(Vocabulaire(Ernst))
    bevinding: Mapped[str] = mapped_column(Text)
    normtekst: Mapped[str] = mapped_column(Text)
    bron: Mapped[str] = mapped_column(Text)


# The Jaarbeeld counts performed activities by the date they were performed; the list pages by creation.
Index("ix_toezichtactiviteit_uitgevoerd_op", Toezichtactiviteit.uitgevoerd_op)
Index("ix_toezichtactiviteit_aangemaakt_op_id", Toezichtactiviteit.aangemaakt_op, Toezichtactiviteit.id)
# --- planning: inspectors, plans, what was chosen, left out and cannot be done (migration 0005) ---------------


class Inspecteur(Base):
    """An inspector the planner may assign. ``weergavenaam`` is internal staff data: never in events or logs."""

    __tablename__ = "inspecteur"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    weergavenaam: Mapped[str] = mapped_column(Text)
    team: Mapped[str] = mapped_column(Text, index=True)
    sectoren: Mapped[list[str]] = mapped_column(JSONB, default=list)
    uren_per_week: Mapped[float] = mapped_column(Numeric(5, 2, asdecimal=False))
    afwezigheden: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)  # [{van, tot}] ISO dates, inclusive
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())
    versie: Mapped[int] = mapped_column(Integer, default=1)


class Planning(Base):
    """A computed quarterly plan with the figures that certify it; ``vorige_id`` when it re-plans one team."""

    __tablename__ = "planning"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    periode_start: Mapped[date] = mapped_column(Date)
    weken: Mapped[int] = mapped_column(Integer)
    team: Mapped[str | None] = mapped_column(Text)
    vorige_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("planning.id"))
    seed: Mapped[int] = mapped_column(BigInteger)
    aselect_aandeel: Mapped[float] = mapped_column(Float)
    quota: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    normen_versie: Mapped[str] = mapped_column(Text)
    normen_hash: Mapped[str] = mapped_column(Text)
    doelwaarde: Mapped[float] = mapped_column(Float)
    greedy_doelwaarde: Mapped[float] = mapped_column(Float)
    lp_grens: Mapped[float] = mapped_column(Float)
    discretionaire_uren: Mapped[float] = mapped_column(Float)
    aselect_doel_uren: Mapped[float] = mapped_column(Float)
    aselect_uren: Mapped[float] = mapped_column(Float)
    aselect_gerealiseerd: Mapped[float] = mapped_column(Float)
    quota_resultaat: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    reparatie: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)  # concept | vastgesteld
    aangemaakt_door: Mapped[str] = mapped_column(Text)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    vastgesteld_door: Mapped[str | None] = mapped_column(Text)
    vastgesteld_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PlanningActiviteit(Base):
    """One activity of a plan: who, which week, and why it was chosen."""

    __tablename__ = "planning_activiteit"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    planning_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("planning.id"), index=True)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column()
    soort: Mapped[ActiviteitSoort] = mapped_column(Vocabulaire(ActiviteitSoort))
    sector: Mapped[Sector] = mapped_column(Vocabulaire(Sector))
    week: Mapped[int] = mapped_column(Integer)
    gepland_op: Mapped[date] = mapped_column(Date)  # Monday of the week
    inspecteurs: Mapped[list[str]] = mapped_column(JSONB)
    selectieroute: Mapped[Selectieroute] = mapped_column(Vocabulaire(Selectieroute))
    selectiereden: Mapped[str] = mapped_column(Text)
    uren: Mapped[float] = mapped_column(Float)
    waarde: Mapped[float] = mapped_column(Float)
    uiterlijk: Mapped[date | None] = mapped_column(Date)
    themas: Mapped[list[str]] = mapped_column(JSONB, default=list)


class PlanningWeggelaten(Base):
    """A candidate the plan left out, and why."""

    __tablename__ = "planning_weggelaten"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    planning_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("planning.id"), index=True)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column()
    reden: Mapped[str] = mapped_column(Text)
    toelichting: Mapped[str] = mapped_column(Text)


class PlanningOnhaalbaar(Base):
    """Mandatory work the plan cannot do before its deadline, and why (never silently dropped)."""

    __tablename__ = "planning_onhaalbaar"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    planning_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("planning.id"), index=True)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column()
    soort: Mapped[ActiviteitSoort] = mapped_column(Vocabulaire(ActiviteitSoort))
    triggers: Mapped[list[str]] = mapped_column(JSONB)
    uiterlijk: Mapped[date | None] = mapped_column(Date)
    reden: Mapped[str] = mapped_column(Text)
    toelichting: Mapped[str] = mapped_column(Text)


# --- the risk model's stored signals (migration 0003) -----------------------------------------------------------


class Signaal(Base):
    """One signal about a provider, stored as the facts the risk model reads (toezicht/risicomodel.py).

    Every signal names the event it came from (``bron_type``, ``bron_id``; ``volgnummer`` when one event gives
    several) and the object it is about (melding, maatregel, vergunning, activiteit), so each reason of a score
    names its event and re-delivery cannot store it twice. A rescore reads only this table and risicoprofiel.
    """

    __tablename__ = "signaal"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(index=True)
    soort: Mapped[str] = mapped_column(Text)  # a kind of risicomodel.SOORTEN
    code: Mapped[str | None] = mapped_column(Text)  # melding kind, register rule id, maatregel kind, activity kind
    peildatum: Mapped[date] = mapped_column(Date)  # the date the signal counts from (age and decay)
    uiterlijk: Mapped[date | None] = mapped_column(Date)  # a due date: a licence's uiterste beslisdatum, a measure's einddatum
    geldig_tot: Mapped[date | None] = mapped_column(Date)  # ended: a measure lifted, a licence decided
    ernstig: Mapped[bool] = mapped_column(Boolean, default=False)  # severity: a death, an ernstige tekortkoming
    waarde: Mapped[float | None] = mapped_column(Float)  # a judgement's share of norms niet voldaan (unrounded: the score is exact)
    waarde_deels: Mapped[float | None] = mapped_column(Float)  # its share deels voldaan
    melder_rol: Mapped[str | None] = mapped_column(Text)
    bron_type: Mapped[str] = mapped_column(Text)  # CloudEvent type
    bron_id: Mapped[uuid.UUID] = mapped_column()  # CloudEvent id
    volgnummer: Mapped[int] = mapped_column(SmallInteger, default=0)
    bron_object_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    vastgelegd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (UniqueConstraint("bron_id", "volgnummer"),)
