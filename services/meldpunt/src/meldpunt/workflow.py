"""The allowed status changes of a melding, as one explicit table (as Signalen's ALLOWED_STATUS_CHANGES).

Any change not in the table is refused with 409. Statuses are appended as history rows, never edited.
"""

from __future__ import annotations

from zorgtoezicht.domain.meldingen import MeldingStatus as S  # short: the table reads as a table

TOEGESTANE_OVERGANGEN: dict[S, frozenset[S]] = {
    S.ontvangen: frozenset({S.getrieerd, S.doorverwezen}),
    S.getrieerd: frozenset({S.in_behandeling, S.wacht_op_zorgaanbieder, S.doorverwezen, S.afgesloten}),
    S.in_behandeling: frozenset({S.wacht_op_zorgaanbieder, S.afgesloten, S.doorverwezen}),
    S.wacht_op_zorgaanbieder: frozenset({S.in_behandeling, S.afgesloten}),
    S.afgesloten: frozenset({S.heropend}),
    S.doorverwezen: frozenset({S.heropend}),
    S.heropend: frozenset({S.in_behandeling, S.wacht_op_zorgaanbieder, S.afgesloten}),
}
STATUSSEN = tuple(TOEGESTANE_OVERGANGEN)


def mag(van: str, naar: str) -> bool:
    return naar in TOEGESTANE_OVERGANGEN.get(van, frozenset())
