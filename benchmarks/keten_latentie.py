"""Benchmark: the chain on the real Kafka broker as in production - latency from a melding's 201 to toezicht's
projection, the relay's throughput, and each process's memory; each beside its limit in the same run (issue 11, item 4).

Starts its own PostgreSQL (the embedded wheel, durable: fsync on) and a real single-node Kafka broker (jars from
Maven Central, ``zorgtoezicht.localkafka``), migrates meldpunt's and toezicht's databases, seeds meldpunt's provider
projection (``meldpunt_intake.providers``), and starts meldpunt and toezicht as four separate processes:
``python -m meldpunt api``, ``python -m meldpunt worker`` (outbox relay), ``python -m toezicht api``,
``python -m toezicht worker`` (consumers).

1. Latency: ``--rate`` meldingen/s for ``--duur`` s (a realistic mix, ``meldpunt_intake.meldingen``), paced
   open loop over keep-alive connections with a bearer token. Per melding: the moment its 201 was read, and the
   moment toezicht's transaction that stored its signal (``signaal`` of soort melding with ``bron_object_id`` = the
   melding's id) committed: ``pg_xact_commit_timestamp`` of the row (the benchmark's server runs with
   ``track_commit_timestamp = on``; nothing added to the services, exact to the microsecond, and no tight poll loop
   taking CPU from the services on a 2-core machine). Only meldingen about a known provider
   update the projection; those are measured. Where the time goes, per melding, from the databases' own
   timestamps: the relay (until ``outbox.published_at``, after Kafka acknowledged), Kafka and the consumer's queue
   (until toezicht's transaction began, ``inbox.received_at``) and toezicht's transaction (until it committed). The
   limit,
   on the same broker in the same run: a bare Kafka round trip - an aiokafka producer with the platform's producer
   settings sends records of the same mean size at the same rate to a consumer with the platform's consumer
   settings (read_committed, the same poll), from send to receipt.
2. Memory: the resident set (VmRSS from /proc) of each of the four processes, sampled every 0.25 s during the
   load; the peak per process, and the share of a core each used.
3. Relay throughput: ``--relay-aantal`` outbox rows (copies of the events the run wrote: the same records) are
   published by the platform's relay as the worker runs it (``RELAY_BATCH_SIZE``, ``publish_pending``,
   ``KafkaPublisher``) to topics of their own, beside a raw aiokafka producer with the same settings (idempotent,
   acks=all, linger 2 ms, default batch size, no compression) sending the same records as fast as it can;
   alternating rounds (``--rondes``).

    .venv/bin/python benchmarks/keten_latentie.py [--rate 100] [--duur 60] [--relay-aantal 20000]

Exits non-zero when a target is missed: latency p99 ≤ 250 ms, relay ≥ 0.5 × the raw producer, every process
≤ 150 MiB resident.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from meldpunt_intake import base_env, consumer_group_ready, meldingen, percentile, providers, seed, vuur

TARGET_P99_MS, TARGET_RELAY_RATIO, TARGET_RSS_MIB = 250.0, 0.5, 150.0
SERVICES = ("meldpunt", "toezicht")


def figures(values: list[float]) -> str:
    return "  ".join(f"p{p} {percentile(values, p):7.1f} ms" for p in (50, 95, 99)) + f"  max {max(values, default=float('nan')):7.1f} ms"


def per_round(rates: list[float]) -> str:
    return ", ".join(f"{r:,.0f}" for r in rates)


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


# --- memory ------------------------------------------------------------------------------------------------


def rss_mib(pid: int) -> float | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None


class RssSampler:
    """Peak VmRSS per process, sampled from a thread (the event loop's pauses do not skip samples)."""

    def __init__(self, pids: dict[str, int], interval: float = 0.25) -> None:
        self.pids, self.interval = pids, interval
        self.peak: dict[str, float] = dict.fromkeys(pids, 0.0)
        self.first: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, pid in self.pids.items():
                if (value := rss_mib(pid)) is not None:
                    self.first.setdefault(name, value)
                    self.peak[name] = max(self.peak[name], value)
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()


def _processes() -> dict[int, tuple[int, float]]:
    """Every process now: pid -> (parent pid, user + system CPU seconds) from /proc/<pid>/stat (fields 4, 14, 15)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            found[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return found


def _machine_busy() -> float:
    """Busy CPU seconds of the whole machine so far, all cores (/proc/stat: all but idle and iowait)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


class MachineCpu:
    """Where the machine's cores went during the load: the services (by pid), PostgreSQL (every process under the
    postmaster), the Kafka broker (its process group), this benchmark (load, poller) and everything else; in shares
    of one core (a worker near 100 % queues its records). On a 2-core machine a chain that queues is first a machine
    that is full."""

    def __init__(self, groups: dict[str, Callable[[dict[int, tuple[int, float]]], set[int]]]) -> None:
        self.groups = groups

    def __enter__(self) -> MachineCpu:
        self._before = ({pid: cpu for pid, (_, cpu) in _processes().items()}, _machine_busy(), time.perf_counter())
        return self

    def __exit__(self, *_) -> None:
        processes = _processes()
        (before, busy0, t0), busy1, t1 = self._before, _machine_busy(), time.perf_counter()
        seconds = t1 - t0
        # A process started during the load counts from zero.
        used = {pid: cpu - before.get(pid, 0.0) for pid, (_, cpu) in processes.items()}
        self.shares: dict[str, float] = {}
        counted: set[int] = set()
        for name, select in self.groups.items():
            pids = select(processes) - counted
            counted |= pids
            self.shares[name] = sum(used.get(pid, 0.0) for pid in pids) / seconds
        self.busy = (busy1 - busy0) / seconds
        self.shares["everything else"] = max(0.0, self.busy - sum(self.shares.values()))


def descendants(root: int, processes: dict[int, tuple[int, float]]) -> set[int]:
    """``root`` and every process under it."""
    found, grew = {root}, True
    while grew:
        more = {pid for pid, (parent, _) in processes.items() if parent in found} - found
        found |= more
        grew = bool(more)
    return found


# --- 1. latency ----------------------------------------------------------------------------------------------


async def chain_latency(
    meldpunt_url: str, token: str, toezicht_dsn: str, bodies: list[dict], rate: float, timeout: float, poll_interval: float
):
    """Send ``bodies`` at ``rate``; per answered melding about a known provider, the moment toezicht's transaction
    that stored its signal committed (``pg_xact_commit_timestamp`` of the row, ``track_commit_timestamp = on``).

    A separate task looks up the answered meldingen's signals every ``poll_interval`` s to know when all arrived;
    the latency does not depend on when it looks. (Until 2026-12-03 the moment was when a poll first saw the row,
    polling in a loop with 1 ms pauses: about 600 statements a second, whose CPU the 2-core machine took from the
    services under test.)"""
    connection = await asyncpg.connect(toezicht_dsn)
    waiting: dict[uuid.UUID, float] = {}  # melding id -> the moment its 201 was read (wall clock), not yet seen
    wall: dict[uuid.UUID, tuple[float, float]] = {}  # melding id -> (201, commit of its signal) on the wall clock
    offset = time.time() - time.perf_counter()
    done = asyncio.Event()

    async def poll() -> None:
        while not (done.is_set() and not waiting):
            if waiting:
                rows = await connection.fetch(
                    "SELECT bron_object_id, extract(epoch FROM pg_xact_commit_timestamp(xmin))::float8 FROM signaal "
                    "WHERE soort = 'melding' AND bron_object_id = ANY($1::uuid[])",
                    list(waiting),
                )
                for melding_id, committed in rows:
                    wall[melding_id] = (waiting.pop(melding_id), committed)
            await asyncio.sleep(poll_interval)

    def answered(body: dict | None, moment: float) -> None:
        if body and body.get("zorgaanbiederId"):
            waiting[uuid.UUID(body["id"])] = moment + offset

    poller = asyncio.create_task(poll())
    try:
        run = await vuur(meldpunt_url, "/api/v1/meldingen", token, bodies, 32, keep=True, rate=rate, on_answer=answered)
        done.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(poller), timeout)
        missing = len(waiting)
    finally:
        done.set()
        waiting.clear()
        await poller
        await connection.close()
    latency = {melding_id: (committed - answered_at) * 1000 for melding_id, (answered_at, committed) in wall.items()}
    return run, latency, missing, wall


def stages(postgres, wall: dict[uuid.UUID, tuple[float, float]]) -> dict[str, list[float]]:
    """Where the time goes, per melding, from the databases' own timestamps (the same machine's wall clock):
    the relay (201 until the mark transaction after Kafka acknowledged, ``outbox.published_at``), Kafka and the
    consumer's queue (until toezicht's transaction for it began, ``inbox.received_at``), toezicht's transaction and
    its commit."""
    published = {
        uuid.UUID(key): (event_id, float(moment))
        for key, event_id, moment in (
            line.split("|")
            for line in postgres.psql(
                "SELECT record_key || '|' || event_id || '|' || extract(epoch FROM published_at) FROM outbox "
                "WHERE event_type LIKE '%melding-ontvangen' AND published_at IS NOT NULL",
                "meldpunt",
            ).split()
        )
    }
    received = {
        event_id: float(moment)
        for event_id, moment in (
            line.split("|")
            for line in postgres.psql(
                "SELECT event_id || '|' || extract(epoch FROM received_at) FROM inbox WHERE consumer = 'toezicht.meldingen'", "toezicht"
            ).split()
        )
    }
    out: dict[str, list[float]] = {"relay": [], "kafka + queue": [], "toezicht's transaction": []}
    for melding_id, (answered_at, committed_at) in wall.items():
        event_id, published_at = published[melding_id]
        received_at = received[event_id]
        out["relay"].append((published_at - answered_at) * 1000)
        out["kafka + queue"].append((received_at - published_at) * 1000)
        out["toezicht's transaction"].append((committed_at - received_at) * 1000)
    return out


async def kafka_round_trip(bootstrap: str, size: int, rate: float, seconds: float, partitions: int) -> list[float]:
    """A bare producer -> consumer round trip with the platform's settings (messaging/kafka.py), from send to receipt."""
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
    from aiokafka.structs import OffsetAndMetadata

    from zorgtoezicht.messaging.kafka import ensure_topics

    topic = f"rondgang-{uuid.uuid4().hex[:8]}"
    await ensure_topics(bootstrap, [topic], partitions=partitions)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all", linger_ms=2)
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"{topic}.groep",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        max_poll_interval_ms=600_000,
    )
    await producer.start()
    await consumer.start()
    total = round(rate * seconds)
    sent: dict[int, float] = {}
    latencies: list[float] = []
    payload = os.urandom(size // 2).hex().encode()[:size]
    try:
        # Warm up: the group joined and every partition fetched once before the clock runs.
        await producer.send_and_wait(topic, payload, key=b"-1")
        while not await consumer.getmany(timeout_ms=500):
            pass

        async def produce() -> None:
            begin = time.perf_counter()
            for i in range(total):
                if (wait := begin + i / rate - time.perf_counter()) > 0:
                    await asyncio.sleep(wait)
                sent[i] = time.perf_counter()
                await producer.send(topic, payload, key=str(i).encode())

        sender = asyncio.create_task(produce())
        deadline = time.perf_counter() + seconds + 30
        while len(latencies) < total and time.perf_counter() < deadline:
            batches = await consumer.getmany(timeout_ms=250, max_records=200)
            now = time.perf_counter()
            for partition, records in batches.items():
                for record in records:
                    index = int(record.key)
                    if index >= 0:
                        latencies.append((now - sent[index]) * 1000)
                await consumer.commit({partition: OffsetAndMetadata(records[-1].offset + 1, "")})
        await sender
    finally:
        await consumer.stop()
        await producer.stop()
    return latencies


# --- 3. relay throughput -----------------------------------------------------------------------------------------


async def relay_throughput(
    meldpunt_url: str, bootstrap: str, aantal: int, rondes: int, partitions: int
) -> tuple[list[float], list[float], int, dict[str, float]]:
    """Rows published per second by the platform's relay and by a raw producer on the same records, alternating."""
    from aiokafka import AIOKafkaProducer
    from sqlalchemy import text

    from meldpunt.app import service as definition
    from zorgtoezicht.messaging.kafka import RELAY_BATCH_SIZE, KafkaPublisher, all_topics, ensure_topics
    from zorgtoezicht.messaging.outbox import _headers
    from zorgtoezicht.service import ServiceRuntime
    from zorgtoezicht.settings import PlatformSettings

    prefix = "relaybank."  # topics of their own: toezicht's consumers do not see these records
    await ensure_topics(bootstrap, all_topics(), partitions=partitions, prefix=prefix)
    settings = definition.settings_class(database_url=meldpunt_url)
    platform = PlatformSettings(KAFKA_BOOTSTRAP_SERVERS=bootstrap, topic_prefix=prefix)
    publisher = KafkaPublisher(bootstrap, client_id="meldpunt-relay", topic_prefix=prefix)
    runtime = ServiceRuntime(definition, settings=settings, platform=platform, publisher=publisher)
    relay = runtime.relay(batch_size=RELAY_BATCH_SIZE)  # as the worker runs it
    phases = {"claim": 0.0, "publish": 0.0, "mark": 0.0}
    for phase, owner, method in (("claim", relay, "claim"), ("publish", publisher, "publish_many"), ("mark", relay, "mark_published")):
        setattr(owner, method, _timed(getattr(owner, method), phases, phase))
    source = await _rows(runtime.db, text("SELECT topic, record_key, payload FROM outbox ORDER BY id"))
    records = [(prefix + topic, key.encode(), bytes(payload)) for topic, key, payload in source]
    records = [records[i % len(records)] for i in range(aantal)]
    size = sum(len(r[2]) for r in records) // len(records)
    fill = text(
        "INSERT INTO outbox (event_id, event_type, topic, record_key, payload) "
        "SELECT gen_random_uuid(), event_type, topic, record_key, payload "
        "FROM (SELECT * FROM outbox ORDER BY id LIMIT :bron) bron, generate_series(1, :keer) ORDER BY generate_series, id LIMIT :n"
    )
    relay_rates, raw_rates = [], []
    try:
        await publisher.start()
        bron = len(source)
        for ronde in range(rondes):
            for side in ("relay", "raw") if ronde % 2 == 0 else ("raw", "relay"):
                if side == "relay":
                    async with runtime.db.transaction() as session:
                        await session.execute(
                            fill, {"bron": min(bron, aantal), "keer": aantal // max(min(bron, aantal), 1) + 1, "n": aantal}
                        )
                    begin = time.perf_counter()
                    published = 0
                    while n := await relay.publish_pending():  # what the relay's run loop does while there is work
                        published += n
                    relay_rates.append(published / (time.perf_counter() - begin))
                    if published != aantal:
                        raise SystemExit(f"the relay published {published} of {aantal} rows")
                else:
                    producer = AIOKafkaProducer(
                        bootstrap_servers=bootstrap, client_id="raw", enable_idempotence=True, acks="all", linger_ms=2
                    )
                    await producer.start()
                    try:
                        begin = time.perf_counter()
                        futures = [
                            await producer.send(topic, payload, key=key, headers=list(_headers(payload))) for topic, key, payload in records
                        ]
                        await asyncio.gather(*futures)
                        raw_rates.append(len(records) / (time.perf_counter() - begin))
                    finally:
                        await producer.stop()
    finally:
        await publisher.stop()
        await runtime.close()
    return relay_rates, raw_rates, size, phases


def _timed(function, phases: dict[str, float], phase: str):
    """``function`` adding its time to ``phases[phase]``: where the relay's time goes."""

    async def timed(*args, **kwargs):
        begin = time.perf_counter()
        try:
            return await function(*args, **kwargs)
        finally:
            phases[phase] += time.perf_counter() - begin

    return timed


async def _rows(db, statement) -> list[tuple]:
    async with db.transaction() as session:
        return [tuple(row) for row in await session.execute(statement)]


# --- main ---------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=100.0, help="meldingen per second")
    parser.add_argument("--duur", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--relay-aantal", type=int, default=20_000, help="outbox rows per relay round (0 skips the relay part)")
    parser.add_argument("--rondes", type=int, default=2, help="alternating rounds of relay and raw producer")
    parser.add_argument("--aanbieders", type=int, default=5000, help="synthetic providers (one vestiging each) besides the examples'")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--poll-ms", type=float, default=50.0, help="how often the benchmark looks for arrived signals (1 = the tight loop used before)"
    )
    args = parser.parse_args()

    from meldpunt.app import service as meldpunt_definition
    from toezicht.app import service as toezicht_definition
    from zorgtoezicht.localkafka import KafkaBroker, tools_missing
    from zorgtoezicht.localpg import LocalPostgres, free_port
    from zorgtoezicht.migrations import upgrade
    from zorgtoezicht.settings import PlatformSettings
    from zorgtoezicht.testing.processes import ServiceProcesses

    if missing := tools_missing():
        print(f"not run: {', '.join(missing)} missing (the Kafka broker needs Java 17 and Maven)")
        return 1
    partitions = PlatformSettings().topic_partitions
    print(f"machine: {os.cpu_count()} cores; load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="zt-keten-") as tmp:
        work = Path(tmp)
        postgres = LocalPostgres(work / "pg", free_port(), durable=True, settings={"track_commit_timestamp": "on"}).start()
        broker = KafkaBroker(work / "kafka")
        try:
            for name, definition in (("meldpunt", meldpunt_definition), ("toezicht", toezicht_definition)):
                postgres.ensure_database(name)
                upgrade(definition.root, postgres.url(name), definition.name)
            provider_events = providers(args.aanbieders, args.seed)
            asyncio.run(seed(postgres.url("meldpunt"), provider_events))
            vestigingen = [v.vestigingsnummer for p in provider_events for v in p.vestigingen]
            started = time.perf_counter()
            broker.start()
            print(
                f"durable PostgreSQL (fsync on), a real Kafka broker (up in {time.perf_counter() - started:.1f} s), {partitions} partitions"
            )
            env, token = base_env(work)
            env["KAFKA_BOOTSTRAP_SERVERS"] = broker.bootstrap_servers
            ports = {}
            for name in SERVICES:
                port = ports[name] = free_port()
                env[f"{name.upper()}_DATABASE_URL"] = postgres.url(name)
                env[f"{name.upper()}_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
                env[f"{name.upper()}_WORKER_PORT"] = str(free_port())
            running = {name: ServiceProcesses(name, ports[name], env, work) for name in SERVICES}
            try:
                for service in running.values():
                    service.start("api", "worker")
                for service in running.values():
                    service.wait_ready(120)
                if not asyncio.run(consumer_group_ready(broker.bootstrap_servers, "toezicht.meldingen", 90)):
                    print("  (toezicht's consumer group did not show within 90 s; measuring anyway)")
                pids = {f"{name} {role}": p.pid for name, s in running.items() for role, p in s.processes.items()}
                toezicht_dsn = postgres.url("toezicht").replace("postgresql+asyncpg://", "postgresql://")
                vandaag = datetime.now(UTC).date()
                total = round(args.rate * args.duur)
                warm = meldingen(max(50, round(args.rate * 3)), vestigingen, args.seed, vandaag)
                bodies = meldingen(total, vestigingen, args.seed + 1, vandaag)
                # Warm-up (not counted): connections, pools, the consumer's first fetches, caches.
                asyncio.run(chain_latency(running["meldpunt"].base_url, token, toezicht_dsn, warm, args.rate, 60, args.poll_ms / 1000))
                postmaster = int((work / "pg" / "postmaster.pid").read_text().split()[0])
                kafka_pid = broker.process.pid if broker.process is not None else -1
                groups: dict[str, Callable[[dict], set[int]]] = {name: (lambda _, pid=pid: {pid}) for name, pid in pids.items()}
                groups |= {
                    "postgresql": lambda found: descendants(postmaster, found),
                    "kafka broker": lambda found: descendants(kafka_pid, found),
                    "this benchmark": lambda _: {os.getpid()},
                }
                with MachineCpu(groups) as machine, RssSampler(pids) as rss:
                    run, latency, missing, wall = asyncio.run(
                        chain_latency(running["meldpunt"].base_url, token, toezicht_dsn, bodies, args.rate, 60, args.poll_ms / 1000)
                    )
                for name, service in running.items():
                    for role, process in service.processes.items():
                        if process.poll() is not None:
                            failures.append(f"{name} {role} exited {process.returncode} during the load")
                size = int(
                    postgres.psql("SELECT round(avg(length(payload))) FROM outbox WHERE event_type LIKE '%melding-ontvangen%'", "meldpunt")
                )
                round_trip = asyncio.run(kafka_round_trip(broker.bootstrap_servers, size, args.rate, args.duur, partitions))
                chain = list(latency.values())
                print(
                    f"1. latency, from a melding's 201 to the commit of its signal in toezicht's database: {run.accepted:,} of {total:,} "
                    f"meldingen accepted in {run.seconds:.1f} s = {run.accepted / run.seconds:.1f}/s (asked {args.rate:g}/s); "
                    f"statuses {run.statuses}; POST p50 {percentile(run.latencies, 50):.1f} ms, p99 {percentile(run.latencies, 99):.1f} ms"
                )
                print(
                    f"   {len(chain):,} meldingen about a known provider measured ({missing} not seen within 60 s after the last 201); "
                    f"arrival looked up every {args.poll_ms:g} ms; the moment is the signal's commit (track_commit_timestamp)"
                )
                print(f"   chain  201 -> toezicht's projection   {figures(chain)}")
                print(
                    f"   limit  bare Kafka round trip ({size:,} B) {figures(round_trip)}  ({len(round_trip):,} records at {args.rate:g}/s)"
                )
                for stage, values in stages(postgres, wall).items():
                    print(f"     of which {stage:<22} {figures(values)}")
                ratios = "  ".join(f"p{p} {percentile(chain, p) / percentile(round_trip, p):.1f}x" for p in (50, 95, 99))
                p99 = percentile(chain, 99)
                print(f"   chain / limit: {ratios}; target p99 ≤ {TARGET_P99_MS:.0f} ms: {'met' if p99 <= TARGET_P99_MS else 'MISSED'}")
                if run.accepted != total:
                    failures.append(f"{total - run.accepted} of {total} POSTs were not 201 (first: {run.first_error})")
                if missing:
                    failures.append(f"{missing} meldingen never reached toezicht's projection")
                if not p99 <= TARGET_P99_MS:
                    failures.append(f"latency p99 {p99:.1f} ms (target ≤ {TARGET_P99_MS:.0f} ms)")
                print(
                    f"   the machine's {os.cpu_count()} cores during the load, in shares of one core (busy {machine.busy:.0%}): "
                    + ", ".join(f"{name} {share:.0%}" for name, share in machine.shares.items())
                )
                print(f"2. resident memory (VmRSS, peak during the load, sampled every 0.25 s; target ≤ {TARGET_RSS_MIB:.0f} MiB each):")
                for name, peak in rss.peak.items():
                    start = rss.first.get(name, float("nan"))
                    print(
                        f"   {name:<17} {peak:6.1f} MiB (at the start of the load {start:6.1f} MiB)  {verdict(peak <= TARGET_RSS_MIB)}; "
                        f"CPU {machine.shares[name]:.0%} of a core"
                    )
                    if peak > TARGET_RSS_MIB:
                        failures.append(f"{name} peaked at {peak:.1f} MiB resident (target ≤ {TARGET_RSS_MIB:.0f} MiB)")
            finally:
                for service in running.values():
                    service.stop()
            if args.relay_aantal > 0:
                os.environ.update(env)  # the relay's runtime reads the same settings as the services
                relay_rates, raw_rates, record_size, phases = asyncio.run(
                    relay_throughput(postgres.url("meldpunt"), broker.bootstrap_servers, args.relay_aantal, max(1, args.rondes), partitions)
                )
                relay_rate, raw_rate = sum(relay_rates) / len(relay_rates), sum(raw_rates) / len(raw_rates)
                ratio = relay_rate / raw_rate
                print(
                    f"3. relay throughput: {args.relay_aantal:,} records (mean {record_size:,} B) per round, {len(relay_rates)} "
                    "alternating round(s), acks=all, idempotent, linger 2 ms, no compression"
                )
                print(f"   platform relay (outbox -> Kafka)  {relay_rate:9,.0f} records/s (rounds: {per_round(relay_rates)})")
                print(f"   limit: raw aiokafka producer      {raw_rate:9,.0f} records/s (rounds: {per_round(raw_rates)})")
                spent = sum(phases.values())
                shares = ", ".join(f"{phase} {seconds / spent:.0%}" for phase, seconds in phases.items())
                print(f"   the relay's busy time (a mark overlaps the next batch): {shares}")
                print(f"   ratio relay / raw: {ratio:.2f}; target ≥ {TARGET_RELAY_RATIO}: {verdict(ratio >= TARGET_RELAY_RATIO)}")
                if ratio < TARGET_RELAY_RATIO:
                    failures.append(f"relay / raw producer = {ratio:.2f} (target ≥ {TARGET_RELAY_RATIO})")
        finally:
            broker.stop()
            postgres.stop()
    print(f"load average at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for failure in failures:
        print(f"TARGET MISSED: {failure}")
    print("all targets met" if not failures else f"{len(failures)} target(s) missed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
