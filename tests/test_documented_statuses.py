"""Contracts that lied (issue 8): statuses service code answers that the OpenAPI documents left out, and a
response field its own schema calls write-only. The expectations are written out from reading the service
code, not taken from the documents; the fuzz run (tests/test_fuzz.py) checks the behaviour."""

from __future__ import annotations

import pytest

from meldpunt.voorbeelden import melding
from zorgtoezicht.runner import load_definition, openapi_document
from zorgtoezicht.testing.harness import start_service

# service, operationId → the statuses its code raises beyond 400/401/403/500 and a path's 404
RAISED = {
    ("meldpunt", "meldingTriageCorrigeren"): {"409"},  # triage_gesloten
    ("meldpunt", "meldingStatusWijzigen"): {"409"},  # ongeldige_statusovergang
    ("meldpunt", "calamiteitenrapportOntvangen"): {"409"},  # geen_rapport_gevraagd, rapport_al_ontvangen
    ("meldpunt", "rapporttermijnVerlengen"): {"409"},  # geen_open_termijn, termijn_verlopen
    ("meldpunt", "meldingSamenvoegen"): {"409"},  # al_samengevoegd
    ("meldpunt", "zorgaanbiederKoppelen"): {"409"},  # al_gekoppeld
    ("meldpunt", "zorgaanbiederKandidaten"): {"502"},  # register does not answer usefully
    ("register", "zorgaanbiederRegistreren"): {"409"},  # kvk_nummer_bestaat, vestigingsnummer_bestaat
    ("register", "zorgaanbiederBeeindigen"): {"409"},  # al_gestopt
    ("register", "wtzaMeldingVerwerken"): {"409"},  # referentie_hergebruikt, vestigingsnummer_bestaat
    ("register", "vergunningAanvraagOntvangen"): {"404", "409"},  # unknown zorgaanbiederId; referentie_hergebruikt, vergunning_bestaat
    ("register", "vergunningBesluit"): {"409"},  # ongeldige_overgang, besluit_voor_aanvraag
    ("register", "vergunningIntrekken"): {"409"},  # ongeldige_overgang
    ("toezicht", "toezichtactiviteitStatusWijzigen"): {"409"},  # ongeldige_statusovergang, status_alleen_door_systeem
    ("toezicht", "oordeelVaststellen"): {"409"},  # ongeldige_statusovergang, soort_zonder_oordeel
    ("toezicht", "planningHerplannen"): {"409"},  # al_vastgesteld
    ("toezicht", "planningVaststellen"): {"409"},  # al_vastgesteld, vorige_vastgesteld
    ("handhaving", "openbaarmakingVoornemen"): {"409"},  # openbaarmaking_bestaat
    ("handhaving", "openbaarmakingUitspraakVerwerken"): {"409"},  # ongeldige_statusovergang
    ("handhaving", "besluitZienswijzeVragen"): {"409"},  # ongeldige_statusovergang
    ("handhaving", "besluitNemen"): {"409"},  # ongeldige_statusovergang, zienswijze_vereist, zienswijzetermijn_loopt
    ("handhaving", "besluitBekendmaken"): {"409"},  # ongeldige_statusovergang
    ("handhaving", "besluitIntrekken"): {"409"},  # ongeldige_statusovergang
    ("handhaving", "besluitLatenVervallen"): {"409"},  # ongeldige_statusovergang
    ("handhaving", "besluitBeroepRegistreren"): {"409"},  # ongeldige_statusovergang
    ("handhaving", "bezwaarRegistreren"): {"409"},  # ongeldige_statusovergang
    ("handhaving", "bezwaarBeslissen"): {"409"},  # bezwaar_beslist, ongeldige_statusovergang
    ("handhaving", "bevelVerlengen"): {"409"},  # geen_bevel, niet_in_werking
    ("handhaving", "bezwaarVerdagen"): {"409"},  # bezwaar_beslist, al_verdaagd, beslistermijn_verstreken
    ("handhaving", "dwangsomControleRegistreren"): {"409"},  # geen_last_onder_dwangsom, niet_bekendgemaakt
    ("handhaving", "dwangsomVerbeurtenOpvragen"): {"409"},  # geen_last_onder_dwangsom, niet_bekendgemaakt
    ("handhaving", "dwangsomInvorderingsbeschikkingNemen"): {"409"},  # invordering_niet_toegestaan, betaald, ...bestaat
    ("handhaving", "dwangsomAanmanen"): {"409"},  # betaald, al_aangemaand, aanmaning_niet_toegestaan
    ("handhaving", "dwangsomBetalingRegistreren"): {"409"},  # betaald
    ("handhaving", "dwangsomLastOpheffen"): {"409"},  # last_beeindigd, niet_bekendgemaakt, ongeldige_statusovergang
    ("handhaving", "besluitVoornemen"): {"409"},  # zaak_afgesloten
    ("handhaving", "boeterapportOpmaken"): {"409"},  # boetebevoegdheid_vervallen, boete_voorbij_voornemen, boeterapport_bestaat
    ("handhaving", "handhavingszaakAfsluiten"): {"409"},  # zaak_afgesloten, procedure_loopt
}


def _operations(name: str) -> dict[str, dict]:
    document = openapi_document(load_definition(name))
    return {operation["operationId"]: operation for methods in document["paths"].values() for operation in methods.values()}


@pytest.mark.parametrize(("service", "operation_id"), sorted(RAISED), ids=lambda value: value)
def test_every_raised_status_is_documented_as_a_problem(service, operation_id):
    responses = _operations(service)[operation_id]["responses"]
    for status in RAISED[(service, operation_id)]:
        assert status in responses, f"{service} {operation_id} does not document {status}"
        assert list(responses[status]["content"]) == ["application/problem+json"]
        assert responses[status]["description"]


def test_no_operation_documents_a_conflict_it_cannot_raise():
    documented = {
        (service, operation_id)
        for service in ("meldpunt", "register", "toezicht", "handhaving")
        for operation_id, operation in _operations(service).items()
        if "409" in operation["responses"]
    }
    assert documented == {key for key, statuses in RAISED.items() if "409" in statuses}


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _write_only_in(document: dict, schema: dict, value: object, path: str = "") -> list[str]:
    """Fields of ``value`` that ``schema`` marks writeOnly (which a response must never carry)."""
    schema = _resolve(document, schema)
    found = []
    for member in schema.get("anyOf", []) + schema.get("oneOf", []):
        found += _write_only_in(document, member, value, path)
    if isinstance(value, dict):
        for name, item in value.items():
            field = _resolve(document, schema.get("properties", {}).get(name, {}))
            if field.get("writeOnly") or any(_resolve(document, m).get("writeOnly") for m in field.get("anyOf", [])):
                found.append(f"{path}{name}")
            found += _write_only_in(document, field, item, f"{path}{name}.")
    return found


async def test_inzien_returns_the_bsn_its_response_schema_declares(databases, auth):
    """Was: ``_inzien`` returned ``patient.bsn``, which the shared schema marks writeOnly."""
    meldpunt = await start_service("meldpunt", databases, auth)
    try:
        await _inzien_returns_the_bsn(meldpunt, auth)
    finally:
        await meldpunt.close()


async def _inzien_returns_the_bsn(meldpunt, auth) -> None:
    created = await meldpunt.client.post(
        "/api/v1/meldingen",
        json=melding("signaal", patient={"bsn": "111222333"}),
        headers=auth.headers("web", "meldpunt.meldingen.indienen"),
    )
    assert created.status_code == 201, created.text
    read = await meldpunt.client.post(
        f"/api/v1/meldingen/{created.json()['id']}/persoonsgegevens/_inzien",
        json={"doel": "onderzoek melding"},
        headers=auth.headers("lmz", "meldpunt.persoonsgegevens.inzien"),
    )
    assert read.status_code == 200, read.text
    assert read.json()["patient"]["bsn"] == "111222333"

    document = openapi_document(load_definition("meldpunt"))
    response = document["paths"]["/meldingen/{meldingId}/persoonsgegevens/_inzien"]["post"]["responses"]["200"]
    schema = response["content"]["application/json"]["schema"]
    assert _write_only_in(document, schema, read.json()) == []
    # while a request body still treats the BSN as write-only
    request = _resolve(document, document["components"]["schemas"]["Patient"])["properties"]["bsn"]
    assert any(_resolve(document, member).get("writeOnly") for member in request.get("anyOf", [request]))
