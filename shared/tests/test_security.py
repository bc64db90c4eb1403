"""Bearer token verification: a verified token is remembered, but never past its expiry or for another signature."""

from __future__ import annotations

import time

import pytest

from zorgtoezicht.http.problems import Unauthorized
from zorgtoezicht.http.security import Authenticator, mint_token, new_signing_key

ISSUER = "https://auth.test.zorgtoezicht.local"


@pytest.fixture(scope="module")
def keys():
    private, jwks = new_signing_key("k-1")
    other, _ = new_signing_key("k-1")  # same kid, another key: a forgery
    return private, jwks, other


def counting(authenticator: Authenticator) -> list[str]:
    verified: list[str] = []
    original = authenticator._verify

    def verify(token: str):  # noqa: ANN202
        verified.append(token)
        return original(token)

    authenticator._verify = verify  # type: ignore[method-assign]
    return verified


def test_a_verified_token_is_checked_once_and_gives_the_same_client(keys):
    private, jwks, _ = keys
    authenticator = Authenticator(jwks, issuer=ISSUER)
    signature_checks = counting(authenticator)
    token = mint_token(private, issuer=ISSUER, client_id="nza", scopes=["meldpunt.meldingen.indienen"])
    first, second = authenticator.verify(token), authenticator.verify(token)
    assert first == second and first.client_id == "nza" and first.has("meldpunt.meldingen.indienen")
    assert signature_checks == [token]


def test_a_remembered_token_is_refused_once_it_has_expired(keys):
    private, jwks, _ = keys
    authenticator = Authenticator(jwks, issuer=ISSUER, leeway=0)
    token = mint_token(private, issuer=ISSUER, client_id="nza", scopes=["a"], ttl=1)
    authenticator.verify(token)
    time.sleep(2.1)
    with pytest.raises(Unauthorized, match="expired"):
        authenticator.verify(token)


def test_the_same_claims_with_another_signature_are_not_taken_from_memory(keys):
    private, jwks, other = keys
    authenticator = Authenticator(jwks, issuer=ISSUER)
    authenticator.verify(mint_token(private, issuer=ISSUER, client_id="nza", scopes=["a"]))
    with pytest.raises(Unauthorized):
        authenticator.verify(mint_token(other, issuer=ISSUER, client_id="nza", scopes=["a"]))


def test_the_memory_of_verified_tokens_is_bounded(keys):
    private, jwks, _ = keys
    authenticator = Authenticator(jwks, issuer=ISSUER)
    authenticator.CACHE_SIZE = 3
    tokens = [mint_token(private, issuer=ISSUER, client_id=f"client-{i}", scopes=["a"]) for i in range(5)]
    for token in tokens:
        authenticator.verify(token)
    assert list(authenticator._verified) == tokens[2:]  # the oldest went first
