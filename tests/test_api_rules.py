"""The NL API Design Rules on every operation of every service (issue 2, acceptance 7).

The operations are read from each service's own OpenAPI document, so a new endpoint is covered
without touching this file.
"""

from __future__ import annotations

import base64
import json
import re
import uuid

import pytest

from zorgtoezicht.runner import load_definition, openapi_document
from zorgtoezicht.testing.harness import PUBLIC_OPERATIONS, SERVICES

PROBLEM = "application/problem+json"
CLIENT = "cibg"  # allowed everywhere by its id; what it may do is then decided by the scopes in each token


def operations(*, public: bool = False):
    """Every operation that needs a token (or, with ``public``, those deliberately public)."""
    for name in SERVICES:
        document = openapi_document(load_definition(name))
        for path, methods in document["paths"].items():
            for method, operation in methods.items():
                if ((name, method.upper(), path) in PUBLIC_OPERATIONS) == public:
                    yield pytest.param(name, path, method, operation, id=f"{name} {method.upper()} {path}")


def concrete(path: str) -> str:
    return "/api/v1" + re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)


async def outbox_and_rows(service) -> int:
    return await service.scalar("SELECT (SELECT count(*) FROM outbox) + (SELECT coalesce(sum(n_live_tup), 0) FROM pg_stat_user_tables)")


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def token_defects(auth, scope: str) -> list[tuple[str, str, str]]:
    """(defect, token, the detail a partner must get): every token defect of issue 8, with its fixed words."""

    def spoilt(**changes) -> str:
        claims = auth.claims(CLIENT, scope)
        claims.update(changes)
        return auth.signed({k: v for k, v in claims.items() if v is not ...})

    now = auth.claims(CLIENT, scope)["iat"]
    malformed = "The token's claims are malformed"
    return [
        ("not a JWT", "not-a-jwt", "The token is not a well-formed JWT"),
        ("header RS256, key EC", "eyJhbGciOiJSUzI1NiJ9.e30.AAAA", "The token's algorithm does not match its key"),
        ("header EdDSA, key EC", f"{b64({'alg': 'EdDSA', 'kid': 'test-1'})}.e30.AAAA", "The token's algorithm does not match its key"),
        ("header none", f"{b64({'alg': 'none'})}.{b64(auth.claims(CLIENT, scope))}.", "The token's algorithm does not match its key"),
        ("forged signature", auth.forged_token(CLIENT, scope), "The token's signature is not valid"),
        ("expired", auth.token(CLIENT, scope, ttl=-120), "The token has expired"),
        ("scope null", spoilt(scope=None), malformed),
        ("scope a number", spoilt(scope=7), malformed),
        ("scope a nested list", spoilt(scope=[[scope]]), malformed),
        ("exp a string", spoilt(exp=str(now + 600)), malformed),
        ("exp 1e300", spoilt(exp=1e300), malformed),
        # iat pinned to the same second as exp: read twice, a second ticking between would make it exactly 3600
        ("lifetime above the maximum", spoilt(iat=now, exp=now + 3601), "The token's lifetime exceeds the maximum"),
        ("wrong audience", spoilt(aud="elders"), "The token is meant for another audience"),
        ("no audience", spoilt(aud=...), "The token is meant for another audience"),
        ("wrong issuer", spoilt(iss="https://elders.example"), "The token is issued by an unknown issuer"),
    ]


# Bodies that must never be read or parsed without a valid token.
BAD_BODIES = {
    "garbage bytes": b"\x00\xff\xfe garbage \x80",
    "truncated JSON": b'{"omschrijving": "Valincident met',
    "huge": b"[" + b"1," * (1024 * 1024) + b"1]",
}


@pytest.mark.parametrize(("name", "path", "method", "operation"), list(operations(public=True)))
async def test_a_public_operation_needs_no_token_and_keeps_the_other_rules(chain, auth, name, path, method, operation):
    service = chain[name]
    url = concrete(path)
    for headers in ({}, {"Authorization": "Bearer niet.eens.een-token"}, auth.headers(CLIENT, "iets.anders.lezen")):
        answered = await service.client.request(method, url, headers=headers)  # a token, good or bad, is not looked at
        assert answered.status_code == 200, answered.text
        assert answered.headers["api-version"] and "x-required-scope" not in operation
    slash = await service.client.request(method, url + "/")
    assert slash.status_code == 404 and slash.headers["content-type"].startswith(PROBLEM)
    unknown_query = await service.client.request(method, url + "?onbekend=1")
    assert unknown_query.status_code == 400
    assert {"name": "onbekend", "code": "unknown_parameter", "reason": "unknown query parameter"} in unknown_query.json()["invalidParams"]


@pytest.mark.parametrize(("name", "path", "method", "operation"), list(operations()))
async def test_every_operation_guards_its_door(chain, auth, name, path, method, operation):
    service = chain[name]
    scope = operation["x-required-scope"]
    url = concrete(path)
    body = {} if "requestBody" in operation else None
    json_type = {"content-type": "application/json"}

    missing = await service.client.request(method, url, json=body)
    assert missing.status_code == 401, missing.text
    assert missing.headers["content-type"].startswith(PROBLEM)
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert missing.json()["detail"] == "A bearer token is required"

    for kind, content in BAD_BODIES.items():  # authentication comes before the body is read, whatever it is
        unread = await service.client.request(method, url, content=content, headers=json_type)
        assert unread.status_code == 401, (kind, unread.text)

    for defect, bad, detail in token_defects(auth, scope):
        refused = await service.client.request(method, url, json=body, headers={"Authorization": f"Bearer {bad}"})
        assert refused.status_code == 401, (defect, refused.text)
        assert refused.json()["detail"] == detail, defect
        assert refused.headers["content-type"].startswith(PROBLEM)

    wrong_scope = await service.client.request(method, url, json=body, headers=auth.headers(CLIENT, "iets.anders.lezen"))
    assert wrong_scope.status_code == 403, wrong_scope.text
    assert wrong_scope.json()["status"] == 403 and scope in wrong_scope.json()["detail"]
    for kind, content in BAD_BODIES.items():  # the scope, too, is checked before the body
        unread = await service.client.request(
            method, url, content=content, headers={**auth.headers(CLIENT, "iets.anders.lezen"), **json_type}
        )
        assert unread.status_code == 403, (kind, unread.text)

    if body is not None:  # then size (413) before syntax and validation (400)
        too_large = await service.client.request(
            method, url, content=BAD_BODIES["huge"], headers={**auth.headers(CLIENT, scope), **json_type}
        )
        assert too_large.status_code == 413, too_large.text
        assert too_large.headers["content-type"].startswith(PROBLEM) and "413" in operation["responses"]
        truncated = await service.client.request(
            method, url, content=BAD_BODIES["truncated JSON"], headers={**auth.headers(CLIENT, scope), **json_type}
        )
        assert truncated.status_code == 400 and truncated.json()["invalidParams"][0]["code"] == "json_invalid"

    slash = await service.client.request(method, url + "/", json=body, headers=auth.headers(CLIENT, scope))
    assert slash.status_code == 404 and slash.headers["content-type"].startswith(PROBLEM)

    unknown_query = await service.client.request(method, url + "?onbekend=1", json=body, headers=auth.headers(CLIENT, scope))
    assert unknown_query.status_code == 400
    assert {"name": "onbekend", "code": "unknown_parameter", "reason": "unknown query parameter"} in unknown_query.json()["invalidParams"]

    if body is not None:
        before = await outbox_and_rows(service)
        empty = await service.client.request(method, url, json={"onbekendVeld": 1}, headers=auth.headers(CLIENT, scope))
        assert empty.status_code == 400
        problem = empty.json()
        required = operation_required_fields(service, operation)
        named = {p["name"] for p in problem["invalidParams"]}
        assert required <= named, f"missing fields not all listed: {required - named}"
        if "discriminator" not in operation["requestBody"]["content"]["application/json"]["schema"]:
            assert "onbekendVeld" in named  # (a union can only say which kind is missing; see meldpunt's own tests)
        assert await outbox_and_rows(service) == before

    for response in (missing, wrong_scope, slash, unknown_query):
        assert response.headers["api-version"] == "1.0.0"
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["content-security-policy"] == "frame-ancestors 'none'"
        assert "strict-transport-security" in response.headers


def operation_required_fields(service, operation) -> set[str]:
    document = openapi_document(service.runtime.definition)
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    if "discriminator" in schema:  # a union of kinds: first of all the kind must be named
        return {schema["discriminator"]["propertyName"]}
    ref = schema["$ref"].rsplit("/", 1)[-1]
    return set(document["components"]["schemas"][ref].get("required", []))


async def test_invalid_path_id_is_400_naming_it(chain, auth):
    response = await chain["register"].client.get(
        "/api/v1/zorgaanbieders/geen-uuid", headers=auth.headers("x", "register.zorgaanbieders.lezen")
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "zorgaanbiederId"


async def test_every_invalid_field_of_a_zorgaanbieder_is_listed_at_once_and_nothing_is_written(chain, auth):
    register = chain["register"]
    body = {
        "kvkNummer": "1234567",
        "statutaireNaam": "",
        "vestigingen": [
            {"vestigingsnummer": "12345", "postcode": "3511AB", "gemeenteCode": "GM0344"},
            {"vestigingsnummer": "000038509504", "postcode": "0511 AB", "gemeente": "Utrecht", "bsn": "123456782"},
            {"postcode": "3511 ab", "gemeenteCode": "0344"},
        ],
        "agbCode": "1234",
        "rechtsvorm": "bvba",
        "onbekend": True,
    }
    response = await register.client.post(
        "/api/v1/zorgaanbieders", json=body, headers=auth.headers("cibg", "register.zorgaanbieders.schrijven")
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["status"] == 400 and problem["title"] and problem["detail"]
    codes = {p["name"]: p["code"] for p in problem["invalidParams"]}
    assert codes == {
        "kvkNummer": "kvk_nummer",
        "statutaireNaam": "string_too_short",
        "vestigingen.0.vestigingsnummer": "vestigingsnummer",
        "vestigingen.0.postcode": "postcode",
        "vestigingen.1.postcode": "postcode",
        "vestigingen.1.bsn": "extra_forbidden",
        "vestigingen.2.vestigingsnummer": "missing",
        "vestigingen.2.postcode": "postcode",
        "vestigingen.2.gemeenteCode": "gemeente_code",
        "agbCode": "agb_code",
        "rechtsvorm": "enum",
        "onbekend": "extra_forbidden",
    }
    assert await register.scalar("SELECT count(*) FROM zorgaanbieder") == 0
    assert await register.scalar("SELECT count(*) FROM outbox") == 0


async def test_malformed_json_is_400_problem(chain, auth):
    response = await chain["meldpunt"].client.post(
        "/api/v1/meldingen",
        content=b"{niet json",
        headers={**auth.headers("x", "meldpunt.meldingen.indienen"), "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["code"] == "json_invalid"


async def test_a_token_without_the_operations_scope_is_403_whatever_the_body(chain, auth):
    """meldpunt.meldingen.schrijven does not exist: the body used to be parsed first, so this was 400, not 403."""
    for content in (b"{niet json", b'{"soort": "klacht"}', b"\x00"):
        response = await chain["meldpunt"].client.post(
            "/api/v1/meldingen",
            content=content,
            headers={**auth.headers("x", "meldpunt.meldingen.schrijven"), "content-type": "application/json"},
        )
        assert response.status_code == 403, response.text
        assert response.json()["detail"] == "This operation needs the scope meldpunt.meldingen.indienen"


async def test_handhaving_refuses_an_end_before_the_start(chain, auth):
    response = await chain["handhaving"].client.post(
        "/api/v1/maatregelen",
        json={
            "zorgaanbiederId": str(uuid.uuid4()),
            "soort": "bevel",
            "ingangsdatum": "2026-12-08",
            "einddatum": "2026-12-01",
            "motivering": "Acuut gevaar",
        },
        headers=auth.headers("jurist", "handhaving.maatregelen.schrijven"),
    )
    assert response.status_code == 400
    assert "einddatum" in response.json()["invalidParams"][0]["reason"]


async def test_public_endpoints_need_no_token(chain):
    for service in chain.services.values():
        document = await service.client.get("/api/v1/openapi.json")
        assert document.status_code == 200
        assert document.headers["access-control-allow-origin"] == "*"
        assert document.json()["info"]["contact"].keys() >= {"name", "url", "email"}
        assert document.json()["servers"][0]["url"].endswith("/api/v1")
        assert (await service.client.get("/health/live")).json() == {"status": "up"}
        ready = await service.client.get("/health/ready")
        assert ready.status_code == 200 and ready.json()["checks"] == {"database": "up", "bus": "up"}


async def test_correlation_id_is_echoed_or_created(chain):
    service = chain["register"]
    given = await service.client.get("/health/live", headers={"X-Correlation-ID": "abc-123"})
    assert given.headers["x-correlation-id"] == "abc-123"
    made = await service.client.get("/health/live", headers={"X-Correlation-ID": "<script>"})
    assert made.headers["x-correlation-id"] != "<script>" and uuid.UUID(made.headers["x-correlation-id"])
