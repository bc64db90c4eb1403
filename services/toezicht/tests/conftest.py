"""toezicht under test: the service in process on a fresh, migrated PostgreSQL database, with a fixed clock."""

from __future__ import annotations

from datetime import datetime

import pytest

from zorgtoezicht import klok
from zorgtoezicht.testing.harness import start_service

VANDAAG = datetime(2026, 6, 15, 10, 0, tzinfo=klok.NL)  # the day the tests run on (a Monday)


@pytest.fixture
async def toezicht(databases, auth):
    service = await start_service("toezicht", databases, auth)
    yield service
    await service.close()


@pytest.fixture
def vaste_klok():
    """The injected clock stands on VANDAAG; a test moves it with ``verzet`` instead of sleeping."""
    with klok.gebruik(klok.VasteKlok(VANDAAG)) as tijd:
        yield tijd


SCHRIJVEN = "toezicht.activiteiten.schrijven"
LEZEN = "toezicht.activiteiten.lezen"
OORDELEN = "toezicht.oordelen.vaststellen"


class Activiteiten:
    """The activity operations as a test uses them (through the HTTP API, with the right scope each)."""

    def __init__(self, service, auth) -> None:
        self.service, self.auth = service, auth

    def headers(self, *scopes: str) -> dict[str, str]:
        return self.auth.headers("igj-inspecteur", *scopes)

    async def maak(self, soort: str, zorgaanbieder_id, **velden):
        body = {"zorgaanbiederId": str(zorgaanbieder_id), "soort": soort, "selectiereden": "signaal uit de regio", **velden}
        return await self.service.client.post("/api/v1/toezichtactiviteiten", json=body, headers=self.headers(SCHRIJVEN))

    async def stap(self, activiteit_id: str, status: str, **velden):
        return await self.service.client.post(
            f"/api/v1/toezichtactiviteiten/{activiteit_id}/status", json={"status": status, **velden}, headers=self.headers(SCHRIJVEN)
        )

    async def oordeel(self, activiteit_id: str, normen: list[dict], **velden):
        return await self.service.client.post(
            f"/api/v1/toezichtactiviteiten/{activiteit_id}/oordeel", json={"normen": normen, **velden}, headers=self.headers(OORDELEN)
        )

    async def lees(self, activiteit_id: str):
        return await self.service.client.get(f"/api/v1/toezichtactiviteiten/{activiteit_id}", headers=self.headers(LEZEN))


@pytest.fixture
def activiteiten(toezicht, auth) -> Activiteiten:
    return Activiteiten(toezicht, auth)


@pytest.fixture
def activiteiten_voor(auth):
    """The helper for another toezicht than the ``toezicht`` fixture (e.g. one publishing to Kafka)."""
    return lambda service: Activiteiten(service, auth)
