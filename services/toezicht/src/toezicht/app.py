"""The toezicht service: risk-based supervision planning."""

from pathlib import Path

from toezicht import api_activiteiten
from toezicht.api import LEZEN, router
from toezicht.handlers import subscriptions
from toezicht.models import Base
from toezicht.settings import ToezichtSettings
from zorgtoezicht.service import ServiceDefinition

service = ServiceDefinition(
    name="toezicht",
    title="Zorgtoezicht Toezicht API",
    description="Risk-based supervision: the risk profile of each care provider from all signals.",
    api_version="1.0.0",
    settings_class=ToezichtSettings,
    metadata=Base.metadata,
    routers=[router, api_activiteiten.router],
    subscriptions=subscriptions,
    tags={"risicoprofielen": "Risk profiles of care providers", **api_activiteiten.TAGS},
    scopes={LEZEN: "read risk profiles", **api_activiteiten.SCOPES},
    root=Path(__file__).resolve().parents[2],
)
