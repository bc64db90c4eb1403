"""`make run`'s demo inspectors: loaded into an empty toezicht once, so a plan can be made at once."""

from __future__ import annotations

from toezicht.demo import DEMO_INSPECTEURS, laad_demo
from zorgtoezicht.testing.harness import start_service


async def test_the_demo_inspectors_are_loaded_once_into_an_empty_toezicht(databases, auth):
    toezicht = await start_service("toezicht", databases, auth)
    try:
        await laad_demo(toezicht.runtime)
        await laad_demo(toezicht.runtime)  # a second start loads nothing more
        assert await toezicht.scalar("SELECT count(*) FROM inspecteur") == len(DEMO_INSPECTEURS) == 10
        assert await toezicht.scalar("SELECT count(DISTINCT team) FROM inspecteur") == 3
        plan = await toezicht.client.post(
            "/api/v1/planningen", headers=auth.headers("planner", "toezicht.planningen.schrijven"), json={"periodeStart": "2027-01-04"}
        )
        assert plan.status_code == 201, plan.text
        assert plan.json()["discretionaireUren"] > 0  # the demo staff give the quarter its capacity
    finally:
        await toezicht.close()
