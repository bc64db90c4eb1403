"""The allowed status changes of a supervision activity, as one table of data with why each exists (as Signalen's
workflow.py; performed by ``zorgtoezicht.workflow``, see ``activiteiten.STATUS``).

Any change not in the table is refused with 409 (``ongeldige_statusovergang``); statuses are appended as history
rows (``toezichtactiviteit_status``), never edited. ``oordeel-vastgesteld`` is set only by fixing the judgement
(``POST /toezichtactiviteiten/{id}/oordeel``), never by a status step of a client.

Two rows depend on the kind of activity (``SOORT_VOORWAARDE``): only a kind that yields a judgement goes from
``uitgevoerd`` to ``oordeel-vastgesteld``, and only a kind without one (gesprek zonder oordeel, zelfscan) may be
closed straight after it was performed. For any other kind that pair is refused like a pair not in the table.

``vervallen`` (with a reason) only before the activity was performed: once performed it happened, it counts in the
Jaarbeeld, and it is closed along its own path (a provider that stopped meanwhile is a finding of the judgement).
"""

from __future__ import annotations

from zorgtoezicht.domain.toezicht import ActiviteitSoort
from zorgtoezicht.domain.toezicht import ActiviteitStatus as S  # short: the table reads as a table
from zorgtoezicht.workflow import Overgang

BEGIN = S.voorgesteld
ALLEEN_SYSTEEM = frozenset({S.oordeel_vastgesteld})  # only the judgement operation sets it, with the judgement

# The kinds that end in a judgement against the sector's normenkader (and a report); the others do not.
MET_OORDEEL = frozenset(
    {
        ActiviteitSoort.inspectiebezoek,
        ActiviteitSoort.beoordelend_gesprek,
        ActiviteitSoort.desk_inspectie,
        ActiviteitSoort.wettelijk_advies,  # the advice or decision rests on an assessment against norms
    }
)
ZONDER_OORDEEL = frozenset(set(ActiviteitSoort) - MET_OORDEEL)  # gesprek zonder oordeel, zelfscan

OVERGANGEN = (
    Overgang(S.voorgesteld, S.gepland, "the planner or an inspector schedules the proposed activity on a date"),
    Overgang(S.voorgesteld, S.vervallen, "the proposal is not taken up (not chosen in the plan, provider stopped, merged)"),
    Overgang(S.gepland, S.voorgesteld, "a re-plan takes it off the schedule before it happens: back among the proposals"),
    Overgang(S.gepland, S.uitgevoerd, "the visit, conversation, desk review, advice or self-scan took place"),
    Overgang(S.gepland, S.vervallen, "cancelled before it took place, with a reason (provider stopped, superseded)"),
    Overgang(S.uitgevoerd, S.oordeel_vastgesteld, "the inspector fixes the judgement per norm (the judgement operation)"),
    Overgang(S.uitgevoerd, S.afgerond, "a kind without a judgement (gesprek zonder oordeel, zelfscan) is done once performed"),
    Overgang(S.oordeel_vastgesteld, S.rapport_vastgesteld, "the report stating the judgement is fixed (and sent to the provider)"),
    Overgang(S.rapport_vastgesteld, S.afgerond, "follow-up is handed over (handhaving, next plan): the activity is closed"),
)

# Rows of the table that hold only for some kinds of activity (any other row holds for every kind).
SOORT_VOORWAARDE: dict[tuple[str, str], frozenset[ActiviteitSoort]] = {
    (S.uitgevoerd, S.oordeel_vastgesteld): MET_OORDEEL,
    (S.uitgevoerd, S.afgerond): ZONDER_OORDEEL,
}


def geldt_voor(soort: str, van: str, naar: str) -> bool:
    """Whether a row of the table that exists also holds for this kind of activity."""
    soorten = SOORT_VOORWAARDE.get((van, naar))
    return soorten is None or soort in soorten


UITGEVOERD_OF_LATER = frozenset({S.uitgevoerd, S.oordeel_vastgesteld, S.rapport_vastgesteld, S.afgerond})
