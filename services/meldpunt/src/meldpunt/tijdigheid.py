"""Was the melding in time? Named rules on the statutory terms (``zorgtoezicht.termijnen``).

- Wkkgz calamiteit: within 3 werkdagen after vaststelling; with a first investigation at most
  6 weeks after the event plus 3 werkdagen (Wkkgz art. 11; policy since 25 March 2017).
- Medical devices (MDR art. 87): 2, 10 or 15 days after awareness, by severity.
- Medicine supply stop (Geneesmiddelenwet art. 49): at least 2 months before it starts.
A late melding gets a signal with the rule and how late; handhaving acts on the event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from zorgtoezicht.domain.meldingen import HulpmiddelErnst, MeldingSoort
from zorgtoezicht.termijnen import regels as termijnen

MDR_PER_ERNST = {
    HulpmiddelErnst.ernstig_incident: termijnen.MDR_ERNSTIG_INCIDENT,
    HulpmiddelErnst.overlijden_of_ernstige_verslechtering: termijnen.MDR_OVERLIJDEN_OF_ERNSTIGE_VERSLECHTERING,
    HulpmiddelErnst.ernstige_bedreiging_volksgezondheid: termijnen.MDR_ERNSTIGE_BEDREIGING_VOLKSGEZONDHEID,
}


@dataclass(frozen=True)
class Signaal:
    regel: str
    grondslag: str
    uiterlijk: date
    dagen_te_laat: int

    def als_dict(self) -> dict[str, Any]:
        return {
            "regel": self.regel,
            "grondslag": self.grondslag,
            "uiterlijk": self.uiterlijk.isoformat(),
            "dagenTeLaat": self.dagen_te_laat,
        }


def beoordeel(soort: str, gegevens: dict[str, Any], ontvangen: date) -> list[Signaal]:
    """Timeliness signals for a melding received on ``ontvangen`` (empty when in time)."""
    signalen: list[Signaal] = []
    if soort == MeldingSoort.wkkgz_calamiteit:
        gebeurtenis = date.fromisoformat(gegevens["gebeurtenisdatum"])
        vastgesteld = date.fromisoformat(gegevens["vastgesteldOp"])
        if gegevens.get("eerstOnderzocht"):
            uiterlijk = termijnen.wkkgz_calamiteit_melden_uiterlijk(gebeurtenis, vastgesteld)
        else:
            uiterlijk = termijnen.bereken(termijnen.WKKGZ_CALAMITEIT_MELDEN, vastgesteld)
        signalen += _als_te_laat(termijnen.WKKGZ_CALAMITEIT_MELDEN, uiterlijk, ontvangen, in_werkdagen=True)
    elif soort == MeldingSoort.medisch_hulpmiddel:
        termijn = MDR_PER_ERNST[gegevens["ernst"]]
        signalen += _als_te_laat(termijn, termijnen.bereken(termijn, date.fromisoformat(gegevens["bekendOp"])), ontvangen)
    elif soort == MeldingSoort.geneesmiddel and gegevens.get("aard") == "stopzetting-onderbreking":
        termijn = termijnen.GENEESMIDDEL_LEVERINGSSTOP_VOORAF
        signalen += _als_te_laat(termijn, termijnen.bereken(termijn, date.fromisoformat(gegevens["verwachteStartdatum"])), ontvangen)
    return signalen


def _als_te_laat(termijn: termijnen.Termijn, uiterlijk: date, ontvangen: date, *, in_werkdagen: bool = False) -> list[Signaal]:
    dagen = termijnen.te_laat(uiterlijk, ontvangen, "werkdagen" if in_werkdagen else "dagen")
    if ontvangen <= uiterlijk:
        return []
    return [Signaal(termijn.naam, termijn.grondslag, uiterlijk, max(dagen, 1))]
