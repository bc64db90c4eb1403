"""Openbaarmaking: every besluit's mandatory publication (Gezondheidswet art. 44), as one transition table.

    wachttijd ──(term watcher, the day after the last wachtdag)──▶ gepubliceerd ──(term watcher, after 5 years)──▶ verwijderd
       │  ▲                                                             └──(court finds it incorrect)──────────────▶ verwijderd
       ▼  │ (court lifts the stop: the rest of the wachttijd runs, or it is published at the watcher's next run)
    opgeschort ──(court forbids publication)──▶ afgezien ◀──(court forbids it during the wachttijd)── wachttijd

Publication is done by the platform's term watcher (``zorgtoezicht.termijnbewaking``), not computed at read
time: the wachttijd is a stored term, so ``openbaarmaking-gepubliceerd`` fires exactly once across replicas,
with an audit row naming the term; a court stop cancels the term and lifting it registers it again. The
public list reads ``status = gepubliceerd`` and, as a guard against a watcher that has not run yet, also
``zichtbaar_tot >= today``.

The lead's bekendmaking step calls ``voornemen(werk, besluit_id=..., ...)`` in its own unit of work.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select, tuple_, update

from handhaving.models import Besluit, Openbaarmaking, OpenbaarmakingStatusRij
from handhaving.openbaarmaking_regels import (
    INSTRUMENT_OPENBAAR,
    PUBLICEERBAAR,
    Documentsoort,
    laatste_wachtdag,
    persoonsgegevens_in,
    zichtbaar_tot,
)
from handhaving.openbaarmaking_regels import OpenbaarmakingStatus as S
from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.events.contracts.handhaving import OpenbaarmakingGepubliceerd, OpenbaarmakingVerwijderd
from zorgtoezicht.events.envelope import EventData
from zorgtoezicht.http.problems import Conflict, InvalidInput, NotFound
from zorgtoezicht.termijnbewaking import Termijn
from zorgtoezicht.termijnen import vandaag
from zorgtoezicht.werk import Werk
from zorgtoezicht.workflow import Overgang, Workflow

WACHTTIJD = "openbaarmaking-wachttijd"  # term kinds, declared in the ServiceDefinition (TERMIJNEN)
BEWAARTERMIJN = "openbaarmaking-bewaartermijn"

ALLEEN_SYSTEEM = frozenset({S.gepubliceerd})  # only the ended wachttijd publishes
OVERGANGEN = (
    Overgang(S.wachttijd, S.gepubliceerd, "the wachttijd ended without a court stop: the term watcher publishes"),
    Overgang(S.wachttijd, S.opgeschort, "the voorzieningenrechter stops publication until it rules (voorlopige voorziening)"),
    Overgang(S.opgeschort, S.wachttijd, "the court lifts the stop: the rest of the wachttijd runs (or it is published at once)"),
    Overgang(S.opgeschort, S.afgezien, "the court forbids publication, or the besluit was revoked"),
    Overgang(S.wachttijd, S.afgezien, "a court forbids publication before the wachttijd ended, or the besluit was revoked"),
    Overgang(S.gepubliceerd, S.verwijderd, "its years online ended, a court found it incorrect, or the besluit was revoked"),
)


class Uitspraak(StrEnum):
    """What a court decided about a publication; each is one step of the table."""

    schorsing = "schorsing"  # voorlopige voorziening: publication waits
    schorsing_opgeheven = "schorsing-opgeheven"  # the stop is lifted: publication goes ahead
    verwijdering = "verwijdering"  # incorrect: taken off the list, or never published


def _zichtbaar(o: Openbaarmaking) -> dict[str, Any]:
    return {"status": str(o.status), "laatsteWachtdag": o.laatste_wachtdag.isoformat(), "zichtbaarTot": _iso(o.zichtbaar_tot)}


def _iso(dag: date | None) -> str | None:
    return dag.isoformat() if dag else None


STATUS: Workflow[Openbaarmaking] = Workflow(
    "openbaarmaking",
    OVERGANGEN,
    begin=S.wachttijd,
    alleen_systeem=ALLEEN_SYSTEEM,
    geschiedenis=OpenbaarmakingStatusRij.__table__,
    aggregaat_kolom="openbaarmaking_id",
    audit=lambda o: {
        "hoofd_object_id": o.id,
        "hoofd_pad": f"openbaarmakingen/{o.id}",
        "resource": "openbaarmaking",
        "weergave": f"Openbaarmaking {o.instrument} {str(o.id)[:8]}",
    },
    zichtbaar=_zichtbaar,
)


def _ongeldig(name: str, code: str, reason: str) -> InvalidInput:
    return InvalidInput("This cannot be published", invalid_params=[{"name": name, "code": code, "reason": reason}])


async def voornemen(
    werk: Werk,
    *,
    besluit_id: uuid.UUID,
    zorgaanbieder_id: uuid.UUID,
    instrument: MaatregelSoort,
    besluitdatum: date,
    zakelijke_weergave: str,
    documentsoort: Documentsoort = Documentsoort.zakelijke_weergave_besluit,
    bekendgemaakt_op: date | None = None,
) -> Openbaarmaking | None:
    """The decision to publish a besluit, made known on ``bekendgemaakt_op`` (default today): the wachttijd runs.

    None for an instrument that is no besluit (advice: nothing to publish). 400 for what may never be published
    (a boeterapport, a criminal investigation, confidential business data) and for a zakelijke weergave that
    contains personal data; 409 when the besluit already has a publication."""
    instrument, documentsoort = MaatregelSoort(instrument), Documentsoort(documentsoort)
    if not INSTRUMENT_OPENBAAR[instrument]:
        return None
    regel = PUBLICEERBAAR[documentsoort]
    if not regel.openbaar:
        raise _ongeldig("documentsoort", "niet_openbaar", regel.grondslag)
    if gevonden := persoonsgegevens_in(zakelijke_weergave):
        raise _ongeldig("zakelijkeWeergave", "persoonsgegevens", "contains what looks like personal data: " + ", ".join(gevonden))
    session = werk.session
    if await session.scalar(select(Openbaarmaking.id).where(Openbaarmaking.besluit_id == besluit_id)) is not None:
        raise Conflict("This besluit already has an openbaarmaking", code="openbaarmaking_bestaat")
    bekend = bekendgemaakt_op or vandaag()
    o = Openbaarmaking(
        id=uuid.uuid4(),
        besluit_id=besluit_id,
        zorgaanbieder_id=zorgaanbieder_id,
        instrument=instrument,
        documentsoort=documentsoort,
        besluitdatum=besluitdatum,
        zakelijke_weergave=zakelijke_weergave,
        status=S.wachttijd,
        bekendgemaakt_op=bekend,
        laatste_wachtdag=laatste_wachtdag(bekend),
    )
    session.add(o)
    await session.flush()
    await STATUS.schrijf(werk, [STATUS.rij(o.id, S.wachttijd, door=werk.actor.applicatie_id, toelichting=None)])
    await werk.termijnen.registreer(session, o.id, WACHTTIJD, uiterlijk=o.laatste_wachtdag)
    await werk.audit.record(session, werk.actor, actie="create", oud=None, nieuw=_zichtbaar(o), resultaat=201, **STATUS.audit(o))
    return o


async def _voor_wijziging(werk: Werk, openbaarmaking_id: uuid.UUID) -> Openbaarmaking:
    o = await werk.session.get(Openbaarmaking, openbaarmaking_id, with_for_update=True)
    if o is None:
        raise NotFound(f"No openbaarmaking with id {openbaarmaking_id}")
    return o


async def rechterlijke_uitspraak(werk: Werk, openbaarmaking_id: uuid.UUID, uitspraak: Uitspraak, toelichting: str) -> Openbaarmaking:
    """Record a court's decision as a step of the table (409 when the publication is not in a state it applies to)."""
    o = await _voor_wijziging(werk, openbaarmaking_id)
    session = werk.session
    if uitspraak is Uitspraak.schorsing:
        await STATUS.stap(werk, o, S.opgeschort, toelichting=toelichting)
        await werk.termijnen.vervallen(session, o.id, WACHTTIJD)
    elif uitspraak is Uitspraak.schorsing_opgeheven:
        await STATUS.stap(werk, o, S.wachttijd, toelichting=toelichting)
        # The same last day: if it has passed, the watcher publishes at its next run (once).
        await werk.termijnen.registreer(session, o.id, WACHTTIJD, uiterlijk=o.laatste_wachtdag)
    elif o.status == S.gepubliceerd:
        o.verwijderd_op = vandaag()
        await STATUS.stap(werk, o, S.verwijderd, toelichting=toelichting, gebeurtenissen=[_verwijderd(o, "rechterlijke-uitspraak")])
        await werk.termijnen.vervallen(session, o.id, BEWAARTERMIJN)
    else:
        await STATUS.stap(werk, o, S.afgezien, toelichting=toelichting)
        await werk.termijnen.vervallen(session, o.id, WACHTTIJD)
    await session.flush()
    return o


async def besluit_ingetrokken(werk: Werk, besluit_id: uuid.UUID, toelichting: str) -> Openbaarmaking | None:
    """The besluit was revoked (by the inspectorate, at the provider's request, or on a well-founded objection): what
    is no longer in force is not published - still waiting, it is never published; on the list, it comes off today."""
    o = await werk.session.scalar(select(Openbaarmaking).where(Openbaarmaking.besluit_id == besluit_id).with_for_update())
    if o is None or o.status in (S.verwijderd, S.afgezien):
        return o
    if o.status == S.gepubliceerd:
        o.verwijderd_op = vandaag()
        await STATUS.stap(werk, o, S.verwijderd, toelichting=toelichting, gebeurtenissen=[_verwijderd(o, "besluit-ingetrokken")])
        await werk.termijnen.vervallen(werk.session, o.id, BEWAARTERMIJN)
    else:
        await STATUS.stap(werk, o, S.afgezien, toelichting=toelichting)
        await werk.termijnen.vervallen(werk.session, o.id, WACHTTIJD)
    return o


def _verwijderd(o: Openbaarmaking, reden: str) -> OpenbaarmakingVerwijderd:
    return OpenbaarmakingVerwijderd(
        openbaarmaking_id=o.id, besluit_id=o.besluit_id, zorgaanbieder_id=o.zorgaanbieder_id, reden=reden, verwijderd_op=o.verwijderd_op
    )


async def wachttijd_verstreken(werk: Werk, termijn: Termijn) -> Sequence[EventData]:
    """The term watcher: the wachttijd ended, so the item is published today and stays online for its years."""
    o = await _voor_wijziging(werk, termijn.aggregaat_id)
    o.gepubliceerd_op = vandaag()
    o.zichtbaar_tot = zichtbaar_tot(o.gepubliceerd_op)
    await STATUS.stap(werk, o, S.gepubliceerd, door_systeem=True, toelichting=f"termijn {termijn.soort} verstreken")
    await werk.termijnen.registreer(werk.session, o.id, BEWAARTERMIJN, uiterlijk=o.zichtbaar_tot)
    # the ZGW Besluit's publicatiedatum: the day the besluit went on the public list
    await werk.session.execute(update(Besluit).where(Besluit.id == o.besluit_id).values(publicatiedatum=o.gepubliceerd_op))
    return [
        OpenbaarmakingGepubliceerd(
            openbaarmaking_id=o.id,
            besluit_id=o.besluit_id,
            zorgaanbieder_id=o.zorgaanbieder_id,
            instrument=o.instrument,
            gepubliceerd_op=o.gepubliceerd_op,
            zichtbaar_tot=o.zichtbaar_tot,
        )
    ]


async def bewaartermijn_verstreken(werk: Werk, termijn: Termijn) -> Sequence[EventData]:
    """The term watcher: the item's years online ended; it leaves the public list."""
    o = await _voor_wijziging(werk, termijn.aggregaat_id)
    o.verwijderd_op = vandaag()
    await STATUS.stap(werk, o, S.verwijderd, toelichting=f"termijn {termijn.soort} verstreken")
    return [_verwijderd(o, "bewaartermijn-verstreken")]


TERMIJNEN = {WACHTTIJD: wachttijd_verstreken, BEWAARTERMIJN: bewaartermijn_verstreken}


async def get(werk_of_session: Any, openbaarmaking_id: uuid.UUID) -> Openbaarmaking:
    o = await werk_of_session.get(Openbaarmaking, openbaarmaking_id)
    if o is None:
        raise NotFound(f"No openbaarmaking with id {openbaarmaking_id}")
    return o


async def gepubliceerd(session: Any, limit: int, na: tuple[date, uuid.UUID] | None) -> list[Openbaarmaking]:
    """The public list: published and still within its years, newest first, strictly after the position ``na``."""
    query = select(Openbaarmaking).where(Openbaarmaking.status == S.gepubliceerd, Openbaarmaking.zichtbaar_tot >= vandaag())
    if na is not None:
        query = query.where(tuple_(Openbaarmaking.gepubliceerd_op, Openbaarmaking.id) < tuple_(*na))
    query = query.order_by(Openbaarmaking.gepubliceerd_op.desc(), Openbaarmaking.id.desc()).limit(limit)
    return list(await session.scalars(query))
