"""The six paged operations share one paging helper (issue 8, items 3 and 9): a bad cursor is 400 naming
``cursor`` (never 500), ``next`` links are built on the service's public URL (never the Host header), and
paging through all pages returns every row exactly once.

The operations: meldpunt GET /meldingen, register GET /zorgaanbieders, POST /zorgaanbieders/_zoek (by name
and without), GET /wijzigingen/zorgaanbieders, GET /vergunningen, toezicht GET /risicoprofielen.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from meldpunt import service as meldpunt_service
from meldpunt.voorbeelden import PROVIDERS, melding
from zorgtoezicht.http.paging import cursor_sleutel
from zorgtoezicht.testing.harness import ServiceUnderTest, start_service

REGISTER_LEZEN = "register.zorgaanbieders.lezen"
REGISTER_SCHRIJVEN = "register.zorgaanbieders.schrijven"
AANTAL = 7  # rows per operation; pages of 3: two full pages and one of 1


# --- rows for each operation ------------------------------------------------------------------------


async def _meldingen(svc: ServiceUnderTest, auth) -> list[str]:
    async with svc.runtime.db.transaction() as session:
        for provider in PROVIDERS:
            await meldpunt_service.verwerk_zorgaanbieder_feiten(session, provider)
    ids = []
    for i in range(AANTAL):
        created = await svc.client.post(
            "/api/v1/meldingen",
            json=melding("klacht", omschrijving=f"Klacht {i}"),
            headers=auth.headers("portaal", "meldpunt.meldingen.indienen"),
        )
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    return ids


async def _zorgaanbieders(svc: ServiceUnderTest, auth) -> list[str]:
    ids = []
    for i in range(AANTAL):
        created = await svc.client.post(
            "/api/v1/zorgaanbieders",
            json={
                "kvkNummer": f"{30000000 + (i * 37) % AANTAL:08d}",
                "statutaireNaam": f"Zorggroep Het Anker {i}",
                "vestigingen": [{"vestigingsnummer": f"{700000000000 + i:012d}", "postcode": "3511 AB", "gemeenteCode": "GM0344"}],
            },
            headers=auth.headers("staf", REGISTER_SCHRIJVEN),
        )
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    return ids


async def _wijzigingen(svc: ServiceUnderTest, auth) -> list[str]:
    ids = await _zorgaanbieders(svc, auth)
    # The window must lie in the past: move the changes a day back instead of waiting for them to age.
    await svc.scalar("UPDATE audit_trail SET aanmaakdatum = aanmaakdatum - interval '1 day' RETURNING 1")
    return ids


async def _vergunningen(svc: ServiceUnderTest, auth) -> list[str]:
    aanbieders = await _zorgaanbieders(svc, auth)
    ids = []
    for i in range(AANTAL):
        created = await svc.client.post(
            "/api/v1/vergunningen",
            json={
                "cibgReferentie": f"VG-{i}",
                "zorgaanbiederId": aanbieders[i],
                "aanvraagCompleetOp": (date(2026, 3, 2) + timedelta(days=7 * (i % 3))).isoformat(),
            },  # shared deadlines: ties
            headers=auth.headers("cibg", "register.vergunningen.schrijven"),
        )
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    return ids


async def _risicoprofielen(svc: ServiceUnderTest, auth) -> list[str]:
    ids = [str(uuid.UUID(int=i + 1)) for i in range(AANTAL)]
    for i, ident in enumerate(ids):
        await svc.scalar(
            "INSERT INTO risicoprofiel (zorgaanbieder_id, aantal_signalen, score, effectieve_score) VALUES (:z, 1, :n, :n) RETURNING 1",
            z=ident,
            n=[30.5, 1, 30.5, 2.25, 1, 1, 50][i],
        )  # equal scores: ties broken by id
    return ids


# --- the operations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Operatie:
    naam: str  # the operation id, which is also the cursor's operation (the name search has its own order)
    service: str
    types: tuple[str, str]  # what a position holds, to write valid-looking cursors by hand
    vul: Callable[[ServiceUnderTest, Any], Awaitable[list[str]]]
    vraag: Callable[[ServiceUnderTest, Any, str | None, int], Awaitable[httpx.Response]]
    id_veld: str = "id"
    get: bool = True


def _get(path: str, scope: str, **params: Any):  # a request builder
    async def vraag(svc: ServiceUnderTest, auth, cursor: str | None, size: int, headers: dict | None = None) -> httpx.Response:
        query = {**params, "pageSize": size, **({"cursor": cursor} if cursor is not None else {})}
        return await svc.client.get(path, params=query, headers={**auth.headers("lezer", scope), **(headers or {})})

    return vraag


def _zoek(**criteria: Any):
    async def vraag(svc: ServiceUnderTest, auth, cursor: str | None, size: int, headers: dict | None = None) -> httpx.Response:
        body = {**criteria, "pageSize": size, **({"cursor": cursor} if cursor is not None else {})}
        return await svc.client.post(
            "/api/v1/zorgaanbieders/_zoek", json=body, headers={**auth.headers("lezer", REGISTER_LEZEN), **(headers or {})}
        )

    return vraag


def _wijzigingen_vraag():
    async def vraag(svc: ServiceUnderTest, auth, cursor: str | None, size: int, headers: dict | None = None) -> httpx.Response:
        end = await svc.scalar(
            "SELECT to_char((SELECT max(aanmaakdatum) FROM audit_trail) AT TIME ZONE 'UTC' + interval '1 second', "
            '\'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\')'
        )
        query = {
            "startTimestamp": "2000-01-01T00:00:00Z",
            "endTimestamp": end or "2000-01-02T00:00:00Z",
            "pageSize": size,
            **({"cursor": cursor} if cursor is not None else {}),
        }
        return await svc.client.get(
            "/api/v1/wijzigingen/zorgaanbieders", params=query, headers={**auth.headers("lezer", REGISTER_LEZEN), **(headers or {})}
        )

    return vraag


OPERATIES = {
    op.naam: op
    for op in [
        Operatie("meldingenLijst", "meldpunt", ("datetime", "uuid"), _meldingen, _get("/api/v1/meldingen", "meldpunt.meldingen.lezen")),
        Operatie("zorgaanbiedersLijst", "register", ("str", "uuid"), _zorgaanbieders, _get("/api/v1/zorgaanbieders", REGISTER_LEZEN)),
        Operatie("zorgaanbiedersZoeken", "register", ("str", "uuid"), _zorgaanbieders, _zoek(gemeenteCode="GM0344"), get=False),
        Operatie("zorgaanbiedersZoeken.naam", "register", ("float", "uuid"), _zorgaanbieders, _zoek(naam="zorggroep anker"), get=False),
        Operatie(
            "zorgaanbiederWijzigingen", "register", ("datetime", "uuid"), _wijzigingen, _wijzigingen_vraag(), id_veld="zorgaanbiederId"
        ),
        Operatie("vergunningenLijst", "register", ("date", "uuid"), _vergunningen, _get("/api/v1/vergunningen", REGISTER_LEZEN)),
        Operatie(
            "risicoprofielenLijst",
            "toezicht",
            ("float", "uuid"),
            _risicoprofielen,
            _get("/api/v1/risicoprofielen", "toezicht.risicoprofielen.lezen"),
            id_veld="zorgaanbiederId",
        ),
    ]
}

VOORBEELD = {
    "datetime": "2026-11-23T10:00:00+00:00",
    "uuid": "00000000-0000-4000-8000-000000000001",
    "str": "30000001",
    "float": 0.25,
    "date": "2026-04-28",
    "int": 3,
}


@pytest.fixture
async def gevuld(request, databases, auth):
    """(operation, its service with rows, the ids of those rows)."""
    op = OPERATIES[request.param]
    svc = await start_service(op.service, databases, auth)
    try:
        ids = await op.vul(svc, auth)
        yield op, svc, ids
    finally:
        await svc.close()


def _cursor(op: Operatie, response: httpx.Response) -> str | None:
    """The next page's cursor: from the next link of a GET collection, or the search's nextCursor."""
    body = response.json()
    if not op.get:
        return body["nextCursor"]
    return httpx.URL(body["next"]).params["cursor"] if body["next"] else None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _ongetekend(values: list) -> str:
    """The old, unsigned cursor format: base64url of a JSON list (what the reproductions sent)."""
    return _b64(json.dumps(values).encode())


def _getekend(key: bytes, operatie: str, values: list) -> str:
    """A cursor as the service signs it (written out here, independent of the helper): payload.mac."""
    payload = json.dumps(values, separators=(",", ":")).encode()
    mac = hmac.new(key, operatie.encode() + b"\x00" + payload, hashlib.sha256).digest()[:16]
    return f"{_b64(payload)}.{_b64(mac)}"


def slechte_cursors(op: Operatie, key: bytes) -> dict[str, str]:
    geldig = [VOORBEELD[t] for t in op.types]
    return {
        # the reproductions of issue 8: unsigned positions of the wrong shape
        '["x","y"]': "WyJ4IiwgInkiXQ",
        "[1,2]": _ongetekend([1, 2]),
        "[null,null]": _ongetekend([None, None]),
        "out-of-range int": _ongetekend([2**70, geldig[1]]),
        "an unsigned position of the right shape": _ongetekend(geldig),
        "garbage base64": "!!!~~~***",
        "empty": "",
        "truncated signature": _getekend(key, op.naam, geldig)[:-3],
        "forged (another key)": _getekend(b"a key the partner made up, 32+ b", op.naam, geldig),
        "another operation's cursor": _getekend(key, "eenAndereOperatie", geldig),
        # signed with the service's own key but not a position of this operation: the typed check holds too
        'signed ["x","y"]': _getekend(key, op.naam, ["x", "y"]),
        "signed [null,null]": _getekend(key, op.naam, [None, None]),
        "signed out-of-range number": _getekend(key, op.naam, [1e300 if op.types[0] == "float" else 2**40, geldig[1]]),
        "signed three values": _getekend(key, op.naam, [*geldig, 1]),
        "signed bad id": _getekend(key, op.naam, [geldig[0], "not-a-uuid"]),
    }


@pytest.mark.parametrize("gevuld", list(OPERATIES), indirect=True)
async def test_a_bad_cursor_is_400_naming_cursor_on_every_paged_operation(gevuld, auth):
    op, svc, _ = gevuld
    key = cursor_sleutel(svc.runtime)
    for beschrijving, cursor in slechte_cursors(op, key).items():
        response = await op.vraag(svc, auth, cursor, 3)
        assert response.status_code == 400, f"{op.naam}, {beschrijving}: {response.status_code} {response.text}"
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "cursor" in {p["name"] for p in response.json()["invalidParams"]}, (op.naam, beschrijving)
    # and the service's own cursor still works after all that
    first = await op.vraag(svc, auth, None, 3)
    assert first.status_code == 200, first.text
    assert (await op.vraag(svc, auth, _cursor(op, first), 3)).status_code == 200


@pytest.mark.parametrize("gevuld", list(OPERATIES), indirect=True)
async def test_paging_through_every_page_returns_every_row_exactly_once(gevuld, auth):
    op, svc, ids = gevuld
    seen, cursor, pages = [], None, 0
    while True:
        response = await op.vraag(svc, auth, cursor, 3)
        assert response.status_code == 200, response.text
        seen += [r[op.id_veld] for r in response.json()["results"]]
        pages += 1
        cursor = _cursor(op, response)
        if cursor is None:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen)) == AANTAL
    assert pages == 3  # 3 + 3 + 1


@pytest.mark.parametrize("gevuld", [naam for naam, op in OPERATIES.items() if op.get], indirect=True)
async def test_next_links_are_built_on_the_public_url_never_the_host_header(gevuld, auth):
    op, svc, ids = gevuld
    public = f"https://{op.service}.zorgtoezicht.example/achter-de-proxy"
    svc.runtime.settings.public_url = public
    response = await op.vraag(svc, auth, None, 3, headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    assert response.status_code == 200, response.text
    link = response.json()["next"]
    assert link is not None and "evil" not in link
    url = httpx.URL(link)
    assert (url.scheme, url.host) == ("https", f"{op.service}.zorgtoezicht.example")
    assert url.path.startswith("/achter-de-proxy/api/v1/")
    assert url.params["pageSize"] == "3" and url.params["cursor"]
    # the link leads to the next page (followed on this service's own address)
    follow = await svc.client.get(url.path.removeprefix("/achter-de-proxy"), params=url.params, headers=auth.headers("lezer", *_scopes(op)))
    assert follow.status_code == 200, follow.text
    assert {r[op.id_veld] for r in follow.json()["results"]} <= set(ids)


def _scopes(op: Operatie) -> tuple[str, ...]:
    return {"meldpunt": ("meldpunt.meldingen.lezen",), "register": (REGISTER_LEZEN,), "toezicht": ("toezicht.risicoprofielen.lezen",)}[
        op.service
    ]
