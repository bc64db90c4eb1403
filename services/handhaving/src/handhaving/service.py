"""handhaving's domain logic: impose a measure on a known provider and announce it."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from handhaving import repository
from handhaving.models import Maatregel
from handhaving.schemas import MaatregelIn
from zorgtoezicht.events.contracts.handhaving import MaatregelOpgelegd
from zorgtoezicht.events.contracts.register import ZorgaanbiederGeregistreerd
from zorgtoezicht.http.problems import InvalidInput
from zorgtoezicht.service import Werk


async def leg_maatregel_op(werk: Werk, invoer: MaatregelIn) -> Maatregel:
    """A measure on a known provider: the row, its event and its audit row (who decided) in ``werk``'s transaction."""
    session = werk.session
    if not await repository.zorgaanbieder_bekend(session, invoer.zorgaanbieder_id):
        raise InvalidInput(
            "The zorgaanbieder is not in the register",
            invalid_params=[
                {
                    "name": "zorgaanbiederId",
                    "code": "onbekende_zorgaanbieder",
                    "reason": f"no registered zorgaanbieder has id {invoer.zorgaanbieder_id}",
                }
            ],
        )
    maatregel = Maatregel(
        id=uuid.uuid4(),
        zorgaanbieder_id=invoer.zorgaanbieder_id,
        soort=invoer.soort.value,
        ingangsdatum=invoer.ingangsdatum,
        einddatum=invoer.einddatum,
        motivering=invoer.motivering,
        opgelegd_door=werk.actor.applicatie_id,
    )
    session.add(maatregel)
    await session.flush()
    await session.refresh(maatregel)
    await werk.outbox.add(
        session,
        MaatregelOpgelegd(
            maatregel_id=maatregel.id,
            zorgaanbieder_id=maatregel.zorgaanbieder_id,
            soort=invoer.soort,
            ingangsdatum=maatregel.ingangsdatum,
            einddatum=maatregel.einddatum,
        ),
    )
    await werk.audit.record(
        session,
        werk.actor,
        actie="create",
        hoofd_object_id=maatregel.id,
        hoofd_pad=f"maatregelen/{maatregel.id}",
        resource="maatregel",
        weergave=f"Maatregel {maatregel.soort} {str(maatregel.id)[:8]}",
        oud=None,
        nieuw={
            "zorgaanbiederId": str(maatregel.zorgaanbieder_id),
            "soort": maatregel.soort,
            "ingangsdatum": maatregel.ingangsdatum.isoformat(),
            "einddatum": maatregel.einddatum.isoformat() if maatregel.einddatum else None,
        },
        resultaat=201,
    )
    return maatregel


async def verwerk_zorgaanbieder_geregistreerd(session: AsyncSession, data: ZorgaanbiederGeregistreerd) -> None:
    await repository.add_zorgaanbieder(session, data.zorgaanbieder_id, data.kvk_nummer)
