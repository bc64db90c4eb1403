"""The allowed status changes of a melding, as one table of data with why each exists (as Signalen's workflow.py).

Any change not in the table is refused with 409 (``ongeldige_statusovergang``); statuses are appended as
history rows (``melding_status``), never edited. ``ontvangen`` and ``getrieerd`` are set by intake and triage
only, never by a client. The platform's ``zorgtoezicht.workflow`` performs the steps (service.STATUS).
"""

from __future__ import annotations

from zorgtoezicht.domain.meldingen import MeldingStatus as S  # short: the table reads as a table
from zorgtoezicht.workflow import Overgang

BEGIN = S.ontvangen
ALLEEN_SYSTEEM = frozenset({S.ontvangen, S.getrieerd})  # intake and the triage table set these

OVERGANGEN = (
    Overgang(S.ontvangen, S.getrieerd, "intake triages every melding at once by the rule table"),
    Overgang(S.ontvangen, S.doorverwezen, "a melding plainly for another authority may be referred before triage"),
    Overgang(S.getrieerd, S.in_behandeling, "an inspector takes up the triaged melding"),
    Overgang(S.getrieerd, S.wacht_op_zorgaanbieder, "the route asks the provider to investigate first (its calamiteitenrapport)"),
    Overgang(S.getrieerd, S.doorverwezen, "on review it belongs to another authority, e.g. a Wmo-toezichthouder"),
    Overgang(S.getrieerd, S.afgesloten, "route registreren: kept as a signal for supervision, no handling of its own"),
    Overgang(S.in_behandeling, S.wacht_op_zorgaanbieder, "the inspector asked the provider for information or a report"),
    Overgang(S.in_behandeling, S.afgesloten, "handled"),
    Overgang(S.in_behandeling, S.doorverwezen, "during handling it turns out to belong to another authority"),
    Overgang(S.wacht_op_zorgaanbieder, S.in_behandeling, "the provider answered, or failed to: back to the inspector"),
    Overgang(S.wacht_op_zorgaanbieder, S.afgesloten, "the provider's answer (e.g. a sound calamiteitenrapport) settles it"),
    Overgang(S.afgesloten, S.heropend, "new facts after closing: the melding is reopened, its history kept"),
    Overgang(S.doorverwezen, S.heropend, "the other authority sends it back"),
    Overgang(S.heropend, S.in_behandeling, "an inspector takes up the reopened melding"),
    Overgang(S.heropend, S.wacht_op_zorgaanbieder, "the new facts go to the provider first"),
    Overgang(S.heropend, S.afgesloten, "the new facts change nothing"),
)
