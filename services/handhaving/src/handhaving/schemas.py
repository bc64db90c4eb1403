"""handhaving's API bodies."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, model_validator

from handhaving import instrumenten
from zorgtoezicht.domain.handhaving import Aanleiding, BesluitStatus, BezwaarUitkomst, Vervalreden, VerwijzingSoort, ZaakStatus
from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.http.schemas import ApiModel, Page


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


# --- the Awb procedure -------------------------------------------------------------------------------------


def _binnen_kalender(dag: date) -> date:
    # legal dates of today's procedure; far-off years would only overflow the term arithmetic (+2 years, +7 days)
    if not date(1900, 1, 1) <= dag <= date(2999, 12, 31):
        raise ValueError("a date between 1900 and 2999")
    return dag


Datum = Annotated[date, AfterValidator(_binnen_kalender)]
Tekst = Annotated[str, Field(min_length=1, max_length=20000)]
Reden = Annotated[str, Field(min_length=1, max_length=2000)]


class VerwijzingIn(ApiModel):
    """A referral recorded as a step of the case (not a besluit of the inspectorate)."""

    soort: VerwijzingSoort = Field(description="tuchtklacht (tuchtcollege), voordracht (Minister), aangifte-om (Openbaar Ministerie)")
    datum: Datum | None = Field(
        None, description="the day it was referred; default today, never in the future", json_schema_extra={"format": "date"}
    )
    toelichting: Tekst


class Verwijzing(ApiModel):
    id: uuid.UUID
    soort: VerwijzingSoort
    datum: date
    toelichting: str
    vastgelegd_door: str = Field(description="client id of who recorded it")
    vastgelegd_op: datetime


class ZaakIn(ApiModel):
    """A case opened by hand (cases from judgements open themselves from toezicht's events)."""

    zorgaanbieder_id: uuid.UUID
    aanleiding_datum: Datum | None = Field(
        None, description="the day of the shortcoming; default today", json_schema_extra={"format": "date"}
    )


class Zaak(ApiModel):
    id: uuid.UUID
    identificatie: str
    zorgaanbieder_id: uuid.UUID
    aanleiding: Aanleiding
    aanleiding_id: uuid.UUID | None = None
    aanleiding_datum: date
    tekortkomingen: list[dict[str, str]] = Field(description="norm id, oordeel and ernst of each shortcoming (codes only)")
    herhaling_van: uuid.UUID | None = Field(None, description="a waarschuwing still valid when this case opened: a boete is proposed")
    geopend_op: datetime
    status: ZaakStatus = Field(ZaakStatus.open, description="afgesloten: closed; an objection afterwards does not reopen it")
    afgesloten_op: datetime | None = None
    besluiten: list[uuid.UUID] = []
    verwijzingen: list[Verwijzing] = Field([], description="referrals recorded in the case, oldest first")


class VoornemenIn(ApiModel):
    besluittype: MaatregelSoort = Field(description="the instrument")
    toelichting: Tekst
    instrumentgegevens: dict[str, Any] = Field({}, description=instrumenten.beschrijving())


class ZienswijzeverzoekIn(ApiModel):
    termijn_dagen: int | None = Field(None, ge=1, le=90, description="default the besluittype's term; shorter only with a spoedreden")
    spoedreden: Reden | None = None
    toelichting: Reden | None = None


class VaststellingIn(ApiModel):
    motivering: Tekst
    grondslag: Reden
    rechtsmiddelenclausule: Tekst
    spoedreden: Reden | None = Field(None, description="required to take it without a zienswijze (Awb 4:11)")
    zienswijze_ontvangen_op: Datum | None = Field(None, description="the provider's view arrived before its term ended")
    toelichting: Reden | None = None


class BekendmakingIn(ApiModel):
    verzenddatum: Datum | None = Field(None, description="default today; never in the future")
    ingangsdatum: Datum | None = Field(None, description="default the verzenddatum; never before it")
    vervaldatum: Datum | None = Field(None, description="the last day it has effect (a bevel: at most 7 days)")
    toelichting: Reden | None = None
    zakelijke_weergave: Annotated[str, Field(min_length=1, max_length=5000)] | None = Field(
        None,
        description="the text published after the wachttijd (no personal data); default a neutral one: instrument, datum, grondslag",
    )


class IntrekkingIn(ApiModel):
    vervalreden: Literal[Vervalreden.ingetrokken_overheid, Vervalreden.ingetrokken_belanghebbende]
    toelichting: Reden


class VervalIn(ApiModel):
    vervaldatum: Datum | None = None
    toelichting: Reden | None = None


class VerlengingIn(ApiModel):
    vervaldatum: Datum = Field(description="the new last day of the bevel, as the Minister decided")
    toelichting: Reden


class BeroepIn(ApiModel):
    toelichting: Reden | None = None


class Besluit(ApiModel):
    """A formal decision in the ZGW Besluit shape; ``besluittype`` is the instrument."""

    id: uuid.UUID
    identificatie: str
    besluittype: MaatregelSoort
    zaak_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    status: BesluitStatus
    datum: date | None = Field(None, description="the day it was taken", json_schema_extra={"format": "date"})
    ingangsdatum: date | None = None
    vervaldatum: date | None = None
    vervalreden: Vervalreden | None = None
    publicatiedatum: date | None = None
    verzenddatum: date | None = None
    uiterlijke_reactiedatum: date | None = Field(
        None, description="ZGW: the last day to object - six weeks from the day after bekendmaking, by the Atw (Awb 6:7/6:8)"
    )
    zienswijze_uiterlijk: date | None = Field(None, description="the last day for the provider's view on the voornemen (Awb 4:8)")
    zienswijze_ontvangen_op: date | None = None
    toelichting: str
    motivering: str | None = None
    grondslag: str | None = None
    rechtsmiddelenclausule: str | None = None
    spoedreden: str | None = None
    instrumentgegevens: dict[str, Any] = Field({}, description="instrument terms, e.g. termijnDagen, a bevel's verlengingen")
    in_werking: bool = Field(description="has effect today: made known, started, not ended")
    versie: int


class StatusRegel(ApiModel):
    status: BesluitStatus
    sinds: datetime
    door: str
    toelichting: str | None = None


class BezwaarIn(ApiModel):
    ontvangen_op: Datum | None = Field(None, description="default today")
    adviescommissie: bool = Field(False, description="heard by an advisory committee: 12 weeks to decide (Awb 7:10)")
    verschoonbaar: bool | None = Field(None, description="for a late objection: whether the lateness is excusable (Awb 6:11)")
    verschoonbaar_reden: Reden | None = None


class Bezwaar(ApiModel):
    id: uuid.UUID
    besluit_id: uuid.UUID
    ontvangen_op: date
    laatste_dag: date
    te_laat: bool
    verschoonbaar: bool | None = None
    verschoonbaar_reden: str | None = None
    adviescommissie: bool
    verdaagd: bool
    beslistermijn_einde: date
    beslist_op: date | None = None
    uitkomst: BezwaarUitkomst | None = None


class VerdagingIn(ApiModel):
    toelichting: Reden


class BeslissingOpBezwaarIn(ApiModel):
    uitkomst: BezwaarUitkomst
    toelichting: Reden | None = None


# --- lists and case status (part J: api_overzichten) -------------------------------------------------------


class ZaakSamenvatting(ApiModel):
    """A case in a list (its besluiten: GET /besluiten?zaakId=)."""

    id: uuid.UUID
    identificatie: str
    zorgaanbieder_id: uuid.UUID
    aanleiding: Aanleiding
    aanleiding_id: uuid.UUID | None = None
    aanleiding_datum: date
    herhaling_van: uuid.UUID | None = None
    geopend_op: datetime
    status: ZaakStatus
    afgesloten_op: datetime | None = None


class ZaakPagina(Page[ZaakSamenvatting]):
    """A page of cases, newest first."""


class BesluitPagina(Page[Besluit]):
    """A page of besluiten, newest first."""


class BezwaarPagina(Page[Bezwaar]):
    """A page of objections, newest first."""


class AfsluitingIn(ApiModel):
    toelichting: Reden = Field(description="why the case is closed (audit trail)")
