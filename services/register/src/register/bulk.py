"""Bulk load of the register from a JSONL or CSV export: idempotent on KvK-nummer, at national scale.

Input (chosen by the file extension):

- ``.jsonl``: one provider per line in the input shape of ``ZorgaanbiederGegevens`` (camelCase JSON,
  with its ``vestigingen``); blank lines are skipped.
- ``.csv``: semicolon-separated UTF-8 with a header, one row per vestiging and the provider columns
  repeated on every row of that provider (consecutive rows with one KvK-nummer are one provider); lists
  joined with ``|``, booleans ``ja``/``nee``, empty = absent. The columns are documented in
  ``register.synthetic`` (``CSV_PROVIDER_COLUMNS`` + ``vestiging.<CSV_VESTIGING_COLUMNS>``).

Every record is validated with ``ZorgaanbiederGegevens``. A bad record never aborts the load: it is
reported with its line number and reason (``LaadRapport.weigeringen``) and the rest loads. Also refused:
a KvK-nummer that occurs earlier in the file (the first one loads), a vestigingsnummer that occurs
earlier in the file or belongs to another zorgaanbieder in the database.

Idempotent on KvK-nummer: a new one is inserted with its vestigingen; a known one whose facts changed
(``zorgaanbieder.inhoud_hash``, the same digest the API stores) is updated, its vestigingen replaced
and ``versie`` raised; an unchanged one causes nothing at all — no write, no event, no audit row. New and
changed providers get their CloudEvent in the outbox (``zorgaanbieder-geregistreerd`` /
``zorgaanbieder-gewijzigd``, built by the service's ``EventFactory`` and checked against the contract),
an audit trail row (applicatie ``bulk-load``) and their words and word pairs in the search index, in the same
transaction as the change.

Speed: records go in chunks (``chunk_size``). Per chunk two lookups (known KvK-nummers, owners of the
vestigingsnummers) decide what is new, changed or unchanged and the rows are built; then the writes go
with ``COPY`` into the tables (changed providers through a temporary staging table and ``UPDATE …
FROM``), one transaction per chunk: a crash leaves whole chunks and running the load again completes it.
Two connections make an asyncio pipeline: reading, validating and planning the next chunk (CPU in
Python) overlaps with PostgreSQL writing the previous one (CPU in the server), so both cores work.
Should the database refuse a chunk (a race with a concurrent API write, or a value PostgreSQL cannot
store), the chunk is split until the refused record is found; that record is reported, the others load.
A large load should run inside ``zuinige_gc()`` (the command does): the garbage collector otherwise
takes half of the Python time.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gc
import hashlib
import os
import resource
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import orjson
from pydantic import ValidationError

from register import rules
from register.repository import OUDE_WOORDEN_WEG_SQL
from register.schemas import ZorgaanbiederGegevens
from register.service import inhoud_hash as api_inhoud_hash
from register.synthetic import CSV_LIST_COLUMNS, CSV_PROVIDER_COLUMNS, CSV_VESTIGING_COLUMNS, write_csv, write_jsonl
from register.zoeken_normalisatie import woorden, woordparen, zoeknaam
from zorgtoezicht import klok
from zorgtoezicht.audit import ACTIES, AUDIT_COLUMNS
from zorgtoezicht.db import Database
from zorgtoezicht.domain.zorgaanbieders import Vergunningstatus, ZorgaanbiederSoort
from zorgtoezicht.events.contracts.register import ZorgaanbiederGeregistreerd, ZorgaanbiederGewijzigd
from zorgtoezicht.events.envelope import EventFactory
from zorgtoezicht.logs import new_correlation_id
from zorgtoezicht.settings import PlatformSettings
from zorgtoezicht.termijnen import vandaag

APPLICATIE = "bulk-load"
APPLICATIE_WEERGAVE = "Bulklading register"
CHUNK_SIZE = 5000
# Records between two turns of the writer (``asyncio.sleep(0)``) while reading and planning, about 5 ms of
# work: each COPY of a chunk starts only when it gets a turn, so a long loop here would leave PostgreSQL idle.
# (Planning 5,000 providers without a turn cost a fifth of the load's time: 67 -> 53 s at 290,000.)
YIELD_EVERY = 64
DEFAULT_PUBLIC_URL = "http://localhost:8104"  # RegisterSettings.public_url's default

# Columns written by COPY. Timestamps (geregistreerd_op, gewijzigd_op) come from the server (now(): the
# start of the chunk's transaction); an audit row's aanmaakdatum from the platform clock, as in audit.py,
# because the changes feed judges its windows by that clock.
ZORGAANBIEDER_COLUMNS = [
    "id",
    "kvk_nummer",
    "statutaire_naam",
    "handelsnamen",
    "rechtsvorm",
    "soort",
    "agb_code",
    "sectoren",
    "zorgsoorten",
    "financiering",
    "aantal_zorgverleners",
    "aantal_clienten",
    "heeft_clientenraad",
    "heeft_intern_toezicht",
    "levert_msz",
    "startdatum_zorg",
    "status",
    "vergunningplichtig",
    "zoeknaam",
    "inhoud_hash",
    "vergunningstatus",
    "versie",
]
UPDATED_COLUMNS = ZORGAANBIEDER_COLUMNS[2:20]  # the facts a reload may change (not id, kvk, vergunningstatus, versie)
VESTIGING_COLUMNS = [
    "vestigingsnummer",
    "zorgaanbieder_id",
    "kvk_nummer",
    "naam",
    "adres",
    "postcode",
    "plaats",
    "gemeente_code",
    "gemeente",
]
WOORD_COLUMNS = ["woord", "zorgaanbieder_id"]
WOORDPAAR_COLUMNS = ["paar", "zorgaanbieder_id"]
OUTBOX_COLUMNS = ["event_id", "event_type", "topic", "record_key", "payload"]

# The facts as the API's audit trail shows them (register.service.feiten_van), read in SQL for the
# "oud" side of a changed provider.
OUDE_FEITEN_SQL = """
SELECT z.id, z.versie, z.inhoud_hash, z.vergunningstatus, jsonb_build_object(
    'kvkNummer', z.kvk_nummer, 'statutaireNaam', z.statutaire_naam, 'handelsnamen', to_jsonb(z.handelsnamen),
    'rechtsvorm', z.rechtsvorm, 'soort', z.soort, 'agbCode', z.agb_code, 'sectoren', to_jsonb(z.sectoren),
    'zorgsoorten', to_jsonb(z.zorgsoorten), 'financiering', to_jsonb(z.financiering),
    'aantalZorgverleners', z.aantal_zorgverleners, 'aantalClienten', z.aantal_clienten,
    'heeftClientenraad', z.heeft_clientenraad, 'heeftInternToezicht', z.heeft_intern_toezicht, 'levertMsz', z.levert_msz,
    'startdatumZorg', z.startdatum_zorg, 'status', z.status, 'vergunningplichtig', z.vergunningplichtig,
    'vergunningstatus', z.vergunningstatus,
    'vestigingen', coalesce((
        SELECT jsonb_agg(jsonb_build_object('vestigingsnummer', v.vestigingsnummer, 'naam', v.naam, 'adres', v.adres,
                                            'postcode', v.postcode, 'plaats', v.plaats, 'gemeenteCode', v.gemeente_code,
                                            'gemeente', v.gemeente) ORDER BY v.vestigingsnummer)
        FROM vestiging v WHERE v.zorgaanbieder_id = z.id), '[]'::jsonb)
)::text AS oud
FROM zorgaanbieder z WHERE z.id = ANY($1::uuid[]) ORDER BY z.id FOR UPDATE OF z
"""

# What the database may refuse about one record (as opposed to a broken connection or schema): the
# chunk is then split to find that record. Unique violations are races with a concurrent API write.
_RECORD_ERRORS = (asyncpg.exceptions.DataError, asyncpg.exceptions.IntegrityConstraintViolationError, UnicodeEncodeError)


@dataclass
class LaadRapport:
    gelezen: int = 0
    nieuw: int = 0
    gewijzigd: int = 0
    ongewijzigd: int = 0
    weigeringen: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    vestigingen: int = 0  # vestigingen written (of new and changed providers)
    seconden: float = 0.0

    @property
    def geweigerd(self) -> int:
        return len(self.weigeringen)

    def samenvatting(self) -> dict[str, Any]:
        return {
            "gelezen": self.gelezen,
            "nieuw": self.nieuw,
            "gewijzigd": self.gewijzigd,
            "ongewijzigd": self.ongewijzigd,
            "geweigerd": self.geweigerd,
            "vestigingen": self.vestigingen,
            "seconden": round(self.seconden, 2),
        }


# --- hashing and JSON ---------------------------------------------------------------------------------


def inhoud_hash(feiten: dict[str, Any]) -> str:
    """The digest ``register.service.inhoud_hash`` gives (so a provider entered through the API and the
    same facts in an export are "unchanged"), computed with orjson where the bytes are the same: pure
    ASCII without DEL, which ``json.dumps`` would escape."""
    raw = orjson.dumps(feiten, option=orjson.OPT_SORT_KEYS)
    if raw.isascii() and b"\x7f" not in raw:
        return hashlib.sha256(raw).hexdigest()
    return api_inhoud_hash(feiten)


def _uuid4s(n: int) -> list[str]:
    """``n`` random (version 4) UUIDs as text from one call to the OS: ``uuid.uuid4()`` costs some 5 µs
    here (``os.urandom`` and the ``UUID`` constructor per id), this 1 µs. asyncpg writes them as uuid."""
    raw = bytearray(os.urandom(16 * n))
    raw[6::16] = bytes((b & 0x0F) | 0x40 for b in raw[6::16])  # version 4
    raw[8::16] = bytes((b & 0x3F) | 0x80 for b in raw[8::16])  # RFC 4122 variant
    h = raw.hex()
    return [
        f"{h[k : k + 8]}-{h[k + 8 : k + 12]}-{h[k + 12 : k + 16]}-{h[k + 16 : k + 20]}-{h[k + 20 : k + 32]}" for k in range(0, 32 * n, 32)
    ]


# --- reading ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Invoer:
    """One provider as read: its (first) line number and raw record, or why it could not be read."""

    regel: int
    ruw: bytes | dict[str, Any] | None
    fout: str | None = None
    vestiging_regels: list[int] | None = None  # CSV: the line of each vestiging


def lees(path: Path) -> Iterator[Invoer]:
    """The providers in ``path`` (``.csv`` or else JSONL), streamed."""
    if path.suffix.lower() == ".csv":
        yield from _lees_csv(path)
        return
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.strip()
            if not line:
                continue
            if b"\\u0000" in line:
                yield Invoer(number, None, "contains a NUL character (\\u0000), which cannot be stored")
            else:
                yield Invoer(number, line)


def _lees_csv(path: Path) -> Iterator[Invoer]:
    """Consecutive rows with one KvK-nummer make one provider. A row that cannot be read is refused on
    its own line, and so is every provider it may have belonged to: loading a provider without one of
    its vestigingen would be wrong."""
    with path.open(encoding="utf-8", errors="strict", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        try:
            header = next(reader)
        except StopIteration:
            yield Invoer(1, None, "empty file")
            return
        except (csv.Error, UnicodeDecodeError) as error:
            yield Invoer(1, None, f"unreadable header: {error}")
            return
        expected = CSV_PROVIDER_COLUMNS + [f"vestiging.{c}" for c in CSV_VESTIGING_COLUMNS]
        missing = [c for c in expected if c not in header]
        if missing:
            yield Invoer(1, None, f"header lacks columns: {', '.join(missing)}")
            return
        provider_index = [(c, header.index(c)) for c in CSV_PROVIDER_COLUMNS]
        vestiging_index = [(c, header.index(f"vestiging.{c}")) for c in CSV_VESTIGING_COLUMNS]
        kvk_index = header.index("kvkNummer")
        groep: Invoer | None = None
        groep_kvk: str | None = None
        # A bad row just before the next provider: (its line, its KvK-nummer or None when unknown).
        slecht: tuple[int, str | None] | None = None

        def weiger(invoer: Invoer, reden: str) -> None:
            if invoer.ruw is not None:
                invoer.ruw, invoer.fout = None, reden

        while True:
            line = reader.line_num + 1
            try:
                row: list[str] | None = next(reader)
                line = reader.line_num
                fout = None
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as error:
                row, fout = None, f"unreadable CSV row: {error}"
            if row is not None and not any(cell.strip() for cell in row):
                continue
            kvk = row[kvk_index] if row is not None and len(row) > kvk_index else None
            if row is not None and len(row) != len(header):
                fout = f"row has {len(row)} columns, the header {len(header)}"
            if fout is not None:
                yield Invoer(line, None, fout)
                if groep is not None and (kvk is None or kvk == groep_kvk):
                    weiger(groep, f"line {line}, which may be a row of this provider, could not be read ({fout})")
                slecht = (line, kvk) if kvk != groep_kvk or kvk is None else None
                continue
            assert row is not None
            if groep is None or kvk != groep_kvk:
                if groep is not None:
                    yield groep
                record: dict[str, Any] = {c: _csv_waarde(c, row[i]) for c, i in provider_index}
                record["vestigingen"] = []
                groep, groep_kvk = Invoer(line, record, vestiging_regels=[]), kvk
                if slecht is not None and slecht[1] in (None, kvk):
                    weiger(groep, f"line {slecht[0]}, which may be a row of this provider, could not be read")
            slecht = None
            if isinstance(groep.ruw, dict) and groep.vestiging_regels is not None:
                groep.ruw["vestigingen"].append({c: _csv_waarde(c, row[i]) for c, i in vestiging_index})
                groep.vestiging_regels.append(line)
        if groep is not None:
            yield groep


def _csv_waarde(column: str, value: str) -> Any:
    if value == "":
        return [] if column in CSV_LIST_COLUMNS else None
    if column in CSV_LIST_COLUMNS:
        return value.split("|")
    if column.startswith(("heeft", "levert")) and value in ("ja", "nee"):
        return value == "ja"
    if column in ("aantalZorgverleners", "aantalClienten") and value.isdigit():
        return int(value)
    return value  # anything else is left to the validation, which names the column


def _reden(error: ValidationError) -> str:
    parts = []
    for e in error.errors(include_url=False, include_input=False)[:10]:
        where = ".".join(map(str, e["loc"]))
        if e["type"] == "json_invalid":
            parts.append(f"invalid JSON: {e['msg'].removeprefix('Invalid JSON: ')}")
        else:
            parts.append(f"{where}: {e['msg']}" if where else e["msg"])
    return "; ".join(parts)


def _foutregel(error: ValidationError, invoer: Invoer) -> int:
    """The line of the first error: in a CSV the row of the vestiging it is about."""
    if invoer.vestiging_regels:
        for e in error.errors(include_url=False, include_input=False):
            loc = e["loc"]
            if len(loc) >= 2 and loc[0] == "vestigingen" and isinstance(loc[1], int) and loc[1] < len(invoer.vestiging_regels):
                return invoer.vestiging_regels[loc[1]]
    return invoer.regel


# --- loading ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Record:
    regel: int
    gegevens: ZorgaanbiederGegevens
    feiten: dict[str, Any]  # the camelCase facts (what the hash covers)
    hash: str
    zoeknaam: str
    vergunningplichtig: bool
    id: Any = None  # the provider's id: text for a new one, the database's UUID for a known one


@dataclass
class _Uitkomst:
    """What one chunk did; applied to the report only once its transaction committed."""

    nieuw: int = 0
    gewijzigd: int = 0
    ongewijzigd: int = 0
    vestigingen: int = 0
    weigeringen: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Plan:
    """A chunk ready to write: the decisions and the rows of its new providers."""

    records: list[_Record]
    nieuw: list[_Record] = field(default_factory=list)
    kandidaten: list[_Record] = field(default_factory=list)  # known, facts differ: updated in the transaction
    uitkomst: _Uitkomst = field(default_factory=_Uitkomst)  # unchanged and refused so far
    zorgaanbieders: list[tuple] = field(default_factory=list)
    vestigingen: list[tuple] = field(default_factory=list)
    woorden: list[tuple] = field(default_factory=list)
    woordparen: list[tuple] = field(default_factory=list)
    outbox: list[tuple] = field(default_factory=list)
    audit: list[tuple] = field(default_factory=list)


class Lader:
    """Validates records, plans chunks of them and writes the plans over its (writing) connection."""

    def __init__(self, connection: asyncpg.Connection, factory: EventFactory, *, toelichting: str) -> None:
        self.connection = connection
        self.factory = factory
        self.api_base = factory.api_base_url
        self.toelichting = toelichting
        self.correlation_id = new_correlation_id()
        self.drempels = rules.Drempels()
        self.vandaag = vandaag()
        self.kvk_regels: dict[int, int] = {}  # KvK-nummer → line, of the valid records in this file
        self.vestiging_regels: dict[int, int] = {}  # vestigingsnummer → line
        self._ids: list[str] = []

    def _nieuw_id(self) -> str:
        if not self._ids:
            self._ids = _uuid4s(8192)
        return self._ids.pop()

    # validation (CPU only) ---------------------------------------------------------------------------

    def valideer(self, invoer: Invoer) -> _Record | tuple[int, str]:
        """A record ready to write, or (line, reason) when it is refused."""
        raw = invoer.ruw
        if raw is None:
            return invoer.regel, invoer.fout or "unreadable"
        try:
            g = ZorgaanbiederGegevens.model_validate_json(raw) if isinstance(raw, bytes) else ZorgaanbiederGegevens.model_validate(raw)
        except ValidationError as error:
            return _foutregel(error, invoer), _reden(error)
        kvk = int(g.kvk_nummer)
        eerder = self.kvk_regels.get(kvk)
        if eerder is not None:
            return invoer.regel, (
                f"kvkNummer {g.kvk_nummer} occurs earlier in this file (line {eerder}); only the first occurrence is loaded"
            )
        nummers = [int(v.vestigingsnummer) for v in g.vestigingen]
        dubbel = [(n, self.vestiging_regels[n]) for n in nummers if n in self.vestiging_regels]
        if dubbel:
            return invoer.regel, "; ".join(f"vestigingsnummer {n:012d} occurs earlier in this file (line {r})" for n, r in dubbel)
        self.kvk_regels[kvk] = invoer.regel
        for n in nummers:
            self.vestiging_regels[n] = invoer.regel
        feiten = g.model_dump(mode="json", by_alias=True)
        return _Record(
            invoer.regel, g, feiten, inhoud_hash(feiten), zoeknaam(g.statutaire_naam, g.handelsnamen), self._vergunningplichtig(g)
        )

    def _vergunningplichtig(self, g: ZorgaanbiederGegevens) -> bool:
        if g.soort != ZorgaanbiederSoort.instelling:
            return False  # Wtza art. 4: never a solist
        return rules.is_vergunningplichtig(
            rules.WtzaFeiten(
                soort=g.soort,
                financiering=frozenset(g.financiering),
                aantal_zorgverleners=g.aantal_zorgverleners or 0,
                aantal_clienten=g.aantal_clienten,
                levert_msz=g.levert_msz,
                zorgsoorten=frozenset(g.zorgsoorten),
                uitzondering=None,
                heeft_clientenraad=bool(g.heeft_clientenraad),
                heeft_intern_toezicht=bool(g.heeft_intern_toezicht),
                startdatum_zorg=g.startdatum_zorg or self.vandaag,
                meldingsdatum=self.vandaag,
            ),
            self.drempels,
        )

    # planning (lookups, decisions, rows) -------------------------------------------------------------

    async def plan(self, connection: asyncpg.Connection, records: list[_Record]) -> _Plan:
        """Which records are new, changed or unchanged, and the rows of the new ones.

        Runs on the reading side of the pipeline (its own connection) while the previous chunk is being
        written: the records of one file never share a KvK-nummer or vestigingsnummer, so the lookups do
        not depend on that chunk. A race with a concurrent writer ends in a unique violation, and the
        chunk is then planned again in parts, each with fresh lookups."""
        plan = _Plan(records)
        known = {
            row[0]: (row[1], row[2])
            for row in await connection.fetch(
                "SELECT kvk_nummer, id, inhoud_hash FROM zorgaanbieder WHERE kvk_nummer = ANY($1::text[])",
                [r.gegevens.kvk_nummer for r in records],
            )
        }
        owners = {
            row[0]: row[1]
            for row in await connection.fetch(
                "SELECT vestigingsnummer, zorgaanbieder_id FROM vestiging WHERE vestigingsnummer = ANY($1::text[])",
                [v.vestigingsnummer for r in records for v in r.gegevens.vestigingen],
            )
        }
        for r in records:
            bekend = known.get(r.gegevens.kvk_nummer)
            r.id = bekend[0] if bekend else self._nieuw_id()
            taken = [v.vestigingsnummer for v in r.gegevens.vestigingen if owners.get(v.vestigingsnummer, r.id) != r.id]
            if taken:
                plan.uitkomst.weigeringen.append((r.regel, f"vestigingsnummer {', '.join(taken)} belongs to another zorgaanbieder"))
            elif bekend is None:
                plan.nieuw.append(r)
            elif bekend[1] == r.hash:
                plan.uitkomst.ongewijzigd += 1
            else:
                plan.kandidaten.append(r)
        for i, r in enumerate(plan.nieuw, start=1):
            if i % YIELD_EVERY == 0:
                await asyncio.sleep(0)  # the writer goes on with the previous chunk: PostgreSQL must not wait for this loop
            plan.zorgaanbieders.append(self._rij(r))
            self._rijen_van(r, plan)
            plan.outbox.append(self._event(r, ZorgaanbiederGeregistreerd))
            plan.audit.append(self._audit(r, None, Vergunningstatus.geen))
        return plan

    def _rijen_van(self, r: _Record, plan: _Plan) -> None:
        kvk = r.gegevens.kvk_nummer
        plan.vestigingen.extend(
            (v.vestigingsnummer, r.id, kvk, v.naam, v.adres, v.postcode, v.plaats, v.gemeente_code, v.gemeente or "")
            for v in r.gegevens.vestigingen
        )
        naamwoorden = woorden(r.zoeknaam)
        plan.woorden.extend((w, r.id) for w in naamwoorden)
        plan.woordparen.extend((p, r.id) for p in woordparen(naamwoorden))

    # writing -----------------------------------------------------------------------------------------

    async def schrijf(self, plan: _Plan, rapport: LaadRapport) -> None:
        """Write one planned chunk; when the database refuses it, split it until the refused record is found."""
        try:
            uitkomst = await self._voer_uit(plan)
        except _RECORD_ERRORS as error:
            if len(plan.records) == 1:
                rapport.weigeringen.append((plan.records[0].regel, f"the database refused this record: {error}"))
                return
            half = len(plan.records) // 2
            for deel in (plan.records[:half], plan.records[half:]):
                await self.schrijf(await self.plan(self.connection, deel), rapport)
            return
        rapport.nieuw += uitkomst.nieuw
        rapport.gewijzigd += uitkomst.gewijzigd
        rapport.ongewijzigd += uitkomst.ongewijzigd
        rapport.vestigingen += uitkomst.vestigingen
        rapport.weigeringen.extend(uitkomst.weigeringen)

    async def _voer_uit(self, plan: _Plan) -> _Uitkomst:
        uitkomst = _Uitkomst(ongewijzigd=plan.uitkomst.ongewijzigd, weigeringen=list(plan.uitkomst.weigeringen))
        if not plan.nieuw and not plan.kandidaten:
            return uitkomst
        c = self.connection
        outbox, audit, vestigingen, woordrijen = list(plan.outbox), list(plan.audit), list(plan.vestigingen), list(plan.woorden)
        paarrijen = list(plan.woordparen)
        async with c.transaction():
            nu = klok.nu()  # the audit rows' aanmaakdatum: when this chunk's transaction starts, not when it was planned
            gewijzigd: list[_Record] = []
            if plan.kandidaten:
                bijgewerkt = await self._werk_bij(plan.kandidaten, uitkomst)
                gewijzigd = [r for r, *_ in bijgewerkt]
                extra = _Plan(gewijzigd)
                for r, versie, vergunningstatus, oude_feiten in bijgewerkt:
                    self._rijen_van(r, extra)
                    outbox.append(self._event(r, ZorgaanbiederGewijzigd, versie=versie))
                    audit.append(self._audit(r, oude_feiten, vergunningstatus))
                vestigingen += extra.vestigingen
                woordrijen += extra.woorden
                paarrijen += extra.woordparen
            if plan.zorgaanbieders:
                await c.copy_records_to_table("zorgaanbieder", records=plan.zorgaanbieders, columns=ZORGAANBIEDER_COLUMNS)
            if vestigingen:
                await c.copy_records_to_table("vestiging", records=vestigingen, columns=VESTIGING_COLUMNS)
            if woordrijen:
                await self._woorden(woordrijen)
            if paarrijen:
                await c.copy_records_to_table("zorgaanbieder_woordpaar", records=paarrijen, columns=WOORDPAAR_COLUMNS)
            if outbox:
                await c.copy_records_to_table("outbox", records=outbox, columns=OUTBOX_COLUMNS)
                await c.copy_records_to_table("audit_trail", records=[(*rij, nu) for rij in audit], columns=AUDIT_COLUMNS)
        uitkomst.nieuw = len(plan.nieuw)
        uitkomst.gewijzigd = len(gewijzigd)
        uitkomst.vestigingen = len(vestigingen)
        return uitkomst

    async def _werk_bij(self, kandidaten: list[_Record], uitkomst: _Uitkomst) -> list[tuple[_Record, int, str, str]]:
        """Update the changed providers, locked and compared again inside the transaction; their old
        vestigingen, search words and word pairs go (the new ones are written with those of the new providers).
        Gives (record, new versie, vergunningstatus, old facts as JSON) per provider that changed."""
        c = self.connection
        per_id = {r.id: r for r in kandidaten}
        oud: dict[uuid.UUID, tuple[str, str]] = {}
        for row in await c.fetch(OUDE_FEITEN_SQL, list(per_id)):
            if row["inhoud_hash"] == per_id[row["id"]].hash:  # the same change was made meanwhile
                uitkomst.ongewijzigd += 1
            else:
                oud[row["id"]] = (row["vergunningstatus"], row["oud"])
        gewijzigd = [per_id[i] for i in sorted(oud)]
        if not gewijzigd:
            return []
        # Created inside the transaction (a rollback takes it away again); emptied by every commit.
        await c.execute("CREATE TEMP TABLE IF NOT EXISTS bulk_zorgaanbieder (LIKE zorgaanbieder INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
        await c.copy_records_to_table("bulk_zorgaanbieder", records=[self._rij(r) for r in gewijzigd], columns=ZORGAANBIEDER_COLUMNS)
        assignments = ", ".join(f"{col} = b.{col}" for col in UPDATED_COLUMNS)
        versies = {
            row[0]: row[1]
            for row in await c.fetch(
                # column names from UPDATED_COLUMNS (code), values bound: no input reaches this text
                f"UPDATE zorgaanbieder z SET {assignments}, versie = z.versie + 1, gewijzigd_op = now() "  # noqa: S608
                "FROM bulk_zorgaanbieder b WHERE z.id = b.id RETURNING z.id, z.versie"
            )
        }
        ids = [r.id for r in gewijzigd]
        await c.execute("DELETE FROM vestiging WHERE zorgaanbieder_id = ANY($1::uuid[])", ids)
        await c.execute(OUDE_WOORDEN_WEG_SQL.replace(":ids", "$1"), ids)  # the API's statement; asyncpg numbers its parameters
        return [(r, versies[r.id], *oud[r.id]) for r in gewijzigd]

    async def _woorden(self, rijen: list[tuple[str, Any]]) -> None:
        """The search word index: each distinct word of a provider's names, and the vocabulary counts."""
        await self.connection.copy_records_to_table("zorgaanbieder_woord", records=rijen, columns=WOORD_COLUMNS)
        telling: dict[str, int] = {}
        for woord, _ in rijen:
            telling[woord] = telling.get(woord, 0) + 1
        vocabulaire = sorted(telling)  # one order for every writer: no deadlocks
        await self.connection.execute(
            "INSERT INTO zoekwoord (woord, aantal) SELECT * FROM unnest($1::text[], $2::int[]) "
            "ON CONFLICT (woord) DO UPDATE SET aantal = zoekwoord.aantal + EXCLUDED.aantal",
            vocabulaire,
            [telling[w] for w in vocabulaire],
        )

    # rows --------------------------------------------------------------------------------------------

    @staticmethod
    def _rij(r: _Record) -> tuple:
        g = r.gegevens
        return (
            r.id,
            g.kvk_nummer,
            g.statutaire_naam,
            g.handelsnamen,
            g.rechtsvorm,
            g.soort,
            g.agb_code,
            [s.value for s in g.sectoren],
            g.zorgsoorten,
            g.financiering,
            g.aantal_zorgverleners,
            g.aantal_clienten,
            g.heeft_clientenraad,
            g.heeft_intern_toezicht,
            g.levert_msz,
            g.startdatum_zorg,
            g.status,
            r.vergunningplichtig,
            r.zoeknaam,
            r.hash,
            Vergunningstatus.geen,
            1,
        )

    def _event(self, r: _Record, contract: type[ZorgaanbiederGeregistreerd] | type[ZorgaanbiederGewijzigd], **extra: Any) -> tuple:
        g = r.gegevens
        data = contract(
            zorgaanbieder_id=r.id,
            kvk_nummer=g.kvk_nummer,
            soort=g.soort,
            sectoren=g.sectoren,
            status=g.status,
            vergunningplichtig=r.vergunningplichtig,
            vestigingen=[
                {"vestigingsnummer": v.vestigingsnummer, "gemeente": v.gemeente, "gemeente_code": v.gemeente_code} for v in g.vestigingen
            ],  # validated as VestigingFeit with the rest, in one call
            **extra,
        )
        event_id = self._nieuw_id()
        return (
            event_id,
            data.full_type(),
            data.topic.value,
            data.subject,
            self.factory.build_json(data, event_id=event_id, correlation_id=self.correlation_id),
        )

    def _audit(self, r: _Record, oud: str | None, vergunningstatus: str) -> tuple:
        """An audit trail row; ``oud`` is the old facts as JSON text, None for a new provider."""
        nieuw = dict(r.feiten)
        nieuw["vestigingen"] = sorted(nieuw["vestigingen"], key=lambda v: v["vestigingsnummer"])
        nieuw["vergunningplichtig"] = r.vergunningplichtig
        nieuw["vergunningstatus"] = vergunningstatus
        wijzigingen = b'{"oud":' + (oud.encode() if oud is not None else b"null") + b',"nieuw":' + orjson.dumps(nieuw) + b"}"
        url = f"{self.api_base}/zorgaanbieders/{r.id}"
        actie = "create" if oud is None else "update"
        return (
            self._nieuw_id(),
            self.correlation_id,
            "register",
            APPLICATIE,
            APPLICATIE_WEERGAVE,
            "",
            "systeem",
            actie,
            ACTIES[actie],
            201 if oud is None else 200,
            r.id,
            url,
            "zorgaanbieder",
            url,
            f"Zorgaanbieder KvK {r.gegevens.kvk_nummer}",
            self.toelichting,
            wijzigingen.decode(),
        )


# --- the pipeline -------------------------------------------------------------------------------------


@asynccontextmanager
async def _verbindingen(database: str | Database) -> AsyncIterator[tuple[asyncpg.Connection, asyncpg.Connection]]:
    """Two raw asyncpg connections (reading side, writing side): from a service's ``Database`` (its
    pool) or new ones for a URL."""
    if isinstance(database, Database):
        async with database.engine.connect() as a, database.engine.connect() as b:
            lezer = (await a.get_raw_connection()).driver_connection
            schrijver = (await b.get_raw_connection()).driver_connection
            try:
                yield lezer, schrijver
            finally:
                await schrijver.execute("DROP TABLE IF EXISTS pg_temp.bulk_zorgaanbieder")
        return
    dsn = str(database)
    for prefix in ("postgresql+asyncpg://", "postgresql+psycopg://", "postgres://"):
        if dsn.startswith(prefix):
            dsn = "postgresql://" + dsn[len(prefix) :]
    lezer = await asyncpg.connect(dsn)
    try:
        schrijver = await asyncpg.connect(dsn)
        try:
            yield lezer, schrijver
        finally:
            await schrijver.close()
    finally:
        await lezer.close()


async def laad(
    database: str | Database, path: Path | str, *, chunk_size: int = CHUNK_SIZE, public_url: str | None = None, oin: str | None = None
) -> LaadRapport:
    """Load ``path`` (``.jsonl`` or ``.csv``) into the register database (a URL or the service's ``Database``).

    ``public_url`` is register's public base URL (for ``dataref`` and the audit trail; default
    ``REGISTER_PUBLIC_URL`` or the service default), ``oin`` the inspectorate's OIN (default from
    ``PlatformSettings``). At national scale run it inside ``zuinige_gc()`` (the command does)."""
    started = time.perf_counter()
    path = Path(path)
    rapport = LaadRapport()
    public_url = public_url or os.environ.get("REGISTER_PUBLIC_URL") or DEFAULT_PUBLIC_URL
    factory = EventFactory(oin=oin or PlatformSettings().oin, system="register", api_base_url=public_url.rstrip("/") + "/api/v1")
    async with _verbindingen(database) as (lezer, schrijver):
        lader = Lader(schrijver, factory, toelichting=f"bulk load of {path.name}")
        queue: asyncio.Queue[_Plan | None] = asyncio.Queue(maxsize=1)

        async def schrijf() -> None:
            while (plan := await queue.get()) is not None:
                await lader.schrijf(plan, rapport)

        writer = asyncio.create_task(schrijf())

        async def geef_door(item: _Plan | None) -> None:
            put = asyncio.ensure_future(queue.put(item))
            await asyncio.wait({put, writer}, return_when=asyncio.FIRST_COMPLETED)
            if not put.done():  # the writer failed: stop reading
                put.cancel()
            if writer.done():
                writer.result()  # raises the writer's error

        try:
            chunk: list[_Record] = []
            for invoer in lees(path):
                rapport.gelezen += 1
                uitkomst = lader.valideer(invoer)
                if isinstance(uitkomst, tuple):
                    rapport.weigeringen.append(uitkomst)
                else:
                    chunk.append(uitkomst)
                if rapport.gelezen % YIELD_EVERY == 0:
                    await asyncio.sleep(0)  # let the writer talk to PostgreSQL meanwhile
                if len(chunk) >= chunk_size:
                    await geef_door(await lader.plan(lezer, chunk))
                    chunk = []
            if chunk:
                await geef_door(await lader.plan(lezer, chunk))
            await geef_door(None)
            await writer
        finally:
            if not writer.done():
                writer.cancel()
                await asyncio.gather(writer, return_exceptions=True)
    rapport.weigeringen.sort()
    rapport.seconden = time.perf_counter() - started
    return rapport


@contextmanager
def zuinige_gc() -> Iterator[None]:
    """Less garbage-collector work during a large load: the objects that exist already (imported
    modules) are frozen out of the collections, and collections run less often. The load creates no
    reference cycles worth collecting early; half of the CPU time went to the collector without this."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


# --- commands -----------------------------------------------------------------------------------------


def piek_geheugen_mib() -> float:
    """Peak resident memory of this process (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> None:
    """``python -m register laden <file.jsonl|.csv> [--rapport weigeringen.json]``"""
    from register.settings import RegisterSettings

    parser = argparse.ArgumentParser(
        prog="python -m register laden", description="Bulk load providers and vestigingen from a JSONL or CSV export"
    )
    parser.add_argument("bestand", type=Path, help="a .jsonl or .csv file")
    parser.add_argument("--rapport", type=Path, help="write the refused records (line, reason) to this file as JSON")
    parser.add_argument("--chunk", type=int, default=CHUNK_SIZE, help=f"providers per transaction (default {CHUNK_SIZE})")
    args = parser.parse_args(argv)
    if not args.bestand.is_file():
        parser.error(f"{args.bestand} is not a file")
    settings = RegisterSettings()
    with zuinige_gc():
        rapport = asyncio.run(laad(settings.database_url, args.bestand, chunk_size=args.chunk, public_url=settings.public_url))
    for regel, reden in rapport.weigeringen[:20]:
        print(f"line {regel}: {reden}", file=sys.stderr)
    if rapport.geweigerd > 20:
        print(f"… and {rapport.geweigerd - 20} more refused records", file=sys.stderr)
    if args.rapport:
        args.rapport.write_bytes(
            orjson.dumps([{"regel": r, "reden": reden} for r, reden in rapport.weigeringen], option=orjson.OPT_INDENT_2)
        )
    print(orjson.dumps({**rapport.samenvatting(), "piekGeheugenMiB": round(piek_geheugen_mib(), 1)}).decode())


def genereer_main(argv: list[str]) -> None:
    """``python -m register genereer <file.jsonl|.csv> --aantal N [--seed S]``"""
    parser = argparse.ArgumentParser(prog="python -m register genereer", description="Write realistic synthetic register data")
    parser.add_argument("bestand", type=Path, help="a .jsonl or .csv file to write")
    parser.add_argument("--aantal", type=int, default=1000, help="number of providers (default 1000)")
    parser.add_argument("--seed", type=int, default=2026, help="the same seed gives the same data (default 2026)")
    args = parser.parse_args(argv)
    (write_csv if args.bestand.suffix.lower() == ".csv" else write_jsonl)(args.bestand, args.aantal, args.seed)
    print(args.bestand)
