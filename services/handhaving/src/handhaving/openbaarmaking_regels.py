"""The law of publication as data (Gezondheidswet art. 44/44a; Besluit openbaarmaking toezicht- en
uitvoeringsgegevens Gezondheidswet en Jeugdwet, Stb. 2019, 9; annex changed by Stb. 2025, 387).

- what may be published, per kind of document (``PUBLICEERBAAR``) and per instrument (``INSTRUMENT_OPENBAAR``);
- the wachttijd before publication and how long an item stays online (``WACHTTIJD``, ``BEWAARTERMIJN``): both
  marked uncertain in docs/domain.md, so configurable (``ZT_TERMIJN_OPENBAARMAKING_WACHTTIJD="3 weken"``,
  ``ZT_TERMIJN_OPENBAARMAKING_BEWAARTERMIJN="36 maanden"``), never hard law;
- free text written for publication must not contain personal data (``persoonsgegevens_in``).

No database here: the rules are tested on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.persoonsgegevens import redigeer_bsn
from zorgtoezicht.termijnen import regels as termijnen
from zorgtoezicht.termijnen.regels import Termijn, configureerbaar


class OpenbaarmakingStatus(StrEnum):
    wachttijd = "wachttijd"  # the decision to publish is known; the provider may ask a court to stop it
    opgeschort = "opgeschort"  # a voorlopige voorziening holds it until the court rules
    gepubliceerd = "gepubliceerd"  # on the public list (set by the term watcher only)
    verwijderd = "verwijderd"  # off the list: its years ended, or a court found it incorrect
    afgezien = "afgezien"  # never published: a court forbade it before publication


class Documentsoort(StrEnum):
    zakelijke_weergave_besluit = "zakelijke-weergave-besluit"
    inspectierapport = "inspectierapport"
    verscherpt_toezicht_mededeling = "verscherpt-toezicht-mededeling"
    samenvatting_calamiteitenrapport = "samenvatting-calamiteitenrapport"
    boeterapport = "boeterapport"
    strafrechtelijk_onderzoek = "strafrechtelijk-onderzoek"
    bedrijfsvertrouwelijke_gegevens = "bedrijfsvertrouwelijke-gegevens"


@dataclass(frozen=True)
class Regel:
    openbaar: bool
    grondslag: str


PUBLICEERBAAR: dict[Documentsoort, Regel] = {
    Documentsoort.zakelijke_weergave_besluit: Regel(True, "Besluit openbaarmaking, bijlage: zakelijke weergave van elk handhavingsbesluit"),
    Documentsoort.inspectierapport: Regel(True, "Besluit openbaarmaking, bijlage: (eind)rapporten van toezicht"),
    Documentsoort.verscherpt_toezicht_mededeling: Regel(True, "Besluit openbaarmaking, bijlage: mededeling van verscherpt toezicht"),
    Documentsoort.samenvatting_calamiteitenrapport: Regel(True, "Besluit openbaarmaking, bijlage: samenvatting calamiteitenrapport"),
    Documentsoort.boeterapport: Regel(False, "niet openbaar: het rapport achter een bestuurlijke boete (Awb 5:48)"),
    Documentsoort.strafrechtelijk_onderzoek: Regel(False, "niet openbaar: gegevens uit een strafrechtelijk onderzoek"),
    Documentsoort.bedrijfsvertrouwelijke_gegevens: Regel(False, "niet openbaar: vertrouwelijk meegedeelde bedrijfs- en fabricagegegevens"),
}

# Advice and encouragement are no besluit: nothing to publish. Every formal instrument is published.
INSTRUMENT_OPENBAAR: dict[MaatregelSoort, bool] = {soort: soort is not MaatregelSoort.stimuleren_adviseren for soort in MaatregelSoort}

WACHTTIJD = configureerbaar(
    Termijn(
        "openbaarmaking-wachttijd",
        "Gezondheidswet art. 44: openbaarmaking niet eerder dan (beleid: 2 weken) na bekendmaking van het besluit tot "
        "openbaarmaking, zodat de zorgaanbieder de voorzieningenrechter kan vragen haar te schorsen",
        2,
        "weken",
        # The wachttijd is the provider's time to act (ask for a voorlopige voorziening): the Atw lengthens it
        # when it ends on a weekend or holiday, as it would any term within which someone must act.
        atw=True,
        onzeker=True,
    )
)
BEWAARTERMIJN = configureerbaar(
    Termijn(
        "openbaarmaking-bewaartermijn",
        "Besluit openbaarmaking: gegevens blijven (beleid) 5 jaar openbaar, daarna verwijderd",
        60,
        "maanden",
        onzeker=True,
    )
)


def laatste_wachtdag(bekendgemaakt_op: date, termijn: Termijn = WACHTTIJD) -> date:
    """The last day of the wachttijd; the item is published from the day after."""
    return termijnen.bereken(termijn, bekendgemaakt_op)


def zichtbaar_tot(gepubliceerd_op: date, termijn: Termijn = BEWAARTERMIJN) -> date:
    """The last day a published item stays online; removed from the day after (no Atw: a maximum, not a term to act)."""
    return termijnen.bereken(termijn, gepubliceerd_op)


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Dutch phone numbers: 0 and nine digits (06-12345678, 020 123 4567) or +31/0031 and nine digits, with a few
# separators between digits.
_TELEFOON = re.compile(r"(?<![0-9])(?:(?:\+|00)31[\s.-]{0,3}(?:\(0\)[\s.-]{0,3})?|0)(?:[0-9][\s.()-]{0,3}){8}[0-9](?![0-9])")


def persoonsgegevens_in(tekst: str) -> list[str]:
    """What looks like personal data in text meant for publication: ``bsn``, ``e-mailadres``, ``telefoonnummer``.

    A solist's name cannot be recognised in free text: the zakelijke weergave is written for publication by
    the jurist, and this check refuses what a machine can see. Empty means none was found."""
    gevonden = []
    if redigeer_bsn(tekst) != tekst:
        gevonden.append("bsn")
    if _EMAIL.search(tekst):
        gevonden.append("e-mailadres")
    if _TELEFOON.search(tekst):
        gevonden.append("telefoonnummer")
    return gevonden
