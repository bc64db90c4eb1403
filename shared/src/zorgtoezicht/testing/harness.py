"""Services under test, in process, on real PostgreSQL databases, with the in-process bus or Kafka."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from zorgtoezicht.http.app import create_app
from zorgtoezicht.http.security import DEFAULT_AUDIENCE, Authenticator, mint_token, new_signing_key
from zorgtoezicht.localpg import LocalPostgres
from zorgtoezicht.messaging.bus import InProcessBus, Publisher
from zorgtoezicht.migrations import upgrade
from zorgtoezicht.runner import load_definition
from zorgtoezicht.service import ServiceDefinition, ServiceRuntime
from zorgtoezicht.settings import PlatformSettings

ISSUER = "https://auth.test.zorgtoezicht.local"
AUDIENCE = DEFAULT_AUDIENCE
SERVICES = ("meldpunt", "toezicht", "handhaving", "register")
# Operations that are public on purpose and need no token, each with why (tests/test_scopes.py and
# tests/test_api_rules.py): anything else without a scope fails, and so does an entry here that asks for one.
PUBLIC_OPERATIONS = {
    # Gezondheidswet art. 44: the inspectorate keeps a public overview of current measures (issue 10).
    ("handhaving", "GET", "/openbare-maatregelen"),
}


class AuthKit:
    """A test identity provider: a key pair whose public half the services trust."""

    def __init__(self) -> None:
        self.private, self.jwks = new_signing_key("test-1")
        self.other_private, _ = new_signing_key("test-1")  # same kid, wrong key: must be refused
        # A keyring for personal data, fresh per test session (never a fixed key in the repository).
        self.sleutels = {
            "ZT_PERSOONSGEGEVENS_SLEUTELS": json.dumps({"1": base64.b64encode(os.urandom(32)).decode()}),
            "ZT_PERSOONSGEGEVENS_ACTIEVE_SLEUTEL": "1",
            "ZT_PERSOONSGEGEVENS_VINGERAFDRUK_SLEUTEL": base64.b64encode(os.urandom(32)).decode(),
            "ZT_CURSOR_SLEUTEL": base64.b64encode(os.urandom(32)).decode(),  # signs page cursors
        }

    def authenticator(self) -> Authenticator:
        return Authenticator(self.jwks, issuer=ISSUER, audience=AUDIENCE)

    def env(self) -> dict[str, str]:
        return {"ZT_AUTH_JWKS": json.dumps(self.jwks), "ZT_AUTH_ISSUER": ISSUER, "ZT_AUTH_AUDIENCE": AUDIENCE, **self.sleutels}

    def token(self, client_id: str, *scopes: str, ttl: int = 600) -> str:
        return mint_token(self.private, issuer=ISSUER, audience=AUDIENCE, client_id=client_id, scopes=list(scopes), ttl=ttl)

    def forged_token(self, client_id: str, *scopes: str) -> str:
        return mint_token(self.other_private, issuer=ISSUER, audience=AUDIENCE, client_id=client_id, scopes=list(scopes))

    def signed(self, claims: dict[str, Any], *, header: dict[str, Any] | None = None) -> str:
        """A token with exactly these claims, signed with the trusted key (to test claim defects)."""
        import jwt

        return jwt.encode(claims, jwt.PyJWK(self.private).key, algorithm="ES256", headers={"kid": self.private["kid"], **(header or {})})

    def claims(self, client_id: str, *scopes: str, ttl: int = 600) -> dict[str, Any]:
        """Valid claims for a token now (``signed`` turns them into a token), to be spoilt one at a time."""
        from zorgtoezicht import klok

        now = int(klok.tijdstempel())
        return {"iss": ISSUER, "aud": AUDIENCE, "sub": client_id, "iat": now, "exp": now + ttl, "scope": " ".join(scopes)}

    def headers(self, client_id: str, *scopes: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(client_id, *scopes)}"}


class DatabaseFactory:
    """A fresh, migrated database per test, cloned from a template migrated once per session."""

    def __init__(self, postgres: LocalPostgres) -> None:
        self.postgres = postgres
        self._templates: dict[str, str] = {}
        self._counter = itertools.count()
        self._lock = asyncio.Lock()

    async def template(self, definition: ServiceDefinition) -> str:
        async with self._lock:
            if definition.name not in self._templates:
                name = f"tmpl_{definition.name}"
                await asyncio.to_thread(self.postgres.psql, f'DROP DATABASE IF EXISTS "{name}"')
                await asyncio.to_thread(self.postgres.ensure_database, name)
                await asyncio.to_thread(upgrade, definition.root, self.postgres.url(name), definition.name)
                self._templates[definition.name] = name
            return self._templates[definition.name]

    async def fresh(self, definition: ServiceDefinition) -> str:
        template = await self.template(definition)
        name = f"t_{definition.name}_{next(self._counter)}"
        await asyncio.to_thread(self.postgres.psql, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.postgres.url(name)


@dataclass
class ServiceUnderTest:
    runtime: ServiceRuntime
    client: httpx.AsyncClient

    @property
    def name(self) -> str:
        return self.runtime.definition.name

    async def relay_all(self) -> int:
        """Publish everything in the outbox now (what the relay task does continuously)."""
        relay = self.runtime.relay()
        total = 0
        while published := await relay.run_once():
            total += published
        return total

    async def scalar(self, sql: str, **params: Any) -> Any:
        from sqlalchemy import text

        async with self.runtime.db.transaction() as session:
            return (await session.execute(text(sql), params)).scalar()

    async def close(self) -> None:
        await self.client.aclose()
        await self.runtime.close()


@dataclass
class Chain:
    services: dict[str, ServiceUnderTest]
    bus: InProcessBus | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> ServiceUnderTest:
        return self.services[name]

    async def settle(self, rounds: int = 10) -> None:
        """Relay every outbox until nothing moves (events may cause further events)."""
        for _ in range(rounds):
            moved = 0
            for service in self.services.values():
                moved += await service.relay_all()
            if moved == 0:
                return
        raise AssertionError("the chain did not settle")

    async def close(self) -> None:
        for service in self.services.values():
            await service.close()


async def start_service(
    name: str,
    databases: DatabaseFactory,
    auth: AuthKit,
    *,
    publisher: Publisher | None = None,
    platform: PlatformSettings | None = None,
) -> ServiceUnderTest:
    definition = load_definition(name)
    url = await databases.fresh(definition)
    settings = definition.settings_class(database_url=url, public_url=f"http://{name}.test")
    runtime = ServiceRuntime(
        definition, settings=settings, platform=platform or PlatformSettings(), publisher=publisher, authenticator=auth.authenticator()
    )
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(runtime)), base_url=f"http://{name}.test")
    return ServiceUnderTest(runtime, client)


async def start_chain(databases: DatabaseFactory, auth: AuthKit, names: tuple[str, ...] = SERVICES) -> Chain:
    """The services in process on one in-process bus, as in the embedded mode."""
    bus = InProcessBus()
    services = {}
    for name in names:
        service = await start_service(name, databases, auth, publisher=bus)
        for processor in service.runtime.processors(dead_letter_publisher=None):
            bus.subscribe(processor)
        services[name] = service
    return Chain(services, bus)


def repo_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "services").is_dir() and (parent / "shared").is_dir():
            return parent
    raise RuntimeError("not inside the zorgtoezicht repository")
