"""The clock: the current instant and the Dutch calendar day, in one injectable place.

Service code never reads the wall clock itself (``datetime.now``, ``time.time``, ``date.today``): it asks
``klok.nu()`` or ``klok.vandaag()``. Tests replace the clock with a ``VasteKlok`` and move it forward
(``verzet``) instead of sleeping, so a token that expires, a lease that runs out or a term that ends
is tested at its exact edge, on any machine, at any time of day.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

NL = ZoneInfo("Europe/Amsterdam")


class Klok(Protocol):
    def nu(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class Systeemklok:
    """The wall clock (production)."""

    def nu(self) -> datetime:
        return datetime.now(UTC)


class VasteKlok:
    """A clock that stands still until a test moves it."""

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("a VasteKlok needs a timezone-aware moment")
        self.moment = moment.astimezone(UTC)

    def nu(self) -> datetime:
        return self.moment

    def verzet(self, delta: timedelta) -> datetime:
        """Move the clock (forward or back) and return the new instant."""
        self.moment += delta
        return self.moment

    def zet(self, moment: datetime) -> None:
        self.moment = moment.astimezone(UTC)


SYSTEEMKLOK = Systeemklok()
_klok: Klok = SYSTEEMKLOK


def nu() -> datetime:
    """The current instant (UTC), from the injected clock."""
    return _klok.nu()


def tijdstempel() -> float:
    """The current instant as POSIX seconds (for JWT ``exp``, leases and caches)."""
    return _klok.nu().timestamp() if _klok is not SYSTEEMKLOK else time.time()


def vandaag() -> date:
    """Today on the Dutch calendar (Europe/Amsterdam), from the injected clock: the server's UTC date is
    still yesterday during the first hour or two of a Dutch day, when a term that ended yesterday has expired."""
    return _klok.nu().astimezone(NL).date()


def huidige() -> Klok:
    return _klok


def zet(klok: Klok) -> Klok:
    """Install a clock for the whole process; returns the previous one."""
    global _klok
    vorige, _klok = _klok, klok
    return vorige


@contextmanager
def gebruik(klok: Klok) -> Iterator[Klok]:
    """Use ``klok`` within the block (tests), then restore the previous clock."""
    vorige = zet(klok)
    try:
        yield klok
    finally:
        zet(vorige)
