"""The register service: the Wtza provider register fed by CIBG."""

from pathlib import Path

from register import bulk
from register.api import AUDIT, LEZEN, SCHRIJVEN, VERGUNNINGEN, WTZA, router
from register.demo import laad_demo
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
    tags={
        "zorgaanbieders": "Care providers and their vestigingen: read, search, changes feed, audit trail",
        "wtza-meldingen": "Wtza meldingen forwarded by CIBG",
        "vergunningen": "Toelatingsvergunningen (Wtza art. 4) and CIBG's decisions",
    },
    scopes={
        LEZEN: "read and search care providers and licences",
        SCHRIJVEN: "enter and change care providers (staff)",
        WTZA: "deliver Wtza meldingen (CIBG only)",
        VERGUNNINGEN: "deliver licence applications and decisions (CIBG only)",
        AUDIT: "read audit trails",
    },
    root=Path(__file__).resolve().parents[2],
    demo_data=laad_demo,
    commands={
        "laden": ("bulk load providers and vestigingen from a JSONL or CSV export", bulk.main),
        "genereer": ("write realistic synthetic register data (JSONL or CSV)", bulk.genereer_main),
    },
)
