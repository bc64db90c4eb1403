"""Tests for meldpunt.statistieken (Jaarbeeld table "Aantal ontvangen meldingen per zorgsector").

The expected tables are computed here independently (own sector list, own Decimal half-up
rounding, own formatting) -- never via the module's helpers.
"""

from __future__ import annotations

import random
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest

from meldpunt.statistieken import afronden, jaarbeeld

# Copied by hand from the Jaarbeeld 2023 table (seed 000_12a9aca4a22706a2.txt), in its order.
SECTOREN = [
    ("eerstelijnszorg", "Eerstelijnszorg"),
    ("farmaceutische-producten", "Farmaceutische producten"),
    ("ggz", "GGZ"),
    ("gehandicaptenzorg", "Gehandicaptenzorg"),
    ("jeugd", "Jeugd"),
    ("medisch-specialistische-zorg", "Medisch specialistische zorg"),
    ("medische-technologie", "Medische technologie"),
    ("preventie", "Preventie"),
    ("verpleging-en-verzorging", "Verpleging en verzorging"),
    ("zorg-voor-asielzoekers-en-justitiabelen", "Zorg voor asielzoekers en justitiabelen"),
    ("sector-overstijgend", "Sector overstijgend"),
]
WKKGZ = {"calamiteit": "wkkgz-calamiteit", "ontslag": "wkkgz-ontslag-disfunctioneren", "geweld": "wkkgz-geweld"}
SOORTEN = [
    "wkkgz-calamiteit",
    "wkkgz-geweld",
    "wkkgz-ontslag-disfunctioneren",
    "jeugdwet-calamiteit",
    "jeugdwet-geweld",
    "wmo-calamiteit",
    "wmo-geweld",
    "medisch-hulpmiddel-incident",
    "geneesmiddel-tekort-of-defect",
    "signaal",
    "klacht",
    "vals-diploma-of-vog",
    "illegale-handel-geneesmiddelen",
]
KOPPEN = [
    "Alle ontvangen meldingen",
    "Waarvan calamiteit (Wkkgz)",
    "Waarvan ontslag wegens disfunctioneren (Wkkgz)",
    "Waarvan geweld in de zorgrelatie (Wkkgz)",
]


def toon(n: int) -> str:
    """Independent display rule: 0, <5, or half-up tens with '.' thousands separator."""
    if n == 0:
        return "0"
    if n < 5:
        return "<5"
    t = int((Decimal(n) / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 10
    s = str(t)
    groepen = []
    while s:
        groepen.insert(0, s[-3:])
        s = s[:-3]
    return ".".join(groepen)


def verwacht(meldingen: list[tuple[str | None, str]], jaar: int) -> tuple[dict, str]:
    """Straightforward per-melding computation of the expected JSON and CSV."""
    tel = {slug: {"alle": 0, "calamiteit": 0, "ontslag": 0, "geweld": 0} for slug, _ in SECTOREN}
    for sector, soort in meldingen:
        rij = tel[sector if sector is not None else "sector-overstijgend"]
        rij["alle"] += 1
        for kol, s in WKKGZ.items():
            if soort == s:
                rij[kol] += 1
    rijen = []
    for slug, naam in SECTOREN:
        rijen.append({"sector": naam, **{k: toon(v) for k, v in tel[slug].items()}})
    som = {k: sum(tel[slug][k] for slug, _ in SECTOREN) for k in ("alle", "calamiteit", "ontslag", "geweld")}
    totaal = {"sector": "Totaal", **{k: toon(v) for k, v in som.items()}}
    lines = [";".join(["Zorgsector"] + [f"{k} {jaar}" for k in KOPPEN])]
    for r in rijen + [totaal]:
        lines.append(";".join([r["sector"], r["alle"], r["calamiteit"], r["ontslag"], r["geweld"]]))
    js = {
        "jaar": jaar,
        "kolommen": [
            {"sleutel": "sector", "titel": "Zorgsector"},
            {"sleutel": "alle", "titel": KOPPEN[0]},
            {"sleutel": "calamiteit", "titel": KOPPEN[1]},
            {"sleutel": "ontslag", "titel": KOPPEN[2]},
            {"sleutel": "geweld", "titel": KOPPEN[3]},
        ],
        "rijen": rijen,
        "totaal": totaal,
    }
    return js, "\n".join(lines) + "\n"


BIJZONDER = [0, 0, 0, 1, 2, 3, 4, 5, 6, 9, 10, 14, 15, 16, 24, 25, 26, 35, 45]


def genereer(rng: random.Random) -> list[tuple[str | None, str]]:
    meldingen: list[tuple[str | None, str]] = []
    for slug, _ in [*SECTOREN, (None, "geen sector")]:
        profiel = rng.choice(["leeg", "klein", "klein", "middel", "groot"])
        for soort in SOORTEN:
            if profiel == "leeg":
                n = 0
            elif profiel == "klein":
                n = rng.choice([0, 0, 0, 1, 2, 3, 4, 5])
            elif profiel == "middel":
                n = rng.choice(BIJZONDER)
            else:
                n = rng.choice(BIJZONDER + [rng.randint(0, 1200), 995, 1004, 1005])
            meldingen += [(slug, soort)] * n
    rng.shuffle(meldingen)
    return meldingen


@pytest.mark.parametrize("seed", range(40))
def test_random_tabel_komt_overeen(seed: int) -> None:
    rng = random.Random(seed)
    meldingen = genereer(rng)
    jaar = 2015 + seed % 10
    # What the lead's SQL would return: GROUP BY sector, soort (split some groups to check summing).
    groepen = list(Counter(meldingen).items())
    tellingen = []
    for (sector, soort), n in groepen:
        if n > 3 and rng.random() < 0.2:
            tellingen += [(sector, soort, n - 2), (sector, soort, 2)]
        else:
            tellingen.append((sector, soort, n))
    rng.shuffle(tellingen)
    exp_json, exp_csv = verwacht(meldingen, jaar)
    tabel = jaarbeeld(iter(tellingen), jaar)
    assert tabel.to_json() == exp_json
    assert tabel.to_csv() == exp_csv


def test_random_data_raakt_de_grenzen() -> None:
    """Sanity: the generated data actually covers <5, 0 and the rounding boundaries."""
    gezien: set[str] = set()
    for seed in range(40):
        js, _ = verwacht(genereer(random.Random(seed)), 2023)
        for r in js["rijen"] + [js["totaal"]]:
            gezien |= {r["alle"], r["calamiteit"], r["ontslag"], r["geweld"]}
    assert {"0", "<5", "10", "20", "30"} <= gezien
    assert any("." in w for w in gezien)


@pytest.mark.parametrize(
    ("n", "tekst"),
    [
        (0, "0"),
        (1, "<5"),
        (4, "<5"),
        (5, "10"),
        (9, "10"),
        (10, "10"),
        (14, "10"),
        (15, "20"),
        (16, "20"),
        (25, "30"),
        (995, "1.000"),
        (1004, "1.000"),
        (1005, "1.010"),
        (16533, "16.530"),
        (999_995, "1.000.000"),
    ],
)
def test_afronden_grenzen(n: int, tekst: str) -> None:
    assert afronden(n) == tekst
    assert toon(n) == tekst  # the test's own oracle agrees


def test_afronden_weigert_ongeldig() -> None:
    with pytest.raises(ValueError):
        afronden(-1)
    with pytest.raises(TypeError):
        afronden(1.0)  # type: ignore[arg-type]


def test_onbekende_sector_of_soort() -> None:
    with pytest.raises(ValueError):
        jaarbeeld([("tandartsen", "signaal", 3)], 2023)
    with pytest.raises(ValueError):
        jaarbeeld([("ggz", "roddel", 3)], 2023)
    with pytest.raises(ValueError):
        jaarbeeld([("ggz", "signaal", -3)], 2023)


def test_lege_invoer_geeft_nullen() -> None:
    tabel = jaarbeeld([], 2023)
    assert [r["sector"] for r in tabel.to_json()["rijen"]] == [naam for _, naam in SECTOREN]
    assert tabel.to_json()["totaal"] == {"sector": "Totaal", "alle": "0", "calamiteit": "0", "ontslag": "0", "geweld": "0"}


# Exact counts chosen to be consistent with every 2023 cell of the seed table:
# (sector, alle, calamiteit, ontslag, geweld, overige soort)
SEED_2023 = [
    ("eerstelijnszorg", 1048, 310, 5, 14, "signaal"),
    ("farmaceutische-producten", 2718, 0, 0, 0, "geneesmiddel-tekort-of-defect"),
    ("ggz", 598, 90, 54, 86, "klacht"),
    ("gehandicaptenzorg", 720, 110, 90, 170, "signaal"),
    ("jeugd", 650, 100, 0, 0, "jeugdwet-geweld"),  # Jeugdwet meldingen are not in the Wkkgz columns
    ("medisch-specialistische-zorg", 1180, 780, 40, 10, "signaal"),
    ("medische-technologie", 8520, 0, 0, 0, "medisch-hulpmiddel-incident"),
    ("preventie", 20, 3, 4, 1, "signaal"),
    ("verpleging-en-verzorging", 980, 310, 100, 100, "wmo-calamiteit"),
    ("zorg-voor-asielzoekers-en-justitiabelen", 88, 30, 4, 10, "klacht"),
    (None, 9, 2, 0, 0, "signaal"),  # no sector -> "Sector overstijgend"
]

# The 2023 columns of the seed's table, verbatim (footnote asterisks dropped).
SEED_TABEL_2023 = """\
Eerstelijnszorg 1.050 310 10 10
Farmaceutische producten 2.720 0 0 0
GGZ 600 90 50 90
Gehandicaptenzorg 720 110 90 170
Jeugd 650 100 0 0
Medisch specialistische zorg 1.180 780 40 10
Medische technologie 8.520 0 0 0
Preventie 20 <5 <5 <5
Verpleging en verzorging 980 310 100 100
Zorg voor asielzoekers en justitiabelen 90 30 <5 10
Sector overstijgend 10 <5 0 0
Totaal 16.530 1.740 300 390
"""


def seed_tellingen() -> list[tuple[str | None, str, int]]:
    t = []
    for sector, alle, cal, ontslag, geweld, overig in SEED_2023:
        t += [
            (sector, "wkkgz-calamiteit", cal),
            (sector, "wkkgz-ontslag-disfunctioneren", ontslag),
            (sector, "wkkgz-geweld", geweld),
            (sector, overig, alle - cal - ontslag - geweld),
        ]
    return t


def test_reproduceert_jaarbeeld_2023() -> None:
    tabel = jaarbeeld(seed_tellingen(), 2023)
    regels = []
    for r in [*tabel.to_json()["rijen"], tabel.to_json()["totaal"]]:
        regels.append(" ".join([r["sector"], r["alle"], r["calamiteit"], r["ontslag"], r["geweld"]]))
    assert "\n".join(regels) + "\n" == SEED_TABEL_2023


def test_totaal_is_afgeronde_som_niet_som_van_afgeronden() -> None:
    # Seed: rounded "Alle" cells add up to 16.540, but Totaal shows 16.530 (exact 16.533 here);
    # calamiteit: visible cells add to 1.730 plus two "<5" -> 1.740 (exact 1.735, half-up).
    tabel = jaarbeeld(seed_tellingen(), 2023)
    rijen = tabel.to_json()["rijen"]
    assert sum(int(r["alle"].replace(".", "")) for r in rijen) == 16540
    assert tabel.to_json()["totaal"]["alle"] == "16.530"
    assert tabel.to_json()["totaal"]["calamiteit"] == "1.740"


def test_csv_seed_rijen() -> None:
    csv = jaarbeeld(seed_tellingen(), 2023).to_csv()
    regels = csv.splitlines()
    assert regels[0] == (
        "Zorgsector;Alle ontvangen meldingen 2023;Waarvan calamiteit (Wkkgz) 2023;"
        "Waarvan ontslag wegens disfunctioneren (Wkkgz) 2023;Waarvan geweld in de zorgrelatie (Wkkgz) 2023"
    )
    assert regels[1] == "Eerstelijnszorg;1.050;310;10;10"
    assert regels[8] == "Preventie;20;<5;<5;<5"
    assert regels[-1] == "Totaal;16.530;1.740;300;390"
    assert len(regels) == 13
    csv.encode("utf-8")
