"""Meldingen, the vestiging projection, and the platform tables.

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
        "bekende_vestiging",
        sa.Column("vestigingsnummer", sa.String(12), primary_key=True),
        sa.Column("zorgaanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("kvk_nummer", sa.String(8), nullable=False),
        sa.Column("gemeente", sa.Text(), nullable=False),
    )
    op.create_index("ix_bekende_vestiging_zorgaanbieder_id", "bekende_vestiging", ["zorgaanbieder_id"])
    op.create_table(
        "melding",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("soort", sa.Text(), nullable=False),
        sa.Column("vestigingsnummer", sa.String(12), nullable=False),
        sa.Column("zorgaanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("omschrijving", sa.Text(), nullable=False, comment="free text: personal data, never in events or logs"),
        sa.Column("ingediend_door", sa.Text(), nullable=False, comment="client id of the submitting system"),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_melding_vestigingsnummer", "melding", ["vestigingsnummer"])
    op.create_index("ix_melding_zorgaanbieder_id", "melding", ["zorgaanbieder_id"])


def downgrade() -> None:
    for table in ("melding", "bekende_vestiging", "dead_letter", "inbox", "outbox"):
        op.drop_table(table)
    op.execute("DROP FUNCTION IF EXISTS outbox_notify() CASCADE")
