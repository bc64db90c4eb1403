"""Jaarbeeld table "Interventies": per instrument, how many were imposed in a year and how many still ran at its
end (as the Jaarbeeld's "15 aanwijzingen (19 lopend)"), from live data.

What counts, and why:

* **opgelegd** (imposed in the year): a besluit counts in the year of its **bekendmaking** (``verzenddatum``):
  before it a besluit has no effect (Awb 3:40), so a voornemen, a besluit waiting for the provider's view,
  one taken but not sent, and one dropped before it was sent never count. A besluit made known and later
  revoked, lapsed, objected to or appealed still counts in the year it was made known: it was imposed.
  Measures registered directly (``POST /maatregelen``: decided outside the Awb procedure here, e.g. migrated
  from the old case system) count in the year of their **ingangsdatum** (they have no bekendmaking here).
* **lopendEindeJaar** (running on 31 December): in force on that day - ``ingangsdatum <= 31-12`` and no
  ``vervaldatum`` (``einddatum`` of a direct measure) or one on or after 31-12 (the vervaldatum is the last day
  it has effect), whichever year it was imposed in. A besluit revoked (or lapsed) before 31-12 does not count:
  its vervaldatum is set to the day it ended; one revoked on 31-12 had effect that day and counts. A besluit
  made known in December with an ingangsdatum in January counts as imposed, not as running. An instrument
  without an end date (a boete, an aanwijzing without term) runs until it is ended.
* Rows: every instrument (``MaatregelSoort``, also those with zero), in the enum's order, from soft to formal;
  then the extra counters (``EXTRA_TELLERS``: e.g. invorderingsbeschikkingen of a last onder dwangsom, a step
  in collecting, not an intervention of its own, so not in the total); then "Totaal" of the instruments.
* Counts are exact integers: national counts of the inspectorate's own decisions, no personal data (the
  Jaarbeeld prints them exactly). JSON carries numbers; CSV (semicolon-separated, UTF-8, header row) plain
  integers, as toezicht's and meldpunt's Jaarbeeld tables.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from handhaving.models import Besluit, DwangsomVerbeurte, Maatregel
from zorgtoezicht.domain.handhaving import BEKENDGEMAAKTE_STATUSSEN, BesluitStatus
from zorgtoezicht.domain.maatregelen import MaatregelSoort

INSTRUMENT_KOP = "Instrument"
TOTAAL_NAAM = "Totaal"
EERSTE_JAAR = 2000  # no enforcement decision in this service predates it

# Each instrument's name in the table (Jaarbeeld: plural nouns), in the enum's order.
NAMEN: dict[MaatregelSoort, str] = {
    MaatregelSoort.stimuleren_adviseren: "Stimuleren en adviseren",
    MaatregelSoort.verbeterplan: "Verbeterplannen",
    MaatregelSoort.verscherpt_toezicht: "Verscherpt toezicht",
    MaatregelSoort.waarschuwing: "Waarschuwingen",
    MaatregelSoort.bevel: "Bevelen",
    MaatregelSoort.aanwijzing: "Aanwijzingen",
    MaatregelSoort.last_onder_bestuursdwang: "Lasten onder bestuursdwang",
    MaatregelSoort.last_onder_dwangsom: "Lasten onder dwangsom",
    MaatregelSoort.bestuurlijke_boete: "Bestuurlijke boetes",
    MaatregelSoort.patientenstop: "Patiëntenstops",
}
# Made known once: now in effect or ended since (a besluit dropped before bekendmaking has no verzenddatum).
BEKENDGEMAAKT_OF_GEEINDIGD = frozenset({*BEKENDGEMAAKTE_STATUSSEN, BesluitStatus.ingetrokken, BesluitStatus.vervallen})


@dataclass(frozen=True)
class Telling:
    opgelegd: int = 0
    lopend_einde_jaar: int = 0

    def __add__(self, other: Telling) -> Telling:
        return Telling(self.opgelegd + other.opgelegd, self.lopend_einde_jaar + other.lopend_einde_jaar)


@dataclass(frozen=True)
class ExtraTeller:
    """An extra row after the instruments, counted by its own query: ``tel(session, jaar)``."""

    sleutel: str  # the row's code in JSON, e.g. "invorderingsbeschikking"
    naam: str  # its name in the table, e.g. "Invorderingsbeschikkingen"
    tel: Callable[[AsyncSession, int], Awaitable[Telling]]


async def invorderingsbeschikkingen(session: AsyncSession, jaar: int) -> Telling:
    """Invorderingsbeschikkingen (Awb 5:37) taken in the year; running on 31 December: taken by then, not paid by
    then and not yet time-barred (Awb 5:35: collection possible through ``verjaard_na``)."""
    v, eind = DwangsomVerbeurte, date(jaar, 12, 31)
    rij = (
        await session.execute(
            select(
                func.count().filter(func.extract("year", v.invorderingsbeschikking_op) == jaar),
                func.count().filter(
                    v.invorderingsbeschikking_op <= eind, or_(v.betaald_op.is_(None), v.betaald_op > eind), v.verjaard_na >= eind
                ),
            ).where(v.invorderingsbeschikking_op.is_not(None))
        )
    ).one()
    return Telling(int(rij[0]), int(rij[1]))


# Extra rows after the instruments: steps that are counted in the Jaarbeeld but are no intervention of their own.
EXTRA_TELLERS: list[ExtraTeller] = [ExtraTeller("invorderingsbeschikking", "Invorderingsbeschikkingen", invorderingsbeschikkingen)]


@dataclass(frozen=True)
class Rij:
    sleutel: str | None  # the instrument (or extra counter) code; None for Totaal
    naam: str
    telling: Telling

    def to_json(self) -> dict:
        return {
            "instrument": self.sleutel,
            "naam": self.naam,
            "opgelegd": self.telling.opgelegd,
            "lopendEindeJaar": self.telling.lopend_einde_jaar,
        }


@dataclass(frozen=True)
class Interventietabel:
    jaar: int
    rijen: tuple[Rij, ...]  # instruments, then extra counters
    totaal: Rij

    def titels(self) -> tuple[str, str, str]:
        return INSTRUMENT_KOP, f"Opgelegd in {self.jaar}", f"Lopend op 31 december {self.jaar}"

    def to_json(self) -> dict:
        instrument, opgelegd, lopend = self.titels()
        return {
            "jaar": self.jaar,
            "peildatum": date(self.jaar, 12, 31).isoformat(),
            "telregel": (
                "opgelegd: besluiten in het jaar bekendgemaakt (verzenddatum) plus direct geregistreerde maatregelen "
                "met ingangsdatum in het jaar; lopendEindeJaar: op 31 december in werking (ingangsdatum uiterlijk die "
                "dag, geen vervaldatum of een vervaldatum op of na die dag), ook als eerder opgelegd"
            ),
            "kolommen": [
                {"sleutel": "naam", "titel": instrument},
                {"sleutel": "opgelegd", "titel": opgelegd},
                {"sleutel": "lopendEindeJaar", "titel": lopend},
            ],
            "rijen": [r.to_json() for r in self.rijen],
            "totaal": self.totaal.to_json(),
        }

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=";", lineterminator="\n")
        w.writerow(self.titels())
        for r in (*self.rijen, self.totaal):
            w.writerow([r.naam, r.telling.opgelegd, r.telling.lopend_einde_jaar])
        return buf.getvalue()


def interventietabel(
    jaar: int, tellingen: Iterable[tuple[str | MaatregelSoort, Telling]], extra: Iterable[tuple[ExtraTeller, Telling]] = ()
) -> Interventietabel:
    """The table from counts per instrument (repeated instruments are added up; an unknown one raises ValueError:
    never drop decisions from a published table silently)."""
    per_instrument = {s: Telling() for s in MaatregelSoort}
    for soort, telling in tellingen:
        if telling.opgelegd < 0 or telling.lopend_einde_jaar < 0:
            raise ValueError(f"negatief aantal: {telling}")
        instrument = MaatregelSoort(soort)
        per_instrument[instrument] = per_instrument[instrument] + telling
    rijen = tuple(Rij(s.value, NAMEN[s], per_instrument[s]) for s in MaatregelSoort)
    totaal = sum((r.telling for r in rijen), Telling())
    extra_rijen = tuple(Rij(teller.sleutel, teller.naam, telling) for teller, telling in extra)
    return Interventietabel(jaar, rijen + extra_rijen, Rij(None, TOTAAL_NAAM, totaal))


# --- reading live data ---------------------------------------------------------------------------------


async def tellingen(session: AsyncSession, jaar: int) -> list[tuple[str, Telling]]:
    """Per instrument: (opgelegd, lopendEindeJaar) of ``jaar`` from the besluiten and the direct measures."""
    begin, peildatum = date(jaar, 1, 1), date(jaar, 12, 31)
    b = Besluit
    besluiten = (
        select(
            b.besluittype,
            func.count().filter(b.verzenddatum.between(begin, peildatum)),
            func.count().filter(and_(b.ingangsdatum <= peildatum, or_(b.vervaldatum.is_(None), b.vervaldatum >= peildatum))),
        )
        .where(b.verzenddatum.is_not(None), b.status.in_(BEKENDGEMAAKT_OF_GEEINDIGD))
        .group_by(b.besluittype)
    )
    m = Maatregel
    direct = select(
        m.soort,
        func.count().filter(m.ingangsdatum.between(begin, peildatum)),
        func.count().filter(and_(m.ingangsdatum <= peildatum, or_(m.einddatum.is_(None), m.einddatum >= peildatum))),
    ).group_by(m.soort)
    gevonden: list[tuple[str, Telling]] = []
    for query in (besluiten, direct):
        gevonden += [(str(soort), Telling(int(opgelegd), int(lopend))) for soort, opgelegd, lopend in await session.execute(query)]
    return gevonden


async def jaarbeeld(session: AsyncSession, jaar: int) -> Interventietabel:
    extra = [(teller, await teller.tel(session, jaar)) for teller in EXTRA_TELLERS]
    return interventietabel(jaar, await tellingen(session, jaar), extra)
