"""Benchmark: bulk load of the national register, then search through the HTTP API (issue 3).

Starts its own PostgreSQL (embedded wheel, durable: fsync on as in production), migrates the register
database, generates N providers (default 290,000, ~1.4 vestigingen each), loads them in a fresh
process (so its peak memory is the load's alone), loads the same file again (must change nothing),
then serves the register API with uvicorn and measures search latency over real HTTP.

    .venv/bin/python benchmarks/register_bulk_load.py [--aantal 290000] [--queries 1000]

Prints the figures and exits non-zero when a target is missed: load < 60 s, peak < 1 GiB, reload
changes nothing, search p95 < 25 ms per kind (name with typos, KvK-nummer, postcode, gemeente).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from register.app import service
from zorgtoezicht.http.security import mint_token, new_signing_key
from zorgtoezicht.localpg import LocalPostgres, free_port
from zorgtoezicht.migrations import upgrade

TARGET_SECONDS, TARGET_MIB, TARGET_P95_MS = 60.0, 1024.0, 25.0


def load_in_fresh_process(url: str, path: Path) -> tuple[dict, float]:
    env = {**os.environ, "REGISTER_DATABASE_URL": url, "ZT_LOG_LEVEL": "WARNING"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run([sys.executable, "-m", "register", "laden", str(path)], env=env, capture_output=True, text=True, check=True)
    peak_mib = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return json.loads(result.stdout.strip().splitlines()[-1]), peak_mib


def counts(postgres: LocalPostgres, database: str) -> dict[str, int]:
    out = postgres.psql("SELECT (SELECT count(*) FROM zorgaanbieder) || ',' || (SELECT count(*) FROM vestiging) || ',' || "
                        "(SELECT count(*) FROM outbox) || ',' || (SELECT count(*) FROM audit_trail)", database).strip()
    names = ("zorgaanbieders", "vestigingen", "outbox", "audit_trail")
    return dict(zip(names, map(int, out.split(",")), strict=True))


def typo(rng: random.Random, text: str) -> str:
    """One realistic typing error: a letter dropped, doubled, swapped or replaced."""
    i = rng.randrange(1, max(2, len(text) - 1))
    kind = rng.choice(("drop", "double", "swap", "replace"))
    if kind == "drop":
        return text[:i] + text[i + 1:]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    if kind == "swap" and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + rng.choice("aeiourstn") + text[i + 1:]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def measure_search(base_url: str, token: str, samples: list[dict], queries: int, seed: int) -> dict[str, dict[str, float]]:
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}"}
    kinds = {
        "naam (typo)": lambda s: {"naam": typo(rng, s["statutaireNaam"])},
        "kvkNummer": lambda s: {"kvkNummer": s["kvkNummer"]},
        "postcode": lambda s: {"postcode": s["vestigingen"][0]["postcode"]},
        "gemeente": lambda s: {"gemeenteCode": s["vestigingen"][0]["gemeenteCode"]},
    }
    results: dict[str, dict[str, float]] = {}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as client:
        for kind, make in kinds.items():
            for _ in range(20):  # warm up connections and caches
                await client.post("/api/v1/zorgaanbieders/_zoek", json=make(rng.choice(samples)))
            latencies, hits = [], 0
            for _ in range(queries):
                body = make(rng.choice(samples))
                started = time.perf_counter()
                response = await client.post("/api/v1/zorgaanbieders/_zoek", json=body)
                latencies.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
                hits += bool(response.json()["results"])
            results[kind] = {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95), "p99": percentile(latencies, 99),
                             "hitRate": hits / queries}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--aantal", type=int, default=290_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="zt-bench-") as tmp:
        work = Path(tmp)
        postgres = LocalPostgres(work / "pg", free_port(), durable=True).start()
        try:
            postgres.ensure_database("register")
            url = postgres.url("register")
            upgrade(service.root, url, "register")
            data = work / "register.jsonl"
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "register", "genereer", str(data), "--aantal", str(args.aantal), "--seed", str(args.seed)],
                           check=True, capture_output=True, env={**os.environ, "REGISTER_DATABASE_URL": url})
            print(f"generated {args.aantal:,} providers in {time.perf_counter() - started:.1f} s ({data.stat().st_size / 2**20:.0f} MiB JSONL)")

            first, peak = load_in_fresh_process(url, data)
            rows_per_s = first["nieuw"] / first["seconden"]
            print(f"load:   {first['nieuw']:,} providers + {first['vestigingen']:,} vestigingen in {first['seconden']:.1f} s = "
                  f"{rows_per_s:,.0f} providers/s, {first['vestigingen'] / first['seconden']:,.0f} vestigingen/s; "
                  f"peak memory {peak:.0f} MiB; rejected {first['geweigerd']}")
            after_first = counts(postgres, "register")
            second, peak2 = load_in_fresh_process(url, data)
            after_second = counts(postgres, "register")
            print(f"reload: {second['ongewijzigd']:,} unchanged, {second['nieuw']} new, {second['gewijzigd']} changed in "
                  f"{second['seconden']:.1f} s; rows before {after_first}, after {after_second}")
            if first["seconden"] >= TARGET_SECONDS:
                failures.append(f"load took {first['seconden']:.1f} s (target < {TARGET_SECONDS:.0f} s)")
            if peak >= TARGET_MIB:
                failures.append(f"load peaked at {peak:.0f} MiB (target < {TARGET_MIB:.0f} MiB)")
            if second["nieuw"] or second["gewijzigd"] or after_first != after_second:
                failures.append("loading again changed something")

            postgres.psql("VACUUM ANALYZE", "register")
            samples = [json.loads(line) for line in data.open() if random.Random(len(line)).random() < 0.02][:5000]
            private, jwks = new_signing_key()
            port = free_port()
            env = {**os.environ, "REGISTER_DATABASE_URL": url, "ZT_AUTH_JWKS": json.dumps(jwks), "ZT_LOG_LEVEL": "WARNING",
                   "ZT_AUTH_ISSUER": "bench"}
            api = subprocess.Popen([sys.executable, "-m", "register", "api", "--port", str(port)], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                for _ in range(100):
                    try:
                        if httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=1).status_code == 200:
                            break
                    except httpx.HTTPError:
                        time.sleep(0.1)
                token = mint_token(private, issuer="bench", client_id="bench", scopes=["register.zorgaanbieders.lezen"])
                search = asyncio.run(measure_search(f"http://127.0.0.1:{port}", token, samples, args.queries, args.seed))
            finally:
                api.terminate()
                api.wait(10)
            print(f"search over HTTP, {args.queries} queries each, {after_first['zorgaanbieders']:,} providers:")
            for kind, figures in search.items():
                print(f"  {kind:<12} p50 {figures['p50']:6.1f} ms  p95 {figures['p95']:6.1f} ms  p99 {figures['p99']:6.1f} ms  "
                      f"hits {figures['hitRate']:.0%}")
                if figures["p95"] >= TARGET_P95_MS:
                    failures.append(f"search {kind} p95 {figures['p95']:.1f} ms (target < {TARGET_P95_MS:.0f} ms)")
        finally:
            postgres.stop()
    for failure in failures:
        print(f"TARGET MISSED: {failure}")
    print("all targets met" if not failures else f"{len(failures)} target(s) missed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
