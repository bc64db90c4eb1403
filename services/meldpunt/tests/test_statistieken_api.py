"""The Jaarbeeld statistics through the API equal a table computed independently from generated meldingen."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime

from meldpunt.models import Melding
from zorgtoezicht.domain.sectoren import JAARBEELD_NAMEN, Sector

KINDS = {"wkkgz-calamiteit": "calamiteit", "wkkgz-ontslag-disfunctioneren": "ontslag", "wkkgz-geweld": "geweld"}
OTHER = ["signaal", "klacht", "medisch-hulpmiddel-incident", "jeugdwet-calamiteit"]


def shown(n: int) -> str:
    if n == 0:
        return "0"
    if n < 5:
        return "<5"
    return f"{(n + 5) // 10 * 10:,}".replace(",", ".")


async def test_jaarbeeld_matches_an_independent_count(meldpunt, auth):
    rng = random.Random(4)
    sectors = [s.value for s in Sector]
    rows, expected = [], Counter()
    for i in range(1500):
        sector = rng.choice(sectors[:6]) if i % 7 else rng.choice(sectors)
        soort = rng.choice(list(KINDS) + OTHER)
        jaar = 2025 if rng.random() < 0.9 else 2024
        rows.append(Melding(soort=soort, sector=sector, omschrijving="x", ingediend_door="gen", gegevens={}, tijdigheid=[],
                            ontvangen_op=datetime(jaar, rng.randint(1, 12), rng.randint(1, 28), 12, tzinfo=UTC)))
        if jaar == 2025:
            expected[(sector, "alle")] += 1
            if soort in KINDS:
                expected[(sector, KINDS[soort])] += 1
    async with meldpunt.runtime.db.transaction() as session:
        session.add_all(rows)
    response = await meldpunt.client.get("/api/v1/statistieken/jaarbeeld?jaar=2025", headers=auth.headers("x", "meldpunt.statistieken.lezen"))
    assert response.status_code == 200, response.text
    table = response.json()
    for row in table["rijen"]:
        sector = next(s.value for s in Sector if JAARBEELD_NAMEN[s] == row["sector"])
        for column in ("alle", "calamiteit", "ontslag", "geweld"):
            assert row[column] == shown(expected[(sector, column)]), (sector, column)
    assert table["totaal"]["alle"] == shown(sum(v for (s, c), v in expected.items() if c == "alle"))
    assert any(1 <= v <= 4 for v in expected.values()), "the generated data must exercise the <5 rule"
    assert any(cell == "<5" for row in table["rijen"] for cell in row.values())
    csv = await meldpunt.client.get("/api/v1/statistieken/jaarbeeld?jaar=2025",
                                    headers={**auth.headers("x", "meldpunt.statistieken.lezen"), "Accept": "text/csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert len(lines) == 1 + 11 + 1 and lines[0].startswith("Zorgsector;")
