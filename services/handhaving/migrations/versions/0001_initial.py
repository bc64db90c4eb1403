"""Maatregelen, the provider projection, and the platform tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from zorgtoezicht.messaging.tables import create_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables(op)
    op.create_table(
        "bekende_zorgaanbieder",
        sa.Column("zorgaanbieder_id", sa.Uuid(), primary_key=True),
        sa.Column("kvk_nummer", sa.String(8), nullable=False),
    )
    op.create_table(
        "maatregel",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("zorgaanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.Text(), nullable=False),
        sa.Column("ingangsdatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("motivering", sa.Text(), nullable=False),
        sa.Column("opgelegd_door", sa.Text(), nullable=False, comment="client id of the deciding system"),
        sa.Column("opgelegd_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_maatregel_zorgaanbieder_id", "maatregel", ["zorgaanbieder_id"])


def downgrade() -> None:
    for table in ("maatregel", "bekende_zorgaanbieder", "dead_letter", "inbox", "outbox"):
        op.drop_table(table)
    op.execute("DROP FUNCTION IF EXISTS outbox_notify() CASCADE")
