"""Bearer JWT authentication (OAuth2 client-credentials style) and a scope per operation.

A token carries ``iss``, ``sub`` (the client id), ``aud``, ``exp`` and ``scope`` (space-separated). It is
verified against the configured public keys (a JWKS document); ``kid`` selects the key, and each key
accepts exactly one algorithm (its own). A missing or invalid token is 401, a valid token without the
operation's scope is 403, both as problem+json. Every defect has a fixed detail: the text of a library
exception never reaches a partner.

The platform's ``ApiRoute`` authenticates before the request body is read (see ``http.app``); the
``require_scope`` dependency then finds the client on ``request.state``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from jwt.api_jws import PyJWS

from zorgtoezicht import klok
from zorgtoezicht.http.problems import Forbidden, Unauthorized

DEFAULT_AUDIENCE = "zorgtoezicht"
DEFAULT_MAX_LIFETIME = 3600  # seconds from iat (or now) to exp
MAX_TOKEN_LENGTH = 8192

# The algorithm a key accepts, from its type and curve when the JWK names none (RFC 7518/8037).
_ALGORITHM_OF_KEY = {
    ("EC", "P-256"): "ES256",
    ("EC", "P-384"): "ES384",
    ("EC", "P-521"): "ES512",
    ("RSA", None): "RS256",
    ("OKP", "Ed25519"): "EdDSA",
}
_ALGORITHMS_OF_TYPE = {"EC": {"ES256", "ES384", "ES512"}, "RSA": {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}, "OKP": {"EdDSA"}}
_LARGEST_TIME = 10**11  # a NumericDate beyond the year 5000 is a defect, not a date

# The fixed details of a refused token (tests compare with these words, written out).
MISSING = "A bearer token is required"
MALFORMED = "The token is not a well-formed JWT"
UNKNOWN_KEY = "The token is signed with an unknown key"
WRONG_ALGORITHM = "The token's algorithm does not match its key"
BAD_SIGNATURE = "The token's signature is not valid"
BAD_CLAIMS = "The token's claims are malformed"
WRONG_ISSUER = "The token is issued by an unknown issuer"
WRONG_AUDIENCE = "The token is meant for another audience"
EXPIRED = "The token has expired"
NOT_YET_VALID = "The token is not valid yet"
TOO_LONG_LIVED = "The token's lifetime exceeds the maximum"

_jws = PyJWS()


def algorithm_of(jwk: dict[str, Any]) -> str:
    """The one algorithm a key verifies: its ``alg``, else derived from ``kty``/``crv``."""
    kty = jwk.get("kty")
    alg = jwk.get("alg") or _ALGORITHM_OF_KEY.get((kty, None if kty == "RSA" else jwk.get("crv")))
    if alg not in _ALGORITHMS_OF_TYPE.get(kty, ()):
        raise ValueError(f"verification key {jwk.get('kid')!r}: unsupported key type or algorithm")
    return alg


@dataclass(frozen=True)
class Client:
    """The authenticated partner or internal system making the request."""

    client_id: str
    scopes: frozenset[str]
    claims: dict[str, Any] = field(default_factory=dict, compare=False)

    def has(self, scope: str) -> bool:
        return scope in self.scopes


class Authenticator:
    """Verifies bearer tokens. A partner sends the same token with every request until it expires, so a
    verified token is remembered (bounded, and only until its ``exp``): the signature check, the costliest
    part of a small request, runs once per token instead of once per request."""

    CACHE_SIZE = 1024

    def __init__(
        self,
        jwks: dict[str, Any],
        *,
        issuer: str,
        audience: str | None = DEFAULT_AUDIENCE,
        leeway: int = 30,
        max_lifetime: int = DEFAULT_MAX_LIFETIME,
    ) -> None:
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.max_lifetime = max_lifetime
        self._verified: dict[str, tuple[Client, float]] = {}  # token → (client, valid until), oldest first
        self.keys: dict[str | None, tuple[Any, str]] = {}  # kid → (key, its one algorithm)
        for jwk in jwks.get("keys", []):
            alg = algorithm_of(jwk)
            self.keys[jwk.get("kid")] = (jwt.PyJWK(jwk, algorithm=alg).key, alg)
        if not self.keys:
            raise ValueError("no verification keys configured")

    @classmethod
    def from_settings(
        cls, *, jwks: str | None, jwks_file: str | None, issuer: str, audience: str | None, max_lifetime: int = DEFAULT_MAX_LIFETIME
    ) -> Authenticator:
        if jwks:
            document = json.loads(jwks)
        elif jwks_file:
            document = json.loads(Path(jwks_file).read_text())
        else:
            raise ValueError("set ZT_AUTH_JWKS or ZT_AUTH_JWKS_FILE: the public keys that sign client tokens")
        return cls(document, issuer=issuer, audience=audience, max_lifetime=max_lifetime)

    def verify(self, token: str) -> Client:
        known = self._verified.get(token)
        if known is not None and klok.tijdstempel() <= known[1]:
            return known[0]
        client = self._verify(token)
        if len(self._verified) >= self.CACHE_SIZE:
            del self._verified[next(iter(self._verified))]
        self._verified[token] = (client, float(client.claims["exp"]) + self.leeway)
        return client

    def _verify(self, token: str) -> Client:
        if not token or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 2:
            raise Unauthorized(MALFORMED)
        try:
            header = jwt.get_unverified_header(token)
        except Exception as error:  # whatever the library says, the partner gets the fixed text
            raise Unauthorized(MALFORMED) from error
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise Unauthorized(MALFORMED)
        if kid in self.keys:
            key, alg = self.keys[kid]
        elif len(self.keys) == 1:
            key, alg = next(iter(self.keys.values()))
        else:
            raise Unauthorized(UNKNOWN_KEY)
        if header.get("alg") != alg:
            raise Unauthorized(WRONG_ALGORITHM)
        try:
            payload = _jws.decode_complete(token, key, algorithms=[alg])["payload"]
        except jwt.InvalidSignatureError as error:
            raise Unauthorized(BAD_SIGNATURE) from error
        except Exception as error:
            raise Unauthorized(MALFORMED) from error
        try:
            claims = json.loads(payload)
        except (ValueError, RecursionError) as error:
            raise Unauthorized(BAD_CLAIMS) from error
        if not isinstance(claims, dict):
            raise Unauthorized(BAD_CLAIMS)
        return self._check_claims(claims)

    def _check_claims(self, claims: dict[str, Any]) -> Client:
        now = klok.tijdstempel()
        exp = _numeric_date(claims.get("exp"), required=True)
        iat = _numeric_date(claims.get("iat"), required=False)
        nbf = _numeric_date(claims.get("nbf"), required=False)
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub or len(sub) > 255:
            raise Unauthorized(BAD_CLAIMS)
        scopes = _scopes(claims)
        if claims.get("iss") != self.issuer:
            raise Unauthorized(WRONG_ISSUER)
        if self.audience is not None:
            aud = claims.get("aud")
            audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else None
            if audiences is None or not all(isinstance(a, str) for a in audiences):
                raise Unauthorized(BAD_CLAIMS if "aud" in claims else WRONG_AUDIENCE)
            if self.audience not in audiences:
                raise Unauthorized(WRONG_AUDIENCE)
        if now > exp + self.leeway:
            raise Unauthorized(EXPIRED)
        if (nbf is not None and now + self.leeway < nbf) or (iat is not None and now + self.leeway < iat):
            raise Unauthorized(NOT_YET_VALID)
        if exp - (iat if iat is not None else now) > self.max_lifetime:
            raise Unauthorized(TOO_LONG_LIVED)
        return Client(client_id=sub, scopes=scopes, claims=claims)


def _numeric_date(value: Any, *, required: bool) -> int | None:
    """A NumericDate as whole seconds; a string, a float, a boolean or an absurd number is a defect."""
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < _LARGEST_TIME:
        raise Unauthorized(BAD_CLAIMS)
    return value


def _scopes(claims: dict[str, Any]) -> frozenset[str]:
    """``scope`` is a space-separated string (RFC 8693); a list of plain strings is accepted too."""
    if "scope" not in claims:
        return frozenset()
    scope = claims["scope"]
    if isinstance(scope, str):
        return frozenset(scope.split())
    if isinstance(scope, list) and all(isinstance(s, str) and s and len(s.split()) == 1 for s in scope):
        return frozenset(scope)
    raise Unauthorized(BAD_CLAIMS)


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer …`` header; 401 when there is none."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(MISSING)
    return token.strip()


def authorize(request: Request, accepted: list[tuple[str, ...]]) -> Client:
    """Authenticate the request and check that it holds one scope of each group in ``accepted`` (401, 403);
    the client is kept on ``request.state`` for the operation's dependencies."""
    client = getattr(request.state, "client", None)
    if client is None:
        authenticator: Authenticator = request.app.state.authenticator
        client = authenticator.verify(bearer_token(request.headers.get("authorization")))
        request.state.client = client
    for group in accepted:
        if not any(client.has(s) for s in group):
            raise Forbidden(f"This operation needs the scope {' or '.join(group)}", code="insufficient_scope")
    return client


bearer = HTTPBearer(
    bearerFormat="JWT", scheme_name="bearerJwt", auto_error=False, description="Client-credentials JWT: iss, sub (client id), exp, scope"
)


def require_scope(scope: str, *alternatives: str):  # returns a FastAPI dependency
    """Dependency: the authenticated client, which must hold ``scope`` (or one of the alternatives)."""
    accepted = (scope, *alternatives)

    async def authenticated_client(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
    ) -> Client:
        # ApiRoute has done this before the body was read; here only for routes of another route class.
        return authorize(request, [accepted])

    authenticated_client.required_scope = " or ".join(accepted)  # type: ignore[attr-defined] - read by the OpenAPI builder
    authenticated_client.accepted_scopes = accepted  # type: ignore[attr-defined] - read by ApiRoute
    return Depends(authenticated_client)


def mint_token(
    private_jwk: dict[str, Any], *, issuer: str, client_id: str, scopes: list[str], ttl: int = 3600, audience: str | None = DEFAULT_AUDIENCE
) -> str:
    """Sign a client token (for the local setup and tests; production tokens come from the IdP)."""
    key = jwt.PyJWK(private_jwk)
    now = int(klok.tijdstempel())
    claims: dict[str, Any] = {"iss": issuer, "sub": client_id, "iat": now, "exp": now + ttl, "scope": " ".join(scopes)}
    if audience is not None:
        claims["aud"] = audience
    return jwt.encode(claims, key.key, algorithm=private_jwk.get("alg", "ES256"), headers={"kid": private_jwk.get("kid")})


def new_signing_key(kid: str = "dev-1") -> tuple[dict[str, Any], dict[str, Any]]:
    """A fresh ES256 key pair as (private JWK, public JWKS)."""
    from cryptography.hazmat.primitives.asymmetric import ec

    private = ec.generate_private_key(ec.SECP256R1())
    private_jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private))
    private_jwk.update({"kid": kid, "alg": "ES256", "use": "sig"})
    public_jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private.public_key()))
    public_jwk.update({"kid": kid, "alg": "ES256", "use": "sig"})
    return private_jwk, {"keys": [public_jwk]}
