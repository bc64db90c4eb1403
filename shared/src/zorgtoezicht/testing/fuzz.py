"""Schemathesis against a service's OpenAPI document, every finding collected (issue 8, build item 6).

``fuzz`` runs schemathesis' engine (the one behind ``st run``: examples, coverage, fuzzing and stateful
phases) against a running API and returns every finding of the four checks the suite holds the services to:
no server error, the documented status codes, content types and response schemas. A finding names the
operation, the check and a curl command that reproduces it (the shortest one seen). The caller fails on any.

``serve`` runs ASGI apps in process under uvicorn, on one event loop in a background thread: the apps, their
database pools and the seeding code all live on that loop, and schemathesis talks real HTTP to them.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import schemathesis
from schemathesis.engine import events

from zorgtoezicht.localpg import free_port
from zorgtoezicht.runner import uvicorn_server

T = TypeVar("T")

_TOKEN = re.compile(r"Bearer [A-Za-z0-9._-]{20,}")
# Hostile values the issue found server errors with, mixed into what schemathesis generates: control
# characters in any text, and forged cursors (valid base64 of the wrong JSON) in every cursor.
HOSTILE_TEXT = ["tekst\u0000met nul", "\u0000", "bel\u0007teken", "escape\u001b[31m", "--"]
FORGED_CURSORS = [
    base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
    for values in (
        ["x", "y"],
        [1, 2],
        [None, None],
        [10**30, "00000000-0000-0000-0000-000000000000"],
        ["2026-01-01T00:00:00+00:00", "geen-uuid"],
        "geen lijst",
    )
]
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance")


@dataclass(frozen=True)
class Budget:
    """How much schemathesis may do: examples per operation and phase, stateful steps, and a time cap per service."""

    max_examples: int = 25
    max_steps: int = 10
    max_seconds: int = 60
    seed: int = 8
    # Operations whose coverage phase alone would exceed the budget (meldpunt's union of 13 kinds of melding
    # gives ~2,400 coverage cases): fuzzed with ``fuzz_factor`` times the examples instead.
    without_coverage: tuple[str, ...] = ()
    fuzz_factor: int = 8
    # How often a generated string is one of HOSTILE_TEXT instead
    hostile: float = 0.1


@dataclass
class Finding:
    service: str
    operation: str
    check: str
    title: str
    message: str
    reproduction: str

    def __str__(self) -> str:
        message = re.sub(r"\s+", " ", self.message).strip()
        return f"[{self.service}] {self.operation}: {self.check}: {self.title} — {message[:300]}\n    {self.reproduction}"


@dataclass
class FuzzReport:
    service: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    requests: int = 0
    phases: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    stop_reason: str = ""

    def summary(self) -> str:
        lines = [
            f"{self.service}: {self.requests} requests in {self.seconds:.1f} s ({self.stop_reason}), "
            f"{len(self.findings)} findings, {len(self.errors)} errors; requests per phase: {dict(self.phases)}"
        ]
        for operation, counts in sorted(self.statuses.items()):
            lines.append(f"  {operation}: " + ", ".join(f"{status}×{n}" for status, n in sorted(counts.items())))
        return "\n".join(lines)


def fuzz(service: str, document: dict[str, Any], base_url: str, headers: dict[str, str], budget: Budget) -> FuzzReport:
    """Run schemathesis over every operation of ``document`` at ``base_url``; collect, never stop at, findings."""
    generation = {
        "max-examples": budget.max_examples,
        "database": "none",
        "no-shrink": True,
        "dictionaries": {"string": {"dictionary": "hostile-text", "probability": budget.hostile}},
    }
    config = schemathesis.Config.from_dict(
        {
            "seed": budget.seed,
            "base-url": base_url,
            "headers": headers,
            "workers": 1,
            "continue-on-failure": True,
            "suppress-health-check": ["all"],
            "generation": generation,
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "phases": {"stateful": {"max-steps": budget.max_steps}},
            "cache": {"enabled": False},
            "dictionaries": {"hostile-text": {"values": HOSTILE_TEXT}, "forged-cursors": {"values": FORGED_CURSORS}},
            "parameters": {
                **{f"body.{path}": {"dictionary": "hostile-text", "probability": budget.hostile} for path in free_text_fields(document)},
                "query.cursor": {"dictionary": "forged-cursors", "probability": 0.5},
                "body.cursor": {"dictionary": "forged-cursors", "probability": 0.5},
            },
            "operations": [
                {
                    "include-operation-id": operation_id,
                    "phases": {
                        "coverage": {"enabled": False},
                        "fuzzing": {"generation": {**generation, "max-examples": budget.max_examples * budget.fuzz_factor}},
                    },
                }
                for operation_id in budget.without_coverage
            ],
            "warnings": False,
        }
    )
    schema = schemathesis.openapi.from_dict(document, config=config)
    report = FuzzReport(service)
    shortest: dict[tuple[str, str, str], Finding] = {}
    started = time.monotonic()
    # Without schemathesis' own max-time every phase runs once, bounded by max-examples (with it, fuzzing
    # and stateful phases repeat until the time is spent); the time cap here only stops a run that overruns.
    stream = schemathesis.engine.from_schema(schema).execute()
    for event in stream:
        if time.monotonic() - started > budget.max_seconds and not report.stop_reason:
            report.stop_reason = f"time cap of {budget.max_seconds} s"
            stream.stop()
        if isinstance(event, events.ScenarioFinished):
            before = report.requests
            _record(service, event.recorder, report, shortest)
            report.phases[str(event.phase.value if hasattr(event.phase, "value") else event.phase)] += report.requests - before
        elif isinstance(event, events.NonFatalError):
            report.errors.append(f"{event.label}: {event.info.format() if hasattr(event.info, 'format') else event.value}")
        elif isinstance(event, events.FatalError):
            raise event.exception
        elif isinstance(event, events.EngineFinished):
            report.stop_reason = report.stop_reason or str(getattr(event, "stop_reason", "") or "completed")
    report.seconds = time.monotonic() - started
    report.findings = sorted(shortest.values(), key=lambda f: (f.operation, f.check, f.title))
    return report


def free_text_fields(document: dict[str, Any]) -> set[str]:
    """Dotted paths (``[*]`` for list items) of the free-text fields of every request body: strings without a
    pattern, format or enum. Schemathesis' type-wide dictionaries skip the members of a union (meldpunt's
    kinds of melding), so hostile text is bound to each of these paths instead."""
    schemas = document.get("components", {}).get("schemas", {})
    found: set[str] = set()

    def walk(schema: Any, path: tuple[str, ...], depth: int) -> None:
        if not isinstance(schema, dict) or depth > 16:
            return
        if "$ref" in schema:
            walk(schemas.get(schema["$ref"].rsplit("/", 1)[-1]), path, depth + 1)
            return
        for key in ("oneOf", "anyOf", "allOf"):
            for member in schema.get(key, []):
                walk(member, path, depth + 1)
        if schema.get("type") == "string" and path and not {"pattern", "format", "enum", "const"} & schema.keys():
            found.add(".".join(path))
        for name, member in schema.get("properties", {}).items():
            walk(member, (*path, name), depth + 1)
        if "items" in schema and path:
            walk(schema["items"], (*path[:-1], f"{path[-1]}[*]"), depth + 1)

    for methods in document.get("paths", {}).values():
        for operation in methods.values():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                walk(content.get("schema"), (), 0)
    return found - {"cursor"}


def _record(service: str, recorder: Any, report: FuzzReport, shortest: dict[tuple[str, str, str], Finding]) -> None:
    for case_id, interaction in recorder.interactions.items():
        case = recorder.cases.get(case_id)
        label = case.value.operation.label if case is not None else "?"
        if interaction.response is not None:
            report.statuses[label][interaction.response.status_code] += 1
            report.requests += 1
    for checks in recorder.checks.values():
        for check in checks:
            if check.failure_info is None:
                continue
            failure = check.failure_info.failure
            operation = failure.operation or recorder.label
            key = (operation, check.name, failure.title)
            # The token is long and expires: written as $T, a token with every scope (``make token``).
            reproduction = _TOKEN.sub("Bearer $T", check.failure_info.code_sample)
            if key not in shortest or len(reproduction) < len(shortest[key].reproduction):
                shortest[key] = Finding(service, operation, check.name, failure.title, failure.message, reproduction)


class Servers:
    """ASGI apps served by uvicorn on one event loop in a background thread, for as long as the block runs."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="fuzz-servers", daemon=True)
        self.thread.start()
        self._servers: list[Any] = []
        self._tasks: list[asyncio.Future] = []

    def run(self, work: Callable[[], Awaitable[T]], timeout: float = 120) -> T:
        """Run a coroutine on the servers' loop (where the apps' database pools live) and wait for it."""
        return asyncio.run_coroutine_threadsafe(work(), self.loop).result(timeout)

    def serve(self, app: Any) -> str:
        port = free_port()
        server = uvicorn_server(app, port)
        self._servers.append(server)
        self._tasks.append(asyncio.run_coroutine_threadsafe(server.serve(), self.loop))
        deadline = time.monotonic() + 30
        while not server.started:
            if self._tasks[-1].done():
                self._tasks[-1].result()
            if time.monotonic() > deadline:
                raise TimeoutError("uvicorn did not start")
            time.sleep(0.02)
        return f"http://127.0.0.1:{port}"

    def close(self) -> None:
        for server in self._servers:
            server.should_exit = True
        for task in self._tasks:
            task.result(15)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@contextmanager
def servers() -> Iterator[Servers]:
    running = Servers()
    try:
        yield running
    finally:
        running.close()
