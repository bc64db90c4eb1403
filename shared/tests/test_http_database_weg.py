"""An API whose database cannot be reached answers 503 with Retry-After: the request is fine, try it again."""

from __future__ import annotations

import httpx

from zorgtoezicht.db import database_away
from zorgtoezicht.http.app import RETRY_AFTER_DATABASE_WEG, create_app
from zorgtoezicht.localpg import free_port
from zorgtoezicht.runner import load_definition, openapi_document
from zorgtoezicht.service import ServiceRuntime
from zorgtoezicht.settings import PlatformSettings


async def test_a_request_while_the_database_is_away_is_a_503_problem_with_retry_after(auth):
    definition = load_definition("register")
    # Nothing listens on this port: every connection is refused, as while PostgreSQL restarts.
    settings = definition.settings_class(database_url=f"postgresql://zt@127.0.0.1:{free_port()}/weg", public_url="http://register.test")
    runtime = ServiceRuntime(definition, settings=settings, platform=PlatformSettings(), authenticator=auth.authenticator())
    try:
        transport = httpx.ASGITransport(app=create_app(runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://register.test") as client:
            response = await client.get("/api/v1/zorgaanbieders", headers=auth.headers("frontend", "register.zorgaanbieders.lezen"))
            unauthenticated = await client.get("/api/v1/zorgaanbieders")
    finally:
        await runtime.close()
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["retry-after"] == str(RETRY_AFTER_DATABASE_WEG)
    assert response.json()["title"] == "Service Unavailable"
    assert unauthenticated.status_code == 401  # authentication comes first and needs no database


def test_every_operation_documents_the_503():
    for name in ("meldpunt", "toezicht", "handhaving", "register"):
        document = openapi_document(load_definition(name))
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                assert list(operation["responses"]["503"]["content"]) == ["application/problem+json"], (name, method, path)


def test_a_refused_connection_is_the_database_away_and_a_programming_error_is_not():
    try:
        raise ConnectionRefusedError(111, "Connect call failed")
    except ConnectionRefusedError as refused:
        try:
            raise RuntimeError("while opening a session") from refused
        except RuntimeError as wrapped:
            assert database_away(wrapped)
    assert not database_away(KeyError("zorgaanbieder_id"))
