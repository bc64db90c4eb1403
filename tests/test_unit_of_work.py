"""The same unit of work in every service (issue 8, build item 10): changes write audit rows in toezicht and
handhaving too, and every event handler acts as the system, naming its cause - the consumer, the event's type
and id, and the correlation id of the request that started it."""

from __future__ import annotations

from meldpunt import voorbeelden
from zorgtoezicht.events.envelope import Topic
from zorgtoezicht.messaging.bus import Message


async def audit_rows(service, hoofd_object_id: str) -> list[dict]:
    return await service.scalar(
        "SELECT coalesce(json_agg(json_build_object('applicatie', applicatie_id, 'gebruiker', gebruikers_weergave, 'actie', actie, "
        "'resource', resource, 'toelichting', toelichting, 'requestId', request_id, 'wijzigingen', wijzigingen) "
        "ORDER BY aanmaakdatum), '[]') FROM audit_trail WHERE hoofd_object_id = :id",
        id=hoofd_object_id,
    )


async def test_every_service_audits_its_changes_and_handlers_name_their_cause(chain, auth):
    register, meldpunt, toezicht, handhaving = (chain[n] for n in ("register", "meldpunt", "toezicht", "handhaving"))
    created = await register.client.post(
        "/api/v1/zorgaanbieders",
        json={
            "kvkNummer": "69599084",
            "statutaireNaam": "Zorggroep De Linde B.V.",
            "vestigingen": [{"vestigingsnummer": "000038509504", "postcode": "3511 AB", "gemeente": "Utrecht"}],
        },
        headers=auth.headers("cibg", "register.zorgaanbieders.schrijven"),
    )
    assert created.status_code == 201, created.text
    zorgaanbieder_id = created.json()["id"]
    await chain.settle()
    accepted = await meldpunt.client.post(
        "/api/v1/meldingen",
        json=voorbeelden.melding("wkkgz-calamiteit"),
        headers={**auth.headers("zorgaanbieder", "meldpunt.meldingen.indienen"), "X-Correlation-ID": "req-melding-1"},
    )
    assert accepted.status_code == 201, accepted.text
    await chain.settle()

    # toezicht rescored the provider as the system, on behalf of meldpunt's event. register's facts made the profile
    # (not audited in toezicht: register audits them); the melding changed its risk: 1 signal, a fresh calamiteit
    # weighs 15 points in the packaged risk model.
    ontvangen_id = await meldpunt.scalar(
        "SELECT event_id::text FROM outbox WHERE event_type = :t", t="nl.zorgtoezicht.meldingen.melding-ontvangen"
    )
    [rij] = await audit_rows(toezicht, zorgaanbieder_id)
    assert rij["applicatie"] == "toezicht.meldingen" and rij["gebruiker"] == "systeem" and rij["actie"] == "partial_update"
    assert rij["toelichting"] == f"gebeurtenis nl.zorgtoezicht.meldingen.melding-ontvangen {ontvangen_id} (correlatie req-melding-1)"
    assert rij["requestId"] == "req-melding-1" and rij["wijzigingen"] == {
        "oud": {"aantalSignalen": 0, "score": 0.0, "triggers": []},
        "nieuw": {"aantalSignalen": 1, "score": 15.0, "triggers": []},
    }

    # handhaving audits the decision with the deciding client; register shows the measure on behalf of its event.
    maatregel = await handhaving.client.post(
        "/api/v1/maatregelen",
        json={
            "zorgaanbiederId": zorgaanbieder_id,
            "soort": "aanwijzing",
            "ingangsdatum": "2026-12-01",
            "motivering": "Tekortkomingen in medicatieveiligheid",
        },
        headers={**auth.headers("jurist", "handhaving.maatregelen.schrijven"), "X-Correlation-ID": "req-maatregel-1"},
    )
    assert maatregel.status_code == 201, maatregel.text
    maatregel_id = maatregel.json()["id"]
    [besluit] = await audit_rows(handhaving, maatregel_id)
    assert (besluit["applicatie"], besluit["actie"], besluit["resource"], besluit["requestId"]) == (
        "jurist",
        "create",
        "maatregel",
        "req-maatregel-1",
    )
    assert besluit["wijzigingen"]["nieuw"]["soort"] == "aanwijzing"
    await chain.settle()
    opgelegd_id = await handhaving.scalar("SELECT event_id::text FROM outbox")
    getoond = [r for r in await audit_rows(register, zorgaanbieder_id) if r["resource"] == "maatregel"]
    assert [(r["applicatie"], r["gebruiker"], r["toelichting"]) for r in getoond] == [
        (
            "register.maatregelen",
            "systeem",
            f"gebeurtenis nl.zorgtoezicht.maatregelen.maatregel-opgelegd {opgelegd_id} (correlatie req-maatregel-1)",
        )
    ]

    # A redelivered event changes nothing, so it audits nothing either (the inbox).
    payload = await meldpunt.scalar("SELECT payload FROM outbox WHERE event_id = :id", id=ontvangen_id)
    [processor] = [p for p in toezicht.runtime.processors(dead_letter_publisher=None) if p.subscription.consumer == "toezicht.meldingen"]
    voor = await audit_rows(toezicht, zorgaanbieder_id)  # the melding's row and the measure's (an aanwijzing adds risk)
    assert [r["applicatie"] for r in voor] == ["toezicht.meldingen", "toezicht.maatregelen"]
    await processor.process(Message(Topic.meldingen.value, accepted.json()["id"], payload))
    assert processor.stats["duplicates"] == 1 and await audit_rows(toezicht, zorgaanbieder_id) == voor
