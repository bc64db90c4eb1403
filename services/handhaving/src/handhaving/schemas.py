"""handhaving's API bodies."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import Field, model_validator

from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.http.schemas import ApiModel


class MaatregelIn(ApiModel):
    zorgaanbieder_id: uuid.UUID
    soort: MaatregelSoort
    ingangsdatum: date
    einddatum: date | None = None
    motivering: str = Field(min_length=1, max_length=20000, description="Motivering (Awb 3:46) of the decision")

    @model_validator(mode="after")
    def _einddatum_na_ingangsdatum(self) -> MaatregelIn:
        if self.einddatum is not None and self.einddatum < self.ingangsdatum:
            raise ValueError("einddatum lies before ingangsdatum")
        return self


class Maatregel(ApiModel):
    id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    soort: MaatregelSoort
    ingangsdatum: date
    einddatum: date | None = None
    motivering: str
    opgelegd_op: datetime
