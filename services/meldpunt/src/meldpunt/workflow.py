"""The allowed status changes of a melding, as one explicit table (as Signalen's ALLOWED_STATUS_CHANGES).

Any change not in the table is refused with 409. Statuses are appended as history rows, never edited.
"""

from __future__ import annotations

TOEGESTANE_OVERGANGEN: dict[str, frozenset[str]] = {
    "ontvangen": frozenset({"getrieerd", "doorverwezen"}),
    "getrieerd": frozenset({"in-behandeling", "wacht-op-zorgaanbieder", "doorverwezen", "afgesloten"}),
    "in-behandeling": frozenset({"wacht-op-zorgaanbieder", "afgesloten", "doorverwezen"}),
    "wacht-op-zorgaanbieder": frozenset({"in-behandeling", "afgesloten"}),
    "afgesloten": frozenset({"heropend"}),
    "doorverwezen": frozenset({"heropend"}),
    "heropend": frozenset({"in-behandeling", "wacht-op-zorgaanbieder", "afgesloten"}),
}
STATUSSEN = tuple(TOEGESTANE_OVERGANGEN)


def mag(van: str, naar: str) -> bool:
    return naar in TOEGESTANE_OVERGANGEN.get(van, frozenset())
