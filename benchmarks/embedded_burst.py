"""Benchmark: a burst of register events through the embedded mode's in-process bus (issue 11, item 3, acceptance 3).

Starts its own PostgreSQL (the embedded wheel) in a temporary directory and the four services on one in-process
bus exactly as ``make run`` wires them (the same relays with their poll interval, every subscriber of every service),
bulk-loads N new providers into register (default 1,000: one ``zorgaanbieder-geregistreerd`` each, committed with
the rows) and measures how long until meldpunt's projection (``bekende_zorgaanbieder``) holds all of them.

Side by side, its limits in the same run, each applying the very same messages straight from a list (no outbox,
no relay) into fresh databases, in batches of the relay's size: meldpunt's own consumer alone, and every consumer
of those messages (meldpunt's, toezicht's, handhaving's) one after the other - they share the one process of the
embedded mode, so together they are what the bus must keep up with (item 3: delivery at least as fast as the
consumers can apply the events). The ratios say how much the chain adds to what the consumers need anyway.

    .venv/bin/python benchmarks/embedded_burst.py [--aantal 1000] [--target 10]

Exits non-zero when the burst does not reach meldpunt within the target.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from register.bulk import laad
from register.synthetic import write_jsonl
from zorgtoezicht.devauth import ensure_dev_keys
from zorgtoezicht.localpg import LocalPostgres, free_port
from zorgtoezicht.messaging.bus import InProcessBus, Message
from zorgtoezicht.migrations import upgrade
from zorgtoezicht.runner import load_definition
from zorgtoezicht.service import ServiceRuntime
from zorgtoezicht.settings import PlatformSettings

SERVICES = ("meldpunt", "toezicht", "handhaving", "register")
RELAY_POLL_INTERVAL = 0.5  # as zorgtoezicht.embedded


class Vastleggende(InProcessBus):
    """The in-process bus that also keeps what it delivered, for the limit run."""

    def __init__(self) -> None:
        super().__init__()
        self.geleverd: list[Message] = []

    async def publish_many(self, messages) -> None:
        self.geleverd.extend(messages)
        await super().publish_many(messages)


async def _runtime(postgres: LocalPostgres, name: str, database: str, bus: InProcessBus) -> ServiceRuntime:
    definition = load_definition(name)
    await asyncio.to_thread(postgres.ensure_database, database)
    settings = definition.settings_class(database_url=postgres.url(database))
    await asyncio.to_thread(upgrade, definition.root, settings.database_url, name)
    return ServiceRuntime(definition, settings=settings, platform=PlatformSettings(), publisher=bus)


async def _count(runtime: ServiceRuntime) -> int:
    async with runtime.db.transaction() as session:
        return int(await session.scalar(text("SELECT count(*) FROM bekende_zorgaanbieder")))


async def _verwerk(berichten: list[Message], verwerkers: list) -> float:
    """Seconds for these processors to apply the messages one after the other, in batches of the relay's size."""
    batch = 200
    begin = time.perf_counter()
    for start in range(0, len(berichten), batch):
        for verwerker in verwerkers:
            await verwerker.process_batch(berichten[start : start + batch])
    return time.perf_counter() - begin


async def main(aantal: int, target: float) -> int:
    os.environ.setdefault("ZT_DEV_SLEUTELS", "1")
    with tempfile.TemporaryDirectory(prefix="zt-burst-") as tmp:
        os.environ["ZT_HOME"] = tmp
        _, jwks = ensure_dev_keys(Path(tmp))  # the runtimes verify tokens; none is used here
        os.environ.setdefault("ZT_AUTH_JWKS_FILE", str(jwks))
        postgres = LocalPostgres(Path(tmp) / "pgdata", free_port(), durable=True)
        await asyncio.to_thread(postgres.start)
        runtimes: dict[str, ServiceRuntime] = {}
        try:
            bus = Vastleggende()
            for name in SERVICES:
                runtimes[name] = await _runtime(postgres, name, f"zt_{name}", bus)
                for processor in runtimes[name].processors(dead_letter_publisher=None):
                    bus.subscribe(processor)
            stop = asyncio.Event()
            tasks = [asyncio.create_task(r.relay(poll_interval=RELAY_POLL_INTERVAL).run(stop)) for r in runtimes.values()]

            bestand = write_jsonl(Path(tmp) / "burst.jsonl", aantal, seed=2026)
            register = runtimes["register"]
            await laad(register.settings.database_url, bestand, public_url=register.settings.public_url)
            begin = time.perf_counter()  # the burst is committed: its events wait in register's outbox
            meldpunt = runtimes["meldpunt"]
            while await _count(meldpunt) < aantal:
                if time.perf_counter() - begin > 120:
                    print(f"FAIL: only {await _count(meldpunt)} of {aantal} providers reached meldpunt in 120 s")
                    return 1
                await asyncio.sleep(0.05)
            keten = time.perf_counter() - begin
            stop.set()
            await asyncio.gather(*tasks)

            # The limits: the same messages straight from a list, into fresh databases.
            verzameld = [m for m in bus.geleverd if m.topic.endswith("zorgaanbieders")]
            topics = {m.topic for m in verzameld}
            grenzen = {naam: await _runtime(postgres, naam, f"zt_{naam}_grens", InProcessBus()) for naam in SERVICES if naam != "register"}
            runtimes |= {f"{naam}-grens": runtime for naam, runtime in grenzen.items()}
            verwerkers = [
                p for runtime in grenzen.values() for p in runtime.processors(dead_letter_publisher=None) if p.subscription.topic in topics
            ]
            [alleen_meldpunt] = [p for p in verwerkers if p.subscription.consumer == "meldpunt.zorgaanbieders"]
            limiet = await _verwerk(verzameld, [alleen_meldpunt])
            assert await _count(grenzen["meldpunt"]) == aantal
            andere = [p for p in verwerkers if p is not alleen_meldpunt]
            limiet_allen = limiet + await _verwerk(verzameld, andere)  # meldpunt's part is already done
        finally:
            for runtime in runtimes.values():
                await runtime.close()
            await asyncio.to_thread(postgres.stop)

    print(f"burst of {aantal} register events (one per provider), embedded mode, in-process bus")
    print(f"  chain: register outbox -> relay -> bus -> every subscriber; meldpunt's projection complete after {keten:.2f} s")
    print(f"         {aantal / keten:.0f} events/s (target: within {target:.0f} s)")
    print(f"  limit: meldpunt's consumer alone on the same {len(verzameld)} messages: {limiet:.2f} s ({aantal / limiet:.0f} events/s)")
    print(f"         ratio chain / limit: {keten / limiet:.2f}x")
    namen = ", ".join(sorted(p.subscription.consumer for p in [alleen_meldpunt, *andere]))
    print(f"  limit: every consumer of them one after the other ({namen}): {limiet_allen:.2f} s ({aantal / limiet_allen:.0f} events/s)")
    print(f"         ratio chain / limit: {keten / limiet_allen:.2f}x (1.0: the events are delivered as fast as they apply them)")
    if keten > target:
        print(f"FAIL: {keten:.2f} s > {target:.0f} s")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aantal", type=int, default=1000)
    parser.add_argument("--target", type=float, default=10.0)
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.aantal, args.target)))
