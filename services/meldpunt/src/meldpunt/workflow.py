"""The allowed status changes of a melding, as one table of data with why each exists (as Signalen's workflow.py).

Any change not in the table is refused with 409 (``ongeldige_statusovergang``); statuses are appended as
history rows (``melding_status``), never edited. ``ontvangen`` and ``getrieerd`` are set by intake and triage
only, never by a client. The platform's ``zorgtoezicht.workflow`` performs the steps (service.STATUS).
"""

from __future__ import annotations

from zorgtoezicht.workflow import Overgang

BEGIN = "ontvangen"
ALLEEN_SYSTEEM = frozenset({"ontvangen", "getrieerd"})  # intake and the triage table set these

OVERGANGEN = (
    Overgang("ontvangen", "getrieerd", "intake triages every melding at once by the rule table"),
    Overgang("ontvangen", "doorverwezen", "a melding plainly for another authority may be referred before triage"),
    Overgang("getrieerd", "in-behandeling", "an inspector takes up the triaged melding"),
    Overgang("getrieerd", "wacht-op-zorgaanbieder", "the route asks the provider to investigate first (its calamiteitenrapport)"),
    Overgang("getrieerd", "doorverwezen", "on review it belongs to another authority, e.g. a Wmo-toezichthouder"),
    Overgang("getrieerd", "afgesloten", "route registreren: kept as a signal for supervision, no handling of its own"),
    Overgang("in-behandeling", "wacht-op-zorgaanbieder", "the inspector asked the provider for information or a report"),
    Overgang("in-behandeling", "afgesloten", "handled"),
    Overgang("in-behandeling", "doorverwezen", "during handling it turns out to belong to another authority"),
    Overgang("wacht-op-zorgaanbieder", "in-behandeling", "the provider answered, or failed to: back to the inspector"),
    Overgang("wacht-op-zorgaanbieder", "afgesloten", "the provider's answer (e.g. a sound calamiteitenrapport) settles it"),
    Overgang("afgesloten", "heropend", "new facts after closing: the melding is reopened, its history kept"),
    Overgang("doorverwezen", "heropend", "the other authority sends it back"),
    Overgang("heropend", "in-behandeling", "an inspector takes up the reopened melding"),
    Overgang("heropend", "wacht-op-zorgaanbieder", "the new facts go to the provider first"),
    Overgang("heropend", "afgesloten", "the new facts change nothing"),
)
