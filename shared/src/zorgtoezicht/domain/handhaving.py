"""The vocabulary of handhaving's Awb procedure: cases, besluiten (ZGW Besluit shape) and objections."""

from __future__ import annotations

from enum import StrEnum


class Aanleiding(StrEnum):
    """Why a handhavingszaak was opened (stored as a code with the id of its source, never free text)."""

    handmatig = "handmatig"
    oordeel_vastgesteld = "oordeel-vastgesteld"
    melding_direct_escaleren = "melding-direct-escaleren"
    wkkgz_melding_te_laat = "wkkgz-melding-te-laat"


class BesluitStatus(StrEnum):
    """Where a besluit is in the Awb procedure (the table is handhaving/workflow.py)."""

    voornemen = "voornemen"
    zienswijze = "zienswijze"
    genomen = "genomen"
    bekendgemaakt = "bekendgemaakt"
    in_bezwaar = "in-bezwaar"
    beslist_op_bezwaar = "beslist-op-bezwaar"
    in_beroep = "in-beroep"
    ingetrokken = "ingetrokken"
    vervallen = "vervallen"


# A besluit can have effect only in these statuses (and then only between its ingangs- and vervaldatum):
# never before its bekendmaking (Awb 3:40).
BEKENDGEMAAKTE_STATUSSEN = frozenset(
    {BesluitStatus.bekendgemaakt, BesluitStatus.in_bezwaar, BesluitStatus.beslist_op_bezwaar, BesluitStatus.in_beroep}
)


class Vervalreden(StrEnum):
    """ZGW Besluiten API: why a besluit stopped having effect."""

    tijdelijk = "tijdelijk"
    ingetrokken_overheid = "ingetrokken_overheid"
    ingetrokken_belanghebbende = "ingetrokken_belanghebbende"


class BezwaarUitkomst(StrEnum):
    """The beslissing op bezwaar (Awb 7:11): gegrond revokes the besluit, the others leave it standing."""

    gegrond = "gegrond"
    ongegrond = "ongegrond"
    niet_ontvankelijk = "niet-ontvankelijk"


class ZaakStatus(StrEnum):
    """Whether a handhavingszaak is still being worked on. A closed case stays closed: an objection against one of
    its besluiten is its own linked procedure (the bezwaar, with the besluit's id), it does not reopen the case."""

    open = "open"
    afgesloten = "afgesloten"


class Handhavingsmiddel(StrEnum):
    """How a bevel is enforced when not obeyed (Gezondheidswet art. 28, Awb 5:21/5:31d)."""

    dwangsom = "dwangsom"
    bestuursdwang = "bestuursdwang"


class VerwijzingSoort(StrEnum):
    """A referral recorded as a step in a case: the matter goes to another body, not a besluit of the inspectorate."""

    tuchtklacht = "tuchtklacht"  # a complaint to the tuchtcollege (Wet BIG art. 65)
    voordracht = "voordracht"  # the inspectorate's proposal (voordracht) for a measure by the Minister
    aangifte_om = "aangifte-om"  # a report to the Openbaar Ministerie (Sv art. 162)
