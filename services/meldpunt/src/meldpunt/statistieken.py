"""Jaarbeeld table "Aantal ontvangen meldingen per zorgsector, afgerond naar tientallen".

Pure code (no DB): the caller supplies raw counts per (sector, soort) for one year, e.g. from
``SELECT sector, soort, count(*) ... WHERE <jaar> GROUP BY sector, soort``.

Layout and display rules, copied from the IGJ Jaarbeeld 2023 (seed ``000_12a9aca4a22706a2.txt``,
table on p. "Aantal ontvangen meldingen per zorgsector"):

* One row per zorgsector, the 11 sectors in the Jaarbeeld's order (= ``Sector`` enum order), named
  as in the Jaarbeeld (``Sector.jaarbeeld_naam``; the footnote asterisks "Farmaceutische producten*",
  "Jeugd*", "Medische technologie*" are left out), then a row "Totaal".
* Columns: all received meldingen (every soort), and of those the three Wkkgz art. 11 kinds:
  calamiteit, ontslag wegens disfunctioneren, geweld in de zorgrelatie. Only the *Wkkgz* soorten
  count there: the Jaarbeeld shows 0 for Jeugd in those columns because Jeugdwet/Wmo meldingen are
  not Wkkgz meldingen (its footnote says so).
* Values are rounded to tens, half-up (5 -> 10, 15 -> 20, 25 -> 30; not Python's banker's
  ``round``). 1-4 is shown as ``<5``; 0 is shown as ``0`` (the seed shows "0" for truly empty cells,
  e.g. Farmaceutische producten, and "<5" only for small non-zero ones); 5-9 therefore shows "10".
* Thousands separator ".", as in the Jaarbeeld ("1.050", "16.530"). (The seed has one "1030" in the
  2022 column -- a typesetting inconsistency; we always write the separator.)
* The Totaal row is the *exact* sum rounded, not the sum of the rounded cells. Seed evidence: 2023
  "Alle" rounded cells sum to 16.540 but Totaal shows 16.530; 2022 rounded cells sum to 16.590 but
  Totaal shows 16.580. The Totaal cell follows the same display rule (so a total of 1-4 is "<5").
* A melding without sector (``None``) counts in "Sector overstijgend": the Jaarbeeld has no
  "Onbekend" row, and its Totaal equals all received meldingen, so such meldingen must sit in one of
  the 11 rows; "Sector overstijgend" is the row for meldingen not attributable to a single sector.

JSON and CSV carry the display strings exactly as the Jaarbeeld prints them (no raw numbers), so
the published table can never leak exact small counts. Exact counts are kept privately on the row
objects only to compute the total.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from zorgtoezicht.domain.meldingen import MeldingSoort
from zorgtoezicht.domain.sectoren import Sector

TOTAAL_NAAM = "Totaal"
SECTOR_KOP = "Zorgsector"
ONBEKENDE_SECTOR = Sector.sector_overstijgend

# (json key, Dutch heading as in the Jaarbeeld, soort counted or None for all)
KOLOMMEN: tuple[tuple[str, str, MeldingSoort | None], ...] = (
    ("alle", "Alle ontvangen meldingen", None),
    ("calamiteit", "Waarvan calamiteit (Wkkgz)", MeldingSoort.wkkgz_calamiteit),
    ("ontslag", "Waarvan ontslag wegens disfunctioneren (Wkkgz)", MeldingSoort.wkkgz_ontslag),
    ("geweld", "Waarvan geweld in de zorgrelatie (Wkkgz)", MeldingSoort.wkkgz_geweld),
)
_KEYS = tuple(k for k, _, _ in KOLOMMEN)


def afronden(n: int) -> str:
    """Display rule of the Jaarbeeld: 0 -> "0", 1-4 -> "<5", else half-up to tens with "." per 1000."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"aantal moet een int zijn, niet {type(n).__name__}")
    if n < 0:
        raise ValueError(f"negatief aantal: {n}")
    if n == 0:
        return "0"
    if n < 5:
        return "<5"
    tientallen = (n + 5) // 10 * 10  # half-up
    return f"{tientallen:,}".replace(",", ".")


@dataclass(frozen=True)
class JaarbeeldRij:
    sector: Sector | None  # None for the Totaal row
    naam: str
    alle: str
    calamiteit: str
    ontslag: str
    geweld: str
    _aantallen: tuple[int, int, int, int] = field(repr=False, compare=False, default=(0, 0, 0, 0))

    @classmethod
    def uit_aantallen(cls, sector: Sector | None, naam: str, aantallen: tuple[int, int, int, int]) -> JaarbeeldRij:
        return cls(sector, naam, *(afronden(a) for a in aantallen), _aantallen=aantallen)

    def to_json(self) -> dict[str, str]:
        return {"sector": self.naam, **{k: getattr(self, k) for k in _KEYS}}

    def cellen(self) -> list[str]:
        return [self.naam, *(getattr(self, k) for k in _KEYS)]


@dataclass(frozen=True)
class JaarbeeldTabel:
    jaar: int
    rijen: tuple[JaarbeeldRij, ...]
    totaal: JaarbeeldRij

    def to_json(self) -> dict:
        return {
            "jaar": self.jaar,
            "kolommen": [{"sleutel": "sector", "titel": SECTOR_KOP}] + [{"sleutel": k, "titel": titel} for k, titel, _ in KOLOMMEN],
            "rijen": [r.to_json() for r in self.rijen],
            "totaal": self.totaal.to_json(),
        }

    def kopregel(self) -> list[str]:
        """Header: the Jaarbeeld's column headings with the year under each (here: appended)."""
        return [SECTOR_KOP, *(f"{titel} {self.jaar}" for _, titel, _ in KOLOMMEN)]

    def to_csv(self) -> str:
        """Semicolon-separated, header row, one line per sector, then Totaal; '\\n' line ends.

        Returned as str; encode as UTF-8 (no BOM) when writing/serving.
        """
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=";", lineterminator="\n")
        w.writerow(self.kopregel())
        for r in (*self.rijen, self.totaal):
            w.writerow(r.cellen())
        return buf.getvalue()


def _sector(waarde: str | Sector | None) -> Sector:
    if waarde is None or waarde == "":
        return ONBEKENDE_SECTOR
    try:
        return Sector(waarde)
    except ValueError:
        raise ValueError(f"onbekende sector: {waarde!r}") from None


def jaarbeeld(tellingen: Iterable[tuple[str | Sector | None, str | MeldingSoort, int]], jaar: int) -> JaarbeeldTabel:
    """Build the table for ``jaar`` from raw counts ``(sector, soort, aantal)``.

    Repeated (sector, soort) pairs are added up. Unknown sector or soort values raise ValueError
    (better than silently dropping meldingen from a published table); negative counts too.
    """
    per_sector: dict[Sector, list[int]] = {s: [0, 0, 0, 0] for s in Sector}
    for sector, soort, aantal in tellingen:
        if isinstance(aantal, bool) or not isinstance(aantal, int):
            raise TypeError(f"aantal moet een int zijn: {aantal!r}")
        if aantal < 0:
            raise ValueError(f"negatief aantal: {aantal}")
        try:
            soort = MeldingSoort(soort)
        except ValueError:
            raise ValueError(f"onbekende meldingsoort: {soort!r}") from None
        cellen = per_sector[_sector(sector)]
        for i, (_, _, kolom_soort) in enumerate(KOLOMMEN):
            if kolom_soort is None or kolom_soort == soort:
                cellen[i] += aantal

    rijen = tuple(JaarbeeldRij.uit_aantallen(s, s.jaarbeeld_naam, tuple(per_sector[s])) for s in Sector)
    som = tuple(sum(r._aantallen[i] for r in rijen) for i in range(len(KOLOMMEN)))
    return JaarbeeldTabel(jaar=jaar, rijen=rijen, totaal=JaarbeeldRij.uit_aantallen(None, TOTAAL_NAAM, som))
