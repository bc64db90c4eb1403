"""Every query of register in one place; no commits here (the caller owns the transaction)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, Select, Uuid, and_, func, literal, select, text, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Bundle

from register.models import (
    Aandachtspunt,
    ActieveMaatregel,
    Vergunning,
    Vestiging,
    WtzaMelding,
    Zorgaanbieder,
    audit_trail,
)
from register.zoeken_normalisatie import naamscore, woorden, woordparen
from zorgtoezicht.domain.gemeenten import gemeenten
from zorgtoezicht.domain.zorgaanbieders import AandachtspuntStatus, VergunningStatus


async def get_zorgaanbieder(session: AsyncSession, zorgaanbieder_id: uuid.UUID, *, for_update: bool = False) -> Zorgaanbieder | None:
    return await session.get(Zorgaanbieder, zorgaanbieder_id, with_for_update=for_update)


async def zorgaanbieder_by_kvk(session: AsyncSession, kvk_nummer: str, *, for_update: bool = False) -> Zorgaanbieder | None:
    query = select(Zorgaanbieder).where(Zorgaanbieder.kvk_nummer == kvk_nummer)
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query)


async def vestigingen_of_others(session: AsyncSession, nummers: list[str], zorgaanbieder_id: uuid.UUID | None) -> list[str]:
    """Which of these vestigingsnummers already belong to another provider."""
    query = select(Vestiging.vestigingsnummer).where(Vestiging.vestigingsnummer.in_(nummers))
    if zorgaanbieder_id is not None:
        query = query.where(Vestiging.zorgaanbieder_id != zorgaanbieder_id)
    return sorted(await session.scalars(query))


async def wtza_melding(session: AsyncSession, cibg_referentie: str) -> WtzaMelding | None:
    return await session.get(WtzaMelding, cibg_referentie)


async def open_aandachtspunten(session: AsyncSession, zorgaanbieder_id: uuid.UUID) -> list[Aandachtspunt]:
    query = (
        select(Aandachtspunt)
        .where(Aandachtspunt.zorgaanbieder_id == zorgaanbieder_id, Aandachtspunt.status == AandachtspuntStatus.open)
        .order_by(Aandachtspunt.ontstaan_op, Aandachtspunt.id)
    )
    return list(await session.scalars(query))


async def actieve_maatregelen(session: AsyncSession, zorgaanbieder_id: uuid.UUID, today: date) -> list[ActieveMaatregel]:
    # Shown from its ingangsdatum through its einddatum, both inclusive (einddatum is the last day it
    # applies: handhaving allows einddatum == ingangsdatum, a one-day measure); no einddatum is open-ended.
    query = (
        select(ActieveMaatregel)
        .where(
            ActieveMaatregel.zorgaanbieder_id == zorgaanbieder_id,
            ActieveMaatregel.ingangsdatum <= today,
            (ActieveMaatregel.einddatum.is_(None)) | (ActieveMaatregel.einddatum >= today),
        )
        .order_by(ActieveMaatregel.ingangsdatum, ActieveMaatregel.maatregel_id)
    )
    return list(await session.scalars(query))


async def add_actieve_maatregel(session: AsyncSession, **values: object) -> None:
    await session.execute(insert(ActieveMaatregel).values(**values).on_conflict_do_nothing())


async def get_actieve_maatregel(session: AsyncSession, maatregel_id: uuid.UUID) -> ActieveMaatregel | None:
    return await session.get(ActieveMaatregel, maatregel_id, with_for_update=True)


async def get_vergunning(session: AsyncSession, vergunning_id: uuid.UUID, *, for_update: bool = False) -> Vergunning | None:
    return await session.get(Vergunning, vergunning_id, with_for_update=for_update)


async def vergunning_by_referentie(session: AsyncSession, cibg_referentie: str) -> Vergunning | None:
    return await session.scalar(select(Vergunning).where(Vergunning.cibg_referentie == cibg_referentie))


async def page_of_vergunningen(
    session: AsyncSession, *, status: str | None, achterstallig_op: date | None, size: int, after: tuple[date, uuid.UUID] | None
) -> list[Vergunning]:
    """Ordered by decision deadline, oldest first: the overdue ones lead."""
    query = select(Vergunning).order_by(Vergunning.uiterste_beslisdatum, Vergunning.id).limit(size)
    if status is not None:
        query = query.where(Vergunning.status == status)
    if achterstallig_op is not None:
        query = query.where(Vergunning.status == VergunningStatus.aangevraagd, Vergunning.uiterste_beslisdatum < achterstallig_op)
    if after is not None:
        query = query.where(tuple_(Vergunning.uiterste_beslisdatum, Vergunning.id) > after)
    return list(await session.scalars(query))


# --- search -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Zoekvraag:
    naam: str | None = None  # already normalised (register.zoeken_normalisatie)
    kvk_nummer: str | None = None
    vestigingsnummer: str | None = None
    postcode: str | None = None
    gemeente_code: str | None = None
    gemeente: str | None = None
    sector: str | None = None
    vergunningstatus: str | None = None
    status: str | None = None


# naamscore needed for a name hit: tolerant of a typo or two, not of anything. 0.7 keeps out what pg_trgm's
# word_similarity kept out at 0.45 (a query sharing one common word with a name: "tandartspraktijk xyzzy" and
# "huisartsenpraktijk bakker" score 0.63); 0.6, 0.7 and 0.75 find the intended provider equally often (2026-12-03).
NAAM_DREMPEL = 0.7
# Trigram similarity for a vocabulary word to stand in for a (mistyped) query word. The index condition `woord % w`
# already keeps only words at PostgreSQL's pg_trgm.similarity_threshold (0.3 by default), so a lower value here
# would do nothing; 0.2 was measured (2026-12-03) to find fewer intended providers on page 1 than 0.3.
WOORD_DREMPEL = 0.3
# Read and scored at most; past it the candidates that carry most query words, closest first, go first. Measured with
# naamscore (2026-12-03, 290,000 providers, 2 x 1,000 searches with a typo, taking turns): 150 against 200 found the
# intended provider on page 1 in 95.2/95.7 % against 95.5/96.0 %, with the search's p95 0.3-0.7 ms (6-14 %) shorter;
# 120 was 1.15 ms shorter but 0.6 points worse.
MAX_KANDIDATEN = 150
WOORDEN_PER_ZOEKWOORD = 4

# Search results are summaries (schemas.ZorgaanbiederSamenvatting): only their columns are read - no
# entities, no vestigingen (the relationship's selectin default would cost a second round trip per page).
SAMENVATTING = Bundle(
    "samenvatting",
    Zorgaanbieder.id,
    Zorgaanbieder.kvk_nummer,
    Zorgaanbieder.statutaire_naam,
    Zorgaanbieder.soort,
    Zorgaanbieder.status,
    Zorgaanbieder.sectoren,
    Zorgaanbieder.vergunningstatus,
    Zorgaanbieder.gewijzigd_op,
)

# The candidates of a name search, in the statement that scores them (one round trip).
# m: per query word its closest vocabulary words (a mistyped word still finds its provider).
# r: the query words ranked by how rare their matches are.
# c: the providers that carry a match of the rarest AND of the second rarest query word, read from the
#    word-pair index (one short index range per pair of matches, however common each word is alone). When
#    only one query word has matches (one word, or the others match nothing): the providers carrying two of
#    its matches first (words run together, "thuiszorgjansen"), then the first MAX_KANDIDATEN of each match.
# extra: only when c is larger than MAX_KANDIDATEN (two common words, ~10% of searches; asked with EXISTS ... OFFSET,
#    which stops at the bound: counting all of c cost ~0.3 ms of a slow search's 3): for each candidate,
#    how many further query words it carries beside the rarest. Past the bound the candidates carrying most
#    query words are scored first, and among those the ones found through the closest matches (gewicht: the
#    product of the two words' trigram similarity to the query words; an exact word is 1), not the first by id.
#    Measured on 290,000 providers (2 x 1,000 searches with a typo, 2026-12-03, scored with word_similarity): bound 200
#    in this order found the intended provider on page 1 more often than bound 300 by id (93.7/94.4 % against 93.1/93.8 %).
# Each candidate is read with its names and scored (naamscore), hence the bound.
# A pair is spelled as zoeken_normalisatie.woordparen does: code-point order (COLLATE "C" in the comparison
# only - a "C" result would not match the index, which uses the database's collation).
NAAMKANDIDATEN_SQL = """
WITH q AS (SELECT w, nr FROM unnest(CAST(:q AS text[])) WITH ORDINALITY AS t(w, nr)),
m AS MATERIALIZED (
    SELECT q.nr, x.woord, x.aantal, x.gelijkenis FROM q CROSS JOIN LATERAL (
        SELECT woord, aantal, similarity(woord, q.w) AS gelijkenis FROM zoekwoord WHERE woord % q.w AND similarity(woord, q.w) >= :d
        ORDER BY similarity(woord, q.w) DESC, woord LIMIT :k
    ) x
),
r AS MATERIALIZED (SELECT nr, row_number() OVER (ORDER BY sum(aantal), nr) AS rang FROM m GROUP BY nr),
paren AS MATERIALIZED (
    SELECT o.nr, e.gelijkenis * o.gelijkenis AS gewicht,
           CASE WHEN e.woord COLLATE "C" < o.woord COLLATE "C" THEN e.woord || ' ' || o.woord ELSE o.woord || ' ' || e.woord END AS paar
    FROM m e JOIN m o ON e.nr = (SELECT nr FROM r WHERE rang = 1) AND o.woord <> e.woord
     AND (o.nr <> e.nr OR (NOT EXISTS (SELECT FROM r WHERE rang = 2) AND e.woord COLLATE "C" < o.woord COLLATE "C"))
),
c AS MATERIALIZED (
    SELECT p.zorgaanbieder_id, 1 AS n, paren.gewicht FROM paren JOIN zorgaanbieder_woordpaar p ON p.paar = paren.paar
    WHERE paren.nr = coalesce((SELECT nr FROM r WHERE rang = 2), (SELECT nr FROM r WHERE rang = 1))
    UNION
    SELECT x.zorgaanbieder_id, 0, m.gelijkenis FROM m CROSS JOIN LATERAL (
        SELECT zorgaanbieder_id FROM zorgaanbieder_woord zw WHERE zw.woord = m.woord ORDER BY zorgaanbieder_id LIMIT :max
    ) x
    WHERE NOT EXISTS (SELECT FROM r WHERE rang = 2)
),
extra AS (
    SELECT p.zorgaanbieder_id, count(DISTINCT paren.nr) AS n FROM paren JOIN zorgaanbieder_woordpaar p ON p.paar = paren.paar
    WHERE paren.nr <> (SELECT nr FROM r WHERE rang = 2) AND EXISTS (SELECT FROM c OFFSET :max)
    GROUP BY p.zorgaanbieder_id
)
SELECT c.zorgaanbieder_id FROM c LEFT JOIN extra ON extra.zorgaanbieder_id = c.zorgaanbieder_id
GROUP BY c.zorgaanbieder_id ORDER BY max(c.n) + coalesce(max(extra.n), 0) DESC, max(c.gewicht) DESC, c.zorgaanbieder_id LIMIT :max
"""


# The name search: the candidates that meet the other criteria, with their names and summary columns, scored
# here (zoeken_normalisatie.naamscore). One static statement, prepared once per connection (PostgreSQL keeps a
# generic plan), the other criteria guarded by their parameters (NULL: not asked for) - they only filter the at
# most MAX_KANDIDATEN candidates, so no index is lost by not composing them. Written as SQL, not composed with
# SQLAlchemy's ORM: composing, caching and reading a statement this size through the ORM cost about 1 ms per
# search (measured 2026-12-03 on 290,000 providers, 1,000 searches with a typo, the two ways taking turns:
# p50 3.44 -> 2.39 ms). Only the id is typed (compared with a cursor's); the other columns are read as the
# driver gives them - at most MAX_KANDIDATEN rows, of which one page is kept and validated by the API model.
NAAMKANDIDATEN_MET_CRITERIA_SQL = f"""
SELECT z.id, z.zoeknaam, z.kvk_nummer, z.statutaire_naam, z.soort, z.status, z.sectoren, z.vergunningstatus, z.gewijzigd_op
FROM ({NAAMKANDIDATEN_SQL}) kandidaat
JOIN zorgaanbieder z ON z.id = kandidaat.zorgaanbieder_id
WHERE (CAST(:kvk_nummer AS text) IS NULL OR z.kvk_nummer = CAST(:kvk_nummer AS text))
  AND (CAST(:sector AS text) IS NULL OR z.sectoren @> ARRAY[CAST(:sector AS text)])
  AND (CAST(:vergunningstatus AS text) IS NULL OR z.vergunningstatus = CAST(:vergunningstatus AS text))
  AND (CAST(:status AS text) IS NULL OR z.status = CAST(:status AS text))
  AND (NOT CAST(:op_vestiging AS boolean) OR EXISTS (
      SELECT FROM vestiging v WHERE v.zorgaanbieder_id = z.id
       AND (CAST(:vestigingsnummer AS text) IS NULL OR v.vestigingsnummer = CAST(:vestigingsnummer AS text))
       AND (CAST(:postcode AS text) IS NULL OR v.postcode = CAST(:postcode AS text))
       AND (CAST(:gemeente_code AS text) IS NULL OR v.gemeente_code = CAST(:gemeente_code AS text))
       AND (CAST(:gemeente_codes AS text[]) IS NULL OR v.gemeente_code = ANY(CAST(:gemeente_codes AS text[])))
       AND (CAST(:gemeente AS text) IS NULL OR lower(v.gemeente) = CAST(:gemeente AS text))))
"""  # noqa: S608 - built from two constants: no value is ever put into the text
NAAMKANDIDATEN_MET_CRITERIA = text(NAAMKANDIDATEN_MET_CRITERIA_SQL).columns(id=Uuid)


async def zoek(
    session: AsyncSession, vraag: Zoekvraag, size: int, after: tuple[float, uuid.UUID] | tuple[str, uuid.UUID] | None
) -> list[tuple[Row, float | None]]:
    """Providers matching every given criterion, as summaries (the columns of ``SAMENVATTING``, by attribute).
    With a name: closest name first (distance 1 - naamscore, over candidates from the word index), else by
    KvK-nummer; ties broken by id, so cursor pages are stable.
    ``after`` is the position of the previous page's last row: (distance, id) with a name, else (kvk-nummer, id)."""
    if vraag.naam:
        return await _zoek_op_naam(session, vraag, size, after)
    z = Zorgaanbieder
    vestiging_filters = _vestiging_filters(vraag)
    if vestiging_filters:
        # Driven by the (gemeente_code | postcode, kvk_nummer, zorgaanbieder_id) index: KvK order for free.
        matches = (
            select(Vestiging.kvk_nummer, Vestiging.zorgaanbieder_id)
            .distinct()
            .join(z, z.id == Vestiging.zorgaanbieder_id)
            .where(*vestiging_filters)
        )
        if after is not None:
            matches = matches.where(tuple_(Vestiging.kvk_nummer, Vestiging.zorgaanbieder_id) > (str(after[0]), after[1]))
        matches = _provider_filters(matches, vraag).order_by(Vestiging.kvk_nummer, Vestiging.zorgaanbieder_id).limit(size).subquery()
        query = (
            select(SAMENVATTING, literal(None).label("afstand"))
            .select_from(z)
            .join(matches, matches.c.zorgaanbieder_id == z.id)
            .order_by(z.kvk_nummer, z.id)
        )
        return [(row[0], row[1]) for row in await session.execute(query)]
    query = select(SAMENVATTING, literal(None).label("afstand")).select_from(z).order_by(z.kvk_nummer, z.id)
    if after is not None:
        query = query.where(tuple_(z.kvk_nummer, z.id) > (str(after[0]), after[1]))
    return [(row[0], row[1]) for row in await session.execute(_provider_filters(query, vraag).limit(size))]


async def _zoek_op_naam(session: AsyncSession, vraag: Zoekvraag, size: int, after: tuple | None) -> list[tuple[Row, float]]:
    """One page of the name search: the candidates scored, those at NAAM_DREMPEL or above in (distance, id)
    order after ``after``."""
    assert vraag.naam
    naam = vraag.naam
    gescoord = sorted(
        (1 - score, row.id, row)
        for row in await session.execute(NAAMKANDIDATEN_MET_CRITERIA, _naamwaarden(vraag))
        if (score := naamscore(naam, row.zoeknaam)) >= NAAM_DREMPEL
    )  # (distance, id) is unique: the rows themselves are never compared
    if after is not None:
        gescoord = [positie for positie in gescoord if positie[:2] > (float(after[0]), after[1])]
    return [(row, afstand) for afstand, _, row in gescoord[:size]]


def _naamwaarden(vraag: Zoekvraag) -> dict[str, Any]:
    """The values of NAAMKANDIDATEN_MET_CRITERIA: the name's words, the candidates' bounds, every other
    criterion (None: not asked for)."""
    codes, gemeente = _gemeente(vraag)
    return {
        "q": woorden(vraag.naam or "") or [vraag.naam],
        "d": WOORD_DREMPEL,
        "k": WOORDEN_PER_ZOEKWOORD,
        "max": MAX_KANDIDATEN,
        "kvk_nummer": vraag.kvk_nummer,
        "sector": vraag.sector,
        "vergunningstatus": vraag.vergunningstatus,
        "status": vraag.status,
        "op_vestiging": bool(vraag.vestigingsnummer or vraag.postcode or vraag.gemeente_code or vraag.gemeente),
        "vestigingsnummer": vraag.vestigingsnummer,
        "postcode": vraag.postcode,
        "gemeente_code": vraag.gemeente_code,
        "gemeente_codes": codes,
        "gemeente": gemeente,
    }


def _gemeente(vraag: Zoekvraag) -> tuple[list[str] | None, str | None]:
    """A gemeente asked for by name: its codes when the name is a known gemeente's, else the name in lower case
    (compared with each vestiging's gemeente), as ``_vestiging_filters`` does."""
    if not vraag.gemeente:
        return None, None
    codes = [code for code, naam in gemeenten().items() if naam.lower() == vraag.gemeente.lower()]
    return (codes, None) if codes else (None, vraag.gemeente.lower())


def _vestiging_filters(vraag: Zoekvraag) -> list:
    filters = []
    if vraag.vestigingsnummer:
        filters.append(Vestiging.vestigingsnummer == vraag.vestigingsnummer)
    if vraag.postcode:
        filters.append(Vestiging.postcode == vraag.postcode)
    if vraag.gemeente_code:
        filters.append(Vestiging.gemeente_code == vraag.gemeente_code)
    codes, gemeente = _gemeente(vraag)
    if codes:
        filters.append(Vestiging.gemeente_code.in_(codes))
    if gemeente:
        filters.append(func.lower(Vestiging.gemeente) == gemeente)
    return filters


def _provider_filters(query: Select, vraag: Zoekvraag) -> Select:
    z = Zorgaanbieder
    if vraag.kvk_nummer:
        query = query.where(z.kvk_nummer == vraag.kvk_nummer)
    if vraag.sector:
        query = query.where(z.sectoren.contains([vraag.sector]))
    if vraag.vergunningstatus:
        query = query.where(z.vergunningstatus == vraag.vergunningstatus)
    if vraag.status:
        query = query.where(z.status == vraag.status)
    return query


# --- changes feed ----------------------------------------------------------------------------------


async def gewijzigde_zorgaanbieders(
    session: AsyncSession, start: datetime, end: datetime, size: int, after: tuple[datetime, uuid.UUID] | None
) -> list[tuple[datetime, uuid.UUID]]:
    """Each provider changed in [start, end) once, at its first change in the window, ordered by
    (that moment, id): a partner pages through and starts the next window at this one's end."""
    first_change = (
        select(audit_trail.c.hoofd_object_id.label("id"), func.min(audit_trail.c.aanmaakdatum).label("moment"))
        .where(
            and_(
                audit_trail.c.aanmaakdatum >= start,
                audit_trail.c.aanmaakdatum < end,
                audit_trail.c.resource == "zorgaanbieder",
                audit_trail.c.actie != "read",
            )
        )
        .group_by(audit_trail.c.hoofd_object_id)
        .subquery()
    )
    query = select(first_change.c.moment, first_change.c.id).order_by(first_change.c.moment, first_change.c.id).limit(size)
    if after is not None:
        query = query.where(tuple_(first_change.c.moment, first_change.c.id) > after)
    return [(row.moment, row.id) for row in await session.execute(query)]


async def lock(session: AsyncSession, key: str) -> None:
    """Serialise work on one key (a CIBG reference, a KvK-nummer) until this transaction ends."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


# A provider's old words, their pairs and their vocabulary counts go in one statement (the pairs by their key).
OUDE_WOORDEN_WEG_SQL = """
WITH oud AS (DELETE FROM zorgaanbieder_woord WHERE zorgaanbieder_id = ANY(CAST(:ids AS uuid[])) RETURNING woord, zorgaanbieder_id),
paren AS (
    DELETE FROM zorgaanbieder_woordpaar p USING oud a, oud b
    WHERE b.zorgaanbieder_id = a.zorgaanbieder_id AND a.woord COLLATE "C" < b.woord COLLATE "C"
      AND p.paar = a.woord || ' ' || b.woord AND p.zorgaanbieder_id = a.zorgaanbieder_id
)
UPDATE zoekwoord w SET aantal = w.aantal - o.n FROM (SELECT woord, count(*) AS n FROM oud GROUP BY woord) o WHERE w.woord = o.woord
"""


async def vervang_woorden(session: AsyncSession, zorgaanbieder_id: uuid.UUID, woorden: list[str]) -> None:
    """Keep the word and word-pair index of one provider in step with its names (and the vocabulary counts)."""
    await session.execute(text(OUDE_WOORDEN_WEG_SQL), {"ids": [zorgaanbieder_id]})
    if paren := woordparen(woorden):
        await session.execute(
            text("INSERT INTO zorgaanbieder_woordpaar (paar, zorgaanbieder_id) SELECT unnest(CAST(:p AS text[])), :id"),
            {"p": paren, "id": zorgaanbieder_id},
        )
    if woorden:
        await session.execute(
            text("INSERT INTO zorgaanbieder_woord (woord, zorgaanbieder_id) SELECT unnest(CAST(:w AS text[])), :id"),
            {"w": sorted(woorden), "id": zorgaanbieder_id},
        )
        await session.execute(
            text(
                "INSERT INTO zoekwoord (woord, aantal) SELECT unnest(CAST(:w AS text[])), 1 "
                "ON CONFLICT (woord) DO UPDATE SET aantal = zoekwoord.aantal + 1"
            ),
            {"w": sorted(woorden)},
        )
