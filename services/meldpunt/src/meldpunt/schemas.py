"""meldpunt's API bodies."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from zorgtoezicht.domain.identifiers import Vestigingsnummer
from zorgtoezicht.domain.meldingen import MeldingSoort
from zorgtoezicht.http.schemas import ApiModel


class MeldingIn(ApiModel):
    soort: MeldingSoort
    vestigingsnummer: Vestigingsnummer = Field(description="KvK vestigingsnummer of the vestiging the melding is about")
    omschrijving: str = Field(min_length=1, max_length=20000, description="What happened (never leaves meldpunt)")


class Melding(ApiModel):
    id: uuid.UUID
    soort: MeldingSoort
    vestigingsnummer: str
    zorgaanbieder_id: uuid.UUID
    omschrijving: str
    ontvangen_op: datetime
