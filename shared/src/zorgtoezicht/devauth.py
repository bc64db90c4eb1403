"""Signing keys and tokens for the local setup: ``python -m zorgtoezicht.devauth token CLIENT SCOPE…``.

Production tokens come from the inspectorate's identity provider; locally a key pair is generated
once under ``.local/auth`` and the services trust its public half (``ZT_AUTH_JWKS_FILE``). Dev tokens
live 12 hours, which ``make run`` allows (``ZT_AUTH_MAX_LEVENSDUUR``); the platform default is one hour.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from zorgtoezicht.http.security import mint_token, new_signing_key
from zorgtoezicht.settings import PlatformSettings

DEV_TOKEN_TTL = 12 * 3600


def auth_dir(home: Path | None = None) -> Path:
    return (home or Path(os.environ.get("ZT_HOME", ".local"))) / "auth"


def ensure_dev_keys(home: Path | None = None) -> tuple[dict[str, Any], Path]:
    """The local private key, and the path of the JWKS file the services verify against."""
    folder = auth_dir(home)
    private_path, jwks_path = folder / "dev-signing-key.json", folder / "jwks.json"
    if not private_path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        private, jwks = new_signing_key()
        private_path.write_text(json.dumps(private))
        private_path.chmod(0o600)
        jwks_path.write_text(json.dumps(jwks))
    return json.loads(private_path.read_text()), jwks_path


def dev_token(client_id: str, scopes: list[str], *, home: Path | None = None, ttl: int = DEV_TOKEN_TTL) -> str:
    private, _ = ensure_dev_keys(home)
    platform = PlatformSettings()
    return mint_token(private, issuer=platform.auth_issuer, audience=platform.auth_audience, client_id=client_id, scopes=scopes, ttl=ttl)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m zorgtoezicht.devauth")
    sub = parser.add_subparsers(dest="command", required=True)
    token = sub.add_parser("token", help="print a token for the local setup (last line)")
    token.add_argument("client")
    token.add_argument("scopes", nargs="*", help="scopes; space-separated words may also come in one argument")
    token.add_argument("--ttl", type=int, default=DEV_TOKEN_TTL)
    args = parser.parse_args(argv)
    scopes = [word for item in args.scopes for word in item.split()]
    print(dev_token(args.client, scopes, ttl=args.ttl))


if __name__ == "__main__":
    main()
