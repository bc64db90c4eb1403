"""meldpunt intake: every kind accepted, every required field refused by name, nothing stored on refusal,
partners scoped per gemeente, triage override with reason, and no BSN anywhere it must not be."""

from __future__ import annotations

import json
import logging

import pytest

from meldpunt.voorbeelden import VERPLICHTE_VELDEN, VOORBEELDEN, dag, melding

INDIENEN = "meldpunt.meldingen.indienen"
LEZEN = "meldpunt.meldingen.lezen"
GEMEENTE = "meldpunt.meldingen.lezen-gemeente"
BSN = "111222333"  # passes the 11-proef


async def tellingen(meldpunt) -> tuple[int, int, int]:
    return (
        await meldpunt.scalar("SELECT count(*) FROM melding"),
        await meldpunt.scalar("SELECT count(*) FROM outbox"),
        await meldpunt.scalar("SELECT count(*) FROM audit_trail"),
    )


@pytest.mark.parametrize("soort", sorted(VOORBEELDEN))
async def test_a_valid_example_of_each_kind_is_accepted_and_triaged(meldpunt, auth, soort):
    response = await meldpunt.client.post("/api/v1/meldingen", json=melding(soort), headers=auth.headers("portaal", INDIENEN))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["soort"] == soort and body["triage"]["route"] and body["triage"]["uitleg"]
    assert body["status"] in ("getrieerd", "doorverwezen")
    assert "melder" not in body and "patient" not in body and body["heeftPersoonsgegevens"] is True


@pytest.mark.parametrize(
    ("soort", "veld"), [(s, v) for s, velden in sorted(VERPLICHTE_VELDEN.items()) for v in velden + ["melder", "omschrijving"]]
)
async def test_each_missing_required_field_is_named_and_nothing_is_stored(meldpunt, auth, soort, veld):
    body = melding(soort)
    body.pop(veld, None)
    if soort.startswith("wmo") and veld == "gebeurtenisdatum":
        pass
    before = await tellingen(meldpunt)
    response = await meldpunt.client.post("/api/v1/meldingen", json=body, headers=auth.headers("portaal", INDIENEN))
    assert response.status_code == 400, response.text
    assert veld in {p["name"] for p in response.json()["invalidParams"]}
    assert await tellingen(meldpunt) == before


@pytest.mark.parametrize(
    ("soort", "veld", "waarde"),
    [
        ("wkkgz-calamiteit", "vestigingsnummer", "12345"),
        ("wkkgz-calamiteit", "vastgesteldOp", "gisteren"),
        ("wkkgz-geweld", "vorm", "onbekend"),
        ("medisch-hulpmiddel-incident", "ernst", "licht"),
        ("medisch-hulpmiddel-incident", "hulpmiddel", {"merk": "Pompco"}),
        ("geneesmiddel-tekort-of-defect", "rvgNummer", "12345"),
        ("wmo-geweld", "gemeenteCode", "0344"),
        ("signaal", "patient", {"bsn": "123456789"}),
        ("klacht", "kanaal", "fax"),
    ],
)
async def test_each_invalid_field_is_named(meldpunt, auth, soort, veld, waarde):
    response = await meldpunt.client.post("/api/v1/meldingen", json=melding(soort, **{veld: waarde}), headers=auth.headers("p", INDIENEN))
    assert response.status_code == 400, response.text
    names = {p["name"] for p in response.json()["invalidParams"]}
    assert any(name == veld or name.startswith(veld + ".") for name in names), names
    assert await meldpunt.scalar("SELECT count(*) FROM melding") == 0


async def test_an_unknown_vestiging_is_refused_for_mandatory_kinds_but_a_citizen_signal_is_kept(meldpunt, auth):
    mandatory = await meldpunt.client.post(
        "/api/v1/meldingen", json=melding("wkkgz-calamiteit", vestigingsnummer="999999999999"), headers=auth.headers("p", INDIENEN)
    )
    assert mandatory.status_code == 400 and mandatory.json()["invalidParams"][0]["code"] == "onbekende_vestiging"
    signaal = await meldpunt.client.post(
        "/api/v1/meldingen", json=melding("signaal", vestigingsnummer="999999999999"), headers=auth.headers("p", INDIENEN)
    )
    assert signaal.status_code == 201  # never lost: accepted without a provider link
    assert signaal.json()["zorgaanbiederId"] is None and signaal.json()["zorgaanbiederKandidaat"]["naam"] == "Zorggroep De Linde"


async def test_a_wmo_melding_reaches_only_its_own_gemeentes_toezichthouder(meldpunt, auth):
    created = await meldpunt.client.post("/api/v1/meldingen", json=melding("wmo-calamiteit"), headers=auth.headers("p", INDIENEN))
    assert created.status_code == 201
    body = created.json()
    assert body["gemeenteCode"] == "GM0363" and body["status"] == "doorverwezen"
    assert body["triage"]["route"] == "doorverwijzen" and "GM0363" in body["triage"]["doorverwijzenNaar"]
    amsterdam, utrecht = auth.headers("ggd-amsterdam", GEMEENTE), auth.headers("ggd-utrecht", GEMEENTE)
    assert (await meldpunt.client.get(f"/api/v1/meldingen/{body['id']}", headers=amsterdam)).status_code == 200
    assert (await meldpunt.client.get(f"/api/v1/meldingen/{body['id']}", headers=utrecht)).status_code == 404
    listed_a = (await meldpunt.client.get("/api/v1/meldingen", headers=amsterdam)).json()["results"]
    listed_u = (await meldpunt.client.get("/api/v1/meldingen", headers=utrecht)).json()["results"]
    assert [m["id"] for m in listed_a] == [body["id"]] and listed_u == []
    event = await meldpunt.scalar("SELECT convert_from(payload, 'UTF8') FROM outbox WHERE event_type LIKE '%melding-doorverwezen'")
    assert '"gemeenteCode":"GM0363"' in event


async def test_an_unconfigured_partner_sees_nothing(meldpunt, auth):
    await meldpunt.client.post("/api/v1/meldingen", json=melding("wmo-calamiteit"), headers=auth.headers("p", INDIENEN))
    listed = await meldpunt.client.get("/api/v1/meldingen", headers=auth.headers("ggd-onbekend", GEMEENTE))
    assert listed.status_code == 200 and listed.json()["results"] == []


async def test_the_reporter_reads_the_route_and_why_in_plain_dutch(meldpunt, auth):
    created = (
        await meldpunt.client.post("/api/v1/meldingen", json=melding("wkkgz-calamiteit"), headers=auth.headers("zorggroep", INDIENEN))
    ).json()
    own = await meldpunt.client.get(f"/api/v1/meldingen/{created['id']}/triage", headers=auth.headers("zorggroep", INDIENEN))
    assert own.status_code == 200 and own.json()["route"] == "onderzoek-door-zorgaanbieder"
    assert "{" not in own.json()["uitleg"] and len(own.json()["uitleg"]) > 30
    other = await meldpunt.client.get(f"/api/v1/meldingen/{created['id']}/triage", headers=auth.headers("ander-portaal", INDIENEN))
    assert other.status_code == 404


async def test_a_triage_override_needs_a_reason_and_shows_in_the_audit_trail(meldpunt, auth):
    created = (await meldpunt.client.post("/api/v1/meldingen", json=melding("klacht"), headers=auth.headers("p", INDIENEN))).json()
    url = f"/api/v1/meldingen/{created['id']}/triagecorrectie"
    inspecteur = auth.headers("inspectie", "meldpunt.triage.corrigeren")
    without = await meldpunt.client.post(url, json={"route": "beoordelen", "prioriteit": "hoog"}, headers=inspecteur)
    assert without.status_code == 400 and "reden" in {p["name"] for p in without.json()["invalidParams"]}
    reden = "Derde klacht over deze locatie in een maand"
    done = await meldpunt.client.post(url, json={"route": "beoordelen", "prioriteit": "hoog", "reden": reden}, headers=inspecteur)
    assert done.status_code == 200 and done.json()["triage"]["handmatig"] is True and done.json()["route"] == "beoordelen"
    trail = (
        await meldpunt.client.get(f"/api/v1/meldingen/{created['id']}/audittrail", headers=auth.headers("x", "meldpunt.audittrail.lezen"))
    ).json()
    correctie = [e for e in trail if e["resource"] == "triage"]
    assert len(correctie) == 1 and correctie[0]["toelichting"] == reden and correctie[0]["applicatieId"] == "inspectie"
    assert correctie[0]["wijzigingen"]["oud"]["route"] == "registreren"
    events = await meldpunt.scalar("SELECT count(*) FROM outbox WHERE event_type LIKE '%melding-getrieerd'")
    assert events == 2


async def test_a_bsn_never_appears_in_events_logs_or_lists(meldpunt, auth):
    import io

    from zorgtoezicht.logs import JsonFormatter
    from zorgtoezicht.persoonsgegevens import install_bsn_redactie

    # The service's real log path: JSON lines on a root handler with the BSN filter (as configure_logging sets up).
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    install_bsn_redactie()
    level = root.level
    root.setLevel(logging.DEBUG)
    body = melding("wkkgz-calamiteit", patient={"bsn": BSN, "geboortejaar": 1941}, omschrijving="Patient valt")
    created = await meldpunt.client.post("/api/v1/meldingen", json=body, headers=auth.headers("p", INDIENEN))
    assert created.status_code == 201
    logging.getLogger("test").warning("debug dump %s", json.dumps(body))  # even a careless log line is masked
    listing = await meldpunt.client.get("/api/v1/meldingen", headers=auth.headers("x", LEZEN))
    detail = await meldpunt.client.get(f"/api/v1/meldingen/{created.json()['id']}", headers=auth.headers("x", LEZEN))
    outbox = await meldpunt.scalar("SELECT string_agg(convert_from(payload, 'UTF8'), '\n') FROM outbox")
    stored = await meldpunt.scalar("SELECT encode(persoonsgegevens, 'escape') FROM melding")
    root.removeHandler(handler)
    root.setLevel(level)
    logs = stream.getvalue()
    assert logs.count("\n") > 3  # requests and the careless line were logged
    for text in (created.text, listing.text, detail.text, outbox, stored, logs):
        assert BSN not in text
    assert "[bsn verwijderd]" in logs

    inzage = await meldpunt.client.post(
        f"/api/v1/meldingen/{created.json()['id']}/persoonsgegevens/_inzien",
        json={"doel": "Contact met melder over aanvullende vragen"},
        headers=auth.headers("inspecteur-7", "meldpunt.persoonsgegevens.inzien"),
    )
    assert inzage.status_code == 200 and inzage.json()["patient"]["bsn"] == BSN
    reads = await meldpunt.scalar(
        "SELECT count(*) FROM audit_trail WHERE actie = 'read' AND applicatie_id = 'inspecteur-7' "
        "AND toelichting = 'Contact met melder over aanvullende vragen'"
    )
    assert reads == 1


async def test_possible_duplicates_are_linked_and_can_be_merged_keeping_history(meldpunt, auth):
    first = (await meldpunt.client.post("/api/v1/meldingen", json=melding("wkkgz-calamiteit"), headers=auth.headers("p", INDIENEN))).json()
    second = (
        await meldpunt.client.post(
            "/api/v1/meldingen", json=melding("wkkgz-calamiteit", gebeurtenisdatum=dag(-1)), headers=auth.headers("p", INDIENEN)
        )
    ).json()
    lezer = auth.headers("x", LEZEN)
    dubbel = (await meldpunt.client.get(f"/api/v1/meldingen/{second['id']}/mogelijke-dubbelen", headers=lezer)).json()
    assert [d["meldingId"] for d in dubbel] == [first["id"]]
    behandelaar = auth.headers("x", "meldpunt.meldingen.behandelen")
    merged = await meldpunt.client.post(
        f"/api/v1/meldingen/{second['id']}/samenvoeging", json={"hoofdmeldingId": first["id"]}, headers=behandelaar
    )
    assert merged.status_code == 200 and merged.json()["samengevoegdMet"] == first["id"]
    history = (await meldpunt.client.get(f"/api/v1/meldingen/{second['id']}/statussen", headers=lezer)).json()
    assert [h["status"] for h in history][:2] == ["ontvangen", "getrieerd"] and "samengevoegd" in history[-1]["toelichting"]
    again = await meldpunt.client.post(
        f"/api/v1/meldingen/{second['id']}/samenvoeging", json={"hoofdmeldingId": first["id"]}, headers=behandelaar
    )
    assert again.status_code == 409


async def test_the_calamiteitenrapport_term_is_tracked_extended_and_announced_when_late(meldpunt, auth):
    from datetime import date, datetime, time, timedelta

    from zorgtoezicht import klok

    created = (
        await meldpunt.client.post("/api/v1/meldingen", json=melding("wkkgz-calamiteit"), headers=auth.headers("p", INDIENEN))
    ).json()
    uiterlijk = date.fromisoformat(created["rapportUiterlijk"])
    behandelaar = auth.headers("x", "meldpunt.meldingen.behandelen")
    verlengd = await meldpunt.client.post(
        f"/api/v1/meldingen/{created['id']}/rapporttermijnverlenging",
        json={"nieuweDatum": (uiterlijk + timedelta(weeks=4)).isoformat(), "reden": "Extern deskundige pas later beschikbaar"},
        headers=behandelaar,
    )
    assert verlengd.status_code == 200 and verlengd.json()["rapportUiterlijk"] == (uiterlijk + timedelta(weeks=4)).isoformat()
    # The term watcher, by a clock moved past the extended term (noon on a Dutch day): it fires once.
    with klok.gebruik(klok.VasteKlok(datetime.combine(uiterlijk + timedelta(weeks=5), time(12), tzinfo=klok.NL))):
        assert await meldpunt.runtime.termijnbewaker.run_once() == 1
    with klok.gebruik(klok.VasteKlok(datetime.combine(uiterlijk + timedelta(weeks=6), time(12), tzinfo=klok.NL))):
        assert await meldpunt.runtime.termijnbewaker.run_once() == 0  # once
    assert await meldpunt.scalar("SELECT count(*) FROM outbox WHERE event_type LIKE '%calamiteitenrapport-te-laat'") == 1
    late = await meldpunt.client.post(
        f"/api/v1/meldingen/{created['id']}/calamiteitenrapport",
        json={"ontvangenOp": (uiterlijk + timedelta(weeks=5)).isoformat()},
        headers=behandelaar,
    )
    assert late.status_code == 200
    payload = await meldpunt.scalar(
        "SELECT convert_from(payload, 'UTF8') FROM outbox WHERE event_type LIKE '%calamiteitenrapport-ontvangen'"
    )
    assert '"teLaat":true' in payload
