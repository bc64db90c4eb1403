"""meldpunt's API bodies: one input model per kind of melding, chosen by ``soort``.

Personal data (melder contact, patient) sits in its own parts so that it can be stored encrypted
and left out of every list, event and log.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator

from zorgtoezicht.domain.identifiers import GemeenteCode, Postcode, Vestigingsnummer
from zorgtoezicht.domain.meldingen import GeweldVorm, HulpmiddelErnst, Kanaal, MelderRol, MeldingSoort, MeldingStatus, Prioriteit, Route
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.http.problems import UNION_TAGS
from zorgtoezicht.http.schemas import ApiModel, Page
from zorgtoezicht.persoonsgegevens import Bsn

UNION_TAGS.update(s.value for s in MeldingSoort)


class Melder(ApiModel):
    """Who reports. Contact details are personal data: stored encrypted, shown only on an audited request."""

    rol: MelderRol
    naam: str | None = Field(None, min_length=1, max_length=200)
    email: str | None = Field(None, min_length=3, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    telefoon: str | None = Field(None, min_length=6, max_length=20, pattern=r"^\+?[0-9 ()-]+$")


class Patient(ApiModel):
    """The patient or client concerned: optional and minimal."""

    bsn: Bsn | None = None
    geboortejaar: int | None = Field(None, ge=1900, le=2100)


class ZorgaanbiederOmschrijving(ApiModel):
    """A provider named loosely by a citizen: matched to candidates for a person to confirm."""

    naam: str = Field(min_length=2, max_length=200)
    plaats: str | None = Field(None, min_length=2, max_length=100)
    postcode: Postcode | None = None


class _Basis(ApiModel):
    melder: Melder
    kanaal: Kanaal = Kanaal.partner_api
    omschrijving: str = Field(min_length=1, max_length=20000, description="What happened (never leaves meldpunt)")
    patient: Patient | None = None
    sector: Sector | None = Field(None, description="Given by the melder; otherwise derived from the provider")
    acuut_gevaar: bool = Field(False, description="The melder reports acute danger for clients")


class _Verplicht(_Basis):
    """A mandatory melding by a provider: about a registered vestiging."""

    vestigingsnummer: Vestigingsnummer
    gebeurtenisdatum: date = Field(description="When the event happened")
    vastgesteld_op: date = Field(description="When the provider established it is a calamiteit (or geweld)")
    eerst_onderzocht: bool = Field(False, description="The provider investigated first whether it was a calamiteit")

    @model_validator(mode="after")
    def _volgorde(self) -> _Verplicht:
        if self.vastgesteld_op < self.gebeurtenisdatum:
            raise ValueError("vastgesteldOp lies before gebeurtenisdatum")
        return self


class WkkgzCalamiteit(_Verplicht):
    soort: Literal["wkkgz-calamiteit"]


class WkkgzGeweld(_Verplicht):
    soort: Literal["wkkgz-geweld"]
    vorm: GeweldVorm


class WkkgzOntslag(_Basis):
    soort: Literal["wkkgz-ontslag-disfunctioneren"]
    vestigingsnummer: Vestigingsnummer
    ontslagdatum: date
    beroep: str = Field(min_length=2, max_length=100, description="Profession of the care worker (not the person)")


class JeugdwetCalamiteit(_Verplicht):
    soort: Literal["jeugdwet-calamiteit"]


class JeugdwetGeweld(_Verplicht):
    soort: Literal["jeugdwet-geweld"]
    vorm: GeweldVorm


class _Wmo(_Basis):
    vestigingsnummer: Vestigingsnummer | None = None
    gemeente_code: GemeenteCode | None = Field(None, description="Gemeente of the Wmo care, when no vestiging is named")
    gebeurtenisdatum: date

    @model_validator(mode="after")
    def _waar(self) -> _Wmo:
        if self.vestigingsnummer is None and self.gemeente_code is None:
            raise ValueError("give vestigingsnummer or gemeenteCode: the melding goes to that gemeente's toezichthouder")
        return self


class WmoCalamiteit(_Wmo):
    soort: Literal["wmo-calamiteit"]


class WmoGeweld(_Wmo):
    soort: Literal["wmo-geweld"]


class Hulpmiddel(ApiModel):
    udi_di: str | None = Field(None, min_length=4, max_length=120, description="UDI device identifier")
    merk: str | None = Field(None, min_length=1, max_length=120)
    model: str | None = Field(None, min_length=1, max_length=120)
    lot: str | None = Field(None, min_length=1, max_length=120)

    @model_validator(mode="after")
    def _identificatie(self) -> Hulpmiddel:
        if not self.udi_di and not (self.merk and self.model and self.lot):
            raise ValueError("identify the device by udiDi, or by merk, model and lot")
        return self


class MedischHulpmiddel(_Basis):
    soort: Literal["medisch-hulpmiddel-incident"]
    ernst: HulpmiddelErnst
    bekend_op: date = Field(description="When the manufacturer became aware of the incident")
    hulpmiddel: Hulpmiddel
    vestigingsnummer: Vestigingsnummer | None = None


class Geneesmiddel(_Basis):
    soort: Literal["geneesmiddel-tekort-of-defect"]
    aard: Literal["in-de-handel-brengen", "stopzetting-onderbreking", "kleinere-hoeveelheden", "kwaliteitsdefect", "afmelding"]
    product: str = Field(min_length=2, max_length=200)
    rvg_nummer: str | None = Field(None, pattern=r"^RVG [0-9]{1,6}$")
    verwachte_startdatum: date = Field(description="When the supply stop, shortage or change is expected to start")


class _Signaal(_Basis):
    vestigingsnummer: Vestigingsnummer | None = None
    zorgaanbieder: ZorgaanbiederOmschrijving | None = None
    gebeurtenisdatum: date | None = None


class Signaal(_Signaal):
    soort: Literal["signaal"]


class Klacht(_Signaal):
    soort: Literal["klacht"]


class ValsDiplomaOfVog(_Basis):
    soort: Literal["vals-diploma-of-vog"]
    document: Literal["diploma", "vog", "big-registratie"]
    beroep: str = Field(min_length=2, max_length=100)
    vestigingsnummer: Vestigingsnummer | None = None


class IllegaleHandel(_Basis):
    soort: Literal["illegale-handel-geneesmiddelen"]
    product: str = Field(min_length=2, max_length=200)
    verkoopkanaal: str | None = Field(None, min_length=2, max_length=300, description="Website, shop or platform")


MeldingIn = Annotated[
    WkkgzCalamiteit
    | WkkgzGeweld
    | WkkgzOntslag
    | JeugdwetCalamiteit
    | JeugdwetGeweld
    | WmoCalamiteit
    | WmoGeweld
    | MedischHulpmiddel
    | Geneesmiddel
    | Signaal
    | Klacht
    | ValsDiplomaOfVog
    | IllegaleHandel,
    Field(discriminator="soort"),
]


class Tijdigheid(ApiModel):
    regel: str
    grondslag: str
    uiterlijk: date
    dagen_te_laat: int


class Triage(ApiModel):
    route: Route
    prioriteit: Prioriteit
    afhandeldatum: date
    regel: str
    tabel_versie: str
    uitleg: str = Field(description="Plain Dutch explanation for the reporter")
    doorverwijzen_naar: str | None = None
    handmatig: bool = False
    rapport_uiterlijk: date | None = None


class MeldingSamenvatting(ApiModel):
    """A melding in a list: never personal data."""

    id: uuid.UUID
    soort: MeldingSoort
    status: MeldingStatus
    sector: Sector | None = None
    zorgaanbieder_id: uuid.UUID | None = None
    vestigingsnummer: str | None = None
    gemeente_code: str | None = None
    route: Route | None = None
    prioriteit: Prioriteit | None = None
    afhandeldatum: date | None = None
    ontvangen_op: datetime


class Melding(MeldingSamenvatting):
    """One melding, without the personal data (ask for those separately, with a purpose)."""

    melder_rol: MelderRol
    kanaal: Kanaal
    omschrijving: str
    gegevens: dict = Field(description="The kind-specific facts of the melding")
    tijdigheid: list[Tijdigheid] = []
    triage: Triage | None = None
    rapport_uiterlijk: date | None = None
    rapport_ontvangen_op: date | None = None
    samengevoegd_met: uuid.UUID | None = None
    zorgaanbieder_kandidaat: ZorgaanbiederOmschrijving | None = None
    heeft_persoonsgegevens: bool = False


class MeldingPagina(Page[MeldingSamenvatting]):
    """A page of meldingen, newest first."""


class StatusWijziging(ApiModel):
    status: MeldingStatus
    toelichting: str | None = Field(None, max_length=2000)


class StatusRegel(ApiModel):
    status: MeldingStatus
    sinds: datetime
    door: str
    toelichting: str | None = None


class TriageCorrectie(ApiModel):
    route: Route
    prioriteit: Prioriteit
    afhandeldatum: date | None = None
    reden: str = Field(min_length=10, max_length=2000, description="Mandatory reason, recorded in the audit trail")


class Inzageverzoek(ApiModel):
    doel: str = Field(min_length=5, max_length=500, description="For what purpose the personal data are needed (NEN 7513)")


class PatientGegevens(ApiModel):
    """The patient as an audited request for personal data returns it: with the BSN, which is write-only in
    every request body (``Patient``) and returned nowhere else."""

    bsn: str | None = Field(None, pattern=r"^[0-9]{9}$", description="Burgerservicenummer of the patient, as submitted")
    geboortejaar: int | None = None


class Persoonsgegevens(ApiModel):
    """The personal data of a melding (a response only: request bodies use ``Melder`` and ``Patient``)."""

    melder: Melder | None = Field(None, description="Absent when the melding holds no personal data")
    patient: PatientGegevens | None = None


class RapportOntvangst(ApiModel):
    ontvangen_op: date


class Termijnverlenging(ApiModel):
    nieuwe_datum: date
    reden: str = Field(min_length=10, max_length=2000, description="The provider's reasoned request")


class Samenvoeging(ApiModel):
    hoofdmelding_id: uuid.UUID = Field(description="The melding this one is merged into")


class MogelijkeDubbel(ApiModel):
    melding_id: uuid.UUID
    soort: MeldingSoort
    ontvangen_op: datetime
    reden: str


class ZorgaanbiederKandidaat(ApiModel):
    zorgaanbieder_id: uuid.UUID
    kvk_nummer: str
    naam: str
    score: float | None = Field(None, description="Name similarity 0–1")


class ZorgaanbiederKoppeling(ApiModel):
    zorgaanbieder_id: uuid.UUID
    vestigingsnummer: Vestigingsnummer | None = None
