"""Fixtures of register's tests."""

from __future__ import annotations

import pytest

from zorgtoezicht.testing.harness import start_service


@pytest.fixture
async def register(databases, auth):
    """register alone, in process, on a fresh migrated database."""
    service = await start_service("register", databases, auth)
    yield service
    await service.close()
