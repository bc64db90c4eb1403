"""The platform's guard on every operation (issue 8): authentication before the body is read, the body's size
before it is parsed (413, also chunked), the cost of the JSON, control characters in text, and a bounded reply.

The order for an operation with a body is 401 → 403 → 413 → 400.
"""

from __future__ import annotations

import json
import time
import uuid

import pytest

from meldpunt.voorbeelden import melding
from zorgtoezicht.runner import load_definition, openapi_document

PROBLEM = "application/problem+json"
JSON = {"content-type": "application/json"}
INDIENEN = "meldpunt.meldingen.indienen"
TRIAGE = "meldpunt.triage.corrigeren"
INZIEN = "meldpunt.persoonsgegevens.inzien"
REGISTER_SCHRIJVEN = "register.zorgaanbieders.schrijven"
MAATREGELEN = "handhaving.maatregelen.schrijven"
MB = 1024 * 1024


class CountingBody:
    """A chunked request body of ``total`` bytes that counts how much of it the server pulled."""

    def __init__(self, total: int, chunk: int = 64 * 1024) -> None:
        self.total, self.chunk, self.sent = total, chunk, 0

    async def __aiter__(self):
        while self.sent < self.total:
            self.sent += self.chunk
            yield b" " * self.chunk


# ----------------------------------------------------------------------------------------- size (413)


async def test_a_100_mb_body_without_a_token_is_401_and_not_read(chain, auth):
    body = CountingBody(100 * MB)
    response = await chain["meldpunt"].client.post("/api/v1/meldingen", content=body, headers=JSON)
    assert response.status_code == 401
    assert body.sent <= 64 * 1024  # at most the first chunk httpx hands over; nothing was pulled by the app


async def test_a_100_mb_chunked_body_is_413_after_reading_just_past_the_limit(chain, auth):
    body = CountingBody(100 * MB)
    response = await chain["meldpunt"].client.post("/api/v1/meldingen", content=body, headers={**auth.headers("p", INDIENEN), **JSON})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["status"] == 413 and response.json()["detail"] == (
        "The request body is larger than this operation accepts (65536 bytes)"
    )
    assert body.sent <= 64 * 1024 + 64 * 1024  # the limit plus the chunk that crossed it, not 100 MB


async def test_a_declared_content_length_above_the_limit_is_413_without_reading(chain, auth):
    content = b"[" + b"1," * (50 * MB) + b"1]"
    response = await chain["meldpunt"].client.post("/api/v1/meldingen", content=content, headers={**auth.headers("p", INDIENEN), **JSON})
    assert response.status_code == 413


async def test_a_truncated_body_without_a_token_is_401_not_400(chain):
    response = await chain["meldpunt"].client.post("/api/v1/meldingen", content=b'{"soort": "klacht", "omschr', headers=JSON)
    assert response.status_code == 401


async def test_the_order_is_401_403_413_400(chain, auth):
    client = chain["register"].client
    big, bad = b'{"x": "' + b"a" * (70 * 1024) + b'"}', b"{niet json"
    url = "/api/v1/zorgaanbieders"
    assert (await client.post(url, content=big, headers=JSON)).status_code == 401
    lezen = auth.headers("cibg", "register.zorgaanbieders.lezen")
    assert (await client.post(url, content=big, headers={**lezen, **JSON})).status_code == 403
    assert (await client.post(url, content=big, headers={**auth.headers("cibg", REGISTER_SCHRIJVEN), **JSON})).status_code == 413
    assert (await client.post(url, content=bad, headers={**auth.headers("cibg", REGISTER_SCHRIJVEN), **JSON})).status_code == 400


async def test_a_bulk_operation_declares_a_larger_limit(chain, auth):
    """register's wtza-meldingen take 1 MiB (a chain with many vestigingen); 100 KiB is then not too large."""
    padding = {"onbekend": "a" * (100 * 1024)}
    headers = {**auth.headers("cibg", "register.wtza-meldingen.schrijven"), **JSON}
    bulk = await chain["register"].client.post("/api/v1/wtza-meldingen", content=json.dumps(padding), headers=headers)
    assert bulk.status_code == 400, bulk.text  # read and validated: the unknown field is named
    assert "onbekend" in {p["name"] for p in bulk.json()["invalidParams"]}
    over = await chain["register"].client.post("/api/v1/wtza-meldingen", content=json.dumps({"x": "a" * (MB + 1)}), headers=headers)
    assert over.status_code == 413
    normal = await chain["register"].client.post(
        "/api/v1/zorgaanbieders", content=json.dumps(padding), headers={**auth.headers("cibg", REGISTER_SCHRIJVEN), **JSON}
    )
    assert normal.status_code == 413


def test_every_operation_with_a_body_documents_413_as_a_problem():
    for name in ("meldpunt", "toezicht", "handhaving", "register"):
        document = openapi_document(load_definition(name))
        for path, methods in document["paths"].items():
            for method, operation in methods.items():
                if "requestBody" in operation:
                    response = operation["responses"].get("413")
                    assert response is not None, f"{name} {method} {path}"
                    assert response["content"]["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
    wtza = openapi_document(load_definition("register"))["paths"]["/wtza-meldingen"]["post"]["responses"]["413"]
    assert wtza["description"] == "The request body is larger than 1048576 bytes"


# ------------------------------------------------------------------------------------ work per request


async def test_many_unknown_keys_are_400_quickly_with_a_capped_list(chain, auth):
    body = {f"veld{i}": i for i in range(200)}  # under the members cap: each is an invalid field
    started = time.perf_counter()
    response = await chain["meldpunt"].client.post(
        "/api/v1/meldingen", json={"soort": "klacht", **body}, headers=auth.headers("p", INDIENEN)
    )
    assert response.status_code == 400
    problem = response.json()
    assert len(problem["invalidParams"]) == 50
    assert problem["detail"].endswith("more invalid fields not listed)")
    assert time.perf_counter() - started < 2


async def test_a_body_just_under_the_limit_with_thousands_of_keys_is_refused_before_validation(chain, auth):
    body = {f"k{i}": 0 for i in range(6500)}
    content = json.dumps(body, separators=(",", ":")).encode()
    assert 60 * 1024 < len(content) < 64 * 1024
    started = time.perf_counter()
    response = await chain["meldpunt"].client.post("/api/v1/meldingen", content=content, headers={**auth.headers("p", INDIENEN), **JSON})
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [
        {"name": "body", "code": "too_many_members", "reason": "an object has at most 256 members; this one has 6500"}
    ]
    assert elapsed < 1


async def test_deep_nesting_is_400_not_a_crash(chain, auth):
    headers = {**auth.headers("p", INDIENEN), **JSON}
    nested: object = "x"
    for _ in range(40):
        nested = [nested]
    for content in (b"[" * 30000 + b"]" * 30000, json.dumps({"omschrijving": nested})):
        response = await chain["meldpunt"].client.post("/api/v1/meldingen", content=content, headers=headers)
        assert response.status_code == 400, response.text
        assert response.json()["invalidParams"][0]["code"] == "too_deep"


# --------------------------------------------------------------------------------- control characters


def codes(response) -> dict[str, str]:
    return {p["name"]: p["code"] for p in response.json()["invalidParams"]}


async def create_signaal(chain, auth) -> str:
    created = await chain["meldpunt"].client.post("/api/v1/meldingen", json=melding("signaal"), headers=auth.headers("p", INDIENEN))
    assert created.status_code == 201, created.text
    return created.json()["id"]


@pytest.mark.parametrize("nul", ["\u0000", "\u0007", "\u001b", "\u0085", "\u009f"])
async def test_a_control_character_in_meldpunt_text_is_400_naming_the_field(chain, auth, nul):
    meldpunt = chain["meldpunt"]
    omschrijving = await meldpunt.client.post(
        "/api/v1/meldingen", json=melding("signaal", omschrijving=f"Valt{nul}vaak"), headers=auth.headers("p", INDIENEN)
    )
    assert omschrijving.status_code == 400, omschrijving.text
    assert codes(omschrijving) == {"omschrijving": "control_character"}
    product = await meldpunt.client.post(
        "/api/v1/meldingen", json=melding("geneesmiddel-tekort-of-defect", product=f"Levo{nul}"), headers=auth.headers("p", INDIENEN)
    )
    assert product.status_code == 400 and codes(product) == {"product": "control_character"}
    melder = await meldpunt.client.post(
        "/api/v1/meldingen",
        json=melding("signaal", melder={"rol": "burger-naaste", "naam": f"J{nul}"}),
        headers=auth.headers("p", INDIENEN),
    )
    assert melder.status_code == 400 and codes(melder) == {"melder.naam": "control_character"}
    assert await meldpunt.scalar("SELECT count(*) FROM melding") == 0

    melding_id = await create_signaal(chain, auth)
    reden = await meldpunt.client.post(
        f"/api/v1/meldingen/{melding_id}/triagecorrectie",
        json={"route": "beoordelen", "prioriteit": "hoog", "reden": f"Derde{nul}klacht"},
        headers=auth.headers("inspectie", TRIAGE),
    )
    assert reden.status_code == 400 and codes(reden) == {"reden": "control_character"}
    doel = await meldpunt.client.post(
        f"/api/v1/meldingen/{melding_id}/persoonsgegevens/_inzien",
        json={"doel": f"Contact{nul}"},
        headers=auth.headers("inspecteur", INZIEN),
    )
    assert doel.status_code == 400 and codes(doel) == {"doel": "control_character"}


async def test_a_nul_in_register_and_handhaving_text_is_400_naming_the_field(chain, auth):
    register = chain["register"]
    aanbieder = {
        "kvkNummer": "69599084",
        "statutaireNaam": "Zorggroep\u0000De Linde B.V.",
        "handelsnamen": ["De Linde", "Lin\u0000de"],
        "vestigingen": [{"vestigingsnummer": "000038509504", "postcode": "3511 AB", "gemeente": "Utrecht"}],
    }
    response = await register.client.post("/api/v1/zorgaanbieders", json=aanbieder, headers=auth.headers("cibg", REGISTER_SCHRIJVEN))
    assert response.status_code == 400, response.text
    assert codes(response) == {"statutaireNaam": "control_character", "handelsnamen.1": "control_character"}
    assert await register.scalar("SELECT count(*) FROM zorgaanbieder") == 0

    maatregel = await chain["handhaving"].client.post(
        "/api/v1/maatregelen",
        headers=auth.headers("jurist", MAATREGELEN),
        json={"zorgaanbiederId": str(uuid.uuid4()), "soort": "aanwijzing", "ingangsdatum": "2026-12-01", "motivering": "Acuut\u0000gevaar"},
    )
    assert maatregel.status_code == 400 and codes(maatregel) == {"motivering": "control_character"}


async def test_line_breaks_and_tabs_stay_allowed_in_free_text(chain, auth):
    body = melding("signaal", omschrijving="Eerste regel\r\n\tTweede regel")
    created = await chain["meldpunt"].client.post("/api/v1/meldingen", json=body, headers=auth.headers("p", INDIENEN))
    assert created.status_code == 201, created.text


async def test_control_characters_in_keys_query_path_and_audit_header_are_400(chain, auth):
    meldpunt, register = chain["meldpunt"], chain["register"]
    key = await meldpunt.client.post("/api/v1/meldingen", json={**melding("signaal"), "a\u0000b": 1}, headers=auth.headers("p", INDIENEN))
    assert key.status_code == 400 and codes(key)["a\\u0000b"] == "control_character"
    query = await meldpunt.client.get(
        "/api/v1/meldingen", params={"status": "nieuw\u0000"}, headers=auth.headers("x", "meldpunt.meldingen.lezen")
    )
    assert query.status_code == 400 and codes(query) == {"status": "control_character"}
    tab_in_query = await meldpunt.client.get(
        "/api/v1/meldingen", params={"status": "\tnieuw"}, headers=auth.headers("x", "meldpunt.meldingen.lezen")
    )
    assert tab_in_query.status_code == 400 and codes(tab_in_query) == {"status": "control_character"}
    path = await register.client.get("/api/v1/zorgaanbieders/abc%00def", headers=auth.headers("x", "register.zorgaanbieders.lezen"))
    assert path.status_code == 400 and codes(path)["zorgaanbiederId"] == "control_character"
    aanbieder = {
        "kvkNummer": "69599084",
        "statutaireNaam": "Zorggroep De Linde B.V.",
        "vestigingen": [{"vestigingsnummer": "000038509504", "postcode": "3511 AB", "gemeente": "Utrecht"}],
    }
    header = await register.client.post(
        "/api/v1/zorgaanbieders", json=aanbieder, headers={**auth.headers("cibg", REGISTER_SCHRIJVEN), "X-Audit-Toelichting": "nieuw\u0001"}
    )
    assert header.status_code == 400 and codes(header) == {"X-Audit-Toelichting": "control_character"}
    assert await register.scalar("SELECT count(*) FROM zorgaanbieder") == 0
