"""register: search (typo-tolerant names and filters, stable pages) and the changes feed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from register import repository
from register import service as service_module
from zorgtoezicht import klok
from zorgtoezicht.testing.harness import start_service

LEZEN = "register.zorgaanbieders.lezen"
SCHRIJVEN = "register.zorgaanbieders.schrijven"

AANBIEDERS = [
    ("10000001", "Zorggroep De Linde B.V.", [], "GM0344", "3511 AB", ["verpleging-en-verzorging"]),
    ("10000002", "Stichting Lindenhof Zorg", ["Lindenhof"], "GM0363", "1011 AA", ["gehandicaptenzorg"]),
    ("10000003", "Huisartsenpraktijk Bakker", [], "GM0344", "3512 CD", ["eerstelijnszorg"]),
    ("10000004", "GGZ Noorderlicht", ["Noorderlicht Jeugd"], "GM0014", "9711 AA", ["ggz", "jeugd"]),
    ("10000005", "Fysiotherapie Van den Berg", [], "GM0599", "3011 AB", ["eerstelijnszorg"]),
]


@pytest.fixture
async def register(databases, auth):
    service = await start_service("register", databases, auth)
    for i, (kvk, naam, handelsnamen, gemeente_code, postcode, sectoren) in enumerate(AANBIEDERS):
        response = await service.client.post(
            "/api/v1/zorgaanbieders",
            json={
                "kvkNummer": kvk,
                "statutaireNaam": naam,
                "handelsnamen": handelsnamen,
                "sectoren": sectoren,
                "vestigingen": [{"vestigingsnummer": f"{900000000000 + i:012d}", "postcode": postcode, "gemeenteCode": gemeente_code}],
            },
            headers=auth.headers("staf", SCHRIJVEN),
        )
        assert response.status_code == 201, response.text
    yield service
    await service.close()


async def zoek(register, auth, **criteria) -> list[str]:
    response = await register.client.post("/api/v1/zorgaanbieders/_zoek", json=criteria, headers=auth.headers("x", LEZEN))
    assert response.status_code == 200, response.text
    return [r["kvkNummer"] for r in response.json()["results"]]


@pytest.mark.parametrize(
    ("naam", "eerste"),
    [
        ("Zorggroep De Linde", "10000001"),
        ("zorgroep linde", "10000001"),  # a letter missing, a word left out
        ("Lindenhoff", "10000002"),  # a letter too many
        ("noorderlight", "10000004"),  # a letter wrong, via a handelsnaam too
        ("huisartsenpraktijk bakkr", "10000003"),
        ("VAN DEN BERG", "10000005"),  # case and partial name
    ],
)
async def test_name_search_tolerates_typos_and_partial_names(register, auth, naam, eerste):
    found = await zoek(register, auth, naam=naam)
    assert found and found[0] == eerste


async def registreer_op_volgorde(register, auth, monkeypatch, namen: list[str]) -> list[str]:
    """Providers with these names, their ids handed out in this order (so "first by id" is known); their KvK-nummers."""
    volgnummers = iter(range(1, 1000))
    monkeypatch.setattr(service_module, "uuid", SimpleNamespace(uuid4=lambda: uuid.UUID(int=next(volgnummers)), UUID=uuid.UUID))
    kvk_nummers = []
    for i, naam in enumerate(namen):
        response = await register.client.post(
            "/api/v1/zorgaanbieders",
            json={
                "kvkNummer": f"2000{i:04d}",
                "statutaireNaam": naam,
                "sectoren": ["verpleging-en-verzorging"],
                "vestigingen": [{"vestigingsnummer": f"{910000000000 + i:012d}", "postcode": "1181 AA", "gemeenteCode": "GM0362"}],
            },
            headers=auth.headers("staf", SCHRIJVEN),
        )
        assert response.status_code == 201, response.text
        kvk_nummers.append(f"2000{i:04d}")
    return kvk_nummers


async def test_past_the_candidate_bound_the_providers_with_more_query_words_are_scored_first(register, auth, monkeypatch):
    # Seven providers carry the two rarest query words; only one also carries the third ("thuiszorg",
    # common elsewhere, so it is not among the two rarest). With room to score one candidate, that one must
    # be it - although it was registered last and has the highest id.
    namen = [f"Rivierenland Amstelveen {plaats}" for plaats in ("Oost", "West", "Zuid", "Noord", "Centrum", "Haven")]
    namen += [f"Thuiszorg {plaats}" for plaats in ("Ede", "Epe", "Ommen", "Putten", "Urk", "Zeist", "Baarn", "Soest")]
    namen += ["Rivierenland Amstelveen Thuiszorg"]
    doel = (await registreer_op_volgorde(register, auth, monkeypatch, namen))[-1]
    monkeypatch.setattr(repository, "MAX_KANDIDATEN", 1)
    assert await zoek(register, auth, naam="rivierenland amstelveen thuiszorg") == [doel]
    assert await zoek(register, auth, naam="rivierenlnd amstelveen thuizorg") == [doel]  # typos in two words
    monkeypatch.setattr(repository, "MAX_KANDIDATEN", 300)
    assert len(await zoek(register, auth, naam="rivierenland amstelveen", pageSize=50)) == 7


async def test_past_the_candidate_bound_the_providers_found_through_the_exact_words_go_first(register, auth, monkeypatch):
    # "Rivierenlands" is close to the query word "rivierenland" but not it. Its provider has the lowest id;
    # with room to score one candidate, the one found through the exact words must be scored instead.
    namen = ["Rivierenlands Amstelveen Oost", "Rivierenland Amstelveen West", "Rivierenland Amstelveen Zuid"]
    kvk_nummers = await registreer_op_volgorde(register, auth, monkeypatch, namen)
    monkeypatch.setattr(repository, "MAX_KANDIDATEN", 1)
    assert await zoek(register, auth, naam="rivierenland amstelveen") == [kvk_nummers[1]]
    monkeypatch.setattr(repository, "MAX_KANDIDATEN", 300)
    assert set(await zoek(register, auth, naam="rivierenland amstelveen")) == set(kvk_nummers)


async def test_the_candidates_are_read_through_the_indexes(register):
    # Whatever the table sizes, the words and word pairs must be looked up by key: with sequential scans
    # made prohibitively dear, every read of those tables is an index lookup on the word or the pair.
    # (A pair spelled with another collation than the index's once turned every search into a read of
    # all pairs: the planner then scans the whole index or table.)
    parameters = {"q": ["zorggroep", "linde"], "d": 0.3, "k": 4, "max": 300}
    async with register.runtime.db.transaction() as session:
        await session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = (await session.execute(text("EXPLAIN (FORMAT JSON) " + repository.NAAMKANDIDATEN_SQL), parameters)).scalar()

    def nodes(node: dict):
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)

    reads = [n for n in nodes(plan[0]["Plan"]) if n.get("Relation Name") in ("zorgaanbieder_woordpaar", "zorgaanbieder_woord")]
    assert {n["Relation Name"] for n in reads} == {"zorgaanbieder_woordpaar", "zorgaanbieder_woord"}
    for n in reads:
        condition = n.get("Index Cond") or n.get("Recheck Cond") or ""
        key = "paar" if n["Relation Name"] == "zorgaanbieder_woordpaar" else "woord"
        assert condition.startswith(f"({key} = "), (n["Node Type"], n["Relation Name"], condition)


async def test_a_name_that_matches_nothing_finds_nothing(register, auth):
    assert await zoek(register, auth, naam="tandartspraktijk xyzzy") == []


async def test_filters_combine(register, auth):
    assert await zoek(register, auth, gemeenteCode="GM0344") == ["10000001", "10000003"]
    assert await zoek(register, auth, gemeente="utrecht", sector="eerstelijnszorg") == ["10000003"]
    assert await zoek(register, auth, postcode="1011 AA") == ["10000002"]
    assert await zoek(register, auth, kvkNummer="10000004") == ["10000004"]
    assert await zoek(register, auth, vestigingsnummer="900000000004") == ["10000005"]
    assert await zoek(register, auth, naam="linde", gemeenteCode="GM0363") == ["10000002"]
    listing = await register.client.get("/api/v1/zorgaanbieders?sector=ggz", headers=auth.headers("x", LEZEN))
    assert [r["kvkNummer"] for r in listing.json()["results"]] == ["10000004"]


@pytest.mark.parametrize(
    "criterium",
    [
        {"kvkNummer": "10000002"},
        {"sector": "gehandicaptenzorg"},
        {"sector": "ggz"},
        {"status": "gestopt"},
        {"status": "actief"},
        {"vergunningstatus": "geen"},
        {"postcode": "3511 AB"},
        {"vestigingsnummer": "900000000001"},
        {"gemeenteCode": "GM0363"},
        {"gemeente": "Utrecht"},  # a known gemeente: by its code
        {"gemeente": "Nergenshuizen"},  # unknown: by the vestigingen's gemeente name
        {"gemeenteCode": "GM0344", "sector": "eerstelijnszorg"},
        {"postcode": "3511 AB", "gemeente": "Amsterdam"},  # on the same vestiging: none
    ],
)
async def test_a_name_with_other_criteria_finds_the_name_matches_that_meet_them(register, auth, criterium):
    # The name search applies the other criteria in its own statement; the expectation comes from the two
    # searches that do not share it: the name alone, kept to the providers the criteria alone find.
    tweede = await register.client.post(
        "/api/v1/zorgaanbieders",
        json={
            "kvkNummer": "10000006",
            "statutaireNaam": "Zorggroep Lindeboom",
            "sectoren": ["eerstelijnszorg", "ggz"],
            "vestigingen": [
                {"vestigingsnummer": "900000000011", "postcode": "3511 AB", "gemeenteCode": "GM0344"},
                {"vestigingsnummer": "900000000012", "postcode": "1011 AA", "gemeenteCode": "GM0363"},
            ],
        },
        headers=auth.headers("staf", SCHRIJVEN),
    )
    assert tweede.status_code == 201, tweede.text
    stopped = await register.client.post(
        f"/api/v1/zorgaanbieders/{tweede.json()['id']}/beeindiging",
        json={"einddatum": "2026-12-31"},
        headers=auth.headers("staf", SCHRIJVEN),
    )
    assert stopped.status_code == 200, stopped.text
    op_naam = await zoek(register, auth, naam="linde", pageSize=50)
    assert set(op_naam) == {"10000001", "10000002", "10000006"}
    alleen_criterium = set(await zoek(register, auth, pageSize=50, **criterium))
    assert await zoek(register, auth, naam="linde", pageSize=50, **criterium) == [k for k in op_naam if k in alleen_criterium]


async def test_search_pages_are_stable_and_complete(register, auth):
    seen, cursor = [], None
    while True:
        body = {"naam": "zorg", "pageSize": 1, **({"cursor": cursor} if cursor else {})}
        page = (await register.client.post("/api/v1/zorgaanbieders/_zoek", json=body, headers=auth.headers("x", LEZEN))).json()
        seen += [r["kvkNummer"] for r in page["results"]]
        cursor = page["nextCursor"]
        if not cursor:
            break
    everything = await zoek(register, auth, naam="zorg", pageSize=50)
    assert seen == everything and len(set(seen)) == len(seen) >= 2


async def test_pages_of_equal_scores_follow_the_id(register, auth, monkeypatch):
    # Three providers with one name score alike: the pages (one result each) give them in id order, each once.
    kvk_nummers = await registreer_op_volgorde(register, auth, monkeypatch, ["Thuiszorg Rijnmond"] * 3)
    seen, cursor = [], None
    for _ in range(5):  # bounded: a cursor that does not advance must fail the test, not hang it
        body = {"naam": "thuiszorg rijnmond", "pageSize": 1, **({"cursor": cursor} if cursor else {})}
        page = (await register.client.post("/api/v1/zorgaanbieders/_zoek", json=body, headers=auth.headers("x", LEZEN))).json()
        seen += [(r["kvkNummer"], r["score"]) for r in page["results"]]
        cursor = page["nextCursor"]
        if not cursor:
            break
    assert seen == [(kvk, 1.0) for kvk in kvk_nummers]


async def test_changes_feed_returns_exactly_the_providers_changed_in_the_window(register, auth):
    # The platform clock stands still and moves only when told, so every change has a known moment and
    # the window edges are tested exactly. T0 lies before the fixture's providers (created on the real
    # clock, i.e. after this test was written), so they are outside the window.
    assert register.runtime.settings.wijzigingen_vertraging == 2.0  # the default; the moments below are worked out for it
    start = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
    end = datetime(2026, 11, 23, 10, 0, 8, tzinfo=UTC)  # start + 8 s
    with klok.gebruik(klok.VasteKlok(start - MICRO)):
        await _registreer(register, auth, "20000098", "Te vroeg")  # at 09:59:59.999999: 1 µs before the window
        ids = []
        for i in range(7):  # provider i at 10:00:0i; the first exactly at start (inclusive)
            klok.huidige().zet(start + timedelta(seconds=i))
            ids.append(await _registreer(register, auth, f"2000000{i}", f"Aanbieder {i}"))
        klok.huidige().zet(datetime(2026, 11, 23, 10, 0, 7, tzinfo=UTC))
        stopped = await register.client.post(
            f"/api/v1/zorgaanbieders/{ids[0]}/beeindiging", json={"einddatum": "2026-12-31"}, headers=auth.headers("staf", SCHRIJVEN)
        )
        assert stopped.status_code == 200
        klok.huidige().zet(end)
        await _registreer(register, auth, "20000099", "Te laat")  # exactly at end: outside (exclusive)

        # 2 s after end, less 1 µs, a transaction could still add to the window: refused.
        klok.huidige().zet(datetime(2026, 11, 23, 10, 0, 9, 999999, tzinfo=UTC))
        too_recent = await _venster(register, auth, start, end)
        assert too_recent.status_code == 400 and too_recent.json()["invalidParams"][0]["code"] == "te_recent"

        klok.huidige().zet(datetime(2026, 11, 23, 10, 0, 10, tzinfo=UTC))  # end + 2 s: final
        seen, url = [], f"/api/v1/wijzigingen/zorgaanbieders?pageSize=3&startTimestamp={_q(start)}&endTimestamp={_q(end)}"
        while url:
            page = await register.client.get(url, headers=auth.headers("x", LEZEN))
            assert page.status_code == 200, page.text
            seen += [(r["zorgaanbiederId"], r["gewijzigdOp"]) for r in page.json()["results"]]
            url = page.json()["next"]
        # Each once, at its first change (the stopped one at 10:00:00, not 10:00:07), in order, nothing outside.
        assert [i for i, _ in seen] == ids
        assert [datetime.fromisoformat(moment.replace("Z", "+00:00")) for _, moment in seen] == [
            datetime(2026, 11, 23, 10, 0, s, tzinfo=UTC) for s in range(7)
        ]

        one_beyond = await _venster(register, auth, start, end + MICRO)
        assert one_beyond.status_code == 400 and one_beyond.json()["invalidParams"][0]["code"] == "te_recent"
        reversed_window = await _venster(register, auth, end, start)
        assert reversed_window.status_code == 400 and reversed_window.json()["invalidParams"][0]["code"] == "order"


MICRO = timedelta(microseconds=1)


async def _registreer(register, auth, kvk: str, naam: str) -> str:
    created = await register.client.post(
        "/api/v1/zorgaanbieders",
        json={
            "kvkNummer": kvk,
            "statutaireNaam": naam,
            "vestigingen": [{"vestigingsnummer": f"8000000000{kvk[-2:]}", "postcode": "1234 AB", "gemeenteCode": "GM0344"}],
        },
        headers=auth.headers("staf", SCHRIJVEN),
    )
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def _venster(register, auth, start: datetime, end: datetime):
    return await register.client.get(
        f"/api/v1/wijzigingen/zorgaanbieders?startTimestamp={_q(start)}&endTimestamp={_q(end)}", headers=auth.headers("x", LEZEN)
    )


def _q(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
