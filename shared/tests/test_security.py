"""Bearer token verification: a verified token is remembered, but never past its expiry or for another signature;
every defect of a token is refused with a fixed detail, and each key accepts only its own algorithm."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from zorgtoezicht import klok
from zorgtoezicht.http.problems import Unauthorized
from zorgtoezicht.http.security import Authenticator, algorithm_of, mint_token, new_signing_key

ISSUER = "https://auth.test.zorgtoezicht.local"
AUDIENCE = "zorgtoezicht"
MOMENT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
NOW = int(MOMENT.timestamp())


@pytest.fixture(scope="module")
def keys():
    private, jwks = new_signing_key("k-1")
    other, _ = new_signing_key("k-1")  # same kid, another key: a forgery
    return private, jwks, other


@pytest.fixture
def vaste_klok():
    with klok.gebruik(klok.VasteKlok(MOMENT)) as fixed:
        yield fixed


def counting(authenticator: Authenticator) -> list[str]:
    verified: list[str] = []
    original = authenticator._verify

    def verify(token: str):
        verified.append(token)
        return original(token)

    authenticator._verify = verify  # type: ignore[method-assign]
    return verified


def b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def signed(private: dict, claims: dict, **header) -> str:
    return jwt.encode(claims, jwt.PyJWK(private).key, algorithm="ES256", headers={"kid": private["kid"], **header})


def good_claims(**changes) -> dict:
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "nza", "iat": NOW, "exp": NOW + 600, "scope": "a b"}
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not ...}


def refused(authenticator: Authenticator, token: str) -> str:
    with pytest.raises(Unauthorized) as refusal:
        authenticator.verify(token)
    return refusal.value.detail


def test_a_verified_token_is_checked_once_and_gives_the_same_client(keys, vaste_klok):
    private, jwks, _ = keys
    authenticator = Authenticator(jwks, issuer=ISSUER)
    signature_checks = counting(authenticator)
    token = mint_token(private, issuer=ISSUER, client_id="nza", scopes=["meldpunt.meldingen.indienen"])
    first, second = authenticator.verify(token), authenticator.verify(token)
    assert first == second and first.client_id == "nza" and first.has("meldpunt.meldingen.indienen")
    assert signature_checks == [token]


def test_a_remembered_token_is_refused_once_it_has_expired(keys, vaste_klok):
    private, jwks, _ = keys
    authenticator = Authenticator(jwks, issuer=ISSUER, leeway=0)
    token = mint_token(private, issuer=ISSUER, client_id="nza", scopes=["a"], ttl=60)
    authenticator.verify(token)
    vaste_klok.verzet(timedelta(seconds=60))
    assert authenticator.verify(token).client_id == "nza"  # at exp itself still valid
    vaste_klok.verzet(timedelta(seconds=1))
    assert refused(authenticator, token) == "The token has expired"


def test_the_leeway_allows_a_little_clock_skew_and_no_more(keys, vaste_klok):
    private, jwks, _ = keys
    authenticator = Authenticator(jwks, issuer=ISSUER, leeway=30)
    token = mint_token(private, issuer=ISSUER, client_id="nza", scopes=["a"], ttl=60)
    vaste_klok.verzet(timedelta(seconds=90))
    assert authenticator.verify(token).client_id == "nza"
    vaste_klok.verzet(timedelta(seconds=1))
    assert refused(authenticator, token) == "The token has expired"


def test_the_same_claims_with_another_signature_are_not_taken_from_memory(keys, vaste_klok):
    private, jwks, other = keys
    authenticator = Authenticator(jwks, issuer=ISSUER)
    authenticator.verify(mint_token(private, issuer=ISSUER, client_id="nza", scopes=["a"]))
    assert refused(authenticator, mint_token(other, issuer=ISSUER, client_id="nza", scopes=["a"])) == "The token's signature is not valid"


def test_the_memory_of_verified_tokens_is_bounded(keys, vaste_klok):
    private, jwks, _ = keys
    authenticator = Authenticator(jwks, issuer=ISSUER)
    authenticator.CACHE_SIZE = 3
    tokens = [mint_token(private, issuer=ISSUER, client_id=f"client-{i}", scopes=["a"]) for i in range(5)]
    for token in tokens:
        authenticator.verify(token)
    assert list(authenticator._verified) == tokens[2:]  # the oldest went first


def test_a_good_token_gives_its_client_and_scopes(keys, vaste_klok):
    private, jwks, _ = keys
    client = Authenticator(jwks, issuer=ISSUER).verify(signed(private, good_claims()))
    assert client.client_id == "nza" and client.scopes == {"a", "b"}


def test_a_list_of_scopes_and_a_list_of_audiences_are_accepted(keys, vaste_klok):
    private, jwks, _ = keys
    client = Authenticator(jwks, issuer=ISSUER).verify(signed(private, good_claims(scope=["a", "b"], aud=["other", AUDIENCE])))
    assert client.scopes == {"a", "b"}


# Each defect, the detail a partner must get (written out: the words are the contract, not the implementation's constants).
DEFECTS = {
    "scope null": (good_claims(scope=None), "The token's claims are malformed"),
    "scope a number": (good_claims(scope=42), "The token's claims are malformed"),
    "scope a nested list": (good_claims(scope=[["a"]]), "The token's claims are malformed"),
    "scope a list with spaces": (good_claims(scope=["a b"]), "The token's claims are malformed"),
    "exp a string": (good_claims(exp=str(NOW + 600)), "The token's claims are malformed"),
    "exp 1e300": (good_claims(exp=1e300), "The token's claims are malformed"),
    "exp a fraction": (good_claims(exp=NOW + 600.5), "The token's claims are malformed"),
    "exp true": (good_claims(exp=True), "The token's claims are malformed"),
    "exp missing": (good_claims(exp=...), "The token's claims are malformed"),
    "exp negative": (good_claims(exp=-1), "The token's claims are malformed"),
    "iat a string": (good_claims(iat="now"), "The token's claims are malformed"),
    "nbf 1e300": (good_claims(nbf=1e300), "The token's claims are malformed"),
    "sub missing": (good_claims(sub=...), "The token's claims are malformed"),
    "sub a number": (good_claims(sub=7), "The token's claims are malformed"),
    "wrong issuer": (good_claims(iss="https://elders.example"), "The token is issued by an unknown issuer"),
    "wrong audience": (good_claims(aud="register"), "The token is meant for another audience"),
    "no audience": (good_claims(aud=...), "The token is meant for another audience"),
    "audience a number": (good_claims(aud=5), "The token's claims are malformed"),
    "lifetime above the maximum": (good_claims(exp=NOW + 3601), "The token's lifetime exceeds the maximum"),
    "lifetime above the maximum without iat": (good_claims(iat=..., exp=NOW + 3700), "The token's lifetime exceeds the maximum"),
    "not before in the future": (good_claims(nbf=NOW + 120), "The token is not valid yet"),
    "issued in the future": (good_claims(iat=NOW + 120, exp=NOW + 700), "The token is not valid yet"),
    "expired": (good_claims(iat=NOW - 700, exp=NOW - 31), "The token has expired"),
}


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_each_claim_defect_is_refused_with_a_fixed_detail(keys, vaste_klok, defect):
    private, jwks, _ = keys
    claims, detail = DEFECTS[defect]
    assert refused(Authenticator(jwks, issuer=ISSUER), signed(private, claims)) == detail


def test_the_maximum_lifetime_is_inclusive_and_configurable(keys, vaste_klok):
    private, jwks, _ = keys
    assert Authenticator(jwks, issuer=ISSUER).verify(signed(private, good_claims(exp=NOW + 3600))).client_id == "nza"
    longer = Authenticator(jwks, issuer=ISSUER, max_lifetime=12 * 3600)
    assert longer.verify(signed(private, good_claims(exp=NOW + 12 * 3600))).client_id == "nza"
    assert refused(longer, signed(private, good_claims(exp=NOW + 12 * 3600 + 1))) == "The token's lifetime exceeds the maximum"


def test_a_header_naming_another_algorithm_than_the_keys_is_refused(keys, vaste_klok):
    _, jwks, _ = keys
    authenticator = Authenticator(jwks, issuer=ISSUER)
    payload = b64(good_claims())
    for header in ({"alg": "RS256"}, {"alg": "EdDSA", "kid": "k-1"}, {"alg": "none"}, {"alg": "HS256", "kid": "k-1"}, {"alg": "ES384"}):
        assert refused(authenticator, f"{b64(header)}.{payload}.AAAA") == "The token's algorithm does not match its key"
    # the issue's reproduction, verbatim: header RS256, empty claims, against an EC key
    assert refused(authenticator, "eyJhbGciOiJSUzI1NiJ9.e30.AAAA") == "The token's algorithm does not match its key"
    # the classic confusion: HMAC "signed" with the public key's coordinates as the secret
    public = (jwks["keys"][0]["x"] + jwks["keys"][0]["y"]).encode()
    forged = jwt.encode(good_claims(), public, algorithm="HS256", headers={"kid": "k-1"})
    assert refused(authenticator, forged) == "The token's algorithm does not match its key"


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not-a-jwt",
        "a.b.c",
        "eyJhbGciOiJFUzI1NiJ9.%%%.AAAA",
        "x" * 9000,
        f"{b64(b'[1]')}.e30.AAAA",
        f"{b64({'alg': 'ES256', 'kid': ['k-1']})}.e30.AAAA",
    ],
)
def test_garbage_is_refused_as_malformed(keys, vaste_klok, token):
    _, jwks, _ = keys
    assert refused(Authenticator(jwks, issuer=ISSUER), token) == "The token is not a well-formed JWT"


def test_a_payload_that_is_no_object_is_refused(keys, vaste_klok):
    private, jwks, _ = keys
    key = jwt.PyJWK(private).key
    token = jwt.api_jws.encode(b"[1, 2]", key, algorithm="ES256", headers={"kid": "k-1"})
    assert refused(Authenticator(jwks, issuer=ISSUER), token) == "The token's claims are malformed"


def test_an_unknown_kid_among_several_keys_is_refused(vaste_klok):
    first, jwks_1 = new_signing_key("k-1")
    _, jwks_2 = new_signing_key("k-2")
    authenticator = Authenticator({"keys": jwks_1["keys"] + jwks_2["keys"]}, issuer=ISSUER)
    assert authenticator.verify(signed(first, good_claims())).client_id == "nza"
    assert refused(authenticator, signed(first, good_claims(), kid="k-9")) == "The token is signed with an unknown key"


def test_each_key_is_pinned_to_the_algorithm_of_its_type():
    rsa_public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()))
    ed_public = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(ed25519.Ed25519PrivateKey.generate().public_key()))
    _, ec_jwks = new_signing_key()
    ec_public = {k: v for k, v in ec_jwks["keys"][0].items() if k != "alg"}
    assert algorithm_of(rsa_public) == "RS256"
    assert algorithm_of(ed_public) == "EdDSA"
    assert algorithm_of(ec_public) == "ES256"
    assert algorithm_of({**rsa_public, "alg": "PS384"}) == "PS384"
    wrong_keys = (
        {**ec_public, "alg": "RS256"},
        {**rsa_public, "alg": "HS256"},
        {**ed_public, "alg": "none"},
        {"kty": "oct", "k": "c2VjcmV0"},
    )
    for wrong in wrong_keys:
        with pytest.raises(ValueError):
            algorithm_of(wrong)


def test_an_eddsa_key_verifies_eddsa_tokens_and_nothing_else(vaste_klok):
    private = ed25519.Ed25519PrivateKey.generate()
    public = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(private.public_key())) | {"kid": "ed"}
    authenticator = Authenticator({"keys": [public]}, issuer=ISSUER)
    token = jwt.encode(good_claims(), private, algorithm="EdDSA", headers={"kid": "ed"})
    assert authenticator.verify(token).client_id == "nza"
    ecdsa_header = b64({"alg": "ES256", "kid": "ed"})
    assert refused(authenticator, f"{ecdsa_header}.{b64(good_claims())}.AAAA") == "The token's algorithm does not match its key"


def test_mint_token_carries_the_default_audience(keys, vaste_klok):
    private, _, _ = keys
    claims = jwt.decode(mint_token(private, issuer=ISSUER, client_id="x", scopes=[]), options={"verify_signature": False})
    assert claims["aud"] == "zorgtoezicht" and claims["exp"] - claims["iat"] == 3600 and claims["iat"] == NOW
