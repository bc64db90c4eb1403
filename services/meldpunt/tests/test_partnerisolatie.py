"""Partner isolation (issue 8, item 1; acceptance 2): a Wmo-toezichthouder sees only the meldingen of its own
gemeenten, on every operation. The test walks every operation of meldpunt's OpenAPI document, so an operation
added later is walked too (or the test fails until someone decides it is not about a melding).

The partner here is ``ggd-amsterdam`` (GM0363 in the fixture's MELDPUNT_PARTNERS) with a token holding every
one of meldpunt's scopes: the reproduction of the issue, where behandelen, persoonsgegevens, audittrail and
triage scopes let such a partner read a GM0344 melding's BSN and change it.
"""

from __future__ import annotations

import pytest

from meldpunt.voorbeelden import VESTIGING_AMSTERDAM, ZORGAANBIEDER_AMSTERDAM, dag, melding

INDIENEN = "meldpunt.meldingen.indienen"
LEZEN = "meldpunt.meldingen.lezen"
PARTNER = "ggd-amsterdam"  # GM0363
BSN = "111222333"

# Operations on a melding and the valid body each needs (so a refusal cannot hide behind a 400).
# ``{ander}`` is another melding the partner may see (the merge target).
BODIES = {
    "meldingOpvragen": None,
    "meldingTriage": None,
    "meldingStatussen": None,
    "mogelijkeDubbelen": None,
    "zorgaanbiederKandidaten": None,
    "meldingAudittrail": None,
    "meldingTriageCorrigeren": {"route": "beoordelen", "prioriteit": "hoog", "reden": "Herbeoordeling na nieuwe informatie"},
    "meldingStatusWijzigen": {"status": "in-behandeling", "toelichting": "opgepakt"},
    "calamiteitenrapportOntvangen": {"ontvangenOp": dag(0)},
    "rapporttermijnVerlengen": {"nieuweDatum": dag(120), "reden": "Extern deskundige pas later beschikbaar"},
    "meldingSamenvoegen": {"hoofdmeldingId": "{ander}"},
    "zorgaanbiederKoppelen": {"zorgaanbiederId": str(ZORGAANBIEDER_AMSTERDAM)},
    "persoonsgegevensInzien": {"doel": "Contact met de melder"},
}
# Operations that are not about one existing melding, and why they are not walked with a melding id.
NIET_PER_MELDING = {
    "meldingIndienen": "creates a melding",
    "meldingenLijst": "walked as a list below",
    "statistiekJaarbeeld": "counts only (the Jaarbeeld), no melding or field of one",
}
TABELLEN = ("melding", "melding_status", "audit_trail", "outbox", "mogelijke_dubbel")


async def stand(meldpunt) -> dict[str, str]:
    """Everything meldpunt stored about meldingen, to see that a refused request wrote nothing."""
    return {
        table: await meldpunt.scalar(f"SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY to_jsonb(t)::text), '[]')::text FROM {table} t")
        for table in TABELLEN
    }


async def indienen(meldpunt, auth, client: str = "portaal", **velden) -> str:
    created = await meldpunt.client.post(
        "/api/v1/meldingen", json=melding("wkkgz-calamiteit", patient={"bsn": BSN}, **velden), headers=auth.headers(client, INDIENEN)
    )
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def operaties(meldpunt) -> list[tuple[str, str, str]]:
    """(method, path, operationId) of every operation in meldpunt's OpenAPI document."""
    document = (await meldpunt.client.get("/api/v1/openapi.json")).json()
    found = [
        (method.upper(), path, operation["operationId"])
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]
    assert {op for _, _, op in found} == set(BODIES) | set(NIET_PER_MELDING), "a new operation: decide how the walk covers it"
    return [(method, path, op) for method, path, op in found if "{meldingId}" in path]


async def doe(meldpunt, headers, method: str, path: str, operation: str, melding_id: str, ander: str):
    body = BODIES[operation]
    if body is not None:
        body = {key: (ander if value == "{ander}" else value) for key, value in body.items()}
    return await meldpunt.client.request(method, "/api/v1" + path.replace("{meldingId}", melding_id), json=body, headers=headers)


@pytest.fixture
async def meldingen(meldpunt, auth):
    """Two GM0344 meldingen (possible duplicates of each other) and two GM0363 ones, none submitted by the partner."""
    utrecht = await indienen(meldpunt, auth)  # vestiging in Utrecht: GM0344
    utrecht_dubbel = await indienen(meldpunt, auth, gebeurtenisdatum=dag(-3))
    amsterdam = await indienen(meldpunt, auth, vestigingsnummer=VESTIGING_AMSTERDAM)  # GM0363
    amsterdam_2 = await indienen(meldpunt, auth, vestigingsnummer=VESTIGING_AMSTERDAM, gebeurtenisdatum=dag(-3))
    gemeenten = {
        m: await meldpunt.scalar("SELECT gemeente_code FROM melding WHERE id = :id", id=m)
        for m in (utrecht, utrecht_dubbel, amsterdam, amsterdam_2)
    }
    assert list(gemeenten.values()) == ["GM0344", "GM0344", "GM0363", "GM0363"]
    return utrecht, utrecht_dubbel, amsterdam, amsterdam_2


def partner_headers(meldpunt, auth) -> dict[str, str]:
    return auth.headers(PARTNER, *meldpunt.runtime.definition.scopes)  # every one of meldpunt's scopes


async def test_another_gemeentes_melding_is_404_on_every_operation_and_nothing_is_written(meldpunt, auth, meldingen):
    utrecht, _, amsterdam, _ = meldingen
    headers = partner_headers(meldpunt, auth)
    walked = []
    for method, path, operation in await operaties(meldpunt):
        before = await stand(meldpunt)
        response = await doe(meldpunt, headers, method, path, operation, utrecht, ander=amsterdam)
        assert response.status_code == 404, f"{method} {path}: {response.status_code} {response.text}"
        assert response.headers["content-type"].startswith("application/problem+json")
        assert BSN not in response.text
        assert await stand(meldpunt) == before, f"{method} {path} wrote something"
        walked.append(operation)
    assert sorted(walked) == sorted(BODIES)

    # Merging a visible melding into another gemeente's is as impossible as the other way round.
    before = await stand(meldpunt)
    merge = await meldpunt.client.post(f"/api/v1/meldingen/{amsterdam}/samenvoeging", json={"hoofdmeldingId": utrecht}, headers=headers)
    assert merge.status_code == 404, merge.text
    assert await stand(meldpunt) == before


async def test_the_same_walk_on_a_melding_of_its_own_gemeente_is_not_404(meldpunt, auth, meldingen):
    _, _, amsterdam, amsterdam_2 = meldingen
    headers = partner_headers(meldpunt, auth)
    for method, path, operation in await operaties(meldpunt):
        response = await doe(meldpunt, headers, method, path, operation, amsterdam, ander=amsterdam_2)
        assert response.status_code not in (404, 500), f"{method} {path}: {response.status_code} {response.text}"
    inzage = await meldpunt.client.post(
        f"/api/v1/meldingen/{amsterdam}/persoonsgegevens/_inzien", json={"doel": "Contact met de melder"}, headers=headers
    )
    assert inzage.status_code == 200 and inzage.json()["patient"]["bsn"] == BSN


async def test_lists_and_duplicates_show_only_the_partners_gemeenten(meldpunt, auth, meldingen):
    utrecht, utrecht_dubbel, amsterdam, amsterdam_2 = meldingen
    headers = partner_headers(meldpunt, auth)
    for query in ("", "?status=getrieerd", f"?zorgaanbiederId={ZORGAANBIEDER_AMSTERDAM}", "?soort=wkkgz-calamiteit", "?pageSize=1"):
        listed = await meldpunt.client.get(f"/api/v1/meldingen{query}", headers=headers)
        assert listed.status_code == 200, listed.text
        assert {m["id"] for m in listed.json()["results"]} <= {amsterdam, amsterdam_2}, query
    everything = await meldpunt.client.get("/api/v1/meldingen", headers=headers)
    assert {m["id"] for m in everything.json()["results"]} == {amsterdam, amsterdam_2}

    # A duplicate link across gemeenten (a vestiging that moved, a corrected gemeente): the partner does not see the other one.
    await meldpunt.scalar(
        "INSERT INTO mogelijke_dubbel (melding_id, andere_id, reden) VALUES (:a, :u, 'test') RETURNING 1", a=amsterdam, u=utrecht
    )
    own = await meldpunt.client.get(f"/api/v1/meldingen/{amsterdam}/mogelijke-dubbelen", headers=headers)
    assert own.status_code == 200 and [d["meldingId"] for d in own.json()] == [amsterdam_2]
    staf = await meldpunt.client.get(f"/api/v1/meldingen/{amsterdam}/mogelijke-dubbelen", headers=auth.headers("lmz", LEZEN))
    assert {d["meldingId"] for d in staf.json()} == {amsterdam_2, utrecht}  # the link is there: staff sees it
    staf_utrecht = await meldpunt.client.get(f"/api/v1/meldingen/{utrecht}/mogelijke-dubbelen", headers=auth.headers("lmz", LEZEN))
    assert [d["meldingId"] for d in staf_utrecht.json()] == [utrecht_dubbel]


async def test_a_partner_reads_what_it_submitted_itself_even_outside_its_gemeenten(meldpunt, auth):
    own = await indienen(meldpunt, auth, client=PARTNER)  # GM0344, submitted by the GM0363 partner
    other = await indienen(meldpunt, auth, client="portaal")
    headers = auth.headers(PARTNER, INDIENEN, "meldpunt.meldingen.lezen-gemeente")
    assert (await meldpunt.client.get(f"/api/v1/meldingen/{own}", headers=headers)).status_code == 200
    assert (await meldpunt.client.get(f"/api/v1/meldingen/{other}", headers=headers)).status_code == 404
    listed = await meldpunt.client.get("/api/v1/meldingen", headers=headers)
    assert [m["id"] for m in listed.json()["results"]] == [own]
    # Without indienen, what it once submitted is just another gemeente's melding.
    lezer = auth.headers(PARTNER, "meldpunt.meldingen.lezen-gemeente")
    assert (await meldpunt.client.get(f"/api/v1/meldingen/{own}", headers=lezer)).status_code == 404


async def test_an_unconfigured_client_with_lezen_gemeente_sees_nothing_whatever_else_it_holds(meldpunt, auth, meldingen):
    utrecht, *_ = meldingen
    headers = auth.headers(
        "ggd-nieuw", "meldpunt.meldingen.lezen-gemeente", "meldpunt.meldingen.behandelen", "meldpunt.persoonsgegevens.inzien"
    )
    assert (
        await meldpunt.client.post(
            f"/api/v1/meldingen/{utrecht}/persoonsgegevens/_inzien", json={"doel": "Contact met de melder"}, headers=headers
        )
    ).status_code == 404
    # The inspectorate's own staff (no partner, no lezen-gemeente) works on every melding.
    staf = await meldpunt.client.post(
        f"/api/v1/meldingen/{utrecht}/persoonsgegevens/_inzien",
        json={"doel": "Contact met de melder"},
        headers=auth.headers("inspecteur", "meldpunt.persoonsgegevens.inzien"),
    )
    assert staf.status_code == 200
