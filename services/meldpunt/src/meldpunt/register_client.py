"""meldpunt asks register, with its own credentials, which providers a citizen may have meant.

Events carry no provider names (a solist's name is a person's name), so names are matched where they
live: register's search. A person then confirms the right candidate.

register's refusals are answers, never our 500: a query register finds invalid (a citizen's "--" as a
name, a postcode it does not accept) finds nobody; register down, unreachable, answering something
that is not a search page, or refusing meldpunt's credentials is ``BadGateway`` (502).
"""

from __future__ import annotations

import logging
import os
import uuid
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from meldpunt.settings import MeldpuntSettings
from zorgtoezicht.http.upstream import BadGateway

log = logging.getLogger(__name__)


class Gevonden(BaseModel):
    """One search result as meldpunt uses it (register's other fields are ignored)."""

    model_config = ConfigDict(extra="ignore", alias_generator=to_camel)

    id: uuid.UUID
    kvk_nummer: str
    statutaire_naam: str
    score: float | None = None


class Zoekpagina(BaseModel):
    model_config = ConfigDict(extra="ignore")

    results: list[Gevonden]


class RegisterClient:
    def __init__(self, base_url: str, token: str, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), headers={"Authorization": f"Bearer {token}"}, transport=transport, timeout=5.0
        )

    async def kandidaten(self, naam: str, plaats: str | None, postcode: str | None, aantal: int = 5) -> list[Gevonden]:
        """Closest names first; narrowed to the place or postcode when that still finds someone. A narrowing
        register refuses as invalid (a place it does not know) is skipped; a name it refuses finds nobody."""
        pogingen = []
        if postcode:
            pogingen.append({"naam": naam, "postcode": postcode})
        if plaats:
            pogingen.append({"naam": naam, "gemeente": plaats})
        pogingen.append({"naam": naam})
        for criteria in pogingen:
            results = await self._zoek({**criteria, "pageSize": aantal})
            if results:
                return results
        return []

    async def _zoek(self, criteria: dict[str, Any]) -> list[Gevonden]:
        try:
            response = await self.client.post("/api/v1/zorgaanbieders/_zoek", json=criteria)
        except httpx.HTTPError as error:  # unreachable, timed out, connection cut
            log.warning("register unreachable", extra={"error": type(error).__name__})
            raise BadGateway("register, which finds the candidates, cannot be reached") from error
        if response.status_code == 400:
            return []  # register finds these criteria invalid: nobody matches them
        if response.status_code in (401, 403):
            log.error("register refuses meldpunt's credentials", extra={"status": response.status_code})
            raise BadGateway("register refuses meldpunt's credentials")
        if response.status_code != 200:
            log.warning("register answered an error", extra={"status": response.status_code})
            raise BadGateway(f"register answered {response.status_code}")
        try:
            return Zoekpagina.model_validate_json(response.content).results
        except ValidationError as error:
            raise BadGateway("register answered something that is not a search page") from error

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
            log.error("MELDPUNT_REGISTER_TOKEN is not set: meldpunt cannot search register")
            raise BadGateway("meldpunt has no credentials for register")
        state["register_client"] = RegisterClient(settings.register_url, token, transport=state.get("register_transport"))
    return state["register_client"]
