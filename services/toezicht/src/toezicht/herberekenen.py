"""Rescore every provider from its stored signals: after a model change, or to prove a rebuild reproduces every score.

``python -m toezicht herberekenen [--peildatum YYYY-MM-DD] [--model FILE]`` (the database from TOEZICHT_DATABASE_URL,
the model from ``--model``, else TOEZICHT_RISICOMODEL, else the packaged one).

Two ordered streams (profiles by id, signals by provider and id) are merged in Python, each provider is computed
with the same pure function the event handlers use (``risicomodel.bereken``), and the results go back in bulk:
COPY into a temporary table, then one ``UPDATE … FROM`` in the same transaction.

Events: a rescore must not flood the bus. Only a provider whose risk content changed (number of signals, score or
the set of open triggers) gets a ``RisicoprofielGewijzigd`` and an audit row, written in the same transaction through
the outbox (COPY as well), exactly what the handlers would have announced; a provider whose only change is the model
version is updated silently (the model version is in the run's report and on every profile).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg

from toezicht.risicomodel import Aanbieder, Risicomodel, Signaal, bereken, huidig_model, laad_model
from zorgtoezicht import klok
from zorgtoezicht.audit import ACTIES, AUDIT_COLUMNS
from zorgtoezicht.events.contracts.toezicht import RisicoprofielGewijzigd
from zorgtoezicht.events.envelope import EventFactory
from zorgtoezicht.logs import new_correlation_id
from zorgtoezicht.settings import PlatformSettings

APPLICATIE = "toezicht.herberekenen"
_PROFIELEN = (
    "SELECT zorgaanbieder_id, sector, gestopt_op, kwaliteitssysteem, overschreven_score, aantal_signalen, score::float8, "
    "ARRAY(SELECT t->>'code' FROM jsonb_array_elements(triggers) t ORDER BY t->>'code' COLLATE \"C\") "
    "FROM risicoprofiel ORDER BY zorgaanbieder_id"
)
_SIGNALEN = (
    "SELECT zorgaanbieder_id, soort, code, peildatum, bron_type, bron_id::text, uiterlijk, geldig_tot, ernstig, "
    "waarde::float8, waarde_deels::float8, melder_rol FROM signaal ORDER BY zorgaanbieder_id, id"
)
_KOLOMMEN = ["zorgaanbieder_id", "aantal", "score", "effectief", "redenen", "triggers", "laatste"]


@dataclass
class Rapport:
    aantal: int = 0
    gewijzigd: int = 0  # risk content changed: event and audit row
    seconden: float = 0.0
    model: str = ""
    peildatum: date | None = None

    def samenvatting(self) -> dict[str, Any]:
        return {
            "profielen": self.aantal,
            "gewijzigd": self.gewijzigd,
            "seconden": round(self.seconden, 2),
            "model": self.model,
            "peildatum": self.peildatum.isoformat() if self.peildatum else None,
        }


def _dsn(url: str) -> str:
    for prefix in ("postgresql+asyncpg://", "postgresql+psycopg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


@asynccontextmanager
async def _verbindingen(database: Any) -> AsyncIterator[tuple[asyncpg.Connection, asyncpg.Connection]]:
    """Reading and writing asyncpg connections: from a service's ``Database`` (its pool) or new ones for a URL."""
    if hasattr(database, "engine"):
        async with database.engine.connect() as a, database.engine.connect() as b:
            yield (await a.get_raw_connection()).driver_connection, (await b.get_raw_connection()).driver_connection
        return
    lezer = await asyncpg.connect(_dsn(str(database)))
    try:
        schrijver = await asyncpg.connect(_dsn(str(database)))
        try:
            yield lezer, schrijver
        finally:
            await schrijver.close()
    finally:
        await lezer.close()


def _signaal(r: asyncpg.Record) -> Signaal:
    return Signaal(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11])


async def herbereken_alles(
    database: Any,
    *,
    model: Risicomodel | None = None,
    peildatum: date | None = None,
    public_url: str | None = None,
    oin: str | None = None,
    batch: int = 5000,
) -> Rapport:
    """Rescore every profile at ``peildatum`` (default today) with ``model`` (default the model in force)."""
    begin = time.perf_counter()
    model = model or huidig_model()
    peildatum = peildatum or klok.vandaag()
    rapport = Rapport(model=model.identiteit, peildatum=peildatum)
    api_base = (public_url or os.environ.get("TOEZICHT_PUBLIC_URL") or "http://localhost:8102").rstrip("/") + "/api/v1"
    factory = EventFactory(oin=oin or PlatformSettings().oin, system="toezicht", api_base_url=api_base)
    correlatie = new_correlation_id()
    nu = klok.nu()
    resultaten: list[tuple] = []
    outbox: list[tuple] = []
    audit: list[tuple] = []
    async with _verbindingen(database) as (lezer, schrijver):
        async with lezer.transaction(isolation="repeatable_read", readonly=True), schrijver.transaction():
            await schrijver.execute(
                "CREATE TEMP TABLE herberekening (zorgaanbieder_id uuid, aantal int, score numeric(6,2), effectief numeric(6,2), "
                "redenen jsonb, triggers jsonb, laatste date) ON COMMIT DROP"
            )
            signalen = lezer.cursor(_SIGNALEN, prefetch=batch).__aiter__()
            volgende = await anext(signalen, None)
            async for p in lezer.cursor(_PROFIELEN, prefetch=batch):
                zid = p[0]
                eigen: list[Signaal] = []
                while volgende is not None and volgende[0] < zid:  # signals of a provider without a profile: skipped
                    volgende = await anext(signalen, None)
                while volgende is not None and volgende[0] == zid:
                    eigen.append(_signaal(volgende))
                    volgende = await anext(signalen, None)
                uitkomst = bereken(model, Aanbieder(sector=p[1], gestopt_op=p[2], kwaliteitssysteem=p[3]), eigen, peildatum)
                score = float(uitkomst.score)
                effectief = p[4] if p[4] is not None else score
                resultaten.append(
                    (
                        zid,
                        len(eigen),
                        uitkomst.score,
                        effectief,
                        json.dumps(uitkomst.redenen),
                        json.dumps(uitkomst.triggers),
                        uitkomst.laatste_oordeel_op,
                    )
                )
                oud = {"aantalSignalen": p[5], "score": float(p[6]), "triggers": list(p[7])}
                nieuw = {"aantalSignalen": len(eigen), "score": score, "triggers": sorted(t["code"] for t in uitkomst.triggers)}
                if oud != nieuw:
                    event = factory.build(
                        RisicoprofielGewijzigd(
                            zorgaanbieder_id=zid,
                            aantal_signalen=len(eigen),
                            score=score,
                            effectieve_score=float(effectief),
                            aantal_triggers=len(uitkomst.triggers),
                            model_versie=model.identiteit,
                        ),
                        correlation_id=correlatie,
                    )
                    outbox.append((uuid.UUID(event.id), event.type, RisicoprofielGewijzigd.topic.value, str(zid), event.to_bytes()))
                    url = f"{api_base}/risicoprofielen/{zid}"
                    wijzigingen = json.dumps({"oud": oud, "nieuw": nieuw})
                    toelichting = f"herberekening met risicomodel {model.identiteit}"
                    weergave = f"Risicoprofiel {str(zid)[:8]}"
                    audit.append(
                        (
                            uuid.uuid4(),
                            correlatie,
                            "toezicht",
                            APPLICATIE,
                            APPLICATIE,
                            "",
                            "systeem",
                            "partial_update",
                            ACTIES["partial_update"],
                            200,
                            zid,
                            url,
                            "risicoprofiel",
                            url,
                            weergave,
                            toelichting,
                            wijzigingen,
                            nu,
                        )
                    )
                rapport.aantal += 1
                if len(resultaten) >= batch:
                    await schrijver.copy_records_to_table("herberekening", records=resultaten, columns=_KOLOMMEN)
                    resultaten.clear()
            if resultaten:
                await schrijver.copy_records_to_table("herberekening", records=resultaten, columns=_KOLOMMEN)
            await schrijver.execute(
                "UPDATE risicoprofiel p SET aantal_signalen = h.aantal, score = h.score, effectieve_score = h.effectief, "
                "redenen = h.redenen, triggers = h.triggers, laatste_oordeel_op = h.laatste, model_versie = $1, peildatum = $2, "
                "berekend_op = $3 FROM herberekening h WHERE p.zorgaanbieder_id = h.zorgaanbieder_id",
                model.identiteit,
                peildatum,
                nu,
            )
            if outbox:
                await schrijver.copy_records_to_table(
                    "outbox", records=outbox, columns=["event_id", "event_type", "topic", "record_key", "payload"]
                )
                await schrijver.copy_records_to_table("audit_trail", records=audit, columns=AUDIT_COLUMNS)
            rapport.gewijzigd = len(outbox)
    rapport.seconden = time.perf_counter() - begin
    return rapport


def main(argv: list[str]) -> None:
    """``python -m toezicht herberekenen [--peildatum YYYY-MM-DD] [--model FILE]``"""
    from toezicht.settings import ToezichtSettings

    parser = argparse.ArgumentParser(prog="python -m toezicht herberekenen", description="Rescore every provider from its stored signals")
    parser.add_argument("--peildatum", type=date.fromisoformat, default=None, help="compute for this day (default today)")
    parser.add_argument("--model", default=None, help="a risk model JSON file (default TOEZICHT_RISICOMODEL or the packaged model)")
    args = parser.parse_args(argv)
    settings = ToezichtSettings()
    model = laad_model(args.model) if args.model else huidig_model()
    rapport = asyncio.run(herbereken_alles(settings.database_url, model=model, peildatum=args.peildatum, public_url=settings.public_url))
    print(json.dumps(rapport.samenvatting()))
