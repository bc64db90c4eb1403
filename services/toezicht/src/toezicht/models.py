"""toezicht's tables: a risk profile per provider, built from the signals it receives."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Integer, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from zorgtoezicht.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


class Risicoprofiel(Base):
    __tablename__ = "risicoprofiel"

    zorgaanbieder_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    aantal_signalen: Mapped[int] = mapped_column(Integer, default=0)
    bijgewerkt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())
