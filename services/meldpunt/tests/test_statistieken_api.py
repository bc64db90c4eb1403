"""The Jaarbeeld statistics through the API, for hand-picked counts whose table is written out below."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from meldpunt.models import Melding

IN_2025 = datetime(2025, 6, 15, 12, tzinfo=UTC)
# (sector, soort, how many received in 2025), chosen so each display rule of the Jaarbeeld shows.
AANTALLEN_2025 = [
    ("eerstelijnszorg", "signaal", 1005),  # 1005: half-up to "1.010" (Python's round would give 1000)
    ("ggz", "wkkgz-calamiteit", 5),  # 5: "10"
    ("ggz", "wkkgz-ontslag-disfunctioneren", 4),  # 4: "<5"
    ("ggz", "signaal", 16),  # ggz all: 5 + 4 + 16 = 25, "30" (round would give 20)
    ("jeugd", "wkkgz-geweld", 14),  # 14: "10"
    ("jeugd", "wkkgz-calamiteit", 15),  # 15: "20"
    ("jeugd", "jeugdwet-calamiteit", 6),  # not a Wkkgz calamiteit: only in all; jeugd all 35, "40"
    ("preventie", "klacht", 1),  # 1: "<5"
    (None, "signaal", 2),  # no sector: in "Sector overstijgend", 2: "<5"
]
# Totals of the exact counts: all 1005 + 25 + 35 + 1 + 2 = 1068, "1.070" (the rounded cells add up to 1.080
# and more); calamiteit 5 + 15 = 20, "20"; ontslag 4, "<5"; geweld 14, "10".
VERWACHT = {
    "Eerstelijnszorg": ("1.010", "0", "0", "0"),
    "Farmaceutische producten": ("0", "0", "0", "0"),
    "GGZ": ("30", "10", "<5", "0"),
    "Gehandicaptenzorg": ("0", "0", "0", "0"),
    "Jeugd": ("40", "20", "0", "10"),
    "Medisch specialistische zorg": ("0", "0", "0", "0"),
    "Medische technologie": ("0", "0", "0", "0"),
    "Preventie": ("<5", "0", "0", "0"),
    "Verpleging en verzorging": ("0", "0", "0", "0"),
    "Zorg voor asielzoekers en justitiabelen": ("0", "0", "0", "0"),
    "Sector overstijgend": ("<5", "0", "0", "0"),
    "Totaal": ("1.070", "20", "<5", "10"),
}


def _melding(sector: str | None, soort: str, ontvangen_op: datetime, **extra) -> Melding:
    return Melding(
        soort=soort, sector=sector, omschrijving="x", ingediend_door="gen", gegevens={}, tijdigheid=[], ontvangen_op=ontvangen_op, **extra
    )


async def test_jaarbeeld_shows_the_hand_computed_table(meldpunt, auth):
    rows = [_melding(sector, soort, IN_2025) for sector, soort, n in AANTALLEN_2025 for _ in range(n)]
    # The year is the Dutch calendar year (CET is UTC+1 in winter). One of eerstelijnszorg's 1005 comes in
    # at 00:30 on 1 January 2025 Dutch time, still 2024 in UTC: it counts.
    rows[0].ontvangen_op = datetime(2024, 12, 31, 23, 30, tzinfo=UTC)
    # Not counted, each in a sector that is otherwise empty, so counting it would show "<5" instead of "0".
    rows += [
        _melding("medische-technologie", "signaal", datetime(2024, 12, 31, 22, 59, 59, tzinfo=UTC)),  # 23:59:59 on 31 Dec 2024
        _melding("verpleging-en-verzorging", "signaal", datetime(2025, 12, 31, 23, 0, tzinfo=UTC)),  # midnight, 1 Jan 2026
        _melding("gehandicaptenzorg", "wkkgz-calamiteit", IN_2025, samengevoegd_met=uuid.uuid4()),  # merged into another one
    ]
    async with meldpunt.runtime.db.transaction() as session:
        session.add_all(rows)

    lezen = auth.headers("x", "meldpunt.statistieken.lezen")
    response = await meldpunt.client.get("/api/v1/statistieken/jaarbeeld?jaar=2025", headers=lezen)
    assert response.status_code == 200, response.text
    table = response.json()
    assert table["jaar"] == 2025
    shown = {r["sector"]: (r["alle"], r["calamiteit"], r["ontslag"], r["geweld"]) for r in [*table["rijen"], table["totaal"]]}
    assert shown == VERWACHT
    assert [row["sector"] for row in table["rijen"]] == list(VERWACHT)[:-1]  # the Jaarbeeld's order

    csv = await meldpunt.client.get("/api/v1/statistieken/jaarbeeld?jaar=2025", headers={**lezen, "Accept": "text/csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0] == (
        "Zorgsector;Alle ontvangen meldingen 2025;Waarvan calamiteit (Wkkgz) 2025;"
        "Waarvan ontslag wegens disfunctioneren (Wkkgz) 2025;Waarvan geweld in de zorgrelatie (Wkkgz) 2025"
    )
    assert lines[1:] == [";".join((naam, *cellen)) for naam, cellen in VERWACHT.items()]
