"""The register service: the Wtza provider register fed by CIBG."""

from pathlib import Path

from register.api import LEZEN, SCHRIJVEN, router
from register.handlers import subscriptions
from register.models import Base
from register.settings import RegisterSettings
from zorgtoezicht.service import ServiceDefinition

service = ServiceDefinition(
    name="register",
    title="Zorgtoezicht Register API",
    description="The Wtza register of care providers (zorgaanbieders) and their vestigingen, fed by CIBG.",
    api_version="1.0.0",
    settings_class=RegisterSettings,
    metadata=Base.metadata,
    routers=[router],
    subscriptions=subscriptions,
    tags={"zorgaanbieders": "Care providers and their vestigingen"},
    scopes={LEZEN: "read care providers", SCHRIJVEN: "register and change care providers"},
    root=Path(__file__).resolve().parents[2],
)
