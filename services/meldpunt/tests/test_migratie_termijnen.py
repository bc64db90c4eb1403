"""Migration 0004 moves the report terms of existing meldingen onto the term table: open ones run, announced
ones never fire again, received or merged ones are cancelled; the downgrade brings the flag back."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

from sqlalchemy import text

from zorgtoezicht.db import Database
from zorgtoezicht.migrations import upgrade
from zorgtoezicht.runner import load_definition


async def test_existing_report_terms_become_stored_terms(postgres, unique):
    from alembic import command

    from zorgtoezicht.migrations import alembic_config

    definition = load_definition("meldpunt")
    name = f"migratie_{unique}"
    postgres.ensure_database(name)
    url = postgres.url(name)
    await asyncio.to_thread(upgrade, definition.root, url, "meldpunt", "0003")
    open_, gemeld, ontvangen, samengevoegd, geen = (uuid.uuid4() for _ in range(5))
    db = Database(url)
    try:
        async with db.transaction() as session:
            await session.execute(
                text(
                    "INSERT INTO melding (id, soort, omschrijving, ingediend_door, rapport_uiterlijk, rapport_te_laat_gemeld, "
                    "rapport_ontvangen_op, samengevoegd_met) VALUES (:id, 'wkkgz-calamiteit', 'x', 'test', :u, :g, :o, :s)"
                ),
                [
                    {"id": open_, "u": date(2026, 3, 2), "g": False, "o": None, "s": None},
                    {"id": gemeld, "u": date(2026, 1, 5), "g": True, "o": None, "s": None},
                    {"id": ontvangen, "u": date(2026, 3, 2), "g": False, "o": date(2026, 2, 20), "s": None},
                    {"id": samengevoegd, "u": date(2026, 3, 2), "g": False, "o": None, "s": open_},
                    {"id": geen, "u": None, "g": False, "o": None, "s": None},
                ],
            )
        await asyncio.to_thread(upgrade, definition.root, url, "meldpunt")
        async with db.transaction() as session:
            rows = (await session.execute(text("SELECT aggregaat_id, soort, uiterlijk::text, status FROM termijn"))).all()
            assert sorted(map(tuple, rows)) == sorted(
                [
                    (open_, "calamiteitenrapport", "2026-03-02", "lopend"),
                    (gemeld, "calamiteitenrapport", "2026-01-05", "verstreken"),
                    (ontvangen, "calamiteitenrapport", "2026-03-02", "vervallen"),
                    (samengevoegd, "calamiteitenrapport", "2026-03-02", "vervallen"),
                ]
            )
            assert not (
                await session.execute(
                    text("SELECT 1 FROM information_schema.columns WHERE table_name = 'melding' AND column_name = 'rapport_te_laat_gemeld'")
                )
            ).first()
        await asyncio.to_thread(command.downgrade, alembic_config(definition.root, url, "meldpunt"), "0003")
        async with db.transaction() as session:
            gemeld_na = (await session.execute(text("SELECT id FROM melding WHERE rapport_te_laat_gemeld"))).scalars().all()
            assert gemeld_na == [gemeld]
    finally:
        await db.dispose()
