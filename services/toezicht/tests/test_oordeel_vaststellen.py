"""Issue 9, acceptance 4 and 8: a judgement with failed norms emits oordeel-vastgesteld (ids, norm ids, severities
and counts, never the findings), in one transaction with the status step; bad input is 400 listing each field."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from zorgtoezicht.events.contracts.toezicht import OordeelVastgesteld
from zorgtoezicht.events.envelope import Topic
from zorgtoezicht.messaging.kafka import KafkaPublisher, all_topics, ensure_topics
from zorgtoezicht.settings import PlatformSettings
from zorgtoezicht.testing.harness import repo_root, start_service
from zorgtoezicht.testing.kafka import read_topic

BEVINDING_GEHEIM = "Mevrouw J. in kamer 12 kreeg haar medicatie drie dagen niet"  # a finding: must stay in toezicht
NORMEN = [
    {"normId": "alg-1", "oordeel": "voldaan", "bevinding": "zorgleefplannen actueel"},
    {"normId": "vv-2", "oordeel": "niet-voldaan", "bevinding": BEVINDING_GEHEIM, "ernst": "ernstig"},
    {"normId": "vv-3", "oordeel": "deels", "bevinding": "nachtdienst onderbezet", "ernst": "aanzienlijk"},
    {"normId": "alg-3", "oordeel": "voldaan", "bevinding": "incidenten worden gemeld"},
    {"normId": "vv-4", "oordeel": "niet-voldaan", "bevinding": "geen stappenplan bij fixatie", "ernst": "aanzienlijk"},
]


async def _uitgevoerd(activiteiten, soort="inspectiebezoek", sector="verpleging-en-verzorging") -> tuple[str, str]:
    zorgaanbieder_id = str(uuid.uuid4())
    created = await activiteiten.maak(soort, zorgaanbieder_id, sector=sector, geplandOp="2026-06-10")
    assert created.status_code == 201, created.text
    activiteit_id = created.json()["id"]
    performed = await activiteiten.stap(activiteit_id, "uitgevoerd", uitgevoerdOp="2026-06-11")
    assert performed.status_code == 200, performed.text
    return activiteit_id, zorgaanbieder_id


async def _outbox(toezicht) -> list[dict]:
    rows = await toezicht.scalar("SELECT json_agg(convert_from(payload, 'UTF8')::json ORDER BY id)::text FROM outbox")
    return json.loads(rows) if rows else []


async def test_a_judgement_with_failed_norms_emits_oordeel_vastgesteld_with_ids_and_severities_only(toezicht, activiteiten, vaste_klok):
    activiteit_id, zorgaanbieder_id = await _uitgevoerd(activiteiten)
    fixed = await activiteiten.oordeel(activiteit_id, NORMEN, vastgesteldOp="2026-06-12")
    assert fixed.status_code == 201, fixed.text
    oordeel = fixed.json()
    assert (oordeel["aantalVoldaan"], oordeel["aantalDeels"], oordeel["aantalNietVoldaan"]) == (2, 1, 2)
    assert [n["normId"] for n in oordeel["normen"]] == ["alg-1", "vv-2", "vv-3", "alg-3", "vv-4"]
    assert oordeel["normen"][1]["bevinding"] == BEVINDING_GEHEIM and oordeel["normen"][1]["bron"].startswith("Kwaliteitskader")
    assert oordeel["normenkaderVersie"].startswith("voorbeeld-2026.1@")

    events = [e for e in await _outbox(toezicht) if e["type"].endswith("oordeel-vastgesteld")]
    assert len(events) == 1
    event = events[0]
    assert event["type"] == "nl.zorgtoezicht.toezichtactiviteiten.oordeel-vastgesteld"
    assert event["subject"] == activiteit_id
    assert event["data"] == {
        "activiteitId": activiteit_id,
        "oordeelId": oordeel["id"],
        "zorgaanbiederId": zorgaanbieder_id,
        "soort": "inspectiebezoek",
        "sector": "verpleging-en-verzorging",
        "normenkaderVersie": oordeel["normenkaderVersie"],
        "vastgesteldOp": "2026-06-12",
        "aantalNormen": 5,
        "aantalVoldaan": 2,
        "aantalDeels": 1,
        "aantalNietVoldaan": 2,
        "tekortkomingen": [
            {"normId": "vv-2", "oordeel": "niet-voldaan", "ernst": "ernstig"},
            {"normId": "vv-3", "oordeel": "deels", "ernst": "aanzienlijk"},
            {"normId": "vv-4", "oordeel": "niet-voldaan", "ernst": "aanzienlijk"},
        ],
    }
    OordeelVastgesteld.model_validate(event["data"])  # the catalogue's contract accepts it
    everything_sent = json.dumps(await _outbox(toezicht))
    for norm in NORMEN:
        assert norm["bevinding"] not in everything_sent

    # the same transaction: status, history row (system step), audit rows
    detail = (await activiteiten.lees(activiteit_id)).json()
    assert detail["status"] == "oordeel-vastgesteld"
    assert detail["statussen"][-1]["status"] == "oordeel-vastgesteld" and "2 niet voldaan" in detail["statussen"][-1]["toelichting"]
    assert BEVINDING_GEHEIM not in json.dumps(detail)
    audit = await toezicht.scalar(
        "SELECT json_agg(json_build_array(actie, resource) ORDER BY aanmaakdatum)::text FROM audit_trail WHERE hoofd_object_id = :id",
        id=uuid.UUID(activiteit_id),
    )
    assert ["partial_update", "toezichtactiviteit"] in json.loads(audit) and ["create", "oordeel"] in json.loads(audit)


def test_the_contract_is_in_the_catalogue_and_in_the_asyncapi_document():
    document = json.loads(Path(repo_root(), "docs", "asyncapi.json").read_text())
    assert OordeelVastgesteld.event_type in json.dumps(document)
    assert OordeelVastgesteld.topic == Topic.toezichtactiviteiten


async def test_the_judgement_is_read_back_with_its_findings_and_the_read_is_audited(toezicht, activiteiten, vaste_klok):
    activiteit_id, _ = await _uitgevoerd(activiteiten)
    url = f"/api/v1/toezichtactiviteiten/{activiteit_id}/oordeel"
    lezen = activiteiten.headers("toezicht.activiteiten.lezen")
    assert (await toezicht.client.get(url, headers=lezen)).status_code == 404
    await activiteiten.oordeel(activiteit_id, NORMEN)
    read = await toezicht.client.get(url, headers=lezen)
    assert read.status_code == 200 and read.json()["normen"][1]["bevinding"] == BEVINDING_GEHEIM
    assert read.json()["vastgesteldOp"] == "2026-06-15"  # default: today (the fixed clock)
    reads = await toezicht.scalar(
        "SELECT count(*) FROM audit_trail WHERE actie = 'read' AND resource = 'oordeel' AND hoofd_object_id = :id",
        id=uuid.UUID(activiteit_id),
    )
    assert reads == 1


async def test_every_invalid_field_of_a_judgement_is_listed_at_once_and_nothing_is_written(toezicht, activiteiten, vaste_klok):
    activiteit_id, _ = await _uitgevoerd(activiteiten)
    before = (await toezicht.scalar("SELECT count(*) FROM outbox"), await toezicht.scalar("SELECT count(*) FROM oordeel"))
    bad = [
        {"normId": "ggz-1", "oordeel": "voldaan", "bevinding": "x"},  # a ggz norm, the activity is verpleging-en-verzorging
        {"normId": "vv-2", "oordeel": "niet-voldaan", "bevinding": "x"},  # no ernst
        {"normId": "vv-3", "oordeel": "voldaan", "bevinding": "x", "ernst": "gering"},  # ernst on a norm met
        {"normId": "vv-3", "oordeel": "deels", "bevinding": "x", "ernst": "gering"},  # judged twice
        {"normId": "bestaat-niet", "oordeel": "deels", "bevinding": " ", "ernst": "gering"},  # unknown, empty finding
    ]
    refused = await activiteiten.oordeel(activiteit_id, bad, vastgesteldOp="2026-06-16")
    assert refused.status_code == 400 and refused.headers["content-type"].startswith("application/problem+json")
    named = {(p["name"], p["code"]) for p in refused.json()["invalidParams"]}
    assert named == {
        ("normen.0.normId", "onbekende_norm"),
        ("normen.1.ernst", "verplicht"),
        ("normen.2.ernst", "geen_tekortkoming"),
        ("normen.3.normId", "dubbel"),
        ("normen.4.normId", "onbekende_norm"),
        ("normen.4.bevinding", "verplicht"),
        ("vastgesteldOp", "toekomst"),
    }
    before_performed = await activiteiten.oordeel(activiteit_id, NORMEN[:1], vastgesteldOp="2026-06-10")
    assert {p["name"] for p in before_performed.json()["invalidParams"]} == {"vastgesteldOp"}
    after = (await toezicht.scalar("SELECT count(*) FROM outbox"), await toezicht.scalar("SELECT count(*) FROM oordeel"))
    assert after == before
    assert (await activiteiten.lees(activiteit_id)).json()["status"] == "uitgevoerd"


async def test_a_malformed_judgement_body_is_400_naming_each_field(activiteiten, vaste_klok):
    activiteit_id, _ = await _uitgevoerd(activiteiten)
    refused = await activiteiten.oordeel(activiteit_id, [{"normId": "vv-2", "oordeel": "slecht"}, {"oordeel": "voldaan", "bevinding": "x"}])
    assert refused.status_code == 400
    names = {p["name"] for p in refused.json()["invalidParams"]}
    assert {"normen.0.oordeel", "normen.0.bevinding", "normen.1.normId"} <= names
    empty = await activiteiten.oordeel(activiteit_id, [])
    assert empty.status_code == 400 and {p["name"] for p in empty.json()["invalidParams"]} == {"normen"}


async def test_only_a_performed_activity_of_a_kind_with_a_judgement_gets_one(activiteiten, vaste_klok):
    created = await activiteiten.maak("inspectiebezoek", uuid.uuid4(), geplandOp="2026-06-20")
    planned = await activiteiten.oordeel(created.json()["id"], NORMEN[:1])
    assert planned.status_code == 409 and planned.json()["code"] == "ongeldige_statusovergang"
    zelfscan, _ = await _uitgevoerd(activiteiten, soort="zelfscan")
    refused = await activiteiten.oordeel(zelfscan, NORMEN[:1])
    assert refused.status_code == 409 and refused.json()["code"] == "soort_zonder_oordeel"
    judged, _ = await _uitgevoerd(activiteiten)
    assert (await activiteiten.oordeel(judged, NORMEN[:1])).status_code == 201
    again = await activiteiten.oordeel(judged, NORMEN[:1])
    assert again.status_code == 409 and again.json()["code"] == "ongeldige_statusovergang"


async def test_an_activity_without_a_sector_is_judged_against_the_general_norms(activiteiten, vaste_klok):
    created = await activiteiten.maak("desk-inspectie", uuid.uuid4(), geplandOp="2026-06-10")
    activiteit_id = created.json()["id"]
    await activiteiten.stap(activiteit_id, "uitgevoerd")
    sector_norm = await activiteiten.oordeel(activiteit_id, [{"normId": "vv-2", "oordeel": "voldaan", "bevinding": "x"}])
    assert sector_norm.status_code == 400
    general = await activiteiten.oordeel(activiteit_id, [{"normId": "alg-4", "oordeel": "deels", "bevinding": "x", "ernst": "gering"}])
    assert general.status_code == 201 and general.json()["sector"] == "sector-overstijgend"


@pytest.mark.kafka
async def test_oordeel_vastgesteld_reaches_the_toezichtactiviteiten_topic_on_kafka(
    databases, auth, kafka, unique, vaste_klok, activiteiten_voor
):
    prefix = f"t{unique}."
    await ensure_topics(kafka.bootstrap_servers, all_topics(), partitions=3, prefix=prefix)
    publisher = KafkaPublisher(kafka.bootstrap_servers, client_id="toezicht-relay-test", topic_prefix=prefix, request_timeout_ms=5000)
    platform = PlatformSettings(KAFKA_BOOTSTRAP_SERVERS=kafka.bootstrap_servers, topic_prefix=prefix)
    toezicht = await start_service("toezicht", databases, auth, publisher=publisher, platform=platform)
    try:
        activiteiten = activiteiten_voor(toezicht)
        activiteit_id, _ = await _uitgevoerd(activiteiten)
        assert (await activiteiten.oordeel(activiteit_id, NORMEN)).status_code == 201
        assert await toezicht.relay_all() == 1
        records = await read_topic(kafka.bootstrap_servers, prefix + Topic.toezichtactiviteiten.value, until=lambda rs: len(rs) >= 1)
        event = json.loads(records[0].value)
        assert records[0].key.decode() == activiteit_id
        assert event["type"] == "nl.zorgtoezicht.toezichtactiviteiten.oordeel-vastgesteld"
        assert [t["normId"] for t in event["data"]["tekortkomingen"]] == ["vv-2", "vv-3", "vv-4"]
        assert BEVINDING_GEHEIM not in records[0].value.decode()
    finally:
        await publisher.stop()
        await toezicht.close()
