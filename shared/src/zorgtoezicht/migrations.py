"""Alembic for every service: one ``env.py`` body, and ``upgrade`` to run migrations from code.

Each service keeps its own ``alembic.ini``, ``migrations/`` and version table
(``alembic_version_<service>``) in its own database.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from zorgtoezicht.db import async_url


def alembic_config(service_root: Path, database_url: str, service_name: str) -> Config:
    config = Config(str(service_root / "alembic.ini"))
    config.set_main_option("script_location", str(service_root / "migrations"))
    config.attributes["database_url"] = database_url
    config.attributes["service_name"] = service_name
    return config


def upgrade(service_root: Path, database_url: str, service_name: str, revision: str = "head") -> None:
    """``alembic upgrade head`` for one service database (blocking; call via a thread from async code)."""
    command.upgrade(alembic_config(service_root, database_url, service_name), revision)


def run_env(target_metadata, service_name: str, settings_class) -> None:  # noqa: ANN001
    """The body of every service's ``migrations/env.py``."""
    config = context.config
    url = config.attributes.get("database_url") or settings_class().database_url
    version_table = f"alembic_version_{service_name}"

    def do_run(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=target_metadata, version_table=version_table,
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()

    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True, version_table=version_table)
        with context.begin_transaction():
            context.run_migrations()
        return

    async def run_online() -> None:
        engine = create_async_engine(async_url(url), poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
        await engine.dispose()

    asyncio.run(run_online())
