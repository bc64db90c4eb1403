"""meldpunt asks register, with its own credentials, which providers a citizen may have meant.

Events carry no provider names (a solist's name is a person's name), so names are matched where they
live: register's search. A person then confirms the right candidate.
"""

from __future__ import annotations

import os
from typing import Any

import httpx

from meldpunt.settings import MeldpuntSettings


class RegisterClient:
    def __init__(self, base_url: str, token: str, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.client = httpx.AsyncClient(base_url=base_url.rstrip("/"), headers={"Authorization": f"Bearer {token}"},
                                        transport=transport, timeout=5.0)

    async def kandidaten(self, naam: str, plaats: str | None, postcode: str | None, aantal: int = 5) -> list[dict[str, Any]]:
        """Closest names first; narrowed to the place or postcode when that still finds someone."""
        pogingen = []
        if postcode:
            pogingen.append({"naam": naam, "postcode": postcode})
        if plaats:
            pogingen.append({"naam": naam, "gemeente": plaats})
        pogingen.append({"naam": naam})
        for criteria in pogingen:
            response = await self.client.post("/api/v1/zorgaanbieders/_zoek", json={**criteria, "pageSize": aantal})
            response.raise_for_status()
            results = response.json()["results"]
            if results:
                return results
        return []

    async def close(self) -> None:
        await self.client.aclose()


def register_client(state: dict[str, Any], settings: MeldpuntSettings) -> RegisterClient:
    """One client per process; in the local setup (ZT_DEV_SLEUTELS=1) a dev token is minted when none is configured."""
    if "register_client" not in state:
        token = settings.register_token.get_secret_value() if settings.register_token else None
        if token is None and os.environ.get("ZT_DEV_SLEUTELS") == "1":
            from zorgtoezicht.devauth import dev_token

            token = dev_token("meldpunt", ["register.zorgaanbieders.lezen"])
        if token is None:
            raise RuntimeError("set MELDPUNT_REGISTER_TOKEN: meldpunt's token for register's search")
        state["register_client"] = RegisterClient(settings.register_url, token, transport=state.get("register_transport"))
    return state["register_client"]
