"""Benchmark: intake of meldingen through meldpunt's HTTP API, against a bare FastAPI INSERT, and a year end to end on Kafka.

Starts its own PostgreSQL (the embedded wheel, durable: fsync and full-page writes on, as in production)
in a temporary directory, migrates meldpunt's and toezicht's databases and seeds meldpunt's provider
projection (``voorbeelden.PROVIDERS`` plus ``--aanbieders`` synthetic providers with one vestiging each,
so that a year of meldingen is not about two vestigingen only; the duplicate check links meldingen of
one kind about one vestiging within 7 days, which on two vestigingen would link every melding to 50 others).

1. Throughput: ``python -m meldpunt api`` (one uvicorn process, as ``python -m meldpunt api`` runs it)
   takes ``--aantal`` POST /api/v1/meldingen (a realistic mix of kinds, from ``voorbeelden.melding`` with
   dates and vestigingen varied) from ``--concurrency`` concurrent httpx clients over HTTP/1.1 keep-alive.
   Each request is validated, triaged, encrypted, and committed durably with its status rows, outbox
   events and audit row. The baseline, in the same run on the same database: a bare FastAPI app (below)
   with one endpoint ``POST /bare`` that does a single INSERT of the request body into ``bare_melding``
   through the same ``zorgtoezicht.db.Database`` (SQLAlchemy async + asyncpg, same pool) and commits,
   served by one uvicorn process with the same configuration (``zorgtoezicht.runner.uvicorn_server``).
   Both sides get a warm-up and are measured in alternating rounds (``--rondes``), so that load from
   other work on the machine falls on both alike. The load generator runs on the same machine.
   meldpunt writes meldingen submitted at the same moment in one transaction (group commit: each request
   is answered once the transaction holding its melding has committed). For comparison, a third side in
   the same rounds runs meldpunt with a transaction per melding (``MELDPUNT_INTAKE_GROEP_MAX=1``, 16
   writers) on a database of its own; its figure is printed, not judged. The mean number of meldingen per
   transaction is read from the rows (``xmin``).
2. End to end on the real Kafka broker: meldpunt api + meldpunt worker (outbox relay) + toezicht worker
   (consumer) as processes, fresh databases; ``--jaar`` meldingen (a year: 16,530) are posted with
   ``--concurrency``; the clock runs from the first POST until toezicht has counted every
   melding-ontvangen that carries a zorgaanbieder (its ``signaal`` rows of soort melding; late reports add
   signals of their own, not counted here) and
   meldpunt's outbox has nothing unpublished.

    .venv/bin/python benchmarks/meldpunt_intake.py [--aantal 3000] [--jaar 16530] [--concurrency 32]

   Keeping up: the tail (from the last POST's answer until toezicht has counted everything) is at most 10 %
   of the whole run; the run also prints where the tail goes (the relay's backlog and toezicht's at the last
   POST, when each caught up) and toezicht's events per consumer transaction (inbox rows sharing an xmin).

``--aantal 0`` skips part 1, ``--jaar 0`` part 2. Prints the figures and exits non-zero when a target is
missed: meldpunt ≥ 300 meldingen/s, ratio to the bare endpoint ≥ 0.5, a year end to end ≤ 120 s, its tail
≤ 10 % of it.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from fastapi import FastAPI, Request

TARGET_RATE, TARGET_RATIO, TARGET_JAAR_SECONDS = 300.0, 0.5, 120.0
TARGET_TAIL_SHARE = 0.10  # keeping up: the tail after the last POST is at most this share of the whole run
ISSUER = "https://auth.bench.zorgtoezicht.local"
INDIENEN = "meldpunt.meldingen.indienen"

# A realistic mix (share of a year's meldingen); the rest of the kinds appear now and then.
MIX: dict[str, float] = {
    "wkkgz-calamiteit": 0.30,
    "signaal": 0.25,
    "klacht": 0.15,
    "medisch-hulpmiddel-incident": 0.10,
    "wkkgz-geweld": 0.04,
    "jeugdwet-calamiteit": 0.03,
    "wmo-calamiteit": 0.03,
    "geneesmiddel-tekort-of-defect": 0.03,
    "wkkgz-ontslag-disfunctioneren": 0.02,
    "jeugdwet-geweld": 0.02,
    "wmo-geweld": 0.01,
    "vals-diploma-of-vog": 0.01,
    "illegale-handel-geneesmiddelen": 0.01,
}
GEMEENTEN = [
    ("Utrecht", "GM0344"),
    ("Amsterdam", "GM0363"),
    ("Rotterdam", "GM0599"),
    ("'s-Gravenhage", "GM0518"),
    ("Eindhoven", "GM0772"),
    ("Groningen", "GM0014"),
    ("Zwolle", "GM0193"),
    ("Maastricht", "GM0935"),
]
SECTOREN = ["verpleging-en-verzorging", "gehandicaptenzorg", "ggz", "jeugd", "eerstelijnszorg", "medisch-specialistische-zorg"]


# --- the bare baseline --------------------------------------------------------------------------------

BARE_TABLE = "CREATE TABLE IF NOT EXISTS bare_melding (id uuid PRIMARY KEY, body jsonb NOT NULL, created timestamptz NOT NULL)"


def bare_app(url: str):
    """One endpoint, one INSERT, committed: what any HTTP intake costs at the least on this stack."""
    from sqlalchemy import text

    from zorgtoezicht.db import Database

    db = Database(url)  # the same engine options and pool size (10 + 10 overflow) as a service's
    app = FastAPI()
    insert = text("INSERT INTO bare_melding (id, body, created) VALUES (:id, CAST(:body AS jsonb), :created)")

    @app.get("/health/live")
    async def live() -> dict:
        return {"status": "ok"}

    @app.post("/bare", status_code=201)
    async def bare(request: Request) -> dict:
        body = await request.json()
        ident = uuid.uuid4()
        async with db.transaction() as session:
            await session.execute(insert, {"id": ident, "body": json.dumps(body), "created": datetime.now(UTC)})
        return {"id": str(ident)}

    return app


def bare_factory():
    return bare_app(os.environ["BARE_DATABASE_URL"])


def serve_bare(url: str, port: int, workers: int = 1) -> None:
    if workers > 1:
        import uvicorn

        os.environ["BARE_DATABASE_URL"] = url
        sys.path.insert(0, str(Path(__file__).parent))
        uvicorn.run(
            "meldpunt_intake:bare_factory", factory=True, host="127.0.0.1", port=port, workers=workers, log_config=None, access_log=False
        )
        return
    from zorgtoezicht.runner import uvicorn_server

    server = uvicorn_server(bare_app(url), port)
    asyncio.run(server.serve())


# --- the meldingen --------------------------------------------------------------------------------------


@dataclass
class Omgeving:
    postgres: object
    work: Path
    env: dict[str, str]
    token: str
    vestigingen: list[str]


def providers(aantal: int, seed: int) -> list:
    """voorbeelden.PROVIDERS plus synthetic providers with one vestiging each."""
    from meldpunt.voorbeelden import PROVIDERS
    from zorgtoezicht.events.contracts.register import VestigingFeit, ZorgaanbiederGeregistreerd

    rng = random.Random(seed)
    extra = []
    for i in range(aantal):
        gemeente, code = rng.choice(GEMEENTEN)
        extra.append(
            ZorgaanbiederGeregistreerd(
                zorgaanbieder_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                kvk_nummer=f"{70000000 + i:08d}",
                soort="instelling",
                sectoren=[rng.choice(SECTOREN)],
                vestigingen=[VestigingFeit(vestigingsnummer=f"{100000000000 + i:012d}", gemeente=gemeente, gemeente_code=code)],
            )
        )
    return [*PROVIDERS, *extra]


async def seed(url: str, provider_events: list) -> None:
    from meldpunt import service as meldpunt_service
    from zorgtoezicht.db import Database

    db = Database(url)
    try:
        async with db.transaction() as session:
            for provider in provider_events:
                await meldpunt_service.verwerk_zorgaanbieder_feiten(session, provider)
    finally:
        await db.dispose()


def meldingen(aantal: int, vestigingen: list[str], seed_value: int, vandaag: date) -> list[dict]:
    """``aantal`` valid meldingen in the MIX, with vestigingen and dates varied as a year brings them.

    Most kinds that name a vestiging name one of the seeded ones; the two of ``voorbeelden`` get a
    larger share (they are the "known" providers of the examples). Events happened up to 30 days ago;
    most are reported in time, some late (those raise a termijn-overschreden event as well).
    """
    from meldpunt.voorbeelden import VESTIGING_AMSTERDAM, VESTIGING_UTRECHT, melding

    rng = random.Random(seed_value)
    kinds, weights = zip(*MIX.items(), strict=True)
    out = []
    for _ in range(aantal):
        soort = rng.choices(kinds, weights)[0]
        body = melding(soort)
        if "vestigingsnummer" in body:
            body["vestigingsnummer"] = (
                rng.choice((VESTIGING_UTRECHT, VESTIGING_AMSTERDAM)) if rng.random() < 0.05 else rng.choice(vestigingen)
            )
        gebeurtenis = vandaag - timedelta(days=rng.randint(1, 30))
        if "gebeurtenisdatum" in body:
            body["gebeurtenisdatum"] = gebeurtenis.isoformat()
        if "vastgesteldOp" in body:
            late = rng.random() < 0.1
            vastgesteld = gebeurtenis + timedelta(days=rng.randint(0, 3)) if late else vandaag - timedelta(days=rng.randint(0, 1))
            body["vastgesteldOp"] = max(vastgesteld, gebeurtenis).isoformat()
        if "bekendOp" in body:
            body["bekendOp"] = (vandaag - timedelta(days=rng.choice((0, 0, 0, 1, 1, 5)))).isoformat()
        if "ontslagdatum" in body:
            body["ontslagdatum"] = gebeurtenis.isoformat()
        if "verwachteStartdatum" in body:
            body["verwachteStartdatum"] = (vandaag + timedelta(days=rng.randint(30, 120))).isoformat()
        body["omschrijving"] = f"{body['omschrijving']} ({rng.randrange(10**6)})"
        out.append(body)
    return out


# --- load ----------------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


@dataclass
class Vuur:
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]
    bodies: list[dict | None]
    first_error: str | None
    answered: list[float] | None = None  # per request (``keep``): the perf_counter moment its answer was read

    @property
    def accepted(self) -> int:
        return self.statuses.get(201, 0)


async def vuur(
    base_url: str,
    path: str,
    token: str | None,
    bodies: list[dict],
    concurrency: int,
    *,
    keep: bool = False,
    rate: float | None = None,
    on_answer: Callable[[dict | None, float], None] | None = None,
) -> Vuur:
    """POST every body with ``concurrency`` keep-alive HTTP/1.1 connections; the figures.

    With ``rate``, request i is sent no earlier than i / rate seconds after the start (open loop as long as a
    connection is free: ``concurrency`` must exceed rate × latency). ``on_answer`` (with ``keep``) gets each 201's
    body and the moment it was read, as it comes.

    The requests are encoded up front and sent over plain asyncio streams: a full HTTP client library
    costs more CPU than the server under test on a 2-core machine, and would measure itself."""
    host, port = base_url.removeprefix("http://").split(":")
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    requests = []
    for body in bodies:
        payload = json.dumps(body).encode()
        requests.append(
            (
                f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{auth}Content-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n"
            ).encode()
            + payload
        )
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    results: list[dict | None] = [None] * len(bodies) if keep else []
    answered: list[float] = [0.0] * len(bodies) if keep else []
    first_error: list[str] = []
    queue = iter(range(len(bodies)))

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            for i in queue:
                if rate is not None and (wait := begin + i / rate - time.perf_counter()) > 0:
                    await asyncio.sleep(wait)
                started = time.perf_counter()
                writer.write(requests[i])
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head[9:12])
                length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
                content = await reader.readexactly(length)
                now = time.perf_counter()
                latencies.append((now - started) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
                if status != 201 and not first_error:
                    first_error.append(f"{status} {content[:500].decode(errors='replace')}")
                elif keep:
                    results[i] = json.loads(content)
                    answered[i] = now
                    if on_answer is not None:
                        on_answer(results[i], now)
        finally:
            writer.close()

    begin = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    seconds = time.perf_counter() - begin
    return Vuur(seconds, latencies, statuses, results, first_error[0] if first_error else None, answered if keep else None)


def wait_live(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url} exited {process.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/health/live", timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"{url} did not come up:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def proces(args: list[str], env: dict[str, str], log: Path):
    with log.open("ab") as out:
        process = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def base_env(work: Path) -> tuple[dict[str, str], str]:
    from zorgtoezicht.http.security import mint_token, new_signing_key

    private, jwks = new_signing_key("bench-1")
    env = {
        **os.environ,
        "ZT_LOG_LEVEL": "WARNING",
        "ZT_AUTH_JWKS": json.dumps(jwks),
        "ZT_AUTH_ISSUER": ISSUER,
        "ZT_AUTH_MAX_LEVENSDUUR": str(6 * 3600),  # one token for the whole benchmark
        "ZT_PERSOONSGEGEVENS_SLEUTELS": json.dumps({"1": base64.b64encode(os.urandom(32)).decode()}),
        "ZT_PERSOONSGEGEVENS_ACTIEVE_SLEUTEL": "1",
        "ZT_PERSOONSGEGEVENS_VINGERAFDRUK_SLEUTEL": base64.b64encode(os.urandom(32)).decode(),
        "ZT_CURSOR_SLEUTEL": base64.b64encode(os.urandom(32)).decode(),  # signs page cursors
    }
    env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
    env.pop("ZT_KAFKA_BOOTSTRAP_SERVERS", None)
    token = mint_token(private, issuer=ISSUER, client_id="bench-zorgaanbieder", scopes=[INDIENEN], ttl=6 * 3600)
    return env, token


# --- part 1: throughput ----------------------------------------------------------------------------------

PER_MELDING = "meldpunt-per-melding"  # the comparison side: a transaction per melding
PER_MELDING_ENV = {"MELDPUNT_INTAKE_GROEP_MAX": "1", "MELDPUNT_INTAKE_SCHRIJVERS": "16"}
LABELS = {
    "meldpunt": "meldpunt POST /api/v1/meldingen",
    PER_MELDING: "  idem, a transaction per melding",
    "bare": "bare FastAPI POST /bare (1 INSERT)",
}


def per_transactie(postgres, database: str) -> float:
    """Mean meldingen per transaction: rows written by one transaction share its xmin."""
    return float(postgres.psql("SELECT round(count(*)::numeric / greatest(count(DISTINCT xmin::text), 1), 1) FROM melding", database))


def throughput(
    omg: Omgeving, url: str, per_melding_url: str, aantal: int, concurrency: int, rondes: int, seed_value: int, workers: int = 1
) -> list[str]:
    from zorgtoezicht.localpg import free_port

    vandaag = datetime.now(UTC).date()
    warm = min(200, max(aantal // 10, concurrency))
    bodies = meldingen(warm + aantal, omg.vestigingen, seed_value, vandaag)
    warm_bodies, bodies = bodies[:warm], bodies[warm:]
    per_ronde = [bodies[i::rondes] for i in range(rondes)]
    omg.postgres.psql(BARE_TABLE, "meldpunt")
    meldpunt_port, per_melding_port, bare_port = free_port(), free_port(), free_port()
    env = {**omg.env, "MELDPUNT_DATABASE_URL": url, "MELDPUNT_PUBLIC_URL": f"http://127.0.0.1:{meldpunt_port}"}
    per_melding_env = {
        **omg.env,
        **PER_MELDING_ENV,
        "MELDPUNT_DATABASE_URL": per_melding_url,
        "MELDPUNT_PUBLIC_URL": f"http://127.0.0.1:{per_melding_port}",
    }
    results: dict[str, list[Vuur]] = {"meldpunt": [], PER_MELDING: [], "bare": []}
    with (
        proces(
            [sys.executable, "-m", "meldpunt", "api", "--port", str(meldpunt_port), "--workers", str(workers)],
            env,
            omg.work / "meldpunt-api.log",
        ) as api,
        proces(
            [sys.executable, "-m", "meldpunt", "api", "--port", str(per_melding_port), "--workers", str(workers)],
            per_melding_env,
            omg.work / "meldpunt-per-melding-api.log",
        ) as per_melding,
        proces(
            [sys.executable, __file__, "--serve-bare", str(bare_port), "--database-url", url, "--workers", str(workers)],
            env,
            omg.work / "bare-api.log",
        ) as bare,
    ):
        wait_live(f"http://127.0.0.1:{meldpunt_port}", api, omg.work / "meldpunt-api.log")
        wait_live(f"http://127.0.0.1:{per_melding_port}", per_melding, omg.work / "meldpunt-per-melding-api.log")
        wait_live(f"http://127.0.0.1:{bare_port}", bare, omg.work / "bare-api.log")
        sides = {
            "meldpunt": (f"http://127.0.0.1:{meldpunt_port}", "/api/v1/meldingen", omg.token),
            PER_MELDING: (f"http://127.0.0.1:{per_melding_port}", "/api/v1/meldingen", omg.token),
            "bare": (f"http://127.0.0.1:{bare_port}", "/bare", None),
        }
        for name, (base, path, token) in sides.items():  # warm-up: connections, pools, imports, caches
            w = asyncio.run(vuur(base, path, token, warm_bodies, concurrency))
            if w.accepted != len(warm_bodies):
                raise SystemExit(f"{name} warm-up: {w.statuses}; first error: {w.first_error}")
        for ronde in range(rondes):
            order = ("meldpunt", PER_MELDING, "bare") if ronde % 2 == 0 else ("bare", PER_MELDING, "meldpunt")
            for name in order:
                base, path, token = sides[name]
                results[name].append(asyncio.run(vuur(base, path, token, per_ronde[ronde], concurrency)))
    failures = []
    rates = {}
    print(f"uvicorn processes per side: {workers}")
    print(
        f"throughput: {aantal:,} POSTs per side in {rondes} alternating round(s), concurrency {concurrency}, "
        f"after {warm} warm-up requests each; a raw keep-alive HTTP/1.1 client (pre-encoded requests)"
    )
    for name, runs in results.items():
        seconds = sum(r.seconds for r in runs)
        accepted = sum(r.accepted for r in runs)
        statuses: dict[int, int] = {}
        for r in runs:
            for code, n in r.statuses.items():
                statuses[code] = statuses.get(code, 0) + n
        latencies = [x for r in runs for x in r.latencies]
        rates[name] = accepted / seconds
        per = ", ".join(f"{r.accepted / r.seconds:,.0f}/s" for r in runs)
        print(
            f"  {LABELS[name]:<35} {rates[name]:7,.0f} accepted/s (rounds: {per}); p50 {percentile(latencies, 50):6.1f} ms  "
            f"p95 {percentile(latencies, 95):6.1f} ms  p99 {percentile(latencies, 99):6.1f} ms; statuses {statuses}"
        )
        if accepted != aantal:
            error = next((r.first_error for r in runs if r.first_error), None)
            failures.append(f"{name}: {aantal - accepted} of {aantal} POSTs were not 201 (first: {error})")
    ratio = rates["meldpunt"] / rates["bare"]
    print(
        f"  ratio meldpunt / bare: {ratio:.2f}   (a transaction per melding: {rates[PER_MELDING] / rates['bare']:.2f}; "
        f"meldingen per transaction: {per_transactie(omg.postgres, 'meldpunt')} with group commit, "
        f"{per_transactie(omg.postgres, 'meldpunt_per_melding')} without; warm-up included)"
    )
    rows = omg.postgres.psql(
        "SELECT concat_ws(',', (SELECT count(*) FROM melding), (SELECT count(*) FROM outbox), "
        "(SELECT count(*) FROM audit_trail), (SELECT count(*) FROM melding_status), "
        "(SELECT count(*) FROM mogelijke_dubbel), (SELECT count(*) FROM bare_melding))",
        "meldpunt",
    ).strip()
    print(
        "  rows in meldpunt's database (warm-up included): melding, outbox, audit_trail, melding_status, mogelijke_dubbel, "
        f"bare_melding = {rows}"
    )
    if rates["meldpunt"] < TARGET_RATE:
        failures.append(f"meldpunt accepted {rates['meldpunt']:.0f} meldingen/s (target ≥ {TARGET_RATE:.0f}/s)")
    if ratio < TARGET_RATIO:
        failures.append(f"meldpunt / bare = {ratio:.2f} (target ≥ {TARGET_RATIO})")
    return failures


# --- part 2: a year end to end on Kafka ------------------------------------------------------------------


async def consumer_group_ready(bootstrap: str, group: str, timeout: float) -> bool:
    from aiokafka.admin import AIOKafkaAdminClient

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        try:
            await admin.start()
            groups = {g[0] for g in await admin.list_consumer_groups()}
            if group in groups:
                return True
        except Exception:  # noqa: BLE001 - not there yet
            pass
        finally:
            with contextlib.suppress(Exception):
                await admin.close()
        await asyncio.sleep(0.5)
    return False


def end_to_end(
    omg: Omgeving, meldpunt_url: str, toezicht_url: str, jaar: int, concurrency: int, seed_value: int, timeout: float, workers: int = 1
) -> list[str]:
    from zorgtoezicht.localkafka import KafkaBroker, tools_missing
    from zorgtoezicht.localpg import free_port

    if missing := tools_missing():
        return [f"end to end not run: {', '.join(missing)} missing (the Kafka broker needs Java 17 and Maven)"]
    bodies = meldingen(jaar, omg.vestigingen, seed_value + 1, datetime.now(UTC).date())
    broker = KafkaBroker(omg.work / "kafka")
    started = time.perf_counter()
    broker.start()
    print(f"end to end on Kafka: broker up in {time.perf_counter() - started:.1f} s (not counted)")
    port = free_port()
    env = {
        **omg.env,
        "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers,
        "MELDPUNT_DATABASE_URL": meldpunt_url,
        "MELDPUNT_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TOEZICHT_DATABASE_URL": toezicht_url,
    }
    failures: list[str] = []
    try:
        with (
            proces([sys.executable, "-m", "toezicht", "worker"], env, omg.work / "toezicht-worker.log") as toezicht,
            proces([sys.executable, "-m", "meldpunt", "worker"], env, omg.work / "meldpunt-worker.log") as worker,
            proces(
                [sys.executable, "-m", "meldpunt", "api", "--port", str(port), "--workers", str(workers)],
                env,
                omg.work / "meldpunt-api-e2e.log",
            ) as api,
        ):
            wait_live(f"http://127.0.0.1:{port}", api, omg.work / "meldpunt-api-e2e.log")
            if not asyncio.run(consumer_group_ready(broker.bootstrap_servers, "toezicht.meldingen", 90)):
                print("  (toezicht's consumer group did not show within 90 s; measuring anyway)")
            time.sleep(1)
            for name, process in (("toezicht worker", toezicht), ("meldpunt worker", worker)):
                if process.poll() is not None:
                    raise SystemExit(f"{name} exited {process.returncode}")
            started = time.perf_counter()
            run = asyncio.run(vuur(f"http://127.0.0.1:{port}", "/api/v1/meldingen", omg.token, bodies, concurrency, keep=True))
            ingest = time.perf_counter() - started
            expected = sum(1 for b in run.bodies if b and b.get("zorgaanbiederId"))
            print(
                f"  ingest: {run.accepted:,} of {jaar:,} POSTs accepted in {ingest:.1f} s = {run.accepted / ingest:,.0f}/s "
                f"(p50 {percentile(run.latencies, 50):.1f} ms, p95 {percentile(run.latencies, 95):.1f} ms); statuses {run.statuses}; "
                f"{expected:,} carry a zorgaanbieder"
            )
            if run.accepted != jaar:
                failures.append(f"end to end: {jaar - run.accepted} POSTs were not 201 (first: {run.first_error})")
            counted, unpublished, done = -1, -1, None
            at_last_post: tuple[int, int] | None = None
            relay_caught_up: float | None = None
            deadline = started + timeout
            while time.perf_counter() < deadline:
                counted = int(omg.postgres.psql("SELECT count(*) FROM signaal WHERE soort = 'melding'", "toezicht").strip())
                unpublished = int(omg.postgres.psql("SELECT count(*) FROM outbox WHERE published_at IS NULL", "meldpunt_e2e").strip())
                if at_last_post is None:
                    at_last_post = (counted, unpublished)
                if unpublished == 0 and relay_caught_up is None:
                    relay_caught_up = time.perf_counter() - started
                if counted >= expected and unpublished == 0:
                    done = time.perf_counter() - started
                    break
                for name, process in (("toezicht worker", toezicht), ("meldpunt worker", worker)):
                    if process.poll() is not None:
                        raise SystemExit(f"{name} exited {process.returncode}")
                time.sleep(0.25)
            published = omg.postgres.psql("SELECT count(*) FROM outbox", "meldpunt_e2e").strip()
            if done is None:
                print(
                    f"  not done after {timeout:.0f} s: toezicht counted {counted:,} of {expected:,}; "
                    f"{unpublished:,} outbox rows unpublished"
                )
                failures.append(f"a year end to end did not finish within {timeout:.0f} s")
            else:
                tail = done - ingest
                share = tail / done
                consumer_tx = omg.postgres.psql(
                    "SELECT concat_ws(',', count(*), count(DISTINCT xmin::text)) FROM inbox", "toezicht"
                ).strip()
                events, transactions = (int(x) for x in consumer_tx.split(","))
                print(
                    f"  end to end: {jaar:,} meldingen ingested, triaged, relayed ({published} events) and counted by toezicht "
                    f"({counted:,} signals) in {done:.1f} s = {jaar / done:,.0f} meldingen/s; "
                    f"{per_transactie(omg.postgres, 'meldpunt_e2e')} meldingen per transaction"
                )
                assert at_last_post is not None
                print(
                    f"  at the last POST: toezicht had counted {at_last_post[0]:,} of {expected:,} signals, "
                    f"{at_last_post[1]:,} outbox rows were unpublished; the relay caught up at {relay_caught_up or done:.1f} s; "
                    f"toezicht handled {events:,} events in {transactions:,} transactions "
                    f"({events / max(transactions, 1):.1f} per transaction)"
                )
                meets = "meets" if share <= TARGET_TAIL_SHARE else "MISSES"
                print(
                    f"  tail after the last POST: {tail:.1f} s of {done:.1f} s = {share:.1%} of the run "
                    f"({meets} the target ≤ {TARGET_TAIL_SHARE:.0%})"
                )
                if counted != expected:
                    failures.append(f"toezicht counted {counted} signals, expected {expected}")
                if done > TARGET_JAAR_SECONDS:
                    failures.append(f"a year end to end took {done:.1f} s (target ≤ {TARGET_JAAR_SECONDS:.0f} s)")
                if share > TARGET_TAIL_SHARE:
                    failures.append(f"the tail after the last POST was {share:.1%} of the run (target ≤ {TARGET_TAIL_SHARE:.0%})")
    finally:
        broker.stop()
    return failures


# --- main ----------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--aantal", type=int, default=3000, help="POSTs per side for the throughput part (0 skips it)")
    parser.add_argument("--jaar", type=int, default=16_530, help="meldingen of a year, end to end on Kafka (0 skips it)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn processes per side (the same for meldpunt and bare)")
    parser.add_argument("--rondes", type=int, default=2, help="alternating rounds of meldpunt and bare")
    parser.add_argument("--aanbieders", type=int, default=5000, help="synthetic providers (one vestiging each) besides the examples'")
    parser.add_argument("--timeout", type=float, default=600, help="give up on end to end after this many seconds")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--serve-bare", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare is not None:
        serve_bare(args.database_url, args.serve_bare, args.workers)
        return 0

    from meldpunt.app import service as meldpunt_definition
    from toezicht.app import service as toezicht_definition
    from zorgtoezicht.localpg import LocalPostgres, free_port
    from zorgtoezicht.migrations import upgrade

    print(f"machine: {os.cpu_count()} cores; load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="zt-bench-") as tmp:
        work = Path(tmp)
        postgres = LocalPostgres(work / "pg", free_port(), durable=True).start()
        try:
            for name, definition in (
                ("meldpunt", meldpunt_definition),
                ("meldpunt_per_melding", meldpunt_definition),
                ("meldpunt_e2e", meldpunt_definition),
                ("toezicht", toezicht_definition),
            ):
                postgres.ensure_database(name)
                upgrade(definition.root, postgres.url(name), definition.name)
            provider_events = providers(args.aanbieders, args.seed)
            for name in ("meldpunt", "meldpunt_per_melding", "meldpunt_e2e"):
                asyncio.run(seed(postgres.url(name), provider_events))
            env, token = base_env(work)
            vestigingen = [v.vestigingsnummer for p in provider_events for v in p.vestigingen]
            omg = Omgeving(postgres, work, env, token, vestigingen)
            print(
                f"durable PostgreSQL (fsync on); {len(provider_events)} providers / {len(vestigingen)} vestigingen in meldpunt's projection"
            )
            if args.aantal > 0:
                failures += throughput(
                    omg,
                    postgres.url("meldpunt"),
                    postgres.url("meldpunt_per_melding"),
                    args.aantal,
                    args.concurrency,
                    max(1, args.rondes),
                    args.seed,
                    args.workers,
                )
            if args.jaar > 0:
                failures += end_to_end(
                    omg,
                    postgres.url("meldpunt_e2e"),
                    postgres.url("toezicht"),
                    args.jaar,
                    args.concurrency,
                    args.seed,
                    args.timeout,
                    args.workers,
                )
        finally:
            postgres.stop()
    print(f"load average at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for failure in failures:
        print(f"TARGET MISSED: {failure}")
    print("all targets met" if not failures else f"{len(failures)} target(s) missed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
