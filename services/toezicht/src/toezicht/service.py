"""toezicht's domain logic: every melding is a signal about its provider's risk."""

from __future__ import annotations

import uuid

from toezicht import repository
from zorgtoezicht.events.contracts.toezicht import RisicoprofielGewijzigd
from zorgtoezicht.service import Werk


async def verwerk_signaal(werk: Werk, zorgaanbieder_id: uuid.UUID) -> None:
    """One more signal on the provider's profile: the new count, its event, and an audit row naming the cause (the actor)."""
    aantal = await repository.count_signal(werk.session, zorgaanbieder_id)
    await werk.outbox.add(werk.session, RisicoprofielGewijzigd(zorgaanbieder_id=zorgaanbieder_id, aantal_signalen=aantal))
    await werk.audit.record(
        werk.session,
        werk.actor,
        actie="create" if aantal == 1 else "partial_update",
        hoofd_object_id=zorgaanbieder_id,
        hoofd_pad=f"risicoprofielen/{zorgaanbieder_id}",
        resource="risicoprofiel",
        weergave=f"Risicoprofiel {str(zorgaanbieder_id)[:8]}",
        oud=None if aantal == 1 else {"aantalSignalen": aantal - 1},
        nieuw={"aantalSignalen": aantal},
        resultaat=201 if aantal == 1 else 200,
    )
