"""Events of handhaving (enforcement)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar, Literal

from pydantic import Field

from zorgtoezicht.domain.handhaving import Aanleiding, BezwaarUitkomst, Vervalreden, VerwijzingSoort
from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.events.envelope import EventData, Topic


class MaatregelOpgelegd(EventData):
    event_type: ClassVar[str] = "maatregelen.maatregel-opgelegd"
    topic: ClassVar[Topic] = Topic.maatregelen
    subject_field: ClassVar[str] = "maatregel_id"
    resource_path: ClassVar[str] = "maatregelen/{id}"
    summary: ClassVar[str] = "An enforcement measure was imposed on a care provider."

    maatregel_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    soort: MaatregelSoort
    ingangsdatum: date
    einddatum: date | None = None


class MaatregelBeeindigd(EventData):
    event_type: ClassVar[str] = "maatregelen.maatregel-beeindigd"
    topic: ClassVar[Topic] = Topic.maatregelen
    subject_field: ClassVar[str] = "maatregel_id"
    resource_path: ClassVar[str] = "maatregelen/{id}"
    summary: ClassVar[str] = "A running enforcement measure ended (lifted, complied with, expired or revoked)."

    maatregel_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    soort: MaatregelSoort
    einddatum: date


class MaatregelVerlengd(EventData):
    event_type: ClassVar[str] = "maatregelen.maatregel-verlengd"
    topic: ClassVar[Topic] = Topic.maatregelen
    subject_field: ClassVar[str] = "maatregel_id"
    resource_path: ClassVar[str] = "maatregelen/{id}"
    summary: ClassVar[str] = "A measure in force runs longer: a bevel extended by the Minister (its new last day in force)."

    maatregel_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    soort: MaatregelSoort
    einddatum: date = Field(description="the new last day in force")


class VervolgtoezichtGevraagd(EventData):
    event_type: ClassVar[str] = "maatregelen.vervolgtoezicht-gevraagd"
    topic: ClassVar[Topic] = Topic.maatregelen
    subject_field: ClassVar[str] = "maatregel_id"
    resource_path: ClassVar[str] = "besluiten/{id}"
    summary: ClassVar[str] = (
        "The term to comply with a measure (verbeterplan, aanwijzing, last onder bestuursdwang) ended: toezicht should check compliance."
    )

    maatregel_id: uuid.UUID = Field(description="the besluit that imposed the measure")
    zaak_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    soort: MaatregelSoort
    laatste_dag: date = Field(description="the last day of the term to comply")


# --- openbaarmaking (publication of measures, Gezondheidswet art. 44) ------------------------------------
# Only what the public list shows travels here: no provider name, no free text (the zakelijke weergave is
# read from the public API), so a solist's name never enters an event.


class OpenbaarmakingGepubliceerd(EventData):
    event_type: ClassVar[str] = "maatregelen.openbaarmaking-gepubliceerd"
    topic: ClassVar[Topic] = Topic.maatregelen
    subject_field: ClassVar[str] = "openbaarmaking_id"
    resource_path: ClassVar[str] = "openbaarmakingen/{id}"
    summary: ClassVar[str] = "A besluit's zakelijke weergave was published after its wachttijd ended (fires once)."

    openbaarmaking_id: uuid.UUID
    besluit_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    instrument: MaatregelSoort
    gepubliceerd_op: date
    zichtbaar_tot: date


class OpenbaarmakingVerwijderd(EventData):
    event_type: ClassVar[str] = "maatregelen.openbaarmaking-verwijderd"
    topic: ClassVar[Topic] = Topic.maatregelen
    subject_field: ClassVar[str] = "openbaarmaking_id"
    resource_path: ClassVar[str] = "openbaarmakingen/{id}"
    summary: ClassVar[str] = (
        "A published measure was taken off the public list (its 5 years ended, a court found it incorrect, or the besluit was revoked)."
    )

    openbaarmaking_id: uuid.UUID
    besluit_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    reden: Literal["bewaartermijn-verstreken", "rechterlijke-uitspraak", "besluit-ingetrokken"]
    verwijderd_op: date


# --- the Awb procedure: cases, besluiten and objections (ids, instrument and dates only) -------------------


class HandhavingszaakGeopend(EventData):
    event_type: ClassVar[str] = "handhavingszaken.handhavingszaak-geopend"
    topic: ClassVar[Topic] = Topic.handhavingszaken
    subject_field: ClassVar[str] = "zaak_id"
    resource_path: ClassVar[str] = "handhavingszaken/{id}"
    summary: ClassVar[str] = "An enforcement case was opened against a care provider (its reason as a code and the source's id)."

    zaak_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    aanleiding: Aanleiding
    aanleiding_id: uuid.UUID | None = None
    aanleiding_datum: date


class _BesluitEvent(EventData):
    topic: ClassVar[Topic] = Topic.handhavingszaken
    subject_field: ClassVar[str] = "besluit_id"
    resource_path: ClassVar[str] = "besluiten/{id}"

    besluit_id: uuid.UUID
    zaak_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    besluittype: MaatregelSoort


class BesluitVoorgenomen(_BesluitEvent):
    event_type: ClassVar[str] = "handhavingszaken.besluit-voorgenomen"
    summary: ClassVar[str] = "An enforcement decision was proposed (voornemen); it has no effect."


class BesluitGenomen(_BesluitEvent):
    event_type: ClassVar[str] = "handhavingszaken.besluit-genomen"
    summary: ClassVar[str] = "An enforcement decision was taken; it has no effect before its bekendmaking."

    datum: date


class BesluitBekendgemaakt(_BesluitEvent):
    event_type: ClassVar[str] = "handhavingszaken.besluit-bekendgemaakt"
    summary: ClassVar[str] = "An enforcement decision was made known to the provider: from its ingangsdatum it has effect."

    verzenddatum: date
    ingangsdatum: date
    vervaldatum: date | None = None
    bezwaartermijn_einde: date


class BesluitIngetrokken(_BesluitEvent):
    event_type: ClassVar[str] = "handhavingszaken.besluit-ingetrokken"
    summary: ClassVar[str] = "An enforcement decision was revoked (or a proposal dropped)."

    vervalreden: Vervalreden
    vervaldatum: date


class BesluitVervallen(_BesluitEvent):
    event_type: ClassVar[str] = "handhavingszaken.besluit-vervallen"
    summary: ClassVar[str] = "An enforcement decision's term ended (vervalreden tijdelijk)."

    vervaldatum: date


class BezwaartermijnVerstreken(_BesluitEvent):
    event_type: ClassVar[str] = "handhavingszaken.bezwaartermijn-verstreken"
    summary: ClassVar[str] = "The objection term of a besluit made known ended (fires once, the day after its last day)."

    laatste_dag: date = Field(description="the last day to object (Atw)")
    bezwaar_ontvangen: bool = Field(description="whether an objection was received (on time or late) before the term ended")


class VerwijzingVastgelegd(EventData):
    event_type: ClassVar[str] = "handhavingszaken.verwijzing-vastgelegd"
    topic: ClassVar[Topic] = Topic.handhavingszaken
    subject_field: ClassVar[str] = "zaak_id"
    resource_path: ClassVar[str] = "handhavingszaken/{id}"
    summary: ClassVar[str] = "A referral (tuchtklacht, voordracht, aangifte bij het OM) was recorded as a step in a case."

    verwijzing_id: uuid.UUID
    zaak_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    soort: VerwijzingSoort
    datum: date


class BezwaarOntvangen(_BesluitEvent):
    event_type: ClassVar[str] = "handhavingszaken.bezwaar-ontvangen"
    summary: ClassVar[str] = "An objection against an enforcement decision was received (on time or late by the Atw)."

    bezwaar_id: uuid.UUID
    ontvangen_op: date
    laatste_dag: date
    te_laat: bool
    beslistermijn_einde: date


class BezwaarBeslist(_BesluitEvent):
    event_type: ClassVar[str] = "handhavingszaken.bezwaar-beslist"
    summary: ClassVar[str] = "An objection against an enforcement decision was decided."

    bezwaar_id: uuid.UUID
    uitkomst: BezwaarUitkomst
    beslist_op: date


# --- last onder dwangsom (Awb 5:32-5:37): ids and dates only ---------------------------------------------
# Never an amount: a solist's forfeited sum is personal data; amounts are read through the API under a scope.


class DwangsomBegunstigingstermijnVerstreken(_BesluitEvent):
    event_type: ClassVar[str] = "handhavingszaken.dwangsom-begunstigingstermijn-verstreken"
    summary: ClassVar[str] = "A last onder dwangsom's begunstigingstermijn ended: check compliance now (fires once)."

    begunstigingstermijn_einde: date = Field(description="the last day the provider could comply without forfeiting")


class _VerbeurteEvent(EventData):
    topic: ClassVar[Topic] = Topic.handhavingszaken
    subject_field: ClassVar[str] = "verbeurte_id"
    resource_path: ClassVar[str] = "verbeurten/{id}"

    verbeurte_id: uuid.UUID
    besluit_id: uuid.UUID
    zaak_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    volgnummer: int


class DwangsomVerbeurd(_VerbeurteEvent):
    event_type: ClassVar[str] = "handhavingszaken.dwangsom-verbeurd"
    summary: ClassVar[str] = "A check proved a dwangsom forfeited (Awb 5:33): its days, when it is due and when collection is time-barred."

    controle_datum: date
    verbeurd_vanaf: date
    verbeurd_tot: date
    betalen_uiterlijk: date = Field(description="Awb 5:33: six weeks after verbeurte, Atw applied")
    verjaard_na: date = Field(description="Awb 5:35: the last day collection is possible")


class DwangsomBetaaltermijnVerstreken(_VerbeurteEvent):
    event_type: ClassVar[str] = "handhavingszaken.dwangsom-betaaltermijn-verstreken"
    summary: ClassVar[str] = "A forfeited dwangsom was not paid within its six weeks (Awb 5:33); fires once."

    betalen_uiterlijk: date


class DwangsomInvorderingsbeschikkingGenomen(_VerbeurteEvent):
    event_type: ClassVar[str] = "handhavingszaken.dwangsom-invorderingsbeschikking-genomen"
    summary: ClassVar[str] = "The inspectorate decided to collect a forfeited dwangsom (invorderingsbeschikking, Awb 5:37)."

    datum: date


class DwangsomInvorderingBijnaVerjaard(_VerbeurteEvent):
    event_type: ClassVar[str] = "handhavingszaken.dwangsom-invordering-bijna-verjaard"
    summary: ClassVar[str] = "Collection of a forfeited dwangsom is nearly time-barred (configured days before Awb 5:35); fires once."

    verjaard_na: date


class DwangsomVerjaard(_VerbeurteEvent):
    event_type: ClassVar[str] = "handhavingszaken.dwangsom-verjaard"
    summary: ClassVar[str] = "Collection of a forfeited dwangsom is time-barred (Awb 5:35): it can no longer be collected; fires once."

    verjaard_na: date


class DwangsomIngevorderd(_VerbeurteEvent):
    event_type: ClassVar[str] = "handhavingszaken.dwangsom-ingevorderd"
    summary: ClassVar[str] = "A forfeited dwangsom was paid: its remaining terms end."

    betaald_op: date


# --- bestuurlijke boete (handhaving/boeteprocedure.py) ------------------------------------------------------
# Never an amount: a solist's fine is personal data; the amount is read through the API under a scope.


class BoeteBeslistermijnVerstreken(_BesluitEvent):
    event_type: ClassVar[str] = "handhavingszaken.boete-beslistermijn-verstreken"
    summary: ClassVar[str] = (
        "No boetebesluit was taken within 13 weeks of the boeterapport (Awb 5:51, not fatal: a later decision stays "
        "valid and is flagged); fires once."
    )

    boeterapport_id: uuid.UUID
    beslistermijn: date = Field(description="the last day that was in time")


class BoeteOpgelegd(_BesluitEvent):
    event_type: ClassVar[str] = "handhavingszaken.boete-opgelegd"
    summary: ClassVar[str] = (
        "A bestuurlijke boete was made known to the provider; its category and policy version, not its amount "
        "(read the boeterapport through the API)."
    )

    boeterapport_id: uuid.UUID
    categorie: str = Field(description="the policy table's category code of the violated norm")
    beleid_versie: str = Field(description="the version of the policy table that set the amount")
    besluitdatum: date
    beslistermijn_overschreden: int = Field(ge=0, description="days the boetebesluit came after the 13 weeks of Awb 5:51; 0 in time")


# --- case status (part J, migration 0008) ----------------------------------------------------------------


class HandhavingszaakAfgesloten(EventData):
    event_type: ClassVar[str] = "handhavingszaken.handhavingszaak-afgesloten"
    topic: ClassVar[Topic] = Topic.handhavingszaken
    subject_field: ClassVar[str] = "zaak_id"
    resource_path: ClassVar[str] = "handhavingszaken/{id}"
    summary: ClassVar[str] = "An enforcement case was closed: the procedures of its besluiten were finished."

    zaak_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    afgesloten_op: date
