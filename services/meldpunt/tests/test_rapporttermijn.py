"""meldpunt's report terms on the platform's term watcher (issue 8, acceptance 7): registered at intake (one
multi-row insert for a group), cancelled by the report, re-dated by an extension, announced late exactly once
- also with two watcher processes on one database - and late only from the day after the last day."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from pydantic import TypeAdapter

from meldpunt import service
from meldpunt.schemas import MeldingIn
from meldpunt.voorbeelden import melding
from zorgtoezicht import klok
from zorgtoezicht.audit import Actor

INDIENEN = "meldpunt.meldingen.indienen"
BEHANDELEN = "meldpunt.meldingen.behandelen"
TE_LAAT = "nl.zorgtoezicht.meldingen.calamiteitenrapport-te-laat"


def om(dag: date, uur: int, minuut: int = 0) -> klok.VasteKlok:
    """A clock standing at this Dutch wall-clock time."""
    return klok.VasteKlok(datetime.combine(dag, time(uur, minuut), tzinfo=klok.NL))


async def calamiteit(meldpunt, auth) -> tuple[str, date]:
    created = await meldpunt.client.post("/api/v1/meldingen", json=melding("wkkgz-calamiteit"), headers=auth.headers("p", INDIENEN))
    assert created.status_code == 201, created.text
    return created.json()["id"], date.fromisoformat(created.json()["rapportUiterlijk"])


async def termijnen(meldpunt, melding_id: str) -> list[tuple[str, str]]:
    rows = await meldpunt.scalar(
        "SELECT json_agg(json_build_array(uiterlijk, status) ORDER BY id) FROM termijn "
        "WHERE aggregaat_id = :m AND soort = 'calamiteitenrapport'",
        m=melding_id,
    )
    return [tuple(row) for row in rows or []]


async def te_laat_gemeld(meldpunt, melding_id: str | None = None) -> int:
    if melding_id is None:
        return await meldpunt.scalar("SELECT count(*) FROM outbox WHERE event_type = :t", t=TE_LAAT)
    return await meldpunt.scalar("SELECT count(*) FROM outbox WHERE event_type = :t AND record_key = :m", t=TE_LAAT, m=melding_id)


async def test_intake_registers_the_term_and_the_last_day_is_not_late_the_next_day_is(meldpunt, auth):
    melding_id, uiterlijk = await calamiteit(meldpunt, auth)
    assert await termijnen(meldpunt, melding_id) == [(uiterlijk.isoformat(), "lopend")]
    with klok.gebruik(om(uiterlijk, 23, 59)):  # the last day, to its last minute: in time
        assert await meldpunt.runtime.termijnbewaker.run_once() == 0
    # 00:30 on the next Dutch day is still the last day in UTC: the Dutch day decides.
    assert (datetime.combine(uiterlijk + timedelta(days=1), time(0, 30), tzinfo=klok.NL).astimezone(UTC).date()) == uiterlijk
    with klok.gebruik(om(uiterlijk + timedelta(days=1), 0, 30)):
        assert await meldpunt.runtime.termijnbewaker.run_once() == 1
    assert await termijnen(meldpunt, melding_id) == [(uiterlijk.isoformat(), "verstreken")]
    assert await te_laat_gemeld(meldpunt, melding_id) == 1
    event = json.loads(await meldpunt.scalar("SELECT convert_from(payload, 'UTF8') FROM outbox WHERE event_type = :t", t=TE_LAAT))
    assert event["data"]["uiterlijk"] == uiterlijk.isoformat() and event["subject"] == melding_id
    # The watcher's audit row: the system, naming the ended term as its cause.
    audit = await meldpunt.scalar(
        "SELECT json_build_array(applicatie_id, gebruikers_weergave, toelichting) FROM audit_trail "
        "WHERE hoofd_object_id = :m AND resource = 'rapporttermijn'",
        m=melding_id,
    )
    assert audit[0] == "meldpunt.termijnbewaking" and audit[1] == "systeem" and "calamiteitenrapport" in audit[2]


async def test_a_melding_without_a_report_term_registers_none(meldpunt, auth):
    created = await meldpunt.client.post("/api/v1/meldingen", json=melding("klacht"), headers=auth.headers("p", INDIENEN))
    assert created.json()["rapportUiterlijk"] is None
    assert await meldpunt.scalar("SELECT count(*) FROM termijn") == 0


async def test_the_report_cancels_the_term(meldpunt, auth):
    melding_id, uiterlijk = await calamiteit(meldpunt, auth)
    response = await meldpunt.client.post(
        f"/api/v1/meldingen/{melding_id}/calamiteitenrapport",
        json={"ontvangenOp": uiterlijk.isoformat()},
        headers=auth.headers("b", BEHANDELEN),
    )
    assert response.status_code == 200, response.text
    assert await termijnen(meldpunt, melding_id) == [(uiterlijk.isoformat(), "vervallen")]
    with klok.gebruik(om(uiterlijk + timedelta(days=400), 12)):
        assert await meldpunt.runtime.termijnbewaker.run_once() == 0
    assert await te_laat_gemeld(meldpunt) == 0


async def test_an_extension_re_dates_the_term(meldpunt, auth):
    melding_id, uiterlijk = await calamiteit(meldpunt, auth)
    nieuw = uiterlijk + timedelta(days=14)
    response = await meldpunt.client.post(
        f"/api/v1/meldingen/{melding_id}/rapporttermijnverlenging",
        json={"nieuweDatum": nieuw.isoformat(), "reden": "Deskundige later beschikbaar"},
        headers=auth.headers("b", BEHANDELEN),
    )
    assert response.status_code == 200, response.text
    assert await termijnen(meldpunt, melding_id) == [(nieuw.isoformat(), "lopend")]  # the same term, re-dated
    for dag in (uiterlijk + timedelta(days=1), nieuw):  # the old term's next day, and the new last day
        with klok.gebruik(om(dag, 12)):
            assert await meldpunt.runtime.termijnbewaker.run_once() == 0
    with klok.gebruik(om(nieuw + timedelta(days=1), 12)):
        assert await meldpunt.runtime.termijnbewaker.run_once() == 1
    assert await te_laat_gemeld(meldpunt, melding_id) == 1


async def test_merging_cancels_the_term_of_the_merged_melding(meldpunt, auth):
    melding_id, uiterlijk = await calamiteit(meldpunt, auth)
    hoofd_id, _ = await calamiteit(meldpunt, auth)
    response = await meldpunt.client.post(
        f"/api/v1/meldingen/{melding_id}/samenvoeging", json={"hoofdmeldingId": hoofd_id}, headers=auth.headers("b", BEHANDELEN)
    )
    assert response.status_code == 200, response.text
    assert await termijnen(meldpunt, melding_id) == [(uiterlijk.isoformat(), "vervallen")]
    assert [status for _, status in await termijnen(meldpunt, hoofd_id)] == ["lopend"]


async def test_a_group_written_at_once_registers_a_term_per_melding(meldpunt):
    intake = service.intake(meldpunt.runtime)
    ontvangen = datetime.now(UTC)
    gemaakt = await asyncio.gather(
        *(
            intake.submit(
                service.Indiening(
                    TypeAdapter(MeldingIn).validate_python(melding("wkkgz-calamiteit")), Actor("p", "p"), ontvangen, f"req-{i}"
                )
            )
            for i in range(12)
        )
    )
    assert await meldpunt.scalar("SELECT count(DISTINCT xmin::text) FROM melding") < 12  # grouped
    rows = await meldpunt.scalar(
        "SELECT json_agg(json_build_array(t.aggregaat_id, t.uiterlijk, t.status, t.correlation_id)) FROM termijn t"
    )
    assert sorted(map(tuple, rows)) == sorted(
        (str(m.id), m.rapport_uiterlijk.isoformat(), "lopend", f"req-{i}") for i, m in enumerate(gemaakt)
    )


CHILD = """
import asyncio, pathlib, sys, time
from datetime import datetime
from zorgtoezicht import klok
from zorgtoezicht.runner import load_definition
from zorgtoezicht.service import ServiceRuntime

klok.zet(klok.VasteKlok(datetime.fromisoformat(sys.argv[1])))  # the injected clock: the terms have ended


async def main():
    runtime = ServiceRuntime(load_definition("meldpunt"))
    runtime.termijnbewaker.batch_size = 1  # a transaction per term: the two processes interleave as much as they can
    assert await runtime.db.ping()
    pathlib.Path(sys.argv[2]).touch()
    while not pathlib.Path(sys.argv[3]).exists():
        time.sleep(0.002)
    print(await runtime.termijnbewaker.run_once(), flush=True)
    await runtime.close()

asyncio.run(main())
"""


async def test_two_watcher_processes_fire_each_term_exactly_once(meldpunt, tmp_path: Path):
    aantal = 200
    uiterlijk = date(2026, 3, 2)
    ids = [uuid.uuid4() for _ in range(aantal)]
    async with meldpunt.runtime.db.transaction() as session:
        from sqlalchemy import text

        await session.execute(
            text(
                "INSERT INTO melding (id, soort, omschrijving, ingediend_door, rapport_uiterlijk) "
                "VALUES (:id, 'wkkgz-calamiteit', 'test', 'test', :u)"
            ),
            [{"id": i, "u": uiterlijk} for i in ids],
        )
        await meldpunt.runtime.termijnen.insert(
            session, [meldpunt.runtime.termijnen.rij(i, service.RAPPORTTERMIJN, uiterlijk=uiterlijk) for i in ids]
        )
    env = {**os.environ, "MELDPUNT_DATABASE_URL": meldpunt.runtime.settings.database_url, "ZT_LOG_LEVEL": "WARNING"}
    moment = datetime.combine(uiterlijk + timedelta(days=1), time(9), tzinfo=klok.NL).isoformat()
    go = tmp_path / "go"
    children = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            CHILD,
            moment,
            str(tmp_path / f"ready-{n}"),
            str(go),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for n in range(2)
    ]
    try:
        for n in range(2):
            while not (tmp_path / f"ready-{n}").exists():
                assert children[n].returncode is None, (await children[n].stderr.read()).decode()[-3000:]
                await asyncio.sleep(0.01)
        go.touch()  # both connected: start them together
        outputs = await asyncio.wait_for(asyncio.gather(*(child.communicate() for child in children)), 180)
    finally:
        for child in children:
            if child.returncode is None:
                child.kill()
    assert [child.returncode for child in children] == [0, 0], [err.decode()[-3000:] for _, err in outputs]
    fired = [int(out.decode().strip().splitlines()[-1]) for out, _ in outputs]
    assert sum(fired) == aantal and min(fired) > 0, fired  # together all of them; each took part
    per_melding = await meldpunt.scalar(
        "SELECT json_object_agg(record_key, n) FROM (SELECT record_key, count(*) AS n FROM outbox "
        "WHERE event_type = :t GROUP BY record_key) s",
        t=TE_LAAT,
    )
    assert per_melding == {str(i): 1 for i in ids}
    assert await meldpunt.scalar("SELECT count(*) FROM termijn WHERE status = 'verstreken'") == aantal
