"""The dwangsom and boete event paths on the real Kafka broker (issue 10, items 4, 5, 6 and 8): the term watcher's
begunstigingstermijn event, a verbeurte, its invorderingsbeschikking and payment, and an imposed boete reach the
handhavingszaken topic through the outbox relay, each once, as contracts of the catalogue - and never with an amount."""

from __future__ import annotations

import json
from datetime import date

import pytest

from handhaving import repository
from zorgtoezicht import klok
from zorgtoezicht.events.contracts import handhaving as contracts
from zorgtoezicht.events.envelope import EventData, Topic
from zorgtoezicht.messaging.kafka import KafkaPublisher, all_topics, ensure_topics
from zorgtoezicht.testing.harness import start_service
from zorgtoezicht.testing.kafka import read_topic

from .conftest import VASTSTELLING, ZORGAANBIEDER, Procedure, op

pytestmark = pytest.mark.kafka

LAST = {"begunstigingstermijnDagen": 7, "bedragsoort": "per-tijdseenheid", "tijdseenheid": "dag", "bedrag": "750.00", "maximum": "5000.00"}
RAPPORT = {
    "opgemaaktOp": "2026-11-02",
    "overtredingsdatum": "2026-10-12",
    "categorie": "wkkgz-klachtenregeling",
    "ernst": "gering",
    "verwijtbaarheid": "normaal",
    "fte": "120",
}
CATALOGUS = {getattr(c, "event_type", None): c for c in vars(contracts).values() if isinstance(c, type) and issubclass(c, EventData)}


async def test_dwangsom_and_boete_events_reach_kafka_once_without_amounts(databases, auth, kafka, unique):
    prefix = f"t{unique}."
    await ensure_topics(kafka.bootstrap_servers, all_topics(), partitions=3, prefix=prefix)
    publisher = KafkaPublisher(kafka.bootstrap_servers, client_id="handhaving-test", topic_prefix=prefix, request_timeout_ms=5000)
    handhaving = await start_service("handhaving", databases, auth, publisher=publisher)
    procedure = Procedure(handhaving, auth)
    try:
        async with handhaving.runtime.db.transaction() as session:
            await repository.add_zorgaanbieder(session, ZORGAANBIEDER, "12345678")
        with klok.gebruik(klok.VasteKlok(op(date(2026, 11, 2)))) as tijd:  # Monday 2 November 2026
            last = await procedure.bekendgemaakt("last-onder-dwangsom", LAST)  # begunstigingstermijn through Sun 8 Nov
            zaak = await procedure.zaak()
            rapport = await procedure.post(f"handhavingszaken/{zaak['id']}/boeterapporten", RAPPORT, procedure.inspecteur)
            assert rapport.status_code == 201, rapport.text
            boete_id = rapport.json()["besluitId"]
            assert (await procedure.post(f"besluiten/{boete_id}/zienswijzeverzoek", {}, procedure.inspecteur)).status_code == 200

            tijd.zet(op(date(2026, 11, 9)))  # the begunstigingstermijn ended yesterday: the watcher says so once
            assert await handhaving.runtime.termijnbewaker.run_once() == 1
            tijd.zet(op(date(2026, 11, 13)))
            controle = await procedure.post(
                f"besluiten/{last['id']}/controles", {"datum": "2026-11-13", "overtreding": True}, procedure.inspecteur
            )
            assert controle.status_code == 201, controle.text
            [verbeurte] = controle.json()["verbeurten"]
            beschikking = await procedure.post(
                f"verbeurten/{verbeurte['id']}/invorderingsbeschikking", {"toelichting": "t"}, procedure.jurist
            )
            assert beschikking.status_code == 200, beschikking.text
            assert (await procedure.post(f"verbeurten/{verbeurte['id']}/betaling", {}, procedure.jurist)).status_code == 200

            genomen = await procedure.post(
                f"besluiten/{boete_id}/vaststelling", {**VASTSTELLING, "zienswijzeOntvangenOp": "2026-11-10"}, procedure.jurist
            )
            assert genomen.status_code == 200, genomen.text
            assert (await procedure.post(f"besluiten/{boete_id}/bekendmaking", {}, procedure.jurist)).status_code == 200
        await handhaving.relay_all()

        verwacht = {
            "dwangsom-begunstigingstermijn-verstreken": last["id"],
            "dwangsom-verbeurd": verbeurte["id"],
            "dwangsom-invorderingsbeschikking-genomen": verbeurte["id"],
            "dwangsom-ingevorderd": verbeurte["id"],
            "boete-opgelegd": boete_id,
        }

        def soort(record) -> str:
            return json.loads(record.value)["type"].rsplit(".", 1)[-1]

        records = await read_topic(
            kafka.bootstrap_servers, prefix + Topic.handhavingszaken.value, until=lambda rs: set(verwacht) <= {soort(r) for r in rs}
        )
        gezien = [json.loads(r.value) for r in records if soort(r) in verwacht]
        assert sorted(e["type"].rsplit(".", 1)[-1] for e in gezien) == sorted(verwacht)  # each once
        for event in gezien:
            naam = event["type"].rsplit(".", 1)[-1]
            assert event["subject"] == verwacht[naam], naam
            contract = CATALOGUS[event["type"].removeprefix("nl.zorgtoezicht.")]
            contract.model_validate(event["data"])  # the catalogue's contract, as consumers read it
            assert "bedrag" not in json.dumps(event["data"]).lower(), naam  # no amount of money in any event
    finally:
        await publisher.stop()
        await handhaving.close()
