"""Jaarbeeld table "Toezichtactiviteiten": the supervision activities per kind per year, from live data.

Pure code (no DB): the caller supplies raw counts ``(soort, jaar, aantal)`` (``repository_activiteiten.
uitgevoerd_per_soort_en_jaar``). What counts, and why:

* An activity counts in the year it was **performed** (``uitgevoerd_op``), once it is ``uitgevoerd`` or further
  along its lifecycle (oordeel-vastgesteld, rapport-vastgesteld, afgerond): the Jaarbeeld reports what the
  inspectorate did that year, not what it planned. Proposed, planned and lapsed (vervallen) activities never
  count; a lapsed activity was never performed (the workflow allows vervallen only before uitgevoerd).
* Rows are the five kinds of the Jaarbeeld, in its order: inspectiebezoeken, beoordelende gesprekken,
  desk-inspecties met oordeel, wettelijk verplichte adviezen/besluiten, gesprekken zonder oordeel; then
  "Totaal" (their sum). The zelfscan is not one of the Jaarbeeld's kinds and is left out (counted nowhere).
* One column per year asked for, oldest first. Counts are exact integers (national counts of the
  inspectorate's own work, no personal data: the Jaarbeeld prints them exactly, e.g. 1.792 visits in 2023).
  JSON carries numbers; CSV (semicolon-separated, UTF-8, header row) carries plain integers for machines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from zorgtoezicht.domain.toezicht import ActiviteitSoort

SOORT_KOP = "Toezichtactiviteit"
TOTAAL_NAAM = "Totaal"
MAX_JAREN = 25  # one request spans at most this many years

# (kind, its name in the Jaarbeeld), in the Jaarbeeld's order
RIJEN: tuple[tuple[ActiviteitSoort, str], ...] = (
    (ActiviteitSoort.inspectiebezoek, "Inspectiebezoeken"),
    (ActiviteitSoort.beoordelend_gesprek, "Beoordelende gesprekken"),
    (ActiviteitSoort.desk_inspectie, "Desk-inspecties met oordeel"),
    (ActiviteitSoort.wettelijk_advies, "Wettelijk verplichte adviezen/besluiten"),
    (ActiviteitSoort.gesprek_zonder_oordeel, "Gesprekken zonder oordeel"),
)
GETELD = frozenset(s for s, _ in RIJEN)


@dataclass(frozen=True)
class ActiviteitenTabel:
    jaren: tuple[int, ...]
    rijen: tuple[tuple[ActiviteitSoort | None, str, tuple[int, ...]], ...]  # the Totaal row last, soort None

    def to_json(self) -> dict:
        def rij(soort: ActiviteitSoort | None, naam: str, aantallen: tuple[int, ...]) -> dict:
            return {
                "soort": soort.value if soort else None,
                "naam": naam,
                "aantallen": {str(j): n for j, n in zip(self.jaren, aantallen, strict=True)},
            }

        *soorten, totaal = self.rijen
        return {
            "jaren": list(self.jaren),
            "telregel": "activiteiten met status uitgevoerd of verder, geteld in het jaar van uitgevoerdOp",
            "rijen": [rij(*r) for r in soorten],
            "totaal": rij(*totaal),
        }

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=";", lineterminator="\n")
        w.writerow([SOORT_KOP, *map(str, self.jaren)])
        for _, naam, aantallen in self.rijen:
            w.writerow([naam, *map(str, aantallen)])
        return buf.getvalue()


def activiteitentabel(
    tellingen: Iterable[tuple[str | ActiviteitSoort, int, int]], van_jaar: int, tot_en_met_jaar: int
) -> ActiviteitenTabel:
    """The table for the years ``van_jaar``..``tot_en_met_jaar`` from raw counts ``(soort, jaar, aantal)``; counts
    of other years or of the zelfscan are left out, an unknown soort or a negative count raises ValueError."""
    if tot_en_met_jaar < van_jaar:
        raise ValueError("tot_en_met_jaar lies before van_jaar")
    jaren = tuple(range(van_jaar, tot_en_met_jaar + 1))
    cellen = {(s, j): 0 for s in GETELD for j in jaren}
    for soort, jaar, aantal in tellingen:
        soort = ActiviteitSoort(soort)  # ValueError on an unknown kind: never drop activities silently
        if aantal < 0:
            raise ValueError(f"negatief aantal: {aantal}")
        if (soort, jaar) in cellen:
            cellen[(soort, jaar)] += aantal
    rijen = [(s, naam, tuple(cellen[(s, j)] for j in jaren)) for s, naam in RIJEN]
    totaal = tuple(sum(r[2][i] for r in rijen) for i in range(len(jaren)))
    return ActiviteitenTabel(jaren, (*rijen, (None, TOTAAL_NAAM, totaal)))
