"""The meldpunt service: the Landelijk Meldpunt Zorg."""

from pathlib import Path

from meldpunt.api import LEZEN, SCHRIJVEN, router
from meldpunt.handlers import subscriptions
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
    tags={"meldingen": "Meldingen (reports) and their handling"},
    scopes={LEZEN: "read meldingen", SCHRIJVEN: "submit meldingen"},
    root=Path(__file__).resolve().parents[2],
)
