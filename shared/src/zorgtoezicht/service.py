"""The shape of a service, and its runtime: what ``create_app``, the relay and consumers need.

A service declares a ``ServiceDefinition`` in ``<name>/app.py``; the platform builds everything else
(database, outbox, bus, consumer processors, HTTP app) from it, the same way for every service.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import MetaData, Table
from sqlalchemy.ext.asyncio import AsyncSession

from zorgtoezicht import tracing
from zorgtoezicht.audit import Actor, AuditTrail, add_audit_table
from zorgtoezicht.db import Database
from zorgtoezicht.events.envelope import EventFactory
from zorgtoezicht.http.security import Authenticator
from zorgtoezicht.messaging.bus import InProcessBus, Publisher
from zorgtoezicht.messaging.consumer import MessageProcessor, Subscription
from zorgtoezicht.messaging.outbox import Outbox, OutboxRelay
from zorgtoezicht.messaging.tables import add_platform_tables
from zorgtoezicht.metrics import ServiceMetrics
from zorgtoezicht.settings import PlatformSettings, ServiceSettings
from zorgtoezicht.termijnbewaking import Afloop, Termijnbewaker, Termijnen, add_termijn_table
from zorgtoezicht.werk import Werk

__all__ = ["DbSession", "Runtime", "ServiceDefinition", "ServiceRuntime", "Werk"]


@dataclass
class ServiceDefinition:
    name: str
    title: str
    description: str
    api_version: str
    settings_class: type[ServiceSettings]
    metadata: MetaData
    routers: list[APIRouter]
    subscriptions: list[Subscription] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    scopes: dict[str, str] = field(default_factory=dict)  # scope → what it allows
    # Extra process commands: name → (help, function taking the remaining argv), e.g. bulk loads.
    commands: dict[str, tuple[str, Callable[[list[str]], None]]] = field(default_factory=dict)
    # Loads a small demo set into an empty database when ``make run`` starts (embedded mode only).
    demo_data: Callable[[ServiceRuntime], Awaitable[None]] | None = None
    # Periodic work (deadline watchers): (name, interval in seconds, function of the runtime), run by the worker.
    periodic: list[tuple[str, float, Callable[[ServiceRuntime], Awaitable[Any]]]] = field(default_factory=list)
    # Kinds of stored term → what happens when one ends (its events); the worker runs the term watcher for them.
    termijnen: dict[str, Afloop] = field(default_factory=dict)
    termijn_interval: float = 60.0  # seconds between the term watcher's runs
    root: Path = Path(".")  # the service folder (alembic.ini, migrations/)

    def __post_init__(self) -> None:
        # The platform tables every service database has (created by its migrations, never at run time).
        if "outbox" not in self.metadata.tables:
            add_platform_tables(self.metadata)
        if "audit_trail" not in self.metadata.tables:
            add_audit_table(self.metadata)
        if "termijn" not in self.metadata.tables:
            add_termijn_table(self.metadata)
        if self.termijnen:
            self.periodic = [*self.periodic, ("termijnbewaking", self.termijn_interval, _termijnbewaking)]

    @property
    def outbox_table(self) -> Table:
        return self.metadata.tables["outbox"]

    @property
    def inbox_table(self) -> Table:
        return self.metadata.tables["inbox"]

    @property
    def dead_letter_table(self) -> Table:
        return self.metadata.tables["dead_letter"]


class ServiceRuntime:
    """Everything one service needs at run time, built from its definition and settings."""

    def __init__(
        self,
        definition: ServiceDefinition,
        *,
        settings: ServiceSettings | None = None,
        platform: PlatformSettings | None = None,
        publisher: Publisher | None = None,
        authenticator: Authenticator | None = None,
    ) -> None:
        self.definition = definition
        self.settings = settings or definition.settings_class()
        self.platform = platform or PlatformSettings()
        if self.platform.tracing:
            tracing.enable()  # for the whole process: off unless asked for
        self.db = Database(self.settings.database_url, pool_size=self.settings.db_pool_size)
        self.outbox = Outbox(
            definition.outbox_table,
            EventFactory(oin=self.platform.oin, system=definition.name, api_base_url=self.settings.public_url.rstrip("/") + "/api/v1"),
        )
        self.publisher: Publisher = publisher if publisher is not None else InProcessBus()
        self.authenticator = authenticator or Authenticator.from_settings(
            jwks=self.platform.auth_jwks,
            jwks_file=self.platform.auth_jwks_file,
            issuer=self.platform.auth_issuer,
            audience=self.platform.auth_audience,
            max_lifetime=self.platform.auth_max_levensduur,
        )
        api_url = self.settings.public_url.rstrip("/") + "/api/v1"
        self.audit = AuditTrail(definition.metadata.tables["audit_trail"], definition.name, api_url)
        self.termijnen = Termijnen(definition.metadata.tables["termijn"])
        self.termijnbewaker = Termijnbewaker(
            self.db, self.termijnen, self.werk, definition.termijnen, naam=f"{definition.name}.termijnbewaking"
        )
        self.state: dict[str, Any] = {}
        # This runtime's own registry (several services share a process in embedded mode and in the tests).
        self.metrics = ServiceMetrics(definition.name, definition.api_version, db=self.db, state=self.state)
        self.metrics.watch_outbox(definition.outbox_table.name)
        if isinstance(self.publisher, InProcessBus):
            consumers = {subscription.consumer for subscription in definition.subscriptions}
            bus = self.publisher
            self.metrics.watch_lag_function(lambda: bus.lag(consumers))

    def werk(self, session: AsyncSession, actor: Actor) -> Werk:
        """The platform's unit of work in ``session`` on behalf of ``actor`` (a service may extend it)."""
        return Werk(session, self.outbox, self.audit, actor, self.termijnen)

    def relay(self, **options: Any) -> OutboxRelay:
        return OutboxRelay(
            self.db, self.definition.outbox_table, self.publisher, name=f"{self.definition.name}.relay", metrics=self.metrics, **options
        )

    def processors(self, dead_letter_publisher: Publisher | None) -> list[MessageProcessor]:
        return [
            MessageProcessor(
                subscription,
                self.db,
                self.definition.inbox_table,
                self.definition.dead_letter_table,
                self.werk,
                dead_letter_publisher,
                metrics=self.metrics,
            )
            for subscription in self.definition.subscriptions
        ]

    async def run_periodic(self, stop: asyncio.Event) -> None:
        """Run each periodic job at its interval until ``stop``; a failing run is logged and retried next time."""

        async def loop(name: str, interval: float, job: Callable[[ServiceRuntime], Awaitable[Any]]) -> None:
            while not stop.is_set():
                try:
                    await job(self)
                except Exception:
                    logging.getLogger(__name__).exception("periodic job failed", extra={"job": name})
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), interval)

        await asyncio.gather(stop.wait(), *(loop(*job) for job in self.definition.periodic))

    async def readiness(self) -> dict[str, bool]:
        database, bus = await asyncio.gather(self.db.ping(), self.publisher.is_connected())
        return {"database": database, "bus": bus}

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.db.dispose()


async def _termijnbewaking(runtime: ServiceRuntime) -> int:
    return await runtime.termijnbewaker.run_once()


async def _runtime(request: Request) -> ServiceRuntime:
    # async on purpose: FastAPI runs a plain ``def`` dependency in a worker thread, on every request
    return request.app.state.runtime


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request owns the transaction: commit after the operation returns, before the response."""
    async with request.app.state.runtime.db.transaction() as session:
        yield session


Runtime = Annotated[ServiceRuntime, Depends(_runtime)]
DbSession = Annotated[AsyncSession, Depends(_session, scope="function")]
