"""Bulk load of the register from a JSONL or CSV export: idempotent on KvK-nummer, at national scale.

Per chunk of records, in one transaction: validate each record (a bad one is reported with its line
number and reason, never aborting the load), look up which KvK-nummers and vestigingsnummers are
known, and then COPY the new providers, update the changed ones (hash of the facts differs), and
skip the unchanged ones entirely — no write, no event, no audit row. New and changed providers get
their event in the outbox (``zorgaanbieder-geregistreerd`` / ``-gewijzigd``) and an audit trail row,
in the same transaction. A crash leaves whole chunks; running the load again completes it.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from pydantic import ValidationError

from register import rules
from register.schemas import ZorgaanbiederGegevens
from register.service import inhoud_hash
from register.synthetic import CSV_LIST_COLUMNS, CSV_PROVIDER_COLUMNS, CSV_VESTIGING_COLUMNS, write_csv, write_jsonl
from register.zoeken_normalisatie import woorden, zoeknaam
from zorgtoezicht.audit import ACTIES
from zorgtoezicht.events.contracts.register import ZorgaanbiederGeregistreerd, ZorgaanbiederGewijzigd
from zorgtoezicht.events.envelope import Topic
from zorgtoezicht.logs import new_correlation_id
from zorgtoezicht.settings import PlatformSettings

APPLICATIE = "bulk-load"
ZORGAANBIEDER_COLUMNS = [
    "id", "kvk_nummer", "statutaire_naam", "handelsnamen", "rechtsvorm", "soort", "agb_code", "sectoren", "zorgsoorten",
    "financiering", "aantal_zorgverleners", "aantal_clienten", "heeft_clientenraad", "heeft_intern_toezicht", "levert_msz",
    "startdatum_zorg", "status", "vergunningplichtig", "vergunningstatus", "zoeknaam", "inhoud_hash", "versie",
    "geregistreerd_op", "gewijzigd_op",
]
FACT_COLUMNS = ZORGAANBIEDER_COLUMNS[2:18] + ["zoeknaam", "inhoud_hash"]  # what a reload may change
VESTIGING_COLUMNS = ["vestigingsnummer", "zorgaanbieder_id", "kvk_nummer", "naam", "adres", "postcode", "plaats", "gemeente_code", "gemeente"]
OUTBOX_COLUMNS = ["event_id", "event_type", "topic", "record_key", "payload"]
AUDIT_COLUMNS = ["uuid", "request_id", "bron", "applicatie_id", "applicatie_weergave", "gebruikers_id", "gebruikers_weergave",
                 "actie", "actie_weergave", "resultaat", "hoofd_object_id", "hoofd_object", "resource", "resource_url",
                 "resource_weergave", "toelichting", "aanmaakdatum", "wijzigingen"]


@dataclass
class LaadRapport:
    gelezen: int = 0
    nieuw: int = 0
    gewijzigd: int = 0
    ongewijzigd: int = 0
    weigeringen: list[tuple[int, str]] = field(default_factory=list)
    vestigingen: int = 0
    seconden: float = 0.0

    @property
    def geweigerd(self) -> int:
        return len(self.weigeringen)

    def samenvatting(self) -> dict[str, Any]:
        return {"gelezen": self.gelezen, "nieuw": self.nieuw, "gewijzigd": self.gewijzigd, "ongewijzigd": self.ongewijzigd,
                "geweigerd": self.geweigerd, "vestigingen": self.vestigingen, "seconden": round(self.seconden, 2)}


# --- reading ----------------------------------------------------------------------------------------

def lees(path: Path) -> Iterator[tuple[int, bytes | dict[str, Any] | None, str | None]]:
    """(line number, raw record or None, reason when unreadable) per provider."""
    if path.suffix.lower() == ".csv":
        yield from _lees_csv(path)
        return
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line, None


def _lees_csv(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        missing = [c for c in CSV_PROVIDER_COLUMNS + [f"vestiging.{c}" for c in CSV_VESTIGING_COLUMNS] if c not in (reader.fieldnames or [])]
        if missing:
            yield 1, None, f"header lacks columns: {', '.join(missing)}"
            return
        current: dict[str, Any] | None = None
        first_line = 0
        for row in reader:
            line = reader.line_num
            kvk = row["kvkNummer"]
            if current is None or current["kvkNummer"] != kvk:
                if current is not None:
                    yield first_line, current, None
                current, first_line = {c: _csv_parse(c, row[c]) for c in CSV_PROVIDER_COLUMNS}, line
                current["vestigingen"] = []
            current["vestigingen"].append({c: _csv_parse(c, row[f"vestiging.{c}"]) for c in CSV_VESTIGING_COLUMNS})
        if current is not None:
            yield first_line, current, None


def _csv_parse(column: str, value: str | None) -> Any:
    if value is None or value == "":
        return [] if column in CSV_LIST_COLUMNS else None
    if column in CSV_LIST_COLUMNS:
        return value.split("|")
    if value in ("ja", "nee") and column.startswith(("heeft", "levert")):
        return value == "ja"
    if column in ("aantalZorgverleners", "aantalClienten") and value.isdigit():
        return int(value)
    return value


def _reden(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'record'}: {e['msg']}" for e in error.errors(include_url=False)[:10])


# --- loading ----------------------------------------------------------------------------------------

@dataclass
class _Record:
    regel: int
    gegevens: ZorgaanbiederGegevens
    hash: str
    id: uuid.UUID | None = None
    oude_versie: int = 0


class Lader:
    def __init__(self, connection: asyncpg.Connection, *, public_url: str, oin: str, bron: str) -> None:
        self.connection = connection
        self.api_base = public_url.rstrip("/") + "/api/v1"
        self.source = f"urn:nld:oin:{oin}:systeem:register"
        self.bron = bron
        self.correlation_id = new_correlation_id()
        self.kvk_gezien: set[str] = set()
        self.vestigingen_gezien: set[str] = set()
        self.drempels = rules.Drempels()

    def valideer(self, regel: int, raw: bytes | dict[str, Any], rapport: LaadRapport) -> _Record | None:
        try:
            gegevens = (ZorgaanbiederGegevens.model_validate_json(raw) if isinstance(raw, bytes)
                        else ZorgaanbiederGegevens.model_validate(raw))
        except ValidationError as error:
            rapport.weigeringen.append((regel, _reden(error)))
            return None
        if gegevens.kvk_nummer in self.kvk_gezien:
            rapport.weigeringen.append((regel, f"kvkNummer {gegevens.kvk_nummer} occurs earlier in this file"))
            return None
        dubbel = [v.vestigingsnummer for v in gegevens.vestigingen if v.vestigingsnummer in self.vestigingen_gezien]
        if dubbel:
            rapport.weigeringen.append((regel, f"vestigingsnummer {', '.join(dubbel)} occurs earlier in this file"))
            return None
        self.kvk_gezien.add(gegevens.kvk_nummer)
        self.vestigingen_gezien.update(v.vestigingsnummer for v in gegevens.vestigingen)
        return _Record(regel, gegevens, inhoud_hash(gegevens.model_dump(mode="json", by_alias=True)))

    async def schrijf(self, records: list[_Record], rapport: LaadRapport) -> None:
        if not records:
            return
        c = self.connection
        known = {row["kvk_nummer"]: row for row in await c.fetch(
            "SELECT id, kvk_nummer, inhoud_hash, versie FROM zorgaanbieder WHERE kvk_nummer = ANY($1::text[])",
            [r.gegevens.kvk_nummer for r in records])}
        owners = {row["vestigingsnummer"]: row["zorgaanbieder_id"] for row in await c.fetch(
            "SELECT vestigingsnummer, zorgaanbieder_id FROM vestiging WHERE vestigingsnummer = ANY($1::text[])",
            [v.vestigingsnummer for r in records for v in r.gegevens.vestigingen])}
        nieuw, gewijzigd = [], []
        for record in records:
            existing = known.get(record.gegevens.kvk_nummer)
            record.id = existing["id"] if existing else uuid.uuid4()
            taken = [v.vestigingsnummer for v in record.gegevens.vestigingen
                     if owners.get(v.vestigingsnummer, record.id) != record.id]
            if taken:
                rapport.weigeringen.append((record.regel, f"vestigingsnummer {', '.join(taken)} belongs to another zorgaanbieder"))
            elif existing is None:
                nieuw.append(record)
            elif existing["inhoud_hash"] == record.hash:
                rapport.ongewijzigd += 1
            else:
                record.oude_versie = existing["versie"]
                gewijzigd.append(record)
        if not nieuw and not gewijzigd:
            return
        now = datetime.now(UTC)
        oud = await self._oude_feiten([r.id for r in gewijzigd]) if gewijzigd else {}
        async with c.transaction():
            if nieuw:
                await c.copy_records_to_table("zorgaanbieder", records=[self._rij(r, now) for r in nieuw], columns=ZORGAANBIEDER_COLUMNS)
            if gewijzigd:
                await c.execute("CREATE TEMP TABLE IF NOT EXISTS bulk_zorgaanbieder (LIKE zorgaanbieder) ON COMMIT DELETE ROWS")
                await c.copy_records_to_table("bulk_zorgaanbieder", records=[self._rij(r, now) for r in gewijzigd],
                                              columns=ZORGAANBIEDER_COLUMNS)
                assignments = ", ".join(f"{col} = b.{col}" for col in FACT_COLUMNS)
                await c.execute(f"UPDATE zorgaanbieder z SET {assignments}, versie = z.versie + 1, gewijzigd_op = b.gewijzigd_op "
                                "FROM bulk_zorgaanbieder b WHERE z.id = b.id")
                await c.execute("DELETE FROM vestiging WHERE zorgaanbieder_id = ANY($1::uuid[])", [r.id for r in gewijzigd])
            if gewijzigd:
                await c.execute("WITH oud AS (DELETE FROM zorgaanbieder_woord WHERE zorgaanbieder_id = ANY($1::uuid[]) RETURNING woord) "
                                "UPDATE zoekwoord w SET aantal = w.aantal - o.n FROM (SELECT woord, count(*) AS n FROM oud GROUP BY woord) o "
                                "WHERE w.woord = o.woord", [r.id for r in gewijzigd])
            woordrijen = [(w, r.id) for r in nieuw + gewijzigd for w in woorden(zoeknaam(r.gegevens.statutaire_naam, r.gegevens.handelsnamen))]
            await c.copy_records_to_table("zorgaanbieder_woord", records=woordrijen, columns=["woord", "zorgaanbieder_id"])
            telling: dict[str, int] = {}
            for woord, _ in woordrijen:
                telling[woord] = telling.get(woord, 0) + 1
            vocabulaire = sorted(telling)
            await c.execute("INSERT INTO zoekwoord (woord, aantal) SELECT * FROM unnest($1::text[], $2::int[]) "
                            "ON CONFLICT (woord) DO UPDATE SET aantal = zoekwoord.aantal + EXCLUDED.aantal",
                            vocabulaire, [telling[w] for w in vocabulaire])
            vestigingen = [self._vestiging(v, r.id, r.gegevens.kvk_nummer) for r in nieuw + gewijzigd for v in r.gegevens.vestigingen]
            await c.copy_records_to_table("vestiging", records=vestigingen, columns=VESTIGING_COLUMNS)
            events = [self._event(r, now, ZorgaanbiederGeregistreerd) for r in nieuw]
            events += [self._event(r, now, ZorgaanbiederGewijzigd) for r in gewijzigd]
            await c.copy_records_to_table("outbox", records=events, columns=OUTBOX_COLUMNS)
            audit = [self._audit(r, now, None) for r in nieuw] + [self._audit(r, now, oud.get(r.id)) for r in gewijzigd]
            await c.copy_records_to_table("audit_trail", records=audit, columns=AUDIT_COLUMNS)
        rapport.nieuw += len(nieuw)
        rapport.gewijzigd += len(gewijzigd)
        rapport.vestigingen += len(vestigingen)

    def _vergunningplichtig(self, g: ZorgaanbiederGegevens) -> bool:
        return g.soort == "instelling" and rules.is_vergunningplichtig(rules.WtzaFeiten(
            soort=g.soort, financiering=frozenset(g.financiering), aantal_zorgverleners=g.aantal_zorgverleners or 0,
            aantal_clienten=g.aantal_clienten, levert_msz=g.levert_msz, zorgsoorten=frozenset(g.zorgsoorten), uitzondering=None,
            heeft_clientenraad=bool(g.heeft_clientenraad), heeft_intern_toezicht=bool(g.heeft_intern_toezicht),
            startdatum_zorg=g.startdatum_zorg or datetime.now(UTC).date(), meldingsdatum=datetime.now(UTC).date()), self.drempels)

    def _rij(self, r: _Record, now: datetime) -> tuple:
        g = r.gegevens
        return (r.id, g.kvk_nummer, g.statutaire_naam, list(g.handelsnamen), g.rechtsvorm, g.soort, g.agb_code,
                [s.value for s in g.sectoren], list(g.zorgsoorten), list(g.financiering), g.aantal_zorgverleners,
                g.aantal_clienten, g.heeft_clientenraad, g.heeft_intern_toezicht, g.levert_msz, g.startdatum_zorg, g.status,
                self._vergunningplichtig(g), "geen", zoeknaam(g.statutaire_naam, g.handelsnamen), r.hash, 1, now, now)

    @staticmethod
    def _vestiging(v: Any, zorgaanbieder_id: uuid.UUID, kvk_nummer: str) -> tuple:
        return (v.vestigingsnummer, zorgaanbieder_id, kvk_nummer, v.naam, v.adres, v.postcode, v.plaats, v.gemeente_code, v.gemeente or "")

    def _event(self, r: _Record, now: datetime, contract: type) -> tuple:
        g = r.gegevens
        data: dict[str, Any] = {
            "zorgaanbiederId": str(r.id), "kvkNummer": g.kvk_nummer, "soort": g.soort,
            "sectoren": [s.value for s in g.sectoren], "status": g.status,
            "vergunningplichtig": self._vergunningplichtig(g),
            "vestigingen": [{"vestigingsnummer": v.vestigingsnummer, "gemeente": v.gemeente, "gemeenteCode": v.gemeente_code}
                            for v in g.vestigingen],
        }
        if contract is ZorgaanbiederGewijzigd:
            data["versie"] = r.oude_versie + 1
        event_id = uuid.uuid4()
        envelope = {
            "specversion": "1.0", "id": str(event_id), "source": self.source, "type": contract.full_type(),
            "time": now.isoformat(timespec="microseconds").replace("+00:00", "Z"), "subject": str(r.id),
            "datacontenttype": "application/json", "dataref": f"{self.api_base}/zorgaanbieders/{r.id}",
            "correlationid": self.correlation_id, "data": data,
        }
        payload = json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode()
        return (event_id, contract.full_type(), Topic.zorgaanbieders.value, str(r.id), payload)

    def _audit(self, r: _Record, now: datetime, oud: dict[str, Any] | None) -> tuple:
        actie = "create" if oud is None else "update"
        nieuw = r.gegevens.model_dump(mode="json", by_alias=True)
        url = f"{self.api_base}/zorgaanbieders/{r.id}"
        return (uuid.uuid4(), self.correlation_id, "register", APPLICATIE, "Bulklading register", "", "systeem", actie,
                ACTIES[actie], 201 if oud is None else 200, r.id, url, "zorgaanbieder", url,
                f"Zorgaanbieder KvK {r.gegevens.kvk_nummer}", self.bron, now,
                json.dumps({"oud": oud, "nieuw": nieuw}, ensure_ascii=False))

    async def _oude_feiten(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
        rows = await self.connection.fetch(
            "SELECT z.id, z.kvk_nummer, z.statutaire_naam, z.versie, z.inhoud_hash, "
            "coalesce(json_agg(v.vestigingsnummer ORDER BY v.vestigingsnummer) FILTER (WHERE v.vestigingsnummer IS NOT NULL), '[]') AS v "
            "FROM zorgaanbieder z LEFT JOIN vestiging v ON v.zorgaanbieder_id = z.id WHERE z.id = ANY($1::uuid[]) GROUP BY z.id", ids)
        return {row["id"]: {"kvkNummer": row["kvk_nummer"], "statutaireNaam": row["statutaire_naam"], "versie": row["versie"],
                            "inhoudHash": row["inhoud_hash"], "vestigingen": json.loads(row["v"])} for row in rows}


async def laad(database_url: str, path: Path, *, chunk_size: int = 5000, public_url: str = "http://localhost:8104",
               oin: str | None = None) -> LaadRapport:
    """Load ``path`` (``.jsonl`` or ``.csv``) into the register database at ``database_url``."""
    started = time.perf_counter()
    rapport = LaadRapport()
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(dsn)
    try:
        lader = Lader(connection, public_url=public_url, oin=oin or PlatformSettings().oin, bron=f"bulk load {path.name}")
        batch: list[_Record] = []
        for regel, raw, reden in lees(path):
            rapport.gelezen += 1
            if raw is None:
                rapport.weigeringen.append((regel, reden or "unreadable"))
                continue
            record = lader.valideer(regel, raw, rapport)
            if record is not None:
                batch.append(record)
            if len(batch) >= chunk_size:
                await lader.schrijf(batch, rapport)
                batch = []
        await lader.schrijf(batch, rapport)
    finally:
        await connection.close()
    rapport.weigeringen.sort()
    rapport.seconden = time.perf_counter() - started
    return rapport


def main(argv: list[str]) -> None:
    """``python -m register laden <file.jsonl|.csv> [--rapport weigeringen.json]``"""
    from register.settings import RegisterSettings

    parser = argparse.ArgumentParser(prog="python -m register laden", description="Bulk load providers and vestigingen")
    parser.add_argument("bestand", type=Path)
    parser.add_argument("--rapport", type=Path, help="write the rejected rows (line, reason) here as JSON")
    parser.add_argument("--chunk", type=int, default=5000)
    args = parser.parse_args(argv)
    settings = RegisterSettings()
    rapport = asyncio.run(laad(settings.database_url, args.bestand, chunk_size=args.chunk, public_url=settings.public_url))
    print(json.dumps(rapport.samenvatting()))
    if args.rapport:
        args.rapport.write_text(json.dumps([{"regel": r, "reden": reden} for r, reden in rapport.weigeringen], ensure_ascii=False, indent=1))


def genereer_main(argv: list[str]) -> None:
    """``python -m register genereer <file.jsonl|.csv> --aantal N [--seed S]``"""
    parser = argparse.ArgumentParser(prog="python -m register genereer", description="Write synthetic register data")
    parser.add_argument("bestand", type=Path)
    parser.add_argument("--aantal", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    (write_csv if args.bestand.suffix.lower() == ".csv" else write_jsonl)(args.bestand, args.aantal, args.seed)
    print(args.bestand)
