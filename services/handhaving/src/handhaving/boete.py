"""The bestuurlijke boete as law and policy data: the amount from a versioned policy table, and its terms.

Pure functions: no database, no API, no clock (every date is an argument, on the Dutch calendar).

**Amount.** The Beleidsregels bestuurlijke boete of VWS (2019, amended 2023 and 2024) set the amount by
category of violated norm, severity, culpability and company size in FTE. Their amounts are uncertain to
us (docs/domain.md), so they live in a JSON table - ``boetebeleid.json`` in this package, or the file named
by ``$HANDHAVING_BOETEBELEID`` - never in code. The packaged table is an EXAMPLE to be replaced by the
VWS amounts (its ``voorbeeld`` flag says so and every calculation carries it). A calculation records the
table's ``versie`` and a content hash (sha256 of the canonical JSON), so a boetebesluit shows exactly
which table produced its amount.

Table format::

    {"versie": "...", "geldig_vanaf": "YYYY-MM-DD", "voorbeeld": true, "toelichting": "...",
     "afronding": {"veelvoud": "50", "richting": "omlaag" | "dichtstbij"},
     "ernst": {"<code>": "<factor>", ...},
     "verwijtbaarheid": {"<code>": "<factor>", ...},
     "bedrijfsomvang": [{"code": "...", "tot_fte": "10", "factor": "0.25"}, ..., {"code": "...", "tot_fte": null, "factor": "1"}],
     "categorieen": [{"code": "...", "omschrijving": "...", "grondslag": "...", "basisbedrag": "...", "maximum": "..."}]}

Amounts and factors are decimal strings (or integers), never binary floats. FTE bands are ordered, each
up to but not including ``tot_fte``; the last band is open (``null``).

Computation (``bereken_boete``): basisbedrag x ernst x verwijtbaarheid x bedrijfsomvang, then rounded
to the table's ``veelvoud`` (``omlaag``: down; ``dichtstbij``: half up), then capped at the category's
maximum - capping last, so no rounding can lift a fine above its maximum.

**Terms** (``Boeterecht``, the Awb as named data):

- Awb 5:51: the boetebesluit within 13 weeks of the boeterapport's date. A non-fatal term: a late
  decision stays valid (case law may mitigate it), so ``te_laat`` flags and never blocks.
- Awb 5:53: a boeterapport and a hearing (zienswijze) are required when the fine that *can* be imposed
  exceeds EUR 340 - the law looks at what can be imposed, so we test the category's maximum.
- Awb 5:45: the power to fine lapses 5 years after the violation, 3 years when the fine that can be
  imposed is at most EUR 340; the term is suspended during objection and appeal against the fine.

Algemene termijnenwet: none of these terms is extended. Atw art. 4 excludes long terms (of about 12
weeks, 90 days or 3 months and more; the exact bound does not matter here), which covers 13 weeks (5:51)
and 3 and 5 years (5:45).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from zorgtoezicht.termijnen.regels import Termijn, bereken, configureerbaar

ENV_BELEID = "HANDHAVING_BOETEBELEID"
ENV_GRENS_KLEINE_BOETE = "HANDHAVING_GRENS_KLEINE_BOETE"
STANDAARD_BELEID = "boetebeleid.json"
AFRONDINGSRICHTINGEN = ("omlaag", "dichtstbij")


# --- the terms (Awb) as data ------------------------------------------------------------------------------

BOETEBESLUIT = configureerbaar(
    Termijn(
        "boetebesluit",
        "Awb art. 5:51 lid 1: beslissen binnen dertien weken na de dagtekening van het boeterapport; "
        "geen fatale termijn (een later besluit blijft geldig). De Atw is niet van toepassing (art. 4: lange termijn)",
        13,
        "weken",
    )
)
BOETEBEVOEGDHEID = configureerbaar(
    Termijn(
        "boetebevoegdheid",
        "Awb art. 5:45 lid 1: de bevoegdheid tot het opleggen van een bestuurlijke boete vervalt vijf jaren na de overtreding; "
        "opgeschort tijdens bezwaar en beroep",
        60,
        "maanden",
        onzeker=True,
    )
)
BOETEBEVOEGDHEID_KLEIN = configureerbaar(
    Termijn(
        "boetebevoegdheid-klein",
        "Awb art. 5:45 lid 2: drie jaren voor een boete van ten hoogste EUR 340; opgeschort tijdens bezwaar en beroep",
        36,
        "maanden",
        onzeker=True,
    )
)


def _grens_uit_omgeving() -> Decimal:
    waarde = os.environ.get(ENV_GRENS_KLEINE_BOETE, "340")
    try:
        return Decimal(waarde)
    except InvalidOperation:
        raise ValueError(f"{ENV_GRENS_KLEINE_BOETE}: expected an amount in euros, got {waarde!r}") from None


@dataclass(frozen=True)
class Boeterecht:
    """The Awb terms and threshold of the bestuurlijke boete; ``BOETERECHT`` is the configured instance."""

    beslistermijn: Termijn = BOETEBESLUIT
    verval: Termijn = BOETEBEVOEGDHEID
    verval_klein: Termijn = BOETEBEVOEGDHEID_KLEIN
    # Awb 5:45 lid 2 and 5:53: EUR 340 (``$HANDHAVING_GRENS_KLEINE_BOETE``)
    grens_kleine_boete: Decimal = field(default_factory=_grens_uit_omgeving)


BOETERECHT = Boeterecht()


def beslistermijn(boeterapport_datum: date, recht: Boeterecht = BOETERECHT) -> date:
    """The last day to decide on the fine in time: 13 weeks after the boeterapport's date (Awb 5:51)."""
    return bereken(recht.beslistermijn, boeterapport_datum)


def te_laat(boeterapport_datum: date, besluitdatum: date, recht: Boeterecht = BOETERECHT) -> int:
    """Days the boetebesluit is past the 5:51 term; 0 when in time. A flag (a termijnoverschrijding to
    record and weigh), never a reason to refuse the decision: the term is not fatal."""
    return max(0, (besluitdatum - beslistermijn(boeterapport_datum, recht)).days)


def zienswijze_verplicht(hoogst_mogelijke_boete: Decimal, recht: Boeterecht = BOETERECHT) -> bool:
    """Awb 5:53: boeterapport and hearing are required when the fine that can be imposed exceeds EUR 340."""
    return hoogst_mogelijke_boete > recht.grens_kleine_boete


def _samengevoegd(perioden: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    resultaat: list[tuple[date, date]] = []
    for begin, einde in sorted(perioden):
        if einde < begin:
            raise ValueError(f"a suspension period cannot end ({einde}) before it begins ({begin})")
        if resultaat and begin <= resultaat[-1][1] + timedelta(days=1):
            resultaat[-1] = (resultaat[-1][0], max(resultaat[-1][1], einde))
        else:
            resultaat.append((begin, einde))
    return resultaat


def boetebevoegdheid_vervalt(
    overtreding: date,
    hoogst_mogelijke_boete: Decimal,
    opschortingen: Sequence[tuple[date, date]] = (),
    recht: Boeterecht = BOETERECHT,
) -> date:
    """The last day a fine can still be imposed for a violation on ``overtreding`` (Awb 5:45).

    5 years after the violation (3 when the fine that can be imposed is at most the threshold), the day
    of the violation not counted. ``opschortingen`` are the periods of objection and appeal against the
    fine, each ``(first day, last day)`` inclusive; overlapping or adjacent periods count once, and the
    term is lengthened by their days (only the days that fall before the end reached so far suspend it).
    """
    klein = hoogst_mogelijke_boete <= recht.grens_kleine_boete
    einde = bereken(recht.verval_klein if klein else recht.verval, overtreding)
    for begin, laatste in _samengevoegd(opschortingen):
        if begin > einde:
            break  # the power had already lapsed; a later procedure does not revive it
        einde += timedelta(days=(laatste - begin).days + 1)
    return einde


def boetebevoegdheid_vervallen(
    overtreding: date,
    hoogst_mogelijke_boete: Decimal,
    besluitdatum: date,
    opschortingen: Sequence[tuple[date, date]] = (),
    recht: Boeterecht = BOETERECHT,
) -> bool:
    """Whether a fine decided on ``besluitdatum`` comes after the power lapsed (a hard limit, unlike 5:51)."""
    return besluitdatum > boetebevoegdheid_vervalt(overtreding, hoogst_mogelijke_boete, opschortingen, recht)


# --- the policy table -------------------------------------------------------------------------------------


class BoetebeleidFout(ValueError):
    """The policy table is invalid; the message names the file and what is wrong."""


class OnbekendeWaarde(ValueError):
    """An input of ``bereken_boete`` is not in the table; ``veld`` names the input (for a 400's invalidParams)."""

    def __init__(self, veld: str, waarde: object, toegestaan: Iterable[str]) -> None:
        self.veld = veld
        super().__init__(f"{veld}: unknown value {waarde!r} (allowed: {', '.join(toegestaan)})")


@dataclass(frozen=True)
class Boetecategorie:
    code: str
    omschrijving: str
    grondslag: str  # the violated norm / article, for the decision's motivation
    basisbedrag: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class Omvangsklasse:
    code: str
    tot_fte: Decimal | None  # exclusive upper bound; None: open
    factor: Decimal


@dataclass(frozen=True)
class Boetebeleid:
    versie: str
    geldig_vanaf: date
    inhoud_hash: str  # sha256 of the canonical JSON content
    voorbeeld: bool  # an example table, not the VWS amounts
    categorieen: Mapping[str, Boetecategorie]
    ernst: Mapping[str, Decimal]
    verwijtbaarheid: Mapping[str, Decimal]
    bedrijfsomvang: tuple[Omvangsklasse, ...]
    afronding_veelvoud: Decimal
    afronding_richting: str
    bron: str = ""

    def omvangsklasse(self, fte: Decimal) -> Omvangsklasse:
        return next(k for k in self.bedrijfsomvang if k.tot_fte is None or fte < k.tot_fte)


@dataclass(frozen=True)
class Boeteberekening:
    """The amount and the lines that explain it, each factor named (for the boetebesluit's motivation)."""

    bedrag: Decimal
    categorie: str
    ernst: str
    verwijtbaarheid: str
    omvangsklasse: str
    beleid_versie: str
    beleid_hash: str
    voorbeeldbeleid: bool
    maximum: Decimal  # the category's maximum: the fine that can be imposed (Awb 5:45, 5:53)
    gemaximeerd: bool  # the category's maximum capped the amount
    zienswijze_verplicht: bool  # Awb 5:53, from the category's maximum
    uitleg: tuple[str, ...]

    def als_dict(self) -> dict[str, Any]:
        return {
            "bedrag": str(self.bedrag),
            "categorie": self.categorie,
            "ernst": self.ernst,
            "verwijtbaarheid": self.verwijtbaarheid,
            "omvangsklasse": self.omvangsklasse,
            "beleid_versie": self.beleid_versie,
            "beleid_hash": self.beleid_hash,
            "voorbeeldbeleid": self.voorbeeldbeleid,
            "maximum": str(self.maximum),
            "gemaximeerd": self.gemaximeerd,
            "zienswijze_verplicht": self.zienswijze_verplicht,
            "uitleg": list(self.uitleg),
        }


def _euro(bedrag: Decimal) -> str:
    return f"EUR {bedrag.quantize(Decimal('0.01'))}"


def bereken_boete(
    beleid: Boetebeleid,
    categorie: str,
    ernst: str,
    verwijtbaarheid: str,
    fte: Decimal | int | float | str,
    recht: Boeterecht = BOETERECHT,
) -> Boeteberekening:
    """The fine for one violation under ``beleid`` (see the module docstring for the order of steps)."""
    if categorie not in beleid.categorieen:
        raise OnbekendeWaarde("categorie", categorie, beleid.categorieen)
    if ernst not in beleid.ernst:
        raise OnbekendeWaarde("ernst", ernst, beleid.ernst)
    if verwijtbaarheid not in beleid.verwijtbaarheid:
        raise OnbekendeWaarde("verwijtbaarheid", verwijtbaarheid, beleid.verwijtbaarheid)
    try:
        fte_d = Decimal(str(fte))
    except InvalidOperation:
        raise ValueError(f"fte: expected a number, got {fte!r}") from None
    if not fte_d.is_finite() or fte_d < 0:
        raise ValueError(f"fte: expected a number of at least 0, got {fte!r}")

    cat = beleid.categorieen[categorie]
    f_ernst, f_verw = beleid.ernst[ernst], beleid.verwijtbaarheid[verwijtbaarheid]
    klasse = beleid.omvangsklasse(fte_d)
    ruw = cat.basisbedrag * f_ernst * f_verw * klasse.factor
    richting = ROUND_FLOOR if beleid.afronding_richting == "omlaag" else ROUND_HALF_UP
    afgerond = (ruw / beleid.afronding_veelvoud).to_integral_value(rounding=richting) * beleid.afronding_veelvoud
    bedrag = min(afgerond, cat.maximum)
    uitleg = [
        f"Boetebeleid {beleid.versie} (sha256 {beleid.inhoud_hash[:12]})"
        + (" - VOORBEELDTABEL, geen VWS-bedragen" if beleid.voorbeeld else ""),
        f"Categorie {cat.code} ({cat.grondslag}): basisbedrag {_euro(cat.basisbedrag)}",
        f"Ernst {ernst}: factor {f_ernst}",
        f"Verwijtbaarheid {verwijtbaarheid}: factor {f_verw}",
        f"Bedrijfsomvang {fte_d} fte, klasse {klasse.code}: factor {klasse.factor}",
        f"Berekend: {_euro(cat.basisbedrag)} x {f_ernst} x {f_verw} x {klasse.factor} = {_euro(ruw)}",
        f"Afgerond ({beleid.afronding_richting}) op een veelvoud van {_euro(beleid.afronding_veelvoud)}: {_euro(afgerond)}",
    ]
    if afgerond > cat.maximum:
        uitleg.append(f"Begrensd op het maximum van de categorie: {_euro(cat.maximum)}")
    uitleg.append(f"Boete: {_euro(bedrag)}")
    return Boeteberekening(
        bedrag=bedrag.quantize(Decimal("0.01")),
        categorie=cat.code,
        ernst=ernst,
        verwijtbaarheid=verwijtbaarheid,
        omvangsklasse=klasse.code,
        beleid_versie=beleid.versie,
        beleid_hash=beleid.inhoud_hash,
        voorbeeldbeleid=beleid.voorbeeld,
        maximum=cat.maximum,
        gemaximeerd=afgerond > cat.maximum,
        zienswijze_verplicht=zienswijze_verplicht(cat.maximum, recht),
        uitleg=tuple(uitleg),
    )


# --- loading and validation -------------------------------------------------------------------------------


def laad_beleid(pad: str | os.PathLike[str] | None = None) -> Boetebeleid:
    """Load and validate a policy table: ``pad``, else ``$HANDHAVING_BOETEBELEID``, else the packaged example."""
    if pad is None:
        pad = os.environ.get(ENV_BELEID) or None
    if pad is None:
        naam = f"handhaving/{STANDAARD_BELEID}"
        tekst = resources.files("handhaving").joinpath(STANDAARD_BELEID).read_text(encoding="utf-8")
    else:
        naam = str(pad)
        try:
            tekst = Path(pad).read_text(encoding="utf-8")
        except OSError as exc:
            raise BoetebeleidFout(f"{naam}: cannot read the policy table: {exc}") from exc
    try:
        data = json.loads(tekst)
    except json.JSONDecodeError as exc:
        raise BoetebeleidFout(f"{naam}: not valid JSON: {exc}") from exc
    return beleid_uit_data(data, naam)


def inhoud_hash(data: Any) -> str:
    """sha256 of the canonical JSON of ``data`` (sorted keys, no whitespace): layout does not change it."""
    canoniek = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canoniek.encode("utf-8")).hexdigest()


_SLEUTELS = {"versie", "geldig_vanaf", "voorbeeld", "toelichting", "afronding", "ernst", "verwijtbaarheid", "bedrijfsomvang", "categorieen"}


def beleid_uit_data(data: Any, naam: str = "<boetebeleid>") -> Boetebeleid:
    def fout(tekst: str) -> BoetebeleidFout:
        return BoetebeleidFout(f"{naam}: {tekst}")

    def getal(waarde: Any, waar: str, positief: bool = True) -> Decimal:
        if isinstance(waarde, bool) or not isinstance(waarde, str | int):
            raise fout(f"{waar}: expected a decimal string or integer, got {waarde!r}")
        try:
            d = Decimal(str(waarde))
        except InvalidOperation:
            raise fout(f"{waar}: not a number: {waarde!r}") from None
        if not d.is_finite() or d < 0 or (positief and d == 0):
            raise fout(f"{waar}: expected a {'positive' if positief else 'non-negative'} number, got {waarde!r}")
        return d

    def factoren(sleutel: str) -> dict[str, Decimal]:
        ruw = data.get(sleutel)
        if not isinstance(ruw, dict) or not ruw:
            raise fout(f"'{sleutel}' must be a non-empty object of code -> factor")
        return {str(k): getal(v, f"{sleutel}.{k}") for k, v in ruw.items()}

    if not isinstance(data, dict):
        raise fout("expected a JSON object")
    onbekend = set(data) - _SLEUTELS
    if onbekend:
        raise fout(f"unknown keys {sorted(onbekend)}")
    versie = data.get("versie")
    if not isinstance(versie, str) or not versie:
        raise fout("'versie' must be a non-empty string")
    try:
        geldig_vanaf = date.fromisoformat(data.get("geldig_vanaf"))
    except (TypeError, ValueError):
        raise fout("'geldig_vanaf' must be a date (YYYY-MM-DD)") from None
    voorbeeld = data.get("voorbeeld", False)
    if not isinstance(voorbeeld, bool):
        raise fout("'voorbeeld' must be true or false")

    afronding = data.get("afronding")
    if not isinstance(afronding, dict) or set(afronding) != {"veelvoud", "richting"}:
        raise fout('\'afronding\' must be {"veelvoud": ..., "richting": "omlaag" | "dichtstbij"}')
    veelvoud = getal(afronding["veelvoud"], "afronding.veelvoud")
    if afronding["richting"] not in AFRONDINGSRICHTINGEN:
        raise fout(f"afronding.richting: expected one of {', '.join(AFRONDINGSRICHTINGEN)}")

    klassen_ruw = data.get("bedrijfsomvang")
    if not isinstance(klassen_ruw, list) or not klassen_ruw:
        raise fout("'bedrijfsomvang' must be a non-empty list of {code, tot_fte, factor}")
    klassen: list[Omvangsklasse] = []
    for i, k in enumerate(klassen_ruw):
        if not isinstance(k, dict) or set(k) != {"code", "tot_fte", "factor"}:
            raise fout(f"bedrijfsomvang[{i}]: expected exactly code, tot_fte and factor")
        laatste = i == len(klassen_ruw) - 1
        if (k["tot_fte"] is None) != laatste:
            raise fout(f"bedrijfsomvang[{i}]: only the last band is open (tot_fte null), and it must be")
        tot = None if laatste else getal(k["tot_fte"], f"bedrijfsomvang[{i}].tot_fte")
        if tot is not None and klassen and klassen[-1].tot_fte is not None and tot <= klassen[-1].tot_fte:
            raise fout(f"bedrijfsomvang[{i}]: tot_fte must increase")
        klassen.append(Omvangsklasse(str(k["code"]), tot, getal(k["factor"], f"bedrijfsomvang[{i}].factor")))

    categorieen_ruw = data.get("categorieen")
    if not isinstance(categorieen_ruw, list) or not categorieen_ruw:
        raise fout("'categorieen' must be a non-empty list")
    categorieen: dict[str, Boetecategorie] = {}
    for i, c in enumerate(categorieen_ruw):
        velden = {"code", "omschrijving", "grondslag", "basisbedrag", "maximum"}
        if not isinstance(c, dict) or set(c) != velden:
            raise fout(f"categorieen[{i}]: expected exactly {', '.join(sorted(velden))}")
        if c["code"] in categorieen:
            raise fout(f"categorieen[{i}]: duplicate code {c['code']!r}")
        basis, maximum = getal(c["basisbedrag"], f"categorieen[{i}].basisbedrag"), getal(c["maximum"], f"categorieen[{i}].maximum")
        if basis > maximum:
            raise fout(f"categorieen[{i}]: basisbedrag exceeds maximum")
        categorieen[c["code"]] = Boetecategorie(str(c["code"]), str(c["omschrijving"]), str(c["grondslag"]), basis, maximum)

    return Boetebeleid(
        versie=versie,
        geldig_vanaf=geldig_vanaf,
        inhoud_hash=inhoud_hash(data),
        voorbeeld=voorbeeld,
        categorieen=categorieen,
        ernst=factoren("ernst"),
        verwijtbaarheid=factoren("verwijtbaarheid"),
        bedrijfsomvang=tuple(klassen),
        afronding_veelvoud=veelvoud,
        afronding_richting=afronding["richting"],
        bron=naam,
    )
