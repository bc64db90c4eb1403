"""Register's domain logic: validates against the current state, changes it, emits the event."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from register import repository
from register.models import Vestiging, Zorgaanbieder
from register.schemas import ZorgaanbiederIn
from zorgtoezicht.events.contracts.handhaving import MaatregelOpgelegd
from zorgtoezicht.events.contracts.register import VestigingFeit, ZorgaanbiederGeregistreerd
from zorgtoezicht.http.problems import Conflict, InvalidInput
from zorgtoezicht.messaging.outbox import Outbox


async def registreer_zorgaanbieder(session: AsyncSession, outbox: Outbox, invoer: ZorgaanbiederIn) -> Zorgaanbieder:
    nummers = [v.vestigingsnummer for v in invoer.vestigingen]
    doubles = sorted({n for n in nummers if nummers.count(n) > 1})
    if doubles:
        raise InvalidInput(
            "A vestigingsnummer occurs more than once",
            invalid_params=[{"name": "vestigingen", "code": "duplicate", "reason": f"vestigingsnummer {n} occurs twice"} for n in doubles],
        )
    if await repository.kvk_in_use(session, invoer.kvk_nummer):
        raise Conflict(f"KvK-nummer {invoer.kvk_nummer} is already registered", code="kvk_nummer_bestaat")
    if taken := await repository.vestigingsnummers_in_use(session, nummers):
        raise Conflict(f"Vestigingsnummer(s) already registered: {', '.join(taken)}", code="vestigingsnummer_bestaat")
    zorgaanbieder = Zorgaanbieder(id=uuid.uuid4(), kvk_nummer=invoer.kvk_nummer, naam=invoer.naam)
    zorgaanbieder.vestigingen = [
        Vestiging(vestigingsnummer=v.vestigingsnummer, naam=v.naam, postcode=v.postcode, gemeente=v.gemeente)
        for v in invoer.vestigingen
    ]
    session.add(zorgaanbieder)
    await session.flush()
    await outbox.add(
        session,
        ZorgaanbiederGeregistreerd(
            zorgaanbieder_id=zorgaanbieder.id,
            kvk_nummer=zorgaanbieder.kvk_nummer,
            vestigingen=[VestigingFeit(vestigingsnummer=v.vestigingsnummer, gemeente=v.gemeente) for v in invoer.vestigingen],
        ),
    )
    await session.refresh(zorgaanbieder)
    return zorgaanbieder


async def verwerk_maatregel_opgelegd(session: AsyncSession, data: MaatregelOpgelegd) -> None:
    await repository.add_actieve_maatregel(
        session,
        maatregel_id=data.maatregel_id,
        zorgaanbieder_id=data.zorgaanbieder_id,
        soort=data.soort.value,
        ingangsdatum=data.ingangsdatum,
        einddatum=data.einddatum,
    )
