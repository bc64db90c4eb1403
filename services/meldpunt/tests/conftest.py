import pytest

from meldpunt import service as meldpunt_service
from meldpunt.voorbeelden import PROVIDERS
from zorgtoezicht.testing.harness import start_service


@pytest.fixture
async def meldpunt(databases, auth, monkeypatch):
    monkeypatch.setenv("MELDPUNT_PARTNERS", '{"ggd-amsterdam": {"gemeenten": ["GM0363"]}, "ggd-utrecht": {"gemeenten": ["GM0344"]}}')
    service = await start_service("meldpunt", databases, auth)
    async with service.runtime.db.transaction() as session:
        for provider in PROVIDERS:
            await meldpunt_service.verwerk_zorgaanbieder_feiten(session, provider)
    yield service
    await service.close()
