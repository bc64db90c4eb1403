"""The meldpunt service: the Landelijk Meldpunt Zorg."""

from pathlib import Path

from meldpunt.api import AUDIT, BEHANDELEN, INDIENEN, LEZEN, LEZEN_GEMEENTE, PERSOONSGEGEVENS, STATISTIEKEN, TRIAGE, router
from meldpunt.handlers import subscriptions, termijnen
from meldpunt.models import Base
from meldpunt.settings import MeldpuntSettings
from zorgtoezicht.service import ServiceDefinition

service = ServiceDefinition(
    name="meldpunt",
    title="Zorgtoezicht Meldpunt API",
    description="The Landelijk Meldpunt Zorg: intake of meldingen from providers, citizens and partners.",
    api_version="1.0.0",
    settings_class=MeldpuntSettings,
    metadata=Base.metadata,
    routers=[router],
    subscriptions=subscriptions,
    tags={
        "meldingen": "Meldingen (reports): intake, triage, workflow, personal data on request",
        "statistieken": "Counts in the Jaarbeeld layout",
    },
    scopes={
        INDIENEN: "submit meldingen and read one's own",
        LEZEN: "read all meldingen (inspectorate staff)",
        LEZEN_GEMEENTE: "read the meldingen of one's own gemeenten (Wmo-toezichthouder; gemeenten configured per client)",
        BEHANDELEN: "move meldingen through the workflow, record reports, merge duplicates",
        TRIAGE: "override triage with a reason",
        PERSOONSGEGEVENS: "read personal data for a stated purpose (logged)",
        STATISTIEKEN: "read statistics",
        AUDIT: "read audit trails",
    },
    termijnen=termijnen,
    root=Path(__file__).resolve().parents[2],
)
