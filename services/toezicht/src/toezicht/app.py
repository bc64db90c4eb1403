"""The toezicht service: risk-based supervision planning."""

from pathlib import Path

from toezicht import api_activiteiten, herberekenen
from toezicht.api import BEOORDELEN, LEZEN, router
from toezicht.api_planning import PLANNINGEN_LEZEN, PLANNINGEN_SCHRIJVEN
from toezicht.api_planning import router as planning_router
from toezicht.demo import laad_demo
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
    routers=[router, api_activiteiten.router, planning_router],
    subscriptions=subscriptions,
    tags={
        "risicoprofielen": "Risk profiles of care providers",
        **api_activiteiten.TAGS,
        "planningen": "Inspectors and the quarterly inspection plan",
    },
    scopes={
        LEZEN: "read risk profiles",
        BEOORDELEN: "override scores and mark working quality systems",
        **api_activiteiten.SCOPES,
        PLANNINGEN_LEZEN: "read inspectors and plans (audited)",
        PLANNINGEN_SCHRIJVEN: "manage inspectors; compute, re-plan and adopt plans",
    },
    root=Path(__file__).resolve().parents[2],
    demo_data=laad_demo,
    commands={"herberekenen": ("rescore every provider from its stored signals (after a model change)", herberekenen.main)},
)
