"""Benchmark: rescore every provider from its stored signals after a model change (issue 9, acceptance 6).

Starts its own PostgreSQL (the embedded wheel, durable) in a temporary directory, migrates toezicht's database and
fills it with a seeded national year: N providers (default 290,000; sector, gemeente, solist or instelling) and a
year of signals in the mix of the Jaarbeeld (about 16,500 meldingen, 14,000 new registrations with their
aandachtspunten, 640 licence applications, 600 measures, 3,000 judgements). Then:

1. a first rescore with the packaged model (every provider with signals changes: events and audit rows);
2. the rescore after a model change (version 2: other weights) - the figure with the target (<= 60 s);
3. side by side, its limit in the same run: the same two ordered streams read without computing, plus a COPY of
   as many precomputed result rows into a temporary table and the same UPDATE ... FROM. The ratio says how much
   of the time is the model's Python, the rest is what the database needs anyway.

    .venv/bin/python benchmarks/toezicht_rescore.py [--aantal 290000] [--seed 2026]

Exits non-zero when the target is missed or a rebuild at the same peildatum changes a score.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import asyncpg

from toezicht.app import service
from toezicht.herberekenen import _KOLOMMEN, _PROFIELEN, _SIGNALEN, herbereken_alles
from toezicht.risicomodel import huidig_model, model_uit_data
from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.localpg import LocalPostgres, free_port
from zorgtoezicht.migrations import upgrade

TARGET_SECONDS = 60.0
PEILDATUM = date(2026, 12, 31)
MELDINGSOORTEN = [  # roughly the Jaarbeeld mix
    ("signaal", 40),
    ("klacht", 15),
    ("wkkgz-calamiteit", 15),
    ("wkkgz-geweld", 6),
    ("wkkgz-ontslag-disfunctioneren", 3),
    ("medisch-hulpmiddel-incident", 15),
    ("geneesmiddel-tekort-of-defect", 4),
    ("jeugdwet-calamiteit", 2),
]
REGELS = ["clientenraad-ontbreekt", "intern-toezicht-ontbreekt", "vergunningplicht", "melding-na-start"]
MAATREGELEN = [
    (MaatregelSoort.last_onder_dwangsom, 320),
    (MaatregelSoort.waarschuwing, 98),
    (MaatregelSoort.bestuurlijke_boete, 46),
    (MaatregelSoort.verbeterplan, 100),
    (MaatregelSoort.aanwijzing, 15),
    (MaatregelSoort.verscherpt_toezicht, 14),
    (MaatregelSoort.bevel, 2),
]


def genereer(aantal: int, seed: int) -> tuple[list[tuple], list[tuple]]:
    """Profiles and signals of a national year, the same for the same seed."""
    rnd = random.Random(seed)
    ids = sorted(uuid.UUID(int=rnd.getrandbits(128), version=4) for _ in range(aantal))
    sectoren = list(Sector)
    profielen = [
        (z, 0, rnd.choice(sectoren).value, f"GM{rnd.randint(1, 1999):04d}", "solist" if rnd.random() < 0.6 else "instelling") for z in ids
    ]
    jaar_begin = PEILDATUM - timedelta(days=364)
    signalen: list[tuple] = []

    def dag() -> date:
        return jaar_begin + timedelta(days=rnd.randrange(365))

    def signaal(z, soort, peil, code=None, **extra) -> None:
        signalen.append(
            (
                z,
                soort,
                code,
                peil,
                extra.get("uiterlijk"),
                extra.get("geldig_tot"),
                extra.get("ernstig", False),
                extra.get("waarde"),
                extra.get("waarde_deels"),
                extra.get("melder_rol"),
                f"nl.zorgtoezicht.bench.{soort}",
                uuid.UUID(int=rnd.getrandbits(128), version=4),
                0,
                uuid.UUID(int=rnd.getrandbits(128), version=4),
            )
        )

    instellingen = ids[: aantal // 5]  # meldingen concentrate on larger providers
    soorten, gewichten = zip(*MELDINGSOORTEN, strict=True)
    for _ in range(16_500):
        melder = rnd.choice([None] * 18 + ["gemeente", "toezichthouder"])
        signaal(rnd.choice(instellingen), "melding", dag(), rnd.choices(soorten, gewichten)[0], melder_rol=melder)
    for _ in range(300):
        signaal(rnd.choice(instellingen), "te-laat-gemeld", dag(), "wkkgz-calamiteit", waarde=rnd.randint(1, 30))
    nieuw = rnd.sample(ids, 14_000)
    for z in nieuw:
        signaal(z, "nieuwe-zorgaanbieder", dag())
        for regel in rnd.sample(REGELS, rnd.choice([0, 0, 0, 1, 1, 2])):
            signaal(z, "aandachtspunt", dag(), regel)
    for z in rnd.sample(nieuw, 640):
        peil = dag()
        signaal(z, "vergunning-aangevraagd", peil, uiterlijk=peil + timedelta(weeks=8))
    soorten_m, gewichten_m = zip(*MAATREGELEN, strict=True)
    for _ in range(600):
        peil = dag()
        soort = rnd.choices(soorten_m, gewichten_m)[0]
        einde = peil + timedelta(days=rnd.randint(30, 180)) if soort in ("verbeterplan", "last-onder-dwangsom") else None
        signaal(rnd.choice(instellingen), "maatregel", peil, soort.value, uiterlijk=einde)
    for _ in range(3_000):
        normen = rnd.randint(5, 20)
        niet = rnd.randint(0, normen // 3)
        deels = rnd.randint(0, (normen - niet) // 3)
        signaal(
            rnd.choice(instellingen),
            "oordeel",
            dag(),
            "inspectiebezoek",
            waarde=round(niet / normen, 4),
            waarde_deels=round(deels / normen, 4),
        )
    return profielen, signalen


SIGNAAL_KOLOMMEN = [
    "zorgaanbieder_id",
    "soort",
    "code",
    "peildatum",
    "uiterlijk",
    "geldig_tot",
    "ernstig",
    "waarde",
    "waarde_deels",
    "melder_rol",
    "bron_type",
    "bron_id",
    "volgnummer",
    "bron_object_id",
]


async def vul(url: str, profielen: list[tuple], signalen: list[tuple]) -> None:
    c = await asyncpg.connect(url)
    try:
        await c.copy_records_to_table(
            "risicoprofiel", records=profielen, columns=["zorgaanbieder_id", "aantal_signalen", "sector", "gemeente_code", "soort"]
        )
        await c.copy_records_to_table("signaal", records=signalen, columns=SIGNAAL_KOLOMMEN)
        await c.execute("VACUUM ANALYZE risicoprofiel")
        await c.execute("VACUUM ANALYZE signaal")
    finally:
        await c.close()


async def grens(url: str) -> float:
    """The limit: read both ordered streams without computing, COPY as many result rows, the same UPDATE."""
    begin = time.perf_counter()
    lezer, schrijver = await asyncpg.connect(url), await asyncpg.connect(url)
    try:
        rijen = []
        leeg = json.dumps([])
        async with lezer.transaction(isolation="repeatable_read", readonly=True), schrijver.transaction():
            await schrijver.execute(
                "CREATE TEMP TABLE herberekening (zorgaanbieder_id uuid, aantal int, score numeric(6,2), effectief numeric(6,2), "
                "redenen jsonb, triggers jsonb, laatste date) ON COMMIT DROP"
            )
            async for _ in lezer.cursor(_SIGNALEN, prefetch=5000):
                pass
            async for p in lezer.cursor(_PROFIELEN, prefetch=5000):
                rijen.append((p[0], p[5], p[6], p[6], leeg, leeg, None))
                if len(rijen) >= 5000:
                    await schrijver.copy_records_to_table("herberekening", records=rijen, columns=_KOLOMMEN)
                    rijen.clear()
            if rijen:
                await schrijver.copy_records_to_table("herberekening", records=rijen, columns=_KOLOMMEN)
            await schrijver.execute(
                "UPDATE risicoprofiel p SET aantal_signalen = h.aantal, score = h.score, effectieve_score = h.effectief, "
                "redenen = h.redenen, triggers = h.triggers, laatste_oordeel_op = h.laatste, model_versie = 'grens', peildatum = $1, "
                "berekend_op = now() FROM herberekening h WHERE p.zorgaanbieder_id = h.zorgaanbieder_id",
                PEILDATUM,
            )
            raise _Terugdraaien  # measure the work, keep the scores
    except _Terugdraaien:
        pass
    finally:
        await lezer.close()
        await schrijver.close()
    return time.perf_counter() - begin


class _Terugdraaien(Exception):
    pass


async def scores(url: str) -> dict:
    c = await asyncpg.connect(url)
    try:
        return {r[0]: (r[1], r[2], r[3]) for r in await c.fetch("SELECT zorgaanbieder_id, score, redenen, triggers FROM risicoprofiel")}
    finally:
        await c.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aantal", type=int, default=290_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zt-bench-") as tmp:
        postgres = LocalPostgres(Path(tmp) / "pg", free_port(), durable=True).start()
        try:
            postgres.ensure_database("toezicht")
            url = postgres.url("toezicht")
            upgrade(service.root, url, "toezicht")
            begin = time.perf_counter()
            profielen, signalen = genereer(args.aantal, args.seed)
            asyncio.run(vul(url, profielen, signalen))
            print(f"generated and loaded {len(profielen):,} providers and {len(signalen):,} signals in {time.perf_counter() - begin:.1f} s")

            eerste = asyncio.run(herbereken_alles(url, model=huidig_model(), peildatum=PEILDATUM))
            print(f"first rescore (packaged model {eerste.model}): {eerste.seconden:.1f} s, {eerste.gewijzigd:,} changed (events)")
            data = json.loads((Path(service.root) / "src/toezicht/risicomodel.json").read_text())
            data["versie"] = "bench.2"
            data["signalen"]["melding"]["codes"]["wkkgz-calamiteit"]["gewicht"] = 20
            data["signalen"]["oordeel"]["gewicht"] = 50
            v2 = model_uit_data(data, "bench.2")
            tweede = asyncio.run(herbereken_alles(url, model=v2, peildatum=PEILDATUM))
            limiet = asyncio.run(grens(url))
            voor = asyncio.run(scores(url))
            derde = asyncio.run(herbereken_alles(url, model=v2, peildatum=PEILDATUM))
            na = asyncio.run(scores(url))
            print(
                f"rescore after a model change ({v2.identiteit}): {tweede.seconden:.1f} s for {tweede.aantal:,} providers "
                f"({tweede.gewijzigd:,} changed: events); target <= {TARGET_SECONDS:.0f} s"
            )
            print(
                f"limit (read both streams, COPY {tweede.aantal:,} result rows, same UPDATE): {limiet:.1f} s; "
                f"ratio {tweede.seconden / limiet:.2f}x"
            )
            print(f"rebuild at the same peildatum: {derde.seconden:.1f} s, {derde.gewijzigd} changed, identical: {voor == na}")
            ok = tweede.seconden <= TARGET_SECONDS and voor == na and derde.gewijzigd == 0
            print("OK" if ok else "TARGET MISSED")
            return 0 if ok else 1
        finally:
            postgres.stop()


if __name__ == "__main__":
    sys.exit(main())
