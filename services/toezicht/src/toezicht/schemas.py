"""toezicht's API bodies."""

from __future__ import annotations

import uuid
from datetime import datetime

from zorgtoezicht.http.schemas import ApiModel, Page


class Risicoprofiel(ApiModel):
    zorgaanbieder_id: uuid.UUID
    aantal_signalen: int
    bijgewerkt_op: datetime


class RisicoprofielPagina(Page[Risicoprofiel]):
    """A page of risk profiles, most signals first."""
