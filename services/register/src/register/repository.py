"""Every query of register in one place; no commits here (the caller owns the transaction)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, Uuid, and_, exists, func, literal, select, text, true, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from register.models import (
    Aandachtspunt,
    ActieveMaatregel,
    Vergunning,
    Vestiging,
    WtzaMelding,
    Zorgaanbieder,
    audit_trail,
)
from register.zoeken_normalisatie import woorden
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


NAAM_DREMPEL = 0.45  # word similarity needed for a name hit: tolerant of a typo or two, not of anything
# Trigram similarity for a vocabulary word to stand in for a (mistyped) query word. The index condition `woord % w`
# already keeps only words at PostgreSQL's pg_trgm.similarity_threshold (0.3 by default), so a lower value here
# would do nothing; 0.2 was measured (2026-12-03) to find fewer intended providers on page 1 than 0.3.
WOORD_DREMPEL = 0.3
MAX_KANDIDATEN = 1000  # when only common words match, score a bounded, stable (by id) set of their providers
WOORDEN_PER_ZOEKWOORD = 4

# The candidates of a name search, in the statement that scores them (one round trip). For the two query
# words whose closest vocabulary matches are rarest, those matches: the candidates are the providers
# that carry a match of each (a mistyped word still finds its provider; common words like
# "fysiotherapie" or "van" do not drag in tens of thousands). Index-only scans of the word index,
# intersected (the rarer one first: the smaller side is hashed); at most MAX_KANDIDATEN of them, by id.
# With one query word the "two" are the same word.
NAAMKANDIDATEN_SQL = """
WITH q AS (SELECT w, nr FROM unnest(CAST(:q AS text[])) WITH ORDINALITY AS t(w, nr)),
m AS (
    SELECT q.nr, x.woord, x.aantal FROM q CROSS JOIN LATERAL (
        SELECT woord, aantal FROM zoekwoord WHERE woord % q.w AND similarity(woord, q.w) >= :d
        ORDER BY similarity(woord, q.w) DESC, woord LIMIT :k
    ) x
),
r AS (SELECT nr, row_number() OVER (ORDER BY sum(aantal), nr) AS rang FROM m GROUP BY nr ORDER BY rang LIMIT 2),
a AS (SELECT zw.zorgaanbieder_id FROM m JOIN zorgaanbieder_woord zw ON zw.woord = m.woord
      WHERE m.nr = (SELECT nr FROM r WHERE rang = 1)),
b AS (SELECT zw.zorgaanbieder_id FROM m JOIN zorgaanbieder_woord zw ON zw.woord = m.woord
      WHERE m.nr = (SELECT nr FROM r ORDER BY rang DESC LIMIT 1))
SELECT zorgaanbieder_id FROM (SELECT zorgaanbieder_id FROM a INTERSECT SELECT zorgaanbieder_id FROM b) i
ORDER BY zorgaanbieder_id LIMIT :max
"""


async def zoek(
    session: AsyncSession, vraag: Zoekvraag, size: int, after: tuple[float, uuid.UUID] | tuple[str, uuid.UUID] | None
) -> list[tuple[Zorgaanbieder, float | None]]:
    """Providers matching every given criterion. With a name: closest name first (trigram word
    distance over candidates from the word index), else by KvK-nummer; ties broken by id, so cursor pages are stable.
    ``after`` is the position of the previous page's last row: (distance, id) with a name, else (kvk-nummer, id)."""
    z = Zorgaanbieder
    vestiging_filters = _vestiging_filters(vraag)
    if vraag.naam:
        # Computed once per candidate (OFFSET 0 keeps the planner from copying it into WHERE and ORDER BY).
        gelijkenis = (
            select(func.word_similarity(literal(vraag.naam), z.zoeknaam).label("score")).correlate(z).offset(0).lateral("gelijkenis")
        )
        score = gelijkenis.c.score
        query: Select = select(z, (1 - score).label("afstand")).where(score >= NAAM_DREMPEL).order_by((1 - score), z.id)
        kandidaten = (
            text(NAAMKANDIDATEN_SQL)
            .bindparams(q=woorden(vraag.naam) or [vraag.naam], d=WOORD_DREMPEL, k=WOORDEN_PER_ZOEKWOORD, max=MAX_KANDIDATEN)
            .columns(zorgaanbieder_id=Uuid)
            .subquery("kandidaat")
        )
        # one round trip: candidates and scores
        query = query.join(kandidaten, kandidaten.c.zorgaanbieder_id == z.id).join(gelijkenis, true())
        if after is not None:
            query = query.where(tuple_(1 - score, z.id) > (float(after[0]), after[1]))
        if vestiging_filters:
            query = query.where(exists().where(Vestiging.zorgaanbieder_id == z.id, *vestiging_filters))
    elif vestiging_filters:
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
        query = select(z, literal(None).label("afstand")).join(matches, matches.c.zorgaanbieder_id == z.id).order_by(z.kvk_nummer, z.id)
        rows = await session.execute(query)
        return [(row[0], row[1]) for row in rows]
    else:
        query = select(z, literal(None).label("afstand")).order_by(z.kvk_nummer, z.id)
        if after is not None:
            query = query.where(tuple_(z.kvk_nummer, z.id) > (str(after[0]), after[1]))
    rows = await session.execute(_provider_filters(query, vraag).limit(size))
    return [(row[0], row[1]) for row in rows]


def _vestiging_filters(vraag: Zoekvraag) -> list:
    filters = []
    if vraag.vestigingsnummer:
        filters.append(Vestiging.vestigingsnummer == vraag.vestigingsnummer)
    if vraag.postcode:
        filters.append(Vestiging.postcode == vraag.postcode)
    if vraag.gemeente_code:
        filters.append(Vestiging.gemeente_code == vraag.gemeente_code)
    if vraag.gemeente:
        codes = [code for code, naam in gemeenten().items() if naam.lower() == vraag.gemeente.lower()]
        filters.append(Vestiging.gemeente_code.in_(codes) if codes else func.lower(Vestiging.gemeente) == vraag.gemeente.lower())
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


async def vervang_woorden(session: AsyncSession, zorgaanbieder_id: uuid.UUID, woorden: list[str]) -> None:
    """Keep the word index of one provider in step with its names (and the vocabulary counts)."""
    await session.execute(
        text(
            "WITH oud AS (DELETE FROM zorgaanbieder_woord WHERE zorgaanbieder_id = :id RETURNING woord) "
            "UPDATE zoekwoord SET aantal = aantal - 1 WHERE woord IN (SELECT woord FROM oud)"
        ),
        {"id": zorgaanbieder_id},
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
