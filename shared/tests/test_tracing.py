"""Optional tracing (issue 11): off by default; when on, a request's traceparent follows its events through the
outbox, the bus's headers and the consumer into the events the consumer causes — also through group commit."""

from __future__ import annotations

import asyncio
import json
import os
import uuid

import pytest

from meldpunt.voorbeelden import melding
from zorgtoezicht import tracing

INDIENEN = "meldpunt.meldingen.indienen"


def traceparent() -> tuple[str, str]:
    trace_id = os.urandom(16).hex()
    return trace_id, f"00-{trace_id}-{os.urandom(8).hex()}-01"


async def payloads(service) -> list[dict]:
    from sqlalchemy import text

    async with service.runtime.db.transaction() as session:
        return [json.loads(row[0]) for row in await session.execute(text("SELECT payload FROM outbox ORDER BY id"))]


async def known_vestiging(meldpunt) -> None:
    await meldpunt.scalar(
        "INSERT INTO bekende_vestiging (vestigingsnummer, zorgaanbieder_id, kvk_nummer, gemeente, gemeente_code) "
        "VALUES ('000038509504', :id, '69599084', 'Utrecht', 'GM0344') RETURNING 1",
        id=uuid.uuid4(),
    )


def recorded_headers(chain) -> list[dict[str, bytes]]:
    """Wrap the bus so the test sees every record's headers, as the relay hands them over."""
    seen: list[dict[str, bytes]] = []
    publish = chain.bus.publish_many

    async def recording(messages):
        seen.extend(dict(m.headers) for m in messages)
        await publish(messages)

    chain.bus.publish_many = recording
    return seen


async def test_off_by_default_nothing_carries_a_traceparent(chain, auth):
    assert not tracing.enabled()
    meldpunt = chain["meldpunt"]
    await known_vestiging(meldpunt)
    _, incoming = traceparent()
    headers = {**auth.headers("ggz", INDIENEN), "traceparent": incoming}
    assert (await meldpunt.client.post("/api/v1/meldingen", json=melding("wkkgz-calamiteit"), headers=headers)).status_code == 201
    seen = recorded_headers(chain)
    assert all("traceparent" not in event for event in await payloads(meldpunt))
    await chain.settle()
    assert seen and all("traceparent" not in record for record in seen)


async def test_when_on_the_trace_follows_each_melding_through_group_commit_kafka_headers_and_the_consumer(chain, auth, monkeypatch):
    monkeypatch.setattr(tracing, "_enabled", True)
    meldpunt, toezicht = chain["meldpunt"], chain["toezicht"]
    await known_vestiging(meldpunt)
    traces = [traceparent() for _ in range(4)]

    async def submit(incoming: str) -> str:
        headers = {**auth.headers("ggz", INDIENEN), "traceparent": incoming}
        answered = await meldpunt.client.post("/api/v1/meldingen", json=melding("wkkgz-calamiteit"), headers=headers)
        assert answered.status_code == 201, answered.text
        return answered.json()["id"]

    # At the same moment: group commit may write them in one transaction, each keeps its own trace.
    ids = await asyncio.gather(*(submit(incoming) for _, incoming in traces))
    events = await payloads(meldpunt)
    assert len(events) == 2 * len(ids)
    trace_of = {melding_id: trace_id for melding_id, (trace_id, _) in zip(ids, traces, strict=True)}
    for event in events:
        assert event["traceparent"].split("-")[1] == trace_of[event["data"]["meldingId"]], event["type"]

    seen = recorded_headers(chain)
    await chain.settle()
    # Every record the relays handed over (meldpunt's and those they caused) carries its event's traceparent as a header.
    assert len(seen) >= len(events) and all("traceparent" in record for record in seen)
    assert {record["traceparent"].decode().split("-")[1] for record in seen} == set(trace_of.values())
    # toezicht handled each melding in its trace: the event its handler caused carries the same trace id.
    caused = await payloads(toezicht)
    assert caused, "toezicht caused no event"
    assert {event["traceparent"].split("-")[1] for event in caused} <= set(trace_of.values())
    assert all(len(event["traceparent"].split("-")) == 4 for event in caused)


@pytest.mark.parametrize("value", ["", "garbage", "00-" + "0" * 32 + "-" + "0" * 16 + "-01"])
async def test_a_missing_or_invalid_traceparent_starts_no_trace(chain, auth, monkeypatch, value):
    monkeypatch.setattr(tracing, "_enabled", True)
    meldpunt = chain["meldpunt"]
    await known_vestiging(meldpunt)
    headers = {**auth.headers("ggz", INDIENEN), **({"traceparent": value} if value else {})}
    assert (await meldpunt.client.post("/api/v1/meldingen", json=melding("wkkgz-calamiteit"), headers=headers)).status_code == 201
    assert all("traceparent" not in event for event in await payloads(meldpunt))  # no SDK: nothing to invent a trace


def test_zt_tracing_turns_it_on_for_the_process(auth, monkeypatch):
    from zorgtoezicht.runner import load_definition
    from zorgtoezicht.service import ServiceRuntime
    from zorgtoezicht.settings import PlatformSettings

    monkeypatch.setattr(tracing, "_enabled", False)  # restored after the test: the rest of the session runs without
    definition = load_definition("register")
    settings = definition.settings_class(database_url="postgresql://unused/unused")
    ServiceRuntime(definition, settings=settings, platform=PlatformSettings(), authenticator=auth.authenticator())
    assert not tracing.enabled()
    monkeypatch.setenv("ZT_TRACING", "1")
    ServiceRuntime(definition, settings=settings, platform=PlatformSettings(), authenticator=auth.authenticator())
    assert tracing.enabled()
