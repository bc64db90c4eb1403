"""Bearer JWT authentication (OAuth2 client-credentials style) and a scope per operation.

A token carries ``iss``, ``sub`` (the client id), ``exp`` and ``scope`` (space-separated). It is
verified against the configured public keys (a JWKS document); ``kid`` selects the key. A missing or
invalid token is 401, a valid token without the operation's scope is 403, both as problem+json.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from zorgtoezicht.http.problems import Forbidden, Unauthorized

ALGORITHMS = ["ES256", "RS256", "EdDSA"]


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

    def __init__(self, jwks: dict[str, Any], *, issuer: str, audience: str | None = None, leeway: int = 30) -> None:
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self._verified: dict[str, tuple[Client, float]] = {}  # token → (client, valid until), oldest first
        self.keys: dict[str | None, Any] = {}
        for jwk in jwks.get("keys", []):
            self.keys[jwk.get("kid")] = jwt.PyJWK(jwk).key
        if not self.keys:
            raise ValueError("no verification keys configured")

    @classmethod
    def from_settings(cls, *, jwks: str | None, jwks_file: str | None, issuer: str, audience: str | None) -> Authenticator:
        if jwks:
            document = json.loads(jwks)
        elif jwks_file:
            document = json.loads(Path(jwks_file).read_text())
        else:
            raise ValueError("set ZT_AUTH_JWKS or ZT_AUTH_JWKS_FILE: the public keys that sign client tokens")
        return cls(document, issuer=issuer, audience=audience)

    def verify(self, token: str) -> Client:
        known = self._verified.get(token)
        if known is not None and time.time() <= known[1]:
            return known[0]
        client = self._verify(token)
        if len(self._verified) >= self.CACHE_SIZE:
            del self._verified[next(iter(self._verified))]
        self._verified[token] = (client, float(client.claims["exp"]) + self.leeway)
        return client

    def _verify(self, token: str) -> Client:
        try:
            header = jwt.get_unverified_header(token)
            key = self.keys.get(header.get("kid")) if header.get("kid") in self.keys else (
                next(iter(self.keys.values())) if len(self.keys) == 1 else None
            )
            if key is None:
                raise Unauthorized("The token is signed with an unknown key")
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                issuer=self.issuer,
                audience=self.audience,
                leeway=self.leeway,
                options={"require": ["exp", "iss", "sub"], "verify_aud": self.audience is not None},
            )
        except Unauthorized:
            raise
        except jwt.ExpiredSignatureError as error:
            raise Unauthorized("The token has expired") from error
        except jwt.PyJWTError as error:
            raise Unauthorized(f"The token is not valid: {error}") from error
        scope = claims.get("scope", "")
        scopes = frozenset(scope.split() if isinstance(scope, str) else scope)
        return Client(client_id=str(claims["sub"]), scopes=scopes, claims=claims)


bearer = HTTPBearer(bearerFormat="JWT", scheme_name="bearerJwt", auto_error=False,
                    description="Client-credentials JWT: iss, sub (client id), exp, scope")


def require_scope(scope: str, *alternatives: str):  # noqa: ANN201 - returns a FastAPI dependency
    """Dependency: the authenticated client, which must hold ``scope`` (or one of the alternatives)."""
    accepted = (scope, *alternatives)

    async def authenticated_client(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
    ) -> Client:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise Unauthorized("A bearer token is required")
        authenticator: Authenticator = request.app.state.authenticator
        client = authenticator.verify(credentials.credentials)
        request.state.client = client
        if not any(client.has(s) for s in accepted):
            raise Forbidden(f"This operation needs the scope {' or '.join(accepted)}", code="insufficient_scope")
        return client

    authenticated_client.required_scope = " or ".join(accepted)  # type: ignore[attr-defined] - read by the OpenAPI builder
    return Depends(authenticated_client)


def mint_token(private_jwk: dict[str, Any], *, issuer: str, client_id: str, scopes: list[str], ttl: int = 3600) -> str:
    """Sign a client token (for the local setup and tests; production tokens come from the IdP)."""
    key = jwt.PyJWK(private_jwk)
    now = int(time.time())
    claims = {"iss": issuer, "sub": client_id, "iat": now, "exp": now + ttl, "scope": " ".join(scopes)}
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
