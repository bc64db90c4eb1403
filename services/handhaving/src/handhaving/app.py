"""The handhaving service: enforcement decisions."""

from pathlib import Path

from handhaving import (
    api_besluiten,
    api_boete,
    api_dwangsom,
    api_openbaar,
    api_overzichten,
    boeteprocedure,
    invordering,
    openbaarmaking,
    procedure,
)
from handhaving.api import LEZEN, SCHRIJVEN, router
from handhaving.handlers import subscriptions
from handhaving.models import Base
from handhaving.settings import HandhavingSettings
from zorgtoezicht.service import ServiceDefinition

service = ServiceDefinition(
    name="handhaving",
    title="Zorgtoezicht Handhaving API",
    description=(
        "Enforcement: cases (handhavingszaken) and formal decisions (besluiten) along the Awb procedure, from voornemen "
        "to objection and appeal, and the measures (maatregelen) they impose on care providers."
    ),
    api_version="1.0.0",
    settings_class=HandhavingSettings,
    metadata=Base.metadata,
    routers=[router, api_besluiten.router, api_openbaar.router, api_dwangsom.router, api_boete.router, api_overzichten.router],
    subscriptions=subscriptions,
    termijnen={
        **procedure.TERMIJNEN,
        **openbaarmaking.TERMIJNEN,
        **invordering.TERMIJNEN,
        **boeteprocedure.TERMIJNEN,
    },
    tags={
        "maatregelen": "Enforcement measures registered directly (decided outside the Awb procedure here)",
        **api_besluiten.TAGS,
        **api_openbaar.TAGS,
        **api_dwangsom.TAGS,
        **api_boete.TAGS,
        **api_overzichten.TAGS,
    },
    scopes={
        LEZEN: "read measures",
        SCHRIJVEN: "register a measure decided elsewhere",
        **api_besluiten.SCOPES,
        **api_openbaar.SCOPES,
        **api_overzichten.SCOPES,
    },
    root=Path(__file__).resolve().parents[2],
)
