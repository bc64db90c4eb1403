"""Process commands of a service: ``python -m <service> migrate|api|relay|consumers|worker|openapi``.

On Kafka (``KAFKA_BOOTSTRAP_SERVERS`` set) each service runs as its own processes: the API, the
outbox relay and the consumers (``worker`` runs relay and consumers together). Without Kafka the
embedded mode (``python -m zorgtoezicht.embedded``) runs everything in one process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import json
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Awaitable, Callable

import uvicorn

from zorgtoezicht.http.app import build_openapi, create_app, create_worker_app
from zorgtoezicht.logs import configure_logging, describe_error, service_name
from zorgtoezicht.messaging.kafka import RELAY_BATCH_SIZE, KafkaConsumerLoop, KafkaPublisher, all_topics, ensure_topics
from zorgtoezicht.metrics import MULTIPROCESS_ENV
from zorgtoezicht.migrations import upgrade, wait_for_head
from zorgtoezicht.service import ServiceDefinition, ServiceRuntime
from zorgtoezicht.settings import PlatformSettings

log = logging.getLogger(__name__)


def load_definition(name: str) -> ServiceDefinition:
    return importlib.import_module(f"{name}.app").service


def stop_on_signals(stop: asyncio.Event, on_stop: Callable[[], None] | None = None) -> None:
    loop = asyncio.get_running_loop()

    def handle() -> None:
        stop.set()
        if on_stop is not None:
            on_stop()

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, handle)


def uvicorn_server(app, port: int, host: str = "127.0.0.1") -> uvicorn.Server:
    config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False, lifespan="off", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign] - our own handlers stop all servers
    return server


async def run_until_stopped(tasks: list[Awaitable[None]], stop: asyncio.Event) -> None:
    running = [asyncio.ensure_future(task) for task in tasks]
    waiter = asyncio.ensure_future(stop.wait())
    done, _ = await asyncio.wait([*running, waiter], return_when=asyncio.FIRST_COMPLETED)
    stop.set()
    for task in done:
        if task is not waiter and task.exception() is not None:
            log.error("a component stopped with an error", exc_info=task.exception())
    await asyncio.wait(running, timeout=10)
    for task in running:
        task.cancel()


async def _serve_api(definition: ServiceDefinition, host: str, port: int | None) -> None:
    platform = PlatformSettings()
    publisher = kafka_publisher(platform, f"{definition.name}-api") if platform.kafka_bootstrap_servers else None
    runtime = ServiceRuntime(definition, platform=platform, publisher=publisher)
    server = uvicorn_server(create_app(runtime), port or runtime.settings.port, host)
    stop = asyncio.Event()
    stop_on_signals(stop, lambda: setattr(server, "should_exit", True))
    try:
        await server.serve()
    finally:
        if publisher is not None:
            await publisher.stop()
        await runtime.close()


async def _serve_worker(
    definition: ServiceDefinition, *, relay: bool, consumers: bool, host: str = "127.0.0.1", port: int | None = None
) -> None:
    platform = PlatformSettings()
    if not platform.kafka_bootstrap_servers:
        raise SystemExit("KAFKA_BOOTSTRAP_SERVERS is not set: use the embedded mode for a single process")
    publisher = kafka_publisher(platform, f"{definition.name}-relay")
    runtime = ServiceRuntime(definition, platform=platform, publisher=publisher)
    stop = asyncio.Event()
    # Its own small HTTP server (/metrics, /health/*), so that every worker process is scraped on its own.
    http_port = port if port is not None else runtime.settings.worker_http_port()
    server = uvicorn_server(create_worker_app(runtime), http_port, host) if http_port else None
    stop_on_signals(stop, None if server is None else lambda: setattr(server, "should_exit", True))
    # Served at once: the probes answer while the worker still waits for Kafka.
    tasks: list[Awaitable[None]] = [] if server is None else [asyncio.ensure_future(server.serve())]
    await _ensure_topics_eventually(platform, stop)
    if relay:
        tasks.append(runtime.relay(batch_size=RELAY_BATCH_SIZE).run(stop))
        tasks.append(runtime.run_periodic(stop))
    processors = runtime.processors(publisher) if consumers else []
    for processor in processors:
        tasks.append(KafkaConsumerLoop(platform.kafka_bootstrap_servers, processor, topic_prefix=platform.topic_prefix).run(stop))
    log.info("worker started", extra={"relay": relay, "consumers": len(processors), "httpPort": http_port})
    try:
        await run_until_stopped(tasks, stop)
    finally:
        await publisher.stop()
        await runtime.close()


async def _ensure_topics_eventually(platform: PlatformSettings, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            await ensure_topics(
                platform.kafka_bootstrap_servers or "", all_topics(), partitions=platform.topic_partitions, prefix=platform.topic_prefix
            )
            return
        except Exception as error:  # noqa: BLE001 - the broker may start after us
            log.warning("waiting for Kafka to create topics", extra={"error": describe_error(error)})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 2.0)


def asgi_app():
    configure_logging(PlatformSettings().log_level)
    name = os.environ["ZT_SERVICE"]
    service_name.set(name)
    platform = PlatformSettings()
    publisher = kafka_publisher(platform, f"{name}-api") if platform.kafka_bootstrap_servers else None
    return create_app(ServiceRuntime(load_definition(name), platform=platform, publisher=publisher))


def kafka_publisher(platform: PlatformSettings, client_id: str) -> KafkaPublisher:
    return KafkaPublisher(platform.kafka_bootstrap_servers or "", client_id=client_id, topic_prefix=platform.topic_prefix)


def service_main(name: str, argv: list[str] | None = None) -> None:
    definition = load_definition(name)
    parser = argparse.ArgumentParser(prog=f"python -m {name}", description=definition.title)
    sub = parser.add_subparsers(dest="command", required=True)
    migrate = sub.add_parser("migrate", help="alembic upgrade head on this service's database")
    migrate.add_argument("--wait", action="store_true", help="only wait until the database is at head (another process migrates)")
    api = sub.add_parser("api", help="serve the HTTP API")
    api.add_argument("--host", default="127.0.0.1")
    api.add_argument("--port", type=int, default=None)
    api.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (the API is stateless)")
    for command, help_text in (
        ("relay", "publish the outbox to Kafka"),
        ("consumers", "consume this service's subscriptions from Kafka"),
        ("worker", "relay and consumers in one process"),
    ):
        worker = sub.add_parser(command, help=help_text)
        worker.add_argument("--host", default="127.0.0.1", help="address of its /metrics and /health endpoints")
        worker.add_argument("--port", type=int, default=None, help="their port (default <SERVICE>_WORKER_PORT; 0: none)")
    sub.add_parser("openapi", help="print the OpenAPI document")
    for command, (help_text, _) in definition.commands.items():
        sub.add_parser(command, help=help_text, add_help=False)
    args, rest = parser.parse_known_args(argv)
    if args.command in definition.commands:
        configure_logging(PlatformSettings().log_level)
        service_name.set(name)
        definition.commands[args.command][1](rest)
        return
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    configure_logging(PlatformSettings().log_level)
    service_name.set(name)
    if args.command == "migrate" and args.wait:
        wait_for_head(definition.root, definition.settings_class().database_url, name)
    elif args.command == "migrate":
        upgrade(definition.root, definition.settings_class().database_url, name)
    elif args.command == "api" and args.workers > 1:
        os.environ["ZT_SERVICE"] = name  # read by asgi_app() in each worker process
        # Each worker process counts into files here; /metrics sums them (a fresh folder per start).
        os.environ.setdefault(MULTIPROCESS_ENV, tempfile.mkdtemp(prefix=f"zt-{name}-metrics-"))
        uvicorn.run(
            "zorgtoezicht.runner:asgi_app",
            factory=True,
            host=args.host,
            workers=args.workers,
            log_config=None,
            access_log=False,
            port=args.port or definition.settings_class().port,
        )
    elif args.command == "api":
        asyncio.run(_serve_api(definition, args.host, args.port))
    elif args.command in ("relay", "consumers", "worker"):
        asyncio.run(
            _serve_worker(definition, relay=args.command != "consumers", consumers=args.command != "relay", host=args.host, port=args.port)
        )
    elif args.command == "openapi":
        json.dump(openapi_document(definition), sys.stdout, indent=2)
        print()


def openapi_document(definition: ServiceDefinition) -> dict:
    """The OpenAPI document without a database or keys (for linting and publishing)."""
    from zorgtoezicht.http.security import new_signing_key
    from zorgtoezicht.settings import ServiceSettings

    settings = definition.settings_class.model_construct(
        **{
            **{name: f.default for name, f in ServiceSettings.model_fields.items() if f.default is not None},
            "database_url": "postgresql://unused/unused",
            "public_url": f"https://api.zorgtoezicht.example.nl/{definition.name}",
        }
    )
    from zorgtoezicht.http.security import Authenticator

    _, jwks = new_signing_key()
    runtime = ServiceRuntime(definition, settings=settings, authenticator=Authenticator(jwks, issuer="unused"))
    return build_openapi(create_app(runtime), runtime)
