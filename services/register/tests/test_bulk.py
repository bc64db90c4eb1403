"""register: bulk load — counts, events, audit, search words, idempotence, updates, every kind of bad row,
CSV = JSONL, a refusal by the database, the command line, and the synthetic data generator."""

from __future__ import annotations

import csv
import itertools
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from register import bulk
from register.bulk import inhoud_hash, laad
from register.schemas import ZorgaanbiederGegevens
from register.service import inhoud_hash as api_inhoud_hash
from register.synthetic import CSV_PROVIDER_COLUMNS, CSV_VESTIGING_COLUMNS, generate, write_csv, write_jsonl
from zorgtoezicht.domain.gemeenten import gemeenten
from zorgtoezicht.domain.sectoren import Sector
from zorgtoezicht.events.envelope import CloudEvent
from zorgtoezicht.settings import PlatformSettings
from zorgtoezicht.testing.harness import start_service

GEREGISTREERD = "nl.zorgtoezicht.zorgaanbieders.zorgaanbieder-geregistreerd"
GEWIJZIGD = "nl.zorgtoezicht.zorgaanbieders.zorgaanbieder-gewijzigd"
LEZEN = "register.zorgaanbieders.lezen"
SCHRIJVEN = "register.zorgaanbieders.schrijven"


@pytest.fixture
async def register(databases, auth):
    service = await start_service("register", databases, auth)
    yield service
    await service.close()


def url_of(register) -> str:
    return register.runtime.settings.database_url


async def load(register, path: Path, **options) -> bulk.LaadRapport:
    return await laad(url_of(register), path, public_url=register.runtime.settings.public_url, **options)


async def tellingen(register) -> dict[str, int]:
    tables = ("zorgaanbieder", "vestiging", "outbox", "audit_trail", "zorgaanbieder_woord", "zorgaanbieder_woordpaar")
    return {t: await register.scalar(f"SELECT count(*) FROM {t}") for t in tables}


async def woordparen_kloppen(register) -> bool:
    """The word-pair index holds exactly every pair of each provider's words, worked out here from zoeknaam."""
    verwacht = {
        (f"{a} {b}", z["id"])
        for z in await rows(register, "SELECT id, zoeknaam FROM zorgaanbieder")
        for a, b in itertools.combinations(sorted({w for w in z["zoeknaam"].split() if len(w) >= 2}), 2)
    }
    opgeslagen = {(r["paar"], r["zorgaanbieder_id"]) for r in await rows(register, "SELECT * FROM zorgaanbieder_woordpaar")}
    return bool(verwacht) and opgeslagen == verwacht


async def rows(register, sql: str, **params) -> list[dict]:
    return await register.scalar(f"SELECT coalesce(json_agg(q), '[]') FROM ({sql}) q", **params)


def jsonl(path: Path, records: list, *extra_lines: str) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)
        + "".join(line + "\n" for line in extra_lines),
        encoding="utf-8",
    )
    return path


# --- loading and reloading ----------------------------------------------------------------------------


async def test_a_generated_file_loads_with_events_audit_and_search_words(register, tmp_path):
    records = list(generate(300, seed=7))
    path = write_jsonl(tmp_path / "r.jsonl", 300, seed=7)
    rapport = await load(register, path, chunk_size=64)  # several chunks through the pipeline

    assert (rapport.gelezen, rapport.nieuw, rapport.gewijzigd, rapport.ongewijzigd, rapport.geweigerd) == (300, 300, 0, 0, 0)
    vestigingen = sum(len(r["vestigingen"]) for r in records)
    assert rapport.vestigingen == vestigingen
    counts = await tellingen(register)
    assert (counts["zorgaanbieder"], counts["vestiging"], counts["outbox"], counts["audit_trail"]) == (300, vestigingen, 300, 300)

    # One zorgaanbieder-geregistreerd per provider, matching its contract, information-poor.
    events = await rows(register, "SELECT event_type, topic, record_key, convert_from(payload, 'UTF8') AS payload FROM outbox")
    ids = {r["id"]: r for r in await rows(register, "SELECT id, kvk_nummer, versie, inhoud_hash FROM zorgaanbieder")}
    assert {e["record_key"] for e in events} == set(ids)
    oin = PlatformSettings().oin
    for e in events:
        event = CloudEvent.from_bytes(e["payload"].encode())
        data = event.typed_data()
        assert e["event_type"] == event.type == GEREGISTREERD and e["topic"] == "zorgtoezicht.zorgaanbieders"
        assert str(data.zorgaanbieder_id) == event.subject == e["record_key"]
        assert event.source == f"urn:nld:oin:{oin}:systeem:register"
        assert event.dataref == f"http://register.test/api/v1/zorgaanbieders/{event.subject}"
        assert data.kvk_nummer == ids[event.subject]["kvk_nummer"]
        assert "statutaireNaam" not in e["payload"] and "adres" not in e["payload"] and "postcode" not in e["payload"]

    # One audit row per provider: create by bulk-load, with the facts.
    audit = await rows(register, "SELECT * FROM audit_trail")
    assert {a["hoofd_object_id"] for a in audit} == set(ids)
    first = next(a for a in audit if ids[a["hoofd_object_id"]]["kvk_nummer"] == records[0]["kvkNummer"])
    assert (first["actie"], first["applicatie_id"], first["bron"], first["resultaat"], first["resource"]) == (
        "create",
        "bulk-load",
        "register",
        201,
        "zorgaanbieder",
    )
    assert first["hoofd_object"] == f"http://register.test/api/v1/zorgaanbieders/{first['hoofd_object_id']}"
    assert first["wijzigingen"]["oud"] is None
    nieuw = first["wijzigingen"]["nieuw"]
    assert nieuw["kvkNummer"] == records[0]["kvkNummer"] and nieuw["statutaireNaam"] == records[0]["statutaireNaam"]
    assert nieuw["vestigingen"][0]["gemeente"] == gemeenten()[nieuw["vestigingen"][0]["gemeenteCode"]]

    # The stored row: versie 1, the API's hash of the facts, the normalised search name and its words.
    kvk = records[0]["kvkNummer"]
    row = (await rows(register, "SELECT * FROM zorgaanbieder WHERE kvk_nummer = :k", k=kvk))[0]
    assert row["versie"] == 1 and row["vergunningstatus"] == "geen"
    assert row["inhoud_hash"] == api_inhoud_hash(ZorgaanbiederGegevens.model_validate(records[0]).model_dump(mode="json", by_alias=True))
    assert row["zoeknaam"] == row["zoeknaam"].lower().strip() and "  " not in row["zoeknaam"]
    woorden = await register.scalar(
        "SELECT array_agg(woord ORDER BY woord) FROM zorgaanbieder_woord WHERE zorgaanbieder_id = :i", i=row["id"]
    )
    assert woorden == sorted({w for w in row["zoeknaam"].split() if len(w) >= 2})
    assert await register.scalar("SELECT sum(aantal) FROM zoekwoord") == counts["zorgaanbieder_woord"]
    assert await woordparen_kloppen(register)
    vestiging = (
        await rows(register, "SELECT * FROM vestiging WHERE vestigingsnummer = :n", n=records[0]["vestigingen"][0]["vestigingsnummer"])
    )[0]
    assert vestiging["kvk_nummer"] == kvk and vestiging["gemeente_code"] == records[0]["vestigingen"][0]["gemeenteCode"]


async def test_loading_again_changes_nothing_at_all(register, tmp_path):
    path = write_jsonl(tmp_path / "r.jsonl", 200, seed=8)
    await load(register, path, chunk_size=50)
    before = await tellingen(register)
    state = "SELECT string_agg(kvk_nummer || versie || gewijzigd_op::text || inhoud_hash, ',' ORDER BY kvk_nummer) FROM zorgaanbieder"
    snapshot = await register.scalar(state)
    xmax = await register.scalar("SELECT max(xmin::text::bigint) FROM zorgaanbieder")

    again = await load(register, path, chunk_size=50)
    assert (again.gelezen, again.nieuw, again.gewijzigd, again.ongewijzigd, again.geweigerd, again.vestigingen) == (200, 0, 0, 200, 0, 0)
    assert await tellingen(register) == before
    assert await register.scalar(state) == snapshot
    assert await register.scalar("SELECT max(xmin::text::bigint) FROM zorgaanbieder") == xmax  # not even rewritten


async def test_a_changed_provider_is_updated_once_with_version_event_audit_and_new_vestigingen(register, tmp_path):
    records = list(generate(20, seed=3))
    chain = next(i for i, r in enumerate(records) if len(r["vestigingen"]) > 1)
    await load(register, jsonl(tmp_path / "a.jsonl", records))
    kvk = records[chain]["kvkNummer"]
    old_numbers = [v["vestigingsnummer"] for v in records[chain]["vestigingen"]]
    records[chain]["aantalZorgverleners"] = 77
    records[chain]["statutaireNaam"] = "Zorggroep Nieuwenhoven"
    records[chain]["handelsnamen"] = []
    records[chain]["vestigingen"] = [
        {**records[chain]["vestigingen"][0], "postcode": "9999 ZZ"},
        {"vestigingsnummer": "999999999999", "postcode": "3511 AB", "gemeenteCode": "GM0344"},
    ]
    rapport = await load(register, jsonl(tmp_path / "b.jsonl", records))

    assert (rapport.nieuw, rapport.gewijzigd, rapport.ongewijzigd, rapport.geweigerd) == (0, 1, 19, 0)
    z = (await rows(register, "SELECT * FROM zorgaanbieder WHERE kvk_nummer = :k", k=kvk))[0]
    assert (z["versie"], z["aantal_zorgverleners"], z["statutaire_naam"]) == (2, 77, "Zorggroep Nieuwenhoven")
    assert z["gewijzigd_op"] > z["geregistreerd_op"]
    vestigingen = await rows(
        register,
        "SELECT vestigingsnummer, postcode, gemeente FROM vestiging WHERE zorgaanbieder_id = :i ORDER BY vestigingsnummer",
        i=z["id"],
    )
    assert vestigingen == [
        {
            "vestigingsnummer": old_numbers[0],
            "postcode": "9999 ZZ",
            "gemeente": gemeenten()[records[chain]["vestigingen"][0]["gemeenteCode"]],
        },
        {"vestigingsnummer": "999999999999", "postcode": "3511 AB", "gemeente": "Utrecht"},
    ]
    assert await register.scalar("SELECT count(*) FROM vestiging WHERE vestigingsnummer = ANY(:n)", n=old_numbers[1:]) == 0

    payload = await register.scalar("SELECT convert_from(payload, 'UTF8') FROM outbox WHERE event_type = :t", t=GEWIJZIGD)
    event = CloudEvent.from_bytes(payload.encode())
    assert event.typed_data().versie == 2 and event.subject == str(z["id"])
    assert [v.vestigingsnummer for v in event.typed_data().vestigingen] == [old_numbers[0], "999999999999"]
    assert await register.scalar("SELECT count(*) FROM outbox") == 21

    audit = await rows(register, "SELECT * FROM audit_trail WHERE actie = 'update'")
    assert len(audit) == 1 and audit[0]["hoofd_object_id"] == str(z["id"]) and audit[0]["resultaat"] == 200
    oud, nieuw = audit[0]["wijzigingen"]["oud"], audit[0]["wijzigingen"]["nieuw"]
    assert oud["aantalZorgverleners"] != 77 and nieuw["aantalZorgverleners"] == 77
    assert [v["vestigingsnummer"] for v in oud["vestigingen"]] == sorted(old_numbers)
    assert oud["statutaireNaam"] != "Zorggroep Nieuwenhoven" and nieuw["statutaireNaam"] == "Zorggroep Nieuwenhoven"

    # The search words follow the new name; the vocabulary counts stay exact.
    woorden = await register.scalar(
        "SELECT array_agg(woord ORDER BY woord) FROM zorgaanbieder_woord WHERE zorgaanbieder_id = :i", i=z["id"]
    )
    assert woorden == ["nieuwenhoven", "zorggroep"]
    assert await register.scalar("SELECT sum(aantal) FROM zoekwoord") == await register.scalar("SELECT count(*) FROM zorgaanbieder_woord")
    paren = await register.scalar("SELECT array_agg(paar) FROM zorgaanbieder_woordpaar WHERE zorgaanbieder_id = :i", i=z["id"])
    assert paren == ["nieuwenhoven zorggroep"]  # the old name's pairs are gone
    assert await woordparen_kloppen(register)

    # And the changed file once more: nothing.
    third = await load(register, tmp_path / "b.jsonl")
    assert (third.nieuw, third.gewijzigd, third.ongewijzigd) == (0, 0, 20)


async def test_a_provider_entered_through_the_api_is_unchanged_by_the_same_facts_in_an_export(register, auth, tmp_path):
    record = {
        "kvkNummer": "69599084",
        "statutaireNaam": "Fysiotherapie Zoë Müller-Ærø",
        "handelsnamen": ["Fysio Zoë"],
        "soort": "solist",
        "rechtsvorm": "eenmanszaak",
        "sectoren": ["eerstelijnszorg"],
        "zorgsoorten": ["paramedisch"],
        "vestigingen": [{"vestigingsnummer": "000038509504", "postcode": "3511 AB", "gemeenteCode": "GM0344"}],
    }
    response = await register.client.post("/api/v1/zorgaanbieders", json=record, headers=auth.headers("cibg", SCHRIJVEN))
    assert response.status_code == 201, response.text
    rapport = await load(register, jsonl(tmp_path / "api.jsonl", [record]))
    assert (rapport.nieuw, rapport.gewijzigd, rapport.ongewijzigd) == (0, 0, 1)
    assert await register.scalar("SELECT count(*) FROM outbox") == 1


async def test_bulk_loaded_providers_are_found_by_name_through_the_api(register, auth, tmp_path):
    records = list(generate(150, seed=12))
    await load(register, jsonl(tmp_path / "z.jsonl", records))
    target = records[17]
    response = await register.client.post(
        "/api/v1/zorgaanbieders/_zoek", json={"naam": target["statutaireNaam"]}, headers=auth.headers("frontend", LEZEN)
    )
    assert response.status_code == 200, response.text
    assert target["kvkNummer"] in [r["kvkNummer"] for r in response.json()["results"]]


async def test_an_interrupted_load_is_completed_by_running_it_again(register, tmp_path):
    records = list(generate(120, seed=21))
    await load(register, jsonl(tmp_path / "first-part.jsonl", records[:70]))  # as if it stopped after some chunks
    rapport = await load(register, jsonl(tmp_path / "all.jsonl", records), chunk_size=25)
    assert (rapport.nieuw, rapport.ongewijzigd, rapport.gewijzigd) == (50, 70, 0)
    counts = await tellingen(register)
    assert (counts["zorgaanbieder"], counts["outbox"], counts["audit_trail"]) == (120, 120, 120)


async def test_the_service_database_object_can_be_used_as_well(register, tmp_path):
    path = write_jsonl(tmp_path / "db.jsonl", 30, seed=4)
    rapport = await laad(register.runtime.db, path, public_url=register.runtime.settings.public_url)
    assert rapport.nieuw == 30
    assert (await laad(register.runtime.db, path)).ongewijzigd == 30
    assert await register.scalar("SELECT count(*) FROM zorgaanbieder") == 30  # and the pool still works


# --- bad rows -----------------------------------------------------------------------------------------


async def test_bad_rows_are_reported_with_line_and_reason_while_good_rows_load(register, tmp_path):
    good = list(generate(8, seed=11))
    v = lambda i, **changes: {**good[i], "vestigingen": [{**good[i]["vestigingen"][0], **changes}]}  # noqa: E731
    lines = [
        good[0],  # 1 ok
        {**good[1], "kvkNummer": "123"},  # 2 KvK-nummer
        v(2, vestigingsnummer="12"),  # 3 vestigingsnummer
        v(3, postcode="1234ab"),  # 4 postcode
        {**good[4], "agbCode": "x1"},  # 5 AGB-code
        v(5, gemeenteCode="GM9999"),  # 6 unknown gemeente
        {k: val for k, val in good[6].items() if k != "statutaireNaam"},  # 7 missing field
        "{not json",  # 8 broken JSON
        good[0],  # 9 same KvK-nummer again
        {**good[1], "vestigingen": good[0]["vestigingen"]},  # 10 vestigingsnummer of line 1
        {**good[2], "sectoren": ["tandheelkunde"]},  # 11 unknown sector
        json.dumps({**good[3], "statutaireNaam": "Zorg\u0000Punt"}),  # 12 NUL character
        "[1, 2, 3]",  # 13 not an object
        {**good[4], "vestigingen": [good[4]["vestigingen"][0]] * 2},  # 14 one vestiging twice
        good[7],  # 15 ok
    ]
    rapport = await load(register, jsonl(tmp_path / "bad.jsonl", lines, ""))  # a trailing blank line is skipped
    reasons = dict(rapport.weigeringen)

    assert rapport.gelezen == 15 and rapport.nieuw == 2 and sorted(reasons) == list(range(2, 15))
    assert reasons[2] == "kvkNummer: a KvK-nummer consists of exactly 8 digits"
    assert reasons[3] == "vestigingen.0.vestigingsnummer: a vestigingsnummer consists of exactly 12 digits"
    assert reasons[4].startswith("vestigingen.0.postcode: a postcode is written as 4 digits")
    assert reasons[5] == "agbCode: an AGB-code consists of exactly 8 digits"
    assert "GM9999 is not a current CBS municipality code" in reasons[6]
    assert reasons[7] == "statutaireNaam: Field required"
    assert reasons[8].startswith("invalid JSON")
    assert reasons[9] == f"kvkNummer {good[0]['kvkNummer']} occurs earlier in this file (line 1); only the first occurrence is loaded"
    assert reasons[10] == f"vestigingsnummer {good[0]['vestigingen'][0]['vestigingsnummer']} occurs earlier in this file (line 1)"
    assert reasons[11].startswith("sectoren.0: Input should be")
    assert "NUL" in reasons[12]
    assert "valid dictionary" in reasons[13] or "object" in reasons[13]
    assert "occurs more than once" in reasons[14]
    assert await register.scalar("SELECT array_agg(kvk_nummer ORDER BY kvk_nummer) FROM zorgaanbieder") == sorted(
        [good[0]["kvkNummer"], good[7]["kvkNummer"]]
    )

    # A vestigingsnummer owned by a provider in the database is refused in a later file, too.
    later = jsonl(tmp_path / "later.jsonl", [{**good[2], "vestigingen": good[0]["vestigingen"]}])
    rapport2 = await load(register, later)
    numbers = ", ".join(x["vestigingsnummer"] for x in good[0]["vestigingen"])
    assert rapport2.weigeringen == [(1, f"vestigingsnummer {numbers} belongs to another zorgaanbieder")]
    assert await register.scalar("SELECT count(*) FROM outbox") == 2


async def test_a_record_the_database_refuses_is_found_and_reported_while_the_rest_of_its_chunk_loads(register, tmp_path):
    # A constraint the validation does not know about: the database refuses one record of a chunk.
    from sqlalchemy import text

    async with register.runtime.db.transaction() as session:
        await session.execute(text("ALTER TABLE vestiging ADD CONSTRAINT geen_test CHECK (naam IS DISTINCT FROM 'WEIGER MIJ')"))
    records = list(generate(50, seed=5))
    records[23]["vestigingen"][0]["naam"] = "WEIGER MIJ"
    rapport = await load(register, jsonl(tmp_path / "x.jsonl", records), chunk_size=50)
    assert rapport.nieuw == 49 and [regel for regel, _ in rapport.weigeringen] == [24]
    assert "the database refused this record" in rapport.weigeringen[0][1] and "geen_test" in rapport.weigeringen[0][1]
    counts = await tellingen(register)
    assert (counts["zorgaanbieder"], counts["outbox"], counts["audit_trail"]) == (49, 49, 49)


# --- CSV ----------------------------------------------------------------------------------------------


async def test_csv_and_jsonl_load_the_same_register(register, databases, auth, tmp_path):
    jsonl_path = write_jsonl(tmp_path / "r.jsonl", 120, seed=5)
    csv_path = write_csv(tmp_path / "r.csv", 120, seed=5)
    other = await start_service("register", databases, auth)
    try:
        a = await load(register, jsonl_path)
        b = await laad(url_of(other), csv_path)
        assert (a.nieuw, a.vestigingen, a.geweigerd) == (b.nieuw, b.vestigingen, b.geweigerd) == (120, a.vestigingen, 0)
        query = "SELECT string_agg(kvk_nummer || inhoud_hash || zoeknaam, ',' ORDER BY kvk_nummer) FROM zorgaanbieder"
        assert await register.scalar(query) == await other.scalar(query)
        vestigingen = (
            "SELECT string_agg(concat_ws('|', vestigingsnummer, kvk_nummer, naam, adres, postcode, plaats, gemeente_code, gemeente), "
            "',' ORDER BY vestigingsnummer) FROM vestiging"
        )
        assert await register.scalar(vestigingen) == await other.scalar(vestigingen)
        assert (await load(register, csv_path)).ongewijzigd == 120  # the CSV is the same register as the JSONL
    finally:
        await other.close()


def csv_rows(records: list[dict]) -> list[list[str]]:
    """The CSV rows of ``records`` (one per vestiging, provider columns repeated), as write_csv makes them."""
    return [
        [cell(r.get(c)) for c in CSV_PROVIDER_COLUMNS] + [cell(v.get(c)) for c in CSV_VESTIGING_COLUMNS]
        for r in records
        for v in r["vestigingen"]
    ]


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return "|".join(value)
    return str(value)


async def test_csv_bad_rows_refuse_their_provider_as_a_whole(register, tmp_path):
    records = list(generate(40, seed=9))
    chains = [r for r in records if len(r["vestigingen"]) >= 2][:2]
    singles = [r for r in records if len(r["vestigingen"]) == 1][:3]
    header = CSV_PROVIDER_COLUMNS + [f"vestiging.{c}" for c in CSV_VESTIGING_COLUMNS]
    body = csv_rows([singles[0], chains[0], singles[1], chains[1], singles[2]])
    # line numbers: 1 header, 2 singles[0], 3.. chains[0], then singles[1], chains[1], singles[2]
    first_chain = 3
    second_vestiging_of_chain = first_chain + 1
    body[second_vestiging_of_chain - 2][header.index("vestiging.postcode")] = "12345"  # a bad value in its 2nd row
    n0 = len(chains[0]["vestigingen"])
    second_chain = first_chain + n0 + 1
    short = body[second_chain - 2 + 1][:5]  # a row of the 2nd chain cut short
    body[second_chain - 2 + 1] = short
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(body)
    rapport = await laad(url_of(register), path)
    reasons = dict(rapport.weigeringen)
    assert rapport.nieuw == 3  # the three single-vestiging providers
    assert reasons[second_vestiging_of_chain].startswith("vestigingen.1.postcode")  # the line of the bad vestiging
    assert reasons[second_chain + 1] == f"row has 5 columns, the header {len(header)}"
    assert "could not be read" in reasons[second_chain]  # the provider that row belongs to is refused as a whole
    assert await register.scalar("SELECT count(*) FROM zorgaanbieder WHERE kvk_nummer = ANY(:k)", k=[c["kvkNummer"] for c in chains]) == 0


async def test_a_csv_without_the_columns_is_refused_at_line_1(register, tmp_path):
    path = tmp_path / "kolommen.csv"
    path.write_text("kvkNummer;naam\n12345678;X\n", encoding="utf-8")
    rapport = await laad(url_of(register), path)
    assert rapport.nieuw == 0 and rapport.weigeringen[0][0] == 1 and "header lacks columns" in rapport.weigeringen[0][1]


# --- the command line ---------------------------------------------------------------------------------


async def test_the_command_line_loads_and_writes_a_rejects_report(register, tmp_path):
    path = jsonl(tmp_path / "cli.jsonl", [next(generate(1, seed=1))], "{broken")
    report = tmp_path / "weigeringen.json"
    env = {**os.environ, "REGISTER_DATABASE_URL": url_of(register)}
    result = subprocess.run(
        [sys.executable, "-m", "register", "laden", str(path), "--rapport", str(report)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["nieuw"], summary["geweigerd"]) == (1, 1) and summary["piekGeheugenMiB"] > 0
    assert "line 2: invalid JSON" in result.stderr
    assert [r["regel"] for r in json.loads(report.read_text())] == [2]

    generated = tmp_path / "gen.csv"
    result = subprocess.run(
        [sys.executable, "-m", "register", "genereer", str(generated), "--aantal", "5", "--seed", "3"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert generated.read_text(encoding="utf-8").splitlines()[0].startswith("kvkNummer;statutaireNaam;")


# --- hashing ------------------------------------------------------------------------------------------


def test_the_fast_hash_is_the_apis_hash():
    samples = [r for r in generate(300, seed=2)]
    samples += [
        {**samples[0], "statutaireNaam": name}
        for name in ("Zorg Zoë Ærø", 'Quote " and \\ backslash', "Tab\tnew\nline", "DEL\x7fchar", "Bell\x07", "😀 emoji")
    ]
    for record in samples:
        facts = ZorgaanbiederGegevens.model_validate(record).model_dump(mode="json", by_alias=True)
        assert inhoud_hash(facts) == api_inhoud_hash(facts)


# --- the generator ------------------------------------------------------------------------------------


def test_the_generator_is_deterministic_and_valid():
    first, again = list(generate(3000, seed=9)), list(generate(3000, seed=9))
    assert first == again and first != list(generate(3000, seed=10))
    for record in first:
        ZorgaanbiederGegevens.model_validate(record)
    assert len({r["kvkNummer"] for r in first}) == 3000
    nummers = [v["vestigingsnummer"] for r in first for v in r["vestigingen"]]
    assert len(set(nummers)) == len(nummers)
    assert all(len(n) == 12 and n.isdigit() for n in nummers)
    assert 1.3 <= statistics.mean(len(r["vestigingen"]) for r in first) <= 1.5
    assert statistics.mode(len(r["vestigingen"]) for r in first) == 1
    assert max(len(r["vestigingen"]) for r in first) >= 5  # a tail of chains
    solisten = [r for r in first if r["soort"] == "solist"]
    instellingen = [r for r in first if r["soort"] == "instelling"]
    assert 0.75 <= len(solisten) / 3000 <= 0.85
    assert all(r["aantalZorgverleners"] == 1 and r["rechtsvorm"] == "eenmanszaak" for r in solisten)
    assert statistics.median(r["aantalZorgverleners"] for r in instellingen) > 3
    postcodes = [v["postcode"] for r in first for v in r["vestigingen"]]
    assert all(p[0] in "123456789" and p[4] == " " and p[5:] not in ("SA", "SD", "SS") for p in postcodes)
    codes = [v["gemeenteCode"] for r in first for v in r["vestigingen"]]
    assert set(codes) <= set(gemeenten()) and codes.count("GM0363") > codes.count("GM0088") * 5  # Amsterdam > Schiermonnikoog
    sectors = [r["sectoren"][0] for r in first]
    assert set(sectors) <= {s.value for s in Sector}
    common = ("eerstelijnszorg", "verpleging-en-verzorging", "ggz", "gehandicaptenzorg", "jeugd")
    assert sum(s in common for s in sectors) / len(sectors) > 0.75
    assert all(r["levertMsz"] == (r["sectoren"] == ["medisch-specialistische-zorg"]) for r in first)
    assert not any(r["heeftClientenraad"] or r["heeftInternToezicht"] for r in solisten)
