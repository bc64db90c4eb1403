"""Prometheus metrics of a service process: ``GET /metrics`` on the API and on every worker process.

One ``ServiceMetrics`` (with its own ``CollectorRegistry``) per ``ServiceRuntime``, so that several services in one
process (embedded mode, the tests) each report only their own. Two kinds of figures:

- events counted where they happen (requests, relay publishes and failures, handled events, duplicates skipped,
  dead letters): counters and histograms;
- state read when scraped (outbox backlog, consumer lag, database pool, group commits): ``refresh()`` queries
  what needs a round trip (one ``count``/``min`` on the outbox's partial index, the consumers' positions), then
  the collector reports that snapshot with what it reads directly.

Labels hold only bounded, non-personal values: operation ids (never paths, which carry ids), status codes, consumer
groups, topics, partitions, event types a handler exists for, and reason codes (never an error's text).

With ``uvicorn --workers N`` set ``PROMETHEUS_MULTIPROC_DIR`` (``runner`` does when it is unset): the counters and
histograms of all worker processes are then summed at each scrape, and the live state is read by the one answering.
"""

from __future__ import annotations

import asyncio
import logging
import os
import weakref
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import text

from zorgtoezicht.logs import describe_error

if TYPE_CHECKING:
    from zorgtoezicht.db import Database

log = logging.getLogger(__name__)

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST
UNMATCHED = "unmatched"  # a request no route matched (its path is never a label: it may hold anything)
SCRAPE_TIMEOUT = 2.0  # seconds for the live queries of one scrape: a slow database must not hang Prometheus

# Requests: mostly a few ms, bulk operations and cold starts up to seconds.
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
HANDLER_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
GROUP_SIZE_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128)


class DeadLetterReason:
    """Why a message was dead-lettered, as a label (the error's own text goes to the dead_letter table only)."""

    UNREADABLE = "unreadable"  # not a CloudEvent
    CONTRACT = "contract"  # its data does not match its type's contract
    HANDLER = "handler_failed"  # the handler kept failing


LagReport = dict[tuple[str, str, int], int]  # (group, topic, partition) → records not yet handled


class LagSource(Protocol):
    async def lag(self) -> LagReport: ...


@dataclass
class Snapshot:
    """What the last ``refresh`` read; reported by the collector."""

    outbox_pending: int | None = None
    outbox_oldest_age: float | None = None
    lag: LagReport = field(default_factory=dict)


class ServiceMetrics:
    def __init__(self, service: str, api_version: str = "", *, db: Database | None = None, state: dict[str, Any] | None = None) -> None:
        self.service = service
        self.api_version = api_version
        self.db = db
        self.state = state if state is not None else {}  # the runtime's state: its GroupCommits are reported
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "zt_http_requests", "HTTP requests answered, per operation id and status", ["operation", "status"], registry=r
        )
        self.request_duration = Histogram(
            "zt_http_request_duration_seconds",
            "Time to answer an HTTP request, per operation id and status",
            ["operation", "status"],
            buckets=REQUEST_BUCKETS,
            registry=r,
        )
        self.relay_published = Counter("zt_relay_published_events", "Outbox rows the relay published", ["relay"], registry=r)
        self.relay_errors = Counter(
            "zt_relay_errors", "Relay cycles that failed (broker or database away); the rows are retried", ["relay"], registry=r
        )
        self.events_handled = Counter("zt_events_handled", "Events a consumer handled (committed)", ["consumer", "event_type"], registry=r)
        self.handler_duration = Histogram(
            "zt_event_handler_duration_seconds",
            "Time a handler took for one event (inside its transaction)",
            ["consumer", "event_type"],
            buckets=HANDLER_BUCKETS,
            registry=r,
        )
        self.inbox_duplicates = Counter(
            "zt_inbox_duplicates_skipped", "Events skipped because the inbox had them already (redeliveries)", ["consumer"], registry=r
        )
        self.dead_letters = Counter(
            "zt_dead_letters", "Messages dead-lettered, per consumer, topic and reason code", ["consumer", "topic", "reason"], registry=r
        )
        self.snapshot = Snapshot()
        self._lag_sources: weakref.WeakSet[Any] = weakref.WeakSet()
        self._lag_functions: list[Callable[[], Awaitable[LagReport]]] = []
        self._outbox_query: str | None = None
        self._live = _LiveCollector(self)
        r.register(self._live)

    # ------------------------------------------------------------------ recording

    def observe_request(self, operation: str, status: int, seconds: float) -> None:
        self.requests.labels(operation, str(status)).inc()
        self.request_duration.labels(operation, str(status)).observe(seconds)

    def observe_handler(self, consumer: str, event_type: str, seconds: float) -> None:
        self.handler_duration.labels(consumer, event_type).observe(seconds)

    def watch_outbox(self, table_name: str) -> None:
        # count and min over the partial index ix_outbox_pending (rows not yet published): cheap at any table size
        self._outbox_query = (
            f"SELECT count(*), coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0) "  # noqa: S608 - a table name of ours
            f"FROM {table_name} WHERE published_at IS NULL"
        )

    def watch_lag(self, source: LagSource) -> None:
        """A running consumer that reports its lag (held weakly: a stopped loop drops out)."""
        self._lag_sources.add(source)

    def watch_lag_function(self, function: Callable[[], Awaitable[LagReport]]) -> None:
        self._lag_functions.append(function)

    # ------------------------------------------------------------------ scraping

    async def refresh(self) -> None:
        """Read the live state that needs a round trip; each part alone, so one failing leaves the others."""
        snapshot = Snapshot()
        if self._outbox_query is not None and self.db is not None:
            try:
                async with asyncio.timeout(SCRAPE_TIMEOUT), self.db.engine.connect() as connection:
                    pending, age = (await connection.execute(text(self._outbox_query))).one()
                snapshot.outbox_pending, snapshot.outbox_oldest_age = int(pending), float(age)
            except Exception as error:  # noqa: BLE001 - the figure is left out (absent), the scrape still answers
                log.warning("metrics: outbox not read", extra={"service": self.service, "error": describe_error(error)})
        for function in [*(source.lag for source in list(self._lag_sources)), *self._lag_functions]:
            try:
                async with asyncio.timeout(SCRAPE_TIMEOUT):
                    snapshot.lag.update(await function())
            except Exception as error:  # noqa: BLE001
                log.warning("metrics: consumer lag not read", extra={"service": self.service, "error": describe_error(error)})
        self.snapshot = snapshot

    async def render(self) -> bytes:
        await self.refresh()
        if os.environ.get(MULTIPROCESS_ENV):
            from prometheus_client import multiprocess

            combined = CollectorRegistry(auto_describe=True)
            multiprocess.MultiProcessCollector(combined)
            combined.register(self._live)
            return generate_latest(combined)
        return generate_latest(self.registry)


class _LiveCollector(Collector):
    def __init__(self, metrics: ServiceMetrics) -> None:
        self.metrics = metrics

    def describe(self) -> Iterable[Metric]:
        return []  # families vary with what is running; registered without a fixed description

    def collect(self) -> Iterator[Metric]:
        m = self.metrics
        info = GaugeMetricFamily("zt_service_info", "The service this process serves", labels=["service", "api_version"])
        info.add_metric([m.service, m.api_version], 1)
        yield info
        snapshot = m.snapshot
        if snapshot.outbox_pending is not None:
            yield GaugeMetricFamily("zt_outbox_pending", "Outbox rows not yet published", value=snapshot.outbox_pending)
            yield GaugeMetricFamily(
                "zt_outbox_oldest_age_seconds",
                "Age of the oldest unpublished outbox row (0 when none)",
                value=snapshot.outbox_oldest_age or 0.0,
            )
        if snapshot.lag:
            lag = GaugeMetricFamily(
                "zt_consumer_lag",
                "Records of a partition not yet handled (highwater minus position)",
                labels=["group", "topic", "partition"],
            )
            for (group, topic, partition), value in sorted(snapshot.lag.items()):
                lag.add_metric([group, topic, str(partition)], max(0, value))
            yield lag
        yield from _pool_families(m.db)
        yield from _group_commit_families(m.state)


def _pool_families(db: Database | None) -> Iterator[Metric]:
    if db is None:
        return
    pool = db.engine.pool
    checked_out = getattr(pool, "checkedout", None)
    if checked_out is None:
        return
    yield GaugeMetricFamily("zt_db_pool_in_use", "Database connections checked out of the pool now", value=checked_out())
    size = getattr(pool, "size", None)
    overflow = getattr(pool, "_max_overflow", 0)
    if size is not None:
        yield GaugeMetricFamily("zt_db_pool_max", "Connections the pool may hold (size plus overflow)", value=size() + max(0, overflow))


def _group_commit_families(state: dict[str, Any]) -> Iterator[Metric]:
    from zorgtoezicht.groupcommit import GroupCommit

    groups = [value for value in state.values() if isinstance(value, GroupCommit)]
    if not groups:
        return
    sizes = HistogramMetricFamily("zt_group_commit_size", "Items per group-commit transaction", labels=["group"])
    retried = CounterMetricFamily(
        "zt_group_commit_retried_alone", "Items retried in a transaction of their own after their group failed", labels=["group"]
    )
    for group in groups:
        by_size = group.stats.by_size
        cumulative, buckets = 0, []
        for bound in GROUP_SIZE_BUCKETS:
            cumulative = sum(count for size, count in by_size.items() if size <= bound)
            buckets.append((str(bound), cumulative))
        buckets.append(("+Inf", group.stats.transactions))
        sizes.add_metric([group.name], buckets, sum_value=group.stats.items)
        retried.add_metric([group.name], group.stats.retried_alone)
    yield sizes
    yield retried
