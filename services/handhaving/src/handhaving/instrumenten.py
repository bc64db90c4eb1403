"""Per instrument the terms a voornemen must carry (``instrumentgegevens``): one model each, camelCase keys.

Validated when a besluit is proposed (``procedure.stel_voor``): every missing, invalid or unknown key is reported
as ``instrumentgegevens.<key>`` in one 400. Stored normalised: camelCase, decimals as strings, absent keys left out.
Keys the system itself adds later (a bevel's ``verlengingen``) are not part of a voornemen.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, ValidationError

from handhaving.dwangsom import Bedragsoort, Tijdseenheid
from zorgtoezicht.domain.handhaving import Handhavingsmiddel
from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.http.schemas import ApiModel

# A term in calendar days: at least a day, at most ten years (a longer term is a typing error, not policy).
Dagen = Annotated[int, Field(ge=1, le=3650, strict=True)]
Bedrag = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2, description='euros, a decimal string such as "2500.00"')]


class Instrumentgegevens(ApiModel):
    """No terms of its own (waarschuwing, stimuleren/adviseren)."""

    @classmethod
    def samenhang(cls, g: dict[str, Any], ongeldig: set[str]) -> list[tuple[str, str, str]]:
        """Checks between keys on the raw body, as (key, code, reason); keys already invalid on their own are skipped,
        so each key is reported once and every other problem still is."""
        return []


class MetTermijn(Instrumentgegevens):
    """verbeterplan, aanwijzing, verscherpt toezicht: the term within which the provider must comply."""

    termijn_dagen: Dagen = Field(description="calendar days from the ingangsdatum; its last day is ingangsdatum + dagen - 1")


class Patientenstop(Instrumentgegevens):
    termijn_dagen: Dagen | None = Field(None, description="optional: a stop may hold until lifted")


class Bevel(Instrumentgegevens):
    handhavingsmiddel: Handhavingsmiddel = Field(description="how the bevel is enforced: dwangsom or bestuursdwang")


class LastOnderBestuursdwang(Instrumentgegevens):
    begunstigingstermijn_dagen: Dagen | None = Field(None, description="required unless spoedeisend")
    spoedeisend: bool = Field(False, description="urgent: bestuursdwang without a begunstigingstermijn (Awb 5:31)")
    te_treffen_maatregelen: str = Field(min_length=1, max_length=20000, description="what the provider must do (Awb 5:24)")

    @classmethod
    def samenhang(cls, g: dict[str, Any], ongeldig: set[str]) -> list[tuple[str, str, str]]:
        if {"spoedeisend", "begunstigingstermijnDagen"} & ongeldig:
            return []
        spoed, termijn = g.get("spoedeisend") is True, g.get("begunstigingstermijnDagen") is not None
        if spoed and termijn:
            return [("begunstigingstermijnDagen", "niet_bij_spoed", "urgent bestuursdwang has no begunstigingstermijn (Awb 5:31)")]
        if not spoed and not termijn:
            return [("begunstigingstermijnDagen", "missing", "a last onder bestuursdwang needs a begunstigingstermijn unless urgent")]
        return []


class LastOnderDwangsom(Instrumentgegevens):
    begunstigingstermijn_dagen: Dagen = Field(description="calendar days from the ingangsdatum (its last day: + dagen - 1)")
    bedragsoort: Bedragsoort
    bedrag: Bedrag
    maximum: Bedrag | None = Field(None, description="required unless ineens; at least the bedrag (Awb 5:32b)")
    tijdseenheid: Tijdseenheid | None = Field(None, description="only, and required, with per-tijdseenheid")

    @classmethod
    def samenhang(cls, g: dict[str, Any], ongeldig: set[str]) -> list[tuple[str, str, str]]:
        if "bedragsoort" in ongeldig:
            return []  # what else is required depends on it
        soort, fouten = Bedragsoort(g["bedragsoort"]), []
        heeft_maximum, heeft_eenheid = g.get("maximum") is not None, g.get("tijdseenheid") is not None
        if "maximum" not in ongeldig:
            if soort is Bedragsoort.ineens and heeft_maximum:
                fouten.append(("maximum", "niet_bij_ineens", "a lump sum has no separate maximum"))
            elif soort is not Bedragsoort.ineens and not heeft_maximum:
                fouten.append(("maximum", "missing", "a dwangsom per time unit or per violation needs its maximum (Awb 5:32b)"))
            elif heeft_maximum and "bedrag" not in ongeldig and Decimal(str(g["maximum"])) < Decimal(str(g["bedrag"])):
                fouten.append(("maximum", "kleiner_dan_bedrag", "the maximum is at least the bedrag"))
        if "tijdseenheid" not in ongeldig:
            if soort is Bedragsoort.per_tijdseenheid and not heeft_eenheid:
                fouten.append(("tijdseenheid", "missing", "a dwangsom per time unit needs its unit (dag or week)"))
            elif soort is not Bedragsoort.per_tijdseenheid and heeft_eenheid:
                fouten.append(("tijdseenheid", "alleen_per_tijdseenheid", "a time unit belongs only to a dwangsom per time unit"))
        return fouten


class BestuurlijkeBoete(Instrumentgegevens):
    herhaling_van: uuid.UUID | None = Field(None, description="set by the system: the waarschuwing this repeats")
    boeterapport_id: uuid.UUID | None = Field(None, description="set by the boete procedure: the boeterapport")


MODELLEN: dict[MaatregelSoort, type[Instrumentgegevens]] = {
    MaatregelSoort.stimuleren_adviseren: Instrumentgegevens,
    MaatregelSoort.verbeterplan: MetTermijn,
    MaatregelSoort.verscherpt_toezicht: MetTermijn,
    MaatregelSoort.waarschuwing: Instrumentgegevens,
    MaatregelSoort.bevel: Bevel,
    MaatregelSoort.aanwijzing: MetTermijn,
    MaatregelSoort.last_onder_bestuursdwang: LastOnderBestuursdwang,
    MaatregelSoort.last_onder_dwangsom: LastOnderDwangsom,
    MaatregelSoort.bestuurlijke_boete: BestuurlijkeBoete,
    MaatregelSoort.patientenstop: Patientenstop,
}

# The instruments with a term to comply that toezicht should check when it ends (vervolgtoezicht), by the key
# that holds the term's days.
NALEVINGSTERMIJN: dict[MaatregelSoort, str] = {
    MaatregelSoort.verbeterplan: "termijnDagen",
    MaatregelSoort.aanwijzing: "termijnDagen",
    MaatregelSoort.last_onder_bestuursdwang: "begunstigingstermijnDagen",
}


def _naam(loc: tuple[Any, ...]) -> str:
    return ".".join(["instrumentgegevens", *(str(deel) for deel in loc)]) if loc else "instrumentgegevens"


def valideer(instrument: MaatregelSoort, gegevens: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The normalised instrumentgegevens and the invalid params (empty when valid): every bad key, at once."""
    model = MODELLEN[MaatregelSoort(instrument)]
    waarde, fouten = None, []
    try:
        waarde = model.model_validate(gegevens)
    except ValidationError as fout:
        fouten = [{"name": _naam(e["loc"]), "code": e["type"], "reason": e["msg"]} for e in fout.errors(include_url=False)]
    ongeldig = {f["name"].split(".")[1] for f in fouten if "." in f["name"]}
    fouten += [{"name": f"instrumentgegevens.{k}", "code": c, "reason": r} for k, c, r in model.samenhang(gegevens, ongeldig)]
    if fouten or waarde is None:
        return {}, fouten
    return waarde.model_dump(mode="json", by_alias=True, exclude_none=True), []


def beschrijving() -> str:
    """Per instrument its keys (required ones marked), for the OpenAPI description of ``instrumentgegevens``."""
    delen = []
    for soort, model in MODELLEN.items():
        velden = [f"{veld.alias or naam}{'*' if veld.is_required() else ''}" for naam, veld in model.model_fields.items()]
        delen.append(f"{soort.value}: {', '.join(velden) or '(none)'}")
    return "The instrument's own terms (camelCase keys; * required; unknown keys refused). " + "; ".join(delen) + "."
