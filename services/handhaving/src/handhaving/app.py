"""The handhaving service: enforcement decisions."""

from pathlib import Path

from handhaving import api_openbaar, openbaarmaking
from handhaving.api import LEZEN, SCHRIJVEN, router
from handhaving.handlers import subscriptions
from handhaving.models import Base
from handhaving.settings import HandhavingSettings
from zorgtoezicht.service import ServiceDefinition

service = ServiceDefinition(
    name="handhaving",
    title="Zorgtoezicht Handhaving API",
    description="Enforcement: measures (maatregelen) imposed on care providers, from advice to fine.",
    api_version="1.0.0",
    settings_class=HandhavingSettings,
    metadata=Base.metadata,
    routers=[router, api_openbaar.router],
    subscriptions=subscriptions,
    tags={"maatregelen": "Enforcement measures", **api_openbaar.TAGS},
    scopes={LEZEN: "read measures", SCHRIJVEN: "impose measures", **api_openbaar.SCOPES},
    termijnen=openbaarmaking.TERMIJNEN,
    root=Path(__file__).resolve().parents[2],
)
