"""The Jaarbeeld table of interventions (issue 10, item 9 and acceptance 9): per instrument the number imposed in
a year and the number still running on 31 December, from live data, as JSON and CSV.

The expected tables are computed here with plain loops over the records the test generated (never with the
service's SQL), and once written out by hand. The rules (statistieken.py's docstring): a besluit counts as
imposed in the year of its bekendmaking (verzenddatum), a measure registered directly in the year of its
ingangsdatum; running on 31-12 means ingangsdatum <= 31-12 and no end or an end on or after 31-12, whenever it
was imposed; a besluit revoked before 31-12 ended that day (its vervaldatum) and does not run.
"""

from __future__ import annotations

import csv
import io
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from handhaving import statistieken
from handhaving.models import Besluit, Handhavingszaak, Maatregel
from zorgtoezicht import klok
from zorgtoezicht.domain.handhaving import Aanleiding, BesluitStatus, Vervalreden

from .conftest import NEMEN, ZORGAANBIEDER, op

STATISTIEKEN = "handhaving.statistieken.lezen"
# The instruments in the table's order (soft to formal) with their names, written out by hand.
INSTRUMENTEN = [
    ("stimuleren-adviseren", "Stimuleren en adviseren"),
    ("verbeterplan", "Verbeterplannen"),
    ("verscherpt-toezicht", "Verscherpt toezicht"),
    ("waarschuwing", "Waarschuwingen"),
    ("bevel", "Bevelen"),
    ("aanwijzing", "Aanwijzingen"),
    ("last-onder-bestuursdwang", "Lasten onder bestuursdwang"),
    ("last-onder-dwangsom", "Lasten onder dwangsom"),
    ("bestuurlijke-boete", "Bestuurlijke boetes"),
    ("patientenstop", "Patiëntenstops"),
]
SOORTEN = [code for code, _ in INSTRUMENTEN]
NOG_NIET_BEKEND = ["voornemen", "zienswijze", "genomen", "ingetrokken"]  # the last: dropped before bekendmaking
BEKEND = ["bekendgemaakt", "in-bezwaar", "beslist-op-bezwaar", "in-beroep"]


@dataclass
class Record:
    """One generated besluit (bron 'besluit') or direct measure (bron 'maatregel'), as the test knows it."""

    bron: str
    soort: str
    status: str | None  # None for a direct measure
    bekend: bool  # a besluit made known (a direct measure: always in force from its ingangsdatum)
    verzenddatum: date | None
    ingangsdatum: date | None
    einde: date | None  # vervaldatum of a besluit, einddatum of a measure


def dag_in(rng: random.Random, van: date, tot: date) -> date:
    return van + timedelta(days=rng.randint(0, (tot - van).days))


def genereer(rng: random.Random) -> list[Record]:
    records = []
    for _ in range(360):
        soort = rng.choice(SOORTEN)
        soort_afloop = rng.random()
        if soort_afloop < 0.2:  # never made known: no dates of effect
            records.append(Record("besluit", soort, rng.choice(NOG_NIET_BEKEND), False, None, None, None))
            continue
        verzend = dag_in(rng, date(2023, 10, 1), date(2026, 12, 31))
        ingang = verzend + timedelta(days=rng.choice([0, 0, 0, 1, 3, 10, 25]))  # some start across the year end
        einde = None if rng.random() < 0.3 else ingang + timedelta(days=rng.randint(0, 700))
        if soort_afloop < 0.45:  # revoked later: ended on the day of the revocation (or its own end if earlier)
            intrekking = ingang + timedelta(days=rng.randint(0, 500))
            records.append(Record("besluit", soort, "ingetrokken", True, verzend, ingang, min(intrekking, einde or intrekking)))
        elif soort_afloop < 0.55 and einde is not None:  # lapsed at its end
            records.append(Record("besluit", soort, "vervallen", True, verzend, ingang, einde))
        else:
            records.append(Record("besluit", soort, rng.choice(BEKEND), True, verzend, ingang, einde))
    for _ in range(80):  # measures registered directly: no bekendmaking here
        ingang = dag_in(rng, date(2023, 6, 1), date(2026, 12, 31))
        einde = None if rng.random() < 0.4 else ingang + timedelta(days=rng.randint(0, 600))
        records.append(Record("maatregel", rng.choice(SOORTEN), None, True, None, ingang, einde))
    # the edges, for certain: ending on 31-12, starting on 31-12, made known 31-12 in force from 1-1, revoked 30-12
    records += [
        Record("besluit", "aanwijzing", "bekendgemaakt", True, date(2025, 3, 3), date(2025, 3, 3), date(2025, 12, 31)),
        Record("besluit", "bevel", "bekendgemaakt", True, date(2025, 12, 31), date(2025, 12, 31), date(2026, 1, 6)),
        Record("besluit", "bevel", "bekendgemaakt", True, date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 7)),
        Record("besluit", "waarschuwing", "ingetrokken", True, date(2024, 2, 1), date(2024, 2, 1), date(2025, 12, 30)),
        Record("maatregel", "verbeterplan", None, True, None, date(2024, 12, 31), date(2024, 12, 31)),
    ]
    return records


def verwachte_tabel(records: list[Record], jaar: int) -> dict[str, tuple[int, int]]:
    """instrument -> (opgelegd, lopend op 31-12), by plain loops over the generated records."""
    begin, einde_jaar = date(jaar, 1, 1), date(jaar, 12, 31)
    tabel = {soort: [0, 0] for soort in SOORTEN}
    for r in records:
        if not r.bekend:
            continue
        opgelegd_op = r.verzenddatum if r.bron == "besluit" else r.ingangsdatum
        if begin <= opgelegd_op <= einde_jaar:
            tabel[r.soort][0] += 1
        if r.ingangsdatum <= einde_jaar and (r.einde is None or r.einde >= einde_jaar):
            tabel[r.soort][1] += 1
    return {soort: (o, lp) for soort, (o, lp) in tabel.items()}


async def sla_op(handhaving, records: list[Record]) -> None:
    """Straight into the tables, as the procedure would have left them."""
    async with handhaving.runtime.db.transaction() as session:
        zaak = Handhavingszaak(
            id=uuid.uuid4(),
            identificatie="HZ-STAT-1",
            zorgaanbieder_id=ZORGAANBIEDER,
            aanleiding=Aanleiding.handmatig,
            aanleiding_datum=date(2023, 9, 1),
            tekortkomingen=[],
            geopend_op=datetime(2023, 9, 1, 9, tzinfo=klok.NL),
            geopend_door="test",
        )
        session.add(zaak)
        await session.flush()
        for i, r in enumerate(records):
            if r.bron == "maatregel":
                session.add(
                    Maatregel(
                        zorgaanbieder_id=ZORGAANBIEDER,
                        soort=r.soort,
                        ingangsdatum=r.ingangsdatum,
                        einddatum=r.einde,
                        motivering="gemigreerd",
                        opgelegd_door="test",
                    )
                )
                continue
            vervalreden = {"ingetrokken": Vervalreden.ingetrokken_overheid, "vervallen": Vervalreden.tijdelijk}.get(r.status)
            session.add(
                Besluit(
                    id=uuid.uuid4(),
                    identificatie=f"BS-STAT-{i:04d}",
                    zaak_id=zaak.id,
                    zorgaanbieder_id=ZORGAANBIEDER,
                    besluittype=r.soort,
                    status=BesluitStatus(r.status),
                    datum=r.verzenddatum,
                    verzenddatum=r.verzenddatum,
                    ingangsdatum=r.ingangsdatum,
                    vervaldatum=r.einde,
                    vervalreden=vervalreden,
                    toelichting="gegenereerd",
                    instrumentgegevens={},
                    aangemaakt_op=datetime(2023, 9, 1, 9, tzinfo=klok.NL),
                    versie=1,
                )
            )


async def tabel_van(handhaving, auth, jaar: int | None) -> tuple[dict, list[list[str]]]:
    pad = "/api/v1/statistieken/interventies" + (f"?jaar={jaar}" if jaar else "")
    headers = auth.headers("statistiek", STATISTIEKEN)
    als_json = await handhaving.client.get(pad, headers=headers)
    als_csv = await handhaving.client.get(pad, headers={**headers, "Accept": "text/csv"})
    assert als_json.status_code == als_csv.status_code == 200, als_json.text
    assert als_csv.headers["content-type"] == "text/csv; charset=utf-8"
    return als_json.json(), list(csv.reader(io.StringIO(als_csv.text), delimiter=";"))


def cijfers_uit_json(body: dict) -> dict[str, tuple[int, int]]:
    return {r["instrument"]: (r["opgelegd"], r["lopendEindeJaar"]) for r in body["rijen"]}


@pytest.fixture
def in_2027():
    with klok.gebruik(klok.VasteKlok(op(date(2027, 2, 1)))) as tijd:
        yield tijd


async def test_the_table_equals_one_computed_from_generated_data(handhaving, auth, in_2027):
    records = genereer(random.Random(20261203))
    assert sum(r.status == "ingetrokken" and r.bekend for r in records) > 50  # revoked ones, and running past year end:
    assert sum(r.bekend and (r.einde is None or r.einde.year > r.ingangsdatum.year) for r in records) > 100
    await sla_op(handhaving, records)

    for jaar in (2024, 2025, 2026, None):  # None: the default, the previous full year (2026 on 1 Feb 2027)
        verwacht = verwachte_tabel(records, jaar or 2026)
        body, rijen = await tabel_van(handhaving, auth, jaar)
        assert body["jaar"] == (jaar or 2026)
        # every instrument, zero rows included, in order; then the invorderingsbeschikkingen (none generated here)
        assert [r["instrument"] for r in body["rijen"]] == [*SOORTEN, "invorderingsbeschikking"]
        assert [r["naam"] for r in body["rijen"]] == [naam for _, naam in INSTRUMENTEN] + ["Invorderingsbeschikkingen"]
        assert cijfers_uit_json(body) == verwacht | {"invorderingsbeschikking": (0, 0)}
        som = (sum(o for o, _ in verwacht.values()), sum(lp for _, lp in verwacht.values()))
        assert (body["totaal"]["naam"], body["totaal"]["opgelegd"], body["totaal"]["lopendEindeJaar"]) == ("Totaal", *som)

        jaar_ = jaar or 2026
        assert rijen[0] == ["Instrument", f"Opgelegd in {jaar_}", f"Lopend op 31 december {jaar_}"]
        assert rijen[1:] == [[naam, str(verwacht[code][0]), str(verwacht[code][1])] for code, naam in INSTRUMENTEN] + [
            ["Invorderingsbeschikkingen", "0", "0"],
            ["Totaal", str(som[0]), str(som[1])],
        ]


async def test_a_small_case_written_out(handhaving, procedure, auth):
    """2025, counted by hand:

    aanwijzing   A1 made known 2024-03-01, no end                     -> running on 31-12-2025
                 A2 made known 2025-05-11, revoked 2025-11-30 (API)   -> imposed 2025, not running
                 A3 made known and in force 2025-12-31 to 2025-12-31  -> imposed, running (its last day)
                 A4 made known 2025-12-30, in force from 2026-01-05   -> imposed, not running yet
                 A5 a voornemen only                                  -> nothing
                 M1 registered directly, from 2025-02-01 (API)        -> imposed, running
    waarschuwing W1 made known 2024-06-01, valid to 2026-05-31        -> running
                 W2 made known 2023-01-01, valid to 2024-12-31        -> nothing
    bevel        B1 made known 2025-12-28, to 2026-01-03              -> imposed, running
    verbeterplan M2 registered directly 2024-10-01 to 2025-12-31      -> running
    aanwijzing: 4 imposed (A2, A3, A4, M1), 3 running (A1, A3, M1); waarschuwing 0 / 1; bevel 1 / 1;
    verbeterplan 0 / 1; totaal 5 imposed, 6 running.
    """
    with klok.gebruik(klok.VasteKlok(op(date(2025, 5, 11)))) as tijd:
        a2 = await procedure.bekendgemaakt("aanwijzing")
        tijd.zet(op(date(2025, 11, 30)))
        ingetrokken = await procedure.post(
            f"besluiten/{a2['id']}/intrekking", {"vervalreden": "ingetrokken_overheid", "toelichting": "hersteld"}, procedure.jurist
        )
        assert ingetrokken.status_code == 200 and ingetrokken.json()["vervaldatum"] == "2025-11-30"
        m1 = await handhaving.client.post(
            "/api/v1/maatregelen",
            json={"zorgaanbiederId": str(ZORGAANBIEDER), "soort": "aanwijzing", "ingangsdatum": "2025-02-01", "motivering": "migratie"},
            headers=auth.headers("migratie", "handhaving.maatregelen.schrijven"),
        )
        assert m1.status_code == 201, m1.text
    await sla_op(
        handhaving,
        [
            Record("besluit", "aanwijzing", "bekendgemaakt", True, date(2024, 3, 1), date(2024, 3, 1), None),
            Record("besluit", "aanwijzing", "beslist-op-bezwaar", True, date(2025, 12, 31), date(2025, 12, 31), date(2025, 12, 31)),
            Record("besluit", "aanwijzing", "bekendgemaakt", True, date(2025, 12, 30), date(2026, 1, 5), None),
            Record("besluit", "aanwijzing", "voornemen", False, None, None, None),
            Record("besluit", "waarschuwing", "in-bezwaar", True, date(2024, 6, 1), date(2024, 6, 1), date(2026, 5, 31)),
            Record("besluit", "waarschuwing", "vervallen", True, date(2023, 1, 1), date(2023, 1, 1), date(2024, 12, 31)),
            Record("besluit", "bevel", "bekendgemaakt", True, date(2025, 12, 28), date(2025, 12, 28), date(2026, 1, 3)),
            Record("maatregel", "verbeterplan", None, True, None, date(2024, 10, 1), date(2025, 12, 31)),
        ],
    )
    with klok.gebruik(klok.VasteKlok(op(date(2026, 3, 15)))):
        body, rijen = await tabel_van(handhaving, auth, 2025)
    verwacht = {soort: (0, 0) for soort in SOORTEN} | {
        "aanwijzing": (4, 3),
        "waarschuwing": (0, 1),
        "bevel": (1, 1),
        "verbeterplan": (0, 1),
        "invorderingsbeschikking": (0, 0),
    }
    assert cijfers_uit_json(body) == verwacht
    assert (body["totaal"]["opgelegd"], body["totaal"]["lopendEindeJaar"]) == (5, 6)
    assert body["peildatum"] == "2025-12-31"
    assert ["Aanwijzingen", "4", "3"] in rijen and ["Bevelen", "1", "1"] in rijen and rijen[-1] == ["Totaal", "5", "6"]


async def test_an_extra_counter_adds_a_row_outside_the_total(handhaving, auth, monkeypatch, in_2027):
    async def invorderingsbeschikkingen(session, jaar: int) -> statistieken.Telling:
        return statistieken.Telling(113 if jaar == 2026 else 0, 7)

    teller = statistieken.ExtraTeller("invorderingsbeschikking", "Invorderingsbeschikkingen", invorderingsbeschikkingen)
    monkeypatch.setattr(statistieken, "EXTRA_TELLERS", [teller])
    body, rijen = await tabel_van(handhaving, auth, 2026)
    assert body["rijen"][-1] == {
        "instrument": "invorderingsbeschikking",
        "naam": "Invorderingsbeschikkingen",
        "opgelegd": 113,
        "lopendEindeJaar": 7,
    }
    assert (body["totaal"]["opgelegd"], body["totaal"]["lopendEindeJaar"]) == (0, 0)
    assert rijen[-2:] == [["Invorderingsbeschikkingen", "113", "7"], ["Totaal", "0", "0"]]


async def test_the_year_and_the_scope_are_checked(handhaving, auth, in_2027):
    pad = "/api/v1/statistieken/interventies"
    headers = auth.headers("statistiek", STATISTIEKEN)
    for jaar in ("1999", "2028", "abc", "2101"):  # before 2000, after this year (2027), not a number, far off
        response = await handhaving.client.get(f"{pad}?jaar={jaar}", headers=headers)
        assert response.status_code == 400, (jaar, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [p["name"] for p in response.json()["invalidParams"]] == ["jaar"]
    assert (await handhaving.client.get(f"{pad}?jaar=2027", headers=headers)).status_code == 200  # this year, so far
    for scope in ("handhaving.besluiten.lezen", NEMEN):
        assert (await handhaving.client.get(pad, headers=auth.headers("lezer", scope))).status_code == 200
    assert (await handhaving.client.get(pad, headers=auth.headers("ander", "handhaving.maatregelen.lezen"))).status_code == 403
    assert (await handhaving.client.get(pad)).status_code == 401
