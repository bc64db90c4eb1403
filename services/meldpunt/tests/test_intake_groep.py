"""Intake under load: meldingen submitted at the same moment are written in one transaction (group commit),
each still with its own actor, correlation id, triage, history, events and audit row; what one melding of a
group means for another (repetition, possible duplicates) is the same as when they come one by one."""

from __future__ import annotations

import asyncio
import json

from pydantic import TypeAdapter

from meldpunt import service
from meldpunt.schemas import MeldingIn
from meldpunt.voorbeelden import VESTIGING_UTRECHT, melding
from zorgtoezicht import klok
from zorgtoezicht.audit import Actor
from zorgtoezicht.http.problems import InvalidInput

INDIENEN = "meldpunt.meldingen.indienen"
LEZEN = "meldpunt.meldingen.lezen"


def indiening(body: dict, client: str = "portaal", correlation_id: str = "req") -> service.Indiening:
    return service.Indiening(TypeAdapter(MeldingIn).validate_python(body), Actor(client, client), klok.nu(), correlation_id)


async def transacties(meldpunt) -> int:
    """The transactions that wrote the meldingen (their xmin)."""
    return await meldpunt.scalar("SELECT count(DISTINCT xmin::text) FROM melding")


async def test_meldingen_submitted_at_once_each_keep_their_own_request(meldpunt, auth):
    soorten = ["wkkgz-calamiteit", "klacht", "signaal", "wmo-geweld", "medisch-hulpmiddel-incident", "geneesmiddel-tekort-of-defect"]
    requests = [(melding(soorten[i % len(soorten)]), f"client-{i % 3}", f"req-{i}") for i in range(30)]
    responses = await asyncio.gather(
        *(
            meldpunt.client.post("/api/v1/meldingen", json=body, headers={**auth.headers(client, INDIENEN), "X-Correlation-ID": cid})
            for body, client, cid in requests
        )
    )
    assert [r.status_code for r in responses] == [201] * 30, [r.text for r in responses if r.status_code != 201][:1]
    for (body, client, cid), response in zip(requests, responses, strict=True):
        created = response.json()
        assert created["soort"] == body["soort"] and response.headers["location"].endswith(created["id"])
        audit = await meldpunt.scalar(
            "SELECT json_agg(json_build_array(request_id, applicatie_id, actie)) FROM audit_trail WHERE hoofd_object_id = :id",
            id=created["id"],
        )
        assert audit == [[cid, client, "create"]]
        events = await meldpunt.scalar(
            "SELECT json_agg(convert_from(payload, 'UTF8')::json ORDER BY id) FROM outbox WHERE record_key = :id", id=created["id"]
        )
        assert [e["type"].rsplit(".", 1)[1] for e in events][:2] == ["melding-ontvangen", "melding-getrieerd"]
        assert {e["correlationid"] for e in events} == {cid}
        history = await meldpunt.client.get(f"/api/v1/meldingen/{created['id']}/statussen", headers=auth.headers("x", LEZEN))
        assert [h["status"] for h in history.json()][:2] == ["ontvangen", "getrieerd"]
        assert history.json()[0]["door"] == client
    assert await meldpunt.scalar("SELECT count(*) FROM melding") == 30


async def test_repetition_counts_meldingen_earlier_in_the_same_group(meldpunt):
    intake = service.intake(meldpunt.runtime)
    klachten = await asyncio.gather(*(intake.submit(indiening(melding("klacht"), correlation_id=f"k{i}")) for i in range(5)))
    assert await transacties(meldpunt) < 5  # grouped
    # 0, 1, 2, 3 and 4 earlier meldingen about the provider: the last two are assessed for repetition.
    regels = [k.triage_besluit["regel_id"] for k in klachten]
    assert regels.count("burger-signaal-herhaald") == 2 and regels[-2:] == ["burger-signaal-herhaald"] * 2
    assert "4 eerdere meldingen" in klachten[-1].triage_besluit["uitleg"]


async def test_possible_duplicates_in_one_group_are_linked_both_ways(meldpunt):
    intake = service.intake(meldpunt.runtime)
    calamiteiten = await asyncio.gather(*(intake.submit(indiening(melding("wkkgz-calamiteit"))) for _ in range(3)))
    assert await transacties(meldpunt) < 3
    ids = {m.id for m in calamiteiten}
    for m in calamiteiten:
        linked = await meldpunt.scalar("SELECT array_agg(andere_id) FROM mogelijke_dubbel WHERE melding_id = :id", id=m.id)
        assert set(linked) == ids - {m.id}


async def test_a_refused_melding_in_a_group_stores_nothing_and_the_others_are_written(meldpunt):
    intake = service.intake(meldpunt.runtime)
    submitted = [
        indiening(melding("wkkgz-calamiteit")),
        indiening(melding("wkkgz-calamiteit", vestigingsnummer="000099999999")),
        indiening(melding("klacht")),
        indiening(melding("wkkgz-geweld")),
    ]
    results = await asyncio.gather(*(intake.submit(i) for i in submitted), return_exceptions=True)
    assert isinstance(results[1], InvalidInput) and results[1].invalid_params[0]["name"] == "vestigingsnummer"
    accepted = [r.id for r in results if not isinstance(r, Exception)]
    assert len(accepted) == 3 and await transacties(meldpunt) < 3
    assert await meldpunt.scalar("SELECT count(*) FROM melding") == 3
    assert await meldpunt.scalar("SELECT count(*) FROM audit_trail") == 3
    keys = await meldpunt.scalar("SELECT array_agg(DISTINCT record_key) FROM outbox")
    assert sorted(keys) == sorted(str(i) for i in accepted)
    assert await meldpunt.scalar("SELECT count(*) FROM melding WHERE vestigingsnummer = '000099999999'") == 0
    assert VESTIGING_UTRECHT in {r.vestigingsnummer for r in results if not isinstance(r, Exception)}


async def test_events_of_a_group_leave_in_the_order_of_each_melding(meldpunt):
    intake = service.intake(meldpunt.runtime)
    await asyncio.gather(*(intake.submit(indiening(melding("wmo-geweld"), correlation_id=f"w{i}")) for i in range(4)))
    rows = json.loads(await meldpunt.scalar("SELECT json_agg(json_build_array(record_key, event_type) ORDER BY id)::text FROM outbox"))
    per_melding: dict[str, list[str]] = {}
    for key, event_type in rows:
        per_melding.setdefault(key, []).append(event_type.rsplit(".", 1)[1])
    assert len(per_melding) == 4
    assert all(types == ["melding-ontvangen", "melding-getrieerd", "melding-doorverwezen"] for types in per_melding.values())
