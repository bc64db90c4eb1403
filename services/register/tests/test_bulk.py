"""register: bulk load — counts, events, audit, idempotence, updates and every kind of bad row."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

from register.bulk import laad
from register.schemas import ZorgaanbiederGegevens
from register.synthetic import generate, write_csv, write_jsonl
from zorgtoezicht.events.envelope import CloudEvent
from zorgtoezicht.testing.harness import start_service


@pytest.fixture
async def register(databases, auth):
    service = await start_service("register", databases, auth)
    yield service
    await service.close()


def url_of(register) -> str:
    return register.runtime.settings.database_url


async def tellingen(register) -> tuple[int, int, int, int]:
    return (await register.scalar("SELECT count(*) FROM zorgaanbieder"), await register.scalar("SELECT count(*) FROM vestiging"),
            await register.scalar("SELECT count(*) FROM outbox"), await register.scalar("SELECT count(*) FROM audit_trail"))


async def test_a_generated_file_loads_with_events_and_audit_and_a_reload_changes_nothing(register, tmp_path):
    path = write_jsonl(tmp_path / "r.jsonl", 300, seed=7)
    records = list(generate(300, seed=7))
    rapport = await laad(url_of(register), path, chunk_size=64)
    assert (rapport.gelezen, rapport.nieuw, rapport.gewijzigd, rapport.ongewijzigd, rapport.geweigerd) == (300, 300, 0, 0, 0)
    vestigingen = sum(len(r["vestigingen"]) for r in records)
    assert await tellingen(register) == (300, vestigingen, 300, 300)
    payloads = await register.scalar("SELECT json_agg(convert_from(payload, 'UTF8')) FROM outbox")
    for payload in payloads:
        event = CloudEvent.from_bytes(payload.encode())
        data = event.typed_data()  # every event matches its contract in the catalogue
        assert event.type.endswith("zorgaanbieder-geregistreerd") and str(data.zorgaanbieder_id) == event.subject
        assert "statutaireNaam" not in payload and "adres" not in payload
    zoeknaam = await register.scalar("SELECT zoeknaam FROM zorgaanbieder WHERE kvk_nummer = :k", k=records[0]["kvkNummer"])
    assert zoeknaam and zoeknaam == zoeknaam.lower()

    again = await laad(url_of(register), path, chunk_size=64)
    assert (again.nieuw, again.gewijzigd, again.ongewijzigd, again.geweigerd) == (0, 0, 300, 0)
    assert await tellingen(register) == (300, vestigingen, 300, 300)


async def test_a_changed_provider_is_updated_once_with_version_event_and_history(register, tmp_path):
    records = list(generate(20, seed=3))
    first = tmp_path / "a.jsonl"
    first.write_text("".join(json.dumps(r) + "\n" for r in records))
    await laad(url_of(register), first)
    records[5]["aantalZorgverleners"] = 77
    records[5]["vestigingen"] = records[5]["vestigingen"][:1]
    records[5]["vestigingen"][0]["postcode"] = "9999 ZZ"
    second = tmp_path / "b.jsonl"
    second.write_text("".join(json.dumps(r) + "\n" for r in records))
    rapport = await laad(url_of(register), second)
    assert (rapport.nieuw, rapport.gewijzigd, rapport.ongewijzigd) == (0, 1, 19)
    kvk = records[5]["kvkNummer"]
    assert await register.scalar("SELECT versie FROM zorgaanbieder WHERE kvk_nummer = :k", k=kvk) == 2
    assert await register.scalar("SELECT aantal_zorgverleners FROM zorgaanbieder WHERE kvk_nummer = :k", k=kvk) == 77
    assert await register.scalar(
        "SELECT string_agg(postcode, ',') FROM vestiging v JOIN zorgaanbieder z ON z.id = v.zorgaanbieder_id WHERE z.kvk_nummer = :k", k=kvk
    ) == "9999 ZZ"
    gewijzigd = await register.scalar("SELECT convert_from(payload, 'UTF8') FROM outbox WHERE event_type LIKE '%gewijzigd'")
    assert CloudEvent.from_bytes(gewijzigd.encode()).typed_data().versie == 2
    assert await register.scalar("SELECT count(*) FROM audit_trail WHERE actie = 'update'") == 1


async def test_bad_rows_are_reported_with_line_and_reason_while_good_rows_load(register, tmp_path):
    good = list(generate(6, seed=11))
    bad_kvk = {**good[1], "kvkNummer": "123"}
    bad_vestiging = {**good[2], "vestigingen": [{**good[2]["vestigingen"][0], "vestigingsnummer": "12"}]}
    bad_postcode = {**good[3], "vestigingen": [{**good[3]["vestigingen"][0], "postcode": "1234ab"}]}
    bad_agb = {**good[4], "agbCode": "x1"}
    bad_gemeente = {**good[5], "vestigingen": [{**good[5]["vestigingen"][0], "gemeenteCode": "GM9999"}]}
    missing = {k: v for k, v in good[0].items() if k != "statutaireNaam"}
    lines = [
        json.dumps(good[0]),                     # 1 ok
        json.dumps(bad_kvk),                     # 2
        json.dumps(bad_vestiging),               # 3
        json.dumps(bad_postcode),                # 4
        json.dumps(bad_agb),                     # 5
        json.dumps(bad_gemeente),                # 6
        json.dumps(missing),                     # 7
        "{not json",                             # 8
        json.dumps(good[0]),                     # 9 same KvK again
        json.dumps({**good[1], "vestigingen": good[0]["vestigingen"]}),  # 10 vestigingsnummer of line 1
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    rapport = await laad(url_of(register), path)
    reasons = dict(rapport.weigeringen)
    assert rapport.nieuw == 1 and sorted(reasons) == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert "kvkNummer" in reasons[2] and "8 digits" in reasons[2]
    assert "vestigingsnummer" in reasons[3]
    assert "postcode" in reasons[4]
    assert "agbCode" in reasons[5]
    assert "GM9999" in reasons[6]
    assert "statutaireNaam" in reasons[7] and "Field required" in reasons[7]
    assert "json" in reasons[8].lower()
    assert "earlier in this file" in reasons[9] and "earlier in this file" in reasons[10]

    # A vestigingsnummer owned by a provider in the database is refused in a later file, too.
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps({**good[2], "vestigingen": good[0]["vestigingen"]}) + "\n")
    rapport2 = await laad(url_of(register), later)
    assert rapport2.weigeringen == [(1, f"vestigingsnummer {good[0]['vestigingen'][0]['vestigingsnummer']} belongs to another zorgaanbieder")]
    assert await tellingen(register) == (1, len(good[0]["vestigingen"]), 1, 1)


async def test_csv_and_jsonl_load_the_same_register(register, databases, auth, tmp_path):
    jsonl = write_jsonl(tmp_path / "r.jsonl", 120, seed=5)
    csv_path = write_csv(tmp_path / "r.csv", 120, seed=5)
    other = await start_service("register", databases, auth)
    try:
        a = await laad(url_of(register), jsonl)
        b = await laad(url_of(other), csv_path)
        assert (a.nieuw, a.vestigingen) == (b.nieuw, b.vestigingen) == (120, a.vestigingen)
        query = "SELECT string_agg(kvk_nummer || inhoud_hash, ',' ORDER BY kvk_nummer) FROM zorgaanbieder"
        assert await register.scalar(query) == await other.scalar(query)
    finally:
        await other.close()


def test_the_generator_is_deterministic_and_valid():
    first, again = list(generate(2000, seed=9)), list(generate(2000, seed=9))
    assert first == again and first != list(generate(2000, seed=10))
    for record in first:
        ZorgaanbiederGegevens.model_validate(record)
    assert len({r["kvkNummer"] for r in first}) == 2000
    nummers = [v["vestigingsnummer"] for r in first for v in r["vestigingen"]]
    assert len(set(nummers)) == len(nummers)
    assert 1.25 <= statistics.mean(len(r["vestigingen"]) for r in first) <= 1.55
    assert 0.7 <= sum(r["soort"] == "solist" for r in first) / 2000 <= 0.9
    assert all(not v["postcode"].endswith((" SA", " SD", " SS")) for r in first for v in r["vestigingen"])


async def test_the_command_line_loads_and_writes_a_rejects_report(register, tmp_path):
    import os
    import subprocess
    import sys

    path = tmp_path / "cli.jsonl"
    path.write_text(json.dumps(next(generate(1, seed=1))) + "\n{broken\n")
    report = tmp_path / "weigeringen.json"
    env = {**os.environ, "REGISTER_DATABASE_URL": url_of(register)}
    result = subprocess.run([sys.executable, "-m", "register", "laden", str(path), "--rapport", str(report)],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["nieuw"] == 1
    assert [r["regel"] for r in json.loads(report.read_text())] == [2]
