"""A poll of events rescored together (issue 9, acceptance 9): toezicht's handlers store signals and defer the
rescoring to the end of the batch's transaction, each touched provider once. The outcome must be what the same
events give one by one (each in its own transaction), compared on two fresh databases."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, text

from zorgtoezicht import klok
from zorgtoezicht.events.contracts.meldpunt import MeldingOntvangen, MeldingZorgaanbiederGekoppeld
from zorgtoezicht.events.envelope import EventFactory, Topic
from zorgtoezicht.messaging.bus import Message
from zorgtoezicht.testing.harness import start_service

FACTORY = EventFactory(oin="00000001234567890000", system="test", api_base_url="http://test/api/v1")
DAG = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
EEN, TWEE = uuid.UUID(int=1), uuid.UUID(int=2)


def berichten() -> list[Message]:
    """Six meldingen about EEN and two about TWEE (every third), spread over the last months, interleaved."""
    soorten = ["wkkgz-calamiteit", "klacht", "signaal", "wkkgz-geweld", "klacht", "klacht", "wkkgz-calamiteit", "signaal"]
    uit = []
    for n, soort in enumerate(soorten):
        zid = EEN if n % 3 != 2 else TWEE
        data = MeldingOntvangen(melding_id=uuid.uuid4(), zorgaanbieder_id=zid, soort=soort, ontvangen_op=DAG - timedelta(days=40 * n))
        event = FACTORY.build(data)
        uit.append(Message(Topic.meldingen.value, event.subject, event.to_bytes(), (), 0, n))
    return uit


async def _toestand(service) -> dict:
    async with service.runtime.db.transaction() as session:
        rijen = await session.execute(
            text("SELECT zorgaanbieder_id, aantal_signalen, score::float8, redenen FROM risicoprofiel ORDER BY zorgaanbieder_id")
        )
        return {zid: (aantal, score, redenen) for zid, aantal, score, redenen in rijen}


async def test_a_batch_rescores_each_provider_once_with_the_outcome_of_one_by_one(databases, auth):
    meldingen = berichten()
    with klok.gebruik(klok.VasteKlok(DAG)):
        samen = await start_service("toezicht", databases, auth)
        los = await start_service("toezicht", databases, auth)
        try:
            [verwerker] = [p for p in samen.runtime.processors(None) if p.subscription.consumer == "toezicht.meldingen"]
            await verwerker.process_batch(meldingen)
            assert verwerker.stats["handled"] == 8 and verwerker.stats["dead"] == 0
            [een_voor_een] = [p for p in los.runtime.processors(None) if p.subscription.consumer == "toezicht.meldingen"]
            for bericht in meldingen:
                await een_voor_een.process(bericht)

            batch, enkel = await _toestand(samen), await _toestand(los)
            assert batch == enkel  # same counts, same scores, same reasons (each naming its event)
            assert batch[EEN][0] == 6 and batch[TWEE][0] == 2 and batch[EEN][1] > 0
            # rescored once per provider: one announcement and one audit row each, acted by the last event about it
            gewijzigd = await samen.scalar(
                "SELECT count(*) FROM outbox WHERE event_type = 'nl.zorgtoezicht.risicoprofielen.risicoprofiel-gewijzigd'"
            )
            assert gewijzigd == 2
            assert await los.scalar("SELECT count(*) FROM outbox") == 8  # one by one: one per event
            over_een = [json.loads(b.value) for b in meldingen if json.loads(b.value)["data"]["zorgaanbiederId"] == str(EEN)]
            laatste_over_een = over_een[-1]["id"]
            async with samen.runtime.db.transaction() as session:
                toelichtingen = (
                    (
                        await session.execute(
                            text("SELECT toelichting FROM audit_trail WHERE hoofd_object_id = :z AND resource = 'risicoprofiel'"),
                            {"z": EEN},
                        )
                    )
                    .scalars()
                    .all()
                )
            assert len(toelichtingen) == 1 and laatste_over_een in toelichtingen[0], toelichtingen
        finally:
            await samen.close()
            await los.close()


async def test_a_batch_writes_its_signals_in_one_statement(databases, auth):
    """The signals of a poll wait for the rescoring and are written together: one INSERT for eight meldingen (each
    event's own INSERT was a round trip, a fifth of the consumer's time under load)."""
    meldingen = berichten()
    with klok.gebruik(klok.VasteKlok(DAG)):
        service = await start_service("toezicht", databases, auth)
        inserts: list[str] = []

        def tel(_conn, _cursor, statement, *_args) -> None:
            if statement.lstrip().upper().startswith("INSERT INTO SIGNAAL"):
                inserts.append(statement)

        engine = service.runtime.db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", tel)
        try:
            [verwerker] = [p for p in service.runtime.processors(None) if p.subscription.consumer == "toezicht.meldingen"]
            await verwerker.process_batch(meldingen)
            assert verwerker.stats["handled"] == 8
            assert len(inserts) == 1, inserts
            assert await service.scalar("SELECT count(*) FROM signaal") == 8
        finally:
            event.remove(engine, "before_cursor_execute", tel)
            await service.close()


async def test_a_signal_waiting_in_the_batch_is_seen_by_a_later_event_of_it(databases, auth):
    """A melding that arrives with its provider and is linked to it in the same poll counts once: the linking
    handler asks whether the melding's signal exists, and the signal still waiting to be written is written first."""
    melding_id = uuid.uuid4()
    ontvangen = FACTORY.build(MeldingOntvangen(melding_id=melding_id, zorgaanbieder_id=EEN, soort="klacht", ontvangen_op=DAG))
    gekoppeld = FACTORY.build(MeldingZorgaanbiederGekoppeld(melding_id=melding_id, zorgaanbieder_id=EEN, soort="klacht"))
    berichten = [Message(Topic.meldingen.value, e.subject, e.to_bytes(), (), 0, n) for n, e in enumerate((ontvangen, gekoppeld))]
    with klok.gebruik(klok.VasteKlok(DAG)):
        service = await start_service("toezicht", databases, auth)
        try:
            [verwerker] = [p for p in service.runtime.processors(None) if p.subscription.consumer == "toezicht.meldingen"]
            await verwerker.process_batch(berichten)
            assert verwerker.stats["handled"] == 2 and verwerker.batches["committed"] == 1
            assert await service.scalar(f"SELECT count(*) FROM signaal WHERE bron_object_id = '{melding_id}'") == 1
            assert (await _toestand(service))[EEN][0] == 1
        finally:
            await service.close()
