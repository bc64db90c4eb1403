"""A workflow: the allowed status changes of an aggregate as one table of data, each with why it exists.

As Amsterdam Signalen's ``workflow.py``: a change not in the table is refused (409 with a stable code),
statuses are appended as history rows and never edited, and some statuses only the system may set (intake,
triage, an ended term), never a client. One function performs a step inside the caller's unit of work: it
checks the table, sets the status, appends the history row, writes the audit row and emits the step's events
through the outbox - all in the caller's transaction, so a step is whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Table, insert

from zorgtoezicht import klok
from zorgtoezicht.events.envelope import EventData
from zorgtoezicht.http.problems import Conflict
from zorgtoezicht.werk import Werk

A = TypeVar("A")


@dataclass(frozen=True)
class Overgang:
    """One allowed status change and why it exists."""

    van: str
    naar: str
    reden: str


class Workflow(Generic[A]):
    """The transition table of one kind of aggregate, bound to its history table and its audit trail entry.

    ``geschiedenis`` has the columns ``<aggregaat_kolom>, status, sinds, door, toelichting``.
    ``audit(aggregaat)`` names the audit row's object (``hoofd_object_id, hoofd_pad, resource, weergave``)
    and ``zichtbaar(aggregaat)`` gives its non-personal state for the row's ``oud`` and ``nieuw``.
    """

    def __init__(
        self,
        naam: str,
        overgangen: Iterable[Overgang],
        *,
        begin: str,
        geschiedenis: Table,
        aggregaat_kolom: str,
        audit: Callable[[A], dict[str, Any]],
        zichtbaar: Callable[[A], dict[str, Any]],
        alleen_systeem: Collection[str] = (),
        conflict_code: str = "ongeldige_statusovergang",
    ) -> None:
        self.naam = naam
        self.overgangen: dict[tuple[str, str], Overgang] = {}
        for overgang in overgangen:
            if (overgang.van, overgang.naar) in self.overgangen or overgang.van == overgang.naar or not overgang.reden.strip():
                raise ValueError(f"{naam}: {overgang.van} → {overgang.naar} is repeated, a loop or has no reason")
            self.overgangen[(overgang.van, overgang.naar)] = overgang
        self.begin = begin
        self.statussen: tuple[str, ...] = tuple(dict.fromkeys([begin, *(s for pair in self.overgangen for s in pair)]))
        self.alleen_systeem = frozenset(alleen_systeem)
        if not self.alleen_systeem <= set(self.statussen):
            raise ValueError(f"{naam}: unknown system statuses {sorted(self.alleen_systeem - set(self.statussen))}")
        self.geschiedenis = geschiedenis
        self.aggregaat_kolom = aggregaat_kolom
        self.audit = audit
        self.zichtbaar = zichtbaar
        self.conflict_code = conflict_code

    def naar(self, van: str) -> frozenset[str]:
        """The statuses reachable in one step from ``van``."""
        return frozenset(naar for (v, naar) in self.overgangen if v == van)

    def mag(self, van: str, naar: str) -> bool:
        return (van, naar) in self.overgangen

    def controleer(self, van: str, naar: str, *, door_systeem: bool = False) -> Overgang:
        """The transition, or 409: not in the table, or a status only the system sets, asked by a client."""
        overgang = self.overgangen.get((van, naar))
        if overgang is None:
            raise Conflict(f"A {self.naam} that is {van} cannot become {naar}", code=self.conflict_code)
        if naar in self.alleen_systeem and not door_systeem:
            raise Conflict(f"Only the system sets a {self.naam} to {naar}", code="status_alleen_door_systeem")
        return overgang

    def rij(self, aggregaat_id: Any, status: str, *, door: str, toelichting: str | None) -> dict[str, Any]:
        """A history row, not yet written (for a group written in one statement, as intake does)."""
        if status not in self.statussen:
            raise ValueError(f"{self.naam}: unknown status {status!r}")
        return {self.aggregaat_kolom: aggregaat_id, "status": status, "sinds": klok.nu(), "door": door, "toelichting": toelichting}

    async def schrijf(self, werk: Werk, rijen: Sequence[dict[str, Any]]) -> None:
        if rijen:  # executemany: one cached statement whatever the number of rows
            await werk.session.execute(insert(self.geschiedenis), list(rijen))

    async def stap(
        self,
        werk: Werk,
        aggregaat: A,
        naar: str,
        *,
        toelichting: str | None = None,
        door: str | None = None,
        door_systeem: bool = False,
        gebeurtenissen: Sequence[EventData] = (),
        actie: str = "partial_update",
    ) -> Overgang:
        """Move ``aggregaat`` (an object with ``status``) to ``naar`` in ``werk``'s transaction, or raise 409 having
        changed nothing. Writes the history row (``door`` defaults to the actor's client id), the audit row (the
        actor, with its own ``toelichting`` if any) and ``gebeurtenissen`` (the step's events) to the outbox."""
        van = aggregaat.status  # type: ignore[attr-defined]
        overgang = self.controleer(van, naar, door_systeem=door_systeem)
        oud = self.zichtbaar(aggregaat)
        aggregaat.status = naar  # type: ignore[attr-defined]
        doel = self.audit(aggregaat)
        await self.schrijf(werk, [self.rij(doel["hoofd_object_id"], naar, door=door or werk.actor.applicatie_id, toelichting=toelichting)])
        await werk.outbox.add_all(werk.session, gebeurtenissen)
        await werk.audit.record(werk.session, werk.actor, actie=actie, oud=oud, nieuw=self.zichtbaar(aggregaat), **doel)
        return overgang
