"""The besluittypen: per instrument the terms of its Awb procedure, read from besluittypen.json (the law as data).

``HANDHAVING_BESLUITTYPEN`` may name another file (an amended policy without a code change).
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from pydantic import Field

from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.http.schemas import ApiModel

STANDAARD = Path(__file__).with_name("besluittypen.json")


class Besluittype(ApiModel):
    zienswijze_termijn_dagen: int = Field(ge=1)
    spoed_overslaan_toegestaan: bool
    spoed_minimum_dagen: int = Field(ge=1)
    maatregel: bool
    max_duur_dagen: int | None = Field(None, ge=1)
    geldigheid_maanden: int | None = Field(None, ge=1)


class Bezwaartermijnen(ApiModel):
    beslistermijn_weken: int = Field(ge=1)
    met_adviescommissie_weken: int = Field(ge=1)
    verdaging_weken: int = Field(ge=0)


class Besluittypen(ApiModel):
    bezwaar: Bezwaartermijnen
    besluittypen: dict[MaatregelSoort, Besluittype]

    def van(self, instrument: MaatregelSoort | str) -> Besluittype:
        return self.besluittypen[MaatregelSoort(instrument)]


@cache
def laad(pad: str | None = None) -> Besluittypen:
    bestand = Path(pad or os.environ.get("HANDHAVING_BESLUITTYPEN") or STANDAARD)
    gegevens = json.loads(bestand.read_text(encoding="utf-8"))
    gegevens.pop("_uitleg", None)
    typen = Besluittypen.model_validate(gegevens)
    if missend := set(MaatregelSoort) - set(typen.besluittypen):
        raise ValueError(f"{bestand}: no besluittype for {sorted(missend)}")
    return typen
