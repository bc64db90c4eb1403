"""Embedded default: the whole chain in one process, on a real PostgreSQL from the embedded wheel.

``python -m zorgtoezicht.embedded`` (what ``make run`` calls): starts PostgreSQL under ``.local/``
with one database per service, migrates them, and serves the four services on their ports with the
in-process bus (outbox relays and consumers run as tasks). Prints each service's URL and a dev token.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
from collections.abc import Iterable
from pathlib import Path

from zorgtoezicht.devauth import DEV_TOKEN_TTL, dev_token, ensure_dev_keys
from zorgtoezicht.http.app import create_app
from zorgtoezicht.localpg import LocalPostgres
from zorgtoezicht.logs import configure_logging
from zorgtoezicht.messaging.bus import InProcessBus
from zorgtoezicht.migrations import upgrade
from zorgtoezicht.runner import load_definition, run_until_stopped, stop_on_signals, uvicorn_server
from zorgtoezicht.service import ServiceRuntime
from zorgtoezicht.settings import PlatformSettings

log = logging.getLogger(__name__)

SERVICES = {"meldpunt": 8101, "toezicht": 8102, "handhaving": 8103, "register": 8104}


def bezette_poorten(host: str, ports: Iterable[int]) -> list[int]:
    """The ports another process listens on (``SO_REUSEADDR`` as uvicorn binds: a port a stopped run left in
    TIME_WAIT is free)."""
    bezet = []
    for port in ports:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError:
                bezet.append(port)
    return bezet


async def run(home: Path, pg_port: int, host: str, pg_durable: bool = True) -> None:
    # Before anything starts: a second ``make run`` beside a running one would otherwise migrate and seed its
    # databases, print a token for servers it cannot start, and stop the first one's PostgreSQL on its way out.
    poorten = {name: int(os.environ.get(f"{name.upper()}_PORT", port)) for name, port in SERVICES.items()}
    bezet = bezette_poorten(host, poorten.values())
    if bezet:
        namen = ", ".join(f"{name} {port}" for name, port in poorten.items() if port in bezet)
        raise SystemExit(
            f"port(s) in use on {host}: {namen}. Is Zorgtoezicht running already (make run)? Stop it first, "
            "or choose other ports with MELDPUNT_PORT, TOEZICHT_PORT, HANDHAVING_PORT and REGISTER_PORT."
        )
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ZT_HOME", str(home))
    postgres = LocalPostgres(home / "pgdata", pg_port, durable=pg_durable)
    await asyncio.to_thread(postgres.start)
    _, jwks_path = ensure_dev_keys(home)
    os.environ.setdefault("ZT_AUTH_JWKS_FILE", str(jwks_path))
    os.environ.setdefault("ZT_DEV_SLEUTELS", "1")  # personal data encrypted with local keys under ZT_HOME
    os.environ.setdefault("ZT_AUTH_MAX_LEVENSDUUR", str(DEV_TOKEN_TTL))  # the dev token printed below lives 12 h
    platform = PlatformSettings()
    bus = InProcessBus()
    runtimes: list[ServiceRuntime] = []
    for name, port in SERVICES.items():
        definition = load_definition(name)
        prefix = name.upper()
        if f"{prefix}_DATABASE_URL" not in os.environ:
            await asyncio.to_thread(postgres.ensure_database, f"zt_{name}")
            os.environ[f"{prefix}_DATABASE_URL"] = postgres.url(f"zt_{name}")
        os.environ.setdefault(f"{prefix}_PORT", str(port))
        # the public URL (Location headers, next links, event dataref) follows the port actually served
        os.environ.setdefault(f"{prefix}_PUBLIC_URL", f"http://localhost:{os.environ[f'{prefix}_PORT']}")
        settings = definition.settings_class()
        await asyncio.to_thread(upgrade, definition.root, settings.database_url, name)
        runtime = ServiceRuntime(definition, settings=settings, platform=platform, publisher=bus)
        if definition.demo_data is not None and os.environ.get("ZT_DEMO_DATA", "1") != "0":
            await definition.demo_data(runtime)
        for processor in runtime.processors(dead_letter_publisher=None):
            bus.subscribe(processor)
        runtimes.append(runtime)

    stop = asyncio.Event()
    servers = [uvicorn_server(create_app(runtime), runtime.settings.port, host) for runtime in runtimes]
    stop_on_signals(stop, lambda: [setattr(server, "should_exit", True) for server in servers])
    relays = [runtime.relay(poll_interval=0.5) for runtime in runtimes]
    tasks = [server.serve() for server in servers] + [relay.run(stop) for relay in relays]
    tasks += [runtime.run_periodic(stop) for runtime in runtimes]
    scopes = sorted({scope for runtime in runtimes for scope in runtime.definition.scopes})
    token = dev_token("dev-frontend", scopes, home=home)
    print(f"Zorgtoezicht runs (embedded mode: one process, in-process bus, PostgreSQL on 127.0.0.1:{pg_port}):", flush=True)
    for runtime in runtimes:
        print(
            f"  {runtime.definition.name:<11} {runtime.settings.public_url}/api/v1  "
            f"(openapi: {runtime.settings.public_url}/api/v1/openapi.json)",
            flush=True,
        )
    print("Dev token (all scopes, 12 h):", flush=True)
    print(token, flush=True)
    try:
        await run_until_stopped(tasks, stop)
    finally:
        for runtime in runtimes:
            await runtime.close()
        await asyncio.to_thread(postgres.stop)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m zorgtoezicht.embedded", description=__doc__)
    parser.add_argument("--home", default=os.environ.get("ZT_HOME", ".local"), help="folder for data, keys and logs")
    parser.add_argument("--pg-port", type=int, default=int(os.environ.get("ZT_EMBEDDED_PG_PORT", "54329")))
    parser.add_argument("--host", default=os.environ.get("ZT_HOST", "127.0.0.1"))
    args = parser.parse_args(argv)
    configure_logging(PlatformSettings().log_level)
    asyncio.run(run(Path(args.home).absolute(), args.pg_port, args.host))


if __name__ == "__main__":
    main()
