"""Every query of meldpunt; no commits here (the caller owns the transaction)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from zoneinfo import ZoneInfo

from sqlalchemy import Select, delete, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from meldpunt.models import BekendeVestiging, BekendeZorgaanbieder, Melding, MeldingStatus, MogelijkeDubbel

NL = ZoneInfo("Europe/Amsterdam")


async def get_vestiging(session: AsyncSession, vestigingsnummer: str) -> BekendeVestiging | None:
    return await session.get(BekendeVestiging, vestigingsnummer)


async def vestiging_met_zorgaanbieder(session: AsyncSession, vestigingsnummer: str
                                      ) -> tuple[BekendeVestiging | None, BekendeZorgaanbieder | None]:
    """The vestiging and its provider in one round trip (intake's hot path)."""
    row = (await session.execute(
        select(BekendeVestiging, BekendeZorgaanbieder)
        .outerjoin(BekendeZorgaanbieder, BekendeZorgaanbieder.zorgaanbieder_id == BekendeVestiging.zorgaanbieder_id)
        .where(BekendeVestiging.vestigingsnummer == vestigingsnummer))).first()
    return (row[0], row[1]) if row else (None, None)


async def get_zorgaanbieder(session: AsyncSession, zorgaanbieder_id: uuid.UUID) -> BekendeZorgaanbieder | None:
    return await session.get(BekendeZorgaanbieder, zorgaanbieder_id)


async def upsert_zorgaanbieder(session: AsyncSession, **values: object) -> None:
    statement = insert(BekendeZorgaanbieder).values(**values)
    await session.execute(statement.on_conflict_do_update(
        index_elements=[BekendeZorgaanbieder.zorgaanbieder_id],
        set_={key: statement.excluded[key] for key in values if key != "zorgaanbieder_id"},
    ))


async def set_zorgaanbieder_status(session: AsyncSession, zorgaanbieder_id: uuid.UUID, status: str) -> None:
    await session.execute(update(BekendeZorgaanbieder).where(BekendeZorgaanbieder.zorgaanbieder_id == zorgaanbieder_id)
                          .values(status=status))


async def replace_vestigingen(session: AsyncSession, zorgaanbieder_id: uuid.UUID, rows: list[dict[str, object]]) -> None:
    """The provider's vestigingen become exactly ``rows`` (a vestiging may move to another provider)."""
    await session.execute(delete(BekendeVestiging).where(BekendeVestiging.zorgaanbieder_id == zorgaanbieder_id))
    if rows:
        statement = insert(BekendeVestiging).values(rows)
        await session.execute(statement.on_conflict_do_update(
            index_elements=[BekendeVestiging.vestigingsnummer],
            set_={key: statement.excluded[key] for key in rows[0] if key != "vestigingsnummer"},
        ))


async def get_melding(session: AsyncSession, melding_id: uuid.UUID, *, for_update: bool = False) -> Melding | None:
    return await session.get(Melding, melding_id, with_for_update=for_update)


async def add_status(session: AsyncSession, melding_id: uuid.UUID, status: str, door: str, toelichting: str | None) -> None:
    session.add(MeldingStatus(melding_id=melding_id, status=status, door=door, toelichting=toelichting))


async def statussen(session: AsyncSession, melding_id: uuid.UUID) -> list[MeldingStatus]:
    return list(await session.scalars(select(MeldingStatus).where(MeldingStatus.melding_id == melding_id).order_by(MeldingStatus.id)))


async def herhalingen(session: AsyncSession, zorgaanbieder_id: uuid.UUID, sinds: datetime) -> int:
    return await session.scalar(select(func.count()).select_from(Melding).where(
        Melding.zorgaanbieder_id == zorgaanbieder_id, Melding.ontvangen_op >= sinds)) or 0


async def mogelijke_dubbelen_van(session: AsyncSession, melding: Melding, venster_dagen: int) -> list[Melding]:
    """Same vestiging, same kind, event date within the window: for a person to decide (never merged automatically)."""
    if melding.vestigingsnummer is None or melding.gebeurtenisdatum is None:
        return []
    query = select(Melding).where(
        Melding.id != melding.id, Melding.vestigingsnummer == melding.vestigingsnummer, Melding.soort == melding.soort,
        Melding.gebeurtenisdatum.between(melding.gebeurtenisdatum - timedelta(days=venster_dagen),
                                         melding.gebeurtenisdatum + timedelta(days=venster_dagen)),
        Melding.samengevoegd_met.is_(None),
    ).order_by(Melding.ontvangen_op, Melding.id).limit(50)
    return list(await session.scalars(query))


async def link_dubbel(session: AsyncSession, a: uuid.UUID, b: uuid.UUID, reden: str) -> None:
    for melding_id, andere_id in ((a, b), (b, a)):
        await session.execute(insert(MogelijkeDubbel).values(melding_id=melding_id, andere_id=andere_id, reden=reden)
                              .on_conflict_do_nothing())


async def dubbelen(session: AsyncSession, melding_id: uuid.UUID) -> list[tuple[Melding, str]]:
    rows = await session.execute(select(Melding, MogelijkeDubbel.reden).join(MogelijkeDubbel, MogelijkeDubbel.andere_id == Melding.id)
                                 .where(MogelijkeDubbel.melding_id == melding_id).order_by(Melding.ontvangen_op, Melding.id))
    return [(m, reden) for m, reden in rows]


async def page_of_meldingen(session: AsyncSession, *, size: int, after: tuple[datetime, uuid.UUID] | None,
                            gemeenten: list[str] | None, status: str | None, soort: str | None, route: str | None,
                            verlopen_op: date | None, zorgaanbieder_id: uuid.UUID | None) -> list[Melding]:
    """Newest first; ``gemeenten`` restricts to those (a partner's scope), ``verlopen_op`` to overdue ones."""
    query: Select = select(Melding).order_by(Melding.ontvangen_op.desc(), Melding.id.desc()).limit(size)
    if gemeenten is not None:
        query = query.where(Melding.gemeente_code.in_(gemeenten))
    if status:
        query = query.where(Melding.status == status)
    if soort:
        query = query.where(Melding.soort == soort)
    if route:
        query = query.where(Melding.route == route)
    if zorgaanbieder_id:
        query = query.where(Melding.zorgaanbieder_id == zorgaanbieder_id)
    if verlopen_op is not None:
        open_statussen = ("ontvangen", "getrieerd", "in-behandeling", "wacht-op-zorgaanbieder", "heropend")
        query = query.where(Melding.status.in_(open_statussen),
                            (Melding.afhandeldatum < verlopen_op)
                            | ((Melding.rapport_uiterlijk < verlopen_op) & Melding.rapport_ontvangen_op.is_(None)))
    if after is not None:
        query = query.where(tuple_(Melding.ontvangen_op, Melding.id) < after)
    return list(await session.scalars(query))


async def rapporten_te_laat(session: AsyncSession, vandaag: date, limit: int = 500) -> list[Melding]:
    """Meldingen whose calamiteitenrapport is overdue and not yet announced as late."""
    query = (select(Melding).where(Melding.rapport_uiterlijk < vandaag, Melding.rapport_ontvangen_op.is_(None),
                                   Melding.rapport_te_laat_gemeld.is_(False), Melding.samengevoegd_met.is_(None))
             .order_by(Melding.rapport_uiterlijk, Melding.id).limit(limit).with_for_update(skip_locked=True))
    return list(await session.scalars(query))


async def tellingen_per_sector_en_soort(session: AsyncSession, jaar: int) -> list[tuple[str | None, str, int]]:
    begin = datetime(jaar, 1, 1, tzinfo=NL)  # the Jaarbeeld counts Dutch calendar years
    einde = datetime(jaar + 1, 1, 1, tzinfo=NL)
    rows = await session.execute(select(Melding.sector, Melding.soort, func.count())
                                 .where(Melding.ontvangen_op >= begin, Melding.ontvangen_op < einde, Melding.samengevoegd_met.is_(None))
                                 .group_by(Melding.sector, Melding.soort))
    return [(sector, soort, count) for sector, soort, count in rows]
