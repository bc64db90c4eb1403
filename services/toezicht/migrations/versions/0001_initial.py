"""Risicoprofielen and the platform tables.

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
        "risicoprofiel",
        sa.Column("zorgaanbieder_id", sa.Uuid(), primary_key=True),
        sa.Column("aantal_signalen", sa.Integer(), nullable=False),
        sa.Column("bijgewerkt_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )


def downgrade() -> None:
    for table in ("risicoprofiel", "dead_letter", "inbox", "outbox"):
        op.drop_table(table)
    op.execute("DROP FUNCTION IF EXISTS outbox_notify() CASCADE")
