"""Realistic synthetic register data for demos and benchmarks (deterministic for a seed).

Valid KvK-nummers (8 digits, unique) and vestigingsnummers (12 digits, unique), Dutch postcodes
(``1234 AB``, first digit 1–9, never SA/SD/SS; the real ranges of the large cities), real
municipalities with their CBS codes (large cities weighted by size), about 1.4 vestigingen per
provider (most have one, a tail of chains up to 41), about 80% solisten (zzp'ers, one zorgverlener),
instellingen with more zorgverleners (a heavy tail), and a sector mix like the Jaarbeeld's. Derived
facts agree: msz only in the msz sector, a cliëntenraad and intern toezicht only at instellingen and
mostly above the legal thresholds, solisten always ``eenmanszaak``.

Records have the input shape of ``ZorgaanbiederGegevens`` (camelCase JSON), one provider per record:
``generate`` yields them, ``write_jsonl`` writes one per line (the bulk loader's JSONL input).

CSV (``write_csv``, also read by the bulk loader): semicolon-separated, UTF-8, a header line, one row
per vestiging with the provider's columns repeated on each of its rows (consecutive rows):

- provider columns (``CSV_PROVIDER_COLUMNS``): kvkNummer, statutaireNaam, handelsnamen, rechtsvorm,
  soort, agbCode, sectoren, zorgsoorten, financiering, aantalZorgverleners, aantalClienten,
  heeftClientenraad, heeftInternToezicht, levertMsz, startdatumZorg (YYYY-MM-DD), status;
- vestiging columns (``CSV_VESTIGING_COLUMNS``, prefixed ``vestiging.``): vestiging.vestigingsnummer,
  vestiging.naam, vestiging.adres, vestiging.postcode, vestiging.plaats, vestiging.gemeenteCode;
- lists (``CSV_LIST_COLUMNS``: handelsnamen, sectoren, zorgsoorten, financiering) joined with ``|``;
  booleans ``ja``/``nee``; an empty cell is absent (null, or an empty list).
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from zorgtoezicht.domain.gemeenten import gemeenten

# (sector, share of providers, typical solist trade, typical instelling kind, zorgsoorten, financiering)
SECTOREN = [
    (
        "eerstelijnszorg",
        0.34,
        ["Fysiotherapie", "Huisartsenpraktijk", "Tandartspraktijk", "Verloskundigenpraktijk", "Diëtistenpraktijk", "Logopedie"],
        "Gezondheidscentrum",
        ["paramedisch", "huisartsenzorg", "mondzorg"],
        ["zvw"],
    ),
    (
        "verpleging-en-verzorging",
        0.22,
        ["Wijkverpleging", "Thuiszorg"],
        "Thuiszorg",
        ["verpleging", "persoonlijke-verzorging", "verblijf"],
        ["zvw", "wlz"],
    ),
    ("ggz", 0.16, ["Psychologenpraktijk", "Psychotherapie"], "GGZ", ["ggz", "begeleiding"], ["zvw"]),
    ("jeugd", 0.07, ["Jeugdhulp", "Kindercoaching"], "Jeugdzorg", ["jeugdhulp", "begeleiding"], ["jeugdwet"]),
    ("gehandicaptenzorg", 0.07, ["Zorgboerderij", "Begeleiding"], "Stichting", ["begeleiding", "verblijf"], ["wlz", "wmo"]),
    ("medisch-specialistische-zorg", 0.04, ["Privékliniek"], "Kliniek", ["medisch-specialistisch"], ["zvw"]),
    ("farmaceutische-producten", 0.03, ["Apotheek"], "Apotheek", ["farmacie"], ["zvw"]),
    ("preventie", 0.03, ["Leefstijlcoaching"], "Preventiecentrum", ["overig"], ["overig"]),
    ("sector-overstijgend", 0.02, ["Zorgbemiddeling"], "Zorggroep", ["ondersteunend"], ["overig"]),
    ("medische-technologie", 0.01, ["Hulpmiddelenservice"], "Medische Techniek", ["ondersteunend"], ["zvw"]),
    ("zorg-voor-asielzoekers-en-justitiabelen", 0.01, ["Praktijk"], "Gezondheidszorg", ["huisartsenzorg", "ggz"], ["overig"]),
]
ACHTERNAMEN = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "van den Broek",
    "de Bruijn",
    "de Bruin",
    "van der Heijden",
    "Schouten",
    "van Beek",
    "Willems",
    "van Vliet",
    "van de Ven",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "Koster",
    "van Dam",
    "van der Wal",
    "Prins",
    "Blom",
    "Huisman",
    "Peeters",
    "de Jonge",
    "Kuipers",
    "van Veen",
    "Post",
    "Kuiper",
    "Veenstra",
    "Kramer",
    "van den Brink",
    "Scholten",
    "van Wijk",
    "Postma",
    "Martens",
    "Vink",
    "de Ruiter",
    "Timmermans",
    "Groen",
    "Gerritsen",
    "Jonker",
    "van Loon",
    "Boer",
    "van der Velde",
    "Willemsen",
    "Smeets",
    "de Lange",
    "de Vos",
    "Bosch",
    "van Dongen",
    "Schipper",
    "de Koning",
    "van der Laan",
    "Koning",
]
INSTELLINGSNAMEN = [
    "De Linde",
    "Het Anker",
    "Lindenhof",
    "Noorderlicht",
    "De Zonnebloem",
    "Het Baken",
    "De Horst",
    "Rivierduinen",
    "De Wending",
    "Amaris",
    "Beukenrode",
    "De Meander",
    "Het Zuiden",
    "De Waalboog",
    "Oosterlengte",
    "De Kim",
    "Het Spectrum",
    "De Brug",
    "Zuiderhart",
    "Westerhaven",
    "De Eik",
    "Het Palet",
    "Vitalis",
    "Careyn",
    "Zorgkracht",
    "De Sleutel",
    "De Noorderbreedte",
    "Het Dorp",
]
GROTE_GEMEENTEN = {
    "GM0363": 50,
    "GM0599": 38,
    "GM0518": 33,
    "GM0344": 22,
    "GM0772": 15,
    "GM0014": 14,
    "GM0855": 13,
    "GM0034": 13,
    "GM0758": 12,
    "GM0268": 11,
    "GM0153": 10,
    "GM0392": 10,
    "GM0202": 10,
    "GM0479": 10,
    "GM0307": 10,
    "GM0200": 10,
    "GM0796": 10,
    "GM0394": 10,
    "GM0193": 9,
    "GM0546": 8,
    "GM0935": 8,
}
STRATEN = [
    "Dorpsstraat",
    "Kerkstraat",
    "Stationsweg",
    "Molenweg",
    "Schoolstraat",
    "Julianastraat",
    "Beatrixlaan",
    "Wilhelminastraat",
    "Nieuwstraat",
    "Marktplein",
    "Hoofdstraat",
    "Parallelweg",
    "Industrieweg",
    "Zorgpad",
]
VOORVOEGSELS = ["", "", "", "", "van ", "de ", "van der ", "van den ", "van de ", "ter ", "ten ", "in 't "]
STAMMEN = [
    "Berg",
    "Dijk",
    "Meer",
    "Linden",
    "Broek",
    "Heuvel",
    "Veen",
    "Bosch",
    "Wal",
    "Laan",
    "Velde",
    "Beek",
    "Haar",
    "Kamp",
    "Horst",
    "Molen",
    "Graaf",
    "Bruggen",
    "Hoek",
    "Water",
    "Steen",
    "Leeuw",
    "Zand",
    "Akker",
    "Weerd",
    "Brink",
    "Hof",
    "Kruis",
    "Poel",
    "Wetering",
    "Ploeg",
    "Haven",
    "Kolk",
    "Wiel",
    "Kade",
    "Dam",
    "Sloot",
    "Gracht",
    "Schuur",
    "Vliet",
    "Burg",
    "Loo",
    "Donk",
    "Rijn",
    "Maas",
    "Goor",
    "Hulst",
    "Esch",
    "Hage",
    "Rode",
]
EERSTE_DELEN = [
    "Hoog",
    "Laag",
    "Groot",
    "Klein",
    "Oost",
    "West",
    "Noord",
    "Zuid",
    "Wijn",
    "Kool",
    "Schoon",
    "Rood",
    "Wit",
    "Zwart",
    "Vlie",
    "Moer",
    "Ham",
    "Hol",
    "Wouter",
    "Jans",
    "Pieter",
    "Kees",
    "Hen",
    "Gerrit",
    "Brou",
    "Ever",
    "Ebbe",
    "Oude",
    "Nieu",
    "Lange",
    "Korte",
    "Bloem",
    "Riet",
    "Eik",
    "Elzen",
    "Wilg",
    "Roze",
    "Kuip",
    "Mol",
    "Vos",
    "Haan",
    "Hert",
    "Zwaan",
    "Val",
    "Stout",
    "Snel",
    "Blank",
    "Goud",
    "Zilver",
    "Koper",
    "Ijzer",
    "Staal",
]
TWEEDE_DELEN = [
    "dam",
    "dijk",
    "berg",
    "man",
    "stra",
    "huis",
    "hof",
    "veld",
    "kamp",
    "brink",
    "meer",
    "beek",
    "bosch",
    "horst",
    "land",
    "weg",
    "hout",
    "wijk",
    "broek",
    "laar",
    "rade",
    "hoven",
    "donk",
    "sma",
    "inga",
    "ink",
    "kes",
    "ers",
    "huizen",
    "vliet",
    "burg",
    "water",
    "werf",
    "gaard",
    "haven",
    "molen",
    "schot",
    "zand",
]
ACHTERVOEGSELS = ["", "", "", "s", "man", "sma", "ink", "ing", "er", "stra", "hof", "kamp", "veld", "huis", "inga"]
ACHTERNAMEN += [f"{v}{s}{a}".strip() for v in VOORVOEGSELS[4:] for s in STAMMEN[:12] for a in ("", "s")]
VOORLETTERS = "ABCDEFGHIJKLMNOPRSTVWY"
RECHTSVORMEN_INSTELLING = ["bv", "stichting", "stichting", "bv", "vereniging", "cooperatie", "maatschap"]
LETTERS = "ABCDEFGHJKLMNPRTVWXZ"


def _achternaam(rng: random.Random) -> str:
    """A Dutch-looking surname: a common one, or one built from prefix, stem and suffix; sometimes double."""

    def one() -> str:
        roll = rng.random()
        if roll < 0.25:
            return rng.choice(ACHTERNAMEN)
        if roll < 0.45:
            return f"{rng.choice(VOORVOEGSELS)}{rng.choice(STAMMEN)}{rng.choice(ACHTERVOEGSELS)}".strip()
        return f"{rng.choice(VOORVOEGSELS)}{rng.choice(EERSTE_DELEN)}{rng.choice(TWEEDE_DELEN)}".strip()

    name = one()
    return f"{name}-{one()}" if rng.random() < 0.08 else name


# The real 4-digit postcode ranges of the large cities (elsewhere a stable made-up area per gemeente).
POSTCODEGEBIEDEN = {
    "GM0363": (1011, 1109),
    "GM0599": (3011, 3089),
    "GM0518": (2491, 2599),
    "GM0344": (3511, 3585),
    "GM0772": (5611, 5658),
    "GM0014": (9711, 9747),
    "GM0855": (5011, 5049),
    "GM0034": (1311, 1364),
    "GM0758": (4811, 4839),
    "GM0268": (6511, 6546),
    "GM0153": (7511, 7548),
    "GM0392": (2011, 2037),
    "GM0202": (6811, 6846),
    "GM0479": (1501, 1567),
    "GM0307": (3811, 3829),
    "GM0200": (7311, 7339),
    "GM0796": (5211, 5248),
    "GM0394": (2131, 2136),
    "GM0193": (8011, 8047),
    "GM0546": (2311, 2334),
    "GM0935": (6211, 6229),
}


def _postcode(rng: random.Random, gemeente_code: str) -> str:
    if gemeente_code in POSTCODEGEBIEDEN:
        digits = rng.randint(*POSTCODEGEBIEDEN[gemeente_code])
    else:
        base = 1000 + (int(gemeente_code[2:]) * 37) % 8900  # stable per gemeente, like a real postcode area
        digits = base + rng.randrange(0, 60)
    while True:
        letters = rng.choice(LETTERS) + rng.choice(LETTERS)
        if letters not in ("SA", "SD", "SS"):
            return f"{min(digits, 9999)} {letters}"


def generate(aantal: int, seed: int = 2026) -> Iterator[dict[str, Any]]:
    """``aantal`` provider records; the same seed always gives the same records."""
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    codes = sorted(gemeenten())
    weights = [GROTE_GEMEENTEN.get(code, 2) for code in codes]
    sector_weights = [s[1] for s in SECTOREN]
    kvk_numbers = rng.sample(range(10_000_000, 100_000_000), aantal)
    vestiging_seq = 100_000_000_000 + rng.randrange(0, 10_000_000) * 1000
    for index in range(aantal):
        sector, _, solist_vakken, instelling_soort, zorgsoorten, financiering = rng.choices(SECTOREN, sector_weights)[0]
        solist = rng.random() < 0.8
        achternaam = _achternaam(rng)
        if solist:
            initialen = ".".join(rng.sample(VOORLETTERS, rng.choice((1, 1, 2, 2, 3)))) + "."
            naam = rng.choice(
                (
                    f"{rng.choice(solist_vakken)} {achternaam}",
                    f"{rng.choice(solist_vakken)} {initialen} {achternaam}",
                    f"{achternaam} {rng.choice(solist_vakken)}",
                )
            )
            # a few work from a second practice
            zorgverleners, clienten, vestigingen = 1, rng.randrange(20, 400), 2 if rng.random() < 0.05 else 1
            rechtsvorm = "eenmanszaak"
        else:
            plaats = gemeenten()[rng.choices(codes, weights)[0]].split(" (")[0]
            naam = rng.choice(
                (
                    f"{instelling_soort} {rng.choice(INSTELLINGSNAMEN)} {plaats}",
                    f"{instelling_soort} {plaats} {rng.choice(['', 'B.V.', 'Zorg', 'Noord', 'Zuid', 'Oost', 'West'])}".strip(),
                    f"{rng.choice(INSTELLINGSNAMEN)} {instelling_soort} {achternaam}",
                )
            )
            zorgverleners = min(int(rng.paretovariate(1.2) * 4) + 2, 25_000)  # the largest employ some 20,000
            clienten = zorgverleners * rng.randrange(5, 40)
            vestigingen = 1 + min(int(rng.paretovariate(1.5)) - 1 + (1 if rng.random() < 0.5 else 0), 40)
            rechtsvorm = rng.choice(RECHTSVORMEN_INSTELLING)
        gemeente_codes = rng.choices(codes, weights, k=vestigingen)
        records = []
        for number, code in enumerate(gemeente_codes):
            vestiging_seq += 1 + rng.randrange(0, 3)
            records.append(
                {
                    "vestigingsnummer": f"{vestiging_seq:012d}",
                    "naam": naam if number == 0 else f"{naam} locatie {number + 1}",
                    "adres": f"{rng.choice(STRATEN)} {rng.randrange(1, 250)}",
                    "postcode": _postcode(rng, code),
                    "plaats": gemeenten()[code].split(" (")[0],
                    "gemeenteCode": code,
                }
            )
        start = date(2000, 1, 1) + timedelta(days=rng.randrange(0, 9000))
        record: dict[str, Any] = {
            "kvkNummer": f"{kvk_numbers[index]:08d}",
            "statutaireNaam": naam,
            "handelsnamen": [f"{naam.split(' ')[0]} {rng.choice(INSTELLINGSNAMEN)}"] if not solist and rng.random() < 0.3 else [],
            "rechtsvorm": rechtsvorm,
            "soort": "solist" if solist else "instelling",
            "agbCode": f"{rng.randrange(0, 100_000_000):08d}" if rng.random() < 0.7 else None,
            "sectoren": [sector],
            "zorgsoorten": rng.sample(zorgsoorten, k=min(len(zorgsoorten), rng.randrange(1, 3))),
            "financiering": rng.sample(financiering, k=rng.randrange(1, len(financiering) + 1)),
            "aantalZorgverleners": zorgverleners,
            "aantalClienten": clienten,
            "heeftClientenraad": (not solist) and (zorgverleners > 10 and rng.random() < 0.85),
            "heeftInternToezicht": (not solist) and (zorgverleners > 50 and rng.random() < 0.9),
            "levertMsz": sector == "medisch-specialistische-zorg",
            "startdatumZorg": start.isoformat(),
            "status": "gestopt" if rng.random() < 0.03 else "actief",
            "vestigingen": records,
        }
        yield record


def write_jsonl(path: Path, aantal: int, seed: int = 2026) -> Path:
    with Path(path).open("w", encoding="utf-8") as handle:
        for record in generate(aantal, seed):
            handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    return Path(path)


CSV_PROVIDER_COLUMNS = [
    "kvkNummer",
    "statutaireNaam",
    "handelsnamen",
    "rechtsvorm",
    "soort",
    "agbCode",
    "sectoren",
    "zorgsoorten",
    "financiering",
    "aantalZorgverleners",
    "aantalClienten",
    "heeftClientenraad",
    "heeftInternToezicht",
    "levertMsz",
    "startdatumZorg",
    "status",
]
CSV_VESTIGING_COLUMNS = ["vestigingsnummer", "naam", "adres", "postcode", "plaats", "gemeenteCode"]
CSV_LIST_COLUMNS = {"handelsnamen", "sectoren", "zorgsoorten", "financiering"}


def write_csv(path: Path, aantal: int, seed: int = 2026) -> Path:
    """CSV: one row per vestiging, the provider columns repeated; lists joined with ``|``;
    vestiging columns prefixed ``vestiging.``; semicolon-separated, UTF-8."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(CSV_PROVIDER_COLUMNS + [f"vestiging.{c}" for c in CSV_VESTIGING_COLUMNS])
        for record in generate(aantal, seed):
            provider = [_csv_value(record[c]) for c in CSV_PROVIDER_COLUMNS]
            for vestiging in record["vestigingen"]:
                writer.writerow(provider + [_csv_value(vestiging[c]) for c in CSV_VESTIGING_COLUMNS])
    return Path(path)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return "|".join(value)
    return str(value)
