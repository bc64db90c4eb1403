"""A valid example of every kind of melding and the vestigingen they refer to: for tests, benchmarks and docs.

Dates are relative to the day an example is used (``Over``), so that an example is timely whenever the
suite runs: a fixed date would turn late, and change the triage, a few working days after it was written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from zorgtoezicht.events.contracts.register import VestigingFeit, ZorgaanbiederGeregistreerd
from zorgtoezicht.termijnen import vandaag

ZORGAANBIEDER_UTRECHT = uuid.UUID("11111111-1111-4111-8111-111111111111")
ZORGAANBIEDER_AMSTERDAM = uuid.UUID("22222222-2222-4222-8222-222222222222")
VESTIGING_UTRECHT = "000038509504"
VESTIGING_AMSTERDAM = "000038509505"

PROVIDERS = [
    ZorgaanbiederGeregistreerd(
        zorgaanbieder_id=ZORGAANBIEDER_UTRECHT,
        kvk_nummer="69599084",
        soort="instelling",
        sectoren=["verpleging-en-verzorging"],
        vestigingen=[VestigingFeit(vestigingsnummer=VESTIGING_UTRECHT, gemeente="Utrecht", gemeente_code="GM0344")],
    ),
    ZorgaanbiederGeregistreerd(
        zorgaanbieder_id=ZORGAANBIEDER_AMSTERDAM,
        kvk_nummer="69599085",
        soort="instelling",
        sectoren=["gehandicaptenzorg"],
        vestigingen=[VestigingFeit(vestigingsnummer=VESTIGING_AMSTERDAM, gemeente="Amsterdam", gemeente_code="GM0363")],
    ),
]


@dataclass(frozen=True)
class Over:
    """A date this many days from the day the example is used (negative: in the past)."""

    dagen: int


def dag(dagen: int = 0) -> str:
    """The Dutch calendar date ``dagen`` days from today, as the API writes dates."""
    return (vandaag() + timedelta(days=dagen)).isoformat()


MELDER = {"rol": "zorgaanbieder", "naam": "Kwaliteitsfunctionaris", "email": "kwaliteit@example.nl"}
VERPLICHT = {"vestigingsnummer": VESTIGING_UTRECHT, "gebeurtenisdatum": Over(-2), "vastgesteldOp": Over(0)}

VOORBEELDEN: dict[str, dict] = {
    "wkkgz-calamiteit": {**VERPLICHT, "melder": MELDER, "omschrijving": "Valincident met heupfractuur"},
    "wkkgz-geweld": {**VERPLICHT, "melder": MELDER, "omschrijving": "Fysiek geweld door medewerker", "vorm": "fysiek"},
    "wkkgz-ontslag-disfunctioneren": {
        "vestigingsnummer": VESTIGING_UTRECHT,
        "melder": MELDER,
        "omschrijving": "Ontslag na incidenten",
        "ontslagdatum": Over(-14),
        "beroep": "verpleegkundige",
    },
    "jeugdwet-calamiteit": {**VERPLICHT, "melder": MELDER, "omschrijving": "Ernstig incident in de jeugdhulp"},
    "jeugdwet-geweld": {**VERPLICHT, "melder": MELDER, "omschrijving": "Geweld in de jeugdhulp", "vorm": "psychisch"},
    "wmo-calamiteit": {
        "vestigingsnummer": VESTIGING_AMSTERDAM,
        "melder": MELDER,
        "omschrijving": "Calamiteit in begeleid wonen",
        "gebeurtenisdatum": Over(-2),
    },
    "wmo-geweld": {
        "gemeenteCode": "GM0344",
        "melder": {"rol": "gemeente"},
        "omschrijving": "Geweld bij dagbesteding",
        "gebeurtenisdatum": Over(-2),
    },
    "medisch-hulpmiddel-incident": {
        "melder": {"rol": "fabrikant"},
        "omschrijving": "Infuuspomp gaf te hoge dosis",
        "ernst": "ernstig-incident",
        "bekendOp": Over(0),
        "hulpmiddel": {"merk": "Pompco", "model": "P-200", "lot": "L2026-11"},
    },
    "geneesmiddel-tekort-of-defect": {
        "melder": {"rol": "fabrikant"},
        "omschrijving": "Productie stopt",
        "aard": "stopzetting-onderbreking",
        "product": "Levothyroxine 25 microgram",
        "verwachteStartdatum": Over(90),
    },
    "signaal": {
        "melder": {"rol": "burger-naaste", "naam": "J. Jansen"},
        "kanaal": "webformulier",
        "omschrijving": "Mijn moeder krijgt te laat haar medicatie",
        "zorgaanbieder": {"naam": "Zorggroep De Linde", "plaats": "Utrecht"},
    },
    "klacht": {
        "melder": {"rol": "burger-naaste"},
        "kanaal": "telefoon",
        "omschrijving": "Onheuse bejegening",
        "vestigingsnummer": VESTIGING_UTRECHT,
    },
    "vals-diploma-of-vog": {
        "melder": {"rol": "zorgaanbieder"},
        "omschrijving": "Diploma blijkt vals",
        "document": "diploma",
        "beroep": "verzorgende IG",
    },
    "illegale-handel-geneesmiddelen": {
        "melder": {"rol": "burger-naaste"},
        "kanaal": "webformulier",
        "omschrijving": "Website verkoopt afslankmiddel",
        "product": "Sibutramine",
        "verkoopkanaal": "https://voorbeeld.example",
    },
}

# Per kind: the required fields (a missing one must be named in the 400), beyond melder and omschrijving.
VERPLICHTE_VELDEN: dict[str, list[str]] = {
    "wkkgz-calamiteit": ["vestigingsnummer", "gebeurtenisdatum", "vastgesteldOp"],
    "wkkgz-geweld": ["vestigingsnummer", "gebeurtenisdatum", "vastgesteldOp", "vorm"],
    "wkkgz-ontslag-disfunctioneren": ["vestigingsnummer", "ontslagdatum", "beroep"],
    "jeugdwet-calamiteit": ["vestigingsnummer", "gebeurtenisdatum", "vastgesteldOp"],
    "jeugdwet-geweld": ["vestigingsnummer", "gebeurtenisdatum", "vastgesteldOp", "vorm"],
    "wmo-calamiteit": ["gebeurtenisdatum"],
    "wmo-geweld": ["gebeurtenisdatum"],
    "medisch-hulpmiddel-incident": ["ernst", "bekendOp", "hulpmiddel"],
    "geneesmiddel-tekort-of-defect": ["aard", "product", "verwachteStartdatum"],
    "signaal": [],
    "klacht": [],
    "vals-diploma-of-vog": ["document", "beroep"],
    "illegale-handel-geneesmiddelen": ["product"],
}


def melding(soort: str, **overrides) -> dict:
    """The example of ``soort`` as a request body, its dates made concrete for today, with ``overrides``."""
    voorbeeld = {key: dag(value.dagen) if isinstance(value, Over) else value for key, value in VOORBEELDEN[soort].items()}
    return {"soort": soort, **voorbeeld, **overrides}
