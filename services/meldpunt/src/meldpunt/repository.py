"""Every query of meldpunt; no commits here (the caller owns the transaction).

Every query a caller makes of meldingen starts from ``zichtbare_meldingen(zicht)``: the caller's view
(``Zicht``) is part of the SQL, so another gemeente's melding is simply not found, by any operation.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Integer, Select, Text, bindparam, delete, false, func, or_, select, true, tuple_, union, update
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from meldpunt.models import BekendeVestiging, BekendeZorgaanbieder, Melding, MeldingStatus, MogelijkeDubbel
from zorgtoezicht.domain.meldingen import OPEN_STATUSSEN

NL = ZoneInfo("Europe/Amsterdam")


async def get_vestiging(session: AsyncSession, vestigingsnummer: str) -> BekendeVestiging | None:
    return await session.get(BekendeVestiging, vestigingsnummer)


async def vestigingen_met_zorgaanbieder(
    session: AsyncSession, vestigingsnummers: Collection[str]
) -> dict[str, tuple[BekendeVestiging, BekendeZorgaanbieder | None]]:
    """The known vestigingen among these numbers, each with its provider, in one round trip (intake)."""
    if not vestigingsnummers:
        return {}
    rows = await session.execute(
        select(BekendeVestiging, BekendeZorgaanbieder)
        .outerjoin(BekendeZorgaanbieder, BekendeZorgaanbieder.zorgaanbieder_id == BekendeVestiging.zorgaanbieder_id)
        .where(BekendeVestiging.vestigingsnummer.in_(vestigingsnummers))
    )
    return {vestiging.vestigingsnummer: (vestiging, zorgaanbieder) for vestiging, zorgaanbieder in rows}


async def get_zorgaanbieder(session: AsyncSession, zorgaanbieder_id: uuid.UUID) -> BekendeZorgaanbieder | None:
    return await session.get(BekendeZorgaanbieder, zorgaanbieder_id)


async def upsert_zorgaanbieder(session: AsyncSession, **values: object) -> None:
    statement = insert(BekendeZorgaanbieder).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[BekendeZorgaanbieder.zorgaanbieder_id],
            set_={key: statement.excluded[key] for key in values if key != "zorgaanbieder_id"},
        )
    )


async def set_zorgaanbieder_status(session: AsyncSession, zorgaanbieder_id: uuid.UUID, status: str) -> None:
    await session.execute(
        update(BekendeZorgaanbieder).where(BekendeZorgaanbieder.zorgaanbieder_id == zorgaanbieder_id).values(status=status)
    )


async def replace_vestigingen(session: AsyncSession, zorgaanbieder_id: uuid.UUID, rows: list[dict[str, object]]) -> None:
    """The provider's vestigingen become exactly ``rows`` (a vestiging may move to another provider)."""
    await session.execute(delete(BekendeVestiging).where(BekendeVestiging.zorgaanbieder_id == zorgaanbieder_id))
    if rows:
        statement = insert(BekendeVestiging)
        # The rows beside the statement: a multi-row VALUES cannot be cached and would be compiled every time.
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[BekendeVestiging.vestigingsnummer],
                set_={key: statement.excluded[key] for key in rows[0] if key != "vestigingsnummer"},
            ),
            rows,
        )


@dataclass(frozen=True)
class Zicht:
    """Which meldingen a caller may see: every one (``gemeenten`` None: inspectorate staff, the system
    itself), or only those of ``gemeenten`` (a Wmo-toezichthouder) plus those ``ingediend_door`` submitted."""

    gemeenten: frozenset[str] | None
    ingediend_door: str | None = None

    def filter(self, melding: type[Melding] = Melding) -> ColumnElement[bool]:
        if self.gemeenten is None:
            return true()
        clauses = [melding.gemeente_code.in_(sorted(self.gemeenten))] if self.gemeenten else []
        if self.ingediend_door is not None:
            clauses.append(melding.ingediend_door == self.ingediend_door)
        return or_(*clauses) if clauses else false()


ALLES = Zicht(gemeenten=None)  # the system actor (intake, periodic jobs, event handlers) and staff see everything


def zichtbare_meldingen(zicht: Zicht) -> Select:
    """The meldingen ``zicht`` may see: the start of every query a caller makes of meldingen."""
    return select(Melding).where(zicht.filter())


async def get_melding(session: AsyncSession, zicht: Zicht, melding_id: uuid.UUID, *, for_update: bool = False) -> Melding | None:
    """The melding if it exists and ``zicht`` may see it."""
    query = zichtbare_meldingen(zicht).where(Melding.id == melding_id)
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query)


async def add_status(session: AsyncSession, melding_id: uuid.UUID, status: str, door: str, toelichting: str | None) -> None:
    session.add(MeldingStatus(melding_id=melding_id, status=status, door=door, toelichting=toelichting))


async def statussen(session: AsyncSession, zicht: Zicht, melding_id: uuid.UUID) -> list[MeldingStatus]:
    zichtbaar = zichtbare_meldingen(zicht).with_only_columns(Melding.id).where(Melding.id == melding_id)
    return list(await session.scalars(select(MeldingStatus).where(MeldingStatus.melding_id.in_(zichtbaar)).order_by(MeldingStatus.id)))


async def herhalingen(session: AsyncSession, zorgaanbieder_ids: Collection[uuid.UUID], sinds: datetime) -> dict[uuid.UUID, int]:
    """Per provider: how many meldingen about it came in since ``sinds``."""
    if not zorgaanbieder_ids:
        return {}
    rows = await session.execute(
        select(Melding.zorgaanbieder_id, func.count())
        .where(Melding.zorgaanbieder_id.in_(zorgaanbieder_ids), Melding.ontvangen_op >= sinds)
        .group_by(Melding.zorgaanbieder_id)
    )
    return {zorgaanbieder_id: count for zorgaanbieder_id, count in rows}


def _mogelijke_dubbelen_koppelen() -> Insert:
    """Built once (with bind parameters): composing aliased, lateral statements costs more than running them."""
    nieuw, ander = aliased(Melding), aliased(Melding)
    venster = bindparam("venster_dagen", type_=Integer)
    kandidaten = (
        select(ander.id)
        .where(
            ander.id != nieuw.id,
            ander.vestigingsnummer == nieuw.vestigingsnummer,
            ander.soort == nieuw.soort,
            ander.gebeurtenisdatum.between(nieuw.gebeurtenisdatum - venster, nieuw.gebeurtenisdatum + venster),
            ander.samengevoegd_met.is_(None),
        )
        .order_by(ander.ontvangen_op, ander.id)
        .limit(50)
        .lateral("kandidaat")
    )
    paren = (
        select(nieuw.id.label("melding_id"), kandidaten.c.id.label("andere_id"))
        .join(kandidaten, true())
        .where(nieuw.id.in_(bindparam("melding_ids", expanding=True)))
        .cte("paren")
    )
    reden = bindparam("reden", type_=Text)
    beide_kanten = union(select(paren.c.melding_id, paren.c.andere_id, reden), select(paren.c.andere_id, paren.c.melding_id, reden))
    return insert(MogelijkeDubbel.__table__).from_select(["melding_id", "andere_id", "reden"], beide_kanten).on_conflict_do_nothing()


_KOPPEL_MOGELIJKE_DUBBELEN = _mogelijke_dubbelen_koppelen()


async def link_mogelijke_dubbelen(session: AsyncSession, melding_ids: Collection[uuid.UUID], venster_dagen: int, reden: str) -> None:
    """Link each of these (just written) meldingen both ways with its possible duplicates: same vestiging, same
    kind, event date within the window, not merged (at most 50 each, oldest first). One statement for them all,
    which also pairs meldingen written in this same transaction. A person decides; nothing is merged here."""
    if melding_ids:
        await session.execute(
            _KOPPEL_MOGELIJKE_DUBBELEN, {"melding_ids": list(melding_ids), "venster_dagen": venster_dagen, "reden": reden}
        )


async def dubbelen(session: AsyncSession, zicht: Zicht, melding_id: uuid.UUID) -> list[tuple[Melding, str]]:
    """The possible duplicates of a melding that ``zicht`` may see (the others are not there for it)."""
    rows = await session.execute(
        zichtbare_meldingen(zicht)
        .add_columns(MogelijkeDubbel.reden)
        .join(MogelijkeDubbel, MogelijkeDubbel.andere_id == Melding.id)
        .where(MogelijkeDubbel.melding_id == melding_id)
        .order_by(Melding.ontvangen_op, Melding.id)
    )
    return [(m, reden) for m, reden in rows]


async def page_of_meldingen(
    session: AsyncSession,
    zicht: Zicht,
    *,
    size: int,
    after: tuple[datetime, uuid.UUID] | None,
    status: str | None,
    soort: str | None,
    route: str | None,
    verlopen_op: date | None,
    zorgaanbieder_id: uuid.UUID | None,
) -> list[Melding]:
    """Newest first, the ones ``zicht`` may see; ``verlopen_op`` restricts to overdue ones."""
    query: Select = zichtbare_meldingen(zicht).order_by(Melding.ontvangen_op.desc(), Melding.id.desc()).limit(size)
    if status:
        query = query.where(Melding.status == status)
    if soort:
        query = query.where(Melding.soort == soort)
    if route:
        query = query.where(Melding.route == route)
    if zorgaanbieder_id:
        query = query.where(Melding.zorgaanbieder_id == zorgaanbieder_id)
    if verlopen_op is not None:
        query = query.where(
            Melding.status.in_(OPEN_STATUSSEN),
            (Melding.afhandeldatum < verlopen_op) | ((Melding.rapport_uiterlijk < verlopen_op) & Melding.rapport_ontvangen_op.is_(None)),
        )
    if after is not None:
        query = query.where(tuple_(Melding.ontvangen_op, Melding.id) < after)
    return list(await session.scalars(query))


async def tellingen_per_sector_en_soort(session: AsyncSession, jaar: int) -> list[tuple[str | None, str, int]]:
    begin = datetime(jaar, 1, 1, tzinfo=NL)  # the Jaarbeeld counts Dutch calendar years
    einde = datetime(jaar + 1, 1, 1, tzinfo=NL)
    rows = await session.execute(
        select(Melding.sector, Melding.soort, func.count())
        .where(Melding.ontvangen_op >= begin, Melding.ontvangen_op < einde, Melding.samengevoegd_met.is_(None))
        .group_by(Melding.sector, Melding.soort)
    )
    return [(sector, soort, count) for sector, soort, count in rows]
