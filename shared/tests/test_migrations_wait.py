"""``python -m <service> migrate --wait``: the initContainer of the Kubernetes API and worker pods waits until the
migration Job has brought the database to head, and never migrates itself (issue 11). On a real PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time

import pytest
from alembic.script import ScriptDirectory

from zorgtoezicht.migrations import alembic_config, is_at_head, upgrade, wait_for_head
from zorgtoezicht.runner import load_definition
from zorgtoezicht.testing.harness import DatabaseFactory

SERVICE = "toezicht"


def first_revision(url: str) -> str:
    definition = load_definition(SERVICE)
    script = ScriptDirectory.from_config(alembic_config(definition.root, url, SERVICE))
    (base,) = script.get_bases()
    assert base not in script.get_heads(), "a single migration cannot show 'behind head'"
    return base


async def empty_database(databases: DatabaseFactory, name: str) -> str:
    await asyncio.to_thread(databases.postgres.psql, f'DROP DATABASE IF EXISTS "{name}"')
    await asyncio.to_thread(databases.postgres.ensure_database, name)
    return databases.postgres.url(name)


async def test_only_a_database_at_head_is_at_head(databases: DatabaseFactory, unique: str) -> None:
    definition = load_definition(SERVICE)
    url = await empty_database(databases, f"wait_{unique}")
    assert await asyncio.to_thread(is_at_head, definition.root, url, SERVICE) is False  # never migrated
    await asyncio.to_thread(upgrade, definition.root, url, SERVICE, first_revision(url))
    assert await asyncio.to_thread(is_at_head, definition.root, url, SERVICE) is False  # behind
    await asyncio.to_thread(upgrade, definition.root, url, SERVICE)
    assert await asyncio.to_thread(is_at_head, definition.root, url, SERVICE) is True


async def test_the_wait_ends_when_another_process_migrates_and_never_migrates_itself(databases: DatabaseFactory, unique: str) -> None:
    definition = load_definition(SERVICE)
    url = await empty_database(databases, f"wait_{unique}")
    with pytest.raises(TimeoutError, match="not at the newest migration"):
        await asyncio.to_thread(wait_for_head, definition.root, url, SERVICE, interval=0.2, timeout=1.0)
    assert await asyncio.to_thread(is_at_head, definition.root, url, SERVICE) is False  # waiting changed nothing

    migrated_at: list[float] = []

    def migrate_later() -> None:
        time.sleep(1.0)
        upgrade(definition.root, url, SERVICE)
        migrated_at.append(time.monotonic())

    migrator = threading.Thread(target=migrate_later)
    migrator.start()
    await asyncio.to_thread(wait_for_head, definition.root, url, SERVICE, interval=0.2, timeout=120)
    done = time.monotonic()
    migrator.join()
    assert migrated_at and migrated_at[0] <= done  # it returned only after the migration had finished


async def test_an_unreachable_database_is_waited_for(databases: DatabaseFactory) -> None:
    definition = load_definition(SERVICE)
    url = databases.postgres.url("postgres").rsplit(":", 1)[0] + ":1/nothing"  # port 1: nothing listens
    with pytest.raises(TimeoutError, match="not reachable"):
        await asyncio.to_thread(wait_for_head, definition.root, url, SERVICE, interval=0.2, timeout=1.0)


async def test_the_command_line_waits_and_exits_zero_at_head(databases: DatabaseFactory, unique: str) -> None:
    url = await databases.fresh(load_definition(SERVICE))
    env = {**os.environ, "TOEZICHT_DATABASE_URL": url}
    result = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", SERVICE, "migrate", "--wait"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    empty = await empty_database(databases, f"wait_{unique}")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", SERVICE, "migrate", "--wait", env={**env, "TOEZICHT_DATABASE_URL": empty}
    )
    try:
        with pytest.raises(TimeoutError):  # still waiting after 5 s: the database has no migrations
            await asyncio.wait_for(process.wait(), 5)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert await asyncio.to_thread(is_at_head, load_definition(SERVICE).root, empty, SERVICE) is False
